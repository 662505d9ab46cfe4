/* store_ckpt.c - the WAL checkpointer's thread (store_ckpt.h).
 *
 * Data flow: a commit on an attached connection calls wal_hook (SQLite, after the commit, with
 * the write lock released) with the WAL's page count; past the threshold it sets `wanted` and
 * signals.  The thread wakes, runs sqlite3_wal_checkpoint_v2(PASSIVE) on its own connection -
 * copying every frame no reader still needs, then syncing the database - and counts what it
 * did; the next commit after a complete checkpoint starts the WAL from its beginning again.
 * Runs are at least CKPT_GAP_MS apart, so commits made while a reader pins old frames do not
 * turn it into a busy loop.  Stop wakes the thread, joins it and closes its connection (the last
 * one open after the server's own closes, it copies what is left and removes the WAL).
 *
 * Ownership: the checkpointer owns its thread, connection, mutex and condition; `mx` guards
 * wanted, stopping, held and the counters.
 */
#include "store_ckpt.h"

#include "store_sqlite.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { CKPT_GAP_MS = 100 };

struct store_ckpt {
    store *s;                     /* the checkpointer's own connection */
    int threshold;                /* the WAL size, in pages, that wakes it */
    pthread_t thread;
    int started;
    pthread_mutex_t mx;
    pthread_cond_t cv;
    int wanted, stopping, held;
    store_ckpt_stats stats;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
    store_ckpt *k = arg;
    (void)db;
    (void)name;
    pthread_mutex_lock(&k->mx);
    k->stats.wal_pages = pages;
    if (pages >= k->threshold) {
        k->wanted = 1;
        pthread_cond_signal(&k->cv);
    }
    pthread_mutex_unlock(&k->mx);
    return SQLITE_OK;
}

/* One PASSIVE checkpoint on k's connection, counted (called with mx not held). */
static void run_once(store_ckpt *k)
{
    int in_log = 0, copied = 0;
    double t0 = now_s();
    int rc = sqlite3_wal_checkpoint_v2(k->s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log, &copied);
    double took = now_s() - t0;
    pthread_mutex_lock(&k->mx);
    k->stats.runs++;
    k->stats.seconds += took;
    if (rc == SQLITE_OK)
        k->stats.copied = copied;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        k->stats.failed++;
    else if (rc == SQLITE_BUSY || copied < in_log)
        k->stats.partial++;
    pthread_mutex_unlock(&k->mx);
}

/* Waits on cv (a CLOCK_MONOTONIC condition) until deadline, in monotonic seconds, or a signal;
 * mx held. */
static void wait_until(store_ckpt *k, double deadline)
{
    struct timespec ts;
    ts.tv_sec = (time_t)deadline;
    ts.tv_nsec = (long)((deadline - (double)ts.tv_sec) * 1e9);
    pthread_cond_timedwait(&k->cv, &k->mx, &ts);
}

static void *checkpointer(void *arg)
{
    store_ckpt *k = arg;
    double next = 0;                 /* the earliest start of the next run */
    pthread_mutex_lock(&k->mx);
    for (;;) {
        while (!k->stopping && (!k->wanted || k->held || now_s() < next)) {
            if (k->wanted && !k->held)
                wait_until(k, next);
            else
                pthread_cond_wait(&k->cv, &k->mx);
        }
        if (k->stopping)
            break;
        k->wanted = 0;
        pthread_mutex_unlock(&k->mx);
        run_once(k);
        next = now_s() + CKPT_GAP_MS / 1000.0;
        pthread_mutex_lock(&k->mx);
    }
    pthread_mutex_unlock(&k->mx);
    return NULL;
}

int store_ckpt_start(const char *path, int threshold, store_ckpt **out, err_t *e)
{
    *out = NULL;
    if (store_pg_url(path))
        return 0;
    store_ckpt *k = calloc(1, sizeof *k);
    if (k == NULL)
        return err_set(e, "out of memory");
    k->threshold = threshold > 0 ? threshold : STORE_CKPT_FRAMES;
    pthread_mutex_init(&k->mx, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&k->cv, &attr);
    pthread_condattr_destroy(&attr);
    if (store_open(path, 0, &k->s, e) != 0)
        goto fail;
    if (pthread_create(&k->thread, NULL, checkpointer, k) != 0) {
        err_set(e, "pthread_create");
        goto fail;
    }
    k->started = 1;
    *out = k;
    return 0;
fail:
    store_ckpt_stop(k);
    return -1;
}

void store_ckpt_attach(store_ckpt *k, store *s)
{
    if (k == NULL || s == NULL || s->db == NULL)
        return;
    sqlite3_wal_hook(s->db, wal_hook, k);   /* replaces the autocheckpoint (itself a wal hook) */
}

void store_ckpt_hold(store_ckpt *k, int on)
{
    if (k == NULL)
        return;
    pthread_mutex_lock(&k->mx);
    k->held = on != 0;
    pthread_cond_signal(&k->cv);
    pthread_mutex_unlock(&k->mx);
}

store_ckpt_stats store_ckpt_get(store_ckpt *k)
{
    store_ckpt_stats st = { 0, 0, 0, 0, 0, 0 };
    if (k == NULL)
        return st;
    pthread_mutex_lock(&k->mx);
    st = k->stats;
    pthread_mutex_unlock(&k->mx);
    return st;
}

void store_ckpt_stop(store_ckpt *k)
{
    if (k == NULL)
        return;
    if (k->started) {
        pthread_mutex_lock(&k->mx);
        k->stopping = 1;
        pthread_cond_signal(&k->cv);
        pthread_mutex_unlock(&k->mx);
        pthread_join(k->thread, NULL);
    }
    store_close(k->s);
    pthread_cond_destroy(&k->cv);
    pthread_mutex_destroy(&k->mx);
    free(k);
}
