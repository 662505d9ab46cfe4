/* api_tasks.c - work programmes' tasks in the JSON API, with the rules of the web's task pages
 * (page_tasks.c): GET /api/v1/tasks lists the tasks and sub-tasks whose lead unit lies in a unit's
 * subtree the caller may read (paged; with `code`, one item and its progress log), their status
 * and deadline class judged on the server's today; POST /api/v1/tasks/progress {code, pct, text}
 * reports progress as an editor of the lead unit, in one transaction with its audit entry.
 * Items are read from the store per request; nothing outlives it.
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_list.h"
#include "store_multi.h"
#include "store_task.h"
#include "task.h"

static const char *const task_params[] = { "unit", "programme", "status", "code", "lang", NULL };

static json_t *task_json(const task_t *t, int today, int with_log)
{
    int st = task_status(t, today);
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:i,s:i,s:b,s:b}", "code", t->code,
                          "title", t->title, "kind", task_kind_name(t->kind), "programme", t->programme, "parent",
                          t->parent, "lead_unit", t->lead_unit, "owner", t->owner, "start", t->start, "deadline",
                          t->deadline, "due", task_due_date(t, today), "status", task_status_key(st), "due_class",
                          task_due_key(task_due_class(t, today, 14)), "progress", t->progress, "completed_on",
                          t->completed_on, "exceeded", t->exceeded, "paused", t->paused);
    if (o && with_log) {
        json_t *log = json_array();
        for (int k = 0; log && k < t->nlog; k++)
            json_array_append_new(log, json_pack("{s:i,s:i,s:s,s:s}", "date", t->log[k].date, "pct", t->log[k].pct,
                                                 "text", t->log[k].text, "by", t->log[k].who));
        json_object_set_new(o, "reports", log ? log : json_null());
    }
    return o;
}

int api_tasks(web_ctx *c)
{
    const char *prog = web_param(c, "programme"), *status = web_param(c, "status"), *code = web_param(c, "code");
    int u, want = -1, today = web_today(c);
    api_page pg;
    task_set ts = { 0 };
    uint64_t digest = API_DIGEST_INIT;    /* tasks come from the database, ahead of the model */
    if (web_unit(c, ACT_READ, &u) != 0 || api_list_begin_at(c, &pg, NULL) != 0)
        return 0;
    if (status && *status && (want = task_status_parse(status)) < 0)
        return web_fail(c, 400, "bad_request", "status", tr("trạng thái không hợp lệ", "invalid status"));
    if (store_task_load(c->s, &ts, &c->e) != 0) {
        task_set_free(&ts);
        return -1;
    }
    /* a code that names nothing is an error, not an empty list that looks complete */
    const char *unknown = prog && *prog && task_find(&ts, prog) < 0 ? "programme"
                        : code && *code && task_find(&ts, code) < 0 ? "code" : NULL;
    if (unknown) {
        task_set_free(&ts);
        return web_fail(c, 404, "not_found", unknown, tr("không có chương trình, nhiệm vụ này", "no such programme or task"));
    }
    json_t *a = json_array();
    for (int i = 0; a && i < ts.n; i++) {
        const task_t *t = &ts.items[i];
        int lu = model_unit_find(c->m, t->lead_unit);
        if ((t->kind != TK_TASK && t->kind != TK_SUBTASK) || lu < 0 || !auth_in_subtree(c->m, u, lu) ||
            !auth_allows(c->m, c->role, c->uunit, lu, ACT_READ))
            continue;
        if ((prog && *prog && !task_in_programme(&ts, i, prog)) || (want >= 0 && task_status(t, today) != want) ||
            (code && *code && strcmp(code, t->code) != 0))
            continue;
        api_digest_add(&digest, t->code);
        if (!api_page_take(&pg))
            continue;
        json_array_append_new(a, task_json(t, today, code && *code));
    }
    task_set_free(&ts);
    if (a && api_list_digest_check(c, &pg, digest) != 0) {
        json_decref(a);
        return 0;
    }
    return api_list_send(c, &pg, "tasks", a, task_params);
}

int api_task_progress(web_ctx *c)
{
    json_error_t je;
    const char *code = NULL, *text = NULL;
    int pct = -1, rc = -1, in_tx = 0;
    task_set ts = { 0 };
    if (!api_is_json_type(c->req->ctype))
        return web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                                   "Content-Type: application/json required"));
    json_t *j = json_loadb(buf_str(&c->req->body), c->req->body.len, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL || json_unpack(j, "{s:s,s:i,s:s!}", "code", &code, "pct", &pct, "text", &text) != 0) {
        json_decref(j);
        return web_fail(c, 400, "bad_request", NULL, tr("cần JSON {code, pct (0-100), text}",
                                                        "expected JSON {code, pct (0-100), text}"));
    }
    /* the task read under the writer's lock: who may report and the row written back are decided
     * against it as stored, not as it was before another writer (a task import) committed */
    if (store_begin(c->s, &c->e) != 0)
        goto cleanup;
    in_tx = 1;
    if (store_task_load(c->s, &ts, &c->e) != 0)
        goto cleanup;
    int i = task_find(&ts, code);
    int lu = i >= 0 ? model_unit_find(c->m, ts.items[i].lead_unit) : -1;
    if (i < 0 || lu < 0 || !auth_allows(c->m, c->role, c->uunit, lu, ACT_READ)) {
        rc = web_fail(c, 404, "not_found", "code", tr("không có nhiệm vụ này", "no such task"));
        goto cleanup;
    }
    if (!auth_allows(c->m, c->role, c->uunit, lu, ACT_WRITE)) {
        rc = web_fail(c, 403, "forbidden", "code", tr("chỉ người nhập liệu của đơn vị chủ trì báo cáo tiến độ",
                                                      "only editors of the lead unit report progress"));
        goto cleanup;
    }
    if (pct < 0 || pct > 100 || !*text || api_utf8_chars(text) > 1000) {
        rc = web_fail(c, 422, "invalid", pct < 0 || pct > 100 ? "pct" : "text",
                      tr("cần tiến độ từ 0 đến 100 và nội dung báo cáo (tối đa 1000 ký tự)",
                         "progress from 0 to 100 and a report text (1000 characters at most) are required"));
        goto cleanup;
    }
    if (task_report_add(&ts, i, web_today(c), pct, text, c->user.login) != 0) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    const task_t *t = &ts.items[i];
    char detail[64];
    snprintf(detail, sizeof detail, "%d%%", pct);
    store_feed_quiet(c->s);           /* a task's progress: nothing another server's model holds */
    if (store_task_report(c->s, t, &t->log[t->nlog - 1], &c->e) != 0 ||
        store_audit_add(c->s, c->user.login, "task progress", t->code, detail, &c->e) != 0 ||
        store_commit(c->s, &c->e) != 0)
        goto cleanup;
    in_tx = 0;
    web_committed(c);
    rc = api_send_json(c, task_json(t, web_today(c), 1), 200);
cleanup:
    if (in_tx)
        store_rollback(c->s);
    task_set_free(&ts);
    json_decref(j);
    return rc;
}
