/* test_succession.c - successions (units that change): the model's table and its lookups and
 * cycle check; figures on today's structure in the reference evaluator (merge, split, a chain
 * of two reorganisations, periods that straddle the date for sum, avg and last, a quarter cut
 * mid-way, a formula from converted operands, the parent's roll-up without double counting,
 * "cùng kỳ" of a new unit, missing predecessors; with the limits: a converted sum too large, and
 * coverage of converted and rolled-up figures on today's structure); import of succession files through the store
 * (every error with its row and column, all or nothing, replacement, reload). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "err.h"
#include "eval.h"
#include "import.h"
#include "model.h"
#include "store.h"

static period_t P(const char *s)
{
    period_t p;
    assert_int_equal(period_parse(s, strlen(s), &p), 0);
    return p;
}

static int add_ind(model *m, const char *code, int uagg, int pagg, const char *fsrc)
{
    ind_t d = { 0 };
    d.code = d.name = (char *)code;
    d.group = d.set = d.measure = d.parent_code = (char *)"";
    d.formula_src = (char *)(fsrc ? fsrc : "");
    d.dir = DIR_UP;
    d.uagg = uagg;
    d.pagg = pagg;
    d.decimals = 2;
    int i = model_put_ind(m, &d);
    assert_true(i >= 0);
    return i;
}

#define U(code) model_unit_find(m, code)
#define I(code) model_ind_find(m, code)

static void val(model *m, const char *ind, const char *unit, const char *per, double v)
{
    assert_int_equal(model_put_value(m, I(ind), U(unit), P(per), v, NULL), 0);
}

static void succ(model *m, const char *from, const char *to, int date, double share)
{
    assert_true(model_put_succ(m, U(from), U(to), date, share) >= 0);
}

/* The figure on a structure; asserts it exists (want_has) and, if so, its value and mark. */
static void fig(const model *m, const char *ind, const char *unit, const char *per, int structure,
                int want_has, double want, int want_conv)
{
    double v = -1;
    int conv = -1;
    int has = eval_actual_on(m, model_ind_find(m, ind), model_unit_find(m, unit), P(per), structure, &v, &conv);
    if (has != want_has)
        fail_msg("%s %s %s structure %d: has %d, want %d (v=%g)", ind, unit, per, structure, has, want_has, v);
    if (!has)
        return;
    if (fabs(v - want) > 1e-4)
        fail_msg("%s %s %s structure %d: %.6f, want %.6f", ind, unit, per, structure, v, want);
    assert_int_equal(conv, want_conv);
}

/*
 * city
 * ├── q  district, dissolved 30/6/2025
 * │   ├── old  commune, renamed q2 on 1/1/2020 (the first reorganisation)
 * │   ├── q1   ward to 30/6/2025  → x (share 1)
 * │   └── q2   ward 2020–30/6/2025 → x (0,4), y (0,6)
 * ├── k  district, kept, with ward k1
 * ├── x  ward from 1/7/2025
 * └── y  ward from 1/7/2025
 */
static model *build(void)
{
    model *m = model_new();
    assert_non_null(m);
    model_put_unit(m, "city", "Thành phố", "", "Thành ủy", 0, 0);
    model_put_unit(m, "q", "Quận Q", "city", "Quận ủy", 0, 20250630);
    model_put_unit(m, "q1", "Phường Q1", "q", "Đảng ủy phường", 0, 20250630);
    model_put_unit(m, "q2", "Phường Q2", "q", "Đảng ủy phường", 20200101, 20250630);
    model_put_unit(m, "old", "Xã Cũ", "q", "Đảng ủy xã", 0, 20191231);
    model_put_unit(m, "k", "Quận K", "city", "Quận ủy", 0, 0);
    model_put_unit(m, "k1", "Phường K1", "k", "Đảng ủy phường", 0, 0);
    model_put_unit(m, "x", "Phường X", "city", "Đảng ủy phường", 20250701, 0);
    model_put_unit(m, "y", "Phường Y", "city", "Đảng ủy phường", 20250701, 0);
    add_ind(m, "thu", AGG_SUM, AGG_SUM, NULL);
    add_ind(m, "kn", AGG_SUM, AGG_SUM, NULL);
    add_ind(m, "dv", AGG_SUM, AGG_LAST, NULL);
    add_ind(m, "tl", AGG_NONE, AGG_LAST, "kn / dv * 100");
    add_ind(m, "ngheo", AGG_AVG, AGG_AVG, NULL);
    add_ind(m, "cao", AGG_MAX, AGG_MAX, NULL);
    add_ind(m, "ten", AGG_NONE, AGG_LAST, NULL);
    succ(m, "old", "q2", 20200101, 1);       /* the first reorganisation: a rename */
    succ(m, "q1", "x", 20250701, 1);          /* the second: a merge... */
    succ(m, "q2", "x", 20250701, 0.4);        /* ...and a split */
    succ(m, "q2", "y", 20250701, 0.6);
    /* revenue by half-year */
    val(m, "thu", "old", "2019S1", 40);
    val(m, "thu", "old", "2019S2", 60);
    val(m, "thu", "q1", "2019S1", 10);
    val(m, "thu", "q1", "2019S2", 20);
    val(m, "thu", "q1", "2024S1", 100);
    val(m, "thu", "q1", "2024S2", 110);
    val(m, "thu", "q2", "2024S1", 50);
    val(m, "thu", "q2", "2024S2", 60);
    val(m, "thu", "q1", "2025S1", 120);
    val(m, "thu", "q2", "2025S1", 70);
    val(m, "thu", "k1", "2024S1", 5);
    val(m, "thu", "k1", "2024S2", 5);
    val(m, "thu", "k1", "2025S1", 6);
    val(m, "thu", "k1", "2025S2", 6);
    val(m, "thu", "x", "2025S2", 200);
    val(m, "thu", "y", "2025S2", 40);
    val(m, "thu", "x", "2026S1", 210);
    val(m, "thu", "y", "2026S1", 45);
    /* admissions and members: the rate is numerator over denominator, never a mean of rates */
    val(m, "kn", "q1", "2025S1", 10);
    val(m, "kn", "q2", "2025S1", 20);
    val(m, "dv", "q1", "2025S1", 1000);
    val(m, "dv", "q2", "2025S1", 500);
    val(m, "kn", "x", "2025S2", 12);
    val(m, "dv", "x", "2025S2", 1220);
    /* an average, a maximum, a value of no aggregation */
    val(m, "ngheo", "q1", "2025S1", 2);
    val(m, "ngheo", "q2", "2025S1", 4);
    val(m, "ngheo", "x", "2025S2", 3);
    val(m, "cao", "q1", "2025S1", 7);
    val(m, "cao", "q2", "2025S1", 9);
    val(m, "cao", "x", "2025S2", 8);
    val(m, "ten", "q1", "2025S1", 1);
    val(m, "ten", "q2", "2025S1", 2);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

static void test_model_table(void **state)
{
    (void)state;
    model *m = build();
    int n;
    const int *in = model_preds(m, U("x"), &n);
    assert_int_equal(n, 2);
    assert_int_equal(m->succs[in[0]].from, U("q1"));
    assert_int_equal(m->succs[in[1]].from, U("q2"));
    const int *out = model_succs(m, U("q2"), &n);
    assert_int_equal(n, 2);
    assert_int_equal(m->succs[out[0]].to, U("x"));
    assert_true(m->succs[out[1]].share == 0.6);
    in = model_preds(m, U("q2"), &n);           /* by date: the 2020 rename */
    assert_int_equal(n, 1);
    assert_int_equal(m->succs[in[0]].from, U("old"));
    model_succs(m, U("city"), &n);
    assert_int_equal(n, 0);
    assert_int_equal(m->succ_last_date, 20250701);
    /* a put of the same (from, to, date) replaces the share; deleting one date removes its rows */
    assert_int_equal(model_put_succ(m, U("q2"), U("y"), 20250701, 0.5), (int)m->nsuccs - 1);
    assert_true(m->succs[m->nsuccs - 1].share == 0.5);
    assert_int_equal(model_del_succs(m, U("q2"), 20250701), 2);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    model_succs(m, U("q2"), &n);
    assert_int_equal(n, 0);
    /* a cycle (y → x → y) is refused, naming a unit on it */
    succ(m, "x", "y", 20260101, 1);
    succ(m, "y", "x", 20270101, 1);
    assert_int_not_equal(model_finish(m, &e), 0);
    assert_non_null(strstr(e.msg, "vòng lặp"));
    assert_true(m->succ_cycle >= 0);
    assert_true(m->succs[m->succ_cycle].from == U("x") || m->succs[m->succ_cycle].from == U("y"));
    model_free(m);
}

static void test_merge_split_chain(void **state)
{
    (void)state;
    model *m = build();
    /* merge and split: x = q1 + 0,4 × q2, y = 0,6 × q2, each half-year then the year */
    fig(m, "thu", "x", "2024S1", EVAL_CURRENT, 1, 100 + 0.4 * 50, 1);
    fig(m, "thu", "x", "2024", EVAL_CURRENT, 1, 210 + 0.4 * 110, 1);
    fig(m, "thu", "y", "2024", EVAL_CURRENT, 1, 0.6 * 110, 1);
    /* historically the new wards did not exist; their predecessors keep their own figures */
    fig(m, "thu", "x", "2024", EVAL_HISTORICAL, 0, 0, 0);
    fig(m, "thu", "q2", "2024", EVAL_CURRENT, 1, 110, 0);
    /* a chain of two reorganisations: q2 took over "old" in 2020, x took 0,4 of q2 in 2025 */
    fig(m, "thu", "q2", "2019", EVAL_CURRENT, 1, 100, 1);
    fig(m, "thu", "x", "2019", EVAL_CURRENT, 1, 30 + 0.4 * 100, 1);
    fig(m, "thu", "y", "2019", EVAL_CURRENT, 1, 0.6 * 100, 1);
    /* the auto structure: historical for a period that ended before the latest change */
    assert_int_equal(eval_structure_of(m, P("2024")), EVAL_HISTORICAL);
    assert_int_equal(eval_structure_of(m, P("2025S1")), EVAL_HISTORICAL);
    assert_int_equal(eval_structure_of(m, P("2025")), EVAL_CURRENT);
    assert_int_equal(eval_structure_of(m, P("2020-2025")), EVAL_CURRENT);
    fig(m, "thu", "x", "2024", EVAL_AUTO, 0, 0, 0);
    fig(m, "thu", "x", "2025", EVAL_AUTO, 1, 148 + 200, 1);
    model_free(m);
}

static void test_straddling_periods(void **state)
{
    (void)state;
    model *m = build();
    /* sum: the converted half before 1/7/2025 plus the ward's own half after it */
    fig(m, "thu", "x", "2025", EVAL_CURRENT, 1, (120 + 0.4 * 70) + 200, 1);
    fig(m, "thu", "y", "2025", EVAL_CURRENT, 1, 0.6 * 70 + 40, 1);
    fig(m, "thu", "x", "2025S2", EVAL_CURRENT, 1, 200, 0);  /* wholly after: its own */
    /* a range of years straddles too: its years summed, 2025 split at the date */
    fig(m, "thu", "y", "2024-2025", EVAL_CURRENT, 1, 0.6 * 110 + 0.6 * 70 + 40, 1);
    /* a unit no succession touches is served as it was, unmarked */
    fig(m, "thu", "k1", "2024", EVAL_CURRENT, 1, 10, 0);
    /* last: the members at the end of the year are the ward's own */
    fig(m, "dv", "x", "2025S1", EVAL_CURRENT, 1, 1000 + 0.4 * 500, 1);
    fig(m, "dv", "x", "2025", EVAL_CURRENT, 1, 1220, 1);
    /* avg: the predecessors weighted by share, then the halves by the period rule */
    double s1 = (2 * 1 + 4 * 0.4) / 1.4;
    fig(m, "ngheo", "x", "2025S1", EVAL_CURRENT, 1, s1, 1);
    fig(m, "ngheo", "x", "2025", EVAL_CURRENT, 1, (s1 + 3) / 2, 1);
    /* max over the predecessors (unweighted), then over the halves */
    fig(m, "cao", "x", "2025S1", EVAL_CURRENT, 1, 9, 1);
    fig(m, "cao", "x", "2025", EVAL_CURRENT, 1, 9, 1);
    /* no unit aggregation: the largest share's value (q1's 1, share 1 against q2's 0,4) */
    fig(m, "ten", "x", "2025S1", EVAL_CURRENT, 1, 1, 1);
    fig(m, "ten", "y", "2025S1", EVAL_CURRENT, 1, 2, 1);
    model_free(m);
}

static void test_quarter_cut_midway(void **state)
{
    (void)state;
    model *m = model_new();
    model_put_unit(m, "a", "A", "", "Xã", 0, 20250731);
    model_put_unit(m, "b", "B", "", "Xã", 20250801, 0);
    add_ind(m, "thu", AGG_SUM, AGG_SUM, NULL);
    add_ind(m, "tb", AGG_AVG, AGG_AVG, NULL);
    succ(m, "a", "b", 20250801, 1);
    val(m, "thu", "a", "2025-07", 7);
    val(m, "thu", "b", "2025-08", 8);
    val(m, "thu", "b", "2025-09", 9);
    val(m, "tb", "a", "2025-07", 1);
    val(m, "tb", "b", "2025-08", 2);
    val(m, "tb", "b", "2025-09", 6);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    fig(m, "thu", "b", "2025Q3", EVAL_CURRENT, 1, 24, 1);
    fig(m, "tb", "b", "2025Q3", EVAL_CURRENT, 1, 3, 1);
    fig(m, "thu", "b", "2025Q3", EVAL_HISTORICAL, 0, 0, 0);
    /* a month cut mid-way adds the predecessor's part to the unit's own */
    model_put_unit(m, "c", "C", "", "Xã", 0, 20251014);
    model_put_unit(m, "d", "D", "", "Xã", 20251015, 0);
    succ(m, "c", "d", 20251015, 1);
    val(m, "thu", "c", "2025-10", 3);
    val(m, "thu", "d", "2025-10", 4);
    assert_int_equal(model_finish(m, &e), 0);
    fig(m, "thu", "d", "2025-10", EVAL_CURRENT, 1, 7, 1);
    model_free(m);
}

static void test_formula_from_converted_operands(void **state)
{
    (void)state;
    model *m = build();
    /* 2025S1: (10 + 0,4 × 20) / (1000 + 0,4 × 500) = 18 / 1200 = 1,5% (the mean of the two
     * rates 1% and 4% would say otherwise) */
    fig(m, "tl", "x", "2025S1", EVAL_CURRENT, 1, 1.5, 1);
    /* the year: admissions summed (18 + 12), members last (1220) */
    fig(m, "tl", "x", "2025", EVAL_CURRENT, 1, 30.0 / 1220 * 100, 1);
    model_free(m);
}

static void test_parent_and_rows(void **state)
{
    (void)state;
    model *m = build();
    /* the city's total is the same on both structures: no unit is counted twice */
    fig(m, "thu", "city", "2024", EVAL_HISTORICAL, 1, 210 + 110 + 10, 0);
    fig(m, "thu", "city", "2024", EVAL_CURRENT, 1, 210 + 110 + 10, 1);
    fig(m, "thu", "city", "2025", EVAL_CURRENT, 1, 190 + 240 + 12, 1);
    fig(m, "thu", "city", "2025S1", EVAL_HISTORICAL, 1, 190 + 6, 0);
    /* today's structure: the dissolved district is not among the city's units, the new wards are */
    assert_false(eval_unit_in_structure(m, U("q"), P("2024"), EVAL_CURRENT));
    assert_true(eval_unit_in_structure(m, U("q"), P("2024"), EVAL_HISTORICAL));
    assert_true(eval_unit_in_structure(m, U("x"), P("2024"), EVAL_CURRENT));
    assert_false(eval_unit_in_structure(m, U("x"), P("2024"), EVAL_HISTORICAL));
    assert_true(eval_unit_in_structure(m, U("k"), P("2024"), EVAL_CURRENT));
    /* a new ward's row: "cùng kỳ" compares 2026S1 with its area's 2025S1, marked converted */
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("x"), P("2026S1"), &r, &e), 0);
    assert_int_equal(r.structure, EVAL_CURRENT);
    const eval_row *row = NULL;
    for (int i = 0; i < r.nrows; i++)
        if (r.rows[i].ind == I("thu"))
            row = &r.rows[i];
    assert_non_null(row);
    assert_true(row->has_actual && fabs(row->actual - 210) < 1e-9);
    assert_int_equal(row->converted, 0);
    assert_true(row->has_prev && fabs(row->prev - 148) < 1e-9);
    assert_int_equal(row->prev_converted, 1);
    assert_int_equal(row->rank, 1);            /* among x and y only */
    assert_int_equal(row->rank_of, 2);
    eval_result_free(&r);
    /* on the historical structure the same row has no year before */
    assert_int_equal(eval_unit_on(m, U("x"), P("2026S1"), EVAL_HISTORICAL, &r, &e), 0);
    for (int i = 0; i < r.nrows; i++)
        if (r.rows[i].ind == I("thu"))
            assert_false(r.rows[i].has_prev);
    eval_result_free(&r);
    model_free(m);
}

static void test_missing_predecessor(void **state)
{
    (void)state;
    model *m = build();
    /* kn: q1 and q2 reported 2025S1 only; 2024 has no data, so no converted figure either */
    fig(m, "kn", "x", "2024", EVAL_CURRENT, 0, 0, 0);
    /* y has no own kn for 2025S2: its year is not a year */
    fig(m, "kn", "y", "2025", EVAL_CURRENT, 0, 0, 0);
    /* a predecessor without data makes the converted figure missing, not partial */
    model_put_unit(m, "z", "Phường Z", "city", "Đảng ủy phường", 20250701, 0);
    model_put_unit(m, "k3", "Phường K3", "k", "Đảng ủy phường", 0, 20250630);
    model_del_succs(m, U("q1"), 20250701);
    succ(m, "q1", "z", 20250701, 0.5);
    succ(m, "k3", "z", 20250701, 1);
    succ(m, "q1", "x", 20250701, 0.5);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    fig(m, "thu", "z", "2024S1", EVAL_CURRENT, 0, 0, 0);
    fig(m, "thu", "x", "2024S1", EVAL_CURRENT, 1, 50 + 0.4 * 50, 1);
    model_free(m);
}

static void test_new_parent(void **state)
{
    (void)state;
    model *m = model_new();
    model_put_unit(m, "r", "R", "", "Tỉnh ủy", 0, 0);
    model_put_unit(m, "od", "Huyện cũ", "r", "Huyện ủy", 0, 20250630);
    model_put_unit(m, "ow", "Xã cũ", "od", "Xã", 0, 20250630);
    model_put_unit(m, "ow2", "Xã cũ 2", "od", "Xã", 0, 20250630);
    model_put_unit(m, "nd", "Khu mới", "r", "Đảng ủy", 20250701, 0);
    model_put_unit(m, "nw", "Xã mới", "nd", "Xã", 20250701, 0);
    model_put_unit(m, "nw2", "Xã mới 2", "nd", "Xã", 20250701, 0);
    add_ind(m, "thu", AGG_SUM, AGG_SUM, NULL);
    succ(m, "od", "nd", 20250701, 1);
    succ(m, "ow", "nw", 20250701, 1);
    succ(m, "ow2", "nw2", 20250701, 1);
    val(m, "thu", "ow", "2024", 10);
    val(m, "thu", "ow2", "2024", 30);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    /* the new parent did not exist in 2024 either: its figure is converted, and shown as the
     * new ward's parent; the ward ranks among today's wards */
    eval_result r;
    assert_int_equal(eval_unit_on(m, U("nw"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    assert_int_equal(r.nrows, 1);
    assert_true(r.rows[0].has_actual && fabs(r.rows[0].actual - 10) < 1e-9 && r.rows[0].converted);
    assert_true(r.rows[0].has_parent && fabs(r.rows[0].parent_value - 40) < 1e-9);
    assert_int_equal(r.rows[0].rank, 2);
    assert_int_equal(r.rows[0].rank_of, 2);
    eval_result_free(&r);
    fig(m, "thu", "r", "2024", EVAL_CURRENT, 1, 40, 1);
    model_free(m);
}

/* ---- with the limits (#19) and coverage (#12) ---------------------------------------------- */

static const eval_row *row_for(const eval_result *r, int ind)
{
    for (int i = 0; i < r->nrows; i++)
        if (r->rows[i].ind == ind)
            return &r->rows[i];
    fail_msg("no row for indicator %d", ind);
    return NULL;
}

/* r over od (ow, ow2) until 30/6/2025, then nd (nw, nw2); ow → nw, ow2 → nw2 unless merged. */
static model *two_level(int merged)
{
    model *m = model_new();
    model_put_unit(m, "r", "R", "", "Tỉnh ủy", 0, 0);
    model_put_unit(m, "od", "Huyện cũ", "r", "Huyện ủy", 0, 20250630);
    model_put_unit(m, "ow", "Xã cũ", "od", "Xã", 0, 20250630);
    model_put_unit(m, "ow2", "Xã cũ 2", "od", "Xã", 0, 20250630);
    model_put_unit(m, "ow3", "Xã cũ 3", "od", "Xã", 0, 20250630);
    model_put_unit(m, "nd", "Khu mới", "r", "Đảng ủy", 20250701, 0);
    model_put_unit(m, "nw", "Xã mới", "nd", "Xã", 20250701, 0);
    model_put_unit(m, "nw2", "Xã mới 2", "nd", "Xã", 20250701, 0);
    add_ind(m, "thu", AGG_SUM, AGG_SUM, NULL);
    succ(m, "od", "nd", 20250701, 1);
    succ(m, "ow", "nw", 20250701, 1);
    succ(m, "ow2", merged ? "nw" : "nw2", 20250701, 1);
    succ(m, "ow3", "nw", 20250701, 1);
    return m;
}

/* (a) a converted sum beyond ±9×10^14 is too large, never a wrapped number: two predecessors of
 * 5×10^14 merged into one ward, the new district above it and the province; the error names it. */
static void test_converted_too_large(void **state)
{
    (void)state;
    model *m = two_level(1);
    val(m, "thu", "ow", "2024", 5e14);
    val(m, "thu", "ow2", "2024", 5e14);
    val(m, "thu", "ow3", "2024", 1);
    val(m, "thu", "ow", "2024S1", 4e14);        /* a half within the limit still converts */
    val(m, "thu", "ow2", "2024S1", 4e14);
    val(m, "thu", "ow3", "2024S1", 0.5);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    double v = -1;
    int conv = -1;
    assert_int_equal(eval_figure_on(m, I("thu"), U("nw"), P("2024"), EVAL_CURRENT, &v, &conv), FIG_TOO_LARGE);
    assert_true(v == 0);
    assert_int_equal(eval_actual_on(m, I("thu"), U("nw"), P("2024"), EVAL_CURRENT, &v, NULL), 0);
    assert_int_equal(eval_figure_on(m, I("thu"), U("nd"), P("2024"), EVAL_CURRENT, &v, NULL), FIG_TOO_LARGE);
    assert_int_equal(eval_figure_on(m, I("thu"), U("r"), P("2024"), EVAL_CURRENT, &v, NULL), FIG_TOO_LARGE);
    /* the range holding it too, of any length */
    assert_int_equal(eval_figure_on(m, I("thu"), U("nw"), P("2005-2024"), EVAL_CURRENT, &v, NULL), FIG_NONE);
    fig(m, "thu", "nw", "2024S1", EVAL_CURRENT, 1, 8e14 + 0.5, 1);
    eval_result r;
    assert_int_equal(eval_unit_on(m, U("nw"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    const eval_row *row = row_for(&r, I("thu"));
    assert_true(row->too_large && !row->has_actual && row->actual == 0);
    assert_int_equal(row->rank, 0);
    eval_result_free(&r);
    assert_int_equal(eval_too_large_in_on(m, U("nd"), P("2024"), EVAL_CURRENT, &e), 1);
    assert_non_null(strstr(e.msg, "kỳ 2024"));
    /* on the historical structure the old wards hold their own figures */
    fig(m, "thu", "ow", "2024", EVAL_HISTORICAL, 1, 5e14, 0);
    model_free(m);
}

/* (b) a new ward whose predecessor has no figure has none (missing, naming how many parts are
 * missing); the new district above it is partial, counting today's wards: 1 of 2. */
static void test_converted_missing_partial(void **state)
{
    (void)state;
    model *m = two_level(0);
    val(m, "thu", "ow", "2024", 10);
    val(m, "thu", "ow2", "2024", 30);           /* ow3 (→ nw with ow) has none */
    assert_int_equal(model_put_target(m, I("thu"), U("nw"), P("2024"), 5), 0);
    assert_int_equal(model_put_target(m, I("thu"), U("nd"), P("2024"), 5), 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    eval_result r;
    assert_int_equal(eval_unit_on(m, U("nw"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    const eval_row *row = row_for(&r, I("thu"));
    assert_false(row->has_actual);
    assert_int_equal(row->status, ST_NODATA);
    assert_int_equal(row->missing_children, 1);
    assert_int_equal(row->partial, 0);          /* no figure at all: not a partial one */
    eval_result_free(&r);
    assert_int_equal(eval_unit_on(m, U("nd"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    row = row_for(&r, I("thu"));
    assert_true(row->has_actual && fabs(row->actual - 40) < 1e-9 && row->converted);
    assert_int_equal(row->partial, 1);
    assert_int_equal(row->expected_children, 2);
    assert_int_equal(row->reported_children, 1);
    assert_int_equal(row->status, ST_NODATA);  /* a partial total is not judged */
    assert_int_equal(row->has_pct, 0);
    assert_int_equal(r.all.partial, 1);
    eval_result_free(&r);
    /* eval_actual_cov on the structure of the period: 2024 ended before the succession, so by
     * default historical, where the old district's total is partial, 2 of its 3 wards */
    double v;
    eval_cov cov;
    assert_int_equal(eval_actual_cov(m, I("thu"), U("nd"), P("2024"), &v, &cov), 0);
    assert_int_equal(eval_actual_cov(m, I("thu"), U("od"), P("2024"), &v, &cov), 1);
    assert_true(v == 40 && cov.partial && cov.expected == 3 && cov.reported == 2);
    /* the province above: partial because the new district is, 1/1 with 1 partial below */
    assert_int_equal(eval_unit_on(m, U("r"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    row = row_for(&r, I("thu"));
    assert_true(row->partial && row->expected_children == 1 && row->reported_children == 1 &&
                row->partial_children == 1);
    eval_result_free(&r);
    model_free(m);
}

/* (c) a district on today's structure over three new communes, one of which reported: partial
 * "1/3", not judged, not ranked against the whole district beside it; withheld when set. */
static void test_new_communes_one_of_three(void **state)
{
    (void)state;
    model *m = model_new();
    model_put_unit(m, "r", "R", "", "Tỉnh ủy", 0, 0);
    model_put_unit(m, "kd", "Huyện giữ", "r", "Huyện ủy", 0, 0);
    model_put_unit(m, "kw", "Xã giữ", "kd", "Xã", 0, 0);
    model_put_unit(m, "od", "Huyện cũ", "r", "Huyện ủy", 0, 20250630);
    model_put_unit(m, "nd", "Huyện mới", "r", "Huyện ủy", 20250701, 0);
    static const char *const olds[] = { "p1", "p2", "p3" }, *const news[] = { "c1", "c2", "c3" };
    for (int k = 0; k < 3; k++) {
        model_put_unit(m, olds[k], olds[k], "od", "Xã", 0, 20250630);
        model_put_unit(m, news[k], news[k], "nd", "Xã", 20250701, 0);
    }
    add_ind(m, "thu", AGG_SUM, AGG_SUM, NULL);
    succ(m, "od", "nd", 20250701, 1);
    for (int k = 0; k < 3; k++)
        succ(m, olds[k], news[k], 20250701, 1);
    val(m, "thu", "p1", "2024", 10);
    val(m, "thu", "kw", "2024", 50);
    val(m, "thu", "c1", "2026", 12);
    val(m, "thu", "kw", "2026", 60);
    assert_int_equal(model_put_target(m, I("thu"), U("nd"), P("2026"), 5), 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    eval_result r;
    char text[128];
    for (int k = 0; k < 2; k++) {
        const char *per = k ? "2024" : "2026";  /* converted, and today's own figures */
        assert_int_equal(eval_unit_on(m, U("nd"), P(per), EVAL_CURRENT, &r, &e), 0);
        const eval_row *row = row_for(&r, I("thu"));
        assert_true(row->has_actual && fabs(row->actual - (k ? 10 : 12)) < 1e-9);
        assert_int_equal(row->converted, k);
        assert_int_equal(row->partial, 1);
        assert_int_equal(row->expected_children, 3);
        assert_int_equal(row->reported_children, 1);
        assert_int_equal(row->rank, 0);         /* a partial figure is not ranked */
        assert_int_equal(row->has_parent, 0);   /* nor is the province's partial total a benchmark */
        buf b = BUF_INIT;
        eval_cov_text(row, &b);
        snprintf(text, sizeof text, "%s", buf_str(&b));
        buf_free(&b);
        assert_string_equal(text, "1/3 đơn vị có số liệu");
        if (!k)
            assert_int_equal(row->status, ST_NODATA);
        eval_result_free(&r);
        /* the whole district beside it has no peer to rank with: the partial one is left out */
        assert_int_equal(eval_unit_on(m, U("kd"), P(per), EVAL_CURRENT, &r, &e), 0);
        row = row_for(&r, I("thu"));
        assert_true(row->has_actual && !row->partial && row->rank == 0);
        eval_result_free(&r);
    }
    /* withheld: no figure shown, its coverage still said */
    m->inds[I("thu")].partial_mode = PM_WITHHOLD;
    assert_int_equal(eval_unit_on(m, U("nd"), P("2024"), EVAL_CURRENT, &r, &e), 0);
    const eval_row *row = row_for(&r, I("thu"));
    assert_true(row->withheld && !row->has_actual && row->actual == 0 && row->partial);
    assert_int_equal(row->reported_children, 1);
    eval_result_free(&r);
    model_free(m);
}

/* ---- import through the store ------------------------------------------------------------ */

typedef struct fx {
    char path[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/chitieu-succ-%ld.db", (long)getpid());
    remove(f->path);
    store *s;
    err_t e;
    assert_int_equal(store_open(f->path, 1, &s, &e), 0);
    store_close(s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char side[80];
    remove(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    remove(side);
    free(f);
    return 0;
}

static const char units_csv[] =
    "code,name,parent,type,valid_from,valid_to\n"
    "city,Thành phố,,Thành ủy,,\n"
    "q,Quận Q,city,Quận ủy,,2025-06-30\n"
    "q1,Phường Q1,q,Đảng ủy phường,,2025-06-30\n"
    "q2,Phường Q2,q,Đảng ủy phường,,2025-06-30\n"
    "x,Phường X,city,Đảng ủy phường,2025-07-01,\n"
    "y,Phường Y,city,Đảng ủy phường,2025-07-01,\n";

static int run(fx *f, const char *name, const char *text, int dry, import_stats *st, char **errs)
{
    store *s;
    model *m = model_new();
    err_t e;
    buf errors = BUF_INIT;
    import_source src[2] = { { "units.csv", units_csv, sizeof units_csv - 1 }, { name, text, strlen(text) } };
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    import_opts o = { .dry_run = dry, .who = "tester" };
    int rc = import_run(s, m, src, 2, &o, st, &errors, &e);
    *errs = buf_steal(&errors);
    store_close(s);
    model_free(m);
    return rc;
}

static model *load(fx *f)
{
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    store_close(s);
    return m;
}

static void test_import_file(void **state)
{
    fx *f = *state;
    import_stats st;
    char *errs;
    /* ';', a BOM, a decimal comma, both date forms, share left empty */
    const char *good = "\xEF\xBB\xBF" "from;to;date;share\nq1;x;1/7/2025;\nq2;x;2025-07-01;0,4\nq2;y;1/7/2025;0,6\n";
    assert_int_equal(run(f, "succ.csv", good, 1, &st, &errs), 0);   /* dry run: nothing written */
    free(errs);
    model *m = load(f);
    assert_int_equal(m->nsuccs, 0);
    model_free(m);
    assert_int_equal(run(f, "succ.csv", good, 0, &st, &errs), 0);
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(st.rows[IK_SUCCESSIONS], 3);
    assert_int_equal(st.added[IK_SUCCESSIONS], 3);
    m = load(f);
    assert_int_equal(m->nsuccs, 3);
    int n;
    const int *in = model_preds(m, model_unit_find(m, "x"), &n);
    assert_int_equal(n, 2);
    assert_true(fabs(m->succs[in[1]].share - 0.4) < 1e-12);
    assert_int_equal(m->succs[in[1]].date, 20250701);
    model_free(m);
    /* the same file again changes nothing; a new split of q2 replaces the old one */
    assert_int_equal(run(f, "succ.csv", good, 0, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.added[IK_SUCCESSIONS] + st.changed[IK_SUCCESSIONS], 0);
    assert_int_equal(run(f, "succ2.csv", "from,to,date\nq2,y,1/7/2025\n", 0, &st, &errs), 0);
    free(errs);
    m = load(f);
    assert_int_equal(m->nsuccs, 2);
    model_succs(m, model_unit_find(m, "q2"), &n);
    assert_int_equal(n, 1);
    model_free(m);
}

static void test_import_errors(void **state)
{
    fx *f = *state;
    static const struct { const char *text, *want; } cases[] = {
        { "from,to,date,share\nzz,x,1/7/2025,1\n", "bad.csv, dòng 2, cột 1 (from): 'zz' — không có đơn vị" },
        { "from,to,date,share\nq1,zz,1/7/2025,1\n", "bad.csv, dòng 2, cột 2 (to): 'zz' — không có đơn vị" },
        { "from,to,date,share\nq1,x,31/6/2025,1\n", "bad.csv, dòng 2, cột 3 (date): '31/6/2025' — cần ngày" },
        { "from;to;date;share\nq1;x;1/7/2025;1,5\n", "bad.csv, dòng 2, cột 4 (share): '1,5' — cần tỷ lệ" },
        { "from;to;date;share\nq1;x;1/7/2025;0\n", "bad.csv, dòng 2, cột 4 (share): '0' — cần tỷ lệ" },
        { "from,to,date\nx,y,1/7/2025\n", "bad.csv, dòng 2, cột 1 (from): 'x' — đơn vị còn hiệu lực ngày 1/7/2025" },
        { "from,to,date\nq1,x,1/6/2025\n", "bad.csv, dòng 2, cột 2 (to): 'x' — đơn vị chưa có hiệu lực ngày 1/6/2025" },
        { "from,to,date\nq1,q1,1/7/2025\n", "bad.csv, dòng 2, cột 2 (to): 'q1' — đơn vị không thể kế thừa chính nó" },
        { "from,to,date,share\nq2,x,1/7/2025,0.5\nq2,y,1/7/2025,0.6\n",
          "bad.csv, dòng 2, cột 4 (share): '1.1' — tổng tỷ lệ của đơn vị 'q2' ngày 1/7/2025 phải bằng 1" },
        { "from;to;date;share\nq2;x;1/7/2025;0,3333333\nq2;y;1/7/2025;0,3333333\nq1;x;1/7/2025;1\n",
          "bad.csv, dòng 2, cột 4 (share): '0.666667' — tổng tỷ lệ" },
        { "from,to,date\nq1,x,1/7/2025\nq1,x,2025-07-01\n", "bad.csv, dòng 3: trùng với dòng 2 của bad.csv" },
        { "from,to,date\nq2,x,1/7/2025\nq2,y,1/7/2025\n", "bad.csv, dòng 2, cột 3 (date): '2' — tổng tỷ lệ" },
        { "from,to,when\nq1,x,1/7/2025\n", "dòng tiêu đề không khớp" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        import_stats st;
        char *errs;
        /* the units file in the same run is refused with it: nothing is half-written */
        assert_int_not_equal(run(f, "bad.csv", cases[k].text, 0, &st, &errs), 0);
        if (strstr(errs, cases[k].want) == NULL)
            fail_msg("case %zu: want '%s' in:\n%s", k, cases[k].want, errs);
        free(errs);
        model *m = load(f);
        assert_int_equal(m->nsuccs, 0);
        assert_int_equal(m->nunits, 0);              /* the units file went back too */
        model_free(m);
    }
    /* shares summing to 1 within 10^-6 pass */
    import_stats st;
    char *errs;
    assert_int_equal(run(f, "ok.csv", "from,to,date,share\nq2,x,1/7/2025,0.3333333\nq2,y,1/7/2025,0.6666667\n",
                         1, &st, &errs), 0);
    free(errs);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_model_table),
        cmocka_unit_test(test_merge_split_chain),
        cmocka_unit_test(test_straddling_periods),
        cmocka_unit_test(test_quarter_cut_midway),
        cmocka_unit_test(test_formula_from_converted_operands),
        cmocka_unit_test(test_parent_and_rows),
        cmocka_unit_test(test_missing_predecessor),
        cmocka_unit_test(test_new_parent),
        cmocka_unit_test(test_converted_too_large),
        cmocka_unit_test(test_converted_missing_partial),
        cmocka_unit_test(test_new_communes_one_of_three),
        cmocka_unit_test_setup_teardown(test_import_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_errors, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
