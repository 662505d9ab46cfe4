/* engine_bench.c - times chitieu's engine against the same roll-up in SQL on SQLite, on a
 * database made by `chitieu gen` + `chitieu import` (built and run by bench/engine/run.sh).
 *
 * Measured: loading (SQLite into the model and the model into the engine, or for national scale
 * the CSV files straight into the engine), the full roll-up + evaluation (every unit x indicator
 * x month, quarter, half and year; met/exceeded counts per unit against the yearly targets) with
 * 1 and 2 threads, best of 3 warm runs; memory; one saved value followed by a read of the root's
 * yearly figure; and SQLite computing the yearly and monthly roll-ups with a closure table and
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
#include "fixed.h"
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

/* Every yearly and monthly figure, gathered by engine_visit (one unit's block at a time). */
typedef struct visit_ctx { const model *m; long long *ucode, *icode; int y0, nyears; sums *yr, *mo; } visit_ctx;

static int visit(void *arg, int unit, const int64_t *fx, int nslots)
{
    visit_ctx *c = arg;
    for (size_t i = 0; i < c->m->ninds; i++)
        for (int y = 0; y < c->nyears; y++) {
            const int64_t *b = fx + i * (size_t)nslots + (size_t)y * 19;
            if (b[18] != INT64_MIN)
                add(c->yr, c->ucode[unit], c->icode[i], c->y0 + y, 0, b[18]);
            for (int k = 0; k < 12; k++)
                if (b[k] != INT64_MIN)
                    add(c->mo, c->ucode[unit], c->icode[i], c->y0 + y, k + 1, b[k]);
        }
    return 0;
}

static int engine_sums(const model *m, engine *g, sums *yr, sums *mo, err_t *e)
{
    memset(yr, 0, sizeof *yr);
    memset(mo, 0, sizeof *mo);
    visit_ctx c = { m, calloc(m->nunits + 1, sizeof(long long)), calloc(m->ninds + 1, sizeof(long long)), 0, 0, yr, mo };
    int y1, rc = -1;
    engine_years(g, &c.y0, &y1);
    c.nyears = c.y0 ? y1 - c.y0 + 1 : 0;
    if (c.ucode && c.icode) {
        for (size_t u = 0; u < m->nunits; u++)
            c.ucode[u] = num(m->units[u].code);
        for (size_t i = 0; i < m->ninds; i++)
            c.icode[i] = num(m->inds[i].code);
        rc = engine_visit(g, visit, &c, e);
        for (size_t u = 0; rc == 0 && u < m->nunits; u++)
            for (int y = c.y0; y <= y1; y++) {
                int n, met, exc;
                engine_counts(g, (int)u, y, &n, &met, &exc);
                yr->met += met, yr->exceeded += exc;
            }
    }
    free(c.ucode), free(c.icode);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Resident memory now and at its peak, in MB (from /proc). */
static void rss(double *now_mb, double *peak_mb)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
    *now_mb = *peak_mb = 0;
    while (f && fgets(line, sizeof line, f)) {
        long kb;
        if (strncmp(line, "VmRSS:", 6) == 0 && (kb = atol(line + 6)) > 0)
            *now_mb = (double)kb / 1024;
        if (strncmp(line, "VmHWM:", 6) == 0 && (kb = atol(line + 6)) > 0)
            *peak_mb = (double)kb / 1024;
    }
    if (f)
        fclose(f);
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
        fputs("usage: engine_bench DB [--sql] | engine_bench DB --csv DIR (units and indicators from DB,"
              " values.csv and targets.csv from DIR straight into the engine) | engine_bench DB --db"
              " (values and targets from DB straight into the engine); DB: a SQLite file or a postgresql:// URL\n", stderr);
        return 2;
    }
    int do_sql = argc > 2 && strcmp(argv[2], "--sql") == 0, csv = argc > 3 && strcmp(argv[2], "--csv") == 0;
    int direct = argc > 2 && strcmp(argv[2], "--db") == 0;
    /* DB is a SQLite file or a postgresql:// URL (store_open picks the backend; --sql needs SQLite) */
    int store_is_pg = strncmp(argv[1], "postgres", 8) == 0;
    store_global_init();
    store *s;
    model *m = model_new();
    engine *g = NULL;
    err_t e;
    double t0 = now(), t_load, t_feed;
    if (store_open(argv[1], 0, &s, &e) != 0 || store_load_part(s, m, csv || direct ? 0 : STORE_ALL, &e) != 0)
        goto fail;
    t_load = now() - t0;
    t0 = now();
    if (direct) {
        /* the database path without the model's cells: 2021-2025, two handles at once */
        long nv = 0, nt = 0;
        engine_opts o = { .threads = 2 };
        if (engine_new(m, &o, 2021, 2025, &g, &e) != 0 || engine_load_store(g, m, argv[1], 0, 2, &nv, &e) != 0 ||
            engine_load_store(g, m, argv[1], 1, 2, &nt, &e) != 0)
            goto fail;
        t_feed = now() - t0;
        printf("data: %zu units, %zu indicators, %ld values, %ld targets\n", m->nunits, m->ninds, nv, nt);
        printf("load: units and indicators from %s %.3f s; values + targets from it into the engine %.3f s\n",
               store_is_pg ? "PostgreSQL" : "SQLite", t_load, t_feed);
    } else if (csv) {
        /* the bulk path: 2021-2025, values and targets read straight into the engine */
        char path[4096];
        long nv = 0, nt = 0;
        engine_opts o = { .threads = 2 };
        if (engine_new(m, &o, 2021, 2025, &g, &e) != 0)
            goto fail;
        snprintf(path, sizeof path, "%s/values.csv", argv[3]);
        if (engine_load_csv(g, m, path, &nv, &e) != 0)
            goto fail;
        snprintf(path, sizeof path, "%s/targets.csv", argv[3]);
        if (engine_load_csv(g, m, path, &nt, &e) != 0)
            goto fail;
        t_feed = now() - t0;
        printf("data: %zu units, %zu indicators, %ld values, %ld targets\n", m->nunits, m->ninds, nv, nt);
        printf("load: units and indicators from %s %.3f s; values.csv + targets.csv into the engine %.3f s\n",
               store_is_pg ? "PostgreSQL" : "SQLite", t_load, t_feed);
    } else {
        engine_opts o = { .threads = 2, .years_from = 2021, .years_to = 2025 };
        int y0 = 0, y1 = 0;
        if (engine_new(m, &o, 2021, 2025, &g, &e) != 0)
            goto fail;
        for (size_t i = 0; i < m->values.n; i++) {
            const cell_t *c = &m->values.cells[i];
            engine_put_value(g, c->ind, c->unit, c->per, fx_of(c->v));
        }
        for (size_t i = 0; i < m->targets.n; i++) {
            const cell_t *c = &m->targets.cells[i];
            engine_put_target(g, c->ind, c->unit, c->per, fx_of(c->v));
        }
        t_feed = now() - t0;
        (void)y0, (void)y1;
        printf("data: %zu units, %zu indicators, %zu values, %zu targets\n", m->nunits, m->ninds, m->values.n,
               m->targets.n);
        printf("load: SQLite into the model %.3f s; the model's values and targets into the engine %.3f s\n",
               t_load, t_feed);
    }
    double first = 0, best[3] = { 1e9, 1e9, 1e9 };
    uint64_t ck[3] = { 0 };
    for (int threads = 2; threads >= 1; threads--)
        for (int run = 0; run < 6; run++) {
            engine_threads(g, threads);
            t0 = now();
            if (engine_run(g, &e) != 0)
                goto fail;
            double t = now() - t0;
            if (threads == 2 && run == 0)
                first = t;                        /* cold: sorts the values, faults in its memory */
            else if (t < best[threads])
                best[threads] = t;
            ck[threads] = engine_checksum(g);
        }
    double mb, peak;
    rss(&mb, &peak);
    printf("engine roll-up + evaluation of every unit x indicator x month/quarter/half/year, met/exceeded per unit"
           " (best of 5 warm runs): 1 thread %.3f s, 2 threads %.3f s (first run %.3f s); checksums %s\n",
           best[1], best[2], first, ck[1] == ck[2] ? "identical" : "DIFFER");
    printf("memory: engine %.0f MB; process resident %.0f MB, peak %.0f MB\n", (double)engine_bytes(g) / 1e6, mb, peak);
    /* a saved value, then the root's yearly figure */
    int leaf = (int)m->nunits - 1, root = 0, n = 2000, ind = 0;
    while (ind < (int)m->ninds - 1 && engine_get(g, ind, leaf, (period_t){ P_MONTH, 3, 2023, 2023 }, &(double){ 0 },
                                                 NULL, NULL) != 1)
        ind++;                                   /* an indicator the leaf reports */
    period_t pm = { P_MONTH, 3, 2023, 2023 }, py = { P_YEAR, 0, 2023, 2023 };
    double v = 0, sink = 0, *lat = calloc((size_t)n, sizeof *lat);
    int64_t before;
    engine_get_fx(g, ind, leaf, pm, &before);
    for (int k = 0; k < n && lat; k++) {
        double t1 = now();
        if (engine_set_value(g, ind, leaf, pm, 1, (100 + k % 7) * 10000LL, &e) != 0)
            goto fail;
        engine_get(g, ind, root, py, &v, NULL, NULL);
        lat[k] = now() - t1;
        sink += v;
    }
    if (lat)
        qsort(lat, (size_t)n, sizeof *lat, cmp_double);
    double t_upd = 0;
    t0 = now();
    for (int k = 0; k < n; k++) {
        engine_set_value(g, ind, leaf, pm, 1, (100 + k % 7) * 10000LL, &e);
        engine_get(g, ind, root, py, &v, NULL, NULL);
    }
    t_upd = (now() - t0) / n;
    engine_set_value(g, ind, leaf, pm, 1, before, &e);   /* back as loaded, for the checksums */
    printf("one saved value -> root's yearly figure updated and read: %.1f µs mean, %.1f µs at the 99th percentile,"
           " %.1f µs worst (%d times)\n", t_upd * 1e6, lat ? lat[n * 99 / 100] * 1e6 : 0, lat ? lat[n - 1] * 1e6 : 0, n);
    free(lat);
    sums yr, mo;
    if (engine_sums(m, g, &yr, &mo, &e) != 0)                    /* checksums: not timed */
        goto fail;
    show("engine", &yr, &mo);
    printf("ENGINE_SECONDS %.4f\nENGINE1_SECONDS %.4f\nLOAD_SECONDS %.4f\nUPDATE_US %.1f\nRSS_MB %.0f\n", best[2],
           best[1], t_load + t_feed, t_upd * 1e6, peak);
    printf("ENGINE_CHECK %lld %lld %lld %lld %lld %lld %lld %lld\n", yr.cells, yr.total, yr.weighted, yr.met,
           yr.exceeded, mo.cells, mo.total, mo.weighted);
    (void)sink;
    if (do_sql && !store_is_pg) {
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
    engine_free(g);
    model_free(m);
    store_close(s);
    return 0;
fail:
    fprintf(stderr, "engine_bench: %s\n", e.msg);
    return 1;
}
