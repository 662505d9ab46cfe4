/* store_sync.h - what changed since a point in the database's history, for incremental sync
 * (GET /api/v1/changes).
 *
 * Every value and target row carries the batch (who, when, source) that last wrote it, and
 * batches are numbered in commit order (one writer at a time), so "every figure whose current
 * state was written after batch B" is the set of rows with batch > B, plus the figures deleted
 * after B (history rows without a new value) that are absent now.  A batch id is therefore the
 * cursor: a client keeps the newest one it has seen and asks for what came after it.
 */
#ifndef CHITIEU_STORE_SYNC_H
#define CHITIEU_STORE_SYNC_H

#include <stdint.h>
#include "store.h"

/* One changed figure, as the callback sees it (every string borrowed for the call). */
typedef struct store_change {
    int targets;                 /* 0 a value, 1 a target */
    const char *ind, *unit, *period;
    int deleted;                 /* 1: the figure was deleted (no value) */
    double v;                    /* the figure now (not deleted) */
    const char *comment;         /* a value's comment, or a deletion's reason; NULL = none */
    int64_t batch;               /* the change id (the cursor) */
    const char *at, *who, *source;
} store_change;

/* Called for each change in order; nonzero (out of memory) stops the scan: store_changes -1. */
typedef int (*store_change_fn)(void *ctx, const store_change *c);

/* The newest batch id (0 when none) into *out; 0 or -1. */
int store_last_batch(store *s, int64_t *out, err_t *e);
/* Calls fn for every figure whose state as of batch `upto` was written after batch `since`
 * (since < batch <= upto): its current value or target, or its deletion; ordered by batch,
 * then values before targets, then indicator, unit and period ids.  A figure changed again
 * after `upto` is left for the next call.  Call inside a read transaction (store_read_begin)
 * so upto and the rows agree.  Returns 0 or -1. */
int store_changes(store *s, int64_t since, int64_t upto, store_change_fn fn, void *ctx, err_t *e);

#endif
