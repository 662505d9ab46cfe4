/* feed_catch.h - bringing a model up to date through the change log (store_multi.h): the logged
 * changes since the model's generation, when they chain up to the database's and touch only cells
 * the model and engine hold, each cell read as stored now, then applied in place (write_apply_cell).
 * Used by the server for other servers' saves and after starting from an engine image
 * (web_feed.c), and by the command line after reading an engine image (engine_image_db.c).
 *
 * Ownership: a feed_catch owns the cells it read (their comments) until feed_catch_free. */
#ifndef CHITIEU_FEED_CATCH_H
#define CHITIEU_FEED_CATCH_H

#include <stdint.h>

#include "err.h"
#include "model.h"
#include "store.h"

#define FEED_CATCH_MAX 20000     /* more changes than this since the model: read everything */

typedef struct feed_catch_cell feed_catch_cell;
typedef struct feed_catch {
    int n;                       /* changes read (each a cell, or a window that changed nothing held) */
    feed_catch_cell *cells;
} feed_catch;

/* In s's open read snapshot, whose generation is `to`: the changes from generation `from` (the
 * model's) to `to`, each resolved against m and read as stored now, into *c (zeroed first; free
 * with feed_catch_free).  0, or -1 when the log does not cover the gap (a hole, a pruned window, a
 * catalogue change, a big import, more than FEED_CATCH_MAX changes, a period the engine does not
 * hold) or on an error; e says why. */
int feed_catch_read(store *s, const model *m, int64_t from, int64_t to, feed_catch *c, err_t *e);
/* Applies the cells of c to m (the caller holds m exclusively); 0, or -1 with e (m then part
 * updated: the caller reads everything instead). */
int feed_catch_apply(model *m, const feed_catch *c, err_t *e);
void feed_catch_free(feed_catch *c);

#endif
