/* engine_image.h - an image on disk of what engine_hold_store loads (docs/internals/engine_image.md):
 * the engine's reported values and yearly targets per unit, the cells the model keeps beside them
 * (those the engine cannot hold exactly, comments) and the model's per-year value counts, so a
 * server restarts from it in seconds instead of decoding the whole database.
 *
 * Trust: an image is used only when its header names the same database, schema, catalogue and
 * history as the caller's (engine_image_id, checked by the caller against what the database says)
 * and its checksum (BLAKE2b over header and payload) matches; every count and index in the payload
 * is bounds-checked before it is used, and the model is not touched until the checksum is verified.
 * Writing goes to PATH.tmp, fsync, rename, so a reader sees the old image or the new, whole.
 */
#ifndef CHITIEU_ENGINE_IMAGE_H
#define CHITIEU_ENGINE_IMAGE_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"

#define ENGINE_IMAGE_VERSION 1
#define ENGINE_IMAGE_HEADER 256     /* bytes before the payload */

/* What an image reflects; the caller fills the database's side from the store in the snapshot the
 * catalogue was read in. */
typedef struct engine_image_id {
    char db_id[64];          /* the database's random id (meta 'engine_image_id'), NUL-terminated */
    int64_t gen;             /* store_generation the cells reflect */
    int64_t batch;           /* the newest batch id at gen (0: none) */
    uint8_t batch_sum[16];   /* engine_image_batch_sum of that batch's at and who */
    int32_t schema;          /* the database's schema version */
    uint8_t catalogue[32];   /* engine_image_catalogue of the model the cells are indexed by */
} engine_image_id;

/* The layout id of this binary (sizes, byte order, fixed-point scale, slots per year). */
uint32_t engine_image_layout(void);
/* A fingerprint of what the image's indexes and split depend on: units (code, parent, validity) and
 * indicators (code, decimals, aggregations, direction, formula, parent) in model order, and the
 * successions.  m finished. */
void engine_image_catalogue(const model *m, uint8_t out[32]);
/* The hash of a batch's `at` and `who` (engine_image_id.batch_sum). */
void engine_image_batch_sum(const char *at, const char *who, uint8_t out[16]);

/* Writes the image of m (held by its engine, model.held; the caller keeps it from changing, e.g.
 * under a read lock) tagged id to path.tmp, syncs it and renames it over path; 0 or -1 with e
 * (nothing left behind).  *bytes (may be NULL) gets the file's size. */
int engine_image_write(const model *m, const engine_image_id *id, const char *path, uint64_t *bytes, err_t *e);
/* Its two steps: the whole file written to path.tmp, locked (flock: another process writing the
 * same image makes this one fail) — the only step that reads m; *fd keeps the lock — then synced,
 * renamed over path and fd closed (commit; path.tmp removed on failure). */
int engine_image_write_tmp(const model *m, const engine_image_id *id, const char *path, int *fd, uint64_t *bytes,
                           err_t *e);
int engine_image_commit(const char *path, int fd, err_t *e);

/* The image of a model as it is at one moment, written while the model goes on changing (a
 * server's saves): begin, with the model held exclusively (its write lock), notes the run lengths,
 * serialises the year counts and side cells and watches the engine (engine_watch): before a
 * unit's run first changes, the run as it was is saved, unless the writer is past that unit.
 * write_tmp then copies the runs under the read lock `lock`, hold bytes at a time (0: 1 MiB), and
 * hashes and writes them with no lock held, calling pause(pause_ctx) between holds (tests; may be
 * NULL): 0, -1 with e, or 1 with e when it gave up (the model was replaced: void, or the saved runs
 * passed 256 MiB), then commit as above.  void (model held exclusively: the model is being
 * replaced) stops the watching; end (no lock held; takes the read lock) stops it and frees the
 * snapshot.  *held_max gets the longest hold of the lock in seconds. */
typedef struct engine_image_snap engine_image_snap;
int engine_image_snap_begin(model *m, engine_image_snap **out, err_t *e);
int engine_image_snap_write_tmp(engine_image_snap *s, pthread_rwlock_t *lock, size_t hold, void (*pause)(void *),
                                void *pause_ctx, const engine_image_id *id, const char *path, int *fd,
                                uint64_t *bytes, double *held_max, err_t *e);
void engine_image_snap_void(engine_image_snap *s);
void engine_image_snap_end(engine_image_snap *s, pthread_rwlock_t *lock);
void engine_image_snap_free(engine_image_snap *s);

/* Opens path and reads its header into *id (magic, version and layout checked): 0 with *f open at
 * the payload (the caller closes it), or -1 with e saying why it cannot be used. */
int engine_image_open(const char *path, engine_image_id *id, FILE **f, err_t *e);
/* The same from an open stream (the fuzz harness: fmemopen); f stays the caller's. */
int engine_image_header(FILE *f, engine_image_id *id, err_t *e);
/* Reads the payload after engine_image_header from f into m (finished, catalogue only, no cells
 * loaded, its fingerprint the header's): a new engine with the image's values and targets, computed
 * with `threads` threads, the side cells in m's maps and m's year counts, m->held set.  Everything
 * is bounds-checked and the checksum verified before m is touched; 0, or -1 with e (then m may hold
 * some side cells only after an out-of-memory past the check: the caller discards m on failure). */
int engine_image_read(FILE *f, model *m, int threads, err_t *e);

#endif
