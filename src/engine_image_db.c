/* engine_image_db.c - an engine image checked against its database (engine_image_db.h;
 * docs/internals/engine_image.md "Trust").
 *
 * Data flow: engine_image_ident reads the database's side (image id, newest batch, schema version)
 * and fingerprints the catalogue; engine_image_mismatch compares an image's header with it;
 * engine_image_load_db (the command line) does both in the caller's read snapshot, reads the
 * payload into the caller's model and applies the changes logged since (feed_catch.h), all in that
 * one snapshot, so what it returns is the snapshot's data whatever is written meanwhile.
 *
 * Ownership: the image file is opened and closed here, read only; the model is the caller's. */
#include "engine_image_db.h"

#include <string.h>

#include "feed_catch.h"
#include "store_admin.h"
#include "store_web.h"

int engine_image_ident(store *s, const model *m, int64_t gen, engine_image_id *id, err_t *e)
{
    char at[64], who[256];
    memset(id, 0, sizeof *id);
    id->gen = gen;
    if (store_meta_get(s, ENGINE_IMAGE_ID_KEY, id->db_id, sizeof id->db_id, e) < 0 ||
        store_batch_stamp(s, 0, &id->batch, at, sizeof at, who, sizeof who, e) < 0 ||
        store_schema_version(s, &id->schema, e) != 0)
        return -1;
    engine_image_batch_sum(at, who, id->batch_sum);
    engine_image_catalogue(m, id->catalogue);
    return 0;
}

const char *engine_image_mismatch(store *s, const engine_image_id *img, const engine_image_id *own, err_t *e)
{
    char at[64], who[256];
    uint8_t sum[16];
    int64_t id;
    if (own->db_id[0] == '\0')
        return "the database has no image id (new, or restored)";
    if (strcmp(img->db_id, own->db_id) != 0)
        return "made from another database";
    if (img->schema != own->schema)
        return "made on another schema version";
    if (memcmp(img->catalogue, own->catalogue, sizeof own->catalogue) != 0)
        return "the catalogue (units, indicators, successions) changed since";
    if (img->gen > own->gen)
        return "newer than the database (an older copy put back?)";
    if (img->gen == own->gen && img->batch != own->batch)
        return "the database's newest batch is not the image's";
    if (img->batch > 0) {
        int r = store_batch_stamp(s, img->batch, &id, at, sizeof at, who, sizeof who, e);
        if (r < 0)
            return e->msg;
        engine_image_batch_sum(at, who, sum);
        if (r == 0 || memcmp(sum, img->batch_sum, sizeof sum) != 0)
            return "the image's batch is not in the database as it was (another history)";
    }
    return NULL;
}

int engine_image_load_db(store *s, model *m, const char *path, int threads, int64_t *img_gen, err_t *why, err_t *e)
{
    engine_image_id own, img;
    FILE *f = NULL;
    feed_catch c = { 0 };
    int64_t gen = store_generation(s, e);
    if (gen < 0 || engine_image_ident(s, m, gen, &own, e) != 0)
        return -1;
    if (engine_image_open(path, &img, &f, why) != 0)
        return 0;
    const char *reason = engine_image_mismatch(s, &img, &own, e);
    int rc = 0;
    if (reason)
        err_set(why, "%s", reason);
    else if (engine_image_read(f, m, threads, why) == 0 &&
             (img.gen == gen || (feed_catch_read(s, m, img.gen, gen, &c, why) == 0 && feed_catch_apply(m, &c, why) == 0)))
        rc = 1;                              /* else why says why; m part read: the caller discards it */
    fclose(f);
    feed_catch_free(&c);
    if (rc == 1 && img_gen)
        *img_gen = img.gen;
    return rc;
}
