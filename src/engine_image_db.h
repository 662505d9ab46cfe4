/* engine_image_db.h - an engine image (engine_image.h) checked against its database: the
 * database's identity in a read snapshot, why an image cannot stand for it, and, for a reader that
 * keeps nothing up to date afterwards (the command line), the image read and caught up through the
 * change log in that one snapshot.  The server (web_image.c) and the command line (cli.c) share
 * these checks, so an image one trusts the other trusts. */
#ifndef CHITIEU_ENGINE_IMAGE_DB_H
#define CHITIEU_ENGINE_IMAGE_DB_H

#include <stdint.h>

#include "engine_image.h"
#include "err.h"
#include "model.h"
#include "store.h"

/* The database's meta key holding its image id. */
#define ENGINE_IMAGE_ID_KEY "engine_image_id"

/* The identity of generation gen as the database says it in s's open snapshot, m's catalogue
 * fingerprinted (m finished); 0 or -1 with e. */
int engine_image_ident(store *s, const model *m, int64_t gen, engine_image_id *id, err_t *e);
/* Why the image img cannot stand for the database (own, in s's open snapshot): a static English
 * sentence, or e->msg on a database error; NULL when it can (it may still be older: caught up). */
const char *engine_image_mismatch(store *s, const engine_image_id *img, const engine_image_id *own, err_t *e);
/* In s's open read snapshot, m finished with the catalogue read in that snapshot and no cells:
 * the image at path read into m (engine_image_read, `threads` threads) when it matches the
 * database, then the changes logged since its generation applied (feed_catch.h), so m holds the
 * snapshot's cells exactly.  1 done (*img_gen, may be NULL, gets the image's generation); 0 not
 * used, why says so (why->msg; m must then be discarded if it holds anything: model.held or an
 * engine); -1 on a database error (e). */
int engine_image_load_db(store *s, model *m, const char *path, int threads, int64_t *img_gen, err_t *why, err_t *e);

#endif
