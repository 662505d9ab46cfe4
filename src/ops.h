/* ops.h - what operators watch: process-wide request counters, a latency histogram, engine
 * reload and database error counters rendered in the Prometheus text format, request ids, and the
 * escaping of one key=value field of the structured access log.
 *
 * Every counter is a C11 atomic in this module (process-wide totals, no request state), so the
 * server's threads update them without a lock; a scrape reads each counter once (the figures of
 * one scrape are each exact, not a snapshot taken at one instant).
 */
#ifndef CHITIEU_OPS_H
#define CHITIEU_OPS_H

#include <stddef.h>
#include "buf.h"

/* The class of route a request matched (its label in chitieu_http_requests_total). */
enum ops_class {
    OPS_OTHER = 0,   /* no route: 404/405, 413 before routing */
    OPS_PAGE,        /* HTML pages and forms */
    OPS_API,         /* /api/v1 */
    OPS_STATIC,      /* /static/ files */
    OPS_HEALTH,      /* /healthz and /metrics */
    OPS_NCLASS
};

#define OPS_RID_MAX 65   /* a request id: at most 64 characters and the NUL */

/* Records the process start (uptime counts from here); the first call wins. */
void ops_start(void);
/* Counts one answered request of class cls with HTTP status and duration in seconds. */
void ops_request(int cls, int status, double seconds);
/* Counts one engine load (ok != 0) or one failed reload. */
void ops_reload(int ok);
/* Counts cells of other servers' writes applied in place (web_feed.c). */
void ops_feed(long cells);
/* Counts one failed database read or write seen by the server. */
void ops_db_error(void);
/* The number of failed database operations counted so far (tests). */
long ops_db_errors(void);
/* Appends every counter in the Prometheus text exposition format (version 0.0.4); returns 0 or -1. */
int ops_render(buf *out);
/* 1 if s is a request id a client may choose: 1 to 64 of A-Z a-z 0-9 . _ - */
int ops_request_id_ok(const char *s);
/* Writes a fresh random request id (16 hex digits) into out. */
void ops_request_id_new(char out[OPS_RID_MAX]);
/* Appends " key=value" to a log line: the value bare when it is made of safe characters, else
 * quoted with \" \\ and \xHH for control bytes (an empty or NULL value is "-"); returns 0 or -1. */
int ops_log_field(buf *line, const char *key, const char *value);

#endif
