/* test_cli.c - the command line's shared plumbing (cli.c): cli_load_year reads the catalogue and a
 * year's figures into an engine on several handles, so a write committed between its parts must
 * make it read again rather than mix the data before and after the write.  The hook between the
 * values and the targets commits such a write (a value and a target in one transaction) on the
 * first read only.
 *
 * cli_open_unit of a unit needing most of the database reads the server's engine image instead
 * (engine_image_db.h): eval (text, JSON) and report of it are byte for byte what `--engine-image
 * none` gives, with the image as written, after saves through the write door (caught up from the
 * change log), and with an image that must be refused (damaged, another database's, a catalogue
 * changed, a write the log does not cover): then everything is read.  Each case asserts which way
 * it loaded, and the image file is never written by the command line.  An image read into the
 * model and then refused at the catch-up (the log pruned) leaves nothing of itself in a ward's
 * output: stderr says why, the figures are the ones written since.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "test_files.h"
#include "test_sql.h"

#include "cli.h"
#include "cmd.h"
#include "engine.h"
#include "fixed.h"
#include "import.h"
#include "model.h"
#include "store.h"
#include "store_multi.h"
#include "web.h"
#include "write.h"

static const period_t Y2024 = { P_YEAR, 0, 2024, 2024 };

typedef struct fixture {
    char path[64];
    int writes;            /* how many times the hook is still to write */
    double value, target;  /* what it writes for unit a */
} fixture;

/* Removes the database at path with its WAL files. */
static void drop_db(const char *path)
{
    char side[80];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
}

/* A city r with wards a and b, one summed indicator; 2024: a 10, b 20, a's target 12. */
static void make_db(const char *path)
{
    store *s;
    err_t e;
    model *m = model_new();
    assert_non_null(m);
    drop_db(path);
    assert_true(model_put_unit(m, "r", "Thành phố", "", "", 0, 0) >= 0);
    assert_true(model_put_unit(m, "a", "Phường A", "r", "", 0, 0) >= 0);
    assert_true(model_put_unit(m, "b", "Phường B", "r", "", 0, 0) >= 0);
    ind_t d = { .code = "kn", .name = "Kết nạp", .group = "g", .set = "", .measure = "người", .parent_code = "",
                .formula_src = "" };
    assert_true(model_put_ind(m, &d) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    assert_int_equal(store_open(path, 1, &s, &e), 0);
    assert_int_equal(store_begin(s, &e), 0);
    for (int u = 0; u < 3; u++)
        assert_int_equal(store_put_unit(s, m, u, &e), 0);
    assert_int_equal(store_put_ind(s, m, 0, 0, &e), 0);
    assert_int_equal(store_put_value(s, m, 0, 1, Y2024, 10, NULL, &(cell_t){ 0 }, "t", "t", &e), 0);
    assert_int_equal(store_put_value(s, m, 0, 2, Y2024, 20, NULL, &(cell_t){ 0 }, "t", "t", &e), 0);
    assert_int_equal(store_put_target(s, m, 0, 1, Y2024, 12, NULL, "t", "t", &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
    model_free(m);
}

/* Between the values and the targets: another writer changes a's value and target at once. */
static void write_between(void *ctx)
{
    fixture *f = ctx;
    if (f->writes == 0)
        return;
    f->writes--;
    store *s;
    err_t e;
    model *m = model_new();
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    int a = model_unit_find(m, "a");
    assert_true(a >= 0);
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_put_value(s, m, 0, a, Y2024, f->value, NULL, &(cell_t){ 0 }, "other", "t", &e), 0);
    assert_int_equal(store_put_target(s, m, 0, a, Y2024, f->target, NULL, "other", "t", &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
    model_free(m);
}

/* Loads 2024 with nwrites writes coming in between; checks what the engine holds. */
static void load_with_writes(int nwrites, int threads)
{
    fixture f = { .writes = nwrites, .value = 15, .target = 99 };
    snprintf(f.path, sizeof f.path, "/tmp/chitieu_test_cli_%d.db", (int)getpid());
    make_db(f.path);
    cli_year_load ld = { .year = 2024, .threads = threads, .between = write_between, .ctx = &f };
    store *s = NULL;
    model *m = NULL;
    engine *g = NULL;
    err_t e;
    assert_int_equal(cli_load_year(f.path, &ld, &s, &m, &g, &e), 0);
    assert_int_equal(ld.attempts, nwrites + 1);
    assert_int_equal(engine_run(g, &e), 0);
    int a = model_unit_find(m, "a"), r = model_unit_find(m, "r");
    int64_t fx, tfx;
    int source, missing;
    assert_int_equal(engine_figure(g, 0, a, Y2024, &fx, &source, &missing), 1);
    assert_int_equal(engine_target(g, 0, a, 2024, &tfx), 1);
    /* the value and the target of one write, never one without the other */
    assert_true(fx == (int64_t)(nwrites ? 15 : 10) * FX_ONE);
    assert_true(tfx == (nwrites ? 99 : 12));
    assert_int_equal(engine_figure(g, 0, r, Y2024, &fx, &source, &missing), 1);
    assert_true(fx == (int64_t)(nwrites ? 35 : 30) * FX_ONE);
    engine_free(g);
    model_free(m);
    store_close(s);
    drop_db(f.path);
}

static void test_quiet(void **state)
{
    (void)state;
    load_with_writes(0, 1);
}

static void test_write_between(void **state)
{
    (void)state;
    load_with_writes(1, 1);
    load_with_writes(2, 2);
}

/* A writer that never stops: the read gives up with a clear message, keeping nothing. */
static void test_gives_up(void **state)
{
    (void)state;
    fixture f = { .writes = 100, .value = 15, .target = 99 };
    snprintf(f.path, sizeof f.path, "/tmp/chitieu_test_cli_%d.db", (int)getpid());
    make_db(f.path);
    cli_year_load ld = { .year = 2024, .threads = 1, .between = write_between, .ctx = &f };
    store *s = NULL;
    model *m = NULL;
    engine *g = NULL;
    err_t e;
    assert_int_equal(cli_load_year(f.path, &ld, &s, &m, &g, &e), -1);
    assert_non_null(strstr(e.msg, "thay đổi trong lúc đọc"));
    assert_null(s);
    assert_null(m);
    assert_null(g);
    assert_true(f.writes < 100);
    drop_db(f.path);
}


/* ---- the engine image ---- */

static char idb[64], idb2[64], iimg[80], iout[80];

static const char img_units[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Phường Một,d1,Đảng ủy phường\n"
    "w2,Phường Hai,d1,Đảng ủy phường\n"
    /* three districts more, so a ward's eval reads 3 of 32 units: from the image, or its cells */
    "d3,Quận ủy 3,city,Quận ủy\n"
    "x31,Phường 3.1,d3,Đảng ủy phường\n"
    "x32,Phường 3.2,d3,Đảng ủy phường\n"
    "x33,Phường 3.3,d3,Đảng ủy phường\n"
    "x34,Phường 3.4,d3,Đảng ủy phường\n"
    "x35,Phường 3.5,d3,Đảng ủy phường\n"
    "x36,Phường 3.6,d3,Đảng ủy phường\n"
    "x37,Phường 3.7,d3,Đảng ủy phường\n"
    "x38,Phường 3.8,d3,Đảng ủy phường\n"
    "d4,Quận ủy 4,city,Quận ủy\n"
    "x41,Phường 4.1,d4,Đảng ủy phường\n"
    "x42,Phường 4.2,d4,Đảng ủy phường\n"
    "x43,Phường 4.3,d4,Đảng ủy phường\n"
    "x44,Phường 4.4,d4,Đảng ủy phường\n"
    "x45,Phường 4.5,d4,Đảng ủy phường\n"
    "x46,Phường 4.6,d4,Đảng ủy phường\n"
    "x47,Phường 4.7,d4,Đảng ủy phường\n"
    "x48,Phường 4.8,d4,Đảng ủy phường\n"
    "d5,Quận ủy 5,city,Quận ủy\n"
    "x51,Phường 5.1,d5,Đảng ủy phường\n"
    "x52,Phường 5.2,d5,Đảng ủy phường\n"
    "x53,Phường 5.3,d5,Đảng ủy phường\n"
    "x54,Phường 5.4,d5,Đảng ủy phường\n"
    "x55,Phường 5.5,d5,Đảng ủy phường\n"
    "x56,Phường 5.6,d5,Đảng ủy phường\n"
    "x57,Phường 5.7,d5,Đảng ủy phường\n"
    "x58,Phường 5.8,d5,Đảng ủy phường\n";
static const char img_inds[] =
    "code,name,group,direction,period_aggregation,decimals,formula\n"
    "kn,Kết nạp đảng viên,Xây dựng Đảng,up,sum,0,\n"
    "tl,Tỷ lệ hộ nghèo,Xã hội,down,last,2,\n"
    "kn2,Kết nạp gấp đôi,Xây dựng Đảng,up,sum,0,kn * 2\n";
static const char img_targets[] =
    "indicator,unit,period,target\n"
    "kn,d1,2023,100\nkn,w1,2023,40\nkn,d2,2023,80\nkn,city,2023,200\nkn,w2,2023,30\ntl,d2,2023,1.5\n";
/* a comment, six decimals and a range stay in the model's maps beside the engine */
static const char img_values[] =
    "indicator,unit,period,value,comment\n"
    "kn,w1,2022,30,\nkn,w2,2022,20,ghi chú\nkn,d2,2022,70,\n"
    "kn,w1,2023-01,3,\nkn,w1,2023-02,4,\nkn,w2,2023Q1,9,\nkn,d2,2023,100,\n"
    "tl,d2,2022,1.6,\ntl,d2,2023,1.123456,\ntl,w1,2021-2023,2,\n";

/* Imports the named texts into path through the write door, as `chitieu import` does (its
 * cells logged in the change log). */
static void import_texts(const char *path, const import_source *src, int n)
{
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_opts o = { .who = "cli" };
    write_actor a = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };
    assert_int_equal(store_open(path, 1, &s, &e), 0);
    int rc = write_import(s, &a, src, n, &o, &st, &errs, NULL, &e);
    if (rc != 0)
        fprintf(stderr, "%s%s\n", buf_str(&errs), e.msg);
    assert_int_equal(rc, 0);
    buf_free(&errs);
    store_close(s);
}

/* The database of the texts above at path. */
static void make_img_db(const char *path)
{
    import_source src[] = { { "units.csv", img_units, sizeof img_units - 1 },
                            { "indicators.csv", img_inds, sizeof img_inds - 1 },
                            { "targets.csv", img_targets, sizeof img_targets - 1 },
                            { "values.csv", img_values, sizeof img_values - 1 } };
    import_texts(path, src, 4);
}

static void import_one(const char *path, const char *name, const char *text)
{
    import_source src[] = { { name, text, strlen(text) } };
    import_texts(path, src, 1);
}

/* A server on path with its image at image, stopped: it writes the image (first load, or at exit
 * when its generation moved), as `chitieu serve` does. */
static void serve_once(const char *path, const char *image)
{
    web_app *app;
    err_t e;
    assert_int_equal(web_open_image(path, 2, WEB_CELLS_ENGINE, image, &app, &e), 0);
    web_image_save_now(app);
    web_close(app);
}

/* Whether cli_open_unit of unit reads path's cells from image ("none": never). */
static int from_image(const char *path, const char *unit, const char *image)
{
    store *s;
    model *m;
    cli_unit_load ld = { .image = image };
    assert_int_equal(cli_open_unit("eval", path, unit, &ld, &s, &m), 0);
    assert_true(!ld.from_image || (m->held && m->engine != NULL));
    store_close(s);
    model_free(m);
    return ld.from_image;
}

/* The output of `chitieu CMD --db path --unit unit --period period ARG --engine-image image`. */
static char *run_cmd(const char *cmd, const char *path, const char *unit, const char *period, const char *arg,
                     const char *image)
{
    int report = strcmp(cmd, "report") == 0;
    char *argv[] = { (char *)cmd, "--db", (char *)path, "--unit", (char *)unit, "--period", (char *)period,
                     "--engine-image", (char *)image, "-o", iout, "--format", (char *)arg,
                     report ? "--today" : NULL, "2024-06-30", NULL };
    int argc = report ? 15 : 13;
    assert_int_equal(report ? cmd_report(argc, argv) : cmd_eval(argc, argv), 0);
    FILE *f = fopen(iout, "rb");
    assert_non_null(f);
    buf b = BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    remove(iout);
    char *r = strdup(buf_str(&b));
    buf_free(&b);
    return r;
}

/* eval (text, JSON) and report of the city (every cell) and of ward w1 (3 of the 32 units: its
 * cells alone without the image) for three periods from image equal the full read's; returns
 * whether the image was used (for both), and the city's text eval of 2023 in *shown (caller frees). */
static int same_as_full(const char *path, const char *image, char **shown)
{
    static const char *const units[] = { "city", "w1" };
    static const char *const periods[] = { "2023", "2022", "2023Q1" };
    static const char *const kinds[][2] = { { "eval", "text" }, { "eval", "json" }, { "report", "md" } };
    int used = from_image(path, "city", image);
    assert_int_equal(from_image(path, "w1", image), used);
    for (size_t u = 0; u < sizeof units / sizeof *units; u++)
        for (size_t p = 0; p < sizeof periods / sizeof *periods; p++)
            for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
                char *full = run_cmd(kinds[k][0], path, units[u], periods[p], kinds[k][1], "none");
                char *got = run_cmd(kinds[k][0], path, units[u], periods[p], kinds[k][1], image);
                assert_string_equal(full, got);
                if (shown && u == 0 && p == 0 && k == 0)
                    *shown = strdup(got);
                free(full);
                free(got);
            }
    return used;
}

static int img_setup(void **state)
{
    (void)state;
    snprintf(idb, sizeof idb, "/tmp/chitieu-cli-img-%ld.db", (long)getpid());
    snprintf(idb2, sizeof idb2, "/tmp/chitieu-cli-img2-%ld.db", (long)getpid());
    snprintf(iimg, sizeof iimg, "%s.engine", idb);
    snprintf(iout, sizeof iout, "/tmp/chitieu-cli-img-%ld.out", (long)getpid());
    drop_db(idb);
    remove(iimg);
    make_img_db(idb);
    return 0;
}

static int img_teardown(void **state)
{
    (void)state;
    drop_db(idb), drop_db(idb2);
    remove(iimg);
    char side[96];
    snprintf(side, sizeof side, "%s.engine", idb2);
    remove(side);
    return 0;
}

/* The server's image stands for the database, then catches up the command line's saves: each
 * save shows (the eval before and after differ) and equals the full read.  The image file is
 * only read. */
static void test_image_used(void **state)
{
    (void)state;
    char *before = NULL, *after = NULL;
    assert_false(same_as_full(idb, iimg, NULL));       /* no image yet */
    serve_once(idb, iimg);
    long n = tf_size(iimg);
    assert_true(n > 256);
    assert_true(same_as_full(idb, iimg, &before));
    assert_false(from_image(idb, "city", "none"));
    import_one(idb, "values.csv", "indicator,unit,period,value,comment\nkn,w2,2023-03,7,\nkn,d2,2023,101,sửa\n");
    import_one(idb, "targets.csv", "indicator,unit,period,target\nkn,city,2023,150\n");
    store *s;
    model *m;
    cli_unit_load ld = { .image = iimg };
    assert_int_equal(cli_open_unit("eval", idb, "city", &ld, &s, &m), 0);
    assert_true(ld.from_image);
    assert_true(ld.image_gen < store_generation(s, &(err_t){ 0 }));   /* caught up, not rewritten */
    store_close(s);
    model_free(m);
    assert_true(same_as_full(idb, iimg, &after));
    assert_string_not_equal(before, after);
    assert_true(from_image(idb, "w1", NULL));          /* the default path: DB.engine */
    assert_true(tf_size(iimg) == n);
    free(before);
    free(after);
}

/* An image that cannot stand for the database is refused and everything read, with the same
 * output: damaged, another database's, the catalogue changed, a write the change log does not
 * cover; a missing file named by the option. */
static void test_image_refused(void **state)
{
    (void)state;
    serve_once(idb, iimg);
    assert_true(same_as_full(idb, iimg, NULL));
    tf_flip_byte(iimg, tf_size(iimg) / 2);
    assert_false(same_as_full(idb, iimg, NULL));
    remove(iimg);
    assert_false(same_as_full(idb, "/nonexistent/x.engine", NULL));
    serve_once(idb, iimg);
    /* another database with the same figures has its own id */
    drop_db(idb2);
    make_img_db(idb2);
    char img2[96];
    snprintf(img2, sizeof img2, "%s.engine", idb2);
    serve_once(idb2, img2);
    assert_true(same_as_full(idb2, img2, NULL));
    assert_false(same_as_full(idb, img2, NULL));
    assert_true(same_as_full(idb, iimg, NULL));
    /* a figure written without the write door logs no window: the log has a hole */
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(idb, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    assert_int_equal(store_begin(s, &e), 0);
    period_t y2023 = { P_YEAR, 0, 2023, 2023 };
    assert_int_equal(store_put_value(s, m, model_ind_find(m, "kn"), model_unit_find(m, "d2"), y2023, 55, NULL,
                                     &(cell_t){ 0 }, "x", "t", &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
    model_free(m);
    assert_false(same_as_full(idb, iimg, NULL));
    /* the catalogue changed since the image */
    serve_once(idb, iimg);
    assert_true(same_as_full(idb, iimg, NULL));
    import_one(idb, "units.csv", "code,name,parent,type\nw3,Phường Ba,d2,Đảng ủy phường\n");
    assert_false(same_as_full(idb, iimg, NULL));
}

/* run_cmd with the command's stderr in a file: *said gets what it wrote there (caller frees). */
static char *run_cmd_said(const char *cmd, const char *path, const char *unit, const char *period, const char *arg,
                          const char *image, char **said)
{
    char errpath[96];
    snprintf(errpath, sizeof errpath, "%s.err", iout);
    fflush(stderr);
    int saved = dup(STDERR_FILENO), fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    close(fd);
    char *out = run_cmd(cmd, path, unit, period, arg, image);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    long n = tf_size(errpath);
    assert_true(n >= 0);
    FILE *f = fopen(errpath, "rb");
    assert_non_null(f);
    *said = calloc((size_t)n + 1, 1);
    assert_non_null(*said);
    assert_int_equal(fread(*said, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    remove(errpath);
    return out;
}

/* An image that passes its header checks and is read into the model, then refused because the
 * change log no longer reaches back to it (pruned): the model must be read anew, not the image's
 * cells kept beside the unit's.  Ward w2 (3 of the 32 units: its cells held after the refusal)
 * had 20 "ghi chú" for 2022 in the image (a comment: a cell of the model's map); written 25
 * with none since, then the log's rows aged past STORE_FEED_KEEP_S and pruned by a later write. */
static void test_image_refused_after_read(void **state)
{
    (void)state;
    /* each output's w2 25 and d1 58 (the image had 20 and 50) */
    static const char *const kinds[][4] = { { "eval", "text", " 25 ", " 58\n" },
                                            { "eval", "json", "\"actual\": 25.0,", "\"parent_value\": 58.0," },
                                            { "report", "md", "| 25 |", "| 58 |" } };
    char sql[96];
    serve_once(idb, iimg);
    import_one(idb, "values.csv", "indicator,unit,period,value,comment\nkn,w2,2022,25,\n");
    assert_true(from_image(idb, "w2", iimg));                 /* the image reads, and catches up */
    snprintf(sql, sizeof sql, "UPDATE change_log SET at = at - %d", STORE_FEED_KEEP_S + 60);
    ts_exec(idb, sql);
    import_one(idb, "values.csv", "indicator,unit,period,value,comment\nkn,w1,2022,33,\n");   /* prunes */
    assert_false(from_image(idb, "w2", iimg));
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char *said = NULL, *said_none = NULL;
        char *full = run_cmd_said(kinds[k][0], idb, "w2", "2022", kinds[k][1], "none", &said_none);
        char *got = run_cmd_said(kinds[k][0], idb, "w2", "2022", kinds[k][1], iimg, &said);
        assert_null(strstr(said_none, "engine"));
        assert_non_null(strstr(said, "không dùng ảnh engine"));
        assert_non_null(strstr(said, iimg));
        assert_non_null(strstr(said, "the change log does not cover generation"));
        assert_string_equal(full, got);
        assert_null(strstr(got, "ghi chú"));                 /* the image's comment, gone since */
        assert_non_null(strstr(got, kinds[k][2]));
        assert_non_null(strstr(got, kinds[k][3]));
        free(said);
        free(said_none);
        free(full);
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet),
        cmocka_unit_test(test_write_between),
        cmocka_unit_test(test_gives_up),
        cmocka_unit_test_setup_teardown(test_image_used, img_setup, img_teardown),
        cmocka_unit_test_setup_teardown(test_image_refused, img_setup, img_teardown),
        cmocka_unit_test_setup_teardown(test_image_refused_after_read, img_setup, img_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
