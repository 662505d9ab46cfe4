/* web_client.h - the web tests' client: requests built in memory and handed to web_handle(), as
 * libmicrohttpd's bridge (http.c) would hand them, with a session cookie, its CSRF token or a
 * bearer token; logging in; the test users' password hashes; removing a test database with its
 * WAL files.
 *
 * Header-only (static inline functions), included by the test files that drive a web_app (test_web,
 * test_web_data, test_class_web, test_api, test_rule, test_write); each keeps its own thin
 * send()/login() with the signature its tests use.  A query or form that does not parse marks
 * the request bad with the parser's message, as http.c does, so a test can send malformed input.
 * The response is the caller's (http_resp_free). */
#ifndef CHITIEU_TESTS_WEB_CLIENT_H
#define CHITIEU_TESTS_WEB_CLIENT_H

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "http.h"
#include "web.h"

typedef struct client {
    char cookie[256];            /* "chitieu_session=..." after a login, or empty */
    char csrf[64];               /* the session's CSRF token, for form posts */
    char bearer[128];            /* an API token, or empty */
    const char *unit;            /* the unit a test's pages are shown for (test_class_web) */
} client;

/* One request: path may carry "?query" (then query should be NULL); query and form are
 * url-encoded; json (sent as application/json) or body (with ctype, if any) is the body; addr
 * and forwarded default to 127.0.0.1 and none. */
typedef struct wt_request {
    const char *method, *path, *query, *form, *json, *ctype, *body;
    const char *addr, *forwarded;
} wt_request;

static inline void wt_parse(http_req *rq, http_params *into, const char *text)
{
    err_t e;
    if (http_parse_urlencoded(into, text, strlen(text), &e) != 0 && !rq->bad) {
        rq->bad = 1;
        snprintf(rq->bad_msg, sizeof rq->bad_msg, "%s", e.msg);
    }
}

/* Hands r to app as c (NULL: anonymous); *rs gets the response; returns its status. */
static inline int wt_send(web_app *app, const client *c, const wt_request *r, http_resp *rs)
{
    http_req rq;
    http_req_init(&rq);
    http_resp_init(rs);
    const char *q = strchr(r->path, '?');
    snprintf(rq.method, sizeof rq.method, "%s", r->method);
    snprintf(rq.path, sizeof rq.path, "%.*s", (int)(q ? (size_t)(q - r->path) : strlen(r->path)), r->path);
    snprintf(rq.addr, sizeof rq.addr, "%s", r->addr ? r->addr : "127.0.0.1");
    snprintf(rq.forwarded, sizeof rq.forwarded, "%s", r->forwarded ? r->forwarded : "");
    if (c && c->cookie[0])
        snprintf(rq.cookie, sizeof rq.cookie, "%s", c->cookie);
    if (c && c->bearer[0])
        snprintf(rq.authorization, sizeof rq.authorization, "Bearer %s", c->bearer);
    if (q)
        wt_parse(&rq, &rq.query, q + 1);
    if (r->query)
        wt_parse(&rq, &rq.query, r->query);
    if (r->form) {
        snprintf(rq.ctype, sizeof rq.ctype, "application/x-www-form-urlencoded");
        wt_parse(&rq, &rq.form, r->form);
    }
    if (r->json) {
        snprintf(rq.ctype, sizeof rq.ctype, "application/json");
        buf_adds(&rq.body, r->json);
    }
    if (r->ctype)
        snprintf(rq.ctype, sizeof rq.ctype, "%s", r->ctype);
    if (r->body)
        buf_adds(&rq.body, r->body);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
    return rs->status;
}

/* Logs c in as user with password from addr with X-Forwarded-For forwarded (NULL: 127.0.0.1, none;
 * c is cleared first); on 303 c gets the session cookie and the CSRF token of a page with a form.
 * Returns the login's status. */
static inline int wt_login(web_app *app, client *c, const char *user, const char *password, const char *addr,
                           const char *forwarded)
{
    char form[256];
    http_resp rs;
    memset(c, 0, sizeof *c);
    snprintf(form, sizeof form, "login=%s&password=%s", user, password);
    int st = wt_send(app, NULL,
                     &(wt_request){ .method = "POST", .path = "/login", .form = form, .addr = addr, .forwarded = forwarded },
                     &rs);
    if (st == 303 && rs.ncookies) {
        snprintf(c->cookie, sizeof c->cookie, "%.*s", (int)strcspn(rs.cookies[0], ";"), rs.cookies[0]);
        http_resp_free(&rs);
        wt_send(app, c, &(wt_request){ .method = "GET", .path = "/password", .addr = addr, .forwarded = forwarded }, &rs);
        const char *t = strstr(buf_str(&rs.body), "name=\"csrf\" value=\"");
        if (t) {
            t += 19;
            snprintf(c->csrf, sizeof c->csrf, "%.*s", (int)strcspn(t, "\""), t);
        }
    }
    http_resp_free(&rs);
    return st;
}

/* The hash of a test user's password: argon2id as auth_hash_password writes it, at the
 * library's least cost.  The server verifies at whatever cost the hash names, so a test login
 * takes microseconds instead of a good part of a second (the suites log in a few hundred times);
 * auth_hash_password itself is used, and its cost kept, by test_store. 0 or -1. */
static inline int wt_test_hash(const char *password, char *out)
{
    return crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_MIN,
                                 crypto_pwhash_MEMLIMIT_MIN, crypto_pwhash_ALG_ARGON2ID13);
}

/* Removes a test's SQLite database and its -wal and -shm files. */
static inline void wt_remove_db(const char *db)
{
    char side[512];
    remove(db);
    snprintf(side, sizeof side, "%s-wal", db);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", db);
    remove(side);
}

#endif
