/* test_period.c - period codes, labels and arithmetic, driven by tests/data/period_cases.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "period.h"
#include "test_data.h"

static period_t P(const char *s, int lineno)
{
    period_t p;
    if (period_parse(s, strlen(s), &p) != 0)
        fail_msg("line %d: cannot parse %s", lineno, s);
    return p;
}

static void list(buf *b, const period_t *ps, int n)
{
    char code[PERIOD_CODE_MAX];
    for (int i = 0; i < n; i++) {
        period_code(ps[i], code, sizeof code);
        buf_printf(b, "%s%s", i ? "," : "", code);
    }
}

static void test_cases(void **state)
{
    (void)state;
    FILE *f = td_open("period_cases.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int cases = 0;
    while (td_next(f, &l)) {
        const char *op = l.f[0], *in = l.f[1], *want = l.f[2];
        buf got = BUF_INIT;
        char tmp[128];
        period_t ps[64];
        if (strcmp(op, "parse") == 0) {
            period_t p;
            if (period_parse(in, strlen(in), &p) != 0)
                buf_adds(&got, "ERR");
            else {
                period_code(p, tmp, sizeof tmp);
                buf_adds(&got, tmp);
            }
        } else if (strncmp(op, "label_", 6) == 0) {
            period_label(P(in, l.lineno), strcmp(op, "label_en") == 0, tmp, sizeof tmp);
            buf_adds(&got, tmp);
        } else if (strcmp(op, "prev") == 0) {
            period_t p = period_prev_year(P(in, l.lineno));
            if (p.kind == P_NONE)
                buf_adds(&got, "NONE");
            else
                list(&got, &p, 1);
        } else if (strcmp(op, "before") == 0) {
            period_t p = period_prev(P(in, l.lineno));
            if (p.kind == P_NONE)
                buf_adds(&got, "NONE");
            else
                list(&got, &p, 1);
        } else if (strncmp(op, "elapsed@", 8) == 0) {
            buf_printf(&got, "%.4f", period_elapsed(P(in, l.lineno), atoi(op + 8)));
        } else if (strcmp(op, "yearof") == 0) {
            period_t p = period_year_of(P(in, l.lineno));
            list(&got, &p, 1);
        } else if (strcmp(op, "children") == 0) {
            list(&got, ps, period_children(P(in, l.lineno), ps, 64));
        } else if (strcmp(op, "parents") == 0) {
            list(&got, ps, period_parents(P(in, l.lineno), ps, 64));
        } else if (strncmp(op, "within_", 7) == 0) {
            static const struct { const char *n; enum period_kind k; } kinds[] = {
                { "year", P_YEAR }, { "half", P_HALF }, { "quarter", P_QUARTER },
                { "month", P_MONTH }, { "range", P_RANGE }, { "m9", P_M9 } };
            enum period_kind k = P_NONE;
            for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
                if (strcmp(op + 7, kinds[i].n) == 0)
                    k = kinds[i].k;
            list(&got, ps, period_within(P(in, l.lineno), k, ps, 64));
        } else if (strcmp(op, "start") == 0 || strcmp(op, "end") == 0) {
            period_t p = P(in, l.lineno);
            buf_printf(&got, "%d", op[0] == 's' ? period_start(p) : period_end(p));
        } else if (strcmp(op, "contains") == 0) {
            buf_printf(&got, "%d", period_contains(P(in, l.lineno), P(l.f[2], l.lineno)));
            want = l.f[3];
        } else if (strcmp(op, "cmp") == 0) {
            int c = period_cmp(P(in, l.lineno), P(l.f[2], l.lineno));
            buf_printf(&got, "%d", c < 0 ? -1 : c > 0);
            want = l.f[3];
        } else {
            fail_msg("line %d: unknown op %s", l.lineno, op);
        }
        if (strcmp(buf_str(&got), want) != 0)
            fail_msg("period_cases.txt line %d: %s %s: got '%s', want '%s'", l.lineno, op, in,
                     buf_str(&got), want);
        buf_free(&got);
        cases++;
    }
    fclose(f);
    assert_true(cases > 80);
}

static void test_keys_unique(void **state)
{
    (void)state;
    /* Every valid period of 2019-2023 has a distinct key, and code round-trips. */
    static uint32_t seen[4096];
    int n = 0;
    char code[PERIOD_CODE_MAX];
    for (int y = 2019; y <= 2023; y++) {
        period_t ps[40];
        int k = 0;
        ps[k++] = (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y };
        for (int i = 1; i <= 2; i++) ps[k++] = (period_t){ P_HALF, (uint8_t)i, (uint16_t)y, (uint16_t)y };
        for (int i = 1; i <= 4; i++) ps[k++] = (period_t){ P_QUARTER, (uint8_t)i, (uint16_t)y, (uint16_t)y };
        for (int i = 1; i <= 12; i++) ps[k++] = (period_t){ P_MONTH, (uint8_t)i, (uint16_t)y, (uint16_t)y };
        ps[k++] = (period_t){ P_M9, 0, (uint16_t)y, (uint16_t)y };
        for (int y2 = y + 1; y2 <= 2030; y2++) ps[k++] = (period_t){ P_RANGE, 0, (uint16_t)y, (uint16_t)y2 };
        for (int i = 0; i < k; i++) {
            uint32_t key = period_key(ps[i]);
            for (int j = 0; j < n; j++)
                assert_true(seen[j] != key);
            seen[n++] = key;
            period_code(ps[i], code, sizeof code);
            period_t back;
            assert_int_equal(period_parse(code, strlen(code), &back), 0);
            assert_true(period_eq(back, ps[i]));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_keys_unique),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
