/* test_model_hold.c - a model whose cells its engine holds (model.h's model_hold, engine_hold_store)
 * against the same database loaded the usual way, on random data: every value and target looked
 * up (exactly the same double, the same comment), every cell listed, every evaluation row, and
 * again after random saves, deletions and target changes applied to both.  The data has what the
 * engine cannot hold (comments, more than 4 decimals, targets finer than their indicator's
 * decimals, ranges, years far outside, -0), so the model's side map is exercised too.  Last, the
 * engine image of the changed model read back into a fresh one gives the same again.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"
#include "engine_image.h"
#include "eval.h"
#include "model.h"
#include "store.h"

enum { NUNIT = 40, NIND = 6, NCELL = 3000 };

static uint64_t seed = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return (unsigned)(seed % n);
}

static period_t random_period(void)
{
    uint16_t y = (uint16_t)(2019 + rnd(5));
    switch (rnd(12)) {
    case 0: return (period_t){ P_RANGE, 0, 2020, 2022 };
    case 1: return (period_t){ P_YEAR, 0, 1990, 1990 };            /* far outside: never held */
    case 2: return (period_t){ P_QUARTER, (uint8_t)(1 + rnd(4)), y, y };
    case 3: return (period_t){ P_HALF, (uint8_t)(1 + rnd(2)), y, y };
    case 4: case 5: case 6: return (period_t){ P_MONTH, (uint8_t)(1 + rnd(12)), y, y };
    default: return (period_t){ P_YEAR, 0, y, y };
    }
}

static double random_value(void)
{
    switch (rnd(10)) {
    case 0: return (double)rnd(1000000) / 1e6;                    /* 6 decimals: not exact in 10^-4 */
    case 1: return -0.0;
    case 2: return 123456789.0 + (double)rnd(10000) / 1e4;
    default: return (double)rnd(100000) / (rnd(2) ? 1.0 : 100.0);
    }
}

/* Writes a random catalogue and cells into a fresh database at path. */
static void make_db(const char *path)
{
    store *s;
    err_t e;
    model *m = model_new();
    char code[16], parent[16];
    remove(path);
    for (int u = 0; u < NUNIT; u++) {
        snprintf(code, sizeof code, "u%d", u);
        snprintf(parent, sizeof parent, "u%u", u ? rnd((unsigned)u) : 0);
        assert_true(model_put_unit(m, code, code, u ? parent : "", "", 0, 0) >= 0);
    }
    for (int i = 0; i < NIND; i++) {
        char c[16], f[16] = "";
        snprintf(c, sizeof c, "i%d", i);
        if (i == NIND - 1)
            snprintf(f, sizeof f, "i0 + i1");
        ind_t d = { .code = c, .name = c, .group = "g", .set = "", .measure = "", .parent_code = "",
                    .formula_src = f, .dir = (int)rnd(2), .uagg = (int)rnd(4), .pagg = (int)rnd(4),
                    .decimals = (int)rnd(5) };
        assert_true(model_put_ind(m, &d) >= 0);
    }
    assert_int_equal(model_put_term(m, (period_t){ P_RANGE, 0, 2020, 2022 }, "t"), 0);
    assert_int_equal(model_finish(m, &e), 0);
    assert_int_equal(store_open(path, 1, &s, &e), 0);
    assert_int_equal(store_begin(s, &e), 0);
    for (int u = 0; u < NUNIT; u++)
        assert_int_equal(store_put_unit(s, m, u, &e), 0);
    for (int i = 0; i < NIND; i++)
        assert_int_equal(store_put_ind(s, m, i, i, &e), 0);
    assert_int_equal(store_put_term(s, &m->terms[0], &e), 0);
    for (int k = 0; k < NCELL; k++) {
        int u = (int)rnd(NUNIT), i = (int)rnd(NIND - 1);
        period_t p = random_period();
        const char *comment = rnd(15) == 0 ? "ghi chú" : NULL;
        assert_int_equal(store_put_value(s, m, i, u, p, random_value(), comment, &(cell_t){ 0 }, "t", "t", &e), 0);
        if (rnd(4) == 0) {
            period_t tp = rnd(6) ? (period_t){ P_YEAR, 0, p.y, p.y } : p;
            double t = rnd(5) == 0 ? 10.123456 : (double)rnd(1000) / 10.0;
            assert_int_equal(store_put_target(s, m, i, u, tp, t, NULL, "t", "t", &e), 0);
        }
    }
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
    model_free(m);
}

static model *load(const char *path, int held)
{
    store *s;
    err_t e;
    model *m = model_new();
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    if (held) {
        assert_int_equal(store_load_part(s, m, 0, &e), 0);
        assert_int_equal(engine_hold_store(m, path, 2, &e), 0);
        assert_true(m->held);
    } else {
        assert_int_equal(store_load(s, m, &e), 0);
        assert_int_equal(engine_build(m, 1, &m->engine, &e), 0);
    }
    store_close(s);
    return m;
}

static const period_t *all_periods(int *n)
{
    static period_t ps[200];
    int k = 0;
    for (uint16_t y = 2018; y <= 2024; y++) {
        ps[k++] = (period_t){ P_YEAR, 0, y, y };
        for (uint8_t q = 1; q <= 4; q++)
            ps[k++] = (period_t){ P_QUARTER, q, y, y };
        for (uint8_t h = 1; h <= 2; h++)
            ps[k++] = (period_t){ P_HALF, h, y, y };
        for (uint8_t mo = 1; mo <= 12; mo++)
            ps[k++] = (period_t){ P_MONTH, mo, y, y };
    }
    ps[k++] = (period_t){ P_RANGE, 0, 2020, 2022 };
    ps[k++] = (period_t){ P_YEAR, 0, 1990, 1990 };
    *n = k;
    return ps;
}

static void same_cell(const cell_t *a, const cell_t *b)
{
    assert_true((a == NULL) == (b == NULL));
    if (a == NULL)
        return;
    assert_memory_equal(&a->v, &b->v, sizeof a->v);     /* the same double, -0 included */
    assert_string_equal(a->comment ? a->comment : "", b->comment ? b->comment : "");
}

typedef struct listing {
    char *text;
    size_t len, cap;
    int y_from, y_to;              /* only cells of these years (0, 0: all) */
} listing;

static int list_cell(void *ctx, const cell_t *c)
{
    listing *l = ctx;
    char line[160], per[PERIOD_CODE_MAX];
    if (l->y_from && ((c->per.kind == P_RANGE ? c->per.y2 : c->per.y) < l->y_from || c->per.y > l->y_to))
        return 0;
    period_code(c->per, per, sizeof per);
    int n = snprintf(line, sizeof line, "%d %d %s %.17g %s\n", c->ind, c->unit, per, c->v, c->comment ? c->comment : "");
    if (l->len + (size_t)n + 1 > l->cap) {
        l->cap = (l->len + (size_t)n + 1) * 2;
        l->text = realloc(l->text, l->cap);
        assert_non_null(l->text);
    }
    memcpy(l->text + l->len, line, (size_t)n + 1);
    l->len += (size_t)n;
    return 0;
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every cell of m (targets: target) of years y_from..y_to (0, 0: all), one line each, sorted. */
static char *listed(const model *m, int targets, int y_from, int y_to)
{
    listing l = { .y_from = y_from, .y_to = y_to };
    model_each_cell(m, targets, y_from, y_to, list_cell, &l);
    if (l.text == NULL)
        return calloc(1, 1);
    size_t n = 0;
    for (size_t i = 0; i < l.len; i++)
        n += l.text[i] == '\n';
    char **lines = malloc((n + 1) * sizeof *lines);
    char *save = NULL, *tok = strtok_r(l.text, "\n", &save);
    size_t k = 0;
    for (; tok; tok = strtok_r(NULL, "\n", &save))
        lines[k++] = tok;
    qsort(lines, k, sizeof *lines, by_line);
    char *out = malloc(l.len + 2);
    size_t at = 0;
    for (size_t i = 0; i < k; i++)
        at += (size_t)sprintf(out + at, "%s\n", lines[i]);
    out[at] = '\0';
    free(lines);
    free(l.text);
    return out;
}

static void same_rows(const eval_result *a, const eval_result *b)
{
    assert_int_equal(a->nrows, b->nrows);
    for (int r = 0; r < a->nrows; r++) {
        const eval_row *x = &a->rows[r], *y = &b->rows[r];
        assert_int_equal(x->ind, y->ind);
        assert_int_equal(x->has_actual, y->has_actual);
        assert_true(x->actual == y->actual);
        assert_int_equal(x->has_target, y->has_target);
        assert_true(x->target == y->target);
        assert_int_equal(x->status, y->status);
        assert_int_equal(x->rank, y->rank);
        assert_int_equal(x->has_annual, y->has_annual);
        assert_true(x->annual_target == y->annual_target);
        assert_string_equal(x->comment ? x->comment : "", y->comment ? y->comment : "");
    }
    assert_memory_equal(&a->all, &b->all, sizeof a->all);
}

static void compare(const model *a, const model *b)
{
    int np;
    const period_t *ps = all_periods(&np);
    for (int i = 0; i < NIND; i++)
        for (int u = 0; u < NUNIT; u++)
            for (int k = 0; k < np; k++) {
                cell_t ta, tb;
                same_cell(model_value(a, i, u, ps[k], &ta), model_value(b, i, u, ps[k], &tb));
                same_cell(model_target(a, i, u, ps[k], &ta), model_target(b, i, u, ps[k], &tb));
            }
    for (int t = 0; t < 4; t++) {            /* values, targets; all years, then 2022 */
        int y = t >= 2 ? 2022 : 0;
        char *la = listed(a, t % 2, y, y), *lb = listed(b, t % 2, y, y);
        assert_string_equal(la, lb);
        assert_true(y == 0 || strstr(la, " 2022") != NULL);
        free(la);
        free(lb);
    }
    for (int u = 0; u < NUNIT; u += 7)
        for (int k = 0; k < np; k += 5) {
            eval_result ra, rb;
            err_t e;
            assert_int_equal(eval_unit(a, u, ps[k], &ra, &e), 0);
            assert_int_equal(eval_unit(b, u, ps[k], &rb, &e), 0);
            same_rows(&ra, &rb);
            eval_result_free(&ra);
            eval_result_free(&rb);
        }
    assert_int_equal(model_latest_year(a), model_latest_year(b));
}

static void held_equals_model(void)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-hold-%ld.db", (long)getpid());
    make_db(path);
    model *a = load(path, 0), *b = load(path, 1);
    /* the side map keeps only what the engine cannot hold: far fewer cells */
    assert_true(b->values.n > 0 && b->values.n * 3 < a->values.n);
    assert_true(b->targets.n > 0 && b->targets.n < a->targets.n);
    compare(a, b);
    /* saves, deletions and target changes, applied to both */
    err_t e;
    for (int k = 0; k < 400; k++) {
        int u = (int)rnd(NUNIT), i = (int)rnd(NIND - 1);
        period_t p = random_period();
        double v = random_value();
        const char *comment = rnd(6) == 0 ? "sửa" : NULL;
        switch (rnd(4)) {
        case 0:
            assert_int_equal(model_unset_value(a, i, u, p, &e), model_unset_value(b, i, u, p, &e));
            break;
        case 1:
            assert_int_equal(model_set_target(a, i, u, p, v, &e), 0);
            assert_int_equal(model_set_target(b, i, u, p, v, &e), 0);
            break;
        default:
            assert_int_equal(model_set_value(a, i, u, p, v, comment, &e), 0);
            assert_int_equal(model_set_value(b, i, u, p, v, comment, &e), 0);
        }
    }
    compare(a, b);
    /* the engine image of b after those changes (runs moved, holes in the pool) read into a model
     * of the same catalogue gives the same cells, figures and evaluations */
    char img[80];
    snprintf(img, sizeof img, "%s.engine", path);
    engine_image_id id = { .gen = 1 };
    engine_image_catalogue(b, id.catalogue);
    assert_int_equal(engine_image_write(b, &id, img, NULL, &e), 0);
    model *c = model_new();
    store *s;
    FILE *f;
    engine_image_id got;
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, c, 0, &e), 0);
    store_close(s);
    assert_int_equal(engine_image_open(img, &got, &f, &e), 0);
    assert_memory_equal(got.catalogue, id.catalogue, sizeof id.catalogue);
    assert_int_equal(engine_image_read(f, c, 2, &e), 0);
    fclose(f);
    assert_true(c->held);
    assert_true(engine_checksum(b->engine) == engine_checksum(c->engine));
    assert_memory_equal(b->year_values, c->year_values, sizeof b->year_values);
    compare(a, c);
    model_free(c);
    remove(img);
    model_free(a);
    model_free(b);
    remove(path);
}

static void test_held_equals_model(void **state)
{
    (void)state;
    for (int round = 0; round < 4; round++)       /* four random databases */
        held_equals_model();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_held_equals_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
