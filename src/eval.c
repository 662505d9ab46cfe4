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
 * rounded to 10^-4 where it is made and folded in fixed point (fixed.h), the same
 * arithmetic as the engine's, so both give the same figures to the last digit.
 * Coverage (cov_of, beside the actual in the same memo) says whether a rolled-up figure leaves
 * out units expected below it; with an engine it asks engine_partial() instead of walking down.
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
    unsigned char used, has, source;
    int missing;
    double v;
    /* coverage, filled by cov_of() on first use */
    unsigned char cov_done, partial;
    int expected, reported, pchildren;
} memo_ent;

typedef struct ctx {
    const model *m;
    memo_ent *tab;
    size_t n, cap;    /* cap is a power of two */
    int oom;
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
        size_t nc = c->cap ? c->cap * 2 : 1024;
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

static double agg_fold(int agg, const double *v, int n)
{
    int64_t acc = fx_of(v[0]);
    for (int i = 1; i < n; i++) {
        int64_t x = fx_of(v[i]);
        switch (agg) {
        case AGG_MIN: acc = x < acc ? x : acc; break;
        case AGG_MAX: acc = x > acc ? x : acc; break;
        case AGG_LAST: acc = x; break;
        default: acc += x; break; /* sum, avg */
        }
    }
    return fx_val(agg == AGG_AVG ? fx_div(acc, n) : acc);
}

/* The actual of (ind, unit, p): returns 1 with *v, *source and *missing set, or 0. */
static int actual(ctx *c, int ind, int unit, period_t p, double *v, int *source, int *missing)
{
    const model *m = c->m;
    uint32_t pk = period_key(p);
    memo_ent *me = memo_slot(c, ind, unit, pk);
    if (me == NULL)
        return 0;
    if (me->used) {
        *v = me->v;
        *source = me->source;
        *missing = me->missing;
        return me->has;
    }
    int has = 0, src = SRC_NONE, miss = 0;
    double val = 0;
    const ind_t *d = &m->inds[ind];
    const cell_t *cell = NULL;
    int from_engine = m->engine ? engine_get(m->engine, ind, unit, p, &val, &src, &miss) : -1;
    if (from_engine < 0 && !model_has_values(m, p))
        from_engine = 0;      /* a period with no data anywhere (last term): no walk down the tree */
    if (from_engine >= 0) {
        has = from_engine;
        if (!has)
            src = SRC_NONE, miss = 0, val = 0;
        goto found;
    }
    cell = model_value(m, ind, unit, p);
    if (cell) {
        has = 1, src = SRC_REPORTED, val = fx_val(fx_of(cell->v));
    } else if (d->f) {
        int nv = formula_nvars(d->f);
        double vals[FORMULA_MAX_DEPTH * 4];
        unsigned char got[FORMULA_MAX_DEPTH * 4];
        if (nv <= (int)(sizeof vals / sizeof vals[0])) {
            for (int k = 0; k < nv; k++) {
                int s2, m2;
                got[k] = (unsigned char)actual(c, d->fvars[k], unit, p, &vals[k], &s2, &m2);
            }
            if (formula_eval(d->f, vals, got, &val) == 0)
                has = 1, src = SRC_FORMULA, val = fx_val(fx_of(val));
        }
    }
    if (!has && !d->f && d->uagg != AGG_NONE && m->units[unit].nchildren > 0) {
        int nvals = 0, cap = m->units[unit].nchildren;
        double *vals = malloc((size_t)cap * sizeof *vals);
        if (vals == NULL) {
            c->oom = 1;
            return 0;
        }
        for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, p))
                continue;
            double x;
            int s2, m2;
            if (actual(c, ind, ch, p, &x, &s2, &m2))
                vals[nvals++] = x;
            else
                miss++;
        }
        if (nvals > 0)
            has = 1, src = SRC_UNITS, val = agg_fold(d->uagg, vals, nvals);
        else
            miss = 0;
        free(vals);
    }
    if (!has && !d->f) {
        period_t kids[16];
        double vals[16];
        int nk = period_children(p, kids, 16), ok = nk > 0;
        for (int k = 0; ok && k < nk; k++) {
            int s2, m2;
            ok = actual(c, ind, unit, kids[k], &vals[k], &s2, &m2);
        }
        if (ok)
            has = 1, src = SRC_PERIODS, miss = 0, val = agg_fold(d->pagg, vals, nk);
    }
found:
    /* Re-find the slot: recursion may have grown the table. */
    me = memo_slot(c, ind, unit, pk);
    if (me == NULL)
        return 0;
    if (!me->used)
        c->n++;
    *me = (memo_ent){ ind, unit, pk, 1, (unsigned char)has, (unsigned char)src, miss, val, 0, 0, 0, 0, 0 };
    *v = val;
    *source = src;
    *missing = miss;
    return has;
}

int eval_actual(const model *m, int ind, int unit, period_t p, double *v)
{
    ctx c = { .m = m };
    int s, miss;
    int has = actual(&c, ind, unit, p, v, &s, &miss);
    free(c.tab);
    return has && !c.oom;
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
    double v;
    int src, miss;
    memset(out, 0, sizeof *out);
    int has = actual(c, ind, unit, p, &v, &src, &miss);
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
        period_t kids[16];
        int nk = period_children(p, kids, 16);
        for (int j = 0; j < nk && !r.partial; j++)
            r.partial = is_partial(c, ind, unit, kids[j]);
        for (int ch = m->units[unit].first_child; r.partial && ch >= 0; ch = m->units[ch].next_sibling) {
            if (!model_unit_valid(m, ch, p))
                continue;
            r.expected++;
            r.reported += actual(c, ind, ch, p, &v, &src, &miss);
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

int eval_actual_cov(const model *m, int ind, int unit, period_t p, double *v, eval_cov *cov)
{
    ctx c = { .m = m };
    int s, miss;
    int has = actual(&c, ind, unit, p, v, &s, &miss);
    cov_of(&c, ind, unit, p, cov);
    free(c.tab);
    return has && !c.oom;
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
static const cell_t *find_target(const model *m, int ind, int unit, period_t p, period_t *from)
{
    const cell_t *t = model_target(m, ind, unit, p);
    if (t || p.kind != P_RANGE) {
        *from = p;
        return t;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < m->nterms; i++) {
            period_t q = m->terms[i].per;
            if (period_eq(q, p) || !period_contains(q, p) || (pass == 0 && q.y != p.y))
                continue;
            if ((t = model_target(m, ind, unit, q)) != NULL) {
                *from = q;
                return t;
            }
        }
    }
    return NULL;
}

/* ---- rank ---------------------------------------------------------------------- */

static void rank_of(ctx *c, int ind, int unit, period_t p, double mine, int *rank, int *of)
{
    const model *m = c->m;
    const ind_t *d = &m->inds[ind];
    *rank = *of = 0;
    int par = m->units[unit].parent;
    if (par < 0 || (d->dir != DIR_UP && d->dir != DIR_DOWN))
        return;
    double me_r = round_at(mine, d->decimals);
    int better = 0, n = 0;
    for (int s = m->units[par].first_child; s >= 0; s = m->units[s].next_sibling) {
        if (!model_unit_valid(m, s, p))
            continue;
        double x;
        int src, miss;
        if (!actual(c, ind, s, p, &x, &src, &miss))
            continue;
        if (is_partial(c, ind, s, p))
            continue;                 /* a partial figure is not ranked against whole ones */
        n++;
        double xr = round_at(x, d->decimals);
        if (d->dir == DIR_UP ? xr > me_r : xr < me_r)
            better++;
    }
    if (n >= 2) {
        *rank = better + 1;
        *of = n;
    }
}

/* ---- rows and tallies ------------------------------------------------------------ */

static int eval_row_for(ctx *c, int ind, int unit, period_t p, eval_row *r)
{
    const model *m = c->m;
    const ind_t *d = &m->inds[ind];
    memset(r, 0, sizeof *r);
    r->ind = ind;
    r->has_actual = actual(c, ind, unit, p, &r->actual, &r->source, &r->missing_children);
    eval_cov cov;
    cov_of(c, ind, unit, p, &cov);
    r->partial = cov.partial, r->expected_children = cov.expected;
    r->reported_children = cov.reported, r->partial_children = cov.partial_children;
    if (r->partial && eval_withhold(m, ind))
        r->withheld = 1, r->has_actual = 0, r->actual = 0;   /* shown as no figure, with its coverage */
    if (r->source == SRC_REPORTED) {
        const cell_t *cell = model_value(m, ind, unit, p);
        r->comment = cell ? cell->comment : NULL;
    }
    const cell_t *t = find_target(m, ind, unit, p, &r->target_period);
    if (t) {
        r->has_target = 1;
        r->target = t->v;
    } else if (p.kind == P_HALF || p.kind == P_QUARTER || p.kind == P_MONTH) {
        period_t y = period_year_of(p);
        const cell_t *yt = model_target(m, ind, unit, y);
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
            r->status = eval_status(d->dir, d->decimals, r->actual, r->target);
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
        int src, miss;
        /* "cùng kỳ" only between whole figures: a partial one would fake a fall or a rise */
        if (py.kind != P_NONE && actual(c, ind, unit, py, &r->prev, &src, &miss) && !r->partial &&
            !is_partial(c, ind, unit, py)) {
            r->has_prev = 1;
            r->change = r->actual - r->prev;
            if (r->prev != 0) {
                r->has_change_pct = 1;
                r->change_pct = r->change / fabs(r->prev) * 100;
            }
        }
        int par = m->units[unit].parent;
        /* The parent's figure only when it is whole: a roll-up missing some units is no benchmark. */
        if (par >= 0 && model_unit_valid(m, par, p))
            r->has_parent = actual(c, ind, par, p, &r->parent_value, &src, &miss) && !is_partial(c, ind, par, p);
        if (!r->partial)
            rank_of(c, ind, unit, p, r->actual, &r->rank, &r->rank_of);
    }
    return r->has_actual || r->has_target || r->has_annual;
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
    ctx c = { .m = m };
    memset(out, 0, sizeof *out);
    out->unit = unit;
    out->per = p;
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
    return 0;
oom:
    free(c.tab);
    eval_result_free(out);
    return err_set(e, "out of memory");
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
