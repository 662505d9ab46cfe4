/* eval.c - evaluation of indicators for a unit and period (see eval.h).
 *
 * Data flow: eval_unit() walks the model's indicators in order; for each it
 * asks actual() for the figure of (indicator, unit, period).  actual() is a
 * memoised recursion: a reported value wins; else a formula over its operands'
 * actuals; else the aggregation of child units' actuals (children valid in the
 * period, those with data); else the aggregation of the period's sub-periods
 * (all of which must have data, since a year with only its first half is not
 * a year).  The memo lives in a ctx owned by one call, so the model stays
 * read-only and evaluation is thread-safe.  Rows, set/group tallies and ranks
 * are then derived from those actuals and the model's targets.  Every figure is
 * rounded to 10^-4 where it is made, memoised and folded in fixed point (fixed.h; sums
 * in 128 bits), the same arithmetic as the engine's, so both give the same figures to
 * the last digit; a figure beyond ±9×10^14 is FIG_TOO_LARGE (FX_OVER in the memo), as
 * is every figure computed from one.  A range's years are as many as it spans.
 * On today's structure (successions, eval_unit_on with EVAL_CURRENT) the figures go through
 * actual_on(), which converts periods before a succession from the predecessors' figures, by
 * the same fixed-point rules (no wrap, too large propagates, ranges of any length).
 * Coverage (cov_of, beside the actual in the same memo) says whether a rolled-up figure leaves
 * out units expected below it; with an engine it asks engine_partial() instead of walking down.
 * On today's structure cov_on() does the same over the units in_structure() counts, and a
 * converted figure is partial when one of its parts (predecessors' figures) is.  With an engine,
 * actual_on() and cov_on() read the engine's table of the year (engine_figure_conv, the same
 * rules) and compose only ranges (terms) and nine months themselves.
 */
#include "eval.h"
#include "engine.h"
#include "buf.h"
#include "fixed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- memoised actuals --------------------------------------------------------- */

typedef struct memo_ent {
    int ind, unit;
    uint32_t pkey;
    unsigned char used, has, source;   /* has: enum figure_state */
    int missing;
    int64_t x;                         /* the figure in fixed point (FX_OVER when too large) */
    /* coverage, filled by cov_of() / cov_on() on first use */
    unsigned char cov_done, partial;
    int expected, reported, pchildren;
} memo_ent;

typedef struct ctx {
    const model *m;
    memo_ent *tab;
    size_t n, cap;    /* cap is a power of two */
    int oom;
    int mode;                /* MODE_HIST, or MODE_CUR for today's structure (successions) */
    unsigned char *uflags;   /* per unit, UF_* bits, computed on first use by the succession path */
    int no_ranks;            /* eval_unit_unranked: rows get no rank among their siblings */
} ctx;

static uint32_t memo_hash(int ind, int unit, uint32_t pk)
{
    uint64_t x = ((uint64_t)(uint32_t)ind * 0x9E3779B97F4A7C15ULL) ^
                 ((uint64_t)(uint32_t)unit * 0xC2B2AE3D27D4EB4FULL) ^ pk;
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 32;
    return (uint32_t)x;
}

static memo_ent *memo_slot(ctx *c, int ind, int unit, uint32_t pk)
{
    if ((c->n + 1) * 2 > c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 64;   /* one figure often needs one entry */
        memo_ent *nt = calloc(nc, sizeof *nt);
        if (nt == NULL) {
            c->oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < c->cap; i++) {
            if (!c->tab[i].used)
                continue;
            size_t j = memo_hash(c->tab[i].ind, c->tab[i].unit, c->tab[i].pkey) & (nc - 1);
            while (nt[j].used)
                j = (j + 1) & (nc - 1);
            nt[j] = c->tab[i];
        }
        free(c->tab);
        c->tab = nt;
        c->cap = nc;
    }
    size_t j = memo_hash(ind, unit, pk) & (c->cap - 1);
    while (c->tab[j].used) {
        memo_ent *me = &c->tab[j];
        if (me->ind == ind && me->unit == unit && me->pkey == pk)
            return me;
        j = (j + 1) & (c->cap - 1);
    }
    return &c->tab[j];
}

static int actual(ctx *c, int ind, int unit, period_t p, int64_t *x, int *source, int *missing);
static int actual_on(ctx *c, int mode, int ind, int unit, period_t p, int64_t *x, int *source,
                     int *missing, int *conv);

/* The modes of the succession path (below): units as they were, a predecessor's own figure,
 * today's structure.  MODE_HIST is actual() itself. */
enum { MODE_HIST = 0, MODE_OWN = 1, MODE_CUR = 2 };

/* A formula over the unit's own figures in a mode: FIG_OK with *x, FIG_TOO_LARGE when an operand
 * or the result is beyond the limit, FIG_NONE when an operand is missing or the formula fails;
 * *conv is set when a converted operand went in. */
static int formula_of(ctx *c, int mode, const ind_t *d, int unit, period_t p, int64_t *x, int *conv)
{
    int nv = formula_nvars(d->f), over = 0;
    double vals[FORMULA_MAX_DEPTH * 4], r;
    unsigned char got[FORMULA_MAX_DEPTH * 4];
    if (nv > (int)(sizeof vals / sizeof vals[0]))
        return FIG_NONE;
    for (int k = 0; k < nv; k++) {
        int s2, m2, c2;
        int64_t o;
        int st = actual_on(c, mode, d->fvars[k], unit, p, &o, &s2, &m2, &c2);
        if (st == FIG_NONE)
            return FIG_NONE;                    /* every operand is needed */
        *conv |= c2;
        over |= st == FIG_TOO_LARGE;
        got[k] = 1;
        vals[k] = st == FIG_OK ? fx_val(o) : 0;
    }
    if (over) {
        *x = FX_OVER;
        return FIG_TOO_LARGE;
    }
    if (formula_eval(d->f, vals, got, &r) != 0)
        return FIG_NONE;
    *x = fx_of_value(r);
    return *x == FX_OVER ? FIG_TOO_LARGE : FIG_OK;
}

/* p's sub-periods (the years of a range, of any length) in *kids: few when they fit in 4, else
 * allocated (the caller frees *kids when it is not few); their count, 0 on OOM (c->oom set). */
static int sub_periods(ctx *c, period_t p, period_t few[4], period_t **kids)
{
    int max = p.kind == P_RANGE ? p.y2 - p.y + 1 : 4;
    *kids = few;
    if (max > 4 && (*kids = malloc((size_t)max * sizeof **kids)) == NULL) {
        c->oom = 1;
        *kids = few;
        return 0;
    }
    return period_children(p, *kids, max);
}

/* The figure of (ind, unit, p) in a mode from its sub-periods (years of a range, of any length),
 * all of which must have one; FIG_NONE otherwise; *conv as formula_of. */
static int periods_of(ctx *c, int mode, const ind_t *d, int ind, int unit, period_t p, int64_t *x, int *conv)
{
    period_t few[4], *kids;
    int st = FIG_NONE;
    int nk = sub_periods(c, p, few, &kids);
    fx_acc a = { 0 };
    for (int k = 0; k < nk; k++) {
        int s2, m2, c2;
        int64_t y;
        if (actual_on(c, mode, ind, unit, kids[k], &y, &s2, &m2, &c2) == FIG_NONE)
            goto done;
        *conv |= c2;
        fx_acc_add(&a, d->pagg, y);
    }
    if (nk > 0) {
        *x = fx_acc_get(&a, d->pagg);
        st = *x == FX_OVER ? FIG_TOO_LARGE : FIG_OK;
    }
done:
    if (kids != few)
        free(kids);
    return st;
}

/* The actual of (ind, unit, p): returns an enum figure_state with *x (FX_OVER when too large),
 * *source and *missing set. */
static int actual(ctx *c, int ind, int unit, period_t p, int64_t *x, int *source, int *missing)
{
    const model *m = c->m;
    uint32_t pk = period_key(p);
    memo_ent *me = memo_slot(c, ind, unit, pk);
    if (me == NULL)
        return FIG_NONE;
    if (me->used) {
        *x = me->x;
        *source = me->source;
        *missing = me->missing;
        return me->has;
    }
    int has = FIG_NONE, src = SRC_NONE, miss = 0;
    int64_t val = 0;
    const ind_t *d = &m->inds[ind];
    const cell_t *cell = NULL;
    int from_engine = m->engine ? engine_figure(m->engine, ind, unit, p, &val, &src, &miss) : -1;
    if (from_engine < 0 && !model_has_values(m, p))
        from_engine = FIG_NONE; /* a period with no data anywhere (last term): no walk down the tree */
    if (from_engine >= 0) {
        has = from_engine;
        if (has == FIG_NONE)
            src = SRC_NONE, miss = 0, val = 0;
        goto found;
    }
    cell_t tmp;
    cell = model_value(m, ind, unit, p, &tmp);
    if (cell) {
        val = fx_of_value(cell->v);
        has = val == FX_OVER ? FIG_TOO_LARGE : FIG_OK, src = SRC_REPORTED;
    } else if (d->f) {
        int cv = 0;
        if ((has = formula_of(c, MODE_HIST, d, unit, p, &val, &cv)) != FIG_NONE)
            src = SRC_FORMULA;
    }
    if (!has && !d->f && d->uagg != AGG_NONE && m->units[unit].nchildren > 0) {
        fx_acc a = { 0 };
        for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, p))
                continue;
            int64_t y;
            int s2, m2;
            if (actual(c, ind, ch, p, &y, &s2, &m2) != FIG_NONE)
                fx_acc_add(&a, d->uagg, y);
            else
                miss++;
        }
        if (a.n > 0) {
            val = fx_acc_get(&a, d->uagg);
            has = val == FX_OVER ? FIG_TOO_LARGE : FIG_OK, src = SRC_UNITS;
        } else
            miss = 0;
    }
    int pcv = 0;
    if (!has && !d->f && (has = periods_of(c, MODE_HIST, d, ind, unit, p, &val, &pcv)) != FIG_NONE)
        src = SRC_PERIODS, miss = 0;
found:
    if (has == FIG_TOO_LARGE)
        val = FX_OVER;
    /* Re-find the slot: recursion may have grown the table. */
    me = memo_slot(c, ind, unit, pk);
    if (me == NULL)
        return FIG_NONE;
    if (!me->used)
        c->n++;
    *me = (memo_ent){ ind, unit, pk, 1, (unsigned char)has, (unsigned char)src, miss, val, 0, 0, 0, 0, 0 };
    *x = val;
    *source = src;
    *missing = miss;
    return has;
}

/* ---- successions: figures on today's structure ------------------------------------------------
 *
 * A unit's figure for time before a succession into it is its predecessors' figures times the
 * shares; the figures are asked in one of three modes, memoised apart (the memo's unit is
 * unit + mode * nunits):
 *   MODE_HIST  units as they were (actual() above, engine-backed when there is an engine);
 *   MODE_OWN   a predecessor's own figure: its children as they were, converted where it did
 *              not exist yet itself;
 *   MODE_CUR   today's structure: a parent's children leave out those whose figures passed to
 *              successors (superseded) and take in those created later from predecessors.
 * (unit, period) pairs that no succession touches (in the unit or below) go to actual(), so
 * the engine keeps serving them; the others are computed here, never by the engine.  Figures
 * are fixed point as in actual(): sums in 128 bits, FX_OVER (FIG_TOO_LARGE) beyond the limit
 * and from any part that is. */

enum { UF_DONE = 1, UF_BELOW = 2, UF_SUPERSEDED = 4, UF_SUPDONE = 8 };
#define CONV_FLAG 0x80       /* in memo_ent.source: predecessors' figures went into it */

/* Flags per unit: UF_BELOW when a unit below it has successions (its roll-ups need this path). */
static int uflags_init(ctx *c)
{
    const model *m = c->m;
    if (c->uflags)
        return 0;
    c->uflags = calloc(m->nunits + 1, 1);
    if (c->uflags == NULL) {
        c->oom = 1;
        return -1;
    }
    for (size_t i = 0; i < m->nsuccs; i++) {
        int ends[2] = { m->succs[i].from, m->succs[i].to };
        for (int k = 0; k < 2; k++)
            for (int u = m->units[ends[k]].parent; u >= 0 && !(c->uflags[u] & UF_BELOW); u = m->units[u].parent)
                c->uflags[u] |= UF_BELOW;
    }
    return 0;
}

/* 1 if unit u's figures passed to successors: it has some, or it ended and every unit below it is
 * superseded (a dissolved district whose communes all went to new ones). */
static int superseded(ctx *c, int u)
{
    const model *m = c->m;
    if (c->uflags[u] & UF_SUPDONE)
        return (c->uflags[u] & UF_SUPERSEDED) != 0;
    int n, sup;
    model_succs(m, u, &n);
    sup = n > 0;
    if (!sup && m->units[u].valid_to && m->units[u].nchildren > 0) {
        sup = 1;
        for (int ch = m->units[u].first_child; ch >= 0 && sup; ch = m->units[ch].next_sibling)
            sup = superseded(c, ch);
    }
    c->uflags[u] |= UF_SUPDONE | (sup ? UF_SUPERSEDED : 0);
    return sup;
}

/* 1 if some succession into u is dated after p's first day: part of p is before it, so u's figure
 * for p takes predecessors' figures. */
static int needs_conv(const model *m, int u, period_t p)
{
    int n;
    const int *in = model_preds(m, u, &n);
    return n > 0 && m->succs[in[n - 1]].date > period_start(p);   /* runs are by date */
}

/* 1 if a succession into u falls on a day inside p after its first (p straddles it). */
static int straddles(const model *m, int u, period_t p)
{
    int n, a = period_start(p), b = period_end(p);
    const int *in = model_preds(m, u, &n);
    for (int k = 0; k < n; k++)
        if (m->succs[in[k]].date > a && m->succs[in[k]].date <= b)
            return 1;
    return 0;
}

/* 1 if child ch counts in its parent's roll-up for p in this mode. */
static int in_structure(ctx *c, int mode, int ch, period_t p)
{
    if (mode != MODE_CUR || c->m->nsuccs == 0 || uflags_init(c) != 0)
        return model_unit_valid(c->m, ch, p);
    if (superseded(c, ch))
        return 0;
    return model_unit_valid(c->m, ch, p) || needs_conv(c->m, ch, p);
}

/* 1 if actual_on answers (mode, unit, p) with actual(): no succession touches the unit or below. */
static int delegates(ctx *c, int mode, int unit, period_t p)
{
    const model *m = c->m;
    return mode == MODE_HIST || m->nsuccs == 0 || uflags_init(c) != 0 ||
           (!needs_conv(m, unit, p) && !(c->uflags[unit] & UF_BELOW));
}

/* 1 if p has sub-periods (a range, year, half, nine months or quarter). */
static int has_sub_periods(period_t p)
{
    period_t first;
    return period_children(p, &first, 1) > 0;
}

/* The figure of (ind, unit, p) from its predecessors (successions dated after p's first day,
 * in MODE_OWN) and, when the unit existed in p, its own figure as it was; every part must have
 * data.  Returns an enum figure_state with *x, *missing the parts without data. */
static int from_preds(ctx *c, int ind, int unit, period_t p, int64_t *x, int *missing)
{
    const model *m = c->m;
    int n, got = 0, miss = 0, st = FIG_NONE;
    const int *in = model_preds(m, unit, &n);
    int64_t *vals = malloc(((size_t)n + 1) * sizeof *vals);
    double *w = malloc(((size_t)n + 1) * sizeof *w);
    if (vals == NULL || w == NULL) {
        c->oom = 1;
        goto done;
    }
    int s2, m2, c2;
    if (model_unit_valid(m, unit, p)) {
        if (actual(c, ind, unit, p, &vals[got], &s2, &m2) != FIG_NONE)
            w[got++] = 1;
        else
            miss++;
    }
    for (int k = 0; k < n; k++) {
        const succ_t *sc = &m->succs[in[k]];
        if (sc->date <= period_start(p))
            continue;
        if (actual_on(c, MODE_OWN, ind, sc->from, p, &vals[got], &s2, &m2, &c2) != FIG_NONE)
            w[got++] = sc->share;
        else
            miss++;
    }
    if (got > 0 && miss == 0) {
        *x = fx_conv_fold(m->inds[ind].uagg, vals, w, got);
        st = *x == FX_OVER ? FIG_TOO_LARGE : FIG_OK;
    }
    *missing = st != FIG_NONE ? 0 : miss;
done:
    free(vals);
    free(w);
    return st;
}

/* The roll-up of ind over unit's child units counted in the mode (in_structure); FIG_NONE with
 * *miss 0 when none has a figure. */
static int units_on(ctx *c, int mode, const ind_t *d, int ind, int unit, period_t p, int64_t *x,
                    int *miss, int *conv)
{
    const model *m = c->m;
    fx_acc a = { 0 };
    int cv = 0;
    for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        if (!in_structure(c, mode, ch, p))
            continue;
        int64_t y;
        int s2, m2, c2;
        if (actual_on(c, mode, ind, ch, p, &y, &s2, &m2, &c2) != FIG_NONE)
            fx_acc_add(&a, d->uagg, y), cv |= c2;
        else
            (*miss)++;
    }
    if (a.n == 0)
        return *miss = 0, FIG_NONE;
    *conv |= cv;
    *x = fx_acc_get(&a, d->uagg);
    return *x == FX_OVER ? FIG_TOO_LARGE : FIG_OK;
}

/* A figure on a structure with successions: the order of actual() (reported, formula, child
 * units, sub-periods), but a period partly before a succession into the unit is converted:
 * split into sub-periods when it straddles the date (folded by the period aggregation), else
 * taken from the predecessors (from_preds); formulas are computed from converted operands.
 * Returns an enum figure_state. */
static int conv_compute(ctx *c, int mode, int ind, int unit, period_t p, int64_t *x, int *src,
                        int *miss, int *conv)
{
    const model *m = c->m;
    const ind_t *d = &m->inds[ind];
    int need = needs_conv(m, unit, p), st;
    cell_t tmp;
    const cell_t *cell = need ? NULL : model_value(m, ind, unit, p, &tmp);
    *conv = need;
    if (cell) {
        *src = SRC_REPORTED;
        *x = fx_of_value(cell->v);
        return *x == FX_OVER ? FIG_TOO_LARGE : FIG_OK;
    }
    if (d->f) {
        *src = SRC_FORMULA;
        return formula_of(c, mode, d, unit, p, x, conv);
    }
    if (need && !(straddles(m, unit, p) && has_sub_periods(p)))
        return *src = SRC_UNITS, from_preds(c, ind, unit, p, x, miss);
    if (!need && d->uagg != AGG_NONE && m->units[unit].nchildren > 0 &&
        (st = units_on(c, mode, d, ind, unit, p, x, miss, conv)) != FIG_NONE)
        return *src = SRC_UNITS, st;
    *miss = 0;
    *src = SRC_PERIODS;
    return periods_of(c, mode, d, ind, unit, p, x, conv);
}

/* The figure of (ind, unit, p) in a mode, an enum figure_state with *x (FX_OVER when too large);
 * *conv tells whether predecessors' figures went in. */
static int actual_on(ctx *c, int mode, int ind, int unit, period_t p, int64_t *x, int *source,
                     int *missing, int *conv)
{
    const model *m = c->m;
    *conv = 0;
    if (delegates(c, mode, unit, p))
        return actual(c, ind, unit, p, x, source, missing);
    int key = unit + mode * (int)m->nunits;
    uint32_t pk = period_key(p);
    memo_ent *me = memo_slot(c, ind, key, pk);
    if (me == NULL)
        return FIG_NONE;
    if (me->used) {
        *x = me->x;
        *source = me->source & ~CONV_FLAG;
        *conv = (me->source & CONV_FLAG) != 0;
        *missing = me->missing;
        return me->has;
    }
    int64_t val = 0;
    int src = SRC_NONE, miss = 0, cv = 0, has = -1;
    if (m->engine && engine_held_conv(m->engine, mode == MODE_OWN, unit, p) == 1)
        has = engine_figure_conv(m->engine, mode == MODE_OWN, ind, unit, p, &val, &src, &miss, &cv);
    if (has < 0)                      /* not in the engine's years (a range, nine months): composed here */
        has = model_has_values(m, p) ? conv_compute(c, mode, ind, unit, p, &val, &src, &miss, &cv) : FIG_NONE;
    if (has == FIG_NONE)
        val = 0, src = SRC_NONE, cv = 0;
    else if (has == FIG_TOO_LARGE)
        val = FX_OVER;
    me = memo_slot(c, ind, key, pk);  /* recursion may have grown the table */
    if (me == NULL)
        return FIG_NONE;
    if (!me->used)
        c->n++;
    *me = (memo_ent){ ind, key, pk, 1, (unsigned char)has, (unsigned char)(src | (cv ? CONV_FLAG : 0)), miss, val,
                      0, 0, 0, 0, 0 };
    *x = val;
    *source = src;
    *missing = miss;
    *conv = cv;
    return has;
}

/* The figure in the evaluation's mode (what rows, ranks and the year before use): an enum
 * figure_state, *v its plain value when FIG_OK (else 0). */
static int figure(ctx *c, int ind, int unit, period_t p, double *v, int *source, int *missing, int *conv)
{
    int64_t x;
    int st = actual_on(c, c->mode, ind, unit, p, &x, source, missing, conv);
    *v = st == FIG_OK ? fx_val(x) : 0;
    return st;
}

int eval_structure_of(const model *m, period_t p)
{
    return m->nsuccs && m->succ_last_date && period_end(p) >= m->succ_last_date ? EVAL_CURRENT : EVAL_HISTORICAL;
}

int eval_structure_parse(const char *s)
{
    static const char *const names[] = { "auto", "historical", "current" };
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static int mode_of(const model *m, period_t p, int structure)
{
    if (structure == EVAL_AUTO)
        structure = eval_structure_of(m, p);
    return structure == EVAL_CURRENT && m->nsuccs ? MODE_CUR : MODE_HIST;
}

int eval_unit_in_structure(const model *m, int unit, period_t p, int structure)
{
    ctx c = { .m = m };
    int in = in_structure(&c, mode_of(m, p, structure), unit, p);
    free(c.uflags);
    return in;
}

int eval_figure_on(const model *m, int ind, int unit, period_t p, int structure, double *v, int *converted)
{
    ctx c = { .m = m };
    int s, miss, conv;
    int64_t x;
    int st = actual_on(&c, mode_of(m, p, structure), ind, unit, p, &x, &s, &miss, &conv);
    free(c.tab);
    free(c.uflags);
    if (c.oom)
        st = FIG_NONE;
    *v = st == FIG_OK ? fx_val(x) : 0;
    if (converted)
        *converted = st != FIG_NONE && conv;
    return st;
}

int eval_figure(const model *m, int ind, int unit, period_t p, double *v)
{
    return eval_figure_on(m, ind, unit, p, EVAL_AUTO, v, NULL);
}

int eval_actual(const model *m, int ind, int unit, period_t p, double *v)
{
    return eval_figure(m, ind, unit, p, v) == FIG_OK;
}

int eval_actual_on(const model *m, int ind, int unit, period_t p, int structure, double *v, int *converted)
{
    return eval_figure_on(m, ind, unit, p, structure, v, converted) == FIG_OK;
}

/* The message of eval_too_large_error, with "and n more" when more > 0. */
static int too_large_msg(const model *m, int ind, int unit, period_t p, int more, err_t *e)
{
    char code[PERIOD_CODE_MAX];
    period_code(p, code, sizeof code);
    if (more > 0)
        return err_set(e, tr("chỉ tiêu %s (%s), đơn vị %s, kỳ %s: số liệu vượt giới hạn ±900.000 tỷ, không tính được; "
                             "hãy dùng đơn vị tính lớn hơn (ví dụ tỷ đồng thay cho đồng); và %d chỉ tiêu khác như vậy",
                             "indicator %s (%s), unit %s, period %s: the figure is beyond ±9e14 and cannot be held; "
                             "use a larger unit (e.g. billions instead of units); and %d more indicators like it"),
                       m->inds[ind].code, m->inds[ind].name, m->units[unit].name, code, more);
    return err_set(e, tr("chỉ tiêu %s (%s), đơn vị %s, kỳ %s: số liệu vượt giới hạn ±900.000 tỷ, không tính được; "
                         "hãy dùng đơn vị tính lớn hơn (ví dụ tỷ đồng thay cho đồng)",
                         "indicator %s (%s), unit %s, period %s: the figure is beyond ±9e14 and cannot be held; "
                         "use a larger unit (e.g. billions instead of units)"),
                   m->inds[ind].code, m->inds[ind].name, m->units[unit].name, code);
}

int eval_too_large_error(const model *m, int ind, int unit, period_t p, err_t *e)
{
    return too_large_msg(m, ind, unit, p, 0, e);
}

int eval_too_large(const model *m, const eval_result *r, err_t *e)
{
    int n = 0, first = -1;
    for (int i = 0; i < r->nrows; i++)
        if (r->rows[i].too_large && n++ == 0)
            first = i;
    if (n > 0)
        too_large_msg(m, r->rows[first].ind, r->unit, r->per, n - 1, e);
    return n;
}

int eval_too_large_in(const model *m, int unit, period_t p, err_t *e)
{
    return eval_too_large_in_on(m, unit, p, EVAL_AUTO, e);
}

int eval_too_large_in_on(const model *m, int unit, period_t p, int structure, err_t *e)
{
    int found = 0;
    for (int k = unit; k >= 0 && !found; k = k == unit ? m->units[unit].first_child : m->units[k].next_sibling) {
        eval_result r;
        if ((k == unit || eval_unit_in_structure(m, k, p, structure)) && eval_unit_on(m, k, p, structure, &r, e) == 0) {
            found = eval_too_large(m, &r, e) > 0;
            eval_result_free(&r);
        }
    }
    return found;
}

/* ---- coverage ------------------------------------------------------------------ */

/* Coverage of (ind, unit, p) (eval.h, docs/internals/eval.md), by the same rules whether the
 * figures come from the engine or the recursion: only a figure at a unit with children can be
 * partial.  From child units: expected = children valid in p, reported = those with a figure,
 * partial if one is missing or a reported one is itself partial.  A formula is partial when an
 * operand is (its coverage is that operand's); sub-periods when one of them is (then the
 * coverage counts the children with a figure for the whole of p).  Memoised in c. */
static void cov_of(ctx *c, int ind, int unit, period_t p, eval_cov *out);

/* Whether (ind, unit, p) is partial: the engine's table when it holds p (O(1)), else cov_of. */
static int is_partial(ctx *c, int ind, int unit, period_t p)
{
    if (c->m->units[unit].nchildren == 0)
        return 0;
    int r = c->m->engine ? engine_partial(c->m->engine, ind, unit, p) : -1;
    if (r >= 0)
        return r;
    eval_cov k;
    cov_of(c, ind, unit, p, &k);
    return k.partial;
}

static void cov_of(ctx *c, int ind, int unit, period_t p, eval_cov *out)
{
    const model *m = c->m;
    int64_t x;
    int src, miss;
    memset(out, 0, sizeof *out);
    int has = actual(c, ind, unit, p, &x, &src, &miss) != FIG_NONE;   /* too large has a figure */
    memo_ent *me = memo_slot(c, ind, unit, period_key(p));
    if (me == NULL || !me->used)
        return;
    if (me->cov_done) {
        *out = (eval_cov){ me->partial, me->expected, me->reported, me->pchildren };
        return;
    }
    eval_cov r = { 0 };
    if (has && m->units[unit].nchildren > 0 && m->engine && engine_partial(m->engine, ind, unit, p) == 0)
        has = 0;                       /* whole, by the engine's table: nothing to count */
    if (has && m->units[unit].nchildren > 0 && src == SRC_UNITS) {
        for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, p))
                continue;
            r.expected++;
            r.partial_children += is_partial(c, ind, ch, p);
        }
        r.reported = r.expected - miss;
        r.partial = miss > 0 || r.partial_children > 0;
    } else if (has && m->units[unit].nchildren > 0 && src == SRC_FORMULA) {
        const ind_t *d = &m->inds[ind];
        int nv = formula_nvars(d->f);
        for (int j = 0; j < nv && !r.partial; j++)
            if (is_partial(c, d->fvars[j], unit, p))
                cov_of(c, d->fvars[j], unit, p, &r);
    } else if (has && m->units[unit].nchildren > 0 && src == SRC_PERIODS) {
        period_t few[4], *kids;
        int nk = sub_periods(c, p, few, &kids);
        for (int j = 0; j < nk && !r.partial; j++)
            r.partial = is_partial(c, ind, unit, kids[j]);
        if (kids != few)
            free(kids);
        for (int ch = m->units[unit].first_child; r.partial && ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, p))
                continue;
            r.expected++;
            r.reported += actual(c, ind, ch, p, &x, &src, &miss) != FIG_NONE;
        }
    }
    if (!r.partial)
        r = (eval_cov){ 0 };
    me = memo_slot(c, ind, unit, period_key(p));   /* the recursion may have grown the table */
    if (me == NULL || !me->used)
        return;
    me->cov_done = 1;
    me->partial = (unsigned char)r.partial;
    me->expected = r.expected, me->reported = r.reported, me->pchildren = r.partial_children;
    *out = r;
}

/* ---- coverage on today's structure (successions) ------------------------------------------
 *
 * The same rules over the figures of actual_on(): a roll-up counts the child units in_structure()
 * counts (today's units, those created later from predecessors included); a figure converted from
 * predecessors (from_preds) has all its parts or none, and is partial when a part is or, for a
 * unit with units below it in the mode, when one of those has no figure or a partial one
 * (expected and reported count those units; for a unit without, the parts: its own figure of
 * the time and each predecessor's); formulas and sub-periods as in cov_of.  Pairs actual_on
 * gives to actual() use cov_of. */
static void cov_on(ctx *c, int mode, int ind, int unit, period_t p, eval_cov *out);

static int is_partial_on(ctx *c, int mode, int ind, int unit, period_t p)
{
    if (delegates(c, mode, unit, p))
        return is_partial(c, ind, unit, p);
    eval_cov k;
    cov_on(c, mode, ind, unit, p, &k);
    return k.partial;
}

/* The parts of a converted figure (from_preds, all with a figure): how many, how many partial. */
static void parts_cov(ctx *c, int ind, int unit, period_t p, eval_cov *r)
{
    const model *m = c->m;
    int n;
    const int *in = model_preds(m, unit, &n);
    if (model_unit_valid(m, unit, p)) {
        r->expected++;
        r->partial_children += is_partial(c, ind, unit, p);
    }
    for (int k = 0; k < n; k++) {
        const succ_t *sc = &m->succs[in[k]];
        if (sc->date <= period_start(p))
            continue;
        r->expected++;
        r->partial_children += is_partial_on(c, MODE_OWN, ind, sc->from, p);
    }
    r->reported = r->expected;
    r->partial = r->partial_children > 0;
}

/* The child units counted in the mode: expected, with a figure (reported), and (with_partial)
 * those whose figure is partial. */
static void children_cov(ctx *c, int mode, int ind, int unit, period_t p, int with_partial, eval_cov *r)
{
    const model *m = c->m;
    for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        if (!in_structure(c, mode, ch, p))
            continue;
        int64_t y;
        int s2, m2, c2;
        r->expected++;
        if (actual_on(c, mode, ind, ch, p, &y, &s2, &m2, &c2) == FIG_NONE)
            continue;
        r->reported++;
        if (with_partial)
            r->partial_children += is_partial_on(c, mode, ind, ch, p);
    }
}

static void cov_on(ctx *c, int mode, int ind, int unit, period_t p, eval_cov *out)
{
    const model *m = c->m;
    memset(out, 0, sizeof *out);
    if (delegates(c, mode, unit, p)) {
        cov_of(c, ind, unit, p, out);
        return;
    }
    int64_t x;
    int src, miss, conv, key = unit + mode * (int)m->nunits;
    int has = actual_on(c, mode, ind, unit, p, &x, &src, &miss, &conv) != FIG_NONE;
    memo_ent *me = memo_slot(c, ind, key, period_key(p));
    if (me == NULL || !me->used)
        return;
    if (me->cov_done) {
        *out = (eval_cov){ me->partial, me->expected, me->reported, me->pchildren };
        return;
    }
    eval_cov r = { 0 };
    engine_cov ec;
    if (m->engine && engine_held_conv(m->engine, mode == MODE_OWN, unit, p) == 1 &&
        engine_coverage_conv(m->engine, mode == MODE_OWN, ind, unit, p, &ec) == 0)
        r = (eval_cov){ ec.partial, ec.expected, ec.reported, ec.partial_children };   /* the engine's table */
    else if (has && src == SRC_UNITS && needs_conv(m, unit, p)) {
        eval_cov parts = { 0 };
        parts_cov(c, ind, unit, p, &parts);
        children_cov(c, mode, ind, unit, p, 1, &r);   /* a unit with units below counts them */
        if (r.expected > 0)
            r.partial = parts.partial || r.reported < r.expected || r.partial_children > 0;
        else
            r = parts;
    } else if (has && src == SRC_UNITS) {
        children_cov(c, mode, ind, unit, p, 1, &r);
        r.partial = r.reported < r.expected || r.partial_children > 0;
    } else if (has && src == SRC_FORMULA) {
        const ind_t *d = &m->inds[ind];
        int nv = formula_nvars(d->f);
        for (int j = 0; j < nv && !r.partial; j++)
            if (is_partial_on(c, mode, d->fvars[j], unit, p))
                cov_on(c, mode, d->fvars[j], unit, p, &r);
    } else if (has && src == SRC_PERIODS) {
        period_t few[4], *kids;
        int nk = sub_periods(c, p, few, &kids);
        for (int j = 0; j < nk && !r.partial; j++)
            r.partial = is_partial_on(c, mode, ind, unit, kids[j]);
        if (kids != few)
            free(kids);
        if (r.partial)
            children_cov(c, mode, ind, unit, p, 0, &r);
    }
    if (!r.partial)
        r = (eval_cov){ 0 };
    me = memo_slot(c, ind, key, period_key(p));   /* the recursion may have grown the table */
    if (me == NULL || !me->used)
        return;
    me->cov_done = 1;
    me->partial = (unsigned char)r.partial;
    me->expected = r.expected, me->reported = r.reported, me->pchildren = r.partial_children;
    *out = r;
}

int eval_actual_cov(const model *m, int ind, int unit, period_t p, double *v, eval_cov *cov)
{
    return eval_actual_cov_on(m, ind, unit, p, EVAL_AUTO, v, cov);
}

int eval_actual_cov_on(const model *m, int ind, int unit, period_t p, int structure, double *v, eval_cov *cov)
{
    ctx c = { .m = m };
    int s, miss, conv, mode = mode_of(m, p, structure);
    int64_t x;
    int st = actual_on(&c, mode, ind, unit, p, &x, &s, &miss, &conv);
    cov_on(&c, mode, ind, unit, p, cov);
    free(c.tab);
    free(c.uflags);
    *v = st == FIG_OK ? fx_val(x) : 0;
    return st == FIG_OK && !c.oom;
}

int eval_partial_units(const model *m, int ind, period_t p, unsigned char *partial)
{
    ctx c = { .m = m };
    for (size_t u = 0; u < m->nunits; u++) {
        partial[u] = 0;
        if (m->units[u].nchildren == 0)
            continue;                  /* a leaf's figure is never partial */
        partial[u] = (unsigned char)is_partial(&c, ind, (int)u, p);
    }
    free(c.tab);
    free(c.uflags);
    return c.oom ? -1 : 0;
}

int eval_withhold(const model *m, int ind)
{
    int mode = m->inds[ind].partial_mode;
    return (mode == PM_DEFAULT ? m->partial_mode : mode) == PM_WITHHOLD;
}

void eval_cov_text(const eval_row *r, struct buf *b)
{
    if (!r->partial)
        return;
    buf_printf(b, tr("%d/%d đơn vị có số liệu", "%d/%d units reported"), r->reported_children,
               r->expected_children);
    if (r->partial_children)
        buf_printf(b, tr(", %d đơn vị chưa đủ số liệu", ", %d of them incomplete"), r->partial_children);
}

static double round_at(double x, int decimals)
{
    double scale = pow(10, decimals < 0 ? 0 : decimals > 9 ? 9 : decimals);
    return round(x * scale);
}

int eval_status_fx(int dir, int decimals, int64_t actual_fx, int64_t target_fx)
{
    int64_t a = fx_round(actual_fx, decimals), t = fx_round(target_fx, decimals);
    switch (dir) {
    case DIR_DOWN: return a < t ? ST_EXCEEDED : a == t ? ST_MET : ST_NOTMET;
    case DIR_EQUAL: return a == t ? ST_MET : ST_NOTMET;
    case DIR_DONE: return (a != 0) == (t != 0) || a >= t ? ST_MET : ST_NOTMET;
    default: return a > t ? ST_EXCEEDED : a == t ? ST_MET : ST_NOTMET;
    }
}

int eval_status(int dir, int decimals, double actual_v, double target)
{
    return eval_status_fx(dir, decimals, fx_of(actual_v), fx_of(target));
}

/* ---- targets ------------------------------------------------------------------- */

/* Target of (ind, unit, p): exact, or for a range the enclosing term's (the term starting
 * where p starts, else any range containing p). */
static const cell_t *find_target(const model *m, int ind, int unit, period_t p, period_t *from, cell_t *tmp)
{
    const cell_t *t = model_target(m, ind, unit, p, tmp);
    if (t || p.kind != P_RANGE) {
        *from = p;
        return t;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->nterms; i++) {
            period_t q = m->terms[i].per;
            if (period_eq(q, p) || !period_contains(q, p) || (pass == 0 && q.y != p.y))
                continue;
            if ((t = model_target(m, ind, unit, q, tmp)) != NULL) {
                *from = q;
                return t;
            }
        }
    }
    return NULL;
}

/* ---- rank ---------------------------------------------------------------------- */

static void rank_of(ctx *c, int ind, int unit, period_t p, double mine, int *rank, int *of, int *peers)
{
    const model *m = c->m;
    const ind_t *d = &m->inds[ind];
    int all = 0;
    *rank = *of = *peers = 0;
    int par = m->units[unit].parent;
    if (par < 0 || (d->dir != DIR_UP && d->dir != DIR_DOWN))
        return;
    double me_r = round_at(mine, d->decimals);
    int better = 0, n = 0;
    for (int s = m->units[par].first_child; s >= 0; s = m->units[s].next_sibling) {
        if (!in_structure(c, c->mode, s, p))
            continue;
        all++;
        double x;
        int src, miss, conv, st = figure(c, ind, s, p, &x, &src, &miss, &conv);
        if (st == FIG_TOO_LARGE)
            return;                               /* a peer too large to hold: no rank for anyone */
        if (st == FIG_NONE)
            continue;
        if (is_partial_on(c, c->mode, ind, s, p))
            continue;                 /* a partial figure is not ranked against whole ones */
        n++;
        double xr = round_at(x, d->decimals);
        if (d->dir == DIR_UP ? xr > me_r : xr < me_r)
            better++;
    }
    if (n >= 2) {
        *rank = better + 1;
        *of = n;
        *peers = all;
    }
}

/* ---- rows and tallies ------------------------------------------------------------ */

static int eval_row_for(ctx *c, int ind, int unit, period_t p, eval_row *r)
{
    const model *m = c->m;
    const ind_t *d = &m->inds[ind];
    memset(r, 0, sizeof *r);
    r->ind = ind;
    int64_t actual_fx;
    int st = actual_on(c, c->mode, ind, unit, p, &actual_fx, &r->source, &r->missing_children, &r->converted);
    r->actual = st == FIG_OK ? fx_val(actual_fx) : 0;
    r->has_actual = st == FIG_OK;
    r->too_large = st == FIG_TOO_LARGE;
    if (!r->has_actual)
        r->converted = 0;
    eval_cov cov;
    cov_on(c, c->mode, ind, unit, p, &cov);
    r->partial = cov.partial, r->expected_children = cov.expected;
    r->reported_children = cov.reported, r->partial_children = cov.partial_children;
    if (r->partial && eval_withhold(m, ind))
        r->withheld = 1, r->has_actual = 0, r->actual = 0;   /* shown as no figure, with its coverage */
    if (r->source == SRC_REPORTED) {
        cell_t vtmp;
        const cell_t *cell = model_value(m, ind, unit, p, &vtmp);
        r->comment = cell ? cell->comment : NULL;
    }
    cell_t tmp;
    const cell_t *t = find_target(m, ind, unit, p, &r->target_period, &tmp);
    if (t) {
        r->has_target = 1;
        r->target = t->v;
    } else if (p.kind == P_HALF || p.kind == P_QUARTER || p.kind == P_MONTH || p.kind == P_M9) {
        period_t y = period_year_of(p);
        const cell_t *yt = model_target(m, ind, unit, y, &tmp);
        if (yt) {
            r->has_annual = 1;
            r->annual_target = yt->v;
            r->annual_period = y;
            if (r->has_actual && yt->v != 0)
                r->annual_pct = r->actual / yt->v * 100;
            else
                r->has_annual = r->has_actual ? 2 : 1; /* 2: no % (zero target) */
        }
    }
    if (r->has_target) {
        if (!r->has_actual)
            r->status = ST_NODATA;
        else
            r->status = eval_status_fx(d->dir, d->decimals, actual_fx, fx_of(r->target)); /* exact, as the engine */
        if (r->has_actual && r->target != 0) {
            r->has_pct = 1;
            r->pct = r->actual / r->target * 100;
        }
    }
    if (r->partial) {
        /* a partial total is shown (marked) or withheld, never judged: no status, no % of plan */
        if (r->has_target)
            r->status = ST_NODATA;
        r->has_pct = 0, r->pct = 0;
        if (r->has_annual == 1)
            r->has_annual = 2, r->annual_pct = 0;
    }
    if (r->has_actual) {
        period_t py = period_prev_year(p);
        int src, miss, conv;
        /* "cùng kỳ" only between whole figures: a partial one would fake a fall or a rise */
        if (py.kind != P_NONE && figure(c, ind, unit, py, &r->prev, &src, &miss, &r->prev_converted) == FIG_OK &&
            !r->partial && !is_partial_on(c, c->mode, ind, unit, py)) {
            r->has_prev = 1;
            r->change = r->actual - r->prev;
            if (r->prev != 0) {
                r->has_change_pct = 1;
                r->change_pct = r->change / fabs(r->prev) * 100;
            }
        }
        int par = m->units[unit].parent;
        /* The parent's figure only when it is whole: a roll-up missing some units is no benchmark. */
        if (par >= 0 && (model_unit_valid(m, par, p) || (c->mode == MODE_CUR && needs_conv(m, par, p))))
            r->has_parent = figure(c, ind, par, p, &r->parent_value, &src, &miss, &conv) == FIG_OK &&
                            !is_partial_on(c, c->mode, ind, par, p);
        if (!r->partial && !c->no_ranks)
            rank_of(c, ind, unit, p, r->actual, &r->rank, &r->rank_of, &r->rank_peers);
    }
    if (!r->has_prev)
        r->prev_converted = 0;
    return r->has_actual || r->too_large || r->withheld || r->has_target || r->has_annual;
}

static void tally_add(eval_tally *t, int status)
{
    if (status == ST_NOTARGET)
        return;
    t->total++;
    switch (status) {
    case ST_EXCEEDED: t->exceeded++; break;
    case ST_MET: t->met++; break;
    case ST_NOTMET: t->notmet++; break;
    default: t->nodata++; break;
    }
}

static int group_add(eval_group **arr, int *n, const char *name, int status)
{
    for (int i = 0; i < *n; i++)
        if (strcmp((*arr)[i].name, name) == 0) {
            tally_add(&(*arr)[i].t, status);
            return 0;
        }
    eval_group *g = realloc(*arr, ((size_t)*n + 1) * sizeof *g);
    if (g == NULL)
        return -1;
    *arr = g;
    g[*n] = (eval_group){ name, { 0 } };
    tally_add(&g[*n].t, status);
    (*n)++;
    return 0;
}

/* Status of a main indicator with no target of its own, from its component rows. */
static int status_from(const eval_row *comps, int n)
{
    int any = 0, notmet = 0, nodata = 0, exceeded = 0;
    for (int i = 0; i < n; i++) {
        if (comps[i].status == ST_NOTARGET)
            continue;
        any++;
        notmet += comps[i].status == ST_NOTMET;
        nodata += comps[i].status == ST_NODATA;
        exceeded += comps[i].status == ST_EXCEEDED;
    }
    if (!any)
        return ST_NOTARGET;
    if (notmet)
        return ST_NOTMET;
    if (nodata)
        return ST_NODATA;
    return exceeded == any ? ST_EXCEEDED : ST_MET;
}

/* Counts, among the "no data" of each tally, the main indicators whose figure is partial. */
static void tally_partial(const model *m, eval_result *out)
{
    for (int k = 0; k < out->nrows; k++) {
        const eval_row *x = &out->rows[k];
        const ind_t *d = &m->inds[x->ind];
        if (!x->partial || x->status != ST_NODATA || x->status_from_components)
            continue;
        eval_tally *t = &out->comps;
        if (d->parent < 0) {
            out->all.partial++;
            for (int g = 0; g < out->nsets; g++)
                out->sets[g].t.partial += strcmp(out->sets[g].name, d->set) == 0;
            for (int g = 0; g < out->ngroups; g++)
                out->groups[g].t.partial += strcmp(out->groups[g].name, d->group) == 0;
            continue;
        }
        t->partial++;
    }
}

int eval_unit(const model *m, int unit, period_t p, eval_result *out, err_t *e)
{
    return eval_unit_on(m, unit, p, EVAL_AUTO, out, e);
}

/* eval_unit_on, with or without the ranks. */
static int unit_on(const model *m, int unit, period_t p, int structure, int no_ranks, eval_result *out, err_t *e)
{
    ctx c = { .m = m, .mode = mode_of(m, p, structure), .no_ranks = no_ranks };
    memset(out, 0, sizeof *out);
    out->unit = unit;
    out->per = p;
    out->structure = c.mode == MODE_CUR ? EVAL_CURRENT : EVAL_HISTORICAL;
    out->rows = calloc(m->ninds + 1, sizeof *out->rows);
    if (out->rows == NULL)
        goto oom;
    for (size_t i = 0; i < m->ninds; i++) {
        if (m->inds[i].parent >= 0)
            continue;
        int at = out->nrows;
        int keep = eval_row_for(&c, (int)i, unit, p, &out->rows[at]);
        int ncomp = 0;
        for (size_t k = 0; m->inds[i].nchildren && k < m->ninds; k++) {
            if (m->inds[k].parent != (int)i)
                continue;
            if (eval_row_for(&c, (int)k, unit, p, &out->rows[at + 1 + ncomp]))
                ncomp++;
        }
        if (ncomp && !out->rows[at].has_target) {
            out->rows[at].status = status_from(&out->rows[at + 1], ncomp);
            out->rows[at].status_from_components = out->rows[at].status != ST_NOTARGET;
        }
        if (!keep && !ncomp)
            continue;
        if (ncomp) {
            out->comp_parents++;
            for (int k = 0; k < ncomp; k++)
                tally_add(&out->comps, out->rows[at + 1 + k].status);
        }
        const ind_t *d = &m->inds[i];
        int st = out->rows[at].status;
        tally_add(&out->all, st);
        if (group_add(&out->sets, &out->nsets, d->set, st) != 0 ||
            group_add(&out->groups, &out->ngroups, d->group, st) != 0)
            goto oom;
        out->nrows = at + 1 + ncomp;
    }
    tally_partial(m, out);
    if (c.oom)
        goto oom;
    free(c.tab);
    free(c.uflags);
    return 0;
oom:
    free(c.tab);
    free(c.uflags);
    eval_result_free(out);
    return err_set(e, "out of memory");
}

int eval_unit_on(const model *m, int unit, period_t p, int structure, eval_result *out, err_t *e)
{
    return unit_on(m, unit, p, structure, 0, out, e);
}

int eval_unit_unranked(const model *m, int unit, period_t p, eval_result *out, err_t *e)
{
    return unit_on(m, unit, p, EVAL_AUTO, 1, out, e);
}

void eval_result_free(eval_result *r)
{
    free(r->rows);
    free(r->sets);
    free(r->groups);
    memset(r, 0, sizeof *r);
}

const char *eval_status_name(int status)
{
    switch (status) {
    case ST_EXCEEDED: return tr("vượt", "exceeded");
    case ST_MET: return tr("đạt", "met");
    case ST_NOTMET: return tr("không đạt", "not met");
    case ST_NODATA: return tr("chưa có số liệu", "no data");
    default: return tr("không có chỉ tiêu", "no target");
    }
}

const char *eval_status_key(int status)
{
    static const char *const keys[] = { "no_target", "no_data", "not_met", "met", "exceeded" };
    return status >= 0 && status <= ST_EXCEEDED ? keys[status] : "no_target";
}

const char *eval_row_status_name(const eval_row *r)
{
    return r->partial ? tr("chưa đủ số liệu", "incomplete data") : eval_status_name(r->status);
}
