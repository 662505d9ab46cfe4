/* api_catalog.c - units and indicators written through the JSON API, with the rules of the web's
 * catalogue form (page_admin.c): administrators; a unit goes under a parent they administer and an
 * existing unit must lie in their subtree; indicators are shared by the whole tree, so only an
 * administrator of a root unit edits them.  The rows become a CSV source run through
 * write_import in one transaction (the importer's checks and messages: codes, parents, cycles,
 * formulas), then the server's model is reloaded and the change audited.
 *
 * POST /api/v1/units {"units":[{code,name,parent,type}]}
 * POST /api/v1/indicators {"indicators":[{code,name,group,set,parent,measure,direction,unit_agg,
 *                                         period_agg,formula,decimals}]}
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"
#include "csv.h"
#include "import.h"
#include "write.h"

static const char *const unit_cols[] = { "code", "name", "parent", "type", NULL };
static const char *const ind_cols[] = { "code", "name", "group", "set", "parent", "measure", "direction",
                                        "unit_agg", "period_agg", "formula", "decimals", NULL };
/* the CSV header of each (import's column names) */
static const char unit_header[] = "code,name,parent,type\n";
static const char ind_header[] = "code,name,group,set,parent,unit,direction,unit_aggregation,period_aggregation,formula,decimals\n";

/* Appends one row of CSV from object r with the columns cols; a problem goes to bad. */
static void row_csv(json_t *r, size_t k, const char *const *cols, buf *csv, json_t *bad)
{
    const char *key;
    json_t *v;
    json_object_foreach(r, key, v) {
        int known = 0;
        for (int i = 0; cols[i]; i++)
            known |= strcmp(cols[i], key) == 0;
        if (!known)
            json_array_append_new(bad, json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)k, "field", key, "code",
                                                 "unknown_field", "message", tr("trường không được chấp nhận", "unknown field")));
    }
    for (int i = 0; cols[i]; i++) {
        json_t *x = json_object_get(r, cols[i]);
        char num[32] = "";
        const char *s = json_is_string(x) ? json_string_value(x) : NULL;
        if (json_is_integer(x)) {
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(x));
            s = num;
        } else if (x && !json_is_string(x))
            json_array_append_new(bad, json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)k, "field", cols[i], "code",
                                                 "bad_type", "message", tr("cần một chuỗi", "a string expected")));
        csv_write_field(csv, s ? s : "");
        buf_addc(csv, cols[i + 1] ? ',' : '\n');
    }
}

/* The rights of the web's form on unit row r: 0, or -1 after a problem appended. */
static int unit_allowed(web_ctx *c, json_t *r, size_t k, json_t *bad)
{
    const char *code = json_string_value(json_object_get(r, "code"));
    const char *parent = json_string_value(json_object_get(r, "parent"));
    int pu = parent ? model_unit_find(c->m, parent) : -1;
    int existing = code ? model_unit_find(c->m, code) : -1;
    const char *field = NULL, *msg = NULL;
    if (pu < 0 || !auth_allows(c->m, c->role, c->uunit, pu, ACT_ADMIN))
        field = "parent", msg = tr("đơn vị cấp trên ngoài phạm vi của bạn", "parent outside your subtree");
    else if (existing >= 0 && !auth_allows(c->m, c->role, c->uunit, existing, ACT_ADMIN))
        field = "code", msg = tr("đơn vị ngoài phạm vi của bạn", "unit outside your subtree");
    if (field == NULL)
        return 0;
    json_array_append_new(bad, json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)k, "field", field, "code", "forbidden",
                                         "message", msg));
    return -1;
}

/* Fields an existing unit or indicator's row leaves out keep their stored values (as the web
 * form keeps what it does not show). */
static void fill_existing(const model *m, int units, json_t *r)
{
    const char *code = json_string_value(json_object_get(r, "code"));
    int x = code == NULL ? -1 : units ? model_unit_find(m, code) : model_ind_find(m, code);
    if (x < 0)
        return;
    if (units) {
        const unit_t *u = &m->units[x];
        const char *have[] = { u->code, u->name, u->parent_code, u->type };
        for (int i = 0; unit_cols[i]; i++)
            if (json_object_get(r, unit_cols[i]) == NULL)
                json_object_set_new(r, unit_cols[i], json_string(have[i]));
        return;
    }
    const ind_t *d = &m->inds[x];
    const char *have[] = { d->code, d->name, d->group, d->set, d->parent_code, d->measure, model_dir_name(d->dir),
                           model_agg_name(d->uagg), model_agg_name(d->pagg), d->formula_src, NULL };
    for (int i = 0; ind_cols[i]; i++)
        if (json_object_get(r, ind_cols[i]) == NULL)
            json_object_set_new(r, ind_cols[i], have[i] ? json_string(have[i]) : json_integer(d->decimals));
}

static int catalog_post(web_ctx *c, int units)
{
    const char *list = units ? "units" : "indicators";
    json_error_t je;
    if (!auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    if (!units && c->m->units[c->uunit].parent >= 0)
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị cấp cao nhất sửa danh mục chỉ tiêu",
                                                      "only a top-level administrator edits indicators"));
    if (!api_is_json_type(c->req->ctype))
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    json_t *j = json_loadb(buf_str(&c->req->body), c->req->body.len, JSON_REJECT_DUPLICATES, &je);
    json_t *rows = json_is_object(j) && json_object_size(j) == 1 ? json_object_get(j, list) : NULL;
    if (!json_is_array(rows) || json_array_size(rows) == 0 || json_array_size(rows) > 10000) {
        json_decref(j);
        return web_fail(c, 400, "bad_request", NULL, units ? tr("cần {\"units\": [ {code, name, parent, type}, ... ]}",
                                                               "expected {\"units\": [ {code, name, parent, type}, ... ]}")
                                                           : tr("cần {\"indicators\": [ {code, name, ...}, ... ]}",
                                                               "expected {\"indicators\": [ {code, name, ...}, ... ]}"));
    }
    buf csv = BUF_INIT, errs = BUF_INIT;
    json_t *bad = json_array(), *r;
    size_t k;
    int rc = -1, status = 400;
    buf_adds(&csv, units ? unit_header : ind_header);
    json_array_foreach(rows, k, r) {
        if (!json_is_object(r)) {
            json_array_append_new(bad, json_pack("{s:I,s:s,s:s,s:s}", "row", (json_int_t)k, "field", "", "code",
                                                 "not_object", "message", tr("cần một đối tượng", "an object expected")));
            continue;
        }
        fill_existing(c->m, units, r);
        row_csv(r, k, units ? unit_cols : ind_cols, &csv, bad);
    }
    size_t malformed = json_array_size(bad);
    if (units && malformed == 0)
        json_array_foreach(rows, k, r) if (unit_allowed(c, r, k, bad) != 0)
            status = 403;
    if (json_array_size(bad)) {
        rc = api_send_json(c, json_pack("{s:{s:s,s:s,s:O}}", "error", "code", status == 403 ? "forbidden" : "bad_request",
                                        "message", tr("có dòng không hợp lệ; không ghi gì", "some rows are invalid; nothing was written"),
                                        "rows", bad), status);
        goto cleanup;
    }
    import_source src = { list, buf_str(&csv), csv.len };
    import_opts o = { .who = c->user.login, .max_errors = 100 };
    import_stats st;
    err_t e;
    char detail[32];
    snprintf(detail, sizeof detail, "%zu", json_array_size(rows));
    const store_audit_row audit = { units ? "unit" : "indicator", "api", detail };  /* in the import's transaction */
    write_actor a = { c->user.login, c->role, c->uunit, "api", 60, 0 };
    memset(&st, 0, sizeof st);
    int ok = write_import_audited(c->s, &a, &audit, &src, 1, &o, &st, &errs, NULL, &e) == 0;
    store_forget_ids(c->s);
    if (!ok && st.internal) {
        c->e = e;
        goto cleanup;
    }
    if (!ok) {
        /* the importer's messages name the row (counting the header as row 1) and the column */
        if (errs.len == 0)
            buf_printf(&errs, "%s\n", e.msg);
        json_t *msgs = json_array();
        for (const char *s = buf_str(&errs); msgs && *s;) {
            const char *nl = strchr(s, '\n');
            size_t len = nl ? (size_t)(nl - s) : strlen(s);
            if (len)
                json_array_append_new(msgs, json_pack("{s:s,s:s%}", "code", "invalid", "message", s, len));
            s += len + (nl != NULL);
        }
        rc = api_send_json(c, json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "invalid_rows", "message",
                                        tr("có dòng không hợp lệ; không ghi gì", "some rows are invalid; nothing was written"),
                                        "rows", msgs), 422);
        goto cleanup;
    }
    if (web_reload(c) != 0)
        goto cleanup;
    c->m = c->app->m;
    long added = 0, changed = 0;
    for (int i = 0; i < IK_COUNT; i++)
        added += st.added[i], changed += st.changed[i];
    rc = api_send_json(c, json_pack("{s:I,s:I,s:I}", "received", (json_int_t)json_array_size(rows), "added",
                                    (json_int_t)added, "changed", (json_int_t)changed), 200);
cleanup:
    json_decref(bad);
    json_decref(j);
    buf_free(&csv);
    buf_free(&errs);
    return rc;
}

int api_units_post(web_ctx *c)
{
    return catalog_post(c, 1);
}

int api_indicators_post(web_ctx *c)
{
    return catalog_post(c, 0);
}
