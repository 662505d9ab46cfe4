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
#include "api_list.h"
#include "demo.h"
#include "eval.h"
#include "report.h"

static int send_json(web_ctx *c, json_t *j, int status)
{
    return api_send_json(c, j, status);
}

static const char *const unit_params[] = { "parent", "lang", NULL };
static const char *const succ_params[] = { "unit", "lang", NULL };
static const char *const ind_params[] = { "group", "lang", NULL };
static const char *const cell_params[] = { "unit", "subtree", "ind", "period", "within", "from", "to", "lang", NULL };

int api_units(web_ctx *c)
{
    const char *parent = web_param(c, "parent");
    api_page pg;
    if (api_list_begin(c, &pg) != 0)
        return 0;
    json_t *a = json_array();
    for (size_t k = 0; a && k < c->m->nunits; k++) {
        const unit_t *u = &c->m->units[k];
        if (!auth_allows(c->m, c->role, c->uunit, (int)k, ACT_READ))
            continue;
        if (parent && strcmp(parent, u->parent_code) != 0)
            continue;
        if (!api_page_take(&pg))
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "code", u->code, "name", u->name,
                                           "parent", u->parent_code, "type", u->type, "valid_from", u->valid_from,
                                           "valid_to", u->valid_to));
    }
    return api_list_send(c, &pg, "units", a, unit_params);
}

int api_successions(web_ctx *c)
{
    const char *code = web_param(c, "unit");
    int unit = -1;
    api_page pg;
    if (api_list_begin(c, &pg) != 0)
        return 0;
    if (code && *code) {
        unit = model_unit_find(c->m, code);
        if (unit < 0)
            return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
        if (!auth_allows(c->m, c->role, c->uunit, unit, ACT_READ))
            return web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
    }
    json_t *a = json_array();
    for (size_t k = 0; a && k < c->m->nsuccs; k++) {
        const succ_t *x = &c->m->succs[k];
        if (unit >= 0 && x->from != unit && x->to != unit)
            continue;
        if (!auth_allows(c->m, c->role, c->uunit, x->from, ACT_READ) &&
            !auth_allows(c->m, c->role, c->uunit, x->to, ACT_READ))
            continue;
        if (!api_page_take(&pg))
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:f}", "from", c->m->units[x->from].code,
                                           "to", c->m->units[x->to].code, "date", x->date, "share", x->share));
    }
    return api_list_send(c, &pg, "successions", a, succ_params);
}

int api_indicators(web_ctx *c)
{
    const char *group = web_param(c, "group");
    api_page pg;
    if (api_list_begin(c, &pg) != 0)
        return 0;
    json_t *a = json_array();
    for (size_t k = 0; a && k < c->m->ninds; k++) {
        const ind_t *d = &c->m->inds[k];
        if (group && strcmp(group, d->group) != 0)
            continue;
        if (!api_page_take(&pg))
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}", "code", d->code,
                                           "name", d->name, "group", d->group, "set", d->set, "measure", d->measure,
                                           "parent", d->parent_code, "direction", model_dir_name(d->dir),
                                           "unit_agg", model_agg_name(d->uagg), "period_agg", model_agg_name(d->pagg),
                                           "formula", d->formula_src, "decimals", d->decimals));
    }
    return api_list_send(c, &pg, "indicators", a, ind_params);
}

/* One page of the value or target cells the filters match, in the model's order (stable for
 * one snapshot), with the total of every match. */
static int cells_json(web_ctx *c, const cellmap *cm, const char *key, const char *vname)
{
    api_filter f;
    api_page pg;
    int rc = 0;
    if (api_list_begin(c, &pg) != 0)
        return 0;
    if (api_cell_filter(c, &f) != 0) {
        api_filter_free(&f);
        return c->e.msg[0] ? -1 : 0;
    }
    json_t *a = json_array();
    for (size_t k = 0; a && k < cm->n; k++) {
        const cell_t *x = &cm->cells[k];
        if (!api_filter_match(&f, x) || !api_page_take(&pg))
            continue;
        char per[PERIOD_CODE_MAX];
        period_code(x->per, per, sizeof per);
        json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "indicator", c->m->inds[x->ind].code, "unit",
                              c->m->units[x->unit].code, "period", per, vname, x->v);
        if (o && x->comment)
            json_object_set_new(o, "comment", json_string(x->comment));
        json_array_append_new(a, o);
    }
    api_filter_free(&f);
    rc = api_list_send(c, &pg, key, a, cell_params);
    return rc;
}

int api_targets(web_ctx *c)
{
    return cells_json(c, &c->m->targets, "targets", "target");
}

int api_values(web_ctx *c)
{
    return cells_json(c, &c->m->values, "values", "value");
}

int api_values_post(web_ctx *c)
{
    api_value_row *rows = NULL;
    int n = 0, saved = 0, rc = -1;
    err_t e;
    if (!api_is_json_type(c->req->ctype))
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
        if (in[k].unit < 0)
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
        /* A unit the caller may not write makes the whole batch forbidden; a figure changed by
         * someone else since the caller read it, a conflict; anything else, invalid rows. */
        int forbidden = strstr(buf_str(&errs), "\tunit\t") != NULL;
        int conflict = !forbidden && strstr(buf_str(&errs), "\texpected\t") != NULL;
        rc = send_json(c, json_pack("{s:{s:s,s:s,s:O}}", "error", "code",
                                    forbidden ? "forbidden" : conflict ? "conflict" : "invalid_rows",
                                    "message", tr("có dòng không hợp lệ; không ghi gì", "some rows are invalid; nothing was written"),
                                    "rows", bad), forbidden ? 403 : conflict ? 409 : 422);
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
    char per[PERIOD_CODE_MAX], key[64];
    period_code(p, per, sizeof per);
    snprintf(key, sizeof key, "eval|%d|%s|%d", u, per, lang_get());
    c->resp->ctype = "application/json";
    if (web_cache_get(c, key, &c->resp->body))
        return 0;                 /* same model, same answer */
    if (eval_unit(c->m, u, p, &r, &c->e) != 0)
        return -1;
    json_t *j = json_pack("{s:s,s:s,s:{s:i,s:i,s:i,s:i,s:i,s:i},s:o}", "unit", c->m->units[u].code, "period", per,
                          "summary", "total", r.all.total, "met", r.all.met, "exceeded", r.all.exceeded,
                          "not_met", r.all.notmet, "no_data", r.all.nodata, "incomplete", r.all.partial,
                          "rows", report_rows_json(c->m, &r));
    json_t *errs = json_array();                  /* figures too large to hold, by name */
    for (int i = 0; i < r.nrows; i++)
        if (r.rows[i].too_large && eval_too_large_error(c->m, r.rows[i].ind, u, p, &c->e) != 0)
            json_array_append_new(errs, json_string(c->e.msg));
    if (json_array_size(errs))
        json_object_set_new(j, "errors", errs);
    else
        json_decref(errs);
    eval_result_free(&r);
    if (send_json(c, j, 200) != 0)
        return -1;
    web_cache_put(c, key, c->resp->body.p, c->resp->body.len);
    return 0;
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
    err_t big;
    if (eval_too_large_in(c->m, u, p, &big))       /* no report with a figure left out */
        return web_fail(c, 422, "too_large", "period", big.msg);
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
