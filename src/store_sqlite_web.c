/* store_sqlite_web.c - the SQLite tables of store_web.h: app_user, session, api_token,
 * submission and audit, plus the generation counter the web server uses to notice that
 * another process (an import from the command line) changed the data under it.
 *
 * Statements are prepared per call (these are small, infrequent queries; the figures'
 * hot paths live in store_sqlite.c).  Every parameter is bound; text columns copied
 * out are truncated to the caller's fixed-size fields, which are sized above the
 * limits the web layer enforces on input.
 */
#include "store_sqlite.h"
#include "store_web.h"
#include "vn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char store_web_schema[] =
    "CREATE TABLE IF NOT EXISTS app_user(id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, unit TEXT NOT NULL, pwhash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS session(hash TEXT PRIMARY KEY, user INTEGER NOT NULL"
    " REFERENCES app_user(id), csrf TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS api_token(hash TEXT PRIMARY KEY, user INTEGER NOT NULL"
    " REFERENCES app_user(id), name TEXT NOT NULL, created TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS submission(unit TEXT NOT NULL, period TEXT NOT NULL,"
    " state TEXT NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(unit, period)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, who TEXT NOT NULL,"
    " action TEXT NOT NULL, object TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '');"
    /* Failed logins per key ("addr:...", "user:...", "pair:..."): survive a restart. */
    "CREATE TABLE IF NOT EXISTS login_throttle(key TEXT PRIMARY KEY, fails INTEGER NOT NULL,"
    " last_at INTEGER NOT NULL) WITHOUT ROWID;"
    /* A user's TOTP secret (base32) and the last time step used, so a code works once. */
    "CREATE TABLE IF NOT EXISTS user_totp(user INTEGER PRIMARY KEY REFERENCES app_user(id),"
    " secret TEXT NOT NULL, last_step INTEGER NOT NULL DEFAULT 0);"
    /* A password accepted, the second factor awaited: the hash of the ticket the form carries. */
    "CREATE TABLE IF NOT EXISTS login_pending(hash TEXT PRIMARY KEY, user INTEGER NOT NULL"
    " REFERENCES app_user(id), expires INTEGER NOT NULL) WITHOUT ROWID;"
    /* The generation moves whenever the model a server holds in memory may be stale: a new
     * batch of figures, or a unit, indicator or term written by anyone (a succession too: its
     * triggers are in store_sqlite.c's schema, beside its table). */
    "INSERT OR IGNORE INTO meta VALUES('generation','0');"
    "CREATE TRIGGER IF NOT EXISTS gen_batch AFTER INSERT ON batch BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_unit_i AFTER INSERT ON unit BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_unit_u AFTER UPDATE ON unit BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_ind_i AFTER INSERT ON indicator BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_ind_u AFTER UPDATE ON indicator BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_term AFTER INSERT ON term BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;"
    "CREATE TRIGGER IF NOT EXISTS gen_term_u AFTER UPDATE ON term BEGIN"
    " UPDATE meta SET value=value+1 WHERE key='generation'; END;";

static const char *const sub_keys[] = { "draft", "submitted", "approved", "returned" };

const char *store_sub_key(int state)
{
    return state >= 0 && state <= SUB_RETURNED ? sub_keys[state] : "draft";
}

static int sub_parse(const char *s)
{
    for (int i = 0; i <= SUB_RETURNED; i++)
        if (strcmp(s, sub_keys[i]) == 0)
            return i;
    return SUB_DRAFT;
}

/* Binds the arguments described by types: 't' text, 'i' int64 (a failure is reported by the
 * statement's next sq_step). */
static void bind_all(store *s, sq_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't')
            sq_text_copy(s, st, i + 1, va_arg(ap, const char *));
        else
            sq_int64(s, st, i + 1, va_arg(ap, int64_t));
    }
}

/* Prepares sql and binds the arguments described by types. */
static sq_stmt *prep(store *s, err_t *e, const char *sql, const char *types, ...)
{
    sq_stmt *st = NULL;
    if (sq_prepare(s, sql, &st) != 0) {
        sq_err(s, e);
        return NULL;
    }
    va_list ap;
    va_start(ap, types);
    bind_all(s, st, types, ap);
    va_end(ap);
    return st;
}

/* The hot statement idx (prepared once per handle, kept), reset, with the arguments bound as prep. */
static sq_stmt *hot(store *s, err_t *e, int idx, const char *sql, const char *types, ...)
{
    sq_stmt *st = s->wq[idx];
    if (st == NULL) {
        if (sq_prepare_keep(s, sql, &st) != 0) {
            sq_err(s, e);
            return NULL;
        }
        s->wq[idx] = st;
    }
    sq_rewind(st);   /* normally a no-op: every use resets (and checks) after its step */
    va_list ap;
    va_start(ap, types);
    bind_all(s, st, types, ap);
    va_end(ap);
    return st;
}

/* Steps a statement to completion and finalizes it; returns the number of rows changed or -1. */
static int done(store *s, sq_stmt *st, err_t *e)
{
    if (st == NULL)
        return -1;
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc < 0 ? -1 : sq_changes(s);
}

static void copy_col(sq_stmt *st, int i, char *out, size_t n)
{
    const char *t = sq_col_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

static void now_iso(char *out, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

#define USER_COLS "id,login,name,role,unit,disabled"

static void user_row(sq_stmt *st, web_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sq_col_int64(st, 0);
    copy_col(st, 1, u->login, sizeof u->login);
    copy_col(st, 2, u->name, sizeof u->name);
    copy_col(st, 3, u->role, sizeof u->role);
    copy_col(st, 4, u->unit, sizeof u->unit);
    u->disabled = sq_col_int(st, 5);
}

int store_user_add(store *s, const web_user *u, const char *pwhash, err_t *e)
{
    web_user old;
    int r = store_user_get(s, u->login, &old, NULL, 0, e);
    if (r != 0)
        return r < 0 ? -1 : err_set(e, tr("đã có người dùng '%s'", "user '%s' already exists"), u->login);
    char at[32];
    now_iso(at, sizeof at);
    return done(s, prep(s, e, "INSERT INTO app_user(login,name,role,unit,pwhash,disabled,created)"
                              " VALUES(?1,?2,?3,?4,?5,0,?6)", "tttttt",
                        u->login, u->name, u->role, u->unit, pwhash, at), e) < 0 ? -1 : 0;
}

int store_user_get(store *s, const char *login, web_user *u, char *pwhash, size_t pwlen, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT " USER_COLS ",pwhash FROM app_user WHERE login=?1", "t", login);
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "database", e);
    if (found > 0) {
        user_row(st, u);
        if (pwhash)
            copy_col(st, 6, pwhash, pwlen);
    }
    sq_finalize(st);
    return found;
}

static int end_sessions(store *s, const char *login, err_t *e)
{
    return done(s, prep(s, e, "DELETE FROM session WHERE \"user\"=(SELECT id FROM app_user WHERE login=?1)",
                        "t", login), e) < 0 ? -1 : 0;
}

int store_user_set_password(store *s, const char *login, const char *pwhash, err_t *e)
{
    int n = done(s, prep(s, e, "UPDATE app_user SET pwhash=?2 WHERE login=?1", "tt", login, pwhash), e);
    if (n < 0 || end_sessions(s, login, e) != 0)
        return -1;
    return n > 0;
}

int store_user_set_disabled(store *s, const char *login, int disabled, err_t *e)
{
    int n = done(s, prep(s, e, "UPDATE app_user SET disabled=?2 WHERE login=?1", "ti", login,
                         (int64_t)disabled), e);
    if (n < 0 || end_sessions(s, login, e) != 0)
        return -1;
    return n > 0;
}

int store_user_list(store *s, web_user **out, err_t *e)
{
    *out = NULL;
    sq_stmt *st = prep(s, e, "SELECT " USER_COLS " FROM app_user ORDER BY login", "");
    if (st == NULL)
        return -1;
    int n = 0, cap = 0, r;
    while ((r = sq_step(s, st, "database", e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            web_user *p = realloc(*out, (size_t)cap * sizeof *p);
            if (p == NULL) {
                sq_finalize(st);
                free(*out);
                *out = NULL;
                return err_set(e, "out of memory");
            }
            *out = p;
        }
        user_row(st, &(*out)[n++]);
    }
    sq_finalize(st);
    if (r < 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return n;
}

int store_session_put(store *s, const char *hash, int64_t user, const char *csrf, int64_t expires,
                      err_t *e)
{
    /* Expired sessions go whenever a new one starts, so the table stays small. */
    if (done(s, prep(s, e, "DELETE FROM session WHERE expires<?1", "i", (int64_t)time(NULL)), e) < 0)
        return -1;
    return done(s, prep(s, e, "INSERT INTO session(hash,\"user\",csrf,expires) VALUES(?1,?2,?3,?4)",
                        "titi", hash, user, csrf, expires), e) < 0 ? -1 : 0;
}

int store_session_get(store *s, const char *hash, int64_t now, int64_t new_expires, web_user *u,
                      char *csrf, size_t csrflen, err_t *e)
{
    sq_stmt *st = hot(s, e, WQ_SESSION, "SELECT u.id,u.login,u.name,u.role,u.unit,u.disabled,s.csrf,s.expires"
                                             " FROM session s JOIN app_user u ON u.id=s.\"user\""
                                             " WHERE s.hash=?1 AND s.expires>=?2 AND u.disabled=0",
                           "ti", hash, now);
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "database", e);
    int64_t expires = 0;
    if (found > 0) {
        user_row(st, u);
        copy_col(st, 6, csrf, csrflen);
        expires = sq_col_int64(st, 7);
    }
    if (sq_reset(s, st, "database", e) != 0 || found < 0)
        return -1;
    /* Sliding expiry, written at most once a minute per session: most requests only read.  While
     * another process holds the write lock (a long import) the session is extended later: a
     * request never waits for, or fails on, the lock just to move its expiry. */
    if (found && expires < new_expires - 60) {
        sq_busy_timeout(s, 0);
        int r = done(s, prep(s, e, "UPDATE session SET expires=?2 WHERE hash=?1", "ti", hash, new_expires), e);
        int busy = r < 0 && sq_busy(s);
        sq_busy_timeout(s, 5000);
        if (r < 0 && !busy)
            return -1;
        if (busy)
            e->msg[0] = '\0';       /* not an error: e holds no message when the call succeeds */
    }
    return found;
}

int store_session_del(store *s, const char *hash, err_t *e)
{
    return done(s, prep(s, e, "DELETE FROM session WHERE hash=?1", "t", hash), e) < 0 ? -1 : 0;
}

int store_token_put(store *s, const char *hash, const char *login, const char *name, err_t *e)
{
    char at[32];
    now_iso(at, sizeof at);
    int n = done(s, prep(s, e, "INSERT INTO api_token(hash,\"user\",name,created)"
                               " SELECT ?1,id,?3,?4 FROM app_user WHERE login=?2",
                         "tttt", hash, login, name, at), e);
    if (n < 0)
        return -1;
    return n == 0 ? err_set(e, tr("không có người dùng '%s'", "no user '%s'"), login) : 0;
}

int store_token_get(store *s, const char *hash, web_user *u, err_t *e)
{
    sq_stmt *st = hot(s, e, WQ_TOKEN, "SELECT u.id,u.login,u.name,u.role,u.unit,u.disabled FROM api_token t"
                                           " JOIN app_user u ON u.id=t.\"user\" WHERE t.hash=?1 AND u.disabled=0",
                           "t", hash);
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "database", e);
    if (found > 0)
        user_row(st, u);
    if (sq_reset(s, st, "database", e) != 0)
        return -1;
    return found;
}

static void sub_row(sq_stmt *st, web_sub *out)
{
    memset(out, 0, sizeof *out);
    copy_col(st, 0, out->unit, sizeof out->unit);
    copy_col(st, 1, out->period, sizeof out->period);
    out->state = sub_parse(sq_col_text(st, 2));
    copy_col(st, 3, out->at, sizeof out->at);
    copy_col(st, 4, out->who, sizeof out->who);
    copy_col(st, 5, out->comment, sizeof out->comment);
}

int store_sub_get(store *s, const char *unit, const char *period, web_sub *out, err_t *e)
{
    sq_stmt *st = hot(s, e, WQ_SUB, "SELECT unit,period,state,at,who,comment FROM submission"
                                         " WHERE unit=?1 AND period=?2", "tt", unit, period);
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "database", e);
    if (found > 0)
        sub_row(st, out);
    else {
        memset(out, 0, sizeof *out);
        snprintf(out->unit, sizeof out->unit, "%s", unit);
        snprintf(out->period, sizeof out->period, "%s", period);
    }
    if (sq_reset(s, st, "database", e) != 0)
        return -1;
    return found;
}

int store_sub_was_unlock(store *s, const web_sub *sub, err_t *e)
{
    /* Both steps leave the state 'returned'; the audit row written with it (write_approval: the
     * unit, who, the reason) tells which step it was. */
    sq_stmt *st = prep(s, e, "SELECT action FROM audit WHERE object=?1 AND who=?2 AND detail=?3"
                                  " AND action IN ('return','unlock') ORDER BY id DESC LIMIT 1",
                            "ttt", sub->unit, sub->who, sub->comment);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    int unlock = r > 0 && strcmp(sq_col_text(st, 0), "unlock") == 0;
    sq_finalize(st);
    return r < 0 ? -1 : unlock;
}

int store_sub_put(store *s, const char *unit, const char *period, int state, const char *who,
                  const char *comment, err_t *e)
{
    char at[32];
    now_iso(at, sizeof at);
    return done(s, prep(s, e, "INSERT INTO submission(unit,period,state,at,who,comment)"
                              " VALUES(?1,?2,?3,?4,?5,?6) ON CONFLICT(unit,period) DO UPDATE SET"
                              " state=?3,at=?4,who=?5,comment=?6", "tttttt",
                        unit, period, store_sub_key(state), at, who, comment ? comment : ""),
                e) < 0 ? -1 : 0;
}

/* Steps st to its end, its rows into *out (grown as needed); finalizes it unless kept (then
 * resets it).  Returns the count or -1 (*out freed and NULL). */
static int sub_rows(store *s, sq_stmt *st, int kept, web_sub **out, err_t *e)
{
    int n = 0, cap = 0, r;
    *out = NULL;
    if (st == NULL)
        return -1;
    while ((r = sq_step(s, st, "database", e)) > 0) {
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            web_sub *p = realloc(*out, (size_t)cap * sizeof *p);
            if (p == NULL) {
                r = err_set(e, "out of memory");
                break;
            }
            *out = p;
        }
        sub_row(st, &(*out)[n++]);
    }
    if (!kept)
        sq_finalize(st);
    else if (sq_reset(s, st, "database", e) != 0)
        r = -1;
    if (r < 0) {
        free(*out);
        *out = NULL;
        return -1;
    }
    return n;
}

int store_sub_list(store *s, web_sub **out, err_t *e)
{
    *out = NULL;
    /* unit, period: the key, so ties of time (one second) come in one order on both backends */
    return sub_rows(s, prep(s, e, "SELECT unit,period,state,at,who,comment FROM submission"
                                  " WHERE state<>'draft' ORDER BY at DESC, unit, period", ""), 0, out, e);
}

int store_sub_list_units(store *s, const char *const *units, int n, web_sub **out, err_t *e)
{
    const char *u[STORE_SUB_UNITS_MAX];
    *out = NULL;
    if (n < 1 || n > STORE_SUB_UNITS_MAX)
        return n == 0 ? 0 : err_set(e, "store_sub_list_units: %d units", n);
    for (int k = 0; k < STORE_SUB_UNITS_MAX; k++)
        u[k] = units[k < n ? k : n - 1];        /* the slots left repeat the last: one statement */
    return sub_rows(s, hot(s, e, WQ_SUB_UNITS, "SELECT unit,period,state,at,who,comment FROM submission"
                                                   " WHERE unit IN (?1,?2,?3,?4,?5,?6,?7,?8) AND state<>'draft'"
                                                   " ORDER BY at, period DESC",
                           "tttttttt", u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]), 1, out, e);
}

int store_audit_add(store *s, const char *who, const char *action, const char *object,
                    const char *detail, err_t *e)
{
    char at[32];
    now_iso(at, sizeof at);
    return done(s, prep(s, e, "INSERT INTO audit(at,who,action,object,detail) VALUES(?1,?2,?3,?4,?5)",
                        "ttttt", at, who, action, object, detail ? detail : ""), e) < 0 ? -1 : 0;
}

/* Every entry of the log: workflow and administration actions, every change of a figure (its
 * creation, a row whose batch is its own, is not listed; updates carry old -> new) and every
 * batch of figures written.  A deletion (write_delete) writes an audit row and a history row:
 * the history row stands for both (action "delete", the reason as detail, the old value kept). */
#define AUDIT_ENTRIES \
    "WITH e AS (" \
    " SELECT a.at AS at, a.who AS who, a.action AS action, a.object AS object, a.detail AS detail," \
    "  0 AS fig, '' AS ind, '' AS unit, '' AS period, NULL AS ov, NULL AS nv, NULL AS oc, NULL AS nc," \
    "  a.id AS seq, 2 AS src FROM audit a WHERE a.action <> 'delete'" \
    " UNION ALL SELECT b.at, b.who, CASE WHEN h.kind = 0 THEN 'target' WHEN h.new_value IS NULL THEN 'delete'" \
    "  ELSE 'value' END, i.code || '/' || u.code || '/' || h.period," \
    "  CASE WHEN h.kind = 1 AND h.new_value IS NULL THEN COALESCE(h.new_comment, '') ELSE '' END, 1," \
    "  i.code, u.code, h.period, h.old_value, h.new_value, h.old_comment, h.new_comment, h.id, 1 FROM history h JOIN batch b ON b.id=h.batch" \
    "  JOIN indicator i ON i.id=h.indicator JOIN unit u ON u.id=h.unit" \
    " UNION ALL SELECT b.at, b.who, 'batch', b.source, '', 0, '', '', '', NULL, NULL, NULL, NULL, b.id, 0" \
    "  FROM batch b) "
/* The filter (audit_filter, ?1..?6; '' = any).  from/to are Vietnam's local days, the zone the
 * page, the CSV and `chitieu history` print the times in (audit_time, vn.h). */
_Static_assert(VN_TZ_MINUTES == 7 * 60, "AUDIT_WHERE's '+7 hours' is VN_TZ_MINUTES");
#define AUDIT_WHERE \
    " WHERE (?1 = '' OR who = ?1)" \
    " AND (?2 = '' OR unit = ?2 OR (fig = 0 AND (object = ?2 OR instr(object, '/' || ?2 || '/') > 0)))" \
    " AND (?3 = '' OR period = ?3 OR (fig = 0 AND (substr(object, -length(?3) - 1) = '/' || ?3 OR detail = ?3)))" \
    " AND (?4 = '' OR action = ?4 OR (?4 = 'action' AND src = 2))" \
    " AND (?5 = '' OR date(at, '+7 hours') >= ?5) AND (?6 = '' OR date(at, '+7 hours') <= ?6)"
/* The same in PostgreSQL's words (strpos, right, to_char of the local date). */
#define AUDIT_WHERE_PG \
    " WHERE (?1 = '' OR who = ?1)" \
    " AND (?2 = '' OR unit = ?2 OR (fig = 0 AND (object = ?2 OR strpos(object, '/' || ?2 || '/') > 0)))" \
    " AND (?3 = '' OR period = ?3 OR (fig = 0 AND (right(object, length(?3) + 1) = '/' || ?3 OR detail = ?3)))" \
    " AND (?4 = '' OR action = ?4 OR (?4 = 'action' AND src = 2))" \
    " AND (?5 = '' OR " AUDIT_DAY_PG " >= ?5) AND (?6 = '' OR " AUDIT_DAY_PG " <= ?6)"
#define AUDIT_DAY_PG "to_char(CAST(at AS timestamp) + interval '7 hours', 'YYYY-MM-DD')"

#define AUDIT_SELECT \
    AUDIT_ENTRIES "SELECT at, who, action, object, detail, fig, ind, unit, period, ov, nv, oc, nc FROM e"
#define AUDIT_ORDER " ORDER BY at DESC, src DESC, seq DESC LIMIT ?7 OFFSET ?8"

static const char *nz(const char *s)
{
    return s ? s : "";
}

static void audit_row(sq_stmt *st, web_audit *a)
{
    memset(a, 0, sizeof *a);
    copy_col(st, 0, a->at, sizeof a->at);
    copy_col(st, 1, a->who, sizeof a->who);
    copy_col(st, 2, a->action, sizeof a->action);
    copy_col(st, 3, a->object, sizeof a->object);
    copy_col(st, 4, a->detail, sizeof a->detail);
    a->is_figure = sq_col_int(st, 5);
    copy_col(st, 6, a->ind, sizeof a->ind);
    copy_col(st, 7, a->unit, sizeof a->unit);
    copy_col(st, 8, a->period, sizeof a->period);
    a->has_old = !sq_col_null(st, 9);
    a->old_v = sq_col_double(st, 9);
    a->has_new = !sq_col_null(st, 10);
    a->new_v = sq_col_double(st, 10);
    copy_col(st, 11, a->old_comment, sizeof a->old_comment);
    copy_col(st, 12, a->new_comment, sizeof a->new_comment);
}

int store_audit_query(store *s, const audit_filter *f, int offset, int limit, web_audit **out,
                      int64_t *total, err_t *e)
{
    static const audit_filter any = { 0 };
    *out = NULL;
    f = f ? f : &any;
    limit = limit > 0 ? limit : 1;
    if (total) {
        sq_stmt *ct = prep(s, e, SQ_SQL(s, AUDIT_ENTRIES "SELECT count(*) FROM e" AUDIT_WHERE,
                                            AUDIT_ENTRIES "SELECT count(*) FROM e" AUDIT_WHERE_PG), "tttttt", nz(f->who),
                                nz(f->unit), nz(f->period), nz(f->kind), nz(f->from), nz(f->to));
        if (ct == NULL)
            return -1;
        int r = sq_step(s, ct, "database", e);
        *total = r > 0 ? sq_col_int64(ct, 0) : 0;
        sq_finalize(ct);
        if (r < 0)
            return -1;
    }
    sq_stmt *st = prep(s, e,
        SQ_SQL(s, AUDIT_SELECT AUDIT_WHERE AUDIT_ORDER, AUDIT_SELECT AUDIT_WHERE_PG AUDIT_ORDER), "ttttttii", nz(f->who),
        nz(f->unit), nz(f->period), nz(f->kind), nz(f->from), nz(f->to), (int64_t)limit,
        (int64_t)(offset > 0 ? offset : 0));
    if (st == NULL)
        return -1;
    int n = 0;
    web_audit *a = calloc((size_t)limit, sizeof *a);
    if (a == NULL) {
        sq_finalize(st);
        return err_set(e, "out of memory");
    }
    int r = 0;
    while (n < limit && (r = sq_step(s, st, "database", e)) > 0)
        audit_row(st, &a[n++]);
    sq_finalize(st);
    if (r < 0) {
        free(a);
        return -1;
    }
    *out = a;
    return n;
}

int store_audit_list(store *s, int max, web_audit **out, err_t *e)
{
    return store_audit_query(s, NULL, 0, max, out, NULL, e);
}

int64_t store_generation(store *s, err_t *e)
{
    sq_stmt *st = hot(s, e, WQ_GENERATION, "SELECT CAST(value AS BIGINT) FROM meta WHERE key='generation'", "");
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "generation", e);
    int64_t g = r > 0 ? sq_col_int64(st, 0) : r;   /* no row: 0, an error: -1 */
    if (sq_reset(s, st, "generation", e) != 0)
        return -1;
    return g;
}

int store_meta_get(store *s, const char *key, char *out, size_t n, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT value FROM meta WHERE key=?1", "t", key);
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "database", e);
    if (found > 0)
        copy_col(st, 0, out, n);
    else if (n)
        out[0] = '\0';
    sq_finalize(st);
    return found;
}

int store_meta_set(store *s, const char *key, const char *value, err_t *e)
{
    return done(s, prep(s, e, "INSERT INTO meta(key,value) VALUES(?1,?2) ON CONFLICT(key) DO UPDATE SET value=?2",
                        "tt", key, value), e) < 0 ? -1 : 0;
}

int store_batch_stamp(store *s, int64_t id, int64_t *out_id, char *at, size_t atn, char *who, size_t whon, err_t *e)
{
    sq_stmt *st = id > 0 ? prep(s, e, "SELECT id,at,who FROM batch WHERE id=?1", "i", id)
                         : prep(s, e, "SELECT id,at,who FROM batch ORDER BY id DESC LIMIT 1", "");
    if (st == NULL)
        return -1;
    int found = sq_step(s, st, "batch", e);
    *out_id = 0;
    if (found > 0) {
        *out_id = sq_col_int64(st, 0);
        copy_col(st, 1, at, atn);
        copy_col(st, 2, who, whon);
    } else if (found == 0) {
        snprintf(at, atn, "%s", "");
        snprintf(who, whon, "%s", "");
    }
    sq_finalize(st);
    return found;
}

/* ---- login throttling, TOTP ---- */

int store_throttle_get(store *s, const char *key, int64_t now, int forget, int *fails, int64_t *last_at, err_t *e)
{
    *fails = 0;
    *last_at = 0;
    sq_stmt *st = prep(s, e, "SELECT fails,last_at FROM login_throttle WHERE key=?1 AND last_at>=?2", "ti",
                            key, now - forget);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    if (r > 0) {
        *fails = sq_col_int(st, 0);
        *last_at = sq_col_int64(st, 1);
    }
    sq_finalize(st);
    return r < 0 ? -1 : 0;
}

int store_throttle_fail(store *s, const char *key, int64_t now, int forget, err_t *e)
{
    if (done(s, prep(s, e, "DELETE FROM login_throttle WHERE last_at<?1", "i", now - forget), e) < 0)
        return -1;
    return done(s, prep(s, e, "INSERT INTO login_throttle(key,fails,last_at) VALUES(?1,1,?2)"
                              " ON CONFLICT(key) DO UPDATE SET fails=login_throttle.fails+1, last_at=?2", "ti", key, now), e) < 0 ? -1 : 0;
}

int store_throttle_clear(store *s, const char *key, err_t *e)
{
    return done(s, prep(s, e, "DELETE FROM login_throttle WHERE key=?1", "t", key), e) < 0 ? -1 : 0;
}

int store_totp_get(store *s, const char *login, char *secret, size_t n, int64_t *last_step, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT t.secret,t.last_step FROM user_totp t JOIN app_user u ON u.id=t.\"user\""
                                  " WHERE u.login=?1", "t", login);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    if (r > 0) {
        copy_col(st, 0, secret, n);
        if (last_step)
            *last_step = sq_col_int64(st, 1);
    }
    sq_finalize(st);
    return r;
}

int store_totp_set(store *s, const char *login, const char *secret, err_t *e)
{
    int n = secret ? done(s, prep(s, e, "INSERT INTO user_totp(\"user\",secret,last_step)"
                                        " SELECT id,?2,0 FROM app_user WHERE login=?1"
                                        " ON CONFLICT(\"user\") DO UPDATE SET secret=excluded.secret, last_step=0", "tt", login, secret), e)
                   : done(s, prep(s, e, "DELETE FROM user_totp WHERE \"user\"=(SELECT id FROM app_user WHERE login=?1)",
                                  "t", login), e);
    if (n < 0)
        return -1;
    if (secret && n == 0)
        return 0;
    return end_sessions(s, login, e) != 0 ? -1 : 1;
}

int store_totp_use(store *s, const char *login, int64_t step, err_t *e)
{
    int n = done(s, prep(s, e, "UPDATE user_totp SET last_step=?2 WHERE last_step<?2 AND"
                               " \"user\"=(SELECT id FROM app_user WHERE login=?1)", "ti", login, step), e);
    return n < 0 ? -1 : n > 0;
}

int store_pending_put(store *s, const char *hash, int64_t user, int64_t expires, err_t *e)
{
    if (done(s, prep(s, e, "DELETE FROM login_pending WHERE expires<?1", "i", (int64_t)time(NULL)), e) < 0)
        return -1;
    return done(s, prep(s, e, "INSERT INTO login_pending(hash,\"user\",expires) VALUES(?1,?2,?3)", "tii",
                        hash, user, expires), e) < 0 ? -1 : 0;
}

int store_pending_get(store *s, const char *hash, int64_t now, web_user *u, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT " USER_COLS " FROM app_user WHERE disabled=0 AND id="
                                  "(SELECT \"user\" FROM login_pending WHERE hash=?1 AND expires>=?2)", "ti", hash, now);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    if (r > 0)
        user_row(st, u);
    sq_finalize(st);
    return r;
}

int store_pending_del(store *s, const char *hash, err_t *e)
{
    return done(s, prep(s, e, "DELETE FROM login_pending WHERE hash=?1", "t", hash), e) < 0 ? -1 : 0;
}
