/* test_eval.c - evaluation edge cases on a small hand-built model: roll-up over units
 * (sum, avg, validity), over periods (sum, last, completeness), formulas after aggregation,
 * status by direction and decimals, ranks with ties, same period last year, annual
 * progress, term targets for a mid-term range, components and tallies. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "eval.h"
#include "model.h"

static period_t P(const char *s)
{
    period_t p;
    assert_int_equal(period_parse(s, strlen(s), &p), 0);
    return p;
}

static int add_ind(model *m, const char *code, const char *group, const char *set, int dir,
                   int uagg, int pagg, const char *fsrc, const char *parent, int decimals)
{
    ind_t d = { 0 };
    d.code = (char *)code;
    d.name = (char *)code;
    d.group = (char *)group;
    d.set = (char *)set;
    d.measure = (char *)"";
    d.parent_code = (char *)(parent ? parent : "");
    d.formula_src = (char *)(fsrc ? fsrc : "");
    d.dir = dir;
    d.uagg = uagg;
    d.pagg = pagg;
    d.decimals = decimals;
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

static void tgt(model *m, const char *ind, const char *unit, const char *per, double v)
{
    assert_int_equal(model_put_target(m, I(ind), U(unit), P(per), v), 0);
}

static int setup(void **state)
{
    model *m = model_new();
    assert_non_null(m);
    model_put_unit(m, "city", "Thành phố", "", "Thành ủy", 0, 0);
    model_put_unit(m, "d1", "Quận Một", "city", "Quận ủy", 0, 0);
    model_put_unit(m, "d2", "Quận Hai", "city", "Quận ủy", 0, 0);
    model_put_unit(m, "d3", "Quận Ba", "city", "Quận ủy", 20200101, 20210630); /* dissolved */
    model_put_unit(m, "w1", "Phường A", "d1", "Đảng ủy phường", 0, 0);
    model_put_unit(m, "w2", "Phường B", "d1", "Đảng ủy phường", 0, 0);
    model_put_term(m, P("2020-2025"), "Nhiệm kỳ 2020–2025");
    add_ind(m, "thu", "KT", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "ngheo", "KT", "chỉ tiêu", DIR_DOWN, AGG_AVG, AGG_LAST, NULL, NULL, 2);
    add_ind(m, "reg", "BC", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "voted", "BC", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "rate", "BC", "chỉ tiêu", DIR_UP, AGG_NONE, AGG_LAST, "voted / reg * 100", NULL, 2);
    add_ind(m, "ketnap", "XD", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "dangvien", "XD", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_LAST, NULL, NULL, 0);
    add_ind(m, "growth", "KT", "mục tiêu phấn đấu", DIR_UP, AGG_AVG, AGG_AVG, NULL, NULL, 1);
    add_ind(m, "cds", "XD", "chỉ tiêu", DIR_UP, AGG_NONE, AGG_LAST, NULL, NULL, 0);
    add_ind(m, "cds1", "XD", "chỉ tiêu", DIR_DONE, AGG_NONE, AGG_LAST, NULL, "cds", 0);
    add_ind(m, "cds2", "XD", "chỉ tiêu", DIR_DONE, AGG_NONE, AGG_LAST, NULL, "cds", 0);
    add_ind(m, "cds3", "XD", "chỉ tiêu", DIR_DONE, AGG_NONE, AGG_LAST, NULL, "cds", 0);
    add_ind(m, "eq", "XD", "chỉ tiêu", DIR_EQUAL, AGG_NONE, AGG_LAST, NULL, NULL, 0);
    add_ind(m, "nodata", "XD", "chỉ tiêu", DIR_UP, AGG_NONE, AGG_LAST, NULL, NULL, 0);
    add_ind(m, "notarget", "XD", "chỉ tiêu", DIR_UP, AGG_NONE, AGG_LAST, NULL, NULL, 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);

    val(m, "thu", "w1", "2022", 60);
    val(m, "thu", "w2", "2022", 40);
    val(m, "thu", "d2", "2022", 80);
    val(m, "thu", "d2", "2021", 64);
    val(m, "thu", "d3", "2022", 1000); /* invalid in 2022: must not count */
    val(m, "thu", "d2", "2023S1", 35);
    tgt(m, "thu", "d1", "2022", 100);
    tgt(m, "thu", "d2", "2022", 70);
    tgt(m, "thu", "d2", "2023", 70);
    val(m, "ngheo", "d1", "2022", 1.5);
    val(m, "ngheo", "d2", "2022", 2.0);
    tgt(m, "ngheo", "d1", "2022", 2);
    val(m, "reg", "w1", "2021", 100);
    val(m, "voted", "w1", "2021", 99);
    val(m, "reg", "w2", "2021", 300);
    val(m, "voted", "w2", "2021", 291);
    static const char *const months[] = { "2022-01", "2022-02", "2022-03", "2022-04", "2022-05",
                                          "2022-06", "2022-07", "2022-08", "2022-09", "2022-10",
                                          "2022-11", "2022-12" };
    for (int i = 0; i < 12; i++)
        val(m, "ketnap", "d2", months[i], i + 1); /* 1..12: year 78, S1 21 */
    for (int i = 0; i < 11; i++)
        val(m, "ketnap", "d1", months[i], 5);     /* December missing */
    val(m, "dangvien", "d2", "2022Q1", 100);
    val(m, "dangvien", "d2", "2022Q2", 110);
    val(m, "dangvien", "d2", "2022Q3", 120);
    val(m, "dangvien", "d2", "2022Q4", 125);
    tgt(m, "growth", "d2", "2020-2025", 7);
    val(m, "growth", "d2", "2020-2022", 7.4);
    tgt(m, "cds1", "d2", "2022", 1);
    tgt(m, "cds2", "d2", "2022", 1);
    tgt(m, "cds3", "d2", "2022", 1);
    val(m, "cds1", "d2", "2022", 1);
    val(m, "cds2", "d2", "2022", 1);
    val(m, "cds3", "d2", "2022", 0);
    tgt(m, "eq", "d2", "2022", 5);
    val(m, "eq", "d2", "2022", 5);
    tgt(m, "nodata", "d2", "2022", 5);
    val(m, "notarget", "d2", "2022", 5);
    *state = m;
    return 0;
}

static int teardown(void **state)
{
    model_free(*state);
    return 0;
}

static double actual_of(const model *m, const char *ind, const char *unit, const char *per, int *has)
{
    double v = NAN;
    *has = eval_actual(m, I(ind), U(unit), P(per), &v);
    return v;
}

static void test_unit_rollup(void **state)
{
    model *m = *state;
    int has;
    assert_true(actual_of(m, "thu", "d1", "2022", &has) == 100 && has);
    assert_true(actual_of(m, "thu", "city", "2022", &has) == 180 && has); /* d3 excluded */
    assert_true(actual_of(m, "thu", "city", "2021", &has) == 64 && has); /* only d2 has 2021 */
    assert_true(fabs(actual_of(m, "ngheo", "city", "2022", &has) - 1.75) < 1e-12 && has);
    actual_of(m, "thu", "w1", "2021", &has);
    assert_false(has);
}

static void test_formula_after_aggregation(void **state)
{
    model *m = *state;
    int has;
    /* (99 + 291) / (100 + 300) * 100 = 97.5, not the mean of 99 and 97 (98). */
    assert_true(fabs(actual_of(m, "rate", "d1", "2021", &has) - 97.5) < 1e-12 && has);
    assert_true(fabs(actual_of(m, "rate", "w1", "2021", &has) - 99) < 1e-12 && has);
    assert_true(fabs(actual_of(m, "rate", "city", "2021", &has) - 97.5) < 1e-12 && has);
    actual_of(m, "rate", "d2", "2021", &has);
    assert_false(has);
}

static void test_period_rollup(void **state)
{
    model *m = *state;
    int has;
    assert_true(actual_of(m, "ketnap", "d2", "2022", &has) == 78 && has);
    assert_true(actual_of(m, "ketnap", "d2", "2022S1", &has) == 21 && has);
    assert_true(actual_of(m, "ketnap", "d2", "2022Q4", &has) == 33 && has);
    /* d1 lacks December: Q4, S2 and the year are incomplete; Q1 is there. */
    actual_of(m, "ketnap", "d1", "2022", &has);
    assert_false(has);
    assert_true(actual_of(m, "ketnap", "d1", "2022Q1", &has) == 15 && has);
    /* city: d1 has no yearly figure, d2 has 78. */
    assert_true(actual_of(m, "ketnap", "city", "2022", &has) == 78 && has);
    assert_true(actual_of(m, "dangvien", "d2", "2022", &has) == 125 && has); /* last */
    assert_true(actual_of(m, "dangvien", "d2", "2022S1", &has) == 110 && has);
}

static const eval_row *row(const model *m, const eval_result *r, const char *code)
{
    for (int i = 0; i < r->nrows; i++)
        if (strcmp(m->inds[r->rows[i].ind].code, code) == 0)
            return &r->rows[i];
    return NULL;
}

static void test_status_and_rank(void **state)
{
    model *m = *state;
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("d1"), P("2022"), &r, &e), 0);
    const eval_row *x = row(m, &r, "thu");
    assert_non_null(x);
    assert_int_equal(x->status, ST_MET);
    assert_int_equal(x->source, SRC_UNITS);
    assert_true(x->has_pct && fabs(x->pct - 100) < 1e-9);
    assert_int_equal(x->rank, 1);
    assert_int_equal(x->rank_of, 2);   /* d3 is not valid in 2022 */
    assert_int_equal(x->rank_peers, 2);
    assert_true(x->has_parent && x->parent_value == 180);
    x = row(m, &r, "ngheo");
    assert_int_equal(x->status, ST_EXCEEDED); /* down: 1.5 < 2 */
    assert_int_equal(x->rank, 1);
    eval_result_free(&r);

    assert_int_equal(eval_unit(m, U("d2"), P("2022"), &r, &e), 0);
    x = row(m, &r, "thu");
    assert_int_equal(x->status, ST_EXCEEDED);
    assert_int_equal(x->rank, 2);
    assert_true(x->has_prev && x->prev == 64);
    assert_true(x->has_change_pct && fabs(x->change_pct - 25) < 1e-9);
    assert_int_equal(row(m, &r, "eq")->status, ST_MET);
    assert_int_equal(row(m, &r, "nodata")->status, ST_NODATA);
    assert_int_equal(row(m, &r, "notarget")->status, ST_NOTARGET);
    assert_int_equal(row(m, &r, "cds1")->status, ST_MET);
    assert_int_equal(row(m, &r, "cds3")->status, ST_NOTMET);
    x = row(m, &r, "cds");
    assert_int_equal(x->status, ST_NOTMET);
    assert_true(x->status_from_components);
    assert_int_equal(r.comps.total, 3);
    assert_int_equal(r.comps.met + r.comps.exceeded, 2);
    assert_int_equal(r.comp_parents, 1);
    /* Main indicators with a target: thu, eq, nodata, cds (from components). */
    assert_int_equal(r.all.total, 4);
    assert_int_equal(r.all.exceeded, 1);
    assert_int_equal(r.all.met, 1);
    assert_int_equal(r.all.notmet, 1);
    assert_int_equal(r.all.nodata, 1);
    eval_result_free(&r);
}

static void test_ties_share_a_rank(void **state)
{
    model *m = *state;
    val(m, "thu", "d2", "2024", 50);
    val(m, "thu", "w1", "2024", 30);
    val(m, "thu", "w2", "2024", 20);
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("d2"), P("2024"), &r, &e), 0);
    assert_int_equal(row(m, &r, "thu")->rank, 1);
    eval_result_free(&r);
    assert_int_equal(eval_unit(m, U("d1"), P("2024"), &r, &e), 0);
    assert_int_equal(row(m, &r, "thu")->rank, 1);
    assert_int_equal(row(m, &r, "thu")->rank_of, 2);
    eval_result_free(&r);
}

static void test_annual_progress_and_term_target(void **state)
{
    model *m = *state;
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("d2"), P("2023S1"), &r, &e), 0);
    const eval_row *x = row(m, &r, "thu");
    assert_non_null(x);
    assert_int_equal(x->status, ST_NOTARGET);
    assert_int_equal(x->has_annual, 1);
    assert_true(fabs(x->annual_pct - 50) < 1e-9);
    eval_result_free(&r);

    assert_int_equal(eval_unit(m, U("d2"), P("2020-2022"), &r, &e), 0);
    x = row(m, &r, "growth");
    assert_non_null(x);
    assert_true(x->has_target && x->target == 7);
    assert_true(period_eq(x->target_period, P("2020-2025")));
    assert_int_equal(x->status, ST_EXCEEDED);
    assert_int_equal(r.nsets, 1);
    assert_string_equal(r.sets[0].name, "mục tiêu phấn đấu");
    assert_int_equal(r.sets[0].t.exceeded, 1);
    eval_result_free(&r);
}

/* The nine months: quarters I-III by each indicator's period aggregation, "cùng kỳ" the
 * previous year's nine months, and progress against the annual target.  Runs last: it adds
 * figures to the shared model. */
static void test_nine_months(void **state)
{
    model *m = *state;
    int has;
    assert_true(actual_of(m, "ketnap", "d2", "2022M9", &has) == 45 && has);   /* 1+...+9 */
    assert_true(actual_of(m, "ketnap", "d1", "2022M9", &has) == 45 && has);   /* December not needed */
    assert_true(actual_of(m, "dangvien", "d2", "2022M9", &has) == 120 && has); /* last: quarter III */
    assert_true(actual_of(m, "ketnap", "city", "2022M9", &has) == 90 && has);  /* d1 + d2 */
    actual_of(m, "thu", "d2", "2022M9", &has);                                /* only yearly figures */
    assert_false(has);
    val(m, "ketnap", "d2", "2021Q1", 10);
    val(m, "ketnap", "d2", "2021Q2", 10);
    val(m, "ketnap", "d2", "2021Q3", 10);
    val(m, "ketnap", "d2", "2021Q4", 99);                                     /* not in the nine months */
    tgt(m, "ketnap", "d2", "2022", 125);
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("d2"), P("2022M9"), &r, &e), 0);
    const eval_row *x = row(m, &r, "ketnap");
    assert_non_null(x);
    assert_int_equal(x->status, ST_NOTARGET);
    assert_int_equal(x->has_annual, 1);
    assert_true(period_eq(x->annual_period, P("2022")));
    assert_true(fabs(x->annual_pct - 36) < 1e-9);                             /* 45 / 125 */
    assert_true(x->has_prev && x->prev == 30);
    assert_true(fabs(x->change_pct - 50) < 1e-9);
    eval_result_free(&r);
    /* a figure reported for the nine months itself wins over the quarters */
    val(m, "ketnap", "d1", "2022M9", 44);
    assert_true(actual_of(m, "ketnap", "d1", "2022M9", &has) == 44 && has);
}

static void test_status_table(void **state)
{
    (void)state;
    /* dir, decimals, actual, target, expected */
    static const struct { int dir, dec; double a, t; int want; } cases[] = {
        { DIR_UP, 2, 101, 100, ST_EXCEEDED },   { DIR_UP, 2, 100, 100, ST_MET },
        { DIR_UP, 2, 99.996, 100, ST_MET },     { DIR_UP, 2, 99.994, 100, ST_NOTMET },
        { DIR_UP, 0, 100.4, 100, ST_MET },      { DIR_DOWN, 2, 0.5, 1, ST_EXCEEDED },
        { DIR_DOWN, 2, 1, 1, ST_MET },          { DIR_DOWN, 2, 1.2, 1, ST_NOTMET },
        { DIR_EQUAL, 0, 5, 5, ST_MET },         { DIR_EQUAL, 0, 6, 5, ST_NOTMET },
        { DIR_EQUAL, 0, 4, 5, ST_NOTMET },      { DIR_DONE, 0, 1, 1, ST_MET },
        { DIR_DONE, 0, 0, 1, ST_NOTMET },       { DIR_UP, 2, -1, 0, ST_NOTMET },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(eval_status(cases[i].dir, cases[i].dec, cases[i].a, cases[i].t), cases[i].want);
}

static void test_formula_cycle_rejected(void **state)
{
    (void)state;
    model *m = model_new();
    add_ind(m, "a", "", "", DIR_UP, AGG_SUM, AGG_SUM, "b + 1", NULL, 0);
    add_ind(m, "b", "", "", DIR_UP, AGG_SUM, AGG_SUM, "a * 2", NULL, 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), -1);
    assert_non_null(strstr(e.msg, "'a'"));
    model_free(m);
    m = model_new();
    model_put_unit(m, "x", "X", "y", "", 0, 0);
    model_put_unit(m, "y", "Y", "x", "", 0, 0);
    assert_int_equal(model_finish(m, &e), -1);
    model_free(m);
}

/* A small tree for the limits: city over d1, d2 (d1 over w1, w2), one indicator per aggregation. */
static model *limit_model(void)
{
    model *m = model_new();
    assert_non_null(m);
    model_put_unit(m, "city", "Thành phố", "", "", 0, 0);
    model_put_unit(m, "d1", "Quận Một", "city", "", 0, 0);
    model_put_unit(m, "d2", "Quận Hai", "city", "", 0, 0);
    model_put_unit(m, "w1", "Phường A", "d1", "", 0, 0);
    model_put_unit(m, "w2", "Phường B", "d1", "", 0, 0);
    add_ind(m, "sum", "", "", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "avg", "", "", DIR_UP, AGG_AVG, AGG_AVG, NULL, NULL, 0);
    add_ind(m, "max", "", "", DIR_UP, AGG_MAX, AGG_LAST, NULL, NULL, 0);
    add_ind(m, "x10", "", "", DIR_UP, AGG_NONE, AGG_LAST, "sum * 10", NULL, 0);
    add_ind(m, "neg", "", "", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

static int figure_of(const model *m, const char *ind, const char *unit, const char *per, double *v)
{
    *v = NAN;
    return eval_figure(m, I(ind), U(unit), P(per), v);
}

/* Two accepted values of 5×10^14 add up beyond the limit: "too large", never a number (the
 * int64 sum wrapped to -8,4×10^14); an average of them is still 5×10^14; a sum that comes back
 * within the limit is exact; a formula or a parent over a figure too large is too large. */
static void test_sum_too_large(void **state)
{
    (void)state;
    model *m = limit_model();
    double v;
    val(m, "sum", "w1", "2022", 5e14);
    val(m, "sum", "w2", "2022", 5e14);
    val(m, "avg", "w1", "2022", 5e14);
    val(m, "avg", "w2", "2022", 5e14);
    val(m, "max", "w1", "2022", 9e14);
    val(m, "neg", "w1", "2022", 9e14);
    val(m, "neg", "w2", "2022", 9e14);
    val(m, "neg", "d2", "2022", -9e14);
    tgt(m, "sum", "d1", "2022", 100);
    assert_int_equal(figure_of(m, "sum", "d1", "2022", &v), FIG_TOO_LARGE);
    assert_int_equal(eval_actual(m, I("sum"), U("d1"), P("2022"), &v), 0);
    assert_int_equal(figure_of(m, "sum", "city", "2022", &v), FIG_TOO_LARGE);   /* above one */
    assert_int_equal(figure_of(m, "x10", "d1", "2022", &v), FIG_TOO_LARGE);     /* a formula over one */
    assert_int_equal(figure_of(m, "x10", "w1", "2022", &v), FIG_TOO_LARGE);     /* 5×10^15 */
    assert_int_equal(figure_of(m, "avg", "d1", "2022", &v), FIG_OK);
    assert_true(v == 5e14);
    assert_int_equal(figure_of(m, "max", "city", "2022", &v), FIG_OK);
    assert_true(v == 9e14);
    assert_int_equal(figure_of(m, "neg", "d1", "2022", &v), FIG_TOO_LARGE);     /* 1,8×10^15 */
    assert_int_equal(figure_of(m, "neg", "city", "2022", &v), FIG_TOO_LARGE);   /* from a too-large d1 */
    /* twelve months of 10^14: quarters and halves hold, the year does not */
    val(m, "sum", "d2", "2023-01", 1e14);
    for (int k = 2; k <= 12; k++) {
        char per[24];
        snprintf(per, sizeof per, "2023-%02d", k);
        val(m, "sum", "d2", per, 1e14);
    }
    assert_int_equal(figure_of(m, "sum", "d2", "2023S2", &v), FIG_OK);
    assert_true(v == 6e14);
    assert_int_equal(figure_of(m, "sum", "d2", "2023", &v), FIG_TOO_LARGE);
    /* the row says so, with no actual and no number */
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("d1"), P("2022"), &r, &e), 0);
    const eval_row *x = NULL;
    for (int i = 0; i < r.nrows; i++)
        if (r.rows[i].ind == I("sum"))
            x = &r.rows[i];
    assert_non_null(x);
    assert_int_equal(x->too_large, 1);
    assert_int_equal(x->has_actual, 0);
    assert_int_equal(x->has_pct, 0);
    assert_int_equal(x->status, ST_NODATA);
    assert_true(x->actual == 0);
    eval_result_free(&r);
    model_free(m);
}

static const eval_row *row_of(const eval_result *r, int ind)
{
    for (int k = 0; k < r->nrows; k++)
        if (r->rows[k].ind == ind)
            return &r->rows[k];
    fail_msg("no row for indicator %d", ind);
    return NULL;
}

/* A city of 30 districts (one dissolved before the year), of which 2 report; a district whose
 * own figure is partial; a unit whose year comes from halves reported by different children. */
static model *coverage_model(void)
{
    model *m = model_new();
    char code[16];
    assert_non_null(m);
    model_put_unit(m, "hn", "Hà Nội", "", "", 0, 0);
    for (int d = 1; d <= 31; d++) {
        snprintf(code, sizeof code, "q%d", d);
        model_put_unit(m, code, code, "hn", "", 0, d == 31 ? 20201231 : 0);  /* q31 gone in 2021 */
    }
    model_put_unit(m, "p1", "P1", "q1", "", 0, 0);
    model_put_unit(m, "p2", "P2", "q1", "", 0, 0);
    model_put_unit(m, "x", "X", "", "", 0, 0);
    model_put_unit(m, "xa", "XA", "x", "", 0, 0);
    model_put_unit(m, "xb", "XB", "x", "", 0, 0);
    add_ind(m, "thu", "KT", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "reg", "BC", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "voted", "BC", "chỉ tiêu", DIR_UP, AGG_SUM, AGG_SUM, NULL, NULL, 0);
    add_ind(m, "rate", "BC", "chỉ tiêu", DIR_UP, AGG_NONE, AGG_LAST, "voted / reg * 100", NULL, 2);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    val(m, "thu", "p1", "2021", 60);         /* q1 = 60 from 1 of its 2 wards: partial */
    val(m, "thu", "q2", "2021", 90);
    val(m, "thu", "q3", "2021", 80);
    val(m, "thu", "q31", "2021", 1000);      /* dissolved: neither counted nor expected */
    tgt(m, "thu", "hn", "2021", 100);
    val(m, "thu", "q2", "2020", 50);
    val(m, "thu", "q3", "2020", 40);
    val(m, "thu", "hn", "2020", 500);        /* a whole figure reported by the city itself */
    val(m, "thu", "xa", "2021S1", 5);        /* no child has the year: x's year from its halves */
    val(m, "thu", "xb", "2021S2", 7);
    for (int d = 1; d <= 30; d++) {
        snprintf(code, sizeof code, "q%d", d);
        val(m, "reg", code, "2021", 100);
        if (d <= 2)
            val(m, "voted", code, "2021", 90);
    }
    return m;
}

static void test_coverage(void **state)
{
    (void)state;
    model *m = coverage_model();
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit(m, U("hn"), P("2021"), &r, &e), 0);
    const eval_row *x = row_of(&r, I("thu"));
    /* 3 of the 30 districts valid in 2021 gave a figure, one of them itself partial */
    assert_true(x->has_actual && x->actual == 230 && x->partial && !x->withheld);
    assert_int_equal(x->expected_children, 30);
    assert_int_equal(x->reported_children, 3);
    assert_int_equal(x->partial_children, 1);
    assert_int_equal(x->missing_children, 27);
    assert_false(x->has_prev);               /* 2020 is whole, but 2021 is not: no comparison */
    buf b = BUF_INIT;
    eval_cov_text(x, &b);
    assert_string_equal(buf_str(&b), "3/30 đơn vị có số liệu, 1 đơn vị chưa đủ số liệu");
    buf_free(&b);
    /* a rate over partial operands is partial too */
    x = row_of(&r, I("rate"));
    assert_true(x->has_actual && x->partial);
    assert_int_equal(x->expected_children, 30);
    assert_int_equal(x->reported_children, 2);
    eval_result_free(&r);
    /* the city's 2020 figure is its own: whole, so q2's same period compares with it */
    assert_int_equal(eval_unit(m, U("q2"), P("2021"), &r, &e), 0);
    x = row_of(&r, I("thu"));
    assert_false(x->partial);
    assert_true(x->has_prev && x->prev == 50);
    /* ranks: q1 is partial, so only q2 and q3 are ranked: 1/2, of the 30 districts of 2021
     * (q31 dissolved), which the row says */
    assert_int_equal(x->rank, 1);
    assert_int_equal(x->rank_of, 2);
    assert_int_equal(x->rank_peers, 30);
    assert_false(x->has_parent);             /* the city's 2021 is partial: no benchmark */
    eval_result_free(&r);
    assert_int_equal(eval_unit(m, U("q1"), P("2021"), &r, &e), 0);
    x = row_of(&r, I("thu"));
    assert_true(x->partial && x->rank == 0 && x->rank_of == 0);
    assert_int_equal(x->expected_children, 2);
    assert_int_equal(x->reported_children, 1);
    eval_result_free(&r);
    /* a year from halves reported by different children: partial, no child has the year */
    eval_cov c;
    double v;
    assert_int_equal(eval_actual_cov(m, I("thu"), U("x"), P("2021"), &v, &c), 1);
    assert_true(v == 12 && c.partial && c.expected == 2 && c.reported == 0);
    assert_int_equal(eval_actual_cov(m, I("thu"), U("x"), P("2021S1"), &v, &c), 1);
    assert_true(v == 5 && c.partial && c.expected == 2 && c.reported == 1);
    /* a reported figure is whole */
    assert_int_equal(eval_actual_cov(m, I("thu"), U("hn"), P("2020"), &v, &c), 1);
    assert_false(c.partial);
    model_free(m);
}

static void test_coverage_withheld(void **state)
{
    (void)state;
    model *m = coverage_model();
    eval_result r;
    err_t e;
    m->partial_mode = PM_WITHHOLD;
    assert_int_equal(eval_unit(m, U("hn"), P("2021"), &r, &e), 0);
    const eval_row *x = row_of(&r, I("thu"));
    assert_true(x->withheld && !x->has_actual && !x->has_pct && x->partial);
    assert_int_equal(x->status, ST_NODATA);   /* judged as no data, never as "không đạt" */
    assert_int_equal(x->reported_children, 3);
    assert_int_equal(r.all.nodata, 1);
    assert_int_equal(r.all.partial, 1);        /* "chưa đủ số liệu", among the "no data" */
    assert_int_equal(r.groups[0].t.partial, 1);
    eval_result_free(&r);
    /* an indicator's own setting wins over the database's */
    m->inds[I("thu")].partial_mode = PM_MARK;
    assert_int_equal(eval_unit(m, U("hn"), P("2021"), &r, &e), 0);
    x = row_of(&r, I("thu"));
    assert_true(!x->withheld && x->has_actual && x->partial);
    assert_true(x->status == ST_NODATA && !x->has_pct);  /* 230 of 100 planned, but not judged */
    eval_result_free(&r);
    /* a whole figure is never withheld */
    assert_int_equal(eval_unit(m, U("q1"), P("2021"), &r, &e), 0);
    m->inds[I("thu")].partial_mode = PM_WITHHOLD;
    eval_result_free(&r);
    assert_int_equal(eval_unit(m, U("q2"), P("2021"), &r, &e), 0);
    x = row_of(&r, I("thu"));
    assert_true(!x->withheld && x->has_actual && x->actual == 90);
    eval_result_free(&r);
    model_free(m);
}

/* A range of 20 years (longer than the 16 children once kept) is summed whole. */
static void test_long_range(void **state)
{
    (void)state;
    model *m = limit_model();
    double v;
    for (int y = 2000; y <= 2019; y++) {
        char per[24];
        snprintf(per, sizeof per, "%d", y);
        val(m, "sum", "d2", per, 1);
        val(m, "max", "d2", per, y);
    }
    assert_int_equal(figure_of(m, "sum", "d2", "2000-2019", &v), FIG_OK);
    assert_true(v == 20);
    assert_int_equal(figure_of(m, "sum", "city", "2000-2019", &v), FIG_OK);
    assert_true(v == 20);
    assert_int_equal(figure_of(m, "max", "d2", "2000-2019", &v), FIG_OK);   /* last: 2019 */
    assert_true(v == 2019);
    assert_int_equal(figure_of(m, "sum", "d2", "2000-2020", &v), FIG_NONE);  /* 2020 missing */
    model_free(m);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_rollup),
        cmocka_unit_test(test_formula_after_aggregation),
        cmocka_unit_test(test_period_rollup),
        cmocka_unit_test(test_status_and_rank),
        cmocka_unit_test(test_ties_share_a_rank),
        cmocka_unit_test(test_annual_progress_and_term_target),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_formula_cycle_rejected),
        cmocka_unit_test(test_nine_months),
        cmocka_unit_test(test_sum_too_large),
        cmocka_unit_test(test_long_range),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_coverage_withheld),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
