/* test_cycle.c - deadlines, cut-off windows, setting texts, write dates and reminder timing
 * of the reporting cycle (cycle.h), driven by tests/data/cycle_cases.txt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "cycle.h"
#include "test_data.h"

static period_t P(const char *s, int lineno)
{
    period_t p;
    if (period_parse(s, strlen(s), &p) != 0)
        fail_msg("line %d: cannot parse %s", lineno, s);
    return p;
}

/* Applies "KEY=VALUE;..." to the default rules (kind=DUE, cutoff=, before=, after=, tz=). */
static void rules_from(const char *spec, cycle_rules *r, int lineno)
{
    cycle_rules_default(r);
    if (strcmp(spec, "-") == 0)
        return;
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", spec);
    for (char *item = strtok(tmp, ";"); item; item = strtok(NULL, ";")) {
        char *eq = strchr(item, '=');
        if (eq == NULL)
            fail_msg("line %d: bad setting %s", lineno, item);
        *eq = '\0';
        const char *v = eq + 1;
        int kind = cycle_kind_parse(item);
        if (kind > 0) {
            if (cycle_due_parse(v, &r->due[kind]) != 0)
                fail_msg("line %d: bad deadline %s", lineno, v);
        } else if (strcmp(item, "cutoff") == 0) {
            if (cycle_cutoff_parse(v, &r->cutoff_day) != 0)
                fail_msg("line %d: bad cutoff %s", lineno, v);
        } else if (strcmp(item, "before") == 0)
            r->remind_before = atoi(v);
        else if (strcmp(item, "after") == 0)
            r->remind_after = atoi(v);
        else if (strcmp(item, "periods") == 0) {
            if (cycle_kinds_parse(v, &r->kinds) != 0)
                fail_msg("line %d: bad periods %s", lineno, v);
        } else if (strcmp(item, "tz") == 0)
            r->tz_minutes = atoi(v);
        else
            fail_msg("line %d: unknown setting %s", lineno, item);
    }
}

static void run_case(const td_line *l, buf *got)
{
    const char *op = l->f[0], *in = l->f[2];
    cycle_rules r;
    char tmp[32];
    if (strcmp(op, "days") == 0) {
        buf_printf(got, "%d", cycle_days_between(atoi(l->f[1]), atoi(l->f[2])));
        return;
    }
    if (strcmp(op, "add") == 0) {
        buf_printf(got, "%d", cycle_add_days(atoi(l->f[1]), atoi(l->f[2])));
        return;
    }
    rules_from(l->f[1], &r, l->lineno);
    if (strcmp(op, "deadline") == 0)
        buf_printf(got, "%d", cycle_deadline(&r, P(in, l->lineno)));
    else if (strcmp(op, "window") == 0) {
        int from, to;
        cycle_window(&r, P(in, l->lineno), &from, &to);
        buf_printf(got, "%d-%d", from, to);
    } else if (strcmp(op, "due") == 0) {
        cycle_due d;
        if (cycle_due_parse(in, &d) != 0)
            buf_adds(got, "ERR");
        else {
            cycle_due_format(d, tmp, sizeof tmp);
            buf_adds(got, tmp);
        }
    } else if (strcmp(op, "cutoff") == 0) {
        int day;
        if (cycle_cutoff_parse(in, &day) != 0)
            buf_adds(got, "ERR");
        else
            buf_printf(got, "%d", day);
    } else if (strcmp(op, "kinds") == 0) {
        unsigned mask;
        if (cycle_kinds_parse(in, &mask) != 0)
            buf_adds(got, "ERR");
        else
            buf_printf(got, "%u", mask);
    } else if (strcmp(op, "duenow") == 0) {
        period_t ps[64];
        int n = cycle_due_periods(&r, atoi(in), ps, 64);
        for (int i = 0; i < n; i++) {
            period_code(ps[i], tmp, sizeof tmp);
            buf_printf(got, "%s%s", i ? "," : "", tmp);
        }
        if (n == 0)
            buf_adds(got, "NONE");
    } else if (strcmp(op, "kind") == 0) {
        int k = cycle_kind_parse(in);
        buf_adds(got, k < 0 ? "ERR" : cycle_kind_name(k));
    } else if (strcmp(op, "local") == 0)
        buf_printf(got, "%d", cycle_local_date(in, r.tz_minutes));
    else if (strcmp(op, "remind") == 0) {
        static const char *const names[] = { "none", "before", "after" };
        buf_adds(got, names[cycle_remind_class(&r, 20220620, atoi(in))]);
    } else
        fail_msg("line %d: unknown op %s", l->lineno, op);
}

static void test_cases(void **state)
{
    (void)state;
    FILE *f = td_open("cycle_cases.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int cases = 0, failed = 0;
    while (td_next(f, &l)) {
        buf got = BUF_INIT;
        run_case(&l, &got);
        if (strcmp(buf_str(&got), l.f[3]) != 0) {
            print_error("line %d: %s %s %s: got %s, want %s\n", l.lineno, l.f[0], l.f[1], l.f[2],
                        buf_str(&got), l.f[3]);
            failed++;
        }
        buf_free(&got);
        cases++;
    }
    fclose(f);
    assert_int_equal(failed, 0);
    assert_true(cases > 60);
}

/* Every day of four years round-trips through the day arithmetic, and a deadline never lies
 * before its period's window ends under the defaults. */
static void test_days_roundtrip(void **state)
{
    (void)state;
    int d = 20231225;
    for (int i = 0; i < 4 * 366; i++) {
        int next = cycle_add_days(d, 1);
        assert_int_equal(cycle_days_between(d, next), 1);
        assert_int_equal(cycle_add_days(next, -1), d);
        d = next;
    }
    cycle_rules r;
    cycle_rules_default(&r);
    for (int m = 1; m <= 12; m++) {
        period_t p = { .kind = P_MONTH, .n = (uint8_t)m, .y = 2024, .y2 = 2024 };
        int from, to;
        cycle_window(&r, p, &from, &to);
        assert_true(from <= to);
        assert_true(cycle_deadline(&r, p) <= to);
        assert_true(cycle_deadline(&r, p) >= from);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_days_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
