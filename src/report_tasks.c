/* report_tasks.c - the review report's section on work programmes and tasks: the tasks led by
 * the unit and the units below it, judged on the last day of the report period (or today if
 * that is earlier).  Adds doc["tasks"] = {heading, sentences[], programmes[], overdue[]}, which
 * report_render (md, html) and docx lay out after the indicators. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "report.h"
#include "task.h"
#include "task_handover.h"
#include "vn.h"

/* A task led in the unit's subtree that had begun by the day the report judges. */
static int in_scope_on(const model *m, int unit, const task_t *t, int day)
{
    int u = model_unit_find(m, t->lead_unit);
    return (t->kind == TK_TASK || t->kind == TK_SUBTASK) && u >= 0 && auth_in_subtree(m, unit, u) &&
           (!t->start || t->start <= day);
}
#define in_scope(m, unit, t) in_scope_on(m, unit, t, day)

static void pct(buf *b, double v)
{
    vn_format_number_trim(v, 2, lang_get(), b);
    buf_addc(b, '%');
}

/* Tasks not done on time, pre-listed among the review's shortcomings (report_text.h). */
static void shortcomings_add(json_t *doc, const task_counts *c)
{
    size_t i;
    json_t *part;
    if (c->overdue == 0 && c->done_late == 0)
        return;
    buf b = BUF_INIT;
    buf_adds(&b, tr("Nhiệm vụ chưa bảo đảm tiến độ: ", "Tasks not on time: "));
    if (c->overdue)
        buf_printf(&b, tr("%d nhiệm vụ quá hạn chưa hoàn thành", "%d overdue and not completed"), c->overdue);
    if (c->done_late)
        buf_printf(&b, tr("%s%d nhiệm vụ hoàn thành quá hạn", "%s%d completed late"), c->overdue ? "; " : "",
                   c->done_late);
    buf_adds(&b, ".");
    json_array_foreach(json_object_get(doc, "review"), i, part)
        if (strcmp(json_string_value(json_object_get(part, "key")), "shortcomings") == 0)
            json_array_append_new(json_object_get(part, "paragraphs"), json_string(buf_str(&b)));
    buf_free(&b);
}

int report_add_tasks(json_t *doc, const model *m, const task_set *ts, int unit, period_t p, int today, err_t *e)
{
    int end = period_end(p), day = end && end < today ? end : today;
    task_counts c = { 0 };
    for (int i = 0; i < ts->n; i++)
        if (in_scope(m, unit, &ts->items[i]))
            task_count(&c, &ts->items[i], day, 14);
    if (c.total == 0)
        return 0;
    json_t *sec = json_object(), *sent = json_array(), *progs = json_array(), *over = json_array();
    if (!sec || !sent || !progs || !over) {
        json_decref(sec), json_decref(sent), json_decref(progs), json_decref(over);
        return err_set(e, "out of memory");
    }
    buf b = BUF_INIT, d = BUF_INIT;
    vn_format_date(day, lang_get(), &d);
    if (lang_get() == LANG_EN)
        buf_printf(&b, "By %s, %d of %d %s completed", buf_str(&d), c.done, c.total,
                   c.total == 1 ? "task was" : c.done == 1 ? "tasks was" : "tasks were");
    else
        buf_printf(&b, "Đến ngày %s, hoàn thành %d/%d nhiệm vụ", buf_str(&d), c.done, c.total);
    if (c.exceeded)
        buf_printf(&b, tr(", trong đó %d nhiệm vụ hoàn thành vượt", ", %d of them beyond what was required"), c.exceeded);
    if (c.done_late)
        buf_printf(&b, tr("; %d nhiệm vụ hoàn thành quá hạn", "; %d completed late"), c.done_late);
    buf_adds(&b, ".");
    json_array_append_new(sent, json_string(buf_str(&b)));
    buf_reset(&b);
    if (c.due) {
        pct(&b, 100.0 * c.due_done / c.due);
        buf_printf(&b, tr(" nhiệm vụ đến hạn đã hoàn thành (%d/%d); %d nhiệm vụ quá hạn chưa hoàn thành",
                          " of the tasks due were completed (%d/%d); %d overdue and not completed"),
                   c.due_done, c.due, c.overdue);
    } else
        buf_printf(&b, tr("Chưa có nhiệm vụ nào đến hạn", "No task has fallen due yet"));
    buf_printf(&b, tr("; %d đang thực hiện, %d chưa thực hiện, %d tạm dừng.", "; %d in progress, %d not started, %d paused."),
               c.in_progress, c.not_started, c.paused);
    json_array_append_new(sent, json_string(buf_str(&b)));
    /* completion per programme (any non-task item with tasks in scope) */
    for (int k = 0; k < ts->n; k++) {
        const task_t *pg = &ts->items[k];
        if (pg->kind == TK_TASK || pg->kind == TK_SUBTASK || pg->kind == TK_RESOLUTION)
            continue;
        task_counts pc = { 0 };
        for (int i = 0; i < ts->n; i++)
            if (in_scope(m, unit, &ts->items[i]) && task_in_programme(ts, i, pg->code))
                task_count(&pc, &ts->items[i], day, 14);
        if (pc.total == 0)
            continue;
        json_array_append_new(progs, json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:f}", "code", pg->code, "title", pg->title,
                                               "document", pg->document, "done", pc.done, "total", pc.total,
                                               "overdue", pc.overdue, "pct", 100.0 * pc.done / pc.total));
    }
    /* overdue tasks by lead unit */
    for (size_t u = 0; u < m->nunits; u++) {
        json_t *list = NULL;
        for (int i = 0; i < ts->n; i++) {
            const task_t *t = &ts->items[i];
            if (!in_scope(m, unit, t) || strcmp(t->lead_unit, m->units[u].code) != 0 || task_status(t, day) != TS_OVERDUE)
                continue;
            if (list == NULL)
                list = json_array();
            buf_reset(&d);
            vn_format_date(task_due_date(t, day), lang_get(), &d);
            json_array_append_new(list, json_pack("{s:s,s:s,s:s,s:s,s:i}", "code", t->code, "title", t->title,
                                                  "due", buf_str(&d), "owner", t->owner, "progress", t->progress));
        }
        if (list) {                  /* a lead unit gone with no successor keeps its tasks, marked */
            buf_reset(&d);
            buf_adds(&d, m->units[u].name);
            task_unit_mark(m, (int)u, day, &d);
            json_array_append_new(over, json_pack("{s:s,s:o}", "unit", buf_str(&d), "tasks", list));
        }
    }
    json_object_set_new(sec, "heading", json_string(tr("Thực hiện các chương trình công tác, nhiệm vụ",
                                                       "Work programmes and tasks")));
    shortcomings_add(doc, &c);
    json_object_set_new(sec, "sentences", sent);
    json_object_set_new(sec, "programmes", progs);
    json_object_set_new(sec, "overdue", over);
    json_object_set_new(sec, "counts", json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "total", c.total, "done", c.done,
                                                 "exceeded", c.exceeded, "overdue", c.overdue, "due", c.due,
                                                 "due_done", c.due_done));
    json_object_set_new(doc, "tasks", sec);
    buf_free(&b);
    buf_free(&d);
    return 0;
}
