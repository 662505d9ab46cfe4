/* page_report_file.c - the report page's office downloads: the Word report (docx), its PDF, the
 * Excel workbook (xlsx) and the entry template (template), the same files the command line
 * writes (`chitieu report --format docx|pdf`, `chitieu export`, `chitieu template`).
 *
 * Data flow: the writers write files, so each request gets a private directory from mkdtemp;
 * the file is written there (the PDF by LibreOffice from the Word file, with its profile in the
 * same directory), read into the response body, and the directory removed whatever happened.
 * The model is only read; nothing is shared between requests.
 */
#define _XOPEN_SOURCE 700
#include "web.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docx.h"
#include "eval.h"
#include "report.h"
#include "report_store.h"
#include "xlsx_out.h"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* Reads the whole file into out; 0 or -1. */
static int slurp(const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return -1;
    char chunk[65536];
    size_t n;
    int rc = 0;
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_add(out, chunk, n);
    if (ferror(f))
        rc = -1;
    fclose(f);
    return rc;
}

int page_report_is_file(const char *fmt)
{
    return strcmp(fmt, "docx") == 0 || strcmp(fmt, "pdf") == 0 || strcmp(fmt, "xlsx") == 0 ||
           strcmp(fmt, "template") == 0;
}

/* Writes the file of format fmt for (u, p) at path (dir: the request's private directory). */
static int make_file(web_ctx *c, int u, period_t p, int st, const char *fmt, const char *dir, const char *path)
{
    if (strcmp(fmt, "xlsx") == 0)
        return xlsx_export_on(c->m, u, p, st, path, &c->e);
    if (strcmp(fmt, "template") == 0) {
        int rows = 0;
        return xlsx_template(c->m, u, p, path, &rows, &c->e);
    }
    json_t *doc = NULL;
    if (report_build_store(c->s, c->m, u, p, st, web_today(c), &doc, &c->e) != 0)
        return -1;
    buf docx = BUF_INIT, profile = BUF_INIT;
    int pdf = strcmp(fmt, "pdf") == 0;
    buf_adds(&docx, pdf ? "" : path);               /* the PDF is made from a Word file beside it */
    if (pdf)
        buf_printf(&docx, "%s/r.docx", dir);
    buf_printf(&profile, "%s/lo", dir);
    int rc = docx_write(doc, DOCX_AUTO, buf_str(&docx), &c->e);
    if (rc == 0 && pdf)
        rc = docx_to_pdf(buf_str(&docx), path, buf_str(&profile), &c->e);
    json_decref(doc);
    buf_free(&docx);
    buf_free(&profile);
    return rc;
}

int page_report_file(web_ctx *c, int u, period_t p, int st, const char *fmt)
{
    err_t big;
    if (eval_too_large_in_on(c->m, u, p, st, &big))       /* no file with a figure left out */
        return web_fail(c, 422, "too_large", "period", big.msg);
    char dir[] = "/tmp/chitieu-web-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return err_set(&c->e, tr("không tạo được thư mục tạm", "cannot create a temporary directory"));
    const char *ext = strcmp(fmt, "template") == 0 ? "xlsx" : fmt;
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    buf path = BUF_INIT;
    buf_printf(&path, "%s/out.%s", dir, ext);
    int rc = make_file(c, u, p, st, fmt, dir, buf_str(&path));
    if (rc == 0) {
        buf_reset(&c->resp->body);
        if (slurp(buf_str(&path), &c->resp->body) != 0)
            rc = err_set(&c->e, tr("không đọc được tệp vừa tạo", "cannot read the file just written"));
    }
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    buf_free(&path);
    if (rc != 0) {
        /* a refused layout or a missing LibreOffice is the user's to know, not a server error */
        if (strcmp(fmt, "pdf") == 0 || strcmp(fmt, "docx") == 0)
            return web_fail(c, 422, "not_written", "format", c->e.msg);
        return -1;
    }
    c->resp->ctype = strcmp(fmt, "pdf") == 0 ? "application/pdf"
                   : strcmp(fmt, "docx") == 0 ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                   : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    snprintf(c->resp->disposition, sizeof c->resp->disposition, "attachment; filename=\"%s-%s-%s.%s\"",
             strcmp(fmt, "template") == 0 ? "bieu-nhap" : "bao-cao", c->m->units[u].code, per, ext);
    return 0;
}
