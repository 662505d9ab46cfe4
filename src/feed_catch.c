/* feed_catch.c - a model brought up to date through the change log (see feed_catch.h,
 * store_multi.h for the log's windows).
 *
 * Data flow: feed_catch_read, in the caller's read snapshot, reads the logged rows since the
 * model's generation (store_feed_read), checks that their windows chain up to the snapshot's
 * generation, resolves each against the model and reads its cell as stored; feed_catch_apply then
 * puts each into the model and engine with write_apply_cell, the same in-place update a save
 * makes.  The caller chooses the locks (the server: its model's write lock for the apply).
 *
 * Ownership: the rows read are freed here; the cells (and their comments) are the feed_catch's. */
#include "feed_catch.h"

#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "store_multi.h"
#include "write.h"

struct feed_catch_cell {
    int none;                   /* a window that changed nothing the model holds (STORE_FEED_NONE) */
    int targets, ind, unit, had;
    period_t p;
    cell_t now;                 /* the stored figure (comment owned), when had */
};

/* 1 when the rows chain from generation `from` to `to`, each transaction's window starting where
 * the previous one ended, and ask for no full read. */
static int chained(const store_feed_row *rows, int n, int64_t from, int64_t to)
{
    int64_t at = from, group_from = -1;
    for (int i = 0; i < n; i++) {
        if (rows[i].kind == STORE_FEED_RELOAD)
            return 0;
        if (i > 0 && rows[i].gen_to == at && rows[i].gen_from == group_from)
            continue;                         /* another cell of the same transaction */
        if (rows[i].gen_from != at || rows[i].gen_to <= at)
            return 0;
        group_from = at;
        at = rows[i].gen_to;
    }
    return at == to;
}

/* Resolves the rows against m and reads each cell as stored (in the caller's snapshot); 0, or -1
 * when one cannot be applied in place (or on an error). */
static int read_cells(store *s, const model *m, const store_feed_row *rows, int n, feed_catch_cell *out, err_t *e)
{
    for (int i = 0; i < n; i++) {
        feed_catch_cell *c = &out[i];
        if ((c->none = rows[i].kind == STORE_FEED_NONE))
            continue;
        c->targets = rows[i].kind == STORE_FEED_TARGET;
        c->ind = model_ind_find(m, rows[i].ind);
        c->unit = model_unit_find(m, rows[i].unit);
        if (c->ind < 0 || c->unit < 0 || period_parse(rows[i].period, strlen(rows[i].period), &c->p) != 0 ||
            (m->engine && !engine_covers(m->engine, c->p)))
            return err_set(e, "a logged change (%s, %s, %s) is not one the model holds", rows[i].ind,
                           rows[i].unit, rows[i].period);
        c->had = store_get_cell(s, m, c->targets, c->ind, c->unit, c->p, &c->now, e);
        if (c->had < 0)
            return -1;
        if (c->targets && !c->had)
            return err_set(e, "a target was removed (%s, %s, %s)", rows[i].ind, rows[i].unit, rows[i].period);
    }
    return 0;
}

int feed_catch_read(store *s, const model *m, int64_t from, int64_t to, feed_catch *c, err_t *e)
{
    store_feed_row *rows = NULL;
    int rc = -1;
    memset(c, 0, sizeof *c);
    if (from < 0 || to < from) {
        err_set(e, "generation %lld is not before the database's (%lld)", (long long)from, (long long)to);
        goto cleanup;
    }
    int n = to > from ? store_feed_read(s, from, FEED_CATCH_MAX, &rows, e) : 0;
    if (n < 0)
        goto cleanup;
    if (n > FEED_CATCH_MAX) {
        err_set(e, "more than %d changes since generation %lld", FEED_CATCH_MAX, (long long)from);
        goto cleanup;
    }
    if (!chained(rows, n, from, to)) {
        err_set(e, "the change log does not cover generation %lld onwards (kept %d minutes; or a catalogue "
                "change, a large import)", (long long)from, STORE_FEED_KEEP_S / 60);
        goto cleanup;
    }
    if ((c->cells = calloc((size_t)n + 1, sizeof *c->cells)) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    c->n = n;
    rc = read_cells(s, m, rows, n, c->cells, e);
cleanup:
    free(rows);
    if (rc != 0)
        feed_catch_free(c);
    return rc;
}

int feed_catch_apply(model *m, const feed_catch *c, err_t *e)
{
    int outside = 0;
    for (int i = 0; i < c->n; i++) {
        const feed_catch_cell *x = &c->cells[i];
        if (x->none)
            continue;
        int r = write_apply_cell(m, x->targets, x->ind, x->unit, x->p, x->had ? &x->now : NULL, &outside, e);
        if (r > 0 || outside)
            return err_set(e, "a logged change cannot be applied in place");
        if (r < 0)
            return -1;
    }
    return 0;
}

void feed_catch_free(feed_catch *c)
{
    for (int i = 0; c->cells && i < c->n; i++)
        free(c->cells[i].now.comment);
    free(c->cells);
    memset(c, 0, sizeof *c);
}
