/* store_sqlite_task.c - the work_item and task_report tables (see store_task.h).  Items are
 * keyed by code; dates are yyyymmdd integers (0 = none); the log is append-only. */
#include "store_sqlite.h"
#include "store_task.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char store_task_schema[] =
    "CREATE TABLE IF NOT EXISTS work_item(code TEXT PRIMARY KEY, kind INTEGER NOT NULL, title TEXT NOT NULL,"
    " programme TEXT NOT NULL DEFAULT '', parent TEXT NOT NULL DEFAULT '', lead_unit TEXT NOT NULL DEFAULT '',"
    " coop_units TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '', document TEXT NOT NULL DEFAULT '',"
    " result TEXT NOT NULL DEFAULT '', indicators TEXT NOT NULL DEFAULT '', start INTEGER NOT NULL DEFAULT 0,"
    " deadline INTEGER NOT NULL DEFAULT 0, recur INTEGER NOT NULL DEFAULT 0, paused INTEGER NOT NULL DEFAULT 0,"
    " exceeded INTEGER NOT NULL DEFAULT 0, progress INTEGER NOT NULL DEFAULT 0,"
    " completed_on INTEGER NOT NULL DEFAULT 0, ord INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS task_report(id INTEGER PRIMARY KEY, code TEXT NOT NULL REFERENCES work_item(code),"
    " date INTEGER NOT NULL, pct INTEGER NOT NULL, text TEXT NOT NULL DEFAULT '', who TEXT NOT NULL,"
    " at TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS task_report_code ON task_report(code);"
    /* Work items move the generation too (store_sqlite_web.c): a running server then knows that
     * what it shows of them may be stale. */
    "CREATE TRIGGER IF NOT EXISTS gen_work_item_i AFTER INSERT ON work_item BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_work_item_u AFTER UPDATE ON work_item BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_task_report AFTER INSERT ON task_report BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;";

static const char *col(sq_stmt *st, int i)
{
    const char *t = sq_col_text(st, i);
    return t ? (const char *)t : "";
}

int store_task_load(store *s, task_set *ts, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1, r;
    if (sq_prepare(s, "SELECT code,kind,title,programme,parent,lead_unit,coop_units,owner,document,"
                           "result,indicators,start,deadline,recur,paused,exceeded,progress,completed_on"
                           " FROM work_item ORDER BY ord, rowid", &st) != 0)
        goto db;
    while ((r = sq_step(s, st, "database", e)) > 0) {
        task_t t = { 0 };
        t.code = (char *)col(st, 0), t.kind = sq_col_int(st, 1), t.title = (char *)col(st, 2);
        t.programme = (char *)col(st, 3), t.parent = (char *)col(st, 4), t.lead_unit = (char *)col(st, 5);
        t.coop_units = (char *)col(st, 6), t.owner = (char *)col(st, 7), t.document = (char *)col(st, 8);
        t.result = (char *)col(st, 9), t.indicators = (char *)col(st, 10);
        t.start = sq_col_int(st, 11), t.deadline = sq_col_int(st, 12);
        t.recur = sq_col_int(st, 13), t.paused = sq_col_int(st, 14);
        t.exceeded = sq_col_int(st, 15), t.progress = sq_col_int(st, 16);
        t.completed_on = sq_col_int(st, 17);
        if (task_add(ts, &t) < 0) {
            err_set(e, "out of memory");
            goto cleanup;
        }
    }
    if (r < 0)
        goto cleanup;
    sq_finalize(st);
    if (sq_prepare(s, "SELECT code,date,pct,text,who FROM task_report ORDER BY id", &st) != 0)
        goto db;
    while ((r = sq_step(s, st, "database", e)) > 0) {
        int i = task_find(ts, col(st, 0));
        if (i < 0)
            continue;
        /* the stored item already has its progress and completion; keep them as stored */
        task_t keep = ts->items[i];
        if (task_report_add(ts, i, sq_col_int(st, 1), sq_col_int(st, 2), col(st, 3), col(st, 4)) != 0) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        ts->items[i].progress = keep.progress;
        ts->items[i].completed_on = keep.completed_on;
    }
    rc = r;
    goto cleanup;
db:
    sq_err(s, e);
cleanup:
    sq_finalize(st);
    if (rc != 0)
        task_set_free(ts);       /* never half a list */
    return rc;
}

int store_task_put(store *s, const task_t *t, err_t *e)
{
    sq_stmt *st;
    if (sq_prepare(s, "INSERT INTO work_item(code,kind,title,programme,parent,lead_unit,coop_units,owner,document,result,"
            "indicators,start,deadline,recur,paused,exceeded,progress,completed_on,ord)"
            " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,"
            " (SELECT COALESCE(MAX(ord),0)+1 FROM work_item))"
            " ON CONFLICT(code) DO UPDATE SET kind=?2,title=?3,programme=?4,parent=?5,lead_unit=?6,coop_units=?7,"
            "owner=?8,document=?9,result=?10,indicators=?11,start=?12,deadline=?13,recur=?14,paused=?15,"
            "exceeded=?16,progress=?17,completed_on=?18", &st) != 0)
        return sq_err(s, e);
    const char *txt[] = { t->code, NULL, t->title, t->programme, t->parent, t->lead_unit, t->coop_units, t->owner,
                          t->document, t->result, t->indicators };
    for (int i = 0; i < 11; i++)
        if (i != 1)
            sq_text(s, st, i + 1, txt[i] ? txt[i] : "");
    sq_int64(s, st, 2, t->kind);
    int nums[] = { t->start, t->deadline, t->recur, t->paused, t->exceeded, t->progress, t->completed_on };
    for (int i = 0; i < 7; i++)
        sq_int64(s, st, 12 + i, nums[i]);
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc < 0 ? -1 : 0;
}

int store_task_report(store *s, const task_t *t, const task_report *r, err_t *e)
{
    sq_stmt *st;
    char at[32];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sq_prepare(s, "INSERT INTO task_report(code,date,pct,text,who,at) VALUES(?1,?2,?3,?4,?5,?6)", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, t->code);
    sq_int64(s, st, 2, r->date);
    sq_int64(s, st, 3, r->pct);
    sq_text(s, st, 4, r->text);
    sq_text(s, st, 5, r->who);
    sq_text(s, st, 6, at);
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    if (rc < 0)
        return -1;
    return store_task_put(s, t, e);
}
