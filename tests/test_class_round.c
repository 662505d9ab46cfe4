/* test_class_round.c - the classification round over a real (temporary) database: importing
 * criteria and subjects and refusing bad files whole, who may see and do what (subtrees, roles,
 * members' privacy), the order of the steps and the lock after the decision, grades capped by the
 * collective's own tasks and by faults, the quota refused at the decision and reported, the audit
 * log, and the rates written as indicator values with history (left out while undecided or after
 * the year's figures are approved). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth.h"
#include "class_round.h"
#include "import.h"
#include "store.h"
#include "store_task.h"
#include "store_web.h"

static char db[64];
static store *S;
static model *M;
static task_set TS;

static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Đảng ủy phường Một,d1,Đảng ủy phường\n"
    "w2,Đảng ủy phường Hai,d1,Đảng ủy phường\n"
    "w3,Đảng ủy phường Ba,d2,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,group,direction,decimals\n"
    "tccsd_htt,Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên,Xây dựng Đảng,up,1\n";

static const char criteria_csv[] =
    "year,kind,type,code,name,value\n"
    "2025,grassroots,item,1,Chính trị tư tưởng,40\n"
    "2025,grassroots,item,2,Nhiệm vụ chính trị,60\n"
    "2025,grassroots,fault,KL,Bị kỷ luật,fail\n"
    "2025,member,item,1,Phẩm chất,50\n"
    "2025,member,item,2,Nhiệm vụ,50\n"
    "2025,member,fault,NG,Vi phạm nêu gương,done\n"
    "2025,commune,quota,normal,,20\n";

static const char subjects_csv[] =
    "code,kind,name,unit,group,outstanding\n"
    "d1,commune,Đảng bộ quận Một,d1,,\n"
    "w1,grassroots,Đảng bộ phường Một,w1,,\n"
    "w2,grassroots,Đảng bộ phường Hai,w2,,\n"
    "w3,grassroots,Đảng bộ phường Ba,w3,,\n"
    "m1,member,Nguyễn Văn Một,w1,,\n"
    "m2,member,Trần Thị Hai,w1,,\n"
    "m3,leader,Lê Văn Ba,w3,,\n";

static void add_user(const char *login, const char *role, const char *unit)
{
    web_user u = { 0 };
    err_t e;
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.unit, sizeof u.unit, "%s", unit);
    assert_int_equal(store_user_add(S, &u, "not-a-real-hash", &e), 0);
}

static void add_task(const char *code, const char *lead, int deadline, int done, int exceeded)
{
    task_t t = { .code = (char *)code, .title = (char *)code, .kind = TK_TASK, .lead_unit = (char *)lead,
                 .deadline = deadline, .completed_on = done, .progress = done ? 100 : 40, .exceeded = exceeded };
    err_t e;
    assert_int_equal(store_task_put(S, &t, &e), 0);
}

static int setup(void **state)
{
    (void)state;
    lang_set(LANG_EN);
    snprintf(db, sizeof db, "/tmp/chitieu-class-%ld.db", (long)getpid());
    remove(db);
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { { "units.csv", units_csv, sizeof units_csv - 1 },
                            { "indicators.csv", inds_csv, sizeof inds_csv - 1 } };
    import_opts o = { .who = "test" };
    M = model_new();
    assert_int_equal(store_open(db, 1, &S, &e), 0);
    assert_int_equal(import_run(S, M, src, 2, &o, &st, &errs, &e), 0);
    buf_free(&errs);
    model_free(M);
    M = model_new();
    assert_int_equal(store_load_part(S, M, 0, &e), 0);
    add_user("admin", "admin", "city");
    add_user("ap_city", "approver", "city");
    add_user("ap_d1", "approver", "d1");
    add_user("ap_w1", "approver", "w1");
    add_user("ed_d1", "editor", "d1");
    add_user("ed_w1", "editor", "w1");
    add_user("ed_d2", "editor", "d2");
    add_user("view_d1", "viewer", "d1");
    /* w1: 2 tasks of 2025 on time, 1 exceeded (50 %): xuất sắc allowed; w2: 4 on time, 1 late: hoàn thành */
    add_task("w1-a", "w1", 20250630, 20250620, 1);
    add_task("w1-b", "w1", 20250930, 20250901, 0);
    add_task("w1-next", "w1", 20260331, 0, 0);
    for (int i = 0; i < 4; i++) {
        char code[16];
        snprintf(code, sizeof code, "w2-%d", i);
        add_task(code, "w2", 20250630, 20250601, 0);
    }
    add_task("w2-late", "w2", 20250630, 20250715, 0);
    assert_int_equal(store_task_load(S, &TS, &e), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    task_set_free(&TS);
    model_free(M);
    store_close(S);
    remove(db);
    return 0;
}

static class_actor actor(const char *login)
{
    class_actor a;
    err_t e;
    if (class_actor_get(S, M, login, &a, &e) != 0)
        fail_msg("%s", e.msg);
    return a;
}

static int rule_rows(void)
{
    class_rule_row *rows;
    err_t e;
    int n = store_class_rule_rows(S, &rows, &e);
    free(rows);
    return n;
}

static void expect_import_error(const char *text, const char *needle)
{
    err_t e;
    int ns = 0, nr = 0, before = rule_rows();
    if (class_import_criteria(S, "t.csv", text, strlen(text), 0, &ns, &nr, &e) == 0)
        fail_msg("accepted: %s", text);
    if (strstr(e.msg, needle) == NULL)
        fail_msg("message '%s' lacks '%s'", e.msg, needle);
    assert_int_equal(rule_rows(), before);   /* nothing half-written */
}

static void test_import(void **state)
{
    (void)state;
    err_t e;
    int ns, nr, n;
    assert_int_equal(class_import_criteria(S, "c.csv", criteria_csv, sizeof criteria_csv - 1, 1, &ns, &nr, &e), 0);
    assert_int_equal(rule_rows(), 0);                      /* dry run */
    assert_int_equal(class_import_criteria(S, "c.csv", criteria_csv, sizeof criteria_csv - 1, 0, &ns, &nr, &e), 0);
    assert_int_equal(ns, 3);
    assert_int_equal(nr, 7);
    assert_int_equal(rule_rows(), 7);
    class_rules *r = malloc(sizeof *r);
    assert_int_equal(store_class_rules_get(S, 2025, CK_MEMBER, r, &e), 1);
    assert_int_equal(r->nitems, 2);
    assert_string_equal(r->faults[0].code, "NG");
    assert_int_equal(store_class_rules_get(S, 2024, CK_MEMBER, r, &e), 0);   /* none: the defaults */
    assert_int_equal(r->band_cp[CG_EXCELLENT], 9000);
    free(r);
    expect_import_error("year,kind,type,code,value\n", "year,kind,type,code,name,value");
    expect_import_error("year,kind,type,code,name,value\n2025,cells,item,1,x,100\n", "row 2, column kind");
    expect_import_error("year,kind,type,code,name,value\n25,cell,item,1,x,100\n", "column year");
    expect_import_error("year,kind,type,code,name,value\n2025,cell,item,1,x,60\n2025,cell,item,2,y,30\n", "90");
    expect_import_error("year,kind,type,code,name,value\n2025,cell,band,good,,70\n2025,cell,band,good,,75\n", "row 3");
    expect_import_error("year,kind,type,code,name,value\n2025,cell,bonus,1,x,1\n", "row 2");
    expect_import_error("year,kind,type,code,name,value\n2025,cell,item,1,x\n", "6");
    expect_import_error("year,kind,type,code,name,value\n2025,cell,item,1,Chi b\xf4,100\n", "UTF-8");
    /* subjects */
    const char *bad_unit = "code,kind,name,unit,group,outstanding\nx,member,X,nowhere,,\n";
    const char *twice = "code,kind,name,unit,group,outstanding\nx,member,X,w1,,\nx,member,Y,w1,,\n";
    const char *mixed = "code,kind,name,unit,group,outstanding\nx,member,X,w1,g,1\ny,member,Y,w1,g,0\n";
    assert_int_equal(class_import_subjects(S, M, "s.csv", bad_unit, strlen(bad_unit), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "column unit"));
    assert_int_equal(class_import_subjects(S, M, "s.csv", twice, strlen(twice), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "row 3, column code"));
    assert_int_equal(class_import_subjects(S, M, "s.csv", mixed, strlen(mixed), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "outstanding"));
    class_subject *subs;
    assert_int_equal(store_class_subjects(S, &subs, &e), 0);
    free(subs);
    assert_int_equal(class_import_subjects(S, M, "s.csv", subjects_csv, sizeof subjects_csv - 1, 0, &n, &e), 0);
    assert_int_equal(n, 7);
    class_subject sub;
    assert_int_equal(store_class_subject_get(S, "w1", &sub, &e), 1);
    assert_string_equal(sub.group, "grassroots@d1");      /* organisations that are units: with their siblings */
    assert_int_equal(store_class_subject_get(S, "m1", &sub, &e), 1);
    assert_string_equal(sub.group, "member@w1");
    assert_string_equal(sub.name, "Nguyễn Văn Một");
}

static void get_subject(const char *code, class_subject *sub)
{
    err_t e;
    assert_int_equal(store_class_subject_get(S, code, sub, &e), 1);
}

static void test_rights(void **state)
{
    (void)state;
    class_subject w1, m1, d1, m3;
    get_subject("w1", &w1);
    get_subject("m1", &m1);
    get_subject("d1", &d1);
    get_subject("m3", &m3);
    class_actor admin = actor("admin"), ap_city = actor("ap_city"), ap_d1 = actor("ap_d1"), ap_w1 = actor("ap_w1"),
                ed_d1 = actor("ed_d1"), ed_w1 = actor("ed_w1"), ed_d2 = actor("ed_d2"), view_d1 = actor("view_d1");
    /* members are personal data: not for viewers, not outside the subtree */
    assert_true(class_may_see(M, &admin, &m1) && class_may_see(M, &ap_city, &m1) && class_may_see(M, &ed_d1, &m1));
    assert_true(class_may_see(M, &ed_w1, &m1) && class_may_see(M, &ap_w1, &m1));
    assert_false(class_may_see(M, &view_d1, &m1));
    assert_false(class_may_see(M, &ed_d2, &m1));
    assert_false(class_may_see(M, &ed_w1, &m3));
    assert_true(class_may_see(M, &view_d1, &w1));          /* organisations: anyone who reads the unit */
    assert_false(class_may_see(M, &ed_d2, &w1));
    /* assessing: editors of the unit's subtree */
    assert_true(class_may_step(M, &ed_w1, &w1, CS_ASSESSED) && class_may_step(M, &ed_d1, &w1, CS_ASSESSED));
    assert_false(class_may_step(M, &ed_d2, &w1, CS_ASSESSED));
    assert_false(class_may_step(M, &ap_d1, &w1, CS_ASSESSED));
    assert_false(class_may_step(M, &view_d1, &w1, CS_ASSESSED));
    /* appraising and deciding: approvers above an organisation that is a unit; at or above a member's unit */
    assert_false(class_may_step(M, &ap_w1, &w1, CS_APPRAISED));
    assert_true(class_may_step(M, &ap_d1, &w1, CS_APPRAISED) && class_may_step(M, &ap_city, &w1, CS_DECIDED));
    assert_false(class_may_step(M, &ed_d1, &w1, CS_APPRAISED));
    assert_true(class_may_step(M, &ap_w1, &m1, CS_APPRAISED));
    assert_false(class_may_step(M, &ap_d1, &d1, CS_DECIDED));
    assert_true(class_may_step(M, &ap_city, &d1, CS_DECIDED));
    assert_true(class_may_step(M, &admin, &d1, CS_DECIDED));
}

static int step(const char *login, int st, const char *subject, int score, const char *grade, const char *faults,
                err_t *e)
{
    class_actor a = actor(login);
    class_result r;
    class_check c;
    class_step_in in = { st, 2025, subject, score, class_grade_parse(grade), faults, "ý kiến", 20251231 };
    return class_step(S, M, &TS, &a, &in, &r, &c, e);
}

#define OK(...) do { err_t e_; if (step(__VA_ARGS__, &e_) != 0) fail_msg("%s", e_.msg); } while (0)
#define REFUSED(needle, ...) do { err_t e_; if (step(__VA_ARGS__, &e_) == 0) fail_msg("not refused: %s", #__VA_ARGS__); \
        if (strstr(e_.msg, needle) == NULL) fail_msg("'%s' lacks '%s'", e_.msg, needle); } while (0)

static void test_round(void **state)
{
    (void)state;
    err_t e;
    REFUSED("self-assessment", "ap_d1", CS_APPRAISED, "w1", 9500, "excellent", "");
    REFUSED("may not", "ed_d2", CS_ASSESSED, "w1", 9500, "excellent", "");
    REFUSED("no subject", "ed_w1", CS_ASSESSED, "zz", 9500, "excellent", "");
    OK("ed_w1", CS_ASSESSED, "w1", 9500, "excellent", "");
    OK("ed_w1", CS_ASSESSED, "w1", 9600, "excellent", "");   /* may be redone before the appraisal */
    REFUSED("may not", "ap_w1", CS_APPRAISED, "w1", 9500, "excellent", "");
    REFUSED("not appraised", "ap_d1", CS_DECIDED, "w1", 9500, "excellent", "");
    OK("ap_d1", CS_APPRAISED, "w1", 9500, "excellent", "");
    REFUSED("already appraised", "ed_w1", CS_ASSESSED, "w1", 9500, "excellent", "");
    /* w2: the band says xuất sắc, its own tasks (one late) only hoàn thành */
    REFUSED("'done'", "ed_d1", CS_ASSESSED, "w2", 9500, "excellent", "");
    REFUSED("'done'", "ed_d1", CS_ASSESSED, "w2", 9500, "good", "");
    OK("ed_d1", CS_ASSESSED, "w2", 9500, "done", "");
    /* a fault caps the grade; an unknown fault is refused */
    REFUSED("'fail'", "ap_d1", CS_APPRAISED, "w2", 9500, "done", "KL");
    REFUSED("ZZ", "ap_d1", CS_APPRAISED, "w2", 9500, "done", "ZZ");
    OK("ap_d1", CS_APPRAISED, "w2", 9500, "done", "");
    /* the quota: 1 of tốt and above in grassroots@d1 -> 20 % is 0 -> w1's xuất sắc is refused and reported */
    REFUSED("quota", "ap_d1", CS_DECIDED, "w1", 9500, "excellent", "");
    class_quota_line *q;
    int n = class_quota_report(S, M, 2025, model_unit_find(M, "d1"), &q, &e);
    int over = 0;
    for (int i = 0; i < n; i++)
        over += q[i].over && strcmp(q[i].sub.code, "w1") == 0;
    assert_int_equal(n, 5);                                /* d1, w1, w2, m1, m2 */
    assert_int_equal(over, 1);
    free(q);
    OK("ap_d1", CS_DECIDED, "w1", 9500, "good", "");
    OK("ap_d1", CS_DECIDED, "w2", 9500, "done", "");
    /* locked */
    REFUSED("locked", "ap_d1", CS_DECIDED, "w1", 9500, "good", "");
    REFUSED("locked", "ed_w1", CS_ASSESSED, "w1", 9500, "good", "");
    int ns, nr;
    const char *moved = "code,kind,name,unit,group,outstanding\nw1,grassroots,Đảng bộ phường Một,w2,,\n";
    const char *renamed = "code,kind,name,unit,group,outstanding\nw1,grassroots,Đảng bộ phường Một (mới),w1,,\n";
    assert_int_equal(class_import_subjects(S, M, "s.csv", moved, strlen(moved), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "already has a decided result"));
    assert_int_equal(class_import_subjects(S, M, "s.csv", renamed, strlen(renamed), 0, &n, &e), 0);
    assert_int_equal(class_import_criteria(S, "c.csv", criteria_csv, sizeof criteria_csv - 1, 0, &ns, &nr, &e), -1);
    assert_non_null(strstr(e.msg, "decided"));
    class_result r;
    assert_int_equal(store_class_result_get(S, 2025, "w1", &r, &e), 1);
    assert_int_equal(r.step, CS_DECIDED);
    assert_int_equal(r.self.score_cp, 9600);
    assert_string_equal(r.self.by, "ed_w1");
    assert_string_equal(r.appr.by, "ap_d1");
    assert_int_equal(r.appr.grade, CG_EXCELLENT);
    assert_int_equal(r.dec.grade, CG_GOOD);
    assert_string_equal(r.dec.comment, "ý kiến");
    assert_true(r.dec.at[0] != '\0');
    web_audit *au;
    int na = store_audit_list(S, 50, &au, &e), steps = 0;
    for (int i = 0; i < na; i++)
        if (strcmp(au[i].object, "2025/w1") == 0 && strncmp(au[i].action, "class_", 6) == 0)
            steps++;
    free(au);
    assert_int_equal(steps, 4);                            /* assessed twice, appraised, decided */
    /* members: a fault caps the grade */
    REFUSED("'done'", "ed_w1", CS_ASSESSED, "m1", 9500, "good", "NG");
    OK("ed_w1", CS_ASSESSED, "m1", 9500, "excellent", "");
    OK("ed_w1", CS_ASSESSED, "m2", 6000, "done", "");
}

static double value_of(const char *ind, const char *unit, int *has)
{
    cell_t c = { 0 };
    period_t p;
    err_t e;
    assert_int_equal(period_parse("2025", 4, &p), 0);
    int i = model_ind_find(M, ind), u = model_unit_find(M, unit);
    assert_true(i >= 0 && u >= 0);
    *has = store_get_cell(S, M, 0, i, u, p, &c, &e);
    assert_true(*has >= 0);
    free(c.comment);
    return c.v;
}

static void test_rates(void **state)
{
    (void)state;
    err_t e;
    class_rates_out out;
    buf lines = BUF_INIT;
    int has;
    /* w3 and the members are undecided: only w1, w2 and d1's organisations are complete */
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, &lines, &e), 0);
    assert_int_equal(out.written, 9);                      /* w1, w2, d1 x 3 organisation rates */
    assert_true(out.skipped_undecided >= 4);               /* city and d2 organisations; w1, d1, city members... */
    assert_true(value_of("tccsd_htt", "d1", &has) == 50.0 && has == 1);
    assert_true(value_of("tccsd_htxs", "d1", &has) == 0.0 && has == 1);
    assert_true(value_of("tccsd_khht", "w2", &has) == 0.0 && has == 1);
    assert_true(value_of("tccsd_htt", "w1", &has) == 100.0 && has == 1);
    value_of("tccsd_htt", "city", &has);
    assert_int_equal(has, 0);                              /* never silently partial */
    /* finish the round */
    OK("ed_d2", CS_ASSESSED, "w3", 7000, "good", "");
    OK("ap_city", CS_APPRAISED, "w3", 7000, "good", "");
    OK("ap_city", CS_DECIDED, "w3", 7000, "good", "");
    OK("ap_w1", CS_APPRAISED, "m1", 9500, "excellent", "");
    OK("ap_w1", CS_APPRAISED, "m2", 4000, "fail", "");
    OK("ap_w1", CS_DECIDED, "m2", 4000, "fail", "");
    /* member@w1: 1 of tốt and above -> no xuất sắc allowed */
    REFUSED("quota", "ap_w1", CS_DECIDED, "m1", 9500, "excellent", "");
    OK("ap_w1", CS_DECIDED, "m1", 9500, "good", "");
    OK("ed_d2", CS_ASSESSED, "m3", 9100, "excellent", "");
    OK("ap_city", CS_APPRAISED, "m3", 9100, "good", "");
    OK("ap_city", CS_DECIDED, "m3", 9100, "good", "");
    /* the city's figures of the year are approved: that locks every unit below it too (write.h),
     * so nothing is written; the rates wait for an unlock */
    assert_int_equal(store_sub_put(S, "city", "2025", SUB_APPROVED, "ap_city", "", &e), 0);
    buf_reset(&lines);
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, &lines, &e), 0);
    assert_int_equal(out.skipped_undecided, 0);
    assert_int_equal(out.written, 0);
    assert_true(out.skipped_approved > 2);
    value_of("tccsd_htt", "city", &has);
    assert_int_equal(has, 0);
    value_of("dang_vien_htt", "w1", &has);
    assert_int_equal(has, 0);
    /* approved d1 alone: d1 and w1 wait, d2 is written */
    assert_int_equal(store_sub_put(S, "city", "2025", SUB_DRAFT, "ap_city", "", &e), 0);
    assert_int_equal(store_sub_put(S, "d1", "2025", SUB_APPROVED, "ap_city", "", &e), 0);
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, &lines, &e), 0);
    value_of("dang_vien_htt", "w1", &has);
    assert_int_equal(has, 0);
    assert_true(value_of("tccsd_htt", "d2", &has) == 100.0 && has == 1);
    assert_int_equal(store_sub_put(S, "d1", "2025", SUB_DRAFT, "ap_city", "", &e), 0);
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, &lines, &e), 0);
    assert_true(value_of("dang_vien_htt", "w1", &has) == 50.0 && has == 1);
    assert_true(value_of("dang_vien_khht", "d1", &has) == 50.0 && has == 1);
    assert_int_equal(store_sub_put(S, "city", "2025", SUB_DRAFT, "ap_city", "", &e), 0);
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, NULL, &e), 0);
    assert_true(value_of("tccsd_htt", "city", &has) == 200.0 / 3 && has == 1);   /* w1, w3 of w1, w2, w3 */
    assert_true(value_of("dang_vien_htt", "city", &has) == 200.0 / 3 && has == 1);
    /* unchanged figures are not written again; the history of what changed is kept */
    assert_int_equal(class_rates(S, M, 2025, "admin", 0, &out, NULL, &e), 0);
    assert_int_equal(out.written, 0);
    store_hist h[4];
    period_t p;
    assert_int_equal(period_parse("2025", 4, &p), 0);
    assert_int_equal(store_history(S, "tccsd_htt", "d1", p, h, 4, &e), 1);
    assert_string_equal(h[0].who, "admin");
    buf_free(&lines);
}

static void test_awards(void **state)
{
    (void)state;
    err_t e;
    int n;
    const char *ok = "year,subject,form,title,issuer,decision,date\n"
                     "2025,w1,merit,Bằng khen của Ban Thường vụ Thành ủy,Thành ủy,Số 12-QĐ/TU,2026-01-15\n"
                     "2025,m1,badge,Huy hiệu 30 năm tuổi Đảng,Thành ủy,Số 9-QĐ/TU,7/11/2025\n"
                     "2024,w3,title,Trong sạch vững mạnh tiêu biểu,Quận ủy Hai,Số 3-QĐ/QU,\n";
    const char *no_subject = "year,subject,form,title,issuer,decision,date\n2025,zz,merit,X,Y,Z,\n";
    const char *bad_form = "year,subject,form,title,issuer,decision,date\n2025,w1,medal,X,Y,Z,\n";
    const char *bad_date = "year,subject,form,title,issuer,decision,date\n2025,w1,merit,X,Y,Z,31/2/2025\n";
    assert_int_equal(class_import_awards(S, "a.csv", no_subject, strlen(no_subject), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "row 2, column subject"));
    assert_int_equal(class_import_awards(S, "a.csv", bad_form, strlen(bad_form), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "column form"));
    assert_int_equal(class_import_awards(S, "a.csv", bad_date, strlen(bad_date), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "column date"));
    /* the same award twice in one file: refused (the second row overwrote the first, "2 imported") */
    const char *twice = "year,subject,form,title,issuer,decision,date\n"
                        "2025,w1,merit,Bằng khen,Thành ủy,Số 12-QĐ/TU,2026-01-15\n"
                        "2025,w1,merit,Bằng khen,Quận ủy,Số 12-QĐ/TU,2026-01-16\n";
    assert_int_equal(class_import_awards(S, "a.csv", twice, strlen(twice), 0, &n, &e), -1);
    assert_non_null(strstr(e.msg, "a.csv, row 3: this award (same year, subject, title and decision) is on an earlier row"));
    assert_int_equal(class_awards_check("a.csv", twice, strlen(twice), &n, &e), -1);
    assert_int_equal(class_import_awards(S, "a.csv", ok, strlen(ok), 0, &n, &e), 0);
    assert_int_equal(class_import_awards(S, "a.csv", ok, strlen(ok), 0, &n, &e), 0);   /* again: updated, not doubled */
    class_award *as;
    assert_int_equal(store_class_awards(S, 0, &as, &e), 3);
    free(as);
    assert_int_equal(store_class_awards(S, 2025, &as, &e), 2);
    class_subject w1, m1;
    get_subject("w1", &w1);
    get_subject("m1", &m1);
    /* searching without diacritics or case, in the title, the decision number, the subject's name */
    const class_award *badge = &as[0], *merit = &as[1];    /* by date */
    assert_int_equal(badge->form, CA_BADGE);
    assert_int_equal(merit->form, CA_MERIT);
    assert_int_equal(merit->date, 20260115);
    assert_int_equal(badge->date, 20251107);
    assert_true(class_award_match(merit, &w1, "bang khen"));
    assert_true(class_award_match(merit, &w1, "BAN THUONG VU"));
    assert_true(class_award_match(merit, &w1, "12-qđ"));
    assert_true(class_award_match(badge, &m1, "nguyen van"));
    assert_true(class_award_match(badge, &m1, "huy hieu"));
    assert_true(class_award_match(badge, &m1, ""));
    assert_false(class_award_match(badge, &m1, "bang khen"));
    assert_false(class_award_match(merit, &w1, "giay khen"));
    free(as);
}

/* The deciding body apart from the appraising level: a sheet saying decide,levels_above,,1 for
 * members of 2026 lets the approver of the member's own unit appraise but not decide; the level
 * above decides; bad values are refused with the row. */
static void test_decider(void **state)
{
    (void)state;
    err_t e;
    int nsheets, nrows;
    static const char sheet[] = "year,kind,type,code,name,value\n2026,member,decide,levels_above,,1\n";
    static const char bad[] = "year,kind,type,code,name,value\n2026,member,decide,levels_above,,9\n";
    static const char badcode[] = "year,kind,type,code,name,value\n2026,member,decide,whoever,,1\n";
    assert_int_equal(class_import_criteria(S, "bad.csv", bad, sizeof bad - 1, 0, &nsheets, &nrows, &e), -1);
    assert_non_null(strstr(e.msg, "from 0 to 5"));
    assert_int_equal(class_import_criteria(S, "bad.csv", badcode, sizeof badcode - 1, 0, &nsheets, &nrows, &e), -1);
    assert_non_null(strstr(e.msg, "levels_above"));
    assert_int_equal(class_import_criteria(S, "d.csv", sheet, sizeof sheet - 1, 0, &nsheets, &nrows, &e), 0);
    class_rules r;
    class_subject m2;
    get_subject("m2", &m2);
    assert_int_equal(store_class_rules_get(S, 2026, CK_MEMBER, &r, &e), 1);
    assert_int_equal(r.decide_levels_above, 1);
    class_actor w1 = actor("ap_w1"), d1 = actor("ap_d1"), city = actor("ap_city");
    assert_int_equal(class_may_decide(M, &w1, &m2, &r), 0);
    assert_int_equal(class_may_decide(M, &d1, &m2, &r), 1);
    assert_int_equal(class_may_decide(M, &city, &m2, &r), 1);
    class_result out;
    class_check chk;
    class_step_in in = { CS_ASSESSED, 2026, "m2", 8000, CG_GOOD, "", "", 20261231 };
    class_actor ed = actor("ed_w1");
    assert_int_equal(class_step(S, M, &TS, &ed, &in, &out, &chk, &e), 0);
    in.step = CS_APPRAISED;
    assert_int_equal(class_step(S, M, &TS, &w1, &in, &out, &chk, &e), 0);     /* the unit appraises */
    in.step = CS_DECIDED;
    assert_int_equal(class_step(S, M, &TS, &w1, &in, &out, &chk, &e), -1);    /* ... but does not decide */
    assert_non_null(strstr(e.msg, "competent level"));
    assert_int_equal(class_step(S, M, &TS, &d1, &in, &out, &chk, &e), 0);     /* the level above decides */
    assert_int_equal(out.step, CS_DECIDED);
    /* with no decide row (2025), the unit's approver may decide as before */
    assert_int_equal(store_class_rules_get(S, 2025, CK_MEMBER, &r, &e), 1);
    assert_int_equal(class_may_decide(M, &w1, &m2, &r), 1);
}

/* The finders over code-sorted arrays: every element, between and beyond them, empty arrays. */
static void test_find(void **state)
{
    (void)state;
    class_subject subs[4] = { 0 };
    class_result res[4] = { 0 };
    const char *codes[4] = { "cb-01", "cb-02", "chi-bo-3", "x" };
    for (int k = 0; k < 4; k++) {
        snprintf(subs[k].code, sizeof subs[k].code, "%s", codes[k]);
        snprintf(res[k].subject, sizeof res[k].subject, "%s", codes[k]);
    }
    for (int n = 0; n <= 4; n++)
        for (int k = 0; k < 4; k++) {
            const class_subject *sub = class_subject_find(subs, n, codes[k]);
            const class_result *r = class_result_find(res, n, codes[k]);
            assert_ptr_equal(sub, k < n ? &subs[k] : NULL);
            assert_ptr_equal(r, k < n ? &res[k] : NULL);
        }
    const char *absent[] = { "", "a", "cb-015", "chi", "y" };
    for (size_t k = 0; k < sizeof absent / sizeof *absent; k++) {
        assert_null(class_subject_find(subs, 4, absent[k]));
        assert_null(class_result_find(res, 4, absent[k]));
    }
}

/* A file with its header and no data row is refused, as a values file is: saved incompletely, or
 * the wrong file; a file with one row passes (each header from its reader). */
static void test_header_only(void **state)
{
    (void)state;
    static const char *const heads[3] = { "year,kind,type,code,name,value\n", "code,kind,name,unit,group,outstanding\n",
                                          "year,subject,form,title,issuer,decision,date\n" };
    err_t e;
    int a, b;
    for (int k = 0; k < 3; k++) {
        int rc = k == 0   ? class_criteria_check("h.csv", heads[k], strlen(heads[k]), &a, &b, &e)
                 : k == 1 ? class_subjects_check(M, "h.csv", heads[k], strlen(heads[k]), &a, &e)
                          : class_awards_check("h.csv", heads[k], strlen(heads[k]), &a, &e);
        assert_int_not_equal(rc, 0);
        assert_string_equal(e.msg, "h.csv: the file has a header row and no data rows (saved incompletely, or the "
                                   "wrong file?)");
    }
    assert_int_equal(class_criteria_check("c.csv", criteria_csv, sizeof criteria_csv - 1, &a, &b, &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_rights),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_awards),
        cmocka_unit_test(test_decider),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_header_only),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
