/* page_term.c - the term overview's "term so far" section (/overview for a declared term):
 * while a term runs, or after it while its years' figures are incomplete, the figures so far
 * against the term's targets, the share of the term's time gone and the mid-term review's
 * numbers, all computed by eval_term_to_date (eval.h); this file only renders them.  Not cached:
 * the share of time gone moves with the date. */
#include "web.h"

#include <string.h>

#include "eval.h"
#include "report.h"
#include "vn.h"

/* 1 if p is one of the model's declared terms. */
static int is_term(const model *m, period_t p)
{
    for (size_t i = 0; i < m->nterms; i++)
        if (period_eq(m->terms[i].per, p))
            return 1;
    return 0;
}

static const char *row_class(int st)
{
    static const char *const k[] = { "st-none", "st-nodata", "st-notmet", "st-met", "st-exceeded" };
    return st >= 0 && st <= ST_EXCEEDED ? k[st] : "st-none";
}

static void ttd_summary(web_ctx *c, int u, const eval_ttd *t, int today)
{
    const model *m = c->m;
    buf b = BUF_INIT;
    char code[PERIOD_CODE_MAX];
    buf_printf(&b, tr("Số liệu các năm %d–%d (%d/%d năm của nhiệm kỳ); đã qua ",
                      "Figures for %d–%d (%d of the term's %d years); "), t->term.y, t->last_year, t->years_done,
               t->years);
    vn_format_number_trim(t->elapsed * 100, 1, lang_get(), &b);
    buf_adds(&b, tr("% thời gian nhiệm kỳ (đến ngày ", "% of the term's time gone (on "));
    vn_format_date(today, lang_get(), &b);
    buf_adds(&b, ").");
    page_printf(c, "<p id=\"ttd-time\">");
    page_text(c, buf_str(&b));
    page_printf(c, "</p><p id=\"ttd-tally\">");
    buf_reset(&b);
    buf_printf(&b, tr("Đến nay: đạt, vượt hoặc đúng tiến độ %d/%d chỉ tiêu, trong đó %d vượt; không đạt hoặc chậm "
                      "tiến độ %d; chưa có số liệu %d.", "So far: %d/%d met, exceeded or on track, %d exceeded; "
                      "not met or behind %d; no data %d."),
               t->t.met + t->t.exceeded, t->t.total, t->t.exceeded, t->t.notmet, t->t.nodata);
    page_text(c, buf_str(&b));
    page_printf(c, "</p>");
    if (t->mid.kind == P_RANGE) {
        period_code(t->mid, code, sizeof code);
        buf_reset(&b);
        report_period_label(m, t->mid, &b);
        page_printf(c, "<p id=\"ttd-mid\"><a href=\"/overview?unit=");
        page_urlarg(c, m->units[u].code);
        page_printf(c, "&amp;period=%s\">", code);
        page_text(c, buf_str(&b));
        page_printf(c, "</a>: ");
        buf_reset(&b);
        buf_printf(&b, tr("đạt và vượt %d/%d chỉ tiêu, trong đó %d vượt; không đạt %d; chưa có số liệu %d.",
                          "%d/%d met or exceeded, %d exceeded; not met %d; no data %d."),
                   t->mid_t.met + t->mid_t.exceeded, t->mid_t.total, t->mid_t.exceeded, t->mid_t.notmet,
                   t->mid_t.nodata);
        page_text(c, buf_str(&b));
        page_printf(c, "</p>");
    }
    buf_free(&b);
}

static void ttd_table(web_ctx *c, const eval_ttd *t)
{
    const model *m = c->m;
    char code[PERIOD_CODE_MAX];
    period_code(t->sofar, code, sizeof code);
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\" id=\"ttd\"><thead><tr><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s %s</th><th class=\"num\">%s</th><th>%s</th>"
                   "</tr></thead><tbody>",
                tr("Chỉ tiêu", "Indicator"), tr("Kế hoạch nhiệm kỳ", "Term target"), tr("Đến nay", "So far"), code,
                tr("% kế hoạch", "% of target"), tr("Đánh giá đến nay", "Status so far"));
    for (int k = 0; k < t->r.nrows; k++) {
        const eval_row *r = &t->r.rows[k];
        const ind_t *d = &m->inds[r->ind];
        if (!r->has_target)
            continue;
        page_printf(c, "<tr class=\"%s\"%s><td>", row_class(r->status), t->progress[k] ? " data-progress=\"1\"" : "");
        page_text(c, d->name);
        page_printf(c, "</td><td class=\"num\">");
        page_num(c, r->target, d->decimals);
        page_printf(c, "</td><td class=\"num\">");
        if (r->has_actual)
            page_num(c, r->actual, d->decimals);
        page_printf(c, "</td><td class=\"num\">");
        if (r->has_pct) {
            page_num(c, r->pct, 1);
            page_printf(c, "%%");
        }
        page_printf(c, "</td><td><span class=\"status %s\">", row_class(r->status));
        if (t->progress[k])
            page_text(c, r->status == ST_MET ? tr("đúng tiến độ", "on track") : tr("chậm tiến độ", "behind"));
        else
            page_text(c, eval_row_status_name(r));
        page_printf(c, "</span></td></tr>");
    }
    page_printf(c, "</tbody></table></div>");
}

int page_term_to_date(web_ctx *c, int u, period_t p, int structure)
{
    if (p.kind != P_RANGE || !is_term(c->m, p))
        return 0;
    int today = web_today(c);
    eval_ttd t;
    if (eval_term_to_date(c->m, u, p, today, structure, &t, &c->e) != 0)
        return -1;
    /* a term over with every year's figures in: its own evaluation below says it all */
    if (t.last_year == 0 || (!t.running && t.last_year == p.y2)) {
        eval_ttd_free(&t);
        return 0;
    }
    page_printf(c, "<section id=\"term-to-date\"><h2>%s</h2>", tr("Nhiệm kỳ đến nay", "The term so far"));
    ttd_summary(c, u, &t, today);
    if (t.sofar.kind == P_RANGE)
        ttd_table(c, &t);
    else
        page_printf(c, "<p>%s</p>", tr("Chưa đủ hai năm có số liệu: xem từng năm.",
                                       "Fewer than two years of figures so far: see each year."));
    page_printf(c, "<p class=\"hint\">%s</p></section>",
                tr("Chỉ tiêu tính tổng cả nhiệm kỳ được đánh giá theo tiến độ: đúng tiến độ khi % kế hoạch đạt "
                   "tỷ lệ số năm đã qua.", "Targets that are totals over the term are judged on progress: on "
                   "track when the % of target reaches the share of years gone."));
    eval_ttd_free(&t);
    return 0;
}
