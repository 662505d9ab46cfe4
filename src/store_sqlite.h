/* store_sqlite.h - internals shared by the store's files (store_sqlite*.c, store_sq.c, store_pg.c only).
 *
 * store.h is the interface everyone else uses; modules that keep their own tables in
 * the same database (users and sessions, tasks) live in store_sqlite_NAME.c files, add
 * their schema string to the `schemas` list in store_sqlite.c (and their tables to the
 * PostgreSQL schema in store_pg.c), and reach the handle's connection through this struct.
 * A handle is used by one thread at a time.
 *
 * The store's files talk to the database only through the sq_* statement layer below, which
 * has two implementations: SQLite (store_sq.c) and PostgreSQL through libpq (store_pg.c), chosen
 * per handle by store_open's path (postgres:// or postgresql:// selects PostgreSQL).  SQL is
 * written once with ?N (or ?) placeholders in the subset both dialects share; where they differ,
 * SQ_SQL(s, sqlite, postgresql) picks the text.
 */
#ifndef CHITIEU_STORE_SQLITE_H
#define CHITIEU_STORE_SQLITE_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

enum {
    Q_UNIT_PUT, Q_IND_PUT, Q_TERM_PUT, Q_TARGET_PUT, Q_VALUE_PUT, Q_UNIT_ID, Q_IND_ID,
    Q_BATCH_PUT, Q_VALUE_NEW, Q_TARGET_GET, Q_VALUE_GET, Q_COUNT
};

enum { WQ_SESSION, WQ_TOKEN, WQ_GENERATION, WQ_SUB, WQ_SUB_UNITS, WQ_COUNT };

typedef struct sq_stmt sq_stmt;

struct store {
    sqlite3 *db;                     /* the SQLite connection, or NULL on PostgreSQL */
    PGconn *pg;                      /* the PostgreSQL connection, or NULL on SQLite */
    char pg_err[512];                /* PostgreSQL: the last error's message and SQLSTATE */
    char pg_state[6];
    int pg_changes;                  /* PostgreSQL: rows changed by the last statement */
    int pg_nstmt;                    /* PostgreSQL: names given to kept statements so far */
    buf pg_copy[2];                  /* PostgreSQL: new values [0] and targets [1] waiting for COPY */
    int pg_copying;                  /* PostgreSQL: the COPY open (1 values, 2 targets), 0 = none */
    int pg_bulk;                     /* PostgreSQL: first loads begun (bit 0 values, bit 1 targets) */
    sq_stmt *wq[WQ_COUNT];           /* the web's per-request queries, prepared on first use */
    sq_stmt *q[Q_COUNT];
    struct sq_id {
        int64_t id;                  /* any 64-bit value is a legal rowid, so known says which are set */
        int known;
    } *unit_id, *ind_id;             /* by model index */
    size_t nunit_id, nind_id;
    int bind_rc;                     /* the first failed bind since bind_st was last stepped */
    sq_stmt *bind_st;
    int in_tx;
    char now[32];                    /* timestamp used for every row of one transaction */
    int64_t batch;                   /* batch row of the current (who, source), 0 = none yet */
    int bulk_keys;                   /* foreign keys off, checked at commit (store_bulk_keys_begin) */
    int64_t bulk_batch;              /* and the first batch row written since, 0 = none yet */
    char batch_who[64], batch_src[256];
    /* New values without a comment wait here and go in PENDING_MAX at a time, one multi-row
     * INSERT instead of one statement per row; flushed before any other write and at commit. */
    struct pending {
        int64_t iid, uid, batch;
        double v;
        char per[PERIOD_CODE_MAX];
    } pending[64];
    int npending;
    sq_stmt *multi;                  /* INSERT of 64 rows, prepared on first use */
    int feed_state;                  /* change feed (store_multi.h): 0 none, 1 begun, 2 logged */
    int feed_auto;                   /* every write transaction records its window (store_feed_auto) */
    int feed_quiet;                  /* this transaction writes nothing a model holds (store_feed_quiet) */
    int64_t feed_from, feed_to;      /* the window of this transaction's logged changes */
};

#define PENDING_MAX 64

/* Picks the SQL text of the handle's dialect. */
#define SQ_SQL(s, sqlite_sql, pg_sql) ((s)->pg ? (pg_sql) : (sqlite_sql))

/* Prepares sql (placeholders ?N or ?) into *out, freed by sq_finalize; 0, or -1 (sq_errmsg says
 * why).  sq_prepare_keep is for statements run many times over the handle's life. */
int sq_prepare(store *s, const char *sql, sq_stmt **out);
int sq_prepare_keep(store *s, const char *sql, sq_stmt **out);
/* Marks st to read its rows one at a time rather than all at once (PostgreSQL's single-row mode;
 * SQLite always does): for scans of millions of rows.  No other statement of the handle may run
 * until st has stepped to its end or been reset. */
void sq_stream(sq_stmt *st);
/* Frees a statement (NULL is fine). */
void sq_finalize(sq_stmt *st);
/* Runs SQL without parameters or rows (several statements allowed); 0, or -1 (sq_errmsg says why). */
int sq_exec(store *s, const char *sql);
/* The message of the handle's last failure. */
const char *sq_errmsg(store *s);
/* 1 when the last failure was another connection's lock (SQLITE_BUSY, PostgreSQL 55P03). */
int sq_busy(store *s);
/* How long a statement waits for another connection's lock (SQLite; PostgreSQL waits as set by
 * the transaction). */
void sq_busy_timeout(store *s, int ms);
/* Rows inserted, updated or deleted by the last statement that completed. */
int sq_changes(store *s);

/* Binding: each helper binds parameter i of st; a failure is remembered on the handle (the first
 * one wins) and reported by the next sq_step of st, so a statement binds its parameters in a row
 * and is checked once.  Text is bound without a copy (it must outlive the step) unless copy; text
 * that is not UTF-8 fails the step on both backends (PostgreSQL would refuse it, SQLite keep it). */
void sq_text(store *s, sq_stmt *st, int i, const char *v);
void sq_text_copy(store *s, sq_stmt *st, int i, const char *v);
void sq_int64(store *s, sq_stmt *st, int i, int64_t v);
void sq_double(store *s, sq_stmt *st, int i, double v);
void sq_null(store *s, sq_stmt *st, int i);
/* Unbinds every parameter (NULL). */
void sq_clear(sq_stmt *st);
/* Steps st once: 1 for a row, 0 when done, -1 (e says what failed and why) for a failed bind
 * before it or a failed step; a failed step is never read as the end of the rows. */
int sq_step(store *s, sq_stmt *st, const char *what, err_t *e);
/* Fills e with the handle's last error, in the user's language (liberr.h); returns -1. */
int sq_err(store *s, err_t *e);
/* Resets st after its last step; -1 (e filled) if the reset reports an error. */
int sq_reset(store *s, sq_stmt *st, const char *what, err_t *e);
/* Resets st, ignoring what the last step reported (the bindings stay). */
void sq_rewind(sq_stmt *st);

/* Columns of the current row (index from 0): text is NULL for SQL NULL and valid until the
 * next step or reset; numbers of a NULL are 0. */
const char *sq_col_text(sq_stmt *st, int i);
int64_t sq_col_int64(sq_stmt *st, int i);
int sq_col_int(sq_stmt *st, int i);
double sq_col_double(sq_stmt *st, int i);
int sq_col_null(sq_stmt *st, int i);

/* PostgreSQL (store_pg.c).  1 if path is a postgres:// or postgresql:// URL. */
int store_pg_url(const char *path);
/* Opens the PostgreSQL database at url (applying its schema), preparing queries[0..nq) into
 * s->q; the caller frees with store_close.  Without create, a database with no chitieu
 * schema is refused with the message saying to run init. */
int store_pg_open(const char *url, int create, const char *const *queries, int nq, store **out, err_t *e);
/* store_exists and store_remove on PostgreSQL. */
int store_pg_exists(const char *url, err_t *e);
int store_pg_remove(const char *url, err_t *e);
/* Begins a write transaction holding the database's writer lock, waiting at most wait_ms
 * (< 0: as long as it takes); 0 (begun), 1 (still busy) or -1 (sq_errmsg says why). */
int store_pg_begin(store *s, int wait_ms);

/* PostgreSQL: queues a new target (targets != 0) or value without a comment for a binary COPY
 * kept open while rows come (sent in chunks as they fill; ended by store_pg_copy_flush, which
 * flush_pending calls, or by any other statement); 0 or -1.  store_pg_copy_abort drops what waits
 * and aborts the open COPY (before a rollback). */
int store_pg_copy_cell(store *s, int targets, int64_t iid, int64_t uid, const char *per, double v, int64_t batch,
                       err_t *e);
int store_pg_copy_flush(store *s, err_t *e);
/* store_feed_wait (store_multi.h): waits on the connection's socket and wake_fd; on SQLite, on
 * wake_fd alone.  1 after a notice, 0 after the time or the wake, -1 if the connection failed. */
int store_pg_wait(store *s, int wake_fd, int timeout_ms, err_t *e);
void store_pg_copy_abort(store *s);

/* PostgreSQL: every (indicator id, unit id, period code of len bytes, figure) of the value table
 * (target table if targets) with indicator id in [lo, hi], by a binary COPY … TO STDOUT (no text
 * to parse per row), to fn, which returns nonzero to stop (the rest of the COPY is cancelled and
 * drained); 0, or -1 (e says why; stopped by fn: fn's message is kept). */
typedef int (*store_pg_row_fn)(void *ctx, int64_t iid, int64_t uid, const char *per, size_t len, double v);
int store_pg_scan(store *s, int targets, int64_t lo, int64_t hi, store_pg_row_fn fn, void *ctx, err_t *e);

/* The statement layer's PostgreSQL side, used by store_sq.c. */
typedef struct pq_stmt pq_stmt;
int pq_prepare(store *s, const char *sql, int keep, pq_stmt **out);
void pq_finalize(pq_stmt *st);
void pq_stream(pq_stmt *st);
int pq_bind(pq_stmt *st, int i, const char *v, int copy, unsigned type);
int pq_step(store *s, pq_stmt *st);
void pq_reset(pq_stmt *st);
/* (pq_reset of a streaming statement cancels and drains what the server still sends.) */
const char *pq_col(pq_stmt *st, int i);
int pq_exec(store *s, const char *sql);

/* Checks the schema version of the file at path and creates or upgrades its schema from the n
 * strings (store_version.c, SQLite); 0, or -1 with a message (a newer version, a failed upgrade). */
int sq_schema_open(store *s, const char *path, const char *const *schemas, size_t n, err_t *e);
/* Refuses (-1, e filled) a database whose meta 'schema_version' is newer than this program's
 * (given as text in have, NULL when absent); 0 otherwise.  Shared by both backends. */
int sq_schema_newer(const char *path, const char *have, err_t *e);

/* Schema strings of the modules keeping tables here (see `schemas` in store_sqlite.c). */
extern const char store_web_schema[];
extern const char store_task_schema[];
extern const char store_class_schema[];
extern const char store_rule_schema[];
extern const char store_sync_schema[];
extern const char store_multi_schema[];

/* store_commit's part of store_feed_auto (store_sqlite_multi.c): logs a RELOAD window for a
 * write that moved the generation without logging; 0 or -1. */
int store_feed_commit(store *s, err_t *e);

#endif
