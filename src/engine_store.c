/* engine_store.c - the engine's loader from the database: stored values or targets straight into
 * an engine, without the model's per-cell maps (at national scale the model would need ~8 GB
 * and ~40 s for them; the engine's own copy is a fraction of that).
 *
 * The table is cut into one part per thread by ranges of indicator ids (store_scan_cells); each
 * thread reads its part on its own database handle into its own engine stage, and the stages are
 * committed in part order afterwards, so the result does not depend on timing.  Nothing is kept
 * from a failed load: the stages are dropped and the caller discards the engine.
 */
#include "engine.h"

#include <pthread.h>
#include <sys/stat.h>

#include "fixed.h"
#include "store.h"

#define MAXPARTS 8

typedef struct scan {
    const char *db;
    const model *m;
    engine_stage *st;
    int targets, part, nparts, lang, rc;
    long rows;
    err_t e;
} scan;

static int put(void *ctx, int ind, int unit, period_t p, double v)
{
    scan *sc = ctx;
    sc->rows++;
    return engine_stage_put(sc->st, ind, unit, p, sc->targets ? fx_of(v) : fx_of_value(v)) < 0;
}

static void *run_scan(void *arg)
{
    scan *sc = arg;
    store *s = NULL;
    lang_thread(sc->lang);               /* messages in the caller's language */
    sc->rc = store_open(sc->db, 0, &s, &sc->e) == 0 && store_bulk_read(s, &sc->e) == 0 &&
             store_read_begin(s, &sc->e) == 0 &&
                     store_scan_cells(s, sc->m, sc->targets, sc->part, sc->nparts, put, sc, &sc->e) == 0
                 ? 0
                 : -1;
    store_close(s);                      /* ends the read transaction too */
    return NULL;
}

int engine_load_store(engine *g, const model *m, const char *db, int targets, int nparts, long *rows, err_t *e)
{
    scan sc[MAXPARTS];
    pthread_t th[MAXPARTS];
    int started[MAXPARTS] = { 0 }, rc = 0;
    nparts = nparts < 1 ? 1 : nparts > MAXPARTS ? MAXPARTS : nparts;
    *rows = 0;
    /* room for every row a part could hold (a stored row takes 16 bytes at the least): pages
     * never touched cost nothing, and the stage is never copied to grow */
    struct stat sb;
    size_t most = stat(db, &sb) == 0 ? (size_t)sb.st_size / 16 / (size_t)nparts + 1024 : 0;
    for (int k = 0; k < nparts; k++) {
        sc[k] = (scan){ .db = db, .m = m, .targets = targets, .part = k, .nparts = nparts,
                        .lang = (int)lang_get(), .st = engine_stage_new(g, targets) };
        if (sc[k].st == NULL || (most && engine_stage_reserve(sc[k].st, most) != 0))
            rc = -1;
    }
    for (int k = 1; k < nparts && rc == 0; k++)
        started[k] = pthread_create(&th[k], NULL, run_scan, &sc[k]) == 0;
    if (rc == 0)
        run_scan(&sc[0]);
    for (int k = 1; k < nparts; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else if (rc == 0)
            run_scan(&sc[k]);
    }
    if (rc != 0)
        err_set(e, "out of memory");
    for (int k = 0; k < nparts && rc == 0; k++)
        if (sc[k].rc != 0) {
            err_set(e, "%s", sc[k].e.msg);
            rc = -1;
        }
    for (int k = 0; k < nparts; k++) {
        if (rc == 0 && engine_stage_commit(sc[k].st) != 0) {
            err_set(e, "out of memory (%s)", db);
            rc = -1;
        } else if (rc != 0)
            engine_stage_free(sc[k].st);
        *rows += sc[k].rows;
    }
    return rc;
}
