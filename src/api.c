/* api.c - the JSON API under /api/v1 (documented in docs/api.md and docs/openapi.json).
 *
 * Reads return only what the caller may read (their unit's subtree); the value batch is
 * parsed from JSON (api_parse_values, fuzzed), checked row by row and written in one
 * transaction through web_save_values, or refused whole with every row's error.
 * Errors are {"error":{"code","message","field"}} with a fitting HTTP status.
 */
#include "web.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "demo.h"
#include "eval.h"
#include "report.h"

static int send_json(web_ctx *c, json_t *j, int status)
{
    if (j == NULL)
        return err_set(&c->e, "out of memory");
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (s == NULL)
        return err_set(&c->e, "out of memory");
    c->resp->status = status;
    c->resp->ctype = "application/json";
    buf_reset(&c->resp->body);
    buf_adds(&c->resp->body, s);
    buf_addc(&c->resp->body, '\n');
    free(s);
    return 0;
}

/* Optional filters: unit (and its subtree is NOT implied: exactly that unit), period, ind. */
typedef struct filt {
    int unit, ind;
    int has_per;
    period_t per;
} filt;

static int filters(web_ctx *c, filt *f)
{
    const char *u = web_param(c, "unit"), *p = web_param(c, "period"), *i = web_param(c, "ind");
    f->unit = f->ind = -1;
    f->has_per = 0;
    if (u && *u) {
        f->unit = model_unit_find(c->m, u);
        if (f->unit < 0) {
            web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
            return -1;
        }
        if (!auth_allows(c->m, c->role, c->uunit, f->unit, ACT_READ)) {
            web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
            return -1;
        }
    }
    if (p && *p) {
        if (period_parse(p, strlen(p), &f->per) != 0) {
            web_fail(c, 400, "bad_period", "period", tr("kỳ không hợp lệ", "invalid period"));
            return -1;
        }
        f->has_per = 1;
    }
    if (i && *i && (f->ind = model_ind_find(c->m, i)) < 0) {
        web_fail(c, 404, "not_found", "ind", tr("không có chỉ tiêu này", "no such indicator"));
        return -1;
    }
    return 0;
}

int api_units(web_ctx *c)
{
    const char *parent = web_param(c, "parent");
    json_t *a = json_array();
    for (size_t k = 0; k < c->m->nunits; k++) {
        const unit_t *u = &c->m->units[k];
        if (!auth_allows(c->m, c->role, c->uunit, (int)k, ACT_READ))
            continue;
        if (parent && strcmp(parent, u->parent_code) != 0)
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "code", u->code, "name", u->name,
                                           "parent", u->parent_code, "type", u->type, "valid_from", u->valid_from,
                                           "valid_to", u->valid_to));
    }
    return send_json(c, json_pack("{s:o}", "units", a), 200);
}

int api_indicators(web_ctx *c)
{
    const char *group = web_param(c, "group");
    json_t *a = json_array();
    for (size_t k = 0; k < c->m->ninds; k++) {
        const ind_t *d = &c->m->inds[k];
        if (group && strcmp(group, d->group) != 0)
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "code", d->code,
                                           "name", d->name, "group", d->group, "set", d->set, "measure", d->measure,
                                           "parent", d->parent_code, "direction", model_dir_name(d->dir),
                                           "unit_agg", model_agg_name(d->uagg), "period_agg", model_agg_name(d->pagg),
                                           "formula", d->formula_src, "decimals", d->decimals));
    }
    return send_json(c, json_pack("{s:o}", "indicators", a), 200);
}

static int cells_json(web_ctx *c, const cellmap *cm, const char *key, const char *vname)
{
    filt f;
    if (filters(c, &f) != 0)
        return 0;
    json_t *a = json_array();
    size_t n = 0;
    for (size_t k = 0; k < cm->n && n < 100000; k++) {
        const cell_t *x = &cm->cells[k];
        if ((f.unit >= 0 && x->unit != f.unit) || (f.ind >= 0 && x->ind != f.ind) ||
            (f.has_per && !period_eq(f.per, x->per)) ||
            !auth_allows(c->m, c->role, c->uunit, x->unit, ACT_READ))
            continue;
        char per[PERIOD_CODE_MAX];
        period_code(x->per, per, sizeof per);
        json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "indicator", c->m->inds[x->ind].code, "unit",
                              c->m->units[x->unit].code, "period", per, vname, x->v);
        if (x->comment)
            json_object_set_new(o, "comment", json_string(x->comment));
        json_array_append_new(a, o);
        n++;
    }
    return send_json(c, json_pack("{s:o}", key, a), 200);
}

int api_targets(web_ctx *c)
{
    return cells_json(c, &c->m->targets, "targets", "target");
}

int api_values(web_ctx *c)
{
    return cells_json(c, &c->m->values, "values", "value");
}

int api_parse_values(const char *body, size_t len, api_value_row **out, int *n, err_t *e)
{
    json_error_t je;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    api_value_row *rows = NULL;
    *out = NULL;
    *n = 0;
    if (j == NULL)
        return err_set(e, tr("JSON không hợp lệ (dòng %d, cột %d): %s", "invalid JSON (line %d, column %d): %s"),
                       je.line, je.column, je.text);
    json_t *vals = json_is_object(j) ? json_object_get(j, "values") : NULL;
    const char *key;
    json_t *v;
    int rc = -1;
    if (json_is_object(j))
        json_object_foreach(j, key, v) if (strcmp(key, "values") != 0) {
            err_set(e, tr("trường không được chấp nhận: '%s'", "unknown field: '%s'"), key);
            goto cleanup;
        }
    if (!json_is_array(vals) || json_array_size(vals) == 0 || json_array_size(vals) > 10000) {
        err_set(e, tr("cần {\"values\": [ {indicator, unit, period, value}, ... ]} với 1 đến 10000 dòng",
                      "expected {\"values\": [ {indicator, unit, period, value}, ... ]} with 1 to 10000 rows"));
        goto cleanup;
    }
    size_t cnt = json_array_size(vals);
    rows = calloc(cnt, sizeof *rows);
    if (rows == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < cnt; k++) {
        json_t *r = json_array_get(vals, k);
        api_value_row *x = &rows[k];
        if (!json_is_object(r)) {
            err_set(e, tr("dòng %zu: cần một đối tượng", "row %zu: an object expected"), k);
            goto cleanup;
        }
        json_object_foreach(r, key, v) {
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            size_t sl = s ? json_string_length(v) : 0;
            char *dst = NULL;
            size_t cap = 0;
            if (strcmp(key, "indicator") == 0)
                dst = x->ind, cap = sizeof x->ind;
            else if (strcmp(key, "unit") == 0)
                dst = x->unit, cap = sizeof x->unit;
            else if (strcmp(key, "period") == 0)
                dst = x->period, cap = sizeof x->period;
            else if (strcmp(key, "comment") == 0)
                dst = x->comment, cap = sizeof x->comment, x->has_comment = 1;
            else if (strcmp(key, "value") == 0) {
                if (!json_is_number(v) || !isfinite(json_number_value(v))) {
                    err_set(e, tr("dòng %zu, trường value: cần một số", "row %zu, field value: a number expected"), k);
                    goto cleanup;
                }
                x->value = json_number_value(v);
                x->has_value = 1;
                continue;
            } else if (strcmp(key, "expected") == 0) {
                /* optimistic concurrency: the value the client last saw, or null for none */
                if (json_is_null(v))
                    x->expected_none = 1;
                else if (json_is_number(v))
                    x->expected = json_number_value(v);
                else {
                    err_set(e, tr("dòng %zu, trường expected: cần một số hoặc null",
                                  "row %zu, field expected: a number or null expected"), k);
                    goto cleanup;
                }
                x->has_expected = 1;
                continue;
            } else {
                err_set(e, tr("dòng %zu: trường không được chấp nhận: '%s'", "row %zu: unknown field: '%s'"), k, key);
                goto cleanup;
            }
            if (s == NULL || sl >= cap || memchr(s, 0, sl)) {
                err_set(e, tr("dòng %zu, trường %s: cần một chuỗi ngắn hơn %zu byte",
                              "row %zu, field %s: a string shorter than %zu bytes expected"), k, key, cap);
                goto cleanup;
            }
            memcpy(dst, s, sl + 1);
        }
        if (!x->ind[0] || !x->unit[0] || !x->period[0] || !x->has_value) {
            err_set(e, tr("dòng %zu: cần indicator, unit, period và value", "row %zu: indicator, unit, period and value required"), k);
            goto cleanup;
        }
    }
    *out = rows;
    *n = (int)cnt;
    rows = NULL;
    rc = 0;
cleanup:
    free(rows);
    json_decref(j);
    return rc;
}

int api_values_post(web_ctx *c)
{
    api_value_row *rows = NULL;
    int n = 0, saved = 0, rc = -1;
    err_t e;
    if (strncmp(c->req->ctype, "application/json", 16) != 0)
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    if (api_parse_values(buf_str(&c->req->body), c->req->body.len, &rows, &n, &e) != 0)
        return web_fail(c, 400, "bad_request", NULL, e.msg);
    web_value_in *in = calloc((size_t)n, sizeof *in);
    char (*orig)[32] = calloc((size_t)n, sizeof *orig);
    buf errs = BUF_INIT;
    json_t *bad = json_array();
    if (in == NULL || orig == NULL || bad == NULL) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < n; k++) {
        in[k].unit = model_unit_find(c->m, rows[k].unit);
        if (in[k].unit < 0 || !auth_allows(c->m, c->role, c->uunit, in[k].unit, ACT_READ))
            json_array_append_new(bad, json_pack("{s:i,s:s,s:s}", "row", k, "field", "unit", "message",
                                                 tr("không có đơn vị này", "no such unit")));
        if (period_parse(rows[k].period, strlen(rows[k].period), &in[k].per) != 0)
            json_array_append_new(bad, json_pack("{s:i,s:s,s:s}", "row", k, "field", "period", "message",
                                                 tr("kỳ không hợp lệ", "invalid period")));
        in[k].ind = rows[k].ind;
        in[k].num = rows[k].value;
        in[k].comment = rows[k].has_comment ? rows[k].comment : NULL;
        if (rows[k].has_expected) {
            if (!rows[k].expected_none)
                snprintf(orig[k], sizeof orig[k], "%.17g", rows[k].expected);
            in[k].orig = orig[k];
        }
    }
    if (json_array_size(bad) == 0) {
        if (web_save_values(c, in, n, &errs, &saved) != 0)
            goto cleanup;
        for (const char *s = buf_str(&errs); *s;) {
            const char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *nl = strchr(s, '\n');
            if (!t2 || !nl)
                break;
            json_array_append_new(bad, json_pack("{s:i,s:s%,s:s%}", "row", atoi(s), "field", t1 + 1,
                                                 (size_t)(t2 - t1 - 1), "message", t2 + 1, (size_t)(nl - t2 - 1)));
            s = nl + 1;
        }
    }
    if (json_array_size(bad)) {
        int conflict = strstr(buf_str(&errs), tr("người khác", "someone else")) != NULL;
        rc = send_json(c, json_pack("{s:{s:s,s:s,s:O}}", "error", "code", conflict ? "conflict" : "invalid_rows",
                                    "message", tr("có dòng không hợp lệ; không ghi gì", "some rows are invalid; nothing was written"),
                                    "rows", bad), conflict ? 409 : 422);
        goto cleanup;
    }
    rc = send_json(c, json_pack("{s:i,s:i}", "received", n, "changed", saved), 200);
cleanup:
    json_decref(bad);
    buf_free(&errs);
    free(orig);
    free(in);
    free(rows);
    return rc;
}

int api_eval(web_ctx *c)
{
    int u;
    period_t p;
    eval_result r;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    if (eval_unit(c->m, u, p, &r, &c->e) != 0)
        return -1;
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    json_t *j = json_pack("{s:s,s:s,s:{s:i,s:i,s:i,s:i,s:i},s:o}", "unit", c->m->units[u].code, "period", per,
                          "summary", "total", r.all.total, "met", r.all.met, "exceeded", r.all.exceeded,
                          "not_met", r.all.notmet, "no_data", r.all.nodata, "rows", report_rows_json(c->m, &r));
    eval_result_free(&r);
    return send_json(c, j, 200);
}

int api_report(web_ctx *c)
{
    int u;
    period_t p;
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    const char *fmt = web_param(c, "format");
    if (fmt == NULL || *fmt == '\0')
        fmt = "json";
    if (strcmp(fmt, "json") != 0 && strcmp(fmt, "md") != 0 && strcmp(fmt, "html") != 0)
        return web_fail(c, 400, "bad_format", "format", tr("format phải là json, md hoặc html", "format must be json, md or html"));
    json_t *doc;
    if (report_build(c->m, u, p, &doc, &c->e) != 0)
        return -1;
    buf_reset(&c->resp->body);
    int rc = report_render(doc, fmt, &c->resp->body, &c->e);
    json_decref(doc);
    c->resp->ctype = strcmp(fmt, "json") == 0 ? "application/json"
                   : strcmp(fmt, "md") == 0 ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8";
    c->resp->csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'";
    return rc;
}

int api_openapi(web_ctx *c)
{
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (strcmp(f->name, "openapi.json") == 0) {
            c->resp->ctype = "application/json";
            buf_add(&c->resp->body, f->data, f->len);
            return 0;
        }
    return web_fail(c, 404, "not_found", NULL, "openapi.json");
}
