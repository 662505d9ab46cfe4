/* test_eval_term.c - term-to-date (eval_term.c): the term's years with figures so far, the
 * range evaluated against the term's targets, totals judged on progress against the share of
 * years gone, the share of the term's days elapsed, the mid-term review's tally; before any
 * figure, after the term, and for a unit without term targets. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "eval.h"
#include "model.h"

static period_t P(const char *s)
{
    period_t p;
    assert_int_equal(period_parse(s, strlen(s), &p), 0);
    return p;
}

static void add_ind(model *m, const char *code, int dir, int pagg)
{
    ind_t d = { 0 };
    d.code = d.name = (char *)code;
    d.group = d.set = d.measure = d.parent_code = d.formula_src = (char *)"";
    d.dir = dir;
    d.uagg = AGG_SUM;
    d.pagg = pagg;
    d.decimals = 1;
    assert_true(model_put_ind(m, &d) >= 0);
}

#define U(code) model_unit_find(m, code)
#define I(code) model_ind_find(m, code)

/* city -> d1; the term 2020-2025 with targets at the city: a total over the term (thu, sum),
 * a rate to keep under (ngheo, last), an average (growth); figures 2020-2023; d1 has none. */
static model *build(double thu_per_year)
{
    model *m = model_new();
    err_t e;
    assert_non_null(m);
    model_put_unit(m, "city", "Thành phố", "", "Thành ủy", 0, 0);
    model_put_unit(m, "d1", "Quận Một", "city", "Quận ủy", 0, 0);
    model_put_term(m, P("2020-2025"), "Nhiệm kỳ 2020–2025");
    add_ind(m, "thu", DIR_UP, AGG_SUM);
    add_ind(m, "ngheo", DIR_DOWN, AGG_LAST);
    add_ind(m, "growth", DIR_UP, AGG_AVG);
    assert_int_equal(model_put_target(m, I("thu"), U("city"), P("2020-2025"), 600), 0);
    assert_int_equal(model_put_target(m, I("ngheo"), U("city"), P("2020-2025"), 2), 0);
    assert_int_equal(model_put_target(m, I("growth"), U("city"), P("2020-2025"), 7), 0);
    const char *years[] = { "2020", "2021", "2022", "2023" };
    for (int k = 0; k < 4; k++) {
        assert_int_equal(model_put_value(m, I("thu"), U("city"), P(years[k]), thu_per_year, NULL), 0);
        assert_int_equal(model_put_value(m, I("ngheo"), U("city"), P(years[k]), 3 - 0.3 * k, NULL), 0);
        assert_int_equal(model_put_value(m, I("growth"), U("city"), P(years[k]), 6 + k, NULL), 0);
    }
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

static const eval_row *row(const eval_ttd *t, const model *m, const char *ind, int *progress)
{
    for (int k = 0; k < t->r.nrows; k++)
        if (t->r.rows[k].ind == I(ind)) {
            *progress = t->progress[k];
            return &t->r.rows[k];
        }
    fail_msg("no row for %s", ind);
    return NULL;
}

static void test_during_term(void **state)
{
    (void)state;
    model *m = build(100);
    eval_ttd t;
    err_t e;
    int prog;
    assert_int_equal(eval_term_to_date(m, U("city"), P("2020-2025"), 20231122, EVAL_AUTO, &t, &e), 0);
    assert_true(t.running);
    assert_int_equal(t.last_year, 2023);
    assert_int_equal(t.years_done, 4);
    assert_int_equal(t.years, 6);
    assert_true(period_eq(t.sofar, P("2020-2023")));
    /* 1/1/2020 .. 22/11/2023: 1422 of the term's 2192 days */
    assert_true(fabs(t.elapsed - 1422.0 / 2192.0) < 1e-9);
    /* the total: 400 of 600 = 66,7% with 4 of 6 years gone: on track */
    const eval_row *r = row(&t, m, "thu", &prog);
    assert_true(r->has_actual && r->actual == 400 && r->has_target && r->target == 600);
    assert_int_equal(prog, 1);
    assert_int_equal(r->status, ST_MET);
    /* the rate (last year's 2,1 against at most 2): not met; the average 7,5 against 7: exceeded */
    r = row(&t, m, "ngheo", &prog);
    assert_int_equal(prog, 0);
    assert_true(fabs(r->actual - 2.1) < 1e-9);
    assert_int_equal(r->status, ST_NOTMET);
    r = row(&t, m, "growth", &prog);
    assert_int_equal(prog, 0);
    assert_true(fabs(r->actual - 7.5) < 1e-9);
    assert_int_equal(r->status, ST_EXCEEDED);
    assert_int_equal(t.t.total, 3);
    assert_int_equal(t.t.met, 1);
    assert_int_equal(t.t.exceeded, 1);
    assert_int_equal(t.t.notmet, 1);
    /* the mid-term review 2020-2022, as eval_unit judges it: 300 of 600 not met, 2,4 not met,
     * 7 met */
    assert_true(period_eq(t.mid, P("2020-2022")));
    assert_int_equal(t.mid_t.total, 3);
    assert_int_equal(t.mid_t.met + t.mid_t.exceeded, 1);
    assert_int_equal(t.mid_t.nodata, 0);
    eval_ttd_free(&t);
    model_free(m);
    /* behind: 90 a year is 360 = 60% with 66,7% of the years gone */
    m = build(90);
    assert_int_equal(eval_term_to_date(m, U("city"), P("2020-2025"), 20231122, EVAL_AUTO, &t, &e), 0);
    r = row(&t, m, "thu", &prog);
    assert_int_equal(prog, 1);
    assert_int_equal(r->status, ST_NOTMET);
    assert_int_equal(t.t.notmet, 2);
    eval_ttd_free(&t);
    model_free(m);
}

static void test_edges(void **state)
{
    (void)state;
    model *m = build(100);
    eval_ttd t;
    err_t e;
    /* in the term's first year: one year of figures, no range yet */
    assert_int_equal(eval_term_to_date(m, U("city"), P("2020-2025"), 20200601, EVAL_AUTO, &t, &e), 0);
    assert_true(t.running);
    assert_int_equal(t.last_year, 2020);
    assert_int_equal(t.years_done, 1);
    assert_int_equal(t.sofar.kind, P_NONE);
    assert_int_equal(t.r.nrows, 0);
    eval_ttd_free(&t);
    /* after the term, figures only to 2023: still the figures so far, totals judged on progress */
    assert_int_equal(eval_term_to_date(m, U("city"), P("2020-2025"), 20261122, EVAL_AUTO, &t, &e), 0);
    assert_false(t.running);
    assert_true(t.elapsed == 1);
    assert_int_equal(t.last_year, 2023);
    assert_int_equal(t.t.total, 3);
    eval_ttd_free(&t);
    /* before the term: nothing gone, nothing so far */
    assert_int_equal(eval_term_to_date(m, U("city"), P("2020-2025"), 20191231, EVAL_AUTO, &t, &e), 0);
    assert_true(t.elapsed == 0);
    assert_int_equal(t.last_year, 0);
    eval_ttd_free(&t);
    /* a unit without term targets, and a period that is no range */
    assert_int_equal(eval_term_to_date(m, U("d1"), P("2020-2025"), 20231122, EVAL_AUTO, &t, &e), 0);
    assert_int_equal(t.last_year, 0);
    assert_int_equal(t.t.total, 0);
    eval_ttd_free(&t);
    assert_int_equal(eval_term_to_date(m, U("city"), P("2023"), 20231122, EVAL_AUTO, &t, &e), 0);
    assert_int_equal(t.years, 0);
    eval_ttd_free(&t);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_during_term),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
