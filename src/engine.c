/* engine.c - the analytics engine (see engine.h).
 *
 * Layout: one cell per (unit, indicator, slot), index ((unit * ninds) + ind) * nslots + slot,
 * slot = year offset * 19 + position: 0 the year, 1-2 its halves, 3-6 quarters, 7-18 months.
 * Each cell holds the figure (double), flags (bit 0: has data; bits 1-3: its source, enum
 * source of eval.h) and, for a roll-up over units, how many valid child units had no data.
 * Reported values are scattered in first; then compute_unit() fills a unit's cells from its
 * own reported values and its children's finished cells.  Threads each take whole subtrees
 * below the roots (largest first); the roots come last, on the calling thread.  Nothing here
 * allocates after the build, so an update is a few hundred cell computations.
 */
#include "engine.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "mem.h"

#define SLOTS_PER_YEAR 19
#define FIX 10000.0        /* fixed point: 10^-4 */

struct engine {
    const model *m;        /* valid during build and update only */
    int nunits, ninds, y0, nyears, nslots;
    double *val;
    int64_t *fx;           /* val in fixed point (10^-4), what sums add */
    uint8_t *flags;
    uint16_t *miss;
    uint8_t *valid;        /* unit valid in slot: [unit * nslots + slot] */
    int *ind_order;        /* indicators, formula operands before formulas */
    int **deps;            /* for each indicator, the formula indicators that use it (-1 ended) */
    int *post;             /* units children-first */
};

static inline size_t cell(const engine *g, int unit, int ind, int slot)
{
    return ((size_t)unit * (size_t)g->ninds + (size_t)ind) * (size_t)g->nslots + (size_t)slot;
}

/* The slot of p, or -1 when p is not a year, half, quarter or month of the engine's years. */
static int slot_of(const engine *g, period_t p)
{
    int yo = (int)p.y - g->y0;
    if (yo < 0 || yo >= g->nyears)
        return -1;
    int base = yo * SLOTS_PER_YEAR;
    switch (p.kind) {
    case P_YEAR: return base;
    case P_HALF: return base + p.n;
    case P_QUARTER: return base + 2 + p.n;
    case P_MONTH: return base + 6 + p.n;
    default: return -1;
    }
}

static period_t period_of(const engine *g, int slot)
{
    uint16_t y = (uint16_t)(g->y0 + slot / SLOTS_PER_YEAR);
    int k = slot % SLOTS_PER_YEAR;
    if (k == 0)
        return (period_t){ P_YEAR, 0, y, y };
    if (k <= 2)
        return (period_t){ P_HALF, (uint8_t)k, y, y };
    if (k <= 6)
        return (period_t){ P_QUARTER, (uint8_t)(k - 2), y, y };
    return (period_t){ P_MONTH, (uint8_t)(k - 6), y, y };
}

/* The positions within a year, finest first, and each one's sub-period positions. */
static const int order_in_year[SLOTS_PER_YEAR] = { 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 3, 4, 5, 6, 1, 2, 0 };

static int sub_slots(int k, int *out)
{
    if (k == 0) { out[0] = 1; out[1] = 2; return 2; }
    if (k <= 2) { out[0] = 2 * k + 1; out[1] = 2 * k + 2; return 2; }
    if (k <= 6) { int q = k - 2; for (int i = 0; i < 3; i++) out[i] = 6 + (q - 1) * 3 + 1 + i; return 3; }
    return 0;
}

/* Per-thread accumulators of one unit's children, indexed ind * nslots + slot. */
typedef struct acc {
    int64_t *sum;
    double *mn, *mx;
    int32_t *cnt, *miss;
    size_t n;
} acc;

/* Computes cell (unit, ind, slot) from what is already final below it; a holds the unit's
 * children already summed (build), or is NULL (update: the children are read here). */
static void compute_cell(engine *g, int unit, int ind, int slot, const acc *a)
{
    const model *m = g->m;
    const ind_t *d = &m->inds[ind];
    size_t at = cell(g, unit, ind, slot);
    if ((g->flags[at] >> 1) == SRC_REPORTED)
        return;                                    /* scattered in, wins */
    double v = 0;
    int src = SRC_NONE, miss = 0, has = 0;
    if (d->f) {
        int nv = formula_nvars(d->f);
        double vals[64];
        unsigned char got[64];
        if (nv <= 64) {
            for (int k = 0; k < nv; k++) {
                size_t o = cell(g, unit, d->fvars[k], slot);
                got[k] = g->flags[o] & 1;
                vals[k] = g->val[o];
            }
            if (formula_eval(d->f, vals, got, &v) == 0)
                has = 1, src = SRC_FORMULA;
        }
    } else {
        if (d->uagg != AGG_NONE && m->units[unit].nchildren > 0) {
            int64_t sum = 0;
            double mn = 0, mx = 0;
            int n = 0;
            if (a) {
                size_t k = (size_t)ind * (size_t)g->nslots + (size_t)slot;
                sum = a->sum[k], mn = a->mn[k], mx = a->mx[k], n = a->cnt[k], miss = a->miss[k];
            } else
                for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
                    if (!g->valid[(size_t)ch * (size_t)g->nslots + (size_t)slot])
                        continue;
                    size_t o = cell(g, ch, ind, slot);
                    if (!(g->flags[o] & 1)) {
                        miss++;
                        continue;
                    }
                    double x = g->val[o];
                    sum += g->fx[o];
                    if (n == 0 || x < mn)
                        mn = x;
                    if (n == 0 || x > mx)
                        mx = x;
                    n++;
                }
            if (n > 0) {
                has = 1, src = SRC_UNITS;
                v = d->uagg == AGG_MIN ? mn : d->uagg == AGG_MAX ? mx
                  : d->uagg == AGG_AVG ? (double)sum / FIX / n : (double)sum / FIX;
            } else
                miss = 0;
        }
        int k = slot % SLOTS_PER_YEAR, subs[3];
        int ns = has ? 0 : sub_slots(k, subs), ok = ns > 0;
        int64_t sum = 0;
        double mn = 0, mx = 0, last = 0;
        for (int i = 0; ok && i < ns; i++) {
            size_t o = cell(g, unit, ind, slot - k + subs[i]);
            ok = g->flags[o] & 1;
            double x = g->val[o];
            sum += g->fx[o];
            if (i == 0 || x < mn)
                mn = x;
            if (i == 0 || x > mx)
                mx = x;
            last = x;
        }
        if (ok) {
            has = 1, src = SRC_PERIODS, miss = 0;
            v = d->pagg == AGG_MIN ? mn : d->pagg == AGG_MAX ? mx : d->pagg == AGG_LAST ? last
              : d->pagg == AGG_AVG ? (double)sum / FIX / ns : (double)sum / FIX;
        }
    }
    g->val[at] = has ? v : 0;
    g->fx[at] = has ? llround(v * FIX) : 0;
    g->flags[at] = (uint8_t)(has | src << 1);
    g->miss[at] = (uint16_t)(miss > 65535 ? 65535 : miss);
}

/* Adds every child's finished cells into a, child by child: each child's block is read in
 * memory order, so the pass streams instead of jumping between children per cell. */
static void gather_children(engine *g, int unit, acc *a)
{
    const model *m = g->m;
    size_t ns = (size_t)g->nslots;
    memset(a->cnt, 0, a->n * sizeof *a->cnt);
    memset(a->miss, 0, a->n * sizeof *a->miss);
    memset(a->sum, 0, a->n * sizeof *a->sum);
    for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        const uint8_t *valid = g->valid + (size_t)ch * ns;
        for (int i = 0; i < g->ninds; i++) {
            const ind_t *d = &m->inds[i];
            if (d->f || d->uagg == AGG_NONE)
                continue;
            size_t base = cell(g, ch, i, 0), k0 = (size_t)i * ns;
            const uint8_t *fl = g->flags + base;
            const int64_t *fx = g->fx + base;
            const double *val = g->val + base;
            int minmax = d->uagg == AGG_MIN || d->uagg == AGG_MAX;
            for (size_t sl = 0; sl < ns; sl++) {
                if (!valid[sl])
                    continue;
                size_t k = k0 + sl;
                if (!(fl[sl] & 1)) {
                    a->miss[k]++;
                    continue;
                }
                a->sum[k] += fx[sl];
                if (minmax) {
                    double x = val[sl];
                    if (a->cnt[k] == 0 || x < a->mn[k])
                        a->mn[k] = x;
                    if (a->cnt[k] == 0 || x > a->mx[k])
                        a->mx[k] = x;
                }
                a->cnt[k]++;
            }
        }
    }
}

static void compute_unit(engine *g, int unit, acc *a)
{
    const acc *use = NULL;
    if (g->m->units[unit].nchildren > 0) {
        gather_children(g, unit, a);
        use = a;
    }
    for (int yo = 0; yo < g->nyears; yo++)
        for (int k = 0; k < SLOTS_PER_YEAR; k++)
            for (int j = 0; j < g->ninds; j++)
                compute_cell(g, unit, g->ind_order[j], yo * SLOTS_PER_YEAR + order_in_year[k], use);
}

static int acc_init(acc *a, size_t n)
{
    a->n = n;
    a->sum = calloc(n + 1, sizeof *a->sum);
    a->mn = calloc(n + 1, sizeof *a->mn);
    a->mx = calloc(n + 1, sizeof *a->mx);
    a->cnt = calloc(n + 1, sizeof *a->cnt);
    a->miss = calloc(n + 1, sizeof *a->miss);
    return a->sum && a->mn && a->mx && a->cnt && a->miss ? 0 : -1;
}

static void acc_free(acc *a)
{
    free(a->sum), free(a->mn), free(a->mx), free(a->cnt), free(a->miss);
}

/* ---- building ---- */

typedef struct job {
    engine *g;
    int *units;            /* post-order units of this thread's subtrees */
    int n;
    acc a;                 /* this thread's accumulators */
} job;

static void *run_job(void *arg)
{
    job *jb = arg;
    for (int i = 0; i < jb->n; i++)
        compute_unit(jb->g, jb->units[i], &jb->a);
    return NULL;
}

/* Appends the subtree of u in post-order to out; returns the new count. */
static int post_order(const model *m, int u, int *out, int n, int *stack)
{
    /* iterative: stack holds units; a unit is emitted after all its children */
    int sp = 0;
    stack[sp++] = u;
    int start = n;
    while (sp) {
        int x = stack[--sp];
        out[n++] = x;                  /* pre-order reversed later gives post-order */
        for (int ch = m->units[x].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            stack[sp++] = ch;
    }
    /* reverse [start, n): children now come before their parent */
    for (int i = start, j = n - 1; i < j; i++, j--) {
        int t = out[i];
        out[i] = out[j];
        out[j] = t;
    }
    return n;
}

static int topo_inds(engine *g, const model *m)
{
    int n = (int)m->ninds, done = 0;
    uint8_t *placed = calloc((size_t)n + 1, 1);
    if (placed == NULL)
        return -1;
    while (done < n) {
        int progress = 0;
        for (int i = 0; i < n; i++) {
            if (placed[i])
                continue;
            int ready = 1;
            if (m->inds[i].f)
                for (int k = 0; k < formula_nvars(m->inds[i].f); k++)
                    if (!placed[m->inds[i].fvars[k]] && m->inds[i].fvars[k] != i)
                        ready = 0;
            if (ready) {
                g->ind_order[done++] = i;
                placed[i] = 1;
                progress = 1;
            }
        }
        if (!progress)
            break;                      /* model_finish rejects cycles; be safe anyway */
    }
    free(placed);
    if (done < n)
        return -1;
    /* dependents: formulas that use each indicator, directly or through other formulas */
    for (int i = 0; i < n; i++) {
        g->deps[i] = calloc((size_t)n + 1, sizeof **g->deps);
        if (g->deps[i] == NULL)
            return -1;
        uint8_t *mark = calloc((size_t)n, 1);
        if (mark == NULL)
            return -1;
        mark[i] = 1;
        int cnt = 0;
        for (int j = 0; j < n; j++) {          /* topological order: operands are marked first */
            int x = g->ind_order[j];
            if (mark[x] || !m->inds[x].f)
                continue;
            for (int k = 0; k < formula_nvars(m->inds[x].f); k++)
                if (mark[m->inds[x].fvars[k]]) {
                    mark[x] = 1;
                    g->deps[i][cnt++] = x;
                    break;
                }
        }
        g->deps[i][cnt] = -1;
        free(mark);
    }
    return 0;
}

static void scatter_reported(engine *g, const model *m)
{
    for (size_t i = 0; i < m->values.n; i++) {
        const cell_t *c = &m->values.cells[i];
        int s = slot_of(g, c->per);
        if (s < 0)
            continue;
        size_t at = cell(g, c->unit, c->ind, s);
        g->val[at] = c->v;
        g->fx[at] = llround(c->v * FIX);
        g->flags[at] = (uint8_t)(1 | SRC_REPORTED << 1);
    }
}

/* Big zeroed array with a huge-page hint (the hint must come before the first touch). */
static void *big(size_t n, size_t size)
{
    size_t bytes = (n + 1) * size;
    void *p = NULL;
    if (bytes >= ((size_t)4 << 20)) {
        if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
            return NULL;
        mem_huge(p, bytes);
        memset(p, 0, bytes);
        return p;
    }
    return calloc(n + 1, size);
}

int engine_build(const model *m, int nthreads, engine **out, err_t *e)
{
    engine *g = NULL;
    int *stack = NULL, rc = -1;
    job jobs[8];
    pthread_t th[8];
    int y0 = 0, y1 = 0;
    for (int pass = 0; pass < 2; pass++) {
        const cellmap *cm = pass ? &m->targets : &m->values;
        for (size_t i = 0; i < cm->n; i++) {
            int a = cm->cells[i].per.y, b = cm->cells[i].per.kind == P_RANGE ? cm->cells[i].per.y2 : a;
            if (!y0 || a < y0)
                y0 = a;
            if (b > y1)
                y1 = b;
        }
    }
    if (y0 && y1 - y0 > 60)
        y0 = y1 - 60;                   /* keep the engine to the recent decades */
    /* An engine of the same shape is rebuilt in place: its memory is already faulted in. */
    g = *out;
    *out = NULL;
    if (g && (g->nunits != (int)m->nunits || g->ninds != (int)m->ninds || g->y0 != y0 ||
              g->nyears != (y0 ? y1 - y0 + 1 : 0))) {
        engine_free(g);
        g = NULL;
    }
    int reuse = g != NULL;
    if (g == NULL && (g = calloc(1, sizeof *g)) == NULL)
        return err_set(e, "out of memory");
    g->m = m;
    g->nunits = (int)m->nunits;
    g->ninds = (int)m->ninds;
    g->y0 = y0;
    g->nyears = y0 ? y1 - y0 + 1 : 0;
    g->nslots = g->nyears * SLOTS_PER_YEAR;
    size_t ncells = (size_t)g->nunits * (size_t)g->ninds * (size_t)g->nslots;
    if (reuse) {
        memset(g->flags, 0, ncells + 1);
        for (int i = 0; i < g->ninds; i++)
            free(g->deps[i]);
    } else {
        g->val = big(ncells, sizeof *g->val);
        g->fx = big(ncells, sizeof *g->fx);
        g->flags = big(ncells, 1);
        g->miss = big(ncells, sizeof *g->miss);
        g->valid = calloc((size_t)g->nunits * (size_t)g->nslots + 1, 1);
        g->ind_order = calloc((size_t)g->ninds + 1, sizeof *g->ind_order);
        g->deps = calloc((size_t)g->ninds + 1, sizeof *g->deps);
        g->post = calloc((size_t)g->nunits + 1, sizeof *g->post);
    }
    stack = calloc((size_t)g->nunits + 1, sizeof *stack);
    if (!g->val || !g->fx || !g->flags || !g->miss || !g->valid || !g->ind_order || !g->deps || !g->post || !stack) {
        err_set(e, "out of memory (engine: %zu cells)", ncells);
        goto cleanup;
    }
    if (topo_inds(g, m) != 0) {
        err_set(e, "engine: formula order");
        goto cleanup;
    }
    for (int u = 0; u < g->nunits; u++)
        for (int s = 0; s < g->nslots; s++)
            g->valid[(size_t)u * (size_t)g->nslots + (size_t)s] = (uint8_t)model_unit_valid(m, u, period_of(g, s));
    scatter_reported(g, m);

    /* Work items: the subtrees below the roots, largest first, dealt to the least loaded thread. */
    if (nthreads < 1)
        nthreads = 1;
    if (nthreads > 8)
        nthreads = 8;
    int nitems = 0, *size = NULL;
    int nroots = 0, *roots = calloc((size_t)g->nunits + 1, sizeof *roots);
    int *sub = calloc((size_t)g->nunits + 1, sizeof *sub);
    size = calloc((size_t)g->nunits + 1, sizeof *size);
    if (!roots || !sub || !size) {
        free(roots), free(sub), free(size);
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int u = 0; u < g->nunits; u++)
        if (m->units[u].parent < 0) {
            roots[nroots++] = u;
            for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling)
                sub[nitems++] = ch;
        }
    /* each item's subtree in post-order; its size is the length of its run */
    int npost = 0;
    int *starts = calloc((size_t)nitems + 1, sizeof *starts);
    if (starts == NULL) {
        free(roots), free(sub), free(size);
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < nitems; i++) {
        starts[i] = npost;
        npost = post_order(m, sub[i], g->post, npost, stack);
        size[i] = npost - starts[i];
    }
    starts[nitems] = npost;
    int load[8] = { 0 }, *assign = calloc((size_t)nitems + 1, sizeof *assign);
    int *byorder = calloc((size_t)nitems + 1, sizeof *byorder);
    if (!assign || !byorder) {
        free(roots), free(sub), free(size), free(starts), free(assign), free(byorder);
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < nitems; i++)
        byorder[i] = i;
    for (int i = 1; i < nitems; i++)              /* insertion sort by size, largest first */
        for (int j = i; j > 0 && size[byorder[j]] > size[byorder[j - 1]]; j--) {
            int t = byorder[j]; byorder[j] = byorder[j - 1]; byorder[j - 1] = t;
        }
    for (int i = 0; i < nitems; i++) {
        int best = 0;
        for (int t = 1; t < nthreads; t++)
            if (load[t] < load[best])
                best = t;
        assign[byorder[i]] = best;
        load[best] += size[byorder[i]];
    }
    /* each thread's units: its items' post-order runs, concatenated */
    int *lists = calloc((size_t)npost + 1, sizeof *lists), pos = 0;
    if (lists == NULL) {
        free(roots), free(sub), free(size), free(starts), free(assign), free(byorder);
        err_set(e, "out of memory");
        goto cleanup;
    }
    size_t nacc = (size_t)g->ninds * (size_t)g->nslots;
    for (int t = 0; t < nthreads; t++) {
        jobs[t] = (job){ g, lists + pos, 0, { 0 } };
        if (acc_init(&jobs[t].a, nacc) != 0) {
            for (int k = 0; k <= t; k++)
                acc_free(&jobs[k].a);
            free(lists), free(roots), free(sub), free(size), free(starts), free(assign), free(byorder);
            err_set(e, "out of memory");
            goto cleanup;
        }
        for (int i = 0; i < nitems; i++)
            if (assign[i] == t)
                for (int k = starts[i]; k < starts[i + 1]; k++)
                    jobs[t].units[jobs[t].n++] = g->post[k];
        pos += jobs[t].n;
    }
    int started = 0;
    for (int t = 1; t < nthreads; t++)
        if (jobs[t].n && pthread_create(&th[t], NULL, run_job, &jobs[t]) == 0)
            started |= 1 << t;
        else if (jobs[t].n)
            run_job(&jobs[t]);                    /* no thread: do it here */
    run_job(&jobs[0]);
    for (int t = 1; t < nthreads; t++)
        if (started & 1 << t)
            pthread_join(th[t], NULL);
    for (int i = 0; i < nroots; i++)
        compute_unit(g, roots[i], &jobs[0].a);
    for (int t = 0; t < nthreads; t++)
        acc_free(&jobs[t].a);
    /* keep the full post-order (items then roots) for updates and checks */
    for (int i = 0; i < nroots; i++)
        g->post[npost++] = roots[i];
    free(lists), free(roots), free(sub), free(size), free(starts), free(assign), free(byorder);
    g->m = NULL;
    *out = g;
    g = NULL;
    rc = 0;
cleanup:
    free(stack);
    engine_free(g);
    return rc;
}

void engine_free(engine *g)
{
    if (g == NULL)
        return;
    if (g->deps)
        for (int i = 0; i < g->ninds; i++)
            free(g->deps[i]);
    free(g->deps);
    free(g->val);
    free(g->fx);
    free(g->flags);
    free(g->miss);
    free(g->valid);
    free(g->ind_order);
    free(g->post);
    free(g);
}

int engine_get(const engine *g, int ind, int unit, period_t p, double *v, int *source, int *missing)
{
    if (g == NULL || ind < 0 || ind >= g->ninds || unit < 0 || unit >= g->nunits)
        return -1;
    int s = slot_of(g, p);
    if (s < 0)
        return -1;
    size_t at = cell(g, unit, ind, s);
    int has = g->flags[at] & 1;
    *v = g->val[at];
    if (source)
        *source = g->flags[at] >> 1;
    if (missing)
        *missing = g->miss[at];
    return has;
}

int engine_update(engine *g, const model *m, int ind, int unit, period_t p, err_t *e)
{
    int s = slot_of(g, p);
    if (s < 0)
        return 0;                                 /* outside the engine: eval composes it */
    if ((int)m->ninds != g->ninds || (int)m->nunits != g->nunits)
        return err_set(e, "engine: the model's units or indicators changed; rebuild it");
    g->m = m;
    const cell_t *c = model_value(m, ind, unit, p);
    size_t at = cell(g, unit, ind, s);
    g->val[at] = c ? c->v : 0;
    g->fx[at] = c ? llround(c->v * FIX) : 0;
    g->flags[at] = c ? (uint8_t)(1 | SRC_REPORTED << 1) : 0;
    g->miss[at] = 0;
    int base = s - s % SLOTS_PER_YEAR;
    for (int u = unit; u >= 0; u = m->units[u].parent)
        for (int k = 0; k < SLOTS_PER_YEAR; k++) {
            int slot = base + order_in_year[k];
            compute_cell(g, u, ind, slot, NULL); /* a reported cell stays as scattered */
            for (const int *d = g->deps[ind]; *d >= 0; d++)
                compute_cell(g, u, *d, slot, NULL);
        }
    g->m = NULL;
    return 0;
}

void engine_years(const engine *g, int *y0, int *y1)
{
    *y0 = g->nyears ? g->y0 : 0;
    *y1 = g->nyears ? g->y0 + g->nyears - 1 : 0;
}

size_t engine_bytes(const engine *g)
{
    size_t n = (size_t)g->nunits * (size_t)g->ninds * (size_t)g->nslots;
    return n * (sizeof *g->val + sizeof *g->fx + 1 + sizeof *g->miss) + (size_t)g->nunits * (size_t)g->nslots;
}

uint64_t engine_checksum(const engine *g)
{
    uint64_t h = 1469598103934665603ULL;
    size_t n = (size_t)g->nunits * (size_t)g->ninds * (size_t)g->nslots;
    for (size_t i = 0; i < n; i++) {
        if (!(g->flags[i] & 1))
            continue;
        int64_t q = llround(g->val[i] * FIX);
        h = (h ^ (uint64_t)i) * 1099511628211ULL;
        h = (h ^ (uint64_t)q) * 1099511628211ULL;
    }
    return h;
}
