/* web.c - the web application's spine: the route table, the request pipeline and the
 * helpers every handler shares (see web.h).
 *
 * Pipeline of web_handle: language (cookie or ?lang) -> route lookup (404/405) ->
 * malformed input (400) -> unknown parameters (400) -> a store handle from the pool ->
 * (writers: the reload mutex) -> if the database moved: readers wake the reloader and go
 * on with the model they have, writers reload first -> authentication (session cookie for pages,
 * bearer token for /api/v1) -> CSRF for state-changing page requests -> the model lock
 * (read, or write for writing routes) -> the handler -> unlock, return the handle.
 * Internal errors are logged with their detail and answered with a bare 500.
 */
#include "web.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api_rate.h"
#include "completeness.h"
#include "cycle_store.h"
#include "engine.h"
#include "eval.h"
#include "html.h"
#include "ops.h"
#include "page_class.h"
#include "page_ops.h"
#include "store_multi.h"

enum {
    W_PUBLIC = 1,    /* no login needed */
    W_API = 2,       /* JSON API: bearer token (or session), JSON errors, no CSRF */
    W_WRITE = 4,     /* writes: runs holding the model's write lock */
    W_OWN = 8,       /* writes, but takes the write lock itself, only around changes to the
                        model (web_model_begin): readers go on while it reads files and the
                        database; like W_WRITE it holds reload_mx, so the model stays put */
};

typedef struct web_route {
    const char *method, *path;
    int (*fn)(web_ctx *c);
    unsigned flags;
    const char *params;          /* accepted parameters, space separated ("lang", "csrf" always) */
} web_route;

static const web_route routes[] = {
    { "GET", "/", page_home, 0, "" },
    { "GET", "/login", page_login, W_PUBLIC, "next" },
    { "POST", "/login", page_login_post, W_PUBLIC, "login password next ticket code" },
    { "POST", "/logout", page_logout, 0, "" },
    { "GET", "/password", page_password, 0, "" },
    { "POST", "/password", page_password_post, 0, "old new new2" },
    { "GET", "/overview", page_overview, 0, "unit period ind structure" },
    { "GET", "/indicator", page_indicator, 0, "unit period ind" },
    { "GET", "/chart.png", page_chart, 0, "unit period ind kind structure" },
    { "GET", "/entry", page_entry, 0, "unit period msg" },
    { "POST", "/entry", page_entry_post, W_OWN, "unit period action reason *" },
    { "GET", "/approval", page_approval, 0, "" },
    { "GET", "/completeness", page_completeness, 0, "unit period" },
    { "POST", "/approval", page_approval_post, W_WRITE, "unit period action comment targets expected_at" },
    { "GET", "/import", page_import, 0, "" },
    { "POST", "/import", page_import_post, W_OWN, "file action encoding" },
    { "GET", "/report", page_report, 0, "unit period format structure" },
    { "GET", "/admin/users", page_admin_users, 0, "" },
    { "POST", "/admin/users", page_admin_users_post, W_WRITE,
      "action login name role unit password" },
    { "GET", "/admin/data", page_admin_data, 0, "edit" },
    { "POST", "/admin/data", page_admin_data_post, W_OWN,
      "action code name parent type valid_from valid_to ind unit period value group measure direction decimals" },
    { "GET", "/admin/audit", page_audit, 0, "who unit period kind from to page format" },
    { "GET", "/validation", page_validate, 0, "unit period outliers" },
    { "GET", "/tasks", page_tasks, 0, "unit programme status due owner sort" },
    { "GET", "/task", page_task, 0, "code" },
    { "POST", "/task", page_task_post, W_WRITE, "code pct text" },
    { "GET", "/class", page_class, 0, "unit year msg format" },
    { "POST", "/class", page_class_post, W_WRITE, "unit year subject step score grade faults comment" },
    { "GET", "/class/awards", page_class_awards, 0, "unit year search" },
    { "GET", "/static/*", page_static, W_PUBLIC, "v" },
    { "GET", "/api/v1/units", api_units, W_API, "parent limit offset snapshot" },
    { "GET", "/api/v1/successions", api_successions, W_API, "unit limit offset snapshot" },
    { "GET", "/api/v1/indicators", api_indicators, W_API, "group limit offset snapshot" },
    { "GET", "/api/v1/targets", api_targets, W_API, "unit subtree ind period within from to limit offset snapshot" },
    { "GET", "/api/v1/values", api_values, W_API, "unit subtree ind period within from to limit offset snapshot" },
    { "POST", "/api/v1/values", api_values_post, W_API | W_OWN, "" },
    { "POST", "/api/v1/targets", api_targets_post, W_API | W_OWN, "" },
    { "DELETE", "/api/v1/values", api_values_delete, W_API | W_OWN, "indicator unit period reason expected" },
    { "GET", "/api/v1/changes", api_changes, W_API, "since unit subtree ind period within from to limit offset snapshot" },
    { "GET", "/api/v1/approval", api_approval, W_API, "unit period" },
    { "POST", "/api/v1/approval/submit", api_approval_post, W_API | W_OWN, "" },
    { "POST", "/api/v1/approval/approve", api_approval_post, W_API | W_OWN, "" },
    { "POST", "/api/v1/approval/return", api_approval_post, W_API | W_OWN, "" },
    { "POST", "/api/v1/approval/unlock", api_approval_post, W_API | W_OWN, "" },
    { "GET", "/api/v1/tasks", api_tasks, W_API, "unit programme status code limit offset snapshot" },
    { "POST", "/api/v1/tasks/progress", api_task_progress, W_API | W_WRITE, "" },
    { "POST", "/api/v1/import", api_import, W_API | W_OWN, "file action encoding" },
    { "POST", "/api/v1/units", api_units_post, W_API | W_OWN, "" },
    { "POST", "/api/v1/indicators", api_indicators_post, W_API | W_OWN, "" },
    { "GET", "/api/v1/users", api_users, W_API, "unit limit offset snapshot" },
    { "POST", "/api/v1/users", api_admin_post, W_API | W_WRITE, "" },
    { "POST", "/api/v1/users/disable", api_admin_post, W_API | W_WRITE, "" },
    { "POST", "/api/v1/users/enable", api_admin_post, W_API | W_WRITE, "" },
    { "POST", "/api/v1/tokens", api_admin_post, W_API | W_WRITE, "" },
    { "GET", "/api/v1/eval", api_eval, W_API, "unit period structure" },
    { "GET", "/api/v1/validation", api_validation, W_API, "unit period outliers limit offset snapshot" },
    { "GET", "/api/v1/completeness", api_completeness, W_API, "unit period view limit offset snapshot" },
    { "GET", "/api/v1/report", api_report, W_API, "unit period format structure" },
    { "GET", "/api/v1/class/results", api_class_results, W_API, "year unit limit offset snapshot" },
    { "POST", "/api/v1/class/steps", api_class_step_post, W_API | W_WRITE, "" },
    { "GET", "/api/v1/openapi.json", api_openapi, W_API | W_PUBLIC, "" },
    { "GET", "/healthz", ops_healthz, W_PUBLIC, "" },
    { "GET", "/metrics", ops_metrics, W_PUBLIC, "" },
};

int web_route_at(size_t i, const char **method, const char **path)
{
    if (i >= sizeof routes / sizeof *routes)
        return 0;
    *method = routes[i].method;
    *path = routes[i].path;
    return 1;
}

#define SESSION_COOKIE "chitieu_session"

/* ---- the model ----
 *
 * Reading a province's database takes seconds, so readers never wait for it.  A request that
 * finds the database newer than the model wakes the reloader thread and is answered from the
 * model at hand; the reloader reads a new model and engine in one snapshot on its own handle,
 * with no lock held, then swaps the pointer under the write lock and frees the old model after.
 * Writing requests hold reload_mx for their whole run, so no write lands on a model a reload
 * is about to replace; a writer that finds the model stale loads the new one first itself (it
 * must not write what it read from an old model).  Either first tries the change log
 * (web_feed_catch_up): other servers' saves are applied in place, with no full read. */

/* Reads the database into a new model and engine, in one read snapshot; no lock needed. */
static int build_model(web_app *a, store *s, model **out, int64_t *gen, err_t *e)
{
    int rc = -1;
    model *m = model_new();
    if (m == NULL)
        return err_set(e, "out of memory");
    store_forget_ids(s);
    if (store_read_begin(s, e) != 0)
        goto cleanup;
    *gen = store_generation(s, e);
    int64_t ncells = a->cells == WEB_CELLS_AUTO && *gen >= 0 ? store_cells_estimate(s, e) : 0;
    int held = a->cells == WEB_CELLS_ENGINE || ncells > WEB_CELLS_AUTO_MIN;
    /* held: the catalogue in this snapshot, the cells on a handle per thread right after (a
     * write in between makes the database newer than *gen: it is read again) */
    int loaded = *gen >= 0 && ncells >= 0 && (held ? store_load_part(s, m, 0, e) : store_load(s, m, e)) == 0;
    /* the engine image (web_image.c): checked in this snapshot, loaded instead of the cells */
    int imaged = loaded && held && a->image_path[0] ? web_image_prepare(a, s, m, gen, e) : 0;
    store_read_end(s);
    if (!loaded || imaged < 0 ||
        (imaged == 0 && (held ? engine_hold_store(m, a->db_path, 2 * a->engine_threads, e)
                              : engine_build(m, a->engine_threads, &m->engine, e)) != 0))
        goto cleanup;
    /* the completeness line's first-write dates, kept from now on (completeness.h) */
    if ((m->firsts = cmpl_firsts_new()) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    m->firsts_free = cmpl_firsts_free;
    *out = m;
    m = NULL;
    rc = 0;
cleanup:
    model_free(m);
    return rc;
}

/* The pages' default period: the latest year with a reported value (2025 when none). */
static period_t default_period(const model *m)
{
    int y = model_latest_year(m);
    return (period_t){ P_YEAR, 0, (uint16_t)(y ? y : 2025), (uint16_t)(y ? y : 2025) };
}

void (*web_test_pause)(web_app *a, int where);

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Reads the first-write dates of the installed model's default period (the overview's
 * completeness line) into its cache, so the first overview after a load does not wait for that
 * scan of the period's values; on the reloader's thread, which holds no lock: the scan runs with
 * none (cmpl_scan: saves go on, and those made meanwhile are read again), the read lock is taken
 * only to begin it and to keep the result.  A failure is logged: the first reader scans then. */
/* The read lock taken by the prewarm, and *longest raised to how long it was held once released. */
static double prewarm_lock(web_app *a)
{
    pthread_rwlock_rdlock(&a->lock);
    return mono_s();
}

static void prewarm_unlock(web_app *a, double since, double *longest)
{
    pthread_rwlock_unlock(&a->lock);
    double held = mono_s() - since;
    if (held > *longest)
        *longest = held;
}

/* Keeps the dates x read (if the model is still the one they were read for), marks who is expected
 * to report 128 units a hold (a few ms at L), then reads again the cells saved meanwhile (indexed
 * reads); saves go on between the holds.  1 kept, 0 not, -1 with e. */
static int prewarm_keep(web_app *a, store *s, cmpl_scan *x, int tz, period_t p, double *longest, err_t *e)
{
    double t = prewarm_lock(a);
    int kept = cmpl_scan_end(x, a->m->firsts, a->m);
    prewarm_unlock(a, t, longest);
    for (int done = !kept; !done;) {
        t = prewarm_lock(a);
        done = cmpl_scan_mark(a->m->firsts, a->m, tz, p, 128);
        prewarm_unlock(a, t, longest);
    }
    if (!kept)
        return 0;
    t = prewarm_lock(a);
    int rc = cmpl_firsts_prepare(a->m->firsts, s, a->m, tz, p, e);
    prewarm_unlock(a, t, longest);
    return rc == 0 ? 1 : -1;
}

static void prewarm(web_app *a, store *s)
{
    cycle_rules r;
    err_t e;
    cmpl_scan *x = NULL;
    char code[PERIOD_CODE_MAX] = "";
    double t1 = 0, t2 = 0, longest = 0;
    int rc = cycle_rules_load(s, &r, &e), kept = 0;
    period_t p = { 0 };
    if (rc == 0) {
        pthread_rwlock_rdlock(&a->lock);
        p = default_period(a->m);
        period_code(p, code, sizeof code);
        rc = cmpl_scan_begin(a->m->firsts, a->m, r.tz_minutes, p, &x, &e);
        pthread_rwlock_unlock(&a->lock);
    }
    if (rc == 0 && x) {
        t1 = mono_s();
        /* who is expected to report marked and the model's cells of p collected, 1 024 units a
         * hold: few of them (none for a year of monthly figures) and they are read one by one
         * instead of by a scan of every value */
        for (int done = 0; !done;) {
            double t = prewarm_lock(a);
            done = cmpl_scan_collect(x, a->m->firsts, a->m, 1024);
            prewarm_unlock(a, t, &longest);
        }
        rc = cmpl_scan_run(x, s, &e);
        if (rc > 0)
            rc = 0;              /* the model changed meanwhile: nothing read, nothing kept */
        t2 = mono_s();
        if (web_test_pause)
            web_test_pause(a, WEB_PAUSE_PREWARM);
        int k = prewarm_keep(a, s, x, r.tz_minutes, p, &longest, &e);   /* a failed read: not kept */
        if (rc == 0) {
            rc = k < 0 ? -1 : 0;
            kept = k > 0;
        }
    }
    if (rc != 0)
        fprintf(a->log ? a->log : stderr, "error: first-write dates: %s\n", e.msg);
    else if (kept && mono_s() - t1 >= 1)      /* a national database's: say how long it took */
        fprintf(a->log ? a->log : stderr, "first-write dates of %s read in %.1f s with no lock, then kept in %.1f s "
                "(the read lock held at most %.1f ms at a time)\n", code, t2 - t1, mono_s() - t2, longest * 1e3);
}

/* Makes m the app's model (the caller holds the write lock); returns the old one to free. */
static model *install_model(web_app *a, store *s, model *m, int64_t gen)
{
    model *old = a->m;
    a->m = m;
    a->gen = gen;
    a->version++;
    ops_reload(1);
    web_image_installed(a, gen);
    /* Indexes may have moved: every other handle looks ids up afresh. */
    for (int i = 0; i < a->npool; i++)
        if (a->pool[i] != s)
            store_forget_ids(a->pool[i]);
    if (a->reload_s != s)
        store_forget_ids(a->reload_s);
    a->latest = default_period(m);
    return old;
}

/* Loads and installs a new model at once (the caller holds the write lock). */
static int load_model(web_app *a, store *s, err_t *e)
{
    model *m;
    int64_t gen;
    if (build_model(a, s, &m, &gen, e) != 0)
        return -1;
    model_free(install_model(a, s, m, gen));
    return 0;
}

/* 1 if the database (one indexed read on s) is newer than the model and its reload has not
 * already failed; *g gets its generation. */
static int stale(web_app *a, store *s, int64_t *g)
{
    err_t e;
    *g = store_generation(s, &e);
    if (*g < 0) {                /* unknown: no reload; the cause is logged */
        ops_db_error();
        fprintf(a->log ? a->log : stderr, "error: generation: %s\n", e.msg);
    }
    pthread_rwlock_rdlock(&a->lock);
    int r = *g >= 0 && *g != a->gen && *g != a->bad_gen;
    pthread_rwlock_unlock(&a->lock);
    return r;
}

/* Loads a new model with no lock held, then installs it; the caller holds reload_mx.  1 if it
 * installed a new model. */
static int refresh(web_app *a, store *s, const char *who)
{
    err_t e;
    model *m = NULL, *old = NULL;
    int64_t gen, g;
    if (!stale(a, s, &g))
        return 0;
    if (web_feed_catch_up(a, s) == 0)    /* only figures changed: in place, no full read */
        return 0;
    int ok = build_model(a, s, &m, &gen, &e) == 0;
    pthread_rwlock_wrlock(&a->lock);
    if (ok)
        old = install_model(a, s, m, gen);
    else
        a->bad_gen = g;
    pthread_rwlock_unlock(&a->lock);
    model_free(old);
    if (!ok) {
        ops_reload(0);
        fprintf(a->log ? a->log : stderr, "error: %s: reload: %s\n", who, e.msg);
    }
    return ok;
}

static void *reloader(void *arg)
{
    web_app *a = arg;
    /* the model loaded at start: its dates read here, not by its first overview (busy was set) */
    prewarm(a, a->reload_s);
    pthread_mutex_lock(&a->kick_mx);
    a->busy = 0;
    pthread_cond_broadcast(&a->idle_cv);
    for (;;) {
        while (!a->kicked && !a->stopping)
            pthread_cond_wait(&a->kick_cv, &a->kick_mx);
        if (a->stopping)
            break;
        a->kicked = 0;
        a->busy = 1;
        pthread_mutex_unlock(&a->kick_mx);
        pthread_mutex_lock(&a->reload_mx);
        int loaded = refresh(a, a->reload_s, "reloader");
        pthread_mutex_unlock(&a->reload_mx);
        if (loaded)
            prewarm(a, a->reload_s);   /* writers need not wait for it: after reload_mx */
        pthread_mutex_lock(&a->kick_mx);
        a->busy = 0;
        pthread_cond_broadcast(&a->idle_cv);
    }
    pthread_mutex_unlock(&a->kick_mx);
    return NULL;
}

static void kick(web_app *a)
{
    pthread_mutex_lock(&a->kick_mx);
    a->kicked = 1;
    pthread_cond_signal(&a->kick_cv);
    pthread_mutex_unlock(&a->kick_mx);
}

void web_kick(web_app *a)
{
    kick(a);
}

void web_idle(web_app *a)
{
    pthread_mutex_lock(&a->kick_mx);
    while ((a->kicked || a->busy) && a->reloader_on)
        pthread_cond_wait(&a->idle_cv, &a->kick_mx);
    pthread_mutex_unlock(&a->kick_mx);
}

int web_open(const char *db, int nstores, web_app **out, err_t *e)
{
    return web_open_cells(db, nstores, WEB_CELLS_AUTO, out, e);
}

int web_open_cells(const char *db, int nstores, int cells, web_app **out, err_t *e)
{
    return web_open_image(db, nstores, cells, NULL, out, e);
}

int web_open_image(const char *db, int nstores, int cells, const char *image_path, web_app **out, err_t *e)
{
    web_app *a = calloc(1, sizeof *a);
    if (a == NULL)
        return err_set(e, "out of memory");
    snprintf(a->db_path, sizeof a->db_path, "%s", db);
    a->cells = cells;
    a->session_ttl = 8 * 3600;
    a->engine_threads = nstores > 2 ? 2 : 1;
    pthread_mutex_init(&a->pool_lock, NULL);
    pthread_cond_init(&a->pool_cv, NULL);
    pthread_rwlock_init(&a->lock, NULL);
    pthread_mutex_init(&a->cache_lock, NULL);
    pthread_mutex_init(&a->reload_mx, NULL);
    pthread_mutex_init(&a->kick_mx, NULL);
    pthread_cond_init(&a->kick_cv, NULL);
    pthread_cond_init(&a->idle_cv, NULL);
    a->bad_gen = -1;
    pthread_mutex_init(&a->image_mx, NULL);
    a->image_gen = -1;
    snprintf(a->image_path, sizeof a->image_path, "%s", image_path ? image_path : "");
    a->image_try = a->image_path[0] != '\0';
    if (auth_init() != 0 ||
        auth_hash_password("chitieu-dummy-password", a->dummy_hash, e) != 0) {
        err_set(e, "libsodium");
        goto fail;
    }
    if (nstores < 1)
        nstores = 1;
    if (nstores > WEB_POOL_MAX)
        nstores = WEB_POOL_MAX;
    /* no save copies the WAL back itself: the checkpointer's thread does (store_ckpt.h) */
    if (store_ckpt_start(db, STORE_CKPT_FRAMES, &a->ckpt, e) != 0)
        goto fail;
    for (int i = 0; i < nstores; i++) {
        if (store_open(db, 0, &a->pool[i], e) != 0)
            goto fail;
        store_ckpt_attach(a->ckpt, a->pool[i]);
        store_feed_auto(a->pool[i], 1);   /* every write of the server's own leaves its window */
        a->free_idx[a->nfree++] = i;
        a->npool++;
    }
    if (store_open(db, 0, &a->reload_s, e) != 0)
        goto fail;
    store_ckpt_attach(a->ckpt, a->reload_s);
    if (load_model(a, a->pool[0], e) != 0)
        goto fail;
    a->image_try = 0;
    /* from an image older than the database: its logged changes since, or everything read */
    if (stale(a, a->pool[0], &(int64_t){ 0 }) && web_feed_catch_up(a, a->pool[0]) != 0) {
        fprintf(stderr, "start: the change log does not cover generation %lld onwards: reading the database\n",
                (long long)a->gen);
        /* the image writer may already read the first model (web_image.c): swapped under the lock */
        pthread_rwlock_wrlock(&a->lock);
        int loaded = load_model(a, a->pool[0], e);
        pthread_rwlock_unlock(&a->lock);
        if (loaded != 0)
            goto fail;
    }
    a->busy = 1;                         /* the start's prewarm (reloader): web_idle waits for it */
    if (pthread_create(&a->reloader, NULL, reloader, a) != 0) {
        err_set(e, "pthread_create");
        goto fail;
    }
    a->reloader_on = 1;
    if (web_feed_start(a, e) != 0)
        goto fail;
    *out = a;
    return 0;
fail:
    web_close(a);
    return -1;
}

void web_close(web_app *a)
{
    if (a == NULL)
        return;
    web_feed_stop(a);
    if (a->reloader_on) {
        pthread_mutex_lock(&a->kick_mx);
        a->stopping = 1;
        pthread_cond_broadcast(&a->kick_cv);
        pthread_mutex_unlock(&a->kick_mx);
        pthread_join(a->reloader, NULL);
    }
    web_image_stop(a);                   /* after the reloader: no install can start another writer */
    store_close(a->reload_s);
    for (int i = 0; i < a->npool; i++)
        store_close(a->pool[i]);
    store_ckpt_stop(a->ckpt);            /* after its stores: its connection, the last, removes the WAL */
    model_free(a->m);
    for (size_t i = 0; i < sizeof a->cache / sizeof *a->cache; i++)
        free(a->cache[i].data);
    pthread_mutex_destroy(&a->cache_lock);
    pthread_mutex_destroy(&a->image_mx);
    pthread_cond_destroy(&a->idle_cv);
    pthread_cond_destroy(&a->kick_cv);
    pthread_mutex_destroy(&a->kick_mx);
    pthread_mutex_destroy(&a->reload_mx);
    api_rate_free(a->rate);
    pthread_rwlock_destroy(&a->lock);
    pthread_cond_destroy(&a->pool_cv);
    pthread_mutex_destroy(&a->pool_lock);
    free(a);
}

static int pool_get(web_app *a)
{
    pthread_mutex_lock(&a->pool_lock);
    while (a->nfree == 0)
        pthread_cond_wait(&a->pool_cv, &a->pool_lock);
    int i = a->free_idx[--a->nfree];
    pthread_mutex_unlock(&a->pool_lock);
    return i;
}

static void pool_put(web_app *a, int i)
{
    pthread_mutex_lock(&a->pool_lock);
    a->free_idx[a->nfree++] = i;
    pthread_cond_signal(&a->pool_cv);
    pthread_mutex_unlock(&a->pool_lock);
}

static void log_error(web_ctx *c, const char *what)
{
    FILE *f = c->app->log ? c->app->log : stderr;
    fprintf(f, "error: rid=%s %s %s: %s: %s\n", c->req->request_id, c->req->method, c->req->path, what, c->e.msg);
}

void web_model_begin(web_ctx *c)
{
    if (c->writing++ == 0)
        pthread_rwlock_wrlock(&c->app->lock);
}

void web_model_end(web_ctx *c)
{
    if (--c->writing == 0)
        pthread_rwlock_unlock(&c->app->lock);
}

int web_reload(web_ctx *c)
{
    if (c->writing)
        return load_model(c->app, c->s, &c->e);
    /* W_OWN: read with no lock held (readers go on), swap under the write lock */
    model *m, *old;
    int64_t gen;
    if (build_model(c->app, c->s, &m, &gen, &c->e) != 0)
        return -1;
    web_model_begin(c);
    old = install_model(c->app, c->s, m, gen);
    web_model_end(c);
    model_free(old);
    return 0;
}

void web_rebuild_soon(web_ctx *c)
{
    web_model_begin(c);
    c->app->gen = -1;              /* no database generation: the reloader will read it afresh */
    web_model_end(c);
    kick(c->app);
}

void web_committed(web_ctx *c)
{
    int64_t from, to;
    /* Every write on the server's handles knows the generations it went from and to (the pool's
     * handles log their windows: store_feed_auto); when another server wrote in between, the
     * model keeps its older generation and the feed brings both.  A write that did not move the
     * generation leaves it alone: reading it after the commit could skip another server's write
     * made meanwhile, and nothing would ever bring it. */
    int fed = store_feed_last(c->s, &from, &to);
    web_model_begin(c);
    if (fed && c->app->gen == from)
        c->app->gen = to;
    c->app->version++;             /* the model changed in place */
    web_model_end(c);
}

static size_t cache_slot(const char *key)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return (size_t)(h % (sizeof ((web_app *)0)->cache / sizeof ((web_app *)0)->cache[0]));
}

int web_cache_get(web_ctx *c, const char *key, buf *out)
{
    web_app *a = c->app;
    struct web_cached *e = &a->cache[cache_slot(key)];
    int hit = 0;
    pthread_mutex_lock(&a->cache_lock);
    if (e->data && e->version == a->version && strcmp(e->key, key) == 0)
        hit = buf_add(out, e->data, e->len) == 0;
    pthread_mutex_unlock(&a->cache_lock);
    return hit;
}

void web_cache_put(web_ctx *c, const char *key, const char *data, size_t len)
{
    web_app *a = c->app;
    if (strlen(key) >= sizeof a->cache[0].key)
        return;
    char *copy = malloc(len ? len : 1);
    if (copy == NULL)
        return;
    memcpy(copy, data, len);
    struct web_cached *e = &a->cache[cache_slot(key)];
    pthread_mutex_lock(&a->cache_lock);
    free(e->data);
    e->data = copy;
    e->len = len;
    e->version = a->version;
    snprintf(e->key, sizeof e->key, "%s", key);
    pthread_mutex_unlock(&a->cache_lock);
}

/* ---- helpers ---- */

void web_urlenc(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

const char *web_param(const web_ctx *c, const char *k)
{
    const char *v = http_param(&c->req->query, k);
    return v ? v : http_param(&c->req->form, k);
}

static void json_error(http_resp *r, int status, const char *code, const char *field, const char *msg)
{
    r->status = status;
    r->ctype = "application/json";
    buf_reset(&r->body);
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
    if (j && field)
        json_object_set_new(json_object_get(j, "error"), "field", json_string(field));
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    buf_adds(&r->body, s ? s : "{\"error\":{\"code\":\"internal\",\"message\":\"\"}}");
    buf_addc(&r->body, '\n');
    free(s);
    json_decref(j);
}

int web_fail(web_ctx *c, int status, const char *code, const char *field, const char *msg)
{
    if (c->api) {
        json_error(c->resp, status, code, field, msg);
        return 0;
    }
    buf_reset(&c->resp->body);
    c->resp->status = status;
    c->resp->ctype = "text/html; charset=utf-8";
    page_begin(c, tr("Lỗi", "Error"));
    page_printf(c, "<div class=\"msg err\"><strong>%d</strong> ", status);
    page_text(c, msg);
    page_printf(c, "</div><p><a href=\"/overview\">%s</a></p>", tr("Về trang tổng quan", "Back to the overview"));
    page_end(c);
    return 0;
}

int web_redirect(web_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->resp->location, sizeof c->resp->location, fmt, ap);
    va_end(ap);
    c->resp->status = 303;
    buf_reset(&c->resp->body);
    return 0;
}

int web_unit(web_ctx *c, int act, int *u)
{
    const char *code = web_param(c, "unit");
    int x = code && *code ? model_unit_find(c->m, code) : c->uunit;
    if (x < 0) {
        web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
        return WEB_ANSWERED;
    }
    if (!auth_allows(c->m, c->role, c->uunit, x, act)) {
        web_fail(c, 403, "forbidden", "unit",
                 act == ACT_READ ? tr("bạn không có quyền xem đơn vị này", "you may not see this unit")
                                 : tr("bạn không có quyền thực hiện việc này cho đơn vị này",
                                      "you may not do this for this unit"));
        return WEB_ANSWERED;
    }
    *u = x;
    return 0;
}

int web_period(web_ctx *c, period_t *p)
{
    const char *s = web_param(c, "period");
    if (s == NULL || *s == '\0') {
        *p = c->app->latest;
        return 0;
    }
    if (period_parse(s, strlen(s), p) != 0) {
        web_fail(c, 400, "bad_period", "period",
                 tr("kỳ không hợp lệ (ví dụ 2022, 2022S1, 2022M9, 2022Q2, 2022-05, 2020-2025)",
                    "invalid period (e.g. 2022, 2022S1, 2022M9, 2022Q2, 2022-05, 2020-2025)"));
        return WEB_ANSWERED;
    }
    return 0;
}

int web_structure(web_ctx *c, int *structure)
{
    const char *s = web_param(c, "structure");
    *structure = s && *s ? eval_structure_parse(s) : EVAL_AUTO;
    if (*structure < 0) {
        web_fail(c, 400, "bad_request", "structure",
                 tr("structure phải là historical, current hoặc auto", "structure must be historical, current or auto"));
        return WEB_ANSWERED;
    }
    return 0;
}

/* ---- the pipeline ---- */

static const web_route *find_route(const char *method, const char *path, int *wrong_method)
{
    *wrong_method = 0;
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++) {
        const web_route *r = &routes[i];
        size_t n = strlen(r->path);
        int match = r->path[n - 1] == '*' ? strncmp(path, r->path, n - 1) == 0
                                          : strcmp(path, r->path) == 0;
        if (!match)
            continue;
        if (strcmp(method, r->method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0))
            return r;
        *wrong_method = 1;
    }
    return NULL;
}

/* 1 if parameter k is accepted by the route ("*" accepts names starting with v_ or o_ or c_). */
static int param_ok(const web_route *r, const char *k)
{
    if (strcmp(k, "lang") == 0 || strcmp(k, "csrf") == 0)
        return 1;
    size_t kl = strlen(k);
    for (const char *p = r->params; *p;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ' ');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 1 && *p == '*' && kl > 2 && (k[0] == 'v' || k[0] == 'o' || k[0] == 'c') && k[1] == '_')
            return 1;
        if (n == kl && n > 0 && strncmp(p, k, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

static const char *unknown_param(const web_route *r, const http_req *q)
{
    for (int i = 0; i < q->query.n; i++)
        if (!param_ok(r, q->query.kv[i].k))
            return q->query.kv[i].k;
    for (int i = 0; i < q->form.n; i++)
        if (!param_ok(r, q->form.kv[i].k))
            return q->form.kv[i].k;
    return NULL;
}

/* The first parameter an API request gives twice (in the query, the form, or both), or NULL:
 * web_param reads only the first, so `ind=a&ind=b` would answer for `a` alone and look whole. */
static const char *repeated_param(const http_req *q)
{
    const http_params *all[] = { &q->query, &q->form };
    for (int a = 0; a < 2; a++)
        for (int i = 0; i < all[a]->n; i++)
            for (int b = a; b < 2; b++)
                for (int j = b == a ? i + 1 : 0; j < all[b]->n; j++)
                    if (strcmp(all[a]->kv[i].k, all[b]->kv[j].k) == 0)
                        return all[a]->kv[i].k;
    return NULL;
}

/* Sets the thread's language from ?lang= (remembered in a cookie, except on API requests,
 * where it is this request's only) or the lang cookie. */
static void pick_lang(http_req *q, http_resp *rs)
{
    char v[8];
    const char *l = http_param(&q->query, "lang");
    if (l && (strcmp(l, "en") == 0 || strcmp(l, "vi") == 0)) {
        if (strncmp(q->path, "/api/", 5) != 0)
            http_set_cookie(rs, "chitieu_lang=%s; Path=/; Max-Age=31536000; SameSite=Strict", l);
        lang_thread(strcmp(l, "en") == 0 ? LANG_EN : LANG_VI);
        return;
    }
    http_cookie(q->cookie, "chitieu_lang", v, sizeof v);
    lang_thread(strcmp(v, "en") == 0 ? LANG_EN : LANG_VI);
}

/* Finds the request's user; a bearer token's digest goes to token (else "") for the rate limit. */
static int authenticate(web_ctx *c, int api, char token[AUTH_DIGEST_LEN + 1])
{
    int64_t now = (int64_t)time(NULL);
    int found = 0;
    token[0] = '\0';
    if (api && strncmp(c->req->authorization, "Bearer ", 7) == 0) {
        char digest[AUTH_DIGEST_LEN + 1];
        auth_token_digest(c->req->authorization + 7, digest);
        memcpy(token, digest, sizeof digest);
        found = store_token_get(c->s, digest, &c->user, &c->e);
    } else {
        char tok[AUTH_TOKEN_LEN + 8];
        http_cookie(c->req->cookie, SESSION_COOKIE, tok, sizeof tok);
        if (strlen(tok) == AUTH_TOKEN_LEN) {
            char digest[AUTH_DIGEST_LEN + 1];
            auth_token_digest(tok, digest);
            found = store_session_get(c->s, digest, now, now + c->app->session_ttl, &c->user,
                                      c->csrf, sizeof c->csrf, &c->e);
        }
    }
    if (found < 0)
        return -1;
    if (found) {
        c->authed = 1;
        c->role = auth_role_parse(c->user.role);
        c->uunit = model_unit_find(c->m, c->user.unit);
        if (c->role < 0 || c->uunit < 0)
            c->authed = 0;     /* a user whose unit was removed can do nothing */
    }
    return 0;
}

/* 1 (after answering 429 with Retry-After) when the token has used up its rate (api_rate.h). */
static int rate_limited(web_ctx *c, const char *token)
{
    struct timespec t;
    int wait = -1;
    if (store_rate_shared(c->s)) {
        /* PostgreSQL: the bucket is the database's, so servers together give the token its rate */
        int64_t per_minute, burst;
        err_t e;
        api_rate_params(c->app->rate, &per_minute, &burst);
        clock_gettime(CLOCK_REALTIME, &t);
        wait = store_rate_take(c->s, token, per_minute, burst, (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000, &e);
        if (wait < 0) {          /* the database failed: this server's own bucket meanwhile */
            ops_db_error();
            fprintf(c->app->log ? c->app->log : stderr, "error: rate limit: %s\n", e.msg);
        }
    }
    if (wait < 0) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        wait = api_rate_take(c->app->rate, token, (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000);
    }
    if (wait == 0)
        return 0;
    char msg[160];
    snprintf(msg, sizeof msg, tr("quá nhiều yêu cầu với mã truy cập này; hãy thử lại sau %d giây",
                                 "too many requests with this token; try again in %d s"), wait);
    web_fail(c, 429, "rate_limited", NULL, msg);
    c->resp->retry_after = wait;
    return 1;
}

int web_handle(void *app, http_req *req, http_resp *resp)
{
    web_app *a = app;
    web_ctx cx = { .app = a, .req = req, .resp = resp, .role = -1, .uunit = -1 };
    web_ctx *c = &cx;
    int wrong = 0, locked = 0, reloading = 0, slot = -1;
    pick_lang(req, resp);
    http_client_addr(req->addr, req->forwarded, a->trusted_proxies, req->addr, sizeof req->addr);
    const web_route *r = find_route(req->method, req->path, &wrong);
    c->api = strncmp(req->path, "/api/", 5) == 0;
    if (r) {
        resp->route = r->path;
        resp->route_class = ops_route_class(r->fn, (r->flags & W_API) != 0);
    }
    if (r == NULL) {
        web_fail(c, wrong ? 405 : 404, wrong ? "method_not_allowed" : "not_found", NULL,
                 wrong ? tr("phương thức không được hỗ trợ", "method not allowed")
                       : tr("không có trang này", "no such page"));
        goto done;
    }
    if (req->bad) {
        if (req->bad == 413)
            web_fail(c, 413, "payload_too_large", NULL, tr("dữ liệu gửi lên quá lớn", "the upload is too large"));
        else
            web_fail(c, 400, "bad_request", NULL, req->bad_msg);
        goto done;
    }
    const char *unk = unknown_param(r, req);
    if (unk) {
        char msg[256];
        snprintf(msg, sizeof msg, tr("tham số không được chấp nhận: '%.64s'", "unknown parameter: '%.64s'"), unk);
        web_fail(c, 400, "unknown_parameter", unk, msg);
        goto done;
    }
    const char *twice = (r->flags & W_API) ? repeated_param(req) : NULL;
    if (twice) {
        char msg[256];
        snprintf(msg, sizeof msg, tr("tham số '%.64s' có nhiều lần; mỗi tham số chỉ một lần (nhiều chỉ tiêu: ind=a,b)",
                                     "parameter '%.64s' given more than once; give each once (several indicators: ind=a,b)"),
                 twice);
        web_fail(c, 400, "bad_request", twice, msg);
        goto done;
    }
    if ((r->flags & W_PUBLIC) && !(r->flags & W_API) && r->fn == page_static) {
        r->fn(c);              /* static files need neither the database nor the model */
        goto done;
    }
    slot = pool_get(a);
    c->s = a->pool[slot];
    if (r->flags & (W_WRITE | W_OWN)) {
        /* A writer waits for a reload under way, and reloads first if the model is stale. */
        pthread_mutex_lock(&a->reload_mx);
        reloading = 1;
        refresh(a, c->s, req->path);
    } else {
        /* Another process changed the database (one indexed read tells): the reloader reads
         * it meanwhile; this request is answered from the model at hand. */
        int64_t g;
        if (stale(a, c->s, &g))
            kick(a);
    }
    if (r->flags & W_WRITE)
        web_model_begin(c);
    else if (!(r->flags & W_OWN))
        pthread_rwlock_rdlock(&a->lock), locked = 1;
    c->m = a->m;       /* W_OWN: stable without the lock, as no one else writes or reloads */
    char token[AUTH_DIGEST_LEN + 1];
    if (authenticate(c, (r->flags & W_API) != 0, token) != 0) {
        ops_db_error();
        log_error(c, "authenticate");
        web_fail(c, 500, "internal", NULL, tr("lỗi máy chủ", "server error"));
        goto done;
    }
    if (!c->authed && !(r->flags & W_PUBLIC)) {
        if (c->api) {
            web_fail(c, 401, "unauthorized", NULL,
                     tr("cần đăng nhập hoặc mã truy cập (Authorization: Bearer ...)",
                        "login or an access token (Authorization: Bearer ...) required"));
            resp->www_authenticate = "Bearer realm=\"chitieu\"";
        } else {
            buf next = BUF_INIT;
            buf_adds(&next, "/login?next=");
            for (const char *p = req->path; *p; p++)
                buf_printf(&next, (*p >= 'a' && *p <= 'z') || *p == '/' || *p == '-' ? "%c" : "%%%02X",
                           (unsigned char)*p);
            web_redirect(c, "%s", buf_str(&next));
            buf_free(&next);
        }
        goto done;
    }
    if (c->authed && token[0] && a->rate && rate_limited(c, token))
        goto done;
    /* CSRF: every state-changing request made with the session cookie carries the session's
     * token (login has no session yet; API requests with a bearer token carry no cookie). */
    if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 && c->authed && r->fn != page_login_post &&
        !(c->api && strncmp(req->authorization, "Bearer ", 7) == 0)) {
        const char *t = http_param(&req->form, "csrf");
        if (t == NULL && c->api)           /* a JSON body has no form: ?csrf= in the query */
            t = http_param(&req->query, "csrf");
        if (t == NULL || !auth_secret_eq(t, c->csrf)) {
            web_fail(c, 403, "csrf", "csrf",
                     tr("phiên làm việc đã thay đổi; hãy tải lại trang rồi thử lại",
                        "the session changed; reload the page and try again"));
            goto done;
        }
    }
    if (r->fn(c) != 0) {
        log_error(c, "handler");
        web_fail(c, 500, "internal", NULL, tr("lỗi máy chủ; chi tiết đã được ghi vào nhật ký",
                                              "server error; the details were logged"));
    }
done:
    if (c->authed)
        snprintf(resp->user, sizeof resp->user, "%.63s", c->user.login);
    if (locked)
        pthread_rwlock_unlock(&a->lock);
    while (c->writing)
        web_model_end(c);
    if (reloading)
        pthread_mutex_unlock(&a->reload_mx);
    if (slot >= 0)
        pool_put(a, slot);
    if (strcmp(req->method, "HEAD") == 0)
        buf_reset(&resp->body);
    lang_thread(-1);
    return 0;
}
