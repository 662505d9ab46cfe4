/* test_engine.c - property tests of the analytics engine against eval.c's recursion (the
 * reference): on random unit trees (some units valid only part of the time), random
 * indicators (every unit and period aggregation, formulas over aggregated operands,
 * components) and random values at every period kind, every figure and every evaluation row
 * must agree; incremental updates must equal a rebuild; 1 and 2 threads must agree bit for bit;
 * on the generator's shape every yearly and monthly figure equals SQLite's closure-table SQL;
 * target counts agree with eval_status at every rounding edge; the bulk CSV loader equals the
 * model's engine and reports bad rows by row and column. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "engine.h"
#include "eval.h"
#include "fixed.h"
#include "model.h"
#include "buf.h"

static uint64_t rng;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static period_t random_period(int y0)
{
    uint16_t y = (uint16_t)(y0 + (int)rnd(2));
    switch (rnd(6)) {
    case 0: return (period_t){ P_YEAR, 0, y, y };
    case 1: return (period_t){ P_HALF, (uint8_t)(1 + rnd(2)), y, y };
    case 2: return (period_t){ P_QUARTER, (uint8_t)(1 + rnd(4)), y, y };
    default: return (period_t){ P_MONTH, (uint8_t)(1 + rnd(12)), y, y };
    }
}

static int formulas_on = 1;     /* off: the engine's leaf path without formulas */
static int big_values = 0;      /* on: values across the whole allowed range, up to ±9×10^14 */

/* A random value: two decimals below 2 000, or with big_values anywhere up to ±9×10^14, often
 * near the limit or near half of it (where two add up beyond it), with four decimals. */
static double random_value(void)
{
    if (!big_values)
        return (double)((int)rnd(200000) - 20000) / 100.0;   /* two decimals, some negative */
    double sign = rnd(3) == 0 ? -1 : 1;
    switch (rnd(5)) {
    case 0: return sign * (double)rnd(200000) / 100.0;
    case 1: return sign * 9e14;
    case 2: return sign * (4.5e14 + (double)((int)rnd(2000000) - 1000000));
    case 3: return sign * (3e14 + (double)rnd(1000000) / 10000.0);
    default: return sign * (double)(((uint64_t)rnd(1u << 30) << 20 | rnd(1u << 20)) % 9000000000000000ULL) / 10.0;
    }
}

static model *random_model(int nunits, int ninds, int nvalues)
{
    model *m = model_new();
    char code[32], parent[32];
    assert_non_null(m);
    for (int u = 0; u < nunits; u++) {
        snprintf(code, sizeof code, "u%d", u);
        if (u == 0)
            parent[0] = '\0';
        else
            snprintf(parent, sizeof parent, "u%u", rnd((unsigned)u));
        /* a few units exist only part of the time, like districts merged in 2025 (or gone
         * before the data begins) */
        int vf = rnd(8) == 0 ? 20210701 : 0, vt = rnd(8) == 0 ? 20220331 : rnd(12) == 0 ? 20201231 : 0;
        assert_true(model_put_unit(m, code, code, parent, "", vf, vt) >= 0);
    }
    static const char *const forms[] = { "i0 + i1", "i0 / i1 * 100", "(i0 - i1) * 2", "i1 / 3" };
    for (int i = 0; i < ninds; i++) {
        ind_t d = { 0 };
        char c[16], f[32] = "", par[16] = "";
        snprintf(c, sizeof c, "i%d", i);
        if (formulas_on && i >= 2 && rnd(4) == 0)
            snprintf(f, sizeof f, "%s", forms[rnd(4)]);
        if (i >= 3 && !*f && rnd(6) == 0)
            snprintf(par, sizeof par, "i2");
        d.code = c, d.name = c, d.group = "g", d.set = "", d.measure = "", d.parent_code = par, d.formula_src = f;
        d.dir = (int)rnd(4), d.uagg = (int)rnd(5), d.pagg = (int)rnd(6), d.decimals = (int)rnd(6);
        if (d.pagg == AGG_NONE)
            d.pagg = AGG_LAST;
        assert_true(model_put_ind(m, &d) >= 0);
    }
    for (int k = 0; k < nvalues; k++) {
        int u = (int)rnd((unsigned)nunits), i = (int)rnd((unsigned)ninds);
        double v = random_value();
        assert_int_equal(model_put_value(m, i, u, random_period(2021), v, NULL), 0);
        if (rnd(3) == 0)
            assert_int_equal(model_put_target(m, i, u, (period_t){ P_YEAR, 0, 2021, 2021 }, big_values && v > 0 ? v - 1 : v + 1), 0);
        if (rnd(40) == 0)                   /* now and then a figure reported for the whole term */
            assert_int_equal(model_put_value(m, i, u, (period_t){ P_RANGE, 0, 2021, 2022 }, v / 3, NULL), 0);
    }
    assert_int_equal(model_put_term(m, (period_t){ P_RANGE, 0, 2021, 2022 }, "t"), 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

/* Both sides compute in the same fixed point (fixed.h): figures must agree exactly. */
static int close_enough(double a, double b)
{
    return a == b;
}

/* The engine's met / exceeded counts against the reference's figures and eval_status. */
static void compare_counts(model *m, engine *g)
{
    int y0, y1;
    engine_years(g, &y0, &y1);
    m->engine = NULL;
    for (int u = 0; u < (int)m->nunits; u++)
        for (int y = y0; y <= y1; y++) {
            int n = 0, met = 0, exc = 0, gn, gm, gx;
            for (int i = 0; i < (int)m->ninds; i++) {
                period_t p = { P_YEAR, 0, (uint16_t)y, (uint16_t)y };
                const cell_t *t = model_target(m, i, u, p, &(cell_t){ 0 });
                double a;
                if (t == NULL || !eval_actual(m, i, u, p, &a))
                    continue;
                int st = eval_status(m->inds[i].dir, m->inds[i].decimals, a, t->v);
                n++, met += st == ST_MET, exc += st == ST_EXCEEDED;
            }
            assert_int_equal(engine_counts(g, u, y, &gn, &gm, &gx), 0);
            if (n != gn || met != gm || exc != gx)
                fail_msg("unit %d year %d: reference %d/%d/%d, engine %d/%d/%d", u, y, n, met, exc, gn, gm, gx);
        }
}

static long too_large_seen;     /* figures the reference found too large to hold */

/* Coverage of (i, u, p): the recursion's and the engine's agree, and both match children
 * counted here (valid in p; with a figure; with a partial one). */
static long partial_seen, coverage_checked;
static void compare_coverage(model *m, engine *g, int i, int u, period_t p)
{
    double a, b;
    eval_cov ca, cb;
    m->engine = NULL;
    int ha = eval_actual_cov(m, i, u, p, &a, &ca);
    m->engine = g;
    int hb = eval_actual_cov(m, i, u, p, &b, &cb);
    if (ha != hb || memcmp(&ca, &cb, sizeof ca) != 0)
        fail_msg("unit %d ind %d period %d/%d/%d: coverage reference %d %d/%d (%d partial below), engine %d %d/%d (%d)",
                 u, i, p.kind, p.n, p.y, ca.partial, ca.reported, ca.expected, ca.partial_children, cb.partial,
                 cb.reported, cb.expected, cb.partial_children);
    int ge, gr, gh = engine_coverage(g, i, u, p, &ge, &gr), gp = engine_partial(g, i, u, p);
    m->engine = NULL;
    if (gp >= 0 && gp != ca.partial)
        fail_msg("unit %d ind %d period %d/%d/%d: engine_partial %d, reference %d", u, i, p.kind, p.n, p.y, gp,
                 ca.partial);
    if (gh < 0)
        return;
    int exp = 0, rep = 0, pch = 0, src = -1;
    eval_result r;
    err_t e;
    for (int ch = m->units[u].first_child; ch >= 0; ch = m->units[ch].next_sibling) {
        if (!model_unit_valid(m, ch, p))
            continue;
        double x;
        eval_cov cc;
        exp++;
        if (eval_actual_cov(m, i, ch, p, &x, &cc))
            rep++, pch += cc.partial;
        else if (eval_figure(m, i, ch, p, &x) == FIG_TOO_LARGE)
            rep++, pch += cc.partial;     /* too large to hold is a figure, with its coverage */
    }
    assert_int_equal(eval_unit(m, u, p, &r, &e), 0);
    for (int k = 0; k < r.nrows; k++)
        if (r.rows[k].ind == i)
            src = r.rows[k].source;
    eval_result_free(&r);
    if (src == SRC_UNITS) {
        coverage_checked++;
        if (ge != exp || gr != rep || ca.partial != (rep < exp || pch > 0))
            fail_msg("unit %d ind %d: engine_coverage %d/%d, counted %d/%d (%d partial), eval partial %d", u, i, gr,
                     ge, rep, exp, pch, ca.partial);
        if (ca.partial && (ca.expected != exp || ca.reported != rep || ca.partial_children != pch))
            fail_msg("unit %d ind %d: eval coverage %d/%d (%d), counted %d/%d (%d)", u, i, ca.reported, ca.expected,
                     ca.partial_children, rep, exp, pch);
        partial_seen += ca.partial;
    } else if (src >= 0)
        assert_true(ge == 0 && gr == 0);
}

/* Every figure and every evaluation row with the engine attached equals the reference. */
static void compare_all(model *m, engine *g)
{
    static const period_t extra[] = { { P_RANGE, 0, 2021, 2022 }, { P_RANGE, 0, 2022, 2022 },
                                      { P_RANGE, 0, 2020, 2021 }, { P_YEAR, 0, 2020, 2020 },
                                      { P_M9, 0, 2021, 2021 }, { P_M9, 0, 2022, 2022 } };
    enum { NX = sizeof extra / sizeof *extra };
    int y0, y1;
    engine_years(g, &y0, &y1);
    for (int u = 0; u < (int)m->nunits; u++) {
        for (int slot = -NX; slot < 2 * 19; slot++) {
            period_t p;
            if (slot < 0)
                p = extra[slot + NX];
            else {
                uint16_t y = (uint16_t)(2021 + slot / 19);
                int k = slot % 19;
                p = k == 0 ? (period_t){ P_YEAR, 0, y, y } : k <= 2 ? (period_t){ P_HALF, (uint8_t)k, y, y }
                  : k <= 6 ? (period_t){ P_QUARTER, (uint8_t)(k - 2), y, y } : (period_t){ P_MONTH, (uint8_t)(k - 6), y, y };
            }
            for (int i = 0; i < (int)m->ninds; i++) {
                double a = 0, b = 0;
                m->engine = NULL;
                int ha = eval_figure(m, i, u, p, &a);
                m->engine = g;
                int hb = eval_figure(m, i, u, p, &b);
                too_large_seen += ha == FIG_TOO_LARGE;
                if (ha != hb || (ha && !close_enough(a, b)))
                    fail_msg("unit %d ind %d period %d/%d/%d: reference %d %.17g, engine %d %.17g", u, i, p.kind,
                             p.n, p.y, ha, a, hb, b);
                compare_coverage(m, g, i, u, p);
            }
            if (slot >= 0 && slot % 7 != 0)
                continue;                    /* whole rows for the terms and a sample of periods */
            eval_result r1, r2;
            err_t e;
            m->engine = NULL;
            assert_int_equal(eval_unit(m, u, p, &r1, &e), 0);
            m->engine = g;
            assert_int_equal(eval_unit(m, u, p, &r2, &e), 0);
            assert_int_equal(r1.nrows, r2.nrows);
            for (int k = 0; k < r1.nrows; k++) {
                const eval_row *x = &r1.rows[k], *y = &r2.rows[k];
                assert_int_equal(x->ind, y->ind);
                assert_int_equal(x->has_actual, y->has_actual);
                assert_int_equal(x->too_large, y->too_large);
                assert_int_equal(x->source, y->source);
                assert_int_equal(x->missing_children, y->missing_children);
                assert_int_equal(x->partial, y->partial);
                assert_int_equal(x->expected_children, y->expected_children);
                assert_int_equal(x->reported_children, y->reported_children);
                assert_int_equal(x->partial_children, y->partial_children);
                assert_int_equal(x->status, y->status);
                assert_int_equal(x->rank, y->rank);
                assert_int_equal(x->rank_of, y->rank_of);
                assert_int_equal(x->has_parent, y->has_parent);
                assert_true(close_enough(x->actual, y->actual));
            }
            assert_memory_equal(&r1.all, &r2.all, sizeof r1.all);
            eval_result_free(&r1);
            eval_result_free(&r2);
        }
    }
    m->engine = NULL;
}

static void test_engine_equals_reference(void **state)
{
    (void)state;
    for (int round = 0; round < 12; round++) {
        rng = 0x9E3779B97F4A7C15ULL + (uint64_t)round * 7919;
        formulas_on = round % 3 != 0;
        model *m = random_model(4 + (int)rnd(30), 3 + (int)rnd(6), 20 + (int)rnd(300));
        /* every inner unit stored for every period, or none but the tops (the rest on demand) */
        for (int keep = 0; keep < 2; keep++) {
            engine *g = NULL;
            err_t e;
            engine_opts o = { .threads = 1 + round % 2, .full_min_leaves = keep ? 1 : 1000000 };
            assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
            compare_all(m, g);
            compare_counts(m, g);
            engine_free(g);
        }
        model_free(m);
    }
    formulas_on = 1;
    /* the random trees did hold partial roll-ups and units invalid in the period */
    assert_true(coverage_checked > 100);
    assert_true(partial_seen > 10);
}

static void test_threads_identical(void **state)
{
    (void)state;
    rng = 42;
    model *m = random_model(300, 8, 4000);
    engine *g1 = NULL, *g2 = NULL;
    err_t e;
    engine_opts o1 = { .threads = 1, .full_min_leaves = 1 }, o2 = { .threads = 2, .full_min_leaves = 1 };
    assert_int_equal(engine_build_opts(m, &o1, &g1, &e), 0);
    assert_int_equal(engine_build_opts(m, &o2, &g2, &e), 0);
    assert_true(engine_checksum(g1) == engine_checksum(g2));
    assert_true(engine_checksum(g1) != 1469598103934665603ULL);   /* not empty */
    engine_free(g1);
    engine_free(g2);
    model_free(m);
}

/* Puts staged in several stages (committed, not copied) and put directly between them, on 4
 * threads, give the engine that the same puts one by one on one thread give: enough of them that
 * the first run cuts them into pieces on every thread, with keys put twice (the later wins). */
static void test_stages_equal_puts(void **state)
{
    (void)state;
    rng = 7;
    model *m = random_model(3000, 8, 10);
    enum { NPUT = 600000, NSTAGE = 5 };
    typedef struct put { int ind, unit, target; period_t p; int64_t fx; } put;
    put *ps = malloc(NPUT * sizeof *ps);
    assert_non_null(ps);
    for (int k = 0; k < NPUT; k++) {
        int target = rnd(4) == 0;
        period_t p = target ? (period_t){ P_YEAR, 0, (uint16_t)(2021 + rnd(2)), 0 } : random_period(2021);
        p.y2 = p.y;
        ps[k] = (put){ (int)rnd(8), (int)rnd(3000), target, p, fx_of((double)((int)rnd(200000) - 20000) / 100.0) };
    }
    engine_opts o1 = { .threads = 1, .full_min_leaves = 1 }, o4 = { .threads = 4, .full_min_leaves = 1 };
    engine *one = NULL, *staged = NULL;
    err_t e;
    assert_int_equal(engine_new(m, &o1, 2021, 2022, &one, &e), 0);
    assert_int_equal(engine_new(m, &o4, 2021, 2022, &staged, &e), 0);
    for (int k = 0; k < NPUT; k++)
        assert_true((ps[k].target ? engine_put_target(one, ps[k].ind, ps[k].unit, ps[k].p, ps[k].fx)
                                  : engine_put_value(one, ps[k].ind, ps[k].unit, ps[k].p, ps[k].fx)) >= 0);
    /* slices of the puts: even ones through stages (values and targets each), odd ones direct */
    int cuts[2 * NSTAGE + 1];
    for (int c = 0; c <= 2 * NSTAGE; c++)
        cuts[c] = (int)((long)NPUT * c / (2 * NSTAGE));
    for (int c = 0; c < 2 * NSTAGE; c++) {
        engine_stage *sv = engine_stage_new(staged, 0), *st = engine_stage_new(staged, 1);
        assert_non_null(sv);
        assert_non_null(st);
        for (int k = cuts[c]; k < cuts[c + 1]; k++) {
            const put *x = &ps[k];
            if (c % 2)
                assert_true((x->target ? engine_put_target(staged, x->ind, x->unit, x->p, x->fx)
                                       : engine_put_value(staged, x->ind, x->unit, x->p, x->fx)) >= 0);
            else
                assert_true(engine_stage_put(x->target ? st : sv, x->ind, x->unit, x->p, x->fx) >= 0);
        }
        assert_int_equal(engine_stage_commit(sv), 0);
        assert_int_equal(engine_stage_commit(st), 0);
    }
    assert_int_equal(engine_run(one, &e), 0);
    assert_int_equal(engine_run(staged, &e), 0);
    assert_true(engine_checksum(one) == engine_checksum(staged));
    for (int k = 0; k < NPUT; k += 7) {      /* the reported cells themselves, leaves included */
        double a = 0, b = 0;
        int sa = 0, sb = 0, ma = 0, mb = 0;
        int ha = engine_get(one, ps[k].ind, ps[k].unit, ps[k].p, &a, &sa, &ma);
        int hb = engine_get(staged, ps[k].ind, ps[k].unit, ps[k].p, &b, &sb, &mb);
        assert_int_equal(ha, hb);
        assert_true(a == b);
        assert_int_equal(sa, sb);
    }
    engine_free(one);
    engine_free(staged);
    free(ps);
    model_free(m);
}

static void test_updates_equal_rebuild(void **state)
{
    (void)state;
    for (int round = 0; round < 6; round++) {
        rng = 1000 + (uint64_t)round;
        model *m = random_model(40, 6, 400);
        engine *g = NULL, *fresh = NULL;
        err_t e;
        engine_opts o = { .threads = 2, .full_min_leaves = round % 2 ? 1 : 0 };
        assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
        compare_all(m, g);                    /* the terms' tables are built here: updates must drop them */
        for (int k = 0; k < 60; k++) {
            int u = (int)rnd((unsigned)m->nunits), i = (int)rnd((unsigned)m->ninds);
            period_t p = random_period(2021);
            assert_int_equal(model_put_value(m, i, u, p, (double)rnd(100000) / 100.0, NULL), 0);
            assert_int_equal(engine_update(g, m, i, u, p, &e), 0);
            if (k % 5 == 0) {                 /* and a target */
                period_t y = { P_YEAR, 0, p.y, p.y };
                assert_int_equal(model_put_target(m, i, u, y, (double)rnd(100000) / 100.0), 0);
                assert_int_equal(engine_update_target(g, m, i, u, y, &e), 0);
            }
        }
        o.threads = 1;
        assert_int_equal(engine_build_opts(m, &o, &fresh, &e), 0);
        compare_all(m, g);
        compare_counts(m, g);
        assert_true(engine_checksum(g) == engine_checksum(fresh));
        engine_free(fresh);
        engine_free(g);
        model_free(m);
    }
}

static void test_outside_years(void **state)
{
    (void)state;
    rng = 7;
    model *m = random_model(5, 3, 30);
    engine *g = NULL;
    err_t e;
    double v;
    assert_int_equal(engine_build(m, 1, &g, &e), 0);
    assert_int_equal(engine_get(g, 0, 0, (period_t){ P_YEAR, 0, 1999, 1999 }, &v, NULL, NULL), -1);
    assert_true(engine_get(g, 0, 0, (period_t){ P_RANGE, 0, 2021, 2022 }, &v, NULL, NULL) >= 0);
    assert_int_equal(engine_get(g, 0, 0, (period_t){ P_RANGE, 0, 2020, 2021 }, &v, NULL, NULL), -1);
    assert_true(engine_get(g, 0, 0, (period_t){ P_YEAR, 0, 2021, 2021 }, &v, NULL, NULL) >= 0);
    /* the nine months have no slot: "outside", whatever the year, so eval composes them */
    assert_int_equal(engine_get(g, 0, 0, (period_t){ P_M9, 0, 2021, 2021 }, &v, NULL, NULL), -1);
    int64_t fx;
    assert_int_equal(engine_get_fx(g, 0, 0, (period_t){ P_M9, 0, 2021, 2021 }, &fx), -1);
    assert_true(engine_bytes(g) > 0);
    engine_free(g);
    model_free(m);
}

/* engine_bytes counts what the engine holds: each reported value kept costs its key and figure
 * (4 + 8 bytes), and nothing else changes between two engines of the same model and years. */
static void test_bytes_count_values(void **state)
{
    (void)state;
    rng = 8;
    model *m = random_model(20, 4, 0);
    engine *a = NULL, *b = NULL;
    err_t e;
    assert_int_equal(engine_new(m, NULL, 2021, 2022, &a, &e), 0);
    assert_int_equal(engine_new(m, NULL, 2021, 2022, &b, &e), 0);
    int kept = 0;
    for (int u = 0; u < 20; u++)
        for (int mo = 1; mo <= 12; mo++)
            kept += engine_put_value(b, u % 4, u, (period_t){ P_MONTH, (uint8_t)mo, 2022, 2022 }, 10000 * mo);
    assert_int_equal(engine_put_value(b, 0, 0, (period_t){ P_YEAR, 0, 2030, 2030 }, 1), 0);   /* not held */
    assert_int_equal(kept, 240);
    assert_int_equal(engine_run(a, &e), 0);
    assert_int_equal(engine_run(b, &e), 0);
    assert_true(engine_bytes(a) > 0);
    assert_int_equal(engine_bytes(b) - engine_bytes(a), 240 * (sizeof(uint32_t) + sizeof(int64_t)));
    engine_free(a);
    engine_free(b);
    model_free(m);
}

/* A model for the limits: u0 over u1, u2 (u1 over u3, u4); i0 summed, i1 averaged, i2 the
 * maximum, i3 = i0 * 10, i4 the last of the periods. */
static model *limit_model(void)
{
    model *m = model_new();
    static const char *const par[] = { "", "u0", "u0", "u1", "u1" };
    static const struct { int uagg, pagg; const char *f; } inds[] = {
        { AGG_SUM, AGG_SUM, "" }, { AGG_AVG, AGG_AVG, "" }, { AGG_MAX, AGG_MAX, "" },
        { AGG_NONE, AGG_LAST, "i0 * 10" }, { AGG_SUM, AGG_LAST, "" },
    };
    char code[16];
    for (int u = 0; u < 5; u++) {
        snprintf(code, sizeof code, "u%d", u);
        assert_true(model_put_unit(m, code, code, par[u], "", 0, 0) >= 0);
    }
    for (int i = 0; i < 5; i++) {
        ind_t d = { 0 };
        snprintf(code, sizeof code, "i%d", i);
        d.code = code, d.name = code, d.group = "g", d.set = "", d.measure = "", d.parent_code = "";
        d.formula_src = (char *)inds[i].f, d.dir = DIR_UP, d.uagg = inds[i].uagg, d.pagg = inds[i].pagg;
        assert_true(model_put_ind(m, &d) >= 0);
    }
    assert_int_equal(model_put_term(m, (period_t){ P_RANGE, 0, 2021, 2022 }, "t"), 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

/* Two values of 5×10^14 roll up to "too large" in the engine as in the reference (the int64
 * sum wrapped to a negative number), on every path: the pass, figures on demand, terms,
 * updates; an average of them stays exact; the stored blocks never hold a wrapped sum. */
static void test_too_large(void **state)
{
    (void)state;
    for (int keep = 0; keep < 2; keep++) {
        model *m = limit_model();
        for (int i = 0; i < 3; i++) {
            assert_int_equal(model_put_value(m, i, 3, (period_t){ P_YEAR, 0, 2021, 2021 }, 5e14, NULL), 0);
            assert_int_equal(model_put_value(m, i, 4, (period_t){ P_YEAR, 0, 2021, 2021 }, 5e14, NULL), 0);
        }
        for (int mo = 1; mo <= 12; mo++) {      /* months of 10^14: the year is 1,2×10^15 */
            assert_int_equal(model_put_value(m, 0, 2, (period_t){ P_MONTH, (uint8_t)mo, 2022, 2022 }, 1e14, NULL), 0);
            assert_int_equal(model_put_value(m, 4, 2, (period_t){ P_MONTH, (uint8_t)mo, 2022, 2022 }, 8e14, NULL), 0);
        }
        assert_int_equal(model_put_value(m, 0, 2, (period_t){ P_YEAR, 0, 2021, 2021 }, 9e14, NULL), 0);
        assert_int_equal(model_put_target(m, 0, 1, (period_t){ P_YEAR, 0, 2021, 2021 }, 5), 0);
        engine *g = NULL;
        err_t e;
        double v;
        int64_t x;
        engine_opts o = { .threads = 2, .full_min_leaves = keep ? 1 : 1000000 };
        assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
        period_t y21 = { P_YEAR, 0, 2021, 2021 }, y22 = { P_YEAR, 0, 2022, 2022 };
        assert_int_equal(engine_get(g, 0, 1, y21, &v, NULL, NULL), 2);
        assert_true(v == 0);
        assert_int_equal(engine_get_fx(g, 0, 1, y21, &x), 2);
        assert_true(x == FX_OVER);
        assert_int_equal(engine_get(g, 0, 0, y21, &v, NULL, NULL), 2);          /* above it */
        assert_int_equal(engine_get(g, 3, 3, y21, &v, NULL, NULL), 2);          /* 5×10^15 */
        assert_int_equal(engine_get(g, 1, 1, y21, &v, NULL, NULL), 1);
        assert_true(v == 5e14);
        assert_int_equal(engine_get(g, 2, 0, y21, &v, NULL, NULL), 1);
        assert_true(v == 5e14);
        assert_int_equal(engine_get(g, 0, 2, y22, &v, NULL, NULL), 2);
        assert_int_equal(engine_get(g, 0, 2, (period_t){ P_HALF, 2, 2022, 2022 }, &v, NULL, NULL), 1);
        assert_true(v == 6e14);
        assert_int_equal(engine_get(g, 4, 2, y22, &v, NULL, NULL), 1);          /* the last month */
        assert_true(v == 8e14);
        assert_int_equal(engine_get(g, 0, 2, (period_t){ P_RANGE, 0, 2021, 2022 }, &v, NULL, NULL), 2);
        int n, met, exc;
        assert_int_equal(engine_counts(g, 1, 2021, &n, &met, &exc), 0);
        assert_int_equal(n, 0);                   /* no figure to judge, not "exceeded" */
        int ind = -1;
        assert_int_equal(engine_too_large(g, 1, 2021, &ind), 1);   /* but told, and named */
        assert_int_equal(ind, 0);
        assert_int_equal(engine_too_large(g, 2, 2021, &ind), 0);
        m->engine = g;
        assert_int_equal(eval_figure(m, 0, 1, y21, &v), FIG_TOO_LARGE);
        assert_int_equal(eval_actual(m, 0, 1, y21, &v), 0);
        compare_all(m, g);
        compare_counts(m, g);
        /* an update brings d1 back within the limit, and then beyond it again */
        assert_int_equal(model_put_value(m, 0, 4, y21, -4e14, NULL), 0);
        assert_int_equal(engine_update(g, m, 0, 4, y21, &e), 0);
        assert_int_equal(engine_get(g, 0, 1, y21, &v, NULL, NULL), 1);
        assert_true(v == 1e14);
        assert_int_equal(engine_too_large(g, 1, 2021, NULL), 0);
        assert_int_equal(engine_counts(g, 1, 2021, &n, &met, &exc), 0);
        assert_int_equal(n, 1);
        assert_int_equal(exc, 1);
        assert_int_equal(engine_get(g, 0, 0, y21, &v, NULL, NULL), 2);          /* 10^14 + 9×10^14 */
        compare_all(m, g);
        assert_int_equal(model_put_value(m, 0, 2, y21, 8e14, NULL), 0);
        assert_int_equal(engine_update(g, m, 0, 2, y21, &e), 0);
        assert_int_equal(engine_get(g, 0, 0, y21, &v, NULL, NULL), 1);
        assert_true(v == 9e14);
        compare_all(m, g);                        /* leaves m->engine NULL */
        engine_free(g);
        model_free(m);
    }
}

/* Random values across the whole allowed range: every figure, too large or not, agrees. */
static void test_full_range_equals_reference(void **state)
{
    (void)state;
    big_values = 1;
    too_large_seen = 0;
    for (int round = 0; round < 10; round++) {
        rng = 0xC0FFEEULL + (uint64_t)round * 104729;
        formulas_on = round % 3 != 0;
        model *m = random_model(4 + (int)rnd(30), 3 + (int)rnd(6), 20 + (int)rnd(300));
        for (int keep = 0; keep < 2; keep++) {
            engine *g = NULL;
            err_t e;
            engine_opts o = { .threads = 1 + round % 2, .full_min_leaves = keep ? 1 : 1000000 };
            assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
            compare_all(m, g);
            compare_counts(m, g);
            engine_free(g);
        }
        model_free(m);
    }
    assert_true(too_large_seen > 0);            /* the test reached the limit */
    big_values = 0;
    formulas_on = 1;
}

/* Terms of 20 years are summed whole, from the engine's years and, beyond the 30 it holds,
 * by the reference path. */
static void test_long_ranges(void **state)
{
    (void)state;
    model *m = limit_model();
    for (int y = 1990; y <= 2025; y++)
        for (int u = 2; u <= 4; u++)
            assert_int_equal(model_put_value(m, 0, u, (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y }, 1, NULL), 0);
    engine *g = NULL;
    err_t e;
    double v;
    engine_opts o = { .threads = 1, .years_from = 2000, .years_to = 2025 };
    assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
    period_t r20 = { P_RANGE, 0, 2000, 2019 }, r36 = { P_RANGE, 0, 1990, 2025 };
    assert_int_equal(engine_get(g, 0, 2, r20, &v, NULL, NULL), 1);
    assert_true(v == 20);
    assert_int_equal(engine_get(g, 0, 0, r20, &v, NULL, NULL), 1);
    assert_true(v == 60);
    assert_int_equal(engine_get(g, 0, 0, r36, &v, NULL, NULL), -1);        /* beyond its years */
    m->engine = g;
    assert_int_equal(eval_figure(m, 0, 0, r36, &v), FIG_OK);
    assert_true(v == 108);
    assert_int_equal(eval_figure(m, 0, 2, r20, &v), FIG_OK);
    assert_true(v == 20);
    m->engine = NULL;
    assert_int_equal(eval_figure(m, 0, 0, r20, &v), FIG_OK);
    assert_true(v == 60);
    engine_free(g);
    model_free(m);
}

/* One stray figure far from the others (a typo for 2029, a plan for 2099) leaves the engine on
 * the years that hold the data; the stray one is still evaluated, by the reference path. */
static void test_years_span_the_data(void **state)
{
    (void)state;
    static const struct { int stray, y0, y1; } cases[] = {
        { 2099, 2020, 2025 }, { 1901, 2020, 2025 }, { 2040, 2020, 2040 }, { 2026, 2020, 2026 },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        rng = 11;
        model *m = random_model(6, 3, 0);
        for (int y = 2020; y <= 2025; y++)
            for (int u = 0; u < 6; u++)
                assert_int_equal(model_put_value(m, 0, u, (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y }, y + u, NULL), 0);
        period_t stray = { P_YEAR, 0, (uint16_t)cases[k].stray, (uint16_t)cases[k].stray };
        assert_int_equal(model_put_value(m, 0, 5, stray, 77, NULL), 0);
        engine *g = NULL;
        err_t e;
        int y0, y1;
        double v;
        assert_int_equal(engine_build(m, 1, &g, &e), 0);
        engine_years(g, &y0, &y1);
        assert_int_equal(y0, cases[k].y0);
        assert_int_equal(y1, cases[k].y1);
        assert_int_equal(engine_covers(g, stray), cases[k].y1 == cases[k].stray);
        assert_true(engine_covers(g, (period_t){ P_RANGE, 0, 2021, 2025 }));
        m->engine = g;
        assert_true(eval_actual(m, 0, 5, stray, &v));
        assert_true(v == 77);
        assert_true(eval_actual(m, 0, 5, (period_t){ P_YEAR, 0, 2023, 2023 }, &v));
        assert_true(v == 2028);
        model_free(m);                          /* frees the engine too */
    }
}


/* The bulk loader reads what the model holds into an engine with the same figures. */
static void test_bulk_csv_equals_model(void **state)
{
    (void)state;
    rng = 99;
    model *m = random_model(60, 6, 3000);
    buf v = BUF_INIT, t = BUF_INIT;
    buf_adds(&v, "indicator,unit,period,value\r\n");
    buf_adds(&t, "\xEF\xBB\xBFindicator,unit,period,target\n");
    char code[PERIOD_CODE_MAX];
    for (size_t k = 0; k < m->values.n; k++) {
        const cell_t *c = &m->values.cells[k];
        period_code(c->per, code, sizeof code);
        buf_printf(&v, "%s,%s,%s,%.2f\r\n", m->inds[c->ind].code, m->units[c->unit].code, code, c->v);
    }
    for (size_t k = 0; k < m->targets.n; k++) {
        const cell_t *c = &m->targets.cells[k];
        period_code(c->per, code, sizeof code);
        buf_printf(&t, "%s,%s,%s,%.2f\n", m->inds[c->ind].code, m->units[c->unit].code, code, c->v);
    }
    engine *a = NULL, *b = NULL;
    err_t e;
    long nv, nt;
    assert_int_equal(engine_build(m, 2, &a, &e), 0);
    int y0, y1;
    engine_years(a, &y0, &y1);
    engine_opts o = { .threads = 2 };
    assert_int_equal(engine_new(m, &o, y0, y1, &b, &e), 0);
    assert_int_equal(engine_load_buf(b, m, "values.csv", buf_str(&v), v.len, &nv, &e), 0);
    assert_int_equal(engine_load_buf(b, m, "targets.csv", buf_str(&t), t.len, &nt, &e), 0);
    assert_int_equal(nv, (long)m->values.n);
    assert_int_equal(nt, (long)m->targets.n);
    assert_int_equal(engine_run(b, &e), 0);
    assert_true(engine_checksum(a) == engine_checksum(b));
    compare_all(m, b);
    engine_free(a);
    engine_free(b);
    buf_free(&v);
    buf_free(&t);
    model_free(m);
}

/* Bad rows stop the load with file, row, column and what was expected, also past the cuts
 * where big files are shared between threads. */
static void test_bulk_csv_errors(void **state)
{
    (void)state;
    static const struct { const char *row, *after; } cases[] = {   /* after "values.csv: dòng N" */
        { "i0,u1,2021-03,12x", ", cột 4 (value): cần một số" },
        { "i0,u1,2021-13,12", ", cột 3 (period): cần mã kỳ" },
        { "i0,nope,2021-03,12", ", cột 2 (unit): không có đơn vị mã \"nope\"" },
        { "zz,u1,2021-03,12", ", cột 1 (indicator): không có chỉ tiêu mã \"zz\"" },
        { "i0,u1,2021-03", ": cần 4 cột" },
        { "i0,u1,2021-03,1,2", ": có hơn 4 cột" },
        { "i0,\"u1\",2021-03,1", ", cột 2 (unit): ô có dấu ngoặc kép" },
        { "i0,u1,2021-03,", ", cột 4 (value): cần một số" },
        { "i0,u1,2021-03,910000000000000", ", cột 4 (value): số quá lớn" },     /* 9,1×10^14 */
        { "i0,u1,2021-03,-900000000000000.0001", ", cột 4 (value): số quá lớn" },
        { "i0,u1,2021-03,99999999999999999999", ", cột 4 (value): số quá lớn" },
    };
    rng = 5;
    model *m = random_model(8, 3, 10);
    lang_thread(0);
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int big = 0; big < 2; big++) {
            buf v = BUF_INIT, want = BUF_INIT;
            buf_adds(&v, "indicator,unit,period,value\n");
            long rows = big ? 120000 : 3, row = 1;   /* 120 000 rows: ~2,6 MB, cut into parts */
            for (long k = 0; k < rows; k++, row++)
                buf_printf(&v, "i%ld,u%ld,2021-%02ld,%ld.5\n", k % 3, k % 8, 1 + k % 12, k);
            buf_printf(&v, "%s\n", cases[c].row);
            row++;
            buf_printf(&want, "values.csv: dòng %ld%s", row, cases[c].after);
            engine *g = NULL;
            err_t e;
            long n;
            engine_opts o = { .threads = 2 };
            assert_int_equal(engine_new(m, &o, 2021, 2022, &g, &e), 0);
            assert_int_equal(engine_load_buf(g, m, "values.csv", buf_str(&v), v.len, &n, &e), -1);
            if (strncmp(e.msg, buf_str(&want), want.len) != 0)
                fail_msg("case %zu big %d: got \"%s\", want \"%s...\"", c, big, e.msg, buf_str(&want));
            engine_free(g);
            buf_free(&v);
            buf_free(&want);
        }
    engine *g = NULL;
    err_t e;
    long n;
    assert_int_equal(engine_new(m, NULL, 2021, 2022, &g, &e), 0);
    assert_int_equal(engine_load_buf(g, m, "x.csv", "code,name\n", 10, &n, &e), -1);
    assert_non_null(strstr(e.msg, "x.csv: dòng 1: cần tiêu đề"));
    assert_int_equal(engine_load_buf(g, m, "x.csv", "", 0, &n, &e), -1);
    /* numbers: signs, rounding at the fifth decimal, half away from zero */
    const char *ok = "indicator,unit,period,value\ni0,u1,2021-01,1234.56789\ni0,u1,2021-02,-0.00005\n"
                     "i0,u1,2021-03,+7\ni0,u1,2021-04,-2.00004\ni0,u1,2021-05,-900000000000000\n";
    assert_int_equal(engine_load_buf(g, m, "v.csv", ok, strlen(ok), &n, &e), 0);
    assert_int_equal(engine_run(g, &e), 0);
    static const int64_t want[5] = { 12345679, -1, 70000, -20000, -9000000000000000000 };
    for (int k = 0; k < 5; k++) {
        int64_t x;
        assert_int_equal(engine_get_fx(g, 0, 1, (period_t){ P_MONTH, (uint8_t)(k + 1), 2021, 2021 }, &x), 1);
        assert_int_equal(x, want[k]);
    }
    engine_free(g);
    model_free(m);
}

/* Met / exceeded at the rounding edges: every direction and number of decimals, figures a step
 * or half a step around targets of either sign and zero, against eval_status. */
static void test_counts_at_rounding_edges(void **state)
{
    (void)state;
    static const int64_t targets[] = { -25000, -10000, -5000, 0, 5000, 10000, 25000, 123456 };
    static const int offs[] = { -3, -2, -1, 0, 1, 2, 3 };   /* in half steps, then ±1 unit */
    const int nt = 8, nd = 7 * 3, ninds = 4 * 6;
    model *m = model_new();
    char code[32];
    assert_true(model_put_unit(m, "root", "root", "", "", 0, 0) >= 0);
    for (int k = 0; k < nt * nd; k++) {
        snprintf(code, sizeof code, "u%d", k);
        assert_true(model_put_unit(m, code, code, "root", "", 0, 0) >= 0);
    }
    for (int i = 0; i < ninds; i++) {
        ind_t d = { 0 };
        snprintf(code, sizeof code, "i%d", i);
        d.code = code, d.name = code, d.group = "g", d.set = "", d.measure = "", d.parent_code = "", d.formula_src = "";
        d.dir = i % 4, d.decimals = i / 4, d.uagg = AGG_NONE, d.pagg = AGG_SUM;
        assert_true(model_put_ind(m, &d) >= 0);
    }
    period_t y = { P_YEAR, 0, 2021, 2021 };
    for (int k = 0; k < nt * nd; k++)
        for (int i = 0; i < ninds; i++) {
            int64_t step = 1;
            for (int q = i / 4; q < 4; q++)
                step *= 10;
            int64_t t = targets[k % nt], a = t + offs[(k / nt) % 7] * (step > 1 ? step / 2 : 1) + (k / nt / 7) - 1;
            int unit = k + 1;
            assert_int_equal(model_put_value(m, i, unit, y, (double)a / 1e4, NULL), 0);
            assert_int_equal(model_put_target(m, i, unit, y, (double)t / 1e4), 0);
        }
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    engine *g = NULL;
    assert_int_equal(engine_build(m, 1, &g, &e), 0);
    compare_counts(m, g);
    int n, met, exc, total = 0, tmet = 0, texc = 0;
    for (int k = 1; k <= nt * nd; k++) {
        assert_int_equal(engine_counts(g, k, 2021, &n, &met, &exc), 0);
        total += n, tmet += met, texc += exc;
    }
    assert_int_equal(total, nt * nd * ninds);
    assert_true(tmet > 0 && texc > 0 && tmet + texc < total);    /* all three outcomes occur */
    engine_free(g);
    model_free(m);
}

/* The SQL reference: on a random tree where leaves report every month of summed indicators (the
 * shape of `chitieu gen`), every yearly and monthly figure of every unit equals SQLite's closure
 * table + GROUP BY, and the engine has a figure exactly where SQL has a row. */
static void sql_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("sqlite: %s", msg ? msg : "?");
}

static void test_engine_equals_sql(void **state)
{
    (void)state;
    rng = 2025;
    model *m = model_new();
    sqlite3 *db;
    sqlite3_stmt *ins;
    char code[32], parent[32];
    const int nunits = 60, ninds = 4;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    sql_exec(db, "CREATE TABLE unit(id INTEGER PRIMARY KEY, parent INTEGER);"
                 "CREATE TABLE value(ind INTEGER, unit INTEGER, y INTEGER, m INTEGER, f INTEGER);");
    int *par = calloc(nunits, sizeof *par);
    for (int u = 0; u < nunits; u++) {
        par[u] = u == 0 ? -1 : (int)rnd((unsigned)u);
        snprintf(code, sizeof code, "u%d", u);
        snprintf(parent, sizeof parent, u ? "u%d" : "", par[u]);
        assert_true(model_put_unit(m, code, code, parent, "", 0, 0) >= 0);
    }
    for (int i = 0; i < ninds; i++) {
        ind_t d = { 0 };
        snprintf(code, sizeof code, "i%d", i);
        d.code = code, d.name = code, d.group = "g", d.set = "", d.measure = "", d.parent_code = "", d.formula_src = "";
        d.uagg = AGG_SUM, d.pagg = AGG_SUM, d.decimals = 2;
        assert_true(model_put_ind(m, &d) >= 0);
    }
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO unit VALUES (?, ?)", -1, &ins, NULL), SQLITE_OK);
    for (int u = 0; u < nunits; u++) {
        sqlite3_bind_int(ins, 1, u);
        if (par[u] >= 0)
            sqlite3_bind_int(ins, 2, par[u]);
        else
            sqlite3_bind_null(ins, 2);
        assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    uint8_t *inner = calloc(nunits, 1);
    for (int u = 1; u < nunits; u++)
        inner[par[u]] = 1;
    sql_exec(db, "BEGIN");
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO value VALUES (?, ?, ?, ?, ?)", -1, &ins, NULL), SQLITE_OK);
    for (int u = 0; u < nunits; u++)
        for (int i = 0; i < ninds; i++) {
            if (inner[u] || rnd(3) == 0)
                continue;                       /* leaves only; some do not report i */
            for (int y = 2021; y <= 2022; y++)
                for (int mo = 1; mo <= 12; mo++) {
                    int64_t f = (int64_t)rnd(2000000) - 100000;   /* 10^-4 units, some negative */
                    assert_int_equal(model_put_value(m, i, u, (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y },
                                                     (double)f / 1e4, NULL), 0);
                    sqlite3_bind_int(ins, 1, i), sqlite3_bind_int(ins, 2, u), sqlite3_bind_int(ins, 3, y);
                    sqlite3_bind_int(ins, 4, mo), sqlite3_bind_int64(ins, 5, f);
                    assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
                    sqlite3_reset(ins);
                }
        }
    sqlite3_finalize(ins);
    sql_exec(db, "COMMIT");
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    engine *g = NULL;
    engine_opts o = { .threads = 2, .full_min_leaves = 4 };
    assert_int_equal(engine_build_opts(m, &o, &g, &e), 0);
    sql_exec(db, "CREATE TABLE closure AS WITH RECURSIVE c(anc, des) AS (SELECT id, id FROM unit UNION ALL "
                 "SELECT c.anc, u.id FROM c JOIN unit u ON u.parent = c.des) SELECT * FROM c");
    static const char *const q =
        "SELECT c.anc, v.ind, v.y, 0, sum(v.f) FROM value v JOIN closure c ON c.des = v.unit GROUP BY 1, 2, 3 "
        "UNION ALL SELECT c.anc, v.ind, v.y, v.m, sum(v.f) FROM value v JOIN closure c ON c.des = v.unit GROUP BY 1, 2, 3, 4";
    assert_int_equal(sqlite3_prepare_v2(db, q, -1, &ins, NULL), SQLITE_OK);
    long sql_rows = 0;
    while (sqlite3_step(ins) == SQLITE_ROW) {
        int u = sqlite3_column_int(ins, 0), i = sqlite3_column_int(ins, 1), y = sqlite3_column_int(ins, 2);
        int mo = sqlite3_column_int(ins, 3);
        int64_t want = sqlite3_column_int64(ins, 4), got = 0;
        period_t p = mo ? (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y } : (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y };
        if (engine_get_fx(g, i, u, p, &got) != 1 || got != want)
            fail_msg("unit %d ind %d %d-%d: SQL %lld, engine %lld", u, i, y, mo, (long long)want, (long long)got);
        sql_rows++;
    }
    sqlite3_finalize(ins);
    long engine_cells = 0;
    for (int u = 0; u < nunits; u++)
        for (int i = 0; i < ninds; i++)
            for (int y = 2021; y <= 2022; y++)
                for (int mo = 0; mo <= 12; mo++) {
                    int64_t x;
                    period_t p = mo ? (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y } : (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y };
                    engine_cells += engine_get_fx(g, i, u, p, &x) == 1;
                }
    assert_true(sql_rows > 1000);
    assert_int_equal(engine_cells, sql_rows);
    engine_free(g);
    sqlite3_close(db);
    free(par);
    free(inner);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_engine_equals_reference),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_stages_equal_puts),
        cmocka_unit_test(test_updates_equal_rebuild),
        cmocka_unit_test(test_outside_years),
        cmocka_unit_test(test_bytes_count_values),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_long_ranges),
        cmocka_unit_test(test_years_span_the_data),
        cmocka_unit_test(test_bulk_csv_equals_model),
        cmocka_unit_test(test_bulk_csv_errors),
        cmocka_unit_test(test_counts_at_rounding_edges),
        cmocka_unit_test(test_engine_equals_sql),
        cmocka_unit_test(test_full_range_equals_reference),   /* last: it sets big_values */
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
