/* api_import.c - POST /api/v1/import: a file (multipart/form-data field `file`, CSV or .xlsx) with
 * `action=preview|commit` and `encoding`, checked and written exactly as the web's import page
 * (page_admin.c) does: figures through write_import (rights, locks and the stored figures judged
 * inside its transaction; a preview is a dry run), programme and task files through task_import
 * (administrators only); every problem listed at once; a commit audited.  The answer is JSON:
 * the counts, the encoding the file was read in and its first decoded lines.
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_list.h"
#include "enc.h"
#include "import.h"
#include "import_text.h"
#include "store_task.h"
#include "task_import.h"
#include "write.h"

/* The problems (one a line) as {"error":{code,message,rows:[{code,message}]}} with this status. */
static int send_errors(web_ctx *c, int status, const char *code, const buf *errs)
{
    json_t *rows = json_array();
    for (const char *s = buf_str(errs); rows && *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (len)
            json_array_append_new(rows, json_pack("{s:s,s:s%}", "code", code, "message", s, len));
        s += len + (nl != NULL);
    }
    return api_send_json(c, rows ? json_pack("{s:{s:s,s:s,s:o}}", "error", "code", code, "message",
                                             tr("tệp có lỗi; không ghi gì vào cơ sở dữ liệu",
                                                "the file has errors; nothing was written"), "rows", rows) : NULL,
                         status);
}

/* Programme and task files: their own importer, administrators only; 1 ok, 0 refused, -1 error. */
static int import_tasks(web_ctx *c, const import_source *src, int n, int ntask, int commit, const char *name,
                        import_stats *st, buf *errs, int *denied)
{
    task_set ts = { 0 };
    long trows = 0;
    err_t e;
    if (c->role != ROLE_ADMIN || ntask != n) {
        *denied = 1;
        buf_printf(errs, "%s\n", c->role != ROLE_ADMIN ? tr("Chỉ quản trị được nhập chương trình, nhiệm vụ.",
                                                            "Only administrators import programmes and tasks.")
                                                      : tr("Nhập tệp nhiệm vụ riêng, không lẫn với số liệu.",
                                                           "Import task files on their own, not mixed with figures."));
        return 0;
    }
    if (store_task_load(c->s, &ts, &c->e) != 0) {
        task_set_free(&ts);
        return -1;
    }
    const store_audit_row audit = { "import", name, "" };   /* committed with the tasks */
    int ok = task_import_audited(c->s, c->m, &ts, src, n, !commit, c->user.login, &audit, errs, &trows, &e) == 0;
    task_set_free(&ts);
    if (!ok && errs->len == 0) {
        c->e = e;                       /* no bad row: the database failed */
        return -1;
    }
    st->rows[IK_UNKNOWN] = trows;
    if (ok && commit)
        web_committed(c);
    return ok;
}

/* Figures through the write module; 1 ok, 0 refused, -1 error. */
static int import_figures(web_ctx *c, const import_source *src, int n, int commit, const char *name,
                          import_stats *st, buf *errs, int *denied)
{
    import_opts o = { .dry_run = !commit, .who = c->user.login, .max_errors = 100 };
    const store_audit_row audit = { "import", name, "" };   /* committed with the figures */
    write_actor a = { c->user.login, c->role, c->uunit, name, 60, 0 };
    err_t e;
    int ok = write_import_audited(c->s, &a, &audit, src, n, &o, st, errs, NULL, &e) == 0;
    store_forget_ids(c->s);             /* the private model's ids are not the shared model's */
    if (!ok && st->internal) {
        c->e = e;
        return -1;
    }
    *denied = !ok && errs->len == 0;
    if (*denied)
        buf_printf(errs, "%s\n", e.msg);
    if (ok && commit) {
        if (web_reload(c) != 0)
            return -1;
        c->m = c->app->m;
    }
    return ok;
}

static int send_result(web_ctx *c, const char *name, int commit, const import_stats *st,
                       const import_text_info *info, const buf *text)
{
    static const char *const names[] = { "utf-8", "tcvn3", "vni", "viqr", "cp1258" };
    long rows = 0, added = 0, changed = 0;
    for (int k = 0; k < IK_COUNT; k++) {
        rows += st->rows[k];
        added += st->added[k];
        changed += st->changed[k];
    }
    buf sample = BUF_INIT;
    if (text->len)
        import_text_sample(buf_str(text), text->len, 6, &sample);
    const char *encoding = info->enc == -2 ? "xlsx" : info->enc >= 0 && info->enc <= ENC_CP1258 ? names[info->enc] : "";
    int rc = api_send_json(c, json_pack("{s:s,s:b,s:I,s:I,s:I,s:s,s:b,s:s}", "file", name, "committed", commit,
                                        "rows", (json_int_t)rows, "added", (json_int_t)added, "changed",
                                        (json_int_t)changed, "encoding", encoding, "encoding_guessed",
                                        info->enc >= 0 && info->guessed, "sample", buf_str(&sample)), 200);
    buf_free(&sample);
    return rc;
}

int api_import(web_ctx *c)
{
    if (c->role != ROLE_EDITOR && c->role != ROLE_ADMIN)
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ người nhập liệu hoặc quản trị", "editors and administrators only"));
    if (strncasecmp(c->req->ctype, "multipart/form-data", 19) != 0)
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: multipart/form-data với trường file",
                                                                   "Content-Type: multipart/form-data with a `file` field required"));
    const http_kv *f = http_param_kv(&c->req->form, "file");
    const char *action = web_param(c, "action"), *encname = web_param(c, "encoding");
    int commit = action && strcmp(action, "commit") == 0, n = 0, enc = IMPORT_ENC_AUTO, rc = -1, ok = 0, denied = 0;
    if (f == NULL || f->filename == NULL || f->filename[0] == '\0')
        return web_fail(c, 400, "bad_request", "file", tr("chưa có tệp (trường file)", "no file (field `file`)"));
    if (f->vlen == 0)
        return web_fail(c, 422, "invalid_file", "file", tr("tệp rỗng (cần dòng tiêu đề và các dòng số liệu)",
                                                           "the file is empty (a header row and data rows are needed)"));
    if (encname && *encname && import_text_encoding(encname, &enc) != 0)
        return web_fail(c, 400, "bad_request", "encoding", tr("encoding phải là auto, utf-8, tcvn3, vni, viqr hoặc cp1258",
                                                              "encoding must be auto, utf-8, tcvn3, vni, viqr or cp1258"));
    if (action && *action && !commit && strcmp(action, "preview") != 0)
        return web_fail(c, 400, "bad_request", "action", tr("action phải là preview hoặc commit", "action must be preview or commit"));
    buf csvs[8], errs = BUF_INIT;
    for (int k = 0; k < 8; k++)
        buf_init(&csvs[k], 0);
    import_source src[8];
    import_stats st;
    import_text_info info;
    memset(&st, 0, sizeof st);
    web_upload_sources(f, enc, csvs, &n, &errs, &info);
    for (int k = 0; k < n; k++)
        src[k] = (import_source){ f->filename, buf_str(&csvs[k]), csvs[k].len };
    if (errs.len == 0 && n == 0)
        buf_printf(&errs, tr("%s: không thấy dòng tiêu đề của tệp chitieu nào\n", "%s: no chitieu header row found\n"),
                   f->filename);
    int ntask = 0;
    for (int k = 0; k < n; k++)
        ntask += task_import_kind(src[k].data, src[k].len) != TI_NONE;
    if (errs.len == 0)
        ok = ntask ? import_tasks(c, src, n, ntask, commit, f->filename, &st, &errs, &denied)
                   : import_figures(c, src, n, commit, f->filename, &st, &errs, &denied);
    if (ok < 0)
        goto cleanup;
    if (ok && !denied)
        rc = send_result(c, f->filename, commit, &st, &info, &csvs[0]);
    else
        rc = send_errors(c, denied ? 403 : 422, denied ? "forbidden" : "invalid_file", &errs);
cleanup:
    for (int k = 0; k < 8; k++)
        buf_free(&csvs[k]);
    buf_free(&errs);
    return rc;
}
