/* engine_store.c - the engine's loader from the database: stored values or targets straight into
 * an engine, without the model's per-cell maps (at national scale the model would need ~8 GB
 * and ~40 s for them; the engine's own copy is a fraction of that).
 *
 * The table is cut into one part per thread by ranges of indicator ids (store_scan_cells); each
 * thread reads its part on its own database handle into its own engine stage, and the stages are
 * committed in part order afterwards, so the result does not depend on timing.  Nothing is kept
 * from a failed load: the stages are dropped and the caller discards the engine.
 *
 * engine_hold_store does the same for a model whose cells the engine holds (model.h): each part
 * also keeps, in its own side list, the cells the engine cannot hold exactly and counts the years
 * of every row; the lists go into the model's maps in part order after the commits.  The parts
 * own their stages and lists until then; the model owns what it is given.
 */
#include "engine.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixed.h"
#include "store.h"

#define MAXPARTS 8

/* A cell the engine cannot hold exactly (engine_hold_store): kept in the model's maps. */
typedef struct side {
    int ind, unit;
    period_t p;
    double v;
    char *comment;           /* owned, NULL = none */
} side;

typedef struct scan {
    const char *db;
    const model *m;
    engine_stage *st;
    int targets, part, nparts, lang, rc;
    long rows;
    err_t e;
    /* engine_hold_store only (hold set): the cells for the model, the years of every cell */
    int hold, oom;
    side *sv;
    size_t ns, caps;
    size_t span[ENGINE_NYEARS];  /* values and targets, a range in each of its years */
    uint32_t vyears[ENGINE_NYEARS]; /* values, as model.year_values counts them */
} scan;

static int put(void *ctx, int ind, int unit, period_t p, double v)
{
    scan *sc = ctx;
    sc->rows++;
    return engine_stage_put(sc->st, ind, unit, p, sc->targets ? fx_of(v) : fx_of_value(v)) < 0;
}

/* Keeps (ind, unit, p) for the model's map; 0 or -1 (OOM). */
static int side_add(scan *sc, int ind, int unit, period_t p, double v, const char *comment)
{
    if (sc->ns == sc->caps) {
        size_t cap = sc->caps ? sc->caps * 2 : 256;
        side *n = realloc(sc->sv, cap * sizeof *n);
        if (n == NULL)
            return -1;
        sc->sv = n, sc->caps = cap;
    }
    char *c = comment && *comment ? strdup(comment) : NULL;
    if (comment && *comment && c == NULL)
        return -1;
    sc->sv[sc->ns++] = (side){ ind, unit, p, v, c };
    return 0;
}

/* engine_hold_store's row: into the engine's stage, and the model's map unless held exactly. */
static int put_held(void *ctx, int ind, int unit, period_t p, double v, const char *comment)
{
    scan *sc = ctx;
    int64_t fx;
    sc->rows++;
    engine_count_years(sc->span, p);
    int exact = sc->targets ? model_hold_target_exact(v, sc->m->inds[ind].decimals, &fx)
                            : model_hold_value_exact(v, &fx);
    int held = engine_stage_put(sc->st, ind, unit, p, sc->targets ? fx_of(v) : fx_of_value(v));
    if (held < 0 || ((!held || !exact || (comment && *comment)) && side_add(sc, ind, unit, p, v, comment) != 0)) {
        sc->oom = 1;
        return 1;
    }
    if (held && exact && !(comment && *comment) && !sc->targets)
        sc->vyears[p.y - PERIOD_YEAR_MIN]++;  /* the map's own cells count themselves */
    return 0;
}

static int put_target_held(void *ctx, int ind, int unit, period_t p, double v)
{
    return put_held(ctx, ind, unit, p, v, NULL);
}

static void *run_scan(void *arg)
{
    scan *sc = arg;
    store *s = NULL;
    lang_thread(sc->lang);               /* messages in the caller's language */
    int ok = store_open(sc->db, 0, &s, &sc->e) == 0 && store_bulk_read(s, &sc->e) == 0 &&
             store_read_begin(s, &sc->e) == 0;
    if (ok && !sc->hold)
        ok = store_scan_cells(s, sc->m, sc->targets, sc->part, sc->nparts, put, sc, &sc->e) == 0;
    else if (ok && sc->targets)
        ok = store_scan_cells(s, sc->m, 1, sc->part, sc->nparts, put_target_held, sc, &sc->e) == 0;
    else if (ok)
        ok = store_scan_values(s, sc->m, sc->part, sc->nparts, put_held, sc, &sc->e) == 0;
    if (sc->oom)
        err_set(&sc->e, "out of memory (%s)", sc->db);
    sc->rc = ok ? 0 : -1;
    store_close(s);                      /* ends the read transaction too */
    return NULL;
}

/* Runs the parts' scans (sc[0..nparts) filled in), commits their stages in part order (dropping
 * them on failure); 0 or -1 with e. */
static int run_parts(scan *sc, int nparts, const char *db, err_t *e)
{
    pthread_t th[MAXPARTS];
    int started[MAXPARTS] = { 0 }, rc = 0;
    /* room for every row a part could hold (a stored row takes 16 bytes at the least): pages
     * never touched cost nothing, and the stage is never copied to grow */
    struct stat sb;
    size_t most = stat(db, &sb) == 0 ? (size_t)sb.st_size / 16 / (size_t)nparts + 1024 : 0;
    for (int k = 0; k < nparts; k++)
        if (sc[k].st == NULL || (most && engine_stage_reserve(sc[k].st, most) != 0))
            rc = -1;
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
        sc[k].st = NULL;
    }
    return rc;
}

int engine_load_store(engine *g, const model *m, const char *db, int targets, int nparts, long *rows, err_t *e)
{
    scan sc[MAXPARTS];
    nparts = nparts < 1 ? 1 : nparts > MAXPARTS ? MAXPARTS : nparts;
    for (int k = 0; k < nparts; k++)
        sc[k] = (scan){ .db = db, .m = m, .targets = targets, .part = k, .nparts = nparts,
                        .lang = (int)lang_get(), .st = engine_stage_new(g, targets) };
    int rc = run_parts(sc, nparts, db, e);
    *rows = 0;
    for (int k = 0; k < nparts; k++)
        *rows += sc[k].rows;
    return rc;
}

/* ---- a model whose cells the engine holds ---- */

static int count_cell(void *ctx, int ind, int unit, period_t p, double v)
{
    (void)ind, (void)unit, (void)v;
    engine_count_years(ctx, p);
    return 0;
}

/* The years to hold, guessed from the values and targets of the first indicator ids that have
 * some (a few hundred thousand rows at national scale): every unit reports on the same years. */
static int guess_years(const model *m, const char *db, int *y0, int *y1, err_t *e)
{
    size_t cnt[ENGINE_NYEARS] = { 0 };
    store *s = NULL;
    int slices = m->ninds > 0 ? (int)m->ninds : 1, rc = -1, any = 0;
    if (store_open(db, 0, &s, e) != 0 || store_read_begin(s, e) != 0)
        goto cleanup;
    for (int k = 0; k < slices && !any; k++) {
        if (store_scan_cells(s, m, 0, k, slices, count_cell, cnt, e) != 0 ||
            store_scan_cells(s, m, 1, k, slices, count_cell, cnt, e) != 0)
            goto cleanup;
        for (int y = 0; y < ENGINE_NYEARS && !any; y++)
            any = cnt[y] != 0;
    }
    engine_best_years(cnt, y0, y1);
    rc = 0;
cleanup:
    store_close(s);
    return rc;
}

static void sides_free(scan *sc, int n)
{
    for (int k = 0; k < n; k++) {
        for (size_t i = 0; i < sc[k].ns; i++)
            free(sc[k].sv[i].comment);
        free(sc[k].sv);
        sc[k].sv = NULL, sc[k].ns = sc[k].caps = 0;
    }
}

/* One load of values (vals) and targets (tgts) into an engine of years y0..y1; 0 or -1. */
static int hold_load(model *m, const char *db, int nparts, int y0, int y1, scan *vals, scan *tgts,
                     engine **out, err_t *e)
{
    engine_opts o = { .threads = nparts };
    if (engine_new(m, &o, y0, y1, out, e) != 0)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        scan *sc = pass ? tgts : vals;
        for (int k = 0; k < nparts; k++)
            sc[k] = (scan){ .db = db, .m = m, .targets = pass, .part = k, .nparts = nparts, .hold = 1,
                            .lang = (int)lang_get(), .st = engine_stage_new(*out, pass) };
        if (run_parts(sc, nparts, db, e) != 0)
            return -1;
    }
    return 0;
}

int engine_hold_store(model *m, const char *db, int nparts, err_t *e)
{
    scan *vals = calloc(2 * MAXPARTS, sizeof *vals);
    engine *g = NULL;
    int y0, y1, rc = -1;
    nparts = nparts < 1 ? 1 : nparts > MAXPARTS ? MAXPARTS : nparts;
    if (vals == NULL)
        return err_set(e, "out of memory");
    scan *tgts = vals + MAXPARTS;        /* big (year counts): on the heap, values then targets */
    if (guess_years(m, db, &y0, &y1, e) != 0)
        goto cleanup;
    for (int attempt = 0;; attempt++) {
        if (hold_load(m, db, nparts, y0, y1, vals, tgts, &g, e) != 0)
            goto cleanup;
        size_t cnt[ENGINE_NYEARS] = { 0 };
        for (int k = 0; k < nparts; k++)
            for (int y = 0; y < ENGINE_NYEARS; y++)
                cnt[y] += vals[k].span[y] + tgts[k].span[y];
        int b0, b1;
        engine_best_years(cnt, &b0, &b1);
        if (attempt > 0 || (b0 == y0 && b1 == y1))
            break;
        /* the guess missed (most figures lie elsewhere): once more with the years of all */
        engine_free(g), g = NULL;
        sides_free(vals, nparts), sides_free(tgts, nparts);
        y0 = b0, y1 = b1;
    }
    for (int k = 0; k < nparts; k++) {
        for (size_t i = 0; i < vals[k].ns; i++) {
            const side *x = &vals[k].sv[i];
            if (model_put_value(m, x->ind, x->unit, x->p, x->v, x->comment) != 0)
                goto oom;
        }
        for (size_t i = 0; i < tgts[k].ns; i++) {
            const side *x = &tgts[k].sv[i];
            if (model_put_target(m, x->ind, x->unit, x->p, x->v) != 0)
                goto oom;
        }
        for (int y = 0; y < ENGINE_NYEARS; y++)
            m->year_values[y] += vals[k].vyears[y];
    }
    if (engine_run(g, e) != 0)
        goto cleanup;
    m->engine = g, g = NULL;
    m->held = 1;
    m->unloaded = 0;
    rc = 0;
    goto cleanup;
oom:
    err_set(e, "out of memory");
cleanup:
    engine_free(g);
    sides_free(vals, nparts), sides_free(tgts, nparts);
    free(vals);
    return rc;
}

/* ---- the cells of some units (the command line's one-unit evaluation) ---- */

static int buffer_value(void *ctx, int ind, int unit, period_t p, double v, const char *comment)
{
    scan *rows = ctx;
    engine_count_years(rows[0].span, p);
    return side_add(&rows[0], ind, unit, p, v, comment);
}

static int buffer_target(void *ctx, int ind, int unit, period_t p, double v)
{
    scan *rows = ctx;
    engine_count_years(rows[0].span, p);
    return side_add(&rows[1], ind, unit, p, v, NULL);
}

/* Puts the buffered rows (targets: rows->targets) into g, and into m's maps those g cannot hold
 * exactly; 0 or -1 (OOM). */
static int hold_rows(model *m, engine *g, const scan *rows)
{
    for (size_t k = 0; k < rows->ns; k++) {
        const side *x = &rows->sv[k];
        int64_t fx;
        int exact = rows->targets ? model_hold_target_exact(x->v, m->inds[x->ind].decimals, &fx)
                                  : model_hold_value_exact(x->v, &fx);
        int held = rows->targets ? engine_put_target(g, x->ind, x->unit, x->p, fx_of(x->v))
                                 : engine_put_value(g, x->ind, x->unit, x->p, fx_of_value(x->v));
        if (held < 0)
            return -1;
        if (held && exact && x->comment == NULL) {
            if (!rows->targets)
                m->year_values[x->p.y - PERIOD_YEAR_MIN]++;
        } else if ((rows->targets ? model_put_target(m, x->ind, x->unit, x->p, x->v)
                                  : model_put_value(m, x->ind, x->unit, x->p, x->v, x->comment)) != 0)
            return -1;
    }
    return 0;
}

int engine_hold_units(model *m, store *s, const unsigned char *want, int threads, err_t *e)
{
    scan *rows = calloc(2, sizeof *rows);      /* values, targets: read first, the years from them */
    engine *g = NULL;
    int y0, y1, rc = -1;
    if (rows == NULL)
        return err_set(e, "out of memory");
    rows[1].targets = 1;
    if (store_scan_units(s, m, want, buffer_value, buffer_target, rows, e) != 0)
        goto cleanup;
    engine_best_years(rows[0].span, &y0, &y1);
    engine_opts o = { .threads = threads };
    if (engine_new(m, &o, y0, y1, &g, e) != 0)
        goto cleanup;
    if (hold_rows(m, g, &rows[0]) != 0 || hold_rows(m, g, &rows[1]) != 0) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (engine_run(g, e) != 0)
        goto cleanup;
    m->engine = g, g = NULL;
    m->held = 1;
    m->unloaded = 0;
    rc = 0;
cleanup:
    engine_free(g);
    sides_free(rows, 2);
    free(rows);
    return rc;
}

