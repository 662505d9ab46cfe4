/* report_text.c - the wording of the review report (see report_text.h).
 *
 * Data flow: an eval_result (rows, tallies) -> phrases built in caller-owned bufs -> the summary
 * paragraphs and the review's closing parts as JSON strings, which every renderer (md, html,
 * docx, pdf through docx) lays out unchanged.  A paragraph holding a long list carries its
 * items as "\n- item" lines after its lead sentence.  Wording follows published Vietnamese
 * reviews: changes of rates in percentage points, of ranks in places ("tăng 3 bậc"), every
 * change judged by the indicator's direction, a `down` indicator's result as its margin below
 * the ceiling; see docs/internals/report.md.
 */
#include "report_text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "vn.h"

/* Lists longer than this are laid out as bullets. */
enum { LIST_INLINE_MAX = 3 };

static int en(void) { return lang_get() == LANG_EN; }

const char *report_plural(int n, const char *one, const char *many)
{
    return en() && n == 1 ? one : many;
}

int report_measure_kind(const char *measure, int dir, int decimals)
{
    buf f = BUF_INIT;
    int kind = MK_PLAIN;
    if (strcmp(measure, "%") == 0) {
        kind = MK_RATE;
    } else if (vn_fold(measure, strlen(measure), &f) == 0) {
        const char *s = buf_str(&f);
        if (dir == DIR_DOWN && (strcmp(s, "thu hang") == 0 || strcmp(s, "hang") == 0 || strcmp(s, "thu") == 0 ||
                                strcmp(s, "bac") == 0 || strcmp(s, "vi thu") == 0))
            kind = MK_RANK;
        else if (strcmp(s, "diem") == 0 && decimals > 0)
            kind = MK_SCORE;        /* "điểm" in whole numbers counts sites (parks), not marks */
    }
    buf_free(&f);
    return kind;
}

int report_set_is_goal(const char *set)
{
    return set && *set && vn_search(set, "mục tiêu");
}

/* ---- periods ------------------------------------------------------------------------------ */

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int report_period_text(const model *m, period_t p, buf *out)
{
    if (en()) {
        switch (p.kind) {
        case P_YEAR: return buf_printf(out, "%d", p.y);
        case P_HALF: return buf_printf(out, "H%d %d", p.n, p.y);
        case P_QUARTER: return buf_printf(out, "Q%d %d", p.n, p.y);
        case P_M9: return buf_printf(out, "the first nine months of %d", p.y);
        case P_RANGE: {
            const term_t *t = m ? model_term(m, p) : NULL;
            if (t)
                return buf_printf(out, "the %d\xE2\x80\x93%d term", p.y, p.y2);
            for (size_t i = 0; m && i < m->nterms; i++) {
                period_t q = m->terms[i].per;
                if (q.y == p.y && period_contains(q, p) && !period_eq(q, p))
                    return buf_printf(out, "the first years of the %d\xE2\x80\x93%d term (%d\xE2\x80\x93%d)", q.y,
                                      q.y2, p.y, p.y2);
            }
            return buf_printf(out, "%d\xE2\x80\x93%d", p.y, p.y2);
        }
        default: break;
        }
    }
    char lbl[320];
    model_period_label(m, p, lang_get(), lbl, sizeof lbl);
    static const char *const lower[] = { "Năm ", "Tháng ", "Quý ", "Nhiệm kỳ ", "Giữa nhiệm kỳ ", "Giai đoạn " };
    for (size_t i = 0; !en() && i < sizeof lower / sizeof lower[0]; i++)
        if (starts_with(lbl, lower[i]))
            lbl[0] = (char)(lbl[0] - 'A' + 'a');       /* all begin with an ASCII capital */
    return buf_adds(out, lbl);
}

/* The term that p lies within and ends before, if any (p is then a mid-term period). */
static const term_t *term_around(const model *m, period_t p)
{
    for (size_t i = 0; m && p.kind == P_RANGE && i < m->nterms; i++) {
        period_t q = m->terms[i].per;
        if (period_contains(q, p) && !period_eq(q, p))
            return &m->terms[i];
    }
    return NULL;
}

int report_next_period_text(const model *m, period_t p, buf *out)
{
    period_t q = p;
    switch (p.kind) {
    case P_YEAR:
        q.y = (uint16_t)(p.y + 1), q.y2 = q.y;
        break;
    case P_HALF:
        if (p.n == 1)
            q.n = 2;
        else
            q = (period_t){ P_YEAR, 0, (uint16_t)(p.y + 1), (uint16_t)(p.y + 1) };
        break;
    case P_QUARTER:
        if (p.n < 4)
            q.n = (uint8_t)(p.n + 1);
        else
            q = (period_t){ P_QUARTER, 1, (uint16_t)(p.y + 1), (uint16_t)(p.y + 1) };
        break;
    case P_MONTH:
        if (p.n < 12)
            q.n = (uint8_t)(p.n + 1);
        else
            q = (period_t){ P_MONTH, 1, (uint16_t)(p.y + 1), (uint16_t)(p.y + 1) };
        break;
    case P_M9:
        return buf_printf(out, tr("3 tháng cuối năm %d", "the last quarter of %d"), p.y);
    case P_RANGE: {
        const term_t *t = term_around(m, p);
        if (t)
            return buf_printf(out, tr("những năm còn lại của nhiệm kỳ %d\xE2\x80\x93%d (giai đoạn %d\xE2\x80\x93%d)",
                                      "the remaining years of the %d\xE2\x80\x93%d term (%d\xE2\x80\x93%d)"),
                              t->per.y, t->per.y2, p.y2 + 1, t->per.y2);
        return buf_printf(out, tr("nhiệm kỳ %d\xE2\x80\x93%d", "the %d\xE2\x80\x93%d term"), p.y2,
                          p.y2 + (p.y2 - p.y));
    }
    default:
        return buf_adds(out, tr("thời gian tới", "the coming period"));
    }
    return report_period_text(m, q, out);
}

/* ---- figures ------------------------------------------------------------------------------ */

static double round_to(double x, int decimals)
{
    double scale = pow(10, decimals < 0 ? 0 : decimals > 9 ? 9 : decimals);
    return round(x * scale) / scale;
}

/* "9,8%", "7,98 điểm", "25 vụ", "thứ 3" (en "3rd"). */
static void value_text(buf *b, int kind, int decimals, const char *measure, double v)
{
    if (kind == MK_RANK) {
        static const char *const sfx[] = { "th", "st", "nd", "rd" };
        long n = lround(v);
        long last = n % 10, tens = n % 100;
        if (en())
            buf_printf(b, "%ld%s", n, tens >= 11 && tens <= 13 ? "th" : last <= 3 ? sfx[last] : "th");
        else
            buf_printf(b, "thứ %ld", n);
        return;
    }
    report_num(b, v, decimals);
    if (strcmp(measure, "%") == 0)
        buf_addc(b, '%');
    else if (measure[0] && kind != MK_SCORE)
        buf_printf(b, " %s", measure);
    else if (kind == MK_SCORE)
        buf_adds(b, tr(" điểm", en() && fabs(v) == 1 ? " point" : " points"));
}

static int judge(int kind, int dir, int rose)
{
    if (kind == MK_RANK)
        return rose ? -1 : 1;                 /* a larger number is a lower place */
    if (dir == DIR_UP)
        return rose ? 1 : -1;
    if (dir == DIR_DOWN)
        return rose ? -1 : 1;
    return 2;
}

int report_change_phrase(buf *b, int kind, int dir, int decimals, const char *measure, double prev,
                         double actual)
{
    double a = actual, p = prev, d = a - p;         /* unrounded: a converted 33,5 stays 33,5 */
    if (round_to(d, decimals) == 0) {
        buf_adds(b, tr("không đổi", "unchanged"));
        return 0;
    }
    int rose = d > 0;
    if (kind == MK_RANK) {
        long places = lround(fabs(d));
        buf_printf(b, rose ? tr("giảm %ld bậc, ", "down %ld %s, ") : tr("tăng %ld bậc, ", "up %ld %s, "), places,
                   report_plural((int)places, "place", "places"));
        buf_adds(b, tr("từ ", "from "));
        value_text(b, kind, 0, measure, p);
        buf_adds(b, rose ? tr(" xuống ", " to ") : tr(" lên ", " to "));
        value_text(b, kind, 0, measure, a);
        return judge(kind, dir, rose);
    }
    buf_adds(b, rose ? tr("tăng ", "up ") : tr("giảm ", "down "));
    if (kind == MK_RATE || kind == MK_SCORE) {
        report_num(b, fabs(d), decimals);
        if (kind == MK_RATE)
            buf_adds(b, tr(" điểm phần trăm", " percentage points"));
        else
            buf_adds(b, tr(" điểm", fabs(d) == 1 ? " point" : " points"));
        buf_adds(b, tr(" (từ ", " (from "));
        if (kind == MK_SCORE)
            report_num(b, p, decimals);       /* "từ 7,51 lên 7,98 điểm" */
        else
            value_text(b, kind, decimals, measure, p);
        buf_adds(b, rose ? tr(" lên ", " to ") : tr(" xuống ", " to "));
        value_text(b, kind, decimals, measure, a);
        buf_addc(b, ')');
        return judge(kind, dir, rose);
    }
    double pct = p != 0 ? round_to(fabs(d / p) * 100, 2) : 0;
    if (pct != 0) {
        report_num(b, pct, 2);
        buf_addc(b, '%');
    } else {
        value_text(b, kind, decimals, measure, fabs(d));  /* from nothing, or too small a share */
    }
    return judge(kind, dir, rose);
}

int report_change_cell(buf *b, int kind, int dir, int decimals, double prev, double actual)
{
    double a = actual, p = prev, d = a - p;         /* unrounded: a converted 33,5 stays 33,5 */
    if (round_to(d, decimals) == 0) {
        buf_adds(b, tr("không đổi", "unchanged"));
        return 0;
    }
    int rose = d > 0;
    if (kind == MK_RANK) {
        long places = lround(fabs(d));
        buf_printf(b, "%s%ld %s", rose ? "-" : "+", places,
                   tr("bậc", report_plural((int)places, "place", "places")));
        return judge(kind, dir, rose);
    }
    buf_adds(b, rose ? "+" : "-");
    if (kind == MK_RATE || kind == MK_SCORE) {
        report_num(b, fabs(d), decimals);
        buf_adds(b, kind == MK_RATE ? tr(" điểm %", " pp") : tr(" điểm", " pts"));
        return judge(kind, dir, rose);
    }
    double pct = p != 0 ? round_to(fabs(d / p) * 100, 2) : 0;
    report_num(b, pct != 0 ? pct : fabs(d), pct != 0 ? 2 : decimals);
    if (pct != 0)
        buf_addc(b, '%');
    return judge(kind, dir, rose);
}

/* The margin between actual and a `down` target: "0,02 điểm phần trăm", "10%", "1 bậc". */
static void margin_text(buf *b, int kind, int decimals, double actual, double target, int short_form)
{
    double gap = fabs(actual - target);
    if (kind == MK_RANK) {
        long places = lround(gap);
        buf_printf(b, "%ld %s", places, tr("bậc", report_plural((int)places, "place", "places")));
    } else if (kind == MK_RATE || kind == MK_SCORE) {
        report_num(b, gap, decimals);
        if (kind == MK_RATE)
            buf_adds(b, short_form ? tr(" điểm %", " pp") : tr(" điểm phần trăm", " percentage points"));
        else
            buf_adds(b, tr(" điểm", gap == 1 ? " point" : " points"));
    } else {
        report_num(b, target != 0 ? gap / fabs(target) * 100 : gap, 2);
        if (target != 0)
            buf_addc(b, '%');
    }
}

void report_result_phrase(buf *b, int kind, int dir, int decimals, const char *measure, double actual,
                          double target)
{
    if (dir == DIR_DOWN) {
        int below = round_to(actual, decimals) < round_to(target, decimals);
        if (kind == MK_RANK) {
            buf_adds(b, tr("đạt ", "at "));
            value_text(b, kind, 0, measure, actual);
            buf_adds(b, tr(" (kế hoạch ", " (target "));
            value_text(b, kind, 0, measure, target);
            buf_adds(b, below ? tr("), vượt ", "), ") : tr("), kém ", "), "));
            margin_text(b, kind, decimals, actual, target, 0);
            if (en())
                buf_adds(b, below ? " better" : " worse");
            return;
        }
        buf_adds(b, tr("còn ", "at "));
        value_text(b, kind, decimals, measure, actual);
        buf_adds(b, ", ");
        if (!en())
            buf_adds(b, below ? "thấp hơn " : "cao hơn ");
        margin_text(b, kind, decimals, actual, target, 0);
        buf_adds(b, below ? tr(" so với mức kế hoạch (", " below the ceiling of ")
                          : tr(" so với mức kế hoạch (", " above the ceiling of "));
        value_text(b, kind, decimals, measure, target);
        if (!en())
            buf_addc(b, ')');
        return;
    }
    if (kind == MK_PLAIN && target != 0) {
        double pct = actual / target * 100;
        buf_adds(b, tr("đạt ", "reached "));
        report_num(b, pct, 2);
        buf_adds(b, tr("% kế hoạch", "% of target"));
        if (round_to(pct, 2) > 100) {
            buf_adds(b, tr(" (vượt ", " (over by "));
            report_num(b, pct - 100, 2);
            buf_adds(b, "%)");
        }
        return;
    }
    buf_adds(b, tr("đạt ", "reached "));
    value_text(b, kind, decimals, measure, actual);
    buf_adds(b, tr(" (kế hoạch ", " (target "));
    if (kind == MK_SCORE)
        report_num(b, target, decimals);
    else
        value_text(b, kind, decimals, measure, target);
    buf_addc(b, ')');
}

void report_pct_cell(buf *b, int kind, int dir, int decimals, double actual, double target)
{
    double a = round_to(actual, decimals), t = round_to(target, decimals);
    if (dir == DIR_DOWN && a != t) {
        if (kind == MK_RANK)
            buf_adds(b, a < t ? tr("vượt ", "") : tr("kém ", ""));
        else
            buf_adds(b, a < t ? tr("thấp hơn ", "") : tr("cao hơn ", ""));
        margin_text(b, kind, decimals, actual, target, 1);
        if (en())
            buf_adds(b, kind == MK_RANK ? (a < t ? " better" : " worse") : (a < t ? " below" : " above"));
        return;
    }
    if (target == 0) {
        buf_adds(b, "–");
        return;
    }
    report_num(b, actual / target * 100, 2);
    buf_addc(b, '%');
}

/* ---- lists -------------------------------------------------------------------------------- */

/* Appends a paragraph "Lead: a; b; c." to paras, or with more than LIST_INLINE_MAX items
 * "Lead:\n- a;\n- b;\n- c."; nothing when items is empty.  Takes items (a JSON array of strings). */
static void add_list(json_t *paras, const char *lead, json_t *items)
{
    size_t n = json_array_size(items), i;
    json_t *v;
    if (n > 0) {
        buf b = BUF_INIT;
        int bullets = n > LIST_INLINE_MAX;
        buf_adds(&b, lead);
        json_array_foreach(items, i, v) {
            buf_adds(&b, bullets ? "\n- " : i ? "; " : " ");
            buf_adds(&b, json_string_value(v));
            buf_adds(&b, i + 1 == n ? "." : bullets ? ";" : "");
        }
        json_array_append_new(paras, json_string(buf_str(&b)));
        buf_free(&b);
    }
    json_decref(items);
}

static void add_item(json_t *items, const buf *b)
{
    json_array_append_new(items, json_string(buf_str(b)));
}

/* ---- nouns -------------------------------------------------------------------------------- */

static int kind_of(const model *m, const eval_row *x)
{
    const ind_t *d = &m->inds[x->ind];
    return report_measure_kind(d->measure, d->dir, d->decimals);
}

/* "quận, huyện, thị xã" from the types of a unit's siblings ranked with it: those counted on the
 * structure evaluated (on today's, not the districts whose figures passed to the new wards). */
static void peer_noun(const model *m, int unit, period_t p, int structure, buf *out)
{
    static const struct { const char *prefix, *noun_vi, *noun_en; } nouns[] = {
        { "Quận", "quận", "urban districts" }, { "Huyện", "huyện", "rural districts" },
        { "Thị", "thị xã", "towns" }, { "Đảng ủy phường", "phường", "wards" },
        { "Đảng ủy xã", "xã", "communes" }, { "Tỉnh", "tỉnh", "provinces" },
        { "Thành", "thành phố", "cities" }, { "Chi bộ", "chi bộ", "cells" },
    };
    int par = m->units[unit].parent;
    size_t start = out->len;
    for (unsigned k = 0; par >= 0 && k < sizeof nouns / sizeof nouns[0]; k++) {
        size_t plen = strlen(nouns[k].prefix);
        for (int s = m->units[par].first_child; s >= 0; s = m->units[s].next_sibling)
            if (strncmp(m->units[s].type, nouns[k].prefix, plen) == 0 && eval_unit_in_structure(m, s, p, structure)) {
                buf_printf(out, "%s%s", out->len > start ? ", " : "", tr(nouns[k].noun_vi, nouns[k].noun_en));
                break;
            }
    }
    if (out->len == start)
        buf_adds(out, tr("đơn vị", "units"));
}

/* The level of a unit in running text, from its type: "thành phố" for a city's committee,
 * "tỉnh", "quận", "huyện", "thị xã", "phường", "xã"; the unit's name when the type says none. */
static void level_noun(const unit_t *u, buf *out)
{
    static const struct { const char *needle, *vi, *en; } levels[] = {
        { "thành ủy", "thành phố", "the city" }, { "thành phố", "thành phố", "the city" },
        { "tỉnh", "tỉnh", "the province" }, { "quận", "quận", "the district" },
        { "huyện", "huyện", "the district" }, { "thị ủy", "thị xã", "the town" },
        { "thị xã", "thị xã", "the town" }, { "phường", "phường", "the ward" }, { "xã", "xã", "the commune" },
    };
    for (size_t k = 0; k < sizeof levels / sizeof levels[0]; k++)
        if (vn_search(u->type, levels[k].needle)) {
            buf_adds(out, tr(levels[k].vi, levels[k].en));
            return;
        }
    buf_adds(out, u->name);
}

/* Whose term targets these are: a congress resolution for a Party unit, the five-year plan
 * (a council's resolution) for a state body. */
static const char *resolution_noun(const unit_t *u)
{
    if (vn_search(u->type, "ubnd") || vn_search(u->type, "ủy ban nhân dân"))
        return tr("chỉ tiêu kế hoạch 5 năm", "the five-year plan");
    return tr("chỉ tiêu Nghị quyết Đại hội", "the Party Congress resolution");
}

/* 1 when row x takes its target from a term (the congress resolution's targets). */
static int from_term(const model *m, const eval_row *x)
{
    return x->has_target && x->target_period.kind == P_RANGE && model_term(m, x->target_period) != NULL;
}

/* Tallies of binding targets and aspirational goals, and the noun of each. */
typedef struct kinds {
    eval_tally t[2];
    const char *noun[2];
} kinds;

static void kinds_of(const eval_result *r, kinds *k)
{
    memset(k, 0, sizeof *k);
    const char *name[2] = { NULL, NULL };
    int names[2] = { 0, 0 };
    for (int i = 0; i < r->nsets; i++) {
        const eval_tally *s = &r->sets[i].t;
        int g = report_set_is_goal(r->sets[i].name);
        if (!s->total)
            continue;
        k->t[g].total += s->total, k->t[g].met += s->met, k->t[g].exceeded += s->exceeded;
        k->t[g].notmet += s->notmet, k->t[g].nodata += s->nodata;
        if (names[g]++ == 0)
            name[g] = r->sets[i].name;
    }
    k->noun[0] = tr("chỉ tiêu", "targets");
    k->noun[1] = tr("mục tiêu phấn đấu", "aspirational goals");
    /* one set of its kind named in lower case ("chỉ tiêu chủ yếu"): its own name */
    for (int g = 0; g < 2 && !en(); g++)
        if (names[g] == 1 && name[g] && (starts_with(name[g], "chỉ tiêu") || starts_with(name[g], "mục tiêu")))
            k->noun[g] = name[g];
}

/* " 30/30 chỉ tiêu và 10/10 mục tiêu phấn đấu, trong đó 8 chỉ tiêu vượt kế hoạch" */
static void headline_counts(buf *b, const kinds *k)
{
    int both = k->t[0].total && k->t[1].total;
    for (int g = 0, n = 0; g < 2; g++) {
        if (!k->t[g].total)
            continue;
        buf_printf(b, en() ? "%s%d of its %d %s" : "%s%d/%d %s", n++ ? tr(" và ", " and ") : "",
                   k->t[g].met + k->t[g].exceeded, k->t[g].total,
                   en() ? report_plural(k->t[g].total, g ? "aspirational goal" : "target", k->noun[g]) : k->noun[g]);
        if (!both && g == 0 && !en())
            buf_adds(b, " được giao");
    }
    if (k->t[0].exceeded + k->t[1].exceeded == 0)
        return;
    if (!both && en()) {
        buf_printf(b, ", %d of them exceeded", k->t[0].exceeded + k->t[1].exceeded);
        return;
    }
    buf_adds(b, tr(", trong đó ", ", exceeding "));
    for (int g = 0, n = 0; g < 2; g++)
        if (k->t[g].exceeded)
            buf_printf(b, "%s%d %s", n++ ? tr(" và ", " and ") : "", k->t[g].exceeded,
                       en() ? report_plural(k->t[g].exceeded, g ? "aspirational goal" : "target", k->noun[g])
                            : k->noun[g]);
    if (!en())
        buf_adds(b, " vượt kế hoạch");
}

/* " Theo từng nhóm: Xây dựng Đảng đạt và vượt 12/12 chỉ tiêu (1 vượt kế hoạch); ..." */
static void group_counts(buf *b, const eval_result *r, const kinds *k)
{
    int groups = 0;
    for (int i = 0; i < r->ngroups; i++)
        groups += r->groups[i].t.total > 0;
    if (groups < 2)
        return;
    const char *noun = k->t[1].total ? tr("chỉ tiêu, mục tiêu", "targets and goals") : tr("chỉ tiêu", "targets");
    buf_adds(b, tr(" Theo từng nhóm: ", " By group: "));
    for (int i = 0, n = 0; i < r->ngroups; i++) {
        const eval_tally *t = &r->groups[i].t;
        if (!t->total)
            continue;
        const char *name = r->groups[i].name && *r->groups[i].name ? r->groups[i].name : tr("Khác", "Other");
        buf_printf(b, tr("%s%s đạt và vượt %d/%d %s", "%s%s %d of %d %s met or exceeded"), n++ ? "; " : "", name,
                   t->met + t->exceeded, t->total, noun);
        if (t->exceeded)
            buf_printf(b, tr(" (%d vượt kế hoạch)", " (%d exceeded)"), t->exceeded);
    }
    buf_adds(b, ".");
}

/* How many targets of a tally could be judged (had a figure). */
static int judged(const eval_tally *t)
{
    return t->met + t->exceeded + t->notmet;
}

/* ---- the summary -------------------------------------------------------------------------- */

/* "In 2022, " / "Năm 2022, " at the head of a sentence. */
static void sentence_head(const model *m, period_t p, buf *b)
{
    if (en()) {
        buf_adds(b, "In ");
        report_period_text(m, p, b);
    } else {
        report_period_label(m, p, b);
    }
    buf_adds(b, ", ");
}

/* 1. The headline: met-or-exceeded over total by kind (against the congress resolution for a
 * term), by group, and the component tasks; for a part of the year with only yearly targets,
 * how many of them have a figure yet. */
static void headline(const model *m, int unit, period_t p, const eval_result *r, json_t *paras)
{
    const unit_t *u = &m->units[unit];
    buf b = BUF_INIT;
    kinds k;
    kinds_of(r, &k);
    int term = 0, annual = 0, annual_fig = 0, annual_part = 0;
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        term |= p.kind == P_RANGE && from_term(m, x);
        if (x->has_annual && m->inds[x->ind].parent < 0)
            annual++, annual_fig += x->has_actual && !x->partial, annual_part += x->partial;
    }
    sentence_head(m, p, &b);
    if (term)
        buf_printf(&b, tr("so với %s, ", "against %s, "), resolution_noun(u));
    buf_printf(&b, "%s ", u->name);
    if (r->all.total == 0 && annual) {
        if (!en())
            buf_printf(&b, "thực hiện %d chỉ tiêu kế hoạch năm %d: ", annual, period_year_of(p).y);
        else
            buf_printf(&b, "is working towards %d %s for %d: ", annual, report_plural(annual, "target", "targets"),
                       period_year_of(p).y);
        int none = annual - annual_fig - annual_part;
        if (annual_fig == 0 && annual_part == 0)
            buf_adds(&b, tr("chưa có số liệu", "no figures yet"));
        else if (annual_fig && en())
            buf_printf(&b, "%d %s a figure so far", annual_fig, annual_fig == 1 ? "has" : "have");
        else if (annual_fig)
            buf_printf(&b, "%d chỉ tiêu đã có số liệu", annual_fig);
        if (annual_part)      /* a partial roll-up is no figure of the unit's yet */
            buf_printf(&b, tr("%s%d chỉ tiêu chưa đủ số liệu", "%s%d incomplete"), annual_fig ? ", " : "", annual_part);
        if (none && (annual_fig || annual_part))
            buf_printf(&b, tr(", %d chỉ tiêu chưa có số liệu", ", %d none yet"), none);
        buf_adds(&b, ".");
    } else if (r->all.total == 0) {
        buf_adds(&b, tr("chưa có chỉ tiêu nào được giao kế hoạch cho kỳ này.", "has no targets set for this period."));
    } else if (judged(&r->all) == 0) {     /* not "0/17": nothing can be judged yet */
        if (en())
            buf_printf(&b, "has no figures yet to judge its %d %s by.", r->all.total,
                       report_plural(r->all.total, "target", "targets"));
        else
            buf_printf(&b, "chưa %s số liệu để đánh giá %d chỉ tiêu được giao.", r->all.partial ? "đủ" : "có",
                       r->all.total);
    } else {
        buf_adds(&b, tr("hoàn thành và hoàn thành vượt ", "met or exceeded "));
        headline_counts(&b, &k);
        buf_adds(&b, ".");
        group_counts(&b, r, &k);
    }
    if (r->comps.total) {
        int done = r->comps.met + r->comps.exceeded;
        buf_printf(&b, tr(" Hoàn thành %d/%d nhiệm vụ của %d chỉ tiêu chủ yếu", " Completed %d of %d component tasks of %d %s"),
                   done, r->comps.total, r->comp_parents, report_plural(r->comp_parents, "main target", "main targets"));
        if (r->comps.exceeded)
            buf_printf(&b, tr(", trong đó có %d nhiệm vụ hoàn thành vượt", ", %d of them beyond what was required"),
                       r->comps.exceeded);
        buf_adds(&b, ".");
    }
    json_array_append_new(paras, json_string(buf_str(&b)));
    buf_free(&b);
}

/* A row with its sort key (no global state for qsort: the web serves from several threads). */
typedef struct keyed {
    const eval_row *x;
    double key;
} keyed;

static int cmp_key_desc(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    return x->key < y->key ? 1 : x->key > y->key ? -1 : x->x->ind - y->x->ind;
}

/* How far beyond its target an exceeded row went, for ordering the highlights. */
static double margin_of(const model *m, const eval_row *x)
{
    if (x->target == 0)
        return 100;
    double rel = (x->actual - x->target) / fabs(x->target) * 100;
    return m->inds[x->ind].dir == DIR_DOWN ? -rel : rel;
}

/* 2. Exceeded targets (both directions), furthest beyond first, at most 10. */
static void highlights(const model *m, int unit, period_t p, const eval_result *r, keyed *pick, json_t *paras)
{
    int np = 0, same_term = 1;
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        int dir = m->inds[x->ind].dir;
        if (x->status == ST_EXCEEDED && x->has_actual && x->has_target && (dir == DIR_UP || dir == DIR_DOWN))
            pick[np++] = (keyed){ x, margin_of(m, x) };
    }
    qsort(pick, (size_t)np, sizeof *pick, cmp_key_desc);
    int shown = np < 10 ? np : 10;
    for (int i = 0; i < shown; i++)
        same_term &= from_term(m, pick[i].x) && !period_eq(pick[i].x->target_period, p);
    json_t *items = json_array();
    buf b = BUF_INIT, lead = BUF_INIT;
    for (int i = 0; i < shown; i++) {
        const eval_row *x = pick[i].x;
        const ind_t *d = &m->inds[x->ind];
        buf_reset(&b);
        buf_printf(&b, "%s ", d->name);
        report_result_phrase(&b, kind_of(m, x), d->dir, d->decimals, d->measure, x->actual, x->target);
        if (!same_term && !period_eq(x->target_period, p)) {
            buf_adds(&b, tr(", so với ", ", against "));
            if (from_term(m, x))
                buf_adds(&b, resolution_noun(&m->units[unit]));
            else {
                buf_adds(&b, tr("chỉ tiêu ", "the target of "));
                report_period_text(m, x->target_period, &b);
            }
        }
        add_item(items, &b);
    }
    buf_adds(&lead, tr("Nổi bật", "Highlights"));
    if (same_term && shown)
        buf_printf(&lead, tr(", so với %s", ", against %s"), resolution_noun(&m->units[unit]));
    buf_addc(&lead, ':');
    add_list(paras, buf_str(&lead), items);
    buf_free(&b);
    buf_free(&lead);
}

/* "đứng thứ 3/30 quận, huyện" / "nằm trong tốp 10 (thứ 7/30 quận, huyện)"; English "ranked 3rd of
 * 30 (urban districts, rural districts)". */
static void rank_phrase(buf *b, const eval_row *x, const char *peers, int top10)
{
    /* ranked among the peers with a figure only: "5/30 đơn vị có số liệu" says how many */
    char cov[96] = "";
    if (x->rank_peers > x->rank_of)
        snprintf(cov, sizeof cov, en() ? "%d of %d with figures" : "%d/%d đơn vị có số liệu", x->rank_of, x->rank_peers);
    if (en()) {
        buf_adds(b, top10 ? "in the top 10, " : "");
        buf_adds(b, "ranked ");
        value_text(b, MK_RANK, 0, "", x->rank);
        buf_printf(b, " of %d (%s%s%s)", x->rank_of, peers, *cov ? "; " : "", cov);
    } else if (top10) {
        buf_printf(b, "nằm trong tốp 10 (thứ %d/%d %s%s%s)", x->rank, x->rank_of, peers, *cov ? "; " : "", cov);
    } else {
        buf_printf(b, "đứng thứ %d/%d %s", x->rank, x->rank_of, peers);
        if (*cov)
            buf_printf(b, " (%s)", cov);
    }
}

/* 3. Ranks among peers (at least 5 of them): top 3, and top 10 among at least 15. */
static void ranks(const model *m, int unit, period_t p, const eval_result *r, json_t *paras)
{
    buf b = BUF_INIT, peers = BUF_INIT;
    json_t *items = json_array();
    peer_noun(m, unit, p, r->structure, &peers);
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        if (!x->rank || x->rank_of < 5 || !(x->rank <= 3 || (x->rank <= 10 && x->rank_of >= 15)))
            continue;
        buf_reset(&b);
        buf_printf(&b, "%s ", m->inds[x->ind].name);
        rank_phrase(&b, x, buf_str(&peers), x->rank > 3);
        add_item(items, &b);
    }
    add_list(paras, tr("Xếp hạng:", "Rankings:"), items);
    buf_free(&b);
    buf_free(&peers);
}

/* "So với năm 2021" / "So với cùng kỳ năm 2022" / "So với nhiệm kỳ 2015–2020". */
static void against_last(const model *m, period_t p, buf *b)
{
    period_t q = period_prev_year(p);
    if (p.kind == P_YEAR || p.kind == P_RANGE) {
        report_period_text(m, q, b);
    } else if (en()) {
        buf_adds(b, "the same period of ");
        report_period_text(m, q, b);
    } else {
        buf_printf(b, "cùng kỳ năm %d", q.y);
    }
}

/* 4. Against the same period last year: the largest moves, good news and bad apart. */
static void changes(const model *m, period_t p, const eval_result *r, keyed *pick, json_t *paras)
{
    int np = 0;
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        if (x->has_prev && x->has_actual)
            pick[np++] = (keyed){ x, x->has_change_pct ? fabs(x->change_pct) : 0 };
    }
    qsort(pick, (size_t)np, sizeof *pick, cmp_key_desc);
    json_t *items[2] = { json_array(), json_array() };
    buf b = BUF_INIT, lead = BUF_INIT;
    for (int i = 0; i < np; i++) {
        const eval_row *x = pick[i].x;
        const ind_t *d = &m->inds[x->ind];
        buf_reset(&b);
        buf_printf(&b, "%s ", d->name);
        int j = report_change_phrase(&b, kind_of(m, x), d->dir, d->decimals, d->measure, x->prev, x->actual);
        if ((j == 1 || j == -1) && json_array_size(items[j < 0]) < 5)
            add_item(items[j < 0], &b);
    }
    buf_adds(&lead, tr("So với ", "Compared with "));
    against_last(m, p, &lead);
    buf_adds(&lead, tr(", các chỉ tiêu có chuyển biến tích cực:", ", improved:"));
    add_list(paras, buf_str(&lead), items[0]);
    buf_reset(&lead);
    buf_adds(&lead, tr("Một số chỉ tiêu kém hơn ", "Worse than in "));
    against_last(m, p, &lead);
    buf_addc(&lead, ':');
    add_list(paras, buf_str(&lead), items[1]);
    buf_free(&b);
    buf_free(&lead);
}

/* 5. Against the unit above, for rates (not sums, where a part is always below the whole). */
static void against_parent(const model *m, int unit, const eval_result *r, json_t *paras)
{
    int par = m->units[unit].parent;
    if (par < 0)
        return;
    buf b = BUF_INIT, level = BUF_INIT;
    json_t *items = json_array();
    level_noun(&m->units[par], &level);
    for (int i = 0; i < r->nrows && json_array_size(items) < 5; i++) {
        const eval_row *x = &r->rows[i];
        const ind_t *d = &m->inds[x->ind];
        if (!x->has_parent || !x->has_actual || x->partial || (d->uagg == AGG_SUM && !d->f) ||
            (d->dir != DIR_UP && d->dir != DIR_DOWN))
            continue;
        if (!(d->dir == DIR_UP ? x->actual > x->parent_value : x->actual < x->parent_value))
            continue;
        int kind = kind_of(m, x);
        buf_reset(&b);
        buf_printf(&b, "%s ", d->name);
        value_text(&b, kind, d->decimals, d->measure, x->actual);
        buf_printf(&b, tr(", %s mức chung của %s (", ", %s the figure for %s ("),
                   (kind == MK_RANK ? d->dir != DIR_DOWN : d->dir == DIR_UP) ? tr("cao hơn", "above")
                                                                           : tr("thấp hơn", "below"),
                   buf_str(&level));
        value_text(&b, kind, d->decimals, d->measure, x->parent_value);
        buf_addc(&b, ')');
        add_item(items, &b);
    }
    add_list(paras, tr("So với cấp trên:", "Against the level above:"), items);
    buf_free(&b);
    buf_free(&level);
}

/* 6. A part of the year against the year's targets: totals as a share of the year's target,
 * levels (rates, averages, last figures) beside it. */
static void progress(const model *m, period_t p, const eval_result *r, json_t *paras)
{
    buf b = BUF_INIT, lead = BUF_INIT;
    json_t *items = json_array();
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        const ind_t *d = &m->inds[x->ind];
        if (!x->has_annual || !x->has_actual || x->partial)
            continue;
        buf_reset(&b);
        buf_printf(&b, "%s ", d->name);
        int kind = kind_of(m, x);
        if (x->has_annual == 1 && d->pagg == AGG_SUM && kind == MK_PLAIN) {
            buf_adds(&b, tr("đạt ", "reached "));
            report_num(&b, x->annual_pct, 2);
            buf_adds(&b, tr("% kế hoạch năm", "% of the year's target"));
        } else {
            buf_adds(&b, d->dir == DIR_DOWN ? tr("còn ", "at ") : tr("đạt ", "at "));
            value_text(&b, kind, d->decimals, d->measure, x->actual);
            buf_adds(&b, tr(" (kế hoạch năm ", " (year's target "));
            value_text(&b, kind, d->decimals, d->measure, x->annual_target);
            buf_addc(&b, ')');
        }
        add_item(items, &b);
    }
    buf_printf(&lead, tr("Tiến độ so với kế hoạch năm %d:", "Progress towards the targets for %d:"),
               period_year_of(p).y);
    add_list(paras, buf_str(&lead), items);
    buf_free(&b);
    buf_free(&lead);
}

/* 7. How many targets were missed (listed under the shortcomings), which have no data, and the
 * partial roll-ups (main indicators), whose totals are never stated as the unit's result. */
static void closing(const model *m, const eval_result *r, json_t *paras)
{
    buf b = BUF_INIT;
    int notmet = 0;
    for (int i = 0; i < r->nrows; i++)
        notmet += r->rows[i].status == ST_NOTMET && m->inds[r->rows[i].ind].parent < 0;
    if (notmet && en())
        buf_printf(&b, "%d %s not met (listed under the shortcomings).", notmet,
                   report_plural(notmet, "target was", "targets were"));
    else if (notmet)
        buf_printf(&b, "Còn %d chỉ tiêu chưa đạt kế hoạch (nêu tại phần hạn chế).", notmet);
    else if (judged(&r->all))
        buf_adds(&b, tr("Không có chỉ tiêu nào chưa đạt.", "No target was missed."));
    if (b.len)
        json_array_append_new(paras, json_string(buf_str(&b)));
    json_t *nodata = json_array(), *partial = json_array();
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        if (m->inds[x->ind].parent >= 0)
            continue;
        buf_reset(&b);
        buf_adds(&b, m->inds[x->ind].name);
        if (x->partial) {
            buf_adds(&b, " (");
            eval_cov_text(x, &b);
            buf_addc(&b, ')');
            add_item(partial, &b);
        } else if (x->status == ST_NODATA) {
            add_item(nodata, &b);
        }
    }
    add_list(paras, tr("Chưa có số liệu:", "No data yet:"), nodata);
    add_list(paras, tr("Chưa đủ số liệu:", "Incomplete data:"), partial);
    buf_free(&b);
}

json_t *report_summary_json(const model *m, int unit, period_t p, const eval_result *r)
{
    json_t *paras = json_array();
    keyed *pick = calloc((size_t)r->nrows + 1, sizeof *pick);
    if (pick == NULL || paras == NULL) {
        free(pick);
        return paras;
    }
    headline(m, unit, p, r, paras);
    highlights(m, unit, p, r, pick, paras);
    ranks(m, unit, p, r, paras);
    changes(m, p, r, pick, paras);
    against_parent(m, unit, r, paras);
    progress(m, p, r, paras);
    closing(m, r, paras);
    free(pick);
    return paras;
}

/* ---- the review's closing parts ----------------------------------------------------------- */

static json_t *review_part(const char *key, const char *title, json_t *paras, const char *placeholder)
{
    return json_pack("{s:s, s:s, s:o, s:s}", "key", key, "title", title, "paragraphs", paras, "placeholder",
                     placeholder);
}

/* The shortcomings the figures show: targets not met, ranks in the bottom third. */
static json_t *shortcomings(const model *m, int unit, period_t p, const eval_result *r)
{
    json_t *paras = json_array(), *items = json_array();
    buf b = BUF_INIT, peers = BUF_INIT;
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        const ind_t *d = &m->inds[x->ind];
        if (x->status != ST_NOTMET || d->parent >= 0)
            continue;
        int kind = kind_of(m, x);
        buf_reset(&b);
        buf_printf(&b, "%s (", d->name);
        if (x->status_from_components) {
            buf_adds(&b, tr("có nhiệm vụ thành phần chưa hoàn thành", "some component tasks not done"));
        } else {
            value_text(&b, kind, d->decimals, d->measure, x->actual);
            buf_adds(&b, tr(" so với kế hoạch ", " against "));
            value_text(&b, kind, d->decimals, d->measure, x->target);
        }
        buf_addc(&b, ')');
        add_item(items, &b);
    }
    add_list(paras, tr("Các chỉ tiêu chưa đạt:", "Targets not met:"), items);
    items = json_array();
    peer_noun(m, unit, p, r->structure, &peers);
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        if (!x->rank || x->rank_of < 5 || x->rank <= x->rank_of - x->rank_of / 3)
            continue;
        buf_reset(&b);
        buf_printf(&b, "%s ", m->inds[x->ind].name);
        rank_phrase(&b, x, buf_str(&peers), 0);
        add_item(items, &b);
    }
    add_list(paras, tr("Xếp hạng thấp:", "Low rankings:"), items);
    buf_free(&b);
    buf_free(&peers);
    return paras;
}

json_t *report_review_json(const model *m, int unit, period_t p, const eval_result *r)
{
    json_t *parts = json_array();
    buf title = BUF_INIT, ph = BUF_INIT, next = BUF_INIT;
    report_next_period_text(m, p, &next);
    json_array_append_new(parts, review_part("shortcomings", tr("Hạn chế, yếu kém", "Shortcomings and limitations"),
        shortcomings(m, unit, p, r),
        tr("[Bổ sung: những hạn chế, yếu kém trong lãnh đạo, chỉ đạo và tổ chức thực hiện.]",
           "[To be written: the shortcomings in leadership, direction and implementation.]")));
    json_array_append_new(parts, review_part("causes", tr("Nguyên nhân", "Causes"), json_array(),
        tr("[Bổ sung: nguyên nhân khách quan và chủ quan của những hạn chế, yếu kém nêu trên.]",
           "[To be written: the objective and subjective causes of the shortcomings above.]")));
    json_array_append_new(parts, review_part("lessons", tr("Bài học kinh nghiệm", "Lessons learned"), json_array(),
        tr("[Bổ sung: những bài học kinh nghiệm rút ra.]", "[To be written: the lessons drawn.]")));
    buf_printf(&title, tr("Phương hướng, nhiệm vụ %s", "Directions and tasks for %s"), buf_str(&next));
    buf_printf(&ph, tr("[Bổ sung: mục tiêu, nhiệm vụ và giải pháp trọng tâm %s, trước hết với các chỉ tiêu chưa đạt.]",
                       "[To be written: the aims, tasks and main measures for %s, the targets not met first.]"),
               buf_str(&next));
    json_array_append_new(parts, review_part("directions", buf_str(&title), json_array(), buf_str(&ph)));
    buf_free(&title);
    buf_free(&ph);
    buf_free(&next);
    return parts;
}

int report_heading(const json_t *doc, const char *key, buf *out)
{
    static const char *const roman[] = { "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII" };
    const char *keys[16], *titles[16];
    int n = 0;
    keys[n] = "summary", titles[n++] = tr("Tóm tắt kết quả", "Summary");
    keys[n] = "tables", titles[n++] = tr("Kết quả thực hiện các chỉ tiêu", "Results by indicator");
    if (json_array_size(json_object_get(doc, "children")))
        keys[n] = "children", titles[n++] = tr("Xếp hạng các đơn vị trực thuộc", "Units below, ranked");
    const json_t *tk = json_object_get(doc, "tasks");
    if (tk) {
        const char *h = json_string_value(json_object_get(tk, "heading"));
        keys[n] = "tasks", titles[n++] = h ? h : "";
    }
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(doc, "review"), i, v) {
        const char *k = json_string_value(json_object_get(v, "key")), *t = json_string_value(json_object_get(v, "title"));
        if (k && t && n < 12)
            keys[n] = k, titles[n++] = t;
    }
    for (int k = 0; k < n; k++)
        if (strcmp(keys[k], key) == 0)
            return buf_printf(out, "%s. %s", roman[k], titles[k]);
    return -1;
}
