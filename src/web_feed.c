/* web_feed.c - keeping a server's model up to date with other servers' saves on the same
 * database (see store_multi.h for the change log, docs/internals/web.md "Several servers").
 *
 * Data flow: the listener thread waits for a change notice (PostgreSQL: LISTEN on a handle of its
 * own) or polls the generation (SQLite, every FEED_POLL_MS); when the database moved past the
 * model it wakes the reloader (web_kick).  refresh (web.c, holding reload_mx) first tries
 * web_feed_catch_up (feed_catch.c): in one read snapshot, the logged changes since the model's generation, when
 * they chain up to the database's generation and touch only cells the model and engine hold, and
 * each cell as stored now; then, under the model's write lock, each cell through
 * write_apply_cell (the same in-place update a server makes after its own save) and the new
 * generation.  Anything else (a catalogue edit, a big import, a pruned log) makes it return -1
 * and refresh reads the whole model as before.
 *
 * Ownership: the app owns the listener's handle and its wake pipe (web_feed_start/stop); the
 * changes read and their cells are owned here for one call.  No request state. */
#include "web.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed_catch.h"
#include "ops.h"
#include "store_multi.h"

#define FEED_POLL_MS 200        /* SQLite: how often the generation is read */
#define FEED_SAFETY_MS 2000     /* PostgreSQL: the generation is read this often even without notices */

int web_feed_catch_up(web_app *a, store *s)
{
    feed_catch c = { 0 };
    int rc = -1;
    err_t e;
    pthread_rwlock_rdlock(&a->lock);
    int64_t from = a->gen;
    model *m = a->m;                 /* stays put: the caller holds reload_mx */
    pthread_rwlock_unlock(&a->lock);
    if (from < 0 || store_read_begin(s, &e) != 0)
        return -1;
    int64_t to = store_generation(s, &e);
    int got = to > from && feed_catch_read(s, m, from, to, &c, &e) == 0;
    store_read_end(s);
    if (!got)
        return -1;
    pthread_rwlock_wrlock(&a->lock);
    rc = feed_catch_apply(m, &c, &e);
    if (rc == 0) {
        a->gen = to;
        a->feed_applied += c.n;
    }
    a->version++;                    /* the model changed in place */
    pthread_rwlock_unlock(&a->lock);
    if (rc == 0)
        ops_feed(c.n);
    if (rc != 0)
        fprintf(a->log ? a->log : stderr, "error: change feed: %s (reading everything)\n", e.msg);
    feed_catch_free(&c);
    return rc;
}

static int stopping(web_app *a)
{
    pthread_mutex_lock(&a->kick_mx);
    int r = a->stopping;
    pthread_mutex_unlock(&a->kick_mx);
    return r;
}

/* After a failed wait: a new handle, listening, after a second's pause (or NULL, tried again). */
static store *reopen(web_app *a, store *old)
{
    err_t e;
    store *s = NULL;
    store_close(old);
    poll(&(struct pollfd){ .fd = a->feed_wake[0], .events = POLLIN }, 1, 1000);
    if (store_open(a->db_path, 0, &s, &e) != 0 || store_feed_listen(s, &e) != 0) {
        fprintf(a->log ? a->log : stderr, "error: change feed: %s\n", e.msg);
        store_close(s);
        return NULL;
    }
    return s;
}

static void *listener(void *arg)
{
    web_app *a = arg;
    store *s = a->feed_s;
    err_t e;
    while (!stopping(a)) {
        if (s == NULL) {
            s = reopen(a, NULL);
            continue;
        }
        int r = store_feed_wait(s, a->feed_wake[0], store_feed_notices(s) ? FEED_SAFETY_MS : FEED_POLL_MS, &e);
        if (stopping(a))
            break;
        if (r < 0) {
            fprintf(a->log ? a->log : stderr, "error: change feed: %s\n", e.msg);
            s = reopen(a, s);
            continue;
        }
        web_image_refresh(a, WEB_IMAGE_EVERY_S);   /* the image kept within the log's window */
        int64_t g = store_generation(s, &e);
        if (g < 0)
            continue;                 /* logged by the requests' own checks */
        pthread_rwlock_rdlock(&a->lock);
        int moved = g != a->gen && g != a->bad_gen;
        pthread_rwlock_unlock(&a->lock);
        if (moved)
            web_kick(a);
    }
    a->feed_s = s;                    /* closed by web_feed_stop after the join */
    return NULL;
}

int web_feed_start(web_app *a, err_t *e)
{
    if (pipe(a->feed_wake) != 0)
        return err_set(e, "pipe");
    fcntl(a->feed_wake[0], F_SETFD, FD_CLOEXEC);
    fcntl(a->feed_wake[1], F_SETFD, FD_CLOEXEC);
    a->feed_pipe = 1;
    if (store_open(a->db_path, 0, &a->feed_s, e) != 0 || store_feed_listen(a->feed_s, e) != 0)
        return -1;
    if (pthread_create(&a->feed_thread, NULL, listener, a) != 0)
        return err_set(e, "pthread_create");
    a->feed_on = 1;
    return 0;
}

void web_feed_stop(web_app *a)
{
    if (a->feed_on) {
        pthread_mutex_lock(&a->kick_mx);
        a->stopping = 1;
        pthread_mutex_unlock(&a->kick_mx);
        ssize_t w = write(a->feed_wake[1], "x", 1);
        (void)w;
        pthread_join(a->feed_thread, NULL);
        a->feed_on = 0;
    }
    store_close(a->feed_s);
    a->feed_s = NULL;
    if (a->feed_pipe) {
        close(a->feed_wake[0]);
        close(a->feed_wake[1]);
        a->feed_pipe = 0;
    }
}
