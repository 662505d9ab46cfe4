/* fixed.h - figures in fixed point: a figure is a whole number of 10^-4 held in an int64.
 *
 * Every figure chitieu computes (a reported value, a sum or average over units or periods,
 * a formula's result) is rounded to 10^-4 once, where it is made, and sums are taken on the
 * integers, so the same data gives the same figures whatever the order of summation or the
 * number of threads.  The analytics engine (engine.c) and the reference evaluator (eval.c)
 * both go through these helpers, so they agree to the last digit.  Magnitudes are capped at
 * ±9×10^14 (about ±9,2×10^18 units of 10^-4): amounts in đồng must be entered in triệu or tỷ.
 * Pure inline functions, no state.
 */
#ifndef CHITIEU_FIXED_H
#define CHITIEU_FIXED_H

#include <math.h>
#include <stdint.h>

#define FX_ONE 10000
#define FX_NONE INT64_MIN                   /* "no figure" in stored blocks */
#define FX_LIMIT 9.0e14                     /* largest magnitude kept, in plain units */

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

/* x rounded to `decimals` decimals, still in units of 10^-4 per step (decimals ≥ 4: x). */
static inline int64_t fx_round(int64_t x, int decimals)
{
    static const int64_t step[5] = { 10000, 1000, 100, 10, 1 };
    if (decimals >= 4)
        return x;
    return fx_div(x, step[decimals < 0 ? 0 : decimals]);
}

#endif
