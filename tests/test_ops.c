/* test_ops.c - tests of the operators' module (src/ops.c) and endpoints (src/page_ops.c).
 *
 * ops.c: request ids a client may choose, the log's value escaping, exact counts and a
 * cumulative histogram after several threads counted at once, the exposition format's shape.
 * page_ops.c through web_handle without a socket: /healthz's answer and its 503 when the
 * database cannot be read, and who may read /metrics (loopback, not through a proxy, or the
 * token).  The counters are process-wide, so tests compare differences, never absolute values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "http.h"
#include "ops.h"
#include "store.h"
#include "web.h"

static void test_request_id(void **state)
{
    (void)state;
    assert_true(ops_request_id_ok("a"));
    assert_true(ops_request_id_ok("lb-7f3a.9_X"));
    char max[OPS_RID_MAX];
    memset(max, 'x', OPS_RID_MAX - 1);
    max[OPS_RID_MAX - 1] = '\0';
    assert_true(ops_request_id_ok(max));
    char over[OPS_RID_MAX + 1];
    memset(over, 'x', OPS_RID_MAX);
    over[OPS_RID_MAX] = '\0';
    assert_false(ops_request_id_ok(over));
    assert_false(ops_request_id_ok(""));
    assert_false(ops_request_id_ok("a b"));
    assert_false(ops_request_id_ok("a\nb"));
    assert_false(ops_request_id_ok("a\"b"));
    assert_false(ops_request_id_ok("tệp"));
    char a[OPS_RID_MAX], b[OPS_RID_MAX];
    ops_request_id_new(a);
    ops_request_id_new(b);
    assert_int_equal(strlen(a), 16);
    assert_true(ops_request_id_ok(a));
    assert_string_not_equal(a, b);
}

static void test_log_field(void **state)
{
    (void)state;
    buf line = BUF_INIT;
    ops_log_field(&line, "user", "caugiay.nhap");
    ops_log_field(&line, "route", NULL);
    ops_log_field(&line, "x", "");
    ops_log_field(&line, "path", "/a b\"c\\d\ne\x01" "ệ");
    assert_string_equal(buf_str(&line), " user=caugiay.nhap route=- x=- path=\"/a b\\\"c\\\\d\\x0ae\\x01ệ\"");
    buf_free(&line);
}

/* The value of the exposition line starting with prefix (0 when absent). */
static double metric(const char *text, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, prefix, n) == 0 && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    return 0;
}

static void *count_many(void *arg)
{
    (void)arg;
    for (int i = 0; i < 10000; i++)
        ops_request(OPS_STATIC, 201, i % 2 ? 0.002 : 3.0);
    return NULL;
}

static void test_counters_threads(void **state)
{
    (void)state;
    buf before = BUF_INIT, after = BUF_INIT;
    ops_start();
    assert_int_equal(ops_render(&before), 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, count_many, NULL), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    ops_reload(1);
    ops_reload(0);
    ops_db_error();
    assert_int_equal(ops_render(&after), 0);
    const char *b = buf_str(&before), *a = buf_str(&after);
    assert_true(metric(a, "chitieu_http_requests_total{class=\"static\",code=\"201\"}") -
                metric(b, "chitieu_http_requests_total{class=\"static\",code=\"201\"}") == 40000);
    assert_true(metric(a, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"0.0025\"}") -
                metric(b, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"0.0025\"}") == 20000);
    assert_true(metric(a, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"2.5\"}") -
                metric(b, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"2.5\"}") == 20000);
    assert_true(metric(a, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"5\"}") -
                metric(b, "chitieu_http_request_duration_seconds_bucket{class=\"static\",le=\"5\"}") == 40000);
    assert_true(metric(a, "chitieu_http_request_duration_seconds_count{class=\"static\"}") -
                metric(b, "chitieu_http_request_duration_seconds_count{class=\"static\"}") == 40000);
    double sum = metric(a, "chitieu_http_request_duration_seconds_sum{class=\"static\"}") -
                 metric(b, "chitieu_http_request_duration_seconds_sum{class=\"static\"}");
    assert_true(sum > 60039 && sum < 60041);
    assert_true(metric(a, "chitieu_engine_reloads_total{result=\"failed\"}") -
                metric(b, "chitieu_engine_reloads_total{result=\"failed\"}") == 1);
    assert_true(metric(a, "chitieu_db_errors_total") - metric(b, "chitieu_db_errors_total") == 1);
    /* every line is a comment or "name{labels} value"; buckets never decrease */
    double last = -1;
    for (const char *p = a; *p;) {
        const char *nl = strchr(p, '\n');
        assert_non_null(nl);
        if (*p != '#') {
            assert_true(strncmp(p, "chitieu_", 8) == 0);
            const char *sp = memchr(p, ' ', (size_t)(nl - p));
            assert_non_null(sp);
            if (strncmp(p, "chitieu_http_request_duration_seconds_bucket{class=\"static\"", 59) == 0) {
                double v = strtod(sp + 1, NULL);
                assert_true(v >= last);
                last = v;
            }
        }
        p = nl + 1;
    }
    buf_free(&before);
    buf_free(&after);
}

/* ---- the endpoints through web_handle ---- */

static char db[64];
static web_app *app;

static int get(const char *path, const char *addr, int forwarded, const char *authz, buf *body)
{
    http_req rq;
    http_resp rs;
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "GET");
    snprintf(rq.path, sizeof rq.path, "%s", path);
    snprintf(rq.addr, sizeof rq.addr, "%s", addr);
    snprintf(rq.request_id, sizeof rq.request_id, "t1");
    rq.proxied = forwarded;
    if (forwarded)
        snprintf(rq.forwarded, sizeof rq.forwarded, "203.0.113.9");
    if (authz)
        snprintf(rq.authorization, sizeof rq.authorization, "%s", authz);
    web_handle(app, &rq, &rs);
    int st = rs.status;
    assert_int_equal(rs.route_class, OPS_HEALTH);
    buf_reset(body);
    buf_adds(body, buf_str(&rs.body));
    http_resp_free(&rs);
    http_req_free(&rq);
    return st;
}

static void test_endpoints(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-ops-%ld.db", (long)getpid());
    remove(db);
    store *s;
    err_t e;
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    store_close(s);
    assert_int_equal(web_open(db, 2, &app, &e), 0);
    app->log = tmpfile();
    buf body = BUF_INIT;
    assert_int_equal(get("/healthz", "10.0.0.5", 1, NULL, &body), 200);
    assert_non_null(strstr(buf_str(&body), "\"status\":\"ok\""));
    assert_non_null(strstr(buf_str(&body), "\"engine\":\"current\""));
    assert_int_equal(get("/metrics", "127.0.0.1", 0, NULL, &body), 200);
    assert_non_null(strstr(buf_str(&body), "# TYPE chitieu_engine_reloads_total counter"));
    assert_non_null(strstr(buf_str(&body), "\nchitieu_engine_units 0\n"));
    assert_non_null(strstr(buf_str(&body), "\nchitieu_wal_checkpoints_total{result=\"complete\"} 0\n"));
    assert_non_null(strstr(buf_str(&body), "# TYPE chitieu_wal_checkpoint_seconds_total counter\n"));
    assert_non_null(strstr(buf_str(&body), "# TYPE chitieu_wal_pages gauge\n"));
    assert_non_null(strstr(buf_str(&body), "\nchitieu_wal_checkpoints_total{result=\"failed\"} 0\n"));
    assert_int_equal(get("/metrics", "::1", 0, NULL, &body), 200);
    assert_int_equal(get("/metrics", "127.0.0.1", 1, NULL, &body), 403);
    assert_int_equal(get("/metrics", "10.0.0.5", 0, NULL, &body), 403);
    assert_int_equal(get("/metrics", "", 0, NULL, &body), 403);
    snprintf(app->metrics_token, sizeof app->metrics_token, "scrape-0123456789abcdef");
    assert_int_equal(get("/metrics", "127.0.0.1", 0, NULL, &body), 403);
    assert_int_equal(get("/metrics", "10.0.0.5", 1, "Bearer scrape-0123456789abcdeg", &body), 403);
    assert_int_equal(get("/metrics", "10.0.0.5", 1, "Bearer scrape-0123456789abcdef", &body), 200);
    /* the database stops answering: 503 and a counted error, then back */
    long errs = ops_db_errors();
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "ALTER TABLE meta RENAME TO meta_away", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(get("/healthz", "127.0.0.1", 0, NULL, &body), 503);
    assert_non_null(strstr(buf_str(&body), "\"status\":\"error\""));
    assert_null(strstr(buf_str(&body), "meta"));
    assert_true(ops_db_errors() > errs);
    assert_int_equal(sqlite3_exec(raw, "ALTER TABLE meta_away RENAME TO meta", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(raw);
    assert_int_equal(get("/healthz", "127.0.0.1", 0, NULL, &body), 200);
    buf_free(&body);
    web_idle(app);
    fclose(app->log);
    web_close(app);
    remove(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_id),
        cmocka_unit_test(test_log_field),
        cmocka_unit_test(test_counters_threads),
        cmocka_unit_test(test_endpoints),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
