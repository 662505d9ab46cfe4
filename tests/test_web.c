/* test_web.c - the web application without a socket: requests are built as structs and
 * handed to web_handle.  Covers the permission matrix (role x own/child/sibling/parent x
 * read/write/approve, pages and API), sessions and logout, CSRF, the login limiter,
 * HTML escaping of stored text, optimistic concurrency, the approval workflow with
 * locking and unlocking, and bad input (unknown parameters, malformed and invalid
 * bodies, injection attempts) answered with a 4xx that changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "auth.h"
#include "completeness.h"
#include "cycle_store.h"
#include "engine.h"
#include "http.h"
#include "import.h"
#include "report.h"
#include "store.h"
#include "store_multi.h"
#include "store_task.h"
#include "store_web.h"
#include "web.h"
#include "write.h"

#include "test_sql.h"
#include "web_client.h"

static char db[64];
static web_app *app;
static int cells_mode = WEB_CELLS_MODEL; /* main runs the group in both modes (web.h) */
static const char *peer_addr = "127.0.0.1";   /* the address requests come from (send) */
static const char *fwd_header = "";            /* their X-Forwarded-For */

/* city -> d1 -> w1; city -> d2.  Users are bound to d1 (one per role), plus a city admin. */
static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,<script>alert(1)</script> Phường,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,group,direction,decimals\n"
    "kn,Kết nạp đảng viên,Xây dựng Đảng,up,0\n"
    "tl,Tỷ lệ hộ nghèo,Xã hội,down,2\n";
static const char targets_csv[] =
    "indicator,unit,period,target\n"
    "kn,d1,2023,100\nkn,w1,2023,40\nkn,d2,2023,80\nkn,city,2023,200\n";
static const char values_csv[] =
    "indicator,unit,period,value\n"
    "kn,d1,2022,90\nkn,w1,2022,30\nkn,d2,2022,70\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static const char *const roles[] = { "admin", "editor", "approver", "viewer" };
static const char pw[] = "mat-khau-thu-nghiem";

static int setup_all(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-web-%ld.db", (long)getpid());
    remove(db);
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv),
                            SRC("targets.csv", targets_csv), SRC("values.csv", values_csv) };
    import_opts o = { .who = "test" };
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(import_run(s, m, src, 4, &o, &st, &errs, &e), 0);
    char hash[AUTH_HASH_MAX];
    assert_int_equal(wt_test_hash(pw, hash), 0);
    for (int r = 0; r < 4; r++) {
        web_user u = { 0 };
        snprintf(u.login, sizeof u.login, "%s1", roles[r]);
        snprintf(u.role, sizeof u.role, "%s", roles[r]);
        snprintf(u.unit, sizeof u.unit, "d1");
        assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    }
    web_user root = { .login = "root", .role = "admin", .unit = "city" };
    assert_int_equal(store_user_add(s, &root, hash, &e), 0);
    assert_int_not_equal(store_user_add(s, &root, hash, &e), 0);   /* duplicate login */
    web_user gone = { .login = "gone", .role = "viewer", .unit = "d1" };
    assert_int_equal(store_user_add(s, &gone, hash, &e), 0);
    web_user ed2 = { .login = "ed2", .role = "editor", .unit = "d2" };
    assert_int_equal(store_user_add(s, &ed2, hash, &e), 0);
    task_t p1 = { .code = "p1", .title = "Chương trình một", .kind = TK_PROGRAMME, .lead_unit = "city" };
    task_t t1 = { .code = "t1", .title = "Nhiệm vụ của phường", .kind = TK_TASK, .programme = "p1", .lead_unit = "w1",
                  .deadline = 20300101 };
    task_t t2 = { .code = "t2", .title = "Nhiệm vụ của quận hai", .kind = TK_TASK, .programme = "p1", .lead_unit = "d2",
                  .deadline = 20300101 };
    assert_int_equal(store_task_put(s, &p1, &e), 0);
    assert_int_equal(store_task_put(s, &t1, &e), 0);
    assert_int_equal(store_task_put(s, &t2, &e), 0);
    buf_free(&errs);
    model_free(m);
    store_close(s);
    assert_int_equal(web_open_cells(db, 2, cells_mode, &app, &e), 0);
    /* held: every figure here fits the engine exactly, so the model's maps keep none */
    assert_int_equal(app->m->held, cells_mode == WEB_CELLS_ENGINE);
    if (app->m->held)
        assert_int_equal(app->m->values.n + app->m->targets.n, 0);
    app->log = fopen("/dev/null", "w");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    fclose(app->log);
    web_close(app);
    wt_remove_db(db);
    return 0;
}

/* Sends one request from peer_addr with fwd_header; query and form are url-encoded (or NULL). */
static int send(const client *c, const char *method, const char *path, const char *query, const char *form,
                const char *json, http_resp *rs)
{
    wt_request r = { .method = method, .path = path, .query = query, .form = form, .json = json,
                     .addr = peer_addr, .forwarded = fwd_header };
    return wt_send(app, c, &r, rs);
}

static int status_of(const client *c, const char *method, const char *path, const char *query, const char *form)
{
    http_resp rs;
    int st = send(c, method, path, query, form, NULL, &rs);
    http_resp_free(&rs);
    return st;
}

static int login(client *c, const char *user, const char *password)
{
    int st = wt_login(app, c, user, password, peer_addr, fwd_header);
    if (st == 303)
        assert_true(c->csrf[0]);
    return st;
}

static void test_login_logout(void **state)
{
    (void)state;
    client c;
    assert_int_equal(status_of(NULL, "GET", "/overview", NULL, NULL), 303);
    assert_int_equal(login(&c, "viewer1", "sai-mat-khau"), 401);
    assert_int_equal(login(&c, "nobody", pw), 401);
    assert_int_equal(login(&c, "viewer1", pw), 303);
    assert_non_null(strstr(c.cookie, "chitieu_session="));
    assert_int_equal(status_of(&c, "GET", "/overview", NULL, NULL), 200);
    char form[128];
    snprintf(form, sizeof form, "csrf=%s", c.csrf);
    assert_int_equal(status_of(&c, "POST", "/logout", NULL, form), 303);
    assert_int_equal(status_of(&c, "GET", "/overview", NULL, NULL), 303);  /* session gone */
}

static void test_session_cookie_flags(void **state)
{
    (void)state;
    http_resp rs;
    char form[128];
    snprintf(form, sizeof form, "login=viewer1&password=%s", pw);
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 303);
    assert_non_null(strstr(rs.cookies[0], "HttpOnly"));
    assert_non_null(strstr(rs.cookies[0], "SameSite=Strict"));
    assert_null(strstr(rs.cookies[0], "Secure"));
    http_resp_free(&rs);
    app->secure_cookies = 1;
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 303);
    assert_non_null(strstr(rs.cookies[0], "; Secure"));
    http_resp_free(&rs);
    app->secure_cookies = 0;
    /* an open redirect through ?next= is refused */
    snprintf(form, sizeof form, "login=viewer1&password=%s&next=//evil.example/", pw);
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 303);
    assert_string_equal(rs.location, "/overview");
    http_resp_free(&rs);
}

static void test_expired_and_disabled(void **state)
{
    (void)state;
    client c;
    err_t e;
    assert_int_equal(login(&c, "gone", pw), 303);
    assert_int_equal(status_of(&c, "GET", "/overview", NULL, NULL), 200);
    store *s;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_user_set_disabled(s, "gone", 1, &e), 1);
    /* an expired session is refused */
    char tok[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(tok);
    auth_token_digest(tok, digest);
    web_user u;
    assert_int_equal(store_user_get(s, "viewer1", &u, NULL, 0, &e), 1);
    assert_int_equal(store_session_put(s, digest, u.id, "x", (int64_t)time(NULL) - 10, &e), 0);
    store_close(s);
    assert_int_equal(status_of(&c, "GET", "/overview", NULL, NULL), 303);  /* disabled: out */
    assert_int_equal(login(&c, "gone", pw), 401);
    client old = { 0 };
    snprintf(old.cookie, sizeof old.cookie, "chitieu_session=%s", tok);
    assert_int_equal(status_of(&old, "GET", "/overview", NULL, NULL), 303);
}

/* Runs one SQL statement on the test database from outside the app (ages the throttle). */
static void db_exec(const char *sql)
{
    ts_exec(db, sql);
}

/* The first column of the first row of one query on the test database, from outside the app. */
static int db_int(const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(h);
    return v;
}

/* A login's status and its Retry-After. */
static int login_wait(const char *user, const char *password, int *retry_after)
{
    char form[256];
    http_resp rs;
    snprintf(form, sizeof form, "login=%s&password=%s", user, password);
    int st = send(NULL, "POST", "/login", NULL, form, NULL, &rs);
    *retry_after = rs.retry_after;
    http_resp_free(&rs);
    return st;
}

static void test_throttle_rule(void **state)
{
    (void)state;
    /* free failures, then 1, 2, 4 ... seconds after the last, capped */
    assert_int_equal(auth_throttle_wait(0, 0, 1000, 3, 300), 0);
    assert_int_equal(auth_throttle_wait(3, 1000, 1000, 3, 300), 0);
    assert_int_equal(auth_throttle_wait(4, 1000, 1000, 3, 300), 1);
    assert_int_equal(auth_throttle_wait(5, 1000, 1000, 3, 300), 2);
    assert_int_equal(auth_throttle_wait(8, 1000, 1000, 3, 300), 16);
    assert_int_equal(auth_throttle_wait(8, 1000, 1010, 3, 300), 6);
    assert_int_equal(auth_throttle_wait(8, 1000, 1016, 3, 300), 0);
    assert_int_equal(auth_throttle_wait(60, 1000, 1000, 3, 300), 300);
    assert_int_equal(auth_throttle_wait(1000000, 1000, 1000, 10, 30), 30);
}

static void test_rate_limit(void **state)
{
    (void)state;
    client c;
    int ra;
    db_exec("DELETE FROM login_throttle");
    for (int i = 0; i < 4; i++)
        assert_int_equal(login(&c, "approver1", "wrong-password"), 401);
    /* four failures were counted; a fifth just now asks for 2 s: even the right password waits,
     * told how long (pinned to the clock here, as each argon2 check takes a good part of a second) */
    db_exec("UPDATE login_throttle SET fails=fails+1, last_at=strftime('%s','now') WHERE key='pair:127.0.0.1|approver1'"
            " AND fails=4");
    assert_int_equal(login_wait("approver1", pw, &ra), 429);
    assert_true(ra >= 1 && ra <= 2);
    assert_int_equal(login(&c, "viewer1", pw), 303);       /* other accounts are not slowed */
    /* waits grow (8 failures of this address at this account ask for 16 s), and the counters are
     * in the database: a restarted server still makes the guesser wait */
    db_exec("UPDATE login_throttle SET fails=8, last_at=strftime('%s','now') WHERE key='pair:127.0.0.1|approver1'");
    err_t e;
    fclose(app->log);
    web_close(app);
    assert_int_equal(web_open_cells(db, 2, cells_mode, &app, &e), 0);
    app->log = fopen("/dev/null", "w");
    assert_int_equal(login_wait("approver1", pw, &ra), 429);
    assert_true(ra >= 10 && ra <= 16);
    /* once the wait is over the owner gets in, and the account's counters are forgotten */
    db_exec("UPDATE login_throttle SET last_at=last_at-16");
    assert_int_equal(login(&c, "approver1", pw), 303);
    assert_int_equal(login(&c, "approver1", "wrong-password"), 401);
    assert_int_equal(login(&c, "approver1", pw), 303);
    db_exec("DELETE FROM login_throttle");
    /* many addresses guessing one account slow its owner by 30 s at most, never lock them out:
     * two real failures from two addresses count against the account, then forty (seeded: each
     * real one costs a password hash) */
    peer_addr = "10.9.0.1";
    assert_int_equal(login_wait("approver1", "wrong-password", &ra), 401);
    peer_addr = "10.9.0.2";
    assert_int_equal(login_wait("approver1", "wrong-password", &ra), 401);
    assert_int_equal(db_int("SELECT fails FROM login_throttle WHERE key='user:approver1'"), 2);
    db_exec("UPDATE login_throttle SET fails=40, last_at=strftime('%s','now') WHERE key='user:approver1'");
    peer_addr = "127.0.0.1";
    int st = login_wait("approver1", pw, &ra);
    assert_true(st == 429 && ra >= 1 && ra <= 30);
    db_exec("UPDATE login_throttle SET last_at=last_at-30");
    assert_int_equal(login(&c, "approver1", pw), 303);
    db_exec("DELETE FROM login_throttle");
}

static void test_trusted_proxy(void **state)
{
    (void)state;
    char out[64];
    http_client_addr("10.0.0.1", "1.2.3.4", "", out, sizeof out);
    assert_string_equal(out, "10.0.0.1");                 /* no proxy trusted: the header is ignored */
    http_client_addr("10.0.0.1", "1.2.3.4", "127.0.0.1", out, sizeof out);
    assert_string_equal(out, "10.0.0.1");                 /* from a peer that is not the proxy */
    http_client_addr("127.0.0.1", "1.2.3.4", "127.0.0.1", out, sizeof out);
    assert_string_equal(out, "1.2.3.4");
    http_client_addr("127.0.0.1", "6.6.6.6, 1.2.3.4", "127.0.0.1", out, sizeof out);
    assert_string_equal(out, "1.2.3.4");                  /* the left part is the client's to forge */
    http_client_addr("127.0.0.1", "6.6.6.6, 1.2.3.4 ,10.0.0.2", "10.0.0.2, 127.0.0.1", out, sizeof out);
    assert_string_equal(out, "1.2.3.4");                  /* through two trusted hops */
    http_client_addr("127.0.0.1", "", "127.0.0.1", out, sizeof out);
    assert_string_equal(out, "127.0.0.1");
    http_client_addr("127.0.0.1", "<script>", "127.0.0.1", out, sizeof out);
    assert_string_equal(out, "127.0.0.1");                /* not an address: not believed */

    /* behind the proxy, a wrong login counts against the client's address, not the proxy's; with
     * that address's failures past its free ones (seeded: each real one costs a password hash)
     * that client waits and everyone else logs in */
    client c;
    int ra;
    db_exec("DELETE FROM login_throttle");
    snprintf(app->trusted_proxies, sizeof app->trusted_proxies, "127.0.0.1");
    fwd_header = "203.0.113.5";
    assert_int_equal(login_wait("nobody1", "wrong-password", &ra), 401);
    assert_int_equal(db_int("SELECT fails FROM login_throttle WHERE key='addr:203.0.113.5'"), 1);
    assert_int_equal(db_int("SELECT count(*) FROM login_throttle WHERE key='addr:127.0.0.1'"), 0);
    db_exec("UPDATE login_throttle SET fails=30 WHERE key='addr:203.0.113.5'");
    assert_int_equal(login_wait("viewer1", pw, &ra), 429);  /* that client waits */
    assert_true(ra >= 1);
    fwd_header = "198.51.100.7";
    assert_int_equal(login(&c, "viewer1", pw), 303);      /* everyone else logs in */
    /* a client that forges the header without coming through the proxy gains nothing: its
     * failures count against the address it really comes from, whatever it claims */
    app->trusted_proxies[0] = '\0';
    db_exec("DELETE FROM login_throttle");
    fwd_header = "192.0.2.1";
    assert_int_equal(login_wait("nobody1", "wrong-password", &ra), 401);
    fwd_header = "192.0.2.2";
    assert_int_equal(login_wait("nobody2", "wrong-password", &ra), 401);
    assert_int_equal(db_int("SELECT fails FROM login_throttle WHERE key='addr:127.0.0.1'"), 2);
    assert_int_equal(db_int("SELECT count(*) FROM login_throttle WHERE key LIKE 'addr:192.%'"), 0);
    db_exec("UPDATE login_throttle SET fails=30 WHERE key='addr:127.0.0.1'");
    fwd_header = "192.0.2.200";
    assert_int_equal(login_wait("viewer1", pw, &ra), 429);
    fwd_header = "";
    db_exec("DELETE FROM login_throttle");
}

static void test_password_policy(void **state)
{
    (void)state;
    err_t e;
    const char *weak[] = { "12345678", "password", "abcdefgh", "aaaaaaaaaa", "qwertyuiop", "short" };
    for (size_t i = 0; i < sizeof weak / sizeof *weak; i++) {
        assert_int_not_equal(auth_password_ok(weak[i], &e), 0);
        assert_true(strlen(e.msg) > 10);
    }
    lang_set(LANG_VI);
    assert_int_not_equal(auth_password_ok("12345678", &e), 0);
    assert_non_null(strstr(e.msg, "dễ đoán"));
    const char *good[] = { "mat-khau-thu-nghiem", "Tr@nVanAn1990", "Hà Nội mùa thu 2025" };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        assert_int_equal(auth_password_ok(good[i], &e), 0);
    assert_int_not_equal(auth_password_ok_for("nguyenvana-2025!", "nguyenvana", &e), 0);
    /* the web form says why, in Vietnamese */
    client c;
    http_resp rs;
    char form[256];
    assert_int_equal(login(&c, "viewer1", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&old=%s&new=12345678&new2=12345678", c.csrf, pw);
    assert_int_equal(send(&c, "POST", "/password", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "dễ đoán"));
    http_resp_free(&rs);
    assert_int_equal(login(&c, "viewer1", pw), 303);      /* the password is unchanged */
}

/* RFC 6238 appendix B, SHA-1: the key is the ASCII "12345678901234567890". */
static void test_totp_vectors(void **state)
{
    (void)state;
    static const struct { int64_t t; const char *code; } v[] = {
        { 59, "94287082" }, { 1111111109, "07081804" }, { 1111111111, "14050471" },
        { 1234567890, "89005924" }, { 2000000000, "69279037" }, { 20000000000LL, "65353130" },
    };
    char out[16];
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        assert_int_equal(auth_totp_at("12345678901234567890", 20, v[i].t, 8, out), 0);
        assert_string_equal(out, v[i].code);
    }
    /* the same key in base32, checked with 6 digits: the last 6 of the 8 */
    const char *b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_int_equal(auth_totp_check(b32, "287082", 59, 0), 1);
    assert_int_equal(auth_totp_check(b32, "287082", 59 + 30, 0), 1);     /* one step of drift */
    assert_int_equal(auth_totp_check(b32, "287082", 59 + 60, 0), -1);    /* two: too late */
    assert_int_equal(auth_totp_check(b32, "287082", 59, 1), -1);         /* that step was used */
    assert_int_equal(auth_totp_check(b32, "287083", 59, 0), -1);
    assert_int_equal(auth_totp_check(b32, "28708", 59, 0), -1);
    assert_int_equal(auth_totp_check(b32, "2870a2", 59, 0), -1);
    char secret[AUTH_TOTP_B32], other[AUTH_TOTP_B32];
    assert_int_equal(auth_totp_secret(secret, sizeof secret), 0);
    assert_int_equal(auth_totp_secret(other, sizeof other), 0);
    assert_int_equal(strlen(secret), 32);
    assert_string_not_equal(secret, other);
}

/* The ticket of the second step's form in body, copied to out. */
static void ticket_of(const char *body, char *out, size_t n)
{
    const char *t = strstr(body, "name=\"ticket\" value=\"");
    assert_non_null(t);
    t += 21;
    snprintf(out, n, "%.*s", (int)strcspn(t, "\""), t);
}

static void test_totp_login(void **state)
{
    (void)state;
    store *s;
    err_t e;
    http_resp rs;
    char form[256], ticket[64], code[16];
    const char *b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    db_exec("DELETE FROM login_throttle");
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_totp_set(s, "root", b32, &e), 1);
    store_close(s);
    /* the right password alone gives no session: the second step's form */
    snprintf(form, sizeof form, "login=root&password=%s&next=/admin/users", pw);
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 200);
    assert_int_equal(rs.ncookies, 0);
    assert_non_null(strstr(buf_str(&rs.body), "name=\"code\""));
    ticket_of(buf_str(&rs.body), ticket, sizeof ticket);
    http_resp_free(&rs);
    /* a wrong code, then the right one */
    snprintf(form, sizeof form, "ticket=%s&code=000000", ticket);
    int64_t now = (int64_t)time(NULL);
    assert_int_equal(auth_totp_at("12345678901234567890", 20, now, 6, code), 0);
    if (strcmp(code, "000000") != 0)
        assert_int_equal(status_of(NULL, "POST", "/login", NULL, form), 401);
    snprintf(form, sizeof form, "ticket=%s&code=%s&next=/admin/users", ticket, code);
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 303);
    assert_int_equal(rs.ncookies, 1);
    assert_string_equal(rs.location, "/admin/users");
    http_resp_free(&rs);
    /* the ticket is spent, and the code cannot be used twice */
    assert_int_equal(status_of(NULL, "POST", "/login", NULL, form), 401);
    snprintf(form, sizeof form, "login=root&password=%s", pw);
    assert_int_equal(send(NULL, "POST", "/login", NULL, form, NULL, &rs), 200);
    ticket_of(buf_str(&rs.body), ticket, sizeof ticket);
    http_resp_free(&rs);
    snprintf(form, sizeof form, "ticket=%s&code=%s", ticket, code);
    assert_int_equal(status_of(NULL, "POST", "/login", NULL, form), 401);
    /* a forged ticket is refused */
    assert_int_equal(status_of(NULL, "POST", "/login", NULL,
                               "ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=123456"), 401);
    /* turned off, the password is enough again */
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_totp_set(s, "root", NULL, &e), 1);
    assert_int_equal(store_totp_get(s, "root", code, sizeof code, NULL, &e), 0);
    store_close(s);
    client c;
    assert_int_equal(login(&c, "root", pw), 303);
    db_exec("DELETE FROM login_throttle");
}

/* unit index: 0 own (d1), 1 child (w1), 2 sibling (d2), 3 parent (city) */
static const char *const targets[] = { "d1", "w1", "d2", "city" };

static void test_permission_matrix_pure(void **state)
{
    (void)state;
    const model *m = app->m;
    int d1 = model_unit_find(m, "d1");
    for (int r = 0; r < ROLE_COUNT; r++)
        for (int t = 0; t < 4; t++) {
            int u = model_unit_find(m, targets[t]), inside = t <= 1;
            assert_int_equal(auth_allows(m, r, d1, u, ACT_READ), inside);
            assert_int_equal(auth_allows(m, r, d1, u, ACT_WRITE), inside && (r == ROLE_EDITOR || r == ROLE_ADMIN));
            assert_int_equal(auth_allows(m, r, d1, u, ACT_APPROVE), inside && (r == ROLE_APPROVER || r == ROLE_ADMIN));
            assert_int_equal(auth_allows(m, r, d1, u, ACT_ADMIN), inside && r == ROLE_ADMIN);
        }
}

static void test_permission_matrix_http(void **state)
{
    (void)state;
    char q[128], form[512], json[512];
    for (int r = 0; r < 4; r++) {
        client c;
        char user[32];
        snprintf(user, sizeof user, "%s1", roles[r]);
        assert_int_equal(login(&c, user, pw), 303);
        /* an API token with the same rights */
        client api = { 0 };
        err_t e;
        store *s;
        char digest[AUTH_DIGEST_LEN + 1];
        auth_random_token(api.bearer);
        auth_token_digest(api.bearer, digest);
        assert_int_equal(store_open(db, 0, &s, &e), 0);
        assert_int_equal(store_token_put(s, digest, user, "test", &e), 0);
        store_close(s);
        for (int t = 0; t < 4; t++) {
            int inside = t <= 1, writer = r == 0 || r == 1, approver = r == 0 || r == 2;
            snprintf(q, sizeof q, "unit=%s&period=2023", targets[t]);
            /* read: page and API */
            assert_int_equal(status_of(&c, "GET", "/overview", q, NULL), inside ? 200 : 403);
            assert_int_equal(status_of(&c, "GET", "/indicator", q, NULL) == 403, !inside);
            assert_int_equal(status_of(&api, "GET", "/api/v1/eval", q, NULL), inside ? 200 : 403);
            /* write: the entry page, its POST, and the API */
            assert_int_equal(status_of(&c, "GET", "/entry", q, NULL), inside && writer ? 200 : 403);
            snprintf(form, sizeof form, "csrf=%s&unit=%s&period=%d&action=save&v_kn=%d&o_kn=", c.csrf,
                     targets[t], 2010 + r, 10 + r);
            assert_int_equal(status_of(&c, "POST", "/entry", NULL, form), inside && writer ? 303 : 403);
            snprintf(json, sizeof json, "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"%s\",\"period\":\"%d\",\"value\":%d}]}",
                     targets[t], 2000 + r, 20 + r);
            http_resp rs;
            int st = send(&api, "POST", "/api/v1/values", NULL, NULL, json, &rs);
            assert_int_equal(st, inside && writer ? 200 : 403);
            http_resp_free(&rs);
            /* approve: nothing is submitted for 2019, so an allowed approver gets 409, others 403;
             * an approver decides for the level below (w1 under d1), not for their own unit */
            int decides = r == 0 || (approver && strcmp(targets[t], "w1") == 0);
            snprintf(form, sizeof form, "csrf=%s&unit=%s&period=2019&action=approve", c.csrf, targets[t]);
            assert_int_equal(status_of(&c, "POST", "/approval", NULL, form), inside && decides ? 409 : 403);
        }
        /* admin pages */
        assert_int_equal(status_of(&c, "GET", "/admin/users", NULL, NULL), r == 0 ? 200 : 403);
        assert_int_equal(status_of(&c, "GET", "/admin/audit", NULL, NULL), r == 0 ? 200 : 403);
        assert_int_equal(status_of(&c, "GET", "/approval", NULL, NULL), (r == 0 || r == 2) ? 200 : 403);
    }
}

static void test_csrf(void **state)
{
    (void)state;
    client c;
    assert_int_equal(login(&c, "editor1", pw), 303);
    assert_int_equal(status_of(&c, "POST", "/entry", NULL, "unit=d1&period=2024&action=save&v_kn=5"), 403);
    assert_int_equal(status_of(&c, "POST", "/entry", NULL, "csrf=forged&unit=d1&period=2024&action=save&v_kn=5"), 403);
    assert_int_equal(status_of(&c, "POST", "/logout", NULL, ""), 403);
    const cell_t *v = model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"),
                                  (period_t){ P_YEAR, 0, 2024, 2024 }, &(cell_t){ 0 });
    assert_null(v);                                        /* nothing was written */
    /* the API with the session cookie (docs/api.md): a JSON body's token goes in the query (a
     * "csrf" member of the JSON is not read: refused, as is a forged token); a form body's in the form */
    const char json[] = "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2031\",\"value\":5}]}";
    char q[128], body[256];
    http_resp rs;
    assert_int_equal(send(&c, "POST", "/api/v1/values", NULL, NULL, json, &rs), 403);
    assert_non_null(strstr(buf_str(&rs.body), "\"code\":\"csrf\""));
    http_resp_free(&rs);
    snprintf(body, sizeof body, "{\"csrf\":\"%s\",\"values\":[]}", c.csrf);
    assert_int_equal(send(&c, "POST", "/api/v1/values", NULL, NULL, body, &rs), 403);
    http_resp_free(&rs);
    assert_int_equal(send(&c, "POST", "/api/v1/values", "csrf=forged", NULL, json, &rs), 403);
    http_resp_free(&rs);
    snprintf(q, sizeof q, "csrf=%s", c.csrf);
    assert_int_equal(send(&c, "POST", "/api/v1/values", q, NULL, json, &rs), 200);
    http_resp_free(&rs);
    web_idle(app);                 /* 2031 is outside the engine: the reloader reads the model afresh */
    v = model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"), (period_t){ P_YEAR, 0, 2031, 2031 }, &(cell_t){ 0 });
    assert_non_null(v);
    snprintf(body, sizeof body, "csrf=%s&indicator=kn&unit=d1&period=2031&reason=th%%E1%%BB%%AD", c.csrf);
    assert_int_equal(status_of(&c, "DELETE", "/api/v1/values", NULL, "indicator=kn&unit=d1&period=2031&reason=x"), 403);
    assert_int_equal(status_of(&c, "DELETE", "/api/v1/values", NULL, body), 200);
    web_idle(app);
    v = model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"), (period_t){ P_YEAR, 0, 2031, 2031 }, &(cell_t){ 0 });
    assert_null(v);
}

static void test_escaping(void **state)
{
    (void)state;
    client c;
    http_resp rs;
    assert_int_equal(login(&c, "viewer1", pw), 303);
    assert_int_equal(send(&c, "GET", "/overview", "unit=d1&period=2023", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "&lt;script&gt;alert(1)&lt;/script&gt; Phường"));
    assert_null(strstr(buf_str(&rs.body), "<script>alert"));
    http_resp_free(&rs);
    /* a comment with markup is stored as text and shown escaped */
    client ed;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    char form[256];
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2025&action=save&v_kn=7&o_kn=&c_kn=%%3Cimg+src%%3Dx+onerror%%3Dalert(1)%%3E", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_int_equal(send(&ed, "GET", "/entry", "unit=w1&period=2025", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "&lt;img src=x onerror=alert(1)&gt;"));
    assert_null(strstr(buf_str(&rs.body), "<img src=x"));
    http_resp_free(&rs);
}

static void test_bad_input(void **state)
{
    (void)state;
    client c;
    http_resp rs;
    assert_int_equal(login(&c, "editor1", pw), 303);
    assert_int_equal(status_of(&c, "GET", "/overview", "unit=d1&bogus=1", NULL), 400);
    assert_int_equal(status_of(&c, "GET", "/overview", "unit=d1&period=2023%FF", NULL), 400);  /* invalid UTF-8 */
    assert_int_equal(status_of(&c, "GET", "/overview", "unit=d1%2", NULL), 400);               /* broken escape */
    assert_int_equal(status_of(&c, "GET", "/overview", "unit='%20OR%201=1%20--", NULL), 404);   /* SQL as a code */
    assert_int_equal(status_of(&c, "GET", "/overview", "unit=d1&period=2023-13", NULL), 400);
    assert_int_equal(status_of(&c, "GET", "/nowhere", NULL, NULL), 404);
    assert_int_equal(status_of(&c, "DELETE", "/overview", NULL, NULL), 405);
    char form[256];
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2026&action=save&v_kn=12abc&o_kn=", c.csrf);
    assert_int_equal(send(&c, "POST", "/entry", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "12abc"));
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2026&action=save&v_kn=%%27%%3B+DROP+TABLE+value%%3B--&o_kn=", c.csrf);
    assert_int_equal(status_of(&c, "POST", "/entry", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2026&action=explode", c.csrf);
    assert_int_equal(status_of(&c, "POST", "/entry", NULL, form), 400);
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"),
                            (period_t){ P_YEAR, 0, 2026, 2026 }, &(cell_t){ 0 }));

    /* the API */
    client api = { 0 };
    store *s;
    err_t e;
    char digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "editor1", "bad-input", &e), 0);
    assert_int_not_equal(store_token_put(s, digest, "nobody", "x", &e), 0);
    store_close(s);
    assert_int_equal(status_of(NULL, "GET", "/api/v1/units", NULL, NULL), 401);
    client wrong = { .bearer = "not-a-token" };
    assert_int_equal(status_of(&wrong, "GET", "/api/v1/units", NULL, NULL), 401);
    assert_int_equal(status_of(&api, "GET", "/api/v1/units", NULL, NULL), 200);
    assert_int_equal(status_of(&api, "GET", "/api/v1/units", "x=1", NULL), 400);
    assert_int_equal(send(&api, "GET", "/api/v1/successions", NULL, NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "{\"successions\":["));
    http_resp_free(&rs);
    assert_int_equal(status_of(&api, "GET", "/api/v1/successions", "unit=zz", NULL), 404);
    assert_int_equal(status_of(&api, "GET", "/api/v1/successions", "period=2025", NULL), 400);
    static const struct { const char *body; int status; const char *code; } cases[] = {
        { "{", 400, "bad_request" },
        { "[]", 400, "bad_request" },
        { "{\"values\":[]}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\"}]}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":\"5\"}]}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5,\"x\":1}]}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5}],\"y\":2}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5}, 3]}", 400, "bad_request" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"26\",\"value\":5}]}", 422, "invalid_rows" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5},"
          "{\"indicator\":\"zz\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5}]}", 422, "invalid_rows" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":5,\"expected\":99}]}", 409, "conflict" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"<b>\",\"period\":\"2026\",\"value\":5}]}", 422, "invalid_rows" },
        /* beyond what fixed point holds (fixed.h): refused, not clipped */
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":1.7e15}]}", 422, "invalid_rows" },
        { "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d1\",\"period\":\"2026\",\"value\":-9.1e14}]}", 422, "invalid_rows" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL, cases[k].body, &rs), cases[k].status);
        assert_string_equal(rs.ctype, "application/json");
        char want[64];
        snprintf(want, sizeof want, "\"code\":\"%s\"", cases[k].code);
        assert_non_null(strstr(buf_str(&rs.body), want));
        http_resp_free(&rs);
    }
    /* nothing from the refused batches reached the model */
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"),
                            (period_t){ P_YEAR, 0, 2026, 2026 }, &(cell_t){ 0 }));
    /* JSON requires its content type */
    http_req rq;
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "/api/v1/values");
    snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", api.bearer);
    snprintf(rq.ctype, sizeof rq.ctype, "text/plain");
    web_handle(app, &rq, &rs);
    assert_int_equal(rs.status, 415);
    http_req_free(&rq);
    http_resp_free(&rs);
}

static void test_optimistic_concurrency(void **state)
{
    (void)state;
    client a, b;
    char form[256];
    http_resp rs;
    assert_int_equal(login(&a, "editor1", pw), 303);
    assert_int_equal(login(&b, "admin1", pw), 303);
    /* the overview (cached per model version) must show a save at once */
    assert_int_equal(send(&a, "GET", "/overview", "unit=d1&period=2027", NULL, NULL, &rs), 200);
    assert_null(strstr(buf_str(&rs.body), ">41<"));
    http_resp_free(&rs);
    /* both open the empty 2027 form; a saves first; b's save is refused showing both values */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2027&action=save&v_kn=41&o_kn=", a.csrf);
    assert_int_equal(status_of(&a, "POST", "/entry", NULL, form), 303);
    assert_int_equal(send(&a, "GET", "/overview", "unit=d1&period=2027", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">41<"));
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2027&action=save&v_kn=52&o_kn=", b.csrf);
    assert_int_equal(send(&b, "POST", "/entry", NULL, form, NULL, &rs), 409);
    assert_non_null(strstr(buf_str(&rs.body), "&#39;41&#39;"));
    assert_non_null(strstr(buf_str(&rs.body), "&#39;52&#39;"));
    http_resp_free(&rs);
    /* with the value it now shows, b's change goes through */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2027&action=save&v_kn=52&o_kn=41", b.csrf);
    assert_int_equal(status_of(&b, "POST", "/entry", NULL, form), 303);
    const cell_t *v = model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "d1"),
                                  (period_t){ P_YEAR, 0, 2027, 2027 }, &(cell_t){ 0 });
    assert_non_null(v);
    assert_true(v->v == 52);
}

static void test_workflow(void **state)
{
    (void)state;
    client ed, ap, ad, root;
    char form[256];
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&ap, "approver1", pw), 303);
    assert_int_equal(login(&ad, "admin1", pw), 303);
    assert_int_equal(login(&root, "root", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=submit&v_kn=45&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    /* submitted: the editor can no longer change it */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=save&v_kn=46&o_kn=45", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 400);
    /* the approver returns it with a comment; the editor fixes and resubmits; it is approved */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=return&comment=ki%%E1%%BB%%83m+tra+l%%E1%%BA%%A1i", ap.csrf);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 303);
    http_resp rr;
    assert_int_equal(send(&ed, "GET", "/entry", "unit=w1&period=2023", NULL, NULL, &rr), 200);
    assert_non_null(strstr(buf_str(&rr.body), "Bị trả lại: kiểm tra lại"));   /* a return is one */
    assert_non_null(strstr(buf_str(&rr.body), "aria-label=\"Ghi chú: Kết nạp đảng viên\""));
    http_resp_free(&rr);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=submit&v_kn=46&o_kn=45", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    /* the approval page carries the time of the step it shows; an approval from a page opened
     * before the set was sent again (an older time) is refused, and the set stays submitted */
    assert_int_equal(send(&ap, "GET", "/approval", NULL, NULL, NULL, &rr), 200);
    assert_non_null(strstr(buf_str(&rr.body), "name=\"expected_at\" value=\""));
    http_resp_free(&rr);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=approve&expected_at=2000-01-01T00%%3A00%%3A00Z",
             ap.csrf);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 409);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=approve", ap.csrf);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 303);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 409);      /* already approved */
    /* locked: neither the editor nor the API may change it */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=save&v_kn=47&o_kn=46", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 400);
    /* unlocking: not by an approver, not by an admin without a reason; an admin with one */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=unlock&comment=x", ap.csrf);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 403);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=unlock&comment=", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/approval", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=unlock&comment=s%%E1%%BB%%ADa+s%%E1%%BB%%91+li%%E1%%BB%%87u", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/approval", NULL, form), 303);
    /* the unlock reads as one to the editor and in the approval list, not as a return; the
     * approval list names the period ("Năm 2023") and gives local times (d/m/yyyy HH:mm) */
    http_resp rs;
    assert_int_equal(send(&ed, "GET", "/entry", "unit=w1&period=2023", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Quản trị đã mở khóa để sửa: sửa số liệu"));
    assert_null(strstr(buf_str(&rs.body), "Bị trả lại"));
    http_resp_free(&rs);
    assert_int_equal(send(&root, "GET", "/approval", NULL, NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "đã mở khóa để sửa"));
    assert_non_null(strstr(buf_str(&rs.body), "Năm 2023"));
    assert_non_null(strstr(buf_str(&rs.body), "<time datetime=\"20"));
    assert_null(strstr(buf_str(&rs.body), "Z</td>"));       /* no raw UTC ISO strings */
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2023&action=save&v_kn=47&o_kn=46", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    /* the audit log names who did what, and the value's change old -> new */
    assert_int_equal(send(&root, "GET", "/admin/audit", NULL, NULL, NULL, &rs), 200);
    const char *body = buf_str(&rs.body);
    assert_non_null(strstr(body, "<td>mở khóa</td>"));
    assert_non_null(strstr(body, "sửa số liệu"));
    assert_non_null(strstr(body, "46 → 47"));
    http_resp_free(&rs);
    /* the overview shows the new state and figure */
    assert_int_equal(send(&root, "GET", "/overview", "unit=w1&period=2023", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "badge returned"));   /* unlocked, back with the editor */
    assert_non_null(strstr(buf_str(&rs.body), ">47<"));
    http_resp_free(&rs);
}

static void test_parsers(void **state)
{
    (void)state;
    http_params p = { 0 };
    err_t e;
    assert_int_equal(http_parse_urlencoded(&p, "a=1&b=%C3%A1+x&c&&d=", 20, &e), 0);
    assert_int_equal(p.n, 4);
    assert_string_equal(http_param(&p, "b"), "á x");
    assert_string_equal(http_param(&p, "c"), "");
    http_params_free(&p);
    assert_int_not_equal(http_parse_urlencoded(&p, "a=%00", 5, &e), 0);     /* NUL */
    http_params_free(&p);
    assert_int_not_equal(http_parse_urlencoded(&p, "a=%C3", 5, &e), 0);     /* truncated UTF-8 */
    http_params_free(&p);
    static const char mp[] =
        "--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\npreview\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\nindicator,unit\r\n\x01\xff\r\n--XyZ--\r\n";
    assert_int_equal(http_parse_multipart(&p, "multipart/form-data; boundary=XyZ", mp, sizeof mp - 1, &e), 0);
    assert_string_equal(http_param(&p, "action"), "preview");
    const http_kv *f = http_param_kv(&p, "file");
    assert_non_null(f);
    assert_string_equal(f->filename, "v.csv");
    assert_int_equal(f->vlen, 18);
    http_params_free(&p);
    assert_int_not_equal(http_parse_multipart(&p, "multipart/form-data; boundary=Q", mp, sizeof mp - 1, &e), 0);
    http_params_free(&p);
    char out[32];
    http_cookie("a=1; chitieu_session=abc; b=2", "chitieu_session", out, sizeof out);
    assert_string_equal(out, "abc");
    http_cookie("xchitieu_session=abc", "chitieu_session", out, sizeof out);
    assert_string_equal(out, "");
}

static void test_static_and_lang(void **state)
{
    (void)state;
    http_resp rs;
    assert_int_equal(send(NULL, "GET", "/static/app.css", "v=1", NULL, NULL, &rs), 200);
    assert_true(rs.cache_seconds > 0);
    assert_non_null(strstr(rs.ctype, "text/css"));
    http_resp_free(&rs);
    assert_int_equal(status_of(NULL, "GET", "/static/nothing.js", NULL, NULL), 404);
    assert_int_equal(send(NULL, "GET", "/login", "lang=en", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Log in"));
    assert_non_null(strstr(rs.cookies[0], "chitieu_lang=en"));
    http_resp_free(&rs);
    assert_int_equal(send(NULL, "GET", "/login", NULL, NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Đăng nhập"));
    http_resp_free(&rs);
}

/* The pages read in words and draw under the strict CSP: the "% kế hoạch" bars are SVG (no
 * inline style), the indicator page names its codes, a favicon is linked and served. */
static void test_pages_read(void **state)
{
    (void)state;
    client c;
    http_resp rs;
    assert_int_equal(login(&c, "root", pw), 303);
    assert_int_equal(send(&c, "GET", "/overview", "unit=d1&period=2023", NULL, NULL, &rs), 200);
    const char *body = buf_str(&rs.body);
    assert_non_null(strstr(body, "<svg class=\"bar\""));
    assert_null(strstr(body, "style="));
    assert_non_null(strstr(body, "<link rel=\"icon\" href=\"/static/favicon.svg\""));
    http_resp_free(&rs);
    assert_int_equal(send(&c, "GET", "/indicator", "unit=d1&period=2023&ind=kn", NULL, NULL, &rs), 200);
    body = buf_str(&rs.body);
    assert_non_null(strstr(body, "Tăng là tốt"));
    assert_null(strstr(body, "<dd>up</dd>"));
    assert_null(strstr(body, "sum / sum"));
    assert_null(strstr(body, "style="));
    http_resp_free(&rs);
    assert_int_equal(send(NULL, "GET", "/static/favicon.svg", NULL, NULL, NULL, &rs), 200);
    assert_string_equal(rs.ctype, "image/svg+xml");
    http_resp_free(&rs);
}

static void test_admin_catalogue(void **state)
{
    (void)state;
    client root, ad;
    char form[512];
    assert_int_equal(login(&root, "root", pw), 303);
    assert_int_equal(login(&ad, "admin1", pw), 303);
    /* a new ward under d1 by the district admin; not under d2 */
    snprintf(form, sizeof form, "csrf=%s&action=unit&code=w2&name=Ph%%C6%%B0%%E1%%BB%%9Dng+Hai&parent=d1&type=x", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    assert_true(model_unit_find(app->m, "w2") >= 0);
    snprintf(form, sizeof form, "csrf=%s&action=unit&code=w3&name=Ba&parent=d2&type=x", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 403);
    assert_true(model_unit_find(app->m, "w3") < 0);
    /* the form's dates: a new ward valid from a day; renaming it without dates keeps them */
    snprintf(form, sizeof form, "csrf=%s&action=unit&code=w2b&name=Ph%%C6%%B0%%E1%%BB%%9Dng+Hai+B&parent=d1&type=x"
             "&valid_from=2031-07-01&valid_to=", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    int w2b = model_unit_find(app->m, "w2b");
    assert_true(w2b >= 0);
    assert_int_equal(app->m->units[w2b].valid_from, 20310701);
    snprintf(form, sizeof form, "csrf=%s&action=unit&code=w2b&name=B&parent=d1&type=x&valid_from=&valid_to=", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    w2b = model_unit_find(app->m, "w2b");
    assert_string_equal(app->m->units[w2b].name, "B");
    assert_int_equal(app->m->units[w2b].valid_from, 20310701);
    /* a target, checked by the import rules */
    snprintf(form, sizeof form, "csrf=%s&action=target&ind=kn&unit=w2&period=2023&value=12", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    assert_non_null(model_target(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w2"),
                                 (period_t){ P_YEAR, 0, 2023, 2023 }, &(cell_t){ 0 }));
    snprintf(form, sizeof form, "csrf=%s&action=target&ind=kn&unit=w2&period=20x3&value=12", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 400);
    /* changing it (the stored target is looked up, not loaded: a catalogue-only model) */
    snprintf(form, sizeof form, "csrf=%s&action=target&ind=kn&unit=w2&period=2023&value=13", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    assert_true(model_target(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w2"),
                             (period_t){ P_YEAR, 0, 2023, 2023 }, &(cell_t){ 0 })->v == 13);
    /* indicators: only a top-level admin; editing keeps what the form does not show */
    snprintf(form, sizeof form, "csrf=%s&action=indicator&code=tl&name=T%%E1%%BB%%B7+l%%E1%%BB%%87&group=X&measure=%%25"
             "&direction=down&decimals=1", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 403);
    snprintf(form, sizeof form, "csrf=%s&action=indicator&code=tl&name=T%%E1%%BB%%B7+l%%E1%%BB%%87+m%%E1%%BB%%9Bi&group=X"
             "&measure=%%25&direction=down&decimals=1", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/admin/data", NULL, form), 303);
    int i = model_ind_find(app->m, "tl");
    assert_string_equal(app->m->inds[i].name, "Tỷ lệ mới");
    assert_int_equal(app->m->inds[i].decimals, 1);
    assert_int_equal(app->m->inds[i].dir, DIR_DOWN);
    /* a new name from the blank form (direction and decimals left blank, no measure or group): the
     * rest stays as it is (it used to become "up", 0 decimals and no measure, silently) */
    snprintf(form, sizeof form, "csrf=%s&action=indicator&code=tl&name=T%%E1%%BB%%B7+l%%E1%%BB%%87+ba&direction="
             "&decimals=", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/admin/data", NULL, form), 303);
    i = model_ind_find(app->m, "tl");
    assert_string_equal(app->m->inds[i].name, "Tỷ lệ ba");
    assert_int_equal(app->m->inds[i].decimals, 1);
    assert_int_equal(app->m->inds[i].dir, DIR_DOWN);
    assert_string_equal(app->m->inds[i].measure, "%");
    assert_string_equal(app->m->inds[i].group, "X");
    /* the table's edit link fills the form with what the indicator is */
    http_resp rs;
    assert_int_equal(send(&root, "GET", "/admin/data", "edit=tl", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "name=\"name\" required maxlength=\"300\" value=\"Tỷ lệ ba\""));
    assert_non_null(strstr(buf_str(&rs.body), "<option value=\"down\" selected>"));
    assert_non_null(strstr(buf_str(&rs.body), "placeholder=\"như hiện có\" value=\"1\""));
    assert_non_null(strstr(buf_str(&rs.body), "href=\"/admin/data?edit=tl#ind-form\""));
    http_resp_free(&rs);
}

static void test_tasks(void **state)
{
    (void)state;
    client ed, vw, other;
    char form[256];
    http_resp rs;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&vw, "viewer1", pw), 303);
    assert_int_equal(login(&other, "ed2", pw), 303);
    /* reading: the subtree's tasks only */
    assert_int_equal(send(&vw, "GET", "/tasks", "unit=d1", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Nhiệm vụ của phường"));
    assert_null(strstr(buf_str(&rs.body), "Nhiệm vụ của quận hai"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&vw, "GET", "/task", "code=t1", NULL), 200);
    assert_int_equal(status_of(&vw, "GET", "/task", "code=t2", NULL), 403);
    assert_int_equal(status_of(&vw, "GET", "/task", "code=nope", NULL), 404);
    assert_int_equal(status_of(&vw, "GET", "/tasks", "unit=d1&status=bogus", NULL), 400);
    assert_int_equal(status_of(&vw, "GET", "/tasks", "unit=d1&sort=bogus", NULL), 400);
    assert_int_equal(status_of(&vw, "GET", "/tasks", "unit=d1&sort=title&due=later", NULL), 200);
    /* the overview's task line (cached per data version) before any report */
    assert_int_equal(send(&vw, "GET", "/overview", "unit=d1&period=2023", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "hoàn thành 0/1"));
    http_resp_free(&rs);
    /* reporting progress: editors of the lead unit's ancestors or itself; not viewers, not other districts */
    snprintf(form, sizeof form, "csrf=%s&code=t1&pct=40&text=%%C4%%91ang+l%%C3%%A0m", vw.csrf);
    assert_int_equal(status_of(&vw, "POST", "/task", NULL, form), 403);
    snprintf(form, sizeof form, "csrf=%s&code=t1&pct=40&text=x", other.csrf);
    assert_int_equal(status_of(&other, "POST", "/task", NULL, form), 403);
    snprintf(form, sizeof form, "code=t1&pct=40&text=x");
    assert_int_equal(status_of(&ed, "POST", "/task", NULL, form), 403);             /* no CSRF token */
    snprintf(form, sizeof form, "csrf=%s&code=t1&pct=140&text=x", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/task", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&code=t1&pct=100&text=%%3Cb%%3Exong%%3C%%2Fb%%3E", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/task", NULL, form), 303);
    assert_int_equal(send(&vw, "GET", "/task", "code=t1", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "&lt;b&gt;xong&lt;/b&gt;"));
    assert_non_null(strstr(buf_str(&rs.body), "id=\"task-progress\">100%"));
    http_resp_free(&rs);
    assert_int_equal(send(&vw, "GET", "/overview", "unit=d1&period=2023", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "hoàn thành 1/1"));     /* the report is seen at once */
    http_resp_free(&rs);
}

typedef struct {
    client *c;
    const char *form;
    int status;
} task_post;

static void *post_task(void *arg)
{
    task_post *p = arg;
    p->status = status_of(p->c, "POST", "/task", NULL, p->form);
    return NULL;
}

/* A progress report from the task page while another writer (a task import renaming the task)
 * holds the database: it waits, then reads the task as that writer left it, so the row written
 * back keeps the new title (read before the wait, the old title would come back). */
static void test_task_page_after_writer(void **state)
{
    (void)state;
    client ed;
    char form[256];
    http_resp rs;
    pthread_t th;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&code=t1&pct=70&text=th%%C3%%AAm", ed.csrf);
    task_post p = { &ed, form, 0 };
    sqlite3 *other = ts_hold(db, "UPDATE work_item SET title='Nhiệm vụ đổi tên' WHERE code='t1'");
    assert_int_equal(pthread_create(&th, NULL, post_task, &p), 0);
    usleep(400000);                      /* the report reaches its wait for the writer's lock */
    ts_release(other);
    pthread_join(th, NULL);
    assert_int_equal(p.status, 303);
    assert_int_equal(send(&ed, "GET", "/task", "code=t1", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Nhiệm vụ đổi tên"));
    assert_non_null(strstr(buf_str(&rs.body), "id=\"task-progress\">70%"));
    http_resp_free(&rs);
}

/* Posts a file to /import as multipart/form-data, with an encoding field unless enc is NULL. */
static int upload_enc(const client *c, const char *action, const char *enc, const char *name, const char *content,
                      http_resp *rs)
{
    http_req rq;
    err_t e;
    buf body = BUF_INIT;
    http_req_init(&rq);
    http_resp_init(rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "/import");
    snprintf(rq.cookie, sizeof rq.cookie, "%s", c->cookie);
    snprintf(rq.ctype, sizeof rq.ctype, "multipart/form-data; boundary=BoUnD");
    buf_printf(&body, "--BoUnD\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                      "--BoUnD\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n%s\r\n", c->csrf, action);
    if (enc)
        buf_printf(&body, "--BoUnD\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\n%s\r\n", enc);
    buf_printf(&body, "--BoUnD\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                      "Content-Type: text/csv\r\n\r\n%s\r\n--BoUnD--\r\n", name, content);
    assert_int_equal(http_parse_multipart(&rq.form, rq.ctype, buf_str(&body), body.len, &e), 0);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
    buf_free(&body);
    return rs->status;
}

static int upload(const client *c, const char *action, const char *name, const char *content, http_resp *rs)
{
    return upload_enc(c, action, NULL, name, content, rs);
}

static void test_import_page(void **state)
{
    (void)state;
    client root, ed;
    http_resp rs;
    assert_int_equal(login(&root, "root", pw), 303);
    assert_int_equal(login(&ed, "editor1", pw), 303);
    static const char tasks[] =
        "code,title,programme,parent,lead_unit,cooperating_units,owner,start,deadline,status,progress,completed_on,result,indicators\n"
        "t9,Nhiệm vụ mới,p1,,w1,,,2024-01-01,2030-06-28,,10,,,kn\n";
    /* editors may not import tasks; an admin previews (nothing written), then commits */
    assert_int_equal(upload(&ed, "commit", "tasks.csv", tasks, &rs), 422);
    http_resp_free(&rs);
    assert_int_equal(upload(&root, "preview", "tasks.csv", tasks, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "import-result"));
    http_resp_free(&rs);
    /* a file with errors: one item a line, its text escaped */
    assert_int_equal(upload(&root, "commit", "values.csv", "indicator,unit,period,value\nkn,w1,2019,<b>\nkn,w1,2019,x\n", &rs),
                     422);
    const char *body = buf_str(&rs.body), *list = strstr(body, "<ul class=\"errors\"><li>");
    assert_non_null(list);
    assert_non_null(strstr(list, "</li><li>"));
    assert_non_null(strstr(list, "&lt;b&gt;"));
    assert_null(strstr(body, "<b>"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&root, "GET", "/task", "code=t9", NULL), 404);
    assert_int_equal(upload(&root, "commit", "tasks.csv", tasks, &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(status_of(&root, "GET", "/task", "code=t9", NULL), 200);
    /* values: an editor's file for their own ward is fine; for another district, refused whole */
    assert_int_equal(upload(&ed, "commit", "values.csv", "indicator,unit,period,value\nkn,w1,2019,11\n", &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(upload(&ed, "commit", "values.csv", "indicator,unit,period,value\nkn,w1,2018,11\nkn,d2,2018,12\n", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "d2"));
    http_resp_free(&rs);
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w1"),
                            (period_t){ P_YEAR, 0, 2018, 2018 }, &(cell_t){ 0 }));
    assert_non_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w1"),
                                (period_t){ P_YEAR, 0, 2019, 2019 }, &(cell_t){ 0 }));
    /* a bad file names its row and column */
    assert_int_equal(upload(&ed, "preview", "values.csv", "indicator,unit,period,value\nkn,w1,2019,abc\n", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "values.csv, dòng 2, cột 4"));
    http_resp_free(&rs);

    /* bad input never corrupts: a UTF-8 file with one bad byte is refused where it is, on preview
     * and on commit, and nothing is written */
    static const char one_bad[] = "indicator,unit,period,value,comment\nkn,w1,2017,5,Đã kiểm tra\n"
                                  "kn,w1,2016,6,\"Th\xC3o, số liệu\"\n";
    period_t y2017 = { P_YEAR, 0, 2017, 2017 };
    assert_int_equal(upload(&ed, "preview", "values.csv", one_bad, &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "tệp values.csv, dòng 3, cột 5: byte 0xC3 không hợp lệ trong UTF-8"));
    http_resp_free(&rs);
    assert_int_equal(upload(&ed, "commit", "values.csv", one_bad, &rs), 422);
    http_resp_free(&rs);
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w1"), y2017, &(cell_t){ 0 }));
    /* a clean TCVN3 file: the preview names the encoding and shows the decoded text */
    static const char tcvn3[] = "indicator,unit,period,value,comment\nkn,w1,2017,5,T\xABi \xAEi h\xE4" "c\n";
    assert_int_equal(upload(&ed, "preview", "values.csv", tcvn3, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "TCVN3 (ABC)</strong> (tự nhận biết)"));
    assert_non_null(strstr(buf_str(&rs.body), "kn,w1,2017,5,Tôi đi học"));
    http_resp_free(&rs);
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w1"), y2017, &(cell_t){ 0 }));
    /* the user may say otherwise; a UTF-8 preview shows its text too */
    assert_int_equal(upload_enc(&ed, "preview", "cp1258", "values.csv", one_bad, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Windows-1258</strong> (đã chọn)"));
    http_resp_free(&rs);
    assert_int_equal(upload_enc(&ed, "preview", "auto", "values.csv", "indicator,unit,period,value\nkn,w1,2017,5\n", &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "UTF-8</strong> (tự nhận biết)"));
    assert_non_null(strstr(buf_str(&rs.body), "id=\"import-sample\">indicator,unit,period,value\nkn,w1,2017,5\n</pre>"));
    http_resp_free(&rs);
    assert_int_equal(upload_enc(&ed, "preview", "klingon", "values.csv", "indicator,unit,period,value\nkn,w1,2017,5\n", &rs), 400);
    http_resp_free(&rs);
    /* empty, header-only, too wide */
    assert_int_equal(upload(&ed, "preview", "values.csv", "", &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "rỗng"));
    http_resp_free(&rs);
    assert_int_equal(upload(&ed, "commit", "values.csv", "indicator,unit,period,value\n", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "tệp chỉ có dòng tiêu đề"));
    http_resp_free(&rs);
    assert_int_equal(upload(&ed, "commit", "values.csv", "indicator,unit,period,value\nkn,w1,2017,1,5\n", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "values.csv, dòng 2, cột 5 (ngoài tiêu đề): &#39;5&#39;"));
    http_resp_free(&rs);
    assert_null(model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, "w1"), y2017, &(cell_t){ 0 }));
}

/* Locks that hold: a district's approved 2024 protects its wards' figures and every sub-period,
 * through the form, the API and the import page; a sibling district and another year stay open;
 * the refusal names the lock; an administrator's unlock (with a reason) opens it again. */
static void test_locks_hold(void **state)
{
    (void)state;
    client ed, root, ed2, api = { 0 };
    char form[256];
    http_resp rs;
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&ed2, "ed2", pw), 303);
    assert_int_equal(login(&root, "root", pw), 303);
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "editor1", "locks", &e), 0);
    store_close(s);
    /* the ward reports, the district reports and submits; the city (root) approves */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2024&action=save&v_kn=283&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2024&action=submit&v_kn=300&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2024&action=approve", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/approval", NULL, form), 303);
    int kn = model_ind_find(app->m, "kn"), w1 = model_unit_find(app->m, "w1");
    /* the web form: the ward's figure below the approved district is refused, naming the lock */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2024&action=save&v_kn=754&o_kn=283", ed.csrf);
    assert_int_equal(send(&ed, "POST", "/entry", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "root"));
    assert_non_null(strstr(buf_str(&rs.body), "d1"));
    http_resp_free(&rs);
    assert_true(model_value(app->m, kn, w1, (period_t){ P_YEAR, 0, 2024, 2024 }, &(cell_t){ 0 })->v == 283);
    /* the entry page shows it read-only */
    assert_int_equal(send(&ed, "GET", "/entry", "unit=w1&period=2024", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"locked\""));
    http_resp_free(&rs);
    /* the API: the year and a quarter within it are refused; another year is not */
    static const char *const refused[] = { "2024", "2024Q3", "2024-05", "2024S1" };
    for (int k = 0; k < 4; k++) {
        char json[256];
        snprintf(json, sizeof json, "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"%s\",\"value\":754}]}",
                 refused[k]);
        assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL, json, &rs), 422);
        assert_non_null(strstr(buf_str(&rs.body), "\"locked\""));
        http_resp_free(&rs);
    }
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2025\",\"value\":5}]}", &rs), 200);
    http_resp_free(&rs);
    assert_true(model_value(app->m, kn, w1, (period_t){ P_YEAR, 0, 2024, 2024 }, &(cell_t){ 0 })->v == 283);
    assert_null(model_value(app->m, kn, w1, (period_t){ P_QUARTER, 3, 2024, 2024 }, &(cell_t){ 0 }));
    /* a sibling district is not protected */
    snprintf(form, sizeof form, "csrf=%s&unit=d2&period=2024&action=save&v_kn=71&o_kn=", ed2.csrf);
    assert_int_equal(status_of(&ed2, "POST", "/entry", NULL, form), 303);
    /* the import page: a file touching the locked ward is refused whole, its other row too */
    assert_int_equal(upload(&ed, "commit", "values.csv",
                            "indicator,unit,period,value\nkn,w1,2026,1\nkn,w1,2024Q2,754\n", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "dòng 3"));
    http_resp_free(&rs);
    assert_null(model_value(app->m, kn, w1, (period_t){ P_YEAR, 0, 2026, 2026 }, &(cell_t){ 0 }));
    /* unlocked by an administrator with a reason: the ward can be corrected */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2024&action=unlock&comment=s%%E1%%BB%%ADa", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/approval", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2024&action=save&v_kn=284&o_kn=283", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(model_value(app->m, kn, w1, (period_t){ P_YEAR, 0, 2024, 2024 }, &(cell_t){ 0 })->v == 284);
}

static void outside_import(const char *csv);

/* GET /entry as c for query q: 200, and its page (caller frees). */
static char *entry_page(const client *c, const char *q)
{
    http_resp rs;
    assert_int_equal(send(c, "GET", "/entry", q, NULL, NULL, &rs), 200);
    char *page = strdup(buf_str(&rs.body));
    assert_non_null(page);
    http_resp_free(&rs);
    return page;
}

/* 1 if the entry page of c for q contains all of the NULL-terminated texts. */
static int entry_shows(const client *c, const char *q, ...)
{
    char *page = entry_page(c, q);
    int all = 1;
    va_list ap;
    va_start(ap, q);
    for (const char *t; (t = va_arg(ap, const char *)) != NULL;)
        all &= strstr(page, t) != NULL;
    va_end(ap);
    free(page);
    return all;
}

/* The entry page keeps its grid, its unit picker and its warnings until the model changes
 * (page_entry.c): a page made from them is the page made afresh; each user's picker and each
 * language are their own; and a save (the form, the API, another process), a submission, an
 * approval, an unlock and a lock from above all show on the very next request. */
static void test_entry_kept(void **state)
{
    (void)state;
    client ed, ap, ad, root, en, api = { 0 };
    char form[256], digest[AUTH_DIGEST_LEN + 1];
    const char *q = "unit=w1&period=2028";
    http_resp rs;
    err_t e;
    store *s;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&ap, "approver1", pw), 303);
    assert_int_equal(login(&ad, "admin1", pw), 303);
    assert_int_equal(login(&root, "root", pw), 303);
    en = ed;
    snprintf(en.cookie + strlen(en.cookie), sizeof en.cookie - strlen(en.cookie), "; chitieu_lang=en");
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "editor1", "kept", &e), 0);
    store_close(s);

    /* made, then served kept: the same bytes; nothing to enter yet */
    char *first = entry_page(&ed, q), *again = entry_page(&ed, q);
    assert_string_equal(first, again);
    assert_non_null(strstr(first, "Đơn vị chưa có chỉ tiêu nào cho kỳ này."));
    free(first);
    free(again);
    /* English is its own; the picker is the user's (root's reaches d2, the editor's does not) */
    assert_true(entry_shows(&en, q, "The unit has no indicators for this period.", NULL));
    assert_true(entry_shows(&root, q, "<option value=\"d2\">", NULL));
    assert_false(entry_shows(&ed, q, "<option value=\"d2\">", NULL));
    assert_true(entry_shows(&ed, q, "Đơn vị chưa có chỉ tiêu nào cho kỳ này.", NULL));

    /* a save through the form: the row and its figure at once */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2028&action=save&v_kn=123&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "name=\"o_kn\" value=\"123\"", "id=\"v_kn\" name=\"v_kn\" value=\"123\"", NULL));
    assert_true(entry_shows(&en, q, "name=\"o_kn\" value=\"123\"", "Save draft", NULL));
    /* a form refused is shown with what was typed; the kept page never is */
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2028&action=save&v_kn=abc&o_kn=123", ed.csrf);
    assert_int_equal(send(&ed, "POST", "/entry", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "value=\"abc\""));
    http_resp_free(&rs);
    assert_false(entry_shows(&ed, q, "value=\"abc\"", NULL));
    /* through the API */
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2028\",\"value\":124}]}", &rs), 200);
    http_resp_free(&rs);
    assert_true(entry_shows(&ed, q, "name=\"o_kn\" value=\"124\"", NULL));
    /* by another process (the reloader brings it; the request that noticed was answered) */
    outside_import("indicator,unit,period,value\nkn,w1,2028,125\n");
    assert_int_equal(status_of(&ed, "GET", "/entry", q, NULL), 200);
    web_idle(app);
    assert_true(entry_shows(&ed, q, "name=\"o_kn\" value=\"125\"", NULL));

    /* submitted: read-only at once; approved: locked; unlocked: editable again */
    assert_false(entry_shows(&ed, q, "id=\"locked\"", NULL));
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2028&action=submit&v_kn=126&o_kn=125", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "id=\"locked\"", "đang chờ duyệt", "name=\"o_kn\" value=\"126\"", " readonly>", NULL));
    assert_false(entry_shows(&ed, q, "value=\"save\"", NULL));
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2028&action=approve", ap.csrf);
    assert_int_equal(status_of(&ap, "POST", "/approval", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "id=\"locked\"", "đã được duyệt và khóa", NULL));
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=2028&action=unlock&comment=s%%E1%%BB%%ADa", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/approval", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "Quản trị đã mở khóa để sửa: sửa", "value=\"save\"", NULL));
    assert_false(entry_shows(&ed, q, "id=\"locked\"", NULL));
    assert_false(entry_shows(&ed, q, " readonly>", NULL));

    /* a lock from above: the district submitted and approved, the ward's page read-only naming
     * it; unlocked, editable again */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2028&action=submit&v_kn=300&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "id=\"locked\"", "&#39;d1&#39;", " readonly>", NULL));
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2028&action=approve", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/approval", NULL, form), 303);
    assert_true(entry_shows(&ed, q, "id=\"locked\"", "&#39;d1&#39;", "root", NULL));
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2028&action=unlock&comment=s%%E1%%BB%%ADa", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/approval", NULL, form), 303);
    assert_false(entry_shows(&ed, q, "id=\"locked\"", NULL));
    assert_true(entry_shows(&ed, q, "value=\"save\"", "name=\"o_kn\" value=\"126\"", NULL));

    /* the state and the locks unreadable: an error, never a page that guesses editable or locked
     * (the kept grid is not served either); readable again, the page is back */
    db_exec("ALTER TABLE submission RENAME TO submission_away");
    assert_int_equal(send(&ed, "GET", "/entry", q, NULL, NULL, &rs), 500);
    assert_null(strstr(buf_str(&rs.body), "name=\"o_kn\""));
    http_resp_free(&rs);
    db_exec("ALTER TABLE submission_away RENAME TO submission");
    assert_true(entry_shows(&ed, q, "value=\"save\"", "name=\"o_kn\" value=\"126\"", NULL));
}

/* While another process holds the write lock (a long import), pages are still served at once,
 * even for a session whose sliding expiry is due to be written (and cannot be). */
static void test_pages_during_long_import(void **state)
{
    (void)state;
    client v, ed;
    store *hold;
    err_t e;
    assert_int_equal(login(&v, "viewer1", pw), 303);
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(store_open(db, 0, &hold, &e), 0);
    assert_int_equal(store_begin(hold, &e), 0);
    int ttl = app->session_ttl;
    app->session_ttl = ttl + 600;                 /* the session's expiry is due to move */
    time_t t0 = time(NULL);
    assert_int_equal(status_of(&v, "GET", "/overview", "unit=d1&period=2022", NULL), 200);
    /* the expiry not written is no error: the entry page (which looks for one) is served */
    assert_int_equal(status_of(&ed, "GET", "/entry", "unit=w1&period=2022", NULL), 200);
    assert_true(time(NULL) - t0 < 2);
    /* nor are the API's lists, which look for one too */
    assert_int_equal(status_of(&ed, "GET", "/api/v1/values", "unit=d1&period=2024", NULL), 200);
    store_rollback(hold);
    store_close(hold);
    assert_int_equal(status_of(&v, "GET", "/overview", "unit=d1&period=2022", NULL), 200);
    app->session_ttl = ttl;
}

/* A client with a fresh API token of user login. */
static void token_client(client *c, const char *login)
{
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    memset(c, 0, sizeof *c);
    auth_random_token(c->bearer);
    auth_token_digest(c->bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, login, "test", &e), 0);
    store_close(s);
}

/* Completeness: the page drills down from a unit to its children to a leaf's indicators, the
 * overview carries the summary line, the API pages rows and items; all within the reader's units. */
static void test_completeness(void **state)
{
    (void)state;
    client vw, api;
    http_resp rs;
    assert_int_equal(login(&vw, "viewer1", pw), 303);
    /* 2022S2: w1 (under d1) reported kn in 2022, so it is expected to report it for the half */
    assert_int_equal(send(&vw, "GET", "/completeness", "unit=d1&period=2022S2", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"completeness\""));
    assert_non_null(strstr(buf_str(&rs.body), "0/1 đơn vị đã báo cáo đủ, 0 trễ hạn"));
    assert_non_null(strstr(buf_str(&rs.body), "href=\"/completeness?unit=w1&amp;period=2022S2\""));
    assert_non_null(strstr(buf_str(&rs.body), "&lt;script&gt;"));
    assert_non_null(strstr(buf_str(&rs.body), "20/12/2022"));
    http_resp_free(&rs);
    assert_int_equal(send(&vw, "GET", "/completeness", "unit=w1&period=2022S2", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"completeness-items\""));
    assert_non_null(strstr(buf_str(&rs.body), "data-state=\"missing\""));
    assert_non_null(strstr(buf_str(&rs.body), "Kết nạp đảng viên"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&vw, "GET", "/completeness", "unit=d2&period=2022S2", NULL), 403);
    assert_int_equal(status_of(&vw, "GET", "/completeness", "unit=d1&period=2022X", NULL), 400);
    assert_int_equal(status_of(&vw, "GET", "/completeness", "unit=d1&period=2022S2&bogus=1", NULL), 400);
    assert_int_equal(send(&vw, "GET", "/overview", "unit=d1&period=2022S2", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"completeness-summary\""));
    assert_non_null(strstr(buf_str(&rs.body), "0/1 đơn vị đã báo cáo đủ, 0 trễ hạn"));
    http_resp_free(&rs);
    /* the API, as the viewer */
    token_client(&api, "viewer1");
    assert_int_equal(send(&api, "GET", "/api/v1/completeness", "unit=d1&period=2022S2", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"units\":[{\"unit\":\"w1\""));
    assert_non_null(strstr(buf_str(&rs.body), "\"missing\":1"));
    assert_non_null(strstr(buf_str(&rs.body), "\"deadline\":\"2022-12-20\""));
    assert_non_null(strstr(buf_str(&rs.body), "\"next\":null"));
    http_resp_free(&rs);
    assert_int_equal(send(&api, "GET", "/api/v1/completeness", "unit=d1&period=2022S2&view=items", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"items\":[{\"unit\":\"w1\",\"indicator\":\"kn\",\"state\":\"missing\",\"first_write\":null}"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&api, "GET", "/api/v1/completeness", "unit=d1&period=2022S2&view=x", NULL), 400);
    assert_int_equal(status_of(&api, "GET", "/api/v1/completeness", "unit=d1", NULL), 400);
    assert_int_equal(status_of(&api, "GET", "/api/v1/completeness", "unit=d2&period=2022S2", NULL), 403);
    assert_int_equal(status_of(&api, "GET", "/api/v1/completeness", "unit=nope&period=2022S2", NULL), 404);
}

static int api_step(const client *c, const char *step, const char *json, http_resp *rs)
{
    char path[64];
    snprintf(path, sizeof path, "/api/v1/approval/%s", step);
    return send(c, "POST", path, NULL, NULL, json, rs);
}

/* The approval chain through the API: the editor submits, the approver of the level above
 * approves or returns with a reason, only an administrator unlocks with a reason; each step is
 * in the audit log and the lock holds for the API's value writes meanwhile. */
static void test_approval_api(void **state)
{
    (void)state;
    client ed, ap, root;
    http_resp rs;
    static const char w1[] = "{\"unit\":\"w1\",\"period\":\"2031\"}";
    token_client(&ed, "editor1");
    token_client(&ap, "approver1");
    token_client(&root, "root");
    assert_int_equal(api_step(&ed, "submit", w1, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"state\":\"submitted\""));
    http_resp_free(&rs);
    assert_int_equal(api_step(&ed, "approve", w1, &rs), 403);            /* not an approver */
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "return", w1, &rs), 400);             /* a reason is needed */
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "return", "{\"unit\":\"w1\",\"period\":\"2031\",\"reason\":\"thiếu số liệu\"}", &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"state\":\"returned\""));
    http_resp_free(&rs);
    assert_int_equal(api_step(&ed, "submit", w1, &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "approve", "{\"unit\":\"d1\",\"period\":\"2031\"}", &rs), 403); /* own level */
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "approve", w1, &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "approve", w1, &rs), 409);            /* already approved */
    http_resp_free(&rs);
    assert_int_equal(send(&ed, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2031Q1\",\"value\":3}]}", &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "approver1"));
    http_resp_free(&rs);
    assert_int_equal(send(&ed, "GET", "/api/v1/approval", "unit=d1&period=2031", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "{\"unit\":\"w1\",\"period\":\"2031\",\"targets\":false,\"state\":\"approved\",\"by\":\"approver1\""));
    http_resp_free(&rs);
    assert_int_equal(api_step(&ap, "unlock", "{\"unit\":\"w1\",\"period\":\"2031\",\"reason\":\"x\"}", &rs), 403);
    http_resp_free(&rs);
    assert_int_equal(api_step(&root, "unlock", w1, &rs), 400);
    http_resp_free(&rs);
    assert_int_equal(api_step(&root, "unlock", "{\"unit\":\"w1\",\"period\":\"2031\",\"reason\":\"sửa\"}", &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(api_step(&ed, "publish", w1, &rs), 404);
    http_resp_free(&rs);
    assert_int_equal(api_step(&ed, "submit", "{\"unit\":\"w1\"}", &rs), 400);
    http_resp_free(&rs);
    assert_int_equal(send(&ed, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2031Q1\",\"value\":3}]}", &rs), 200);
    http_resp_free(&rs);
    /* a term's targets approved: the admin form may not change a ward's target below */
    static const char tset[] = "{\"unit\":\"d1\",\"period\":\"2020-2025\",\"targets\":true}";
    assert_int_equal(api_step(&root, "submit", tset, &rs), 200);
    http_resp_free(&rs);
    client ad, rootweb;
    char form[256];
    assert_int_equal(login(&rootweb, "root", pw), 303);            /* the approval page lists the set */
    assert_int_equal(send(&rootweb, "GET", "/approval", NULL, NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "name=\"targets\" value=\"1\""));
    http_resp_free(&rs);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2020-2025&targets=1&action=approve", rootweb.csrf);
    assert_int_equal(status_of(&rootweb, "POST", "/approval", NULL, form), 303);
    assert_int_equal(send(&ed, "GET", "/api/v1/approval", "unit=d1&period=2020-2025", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"period\":\"2020-2025\",\"targets\":true,\"state\":\"approved\""));
    http_resp_free(&rs);
    assert_int_equal(login(&ad, "admin1", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&action=target&ind=kn&unit=w1&period=2023&value=41", ad.csrf);
    assert_int_equal(send(&ad, "POST", "/admin/data", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "2020-2025"));
    http_resp_free(&rs);
    assert_int_equal(api_step(&root, "unlock", "{\"unit\":\"d1\",\"period\":\"2020-2025\",\"targets\":true,"
                                               "\"reason\":\"x\"}", &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(status_of(&ad, "POST", "/admin/data", NULL, form), 303);
    /* every step is in the audit log, with its reason */
    store *s;
    err_t e;
    web_audit *a = NULL;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    int n = store_audit_list(s, 50, &a, &e);
    int seen = 0;
    for (int k = 0; k < n; k++)
        if (strcmp(a[k].object, "w1") == 0)
            seen |= (strcmp(a[k].action, "submit") == 0) | (strcmp(a[k].action, "approve") == 0) << 1 |
                    (strcmp(a[k].action, "return") == 0 && strcmp(a[k].detail, "thiếu số liệu") == 0) << 2 |
                    (strcmp(a[k].action, "unlock") == 0 && strcmp(a[k].who, "root") == 0) << 3;
    free(a);
    store_close(s);
    assert_int_equal(seen, 15);
}

static void test_pages_more(void **state)
{
    (void)state;
    client root, vw, nu;
    char form[512];
    http_resp rs;
    assert_int_equal(login(&root, "root", pw), 303);
    assert_int_equal(login(&vw, "viewer1", pw), 303);
    /* charts and the report */
    assert_int_equal(send(&vw, "GET", "/chart.png", "kind=units&unit=d1&period=2022&ind=kn", NULL, NULL, &rs), 200);
    assert_string_equal(rs.ctype, "image/png");
    assert_memory_equal(rs.body.p, "\x89PNG", 4);
    http_resp_free(&rs);
    assert_int_equal(status_of(&vw, "GET", "/chart.png", "kind=pie&unit=d1&ind=kn", NULL), 400);
    assert_int_equal(send(&vw, "GET", "/report", "unit=d1&period=2022&format=md", NULL, NULL, &rs), 200);
    assert_non_null(strstr(rs.disposition, "attachment"));
    assert_non_null(strstr(buf_str(&rs.body), "Quận ủy Một"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&vw, "GET", "/report", "unit=d1&period=2022&format=exe", NULL), 400);
    assert_int_equal(status_of(&vw, "GET", "/report", "unit=d2&period=2022", NULL), 403);
    /* users: an admin adds one (checked), who then logs in and changes their password */
    snprintf(form, sizeof form, "csrf=%s&action=add&login=moi&name=M&role=chief&unit=d1&password=%s", root.csrf, pw);
    assert_int_equal(status_of(&root, "POST", "/admin/users", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&action=add&login=M%%C3%%B4i&name=M&role=viewer&unit=d1&password=%s", root.csrf, pw);
    assert_int_equal(status_of(&root, "POST", "/admin/users", NULL, form), 400);          /* login charset */
    snprintf(form, sizeof form, "csrf=%s&action=add&login=moi&name=M&role=viewer&unit=d1&password=short", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/admin/users", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&action=add&login=moi&name=M&role=viewer&unit=d1&password=%s", root.csrf, pw);
    assert_int_equal(status_of(&root, "POST", "/admin/users", NULL, form), 303);
    assert_int_equal(login(&nu, "moi", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&old=wrong-password&new=mat-khau-moi-123&new2=mat-khau-moi-123", nu.csrf);
    assert_int_equal(status_of(&nu, "POST", "/password", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&old=%s&new=mat-khau-moi-123&new2=mat-khau-moi-124", nu.csrf, pw);
    assert_int_equal(status_of(&nu, "POST", "/password", NULL, form), 400);
    snprintf(form, sizeof form, "csrf=%s&old=%s&new=mat-khau-moi-123&new2=mat-khau-moi-123", nu.csrf, pw);
    assert_int_equal(status_of(&nu, "POST", "/password", NULL, form), 303);
    assert_int_equal(status_of(&nu, "GET", "/overview", NULL, NULL), 303);              /* sessions ended */
    assert_int_equal(login(&nu, "moi", pw), 401);
    assert_int_equal(login(&nu, "moi", "mat-khau-moi-123"), 303);
    /* a district admin cannot manage a user of another district; the city admin disables one */
    client ad;
    assert_int_equal(login(&ad, "admin1", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&action=disable&login=ed2", ad.csrf);
    assert_int_equal(status_of(&ad, "POST", "/admin/users", NULL, form), 404);
    snprintf(form, sizeof form, "csrf=%s&action=disable&login=moi", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/admin/users", NULL, form), 303);
    assert_int_equal(status_of(&nu, "GET", "/overview", NULL, NULL), 303);
}

/* Another process writes figures (an import from the command line), as a separate handle. */
static void outside_import(const char *csv)
{
    store *s;
    model *m = NULL;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src = { "outside.csv", csv, strlen(csv) };
    import_opts o = { .who = "cli" };
    write_actor a = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };    /* as `chitieu import` does */
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(write_import(s, &a, &src, 1, &o, &st, &errs, &m, &e), 0);
    buf_free(&errs);
    model_free(m);
    store_close(s);
}

/* Reads the app's model as a request does, under the read lock: the reloader may be swapping it. */
static double kn_of(const char *unit, int year)
{
    pthread_rwlock_rdlock(&app->lock);
    const cell_t *v = model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, unit),
                                  (period_t){ P_YEAR, 0, (uint16_t)year, (uint16_t)year }, &(cell_t){ 0 });
    double x = v ? v->v : -1;
    pthread_rwlock_unlock(&app->lock);
    return x;
}

typedef struct probe {
    const client *c;
    int status, done;
    pthread_mutex_t mx;
    pthread_cond_t cv;
} probe;

static void *probe_get(void *arg)
{
    probe *p = arg;
    int st = status_of(p->c, "GET", "/overview", "unit=d2&period=2029", NULL);
    pthread_mutex_lock(&p->mx);
    p->status = st;
    p->done = 1;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mx);
    return NULL;
}

/* An API save carrying `expected` over a figure an import (another process) changed meanwhile is
 * refused with both values; with the figure as it now is, it goes through. */
static void test_api_expected_after_import(void **state)
{
    (void)state;
    client api = { 0 };
    http_resp rs;
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "editor1", "exp", &e), 0);
    store_close(s);
    outside_import("indicator,unit,period,value\nkn,w1,2016,20\n");
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2016\",\"value\":22,"
                          "\"expected\":20}]}", &rs), 200);
    http_resp_free(&rs);
    outside_import("indicator,unit,period,value\nkn,w1,2016,25\n");      /* meanwhile */
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2016\",\"value\":23,"
                          "\"expected\":22}]}", &rs), 409);
    assert_non_null(strstr(buf_str(&rs.body), "\"expected\""));
    assert_non_null(strstr(buf_str(&rs.body), "'25'"));
    assert_non_null(strstr(buf_str(&rs.body), "'22'"));
    http_resp_free(&rs);
    web_idle(app);
    assert_true(kn_of("w1", 2016) == 25);
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2016\",\"value\":23,"
                          "\"expected\":25}]}", &rs), 200);
    http_resp_free(&rs);
    assert_true(kn_of("w1", 2016) == 23);
}

/* What another process writes shows up without a restart: readers are answered meanwhile
 * (never waiting for a reload), the reloader brings the new figures in, and a writer never
 * writes on a model older than the database. */
static void test_outside_changes(void **state)
{
    (void)state;
    client ed;
    char form[256];
    http_resp rs;
    assert_int_equal(login(&ed, "root", pw), 303);

    /* A reader finds the database moved: it is answered, and the reloader catches up. */
    outside_import("indicator,unit,period,value\nkn,d2,2029,77\n");
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2029", NULL), 200);
    web_idle(app);
    assert_true(kn_of("d2", 2029) == 77);
    assert_int_equal(send(&ed, "GET", "/overview", "unit=d2&period=2029", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">77<"));
    http_resp_free(&rs);

    /* While a reload is under way (the test holds its mutex) a reader is still answered. */
    outside_import("indicator,unit,period,value\nkn,d2,2029,78\n");
    pthread_mutex_lock(&app->reload_mx);
    probe p = { .c = &ed };
    pthread_mutex_init(&p.mx, NULL);
    pthread_cond_init(&p.cv, NULL);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, probe_get, &p), 0);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    pthread_mutex_lock(&p.mx);
    while (!p.done && pthread_cond_timedwait(&p.cv, &p.mx, &until) == 0)
        ;
    int answered = p.done;
    pthread_mutex_unlock(&p.mx);
    pthread_mutex_unlock(&app->reload_mx);
    pthread_join(t, NULL);
    assert_true(answered);
    assert_int_equal(p.status, 200);
    web_idle(app);
    assert_true(kn_of("d2", 2029) == 78);

    /* A writer after an outside change loads it first, at once (no reader woke the reloader). */
    outside_import("indicator,unit,period,value\nkn,d2,2030,88\n");
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2030&action=save&v_kn=5&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(kn_of("d2", 2030) == 88);
    assert_true(kn_of("d1", 2030) == 5);
    web_idle(app);
    assert_true(kn_of("d1", 2030) == 5);

    /* The first figure of a year the engine does not hold: saved and shown at once (by the
     * reference path), and the model and engine are read afresh (whether the new year joins
     * the engine's span depends on where the rest of the data lies: engine.h). */
    int y0, y1;
    char q[64];
    web_idle(app);                            /* nothing swaps the model from here to the POST */
    const model *before = app->m;
    engine_years(app->m->engine, &y0, &y1);
    period_t next = { P_YEAR, 0, (uint16_t)(y1 + 1), (uint16_t)(y1 + 1) };
    assert_false(engine_covers(app->m->engine, next));
    snprintf(form, sizeof form, "csrf=%s&unit=w1&period=%d&action=save&v_kn=9&o_kn=", ed.csrf, y1 + 1);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(q, sizeof q, "unit=d1&period=%d", y1 + 1);
    assert_int_equal(send(&ed, "GET", "/overview", q, NULL, NULL, &rs), 200);
    /* d1 = w1's 9; w2 (added by test_admin_catalogue) has none, so it is marked as partial */
    assert_true(strstr(buf_str(&rs.body), ">9<") || strstr(buf_str(&rs.body), ">9" REPORT_PARTIAL_MARK "<small class=\"cov\""));
    http_resp_free(&rs);
    web_idle(app);
    assert_true(app->m != before);
    assert_true(kn_of("w1", y1 + 1) == 9);
}

/* The model reads as a request would (under the read lock). */
static const model *model_now(void)
{
    pthread_rwlock_rdlock(&app->lock);
    const model *m = app->m;
    pthread_rwlock_unlock(&app->lock);
    return m;
}

static int64_t feed_applied(void)
{
    pthread_rwlock_rdlock(&app->lock);
    int64_t n = app->feed_applied;
    pthread_rwlock_unlock(&app->lock);
    return n;
}

/* The app's completeness of unit for per, as a request computes it (under the read lock) from
 * the dates the server keeps (completeness.h), equals a fresh read of the store's first writes
 * on the same model, items and counts; returns the state of w's kn (-1: not expected). */
static int kept_state(const char *unit, const char *per, const char *w)
{
    store *s;
    err_t e;
    cycle_rules r;
    cmpl_result kept, fresh;
    int *first = NULL, st = -1;
    period_t p;
    assert_int_equal(period_parse(per, strlen(per), &p), 0);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    pthread_rwlock_rdlock(&app->lock);
    const model *m = app->m;
    assert_non_null(m->firsts);
    int u = model_unit_find(m, unit), wu = model_unit_find(m, w), kn = model_ind_find(m, "kn");
    assert_int_equal(cmpl_run(s, m, &r, u, p, &kept, &e), 0);
    assert_int_equal(cmpl_first_dates(s, m, &r, p, &first, &e), 0);
    assert_int_equal(cmpl_compute(m, &r, u, p, first, &fresh, &e), 0);
    assert_int_equal(kept.nitems, fresh.nitems);
    assert_memory_equal(kept.items, fresh.items, (size_t)fresh.nitems * sizeof *fresh.items);
    assert_memory_equal(&kept.total, &fresh.total, sizeof fresh.total);
    for (int i = 0; i < kept.nitems; i++)
        if (kept.items[i].unit == wu && kept.items[i].ind == kn)
            st = kept.items[i].state;
    pthread_rwlock_unlock(&app->lock);
    free(first);
    cmpl_free(&kept);
    cmpl_free(&fresh);
    store_close(s);
    return st;
}

/* The first-write dates the server keeps for the completeness line follow its own saves and
 * another server's (through the change feed, in place), a deletion and a re-entry (which keeps
 * its first date), and the overview's line shows them at once. */
static void test_completeness_kept(void **state)
{
    (void)state;
    client ed, api = { 0 };
    http_resp rs;
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(login(&ed, "root", pw), 303);
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "root", "kept", &e), 0);
    web_idle(app);
    const model *before = model_now();
    int w2_before = kept_state("city", "2025Q3", "w2");
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=city&period=2025Q3", NULL), 200);
    /* another server's save: in place, late (the deadline of 2025Q3 has passed) */
    outside_import("indicator,unit,period,value\nkn,w2,2025Q3,5\n");
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=city&period=2025Q3", NULL), 200);
    web_idle(app);
    assert_ptr_equal(model_now(), before);
    assert_int_not_equal(w2_before, CM_LATE);
    assert_int_equal(kept_state("city", "2025Q3", "w2"), CM_LATE);
    /* deleted by another server: as before; entered again through this one: late, its first date */
    model *m = model_new();
    buf errs = BUF_INIT;
    int deleted = 0;
    assert_int_equal(store_load(s, m, &e), 0);
    write_actor a = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };
    write_row row = { WRITE_VALUE, model_ind_find(m, "kn"), model_unit_find(m, "w2"),
                      { P_QUARTER, 3, 2025, 2025 }, 0, NULL, NULL, NULL };
    assert_int_equal(write_delete(s, m, &a, &row, 1, "nhập nhầm", NULL, &errs, &deleted, &e), 0);
    assert_int_equal(deleted, 1);
    buf_free(&errs);
    model_free(m);
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=city&period=2025Q3", NULL), 200);
    web_idle(app);
    assert_ptr_equal(model_now(), before);
    assert_int_equal(kept_state("city", "2025Q3", "w2"), w2_before);   /* as before it was saved */
    assert_int_equal(send(&api, "POST", "/api/v1/values", NULL, NULL,
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2025Q3\",\"value\":6}]}", &rs), 200);
    http_resp_free(&rs);
    assert_int_equal(kept_state("city", "2025Q3", "w2"), CM_LATE);
    assert_int_equal(kept_state("d1", "2025Q3", "w2"), CM_LATE);
    /* the page's line and the API's rows come from the same kept dates */
    assert_int_equal(send(&api, "GET", "/api/v1/completeness", "unit=city&period=2025Q3", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"late\":"));
    http_resp_free(&rs);
    store_close(s);
}

/* Another server's saves (the change log, store_multi.h) reach this one's model in place: no
 * new model is read.  A deletion too; a write that logs nothing (a setting) or a log pruned
 * past the model's generation reads everything, and the figures are right either way.  With no
 * request at all, the listener thread notices within its polling interval. */
static void test_feed_in_place(void **state)
{
    (void)state;
    client ed;
    err_t e;
    assert_int_equal(login(&ed, "root", pw), 303);
    web_idle(app);
    const model *before = model_now();
    int64_t applied = feed_applied();

    outside_import("indicator,unit,period,value\nkn,d2,2025,61\n");
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2025", NULL), 200);
    web_idle(app);
    assert_true(kn_of("d2", 2025) == 61);
    assert_ptr_equal(model_now(), before);
    assert_int_equal(feed_applied(), applied + 1);

    /* a deletion by another server */
    store *s;
    model *m = model_new();
    buf errs = BUF_INIT;
    int deleted = 0;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    write_actor a = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };
    write_row row = { WRITE_VALUE, model_ind_find(m, "kn"), model_unit_find(m, "d2"),
                      { P_YEAR, 0, 2025, 2025 }, 0, NULL, NULL, NULL };
    assert_int_equal(write_delete(s, m, &a, &row, 1, "nhập nhầm", NULL, &errs, &deleted, &e), 0);
    assert_int_equal(deleted, 1);
    buf_free(&errs);
    model_free(m);
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2025", NULL), 200);
    web_idle(app);
    assert_true(kn_of("d2", 2025) == -1);
    assert_ptr_equal(model_now(), before);

    /* no request: the listener (SQLite: polling the generation) brings the figure in */
    outside_import("indicator,unit,period,value\nkn,d2,2025,62\n");
    for (int i = 0; i < 100 && kn_of("d2", 2025) != 62; i++)
        usleep(20000);
    web_idle(app);
    assert_true(kn_of("d2", 2025) == 62);
    assert_ptr_equal(model_now(), before);

    /* a task's progress through another server (whose handles log every write's window): nothing
     * the model holds, so nothing is read again; a figure after it still comes in place */
    task_t t1 = { .code = "t1", .title = "Nhiệm vụ của phường", .kind = TK_TASK, .programme = "p1", .lead_unit = "w1",
                  .deadline = 20300101, .progress = 40 };
    int64_t g0 = store_generation(s, &e);
    store_feed_auto(s, 1);
    assert_int_equal(store_begin(s, &e), 0);
    store_feed_quiet(s);
    assert_int_equal(store_task_put(s, &t1, &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    store_feed_auto(s, 0);
    assert_true(store_generation(s, &e) > g0);
    outside_import("indicator,unit,period,value\nkn,d2,2025,64\n");
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2025", NULL), 200);
    web_idle(app);
    assert_true(kn_of("d2", 2025) == 64);
    assert_ptr_equal(model_now(), before);

    /* a change the log does not carry: everything is read */
    assert_int_equal(store_setting_set(s, "test_feed", "1", &e), 0);
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2025", NULL), 200);
    web_idle(app);
    assert_true(model_now() != before);
    before = model_now();

    /* the log pruned past the model's generation: everything is read, the figure is right */
    pthread_mutex_lock(&app->reload_mx);         /* nothing applies it before the log is gone */
    outside_import("indicator,unit,period,value\nkn,d2,2025,63\n");
    db_exec("DELETE FROM change_log");
    pthread_mutex_unlock(&app->reload_mx);
    assert_int_equal(status_of(&ed, "GET", "/overview", "unit=d2&period=2025", NULL), 200);
    web_idle(app);
    assert_true(kn_of("d2", 2025) == 63);
    assert_true(model_now() != before);
    store_close(s);
}

typedef struct reader {
    const client *c;
    int stop, served, failed;
    pthread_mutex_t mx;
} reader;

static void *read_loop(void *arg)
{
    reader *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->mx);
        int stop = r->stop;
        pthread_mutex_unlock(&r->mx);
        if (stop)
            return NULL;
        int st = status_of(r->c, "GET", "/overview", "unit=d2&period=2031", NULL);
        pthread_mutex_lock(&r->mx);
        r->served++;
        r->failed += st != 200;
        pthread_mutex_unlock(&r->mx);
    }
}

/* Readers on two threads while other processes write, the reloader swaps models in and a web
 * writer saves: every request answered, the last figures in memory (and, under
 * ThreadSanitizer, no data race between them). */
static void test_reads_during_reloads(void **state)
{
    (void)state;
    client root;
    char form[256], csv[128];
    assert_int_equal(login(&root, "root", pw), 303);
    reader r = { .c = &root };
    pthread_mutex_init(&r.mx, NULL);
    pthread_t t[2];
    for (int k = 0; k < 2; k++)
        assert_int_equal(pthread_create(&t[k], NULL, read_loop, &r), 0);
    for (int k = 1; k <= 4; k++) {
        snprintf(csv, sizeof csv, "indicator,unit,period,value\nkn,d2,2031,%d\n", k);
        outside_import(csv);
        assert_int_equal(status_of(&root, "GET", "/overview", "unit=d1&period=2031", NULL), 200);
        snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2031&action=save&v_kn=%d&o_kn=%.0d", root.csrf, k, k - 1);
        assert_int_equal(status_of(&root, "POST", "/entry", NULL, form), 303);
    }
    pthread_mutex_lock(&r.mx);
    r.stop = 1;
    pthread_mutex_unlock(&r.mx);
    for (int k = 0; k < 2; k++)
        pthread_join(t[k], NULL);
    web_idle(app);
    assert_true(r.served > 0);
    assert_int_equal(r.failed, 0);
    assert_true(kn_of("d2", 2031) == 4);
    assert_true(kn_of("d1", 2031) == 4);
}

/* Successions imported from outside: on the admin page and in the API, and a figure on today's
 * structure is marked converted on the overview. */
static void test_successions(void **state)
{
    (void)state;
    client root, api = { 0 };
    http_resp rs;
    store *s;
    err_t e;
    char digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(login(&root, "root", pw), 303);
    outside_import("code,name,parent,type,valid_from,valid_to\nold9,Phường cũ,d2,Đảng ủy phường,,2026-06-30\n"
                   "new9,Phường mới,d2,Đảng ủy phường,2026-07-01,\n");
    outside_import("indicator,unit,period,value\nkn,old9,2025,10\nkn,old9,2026S1,12\nkn,new9,2026S2,15\n");
    outside_import("from,to,date\nold9,new9,1/7/2026\n");
    /* a reader is answered from the model it has (no new9 yet) and wakes the reloader */
    assert_int_equal(status_of(&root, "GET", "/overview", "unit=d2&period=2026", NULL), 200);
    web_idle(app);
    /* 2026 = the old ward's first half (converted) + the new ward's second half */
    assert_int_equal(send(&root, "GET", "/overview", "unit=new9&period=2026", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">27<abbr class=\"conv\""));
    http_resp_free(&rs);
    /* the trend across periods is on the page's structure too: the new ward's 2025 is the old
     * ward's (converted), not missing because the new ward did not exist then */
    assert_int_equal(send(&root, "GET", "/indicator", "unit=new9&period=2026&ind=kn", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Năm 2025: 10;"));
    http_resp_free(&rs);
    /* the units below a unit's indicator are those of the structure: no row for the old ward */
    assert_int_equal(send(&root, "GET", "/indicator", "unit=d2&period=2026&ind=kn", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">Phường mới</a>"));
    assert_null(strstr(buf_str(&rs.body), ">Phường cũ</a>"));
    http_resp_free(&rs);
    /* the first half of 2026 ended before the change: the old ward by default (a switch to today's
     * structure on the page), the new one with structure=current; a bad value is refused */
    assert_int_equal(send(&root, "GET", "/overview", "unit=d2&period=2026S1", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"structure\""));
    assert_non_null(strstr(buf_str(&rs.body), "unit=d2&amp;period=2026S1&amp;structure=current\">"));
    assert_non_null(strstr(buf_str(&rs.body), "unit=old9&amp;period=2026S1\">Phường cũ</a>"));
    assert_null(strstr(buf_str(&rs.body), ">Phường mới</a>"));
    http_resp_free(&rs);
    assert_int_equal(send(&root, "GET", "/overview", "unit=d2&period=2026S1&structure=current", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "unit=new9&amp;period=2026S1&amp;structure=current\">Phường mới</a>"));
    /* the ranking chart (SVG) ranks the units of today's structure too */
    assert_non_null(strstr(buf_str(&rs.body), "<desc id=\"units-w-d\">Phường mới: 12</desc>"));
    assert_non_null(strstr(buf_str(&rs.body), "<input type=\"hidden\" name=\"structure\" value=\"current\">"));
    assert_null(strstr(buf_str(&rs.body), ">Phường cũ</a>"));
    http_resp_free(&rs);
    assert_int_equal(send(&root, "GET", "/overview", "unit=new9&period=2026S1&structure=current", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">12<abbr class=\"conv\""));
    http_resp_free(&rs);
    assert_int_equal(status_of(&root, "GET", "/overview", "unit=d2&period=2026S1&structure=yesterday", NULL), 400);
    assert_int_equal(status_of(&root, "GET", "/chart.png", "unit=d2&period=2026S1&kind=units&ind=kn&structure=current",
                               NULL), 200);
    assert_int_equal(status_of(&root, "GET", "/chart.png", "unit=d2&period=2026S1&kind=units&ind=kn&structure=x",
                               NULL), 400);
    assert_int_equal(send(&root, "GET", "/admin/data", NULL, NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "id=\"successions\""));
    assert_non_null(strstr(buf_str(&rs.body), "<td>1/7/2026</td><td>Phường cũ (old9)</td><td>Phường mới (new9)</td><td>1</td>"));
    http_resp_free(&rs);
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "root", "succ", &e), 0);
    store_close(s);
    assert_int_equal(send(&api, "GET", "/api/v1/successions", "unit=new9", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "{\"from\":\"old9\",\"to\":\"new9\",\"date\":20260701,\"share\":1.0}"));
    http_resp_free(&rs);
    assert_int_equal(send(&api, "GET", "/api/v1/eval", "unit=new9&period=2026", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"actual\":27.0,\"source\":\"periods\",\"converted\":true"));
    http_resp_free(&rs);
}

/* Two values of 5×10^14 saved through the form roll up to the city as "too large": the overview
 * says so and the API's row has no number, a too_large flag and an error naming it. */
static void test_too_large_total(void **state)
{
    (void)state;
    client c, api = { 0 };
    char form[256];
    http_resp rs;
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(login(&c, "root", pw), 303);
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "root", "test", &e), 0);
    store_close(s);
    for (int d = 1; d <= 2; d++) {
        snprintf(form, sizeof form, "csrf=%s&unit=d%d&period=2061&action=save&v_kn=500000000000000&o_kn=", c.csrf, d);
        assert_int_equal(status_of(&c, "POST", "/entry", NULL, form), 303);
    }
    snprintf(form, sizeof form, "csrf=%s&unit=d2&period=2062&action=save&v_kn=910000000000000&o_kn=", c.csrf);
    assert_int_not_equal(status_of(&c, "POST", "/entry", NULL, form), 303);     /* beyond the limit */
    assert_int_equal(send(&c, "GET", "/overview", "unit=city&period=2061", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "quá lớn"));
    assert_null(strstr(buf_str(&rs.body), "844"));
    http_resp_free(&rs);
    assert_int_equal(send(&api, "GET", "/api/v1/eval", "unit=city&period=2061", NULL, NULL, &rs), 200);
    const char *body = buf_str(&rs.body);
    assert_non_null(strstr(body, "\"too_large\":true") ? strstr(body, "\"too_large\":true") : strstr(body, "\"too_large\": true"));
    assert_non_null(strstr(body, "kn (Kết nạp đảng viên), đơn vị Thành ủy, kỳ 2061"));
    assert_null(strstr(body, "844"));
    http_resp_free(&rs);
    /* no review report leaving it out: the API and the page refuse, naming it (also for d1's
     * children, and the city's report ranks d1 and d2, whose own figures hold) */
    assert_int_equal(send(&api, "GET", "/api/v1/report", "unit=city&period=2061", NULL, NULL, &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "kỳ 2061"));
    http_resp_free(&rs);
    assert_int_equal(send(&c, "GET", "/report", "unit=city&period=2061&format=html", NULL, NULL, &rs), 422);
    assert_non_null(strstr(buf_str(&rs.body), "kỳ 2061"));
    http_resp_free(&rs);
    assert_int_equal(status_of(&api, "GET", "/api/v1/report", "unit=d1&period=2061", NULL), 200);
}

/* A city figure from 1 of its 2 districts: the overview, the indicator page and the API say so. */
static void test_coverage_shown(void **state)
{
    (void)state;
    client root, api = { 0 };
    char form[256];
    http_resp rs;
    err_t e;
    store *s;
    char digest[AUTH_DIGEST_LEN + 1];
    assert_int_equal(login(&root, "root", pw), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2033&action=save&v_kn=41&o_kn=", root.csrf);
    assert_int_equal(status_of(&root, "POST", "/entry", NULL, form), 303);
    assert_int_equal(send(&root, "GET", "/overview", "unit=city&period=2033", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), ">41" REPORT_PARTIAL_MARK "<small class=\"cov\""));
    assert_non_null(strstr(buf_str(&rs.body), "1/2 đơn vị có số liệu"));
    assert_non_null(strstr(buf_str(&rs.body), "chưa đủ số liệu"));
    http_resp_free(&rs);
    assert_int_equal(send(&root, "GET", "/indicator", "unit=city&period=2033&ind=kn", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "1/2 đơn vị có số liệu"));
    http_resp_free(&rs);
    auth_random_token(api.bearer);
    auth_token_digest(api.bearer, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_token_put(s, digest, "root", "test", &e), 0);
    store_close(s);
    assert_int_equal(send(&api, "GET", "/api/v1/eval", "unit=city&period=2033", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "\"partial\":true"));
    assert_non_null(strstr(buf_str(&rs.body), "\"reported_units\":1"));
    assert_non_null(strstr(buf_str(&rs.body), "\"expected_units\":2"));
    http_resp_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parsers),
        cmocka_unit_test(test_static_and_lang),
        cmocka_unit_test(test_login_logout),
        cmocka_unit_test(test_session_cookie_flags),
        cmocka_unit_test(test_throttle_rule),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_trusted_proxy),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_totp_vectors),
        cmocka_unit_test(test_totp_login),
        cmocka_unit_test(test_permission_matrix_pure),
        cmocka_unit_test(test_permission_matrix_http),
        cmocka_unit_test(test_csrf),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_optimistic_concurrency),
        cmocka_unit_test(test_workflow),
        cmocka_unit_test(test_pages_read),
        cmocka_unit_test(test_coverage_shown),
        cmocka_unit_test(test_admin_catalogue),
        cmocka_unit_test(test_tasks),
        cmocka_unit_test(test_task_page_after_writer),
        cmocka_unit_test(test_import_page),
        cmocka_unit_test(test_locks_hold),
        cmocka_unit_test(test_entry_kept),
        cmocka_unit_test(test_approval_api),
        cmocka_unit_test(test_pages_during_long_import),
        cmocka_unit_test(test_pages_more),
        cmocka_unit_test(test_outside_changes),
        cmocka_unit_test(test_feed_in_place),
        cmocka_unit_test(test_completeness_kept),
        cmocka_unit_test(test_api_expected_after_import),
        cmocka_unit_test(test_reads_during_reloads),
        cmocka_unit_test(test_too_large_total),
        cmocka_unit_test(test_expired_and_disabled),
        cmocka_unit_test(test_successions),
        cmocka_unit_test(test_completeness),
    };
    int failed = cmocka_run_group_tests_name("cells in the model", tests, setup_all, teardown_all);
    cells_mode = WEB_CELLS_ENGINE;       /* the same with the figures held by the engine alone */
    return failed + cmocka_run_group_tests_name("cells in the engine", tests, setup_all, teardown_all);
}
