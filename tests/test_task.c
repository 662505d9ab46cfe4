/* test_task.c - task status and deadline class as a table of cases (tests/data/task_status.txt),
 * dates (parsing both forms, weekdays, day counts, leap years), counting, and names; the
 * hand-over of a dissolved unit's tasks to its successor, in memory and through an import. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unistd.h>

#include "import.h"
#include "store_task.h"
#include "task.h"
#include "task_handover.h"
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

/* Units: d1 -> n1 (1); d2 -> n1 (0,4), n2 (0,6); d3 -> n2 (0,5), n3 (0,5) (a tie: n2 by code);
 * then n3 -> n4 on 1/1/2026 (a chain); h (the district) ends with no successor. */
static const char units_csv[] =
    "code,name,parent,type,valid_from,valid_to\n"
    "tp,Thành phố,,Thành ủy,,\n"
    "h,Huyện H,tp,Huyện ủy,,2025-06-30\n"
    "d1,Xã D1,h,Đảng ủy xã,,2025-06-30\n"
    "d2,Xã D2,h,Đảng ủy xã,,2025-06-30\n"
    "d3,Xã D3,h,Đảng ủy xã,,2025-06-30\n"
    "n1,Xã N1,tp,Đảng ủy xã,2025-07-01,\n"
    "n2,Xã N2,tp,Đảng ủy xã,2025-07-01,\n"
    "n3,Xã N3,tp,Đảng ủy xã,2025-07-01,2025-12-31\n"
    "n4,Xã N4,tp,Đảng ủy xã,2026-01-01,\n";
static const char succs_csv[] =
    "from,to,date,share\n"
    "d1,n1,1/7/2025,\n"
    "d2,n1,1/7/2025,0.4\n"
    "d2,n2,1/7/2025,0.6\n"
    "d3,n3,1/7/2025,0.5\n"
    "d3,n2,1/7/2025,0.5\n"
    "n3,n4,1/1/2026,1\n";

static model *handover_model(void)
{
    model *m = model_new();
    const char *u[][4] = { { "tp", "", "", "" }, { "h", "tp", "", "20250630" }, { "d1", "h", "", "20250630" },
                           { "d2", "h", "", "20250630" }, { "d3", "h", "", "20250630" },
                           { "n1", "tp", "20250701", "" }, { "n2", "tp", "20250701", "" },
                           { "n3", "tp", "20250701", "20251231" }, { "n4", "tp", "20260101", "" } };
    for (size_t i = 0; i < sizeof u / sizeof *u; i++)
        assert_true(model_put_unit(m, u[i][0], u[i][0], u[i][1], "x", atoi(u[i][2]), atoi(u[i][3])) >= 0);
    struct { const char *from, *to; int date; double share; } sc[] = {
        { "d1", "n1", 20250701, 1 }, { "d2", "n1", 20250701, 0.4 }, { "d2", "n2", 20250701, 0.6 },
        { "d3", "n3", 20250701, 0.5 }, { "d3", "n2", 20250701, 0.5 }, { "n3", "n4", 20260101, 1 } };
    for (size_t i = 0; i < sizeof sc / sizeof *sc; i++)
        assert_true(model_put_succ(m, model_unit_find(m, sc[i].from), model_unit_find(m, sc[i].to), sc[i].date,
                                   sc[i].share) >= 0);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    return m;
}

static void test_handover(void **state)
{
    (void)state;
    model *m = handover_model();
    int date = 0;
    assert_int_equal(task_successor(m, model_unit_find(m, "d2"), &date), model_unit_find(m, "n2")); /* 0,6 > 0,4 */
    assert_int_equal(date, 20250701);
    assert_int_equal(task_successor(m, model_unit_find(m, "d3"), &date), model_unit_find(m, "n2")); /* tie: code */
    assert_int_equal(task_successor(m, model_unit_find(m, "h"), &date), -1);
    assert_int_equal(task_successor(m, model_unit_find(m, "n1"), &date), -1);
    task_set s = { 0 };
    task_t t = { .code = "a", .title = "A", .kind = TK_TASK, .lead_unit = "d2", .coop_units = "d1;n2;h",
                 .deadline = 20261231, .progress = 40 };
    assert_int_equal(task_add(&s, &t), 0);
    t.code = "b", t.lead_unit = "d1", t.coop_units = "", t.completed_on = 20250610, t.progress = 100;
    assert_int_equal(task_add(&s, &t), 1);              /* done before the date: stays (history) */
    t.code = "c", t.lead_unit = "d3", t.completed_on = 0, t.progress = 0;
    assert_int_equal(task_add(&s, &t), 2);              /* d3 -> n2 (tie by code), no further */
    t.code = "d", t.lead_unit = "h";
    assert_int_equal(task_add(&s, &t), 3);              /* no successor: kept as it is */
    t.code = "e", t.lead_unit = "d1", t.recur = TR_MONTH, t.completed_on = 20250610, t.progress = 100;
    assert_int_equal(task_add(&s, &t), 4);              /* recurring: goes on at the successor */
    assert_int_equal(task_handover_item(&s, 0, m, "demo"), 2);  /* lead d2 -> n2, coop d1 -> n1 */
    assert_string_equal(s.items[0].lead_unit, "n2");
    assert_string_equal(s.items[0].coop_units, "n1;h");          /* n2 is now the lead */
    assert_int_equal(s.items[0].nlog, 2);
    assert_string_equal(s.items[0].log[0].text,
                        "bàn giao từ d2 (d2) sang n2 (n2) ngày 1/7/2025 (kế thừa đơn vị)");
    assert_int_equal(s.items[0].log[0].date, 20250701);
    assert_int_equal(s.items[0].log[0].pct, 40);
    assert_string_equal(s.items[0].log[0].who, "demo");
    assert_int_equal(s.items[0].progress, 40);
    assert_int_equal(s.items[0].completed_on, 0);
    assert_int_equal(task_handover_item(&s, 0, m, "demo"), 0);  /* a second run changes nothing */
    assert_int_equal(task_handover_item(&s, 1, m, "demo"), 0);
    assert_string_equal(s.items[1].lead_unit, "d1");
    assert_int_equal(task_handover_item(&s, 2, m, NULL), 1);
    assert_string_equal(s.items[2].lead_unit, "n2");
    assert_string_equal(s.items[2].log[0].who, "chitieu");
    assert_int_equal(task_handover_item(&s, 3, m, "demo"), 0);
    assert_string_equal(s.items[3].lead_unit, "h");
    assert_int_equal(task_handover_item(&s, 4, m, "demo"), 1);
    assert_string_equal(s.items[4].lead_unit, "n1");
    assert_int_equal(s.items[4].completed_on, 20250610);         /* its record is kept */
    /* a chain: n3 (from d3 in another set) passes to n4 on 1/1/2026 */
    task_t ch = { .code = "f", .title = "F", .kind = TK_TASK, .lead_unit = "n3" };
    assert_int_equal(task_add(&s, &ch), 5);
    assert_int_equal(task_handover_item(&s, 5, m, "demo"), 1);
    assert_string_equal(s.items[5].lead_unit, "n4");
    assert_int_equal(s.items[5].log[0].date, 20260101);
    /* lists: a lead unit not valid on the day is marked, a current one is not */
    buf mark = BUF_INIT;
    assert_true(task_unit_current(m, model_unit_find(m, "n1"), 20261206));
    assert_false(task_unit_current(m, model_unit_find(m, "h"), 20261206));
    assert_true(task_unit_current(m, model_unit_find(m, "h"), 20250630));   /* its last day */
    assert_false(task_unit_current(m, -1, 20261206));
    task_unit_mark(m, model_unit_find(m, "n1"), 20261206, &mark);
    assert_string_equal(buf_str(&mark), "");
    task_unit_mark(m, model_unit_find(m, "h"), 20261206, &mark);
    assert_string_equal(buf_str(&mark), " (hết hiệu lực sau ngày 30/6/2025)");
    buf_reset(&mark);
    task_unit_mark(m, model_unit_find(m, "n4"), 20250801, &mark);
    assert_string_equal(buf_str(&mark), " (có hiệu lực từ ngày 1/1/2026)");
    buf_free(&mark);
    task_set_free(&s);
    model_free(m);
}

/* Through the importer: tasks stored first, successions imported later hand them over in the
 * same transaction; a failed succession import hands nothing over. */
static void test_handover_import(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-test-task-%ld.db", (long)getpid());
    remove(path);
    store *s = NULL;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_opts o = { .who = "tester" };
    assert_int_equal(store_open(path, 1, &s, &e), 0);
    import_source u[] = { { "units.csv", units_csv, sizeof units_csv - 1 } };
    assert_int_equal(import_run(s, m, u, 1, &o, &st, &errs, &e), 0);
    task_t t = { .code = "a", .title = "A", .kind = TK_TASK, .lead_unit = "d2", .coop_units = "d3", .progress = 30 };
    assert_int_equal(store_task_put(s, &t, &e), 0);
    /* a bad succession file (shares of d2 sum to 0,9): nothing handed over */
    static const char bad[] = "from,to,date,share\nd2,n1,1/7/2025,0.3\nd2,n2,1/7/2025,0.6\n";
    import_source b[] = { { "bad.csv", bad, sizeof bad - 1 } };
    assert_int_equal(import_run(s, m, b, 1, &o, &st, &errs, &e), -1);
    model_free(m);
    m = model_new();
    assert_int_equal(store_load(s, m, &e), 0);
    task_set ts = { 0 };
    assert_int_equal(store_task_load(s, &ts, &e), 0);
    assert_string_equal(ts.items[0].lead_unit, "d2");
    assert_int_equal(ts.items[0].nlog, 0);
    task_set_free(&ts);
    import_source g[] = { { "succ.csv", succs_csv, sizeof succs_csv - 1 } };
    assert_int_equal(import_run(s, m, g, 1, &o, &st, &errs, &e), 0);
    assert_int_equal(st.handed_over, 1);
    assert_int_equal(store_task_load(s, &ts, &e), 0);
    assert_string_equal(ts.items[0].lead_unit, "n2");
    assert_string_equal(ts.items[0].coop_units, "");  /* d3 -> n2, the lead itself */
    assert_int_equal(ts.items[0].nlog, 2);
    assert_string_equal(ts.items[0].log[0].text,
                        "bàn giao từ Xã D2 (d2) sang Xã N2 (n2) ngày 1/7/2025 (kế thừa đơn vị)");
    assert_string_equal(ts.items[0].log[0].who, "tester");
    assert_int_equal(ts.items[0].progress, 30);
    task_set_free(&ts);
    /* importing the same successions again hands nothing over twice */
    assert_int_equal(import_run(s, m, g, 1, &o, &st, &errs, &e), 0);
    assert_int_equal(st.handed_over, 0);
    assert_int_equal(store_task_load(s, &ts, &e), 0);
    assert_int_equal(ts.items[0].nlog, 2);
    task_set_free(&ts);
    buf_free(&errs);
    store_close(s);
    model_free(m);
    remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_counts_and_log),
        cmocka_unit_test(test_handover),
        cmocka_unit_test(test_handover_import),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
