/* test_task.c - task status and deadline class as a table of cases (tests/data/task_status.txt),
 * dates (parsing both forms, weekdays, day counts, leap years), counting, and names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "task.h"
#include "test_data.h"

static int date_or_zero(const char *s)
{
    int d = 0;
    if (strcmp(s, "-") != 0)
        assert_int_equal(task_parse_date(s, &d), 0);
    return d;
}

static const char *const due_keys[TD_COUNT] = { "none", "overdue", "soon", "later", "no_deadline" };

static void test_status_table(void **state)
{
    (void)state;
    FILE *f = td_open("task_status.txt");
    td_line l = { 0 };
    int cases = 0;
    assert_non_null(f);
    while (td_next(f, &l)) {
        assert_int_equal(l.n, 8);
        task_t t = { 0 };
        int today = date_or_zero(l.f[0]);
        t.start = date_or_zero(l.f[1]);
        t.deadline = date_or_zero(l.f[2]);
        t.paused = strcmp(l.f[3], "paused") == 0;
        t.recur = strcmp(l.f[3], "-") == 0 || t.paused ? TR_NONE : task_recur_parse(l.f[3]);
        assert_true(t.recur >= 0);
        t.progress = atoi(l.f[4]);
        t.completed_on = date_or_zero(l.f[5]);
        int st = task_status(&t, today), due = task_due_class(&t, today, 14);
        if (strcmp(task_status_key(st), l.f[6]) != 0 || strcmp(due_keys[due], l.f[7]) != 0)
            fail_msg("task_status.txt line %d: got %s/%s, expected %s/%s", l.lineno, task_status_key(st),
                     due_keys[due], l.f[6], l.f[7]);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 25);
}

static void test_dates(void **state)
{
    (void)state;
    int d;
    assert_int_equal(task_parse_date("2023-01-04", &d), 0);
    assert_int_equal(d, 20230104);
    assert_int_equal(task_parse_date("4/1/2023", &d), 0);
    assert_int_equal(d, 20230104);
    assert_int_equal(task_parse_date("29/2/2024", &d), 0);
    assert_int_not_equal(task_parse_date("29/2/2023", &d), 0);
    assert_int_not_equal(task_parse_date("2023-13-01", &d), 0);
    assert_int_not_equal(task_parse_date("2023-01-04x", &d), 0);
    assert_int_not_equal(task_parse_date("4/1-2023", &d), 0);
    assert_int_not_equal(task_parse_date("", &d), 0);
    assert_int_not_equal(task_parse_date("12345-1-1", &d), 0);
    assert_int_equal(task_weekday(20240629), 5);   /* Saturday */
    assert_int_equal(task_weekday(20240701), 0);   /* Monday */
    assert_int_equal(task_weekday(20000101), 5);   /* Saturday */
    assert_int_equal(task_days_between(20240228, 20240301), 2);
    assert_int_equal(task_days_between(20231231, 20240101), 1);
    assert_int_equal(task_days_between(20240101, 20250101), 366);
}

static void test_counts_and_log(void **state)
{
    (void)state;
    task_set s = { 0 };
    task_t t = { .code = "a", .title = "A", .deadline = 20240628 };
    assert_int_equal(task_add(&s, &t), 0);
    t.code = "b", t.deadline = 20240301;
    assert_int_equal(task_add(&s, &t), 1);
    t.code = "c", t.deadline = 0, t.exceeded = 1;
    assert_int_equal(task_add(&s, &t), 2);
    assert_int_equal(task_find(&s, "b"), 1);
    assert_int_equal(task_find(&s, "z"), -1);
    assert_int_equal(task_report_add(&s, 0, 20240610, 100, "xong", "caugiay.nhap"), 0);
    assert_int_equal(s.items[0].completed_on, 20240610);
    assert_int_equal(task_report_add(&s, 2, 20240611, 100, "vượt", "x"), 0);
    assert_int_equal(task_report_add(&s, 1, 20240215, 40, "đang làm", "x"), 0);
    task_counts c = { 0 };
    for (int i = 0; i < s.n; i++)
        task_count(&c, &s.items[i], 20240620, 14);
    assert_int_equal(c.total, 3);
    assert_int_equal(c.done, 2);
    assert_int_equal(c.exceeded, 1);
    assert_int_equal(c.overdue, 1);
    assert_int_equal(c.due, 1);          /* only b's deadline has passed */
    assert_int_equal(c.due_done, 0);
    assert_string_equal(s.items[0].log[0].who, "caugiay.nhap");
    task_t pg = { .code = "ctr", .title = "P", .kind = TK_PROGRAMME, .parent = "nq" };
    task_t sub = { .code = "d", .title = "D", .programme = "x", .parent = "a" };
    assert_int_equal(task_add(&s, &pg), 3);
    assert_int_equal(task_add(&s, &sub), 4);
    free(s.items[0].programme);
    s.items[0].programme = strdup("ctr");
    assert_true(task_in_programme(&s, 0, "ctr"));          /* directly */
    assert_true(task_in_programme(&s, 0, "nq"));           /* through the programme's parent */
    assert_true(task_in_programme(&s, 4, "ctr"));          /* a sub-task, through its parent task */
    assert_false(task_in_programme(&s, 1, "ctr"));
    assert_string_equal(task_due_key(TD_SOON), "soon");
    task_set_free(&s);
    assert_int_equal(task_status_parse("tạm dừng"), TS_PAUSED);
    assert_int_equal(task_status_parse("done_late"), TS_DONE_LATE);
    assert_int_equal(task_status_parse("bogus"), -1);
    assert_int_equal(task_kind_parse("đề án"), TK_PROJECT);
    assert_int_equal(task_kind_parse("breakthrough"), TK_BREAKTHROUGH);
    assert_int_equal(task_recur_parse("quý"), TR_QUARTER);
    assert_int_equal(task_recur_parse("weekly"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_counts_and_log),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
