/* engine_bench.c - times chitieu's engine against the same roll-up in SQL on SQLite, on a
 * database made by `chitieu gen` + `chitieu import` (built and run by bench/engine/run.sh).
 *
 * Measured: loading the model, the full roll-up + evaluation (every unit x indicator x month,
 * quarter, half and year; met/exceeded counts per unit against the yearly targets) with 1 and
 * 2 threads, best of 3 warm runs; one saved value followed by a read of the root's yearly
 * figure; and SQLite computing the yearly and monthly roll-ups with a closure table and
 * GROUP BY.  Both print the same checksums (cells with data, exact sum in 10^-4 units, a
 * position-weighted sum mod 1000003, met and exceeded counts) so the results can be compared.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "eval.h"
#include "model.h"
#include "store.h"

#define P 1000003LL

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct sums { long long cells, total, weighted, met, exceeded; } sums;

static long long num(const char *code) { return atoll(code + 1); }   /* "u123" -> 123 */

static void add(sums *s, long long u, long long i, long long y, long long m, long long fixed)
{
    s->cells++;
    s->total += fixed;
    long long k = (u * 131 + i * 7 + y * 13 + m) % P;
    s->weighted = (s->weighted + ((fixed % P + P) % P) * k) % P;
}

/* Every yearly and monthly figure of the engine, and met/exceeded against yearly targets. */
static void engine_sums(const model *m, const engine *g, sums *yr, sums *mo)
{
    memset(yr, 0, sizeof *yr);
    memset(mo, 0, sizeof *mo);
    int y0, y1;
    engine_years(g, &y0, &y1);
    for (size_t u = 0; u < m->nunits; u++)
        for (size_t i = 0; i < m->ninds; i++)
            for (int y = y0; y <= y1; y++) {
                double v;
                period_t py = { P_YEAR, 0, (uint16_t)y, (uint16_t)y };
                if (engine_get(g, (int)i, (int)u, py, &v, NULL, NULL) == 1)
                    add(yr, num(m->units[u].code), num(m->inds[i].code), y, 0, llround(v * 1e4));
                for (int k = 1; k <= 12; k++) {
                    period_t pm = { P_MONTH, (uint8_t)k, (uint16_t)y, (uint16_t)y };
                    if (engine_get(g, (int)i, (int)u, pm, &v, NULL, NULL) == 1)
                        add(mo, num(m->units[u].code), num(m->inds[i].code), y, k, llround(v * 1e4));
                }
            }
}

/* The evaluation: every yearly target against its figure; met and exceeded per unit. */
static void evaluate(const model *m, const engine *g, int *met, int *exc, long long *tmet, long long *texc)
{
    memset(met, 0, m->nunits * sizeof *met);
    memset(exc, 0, m->nunits * sizeof *exc);
    for (size_t k = 0; k < m->targets.n; k++) {
        const cell_t *t = &m->targets.cells[k];
        double v;
        if (t->per.kind != P_YEAR || engine_get(g, t->ind, t->unit, t->per, &v, NULL, NULL) != 1)
            continue;
        int st = eval_status(m->inds[t->ind].dir, m->inds[t->ind].decimals, v, t->v);
        met[t->unit] += st == ST_MET;
        exc[t->unit] += st == ST_EXCEEDED;
    }
    *tmet = *texc = 0;
    for (size_t u = 0; u < m->nunits; u++)
        *tmet += met[u], *texc += exc[u];
}

static int sql_sums(sqlite3 *db, sums *yr, sums *mo, double *secs)
{
    double t0 = now();
    const char *setup =
        "DROP TABLE IF EXISTS temp.closure;"
        "CREATE TEMP TABLE closure AS WITH RECURSIVE c(anc, des) AS ("
        " SELECT id, id FROM unit UNION ALL"
        " SELECT c.anc, k.id FROM c JOIN unit p ON p.id = c.des JOIN unit k ON k.parent = p.code)"
        " SELECT anc, des FROM c;"
        "CREATE INDEX temp.closure_des ON closure(des);";
    if (sqlite3_exec(db, setup, NULL, NULL, NULL) != SQLITE_OK)
        return fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db)), -1;
    static const char *const q[2] = {
        /* yearly figures of every unit: sums of its leaves' months, exact in 10^-4 */
        "SELECT u.code, i.code, CAST(substr(v.period,1,4) AS INTEGER) AS y, 0,"
        " SUM(CAST(round(v.value*10000) AS INTEGER)) AS s, i.direction, i.decimals,"
        " (SELECT t.target FROM target t WHERE t.indicator=v.indicator AND t.unit=c.anc"
        "  AND t.period=substr(v.period,1,4))"
        " FROM value v JOIN closure c ON c.des=v.unit JOIN unit u ON u.id=c.anc"
        " JOIN indicator i ON i.id=v.indicator GROUP BY c.anc, v.indicator, y",
        "SELECT u.code, i.code, CAST(substr(v.period,1,4) AS INTEGER),"
        " CAST(substr(v.period,6,2) AS INTEGER), SUM(CAST(round(v.value*10000) AS INTEGER))"
        " FROM value v JOIN closure c ON c.des=v.unit JOIN unit u ON u.id=c.anc"
        " JOIN indicator i ON i.id=v.indicator GROUP BY c.anc, v.indicator, v.period",
    };
    memset(yr, 0, sizeof *yr);
    memset(mo, 0, sizeof *mo);
    for (int k = 0; k < 2; k++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, q[k], -1, &st, NULL) != SQLITE_OK)
            return fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db)), -1;
        while (sqlite3_step(st) == SQLITE_ROW) {
            sums *s = k ? mo : yr;
            long long fixed = sqlite3_column_int64(st, 4);
            add(s, num((const char *)sqlite3_column_text(st, 0)), num((const char *)sqlite3_column_text(st, 1)),
                sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), fixed);
            if (k == 0 && sqlite3_column_type(st, 7) != SQLITE_NULL) {
                int dir = model_dir_parse((const char *)sqlite3_column_text(st, 5));
                int stt = eval_status(dir, sqlite3_column_int(st, 6), (double)fixed / 1e4, sqlite3_column_double(st, 7));
                s->met += stt == ST_MET;
                s->exceeded += stt == ST_EXCEEDED;
            }
        }
        sqlite3_finalize(st);
    }
    *secs = now() - t0;
    return 0;
}

static void show(const char *who, const sums *yr, const sums *mo)
{
    printf("  %-8s years: %lld cells, sum %lld, weighted %lld, met %lld, exceeded %lld | months: %lld cells, "
           "sum %lld, weighted %lld\n", who, yr->cells, yr->total, yr->weighted, yr->met, yr->exceeded,
           mo->cells, mo->total, mo->weighted);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: engine_bench DB [--sql]\n", stderr);
        return 2;
    }
    int do_sql = argc > 2 && strcmp(argv[2], "--sql") == 0;
    store_global_init();
    store *s;
    model *m = model_new();
    err_t e;
    double t0 = now();
    if (store_open(argv[1], 0, &s, &e) != 0 || store_load(s, m, &e) != 0) {
        fprintf(stderr, "engine_bench: %s\n", e.msg);
        return 1;
    }
    double t_load = now() - t0;
    size_t nvals = m->values.n;
    printf("data: %zu units, %zu indicators, %zu values, %zu targets\n", m->nunits, m->ninds, nvals, m->targets.n);
    printf("load from SQLite into the model: %.3f s\n", t_load);
    double best[3] = { 1e9, 1e9, 1e9 };
    uint64_t ck[3] = { 0 };
    engine *g = NULL;
    sums yr, mo;
    for (int threads = 1; threads <= 2; threads++)
        for (int run = 0; run < 3; run++) {
            t0 = now();                        /* warm: the engine's memory is reused */
            if (engine_build(m, threads, &g, &e) != 0) {
                fprintf(stderr, "engine_bench: %s\n", e.msg);
                return 1;
            }
            double t = now() - t0;
            if (t < best[threads])
                best[threads] = t;
            ck[threads] = engine_checksum(g);
        }
    int *met = calloc(m->nunits + 1, sizeof *met), *exc = calloc(m->nunits + 1, sizeof *exc);
    long long tmet, texc;
    double t_eval = 1e9;
    for (int run = 0; run < 3; run++) {
        t0 = now();
        evaluate(m, g, met, exc, &tmet, &texc);
        if (now() - t0 < t_eval)
            t_eval = now() - t0;
    }
    engine_sums(m, g, &yr, &mo);                   /* checksums: not timed */
    yr.met = tmet, yr.exceeded = texc;
    printf("engine roll-up of every unit x indicator x month/quarter/half/year (best of 3):"
           " 1 thread %.3f s, 2 threads %.3f s; checksums %s; %.0f MB\n", best[1], best[2],
           ck[1] == ck[2] ? "identical" : "DIFFER", (double)engine_bytes(g) / 1e6);
    printf("evaluation of every yearly target (met/exceeded per unit, best of 3): %.4f s\n", t_eval);
    printf("engine total (roll-up, 2 threads + evaluation): %.3f s\n", best[2] + t_eval);
    /* a saved value, then the root's yearly figure */
    int leaf = (int)m->nunits - 1, root = 0, n = 2000;
    period_t pm = { P_MONTH, 3, 2023, 2023 }, py = { P_YEAR, 0, 2023, 2023 };
    double v = 0, sink = 0;
    t0 = now();
    for (int k = 0; k < n; k++) {
        model_put_value(m, 0, leaf, pm, 100 + k % 7, NULL);
        engine_update(g, m, 0, leaf, pm, &e);
        engine_get(g, 0, root, py, &v, NULL, NULL);
        sink += v;
    }
    double t_upd = (now() - t0) / n;
    printf("one saved value -> root's yearly figure updated and read: %.1f µs (mean of %d)\n", t_upd * 1e6, n);
    show("engine", &yr, &mo);
    printf("ENGINE_SECONDS %.4f\nLOAD_SECONDS %.4f\nUPDATE_US %.1f\n", best[2] + t_eval, t_load, t_upd * 1e6);
    printf("ENGINE_CHECK %lld %lld %lld %lld %lld %lld %lld %lld\n", yr.cells, yr.total, yr.weighted, yr.met,
           yr.exceeded, mo.cells, mo.total, mo.weighted);
    (void)sink;
    if (do_sql) {
        /* SQLite from the stored data, which the update loop above did not touch */
        sqlite3 *db;
        sums sy, sm;
        double ts;
        if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
            return 1;
        sqlite3_exec(db, "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-1000000;", NULL, NULL, NULL);
        if (sql_sums(db, &sy, &sm, &ts) != 0)
            return 1;
        printf("SQLite closure table + GROUP BY (years and months, with targets): %.3f s\n", ts);
        show("sqlite", &sy, &sm);
        printf("SQLITE_SECONDS %.4f\nSQLITE_CHECK %lld %lld %lld %lld %lld %lld %lld %lld\n", ts, sy.cells, sy.total,
               sy.weighted, sy.met, sy.exceeded, sm.cells, sm.total, sm.weighted);
        sqlite3_close(db);
    }
    free(met);
    free(exc);
    engine_free(g);
    model_free(m);
    store_close(s);
    return 0;
}
