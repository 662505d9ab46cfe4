/* http.h - the HTTP layer: requests and responses as plain structs, the parsers for
 * what clients send (query strings, url-encoded and multipart forms, cookies), and a
 * libmicrohttpd server that turns connections into calls of one handler.
 *
 * The handler sees an http_req whose every text parameter is checked UTF-8 without NUL
 * (uploaded files excepted), and fills an http_resp; the server adds the security
 * headers, writes the access log line and frees both.  Because requests are plain
 * structs, the application can be tested without a socket.  The server runs a pool of
 * threads, so a handler must keep request state in the request, never in globals.
 */
#ifndef CHITIEU_HTTP_H
#define CHITIEU_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"

typedef struct http_kv {
    char *k, *v;           /* owned; v holds vlen bytes plus a NUL */
    size_t vlen;
    char *filename;        /* multipart file part: its file name (owned), else NULL */
} http_kv;

typedef struct http_params {
    http_kv *kv;
    int n, cap;
} http_params;

/* Adds a parameter (copies); text must be valid UTF-8 without NUL unless filename is set;
 * returns 0, or -1 with a message naming the parameter. */
int http_params_add(http_params *p, const char *k, size_t klen, const char *v, size_t vlen,
                    const char *filename, err_t *e);
/* Parses "a=1&b=%C3%A1+x" (a query string or an url-encoded body); returns 0 or -1. */
int http_parse_urlencoded(http_params *p, const char *s, size_t n, err_t *e);
/* Parses a multipart/form-data body whose Content-Type header is ctype; returns 0 or -1. */
int http_parse_multipart(http_params *p, const char *ctype, const char *body, size_t n, err_t *e);
/* The first value of parameter k, or NULL. */
const char *http_param(const http_params *p, const char *k);
/* The first entry of parameter k, or NULL. */
const http_kv *http_param_kv(const http_params *p, const char *k);
/* Frees every parameter; p is empty and reusable afterwards. */
void http_params_free(http_params *p);
/* Copies the value of cookie name from a Cookie header into out (empty if absent). */
void http_cookie(const char *header, const char *name, char *out, size_t outlen);

typedef struct http_req {
    char method[8];
    char path[512];
    http_params query, form;     /* form: url-encoded or multipart body (parsed by the server) */
    char cookie[1024];           /* the Cookie header, truncated */
    char authorization[256];     /* the Authorization header, truncated */
    char ctype[256];             /* Content-Type */
    buf body;                    /* raw body (JSON requests) */
    char addr[64];               /* client address (the peer; web.c puts the proxied client here) */
    char forwarded[256];         /* the X-Forwarded-For header, truncated */
    int bad;                     /* 400: malformed form or parameters (message in bad_msg);
                                    413: the body was over the limit (dropped) */
    char bad_msg[1024];
    char request_id[72];         /* X-Request-Id: the client's if a safe token (ops.h), else fresh */
    int proxied;                 /* came through a proxy (X-Forwarded-For or Forwarded present) */
} http_req;

#define HTTP_MAX_COOKIES 3
typedef struct http_resp {
    int status;
    const char *ctype;           /* static string; default text/html; charset=utf-8 */
    buf body;
    char location[1024];         /* Location for redirects */
    char cookies[HTTP_MAX_COOKIES][512]; /* Set-Cookie values */
    int ncookies;
    int cache_seconds;           /* > 0: public, immutable for that long; else no-store */
    char disposition[256];       /* Content-Disposition, if any */
    const char *csp;             /* static Content-Security-Policy replacing the default, or NULL */
    const char *www_authenticate; /* static WWW-Authenticate value (401), or NULL */
    int retry_after;             /* > 0: Retry-After in seconds (429, 503) */
    int route_class;             /* enum ops_class of the matched route, for the metrics */
    const char *route;           /* static: the matched route's pattern, for the log (NULL: none) */
    char user[64];               /* the authenticated login, for the log ("" = none) */
} http_resp;

/* Initialises an empty request / response. */
void http_req_init(http_req *r);
void http_resp_init(http_resp *r);
/* Frees what they own. */
void http_req_free(http_req *r);
void http_resp_free(http_resp *r);
/* Adds a Set-Cookie value (ignored beyond HTTP_MAX_COOKIES). */
void http_set_cookie(http_resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The application: fills resp for req; returns 0 (the return is ignored otherwise). */
typedef int (*http_handler)(void *app, http_req *req, http_resp *resp);

/* Writes into out (n bytes) the client's address: peer itself unless peer is one of the trusted
 * proxies (a comma-separated list of addresses); then the right-most address of the
 * X-Forwarded-For list fwd that is not itself a trusted proxy (what the last trusted hop saw). */
void http_client_addr(const char *peer, const char *fwd, const char *trusted, char *out, size_t n);

/* Connection limits of the server (0 = the default in brackets). */
typedef struct http_limits {
    int per_ip;                  /* connections at once from one address [32] */
    int total;                   /* connections at once [1024] */
    int timeout;                 /* seconds a connection may stay silent, headers included [10] */
    int headers;                 /* seconds to send a request's headers, from the connection's start
                                  * or the previous answer, however steadily they trickle in [15] */
} http_limits;

typedef struct http_server http_server;
/* Starts serving on "host:port" with a pool of threads; bodies above max_body get 413;
 * lim may be NULL (defaults); log receives one access line per request (NULL = none): key=value
 * fields time, rid, method, route, path, status, bytes, dur_ms, user, addr.  Every response
 * carries X-Request-Id and is counted in ops.h's metrics.  Returns 0 or -1. */
int http_start(const char *listen, int threads, size_t max_body, const http_limits *lim, http_handler h,
               void *app, void *log, http_server **out, err_t *e);
/* The port actually bound (useful with port 0). */
int http_port(const http_server *s);
/* Stops accepting, lets requests in flight finish, and frees the server (NULL is fine). */
void http_stop(http_server *s);

#endif
