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
#include "report_store.h"
#include "vn.h"
#include "write.h"

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
    if (parent && *parent && model_unit_find(c->m, parent) < 0)   /* a typo is not "no children" */
        return web_fail(c, 404, "not_found", "parent", tr("không có đơn vị này", "no such unit"));
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

typedef struct cells_walk {
    web_ctx *c;
    api_filter *f;
    api_page *pg;
    json_t *a;
    const char *vname;
} cells_walk;

static int cell_json(void *ctx, const cell_t *x)
{
    cells_walk *w = ctx;
    if (!api_filter_match(w->f, x) || !api_page_take(w->pg))
        return 0;
    char per[PERIOD_CODE_MAX];
    period_code(x->per, per, sizeof per);
    json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "indicator", w->c->m->inds[x->ind].code, "unit",
                          w->c->m->units[x->unit].code, "period", per, w->vname, x->v);
    if (o && x->comment)
        json_object_set_new(o, "comment", json_string(x->comment));
    json_array_append_new(w->a, o);
    return 0;
}

/* One page of the value or target cells the filters match, in the model's order (stable for
 * one snapshot; model_each_cell's), with the total of every match. */
static int cells_json(web_ctx *c, int targets, const char *key, const char *vname)
{
    api_filter f;
    api_page pg;
    int rc = api_list_begin(c, &pg);
    if (rc != 0)
        return web_answered(rc);
    rc = api_cell_filter(c, &f);
    if (rc != 0) {
        api_filter_free(&f);
        return web_answered(rc);
    }
    json_t *a = json_array();
    cells_walk w = { c, &f, &pg, a, vname };
    if (a)
        model_each_cell(c->m, targets, 0, 0, cell_json, &w);
    api_filter_free(&f);
    rc = api_list_send(c, &pg, key, a, cell_params);
    return rc;
}

int api_targets(web_ctx *c)
{
    return cells_json(c, 1, "targets", "target");
}

int api_values(web_ctx *c)
{
    return cells_json(c, 0, "values", "value");
}

static void model_lock(void *ctx)
{
    web_model_begin(ctx);
}

static void model_unlock(void *ctx)
{
    web_committed(ctx);
    web_model_end(ctx);
}

/* Appends {row, field, code, message} to bad. */
static void bad_row(json_t *bad, int row, const char *field, const char *code, const char *msg)
{
    json_array_append_new(bad, json_pack("{s:i,s:s,s:s,s:s}", "row", row, "field", field, "code", code,
                                         "message", msg));
}

/* The code of a problem write_values reported (rows whose unit and indicator exist). */
static const char *write_code(const char *field, size_t n)
{
    static const struct { const char *field, *code; } map[] = {
        { "unit", "forbidden" }, { "indicator", "formula_indicator" }, { "value", "out_of_range" },
        { "comment", "too_long" }, { "locked", "locked" }, { "expected", "conflict" },
        { "period", "unit_not_valid" },
    };
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        if (strlen(map[k].field) == n && strncmp(map[k].field, field, n) == 0)
            return map[k].code;
    return "invalid";
}

/* The catalogue checks of the rows the parser accepted: unit, indicator, period. */
static void check_catalogue(web_ctx *c, const api_value_row *rows, int n, int targets, web_value_in *in, json_t *bad)
{
    for (int k = 0; k < n; k++) {
        if (rows[k].bad)
            continue;
        in[k].unit = model_unit_find(c->m, rows[k].unit);
        if (in[k].unit < 0)
            bad_row(bad, k, "unit", "unknown_unit", tr("không có đơn vị này", "no such unit"));
        int ind = model_ind_find(c->m, rows[k].ind);
        if (ind < 0)
            bad_row(bad, k, "indicator", "unknown_indicator", tr("không có chỉ tiêu này", "no such indicator"));
        else if (!targets && c->m->inds[ind].f)
            bad_row(bad, k, "indicator", "formula_indicator",
                    tr("chỉ tiêu tính bằng công thức, không nhập trực tiếp", "computed by a formula, not entered"));
        if (period_parse(rows[k].period, strlen(rows[k].period), &in[k].per) != 0)
            bad_row(bad, k, "period", "bad_period", tr("kỳ không hợp lệ", "invalid period"));
    }
}

/* A conflicting row: what is stored now, in the API's words (not the entry page's). */
static void conflict_row(web_ctx *c, json_t *bad, int k, const api_value_row *r, const web_value_in *in)
{
    cell_t cur = { 0 };
    err_t e;
    int ind = model_ind_find(c->m, r->ind);
    int had = ind >= 0 ? store_get_cell(c->s, c->m, 0, ind, in->unit, in->per, &cur, &e) : -1;
    buf now = BUF_INIT, was = BUF_INIT, sent = BUF_INIT;
    int dec = ind >= 0 ? c->m->inds[ind].decimals : 4;
    if (had == 1)
        vn_format_number_trim(cur.v, dec, lang_get(), &now);
    if (r->has_expected && !r->expected_none)
        vn_format_number_trim(r->expected, dec, lang_get(), &was);
    vn_format_number_trim(r->value, dec, lang_get(), &sent);
    char msg[512];
    snprintf(msg, sizeof msg, tr("giá trị đang lưu là '%s', không phải '%s' như `expected`; giá trị gửi '%s' không được ghi",
                                 "the stored value is '%s', not '%s' as `expected` says; the value sent, '%s', was not written"),
             had == 1 ? buf_str(&now) : "—", was.len ? buf_str(&was) : "—", buf_str(&sent));
    buf_free(&now);
    buf_free(&was);
    buf_free(&sent);
    json_t *o = json_pack("{s:i,s:s,s:s,s:s,s:o,s:f}", "row", k, "field", "expected", "code", "conflict", "message",
                          msg, "current", had == 1 ? json_real(cur.v) : json_null(), "sent", r->value);
    if (o && r->has_expected)
        json_object_set_new(o, "expected", r->expected_none ? json_null() : json_real(r->expected));
    json_array_append_new(bad, o);
    free(cur.comment);
}

/* Sends the problems: 400 when a row is malformed, 409 when every problem is a conflict with
 * the stored value, 403 when every one is a unit the caller may not write, else 422. */
static int send_problems(web_ctx *c, json_t *bad, int malformed)
{
    int conflicts = 0, forbidden = 0;
    size_t k, n = json_array_size(bad);
    json_t *x;
    json_array_foreach(bad, k, x) {
        const char *code = json_string_value(json_object_get(x, "code"));
        conflicts += code && strcmp(code, "conflict") == 0;
        forbidden += code && strcmp(code, "forbidden") == 0;
    }
    int status = malformed ? 400 : (size_t)conflicts == n ? 409 : (size_t)forbidden == n ? 403 : 422;
    const char *code = status == 400 ? "bad_request" : status == 409 ? "conflict" : status == 403 ? "forbidden" : "invalid_rows";
    return send_json(c, json_pack("{s:{s:s,s:s,s:O}}", "error", "code", code, "message",
                                  tr("có dòng không hợp lệ; không ghi gì", "some rows are invalid; nothing was written"),
                                  "rows", bad), status);
}

/* Writes the parsed target rows through the write module (an administrator's, as the web's
 * catalogue form); problems as "ROW\tFIELD\tMESSAGE" in errs. */
static int save_targets(web_ctx *c, const web_value_in *in, const char (*orig)[32], const api_value_row *rows,
                        int n, buf *errs, int *saved)
{
    write_row *w = calloc((size_t)n + 1, sizeof *w);
    int outside = 0, rc;
    if (w == NULL)
        return err_set(&c->e, "out of memory");
    for (int k = 0; k < n; k++)
        w[k] = (write_row){ WRITE_TARGET, model_ind_find(c->m, rows[k].ind), in[k].unit, in[k].per, rows[k].value,
                            NULL, rows[k].has_expected ? orig[k] : NULL, NULL };
    const store_audit_row audit = { "targets", "api", NULL };   /* in the write's transaction */
    write_actor a = { c->user.login, c->role, c->uunit, "api", 60, 0 };
    write_sink sink = { model_lock, model_unlock, c };
    rc = write_values_audited(c->s, c->m, &a, &audit, w, n, &sink, errs, saved, &outside, &c->e);
    if (rc == 0 && outside)
        web_rebuild_soon(c);
    free(w);
    return rc;
}

static int post_rows(web_ctx *c, int targets);

int api_values_post(web_ctx *c)
{
    return post_rows(c, 0);
}

/* POST /api/v1/targets: targets written as the web's catalogue form does (administrators). */
int api_targets_post(web_ctx *c)
{
    return post_rows(c, 1);
}

static int post_rows(web_ctx *c, int targets)
{
    api_value_row *rows = NULL;
    int n = 0, saved = 0, rc = -1;
    err_t e;
    buf errs = BUF_INIT, perrs = BUF_INIT;
    if (!api_is_json_type(c->req->ctype))
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    if (api_parse_rows(buf_str(&c->req->body), c->req->body.len, targets, &rows, &n, &perrs, &e) != 0) {
        buf_free(&perrs);
        return web_fail(c, 400, "bad_request", NULL, e.msg);
    }
    web_value_in *in = calloc((size_t)n, sizeof *in);
    char (*orig)[32] = calloc((size_t)n, sizeof *orig);
    json_t *bad = json_array();
    if (in == NULL || orig == NULL || bad == NULL) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    /* "ROW\tFIELD\tCODE\tMESSAGE" from the parser */
    for (const char *s = buf_str(&perrs); *s;) {
        const char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
        const char *nl = strchr(s, '\n');
        if (!t3 || !nl)
            break;
        json_array_append_new(bad, json_pack("{s:i,s:s%,s:s%,s:s%}", "row", atoi(s), "field", t1 + 1, (size_t)(t2 - t1 - 1),
                                             "code", t2 + 1, (size_t)(t3 - t2 - 1), "message", t3 + 1, (size_t)(nl - t3 - 1)));
        s = nl + 1;
    }
    int malformed = json_array_size(bad) > 0;
    check_catalogue(c, rows, n, targets, in, bad);
    for (int k = 0; k < n; k++) {
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
        if ((targets ? save_targets(c, in, (const char (*)[32])orig, rows, n, &errs, &saved)
                     : web_save_values(c, in, n, &errs, &saved)) != 0)
            goto cleanup;
        /* "ROW\tFIELD\tMESSAGE" from the write module */
        for (const char *s = buf_str(&errs); *s;) {
            const char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *nl = strchr(s, '\n');
            if (!t2 || !nl)
                break;
            int k = atoi(s);
            const char *code = write_code(t1 + 1, (size_t)(t2 - t1 - 1));
            if (strcmp(code, "conflict") == 0 && k >= 0 && k < n && !targets)
                conflict_row(c, bad, k, &rows[k], &in[k]);
            else
                json_array_append_new(bad, json_pack("{s:i,s:s%,s:s,s:s%}", "row", k, "field", t1 + 1, (size_t)(t2 - t1 - 1),
                                                     "code", code, "message", t2 + 1, (size_t)(nl - t2 - 1)));
            s = nl + 1;
        }
    }
    if (json_array_size(bad))
        rc = send_problems(c, bad, malformed);
    else
        rc = send_json(c, json_pack("{s:i,s:i}", "received", n, "changed", saved), 200);
cleanup:
    json_decref(bad);
    buf_free(&errs);
    buf_free(&perrs);
    free(orig);
    free(in);
    free(rows);
    return rc;
}

/* DELETE /api/v1/values?indicator=&unit=&period=&reason=[&expected=]: one stored value goes,
 * kept in the history with the reason, through the write module (rights, locks, expected). */
int api_values_delete(web_ctx *c)
{
    const char *ic = web_param(c, "indicator"), *uc = web_param(c, "unit"), *pc = web_param(c, "period");
    const char *reason = web_param(c, "reason"), *expected = web_param(c, "expected");
    write_row row = { .kind = WRITE_VALUE };
    char exp[32];
    if (!ic || !*ic || !uc || !*uc || !pc || !*pc || !reason || !*reason)
        return web_fail(c, 400, "bad_request", !ic || !*ic ? "indicator" : !uc || !*uc ? "unit" : !pc || !*pc ? "period" : "reason",
                        tr("cần indicator, unit, period và reason (lý do xóa)",
                           "indicator, unit, period and reason (why it is deleted) required"));
    if ((row.unit = model_unit_find(c->m, uc)) < 0)
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    if ((row.ind = model_ind_find(c->m, ic)) < 0)
        return web_fail(c, 404, "not_found", "indicator", tr("không có chỉ tiêu này", "no such indicator"));
    if (period_parse(pc, strlen(pc), &row.p) != 0)
        return web_fail(c, 400, "bad_period", "period", tr("kỳ không hợp lệ", "invalid period"));
    if (expected) {
        double v;
        if (*expected && vn_parse_number(expected, strlen(expected), VN_DEC_DOT, &v) != 0)
            return web_fail(c, 400, "bad_request", "expected", tr("expected phải là một số (dấu chấm thập phân)",
                                                                  "expected must be a number (decimal point)"));
        snprintf(exp, sizeof exp, "%s", expected);
        row.expected = exp;
    }
    write_actor a = { c->user.login, c->role, c->uunit, "api", 60, 0 };
    write_sink sink = { model_lock, model_unlock, c };
    buf errs = BUF_INIT;
    int deleted = 0;
    err_t e;
    int r = write_delete(c->s, c->m, &a, &row, 1, reason, &sink, &errs, &deleted, &e);
    int rc = 0;
    if (r < 0) {
        c->e = e;
        rc = -1;
    } else if (r == WRITE_INVALID)
        web_fail(c, 422, "invalid", "reason", e.msg);
    else if (errs.len) {
        /* "0\tFIELD\tMESSAGE\n" */
        const char *t1 = strchr(buf_str(&errs), '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        char field[16], msg[1024];
        snprintf(field, sizeof field, "%.*s", t1 && t2 ? (int)(t2 - t1 - 1) : 0, t1 ? t1 + 1 : "");
        snprintf(msg, sizeof msg, "%s", t2 ? t2 + 1 : "");
        msg[strcspn(msg, "\n")] = '\0';
        int st = strcmp(field, "unit") == 0 ? 403 : strcmp(field, "expected") == 0 ? 409
               : strcmp(field, "value") == 0 ? 404 : 422;
        web_fail(c, st, st == 403 ? "forbidden" : st == 409 ? "conflict" : st == 404 ? "not_found" : "locked", field, msg);
    } else
        rc = send_json(c, json_pack("{s:i}", "deleted", deleted), 200);
    buf_free(&errs);
    return rc;
}

typedef struct latest_walk {
    const unsigned char *in;       /* per unit: counted (NULL: every unit) */
    int year;
} latest_walk;

/* model_each_cell's step of api_period: the latest year of a value that is not a range. */
static int latest_cell(void *ctx, const cell_t *x)
{
    latest_walk *w = ctx;
    if ((w->in == NULL || w->in[x->unit]) && x->per.kind != P_RANGE && x->per.y > w->year)
        w->year = x->per.y;
    return 0;
}

/* The period an evaluation answers when the client names none: the latest year with a reported
 * value in unit u's subtree (the caller's own data, not the whole database's), from the model
 * the request reads, so it does not depend on when the server started; cached per model
 * version.  A period given is parsed as everywhere (web_period).  0, WEB_ANSWERED after
 * responding, or -1 out of memory. */
static int api_period(web_ctx *c, int u, period_t *p)
{
    const char *s = web_param(c, "period");
    if (s && *s)
        return web_period(c, p);
    char key[48];
    buf hit = BUF_INIT;
    snprintf(key, sizeof key, "latest-year|%d", u);
    int year = 0;
    if (web_cache_get(c, key, &hit))
        year = atoi(buf_str(&hit));
    buf_free(&hit);
    if (year == 0) {
        const model *m = c->m;
        unsigned char *in = calloc(m->nunits ? m->nunits : 1, 1);
        if (in == NULL)
            return err_set(&c->e, "out of memory");
        for (size_t k = 0; k < m->nunits; k++)
            in[k] = (unsigned char)auth_in_subtree(m, u, (int)k);
        latest_walk w = { in, 0 };
        model_each_cell(m, 0, 0, 0, latest_cell, &w);
        year = w.year;
        free(in);
        if (year == 0)
            year = c->app->latest.y;             /* no figure below u: the database's latest year */
        char text[16];
        int n = snprintf(text, sizeof text, "%d", year);
        web_cache_put(c, key, text, (size_t)n);
    }
    *p = (period_t){ P_YEAR, 0, (uint16_t)year, (uint16_t)year };
    return 0;
}

/* The unit, period and structure an evaluation or a report is asked for (web_unit, api_period,
 * web_structure in that order): 0, WEB_ANSWERED after responding, or -1. */
static int eval_params(web_ctx *c, int *u, period_t *p, int *st)
{
    int rc = web_unit(c, ACT_READ, u);
    if (rc == 0)
        rc = api_period(c, *u, p);
    if (rc == 0)
        rc = web_structure(c, st);
    return rc;
}

int api_eval(web_ctx *c)
{
    int u;
    period_t p;
    eval_result r;
    int st;
    int rc = eval_params(c, &u, &p, &st);
    if (rc != 0)
        return web_answered(rc);
    char per[PERIOD_CODE_MAX], key[64];
    period_code(p, per, sizeof per);
    snprintf(key, sizeof key, "eval|%d|%s|%d|%d", u, per, lang_get(), st);
    c->resp->ctype = "application/json";
    if (web_cache_get(c, key, &c->resp->body))
        return 0;                 /* same model, same answer */
    if (eval_unit_on(c->m, u, p, st, &r, &c->e) != 0)
        return -1;
    json_t *j = json_pack("{s:s,s:s,s:s,s:{s:i,s:i,s:i,s:i,s:i,s:i},s:o}", "unit", c->m->units[u].code, "period", per,
                          "structure", (st == EVAL_AUTO ? eval_structure_of(c->m, p) : st) == EVAL_CURRENT
                                       ? "current" : "historical",
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
    int st;
    int rc = eval_params(c, &u, &p, &st);
    if (rc != 0)
        return web_answered(rc);
    const char *fmt = web_param(c, "format");
    if (fmt == NULL || *fmt == '\0')
        fmt = "json";
    if (strcmp(fmt, "json") != 0 && strcmp(fmt, "md") != 0 && strcmp(fmt, "html") != 0)
        return web_fail(c, 400, "bad_format", "format", tr("format phải là json, md hoặc html", "format must be json, md or html"));
    json_t *doc;
    err_t big;
    if (eval_too_large_in_on(c->m, u, p, st, &big))       /* no report with a figure left out */
        return web_fail(c, 422, "too_large", "period", big.msg);
    if (report_build_store(c->s, c->m, u, p, st, web_today(c), &doc, &c->e) != 0)
        return -1;
    buf_reset(&c->resp->body);
    rc = report_render(doc, fmt, &c->resp->body, &c->e);
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
