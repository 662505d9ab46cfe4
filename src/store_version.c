/* store_version.c - the schema version of a SQLite database and the upgrades between versions.
 *
 * meta('schema_version') holds the version a database was last written with and
 * meta('schema_hash') a hash of the schema strings applied (every module's CREATE ... IF NOT
 * EXISTS), so an additive change that forgot to bump the version still reaches old files.
 * Opening reads both without any lock: equal to this binary's, nothing is written (so opening
 * never waits behind another process's long import).  Otherwise, inside one write transaction:
 * the version is read again (another process may have upgraded meanwhile), a newer one is
 * refused, an older one is first copied next to the file (PATH.schema-V.bak, online backup API
 * through a second connection: the snapshot the upgrade starts from), then the steps below run in order from the
 * file's version, then every schema string, then the new version and hash are recorded; a
 * failure anywhere rolls everything back and the file stays at its old version.
 *
 * Versions: 1 = the first release (value rows carried updated_at/updated_by, history was
 * written by the program with a text kind, no batch table); 2 = batches and history by
 * trigger (later releases added tables without changing the number); 3 = the version checked
 * on open, every module's tables present, app_user.email; 4 = PostgreSQL's figure tables gain the
 * foreign keys SQLite's always had (nothing changes in SQLite), and both backends hold the change
 * feed (change_log) and the shared API rate buckets (api_bucket), tables every open creates when
 * missing, so they need no step.  A schema change adds a step here
 * and bumps STORE_SCHEMA_VERSION (store_admin.h); PostgreSQL needs the same step in its DDL.
 */
#include "store_admin.h"
#include "store_sqlite.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 -> 2: the figures keep their values; each (time, who, source) of the old history and of
 * the value rows becomes a batch; targets, which had no time, take the batch of their last
 * history row (or one batch for the upgrade); the old history keeps its changes (creations
 * are now the figure's own batch), each chained to the batch it replaced. */
static const char up_1_2_sql[] =
    "DROP INDEX IF EXISTS history_cell;"
    "ALTER TABLE value RENAME TO value_v1;"
    "ALTER TABLE target RENAME TO target_v1;"
    "ALTER TABLE history RENAME TO history_v1;"
    "CREATE TABLE batch(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    " source TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE target(indicator INTEGER NOT NULL REFERENCES indicator(id),"
    " unit INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL, target REAL NOT NULL,"
    " batch INTEGER NOT NULL REFERENCES batch(id), PRIMARY KEY(indicator,unit,period)) WITHOUT ROWID;"
    "CREATE TABLE value(indicator INTEGER NOT NULL REFERENCES indicator(id),"
    " unit INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL, value REAL NOT NULL,"
    " comment TEXT, batch INTEGER NOT NULL REFERENCES batch(id),"
    " PRIMARY KEY(indicator,unit,period)) WITHOUT ROWID;"
    "CREATE TABLE history(id INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    " indicator INTEGER NOT NULL, unit INTEGER NOT NULL, period TEXT NOT NULL,"
    " old_value REAL, old_comment TEXT, old_batch INTEGER,"
    " new_value REAL, new_comment TEXT, batch INTEGER NOT NULL);"
    "CREATE TEMP TABLE up_key(at TEXT, who TEXT, source TEXT, PRIMARY KEY(at,who,source));"
    "INSERT OR IGNORE INTO up_key SELECT changed_at, changed_by, source FROM history_v1;"
    "INSERT OR IGNORE INTO up_key SELECT updated_at, updated_by, '' FROM value_v1;"
    "INSERT OR IGNORE INTO up_key VALUES(strftime('%Y-%m-%dT%H:%M:%SZ','now'),'chitieu','schema 1->2');"
    "INSERT INTO batch(at,who,source) SELECT at, who, source FROM up_key ORDER BY at, who, source;"
    "CREATE TEMP TABLE up_batch(at TEXT, who TEXT, source TEXT, id INTEGER, PRIMARY KEY(at,who,source));"
    "INSERT INTO up_batch SELECT at, who, source, id FROM batch;"
    /* the last history row of each cell, and the batch of every history row */
    "CREATE TEMP TABLE up_hist(id INTEGER PRIMARY KEY, kind INTEGER, indicator, unit, period, batch INTEGER);"
    "INSERT INTO up_hist SELECT h.id, h.kind='target', h.indicator, h.unit, h.period, b.id FROM history_v1 h"
    " JOIN up_batch b ON b.at=h.changed_at AND b.who=h.changed_by AND b.source=h.source;"
    "CREATE INDEX temp.up_hist_cell ON up_hist(kind,indicator,unit,period,id);"
    "INSERT INTO value(indicator,unit,period,value,comment,batch) SELECT v.indicator, v.unit, v.period, v.value,"
    " v.comment, COALESCE((SELECT h.batch FROM up_hist h WHERE h.kind=0 AND h.indicator=v.indicator"
    " AND h.unit=v.unit AND h.period=v.period ORDER BY h.id DESC LIMIT 1),"
    " (SELECT b.id FROM up_batch b WHERE b.at=v.updated_at AND b.who=v.updated_by AND b.source=''))"
    " FROM value_v1 v;"
    "INSERT INTO target(indicator,unit,period,target,batch) SELECT t.indicator, t.unit, t.period, t.target,"
    " COALESCE((SELECT h.batch FROM up_hist h WHERE h.kind=1 AND h.indicator=t.indicator"
    " AND h.unit=t.unit AND h.period=t.period ORDER BY h.id DESC LIMIT 1),"
    " (SELECT b.id FROM up_batch b WHERE b.source='schema 1->2')) FROM target_v1 t;"
    "INSERT INTO history(id,kind,indicator,unit,period,old_value,old_comment,old_batch,new_value,new_comment,"
    " batch) SELECT h.id, CASE h.kind WHEN 'target' THEN 0 ELSE 1 END, h.indicator, h.unit, h.period,"
    " h.old_value, h.old_comment, (SELECT p.batch FROM up_hist p WHERE p.kind=u.kind AND"
    " p.indicator=u.indicator AND p.unit=u.unit AND p.period=u.period AND p.id<u.id ORDER BY p.id DESC"
    " LIMIT 1), h.new_value, h.new_comment, u.batch FROM history_v1 h JOIN up_hist u ON u.id=h.id"
    " WHERE h.old_value IS NOT NULL;"
    "DROP TABLE value_v1; DROP TABLE target_v1; DROP TABLE history_v1;"
    "DROP TABLE temp.up_key; DROP TABLE temp.up_batch; DROP TABLE temp.up_hist;";

static int exec(store *s, const char *sql, const char *what, err_t *e)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return err_set(e, "%s: %s", what, sq_errmsg(s));
    return 0;
}

static int up_1_2(store *s, err_t *e)
{
    return exec(s, up_1_2_sql, "schema 1->2", e);
}

/* 2 -> 3: the tables of every module come from the schema strings applied after the steps;
 * the e-mail column, added until now the first time one was set, is added here. */
static int up_2_3(store *s, err_t *e)
{
    sq_stmt *st = NULL;
    int has = 0, r;
    if (exec(s, store_web_schema, "schema 2->3", e) != 0)
        return -1;
    if (sq_prepare(s, "SELECT 1 FROM pragma_table_info('app_user') WHERE name='email'", &st) != 0)
        return err_set(e, "schema 2->3: %s", sq_errmsg(s));
    r = sq_step(s, st, "schema 2->3", e);
    sq_finalize(st);
    if (r < 0)
        return -1;
    has = r;
    if (!has)
        return exec(s, "ALTER TABLE app_user ADD COLUMN email TEXT NOT NULL DEFAULT ''", "schema 2->3", e);
    return 0;
}

/* 3 -> 4: PostgreSQL's figures gained SQLite's foreign keys (store_pg.c's pg_steps); SQLite had them. */
static int up_3_4(store *s, err_t *e)
{
    (void)s;
    (void)e;
    return 0;
}

/* The steps, in order: step k takes a database from version upgrades[k].from to from + 1. */
static const struct upgrade {
    int from;
    int (*run)(store *s, err_t *e);
} upgrades[] = {
    { 1, up_1_2 },
    { 2, up_2_3 },
    { 3, up_3_4 },
};

/* One text value of meta into out ("" when the row is absent); 0 or -1. */
static int meta_get(store *s, const char *key, char *out, size_t n, err_t *e)
{
    sq_stmt *st = NULL;
    *out = '\0';
    if (sq_prepare(s, "SELECT value FROM meta WHERE key=?1", &st) != 0)
        return err_set(e, "meta: %s", sq_errmsg(s));
    sq_text(s, st, 1, key);
    int r = sq_step(s, st, "meta", e);
    if (r > 0) {
        const char *t = sq_col_text(st, 0);
        snprintf(out, n, "%s", t ? t : "");
    }
    sq_finalize(st);
    return r < 0 ? -1 : 0;
}

/* The version text v of the database at path into *version; 0, or -1 with a message. */
static int parse_version(const char *path, const char *v, int *version, err_t *e)
{
    char *end = NULL;
    long ver = strtol(v, &end, 10);
    if (end == v || *end || ver < 1 || ver > 1000000)
        return err_set(e, tr("'%s': phiên bản lược đồ '%s' không đọc được", "'%s': unreadable schema version '%s'"),
                       path, v);
    *version = (int)ver;
    return 0;
}

/* The file's version into *version (0: an empty file) and its schema hash into hash; -1 with a
 * message for a file that is no chitieu database or names no readable version. */
static int read_version(store *s, const char *path, int *version, char *hash, size_t n, err_t *e)
{
    sq_stmt *st = NULL;
    long long tables = 0, meta = 0;
    *version = 0;
    *hash = '\0';
    /* PostgreSQL (store_pg.c) has applied its schema by now: meta is there */
    if (s->pg == NULL &&
        sq_prepare(s, "SELECT count(*), count(*) FILTER (WHERE name='meta') FROM sqlite_master", &st) != 0)
        return err_set(e, tr("'%s' không phải cơ sở dữ liệu chitieu: %s", "'%s' is not a chitieu database: %s"),
                       path, sq_errmsg(s));
    int r = s->pg ? 1 : sq_step(s, st, path, e);
    if (r > 0) {
        tables = s->pg ? 1 : sq_col_int64(st, 0);
        meta = s->pg ? 1 : sq_col_int64(st, 1);
    }
    sq_finalize(st);
    if (r < 0)
        return -1;
    if (tables == 0)
        return 0;
    char v[32];
    if (!meta || meta_get(s, "schema_version", v, sizeof v, e) != 0 || meta_get(s, "schema_hash", hash, n, e) != 0)
        return meta ? -1
                    : err_set(e, tr("'%s' không phải cơ sở dữ liệu chitieu (không có bảng meta)",
                                    "'%s' is not a chitieu database (no meta table)"), path);
    return parse_version(path, v, version, e);
}

int store_schema_version(store *s, int *out, err_t *e)
{
    char hash[32];
    return read_version(s, "database", out, hash, sizeof hash, e);
}

static int newer(const char *path, int version, err_t *e)
{
    return err_set(e, tr("'%s': cơ sở dữ liệu có phiên bản lược đồ %d, mới hơn bản chương trình này (%d): "
                         "hãy nâng cấp chitieu",
                         "'%s': the database has schema version %d, newer than this program's (%d): "
                         "upgrade chitieu"), path, version, STORE_SCHEMA_VERSION);
}

int sq_schema_newer(const char *path, const char *have, err_t *e)
{
    int version = 0;
    if (have == NULL)
        return 0;
    if (parse_version(path, have, &version, e) != 0)
        return -1;
    return version > STORE_SCHEMA_VERSION ? newer(path, version, e) : 0;
}

/* Runs the steps from version to STORE_SCHEMA_VERSION, then every schema string, then records the
 * version and hash; inside the caller's transaction. */
static int upgrade(store *s, int version, const char *const *schemas, size_t n, const char *hash, err_t *e)
{
    for (size_t k = 0; k < sizeof upgrades / sizeof *upgrades; k++)
        if (version > 0 && upgrades[k].from >= version && upgrades[k].run(s, e) != 0)
            return err_prefix(e, tr("nâng cấp lược đồ %d lên %d", "upgrading schema %d to %d"), upgrades[k].from,
                              upgrades[k].from + 1);
    for (size_t i = 0; i < n; i++)
        if (exec(s, schemas[i], "schema", e) != 0)
            return -1;
    sq_stmt *st = NULL;
    if (sq_prepare(s, "INSERT OR REPLACE INTO meta VALUES('schema_version',?1),('schema_hash',?2)", &st) != 0)
        return err_set(e, "meta: %s", sq_errmsg(s));
    sq_int64(s, st, 1, STORE_SCHEMA_VERSION);
    sq_text(s, st, 2, hash);
    int r = sq_step(s, st, "meta", e);
    sq_finalize(st);
    return r < 0 ? -1 : 0;
}

int sq_schema_open(store *s, const char *path, const char *const *schemas, size_t n, err_t *e)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        for (const unsigned char *p = (const unsigned char *)schemas[i]; *p; p++)
            h = (h ^ *p) * 16777619u;
    char want[32], have[32], bak[4200] = "";
    snprintf(want, sizeof want, "%d:%08x", STORE_SCHEMA_VERSION, (unsigned)h);
    int version, rc = -1, began = 0;
    if (read_version(s, path, &version, have, sizeof have, e) != 0)
        return -1;
    if (version > STORE_SCHEMA_VERSION)
        return newer(path, version, e);
    if (version == STORE_SCHEMA_VERSION && strcmp(have, want) == 0)
        return 0;
    /* the write lock, waited for as long as a writer would */
    sqlite3_busy_timeout(s->db, 600000);
    if (exec(s, "PRAGMA journal_mode=WAL", path, e) != 0 || exec(s, "BEGIN IMMEDIATE", path, e) != 0)
        goto cleanup;
    began = 1;
    if (read_version(s, path, &version, have, sizeof have, e) != 0)
        goto cleanup;
    if (version > STORE_SCHEMA_VERSION) {
        newer(path, version, e);
        goto cleanup;
    }
    if (version == STORE_SCHEMA_VERSION && strcmp(have, want) == 0) {
        rc = 0;
        goto cleanup;
    }
    /* another connection reads the snapshot this transaction starts from (WAL: readers go on
     * while the write lock is held, and no one else can commit meanwhile) */
    if (version > 0 && version < STORE_SCHEMA_VERSION)
        snprintf(bak, sizeof bak, "%s.schema-%d.bak", path, version);
    if (*bak && store_backup_file(path, bak, e) != 0) {
        err_prefix(e, tr("không sao lưu được trước khi nâng cấp, cơ sở dữ liệu giữ nguyên",
                         "no backup before the upgrade, the database is left as it was"));
        goto cleanup;
    }
    if (upgrade(s, version, schemas, n, want, e) != 0)
        goto cleanup;
    if (exec(s, "COMMIT", path, e) != 0)
        goto cleanup;
    began = 0;
    rc = 0;
    if (*bak)
        fprintf(stderr, tr("chitieu: đã nâng cấp '%s' từ lược đồ %d lên %d (bản sao trước khi nâng cấp: %s)\n",
                           "chitieu: upgraded '%s' from schema %d to %d (copy taken before: %s)\n"),
                path, version, STORE_SCHEMA_VERSION, bak);
cleanup:
    if (began)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_busy_timeout(s->db, 5000);
    return rc;
}
