/* test_web_image.c - the server's engine image (web_image.c, engine_image.c): a server started
 * from the image holds exactly what a full load of the database gives (every stored figure and
 * count: engine_checksum; every value and target cell with its comment: model_each_cell), and an
 * image that does not match the database exactly is never used: a damaged byte, a truncated file,
 * another database's image at the same path, a database restored from a backup, a catalogue
 * changed since.  A save made while the server was stopped (the command line's import, which logs
 * its cells) is caught up through the change log; a catalogue import makes it read everything.
 * Each case is checked against a fresh full load of the same database.  Saves made while the image
 * is being written (the writer paused between its holds of the read lock) do not wait for it, the
 * image is still exactly the generation it names, and a restart catches them up; a save made
 * while the start's first-write dates are read with no lock is in the completeness kept after.  A
 * running server rewrites its image when its figures moved and the image is due (test_refresh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "test_files.h"
#include "test_sql.h"

#include <jansson.h>
#include <sqlite3.h>

#include "auth.h"
#include "engine.h"
#include "engine_image.h"
#include "import.h"
#include "store.h"
#include "store_admin.h"
#include "store_multi.h"
#include "web.h"
#include "write.h"

#include "web_client.h"

static char db[64], db2[64], img[80], img2[80];

static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Phường Một,d1,Đảng ủy phường\n"
    "w2,Phường Hai,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,group,direction,period_aggregation,decimals,formula\n"
    "kn,Kết nạp đảng viên,Xây dựng Đảng,up,sum,0,\n"
    "tl,Tỷ lệ hộ nghèo,Xã hội,down,last,2,\n"
    "kn2,Kết nạp gấp đôi,Xây dựng Đảng,up,sum,0,kn * 2\n";
static const char targets_csv[] =
    "indicator,unit,period,target\n"
    "kn,d1,2023,100\nkn,w1,2023,40\nkn,d2,2023,80\nkn,city,2023,200\nkn,d1,2024,50\n"
    "kn,d2,2020-2025,500\ntl,d2,2023,1.234567\n";
/* what the engine cannot hold exactly stays in the model's maps: a comment, 6 decimals, a range */
static const char values_csv[] =
    "indicator,unit,period,value,comment\n"
    "kn,w1,2022,30,\nkn,w2,2022,20,ghi chú\nkn,d2,2022,70,\n"
    "kn,w1,2023-01,3,\nkn,w1,2023-02,4,\nkn,w2,2023Q1,9,\nkn,d2,2023,100,\n"
    "tl,d2,2022,1.6,\ntl,d2,2023,1.123456,\ntl,w1,2021-2023,2,\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

/* A database at path with the catalogue and figures above. */
static void make_db(const char *path)
{
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv),
                            SRC("targets.csv", targets_csv), SRC("values.csv", values_csv) };
    import_opts o = { .who = "test" };
    wt_remove_db(path);
    assert_int_equal(store_open(path, 1, &s, &e), 0);
    int rc = import_run(s, m, src, 4, &o, &st, &errs, &e);
    if (rc != 0)
        fprintf(stderr, "%s%s\n", buf_str(&errs), e.msg);
    assert_int_equal(rc, 0);
    buf_free(&errs);
    model_free(m);
    store_close(s);
}

/* Imports text (named name) through the write door, as `chitieu import` does. */
static void cli_import(const char *path, const char *name, const char *text)
{
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { { name, text, strlen(text) } };
    import_opts o = { .who = "cli" };
    write_actor a = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    assert_int_equal(write_import(s, &a, src, 1, &o, &st, &errs, NULL, &e), 0);
    buf_free(&errs);
    store_close(s);
}

static int list_cell(void *ctx, const cell_t *c)
{
    char code[PERIOD_CODE_MAX];
    period_code(c->per, code, sizeof code);
    buf_printf(ctx, "%d %d %s %.17g %s\n", c->ind, c->unit, code, c->v, c->comment ? c->comment : "-");
    return 0;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every value and target cell of m, one line each, sorted (map order differs between loads). */
static char *cells_of(const model *m)
{
    buf b = BUF_INIT, out = BUF_INIT;
    assert_int_equal(model_each_cell(m, 0, 0, 0, list_cell, &b), 0);
    buf_adds(&b, "targets\n");
    assert_int_equal(model_each_cell(m, 1, 0, 0, list_cell, &b), 0);
    char *text = strdup(buf_str(&b)), *lines[512];
    int n = 0;
    for (char *p = strtok(text, "\n"); p && n < 512; p = strtok(NULL, "\n"))
        lines[n++] = p;
    qsort(lines, (size_t)n, sizeof *lines, by_line);
    for (int k = 0; k < n; k++)
        buf_printf(&out, "%s\n", lines[k]);
    free(text);
    buf_free(&b);
    char *r = strdup(buf_str(&out));
    buf_free(&out);
    return r;
}

typedef struct held {
    uint64_t sum;
    char *cells;
    int from_image;          /* the server started from the image (no full load to write) */
} held;

/* Opens a server on path with image (NULL: none), records what it holds, closes it (writing the
 * image at exit as `serve` does on SIGTERM). */
static held serve(const char *path, const char *image)
{
    web_app *app;
    err_t e;
    held st = { 0 };
    assert_int_equal(web_open_image(path, 2, WEB_CELLS_ENGINE, image, &app, &e), 0);
    assert_true(app->m->held);
    st.from_image = image && !app->image_started;
    st.sum = engine_checksum(app->m->engine);
    st.cells = cells_of(app->m);
    web_image_save_now(app);
    web_close(app);
    return st;
}

/* The server on path with image agrees with a full load of path; returns whether it used it. */
static int agrees(const char *path, const char *image)
{
    held full = serve(path, NULL), got = serve(path, image);
    assert_true(full.sum == got.sum);
    assert_string_equal(full.cells, got.cells);
    free(full.cells), free(got.cells);
    return got.from_image;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(auth_init(), 0);
    snprintf(db, sizeof db, "/tmp/chitieu-img-%ld.db", (long)getpid());
    snprintf(db2, sizeof db2, "/tmp/chitieu-img2-%ld.db", (long)getpid());
    snprintf(img, sizeof img, "%s.engine", db);
    snprintf(img2, sizeof img2, "%s.engine", db2);
    make_db(db);
    remove(img);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    wt_remove_db(db), wt_remove_db(db2);
    remove(img), remove(img2);
    return 0;
}

/* First start writes the image; the next starts from it with the same figures and cells. */
static void test_round_trip(void **state)
{
    (void)state;
    assert_false(agrees(db, img));           /* no image yet: a full load, which writes it */
    assert_true(tf_size(img) > ENGINE_IMAGE_HEADER);
    assert_true(agrees(db, img));
    assert_true(agrees(db, img));            /* unchanged: not rewritten, still used */
}

/* A figure saved while the server was stopped is caught up from the change log; the exit then
 * writes the image at the new generation, which the next start uses as it is. */
static void test_catch_up(void **state)
{
    (void)state;
    cli_import(db, "values.csv", "indicator,unit,period,value\nkn,w2,2022,25\nkn,w1,2023-03,6\n");
    assert_true(agrees(db, img));
    cli_import(db, "values.csv", "indicator,unit,period,value,comment\nkn,d2,2022,71,đã sửa\n");
    assert_true(agrees(db, img));
    assert_true(agrees(db, img));
}

/* Saves the change log no longer covers (its rows aged past STORE_FEED_KEEP_S, then pruned by a
 * later write): the start reads the image, cannot catch it up, and reads the whole database
 * instead (web_open_image), with the same figures as a start without the image; the image that
 * start writes at its exit is used by the next.  (The write lock around that second read is not
 * shown by this test: without it TSan saw no race here.) */
static void test_gap_not_covered(void **state)
{
    (void)state;
    char sql[96];
    agrees(db, img);                         /* an image of today's data, whichever way it came */
    assert_true(tf_size(img) > ENGINE_IMAGE_HEADER);
    cli_import(db, "values.csv", "indicator,unit,period,value\nkn,w2,2022,26\n");
    snprintf(sql, sizeof sql, "UPDATE change_log SET at = at - %d", STORE_FEED_KEEP_S + 60);
    ts_exec(db, sql);
    cli_import(db, "values.csv", "indicator,unit,period,value\nkn,w1,2022,34\n");   /* prunes */
    assert_false(agrees(db, img));           /* not from the image: everything read, same figures */
    assert_true(agrees(db, img));            /* the image written at that start's exit is used */
}

/* Damage anywhere (header field, payload, checksum), a truncated file, an empty one: never used;
 * the full load's image replaces it. */
static void test_damaged(void **state)
{
    (void)state;
    assert_true(agrees(db, img));
    long n = tf_size(img);
    long spots[] = { 0, 20, 40, 100, 130, 161, 230, ENGINE_IMAGE_HEADER + 3, n / 2, n - 1 };
    for (size_t k = 0; k < sizeof spots / sizeof *spots; k++) {
        tf_flip_byte(img, spots[k]);
        assert_false(agrees(db, img));
        assert_true(agrees(db, img));        /* rewritten whole */
    }
    assert_int_equal(truncate(img, n - 5), 0);
    assert_false(agrees(db, img));
    assert_int_equal(truncate(img, 100), 0);
    assert_false(agrees(db, img));
    assert_int_equal(truncate(img, 0), 0);
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
}

/* Another database's image at the same path, and a database restored from a backup of this one
 * (the same history, then its own), are not mistaken for each other. */
static void test_other_database(void **state)
{
    (void)state;
    store_info info;
    err_t e;
    make_db(db2);                            /* the same content, another database */
    assert_false(agrees(db2, img2));
    assert_true(agrees(db2, img2));
    tf_copy_file(img2, img);
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
    /* a backup of db restored over db2, then db2's old image: not used (a new image id) */
    char bak[96];
    snprintf(bak, sizeof bak, "%s.bak", db);
    assert_int_equal(store_backup_file(db, bak, &e), 0);
    assert_true(agrees(db2, img2));
    assert_int_equal(store_restore_file(bak, db2, 1, &info, &e), 0);
    remove(bak);
    tf_copy_file(img, img2);                 /* even the image of the database it was copied from */
    assert_false(agrees(db2, img2));
    assert_true(agrees(db2, img2));
}

/* A new indicator (a catalogue change, logged as "read everything") makes the image unusable; so
 * does a changed indicator's decimals. */
static void test_catalogue_changed(void **state)
{
    (void)state;
    assert_true(agrees(db, img));
    cli_import(db, "indicators.csv", "code,name,group,direction,period_aggregation,decimals,formula\n"
                                     "moi,Chỉ tiêu mới,Xã hội,up,sum,0,\n");
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
    cli_import(db, "indicators.csv", "code,name,group,direction,period_aggregation,decimals,formula\n"
                                     "tl,Tỷ lệ hộ nghèo,Xã hội,down,last,3,\n");
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
}

/* Another process writing the same image (two servers on one database): this one leaves it be. */
static void test_locked(void **state)
{
    (void)state;
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%s.tmp", img);
    remove(img);
    int fd = open(tmp, O_WRONLY | O_CREAT, 0644);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    held st = serve(db, img);                /* full load; the writer and the exit give up */
    free(st.cells);
    assert_int_equal(tf_size(img), -1);
    assert_int_equal(tf_size(tmp), 0);       /* not truncated or renamed under its holder */
    close(fd);
    remove(tmp);
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
}

/* No image path: nothing written, nothing read. */
static void test_none(void **state)
{
    (void)state;
    remove(img);
    held st = serve(db, NULL);
    free(st.cells);
    assert_int_equal(tf_size(img), -1);
}

/* --cells auto: a small database keeps its cells in the model; one past WEB_CELLS_AUTO_MIN
 * (~1 M cells, estimated from the file's size: padded here to 40 MB) in the engine alone, as a
 * province's does. */
static void test_auto(void **state)
{
    (void)state;
    char path[96];
    web_app *app;
    err_t e;
    sqlite3 *h;
    snprintf(path, sizeof path, "%s.auto", db);
    make_db(path);
    assert_int_equal(web_open_image(path, 2, WEB_CELLS_AUTO, NULL, &app, &e), 0);
    assert_false(app->m->held);
    web_close(app);
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "CREATE TABLE pad(b); INSERT INTO pad VALUES(zeroblob(40000000))", NULL, NULL,
                                  NULL), SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(web_open_image(path, 2, WEB_CELLS_AUTO, NULL, &app, &e), 0);
    assert_true(app->m->held);
    web_close(app);
    wt_remove_db(path);
}

/* ---- saves during the background work (web_test_pause) ---- */

static char bearer[128];
static struct {
    pthread_mutex_t mx;
    pthread_cond_t cv;
    int go;                  /* web_open_image has returned: requests may run */
    int where;               /* the pause point that saves */
    int calls, saved, failed;
    const char *const *saves;
} pz = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, NULL };

/* A user and a token for the API (once per database). */
static void add_token(const char *path)
{
    store *s;
    err_t e;
    char hash[AUTH_HASH_MAX], digest[AUTH_DIGEST_LEN + 1];
    web_user root = { .login = "root", .role = "admin", .unit = "city" };
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    assert_int_equal(wt_test_hash("mat-khau-thu-nghiem", hash), 0);
    assert_int_equal(store_user_add(s, &root, hash, &e), 0);
    auth_random_token(bearer);
    auth_token_digest(bearer, digest);
    assert_int_equal(store_token_put(s, digest, "root", "test", &e), 0);
    store_close(s);
}

static int api_send(web_app *a, const char *method, const char *path, const char *json, http_resp *rs)
{
    client c = { 0 };
    snprintf(c.bearer, sizeof c.bearer, "%s", bearer);
    wt_request r = { .method = method, .path = path, .json = json };
    return wt_send(a, &c, &r, rs);
}

/* The pause hook: on the background thread, with no lock held (checked: a writer could take the
 * model's lock), once web_open_image has returned, one save per pause from pz.saves. */
static void pause_save(web_app *a, int where)
{
    if (where != pz.where)
        return;
    pthread_mutex_lock(&pz.mx);
    while (!pz.go)
        pthread_cond_wait(&pz.cv, &pz.mx);
    pthread_mutex_unlock(&pz.mx);
    const char *json = pz.saves[pz.saved];
    pz.calls++;
    if (json == NULL)
        return;
    if (pthread_rwlock_trywrlock(&a->lock) != 0) {
        pz.failed++;             /* the job held the model's lock here: a save would wait */
        return;
    }
    pthread_rwlock_unlock(&a->lock);
    http_resp rs;
    int del = strncmp(json, "DELETE ", 7) == 0, tgt = strncmp(json, "T:", 2) == 0, ind = strncmp(json, "I:", 2) == 0;
    const char *path = del ? json + 7 : tgt ? "/api/v1/targets" : ind ? "/api/v1/indicators" : "/api/v1/values";
    int st = api_send(a, del ? "DELETE" : "POST", path, del ? NULL : tgt || ind ? json + 2 : json, &rs);
    if (st != 200) {
        fprintf(stderr, "save %s: %d %s\n", json, st, buf_str(&rs.body));
        pz.failed++;
    }
    http_resp_free(&rs);
    pz.saved++;
}

static void pause_arm(int where, const char *const *saves)
{
    pthread_mutex_lock(&pz.mx);
    pz.go = 0;
    pz.where = where;
    pz.calls = pz.saved = pz.failed = 0;
    pz.saves = saves;
    pthread_mutex_unlock(&pz.mx);
    web_test_pause = pause_save;
}

static void pause_go(void)
{
    pthread_mutex_lock(&pz.mx);
    pz.go = 1;
    pthread_cond_broadcast(&pz.cv);
    pthread_mutex_unlock(&pz.mx);
}

static int64_t generation_of(const char *path)
{
    store *s;
    err_t e;
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    int64_t g = store_generation(s, &e);
    store_close(s);
    return g;
}

/* What the image at image holds, read onto the catalogue of path (no identity checks). */
static held image_content(const char *path, const char *image)
{
    store *s;
    err_t e;
    FILE *f;
    engine_image_id id;
    held st = { 0 };
    model *m = model_new();
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    store_close(s);
    assert_int_equal(engine_image_open(image, &id, &f, &e), 0);
    assert_int_equal(engine_image_read(f, m, 1, &e), 0);
    fclose(f);
    st.sum = engine_checksum(m->engine);
    st.cells = cells_of(m);
    model_free(m);
    return st;
}

/* Saves land while the image is written, one between each of the writer's holds of the read lock
 * (8 bytes each here): values and targets of units already written, being written and not yet
 * written, new cells (a run grows and moves), a deletion, a comment (a side cell), a new year.
 * None waits for the writer; the image is the generation installed at start, exactly (db2: a copy
 * taken before the saves); a restart from it catches the saves up from the change log. */
static void test_saves_while_writing(void **state)
{
    (void)state;
    static const char *const saves[] = {
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2023-01\",\"value\":13}]}",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d2\",\"period\":\"2022\",\"value\":77}]}",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2023-05\",\"value\":8}]}",
        "T:{\"targets\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2023\",\"target\":33}]}",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2023-03\",\"value\":5}]}",
        "DELETE /api/v1/values?indicator=kn&unit=w1&period=2023-02&reason=nh%E1%BA%A7m",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2022\",\"value\":21,\"comment\":\"sửa\"}]}",
        "T:{\"targets\":[{\"indicator\":\"kn\",\"unit\":\"city\",\"period\":\"2023\",\"target\":222}]}",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d2\",\"period\":\"2024-02\",\"value\":4}]}",
        "{\"values\":[{\"indicator\":\"tl\",\"unit\":\"w2\",\"period\":\"2023\",\"value\":1.5}]}",
        NULL,
    };
    web_app *app;
    err_t e;
    char img0[96];
    snprintf(img0, sizeof img0, "%s.g0", img);
    make_db(db);
    add_token(db);
    remove(img);
    assert_int_equal(store_backup_file(db, db2, &e), 0);   /* the database as the server starts on it */
    int64_t g0 = generation_of(db);
    pause_arm(WEB_PAUSE_IMAGE, saves);
    assert_int_equal(web_open_image(db, 2, WEB_CELLS_ENGINE, img, &app, &e), 0);
    pause_go();
    web_image_stop(app);                     /* the writer, with every save made in its pauses */
    web_idle(app);
    web_test_pause = NULL;
    web_close(app);                          /* killed, as it were: no image written at exit */
    assert_int_equal(pz.failed, 0);
    assert_int_equal(pz.saved, 10);          /* the writer paused more often than there are saves */
    assert_true(generation_of(db) > g0);
    FILE *f;
    engine_image_id id;
    assert_int_equal(engine_image_open(img, &id, &f, &e), 0);
    fclose(f);
    assert_true(id.gen == g0);
    held was = serve(db2, NULL), got = image_content(db2, img);
    assert_true(was.sum == got.sum);
    assert_string_equal(was.cells, got.cells);
    free(was.cells), free(got.cells);
    tf_copy_file(img, img0);
    assert_true(agrees(db, img));            /* from the image, the saves caught up: a full load's */
    remove(img0);
}

/* A new indicator while the image is written: the model is read again and installed (its
 * snapshot begun), the one being written is given up at the writer's next hold, and the same
 * thread writes the new model's, saves going on throughout: the image names the generation of
 * that reload, and a restart from it is a full load's. */
static void test_reload_while_writing(void **state)
{
    (void)state;
    static const char *const saves[] = {
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w1\",\"period\":\"2023-01\",\"value\":14}]}",
        "I:{\"indicators\":[{\"code\":\"moi\",\"name\":\"Chỉ tiêu mới\",\"group\":\"Xã hội\"}]}",
        "{\"values\":[{\"indicator\":\"moi\",\"unit\":\"w2\",\"period\":\"2023-02\",\"value\":3}]}",
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"d2\",\"period\":\"2022\",\"value\":78}]}",
        "T:{\"targets\":[{\"indicator\":\"moi\",\"unit\":\"w1\",\"period\":\"2023\",\"target\":9}]}",
        NULL,
    };
    web_app *app;
    err_t e;
    FILE *f;
    engine_image_id id;
    make_db(db);
    add_token(db);
    remove(img);
    int64_t g0 = generation_of(db);
    pause_arm(WEB_PAUSE_IMAGE, saves);
    assert_int_equal(web_open_image(db, 2, WEB_CELLS_ENGINE, img, &app, &e), 0);
    pause_go();
    web_image_stop(app);
    web_idle(app);
    web_test_pause = NULL;
    web_close(app);
    assert_int_equal(pz.failed, 0);
    assert_int_equal(pz.saved, 5);
    assert_int_equal(engine_image_open(img, &id, &f, &e), 0);
    fclose(f);
    assert_true(id.gen > g0);                /* the reload's, not the start's */
    assert_true(id.gen < generation_of(db)); /* saves came after it */
    assert_true(agrees(db, img));
}

/* A save made while the start's first-write dates are read (with no lock): the completeness kept
 * after it has its first write, as a server started afterwards reads it from the database. */
static void test_save_while_prewarming(void **state)
{
    (void)state;
    static const char *const saves[] = {
        "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2023\",\"value\":12}]}",
        NULL,
    };
    static const char *const none[] = { NULL };
    const char *q = "/api/v1/completeness?unit=city&period=2023&view=items";
    web_app *app;
    err_t e;
    http_resp rs;
    make_db(db);
    add_token(db);
    pause_arm(WEB_PAUSE_PREWARM, saves);
    assert_int_equal(web_open_image(db, 2, WEB_CELLS_ENGINE, NULL, &app, &e), 0);
    pause_go();
    web_idle(app);                           /* the start's prewarm, the save made in its pause */
    assert_int_equal(pz.saved, 1);
    assert_int_equal(pz.failed, 0);
    assert_int_equal(api_send(app, "GET", q, NULL, &rs), 200);
    json_error_t je;
    json_t *j = json_loads(buf_str(&rs.body), 0, &je);
    char *kept = strdup(buf_str(&rs.body)), *cut = strstr(kept, "\"snapshot\"");
    assert_non_null(cut);
    *cut = '\0';                              /* the items, not the model's version */
    http_resp_free(&rs);
    web_close(app);
    assert_non_null(strstr(kept, "\"unit\": \"w2\", \"indicator\": \"kn\"") ? kept : strstr(kept, "w2"));
    pause_arm(WEB_PAUSE_PREWARM, none);      /* a server started after: read from the database */
    pause_go();
    assert_int_equal(web_open_image(db, 2, WEB_CELLS_ENGINE, NULL, &app, &e), 0);
    web_idle(app);
    web_test_pause = NULL;
    assert_int_equal(api_send(app, "GET", q, NULL, &rs), 200);
    assert_int_equal(strncmp(kept, buf_str(&rs.body), strlen(kept)), 0);
    http_resp_free(&rs);
    web_close(app);
    assert_non_null(j);
    int found = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "items"), i, it) {
        if (strcmp(json_string_value(json_object_get(it, "unit")), "w2") == 0 &&
            strcmp(json_string_value(json_object_get(it, "indicator")), "kn") == 0) {
            found = 1;
            assert_true(json_is_string(json_object_get(it, "first_write")));   /* not lost: dated */
        }
    }
    assert_true(found);
    json_decref(j);
    free(kept);
}

/* Until the image writer is idle. */
static void wait_writer(web_app *a)
{
    for (int i = 0; i < 3000; i++) {
        pthread_mutex_lock(&a->image_mx);
        int busy = a->image_busy || a->image_snap_next != NULL;
        pthread_mutex_unlock(&a->image_mx);
        if (!busy)
            return;
        usleep(10000);
    }
    fail_msg("the image writer did not finish");
}

static int64_t image_gen_of(const char *image)
{
    FILE *f;
    engine_image_id id;
    err_t e;
    assert_int_equal(engine_image_open(image, &id, &f, &e), 0);
    fclose(f);
    return id.gen;
}

/* A running server whose figures moved rewrites its image once that is due (web_image_refresh,
 * which the feed's listener calls every WEB_IMAGE_EVERY_S), so the image stays within the change
 * log's window for a restart or the command line: it then names the server's generation and
 * holds what a full load holds.  Nothing moved, or not due yet: nothing written. */
static void test_refresh(void **state)
{
    (void)state;
    web_app *app;
    err_t e;
    http_resp rs;
    make_db(db);
    add_token(db);
    remove(img);
    assert_int_equal(web_open_image(db, 2, WEB_CELLS_ENGINE, img, &app, &e), 0);
    wait_writer(app);
    int64_t g0 = image_gen_of(img);
    assert_true(g0 == app->gen);
    web_image_refresh(app, 0);               /* nothing moved */
    wait_writer(app);
    assert_true(image_gen_of(img) == g0);
    assert_int_equal(api_send(app, "POST", "/api/v1/values",
                              "{\"values\":[{\"indicator\":\"kn\",\"unit\":\"w2\",\"period\":\"2023-05\",\"value\":8}]}", &rs), 200);
    http_resp_free(&rs);
    int64_t g1 = generation_of(db);
    assert_true(g1 > g0 && app->gen == g1);
    web_image_refresh(app, 3600);            /* not due: written a moment ago */
    wait_writer(app);
    assert_true(image_gen_of(img) == g0);
    web_image_refresh(app, 0);
    wait_writer(app);
    assert_true(image_gen_of(img) == g1);
    web_close(app);                          /* killed, as it were: no image written at exit */
    held full = serve(db, NULL), got = image_content(db, img);
    assert_true(full.sum == got.sum);
    assert_string_equal(full.cells, got.cells);
    free(full.cells), free(got.cells);
    assert_true(agrees(db, img));            /* used as it is */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_catch_up),
        cmocka_unit_test(test_gap_not_covered),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_other_database),
        cmocka_unit_test(test_catalogue_changed),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_none),
        cmocka_unit_test(test_auto),
        cmocka_unit_test(test_saves_while_writing),
        cmocka_unit_test(test_reload_while_writing),
        cmocka_unit_test(test_save_while_prewarming),
        cmocka_unit_test(test_refresh),
    };
    return cmocka_run_group_tests_name("engine image", tests, setup, teardown);
}
