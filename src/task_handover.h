/* task_handover.h - tasks of a dissolved unit pass to its successor (issue 12).
 *
 * A unit with successions out of it (model_succs) hands its unfinished tasks to the successor
 * with the largest share on the first succession date (ties: the smaller code), following
 * chains (A -> B in 2020, B -> C in 2025: A's tasks end at C).  Each step is a row in the
 * task's history, "bàn giao từ X sang Y ngày 1/7/2025", dated on the succession date, with the
 * task's progress unchanged.  A task finished before the date stays with the old unit (it is
 * history).  Cooperating units are replaced the same way.  Running it twice changes nothing. */
#ifndef CHITIEU_TASK_HANDOVER_H
#define CHITIEU_TASK_HANDOVER_H

#include "buf.h"
#include "model.h"
#include "store.h"
#include "task.h"

/* The unit that takes over unit u's tasks and *date (yyyymmdd) when it happens, or -1 when u
 * has no successor.  One step only (no chain).  Needs a finished model. */
int task_successor(const model *m, int u, int *date);
/* Hands item i of ts over as described above: appends one history row per step (who recorded
 * as `who`) and rewrites its lead unit and cooperating units.  Returns the number of steps
 * (0 = nothing to do) or -1 (OOM; the item may have part of its history rows, the set is
 * still valid). */
int task_handover_item(task_set *ts, int i, const model *m, const char *who);
/* 1 if unit u (-1: unknown) is valid on the day `today` (yyyymmdd). */
int task_unit_current(const model *m, int u, int today);
/* Appends " (hết hiệu lực từ 1/7/2025)" (English in lang 1) to out when unit u is known and no
 * longer (or not yet) valid on `today`: lists show the tasks of such a lead unit, marked. */
void task_unit_mark(const model *m, int u, int today, buf *out);
/* Loads the stored tasks, hands over every one that needs it and writes the new history rows
 * and units, inside the caller's transaction (no begin/commit here).  *handed (may be NULL)
 * gets the number of tasks handed over.  Returns 0 or -1 with e set. */
int task_handover_store(store *s, const model *m, const char *who, long *handed, err_t *e);

#endif
