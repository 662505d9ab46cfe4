/* store_ckpt.h - SQLite's WAL copied back into the database by a thread of its own, so that no
 * save waits for it.
 *
 * By default SQLite's commit that finds 1 000 pages in the WAL copies them into the database and
 * syncs it (a checkpoint) before it returns: one save in ~100 pays a few to tens of milliseconds.
 * A server attaches its connections to a checkpointer: their commits no longer checkpoint; the
 * commit that finds the WAL past the threshold wakes the checkpointer's thread, which runs a
 * PASSIVE checkpoint on its own connection (writers and readers go on meanwhile).  On PostgreSQL
 * there is nothing to do: start gives no checkpointer and attach of none is a no-op.
 *
 * The checkpointer owns its thread and its connection; the stores attached stay their owner's,
 * and must be closed after store_ckpt_stop (their hooks point at the checkpointer).
 */
#ifndef CHITIEU_STORE_CKPT_H
#define CHITIEU_STORE_CKPT_H

#include "err.h"
#include "store.h"

typedef struct store_ckpt store_ckpt;

/* What a checkpointer did so far (tests, /metrics). */
typedef struct {
    long runs;            /* checkpoints run */
    long copied;          /* the WAL's frames in the database after the last run (SQLite counts a
                           * WAL's copied frames from its start: not summed, or runs that met the
                           * same WAL would count its frames twice) */
    long partial;         /* runs that left frames behind (a reader still needed them, or another
                           * checkpoint ran) */
    long failed;          /* runs that failed (an I/O error): the WAL grows until one succeeds */
    double seconds;       /* time spent checkpointing */
    long wal_pages;       /* pages in the WAL after the last commit seen (growing: checkpoints starved) */
} store_ckpt_stats;

#define STORE_CKPT_FRAMES 1000   /* SQLite's own autocheckpoint threshold */

/* Starts a checkpointer for the SQLite database at path, woken when the WAL holds at least
 * threshold pages (<= 0: STORE_CKPT_FRAMES); *out NULL and 0 for PostgreSQL; 0 or -1 with e. */
int store_ckpt_start(const char *path, int threshold, store_ckpt **out, err_t *e);
/* s's commits stop checkpointing and wake k instead (k NULL, or s on PostgreSQL: nothing). */
void store_ckpt_attach(store_ckpt *k, store *s);
/* Holds (on != 0) or lets go of k's checkpoints: a test's way to see commits leave the WAL alone. */
void store_ckpt_hold(store_ckpt *k, int on);
/* What k did so far (zeros for NULL). */
store_ckpt_stats store_ckpt_get(store_ckpt *k);
/* Stops k's thread and frees k (NULL: nothing); the stores attached must not commit after. */
void store_ckpt_stop(store_ckpt *k);

#endif
