/* engine_conv.c - the engine's figures on today's structure (successions; engine.h's
 * engine_figure_conv, eval.c's MODE_CUR and MODE_OWN).
 *
 * A unit's figure for time before a succession into it is its predecessors' figures times the
 * shares (chained: a predecessor's own figure is itself converted where it did not exist yet), a
 * period straddling the date folds its sub-periods, formulas take converted operands, and a
 * parent's roll-up on today's structure counts today's units (those created later from
 * predecessors included, those whose figures passed to successors left out).  The rules are
 * eval.c's conv_compute / from_preds / units_on / periods_of and cov_on, cell for cell, on the
 * same fixed point (fixed.h's fx_acc and fx_conv_fold), so the figures agree to the last digit;
 * tests/test_engine_conv.c compares them on random trees.
 *
 * Data flow: the first question about a year builds its table (under cc->mx) from the engine's
 * figures as they were (engine_fig, engine_partial) and the model's successions: a block of
 * every indicator x slot of the year for each unit a succession touches (one below it, or one
 * into it after the year began), on today's structure and, for predecessors and the units below
 * them, as their own figure; blocks in dependency order (children and predecessors first), cells
 * in slot order (sub-periods first), formulas after their operands.  Units no succession touches
 * have no block: their figures are the engine's own.  A block is planned once (which children
 * count, which branch each slot takes, which parts go where, the unit's reported values), then
 * computed a row (19 slots) at a time: children's and parts' rows added in int64 with each addend
 * checked (a row that fails is folded again in 128 bits), cells the rows do not cover by the
 * per-cell rules (compute_cell); the leaves' values the next block reads are asked of memory while
 * one is computed (prefetch_block).  The indicators that are not formulas are shared out between the
 * engine's threads (each every block, its own rows); formulas after, on the calling thread.  A
 * table is kept until the next change (engine_conv_clear from range_clear), at most CT_MAX years;
 * the engine owns them all.
 */
#include "engine_int.h"

#include <float.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"

/* The row loops get a copy for AVX2 machines beside the baseline one, picked at load time (as
 * engine.c's). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(__SANITIZE_THREAD__)
#define HOT __attribute__((target_clones("avx2", "default")))
#else
#define HOT
#endif

#define CT_MAX 8           /* years kept */
#define NMODE 2            /* 0 today's structure (MODE_CUR), 1 a predecessor's own (MODE_OWN) */
#define CF_SRC 0x0F        /* in a cell's flags: enum source */
#define CF_CONV 0x10       /* predecessors' figures went in */
#define CF_PART 0x20       /* partial (coverage) */

enum { UF_BELOW = 1, UF_SUP = 2, UF_TOUCHED = 4, UF_OWN = 8 };
enum { RA_WRITTEN = 1, RA_FIG = 2 };
/* A slot of a block, by compute_cell's branches: no succession after its start and none below the
 * unit (delegated: the figure as it was); none after its start (its own: reported, else today's
 * children, else sub-periods); one after its start, not straddling (from predecessors); one
 * straddling it (sub-periods). */
enum { K_DELEG, K_OWN, K_FROM, K_SPLIT };

typedef struct ctab {
    int yo;                /* year offset in the engine */
    int start[SPY], end[SPY]; /* first and last day of each slot of the year */
    uint8_t *uf;           /* per unit: UF_* */
    int *lastin;           /* per unit: the latest succession date into it, 0 = none */
    int32_t *blk[NMODE];   /* per unit: its block in the mode, -1 = the engine's own figures */
    int nblk[NMODE];
    int64_t *fx[NMODE];    /* [(block * ninds + ind) * SPY + k], FX_NONE without a figure */
    uint8_t *fl[NMODE];    /* source | CF_CONV | CF_PART */
    int32_t *miss[NMODE];
    uint8_t *rowany[NMODE];/* per block and indicator: RA_WRITTEN (its row is in fx, fl, miss at
                            * ridx), RA_FIG a figure in it */
    int32_t *emiss[NMODE]; /* per block and slot: the missing count of a cell of a row without figures */
    int32_t *ridx[NMODE];  /* per block and indicator: its row in fx, fl, miss (rows are appended as
                            * they are computed, so the writes are sequential), -1 not written */
    uint8_t *state;        /* ordering: per (mode, unit) 0 new, 1 on the path, 2 done */
    int *order, norder;    /* (mode << 30 | unit) in dependency order */
    size_t ucap, ccap[NMODE]; /* units and cells the arrays hold (a dropped table's are reused) */
} ctab;

struct conv_cache {
    pthread_mutex_t mx;
    ctab *t[CT_MAX];
    int n;
    ctab *spare[CT_MAX];   /* dropped tables, whose memory the next builds reuse */
    int nspare;
};

static void ctab_free(ctab *t)
{
    if (t == NULL)
        return;
    for (int md = 0; md < NMODE; md++)
        free(t->blk[md]), free(t->fx[md]), free(t->fl[md]), free(t->miss[md]), free(t->rowany[md]);
    for (int md = 0; md < NMODE; md++)
        free(t->emiss[md]), free(t->ridx[md]);
    free(t->uf), free(t->lastin), free(t->state), free(t->order);
    free(t);
}

/* Allocates *p for n elements of size sz; 0 or -1 (OOM). */
static int alloc_n(void **p, size_t n, size_t sz)
{
    *p = malloc(n * sz + 1);
    return *p ? 0 : -1;
}

int engine_conv_init(engine *g)
{
    if ((g->cc = calloc(1, sizeof *g->cc)) == NULL)
        return -1;
    pthread_mutex_init(&g->cc->mx, NULL);
    return 0;
}

void engine_conv_clear(engine *g)
{
    if (g->cc == NULL)
        return;
    struct conv_cache *cc = g->cc;
    for (int k = 0; k < cc->n; k++) {
        if (cc->nspare < CT_MAX)
            cc->spare[cc->nspare++] = cc->t[k];   /* kept for the next build's memory */
        else
            ctab_free(cc->t[k]);
    }
    cc->n = 0;
}

void engine_conv_free(engine *g)
{
    if (g->cc == NULL)
        return;
    engine_conv_clear(g);
    for (int k = 0; k < g->cc->nspare; k++)
        ctab_free(g->cc->spare[k]);
    pthread_mutex_destroy(&g->cc->mx);
    free(g->cc);
    g->cc = NULL;
}

/* ---- reading a cell in a mode (the table's block, else the engine's own figure) ---- */


/* Where cell (b, i, k) of mode md is in fx, fl and miss, or -1 (a row without figures, not written:
 * FX_NONE, no flags, the block's emiss). */
static inline long cell_at(const engine *g, const ctab *t, int md, int b, int i, int k)
{
    int32_t r = t->ridx[md][(size_t)b * (size_t)g->ninds + (size_t)i];
    return r < 0 ? -1 : (long)r * SPY + k;
}

static inline int64_t get_fx(const engine *g, const ctab *t, int md, int u, int i, int k)
{
    int b = t->blk[md][u];
    if (b < 0)
        return engine_fig(g, u, i, t->yo * SPY + k, NULL);
    long at = cell_at(g, t, md, b, i, k);
    return at < 0 ? FX_NONE : t->fx[md][at];
}

/* Whether the figure as it was (historical) is partial: only a unit with children can be. */
static int hist_partial(const engine *g, const ctab *t, int u, int i, int k)
{
    if (g->m->units[u].nchildren == 0)
        return 0;
    return engine_partial(g, i, u, engine_period_of(g, t->yo * SPY + k)) == 1;
}

static int get_part(const engine *g, const ctab *t, int md, int u, int i, int k)
{
    int b = t->blk[md][u];
    if (b < 0)
        return hist_partial(g, t, u, i, k);
    long at = cell_at(g, t, md, b, i, k);
    return at >= 0 && (t->fl[md][at] & CF_PART) != 0;
}

static inline int get_conv(const engine *g, const ctab *t, int md, int u, int i, int k)
{
    int b = t->blk[md][u];
    long at = b >= 0 ? cell_at(g, t, md, b, i, k) : -1;
    return at >= 0 && (t->fl[md][at] & CF_CONV);
}

static inline int valid_at(const engine *g, const ctab *t, int u, int k)
{
    return g->valid[(size_t)u * (size_t)g->ns + (size_t)(t->yo * SPY + k)];
}

/* eval.c's in_structure: child ch counts in its parent's roll-up for slot k in the mode. */
static inline int in_structure(const engine *g, const ctab *t, int md, int ch, int k)
{
    if (md != 0)
        return valid_at(g, t, ch, k);
    return !(t->uf[ch] & UF_SUP) && (valid_at(g, t, ch, k) || t->lastin[ch] > t->start[k]);
}

/* 1 if a succession into u falls on a day of slot k after its first (k straddles it). */
static int straddles(const engine *g, const ctab *t, int u, int k)
{
    int n;
    const int *in = model_preds(g->m, u, &n);
    for (int j = 0; j < n; j++) {
        int d = g->m->succs[in[j]].date;
        if (d > t->start[k] && d <= t->end[k])
            return 1;
    }
    return 0;
}

/* ---- one row (an indicator's 19 slots of the year) ---- */

static const uint8_t no_flags[SPY];    /* the flags of a row without any */

/* The row of a unit without a figure in any slot: what a row flagged empty reads. */
static const int64_t none_row[SPY] = { FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE,
                                       FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE,
                                       FX_NONE, FX_NONE, FX_NONE, FX_NONE, FX_NONE };

/* A row read by the block being computed: a block's own row (x, fl), or the engine's figures as
 * they were (x in scratch, fl NULL: not converted, partial asked of engine_partial when needed). */
typedef struct rowref {
    const int64_t *x;
    const uint8_t *fl;
    int unit;
    const uint8_t *hp;     /* without fl: which of an inner unit's figures are partial (hist_part) */
} rowref;

/* Scratch of one build: rows of the engine's own figures, the refs to the rows a block reads, and
 * what the block's cells ask of it worked out once per block. */
typedef struct bctx {
    const engine *g;
    ctab *t;
    int64_t *scratch;      /* hist_block()s of the units read without a block, ninds * SPY each */
    const int64_t **hb;    /* which: the unit, its children, its predecessors (gather) */
    uint8_t *hany;         /* per scratch block and indicator: the row holds a figure (hist_block) */
    const uint8_t **hba;   /* ... of each hb */
    rowref *kids, *preds;
    int *kidu, nk;         /* the children counting in the block's roll-up in some slot */
    uint8_t *in;           /* per child (kidu) and slot: it counts in the block's roll-up (in_structure) */
    int nin[SPY];          /* per slot: the children counting in it */
    uint8_t *hp;           /* partial flags of rows without a block (partial_rows) */
    uint8_t *pred_on;      /* per predecessor and slot: its succession is dated after the slot's first day */
    int64_t *pv;           /* parts of one cell (from_preds) */
    double *pw;
    double *psh;           /* per predecessor: its share */
    uint64_t *pa;          /* ... as a / 2^pb when it is such a fraction (share_dyadic), else pa 0 */
    int *pb;
    int cap;
    uint8_t need[SPY];     /* the block's unit: a succession into it dated after the slot's first day */
    uint8_t strad[SPY];    /* ... on a day of a quarter, half or year after its first (straddles) */
    uint8_t own_on[SPY];   /* the unit is valid in the slot */
    uint8_t kind[SPY];     /* which of compute_cell's branches the slot takes (K_*), reported aside */
    uint8_t from[SPY];     /* kind is K_FROM */
    int any_from;          /* a slot is K_FROM */
    int own_from;          /* ... one where the unit is valid (its own part goes in) */
    int all_own;           /* every slot is K_OWN (an inner unit no succession goes into this year) */
    uint8_t slots[4][SPY]; /* the slots of each kind (K_*), ascending */
    int nslots[4];
    int first_sub;         /* the first quarter, half or year that is K_SPLIT or K_OWN (else SPY) */
    int inner_hist;        /* a row the block reads is an inner unit's without a block (partial_rows) */
    int64_t *rep;          /* the unit's reported values of the year, ind * SPY + k */
    uint8_t *rep_has;      /* ... and whether there is one */
    int rep_any;
    int cur_md;            /* the mode of the block being computed */
    uint8_t *rep_row;      /* per indicator: the unit reported a figure of it this year */
    uint8_t *act;          /* per indicator: a row to compute (active_rows) */
    int32_t next_row[NMODE]; /* the next row of this build's share of each mode's table */
    int32_t empty_miss[SPY]; /* per slot: its missing parts when no row it reads has a figure */
    int deleg_inner;       /* a slot is K_DELEG at an inner unit (engine_figure: not an empty row) */
    int i0, i1;            /* the indicators this build computes (threads share them out) */
} bctx;

/* fx_fold(agg, x, n) for the sub-periods of a slot (n <= 3): the same figure, summed in int64 and
 * checked for wrapping instead of in 128 bits (a wrapped sum is folded again by fx_fold). */
static inline int64_t fold_few(int agg, const int64_t *x, int n)
{
    int64_t s = 0, mm = x[0];
    int wrap = 0;
    for (int j = 0; j < n; j++) {
        if (x[j] == FX_OVER)
            return FX_OVER;
        wrap |= __builtin_add_overflow(s, x[j], &s);
        if (agg == AGG_LAST || (agg == AGG_MIN ? x[j] < mm : agg == AGG_MAX && x[j] > mm))
            mm = x[j];
    }
    if (agg == AGG_MIN || agg == AGG_MAX || agg == AGG_LAST)
        return mm;
    if (wrap)
        return fx_fold(agg, x, n);
    if (agg == AGG_AVG)
        s = fx_div(s, n);
    return s > FX_MAX || s < -FX_MAX ? FX_OVER : s;
}

/* Quarters, halves and the year of a leaf's row without a reported figure, folded from their
 * sub-periods as fresh() folds them (every one needed).  Sums of a row whose figures all lie in
 * [-2^58, 2^58) take plain int64 adds: twelve of them stay below 2^62 < FX_MAX (as periods_row). */
static void fold_row(int pagg, int64_t *out)
{
    static const int8_t sub[SPY - S_QUARTER][3] = { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 }, { 9, 10, 11 },
                                                    { 12, 13, -1 }, { 14, 15, -1 }, { 16, 17, -1 } };
    uint64_t big = 0;
    for (int k = 0; k < S_YEAR; k++)
        big |= ((uint64_t)(out[k] == FX_NONE ? 0 : out[k]) + ((uint64_t)1 << 58)) >> 59;
    if (pagg == AGG_SUM && !big) {
        for (int k = S_QUARTER; k < SPY; k++) {
            const int8_t *sb = sub[k - S_QUARTER];
            if (out[k] != FX_NONE || out[sb[0]] == FX_NONE || out[sb[1]] == FX_NONE)
                continue;
            if (sb[2] < 0)
                out[k] = out[sb[0]] + out[sb[1]];
            else if (out[sb[2]] != FX_NONE)
                out[k] = out[sb[0]] + out[sb[1]] + out[sb[2]];
        }
        return;
    }
    for (int k = S_QUARTER; k < SPY; k++) {
        if (out[k] != FX_NONE)
            continue;
        const int8_t *sb = sub[k - S_QUARTER];
        int n = sb[2] < 0 ? 2 : 3;
        int64_t x[3] = { out[sb[0]], out[sb[1]], n == 3 ? out[sb[2]] : 0 };
        if (x[0] != FX_NONE && x[1] != FX_NONE && (n == 2 || x[2] != FX_NONE))
            out[k] = fold_few(pagg, x, n);
    }
}

/* A leaf's row of a sum that reports the twelve months of the year and nothing else (the usual
 * one): the months, and the quarters, halves and year as fold_row sums them, without its branches:
 * 1 when every month lies in [-2^58, 2^58) (so that no sum wraps or passes FX_MAX), else 0 and
 * nothing written (fold_row's checked folds). */
static int months_row(const int64_t *restrict v, int64_t *restrict row)
{
    uint64_t big = 0;
    for (int k = 0; k < 12; k++)
        big |= ((uint64_t)v[k] + ((uint64_t)1 << 58)) >> 59;
    if (big)
        return 0;
    memcpy(row, v, 12 * sizeof *row);
    for (int q = 0; q < 4; q++)
        row[S_QUARTER + q] = v[3 * q] + v[3 * q + 1] + v[3 * q + 2];
    row[S_HALF] = row[S_QUARTER] + row[S_QUARTER + 1];
    row[S_HALF + 1] = row[S_QUARTER + 2] + row[S_QUARTER + 3];
    row[S_YEAR] = row[S_HALF] + row[S_HALF + 1];
    return 1;
}

static void hist_block(const engine *g, const ctab *t, int u, int64_t *out, uint8_t *any, int i0, int i1);

/* hist_block of an inner unit without a full block, as fresh() computes each figure but a row at
 * a time: its reported value, else the fold of its children valid in the slot that have a figure,
 * else its sub-periods (every one needed).  0, or -1 (out of memory: nothing written). */
static int hist_inner(const engine *g, const ctab *t, int u, int64_t *out, uint8_t *any, int i0, int i1)
{
    const model *m = g->m;
    size_t per = (size_t)g->ninds * SPY;
    int nk = m->units[u].nchildren, j = 0;
    int64_t *kx = malloc((size_t)nk * per * sizeof *kx);
    uint8_t *rep = malloc(per), *kany = malloc((size_t)nk * (size_t)g->ninds + 1);
    if (kx == NULL || rep == NULL || kany == NULL) {
        free(kx), free(rep), free(kany);
        return -1;
    }
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling, j++)
        hist_block(g, t, ch, kx + (size_t)j * per, kany + (size_t)j * (size_t)g->ninds, i0, i1);
    memset(rep, 0, per);
    size_t off = g->val.off[u], len = g->val.len[u];
    uint32_t base = (uint32_t)(t->yo * SPY);
    for (size_t v = 0; v < len; v++) {
        uint32_t key = g->val.key[off + v], sl = key & g->smask;
        int i = (int)(key >> g->sbits);
        if (sl >= base && sl < base + SPY && i >= i0 && i < i1) {
            size_t at = (size_t)i * SPY + (sl - base);
            out[at] = g->val.fx[off + v], rep[at] = 1;
        }
    }
    for (int i = i0; i < i1; i++) {
        any[i] = 1;
        if (g->isf[i])
            continue;
        int64_t *row = out + (size_t)i * SPY;
        for (int k = 0; k < SPY; k++) {
            size_t at = (size_t)i * SPY + (size_t)k;
            if (rep[at])
                continue;
            fx_acc a = { 0 };
            j = 0;
            for (int ch = m->units[u].first_child; ch >= 0 && g->uagg[i] != AGG_NONE;
                 ch = m->units[ch].next_sibling, j++) {
                int64_t y = kany[(size_t)j * (size_t)g->ninds + (size_t)i] ? kx[(size_t)j * per + at] : FX_NONE;
                if (valid_at(g, t, ch, k) && y != FX_NONE)
                    fx_acc_add(&a, g->uagg[i], y);
            }
            if (a.n > 0) {
                row[k] = fx_acc_get(&a, g->uagg[i]);
                continue;
            }
            int sub[3], n = engine_subs_of(k, sub), all = n > 0;
            int64_t x[3] = { 0, 0, 0 };
            for (int q = 0; q < n && all; q++)
                all = (x[q] = row[sub[q]]) != FX_NONE;
            row[k] = all ? fold_few(g->pagg[i], x, n) : FX_NONE;
        }
    }
    free(kx), free(rep), free(kany);
    return 0;
}

/* The engine's own figures of unit u for the 19 slots of the year, every indicator in [i0, i1) that
 * is not a formula, into out[ind * SPY + k], and whether each row holds a figure into any[ind] (a row
 * with none is left unwritten: readers take none_row): a kept block's rows; a leaf's reported values
 * in one pass over its run (keys ind << sbits | slot, sorted) with the rest folded from them; an
 * inner unit's by hist_inner (else slot by slot). */
static void hist_block(const engine *g, const ctab *t, int u, int64_t *out, uint8_t *any, int i0, int i1)
{
    int base = t->yo * SPY, ni = g->ninds;
    if (g->fb[u] >= 0) {
        for (int i = i0; i < i1; i++) {
            const int64_t *row = g->full + ((size_t)g->fb[u] * (size_t)ni + (size_t)i) * (size_t)g->ns + (size_t)base;
            uint8_t has = 0;
            for (int k = 0; k < SPY; k++)
                has |= row[k] != FX_NONE;
            any[i] = has;
            if (has)
                memcpy(out + (size_t)i * SPY, row, SPY * sizeof *out);
        }
        return;
    }
    if (g->m->units[u].nchildren > 0) {
        if (hist_inner(g, t, u, out, any, i0, i1) == 0)
            return;
        for (int i = i0; i < i1; i++) {
            any[i] = 1;
            for (int k = 0; k < SPY && !g->isf[i]; k++)
                out[(size_t)i * SPY + (size_t)k] = engine_fig(g, u, i, base + k, NULL);
        }
        return;
    }
    memset(any + i0, 0, (size_t)(i1 - i0));
    size_t off = g->val.off[u], len = g->val.len[u], j = 0;
    const uint32_t *key = g->val.key + off;
    if (i0 > 0) {
        long at = engine_csr_find(&g->val, u, (uint32_t)i0 << g->sbits);
        j = (size_t)(at >= 0 ? at : -at - 1);
    }
    size_t skip = 0;                            /* keys before the year's in the last row */
    for (int i = i0; i < i1 && j < len; i++) {
        int next = (int)(key[j] >> g->sbits);
        if (next > i) {                         /* none of the indicators before it (most at L) */
            if (next >= i1)
                break;
            i = next;
        }
        uint32_t key0 = (uint32_t)i << g->sbits | (uint32_t)base;
        size_t j0 = j;
        if (skip > 0 && j + skip <= len && key[j + skip - 1] < key0 && (j + skip == len || key[j + skip] >= key0))
            j += skip;                          /* as many as in the last row (the usual case) */
        else
            while (j < len && key[j] < key0)
                j++;
        skip = j - j0;
        if (j >= len || key[j] >= key0 + SPY)
            continue;
        int64_t *row = out + (size_t)i * SPY;
        any[i] = 1;
        if (j + 12 <= len && key[j + 11] == key0 + 11 && (j + 12 == len || key[j + 12] >= key0 + SPY) &&
            g->pagg[i] == AGG_SUM && !g->isf[i] && months_row(g->val.fx + off + j, row)) {
            j += 12;                            /* the usual row: twelve months, nothing else */
            continue;
        }
        for (int k = 0; k < SPY; k++)
            row[k] = FX_NONE;
        for (; j < len && key[j] < key0 + SPY; j++)
            row[key[j] - key0] = g->val.fx[off + j];
        if (!g->isf[i])
            fold_row(g->pagg[i], row);
    }
}

/* The row of (md, u, i): the block's, else the engine's own from hb (u's hist_block). */
static rowref row_of(const bctx *c, int md, int u, int i, const int64_t *hb, const uint8_t *hany)
{
    const ctab *t = c->t;
    int b = md >= 0 ? t->blk[md][u] : -1;
    if (b >= 0) {
        size_t ri = (size_t)b * (size_t)c->g->ninds + (size_t)i;
        int32_t r = t->ridx[md][ri];
        if (r < 0)
            return (rowref){ none_row, no_flags, u, NULL };
        return (rowref){ (t->rowany[md][ri] & RA_FIG) ? t->fx[md] + (size_t)r * SPY : none_row,
                         t->fl[md] + (size_t)r * SPY, u, NULL };
    }
    return (rowref){ hany[i] ? hb + (size_t)i * SPY : none_row, NULL, u, NULL };
}

static inline int ref_part(const bctx *c, const rowref *r, int i, int k)
{
    (void)c, (void)i;
    if (r->fl)
        return (r->fl[k] & CF_PART) != 0;
    return r->hp && r->hp[k];
}

/* The engine's own figures of (u, i) for the 19 slots of the year (one unit, one indicator that is
 * not a formula): as hist_block. */
static void hist_row(const engine *g, const ctab *t, int u, int i, int64_t *out)
{
    int base = t->yo * SPY;
    if (g->fb[u] >= 0) {
        memcpy(out, g->full + ((size_t)g->fb[u] * (size_t)g->ninds + (size_t)i) * (size_t)g->ns + (size_t)base,
               SPY * sizeof *out);
        return;
    }
    if (g->m->units[u].nchildren > 0) {
        for (int k = 0; k < SPY; k++)
            out[k] = engine_fig(g, u, i, base + k, NULL);
        return;
    }
    for (int k = 0; k < SPY; k++)
        out[k] = FX_NONE;
    uint32_t key0 = (uint32_t)i << g->sbits | (uint32_t)base;
    long at = engine_csr_find(&g->val, u, key0);
    size_t off = g->val.off[u];
    for (long j = at >= 0 ? at : -at - 1; j < (long)g->val.len[u]; j++) {
        uint32_t key = g->val.key[off + (size_t)j];
        if (key >= key0 + SPY)
            break;
        out[key - key0] = g->val.fx[off + (size_t)j];
    }
    fold_row(g->pagg[i], out);
}

/* Which figures of inner unit u's row x (indicator i, not a formula, the engine's own) are partial,
 * into p: eval.c's cov_of over the unit's subtree as it was (no succession touches it) — reported:
 * whole; from child units: one valid in the slot without a figure, or a partial one; from
 * sub-periods: one partial.  Instead of engine_partial, whose first question about a slot walks
 * the whole tree. */
static int hist_part(const engine *g, const ctab *t, int u, int i, const int64_t *x, uint8_t *p)
{
    const model *m = g->m;
    int base = t->yo * SPY, nvalid[SPY] = { 0 }, nwith[SPY] = { 0 };
    uint8_t anyp[SPY] = { 0 };
    int64_t *cx = malloc(SPY * sizeof *cx);
    uint8_t *cp = malloc(SPY);
    if (cx == NULL || cp == NULL) {
        free(cx), free(cp);
        return -1;
    }
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        hist_row(g, t, ch, i, cx);
        memset(cp, 0, SPY);
        if (m->units[ch].nchildren > 0 && hist_part(g, t, ch, i, cx, cp) != 0) {
            free(cx), free(cp);
            return -1;
        }
        for (int k = 0; k < SPY; k++) {
            if (!valid_at(g, t, ch, k))
                continue;
            nvalid[k]++;
            if (cx[k] != FX_NONE)
                nwith[k]++, anyp[k] |= cp[k];
        }
    }
    free(cx), free(cp);
    for (int k = 0; k < SPY; k++) {
        p[k] = 0;
        if (x[k] == FX_NONE || engine_csr_find(&g->val, u, (uint32_t)i << g->sbits | (uint32_t)(base + k)) >= 0)
            continue;
        if (g->uagg[i] != AGG_NONE && nwith[k] > 0)
            p[k] = nvalid[k] > nwith[k] || anyp[k];
        else {
            int sub[3], n = engine_subs_of(k, sub);
            for (int j = 0; j < n; j++)
                p[k] |= p[sub[j]];
        }
    }
    return 0;
}

static inline int ref_conv(const rowref *r, int k)
{
    return r->fl && (r->fl[k] & CF_CONV);
}

typedef struct cell_out {
    int64_t x;
    int src, miss, conv, part;
} cell_out;

/* from_preds: the unit's own figure as it was (own, when it existed in k) and its predecessors'
 * own figures (successions dated after k's first day: c->pred_on) times the shares; every part
 * must have one. */
static void from_preds(bctx *c, int u, int i, int k, const rowref *own, int np, cell_out *o)
{
    const model *m = c->g->m;
    int n, got = 0, miss = 0, part = 0;
    const int *in = model_preds(m, u, &n);
    int64_t *vals = c->pv;
    double *w = c->pw;
    if (c->own_on[k]) {
        if (own->x[k] != FX_NONE)
            vals[got] = own->x[k], w[got++] = 1, part |= ref_part(c, own, i, k);
        else
            miss++;
    }
    for (int j = 0; j < np; j++) {
        const rowref *r = &c->preds[j];
        if (!c->pred_on[(size_t)j * SPY + (size_t)k])
            continue;
        if (r->x[k] != FX_NONE)
            vals[got] = r->x[k], w[got++] = m->succs[in[j]].share, part |= ref_part(c, r, i, k);
        else
            miss++;
    }
    o->src = SRC_UNITS;
    if (got > 0 && miss == 0) {
        o->x = fx_conv_fold(m->inds[i].uagg, vals, w, got);
        o->miss = 0;
        o->part = part;
    } else
        o->miss = miss;
}

/* Today's child units in the mode, for the 19 slots of the row at once (c->kids, nk rows; c->in:
 * which count in each slot): the fold of those with a figure (u->n of them), how many have none,
 * whether one is partial or converted. */
typedef struct ufold {
    int64_t x[SPY];
    int n[SPY], miss[SPY];
    uint8_t part[SPY], conv[SPY];
} ufold;

/* The fold of slot k exactly (fx_acc, 128 bits): for a sum units_fold found wrapping in int64. */
static int64_t units_fold_wide(const bctx *c, int agg, int nk, int k)
{
    fx_acc a = { 0 };
    for (int j = 0; j < nk; j++) {
        int64_t y = c->kids[j].x[k];
        if (c->in[(size_t)j * SPY + (size_t)k] && y != FX_NONE)
            fx_acc_add(&a, agg, y);
    }
    return fx_acc_get(&a, agg);
}

/* fx_acc's fold of the children's rows, slot by slot, in int64: a sum that wraps is folded again
 * in 128 bits (units_fold_wide), so the figures are fx_acc's to the last digit. */
static void units_fold_any(bctx *c, int i, int nk, ufold *u)
{
    int64_t s[SPY] = { 0 }, mm[SPY] = { 0 };
    uint8_t over[SPY] = { 0 }, wrap[SPY] = { 0 };
    memset(u->n, 0, sizeof u->n);
    memset(u->miss, 0, sizeof u->miss);
    memset(u->part, 0, sizeof u->part);
    memset(u->conv, 0, sizeof u->conv);
    int agg = c->g->uagg[i], ext = agg == AGG_MIN || agg == AGG_MAX || agg == AGG_LAST;
    for (int j = 0; j < nk; j++) {
        const rowref *r = &c->kids[j];
        const uint8_t *in = c->in + (size_t)j * SPY;
        for (int k = 0; k < SPY; k++) {
            if (!in[k])
                continue;
            int64_t y = r->x[k];
            if (y == FX_NONE) {
                u->miss[k]++;
                continue;
            }
            if (y == FX_OVER)
                over[k] = 1;
            else if (!ext)
                wrap[k] |= (uint8_t)__builtin_add_overflow(s[k], y, &s[k]);
            if (ext && (u->n[k] == 0 || agg == AGG_LAST || (agg == AGG_MIN ? y < mm[k] : y > mm[k])))
                mm[k] = y;
            u->n[k]++;
            u->part[k] |= (uint8_t)ref_part(c, r, i, k);
            u->conv[k] |= (uint8_t)ref_conv(r, k);
        }
    }
    for (int k = 0; k < SPY; k++) {
        int64_t x = FX_NONE;
        if (u->n[k] == 0)
            x = FX_NONE;
        else if (over[k])
            x = FX_OVER;
        else if (ext)
            x = mm[k];
        else if (wrap[k])
            x = units_fold_wide(c, agg, nk, k);
        else {
            x = agg == AGG_AVG ? fx_div(s[k], u->n[k]) : s[k];
            x = x > FX_MAX || x < -FX_MAX ? FX_OVER : x;
        }
        u->x[k] = x;
    }
}

#define SMALL ((uint64_t)1 << 47)   /* as engine.c: int64 sums of fewer than MAX_SMALL_KIDS figures */
#define MAX_SMALL_KIDS 63948        /* in [-SMALL, SMALL) stay below FX_MAX, with no check */


/* Where a row's partial and converted flags are read: its block's flags, the partial flags of
 * hist_part, or none (pf, with the bits pm and cm). */
static inline void flag_src(const rowref *r, const uint8_t **pf, uint8_t *pm, uint8_t *cm)
{
    if (r->fl)
        *pf = r->fl, *pm = CF_PART, *cm = CF_CONV;
    else if (r->hp)
        *pf = r->hp, *pm = 1, *cm = 0;
    else
        *pf = no_flags, *pm = 0, *cm = 0;
}

/* units_fold_any for sums and averages, a row at a time without branches (vectorised): every
 * figure is checked to lie in [-SMALL, SMALL) as it is added (FX_OVER does not), so the int64
 * sums are exact; a row with a larger figure, or a unit with too many children, is folded again by
 * units_fold_any.  Only the sums and counts go through every child's row: the missing count is
 * the children counting in the slot (c->nin) less those with a figure, and the partial and
 * converted marks are read only from the rows that can carry them (ufold_marks). */
typedef struct uacc {
    uint64_t s[SPY], n[SPY], big;
} uacc;

/* One child's row added (first: set, so that nothing needs zeroing first; a memset of these few
 * bytes costs more than the loop). */
static inline void uacc_kid(uacc *restrict a, const int64_t *restrict x, const uint8_t *restrict in, int first)
{
    uint64_t big = 0;
    for (int k = 0; k < SPY; k++) {
        uint64_t has = (uint64_t)in[k] & (uint64_t)(x[k] != FX_NONE), v = (uint64_t)x[k] & -has;
        big |= (v + SMALL) >> 48;
        if (first)
            a->s[k] = v, a->n[k] = has;
        else
            a->s[k] += v, a->n[k] += has;
    }
    a->big = first ? big : a->big | big;
}

/* The partial and converted marks of the fold, OR-ed per slot into acc (CF_PART, CF_CONV): from
 * the children's rows that have flags (a block's, where a slot without a figure has none, or
 * hist_part's of an inner unit, likewise); a leaf's own figures have none. */
static void marks_acc(const bctx *c, int nk, uint8_t *restrict acc)
{
    memset(acc, 0, SPY);
    for (int j = 0; j < nk; j++) {
        const rowref *r = &c->kids[j];
        const uint8_t *restrict in = c->in + (size_t)j * SPY;
        if (r->x == none_row)
            continue;                           /* no figure, no marks */
        if (r->fl != NULL)
            for (int k = 0; k < SPY; k++)
                acc[k] |= (uint8_t)(r->fl[k] & -in[k] & (CF_PART | CF_CONV));
        else if (r->hp != NULL)
            for (int k = 0; k < SPY; k++)
                acc[k] |= (uint8_t)((r->hp[k] & in[k]) ? CF_PART : 0);
    }
}

static void ufold_marks(const bctx *c, int nk, ufold *u)
{
    uint8_t acc[SPY];
    marks_acc(c, nk, acc);
    for (int k = 0; k < SPY; k++)
        u->part[k] = (acc[k] & CF_PART) != 0, u->conv[k] = (acc[k] & CF_CONV) != 0;
}

/* The sums and counts of the children's rows (uacc_kid), those without any figure left out: they
 * add nothing (at L most children have none of most indicators). */
static inline void uacc_kids(const bctx *c, int nk, uacc *a)
{
    int j = 0;
    while (j < nk && c->kids[j].x == none_row)
        j++;
    if (j == nk) {
        memset(a->s, 0, sizeof a->s);
        memset(a->n, 0, sizeof a->n);
        a->big = 0;
        return;
    }
    uacc_kid(a, c->kids[j].x, c->in + (size_t)j * SPY, 1);
    for (j++; j < nk; j++)
        if (c->kids[j].x != none_row)
            uacc_kid(a, c->kids[j].x, c->in + (size_t)j * SPY, 0);
}

HOT static void units_fold(bctx *c, int i, int nk, ufold *u)
{
    int agg = c->g->uagg[i];
    if ((agg != AGG_SUM && agg != AGG_AVG) || nk >= MAX_SMALL_KIDS) {
        units_fold_any(c, i, nk, u);
        return;
    }
    uacc a;
    uacc_kids(c, nk, &a);
    if (a.big) {
        units_fold_any(c, i, nk, u);
        return;
    }
    for (int k = 0; k < SPY; k++) {
        int64_t x = (int64_t)a.s[k];
        u->n[k] = (int)a.n[k], u->miss[k] = c->nin[k] - (int)a.n[k];
        if (agg == AGG_AVG && a.n[k] > 0)
            x = fx_div(x, (int64_t)a.n[k]);
        u->x[k] = a.n[k] == 0 ? FX_NONE : x > FX_MAX || x < -FX_MAX ? FX_OVER : x;
    }
    ufold_marks(c, nk, u);
}

static void periods_cell(const engine *g, int i, int k, const int64_t *x, const uint8_t *fl, cell_out *o);

/* The usual row of an inner unit (every slot its own, nothing reported, a sum or average):
 * units_fold and row_fast's own slots in one, straight into x, fl, miss.  Returns whether a slot
 * has a figure, or -1 (nothing written) when a child's figure fails the int64 check: then
 * units_fold_any and row_fast or row_cells. */
HOT static int row_units(bctx *c, int i, int nk, int64_t *x, uint8_t *fl, int32_t *miss)
{
    int agg = c->g->uagg[i], has = 0;
    uacc a;
    uint8_t acc[SPY];
    uacc_kids(c, nk, &a);
    if (a.big)
        return -1;
    marks_acc(c, nk, acc);
    if (agg == AGG_AVG)
        for (int k = 0; k < SPY; k++)
            if (a.n[k] > 0)
                a.s[k] = (uint64_t)fx_div((int64_t)a.s[k], (int64_t)a.n[k]);
    for (int k = 0; k < SPY; k++) {           /* |sum| < MAX_SMALL_KIDS * SMALL < FX_MAX: no check */
        int64_t n = (int64_t)a.n[k];
        int32_t ms = c->nin[k] - (int32_t)n;
        x[k] = n == 0 ? FX_NONE : (int64_t)a.s[k];
        miss[k] = n == 0 ? 0 : ms;
        fl[k] = n == 0 ? SRC_NONE : (uint8_t)(SRC_UNITS | acc[k] | (ms > 0 ? CF_PART : 0));
        has |= n > 0;
    }
    for (int k = S_QUARTER; k < SPY; k++) {
        if (a.n[k] > 0)
            continue;
        cell_out o = { FX_NONE, SRC_NONE, 0, 0, 0 };
        periods_cell(c->g, i, k, x, fl, &o);
        if (o.x == FX_NONE)
            continue;
        x[k] = o.x;
        fl[k] = (uint8_t)(o.src | (o.conv ? CF_CONV : 0) | (o.part ? CF_PART : 0));
        has = 1;
    }
    return has;
}

/* The figure of a formula over the unit's operands in the mode (eval.c's formula_of); operands
 * are earlier rows of the same block. */
static void formula_cell(const engine *g, const ctab *t, int md, int u, int i, int k, cell_out *o)
{
    const ind_t *d = &g->m->inds[i];
    int nv = formula_nvars(d->f), over = 0, part = 0, conv = 0;
    double vals[FORMULA_MAX_DEPTH * 4];
    unsigned char got[FORMULA_MAX_DEPTH * 4];
    o->src = SRC_FORMULA;
    if (nv > (int)(sizeof vals / sizeof vals[0]))
        return;
    for (int j = 0; j < nv; j++) {
        int64_t y = get_fx(g, t, md, u, d->fvars[j], k);
        if (y == FX_NONE)
            return;
        got[j] = 1;
        over |= y == FX_OVER;
        vals[j] = y == FX_OVER ? 0 : fx_val(y);
        part |= get_part(g, t, md, u, d->fvars[j], k);
        conv |= get_conv(g, t, md, u, d->fvars[j], k);
    }
    o->x = engine_formula_fx(d, vals, got, nv, over);
    o->part = part;
    o->conv |= conv;
}

/* The fold of the sub-periods of k in the row being made (x, fl), all of which must have a
 * figure (eval.c's periods_of). */
static void periods_cell(const engine *g, int i, int k, const int64_t *x, const uint8_t *fl, cell_out *o)
{
    int sub[3], n = engine_subs_of(k, sub), part = 0, conv = 0;
    int64_t y[3];
    o->src = SRC_PERIODS, o->miss = 0;
    for (int j = 0; j < n; j++) {
        if ((y[j] = x[sub[j]]) == FX_NONE)
            return;
        part |= (fl[sub[j]] & CF_PART) != 0;
        conv |= (fl[sub[j]] & CF_CONV) != 0;
    }
    if (n > 0) {
        o->x = fold_few(g->pagg[i], y, n);
        o->part = part;
        o->conv |= conv;
    }
}

/* Coverage of a figure from predecessors at a unit that has today's units below it: partial when
 * a part is, or a unit below has no figure or a partial one (eval.c's cov_on). */
static int children_partial(bctx *c, int i, int k, int nk, int parts_partial)
{
    int expected = 0, reported = 0, pc = 0;
    for (int j = 0; j < nk; j++) {
        const rowref *r = &c->kids[j];
        if (!c->in[(size_t)j * SPY + (size_t)k])
            continue;
        expected++;
        if (r->x[k] == FX_NONE)
            continue;
        reported++;
        pc += ref_part(c, r, i, k);
    }
    if (expected == 0)
        return parts_partial;
    return parts_partial || reported < expected || pc > 0;
}

/* The cell (md, u, i, k) of a unit with a block (eval.c's conv_compute and cov_on), given the rows
 * it reads: own (the unit's own figures as they were), the children's (c->kids, nk) and the
 * predecessors' (c->preds, np), and the row being made (x, fl: slots before k are done). */
static void compute_cell(bctx *c, int u, int i, int k, const rowref *own, int nk, int np, const ufold *uf,
                         const int64_t *x, const uint8_t *fl, cell_out *o)
{
    const engine *g = c->g;
    const ctab *t = c->t;
    int s = t->yo * SPY + k, need = c->need[k];
    size_t at = (size_t)i * SPY + (size_t)k;
    int rep = c->rep_any && c->rep_has[at];
    *o = (cell_out){ FX_NONE, SRC_NONE, 0, need, 0 };
    if (!need && !(t->uf[u] & UF_BELOW)) {       /* eval.c delegates: the figure as it was */
        int src = SRC_NONE, miss = 0;
        if (g->m->units[u].nchildren == 0 && !g->isf[i]) {
            o->x = own->x[k];                   /* a leaf: reported, else its sub-periods */
            src = rep ? SRC_REPORTED : SRC_PERIODS;
        } else
            engine_figure(g, i, u, engine_period_of(g, s), &o->x, &src, &miss);
        o->src = src, o->miss = miss, o->conv = 0;
        o->part = o->x != FX_NONE && hist_partial(g, t, u, i, k);
    } else if (!need && rep) {
        o->x = c->rep[at];
        o->src = SRC_REPORTED;
    } else if (g->isf[i])
        formula_cell(g, t, c->cur_md, u, i, k, o);
    else if (need && !c->strad[k]) {
        from_preds(c, u, i, k, own, np, o);
        if (o->x != FX_NONE)
            o->part = children_partial(c, i, k, nk, o->part);
    } else {
        if (!need && g->uagg[i] != AGG_NONE && nk > 0 && uf->n[k] > 0) {
            o->x = uf->x[k];
            o->src = SRC_UNITS;
            o->miss = uf->miss[k];
            o->part = uf->part[k] || o->miss > 0;
            o->conv |= uf->conv[k];
        } else
            periods_cell(g, i, k, x, fl, o);
    }
    if (o->x == FX_NONE)
        o->src = SRC_NONE, o->conv = 0, o->part = 0;
}

/* The parts of the K_FROM slots of a sum's row, added a row at a time: per slot the sum of the
 * parts (round(x × share), fx_conv_part) and how many have a figure (those without one are the
 * slot's parts, c->empty_miss, less these), whether one is partial.  Every part is checked to lie
 * in [-SMALL, SMALL) as it is added, so with fewer than MAX_SMALL_KIDS parts the int64 sums are
 * exact; big when one does not (or is FX_OVER): then from_preds does the row's K_FROM slots. */
typedef struct prow {
    int64_t s[SPY];
    uint64_t got[SPY];
    uint8_t part[SPY];
    uint64_t big;
} prow;

/* Adds one part's row to p: a whole share (a == 1, b == 0), a share a / 2^b (b >= 1: the part in
 * integers, see share_dyadic), or any other (a == 0: fx_conv_part).  first: sets the sums and
 * counts (a whole share only), so nothing needs zeroing before. */
static inline void prow_add(const bctx *c, prow *p, const rowref *r, double w, uint64_t a, int b,
                            const uint8_t *on, int first)
{
    const int64_t *restrict x = r->x;
    const uint8_t *restrict from = c->from, *restrict o = on;
    uint64_t big = 0;
    if (a == 1 && b == 0) {
        for (int k = 0; k < SPY; k++) {
            uint64_t m = (uint64_t)(from[k] & o[k]), has = m & (uint64_t)(x[k] != FX_NONE);
            uint64_t v = (uint64_t)x[k] & -has;
            big |= (v + SMALL) >> 48;
            if (first)
                p->s[k] = (int64_t)v, p->got[k] = has;
            else
                p->s[k] = (int64_t)((uint64_t)p->s[k] + v), p->got[k] += has;
        }
    } else if (a != 0) {
        uint64_t half = (uint64_t)1 << (b - 1);
        for (int k = 0; k < SPY; k++) {
            uint64_t m = (uint64_t)(from[k] & o[k]), has = m & (uint64_t)(x[k] != FX_NONE);
            uint64_t v = (uint64_t)x[k] & -has, neg = -(v >> 63), mag = (v ^ neg) - neg;
            big |= (v + SMALL) >> 48;             /* then |part| <= |x| < SMALL */
            uint64_t q = (mag * a + half) >> b;
            p->s[k] = (int64_t)((uint64_t)p->s[k] + ((q ^ neg) - neg));
            p->got[k] += has;
        }
    } else {
        for (int k = 0; k < SPY; k++) {
            if (!(from[k] & o[k]) || x[k] == FX_NONE)
                continue;
            int64_t part = fx_conv_part(x[k], w);
            big |= part == FX_OVER || part < -(int64_t)SMALL || part >= (int64_t)SMALL;
            p->s[k] += big ? 0 : part;
            p->got[k]++;
        }
    }
    p->big = first ? big : p->big | big;
    if (r->fl != NULL || r->hp != NULL) {         /* only such rows have partial figures */
        const uint8_t *pf;
        uint8_t pm, cm;
        flag_src(r, &pf, &pm, &cm);
        for (int k = 0; k < SPY; k++)
            p->part[k] |= (uint8_t)((from[k] & o[k]) && x[k] != FX_NONE && (pf[k] & pm));
    }
}

/* The parts' sums of the row: its own figures and the predecessors', those without any figure
 * left out (they add nothing: their slots count among the missing by c->empty_miss). */
HOT static void prow_make(const bctx *c, const rowref *own, int np, prow *p)
{
    int q = 0;
    memset(p->part, 0, sizeof p->part);
    while (q < np && c->preds[q].x == none_row)
        q++;
    if (own->x && c->own_from && own->x != none_row)
        prow_add(c, p, own, 1, 1, 0, c->own_on, 1);
    else if (q < np && c->pa[q] == 1 && c->pb[q] == 0)   /* only a whole share sets p */
        prow_add(c, p, &c->preds[q], 1, 1, 0, c->pred_on + (size_t)q * SPY, 1), q++;
    else {
        memset(p->s, 0, sizeof p->s);
        memset(p->got, 0, sizeof p->got);
        p->big = 0;
    }
    for (; q < np; q++)
        if (c->preds[q].x != none_row)
            prow_add(c, p, &c->preds[q], c->psh[q], c->pa[q], c->pb[q], c->pred_on + (size_t)q * SPY, 0);
    p->big |= np + 1 >= MAX_SMALL_KIDS;
}

/* The row (u, i) of a non-formula indicator into x, fl, miss, slot by slot in ascending order:
 * the slots' branches as compute_cell takes them, with the parts of a sum's K_FROM slots added a
 * row at a time (prow, pp; NULL when the row has none or is not a sum) and the children's counts
 * from uf; what this does not cover (a delegated inner unit, other aggregations' parts, a part too
 * large) goes through compute_cell.  compute_row's general case. */
static void row_cells(bctx *c, int u, int i, const rowref *own, int nk, int np, const ufold *uf, const prow *pp,
                      int64_t *x, uint8_t *fl, int32_t *miss)
{
    const engine *g = c->g;
    int leaf = g->m->units[u].nchildren == 0, ufok = nk > 0 && g->uagg[i] != AGG_NONE;
    int sums = pp != NULL;
    const int64_t *rep = c->rep + (size_t)i * SPY;
    const uint8_t *rh = c->rep_any ? c->rep_has + (size_t)i * SPY : no_flags;
    const prow *pr = pp;
    for (int k = 0; k < SPY; k++) {
        cell_out o = { FX_NONE, SRC_NONE, 0, c->need[k], 0 };
        int kind = c->kind[k];
        if ((kind == K_DELEG && !leaf) || (kind == K_FROM && (!sums || pr->big)))
            compute_cell(c, u, i, k, own, nk, np, uf, x, fl, &o);
        else if (kind == K_DELEG) {
            o.x = own->x[k];                    /* a leaf: reported, else its sub-periods */
            o.src = rh[k] ? SRC_REPORTED : SRC_PERIODS;
        } else if (kind == K_OWN && rh[k]) {
            o.x = rep[k];
            o.src = SRC_REPORTED;
        } else if (kind == K_OWN && ufok && uf->n[k] > 0) {
            o.x = uf->x[k];
            o.src = SRC_UNITS;
            o.miss = uf->miss[k];
            o.part = uf->part[k] || o.miss > 0;
            o.conv = uf->conv[k];
        } else if (kind == K_FROM) {
            o.src = SRC_UNITS;
            if (pr->got[k] > 0 && (int)pr->got[k] == c->empty_miss[k]) {
                o.x = pr->s[k] > FX_MAX || pr->s[k] < -FX_MAX ? FX_OVER : pr->s[k];
                o.part = pr->part[k];
                if (nk > 0 && uf->n[k] + uf->miss[k] > 0)     /* children_partial */
                    o.part = o.part || uf->miss[k] > 0 || uf->part[k];
            } else
                o.miss = c->empty_miss[k] - (int)pr->got[k];
        } else
            periods_cell(g, i, k, x, fl, &o);
        if (o.x == FX_NONE)
            o.src = SRC_NONE, o.conv = 0, o.part = 0;
        x[k] = o.x;
        fl[k] = (uint8_t)(o.src | (o.conv ? CF_CONV : 0) | (o.part ? CF_PART : 0));
        miss[k] = o.miss;
    }
}



/* One slot of row_fast's first pass: no figure, no flags (left to the second). */
#define SLOT_NONE(k) (x[k] = FX_NONE, fl[k] = SRC_NONE, miss[k] = 0)

/* row_cells for a row whose slots all take branches without a per-cell rule: leaf's delegated
 * slots, own slots (reported, else today's children, else sub-periods), K_FROM slots of a sum
 * whose parts passed the int64 check (pr), straddled slots (sub-periods).  First every slot but
 * those from sub-periods, with selects instead of compute_cell's branches, then those in ascending
 * order (their sub-periods are done by then). */
static void row_fast(bctx *c, int i, const rowref *own, int nk, const ufold *uf, const prow *pr, int64_t *x,
                     uint8_t *fl, int32_t *miss)
{
    const engine *g = c->g;
    int ufok = nk > 0 && g->uagg[i] != AGG_NONE;
    const int64_t *rep = c->rep + (size_t)i * SPY;
    const uint8_t *rh = c->rep_any ? c->rep_has + (size_t)i * SPY : no_flags;
    const uint8_t *sl = c->slots[K_DELEG];
    for (int j = 0; j < c->nslots[K_DELEG]; j++) {     /* a leaf: reported, else its sub-periods */
        int k = sl[j];
        x[k] = own->x[k], miss[k] = 0;
        fl[k] = x[k] == FX_NONE ? SRC_NONE : rh[k] ? SRC_REPORTED : SRC_PERIODS;
    }
    sl = c->slots[K_OWN];
    for (int j = 0; j < c->nslots[K_OWN]; j++) {
        int k = sl[j];
        if (rh[k])
            x[k] = rep[k], fl[k] = SRC_REPORTED, miss[k] = 0;
        else if (ufok && uf->n[k] > 0) {
            x[k] = uf->x[k], miss[k] = uf->miss[k];
            fl[k] = (uint8_t)(SRC_UNITS | (uf->conv[k] ? CF_CONV : 0) | (uf->part[k] || uf->miss[k] > 0 ? CF_PART : 0));
        } else
            SLOT_NONE(k);
    }
    /* the parts' sums: fewer than MAX_SMALL_KIDS parts in ±SMALL (else pr->big), within ±FX_MAX */
    if (nk == 0 && c->nslots[K_FROM] == SPY)   /* a new unit's row of a year before it */
        for (int k = 0; k < SPY; k++) {
            int got = (int)pr->got[k], ok = got > 0 && got == c->empty_miss[k];
            x[k] = ok ? pr->s[k] : FX_NONE;
            fl[k] = (uint8_t)(ok ? SRC_UNITS | CF_CONV | (pr->part[k] ? CF_PART : 0) : SRC_NONE);
            miss[k] = ok ? 0 : c->empty_miss[k] - got;
        }
    else
        for (int j = 0; j < c->nslots[K_FROM]; j++) {
            int k = c->slots[K_FROM][j], got = (int)pr->got[k], ok = got > 0 && got == c->empty_miss[k];
            int part = pr->part[k];
            if (nk > 0 && uf->n[k] + uf->miss[k] > 0)     /* children_partial */
                part = part || uf->miss[k] > 0 || uf->part[k];
            x[k] = ok ? pr->s[k] : FX_NONE;
            fl[k] = (uint8_t)(ok ? SRC_UNITS | CF_CONV | (part ? CF_PART : 0) : SRC_NONE);
            miss[k] = ok ? 0 : c->empty_miss[k] - got;
        }
    for (int j = 0; j < c->nslots[K_SPLIT]; j++)
        SLOT_NONE(c->slots[K_SPLIT][j]);
    for (int k = c->first_sub; k < SPY; k++) {
        if (x[k] != FX_NONE || (c->kind[k] != K_SPLIT && c->kind[k] != K_OWN))
            continue;
        cell_out o = { FX_NONE, SRC_NONE, 0, c->need[k], 0 };
        periods_cell(g, i, k, x, fl, &o);
        if (o.x == FX_NONE)
            continue;
        x[k] = o.x;
        fl[k] = (uint8_t)(o.src | (o.conv ? CF_CONV : 0) | (o.part ? CF_PART : 0));
    }
}
#undef SLOT_NONE

/* The row (u, i) of a non-formula indicator into x, fl, miss: row_fast when it covers it, else
 * row_cells.  Returns whether a slot has a figure. */
static int compute_row(bctx *c, int u, int i, const rowref *own, int nk, int np, const ufold *uf, int64_t *x,
                       uint8_t *fl, int32_t *miss)
{
    prow pr;
    const prow *pp = NULL;
    if (c->any_from && c->g->uagg[i] == AGG_SUM) {
        prow_make(c, own, np, &pr);
        pp = &pr;
    }
    if (!c->deleg_inner && (!c->any_from || (pp != NULL && !pr.big)))
        row_fast(c, i, own, nk, uf, pp, x, fl, miss);
    else
        row_cells(c, u, i, own, nk, np, uf, pp, x, fl, miss);
    uint8_t has = 0;
    for (int k = 0; k < SPY; k++)
        has |= x[k] != FX_NONE;
    return has;
}

/* The partial flags of the rows read from inner units without a block (hist_part), into c->hp;
 * 0 or -1 (OOM). */
static int partial_rows(bctx *c, rowref *own, int nk, int np, int i)
{
    int n = 0;
    rowref *all[3] = { own, c->kids, c->preds };
    int cnt[3] = { own->x != NULL, nk, np };
    for (int g3 = 0; g3 < 3; g3++)
        for (int j = 0; j < cnt[g3]; j++) {
            rowref *r = &all[g3][j];
            if (r->fl || c->g->m->units[r->unit].nchildren == 0 || r->x == none_row)
                continue;                       /* an empty row has no partial figure */
            uint8_t *p = c->hp + (size_t)n++ * SPY;
            if (hist_part(c->g, c->t, r->unit, i, r->x, p) != 0)
                return -1;
            r->hp = p;
        }
    return 0;
}

/* Makes room in c for a unit with nk children and np predecessors; 0 or -1 (OOM). */
static int bctx_room(bctx *c, int nk, int np)
{
    size_t per = (size_t)c->g->ninds * SPY;
    if (c->rep == NULL) {
        c->rep = malloc(per * sizeof *c->rep);
        c->rep_has = malloc(per);
        c->rep_row = malloc((size_t)c->g->ninds + 1);
        c->act = malloc((size_t)c->g->ninds + 1);
        if (c->rep == NULL || c->rep_has == NULL || c->rep_row == NULL || c->act == NULL)
            return -1;
    }
    int need = nk + np + 2;
    if (need <= c->cap)
        return 0;
    size_t cap = (size_t)need * 2;
    /* every array to cap; a failed one keeps its old block, so c stays consistent (cap unchanged) */
#define GROW(field, bytes)                               \
    do {                                                 \
        void *grown = realloc((void *)(field), (bytes)); \
        if (grown == NULL)                               \
            return -1;                                   \
        (field) = grown;                                 \
    } while (0)
    GROW(c->scratch, cap * per * sizeof *c->scratch);
    GROW(c->kids, cap * sizeof *c->kids);
    GROW(c->preds, cap * sizeof *c->preds);
    GROW(c->hb, cap * sizeof *c->hb);
    GROW(c->in, cap * SPY);
    GROW(c->hp, cap * SPY);
    GROW(c->pred_on, cap * SPY);
    GROW(c->kidu, cap * sizeof *c->kidu);
    GROW(c->pv, cap * sizeof *c->pv);
    GROW(c->pw, cap * sizeof *c->pw);
    GROW(c->psh, cap * sizeof *c->psh);
    GROW(c->pa, cap * sizeof *c->pa);
    GROW(c->pb, cap * sizeof *c->pb);
    GROW(c->hany, cap * (size_t)c->g->ninds);
    GROW(c->hba, cap * sizeof *c->hba);
#undef GROW
    c->cap = (int)cap;
    return 0;
}

static void bctx_free(bctx *c)
{
    free(c->scratch), free(c->kids), free(c->preds), free(c->hb), free(c->in), free(c->hp);
    free(c->pred_on), free(c->kidu), free(c->pv), free(c->pw), free(c->rep), free(c->rep_has);
    free(c->psh), free(c->pa), free(c->pb);
    free(c->rep_row), free(c->hany), free(c->hba), free(c->act);
}

/* A share w as a / 2^b with a < 2^17 and 1 <= b <= 40 (0.5, 0.25, 0.375...): then a part of a
 * figure |x| < SMALL is fx_conv_part's exactly in integers, round(|x| × a / 2^b) half away from
 * zero as (|x| × a + 2^(b-1)) >> b: |x| × a < 2^64 is exact in roundl's long double (64-bit
 * mantissa), so its product is not rounded first.  A whole share is a = 1, b = 0; any other a = 0. */
static void share_dyadic(double w, uint64_t *a, int *b)
{
    *a = w == 1 ? 1 : 0, *b = 0;
#if LDBL_MANT_DIG >= 64
    double t = w;
    for (int e = 1; e <= 40 && w > 0 && w < 1; e++) {
        t *= 2;                                 /* exact: a power of two */
        if (t < 131072 && t == (double)(uint64_t)t) {
            *a = (uint64_t)t, *b = e;
            return;
        }
    }
#endif
}

/* What the block of (md, u) asks of every cell, once: the children that count in some slot
 * (c->kidu, c->in), the slots a succession into u follows or straddles, where u is valid, which
 * predecessors' parts go into each slot, and u's reported values of the year (one pass over its
 * run, keys ind << sbits | slot sorted). */
static void plan_block(bctx *c, int md, int u, int np, const int *in)
{
    const engine *g = c->g;
    const ctab *t = c->t;
    const model *m = g->m;
    c->nk = 0;
    memset(c->nin, 0, sizeof c->nin);
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        uint8_t *row = c->in + (size_t)c->nk * SPY, any = 0;
        if (md == 0 && (t->uf[ch] & UF_SUP))
            continue;                           /* its figures passed to successors */
        if (g->always[ch])
            memset(row, 1, SPY), any = 1;       /* valid in every slot */
        else
            for (int k = 0; k < SPY; k++)
                any |= row[k] = (uint8_t)in_structure(g, t, md, ch, k);
        if (!any)
            continue;
        for (int k = 0; k < SPY; k++)
            c->nin[k] += row[k];
        c->kidu[c->nk++] = ch;
    }
    for (int q = 0; q < np; q++) {
        c->psh[q] = m->succs[in[q]].share;
        share_dyadic(c->psh[q], &c->pa[q], &c->pb[q]);
    }
    c->any_from = 0, c->own_from = 0, c->all_own = 1;
    memset(c->nslots, 0, sizeof c->nslots);
    c->first_sub = SPY;
    c->deleg_inner = 0;
    for (int k = 0; k < SPY; k++) {
        for (int q = 0; q < np; q++)
            c->pred_on[(size_t)q * SPY + (size_t)k] = m->succs[in[q]].date > t->start[k];
        c->need[k] = t->lastin[u] > t->start[k];
        c->strad[k] = k >= S_QUARTER && straddles(g, t, u, k);
        c->own_on[k] = (uint8_t)valid_at(g, t, u, k);
        c->kind[k] = !c->need[k] ? ((t->uf[u] & UF_BELOW) ? K_OWN : K_DELEG) : c->strad[k] ? K_SPLIT : K_FROM;
        c->from[k] = c->kind[k] == K_FROM;
        c->any_from |= c->from[k];
        c->own_from |= c->from[k] & c->own_on[k];
        c->all_own &= c->kind[k] == K_OWN;
        c->slots[c->kind[k]][c->nslots[c->kind[k]]++] = (uint8_t)k;
        if (k >= S_QUARTER && k < c->first_sub && (c->kind[k] == K_SPLIT || c->kind[k] == K_OWN))
            c->first_sub = k;
        c->deleg_inner |= c->kind[k] == K_DELEG && m->units[u].nchildren > 0;
        c->empty_miss[k] = c->from[k] ? c->own_on[k] : 0;
        for (int q = 0; q < np && c->from[k]; q++)
            c->empty_miss[k] += c->pred_on[(size_t)q * SPY + (size_t)k];
    }
    size_t off = g->val.off[u], len = g->val.len[u];
    uint32_t base = (uint32_t)(t->yo * SPY);
    c->rep_any = 0;
    memset(c->rep_row, 0, (size_t)g->ninds);
    for (size_t j = 0; j < len; j++) {
        uint32_t key = g->val.key[off + j], sl = key & g->smask;
        if (sl < base || sl >= base + SPY)
            continue;
        if (!c->rep_any)
            memset(c->rep_has, 0, (size_t)g->ninds * SPY), c->rep_any = 1;
        size_t at = (size_t)(key >> g->sbits) * SPY + (sl - base);
        c->rep[at] = g->val.fx[off + j];
        c->rep_has[at] = 1;
        c->rep_row[key >> g->sbits] = 1;
    }
}

/* The engine's own figures of every unit the block reads without a block of its own (c->hb: the
 * unit itself first, then its counting children (kidu), then its predecessors; NULL where not
 * needed). */
static void gather(bctx *c, int md, int u, int need_own, int np, const int *in)
{
    const model *m = c->g->m;
    size_t per = (size_t)c->g->ninds * SPY, ni = (size_t)c->g->ninds;
    int n = 0, used = 0;
    for (int j = 0; j < 1 + c->nk + np; j++)
        c->hb[j] = NULL, c->hba[j] = NULL;
    c->inner_hist = need_own && m->units[u].nchildren > 0;
    if (need_own) {
        hist_block(c->g, c->t, u, c->scratch, c->hany, c->i0, c->i1);
        c->hb[0] = c->scratch, c->hba[0] = c->hany, used++;
    }
    n++;
    for (int j = 0; j < c->nk; j++, n++) {
        int ch = c->kidu[j];
        if (c->t->blk[md][ch] < 0) {
            c->inner_hist |= m->units[ch].nchildren > 0;
            c->hb[n] = c->scratch + (size_t)used * per, c->hba[n] = c->hany + (size_t)used * ni;
            hist_block(c->g, c->t, ch, c->scratch + (size_t)used * per, c->hany + (size_t)used * ni, c->i0, c->i1);
            used++;
        }
    }
    for (int q = 0; q < np; q++, n++) {
        int from = m->succs[in[q]].from;
        if (c->t->blk[1][from] < 0) {
            c->inner_hist |= m->units[from].nchildren > 0;
            c->hb[n] = c->scratch + (size_t)used * per, c->hba[n] = c->hany + (size_t)used * ni;
            hist_block(c->g, c->t, from, c->scratch + (size_t)used * per, c->hany + (size_t)used * ni, c->i0, c->i1);
            used++;
        }
    }
}

/* Which of the block's indicators have a row to compute (c->act): one of the rows it reads holds a
 * figure (own, children's, predecessors': the flags of hist_block and rowany), the unit reported
 * one, or a slot delegates to the engine at an inner unit.  A byte per indicator and row read. */
static void active_rows(bctx *c, int md, int u, int need_own, int np, const int *in)
{
    const engine *g = c->g;
    const ctab *t = c->t;
    int i0 = c->i0, n = c->i1 - c->i0;
    uint8_t *restrict act = c->act + i0;
    for (int i = 0; i < n; i++)
        act[i] = (uint8_t)(c->rep_row[i0 + i] | c->deleg_inner);
    for (int r = 0; r < 1 + c->nk + np; r++) {
        int v = r == 0 ? u : r <= c->nk ? c->kidu[r - 1] : g->m->succs[in[r - 1 - c->nk]].from;
        int mode = r == 0 ? -1 : r <= c->nk ? md : 1, b = mode >= 0 ? t->blk[mode][v] : -1;
        const uint8_t *restrict f;
        if (r == 0 && !need_own)
            continue;
        if (b >= 0) {
            f = t->rowany[mode] + (size_t)b * (size_t)g->ninds + (size_t)i0;
            for (int i = 0; i < n; i++)
                act[i] |= f[i] & RA_FIG;
        } else {
            f = c->hba[r] + i0;
            for (int i = 0; i < n; i++)
                act[i] |= f[i];
        }
    }
}

/* The block of (md, u): with forms 0, the rows of the indicators in [c->i0, c->i1) that are not
 * formulas (from the rows of its children, predecessors and itself); with forms 1, the formulas'
 * rows (from the block's own operand rows, all done). */
static int compute_block(bctx *c, int md, int u, int forms)
{
    const engine *g = c->g;
    ctab *t = c->t;
    const model *m = g->m;
    int b = t->blk[md][u], np, nk;
    const int *in = model_preds(m, u, &np);
    if (bctx_room(c, m->units[u].nchildren, np) != 0)
        return -1;
    int need_own = t->lastin[u] > t->start[0] || !(t->uf[u] & UF_BELOW);   /* parts, delegated cells */
    plan_block(c, md, u, np, in);
    nk = c->nk;
    c->cur_md = md;
    if (forms) {
        rowref own = { NULL, NULL, u, NULL };
        for (int j = 0; j < g->nforms; j++) {
            size_t ri = (size_t)b * (size_t)g->ninds + (size_t)g->forms[j];
            size_t at = (size_t)(t->ridx[md][ri] = c->next_row[md]++) * SPY;
            for (int k = 0; k < SPY; k++) {
                cell_out o;
                compute_cell(c, u, g->forms[j], k, &own, 0, 0, NULL, t->fx[md] + at, t->fl[md] + at, &o);
                t->fx[md][at + (size_t)k] = o.x;
                t->fl[md][at + (size_t)k] = (uint8_t)(o.src | (o.conv ? CF_CONV : 0) | (o.part ? CF_PART : 0));
                t->miss[md][at + (size_t)k] = o.miss;
            }
            t->rowany[md][ri] = RA_WRITTEN | RA_FIG;
        }
        return 0;
    }
    gather(c, md, u, need_own, np, in);
    if (c->i0 == 0)                            /* one thread writes it */
        memcpy(t->emiss[md] + (size_t)b * SPY, c->empty_miss, sizeof c->empty_miss);
    active_rows(c, md, u, need_own, np, in);
    for (int i = c->i0; i < c->i1; i++) {
        if (g->isf[i])
            continue;
        size_t ri = (size_t)b * (size_t)g->ninds + (size_t)i;
        if (!c->act[i]) {                      /* no row it reads holds a figure (most rows at L): */
            t->ridx[md][ri] = -1;              /* not written (cell_at, emiss) */
            t->rowany[md][ri] = 0;
            continue;
        }
        rowref own = { NULL, NULL, u, NULL };
        if (need_own)
            own = row_of(c, -1, u, i, c->hb[0], c->hba[0]);   /* its own figures as they were */
        for (int kk = 0; kk < nk; kk++)
            c->kids[kk] = row_of(c, md, c->kidu[kk], i, c->hb[1 + kk], c->hba[1 + kk]);
        for (int q = 0; q < np; q++)
            c->preds[q] = row_of(c, 1, m->succs[in[q]].from, i, c->hb[1 + nk + q], c->hba[1 + nk + q]);
        size_t at = (size_t)(t->ridx[md][ri] = c->next_row[md]++) * SPY;
        int64_t *x = t->fx[md] + at;
        uint8_t *fl = t->fl[md] + at;
        int32_t *miss = t->miss[md] + at;
        if (c->inner_hist && partial_rows(c, &own, nk, np, i) != 0)
            return -1;
        int has = -1;
        if (c->all_own && !c->rep_any && nk > 0 && nk < MAX_SMALL_KIDS &&
            (g->uagg[i] == AGG_SUM || g->uagg[i] == AGG_AVG))
            has = row_units(c, i, nk, x, fl, miss);
        if (has < 0) {
            ufold uf;
            if (nk > 0 && g->uagg[i] != AGG_NONE)
                units_fold(c, i, nk, &uf);
            has = compute_row(c, u, i, &own, nk, np, &uf, x, fl, miss);
        }
        t->rowany[md][ri] = (uint8_t)(RA_WRITTEN | (has ? RA_FIG : 0));
    }
    return 0;
}

/* Asks the memory for the reported values of the leaves block (md, u) will read without a block
 * of their own (itself, its children, its predecessors), so that they arrive while the block
 * before it is computed: the reading of leaves' values waits on memory more than anything else. */
static void prefetch_block(const bctx *c, int md, int u)
{
    const engine *g = c->g;
    const ctab *t = c->t;
    const model *m = g->m;
    int np;
    const int *in = model_preds(m, u, &np);
    int ch = m->units[u].first_child;
    for (int j = -1; j < np; ) {
        int v = j < 0 ? u : m->succs[in[j]].from, mode = j < 0 ? -1 : 1;
        if (j < 0 && ch >= 0) {                 /* the children first, then u, then the predecessors */
            v = ch, mode = md;
            ch = m->units[ch].next_sibling;
            if (md == 0 && (t->uf[v] & UF_SUP))
                continue;                       /* not read in today's structure */
        } else
            j++;
        if ((mode >= 0 && t->blk[mode][v] >= 0) || g->fb[v] >= 0 || m->units[v].nchildren > 0)
            continue;
        size_t off = g->val.off[v], len = g->val.len[v];
        size_t from = len * (size_t)c->i0 / (size_t)g->ninds, to = len * (size_t)c->i1 / (size_t)g->ninds;
        from = from > 16 ? from - 16 : 0;       /* about this thread's indicators' part of the run */
        to = to + 16 < len ? to + 16 : len;
        for (size_t p = from; p < to; p += 16)
            __builtin_prefetch(g->val.key + off + p, 0, 1);
        for (size_t p = from; p < to; p += 8)
            __builtin_prefetch(g->val.fx + off + p, 0, 1);
    }
}

/* One thread's share of a build: every block in dependency order, its indicators [i0, i1). */
typedef struct cjob {
    bctx c;
    int rc;
} cjob;

static void *conv_worker(void *arg)
{
    cjob *j = arg;
    const ctab *t = j->c.t;
    for (int k = 0; k < t->norder && j->rc == 0; k++) {
        if (k + 1 < t->norder)
            prefetch_block(&j->c, t->order[k + 1] >> 30, t->order[k + 1] & ((1 << 30) - 1));
        j->rc = compute_block(&j->c, t->order[k] >> 30, t->order[k] & ((1 << 30) - 1), 0);
    }
    return NULL;
}

/* Computes every block of t: the indicators that are not formulas shared out between the engine's
 * threads (contiguous ranges, as many such indicators each; a row reads only rows of its own
 * indicator, so the threads share nothing they write), then the formulas on this thread, block by
 * block in the same order (their operands are rows of the same block).  0, or -1 (out of memory). */
static int compute_blocks(const engine *g, ctab *t)
{
    int nt = g->nthreads < 1 ? 1 : g->nthreads > MAXT ? MAXT : g->nthreads, plain = g->ninds - g->nforms, rc = 0;
    if (nt > plain)
        nt = plain > 0 ? plain : 1;
    cjob jobs[MAXT];
    pthread_t th[MAXT];
    memset(jobs, 0, sizeof jobs);
    int started[MAXT] = { 0 };
    for (int w = 0, i = 0, before = 0; w < nt; w++) {  /* job w appends its rows after those */
        int quota = plain * (w + 1) / nt - plain * w / nt, i0 = i;    /* of the jobs before it */
        for (; i < g->ninds && (quota > 0 || g->isf[i]); i++)
            quota -= !g->isf[i];
        if (w == nt - 1)
            i = g->ninds;
        jobs[w] = (cjob){ .c = { .g = g, .t = t, .i0 = i0, .i1 = i }, .rc = 0 };
        for (int md = 0; md < NMODE; md++)
            jobs[w].c.next_row[md] = (int32_t)((size_t)t->nblk[md] * (size_t)before);
        before += plain * (w + 1) / nt - plain * w / nt;
    }
    for (int w = 1; w < nt; w++)
        started[w] = pthread_create(&th[w], NULL, conv_worker, &jobs[w]) == 0;
    for (int w = 1; w < nt; w++)
        if (!started[w])
            conv_worker(&jobs[w]);             /* no thread: done here */
    conv_worker(&jobs[0]);
    for (int w = 0; w < nt; w++) {
        if (w > 0 && started[w])
            pthread_join(th[w], NULL);
        rc |= jobs[w].rc;
    }
    if (rc == 0 && g->nforms > 0) {
        bctx *c = &jobs[0].c;                   /* formulas' rows after every other row */
        c->i0 = 0, c->i1 = g->ninds;
        for (int md = 0; md < NMODE; md++)
            c->next_row[md] = (int32_t)((size_t)t->nblk[md] * (size_t)plain);
        for (int k = 0; k < t->norder && rc == 0; k++)
            rc = compute_block(c, t->order[k] >> 30, t->order[k] & ((1 << 30) - 1), 1);
    }
    for (int w = 0; w < nt; w++)
        bctx_free(&jobs[w].c);
    return rc;
}

/* ---- building a year's table ---- */

/* Appends (md, u) after every block it reads: its children in the same mode, its predecessors'
 * own blocks.  A cycle (a unit succeeding its own parent) is cut where it closes. */
static void order_visit(const engine *g, ctab *t, int md, int u)
{
    const model *m = g->m;
    uint8_t *st = &t->state[(size_t)md * (size_t)g->nunits + (size_t)u];
    if (*st || t->blk[md][u] < 0)
        return;
    *st = 1;
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
        order_visit(g, t, md, ch);
    int n;
    const int *in = model_preds(m, u, &n);
    for (int j = 0; j < n; j++)
        order_visit(g, t, 1, m->succs[in[j]].from);
    t->state[(size_t)md * (size_t)g->nunits + (size_t)u] = 2;
    t->order[t->norder++] = md << 30 | u;
}

/* Per unit: below (a succession touches a unit below it), superseded (eval.c's superseded: its
 * figures passed to successors, or it ended and every unit below it did), the latest succession
 * into it, touched this year, and needed as a predecessor's own figure. */
static void unit_flags(const engine *g, ctab *t)
{
    const model *m = g->m;
    for (size_t j = 0; j < m->nsuccs; j++) {
        int ends[2] = { m->succs[j].from, m->succs[j].to };
        for (int e = 0; e < 2; e++)
            for (int u = m->units[ends[e]].parent; u >= 0 && !(t->uf[u] & UF_BELOW); u = m->units[u].parent)
                t->uf[u] |= UF_BELOW;
        if (m->succs[j].date > t->lastin[m->succs[j].to])
            t->lastin[m->succs[j].to] = m->succs[j].date;
    }
    for (int k = 0; k < g->nunits; k++) {      /* children first */
        int u = g->post[k], n, sup;
        model_succs(m, u, &n);
        sup = n > 0;
        if (!sup && m->units[u].valid_to && m->units[u].nchildren > 0) {
            sup = 1;
            for (int ch = m->units[u].first_child; ch >= 0 && sup; ch = m->units[ch].next_sibling)
                sup = (t->uf[ch] & UF_SUP) != 0;
        }
        t->uf[u] |= (uint8_t)(sup ? UF_SUP : 0);
        if ((t->uf[u] & UF_BELOW) || t->lastin[u] > t->start[0])
            t->uf[u] |= UF_TOUCHED;
    }
    for (int k = g->nunits - 1; k >= 0; k--) { /* parents first */
        int u = g->post[k], n, p = m->units[u].parent;
        model_succs(m, u, &n);
        if (n > 0 || (p >= 0 && (t->uf[p] & UF_OWN)))
            t->uf[u] |= UF_OWN;
    }
}

static ctab *ctab_build(const engine *g, int yo, ctab *spare)
{
    size_t nu = (size_t)g->nunits;
    ctab *t = spare ? spare : calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->yo = yo;
    t->nblk[0] = t->nblk[1] = t->norder = 0;
    for (int k = 0; k < SPY; k++) {
        period_t p = engine_period_of(g, yo * SPY + k);
        t->start[k] = period_start(p), t->end[k] = period_end(p);
    }
    if (t->ucap < nu + 1) {                 /* every per-unit array together */
        free(t->uf), free(t->lastin), free(t->state), free(t->order), free(t->blk[0]), free(t->blk[1]);
        t->uf = NULL, t->lastin = NULL, t->state = NULL, t->order = NULL, t->blk[0] = t->blk[1] = NULL;
        t->ucap = 0;
        if (alloc_n((void **)&t->uf, nu + 1, 1) || alloc_n((void **)&t->lastin, nu + 1, sizeof *t->lastin) ||
            alloc_n((void **)&t->state, (nu + 1) * NMODE, 1) ||
            alloc_n((void **)&t->order, (nu + 1) * NMODE, sizeof *t->order) ||
            alloc_n((void **)&t->blk[0], nu + 1, sizeof *t->blk[0]) ||
            alloc_n((void **)&t->blk[1], nu + 1, sizeof *t->blk[1]))
            goto fail;
        t->ucap = nu + 1;
    }
    memset(t->uf, 0, nu + 1);
    memset(t->lastin, 0, (nu + 1) * sizeof *t->lastin);
    memset(t->state, 0, (nu + 1) * NMODE);
    unit_flags(g, t);
    size_t per = (size_t)g->ninds * SPY;
    for (int md = 0; md < NMODE; md++) {
        for (size_t u = 0; u < nu; u++) {
            int has = (t->uf[u] & UF_TOUCHED) && (md == 0 || (t->uf[u] & UF_OWN));
            t->blk[md][u] = has ? t->nblk[md]++ : -1;
        }
        size_t cells = (size_t)t->nblk[md] * per;
        if (t->ccap[md] < cells) {          /* the three cell arrays together */
            free(t->fx[md]), free(t->fl[md]), free(t->miss[md]), free(t->rowany[md]), free(t->emiss[md]);
            free(t->ridx[md]);
            t->fx[md] = NULL, t->fl[md] = NULL, t->miss[md] = NULL, t->rowany[md] = NULL, t->emiss[md] = NULL;
            t->ridx[md] = NULL;
            t->ccap[md] = 0;
            if (alloc_n((void **)&t->fx[md], cells, sizeof *t->fx[md]) || alloc_n((void **)&t->fl[md], cells, 1) ||
                alloc_n((void **)&t->miss[md], cells, sizeof *t->miss[md]) ||
                alloc_n((void **)&t->rowany[md], cells / SPY, 1) ||
                alloc_n((void **)&t->ridx[md], cells / SPY, sizeof *t->ridx[md]) ||
                alloc_n((void **)&t->emiss[md], cells / (size_t)g->ninds, sizeof *t->emiss[md]))
                goto fail;
            t->ccap[md] = cells;
        }
    }
    for (int md = NMODE - 1; md >= 0; md--)
        for (int k = 0; k < g->nunits; k++)
            order_visit(g, t, md, g->post[k]);
    if (compute_blocks(g, t) != 0)
        goto fail;
    return t;
fail:
    ctab_free(t);
    return NULL;
}

/* The table of p's year (built on the first question), or NULL (outside, or out of memory). */
static const ctab *ctab_get(const engine *g, period_t p, int *k)
{
    if (g == NULL || !g->ran || g->cc == NULL)
        return NULL;
    int s = engine_slot_of(g, p);
    if (s < 0)
        return NULL;
    int yo = s / SPY;
    *k = s % SPY;
    struct conv_cache *cc = g->cc;
    ctab *t = NULL;
    pthread_mutex_lock(&cc->mx);
    for (int j = 0; j < cc->n && t == NULL; j++)
        if (cc->t[j]->yo == yo)
            t = cc->t[j];
    if (t == NULL && cc->n < CT_MAX && (t = ctab_build(g, yo, cc->nspare ? cc->spare[--cc->nspare] : NULL)) != NULL)
        cc->t[cc->n++] = t;
    pthread_mutex_unlock(&cc->mx);
    return t;
}

/* ---- questions ---- */

int engine_figure_conv(const engine *g, int own, int ind, int unit, period_t p, int64_t *fx, int *source,
                       int *missing, int *converted)
{
    int k, md = own ? 1 : 0;
    if (g == NULL || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    const ctab *t = ctab_get(g, p, &k);
    if (t == NULL)
        return -1;
    int b = t->blk[md][unit];
    if (b < 0) {
        if (converted)
            *converted = 0;
        return engine_figure(g, ind, unit, p, fx, source, missing);
    }
    long at = cell_at(g, t, md, b, ind, k);
    *fx = at < 0 ? FX_NONE : t->fx[md][at];
    if (source)
        *source = at < 0 ? SRC_NONE : t->fl[md][at] & CF_SRC;
    if (missing)
        *missing = at < 0 ? t->emiss[md][(size_t)b * SPY + (size_t)k] : t->miss[md][at];
    if (converted)
        *converted = at >= 0 && (t->fl[md][at] & CF_CONV) != 0;
    return *fx == FX_NONE ? 0 : *fx == FX_OVER ? 2 : 1;
}

int engine_held_conv(const engine *g, int own, int unit, period_t p)
{
    int k;
    if (g == NULL || unit < 0 || unit >= g->nunits)
        return -1;
    const ctab *t = ctab_get(g, p, &k);
    return t == NULL ? -1 : t->blk[own ? 1 : 0][unit] >= 0;
}

/* The child units counted in the mode: expected, reported, and (with_partial) partial ones. */
static void children_counts(const engine *g, const ctab *t, int md, int u, int i, int k, int with_partial,
                            engine_cov *c)
{
    const model *m = g->m;
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        if (!in_structure(g, t, md, ch, k))
            continue;
        c->expected++;
        if (get_fx(g, t, md, ch, i, k) == FX_NONE)
            continue;
        c->reported++;
        if (with_partial)
            c->partial_children += get_part(g, t, md, ch, i, k);
    }
}

static void cov_cell(const engine *g, const ctab *t, int md, int u, int i, int k, engine_cov *c)
{
    const model *m = g->m;
    long at = cell_at(g, t, md, t->blk[md][u], i, k);
    memset(c, 0, sizeof *c);
    if (at < 0 || !(t->fl[md][at] & CF_PART))
        return;
    int src = t->fl[md][at] & CF_SRC;
    c->partial = 1;
    if (src == SRC_UNITS && t->lastin[u] > t->start[k]) {
        children_counts(g, t, md, u, i, k, 1, c);
        if (c->expected > 0)
            return;
        int n;                                  /* no units below: the parts */
        const int *in = model_preds(m, u, &n);
        if (valid_at(g, t, u, k))
            c->expected++, c->partial_children += hist_partial(g, t, u, i, k);
        for (int j = 0; j < n; j++)
            if (m->succs[in[j]].date > t->start[k])
                c->expected++, c->partial_children += get_part(g, t, 1, m->succs[in[j]].from, i, k);
        c->reported = c->expected;
    } else if (src == SRC_UNITS)
        children_counts(g, t, md, u, i, k, 1, c);
    else if (src == SRC_FORMULA) {
        const ind_t *d = &m->inds[i];
        for (int j = 0; j < formula_nvars(d->f); j++)
            if (get_part(g, t, md, u, d->fvars[j], k)) {
                if (t->blk[md][u] >= 0)
                    cov_cell(g, t, md, u, d->fvars[j], k, c);
                return;
            }
    } else if (src == SRC_PERIODS)
        children_counts(g, t, md, u, i, k, 0, c);
}

int engine_coverage_conv(const engine *g, int own, int ind, int unit, period_t p, engine_cov *c)
{
    int k, md = own ? 1 : 0;
    memset(c, 0, sizeof *c);
    if (g == NULL || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    const ctab *t = ctab_get(g, p, &k);
    if (t == NULL || t->blk[md][unit] < 0)
        return -1;
    cov_cell(g, t, md, unit, ind, k, c);
    return 0;
}

int engine_in_structure_conv(const engine *g, int unit, period_t p)
{
    int k;
    if (g == NULL || unit < 0 || unit >= g->nunits)
        return -1;
    const ctab *t = ctab_get(g, p, &k);
    if (t == NULL)
        return -1;
    return !(t->uf[unit] & UF_SUP) && (model_unit_valid(g->m, unit, p) || t->lastin[unit] > t->start[k]);
}
