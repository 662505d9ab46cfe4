/* store_sqlite.h - internals shared by the SQLite store's files (store_sqlite*.c only).
 *
 * store.h is the interface everyone else uses; modules that keep their own tables in
 * the same database (users and sessions, tasks) live in store_sqlite_NAME.c files, add
 * their schema string to the `schemas` list in store_sqlite.c, and reach the handle's
 * connection through this struct.  A handle is used by one thread at a time.
 */
#ifndef CHITIEU_STORE_SQLITE_H
#define CHITIEU_STORE_SQLITE_H

#include <sqlite3.h>

#include "store.h"

enum {
    Q_UNIT_PUT, Q_IND_PUT, Q_TERM_PUT, Q_TARGET_PUT, Q_VALUE_PUT, Q_UNIT_ID, Q_IND_ID,
    Q_BATCH_PUT, Q_VALUE_NEW, Q_TARGET_GET, Q_VALUE_GET, Q_COUNT
};

enum { WQ_SESSION, WQ_TOKEN, WQ_GENERATION, WQ_SUB, WQ_COUNT };

struct store {
    sqlite3 *db;
    sqlite3_stmt *wq[WQ_COUNT];      /* the web's per-request queries, prepared on first use */
    sqlite3_stmt *q[Q_COUNT];
    struct sq_id {
        sqlite3_int64 id;            /* any 64-bit value is a legal rowid, so known says which are set */
        int known;
    } *unit_id, *ind_id;             /* by model index */
    size_t nunit_id, nind_id;
    int bind_rc;                     /* the first failed bind since bind_st was last stepped */
    sqlite3_stmt *bind_st;
    int in_tx;
    char now[32];                    /* timestamp used for every row of one transaction */
    sqlite3_int64 batch;             /* batch row of the current (who, source), 0 = none yet */
    char batch_who[64], batch_src[256];
    /* New values without a comment wait here and go in PENDING_MAX at a time, one multi-row
     * INSERT instead of one statement per row; flushed before any other write and at commit. */
    struct pending {
        sqlite3_int64 iid, uid, batch;
        double v;
        char per[PERIOD_CODE_MAX];
    } pending[64];
    int npending;
    sqlite3_stmt *multi;             /* INSERT of 64 rows, prepared on first use */
};

#define PENDING_MAX 64

/* Binding: each helper binds parameter i of st; a failure is remembered on the handle (the first
 * one wins) and reported by the next sq_step of st, so a statement binds its parameters in a row
 * and is checked once.  Text is bound SQLITE_STATIC (it must outlive the step) unless copy. */
void sq_text(store *s, sqlite3_stmt *st, int i, const char *v);
void sq_text_copy(store *s, sqlite3_stmt *st, int i, const char *v);
void sq_int64(store *s, sqlite3_stmt *st, int i, sqlite3_int64 v);
void sq_double(store *s, sqlite3_stmt *st, int i, double v);
void sq_null(store *s, sqlite3_stmt *st, int i);
/* Steps st once: 1 for a row, 0 when done, -1 (e says what failed and why) for a failed bind
 * before it or a failed step; a failed step is never read as the end of the rows. */
int sq_step(store *s, sqlite3_stmt *st, const char *what, err_t *e);
/* Resets st after its last step; -1 (e filled) if the reset reports an error. */
int sq_reset(store *s, sqlite3_stmt *st, const char *what, err_t *e);

/* Checks the schema version of the file at path and creates or upgrades its schema from the n
 * strings (store_version.c); 0, or -1 with a message (a newer version, a failed upgrade). */
int sq_schema_open(store *s, const char *path, const char *const *schemas, size_t n, err_t *e);

/* Schema strings of the modules keeping tables here (see `schemas` in store_sqlite.c). */
extern const char store_web_schema[];
extern const char store_task_schema[];
extern const char store_class_schema[];
extern const char store_rule_schema[];
extern const char store_sync_schema[];

#endif
