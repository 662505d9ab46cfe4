/* page_admin.c - the import page, the report page, and administration: users, the
 * catalogue (units, indicators, targets); the audit log is page_audit.c.
 *
 * Uploads and catalogue forms go through the core import (import_run), so the web
 * applies exactly the checks, messages and history of `chitieu import`; a CSV upload is decoded
 * as that command does (import_text.h: a legacy encoding only when chosen or clean), and the
 * result page shows the encoding read and the first lines of the decoded text.  An import is
 * first run as a dry run on a private copy of the model; the rows it would set are
 * checked against the user's rights (editors: values only, units in their subtree,
 * data not submitted or approved); only then is it run for real and the shared model
 * reloaded (the pipeline holds the write lock).
 */
#include "web.h"

#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "csv.h"
#include "enc.h"
#include "import.h"
#include "import_text.h"
#include "store_task.h"
#include "task_import.h"
#include "report.h"
#include "report_store.h"
#include "vn.h"
#include "write.h"
#include "xlsx_read.h"

/* ---- import ---- */

static void import_form(web_ctx *c)
{
    static const char *const encs[][3] = {
        { "auto", "Tự nhận biết (UTF-8; mã cũ chỉ khi đọc trọn vẹn)", "Detect (UTF-8; a legacy one only if it reads cleanly)" },
        { "utf-8", "UTF-8", "UTF-8" }, { "tcvn3", "TCVN3 (ABC, .VnTime)", "TCVN3 (ABC, .VnTime)" },
        { "vni", "VNI (VNI-Times)", "VNI (VNI-Times)" }, { "viqr", "VIQR", "VIQR" },
        { "cp1258", "Windows-1258", "Windows-1258" },
    };
    const char *chosen = web_param(c, "encoding");
    page_printf(c, "<form method=\"post\" action=\"/import\" enctype=\"multipart/form-data\" class=\"card\">");
    page_csrf(c);
    page_printf(c, "<p>%s</p><label>%s <input type=\"file\" name=\"file\" accept=\".csv,.xlsx,text/csv\" required></label>",
                tr("Tệp CSV hoặc Excel (.xlsx) theo các mẫu của chitieu (values.csv: indicator,unit,period,value). "
                   "Xem trước để kiểm tra lỗi; ghi khi không còn lỗi nào.",
                   "A CSV or Excel (.xlsx) file in chitieu's formats (values.csv: indicator,unit,period,value). "
                   "Preview to check for errors; commit when there are none."),
                tr("Tệp", "File"));
    page_printf(c, " <label>%s <select name=\"encoding\" id=\"import-encoding\">", tr("Bảng mã (CSV)", "Encoding (CSV)"));
    for (size_t i = 0; i < sizeof encs / sizeof encs[0]; i++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", encs[i][0],
                    chosen && strcmp(chosen, encs[i][0]) == 0 ? " selected" : "", tr(encs[i][1], encs[i][2]));
    page_printf(c, "</select></label>"
                   "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"preview\">%s</button> "
                   "<button type=\"submit\" name=\"action\" value=\"commit\" class=\"primary\">%s</button></p></form>",
                tr("Xem trước", "Preview"), tr("Ghi vào cơ sở dữ liệu", "Commit"));
}

int page_import(web_ctx *c)
{
    if (c->role != ROLE_EDITOR && c->role != ROLE_ADMIN)
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ người nhập liệu hoặc quản trị", "editors and administrators only"));
    page_begin(c, tr("Nhập số liệu từ tệp", "Import a file"));
    import_form(c);
    page_end(c);
    return 0;
}

int web_upload_sources(const http_kv *f, int enc, buf *csvs, int *n, buf *errs, import_text_info *info)
{
    *n = 0;
    info->enc = -1;
    if (xlsx_is_zip(f->v, f->vlen)) {
        info->enc = -2;                     /* each cell by its font (xlsx_read.h) */
        xlsx_sheet *sh;
        int ns;
        err_t e;
        if (xlsx_read(f->v, f->vlen, &sh, &ns, &e) != 0) {
            buf_printf(errs, "%s: %s\n", f->filename, e.msg);
            return 0;
        }
        int data_sheets = 0;
        buf extra = BUF_INIT;          /* a data sheet beyond the 8 taken: counted, not kept */
        for (int k = 0; k < ns; k++) {
            buf *to = *n < 8 ? &csvs[*n] : &extra;
            int data = xlsx_sheet_csv(&sh[k], import_any_header, to) == 1;
            data_sheets += data;
            if (data && to != &extra)
                (*n)++;
            else
                buf_reset(to);
        }
        buf_free(&extra);
        if (data_sheets > 8)           /* never a workbook imported without some of its sheets */
            buf_printf(errs, tr("%s: sổ có %d trang số liệu; mỗi lần tải lên nhận tối đa 8 trang (hãy chia thành nhiều tệp)\n",
                                "%s: the workbook has %d data sheets; an upload takes at most 8 (split it into several files)\n"),
                       f->filename, data_sheets);
        xlsx_free(sh, ns);
        return 0;
    }
    err_t e;
    if (import_text_decode(f->filename, f->v, f->vlen, enc, 0, &csvs[0], info, &e) != 0) {
        buf_printf(errs, "%s\n", e.msg);
        return 0;
    }
    (*n)++;
    return 0;
}

/* The encoding the upload was read in and its first decoded lines, before anything is saved. */
static void show_decoded(web_ctx *c, const import_text_info *info, const buf *text)
{
    if (info->enc == -1 || text->len == 0)
        return;
    static const char *const names[] = { "UTF-8", "TCVN3 (ABC)", "VNI", "VIQR", "Windows-1258" };
    buf sample = BUF_INIT;
    if (info->enc == -2)
        page_printf(c, "<p id=\"import-encoding-used\">%s <strong>Excel (.xlsx)</strong> %s</p>", tr("Bảng mã:", "Encoding:"),
                    tr("(Unicode; ô đặt phông chữ .VnTime hoặc VNI-Times được chuyển từ bảng mã cũ)",
                       "(Unicode; cells set in a .VnTime or VNI-Times font are converted from the legacy encoding)"));
    else
        page_printf(c, "<p id=\"import-encoding-used\">%s <strong>%s%s</strong>%s</p>", tr("Bảng mã:", "Encoding:"),
                    info->enc <= ENC_CP1258 ? names[info->enc] : "?",
                    info->upper ? tr(" (phông chữ hoa)", " (capitals font)") : "",
                    info->guessed ? tr(" (tự nhận biết)", " (detected)") : tr(" (đã chọn)", " (as chosen)"));
    if (import_text_sample(buf_str(text), text->len, 6, &sample) == 0) {
        page_printf(c, "<p>%s</p><pre class=\"sample\" id=\"import-sample\">",
                    tr("Các dòng đầu của tệp, như sẽ được đọc:", "The first lines of the file, as they will be read:"));
        page_text(c, buf_str(&sample));
        page_printf(c, "</pre>");
    }
    buf_free(&sample);
}

int page_import_post(web_ctx *c)
{
    if (c->role != ROLE_EDITOR && c->role != ROLE_ADMIN)
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ người nhập liệu hoặc quản trị", "editors and administrators only"));
    const http_kv *f = http_param_kv(&c->req->form, "file");
    const char *action = web_param(c, "action");
    const char *encname = web_param(c, "encoding");
    int commit = action && strcmp(action, "commit") == 0, rc = -1, n = 0, enc = IMPORT_ENC_AUTO;
    if (f == NULL || f->filename == NULL || f->filename[0] == '\0')
        return web_fail(c, 400, "bad_request", "file", tr("chưa chọn tệp", "no file chosen"));
    if (f->vlen == 0)
        return web_fail(c, 400, "bad_request", "file", tr("tệp rỗng (cần dòng tiêu đề và các dòng số liệu)",
                                                          "the file is empty (a header row and data rows are needed)"));
    if (encname && *encname && import_text_encoding(encname, &enc) != 0)
        return web_fail(c, 400, "bad_request", "encoding", tr("encoding phải là auto, utf-8, tcvn3, vni, viqr hoặc cp1258",
                                                              "encoding must be auto, utf-8, tcvn3, vni, viqr or cp1258"));
    if (action == NULL || (!commit && strcmp(action, "preview") != 0))
        return web_fail(c, 400, "bad_request", "action", tr("action phải là preview hoặc commit", "action must be preview or commit"));
    buf csvs[8], errs = BUF_INIT;
    for (int k = 0; k < 8; k++)
        buf_init(&csvs[k], 0);
    import_source src[8];
    import_stats st;
    import_text_info info;
    err_t e;
    int ok = 0, denied = 0;
    memset(&st, 0, sizeof st);
    if (web_upload_sources(f, enc, csvs, &n, &errs, &info) != 0)
        goto cleanup;
    for (int k = 0; k < n; k++)
        src[k] = (import_source){ f->filename, buf_str(&csvs[k]), csvs[k].len };
    if (errs.len == 0 && n == 0)
        buf_printf(&errs, tr("%s: không thấy dòng tiêu đề của tệp chitieu nào\n",
                             "%s: no chitieu header row found\n"), f->filename);
    int ntask = 0;
    for (int k = 0; k < n; k++)
        ntask += task_import_kind(src[k].data, src[k].len) != TI_NONE;
    if (errs.len == 0 && ntask) {
        /* programmes and tasks: their own importer; they span units, so administrators only */
        memset(&st, 0, sizeof st);
        if (c->role != ROLE_ADMIN)
            denied = 1, buf_printf(&errs, "%s\n", tr("Chỉ quản trị được nhập chương trình, nhiệm vụ.",
                                                     "Only administrators import programmes and tasks."));
        else if (ntask != n)
            denied = 1, buf_printf(&errs, "%s\n", tr("Nhập tệp nhiệm vụ riêng, không lẫn với số liệu.",
                                                     "Import task files on their own, not mixed with figures."));
        else {
            task_set ts = { 0 };
            long trows = 0;
            if (store_task_load(c->s, &ts, &c->e) != 0)
                goto cleanup;
            const store_audit_row audit = { "import", f->filename, "" };   /* committed with the tasks */
            ok = task_import_audited(c->s, c->m, &ts, src, n, !commit, c->user.login, &audit, &errs, &trows,
                                     &e) == 0;
            task_set_free(&ts);
            if (!ok && errs.len == 0) {
                c->e = e;               /* no bad row: the database failed, a server error */
                goto cleanup;
            }
            st.rows[IK_UNKNOWN] = trows;
            if (ok && commit)
                web_committed(c);
        }
    } else if (errs.len == 0) {
        /* through the write module: rights, locks and the stored figures are checked inside the
         * transaction, on a private model loaded in it (write.h); the preview is a dry run */
        import_opts o = { .dry_run = !commit, .who = c->user.login, .max_errors = 100 };
        const store_audit_row audit = { "import", f->filename, "" };   /* committed with the figures */
        write_actor a = { c->user.login, c->role, c->uunit, f->filename, 60, 0 };
        ok = write_import_audited(c->s, &a, &audit, src, n, &o, &st, &errs, NULL, &e) == 0;
        store_forget_ids(c->s);         /* the private model's ids are not the shared model's */
        if (!ok && st.internal) {
            c->e = e;                   /* the database failed, not the file: a server error */
            goto cleanup;
        }
        denied = !ok && errs.len == 0;
        if (denied)
            buf_printf(&errs, "%s\n", e.msg);
        if (ok && commit) {
            if (web_reload(c) != 0)
                goto cleanup;
            c->m = c->app->m;
        }
    }
    page_begin(c, tr("Nhập số liệu từ tệp", "Import a file"));
    if (ok && !denied) {
        long rows = 0, added = 0, changed = 0;
        for (int k = 0; k < IK_COUNT; k++) {
            rows += st.rows[k];
            added += st.added[k];
            changed += st.changed[k];
        }
        page_printf(c, "<div class=\"msg ok\" id=\"import-result\">");
        page_text(c, f->filename);
        page_printf(c, commit ? tr(": đã ghi %ld dòng (%ld mới, %ld thay đổi).", ": committed %ld rows (%ld new, %ld changed).")
                              : tr(": %ld dòng hợp lệ (%ld mới, %ld thay đổi). Chưa ghi gì; bấm Ghi để ghi.",
                                   ": %ld valid rows (%ld new, %ld changed). Nothing written yet; press Commit."),
                    rows, added, changed);
        page_printf(c, "</div>");
    } else {
        c->resp->status = 422;
        page_printf(c, "<div class=\"msg err\" id=\"import-result\">%s</div><ul class=\"errors\">",
                    tr("Tệp có lỗi; không ghi gì vào cơ sở dữ liệu.", "The file has errors; nothing was written."));
        page_lines(c, buf_str(&errs), "<li>", "</li>");
        page_printf(c, "</ul>");
    }
    show_decoded(c, &info, &csvs[0]);
    import_form(c);
    page_end(c);
    rc = 0;
cleanup:
    for (int k = 0; k < 8; k++)
        buf_free(&csvs[k]);
    buf_free(&errs);
    return rc;
}

/* ---- report ---- */

int page_report(web_ctx *c)
{
    int u;
    period_t p;
    int st;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0 || web_structure(c, &st) != 0)
        return 0;
    const char *fmt = web_param(c, "format");
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    if (fmt == NULL || *fmt == '\0') {
        buf t = BUF_INIT;
        buf_adds(&t, tr("Báo cáo: ", "Report: "));
        buf_adds(&t, c->m->units[u].name);
        buf_adds(&t, " — ");
        report_period_label(c->m, p, &t);
        page_begin(c, buf_str(&t));
        buf_free(&t);
        page_printf(c, "<form method=\"get\" class=\"picker\"><label>%s <select name=\"unit\">", tr("Đơn vị", "Unit"));
        for (size_t k = 0; k < c->m->nunits; k++)
            if (auth_allows(c->m, c->role, c->uunit, (int)k, ACT_READ)) {
                page_printf(c, "<option value=\"");
                page_text(c, c->m->units[k].code);
                page_printf(c, "\"%s>", (int)k == u ? " selected" : "");
                page_text(c, c->m->units[k].name);
                page_printf(c, "</option>");
            }
        page_printf(c, "</select></label> <label>%s <input name=\"period\" value=\"%s\" size=\"9\"></label> "
                       "<button type=\"submit\">%s</button></form><ul class=\"downloads\">",
                    tr("Kỳ", "Period"), per, tr("Chọn", "Choose"));
        /* every format the command line writes, and the entry template */
        static const char *const fmts[] = { "html", "docx", "pdf", "xlsx", "md", "json", "template" };
        const char *names[] = { tr("Xem báo cáo", "View the report"), tr("Báo cáo Word", "Word report"),
                                tr("Báo cáo PDF", "PDF report"), tr("Bảng số liệu Excel", "Excel workbook"),
                                tr("Tải về", "Download"), tr("Tải về", "Download"),
                                tr("Biểu nhập số liệu (Excel)", "Data entry template (Excel)") };
        for (int k = 0; k < 7; k++) {
            page_printf(c, "<li><a href=\"/report?unit=");
            page_urlarg(c, c->m->units[u].code);
            page_printf(c, "&amp;period=%s&amp;format=%s\"%s>%s (%s)</a></li>", per, fmts[k],
                        k ? " download" : "", names[k], strcmp(fmts[k], "template") == 0 ? "xlsx" : fmts[k]);
        }
        page_printf(c, "</ul>");
        page_end(c);
        return 0;
    }
    if (page_report_is_file(fmt))
        return page_report_file(c, u, p, st, fmt);
    if (strcmp(fmt, "html") != 0 && strcmp(fmt, "md") != 0 && strcmp(fmt, "json") != 0)
        return web_fail(c, 400, "bad_format", "format", tr("format phải là html, md, json, docx, pdf, xlsx hoặc template",
                                                           "format must be html, md, json, docx, pdf, xlsx or template"));
    json_t *doc = NULL;
    err_t big;
    if (eval_too_large_in_on(c->m, u, p, st, &big))       /* no report with a figure left out */
        return web_fail(c, 422, "too_large", "period", big.msg);
    if (report_build_store(c->s, c->m, u, p, st, web_today(c), &doc, &c->e) != 0)
        return -1;
    buf_reset(&c->resp->body);
    int rc = report_render(doc, fmt, &c->resp->body, &c->e);
    json_decref(doc);
    if (rc != 0)
        return -1;
    c->resp->ctype = strcmp(fmt, "html") == 0 ? "text/html; charset=utf-8"
                   : strcmp(fmt, "md") == 0 ? "text/markdown; charset=utf-8" : "application/json";
    /* The standalone report carries its own style sheet and no script. */
    c->resp->csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'";
    if (strcmp(fmt, "html") != 0)
        snprintf(c->resp->disposition, sizeof c->resp->disposition,
                 "attachment; filename=\"bao-cao-%s-%s.%s\"", c->m->units[u].code, per, fmt);
    return 0;
}

/* ---- users ---- */

static void unit_select(web_ctx *c, const char *name, int act)
{
    page_printf(c, "<select name=\"%s\">", name);
    for (size_t k = 0; k < c->m->nunits; k++)
        if (auth_allows(c->m, c->role, c->uunit, (int)k, act)) {
            page_printf(c, "<option value=\"");
            page_text(c, c->m->units[k].code);
            page_printf(c, "\">");
            page_text(c, c->m->units[k].name);
            page_printf(c, "</option>");
        }
    page_printf(c, "</select>");
}

/* The users page with an optional message; -1 (c->e filled) if the users could not be read. */
static int users_page(web_ctx *c, const char *msg, int ok)
{
    web_user *us = NULL;
    int n = store_user_list(c->s, &us, &c->e);
    if (n < 0)
        return -1;
    page_begin(c, tr("Người dùng", "Users"));
    if (msg) {
        page_printf(c, "<div class=\"msg %s\" role=\"alert\">", ok ? "ok" : "err");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th></tr></thead><tbody>", tr("Tên đăng nhập", "Login"), tr("Họ tên", "Name"),
                tr("Vai trò", "Role"), tr("Đơn vị", "Unit"), tr("Thao tác", "Action"));
    for (int k = 0; k < n; k++) {
        int u = model_unit_find(c->m, us[k].unit);
        if (u >= 0 && !auth_allows(c->m, c->role, c->uunit, u, ACT_ADMIN))
            continue;
        page_printf(c, "<tr%s><td>", us[k].disabled ? " class=\"disabled\"" : "");
        page_text(c, us[k].login);
        page_printf(c, "</td><td>");
        page_text(c, us[k].name);
        page_printf(c, "</td><td>%s</td><td>", auth_role_name(auth_role_parse(us[k].role)));
        page_text(c, u >= 0 ? c->m->units[u].name : us[k].unit);
        page_printf(c, "</td><td><form method=\"post\" action=\"/admin/users\" class=\"inline\">");
        page_csrf(c);
        page_printf(c, "<input type=\"hidden\" name=\"login\" value=\"");
        page_text(c, us[k].login);
        page_printf(c, "\"><button type=\"submit\" name=\"action\" value=\"%s\">%s</button></form> "
                       "<form method=\"post\" action=\"/admin/users\" class=\"inline\">",
                    us[k].disabled ? "enable" : "disable", us[k].disabled ? tr("Mở lại", "Enable") : tr("Khóa", "Disable"));
        page_csrf(c);
        page_printf(c, "<input type=\"hidden\" name=\"login\" value=\"");
        page_text(c, us[k].login);
        page_printf(c, "\"><input type=\"password\" name=\"password\" minlength=\"8\" placeholder=\"%s\" required "
                       "autocomplete=\"new-password\"> <button type=\"submit\" name=\"action\" value=\"passwd\">%s</button></form></td></tr>",
                    tr("mật khẩu mới", "new password"), tr("Đặt mật khẩu", "Set password"));
    }
    page_printf(c, "</tbody></table></div><h2>%s</h2><form method=\"post\" action=\"/admin/users\" class=\"card\">",
                tr("Thêm người dùng", "Add a user"));
    page_csrf(c);
    page_printf(c, "<label>%s <input name=\"login\" required maxlength=\"60\" pattern=\"[a-z0-9._@-]+\"></label>"
                   "<label>%s <input name=\"name\" maxlength=\"120\"></label><label>%s <select name=\"role\">",
                tr("Tên đăng nhập", "Login"), tr("Họ tên", "Name"), tr("Vai trò", "Role"));
    for (int r = 0; r < ROLE_COUNT; r++)
        page_printf(c, "<option value=\"%s\">%s</option>", auth_role_key(r), auth_role_name(r));
    page_printf(c, "</select></label><label>%s ", tr("Đơn vị", "Unit"));
    unit_select(c, "unit", ACT_ADMIN);
    page_printf(c, "</label><label>%s <input type=\"password\" name=\"password\" minlength=\"8\" required "
                   "autocomplete=\"new-password\"></label><button type=\"submit\" name=\"action\" value=\"add\" "
                   "class=\"primary\">%s</button></form>", tr("Mật khẩu", "Password"), tr("Thêm", "Add"));
    page_end(c);
    free(us);
    return 0;
}

int page_admin_users(web_ctx *c)
{
    if (!auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    return users_page(c, NULL, 0);
}

/* Validates a login name: 1-60 of [a-z0-9._@-]. */
static int login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 60)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr("._@-", *s)))
            return 0;
    return 1;
}

int page_admin_users_post(web_ctx *c)
{
    if (!auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    const char *action = web_param(c, "action"), *login = web_param(c, "login");
    const char *pw = web_param(c, "password");
    char hash[AUTH_HASH_MAX];
    web_user u;
    err_t e;
    if (action == NULL || login == NULL)
        return web_fail(c, 400, "bad_request", "action", tr("thiếu action hoặc login", "action or login missing"));
    if (strcmp(action, "add") == 0) {
        const char *name = web_param(c, "name"), *role = web_param(c, "role"), *unit = web_param(c, "unit");
        int uu = unit ? model_unit_find(c->m, unit) : -1;
        c->resp->status = 400;
        if (!login_ok(login)) {
            return users_page(c, tr("Tên đăng nhập chỉ gồm a-z, 0-9, . _ @ - (tối đa 60 ký tự).",
                             "A login has only a-z, 0-9, . _ @ - (60 at most)."), 0);
        }
        if (role == NULL || auth_role_parse(role) < 0 || uu < 0 || !auth_allows(c->m, c->role, c->uunit, uu, ACT_ADMIN)) {
            return users_page(c, tr("Vai trò hoặc đơn vị không hợp lệ.", "Invalid role or unit."), 0);
        }
        if (pw == NULL || auth_password_ok_for(pw, login, &e) != 0) {
            return users_page(c, pw ? e.msg : tr("Thiếu mật khẩu.", "Password missing."), 0);
        }
        if (name && strlen(name) > 120) {
            return users_page(c, tr("Họ tên dài quá.", "Name too long."), 0);
        }
        memset(&u, 0, sizeof u);
        snprintf(u.login, sizeof u.login, "%s", login);
        snprintf(u.name, sizeof u.name, "%s", name ? name : "");
        snprintf(u.role, sizeof u.role, "%s", role);
        snprintf(u.unit, sizeof u.unit, "%s", unit);
        if (auth_hash_password(pw, hash, &c->e) != 0 || store_begin(c->s, &c->e) != 0)
            return -1;
        if (store_user_add(c->s, &u, hash, &e) != 0) {
            store_rollback(c->s);
            return users_page(c, e.msg, 0);
        }
        c->resp->status = 200;
        /* the user and its audit entry in one transaction: a crash keeps both or neither */
        if (store_audit_add(c->s, c->user.login, "user add", login, role, &c->e) != 0 || store_commit(c->s, &c->e) != 0) {
            store_rollback(c->s);
            return -1;
        }
        return web_redirect(c, "/admin/users");
    }
    int found = store_user_get(c->s, login, &u, NULL, 0, &c->e);
    if (found < 0)
        return -1;
    int uu = found ? model_unit_find(c->m, u.unit) : -1;
    if (!found || (uu >= 0 && !auth_allows(c->m, c->role, c->uunit, uu, ACT_ADMIN)))
        return web_fail(c, 404, "not_found", "login", tr("không có người dùng này", "no such user"));
    int disable = strcmp(action, "disable") == 0, passwd = strcmp(action, "passwd") == 0;
    if (!disable && !passwd && strcmp(action, "enable") != 0)
        return web_fail(c, 400, "bad_request", "action", tr("action không hợp lệ", "invalid action"));
    if (!passwd && strcmp(login, c->user.login) == 0)
        return web_fail(c, 400, "bad_request", "login", tr("không tự khóa mình được", "you cannot disable yourself"));
    if (passwd && (pw == NULL || auth_password_ok_for(pw, login, &e) != 0)) {
        c->resp->status = 400;
        return users_page(c, pw ? e.msg : tr("Thiếu mật khẩu.", "Password missing."), 0);
    }
    if ((passwd && auth_hash_password(pw, hash, &c->e) != 0) || store_begin(c->s, &c->e) != 0)
        return -1;
    /* the change and its audit entry in one transaction: a crash keeps both or neither */
    if ((passwd ? store_user_set_password(c->s, login, hash, &c->e)
                : store_user_set_disabled(c->s, login, disable, &c->e)) < 0 ||
        store_audit_add(c->s, c->user.login, action, login, "", &c->e) != 0 || store_commit(c->s, &c->e) != 0) {
        store_rollback(c->s);
        return -1;
    }
    return web_redirect(c, "/admin/users");
}

/* ---- catalogue: units, indicators, targets through the core import ---- */

typedef struct dated { int date, k; } dated;
static int cmp_dated(const void *a, const void *b)
{
    const dated *x = a, *y = b;
    return x->date != y->date ? (x->date < y->date ? -1 : 1) : x->k - y->k;
}

/* The successions (merges, splits, renames), by date: read-only, changed by importing a file. */
static void succession_table(web_ctx *c)
{
    const model *m = c->m;
    dated *order = malloc((m->nsuccs + 1) * sizeof *order);
    buf b = BUF_INIT;
    if (order == NULL)
        return;
    for (size_t k = 0; k < m->nsuccs; k++)
        order[k] = (dated){ m->succs[k].date, (int)k };
    qsort(order, m->nsuccs, sizeof *order, cmp_dated);
    page_printf(c, "<h2>%s</h2><p>%s</p><div class=\"scroll\"><table class=\"grid\" id=\"successions\"><thead><tr>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", tr("Kế thừa đơn vị", "Successions"),
                tr("Sáp nhập, chia tách, đổi tên: nhập tệp from,to,date[,share] (docs/successions.md).",
                   "Merges, splits, renames: import a from,to,date[,share] file (docs/successions.md)."),
                tr("Ngày", "Date"), tr("Đơn vị cũ", "From"), tr("Đơn vị kế thừa", "To"), tr("Tỷ lệ", "Share"));
    for (size_t i = 0; i < m->nsuccs; i++) {
        const succ_t *x = &m->succs[order[i].k];
        buf_reset(&b);
        vn_format_date(x->date, lang_get(), &b);
        page_printf(c, "<tr><td>%s</td><td>", buf_str(&b));
        page_text(c, m->units[x->from].name);
        page_printf(c, " (");
        page_text(c, m->units[x->from].code);
        page_printf(c, ")</td><td>");
        page_text(c, m->units[x->to].name);
        page_printf(c, " (");
        page_text(c, m->units[x->to].code);
        buf_reset(&b);
        vn_format_number_trim(x->share, 6, lang_get(), &b);
        page_printf(c, ")</td><td>%s</td></tr>", buf_str(&b));
    }
    page_printf(c, "</tbody></table></div>");
    buf_free(&b);
    free(order);
}

/* The form's field, or `current` when the field is absent or blank. */
static const char *keep(const char *field, const char *current)
{
    return field && *field ? field : current;
}

/* One attribute value="..." holding s (escaped), or nothing when s is NULL. */
static void value_attr(web_ctx *c, const char *s)
{
    if (s == NULL)
        return;
    page_printf(c, " value=\"");
    page_text(c, s);
    page_printf(c, "\"");
}

/* The indicator form: blank, or filled from ?edit=CODE (the table's "Sửa" links).  Its direction
 * and decimals start blank, which the POST reads as "as it is" for an existing indicator. */
static void indicator_form(web_ctx *c)
{
    const char *edit = web_param(c, "edit");
    int i = edit ? model_ind_find(c->m, edit) : -1;
    const ind_t *d = i >= 0 ? &c->m->inds[i] : NULL;
    char dec[8];
    snprintf(dec, sizeof dec, "%d", d ? d->decimals : 0);
    page_printf(c, "<h2 id=\"ind-form\">%s</h2><form method=\"post\" action=\"/admin/data\" class=\"card\">",
                tr("Chỉ tiêu", "Indicator"));
    page_csrf(c);
    page_printf(c, "<label>%s <input name=\"code\" required maxlength=\"60\"", tr("Mã", "Code"));
    value_attr(c, d ? d->code : NULL);
    page_printf(c, "></label><label>%s <input name=\"name\" required maxlength=\"300\"", tr("Tên", "Name"));
    value_attr(c, d ? d->name : NULL);
    page_printf(c, "></label><label>%s <input name=\"group\" maxlength=\"120\"", tr("Nhóm", "Group"));
    value_attr(c, d ? d->group : NULL);
    page_printf(c, "></label><label>%s <input name=\"measure\" maxlength=\"40\"", tr("Đơn vị tính", "Measure"));
    value_attr(c, d ? d->measure : NULL);
    page_printf(c, "></label><label>%s <select name=\"direction\"><option value=\"\">%s</option>",
                tr("Chiều đánh giá", "Direction"),
                tr("giữ như hiện có (chỉ tiêu mới: càng cao càng tốt)", "as it is (a new indicator: higher is better)"));
    static const char *const dirs[] = { "up", "down", "equal", "done" };
    const char *labels[] = { tr("càng cao càng tốt", "higher is better"), tr("càng thấp càng tốt", "lower is better"),
                             tr("bằng kế hoạch", "equal to target"), tr("hoàn thành / không", "done or not") };
    for (int k = 0; k < 4; k++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", dirs[k],
                    d && strcmp(model_dir_name(d->dir), dirs[k]) == 0 ? " selected" : "", labels[k]);
    page_printf(c, "</select></label><label>%s <input name=\"decimals\" inputmode=\"numeric\" maxlength=\"1\" "
                   "placeholder=\"%s\"", tr("Số chữ số thập phân", "Decimals"),
                tr("như hiện có", "as it is"));
    value_attr(c, d ? dec : NULL);
    page_printf(c, "></label><button type=\"submit\" name=\"action\" value=\"indicator\">%s</button></form>",
                tr("Lưu chỉ tiêu", "Save indicator"));
}

int page_admin_data(web_ctx *c)
{
    if (!auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    page_begin(c, tr("Danh mục: đơn vị, chỉ tiêu, kế hoạch", "Catalogue: units, indicators, targets"));
    page_printf(c, "<p>%s <a href=\"/import\">%s</a>.</p>",
                tr("Sửa từng mục ở đây; sửa hàng loạt bằng", "Edit one entry here; many at once with"),
                tr("nhập tệp", "an import"));
    page_printf(c, "<h2>%s</h2><form method=\"post\" action=\"/admin/data\" class=\"card\">", tr("Đơn vị", "Unit"));
    page_csrf(c);
    page_printf(c, "<label>%s <input name=\"code\" required maxlength=\"60\"></label><label>%s <input name=\"name\" "
                   "required maxlength=\"200\"></label><label>%s ", tr("Mã", "Code"), tr("Tên", "Name"),
                tr("Đơn vị cấp trên", "Parent"));
    unit_select(c, "parent", ACT_ADMIN);
    page_printf(c, "</label><label>%s <input name=\"type\" maxlength=\"60\"></label><label>%s <input name=\"valid_from\" "
                   "type=\"date\"></label><label>%s <input name=\"valid_to\" type=\"date\"></label><p class=\"hint\">%s</p>"
                   "<button type=\"submit\" name=\"action\" value=\"unit\">%s</button></form>", tr("Loại", "Type"),
                tr("Hiệu lực từ ngày", "Valid from"), tr("đến ngày", "to"),
                tr("Ngày để trống: đơn vị mới có hiệu lực không giới hạn; đơn vị đã có giữ ngày như hiện có. Đơn vị mới dưới "
                   "đơn vị có số liệu đã duyệt cần ngày bắt đầu sau kỳ đã duyệt.",
                   "Dates left blank: a new unit is valid without limit; an existing one keeps its dates. A new unit under "
                   "one whose figures are approved needs a start after the approved period."),
                tr("Lưu đơn vị", "Save unit"));
    indicator_form(c);
    page_printf(c, "<h2>%s</h2><form method=\"post\" action=\"/admin/data\" class=\"card\">", tr("Kế hoạch (chỉ tiêu giao)", "Target"));
    page_csrf(c);
    page_printf(c, "<label>%s <select name=\"ind\">", tr("Chỉ tiêu", "Indicator"));
    for (size_t k = 0; k < c->m->ninds; k++) {
        page_printf(c, "<option value=\"");
        page_text(c, c->m->inds[k].code);
        page_printf(c, "\">");
        page_text(c, c->m->inds[k].name);
        page_printf(c, "</option>");
    }
    page_printf(c, "</select></label><label>%s ", tr("Đơn vị", "Unit"));
    unit_select(c, "unit", ACT_ADMIN);
    page_printf(c, "</label><label>%s <input name=\"period\" required size=\"9\"></label><label>%s <input name=\"value\" "
                   "required inputmode=\"decimal\"></label><button type=\"submit\" name=\"action\" value=\"target\">%s</button>"
                   "</form>", tr("Kỳ", "Period"), tr("Kế hoạch", "Target"), tr("Lưu kế hoạch", "Save target"));
    page_printf(c, "<h2>%s</h2><div class=\"scroll\"><table class=\"grid\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th><span class=\"vh\">%s</span></th></tr></thead><tbody>",
                tr("Chỉ tiêu", "Indicators"), tr("Mã", "Code"), tr("Tên", "Name"), tr("Nhóm", "Group"),
                tr("ĐVT", "Measure"), tr("Công thức", "Formula"), tr("Sửa", "Edit"));
    for (size_t k = 0; k < c->m->ninds; k++) {
        const ind_t *d = &c->m->inds[k];
        page_printf(c, "<tr><td>");
        page_text(c, d->code);
        page_printf(c, "</td><td>");
        page_text(c, d->name);
        page_printf(c, "</td><td>");
        page_text(c, d->group);
        page_printf(c, "</td><td>");
        page_text(c, d->measure);
        page_printf(c, "</td><td>");
        page_text(c, d->formula_src);
        page_printf(c, "</td><td><a href=\"/admin/data?edit=");
        page_urlarg(c, d->code);
        page_printf(c, "#ind-form\">%s</a></td></tr>", tr("Sửa", "Edit"));
    }
    page_printf(c, "</tbody></table></div>");
    if (c->m->nsuccs)
        succession_table(c);
    page_end(c);
    return 0;
}

int page_admin_data_post(web_ctx *c)
{
    if (!auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    const char *action = web_param(c, "action");
    buf csv = BUF_INIT, errs = BUF_INIT;
    int rc = -1;
    const char *fields[4] = { 0 };
    if (action && strcmp(action, "unit") == 0) {
        const char *parent = web_param(c, "parent");
        int pu = parent ? model_unit_find(c->m, parent) : -1;
        if (pu < 0 || !auth_allows(c->m, c->role, c->uunit, pu, ACT_ADMIN)) {
            rc = web_fail(c, 403, "forbidden", "parent", tr("đơn vị cấp trên ngoài phạm vi của bạn", "parent outside your subtree"));
            goto cleanup;
        }
        int existing = web_param(c, "code") ? model_unit_find(c->m, web_param(c, "code")) : -1;
        if (existing >= 0 && !auth_allows(c->m, c->role, c->uunit, existing, ACT_ADMIN)) {
            rc = web_fail(c, 403, "forbidden", "code", tr("đơn vị ngoài phạm vi của bạn", "unit outside your subtree"));
            goto cleanup;
        }
        /* a date column only when its field is filled: an existing unit keeps the dates a blank
         * field leaves (import.c), a new one is valid from its valid_from (open when blank) */
        const char *from = web_param(c, "valid_from"), *to = web_param(c, "valid_to");
        int with_from = from && *from, with_to = to && *to;
        buf_printf(&csv, "code,name,parent,type%s%s\n", with_from ? ",valid_from" : "", with_to ? ",valid_to" : "");
        const char *f[6] = { web_param(c, "code"), web_param(c, "name"), parent, web_param(c, "type"),
                             with_from ? from : NULL, with_to ? to : NULL };
        for (int k = 0; k < 6; k++) {
            if (k >= 4 && f[k] == NULL)
                continue;
            if (k > 0)
                buf_addc(&csv, ',');
            csv_write_field(&csv, f[k] ? f[k] : "");
        }
        buf_addc(&csv, '\n');
        fields[0] = f[0], fields[1] = f[1];
        goto run;
    } else if (action && strcmp(action, "target") == 0) {
        const char *unit = web_param(c, "unit");
        int tu = unit ? model_unit_find(c->m, unit) : -1;
        if (tu < 0 || !auth_allows(c->m, c->role, c->uunit, tu, ACT_ADMIN)) {
            rc = web_fail(c, 403, "forbidden", "unit", tr("đơn vị ngoài phạm vi của bạn", "unit outside your subtree"));
            goto cleanup;
        }
        buf_adds(&csv, "indicator,unit,period,target\n");
        fields[0] = web_param(c, "ind"), fields[1] = unit, fields[2] = web_param(c, "period"),
        fields[3] = web_param(c, "value");
    } else if (action && strcmp(action, "indicator") == 0) {
        if (c->m->units[c->uunit].parent >= 0) {
            /* indicators are shared by the whole tree: only an administrator of a root unit */
            rc = web_fail(c, 403, "forbidden", "code", tr("chỉ quản trị cấp cao nhất sửa danh mục chỉ tiêu",
                                                          "only a top-level administrator edits indicators"));
            goto cleanup;
        }
        /* The form edits name, group, measure, direction and decimals; an existing indicator keeps
         * its set, parent, aggregations and formula, and what a blank field leaves (the blank
         * form's direction and decimals start blank: saving a name never resets them). */
        const char *code = web_param(c, "code");
        int old = code ? model_ind_find(c->m, code) : -1;
        const ind_t *d = old >= 0 ? &c->m->inds[old] : NULL;
        buf_adds(&csv, "code,name,group,set,parent,unit,direction,unit_aggregation,period_aggregation,formula,decimals\n");
        char dec[8];
        snprintf(dec, sizeof dec, "%d", d ? d->decimals : 0);
        const char *f[11] = { code, web_param(c, "name"), keep(web_param(c, "group"), d ? d->group : ""),
                              d ? d->set : "", d ? d->parent_code : "", keep(web_param(c, "measure"), d ? d->measure : ""),
                              keep(web_param(c, "direction"), d ? model_dir_name(d->dir) : "up"),
                              d ? model_agg_name(d->uagg) : "sum", d ? model_agg_name(d->pagg) : "sum",
                              d ? d->formula_src : "", keep(web_param(c, "decimals"), dec) };
        for (int k = 0; k < 11; k++) {
            csv_write_field(&csv, f[k] ? f[k] : "");
            buf_addc(&csv, k < 10 ? ',' : '\n');
        }
        fields[0] = f[0], fields[1] = f[1];
        goto run;
    } else {
        rc = web_fail(c, 400, "bad_request", "action", tr("action phải là unit, indicator hoặc target",
                                                          "action must be unit, indicator or target"));
        goto cleanup;
    }
    for (int k = 0; k < 4; k++) {
        csv_write_field(&csv, fields[k] ? fields[k] : "");
        buf_addc(&csv, k < 3 ? ',' : '\n');
    }
run:;
    import_source src = { tr("biểu mẫu", "form"), buf_str(&csv), csv.len };
    import_opts o = { .who = c->user.login, .max_errors = 20 };
    import_stats st;
    err_t e;
    /* Through the write module, on a private model loaded inside its transaction (write.h), so
     * pages go on reading the shared one; that is replaced only after the commit. */
    const store_audit_row audit = { action, fields[0] ? fields[0] : "", fields[1] ? fields[1] : "" };
    write_actor a = { c->user.login, c->role, c->uunit, tr("biểu mẫu", "form"), 60, 0 };
    memset(&st, 0, sizeof st);
    int ok = write_import_audited(c->s, &a, &audit, &src, 1, &o, &st, &errs, NULL, &e) == 0;
    store_forget_ids(c->s);              /* the private model's ids are not the shared model's */
    if (!ok && st.internal) {
        c->e = e;                        /* the database failed, not the form: a server error */
        goto cleanup;
    }
    if (ok && web_reload(c) != 0)
        goto cleanup;
    c->m = c->app->m;
    if (!ok) {
        rc = web_fail(c, 400, "invalid", NULL, errs.len ? buf_str(&errs) : e.msg);
        goto cleanup;
    }
    rc = web_redirect(c, "/admin/data");
cleanup:
    buf_free(&csv);
    buf_free(&errs);
    return rc;
}
