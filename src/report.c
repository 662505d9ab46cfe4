/* report.c - the review report (see report.h).
 *
 * Data flow: eval_unit() for the unit -> rows and tallies; eval_unit() for each
 * child unit -> the ranking table; the summary sentences are written from those
 * numbers into a jansson document; renderers walk the document.  All text that
 * reaches HTML goes through html_str().  Numbers are stored raw in the JSON and
 * formatted (1.234,5) only by the Markdown/HTML renderers and the sentences.
 */
#include "report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chart.h"
#include "report_text.h"
#include "html.h"
#include <sodium.h>
#include "vn.h"

int report_num(buf *out, double v, int decimals)
{
    return vn_format_number_trim(v, decimals, lang_get(), out);
}

int report_period_label(const model *m, period_t p, buf *out)
{
    char lbl[320];
    model_period_label(m, p, lang_get(), lbl, sizeof lbl);
    return buf_adds(out, lbl);
}

static const char *s_or(const char *s, const char *dflt) { return s && *s ? s : dflt; }

static const char *jstr_or(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static json_t *num_or_null(int has, double v) { return has ? json_real(v) : json_null(); }

static json_t *row_json(const model *m, const eval_row *r)
{
    const ind_t *d = &m->inds[r->ind];
    char tp[PERIOD_CODE_MAX];
    period_code(r->target_period, tp, sizeof tp);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:b}",
        "code", d->code, "name", d->name, "group", d->group, "set", d->set,
        "measure", d->measure, "direction", model_dir_name(d->dir), "decimals", d->decimals,
        "status", eval_status_key(r->status), "component", d->parent >= 0);
    /* a part of the year judged against the year's target: no figure yet, or under way */
    const char *label = eval_row_status_name(r);
    if (r->has_annual && !r->has_target && !r->partial)
        label = r->has_actual ? tr("đang thực hiện", "under way") : tr("chưa có số liệu", "no data yet");
    json_object_set_new(o, "status_label", json_string(label));
    if (r->partial) {                    /* coverage: docs/formats.md */
        buf cov = BUF_INIT;
        eval_cov_text(r, &cov);
        json_object_set_new(o, "partial", json_true());
        json_object_set_new(o, "withheld", json_boolean(r->withheld));
        json_object_set_new(o, "coverage", json_pack("{s:i, s:i, s:i, s:s}", "expected_units", r->expected_children,
                                                     "reported_units", r->reported_children, "partial_units",
                                                     r->partial_children, "text", buf_str(&cov)));
        buf_free(&cov);
    }
    json_object_set_new(o, "actual", num_or_null(r->has_actual, r->actual));
    if (r->too_large)                 /* beyond ±9×10^14: no number (eval.h) */
        json_object_set_new(o, "too_large", json_true());
    static const char *const srcs[] = { "none", "reported", "formula", "units", "periods" };
    json_object_set_new(o, "source", json_string(srcs[r->source]));
    if (r->missing_children)
        json_object_set_new(o, "missing_children", json_integer(r->missing_children));
    if (r->converted)
        json_object_set_new(o, "converted", json_true());
    if (r->prev_converted)
        json_object_set_new(o, "previous_converted", json_true());
    json_object_set_new(o, "target", num_or_null(r->has_target, r->target));
    if (r->has_target && !period_eq(r->target_period, (period_t){ 0 }))
        json_object_set_new(o, "target_period", json_string(tp));
    json_object_set_new(o, "pct_of_target", num_or_null(r->has_pct, r->pct));
    if (r->has_annual) {
        char ap[PERIOD_CODE_MAX];
        period_code(r->annual_period, ap, sizeof ap);
        json_object_set_new(o, "annual_target", json_real(r->annual_target));
        json_object_set_new(o, "annual_period", json_string(ap));
        json_object_set_new(o, "pct_of_annual_target", num_or_null(r->has_annual == 1 && r->has_actual, r->annual_pct));
    }
    json_object_set_new(o, "previous", num_or_null(r->has_prev, r->prev));
    json_object_set_new(o, "change", num_or_null(r->has_prev, r->change));
    json_object_set_new(o, "change_pct", num_or_null(r->has_change_pct, r->change_pct));
    json_object_set_new(o, "parent_value", num_or_null(r->has_parent, r->parent_value));
    json_object_set_new(o, "rank", r->rank ? json_integer(r->rank) : json_null());
    json_object_set_new(o, "rank_of", r->rank ? json_integer(r->rank_of) : json_null());
    json_object_set_new(o, "rank_peers", r->rank ? json_integer(r->rank_peers) : json_null());
    if (r->comment)
        json_object_set_new(o, "comment", json_string(r->comment));
    return o;
}

json_t *report_rows_json(const model *m, const eval_result *r)
{
    json_t *a = json_array();
    for (int i = 0; i < r->nrows; i++)
        json_array_append_new(a, row_json(m, &r->rows[i]));
    return a;
}

static json_t *tally_json(const char *name, const eval_tally *t)
{
    json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "total", t->total,
                          "met_or_exceeded", t->met + t->exceeded, "exceeded", t->exceeded,
                          "met", t->met, "not_met", t->notmet, "no_data", t->nodata);
    if (t->partial)                      /* of no_data: partial roll-ups, not judged */
        json_object_set_new(o, "incomplete", json_integer(t->partial));
    if (name)
        json_object_set_new(o, "name", json_string(name));
    return o;
}

typedef struct ranked_child {
    int unit;
    const char *name;
    eval_tally t;
    double share;
} ranked_child;

static int cmp_child(const void *a, const void *b)
{
    const ranked_child *x = a, *y = b;
    if (x->share != y->share)
        return x->share > y->share ? -1 : 1;
    if (x->t.exceeded != y->t.exceeded)
        return y->t.exceeded - x->t.exceeded;
    return vn_collate(x->name, y->name);
}

static json_t *children_json(const model *m, int unit, period_t p, int structure, err_t *e)
{
    const unit_t *u = &m->units[unit];
    ranked_child *kids = calloc((size_t)u->nchildren + 1, sizeof *kids);
    json_t *arr = json_array();
    int n = 0;
    if (kids == NULL || arr == NULL)
        goto oom;
    for (int c = u->first_child; c >= 0; c = m->units[c].next_sibling) {
        if (!eval_unit_in_structure(m, c, p, structure))
            continue;
        eval_result r;
        if (eval_unit_on(m, c, p, structure, &r, e) != 0)
            goto fail;
        if (r.all.total > 0) { /* a unit with no targets has nothing to be ranked on */
            kids[n].unit = c;
            kids[n].name = m->units[c].name;
            kids[n].t = r.all;
            kids[n].share = (double)(r.all.met + r.all.exceeded) / r.all.total;
            n++;
        }
        eval_result_free(&r);
    }
    qsort(kids, (size_t)n, sizeof *kids, cmp_child);
    int rank = 0;
    for (int i = 0; i < n; i++) {
        if (i == 0 || kids[i].share != kids[i - 1].share || kids[i].t.exceeded != kids[i - 1].t.exceeded)
            rank = i + 1; /* equal results share a rank */
        const unit_t *c = &m->units[kids[i].unit];
        json_t *o = tally_json(NULL, &kids[i].t);
        json_object_set_new(o, "code", json_string(c->code));
        json_object_set_new(o, "name", json_string(c->name));
        json_object_set_new(o, "rank", json_integer(rank));
        json_object_set_new(o, "share_pct", json_real(kids[i].share * 100));
        json_array_append_new(arr, o);
    }
    free(kids);
    return arr;
oom:
    err_set(e, "out of memory");
fail:
    free(kids);
    json_decref(arr);
    return NULL;
}

int report_build(const model *m, int unit, period_t p, json_t **out, err_t *e)
{
    return report_build_on(m, unit, p, EVAL_AUTO, out, e);
}

int report_build_on(const model *m, int unit, period_t p, int structure, json_t **out, err_t *e)
{
    eval_result r;
    json_t *doc = NULL;
    buf lbl = BUF_INIT;
    char code[PERIOD_CODE_MAX];
    if (structure == EVAL_AUTO)       /* one structure for the whole report, trend included */
        structure = eval_structure_of(m, p);
    if (eval_unit_on(m, unit, p, structure, &r, e) != 0)
        return -1;
    const unit_t *u = &m->units[unit];
    period_code(p, code, sizeof code);
    report_period_label(m, p, &lbl);
    doc = json_object();
    json_object_set_new(doc, "unit", json_pack("{s:s, s:s, s:s}", "code", u->code, "name", u->name,
                                               "type", u->type));
    json_object_set_new(doc, "parent", u->parent >= 0
        ? json_pack("{s:s, s:s}", "code", m->units[u->parent].code, "name", m->units[u->parent].name)
        : json_null());
    buf title = BUF_INIT, text = BUF_INIT;
    report_period_text(m, p, &text);
    json_object_set_new(doc, "period", json_pack("{s:s, s:s, s:s}", "code", code, "label", buf_str(&lbl), "text",
                                                 buf_str(&text)));
    buf_printf(&title, tr("Báo cáo kết quả thực hiện các chỉ tiêu %s", "Report on the targets for %s"),
               buf_str(&text));
    buf_free(&text);
    json_object_set_new(doc, "title", json_string(buf_str(&title)));
    buf_free(&title);
    json_object_set_new(doc, "language", json_string(lang_get() == LANG_EN ? "en" : "vi"));
    if (m->nsuccs) {
        json_object_set_new(doc, "structure", json_string(r.structure == EVAL_CURRENT ? "current" : "historical"));
        json_object_set_new(doc, "structure_note", json_string(r.structure == EVAL_CURRENT
            ? tr("Số liệu theo cơ cấu đơn vị hiện nay; số có dấu * được quy đổi từ số liệu của đơn vị tiền thân theo tỷ lệ kế thừa.",
                 "Figures on today's structure of units; those marked * are converted from the predecessors' figures by their shares.")
            : tr("Số liệu theo cơ cấu đơn vị của thời kỳ báo cáo.", "Figures on the structure of units of the period.")));
    }
    json_object_set_new(doc, "summary", report_summary_json(m, unit, p, &r));
    json_object_set_new(doc, "review", report_review_json(m, unit, p, &r));

    json_t *tallies = json_object();
    json_object_set_new(tallies, "overall", tally_json(NULL, &r.all));
    json_t *sets = json_array(), *groups = json_array();
    for (int i = 0; i < r.nsets; i++)
        json_array_append_new(sets, tally_json(r.sets[i].name, &r.sets[i].t));
    for (int i = 0; i < r.ngroups; i++)
        json_array_append_new(groups, tally_json(r.groups[i].name, &r.groups[i].t));
    json_object_set_new(tallies, "sets", sets);
    json_object_set_new(tallies, "groups", groups);
    json_t *comps = tally_json(NULL, &r.comps);
    json_object_set_new(comps, "main_targets", json_integer(r.comp_parents));
    json_object_set_new(tallies, "components", comps);
    json_object_set_new(doc, "tallies", tallies);

    /* Tables per group, groups in first-seen order. */
    json_t *tables = json_array();
    int marked_partial = 0;
    for (int g = 0; g < r.ngroups; g++) {
        json_t *rows = json_array();
        for (int i = 0; i < r.nrows; i++) {
            const ind_t *d = &m->inds[r.rows[i].ind];
            const ind_t *main = d->parent >= 0 ? &m->inds[d->parent] : d;
            if (strcmp(main->group, r.groups[g].name) != 0)
                continue;
            json_t *row = row_json(m, &r.rows[i]);
            marked_partial |= report_row_partial_shown(row);
            json_array_append_new(rows, row);
        }
        json_array_append_new(tables, json_pack("{s:s, s:o}", "group",
                                                s_or(r.groups[g].name, tr("Khác", "Other")), "rows", rows));
    }
    json_object_set_new(doc, "tables", tables);
    if (marked_partial)                  /* the legend of the mark on a partial total */
        json_object_set_new(doc, "partial_note", json_string(tr(
            "Số có dấu " REPORT_PARTIAL_MARK " mới tổng hợp từ các đơn vị đã có số liệu, chưa đủ mọi đơn vị "
            "(xem cột Đánh giá), nên chưa được đánh giá, xếp hạng.",
            "Figures marked " REPORT_PARTIAL_MARK " are rolled up from the units that have reported so far, not from "
            "every unit (see the Status column), so they are not judged or ranked.")));
    /* Trend: the share of targets met or exceeded in this and the four earlier periods. */
    json_t *trend = json_array();
    if (p.kind != P_RANGE) {
        period_t ps[5];
        ps[4] = p;
        for (int k = 3; k >= 0; k--)
            ps[k] = period_prev_year(ps[k + 1]);
        for (int k = 0; k < 5; k++) {
            eval_result tr_r;
            char pc[PERIOD_CODE_MAX];
            if (ps[k].kind == P_NONE || eval_unit_on(m, unit, ps[k], structure, &tr_r, e) != 0)
                continue;
            if (tr_r.all.total > 0) {
                period_code(ps[k], pc, sizeof pc);
                json_array_append_new(trend, json_pack("{s:s, s:i, s:i, s:f}", "period", pc,
                    "total", tr_r.all.total, "met_or_exceeded", tr_r.all.met + tr_r.all.exceeded,
                    "share_pct", 100.0 * (tr_r.all.met + tr_r.all.exceeded) / tr_r.all.total));
            }
            eval_result_free(&tr_r);
        }
    }
    json_object_set_new(doc, "trend", trend);
    json_t *kids = children_json(m, unit, p, structure, e);
    if (kids == NULL) {
        json_decref(doc);
        doc = NULL;
    } else {
        json_object_set_new(doc, "children", kids);
    }
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char iso[16];
    strftime(iso, sizeof iso, "%Y-%m-%d", &tm);
    if (doc)
        json_object_set_new(doc, "generated_on", json_string(iso));
    eval_result_free(&r);
    buf_free(&lbl);
    *out = doc;
    return doc ? 0 : -1;
}

/* ---- charts ------------------------------------------------------------------------- */

int report_chart(const json_t *doc, int which, buf *png, int *height, err_t *e)
{
    const json_t *arr = json_object_get(doc, which == 0 ? "children" : "trend");
    size_t n = json_array_size(arr);
    if (n < (which == 0 ? 2u : 3u) || n > 200)    /* a trend needs three points at least */
        return 0;
    const char **labels = calloc(n, sizeof *labels);
    double *vals = calloc(n, sizeof *vals);
    int rc = -1;
    if (labels == NULL || vals == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *o = json_array_get(arr, i);
        labels[i] = jstr_or(o, which == 0 ? "name" : "period");
        vals[i] = json_number_value(json_object_get(o, "share_pct"));
    }
    if (which == 0)
        rc = chart_bars(tr("Tỷ lệ chỉ tiêu đạt và vượt của các đơn vị trực thuộc",
                           "Share of targets met or exceeded, units below"), labels, vals, (int)n, 1,
                        png, height, e);
    else
        rc = chart_line(tr("Tỷ lệ chỉ tiêu đạt và vượt qua các kỳ", "Share of targets met or exceeded over time"),
                        labels, vals, (int)n, 1, png, height, e);
    rc = rc == 0 ? 1 : -1;
cleanup:
    free(labels);
    free(vals);
    return rc;
}

/* ---- renderers ---------------------------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Appends a JSON number field formatted, or "–" when null. */
static void jnum(buf *b, const json_t *o, const char *k, int decimals, const char *suffix)
{
    const json_t *v = json_object_get(o, k);
    if (!json_is_number(v)) {
        buf_adds(b, "–");
        return;
    }
    report_num(b, json_number_value(v), decimals);
    buf_adds(b, suffix);
}

static void rank_text(buf *b, const json_t *row)
{
    const json_t *rk = json_object_get(row, "rank");
    long long of = json_integer_value(json_object_get(row, "rank_of"));
    long long peers = json_integer_value(json_object_get(row, "rank_peers"));
    if (json_is_integer(rk)) {
        buf_printf(b, "%lld/%lld", (long long)json_integer_value(rk), of);
        if (peers > of)          /* ranked among the siblings with a figure only: say how many */
            buf_printf(b, tr(" (%lld/%lld đơn vị có số liệu)", " (%lld of %lld with figures)"), of, peers);
    } else
        buf_adds(b, "–");
}

static int row_dir(const json_t *row)
{
    const char *d = jstr(row, "direction");
    return strcmp(d, "down") == 0 ? DIR_DOWN : strcmp(d, "up") == 0 ? DIR_UP : DIR_EQUAL;
}

static int row_kind(const json_t *row)
{
    return report_measure_kind(jstr(row, "measure"), row_dir(row), (int)json_integer_value(json_object_get(row, "decimals")));
}

int report_change_text(const json_t *row, buf *b)
{
    const json_t *prev = json_object_get(row, "previous"), *act = json_object_get(row, "actual");
    if (!json_is_number(prev) || !json_is_number(act)) {
        buf_adds(b, "–");
        return 2;
    }
    return report_change_cell(b, row_kind(row), row_dir(row), (int)json_integer_value(json_object_get(row, "decimals")),
                              json_number_value(prev), json_number_value(act));
}

void report_target_text(const json_t *row, buf *b)
{
    int dec = (int)json_integer_value(json_object_get(row, "decimals"));
    if (json_object_get(row, "annual_target") && !json_is_number(json_object_get(row, "target"))) {
        jnum(b, row, "annual_target", dec, "");
        buf_adds(b, tr(" (năm)", " (year)"));
    } else {
        jnum(b, row, "target", dec, "");
    }
}

const char *const report_note_keys[2] = { "structure_note", "partial_note" };

int report_row_partial_shown(const json_t *row)
{
    return json_is_true(json_object_get(row, "partial")) && !json_is_true(json_object_get(row, "withheld"));
}

void report_pct_text(const json_t *row, buf *b)
{
    const json_t *pct = json_object_get(row, "pct_of_target");
    if (json_is_number(pct)) {
        report_pct_cell(b, row_kind(row), row_dir(row), (int)json_integer_value(json_object_get(row, "decimals")),
                        json_number_value(json_object_get(row, "actual")),
                        json_number_value(json_object_get(row, "target")));
    } else if (json_is_number(json_object_get(row, "pct_of_annual_target"))) {
        jnum(b, row, "pct_of_annual_target", 2, "%");
        buf_adds(b, tr(" KH năm", " of year"));
    } else {
        buf_adds(b, "–");
    }
}

/* The cells of one table row as text (shared by md and html). */
enum { COLS = 9 };
static void row_cells(const json_t *row, buf cell[COLS])
{
    int dec = (int)json_integer_value(json_object_get(row, "decimals"));
    for (int i = 0; i < COLS; i++)
        buf_reset(&cell[i]);
    if (json_is_true(json_object_get(row, "component")))
        buf_adds(&cell[0], "– ");
    buf_adds(&cell[0], jstr(row, "name"));
    buf_adds(&cell[1], jstr(row, "measure"));
    report_target_text(row, &cell[2]);
    jnum(&cell[3], row, "actual", dec, json_is_true(json_object_get(row, "converted")) ? "*" : "");
    const json_t *cov = json_object_get(row, "coverage");
    if (report_row_partial_shown(row))
        buf_adds(&cell[3], REPORT_PARTIAL_MARK);      /* a partial total: see the status cell */
    report_pct_text(row, &cell[4]);
    buf_adds(&cell[5], jstr(row, "status_label"));
    if (cov)
        buf_printf(&cell[5], " (%s)", jstr(cov, "text"));
    rank_text(&cell[6], row);
    report_change_text(row, &cell[7]);
    if (json_is_true(json_object_get(row, "previous_converted")) && json_is_number(json_object_get(row, "previous")))
        buf_addc(&cell[7], '*');
    jnum(&cell[8], row, "parent_value", dec, "");
}

static const char *col_title(int i)
{
    switch (i) {
    case 0: return tr("Chỉ tiêu", "Indicator");
    case 1: return tr("ĐVT", "Unit");
    case 2: return tr("Kế hoạch", "Target");
    case 3: return tr("Thực hiện", "Actual");
    case 4: return tr("% KH", "% of target");
    case 5: return tr("Đánh giá", "Status");
    case 6: return tr("Xếp hạng", "Rank");
    case 7: return tr("So cùng kỳ", "vs last year");
    default: return tr("Cấp trên", "Parent");
    }
}

/* "Bản dự thảo do chitieu lập ngày 22/11/2026." from the document's ISO generated_on. */
static void foot_line(const json_t *doc, buf *out)
{
    buf_printf(out, "%s ", tr("Bản dự thảo do chitieu lập ngày", "Draft generated by chitieu on"));
    int ymd;
    const char *g = jstr(doc, "generated_on");
    if (vn_parse_iso_date(g, strlen(g), &ymd) == 0)
        vn_format_date(ymd, lang_get(), out);
    buf_addc(out, '.');
}

/* The period under the title: its label ("Năm 2022"); in English its running text ("2022",
 * "H1 2023"), as "Year 2022" reads like a form. */
static void sub_label(const json_t *doc, buf *out)
{
    const json_t *per = json_object_get(doc, "period");
    const char *s = jstr(per, strcmp(jstr(doc, "language"), "en") == 0 ? "text" : "label");
    if (*s >= 'a' && *s <= 'z')
        buf_addc(out, (char)(*s - 'a' + 'A'));     /* "The first years of the 2020–2025 term" */
    buf_adds(out, *s >= 'a' && *s <= 'z' ? s + 1 : s);
}


/* Appends s so that a Markdown viewer shows it as the text it is: every character CommonMark or
 * GitHub's tables would read as markup (emphasis, code, links and images, raw HTML and entities,
 * strikethrough, table cells) is backslash-escaped, as is what would start a heading, quote or
 * list at the start of a line; line breaks become spaces. */
static void md_escape(buf *b, const char *s)
{
    size_t lead = strspn(s, "0123456789");
    for (const char *p = s; *p; p++) {
        int first = p == s;
        if (strchr("\\`*_[]<>|~&#", *p) ||
            (first && (*p == '-' || *p == '+' || *p == '=') && (p[1] == ' ' || p[1] == '\0' || p[1] == *p)) ||
            (lead && p == s + lead && (*p == '.' || *p == ')') && (p[1] == ' ' || p[1] == '\0')))
            buf_addc(b, '\\');
        buf_addc(b, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
}

/* Appends text whose lines may be "- " bullets (the report's long lists): each line escaped as
 * md_escape does, the bullets kept as Markdown list items. */
static void md_lines(buf *b, const char *s)
{
    while (*s) {
        size_t len = strcspn(s, "\n");
        buf line = BUF_INIT;
        int bullet = len >= 2 && s[0] == '-' && s[1] == ' ';
        buf_add(&line, s + (bullet ? 2 : 0), len - (bullet ? 2 : 0));
        if (bullet)
            buf_adds(b, "- ");
        md_escape(b, buf_str(&line));
        buf_free(&line);
        s += len;
        if (*s == '\n') {
            buf_addc(b, '\n');
            s++;
        }
    }
}

static void md_heading(const json_t *doc, const char *key, buf *out)
{
    buf_adds(out, "## ");
    report_heading(doc, key, out);
    buf_adds(out, "\n\n");
}

static void render_md(const json_t *doc, buf *out)
{
    buf cell[COLS];
    for (int i = 0; i < COLS; i++)
        buf_init(&cell[i], 0);
    const json_t *unit = json_object_get(doc, "unit");
    buf_adds(out, "# ");
    md_escape(out, jstr(doc, "title"));
    buf_adds(out, "\n\n**");
    md_escape(out, jstr(unit, "name"));
    buf_adds(out, "** — ");
    buf label = BUF_INIT;
    sub_label(doc, &label);
    md_escape(out, buf_str(&label));
    buf_free(&label);
    buf_adds(out, "\n\n");
    for (int k = 0; k < 2; k++)
        if (json_object_get(doc, report_note_keys[k])) {
            buf_addc(out, '_');
            md_escape(out, jstr(doc, report_note_keys[k]));
            buf_adds(out, "_\n\n");
        }
    md_heading(doc, "summary", out);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(doc, "summary"), i, v) {
        md_lines(out, json_string_value(v));
        buf_adds(out, "\n\n");
    }
    md_heading(doc, "tables", out);
    const json_t *tbl;
    size_t ti;
    json_array_foreach(json_object_get(doc, "tables"), ti, tbl) {
        buf_printf(out, "### %zu. ", ti + 1);
        md_escape(out, jstr(tbl, "group"));
        buf_adds(out, "\n\n|");
        for (int c = 0; c < COLS; c++)
            buf_printf(out, " %s |", col_title(c));
        buf_adds(out, "\n|");
        for (int c = 0; c < COLS; c++)
            buf_adds(out, c == 0 || c == 1 || c == 5 ? "---|" : "---:|");
        buf_addc(out, '\n');
        const json_t *row;
        size_t ri;
        json_array_foreach(json_object_get(tbl, "rows"), ri, row) {
            row_cells(row, cell);
            buf_addc(out, '|');
            for (int c = 0; c < COLS; c++) {
                buf_addc(out, ' ');
                md_escape(out, buf_str(&cell[c]));
                buf_adds(out, " |");
            }
            buf_addc(out, '\n');
        }
        buf_addc(out, '\n');
    }
    const json_t *kids = json_object_get(doc, "children");
    if (json_array_size(kids)) {
        md_heading(doc, "children", out);
        buf_printf(out, "| %s | %s | %s | %s | %s | %s |\n|---:|---|---:|---:|---:|---:|\n",
                   tr("Hạng", "Rank"), tr("Đơn vị", "Unit"), tr("Đạt và vượt", "Met or exceeded"),
                   tr("Vượt", "Exceeded"), tr("Không đạt", "Not met"), tr("Tỷ lệ", "Share"));
        json_array_foreach(kids, i, v) {
            buf_printf(out, "| %lld | ", (long long)json_integer_value(json_object_get(v, "rank")));
            md_escape(out, jstr(v, "name"));
            buf_printf(out, " | %lld/%lld | %lld | %lld | ",
                       (long long)json_integer_value(json_object_get(v, "met_or_exceeded")),
                       (long long)json_integer_value(json_object_get(v, "total")),
                       (long long)json_integer_value(json_object_get(v, "exceeded")),
                       (long long)json_integer_value(json_object_get(v, "not_met")));
            jnum(out, v, "share_pct", 2, "%");
            buf_adds(out, " |\n");
        }
        buf_addc(out, '\n');
    }
    const json_t *tk = json_object_get(doc, "tasks");
    if (tk) {
        md_heading(doc, "tasks", out);
        json_array_foreach(json_object_get(tk, "sentences"), i, v) {
            md_lines(out, json_string_value(v));
            buf_adds(out, "\n\n");
        }
        if (json_array_size(json_object_get(tk, "programmes"))) {
            buf_printf(out, "| %s | %s | %s | %s |\n|---|---:|---:|---:|\n", tr("Chương trình", "Programme"),
                       tr("Hoàn thành", "Completed"), tr("Tỷ lệ", "Share"), tr("Quá hạn", "Overdue"));
            json_array_foreach(json_object_get(tk, "programmes"), i, v) {
                buf_adds(out, "| ");
                md_escape(out, jstr(v, "title"));
                buf_printf(out, " | %lld/%lld | ", (long long)json_integer_value(json_object_get(v, "done")),
                           (long long)json_integer_value(json_object_get(v, "total")));
                jnum(out, v, "pct", 2, "%");
                buf_printf(out, " | %lld |\n", (long long)json_integer_value(json_object_get(v, "overdue")));
            }
            buf_addc(out, '\n');
        }
        json_array_foreach(json_object_get(tk, "overdue"), i, v) {
            buf_printf(out, "%s ", tr("Nhiệm vụ quá hạn của", "Overdue tasks of"));
            md_escape(out, jstr(v, "unit"));
            buf_adds(out, ":\n\n");
            size_t j;
            json_t *t;
            json_array_foreach(json_object_get(v, "tasks"), j, t) {
                buf_adds(out, "- ");
                md_escape(out, jstr(t, "title"));
                buf_printf(out, " (%s %s, %lld%%)\n", tr("hạn", "due"), jstr(t, "due"),
                           (long long)json_integer_value(json_object_get(t, "progress")));
            }
            buf_addc(out, '\n');
        }
    }
    json_array_foreach(json_object_get(doc, "review"), i, v) {
        md_heading(doc, jstr(v, "key"), out);
        size_t j;
        const json_t *para;
        json_array_foreach(json_object_get(v, "paragraphs"), j, para) {
            md_lines(out, json_string_value(para));
            buf_adds(out, "\n\n");
        }
        buf_adds(out, "_");
        md_escape(out, jstr(v, "placeholder"));
        buf_adds(out, "_\n\n");
    }
    buf_adds(out, "_");
    foot_line(doc, out);
    buf_adds(out, "_\n");
    for (int c = 0; c < COLS; c++)
        buf_free(&cell[c]);
}

static const char html_css[] =
    "@page{size:A4;margin:20mm 15mm 20mm 30mm}"
    "body{font-family:'Times New Roman',Times,serif;font-size:13pt;line-height:1.35;color:#000;"
    "max-width:180mm;margin:0 auto;padding:8mm}"
    "h1{font-size:15pt;text-align:center;text-transform:uppercase;margin:0 0 4pt}"
    ".sub{text-align:center;font-weight:bold;margin-bottom:12pt}"
    "h2{font-size:13pt;text-transform:uppercase;margin:14pt 0 6pt}h3{font-size:13pt;margin:10pt 0 4pt}"
    "p{text-align:justify;margin:0 0 6pt;text-indent:1cm}"
    "table{border-collapse:collapse;width:100%;font-size:10.5pt;margin-bottom:8pt}"
    "th,td{border:1px solid #444;padding:2pt 4pt;vertical-align:top}th{background:#eee}"
    "td.n{text-align:right;white-space:nowrap}thead{display:table-header-group}tr{page-break-inside:avoid}"
    ".exceeded{color:#05612a;font-weight:bold}.met{color:#05612a}.not_met{color:#b00020;font-weight:bold}"
    ".no_data{color:#8a6d00}.no_target{color:#666}.comp td:first-child{padding-left:14pt}"
    ".better{color:#05612a}.worse{color:#b00020}ul{margin:0 0 6pt}li{text-align:justify}"
    ".placeholder{font-style:italic;background:#fff3b0;text-indent:0}"
    ".foot{font-style:italic;font-size:10pt;margin-top:14pt}.chart{text-indent:0;text-align:center}"
    "@media print{body{padding:0}}";

/* An <img> with the chart as a data: URI (base64 by libsodium); nothing when there is no chart. */
static void html_chart(const json_t *doc, int which, buf *out)
{
    buf png = BUF_INIT;
    int h;
    err_t e;
    if (report_chart(doc, which, &png, &h, &e) == 1) {
        size_t n = sodium_base64_encoded_len(png.len, sodium_base64_VARIANT_ORIGINAL);
        char *b64 = malloc(n);
        if (b64) {
            sodium_bin2base64(b64, n, (const unsigned char *)buf_str(&png), png.len,
                              sodium_base64_VARIANT_ORIGINAL);
            buf_adds(out, "<p class=\"chart\"><img alt=\"\" style=\"width:100%\" src=\"data:image/png;base64,");
            buf_adds(out, b64);
            buf_adds(out, "\"></p>\n");
            free(b64);
        }
    }
    buf_free(&png);
}

static void html_heading(const json_t *doc, const char *key, buf *out)
{
    buf h = BUF_INIT;
    report_heading(doc, key, &h);
    buf_adds(out, "<h2>");
    html_str(out, buf_str(&h));
    buf_adds(out, "</h2>\n");
    buf_free(&h);
}

/* A paragraph; one carrying "\n- item" lines becomes its lead sentence and a bullet list. */
static void html_para(buf *out, const char *text, const char *cls)
{
    const char *item = strstr(text, "\n- ");
    if (cls)
        buf_printf(out, "<p class=\"%s\">", cls);
    else
        buf_adds(out, "<p>");
    buf lead = BUF_INIT;
    buf_add(&lead, text, item ? (size_t)(item - text) : strlen(text));
    html_str(out, buf_str(&lead));
    buf_free(&lead);
    buf_adds(out, "</p>\n");
    if (item == NULL)
        return;
    buf_adds(out, "<ul>\n");
    while (item) {
        const char *start = item + 3, *next = strstr(start, "\n- ");
        buf li = BUF_INIT;
        buf_add(&li, start, next ? (size_t)(next - start) : strlen(start));
        buf_adds(out, "<li>");
        html_str(out, buf_str(&li));
        buf_adds(out, "</li>\n");
        buf_free(&li);
        item = next;
    }
    buf_adds(out, "</ul>\n");
}

/* " better" / " worse": the "so cùng kỳ" cell coloured by the indicator's direction. */
static const char *change_class(const json_t *row)
{
    buf b = BUF_INIT;
    int j = report_change_text(row, &b);
    buf_free(&b);
    return j == 1 ? " better" : j == -1 ? " worse" : "";
}

static void render_html(const json_t *doc, buf *out)
{
    buf cell[COLS];
    for (int i = 0; i < COLS; i++)
        buf_init(&cell[i], 0);
    const json_t *unit = json_object_get(doc, "unit");
    buf_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>",
               lang_get() == LANG_EN ? "en" : "vi");
    html_str(out, jstr(doc, "title"));
    buf_adds(out, " – ");
    html_str(out, jstr(unit, "name"));
    buf_printf(out, "</title><style>%s</style></head><body>\n<h1>", html_css);
    html_str(out, jstr(doc, "title"));
    buf_adds(out, "</h1><div class=\"sub\">");
    html_str(out, jstr(unit, "name"));
    buf_adds(out, " — ");
    buf sub = BUF_INIT;
    sub_label(doc, &sub);
    html_str(out, buf_str(&sub));
    buf_free(&sub);
    for (int k = 0; k < 2; k++)
        if (json_object_get(doc, report_note_keys[k])) {
            buf_adds(out, "</div><div class=\"sub\">");
            html_str(out, jstr(doc, report_note_keys[k]));
        }
    buf_adds(out, "</div>\n");
    html_heading(doc, "summary", out);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(doc, "summary"), i, v)
        html_para(out, json_string_value(v), NULL);
    html_chart(doc, 1, out);
    html_heading(doc, "tables", out);
    const json_t *tbl;
    size_t ti;
    json_array_foreach(json_object_get(doc, "tables"), ti, tbl) {
        buf_printf(out, "<h3>%zu. ", ti + 1);
        html_str(out, jstr(tbl, "group"));
        buf_adds(out, "</h3>\n<table><thead><tr>");
        for (int c = 0; c < COLS; c++) {
            buf_adds(out, "<th>");
            html_str(out, col_title(c));
            buf_adds(out, "</th>");
        }
        buf_adds(out, "</tr></thead><tbody>\n");
        const json_t *row;
        size_t ri;
        json_array_foreach(json_object_get(tbl, "rows"), ri, row) {
            row_cells(row, cell);
            buf_printf(out, "<tr%s>", json_is_true(json_object_get(row, "component")) ? " class=\"comp\"" : "");
            for (int c = 0; c < COLS; c++) {
                if (c == 5)
                    buf_printf(out, "<td class=\"%s\">", jstr(row, "status"));
                else if (c == 7)
                    buf_printf(out, "<td class=\"n%s\">", change_class(row));
                else
                    buf_adds(out, c == 0 || c == 1 ? "<td>" : "<td class=\"n\">");
                html_str(out, buf_str(&cell[c]));
                buf_adds(out, "</td>");
            }
            buf_adds(out, "</tr>\n");
        }
        buf_adds(out, "</tbody></table>\n");
    }
    const json_t *kids = json_object_get(doc, "children");
    if (json_array_size(kids)) {
        html_heading(doc, "children", out);
        buf_printf(out, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th></tr></thead><tbody>\n",
                   tr("Hạng", "Rank"), tr("Đơn vị", "Unit"), tr("Đạt và vượt", "Met or exceeded"),
                   tr("Vượt", "Exceeded"), tr("Không đạt", "Not met"), tr("Tỷ lệ", "Share"));
        json_array_foreach(kids, i, v) {
            buf_printf(out, "<tr><td class=\"n\">%lld</td><td>", (long long)json_integer_value(json_object_get(v, "rank")));
            html_str(out, jstr(v, "name"));
            buf_printf(out, "</td><td class=\"n\">%lld/%lld</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td><td class=\"n\">",
                       (long long)json_integer_value(json_object_get(v, "met_or_exceeded")),
                       (long long)json_integer_value(json_object_get(v, "total")),
                       (long long)json_integer_value(json_object_get(v, "exceeded")),
                       (long long)json_integer_value(json_object_get(v, "not_met")));
            buf_reset(&cell[0]);
            jnum(&cell[0], v, "share_pct", 2, "%");
            html_str(out, buf_str(&cell[0]));
            buf_adds(out, "</td></tr>\n");
        }
        buf_adds(out, "</tbody></table>\n");
        html_chart(doc, 0, out);
    }
    const json_t *tk = json_object_get(doc, "tasks");
    if (tk) {
        html_heading(doc, "tasks", out);
        json_array_foreach(json_object_get(tk, "sentences"), i, v) {
            buf_adds(out, "<p>");
            html_str(out, json_string_value(v));
            buf_adds(out, "</p>\n");
        }
        if (json_array_size(json_object_get(tk, "programmes"))) {
            buf_printf(out, "<table><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
                       tr("Chương trình", "Programme"), tr("Hoàn thành", "Completed"), tr("Tỷ lệ", "Share"),
                       tr("Quá hạn", "Overdue"));
            json_array_foreach(json_object_get(tk, "programmes"), i, v) {
                buf_adds(out, "<tr><td>");
                html_str(out, jstr(v, "title"));
                buf_printf(out, "</td><td class=\"n\">%lld/%lld</td><td class=\"n\">",
                           (long long)json_integer_value(json_object_get(v, "done")),
                           (long long)json_integer_value(json_object_get(v, "total")));
                buf_reset(&cell[0]);
                jnum(&cell[0], v, "pct", 2, "%");
                html_str(out, buf_str(&cell[0]));
                buf_printf(out, "</td><td class=\"n\">%lld</td></tr>\n", (long long)json_integer_value(json_object_get(v, "overdue")));
            }
            buf_adds(out, "</tbody></table>\n");
        }
        json_array_foreach(json_object_get(tk, "overdue"), i, v) {
            buf_printf(out, "<p>%s ", tr("Nhiệm vụ quá hạn của", "Overdue tasks of"));
            html_str(out, jstr(v, "unit"));
            buf_adds(out, ":</p><ul>\n");
            size_t j;
            json_t *t;
            json_array_foreach(json_object_get(v, "tasks"), j, t) {
                buf_adds(out, "<li>");
                html_str(out, jstr(t, "title"));
                buf_printf(out, " (%s ", tr("hạn", "due"));
                html_str(out, jstr(t, "due"));
                buf_printf(out, ", %lld%%)</li>\n", (long long)json_integer_value(json_object_get(t, "progress")));
            }
            buf_adds(out, "</ul>\n");
        }
    }
    json_array_foreach(json_object_get(doc, "review"), i, v) {
        html_heading(doc, jstr(v, "key"), out);
        size_t j;
        const json_t *para;
        json_array_foreach(json_object_get(v, "paragraphs"), j, para)
            html_para(out, json_string_value(para), NULL);
        html_para(out, jstr(v, "placeholder"), "placeholder");
    }
    buf buf_foot = BUF_INIT;
    foot_line(doc, &buf_foot);
    buf_adds(out, "<p class=\"foot\">");
    html_str(out, buf_str(&buf_foot));
    buf_adds(out, "</p>\n</body></html>\n");
    buf_free(&buf_foot);
    for (int c = 0; c < COLS; c++)
        buf_free(&cell[c]);
}

int report_render(const json_t *doc, const char *format, buf *out, err_t *e)
{
    if (strcmp(format, "json") == 0) {
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        if (s == NULL)
            return err_set(e, "out of memory");
        int rc = buf_adds(out, s) || buf_addc(out, '\n');
        free(s);
        return rc ? err_set(e, "out of memory") : 0;
    }
    if (strcmp(format, "md") == 0)
        render_md(doc, out);
    else if (strcmp(format, "html") == 0)
        render_html(doc, out);
    else
        return err_set(e, tr("định dạng báo cáo không hỗ trợ '%s' (cần md, html hoặc json)",
                             "unsupported report format '%s' (expected md, html or json)"), format);
    return 0;
}
