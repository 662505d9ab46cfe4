/* test_web_image.c - the server's engine image (web_image.c, engine_image.c): a server started
 * from the image holds exactly what a full load of the database gives (every stored figure and
 * count: engine_checksum; every value and target cell with its comment: model_each_cell), and an
 * image that does not match the database exactly is never used: a damaged byte, a truncated file,
 * another database's image at the same path, a database restored from a backup, a catalogue
 * changed since.  A save made while the server was stopped (the command line's import, which logs
 * its cells) is caught up through the change log; a catalogue import makes it read everything.
 * Each case is checked against a fresh full load of the same database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "auth.h"
#include "engine.h"
#include "engine_image.h"
#include "import.h"
#include "store.h"
#include "store_admin.h"
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

static void flip_byte(const char *path, long at)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    fputc(c ^ 0x20, f);
    fclose(f);
}

static long size_of(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static void copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    char chunk[4096];
    size_t n;
    assert_non_null(a);
    assert_non_null(b);
    while ((n = fread(chunk, 1, sizeof chunk, a)) > 0)
        assert_int_equal(fwrite(chunk, 1, n, b), n);
    fclose(a);
    fclose(b);
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
    assert_true(size_of(img) > ENGINE_IMAGE_HEADER);
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

/* Damage anywhere (header field, payload, checksum), a truncated file, an empty one: never used;
 * the full load's image replaces it. */
static void test_damaged(void **state)
{
    (void)state;
    assert_true(agrees(db, img));
    long n = size_of(img);
    long spots[] = { 0, 20, 40, 100, 130, 161, 230, ENGINE_IMAGE_HEADER + 3, n / 2, n - 1 };
    for (size_t k = 0; k < sizeof spots / sizeof *spots; k++) {
        flip_byte(img, spots[k]);
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
    copy_file(img2, img);
    assert_false(agrees(db, img));
    assert_true(agrees(db, img));
    /* a backup of db restored over db2, then db2's old image: not used (a new image id) */
    char bak[96];
    snprintf(bak, sizeof bak, "%s.bak", db);
    assert_int_equal(store_backup_file(db, bak, &e), 0);
    assert_true(agrees(db2, img2));
    assert_int_equal(store_restore_file(bak, db2, 1, &info, &e), 0);
    remove(bak);
    copy_file(img, img2);                    /* even the image of the database it was copied from */
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
    assert_int_equal(size_of(img), -1);
    assert_int_equal(size_of(tmp), 0);       /* not truncated or renamed under its holder */
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
    assert_int_equal(size_of(img), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_catch_up),
        cmocka_unit_test(test_damaged),
        cmocka_unit_test(test_other_database),
        cmocka_unit_test(test_catalogue_changed),
        cmocka_unit_test(test_locked),
        cmocka_unit_test(test_none),
    };
    return cmocka_run_group_tests_name("engine image", tests, setup, teardown);
}
