/* test_store_ckpt.c - tests of the WAL checkpointer (src/store_ckpt.c) and of the server's use of it.
 *
 * Commits on an attached connection leave the WAL to the checkpointer: held, the WAL grows past
 * SQLite's own threshold (which would have copied it back at 1 000 pages); let go, the
 * checkpointer copies every frame and the next commit starts the WAL from its beginning; stopped
 * last, its connection removes the WAL.  Past the threshold a commit wakes it.  The server
 * (web_open) attaches its connections and shows the counts in /metrics.  PostgreSQL: none.
 * Frames are made by raw commits of large blobs on the store's own connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "test_files.h"

#include "store_ckpt.h"
#include "store_sqlite.h"
#include "web.h"

#define FRAME_BYTES (4096 + 24)   /* a WAL frame at the default page size */

static char db[256], wal[300];

static void fresh_db(const char *name)
{
    snprintf(db, sizeof db, "/tmp/chitieu-ckpt-%s-%ld.db", name, (long)getpid());
    snprintf(wal, sizeof wal, "%s-wal", db);
    remove(db);
    remove(wal);
    store *s;
    err_t e;
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(sqlite3_exec(s->db, "CREATE TABLE blobs(b BLOB)", NULL, NULL, NULL), SQLITE_OK);
    store_close(s);
}

/* n commits of one 40 kB blob each (about 10 frames apiece) on conn. */
static void commits(sqlite3 *conn, int n)
{
    for (int i = 0; i < n; i++)
        assert_int_equal(sqlite3_exec(conn, "INSERT INTO blobs VALUES(randomblob(40000))", NULL, NULL, NULL),
                         SQLITE_OK);
}

/* Waits up to 20 s for k's runs to reach want; returns what it saw. */
static store_ckpt_stats wait_runs(store_ckpt *k, long want)
{
    store_ckpt_stats st = store_ckpt_get(k);
    for (int i = 0; i < 2000 && st.runs < want; i++) {
        usleep(10000);
        st = store_ckpt_get(k);
    }
    return st;
}

static void test_commits_leave_wal(void **state)
{
    (void)state;
    fresh_db("leave");
    store *s;
    store_ckpt *k;
    err_t e;
    assert_int_equal(store_ckpt_start(db, 64, &k, &e), 0);
    assert_non_null(k);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    store_ckpt_attach(k, s);
    store_ckpt_hold(k, 1);
    commits(s->db, 300);
    /* ~3 000 frames and not one copied back: SQLite's own checkpoint would have reset at 1 000 */
    assert_true(tf_size(wal) >= 2500L * FRAME_BYTES);
    assert_int_equal(store_ckpt_get(k).runs, 0);
    assert_true(store_ckpt_get(k).wal_pages >= 2500);
    store_ckpt_hold(k, 0);
    store_ckpt_stats st = wait_runs(k, 1);
    assert_true(st.runs >= 1);
    assert_true(st.copied >= 2500);
    assert_int_equal(st.partial + st.failed, 0);
    assert_true(st.seconds > 0);
    /* everything copied: the next commit writes the WAL from its start again */
    long size = tf_size(wal);
    commits(s->db, 1);
    assert_int_equal(tf_size(wal), size);
    assert_true(store_ckpt_get(k).wal_pages < 64);
    int in_log = -1, copied = -1;
    sqlite3 *raw;
    assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_exec(raw, "SELECT count(*) FROM blobs", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_wal_checkpoint_v2(raw, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log, &copied), SQLITE_OK);
    assert_true(in_log > 0 && in_log < 64);
    sqlite3_close(raw);
    store_close(s);
    store_ckpt_stop(k);                  /* the last connection: copies the rest, removes the WAL */
    assert_int_equal(access(wal, F_OK), -1);
    remove(db);
}

static void test_wakes_past_threshold(void **state)
{
    (void)state;
    fresh_db("wake");
    store *s;
    store_ckpt *k;
    err_t e;
    assert_int_equal(store_ckpt_start(db, 64, &k, &e), 0);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    store_ckpt_attach(k, s);
    commits(s->db, 3);                   /* ~30 frames: under the threshold, nothing to do */
    usleep(200000);
    assert_int_equal(store_ckpt_get(k).runs, 0);
    commits(s->db, 20);                  /* past it */
    store_ckpt_stats st = wait_runs(k, 1);
    assert_true(st.runs >= 1);
    assert_true(st.copied >= 64);
    store_close(s);
    store_ckpt_stop(k);
    remove(db);
    remove(wal);
}

/* The server's own connections are attached: 3 000 frames through one of them are copied back
 * by its checkpointer (not by the commits), and /metrics says so. */
static void test_server(void **state)
{
    (void)state;
    fresh_db("web");
    web_app *app;
    err_t e;
    assert_int_equal(web_open(db, 2, &app, &e), 0);
    assert_non_null(app->ckpt);
    store_ckpt_hold(app->ckpt, 1);
    commits(app->pool[0]->db, 150);
    commits(app->pool[1]->db, 150);
    assert_true(tf_size(wal) >= 2500L * FRAME_BYTES);
    store_ckpt_hold(app->ckpt, 0);
    store_ckpt_stats st = wait_runs(app->ckpt, 1);
    assert_true(st.copied >= 2500);
    web_close(app);
    assert_int_equal(access(wal, F_OK), -1);
    remove(db);
}

static void test_postgresql_none(void **state)
{
    (void)state;
    store_ckpt *k = (store_ckpt *)&k;
    err_t e;
    assert_int_equal(store_ckpt_start("postgresql://nowhere/none", 0, &k, &e), 0);
    assert_null(k);
    store_ckpt_attach(NULL, NULL);
    store_ckpt_hold(NULL, 1);
    assert_int_equal(store_ckpt_get(NULL).runs, 0);
    store_ckpt_stop(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commits_leave_wal),
        cmocka_unit_test(test_wakes_past_threshold),
        cmocka_unit_test(test_server),
        cmocka_unit_test(test_postgresql_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
