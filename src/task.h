/* task.h - work programmes and tasks (pure: no I/O, "today" is always a parameter).
 *
 * A task set holds work items in a tree (resolution > programme > project/plan/breakthrough
 * > task > sub-task) with their dates, lead unit, owner and progress log.  Status and
 * deadline class are derived from the dates and the reports, never stored.  Dates are
 * yyyymmdd ints (0 = none).  The set owns every string; callers pass borrowed strings.
 */
#ifndef CHITIEU_TASK_H
#define CHITIEU_TASK_H

#include <stddef.h>
#include "err.h"

enum task_kind { TK_RESOLUTION = 0, TK_PROGRAMME, TK_PROJECT, TK_PLAN, TK_BREAKTHROUGH, TK_TASK, TK_SUBTASK, TK_COUNT };
enum task_status { TS_NOT_STARTED = 0, TS_IN_PROGRESS, TS_DONE_ON_TIME, TS_DONE_LATE, TS_OVERDUE, TS_PAUSED, TS_COUNT };
enum task_due { TD_NONE = 0, TD_OVERDUE, TD_SOON, TD_LATER, TD_NO_DEADLINE, TD_COUNT };
enum task_recur { TR_NONE = 0, TR_MONTH, TR_QUARTER, TR_YEAR };

typedef struct task_report {
    int date;                /* yyyymmdd */
    int pct;                 /* 0-100 */
    char *text, *who;
} task_report;

typedef struct task {
    char *code, *title, *programme, *parent, *lead_unit, *coop_units, *owner, *document, *result,
         *indicators;        /* "" when absent; coop_units, indicators: ';'-separated codes */
    int kind;                /* enum task_kind */
    int start, deadline;     /* yyyymmdd, 0 = none */
    int recur;               /* enum task_recur: the deadline is the end of each period */
    int paused;              /* tạm dừng */
    int exceeded;            /* the result exceeded what was required (hoàn thành vượt) */
    int progress;            /* latest %, 0-100 */
    int completed_on;        /* yyyymmdd, 0 = not completed */
    task_report *log;        /* progress reports, oldest first */
    int nlog, caplog;
} task_t;

typedef struct task_set {
    task_t *items;
    int n, cap;
} task_set;

/* Frees everything the set owns; the set is empty and reusable afterwards. */
void task_set_free(task_set *s);
/* Adds a copy of t (its strings copied; NULL strings become ""); returns its index or -1 (OOM). */
int task_add(task_set *s, const task_t *t);
/* Index of the item with this code, or -1. */
int task_find(const task_set *s, const char *code);
/* 1 if item i belongs to programme (or project, plan...) p: through its own programme or parent,
 * and theirs, up the tree. */
int task_in_programme(const task_set *s, int i, const char *p);
/* Appends a progress report to item i (copies the strings) and moves its progress and, at
 * 100 %, its completion date; returns 0 or -1 (OOM). */
int task_report_add(task_set *s, int i, int date, int pct, const char *text, const char *who);

/* The deadline in force on `today`: a recurring task's end of the current month, quarter or
 * year; a deadline on a Saturday or Sunday moves to the next Monday (Civil Code 2015, art. 148);
 * 0 when there is none. */
int task_due_date(const task_t *t, int today);
/* The status on `today` (enum task_status). */
int task_status(const task_t *t, int today);
/* The deadline class on `today` for an unfinished item, soon = due within soon_days (enum
 * task_due; TD_NONE for finished or paused items). */
int task_due_class(const task_t *t, int today, int soon_days);
/* 1 when the status counts as done (on time or late). */
int task_is_done(int status);

/* Parses "chưa thực hiện", "not_started", ... "tạm dừng"/"paused" (any case, with or without
 * diacritics is not attempted: the canonical words); returns the enum or -1. */
int task_status_parse(const char *s);
/* Parses a kind: "resolution"/"nghị quyết", "programme"/"chương trình", "project"/"đề án",
 * "plan"/"kế hoạch", "breakthrough"/"khâu đột phá", "task"/"nhiệm vụ", "subtask"/"nhiệm vụ con". */
int task_kind_parse(const char *s);
/* Parses "month"/"quarter"/"year" (or "tháng"/"quý"/"năm"); "" is none; returns the enum or -1. */
int task_recur_parse(const char *s);
/* Vietnamese (or English) names. */
const char *task_status_name(int status);
const char *task_status_key(int status);
const char *task_due_name(int due);
/* Machine name of a deadline class: "overdue", "soon", "later", "no_deadline" ("" for none). */
const char *task_due_key(int due);
const char *task_kind_name(int kind);

/* Days from a to b (yyyymmdd), b - a. */
int task_days_between(int a, int b);
/* Day of week of a yyyymmdd date, 0 = Monday ... 6 = Sunday. */
int task_weekday(int d);
/* Parses "2023-01-04" or "4/1/2023" (day/month/year) into yyyymmdd; returns 0 or -1. */
int task_parse_date(const char *s, int *out);

typedef struct task_counts {
    int total, done, done_on_time, done_late, exceeded, overdue, in_progress, not_started, paused;
    int due;                 /* items whose deadline has passed by today (done or not) */
    int due_done;            /* of those, done */
    int soon;                /* unfinished, due within soon_days */
} task_counts;
/* Adds item t's state on `today` to c. */
void task_count(task_counts *c, const task_t *t, int today, int soon_days);

#endif
