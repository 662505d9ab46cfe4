/* test_class.c - the classification rules (class.h) as tables of cases: bands and their edges
 * (tests/data/class_band.txt), collective conditions (class_cond.txt), the quota within groups
 * (class_quota.txt); plus the floor rounding of the quota, faults, rules rows and their errors,
 * scores, the counting of a collective's tasks of the year and the grade allowed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "class.h"
#include "test_data.h"

static class_rules *rules_new(int kind)
{
    class_rules *r = malloc(sizeof *r);
    assert_non_null(r);
    class_rules_default(r, 2025, kind);
    return r;
}

static void test_band_table(void **state)
{
    (void)state;
    class_rules *r = rules_new(CK_MEMBER);
    FILE *f = td_open("class_band.txt");
    td_line l = { 0 };
    int cases = 0;
    assert_non_null(f);
    while (td_next(f, &l)) {
        err_t e;
        int cp, want = class_grade_parse(l.f[1]);
        assert_int_equal(l.n, 2);
        assert_true(want >= 0);
        if (class_score_parse(l.f[0], &cp, &e) != 0)
            fail_msg("class_band.txt line %d: %s", l.lineno, e.msg);
        if (class_band(r, cp) != want)
            fail_msg("class_band.txt line %d: %s got %s, expected %s", l.lineno, l.f[0],
                     class_grade_key(class_band(r, cp)), l.f[1]);
        cases++;
    }
    fclose(f);
    free(r);
    assert_true(cases >= 12);
}

static void test_condition_table(void **state)
{
    (void)state;
    class_rules *r = rules_new(CK_GRASSROOTS);
    FILE *f = td_open("class_cond.txt");
    td_line l = { 0 };
    int cases = 0;
    assert_non_null(f);
    while (td_next(f, &l)) {
        assert_int_equal(l.n, 6);
        class_task_stats st = { atoi(l.f[0]), atoi(l.f[1]), atoi(l.f[2]), atoi(l.f[3]), atoi(l.f[4]) };
        int want = class_grade_parse(l.f[5]), got = class_condition_cap(r, &st);
        assert_true(want >= 0);
        if (got != want)
            fail_msg("class_cond.txt line %d: got %s, expected %s", l.lineno, class_grade_key(got), l.f[5]);
        cases++;
    }
    fclose(f);
    free(r);
    assert_true(cases >= 12);
}

static void run_quota_case(class_quota_entry *q, const int *want, const int *lines, int n)
{
    int nover = 0;
    for (int i = 0; i < n; i++)
        nover += want[i];
    assert_int_equal(class_quota_mark(q, n), nover);
    for (int i = 0; i < n; i++)
        if (q[i].over != want[i])
            fail_msg("class_quota.txt line %d: %s over=%d, expected %d", lines[i], q[i].code, q[i].over, want[i]);
}

static void test_quota_table(void **state)
{
    (void)state;
    FILE *f = td_open("class_quota.txt");
    td_line l = { 0 };
    static char text[64][3][32];
    class_quota_entry q[64];
    int want[64], lines[64], n = 0, cases = 0;
    char cur[32] = "";
    assert_non_null(f);
    for (int more = td_next(f, &l);; more = td_next(f, &l)) {
        if (!more || strcmp(l.f[0], cur) != 0) {
            if (n > 0) {
                run_quota_case(q, want, lines, n);
                cases++;
            }
            n = 0;
            if (!more)
                break;
            snprintf(cur, sizeof cur, "%s", l.f[0]);
        }
        assert_int_equal(l.n, 7);
        assert_true(n < 64);
        err_t e;
        snprintf(text[n][0], 32, "%s", l.f[1]);
        snprintf(text[n][1], 32, "%s", l.f[2]);
        q[n] = (class_quota_entry){ .group = text[n][0], .code = text[n][1], .grade = class_grade_parse(l.f[3]),
                                    .pct = atoi(l.f[5]), .over = -1 };
        assert_int_equal(class_score_parse(l.f[4], &q[n].score_cp, &e), 0);
        want[n] = atoi(l.f[6]);
        lines[n] = l.lineno;
        n++;
    }
    fclose(f);
    assert_int_equal(cases, 6);
}

static void test_quota_rounding(void **state)
{
    (void)state;
    /* floor(20 % of n): none below 5, one from 5 to 9, two at 10; 25 % gives one at 4 */
    const int want20[] = { 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2 };
    for (int n = 0; n < 12; n++)
        assert_int_equal(class_quota_limit(n, 20), want20[n]);
    assert_int_equal(class_quota_limit(3, 25), 0);
    assert_int_equal(class_quota_limit(4, 25), 1);
    assert_int_equal(class_quota_limit(7, 25), 1);
    assert_int_equal(class_quota_limit(8, 25), 2);
    assert_int_equal(class_quota_limit(1000003, 20), 200000);
    assert_int_equal(class_quota_limit(-1, 20), 0);
    /* base "good only": the xuất sắc themselves are not counted */
    class_quota_entry q[6] = {
        { "g", "a", CG_EXCELLENT, 9500, 20, 1, -1 }, { "g", "b", CG_GOOD, 8000, 20, 1, -1 },
        { "g", "c", CG_GOOD, 8000, 20, 1, -1 },      { "g", "d", CG_GOOD, 8000, 20, 1, -1 },
        { "g", "e", CG_GOOD, 8000, 20, 1, -1 },      { "g", "f", CG_DONE, 6000, 20, 1, -1 },
    };
    assert_int_equal(class_quota_mark(q, 6), 1);      /* 4 tốt -> 0 allowed */
    assert_int_equal(q[0].over, 1);
    for (int i = 0; i < 6; i++)
        q[i].base_good_only = 0;
    assert_int_equal(class_quota_mark(q, 6), 0);      /* 5 tốt and above -> 1 allowed */
    assert_int_equal(class_quota_mark(q, 0), 0);
}

static void test_faults(void **state)
{
    (void)state;
    class_rules *r = rules_new(CK_MEMBER);
    err_t e;
    int cap;
    assert_int_equal(class_rules_set(r, "fault", "KL", "Bị kỷ luật trong năm", "fail", &e), 0);
    assert_int_equal(class_rules_set(r, "fault", "NG", "Vi phạm trách nhiệm nêu gương", "done", &e), 0);
    assert_int_equal(class_rules_set(r, "fault", "CD", "Cấp dưới bị kỷ luật", "good", &e), 0);
    assert_int_equal(class_rules_set(r, "fault", "KL", "again", "fail", &e), -1);
    assert_int_equal(class_rules_set(r, "fault", "XX", "to excellent", "excellent", &e), -1);
    assert_int_equal(class_rules_set(r, "fault", "X;Y", "semicolon", "fail", &e), -1);
    assert_int_equal(class_fault_cap(r, "", &cap, &e), 0);
    assert_int_equal(cap, CG_EXCELLENT);
    assert_int_equal(class_fault_cap(r, "CD", &cap, &e), 0);
    assert_int_equal(cap, CG_GOOD);
    assert_int_equal(class_fault_cap(r, "CD; NG", &cap, &e), 0);
    assert_int_equal(cap, CG_DONE);
    assert_int_equal(class_fault_cap(r, "NG;KL;CD", &cap, &e), 0);
    assert_int_equal(cap, CG_FAIL);
    assert_int_equal(class_fault_cap(r, "CD;ZZ", &cap, &e), -1);
    assert_non_null(strstr(e.msg, "ZZ"));
    /* a fault caps even a perfect score; the band still rules below the cap */
    assert_int_equal(class_grade_allowed(r, 10000, NULL, CG_GOOD), CG_GOOD);
    assert_int_equal(class_grade_allowed(r, 6000, NULL, CG_GOOD), CG_DONE);
    assert_int_equal(class_grade_allowed(r, 9500, NULL, CG_FAIL), CG_FAIL);
    /* a collective: the band, the conditions and the faults, the lowest wins */
    class_task_stats st = { 10, 10, 1, 0, 0 };
    assert_int_equal(class_grade_allowed(r, 9500, &st, CG_EXCELLENT), CG_GOOD);
    st.exceeded = 3;
    assert_int_equal(class_grade_allowed(r, 9500, &st, CG_EXCELLENT), CG_EXCELLENT);
    assert_int_equal(class_grade_allowed(r, 8999, &st, CG_EXCELLENT), CG_GOOD);
    free(r);
}

static void test_rules_rows(void **state)
{
    (void)state;
    class_rules *r = rules_new(CK_GRASSROOTS);
    err_t e;
    assert_int_equal(class_rules_check(r, &e), 0);    /* no items yet: nothing to add up */
    assert_int_equal(class_rules_set(r, "item", "1", "Chính trị tư tưởng", "20", &e), 0);
    assert_int_equal(class_rules_set(r, "item", "2", "Nhiệm vụ chính trị", "50,5", &e), 0);
    assert_int_equal(class_rules_check(r, &e), -1);
    assert_non_null(strstr(e.msg, "70,5"));
    assert_int_equal(class_rules_set(r, "item", "3", "Tổ chức, bộ máy", "29,5", &e), 0);
    assert_int_equal(class_rules_check(r, &e), 0);
    assert_int_equal(class_rules_set(r, "item", "3", "again", "1", &e), -1);
    assert_int_equal(class_rules_set(r, "item", "4", "", "1", &e), -1);
    assert_int_equal(class_rules_set(r, "band", "excellent", "", "92", &e), 0);
    assert_int_equal(r->band_cp[CG_EXCELLENT], 9200);
    assert_int_equal(class_band(r, 9199), CG_GOOD);
    assert_int_equal(class_rules_set(r, "band", "fail", "", "10", &e), -1);
    assert_int_equal(class_rules_set(r, "band", "good", "", "95", &e), 0);
    assert_int_equal(class_rules_check(r, &e), -1);   /* good above excellent */
    assert_int_equal(class_rules_set(r, "condition", "excellent_exceeded", "", "40", &e), 0);
    assert_int_equal(r->xs_exceeded_pct, 40);
    assert_int_equal(class_rules_set(r, "condition", "excellent_exceeded", "", "140", &e), -1);
    assert_int_equal(class_rules_set(r, "condition", "sometimes", "", "40", &e), -1);
    assert_int_equal(class_rules_set(r, "quota", "normal", "", "15", &e), 0);
    assert_int_equal(class_rules_set(r, "quota", "outstanding", "", "22", &e), 0);
    assert_int_equal(r->quota_pct * 100 + r->quota_outstanding_pct, 1522);
    assert_int_equal(class_rules_set(r, "quota", "base", "", "good_only", &e), 0);
    assert_int_equal(r->quota_base_good_only, 1);
    assert_int_equal(class_rules_set(r, "quota", "base", "", "all", &e), -1);
    assert_int_equal(class_rules_set(r, "quota", "normal", "", "2,5", &e), -1);
    assert_int_equal(class_rules_set(r, "bonus", "x", "", "1", &e), -1);
    free(r);
}

static void test_scores_and_names(void **state)
{
    (void)state;
    err_t e;
    int cp;
    const char *bad[] = { "", "abc", "100,01", "101", "-1", "90,", "89,999", "9 0", "1e2", ",5" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (class_score_parse(bad[i], &cp, &e) == 0)
            fail_msg("score '%s' accepted as %d", bad[i], cp);
    assert_int_equal(class_score_parse(" 89,9 ", &cp, &e), 0);
    assert_int_equal(cp, 8990);
    char t[16];
    class_score_text(8990, LANG_VI, t, sizeof t);
    assert_string_equal(t, "89,9");
    class_score_text(8999, LANG_EN, t, sizeof t);
    assert_string_equal(t, "89.99");
    class_score_text(9005, LANG_VI, t, sizeof t);
    assert_string_equal(t, "90,05");
    for (int k = 0; k < CK_COUNT; k++)
        assert_int_equal(class_kind_parse(class_kind_key(k)), k);
    assert_int_equal(class_kind_parse("chi bộ"), CK_CELL);
    assert_int_equal(class_kind_parse("cells"), -1);
    assert_true(class_kind_collective(CK_COMMUNE) && class_kind_collective(CK_CELL) && !class_kind_collective(CK_LEADER));
    for (int g = 0; g < CG_COUNT; g++)
        assert_int_equal(class_grade_parse(class_grade_key(g)), g);
    assert_int_equal(class_grade_parse("Hoàn thành tốt nhiệm vụ"), CG_GOOD);
    assert_int_equal(class_grade_parse("xuat_sac"), CG_EXCELLENT);
    assert_int_equal(class_grade_parse("great"), -1);
}

static void add_task(task_set *ts, const char *code, const char *lead, int deadline, int done, int exceeded, int kind)
{
    task_t t = { 0 };
    t.code = (char *)code;
    t.title = (char *)code;
    t.lead_unit = (char *)lead;
    t.kind = kind;
    t.deadline = deadline;
    t.completed_on = done;
    t.progress = done ? 100 : 50;
    t.exceeded = exceeded;
    assert_true(task_add(ts, &t) >= 0);
}

static void test_tasks_count(void **state)
{
    (void)state;
    task_set ts = { 0 };
    add_task(&ts, "on-time", "u1", 20250630, 20250620, 1, TK_TASK);     /* Monday */
    add_task(&ts, "late", "u1", 20250630, 20250705, 0, TK_TASK);
    add_task(&ts, "undone", "u1", 20251031, 0, 0, TK_SUBTASK);
    add_task(&ts, "next-year", "u1", 20260115, 0, 0, TK_TASK);
    add_task(&ts, "last-year", "u1", 20241231, 20241220, 0, TK_TASK);
    add_task(&ts, "other-unit", "u2", 20250630, 20250620, 0, TK_TASK);
    add_task(&ts, "programme", "u1", 20250630, 20250620, 0, TK_PROGRAMME);
    add_task(&ts, "not-due-yet", "u1", 20251230, 0, 0, TK_TASK);        /* Tuesday */
    class_task_stats st;
    class_tasks_count(&ts, "u1", 2025, 20251231, &st);
    assert_int_equal(st.total, 4);
    assert_int_equal(st.on_time, 1);
    assert_int_equal(st.exceeded, 1);
    assert_int_equal(st.late, 1);
    assert_int_equal(st.undone, 2);
    /* counted on 1 December: the December task is not due yet */
    class_tasks_count(&ts, "u1", 2025, 20251201, &st);
    assert_int_equal(st.total, 3);
    assert_int_equal(st.undone, 1);
    class_rules *r = rules_new(CK_GRASSROOTS);
    assert_int_equal(class_condition_cap(r, &st), CG_FAIL);
    class_tasks_count(&ts, "u2", 2025, 20251231, &st);
    assert_int_equal(st.total, 1);
    assert_int_equal(class_condition_cap(r, &st), CG_GOOD);
    free(r);
    task_set_free(&ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_table),   cmocka_unit_test(test_condition_table),
        cmocka_unit_test(test_quota_table),  cmocka_unit_test(test_quota_rounding),
        cmocka_unit_test(test_faults),       cmocka_unit_test(test_rules_rows),
        cmocka_unit_test(test_scores_and_names), cmocka_unit_test(test_tasks_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
