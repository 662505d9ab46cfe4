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
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "auth.h"
#include "buf.h"
#include "http.h"
#include "import.h"
#include "store.h"
#include "store_web.h"
#include "web.h"

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
    assert_int_equal(auth_hash_password("mat-khau-thu-nghiem", hash, &e), 0);
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
    char side[80];
    remove(db);
    snprintf(side, sizeof side, "%s-wal", db);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", db);
    remove(side);
    return 0;
}

/* Sends a request with a bearer token; path may carry a query ("?..."); *out gets the parsed
 * JSON body (caller decrefs) or NULL.  Returns the status. */
static int call(const char *bearer, const char *method, const char *path_query, const char *ctype,
                const char *body, json_t **out)
{
    http_req rq;
    http_resp rs;
    err_t e;
    http_req_init(&rq);
    http_resp_init(&rs);
    const char *q = strchr(path_query, '?');
    size_t plen = q ? (size_t)(q - path_query) : strlen(path_query);
    snprintf(rq.method, sizeof rq.method, "%s", method);
    snprintf(rq.path, sizeof rq.path, "%.*s", (int)plen, path_query);
    snprintf(rq.addr, sizeof rq.addr, "127.0.0.1");
    snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", bearer);
    if (q)
        assert_int_equal(http_parse_urlencoded(&rq.query, q + 1, strlen(q + 1), &e), 0);
    if (ctype)
        snprintf(rq.ctype, sizeof rq.ctype, "%s", ctype);
    if (body)
        buf_adds(&rq.body, body);
    web_handle(app, &rq, &rs);
    if (out) {
        json_error_t je;
        *out = json_loadb(buf_str(&rs.body), rs.body.len, 0, &je);
    }
    int st = rs.status;
    http_req_free(&rq);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_complete),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_numbers_and_types),
        cmocka_unit_test(test_snapshot),
    };
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
