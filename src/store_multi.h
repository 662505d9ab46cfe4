/* store_multi.h - what several `chitieu serve` processes on one database share beyond the
 * figures: the change feed (which cells each committed write changed, so another server updates
 * its model in place instead of reading everything again) and the API rate buckets.
 *
 * The feed: a write transaction calls store_feed_begin right after taking the writer lock (it
 * reads the generation, the start of its window, and on PostgreSQL locks that row until the
 * commit), then store_feed_log after its writes (the window's end: the generation with this
 * transaction's own bumps).  Each change_log row carries the window (gen_from, gen_to).  A
 * reader at generation G follows the rows with gen_to > G: when their windows chain from G to
 * the database's generation, they are every change since G; any write that logs nothing (a
 * catalogue edit, a big import, a task) leaves a hole in the chain, and so does the pruning
 * of old rows, and the reader then reads everything.  On PostgreSQL the generation trigger
 * also sends NOTIFY chitieu_feed (delivered at commit) for store_feed_wait. */
#ifndef CHITIEU_STORE_MULTI_H
#define CHITIEU_STORE_MULTI_H

#include <stdint.h>

#include "err.h"
#include "period.h"
#include "store.h"

/* Rows of change_log older than this many seconds are deleted by the writes that log. */
#define STORE_FEED_KEEP_S 900

enum { STORE_FEED_TARGET = 0, STORE_FEED_VALUE = 1, STORE_FEED_RELOAD = 2, STORE_FEED_NONE = 3 };

typedef struct store_feed_row {
    int64_t gen_from, gen_to;        /* the window of the transaction that wrote it */
    int kind;                        /* STORE_FEED_*: a target, a value (set or deleted),
                                        "read everything" (a big import), or nothing a model holds
                                        (a task's progress: only the pages' caches move) */
    char ind[128], unit[128];        /* codes ("" for RELOAD) */
    char period[PERIOD_CODE_MAX];
} store_feed_row;

/* In an open write transaction, before any write: reads the generation as this write's start
 * (PostgreSQL: FOR UPDATE, so no one else moves it until the commit); 0 or -1. */
int store_feed_begin(store *s, err_t *e);
/* In the same transaction, after the writes: logs the n changes (kind, ind, unit, period of
 * each; the window is filled in here), deletes rows older than STORE_FEED_KEEP_S, and remembers
 * the window for store_feed_last; 0 or -1.  Without store_feed_begin first: -1. */
int store_feed_log(store *s, const store_feed_row *rows, int n, err_t *e);
/* From now on every write transaction on s (store_begin .. store_commit) records its window: it
 * begins with store_feed_begin, and one that moved the generation without logging its cells
 * logs a STORE_FEED_RELOAD row at commit.  A server's handles use it, so no write of theirs
 * (a task, a class step, an admin edit) leaves a hole another server's change could fall into
 * unseen.  Needs the current schema (change_log). */
void store_feed_auto(store *s, int on);
/* In an open write transaction of a store_feed_auto handle: nothing it writes is held by a
 * server's model (a task's progress), so its window is logged as STORE_FEED_NONE, not RELOAD:
 * other servers move their generation without reading everything.  The caller answers for it. */
void store_feed_quiet(store *s);
/* 1 with the window of the last transaction on s that logged changes (then forgotten; a later
 * begin forgets it too), else 0. */
int store_feed_last(store *s, int64_t *from, int64_t *to);
/* The logged changes with gen_to > since, in commit order, at most max + 1 of them (more than
 * max: the caller reads everything instead) into *out (caller frees); the count or -1. */
int store_feed_read(store *s, int64_t since, int max, store_feed_row **out, err_t *e);
/* Subscribes s to the change notices (PostgreSQL LISTEN; nothing on SQLite); 0 or -1.  Use a
 * handle of its own for it: notices arrive between its other statements. */
int store_feed_listen(store *s, err_t *e);
/* 1 when s gets change notices (PostgreSQL), 0 when its listener must poll (SQLite). */
int store_feed_notices(const store *s);
/* Waits up to timeout_ms for a change notice on s (PostgreSQL) or for wake_fd (>= 0) to become
 * readable: 1 after a notice, 0 after the time or the wake, -1 if the connection failed.  On
 * SQLite it only waits (callers poll the generation). */
int store_feed_wait(store *s, int wake_fd, int timeout_ms, err_t *e);

/* 1 when the API rate buckets of s are kept in the database (PostgreSQL: servers on it share
 * them), 0 when each server keeps its own in memory (SQLite: a write per API request would cost
 * a synced commit, and servers on one file are on one machine behind one address anyway). */
int store_rate_shared(const store *s);
/* Takes one request from the shared bucket of key (refilling per_minute a minute up to
 * burst_milli thousandths, at now_ms, a wall clock all servers share): 0 when allowed, else the
 * whole seconds (1 or more) until one is, or -1 on a database error.  One statement, atomic
 * across connections (table api_bucket). */
int store_rate_take(store *s, const char *key, int64_t per_minute, int64_t burst_milli, int64_t now_ms, err_t *e);

#endif
