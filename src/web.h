/* web.h - the web application behind `chitieu serve`: one app object shared by the
 * server threads, one ctx per request, and the handlers the route table dispatches to.
 *
 * The app owns a pool of store handles (one per thread at a time), the model loaded
 * from the database under a read-write lock (pages read it under the read lock; a
 * handler that writes takes the write lock, writes the database in a transaction and
 * updates the model in place).  Login throttling keeps its counters in the database.  Before each request the app
 * compares the database's generation with the model's; when another process (an import)
 * changed the data, a reloader thread reads a new model on its own handle while requests
 * go on being answered from the current one, then swaps it in (web.c); when only figures
 * changed and the change log carries them, it applies those cells in place instead (web_feed.c).  Request state
 * lives only in web_ctx.
 */
#ifndef CHITIEU_WEB_H
#define CHITIEU_WEB_H

#include <pthread.h>
#include <stdio.h>
#include "auth.h"
#include "engine_image.h"
#include "buf.h"
#include "http.h"
#include "model.h"
#include "store.h"
#include "store_ckpt.h"
#include "store_web.h"

#define WEB_POOL_MAX 16
#define WEB_MAX_BODY ((size_t)8 << 20)   /* uploads (import) included */

typedef struct web_app {
    char db_path[1024];
    pthread_mutex_t pool_lock;
    pthread_cond_t pool_cv;
    store *pool[WEB_POOL_MAX];
    int free_idx[WEB_POOL_MAX], nfree, npool;
    pthread_rwlock_t lock;       /* guards m, gen, bad_gen, latest */
    model *m;
    int64_t gen;                 /* database generation m reflects */
    int64_t bad_gen;             /* a generation whose reload failed: not retried (-1 = none) */
    pthread_mutex_t reload_mx;   /* held by a reload and by every writing request */
    pthread_mutex_t kick_mx;     /* guards kicked, busy, stopping */
    pthread_cond_t kick_cv, idle_cv;
    int kicked, busy, stopping, reloader_on;
    pthread_t reloader;
    store *reload_s;             /* the reloader's own handle */
    store_ckpt *ckpt;            /* SQLite: copies the WAL back in its own thread (NULL on PostgreSQL) */
    uint64_t version;            /* bumped on every change of m: keys the response cache */
    pthread_mutex_t cache_lock;  /* guards cache */
    struct web_cached {          /* rendered fragments that depend only on the model */
        uint64_t version;
        char key[160];
        char *data;
        size_t len;
    } cache[256];
    period_t latest;             /* the latest year with data, the pages' default period */
    char trusted_proxies[512];   /* addresses whose X-Forwarded-For is believed, comma-separated ("" = none) */
    int secure_cookies;          /* served over TLS (through a proxy): cookies get Secure */
    int session_ttl;             /* seconds of inactivity before a session ends */
    int engine_threads;          /* threads for rebuilding the engine after a reload */
    int cells;                   /* where the figures live: WEB_CELLS_* (model.h's model_hold) */
    int today;                   /* fixed date for task status (serve --today), 0 = the clock */
    FILE *log;                   /* error details go here, never to clients (NULL = stderr) */
    struct api_rate *rate;       /* requests per API token (api_rate.h), owned; NULL = no limit */
    char dummy_hash[AUTH_HASH_MAX]; /* verified against for unknown logins, so timing tells nothing */
    char metrics_token[128];     /* bearer token that reads /metrics; "" = loopback only (page_ops.h) */
    /* other servers' saves (web_feed.c): the listener's handle, thread and wake pipe */
    store *feed_s;
    pthread_t feed_thread;
    int feed_on, feed_pipe, feed_wake[2];
    int64_t feed_applied;        /* cells applied in place from the change log (under lock) */
    /* the engine image (web_image.c): path ("" = none), and under image_mx what it knows */
    char image_path[1024];
    pthread_mutex_t image_mx;
    int image_try;               /* the next load may start from the image (set at start only) */
    int image_pending;           /* image_next describes a full load not yet written */
    engine_image_id image_next;
    int64_t image_gen;           /* the generation the image on disk reflects (-1: none known) */
    int image_busy, image_started; /* the writer thread runs; was ever started (to join) */
    pthread_t image_thread;
    /* the snapshot being written and the one waiting for the writer, with its identity (begun at
     * an install, under the write lock; engine_image.h) */
    engine_image_snap *image_snap, *image_snap_next;
    engine_image_id image_snap_id;
    double image_at;             /* when the image was last written or a rewrite tried (monotonic s) */
    int image_closing;           /* web_image_stop ran: no more rewrites (web_image_refresh) */
} web_app;

/* Test seam: when set (tests only; NULL in a server), the background jobs call it at their pause
 * points with no lock held: WEB_PAUSE_IMAGE between the image writer's holds of the read lock
 * (which then copies 8 bytes a hold), WEB_PAUSE_PREWARM after the first-write dates were read
 * from the database and before they are kept. */
enum { WEB_PAUSE_IMAGE = 1, WEB_PAUSE_PREWARM = 2 };
extern void (*web_test_pause)(web_app *a, int where);

/* Where a loaded model keeps its values and targets: in its own maps (and a copy in the engine),
 * held by the engine alone (model.held), or auto: held from WEB_CELLS_AUTO_MIN cells on (as
 * store_cells_estimate counts them). */
enum { WEB_CELLS_AUTO = 0, WEB_CELLS_MODEL, WEB_CELLS_ENGINE };
#define WEB_CELLS_AUTO_MIN 1000000   /* a province's term on (docs/deploy.md) */
/* Opens the database with nstores handles and loads the model; caller frees with web_close. */
int web_open(const char *db, int nstores, web_app **out, err_t *e);
/* The same with the cells kept as `cells` says (WEB_CELLS_*). */
int web_open_cells(const char *db, int nstores, int cells, web_app **out, err_t *e);
/* The same starting from the engine image at image_path when it is valid for the database (held
 * cells only; NULL or "" = none): written after a full load, caught up through the change log,
 * or ignored (the reason logged) for a full load (web_image.c, docs/internals/engine_image.md). */
int web_open_image(const char *db, int nstores, int cells, const char *image_path, web_app **out, err_t *e);
/* web_image.c: in build_model's read snapshot, for a held model m of generation *gen: notes the
 * identity a full load will have (written once installed) and, when a->image_try, loads the image
 * into m if valid (1, *gen its generation), else 0 (reason logged); -1 with e when m is spoilt. */
int web_image_prepare(web_app *a, store *s, model *m, int64_t *gen, err_t *e);
/* web_image.c: after a model of generation gen was installed (write lock held): when that load is
 * one to write, begins its snapshot (engine_image.h: saves go on, the image stays generation gen)
 * and has the background writer write it; a snapshot of the model replaced is given up. */
void web_image_installed(web_app *a, int64_t gen);
/* Writes the image now if the model's generation moved since the one on disk (clean shutdown;
 * after http_stop, no request running); logs what it did. */
void web_image_save_now(web_app *a);
/* Waits for the background writer (web_close). */
void web_image_stop(web_app *a);
/* The feed's listener, between its waits: when the model moved past the image on disk and the
 * image was written (or a rewrite tried) more than every_s seconds ago, has the writer write the
 * model as it is now, so the image stays within the change log's window (STORE_FEED_KEEP_S) for
 * the next start and the command line (cli_open_unit); takes reload_mx a moment. */
#define WEB_IMAGE_EVERY_S 300
void web_image_refresh(web_app *a, double every_s);
/* Frees the app (NULL is fine), stopping the reloader; no request may be running. */
void web_close(web_app *a);
/* Waits until the reloader has nothing asked of it and nothing under way (tests, shutdown). */
void web_idle(web_app *a);
/* Route i of the route table (tests list the routes that write): 1 with method and path set, 0
 * past the end. */
int web_route_at(size_t i, const char **method, const char **path);
/* Wakes the reloader: the database moved (web.c). */
void web_kick(web_app *a);
/* Starts the thread that notices other servers' writes (web_feed.c); 0 or -1. */
int web_feed_start(web_app *a, err_t *e);
/* Stops it and frees its handle (safe when never started). */
void web_feed_stop(web_app *a);
/* With reload_mx held: applies the logged changes since the model's generation in place; 0 when
 * the model now reflects the database, -1 when it must be read again. */
int web_feed_catch_up(web_app *a, store *s);
/* The http_handler: routes, authenticates, checks parameters and CSRF, runs the handler. */
int web_handle(void *app, http_req *req, http_resp *resp);

typedef struct web_ctx {
    web_app *app;
    http_req *req;
    http_resp *resp;
    store *s;                    /* this request's store handle */
    model *m;                    /* the shared model (locked for this request) */
    int authed, api;
    int writing;                 /* holds the model's write lock (a count: web_model_begin) */
    web_user user;
    int role, uunit;             /* the user's role and unit index (-1 if the unit is gone) */
    char csrf[64];               /* the session's CSRF token */
    err_t e;                     /* a handler's internal error (logged, never shown) */
} web_ctx;

/* ---- helpers for handlers (web.c) ---- */
/* Appends s percent-encoded for a URL query value. */
void web_urlenc(buf *b, const char *s);
/* A request parameter (query, then form), or NULL. */
const char *web_param(const web_ctx *c, const char *k);
/* What a request helper (web_unit, web_period, api_cell_filter…) returns when it has answered
 * the request itself (an error page or JSON error: bad input, not found, forbidden), as opposed
 * to 0 (go on) and -1 (internal error, told in c->e): the handler then returns web_answered(rc). */
#define WEB_ANSWERED 1
/* A handler's return for a helper's non-zero rc: 0 when the helper answered, -1 on an error. */
static inline int web_answered(int rc) { return rc == WEB_ANSWERED ? 0 : -1; }
/* Responds with an error page (or JSON for the API) of this status; returns 0. */
int web_fail(web_ctx *c, int status, const char *code, const char *field, const char *msg);
/* Responds with 303 See Other to a local path; returns 0. */
int web_redirect(web_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Resolves the "unit" parameter (default: the user's unit) and checks act on it; on failure
 * responds (404/403) and returns WEB_ANSWERED. */
int web_unit(web_ctx *c, int act, int *u);
/* Resolves the "period" parameter (default: the latest year with data); 400 and WEB_ANSWERED
 * if bad. */
int web_period(web_ctx *c, period_t *p);
/* Resolves the "structure" parameter (historical|current|auto, default auto, as --structure)
 * into eval.h's enum eval_structure; 400 and WEB_ANSWERED if bad. */
int web_structure(web_ctx *c, int *structure);
/* Called by a writing handler after its commit: reloads nothing, records the generation. */
void web_committed(web_ctx *c);
/* Asks the reloader to read the model and build its engine afresh (a figure was saved for a
 * year the engine does not hold); the request goes on with the model it has. */
void web_rebuild_soon(web_ctx *c);
/* Brackets a change to the shared model made in place: takes the write lock unless the request
 * already holds it (W_WRITE routes); calls nest. */
void web_model_begin(web_ctx *c);
void web_model_end(web_ctx *c);
/* Appends the cached fragment for key (valid for the current model) to out; 1 on a hit, else 0. */
int web_cache_get(web_ctx *c, const char *key, buf *out);
/* Remembers data[0..len) as the fragment for key at the current model version. */
void web_cache_put(web_ctx *c, const char *key, const char *data, size_t len);
/* Loads a fresh model from c->s into the app (read with no lock held unless the request holds
 * the write lock; swapped in under it); returns 0 or -1. */
int web_reload(web_ctx *c);

/* ---- pages (page.c and page_*.c) ---- */
/* Starts an HTML page with the header and navigation. */
void page_begin(web_ctx *c, const char *title);
/* Ends the page. */
void page_end(web_ctx *c);
/* Appends formatted, already-safe HTML. */
void page_printf(web_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends text, HTML-escaped. */
void page_text(web_ctx *c, const char *s);
/* Appends each line of text (split at '\n'), HTML-escaped, between open and close (markup). */
void page_lines(web_ctx *c, const char *text, const char *open, const char *close);
/* Appends a hidden CSRF field. */
void page_csrf(web_ctx *c);
/* Appends a number in the page language with at most `decimals` decimals. */
void page_num(web_ctx *c, double v, int decimals);
/* Appends an escaped URL query value. */
void page_urlarg(web_ctx *c, const char *s);
/* Appends a UTC time from the database as local time (Asia/Ho_Chi_Minh, "6/12/2026 10:05") in a
 * <time> element; text that is not such a time is shown as it is. */
void page_time(web_ctx *c, const char *iso_utc);
/* Appends a period code's name as people say it ("Năm 2025", "Quý 1/2025"); an unknown code as it is. */
void page_period_code(web_ctx *c, const char *code);

int page_login(web_ctx *c);
int page_login_post(web_ctx *c);
int page_logout(web_ctx *c);
int page_password(web_ctx *c);
int page_password_post(web_ctx *c);
int page_home(web_ctx *c);
int page_static(web_ctx *c);
int page_overview(web_ctx *c);
int page_indicator(web_ctx *c);
int page_chart(web_ctx *c);
int page_entry(web_ctx *c);
int page_entry_post(web_ctx *c);
int page_approval(web_ctx *c);
int page_approval_post(web_ctx *c);
int page_import(web_ctx *c);
int page_import_post(web_ctx *c);
/* Turns an upload into CSV text sources in csvs[0..8) (an .xlsx gives one per sheet with a
 * header; *n gets how many); a CSV file is decoded in encoding enc (IMPORT_ENC_AUTO:
 * import_text.h's strict rule) and *info says how (enc -2: xlsx); problems go to errs.
 * Shared by the import page and POST /api/v1/import; returns 0. */
struct import_text_info;
int web_upload_sources(const http_kv *f, int enc, buf *csvs, int *n, buf *errs, struct import_text_info *info);
int page_report(web_ctx *c);
/* 1 for the report page's office formats: docx, pdf, xlsx (the workbook), template (the entry
 * template); page_report_file() serves one of them for (u, p) on structure st (enum
 * eval_structure) as a download (page_report_file.c). */
int page_report_is_file(const char *fmt);
int page_report_file(web_ctx *c, int u, period_t p, int st, const char *fmt);
int page_admin_users(web_ctx *c);
int page_admin_users_post(web_ctx *c);
int page_admin_data(web_ctx *c);
int page_admin_data_post(web_ctx *c);
int page_audit(web_ctx *c);
int page_tasks(web_ctx *c);
int page_task(web_ctx *c);
int page_task_post(web_ctx *c);
/* Appends the one-line task summary of unit u's subtree (nothing when it has no tasks); -1 (c->e
 * filled) when the tasks could not be read. */
int page_task_summary(web_ctx *c, int u);
/* Completeness (page_completeness.c): the page, and the overview's one-line summary for unit u
 * and period p (nothing when no unit below is expected to report); -1 (c->e) on failure. */
int page_completeness(web_ctx *c);
int page_completeness_summary(web_ctx *c, int u, period_t p);
/* The term overview's "term so far" section (page_term.c) for unit u, period p (nothing unless p
 * is a declared term under way or with figures missing) on the structure; -1 (c->e) on failure. */
int page_term_to_date(web_ctx *c, int u, period_t p, int structure);
/* The date pages judge tasks on: --today of serve, else the clock's local date (yyyymmdd). */
int web_today(const web_ctx *c);

/* ---- JSON API (api.c) ---- */
int api_units(web_ctx *c);
/* GET /api/v1/successions: the successions touching a readable unit (optionally one unit's). */
int api_successions(web_ctx *c);
int api_indicators(web_ctx *c);
int api_targets(web_ctx *c);
int api_values(web_ctx *c);
int api_values_post(web_ctx *c);
/* POST /api/v1/targets: the same for targets (administrators of the units, as the web form). */
int api_targets_post(web_ctx *c);
/* DELETE /api/v1/values: one stored value, with a reason (write_delete). */
int api_values_delete(web_ctx *c);
int api_eval(web_ctx *c);
/* The reporting cycle (api_approval.c): list, and one step (the path's last part) as the caller. */
int api_approval(web_ctx *c);
int api_validation(web_ctx *c);  /* api_validate.c */
int page_validate(web_ctx *c);   /* page_validate.c */
int api_approval_post(web_ctx *c);
/* GET /api/v1/changes (api_sync.c): values and targets changed since a cursor, deletions included. */
int api_changes(web_ctx *c);
int api_report(web_ctx *c);
/* Users and tokens for administrators (api_admin.c): the list, and add/disable/enable/token. */
int api_users(web_ctx *c);
/* POST /api/v1/units and /api/v1/indicators (api_catalog.c): the web's catalogue form as JSON. */
int api_units_post(web_ctx *c);
int api_indicators_post(web_ctx *c);
/* POST /api/v1/import (api_import.c): a multipart file, previewed or committed as the web's import page. */
int api_import(web_ctx *c);
/* Tasks (api_tasks.c): the list (paged) and a progress report by an editor of the lead unit. */
int api_tasks(web_ctx *c);
int api_task_progress(web_ctx *c);
int api_admin_post(web_ctx *c);
/* GET /api/v1/completeness (page_completeness.c). */
int api_completeness(web_ctx *c);
int api_openapi(web_ctx *c);

/* ---- shared by entry page and API (web_data.c) ---- */
typedef struct web_value_in {
    int unit;                    /* unit index */
    period_t per;
    const char *ind;             /* indicator code */
    const char *text;            /* the value as typed ("1.234,5"), or NULL when num is given */
    double num;                  /* the value when text is NULL (JSON) */
    const char *orig;            /* the value the form was loaded with ("" = none), NULL = no check */
    const char *comment;         /* NULL = keep the current one */
} web_value_in;
/* Saves values as the user in one transaction, after checking, per row, permission, the
 * submission state (only draft and returned data change), the indicator, the number and
 * optimistic concurrency; each problem is appended to errs as "ROW\tFIELD\tMESSAGE\n" and
 * then nothing is written; *saved gets the number of figures changed.  Returns 0 (saved, or
 * errs filled) or -1 (internal error in c->e). */
int web_save_values(web_ctx *c, const web_value_in *in, int n, buf *errs, int *saved);

#endif
