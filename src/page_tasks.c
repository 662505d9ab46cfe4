/* page_tasks.c - work programmes and tasks on the web: the task list (a unit's dashboard and a
 * programme's page: counts by status, completion rate, filters, sorted by deadline), one task's
 * page with its progress log, and the progress report form (editors of the lead unit).
 * Items are read from the store per request (they change without touching the model);
 * a report is written in one transaction with an audit entry. */
#include "web.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_multi.h"
#include "store_task.h"
#include "task.h"
#include "task_handover.h"
#include "vn.h"

int web_today(const web_ctx *c)
{
    if (c->app->today)
        return c->app->today;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void date_cell(web_ctx *c, int d)
{
    if (d)
        vn_format_date(d, lang_get(), &c->resp->body);
}

int page_task_summary(web_ctx *c, int u)
{
    /* On the overview's hot path: rendered once per unit, day and data version (any task write
     * moves the version: web_committed here, the generation for other processes). */
    int today = web_today(c);
    char key[64];
    snprintf(key, sizeof key, "ts|%d|%d|%d", u, today, lang_get());
    if (web_cache_get(c, key, &c->resp->body))
        return 0;
    size_t start = c->resp->body.len;
    task_set ts = { 0 };
    if (store_task_load(c->s, &ts, &c->e) != 0) {
        task_set_free(&ts);
        return -1;
    }
    task_counts k = { 0 };
    for (int i = 0; i < ts.n; i++) {
        const task_t *t = &ts.items[i];
        int lu = model_unit_find(c->m, t->lead_unit);
        if ((t->kind == TK_TASK || t->kind == TK_SUBTASK) && lu >= 0 && auth_in_subtree(c->m, u, lu))
            task_count(&k, t, today, 14);
    }
    if (k.total) {
        page_printf(c, "<p class=\"tasks-line\" id=\"task-summary\">%s: ", tr("Nhiệm vụ", "Tasks"));
        page_printf(c, tr("hoàn thành %d/%d (vượt %d), quá hạn %d, sắp đến hạn %d",
                          "completed %d/%d (beyond %d), overdue %d, due soon %d"),
                    k.done, k.total, k.exceeded, k.overdue, k.soon);
        page_printf(c, " — <a href=\"/tasks?unit=");
        page_urlarg(c, c->m->units[u].code);
        page_printf(c, "\">%s</a></p>", tr("xem nhiệm vụ", "see the tasks"));
    }
    web_cache_put(c, key, c->resp->body.p + start, c->resp->body.len - start);
    task_set_free(&ts);
    return 0;
}

int page_tasks(web_ctx *c)
{
    int u;
    if (web_unit(c, ACT_READ, &u) != 0)
        return 0;
    const char *prog = web_param(c, "programme"), *stq = web_param(c, "status"), *dueq = web_param(c, "due");
    const char *owner = web_param(c, "owner");
    int want_st = stq && *stq ? task_status_parse(stq) : -1, want_due = -1;
    if (stq && *stq && want_st < 0)
        return web_fail(c, 400, "bad_request", "status", tr("trạng thái không hợp lệ", "invalid status"));
    for (int k = 1; dueq && *dueq && k < TD_COUNT; k++)
        if (strcmp(dueq, task_due_key(k)) == 0)
            want_due = k;
    if (dueq && *dueq && want_due < 0)
        return web_fail(c, 400, "bad_request", "due", tr("nhóm hạn không hợp lệ", "invalid deadline class"));
    task_set ts = { 0 };
    if (store_task_load(c->s, &ts, &c->e) != 0)
        return -1;
    int pi = prog && *prog ? task_find(&ts, prog) : -1;
    if (prog && *prog && pi < 0) {
        task_set_free(&ts);
        return web_fail(c, 404, "not_found", "programme", tr("không có chương trình này", "no such programme"));
    }
    int today = web_today(c), n = 0;
    int *idx = calloc((size_t)ts.n + 1, sizeof *idx);
    if (idx == NULL) {
        task_set_free(&ts);
        return err_set(&c->e, "out of memory");
    }
    task_counts k = { 0 };
    for (int i = 0; i < ts.n; i++) {
        const task_t *t = &ts.items[i];
        int lu = model_unit_find(c->m, t->lead_unit);
        if ((t->kind != TK_TASK && t->kind != TK_SUBTASK) || lu < 0 || !auth_in_subtree(c->m, u, lu))
            continue;
        if (pi >= 0 && !task_in_programme(&ts, i, prog))
            continue;
        task_count(&k, t, today, 14);
        if ((want_st >= 0 && task_status(t, today) != want_st) || (want_due >= 0 && task_due_class(t, today, 14) != want_due) ||
            (owner && *owner && !vn_search(t->owner, owner)))
            continue;
        idx[n++] = i;
    }
    const char *sort = web_param(c, "sort");
    int key = !sort || !*sort || strcmp(sort, "due") == 0 ? 0 : strcmp(sort, "title") == 0 ? 1
            : strcmp(sort, "status") == 0 ? 2 : strcmp(sort, "progress") == 0 ? 3 : -1;
    if (key < 0) {
        free(idx);
        task_set_free(&ts);
        return web_fail(c, 400, "bad_request", "sort", tr("sort: due, title, status hoặc progress",
                                                          "sort: due, title, status or progress"));
    }
    for (int a = 1; a < n; a++)                 /* stable: ties keep the stored order */
        for (int b = a; b > 0; b--) {
            const task_t *x = &ts.items[idx[b]], *y = &ts.items[idx[b - 1]];
            int before;
            if (key == 1)
                before = vn_collate(x->title, y->title) < 0;
            else if (key == 2)
                before = task_status(x, today) < task_status(y, today);
            else if (key == 3)
                before = x->progress < y->progress;
            else {                               /* deadline in force; none last */
                int da = task_due_date(x, today), db = task_due_date(y, today);
                before = da && (!db || da < db);
            }
            if (!before)
                break;
            int t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    buf title = BUF_INIT;
    buf_adds(&title, tr("Nhiệm vụ: ", "Tasks: "));
    buf_adds(&title, pi >= 0 ? ts.items[pi].title : c->m->units[u].name);
    page_begin(c, buf_str(&title));
    buf_free(&title);
    if (pi >= 0 && *ts.items[pi].document) {
        page_printf(c, "<p>");
        page_text(c, ts.items[pi].document);
        page_printf(c, "</p>");
    }
    page_printf(c, "<section class=\"tiles\" id=\"task-tiles\">");
    page_printf(c, "<div class=\"tile st-met\"><span class=\"big\" id=\"tasks-done\">%d/%d</span><span>%s", k.done, k.total,
                tr("hoàn thành", "completed"));
    if (k.total) {
        page_printf(c, " (");
        page_num(c, 100.0 * k.done / k.total, 2);
        page_printf(c, "%%)");
    }
    page_printf(c, "</span></div><div class=\"tile st-exceeded\"><span class=\"big\">%d</span><span>%s</span></div>"
                   "<div class=\"tile st-notmet\"><span class=\"big\" id=\"tasks-overdue\">%d</span><span>%s</span></div>"
                   "<div class=\"tile st-nodata\"><span class=\"big\">%d</span><span>%s</span></div></section>",
                k.exceeded, tr("hoàn thành vượt", "completed beyond"), k.overdue, tr("quá hạn", "overdue"), k.soon,
                tr("đến hạn trong 14 ngày", "due within 14 days"));
    /* filters */
    page_printf(c, "<form method=\"get\" class=\"picker\"><input type=\"hidden\" name=\"unit\" value=\"");
    page_text(c, c->m->units[u].code);
    page_printf(c, "\"><label>%s <select name=\"programme\"><option value=\"\">—</option>", tr("Chương trình", "Programme"));
    for (int i = 0; i < ts.n; i++)
        if (ts.items[i].kind != TK_TASK && ts.items[i].kind != TK_SUBTASK) {
            page_printf(c, "<option value=\"");
            page_text(c, ts.items[i].code);
            page_printf(c, "\"%s>", i == pi ? " selected" : "");
            page_text(c, ts.items[i].title);
            page_printf(c, "</option>");
        }
    page_printf(c, "</select></label><label>%s <select name=\"status\"><option value=\"\">—</option>", tr("Trạng thái", "Status"));
    for (int s = 0; s < TS_COUNT; s++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", task_status_key(s), s == want_st ? " selected" : "",
                    task_status_name(s));
    page_printf(c, "</select></label><label>%s <select name=\"due\"><option value=\"\">—</option>", tr("Hạn", "Deadline"));
    for (int d = 1; d < TD_COUNT; d++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", task_due_key(d), d == want_due ? " selected" : "", task_due_name(d));
    page_printf(c, "</select></label><label>%s <input name=\"owner\" size=\"12\" value=\"", tr("Người phụ trách", "Owner"));
    page_text(c, owner ? owner : "");
    page_printf(c, "\"></label><label>%s <select name=\"sort\">", tr("Xếp theo", "Sort by"));
    static const char *const sk[4] = { "due", "title", "status", "progress" };
    const char *sn[4] = { tr("hạn", "deadline"), tr("tên", "title"), tr("trạng thái", "status"), tr("tiến độ", "progress") };
    for (int k2 = 0; k2 < 4; k2++)
        page_printf(c, "<option value=\"%s\"%s>%s</option>", sk[k2], k2 == key ? " selected" : "", sn[k2]);
    page_printf(c, "</select></label> <button type=\"submit\">%s</button></form>", tr("Lọc", "Filter"));
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\" id=\"task-list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th class=\"num\">%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                tr("Nhiệm vụ", "Task"), tr("Chủ trì", "Lead"), tr("Người phụ trách", "Owner"), tr("Hạn", "Due"),
                tr("Tiến độ", "Progress"), tr("Trạng thái", "Status"), tr("Nhóm hạn", "Deadline"));
    for (int j = 0; j < n; j++) {
        const task_t *t = &ts.items[idx[j]];
        int st = task_status(t, today), dc = task_due_class(t, today, 14), lu = model_unit_find(c->m, t->lead_unit);
        page_printf(c, "<tr data-code=\"");
        page_text(c, t->code);
        page_printf(c, "\" class=\"%s\"><td><a href=\"/task?code=", st == TS_OVERDUE ? "st-notmet" : task_is_done(st) ? "st-met" : "");
        page_urlarg(c, t->code);
        page_printf(c, "\">");
        page_text(c, t->title);
        page_printf(c, "</a></td><td>");
        page_text(c, c->m->units[lu].name);
        buf mark = BUF_INIT;                   /* a lead unit no longer valid (no successor), marked */
        task_unit_mark(c->m, lu, today, &mark);
        page_text(c, buf_str(&mark));
        buf_free(&mark);
        page_printf(c, "</td><td>");
        page_text(c, t->owner);
        page_printf(c, "</td><td>");
        date_cell(c, task_due_date(t, today));
        page_printf(c, "</td><td class=\"num\">%d%%</td><td class=\"status-cell\">%s%s</td><td>%s</td></tr>", t->progress,
                    task_status_name(st), task_is_done(st) && t->exceeded ? tr(" (vượt)", " (beyond)") : "", task_due_name(dc));
    }
    page_printf(c, "</tbody></table></div>");
    if (n == 0)
        page_printf(c, "<p>%s</p>", tr("Không có nhiệm vụ nào.", "No tasks."));
    page_end(c);
    free(idx);
    task_set_free(&ts);
    return 0;
}

static int task_view(web_ctx *c, const char *msg, int ok)
{
    const char *code = web_param(c, "code");
    task_set ts = { 0 };
    if (store_task_load(c->s, &ts, &c->e) != 0)
        return -1;
    int i = code ? task_find(&ts, code) : -1;
    int lu = i >= 0 ? model_unit_find(c->m, ts.items[i].lead_unit) : -1;
    if (i < 0 || lu < 0 || !auth_allows(c->m, c->role, c->uunit, lu, ACT_READ)) {
        task_set_free(&ts);
        return web_fail(c, i < 0 || lu < 0 ? 404 : 403, i < 0 ? "not_found" : "forbidden", "code",
                        i < 0 ? tr("không có nhiệm vụ này", "no such task") : tr("bạn không có quyền xem nhiệm vụ này",
                                                                                 "you may not see this task"));
    }
    const task_t *t = &ts.items[i];
    int today = web_today(c), st = task_status(t, today);
    page_begin(c, t->title);
    if (msg) {
        page_printf(c, "<div class=\"msg %s\" role=\"alert\">", ok ? "ok" : "err");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    page_printf(c, "<dl class=\"def\"><dt>%s</dt><dd>", tr("Mã", "Code"));
    page_text(c, t->code);
    page_printf(c, "</dd><dt>%s</dt><dd><a href=\"/tasks?unit=", tr("Chương trình", "Programme"));
    page_urlarg(c, c->m->units[lu].code);
    page_printf(c, "&amp;programme=");
    page_urlarg(c, t->programme);
    page_printf(c, "\">");
    int pi = task_find(&ts, t->programme);
    page_text(c, pi >= 0 ? ts.items[pi].title : t->programme);
    page_printf(c, "</a></dd><dt>%s</dt><dd>", tr("Đơn vị chủ trì", "Lead unit"));
    page_text(c, c->m->units[lu].name);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Phối hợp", "Cooperating"));
    page_text(c, t->coop_units);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Người chịu trách nhiệm", "Responsible"));
    page_text(c, t->owner);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Bắt đầu", "Start"));
    date_cell(c, t->start);
    page_printf(c, "</dd><dt>%s</dt><dd>", tr("Hạn", "Deadline"));
    date_cell(c, task_due_date(t, today));
    page_printf(c, "</dd><dt>%s</dt><dd id=\"task-status\">%s%s</dd><dt>%s</dt><dd id=\"task-progress\">%d%%</dd>",
                tr("Trạng thái", "Status"), task_status_name(st), task_is_done(st) && t->exceeded ? tr(" (vượt)", " (beyond)") : "",
                tr("Tiến độ", "Progress"), t->progress);
    if (*t->result) {
        page_printf(c, "<dt>%s</dt><dd>", tr("Kết quả", "Result"));
        page_text(c, t->result);
        page_printf(c, "</dd>");
    }
    page_printf(c, "</dl><h2>%s</h2>", tr("Nhật ký tiến độ", "Progress log"));
    if (t->nlog == 0)
        page_printf(c, "<p>%s</p>", tr("Chưa có báo cáo tiến độ.", "No progress reports yet."));
    else {
        page_printf(c, "<table class=\"grid\" id=\"task-log\"><thead><tr><th>%s</th><th class=\"num\">%%</th><th>%s</th><th>%s</th>"
                       "</tr></thead><tbody>", tr("Ngày", "Date"), tr("Nội dung", "Report"), tr("Người báo cáo", "By"));
        for (int k = t->nlog - 1; k >= 0; k--) {
            page_printf(c, "<tr><td>");
            date_cell(c, t->log[k].date);
            page_printf(c, "</td><td class=\"num\">%d</td><td>", t->log[k].pct);
            page_text(c, t->log[k].text);
            page_printf(c, "</td><td>");
            page_text(c, t->log[k].who);
            page_printf(c, "</td></tr>");
        }
        page_printf(c, "</tbody></table>");
    }
    if (auth_allows(c->m, c->role, c->uunit, lu, ACT_WRITE)) {
        page_printf(c, "<h2>%s</h2><form method=\"post\" action=\"/task\" class=\"card\" id=\"progress-form\">",
                    tr("Báo cáo tiến độ", "Report progress"));
        page_csrf(c);
        page_printf(c, "<input type=\"hidden\" name=\"code\" value=\"");
        page_text(c, t->code);
        page_printf(c, "\"><label>%s <input name=\"pct\" type=\"number\" min=\"0\" max=\"100\" required value=\"%d\"></label>"
                       "<label>%s <input name=\"text\" maxlength=\"1000\" required></label>"
                       "<button type=\"submit\" class=\"primary\">%s</button></form>",
                    tr("Đã làm được (%)", "Done (%)"), t->progress, tr("Nội dung", "What was done"),
                    tr("Gửi báo cáo", "Send the report"));
    }
    page_end(c);
    task_set_free(&ts);
    return 0;
}

int page_task(web_ctx *c)
{
    return task_view(c, NULL, 0);
}

int page_task_post(web_ctx *c)
{
    const char *code = web_param(c, "code"), *pct_s = web_param(c, "pct"), *text = web_param(c, "text");
    task_set ts = { 0 };
    int rc = -1, in_tx = 0;
    /* read under the writer's lock: who may report and the row written back are decided against
     * the task as stored (api_task_progress does the same) */
    if (store_begin(c->s, &c->e) != 0)
        return -1;
    in_tx = 1;
    if (store_task_load(c->s, &ts, &c->e) != 0)
        goto cleanup;
    int i = code ? task_find(&ts, code) : -1;
    int lu = i >= 0 ? model_unit_find(c->m, ts.items[i].lead_unit) : -1;
    if (i < 0 || lu < 0) {
        rc = web_fail(c, 404, "not_found", "code", tr("không có nhiệm vụ này", "no such task"));
        goto cleanup;
    }
    if (!auth_allows(c->m, c->role, c->uunit, lu, ACT_WRITE)) {
        rc = web_fail(c, 403, "forbidden", "code", tr("chỉ người nhập liệu của đơn vị chủ trì báo cáo tiến độ",
                                                      "only editors of the lead unit report progress"));
        goto cleanup;
    }
    char *end = NULL;
    long pct = pct_s ? strtol(pct_s, &end, 10) : -1;
    if (!pct_s || *end || pct < 0 || pct > 100 || !text || !*text || strlen(text) > 1000) {
        c->resp->status = 400;
        task_set_free(&ts);
        store_rollback(c->s);
        return task_view(c, tr("Cần tiến độ từ 0 đến 100 và nội dung báo cáo (tối đa 1000 byte).",
                               "Progress from 0 to 100 and a report text (1000 bytes at most) are required."), 0);
    }
    if (task_report_add(&ts, i, web_today(c), (int)pct, text, c->user.login) != 0) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    const task_t *t = &ts.items[i];
    store_feed_quiet(c->s);           /* a task's progress: nothing another server's model holds */
    char detail[64];
    snprintf(detail, sizeof detail, "%ld%%", pct);
    if (store_task_report(c->s, t, &t->log[t->nlog - 1], &c->e) != 0 ||
        store_audit_add(c->s, c->user.login, "task progress", t->code, detail, &c->e) != 0 ||
        store_commit(c->s, &c->e) != 0)
        goto cleanup;
    in_tx = 0;
    web_committed(c);
    buf to = BUF_INIT;
    web_urlenc(&to, t->code);
    rc = web_redirect(c, "/task?code=%s", buf_str(&to));
    buf_free(&to);
cleanup:
    if (in_tx)
        store_rollback(c->s);
    task_set_free(&ts);
    return rc;
}
