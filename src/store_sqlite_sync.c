/* store_sqlite_sync.c - the changes since a batch (see store_sync.h) from the value, target,
 * history and batch tables.  Indexes on the batch columns make the feed a range scan instead
 * of a pass over every figure; deletions are found through a partial index holding only the
 * history rows of deletions (new_value NULL), so updates pay nothing for it. */
#include "store_sqlite.h"
#include "store_sync.h"

const char store_sync_schema[] =
    "CREATE INDEX IF NOT EXISTS value_batch ON value(batch);"
    "CREATE INDEX IF NOT EXISTS target_batch ON target(batch);"
    "CREATE INDEX IF NOT EXISTS history_deleted ON history(batch) WHERE new_value IS NULL;";

int store_last_batch(store *s, int64_t *out, err_t *e)
{
    sq_stmt *st = NULL;
    *out = 0;
    if (sq_prepare(s, "SELECT COALESCE(MAX(id),0) FROM batch", &st) != 0)
        return sq_err(s, e);
    int r = sq_step(s, st, "batch", e);
    if (r > 0)
        *out = sq_col_int64(st, 0);
    sq_finalize(st);
    return r < 0 ? -1 : 0;
}

/* The figures now (batch in the window), then the deletions in the window of figures absent
 * as of upto (the latest deletion of each). */
static const char changes_sql[] =
    "SELECT x.kind, i.code, u.code, x.period, x.v, x.comment, x.deleted, x.batch, b.at, b.who, b.source FROM ("
    " SELECT 1 AS kind, indicator, unit, period, value AS v, comment, 0 AS deleted, batch FROM value"
    "  WHERE batch > ?1 AND batch <= ?2"
    " UNION ALL SELECT 0, indicator, unit, period, target, NULL, 0, batch FROM target"
    "  WHERE batch > ?1 AND batch <= ?2"
    " UNION ALL SELECT h.kind, h.indicator, h.unit, h.period, NULL, h.new_comment, 1, h.batch FROM history h"
    "  WHERE h.new_value IS NULL AND h.batch > ?1 AND h.batch <= ?2"
    "  AND h.id = (SELECT MAX(h2.id) FROM history h2 WHERE h2.indicator=h.indicator AND h2.unit=h.unit"
    "   AND h2.period=h.period AND h2.kind=h.kind AND h2.new_value IS NULL AND h2.batch <= ?2)"
    "  AND NOT EXISTS (SELECT 1 FROM value v WHERE h.kind=1 AND v.indicator=h.indicator AND v.unit=h.unit"
    "   AND v.period=h.period AND v.batch <= ?2)"
    "  AND NOT EXISTS (SELECT 1 FROM target t WHERE h.kind=0 AND t.indicator=h.indicator AND t.unit=h.unit"
    "   AND t.period=h.period AND t.batch <= ?2)"
    ") x JOIN indicator i ON i.id=x.indicator JOIN unit u ON u.id=x.unit JOIN batch b ON b.id=x.batch"
    " ORDER BY x.batch, x.kind DESC, x.indicator, x.unit, x.period";

static const char *text(sq_stmt *st, int i)
{
    const char *t = sq_col_text(st, i);
    return t ? (const char *)t : "";
}

int store_changes(store *s, int64_t since, int64_t upto, store_change_fn fn, void *ctx, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1, r;
    if (sq_prepare(s, changes_sql, &st) != 0)
        return sq_err(s, e);
    sq_int64(s, st, 1, since);
    sq_int64(s, st, 2, upto);
    while ((r = sq_step(s, st, "changes", e)) > 0) {
        store_change c = { 0 };
        c.targets = sq_col_int(st, 0) == 0;
        c.ind = text(st, 1);
        c.unit = text(st, 2);
        c.period = text(st, 3);
        c.v = sq_col_double(st, 4);
        c.comment = sq_col_null(st, 5) ? NULL : text(st, 5);
        c.deleted = sq_col_int(st, 6);
        c.batch = sq_col_int64(st, 7);
        c.at = text(st, 8);
        c.who = text(st, 9);
        c.source = text(st, 10);
        if (fn(ctx, &c) != 0) {
            err_set(e, "changes: stopped by the caller (out of memory)");
            goto cleanup;
        }
    }
    rc = r < 0 ? -1 : 0;
cleanup:
    sq_finalize(st);
    return rc;
}
