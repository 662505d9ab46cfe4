/* test_cli.c - the command line's shared plumbing (cli.c): cli_load_year reads the catalogue and a
 * year's figures into an engine on several handles, so a write committed between its parts must
 * make it read again rather than mix the data before and after the write.  The hook between the
 * values and the targets commits such a write (a value and a target in one transaction) on the
 * first read only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli.h"
#include "engine.h"
#include "fixed.h"
#include "model.h"
#include "store.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quiet),
        cmocka_unit_test(test_write_between),
        cmocka_unit_test(test_gives_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
