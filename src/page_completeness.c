/* page_completeness.c - GET /completeness (who has reported what, with drill-down: a unit, its
 * children, a leaf unit's expected indicators and which are missing), the one-line summary on
 * the overview, and GET /api/v1/completeness (paged rows or items, api_list.h).  Everything is
 * computed by completeness.c from the shared model and the first-write dates read through this
 * request's store handle; the settings are read per request (a few meta rows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"
#include "completeness.h"
#include "cycle_store.h"
#include "vn.h"
#include "web.h"

/* Reads the rules and computes unit u's completeness for p; -1 (c->e) on failure. */
static int compute(web_ctx *c, int u, period_t p, cycle_rules *r, cmpl_result *res)
{
    if (cycle_rules_load(c->s, r, &c->e) != 0)
        return -1;
    return cmpl_run(c->s, c->m, r, u, p, res, &c->e);
}

static void page_date(web_ctx *c, int ymd)
{
    buf d = BUF_INIT;
    vn_format_date(ymd, lang_get(), &d);
    page_text(c, buf_str(&d));
    buf_free(&d);
}

static void link_to(web_ctx *c, int u, period_t p)
{
    char code[PERIOD_CODE_MAX];
    period_code(p, code, sizeof code);
    page_printf(c, "<a href=\"/completeness?unit=");
    page_urlarg(c, c->m->units[u].code);
    page_printf(c, "&amp;period=%s\">", code);
    page_text(c, c->m->units[u].name);
    page_printf(c, "</a>");
}

int page_completeness_summary(web_ctx *c, int u, period_t p)
{
    cycle_rules r;
    cmpl_result res;
    char key[96], code[PERIOD_CODE_MAX];
    if (cycle_rules_load(c->s, &r, &c->e) != 0)
        return -1;
    period_code(p, code, sizeof code);
    snprintf(key, sizeof key, "cs|%d|%s|%d|%d|%d|%d", u, code, cycle_deadline(&r, p), r.tz_minutes, r.cutoff_day,
             lang_get());
    if (web_cache_get(c, key, &c->resp->body))
        return 0;
    size_t start = c->resp->body.len;
    if (cmpl_run_counts(c->s, c->m, &r, u, p, &res, &c->e) != 0)
        return -1;
    if (res.total.leaves > 0) {
        buf line = BUF_INIT;
        cmpl_summary(&res.total, lang_get() == LANG_EN, &line);
        page_printf(c, "<p class=\"tasks-line\" id=\"completeness-summary\">%s: ", tr("Báo cáo", "Reporting"));
        page_text(c, buf_str(&line));
        page_printf(c, " (%s ", tr("hạn", "due"));
        page_date(c, res.deadline);
        page_printf(c, ") — <a href=\"/completeness?unit=");
        page_urlarg(c, c->m->units[u].code);
        page_printf(c, "&amp;period=%s\">%s</a></p>", code, tr("ai chưa báo cáo", "who has not reported"));
        buf_free(&line);
    }
    web_cache_put(c, key, c->resp->body.p + start, c->resp->body.len - start);
    cmpl_free(&res);
    return 0;
}

static void row_html(web_ctx *c, const cmpl_result *res, const cmpl_row *row)
{
    const cmpl_count *k = &row->c;
    page_printf(c, "<tr><td>");
    link_to(c, row->unit, res->p);
    page_printf(c, "</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>"
                   "<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d/%d</td></tr>",
                k->expected, k->reported, k->on_time, k->late, k->missing, k->leaves_complete, k->leaves);
}

/* A leaf unit's expected indicators with their state. */
static void items_html(web_ctx *c, const cmpl_result *res)
{
    page_printf(c, "<h2>%s</h2><div class=\"scroll\"><table class=\"grid\" id=\"completeness-items\"><thead><tr>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                tr("Chỉ tiêu phải báo cáo", "Indicators expected"), tr("Đơn vị", "Unit"), tr("Chỉ tiêu", "Indicator"),
                tr("Trạng thái", "State"), tr("Nhập lần đầu", "First entered"));
    for (int i = 0; i < res->nitems; i++) {
        const cmpl_item *it = &res->items[i];
        static const char *const cls[] = { "st-nodata", "st-met", "st-notmet" };
        const char *state = it->state == CM_MISSING ? tr("còn thiếu", "missing")
                            : it->state == CM_LATE  ? tr("trễ hạn", "late")
                                                    : tr("đúng hạn", "on time");
        page_printf(c, "<tr data-state=\"%s\"><td>", cmpl_state_key(it->state));
        page_text(c, c->m->units[it->unit].name);
        page_printf(c, "</td><td>");
        page_text(c, c->m->inds[it->ind].name);
        page_printf(c, " <small>");
        page_text(c, c->m->inds[it->ind].code);
        page_printf(c, "</small></td><td class=\"%s\">%s</td><td>", cls[it->state], state);
        if (it->date)
            page_date(c, it->date);
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table></div>");
}

int page_completeness(web_ctx *c)
{
    int u;
    period_t p;
    cycle_rules r;
    cmpl_result res;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    if (compute(c, u, p, &r, &res) != 0)
        return -1;
    char label[96];
    buf title = BUF_INIT, line = BUF_INIT;
    model_period_label(c->m, p, lang_get() == LANG_EN, label, sizeof label);
    buf_printf(&title, "%s — %s — %s", tr("Tình hình báo cáo", "Reporting"), c->m->units[u].name, label);
    page_begin(c, buf_str(&title));
    if (c->m->units[u].parent >= 0 &&
        auth_allows(c->m, c->role, c->uunit, c->m->units[u].parent, ACT_READ)) {
        page_printf(c, "<p>↑ ");
        link_to(c, c->m->units[u].parent, p);
        page_printf(c, "</p>");
    }
    page_printf(c, "<p>%s ", tr("Hạn nộp", "Due"));
    page_date(c, res.deadline);
    page_printf(c, "; %s ", tr("số liệu tính từ", "figures from"));
    page_date(c, res.from);
    page_printf(c, " %s ", tr("đến", "to"));
    page_date(c, res.to);
    cmpl_summary(&res.total, lang_get() == LANG_EN, &line);
    page_printf(c, ".</p><p id=\"completeness-line\"><strong>");
    page_text(c, buf_str(&line));
    page_printf(c, "</strong></p>");
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\" id=\"completeness\"><thead><tr><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                tr("Đơn vị", "Unit"), tr("Phải báo cáo", "Expected"), tr("Đã báo cáo", "Reported"),
                tr("Đúng hạn", "On time"), tr("Trễ hạn", "Late"), tr("Còn thiếu", "Missing"),
                tr("Đơn vị đủ", "Units complete"));
    for (int i = 0; i < res.nrows; i++)
        row_html(c, &res, &res.rows[i]);
    page_printf(c, "</tbody></table></div>");
    if (res.nrows == 1 && res.rows[0].unit == u)
        items_html(c, &res);
    page_end(c);
    buf_free(&title);
    buf_free(&line);
    cmpl_free(&res);
    return 0;
}

/* GET /api/v1/completeness?unit&period[&view=units|items]: the rows (a child of the unit each)
 * or the expected figures, paged like every list. */
int api_completeness(web_ctx *c)
{
    const char *uc = web_param(c, "unit"), *pc = web_param(c, "period"), *view = web_param(c, "view");
    int u = c->uunit, items = view && strcmp(view, "items") == 0;
    period_t p;
    api_page pg;
    cycle_rules r;
    cmpl_result res;
    if (view && !items && strcmp(view, "units") != 0)
        return web_fail(c, 400, "bad_request", "view", tr("view: units hoặc items", "view: units or items"));
    if (uc && *uc && (u = model_unit_find(c->m, uc)) < 0)
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    if (u < 0 || !auth_allows(c->m, c->role, c->uunit, u, ACT_READ))
        return web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
    if (pc == NULL || period_parse(pc, strlen(pc), &p) != 0)
        return web_fail(c, 400, "bad_period", "period", tr("cần period (mã kỳ hợp lệ)", "period (a valid period code) is required"));
    if (api_list_begin(c, &pg) != 0)
        return 0;
    if (compute(c, u, p, &r, &res) != 0)
        return -1;
    json_t *a = json_array();
    int n = items ? res.nitems : res.nrows;
    for (int i = 0; a && i < n; i++)
        if (api_page_take(&pg))
            json_array_append_new(a, items ? cmpl_item_json(c->m, &res.items[i]) : cmpl_row_json(c->m, &res, &res.rows[i]));
    cmpl_free(&res);
    static const char *const params[] = { "unit", "period", "view", NULL };
    return api_list_send(c, &pg, items ? "items" : "units", a, params);
}
