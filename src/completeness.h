/* completeness.h - who has reported what for a period: completeness and timeliness of the data
 * of the units below a unit (DHIS2's data-set completeness, by unit subtree and indicator).
 *
 * Expected: every unit of the subtree that is a leaf in the period (valid in it and on its last
 * day, with no such child: a unit that ended inside the period, merged into a successor, does
 * not report it) is expected to report, for the period itself, every indicator without a formula
 * that has a target for that unit in a period overlapping the period's year (for a term:
 * overlapping the term), or for which the unit has stored a value in such a period; a unit with
 * neither targets nor values there is expected to report the indicators of its parent's targets.
 * Reported: a value is stored for (indicator, unit, period).  On time: its first version was
 * written (local date, cycle_rules.tz_minutes) on or before the period's deadline (cycle.h);
 * a value whose write time is unknown counts as on time.  Missing: expected and not reported.
 *
 * cmpl_compute is pure (model and the write dates in, counts out); cmpl_run reads the write
 * dates from the store first, or, in a server, from the dates it keeps (below).  The result owns
 * its arrays (cmpl_free).
 *
 * Kept by a server (completeness_kept.c): a model with a cmpl_firsts (model.firsts) keeps the
 * first-write dates of each period asked for, read from the store once; every value change
 * applied to that model (write_apply_cell) is touched, and read again from the store by the next
 * reader, so the dates are those store_first_writes would give.  Touches run under the model's
 * write lock, readers (cmpl_run, cmpl_firsts_prepare) under its read lock or on a model no one
 * else sees yet.
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
/* cmpl_run without the items (rows and total only; a server reuses each leaf's counts that no
 * change touched); 0 or -1. */
int cmpl_run_counts(store *s, const model *m, const cycle_rules *r, int unit, period_t p, cmpl_result *out,
                    err_t *e);
/* A server's first-write dates (see the top): new (NULL on OOM), freed (NULL is fine; takes void *
 * to be model.firsts_free), a target or value cell changed (removed: a value deleted), and p's dates (time zone tz) read now if they
 * are not kept yet; 0 or -1. */
typedef struct cmpl_firsts cmpl_firsts;
cmpl_firsts *cmpl_firsts_new(void);
void cmpl_firsts_free(void *firsts);
void cmpl_firsts_touch(cmpl_firsts *f, const model *m, int targets, int ind, int unit, period_t p, int removed);
int cmpl_firsts_prepare(cmpl_firsts *f, store *s, const model *m, int tz, period_t p, err_t *e);
/* How a period's dates are read from now on: 0 (the default) whichever is cheaper, 1 cell by cell
 * (one indexed read each, the model's cells of the period), 2 by a scan of every value (tests
 * compare the two). */
void cmpl_firsts_read_by(cmpl_firsts *f, int how);
/* A server's first read of p's dates with no lock on the model (the prewarm at start and after a
 * reload, so no save waits for that scan): begin, under the model's read lock, copies the codes
 * the read needs and registers it on f, so every touch of p's values from then on is queued for
 * it (*out NULL: kept already or being read; nothing to do); run reads the store with no lock
 * held (the codes and sizes of a model never change: a new catalogue is a new model); end, under
 * the read lock again with f and m those installed now, keeps the dates (the queued cells read
 * again by the next reader, as any touch) unless the model changed or a reader kept p meanwhile,
 * and frees x: 1 if kept, else 0.  free discards one not begun on f (NULL is fine). */
typedef struct cmpl_scan cmpl_scan;
int cmpl_scan_begin(cmpl_firsts *f, const model *m, int tz, period_t p, cmpl_scan **out, err_t *e);
/* Between begin and run, under the read lock with f and m those installed now, a piece of `units`
 * units at a time: marks who is expected to report (kept by end, so no marking after it) and
 * collects the model's cells of p's values, so run reads those cells one by one (indexed reads)
 * instead of scanning every value when they are few (a year of a data set of months: none); a
 * touch meanwhile queues its cell as above and sets its flag (a deletion: marked again after).  1 when finished (or the model is
 * another now: run then reads nothing and end keeps nothing), else 0.  Optional: run without it
 * scans. */
int cmpl_scan_collect(cmpl_scan *x, cmpl_firsts *f, const model *m, int units);
/* run: 0 read, -1 with e, 1 nothing read (the model changed while collecting). */
int cmpl_scan_run(cmpl_scan *x, store *s, err_t *e);
int cmpl_scan_end(cmpl_scan *x, cmpl_firsts *f, const model *m);
/* After end kept p's dates: marks who is expected to report (cmpl_mark_cells) for `units` more
 * units, under the read lock, so no hold is long; a change meanwhile sets its flag as any touch,
 * a deletion leaves the marking to the next reader.  1 when finished (or nothing to do), else 0. */
int cmpl_scan_mark(cmpl_firsts *f, const model *m, int tz, period_t p, int units);
void cmpl_scan_free(cmpl_scan *x);
/* For cmpl_run: the kept dates of p (up to date; the cache is locked until cmpl_kept_release; not
 * kept yet: read now, cell by cell when the model holds few of p's values, else by a scan, or,
 * when a prewarm is reading them, waited for: one read, not two), one
 * cell's local date (0 = none or unknown), the flags of cmpl_mark_cells for p's span, and a leaf
 * unit's counts {expected, reported, late} for a deadline (leaf: 1 if kept, else 0; leaf_put
 * keeps them until a change touches the unit); get returns 0 or -1. */
typedef struct cmpl_kept cmpl_kept;
int cmpl_kept_get(cmpl_firsts *f, store *s, const model *m, int tz, period_t p, cmpl_kept **out, err_t *e);
int cmpl_kept_date(const cmpl_kept *k, size_t cell);
const unsigned char *cmpl_kept_flags(const cmpl_kept *k, int targets);
int cmpl_kept_leaf(const cmpl_kept *k, int unit, int deadline, int out[3]);
void cmpl_kept_leaf_put(cmpl_kept *k, int unit, int deadline, const int counts[3]);
void cmpl_kept_release(cmpl_firsts *f, cmpl_kept *k);
/* The span whose targets and values say what a unit is expected to report for p: p's year, or
 * the term p itself. */
period_t cmpl_span(period_t p);
/* 1 if periods a and b overlap (one contains the other), else 0. */
int cmpl_overlaps(period_t a, period_t b);
/* Marks flags[unit * m->ninds + ind] for each value (targets: target) cell whose period overlaps span. */
void cmpl_mark_cells(const model *m, int targets, period_t span, unsigned char *flags);
/* cmpl_mark_cells for the units u_from..u_to-1 of a model whose engine holds its cells (the
 * side cells with the first piece, u_from 0); a model holding its cells in its maps is marked
 * whole by the piece from 0.  1 when that was the last piece, else 0. */
int cmpl_mark_part(const model *m, int targets, period_t span, int u_from, int u_to, unsigned char *flags);
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
