/* engine.c - the analytics engine (see engine.h).
 *
 * Slots: a year offset times 19 plus 0-11 the months, 12-15 the quarters, 16-17 the halves,
 * 18 the year, so that "finest first" is simply ascending order within a year.
 *
 * What it holds (all owned by the engine):
 *   - the reported values, per unit in one pool (CSR): keys ind << sbits | slot, sorted, with
 *     their figures in fixed point (fixed.h); the same for yearly targets (ind << ybits | year),
 *     held already rounded to the indicator's decimals;
 *   - "full" blocks (every indicator and slot) for units with at least full_min_leaves leaves
 *     below them and for the units where threads meet; "yearly" blocks (the year slots) for
 *     the other inner units; leaves have none.  A block cell is FX_NONE without data, and a
 *     count of the child units that gave it a figure (to tell how many were missing);
 *   - met / exceeded counts of every unit's yearly targets.
 *
 * The pass (engine_run): units in post-order, children in sibling order.  Each worker thread
 * keeps one accumulator table per tree depth (sum, count, min/max/last per indicator and
 * slot) and a flag per indicator row telling which rows hold anything, so only those are
 * read and cleared.  Finishing a unit turns its accumulator (its children, already merged)
 * and its own reported values into its figures (reported, else formula, else units, else
 * sub-periods), stores what it keeps, counts its targets, and adds its figures into its
 * parent's accumulator one depth up.  Subtrees below the top units are dealt to the threads,
 * largest first; the top units (roots, and units split to get enough pieces) are finished
 * afterwards on the calling thread from their children's full blocks.  Everything is in
 * integers, so 1 and 2 threads give the same bits.  Buffers are reused between runs.
 *
 * Figures beyond ±9×10^14 are FX_OVER ("too large"), and so is everything computed from one;
 * the int64 sums of the pass are kept from wrapping by checking each row's figures against
 * SMALL before they are added (a row with larger ones sums in 128 bits), see merge_row.
 *
 * Anything not stored is recomputed on demand by fig()/fresh(), a recursion with the same
 * rules over the stored blocks and the reported values; engine_update() uses it to refresh
 * the stored cells of one indicator, year and chain of ancestors after a saved value.
 */
#include "engine.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "eval.h"
#include "fixed.h"
#include "mem.h"

#include "engine_int.h"

/* The row loops get a copy for AVX2 machines beside the baseline one, picked at load time. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define HOT __attribute__((target_clones("avx2", "default")))
#else
#define HOT
#endif

static void *big(size_t bytes);

/* ---- slots ---- */

static inline uint32_t vkey(const engine *g, int ind, int slot)
{
    return (uint32_t)ind << g->sbits | (uint32_t)slot;
}

static inline uint32_t tkey(const engine *g, int ind, int yo)
{
    return (uint32_t)ind << g->ybits | (uint32_t)yo;
}

static int slot_of(const engine *g, period_t p)
{
    int yo = (int)p.y - g->y0;
    if (yo < 0 || yo >= g->nyears)
        return -1;
    int base = yo * SPY;
    switch (p.kind) {
    case P_YEAR: return base + S_YEAR;
    case P_HALF: return p.n >= 1 && p.n <= 2 ? base + S_HALF + p.n - 1 : -1;
    case P_QUARTER: return p.n >= 1 && p.n <= 4 ? base + S_QUARTER + p.n - 1 : -1;
    case P_MONTH: return p.n >= 1 && p.n <= 12 ? base + p.n - 1 : -1;
    default: return -1;
    }
}

int engine_slot_of(const engine *g, period_t p)
{
    return slot_of(g, p);
}

static period_t period_of(const engine *g, int slot)
{
    uint16_t y = (uint16_t)(g->y0 + slot / SPY);
    int k = slot % SPY;
    if (k == S_YEAR)
        return (period_t){ P_YEAR, 0, y, y };
    if (k >= S_HALF)
        return (period_t){ P_HALF, (uint8_t)(k - S_HALF + 1), y, y };
    if (k >= S_QUARTER)
        return (period_t){ P_QUARTER, (uint8_t)(k - S_QUARTER + 1), y, y };
    return (period_t){ P_MONTH, (uint8_t)(k + 1), y, y };
}

period_t engine_period_of(const engine *g, int slot)
{
    return period_of(g, slot);
}

static int subs_of(int k, int *out);

int engine_subs_of(int k, int *out)
{
    return subs_of(k, out);
}

/* The sub-slots of position k within a year (relative), or 0 for a month. */
static int subs_of(int k, int *out)
{
    if (k == S_YEAR) { out[0] = S_HALF; out[1] = S_HALF + 1; return 2; }
    if (k >= S_HALF) { int q = S_QUARTER + (k - S_HALF) * 2; out[0] = q; out[1] = q + 1; return 2; }
    if (k >= S_QUARTER) { int mo = (k - S_QUARTER) * 3; out[0] = mo; out[1] = mo + 1; out[2] = mo + 2; return 3; }
    return 0;
}

/* Sums of figures in a row accumulator stay in int64 while every addend lies in [-SMALL, SMALL)
 * and a unit has at most MAX_SMALL_KIDS children: |sum| <= 63 948 * 2^47 < 9×10^18 = FX_MAX, so
 * it neither wraps nor needs a check; a row given a larger addend moves to 128-bit sums
 * (lvl.wide), where WIDE_OVER marks a sum holding a figure too large (no sum reaches it). */
#define SMALL ((int64_t)1 << 47)
#define MAX_SMALL_KIDS 63948
#define WIDE_OVER ((fx_wide)1 << 120)

/* Every figure of a non-formula indicator, and every partial sum the pass makes of them, is a
 * sum of distinct reported values of that indicator (a child's figure, a month's, one value
 * overriding a sum), so its magnitude is at most the sum of their magnitudes, g->mag[i].  Below
 * 2^62 (< FX_MAX) nothing can wrap or pass the limit and the pass takes its plain int64 loops;
 * only an indicator with larger totals pays for the checks.  mag only grows (a bound). */
#define MAG_SAFE ((uint64_t)1 << 62)

static inline void mag_add(uint64_t *mag, int64_t x)
{
    uint64_t a = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
    *mag = *mag + a < *mag ? UINT64_MAX : *mag + a;
}

/* A figure computed from its operands' presence and values: FX_NONE, FX_OVER or the result. */
static int64_t formula_fx(const ind_t *d, const double *vals, const unsigned char *got, int nv, int over)
{
    double r;
    for (int k = 0; k < nv; k++)
        if (!got[k])
            return FX_NONE;                   /* every operand is needed */
    if (over)
        return FX_OVER;
    return formula_eval(d->f, vals, got, &r) == 0 ? fx_of_value(r) : FX_NONE;
}

int64_t engine_formula_fx(const ind_t *d, const double *vals, const unsigned char *got, int nv, int over)
{
    return formula_fx(d, vals, got, nv, over);
}

/* eval_status_fx() without a division: t is the target already rounded to steps of d (fx_round),
 * so the figures that round to it form a range [lo, hi] (half away from zero) and a is only
 * compared with its ends.  tests/test_engine.c checks the counts against eval_status. */
static inline int status_q(int dir, int64_t d, int64_t a, int64_t t)
{
    int64_t h = d / 2, lo, hi, c = t * d;
    if (d == 1)
        lo = hi = t;
    else if (t > 0)
        lo = c - h, hi = c + h - 1;
    else if (t < 0)
        lo = c - h + 1, hi = c + h;
    else
        lo = -(h - 1), hi = h - 1;
    int cmp = a < lo ? -1 : a > hi;       /* the sign of round(a) - t */
    switch (dir) {
    case DIR_DOWN: return cmp < 0 ? ST_EXCEEDED : cmp == 0 ? ST_MET : ST_NOTMET;
    case DIR_EQUAL: return cmp == 0 ? ST_MET : ST_NOTMET;
    case DIR_DONE: {
        int a_nonzero = d == 1 ? a != 0 : a < -(h - 1) || a > h - 1;
        return a_nonzero == (t != 0) || cmp >= 0 ? ST_MET : ST_NOTMET;
    }
    default: return cmp > 0 ? ST_EXCEEDED : cmp == 0 ? ST_MET : ST_NOTMET;
    }
}

/* ---- reported values and targets (CSR) ---- */

static int csr_alloc(csr *c, int nunits)
{
    c->off = calloc((size_t)nunits + 1, sizeof *c->off);
    c->len = calloc((size_t)nunits + 1, sizeof *c->len);
    c->cap = calloc((size_t)nunits + 1, sizeof *c->cap);
    return c->off && c->len && c->cap ? 0 : -1;
}

static void csr_free(csr *c)
{
    free(c->off), free(c->len), free(c->cap), free(c->key), free(c->fx);
    free(c->su), free(c->sk), free(c->sf);
    for (int k = 0; k < c->nsegs; k++)
        free(c->segs[k].su), free(c->segs[k].sk), free(c->segs[k].sf);
    free(c->segs);
}

/* Makes room for n staged puts; 0 or -1 (OOM, nothing lost). */
static int stage_grow(csr *c, size_t n)
{
    uint32_t *su = realloc(c->su, n * sizeof *su);
    if (su) c->su = su;
    uint32_t *sk = realloc(c->sk, n * sizeof *sk);
    if (sk) c->sk = sk;
    int64_t *sf = realloc(c->sf, n * sizeof *sf);
    if (sf) c->sf = sf;
    if (!su || !sk || !sf)
        return -1;
    c->scap = n;
    return 0;
}

/* Entries of the stage's arrays whose pages are asked for at once, ahead of the puts: one
 * madvise instead of a page fault a page (each fault is costly on a virtual machine: at L the
 * stages' faults were ~4 % of a start's CPU). */
#define STAGE_AHEAD 65536

/* Has the pages of one array's entries [from, to) of `size` bytes made present (advisory). */
static void populate(void *base, size_t size, size_t from, size_t to)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = 4096, a = (uintptr_t)base + from * size, b = (uintptr_t)base + to * size;
    a = (a + page - 1) & ~(page - 1);
    b &= ~(page - 1);
    if (b > a)
        madvise((void *)a, b - a, MADV_POPULATE_WRITE);
#else
    (void)base, (void)size, (void)from, (void)to;
#endif
}

static int csr_stage(csr *c, uint32_t u, uint32_t key, int64_t fx)
{
    if (c->sn == c->scap && stage_grow(c, c->scap ? c->scap * 2 : 4096) != 0)
        return -1;
    if ((c->sn & (STAGE_AHEAD - 1)) == 0) {
        size_t to = c->sn + STAGE_AHEAD < c->scap ? c->sn + STAGE_AHEAD : c->scap;
        populate(c->su, sizeof *c->su, c->sn, to);
        populate(c->sk, sizeof *c->sk, c->sn, to);
        populate(c->sf, sizeof *c->sf, c->sn, to);
    }
    c->su[c->sn] = u, c->sk[c->sn] = key, c->sf[c->sn] = fx;
    c->sn++;
    return 0;
}

/* Position of key in u's run, or -(insertion point) - 1. */
static long csr_find(const csr *c, int u, uint32_t key)
{
    const uint32_t *k = c->key + c->off[u];
    long lo = 0, hi = (long)c->len[u] - 1;
    while (lo <= hi) {
        long mid = (lo + hi) / 2;
        if (k[mid] == key)
            return mid;
        if (k[mid] < key)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -lo - 1;
}

long engine_csr_find(const csr *c, int u, uint32_t key)
{
    return csr_find(c, u, key);
}

/* Sets (or with del, removes) u's key; 0 or -1 (OOM). */
static int csr_set(csr *c, int u, uint32_t key, int64_t fx, int del)
{
    long at = csr_find(c, u, key);
    if (at >= 0) {
        size_t o = c->off[u];
        if (!del) {
            c->fx[o + (size_t)at] = fx;
            return 0;
        }
        uint32_t tail = c->len[u] - (uint32_t)at - 1;
        memmove(c->key + o + at, c->key + o + at + 1, tail * sizeof *c->key);
        memmove(c->fx + o + at, c->fx + o + at + 1, tail * sizeof *c->fx);
        c->len[u]--;
        return 0;
    }
    if (del)
        return 0;
    size_t pos = (size_t)(-at - 1);
    if (c->len[u] == c->cap[u]) {          /* move the run to the end with room to grow */
        uint32_t ncap = c->cap[u] * 2 + 8;
        if (c->used + ncap > c->size) {
            size_t nsize = (c->used + ncap) * 2;
            uint32_t *k = realloc(c->key, nsize * sizeof *k);
            if (k) c->key = k;
            int64_t *f = realloc(c->fx, nsize * sizeof *f);
            if (f) c->fx = f;
            if (!k || !f)
                return -1;
            c->size = nsize;
        }
        memcpy(c->key + c->used, c->key + c->off[u], c->len[u] * sizeof *c->key);
        memcpy(c->fx + c->used, c->fx + c->off[u], c->len[u] * sizeof *c->fx);
        c->off[u] = c->used;
        c->cap[u] = ncap;
        c->used += ncap;
    }
    size_t o = c->off[u];
    uint32_t tail = c->len[u] - (uint32_t)pos;
    memmove(c->key + o + pos + 1, c->key + o + pos, tail * sizeof *c->key);
    memmove(c->fx + o + pos + 1, c->fx + o + pos, tail * sizeof *c->fx);
    c->key[o + pos] = key, c->fx[o + pos] = fx;
    c->len[u]++;
    return 0;
}

/* csr_set on the engine's values (targets 0) or targets, telling the watcher first. */
static int cell_set(engine *g, int targets, int u, uint32_t key, int64_t fx, int del)
{
    if (g->watch)
        g->watch(g->watch_ctx, targets, u);
    return csr_set(targets ? &g->tgt : &g->val, u, key, fx, del);
}

void engine_watch(engine *g, void (*fn)(void *ctx, int targets, int unit), void *ctx)
{
    g->watch = fn;
    g->watch_ctx = fn ? ctx : NULL;
}

/* ---- figures on demand ---- */

static int64_t fresh(const engine *g, int u, int i, int s, uint32_t *nout);

/* The figure of (u, i, s): the stored one if kept, else computed; *nout the child units that
 * gave it (0 unless it comes from them). */
static int64_t fig(const engine *g, int u, int i, int s, uint32_t *nout)
{
    if (g->fb[u] >= 0) {
        size_t at = ((size_t)g->fb[u] * (size_t)g->ninds + (size_t)i) * (size_t)g->ns + (size_t)s;
        if (nout)
            *nout = g->fulln[at];
        return g->full[at];
    }
    if (g->yb[u] >= 0 && s % SPY == S_YEAR) {
        size_t at = ((size_t)g->yb[u] * (size_t)g->ninds + (size_t)i) * (size_t)g->nyears + (size_t)(s / SPY);
        if (nout)
            *nout = g->yearlyn[at];
        return g->yearly[at];
    }
    return fresh(g, u, i, s, nout);
}

int64_t engine_fig(const engine *g, int u, int i, int s, uint32_t *nout)
{
    return fig(g, u, i, s, nout);
}

/* The figure of (u, i, s) computed from the unit's reported values, its children's figures and
 * its own sub-periods, ignoring what is stored for (u, i, s) itself. */
static int64_t fresh(const engine *g, int u, int i, int s, uint32_t *nout)
{
    const model *m = g->m;
    uint32_t n = 0;
    if (nout)
        *nout = 0;
    long at = csr_find(&g->val, u, vkey(g, i, s));
    if (at >= 0)
        return g->val.fx[g->val.off[u] + (size_t)at];
    if (g->isf[i]) {
        const ind_t *d = &m->inds[i];
        int nv = formula_nvars(d->f), over = 0;
        double vals[64];
        unsigned char got[64];
        if (nv > 64)
            return FX_NONE;
        for (int k = 0; k < nv; k++) {
            int64_t x = fig(g, u, d->fvars[k], s, NULL);
            got[k] = x != FX_NONE;
            over |= x == FX_OVER;
            vals[k] = got[k] && x != FX_OVER ? fx_val(x) : 0;
        }
        return formula_fx(d, vals, got, nv, over);
    }
    if (g->uagg[i] != AGG_NONE && m->units[u].nchildren > 0) {
        fx_acc a = { 0 };
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!g->valid[(size_t)ch * (size_t)g->ns + (size_t)s])
                continue;
            int64_t x = fig(g, ch, i, s, NULL);
            if (x == FX_NONE)
                continue;
            fx_acc_add(&a, g->uagg[i], x);
            n++;
        }
        if (n > 0) {
            if (nout)
                *nout = n;
            return fx_acc_get(&a, g->uagg[i]);
        }
    }
    int sub[3], base = s - s % SPY, k = subs_of(s % SPY, sub);
    int64_t x[3];
    for (int j = 0; j < k; j++)
        if ((x[j] = fig(g, u, i, base + sub[j], NULL)) == FX_NONE)
            return FX_NONE;
    return k ? fx_fold(g->pagg[i], x, k) : FX_NONE;
}

/* ---- the pass ---- */

static inline size_t row(const engine *g, int i)
{
    return (size_t)i * (size_t)g->ns;
}

/* Figures of non-formula indicator i from the children in A (v, h of the row). */
HOT static void units_row(const engine *g, const lvl *A, int i, int64_t *v, uint8_t *h)
{
    size_t r = row(g, i), ns = (size_t)g->ns;
    const int64_t *sum = A->sum + r, *mm = A->mm ? A->mm + r : NULL;
    const uint32_t *cnt = A->cnt + r;
    if (A->is_wide[i]) {                       /* rare: figures beyond ±SMALL */
        const fx_wide *w = A->wide + r;
        int avg = g->uagg[i] == AGG_AVG;
        for (size_t s = 0; s < ns; s++) {
            h[s] = cnt[s] != 0;
            v[s] = !cnt[s] ? 0 : w[s] == WIDE_OVER ? FX_OVER : fx_fit(avg ? fx_div_wide(w[s], cnt[s]) : w[s]);
        }
        return;
    }
    switch (g->uagg[i]) {
    case AGG_AVG:
        for (size_t s = 0; s < ns; s++) {
            h[s] = cnt[s] != 0;
            v[s] = cnt[s] ? fx_div(sum[s], cnt[s]) : 0;
        }
        break;
    case AGG_MIN: case AGG_MAX: case AGG_LAST:
        for (size_t s = 0; s < ns; s++) {
            h[s] = cnt[s] != 0;
            v[s] = cnt[s] ? mm[s] : 0;
        }
        break;
    default:                                   /* within ±FX_MAX (see SMALL) */
        for (size_t s = 0; s < ns; s++) {
            h[s] = cnt[s] != 0;
            v[s] = sum[s];
        }
        break;
    }
}

/* Fills empty quarters, halves and years from their sub-periods when all have figures (a
 * slot without a figure holds 0); sums, the usual case, without branches: in int64 when every
 * figure of the year lies in [-2^58, 2^58) (no sum of them reaches 2^62 < FX_MAX), else checked. */
static void periods_row(const engine *g, int i, int64_t *v, uint8_t *h)
{
    int agg = g->pagg[i];
    for (int y = 0; y < g->nyears; y++) {
        int64_t *yv = v + y * SPY;
        uint8_t *yh = h + y * SPY;
        if (agg == AGG_SUM || agg == AGG_NONE) {
            uint64_t big = 0;
            for (int k = 0; g->mag[i] >= MAG_SAFE && k < S_YEAR; k++)
                big |= (uint64_t)yv[k] + ((uint64_t)1 << 58);
            if ((big >> 59) == 0) {
                for (int q = 0; q < 4; q++) {
                    int k = S_QUARTER + q, m0 = 3 * q;
                    uint8_t set = (uint8_t)((yh[k] ^ 1) & yh[m0] & yh[m0 + 1] & yh[m0 + 2]);
                    yv[k] = set ? yv[m0] + yv[m0 + 1] + yv[m0 + 2] : yv[k];
                    yh[k] |= set;
                }
                for (int k = S_HALF; k < SPY; k++) {
                    int q0 = k == S_YEAR ? S_HALF : S_QUARTER + 2 * (k - S_HALF);
                    uint8_t set = (uint8_t)((yh[k] ^ 1) & yh[q0] & yh[q0 + 1]);
                    yv[k] = set ? yv[q0] + yv[q0 + 1] : yv[k];
                    yh[k] |= set;
                }
                continue;
            }
        }
        for (int k = S_QUARTER; k < SPY; k++) {
            if (yh[k])
                continue;
            int sub[3], n = subs_of(k, sub), ok = 1;
            int64_t x[3];
            for (int j = 0; j < n && ok; j++)
                ok = yh[sub[j]], x[j] = yv[sub[j]];
            if (ok)
                yv[k] = fx_fold(agg, x, n), yh[k] = 1;
        }
    }
}

/* Figures of formula indicator i from its operands' rows; returns whether any. */
static int formula_row(const engine *g, worker *w, int i, int64_t *v, uint8_t *h)
{
    const ind_t *d = &g->m->inds[i];
    int nv = formula_nvars(d->f), any = 0;
    if (nv > 64)
        return 0;
    for (int k = 0; k < nv; k++)
        if (!w->rowhas[d->fvars[k]])
            return 0;                         /* every operand is read: no figure anywhere */
    double vals[64];
    unsigned char got[64];
    for (int s = 0; s < g->ns; s++) {
        int over = 0;
        for (int k = 0; k < nv; k++) {
            size_t o = row(g, d->fvars[k]) + (size_t)s;
            got[k] = w->h[o];
            over |= got[k] && w->v[o] == FX_OVER;
            vals[k] = fx_val(w->v[o]);
        }
        int64_t x = formula_fx(d, vals, got, nv, over);
        if (x != FX_NONE)
            v[s] = x, h[s] = 1, any = 1;
        else
            v[s] = 0, h[s] = 0;
    }
    return any;
}

/* Moves row i of P to 128-bit sums (exact so far: see SMALL). */
static void widen(const engine *g, lvl *P, int i)
{
    size_t r = row(g, i), ns = (size_t)g->ns;
    for (size_t s = 0; s < ns; s++)
        P->wide[r + s] = P->sum[r + s];
    P->is_wide[i] = 1;
}

/* Adds row i of the finished unit u (v, h) into the accumulator P.  Sums go through int64 in
 * the vectorised loops: with no check while the indicator's totals are small (MAG_SAFE), else
 * after checking that every figure of the row is small (SMALL); a row with a larger one moves
 * the accumulator row to 128 bits for the rest of the unit, added one by one. */
HOT static void merge_row(const engine *g, lvl *P, int u, int i, const int64_t *v, const uint8_t *h)
{
    size_t r = row(g, i), ns = (size_t)g->ns;
    int64_t *sum = P->sum + r;
    uint32_t *cnt = P->cnt + r;
    const uint8_t *vm = g->always[u] ? NULL : g->valid + (size_t)u * ns;
    P->touched[i] = 1;
    int agg = g->uagg[i];
    if (agg == AGG_SUM || agg == AGG_AVG) {
        uint64_t big = 0;                      /* any figure outside [-SMALL, SMALL) sets bit 48 or above */
        for (size_t s = 0; g->mag[i] >= MAG_SAFE && s < ns; s++)
            big |= (uint64_t)v[s] + (uint64_t)SMALL;
        if (!P->is_wide[i] && (big >> 48) == 0 &&
            (g->mag[i] < MAG_SAFE || g->m->units[g->m->units[u].parent].nchildren <= MAX_SMALL_KIDS)) {
            if (vm == NULL)
                for (size_t s = 0; s < ns; s++) {
                    sum[s] += v[s];
                    cnt[s] += h[s];
                }
            else
                for (size_t s = 0; s < ns; s++) {
                    uint8_t k = h[s] & vm[s];
                    sum[s] += k ? v[s] : 0;
                    cnt[s] += k;
                }
            return;
        }
        if (!P->is_wide[i])
            widen(g, P, i);
        fx_wide *w = P->wide + r;
        for (size_t s = 0; s < ns; s++) {
            if (!h[s] || (vm && !vm[s]))
                continue;
            cnt[s]++;
            if (w[s] != WIDE_OVER)
                w[s] = v[s] == FX_OVER ? WIDE_OVER : w[s] + v[s];
        }
        return;
    }
    int64_t *mm = P->mm + r;
    for (size_t s = 0; s < ns; s++) {
        if (!h[s] || (vm && !vm[s]))
            continue;
        int64_t x = v[s];
        if (cnt[s] && mm[s] == FX_OVER)
            ;                                  /* too large stays too large */
        else if (x == FX_OVER || agg == AGG_LAST || cnt[s] == 0 || (agg == AGG_MIN ? x < mm[s] : x > mm[s]))
            mm[s] = x;
        cnt[s]++;
    }
}

/* Finishes unit u: its figures from its children (merged into lv[depth]) and its reported
 * values; stores, counts targets, and with merge adds them into its parent's accumulator. */
static int finish_unit(worker *w, int u, int merge)
{
    engine *g = w->g;
    const model *m = g->m;
    size_t ns = (size_t)g->ns;
    lvl *A = &w->lv[m->units[u].depth];
    int nl = 0, kids = m->units[u].nchildren > 0;
    /* own reported values, per indicator */
    const csr *V = &g->val;
    size_t o = V->off[u];
    uint32_t len = V->len[u];
    int prev = -1;
    if (!kids && g->nforms == 0) {             /* a leaf, no formulas: one pass over its values */
        int64_t *v = NULL;
        uint8_t *h = NULL;
        for (uint32_t k = 0; k < len; k++) {
            uint32_t key = V->key[o + k];
            int i = (int)(key >> g->sbits);
            if (i != prev) {
                if (prev >= 0)
                    periods_row(g, prev, v, h);
                v = w->v + row(g, i), h = w->h + row(g, i);
                memset(v, 0, ns * sizeof *v);
                memset(h, 0, ns);
                w->list[nl++] = i;
                w->rowhas[i] = 1;
                prev = i;
            }
            v[key & g->smask] = V->fx[o + k];
            h[key & g->smask] = 1;
        }
        if (prev >= 0)
            periods_row(g, prev, v, h);
        goto rows_done;
    }
    for (uint32_t k = 0; k < len; k++) {
        int i = (int)(V->key[o + k] >> g->sbits);
        if (i != prev) {
            w->istart[i] = (int32_t)k;
            if (!g->isf[i])
                w->list[nl++] = i;
            prev = i;
        }
        w->iend[i] = (int32_t)k + 1;
    }
    if (kids)
        for (int i = 0; i < g->ninds; i++)
            if (A->touched[i] && w->iend[i] == w->istart[i])
                w->list[nl++] = i;
    /* non-formula rows: units, then reported over them, then sub-periods */
    for (int j = 0; j < nl; j++) {
        int i = w->list[j];
        int64_t *v = w->v + row(g, i);
        uint8_t *h = w->h + row(g, i);
        if (kids && A->touched[i])
            units_row(g, A, i, v, h);
        else {
            memset(v, 0, ns * sizeof *v);
            memset(h, 0, ns);
        }
        for (int32_t k = w->istart[i]; k < w->iend[i]; k++) {
            size_t s = V->key[o + (size_t)k] & g->smask;
            v[s] = V->fx[o + (size_t)k];
            h[s] = 1;
        }
        periods_row(g, i, v, h);
        w->rowhas[i] = 1;
    }
    /* formula rows, operands first; reported values win */
    for (int j = 0; j < g->nforms; j++) {
        int i = g->forms[j];
        int64_t *v = w->v + row(g, i);
        uint8_t *h = w->h + row(g, i);
        int has = formula_row(g, w, i, v, h);
        if (w->iend[i] > w->istart[i]) {
            if (!has) {
                memset(v, 0, ns * sizeof *v);
                memset(h, 0, ns);
            }
            for (int32_t k = w->istart[i]; k < w->iend[i]; k++) {
                size_t s = V->key[o + (size_t)k] & g->smask;
                v[s] = V->fx[o + (size_t)k];
                h[s] = 1;
            }
            has = 1;
        }
        if (has) {
            w->rowhas[i] = 1;
            w->list[nl++] = i;
        }
    }
rows_done:
    /* keep what is stored */
    if (g->fb[u] >= 0 || g->yb[u] >= 0) {
        int full = g->fb[u] >= 0;
        size_t step = full ? ns : (size_t)g->nyears;
        int64_t *blk = full ? g->full + (size_t)g->fb[u] * (size_t)g->ninds * ns
                            : g->yearly + (size_t)g->yb[u] * (size_t)g->ninds * step;
        uint16_t *bn = full ? g->fulln + (size_t)g->fb[u] * (size_t)g->ninds * ns
                            : g->yearlyn + (size_t)g->yb[u] * (size_t)g->ninds * step;
        for (int i = 0; i < g->ninds; i++) {
            int64_t *b = blk + (size_t)i * step;
            uint16_t *bc = bn + (size_t)i * step;
            if (!w->rowhas[i]) {
                for (size_t s = 0; s < step; s++)
                    b[s] = FX_NONE, bc[s] = 0;
                continue;
            }
            const int64_t *v = w->v + row(g, i);
            const uint8_t *h = w->h + row(g, i);
            const uint32_t *c = kids && A->touched[i] && !g->isf[i] ? A->cnt + row(g, i) : NULL;
            for (size_t k = 0; k < step; k++) {
                size_t s = full ? k : k * SPY + S_YEAR;
                b[k] = h[s] ? v[s] : FX_NONE;
                bc[k] = (uint16_t)(c && h[s] ? (c[s] > 65535 ? 65535 : c[s]) : 0);
            }
            for (int32_t k = w->istart[i]; c && k < w->iend[i]; k++) {   /* reported: not from units */
                size_t s = V->key[o + (size_t)k] & g->smask;
                if (full)
                    bc[s] = 0;
                else if (s % SPY == S_YEAR)
                    bc[s / SPY] = 0;
            }
        }
    }
    /* yearly targets */
    int32_t *cnt = g->counts + (size_t)u * (size_t)g->nyears * NC;
    memset(cnt, 0, (size_t)g->nyears * NC * sizeof *cnt);
    const csr *T = &g->tgt;
    for (uint32_t k = 0; k < T->len[u]; k++) {
        uint32_t key = T->key[T->off[u] + k];
        int i = (int)(key >> g->ybits), yo = (int)(key & g->ymask);
        size_t at = row(g, i) + (size_t)(yo * SPY + S_YEAR);
        if (!w->rowhas[i] || !w->h[at])
            continue;
        if (w->v[at] == FX_OVER) {             /* no figure to judge (eval: no data), but told */
            cnt[yo * NC + 3]++;
            continue;
        }
        int st = status_q(g->dir[i], g->step[i], w->v[at], T->fx[T->off[u] + k]);
        cnt[yo * NC]++;
        cnt[yo * NC + 1] += st == ST_MET;
        cnt[yo * NC + 2] += st == ST_EXCEEDED;
    }
    if (g->visit && !g->visit_stop) {
        for (int i = 0; i < g->ninds; i++)
            for (size_t s = 0; s < ns; s++) {
                size_t at = row(g, i) + s;
                w->out[at] = w->rowhas[i] && w->h[at] ? w->v[at] : FX_NONE;
            }
        g->visit_stop = g->visit(g->visit_ctx, u, w->out, g->ns) != 0;
    }
    /* into the parent, then clear what this unit used */
    if (merge && m->units[u].parent >= 0) {
        lvl *P = &w->lv[m->units[u].depth - 1];
        for (int j = 0; j < nl; j++) {
            int i = w->list[j];
            if (!g->isf[i] && g->uagg[i] != AGG_NONE)
                merge_row(g, P, u, i, w->v + row(g, i), w->h + row(g, i));
        }
    }
    for (int j = 0; j < nl; j++) {
        int i = w->list[j];
        w->rowhas[i] = 0;
        w->istart[i] = w->iend[i] = 0;
        if (A->touched[i]) {
            memset(A->sum + row(g, i), 0, ns * sizeof *A->sum);
            memset(A->cnt + row(g, i), 0, ns * sizeof *A->cnt);
            A->touched[i] = 0;
            A->is_wide[i] = 0;
        }
    }
    return 0;
}

/* Merges the stored full blocks of u's children into lv[depth(u)] (units the pass met at). */
static void gather_blocks(worker *w, int u)
{
    engine *g = w->g;
    const model *m = g->m;
    size_t ns = (size_t)g->ns;
    lvl *A = &w->lv[m->units[u].depth];
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        const int64_t *blk = g->full + (size_t)g->fb[ch] * (size_t)g->ninds * ns;
        for (int i = 0; i < g->ninds; i++) {
            if (g->isf[i] || g->uagg[i] == AGG_NONE)
                continue;
            const int64_t *b = blk + row(g, i);
            int64_t *v = w->v + row(g, i);
            uint8_t *h = w->h + row(g, i);
            int any = 0;
            for (size_t s = 0; s < ns; s++) {
                h[s] = b[s] != FX_NONE;
                v[s] = h[s] ? b[s] : 0;
                any |= h[s];
            }
            if (any)
                merge_row(g, A, ch, i, v, h);
        }
    }
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    for (int k = 0; k < w->n; k++) {
        int u = w->units[k];
        finish_unit(w, u, w->g->role[u] == 0);
    }
    return NULL;
}

static void worker_free(worker *w)
{
    for (int d = 0; d < w->nlv; d++)
        free(w->lv[d].sum), free(w->lv[d].mm), free(w->lv[d].cnt), free(w->lv[d].touched),
            free(w->lv[d].wide), free(w->lv[d].is_wide);
    free(w->lv), free(w->v), free(w->h), free(w->rowhas), free(w->istart), free(w->iend);
    free(w->list), free(w->out);
    memset(w, 0, sizeof *w);
}

static int worker_init(worker *w, engine *g, int minmax)
{
    size_t n = (size_t)g->ninds * (size_t)g->ns, ni = (size_t)g->ninds + 1;
    if (w->lv && w->nlv == g->maxdepth + 1 && (w->lv[0].mm != NULL) == minmax)
        return 0;                                 /* same shape: reuse */
    worker_free(w);
    w->g = g;
    w->nlv = g->maxdepth + 1;
    w->lv = calloc((size_t)w->nlv, sizeof *w->lv);
    w->v = calloc(n + 1, sizeof *w->v);
    w->h = calloc(n + 1, 1);
    w->rowhas = calloc(ni, 1);
    w->istart = calloc(ni, sizeof *w->istart);
    w->iend = calloc(ni, sizeof *w->iend);
    w->list = calloc(ni, sizeof *w->list);
    if (!w->lv || !w->v || !w->h || !w->rowhas || !w->istart || !w->iend || !w->list)
        return -1;
    for (int d = 0; d < w->nlv; d++) {
        lvl *L = &w->lv[d];
        L->sum = calloc(n + 1, sizeof *L->sum);
        L->cnt = calloc(n + 1, sizeof *L->cnt);
        L->touched = calloc(ni, 1);
        L->mm = minmax ? calloc(n + 1, sizeof *L->mm) : NULL;
        L->wide = malloc((n + 1) * sizeof *L->wide);   /* written by widen() before it is read */
        L->is_wide = calloc(ni, 1);
        if (!L->sum || !L->cnt || !L->touched || (minmax && !L->mm) || !L->wide || !L->is_wide)
            return -1;
    }
    return 0;
}

/* Big array with a huge-page hint (given before the first touch). */
static void *big(size_t bytes)
{
    void *p = NULL;
    if (bytes < ((size_t)4 << 20))
        return malloc(bytes + 8);
    if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
        return NULL;
    mem_huge(p, bytes);
    return p;
}

void *engine_big(size_t bytes)
{
    return big(bytes);
}

/* Indicator facts, the formulas in operand order, and each indicator's dependent formulas. */
static int setup_inds(engine *g)
{
    const model *m = g->m;
    int n = g->ninds, rc = -1;
    uint8_t *placed = calloc((size_t)n + 1, 1), *mark = calloc((size_t)n + 1, 1);
    int *order = calloc((size_t)n + 1, sizeof *order), done = 0;
    if (!placed || !mark || !order)
        goto cleanup;
    for (int i = 0; i < n; i++) {
        const ind_t *d = &m->inds[i];
        g->isf[i] = d->f != NULL;
        g->uagg[i] = (uint8_t)d->uagg, g->pagg[i] = (uint8_t)d->pagg;
        g->dir[i] = (uint8_t)d->dir, g->dec[i] = (uint8_t)(d->decimals < 0 ? 0 : d->decimals > 9 ? 9 : d->decimals);
        g->step[i] = 1;
        for (int k = g->dec[i]; k < 4; k++)
            g->step[i] *= 10;
    }
    while (done < n) {
        int progress = 0;
        for (int i = 0; i < n; i++) {
            if (placed[i])
                continue;
            int ready = 1;
            if (g->isf[i])
                for (int k = 0; k < formula_nvars(m->inds[i].f); k++)
                    if (!placed[m->inds[i].fvars[k]] && m->inds[i].fvars[k] != i)
                        ready = 0;
            if (ready)
                order[done++] = i, placed[i] = 1, progress = 1;
        }
        if (!progress)
            goto cleanup;                          /* model_finish rejects cycles */
    }
    g->nforms = 0;
    for (int j = 0; j < n; j++)
        if (g->isf[order[j]])
            g->forms[g->nforms++] = order[j];
    for (int i = 0; i < n; i++) {
        free(g->deps[i]);
        if ((g->deps[i] = calloc((size_t)g->nforms + 1, sizeof **g->deps)) == NULL)
            goto cleanup;
        memset(mark, 0, (size_t)n);
        mark[i] = 1;
        int c = 0;
        for (int j = 0; j < g->nforms; j++) {
            int x = g->forms[j];
            if (mark[x])
                continue;
            for (int k = 0; k < formula_nvars(m->inds[x].f); k++)
                if (mark[m->inds[x].fvars[k]]) {
                    mark[x] = 1;
                    g->deps[i][c++] = x;
                    break;
                }
        }
        g->deps[i][c] = -1;
    }
    rc = 0;
cleanup:
    free(placed), free(mark), free(order);
    return rc;
}

/* Appends the subtree of u in post-order (children in sibling order) to out. */
static int post_order(const model *m, int u, int *out, int n, int *stack)
{
    int sp = 0, start = n;
    stack[sp++] = u;
    while (sp) {
        int x = stack[--sp];
        out[n++] = x;
        for (int ch = m->units[x].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            stack[sp++] = ch;
    }
    for (int i = start, j = n - 1; i < j; i++, j--) {
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    return n;
}

/* Cuts the forest into pieces (subtrees) for the workers, decides which units keep blocks,
 * and (re)allocates the blocks. */
static int plan(engine *g, int **items_out, int *nitems_out, long **weight_out)
{
    const model *m = g->m;
    int nu = g->nunits, rc = -1;
    int *stack = calloc((size_t)nu + 1, sizeof *stack), *all = calloc((size_t)nu + 1, sizeof *all);
    long *weight = calloc((size_t)nu + 1, sizeof *weight);
    int *leaves = calloc((size_t)nu + 1, sizeof *leaves), *items = calloc((size_t)nu + 1, sizeof *items);
    int n = 0, nitems = 0;
    if (!stack || !all || !weight || !leaves || !items)
        goto cleanup;
    g->maxdepth = 0;
    for (int u = 0; u < nu; u++) {
        if (m->units[u].parent < 0)
            n = post_order(m, u, all, n, stack);
        if (m->units[u].depth > g->maxdepth)
            g->maxdepth = m->units[u].depth;
    }
    for (int k = 0; k < n; k++) {               /* children first: sizes add up */
        int u = all[k], p = m->units[u].parent;
        weight[u] += 1 + (long)g->val.len[u];
        leaves[u] += m->units[u].nchildren == 0;
        if (p >= 0)
            weight[p] += weight[u], leaves[p] += leaves[u];
    }
    for (int u = 0; u < nu; u++)
        g->role[u] = 0;
    g->nsync = 0;
    for (int u = 0; u < nu; u++)
        if (m->units[u].parent < 0) {
            g->role[u] = 2, g->sync[g->nsync++] = u;
            for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
                items[nitems++] = ch;
        }
    /* split the piece with most leaves (not values: the layout must not move with the data) */
    while (nitems < MIN_PIECES) {
        int best = -1;
        for (int k = 0; k < nitems; k++)
            if (m->units[items[k]].nchildren > 0 && (best < 0 || leaves[items[k]] > leaves[items[best]]))
                best = k;
        if (best < 0)
            break;
        int u = items[best];
        items[best] = items[--nitems];
        g->role[u] = 2, g->sync[g->nsync++] = u;
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            items[nitems++] = ch;
    }
    for (int k = 0; k < nitems; k++)
        g->role[items[k]] = 1;
    /* blocks */
    int nfull = 0, nyearly = 0, min = g->full_min_leaves;
    for (int u = 0; u < nu; u++) {
        g->fb[u] = g->yb[u] = -1;
        if (g->role[u] || (m->units[u].nchildren > 0 && leaves[u] >= min))
            g->fb[u] = nfull++;
        else if (m->units[u].nchildren > 0)
            g->yb[u] = nyearly++;
    }
    size_t cells = (size_t)g->ninds * (size_t)g->ns;
    size_t fbytes = (size_t)nfull * cells * (sizeof *g->full + sizeof *g->fulln);
    size_t ybytes = (size_t)nyearly * (size_t)g->ninds * (size_t)g->nyears * (sizeof *g->yearly + sizeof *g->yearlyn);
    if (fbytes != g->full_bytes || !g->full) {
        free(g->full), free(g->fulln);
        g->full = big((size_t)nfull * cells * sizeof *g->full);
        g->fulln = big((size_t)nfull * cells * sizeof *g->fulln);
        g->full_bytes = fbytes;
        if (!g->full || !g->fulln)
            goto cleanup;
    }
    if (ybytes != g->yearly_bytes || !g->yearly) {
        free(g->yearly), free(g->yearlyn);
        g->yearly = big((size_t)nyearly * (size_t)g->ninds * (size_t)g->nyears * sizeof *g->yearly);
        g->yearlyn = big((size_t)nyearly * (size_t)g->ninds * (size_t)g->nyears * sizeof *g->yearlyn);
        g->yearly_bytes = ybytes;
        if (!g->yearly || !g->yearlyn)
            goto cleanup;
    }
    g->nfull = nfull, g->nyearly = nyearly;
    memcpy(g->post, all, (size_t)n * sizeof *all);
    /* the units finished on the calling thread: deepest first */
    for (int i = 1; i < g->nsync; i++)
        for (int j = i; j > 0 && m->units[g->sync[j]].depth > m->units[g->sync[j - 1]].depth; j--) {
            int t = g->sync[j];
            g->sync[j] = g->sync[j - 1];
            g->sync[j - 1] = t;
        }
    *items_out = items, *nitems_out = nitems, *weight_out = weight;
    items = NULL, weight = NULL;
    rc = 0;
cleanup:
    free(stack), free(all), free(leaves), free(items), free(weight);
    return rc;
}

static int run_pass(engine *g, err_t *e)
{
    const model *m = g->m;
    int *items = NULL, nitems = 0, rc = -1, *lists = NULL, *stack = NULL;
    long *weight = NULL;
    pthread_t th[MAXT];
    if (plan(g, &items, &nitems, &weight) != 0) {
        err_set(e, "out of memory (engine blocks)");
        goto cleanup;
    }
    int minmax = 0;
    for (int i = 0; i < g->ninds; i++)
        minmax |= !g->isf[i] && (g->uagg[i] == AGG_MIN || g->uagg[i] == AGG_MAX || g->uagg[i] == AGG_LAST);
    int nt = g->visit ? 1 : g->nthreads;
    for (int t = 0; t < nt; t++)
        if (worker_init(&g->w[t], g, minmax) != 0) {
            err_set(e, "out of memory (engine workers)");
            goto cleanup;
        }
    if (g->visit && g->w[0].out == NULL &&
        (g->w[0].out = malloc(((size_t)g->ninds * (size_t)g->ns + 1) * sizeof *g->w[0].out)) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    /* deal the pieces, heaviest first, to the least loaded worker */
    for (int i = 1; i < nitems; i++)
        for (int j = i; j > 0 && weight[items[j]] > weight[items[j - 1]]; j--) {
            int t = items[j];
            items[j] = items[j - 1];
            items[j - 1] = t;
        }
    long load[MAXT] = { 0 };
    int *owner = calloc((size_t)nitems + 1, sizeof *owner);
    lists = calloc((size_t)g->nunits + 1, sizeof *lists);
    stack = calloc((size_t)g->nunits + 1, sizeof *stack);
    if (!owner || !lists || !stack) {
        free(owner);
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < nitems; k++) {
        int best = 0;
        for (int t = 1; t < nt; t++)
            if (load[t] < load[best])
                best = t;
        owner[k] = best;
        load[best] += weight[items[k]];
    }
    int pos = 0;
    for (int t = 0; t < nt; t++) {
        g->w[t].units = lists + pos;
        g->w[t].n = 0;
        for (int k = 0; k < nitems; k++)
            if (owner[k] == t)
                g->w[t].n = post_order(m, items[k], g->w[t].units, g->w[t].n, stack);
        pos += g->w[t].n;
    }
    free(owner);
    int started = 0;
    for (int t = 1; t < nt; t++)
        if (g->w[t].n && pthread_create(&th[t], NULL, run_worker, &g->w[t]) == 0)
            started |= 1 << t;
        else if (g->w[t].n)
            run_worker(&g->w[t]);
    run_worker(&g->w[0]);
    for (int t = 1; t < nt; t++)
        if (started & 1 << t)
            pthread_join(th[t], NULL);
    for (int k = 0; k < g->nsync; k++) {
        gather_blocks(&g->w[0], g->sync[k]);
        finish_unit(&g->w[0], g->sync[k], 0);
    }
    g->ran = 1;
    rc = 0;
cleanup:
    free(items), free(weight), free(lists), free(stack);
    for (int t = 0; t < MAXT; t++)
        g->w[t].units = NULL, g->w[t].n = 0;
    return rc;
}

/* ---- life cycle ---- */

/* The years the engine covers: the span of at most ENGINE_MAX_YEARS holding the most cells (the
 * latest such span on a tie), so one stray figure dated 2099 or 1901 neither stretches the
 * engine over a century nor pushes the real years out; figures outside are evaluated by the
 * reference path (eval.c). */
static void model_years(const model *m, int *y0, int *y1)
{
    size_t cnt[ENGINE_NYEARS] = { 0 };
    for (int pass = 0; pass < 2; pass++) {
        const cellmap *cm = pass ? &m->targets : &m->values;
        for (size_t i = 0; i < cm->n; i++)
            engine_count_years(cnt, cm->cells[i].per);
    }
    engine_best_years(cnt, y0, y1);
}

void engine_count_years(size_t *cnt, period_t p)
{
    int b = p.kind == P_RANGE ? p.y2 : p.y;
    for (int y = p.y; y <= b; y++)
        if (y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX)
            cnt[y - PERIOD_YEAR_MIN]++;
}

void engine_best_years(const size_t *cnt, int *y0, int *y1)
{
    size_t in = 0, best = 0;
    *y0 = *y1 = 0;
    for (int k = 0; k < ENGINE_NYEARS; k++) {
        in += cnt[k];
        if (k >= ENGINE_MAX_YEARS)
            in -= cnt[k - ENGINE_MAX_YEARS];
        if (cnt[k] && in >= best) {        /* a span ending on a year with data */
            best = in;
            *y1 = PERIOD_YEAR_MIN + k;
        }
    }
    if (best == 0)
        return;
    for (int y = *y1 - ENGINE_MAX_YEARS + 1; y <= *y1; y++)
        if (y >= PERIOD_YEAR_MIN && cnt[y - PERIOD_YEAR_MIN]) {
            *y0 = y;                           /* and starting on one */
            break;
        }
}

/* ---- terms (ranges of years) ----
 *
 * A range's figure is composed as eval.c's recursion composes it (reported value, else formula
 * over the unit's own range figures, else the child units valid in the range that have data,
 * else the years when every one has data), for every unit and indicator in one pass, children
 * first: O(units x indicators) with no hashing, where the recursion walked a subtree per
 * question.  The first question about a range builds its table under rc->mx; a table lives
 * until the next change (range_clear, under the caller's exclusive lock), so readers may keep
 * reading it after unlocking.  At most RC_MAX ranges are kept; a further one is composed for
 * the question and dropped. */

#define RC_MAX 8

typedef struct rtab {
    uint16_t y, y2;
    int64_t *fx;           /* [unit * ninds + ind], FX_NONE = no figure */
    uint8_t *src;
    int32_t *miss;
} rtab;

#define PC_MAX 64          /* partial-figure tables kept (one bit per unit and indicator) */

struct rcache {
    pthread_mutex_t mx;
    rtab t[RC_MAX];
    int n;
    pthread_mutex_t pmx;   /* the partial-figure tables (engine_partial), built on first use */
    int32_t pkey[PC_MAX];
    uint8_t *pbits[PC_MAX];
    int np;
};

static void partial_clear(engine *g);

static void rtab_free(rtab *t)
{
    free(t->fx), free(t->src), free(t->miss);
    memset(t, 0, sizeof *t);
}

static void range_clear(engine *g)
{
    if (g->rc == NULL)
        return;
    for (int k = 0; k < g->rc->n; k++)
        rtab_free(&g->rc->t[k]);
    g->rc->n = 0;
    partial_clear(g);
    engine_conv_clear(g);
}

static void range_cell(const engine *g, rtab *t, period_t r, int u, int i)
{
    const model *m = g->m;
    const ind_t *d = &m->inds[i];
    size_t at = (size_t)u * (size_t)g->ninds + (size_t)i;
    int64_t x = FX_NONE;
    int src = SRC_NONE, miss = 0;
    cell_t tmp;
    const cell_t *c = model_value(m, i, u, r, &tmp);
    if (c)
        x = fx_of_value(c->v), src = SRC_REPORTED;
    else if (d->f) {
        int nv = formula_nvars(d->f), over = 0;
        double vals[FORMULA_MAX_DEPTH * 4];
        unsigned char got[FORMULA_MAX_DEPTH * 4];
        if (nv <= (int)(sizeof vals / sizeof vals[0])) {
            for (int k = 0; k < nv; k++) {
                int64_t o = t->fx[(size_t)u * (size_t)g->ninds + (size_t)d->fvars[k]];
                got[k] = o != FX_NONE;
                over |= o == FX_OVER;
                vals[k] = got[k] && o != FX_OVER ? fx_val(o) : 0;
            }
            if ((x = formula_fx(d, vals, got, nv, over)) != FX_NONE)
                src = SRC_FORMULA;
        }
    }
    if (x == FX_NONE && !d->f && d->uagg != AGG_NONE && m->units[u].nchildren > 0) {
        fx_acc a = { 0 };
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, r))
                continue;
            int64_t y = t->fx[(size_t)ch * (size_t)g->ninds + (size_t)i];
            if (y == FX_NONE) {
                miss++;
                continue;
            }
            fx_acc_add(&a, d->uagg, y);
        }
        if (a.n)
            x = fx_acc_get(&a, d->uagg), src = SRC_UNITS;
        else
            miss = 0;
    }
    if (x == FX_NONE && !d->f) {
        fx_acc a = { 0 };
        int64_t y;
        int ok = 1;
        for (int yr = r.y; ok && yr <= r.y2; yr++) {
            ok = engine_get_fx(g, i, u, (period_t){ P_YEAR, 0, (uint16_t)yr, (uint16_t)yr }, &y) > 0;
            if (ok)
                fx_acc_add(&a, d->pagg, y);
        }
        if (ok && a.n)
            x = fx_acc_get(&a, d->pagg), src = SRC_PERIODS, miss = 0;
    }
    t->fx[at] = x;
    t->src[at] = (uint8_t)src;
    t->miss[at] = miss;
}

static int range_fill(const engine *g, rtab *t, period_t r)
{
    size_t n = (size_t)g->nunits * (size_t)g->ninds;
    t->y = r.y, t->y2 = r.y2;
    t->fx = malloc(n * sizeof *t->fx + 1);
    t->src = malloc(n + 1);
    t->miss = malloc(n * sizeof *t->miss + 1);
    if (!t->fx || !t->src || !t->miss) {
        rtab_free(t);
        return -1;
    }
    for (int k = 0; k < g->nunits; k++) {
        int u = g->post[k];
        for (int i = 0; i < g->ninds; i++)
            if (!g->isf[i])
                range_cell(g, t, r, u, i);
        for (int f = 0; f < g->nforms; f++)
            range_cell(g, t, r, u, g->forms[f]);
    }
    return 0;
}

/* The range figure of (ind, unit): 1 with *x, *src, *miss; 0 without data; -1 out of memory. */
static int range_get(const engine *g, int ind, int unit, period_t r, int64_t *x, int *src, int *miss)
{
    struct rcache *rc = g->rc;
    size_t at = (size_t)unit * (size_t)g->ninds + (size_t)ind;
    rtab own = { 0 }, *t = NULL;
    pthread_mutex_lock(&rc->mx);
    for (int k = 0; k < rc->n && t == NULL; k++)
        if (rc->t[k].y == r.y && rc->t[k].y2 == r.y2)
            t = &rc->t[k];
    if (t == NULL && rc->n < RC_MAX && range_fill(g, &rc->t[rc->n], r) == 0)
        t = &rc->t[rc->n++];
    pthread_mutex_unlock(&rc->mx);
    if (t == NULL) {                            /* the cache is full: compose, answer, drop */
        if (range_fill(g, &own, r) != 0)
            return -1;
        t = &own;
    }
    *x = t->fx[at], *src = t->src[at], *miss = t->miss[at];
    rtab_free(&own);
    return *x != FX_NONE;
}

int engine_new(const model *m, const engine_opts *o, int y0, int y1, engine **out, err_t *e)
{
    engine *g = calloc(1, sizeof *g);
    int nu = (int)m->nunits, ni = (int)m->ninds;
    *out = NULL;
    if (g == NULL)
        return err_set(e, "out of memory");
    g->m = m;
    g->nunits = nu, g->ninds = ni;
    if ((g->rc = calloc(1, sizeof *g->rc)) == NULL) {
        free(g);
        return err_set(e, "out of memory");
    }
    pthread_mutex_init(&g->rc->mx, NULL);
    pthread_mutex_init(&g->rc->pmx, NULL);
    if (engine_conv_init(g) != 0) {
        engine_free(g);
        return err_set(e, "out of memory");
    }
    g->y0 = y0 && y1 >= y0 ? y0 : 0;
    g->nyears = g->y0 ? y1 - y0 + 1 : 0;
    g->ns = g->nyears * SPY;
    g->nthreads = o && o->threads > 0 ? (o->threads > MAXT ? MAXT : o->threads) : 1;
    g->full_min_leaves = o && o->full_min_leaves > 0 ? o->full_min_leaves : 32;
    while ((1 << g->sbits) < g->ns)
        g->sbits++;
    while ((1 << g->ybits) < g->nyears)
        g->ybits++;
    g->smask = (1u << g->sbits) - 1, g->ymask = (1u << g->ybits) - 1;
    if (((uint64_t)ni << g->sbits) >= UINT32_MAX) {
        engine_free(g);
        return err_set(e, "engine: too many indicators × periods (%d × %d)", ni, g->ns);
    }
    size_t nv = (size_t)nu * (size_t)g->ns;
    g->isf = calloc((size_t)ni + 1, 1), g->uagg = calloc((size_t)ni + 1, 1), g->pagg = calloc((size_t)ni + 1, 1);
    g->dir = calloc((size_t)ni + 1, 1), g->dec = calloc((size_t)ni + 1, 1);
    g->step = calloc((size_t)ni + 1, sizeof *g->step);
    g->mag = calloc((size_t)ni + 1, sizeof *g->mag);
    g->forms = calloc((size_t)ni + 1, sizeof *g->forms);
    g->deps = calloc((size_t)ni + 1, sizeof *g->deps);
    g->valid = malloc(nv + 1);
    g->always = malloc((size_t)nu + 1);
    g->fb = calloc((size_t)nu + 1, sizeof *g->fb), g->yb = calloc((size_t)nu + 1, sizeof *g->yb);
    g->counts = calloc((size_t)nu * (size_t)g->nyears * NC + 1, sizeof *g->counts);
    g->role = calloc((size_t)nu + 1, 1);
    g->post = calloc((size_t)nu + 1, sizeof *g->post);
    g->sync = calloc((size_t)nu + 1, sizeof *g->sync);
    if (!g->isf || !g->uagg || !g->pagg || !g->dir || !g->dec || !g->step || !g->mag || !g->forms || !g->deps || !g->valid ||
        !g->always || !g->fb || !g->yb || !g->counts || !g->role || !g->post || !g->sync ||
        csr_alloc(&g->val, nu) != 0 || csr_alloc(&g->tgt, nu) != 0) {
        engine_free(g);
        return err_set(e, "out of memory (engine)");
    }
    if (setup_inds(g) != 0) {
        engine_free(g);
        return err_set(e, "engine: the formulas refer to each other in a cycle");
    }
    for (int u = 0; u < nu; u++) {
        int all = 1;
        for (int s = 0; s < g->ns; s++) {
            uint8_t ok = (uint8_t)model_unit_valid(m, u, period_of(g, s));
            g->valid[(size_t)u * (size_t)g->ns + (size_t)s] = ok;
            all &= ok;
        }
        g->always[u] = (uint8_t)all;
    }
    *out = g;
    return 0;
}

int engine_put_value(engine *g, int ind, int unit, period_t p, int64_t fx)
{
    int s = slot_of(g, p);
    if (s < 0 || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return 0;
    uint32_t key = vkey(g, ind, s);
    if (g->ran)
        mag_add(&g->mag[ind], fx);
    int rc = g->ran ? cell_set(g, 0, unit, key, fx, 0) : csr_stage(&g->val, (uint32_t)unit, key, fx);
    return rc ? -1 : 1;
}

int engine_put_target(engine *g, int ind, int unit, period_t p, int64_t fx)
{
    if (p.kind != P_YEAR || (int)p.y < g->y0 || (int)p.y >= g->y0 + g->nyears ||
        ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return 0;
    uint32_t key = tkey(g, ind, p.y - g->y0);
    fx = fx_round(fx, g->dec[ind]);
    int rc = g->ran ? cell_set(g, 1, unit, key, fx, 0) : csr_stage(&g->tgt, (uint32_t)unit, key, fx);
    return rc ? -1 : 1;
}

struct engine_stage {
    engine *g;
    int targets;
    csr c;                 /* only its staging arrays are used */
};

engine_stage *engine_stage_new(engine *g, int targets)
{
    engine_stage *st = calloc(1, sizeof *st);
    if (st)
        st->g = g, st->targets = targets;
    return st;
}

int engine_stage_reserve(engine_stage *st, size_t n)
{
    csr *c = &st->c;
    if (n <= c->scap)
        return 0;
    /* small pages: filled once in order and dropped after the first run, and huge ones cost
     * the kernel's compaction while the database fills the page cache (L, one pair of runs: 5 s less system CPU) */
    uint32_t *su = malloc(n * sizeof *su), *sk = malloc(n * sizeof *sk);
    int64_t *sf = malloc(n * sizeof *sf);
    if (!su || !sk || !sf) {
        free(su), free(sk), free(sf);
        return -1;
    }
    if (c->sn) {
        memcpy(su, c->su, c->sn * sizeof *su);
        memcpy(sk, c->sk, c->sn * sizeof *sk);
        memcpy(sf, c->sf, c->sn * sizeof *sf);
    }
    free(c->su), free(c->sk), free(c->sf);
    c->su = su, c->sk = sk, c->sf = sf, c->scap = n;
    return 0;
}

int engine_stage_put(engine_stage *st, int ind, int unit, period_t p, int64_t fx)
{
    engine *g = st->g;
    if (ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return 0;
    uint32_t key;
    if (st->targets) {
        if (p.kind != P_YEAR || (int)p.y < g->y0 || (int)p.y >= g->y0 + g->nyears)
            return 0;
        key = tkey(g, ind, p.y - g->y0);
        fx = fx_round(fx, g->dec[ind]);
    } else {
        int s = slot_of(g, p);
        if (s < 0)
            return 0;
        key = vkey(g, ind, s);
    }
    return csr_stage(&st->c, (uint32_t)unit, key, fx) ? -1 : 1;
}

int engine_stage_commit(engine_stage *st)
{
    int rc = 0;
    if (st == NULL)
        return 0;
    engine *g = st->g;
    csr *c = st->targets ? &g->tgt : &g->val, *s = &st->c;
    if (g->ran) {                           /* after a run: one by one */
        for (size_t i = 0; i < s->sn && rc == 0; i++)
            rc = cell_set(g, st->targets, (int)s->su[i], s->sk[i], s->sf[i], 0);
        for (size_t i = 0; i < s->sn && !st->targets; i++)
            mag_add(&g->mag[s->sk[i] >> g->sbits], s->sf[i]);
    } else {                                /* before: its arrays adopted, nothing copied */
        if (c->sn) {                        /* the puts so far go before it, as they are */
            stage_seg *segs = realloc(c->segs, ((size_t)c->nsegs + 1) * sizeof *segs);
            if (segs == NULL) {
                engine_stage_free(st);
                return -1;
            }
            c->segs = segs;
            segs[c->nsegs++] = (stage_seg){ c->su, c->sk, c->sf, c->sn };
        } else
            free(c->su), free(c->sk), free(c->sf);
        c->su = s->su, c->sk = s->sk, c->sf = s->sf, c->sn = s->sn, c->scap = s->scap;
        s->su = s->sk = NULL, s->sf = NULL;
    }
    engine_stage_free(st);
    return rc;
}

void engine_stage_free(engine_stage *st)
{
    if (st == NULL)
        return;
    free(st->c.su), free(st->c.sk), free(st->c.sf);
    free(st);
}

int engine_run(engine *g, err_t *e)
{
    range_clear(g);
    if (!g->ran && (engine_csr_finish(&g->val, g->nunits, g->nthreads) != 0 ||
                    engine_csr_finish(&g->tgt, g->nunits, g->nthreads) != 0))
        return err_set(e, "out of memory (engine values)");
    if (!g->ran) {                                 /* later changes add to it as they come */
        memset(g->mag, 0, (size_t)g->ninds * sizeof *g->mag);
        for (int u = 0; u < g->nunits; u++)
            for (uint32_t k = 0; k < g->val.len[u]; k++)
                mag_add(&g->mag[g->val.key[g->val.off[u] + k] >> g->sbits], g->val.fx[g->val.off[u] + k]);
    }
    return run_pass(g, e);
}

int engine_visit(engine *g, int (*fn)(void *, int, const int64_t *, int), void *ctx, err_t *e)
{
    g->visit = fn, g->visit_ctx = ctx, g->visit_stop = 0;
    int rc = engine_run(g, e);
    g->visit = NULL, g->visit_ctx = NULL;
    return rc;
}

int engine_build_opts(const model *m, const engine_opts *o, engine **out, err_t *e)
{
    int y0, y1;
    engine *g = NULL;
    model_years(m, &y0, &y1);
    if (o && o->years_from && o->years_to)
        y0 = o->years_from, y1 = o->years_to;
    engine_free(*out);                             /* the values are copied afresh anyway */
    *out = NULL;
    if (engine_new(m, o, y0, y1, &g, e) != 0)
        return -1;
    for (size_t i = 0; i < m->values.n; i++) {
        const cell_t *c = &m->values.cells[i];
        if (engine_put_value(g, c->ind, c->unit, c->per, fx_of_value(c->v)) < 0)
            goto oom;
    }
    for (size_t i = 0; i < m->targets.n; i++) {
        const cell_t *c = &m->targets.cells[i];
        if (engine_put_target(g, c->ind, c->unit, c->per, fx_of(c->v)) < 0)
            goto oom;
    }
    if (engine_run(g, e) != 0) {
        engine_free(g);
        return -1;
    }
    *out = g;
    return 0;
oom:
    engine_free(g);
    return err_set(e, "out of memory (engine values)");
}

int engine_build(const model *m, int nthreads, engine **out, err_t *e)
{
    engine_opts o = { .threads = nthreads };
    return engine_build_opts(m, &o, out, e);
}

void engine_free(engine *g)
{
    if (g == NULL)
        return;
    for (int t = 0; t < MAXT; t++)
        worker_free(&g->w[t]);
    csr_free(&g->val), csr_free(&g->tgt);
    if (g->deps)
        for (int i = 0; i < g->ninds; i++)
            free(g->deps[i]);
    free(g->deps), free(g->isf), free(g->uagg), free(g->pagg), free(g->dir), free(g->dec), free(g->step), free(g->mag), free(g->forms);
    free(g->valid), free(g->always), free(g->fb), free(g->yb), free(g->counts), free(g->role);
    free(g->post), free(g->sync);
    free(g->full), free(g->fulln), free(g->yearly), free(g->yearlyn);
    if (g->rc) {
        range_clear(g);
        pthread_mutex_destroy(&g->rc->mx);
        pthread_mutex_destroy(&g->rc->pmx);
        free(g->rc);
    }
    engine_conv_free(g);
    free(g);
}

/* ---- reading ---- */

int engine_get_fx(const engine *g, int ind, int unit, period_t p, int64_t *fx)
{
    if (g == NULL || !g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    int s = slot_of(g, p);
    if (s < 0)
        return -1;
    *fx = fig(g, unit, ind, s, NULL);
    return *fx == FX_NONE ? 0 : *fx == FX_OVER ? 2 : 1;
}

int engine_figure(const engine *g, int ind, int unit, period_t p, int64_t *fx, int *source, int *missing)
{
    if (g == NULL || !g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    int64_t x = FX_NONE;
    int src = SRC_NONE, miss = 0;
    if (p.kind == P_RANGE && engine_covers(g, p) && g->rc) {
        if (range_get(g, ind, unit, p, &x, &src, &miss) < 0)
            return -1;                          /* out of memory: eval composes it itself */
    } else {
        int s = slot_of(g, p);
        if (s < 0)
            return -1;
        uint32_t n = 0;
        x = fig(g, unit, ind, s, &n);
        if (x == FX_NONE)
            ;
        else if (csr_find(&g->val, unit, vkey(g, ind, s)) >= 0)
            src = SRC_REPORTED;
        else if (g->isf[ind])
            src = SRC_FORMULA;
        else if (n > 0) {
            src = SRC_UNITS;
            const model *m = g->m;
            int nvalid = 0;
            for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling)
                nvalid += g->valid[(size_t)ch * (size_t)g->ns + (size_t)s];
            miss = nvalid - (int)n;
        } else
            src = SRC_PERIODS;
    }
    if (x == FX_NONE)
        src = SRC_NONE, miss = 0;
    *fx = x;
    if (source)
        *source = src;
    if (missing)
        *missing = miss;
    return x == FX_NONE ? 0 : x == FX_OVER ? 2 : 1;
}

int engine_get(const engine *g, int ind, int unit, period_t p, double *v, int *source, int *missing)
{
    int64_t x;
    int st = engine_figure(g, ind, unit, p, &x, source, missing);
    *v = st == 1 ? fx_val(x) : 0;
    return st;
}

int engine_covers(const engine *g, period_t p)
{
    int b = p.kind == P_RANGE ? p.y2 : p.y;
    return g != NULL && g->nyears && (int)p.y >= g->y0 && b < g->y0 + g->nyears;
}

int engine_counts(const engine *g, int unit, int year, int *with_data, int *met, int *exceeded)
{
    int yo = year - g->y0;
    if (!g->ran || unit < 0 || unit >= g->nunits || yo < 0 || yo >= g->nyears)
        return -1;
    const int32_t *c = g->counts + ((size_t)unit * (size_t)g->nyears + (size_t)yo) * NC;
    *with_data = c[0], *met = c[1], *exceeded = c[2];
    return 0;
}

int engine_too_large(const engine *g, int unit, int year, int *ind)
{
    int yo = year - g->y0;
    if (!g->ran || unit < 0 || unit >= g->nunits || yo < 0 || yo >= g->nyears)
        return 0;
    int n = g->counts[((size_t)unit * (size_t)g->nyears + (size_t)yo) * NC + 3];
    const csr *T = &g->tgt;
    for (uint32_t k = 0; n > 0 && ind && k < T->len[unit]; k++) {   /* the first, to name it */
        uint32_t key = T->key[T->off[unit] + k];
        int i = (int)(key >> g->ybits);
        if ((int)(key & g->ymask) == yo && fig(g, unit, i, yo * SPY + S_YEAR, NULL) == FX_OVER) {
            *ind = i;
            break;
        }
    }
    return n;
}

/* ---- keeping current ---- */

/* Recounts unit u's targets of year offset yo. */
static void recount(engine *g, int u, int yo)
{
    int32_t *c = g->counts + ((size_t)u * (size_t)g->nyears + (size_t)yo) * NC;
    c[0] = c[1] = c[2] = c[3] = 0;
    const csr *T = &g->tgt;
    for (uint32_t k = 0; k < T->len[u]; k++) {
        uint32_t key = T->key[T->off[u] + k];
        if ((int)(key & g->ymask) != yo)
            continue;
        int i = (int)(key >> g->ybits);
        int64_t x = fig(g, u, i, yo * SPY + S_YEAR, NULL);
        c[3] += x == FX_OVER;
        if (x == FX_NONE || x == FX_OVER)
            continue;
        int st = status_q(g->dir[i], g->step[i], x, T->fx[T->off[u] + k]);
        c[0]++;
        c[1] += st == ST_MET;
        c[2] += st == ST_EXCEEDED;
    }
}

/* Recomputes the stored cells of (u, i) in the year starting at slot base. */
static void refresh(engine *g, int u, int i, int base)
{
    for (int k = 0; k < SPY; k++) {
        int s = base + k;
        uint32_t n = 0;
        if (g->fb[u] >= 0) {
            int64_t x = fresh(g, u, i, s, &n);
            size_t at = ((size_t)g->fb[u] * (size_t)g->ninds + (size_t)i) * (size_t)g->ns + (size_t)s;
            g->full[at] = x;
            g->fulln[at] = (uint16_t)(n > 65535 ? 65535 : n);
        } else if (g->yb[u] >= 0 && k == S_YEAR) {
            int64_t x = fresh(g, u, i, s, &n);
            size_t at = ((size_t)g->yb[u] * (size_t)g->ninds + (size_t)i) * (size_t)g->nyears + (size_t)(s / SPY);
            g->yearly[at] = x;
            g->yearlyn[at] = (uint16_t)(n > 65535 ? 65535 : n);
        }
    }
}

int engine_set_value(engine *g, int ind, int unit, period_t p, int has, int64_t fx, err_t *e)
{
    range_clear(g);                               /* a term's figures may use this one */
    int s = slot_of(g, p);
    if (s < 0)
        return 0;                                 /* outside the engine: eval composes it */
    if (!g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return err_set(e, "engine: no such indicator or unit, or not computed yet");
    const model *m = g->m;
    if (has)
        mag_add(&g->mag[ind], fx);
    if (cell_set(g, 0, unit, vkey(g, ind, s), fx, !has) != 0)
        return err_set(e, "out of memory");
    int base = s - s % SPY;
    for (int u = unit; u >= 0; u = m->units[u].parent) {
        refresh(g, u, ind, base);
        for (const int *d = g->deps[ind]; *d >= 0; d++)
            refresh(g, u, *d, base);
        recount(g, u, base / SPY);
    }
    return 0;
}

int engine_update(engine *g, const model *m, int ind, int unit, period_t p, err_t *e)
{
    if ((int)m->ninds != g->ninds || (int)m->nunits != g->nunits)
        return err_set(e, "engine: the model's units or indicators changed; rebuild it");
    g->m = m;
    cell_t tmp;
    const cell_t *c = model_value(m, ind, unit, p, &tmp);
    return engine_set_value(g, ind, unit, p, c != NULL, c ? fx_of_value(c->v) : 0, e);
}

int engine_reported(const engine *g, int ind, int unit, period_t p, int64_t *fx)
{
    int s = g ? slot_of(g, p) : -1;
    if (s < 0 || !g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    long at = csr_find(&g->val, unit, vkey(g, ind, s));
    if (at < 0)
        return 0;
    *fx = g->val.fx[g->val.off[unit] + (size_t)at];
    return 1;
}

int engine_each_reported(const engine *g, int targets, int y_from, int y_to,
                         int (*fn)(void *ctx, int ind, int unit, period_t p, int64_t fx), void *ctx)
{
    return engine_each_reported_in(g, targets, y_from, y_to, 0, g ? g->nunits : 0, fn, ctx);
}

int engine_each_reported_in(const engine *g, int targets, int y_from, int y_to, int u_from, int u_to,
                            int (*fn)(void *ctx, int ind, int unit, period_t p, int64_t fx), void *ctx)
{
    if (g == NULL || !g->ran)
        return 0;
    if (u_from < 0)
        u_from = 0;
    if (u_to > g->nunits)
        u_to = g->nunits;
    const csr *c = targets ? &g->tgt : &g->val;
    /* the years asked for as year offsets, clipped to the engine's */
    int lo = y_from ? y_from - g->y0 : 0, hi = y_to ? y_to - g->y0 : g->nyears - 1;
    if (lo < 0)
        lo = 0;
    if (hi >= g->nyears)
        hi = g->nyears - 1;
    if (lo > hi)
        return 0;
    uint32_t klo = targets ? (uint32_t)lo : (uint32_t)(lo * SPY), khi = targets ? (uint32_t)hi : (uint32_t)(hi * SPY + SPY - 1);
    uint32_t mask = targets ? g->ymask : g->smask;
    for (int u = u_from; u < u_to; u++)
        for (uint32_t k = 0; k < c->len[u]; k++) {
            uint32_t key = c->key[c->off[u] + k];
            if ((key & mask) < klo || (key & mask) > khi)
                continue;
            period_t p;
            int ind;
            if (targets) {
                uint16_t y = (uint16_t)(g->y0 + (int)(key & g->ymask));
                p = (period_t){ P_YEAR, 0, y, y };
                ind = (int)(key >> g->ybits);
            } else {
                p = period_of(g, (int)(key & g->smask));
                ind = (int)(key >> g->sbits);
            }
            int r = fn(ctx, ind, u, p, c->fx[c->off[u] + k]);
            if (r)
                return r;
        }
    return 0;
}

void engine_threads(engine *g, int n)
{
    g->nthreads = n < 1 ? 1 : n > MAXT ? MAXT : n;
}

int engine_update_target(engine *g, const model *m, int ind, int unit, period_t p, err_t *e)
{
    if (p.kind != P_YEAR || (int)p.y < g->y0 || (int)p.y >= g->y0 + g->nyears)
        return 0;
    if ((int)m->ninds != g->ninds || (int)m->nunits != g->nunits || ind < 0 || ind >= g->ninds ||
        unit < 0 || unit >= g->nunits)
        return err_set(e, "engine: the model's units or indicators changed; rebuild it");
    g->m = m;
    cell_t tmp;
    const cell_t *c = model_target(m, ind, unit, p, &tmp);
    return engine_set_target(g, ind, unit, p, c != NULL, c ? fx_of(c->v) : 0, e);
}

int engine_last_year(const engine *g)
{
    int last = -1;
    if (g == NULL || !g->ran)
        return 0;
    for (int u = 0; u < g->nunits; u++)
        for (uint32_t k = 0; k < g->val.len[u]; k++) {
            int yo = (int)(g->val.key[g->val.off[u] + k] & g->smask) / SPY;
            if (yo > last)
                last = yo;
        }
    return last < 0 ? 0 : g->y0 + last;
}

int engine_set_target(engine *g, int ind, int unit, period_t p, int has, int64_t fx, err_t *e)
{
    if (p.kind != P_YEAR || (int)p.y < g->y0 || (int)p.y >= g->y0 + g->nyears)
        return 0;
    if (!g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return err_set(e, "engine: no such indicator or unit, or not computed yet");
    uint32_t key = tkey(g, ind, p.y - g->y0);
    if (cell_set(g, 1, unit, key, has ? fx_round(fx, g->dec[ind]) : 0, !has) != 0)
        return err_set(e, "out of memory");
    recount(g, unit, p.y - g->y0);
    return 0;
}

void engine_years(const engine *g, int *y0, int *y1)
{
    *y0 = g->nyears ? g->y0 : 0;
    *y1 = g->nyears ? g->y0 + g->nyears - 1 : 0;
}

size_t engine_bytes(const engine *g)
{
    size_t b = g->full_bytes + g->yearly_bytes;
    b += g->val.size * (sizeof *g->val.key + sizeof *g->val.fx) + g->tgt.size * (sizeof *g->tgt.key + sizeof *g->tgt.fx);
    b += (size_t)g->nunits * ((size_t)g->ns + 2 * (sizeof(size_t) + 2 * sizeof(uint32_t)) + 3 * sizeof(int32_t) + 2);
    b += (size_t)g->nunits * (size_t)g->nyears * NC * sizeof(int32_t);
    for (int t = 0; t < MAXT; t++)
        b += (size_t)g->w[t].nlv * (size_t)g->ninds * (size_t)g->ns * (8 + 4 + (g->w[t].lv && g->w[t].lv[0].mm ? 8 : 0));
    return b;
}

uint64_t engine_checksum(const engine *g)
{
    uint64_t h = 1469598103934665603ULL;
    size_t nf = (size_t)g->nfull * (size_t)g->ninds * (size_t)g->ns;
    size_t ny = (size_t)g->nyearly * (size_t)g->ninds * (size_t)g->nyears;
    for (size_t i = 0; i < nf; i++)
        h = (h ^ (uint64_t)g->full[i] ^ ((uint64_t)g->fulln[i] << 48)) * 1099511628211ULL;
    for (size_t i = 0; i < ny; i++)
        h = (h ^ (uint64_t)g->yearly[i] ^ ((uint64_t)g->yearlyn[i] << 48)) * 1099511628211ULL;
    for (size_t i = 0; i < (size_t)g->nunits * (size_t)g->nyears * NC; i++)
        if (i % NC < 3 || g->counts[i])       /* the too-large count only when some are */
            h = (h ^ (uint64_t)g->counts[i]) * 1099511628211ULL;
    return h;
}

/* ---- coverage ---- */

int engine_coverage(const engine *g, int ind, int unit, period_t p, int *expected, int *reported)
{
    int src = SRC_NONE, miss = 0;
    double v;
    *expected = *reported = 0;
    int has = engine_get(g, ind, unit, p, &v, &src, &miss);
    if (has <= 0 || src != SRC_UNITS)
        return has;
    const model *m = g->m;
    for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling)
        *expected += model_unit_valid(m, ch, p);
    *reported = *expected - miss;
    return 1;
}

int engine_target(const engine *g, int ind, int unit, int year, int64_t *fx)
{
    int yo = year - g->y0;
    if (!g->ran || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits || yo < 0 || yo >= g->nyears)
        return -1;
    long at = csr_find(&g->tgt, unit, tkey(g, ind, yo));
    if (at < 0)
        return 0;
    *fx = g->tgt.fx[g->tgt.off[unit] + (size_t)at];
    return 1;
}

/* ---- partial figures (coverage, eval.h) ----
 *
 * Whether a figure leaves out a unit expected below it, by eval.c's rule (cov_of): from child
 * units when one valid in the period has no figure or a partial one; a formula when an operand
 * is partial; sub-periods when one is.  One bit per unit and indicator for a whole period (a
 * slot, or a range of years), children first, built on the first question and kept until the
 * next change (range_clear); at most PC_MAX periods, a further one is built and dropped.  The
 * lock is held only to look up and insert, so a table of sub-periods may be built meanwhile. */

static void partial_clear(engine *g)
{
    for (int k = 0; k < g->rc->np; k++)
        free(g->rc->pbits[k]);
    g->rc->np = 0;
}

static inline int pbit(const uint8_t *b, size_t at)
{
    return b[at >> 3] >> (at & 7) & 1;
}

/* The bit of (u, i) for p, whose figure came from src with miss children missing, given the
 * bits of u's children and of u's earlier indicators. */
static int partial_cell(const engine *g, const uint8_t *bits, int u, int i, period_t p, int src, int miss)
{
    const model *m = g->m;
    if (src == SRC_UNITS) {
        if (miss > 0)
            return 1;
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            if (m->units[ch].nchildren > 0 && pbit(bits, (size_t)ch * (size_t)g->ninds + (size_t)i) &&
                model_unit_valid(m, ch, p))
                return 1;
    } else if (src == SRC_FORMULA) {
        const ind_t *d = &m->inds[i];
        for (int k = 0; k < formula_nvars(d->f); k++)
            if (pbit(bits, (size_t)u * (size_t)g->ninds + (size_t)d->fvars[k]))
                return 1;
    } else if (src == SRC_PERIODS) {
        period_t few[4], *kids = few;           /* a range: as many years as it spans */
        int max = p.kind == P_RANGE ? p.y2 - p.y + 1 : 4, r = 0;
        if (max > 4 && (kids = malloc((size_t)max * sizeof *kids)) == NULL)
            return -1;
        int nk = period_children(p, kids, max);
        for (int k = 0; k < nk && r == 0; k++)
            r = engine_partial(g, i, u, kids[k]);   /* partial, or -1: out of memory */
        if (kids != few)
            free(kids);
        return r;
    }
    return 0;
}

/* Whether (u, i) has a figure in slot s: from has[] (0xFF = not known yet, then computed). */
static int slot_has(const engine *g, uint8_t *has, int u, int i, int s)
{
    size_t at = (size_t)u * (size_t)g->ninds + (size_t)i;
    if (has[at] == 0xFF)
        has[at] = fig(g, u, i, s, NULL) != FX_NONE;
    return has[at];
}

/* Source and missing children of inner unit u's (i, slot s), as engine_get gives them; a unit
 * without a stored block for s counts its children from has[] (filled children first) instead
 * of recomputing every child's subtree.  Sets has[u, i]; returns whether there is a figure. */
static int slot_source(const engine *g, uint8_t *has, int u, int i, int s, int *src, int *miss)
{
    const model *m = g->m;
    size_t at = (size_t)u * (size_t)g->ninds + (size_t)i;
    int h, n = 0, nvalid = 0;
    *src = SRC_NONE, *miss = 0;
    int kept = g->fb[u] >= 0 || (g->yb[u] >= 0 && s % SPY == S_YEAR);
    if (kept || g->isf[i] || csr_find(&g->val, u, vkey(g, i, s)) >= 0) {
        uint32_t cnt = 0;
        h = fig(g, u, i, s, &cnt) != FX_NONE;   /* stored, a formula or a reported value */
        n = (int)cnt;
        if (h && csr_find(&g->val, u, vkey(g, i, s)) >= 0)
            *src = SRC_REPORTED;
        else if (h && g->isf[i])
            *src = SRC_FORMULA;
        else if (h && n == 0)
            *src = SRC_PERIODS;
    } else {
        for (int ch = m->units[u].first_child; g->uagg[i] != AGG_NONE && ch >= 0; ch = m->units[ch].next_sibling)
            if (g->valid[(size_t)ch * (size_t)g->ns + (size_t)s])
                n += slot_has(g, has, ch, i, s);
        h = n > 0;
        if (!h && (h = fig(g, u, i, s, NULL) != FX_NONE))
            *src = SRC_PERIODS;                 /* no child has it: the sub-periods */
    }
    if (h && *src == SRC_NONE) {                /* from the child units: who is missing */
        for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            nvalid += g->valid[(size_t)ch * (size_t)g->ns + (size_t)s];
        *src = SRC_UNITS, *miss = nvalid - n;
    }
    has[at] = (uint8_t)h;
    return h;
}

static uint8_t *partial_build(const engine *g, period_t p)
{
    size_t nbits = (size_t)g->nunits * (size_t)g->ninds;
    int s = p.kind == P_RANGE ? -1 : slot_of(g, p);
    uint8_t *bits = calloc(nbits / 8 + 1, 1), *has = s >= 0 ? malloc(nbits + 1) : NULL;
    if (bits == NULL || (s >= 0 && has == NULL)) {
        free(bits), free(has);
        return NULL;
    }
    if (has)
        memset(has, 0xFF, nbits + 1);
    for (int k = 0; k < g->nunits; k++) {
        int u = g->post[k];
        if (g->m->units[u].nchildren == 0)
            continue;                           /* a leaf's figure is never partial */
        for (int pass = 0; pass < 2; pass++) {
            int n = pass ? g->nforms : g->ninds;
            for (int j = 0; j < n; j++) {
                int i = pass ? g->forms[j] : j;
                if (!pass && g->isf[i])
                    continue;
                int src, miss, r = 0;
                double v;
                /* a figure too large to hold (engine_get 2) is a figure: its coverage counts */
                if (has ? slot_source(g, has, u, i, s, &src, &miss) : engine_get(g, i, u, p, &v, &src, &miss) >= 1)
                    r = partial_cell(g, bits, u, i, p, src, miss);
                if (r < 0) {
                    free(bits), free(has);
                    return NULL;
                }
                size_t at = (size_t)u * (size_t)g->ninds + (size_t)i;
                bits[at >> 3] |= (uint8_t)(r << (at & 7));
            }
        }
    }
    free(has);
    return bits;
}

int engine_partial(const engine *g, int ind, int unit, period_t p)
{
    if (g == NULL || !g->ran || g->rc == NULL || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    if (g->m->units[unit].nchildren == 0)
        return 0;
    int32_t key;
    if (p.kind == P_RANGE) {
        if (!engine_covers(g, p))
            return -1;
        key = (int32_t)(1u << 30 | (unsigned)(p.y - g->y0) << 8 | (unsigned)(p.y2 - g->y0));
    } else if ((key = slot_of(g, p)) < 0)
        return -1;
    struct rcache *rc = g->rc;
    const uint8_t *bits = NULL;
    uint8_t *own = NULL;
    pthread_mutex_lock(&rc->pmx);
    for (int k = 0; k < rc->np && bits == NULL; k++)
        if (rc->pkey[k] == key)
            bits = rc->pbits[k];
    pthread_mutex_unlock(&rc->pmx);
    if (bits == NULL) {
        if ((own = partial_build(g, p)) == NULL)
            return -1;
        pthread_mutex_lock(&rc->pmx);
        for (int k = 0; k < rc->np && bits == NULL; k++)
            if (rc->pkey[k] == key)
                bits = rc->pbits[k];            /* another reader built it meanwhile */
        if (bits == NULL && rc->np < PC_MAX) {
            rc->pkey[rc->np] = key;
            rc->pbits[rc->np++] = own;
            bits = own;
            own = NULL;
        }
        pthread_mutex_unlock(&rc->pmx);
    }
    int r = pbit(bits ? bits : own, (size_t)unit * (size_t)g->ninds + (size_t)ind);
    free(own);
    return r;
}
