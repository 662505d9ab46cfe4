/* test_engine_conv.c - the engine's figures on today's structure (engine_figure_conv,
 * engine_coverage_conv) against eval.c's recursion (the reference, eval_figure_on and
 * eval_actual_cov_on with EVAL_CURRENT) on random trees reorganised twice: leaves merged, split
 * with shares, renamed and moved to another parent, districts dissolved into other districts'
 * units, districts merged with their units; the second reorganisation takes units of the first
 * (chains).  Dates on a half's boundary, mid-quarter and mid-month, so years, halves, quarters and
 * months straddle them; every unit and period aggregation, formulas over converted operands.
 * Every figure, its mark and its coverage must agree exactly, for every unit, indicator and
 * period of both years; and eval_unit_on's rows with the engine attached equal the reference's. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine.h"
#include "eval.h"
#include "fixed.h"
#include "model.h"

static uint64_t rng;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

#define MAXU 400

/* The tree being generated: parent, validity, children count (the model gets it at the end). */
typedef struct gen {
    int n, parent[MAXU], vf[MAXU], vt[MAXU], kids[MAXU];
    int sfrom[MAXU * 2], sto[MAXU * 2], sdate[MAXU * 2];
    double sshare[MAXU * 2];
    int ns;
} gen;

static int add_unit(gen *G, int parent, int vf)
{
    int u = G->n++;
    assert_true(u < MAXU);
    G->parent[u] = parent, G->vf[u] = vf, G->vt[u] = 0, G->kids[u] = 0;
    if (parent >= 0)
        G->kids[parent]++;
    return u;
}

static void add_succ(gen *G, int from, int to, int date, double share)
{
    G->sfrom[G->ns] = from, G->sto[G->ns] = to, G->sdate[G->ns] = date, G->sshare[G->ns++] = share;
}

static int alive(const gen *G, int u, int date)
{
    return (G->vf[u] == 0 || G->vf[u] <= date) && (G->vt[u] == 0 || G->vt[u] >= date);
}

/* A unit alive after date that can take new units (not a leaf of the last level). */
static int some_parent(const gen *G, int date, int avoid)
{
    for (int tries = 0; tries < 200; tries++) {
        int p = (int)rnd((unsigned)G->n);
        if (p != avoid && alive(G, p, date) && (G->kids[p] > 0 || p == 0))
            return p;
    }
    return 0;
}

/* The previous day of yyyymmdd (the dates used here are never the 1st of January... or are). */
static int day_before(int d)
{
    static const int mdays[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = d / 10000, mo = d / 100 % 100, dd = d % 100;
    if (dd > 1)
        return d - 1;
    if (mo > 1)
        return y * 10000 + (mo - 1) * 100 + mdays[mo - 1];
    return (y - 1) * 10000 + 1231;
}

/* Ends u on the day before date. */
static void end_unit(gen *G, int u, int date)
{
    G->vt[u] = day_before(date);
}

/* One reorganisation on date: leaves merged, split, renamed or moved; a district dissolved into
 * new units elsewhere; two districts merged with their units. */
static int reorg_pct = 60;      /* leaves a reorganisation takes; low: most subtrees untouched */

static void reorganise(gen *G, int date)
{
    int n0 = G->n;
    for (int u = 1; u < n0; u++) {
        if (!alive(G, u, date) || G->vt[u] || G->kids[u] > 0 || G->parent[u] < 0 || (int)rnd(100) >= reorg_pct)
            continue;
        int kind = (int)rnd(4);
        if (kind == 0) {                        /* merge with up to two sibling leaves */
            int to = add_unit(G, rnd(3) ? G->parent[u] : some_parent(G, date, u), date);
            add_succ(G, u, to, date, 1);
            end_unit(G, u, date);
            for (int v = u + 1, k = 0; v < n0 && k < 2; v++)
                if (G->parent[v] == G->parent[u] && G->kids[v] == 0 && !G->vt[v] && alive(G, v, date)) {
                    add_succ(G, v, to, date, 1);
                    end_unit(G, v, date);
                    k++;
                }
        } else if (kind == 1) {                 /* split in two or three with shares */
            static const double sh[3][3] = { { 0.5, 0.5, 0 }, { 0.3, 0.7, 0 }, { 0.125, 0.375, 0.5 } };
            int which = (int)rnd(3), parts = which == 2 ? 3 : 2;
            for (int k = 0; k < parts; k++)
                add_succ(G, u, add_unit(G, k == 0 ? G->parent[u] : some_parent(G, date, u), date), date, sh[which][k]);
            end_unit(G, u, date);
        } else if (kind == 2) {                 /* renamed: a new code, same place */
            add_succ(G, u, add_unit(G, G->parent[u], date), date, 1);
            end_unit(G, u, date);
        } else {                                /* moved to another parent */
            add_succ(G, u, add_unit(G, some_parent(G, date, G->parent[u]), date), date, 1);
            end_unit(G, u, date);
        }
    }
    /* an inner unit whose units are all leaves: dissolved (its leaves go elsewhere), or merged
     * with another such unit into a new one that takes their leaves merged in pairs */
    for (int u = 1; u < n0; u++) {
        if (!alive(G, u, date) || G->vt[u] || G->kids[u] == 0 || rnd(4) != 0)
            continue;
        int ok = 1;
        for (int v = 0; v < G->n && ok; v++)
            if (G->parent[v] == u && (G->kids[v] > 0 || (G->vt[v] && G->vt[v] < day_before(date))))
                ok = 0;
        if (!ok)
            continue;
        int merged = rnd(2) ? add_unit(G, G->parent[u] >= 0 ? G->parent[u] : 0, date) : -1;
        if (merged >= 0)
            add_succ(G, u, merged, date, 1);
        int target = -1;
        for (int v = 0; v < n0; v++) {
            if (G->parent[v] != u || !alive(G, v, date) || G->vt[v])
                continue;
            if (target < 0 || rnd(2))
                target = add_unit(G, merged >= 0 ? merged : some_parent(G, date, u), date);
            add_succ(G, v, target, date, 1);
            end_unit(G, v, date);
        }
        end_unit(G, u, date);
    }
}

static int formulas_on = 1;
static int lifetimes_on;        /* some leaves no succession touches end or start within the years */

/* Leaves that take part in no succession: one in six ends on a date of the years or starts on one,
 * with neither predecessor nor successor (a unit closed, a unit opened). */
static void lifetimes(gen *G)
{
    static const int dates[] = { 20210501, 20211115, 20220301, 20220916 };
    for (int u = 1; u < G->n; u++) {
        int touched = 0;
        for (int k = 0; k < G->ns && !touched; k++)
            touched = G->sfrom[k] == u || G->sto[k] == u;
        if (touched || G->kids[u] > 0 || G->vt[u] || G->vf[u] || rnd(6) != 0)
            continue;
        if (rnd(2))
            G->vt[u] = day_before(dates[rnd(4)]);
        else
            G->vf[u] = dates[rnd(4)];
    }
}
static int big_values;          /* values across the whole range (sums past int64, FX_OVER) */

/* A reported value: small; or with big_values, one of magnitudes on either side of the engine's
 * int64 thresholds (2^47 and 2^58 units of 10^-4) and near the limit, so sums of a few pass
 * ±FX_MAX (too large) and wrap an int64. */
static double some_value(void)
{
    if (!big_values || rnd(3) == 0)
        return (double)((int)rnd(200000) - 20000) / 100.0;
    double sign = rnd(2) ? 1 : -1;
    switch (rnd(4)) {
    case 0: return sign * (1.4e10 + (double)rnd(1000000));          /* about 2^47 / 10^4 */
    case 1: return sign * (2.8e13 + (double)rnd(1000000) * 1e3);    /* about 2^58 / 10^4 */
    case 2: return sign * (4.0e14 + (double)rnd(1000000) * 1e8);
    default: return sign * 9.0e14;
    }
}

static model *reorg_model(int nunits, int ninds, int nvalues, int d1, int d2)
{
    gen *G = calloc(1, sizeof *G);
    assert_non_null(G);
    add_unit(G, -1, 0);
    for (int u = 1; u < nunits; u++)
        add_unit(G, (int)rnd((unsigned)u), 0);
    reorganise(G, d1);
    if (d2)
        reorganise(G, d2);
    if (lifetimes_on)
        lifetimes(G);
    model *m = model_new();
    char code[32], parent[32];
    assert_non_null(m);
    for (int u = 0; u < G->n; u++) {
        snprintf(code, sizeof code, "u%d", u);
        if (G->parent[u] < 0)
            parent[0] = '\0';
        else
            snprintf(parent, sizeof parent, "u%d", G->parent[u]);
        assert_true(model_put_unit(m, code, code, parent, "", G->vf[u], G->vt[u]) >= 0);
    }
    for (int k = 0; k < G->ns; k++)
        assert_true(model_put_succ(m, G->sfrom[k], G->sto[k], G->sdate[k], G->sshare[k]) >= 0);
    static const char *const forms[] = { "i0 + i1", "i0 / i1 * 100", "(i0 - i1) * 2", "i1 / 3" };
    for (int i = 0; i < ninds; i++) {
        ind_t d = { 0 };
        char c[16], f[32] = "";
        snprintf(c, sizeof c, "i%d", i);
        if (formulas_on && i >= 2 && rnd(3) == 0)
            snprintf(f, sizeof f, "%s", forms[rnd(4)]);
        d.code = c, d.name = c, d.group = "g", d.set = "", d.measure = "", d.parent_code = "", d.formula_src = f;
        d.dir = (int)rnd(4), d.uagg = (int)rnd(6), d.pagg = (int)rnd(6), d.decimals = (int)rnd(5);
        if (d.pagg == AGG_NONE)
            d.pagg = AGG_LAST;
        if (i < 2 && d.uagg == AGG_NONE)
            d.uagg = AGG_SUM;
        assert_true(model_put_ind(m, &d) >= 0);
    }
    for (int k = 0; k < nvalues; k++) {
        int u = (int)rnd((unsigned)G->n), i = (int)rnd((unsigned)ninds);
        uint16_t y = (uint16_t)(2021 + rnd(2));
        period_t p;
        switch (rnd(8)) {
        case 0: p = (period_t){ P_YEAR, 0, y, y }; break;
        case 1: p = (period_t){ P_HALF, (uint8_t)(1 + rnd(2)), y, y }; break;
        case 2: p = (period_t){ P_QUARTER, (uint8_t)(1 + rnd(4)), y, y }; break;
        default: p = (period_t){ P_MONTH, (uint8_t)(1 + rnd(12)), y, y }; break;
        }
        if (G->kids[u] > 0 && rnd(4))
            continue;                            /* mostly leaves report */
        double v = some_value();
        assert_int_equal(model_put_value(m, i, u, p, v, NULL), 0);
        if (rnd(3) == 0)
            assert_int_equal(model_put_target(m, i, u, (period_t){ P_YEAR, 0, y, y }, v + 1), 0);
    }
    /* most leaves report every month of both years for the first indicators: complete roll-ups */
    for (int u = 0; u < G->n; u++) {
        if (G->kids[u] > 0 || rnd(5) == 0)
            continue;
        for (int y = 2021; y <= 2022; y++)
            for (int mo = 1; mo <= 12; mo++) {
                period_t p = { P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y };
                int d = y * 10000 + mo * 100 + 1;
                if ((G->vf[u] && G->vf[u] > d + 30) || (G->vt[u] && G->vt[u] < d))
                    continue;                    /* reports only while it exists */
                for (int i = 0; i < 2; i++)
                    assert_int_equal(model_put_value(m, i, u, p, big_values && rnd(2) ? some_value()
                                                                 : (double)(1 + rnd(1000)) / 4.0, NULL), 0);
            }
    }
    assert_int_equal(model_put_term(m, (period_t){ P_RANGE, 0, 2021, 2022 }, "t"), 0);
    err_t e;
    if (model_finish(m, &e) != 0)
        fail_msg("model_finish: %s", e.msg);
    free(G);
    return m;
}

static long compared, converted_seen, partial_seen, straddling_seen, too_large_seen;

/* Every figure (and mark and coverage) of every unit, indicator and slot of 2021-2022 on today's
 * structure: the engine's table equals the reference recursion. */
static void compare_conv(model *m, engine *g)
{
    m->engine = NULL;
    for (int y = 2021; y <= 2022; y++)
        for (int k = 0; k < 19; k++) {
            uint16_t yy = (uint16_t)y;
            period_t p = k == 18 ? (period_t){ P_YEAR, 0, yy, yy }
                       : k >= 16 ? (period_t){ P_HALF, (uint8_t)(k - 15), yy, yy }
                       : k >= 12 ? (period_t){ P_QUARTER, (uint8_t)(k - 11), yy, yy }
                                 : (period_t){ P_MONTH, (uint8_t)(k + 1), yy, yy };
            for (int u = 0; u < (int)m->nunits; u++)
                for (int i = 0; i < (int)m->ninds; i++) {
                    double v;
                    int conv = 0, gconv = 0, src, miss;
                    int64_t fx;
                    int st = eval_figure_on(m, i, u, p, EVAL_CURRENT, &v, &conv);
                    int gs = engine_figure_conv(g, 0, i, u, p, &fx, &src, &miss, &gconv);
                    if (gs < 0)
                        fail_msg("engine_figure_conv: outside for %d/%d/%d", p.kind, p.n, p.y);
                    if (st != gs || (st == FIG_OK && fx_val(fx) != v) || (st != FIG_NONE && conv != gconv))
                        fail_msg("unit %s ind %d period %d/%d/%d: reference %d %.4f conv %d, engine %d %.4f conv %d",
                                 m->units[u].code, i, p.kind, p.n, p.y, st, v, conv, gs,
                                 gs == 1 ? fx_val(fx) : 0.0, gconv);
                    compared++;
                    too_large_seen += st == FIG_TOO_LARGE;
                    converted_seen += st != FIG_NONE && conv;
                    eval_cov ca;
                    engine_cov cb;
                    eval_actual_cov_on(m, i, u, p, EVAL_CURRENT, &v, &ca);
                    if (engine_held_conv(g, 0, u, p) == 1) {
                        assert_int_equal(engine_coverage_conv(g, 0, i, u, p, &cb), 0);
                        if (ca.partial != cb.partial || ca.expected != cb.expected || ca.reported != cb.reported ||
                            ca.partial_children != cb.partial_children)
                            fail_msg("unit %s ind %d period %d/%d/%d: coverage reference %d %d/%d (%d), engine %d %d/%d (%d)",
                                     m->units[u].code, i, p.kind, p.n, p.y, ca.partial, ca.reported, ca.expected,
                                     ca.partial_children, cb.partial, cb.reported, cb.expected, cb.partial_children);
                    } else if (m->units[u].nchildren > 0 && st != FIG_NONE) {
                        assert_int_equal(engine_partial(g, i, u, p), ca.partial);
                    }
                    partial_seen += ca.partial;
                }
        }
}

/* eval_unit_on's rows on today's structure with the engine attached (its tables, ranges and nine
 * months composed by eval.c over them) equal the reference's, for a sample of periods and the
 * term; so do the figures of ranges and nine months. */
static long rows_compared;
static void compare_rows(model *m, engine *g)
{
    static const period_t ps[] = { { P_RANGE, 0, 2021, 2022 }, { P_M9, 0, 2021, 2021 }, { P_M9, 0, 2022, 2022 },
                                   { P_YEAR, 0, 2021, 2021 }, { P_YEAR, 0, 2022, 2022 }, { P_HALF, 2, 2021, 2021 },
                                   { P_QUARTER, 3, 2021, 2021 }, { P_QUARTER, 2, 2022, 2022 },
                                   { P_MONTH, 8, 2021, 2021 }, { P_MONTH, 11, 2022, 2022 } };
    for (int u = 0; u < (int)m->nunits; u++)
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
            period_t p = ps[k];
            for (int i = 0; i < (int)m->ninds && k < 3; i++) {
                double a = 0, b = 0;
                int ca = 0, cb = 0;
                m->engine = NULL;
                int ha = eval_figure_on(m, i, u, p, EVAL_CURRENT, &a, &ca);
                m->engine = g;
                int hb = eval_figure_on(m, i, u, p, EVAL_CURRENT, &b, &cb);
                if (ha != hb || a != b || ca != cb)
                    fail_msg("unit %s ind %d period %d/%d/%d: reference %d %.4f (%d), with the engine %d %.4f (%d)",
                             m->units[u].code, i, p.kind, p.n, p.y, ha, a, ca, hb, b, cb);
            }
            eval_result r1, r2;
            err_t e;
            m->engine = NULL;
            assert_int_equal(eval_unit_on(m, u, p, EVAL_CURRENT, &r1, &e), 0);
            m->engine = g;
            assert_int_equal(eval_unit_on(m, u, p, EVAL_CURRENT, &r2, &e), 0);
            m->engine = NULL;
            assert_int_equal(r1.nrows, r2.nrows);
            for (int j = 0; j < r1.nrows; j++) {
                const eval_row *x = &r1.rows[j], *y = &r2.rows[j];
                if (x->ind != y->ind || x->has_actual != y->has_actual || x->actual != y->actual ||
                    x->source != y->source || x->missing_children != y->missing_children ||
                    x->partial != y->partial || x->expected_children != y->expected_children ||
                    x->reported_children != y->reported_children || x->partial_children != y->partial_children ||
                    x->status != y->status || x->rank != y->rank || x->rank_of != y->rank_of ||
                    x->has_parent != y->has_parent || x->parent_value != y->parent_value ||
                    x->has_prev != y->has_prev || x->prev != y->prev || x->converted != y->converted ||
                    x->prev_converted != y->prev_converted || x->withheld != y->withheld)
                    fail_msg("unit %s ind %d period %d/%d/%d: rows differ (actual %.4f/%.4f source %d/%d missing "
                             "%d/%d partial %d/%d rank %d/%d converted %d/%d)", m->units[u].code, x->ind, p.kind,
                             p.n, p.y, x->actual, y->actual, x->source, y->source, x->missing_children,
                             y->missing_children, x->partial, y->partial, x->rank, y->rank, x->converted,
                             y->converted);
                rows_compared++;
            }
            assert_memory_equal(&r1.all, &r2.all, sizeof r1.all);
            eval_result_free(&r1);
            eval_result_free(&r2);
        }
}

static int conv_threads = 2;    /* the engine's threads: the tables' builds share the indicators out */

static void run_case(int nunits, int ninds, int nvalues, int d1, int d2, int full_min_leaves)
{
    model *m = reorg_model(nunits, ninds, nvalues, d1, d2);
    engine *g = NULL;
    err_t e;
    engine_opts o = { .threads = conv_threads, .full_min_leaves = full_min_leaves };
    assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
    compare_conv(m, g);
    compare_rows(m, g);
    /* a change drops the tables; the next question builds them again (reusing their memory) */
    for (int k = 0; k < 20; k++) {
        int u = (int)rnd((unsigned)m->nunits), i = (int)rnd((unsigned)m->ninds);
        period_t p = { P_MONTH, (uint8_t)(1 + rnd(12)), (uint16_t)(2021 + rnd(2)), 0 };
        p.y2 = p.y;
        assert_int_equal(model_put_value(m, i, u, p, (double)rnd(5000) / 4.0, NULL), 0);
        assert_int_equal(engine_update(g, m, i, u, p, &e), 0);
    }
    compare_conv(m, g);
    for (size_t k = 0; k < m->nsuccs; k++) {
        period_t y = { P_YEAR, 0, (uint16_t)(m->succs[k].date / 10000), (uint16_t)(m->succs[k].date / 10000) };
        straddling_seen += m->succs[k].date % 10000 != 101 && y.y >= 2021 && y.y <= 2022;
    }
    m->engine = NULL;
    engine_free(g);
    model_free(m);
}

static void test_conv_equals_reference(void **state)
{
    (void)state;
    static const int d1s[] = { 20210701, 20210815, 20210401, 20220101 };
    static const int d2s[] = { 0, 20220401, 20221110, 20220701 };
    for (int seed = 1; seed <= 24; seed++) {
        rng = 0x9E3779B97F4A7C15ULL * (uint64_t)seed;
        formulas_on = seed % 3 != 0;
        reorg_pct = seed % 4 == 3 ? 8 : 60;
        conv_threads = 1 + seed % 3;
        int d1 = d1s[seed % 4], d2 = d2s[(seed / 4) % 4];
        if (d2 && d2 <= d1)
            d2 = 0;
        run_case(20 + (int)rnd(40), 3 + (int)rnd(4), 200 + (int)rnd(400), d1, d2, seed % 2 ? 1 : 0);
    }
    conv_threads = 2;
    print_message("%ld figures compared, %ld converted, %ld partial, %ld straddling successions, %ld rows\n",
                  compared, converted_seen, partial_seen, straddling_seen, rows_compared);
    assert_true(converted_seen > 1000);
    assert_true(partial_seen > 100);
    assert_true(straddling_seen > 20);
}

/* The same with values across the whole range: the engine's int64 sums (children, parts, sub-periods)
 * must give way to exact ones where they would wrap, and "too large" must come out where the
 * reference says so; and with leaves closed or opened within the years without successions (a
 * child valid in part of a period). */
static void test_conv_large_values(void **state)
{
    (void)state;
    static const int d1s[] = { 20210701, 20210815, 20210401, 20220101 };
    long before = compared;
    big_values = 1;
    too_large_seen = 0;
    for (int seed = 101; seed <= 112; seed++) {
        rng = 0x9E3779B97F4A7C15ULL * (uint64_t)seed;
        formulas_on = seed % 3 != 0;
        reorg_pct = seed % 4 == 3 ? 8 : 60;
        lifetimes_on = seed % 3 != 1;
        run_case(20 + (int)rnd(40), 3 + (int)rnd(3), 300 + (int)rnd(300), d1s[seed % 4], seed % 2 ? 20220701 : 0,
                 (seed / 4) % 2);
    }
    big_values = 0;
    lifetimes_on = 0;
    print_message("%ld figures compared, %ld too large\n", compared - before, too_large_seen);
    assert_true(too_large_seen > 100);
}

/* A commune no succession touches, read as a child of a district reorganised below (the district
 * has a block, the commune none and no full block: it lies inside one of the pass's pieces, the
 * tenth-leaf district being cut first): a leaf of it closed in May 2021 without a successor, with
 * a value reported for August anyway, does not count in the commune's August, so the district's
 * August on today's structure is the commune's 10 plus the 7 converted from its merged leaf. */
static void test_conv_closed_child(void **state)
{
    (void)state;
    model *m = model_new();
    assert_non_null(m);
    static const char *const units[][2] = { { "r", "" },   { "d1", "r" }, { "a", "d1" }, { "b", "d1" }, { "p", "r" },
                                            { "d2", "p" }, { "c", "d2" }, { "d", "d2" }, { "e", "p" }, { "f", "p" },
                                            { "d3", "r" } };
    for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
        int vf = strcmp(units[k][0], "f") == 0 ? 20220101 : 0;
        int vt = strcmp(units[k][0], "e") == 0 ? 20211231 : strcmp(units[k][0], "d") == 0 ? 20210531 : 0;
        assert_true(model_put_unit(m, units[k][0], units[k][0], units[k][1], "", vf, vt) >= 0);
    }
    char code[16];
    for (int k = 0; k < 10; k++) {
        snprintf(code, sizeof code, "l%d", k);
        assert_true(model_put_unit(m, code, code, "d3", "", 0, 0) >= 0);
    }
    assert_true(model_put_succ(m, model_unit_find(m, "e"), model_unit_find(m, "f"), 20220101, 1) >= 0);
    ind_t d = { 0 };
    d.code = "i0", d.name = "i0", d.group = "g", d.set = "", d.measure = "", d.parent_code = "", d.formula_src = "";
    d.dir = DIR_UP, d.uagg = AGG_SUM, d.pagg = AGG_SUM, d.decimals = 0;
    assert_true(model_put_ind(m, &d) >= 0);
    static const char *const vals[][2] = { { "a", "1" }, { "b", "3" }, { "c", "10" }, { "d", "5" }, { "e", "7" },
                                           { "l0", "2" } };
    for (size_t k = 0; k < sizeof vals / sizeof *vals; k++)
        for (uint8_t mo = 1; mo <= 12; mo += 7)
            assert_int_equal(model_put_value(m, 0, model_unit_find(m, vals[k][0]),
                                             (period_t){ P_MONTH, mo, 2021, 2021 }, atof(vals[k][1]), NULL), 0);
    assert_int_equal(model_put_value(m, 0, model_unit_find(m, "f"), (period_t){ P_MONTH, 1, 2022, 2022 }, 4, NULL), 0);
    err_t e;
    if (model_finish(m, &e) != 0)
        fail_msg("model_finish: %s", e.msg);
    engine *g = NULL;
    assert_int_equal(engine_build(m, 1, &g, &e), 0);
    compare_conv(m, g);
    int64_t fx;
    period_t aug = { P_MONTH, 8, 2021, 2021 };
    assert_int_equal(engine_held_conv(g, 0, model_unit_find(m, "p"), aug), 1);
    assert_int_equal(engine_held_conv(g, 0, model_unit_find(m, "d2"), aug), 0);
    assert_int_equal(engine_figure_conv(g, 0, 0, model_unit_find(m, "p"), aug, &fx, NULL, NULL, NULL), 1);
    assert_int_equal(fx, (10 + 7) * FX_ONE);
    m->engine = NULL;
    engine_free(g);
    model_free(m);
}

/* The engine adds a share's parts in integers when the share is a / 2^b with a < 2^17 and
 * b <= 40 and the figure lies within ±2^47 (10^-4 units), else through fx_conv_part's long
 * double: splits on either side of each bound (a = 2^17 - 1 and 2^17 + 1 over 2^18, b = 40 and
 * 41, an odd tenth-thousandth halved: 1,5 -> 2), figures on either side of ±2^47 and sums that
 * pass it, every month reported (the twelve-month rows) and one a quarter (a figure near 2^47 the
 * only one of its row: with a = 2^17 + 1 it would wrap the integer product), before and after a
 * mid-year date; each figure equals eval.c's. */
static void test_conv_share_bounds(void **state)
{
    (void)state;
    static const double shares[][2] = { { 0.5, 0.5 },
                                        { 131071.0 / 262144, 131073.0 / 262144 },
                                        { 1.0 / 1099511627776.0, 1 - 1.0 / 1099511627776.0 },
                                        { 1.0 / 2199023255552.0, 1 - 1.0 / 2199023255552.0 },
                                        { 0.25, 0.75 },
                                        { 0.3, 0.7 } };
    static const double raws[] = { 3, -3, 140737488355327.0, 140737488355328.0, -140737488355328.0,
                                   -140737488355329.0, 70368744177665.0, 12345 };
    for (size_t sh = 0; sh < sizeof shares / sizeof *shares; sh++) {
        model *m = model_new();
        assert_non_null(m);
        static const char *const units[][2] = { { "r", "" }, { "d", "r" }, { "a", "d" }, { "b", "d" }, { "n1", "d" },
                                                { "n2", "r" } };
        for (size_t k = 0; k < sizeof units / sizeof *units; k++) {
            int vf = units[k][0][0] == 'n' ? 20220701 : 0, vt = strcmp(units[k][0], "a") == 0 ? 20220630 : 0;
            assert_true(model_put_unit(m, units[k][0], units[k][0], units[k][1], "", vf, vt) >= 0);
        }
        assert_true(model_put_succ(m, model_unit_find(m, "a"), model_unit_find(m, "n1"), 20220701, shares[sh][0]) >= 0);
        assert_true(model_put_succ(m, model_unit_find(m, "a"), model_unit_find(m, "n2"), 20220701, shares[sh][1]) >= 0);
        for (int i = 0; i < 2; i++) {
            ind_t d = { 0 };
            d.code = i ? "i1" : "i0", d.name = d.code, d.group = "g", d.set = "", d.measure = "", d.parent_code = "";
            d.formula_src = "", d.dir = DIR_UP, d.uagg = AGG_SUM, d.pagg = AGG_SUM, d.decimals = 4;
            assert_true(model_put_ind(m, &d) >= 0);
        }
        for (uint16_t y = 2021; y <= 2022; y++)
            for (uint8_t mo = 1; mo <= 12; mo++) {
                period_t p = { P_MONTH, mo, y, y };
                double raw = raws[(y * 12 + mo + sh) % (sizeof raws / sizeof *raws)];
                for (int i = 0; i < 2; i++) {
                    if (i == 1 && mo % 3 != 1)
                        continue;                /* i1: one month a quarter (no sums of them) */
                    assert_int_equal(model_put_value(m, i, model_unit_find(m, "a"), p, raw / 1e4, NULL), 0);
                    assert_int_equal(model_put_value(m, i, model_unit_find(m, "b"), p, (double)(mo + i) / 1e4, NULL), 0);
                    if (y == 2022 && mo >= 7)
                        assert_int_equal(model_put_value(m, i, model_unit_find(m, "n1"), p, 7 / 1e4, NULL), 0);
                }
            }
        err_t e;
        if (model_finish(m, &e) != 0)
            fail_msg("model_finish: %s", e.msg);
        for (int threads = 1; threads <= 2; threads++) {
            engine *g = NULL;
            assert_int_equal(engine_build(m, threads, &g, &e), 0);
            compare_conv(m, g);
            m->engine = NULL;
            engine_free(g);
        }
        model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv_equals_reference),
        cmocka_unit_test(test_conv_large_values),
        cmocka_unit_test(test_conv_closed_child),
        cmocka_unit_test(test_conv_share_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
