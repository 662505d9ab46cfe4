/* store_sqlite_multi.c - the change feed and the shared API rate buckets (see store_multi.h),
 * on both backends through the sq_* layer; the wait for PostgreSQL's notices is store_pg.c's.
 *
 * Data flow: write.c -> store_feed_begin (window start, in the writer's transaction) -> the
 * writes -> store_feed_log (rows, window end, pruning) -> commit.  web_feed.c -> store_feed_wait
 * (on its own handle) -> store_feed_read (on the reloader's handle, in a read snapshot).
 * Nothing here outlives a call but the handle's window (s->feed_*). */
#include "store_multi.h"
#include "store_sqlite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* SQLite's part; PostgreSQL's is in pg_schema (store_pg.c). */
const char store_multi_schema[] =
    "CREATE TABLE IF NOT EXISTS change_log(seq INTEGER PRIMARY KEY, gen_from INTEGER NOT NULL,"
    " gen_to INTEGER NOT NULL, at INTEGER NOT NULL, kind INTEGER NOT NULL, indicator TEXT NOT NULL,"
    " unit TEXT NOT NULL, period TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS change_log_gen ON change_log(gen_to);"
    "CREATE INDEX IF NOT EXISTS change_log_at ON change_log(at);"
    "CREATE TABLE IF NOT EXISTS api_bucket(key TEXT PRIMARY KEY, milli INTEGER NOT NULL,"
    " last_ms INTEGER NOT NULL, ok INTEGER NOT NULL) WITHOUT ROWID;";

static int64_t read_gen(store *s, const char *sql, err_t *e)
{
    sq_stmt *st = NULL;
    if (sq_prepare(s, sql, &st) != 0)
        return sq_err(s, e);
    int r = sq_step(s, st, "change_log", e);
    int64_t g = r > 0 ? sq_col_int64(st, 0) : r == 0 ? 0 : -1;
    sq_finalize(st);
    return g;
}

#define GEN_SQL "SELECT CAST(value AS BIGINT) FROM meta WHERE key='generation'"

int store_feed_begin(store *s, err_t *e)
{
    s->feed_state = 0;
    s->feed_quiet = 0;
    int64_t g = read_gen(s, SQ_SQL(s, GEN_SQL, GEN_SQL " FOR UPDATE"), e);
    if (g < 0)
        return -1;
    s->feed_from = g;
    s->feed_state = 1;
    return 0;
}

int store_feed_log(store *s, const store_feed_row *rows, int n, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1;
    if (s->feed_state != 1)
        return err_set(e, "change_log: no store_feed_begin in this transaction");
    int64_t to = read_gen(s, GEN_SQL, e), now = (int64_t)time(NULL);
    if (to < 0)
        return -1;
    if (sq_prepare(s, "INSERT INTO change_log(gen_from,gen_to,at,kind,indicator,unit,period)"
                      " VALUES(?1,?2,?3,?4,?5,?6,?7)", &st) != 0) {
        sq_err(s, e);
        goto cleanup;
    }
    for (int k = 0; k < n; k++) {
        sq_rewind(st);
        sq_int64(s, st, 1, s->feed_from);
        sq_int64(s, st, 2, to);
        sq_int64(s, st, 3, now);
        sq_int64(s, st, 4, rows[k].kind);
        sq_text(s, st, 5, rows[k].ind);
        sq_text(s, st, 6, rows[k].unit);
        sq_text(s, st, 7, rows[k].period);
        if (sq_step(s, st, "change_log", e) < 0 || sq_reset(s, st, "change_log", e) != 0)
            goto cleanup;
    }
    sq_finalize(st);
    st = NULL;
    if (sq_prepare(s, "DELETE FROM change_log WHERE at < ?1", &st) != 0) {
        sq_err(s, e);
        goto cleanup;
    }
    sq_int64(s, st, 1, now - STORE_FEED_KEEP_S);
    if (sq_step(s, st, "change_log", e) < 0)
        goto cleanup;
    s->feed_to = to;
    s->feed_state = 2;
    rc = 0;
cleanup:
    sq_finalize(st);
    return rc;
}

void store_feed_auto(store *s, int on)
{
    s->feed_auto = on;
}

int store_feed_commit(store *s, err_t *e)
{
    if (!s->feed_auto || s->feed_state != 1)
        return 0;
    int64_t g = read_gen(s, GEN_SQL, e);
    if (g < 0)
        return -1;
    if (g == s->feed_from)
        return 0;                   /* nothing another server must know */
    store_feed_row window = { .kind = s->feed_quiet ? STORE_FEED_NONE : STORE_FEED_RELOAD };
    return store_feed_log(s, &window, 1, e);
}

void store_feed_quiet(store *s)
{
    s->feed_quiet = 1;
}

int store_feed_last(store *s, int64_t *from, int64_t *to)
{
    if (s->feed_state != 2)
        return 0;
    *from = s->feed_from;
    *to = s->feed_to;
    s->feed_state = 0;
    return 1;
}

static void copy_code(char *dst, size_t n, const char *src, int *bad)
{
    src = src ? src : "";
    size_t len = strlen(src);
    if (len >= n) {
        *bad = 1;                   /* too long to hold: the reader reads everything instead */
        len = n - 1;
    }
    memcpy(dst, src, len);
    dst[len] = '\0';
}

int store_feed_read(store *s, int64_t since, int max, store_feed_row **out, err_t *e)
{
    sq_stmt *st = NULL;
    store_feed_row *v = NULL;
    int n = 0, cap = 0, r;
    *out = NULL;
    if (sq_prepare(s, "SELECT gen_from, gen_to, kind, indicator, unit, period FROM change_log"
                      " WHERE gen_to > ?1 ORDER BY gen_to, seq", &st) != 0)
        return sq_err(s, e);
    sq_int64(s, st, 1, since);
    while (n <= max && (r = sq_step(s, st, "change_log", e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            store_feed_row *g = realloc(v, (size_t)cap * sizeof *g);
            if (g == NULL) {
                err_set(e, "out of memory");
                goto fail;
            }
            v = g;
        }
        store_feed_row *c = &v[n++];
        int bad = 0;
        c->gen_from = sq_col_int64(st, 0);
        c->gen_to = sq_col_int64(st, 1);
        c->kind = sq_col_int(st, 2);
        copy_code(c->ind, sizeof c->ind, sq_col_text(st, 3), &bad);
        copy_code(c->unit, sizeof c->unit, sq_col_text(st, 4), &bad);
        copy_code(c->period, sizeof c->period, sq_col_text(st, 5), &bad);
        if (bad)
            c->kind = STORE_FEED_RELOAD;
    }
    if (n <= max && r < 0)
        goto fail;
    sq_finalize(st);
    *out = v;
    return n;
fail:
    sq_finalize(st);
    free(v);
    return -1;
}

int store_feed_listen(store *s, err_t *e)
{
    if (s->pg == NULL)
        return 0;
    return sq_exec(s, "LISTEN chitieu_feed") == 0 ? 0 : sq_err(s, e);
}

int store_feed_notices(const store *s)
{
    return s->pg != NULL;
}

int store_feed_wait(store *s, int wake_fd, int timeout_ms, err_t *e)
{
    return store_pg_wait(s, wake_fd, timeout_ms, e);
}

int store_rate_shared(const store *s)
{
    return s->pg != NULL;
}

/* The bucket refilled for the time since its last use (thousandths, capped at the burst), one
 * request taken when it holds one (ok = 1); the row as it ends.  One statement: atomic. */
static const char rate_sql[] =
    "INSERT INTO api_bucket(key,milli,last_ms,ok) VALUES(?1,?3-1000,?4,1)"
    " ON CONFLICT(key) DO UPDATE SET"
    " ok = CASE WHEN (CASE WHEN api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms"
    "   THEN ?4 - api_bucket.last_ms ELSE 0 END) * ?2 / 60 > ?3 THEN ?3"
    "   ELSE api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms THEN ?4 - api_bucket.last_ms ELSE 0 END)"
    "   * ?2 / 60 END) >= 1000 THEN 1 ELSE 0 END,"
    " milli = (CASE WHEN api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms"
    "   THEN ?4 - api_bucket.last_ms ELSE 0 END) * ?2 / 60 > ?3 THEN ?3"
    "   ELSE api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms THEN ?4 - api_bucket.last_ms ELSE 0 END)"
    "   * ?2 / 60 END)"
    "  - (CASE WHEN (CASE WHEN api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms"
    "   THEN ?4 - api_bucket.last_ms ELSE 0 END) * ?2 / 60 > ?3 THEN ?3"
    "   ELSE api_bucket.milli + (CASE WHEN ?4 > api_bucket.last_ms THEN ?4 - api_bucket.last_ms ELSE 0 END)"
    "   * ?2 / 60 END) >= 1000 THEN 1000 ELSE 0 END),"
    " last_ms = CASE WHEN ?4 > api_bucket.last_ms THEN ?4 ELSE api_bucket.last_ms END"
    " RETURNING ok, milli";

int store_rate_take(store *s, const char *key, int64_t per_minute, int64_t burst_milli, int64_t now_ms, err_t *e)
{
    sq_stmt *st = NULL;
    if (per_minute < 1)
        per_minute = 1;
    if (sq_prepare(s, rate_sql, &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, key);
    sq_int64(s, st, 2, per_minute);
    sq_int64(s, st, 3, burst_milli);
    sq_int64(s, st, 4, now_ms);
    int r = sq_step(s, st, "api_bucket", e);
    int ok = r > 0 ? sq_col_int(st, 0) : 0;
    int64_t milli = r > 0 ? sq_col_int64(st, 1) : 0;
    sq_finalize(st);
    if (r <= 0)
        return r == 0 ? err_set(e, "api_bucket: no row") : -1;
    if (ok)
        return 0;
    int64_t need_ms = ((1000 - milli) * 60 + per_minute - 1) / per_minute;
    int wait = (int)((need_ms + 999) / 1000);
    return wait < 1 ? 1 : wait;
}
