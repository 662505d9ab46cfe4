/* api_approval.c - the reporting cycle in the JSON API: GET /api/v1/approval lists the data
 * sets that are not drafts (within the caller's subtree), POST /api/v1/approval/STEP with
 * {"unit","period","reason"} takes a step (submit, approve, return, unlock) through the write
 * module (write.h), with the same rules as the web pages and `chitieu approval`.
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"
#include "write.h"

static int reply(web_ctx *c, json_t *j, int status)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
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

int api_approval(web_ctx *c)
{
    const char *uc = web_param(c, "unit"), *pc = web_param(c, "period");
    int root = c->uunit;
    period_t within = { 0 };
    if (uc && *uc && (root = model_unit_find(c->m, uc)) < 0)
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    if (!auth_allows(c->m, c->role, c->uunit, root, ACT_READ))
        return web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
    if (pc && *pc && period_parse(pc, strlen(pc), &within) != 0)
        return web_fail(c, 400, "bad_period", "period", tr("kỳ không hợp lệ", "invalid period"));
    web_sub *subs = NULL;
    int n = store_sub_list(c->s, &subs, &c->e);
    if (n < 0)
        return -1;
    json_t *a = json_array();
    for (int k = 0; a && k < n; k++) {
        int u = model_unit_find(c->m, subs[k].unit), targets;
        const char *code = write_key_period(subs[k].period, &targets);
        period_t p;
        if (u < 0 || !auth_in_subtree(c->m, root, u))
            continue;
        if (pc && *pc && (period_parse(code, strlen(code), &p) != 0 || !period_contains(within, p)))
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "unit", subs[k].unit, "period", code,
                                           "targets", targets, "state", store_sub_key(subs[k].state), "by",
                                           subs[k].who, "at", subs[k].at, "comment", subs[k].comment));
    }
    free(subs);
    return reply(c, a ? json_pack("{s:o}", "approval", a) : NULL, 200);
}

int api_approval_post(web_ctx *c)
{
    const char *name = strrchr(c->req->path, '/');
    int step = write_step_parse(name ? name + 1 : "");
    if (step < 0)
        return web_fail(c, 404, "not_found", NULL, tr("không có bước này", "no such step"));
    if (!api_is_json_type(c->req->ctype))
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    json_error_t je;
    json_t *j = json_loadb(buf_str(&c->req->body), c->req->body.len, JSON_REJECT_DUPLICATES, &je);
    const char *uc = NULL, *pc = NULL, *reason = NULL, *expected_at = NULL;
    int rc, targets = 0;
    if (j == NULL || json_unpack(j, "{s:s,s:s,s?s,s?b,s?s!}", "unit", &uc, "period", &pc, "reason", &reason,
                                 "targets", &targets, "expected_at", &expected_at) != 0) {
        json_decref(j);
        return web_fail(c, 400, "bad_request", NULL,
                        tr("cần JSON {\"unit\": MÃ, \"period\": KỲ, \"reason\": LÝ_DO (khi trả lại, mở khóa), \"targets\": true|false, "
                           "\"expected_at\": \"at\" đã đọc}",
                           "expected JSON {\"unit\": CODE, \"period\": PERIOD, \"reason\": TEXT (to return, unlock), \"targets\": true|false, "
                           "\"expected_at\": the \"at\" read}"));
    }
    int u = model_unit_find(c->m, uc);
    period_t p;
    if (u < 0)
        rc = web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    else if (period_parse(pc, strlen(pc), &p) != 0)
        rc = web_fail(c, 400, "bad_period", "period", tr("kỳ không hợp lệ", "invalid period"));
    else {
        write_actor a = { c->user.login, c->role, c->uunit, "api", 60, 0 };
        err_t e;
        int r = write_approval_seen(c->s, c->m, &a, step, targets, u, p, reason, expected_at, &e);
        if (r < 0) {
            c->e = e;
            rc = -1;
        } else if (r > 0)
            rc = web_fail(c, r == WRITE_FORBIDDEN ? 403 : r == WRITE_CONFLICT ? 409 : 400,
                          r == WRITE_FORBIDDEN ? "forbidden" : r == WRITE_CONFLICT ? "conflict" : "bad_request",
                          r == WRITE_INVALID ? "reason" : NULL, e.msg);
        else {
            web_sub sub;
            char per[PERIOD_CODE_MAX + 16];
            snprintf(per, sizeof per, "%s", targets ? WRITE_TARGETS_PREFIX : "");
            period_code(p, per + strlen(per), sizeof per - strlen(per));
            const char *code = per + (targets ? strlen(WRITE_TARGETS_PREFIX) : 0);
            rc = store_sub_get(c->s, uc, per, &sub, &c->e) < 0 ? -1
               : reply(c, json_pack("{s:s,s:s,s:b,s:s,s:s,s:s}", "unit", uc, "period", code, "targets", targets,
                                    "state", store_sub_key(sub.state), "by", sub.who, "at", sub.at), 200);
        }
    }
    json_decref(j);
    return rc;
}
