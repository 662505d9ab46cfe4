/* store_sqlite.c - the SQLite implementation of store.h.
 *
 * Schema (applied by every store_open; all IF NOT EXISTS): unit and indicator rows keyed by
 * an integer id with a unique code; target and value rows keyed by
 * (indicator id, unit id, period code) in WITHOUT ROWID tables; history holds
 * one row per change (old -> new, who, when, source) for values and targets; succession
 * rows (from unit id, to unit id, date, share) say which units carry on which.
 * The database runs in WAL mode with a busy timeout.  Prepared statements are
 * created once per handle and reused; the handle also keeps, per model index,
 * the database id of each unit and indicator (unit_id / ind_id arrays), grown
 * as the model grows; the way back (db id -> model index, for the cells a load or
 * scan reads) is a hash map, as ids are any 64-bit value.  Every bind, step and
 * reset goes through the sq_* helpers (store_sqlite.h): a failure is an error with
 * its cause, never a short list.
 */
#include "store_sqlite.h"

#include "buf.h"
#include "liberr.h"
#include "store_multi.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *const queries[Q_COUNT] = {
    [Q_UNIT_PUT] =
        "INSERT INTO unit(code,name,parent,type,valid_from,valid_to) VALUES(?1,?2,?3,?4,?5,?6) "
        "ON CONFLICT(code) DO UPDATE SET name=?2,parent=?3,type=?4,valid_from=?5,valid_to=?6",
    [Q_IND_PUT] =
        "INSERT INTO indicator(code,name,grp,set_name,parent,measure,direction,unit_agg,period_agg,"
        "formula,decimals,ord) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12) "
        "ON CONFLICT(code) DO UPDATE SET name=?2,grp=?3,set_name=?4,parent=?5,measure=?6,"
        "direction=?7,unit_agg=?8,period_agg=?9,formula=?10,decimals=?11",
    [Q_TERM_PUT] =
        "INSERT INTO term(period,name) VALUES(?1,?2) ON CONFLICT(period) DO UPDATE SET name=?2",
    [Q_TARGET_PUT] =
        "INSERT INTO target(indicator,unit,period,target,batch) VALUES(?1,?2,?3,?4,?5) "
        "ON CONFLICT(indicator,unit,period) DO UPDATE SET target=?4,batch=?5",
    [Q_VALUE_PUT] =
        "INSERT INTO value(indicator,unit,period,value,comment,batch) VALUES(?1,?2,?3,?4,?5,?6) "
        "ON CONFLICT(indicator,unit,period) DO UPDATE SET value=?4,comment=?5,batch=?6",
    [Q_BATCH_PUT] = "INSERT INTO batch(at,who,source) VALUES(?1,?2,?3) RETURNING id",
    [Q_VALUE_NEW] = /* a figure known to be new: a plain insert, no conflict handling */
        "INSERT INTO value(indicator,unit,period,value,comment,batch) VALUES(?1,?2,?3,?4,?5,?6)",
    [Q_UNIT_ID] = "SELECT id FROM unit WHERE code=?1",
    [Q_IND_ID] = "SELECT id FROM indicator WHERE code=?1",
    [Q_TARGET_GET] = "SELECT target,NULL FROM target WHERE indicator=?1 AND unit=?2 AND period=?3",
    [Q_VALUE_GET] = "SELECT value,comment FROM value WHERE indicator=?1 AND unit=?2 AND period=?3",
};

static const char schema[] =
    "PRAGMA journal_mode=WAL;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT OR IGNORE INTO meta VALUES('schema_version','2');"
    /* this database's own random id, set once (UIDs of the calendar feed: unique across databases) */
    "INSERT OR IGNORE INTO meta VALUES('instance_id',lower(hex(randomblob(8))));"
    "CREATE TABLE IF NOT EXISTS unit(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, parent TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '',"
    " valid_from INTEGER NOT NULL DEFAULT 0, valid_to INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS indicator(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, grp TEXT NOT NULL DEFAULT '', set_name TEXT NOT NULL DEFAULT '',"
    " parent TEXT NOT NULL DEFAULT '', measure TEXT NOT NULL DEFAULT '',"
    " direction TEXT NOT NULL DEFAULT 'up', unit_agg TEXT NOT NULL DEFAULT 'sum',"
    " period_agg TEXT NOT NULL DEFAULT 'sum', formula TEXT NOT NULL DEFAULT '',"
    " decimals INTEGER NOT NULL DEFAULT 2, ord INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS term(period TEXT PRIMARY KEY, name TEXT NOT NULL);"
    /* on `date` (yyyymmdd) unit from_unit passes `share` of its figures to unit to_unit */
    "CREATE TABLE IF NOT EXISTS succession(from_unit INTEGER NOT NULL REFERENCES unit(id),"
    " to_unit INTEGER NOT NULL REFERENCES unit(id), date INTEGER NOT NULL, share REAL NOT NULL,"
    " PRIMARY KEY(from_unit,to_unit,date)) WITHOUT ROWID;"
    /* a succession written moves the generation: running servers read the structure again */
    "CREATE TRIGGER IF NOT EXISTS gen_succ_i AFTER INSERT ON succession BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_succ_u AFTER UPDATE ON succession BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_succ_d AFTER DELETE ON succession BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TABLE IF NOT EXISTS target(indicator INTEGER NOT NULL REFERENCES indicator(id),"
    " unit INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL, target REAL NOT NULL,"
    " batch INTEGER NOT NULL REFERENCES batch(id),"
    " PRIMARY KEY(indicator,unit,period)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS batch(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    " source TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS value(indicator INTEGER NOT NULL REFERENCES indicator(id),"
    " unit INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL, value REAL NOT NULL,"
    " comment TEXT, batch INTEGER NOT NULL REFERENCES batch(id),"
    " PRIMARY KEY(indicator,unit,period)) WITHOUT ROWID;"
    /* Every change of an existing target or value is kept by a trigger, whoever writes it; the
     * creation of a figure is its row's own batch, and old_batch chains each change back. */
    "CREATE TABLE IF NOT EXISTS history(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    " indicator INTEGER NOT NULL, unit INTEGER NOT NULL, period TEXT NOT NULL,"
    " old_value REAL, old_comment TEXT, old_batch INTEGER,"
    " new_value REAL, new_comment TEXT, batch INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS history_cell ON history(indicator,unit,period);"
    "CREATE TRIGGER IF NOT EXISTS value_history AFTER UPDATE ON value BEGIN"
    " INSERT INTO history(kind,indicator,unit,period,old_value,old_comment,old_batch,new_value,"
    " new_comment,batch) VALUES(1,OLD.indicator,OLD.unit,OLD.period,OLD.value,OLD.comment,OLD.batch,"
    " NEW.value,NEW.comment,NEW.batch); END;"
    "CREATE TRIGGER IF NOT EXISTS target_history AFTER UPDATE ON target BEGIN"
    " INSERT INTO history(kind,indicator,unit,period,old_value,old_batch,new_value,batch)"
    " VALUES(0,OLD.indicator,OLD.unit,OLD.period,OLD.target,OLD.batch,NEW.target,NEW.batch); END;";

/* The schema of every module that keeps tables in this database, applied in this order. */
static const char *const schemas[] = { schema, store_web_schema, store_task_schema, store_class_schema,
                                       store_rule_schema, store_sync_schema,
                                       store_multi_schema };


void store_global_init(void)
{
    /* No allocation statistics: they take a global mutex on every malloc. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

const char *store_default_path(const char *flag)
{
    if (flag && *flag)
        return flag;
    const char *env = getenv("CHITIEU_DB");
    return env && *env ? env : "chitieu.db";
}

static int db_err(store *s, err_t *e, const char *what)
{
    return err_set(e, "%s: %s", strcmp(what, "database") == 0 ? tr("cơ sở dữ liệu", "database") : what,
                   sq_errmsg(s));
}

int store_open(const char *path, int create, store **out, err_t *e)
{
    if (store_pg_url(path))
        return store_pg_open(path, create, queries, Q_COUNT, out, e);
    store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(e, "out of memory");
    if (!create && access(path, F_OK) != 0) {
        err_set(e, tr("không có cơ sở dữ liệu '%s' (chạy 'chitieu init' hoặc 'chitieu demo' trước)",
                      "no database '%s' (run 'chitieu init' or 'chitieu demo' first)"), path);
        goto fail;
    }
    int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        err_set(e, tr("không mở được cơ sở dữ liệu '%s': %s", "cannot open database '%s': %s"),
                path, s->db ? liberr_sqlite(sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db))
                            : liberr_sqlite(SQLITE_NOMEM, NULL));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    /* A large page cache keeps a big import from spilling and re-reading pages (lazily allocated).
     * synchronous=FULL: WAL is synced at every commit, so a figure shown as saved survives a power
     * cut (NORMAL could lose the last commits; docs/internals/store.md has the measured cost). */
    if (sqlite3_exec(s->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-262144;",
                     NULL, NULL, NULL)
        != SQLITE_OK) {
        db_err(s, e, path);
        goto fail;
    }
    if (sq_schema_open(s, path, schemas, sizeof schemas / sizeof *schemas, e) != 0)
        goto fail;
    for (int i = 0; i < Q_COUNT; i++)
        if (sq_prepare_keep(s, queries[i], &s->q[i]) != 0) {
            err_set(e, tr("'%s' không phải cơ sở dữ liệu chitieu: %s",
                          "'%s' is not a chitieu database: %s"), path, sq_errmsg(s));
            goto fail;
        }
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

void store_close(store *s)
{
    if (s == NULL)
        return;
    if (s->in_tx)
        store_rollback(s);
    sq_finalize(s->multi);
    for (int i = 0; i < WQ_COUNT; i++)
        sq_finalize(s->wq[i]);
    for (int i = 0; i < Q_COUNT; i++)
        sq_finalize(s->q[i]);
    sqlite3_close(s->db);
    PQfinish(s->pg);
    buf_free(&s->pg_copy[0]);
    buf_free(&s->pg_copy[1]);
    free(s->unit_id);
    free(s->ind_id);
    free(s);
}

static void stamp_now(store *s)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(s->now, sizeof s->now, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int store_begin(store *s, err_t *e)
{
    if (s->pg ? store_pg_begin(s, -1) != 0 : sq_exec(s, "BEGIN IMMEDIATE") != 0)
        return db_err(s, e, "BEGIN");
    s->in_tx = 1;
    s->batch = 0;
    s->feed_state = 0;
    s->feed_quiet = 0;
    stamp_now(s);
    if (s->feed_auto && store_feed_begin(s, e) != 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

int store_try_begin(store *s, int wait_ms, err_t *e)
{
    sq_busy_timeout(s, wait_ms);
    int r = s->pg ? store_pg_begin(s, wait_ms) : sq_exec(s, "BEGIN IMMEDIATE");
    sq_busy_timeout(s, 5000);
    if (r == 1 || (r < 0 && sq_busy(s)))
        return 1;
    if (r != 0)
        return db_err(s, e, "BEGIN");
    s->in_tx = 1;
    s->batch = 0;
    s->feed_state = 0;
    s->feed_quiet = 0;
    stamp_now(s);
    if (s->feed_auto && store_feed_begin(s, e) != 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

static int flush_pending(store *s, err_t *e);

int store_bulk_keys_begin(store *s, err_t *e)
{
    if (s->pg || s->in_tx || s->bulk_keys)
        return 0;
    if (sq_exec(s, "PRAGMA foreign_keys=OFF") != 0)
        return db_err(s, e, "foreign_keys");
    s->bulk_keys = 1;
    s->bulk_batch = 0;
    return 0;
}

void store_bulk_keys_end(store *s)
{
    if (!s->bulk_keys || s->in_tx)
        return;
    s->bulk_keys = 0;
    sq_exec(s, "PRAGMA foreign_keys=ON");
}

/* The checks per row that store_bulk_keys_begin turned off, done once before the commit: the
 * figures written in this transaction (their batches, through the batch index) against their three
 * parents, then every other table with foreign keys as SQLite itself checks them. */
static int bulk_keys_check(store *s, err_t *e)
{
    static const char *const figures[2] = {
        "SELECT 'value' FROM value WHERE batch>=?1 AND (indicator NOT IN (SELECT id FROM indicator)"
        " OR unit NOT IN (SELECT id FROM unit) OR batch NOT IN (SELECT id FROM batch)) LIMIT 1",
        "SELECT 'target' FROM target WHERE batch>=?1 AND (indicator NOT IN (SELECT id FROM indicator)"
        " OR unit NOT IN (SELECT id FROM unit) OR batch NOT IN (SELECT id FROM batch)) LIMIT 1",
    };
    static const char others[] =
        "SELECT t.name FROM sqlite_schema t, pragma_foreign_key_check(t.name) f"
        " WHERE t.type='table' AND t.name NOT IN ('value','target') LIMIT 1";
    for (int k = 0; k < 3; k++) {
        if (k < 2 && s->bulk_batch == 0)
            continue;                            /* no figure written */
        sq_stmt *st = NULL;
        if (sq_prepare(s, k < 2 ? figures[k] : others, &st) != 0)
            return db_err(s, e, "foreign keys");
        if (k < 2)
            sq_int64(s, st, 1, s->bulk_batch);
        int r = sq_step(s, st, "foreign keys", e);
        char table[64] = "";
        if (r > 0)
            snprintf(table, sizeof table, "%s", sq_col_text(st, 0));
        sq_finalize(st);
        if (r < 0)
            return -1;
        if (r > 0)
            return err_set(e, tr("bảng %s: một dòng tham chiếu tới dòng không tồn tại (khóa ngoại)",
                                 "table %s: a row refers to a row that does not exist (foreign key)"), table);
    }
    return 0;
}

int store_commit(store *s, err_t *e)
{
    if (flush_pending(s, e) != 0 || store_feed_commit(s, e) != 0)
        return -1;
    if (s->bulk_keys && bulk_keys_check(s, e) != 0)
        return -1;
    if (sq_exec(s, "COMMIT") != 0)
        return db_err(s, e, "COMMIT");
    s->in_tx = 0;
    store_bulk_keys_end(s);
    return 0;
}

void store_rollback(store *s)
{
    s->npending = 0;
    if (s->pg)
        store_pg_copy_abort(s);
    sq_exec(s, "ROLLBACK");
    s->in_tx = 0;
    store_bulk_keys_end(s);
}

int store_bulk_read(store *s, err_t *e)
{
    if (s->pg)
        return 0;
    return sq_exec(s, "PRAGMA mmap_size=1099511627776") == 0 ? 0 : db_err(s, e, "mmap");
}

void store_bulk_done(store *s)
{
    if (s->pg == NULL)
        sq_exec(s, "PRAGMA mmap_size=0");
}

int store_read_begin(store *s, err_t *e)
{
    return sq_exec(s, SQ_SQL(s, "BEGIN DEFERRED", "BEGIN ISOLATION LEVEL REPEATABLE READ")) == 0 ? 0
                                                                                        : db_err(s, e, "BEGIN");
}

void store_read_end(store *s)
{
    sq_exec(s, "COMMIT");
}

/* Records db id `id` for model index `idx` (>= 0, a model's array index) in *arr, growing it. */
static int remember(struct sq_id **arr, size_t *n, int idx, int64_t id)
{
    if ((size_t)idx >= *n) {
        size_t c = *n ? *n : 64;
        while (c <= (size_t)idx)
            c *= 2;
        struct sq_id *p = realloc(*arr, c * sizeof *p);
        if (p == NULL)
            return -1;
        memset(p + *n, 0, (c - *n) * sizeof *p);
        *arr = p;
        *n = c;
    }
    (*arr)[idx].id = id;
    (*arr)[idx].known = 1;
    return 0;
}

/* Database id -> model index: any 64-bit id (negative, 0 or 2^62 are legal rowids), hashed with
 * open addressing; the table is at most half full.  When the ids turn out to be packed (the
 * usual 1..n), idmap_dense adds a plain array over min..max for the hot lookups of a load. */
typedef struct idmap {
    int64_t *ids;
    int *idx;                        /* model index + 1; 0 = empty slot */
    size_t cap, n;                   /* cap is 0 or a power of two */
    int64_t min, max;          /* the smallest and largest id held (n > 0) */
    int *dense;                      /* NULL, or model index + 1 by id - min (0 = none) */
    uint64_t span;                   /* max - min, with dense */
} idmap;

static size_t idmap_slot(const idmap *h, int64_t id)
{
    return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 17) & (h->cap - 1);
}

/* The model index of database id `id`, or -1. */
static int idmap_get(const idmap *h, int64_t id)
{
    if (h->dense) {
        uint64_t off = (uint64_t)id - (uint64_t)h->min;   /* modular: ids below min wrap high */
        return off <= h->span ? h->dense[off] - 1 : -1;
    }
    if (h->cap == 0)
        return -1;
    for (size_t k = idmap_slot(h, id);; k = (k + 1) & (h->cap - 1)) {
        if (h->idx[k] == 0)
            return -1;
        if (h->ids[k] == id)
            return h->idx[k] - 1;
    }
}

static int idmap_put(idmap *h, int64_t id, int idx);

static int idmap_grow(idmap *h)
{
    idmap g = { 0 };
    g.cap = h->cap ? h->cap * 2 : 64;
    g.ids = malloc(g.cap * sizeof *g.ids);
    g.idx = calloc(g.cap, sizeof *g.idx);
    if (g.ids == NULL || g.idx == NULL) {
        free(g.ids);
        free(g.idx);
        return -1;
    }
    for (size_t k = 0; k < h->cap; k++)
        if (h->idx[k])
            idmap_put(&g, h->ids[k], h->idx[k] - 1);   /* cannot grow: g is at most a quarter full */
    free(h->ids);
    free(h->idx);
    *h = g;
    return 0;
}

/* Maps id to model index idx (>= 0), replacing an earlier mapping; -1 when out of memory. */
static int idmap_put(idmap *h, int64_t id, int idx)
{
    if ((h->n + 1) * 2 > h->cap && idmap_grow(h) != 0)
        return -1;
    size_t k = idmap_slot(h, id);
    while (h->idx[k] != 0 && h->ids[k] != id)
        k = (k + 1) & (h->cap - 1);
    if (h->idx[k] == 0) {
        h->n++;
        h->min = h->n == 1 || id < h->min ? id : h->min;
        h->max = h->n == 1 || id > h->max ? id : h->max;
    }
    h->ids[k] = id;
    h->idx[k] = idx + 1;
    return 0;
}

/* Adds the dense array when the ids span at most 4 slots per id (plus some slack); the map must
 * not change afterwards.  Never fails: without memory, lookups stay hashed. */
static void idmap_dense(idmap *h)
{
    uint64_t span = (uint64_t)h->max - (uint64_t)h->min;
    if (h->n == 0 || span >= 4 * (uint64_t)h->n + 1024)
        return;
    h->dense = calloc((size_t)span + 1, sizeof *h->dense);
    if (h->dense == NULL)
        return;
    h->span = span;
    for (size_t k = 0; k < h->cap; k++)
        if (h->idx[k])
            h->dense[(uint64_t)h->ids[k] - (uint64_t)h->min] = h->idx[k];
}

static void idmap_free(idmap *h)
{
    free(h->ids);
    free(h->idx);
    free(h->dense);
}

static const char *col_text(sq_stmt *st, int i)
{
    const char *t = sq_col_text(st, i);
    return t ? (const char *)t : "";
}

int store_load(store *s, model *m, err_t *e)
{
    return store_load_part(s, m, STORE_ALL, e);
}

/* Rows in a table, so the model's arrays are sized once (a reallocation at a time copies
 * what was already read and faults in fresh memory); -1 on error. */
static int64_t count_rows(store *s, const char *sql, err_t *e)
{
    sq_stmt *st = NULL;
    int64_t n = -1;
    if (sq_prepare(s, sql, &st) != 0)
        db_err(s, e, "load");
    else {
        int r = sq_step(s, st, "load", e);
        if (r > 0)
            n = sq_col_int64(st, 0);
        else if (r == 0)
            err_set(e, "load: %s", sql);   /* count(*) always has a row */
    }
    sq_finalize(st);
    return n;
}

/* Settings kept in meta (store.h): how partial roll-ups are shown, for the database and per
 * indicator ('partial_aggregates:CODE'); an unknown value is an error, the setting of an
 * indicator no longer in the catalogue is left alone. */
static int load_settings(store *s, model *m, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = 0, sr;
    if (sq_prepare(s, "SELECT key,value FROM meta WHERE key='partial_aggregates' OR "
                           "key LIKE 'partial\\_aggregates:%' ESCAPE '\\'", &st) != 0)
        return db_err(s, e, "load");
    while (rc == 0 && (sr = sq_step(s, st, "load", e)) != 0) {
        if (sr < 0) {
            rc = -1;
            break;
        }
        const char *key = col_text(st, 0), *val = col_text(st, 1), *colon = strchr(key, ':');
        int mode = model_partial_parse(val);
        int ind = colon ? model_ind_find(m, colon + 1) : -1;
        if (mode < 0)
            rc = err_set(e, tr("thiết lập '%s' = '%s' trong cơ sở dữ liệu không hợp lệ",
                               "setting '%s' = '%s' in the database is invalid"), key, val);
        else if (colon && ind >= 0)
            m->inds[ind].partial_mode = mode;
        else if (colon)
            continue;
        else
            m->partial_mode = mode;
    }
    sq_finalize(st);
    return rc;
}

int store_instance_id(store *s, buf *out, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1;
    if (sq_prepare(s, "SELECT value FROM meta WHERE key='instance_id'", &st) != 0) {
        db_err(s, e, "instance_id");
        goto cleanup;
    }
    int r = sq_step(s, st, "instance_id", e);
    if (r == 0)
        err_set(e, "instance_id: %s", tr("không có trong meta", "missing from meta"));
    if (r != 1)
        goto cleanup;
    buf_adds(out, sq_col_text(st, 0));
    rc = 0;
cleanup:
    sq_finalize(st);
    return rc;
}

int store_setting_set(store *s, const char *key, const char *value, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1;
    const char *sql = value ? "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=?2"
                            : "DELETE FROM meta WHERE key=?1";
    if (sq_prepare(s, sql, &st) != 0) {
        db_err(s, e, "setting");
        goto cleanup;
    }
    sq_text_copy(s, st, 1, key);
    if (value)
        sq_text_copy(s, st, 2, value);
    if (sq_step(s, st, "setting", e) != 0)
        goto cleanup;
    sq_finalize(st);
    st = NULL;
    /* the web server reloads what changed (its generation counter, if it ever ran here) */
    if (sq_exec(s, "UPDATE meta SET value=CAST(CAST(value AS BIGINT)+1 AS TEXT) WHERE key='generation'") != 0) {
        db_err(s, e, "setting");
        goto cleanup;
    }
    rc = 0;
cleanup:
    sq_finalize(st);
    return rc;
}

int store_load_part(store *s, model *m, int what, err_t *e)
{
    sq_stmt *st = NULL;
    idmap umap = { 0 }, imap = { 0 };  /* db id -> model index */
    int rc = -1, sr;

#define PREP(sql)                                                                  \
    do {                                                                           \
        sq_finalize(st);                                                      \
        if (sq_prepare(s, sql, &st) != 0) {          \
            db_err(s, e, "load");                                                  \
            goto cleanup;                                                          \
        }                                                                          \
    } while (0)

    PREP("SELECT id,code,name,parent,type,valid_from,valid_to FROM unit ORDER BY id");
    while ((sr = sq_step(s, st, "load", e)) > 0) {
        int idx = model_put_unit(m, col_text(st, 1), col_text(st, 2), col_text(st, 3),
                                 col_text(st, 4), sq_col_int(st, 5),
                                 sq_col_int(st, 6));
        int64_t id = sq_col_int64(st, 0);
        if (idx < 0 || remember(&s->unit_id, &s->nunit_id, idx, id) != 0 || idmap_put(&umap, id, idx) != 0)
            goto oom;
    }
    if (sr < 0)
        goto cleanup;
    PREP("SELECT id,code,name,grp,set_name,parent,measure,direction,unit_agg,period_agg,formula,"
         "decimals FROM indicator ORDER BY ord, id");
    while ((sr = sq_step(s, st, "load", e)) > 0) {
        ind_t d = { 0 };
        d.code = (char *)col_text(st, 1);
        d.name = (char *)col_text(st, 2);
        d.group = (char *)col_text(st, 3);
        d.set = (char *)col_text(st, 4);
        d.parent_code = (char *)col_text(st, 5);
        d.measure = (char *)col_text(st, 6);
        d.dir = model_dir_parse(col_text(st, 7));
        d.uagg = model_agg_parse(col_text(st, 8));
        d.pagg = model_agg_parse(col_text(st, 9));
        d.formula_src = (char *)col_text(st, 10);
        d.decimals = sq_col_int(st, 11);
        if (d.dir < 0 || d.uagg < 0 || d.pagg < 0) {
            err_set(e, tr("chỉ tiêu '%s' trong cơ sở dữ liệu có thuộc tính không hợp lệ",
                          "indicator '%s' in the database has an invalid attribute"), d.code);
            goto cleanup;
        }
        int idx = model_put_ind(m, &d);
        int64_t id = sq_col_int64(st, 0);
        if (idx < 0 || remember(&s->ind_id, &s->nind_id, idx, id) != 0 || idmap_put(&imap, id, idx) != 0)
            goto oom;
    }
    if (sr < 0)
        goto cleanup;
    idmap_dense(&umap);
    idmap_dense(&imap);
    /* by code (chronological): PostgreSQL's heap would put a renamed term last, SQLite keeps its place */
    PREP("SELECT period,name FROM term ORDER BY period");
    while ((sr = sq_step(s, st, "load", e)) > 0) {
        period_t p;
        const char *code = col_text(st, 0);
        if (period_parse(code, strlen(code), &p) != 0 || p.kind != P_RANGE)
            continue;
        if (model_put_term(m, p, col_text(st, 1)) != 0)
            goto oom;
    }
    if (sr < 0)
        goto cleanup;
    PREP("SELECT from_unit,to_unit,date,share FROM succession ORDER BY date,from_unit,to_unit");
    while ((sr = sq_step(s, st, "load", e)) > 0) {
        int from = idmap_get(&umap, sq_col_int64(st, 0)), to = idmap_get(&umap, sq_col_int64(st, 1));
        if (from < 0 || to < 0) {
            err_set(e, tr("cơ sở dữ liệu có dòng kế thừa đơn vị không hợp lệ",
                          "the database has an invalid succession row"));
            goto cleanup;
        }
        if (model_put_succ(m, from, to, sq_col_int(st, 2), sq_col_double(st, 3)) < 0)
            goto oom;
    }
    if (sr < 0)
        goto cleanup;
    if (load_settings(s, m, e) != 0)
        goto cleanup;
    /* counting and reading millions of rows: map the file instead of copying it page by page */
    if (what & STORE_VALUES && store_bulk_read(s, e) != 0)
        goto cleanup;
    int64_t nt = what & STORE_TARGETS ? count_rows(s, "SELECT count(*) FROM target", e) : 0;
    int64_t nv = nt >= 0 && what & STORE_VALUES ? count_rows(s, "SELECT count(*) FROM value", e) : 0;
    if (nt < 0 || nv < 0)
        goto cleanup;
    if (model_reserve(m, (size_t)nv, (size_t)nt) != 0)
        goto oom;
    m->unloaded = STORE_ALL & ~what;
    /* Rows wait in a small ring after their slot is prefetched, so a dozen cache misses are in
     * flight at once; a row with a comment (whose text the next step frees) goes in at once. */
    enum { RING = 16 };
    struct pend { int ind, unit; period_t p; double v; } ring[RING];
    for (int pass = 0; pass < 2; pass++) {
        if (!(what & (pass == 0 ? STORE_TARGETS : STORE_VALUES)))
            continue;
        /* PostgreSQL: in SQLite's order (the primary key), not the heap's, so a model loads the same */
        if (pass == 0)
            PREP(SQ_SQL(s, "SELECT indicator,unit,period,target,NULL FROM target",
                        "SELECT indicator,unit,period,target,NULL FROM target ORDER BY indicator,unit,period"));
        else
            PREP(SQ_SQL(s, "SELECT indicator,unit,period,value,comment FROM value",
                        "SELECT indicator,unit,period,value,comment FROM value ORDER BY indicator,unit,period"));
        sq_stream(st);
        int nring = 0, head = 0, done = 0;
        for (;;) {
            if (!done) {               /* never step a finished statement: that restarts it */
                sr = sq_step(s, st, "load", e);
                if (sr < 0)
                    goto cleanup;
                done = sr == 0;
            }
            if (done && nring == 0)
                break;
            struct pend r;
            const char *comment = NULL;
            if (!done) {
                int64_t iid = sq_col_int64(st, 0), uid = sq_col_int64(st, 1);
                const char *code = col_text(st, 2);
                r.ind = idmap_get(&imap, iid);
                r.unit = idmap_get(&umap, uid);
                if (r.ind < 0 || r.unit < 0 || period_parse(code, strlen(code), &r.p) != 0) {
                    err_set(e, tr("cơ sở dữ liệu có dòng số liệu không hợp lệ (kỳ '%s')",
                                  "the database has an invalid data row (period '%s')"), code);
                    goto cleanup;
                }
                r.v = sq_col_double(st, 3);
                comment = sq_col_text(st, 4);
                if (comment == NULL || *comment == '\0') {
                    model_prefetch(m, pass == 0, r.ind, r.unit, r.p);
                    if (nring < RING) {
                        ring[(head + nring++) % RING] = r;
                        continue;
                    }
                    struct pend due = ring[head];
                    ring[head] = r;
                    head = (head + 1) % RING;
                    r = due;
                }
            } else {
                r = ring[head];
                head = (head + 1) % RING;
                nring--;
            }
            int rc1 = pass == 0 ? model_put_target(m, r.ind, r.unit, r.p, r.v)
                                : model_put_value(m, r.ind, r.unit, r.p, r.v, comment);
            if (rc1 != 0)
                goto oom;
        }
    }
    if (model_finish(m, e) != 0)
        goto cleanup;
    rc = 0;
    goto cleanup;
oom:
    err_set(e, "out of memory");
cleanup:
#undef PREP
    sq_finalize(st);
    store_bulk_done(s);              /* back to plain reads for the handle's later work */
    idmap_free(&umap);
    idmap_free(&imap);
    return rc;
}

/* Runs a statement whose every parameter the caller binds each time (so no clearing). */
static int step_done(store *s, sq_stmt *st, err_t *e, const char *what)
{
    int r = sq_step(s, st, what, e);
    if (sq_reset(s, st, what, e) != 0 || r < 0)
        return -1;
    return 0;
}

static int lookup_id(store *s, int q, const char *code, int64_t *id, err_t *e)
{
    sq_stmt *st = s->q[q];
    sq_text(s, st, 1, code);
    int r = sq_step(s, st, "id", e);
    *id = r > 0 ? sq_col_int64(st, 0) : 0;
    if (sq_reset(s, st, "id", e) != 0)
        r = -1;
    sq_clear(st);
    if (r < 0)
        return err_prefix(e, "id of '%s'", code);
    if (r == 0)
        return err_set(e, "id of '%s': missing", code);
    return 0;
}

static int flush_pending(store *s, err_t *e)
{
    if (s->pg && store_pg_copy_flush(s, e) != 0)
        return -1;
    int n = s->npending, done = 0;
    s->npending = 0;
    if (n == PENDING_MAX) {
        if (s->multi == NULL) {
            buf sql = BUF_INIT;
            buf_adds(&sql, "INSERT INTO value(indicator,unit,period,value,comment,batch) VALUES");
            for (int i = 0; i < PENDING_MAX; i++)
                buf_adds(&sql, i ? ",(?,?,?,?,NULL,?)" : "(?,?,?,?,NULL,?)");
            int rc = sq_prepare_keep(s, buf_str(&sql), &s->multi);
            buf_free(&sql);
            if (rc != 0)
                return db_err(s, e, "value");
        }
        for (int i = 0; i < PENDING_MAX; i++) {
            const struct pending *p = &s->pending[i];
            sq_int64(s, s->multi, i * 5 + 1, p->iid);
            sq_int64(s, s->multi, i * 5 + 2, p->uid);
            sq_text(s, s->multi, i * 5 + 3, p->per);
            sq_double(s, s->multi, i * 5 + 4, p->v);
            sq_int64(s, s->multi, i * 5 + 5, p->batch);
        }
        if (step_done(s, s->multi, e, "value") != 0)
            return -1;
        done = n;
    }
    for (int i = done; i < n; i++) {
        const struct pending *p = &s->pending[i];
        sq_stmt *st = s->q[Q_VALUE_NEW];
        sq_int64(s, st, 1, p->iid);
        sq_int64(s, st, 2, p->uid);
        sq_text(s, st, 3, p->per);
        sq_double(s, st, 4, p->v);
        sq_null(s, st, 5);
        sq_int64(s, st, 6, p->batch);
        if (step_done(s, st, e, "value") != 0)
            return -1;
    }
    return 0;
}

int store_put_unit(store *s, const model *m, int u, err_t *e)
{
    if (flush_pending(s, e) != 0)
        return -1;
    const unit_t *x = &m->units[u];
    sq_stmt *st = s->q[Q_UNIT_PUT];
    sq_text(s, st, 1, x->code);
    sq_text(s, st, 2, x->name);
    sq_text(s, st, 3, x->parent_code);
    sq_text(s, st, 4, x->type);
    sq_int64(s, st, 5, x->valid_from);
    sq_int64(s, st, 6, x->valid_to);
    int64_t id;
    if (step_done(s, st, e, "unit") != 0 || lookup_id(s, Q_UNIT_ID, x->code, &id, e) != 0)
        return -1;
    return remember(&s->unit_id, &s->nunit_id, u, id) ? err_set(e, "out of memory") : 0;
}

int store_put_ind(store *s, const model *m, int i, int ord, err_t *e)
{
    if (flush_pending(s, e) != 0)
        return -1;
    const ind_t *d = &m->inds[i];
    sq_stmt *st = s->q[Q_IND_PUT];
    sq_text(s, st, 1, d->code);
    sq_text(s, st, 2, d->name);
    sq_text(s, st, 3, d->group);
    sq_text(s, st, 4, d->set);
    sq_text(s, st, 5, d->parent_code);
    sq_text(s, st, 6, d->measure);
    sq_text(s, st, 7, model_dir_name(d->dir));
    sq_text(s, st, 8, model_agg_name(d->uagg));
    sq_text(s, st, 9, model_agg_name(d->pagg));
    sq_text(s, st, 10, d->formula_src);
    sq_int64(s, st, 11, d->decimals);
    sq_int64(s, st, 12, ord);
    int64_t id;
    if (step_done(s, st, e, "indicator") != 0 || lookup_id(s, Q_IND_ID, d->code, &id, e) != 0)
        return -1;
    return remember(&s->ind_id, &s->nind_id, i, id) ? err_set(e, "out of memory") : 0;
}

int store_put_term(store *s, const term_t *t, err_t *e)
{
    if (flush_pending(s, e) != 0)
        return -1;
    char code[PERIOD_CODE_MAX];
    period_code(t->per, code, sizeof code);
    sq_stmt *st = s->q[Q_TERM_PUT];
    sq_text_copy(s, st, 1, code);
    sq_text(s, st, 2, t->name);
    return step_done(s, st, e, "term");
}

/* Runs one statement on unit codes (?1 from, ?2 to), a date (?3) and a share (?4, when given). */
static int succ_exec(store *s, const char *sql, const char *from, const char *to, int date,
                     const double *share, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1;
    if (flush_pending(s, e) != 0)
        return -1;
    if (sq_prepare(s, sql, &st) != 0) {
        db_err(s, e, "succession");
        goto cleanup;
    }
    sq_text(s, st, 1, from);
    if (to)
        sq_text(s, st, 2, to);
    sq_int64(s, st, 3, date);
    if (share)
        sq_double(s, st, 4, *share);
    rc = step_done(s, st, e, "succession");
cleanup:
    sq_finalize(st);
    return rc;
}

int store_put_succ(store *s, const model *m, int i, err_t *e)
{
    const succ_t *x = &m->succs[i];
    return succ_exec(s, "INSERT INTO succession(from_unit,to_unit,date,share) VALUES("
                        "(SELECT id FROM unit WHERE code=?1),(SELECT id FROM unit WHERE code=?2),?3,?4)"
                        " ON CONFLICT(from_unit,to_unit,date) DO UPDATE SET share=excluded.share",
                     m->units[x->from].code, m->units[x->to].code, x->date, &x->share, e);
}

int store_del_succs(store *s, const model *m, int from, int date, err_t *e)
{
    return succ_exec(s, "DELETE FROM succession WHERE from_unit=(SELECT id FROM unit WHERE code=?1) AND date=?3",
                     m->units[from].code, NULL, date, NULL, e);
}

/* The database ids of model indicator ind and unit unit; a handle that has not loaded or
 * written them (another pool handle, or after store_forget_ids) looks them up by code. */
static int ids_of(store *s, const model *m, int ind, int unit, int64_t *iid, int64_t *uid,
                  err_t *e)
{
    if ((size_t)ind >= s->nind_id || !s->ind_id[ind].known) {
        int64_t id;
        if (lookup_id(s, Q_IND_ID, m->inds[ind].code, &id, e) != 0)
            return -1;
        if (remember(&s->ind_id, &s->nind_id, ind, id) != 0)
            return err_set(e, "out of memory");
    }
    if ((size_t)unit >= s->nunit_id || !s->unit_id[unit].known) {
        int64_t id;
        if (lookup_id(s, Q_UNIT_ID, m->units[unit].code, &id, e) != 0)
            return -1;
        if (remember(&s->unit_id, &s->nunit_id, unit, id) != 0)
            return err_set(e, "out of memory");
    }
    *iid = s->ind_id[ind].id;
    *uid = s->unit_id[unit].id;
    return 0;
}

/* db id -> model index for every row of "SELECT id, code FROM t", codes matched by find. */
static int id_map(store *s, const char *sql, const model *m, int (*find)(const model *, const char *),
                  idmap *map, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1, r;
    if (sq_prepare(s, sql, &st) != 0) {
        db_err(s, e, "scan");
        goto cleanup;
    }
    while ((r = sq_step(s, st, "scan", e)) > 0) {
        int idx = find(m, col_text(st, 1));
        if (idx >= 0 && idmap_put(map, sq_col_int64(st, 0), idx) != 0) {
            err_set(e, "out of memory");
            goto cleanup;
        }
    }
    rc = r;
cleanup:
    sq_finalize(st);
    return rc;
}

int64_t store_cells_estimate(store *s, err_t *e)
{
    /* SQLite: the file's size at ~32 bytes a stored row (a generated national file holds ~28,
     * one written by imports more); PostgreSQL: the planner's row counts.  No table is read. */
    int64_t n = count_rows(s, SQ_SQL(s, "SELECT (SELECT page_count FROM pragma_page_count())"
                                        " * (SELECT page_size FROM pragma_page_size()) / 32",
                                     "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class"
                                     " WHERE relname IN ('value', 'target') AND relkind = 'r'"), e);
    return n;
}

/* Part k of nparts of the indicator ids in map: [*lo, *hi], equal slices of min..max id, the
 * first part open below and the last open above (any 64-bit id). */
static void id_slice(const idmap *map, int part, int nparts, int64_t *lo, int64_t *hi)
{
    uint64_t span = map->n ? (uint64_t)map->max - (uint64_t)map->min : 0;   /* modular: fits */
    uint64_t step = nparts > 1 ? span / (uint64_t)nparts + 1 : 0;
    uint64_t base = (uint64_t)map->min;
    *lo = part <= 0 ? INT64_MIN : (int64_t)(base + (uint64_t)part * step);
    *hi = part >= nparts - 1 ? INT64_MAX : (int64_t)(base + (uint64_t)(part + 1) * step - 1);
}

/* store_scan_cells' rows on PostgreSQL (store_pg_scan): ids to model indexes, the period parsed. */
typedef struct pg_scan {
    const idmap *umap, *imap;
    store_cell_fn fn;
    void *ctx;
    err_t *e;
} pg_scan;

static int pg_scan_row(void *arg, int64_t iid, int64_t uid, const char *per, size_t len, double v)
{
    pg_scan *sc = arg;
    int ind = idmap_get(sc->imap, iid), unit = idmap_get(sc->umap, uid);
    period_t p;
    if (ind < 0 || unit < 0)
        return 0;
    if (period_parse(per, len, &p) != 0) {
        err_set(sc->e, tr("cơ sở dữ liệu có dòng số liệu không hợp lệ (kỳ '%.*s')",
                          "the database has an invalid data row (period '%.*s')"), (int)(len > 64 ? 64 : len), per);
        return 1;
    }
    if (sc->fn(sc->ctx, ind, unit, p, v) != 0) {
        err_set(sc->e, "stopped");
        return 1;
    }
    return 0;
}

/* store_scan_cells, or with vfn set store_scan_values (values with their comments). */
static int scan_cells(store *s, const model *m, int targets, int part, int nparts, store_cell_fn fn,
                      store_value_fn vfn, void *ctx, err_t *e)
{
    sq_stmt *st = NULL;
    idmap umap = { 0 }, imap = { 0 };
    int64_t lo, hi;
    int rc = -1, r;
    if (id_map(s, "SELECT id,code FROM unit", m, model_unit_find, &umap, e) != 0 ||
        id_map(s, "SELECT id,code FROM indicator", m, model_ind_find, &imap, e) != 0)
        goto cleanup;
    idmap_dense(&umap);
    idmap_dense(&imap);
    id_slice(&imap, part, nparts, &lo, &hi);
    if (s->pg && vfn == NULL) {            /* binary COPY; comments come by the row path below */
        pg_scan sc = { &umap, &imap, fn, ctx, e };
        rc = store_pg_scan(s, targets, lo, hi, pg_scan_row, &sc, e);
        goto cleanup;
    }
    const char *sql = targets ? "SELECT indicator,unit,period,target FROM target WHERE indicator BETWEEN ?1 AND ?2"
                    : vfn     ? "SELECT indicator,unit,period,value,comment FROM value WHERE indicator BETWEEN ?1 AND ?2"
                              : "SELECT indicator,unit,period,value FROM value WHERE indicator BETWEEN ?1 AND ?2";
    if (sq_prepare(s, sql, &st) != 0) {
        db_err(s, e, "scan");
        goto cleanup;
    }
    sq_stream(st);
    sq_int64(s, st, 1, lo);
    sq_int64(s, st, 2, hi);
    while ((r = sq_step(s, st, "scan", e)) > 0) {
        int ind = idmap_get(&imap, sq_col_int64(st, 0));
        int unit = idmap_get(&umap, sq_col_int64(st, 1));
        const char *code = col_text(st, 2);
        period_t p;
        if (ind < 0 || unit < 0)
            continue;
        if (period_parse(code, strlen(code), &p) != 0) {
            err_set(e, tr("cơ sở dữ liệu có dòng số liệu không hợp lệ (kỳ '%s')",
                          "the database has an invalid data row (period '%s')"), code);
            goto cleanup;
        }
        if ((vfn ? vfn(ctx, ind, unit, p, sq_col_double(st, 3), sq_col_text(st, 4))
                 : fn(ctx, ind, unit, p, sq_col_double(st, 3))) != 0) {
            err_set(e, "stopped");
            goto cleanup;
        }
    }
    rc = r;
cleanup:
    sq_finalize(st);
    idmap_free(&umap);
    idmap_free(&imap);
    return rc;
}

int store_scan_cells(store *s, const model *m, int targets, int part, int nparts, store_cell_fn fn,
                     void *ctx, err_t *e)
{
    return scan_cells(s, m, targets, part, nparts, fn, NULL, ctx, e);
}

int store_scan_values(store *s, const model *m, int part, int nparts, store_value_fn fn, void *ctx, err_t *e)
{
    return scan_cells(s, m, 0, part, nparts, NULL, fn, ctx, e);
}

int store_get_cell(store *s, const model *m, int targets, int ind, int unit, period_t p, cell_t *c,
                   err_t *e)
{
    int64_t iid, uid;
    char per[PERIOD_CODE_MAX];
    if (flush_pending(s, e) != 0 || ids_of(s, m, ind, unit, &iid, &uid, e) != 0)
        return -1;
    period_code(p, per, sizeof per);
    sq_stmt *st = s->q[targets ? Q_TARGET_GET : Q_VALUE_GET];
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    int rc = sq_step(s, st, "cell", e);
    if (rc > 0) {
        c->v = sq_col_double(st, 0);
        if (model_cell_comment(c, sq_col_text(st, 1)) != 0)
            rc = err_set(e, "out of memory");
    }
    if (sq_reset(s, st, "cell", e) != 0)
        rc = -1;
    return rc;
}

void store_forget_ids(store *s)
{
    if (s->unit_id)
        memset(s->unit_id, 0, s->nunit_id * sizeof *s->unit_id);
    if (s->ind_id)
        memset(s->ind_id, 0, s->nind_id * sizeof *s->ind_id);
}

/* The batch (who, when, source) that rows written now belong to: one per (who, source) in a
 * transaction, so each value and history row carries an integer instead of three strings. */
static int batch_of(store *s, const char *who, const char *source, int64_t *id, err_t *e)
{
    who = who ? who : "";
    source = source ? source : "";
    if (s->batch && strncmp(s->batch_who, who, sizeof s->batch_who - 1) == 0 &&
        strncmp(s->batch_src, source, sizeof s->batch_src - 1) == 0) {
        *id = s->batch;
        return 0;
    }
    if (!s->pg && flush_pending(s, e) != 0)   /* PostgreSQL: the insert ends the COPY itself */
        return -1;
    sq_stmt *st = s->q[Q_BATCH_PUT];
    sq_text(s, st, 1, s->now);
    sq_text(s, st, 2, who);
    sq_text(s, st, 3, source);
    int r = sq_step(s, st, "batch", e);
    *id = r > 0 ? sq_col_int64(st, 0) : 0;
    if (sq_reset(s, st, "batch", e) != 0 || r < 0)
        return -1;
    if (r == 0)
        return err_set(e, "batch: no id");
    s->batch = *id;
    if (s->bulk_keys && s->bulk_batch == 0)
        s->bulk_batch = *id;                /* batch ids grow: this transaction's rows are >= it */
    snprintf(s->batch_who, sizeof s->batch_who, "%s", who);
    snprintf(s->batch_src, sizeof s->batch_src, "%s", source);
    return 0;
}

int store_put_target(store *s, const model *m, int ind, int unit, period_t p, double v,
                     const double *old, const char *who, const char *source, err_t *e)
{
    (void)m;
    int64_t iid = 0, uid = 0, batch = 0;
    char per[PERIOD_CODE_MAX];
    if (ids_of(s, m, ind, unit, &iid, &uid, e) != 0 || batch_of(s, who, source, &batch, e) != 0)
        return -1;
    period_code(p, per, sizeof per);
    if (old == NULL && s->pg)
        return store_pg_copy_cell(s, 1, iid, uid, per, v, batch, e);
    if (flush_pending(s, e) != 0)
        return -1;
    sq_stmt *st = s->q[Q_TARGET_PUT];
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    sq_double(s, st, 4, v);
    sq_int64(s, st, 5, batch);
    (void)old; /* the history trigger reads the old row itself */
    return step_done(s, st, e, "target");
}

int store_put_value(store *s, const model *m, int ind, int unit, period_t p, double v,
                    const char *comment, const cell_t *old, const char *who,
                    const char *source, err_t *e)
{
    (void)m;
    int64_t iid = 0, uid = 0, batch = 0;
    char per[PERIOD_CODE_MAX];
    if (ids_of(s, m, ind, unit, &iid, &uid, e) != 0 || batch_of(s, who, source, &batch, e) != 0)
        return -1;
    if (old == NULL && (comment == NULL || *comment == '\0') && s->pg) {
        period_code(p, per, sizeof per);
        return store_pg_copy_cell(s, 0, iid, uid, per, v, batch, e);
    }
    if (old == NULL && (comment == NULL || *comment == '\0')) {
        struct pending *q = &s->pending[s->npending++];
        q->iid = iid;
        q->uid = uid;
        q->batch = batch;
        q->v = v;
        period_code(p, q->per, sizeof q->per);
        return s->npending == PENDING_MAX ? flush_pending(s, e) : 0;
    }
    period_code(p, per, sizeof per);
    if (flush_pending(s, e) != 0)
        return -1;
    sq_stmt *st = s->q[old ? Q_VALUE_PUT : Q_VALUE_NEW];
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    sq_double(s, st, 4, v);
    if (comment && *comment)
        sq_text(s, st, 5, comment);
    else
        sq_null(s, st, 5);
    sq_int64(s, st, 6, batch);
    (void)old; /* the history trigger reads the old row itself */
    return step_done(s, st, e, "value");
}

int store_del_value(store *s, const model *m, int ind, int unit, period_t p, const char *reason,
                    const char *who, const char *source, err_t *e)
{
    int64_t iid = 0, uid = 0, batch = 0;
    char per[PERIOD_CODE_MAX];
    sq_stmt *st = NULL;
    int rc = -1;
    if (ids_of(s, m, ind, unit, &iid, &uid, e) != 0 || flush_pending(s, e) != 0)
        return -1;
    period_code(p, per, sizeof per);
    if (sq_prepare(s, "SELECT 1 FROM value WHERE indicator=?1 AND unit=?2 AND period=?3", &st) != 0)
        return db_err(s, e, "value");
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    int had = sq_step(s, st, "value", e);
    sq_finalize(st);
    st = NULL;
    if (had <= 0)
        return had;
    if (batch_of(s, who, source, &batch, e) != 0)
        return -1;
    /* the history row first (it reads the row), then the row itself */
    if (sq_prepare(s, "INSERT INTO history(kind,indicator,unit,period,old_value,old_comment,old_batch,"
                           "new_value,new_comment,batch) SELECT 1,indicator,unit,period,value,comment,batch,NULL,?4,?5"
                           " FROM value WHERE indicator=?1 AND unit=?2 AND period=?3", &st) != 0)
        return db_err(s, e, "history");
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    sq_text(s, st, 4, reason ? reason : "");
    sq_int64(s, st, 5, batch);
    if (sq_step(s, st, "history", e) < 0)
        goto cleanup;
    sq_finalize(st);
    if (sq_prepare(s, "DELETE FROM value WHERE indicator=?1 AND unit=?2 AND period=?3", &st) != 0) {
        st = NULL;
        rc = db_err(s, e, "value");
        goto cleanup;
    }
    sq_int64(s, st, 1, iid);
    sq_int64(s, st, 2, uid);
    sq_text(s, st, 3, per);
    if (sq_step(s, st, "value", e) < 0)
        goto cleanup;
    rc = 1;
cleanup:
    sq_finalize(st);
    return rc;
}

int store_history(store *s, const char *ind, const char *unit, period_t p, store_hist *out,
                  int max, err_t *e)
{
    sq_stmt *st = NULL;
    char per[PERIOD_CODE_MAX];
    int n = 0;
    period_code(p, per, sizeof per);
    if (sq_prepare(s, "WITH c AS (SELECT i.id AS ind, u.id AS unit FROM indicator i, unit u"
            "  WHERE i.code=?1 AND u.code=?2),"
            " h AS (SELECT h.id AS seq, h.kind, h.batch, h.old_value, h.new_value, h.old_batch"
            "  FROM history h, c WHERE h.indicator=c.ind AND h.unit=c.unit AND h.period=?3),"
            /* a figure's creation: the batch of its first version (the oldest change's old_batch,
             * or the row itself when it never changed) */
            " first AS (SELECT 0 AS seq, 1 AS kind, COALESCE((SELECT old_batch FROM h WHERE kind=1"
            "  ORDER BY seq LIMIT 1), v.batch) AS batch, CAST(NULL AS DOUBLE PRECISION) AS old_value,"
            "  COALESCE((SELECT old_value FROM h WHERE kind=1 ORDER BY seq LIMIT 1), v.value) AS new_value"
            "  FROM value v, c WHERE v.indicator=c.ind AND v.unit=c.unit AND v.period=?3"
            " UNION ALL SELECT 0, 0, COALESCE((SELECT old_batch FROM h WHERE kind=0 ORDER BY seq LIMIT 1),"
            "  t.batch), NULL, COALESCE((SELECT old_value FROM h WHERE kind=0 ORDER BY seq LIMIT 1), t.target)"
            "  FROM target t, c WHERE t.indicator=c.ind AND t.unit=c.unit AND t.period=?3)"
            " SELECT CASE x.kind WHEN 0 THEN 'target' ELSE 'value' END, b.at, b.who, x.old_value,"
            " x.new_value FROM (SELECT seq, kind, batch, old_value, new_value FROM h"
            "  UNION ALL SELECT * FROM first) x JOIN batch b ON b.id=x.batch"
            " ORDER BY x.seq DESC, x.kind LIMIT ?4", &st) != 0)
        return db_err(s, e, "history");
    sq_text(s, st, 1, ind);
    sq_text(s, st, 2, unit);
    sq_text(s, st, 3, per);
    sq_int64(s, st, 4, max);
    int r = 0;
    while (n < max && (r = sq_step(s, st, "history", e)) > 0) {
        store_hist *h = &out[n++];
        memset(h, 0, sizeof *h);
        snprintf(h->kind, sizeof h->kind, "%s", col_text(st, 0));
        snprintf(h->at, sizeof h->at, "%s", col_text(st, 1));
        snprintf(h->who, sizeof h->who, "%s", col_text(st, 2));
        h->has_old = !sq_col_null(st, 3);
        h->old_v = sq_col_double(st, 3);
        h->has_new = !sq_col_null(st, 4);
        h->new_v = sq_col_double(st, 4);
    }
    sq_finalize(st);
    return r < 0 ? -1 : n;
}

int store_exists(const char *path, err_t *e)
{
    if (store_pg_url(path))
        return store_pg_exists(path, e);
    return access(path, F_OK) == 0;
}

int store_remove(const char *path, err_t *e)
{
    if (store_pg_url(path))
        return store_pg_remove(path, e);
    static const char *const sides[] = { "", "-wal", "-shm" };
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s%s", path, sides[i]);
        if (remove(file) != 0 && access(file, F_OK) == 0)
            return err_set(e, tr("không xóa được '%s'", "cannot remove '%s'"), file);
    }
    return 0;
}
