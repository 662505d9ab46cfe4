/* store.h - persistent storage behind one interface (SQLite now, PostgreSQL later).
 *
 * A store is opened on a path, loads everything into a model (store_load), and
 * writes single rows that the caller has already validated against that model.
 * Writes happen between store_begin and store_commit/store_rollback; nothing is
 * visible to other connections until commit.  The store remembers the database
 * id of every model unit and indicator it has loaded or written, so writes take
 * model indexes.  A store handle is used by one thread at a time.
 */
#ifndef CHITIEU_STORE_H
#define CHITIEU_STORE_H

#include "buf.h"
#include "err.h"
#include "model.h"

typedef struct store store;

/* Process-wide set-up of the storage library; call once from main before anything else. */
void store_global_init(void);
/* Where the database lives: --db, else $CHITIEU_DB, else "./chitieu.db"; returns a borrowed string. */
const char *store_default_path(const char *flag);
/* Opens (creating the file and schema when create != 0) the database; the caller frees with
 * store_close.  Opening a missing file without create fails with a message saying to run init. */
int store_open(const char *path, int create, store **out, err_t *e);
/* 1 if a database is at path (the file; on PostgreSQL, chitieu's tables), 0 if not, -1 (e filled). */
int store_exists(const char *path, err_t *e);
/* Removes the database at path (the file with its -wal and -shm; on PostgreSQL, chitieu's tables
 * and functions), so the next store_open with create starts empty; 0 or -1 (e filled). */
int store_remove(const char *path, err_t *e);
/* Closes the database (NULL is fine); rolls back an open transaction. */
void store_close(store *s);

/* Forgets the remembered ids (another handle loaded a model whose indexes may differ); later
 * writes look ids up by code. */
void store_forget_ids(store *s);

/* Transactions; begin is immediate (takes the write lock at once). */
int store_begin(store *s, err_t *e);
int store_commit(store *s, err_t *e);
void store_rollback(store *s);
/* Like store_begin, but waits at most wait_ms for another connection's write lock: returns 0
 * (begun), 1 (still busy: try again) or -1 with a message. */
int store_try_begin(store *s, int wait_ms, err_t *e);
/* Starts a read transaction: every read until store_read_end sees one snapshot (writers of other
 * connections go on meanwhile). */
int store_read_begin(store *s, err_t *e);
/* Ends the read transaction store_read_begin started. */
void store_read_end(store *s);

/* What store_load_part loads: the catalogue (units, indicators, terms, successions) always, plus these. */
enum { STORE_TARGETS = 1, STORE_VALUES = 2, STORE_ALL = 3 };
/* Loads every unit, indicator, term, succession, target and value into m (which must be empty) and
 * finishes it; remembers the ids for later writes. */
int store_load(store *s, model *m, err_t *e);
/* Like store_load, but targets and values only where what asks for them (STORE_*); the model's
 * `unloaded` bits tell which were left in the database (store_get_cell reads them one by one). */
int store_load_part(store *s, model *m, int what, err_t *e);
/* After store_load_part(s, m, 0, e): loads the targets and values of the units flagged in want
 * (by model index) and clears m->unloaded, so m holds every cell of those units and none of the
 * others (store_sqlite_unit.c); for evaluating one unit without the whole database. */
int store_load_units(store *s, model *m, const unsigned char *want, err_t *e);

/* Prepares a handle for reading large tables once through: the file is mapped rather than
 * copied page by page (a read-only hint; writes are unaffected). */
int store_bulk_read(store *s, err_t *e);
/* Ends what store_bulk_read began: the handle reads by copying again. */
void store_bulk_done(store *s);
/* For the one large write transaction begun next (call it outside a transaction): foreign keys
 * are checked once at store_commit instead of per row - the figures written in it (their batches)
 * and every other table with foreign keys, a missing parent refusing the commit.  store_commit
 * and store_rollback end it, store_bulk_keys_end too (when the begin failed).  SQLite only: on
 * PostgreSQL a no-op (its first loads have chitieu_bulk_begin). */
int store_bulk_keys_begin(store *s, err_t *e);
void store_bulk_keys_end(store *s);
/* 1 if new figures put in a transaction go to the server as they come (PostgreSQL: one COPY kept
 * open), so an import may write them while it still checks the rest of its rows; 0 (SQLite) if
 * they are best written all at once in key order. */
int store_streams_inserts(const store *s);
/* Called by store_scan_cells for each stored cell, with model indexes; nonzero stops the scan. */
typedef int (*store_cell_fn)(void *ctx, int ind, int unit, period_t p, double v);
/* Calls fn for every stored target (targets != 0) or value in part `part` of nparts (contiguous
 * ranges of indicator ids, so each part reads its own stretch of the table and parts can run on
 * separate handles at once), without loading them into a model; codes are matched to m, rows of
 * units or indicators m does not know are skipped.  Returns 0, or -1 (fn's stop included). */
int store_scan_cells(store *s, const model *m, int targets, int part, int nparts, store_cell_fn fn,
                     void *ctx, err_t *e);
/* About how many values and targets the database holds, without reading them (the size of the
 * file, or the server's statistics); -1 on error. */
int64_t store_cells_estimate(store *s, err_t *e);
/* Called by store_scan_values for each stored value with its comment (NULL: none; borrowed). */
typedef int (*store_value_fn)(void *ctx, int ind, int unit, period_t p, double v, const char *comment);
/* As store_scan_cells over the values, with each one's comment. */
int store_scan_values(store *s, const model *m, int part, int nparts, store_value_fn fn, void *ctx, err_t *e);
/* store_load_units' rows (the units flagged in want) handed to value, with its comment, and
 * target instead of put into the model; a nonzero return stops (-1). */
int store_scan_units(store *s, const model *m, const unsigned char *want, store_value_fn value,
                     store_cell_fn target, void *ctx, err_t *e);
/* Reads the stored target (targets != 0) or value of model cell (ind, unit, p) into c->v and,
 * for a value, its comment (the cell owns a copy); returns 1 if stored, 0 if not, -1 on error. */
int store_get_cell(store *s, const model *m, int targets, int ind, int unit, period_t p, cell_t *c,
                   err_t *e);

/* Appends this database's random id (16 hex digits, made when the schema is first applied: a
 * database copied keeps it); returns 0 or -1. */
int store_instance_id(store *s, buf *out, err_t *e);
/* Sets a setting kept in the database's meta table (value NULL removes it; the loader applies
 * 'partial_aggregates' = mark|withhold and 'partial_aggregates:INDICATOR' = mark|withhold). */
int store_setting_set(store *s, const char *key, const char *value, err_t *e);

/* Inserts or updates unit m->units[u] (by code). */
int store_put_unit(store *s, const model *m, int u, err_t *e);
/* Inserts or updates indicator m->inds[i] (by code); ord is its display order. */
int store_put_ind(store *s, const model *m, int i, int ord, err_t *e);
/* Inserts or updates a term. */
int store_put_term(store *s, const term_t *t, err_t *e);
/* Inserts or replaces succession m->succs[i] (by from, to and date). */
int store_put_succ(store *s, const model *m, int i, err_t *e);
/* Deletes every stored succession of unit `from` (model index) on `date`. */
int store_del_succs(store *s, const model *m, int from, int date, err_t *e);
/* Writes a target; old is the previous target or NULL; a history row records the change. */
int store_put_target(store *s, const model *m, int ind, int unit, period_t p, double v,
                     const double *old, const char *who, const char *source, err_t *e);
/* Writes a value with its comment (NULL = none); old is the previous cell or NULL; a history
 * row records who changed what, when, from what to what. */
int store_put_value(store *s, const model *m, int ind, int unit, period_t p, double v,
                    const char *comment, const cell_t *old, const char *who,
                    const char *source, err_t *e);

/* Deletes the stored value of (ind, unit, p) in the open transaction; a history row keeps it
 * (new value NULL, the reason as the new comment, the batch of who/source).  Returns 1 when
 * deleted, 0 when none was stored, -1 on error. */
int store_del_value(store *s, const model *m, int ind, int unit, period_t p, const char *reason,
                    const char *who, const char *source, err_t *e);

/* One row of value/target history, newest first (see store_history). */
typedef struct store_hist {
    char kind[8];            /* "value" or "target" */
    char at[32], who[64];
    int has_old, has_new;
    double old_v, new_v;
} store_hist;
/* Fills up to max history rows for (indicator code, unit code, period); returns how many or -1. */
int store_history(store *s, const char *ind, const char *unit, period_t p, store_hist *out,
                  int max, err_t *e);

#endif
