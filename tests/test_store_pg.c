/* test_store_pg.c - the PostgreSQL store (store_pg.c) against the SQLite one.
 *
 * One scenario drives every function of store.h, store_web.h, store_task.h, store_class.h,
 * store_rule.h, store_sync.h and cycle_store.h (the demo data imported, loaded, figures changed
 * and deleted, users, sessions, tokens, submissions, audit, tasks, classification, rules,
 * bounds, the change feed, settings, e-mail, first writes) and writes what each returns as
 * lines of text, without the clock's timestamps; the scenario runs on a SQLite file and on a
 * fresh PostgreSQL schema and the two texts must be equal, line for line (it includes the audit
 * query under each filter, login throttling, TOTP, pending logins, the instance id and the schema
 * version).  Then what only two connections show: the writer lock (try_begin is busy while another
 * handle writes), a read transaction's snapshot, a streaming scan stopped early; and the messages
 * of a missing schema, a newer schema version and a bad URL; and figures read back exactly under a
 * server set to print 15 digits (extra_float_digits=0).
 *
 * Needs CHITIEU_TEST_PG=postgresql://… (`make test-pg` starts a throw-away cluster,
 * tests/pg/cluster.sh); without it the tests are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <libpq-fe.h>

#include "auth.h"
#include "buf.h"
#include "cycle_store.h"
#include "demo.h"
#include "demo_class.h"
#include "import.h"
#include "model.h"
#include "store.h"
#include "store_admin.h"
#include "store_class.h"
#include "store_multi.h"
#include "store_rule.h"
#include "store_sync.h"
#include "store_task.h"
#include "store_web.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static char pg_url[1024], lite_path[256];

static void quiet_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* A fresh schema `name` in the test database; the URL that uses it goes to out. */
static void fresh_schema(const char *name, char *out, size_t n)
{
    const char *base = getenv("CHITIEU_TEST_PG");
    PGconn *c = PQconnectdb(base);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("CHITIEU_TEST_PG: %s", PQerrorMessage(c));
    char sql[256];
    snprintf(sql, sizeof sql, "SET client_min_messages=warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s",
             name, name);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    snprintf(out, n, "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?", name);
}

#define CHECK(call)                                                                                \
    do {                                                                                           \
        if ((call) < 0)                                                                            \
            fail_msg("%s: %s", #call, e.msg);                                                      \
    } while (0)

static void model_digest(const model *m, buf *out)
{
    char per[PERIOD_CODE_MAX];
    for (size_t i = 0; i < m->nunits; i++)
        buf_printf(out, "u %s %s %s %s %d %d\n", m->units[i].code, m->units[i].name, m->units[i].parent_code,
                   m->units[i].type, m->units[i].valid_from, m->units[i].valid_to);
    for (size_t i = 0; i < m->ninds; i++)
        buf_printf(out, "i %s %s %d %s\n", m->inds[i].code, m->inds[i].name, m->inds[i].dir,
                   m->inds[i].formula_src ? m->inds[i].formula_src : "");
    for (size_t i = 0; i < m->nterms; i++) {
        period_code(m->terms[i].per, per, sizeof per);
        buf_printf(out, "t %s %s\n", per, m->terms[i].name);
    }
    for (size_t i = 0; i < m->nsuccs; i++)
        buf_printf(out, "s %d %d %d %.17g\n", m->succs[i].from, m->succs[i].to, m->succs[i].date, m->succs[i].share);
    const cellmap *maps[2] = { &m->targets, &m->values };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->n; i++) {
            const cell_t *c = &maps[k]->cells[i];
            period_code(c->per, per, sizeof per);
            buf_printf(out, "%c %s %s %s %.17g %s\n", k ? 'v' : 'g', m->inds[c->ind].code, m->units[c->unit].code,
                       per, c->v, c->comment ? c->comment : "");
        }
}

/* Lines appended since mark, sorted (rows whose order the queries leave to ties of a timestamp). */
static void sort_since(buf *out, size_t mark)
{
    char *text = strdup(buf_str(out) + mark);
    assert_non_null(text);
    char *lines[4096];
    int n = 0;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l && n < 4096; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
            char *t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    buf tmp = BUF_INIT;
    for (int i = 0; i < n; i++)
        buf_printf(&tmp, "%s\n", lines[i]);
    buf_truncate(out, mark);
    buf_adds(out, buf_str(&tmp));
    buf_free(&tmp);
    free(text);
}

static int change_line(void *ctx, const store_change *c)
{
    buf_printf(ctx, "change %d %s %s %s %d %.17g %s %lld %s %s\n", c->targets, c->ind, c->unit, c->period, c->deleted,
               c->v, c->comment ? c->comment : "(null)", (long long)c->batch, c->who, c->source);
    return 0;
}

static int first_line(void *ctx, const char *ind, const char *unit, const char *at)
{
    buf_printf(ctx, "first %s %s %d\n", ind, unit, *at != '\0');
    return 0;
}

/* Keeps the first row store_first_writes gives (indicator, unit, time). */
typedef struct first_kept {
    char ind[64], unit[64], at[64];
} first_kept;

static int first_keep(void *ctx, const char *ind, const char *unit, const char *at)
{
    first_kept *k = ctx;
    if (k->ind[0] == '\0') {
        snprintf(k->ind, sizeof k->ind, "%s", ind);
        snprintf(k->unit, sizeof k->unit, "%s", unit);
        snprintf(k->at, sizeof k->at, "%s", at);
    }
    return 0;
}

static int stop_at_three(void *ctx, int ind, int unit, period_t p, double v)
{
    (void)ind, (void)unit, (void)p, (void)v;
    return ++*(long *)ctx == 3;
}

static int count_cell(void *ctx, int ind, int unit, period_t p, double v)
{
    (void)ind, (void)unit, (void)p, (void)v;
    ++*(long *)ctx;
    return 0;
}

/* The demo's figures, loaded and digested; then a value and a target changed, a value added
 * and one deleted, each figure's history; returns the model (caller frees). */
static model *figures(store *s, buf *out)
{
    err_t e;
    model *m = model_new();
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[64];
    int n = 0;
    for (int i = 0; embedded_files[i].name && n < 64; i++) {
        size_t len = strlen(embedded_files[i].name);
        if (len > 4 && strcmp(embedded_files[i].name + len - 4, ".csv") == 0 &&
            strncmp(embedded_files[i].name, "tasks", 5) != 0 && strncmp(embedded_files[i].name, "programmes", 10) != 0 &&
            !demo_class_file(embedded_files[i].name))
            src[n++] = (import_source){ embedded_files[i].name, embedded_files[i].data, embedded_files[i].len };
    }
    import_opts o = { .who = "test" };
    if (import_run(s, m, src, n, &o, &st, &errs, &e) != 0)
        fail_msg("import: %s %s", e.msg, buf_str(&errs));
    buf_free(&errs);
    model_free(m);
    m = model_new();
    CHECK(store_load(s, m, &e));
    model_digest(m, out);
    assert_true(m->values.n > 100 && m->targets.n > 100);
    const cell_t *v0 = &m->values.cells[0], *v1 = &m->values.cells[1];
    const cell_t *g0 = &m->targets.cells[0];
    period_t newp;
    assert_int_equal(period_parse("2031", 4, &newp), 0);
    CHECK(store_begin(s, &e));
    CHECK(store_put_value(s, m, v0->ind, v0->unit, v0->per, 1234567.891, "sửa lại", v0, "ana", "web", &e));
    CHECK(store_put_value(s, m, v0->ind, v0->unit, newp, 0.00001234, NULL, NULL, "ana", "web", &e));
    CHECK(store_put_target(s, m, g0->ind, g0->unit, g0->per, 42.5, &g0->v, "ana", "web", &e));
    assert_int_equal(store_del_value(s, m, v1->ind, v1->unit, v1->per, "nhập nhầm", "binh", "cli", &e), 1);
    assert_int_equal(store_del_value(s, m, v1->ind, v1->unit, v1->per, "again", "binh", "cli", &e), 0);
    CHECK(store_commit(s, &e));
    const cell_t *cells[3] = { v0, v1, g0 };
    for (int k = 0; k < 3; k++) {
        store_hist h[16];
        char per[PERIOD_CODE_MAX];
        int nh = store_history(s, m->inds[cells[k]->ind].code, m->units[cells[k]->unit].code, cells[k]->per, h, 16, &e);
        CHECK(nh);
        period_code(cells[k]->per, per, sizeof per);
        for (int i = 0; i < nh; i++)
            buf_printf(out, "hist %s %s %s %s %s %d %.17g %d %.17g\n", m->inds[cells[k]->ind].code,
                       m->units[cells[k]->unit].code, per, h[i].kind, h[i].who, h[i].has_old, h[i].old_v,
                       h[i].has_new, h[i].new_v);
    }
    cell_t c = { 0 };
    buf_printf(out, "cell %d", store_get_cell(s, m, 0, v0->ind, v0->unit, v0->per, &c, &e));
    buf_printf(out, " %.17g %s\n", c.v, c.comment ? c.comment : "");
    free(c.comment);
    /* -0 (a JSON "-0.0" through the API) reads back as 0 on both: a new cell (PostgreSQL: by COPY),
     * one with a comment (an INSERT), a change (an UPDATE); SQLite drops the sign, PostgreSQL kept it */
    period_t zp[2];
    assert_int_equal(period_parse("2032", 4, &zp[0]), 0);
    assert_int_equal(period_parse("2033", 4, &zp[1]), 0);
    CHECK(store_begin(s, &e));
    CHECK(store_put_value(s, m, v0->ind, v0->unit, zp[0], -0.0, NULL, NULL, "ana", "api", &e));
    CHECK(store_put_value(s, m, v0->ind, v0->unit, zp[1], -0.0, "không", NULL, "ana", "api", &e));
    CHECK(store_put_target(s, m, g0->ind, g0->unit, g0->per, -0.0, &g0->v, "ana", "api", &e));
    CHECK(store_commit(s, &e));
    for (int k = 0; k < 3; k++) {
        cell_t z = { 0 };
        int got = store_get_cell(s, m, k == 2, k == 2 ? g0->ind : v0->ind, k == 2 ? g0->unit : v0->unit,
                                 k == 2 ? g0->per : zp[k], &z, &e);
        buf_printf(out, "minus zero %d %d %.17g\n", k, got, z.v);
        free(z.comment);
    }
    long ncells = 0;
    for (int part = 0; part < 3; part++)
        CHECK(store_scan_cells(s, m, 0, part, 3, count_cell, &ncells, &e));
    buf_printf(out, "scan %ld\n", ncells);
    return m;
}

/* The audit log through each filter: totals, and the entries (sorted: ties of time are arbitrary). */
static void audit_query_rows(store *s, buf *out)
{
    err_t e;
    static const audit_filter filters[] = {
        { 0 },
        { .who = "ana" },
        { .kind = "value" },
        { .kind = "target" },
        { .kind = "delete" },
        { .kind = "batch" },
        { .kind = "action" },
        { .unit = "ha-noi" },
        { .period = "2023" },
        { .unit = "ha-noi", .period = "2023", .kind = "action" },
        { .from = "2000-01-01", .to = "2999-12-31" },
        { .from = "2999-01-01" },
        { .to = "2000-01-01" },
    };
    for (size_t k = 0; k < sizeof filters / sizeof *filters; k++) {
        web_audit *a;
        int64_t total = -1;
        int n = store_audit_query(s, &filters[k], 0, 5000, &a, &total, &e);
        CHECK(n);
        buf_printf(out, "audit query %zu: %d of %lld\n", k, n, (long long)total);
        size_t mark = out->len;
        for (int i = 0; i < n; i++)
            buf_printf(out, "  %s %s %s %s %d %s %s %s %d %.17g %d %.17g %s %s\n", a[i].who, a[i].action,
                       a[i].object, a[i].detail, a[i].is_figure, a[i].ind, a[i].unit, a[i].period, a[i].has_old,
                       a[i].old_v, a[i].has_new, a[i].new_v, a[i].old_comment, a[i].new_comment);
        sort_since(out, mark);
        free(a);
    }
    web_audit *a;
    int64_t total = -1;
    int n = store_audit_query(s, NULL, 2, 3, &a, &total, &e);   /* a page: counts only (ties) */
    CHECK(n);
    buf_printf(out, "audit page %d of %lld\n", n, (long long)total);
    free(a);
}

/* Login throttling, TOTP, pending second-factor logins, the database's id and version. */
static void login_rows(store *s, buf *out)
{
    err_t e;
    int fails;
    int64_t last;
    CHECK(store_throttle_fail(s, "user:ana", 1000, 900, &e));
    CHECK(store_throttle_fail(s, "user:ana", 1010, 900, &e));
    CHECK(store_throttle_fail(s, "addr:old", 10, 900, &e));
    CHECK(store_throttle_get(s, "user:ana", 1020, 900, &fails, &last, &e));
    buf_printf(out, "throttle %d %lld", fails, (long long)last);
    CHECK(store_throttle_get(s, "addr:old", 1020, 900, &fails, &last, &e));
    buf_printf(out, " old %d", fails);
    CHECK(store_throttle_clear(s, "user:ana", &e));
    CHECK(store_throttle_get(s, "user:ana", 1020, 900, &fails, &last, &e));
    buf_printf(out, " cleared %d\n", fails);
    char secret[64] = "";
    int64_t step = -1;
    buf_printf(out, "totp set %d", store_totp_set(s, "ana", "JBSWY3DPEHPK3PXP", &e));
    buf_printf(out, " again %d", store_totp_set(s, "ana", "KRSXG5CTMVRXEZLU", &e));
    buf_printf(out, " nobody %d", store_totp_set(s, "nobody", "X", &e));
    buf_printf(out, " get %d", store_totp_get(s, "ana", secret, sizeof secret, &step, &e));
    buf_printf(out, " %s %lld", secret, (long long)step);
    buf_printf(out, " use %d", store_totp_use(s, "ana", 5, &e));
    buf_printf(out, " %d", store_totp_use(s, "ana", 5, &e));
    buf_printf(out, " %d", store_totp_use(s, "ana", 4, &e));
    CHECK(store_totp_get(s, "ana", secret, sizeof secret, &step, &e));
    buf_printf(out, " step %lld", (long long)step);
    buf_printf(out, " off %d", store_totp_set(s, "ana", NULL, &e));
    buf_printf(out, " get %d\n", store_totp_get(s, "ana", secret, sizeof secret, NULL, &e));
    web_user u;
    char pw[64];
    CHECK(store_user_get(s, "ana", &u, pw, sizeof pw, &e));
    CHECK(store_pending_put(s, "pend-1", u.id, 4000000000, &e));
    buf_printf(out, "pending %d", store_pending_get(s, "pend-1", 3000000000, &u, &e));
    buf_printf(out, " %s", u.login);
    buf_printf(out, " expired %d", store_pending_get(s, "pend-1", 4000000001, &u, &e));
    CHECK(store_pending_del(s, "pend-1", &e));
    buf_printf(out, " deleted %d\n", store_pending_get(s, "pend-1", 3000000000, &u, &e));
    buf id = BUF_INIT;
    CHECK(store_instance_id(s, &id, &e));
    buf_printf(out, "instance id %zu\n", id.len);
    buf_free(&id);
    int version = 0;
    CHECK(store_schema_version(s, &version, &e));
    buf_printf(out, "schema version %d\n", version);
    assert_int_equal(version, STORE_SCHEMA_VERSION);
}

static void web_rows(store *s, buf *out)
{
    err_t e;
    web_user u = { .login = "ana", .name = "An", .role = "editor", .unit = "ha-noi" }, got;
    CHECK(store_user_add(s, &u, "hash-1", &e));
    snprintf(u.login, sizeof u.login, "binh");
    CHECK(store_user_add(s, &u, "hash-2", &e));
    assert_int_equal(store_user_add(s, &u, "hash-3", &e), -1);
    buf_printf(out, "dup %s\n", e.msg);
    char pw[64], csrf[64];
    /* text that is not UTF-8 (a name typed in a legacy encoding on the command line): refused on
     * both with one message; SQLite kept the bytes, PostgreSQL refused in its own words */
    web_user bad = { .login = "cuong", .name = "caf\xe9", .role = "viewer", .unit = "ha-noi" };
    int bad_rc = store_user_add(s, &bad, "hash-4", &e);
    buf_printf(out, "not utf-8 %d %s\n", bad_rc, bad_rc < 0 ? e.msg : "");
    buf_printf(out, "not utf-8 stored %d\n", store_user_get(s, "cuong", &got, pw, sizeof pw, &e));
    buf_printf(out, "get %d", store_user_get(s, "ana", &got, pw, sizeof pw, &e));
    buf_printf(out, " %s %s %s %s %d %s\n", got.login, got.name, got.role, got.unit, got.disabled, pw);
    CHECK(store_session_put(s, "sess-1", got.id, "csrf-1", 2000000000, &e));
    buf_printf(out, "session %d", store_session_get(s, "sess-1", 1900000000, 2000000100, &got, csrf, sizeof csrf, &e));
    buf_printf(out, " %s %s\n", got.login, csrf);
    buf_printf(out, "passwd %d %d\n", store_user_set_password(s, "ana", "hash-9", &e),
               store_user_set_password(s, "nobody", "x", &e));
    buf_printf(out, "session after %d\n", store_session_get(s, "sess-1", 1900000000, 2000000100, &got, csrf, sizeof csrf, &e));
    CHECK(store_token_put(s, "tok-1", "binh", "máy", &e));
    assert_int_equal(store_token_put(s, "tok-2", "nobody", "x", &e), -1);
    buf_printf(out, "token %d %s\n", store_token_get(s, "tok-1", &got, &e), got.login);
    buf_printf(out, "disable %d\n", store_user_set_disabled(s, "binh", 1, &e));
    buf_printf(out, "token disabled %d\n", store_token_get(s, "tok-1", &got, &e));
    CHECK(store_session_put(s, "sess-2", got.id, "csrf-2", 2000000000, &e));
    CHECK(store_session_del(s, "sess-2", &e));
    web_user *users;
    int nu = store_user_list(s, &users, &e);
    CHECK(nu);
    for (int i = 0; i < nu; i++)
        buf_printf(out, "user %s %d\n", users[i].login, users[i].disabled);
    free(users);
    web_sub sub;
    CHECK(store_sub_put(s, "ha-noi", "2023", SUB_SUBMITTED, "ana", "gửi", &e));
    CHECK(store_sub_put(s, "ha-noi", "2023", SUB_APPROVED, "binh", NULL, &e));
    CHECK(store_sub_put(s, "ba-dinh", "2023", SUB_RETURNED, "binh", "thiếu", &e));
    buf_printf(out, "sub %d", store_sub_get(s, "ha-noi", "2023", &sub, &e));
    buf_printf(out, " %s %s %s %s\n", store_sub_key(sub.state), sub.who, sub.comment, sub.period);
    buf_printf(out, "sub none %d\n", store_sub_get(s, "x", "2023", &sub, &e));
    web_sub *subs;
    int ns = store_sub_list(s, &subs, &e);
    CHECK(ns);
    size_t mark = out->len;
    for (int i = 0; i < ns; i++)
        buf_printf(out, "subs %s %s %s\n", subs[i].unit, subs[i].period, store_sub_key(subs[i].state));
    sort_since(out, mark);
    free(subs);
    /* two periods of one unit sent in the same second: the list (chitieu approval list, GET
     * /api/v1/approval, which lock a write names) is in one order on both, not left to the tie
     * of their time; written newest-last so a second passing between them keeps that order too */
    CHECK(store_sub_put(s, "cau-giay", "2024", SUB_SUBMITTED, "ana", "", &e));
    CHECK(store_sub_put(s, "cau-giay", "2023Q4", SUB_SUBMITTED, "ana", "", &e));
    ns = store_sub_list(s, &subs, &e);
    CHECK(ns);
    for (int i = 0; i < ns; i++)
        if (strcmp(subs[i].unit, "cau-giay") == 0)
            buf_printf(out, "subs in order %s %s\n", subs[i].unit, subs[i].period);
    free(subs);
    CHECK(store_audit_add(s, "ana", "approve", "ha-noi/2023", "ok", &e));
    CHECK(store_audit_add(s, "binh", "unlock", "ba-dinh", "thiếu", &e));
    CHECK(store_sub_get(s, "ba-dinh", "2023", &sub, &e));
    buf_printf(out, "was unlock %d", store_sub_was_unlock(s, &sub, &e));
    CHECK(store_audit_add(s, "binh", "return", "ba-dinh", "thiếu", &e));
    buf_printf(out, " %d\n", store_sub_was_unlock(s, &sub, &e));
    web_audit *a;
    int na = store_audit_list(s, 5000, &a, &e);   /* all of them: the list breaks ties of time arbitrarily */
    CHECK(na);
    mark = out->len;
    for (int i = 0; i < na; i++)
        buf_printf(out, "audit %s %s %s %s\n", a[i].who, a[i].action, a[i].object, a[i].detail);
    sort_since(out, mark);
    free(a);
    audit_query_rows(s, out);
    login_rows(s, out);
    char v[64];
    CHECK(store_meta_set(s, "k", "v1", &e));
    CHECK(store_meta_set(s, "k", "v2", &e));
    buf_printf(out, "meta %d", store_meta_get(s, "k", v, sizeof v, &e));
    buf_printf(out, " %s %d\n", v, store_meta_get(s, "missing", v, sizeof v, &e));
    int64_t g0 = store_generation(s, &e);
    CHECK(store_setting_set(s, "partial_aggregates", "withhold", &e));
    int64_t g1 = store_generation(s, &e);
    buf_printf(out, "generation %lld\n", (long long)(g1 - g0));
    assert_true(g0 >= 0 && g1 == g0 + 1);
}

static void task_class_rule_rows(store *s, buf *out)
{
    err_t e;
    task_t p1 = { .code = "p1", .title = "Chương trình", .kind = TK_PROGRAMME, .lead_unit = "ha-noi" };
    task_t t1 = { .code = "t1", .title = "Nhiệm vụ", .kind = TK_TASK, .programme = "p1", .lead_unit = "ba-dinh",
                  .deadline = 20300101 };
    task_report r = { .date = 20240105, .pct = 40, .text = "đã làm", .who = "ana" };
    CHECK(store_task_put(s, &t1, &e));
    CHECK(store_task_put(s, &p1, &e));
    t1.progress = 40;
    CHECK(store_task_report(s, &t1, &r, &e));
    task_set ts = { 0 };
    CHECK(store_task_load(s, &ts, &e));
    for (int i = 0; i < ts.n; i++)
        buf_printf(out, "task %s %s %d %d %d\n", ts.items[i].code, ts.items[i].title, ts.items[i].progress,
                   ts.items[i].deadline, ts.items[i].nlog);
    task_set_free(&ts);

    class_subject sub = { .code = "cb1", .name = "Chi bộ 1", .unit = "ba-dinh", .group = "g", .kind = CK_CELL };
    CHECK(store_class_subject_put(s, &sub, &e));
    sub.outstanding = 1;
    CHECK(store_class_subject_put(s, &sub, &e));
    class_result res = { .year = 2024, .step = CS_DECIDED, .faults = "" };
    snprintf(res.subject, sizeof res.subject, "cb1");
    res.self = (class_mark){ .score_cp = 9050, .grade = 1, .by = "ana", .at = "x", .comment = "tự" };
    res.appr = (class_mark){ .score_cp = -1, .grade = -1 };
    res.dec = (class_mark){ .score_cp = 9000, .grade = 0, .by = "binh", .at = "y" };
    CHECK(store_class_result_put(s, &res, &e));
    res.dec.score_cp = 9100;
    CHECK(store_class_result_put(s, &res, &e));
    class_result got;
    buf_printf(out, "class %d", store_class_result_get(s, 2024, "cb1", &got, &e));
    buf_printf(out, " %d %d %d %d %d %s\n", got.step, got.self.score_cp, got.appr.score_cp, got.appr.grade,
               got.dec.score_cp, got.self.comment);
    buf_printf(out, "decided %d %d\n", store_class_decided(s, 2024, CK_CELL, &e), store_class_subject_decided(s, "cb1", &e));
    class_award aw = { .year = 2024, .form = 0, .date = 20240301 };
    snprintf(aw.subject, sizeof aw.subject, "cb1");
    snprintf(aw.title, sizeof aw.title, "Giấy khen");
    snprintf(aw.issuer, sizeof aw.issuer, "UBND");
    snprintf(aw.decision, sizeof aw.decision, "12/QĐ");
    CHECK(store_class_award_put(s, &aw, &e));
    aw.date = 20240302;
    CHECK(store_class_award_put(s, &aw, &e));
    /* the same title the same day by two decisions, the later number first: listed in one order */
    class_award aw2 = aw;
    snprintf(aw2.decision, sizeof aw2.decision, "9/QĐ");
    CHECK(store_class_award_put(s, &aw2, &e));
    snprintf(aw2.decision, sizeof aw2.decision, "10/QĐ");
    CHECK(store_class_award_put(s, &aw2, &e));
    class_award *awards;
    int nw = store_class_awards(s, 0, &awards, &e);
    CHECK(nw);
    for (int i = 0; i < nw; i++)
        buf_printf(out, "award %s %s %d %s\n", awards[i].subject, awards[i].title, awards[i].date, awards[i].decision);
    free(awards);
    class_subject *subs;
    int nsub = store_class_subjects(s, &subs, &e);
    CHECK(nsub);
    for (int i = 0; i < nsub; i++)
        buf_printf(out, "subject %s %d\n", subs[i].code, subs[i].outstanding);
    free(subs);

    rule_t rules[2];
    CHECK(rule_make("r1", "ket_nap_dang_vien >= 0", "error", "âm", &rules[0], &e));
    CHECK(rule_make("r2", "ket_nap_dang_vien <= 100000", "warning", "", &rules[1], &e));
    CHECK(store_rule_put(s, rules, 2, 1, &e));
    CHECK(store_rule_put(s, rules, 1, 0, &e));
    rule_free(&rules[0]);
    rule_free(&rules[1]);
    buf_printf(out, "rule delete %d %d\n", store_rule_delete(s, "r2", &e), store_rule_delete(s, "r9", &e));
    rule_t *loaded;
    int nr;
    CHECK(store_rule_load(s, &loaded, &nr, &e));
    for (int i = 0; i < nr; i++) {
        buf_printf(out, "rule %s\n", loaded[i].code);
        rule_free(&loaded[i]);
    }
    free(loaded);
    outlier_bound b[2] = { { .code = "a", .has_min = 1, .min = -1.5 }, { .code = "b", .has_max = 1, .max = 1e9 } };
    CHECK(store_bound_put(s, b, 2, 1, &e));
    CHECK(store_bound_put(s, b, 1, 0, &e));
    outlier_bound *bl;
    int nb;
    CHECK(store_bound_load(s, &bl, &nb, &e));
    for (int i = 0; i < nb; i++)
        buf_printf(out, "bound %s %d %g %d %g\n", bl[i].code, bl[i].has_min, bl[i].min, bl[i].has_max, bl[i].max);
    free(bl);
    buf_printf(out, "upto %ld k %g\n", store_values_upto(s, 10, &e), store_outlier_k(s));
}

static void feed_rows(store *s, buf *out)
{
    err_t e;
    int64_t last;
    CHECK(store_last_batch(s, &last, &e));
    buf_printf(out, "last batch %lld\n", (long long)last);
    size_t mark = out->len;
    CHECK(store_changes(s, last > 2 ? last - 2 : 0, last, change_line, out, &e));
    sort_since(out, mark);
    char email[128];
    buf_printf(out, "email before %d\n", store_user_email_get(s, "ana", email, sizeof email, &e));
    buf_printf(out, "email set %d\n", store_user_email_set(s, "ana", "ana@example.vn", &e));
    buf_printf(out, "email %d", store_user_email_get(s, "ana", email, sizeof email, &e));
    buf_printf(out, " %s\n", email);
    CHECK(cycle_setting_set(s, "month", "20", &e));
    CHECK(cycle_setting_set(s, "month", "", &e));
    char v[64];
    buf_printf(out, "cycle %d\n", cycle_setting_get(s, "month", v, sizeof v, &e));
    mark = out->len;
    CHECK(store_first_writes(s, "2031", first_line, out, &e));
    sort_since(out, mark);
    /* one cell's first write (store_first_write) is the scan's; none for a cell with no value */
    first_kept k = { { 0 }, { 0 }, { 0 } };
    char at[64];
    CHECK(store_first_writes(s, "2031", first_keep, &k, &e));
    int one = store_first_write(s, k.ind, k.unit, "2031", at, sizeof at, &e);
    assert_int_equal(one, 1);
    assert_string_equal(at, k.at);
    buf_printf(out, "first one %d same %d\n", one, one == 1 && strcmp(at, k.at) == 0);
    buf_printf(out, "first none %d\n", store_first_write(s, k.ind, k.unit, "2032", at, sizeof at, &e));
}

/* store_multi.h: a write's window and rows in the change log, and the shared rate bucket. */
static void multi_rows(store *s, buf *out)
{
    err_t e;
    int64_t from = 0, to = 0;
    store_feed_row rows[2] = { { .kind = STORE_FEED_VALUE, .ind = "kn", .unit = "u1", .period = "2024" },
                               { .kind = STORE_FEED_TARGET, .ind = "kn", .unit = "u2", .period = "2024Q1" } };
    CHECK(store_begin(s, &e));
    CHECK(store_feed_begin(s, &e));
    CHECK(store_setting_set(s, "multi", "1", &e));
    CHECK(store_feed_log(s, rows, 2, &e));
    CHECK(store_commit(s, &e));
    buf_printf(out, "feed last %d", store_feed_last(s, &from, &to));
    buf_printf(out, " moved %lld\n", (long long)(to - from));
    store_feed_row *got = NULL;
    int n = store_feed_read(s, from, 10, &got, &e);
    buf_printf(out, "feed rows %d\n", n);
    for (int i = 0; i < n; i++)
        buf_printf(out, "feed %d %s %s %s %lld\n", got[i].kind, got[i].ind, got[i].unit, got[i].period,
                   (long long)(got[i].gen_to - got[i].gen_from));
    free(got);
    for (int i = 0; i < 4; i++)
        buf_printf(out, "rate %d\n", store_rate_take(s, "tok", 60, 3000, 5000000 + i, &e));
    buf_printf(out, "rate later %d\n", store_rate_take(s, "tok", 60, 3000, 5002000, &e));
}

/* A succession or a term written (inserted, changed, deleted) moves the generation, as units and
 * indicators do: a running server must read the catalogue again (the demo has successions). */
static void catalogue_generation_rows(store *s, const model *m, buf *out)
{
    err_t e;
    assert_true(m->nsuccs > 0 && m->nterms > 0);
    const succ_t *x = &m->succs[0];
    int64_t g[5];
    g[0] = store_generation(s, &e);
    CHECK(store_begin(s, &e));
    CHECK(store_put_succ(s, m, 0, &e));            /* the same row again: an update */
    CHECK(store_commit(s, &e));
    g[1] = store_generation(s, &e);
    CHECK(store_begin(s, &e));
    CHECK(store_del_succs(s, m, x->from, x->date, &e));
    CHECK(store_commit(s, &e));
    g[2] = store_generation(s, &e);
    CHECK(store_begin(s, &e));
    CHECK(store_put_succ(s, m, 0, &e));            /* back: an insert */
    CHECK(store_commit(s, &e));
    g[3] = store_generation(s, &e);
    CHECK(store_begin(s, &e));
    CHECK(store_put_term(s, &m->terms[0], &e));    /* an existing term: an update */
    CHECK(store_commit(s, &e));
    g[4] = store_generation(s, &e);
    buf_printf(out, "catalogue generation");
    for (int k = 1; k < 5; k++) {
        assert_true(g[k - 1] >= 0 && g[k] > g[k - 1]);
        buf_printf(out, " %d", g[k] > g[k - 1]);
    }
    buf_printf(out, "\n");
    /* the terms read back after one was renamed, in their order (the overview's period picker,
     * a mid-term's term): PostgreSQL's heap moves an updated row to its end, SQLite's does not */
    term_t renamed = m->terms[0];
    renamed.name = "Nhiệm kỳ đổi tên";
    CHECK(store_begin(s, &e));
    CHECK(store_put_term(s, &renamed, &e));
    CHECK(store_commit(s, &e));
    model *again = model_new();
    CHECK(store_load_part(s, again, 0, &e));
    for (size_t i = 0; i < again->nterms; i++) {
        char per[PERIOD_CODE_MAX];
        period_code(again->terms[i].per, per, sizeof per);
        buf_printf(out, "term in order %s %s\n", per, again->terms[i].name);
    }
    model_free(again);
    CHECK(store_begin(s, &e));
    CHECK(store_put_term(s, &m->terms[0], &e));    /* its name back, for what follows */
    CHECK(store_commit(s, &e));
}

/* A generation past 2^31 (every unit, indicator or batch row written moves it): read, and moved by
 * a setting, as a 64-bit number on both (PostgreSQL's INTEGER is 32 bits: its server would stop
 * reloading, its settings stop saving).  Last: it leaves the generation there. */
static void big_generation_rows(store *s, buf *out)
{
    err_t e;
    CHECK(store_meta_set(s, "generation", "3000000000", &e));
    int64_t g0 = store_generation(s, &e);
    int rc = store_setting_set(s, "partial_aggregates", "mark", &e);
    int64_t g1 = store_generation(s, &e);
    buf_printf(out, "big generation %lld, setting %d %s, then %lld\n", (long long)g0, rc, rc ? e.msg : "",
               (long long)g1);
}

static void scenario(const char *path, buf *out)
{
    store *s;
    err_t e;
    CHECK(store_open(path, 1, &s, &e));
    model *m = figures(s, out);
    catalogue_generation_rows(s, m, out);
    web_rows(s, out);
    task_class_rule_rows(s, out);
    feed_rows(s, out);
    multi_rows(s, out);
    big_generation_rows(s, out);
    model_free(m);
    store_close(s);
}

static void test_same_as_sqlite(void **state)
{
    (void)state;
    buf lite = BUF_INIT, pg = BUF_INIT;
    scenario(lite_path, &lite);
    scenario(pg_url, &pg);
    const char *a = buf_str(&lite), *b = buf_str(&pg);
    int line = 1;
    while (*a && *a == *b) {
        line += *a == '\n';
        a++, b++;
    }
    if (*a || *b) {
        const char *la = a, *lb = b;
        while (la > buf_str(&lite) && la[-1] != '\n')
            la--;
        while (lb > buf_str(&pg) && lb[-1] != '\n')
            lb--;
        fail_msg("line %d differs:\n  sqlite:     %.*s\n  postgresql: %.*s", line, (int)strcspn(la, "\n"), la,
                 (int)strcspn(lb, "\n"), lb);
    }
    assert_true(lite.len > 10000);
    buf_free(&lite);
    buf_free(&pg);
}

/* One writer at a time across connections; a read transaction keeps its snapshot. */
static void test_two_handles(void **state)
{
    (void)state;
    store *a, *b;
    err_t e;
    model *m = model_new();
    CHECK(store_open(pg_url, 0, &a, &e));
    CHECK(store_open(pg_url, 0, &b, &e));
    CHECK(store_load(a, m, &e));
    const cell_t *c0 = &m->values.cells[0];
    CHECK(store_begin(a, &e));
    assert_int_equal(store_try_begin(b, 50, &e), 1);
    CHECK(store_commit(a, &e));
    assert_int_equal(store_try_begin(b, 50, &e), 0);
    store_rollback(b);

    cell_t c = { 0 };
    CHECK(store_read_begin(b, &e));
    assert_int_equal(store_get_cell(b, m, 0, c0->ind, c0->unit, c0->per, &c, &e), 1);
    double before = c.v;
    CHECK(store_begin(a, &e));
    CHECK(store_put_value(a, m, c0->ind, c0->unit, c0->per, before + 1, NULL, c0, "ana", "test", &e));
    CHECK(store_commit(a, &e));
    assert_int_equal(store_get_cell(b, m, 0, c0->ind, c0->unit, c0->per, &c, &e), 1);
    assert_true(c.v == before);
    store_read_end(b);
    assert_int_equal(store_get_cell(b, m, 0, c0->ind, c0->unit, c0->per, &c, &e), 1);
    assert_true(c.v == before + 1);
    /* a scan stopped early (a streaming query cancelled) leaves the handle usable */
    long seen = 0;
    assert_int_equal(store_scan_cells(b, m, 0, 0, 1, stop_at_three, &seen, &e), -1);
    assert_int_equal(seen, 3);
    assert_int_equal(store_get_cell(b, m, 0, c0->ind, c0->unit, c0->per, &c, &e), 1);
    assert_true(c.v == before + 1);
    /* the change notice: b listens, a's write (a new batch) wakes it at the commit, not before */
    CHECK(store_feed_listen(b, &e));
    assert_int_equal(store_feed_wait(b, -1, 0, &e), 0);
    CHECK(store_begin(a, &e));
    CHECK(store_put_value(a, m, c0->ind, c0->unit, c0->per, before + 2, NULL, c0, "ana", "test", &e));
    assert_int_equal(store_feed_wait(b, -1, 200, &e), 0);
    CHECK(store_commit(a, &e));
    assert_int_equal(store_feed_wait(b, -1, 5000, &e), 1);
    assert_int_equal(store_feed_wait(b, -1, 0, &e), 0);                  /* one notice, taken */
    free(c.comment);
    model_free(m);
    store_close(a);
    store_close(b);
}

static void test_messages(void **state)
{
    (void)state;
    char empty[1024];
    store *s = NULL;
    err_t e;
    fresh_schema("chitieu_empty", empty, sizeof empty);
    assert_int_equal(store_open(empty, 0, &s, &e), -1);
    assert_non_null(strstr(e.msg, "run 'chitieu init'"));
    assert_int_equal(store_exists(empty, &e), 0);
    assert_int_equal(store_exists(pg_url, &e), 1);
    CHECK(store_open(empty, 1, &s, &e));
    store_close(s);
    assert_int_equal(store_exists(empty, &e), 1);
    /* a database written by a newer chitieu is refused, with SQLite's message */
    CHECK(store_open(empty, 0, &s, &e));
    CHECK(store_meta_set(s, "schema_version", "99", &e));
    store_close(s);
    assert_int_equal(store_open(empty, 0, &s, &e), -1);
    assert_non_null(strstr(e.msg, "the database has schema version 99, newer than this program's (" STR(STORE_SCHEMA_VERSION) ")"));
    assert_int_equal(store_open(empty, 1, &s, &e), -1);
    CHECK(store_remove(empty, &e));
    assert_int_equal(store_exists(empty, &e), 0);
    assert_int_equal(store_open("postgresql://who:secret@127.0.0.1:1/none?connect_timeout=2", 0, &s, &e), -1);
    assert_non_null(strstr(e.msg, "cannot open database 'postgresql://who:***@127.0.0.1:1/none"));
    assert_null(strstr(e.msg, "secret"));
}


/* One row of SQL on the connection of url (asserting success): its first column, or "" without rows. */
static void sql_one(const char *url, const char *sql, char *out, size_t n)
{
    PGconn *c = PQconnectdb(url);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("%s", PQerrorMessage(c));
    PQsetNoticeProcessor(c, quiet_notice, NULL);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    snprintf(out, n, "%s", PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    PQfinish(c);
}

/* SQL expected to fail on url: its SQLSTATE into out. */
static void sql_fails(const char *url, const char *sql, char *state, size_t n)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, sql);
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    snprintf(state, n, "%s", st ? st : "");
    PQclear(r);
    PQfinish(c);
}

/* Every figure, history row and batch by codes, and the figures' constraints (names, sorted). */
static void pg_digest(const char *url, char *out, size_t n)
{
    sql_one(url,
            "SELECT string_agg(x, E'\\n' ORDER BY x) FROM ("
            " SELECT concat_ws(' ', 'v', i.code, u.code, v.period, v.value, v.comment, b.who, b.source) x FROM value v"
            " JOIN indicator i ON i.id=v.indicator JOIN unit u ON u.id=v.unit JOIN batch b ON b.id=v.batch"
            " UNION ALL SELECT concat_ws(' ', 't', i.code, u.code, t.period, t.target, b.who) FROM target t"
            " JOIN indicator i ON i.id=t.indicator JOIN unit u ON u.id=t.unit JOIN batch b ON b.id=t.batch"
            " UNION ALL SELECT concat_ws(' ', 'h', kind, indicator, unit, period, old_value, new_value) FROM history) q",
            out, n);
}

static void constraints(const char *url, char *out, size_t n)
{
    sql_one(url,
            "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint"
            " WHERE conrelid IN ('value'::regclass, 'target'::regclass)",
            out, n);
}

static const char all_keys[] = "target_batch_fkey target_indicator_fkey target_pkey target_unit_fkey"
                               " value_batch_fkey value_indicator_fkey value_pkey value_unit_fkey";

/* A fresh schema `name` holding tests/fixtures/pg-schema-3.sql (a database of version 3). */
static void fixture_v3(const char *name, char *url, size_t n)
{
    fresh_schema(name, url, n);
    FILE *f = fopen("tests/fixtures/pg-schema-3.sql", "r");
    assert_non_null(f);
    buf text = BUF_INIT, sql = BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&text, chunk, got);
    fclose(f);
    for (const char *p = buf_str(&text), *at; *p; p = at + 8) {
        at = strstr(p, "@SCHEMA@");
        if (at == NULL) {
            buf_adds(&sql, p);
            break;
        }
        buf_add(&sql, p, (size_t)(at - p));
        buf_adds(&sql, name);
    }
    PGconn *c = PQconnectdb(url);
    PGresult *r = PQexec(c, buf_str(&sql));
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("pg-schema-3.sql: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    buf_free(&text);
    buf_free(&sql);
}

/* A PostgreSQL database of schema 3 (no foreign keys on the figures) is upgraded on its first open,
 * in one transaction: the keys added, the same figures and history, the version recorded; the
 * keys then refuse a figure of no unit.  One whose rows break a key is left as it was. */
static void test_upgrade(void **state)
{
    (void)state;
    char url[1024], before[65536], after[65536], keys[512], v[32], sqlstate[8];
    store *s = NULL;
    err_t e;
    fixture_v3("chitieu_v3", url, sizeof url);
    sql_one(url, "SELECT value FROM meta WHERE key='schema_version'", v, sizeof v);
    assert_string_equal(v, "3");
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, "target_pkey value_pkey");
    pg_digest(url, before, sizeof before);
    assert_true(strlen(before) > 1000);
    CHECK(store_open(url, 0, &s, &e));
    int version = 0;
    CHECK(store_schema_version(s, &version, &e));
    assert_int_equal(version, STORE_SCHEMA_VERSION);
    store_close(s);
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, all_keys);
    pg_digest(url, after, sizeof after);
    assert_string_equal(before, after);
    sql_fails(url, "INSERT INTO value(indicator,unit,period,value,batch) SELECT min(id), -1, '2022', 1,"
                   " (SELECT min(id) FROM batch) FROM indicator", sqlstate, sizeof sqlstate);
    assert_string_equal(sqlstate, "23503");
    /* opened again: nothing to do */
    CHECK(store_open(url, 0, &s, &e));
    store_close(s);

    /* a row of no unit (possible without the keys): the upgrade fails and changes nothing */
    fixture_v3("chitieu_v3bad", url, sizeof url);
    sql_one(url, "INSERT INTO value(indicator,unit,period,value,batch) SELECT min(id), 999999, '2022', 1,"
                 " (SELECT min(id) FROM batch) FROM indicator", v, sizeof v);
    pg_digest(url, before, sizeof before);
    assert_int_equal(store_open(url, 0, &s, &e), -1);
    assert_non_null(strstr(e.msg, "upgrading schema 3 to 4"));
    assert_non_null(strstr(e.msg, "value_unit_fkey"));
    sql_one(url, "SELECT value FROM meta WHERE key='schema_version'", v, sizeof v);
    assert_string_equal(v, "3");
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, "target_pkey value_pkey");
    pg_digest(url, after, sizeof after);
    assert_string_equal(before, after);
}

/* Figures read back exactly whatever the server's extra_float_digits (a DBA's 0 made it print 15
 * digits: 0.30000000000000004 came back as 0.3, 123456789.12345679 as 123456789.123457): a new
 * value (COPY), one with a comment (INSERT), a changed target (UPDATE), loaded and from history. */
static void test_float_digits(void **state)
{
    (void)state;
    char url[1024];
    store *s = NULL;
    err_t e;
    static const double v[] = { 0.30000000000000004, 123456789.12345679, 0.1, 1e-300, 899999999999999.9 };
    enum { NV = sizeof v / sizeof *v };
    fresh_schema("chitieu_digits", url, sizeof url);
    size_t len = strlen(url);
    snprintf(url + len, sizeof url - len, "%%20-cextra_float_digits%%3D0");
    CHECK(store_open(url, 1, &s, &e));
    model *m = model_new();
    ind_t def = { .code = "c", .name = "c", .group = "", .set = "", .measure = "", .parent_code = "", .formula_src = "" };
    int u = model_put_unit(m, "u", "u", "", "", 0, 0), i = model_put_ind(m, &def);
    assert_true(u >= 0 && i >= 0);
    CHECK(store_begin(s, &e));
    CHECK(store_put_unit(s, m, u, &e));
    CHECK(store_put_ind(s, m, i, 0, &e));
    for (int k = 0; k < NV; k++) {
        period_t p = { P_YEAR, 0, (uint16_t)(2001 + k), (uint16_t)(2001 + k) };
        CHECK(store_put_value(s, m, i, u, p, v[k], k % 2 ? "ghi chú" : NULL, NULL, "ana", "t", &e));
        CHECK(store_put_target(s, m, i, u, p, 1, NULL, "ana", "t", &e));
    }
    CHECK(store_commit(s, &e));
    CHECK(store_begin(s, &e));
    for (int k = 0; k < NV; k++) {
        period_t p = { P_YEAR, 0, (uint16_t)(2001 + k), (uint16_t)(2001 + k) };
        double one = 1;
        CHECK(store_put_target(s, m, i, u, p, v[k], &one, "ana", "t", &e));
    }
    CHECK(store_commit(s, &e));
    model *back = model_new();
    CHECK(store_load(s, back, &e));
    for (int k = 0; k < NV; k++) {
        period_t p = { P_YEAR, 0, (uint16_t)(2001 + k), (uint16_t)(2001 + k) };
        cell_t tmp;
        const cell_t *val = model_value(back, 0, 0, p, &tmp);
        assert_non_null(val);
        if (val->v != v[k])
            fail_msg("value %d: wrote %.17g, read %.17g", k, v[k], val->v);
        const cell_t *tg = model_target(back, 0, 0, p, &tmp);
        assert_non_null(tg);
        if (tg->v != v[k])
            fail_msg("target %d: wrote %.17g, read %.17g", k, v[k], tg->v);
        store_hist h[4];
        int nh = store_history(s, "c", "u", p, h, 4, &e);
        CHECK(nh);
        assert_true(nh >= 1);
        if (!h[0].has_new || h[0].new_v != v[k])
            fail_msg("history %d: wrote %.17g, read %.17g", k, v[k], h[0].new_v);
    }
    model_free(back);
    model_free(m);
    store_close(s);
}

/* A large first load of the figures (a COPY chunk into an empty table) builds the keys after the
 * rows and checks them at the end: committed, every key is back; a duplicate cell fails the
 * commit with nothing written; a rollback brings the keys back too. */
static void test_first_load(void **state)
{
    (void)state;
    char url[1024], keys[512], n[32];
    store *s = NULL;
    err_t e;
    fresh_schema("chitieu_bulk", url, sizeof url);
    CHECK(store_open(url, 1, &s, &e));
    model *m = model_new();
    char code[16];
    CHECK(store_begin(s, &e));
    for (int u = 0; u < 10; u++) {
        snprintf(code, sizeof code, "u%d", u);
        int k = model_put_unit(m, code, code, u ? "u0" : "", "", 0, 0);
        assert_true(k >= 0);
        CHECK(store_put_unit(s, m, k, &e));
    }
    for (int i = 0; i < 10; i++) {
        snprintf(code, sizeof code, "c%d", i);
        ind_t def = { .code = code, .name = code, .group = "", .set = "", .measure = "", .parent_code = "",
                      .formula_src = "" };
        int k = model_put_ind(m, &def);
        assert_true(k >= 0);
        CHECK(store_put_ind(s, m, k, i, &e));
    }
    CHECK(store_commit(s, &e));
    char oid_before[32], oid_after[32];
    sql_one(url, "SELECT 'value_pkey'::regclass::oid", oid_before, sizeof oid_before);
    for (int round = 0; round < 3; round++) {
        /* 10 x 10 x 240 months: 24 000 new values, past one COPY chunk */
        CHECK(store_begin(s, &e));
        for (int u = 0; u < 10; u++)
            for (int i = 0; i < 10; i++)
                for (int k = 0; k < 240; k++) {
                    period_t p = { P_MONTH, k % 12 + 1, 2001 + k / 12, 2001 + k / 12 };
                    CHECK(store_put_value(s, m, i, u, p, k + 0.5, NULL, NULL, "ana", "bulk", &e));
                }
        if (round == 1) {            /* the same cell twice: the key, built at the end, refuses it */
            period_t p = { P_MONTH, 1, 2001, 2001 };
            CHECK(store_put_value(s, m, 0, 0, p, 7, NULL, NULL, "ana", "bulk", &e));
            assert_int_equal(store_commit(s, &e), -1);
            assert_non_null(strstr(e.msg, "value"));
            store_rollback(s);
        } else if (round == 0) {
            store_rollback(s);
        } else {
            CHECK(store_commit(s, &e));
        }
        constraints(url, keys, sizeof keys);
        assert_string_equal(keys, all_keys);
        sql_one(url, "SELECT count(*) FROM value", n, sizeof n);
        assert_string_equal(n, round < 2 ? "0" : "24000");
    }
    sql_one(url, "SELECT count(*) FROM pg_indexes WHERE schemaname=current_schema()"
                 " AND indexname IN ('value_batch','value_pkey')", n, sizeof n);
    assert_string_equal(n, "2");
    /* the key was built anew by the committed first load (a new index), and only then */
    sql_one(url, "SELECT 'value_pkey'::regclass::oid", oid_after, sizeof oid_after);
    assert_string_not_equal(oid_before, oid_after);
    /* the next load into a table that is not empty goes row by row, checked as it goes */
    period_t p = { P_MONTH, 1, 2030, 2030 };
    CHECK(store_begin(s, &e));
    CHECK(store_put_value(s, m, 1, 1, p, 1, NULL, NULL, "ana", "bulk", &e));
    CHECK(store_commit(s, &e));
    sql_one(url, "SELECT count(*) FROM value", n, sizeof n);
    assert_string_equal(n, "24001");
    sql_one(url, "SELECT 'value_pkey'::regclass::oid", oid_before, sizeof oid_before);
    assert_string_equal(oid_before, oid_after);
    model_free(m);
    store_close(s);
}

/* Checks, while an import vets its rows, whether the importing connection has a COPY into value
 * open (the second row of indicator c1: the rows of c0 before it were sent, or not). */
typedef struct stream_probe {
    const char *url;
    int calls, c1_rows, saw_copy;
} stream_probe;

static int probe_vet(void *ctx, const model *m, int kind, int ind, int unit, period_t p, buf *why)
{
    stream_probe *k = ctx;
    (void)unit, (void)p, (void)why;
    k->calls++;
    if (kind == IK_VALUES && strcmp(m->inds[ind].code, "c1") == 0 && ++k->c1_rows == 2) {
        char n[32];
        sql_one(k->url, "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"
                        " AND state = 'active' AND query LIKE 'COPY value%'", n, sizeof n);
        k->saw_copy = strcmp(n, "1") == 0;
    }
    return 0;
}

/* Runs import_run on the three files (values.csv's last line is `last`); 0 or -1. */
static int import_big(store *s, const char *url, const buf *units, const buf *inds, const buf *vals,
                      const char *last, int dry_run, stream_probe *probe, buf *errs)
{
    err_t e;
    import_stats st;
    buf v = BUF_INIT;
    buf_adds(&v, buf_str(vals));
    buf_adds(&v, last);
    import_source src[3] = { { "units.csv", buf_str(units), units->len }, { "indicators.csv", buf_str(inds), inds->len },
                             { "values.csv", buf_str(&v), v.len } };
    *probe = (stream_probe){ .url = url };
    import_opts o = { .who = "test", .dry_run = dry_run, .vet = probe_vet, .vet_ctx = probe };
    model *m = model_new();
    buf_reset(errs);
    int rc = import_run(s, m, src, 3, &o, &st, errs, &e);
    model_free(m);
    buf_free(&v);
    return rc;
}

/* A large import into empty figure tables sends its values while it still checks the rest of the
 * file (store_streams_inserts): a bad row or a duplicate after that rolls back everything sent
 * (nothing written, every key in place), a dry run sends nothing, and a good file commits with
 * every row and key. */
static void test_import_streams(void **state)
{
    (void)state;
    char url[1024], keys[512], n[64];
    store *s = NULL;
    err_t e;
    buf units = BUF_INIT, inds = BUF_INIT, vals = BUF_INIT, errs = BUF_INIT;
    stream_probe probe;
    fresh_schema("chitieu_stream", url, sizeof url);
    CHECK(store_open(url, 1, &s, &e));
    assert_int_equal(store_streams_inserts(s), 1);
    buf_adds(&units, "code,name,parent,type\nu0,U0,,T\n");
    for (int u = 1; u < 200; u++)
        buf_printf(&units, "u%d,U%d,u0,T\n", u, u);
    buf_adds(&inds, "code,name\nc0,C0\nc1,C1\n");
    /* c0: 200 units x 75 years x 19 periods = 285 000 rows (past one slice), units in reverse */
    static const char *const sub[] = { "", "S1", "S2", "Q1", "Q2", "Q3", "Q4", "-01", "-02", "-03", "-04", "-05",
                                       "-06", "-07", "-08", "-09", "-10", "-11", "-12" };
    buf_adds(&vals, "indicator,unit,period,value\n");
    for (int u = 199; u >= 0; u--)
        for (int y = 2000; y < 2075; y++)
            for (int k = 0; k < 19; k++)
                buf_printf(&vals, "c0,u%d,%d%s,%d\n", u, y, sub[k], u + k);
    for (int k = 0; k < 19; k++)
        buf_printf(&vals, "c1,u0,2000%s,%d\n", sub[k], k);
    long rows = 200L * 75 * 19 + 19;
    /* a bad number on the last row (row rows + 3 of values.csv): nothing written */
    assert_int_equal(import_big(s, url, &units, &inds, &vals, "c1,u1,2000,x\n", 0, &probe, &errs), -1);
    assert_true(probe.saw_copy);
    snprintf(n, sizeof n, "values.csv, row %ld, column 4 (value)", rows + 2);
    assert_non_null(strstr(buf_str(&errs), n));
    sql_one(url, "SELECT count(*) FROM value", n, sizeof n);
    assert_string_equal(n, "0");
    sql_one(url, "SELECT count(*) FROM unit", n, sizeof n);
    assert_string_equal(n, "0");
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, all_keys);
    /* a cell given twice (found once the values are read): nothing written */
    assert_int_equal(import_big(s, url, &units, &inds, &vals, "c0,u199,2000,1\n", 0, &probe, &errs), -1);
    assert_true(probe.saw_copy);
    assert_non_null(strstr(buf_str(&errs), "duplicates row 2 of values.csv"));
    sql_one(url, "SELECT count(*) FROM value", n, sizeof n);
    assert_string_equal(n, "0");
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, all_keys);
    /* a dry run sends nothing */
    assert_int_equal(import_big(s, url, &units, &inds, &vals, "", 1, &probe, &errs), 0);
    assert_false(probe.saw_copy);
    assert_int_equal(probe.calls, rows);
    /* the good file: every row, every key */
    if (import_big(s, url, &units, &inds, &vals, "", 0, &probe, &errs) != 0)
        fail_msg("import: %s", buf_str(&errs));
    assert_true(probe.saw_copy);
    sql_one(url, "SELECT count(*) || ' ' || sum(value) FROM value", n, sizeof n);
    char want[64];
    /* c0: sum over u of 75 * (19 u + 171); c1: 171 */
    snprintf(want, sizeof want, "%ld %ld", rows, 75L * (19L * 199 * 200 / 2 + 171L * 200) + 171);
    assert_string_equal(n, want);
    constraints(url, keys, sizeof keys);
    assert_string_equal(keys, all_keys);
    sql_one(url, "SELECT count(*) FROM value v JOIN unit u ON u.id=v.unit JOIN indicator i ON i.id=v.indicator"
                 " WHERE i.code='c0' AND u.code='u7' AND v.period='2040Q3' AND v.value=12", n, sizeof n);
    assert_string_equal(n, "1");
    store_close(s);
    buf_free(&units);
    buf_free(&inds);
    buf_free(&vals);
    buf_free(&errs);
}

static int setup(void **state)
{
    (void)state;
    snprintf(lite_path, sizeof lite_path, "/tmp/chitieu-store-pg-%ld.db", (long)getpid());
    err_t e;
    store_remove(lite_path, &e);
    fresh_schema("chitieu_test", pg_url, sizeof pg_url);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    err_t e;
    store_remove(lite_path, &e);
    return 0;
}

int main(void)
{
    lang_set(LANG_EN);
    store_global_init();
    if (getenv("CHITIEU_TEST_PG") == NULL || *getenv("CHITIEU_TEST_PG") == '\0') {
        printf("test_store_pg: skipped (CHITIEU_TEST_PG not set; `make test-pg` runs it)\n");
        return 0;
    }
    assert_int_equal(auth_init(), 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_sqlite),
        cmocka_unit_test(test_two_handles),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_upgrade),
        cmocka_unit_test(test_first_load),
        cmocka_unit_test(test_float_digits),
        cmocka_unit_test(test_import_streams),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
