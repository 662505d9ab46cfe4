/* http.c - request parsing and the libmicrohttpd bridge (see http.h).
 *
 * Flow of one request: the first call of on_request copies method, path and headers
 * into a conn (owned by MHD's per-connection pointer, freed by on_completed); body
 * chunks are appended to req.body up to max_body (beyond it the request is marked
 * too large and the rest discarded); the last call parses the query and the form,
 * runs the handler, adds the security headers, queues the response and logs a line.
 *
 * Defences: MHD's per-address and total connection limits and its silence timeout, plus a
 * deadline for a request's headers, which MHD lacks: a client that keeps a connection alive
 * by sending one header line every few seconds is cut off once the deadline passes.  Each
 * connection is registered (a `watched` node, MHD's socket context) when it opens; the first
 * call of on_request marks its headers done, on_completed starts the wait for the next
 * request; a watchdog thread shuts down the sockets whose wait is over.  The node holds a
 * dup() of the socket, so shutting it down never touches a descriptor MHD has closed and
 * reused; the node (and its dup) goes when MHD reports the connection closed.
 */
#include "http.h"

#include "ops.h"
#include "vn.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int http_params_add(http_params *p, const char *k, size_t klen, const char *v, size_t vlen,
                    const char *filename, err_t *e)
{
    if (p->n >= 1000)
        return err_set(e, tr("quá nhiều tham số", "too many parameters"));
    if (klen == 0 || klen > 128 || !vn_utf8_valid(k, klen))
        return err_set(e, tr("tên tham số không hợp lệ", "invalid parameter name"));
    if (filename == NULL && !vn_utf8_valid(v, vlen))
        return err_set(e, tr("tham số '%.*s' không phải văn bản UTF-8 hợp lệ",
                             "parameter '%.*s' is not valid UTF-8 text"), (int)klen, k);
    if (p->n == p->cap) {
        int cap = p->cap ? p->cap * 2 : 16;
        http_kv *kv = realloc(p->kv, (size_t)cap * sizeof *kv);
        if (kv == NULL)
            return err_set(e, "out of memory");
        p->kv = kv;
        p->cap = cap;
    }
    http_kv *x = &p->kv[p->n];
    x->k = malloc(klen + 1);
    x->v = malloc(vlen + 1);
    x->filename = filename ? strdup(filename) : NULL;
    if (x->k == NULL || x->v == NULL || (filename && x->filename == NULL)) {
        free(x->k);
        free(x->v);
        free(x->filename);
        return err_set(e, "out of memory");
    }
    memcpy(x->k, k, klen);
    x->k[klen] = '\0';
    memcpy(x->v, v, vlen);
    x->v[vlen] = '\0';
    x->vlen = vlen;
    p->n++;
    return 0;
}

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes %XX and '+' of s[0..n) into out; returns 0 or -1 for a broken escape. */
static int url_decode(const char *s, size_t n, buf *out)
{
    buf_reset(out);
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            int a = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int b = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (a < 0 || b < 0)
                return -1;
            c = a * 16 + b;
            i += 2;
        }
        if (buf_addc(out, (char)c) != 0)
            return -1;
    }
    return 0;
}

int http_parse_urlencoded(http_params *p, const char *s, size_t n, err_t *e)
{
    buf k = BUF_INIT, v = BUF_INIT;
    int rc = -1;
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && s[eq] != '=')
                eq++;
            if (url_decode(s + i, eq - i, &k) != 0 ||
                url_decode(s + (eq < j ? eq + 1 : j), eq < j ? j - eq - 1 : 0, &v) != 0) {
                err_set(e, tr("mã hóa %% không hợp lệ trong tham số", "invalid %% escape in a parameter"));
                goto cleanup;
            }
            if (http_params_add(p, buf_str(&k), k.len, buf_str(&v), v.len, NULL, e) != 0)
                goto cleanup;
        }
        i = j + 1;
    }
    rc = 0;
cleanup:
    buf_free(&k);
    buf_free(&v);
    return rc;
}

/* Finds needle in hay[0..n); returns its offset or -1. */
static long find(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0 || m > n)
        return -1;
    for (size_t i = 0; i + m <= n; i++)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
            return (long)i;
    return -1;
}

/* Copies the value of attribute attr ("name", "filename", "boundary") from a header value. */
static int header_attr(const char *h, size_t n, const char *attr, char *out, size_t outlen)
{
    size_t al = strlen(attr);
    for (size_t i = 0; i + al < n; i++) {
        if ((i > 0 && h[i - 1] != ' ' && h[i - 1] != ';') || strncasecmp(h + i, attr, al) != 0 ||
            h[i + al] != '=')
            continue;
        size_t j = i + al + 1, o = 0;
        int quoted = j < n && h[j] == '"';
        j += (size_t)quoted;
        while (j < n && (quoted ? h[j] != '"' : h[j] != ';' && h[j] != ' ' && h[j] != '\r')) {
            if (o + 1 >= outlen)
                return -1;
            out[o++] = h[j++];
        }
        out[o] = '\0';
        return 0;
    }
    return -1;
}

int http_parse_multipart(http_params *p, const char *ctype, const char *body, size_t n, err_t *e)
{
    char boundary[128], delim[134];
    if (header_attr(ctype, strlen(ctype), "boundary", boundary, sizeof boundary) != 0 || !*boundary)
        return err_set(e, tr("thiếu boundary của multipart", "multipart boundary missing"));
    int dl = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    /* The body starts with the delimiter without its leading CRLF. */
    long at = n >= (size_t)dl - 2 && memcmp(body, delim + 2, (size_t)dl - 2) == 0 ? 0 : -1;
    if (at < 0)
        return err_set(e, tr("thân multipart không hợp lệ", "malformed multipart body"));
    size_t pos = (size_t)dl - 2;
    for (;;) {
        if (pos + 2 <= n && memcmp(body + pos, "--", 2) == 0)
            return 0;                               /* closing delimiter */
        if (pos + 2 > n || memcmp(body + pos, "\r\n", 2) != 0)
            break;
        pos += 2;
        long hend = find(body + pos, n - pos, "\r\n\r\n", 4);
        if (hend < 0)
            break;
        const char *hdr = body + pos;
        size_t hlen = (size_t)hend;
        char name[129] = "", fname[256] = "";
        int has_file = 0;
        /* Content-Disposition: form-data; name="x"; filename="y" */
        long cd = find(hdr, hlen, "form-data", 9);
        if (cd < 0 || header_attr(hdr + cd, hlen - (size_t)cd, "name", name, sizeof name) != 0)
            break;
        has_file = header_attr(hdr + cd, hlen - (size_t)cd, "filename", fname, sizeof fname) == 0;
        pos += hlen + 4;
        long end = find(body + pos, n - pos, delim, (size_t)dl);
        if (end < 0)
            break;
        if (http_params_add(p, name, strlen(name), body + pos, (size_t)end, has_file ? fname : NULL, e) != 0)
            return -1;
        pos += (size_t)end + (size_t)dl;
    }
    return err_set(e, tr("thân multipart không hợp lệ", "malformed multipart body"));
}

const http_kv *http_param_kv(const http_params *p, const char *k)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->kv[i].k, k) == 0)
            return &p->kv[i];
    return NULL;
}

const char *http_param(const http_params *p, const char *k)
{
    const http_kv *x = http_param_kv(p, k);
    return x ? x->v : NULL;
}

void http_params_free(http_params *p)
{
    for (int i = 0; i < p->n; i++) {
        free(p->kv[i].k);
        free(p->kv[i].v);
        free(p->kv[i].filename);
    }
    free(p->kv);
    memset(p, 0, sizeof *p);
}

void http_cookie(const char *h, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    out[0] = '\0';
    for (const char *c = h; c && *c;) {
        while (*c == ' ' || *c == ';')
            c++;
        const char *end = strchr(c, ';');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len > nl && strncmp(c, name, nl) == 0 && c[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl < outlen) {
                memcpy(out, c + nl + 1, vl);
                out[vl] = '\0';
            }
            return;
        }
        c = end;
    }
}

void http_req_init(http_req *r)
{
    memset(r, 0, sizeof *r);
    buf_init(&r->body, 0);
}

void http_resp_init(http_resp *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->ctype = "text/html; charset=utf-8";
    buf_init(&r->body, 0);
}

void http_req_free(http_req *r)
{
    http_params_free(&r->query);
    http_params_free(&r->form);
    buf_free(&r->body);
}

void http_resp_free(http_resp *r)
{
    buf_free(&r->body);
}

void http_set_cookie(http_resp *r, const char *fmt, ...)
{
    if (r->ncookies >= HTTP_MAX_COOKIES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->cookies[r->ncookies++], sizeof r->cookies[0], fmt, ap);
    va_end(ap);
}

/* ---- the server ---- */

/* One open connection as the header deadline sees it (listed under watch_mx). */
typedef struct watched {
    struct watched *prev, *next; /* under watch_mx */
    int fd;                      /* our dup of the socket, or -1 */
    _Atomic int waiting;         /* 1 while a request's headers are awaited (set without the lock) */
    _Atomic int64_t since_ms;    /* when that wait began (monotonic) */
} watched;

struct http_server {
    struct MHD_Daemon *d;
    http_handler handler;
    void *app;
    size_t max_body;
    FILE *log;
    int header_ms;               /* the deadline for a request's headers */
    pthread_mutex_t watch_mx;    /* guards watch and stopping */
    pthread_cond_t watch_cv;
    watched watch;               /* list head (a sentinel) */
    int stopping, watchdog_on;
    pthread_t watchdog;
};

static int64_t mono_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* MHD's connection notifications: a node per connection, from open to close. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    http_server *srv = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        watched *w = calloc(1, sizeof *w);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        if (w == NULL)
            return;
        w->fd = ci ? dup(ci->connect_fd) : -1;
        w->waiting = 1;
        w->since_ms = mono_ms();
        pthread_mutex_lock(&srv->watch_mx);
        w->next = srv->watch.next;
        w->prev = &srv->watch;
        srv->watch.next->prev = w;
        srv->watch.next = w;
        pthread_mutex_unlock(&srv->watch_mx);
        *socket_context = w;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        watched *w = *socket_context;
        pthread_mutex_lock(&srv->watch_mx);
        w->prev->next = w->next;
        w->next->prev = w->prev;
        pthread_mutex_unlock(&srv->watch_mx);
        if (w->fd >= 0)
            close(w->fd);
        free(w);
        *socket_context = NULL;
    }
}

/* Marks connection c as waiting for a request's headers (1, from now) or past them (0). */
static void watch_mark(http_server *srv, struct MHD_Connection *c, int waiting)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    watched *w = ci ? ci->socket_context : NULL;
    (void)srv;
    if (w == NULL)
        return;
    if (waiting)
        atomic_store(&w->since_ms, mono_ms());
    atomic_store(&w->waiting, waiting);
}

/* The watchdog: four times a second, shuts down the sockets whose headers are overdue (MHD then
 * sees the connection end and closes it). */
static void *watchdog(void *arg)
{
    http_server *srv = arg;
    pthread_mutex_lock(&srv->watch_mx);
    while (!srv->stopping) {
        int64_t now = mono_ms();
        for (watched *w = srv->watch.next; w != &srv->watch; w = w->next)
            if (atomic_load(&w->waiting) && w->fd >= 0 && now - atomic_load(&w->since_ms) > srv->header_ms) {
                shutdown(w->fd, SHUT_RDWR);
                atomic_store(&w->waiting, 0);
            }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&srv->watch_cv, &srv->watch_mx, &until);
    }
    pthread_mutex_unlock(&srv->watch_mx);
    return NULL;
}

typedef struct conn {
    http_req req;
    int too_large;
    struct timespec t0;
} conn;

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    http_req *r = cls;
    err_t e;
    if (r->bad)
        return MHD_NO;
    if (http_params_add(&r->query, k, strlen(k), v ? v : "", v ? strlen(v) : 0, NULL, &e) != 0) {
        r->bad = 1;
        snprintf(r->bad_msg, sizeof r->bad_msg, "%s", e.msg);
        return MHD_NO;
    }
    return MHD_YES;
}

static void header_copy(struct MHD_Connection *c, const char *name, char *out, size_t n)
{
    const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
    snprintf(out, n, "%s", v ? v : "");
}

static const char csp[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/* Writes the access log line (ops.h escapes each value; one fputs, so lines never interleave). */
static void log_line(FILE *log, const http_req *q, const http_resp *rs, size_t len, double ms)
{
    struct timespec now;
    struct tm tm;
    char at[40];
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(at + n, sizeof at - n, ".%03ldZ", now.tv_nsec / 1000000);
    buf line = BUF_INIT;
    buf_printf(&line, "time=%s", at);
    ops_log_field(&line, "rid", q->request_id);
    ops_log_field(&line, "method", q->method);
    ops_log_field(&line, "route", rs->route);
    ops_log_field(&line, "path", q->path);
    buf_printf(&line, " status=%d bytes=%zu dur_ms=%.1f", rs->status, len, ms);
    ops_log_field(&line, "user", rs->user);
    ops_log_field(&line, "addr", q->addr);
    buf_addc(&line, '\n');
    fputs(buf_str(&line), log);
    buf_free(&line);
}

static enum MHD_Result send_resp(struct MHD_Connection *c, http_server *srv, conn *cn, http_resp *rs)
{
    size_t len = rs->body.len;
    char *data = len ? buf_steal(&rs->body) : NULL;
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
    if (r == NULL) {
        free(data);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", rs->ctype);
    MHD_add_response_header(r, "Content-Security-Policy", rs->csp ? rs->csp : csp);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    if (rs->cache_seconds > 0) {
        char cc[64];
        snprintf(cc, sizeof cc, "public, max-age=%d, immutable", rs->cache_seconds);
        MHD_add_response_header(r, "Cache-Control", cc);
    } else
        MHD_add_response_header(r, "Cache-Control", "no-store");
    if (rs->location[0])
        MHD_add_response_header(r, "Location", rs->location);
    if (rs->disposition[0])
        MHD_add_response_header(r, "Content-Disposition", rs->disposition);
    for (int i = 0; i < rs->ncookies; i++)
        MHD_add_response_header(r, "Set-Cookie", rs->cookies[i]);
    if (rs->www_authenticate)
        MHD_add_response_header(r, "WWW-Authenticate", rs->www_authenticate);
    if (rs->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%d", rs->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    MHD_add_response_header(r, "X-Request-Id", cn->req.request_id);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)rs->status, r);
    MHD_destroy_response(r);
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - cn->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - cn->t0.tv_nsec) / 1e6;
    ops_request(rs->route_class, rs->status, ms / 1e3);
    if (srv->log)
        log_line(srv->log, &cn->req, rs, len, ms);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    http_server *srv = cls;
    conn *cn = *con_cls;
    if (cn == NULL) {
        watch_mark(srv, c, 0);     /* the headers are all in */
        cn = malloc(sizeof *cn);
        if (cn == NULL)
            return MHD_NO;
        http_req_init(&cn->req);
        cn->too_large = 0;
        clock_gettime(CLOCK_MONOTONIC, &cn->t0);
        buf_init(&cn->req.body, srv->max_body);
        snprintf(cn->req.method, sizeof cn->req.method, "%s", method);
        if (strlen(url) >= sizeof cn->req.path) {
            cn->req.bad = 1;
            snprintf(cn->req.bad_msg, sizeof cn->req.bad_msg, "%s", tr("đường dẫn quá dài", "path too long"));
        }
        snprintf(cn->req.path, sizeof cn->req.path, "%s", url);
        header_copy(c, "Cookie", cn->req.cookie, sizeof cn->req.cookie);
        header_copy(c, "Authorization", cn->req.authorization, sizeof cn->req.authorization);
        header_copy(c, "Content-Type", cn->req.ctype, sizeof cn->req.ctype);
        header_copy(c, "X-Forwarded-For", cn->req.forwarded, sizeof cn->req.forwarded);
        header_copy(c, "X-Request-Id", cn->req.request_id, sizeof cn->req.request_id);
        if (!ops_request_id_ok(cn->req.request_id))
            ops_request_id_new(cn->req.request_id);
        cn->req.proxied = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For") != NULL ||
                          MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Forwarded") != NULL;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > srv->max_body)
            cn->too_large = 1;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            const struct sockaddr *sa = ci->client_addr;
            if (sa->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                          cn->req.addr, sizeof cn->req.addr);
            else if (sa->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                          cn->req.addr, sizeof cn->req.addr);
        }
        *con_cls = cn;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!cn->too_large && buf_add(&cn->req.body, upload, *upload_size) != 0)
            cn->too_large = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    http_resp rs;
    http_resp_init(&rs);
    if (cn->too_large) {
        rs.status = 413;
        if (strncmp(cn->req.path, "/api/", 5) == 0) {   /* the API answers in JSON, always */
            rs.ctype = "application/json";
            buf_printf(&rs.body, "{\"error\":{\"code\":\"payload_too_large\",\"message\":\"%s\"}}\n",
                       tr("thân yêu cầu quá 8 MiB", "body over 8 MiB"));
        } else {                        /* the web application's own HTML error page */
            cn->req.bad = 413;
            srv->handler(srv->app, &cn->req, &rs);
        }
    } else {
        http_req *r = &cn->req;
        if (!r->bad)
            MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, r);
        err_t e;
        if (!r->bad && strncasecmp(r->ctype, "application/x-www-form-urlencoded", 33) == 0 &&
            http_parse_urlencoded(&r->form, buf_str(&r->body), r->body.len, &e) != 0) {
            r->bad = 1;
            snprintf(r->bad_msg, sizeof r->bad_msg, "%s", e.msg);
        }
        if (!r->bad && strncasecmp(r->ctype, "multipart/form-data", 19) == 0 &&
            http_parse_multipart(&r->form, r->ctype, buf_str(&r->body), r->body.len, &e) != 0) {
            r->bad = 1;
            snprintf(r->bad_msg, sizeof r->bad_msg, "%s", e.msg);
        }
        srv->handler(srv->app, r, &rs);
    }
    enum MHD_Result ok = send_resp(c, srv, cn, &rs);
    http_resp_free(&rs);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    watch_mark(cls, c, 1);         /* a kept-alive connection now waits for the next request */
    conn *cn = *con_cls;
    if (cn) {
        http_req_free(&cn->req);
        free(cn);
        *con_cls = NULL;
    }
}

/* 1 if the address a[0..n) is one of the comma-separated list. */
static int addr_listed(const char *a, size_t n, const char *list)
{
    while (list && *list) {
        list += strspn(list, " ,");
        size_t m = strcspn(list, " ,");
        if (m && m == n && memcmp(a, list, n) == 0)
            return 1;
        list += m;
    }
    return 0;
}

void http_client_addr(const char *peer, const char *fwd, const char *trusted, char *out, size_t n)
{
    const char *client = peer;
    size_t len = strlen(peer);
    if (addr_listed(peer, len, trusted)) {
        const char *end = fwd + strlen(fwd);
        while (end > fwd) {     /* right to left: each hop appends the address it saw */
            const char *start = end;
            while (start > fwd && start[-1] != ',')
                start--;
            const char *a = start + strspn(start, " \t");
            size_t m = (size_t)(end - a);
            while (m && (a[m - 1] == ' ' || a[m - 1] == '\t'))
                m--;
            end = start > fwd ? start - 1 : fwd;
            if (m == 0 || m >= 64 || strspn(a, "0123456789abcdefABCDEF.:") < m)
                break;          /* not an address: believe nothing further left */
            client = a;
            len = m;
            if (!addr_listed(a, m, trusted))
                break;
        }
    }
    char tmp[64];   /* out may be peer itself */
    snprintf(tmp, sizeof tmp, "%.*s", (int)(len < sizeof tmp ? len : sizeof tmp - 1), client);
    snprintf(out, n, "%s", tmp);
}

int http_start(const char *listen, int threads, size_t max_body, const http_limits *lim, http_handler h,
               void *app, void *log, http_server **out, err_t *e)
{
    char host[256];
    const char *colon = strrchr(listen, ':');
    if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
        return err_set(e, tr("--listen cần dạng ĐỊA_CHỈ:CỔNG, ví dụ 127.0.0.1:8080",
                             "--listen needs HOST:PORT, e.g. 127.0.0.1:8080"));
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
    struct addrinfo *ai = NULL;
    if (getaddrinfo(*host ? host : "0.0.0.0", colon + 1, &hints, &ai) != 0 || ai == NULL)
        return err_set(e, tr("địa chỉ không hợp lệ: '%s' (cần IPv4:CỔNG)", "invalid address '%s' (IPv4:PORT expected)"),
                       listen);
    http_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        freeaddrinfo(ai);
        return err_set(e, "out of memory");
    }
    s->handler = h;
    s->app = app;
    s->max_body = max_body;
    s->log = log;
    s->header_ms = 1000 * (lim && lim->headers > 0 ? lim->headers : 15);
    s->watch.next = s->watch.prev = &s->watch;
    pthread_mutex_init(&s->watch_mx, NULL);
    pthread_cond_init(&s->watch_cv, NULL);
    if (pthread_create(&s->watchdog, NULL, watchdog, s) != 0) {
        freeaddrinfo(ai);
        http_stop(s);
        return err_set(e, "pthread_create");
    }
    s->watchdog_on = 1;
    s->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, ai->ai_addr,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(threads > 0 ? threads : 1),
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(lim && lim->timeout > 0 ? lim->timeout : 10),
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)(lim && lim->total > 0 ? lim->total : 1024),
                            MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(lim && lim->per_ip > 0 ? lim->per_ip : 32),
                            MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
                            MHD_OPTION_END);
    freeaddrinfo(ai);
    if (s->d == NULL) {
        http_stop(s);
        return err_set(e, tr("không mở được cổng %s (đang bị dùng?)", "cannot listen on %s (in use?)"), listen);
    }
    *out = s;
    return 0;
}

int http_port(const http_server *s)
{
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void http_stop(http_server *s)
{
    if (s == NULL)
        return;
    if (s->d) {
        MHD_quiesce_daemon(s->d);
        MHD_stop_daemon(s->d);
    }
    if (s->watchdog_on) {
        pthread_mutex_lock(&s->watch_mx);
        s->stopping = 1;
        pthread_cond_signal(&s->watch_cv);
        pthread_mutex_unlock(&s->watch_mx);
        pthread_join(s->watchdog, NULL);
    }
    pthread_cond_destroy(&s->watch_cv);
    pthread_mutex_destroy(&s->watch_mx);
    free(s);
}
