/* api_validate.c - GET /api/v1/validation?unit=U&period=P[&outliers=true]: the validation run
 * (validate.h) as a paged list (api_list.h): rule violations first ("type": "rule"), then, when
 * asked, outliers ("type": "outlier"). */
#include "api_list.h"

#include <string.h>

#include "validate.h"

static const char *const validation_params[] = { "unit", "period", "outliers", "lang", NULL };

int api_validation(web_ctx *c)
{
    const char *uc = web_param(c, "unit"), *pc = web_param(c, "period"), *oc = web_param(c, "outliers");
    int u = c->uunit;
    period_t p;
    api_page pg;
    if (api_list_begin_at(c, &pg, NULL) != 0)
        return 0;
    if (uc && *uc && (u = model_unit_find(c->m, uc)) < 0)
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    if (u < 0 || !auth_allows(c->m, c->role, c->uunit, u, ACT_READ))
        return web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
    if (pc == NULL || period_parse(pc, strlen(pc), &p) != 0)
        return web_fail(c, 400, "bad_period", "period", tr("cần kỳ hợp lệ (ví dụ 2023)", "a valid period is required (e.g. 2023)"));
    int outliers = oc && (strcmp(oc, "true") == 0 || strcmp(oc, "1") == 0);
    if (oc && !outliers && strcmp(oc, "false") != 0 && strcmp(oc, "0") != 0)
        return web_fail(c, 400, "bad_request", "outliers", tr("outliers: true hoặc false", "outliers: true or false"));
    validate_result r;
    if (validate_run(c->s, c->m, u, p, outliers, &r, &c->e) != 0) {
        validate_free(&r);
        return -1;
    }
    /* the rules, bounds and threshold are read from the database, which can change them without
     * moving the model: the snapshot carries a digest of every item's key */
    uint64_t digest = API_DIGEST_INIT;
    char key[64];
    json_t *a = json_array();
    for (int k = 0; a && k < r.nviol; k++) {
        const rule_violation *v = &r.viol[k];
        snprintf(key, sizeof key, "r%d|%d|%d|%d|%d", v->unit, (int)v->p.kind, (int)v->p.n, (int)v->p.y, (int)v->p.y2);
        api_digest_add(&digest, r.rules[v->rule].code);
        api_digest_add(&digest, key);
        if (api_page_take(&pg))
            json_array_append_new(a, validate_violation_json(c->m, &r, v));
    }
    for (int k = 0; a && k < r.nflags; k++) {
        const outlier_flag *f = &r.flags[k];
        snprintf(key, sizeof key, "o%d|%d|%d|%d|%d|%d|%d", f->kind, f->ind, f->unit, (int)f->p.kind, (int)f->p.n,
                 (int)f->p.y, (int)f->p.y2);
        api_digest_add(&digest, key);
        if (api_page_take(&pg))
            json_array_append_new(a, validate_flag_json(c->m, f));
    }
    validate_free(&r);
    if (a && api_list_digest_check(c, &pg, digest) != 0) {
        json_decref(a);
        return 0;
    }
    return api_list_send(c, &pg, "validation", a, validation_params);
}
