/* completeness.h - who has reported what for a period: completeness and timeliness of the data
 * of the units below a unit (DHIS2's data-set completeness, by unit subtree and indicator).
 *
 * Expected: every unit of the subtree that is a leaf in the period (valid in it, with no child
 * valid in it) is expected to report, for the period itself, every indicator without a formula
 * that has a target for that unit in a period overlapping the period's year (for a term:
 * overlapping the term), or for which the unit has stored a value in such a period; a unit with
 * neither targets nor values there is expected to report the indicators of its parent's targets.
 * Reported: a value is stored for (indicator, unit, period).  On time: its first version was
 * written (local date, cycle_rules.tz_minutes) on or before the period's deadline (cycle.h);
 * a value whose write time is unknown counts as on time.  Missing: expected and not reported.
 *
 * cmpl_compute is pure (model and the write dates in, counts out); cmpl_run reads the write
 * dates from the store first.  The result owns its arrays (cmpl_free).
 */
#ifndef CHITIEU_COMPLETENESS_H
#define CHITIEU_COMPLETENESS_H

#include <jansson.h>

#include "buf.h"
#include "cycle.h"
#include "model.h"
#include "store.h"

enum cmpl_state { CM_MISSING = 0, CM_ON_TIME, CM_LATE };

/* One expected figure of a leaf unit. */
typedef struct cmpl_item {
    int unit, ind;               /* model indexes */
    int state;                   /* enum cmpl_state */
    int date;                    /* local date of the first write (yyyymmdd), 0 if missing or unknown */
} cmpl_item;

typedef struct cmpl_count {
    int expected, reported, on_time, late, missing;   /* figures */
    int leaves, leaves_complete, leaves_late;        /* reporting units: expected to report
                                                        something, reported all, reported one late */
} cmpl_count;

/* A row: a child of the unit valid in the period (the unit itself when it is a leaf), counting
 * the leaves of its subtree. */
typedef struct cmpl_row {
    int unit;
    cmpl_count c;
} cmpl_row;

typedef struct cmpl_result {
    int unit;
    period_t p;
    int deadline, from, to;      /* yyyymmdd: the period's deadline and data window */
    cmpl_row *rows;
    int nrows;
    cmpl_count total;
    cmpl_item *items;            /* every expected figure, leaves in tree order, rows in order */
    int nitems;
} cmpl_result;

/* Computes the result for unit and p; first holds, per (unit * m->ninds + ind), the local date of
 * a stored value's first write (0 = unknown), or is NULL.  Returns 0 or -1 (out of memory). */
int cmpl_compute(const model *m, const cycle_rules *r, int unit, period_t p, const int *first,
                 cmpl_result *out, err_t *e);
/* Reads the first write dates of p's values into a new array (caller frees); 0 or -1. */
int cmpl_first_dates(store *s, const model *m, const cycle_rules *r, period_t p, int **out, err_t *e);
/* cmpl_first_dates then cmpl_compute (inside the caller's read snapshot if any); 0 or -1. */
int cmpl_run(store *s, const model *m, const cycle_rules *r, int unit, period_t p, cmpl_result *out,
             err_t *e);
/* Frees the result's arrays (a zeroed result is fine). */
void cmpl_free(cmpl_result *res);
/* Appends the one-line summary "12/15 đơn vị đã báo cáo đủ, 2 trễ hạn" (units reporting in
 * full over units expected to report, then those with a late figure) in lang (0 vi, 1 en). */
void cmpl_summary(const cmpl_count *c, int lang, buf *out);
/* JSON of a row: {unit, name, period, deadline (yyyy-mm-dd), expected, reported, on_time, late,
 * missing, units, units_complete, units_late}; NULL on OOM. */
json_t *cmpl_row_json(const model *m, const cmpl_result *res, const cmpl_row *row);
/* JSON of an item: {unit, indicator, state, first_write (yyyy-mm-dd or null)}; NULL on OOM. */
json_t *cmpl_item_json(const model *m, const cmpl_item *it);
/* The machine name of a state: "missing", "on_time", "late". */
const char *cmpl_state_key(int state);

#endif
