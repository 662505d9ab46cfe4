/* store_backup.c - backup, verification and restore of a SQLite database file (store_admin.h).
 *
 * Every copy goes through SQLite's online backup API in one step (sqlite3_backup_step(-1)): the
 * source is read in one read transaction, so the copy is one consistent snapshot, and in WAL
 * mode the writers of other connections (a running server, an import) go on meanwhile.  A
 * backup is written to DEST.tmp, switched to rollback-journal mode (one self-contained file),
 * closed, renamed over DEST and its directory synced.  These functions open their own raw
 * connections (no store handle): they work on a whole file, whatever its version.
 */
#include "store_admin.h"
#include "store_sqlite.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

/* Opens path with flags (busy timeout 10 min, as a writer would wait); -1 with a message. */
static int open_db(const char *path, int flags, sqlite3 **out, err_t *e)
{
    if (sqlite3_open_v2(path, out, flags, NULL) != SQLITE_OK) {
        err_set(e, tr("không mở được cơ sở dữ liệu '%s': %s", "cannot open database '%s': %s"), path,
                *out ? sqlite3_errmsg(*out) : "out of memory");
        sqlite3_close(*out);
        *out = NULL;
        return -1;
    }
    sqlite3_busy_timeout(*out, 600000);
    return 0;
}

/* Copies src's main database into dst's in one step, retrying while the destination is busy. */
static int copy_db(sqlite3 *dst, sqlite3 *src, const char *what, err_t *e)
{
    for (int tries = 0; tries < 600; tries++) {
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (b == NULL)
            return err_set(e, "%s: %s", what, sqlite3_errmsg(dst));
        int r = sqlite3_backup_step(b, -1);
        int f = sqlite3_backup_finish(b);
        if (r == SQLITE_DONE && f == SQLITE_OK)
            return 0;
        if (r != SQLITE_BUSY && r != SQLITE_LOCKED)
            return err_set(e, "%s: %s", what, sqlite3_errstr(r == SQLITE_DONE ? f : r));
        sqlite3_sleep(100);
    }
    return err_set(e, tr("%s: cơ sở dữ liệu bận quá lâu", "%s: the database stayed busy too long"), what);
}

/* -1 with the message pointing to PostgreSQL's own tools when path is a postgres:// URL (these
 * copies are SQLite files; the URL, which may hold a password, is not repeated); else 0. */
static int refuse_pg(const char *path, int restore, err_t *e)
{
    if (!store_pg_url(path))
        return 0;
    if (restore)
        return err_set(e, "%s", tr("đây là cơ sở dữ liệu PostgreSQL: chitieu restore chỉ dành cho tệp SQLite; khôi "
                                   "phục bằng pg_restore (xem docs/deploy.md)",
                                   "this is a PostgreSQL database: chitieu restore is for SQLite files; restore "
                                   "with pg_restore (see docs/deploy.md)"));
    return err_set(e, "%s", tr("đây là cơ sở dữ liệu PostgreSQL: chitieu backup chỉ dành cho tệp SQLite; sao lưu "
                               "bằng pg_dump -Fc (xem docs/deploy.md)",
                               "this is a PostgreSQL database: chitieu backup is for SQLite files; back it up "
                               "with pg_dump -Fc (see docs/deploy.md)"));
}

int store_backup_file(const char *db_path, const char *dest, err_t *e)
{
    sqlite3 *src = NULL, *dst = NULL;
    char tmp[4200];
    int rc = -1;
    if (refuse_pg(db_path, 0, e) != 0)
        return -1;
    if (access(db_path, F_OK) != 0)
        return err_set(e, tr("không có cơ sở dữ liệu '%s'", "no database '%s'"), db_path);
    if (strlen(dest) + 5 > sizeof tmp)
        return err_set(e, tr("tên tệp quá dài: %s", "file name too long: %s"), dest);
    snprintf(tmp, sizeof tmp, "%s.tmp", dest);
    remove(tmp);
    if (open_db(db_path, SQLITE_OPEN_READWRITE, &src, e) != 0 ||
        open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e) != 0)
        goto cleanup;
    if (copy_db(dst, src, tmp, e) != 0)
        goto cleanup;
    if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(e, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto cleanup;
    }
    if (sqlite3_close(dst) != SQLITE_OK) {
        err_set(e, "%s: %s", tmp, sqlite3_errmsg(dst));
        goto cleanup;
    }
    dst = NULL;
    if (rename(tmp, dest) != 0) {
        err_set(e, tr("không đổi tên được '%s' thành '%s'", "cannot rename '%s' to '%s'"), tmp, dest);
        goto cleanup;
    }
    file_sync_dir(dest);
    rc = 0;
cleanup:
    sqlite3_close(dst);
    sqlite3_close(src);
    if (rc != 0)
        remove(tmp);
    return rc;
}

/* The row count of table, or -1 when the file has no such table. */
static long long count_rows(sqlite3 *db, const char *table)
{
    char sql[96];
    sqlite3_stmt *st = NULL;
    long long n = -1;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The first text column of the first row of sql into out ("" if none); 0, or -1 if it failed. */
static int first_text(sqlite3 *db, const char *sql, char *out, size_t n)
{
    sqlite3_stmt *st = NULL;
    int r = -1;
    *out = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            const unsigned char *t = sqlite3_column_text(st, 0);
            snprintf(out, n, "%s", t ? (const char *)t : "");
        }
        r = s == SQLITE_ROW || s == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return r;
}

static void read_counts(sqlite3 *db, store_info *out)
{
    out->units = count_rows(db, "unit");
    out->indicators = count_rows(db, "indicator");
    out->terms = count_rows(db, "term");
    out->targets = count_rows(db, "target");
    out->values = count_rows(db, "value");
    out->batches = count_rows(db, "batch");
    out->history = count_rows(db, "history");
    out->users = count_rows(db, "app_user");
    out->audit = count_rows(db, "audit");
}

int store_verify_file(const char *path, store_info *out, err_t *e)
{
    sqlite3 *db = NULL;
    char v[32];
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (refuse_pg(path, 0, e) != 0)
        return -1;
    if (access(path, R_OK) != 0)
        return err_set(e, tr("không đọc được tệp '%s'", "cannot read the file '%s'"), path);
    if (open_db(path, SQLITE_OPEN_READONLY, &db, e) != 0)
        goto cleanup;
    if (first_text(db, "PRAGMA integrity_check(1)", out->integrity, sizeof out->integrity) != 0) {
        err_set(e, tr("'%s' không phải cơ sở dữ liệu SQLite đọc được: %s", "'%s' is not a readable SQLite database: %s"),
                path, sqlite3_errmsg(db));
        goto cleanup;
    }
    if (strcmp(out->integrity, "ok") != 0) {
        err_set(e, tr("'%s' hỏng (integrity_check): %s", "'%s' is damaged (integrity_check): %s"), path, out->integrity);
        goto cleanup;
    }
    if (first_text(db, "SELECT value FROM meta WHERE key='schema_version'", v, sizeof v) != 0 || !*v) {
        err_set(e, tr("'%s' không phải cơ sở dữ liệu chitieu (không ghi phiên bản lược đồ)",
                      "'%s' is not a chitieu database (no schema version)"), path);
        goto cleanup;
    }
    out->version = atoi(v);
    read_counts(db, out);
    if (out->version < 1 || out->units < 0 || out->indicators < 0 || out->values < 0 || out->targets < 0) {
        err_set(e, tr("'%s' không phải cơ sở dữ liệu chitieu (phiên bản '%s', thiếu bảng)",
                      "'%s' is not a chitieu database (version '%s', tables missing)"), path, v);
        goto cleanup;
    }
    if (out->version > STORE_SCHEMA_VERSION) {
        err_set(e, tr("'%s': cơ sở dữ liệu có phiên bản lược đồ %d, mới hơn bản chương trình này (%d): "
                      "hãy nâng cấp chitieu",
                      "'%s': the database has schema version %d, newer than this program's (%d): upgrade chitieu"),
                path, out->version, STORE_SCHEMA_VERSION);
        goto cleanup;
    }
    rc = 0;
cleanup:
    sqlite3_close(db);
    return rc;
}

/* 1 if the file at path holds data (or is not readable as an empty chitieu database), else 0. */
static int holds_data(const char *path, char *what, size_t n)
{
    sqlite3 *db = NULL;
    err_t e;
    *what = '\0';
    if (access(path, F_OK) != 0)
        return 0;
    if (open_db(path, SQLITE_OPEN_READONLY, &db, &e) != 0) {
        snprintf(what, n, "%s", e.msg);
        return 1;
    }
    char tables[32];
    int r = first_text(db, "SELECT count(*) FROM sqlite_master", tables, sizeof tables);
    store_info i;
    read_counts(db, &i);
    sqlite3_close(db);
    if (r != 0) {
        snprintf(what, n, "%s", tr("không đọc được", "unreadable"));
        return 1;
    }
    if (strcmp(tables, "0") == 0)
        return 0;
    if (i.units < 0 || i.indicators < 0 || i.values < 0 || i.targets < 0) {
        snprintf(what, n, "%s", tr("không phải cơ sở dữ liệu chitieu", "not a chitieu database"));
        return 1;
    }
    snprintf(what, n, tr("%lld đơn vị, %lld chỉ tiêu, %lld số liệu, %lld kế hoạch, %lld người dùng",
                         "%lld units, %lld indicators, %lld values, %lld targets, %lld users"),
             i.units, i.indicators, i.values, i.targets, i.users > 0 ? i.users : 0);
    return i.units + i.indicators + i.values + i.targets + (i.users > 0 ? i.users : 0) > 0;
}

int store_restore_file(const char *src_path, const char *db_path, int force, store_info *out, err_t *e)
{
    sqlite3 *src = NULL, *dst = NULL;
    store *s = NULL;
    char what[1100];
    int rc = -1;
    if (refuse_pg(db_path, 1, e) != 0 || refuse_pg(src_path, 1, e) != 0)
        return -1;
    if (store_verify_file(src_path, out, e) != 0)
        return err_prefix(e, tr("bản sao lưu không dùng được", "the backup cannot be used"));
    if (!force && holds_data(db_path, what, sizeof what))
        return err_set(e, tr("'%s' đã có dữ liệu (%s): không ghi đè; dùng --force nếu đúng là muốn thay",
                             "'%s' already holds data (%s): not overwritten; use --force to replace it"),
                       db_path, what);
    if (open_db(src_path, SQLITE_OPEN_READONLY, &src, e) != 0 ||
        open_db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, e) != 0)
        goto cleanup;
    if (copy_db(dst, src, db_path, e) != 0)
        goto cleanup;
    /* a restored database is not the one any engine image was made from: it gets a new image id
     * when a server first writes one (docs/internals/engine_image.md) */
    if (sqlite3_exec(dst, "DELETE FROM meta WHERE key='engine_image_id'", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
        err_set(e, "%s: %s", db_path, sqlite3_errmsg(dst));
        goto cleanup;
    }
    sqlite3_close(dst);
    dst = NULL;
    /* an older backup is upgraded here, as any older database is when opened */
    if (store_open(db_path, 0, &s, e) != 0)
        goto cleanup;
    store_close(s);
    if (store_verify_file(db_path, out, e) != 0)
        goto cleanup;
    rc = 0;
cleanup:
    sqlite3_close(dst);
    sqlite3_close(src);
    return rc;
}
