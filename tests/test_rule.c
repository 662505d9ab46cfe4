/* test_rule.c - validation rules and outliers: the rule parser and comparison (cases in
 * tests/data/rule_cases.txt), the rules and bounds files, the modified z-score, and end to end:
 * rules checked on every write path (CLI import, web form, API; errors refuse naming the rule,
 * unit, period and both sides, warnings need a comment), operands taken as they will be after
 * the write (the written rows, the stored figures, derived figures of the units below), the
 * validation run (`chitieu validate`, GET /api/v1/validation, the /validation page) and the
 * outlier checks against history, peers and bounds. */
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
#include "cmd.h"
#include "http.h"
#include "outlier.h"
#include "rule.h"
#include "store_rule.h"
#include "store_web.h"
#include "test_data.h"
#include "validate.h"
#include "web.h"
#include "write.h"

#include "web_client.h"

/* ---- the parser and the comparison ---- */

static void test_rule_cases(void **state)
{
    (void)state;
    FILE *f = td_open("rule_cases.txt");
    td_line l = { 0 };
    int cases = 0;
    assert_non_null(f);
    while (td_next(f, &l)) {
        rule_t r;
        err_t e;
        int parsed = rule_parse(l.f[0], &r, &e) == 0;
        if (strcmp(l.f[3], "error") == 0) {
            if (parsed)
                print_error("line %d: '%s' parsed\n", l.lineno, l.f[0]);
            assert_false(parsed);
            cases++;
            continue;
        }
        if (!parsed)
            print_error("line %d: %s\n", l.lineno, e.msg);
        assert_true(parsed);
        double v[16] = { 0 };
        unsigned char has[16] = { 0 };
        int n = 0;
        for (char *p = l.f[1]; *p && n < 16; n++) {
            size_t len = strcspn(p, ",");
            has[n] = !(len == 1 && *p == '-');
            v[n] = has[n] ? strtod(p, NULL) : 0;
            p += len + (p[len] == ',');
        }
        assert_int_equal(n, r.nvars);
        double lhs, rhs;
        int got = rule_eval(&r, v, has, atoi(l.f[2]), &lhs, &rhs);
        int want = strcmp(l.f[3], "pass") == 0 ? RULE_PASS : strcmp(l.f[3], "fail") == 0 ? RULE_FAIL : RULE_SKIP;
        if (got != want)
            print_error("line %d: '%s' gave %d, expected %s\n", l.lineno, l.f[0], got, l.f[3]);
        assert_int_equal(got, want);
        rule_free(&r);
        cases++;
    }
    fclose(f);
    assert_true(cases >= 25);
}

static void test_rule_parts(void **state)
{
    (void)state;
    rule_t r;
    err_t e;
    assert_int_equal(rule_parse("a + b == a * c", &r, &e), 0);
    assert_int_equal(r.op, RULE_EQ);
    assert_int_equal(r.nvars, 3);               /* a counted once over both sides */
    assert_string_equal(r.vars[0], "a");
    assert_string_equal(r.vars[2], "c");
    rule_free(&r);
    assert_int_equal(rule_parse("a <= b <= c", &r, &e), -1);
    assert_non_null(strstr(e.msg, "8"));        /* the position of the second comparison */
    assert_int_equal(rule_parse("a + * b >= 0", &r, &e), -1);
    assert_non_null(strstr(e.msg, "trái") ? e.msg : strstr(e.msg, "left"));
    assert_int_equal(rule_make("bad code", "a >= 0", "error", "", &r, &e), -1);
    assert_int_equal(rule_make("r1", "a >= 0", "fatal", "", &r, &e), -1);
    assert_int_equal(rule_make("r1", "a >= 0", "cảnh báo", "m", &r, &e), 0);
    assert_int_equal(r.severity, RULE_WARNING);
    rule_free(&r);
}

static void test_rules_file(void **state)
{
    (void)state;
    static const char good[] = "code,rule,severity,message\nr1,a + b == c,error,Tổng không khớp\n"
                               "r2,\"x >= 0\", warning ,\"âm, xem lại\"\n";
    static const char bad[] = "code,rule,severity,message\nr1,a + b == c,error,m\nr1,x >= 0,error,m\n"
                              "r3,x >=,error,m\nr4,x >= 0,lỗi nặng,m\nr5,x >= 0\n";
    rule_t *r;
    int n;
    buf errs = BUF_INIT;
    err_t e;
    assert_true(rule_file_is_rules(good, sizeof good - 1));
    assert_false(rule_file_is_rules("indicator,min,max\n", 18));
    assert_int_equal(rule_file_parse("r.csv", good, sizeof good - 1, NULL, &r, &n, &errs, &e), 0);
    assert_int_equal(n, 2);
    assert_string_equal(r[1].message, "âm, xem lại");
    assert_int_equal(r[1].severity, RULE_WARNING);
    for (int k = 0; k < n; k++)
        rule_free(&r[k]);
    free(r);
    assert_int_equal(rule_file_parse("r.csv", bad, sizeof bad - 1, NULL, &r, &n, &errs, &e), -1);
    assert_null(r);
    const char *t = buf_str(&errs);
    assert_non_null(strstr(t, "r.csv, dòng 3, cột 1 (code)") ? t : strstr(t, "r.csv, row 3, column 1 (code)"));
    assert_non_null(strstr(t, "dòng 4, cột 2 (rule)") ? t : strstr(t, "row 4, column 2 (rule)"));
    assert_non_null(strstr(t, "dòng 5, cột 3 (severity)") ? t : strstr(t, "row 5, column 3 (severity)"));
    assert_non_null(strstr(t, "dòng 6") ? t : strstr(t, "row 6"));
    buf_reset(&errs);
    assert_int_equal(rule_file_parse("r.csv", "code,rule\nr,a>0\n", 16, NULL, &r, &n, &errs, &e), -1);
    assert_non_null(strstr(e.msg, "code,rule,severity,message"));
    /* bounds */
    outlier_bound *b;
    static const char bounds[] = "indicator,min,max\nty_le,0,100\nthu,\"1.000,5\",\nx,,\n";
    assert_true(outlier_file_is_bounds(bounds, sizeof bounds - 1));
    assert_int_equal(outlier_bounds_parse("b.csv", bounds, sizeof bounds - 1, &b, &n, &errs, &e), 0);
    assert_int_equal(n, 3);
    assert_true(b[0].has_min && b[0].has_max && b[0].max == 100);
    assert_true(b[1].has_min && !b[1].has_max && b[1].min == 1000.5);
    assert_true(!b[2].has_min && !b[2].has_max);
    free(b);
    buf_reset(&errs);
    assert_int_equal(outlier_bounds_parse("b.csv", "indicator,min,max\nx,5,1\ny,abc,\n", 33, &b, &n, &errs, &e), -1);
    assert_non_null(strstr(buf_str(&errs), "b.csv"));
    assert_non_null(strstr(buf_str(&errs), "abc"));
    buf_free(&errs);
}

static void test_mad(void **state)
{
    (void)state;
    double med, z;
    double ref[] = { 10, 11, 12, 11, 10 };
    assert_int_equal(outlier_mad(ref, 5, 30, 3.5, &med, &z), 1);
    assert_true(med == 11);
    assert_true(z > 3.5);                      /* 0.6745 * 19 / 1 */
    double ref2[] = { 10, 11, 12, 11, 10 };
    assert_int_equal(outlier_mad(ref2, 5, 12, 3.5, &med, &z), 0);
    double flat[] = { 7, 7, 7 };
    assert_int_equal(outlier_mad(flat, 3, 9, 3.5, &med, &z), 0);   /* no spread: nothing to judge by */
    double half[] = { 5, 5, 5, 5, 9 };                             /* MAD 0: mean deviation stands in */
    assert_int_equal(outlier_mad(half, 5, 100, 3.5, &med, &z), 1);
    assert_true(med == 5 && z > 3.5);
}

/* ---- end to end on a database ---- */

static char db[64];
static web_app *app;

/* city -> d1 -> w1, w2; city -> d2; dv, dvm entered at wards and districts; a + b == c; tl a rate */
static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\nd1,Quận ủy Một,city,Quận ủy\nd2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Phường Một,d1,Đảng ủy phường\nw2,Phường Hai,d1,Đảng ủy phường\nw3,Phường Ba,d1,Đảng ủy phường\n"
    "w4,Phường Bốn,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,formula,decimals\ndv,Đảng viên,,0\ndvm,Đảng viên mới,,0\na,A,,1\nb,B,,1\nc,C,,1\n"
    "tl,Tỷ lệ,,1\nkn,Kết nạp,,0\nx1,X1,,0\nx2,X2,,0\nxr,Tỷ lệ X,x1 / x2 * 100,1\n";
static const char rules_csv[] =
    "code,rule,severity,message\n"
    "moi,dvm <= dv,error,Đảng viên mới không vượt tổng số\n"
    "tong,a + b == c,error,C là tổng của A và B\n"
    "tyle,tl <= 100,warning,Tỷ lệ trên 100%\n"
    "xr,xr <= 60,error,Tỷ lệ X không quá 60%\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static const write_actor cli_actor = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };

static void remove_db(void)
{
    wt_remove_db(db);
}

/* Imports csv as the command line does; returns write_import's result (errors into errs). */
static int import_csv(const char *csv, buf *errs)
{
    store *s;
    err_t e;
    import_stats st;
    import_source src = { "file.csv", csv, strlen(csv) };
    import_opts o = { .who = "cli" };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    buf_reset(errs);
    int r = write_import(s, &cli_actor, &src, 1, &o, &st, errs, NULL, &e);
    if (r != 0)
        assert_false(st.internal);
    store_close(s);
    return r;
}

/* The stored value of (ind, unit, period), or -1 when there is none. */
static double stored(const char *ind, const char *unit, const char *per)
{
    store *s;
    model *m = model_new();
    err_t e;
    period_t p;
    cell_t c = { 0 };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    assert_int_equal(period_parse(per, strlen(per), &p), 0);
    int got = store_get_cell(s, m, 0, model_ind_find(m, ind), model_unit_find(m, unit), p, &c, &e);
    assert_true(got >= 0);
    free(c.comment);
    store_close(s);
    model_free(m);
    return got ? c.v : -1;
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-rule-%ld.db", (long)getpid());
    remove_db();
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv) };
    import_opts o = { .who = "test" };
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(write_import(s, &cli_actor, src, 2, &o, &st, &errs, NULL, &e), 0);
    /* a violation stored before the rules existed: the validation run must find it */
    static const char before[] = "indicator,unit,period,value\ndv,w2,2023,4\ndvm,w2,2023,9\n";
    import_source b = SRC("before.csv", before);
    assert_int_equal(write_import(s, &cli_actor, &b, 1, &o, &st, &errs, NULL, &e), 0);
    model *m = model_new();
    rule_t *r;
    int n;
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    assert_int_equal(rule_file_parse("rules.csv", rules_csv, sizeof rules_csv - 1, m, &r, &n, &errs, &e), 0);
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_rule_put(s, r, n, 1, &e), 0);
    outlier_bound tl = { "tl", -1, 1, 1, 0, 100 };
    assert_int_equal(store_bound_put(s, &tl, 1, 1, &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    for (int k = 0; k < n; k++)
        rule_free(&r[k]);
    free(r);
    model_free(m);
    buf_free(&errs);
    store_close(s);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_db();
    return 0;
}

static int has(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        return 1;
    print_error("'%s' not in: %s\n", needle, hay);
    return 0;
}

static void test_import_checked(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    /* an error refuses the whole file, naming file, row, rule, unit, period and both sides */
    assert_int_not_equal(import_csv("indicator,unit,period,value\nkn,w1,2023,3\ndv,w1,2023,10\ndvm,w1,2023,12\n",
                                    &errs), 0);
    assert_true(has(buf_str(&errs), "'moi'"));
    assert_true(has(buf_str(&errs), "file.csv"));
    assert_true(has(buf_str(&errs), "'w1'"));
    assert_true(has(buf_str(&errs), "2023"));
    assert_true(has(buf_str(&errs), "12"));
    assert_true(has(buf_str(&errs), "10"));
    assert_true(stored("kn", "w1", "2023") == -1);         /* nothing half-written */
    assert_true(stored("dv", "w1", "2023") == -1);
    assert_int_equal(import_csv("indicator,unit,period,value\ndv,w1,2023,10\ndvm,w1,2023,8\n", &errs), 0);
    /* the other operand comes from the database */
    assert_int_not_equal(import_csv("indicator,unit,period,value\ndvm,w1,2023,11\n", &errs), 0);
    assert_true(has(buf_str(&errs), "'moi'"));
    assert_true(stored("dvm", "w1", "2023") == 8);
    /* ... and changes in the same file count: both raised together pass */
    assert_int_equal(import_csv("indicator,unit,period,value\ndvm,w1,2023,11\ndv,w1,2023,12\n", &errs), 0);
    /* a derived operand: d1's members are the sum of its wards' (12 + 4 = 16) */
    assert_int_not_equal(import_csv("indicator,unit,period,value\ndvm,d1,2023,17\n", &errs), 0);
    assert_true(has(buf_str(&errs), "'d1'"));
    assert_true(has(buf_str(&errs), "16"));
    assert_int_equal(import_csv("indicator,unit,period,value\ndvm,d1,2023,16\n", &errs), 0);
    /* equality at the indicators' decimals (1): 0.14 + 0.2 is 0.3 */
    assert_int_equal(import_csv("indicator,unit,period,value\na,w3,2023,0.14\nb,w3,2023,0.2\nc,w3,2023,0.3\n", &errs), 0);
    assert_int_not_equal(import_csv("indicator,unit,period,value\nc,w3,2023,0.5\n", &errs), 0);
    assert_true(has(buf_str(&errs), "'tong'"));
    /* a warning needs a comment on the row */
    assert_int_not_equal(import_csv("indicator,unit,period,value,comment\ntl,w1,2023,120,\n", &errs), 0);
    assert_true(has(buf_str(&errs), "'tyle'"));
    assert_true(stored("tl", "w1", "2023") == -1);
    assert_int_equal(import_csv("indicator,unit,period,value,comment\ntl,w1,2023,120,gồm cả chỉ tiêu năm trước\n",
                                &errs), 0);
    assert_true(stored("tl", "w1", "2023") == 120);
    /* a rule on a formula indicator is checked when one of its operands is written */
    assert_int_equal(import_csv("indicator,unit,period,value\nx2,w1,2023,10\n", &errs), 0);
    assert_int_not_equal(import_csv("indicator,unit,period,value\nx1,w1,2023,7\n", &errs), 0);
    assert_true(has(buf_str(&errs), "'xr'"));
    assert_true(has(buf_str(&errs), "70"));
    assert_int_equal(import_csv("indicator,unit,period,value\nx1,w1,2023,6\n", &errs), 0);
    /* a dry run reports the same refusal */
    store *s;
    err_t e;
    import_stats st;
    static const char dry[] = "indicator,unit,period,value\ndvm,w1,2023,50\n";
    import_source src = SRC("dry.csv", dry);
    import_opts o = { .who = "cli", .dry_run = 1 };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    buf_reset(&errs);
    assert_int_not_equal(write_import(s, &cli_actor, &src, 1, &o, &st, &errs, NULL, &e), 0);
    assert_true(has(buf_str(&errs), "'moi'"));
    store_close(s);
    buf_free(&errs);
}

/* ---- the web form and the API ---- */

/* send(): path may carry "?query" (web_client.h). */
static int send(const client *c, const char *method, const char *path, const char *form, const char *json,
                http_resp *rs)
{
    return wt_send(app, c, &(wt_request){ .method = method, .path = path, .form = form, .json = json }, rs);
}

static void login(client *c, const char *user)
{
    assert_int_equal(wt_login(app, c, user, "mat-khau-thu-nghiem", NULL, NULL), 303);
    assert_true(c->csrf[0]);
}

static void open_app(client *web, client *tok)
{
    err_t e;
    store *s;
    char hash[AUTH_HASH_MAX], digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(wt_test_hash("mat-khau-thu-nghiem", hash), 0);
    web_user u = { .login = "bt", .role = "editor", .unit = "d1" };
    static int added;
    if (!added++)
        assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    memset(tok, 0, sizeof *tok);
    auth_random_token(tok->bearer);
    auth_token_digest(tok->bearer, digest);
    assert_int_equal(store_token_put(s, digest, "bt", "t", &e), 0);
    store_close(s);
    assert_int_equal(web_open(db, 2, &app, &e), 0);
    app->log = fopen("/dev/null", "w");
    login(web, "bt");
}

static void close_app(void)
{
    web_idle(app);
    fclose(app->log);
    web_close(app);
    app = NULL;
}

static void test_form_and_api_checked(void **state)
{
    (void)state;
    client web, tok;
    http_resp rs;
    char form[256];
    open_app(&web, &tok);
    /* the entry form: refused with the rule named, nothing stored */
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2024&action=save&v_dv=5&o_dv=&v_dvm=7&o_dvm=", web.csrf);
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 400);
    assert_true(has(buf_str(&rs.body), "moi"));
    http_resp_free(&rs);
    assert_true(stored("dvm", "w4", "2024") == -1 && stored("dv", "w4", "2024") == -1);
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2024&action=save&v_dv=5&o_dv=&v_dvm=3&o_dvm=", web.csrf);
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 303);
    http_resp_free(&rs);
    assert_true(stored("dvm", "w4", "2024") == 3);
    /* the API: 422 with the row, field "rule" and both sides */
    assert_int_equal(send(&tok, "POST", "/api/v1/values", NULL,
                          "{\"values\":[{\"indicator\":\"dvm\",\"unit\":\"w4\",\"period\":\"2024\",\"value\":6}]}", &rs),
                     422);
    assert_true(has(buf_str(&rs.body), "\"field\":\"rule\""));
    assert_true(has(buf_str(&rs.body), "6") && has(buf_str(&rs.body), "'w4'"));
    assert_true(has(buf_str(&rs.body), "moi"));
    http_resp_free(&rs);
    assert_true(stored("dvm", "w4", "2024") == 3);
    /* a warning: refused without a comment, accepted with one */
    assert_int_equal(send(&tok, "POST", "/api/v1/values", NULL,
                          "{\"values\":[{\"indicator\":\"tl\",\"unit\":\"w4\",\"period\":\"2024\",\"value\":130}]}", &rs),
                     422);
    assert_true(has(buf_str(&rs.body), "tyle"));
    http_resp_free(&rs);
    assert_int_equal(send(&tok, "POST", "/api/v1/values", NULL,
                          "{\"values\":[{\"indicator\":\"tl\",\"unit\":\"w4\",\"period\":\"2024\",\"value\":130,"
                          "\"comment\":\"tính cả chỉ tiêu bổ sung\"}]}", &rs), 200);
    http_resp_free(&rs);
    assert_true(stored("tl", "w4", "2024") == 130);
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2025&action=save&v_tl=140&o_tl=&c_tl=", web.csrf);
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 400);
    assert_true(has(buf_str(&rs.body), "tyle"));
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2025&action=save&v_tl=140&o_tl=&c_tl=%s", web.csrf,
             "%C4%91%C3%BAng");
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 303);
    http_resp_free(&rs);
    assert_true(stored("tl", "w4", "2025") == 140);
    /* the form: a rate's rule through its operand, the other operand read from the database */
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2025&action=save&v_x2=10&o_x2=", web.csrf);
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 303);
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=w4&period=2025&action=save&v_x1=8&o_x1=", web.csrf);
    assert_int_equal(send(&web, "POST", "/entry", form, NULL, &rs), 400);
    assert_true(has(buf_str(&rs.body), "xr &lt;= 60") || has(buf_str(&rs.body), "xr <= 60"));
    http_resp_free(&rs);
    assert_true(stored("x1", "w4", "2025") == -1);
    close_app();
}

/* ---- the validation run ---- */

static void test_validation_run(void **state)
{
    (void)state;
    store *s;
    model *m = model_new();
    err_t e;
    period_t p;
    validate_result r;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    assert_int_equal(period_parse("2023", 4, &p), 0);
    assert_int_equal(validate_run(s, m, model_unit_find(m, "city"), p, 0, &r, &e), 0);
    int found = 0;
    for (int k = 0; k < r.nviol; k++)
        if (r.viol[k].unit == model_unit_find(m, "w2") && strcmp(r.rules[r.viol[k].rule].code, "moi") == 0) {
            assert_true(r.viol[k].lhs == 9 && r.viol[k].rhs == 4);
            found++;
        }
    assert_int_equal(found, 1);
    assert_true(r.errors >= 1);
    validate_free(&r);
    /* a subtree without it */
    assert_int_equal(validate_run(s, m, model_unit_find(m, "d2"), p, 0, &r, &e), 0);
    assert_int_equal(r.nviol, 0);
    validate_free(&r);
    store_close(s);
    model_free(m);
    /* the command, as CSV */
    char out[96];
    snprintf(out, sizeof out, "%s.csv", db);
    char *argv[] = { "validate", "--db", db, "--unit", "d1", "--period", "2023", "--format", "csv", "-o", out, NULL };
    assert_int_equal(cmd_validate(11, argv), 0);
    FILE *f = fopen(out, "r");
    char text[4096] = { 0 };
    assert_non_null(f);
    assert_true(fread(text, 1, sizeof text - 1, f) > 0);
    fclose(f);
    remove(out);
    assert_true(has(text, "type,code,severity,unit,period,indicator,value,reference,message\n"));
    assert_true(has(text, "rule,moi,error,w2,2023,dvm <= dv,9,4,"));
    char *bad[] = { "validate", "--db", db, "--unit", "d1", "--bogus", NULL };
    assert_int_equal(cmd_validate(6, bad), 2);
    /* the API and the page */
    client web, tok;
    http_resp rs;
    open_app(&web, &tok);
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d1&period=2023", NULL, NULL, &rs), 200);
    assert_true(has(buf_str(&rs.body), "\"validation\""));
    assert_true(has(buf_str(&rs.body), "\"moi\""));
    assert_true(has(buf_str(&rs.body), "\"w2\""));
    assert_null(strstr(buf_str(&rs.body), "\"outlier\""));
    http_resp_free(&rs);
    /* tl = 120 at w1 (accepted with a comment) lies above its bound 100 */
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d1&period=2023&outliers=true", NULL, NULL, &rs), 200);
    assert_true(has(buf_str(&rs.body), "{\"type\":\"outlier\",\"code\":\"bounds\",\"indicator\":\"tl\",\"unit\":\"w1\""));
    http_resp_free(&rs);
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d1&period=2023&outliers=maybe", NULL, NULL, &rs), 400);
    http_resp_free(&rs);
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d1&period=2023&limit=1&offset=5", NULL, NULL, &rs), 200);
    assert_null(strstr(buf_str(&rs.body), "\"moi\""));
    http_resp_free(&rs);
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d2&period=2023", NULL, NULL, &rs), 403);
    http_resp_free(&rs);
    assert_int_equal(send(&tok, "GET", "/api/v1/validation?unit=d1&period=x", NULL, NULL, &rs), 400);
    http_resp_free(&rs);
    assert_int_equal(send(&web, "GET", "/validation?unit=d1&period=2023", NULL, NULL, &rs), 200);
    assert_true(has(buf_str(&rs.body), "id=\"violations\""));
    assert_true(has(buf_str(&rs.body), "Phường Hai"));
    assert_true(has(buf_str(&rs.body), "Số liệu bất thường cần xem lại"));
    http_resp_free(&rs);
    assert_int_equal(send(&web, "GET", "/validation?unit=d1&period=2023&outliers=0", NULL, NULL, &rs), 200);
    assert_null(strstr(buf_str(&rs.body), "Số liệu bất thường cần xem lại"));
    http_resp_free(&rs);
    assert_int_equal(send(&web, "GET", "/validation?unit=d2&period=2023", NULL, NULL, &rs), 403);
    http_resp_free(&rs);
    close_app();
}

/* ---- outliers ---- */

static void test_outliers(void **state)
{
    (void)state;
    model *m = model_new();
    err_t e;
    static const char *const units[][2] = { { "t", "" }, { "u1", "t" }, { "u2", "t" }, { "u3", "t" }, { "u4", "t" },
                                            { "u5", "t" } };
    for (int k = 0; k < 6; k++)
        assert_true(model_put_unit(m, units[k][0], units[k][0], units[k][1], "x", 0, 0) >= 0);
    ind_t d = { .code = "kn", .name = "kn", .group = "", .set = "", .measure = "", .parent_code = "",
                .formula_src = "", .dir = DIR_UP, .uagg = AGG_SUM, .pagg = AGG_SUM, .decimals = 0 };
    assert_true(model_put_ind(m, &d) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    int kn = model_ind_find(m, "kn");
    /* u1: 10, 11, 12, 11 then 40; the others steady around 20, u5 at 22 */
    double hist[] = { 10, 11, 12, 11 };
    for (int y = 0; y < 4; y++) {
        period_t py = { P_YEAR, 0, (uint16_t)(2019 + y), (uint16_t)(2019 + y) };
        assert_int_equal(model_put_value(m, kn, model_unit_find(m, "u1"), py, hist[y], NULL), 0);
    }
    period_t p = { P_YEAR, 0, 2023, 2023 };
    double now[] = { 40, 20, 21, 19, 22 };
    for (int k = 0; k < 5; k++)
        assert_int_equal(model_put_value(m, kn, 1 + k, p, now[k], NULL), 0);
    outlier_bound b = { "kn", -1, 0, 1, 0, 21.5 };
    outlier_bounds_bind(&b, 1, m);
    assert_int_equal(b.ind, kn);
    outlier_opts o = { 0 };
    outlier_flag *f = NULL;
    int n = 0;
    assert_int_equal(outlier_run(m, &b, 1, &o, model_unit_find(m, "t"), p, &f, &n, &e), 0);
    int history = 0, peers = 0, bounds = 0;
    for (int k = 0; k < n; k++) {
        if (f[k].kind == OUT_HISTORY) {
            assert_int_equal(f[k].unit, model_unit_find(m, "u1"));
            assert_true(f[k].ref == 11 && f[k].npoints == 4);
            history++;
        }
        if (f[k].kind == OUT_PEERS) {
            assert_int_equal(f[k].unit, model_unit_find(m, "u1"));
            peers++;
        }
        bounds += f[k].kind == OUT_BOUNDS;
    }
    assert_int_equal(history, 1);
    assert_int_equal(peers, 1);
    assert_int_equal(bounds, 2);                /* 40 and 22 above 21.5 */
    free(f);
    /* a higher k lets the peers' spread pass */
    o.k = 1000;
    f = NULL;
    n = 0;
    assert_int_equal(outlier_run(m, NULL, 0, &o, model_unit_find(m, "t"), p, &f, &n, &e), 0);
    assert_int_equal(n, 0);
    free(f);
    model_free(m);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_cases),
        cmocka_unit_test(test_rule_parts),
        cmocka_unit_test(test_rules_file),
        cmocka_unit_test(test_mad),
        cmocka_unit_test(test_outliers),
        cmocka_unit_test(test_import_checked),
        cmocka_unit_test(test_form_and_api_checked),
        cmocka_unit_test(test_validation_run),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
