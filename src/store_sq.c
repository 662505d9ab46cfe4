/* store_sq.c - the store's statement layer (store_sqlite.h): one API over SQLite and PostgreSQL.
 *
 * A sq_stmt wraps either a sqlite3_stmt (the handle has a sqlite3 connection) or a libpq
 * statement of store_pg.c (the handle has a PGconn); every call dispatches on which one is
 * set.  The SQLite side is a thin pass-through.  Binding failures are remembered on the handle
 * (bind_rc / bind_st) and reported by the statement's next sq_step, so a statement binds all
 * its parameters and is checked once.  The statement owns its backend statement; the handle
 * owns the connection.
 */
#include "store_sqlite.h"

#include "liberr.h"
#include "vn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sq_stmt {
    store *s;
    sqlite3_stmt *lite;              /* SQLite, or NULL */
    pq_stmt *pq;                     /* PostgreSQL, or NULL */
};

/* a text parameter that is not UTF-8 (no bind call returns this code) */
enum { SQ_NOT_UTF8 = SQLITE_MISMATCH };

/* libpq's type oids for the parameters we send (server/catalog/pg_type_d.h) */
enum { OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

static int prepare(store *s, const char *sql, int keep, sq_stmt **out)
{
    sq_stmt *st = calloc(1, sizeof *st);
    *out = NULL;
    if (st == NULL) {
        if (s->pg)
            snprintf(s->pg_err, sizeof s->pg_err, "out of memory");
        return -1;
    }
    st->s = s;
    int rc;
    if (s->pg)
        rc = pq_prepare(s, sql, keep, &st->pq);
    else
        rc = sqlite3_prepare_v3(s->db, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st->lite, NULL) == SQLITE_OK
                 ? 0
                 : -1;
    if (rc != 0) {
        sq_finalize(st);
        return -1;
    }
    *out = st;
    return 0;
}

int sq_prepare(store *s, const char *sql, sq_stmt **out)
{
    return prepare(s, sql, 0, out);
}

int sq_prepare_keep(store *s, const char *sql, sq_stmt **out)
{
    return prepare(s, sql, 1, out);
}

void sq_stream(sq_stmt *st)
{
    if (st->pq)
        pq_stream(st->pq);
}

void sq_finalize(sq_stmt *st)
{
    if (st == NULL)
        return;
    if (st->s->bind_st == st) {
        st->s->bind_st = NULL;
        st->s->bind_rc = SQLITE_OK;
    }
    sqlite3_finalize(st->lite);
    pq_finalize(st->pq);
    free(st);
}

int sq_exec(store *s, const char *sql)
{
    if (s->pg)
        return pq_exec(s, sql);
    return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

const char *sq_errmsg(store *s)
{
    return s->pg ? s->pg_err : liberr_sqlite(sqlite3_extended_errcode(s->db), sqlite3_errmsg(s->db));
}

/* "database" is the generic name, shown in the user's language. */
static const char *what_name(const char *what)
{
    return strcmp(what, "database") == 0 ? tr("cơ sở dữ liệu", "database") : what;
}

int sq_err(store *s, err_t *e)
{
    return err_set(e, "%s: %s", what_name("database"), sq_errmsg(s));
}

int sq_busy(store *s)
{
    if (s->pg)
        return strcmp(s->pg_state, "55P03") == 0;
    return (sqlite3_errcode(s->db) & 0xff) == SQLITE_BUSY;
}

void sq_busy_timeout(store *s, int ms)
{
    if (s->db)
        sqlite3_busy_timeout(s->db, ms);
}

int sq_changes(store *s)
{
    return s->pg ? s->pg_changes : sqlite3_changes(s->db);
}

static void bound(store *s, sq_stmt *st, int rc)
{
    if (rc != SQLITE_OK && (s->bind_rc == SQLITE_OK || s->bind_st != st)) {
        s->bind_rc = rc;
        s->bind_st = st;
    }
}

/* PostgreSQL binds fail only when out of memory. */
static int pq_bound(sq_stmt *st, int i, const char *v, int copy, unsigned type)
{
    return pq_bind(st->pq, i, v, copy, type) == 0 ? SQLITE_OK : SQLITE_NOMEM;
}

/* Text that is not UTF-8 (a command-line argument typed in a legacy encoding): PostgreSQL refuses
 * it, SQLite would keep the bytes; both refuse it here, with one message (sq_step). */
static int utf8_ok(const char *v)
{
    return v == NULL || vn_utf8_valid(v, strlen(v));
}

void sq_text(store *s, sq_stmt *st, int i, const char *v)
{
    if (!utf8_ok(v))
        bound(s, st, SQ_NOT_UTF8);
    else
        bound(s, st, st->pq ? pq_bound(st, i, v, 0, OID_TEXT) : sqlite3_bind_text(st->lite, i, v, -1, SQLITE_STATIC));
}

void sq_text_copy(store *s, sq_stmt *st, int i, const char *v)
{
    if (!utf8_ok(v))
        bound(s, st, SQ_NOT_UTF8);
    else
        bound(s, st, st->pq ? pq_bound(st, i, v, 1, OID_TEXT) : sqlite3_bind_text(st->lite, i, v, -1, SQLITE_TRANSIENT));
}

void sq_int64(store *s, sq_stmt *st, int i, int64_t v)
{
    if (st->pq == NULL) {
        bound(s, st, sqlite3_bind_int64(st->lite, i, v));
        return;
    }
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)v);
    bound(s, st, pq_bound(st, i, num, 1, OID_INT8));
}

void sq_double(store *s, sq_stmt *st, int i, double v)
{
    v = v == 0 ? 0.0 : v;            /* -0 is 0: SQLite stores it so, PostgreSQL would keep the sign */
    if (st->pq == NULL) {
        bound(s, st, sqlite3_bind_double(st->lite, i, v));
        return;
    }
    char num[40];
    snprintf(num, sizeof num, "%.17g", v);
    bound(s, st, pq_bound(st, i, num, 1, OID_FLOAT8));
}

void sq_null(store *s, sq_stmt *st, int i)
{
    bound(s, st, st->pq ? pq_bound(st, i, NULL, 0, 0) : sqlite3_bind_null(st->lite, i));
}

void sq_clear(sq_stmt *st)
{
    if (st->lite)
        sqlite3_clear_bindings(st->lite);
    /* PostgreSQL: the next use binds every parameter again (lookup_id's only one) */
}

int sq_step(store *s, sq_stmt *st, const char *what, err_t *e)
{
    if (s->bind_rc != SQLITE_OK && s->bind_st == st) {
        int rc = s->bind_rc;
        s->bind_rc = SQLITE_OK;
        s->bind_st = NULL;
        if (rc == SQ_NOT_UTF8)
            return err_set(e, "%s: %s", what_name(what),
                           tr("văn bản không phải UTF-8 hợp lệ (gõ bằng bảng mã cũ?), không ghi",
                              "text that is not valid UTF-8 (typed in a legacy encoding?), not written"));
        return err_set(e, "%s: %s (%s)", what_name(what), liberr_sqlite(rc, NULL),
                       tr("gắn tham số", "binding a parameter"));
    }
    if (st->pq) {
        int r = pq_step(s, st->pq);
        return r >= 0 ? r : err_set(e, "%s: %s", what_name(what), s->pg_err);
    }
    int r = sqlite3_step(st->lite);
    if (r == SQLITE_ROW)
        return 1;
    if (r == SQLITE_DONE)
        return 0;
    return err_set(e, "%s: %s", what_name(what), sq_errmsg(s));
}

int sq_reset(store *s, sq_stmt *st, const char *what, err_t *e)
{
    if (st->pq) {
        pq_reset(st->pq);
        return 0;
    }
    return sqlite3_reset(st->lite) == SQLITE_OK ? 0 : err_set(e, "%s: %s", what_name(what), sq_errmsg(s));
}

void sq_rewind(sq_stmt *st)
{
    if (st->pq)
        pq_reset(st->pq);
    else
        sqlite3_reset(st->lite);
}

const char *sq_col_text(sq_stmt *st, int i)
{
    if (st->pq)
        return pq_col(st->pq, i);
    return (const char *)sqlite3_column_text(st->lite, i);
}

int64_t sq_col_int64(sq_stmt *st, int i)
{
    if (st->pq == NULL)
        return sqlite3_column_int64(st->lite, i);
    const char *v = pq_col(st->pq, i);
    return v ? strtoll(v, NULL, 10) : 0;
}

int sq_col_int(sq_stmt *st, int i)
{
    if (st->pq == NULL)
        return sqlite3_column_int(st->lite, i);
    return (int)sq_col_int64(st, i);
}

double sq_col_double(sq_stmt *st, int i)
{
    if (st->pq == NULL)
        return sqlite3_column_double(st->lite, i);
    const char *v = pq_col(st->pq, i);
    return v ? strtod(v, NULL) : 0.0;
}

int sq_col_null(sq_stmt *st, int i)
{
    if (st->pq)
        return pq_col(st->pq, i) == NULL;
    return sqlite3_column_type(st->lite, i) == SQLITE_NULL;
}
