/* test_write.c - the one door for writes (write.h): every web route and CLI command that changes
 * figures goes through it (counted by write_commits, and no other source file calls the store's
 * figure writers); locks hold for descendants, sub-periods, terms and every indicator; `expected`
 * is decided against the database, not a stale model; concurrent imports and API saves queue and
 * every accepted change is in the history; a large import compares with the figures as they are
 * inside its transaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth.h"
#include "cmd.h"
#include "http.h"
#include "import.h"
#include "store.h"
#include "store_web.h"
#include "web.h"
#include "write.h"

#include "web_client.h"

static char db[64];

/* city -> d1 -> w1, w2; city -> d2; kn and tl entered, ty computed from them */
static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\nd1,Quận ủy Một,city,Quận ủy\nd2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Phường Một,d1,Đảng ủy phường\nw2,Phường Hai,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,formula\nkn,Kết nạp,\ntl,Tỷ lệ,\nty,Tổng,kn + tl\n";
static const char terms_csv[] = "period,name\n2020-2025,Nhiệm kỳ 2020–2025\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static const write_actor cli_actor = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };

static void remove_db(void)
{
    wt_remove_db(db);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-write-%ld.db", (long)getpid());
    remove_db();
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv), SRC("terms.csv", terms_csv) };
    import_opts o = { .who = "test" };
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(write_import(s, &cli_actor, src, 3, &o, &st, &errs, NULL, &e), 0);
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

/* Imports csv as the command line does; returns write_import's result (errors into errs). */
static int import_csv(const char *csv, const write_actor *a, import_stats *st, buf *errs)
{
    store *s;
    err_t e;
    import_source src = { "file.csv", csv, strlen(csv) };
    import_opts o = { .who = a->login };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    int r = write_import(s, a, &src, 1, &o, st, errs, NULL, &e);
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

static void set_state(const char *unit, const char *per, int state, const char *who)
{
    store *s;
    err_t e;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_sub_put(s, unit, per, state, who, "", &e), 0);
    store_close(s);
}

/* ---- the door: sources, routes and commands ---- */

/* No source file but the write module calls the store's writers of figures and workflow state,
 * or runs an import (import.c's own writes run inside import_run). */
static void test_sources_use_the_door(void **state)
{
    (void)state;
    static const char *const writers[] = { "store_put_value(", "store_put_target(", "store_sub_put(", "import_run(" };
    static const char *const allowed[] = { "src/write.c", "src/import.c", "src/store_sqlite.c", "src/store_sqlite_web.c",
                                           "src/store.h", "src/store_web.h", "src/import.h" };
    FILE *ls = popen("ls src/*.c src/*.h", "r");
    char path[256];
    int files = 0;
    assert_non_null(ls);
    while (fgets(path, sizeof path, ls)) {
        path[strcspn(path, "\n")] = '\0';
        int ok = 0;
        for (size_t k = 0; k < sizeof allowed / sizeof *allowed; k++)
            ok |= strcmp(path, allowed[k]) == 0;
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        files++;
        char line[4096];
        for (int no = 1; fgets(line, sizeof line, f); no++)
            for (size_t w = 0; w < sizeof writers / sizeof *writers; w++)
                if (strstr(line, writers[w]) && !ok) {
                    print_error("%s:%d calls %s outside the write module (write.h)\n", path, no, writers[w]);
                    fail();
                }
        fclose(f);
    }
    pclose(ls);
    assert_true(files > 40);
}

static web_app *app;

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

static int upload(const client *c, const char *path, const char *content, http_resp *rs)
{
    http_req rq;
    err_t e;
    buf body = BUF_INIT;
    http_req_init(&rq);
    http_resp_init(rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "%s", path);
    snprintf(rq.cookie, sizeof rq.cookie, "%s", c->cookie);
    snprintf(rq.ctype, sizeof rq.ctype, "multipart/form-data; boundary=BoUnD");
    buf_printf(&body, "--BoUnD\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                      "--BoUnD\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\ncommit\r\n"
                      "--BoUnD\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n"
                      "Content-Type: text/csv\r\n\r\n%s\r\n--BoUnD--\r\n", c->csrf, content);
    assert_int_equal(http_parse_multipart(&rq.form, rq.ctype, buf_str(&body), body.len, &e), 0);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
    buf_free(&body);
    return rs->status;
}

/* Every POST route is listed here: those that change figures or their workflow state are sent
 * a request that changes something, which must commit through the write module; the others
 * (sessions, users, tasks) are named so that a new route cannot slip by unclassified. */
static void test_routes_use_the_door(void **state)
{
    (void)state;
    static const char *const others[] = { "/login", "/logout", "/password", "/admin/users", "/task",
                                          "/class", "/api/v1/class/steps" /* classification steps, no figure */,
                                          "/api/v1/users", "/api/v1/users/disable", "/api/v1/users/enable",
                                          "/api/v1/tokens", "/api/v1/tasks/progress" };
    err_t e;
    store *s;
    char hash[AUTH_HASH_MAX], digest[AUTH_DIGEST_LEN + 1];
    client root, tok = { 0 };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(wt_test_hash("mat-khau-thu-nghiem", hash), 0);
    web_user u = { .login = "root", .role = "admin", .unit = "city" };
    assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    auth_random_token(tok.bearer);
    auth_token_digest(tok.bearer, digest);
    assert_int_equal(store_token_put(s, digest, "root", "t", &e), 0);
    store_close(s);
    assert_int_equal(web_open(db, 2, &app, &e), 0);
    app->log = fopen("/dev/null", "w");
    login(&root, "root");
    char form[256];
    /* one changing request per route that writes figures or workflow state */
    struct { const char *path; const char *form, *json; int upload; } writers[] = {
        { "/entry", "unit=w1&period=2030&action=save&v_kn=5&o_kn=", NULL, 0 },
        { "/entry", "unit=w2&period=2030&action=submit&v_kn=6&o_kn=", NULL, 0 },
        { "/approval", "unit=w2&period=2030&action=approve", NULL, 0 },
        { "/import", NULL, NULL, 1 },
        { "/admin/data", "action=target&ind=kn&unit=w1&period=2030&value=9", NULL, 0 },
        { "/api/v1/values", NULL, "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d2\",\"period\":\"2030\",\"value\":4}]}", 0 },
        { "/api/v1/targets", NULL, "{\"targets\":[{\"indicator\":\"kn\",\"unit\":\"d2\",\"period\":\"2030\",\"target\":4}]}", 0 },
        { "/api/v1/units", NULL, "{\"units\":[{\"code\":\"w77\",\"name\":\"W77\",\"parent\":\"city\"}]}", 0 },
        { "/api/v1/indicators", NULL, "{\"indicators\":[{\"code\":\"kn\",\"name\":\"Kết nạp\"}]}", 0 },
        { "/api/v1/import", NULL, NULL, 1 },
        { "/api/v1/approval/submit", NULL, "{\"unit\":\"d2\",\"period\":\"2030\"}", 0 },
        { "/api/v1/approval/return", NULL, "{\"unit\":\"d2\",\"period\":\"2030\",\"reason\":\"r\"}", 0 },
        { "/api/v1/approval/approve", NULL, "{\"unit\":\"w2\",\"period\":\"2031\"}", 0 },
        { "/api/v1/approval/unlock", NULL, "{\"unit\":\"w2\",\"period\":\"2030\",\"reason\":\"r\"}", 0 },
    };
    set_state("w2", "2031", SUB_SUBMITTED, "x");
    const char *method, *path;
    for (size_t i = 0; web_route_at(i, &method, &path); i++) {
        if (strcmp(method, "POST") != 0)
            continue;
        int known = 0, exercised = 0;
        for (size_t k = 0; k < sizeof others / sizeof *others; k++)
            known |= strcmp(path, others[k]) == 0;
        for (size_t k = 0; k < sizeof writers / sizeof *writers; k++) {
            if (strcmp(path, writers[k].path) != 0)
                continue;
            long before = write_commits();
            http_resp rs;
            int st;
            if (writers[k].upload)
                st = upload(&root, path, "indicator,unit,period,value\nkn,w1,2029,3\n", &rs);
            else if (writers[k].json)
                st = send(&tok, "POST", path, NULL, writers[k].json, &rs);
            else {
                snprintf(form, sizeof form, "csrf=%s&%s", root.csrf, writers[k].form);
                st = send(&root, "POST", path, form, NULL, &rs);
            }
            if (st >= 400)
                print_error("%s: %d %s\n", path, st, buf_str(&rs.body));
            http_resp_free(&rs);
            assert_true(st < 400);
            if (write_commits() <= before)
                print_error("POST %s changed data without the write module\n", path);
            assert_true(write_commits() > before);
            exercised = 1;
        }
        if (!known && !exercised)
            print_error("POST %s is not classified: does it write figures? add it to this test\n", path);
        assert_true(known || exercised);
    }
    assert_true(stored("kn", "w1", "2029") == 3);
    web_idle(app);
    fclose(app->log);
    web_close(app);
    app = NULL;
}

/* Runs a subcommand as main does (argv[0] is its name). */
static int run_cmd(int (*fn)(int, char **), const char *const *args)
{
    char *argv[16];
    int argc = 0;
    for (; args[argc] && argc < 15; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    fflush(stdout);
    return fn(argc, argv);
}

/* Every command of main.c's table is classified; those that write figures or workflow state
 * commit through the write module. */
static void test_commands_use_the_door(void **state)
{
    (void)state;
    static const char *const readers[] = { "init", "units", "indicators", "eval", "report", "export", "template",
                                           "convert", "history", "serve", "user", "token", "tasks", "remind", "ics",
                                           "rollup", "gen", "rules", "validate", "deadlines", "completeness",
                                           "settings" /* a display setting in meta (partial_aggregates), no figure */,
                                           "backup" /* reads one snapshot into another file */ };
    /* replaces the whole file with a verified copy (backup API), never a figure of a live database:
     * a database holding data is refused without --force */
    static const char *const whole[] = { "restore" };
    static const char *const writers[] = { "import", "approval", "demo", "class" /* class rates: write_values */ };
    FILE *f = fopen("src/main.c", "r");
    char line[512];
    int n = 0;
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        const char *q = strstr(line, "{ \""), *c = strstr(line, ", cmd_");
        if (q == NULL || c == NULL)
            continue;
        char name[32];
        snprintf(name, sizeof name, "%.*s", (int)strcspn(q + 3, "\""), q + 3);
        int known = 0;
        for (size_t k = 0; k < sizeof readers / sizeof *readers; k++)
            known |= strcmp(name, readers[k]) == 0;
        for (size_t k = 0; k < sizeof writers / sizeof *writers; k++)
            known |= strcmp(name, writers[k]) == 0;
        for (size_t k = 0; k < sizeof whole / sizeof *whole; k++)
            known |= strcmp(name, whole[k]) == 0;
        if (!known)
            print_error("command '%s' is not classified: does it write figures? add it to this test\n", name);
        assert_true(known);
        n++;
    }
    fclose(f);
    assert_true(n >= 20);
    /* the writers commit through the write module */
    char csv[80], demo[80];
    snprintf(csv, sizeof csv, "%s.csv", db);
    snprintf(demo, sizeof demo, "%s-demo.db", db);
    FILE *o = fopen(csv, "w");
    assert_non_null(o);
    fputs("indicator,unit,period,value\nkn,d2,2028,8\n", o);
    fclose(o);
    long before = write_commits();
    const char *imp[] = { "import", "--db", db, csv, NULL };
    assert_int_equal(run_cmd(cmd_import, imp), 0);
    assert_true(write_commits() == before + 1);
    const char *sub[] = { "approval", "submit", "--db", db, "--unit", "d2", "--period", "2028", "--user", "root", NULL };
    assert_int_equal(run_cmd(cmd_approval, sub), 0);
    assert_true(write_commits() == before + 2);
    const char *dem[] = { "demo", "--db", demo, NULL };
    assert_int_equal(run_cmd(cmd_demo, dem), 0);
    assert_true(write_commits() == before + 3);
    /* the submitted district now refuses the command line's import, naming the lock */
    o = fopen(csv, "w");
    fputs("indicator,unit,period,value\nkn,d2,2028,9\n", o);
    fclose(o);
    assert_int_equal(run_cmd(cmd_import, imp), 1);
    assert_true(stored("kn", "d2", "2028") == 8);
    remove(csv);
    remove(demo);
    char side[96];
    snprintf(side, sizeof side, "%s-wal", demo);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", demo);
    remove(side);
}

/* ---- locks ---- */

/* Model of the database as it is now (catalogue only); the caller frees it. */
static model *catalogue(void)
{
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    store_close(s);
    return m;
}

/* A lock on a successor holds its predecessors' values of the periods before the succession:
 * today's structure counts them in its figures (docs/successions.md). */
static void test_successor_locks(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(import_csv("code,name,parent,type,valid_from,valid_to\n"
                                "o7,Phường Bảy,city,Đảng ủy phường,,2025-06-30\no8,Phường Tám,city,Đảng ủy phường,,2025-06-30\n"
                                "n7,Xã Mới,city,Đảng ủy xã,2025-07-01,\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("from,to,date\no7,n7,2025-07-01\no8,n7,2025-07-01\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,o7,2025S1,10\nkn,o8,2025Q2,20\nkn,n7,2025S2,5\n",
                                &cli_actor, &st, &errs), 0);
    set_state("n7", "2025", SUB_APPROVED, "duyet7");
    static const char *const refused[] = { "indicator,unit,period,value\nkn,o7,2025S1,100\n",
                                           "indicator,unit,period,value\nkn,o8,2025-05,1\n" };
    for (size_t k = 0; k < 2; k++) {
        buf_reset(&errs);
        assert_int_not_equal(import_csv(refused[k], &cli_actor, &st, &errs), 0);
        assert_non_null(strstr(buf_str(&errs), "'n7' kỳ 2025"));
    }
    assert_true(stored("kn", "o7", "2025S1") == 10);
    /* the form and the API (write_values) and a deletion (write_delete) alike */
    store *s;
    model *mm = model_new();
    err_t e;
    int changed, outside, deleted;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, mm, 0, &e), 0);
    write_row wr = { WRITE_VALUE, model_ind_find(mm, "kn"), model_unit_find(mm, "o7"), { P_HALF, 1, 2025, 2025 }, 3,
                     NULL, NULL, NULL };
    buf_reset(&errs);
    assert_int_equal(write_values(s, mm, &cli_actor, &wr, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(buf_str(&errs), "\tlocked\t"));
    buf_reset(&errs);
    assert_int_equal(write_delete(s, mm, &cli_actor, &wr, 1, "sai", NULL, &errs, &deleted, &e), 0);
    assert_int_equal(deleted, 0);
    assert_non_null(strstr(buf_str(&errs), "\tlocked\t"));
    store_close(s);
    model_free(mm);
    assert_true(stored("kn", "o7", "2025S1") == 10);
    /* nor does a succession into it change: a new one, a share changed, one dropped; the same file
     * again changes nothing and passes */
    assert_int_equal(import_csv("code,name,parent,type,valid_from,valid_to\no9,Phường Chín,city,Đảng ủy phường,,2025-06-30\n",
                                &cli_actor, &st, &errs), 0);
    static const char *const succ[] = { "from,to,date\no9,n7,2025-07-01\n",
                                        "from,to,date,share\no7,n7,2025-07-01,0.5\no7,w1,2025-07-01,0.5\n",
                                        "from,to,date\no8,w1,2025-07-01\n" };
    for (size_t k = 0; k < 3; k++) {
        buf_reset(&errs);
        assert_int_not_equal(import_csv(succ[k], &cli_actor, &st, &errs), 0);
        assert_non_null(strstr(buf_str(&errs), "'n7' kỳ 2025"));
    }
    buf_reset(&errs);
    assert_int_equal(import_csv("from,to,date\no7,n7,2025-07-01\no8,n7,2025-07-01\n", &cli_actor, &st, &errs), 0);
    model *m = catalogue();
    int n = 0;
    model_preds(m, model_unit_find(m, "n7"), &n);
    assert_int_equal(n, 2);
    model_free(m);
    /* a year before the locked one, and another unit's, stay open */
    buf_reset(&errs);
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,o7,2024,3\nkn,w1,2025S1,4\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(st.errors, 0);
    buf_free(&errs);
}

/* A lock also holds against the catalogue: an indicator's formula, aggregation, unit of measure,
 * decimals or direction, and the units an approved total adds up (a ward moved out, a new ward, a
 * ward ended within the locked period) cannot change under it; names, and units joining or
 * leaving after the locked period, can. */
static void test_catalogue_locks(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(import_csv("code,name,parent,type\nd3,Quận ủy Ba,city,Quận ủy\n"
                                "w31,Phường 31,d3,Đảng ủy phường\nw32,Phường 32,d3,Đảng ủy phường\n",
                                &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("code,name,unit,unit_aggregation,formula,decimals\n"
                                "cn,Chi bộ,chi bộ,sum,,0\ncr,Gấp đôi,chi bộ,sum,cn * 2,0\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("indicator,unit,period,value\ncn,w31,2023,10\ncn,w32,2023,20\n", &cli_actor, &st, &errs), 0);
    set_state("d3", "2023", SUB_APPROVED, "duyet3");
    static const char *const refused[] = {
        "code,name,unit,unit_aggregation,formula,decimals\ncr,Gấp đôi,chi bộ,sum,cn * 3,0\n",
        "code,name,unit,unit_aggregation,formula,decimals\ncn,Chi bộ,chi bộ,max,,0\n",
        "code,name,unit,unit_aggregation,formula,decimals\ncn,Chi bộ,nghìn chi bộ,sum,,0\n",
        "code,name,unit,unit_aggregation,formula,decimals\ncn,Chi bộ,chi bộ,sum,,2\n",
        "code,name,unit,unit_aggregation,formula,decimals,direction\ncn,Chi bộ,chi bộ,sum,,0,down\n",
        "code,name,parent,type\nw32,Phường 32,city,Đảng ủy phường\n",
        "code,name,parent,type\nw33,Phường 33,d3,Đảng ủy phường\n",
        "code,name,parent,type,valid_from,valid_to\nw32,Phường 32,d3,Đảng ủy phường,,2023-06-30\n",
        "code,name,parent,type,valid_from,valid_to\nw32,Phường 32,d3,Đảng ủy phường,2023-04-01,\n",
    };
    for (size_t k = 0; k < sizeof refused / sizeof *refused; k++) {
        buf_reset(&errs);
        if (import_csv(refused[k], &cli_actor, &st, &errs) == 0)
            print_error("not refused: %s\n", refused[k]);
        assert_non_null(strstr(buf_str(&errs), k < 5 ? "chỉ tiêu 'c" : "'d3' kỳ 2023"));
    }
    model *m = catalogue();
    const ind_t *cn = &m->inds[model_ind_find(m, "cn")], *cr = &m->inds[model_ind_find(m, "cr")];
    assert_string_equal(cr->formula_src, "cn * 2");
    assert_int_equal(cn->uagg, AGG_SUM);
    assert_string_equal(cn->measure, "chi bộ");
    assert_int_equal(cn->decimals, 0);
    assert_int_equal(cn->dir, DIR_UP);
    int w32 = model_unit_find(m, "w32");
    assert_int_equal(m->units[w32].parent, model_unit_find(m, "d3"));
    assert_int_equal(m->units[w32].valid_from, 0);
    assert_int_equal(m->units[w32].valid_to, 0);
    assert_int_equal(model_unit_find(m, "w33"), -1);
    model_free(m);
    /* allowed: names, a ward from 2024, a ward ended after 2023, a unit outside the locked tree */
    static const char *const allowed[] = {
        "code,name,unit,unit_aggregation,formula,decimals\ncr,Gấp hai lần,chi bộ,sum,cn * 2,0\n",
        "code,name,parent,type\nw32,Phường Ba Hai,d3,Phường\n",
        "code,name,parent,type,valid_from,valid_to\nw34,Phường 34,d3,Đảng ủy phường,2024-01-01,\n",
        "code,name,parent,type,valid_from,valid_to\nw31,Phường 31,d3,Đảng ủy phường,,2024-06-30\n",
        "code,name,parent,type\nd5,Quận ủy Năm,city,Quận ủy\n",
        "code,name,parent,type\nw6,Phường Sáu,d5,Đảng ủy phường\n",
    };
    for (size_t k = 0; k < sizeof allowed / sizeof *allowed; k++) {
        buf_reset(&errs);
        if (import_csv(allowed[k], &cli_actor, &st, &errs) != 0)
            print_error("refused: %s%s\n", allowed[k], buf_str(&errs));
        assert_int_equal(st.errors, 0);
    }
    /* a ward approved itself moves between units that hold no lock: its own figures stay */
    set_state("w6", "2023", SUB_APPROVED, "duyet6");
    buf_reset(&errs);
    assert_int_equal(import_csv("code,name,parent,type\nw6,Phường Sáu,city,Đảng ủy phường\n", &cli_actor, &st, &errs), 0);
    assert_true(stored("cn", "w32", "2023") == 20);
    buf_free(&errs);
}

static void test_locks_cover(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w1,2024,283\nkn,d1,2024,300\n", &cli_actor, &st, &errs), 0);
    set_state("d1", "2024", SUB_APPROVED, "duyet");
    /* a ward below, a quarter and a month within, another indicator (a formula's operand): refused,
     * the lock named (who approved), the rows listed, nothing written */
    static const char *const refused[] = {
        "indicator,unit,period,value\nkn,w1,2024,754\n",
        "indicator,unit,period,value\nkn,w2,2024Q3,1\n",
        "indicator,unit,period,value\ntl,w1,2024-05,1\n",
        "indicator,unit,period,value\nkn,d1,2024S2,1\n",
        "indicator,unit,period,target\nkn,w1,2024,1\nkn,d2,2024,1\n", /* targets: allowed (below) */
    };
    for (int k = 0; k < 4; k++) {
        buf_reset(&errs);
        assert_int_not_equal(import_csv(refused[k], &cli_actor, &st, &errs), 0);
        assert_non_null(strstr(buf_str(&errs), "duyet"));
        assert_non_null(strstr(buf_str(&errs), "d1"));
    }
    buf_reset(&errs);
    assert_int_equal(import_csv(refused[4], &cli_actor, &st, &errs), 0);
    /* a whole file is refused: its open row is not written either, and the row is named */
    buf_reset(&errs);
    assert_int_not_equal(import_csv("indicator,unit,period,value\nkn,d2,2024,7\nkn,w1,2024,754\n", &cli_actor, &st, &errs), 0);
    assert_non_null(strstr(buf_str(&errs), "file.csv"));
    assert_true(stored("kn", "d2", "2024") == -1);
    assert_true(stored("kn", "w1", "2024") == 283);
    /* not protected: a sibling district, another year, the city above, the year of a locked quarter */
    buf_reset(&errs);
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,d2,2024,7\nkn,w1,2023,1\nkn,city,2024,9\n",
                                &cli_actor, &st, &errs), 0);
    set_state("w2", "2022Q1", SUB_APPROVED, "q");
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w2,2022,5\n", &cli_actor, &st, &errs), 0);
    /* a locked term protects its years and their months */
    set_state("d2", "2020-2025", SUB_SUBMITTED, "nhiemky");
    buf_reset(&errs);
    assert_int_not_equal(import_csv("indicator,unit,period,value\nkn,d2,2021-03,1\n", &cli_actor, &st, &errs), 0);
    assert_non_null(strstr(buf_str(&errs), "nhiemky"));
    /* write_values: the same rule, field "locked" */
    store *s;
    model *m = model_new();
    err_t e;
    int changed, outside;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    write_row r = { WRITE_VALUE, model_ind_find(m, "kn"), model_unit_find(m, "w1"), { P_MONTH, 2, 2024, 2024 }, 3,
                    NULL, NULL, NULL };
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &cli_actor, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(buf_str(&errs), "\tlocked\t"));
    /* an editor of d2 may not write w1 at all; the formula indicator is not entered */
    write_actor ed = { "ed", ROLE_EDITOR, model_unit_find(m, "d2"), "api", 0, 0 };
    r.p = (period_t){ P_YEAR, 0, 2019, 2019 };
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &ed, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_non_null(strstr(buf_str(&errs), "\tunit\t"));
    r.ind = model_ind_find(m, "ty");
    r.unit = model_unit_find(m, "d2");
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &ed, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_non_null(strstr(buf_str(&errs), "\tindicator\t"));
    store_close(s);
    model_free(m);
    buf_free(&errs);
}

/* Targets: once a term's targets are approved (a set of its own: "targets:2020-2025"), the same
 * rule holds for the targets of the unit and the units below, on the import and the form path;
 * values stay open, and the values' locks do not freeze targets. */
static void test_target_locks(void **state)
{
    (void)state;
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    int d1 = model_unit_find(m, "d1");
    period_t term = { P_RANGE, 0, 2020, 2025 };
    write_actor admin = { "admin", ROLE_ADMIN, model_unit_find(m, "city"), "cli", 0, 0 };
    write_actor dist = { "qd1", ROLE_ADMIN, d1, "cli", 0, 0 };
    assert_int_equal(write_approval(s, m, &dist, STEP_SUBMIT, 1, d1, term, NULL, &e), 0);
    write_actor own = { "ap", ROLE_APPROVER, d1, "cli", 0, 0 };     /* approves the level below only */
    assert_int_equal(write_approval(s, m, &own, STEP_APPROVE, 1, d1, term, NULL, &e), WRITE_FORBIDDEN);
    assert_int_equal(write_approval(s, m, &admin, STEP_APPROVE, 1, d1, term, NULL, &e), 0);
    assert_int_not_equal(import_csv("indicator,unit,period,target\nkn,w2,2023,10\n", &cli_actor, &st, &errs), 0);
    assert_non_null(strstr(buf_str(&errs), "2020-2025"));
    write_row r = { WRITE_TARGET, model_ind_find(m, "kn"), d1, term, 50, NULL, NULL, NULL };
    int changed, outside;
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &admin, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_non_null(strstr(buf_str(&errs), "\tlocked\t"));
    /* values of the term are not frozen by its targets; targets elsewhere are open */
    buf_reset(&errs);
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w2,2021,1\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("indicator,unit,period,target\nkn,d2,2023,10\nkn,w1,2019,3\n", &cli_actor, &st, &errs), 0);
    /* unlocked by an administrator with a reason */
    assert_int_equal(write_approval(s, m, &admin, STEP_UNLOCK, 1, d1, term, "sửa kế hoạch", &e), 0);
    assert_int_equal(import_csv("indicator,unit,period,target\nkn,w2,2023,10\n", &cli_actor, &st, &errs), 0);
    store_close(s);
    model_free(m);
    buf_free(&errs);
}

/* An approval decides on what the approver saw: a data set whose last step is not the one the
 * approver's page showed (sent again after a return) is refused, and stays as it is. */
static void test_approve_seen(void **state)
{
    (void)state;
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    int d2 = model_unit_find(m, "d2");
    period_t y = { P_YEAR, 0, 2031, 2031 };
    write_actor admin = { "admin", ROLE_ADMIN, model_unit_find(m, "city"), "cli", 0, 0 };
    assert_int_equal(write_approval(s, m, &admin, STEP_SUBMIT, 1, d2, y, NULL, &e), 0);
    web_sub sub;
    assert_int_equal(store_sub_get(s, "d2", "targets:2031", &sub, &e), 1);
    lang_set(LANG_VI);
    assert_int_equal(write_approval_seen(s, m, &admin, STEP_APPROVE, 1, d2, y, NULL, "2000-01-01T00:00:00Z", &e),
                     WRITE_CONFLICT);
    assert_non_null(strstr(e.msg, "'d2' kỳ 2031 đã thay đổi lúc"));
    web_sub after;
    assert_int_equal(store_sub_get(s, "d2", "targets:2031", &after, &e), 1);
    assert_int_equal(after.state, SUB_SUBMITTED);
    assert_string_equal(after.at, sub.at);
    assert_int_equal(write_approval_seen(s, m, &admin, STEP_APPROVE, 1, d2, y, NULL, sub.at, &e), 0);
    assert_int_equal(store_sub_get(s, "d2", "targets:2031", &after, &e), 1);
    assert_int_equal(after.state, SUB_APPROVED);
    assert_int_equal(write_approval(s, m, &admin, STEP_UNLOCK, 1, d2, y, "thử", &e), 0);
    store_close(s);
    model_free(m);
}

/* ---- stale figures ---- */

/* A model read before an import changed the figure: `expected` is still decided against the
 * database, and the refusal shows both values. */
static void test_expected_against_database(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w2,2019,10\n", &cli_actor, &st, &errs), 0);
    store *s;
    model *m = model_new();
    err_t e;
    int changed, outside;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);          /* the caller's model: 10 */
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w2,2019,11\n", &cli_actor, &st, &errs), 0);
    write_row r = { WRITE_VALUE, model_ind_find(m, "kn"), model_unit_find(m, "w2"), { P_YEAR, 0, 2019, 2019 }, 12,
                    NULL, "10", NULL };
    assert_int_equal(write_values(s, m, &cli_actor, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(buf_str(&errs), "\texpected\t"));
    assert_non_null(strstr(buf_str(&errs), "'11'"));
    assert_non_null(strstr(buf_str(&errs), "'10'"));
    assert_non_null(strstr(buf_str(&errs), "'12'"));
    assert_true(stored("kn", "w2", "2019") == 11);
    /* with the figure as it now is, the save goes through and the model follows */
    buf_reset(&errs);
    r.expected = "11";
    assert_int_equal(write_values(s, m, &cli_actor, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 1);
    assert_true(model_value(m, r.ind, r.unit, r.p, &(cell_t){ 0 })->v == 12);
    store_close(s);
    model_free(m);
    buf_free(&errs);
}

/* ---- concurrency ---- */

enum { NCELLS = 8, ROUNDS = 25 };

typedef struct worker {
    int id, importer;
    double accepted[NCELLS][ROUNDS * 2];
    int naccepted[NCELLS];
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    char who[16];
    snprintf(who, sizeof who, "w%d", w->id);
    write_actor a = { who, ROLE_ADMIN, -1, w->importer ? "file.csv" : "api", 0, 0 };
    if (store_open(db, 0, &s, &e) != 0 || store_load_part(s, m, 0, &e) != 0)
        return NULL;
    int kn = model_ind_find(m, "kn"), unit = model_unit_find(m, "d2");
    for (int round = 0; round < ROUNDS; round++) {
        int cell = (w->id * 7 + round) % NCELLS;
        double v = 1000.0 * w->id + round + 1;
        period_t p = { P_MONTH, (uint8_t)(cell + 1), 2015, 2015 };
        buf_reset(&errs);
        if (w->importer) {
            char csv[128];
            import_stats st;
            snprintf(csv, sizeof csv, "indicator,unit,period,value\nkn,d2,2015-%02d,%g\n", cell + 1, v);
            import_source src = { "file.csv", csv, strlen(csv) };
            import_opts o = { .who = who };
            if (write_import(s, &a, &src, 1, &o, &st, &errs, NULL, &e) == 0 && st.changed[IK_VALUES] + st.added[IK_VALUES] == 1)
                w->accepted[cell][w->naccepted[cell]++] = v;
        } else {
            /* read, then save with what was read as `expected`: someone may have changed it */
            cell_t cur = { 0 };
            char exp[32] = "";
            int had = store_get_cell(s, m, 0, kn, unit, p, &cur, &e);
            free(cur.comment);
            if (had > 0)
                snprintf(exp, sizeof exp, "%.17g", cur.v);
            write_row r = { WRITE_VALUE, kn, unit, p, v, NULL, exp, NULL };
            int changed = 0, outside;
            if (write_values(s, m, &a, &r, 1, NULL, &errs, &changed, &outside, &e) == 0 && changed == 1)
                w->accepted[cell][w->naccepted[cell]++] = v;
        }
    }
    buf_free(&errs);
    store_close(s);
    model_free(m);
    return NULL;
}

/* Two importers and two API writers on the same figures: they queue (none fails on a busy
 * database), and every accepted change is in the history, in no particular order. */
static void test_concurrent_writers(void **state)
{
    (void)state;
    enum { NW = 4 };
    static worker ws[NW];
    pthread_t th[NW];
    for (int k = 0; k < NW; k++) {
        memset(&ws[k], 0, sizeof ws[k]);
        ws[k].id = k + 1;
        ws[k].importer = k % 2;
        assert_int_equal(pthread_create(&th[k], NULL, work, &ws[k]), 0);
    }
    for (int k = 0; k < NW; k++)
        pthread_join(th[k], NULL);
    store *s;
    err_t e;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    int total = 0;
    for (int c = 0; c < NCELLS; c++) {
        period_t p = { P_MONTH, (uint8_t)(c + 1), 2015, 2015 };
        store_hist h[256];
        int n = store_history(s, "kn", "d2", p, h, 256, &e);
        int accepted = 0;
        for (int k = 0; k < NW; k++)
            for (int j = 0; j < ws[k].naccepted[c]; j++) {
                int found = 0;
                for (int i = 0; i < n; i++)
                    found |= h[i].has_new && h[i].new_v == ws[k].accepted[c][j];
                if (!found)
                    print_error("cell %d: accepted %g missing from the history\n", c, ws[k].accepted[c][j]);
                assert_true(found);
                accepted++;
            }
        assert_int_equal(n, accepted);            /* and nothing else: the creation is the first */
        total += accepted;
    }
    /* importers never conflict: all their rounds were accepted */
    for (int k = 1; k < NW; k += 2) {
        int n = 0;
        for (int c = 0; c < NCELLS; c++)
            n += ws[k].naccepted[c];
        assert_int_equal(n, ROUNDS);
    }
    assert_true(total >= 2 * ROUNDS);
    store_close(s);
}

/* A file over IMPORT_SMALL_LINES lines (its model holds every figure) for 40 units of their
 * own (no lock of the other tests reaches them), every value v. */
static char *large_csv(int v, size_t *len)
{
    buf b = BUF_INIT;
    buf_adds(&b, "indicator,unit,period,value\n");
    int rows = 0;
    for (int y = 1901; rows <= IMPORT_SMALL_LINES; y++)
        for (int mo = 1; mo <= 12; mo++)
            for (int u = 0; u < 40; u++, rows++)
                buf_printf(&b, "tl,u%d,%d-%02d,%d\n", u, y, mo, v);
    *len = b.len;
    return b.p;
}

typedef struct big {
    const char *csv;
    size_t len;
    store *s;                    /* opened already (owned), or NULL to open one */
    import_stats st;
    int rc, done;
} big;

static void *big_import(void *arg)
{
    big *b = arg;
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_source src = { "big.csv", b->csv, b->len };
    import_opts o = { .who = "big" };
    b->rc = -1;
    if ((s = b->s) != NULL || store_open(db, 0, &s, &e) == 0) {
        b->rc = write_import(s, &cli_actor, &src, 1, &o, &b->st, &errs, NULL, &e);
        store_close(s);
    }
    buf_free(&errs);
    __atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

/* Another process holding the write lock (a long import) neither stops a reader from opening the
 * database nor makes a writer fail: the writer queues and goes on once the lock is free. */
static void *late_import(void *arg)
{
    big *b = arg;
    buf errs = BUF_INIT;
    b->rc = import_csv(b->csv, &cli_actor, &b->st, &errs);
    buf_free(&errs);
    __atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void test_writers_queue(void **state)
{
    (void)state;
    store *hold, *other;
    err_t e;
    pthread_t t;
    big late = { .csv = "indicator,unit,period,value\nkn,d2,2014,3\n" };
    late.len = strlen(late.csv);
    assert_int_equal(store_open(db, 0, &hold, &e), 0);
    assert_int_equal(store_begin(hold, &e), 0);
    time_t t0 = time(NULL);
    assert_int_equal(store_open(db, 0, &other, &e), 0);        /* opening needs no write lock */
    assert_true(time(NULL) - t0 < 2);
    store_close(other);
    assert_int_equal(pthread_create(&t, NULL, late_import, &late), 0);
    sleep(6);                                                   /* past SQLite's 5 s busy timeout */
    assert_false(__atomic_load_n(&late.done, __ATOMIC_SEQ_CST));
    store_rollback(hold);
    pthread_join(t, NULL);
    store_close(hold);
    assert_int_equal(late.rc, 0);
    assert_true(stored("kn", "d2", "2014") == 3);
}

/* Two large imports at once: the first holds the write lock while the second starts; the second
 * must compare with the figures the first wrote (read inside its own transaction), not with those
 * it could have read before: it reports every row changed and its figures are the last word. */
static void test_two_large_imports(void **state)
{
    (void)state;
    size_t l0, l1;
    char *zero = large_csv(0, &l0), *one = large_csv(1, &l1);
    big first = { .csv = one, .len = l1 }, second = { .csv = one, .len = l1 };
    buf units = BUF_INIT, errs = BUF_INIT;
    import_stats st;
    buf_adds(&units, "code,name,parent,type\n");
    for (int u = 0; u < 40; u++)
        buf_printf(&units, "u%d,Đơn vị %d,city,x\n", u, u);
    assert_int_equal(import_csv(buf_str(&units), &cli_actor, &st, &errs), 0);
    big_import(&first);                               /* the database starts at 1 everywhere */
    assert_int_equal(first.rc, 0);
    long rows = first.st.rows[IK_VALUES];
    assert_true(rows > IMPORT_SMALL_LINES);
    /* the first import (setting 0) takes the write lock; the second (setting 1) starts meanwhile */
    store *s;
    model *m = model_new();
    err_t e;
    pthread_t t;
    import_source src = { "zero.csv", zero, l0 };
    import_opts o = { .who = "first", .in_tx = 1 };
    assert_int_equal(store_open(db, 0, &second.s, &e), 0);   /* opened before, as a process would be */
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(pthread_create(&t, NULL, big_import, &second), 0);
    usleep(500000);                                   /* long enough to read 100 000 rows */
    assert_int_equal(store_load_part(s, m, STORE_ALL, &e), 0);
    assert_int_equal(import_run(s, m, &src, 1, &o, &st, &errs, &e), 0);
    assert_int_equal(st.changed[IK_VALUES], rows);
    assert_false(__atomic_load_n(&second.done, __ATOMIC_SEQ_CST));     /* it queued */
    assert_int_equal(store_commit(s, &e), 0);
    pthread_join(t, NULL);
    store_close(s);
    model_free(m);
    assert_int_equal(second.rc, 0);
    assert_int_equal(second.st.changed[IK_VALUES], rows);
    assert_true(stored("tl", "u3", "1901-07") == 1);
    assert_true(stored("tl", "u39", "1950-12") == 1);
    buf_free(&units);
    buf_free(&errs);
    free(zero);
    free(one);
}

/* A unit given another parent by a units file (rather than a new code and a succession,
 * docs/successions.md) moves its figures out of the totals above it on one side and into those on
 * the other, and changes what the units above both add up (an average of districts, who is
 * expected to report): refused when a total above it, old or new, is locked for a period the
 * unit was valid in.  Runs after the other lock tests and leaves no lock behind. */
static void test_move_locked(void **state)
{
    (void)state;
    buf errs = BUF_INIT;
    import_stats st;
    assert_int_equal(import_csv("code,name,parent,type,valid_from,valid_to\n"
                                "d7,Quận ủy Bảy,city,Quận ủy,,\nd8,Quận ủy Tám,city,Quận ủy,,\n"
                                "w7,Phường Bảy,d7,Đảng ủy phường,,\nw8,Phường Tám,d7,Đảng ủy phường,2019-01-01,\n"
                                "w9,Phường Chín,d7,Đảng ủy phường,,\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(import_csv("indicator,unit,period,value\nkn,w7,2018,5\nkn,w9,2018,4\n", &cli_actor, &st, &errs), 0);
    /* no lock: a move is a catalogue change like any other */
    assert_int_equal(import_csv("code,name,parent,type\nw7,Phường Bảy,d8,Đảng ủy phường\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(st.changed[IK_UNITS], 1);
    /* d8's 2018 locked: w7 may not leave it, w9 may not join it; w8 (from 2019) may */
    set_state("d8", "2018", SUB_APPROVED, "khoa18");
    static const char *const refused[] = { "code,name,parent,type\nw7,Phường Bảy,d7,Đảng ủy phường\n",
                                           "code,name,parent,type\nw9,Phường Chín,d8,Đảng ủy phường\n" };
    for (int k = 0; k < 2; k++) {
        buf_reset(&errs);
        assert_int_not_equal(import_csv(refused[k], &cli_actor, &st, &errs), 0);
        assert_non_null(strstr(buf_str(&errs), "file.csv"));
        assert_non_null(strstr(buf_str(&errs), "khoa18"));
        assert_non_null(strstr(buf_str(&errs), "docs/successions.md"));
    }
    buf_reset(&errs);
    assert_int_equal(import_csv("code,name,parent,type\nw7,Phường Bảy,d8,Đảng ủy phường\n"
                                "w9,Phường Chín,d7,Đảng ủy phường\n", &cli_actor, &st, &errs), 0);
    assert_int_equal(st.changed[IK_UNITS], 0);          /* nothing moved */
    assert_int_equal(import_csv("code,name,parent,type,valid_from,valid_to\nw8,Phường Tám,d8,Đảng ủy phường,2019-01-01,\n",
                                &cli_actor, &st, &errs), 0);
    assert_int_equal(st.changed[IK_UNITS], 1);
    set_state("d8", "2018", SUB_DRAFT, "mo18");
    /* the city's 2018 locked: a move between its districts is refused too (the city's figure of
     * an average, or its coverage, would change) */
    set_state("city", "2018", SUB_APPROVED, "tp18");
    buf_reset(&errs);
    assert_int_not_equal(import_csv("code,name,parent,type\nw9,Phường Chín,d8,Đảng ủy phường\n", &cli_actor, &st, &errs), 0);
    assert_non_null(strstr(buf_str(&errs), "tp18"));
    set_state("city", "2018", SUB_DRAFT, "mo18");
    /* a figure for a period in which the unit is valid on no day (w8 from 2019) would count
     * nowhere: refused by the door (field "period"), as the import refuses it */
    store *s;
    model *m = model_new();
    err_t e;
    int changed, outside;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    write_row r = { WRITE_VALUE, model_ind_find(m, "kn"), model_unit_find(m, "w8"), { P_YEAR, 0, 2018, 2018 }, 3,
                    NULL, NULL, NULL };
    lang_set(LANG_VI);
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &cli_actor, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 0);
    assert_non_null(strstr(buf_str(&errs), "\tperiod\t"));
    assert_non_null(strstr(buf_str(&errs), "(hiệu lực từ 1/1/2019)"));
    r.p = (period_t){ P_YEAR, 0, 2019, 2019 };
    buf_reset(&errs);
    assert_int_equal(write_values(s, m, &cli_actor, &r, 1, NULL, &errs, &changed, &outside, &e), 0);
    assert_int_equal(changed, 1);
    store_close(s);
    model_free(m);
    buf_free(&errs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sources_use_the_door),
        cmocka_unit_test(test_locks_cover),
        cmocka_unit_test(test_target_locks),
        cmocka_unit_test(test_approve_seen),
        cmocka_unit_test(test_expected_against_database),
        cmocka_unit_test(test_concurrent_writers),
        cmocka_unit_test(test_writers_queue),
        cmocka_unit_test(test_two_large_imports),
        cmocka_unit_test(test_routes_use_the_door),
        cmocka_unit_test(test_commands_use_the_door),
        cmocka_unit_test(test_catalogue_locks),
        cmocka_unit_test(test_successor_locks),
        cmocka_unit_test(test_move_locked),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
