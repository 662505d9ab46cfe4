/* web_image.c - the server's engine image (engine_image.h; docs/internals/engine_image.md): started
 * from at start when it matches the database, written after each full load and at a clean
 * shutdown when the generation moved.
 *
 * Data flow: build_model (web.c), in the read snapshot it reads the catalogue in, calls
 * web_image_prepare: the database's identity (meta 'engine_image_id', newest batch, schema
 * version, catalogue fingerprint) is noted in a->image_next for the writer; at start
 * (a->image_try) the image's header is compared with it and, if every check passes, its payload is
 * read into the model instead of the cells.  An image older than the database is then caught up
 * through the change log by web_open_image (web_feed_catch_up), or the database is read.  After a
 * full load is installed, web_image_installed (under the write lock) begins a snapshot of the model
 * as it is (engine_image_snap: a unit's run is saved before its first change, until the writer
 * is past it) and a writer thread writes it: the runs copied under the read lock 1 MiB at a time,
 * saves going on in between, then hashed, written, synced and renamed with no lock held.  So the
 * image is exactly the installed generation whatever was saved meanwhile; those saves are in the
 * change log, from which the next start catches up.
 *
 * Ownership: the app owns the writer thread (joined by web_image_stop) and the fields under
 * image_mx; a snapshot is the writer's once it took it (image_snap; an install only voids it),
 * the app's while it waits (image_snap_next); the writer opens its own store handle to create the
 * database's image id when it has none (the only write here: a meta row, which moves no
 * generation). */
#include "web.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "engine_image_db.h"
#include "store_admin.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static FILE *log_of(web_app *a)
{
    return a->log ? a->log : stderr;
}

int web_image_prepare(web_app *a, store *s, model *m, int64_t *gen, err_t *e)
{
    engine_image_id own, img;
    FILE *f = NULL;
    err_t why;
    const char *reason = NULL;
    if (engine_image_ident(s, m, *gen, &own, e) != 0)
        return -1;
    pthread_mutex_lock(&a->image_mx);
    a->image_next = own;
    a->image_pending = 1;
    int try = a->image_try;
    pthread_mutex_unlock(&a->image_mx);
    if (!try)
        return 0;
    double t0 = now_s();
    if (engine_image_open(a->image_path, &img, &f, &why) != 0)
        reason = why.msg;
    else if ((reason = engine_image_mismatch(s, &img, &own, &why)) == NULL && engine_image_read(f, m, 2 * a->engine_threads, &why) != 0)
        reason = why.msg;
    if (f)
        fclose(f);
    if (reason) {
        fprintf(log_of(a), "engine image: %s not used: %s; reading the database\n", a->image_path, reason);
        if (m->engine == NULL && m->values.n == 0 && m->targets.n == 0)
            return 0;
        return err_set(e, "engine image: %s", reason);   /* m spoilt (out of memory): no load */
    }
    fprintf(log_of(a), "engine image: loaded %s (generation %lld, the database's %lld) in %.1f s\n", a->image_path,
            (long long)img.gen, (long long)*gen, now_s() - t0);
    pthread_mutex_lock(&a->image_mx);
    a->image_pending = 0;
    a->image_gen = img.gen;
    pthread_mutex_unlock(&a->image_mx);
    *gen = img.gen;
    return 1;
}

/* Gives the database an image id if it has none (a meta row: no generation moves); 0 or -1. */
static int ensure_db_id(web_app *a, char *out, size_t n, err_t *e)
{
    store *s = NULL;
    int rc = -1;
    if (store_open(a->db_path, 0, &s, e) != 0 || store_begin(s, e) != 0)
        goto cleanup;
    int r = store_meta_get(s, ENGINE_IMAGE_ID_KEY, out, n, e);
    if (r == 0) {
        unsigned char raw[16];
        char hex[2 * sizeof raw + 1];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        snprintf(out, n, "%s", hex);
        r = store_meta_set(s, ENGINE_IMAGE_ID_KEY, hex, e) == 0 ? 1 : -1;
    }
    if (r < 0) {
        store_rollback(s);
        goto cleanup;
    }
    rc = store_commit(s, e);
cleanup:
    store_close(s);
    return rc;
}

/* Between the writer's holds of the read lock: the test seam. */
static void writer_pause(void *ctx)
{
    web_app *a = ctx;
    if (web_test_pause)
        web_test_pause(a, WEB_PAUSE_IMAGE);
}

/* Writes snapshot snap tagged id (engine_image.h: runs copied under the read lock a piece at a
 * time, saves going on between; hashed, written and synced with no lock); snap stays the caller's. */
static void write_image(web_app *a, engine_image_id *id, engine_image_snap *snap)
{
    err_t e;
    uint64_t bytes = 0;
    double t0 = now_s(), held = 0;
    int rc = -1, fd = -1;
    if (ensure_db_id(a, id->db_id, sizeof id->db_id, &e) == 0) {
        rc = engine_image_snap_write_tmp(snap, &a->lock, web_test_pause ? 8 : 0, writer_pause, a, id,
                                         a->image_path, &fd, &bytes, &held, &e);
        if (rc == 0)
            rc = engine_image_commit(a->image_path, fd, &e);
    }
    if (rc == 1)
        fprintf(log_of(a), "engine image: not written: %s (generation %lld)\n", e.msg, (long long)id->gen);
    else if (rc != 0)
        fprintf(log_of(a), "error: engine image: %s\n", e.msg);
    else {
        fprintf(log_of(a), "engine image: written %s (generation %lld, %.1f MB) in %.1f s "
                "(saves held back at most %.1f ms)\n", a->image_path, (long long)id->gen, (double)bytes / 1e6, now_s() - t0, held * 1e3);
        pthread_mutex_lock(&a->image_mx);
        a->image_gen = id->gen;
        a->image_at = now_s();
        pthread_mutex_unlock(&a->image_mx);
    }
}

static void *writer(void *arg)
{
    web_app *a = arg;
    for (;;) {
        pthread_mutex_lock(&a->image_mx);
        engine_image_snap *snap = a->image_snap_next;
        engine_image_id id = a->image_snap_id;
        a->image_snap_next = NULL;
        a->image_snap = snap;
        if (snap == NULL) {
            a->image_busy = 0;
            pthread_mutex_unlock(&a->image_mx);
            return NULL;
        }
        pthread_mutex_unlock(&a->image_mx);
        write_image(a, &id, snap);
        pthread_rwlock_rdlock(&a->lock);   /* no change runs: it stops watching */
        engine_image_snap_void(snap);
        pthread_rwlock_unlock(&a->lock);
        pthread_mutex_lock(&a->image_mx);  /* then no install sees it any more */
        a->image_snap = NULL;
        pthread_mutex_unlock(&a->image_mx);
        engine_image_snap_free(snap);
    }
}

/* Has the writer write image_snap_next (image_mx held): a thread started unless one runs, which
 * takes it next; the snapshot given up if none can start. */
static void start_writer(web_app *a)
{
    if (a->image_busy)
        return;
    if (a->image_started)
        pthread_join(a->image_thread, NULL);   /* finished (not busy): at once */
    a->image_started = a->image_busy = pthread_create(&a->image_thread, NULL, writer, a) == 0;
    if (!a->image_busy) {
        engine_image_snap_void(a->image_snap_next);
        engine_image_snap_free(a->image_snap_next);
        a->image_snap_next = NULL;
    }
}

void web_image_installed(web_app *a, int64_t gen)
{
    err_t e;
    pthread_mutex_lock(&a->image_mx);
    /* the model a snapshot was begun on is being replaced: it stops watching it */
    engine_image_snap_void(a->image_snap);
    engine_image_snap_void(a->image_snap_next);
    engine_image_snap_free(a->image_snap_next);    /* not taken by the writer yet: ours */
    a->image_snap_next = NULL;
    if (a->image_path[0] && a->image_pending && a->image_next.gen == gen && a->m && a->m->held) {
        a->image_pending = 0;
        /* the image is of this moment, whatever the saves do meanwhile */
        if (engine_image_snap_begin(a->m, &a->image_snap_next, &e) != 0)
            fprintf(log_of(a), "error: engine image: %s\n", e.msg);
        else {
            a->image_snap_id = a->image_next;
            start_writer(a);
        }
    }
    pthread_mutex_unlock(&a->image_mx);
}

void web_image_refresh(web_app *a, double every_s)
{
    err_t e;
    engine_image_id id;
    engine_image_snap *snap = NULL;
    store *s = NULL;
    double now = now_s();
    pthread_mutex_lock(&a->image_mx);
    int64_t on_disk = a->image_gen;
    int due = a->image_path[0] && !a->image_closing && !a->image_busy && a->image_snap_next == NULL &&
              now - a->image_at >= every_s;
    if (due)
        a->image_at = now;                       /* tried: not again before every_s */
    pthread_mutex_unlock(&a->image_mx);
    pthread_rwlock_rdlock(&a->lock);
    due = due && a->m && a->m->held && a->gen >= 0 && a->gen != on_disk;
    pthread_rwlock_unlock(&a->lock);
    if (!due || store_open(a->db_path, 0, &s, &e) != 0) {
        store_close(s);
        return;
    }
    pthread_mutex_lock(&a->reload_mx);          /* no save, catch-up or reload meanwhile */
    int ok = store_read_begin(s, &e) == 0;
    ok = ok && store_generation(s, &e) == a->gen && engine_image_ident(s, a->m, a->gen, &id, &e) == 0;
    store_read_end(s);
    if (ok) {
        pthread_rwlock_wrlock(&a->lock);
        ok = engine_image_snap_begin(a->m, &snap, &e) == 0;
        pthread_rwlock_unlock(&a->lock);
    }
    if (ok) {
        pthread_mutex_lock(&a->image_mx);        /* image_snap_next still NULL: installs hold reload_mx */
        int closing = a->image_closing;
        if (!closing) {
            a->image_snap_next = snap;
            a->image_snap_id = id;
            start_writer(a);
        }
        pthread_mutex_unlock(&a->image_mx);
        if (closing)
            engine_image_snap_end(snap, &a->lock);
    }
    pthread_mutex_unlock(&a->reload_mx);
    store_close(s);
}

void web_image_stop(web_app *a)
{
    pthread_mutex_lock(&a->image_mx);
    int started = a->image_started;
    a->image_started = 0;
    a->image_closing = 1;
    pthread_mutex_unlock(&a->image_mx);
    if (started)
        pthread_join(a->image_thread, NULL);
}

void web_image_save_now(web_app *a)
{
    err_t e;
    engine_image_id id;
    engine_image_snap *snap = NULL;
    web_image_stop(a);
    web_idle(a);
    pthread_mutex_lock(&a->reload_mx);          /* no reload meanwhile */
    pthread_rwlock_wrlock(&a->lock);
    int want = a->image_path[0] && a->m && a->m->held && a->gen >= 0 && a->gen != a->image_gen;
    int64_t gen = a->gen;
    if (want && engine_image_snap_begin(a->m, &snap, &e) != 0) {
        fprintf(log_of(a), "engine image: not written at exit: %s\n", e.msg);
        want = 0;
    }
    pthread_rwlock_unlock(&a->lock);
    if (want) {
        store *s = a->pool[0];                   /* no request runs any more */
        int ok = store_read_begin(s, &e) == 0;
        int64_t now = ok ? store_generation(s, &e) : -1;
        ok = ok && now == gen && engine_image_ident(s, a->m, gen, &id, &e) == 0;
        store_read_end(s);
        if (ok)
            write_image(a, &id, snap);
        engine_image_snap_end(snap, &a->lock);
        if (!ok) {
            fprintf(log_of(a), "engine image: not written at exit: %s\n",
                    now >= 0 && now != gen ? "the database moved past the model (the next start catches up)" : e.msg);
        }
    }
    pthread_mutex_unlock(&a->reload_mx);
}
