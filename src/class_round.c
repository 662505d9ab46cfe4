/* class_round.c - the classification round over a store (class_round.h): the criteria and
 * subjects files, the rights of each actor, the three steps, the quota report and the rates.
 *
 * Data flow: files are read whole and checked before anything is written (read_rows: header,
 * then one row function per data row, the first bad row failing the file), then written in one
 * transaction (put_all for the subjects and awards); a step reads the subject, its sheet and its result, applies class.c's rules and
 * writes the new result with its audit entry in one transaction.  Everything read from the
 * store is owned here and freed before returning; the model and task set are borrowed.
 */
#include "class_round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "csv.h"
#include "store_web.h"
#include "vn.h"
#include "write.h"

int class_actor_get(store *s, const model *m, const char *login, class_actor *a, err_t *e)
{
    web_user u;
    int r = store_user_get(s, login, &u, NULL, 0, e);
    if (r < 0)
        return -1;
    if (r == 0 || u.disabled)
        return err_set(e, tr("không có người dùng '%s' (hoặc đã bị khóa)", "no user '%s' (or disabled)"), login);
    snprintf(a->login, sizeof a->login, "%s", u.login);
    a->role = auth_role_parse(u.role);
    a->unit = model_unit_find(m, u.unit);
    if (a->role < 0 || a->unit < 0)
        return err_set(e, tr("người dùng '%s': vai trò '%s' hoặc đơn vị '%s' không hợp lệ",
                             "user '%s': bad role '%s' or unit '%s'"), login, u.role, u.unit);
    return 0;
}

/* --- reading the files ---------------------------------------------------------------- */

/* Checks the header row against the expected column names. */
static int check_header(const char *name, const csv_record *rec, const char *const *cols, int ncols, err_t *e)
{
    int ok = (int)rec->nfields == ncols;
    for (int i = 0; ok && i < ncols; i++)
        ok = strcmp(rec->field[i], cols[i]) == 0;
    if (ok)
        return 0;
    buf want = BUF_INIT;
    for (int i = 0; i < ncols; i++)
        buf_printf(&want, "%s%s", i ? "," : "", cols[i]);
    err_set(e, tr("%s, dòng 1: tiêu đề phải là '%s'", "%s, row 1: the header must be '%s'"), name, buf_str(&want));
    buf_free(&want);
    return -1;
}

/* Opens file name's text as CSV and reads its header, which must be cols: *out is the reader,
 * positioned on the first data row (the caller closes it); -1 (e says why: empty file, wrong
 * header, bad encoding) with nothing to close. */
static int open_table(const char *name, const char *data, size_t len, const char *const *cols, int ncols,
                      csv_reader **out, csv_record *rec, err_t *e)
{
    csv_reader *rd = csv_open(data, len);
    int r;
    *out = NULL;
    if (rd == NULL)
        return err_set(e, "out of memory");
    if ((r = csv_next(rd, rec, e)) <= 0) {
        if (r == 0)
            err_set(e, tr("%s: tệp rỗng", "%s: empty file"), name);
        csv_close(rd);
        return -1;
    }
    if (check_header(name, rec, cols, ncols, e) != 0) {
        csv_close(rd);
        return -1;
    }
    *out = rd;
    return 0;
}

/* Makes room for one more element of size sz in *arr holding n of *cap; 0, or -1 (e filled). */
static int grow(void *arr, int *cap, int n, size_t sz, err_t *e)
{
    void **p = arr;
    if (n < *cap)
        return 0;
    int want = *cap ? *cap * 2 : 64;
    void *g = realloc(*p, (size_t)want * sz);
    if (g == NULL)
        return err_set(e, "out of memory");
    *p = g;
    *cap = want;
    return 0;
}

/* Parses one data row into item (items[0..n) are the rows above it); 0, or -1 with e naming the row. */
typedef int (*row_fn)(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                      err_t *e);

/* "NAME: the file has a header row and no data rows" into e (as import.c says it); returns -1. */
static int no_rows(const char *name, err_t *e)
{
    return err_set(e, tr("%s: tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào (tệp lưu thiếu, hoặc nhầm tệp?)",
                         "%s: the file has a header row and no data rows (saved incompletely, or the wrong file?)"),
                   name);
}

/* Reads file name under the header cols into *out (one item of size bytes a row, the caller frees)
 * and *n; the first bad row fails it: -1 (e says why) with *out NULL and *n 0. */

static int read_rows(const char *name, const char *data, size_t len, const char *const *cols, int ncols, size_t size,
                     row_fn row, void *ctx, void **out, int *n, err_t *e)
{
    csv_reader *rd;
    csv_record rec;
    char *items = NULL;
    int r, rc = -1, cap = 0;
    *n = 0;
    if (open_table(name, data, len, cols, ncols, &rd, &rec, e) != 0)
        goto cleanup;
    while ((r = csv_next(rd, &rec, e)) > 0) {
        if (grow(&items, &cap, *n, size, e) != 0)
            goto cleanup;
        if (row(ctx, name, &rec, items, *n, items + (size_t)*n * size, e) != 0)
            goto cleanup;
        (*n)++;
    }
    if (r < 0) {
        err_prefix(e, "%s", name);
        goto cleanup;
    }
    if (*n == 0) {
        no_rows(name, e);
        goto cleanup;
    }
    rc = 0;
cleanup:
    csv_close(rd);
    if (rc != 0) {
        free(items);
        items = NULL;
        *n = 0;
    }
    *out = items;
    return rc;
}

/* Copies field i (NFC) into out; "" allowed only when may_be_empty.  Errors name file, row, column. */
static int field(const char *name, const csv_record *rec, int i, const char *col, char *out, size_t len,
                 int may_be_empty, err_t *e)
{
    buf nfc = BUF_INIT;
    int rc = 0;
    if (vn_nfc(rec->field[i], rec->len[i], &nfc) != 0)
        rc = err_set(e, "out of memory");
    else if (nfc.len >= len || (!may_be_empty && nfc.len == 0))
        rc = err_set(e, tr("%s, dòng %ld, cột %s: cần từ %d đến %zu byte", "%s, row %ld, column %s: expected %d to %zu bytes"),
                     name, rec->row, col, may_be_empty ? 0 : 1, len - 1);
    else
        memcpy(out, buf_str(&nfc), nfc.len + 1);
    buf_free(&nfc);
    return rc;
}

static int parse_year(const char *name, const csv_record *rec, int *year, err_t *e)
{
    char *end;
    long y = strtol(rec->field[0], &end, 10);
    if (rec->field[0][0] == '\0' || *end != '\0' || y < 1990 || y > 2100)
        return err_set(e, tr("%s, dòng %ld, cột year: '%s' không phải là năm (như 2025)",
                             "%s, row %ld, column year: '%s' is not a year (like 2025)"), name, rec->row, rec->field[0]);
    *year = (int)y;
    return 0;
}

/* The text must be UTF-8: legacy encodings go through `chitieu convert` first. */
static int utf8_check(const char *name, const char *data, size_t len, err_t *e)
{
    if (vn_utf8_valid(data, len))
        return 0;
    return err_set(e, tr("%s: không phải văn bản UTF-8 (chuyển mã bằng 'chitieu convert' trước)",
                         "%s: not UTF-8 text (convert it with 'chitieu convert' first)"), name);
}

typedef struct sheet_set {
    class_rules **sheets;
    int n;
    class_rule_row *rows;
    int nrows, caprows;
} sheet_set;

static void sheet_set_free(sheet_set *ss)
{
    for (int i = 0; i < ss->n; i++)
        free(ss->sheets[i]);
    free(ss->sheets);
    free(ss->rows);
}

static class_rules *sheet_for(sheet_set *ss, int year, int kind)
{
    for (int i = 0; i < ss->n; i++)
        if (ss->sheets[i]->year == year && ss->sheets[i]->kind == kind)
            return ss->sheets[i];
    class_rules **g = realloc(ss->sheets, (size_t)(ss->n + 1) * sizeof *g);
    if (g == NULL)
        return NULL;
    ss->sheets = g;
    class_rules *r = malloc(sizeof *r);
    if (r == NULL)
        return NULL;
    class_rules_default(r, year, kind);
    ss->sheets[ss->n++] = r;
    return r;
}

/* Reads one criteria record into a row and applies it to its sheet. */
static int criteria_row(const char *name, const csv_record *rec, sheet_set *ss, err_t *e)
{
    if (rec->nfields != 6)
        return err_set(e, tr("%s, dòng %ld: cần 6 cột, có %zu", "%s, row %ld: expected 6 columns, found %zu"), name,
                       rec->row, rec->nfields);
    if (ss->nrows == ss->caprows) {
        int cap = ss->caprows ? ss->caprows * 2 : 64;
        class_rule_row *g = realloc(ss->rows, (size_t)cap * sizeof *g);
        if (g == NULL)
            return err_set(e, "out of memory");
        ss->rows = g;
        ss->caprows = cap;
    }
    class_rule_row *row = &ss->rows[ss->nrows];
    if (parse_year(name, rec, &row->year, e) != 0)
        return -1;
    row->kind = class_kind_parse(rec->field[1]);
    if (row->kind < 0)
        return err_set(e, tr("%s, dòng %ld, cột kind: '%s' phải là commune, grassroots, cell, member hoặc leader",
                             "%s, row %ld, column kind: '%s' must be commune, grassroots, cell, member or leader"),
                       name, rec->row, rec->field[1]);
    if (field(name, rec, 2, "type", row->type, sizeof row->type, 0, e) != 0 ||
        field(name, rec, 3, "code", row->code, sizeof row->code, 0, e) != 0 ||
        field(name, rec, 4, "name", row->name, sizeof row->name, 1, e) != 0 ||
        field(name, rec, 5, "value", row->value, sizeof row->value, 0, e) != 0)
        return -1;
    for (int i = 0; i < ss->nrows; i++) {
        const class_rule_row *o = &ss->rows[i];
        if (o->year == row->year && o->kind == row->kind && strcmp(o->type, row->type) == 0 && strcmp(o->code, row->code) == 0)
            return err_set(e, tr("%s, dòng %ld, cột code: '%s %s' đã có ở dòng trước trong bộ %d, %s",
                                 "%s, row %ld, column code: '%s %s' is already given earlier in sheet %d, %s"),
                           name, rec->row, row->type, row->code, row->year, class_kind_key(row->kind));
    }
    class_rules *r = sheet_for(ss, row->year, row->kind);
    if (r == NULL)
        return err_set(e, "out of memory");
    if (class_rules_set(r, row->type, row->code, row->name, row->value, e) != 0)
        return err_prefix(e, tr("%s, dòng %ld", "%s, row %ld"), name, rec->row);
    ss->nrows++;
    return 0;
}

static int read_criteria(const char *name, const char *data, size_t len, sheet_set *ss, err_t *e)
{
    static const char *const cols[] = { "year", "kind", "type", "code", "name", "value" };
    csv_reader *rd;
    csv_record rec;
    int r, rc = -1, rows = 0;
    if (open_table(name, data, len, cols, 6, &rd, &rec, e) != 0)
        return -1;
    while ((r = csv_next(rd, &rec, e)) > 0) {
        if (criteria_row(name, &rec, ss, e) != 0)
            goto cleanup;
        rows++;
    }
    if (r < 0) {
        err_prefix(e, "%s", name);
        goto cleanup;
    }
    if (rows == 0) {
        no_rows(name, e);
        goto cleanup;
    }
    for (int i = 0; i < ss->n; i++)
        if (class_rules_check(ss->sheets[i], e) != 0) {
            err_prefix(e, "%s", name);
            goto cleanup;
        }
    rc = 0;
cleanup:
    csv_close(rd);
    return rc;
}

int class_criteria_check(const char *name, const char *data, size_t len, int *nsheets, int *nrows, err_t *e)
{
    sheet_set ss = { 0 };
    int rc = utf8_check(name, data, len, e) != 0 || read_criteria(name, data, len, &ss, e) != 0 ? -1 : 0;
    *nsheets = ss.n;
    *nrows = ss.nrows;
    sheet_set_free(&ss);
    return rc;
}

int class_import_criteria(store *s, const char *name, const char *data, size_t len, int dry_run, int *nsheets,
                          int *nrows, err_t *e)
{
    sheet_set ss = { 0 };
    int rc = -1, in_tx = 0;
    if (utf8_check(name, data, len, e) != 0 || read_criteria(name, data, len, &ss, e) != 0)
        goto cleanup;
    for (int i = 0; i < ss.n; i++) {
        int d = store_class_decided(s, ss.sheets[i]->year, ss.sheets[i]->kind, e);
        if (d < 0)
            goto cleanup;
        if (d > 0) {
            err_set(e, tr("%s: bộ tiêu chí %d, %s đã có %d kết quả được quyết định; không thay đổi được",
                          "%s: sheet %d, %s already has %d decided results; it cannot change"),
                    name, ss.sheets[i]->year, class_kind_key(ss.sheets[i]->kind), d);
            goto cleanup;
        }
    }
    *nsheets = ss.n;
    *nrows = ss.nrows;
    if (dry_run) {
        rc = 0;
        goto cleanup;
    }
    if (store_begin(s, e) != 0)
        goto cleanup;
    in_tx = 1;
    for (int i = 0; i < ss.n; i++)
        if (store_class_rules_clear(s, ss.sheets[i]->year, ss.sheets[i]->kind, e) != 0)
            goto cleanup;
    for (int i = 0; i < ss.nrows; i++)
        if (store_class_rules_add(s, &ss.rows[i], i, e) != 0)
            goto cleanup;
    if (store_commit(s, e) != 0)
        goto cleanup;
    in_tx = 0;
    rc = 0;
cleanup:
    if (in_tx)
        store_rollback(s);
    sheet_set_free(&ss);
    return rc;
}

/* The default group of comparable subjects: organisations that are units with their siblings
 * (kind@parent unit), everything else within its unit (kind@unit). */
static void default_group(const model *m, class_subject *sub)
{
    int u = model_unit_find(m, sub->unit);
    const char *at = sub->unit;
    if (class_kind_collective(sub->kind) && strcmp(sub->code, sub->unit) == 0 && u >= 0 && m->units[u].parent >= 0)
        at = m->units[m->units[u].parent].code;
    snprintf(sub->group, sizeof sub->group, "%s@%s", class_kind_key(sub->kind), at);
}

/* One subject (row_fn; ctx the model); a code given twice, or a group whose rows disagree on
 * outstanding, fails. */
static int subject_row(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                       err_t *e)
{
    const model *m = ctx;
    const class_subject *subs = items;
    class_subject *sub = item;
    char kind[64], outs[8];
    memset(sub, 0, sizeof *sub);
    if (rec->nfields != 6)
        return err_set(e, tr("%s, dòng %ld: cần 6 cột, có %zu", "%s, row %ld: expected 6 columns, found %zu"), name,
                       rec->row, rec->nfields);
    if (field(name, rec, 0, "code", sub->code, sizeof sub->code, 0, e) != 0 ||
        field(name, rec, 1, "kind", kind, sizeof kind, 0, e) != 0 ||
        field(name, rec, 2, "name", sub->name, sizeof sub->name, 0, e) != 0 ||
        field(name, rec, 3, "unit", sub->unit, sizeof sub->unit, 0, e) != 0 ||
        field(name, rec, 4, "group", sub->group, sizeof sub->group, 1, e) != 0 ||
        field(name, rec, 5, "outstanding", outs, sizeof outs, 1, e) != 0)
        return -1;
    if ((sub->kind = class_kind_parse(kind)) < 0)
        return err_set(e, tr("%s, dòng %ld, cột kind: '%s' phải là commune, grassroots, cell, member hoặc leader",
                             "%s, row %ld, column kind: '%s' must be commune, grassroots, cell, member or leader"),
                       name, rec->row, kind);
    if (model_unit_find(m, sub->unit) < 0)
        return err_set(e, tr("%s, dòng %ld, cột unit: không có đơn vị '%s'", "%s, row %ld, column unit: no unit '%s'"),
                       name, rec->row, sub->unit);
    if (strcmp(outs, "") != 0 && strcmp(outs, "0") != 0 && strcmp(outs, "1") != 0)
        return err_set(e, tr("%s, dòng %ld, cột outstanding: cần 1, 0 hoặc để trống", "%s, row %ld, column outstanding: expected 1, 0 or empty"),
                       name, rec->row);
    sub->outstanding = strcmp(outs, "1") == 0;
    if (sub->group[0] == '\0')
        default_group(m, sub);
    for (int i = 0; i < n; i++) {
        if (strcmp(subs[i].code, sub->code) == 0)
            return err_set(e, tr("%s, dòng %ld, cột code: '%s' lặp lại", "%s, row %ld, column code: '%s' given twice"),
                           name, rec->row, sub->code);
        if (strcmp(subs[i].group, sub->group) == 0 && subs[i].outstanding != sub->outstanding)
            return err_set(e, tr("%s, dòng %ld, cột outstanding: nhóm '%s' phải cùng một giá trị outstanding ở mọi dòng",
                                 "%s, row %ld, column outstanding: every row of group '%s' must have the same outstanding"),
                           name, rec->row, sub->group);
    }
    return 0;
}

/* Reads every subject. */
static int read_subjects(const char *name, const model *m, const char *data, size_t len, class_subject **out, int *n,
                         err_t *e)
{
    static const char *const cols[] = { "code", "kind", "name", "unit", "group", "outstanding" };
    void *items;
    int rc = read_rows(name, data, len, cols, 6, sizeof **out, subject_row, (void *)m, &items, n, e);
    *out = items;
    return rc;
}

int class_subjects_check(const model *m, const char *name, const char *data, size_t len, int *n, err_t *e)
{
    class_subject *subs = NULL;
    int rc = utf8_check(name, data, len, e) != 0 || read_subjects(name, m, data, len, &subs, n, e) != 0 ? -1 : 0;
    free(subs);
    return rc;
}

/* A subject with a decided result keeps its kind, unit and group: they count in figures already
 * decided (its name may still be corrected). */
static int subject_unchanged_if_decided(store *s, const char *name, const class_subject *sub, err_t *e)
{
    class_subject old;
    int found = store_class_subject_get(s, sub->code, &old, e);
    if (found <= 0)
        return found;
    if (old.kind == sub->kind && strcmp(old.unit, sub->unit) == 0 && strcmp(old.group, sub->group) == 0)
        return 0;
    int d = store_class_subject_decided(s, sub->code, e);
    if (d < 0)
        return -1;
    if (d > 0)
        return err_set(e, tr("%s: '%s' đã có kết quả được quyết định; không đổi được loại, đơn vị hay nhóm",
                             "%s: '%s' already has a decided result; its kind, unit and group cannot change"), name, sub->code);
    return 0;
}

/* Writes items[0..n) (size bytes each) through put in one transaction; -1 (e says why) with
 * nothing written. */
static int put_all(store *s, const char *name, const void *items, int n, size_t size,
                   int (*put)(store *, const char *, const void *, err_t *), err_t *e)
{
    const char *p = items;
    if (store_begin(s, e) != 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (put(s, name, p + (size_t)i * size, e) != 0) {
            store_rollback(s);
            return -1;
        }
    if (store_commit(s, e) != 0) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

static int subject_put(store *s, const char *name, const void *item, err_t *e)
{
    return subject_unchanged_if_decided(s, name, item, e) != 0 || store_class_subject_put(s, item, e) != 0 ? -1 : 0;
}

int class_import_subjects(store *s, const model *m, const char *name, const char *data, size_t len, int dry_run,
                          int *n, err_t *e)
{
    class_subject *subs = NULL;
    int rc = utf8_check(name, data, len, e) != 0 || read_subjects(name, m, data, len, &subs, n, e) != 0 ? -1
           : dry_run ? 0
                     : put_all(s, name, subs, *n, sizeof *subs, subject_put, e);
    free(subs);
    return rc;
}

/* --- rights --------------------------------------------------------------------------- */

static int subject_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const class_subject *)elem)->code);
}

static int result_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const class_result *)elem)->subject);
}

const class_subject *class_subject_find(const class_subject *subs, int n, const char *code)
{
    return n > 0 ? bsearch(code, subs, (size_t)n, sizeof *subs, subject_cmp) : NULL;
}

const class_result *class_result_find(const class_result *res, int n, const char *code)
{
    return n > 0 ? bsearch(code, res, (size_t)n, sizeof *res, result_cmp) : NULL;
}

int class_subject_unit(const model *m, const class_subject *sub)
{
    return model_unit_find(m, sub->unit);
}

int class_may_see(const model *m, const class_actor *a, const class_subject *sub)
{
    int u = class_subject_unit(m, sub);
    if (u < 0)
        return a->role == ROLE_ADMIN;
    if (!class_kind_collective(sub->kind) && a->role == ROLE_VIEWER)
        return 0;
    return auth_allows(m, a->role, a->unit, u, ACT_READ);
}

int class_may_step(const model *m, const class_actor *a, const class_subject *sub, int step)
{
    int u = class_subject_unit(m, sub);
    if (u < 0)
        return 0;
    if (step == CS_ASSESSED)
        return auth_allows(m, a->role, a->unit, u, ACT_WRITE);
    if (step != CS_APPRAISED && step != CS_DECIDED)
        return 0;
    if (!auth_allows(m, a->role, a->unit, u, ACT_APPROVE))
        return 0;
    /* an organisation that is itself a unit is appraised and decided from above it */
    if (class_kind_collective(sub->kind) && strcmp(sub->code, m->units[u].code) == 0 && a->unit == u)
        return a->role == ROLE_ADMIN && m->units[u].parent < 0;
    return 1;
}

int class_may_decide(const model *m, const class_actor *a, const class_subject *sub, const class_rules *r)
{
    int u = class_subject_unit(m, sub);
    if (u < 0 || !class_may_step(m, a, sub, CS_DECIDED))
        return 0;
    int need = r->decide_levels_above < m->units[u].depth ? r->decide_levels_above : m->units[u].depth;
    return a->unit >= 0 && auth_in_subtree(m, a->unit, u) && m->units[u].depth - m->units[a->unit].depth >= need;
}

/* --- the steps ------------------------------------------------------------------------ */

int class_check_subject(const model *m, const task_set *ts, const class_rules *r, const class_subject *sub,
                        int score_cp, const char *faults, int asof, class_check *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    out->band = class_band(r, score_cp);
    out->cond_cap = CG_EXCELLENT;
    if (class_fault_cap(r, faults ? faults : "", &out->fault_cap, e) != 0)
        return -1;
    if (ts && class_kind_collective(sub->kind) && strcmp(sub->code, sub->unit) == 0 && model_unit_find(m, sub->unit) >= 0) {
        out->has_tasks = 1;
        class_tasks_count(ts, sub->unit, r->year, asof, &out->tasks);
        out->cond_cap = class_condition_cap(r, &out->tasks);
    }
    out->allowed = class_grade_allowed(r, score_cp, out->has_tasks ? &out->tasks : NULL, out->fault_cap);
    return 0;
}

int class_current_grade(const class_result *r, int *score_cp)
{
    const class_mark *mk = r->step >= CS_DECIDED ? &r->dec : r->step >= CS_APPRAISED ? &r->appr
                         : r->step >= CS_ASSESSED ? &r->self : NULL;
    if (score_cp)
        *score_cp = mk ? mk->score_cp : -1;
    return mk ? mk->grade : -1;
}

static const char *step_action(int step)
{
    return step == CS_ASSESSED ? "class_assess" : step == CS_APPRAISED ? "class_appraise" : "class_decide";
}

/* Refuses a step out of order; 0 if the result may take it. */
static int check_order(const class_result *cur, int step, err_t *e)
{
    if (cur->step == CS_DECIDED)
        return err_set(e, tr("%s năm %d đã có quyết định xếp loại; kết quả đã khóa",
                             "%s, %d is already decided; the result is locked"), cur->subject, cur->year);
    if (step == CS_ASSESSED && cur->step > CS_ASSESSED)
        return err_set(e, tr("%s năm %d đã được thẩm định; không tự đánh giá lại được",
                             "%s, %d is already appraised; it cannot be self-assessed again"), cur->subject, cur->year);
    if (step == CS_APPRAISED && cur->step < CS_ASSESSED)
        return err_set(e, tr("%s năm %d chưa tự đánh giá; chưa thẩm định được",
                             "%s, %d has no self-assessment yet; it cannot be appraised"), cur->subject, cur->year);
    if (step == CS_DECIDED && cur->step < CS_APPRAISED)
        return err_set(e, tr("%s năm %d chưa được thẩm định; chưa quyết định được",
                             "%s, %d is not appraised yet; it cannot be decided"), cur->subject, cur->year);
    return 0;
}

/* The decision's quota check: the decided xuất sắc of the group, this one included, may not pass
 * the limit of the group's tốt-and-above (current grades, this decision included). */
static int check_quota(store *s, const class_rules *r, const class_subject *sub, int grade, err_t *e)
{
    class_subject *subs = NULL;
    class_result *res = NULL;
    int nsub = store_class_subjects(s, &subs, e), nres = nsub < 0 ? -1 : store_class_results(s, r->year, &res, e);
    int rc = -1, base = 0, given = 0;
    if (nsub < 0 || nres < 0)
        goto cleanup;
    for (int i = 0, j = 0; i < nsub; i++) {
        if (strcmp(subs[i].group, sub->group) != 0)
            continue;
        while (j < nres && strcmp(res[j].subject, subs[i].code) < 0)
            j++;
        int g = -1, decided = 0;
        if (strcmp(subs[i].code, sub->code) == 0)
            g = grade, decided = 1;
        else if (j < nres && strcmp(res[j].subject, subs[i].code) == 0)
            g = class_current_grade(&res[j], NULL), decided = res[j].step == CS_DECIDED;
        if (r->quota_base_good_only ? g == CG_GOOD : g >= CG_GOOD)
            base++;
        if (decided && g == CG_EXCELLENT)
            given++;
    }
    int pct = sub->outstanding ? r->quota_outstanding_pct : r->quota_pct, limit = class_quota_limit(base, pct);
    if (grade == CG_EXCELLENT && given > limit) {
        err_set(e, tr("nhóm '%s': xuất sắc vượt hạn mức %d%% (tối đa %d trong %d đạt tốt trở lên, làm tròn xuống; quyết định này là người thứ %d)",
                      "group '%s': xuất sắc over the %d%% quota (at most %d of %d graded tốt and above, rounded down; this decision would be number %d)"),
                sub->group, pct, limit, base, given);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free(subs);
    free(res);
    return rc;
}

static void now_iso(char *out, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Checks the input, the right and the grade against the rules; fills r, sub, cur, chk. */
static int step_prepare(store *s, const model *m, const task_set *ts, const class_actor *a, const class_step_in *in,
                        class_rules *r, class_subject *sub, class_result *cur, class_check *chk, err_t *e)
{
    if (in->step < CS_ASSESSED || in->step > CS_DECIDED || in->grade < 0 || in->grade >= CG_COUNT ||
        in->score_cp < 0 || in->score_cp > CLASS_SCORE_MAX)
        return err_set(e, tr("bước, điểm hoặc mức xếp loại không hợp lệ", "bad step, score or grade"));
    int found = store_class_subject_get(s, in->subject, sub, e);
    if (found <= 0)
        return found < 0 ? -1 : err_set(e, tr("không có đối tượng '%s'", "no subject '%s'"), in->subject);
    if (!class_may_step(m, a, sub, in->step))
        return err_set(e, tr("người dùng '%s' không có quyền %s '%s' (đơn vị %s)", "user '%s' may not %s '%s' (unit %s)"),
                       a->login, in->step == CS_ASSESSED ? tr("tự đánh giá cho", "self-assess")
                                 : in->step == CS_APPRAISED ? tr("thẩm định", "appraise") : tr("quyết định xếp loại", "decide"),
                       sub->code, sub->unit);
    if (store_class_rules_get(s, in->year, sub->kind, r, e) < 0 || store_class_result_get(s, in->year, sub->code, cur, e) < 0 ||
        check_order(cur, in->step, e) != 0)
        return -1;
    if (in->step == CS_DECIDED && !class_may_decide(m, a, sub, r))
        return err_set(e, tr("'%s' không phải cấp có thẩm quyền quyết định xếp loại '%s': cần cấp trên %d cấp trở lên của đơn vị %s",
                             "'%s' is not the competent level to decide '%s': it takes a level %d or more above the unit %s"),
                       a->login, sub->code, r->decide_levels_above, sub->unit);
    if (class_check_subject(m, ts, r, sub, in->score_cp, in->faults, in->asof, chk, e) != 0)
        return -1;
    if (in->grade > chk->allowed) {
        char sc[16];
        class_score_text(in->score_cp, lang_get(), sc, sizeof sc);
        return err_set(e, tr("mức '%s' cao hơn mức được phép '%s' (điểm %s: %s; điều kiện nhiệm vụ: %s; lỗi: %s)",
                             "grade '%s' is above the allowed '%s' (score %s: %s; task conditions: %s; faults: %s)"),
                       class_grade_key(in->grade), class_grade_key(chk->allowed), sc, class_grade_key(chk->band),
                       chk->has_tasks ? class_grade_key(chk->cond_cap) : "-", class_grade_key(chk->fault_cap));
    }
    return 0;
}

int class_step(store *s, const model *m, const task_set *ts, const class_actor *a, const class_step_in *in,
               class_result *out, class_check *chk, err_t *e)
{
    class_rules *r = malloc(sizeof *r);
    class_subject sub;
    int rc = -1, in_tx = 0;
    if (r == NULL)
        return err_set(e, "out of memory");
    if (store_begin(s, e) != 0)
        goto cleanup;
    in_tx = 1;
    if (step_prepare(s, m, ts, a, in, r, &sub, out, chk, e) != 0)
        goto cleanup;
    if (in->step == CS_DECIDED && check_quota(s, r, &sub, in->grade, e) != 0)
        goto cleanup;
    class_mark *mk = in->step == CS_ASSESSED ? &out->self : in->step == CS_APPRAISED ? &out->appr : &out->dec;
    mk->score_cp = in->score_cp;
    mk->grade = in->grade;
    snprintf(mk->by, sizeof mk->by, "%s", a->login);
    now_iso(mk->at, sizeof mk->at);
    snprintf(mk->comment, sizeof mk->comment, "%s", in->comment ? in->comment : "");
    snprintf(out->faults, sizeof out->faults, "%s", in->faults ? in->faults : "");
    out->step = in->step;
    char obj[96], sc[16];
    buf detail = BUF_INIT;
    snprintf(obj, sizeof obj, "%d/%s", in->year, sub.code);
    class_score_text(in->score_cp, LANG_EN, sc, sizeof sc);
    buf_printf(&detail, "score=%s grade=%s faults=%s comment=%s", sc, class_grade_key(in->grade), out->faults, mk->comment);
    int w = store_class_result_put(s, out, e) != 0 || store_audit_add(s, a->login, step_action(in->step), obj,
                                                                       buf_str(&detail), e) != 0;
    buf_free(&detail);
    if (w || store_commit(s, e) != 0)
        goto cleanup;
    in_tx = 0;
    rc = 0;
cleanup:
    if (in_tx)
        store_rollback(s);
    free(r);
    return rc;
}

/* --- the quota and the rates ---------------------------------------------------------- */

/* Loads every subject and the results of `year`, with each subject's result index (-1: none). */
typedef struct round_data {
    class_subject *subs;
    class_result *res;
    int nsub, nres;
    int *res_of;                   /* by subject index */
} round_data;

static void round_free(round_data *d)
{
    free(d->subs);
    free(d->res);
    free(d->res_of);
}

static int round_load(store *s, int year, round_data *d, err_t *e)
{
    memset(d, 0, sizeof *d);
    d->nsub = store_class_subjects(s, &d->subs, e);
    if (d->nsub < 0 || (d->nres = store_class_results(s, year, &d->res, e)) < 0)
        return -1;
    d->res_of = malloc(((size_t)d->nsub + 1) * sizeof *d->res_of);
    if (d->res_of == NULL)
        return err_set(e, "out of memory");
    for (int i = 0, j = 0; i < d->nsub; i++) {   /* both are in code order */
        while (j < d->nres && strcmp(d->res[j].subject, d->subs[i].code) < 0)
            j++;
        d->res_of[i] = j < d->nres && strcmp(d->res[j].subject, d->subs[i].code) == 0 ? j : -1;
    }
    return 0;
}

int class_quota_report(store *s, const model *m, int year, int root, class_quota_line **out, err_t *e)
{
    round_data d;
    class_rules *rules = malloc(CK_COUNT * sizeof *rules);
    class_quota_entry *q = NULL;
    class_quota_line *lines = NULL;
    int rc = -1, n = 0;
    *out = NULL;
    if (rules == NULL) {
        free(rules);
        return err_set(e, "out of memory");
    }
    if (round_load(s, year, &d, e) != 0)
        goto cleanup;
    for (int k = 0; k < CK_COUNT; k++)
        if (store_class_rules_get(s, year, k, &rules[k], e) < 0)
            goto cleanup;
    q = calloc((size_t)d.nsub + 1, sizeof *q);
    lines = calloc((size_t)d.nsub + 1, sizeof *lines);
    if (q == NULL || lines == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < d.nsub; i++) {
        const class_subject *sub = &d.subs[i];
        const class_rules *r = &rules[sub->kind >= 0 ? sub->kind : 0];
        q[i].group = sub->group;
        q[i].code = sub->code;
        q[i].grade = d.res_of[i] >= 0 ? class_current_grade(&d.res[d.res_of[i]], &q[i].score_cp) : -1;
        q[i].pct = sub->outstanding ? r->quota_outstanding_pct : r->quota_pct;
        q[i].base_good_only = r->quota_base_good_only;
    }
    if (class_quota_mark(q, d.nsub) < 0) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < d.nsub; i++) {
        int u = class_subject_unit(m, &d.subs[i]);
        if (root >= 0 && !auth_in_subtree(m, root, u))
            continue;
        class_quota_line *l = &lines[n++];
        l->sub = d.subs[i];
        l->grade = q[i].grade;
        l->score_cp = q[i].score_cp;
        l->step = d.res_of[i] >= 0 ? d.res[d.res_of[i]].step : CS_NONE;
        l->over = q[i].over;
        l->pct = q[i].pct;
    }
    *out = lines;
    lines = NULL;
    rc = n;
cleanup:
    round_free(&d);
    free(rules);
    free(q);
    free(lines);
    return rc;
}

static const struct rate_def {
    const char *code, *name;
    int members, dir;              /* members: 1 member and leader subjects, 0 grassroots organisations */
} rate_defs[CR_COUNT] = {
    { "tccsd_htt", "Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên", 0, DIR_UP },
    { "tccsd_htxs", "Tỷ lệ tổ chức cơ sở đảng được xếp loại hoàn thành xuất sắc nhiệm vụ", 0, DIR_UP },
    { "tccsd_khht", "Tỷ lệ tổ chức cơ sở đảng xếp loại không hoàn thành nhiệm vụ", 0, DIR_DOWN },
    { "dang_vien_htt", "Tỷ lệ đảng viên được xếp loại hoàn thành tốt nhiệm vụ trở lên", 1, DIR_UP },
    { "dang_vien_htxs", "Tỷ lệ đảng viên được xếp loại hoàn thành xuất sắc nhiệm vụ", 1, DIR_UP },
    { "dang_vien_khht", "Tỷ lệ đảng viên xếp loại không hoàn thành nhiệm vụ", 1, DIR_DOWN },
};

const char *class_rate_code(int k)
{
    return k >= 0 && k < CR_COUNT ? rate_defs[k].code : "";
}

/* Per unit and population (0 organisations, 1 members): subjects, decided, tốt+, xuất sắc, fail. */
enum { RC_ALL = 0, RC_DECIDED, RC_GOOD, RC_EXC, RC_FAIL, RC_N };
typedef int rate_counts[2][RC_N];

static void count_subjects(const model *m, const round_data *d, rate_counts *c)
{
    for (int i = 0; i < d->nsub; i++) {
        const class_subject *sub = &d->subs[i];
        int pop = sub->kind == CK_GRASSROOTS ? 0 : sub->kind == CK_MEMBER || sub->kind == CK_LEADER ? 1 : -1;
        int u = class_subject_unit(m, sub);
        if (pop < 0 || u < 0)
            continue;
        const class_result *r = d->res_of[i] >= 0 ? &d->res[d->res_of[i]] : NULL;
        int decided = r && r->step == CS_DECIDED, g = decided ? r->dec.grade : -1;
        for (int depth = 0; u >= 0 && depth <= (int)m->nunits; depth++, u = m->units[u].parent) {
            c[u][pop][RC_ALL]++;
            c[u][pop][RC_DECIDED] += decided;
            c[u][pop][RC_GOOD] += g >= CG_GOOD;
            c[u][pop][RC_EXC] += g == CG_EXCELLENT;
            c[u][pop][RC_FAIL] += g == CG_FAIL;
        }
    }
}

/* The indicator of rate k, created (in the model and the store) when absent; -1 on error. */
static int rate_indicator(store *s, model *m, int k, err_t *e)
{
    int i = model_ind_find(m, rate_defs[k].code);
    if (i >= 0)
        return i;
    ind_t def = { 0 };
    def.code = (char *)rate_defs[k].code;
    def.name = (char *)rate_defs[k].name;
    def.group = "Xây dựng Đảng";
    def.set = "chỉ tiêu";
    def.measure = "%";
    def.parent_code = "";
    def.formula_src = "";
    def.dir = rate_defs[k].dir;
    def.uagg = AGG_NONE;
    def.pagg = AGG_LAST;
    def.decimals = 1;
    i = model_put_ind(m, &def);
    if (i < 0)
        return err_set(e, "out of memory");
    if (store_put_ind(s, m, i, (int)m->ninds, e) != 0 || model_finish(m, e) != 0)
        return -1;
    return i;
}

/* Appends the three rates of one population of unit u to rows (indicators made beforehand). */
static void rate_rows(const model *m, int u, period_t p, const int *c, int pop, write_row *rows, int *n)
{
    for (int k = pop * 3; k < pop * 3 + 3; k++) {
        int num = k % 3 == 0 ? c[RC_GOOD] : k % 3 == 1 ? c[RC_EXC] : c[RC_FAIL];
        rows[(*n)++] = (write_row){ .kind = WRITE_VALUE, .ind = model_ind_find(m, rate_defs[k].code), .unit = u,
                                    .p = p, .v = 100.0 * num / c[RC_ALL] };
    }
}

/* Creates the rate indicators the model lacks, in one transaction of their own (a catalogue
 * change, before the figures go through the write module). */
static int rate_indicators(store *s, model *m, err_t *e)
{
    int missing = 0;
    for (size_t k = 0; k < sizeof rate_defs / sizeof *rate_defs; k++)
        missing += model_ind_find(m, rate_defs[k].code) < 0;
    if (missing == 0)
        return 0;
    if (store_begin(s, e) != 0)
        return -1;
    for (size_t k = 0; k < sizeof rate_defs / sizeof *rate_defs; k++)
        if (rate_indicator(s, m, (int)k, e) < 0) {
            store_rollback(s);
            return -1;
        }
    return store_commit(s, e);
}

static void rate_line(buf *lines, const model *m, int u, int pop, const int *c, const char *note)
{
    if (lines == NULL)
        return;
    buf_printf(lines, "%s\t%s\t%d/%d\t%d\t%d\t%d\t%s\n", m->units[u].code, pop ? "members" : "organisations",
               c[RC_DECIDED], c[RC_ALL], c[RC_GOOD], c[RC_EXC], c[RC_FAIL], note);
}

/* Chooses the rows of every unit whose subtree is decided and whose figures are not locked
 * (write.h: submitted or approved, here or above); the others are counted and listed. */
static int rate_plan(store *s, const model *m, period_t p, rate_counts *c, write_row *rows, int *n,
                     class_rates_out *out, buf *lines, err_t *e)
{
    for (size_t u = 0; u < m->nunits; u++) {
        int any = 0;
        for (int pop = 0; pop < 2; pop++) {
            const int *k = c[u][pop];
            if (k[RC_ALL] == 0)
                continue;
            if (k[RC_DECIDED] < k[RC_ALL]) {
                out->skipped_undecided++;
                rate_line(lines, m, (int)u, pop, k, tr("chưa ghi: còn đối tượng chưa có quyết định", "not written: undecided subjects"));
                continue;
            }
            int locked = write_locked(s, m, (int)u, p, NULL, e);
            if (locked < 0)
                return -1;
            if (locked) {
                out->skipped_approved++;
                rate_line(lines, m, (int)u, pop, k, tr("chưa ghi: số liệu năm đã gửi hoặc đã duyệt (khóa)",
                                                      "not written: the year's figures are submitted or approved (locked)"));
                continue;
            }
            rate_rows(m, (int)u, p, k, pop, rows, n);
            rate_line(lines, m, (int)u, pop, k, tr("ghi", "write"));
            any = 1;
        }
        out->units += any;
    }
    return 0;
}

int class_rates(store *s, model *m, int year, const char *who, int dry_run, class_rates_out *out, buf *lines,
                err_t *e)
{
    round_data d = { 0 };
    rate_counts *c = calloc(m->nunits + 1, sizeof *c);
    write_row *rows = calloc(m->nunits * 6 + 1, sizeof *rows);
    buf errs = BUF_INIT;
    char per[16], src[32];
    period_t p;
    int rc = -1, n = 0, changed = 0, outside = 0, loaded = 0;
    memset(out, 0, sizeof *out);
    snprintf(per, sizeof per, "%d", year);
    snprintf(src, sizeof src, "class %d", year);
    if (c == NULL || rows == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (period_parse(per, strlen(per), &p) != 0) {
        err_set(e, tr("năm %d không hợp lệ", "bad year %d"), year);
        goto cleanup;
    }
    if (round_load(s, year, &d, e) != 0)
        goto cleanup;
    loaded = 1;
    count_subjects(m, &d, c);
    if (!dry_run && rate_indicators(s, m, e) != 0)
        goto cleanup;
    if (rate_plan(s, m, p, c, rows, &n, out, lines, e) != 0)
        goto cleanup;
    if (dry_run || n == 0) {
        out->written = dry_run ? n : 0;
        rc = 0;
        goto cleanup;
    }
    /* the one door for figures: rights, locks (again, inside the transaction) and history */
    write_actor a = { who, ROLE_ADMIN, -1, src, 0, 1 };
    if (write_values(s, m, &a, rows, n, NULL, &errs, &changed, &outside, e) != 0)
        goto cleanup;
    if (errs.len) {
        err_set(e, tr("không ghi được tỷ lệ xếp loại: %s", "the classification rates were not written: %s"), buf_str(&errs));
        goto cleanup;
    }
    out->written = changed;
    rc = 0;
cleanup:
    if (loaded)
        round_free(&d);
    buf_free(&errs);
    free(rows);
    free(c);
    return rc;
}

/* --- the emulation awards register ----------------------------------------------------------- */

/* One award (row_fn; ctx the store its subject is checked against, or NULL). */
static int award_row(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                     err_t *e)
{
    store *s = ctx;
    const class_award *before = items;
    class_award *a = item;
    char form[64], date[32];
    memset(a, 0, sizeof *a);
    if (rec->nfields != 7)
        return err_set(e, tr("%s, dòng %ld: cần 7 cột, có %zu", "%s, row %ld: expected 7 columns, found %zu"), name,
                       rec->row, rec->nfields);
    if (parse_year(name, rec, &a->year, e) != 0 ||
        field(name, rec, 1, "subject", a->subject, sizeof a->subject, 0, e) != 0 ||
        field(name, rec, 2, "form", form, sizeof form, 0, e) != 0 ||
        field(name, rec, 3, "title", a->title, sizeof a->title, 0, e) != 0 ||
        field(name, rec, 4, "issuer", a->issuer, sizeof a->issuer, 0, e) != 0 ||
        field(name, rec, 5, "decision", a->decision, sizeof a->decision, 0, e) != 0 ||
        field(name, rec, 6, "date", date, sizeof date, 1, e) != 0)
        return -1;
    if ((a->form = class_award_form_parse(form)) < 0)
        return err_set(e, tr("%s, dòng %ld, cột form: '%s' phải là title, merit, certificate, badge hoặc other",
                             "%s, row %ld, column form: '%s' must be title, merit, certificate, badge or other"),
                       name, rec->row, form);
    if (date[0] && task_parse_date(date, &a->date) != 0)
        return err_set(e, tr("%s, dòng %ld, cột date: '%s' không phải ngày (2025-12-20 hoặc 20/12/2025)",
                             "%s, row %ld, column date: '%s' is not a date (2025-12-20 or 20/12/2025)"), name, rec->row, date);
    if (s) {
        class_subject sub;
        int found = store_class_subject_get(s, a->subject, &sub, e);
        if (found < 0)
            return -1;
        if (found == 0)
            return err_set(e, tr("%s, dòng %ld, cột subject: không có đối tượng '%s' (nhập đối tượng trước)",
                                 "%s, row %ld, column subject: no subject '%s' (import the subjects first)"),
                           name, rec->row, a->subject);
    }
    for (int i = 0; i < n; i++)     /* the table's key: a second row would overwrite the first */
        if (before[i].year == a->year && strcmp(before[i].subject, a->subject) == 0 &&
            strcmp(before[i].title, a->title) == 0 && strcmp(before[i].decision, a->decision) == 0)
            return err_set(e, tr("%s, dòng %ld: khen thưởng này (cùng year, subject, title và decision) đã có ở một dòng trước",
                                 "%s, row %ld: this award (same year, subject, title and decision) is on an earlier row"),
                           name, rec->row);
    return 0;
}

/* Reads every award (subjects checked against s unless NULL). */
static int read_awards(store *s, const char *name, const char *data, size_t len, class_award **out, int *n, err_t *e)
{
    static const char *const cols[] = { "year", "subject", "form", "title", "issuer", "decision", "date" };
    void *items;
    int rc = read_rows(name, data, len, cols, 7, sizeof **out, award_row, s, &items, n, e);
    *out = items;
    return rc;
}

int class_awards_check(const char *name, const char *data, size_t len, int *n, err_t *e)
{
    class_award *as = NULL;
    int rc = utf8_check(name, data, len, e) != 0 || read_awards(NULL, name, data, len, &as, n, e) != 0 ? -1 : 0;
    free(as);
    return rc;
}

static int award_put(store *s, const char *name, const void *item, err_t *e)
{
    (void)name;
    return store_class_award_put(s, item, e);
}

int class_import_awards(store *s, const char *name, const char *data, size_t len, int dry_run, int *n, err_t *e)
{
    class_award *as = NULL;
    int rc = utf8_check(name, data, len, e) != 0 || read_awards(s, name, data, len, &as, n, e) != 0 ? -1
           : dry_run ? 0
                     : put_all(s, name, as, *n, sizeof *as, award_put, e);
    free(as);
    return rc;
}

int class_award_match(const class_award *a, const class_subject *sub, const char *search)
{
    if (search == NULL || *search == '\0')
        return 1;
    return vn_search(a->title, search) || vn_search(a->issuer, search) || vn_search(a->decision, search) ||
           (sub && vn_search(sub->name, search)) || vn_search(a->subject, search);
}

int class_count_units(store *s, const model *m, int year, class_unit_count **out, err_t *e)
{
    round_data d;
    class_unit_count *c = calloc(2 * (m->nunits + 1), sizeof *c);
    *out = NULL;
    if (c == NULL)
        return err_set(e, "out of memory");
    if (round_load(s, year, &d, e) != 0) {
        round_free(&d);
        free(c);
        return -1;
    }
    for (int i = 0; i < d.nsub; i++) {
        const class_subject *sub = &d.subs[i];
        int pop = sub->kind == CK_GRASSROOTS ? 0 : sub->kind == CK_MEMBER || sub->kind == CK_LEADER ? 1 : -1;
        int u = class_subject_unit(m, sub);
        if (pop < 0 || u < 0)
            continue;
        const class_result *r = d.res_of[i] >= 0 ? &d.res[d.res_of[i]] : NULL;
        int g = r && r->step == CS_DECIDED ? r->dec.grade : -1;
        for (int depth = 0; u >= 0 && depth <= (int)m->nunits; depth++, u = m->units[u].parent) {
            class_unit_count *k = &c[2 * u + pop];
            k->all++;
            if (g >= 0) {
                k->decided++;
                k->grade[g]++;
            }
        }
    }
    round_free(&d);
    *out = c;
    return 0;
}
