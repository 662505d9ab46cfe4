/* page_audit.c - the audit log page (/admin/audit, administrators): every workflow and
 * administration action and every change of a figure, newest first, filtered by user, unit,
 * period, kind and date, paged ("1–50 / 1.234"), and exported to CSV with the same filters.
 *
 * Data flow: the query parameters become an audit_filter (checked here: a unit or period
 * that does not parse, a kind not in the list or a date not yyyy-mm-dd is a 400 naming the
 * parameter); store_audit_query (store_web.h) returns one page and the total.  Figures are
 * printed exactly as stored (up to 9 decimals, 15 significant digits, never %g) in the page
 * language's number format; a change of the comment alone says so instead of "1 → 1".  Times
 * are stored in UTC and shown in Vietnam's (UTC+7) everywhere: the page (page_time), the CSV
 * (audit_time) and the from/to dates (local days in the store's query).  The
 * rows are owned by this file and freed before returning.
 */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "csv.h"
#include "report.h"
#include "vn.h"

#define AUDIT_PAGE 50
#define AUDIT_CSV_CHUNK 1000

/* The object of an entry: a figure's indicator, unit and period by name when the model has
 * them, else the stored object. */
static void audit_object(const model *m, const web_audit *a, buf *b)
{
    period_t p;
    int i = a->is_figure ? model_ind_find(m, a->ind) : -1, u = a->is_figure ? model_unit_find(m, a->unit) : -1;
    if (i < 0 || u < 0 || period_parse(a->period, strlen(a->period), &p) != 0) {
        buf_adds(b, a->object);
        return;
    }
    buf_printf(b, "%s — %s — ", m->inds[i].name, m->units[u].name);
    report_period_label(m, p, b);
}

/* Reads and checks the filter; on a bad parameter responds 400 and returns -1. */
static int filter_of(web_ctx *c, audit_filter *f, char from[16], char to[16])
{
    memset(f, 0, sizeof *f);
    f->who = web_param(c, "who");
    f->unit = web_param(c, "unit");
    f->period = web_param(c, "period");
    f->kind = web_param(c, "kind");
    f->from = web_param(c, "from");
    f->to = web_param(c, "to");
    period_t p;
    if (f->unit && *f->unit && model_unit_find(c->m, f->unit) < 0)
        return web_fail(c, 400, "bad_request", "unit", tr("không có đơn vị mã này", "no unit has this code")), -1;
    if (f->period && *f->period && period_parse(f->period, strlen(f->period), &p) != 0)
        return web_fail(c, 400, "bad_request", "period", tr("kỳ không hợp lệ (ví dụ 2023, 2023Q2, 2020-2025)",
                                                            "invalid period (e.g. 2023, 2023Q2, 2020-2025)")), -1;
    if (f->kind && *f->kind) {
        if (!audit_kind_ok(f->kind))
            return web_fail(c, 400, "bad_request", "kind", tr("kind phải là value, target, delete, batch hoặc action",
                                                              "kind must be value, target, delete, batch or action")), -1;
    }
    const char *d[2] = { f->from, f->to };
    char *out[2] = { from, to };
    for (int k = 0; k < 2; k++) {
        int ymd;
        out[k][0] = '\0';
        if (d[k] == NULL || *d[k] == '\0')
            continue;
        if (vn_parse_iso_date(d[k], strlen(d[k]), &ymd) != 0)
            return web_fail(c, 400, "bad_request", k ? "to" : "from", tr("ngày phải có dạng yyyy-mm-dd",
                                                                        "a date must be yyyy-mm-dd")), -1;
        snprintf(out[k], 16, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    }
    f->from = from;
    f->to = to;
    return 0;
}

/* The filter as query arguments (for the paging and export links), HTML-escaped. */
static void filter_args(web_ctx *c, const audit_filter *f)
{
    const char *keys[] = { "who", "unit", "period", "kind", "from", "to" };
    const char *vals[] = { f->who, f->unit, f->period, f->kind, f->from, f->to };
    for (int k = 0; k < 6; k++)
        if (vals[k] && *vals[k]) {
            page_printf(c, "&amp;%s=", keys[k]);
            page_urlarg(c, vals[k]);
        }
}

static void filter_form(web_ctx *c, const audit_filter *f)
{
    const char *labels[] = { tr("Người", "User"), tr("Đơn vị (mã)", "Unit (code)"), tr("Kỳ", "Period") };
    const char *keys[] = { "who", "unit", "period" };
    const char *vals[] = { f->who, f->unit, f->period };
    page_printf(c, "<form method=\"get\" class=\"picker\" id=\"audit-filter\">");
    for (int k = 0; k < 3; k++) {
        page_printf(c, "<label>%s <input name=\"%s\" size=\"12\" value=\"", labels[k], keys[k]);
        page_text(c, vals[k] ? vals[k] : "");
        page_printf(c, "\"></label> ");
    }
    page_printf(c, "<label>%s <select name=\"kind\"><option value=\"\">%s</option>", tr("Loại", "Kind"),
                tr("tất cả", "all"));
    for (int k = 0; k < audit_nkinds; k++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", audit_kinds[k],
                    f->kind && strcmp(f->kind, audit_kinds[k]) == 0 ? " selected" : "", audit_kind_name(audit_kinds[k]));
    page_printf(c, "</select></label> <label>%s <input type=\"date\" name=\"from\" value=\"%s\"></label> "
                   "<label>%s <input type=\"date\" name=\"to\" value=\"%s\"></label> "
                   "<button type=\"submit\">%s</button></form>",
                tr("Từ ngày", "From"), f->from, tr("Đến ngày", "To"), f->to, tr("Lọc", "Filter"));
}

/* The whole filtered log as CSV (UTF-8 with BOM, ';' and decimal commas in Vietnamese for
 * Excel, ',' in English), in chunks read in one read transaction (an entry written meanwhile
 * would shift the later chunks: a row repeated or skipped); times in Vietnam's local time with
 * seconds, as the page and the from/to filter (audit_time), in a form Excel reads as a date-time
 * in each language. */
static int audit_csv(web_ctx *c, const audit_filter *f)
{
    int vi = lang_get() != LANG_EN;
    buf *out = &c->resp->body, cell = BUF_INIT, field = BUF_INIT;
    const char *hd[] = { audit_time_header(), tr("Người", "User"), tr("Việc", "Action"), tr("Đối tượng", "Object"),
                         tr("Mã chỉ tiêu", "Indicator"), tr("Mã đơn vị", "Unit"), tr("Kỳ", "Period"), tr("Cũ", "Old"),
                         tr("Mới", "New"), tr("Chi tiết", "Detail") };
    int rc = -1, in_tx = 0;
    buf_reset(out);
    buf_adds(out, "\xEF\xBB\xBF");
    for (int k = 0; k < 10; k++) {
        csv_write_field(out, hd[k]);
        buf_addc(out, k < 9 ? (vi ? ';' : ',') : '\n');
    }
    if (store_read_begin(c->s, &c->e) != 0)
        goto cleanup;
    in_tx = 1;
    for (int off = 0;; off += AUDIT_CSV_CHUNK) {
        web_audit *a = NULL;
        int n = store_audit_query(c->s, f, off, AUDIT_CSV_CHUNK, &a, NULL, &c->e);
        if (n < 0)
            goto cleanup;
        for (int r = 0; r < n; r++) {
            const char *plain[] = { NULL /* the time: audit_time */, a[r].who, audit_kind_name(a[r].action),
                                    a[r].object, a[r].ind, a[r].unit, a[r].period };
            for (int k = 0; k < 10; k++) {
                buf_reset(&cell);
                if (k == 0)
                    audit_time(&cell, a[r].at);
                else if (k < 7)
                    buf_adds(&cell, plain[k]);
                else if (k == 7 && a[r].has_old)
                    audit_num(&cell, a[r].old_v);
                else if (k == 8 && a[r].has_new)
                    audit_num(&cell, a[r].new_v);
                else if (k == 9)
                    audit_detail(&a[r], &cell);
                /* text a spreadsheet would take for a formula gets a leading apostrophe */
                buf_reset(&field);
                if (k != 7 && k != 8 && cell.len && strchr("=+-@\t\r", cell.p[0]))
                    buf_addc(&field, '\'');
                buf_adds(&field, buf_str(&cell));
                csv_write_field(out, buf_str(&field));
                buf_addc(out, k < 9 ? (vi ? ';' : ',') : '\n');
            }
        }
        free(a);
        if (n < AUDIT_CSV_CHUNK)
            break;
    }
    c->resp->ctype = "text/csv; charset=utf-8";
    snprintf(c->resp->disposition, sizeof c->resp->disposition, "attachment; filename=\"nhat-ky.csv\"");
    rc = 0;
cleanup:
    if (in_tx)
        store_read_end(c->s);
    buf_free(&cell);
    buf_free(&field);
    return rc;
}

static void audit_pager(web_ctx *c, const audit_filter *f, int page, int shown, int64_t total)
{
    buf b = BUF_INIT;
    int64_t first = (int64_t)(page - 1) * AUDIT_PAGE;
    if (shown) {
        vn_format_number((double)(first + 1), 0, lang_get(), &b);
        buf_adds(&b, "–");
        vn_format_number((double)(first + shown), 0, lang_get(), &b);
    } else {
        buf_adds(&b, "0");
    }
    buf_adds(&b, " / ");
    vn_format_number((double)total, 0, lang_get(), &b);
    page_printf(c, "<p class=\"pager\" id=\"audit-pager\"><span id=\"audit-count\">");
    page_text(c, buf_str(&b));
    page_printf(c, "</span>");
    if (page > 1) {
        page_printf(c, " <a rel=\"prev\" href=\"/admin/audit?page=%d", page - 1);
        filter_args(c, f);
        page_printf(c, "\">%s</a>", tr("‹ Trang trước", "‹ Previous"));
    }
    if (first + shown < total) {
        page_printf(c, " <a rel=\"next\" href=\"/admin/audit?page=%d", page + 1);
        filter_args(c, f);
        page_printf(c, "\">%s</a>", tr("Trang sau ›", "Next ›"));
    }
    page_printf(c, " <a id=\"audit-csv\" href=\"/admin/audit?format=csv");
    filter_args(c, f);
    page_printf(c, "\">%s</a></p>", tr("Tải CSV", "Download CSV"));
    buf_free(&b);
}

int page_audit(web_ctx *c)
{
    if (c->role != ROLE_ADMIN)
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    audit_filter f;
    char from[16], to[16];
    if (filter_of(c, &f, from, to) != 0)
        return 0;
    const char *fmt = web_param(c, "format"), *pg = web_param(c, "page");
    if (fmt && *fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "html") != 0)
        return web_fail(c, 400, "bad_format", "format", tr("format phải là html hoặc csv", "format must be html or csv"));
    if (fmt && strcmp(fmt, "csv") == 0)
        return audit_csv(c, &f);
    char *end = NULL;
    long page = pg && *pg ? strtol(pg, &end, 10) : 1;
    if ((end && *end) || page < 1 || page > 10000000)
        return web_fail(c, 400, "bad_request", "page", tr("page phải là số trang từ 1", "page must be a page number from 1"));
    web_audit *a = NULL;
    int64_t total = 0;
    int n = store_audit_query(c->s, &f, (int)(page - 1) * AUDIT_PAGE, AUDIT_PAGE, &a, &total, &c->e);
    if (n < 0)
        return -1;
    buf t = BUF_INIT;
    page_begin(c, tr("Nhật ký thay đổi", "Audit log"));
    filter_form(c, &f);
    audit_pager(c, &f, (int)page, n, total);
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\" id=\"audit\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th></tr></thead><tbody>", audit_time_header(), tr("Người", "Who"),
                tr("Việc", "Action"), tr("Đối tượng", "Object"), tr("Chi tiết (cũ → mới)", "Detail (old → new)"));
    for (int k = 0; k < n; k++) {
        page_printf(c, "<tr data-kind=\"");
        page_text(c, a[k].action);
        page_printf(c, "\"><td>");
        page_time(c, a[k].at);
        page_printf(c, "</td><td>");
        page_text(c, a[k].who);
        page_printf(c, "</td><td>");
        page_text(c, audit_kind_name(a[k].action));
        page_printf(c, "</td><td>");
        buf_reset(&t);
        audit_object(c->m, &a[k], &t);
        page_text(c, buf_str(&t));
        page_printf(c, "</td><td>");
        buf_reset(&t);
        audit_detail(&a[k], &t);
        page_text(c, buf_str(&t));
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table></div>");
    if (n == 0)
        page_printf(c, "<p>%s</p>", tr("Không có mục nào khớp bộ lọc.", "No entry matches the filter."));
    page_end(c);
    buf_free(&t);
    free(a);
    return 0;
}
