/* fixed.h - figures in fixed point: a figure is a whole number of 10^-4 held in an int64.
 *
 * Every figure chitieu computes (a reported value, a sum or average over units or periods,
 * a formula's result) is rounded to 10^-4 once, where it is made, and sums are taken on the
 * integers, so the same data gives the same figures whatever the order of summation or the
 * number of threads.  The analytics engine (engine.c) and the reference evaluator (eval.c)
 * both go through these helpers, so they agree to the last digit.  Magnitudes are capped at
 * ±9×10^14 (FX_LIMIT; ±9×10^18 units of 10^-4, just below int64's ±9,22×10^18): amounts in
 * đồng must be entered in triệu or tỷ, and a value beyond it is refused where it enters
 * (fx_too_large).  A sum, average or formula result beyond it is not a number: it is FX_OVER,
 * "too large to hold", and so is every figure computed from one (fx_add, fx_acc): sums are
 * taken in 128 bits (fx_wide), so they never wrap.  Pure inline functions, no state.
 */
#ifndef CHITIEU_FIXED_H
#define CHITIEU_FIXED_H

#include <math.h>
#include <stdint.h>

#include "model.h"

#define FX_ONE 10000
#define FX_NONE INT64_MIN                   /* "no figure" in stored blocks */
#define FX_LIMIT 9.0e14                     /* largest magnitude kept, in plain units */
#define FX_MAX 9000000000000000000LL        /* FX_LIMIT in units of 10^-4 */
#define FX_OVER INT64_MAX                   /* "too large to hold": a figure beyond ±FX_MAX */

/* The limit's message where a value enters (import, the entry form and API, the bulk loader). */
#define FX_TOO_LARGE_VI "số quá lớn: giới hạn là ±900.000 tỷ; hãy dùng đơn vị tính lớn hơn (ví dụ tỷ đồng thay cho đồng)"
#define FX_TOO_LARGE_EN "number too large: the limit is ±9e14; use a larger unit (e.g. billions instead of units)"

/* Wide enough for any sum of figures (2^32 figures of ±FX_MAX stay below 2^96). */
__extension__ typedef __int128 fx_wide;

/* 1 if the plain value v is beyond ±FX_LIMIT (refused where values enter). */
static inline int fx_too_large(double v)
{
    return fabs(v) > FX_LIMIT;
}

/* v rounded half away from zero to 10^-4, saturated at ±FX_LIMIT; NaN gives 0. */
static inline int64_t fx_of(double v)
{
    if (!(v == v))
        return 0;
    if (v > FX_LIMIT)
        v = FX_LIMIT;
    if (v < -FX_LIMIT)
        v = -FX_LIMIT;
    return llround(v * FX_ONE);
}

/* v in fixed point as fx_of, but FX_OVER beyond ±FX_LIMIT (a stored value or a formula's result). */
static inline int64_t fx_of_value(double v)
{
    if (!(v == v))
        return 0;
    return fabs(v) > FX_LIMIT ? FX_OVER : llround(v * FX_ONE);
}

/* x as a figure: itself within ±FX_MAX, else FX_OVER. */
static inline int64_t fx_fit(fx_wide x)
{
    return x > FX_MAX || x < -FX_MAX ? FX_OVER : (int64_t)x;
}

/* a + b, FX_OVER when either is FX_OVER or the sum is beyond ±FX_MAX. */
static inline int64_t fx_add(int64_t a, int64_t b)
{
    return a == FX_OVER || b == FX_OVER ? FX_OVER : fx_fit((fx_wide)a + b);
}

/* The plain value of x. */
static inline double fx_val(int64_t x)
{
    return (double)x / FX_ONE;
}

/* a / n rounded half away from zero (n > 0). */
static inline int64_t fx_div(int64_t a, int64_t n)
{
    int64_t q = a / n, r = a % n;
    if (r < 0 ? -2 * r >= n : 2 * r >= n)
        q += a < 0 ? -1 : 1;
    return q;
}

/* fx_div in 128 bits. */
static inline fx_wide fx_div_wide(fx_wide a, int64_t n)
{
    fx_wide q = a / n, r = a % n;
    if (r < 0 ? -2 * r >= n : 2 * r >= n)
        q += a < 0 ? -1 : 1;
    return q;
}

/* A fold of figures by an aggregation (enum agg; AGG_NONE sums): the sum in 128 bits, the
 * minimum, maximum or last; FX_OVER if any figure is FX_OVER or the result is beyond ±FX_MAX. */
typedef struct fx_acc {
    fx_wide sum;
    int64_t mm;
    int64_t n;
    int over;
} fx_acc;

static inline void fx_acc_add(fx_acc *a, int agg, int64_t x)
{
    if (x == FX_OVER)
        a->over = 1;
    a->sum += x;
    if (a->n == 0 || agg == AGG_LAST || (agg == AGG_MIN ? x < a->mm : agg == AGG_MAX && x > a->mm))
        a->mm = x;
    a->n++;
}

/* The fold's figure (a->n > 0). */
static inline int64_t fx_acc_get(const fx_acc *a, int agg)
{
    if (a->over)
        return FX_OVER;
    switch (agg) {
    case AGG_MIN: case AGG_MAX: case AGG_LAST: return a->mm;
    case AGG_AVG: return fx_fit(fx_div_wide(a->sum, a->n));
    default: return fx_fit(a->sum);
    }
}

/* The fold of x[0..n) (n > 0). */
static inline int64_t fx_fold(int agg, const int64_t *x, int n)
{
    fx_acc a = { 0 };
    for (int i = 0; i < n; i++)
        fx_acc_add(&a, agg, x[i]);
    return fx_acc_get(&a, agg);
}

/* x rounded to `decimals` decimals, still in units of 10^-4 per step (decimals ≥ 4: x). */
static inline int64_t fx_round(int64_t x, int decimals)
{
    static const int64_t step[5] = { 10000, 1000, 100, 10, 1 };
    if (decimals >= 4)
        return x;
    return fx_div(x, step[decimals < 0 ? 0 : decimals]);
}

/* One part of a figure converted from a predecessor (successions; eval.c and engine_conv.c):
 * x × w rounded half away from zero to 10^-4 (in long double, exact for any figure), FX_OVER when
 * x is or the product is beyond the limit. */
static inline int64_t fx_conv_part(int64_t x, double w)
{
    if (x == FX_OVER)
        return FX_OVER;
    if (w == 1)
        return x;                           /* a whole share (merges, renames): exact as it is */
    long double part = roundl((long double)x * w);
    return fabsl(part) > (long double)FX_MAX ? FX_OVER : (int64_t)part;
}

/* Combines parts (figures x with weights w, n of them) by the unit aggregation: sum of share ×
 * figure (each part rounded, added in 128 bits); avg weighted by share; min/max of the figures;
 * none: the figure of the largest share.  FX_OVER when a part is or the result is beyond ±FX_MAX. */
static inline int64_t fx_conv_fold(int uagg, const int64_t *x, const double *w, int n)
{
    fx_wide acc = 0;
    double wsum = 0, bestw = -1;
    int64_t best = x[0];
    for (int i = 0; i < n; i++) {
        int64_t part = fx_conv_part(x[i], w[i]);
        if (part == FX_OVER)
            return FX_OVER;
        acc += part;
        wsum += w[i];
        if (uagg == AGG_MIN ? x[i] < best : uagg == AGG_MAX ? x[i] > best : w[i] > bestw)
            best = x[i];
        if (w[i] > bestw)
            bestw = w[i];
    }
    switch (uagg) {
    case AGG_SUM: return fx_fit(acc);
    case AGG_AVG: {
        long double q = wsum > 0 ? roundl((long double)acc / wsum) : 0;
        return fabsl(q) > (long double)FX_MAX ? FX_OVER : (int64_t)q;
    }
    default: return best;
    }
}

#endif
