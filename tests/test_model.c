/* test_model.c - the model's cell tables: random puts, replacements, removals and lookups checked
 * against a plain array, through every rehash, with and without a reservation up front. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model.h"

enum { NIND = 7, NUNIT = 300, NYEAR = 4 };

/* The reference: one slot per possible key, NaN-free values, 0 = absent. */
typedef struct ref {
    double v[NIND][NUNIT][NYEAR][13];  /* month 1-12, 0 = the year itself */
    unsigned char has[NIND][NUNIT][NYEAR][13];
} ref;

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static period_t per(int y, int mo)
{
    return mo ? (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)(2021 + y), (uint16_t)(2021 + y) }
              : (period_t){ P_YEAR, 0, (uint16_t)(2021 + y), (uint16_t)(2021 + y) };
}

static void check_all(const model *m, const ref *r)
{
    size_t n = 0;
    for (int i = 0; i < NIND; i++)
        for (int u = 0; u < NUNIT; u++)
            for (int y = 0; y < NYEAR; y++)
                for (int mo = 0; mo < 13; mo++) {
                    const cell_t *c = model_value(m, i, u, per(y, mo), &(cell_t){ 0 });
                    if (!r->has[i][u][y][mo]) {
                        assert_null(c);
                        continue;
                    }
                    n++;
                    assert_non_null(c);
                    assert_int_equal(c->ind, i);
                    assert_int_equal(c->unit, u);
                    assert_true(period_eq(c->per, per(y, mo)));
                    assert_true(c->v == r->v[i][u][y][mo]);
                }
    assert_int_equal(m->values.n, n);
}

static void run(size_t reserve, uint64_t seed, int removals)
{
    ref *r = calloc(1, sizeof *r);
    model *m = model_new();
    assert_non_null(r);
    assert_non_null(m);
    if (reserve)
        assert_int_equal(model_reserve(m, reserve, 0), 0);
    for (int k = 0; k < 60000; k++) {
        int i = (int)(rnd(&seed) % NIND), u = (int)(rnd(&seed) % NUNIT);
        int y = (int)(rnd(&seed) % NYEAR), mo = (int)(rnd(&seed) % 13);
        double v = (double)(rnd(&seed) % 100000) / 4;
        int added;
        if (removals && k % 3 == 2) {
            /* a removal (of a cell there or not): the others stay findable with their values */
            assert_int_equal(model_del_value(m, i, u, per(y, mo)), r->has[i][u][y][mo]);
            r->has[i][u][y][mo] = 0;
            continue;
        }
        cell_t *c = model_value_upsert(m, i, u, per(y, mo), &added);
        assert_non_null(c);
        assert_int_equal(added, !r->has[i][u][y][mo]);
        if (!added)
            assert_true(c->v == r->v[i][u][y][mo]);
        c->v = v;
        r->v[i][u][y][mo] = v;
        r->has[i][u][y][mo] = 1;
        if (k % 15000 == 0)
            check_all(m, r);
    }
    check_all(m, r);
    model_free(m);
    free(r);
}

/* A month, a quarter, a half and the year with the same numbers are different keys: each is
 * found only once stored, and storing one changes none of the others. */
static void test_kinds_distinct(void **state)
{
    (void)state;
    model *m = model_new();
    assert_non_null(m);
    const period_t keys[] = { { P_MONTH, 1, 2021, 2021 }, { P_QUARTER, 1, 2021, 2021 },
                              { P_HALF, 1, 2021, 2021 }, { P_YEAR, 0, 2021, 2021 } };
    enum { NK = sizeof keys / sizeof *keys };
    for (int k = 0; k < NK; k++) {
        for (int j = 0; j < NK; j++) {
            const cell_t *c = model_value(m, 0, 0, keys[j], &(cell_t){ 0 });
            if (j < k) {
                assert_non_null(c);
                assert_true(c->v == 10 + j);
                assert_int_equal(c->per.kind, keys[j].kind);
            } else
                assert_null(c);
        }
        int added;
        cell_t *c = model_value_upsert(m, 0, 0, keys[k], &added);
        assert_non_null(c);
        assert_int_equal(added, 1);
        c->v = 10 + k;
    }
    model_free(m);
}

static void test_cells_grow(void **state)
{
    (void)state;
    run(0, 0x9e3779b97f4a7c15ULL, 0);
}

static void test_cells_reserved(void **state)
{
    (void)state;
    run(100000, 12345, 0);
}

/* Removals mixed with puts: the backward shift keeps every probe run whole. */
static void test_cells_removed(void **state)
{
    (void)state;
    run(0, 777, 1);
    run(0, 0xdeadbeefULL, 1);
}

/* Only declared terms are "Nhiệm kỳ": any other range is a "Giai đoạn". */
static void test_period_labels(void **state)
{
    (void)state;
    static const struct { const char *code; int lang; const char *want; } cases[] = {
        { "2020-2025", 0, "Nhiệm kỳ 2020–2025 (Đại hội XIII)" },  /* by its name */
        { "2015-2020", 0, "Nhiệm kỳ 2015–2020" },                  /* declared without a name */
        { "2015-2020", 1, "Term 2015–2020" },
        { "2020-2022", 0, "Giữa nhiệm kỳ 2020–2025 (giai đoạn 2020–2022)" },
        { "2020-2022", 1, "Mid-term of 2020–2025 (2020–2022)" },
        { "2021-2023", 0, "Giai đoạn 2021–2023" },                 /* inside a term, not its start */
        { "2010-2012", 1, "Period 2010–2012" },
        { "2030-2035", 0, "Giai đoạn 2030–2035" },
        { "2022M9", 0, "9 tháng đầu năm 2022" },
        { "2022M9", 1, "First nine months of 2022" },
        { "2022", 0, "Năm 2022" },
    };
    model *m = model_new();
    assert_non_null(m);
    period_t t1, t2;
    assert_int_equal(period_parse("2020-2025", 9, &t1), 0);
    assert_int_equal(period_parse("2015-2020", 9, &t2), 0);
    assert_true(model_put_term(m, t1, "Nhiệm kỳ 2020–2025 (Đại hội XIII)") >= 0);
    assert_true(model_put_term(m, t2, "") >= 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        period_t p;
        char out[128];
        assert_int_equal(period_parse(cases[i].code, strlen(cases[i].code), &p), 0);
        int n = model_period_label(m, p, cases[i].lang, out, sizeof out);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(n, (int)strlen(cases[i].want));
    }
    char small[8];
    period_t p;
    assert_int_equal(period_parse("2021-2023", 9, &p), 0);
    assert_int_equal(model_period_label(m, p, 0, small, sizeof small), 7);
    /* without a model every range is a period */
    char out[64];
    model_period_label(NULL, t1, 0, out, sizeof out);
    assert_string_equal(out, "Giai đoạn 2020–2025");
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_grow),
        cmocka_unit_test(test_cells_reserved),
        cmocka_unit_test(test_cells_removed),
        cmocka_unit_test(test_period_labels),
        cmocka_unit_test(test_kinds_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
