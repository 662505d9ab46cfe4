/* api_class.c - the classification round in the JSON API (docs/openapi.json):
 * GET /api/v1/class/results lists a year's subjects of a unit's subtree with their three steps
 * (members only where the caller may see them, paged like every list); POST /api/v1/class/steps
 * takes one step as the caller through class_step, the same checks as the CLI and the pages.
 * Errors are {"error":{"code","message","field"}}. */
#include "page_class.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"
#include "class_round.h"
#include "store_task.h"

static const char *const result_params[] = { "year", "unit", "lang", NULL };

static int api_year(web_ctx *c, const char *s, int *year)
{
    char *end;
    long y = s && *s ? strtol(s, &end, 10) : web_today(c) / 10000;
    if (s && *s && (*end != '\0' || y < 1990 || y > 2100))
        return web_fail(c, 400, "bad_year", "year", tr("năm không hợp lệ (ví dụ 2025)", "invalid year (e.g. 2025)")), -1;
    *year = (int)y;
    return 0;
}

static class_actor api_actor(const web_ctx *c)
{
    class_actor a;
    snprintf(a.login, sizeof a.login, "%s", c->user.login);
    a.role = c->role;
    a.unit = c->uunit;
    return a;
}

static json_t *mark_json(const class_mark *mk)
{
    if (mk->grade < 0)
        return json_null();
    return json_pack("{s:f,s:s,s:s,s:s,s:s}", "score", mk->score_cp / 100.0, "grade", class_grade_key(mk->grade), "by",
                     mk->by, "at", mk->at, "comment", mk->comment);
}

static const char *const step_keys[] = { "none", "assessed", "appraised", "decided" };

static json_t *result_json(const class_quota_line *l, const class_result *r)
{
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "code", l->sub.code, "kind", class_kind_key(l->sub.kind), "name",
                          l->sub.name, "unit", l->sub.unit, "group", l->sub.group, "step", step_keys[l->step], "over_quota",
                          l->over);
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "self_assessment", r ? mark_json(&r->self) : json_null());
    json_object_set_new(o, "appraisal", r ? mark_json(&r->appr) : json_null());
    json_object_set_new(o, "decision", r ? mark_json(&r->dec) : json_null());
    json_object_set_new(o, "faults", json_string(r ? r->faults : ""));
    return o;
}

int api_class_results(web_ctx *c)
{
    api_page pg;
    int year, unit, n, nres, rc = -1;
    class_quota_line *lines = NULL;
    class_result *res = NULL;
    uint64_t digest = API_DIGEST_INIT;    /* subjects come from the database, not the model */
    if (api_list_begin_at(c, &pg, NULL) != 0 || api_year(c, web_param(c, "year"), &year) != 0 || web_unit(c, ACT_READ, &unit) != 0)
        return 0;
    if ((n = class_quota_report(c->s, c->m, year, unit, &lines, &c->e)) < 0 ||
        (nres = store_class_results(c->s, year, &res, &c->e)) < 0)
        goto cleanup;
    class_actor a = api_actor(c);
    json_t *items = json_array();
    for (int i = 0, j = 0; i < n && items; i++) {
        if (!class_may_see(c->m, &a, &lines[i].sub))
            continue;
        api_digest_add(&digest, lines[i].sub.code);
        if (!api_page_take(&pg))
            continue;
        while (j < nres && strcmp(res[j].subject, lines[i].sub.code) < 0)   /* both in code order */
            j++;
        const class_result *r = j < nres && strcmp(res[j].subject, lines[i].sub.code) == 0 ? &res[j] : NULL;
        json_t *o = result_json(&lines[i], r);
        if (o == NULL || json_array_append_new(items, o) != 0) {
            json_decref(items);
            items = NULL;
        }
    }
    if (items && api_list_digest_check(c, &pg, digest) != 0) {
        json_decref(items);
        rc = 0;
        goto cleanup;
    }
    rc = api_list_send(c, &pg, "results", items, result_params);
cleanup:
    free(lines);
    free(res);
    return rc;
}

/* Reads the score: a JSON number or a string such as "89,5"; 0 or -1. */
static int json_score(json_t *v, int *cp)
{
    err_t e;
    if (json_is_string(v))
        return class_score_parse(json_string_value(v), cp, &e);
    if (!json_is_number(v))
        return -1;
    double d = json_number_value(v) * 100.0, r = round(d);
    if (fabs(d - r) > 1e-6 || r < 0 || r > CLASS_SCORE_MAX)
        return -1;
    *cp = (int)r;
    return 0;
}

static int parse_step(web_ctx *c, json_t *j, class_step_in *in)
{
    const char *step = json_string_value(json_object_get(j, "step")), *grade = json_string_value(json_object_get(j, "grade"));
    json_t *year = json_object_get(j, "year");
    in->subject = json_string_value(json_object_get(j, "subject"));
    in->faults = json_string_value(json_object_get(j, "faults"));
    in->comment = json_string_value(json_object_get(j, "comment"));
    in->step = !step ? 0 : strcmp(step, "assess") == 0 ? CS_ASSESSED : strcmp(step, "appraise") == 0 ? CS_APPRAISED
             : strcmp(step, "decide") == 0 ? CS_DECIDED : 0;
    in->grade = grade ? class_grade_parse(grade) : -1;
    in->year = json_is_integer(year) ? (int)json_integer_value(year) : 0;
    const char *field = !in->subject ? "subject" : !in->step ? "step" : in->grade < 0 ? "grade"
                      : in->year < 1990 || in->year > 2100 ? "year"
                      : json_score(json_object_get(j, "score"), &in->score_cp) != 0 ? "score"
                      : (in->comment && strlen(in->comment) > 500) ? "comment" : NULL;
    if (field)
        return web_fail(c, 400, "bad_request", field,
                        tr("cần year, subject, step (assess|appraise|decide), score (0-100, tối đa 2 chữ số thập phân), grade "
                           "(excellent|good|done|fail); comment tối đa 500 byte",
                           "year, subject, step (assess|appraise|decide), score (0-100, at most 2 decimals) and grade "
                           "(excellent|good|done|fail) are required; comment up to 500 bytes")), -1;
    if (!in->faults)
        in->faults = "";
    if (!in->comment)
        in->comment = "";
    int today = web_today(c);
    in->asof = today > in->year * 10000 + 1231 ? in->year * 10000 + 1231 : today;
    return 0;
}

int api_class_step_post(web_ctx *c)
{
    if (!api_is_json_type(c->req->ctype))
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    json_error_t je;
    json_t *j = json_loadb(buf_str(&c->req->body), c->req->body.len, JSON_REJECT_DUPLICATES, &je);
    class_step_in in = { 0 };
    task_set ts = { 0 };
    int rc = -1;
    if (!json_is_object(j)) {
        rc = web_fail(c, 400, "bad_request", NULL, tr("thân yêu cầu phải là một đối tượng JSON", "the body must be a JSON object"));
        goto cleanup;
    }
    if (parse_step(c, j, &in) != 0) {
        rc = 0;
        goto cleanup;
    }
    class_subject sub;
    class_actor a = api_actor(c);
    int found = store_class_subject_get(c->s, in.subject, &sub, &c->e);
    if (found < 0)
        goto cleanup;
    if (found == 0 || !class_may_see(c->m, &a, &sub) || !class_may_step(c->m, &a, &sub, in.step)) {
        rc = web_fail(c, found == 0 ? 404 : 403, found == 0 ? "not_found" : "forbidden", "subject",
                      found == 0 ? tr("không có đối tượng này", "no such subject")
                                 : tr("bạn không có quyền thực hiện bước này cho đối tượng này",
                                      "you may not take this step for this subject"));
        goto cleanup;
    }
    if (store_task_load(c->s, &ts, &c->e) != 0)
        goto cleanup;
    class_result r;
    class_check chk;
    err_t e;
    if (class_step(c->s, c->m, &ts, &a, &in, &r, &chk, &e) != 0) {
        rc = web_fail(c, 409, "refused", NULL, e.msg);
        goto cleanup;
    }
    web_committed(c);
    class_quota_line l = { .sub = sub, .step = r.step };
    json_t *o = result_json(&l, &r);
    if (o)
        json_object_set_new(o, "allowed", json_string(class_grade_key(chk.allowed)));
    rc = api_send_json(c, o, 200);
cleanup:
    json_decref(j);
    task_set_free(&ts);
    return rc;
}
