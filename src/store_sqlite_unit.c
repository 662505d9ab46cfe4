/* store_sqlite_unit.c - the cells of some units only (store.h: store_load_units), for the command
 * line's evaluation of one unit without reading the whole database.
 *
 * Data flow: a model holding the catalogue (store_load_part with what = 0, which also remembered
 * the database id of every unit and indicator on the handle) and a flag array by unit index in;
 * for each flagged unit and each indicator, one primary-key range read of `target` and one of
 * `value` (both keyed indicator, unit, period), handed to the caller's functions (store_scan_units)
 * or put into the model (store_load_units).  The model owns what it gets.
 */
#include <string.h>

#include "store_sqlite.h"

/* What store_scan_units hands each row to. */
typedef struct unit_sink {
    store_value_fn value;
    store_cell_fn target;
    void *ctx;
} unit_sink;

/* Reads the targets (targets != 0) or values of (ind, unit) through st into the sink. */
static int load_pair(store *s, const unit_sink *k, sq_stmt *st, int targets, int ind, int unit, err_t *e)
{
    int sr;
    sq_int64(s, st, 1, s->ind_id[ind].id);
    sq_int64(s, st, 2, s->unit_id[unit].id);
    while ((sr = sq_step(s, st, "load", e)) > 0) {
        const char *code = sq_col_text(st, 0);
        period_t p;
        if (code == NULL || period_parse(code, strlen(code), &p) != 0) {
            sq_reset(s, st, "load", e);
            return err_set(e, tr("cơ sở dữ liệu có dòng số liệu không hợp lệ (kỳ '%s')",
                                 "the database has an invalid data row (period '%s')"), code ? code : "");
        }
        double v = sq_col_double(st, 1);
        const char *comment = targets ? NULL : sq_col_text(st, 2);
        if (comment && *comment == '\0')
            comment = NULL;
        int rc = targets ? k->target(k->ctx, ind, unit, p, v) : k->value(k->ctx, ind, unit, p, v, comment);
        if (rc != 0) {
            sq_reset(s, st, "load", e);
            return err_set(e, "out of memory");
        }
    }
    if (sq_reset(s, st, "load", e) != 0 || sr < 0)
        return -1;
    return 0;
}

int store_scan_units(store *s, const model *m, const unsigned char *want, store_value_fn value,
                     store_cell_fn target, void *ctx, err_t *e)
{
    static const char *const sql[2] = {
        "SELECT period,value,comment FROM value WHERE indicator=?1 AND unit=?2",
        "SELECT period,target FROM target WHERE indicator=?1 AND unit=?2",
    };
    const unit_sink k = { value, target, ctx };
    sq_stmt *st[2] = { NULL, NULL };
    int rc = -1;
    for (int j = 0; j < 2; j++)
        if (sq_prepare(s, sql[j], &st[j]) != 0) {
            err_set(e, "load: %s", sq_errmsg(s));
            goto cleanup;
        }
    for (size_t u = 0; u < m->nunits; u++) {
        if (!want[u] || u >= s->nunit_id || !s->unit_id[u].known)
            continue;
        for (size_t i = 0; i < m->ninds && i < s->nind_id; i++) {
            if (!s->ind_id[i].known)
                continue;
            if (load_pair(s, &k, st[1], 1, (int)i, (int)u, e) != 0 ||
                load_pair(s, &k, st[0], 0, (int)i, (int)u, e) != 0)
                goto cleanup;
        }
    }
    rc = 0;
cleanup:
    sq_finalize(st[0]);
    sq_finalize(st[1]);
    return rc;
}

static int put_value(void *ctx, int ind, int unit, period_t p, double v, const char *comment)
{
    return model_put_value(ctx, ind, unit, p, v, comment);
}

static int put_target(void *ctx, int ind, int unit, period_t p, double v)
{
    return model_put_target(ctx, ind, unit, p, v);
}

int store_load_units(store *s, model *m, const unsigned char *want, err_t *e)
{
    if (store_scan_units(s, m, want, put_value, put_target, m, e) != 0)
        return -1;
    m->unloaded = 0;
    return 0;
}
