/* store_sqlite_unit.c - the cells of some units only (store.h: store_load_units), for the command
 * line's evaluation of one unit without reading the whole database.
 *
 * Data flow: a model holding the catalogue (store_load_part with what = 0, which also remembered
 * the database id of every unit and indicator on the handle) and a flag array by unit index in;
 * for each flagged unit and each indicator, one primary-key range read of `target` and one of
 * `value` (both keyed indicator, unit, period), put into the model.  The model owns what it gets.
 */
#include <string.h>

#include "store_sqlite.h"

/* Reads the targets (targets != 0) or values of (ind, unit) through st into m. */
static int load_pair(store *s, model *m, sq_stmt *st, int targets, int ind, int unit, err_t *e)
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
        int rc = targets ? model_put_target(m, ind, unit, p, v) : model_put_value(m, ind, unit, p, v, comment);
        if (rc != 0) {
            sq_reset(s, st, "load", e);
            return err_set(e, "out of memory");
        }
    }
    if (sq_reset(s, st, "load", e) != 0 || sr < 0)
        return -1;
    return 0;
}

int store_load_units(store *s, model *m, const unsigned char *want, err_t *e)
{
    static const char *const sql[2] = {
        "SELECT period,value,comment FROM value WHERE indicator=?1 AND unit=?2",
        "SELECT period,target FROM target WHERE indicator=?1 AND unit=?2",
    };
    sq_stmt *st[2] = { NULL, NULL };
    int rc = -1;
    for (int k = 0; k < 2; k++)
        if (sq_prepare(s, sql[k], &st[k]) != 0) {
            err_set(e, "load: %s", sq_errmsg(s));
            goto cleanup;
        }
    for (size_t u = 0; u < m->nunits; u++) {
        if (!want[u] || u >= s->nunit_id || !s->unit_id[u].known)
            continue;
        for (size_t i = 0; i < m->ninds && i < s->nind_id; i++) {
            if (!s->ind_id[i].known)
                continue;
            if (load_pair(s, m, st[1], 1, (int)i, (int)u, e) != 0 ||
                load_pair(s, m, st[0], 0, (int)i, (int)u, e) != 0)
                goto cleanup;
        }
    }
    m->unloaded = 0;
    rc = 0;
cleanup:
    sq_finalize(st[0]);
    sq_finalize(st[1]);
    return rc;
}
