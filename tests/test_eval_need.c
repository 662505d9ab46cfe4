/* test_eval_need.c - the one-unit path of eval/report/export (eval_units_needed + store_load_units,
 * as cli_open_unit runs it) gives byte for byte what the whole database gives (store_load + engine,
 * as cli_open runs it), for every unit of the demo and several periods: a parent, a leaf, a new
 * ward formed by a merger, units with ranks and the root among them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "engine.h"
#include "eval.h"
#include "report.h"
#include "store.h"

static char db[64];

/* The evaluation table (as `chitieu eval --format json` gives its rows) and the report in
 * Markdown and JSON of (unit, p), into out; counts the ranked rows in *ranked. */
static void render(const model *m, int u, period_t p, buf *out, int *ranked)
{
    eval_result r;
    err_t e;
    assert_int_equal(eval_unit_on(m, u, p, EVAL_AUTO, &r, &e), 0);
    for (int i = 0; i < r.nrows; i++)
        *ranked += r.rows[i].rank > 0;
    json_t *rows = report_rows_json(m, &r);
    char *j = json_dumps(rows, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    buf_printf(out, "tally %d %d %d %d %d\n%s\n", r.all.total, r.all.met, r.all.exceeded, r.all.notmet,
               r.all.nodata, j ? j : "");
    free(j);
    json_decref(rows);
    eval_result_free(&r);
    json_t *doc = NULL;
    assert_int_equal(report_build_on(m, u, p, EVAL_AUTO, &doc, &e), 0);
    assert_int_equal(report_render(doc, "md", out, &e), 0);
    j = json_dumps(doc, JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    buf_adds(out, j ? j : "");
    free(j);
    json_decref(doc);
}

/* model_each_cell's step: nonzero (stop) for a cell of a unit not flagged in ctx. */
static int outside_set(void *ctx, const cell_t *c)
{
    const unsigned char *want = ctx;
    return !want[c->unit];
}

/* The model `chitieu eval --unit code` evaluates on (cli_open_unit: the catalogue, the cells
 * unit u reads, the engine over them); the number of units whose cells were read to *nread. */
static model *load_for(const char *code, size_t *nread)
{
    store *s;
    model *m;
    assert_int_equal(cli_open_unit("eval", db, code, NULL, &s, &m), 0);
    store_close(s);
    int u = model_unit_find(m, code);
    assert_true(u >= 0);
    assert_non_null(m->engine);
    assert_int_equal(m->unloaded, 0);
    unsigned char *want = calloc(m->nunits, 1);
    assert_non_null(want);
    *nread = eval_units_needed(m, u, want);
    assert_true(want[u]);
    /* up to a quarter of the units, no cell of a unit outside the set was read, and the engine
     * holds them alone (model.h's model_hold; beyond, the whole database is read in one pass
     * into the model) */
    int small = *nread <= m->nunits / 4;
    assert_int_equal(m->held, small);
    for (int t = 0; small && t < 2; t++)
        assert_int_equal(model_each_cell(m, t, 0, 0, outside_set, want), 0);
    free(want);
    return m;
}

static void test_one_unit_as_whole(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-need-%d.db", (int)getpid());
    unlink(db);
    char *dem[] = { "demo", "--db", db, NULL };
    fflush(stdout);
    assert_int_equal(cmd_demo(3, dem), 0);
    store *s;
    err_t e;
    model *whole = model_new();
    assert_non_null(whole);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, whole, &e), 0);
    assert_int_equal(engine_build(whole, 2, &whole->engine, &e), 0);
    store_close(s);
    static const char *const pers[] = { "2022", "2023Q2", "2023-05", "2021M9", "2025", "2026-03",
                                        "2020-2025", "2025-2030" };
    int ranked = 0, compared = 0, merged = -1, leaf_small = 0, root_seen = 0, parent_seen = 0;
    for (size_t u = 0; u < whole->nunits; u++) {
        const unit_t *x = &whole->units[u];
        size_t nread;
        model *part = load_for(x->code, &nread);
        assert_int_equal(part->nunits, whole->nunits);
        if (x->nchildren == 0 && x->parent >= 0)
            leaf_small += nread <= whole->nunits / 4;     /* the point: a leaf reads little */
        root_seen += x->parent < 0;
        parent_seen += x->nchildren > 0 && x->parent >= 0;
        if (strcmp(x->code, "phuong-ba-dinh") == 0)
            merged = (int)u;
        for (size_t k = 0; k < sizeof pers / sizeof *pers; k++) {
            period_t p;
            assert_int_equal(period_parse(pers[k], strlen(pers[k]), &p), 0);
            buf a = BUF_INIT, b = BUF_INIT;
            int r1 = 0, r2 = 0;
            render(whole, (int)u, p, &a, &r1);
            render(part, (int)u, p, &b, &r2);
            if (strcmp(buf_str(&a), buf_str(&b)) != 0)
                fail_msg("unit %s, period %s: the one-unit load differs from the whole", x->code, pers[k]);
            ranked += r1;
            compared++;
            buf_free(&a);
            buf_free(&b);
        }
        model_free(part);
    }
    model_free(whole);
    unlink(db);
    assert_true(merged >= 0);                 /* the demo's merged ward was among them */
    assert_true(root_seen >= 1 && parent_seen >= 3 && leaf_small >= 10);
    assert_true(ranked > 100);                /* ranks (peers' figures) were compared */
    assert_true(compared >= 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_one_unit_as_whole) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
