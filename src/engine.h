/* engine.h - the analytics engine: every (unit, indicator, period) figure of a model's
 * years, computed in one bottom-up pass and kept current on every saved value.
 *
 * engine_build() evaluates the same rules as eval.c's recursion (reported value, else
 * formula over the unit's own figures, else aggregation of the child units that have
 * data, else aggregation of the period's sub-periods when all have data) for every unit,
 * indicator, month, quarter, half and year, in fixed point (fixed.h), so results do not
 * depend on summation order or thread count; and it evaluates every yearly target (met /
 * exceeded counts per unit and year).  Subtrees are shared out between threads, largest
 * first.  It keeps the figures of units with large subtrees for every period and of the
 * other inner units for years; the rest (leaves, small subtrees' months) is recomputed on
 * demand from the reported values it holds, in microseconds.
 *
 * The engine borrows the model it was built from (formulas, unit tree) and must not
 * outlive it; it holds its own copy of the reported values and yearly targets, which
 * engine_update()/engine_update_target() refresh from the model after each change.  It
 * must be rebuilt when units or indicators change.  Readers may call engine_get() from
 * several threads at once; updates need the caller's exclusive lock.  Attach it to a
 * model (model.engine) and eval_unit()/eval_actual() take their figures from it.  Ranges
 * of years (terms) within its years are composed on the first question, for every unit and
 * indicator in one pass by the same rules, and kept until the next change.
 */
#ifndef CHITIEU_ENGINE_H
#define CHITIEU_ENGINE_H

#include <stdint.h>
#include "err.h"
#include "model.h"
#include "period.h"

typedef struct engine engine;
struct store;                /* store.h */

typedef struct engine_opts {
    int threads;           /* 1 or more (capped at 8) */
    int full_min_leaves;   /* keep every period of inner units with at least this many leaves
                            * below them (0 = the default, 32; 1 = every inner unit) */
    int years_from, years_to; /* years held; 0, 0 = the span of at most ENGINE_MAX_YEARS
                            * holding most of the model's values and targets */
} engine_opts;

#define ENGINE_MAX_YEARS 30
#define ENGINE_NYEARS (PERIOD_YEAR_MAX - PERIOD_YEAR_MIN + 1)

/* Counts p in cnt[year - PERIOD_YEAR_MIN] for each of its years (a range: every year it spans). */
void engine_count_years(size_t *cnt, period_t p);
/* The years an engine holds given such counts of its values and targets: the span of at most
 * ENGINE_MAX_YEARS holding the most (the latest on a tie), from and to a year with some; 0, 0
 * without any. */
void engine_best_years(const size_t *cnt, int *y0, int *y1);

/* Computes every figure of m's years with nthreads threads into *out (caller frees with
 * engine_free); an engine already in *out is rebuilt, reusing its memory where it can. */
int engine_build(const model *m, int nthreads, engine **out, err_t *e);
/* The same with options (o may be NULL for the defaults). */
int engine_build_opts(const model *m, const engine_opts *o, engine **out, err_t *e);

/* A bulk loader that bypasses the model's value and target maps (for national scale):
 * engine_new() makes an empty engine over m's units and indicators (m finished, with no
 * values needed) for years y0..y1; engine_put_value()/engine_put_target() add figures
 * (not thread-safe; a later put of the same cell replaces it); engine_run() computes. */
int engine_new(const model *m, const engine_opts *o, int y0, int y1, engine **out, err_t *e);
/* Adds a reported value; 1 if kept, 0 if its period is not a year, half, quarter or month
 * of the engine's years, -1 on OOM. */
int engine_put_value(engine *g, int ind, int unit, period_t p, int64_t fx);
/* Adds a yearly target (other periods are ignored: 0); -1 on OOM. */
int engine_put_target(engine *g, int ind, int unit, period_t p, int64_t fx);
/* A staging buffer for loading from several threads: each thread puts into its own (same
 * results as engine_put_value/engine_put_target, targets chosen at creation), then the caller
 * commits them one after the other, in the order the rows should count (a later row wins).
 * engine_stage_new returns NULL on OOM; commit consumes the stage (0 or -1 on OOM); free
 * discards one not committed (NULL is fine). */
typedef struct engine_stage engine_stage;
engine_stage *engine_stage_new(engine *g, int targets);
/* Makes room for n puts up front (memory is only touched as it fills); 0 or -1 (OOM). */
int engine_stage_reserve(engine_stage *st, size_t n);
int engine_stage_put(engine_stage *st, int ind, int unit, period_t p, int64_t fx);
int engine_stage_commit(engine_stage *st);
void engine_stage_free(engine_stage *st);
/* (Re)computes every figure and count from the values and targets held. */
int engine_run(engine *g, err_t *e);
/* Sets the number of threads later runs use (1 to 8). */
void engine_threads(engine *g, int n);
/* Calls fn(ctx, targets, unit) before any change to unit's reported values (targets 0) or
 * targets (1) once the engine has run, on the changing thread (the engine image's snapshot,
 * engine_image.h); fn NULL stops it.  One watcher at a time; set it as the engine is changed
 * (under the same exclusive access). */
void engine_watch(engine *g, void (*fn)(void *ctx, int targets, int unit), void *ctx);
/* Reads a values.csv or targets.csv file (header "indicator,unit,period,value" or
 * "...,target", fields without quotes, as `chitieu gen` and exports write them) straight into
 * an engine made by engine_new, before its first run; codes are looked up in m.  Fails on the
 * first bad row, naming file, row, column and what was expected; *rows gets the rows read. */
int engine_load_csv(engine *g, const model *m, const char *path, long *rows, err_t *e);
/* The same from bytes in memory (data[0..len), borrowed); path names them in messages. */
int engine_load_buf(engine *g, const model *m, const char *path, const char *data, size_t len, long *rows,
                    err_t *e);

/* Reads the stored values (targets != 0: targets) of database db straight into an engine made by
 * engine_new, before its first run, on nparts threads with a handle each; units and indicators
 * are matched to m by code.  *rows gets the rows read; on failure the engine is to be dropped. */
int engine_load_store(engine *g, const model *m, const char *db, int targets, int nparts, long *rows, err_t *e);

/* Figures on today's structure (successions; eval.h's EVAL_CURRENT, docs/internals/engine.md):
 * the figure of (ind, unit, p) on today's structure (own 0), or a predecessor's own figure (own 1:
 * its units as they were, converted where it did not exist yet; eval.c's MODE_OWN).  Returns as
 * engine_figure, -1 outside (a year not held, a range or nine months) or out of memory;
 * *converted (may be NULL) tells whether predecessors' figures went in.  The first question
 * about a year builds its table; kept until the next change. */
int engine_figure_conv(const engine *g, int own, int ind, int unit, period_t p, int64_t *fx, int *source,
                       int *missing, int *converted);
/* 1 if the year's table holds a block of its own for unit in that mode (a succession touches it),
 * 0 if its figures there are the engine's own (engine_figure), -1 outside or out of memory. */
int engine_held_conv(const engine *g, int own, int unit, period_t p);
/* 1 if unit counts among today's units in p (eval_unit_in_structure with EVAL_CURRENT: valid in p
 * or created later from predecessors, and its figures not passed to successors), else 0; -1 as
 * engine_held_conv. */
int engine_in_structure_conv(const engine *g, int unit, period_t p);
/* Coverage of a figure on today's structure (eval.h's eval_cov, by eval.c's cov_on). */
typedef struct engine_cov {
    int partial, expected, reported, partial_children;
} engine_cov;
/* Fills *c for a unit the table holds (engine_held_conv 1): 0; else -1 (*c zeroed). */
int engine_coverage_conv(const engine *g, int own, int ind, int unit, period_t p, engine_cov *c);

/* Frees the engine (NULL is fine). */
void engine_free(engine *g);
/* The figure of (ind, unit, p): 1 with *v (and *source, *missing if not NULL), 0 when there is
 * no data, 2 when it is too large to hold (beyond ±9×10^14, fixed.h; *v is 0), -1 when p is
 * outside the engine (a year it does not hold, or a range reaching one). */
int engine_get(const engine *g, int ind, int unit, period_t p, double *v, int *source, int *missing);
/* The same in fixed point (*fx is FX_OVER when too large; source and missing may be NULL). */
int engine_figure(const engine *g, int ind, int unit, period_t p, int64_t *fx, int *source, int *missing);
/* Coverage of a figure from child units (eval.h): *expected the children valid in p, *reported
 * those that gave a figure (both 0 for any other figure); returns as engine_get. */
int engine_coverage(const engine *g, int ind, int unit, period_t p, int *expected, int *reported);
/* 1 if the figure of (ind, unit, p) is partial (eval.h's coverage: a unit expected below gave no
 * figure), 0 if not or there is none, -1 outside the engine or out of memory.  The first question
 * about a period builds its table for every unit and indicator; kept until the next change. */
int engine_partial(const engine *g, int ind, int unit, period_t p);
/* The yearly target of (ind, unit, year) in fixed point, rounded to the indicator's decimals:
 * 1 with *fx, 0 without, -1 outside the engine's years. */
int engine_target(const engine *g, int ind, int unit, int year, int64_t *fx);
/* 1 if the engine holds p's year (a period outside is evaluated by eval.c's recursion: a
 * caller that saves one there may want the engine rebuilt), else 0. */
int engine_covers(const engine *g, period_t p);
/* The same in fixed point: 1 with *fx, 0 without data, 2 too large (*fx = FX_OVER), -1 outside
 * (a year or half, quarter, month only, no ranges). */
int engine_get_fx(const engine *g, int ind, int unit, period_t p, int64_t *fx);
/* After the model's value (ind, unit, p) changed (set or deleted), recomputes what depends on
 * it: that indicator and the formulas using it, for p's year, in the unit and its ancestors. */
int engine_update(engine *g, const model *m, int ind, int unit, period_t p, err_t *e);
/* The same without a model's value map: sets (has) or removes the reported value in fixed point. */
int engine_set_value(engine *g, int ind, int unit, period_t p, int has, int64_t fx, err_t *e);
/* The reported value of (ind, unit, p) the engine holds, in fixed point: 1 with *fx, 0 none, -1
 * outside (p not a month, quarter, half or year of its years; g NULL; not run yet). */
int engine_reported(const engine *g, int ind, int unit, period_t p, int64_t *fx);
/* Calls fn for every reported value (targets != 0: yearly target, in whole steps of the
 * indicator's decimals as held) of years y_from..y_to (0: unbounded) the engine holds, unit by
 * unit (then by indicator and slot); fn returns nonzero to stop (returned). */
int engine_each_reported(const engine *g, int targets, int y_from, int y_to,
                         int (*fn)(void *ctx, int ind, int unit, period_t p, int64_t fx), void *ctx);
/* The same for the units u_from..u_to-1 only (a caller holding the model a piece at a time). */
int engine_each_reported_in(const engine *g, int targets, int y_from, int y_to, int u_from, int u_to,
                            int (*fn)(void *ctx, int ind, int unit, period_t p, int64_t fx), void *ctx);
/* The latest year of a reported value the engine holds, 0 when none. */
int engine_last_year(const engine *g);
/* Sets (has) or removes a yearly target without a model's target map (fx rounded to the
 * indicator's decimals here) and recounts the unit's year; other periods are ignored. */
int engine_set_target(engine *g, int ind, int unit, period_t p, int has, int64_t fx, err_t *e);
/* Reads every stored value and target of database db into m (its catalogue loaded and finished,
 * no cells) and a new engine holding them (m->engine, m->held = 1; model.h's model_hold): on
 * nparts threads, a handle each; the years are those engine_build would choose (guessed from
 * the first indicators' cells, read again once if all of them say otherwise).  On failure the
 * caller frees m. */
int engine_hold_store(model *m, const char *db, int nparts, err_t *e);
/* The same for the units flagged in want only, read through s (store_scan_units, in the caller's
 * read transaction, on one thread): the command line's one-unit evaluation. */
int engine_hold_units(model *m, struct store *s, const unsigned char *want, int threads, err_t *e);
/* After the model's target (ind, unit, p) changed, recounts that unit's year. */
int engine_update_target(engine *g, const model *m, int ind, int unit, period_t p, err_t *e);
/* The yearly targets of unit in year with a figure, met and exceeded; -1 outside. */
int engine_counts(const engine *g, int unit, int year, int *with_data, int *met, int *exceeded);
/* How many of unit's yearly targets in year have a figure too large to hold (not judged, nor
 * counted by engine_counts); with ind not NULL and some, *ind gets the first such indicator. */
int engine_too_large(const engine *g, int unit, int year, int *ind);
/* The years held, first and last (0, 0 when none). */
void engine_years(const engine *g, int *y0, int *y1);
/* Memory held, in bytes. */
size_t engine_bytes(const engine *g);
/* A checksum of every stored figure and count (for comparing runs and thread counts). */
uint64_t engine_checksum(const engine *g);
/* Calls fn for every unit with its figures: fx[ind * nslots + slot] (FX_NONE without data,
 * FX_OVER too large to hold),
 * slot = year offset * 19 + 0-11 months, 12-15 quarters, 16-17 halves, 18 the year; one
 * thread, children before parents; fn returns 0 to go on.  Recomputes as engine_run does. */
int engine_visit(engine *g, int (*fn)(void *ctx, int unit, const int64_t *fx, int nslots), void *ctx,
                 err_t *e);

#endif
