/* test_formula.c - formula parsing and evaluation, driven by tests/data/formula_cases.txt. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "formula.h"
#include "test_data.h"

static void test_cases(void **state)
{
    (void)state;
    FILE *f = td_open("formula_cases.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int cases = 0;
    while (td_next(f, &l)) {
        const char *src = l.f[0], *vals = l.f[1], *want = l.f[2];
        formula *fm = NULL;
        err_t e;
        int rc = formula_parse(src, &fm, &e);
        if (strncmp(want, "PARSE:", 6) == 0) {
            if (rc == 0)
                fail_msg("formula_cases.txt line %d: '%s' parsed, expected an error", l.lineno, src);
            int pos = atoi(want + 6);
            char needle[32];
            snprintf(needle, sizeof needle, "vị trí %d:", pos);
            if (pos && strstr(e.msg, needle) == NULL)
                fail_msg("line %d: '%s': message '%s' lacks '%s'", l.lineno, src, e.msg, needle);
            cases++;
            continue;
        }
        if (rc != 0)
            fail_msg("line %d: '%s' failed to parse: %s", l.lineno, src, e.msg);
        double v[16];
        unsigned char has[16] = { 0 };
        for (int i = 0; i < formula_nvars(fm); i++) {
            const char *name = formula_var(fm, i);
            char key[64];
            snprintf(key, sizeof key, "%s=", name);
            const char *at = strstr(vals, key);
            while (at && at != vals && at[-1] != ',')
                at = strstr(at + 1, key);
            if (at) {
                has[i] = 1;
                v[i] = strtod(at + strlen(key), NULL);
            }
        }
        double out = NAN;
        int ev = formula_eval(fm, v, has, &out);
        if (strcmp(want, "ERR") == 0) {
            if (ev == 0)
                fail_msg("line %d: '%s' evaluated to %g, expected failure", l.lineno, src, out);
        } else if (ev != 0 || fabs(out - strtod(want, NULL)) > 1e-9) {
            fail_msg("line %d: '%s' gave rc %d value %g, want %s", l.lineno, src, ev, out, want);
        }
        formula_free(fm);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 30);
}

static void test_vars_in_order(void **state)
{
    (void)state;
    formula *f;
    err_t e;
    assert_int_equal(formula_parse("voted / registered * 100 + voted", &f, &e), 0);
    assert_int_equal(formula_nvars(f), 2);
    assert_string_equal(formula_var(f, 0), "voted");
    assert_string_equal(formula_var(f, 1), "registered");
    formula_free(f);
}

static void test_limits(void **state)
{
    (void)state;
    char deep[300];
    int n = 0;
    for (int i = 0; i < 100; i++)
        deep[n++] = '(';
    deep[n++] = '1';
    for (int i = 0; i < 100; i++)
        deep[n++] = ')';
    deep[n] = '\0';
    formula *f = NULL;
    err_t e;
    assert_int_equal(formula_parse(deep, &f, &e), -1);
    assert_null(f);
    char *big = malloc(FORMULA_MAX_LEN + 10);
    memset(big, '1', FORMULA_MAX_LEN + 5);
    big[FORMULA_MAX_LEN + 5] = '\0';
    assert_int_equal(formula_parse(big, &f, &e), -1);
    free(big);
    /* A long flat chain stays within the evaluation stack. */
    char chain[2000];
    n = 0;
    for (int i = 0; i < 400; i++) {
        chain[n++] = i ? '+' : ' ';
        chain[n++] = '1';
    }
    chain[n] = '\0';
    assert_int_equal(formula_parse(chain, &f, &e), 0);
    double out;
    assert_int_equal(formula_eval(f, NULL, NULL, &out), 0);
    assert_true(out == 400);
    formula_free(f);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_vars_in_order),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
