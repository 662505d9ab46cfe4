/* engine.h - the analytics engine: every (unit, indicator, period) figure of a model's
 * years, computed once into dense arrays, kept current on every saved value.
 *
 * engine_build() evaluates the same rules as eval.c's recursion (reported value, else
 * formula over the unit's own figures, else aggregation of the child units that have
 * data, else aggregation of the period's sub-periods when all have data), but as one
 * bottom-up pass: units children-first, periods finest-first (months, quarters, halves,
 * year), indicators in formula order.  Sums are taken in 64-bit fixed point (10^-4), so
 * results do not depend on summation order or thread count.  Subtrees are shared out
 * between threads, largest first.  The engine owns its arrays; it reads the model only
 * while building or updating, and must be rebuilt when units or indicators change.
 * Attach it to a model (model.engine) and eval_unit()/eval_actual() take their figures
 * from it; ranges of years (terms) are still composed by eval.c from the engine's years.
 */
#ifndef CHITIEU_ENGINE_H
#define CHITIEU_ENGINE_H

#include <stdint.h>
#include "err.h"
#include "model.h"
#include "period.h"

typedef struct engine engine;

/* Computes every figure of m's years with nthreads threads (1 or more) into *out (caller frees);
 * an engine already in *out of the same shape is rebuilt in place, reusing its memory. */
int engine_build(const model *m, int nthreads, engine **out, err_t *e);
/* Frees the engine (NULL is fine). */
void engine_free(engine *g);
/* The figure of (ind, unit, p): 1 with *v (and *source, *missing if not NULL), 0 when there is
 * no data, -1 when p is outside the engine (a range, or a year it does not hold). */
int engine_get(const engine *g, int ind, int unit, period_t p, double *v, int *source, int *missing);
/* After the model's value (ind, unit, p) changed, recomputes what depends on it: that
 * indicator and the formulas using it, for p's year, in the unit and its ancestors. */
int engine_update(engine *g, const model *m, int ind, int unit, period_t p, err_t *e);
/* The years held, first and last (0, 0 when none). */
void engine_years(const engine *g, int *y0, int *y1);
/* Memory used by the arrays, in bytes. */
size_t engine_bytes(const engine *g);
/* A checksum of every figure (for comparing runs, thread counts, peers). */
uint64_t engine_checksum(const engine *g);

#endif
