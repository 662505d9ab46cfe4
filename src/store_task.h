/* store_task.h - work items and their progress reports in the database (store_sqlite_task.c). */
#ifndef CHITIEU_STORE_TASK_H
#define CHITIEU_STORE_TASK_H

#include "store.h"
#include "task.h"

/* Loads every work item with its progress log into ts (which must be empty); on failure ts is
 * left empty (never a partial list). */
int store_task_load(store *s, task_set *ts, err_t *e);
/* Inserts or updates a work item by code (its log is not touched). */
int store_task_put(store *s, const task_t *t, err_t *e);
/* Appends a progress report (who, when recorded) and stores the item's new progress. */
int store_task_report(store *s, const task_t *t, const task_report *r, err_t *e);

#endif
