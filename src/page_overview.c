/* page_overview.c - the pages that show figures: a unit's overview for a period, one
 * indicator's page, and the PNG charts they embed.
 *
 * All numbers come from eval_unit()/eval_actual() over the shared model (read lock
 * held by the pipeline); nothing here writes.  Links only lead to units the user may
 * read: ancestors above the user's own unit are not shown.
 */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "chart_svg.h"
#include "eval.h"
#include "report.h"
#include "vn.h"

/* Appends "unit=...&period=..." for links. */
static void link_args(web_ctx *c, int u, period_t p)
{
    char code[PERIOD_CODE_MAX];
    period_code(p, code, sizeof code);
    page_printf(c, "unit=");
    page_urlarg(c, c->m->units[u].code);
    page_printf(c, "&amp;period=%s", code);
}

static void period_name(web_ctx *c, period_t p)
{
    buf b = BUF_INIT;
    report_period_label(c->m, p, &b);
    page_text(c, buf_str(&b));
    buf_free(&b);
}

/* A <select> of periods around p: terms and mid-terms, years, and the halves, nine months,
 * quarters and months of p's year. */
static void period_picker(web_ctx *c, int u, period_t p)
{
    period_t opts[64];
    int n = 0, y = p.kind == P_RANGE ? p.y2 : p.y;
    for (size_t i = 0; i < c->m->nterms && n < 8; i++) {
        period_t t = c->m->terms[i].per;
        opts[n++] = t;
        if (t.y2 - t.y >= 4)
            opts[n++] = (period_t){ P_RANGE, 0, t.y, (uint16_t)(t.y + 2) };
    }
    for (int k = y - 4; k <= y + 1 && n < 64; k++)
        opts[n++] = (period_t){ P_YEAR, 0, (uint16_t)k, (uint16_t)k };
    for (int h = 1; h <= 2; h++)
        opts[n++] = (period_t){ P_HALF, (uint8_t)h, (uint16_t)y, (uint16_t)y };
    opts[n++] = (period_t){ P_M9, 0, (uint16_t)y, (uint16_t)y };
    for (int q = 1; q <= 4; q++)
        opts[n++] = (period_t){ P_QUARTER, (uint8_t)q, (uint16_t)y, (uint16_t)y };
    for (int mo = 1; mo <= 12 && n < 64; mo++)
        opts[n++] = (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y };
    page_printf(c, "<form method=\"get\" class=\"picker\"><input type=\"hidden\" name=\"unit\" value=\"");
    page_text(c, c->m->units[u].code);
    page_printf(c, "\"><label>%s <select name=\"period\" data-autosubmit>", tr("Kỳ", "Period"));
    int seen = 0;
    for (int i = 0; i < n; i++) {
        char code[PERIOD_CODE_MAX];
        period_code(opts[i], code, sizeof code);
        int sel = period_eq(opts[i], p);
        seen |= sel;
        page_printf(c, "<option value=\"%s\"%s>", code, sel ? " selected" : "");
        period_name(c, opts[i]);
        page_printf(c, "</option>");
    }
    if (!seen) {
        char code[PERIOD_CODE_MAX];
        period_code(p, code, sizeof code);
        page_printf(c, "<option value=\"%s\" selected>", code);
        period_name(c, p);
        page_printf(c, "</option>");
    }
    page_printf(c, "</select></label> <button type=\"submit\">%s</button></form>", tr("Xem", "Show"));
}

static const char *status_class(int st)
{
    static const char *const k[] = { "st-none", "st-nodata", "st-notmet", "st-met", "st-exceeded" };
    return st >= 0 && st <= ST_EXCEEDED ? k[st] : "st-none";
}

static void tile(web_ctx *c, const char *cls, const char *label, int a, int b)
{
    page_printf(c, "<div class=\"tile %s\"><span class=\"big\">%d", cls, a);
    if (b >= 0)
        page_printf(c, "/%d", b);
    page_printf(c, "</span><span>");
    page_text(c, label);
    page_printf(c, "</span></div>");
}

static void crumbs(web_ctx *c, int u, period_t p)
{
    int chain[64], n = 0;
    for (int x = u; x >= 0 && n < 64; x = c->m->units[x].parent) {
        chain[n++] = x;
        if (x == c->uunit)
            break;
    }
    page_printf(c, "<nav class=\"crumbs\" aria-label=\"%s\">", tr("Cây đơn vị", "Unit tree"));
    for (int i = n - 1; i >= 0; i--) {
        if (i < n - 1)
            page_printf(c, " › ");
        if (i == 0)
            page_text(c, c->m->units[chain[i]].name);
        else {
            page_printf(c, "<a href=\"/overview?");
            link_args(c, chain[i], p);
            page_printf(c, "\">");
            page_text(c, c->m->units[chain[i]].name);
            page_printf(c, "</a>");
        }
    }
    page_printf(c, "</nav>");
}

/* The submission state's badge; -1 (c->e filled) if it could not be read. */
static int sub_badge(web_ctx *c, int u, period_t p)
{
    char code[PERIOD_CODE_MAX];
    web_sub sub;
    period_code(p, code, sizeof code);
    if (store_sub_get(c->s, c->m->units[u].code, code, &sub, &c->e) < 0)
        return -1;
    static const char *const cls[] = { "draft", "submitted", "approved", "returned" };
    const char *names[] = { tr("đang nhập", "draft"), tr("đã gửi, chờ duyệt", "submitted, awaiting approval"),
                            tr("đã duyệt, khóa số liệu", "approved, locked"), tr("bị trả lại", "returned") };
    page_printf(c, "<span class=\"badge %s\">%s</span>", cls[sub.state], names[sub.state]);
    return 0;
}

/* The indicator whose ranking the chart shows: ?ind= or the first with data among children. */
static int chart_ind(web_ctx *c, int u, period_t p, int st)
{
    const char *code = web_param(c, "ind");
    int i = code && *code ? model_ind_find(c->m, code) : -1;
    if (i >= 0)
        return i;
    for (size_t k = 0; k < c->m->ninds; k++)
        for (int ch = c->m->units[u].first_child; ch >= 0; ch = c->m->units[ch].next_sibling) {
            double v;
            if (c->m->inds[k].parent < 0 && eval_unit_in_structure(c->m, ch, p, st) &&
                eval_actual_on(c->m, (int)k, ch, p, st, &v, NULL))
                return (int)k;
        }
    return -1;
}

/* After a figure: a partial roll-up's mark and coverage ("† 2/30 đơn vị có số liệu"), also when
 * the figure itself is withheld ("*" is the mark of a converted figure). */
static void cov_mark(web_ctx *c, const eval_row *r)
{
    if (r == NULL || !r->partial)
        return;
    buf t = BUF_INIT;
    eval_cov_text(r, &t);
    page_printf(c, "%s<small class=\"cov\" title=\"%s\">", r->withheld ? "" : REPORT_PARTIAL_MARK,
                r->withheld ? tr("không hiện số tổng hợp chưa đủ", "partial total withheld")
                            : tr("số tổng hợp chưa đủ", "partial total"));
    page_text(c, buf_str(&t));
    page_printf(c, "</small>");
    buf_free(&t);
}

/* The "% kế hoạch" bar: an SVG (its widths are attributes, which the strict Content-Security-Policy
 * allows where it refuses inline styles), 0-150% of the target with a mark at 100%; the number
 * beside it is what is read out, so the picture is hidden from screen readers. */
static void bar(web_ctx *c, const eval_row *r)
{
    if (!r->has_pct)
        return;
    double w = r->pct < 0 ? 0 : r->pct > 150 ? 150 : r->pct;
    page_printf(c, "<svg class=\"bar\" viewBox=\"0 0 150 10\" preserveAspectRatio=\"none\" aria-hidden=\"true\" "
                   "focusable=\"false\" data-pct=\"%.1f\"><rect class=\"track\" width=\"150\" height=\"10\"/>"
                   "<rect class=\"fill %s\" width=\"%.1f\" height=\"10\"/><rect class=\"goal\" x=\"99.5\" width=\"1\" "
                   "height=\"10\"/></svg>", r->pct, status_class(r->status), w);
}

/* Words for the indicator's codes: direction and aggregations (docs/formats.md). */
static const char *dir_label(int dir)
{
    switch (dir) {
    case DIR_UP: return tr("Tăng là tốt (đạt khi thực hiện từ kế hoạch trở lên)", "Higher is better (met at or above the target)");
    case DIR_DOWN: return tr("Giảm là tốt (đạt khi thực hiện từ kế hoạch trở xuống)", "Lower is better (met at or below the target)");
    case DIR_EQUAL: return tr("Đạt khi bằng kế hoạch", "Met when equal to the target");
    case DIR_DONE: return tr("Hoàn thành hay chưa (1 = hoàn thành)", "Done or not (1 = done)");
    default: return "?";
    }
}

static const char *agg_label(int agg, int over_units)
{
    switch (agg) {
    case AGG_SUM: return tr("cộng", "sum");
    case AGG_AVG: return over_units ? tr("trung bình các đơn vị", "average of the units") : tr("trung bình các kỳ", "average of the periods");
    case AGG_MIN: return tr("nhỏ nhất", "smallest");
    case AGG_MAX: return tr("lớn nhất", "largest");
    case AGG_NONE: return tr("không tổng hợp (chỉ số liệu tự báo cáo)", "not aggregated (reported figures only)");
    case AGG_LAST: return tr("lấy số kỳ cuối", "the last period's figure");
    default: return "?";
    }
}

/* Links to the overview on the period's own structure and on today's, the one shown in bold. */
static void structure_switch(web_ctx *c, int u, period_t p, int st)
{
    page_printf(c, " <span class=\"structure\" id=\"structure\">%s ", tr("Cơ cấu đơn vị:", "Units:"));
    for (int k = EVAL_HISTORICAL; k <= EVAL_CURRENT; k++) {
        const char *label = k == EVAL_HISTORICAL ? tr("của thời kỳ", "of the period") : tr("hiện nay", "today's");
        if (k == EVAL_CURRENT)
            page_printf(c, " · ");
        if (k == st) {
            page_printf(c, "<strong>%s</strong>", label);
            continue;
        }
        page_printf(c, "<a href=\"/overview?");
        link_args(c, u, p);
        page_printf(c, "&amp;structure=%s\">%s</a>", k == EVAL_CURRENT ? "current" : "historical", label);
    }
    page_printf(c, "</span>");
}

/* The evaluation row of indicator i, or NULL. */
static const eval_row *row_of(const eval_result *r, int i)
{
    for (int j = 0; j < r->nrows; j++)
        if (r->rows[j].ind == i)
            return &r->rows[j];
    return NULL;
}

/* The five periods of the same kind ending with p (one year apart). */
static int trend_periods(period_t p, period_t *out)
{
    for (int i = 4; i >= 0; i--) {
        out[i] = p;
        p = period_prev_year(p);
    }
    return 5;
}

/* The children of u valid in p (structure st) with a full figure of indicator i, best first in
 * its direction (partial figures are not ranked, eval.h); returns how many (at most 256). */
static int units_ranked(const model *m, int u, period_t p, int st, int i, const char **labels, double *vals)
{
    int idx[256], n = 0;
    for (int ch = m->units[u].first_child; ch >= 0 && n < 256; ch = m->units[ch].next_sibling) {
        double v;
        eval_cov cov;
        if (eval_unit_in_structure(m, ch, p, st) && eval_actual_cov_on(m, i, ch, p, st, &v, &cov) && !cov.partial) {
            idx[n] = ch;
            vals[n++] = v;
        }
    }
    for (int a = 1; a < n; a++)
        for (int b = a; b > 0; b--) {
            int better = m->inds[i].dir == DIR_DOWN ? vals[b] < vals[b - 1] : vals[b] > vals[b - 1];
            if (!better)
                break;
            double tv = vals[b]; vals[b] = vals[b - 1]; vals[b - 1] = tv;
            int ti = idx[b]; idx[b] = idx[b - 1]; idx[b - 1] = ti;
        }
    for (int k = 0; k < n; k++)
        labels[k] = m->units[idx[k]].name;
    return n;
}

/* The chart drawn twice, for a phone (340 px) and a wider screen (860 px); CSS shows one. */
static const int chart_widths[2] = { 340, 860 };

static void chart_opt(chart_svg_opt *o, const ind_t *d, const char *title, int k)
{
    o->title = title;
    o->measure = d->measure;
    o->width = chart_widths[k];
    o->decimals = d->decimals;
    o->lang = lang_get();
}

/* A figure with the units below ranked by indicator i (SVG, drawn for the screen). */
static void units_figure(web_ctx *c, int u, period_t p, int st, int i)
{
    const model *m = c->m;
    const char *labels[256];
    double vals[256];
    int n = units_ranked(m, u, p, st, i, labels, vals);
    if (n == 0)
        return;
    buf title = BUF_INIT;
    buf_printf(&title, "%s: ", tr("Xếp hạng đơn vị trực thuộc", "Units below ranked"));
    buf_adds(&title, m->inds[i].name);
    page_printf(c, "<figure class=\"chart\" id=\"units-chart\"><figcaption>");
    page_text(c, buf_str(&title));
    page_printf(c, "</figcaption>");
    for (int k = 0; k < 2; k++) {
        chart_svg_opt o = { .id = k ? "units-w" : "units-n" };
        chart_opt(&o, &m->inds[i], buf_str(&title), k);
        chart_svg_bars(&c->resp->body, &o, labels, vals, n);
    }
    page_printf(c, "</figure>");
    buf_free(&title);
}

/* A figure with indicator i's actual and target figures of u over the five periods of p's kind
 * ending with p, all on structure st (the page's: one area across the periods); SVG; partial
 * totals are marked with a dagger, withheld ones left out. */
static int trend_figure(web_ctx *c, int u, period_t p, int st, int i, const char *id)
{
    const model *m = c->m;
    period_t ps[5];
    char lab[5][96];
    const char *labels[5];
    double act[5], tgt[5];
    int has_a[5], has_t[5], any = 0;
    trend_periods(p, ps);
    for (int k = 0; k < 5; k++) {
        eval_result r;
        if (eval_unit_on(m, u, ps[k], st, &r, &c->e) != 0)
            return -1;
        const eval_row *row = row_of(&r, i);
        buf b = BUF_INIT;
        report_period_label(m, ps[k], &b);
        snprintf(lab[k], sizeof lab[k], "%s%s", buf_str(&b), row && row->partial && row->has_actual ? REPORT_PARTIAL_MARK : "");
        buf_free(&b);
        labels[k] = lab[k];
        has_a[k] = row && row->has_actual;
        has_t[k] = row && row->has_target;
        act[k] = has_a[k] ? row->actual : 0;
        tgt[k] = has_t[k] ? row->target : 0;
        any |= has_a[k] | has_t[k];
        eval_result_free(&r);
    }
    if (!any)
        return 0;
    buf title = BUF_INIT;
    buf_printf(&title, "%s: ", tr("Qua các kỳ", "Across periods"));
    buf_adds(&title, m->inds[i].name);
    page_printf(c, "<figure class=\"chart\" id=\"%s\"><figcaption>", id);
    page_text(c, buf_str(&title));
    page_printf(c, "</figcaption>");
    for (int k = 0; k < 2; k++) {
        char sid[32];
        snprintf(sid, sizeof sid, "%s-%s", id, k ? "w" : "n");
        chart_svg_opt o = { .id = sid };
        chart_opt(&o, &m->inds[i], buf_str(&title), k);
        chart_svg_line(&c->resp->body, &o, labels, act, has_a, tgt, has_t, 5, tr("Thực hiện", "Actual"),
                       tr("Kế hoạch", "Target"));
    }
    page_printf(c, "</figure>");
    buf_free(&title);
    return 0;
}

int page_overview(web_ctx *c)
{
    int u;
    period_t p;
    eval_result r;
    int st;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0 || web_structure(c, &st) != 0)
        return 0;
    const model *m = c->m;
    char key[160], per[PERIOD_CODE_MAX];
    const char *ind = web_param(c, "ind"), *sparam = web_param(c, "structure");   /* kept in links */
    if (st == EVAL_AUTO)
        st = eval_structure_of(m, p);
    period_code(p, per, sizeof per);
    snprintf(key, sizeof key, "ov|%d|%s|%.64s|%d|%d", u, per, ind ? ind : "", lang_get(), st);
    memset(&r, 0, sizeof r);
    buf title = BUF_INIT;
    buf_adds(&title, m->units[u].name);
    buf_adds(&title, " — ");
    report_period_label(m, p, &title);
    page_begin(c, buf_str(&title));
    buf_free(&title);
    crumbs(c, u, p);
    page_printf(c, "<div class=\"bar-row\">");
    char pkey[64];
    snprintf(pkey, sizeof pkey, "pk|%d|%s|%d", u, per, lang_get());
    size_t pstart = c->resp->body.len;
    if (!web_cache_get(c, pkey, &c->resp->body)) {
        period_picker(c, u, p);
        web_cache_put(c, pkey, c->resp->body.p + pstart, c->resp->body.len - pstart);
    }
    if (sub_badge(c, u, p) != 0)
        return -1;
    page_printf(c, " <a href=\"/report?");
    link_args(c, u, p);
    page_printf(c, "\">%s</a>", tr("Báo cáo", "Report"));
    if (auth_allows(m, c->role, c->uunit, u, ACT_WRITE)) {
        page_printf(c, " · <a href=\"/entry?");
        link_args(c, u, p);
        page_printf(c, "\">%s</a>", tr("Nhập số liệu", "Enter data"));
    }
    if (m->nsuccs)                    /* successions: the two structures, the one shown first */
        structure_switch(c, u, p, st);
    page_printf(c, "</div>");

    if (page_task_summary(c, u) != 0) /* tasks change without the model: never cached */
        return -1;
    if (page_completeness_summary(c, u, p) != 0)
        return -1;
    if (page_term_to_date(c, u, p, st) != 0)   /* moves with the date: never cached */
        return -1;
    /* What follows depends only on the model (not on the user): rendered once per model version. */
    size_t start = c->resp->body.len;
    if (web_cache_get(c, key, &c->resp->body))
        goto tail;
    if (eval_unit_on(m, u, p, st, &r, &c->e) != 0)
        return -1;
    const eval_tally *t = &r.all;
    page_printf(c, "<section class=\"tiles\">");
    tile(c, "st-met", tr("đạt và vượt", "met or exceeded"), t->met + t->exceeded, t->total);
    tile(c, "st-exceeded", tr("vượt", "exceeded"), t->exceeded, -1);
    tile(c, "st-notmet", tr("không đạt", "not met"), t->notmet, -1);
    tile(c, "st-nodata", tr("chưa có số liệu", "no data"), t->nodata, -1);
    page_printf(c, "</section>");
    if (r.nrows == 0)
        page_printf(c, "<p class=\"msg\">%s</p>", tr("Chưa có chỉ tiêu hay số liệu nào cho kỳ này.",
                                                  "No targets or figures for this period yet."));

    for (int g = 0; g < r.ngroups; g++) {
        const char *gname = r.groups[g].name;
        page_printf(c, "<section><h2>");
        page_text(c, *gname ? gname : tr("Chỉ tiêu", "Indicators"));
        page_printf(c, " <small>%d/%d</small></h2><div class=\"scroll\"><table class=\"grid\"><thead><tr>"
                       "<th>%s</th><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
                       "<th>%s</th><th>%s</th></tr></thead><tbody>",
                    r.groups[g].t.met + r.groups[g].t.exceeded, r.groups[g].t.total,
                    tr("Chỉ tiêu", "Indicator"), tr("Đơn vị tính", "Measure"), tr("Kế hoạch", "Target"),
                    tr("Thực hiện", "Actual"), tr("% kế hoạch", "% of target"), tr("Đánh giá", "Status"));
        for (int k = 0; k < r.nrows; k++) {
            const eval_row *row = &r.rows[k];
            const ind_t *d = &m->inds[row->ind];
            const ind_t *main_ind = d->parent >= 0 ? &m->inds[d->parent] : d;
            if (strcmp(main_ind->group, gname) != 0)
                continue;
            page_printf(c, "<tr class=\"%s\"><td%s><a href=\"/indicator?", status_class(row->status),
                        d->parent >= 0 ? " class=\"comp\"" : "");
            link_args(c, u, p);
            page_printf(c, "&amp;ind=");
            page_urlarg(c, d->code);
            page_printf(c, "\">");
            page_text(c, d->name);
            page_printf(c, "</a></td><td>");
            page_text(c, d->measure);
            page_printf(c, "</td><td class=\"num\">");
            if (row->has_target)
                page_num(c, row->target, d->decimals);
            page_printf(c, "</td><td class=\"num\">");
            if (row->has_actual)
                page_num(c, row->actual, d->decimals);
            else if (row->too_large)      /* beyond ±9×10^14: no number (eval.h) */
                page_printf(c, "<span class=\"error\" title=\"%s\">%s</span>",
                            tr("vượt giới hạn ±900.000 tỷ; hãy dùng đơn vị tính lớn hơn",
                               "beyond ±9e14; use a larger unit"), tr("quá lớn", "too large"));
            if (row->has_actual && row->converted)  /* successions: on today's structure */
                page_printf(c, "<abbr class=\"conv\" title=\"%s\">*</abbr>",
                            tr("quy đổi từ số liệu của đơn vị tiền thân theo tỷ lệ kế thừa",
                               "converted from the predecessors' figures by their shares"));
            cov_mark(c, row);
            page_printf(c, "</td><td>");
            if (row->has_pct) {
                bar(c, row);
                page_num(c, row->pct, 1);
                page_printf(c, "%%");
            }
            page_printf(c, "</td><td><span class=\"status %s\">%s</span></td></tr>",
                        status_class(row->status), eval_row_status_name(row));
        }
        page_printf(c, "</tbody></table></div></section>");
    }

    /* Units below, and the charts. */
    if (m->units[u].first_child >= 0) {
        page_printf(c, "<section><h2>%s</h2><ul class=\"children\">", tr("Đơn vị trực thuộc", "Units below"));
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!eval_unit_in_structure(m, ch, p, st))  /* the units of the period, on its structure */
                continue;
            eval_result cr;
            if (eval_unit_on(m, ch, p, st, &cr, &c->e) != 0) {
                eval_result_free(&r);
                return -1;
            }
            page_printf(c, "<li><a href=\"/overview?");
            link_args(c, ch, p);
            if (sparam && *sparam)
                page_printf(c, "&amp;structure=%s", st == EVAL_CURRENT ? "current" : "historical");
            page_printf(c, "\">");
            page_text(c, m->units[ch].name);
            page_printf(c, "</a> <small>%s %d/%d</small></li>", tr("đạt và vượt", "met or exceeded"),
                        cr.all.met + cr.all.exceeded, cr.all.total);
            eval_result_free(&cr);
        }
        page_printf(c, "</ul>");
        int ci = chart_ind(c, u, p, st);
        if (ci >= 0) {
            page_printf(c, "<form method=\"get\" class=\"picker\"><input type=\"hidden\" name=\"unit\" value=\"");
            page_text(c, m->units[u].code);
            char code[PERIOD_CODE_MAX];
            period_code(p, code, sizeof code);
            page_printf(c, "\"><input type=\"hidden\" name=\"period\" value=\"%s\">", code);
            if (sparam && *sparam)            /* keep the structure asked for */
                page_printf(c, "<input type=\"hidden\" name=\"structure\" value=\"%s\">",
                            st == EVAL_CURRENT ? "current" : "historical");
            page_printf(c, "<label>%s <select name=\"ind\" data-autosubmit>", tr("Xếp hạng theo", "Rank by"));
            for (size_t k = 0; k < m->ninds; k++) {
                if (m->inds[k].parent >= 0)
                    continue;
                page_printf(c, "<option value=\"");
                page_text(c, m->inds[k].code);
                page_printf(c, "\"%s>", (int)k == ci ? " selected" : "");
                page_text(c, m->inds[k].name);
                page_printf(c, "</option>");
            }
            page_printf(c, "</select></label> <button type=\"submit\">%s</button></form>", tr("Xem", "Show"));
            units_figure(c, u, p, st, ci);
            if (trend_figure(c, u, p, st, ci, "trend") != 0) {
                eval_result_free(&r);
                return -1;
            }
        }
        page_printf(c, "</section>");
    }
    web_cache_put(c, key, c->resp->body.p + start, c->resp->body.len - start);
tail:
    if (m->units[u].parent >= 0 && auth_allows(m, c->role, c->uunit, m->units[u].parent, ACT_READ)) {
        page_printf(c, "<p><a href=\"/overview?");
        link_args(c, m->units[u].parent, p);
        page_printf(c, "\">↑ ");
        page_text(c, m->units[m->units[u].parent].name);
        page_printf(c, "</a></p>");
    }
    page_end(c);
    eval_result_free(&r);
    return 0;
}

int page_indicator(web_ctx *c)
{
    int u;
    period_t p;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    const model *m = c->m;
    const char *code = web_param(c, "ind");
    int i = code ? model_ind_find(m, code) : -1;
    if (i < 0)
        return web_fail(c, 404, "not_found", "ind", tr("không có chỉ tiêu này", "no such indicator"));
    const ind_t *d = &m->inds[i];
    int st = eval_structure_of(m, p);   /* the periods and units below: on p's structure */
    page_begin(c, d->name);
    crumbs(c, u, p);
    page_printf(c, "<dl class=\"def\"><dt>%s</dt><dd>", tr("Mã", "Code"));
    page_text(c, d->code);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Nhóm", "Group"));
    page_text(c, d->group);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Đơn vị tính", "Measure"));
    page_text(c, d->measure);
    page_printf(c, "</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
                tr("Chiều đánh giá", "Direction"), dir_label(d->dir),
                tr("Tổng hợp từ đơn vị trực thuộc", "From the units below"), agg_label(d->uagg, 1),
                tr("Tổng hợp từ các kỳ con", "From the shorter periods"), agg_label(d->pagg, 0));
    if (*d->formula_src) {
        page_printf(c, "<dt>%s</dt><dd><code>", tr("Công thức", "Formula"));
        page_text(c, d->formula_src);
        page_printf(c, "</code></dd>");
    }
    page_printf(c, "</dl>");

    /* Across periods: a table, and the same numbers as a chart (SVG drawn here, for the screen). */
    period_t ps[5];
    int n = trend_periods(p, ps);
    page_printf(c, "<h2>%s</h2><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead><tbody>",
                tr("Qua các kỳ", "Across periods"), tr("Kỳ", "Period"), tr("Kế hoạch", "Target"),
                tr("Thực hiện", "Actual"), tr("Đánh giá", "Status"));
    for (int k = 0; k < n; k++) {
        eval_result r;
        if (eval_unit_on(m, u, ps[k], st, &r, &c->e) != 0)
            return -1;
        const eval_row *row = row_of(&r, i);
        page_printf(c, "<tr><td><a href=\"/indicator?");
        link_args(c, u, ps[k]);
        page_printf(c, "&amp;ind=");
        page_urlarg(c, d->code);
        page_printf(c, "\">");
        period_name(c, ps[k]);
        page_printf(c, "</a></td><td class=\"num\">");
        if (row && row->has_target)
            page_num(c, row->target, d->decimals);
        page_printf(c, "</td><td class=\"num\">");
        if (row && row->has_actual)
            page_num(c, row->actual, d->decimals);
        cov_mark(c, row);
        page_printf(c, "</td><td>%s</td></tr>", row ? eval_row_status_name(row) : "");
        eval_result_free(&r);
    }
    page_printf(c, "</tbody></table></div>");
    if (trend_figure(c, u, p, st, i, "trend") != 0)
        return -1;

    /* Across child units. */
    if (m->units[u].first_child >= 0) {
        page_printf(c, "<h2>%s</h2><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>%s</th>"
                       "<th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th><th class=\"num\">%s</th>"
                       "</tr></thead><tbody>",
                    tr("Các đơn vị trực thuộc", "Units below"), tr("Đơn vị", "Unit"), tr("Kế hoạch", "Target"),
                    tr("Thực hiện", "Actual"), tr("Đánh giá", "Status"), tr("Xếp hạng", "Rank"));
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!eval_unit_in_structure(m, ch, p, st))
                continue;
            eval_result r;
            if (eval_unit_on(m, ch, p, st, &r, &c->e) != 0)
                return -1;
            const eval_row *row = row_of(&r, i);
            page_printf(c, "<tr><td><a href=\"/indicator?");
            link_args(c, ch, p);
            page_printf(c, "&amp;ind=");
            page_urlarg(c, d->code);
            page_printf(c, "\">");
            page_text(c, m->units[ch].name);
            page_printf(c, "</a></td><td class=\"num\">");
            if (row && row->has_target)
                page_num(c, row->target, d->decimals);
            page_printf(c, "</td><td class=\"num\">");
            if (row && row->has_actual)
                page_num(c, row->actual, d->decimals);
            cov_mark(c, row);
            page_printf(c, "</td><td>%s</td><td class=\"num\">", row ? eval_row_status_name(row) : "");
            if (row && row->rank)
                page_printf(c, "%d/%d", row->rank, row->rank_of);
            page_printf(c, "</td></tr>");
            eval_result_free(&r);
        }
        page_printf(c, "</tbody></table></div>");
    }

    /* History of the reported figure. */
    store_hist h[50];
    int nh = store_history(c->s, d->code, m->units[u].code, p, h, 50, &c->e);
    if (nh < 0)
        return -1;
    page_printf(c, "<h2>%s</h2>", tr("Lịch sử số liệu", "History"));
    if (nh == 0)
        page_printf(c, "<p>%s</p>", tr("Chưa có thay đổi nào.", "No changes yet."));
    else {
        page_printf(c, "<table class=\"grid\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th class=\"num\">%s</th>"
                       "<th class=\"num\">%s</th></tr></thead><tbody>",
                    tr("Thời gian", "When"), tr("Người", "Who"), tr("Loại", "Kind"), tr("Cũ", "Old"), tr("Mới", "New"));
        for (int k = 0; k < nh; k++) {
            page_printf(c, "<tr><td>");
            page_time(c, h[k].at);
            page_printf(c, "</td><td>");
            page_text(c, h[k].who);
            page_printf(c, "</td><td>%s</td><td class=\"num\">",
                        strcmp(h[k].kind, "target") == 0 ? tr("kế hoạch", "target") : tr("số liệu", "value"));
            if (h[k].has_old)
                page_num(c, h[k].old_v, d->decimals);
            page_printf(c, "</td><td class=\"num\">");
            if (h[k].has_new)
                page_num(c, h[k].new_v, d->decimals);
            page_printf(c, "</td></tr>");
        }
        page_printf(c, "</tbody></table>");
    }
    page_end(c);
    return 0;
}

int page_chart(web_ctx *c)
{
    int u;
    period_t p;
    int st;                           /* units below and the trend: as the overview */
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0 || web_structure(c, &st) != 0)
        return 0;
    const model *m = c->m;
    const char *kind = web_param(c, "kind"), *code = web_param(c, "ind");
    int i = code ? model_ind_find(m, code) : -1;
    if (st == EVAL_AUTO)
        st = eval_structure_of(m, p);
    if (i < 0 || kind == NULL || (strcmp(kind, "units") != 0 && strcmp(kind, "trend") != 0))
        return web_fail(c, 400, "bad_request", "ind", tr("cần ind và kind=units|trend", "ind and kind=units|trend needed"));
    const char *labels[256];
    double vals[256];
    char lab[5][64];
    int n = 0, h = 0, rc = 0;
    buf png = BUF_INIT;
    if (strcmp(kind, "units") == 0) {
        n = units_ranked(m, u, p, st, i, labels, vals);
        rc = chart_bars(m->inds[i].name, labels, vals, n, strcmp(m->inds[i].measure, "%") == 0, &png, &h, &c->e);
    } else {
        period_t ps[5];
        trend_periods(p, ps);
        for (int k = 0; k < 5; k++) {
            double v;
            eval_cov cov;
            if (!eval_actual_cov_on(m, i, u, ps[k], st, &v, &cov) || (cov.partial && eval_withhold(m, i)))
                continue;
            period_code(ps[k], lab[n], sizeof lab[n] - 1);
            size_t len = strlen(lab[n]);
            if (cov.partial)                      /* a partial total, marked */
                lab[n][len] = '*', lab[n][len + 1] = '\0';
            labels[n] = lab[n];
            vals[n++] = v;
        }
        rc = chart_line(m->inds[i].name, labels, vals, n, strcmp(m->inds[i].measure, "%") == 0, &png, &h, &c->e);
    }
    if (rc != 0) {
        buf_free(&png);
        return -1;
    }
    c->resp->ctype = "image/png";
    buf_free(&c->resp->body);
    c->resp->body = png;
    return 0;
}
