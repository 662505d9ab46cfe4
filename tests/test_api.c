/* test_api.c - the JSON API's lists as an integrator reads them: every list is complete or
 * says it is one page (total, next, snapshot); following `next` yields every item exactly once;
 * a page cut from data that changed is refused; filters (subtree, several indicators, periods
 * within a period, date ranges) and defaults; numbers print as the shortest exact decimal;
 * Content-Type is matched as a media type.  Requests are handed to web_handle without a socket. */
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
#include <jansson.h>
#include <sqlite3.h>
#include <xlsxwriter.h>

#include "api_rate.h"
#include "auth.h"
#include "buf.h"
#include "http.h"
#include "import.h"
#include "rule.h"
#include "store.h"
#include "store_rule.h"
#include "store_task.h"
#include "store_web.h"
#include "web.h"

#include "test_sql.h"
#include "web_client.h"

#define NWARDS 40

static char db[64];
static web_app *app;
static char bearer_admin[128], bearer_d1[128];

#define SRC(name, text) { name, text, strlen(text) }

/* city -> d1 (wards w0..w19), d2 (wards w20..w39); kn monthly for every ward in 2022 (480
 * values), tl yearly. */
static void make_files(buf *units, buf *values)
{
    buf_adds(units, "code,name,parent,type\ncity,Thành phố,,Thành phố\nd1,Quận Một,city,Quận\nd2,Quận Hai,city,Quận\n");
    buf_adds(values, "indicator,unit,period,value\n");
    for (int w = 0; w < NWARDS; w++) {
        buf_printf(units, "w%d,Phường %d,%s,Phường\n", w, w, w < NWARDS / 2 ? "d1" : "d2");
        for (int mo = 1; mo <= 12; mo++)
            buf_printf(values, "kn,w%d,2022-%02d,%d\n", w, mo, w * 100 + mo);
        buf_printf(values, "tl,w%d,2022,\"92,6\"\n", w);
    }
}

static void token_for(store *s, const char *login, char *bearer)
{
    char digest[AUTH_DIGEST_LEN + 1];
    err_t e;
    auth_random_token(bearer);
    auth_token_digest(bearer, digest);
    assert_int_equal(store_token_put(s, digest, login, "test", &e), 0);
}

static int setup_all(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-api-%ld.db", (long)getpid());
    remove(db);
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT, units = BUF_INIT, values = BUF_INIT;
    import_stats st;
    make_files(&units, &values);
    const char *inds = "code,name,group,direction,decimals\nkn,Kết nạp,Xây dựng Đảng,up,0\ntl,Tỷ lệ,Xã hội,up,1\n";
    import_source src[] = { { "units.csv", buf_str(&units), units.len }, SRC("indicators.csv", inds),
                            { "values.csv", buf_str(&values), values.len } };
    import_opts o = { .who = "test" };
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(import_run(s, m, src, 3, &o, &st, &errs, &e), 0);
    char hash[AUTH_HASH_MAX];
    assert_int_equal(wt_test_hash("mat-khau-thu-nghiem", hash), 0);
    web_user root = { .login = "root", .role = "admin", .unit = "city" };
    web_user ed = { .login = "ed1", .role = "editor", .unit = "d1" };
    assert_int_equal(store_user_add(s, &root, hash, &e), 0);
    assert_int_equal(store_user_add(s, &ed, hash, &e), 0);
    token_for(s, "root", bearer_admin);
    token_for(s, "ed1", bearer_d1);
    buf_free(&errs);
    buf_free(&units);
    buf_free(&values);
    model_free(m);
    store_close(s);
    assert_int_equal(web_open(db, 2, &app, &e), 0);
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

/* Sends a request with a bearer token; path may carry a query ("?..."); *out gets the parsed
 * JSON body (caller decrefs) or NULL.  Returns the status. */
static int call(const char *bearer, const char *method, const char *path_query, const char *ctype,
                const char *body, json_t **out)
{
    client c = { 0 };
    http_resp rs;
    snprintf(c.bearer, sizeof c.bearer, "%s", bearer);
    int st = wt_send(app, &c, &(wt_request){ .method = method, .path = path_query, .ctype = ctype, .body = body }, &rs);
    if (out) {
        json_error_t je;
        *out = json_loadb(buf_str(&rs.body), rs.body.len, 0, &je);
    }
    http_resp_free(&rs);
    return st;
}

static long total_of(const json_t *j)
{
    return (long)json_integer_value(json_object_get(j, "total"));
}

/* Follows `next` from path to the end; returns the items seen and checks none repeats. */
static long walk(const char *bearer, const char *path, const char *key, long *pages)
{
    char url[1024];
    long seen = 0, total = -1;
    json_t *keys = json_object();
    snprintf(url, sizeof url, "%s", path);
    for (*pages = 0;; (*pages)++) {
        json_t *j;
        assert_int_equal(call(bearer, "GET", url, NULL, NULL, &j), 200);
        assert_non_null(j);
        if (total < 0)
            total = total_of(j);
        assert_int_equal(total_of(j), total);
        json_t *a = json_object_get(j, key), *x;
        size_t k;
        json_array_foreach(a, k, x) {
            char *id = json_dumps(x, JSON_SORT_KEYS | JSON_COMPACT);
            assert_non_null(id);
            assert_null(json_object_get(keys, id));
            json_object_set_new(keys, id, json_true());
            free(id);
            seen++;
        }
        const json_t *next = json_object_get(j, "next");
        if (json_is_null(next)) {
            json_decref(j);
            break;
        }
        assert_true(json_is_string(next));
        snprintf(url, sizeof url, "%s", json_string_value(next));
        json_decref(j);
    }
    json_decref(keys);
    assert_int_equal(seen, total);
    return seen;
}

static void test_pages_complete(void **state)
{
    (void)state;
    json_t *j;
    long pages;
    /* The default page holds them all and says so. */
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values", NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), NWARDS * 13);
    assert_int_equal(json_array_size(json_object_get(j, "values")), NWARDS * 13);
    assert_true(json_is_null(json_object_get(j, "next")));
    json_decref(j);
    /* Small pages: every value exactly once, with the total on each page. */
    assert_int_equal(walk(bearer_admin, "/api/v1/values?limit=37", "values", &pages), NWARDS * 13);
    assert_int_equal(pages, (NWARDS * 13 + 36) / 37 - 1);
    /* A filtered walk repeats its filters in `next`. */
    assert_int_equal(walk(bearer_admin, "/api/v1/values?unit=d2&subtree=1&ind=kn&limit=50", "values", &pages), NWARDS / 2 * 12);
    /* Units and indicators are pages too. */
    assert_int_equal(walk(bearer_admin, "/api/v1/units?limit=7", "units", &pages), NWARDS + 3);
    assert_int_equal(pages, (NWARDS + 3 + 6) / 7 - 1);
}

static void test_snapshot(void **state)
{
    (void)state;
    json_t *j, *k;
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?limit=10", NULL, NULL, &j), 200);
    const char *next = json_string_value(json_object_get(j, "next"));
    assert_non_null(next);
    char url[512];
    snprintf(url, sizeof url, "%s", next);
    json_decref(j);
    /* A change between pages: the next page is refused, not silently shifted. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2023\",\"value\":1}]}",
                          NULL), 200);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &k), 409);
    assert_string_equal(json_string_value(json_object_get(json_object_get(k, "error"), "code")), "snapshot_changed");
    json_decref(k);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?limit=0", NULL, NULL, NULL), 400);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?limit=10001", NULL, NULL, NULL), 400);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?offset=-1", NULL, NULL, NULL), 400);
}

static long count(const char *bearer, const char *path)
{
    json_t *j;
    assert_int_equal(call(bearer, "GET", path, NULL, NULL, &j), 200);
    long n = total_of(j);
    assert_int_equal((long)json_array_size(json_object_get(j, "values")), n);
    json_decref(j);
    return n;
}

static void test_filters(void **state)
{
    (void)state;
    /* The caller's unit and its subtree by default; a unit given is exactly that unit. */
    assert_int_equal(count(bearer_d1, "/api/v1/values?ind=kn&period=2022-01"), NWARDS / 2);
    assert_int_equal(count(bearer_d1, "/api/v1/values?unit=d1&ind=kn"), 0);
    assert_int_equal(count(bearer_d1, "/api/v1/values?unit=d1&subtree=true&ind=kn"), NWARDS / 2 * 12);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/values?unit=d2", NULL, NULL, NULL), 403);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/values?subtree=maybe", NULL, NULL, NULL), 400);
    /* Several indicators, periods within a period, a date range. */
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&ind=kn,tl"), 13);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&within=2022Q2"), 3);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&within=2022"), 13);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&from=2022-03&to=2022S1"), 4);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?from=2023&to=2022", NULL, NULL, NULL), 400);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/values?ind=kn,zz", NULL, NULL, NULL), 404);
}

static void test_numbers_and_types(void **state)
{
    (void)state;
    http_req rq;
    http_resp rs;
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "GET");
    snprintf(rq.path, sizeof rq.path, "/api/v1/values");
    snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", bearer_admin);
    err_t e;
    assert_int_equal(http_parse_urlencoded(&rq.query, "unit=w5&ind=tl", 14, &e), 0);
    web_handle(app, &rq, &rs);
    assert_non_null(strstr(buf_str(&rs.body), "\"value\":92.6"));
    assert_null(strstr(buf_str(&rs.body), "92.599"));
    http_req_free(&rq);
    http_resp_free(&rs);
    /* whole figures keep their digits: 1205, not 1.2e+03 */
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "GET");
    snprintf(rq.path, sizeof rq.path, "/api/v1/values");
    snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", bearer_admin);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w12\",\"period\":\"2024\",\"value\":2000}]}",
                          NULL), 200);
    assert_int_equal(http_parse_urlencoded(&rq.query, "unit=w12&period=2024", 20, &e), 0);
    web_handle(app, &rq, &rs);
    assert_non_null(strstr(buf_str(&rs.body), "\"value\":2000.0"));
    assert_null(strstr(buf_str(&rs.body), "e+"));
    http_req_free(&rq);
    http_resp_free(&rs);
    const char *body = "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2023\",\"value\":2}]}";
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "Application/JSON; charset=utf-8", body, NULL), 200);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/jsonx", body, NULL), 415);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "text/plain", body, NULL), 415);
}

/* Like call, with the whole response kept (caller frees with http_resp_free); bearer NULL sends
 * none, cookie (may be NULL) is the Cookie header. */
static void call_rs(const char *bearer, const char *cookie, const char *method, const char *path_query,
                    const char *ctype, const char *body, http_resp *rs)
{
    http_req rq;
    err_t e;
    http_req_init(&rq);
    http_resp_init(rs);
    const char *q = strchr(path_query, '?');
    size_t plen = q ? (size_t)(q - path_query) : strlen(path_query);
    snprintf(rq.method, sizeof rq.method, "%s", method);
    snprintf(rq.path, sizeof rq.path, "%.*s", (int)plen, path_query);
    snprintf(rq.addr, sizeof rq.addr, "127.0.0.1");
    if (bearer)
        snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", bearer);
    if (cookie)
        snprintf(rq.cookie, sizeof rq.cookie, "%s", cookie);
    if (q)
        assert_int_equal(http_parse_urlencoded(&rq.query, q + 1, strlen(q + 1), &e), 0);
    if (ctype)
        snprintf(rq.ctype, sizeof rq.ctype, "%s", ctype);
    if (body)
        buf_adds(&rq.body, body);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
}

static const char *err_code(const json_t *j)
{
    return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* The code of problem k of an error answer's rows, or NULL. */
static const char *row_code(const json_t *j, size_t k, int *row)
{
    json_t *x = json_array_get(json_object_get(json_object_get(j, "error"), "rows"), k);
    if (row)
        *row = (int)json_integer_value(json_object_get(x, "row"));
    return json_string_value(json_object_get(x, "code"));
}

static size_t nrows(const json_t *j)
{
    return json_array_size(json_object_get(json_object_get(j, "error"), "rows"));
}

static void test_errors_every_row(void **state)
{
    (void)state;
    json_t *j;
    /* Malformed rows: every one listed with its code, 400. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2024\",\"value\":\"x\"},"
                          "{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2024\",\"value\":1},"
                          "{\"indicator\":\"kn\",\"unit\":\"w1\",\"value\":1,\"colour\":1}, 7]}", &j), 400);
    assert_string_equal(err_code(j), "bad_request");
    assert_int_equal(nrows(j), 4);
    int row;
    assert_string_equal(row_code(j, 0, &row), "bad_type");
    assert_int_equal(row, 0);
    assert_string_equal(row_code(j, 1, &row), "unknown_field");
    assert_int_equal(row, 2);
    assert_string_equal(row_code(j, 2, &row), "missing_field");
    assert_string_equal(row_code(j, 3, &row), "not_object");
    assert_int_equal(row, 3);
    json_decref(j);
    /* A field name with a tab or a newline is reported as one problem of its row. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2024\",\"value\":1,\"a\\tb\\nc\":1}]}", &j), 400);
    assert_int_equal(nrows(j), 1);
    assert_string_equal(row_code(j, 0, NULL), "unknown_field");
    json_decref(j);
    /* Invalid rows: every one, 422, with codes. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"zz\",\"unit\":\"w1\",\"period\":\"2024\",\"value\":1},"
                          "{\"indicator\":\"kn\",\"unit\":\"nowhere\",\"period\":\"2024\",\"value\":1},"
                          "{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2024Q9\",\"value\":1}]}", &j), 422);
    assert_string_equal(err_code(j), "invalid_rows");
    assert_int_equal(nrows(j), 3);
    assert_string_equal(row_code(j, 0, NULL), "unknown_indicator");
    assert_string_equal(row_code(j, 1, NULL), "unknown_unit");
    assert_string_equal(row_code(j, 2, NULL), "bad_period");
    json_decref(j);
    /* A comment of 500 Vietnamese characters (more than 500 bytes) is fine; 501 are not. */
    buf body = BUF_INIT;
    buf_adds(&body, "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w4\",\"period\":\"2024\",\"value\":3,\"comment\":\"");
    for (int k = 0; k < 500; k++)
        buf_adds(&body, "ệ");
    buf_adds(&body, "\"}]}");
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json", buf_str(&body), NULL), 200);
    buf_reset(&body);
    buf_adds(&body, "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w4\",\"period\":\"2024\",\"value\":3,\"comment\":\"");
    for (int k = 0; k < 501; k++)
        buf_adds(&body, "a");
    buf_adds(&body, "\"}]}");
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json", buf_str(&body), &j), 400);
    assert_string_equal(row_code(j, 0, NULL), "too_long");
    json_decref(j);
    buf_free(&body);
}

static void test_errors_mixed_batch(void **state)
{
    (void)state;
    json_t *j;
    /* Only conflicts: 409, with the stored value. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w6\",\"period\":\"2022-01\",\"value\":5,\"expected\":1}]}",
                          &j), 409);
    assert_string_equal(err_code(j), "conflict");
    json_t *r0 = json_array_get(json_object_get(json_object_get(j, "error"), "rows"), 0);
    assert_int_equal((int)json_number_value(json_object_get(r0, "current")), 601);
    assert_null(strstr(json_string_value(json_object_get(r0, "message")), "reload the page"));
    assert_null(strstr(json_string_value(json_object_get(r0, "message")), "tải lại trang"));
    json_decref(j);
    /* A conflict and a unit the editor may not write: 422, each row with its code. */
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w6\",\"period\":\"2022-01\",\"value\":5,\"expected\":1},"
                          "{\"indicator\":\"kn\",\"unit\":\"w30\",\"period\":\"2022-01\",\"value\":5}]}", &j), 422);
    assert_string_equal(err_code(j), "invalid_rows");
    assert_int_equal(nrows(j), 2);
    assert_string_equal(row_code(j, 0, NULL), "conflict");
    assert_string_equal(row_code(j, 1, NULL), "forbidden");
    json_decref(j);
    /* Only forbidden rows: 403. */
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w30\",\"period\":\"2022-01\",\"value\":5}]}", NULL), 403);
}

static void test_protocol(void **state)
{
    (void)state;
    http_resp rs;
    /* 401 says how to authenticate. */
    call_rs(NULL, NULL, "GET", "/api/v1/units", NULL, NULL, &rs);
    assert_int_equal(rs.status, 401);
    assert_non_null(rs.www_authenticate);
    assert_int_equal(strncmp(rs.www_authenticate, "Bearer", 6), 0);
    http_resp_free(&rs);
    /* ?lang= answers in that language without setting a cookie on the API. */
    call_rs(bearer_admin, NULL, "GET", "/api/v1/units?lang=en&limit=0", NULL, NULL, &rs);
    assert_int_equal(rs.status, 400);
    assert_int_equal(rs.ncookies, 0);
    assert_non_null(strstr(buf_str(&rs.body), "whole number"));
    http_resp_free(&rs);
    /* 405 in JSON. */
    call_rs(bearer_admin, NULL, "DELETE", "/api/v1/units", NULL, NULL, &rs);
    assert_int_equal(rs.status, 405);
    assert_string_equal(rs.ctype, "application/json");
    http_resp_free(&rs);
    /* The approval steps match the media type as the values do. */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/approval/submit", "application/jsonx",
                          "{\"unit\":\"w1\",\"period\":\"2022\"}", NULL), 415);
}

static json_int_t int_of(const json_t *j, const char *k)
{
    return json_integer_value(json_object_get(j, k));
}

/* A first full pull, then only what changed since its cursor: updates and new figures with who
 * and when, within the caller's units, paged; nothing when nothing changed. */
static void test_changes(void **state)
{
    (void)state;
    json_t *j;
    long pages;
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/changes", NULL, NULL, &j), 200);
    json_int_t c0 = int_of(j, "cursor");
    long all = total_of(j);
    assert_true(c0 > 0);
    assert_true(all >= NWARDS * 13);
    json_decref(j);
    /* the full pull, paged, sees every figure once */
    assert_int_equal(walk(bearer_admin, "/api/v1/changes?limit=97", "changes", &pages), all);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w7\",\"period\":\"2022-03\",\"value\":9999,\"comment\":\"sửa\"},"
                          "{\"indicator\":\"kn\",\"unit\":\"w25\",\"period\":\"2021\",\"value\":5}]}", NULL), 200);
    char url[128];
    snprintf(url, sizeof url, "/api/v1/changes?since=%lld", (long long)c0);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 2);
    json_int_t c1 = int_of(j, "cursor");
    assert_true(c1 > c0);
    json_t *x = json_array_get(json_object_get(j, "changes"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "kind")), "value");
    assert_string_equal(json_string_value(json_object_get(x, "indicator")), "kn");
    assert_string_equal(json_string_value(json_object_get(x, "by")), "root");
    assert_string_equal(json_string_value(json_object_get(x, "source")), "api");
    assert_false(json_is_true(json_object_get(x, "deleted")));
    assert_true(int_of(x, "change") > c0 && int_of(x, "change") <= c1);
    json_decref(j);
    /* the editor of d1 sees only its own ward's change */
    assert_int_equal(call(bearer_d1, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    x = json_array_get(json_object_get(j, "changes"), 0);
    assert_string_equal(json_string_value(json_object_get(x, "unit")), "w7");
    assert_true(json_number_value(json_object_get(x, "value")) == 9999);
    assert_string_equal(json_string_value(json_object_get(x, "comment")), "sửa");
    json_decref(j);
    /* filters apply: the ward of d2 only */
    snprintf(url, sizeof url, "/api/v1/changes?since=%lld&unit=d2&subtree=true", (long long)c0);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    json_decref(j);
    /* nothing since the new cursor */
    snprintf(url, sizeof url, "/api/v1/changes?since=%lld", (long long)c1);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 0);
    assert_int_equal(int_of(j, "cursor"), c1);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/changes?since=-1", NULL, NULL, &j), 400);
    assert_string_equal(err_code(j), "bad_cursor");
    json_decref(j);
    /* a page cut from a window that changed meanwhile is refused */
    snprintf(url, sizeof url, "/api/v1/changes?since=0&limit=10");
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    snprintf(url, sizeof url, "%s", json_string_value(json_object_get(j, "next")));
    json_decref(j);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w8\",\"period\":\"2021\",\"value\":5}]}", NULL), 200);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, NULL), 409);
}

/* Each token has its own bucket: a burst, then 429 with Retry-After until it refills. */
static void test_rate_limit(void **state)
{
    (void)state;
    api_rate *r = api_rate_new(60, 3);          /* one a second, three in a row */
    assert_non_null(r);
    for (int k = 0; k < 3; k++)
        assert_int_equal(api_rate_take(r, "a", 1000), 0);
    assert_int_equal(api_rate_take(r, "a", 1000), 1);
    assert_int_equal(api_rate_take(r, "b", 1000), 0);   /* another token is not held back */
    assert_int_equal(api_rate_take(r, "a", 1500), 1);   /* half a request earned: wait */
    assert_int_equal(api_rate_take(r, "a", 2000), 0);   /* one earned */
    assert_int_equal(api_rate_take(r, "a", 2000), 1);
    assert_int_equal(api_rate_take(r, "a", 60000), 0);  /* a long pause refills to the burst only */
    assert_int_equal(api_rate_take(r, "a", 60000), 0);
    assert_int_equal(api_rate_take(r, "a", 60000), 0);
    assert_int_equal(api_rate_take(r, "a", 60000), 1);
    api_rate_free(r);
    r = api_rate_new(6, 1);                           /* one in ten seconds */
    assert_int_equal(api_rate_take(r, "a", 0), 0);
    assert_int_equal(api_rate_take(r, "a", 0), 10);
    api_rate_free(r);
    /* Through the server. */
    app->rate = api_rate_new(1, 2);
    http_resp rs;
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/units?limit=1", NULL, NULL, NULL), 200);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/units?limit=1", NULL, NULL, NULL), 200);
    call_rs(bearer_d1, NULL, "GET", "/api/v1/units?limit=1", NULL, NULL, &rs);
    assert_int_equal(rs.status, 429);
    assert_true(rs.retry_after >= 1 && rs.retry_after <= 60);
    assert_non_null(strstr(buf_str(&rs.body), "\"rate_limited\""));
    http_resp_free(&rs);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/units?limit=1", NULL, NULL, NULL), 200);
    api_rate_free(app->rate);
    app->rate = NULL;
}

/* The actual figure of kn for unit in period from /api/v1/eval, or -1 when none. */
static double kn_actual(const char *unit, const char *period)
{
    char url[128];
    json_t *j, *x;
    size_t k;
    double v = -1;
    snprintf(url, sizeof url, "/api/v1/eval?unit=%s&period=%s", unit, period);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    json_array_foreach(json_object_get(j, "rows"), k, x)
        if (json_string_value(json_object_get(x, "code")) && strcmp(json_string_value(json_object_get(x, "code")), "kn") == 0 &&
            json_is_number(json_object_get(x, "actual")))
            v = json_number_value(json_object_get(x, "actual"));
    json_decref(j);
    return v;
}

/* A value deleted with a reason: gone from lists and figures, in the changes feed as a deletion,
 * in the audit log; refused without a reason, outside the caller's units, on locked data, on a
 * stale `expected`, and when nothing is stored. */
static void test_delete_value(void **state)
{
    (void)state;
    json_t *j;
    http_resp rs;
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/changes?limit=1", NULL, NULL, &j), 200);
    json_int_t c0 = int_of(j, "cursor");
    json_decref(j);
    double before = kn_actual("w9", "2022Q2");
    assert_true(before == 904 + 905 + 906);
    assert_int_equal(call(bearer_admin, "DELETE", "/api/v1/values?indicator=kn&unit=w9&period=2022-04", NULL, NULL, &j), 400);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "reason");
    json_decref(j);
    assert_int_equal(call(bearer_admin, "DELETE", "/api/v1/values?indicator=kn&unit=w9&period=2022-04&reason=x&expected=1", NULL, NULL, NULL), 409);
    assert_int_equal(call(bearer_d1, "DELETE", "/api/v1/values?indicator=kn&unit=w30&period=2022-04&reason=x", NULL, NULL, NULL), 403);
    assert_int_equal(call(bearer_admin, "DELETE", "/api/v1/values?indicator=kn&unit=w9&period=2022-04&reason=nh%E1%BA%ADp+nh%E1%BA%A7m&expected=904",
                          NULL, NULL, &j), 200);
    assert_int_equal(int_of(j, "deleted"), 1);
    json_decref(j);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w9&ind=kn&period=2022-04"), 0);
    /* the engine follows: the quarter lacks a month now */
    assert_true(kn_actual("w9", "2022Q2") != before);
    assert_int_equal(call(bearer_admin, "DELETE", "/api/v1/values?indicator=kn&unit=w9&period=2022-04&reason=x", NULL, NULL, NULL), 404);
    char url[128];
    snprintf(url, sizeof url, "/api/v1/changes?since=%lld", (long long)c0);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    json_t *x = json_array_get(json_object_get(j, "changes"), 0);
    assert_true(json_is_true(json_object_get(x, "deleted")));
    assert_true(json_is_null(json_object_get(x, "value")));
    assert_string_equal(json_string_value(json_object_get(x, "reason")), "nhập nhầm");
    assert_string_equal(json_string_value(json_object_get(x, "unit")), "w9");
    json_decref(j);
    /* written to the audit log */
    store *s;
    err_t e;
    web_audit *au = NULL;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    int n = store_audit_list(s, 20, &au, &e), found = 0;
    for (int k = 0; k < n; k++)
        found |= strcmp(au[k].action, "delete") == 0 && strstr(au[k].object, "w9") && strcmp(au[k].detail, "nhập nhầm") == 0;
    free(au);
    store_close(s);
    assert_true(found);
    /* locked data cannot be deleted */
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/approval/submit", "application/json",
                          "{\"unit\":\"w10\",\"period\":\"2022\"}", NULL), 200);
    assert_int_equal(call(bearer_d1, "DELETE", "/api/v1/values?indicator=kn&unit=w10&period=2022-05&reason=x", NULL, NULL, &j), 422);
    assert_string_equal(err_code(j), "locked");
    json_decref(j);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w10&ind=kn&period=2022-05"), 1);
    /* an approval naming the step it saw (expected_at, from GET /approval): an older one is 409 */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/approval/approve", "application/json",
                          "{\"unit\":\"w10\",\"period\":\"2022\",\"expected_at\":\"2000-01-01T00:00:00Z\"}", &j), 409);
    assert_string_equal(err_code(j), "conflict");
    json_decref(j);
    /* a browser session writes with the csrf parameter in the query, never without it */
    char tok[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1], cookie[128];
    web_user u;
    auth_random_token(tok);
    auth_token_digest(tok, digest);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_user_get(s, "root", &u, NULL, 0, &e), 1);
    assert_int_equal(store_session_put(s, digest, u.id, "csrf-of-the-session", (int64_t)time(NULL) + 3600, &e), 0);
    store_close(s);
    snprintf(cookie, sizeof cookie, "chitieu_session=%s", tok);
    const char *body = "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w11\",\"period\":\"2021\",\"value\":3}]}";
    call_rs(NULL, cookie, "POST", "/api/v1/values", "application/json", body, &rs);
    assert_int_equal(rs.status, 403);
    http_resp_free(&rs);
    call_rs(NULL, cookie, "POST", "/api/v1/values?csrf=csrf-of-the-session", "application/json", body, &rs);
    assert_int_equal(rs.status, 200);
    http_resp_free(&rs);
    call_rs(NULL, cookie, "DELETE", "/api/v1/values?indicator=kn&unit=w11&period=2021&reason=x", NULL, NULL, &rs);
    assert_int_equal(rs.status, 403);
    http_resp_free(&rs);
    call_rs(NULL, cookie, "DELETE", "/api/v1/values?indicator=kn&unit=w11&period=2021&reason=x&csrf=csrf-of-the-session",
            NULL, NULL, &rs);
    assert_int_equal(rs.status, 200);
    http_resp_free(&rs);
}

/* Targets are written by administrators of the unit, as the web's catalogue form, and show
 * in the targets list and in the changes feed. */
static void test_targets_post(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/changes?limit=1", NULL, NULL, &j), 200);
    json_int_t c0 = int_of(j, "cursor");
    json_decref(j);
    const char *body = "{\"targets\":[{\"indicator\":\"tl\",\"unit\":\"w1\",\"period\":\"2022\",\"target\":95}]}";
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/targets", "application/json", body, &j), 403);
    assert_string_equal(row_code(j, 0, NULL), "forbidden");
    json_decref(j);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/targets", "application/json", body, &j), 200);
    assert_int_equal(int_of(j, "changed"), 1);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/targets?unit=w1&period=2022", NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    assert_true(json_number_value(json_object_get(json_array_get(json_object_get(j, "targets"), 0), "target")) == 95);
    json_decref(j);
    char url[128];
    snprintf(url, sizeof url, "/api/v1/changes?since=%lld", (long long)c0);
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "changes"), 0), "kind")), "target");
    json_decref(j);
    /* a values field in a targets body is malformed */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/targets", "application/json",
                          "{\"targets\":[{\"indicator\":\"tl\",\"unit\":\"w1\",\"period\":\"2022\",\"value\":95}]}", &j), 400);
    assert_int_equal(nrows(j), 2);
    json_decref(j);
}

/* Users and tokens for administrators: the list (paged, the caller's units only), add, disable
 * (never oneself), enable, a token issued once that then works; editors are refused. */
static void test_users_tokens(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/users", NULL, NULL, NULL), 403);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/users", NULL, NULL, &j), 200);
    long before = total_of(j);
    assert_true(before >= 2);
    json_decref(j);
    const char *add = "{\"login\":\"api.moi\",\"name\":\"Người mới\",\"role\":\"viewer\",\"unit\":\"d2\","
                      "\"password\":\"mat-khau-rat-dai-123\"}";
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/users", "application/json", add, NULL), 403);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users", "application/json", add, &j), 201);
    assert_string_equal(json_string_value(json_object_get(j, "unit")), "d2");
    json_decref(j);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users", "application/json", add, NULL), 409);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users", "application/json",
                          "{\"login\":\"Bad Login\",\"role\":\"viewer\",\"unit\":\"d2\",\"password\":\"mat-khau-rat-dai-123\"}", &j), 422);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "login");
    json_decref(j);
    assert_int_equal(walk(bearer_admin, "/api/v1/users?limit=1", "users", &(long){ 0 }), before + 1);
    /* a token for the new user reads d2 */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/tokens", "application/json",
                          "{\"login\":\"api.moi\",\"name\":\"he-thong\"}", &j), 201);
    char tok[128];
    snprintf(tok, sizeof tok, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
    assert_int_equal(call(tok, "GET", "/api/v1/values?unit=d2&subtree=true&limit=1", NULL, NULL, NULL), 200);
    assert_int_equal(call(tok, "GET", "/api/v1/values?unit=d1", NULL, NULL, NULL), 403);
    /* disabled: the token stops working; enabled again: it works */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users/disable", "application/json", "{\"login\":\"api.moi\"}", NULL), 200);
    assert_int_equal(call(tok, "GET", "/api/v1/units", NULL, NULL, NULL), 401);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users/enable", "application/json", "{\"login\":\"api.moi\"}", NULL), 200);
    assert_int_equal(call(tok, "GET", "/api/v1/units", NULL, NULL, NULL), 200);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users/disable", "application/json", "{\"login\":\"root\"}", NULL), 422);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/users/disable", "application/json", "{\"login\":\"nobody\"}", NULL), 404);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/tokens", "text/plain", "{\"login\":\"ed1\"}", NULL), 415);
}

/* The URL of the next page of path (which must have one). */
static void next_of(const char *path, char *url, size_t n)
{
    json_t *j;
    assert_int_equal(call(bearer_admin, "GET", path, NULL, NULL, &j), 200);
    const char *next = json_string_value(json_object_get(j, "next"));
    assert_non_null(next);
    snprintf(url, n, "%s", next);
    json_decref(j);
}

static void expect_snapshot_changed(const char *url)
{
    json_t *j;
    assert_int_equal(call(bearer_admin, "GET", url, NULL, NULL, &j), 409);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "snapshot_changed");
    json_decref(j);
}

/* Lists the server reads from the database on each request (users, the validation run) change
 * without the model moving when another process writes them (`chitieu user add`, `chitieu rules`):
 * a page after such a change is refused, not shifted (a row repeated or skipped). */
static void test_store_lists_snapshot(void **state)
{
    (void)state;
    store *s;
    err_t e;
    char url[1024];
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    /* users: one added by another process sorts first */
    next_of("/api/v1/users?limit=1", url, sizeof url);
    char hash[AUTH_HASH_MAX];
    assert_int_equal(wt_test_hash("mat-khau-thu-nghiem", hash), 0);
    web_user first = { .login = "aaa.khac", .role = "viewer", .unit = "d1" };
    assert_int_equal(store_user_add(s, &first, hash, &e), 0);
    expect_snapshot_changed(url);
    /* the validation run: a rule added by another process lists before the one paged */
    static const char kn[] = "code,rule,severity,message\nzz,kn <= 5,warning,Kết nạp\n";
    static const char tl[] = "code,rule,severity,message\naa,tl <= 1,warning,Tỷ lệ\n";
    const char *const files[] = { kn, tl };
    long totals[2];
    for (int f = 0; f < 2; f++) {
        rule_t *r;
        int n;
        buf errs = BUF_INIT;
        assert_int_equal(rule_file_parse("rules.csv", files[f], strlen(files[f]), NULL, &r, &n, &errs, &e), 0);
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_rule_put(s, r, n, 0, &e), 0);
        assert_int_equal(store_commit(s, &e), 0);
        for (int k = 0; k < n; k++)
            rule_free(&r[k]);
        free(r);
        buf_free(&errs);
        if (f == 0)
            next_of("/api/v1/validation?unit=city&period=2022&limit=5", url, sizeof url);
        else
            expect_snapshot_changed(url);
        totals[f] = walk(bearer_admin, "/api/v1/validation?unit=city&period=2022&limit=5", "validation", &(long){ 0 });
    }
    assert_true(totals[0] > 5 && totals[1] > totals[0]);
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_rule_delete(s, "zz", &e), 1);
    assert_int_equal(store_rule_delete(s, "aa", &e), 1);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
}

/* Tasks as the web shows them: only those led by a readable unit, paged; progress by an editor
 * of the lead unit, with the log. */
static void test_tasks(void **state)
{
    (void)state;
    store *s;
    err_t e;
    json_t *j;
    task_t t1 = { .code = "nv1", .title = "Nhiệm vụ một", .kind = TK_TASK, .lead_unit = "w2", .deadline = 20221231 };
    task_t t2 = { .code = "nv2", .title = "Nhiệm vụ hai", .kind = TK_TASK, .lead_unit = "w30", .deadline = 20221231 };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_task_put(s, &t1, &e), 0);
    assert_int_equal(store_task_put(s, &t2, &e), 0);
    store_close(s);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/tasks", NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 2);
    json_decref(j);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/tasks", NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "tasks"), 0), "code")), "nv1");
    json_decref(j);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/tasks/progress", "application/json",
                          "{\"code\":\"nv1\",\"pct\":50,\"text\":\"đã xong một nửa\"}", &j), 200);
    assert_int_equal(int_of(j, "progress"), 50);
    assert_int_equal(json_array_size(json_object_get(j, "reports")), 1);
    json_decref(j);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/tasks?code=nv1", NULL, NULL, &j), 200);
    json_t *x = json_array_get(json_object_get(j, "tasks"), 0);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(x, "reports"), 0), "by")), "ed1");
    json_decref(j);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/tasks/progress", "application/json",
                          "{\"code\":\"nv2\",\"pct\":50,\"text\":\"x\"}", NULL), 404);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/tasks/progress", "application/json",
                          "{\"code\":\"nv1\",\"pct\":150,\"text\":\"x\"}", NULL), 422);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/tasks/progress", "application/json", "{\"code\":\"nv1\"}", NULL), 400);
}

static void *report_60(void *arg)
{
    *(int *)arg = call(bearer_d1, "POST", "/api/v1/tasks/progress", "application/json",
                       "{\"code\":\"nv1\",\"pct\":60,\"text\":\"thêm một phần\"}", NULL);
    return NULL;
}

/* A progress report sent while another writer (a task import moving the deadline) holds the
 * database: the report waits for it, then reads the task as that writer left it, so the row it
 * writes back keeps the new deadline (read before the wait, it would put the old one back). */
static void test_task_progress_after_writer(void **state)
{
    (void)state;
    pthread_t th;
    int status = 0;
    json_t *j;
    sqlite3 *other = ts_hold(db, "UPDATE work_item SET deadline=20231231 WHERE code='nv1'");
    assert_int_equal(pthread_create(&th, NULL, report_60, &status), 0);
    usleep(400000);                      /* the report reaches its wait for the writer's lock */
    ts_release(other);
    pthread_join(th, NULL);
    assert_int_equal(status, 200);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/tasks?code=nv1", NULL, NULL, &j), 200);
    json_t *x = json_array_get(json_object_get(j, "tasks"), 0);
    assert_int_equal(int_of(x, "deadline"), 20231231);
    assert_int_equal(int_of(x, "progress"), 60);
    assert_int_equal(json_array_size(json_object_get(x, "reports")), 2);
    json_decref(j);
}

/* POSTs a file as multipart/form-data to /api/v1/import?action=...; *out gets the JSON. */
static int upload_n(const char *bearer, const char *action, const char *name, const char *data, size_t len,
                    json_t **out);

static int upload(const char *bearer, const char *action, const char *name, const char *data, json_t **out)
{
    return upload_n(bearer, action, name, data, strlen(data), out);
}

/* The same with a file of len bytes (a workbook holds NULs). */
static int upload_n(const char *bearer, const char *action, const char *name, const char *data, size_t len,
                    json_t **out)
{
    http_req rq;
    http_resp rs;
    err_t e;
    json_error_t je;
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "/api/v1/import");
    snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", bearer);
    snprintf(rq.ctype, sizeof rq.ctype, "multipart/form-data; boundary=XyZ");
    buf_printf(&rq.body, "--XyZ\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n%s\r\n"
                         "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                         "Content-Type: text/csv\r\n\r\n", action, name);
    buf_add(&rq.body, data, len);
    buf_adds(&rq.body, "\r\n--XyZ--\r\n");
    assert_int_equal(http_parse_multipart(&rq.form, rq.ctype, buf_str(&rq.body), rq.body.len, &e), 0);
    web_handle(app, &rq, &rs);
    *out = json_loadb(buf_str(&rs.body), rs.body.len, 0, &je);
    int st = rs.status;
    http_req_free(&rq);
    http_resp_free(&rs);
    return st;
}

/* A file imported as on the web page: a preview writes nothing, a commit writes; every bad row
 * listed; rows outside the caller's units refused; a multipart body required. */
static void test_import(void **state)
{
    (void)state;
    json_t *j;
    const char *csv = "indicator,unit,period,value\nkn,w3,2023,7\nkn,w4,2023,8\n";
    assert_int_equal(upload(bearer_d1, "preview", "so-lieu.csv", csv, &j), 200);
    assert_false(json_is_true(json_object_get(j, "committed")));
    assert_int_equal(int_of(j, "rows"), 2);
    assert_int_equal(int_of(j, "added"), 2);
    assert_string_equal(json_string_value(json_object_get(j, "encoding")), "utf-8");
    json_decref(j);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&ind=kn&period=2023"), 0);
    assert_int_equal(upload(bearer_d1, "commit", "so-lieu.csv", csv, &j), 200);
    assert_true(json_is_true(json_object_get(j, "committed")));
    json_decref(j);
    assert_int_equal(count(bearer_admin, "/api/v1/values?unit=w3&ind=kn&period=2023"), 1);
    assert_int_equal(upload(bearer_d1, "commit", "sai.csv", "indicator,unit,period,value\nkn,w3,2023,abc\nkn,w30,2023,1\nzz,w3,2023,1\n", &j), 422);
    assert_string_equal(err_code(j), "invalid_file");
    assert_true(nrows(j) >= 3);
    json_decref(j);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/import", "text/csv", csv, NULL), 415);
    /* a workbook with more data sheets than an upload takes is refused, not imported in part */
    char xpath[64];
    snprintf(xpath, sizeof xpath, "/tmp/chitieu-api-%ld.xlsx", (long)getpid());
    for (int sheets = 8; sheets <= 9; sheets++) {
        lxw_workbook *wb = workbook_new(xpath);
        assert_non_null(wb);
        for (int k = 1; k <= sheets; k++) {
            char name[16], period[16];
            snprintf(name, sizeof name, "T%d", k);
            snprintf(period, sizeof period, "2024-%02d", k);
            lxw_worksheet *ws = workbook_add_worksheet(wb, name);
            const char *row[2][4] = { { "indicator", "unit", "period", "value" }, { "kn", "w5", period, "1" } };
            for (int r = 0; r < 2; r++)
                for (int col = 0; col < 4; col++)
                    worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)col, row[r][col], NULL);
        }
        assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
        FILE *fp = fopen(xpath, "rb");
        assert_non_null(fp);
        buf x = BUF_INIT;
        char chunk[4096];
        size_t got;
        while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
            buf_add(&x, chunk, got);
        fclose(fp);
        remove(xpath);
        int st = upload_n(bearer_d1, "preview", "so-lieu.xlsx", buf_str(&x), x.len, &j);
        buf_free(&x);
        if (sheets == 8) {
            assert_int_equal(st, 200);
            assert_int_equal(int_of(j, "rows"), 8);
        } else {
            assert_int_equal(st, 422);
            assert_string_equal(err_code(j), "invalid_file");
            char *text = json_dumps(j, 0);
            assert_non_null(strstr(text, "9 trang số liệu"));
            free(text);
        }
        json_decref(j);
    }
}

/* Units and indicators as the web's catalogue form: administrators within their subtree, only a
 * root's administrator for indicators; the importer's checks; fields left out are kept. */
static void test_catalog(void **state)
{
    (void)state;
    json_t *j;
    const char *unit = "{\"units\":[{\"code\":\"w99\",\"name\":\"Phường Mới\",\"parent\":\"d1\",\"type\":\"Phường\"}]}";
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/units", "application/json", unit, NULL), 403);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/units", "application/json", unit, &j), 200);
    assert_int_equal(int_of(j, "added"), 1);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/units?parent=d1", NULL, NULL, &j), 200);
    assert_int_equal(total_of(j), NWARDS / 2 + 1);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/units", "application/json",
                          "{\"units\":[{\"code\":\"w98\",\"name\":\"X\",\"parent\":\"nowhere\"}]}", NULL), 403);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/units", "application/json",
                          "{\"units\":[{\"code\":\"w98\",\"colour\":\"x\"}]}", NULL), 400);
    /* an indicator: renamed, its other fields kept */
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/indicators", "application/json",
                          "{\"indicators\":[{\"code\":\"tl\",\"name\":\"Tỷ lệ mới\"}]}", &j), 200);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/indicators", NULL, NULL, &j), 200);
    json_t *x;
    size_t k;
    int seen = 0;
    json_array_foreach(json_object_get(j, "indicators"), k, x)
        if (strcmp(json_string_value(json_object_get(x, "code")), "tl") == 0) {
            assert_string_equal(json_string_value(json_object_get(x, "name")), "Tỷ lệ mới");
            assert_string_equal(json_string_value(json_object_get(x, "group")), "Xã hội");
            assert_int_equal(json_integer_value(json_object_get(x, "decimals")), 1);
            seen = 1;
        }
    assert_true(seen);
    json_decref(j);
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/indicators", "application/json",
                          "{\"indicators\":[{\"code\":\"xx\",\"name\":\"X\",\"direction\":\"sideways\"}]}", &j), 422);
    assert_string_equal(err_code(j), "invalid_rows");
    json_decref(j);
    assert_int_equal(call(bearer_d1, "POST", "/api/v1/indicators", "application/json",
                          "{\"indicators\":[{\"code\":\"tl\",\"name\":\"Y\"}]}", NULL), 403);
}

/* The structure of units an evaluation is on: asked for, said in the answer, refused when unknown. */
static void test_eval_structure(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/eval?unit=d1&period=2022&structure=current", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "structure")), "current");
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/eval?unit=d1&period=2022&structure=historical", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "structure")), "historical");
    json_decref(j);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/eval?unit=d1&period=2022&structure=yesterday", NULL, NULL, NULL), 400);
}

/* Without a period, an evaluation answers the latest year with a figure in the unit's own subtree,
 * read from the data as it is now (a figure saved a moment ago moves it, no restart needed). */
static void test_default_period(void **state)
{
    (void)state;
    json_t *j;
    assert_int_equal(call(bearer_admin, "POST", "/api/v1/values", "application/json",
                          "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w25\",\"period\":\"2027\",\"value\":1}]}",
                          NULL), 200);
    assert_int_equal(call(bearer_admin, "GET", "/api/v1/eval?unit=d2", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "period")), "2027");
    json_decref(j);
    assert_int_equal(call(bearer_d1, "GET", "/api/v1/eval", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "unit")), "d1");
    assert_string_not_equal(json_string_value(json_object_get(j, "period")), "2027");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_complete),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_numbers_and_types),
        cmocka_unit_test(test_snapshot),
        cmocka_unit_test(test_eval_structure),
        cmocka_unit_test(test_default_period),
        cmocka_unit_test(test_errors_every_row),
        cmocka_unit_test(test_errors_mixed_batch),
        cmocka_unit_test(test_protocol),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_rate_limit),
        cmocka_unit_test(test_delete_value),
        cmocka_unit_test(test_targets_post),
        cmocka_unit_test(test_users_tokens),
        cmocka_unit_test(test_tasks),
        cmocka_unit_test(test_task_progress_after_writer),
        cmocka_unit_test(test_import),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test(test_store_lists_snapshot),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
