/* store_sqlite_class.c - the class_rule, class_subject and class_result tables (store_class.h).
 * Sheets are rows keyed by (year, kind, type, code) in file order; subjects are keyed by code;
 * a result row per (year, subject) holds the three steps side by side (score in centipoints,
 * grade by machine name, who, when, comment).  Kinds and grades are stored by machine name so
 * the database reads without this program. */
#include "store_class.h"
#include "store_sqlite.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char store_class_schema[] =
    "CREATE TABLE IF NOT EXISTS class_rule(year INTEGER NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,"
    " code TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', value TEXT NOT NULL, ord INTEGER NOT NULL,"
    " PRIMARY KEY(year,kind,type,code)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS class_subject(code TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,"
    " unit TEXT NOT NULL, grp TEXT NOT NULL, outstanding INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS class_result(year INTEGER NOT NULL,"
    " subject TEXT NOT NULL REFERENCES class_subject(code), step INTEGER NOT NULL, faults TEXT NOT NULL DEFAULT '',"
    " self_score INTEGER, self_grade TEXT, self_by TEXT NOT NULL DEFAULT '', self_at TEXT NOT NULL DEFAULT '',"
    " self_comment TEXT NOT NULL DEFAULT '',"
    " appr_score INTEGER, appr_grade TEXT, appr_by TEXT NOT NULL DEFAULT '', appr_at TEXT NOT NULL DEFAULT '',"
    " appr_comment TEXT NOT NULL DEFAULT '',"
    " dec_score INTEGER, dec_grade TEXT, dec_by TEXT NOT NULL DEFAULT '', dec_at TEXT NOT NULL DEFAULT '',"
    " dec_comment TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(year,subject)) WITHOUT ROWID;"
    /* the emulation awards register: one row per (year, subject, title, decision number) */
    "CREATE TABLE IF NOT EXISTS class_award(year INTEGER NOT NULL, subject TEXT NOT NULL REFERENCES class_subject(code),"
    " form TEXT NOT NULL, title TEXT NOT NULL, issuer TEXT NOT NULL, decision TEXT NOT NULL, date INTEGER NOT NULL,"
    " PRIMARY KEY(year,subject,title,decision)) WITHOUT ROWID;";

/* Prepares sql, binding text ('t') and integer ('i') arguments; NULL (e filled) on failure. */
static sq_stmt *prep(store *s, err_t *e, const char *sql, const char *types, ...)
{
    sq_stmt *st = NULL;
    if (sq_prepare(s, sql, &st) != 0) {
        sq_err(s, e);
        return NULL;
    }
    va_list ap;
    va_start(ap, types);
    for (int i = 0; types[i]; i++) {
        if (types[i] == 't')
            sq_text_copy(s, st, i + 1, va_arg(ap, const char *));
        else
            sq_int64(s, st, i + 1, va_arg(ap, int));
    }
    va_end(ap);
    return st;
}

/* Steps st once to its end and finalizes it; 0 or -1. */
static int run(store *s, sq_stmt *st, err_t *e)
{
    if (st == NULL)
        return -1;
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc < 0 ? -1 : 0;
}

static void copy_col(sq_stmt *st, int i, char *out, size_t n)
{
    const char *t = sq_col_text(st, i);
    snprintf(out, n, "%s", t ? (const char *)t : "");
}

int store_class_rules_clear(store *s, int year, int kind, err_t *e)
{
    return run(s, prep(s, e, "DELETE FROM class_rule WHERE year=?1 AND kind=?2", "it", year, class_kind_key(kind)), e);
}

int store_class_rules_add(store *s, const class_rule_row *row, int ord, err_t *e)
{
    return run(s, prep(s, e, "INSERT INTO class_rule(year,kind,type,code,name,value,ord) VALUES(?1,?2,?3,?4,?5,?6,?7)",
                       "ittttti", row->year, class_kind_key(row->kind), row->type, row->code, row->name, row->value, ord),
               e);
}

/* Steps st to its end, filling one element of size bytes per row with fill into a growing array
 * (*out, which the caller frees); finalizes st (NULL: a failed prepare, e already says why).
 * Returns the number of rows, or -1 (e says why; nothing to free). */
static int collect(store *s, sq_stmt *st, size_t size, void (*fill)(sq_stmt *, void *), void **out, err_t *e)
{
    char *arr = NULL;
    int n = 0, cap = 0, r;
    *out = NULL;
    if (st == NULL)
        return -1;
    while ((r = sq_step(s, st, "database", e)) > 0) {
        if (n == cap) {
            int want = cap ? cap * 2 : 32;
            char *g = realloc(arr, (size_t)want * size);
            if (g == NULL) {
                err_set(e, "out of memory");
                r = -1;
                break;
            }
            arr = g;
            cap = want;
        }
        fill(st, arr + (size_t)n++ * size);
    }
    sq_finalize(st);
    if (r < 0) {
        free(arr);
        return -1;
    }
    *out = arr;
    return n;
}

/* One row (year, kind, type, code, name, value) of class_rule. */
static void rule_fill(sq_stmt *st, void *dst)
{
    class_rule_row *row = dst;
    char kind[32];
    row->year = sq_col_int(st, 0);
    copy_col(st, 1, kind, sizeof kind);
    row->kind = class_kind_parse(kind);
    copy_col(st, 2, row->type, sizeof row->type);
    copy_col(st, 3, row->code, sizeof row->code);
    copy_col(st, 4, row->name, sizeof row->name);
    copy_col(st, 5, row->value, sizeof row->value);
}

/* Reads rows of the query (year, kind, type, code, name, value) into a growing array. */
static int read_rows(store *s, sq_stmt *st, class_rule_row **out, err_t *e)
{
    void *rows;
    int n = collect(s, st, sizeof **out, rule_fill, &rows, e);
    *out = rows;
    return n;
}

int store_class_rules_get(store *s, int year, int kind, class_rules *r, err_t *e)
{
    class_rule_row *rows;
    class_rules_default(r, year, kind);
    int n = read_rows(s, prep(s, e, "SELECT year,kind,type,code,name,value FROM class_rule WHERE year=?1 AND kind=?2"
                                    " ORDER BY ord", "it", year, class_kind_key(kind)), &rows, e);
    if (n < 0)
        return -1;
    int rc = n > 0;
    for (int i = 0; i < n && rc >= 0; i++)
        if (class_rules_set(r, rows[i].type, rows[i].code, rows[i].name, rows[i].value, e) != 0) {
            err_prefix(e, tr("bộ tiêu chí %d, %s đã lưu", "stored sheet %d, %s"), year, class_kind_key(kind));
            rc = -1;
        }
    free(rows);
    return rc;
}

int store_class_rule_rows(store *s, class_rule_row **out, err_t *e)
{
    return read_rows(s, prep(s, e, "SELECT year,kind,type,code,name,value FROM class_rule ORDER BY year,kind,ord", ""),
                     out, e);
}

int store_class_subject_put(store *s, const class_subject *sub, err_t *e)
{
    return run(s, prep(s, e, "INSERT INTO class_subject(code,kind,name,unit,grp,outstanding) VALUES(?1,?2,?3,?4,?5,?6)"
                             " ON CONFLICT(code) DO UPDATE SET kind=?2,name=?3,unit=?4,grp=?5,outstanding=?6",
                       "ttttti", sub->code, class_kind_key(sub->kind), sub->name, sub->unit, sub->group,
                       sub->outstanding),
               e);
}

static void subject_row(sq_stmt *st, class_subject *sub)
{
    char kind[32];
    copy_col(st, 0, sub->code, sizeof sub->code);
    copy_col(st, 1, kind, sizeof kind);
    sub->kind = class_kind_parse(kind);
    copy_col(st, 2, sub->name, sizeof sub->name);
    copy_col(st, 3, sub->unit, sizeof sub->unit);
    copy_col(st, 4, sub->group, sizeof sub->group);
    sub->outstanding = sq_col_int(st, 5);
}

#define SUBJECT_COLS "code,kind,name,unit,grp,outstanding"

static void subject_fill(sq_stmt *st, void *dst)
{
    subject_row(st, dst);
}

int store_class_subjects(store *s, class_subject **out, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT " SUBJECT_COLS " FROM class_subject ORDER BY code", "");
    void *arr;
    int n = collect(s, st, sizeof **out, subject_fill, &arr, e);
    *out = arr;
    return n;
}

int store_class_subject_get(store *s, const char *code, class_subject *out, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT " SUBJECT_COLS " FROM class_subject WHERE code=?1", "t", code);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    if (r > 0)
        subject_row(st, out);
    sq_finalize(st);
    return r;
}

#define RESULT_COLS "year,subject,step,faults,self_score,self_grade,self_by,self_at,self_comment," \
                    "appr_score,appr_grade,appr_by,appr_at,appr_comment,dec_score,dec_grade,dec_by,dec_at,dec_comment"

static void mark_row(sq_stmt *st, int i, class_mark *m)
{
    char g[32];
    m->score_cp = sq_col_null(st, i) ? -1 : sq_col_int(st, i);
    copy_col(st, i + 1, g, sizeof g);
    m->grade = g[0] ? class_grade_parse(g) : -1;
    copy_col(st, i + 2, m->by, sizeof m->by);
    copy_col(st, i + 3, m->at, sizeof m->at);
    copy_col(st, i + 4, m->comment, sizeof m->comment);
}

static void result_row(sq_stmt *st, class_result *r)
{
    r->year = sq_col_int(st, 0);
    copy_col(st, 1, r->subject, sizeof r->subject);
    r->step = sq_col_int(st, 2);
    copy_col(st, 3, r->faults, sizeof r->faults);
    mark_row(st, 4, &r->self);
    mark_row(st, 9, &r->appr);
    mark_row(st, 14, &r->dec);
}

static void empty_mark(class_mark *m)
{
    memset(m, 0, sizeof *m);
    m->score_cp = -1;
    m->grade = -1;
}

int store_class_result_get(store *s, int year, const char *subject, class_result *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    snprintf(out->subject, sizeof out->subject, "%s", subject);
    empty_mark(&out->self);
    empty_mark(&out->appr);
    empty_mark(&out->dec);
    sq_stmt *st = prep(s, e, "SELECT " RESULT_COLS " FROM class_result WHERE year=?1 AND subject=?2", "it", year,
                            subject);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e);
    if (r > 0)
        result_row(st, out);
    sq_finalize(st);
    return r;
}

static void bind_mark(store *s, sq_stmt *st, int i, const class_mark *m)
{
    if (m->score_cp >= 0)
        sq_int64(s, st, i, m->score_cp);
    else
        sq_null(s, st, i);
    if (m->grade >= 0)
        sq_text(s, st, i + 1, class_grade_key(m->grade));
    else
        sq_null(s, st, i + 1);
    sq_text(s, st, i + 2, m->by);
    sq_text(s, st, i + 3, m->at);
    sq_text(s, st, i + 4, m->comment);
}

int store_class_result_put(store *s, const class_result *r, err_t *e)
{
    sq_stmt *st = prep(s, e, "INSERT INTO class_result(" RESULT_COLS ") VALUES(?1,?2,?3,?4,"
                                  "?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)"
                                  " ON CONFLICT(year,subject) DO UPDATE SET step=?3,faults=?4,self_score=?5,"
                                  "self_grade=?6,self_by=?7,self_at=?8,self_comment=?9,appr_score=?10,appr_grade=?11,"
                                  "appr_by=?12,appr_at=?13,appr_comment=?14,dec_score=?15,dec_grade=?16,dec_by=?17,"
                                  "dec_at=?18,dec_comment=?19",
                            "itit", r->year, r->subject, r->step, r->faults);
    if (st == NULL)
        return -1;
    bind_mark(s, st, 5, &r->self);
    bind_mark(s, st, 10, &r->appr);
    bind_mark(s, st, 15, &r->dec);
    return run(s, st, e);
}

static void result_fill(sq_stmt *st, void *dst)
{
    result_row(st, dst);
}

int store_class_results(store *s, int year, class_result **out, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT " RESULT_COLS " FROM class_result WHERE year=?1 ORDER BY subject", "i", year);
    void *arr;
    int n = collect(s, st, sizeof **out, result_fill, &arr, e);
    *out = arr;
    return n;
}

int store_class_decided(store *s, int year, int kind, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT COUNT(*) FROM class_result r JOIN class_subject j ON j.code=r.subject"
                                  " WHERE r.year=?1 AND j.kind=?2 AND r.step=?3", "iti", year, class_kind_key(kind),
                            CS_DECIDED);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e), n = r > 0 ? sq_col_int(st, 0) : -1;
    sq_finalize(st);
    return n;
}

int store_class_award_put(store *s, const class_award *a, err_t *e)
{
    return run(s, prep(s, e, "INSERT INTO class_award(year,subject,form,title,issuer,decision,date) VALUES(?1,?2,?3,?4,?5,?6,?7)"
                             " ON CONFLICT(year,subject,title,decision) DO UPDATE SET form=?3,issuer=?5,date=?7",
                       "ittttti", a->year, a->subject, class_award_form_key(a->form), a->title, a->issuer, a->decision,
                       a->date),
               e);
}

/* One row (year, subject, form, title, issuer, decision, date) of class_award. */
static void award_fill(sq_stmt *st, void *dst)
{
    class_award *a = dst;
    char form[32];
    a->year = sq_col_int(st, 0);
    copy_col(st, 1, a->subject, sizeof a->subject);
    copy_col(st, 2, form, sizeof form);
    a->form = class_award_form_parse(form);
    copy_col(st, 3, a->title, sizeof a->title);
    copy_col(st, 4, a->issuer, sizeof a->issuer);
    copy_col(st, 5, a->decision, sizeof a->decision);
    a->date = sq_col_int(st, 6);
}

int store_class_awards(store *s, int year, class_award **out, err_t *e)
{
    /* ends with the whole key (decision too), so ties come in one order on both backends */
    sq_stmt *st = prep(s, e, "SELECT year,subject,form,title,issuer,decision,date FROM class_award"
                                  " WHERE ?1=0 OR year=?1 ORDER BY year,date,subject,title,decision", "i", year);
    void *arr;
    int n = collect(s, st, sizeof **out, award_fill, &arr, e);
    *out = arr;
    return n;
}

int store_class_subject_decided(store *s, const char *code, err_t *e)
{
    sq_stmt *st = prep(s, e, "SELECT COUNT(*) FROM class_result WHERE subject=?1 AND step=?2", "ti", code, CS_DECIDED);
    if (st == NULL)
        return -1;
    int r = sq_step(s, st, "database", e), n = r > 0 ? sq_col_int(st, 0) : -1;
    sq_finalize(st);
    return n;
}
