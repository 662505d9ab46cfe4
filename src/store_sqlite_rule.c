/* store_sqlite_rule.c - the `rule` and `ind_bound` tables (see store_rule.h).  Rules are stored
 * as their text and parsed again on load (rule.h); severity is 0 error, 1 warning.  Both tables
 * load through load_rows: one SELECT, one item per row into an array the caller then owns. */
#include "store_sqlite.h"
#include "store_rule.h"
#include "store_web.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vn.h"

const char store_rule_schema[] =
    "CREATE TABLE IF NOT EXISTS rule(code TEXT PRIMARY KEY, rule TEXT NOT NULL, severity INTEGER NOT NULL,"
    " message TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS ind_bound(indicator TEXT PRIMARY KEY, min REAL, max REAL);";

static const char *col(sq_stmt *st, int i)
{
    const char *t = sq_col_text(st, i);
    return t ? (const char *)t : "";
}

/* The rows of sql, one item of size bytes each, filled by row (which may fail with e set) into *out
 * (the caller frees) and *n; on failure nothing is kept (drop, if any, frees what each item held). */
static int load_rows(store *s, const char *sql, size_t size, int (*row)(sq_stmt *, void *, err_t *),
                     void (*drop)(void *), void **out, int *n, err_t *e)
{
    sq_stmt *st = NULL;
    char *v = NULL;
    int nv = 0, cap = 0, r;
    *out = NULL;
    *n = 0;
    if (sq_prepare(s, sql, &st) != 0) {
        sq_err(s, e);
        goto fail;
    }
    while ((r = sq_step(s, st, "database", e)) > 0) {
        if (nv == cap) {
            char *g = realloc(v, ((size_t)cap * 2 + 8) * size);
            if (g == NULL) {
                err_set(e, "out of memory");
                goto fail;
            }
            v = g;
            cap = cap * 2 + 8;
        }
        if (row(st, v + (size_t)nv * size, e) != 0)
            goto fail;
        nv++;
    }
    if (r < 0)
        goto fail;
    sq_finalize(st);
    *out = v;
    *n = nv;
    return 0;
fail:
    sq_finalize(st);
    for (int k = 0; k < nv && drop; k++)
        drop(v + (size_t)k * size);
    free(v);
    return -1;
}

static int rule_row(sq_stmt *st, void *item, err_t *e)
{
    if (rule_make(col(st, 0), col(st, 1), rule_sev_key(sq_col_int(st, 2)), col(st, 3), item, e) != 0)
        return err_prefix(e, tr("quy tắc '%s' đã lưu", "stored rule '%s'"), col(st, 0));
    return 0;
}

static void drop_rule(void *item)
{
    rule_free(item);
}

int store_rule_load(store *s, rule_t **out, int *n, err_t *e)
{
    void *items;
    int rc = load_rows(s, "SELECT code,rule,severity,message FROM rule ORDER BY code", sizeof **out, rule_row,
                       drop_rule, &items, n, e);
    *out = items;
    return rc;
}

static int exec(store *s, const char *sql, err_t *e)
{
    if (sq_exec(s, sql) != 0)
        return sq_err(s, e);
    return 0;
}

int store_rule_put(store *s, const rule_t *r, int n, int replace, err_t *e)
{
    sq_stmt *st;
    if (replace && exec(s, "DELETE FROM rule", e) != 0)
        return -1;
    if (sq_prepare(s, "INSERT INTO rule(code,rule,severity,message) VALUES(?1,?2,?3,?4)"
                   " ON CONFLICT(code) DO UPDATE SET rule=?2,severity=?3,message=?4", &st) != 0)
        return sq_err(s, e);
    int rc = 0;
    for (int k = 0; k < n && rc == 0; k++) {
        sq_text(s, st, 1, r[k].code);
        sq_text(s, st, 2, r[k].text);
        sq_int64(s, st, 3, r[k].severity);
        sq_text(s, st, 4, r[k].message ? r[k].message : "");
        rc = sq_step(s, st, "database", e) < 0 || sq_reset(s, st, "database", e) != 0 ? -1 : 0;
    }
    sq_finalize(st);
    return rc;
}

int store_rule_delete(store *s, const char *code, err_t *e)
{
    sq_stmt *st;
    if (sq_prepare(s, "DELETE FROM rule WHERE code=?1", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, code);
    int rc = sq_step(s, st, "database", e) < 0 ? -1 : sq_changes(s) > 0;
    sq_finalize(st);
    return rc;
}

static int bound_row(sq_stmt *st, void *item, err_t *e)
{
    outlier_bound *b = item;
    (void)e;
    memset(b, 0, sizeof *b);
    snprintf(b->code, sizeof b->code, "%s", col(st, 0));
    b->ind = -1;
    b->has_min = !sq_col_null(st, 1);
    b->min = sq_col_double(st, 1);
    b->has_max = !sq_col_null(st, 2);
    b->max = sq_col_double(st, 2);
    return 0;
}

int store_bound_load(store *s, outlier_bound **out, int *n, err_t *e)
{
    void *items;
    int rc = load_rows(s, "SELECT indicator,min,max FROM ind_bound ORDER BY indicator", sizeof **out, bound_row, NULL,
                       &items, n, e);
    *out = items;
    return rc;
}

int store_bound_put(store *s, const outlier_bound *b, int n, int replace, err_t *e)
{
    sq_stmt *st;
    if (replace && exec(s, "DELETE FROM ind_bound", e) != 0)
        return -1;
    if (sq_prepare(s, "INSERT INTO ind_bound(indicator,min,max) VALUES(?1,?2,?3)"
                   " ON CONFLICT(indicator) DO UPDATE SET min=?2,max=?3", &st) != 0)
        return sq_err(s, e);
    int rc = 0;
    for (int k = 0; k < n && rc == 0; k++) {
        sq_text(s, st, 1, b[k].code);
        b[k].has_min ? sq_double(s, st, 2, b[k].min) : sq_null(s, st, 2);
        b[k].has_max ? sq_double(s, st, 3, b[k].max) : sq_null(s, st, 3);
        rc = sq_step(s, st, "database", e) < 0 || sq_reset(s, st, "database", e) != 0 ? -1 : 0;
    }
    sq_finalize(st);
    return rc;
}

long store_values_upto(store *s, long cap, err_t *e)
{
    sq_stmt *st;
    if (sq_prepare(s, "SELECT count(*) FROM (SELECT 1 FROM value LIMIT ?1) AS x", &st) != 0)
        return sq_err(s, e);
    sq_int64(s, st, 1, cap);
    long n = sq_step(s, st, "database", e) > 0 ? (long)sq_col_int64(st, 0) : -1;
    sq_finalize(st);
    return n;
}

double store_outlier_k(store *s)
{
    char v[64];
    err_t e;
    double k;
    if (store_meta_get(s, "outlier_k", v, sizeof v, &e) == 1 && vn_parse_number(v, strlen(v), VN_DEC_DOT, &k) == 0 &&
        isfinite(k) && k > 0)
        return k;
    return OUTLIER_K_DEFAULT;
}
