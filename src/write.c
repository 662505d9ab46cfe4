/* write.c - the one door for every change of figures (see write.h).
 *
 * Data flow of write_values: write_begin (queue behind other writers) -> the locks, read
 * inside the transaction -> per row: rights, indicator, limits, lock, the stored cell
 * (store_get_cell, inside the transaction), `expected`, unchanged? -> if any row failed:
 * rollback, errors to the caller -> the puts (history rows by trigger) -> commit -> the
 * caller's sink.begin -> model and engine updated -> sink.end.  write_import runs import_run
 * inside its own transaction with a model loaded in it, vetting each change through
 * vet_change.  write_approval moves a (unit, period) data set through its states.
 *
 * Ownership: the caller owns the store, the model and every row; the locks and the resolved
 * changes are owned here for one call.  No state outlives a call but the commit counter.
 */
#include "write.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "completeness.h"
#include "engine.h"
#include "fixed.h"
#include "store_multi.h"
#include "store_rule.h"
#include "vn.h"
#include "write_rule.h"

static long commits;              /* write_commits(): a test hook, updated atomically */

long write_commits(void)
{
    return __atomic_load_n(&commits, __ATOMIC_SEQ_CST);
}

static int commit(store *s, err_t *e)
{
    if (store_commit(s, e) != 0) {
        store_rollback(s);
        return -1;
    }
    __atomic_fetch_add(&commits, 1, __ATOMIC_SEQ_CST);
    return 0;
}

/* The audit entry (if any) by the actor in the open transaction; n figures were written. */
static int audit_in_tx(store *s, const write_actor *a, const store_audit_row *audit, long n, err_t *e)
{
    if (audit == NULL)
        return 0;
    char count[24];
    snprintf(count, sizeof count, "%ld", n);
    return store_audit_add(s, a->login, audit->action, audit->object, audit->detail ? audit->detail : count, e);
}

int write_begin(store *s, const write_actor *a, err_t *e)
{
    int limit = a && a->wait_s > 0 ? a->wait_s : 600;
    time_t start = time(NULL);
    int said = 0;
    for (;;) {
        int r = store_try_begin(s, 1000, e);
        if (r <= 0) {
            if (said)
                fputc('\n', stderr);
            return r;
        }
        long waited = (long)(time(NULL) - start);
        if (waited >= limit) {
            if (said)
                fputc('\n', stderr);
            return err_set(e, tr("cơ sở dữ liệu đang được một tiến trình khác ghi; đã chờ %ld giây, hãy thử lại sau",
                                 "another process is writing the database; waited %ld s, try again later"), waited);
        }
        if (a && a->progress) {
            fprintf(stderr, tr("\r  chờ một tiến trình khác ghi xong... %ld giây",
                               "\r  waiting for another writer to finish... %ld s"), waited);
            fflush(stderr);
            said = 1;
        }
    }
}

/* ---- locks ---- */

struct write_locks {
    size_t nunits;
    int *first;                   /* by unit index: first lock of the unit, -1 = none */
    struct lock { web_sub sub; period_t p; int targets, next; } *v;
    int n;
};

int write_locks_load(store *s, const model *m, write_locks **out, err_t *e)
{
    web_sub *subs = NULL;
    int n = store_sub_list(s, &subs, e);
    write_locks *l = n < 0 ? NULL : calloc(1, sizeof *l);
    *out = NULL;
    if (n < 0)
        return -1;
    if (l == NULL || (l->first = malloc((m->nunits + 1) * sizeof *l->first)) == NULL ||
        (l->v = malloc(((size_t)n + 1) * sizeof *l->v)) == NULL) {
        write_locks_free(l);
        free(subs);
        return err_set(e, "out of memory");
    }
    l->nunits = m->nunits;
    for (size_t u = 0; u < m->nunits; u++)
        l->first[u] = -1;
    for (int k = 0; k < n; k++) {
        int u = model_unit_find(m, subs[k].unit);
        int targets;
        const char *code = write_key_period(subs[k].period, &targets);
        period_t p;
        if (u < 0 || (subs[k].state != SUB_SUBMITTED && subs[k].state != SUB_APPROVED) ||
            period_parse(code, strlen(code), &p) != 0)
            continue;
        l->v[l->n] = (struct lock){ subs[k], p, targets, l->first[u] };
        l->first[u] = l->n++;
    }
    free(subs);
    *out = l;
    return 0;
}

void write_locks_free(write_locks *l)
{
    if (l == NULL)
        return;
    free(l->first);
    free(l->v);
    free(l);
}

/* write_locks_find from unit up; depth bounds the successions followed (model_finish refuses cycles). */
static int locks_find_up(const write_locks *l, const model *m, int targets, int unit, period_t p, web_sub *hit,
                         int depth)
{
    for (int u = unit; u >= 0 && (size_t)u < m->nunits; u = m->units[u].parent) {
        for (int k = (size_t)u < l->nunits ? l->first[u] : -1; k >= 0; k = l->v[k].next)
            if (l->v[k].targets == targets && period_contains(l->v[k].p, p)) {
                if (hit)
                    *hit = l->v[k].sub;
                return 1;
            }
        /* a value of a period starting before a succession counts in the successor's figures on
         * today's structure (docs/successions.md): its locks hold it too */
        int ns = 0;
        const int *out = targets || depth >= 32 ? NULL : model_succs(m, u, &ns);
        for (int j = 0; j < ns; j++)
            if (period_start(p) < m->succs[out[j]].date &&
                locks_find_up(l, m, targets, m->succs[out[j]].to, p, hit, depth + 1))
                return 1;
    }
    return 0;
}

int write_locks_find(const write_locks *l, const model *m, int targets, int unit, period_t p, web_sub *hit)
{
    if (l == NULL || l->n == 0)
        return 0;
    return locks_find_up(l, m, targets, unit, p, hit, 0);
}

/* 1 (hit filled) if one of subs[0..n) is unit's and locks p's values; the first such. */
static int lock_of(const web_sub *subs, int n, const char *unit, period_t p, web_sub *hit)
{
    for (int k = 0; k < n; k++) {
        int targets;
        const char *code = write_key_period(subs[k].period, &targets);
        period_t lp;
        if (strcmp(subs[k].unit, unit) == 0 && (subs[k].state == SUB_SUBMITTED || subs[k].state == SUB_APPROVED) &&
            !targets && period_parse(code, strlen(code), &lp) == 0 && period_contains(lp, p)) {
            if (hit)
                *hit = subs[k];
            return 1;
        }
    }
    return 0;
}

int write_locked(store *s, const model *m, int unit, period_t p, web_sub *hit, err_t *e)
{
    /* only the unit and the units above it lock it: their submissions, not every one (an entry
     * page asks this on each request), read a few units at a time; the unit first, then up,
     * each unit's oldest first, as write_locks_find visits them */
    int u = unit;
    while (u >= 0 && (size_t)u < m->nunits) {
        const char *chain[STORE_SUB_UNITS_MAX];
        int n = 0, found = 0;
        for (; u >= 0 && (size_t)u < m->nunits && n < STORE_SUB_UNITS_MAX; u = m->units[u].parent)
            chain[n++] = m->units[u].code;
        web_sub *subs;
        int ns = store_sub_list_units(s, chain, n, &subs, e);
        if (ns < 0)
            return -1;
        for (int j = 0; j < n && !found; j++)
            found = lock_of(subs, ns, chain[j], p, hit);
        free(subs);
        if (found)
            return 1;
    }
    return 0;
}

void write_lock_text(const web_sub *l, buf *b)
{
    if (strncmp(l->period, WRITE_TARGETS_PREFIX, strlen(WRITE_TARGETS_PREFIX)) == 0)
        buf_printf(b, tr("kế hoạch của đơn vị '%s' kỳ %s đã được %s %s lúc %s; cần quản trị mở khóa",
                         "the targets of unit '%s' for %s were %s by %s at %s; an administrator must unlock them"),
                   l->unit, l->period + strlen(WRITE_TARGETS_PREFIX),
                   l->state == SUB_APPROVED ? tr("duyệt", "approved") : tr("gửi duyệt", "submitted"), l->who, l->at);
    else if (l->state == SUB_APPROVED)
        buf_printf(b, tr("số liệu của đơn vị '%s' kỳ %s đã được %s duyệt và khóa lúc %s; cần quản trị mở khóa",
                         "the data of unit '%s' for %s was approved and locked by %s at %s; an administrator must unlock it"),
                   l->unit, l->period, l->who, l->at);
    else
        buf_printf(b, tr("số liệu của đơn vị '%s' kỳ %s đã được %s gửi duyệt lúc %s; chờ duyệt hoặc trả lại",
                         "the data of unit '%s' for %s was submitted for approval by %s at %s; wait for approval or return"),
                   l->unit, l->period, l->who, l->at);
}

/* ---- values and targets ---- */

/* Characters (UTF-8 code points) of s: limits are documented in characters, not bytes. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void row_err(buf *errs, int row, const char *field, const char *msg)
{
    buf_printf(errs, "%d\t%s\t", row, field);
    for (const char *p = msg; *p; p++)
        buf_addc(errs, *p == '\n' || *p == '\t' ? ' ' : *p);     /* one line per problem */
    buf_addc(errs, '\n');
}

static void fmt_num(buf *b, double v, int decimals)
{
    vn_format_number_trim(v, decimals, lang_get(), b);
}

/* The rights of the actor on row x's unit and kind; 0 or an error appended. */
static int may_write(const model *m, const write_actor *a, int kind, int unit, buf *why)
{
    if (a->unit < 0 && a->role == ROLE_ADMIN)
        return 0;
    int act = kind == WRITE_TARGET ? ACT_ADMIN : ACT_WRITE;
    if (a->unit >= 0 && auth_allows(m, a->role, a->unit, unit, act))
        return 0;
    buf_printf(why, kind == WRITE_TARGET ? tr("chỉ quản trị của đơn vị '%s' được sửa kế hoạch của đơn vị này",
                                             "only an administrator of unit '%s' may change its targets")
                                         : tr("bạn không có quyền nhập số liệu cho đơn vị '%s'",
                                              "you may not enter data for unit '%s'"), m->units[unit].code);
    return -1;
}

/* The stored cell, compared with what the caller expected; 0 or an error appended. */
static int check_expected(const model *m, const write_row *x, const cell_t *cur, int had, buf *why)
{
    double o = 0;
    int want = *x->expected != '\0';
    int parsed = want && vn_parse_number(x->expected, strlen(x->expected), VN_DEC_DOT, &o) == 0;
    int same = want ? had && parsed && o == cur->v : !had;
    if (same)
        return 0;
    buf now = BUF_INIT, was = BUF_INIT, typed = BUF_INIT;
    int dec = m->inds[x->ind].decimals;
    if (had)
        fmt_num(&now, cur->v, dec);
    if (parsed)
        fmt_num(&was, o, dec);
    if (x->typed)
        buf_adds(&typed, x->typed);
    else
        fmt_num(&typed, x->v, dec);
    buf_printf(why, tr("người khác đã sửa số liệu này trong lúc bạn nhập: hiện là '%s' "
                       "(khi bạn mở trang là '%s', bạn nhập '%s'); hãy tải lại trang",
                       "someone else changed this figure meanwhile: it is now '%s' "
                       "(it was '%s' when you opened the page, you entered '%s'); reload the page"),
               had ? buf_str(&now) : "—", parsed ? buf_str(&was) : "—", buf_str(&typed));
    buf_free(&now);
    buf_free(&was);
    buf_free(&typed);
    return -1;
}

/* A change decided inside the transaction, applied to the model after the commit. */
typedef struct resolved {
    int row;
    char *comment;               /* the comment the cell ends with (owned; NULL = none) */
} resolved;

/* Checks row k (inside the transaction); returns 1 if it changes something (res filled), 0 if
 * not or refused (errs appended), -1 on an internal error. */
static int check_row(store *s, const model *m, const write_actor *a, const write_locks *locks,
                     const write_row *x, int k, buf *errs, resolved *res, err_t *e)
{
    buf why = BUF_INIT;
    const char *field = "unit";
    int rc = 0, had = 0;
    cell_t cur = { 0 };
    if (x->unit < 0 || (size_t)x->unit >= m->nunits) {
        buf_adds(&why, tr("không có đơn vị này", "no such unit"));
        goto refuse;
    }
    if (may_write(m, a, x->kind, x->unit, &why) != 0)
        goto refuse;
    field = "period";
    if (x->kind == WRITE_VALUE && !model_unit_valid_why(m, x->unit, x->p, &why))
        goto refuse;                     /* a figure no roll-up would count (targets may be set on
                                          * today's structure before a unit began: successions.md) */
    field = "indicator";
    if (x->ind < 0 || (size_t)x->ind >= m->ninds) {
        buf_adds(&why, tr("không có chỉ tiêu này", "no such indicator"));
        goto refuse;
    }
    if (x->kind == WRITE_VALUE && m->inds[x->ind].f) {
        buf_adds(&why, tr("chỉ tiêu tính bằng công thức, không nhập trực tiếp", "computed by a formula, not entered"));
        goto refuse;
    }
    field = "value";
    if (!isfinite(x->v) || fabs(x->v) > FX_LIMIT) {
        buf_adds(&why, tr("số quá lớn: giới hạn là ±900.000 tỷ; hãy nhập theo đơn vị tính lớn hơn "
                          "(ví dụ tỷ đồng thay cho đồng)",
                          "number too large: the limit is ±9e14; enter it in a larger unit "
                          "(e.g. billions instead of units)"));
        goto refuse;
    }
    field = "comment";
    if (x->comment && utf8_chars(x->comment) > 500) {
        buf_adds(&why, tr("ghi chú dài quá 500 ký tự", "comment longer than 500 characters"));
        goto refuse;
    }
    web_sub lock;
    field = "locked";
    if (write_locks_find(locks, m, x->kind == WRITE_TARGET, x->unit, x->p, &lock)) {
        write_lock_text(&lock, &why);
        goto refuse;
    }
    if ((had = store_get_cell(s, m, x->kind == WRITE_TARGET, x->ind, x->unit, x->p, &cur, e)) < 0) {
        rc = -1;
        goto cleanup;
    }
    field = "expected";
    if (x->expected && check_expected(m, x, &cur, had, &why) != 0)
        goto refuse;
    const char *oldc = cur.comment ? cur.comment : "";
    const char *newc = x->kind == WRITE_TARGET ? "" : x->comment ? x->comment : oldc;
    if (had && cur.v == x->v && strcmp(oldc, newc) == 0)
        goto cleanup;                    /* unchanged: no history noise */
    res->row = k;
    res->comment = NULL;
    if (*newc && (res->comment = strdup(newc)) == NULL) {
        rc = err_set(e, "out of memory");
        goto cleanup;
    }
    rc = 1;
    goto cleanup;
refuse:
    row_err(errs, k, field, buf_str(&why));
cleanup:
    free(cur.comment);
    buf_free(&why);
    return rc;
}

/* Puts the resolved changes into the open transaction. */
static int put_changes(store *s, const model *m, const write_actor *a, const write_row *rows,
                       const resolved *res, int nres, err_t *e)
{
    for (int j = 0; j < nres; j++) {
        const write_row *x = &rows[res[j].row];
        int r = x->kind == WRITE_TARGET
              ? store_put_target(s, m, x->ind, x->unit, x->p, x->v, NULL, a->login, a->source, e)
              /* the old cell only tells "an update": the history trigger reads the old row */
              : store_put_value(s, m, x->ind, x->unit, x->p, x->v, res[j].comment, &(cell_t){ 0 },
                                a->login, a->source, e);
        if (r != 0)
            return -1;
    }
    return 0;
}

int write_apply_cell(model *m, int targets, int ind, int unit, period_t p, const cell_t *now, int *outside,
                     err_t *e)
{
    /* model.h's setters: the model's map and engine_update, or for a model whose engine holds
     * its cells the engine alone; the engine follows at once (this unit and its ancestors, this
     * year), and after a deletion drops the reported value and recomputes what depended on it */
    if (m->firsts)                        /* a server's completeness: read again where it moved */
        cmpl_firsts_touch(m->firsts, m, targets, ind, unit, p, now == NULL);
    if (targets) {
        if (now == NULL)
            return 1;                     /* the model has no way to drop a target */
        if (model_set_target(m, ind, unit, p, now->v, e) != 0)
            return -1;
    } else if (now == NULL) {
        if (model_unset_value(m, ind, unit, p, e) < 0)
            return -1;
    } else if (model_set_value(m, ind, unit, p, now->v, now->comment, e) != 0) {
        return -1;
    }
    *outside |= m->engine && !engine_covers(m->engine, p);
    return 0;
}

/* After the commit: the model and its engine follow. */
static int apply_changes(model *m, const write_row *rows, const resolved *res, int nres, int *outside,
                         err_t *e)
{
    for (int j = 0; j < nres; j++) {
        const write_row *x = &rows[res[j].row];
        cell_t now = { .v = x->v, .comment = res[j].comment };
        if (write_apply_cell(m, x->kind == WRITE_TARGET, x->ind, x->unit, x->p, &now, outside, e) != 0)
            return -1;
    }
    return 0;
}

/* The change feed's row of cell (ind, unit, p) of model m (store_multi.h). */
static store_feed_row feed_row(const model *m, int targets, int ind, int unit, period_t p)
{
    store_feed_row c = { .kind = targets ? STORE_FEED_TARGET : STORE_FEED_VALUE };
    snprintf(c.ind, sizeof c.ind, "%s", m->inds[ind].code);
    snprintf(c.unit, sizeof c.unit, "%s", m->units[unit].code);
    period_code(p, c.period, sizeof c.period);
    if (strlen(m->inds[ind].code) >= sizeof c.ind || strlen(m->units[unit].code) >= sizeof c.unit)
        c.kind = STORE_FEED_RELOAD;   /* too long for the log's row: other servers read everything */
    return c;
}

/* Logs the written rows (rows[res[j].row]; or, for deletions, rows[j] when res is NULL: values
 * only, whatever their kind says) in the open transaction. */
static int feed_log(store *s, const model *m, const write_row *rows, const resolved *res, int n, err_t *e)
{
    store_feed_row *c = calloc((size_t)n + 1, sizeof *c);
    if (c == NULL)
        return err_set(e, "out of memory");
    for (int j = 0; j < n; j++) {
        const write_row *x = &rows[res ? res[j].row : j];
        c[j] = feed_row(m, res && x->kind == WRITE_TARGET, x->ind, x->unit, x->p);
    }
    int rc = store_feed_log(s, c, n, e);
    free(c);
    return rc;
}

/* The validation rules on the values as they will be (write_rule.h); refusals to errs. */
static int check_rules(store *s, const model *m, const write_row *rows, const resolved *res, int nres, buf *errs,
                       err_t *e)
{
    write_cell *cells = calloc((size_t)nres + 1, sizeof *cells);
    int nc = 0;
    if (cells == NULL)
        return err_set(e, "out of memory");
    for (int j = 0; j < nres; j++) {
        const write_row *x = &rows[res[j].row];
        if (x->kind == WRITE_VALUE)
            cells[nc++] = (write_cell){ x->ind, x->unit, x->p, x->v, res[j].comment, res[j].row };
    }
    int rc = write_rules_values(s, m, cells, nc, errs, e);
    free(cells);
    return rc;
}

int write_values(store *s, model *m, const write_actor *a, const write_row *rows, int n,
                 const write_sink *sink, buf *errs, int *changed, int *outside, err_t *e)
{
    return write_values_audited(s, m, a, NULL, rows, n, sink, errs, changed, outside, e);
}

int write_values_audited(store *s, model *m, const write_actor *a, const store_audit_row *audit,
                         const write_row *rows, int n, const write_sink *sink, buf *errs, int *changed,
                         int *outside, err_t *e)
{
    resolved *res = calloc((size_t)n + 1, sizeof *res);
    write_locks *locks = NULL;
    int nres = 0, rc = -1, began = 0;
    *changed = 0;
    *outside = 0;
    if (res == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (n == 0) {
        rc = 0;
        goto cleanup;
    }
    if (write_begin(s, a, e) != 0)
        goto cleanup;
    began = 1;
    if (store_feed_begin(s, e) != 0 || write_locks_load(s, m, &locks, e) != 0)
        goto cleanup;
    for (int k = 0; k < n; k++) {
        int r = check_row(s, m, a, locks, &rows[k], k, errs, &res[nres], e);
        if (r < 0)
            goto cleanup;
        nres += r;
    }
    if (errs->len || nres == 0) {
        rc = 0;
        goto cleanup;
    }
    if (check_rules(s, m, rows, res, nres, errs, e) != 0)
        goto cleanup;
    if (errs->len) {
        rc = 0;
        goto cleanup;
    }
    if (put_changes(s, m, a, rows, res, nres, e) != 0 || audit_in_tx(s, a, audit, nres, e) != 0 ||
        feed_log(s, m, rows, res, nres, e) != 0)
        goto cleanup;
    began = 0;
    if (commit(s, e) != 0)
        goto cleanup;
    if (sink && sink->begin)
        sink->begin(sink->ctx);
    rc = apply_changes(m, rows, res, nres, outside, e);
    if (sink && sink->end)
        sink->end(sink->ctx);
    *changed = rc == 0 ? nres : 0;
cleanup:
    if (began)
        store_rollback(s);
    for (int j = 0; j < nres; j++)
        free(res[j].comment);
    free(res);
    write_locks_free(locks);
    return rc;
}

/* ---- deletions ---- */

/* Checks deletion row k (inside the transaction): 1 if its value is stored and may go, 0 if
 * refused (errs appended), -1 on an internal error. */
static int check_delete(store *s, const model *m, const write_actor *a, const write_locks *locks,
                        const write_row *x, int k, buf *errs, err_t *e)
{
    buf why = BUF_INIT;
    const char *field = "unit";
    cell_t cur = { 0 };
    int rc = 0, had;
    web_sub lock;
    if (x->unit < 0 || (size_t)x->unit >= m->nunits) {
        buf_adds(&why, tr("không có đơn vị này", "no such unit"));
        goto refuse;
    }
    if (may_write(m, a, WRITE_VALUE, x->unit, &why) != 0)
        goto refuse;
    field = "indicator";
    if (x->ind < 0 || (size_t)x->ind >= m->ninds) {
        buf_adds(&why, tr("không có chỉ tiêu này", "no such indicator"));
        goto refuse;
    }
    field = "locked";
    if (write_locks_find(locks, m, 0, x->unit, x->p, &lock)) {
        write_lock_text(&lock, &why);
        goto refuse;
    }
    if ((had = store_get_cell(s, m, 0, x->ind, x->unit, x->p, &cur, e)) < 0) {
        rc = -1;
        goto cleanup;
    }
    field = "expected";
    if (x->expected && check_expected(m, x, &cur, had, &why) != 0)
        goto refuse;
    field = "value";
    if (!had) {
        buf_adds(&why, tr("không có số liệu nào để xóa", "no value is stored"));
        goto refuse;
    }
    rc = 1;
    goto cleanup;
refuse:
    row_err(errs, k, field, buf_str(&why));
cleanup:
    free(cur.comment);
    buf_free(&why);
    return rc;
}

/* Deletes the rows in the open transaction, each with its history and audit rows. */
static int delete_rows(store *s, const model *m, const write_actor *a, const write_row *rows, int n,
                       const char *reason, err_t *e)
{
    for (int k = 0; k < n; k++) {
        const write_row *x = &rows[k];
        char per[PERIOD_CODE_MAX], object[160];
        period_code(x->p, per, sizeof per);
        snprintf(object, sizeof object, "%s/%s/%s", m->inds[x->ind].code, m->units[x->unit].code, per);
        if (store_del_value(s, m, x->ind, x->unit, x->p, reason, a->login, a->source, e) < 0 ||
            store_audit_add(s, a->login, "delete", object, reason, e) != 0)
            return -1;
    }
    return 0;
}

int write_delete(store *s, model *m, const write_actor *a, const write_row *rows, int n, const char *reason,
                 const write_sink *sink, buf *errs, int *deleted, err_t *e)
{
    write_locks *locks = NULL;
    int rc = -1, began = 0, ok = 0;
    *deleted = 0;
    reason = reason ? reason : "";
    if (*reason == '\0' || utf8_chars(reason) > 500)
        return err_set(e, "%s", *reason ? tr("lý do dài quá 500 ký tự", "reason longer than 500 characters")
                                        : tr("cần ghi lý do xóa", "a reason to delete is required")), WRITE_INVALID;
    if (n == 0)
        return 0;
    if (write_begin(s, a, e) != 0)
        return -1;
    began = 1;
    if (store_feed_begin(s, e) != 0 || write_locks_load(s, m, &locks, e) != 0)
        goto cleanup;
    for (int k = 0; k < n; k++) {
        int r = check_delete(s, m, a, locks, &rows[k], k, errs, e);
        if (r < 0)
            goto cleanup;
        ok += r;
    }
    if (errs->len || ok < n) {
        rc = 0;
        goto cleanup;
    }
    if (delete_rows(s, m, a, rows, n, reason, e) != 0 || feed_log(s, m, rows, NULL, n, e) != 0)
        goto cleanup;
    began = 0;
    if (commit(s, e) != 0)
        goto cleanup;
    rc = 0;
    if (sink && sink->begin)
        sink->begin(sink->ctx);
    int outside = 0;
    for (int k = 0; k < n && rc == 0; k++)
        if (write_apply_cell(m, 0, rows[k].ind, rows[k].unit, rows[k].p, NULL, &outside, e) != 0)
            rc = -1;
    if (sink && sink->end)
        sink->end(sink->ctx);
    *deleted = rc == 0 ? n : 0;
cleanup:
    if (began)
        store_rollback(s);
    write_locks_free(locks);
    return rc;
}

/* ---- imports ---- */

typedef struct vet_ctx {
    const write_actor *a;
    const write_locks *locks;
    int note;                          /* the database has rules: keep the cells for them */
    write_cell *cells;                 /* the values the import changes (rules checked after) */
    int ncells, capcells, oom;
    unsigned char *may;                /* by unit index (the units before the import), values then
                                          targets: 1 = may_write allowed it */
    size_t nmay;
    store_feed_row *feed;                /* the cells it changes, for the change feed; nfeed -1:
                                          more than FEED_IMPORT_MAX (other servers reload) */
    int nfeed, capfeed;
} vet_ctx;

/* An import changing more cells than this tells other servers to read everything again. */
#define FEED_IMPORT_MAX 2000

static void vet_feed(vet_ctx *v, const model *m, int kind, int ind, int unit, period_t p)
{
    if (v->nfeed < 0)
        return;
    if (v->nfeed == FEED_IMPORT_MAX) {
        v->nfeed = -1;
        return;
    }
    if (v->nfeed == v->capfeed) {
        int cap = v->capfeed ? v->capfeed * 2 : 64;
        store_feed_row *g = realloc(v->feed, (size_t)cap * sizeof *g);
        if (g == NULL) {
            v->nfeed = -1;                 /* no room for the list: other servers reload */
            return;
        }
        v->feed = g;
        v->capfeed = cap;
    }
    v->feed[v->nfeed++] = feed_row(m, kind == IK_TARGETS, ind, unit, p);
}

/* Logs what the import changed: its cells, or one row asking other servers to read everything
 * (catalogue files, successions, too many cells). */
static int feed_import(store *s, const import_stats *st, const vet_ctx *v, err_t *e)
{
    int cells_only = v->nfeed >= 0;
    for (int k = 0; k < IK_COUNT; k++)
        if (st->rows[k] && k != IK_VALUES && k != IK_TARGETS && k != IK_TEMPLATE)
            cells_only = 0;
    if (cells_only)
        return store_feed_log(s, v->feed, v->nfeed, e);
    store_feed_row all = { .kind = STORE_FEED_RELOAD };
    return store_feed_log(s, &all, 1, e);
}

static void vet_note(vet_ctx *v, int ind, int unit, period_t p)
{
    if (v->ncells == v->capcells) {
        write_cell *g = realloc(v->cells, ((size_t)v->capcells * 2 + 256) * sizeof *g);
        if (g == NULL) {
            v->oom = 1;
            return;
        }
        v->cells = g;
        v->capcells = v->capcells * 2 + 256;
    }
    v->cells[v->ncells] = (write_cell){ ind, unit, p, 0, NULL, v->ncells };
    v->ncells++;
}

/* may_write, remembered once allowed per unit and kind (a unit added by the import's own
 * catalogue files, beyond the array, is asked every time; a refusal too, for its message). */
static int vet_may(vet_ctx *v, const model *m, int kind, int unit, buf *why)
{
    size_t nu = v->nmay / 2, at = (size_t)unit + (kind == IK_TARGETS ? nu : 0);
    if ((size_t)unit < nu && v->may[at])
        return 0;
    int r = may_write(m, v->a, kind == IK_TARGETS ? WRITE_TARGET : WRITE_VALUE, unit, why);
    if (r == 0 && (size_t)unit < nu)
        v->may[at] = 1;
    return r;
}

/* The first values lock (any unit, any period); 1 (hit filled) or 0. */
static int any_value_lock(const write_locks *l, web_sub *hit)
{
    for (int k = 0; l && k < l->n; k++)
        if (!l->v[k].targets) {
            *hit = l->v[k].sub;
            return 1;
        }
    return 0;
}

/* 1 (hit filled) if a values lock of unit u or a unit above it has a period that overlaps the days
 * lo..hi (yyyymmdd), else 0. */
static int lock_overlaps(const write_locks *l, const model *m, int u, int lo, int hi, web_sub *hit)
{
    for (; u >= 0 && (size_t)u < m->nunits && (size_t)u < l->nunits; u = m->units[u].parent)
        for (int k = l->first[u]; k >= 0; k = l->v[k].next)
            if (!l->v[k].targets && period_start(l->v[k].p) <= hi && period_end(l->v[k].p) >= lo) {
                *hit = l->v[k].sub;
                return 1;
            }
    return 0;
}

/* A unit added, moved or whose validity changes alters the totals of the units above it in the
 * periods it joins or leaves: refused where a lock holds one of them (import.h's vet_unit). */
static int vet_unit(void *ctx, const model *m, int unit, int parent, int vf, int vt, buf *why)
{
    vet_ctx *v = ctx;
    web_sub lock;
    int lo = vf ? vf : 0, hi = vt ? vt : 99991231, hit = 0;
    if (unit >= 0) {
        const unit_t *o = &m->units[unit];
        int olo = o->valid_from ? o->valid_from : 0, ohi = o->valid_to ? o->valid_to : 99991231;
        if (o->parent != parent)                /* leaves its old units above, joins the new ones */
            hit = lock_overlaps(v->locks, m, o->parent, olo, ohi, &lock);
        else                                    /* in or out over the days its validity changes */
            hit = (olo != lo && lock_overlaps(v->locks, m, unit, olo < lo ? olo : lo, (olo < lo ? lo : olo) - 1, &lock)) ||
                  (ohi != hi && lock_overlaps(v->locks, m, unit, (ohi < hi ? ohi : hi) + 1, ohi < hi ? hi : ohi, &lock));
    }
    if (!hit && (unit < 0 || m->units[unit].parent != parent))
        hit = lock_overlaps(v->locks, m, parent, lo, hi, &lock);
    if (!hit)
        return 0;
    buf_adds(why, tr("thay đổi cây đơn vị làm đổi số liệu đã khóa: ", "the change of the unit tree alters locked figures: "));
    write_lock_text(&lock, why);
    if (unit >= 0 && m->units[unit].parent != parent)
        buf_adds(why, tr(" (chuyển đơn vị: khai báo mã mới dưới cấp trên mới và tệp kế thừa, docs/successions.md)",
                         " (to move a unit: a new code under the new parent and a succession, docs/successions.md)"));
    return -1;
}

/* 1 (hit filled) if a values lock of unit u (and, when up, of the units above it) has a period
 * starting before date and, when straddle, ending on or after it; else 0. */
static int lock_before(const write_locks *l, const model *m, int u, int up, int straddle, int date, web_sub *hit)
{
    for (; u >= 0 && (size_t)u < m->nunits && (size_t)u < l->nunits; u = up ? m->units[u].parent : -1)
        for (int k = l->first[u]; k >= 0; k = l->v[k].next)
            if (!l->v[k].targets && period_start(l->v[k].p) < date && (!straddle || period_end(l->v[k].p) >= date)) {
                *hit = l->v[k].sub;
                return 1;
            }
    return 0;
}

/* A succession changes, on today's structure, the figures of its successor for the periods that
 * start before its date, and the totals above both units for the periods across that date:
 * refused where a lock holds one of them (import.h's vet_succ). */
static int vet_succ(void *ctx, const model *m, int from, int to, int date, buf *why)
{
    vet_ctx *v = ctx;
    web_sub lock;
    if (!lock_before(v->locks, m, to, 0, 0, date, &lock) &&
        !lock_before(v->locks, m, m->units[to].parent, 1, 1, date, &lock) &&
        !lock_before(v->locks, m, from, 1, 1, date, &lock))
        return 0;
    buf_printf(why, tr("kế thừa '%s' → '%s' làm đổi số liệu đã khóa: ", "the succession '%s' → '%s' alters locked figures: "),
               m->units[from].code, m->units[to].code);
    write_lock_text(&lock, why);
    return -1;
}

static int vet_change(void *ctx, const model *m, int kind, int ind, int unit, period_t p, buf *why)
{
    vet_ctx *v = ctx;
    web_sub lock;
    if (kind == IK_INDICATORS) {
        if (!any_value_lock(v->locks, &lock))
            return 0;
        buf_printf(why, tr("chỉ tiêu '%s': đổi công thức, cách tổng hợp, đơn vị tính, số chữ số thập phân hay chiều "
                           "đánh giá làm đổi số liệu đã khóa (hãy tạo chỉ tiêu mới với mã khác): ",
                           "indicator '%s': a new formula, aggregation, unit of measure, decimals or direction alters "
                           "locked figures (create a new indicator with another code): "), m->inds[ind].code);
        write_lock_text(&lock, why);
        return -1;
    }
    if (vet_may(v, m, kind, unit, why) != 0)
        return -1;
    if (write_locks_find(v->locks, m, kind == IK_TARGETS, unit, p, &lock)) {
        write_lock_text(&lock, why);
        return -1;
    }
    if (kind == IK_VALUES && v->note)
        vet_note(v, ind, unit, p);
    vet_feed(v, m, kind, ind, unit, p);
    return 0;
}

/* The vetting of an import of `lines` lines: the rights' memo, and room for the changed values
 * when the database has rules (without any, they are not kept). */
static int vet_setup(store *s, const model *m, const write_actor *a, const write_locks *locks, size_t lines,
                     vet_ctx *v, err_t *e)
{
    rule_t *rules = NULL;
    int nrules = 0;
    *v = (vet_ctx){ .a = a, .locks = locks, .nmay = 2 * m->nunits };
    if (store_rule_load(s, &rules, &nrules, e) != 0)
        return -1;
    for (int k = 0; k < nrules; k++)
        rule_free(&rules[k]);
    free(rules);
    v->note = nrules > 0;
    if ((v->may = calloc(v->nmay + 1, 1)) == NULL)
        return err_set(e, "out of memory");
    if (v->note && lines > 0) {
        size_t cap = lines < INT_MAX / 2 ? lines : INT_MAX / 2;
        if ((v->cells = malloc(cap * sizeof *v->cells)) == NULL)
            return err_set(e, "out of memory");
        v->capcells = (int)cap;
    }
    return 0;
}

/* Non-administrators import values only. */
static int kinds_allowed(const write_actor *a, const import_stats *st, buf *errors)
{
    int bad = 0;
    if (a->role == ROLE_ADMIN)
        return 0;
    for (int k = 0; k < IK_COUNT; k++)
        if (st->rows[k] && k != IK_VALUES && k != IK_TEMPLATE) {
            buf_printf(errors, tr("Tệp loại '%s': chỉ quản trị được nhập loại này\n",
                                  "A '%s' file: only administrators may import this kind\n"), import_kind_name(k));
            bad++;
        }
    return bad;
}

int write_import(store *s, const write_actor *a, const import_source *src, int nsrc,
                 const import_opts *o, import_stats *st, buf *errors, model **out, err_t *e)
{
    return write_import_audited(s, a, NULL, src, nsrc, o, st, errors, out, e);
}

int write_import_audited(store *s, const write_actor *a, const store_audit_row *audit, const import_source *src,
                         int nsrc, const import_opts *o, import_stats *st, buf *errors, model **out, err_t *e)
{
    model *m = model_new();
    write_locks *locks = NULL;
    vet_ctx v = { .a = a };
    int rc = -1, began = 0, internal = 1;   /* a failure is the database's until a row is judged */
    if (out)
        *out = NULL;
    memset(st, 0, sizeof *st);
    if (m == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    /* A large file's foreign keys are checked once at the commit, not per row (store.h). */
    size_t lines = import_lines(src, nsrc);
    if (lines > IMPORT_SMALL_LINES && store_bulk_keys_begin(s, e) != 0)
        goto cleanup;
    if (write_begin(s, a, e) != 0) {
        store_bulk_keys_end(s);
        goto cleanup;
    }
    began = 1;
    if (store_feed_begin(s, e) != 0)
        goto cleanup;
    /* Inside the transaction: a small file looks its stored figures up one by one, a large one
     * reads them all (import.h); either way no other writer can change them meanwhile. */
    store_forget_ids(s);
    int what = lines <= IMPORT_SMALL_LINES ? 0 : STORE_ALL;
    if (store_load_part(s, m, what, e) != 0 || write_locks_load(s, m, &locks, e) != 0 ||
        vet_setup(s, m, a, locks, lines, &v, e) != 0)
        goto cleanup;
    import_opts io = *o;
    io.in_tx = 1;
    io.vet = vet_change;
    io.vet_unit = vet_unit;
    io.vet_succ = vet_succ;
    io.vet_ctx = &v;
    internal = 0;                            /* import_run says itself (st->internal) */
    if (import_run(s, m, src, nsrc, &io, st, errors, e) != 0)
        goto cleanup;
    int bad = kinds_allowed(a, st, errors);
    if (bad == 0) {
        internal = 1;
        if (v.oom) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        if ((bad = write_rules_import(s, m, v.cells, v.ncells, src, nsrc, errors, e)) < 0)
            goto cleanup;
        internal = 0;
        st->errors += bad;
    }
    if (bad) {
        err_set(e, tr("nhập dữ liệu thất bại: %d lỗi, không có gì được ghi",
                      "import failed: %d errors, nothing was written"), bad);
        goto cleanup;
    }
    if (o->dry_run) {
        rc = 0;
        goto cleanup;
    }
    internal = 1;
    long written = 0;
    for (int k = 0; k < IK_COUNT; k++)
        written += st->added[k] + st->changed[k];
    if (audit_in_tx(s, a, audit, written, e) != 0 || feed_import(s, st, &v, e) != 0)
        goto cleanup;
    began = 0;
    if (commit(s, e) != 0)
        goto cleanup;
    rc = 0;
cleanup:
    if (rc != 0 && internal)
        st->internal = 1;
    if (began)
        store_rollback(s);
    write_locks_free(locks);
    free(v.cells);
    free(v.feed);
    free(v.may);
    if (rc == 0 && out)
        *out = m;
    else
        model_free(m);
    return rc;
}

/* ---- approval ---- */

const char *write_key_period(const char *key, int *targets)
{
    size_t pre = strlen(WRITE_TARGETS_PREFIX);
    *targets = strncmp(key, WRITE_TARGETS_PREFIX, pre) == 0;
    return *targets ? key + pre : key;
}

static const char *const step_names[] = { "submit", "approve", "return", "unlock" };

int write_step_parse(const char *s)
{
    for (int k = 0; s && k < 4; k++)
        if (strcmp(s, step_names[k]) == 0)
            return k;
    return -1;
}

/* The unit whose approvers decide on unit u: the nearest ancestor whose type is one of the
 * database's approving levels (meta 'approval_levels', comma separated unit types), else the
 * parent; -1 for a root. */
static int approving_unit(store *s, const model *m, int u)
{
    char levels[512];
    err_t e;
    if (store_meta_get(s, "approval_levels", levels, sizeof levels, &e) != 1 || levels[0] == '\0')
        return m->units[u].parent;
    for (int x = m->units[u].parent; x >= 0; x = m->units[x].parent) {
        const char *t = m->units[x].type;
        size_t tl = strlen(t);
        for (const char *p = levels; *p;) {
            const char *c = strchr(p, ',');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            while (n && *p == ' ')
                p++, n--;
            while (n && p[n - 1] == ' ')
                n--;
            if (n == tl && strncmp(p, t, n) == 0)
                return x;
            p = c ? c + 1 : p + strlen(p);
        }
    }
    return m->units[u].parent;
}

int write_step_allowed(store *s, const model *m, const write_actor *a, int step, int u, err_t *e)
{
    int admin = a->role == ROLE_ADMIN && (a->unit < 0 || auth_allows(m, a->role, a->unit, u, ACT_ADMIN));
    if (step == STEP_UNLOCK) {
        if (admin)
            return 0;
        err_set(e, "%s", tr("chỉ quản trị được mở khóa số liệu đã duyệt", "only an administrator may unlock approved data"));
        return WRITE_FORBIDDEN;
    }
    if (step == STEP_SUBMIT) {
        if (admin || (a->unit >= 0 && auth_allows(m, a->role, a->unit, u, ACT_WRITE)))
            return 0;
        err_set(e, "%s", tr("chỉ người nhập liệu của đơn vị được gửi duyệt", "only an editor of the unit may submit"));
        return WRITE_FORBIDDEN;
    }
    int up = approving_unit(s, m, u);
    if (admin || (a->role == ROLE_APPROVER && a->unit >= 0 && up >= 0 && a->unit == up))
        return 0;
    err_set(e, tr("chỉ người phê duyệt của cấp trên (%s) được duyệt hoặc trả lại",
                  "only an approver of the level above (%s) may approve or return"),
            up >= 0 ? m->units[up].code : "—");
    return WRITE_FORBIDDEN;
}

int write_approval(store *s, const model *m, const write_actor *a, int step, int targets, int unit,
                   period_t p, const char *reason, err_t *e)
{
    return write_approval_seen(s, m, a, step, targets, unit, p, reason, NULL, e);
}

/* WRITE_CONFLICT with the message in e when the data set moved since the actor saw it (sub.at is
 * not expected_at); 0 when it did not or nothing was expected. */
static int seen_check(const model *m, int unit, const char *code, const web_sub *sub, const char *expected_at, err_t *e)
{
    if (expected_at == NULL || *expected_at == '\0' || strcmp(sub->at, expected_at) == 0)
        return 0;
    buf when = BUF_INIT;
    if (vn_format_time_s(sub->at, lang_get(), &when) != 0) {
        buf_reset(&when);
        buf_adds(&when, sub->at);
    }
    err_set(e, tr("'%s' kỳ %s đã thay đổi lúc %s, sau khi trang của bạn được mở (%s): tải lại, xem lại số liệu rồi quyết định",
                  "'%s' for %s changed at %s, after your page was opened (%s): reload, check the figures, then decide"),
            m->units[unit].code, code, buf_str(&when), sub->who);
    buf_free(&when);
    return WRITE_CONFLICT;
}

int write_approval_seen(store *s, const model *m, const write_actor *a, int step, int targets, int unit,
                        period_t p, const char *reason, const char *expected_at, err_t *e)
{
    static const int from[4][2] = { { SUB_DRAFT, SUB_RETURNED }, { SUB_SUBMITTED, SUB_SUBMITTED },
                                    { SUB_SUBMITTED, SUB_SUBMITTED }, { SUB_APPROVED, SUB_SUBMITTED } };
    static const int to[4] = { SUB_SUBMITTED, SUB_APPROVED, SUB_RETURNED, SUB_RETURNED };
    char per[PERIOD_CODE_MAX + 16];
    web_sub sub;
    if (step < 0 || step > STEP_UNLOCK || unit < 0 || (size_t)unit >= m->nunits)
        return err_set(e, "bad step"), WRITE_INVALID;
    reason = reason ? reason : "";
    if (utf8_chars(reason) > 500 || strlen(reason) >= sizeof sub.comment)
        return err_set(e, "%s", tr("lý do dài quá 500 ký tự", "reason longer than 500 characters")), WRITE_INVALID;
    if ((step == STEP_RETURN || step == STEP_UNLOCK) && *reason == '\0')
        return err_set(e, "%s", step == STEP_UNLOCK ? tr("cần ghi lý do mở khóa", "a reason to unlock is required")
                                                   : tr("cần ghi lý do trả lại", "a reason to return is required")),
               WRITE_INVALID;
    int r = write_step_allowed(s, m, a, step, unit, e);
    if (r != 0)
        return r;
    snprintf(per, sizeof per, "%s", targets ? WRITE_TARGETS_PREFIX : "");
    period_code(p, per + strlen(per), sizeof per - strlen(per));
    if (write_begin(s, a, e) != 0)
        return -1;
    if (store_sub_get(s, m->units[unit].code, per, &sub, e) < 0)
        goto fail;
    if (sub.state != from[step][0] && sub.state != from[step][1]) {
        store_rollback(s);
        static const char *const vi[4] = { "gửi duyệt", "duyệt", "trả lại", "mở khóa" };
        static const char *const vstate[4] = { "đang nhập", "chờ duyệt", "đã duyệt", "bị trả lại" };
        /* named as people say it: "kế hoạch … kỳ 2020-2025", not the key "targets:2020-2025" */
        const char *code = per + (targets ? strlen(WRITE_TARGETS_PREFIX) : 0);
        err_set(e, tr("không thể %s: %s của '%s' kỳ %s đang ở trạng thái '%s'",
                      "cannot %s: the %s of '%s' for %s is '%s'"),
                tr(vi[step], step_names[step]), targets ? tr("kế hoạch", "targets") : tr("số liệu", "data"),
                m->units[unit].code, code, tr(vstate[sub.state & 3], store_sub_key(sub.state)));
        return WRITE_CONFLICT;
    }
    if (seen_check(m, unit, per + (targets ? strlen(WRITE_TARGETS_PREFIX) : 0), &sub, expected_at, e) != 0) {
        store_rollback(s);
        return WRITE_CONFLICT;
    }
    if (store_sub_put(s, m->units[unit].code, per, to[step], a->login, reason, e) != 0 ||
        store_audit_add(s, a->login, step_names[step], m->units[unit].code, *reason ? reason : per, e) != 0)
        goto fail;
    return commit(s, e);
fail:
    store_rollback(s);
    return -1;
}
