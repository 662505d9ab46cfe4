/* engine_int.h - the engine's internals, shared by engine.c (the pass, updates, terms, coverage),
 * engine_conv.c (figures on today's structure) and engine_csr.c (the first run's runs): the layout of struct engine and the helpers
 * both read it with.  Not part of the engine's API (engine.h); nothing else includes it.
 */
#ifndef CHITIEU_ENGINE_INT_H
#define CHITIEU_ENGINE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "fixed.h"

struct conv_cache;

#define SPY 19             /* slots per year */

#define S_QUARTER 12
#define S_HALF 16
#define S_YEAR 18
#define MAXT 8             /* threads */
#define MIN_PIECES 8       /* subtrees the pass is cut into, whatever the thread count */
#define NC 4               /* counts per unit and year */

/* Reported values or targets, per unit; a unit's run may move to the pool's end to grow. */
typedef struct csr {
    size_t *off;
    uint32_t *len, *cap;
    uint32_t *key;
    int64_t *fx;
    size_t used, size;
    /* staged puts before the first run: unit, key, figure in arrival order; the stages
     * committed before them (engine_stage_commit) come first, in segs */
    uint32_t *su, *sk;
    int64_t *sf;
    size_t sn, scap;
    struct stage_seg *segs;
    int nsegs;
} csr;

/* Staged puts committed before the first run, kept as they were read (owned by the csr). */
typedef struct stage_seg {
    uint32_t *su, *sk;
    int64_t *sf;
    size_t n;
} stage_seg;

typedef struct lvl {
    int64_t *sum, *mm;     /* mm: min, max or last, for indicators aggregated so */
    uint32_t *cnt;
    uint8_t *touched;      /* per indicator: row holds something */
    fx_wide *wide;         /* sums of rows given an addend beyond ±SMALL (untouched otherwise) */
    uint8_t *is_wide;      /* per indicator: the row sums in wide, not in sum */
} lvl;

typedef struct worker {
    struct engine *g;
    lvl *lv;
    int nlv;
    int64_t *v;            /* the unit being finished: figures, ind * nslots + slot */
    uint8_t *h;            /* ... and whether each has one */
    uint8_t *rowhas;
    int32_t *istart, *iend;/* its reported values, per indicator, as positions in its run */
    int *list;             /* indicators with rows */
    int64_t *out;          /* engine_visit's view */
    int *units, n;         /* post-order units of this worker's subtrees */
} worker;

struct engine {
    const model *m;
    int nunits, ninds, y0, nyears, ns;
    int sbits, ybits;      /* keys: ind << sbits | slot (values), ind << ybits | year offset (targets) */
    uint32_t smask, ymask;
    int full_min_leaves;
    int nthreads;
    int ran;
    csr val, tgt;
    uint8_t *isf, *uagg, *pagg, *dir, *dec;
    int64_t *step;         /* per indicator: 10^(4 - decimals), or 1 (targets are kept rounded to it) */
    uint64_t *mag;         /* per indicator: the sum of |reported value| (saturated; see mag_safe) */
    int *forms, nforms;    /* formula indicators, operands first */
    int **deps;            /* per indicator: formulas using it, directly or not, in order; -1 ended */
    uint8_t *valid;        /* [unit * ns + slot] */
    uint8_t *always;       /* unit valid in every slot */
    int32_t *fb, *yb;      /* per unit: full / yearly block index or -1 */
    int nfull, nyearly;
    int64_t *full, *yearly;
    uint16_t *fulln, *yearlyn;
    size_t full_bytes, yearly_bytes;
    int32_t *counts;       /* [(unit * nyears + yo) * NC]: with data, met, exceeded, too large */
    uint8_t *role;         /* 0 normal, 1 top of a piece, 2 finished on the calling thread */
    int *post;             /* every unit, children first */
    int *sync, nsync;
    int maxdepth;
    worker w[MAXT];
    struct rcache *rc;     /* terms' figures, composed on first use (engine_get) */
    struct conv_cache *cc; /* figures on today's structure, per year, on first use (engine_conv.c) */
    int (*visit)(void *, int, const int64_t *, int);
    void *visit_ctx;
    int visit_stop;
    void (*watch)(void *, int, int);   /* engine_watch: told before a run of val or tgt changes */
    void *watch_ctx;
};


/* The figure of (u, i, s): the stored one if kept, else computed; *nout (may be NULL) the child
 * units that gave it (0 unless it comes from them). */
int64_t engine_fig(const engine *g, int u, int i, int s, uint32_t *nout);
/* Position of key in u's run, or -(insertion point) - 1. */
long engine_csr_find(const csr *c, int u, uint32_t key);
/* malloc for large arrays, on huge pages where the kernel gives them (free() frees it). */
void *engine_big(size_t bytes);
/* engine_csr.c: the staged puts (segments, then su/sk/sf) into per-unit sorted runs, a later put
 * of a key winning, on nthreads threads; the staged arrays are freed.  0 or -1 (OOM). */
int engine_csr_finish(csr *c, int nunits, int nthreads);
/* The slot of p (a month, quarter, half or year of the engine's years), or -1. */
int engine_slot_of(const engine *g, period_t p);
/* The period of slot s. */
period_t engine_period_of(const engine *g, int slot);

/* The sub-slots of slot position k within a year (relative; 0 for a month) into out[3]. */
int engine_subs_of(int k, int *out);
/* A formula's figure from its operands' presence and values: FX_NONE, FX_OVER or the result. */
int64_t engine_formula_fx(const ind_t *d, const double *vals, const unsigned char *got, int nv, int over);

/* engine_conv.c: the tables of figures on today's structure, kept in g->cc.  init makes the empty
 * cache (0, or -1 on OOM); clear drops every table (after any change); free releases the cache. */
int engine_conv_init(engine *g);
void engine_conv_clear(engine *g);
void engine_conv_free(engine *g);

#endif
