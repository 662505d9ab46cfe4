/* conv_bench.c - the engine's roll-up on today's structure after a nation's reorganisation, timed
 * (built and run by bench/engine/run.sh for the scales SR, MR, LR: S, M or L's units and data).
 *
 * From `chitieu gen` output (units.csv, indicators.csv, values.csv, targets.csv in DATA_DIR) it
 * makes the reorganisation of 1/7/2025, deterministically: ~70% of the leaf units, taken in sibling
 * order, are merged two to four at a time into new units under the same parent (a third to 40% as
 * many), and every tenth new unit takes half of its first leaf, the other half going to the new
 * unit made before it (a split, across parents now and then);
 * the old leaves end on 30/6/2025.  A new unit reports in 2025-07..12 the indicators all its
 * predecessors report (values_new.csv).  It writes units_new.csv, succ.csv and values_new.csv
 * into OUT_DIR for DuckDB (duck_conv.mjs), then times, on an engine of 2024-2025: the plain
 * roll-up (engine_run) and the roll-up on today's structure of 2025 (straddling the change) and
 * 2024 (before it: every new unit's figures converted from its predecessors), i.e. building the
 * two years' tables (engine_figure_conv); best of 5, wall-clock with the engine's 2 threads and with
 * 1, and CPU time (with 1 thread each, and the tables' CPU time with 2).  It prints the checksums of today's units'
 * yearly and monthly figures of both years and met/exceeded against their yearly targets, as
 * duck_conv.mjs does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "eval.h"
#include "fixed.h"
#include "model.h"

#define P 1000003LL
#define DATE 20250701

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double now(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

typedef struct sums { long long cells, total, weighted, met, exceeded; } sums;

static long long num(const char *code) { return atoll(code + 1); }

static void add(sums *s, long long u, long long i, long long y, long long m, long long fixed)
{
    s->cells++;
    s->total += fixed;
    long long k = (u * 131 + i * 7 + y * 13 + m) % P;
    s->weighted = (s->weighted + ((fixed % P + P) % P) * k) % P;
}

/* Splits a CSV line of plain fields (gen writes no quotes) in place; returns the field count. */
static int fields(char *line, char **f, int max)
{
    int n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    f[n++] = line;
    for (char *c = line; *c && n < max; c++)
        if (*c == ',')
            *c = '\0', f[n++] = c + 1;
    return n;
}

static int read_catalogue(model *m, const char *dir)
{
    char path[4096], line[4096], *f[16];
    snprintf(path, sizeof path, "%s/units.csv", dir);
    FILE *in = fopen(path, "r");
    if (in == NULL || fgets(line, sizeof line, in) == NULL)
        return fprintf(stderr, "conv_bench: cannot read %s\n", path), -1;
    while (fgets(line, sizeof line, in))
        if (fields(line, f, 16) >= 4 && model_put_unit(m, f[0], f[1], f[2], f[3], 0, 0) < 0)
            return -1;
    fclose(in);
    snprintf(path, sizeof path, "%s/indicators.csv", dir);
    if ((in = fopen(path, "r")) == NULL || fgets(line, sizeof line, in) == NULL)
        return fprintf(stderr, "conv_bench: cannot read %s\n", path), -1;
    while (fgets(line, sizeof line, in)) {
        if (fields(line, f, 16) < 7)
            continue;
        ind_t d = { 0 };
        d.code = f[0], d.name = f[1], d.group = f[2], d.set = "", d.measure = "", d.parent_code = "", d.formula_src = "";
        d.dir = model_dir_parse(f[3]), d.uagg = model_agg_parse(f[4]), d.pagg = model_agg_parse(f[5]);
        d.decimals = atoi(f[6]);
        if (model_put_ind(m, &d) < 0)
            return -1;
    }
    fclose(in);
    err_t e;
    return model_finish(m, &e);
}

static uint64_t rng = 0x2025070120250701ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* The reorganisation (see the top); writes units_new.csv and succ.csv.  Returns the new units. */
static int reorganise(model *m, const char *out)
{
    char path[4096], code[32];
    snprintf(path, sizeof path, "%s/units_new.csv", out);
    FILE *fu = fopen(path, "w");
    snprintf(path, sizeof path, "%s/succ.csv", out);
    FILE *fs = fopen(path, "w");
    if (fu == NULL || fs == NULL)
        return -1;
    fputs("code,parent\n", fu);
    fputs("from,to,share\n", fs);
    int nu = (int)m->nunits, next = nu, made = 0, groups = 0;
    int *sel = malloc((size_t)nu * sizeof *sel), prev_new = -1;
    for (int p = 0; p < nu; p++) {
        int ns = 0;
        for (int ch = m->units[p].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            if (m->units[ch].nchildren == 0 && rnd(100) < 70)
                sel[ns++] = ch;
        for (int a = 0; a < ns; a += 3) {
            int b = a + 3 <= ns ? a + 3 : ns;
            if (ns - b == 1)
                b = ns;                          /* no group of one at the end */
            snprintf(code, sizeof code, "u%d", next++);
            int to = model_put_unit(m, code, code, m->units[p].code, "new", DATE, 0);
            fprintf(fu, "%s,%s\n", code, m->units[p].code);
            made++;
            /* every tenth group: its first leaf is split half and half with the group before
             * (under the same parent or the previous one) */
            int split = prev_new >= 0 && ++groups % 10 == 0;
            if (split) {
                model_put_succ(m, sel[a], prev_new, DATE, 0.5);
                model_put_succ(m, sel[a], to, DATE, 0.5);
            }
            for (int k = a + split; k < b; k++)
                model_put_succ(m, sel[k], to, DATE, 1);
            prev_new = to;
            if (b == ns)
                break;
        }
        for (int k = 0; k < ns; k++) {
            unit_t *u = &m->units[sel[k]];
            model_put_unit(m, u->code, u->name, m->units[p].code, u->type, 0, 20250630);
        }
    }
    for (size_t k = 0; k < m->nsuccs; k++)
        fprintf(fs, "%s,%s,%g\n", m->units[m->succs[k].from].code, m->units[m->succs[k].to].code, m->succs[k].share);
    free(sel);
    fclose(fu);
    fclose(fs);
    err_t e;
    if (model_finish(m, &e) != 0)
        return fprintf(stderr, "conv_bench: %s\n", e.msg), -1;
    return made;
}

static int load(model *m, const char *dir, const char *out, int with_new, engine **g, err_t *e)
{
    char path[4096];
    long n;
    engine_opts o = { .threads = 2 };
    if (engine_new(m, &o, 2024, 2025, g, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/values.csv", dir);
    if (engine_load_csv(*g, m, path, &n, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/values_new.csv", out);
    if (with_new && engine_load_csv(*g, m, path, &n, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/targets.csv", dir);
    if (engine_load_csv(*g, m, path, &n, e) != 0)
        return -1;
    return engine_run(*g, e);
}

/* values_new.csv: a new unit reports 2025-07..12 every indicator all its predecessors report. */
static long new_values(model *m, engine *g, int first_new, const char *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/values_new.csv", out);
    FILE *f = fopen(path, "w");
    long n = 0;
    if (f == NULL)
        return -1;
    fputs("indicator,unit,period,value\n", f);
    period_t y24 = { P_YEAR, 0, 2024, 2024 };
    for (int u = first_new; u < (int)m->nunits; u++) {
        int np;
        const int *in = model_preds(m, u, &np);
        for (int i = 0; i < (int)m->ninds; i++) {
            int all = np > 0;
            int64_t x;
            for (int k = 0; k < np && all; k++)
                all = engine_get_fx(g, i, m->succs[in[k]].from, y24, &x) == 1;
            for (int mo = 7; all && mo <= 12; mo++, n++)
                fprintf(f, "%s,%s,2025-%02d,%u\n", m->inds[i].code, m->units[u].code, mo, 100 + rnd(2000));
        }
    }
    fclose(f);
    return n;
}

static int64_t target_fx(const model *m, int ind, int64_t steps)
{
    int64_t step = 1;
    for (int d = m->inds[ind].decimals; d < 4; d++)
        step *= 10;
    return steps * step;
}

/* The plain roll-up of the data as generated (before the reorganisation, 2021-2025, the figure
 * bench/engine reports for the scale), timed in the same run: best of 5, 2 threads. */
static int plain_years(const char *dir, err_t *e)
{
    model *m = model_new();
    engine *g = NULL;
    engine_opts o = { .threads = 2 };
    char path[4096];
    long n;
    double best = 1e9;
    int rc = -1;
    if (m == NULL || read_catalogue(m, dir) != 0 || engine_new(m, &o, 2021, 2025, &g, e) != 0)
        goto done;
    snprintf(path, sizeof path, "%s/values.csv", dir);
    if (engine_load_csv(g, m, path, &n, e) != 0)
        goto done;
    snprintf(path, sizeof path, "%s/targets.csv", dir);
    if (engine_load_csv(g, m, path, &n, e) != 0)
        goto done;
    for (int r = 0; r < 6; r++) {
        double t0 = now();
        if (engine_run(g, e) != 0)
            goto done;
        if (r > 0 && now() - t0 < best)
            best = now() - t0;
    }
    printf("plain roll-up + evaluation of the data as generated, 2021-2025, 2 threads (best of 5): %.4f s\n", best);
    printf("PLAIN_SECONDS %.4f\n", best);
    rc = 0;
done:
    engine_free(g);
    model_free(m);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: conv_bench DATA_DIR OUT_DIR\n", stderr);
        return 2;
    }
    model *m = model_new();
    engine *g = NULL;
    err_t e;
    if (read_catalogue(m, argv[1]) != 0)
        return 1;
    int nold = (int)m->nunits, made = reorganise(m, argv[2]);
    if (made < 0)
        return 1;
    int nleaves = 0, merged = 0;
    for (int u = 0; u < nold; u++) {
        int n;
        model_succs(m, u, &n);
        nleaves += m->units[u].nchildren == 0;
        merged += n > 0;
    }
    printf("reorganisation of 1/7/2025: %d of %d leaf units (%.0f%%) into %d new units (%.0f%% as many), "
           "%zu successions\n", merged, nleaves, 100.0 * merged / nleaves, made, 100.0 * made / merged, m->nsuccs);
    if (plain_years(argv[1], &e) != 0)
        goto fail;
    if (load(m, argv[1], argv[2], 0, &g, &e) != 0)
        goto fail;
    long nv = new_values(m, g, nold, argv[2]);
    engine_free(g);
    g = NULL;
    printf("new units' values 2025-07..12: %ld\n", nv);
    if (load(m, argv[1], argv[2], 1, &g, &e) != 0)
        goto fail;
    double best_run = 1e9, best_conv = 1e9, cpu_run1 = 1e9, cpu_conv = 1e9, best_conv1 = 1e9, cpu_conv2 = 1e9;
    period_t y24 = { P_YEAR, 0, 2024, 2024 }, y25 = { P_YEAR, 0, 2025, 2025 };
    for (int threads = 2; threads >= 1; threads--)
        for (int r = 0; r < 6; r++) {
            engine_threads(g, threads);
            double t0 = now(), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            if (engine_run(g, &e) != 0)         /* also drops the tables of today's structure */
                goto fail;
            double t1 = now(), c1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            if (engine_held_conv(g, 0, 0, y25) < 0 || engine_held_conv(g, 0, 0, y24) < 0) {
                fputs("conv_bench: out of memory\n", stderr);
                return 1;
            }
            double t2 = now(), c2 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
            if (r > 0 && threads == 2 && t1 - t0 < best_run)
                best_run = t1 - t0;
            if (r > 0 && threads == 2 && t2 - t1 < best_conv)
                best_conv = t2 - t1;
            if (r > 0 && threads == 2 && c2 - c1 < cpu_conv2)
                cpu_conv2 = c2 - c1;
            if (r > 0 && threads == 1 && t2 - t1 < best_conv1)
                best_conv1 = t2 - t1;
            if (r > 0 && threads == 1 && c1 - c0 < cpu_run1)
                cpu_run1 = c1 - c0;
            if (r > 0 && threads == 1 && c2 - c1 < cpu_conv)
                cpu_conv = c2 - c1;
        }
    printf("engine 2024-2025, best of 5 (wall): plain roll-up + evaluation, 2 threads %.4f s; on today's structure, "
           "2025 (straddling) + 2024 (converted), 2 threads %.4f s (CPU %.4f s), 1 thread %.4f s\n", best_run,
           best_conv, cpu_conv2, best_conv1);
    printf("the same in CPU time (one thread each, best of 5): plain roll-up %.4f s, today's structure %.4f s (%.1fx)\n",
           cpu_run1, cpu_conv, cpu_conv / cpu_run1);
    sums s = { 0 };
    long units_today = 0;
    for (int u = 0; u < (int)m->nunits; u++) {
        if (engine_in_structure_conv(g, u, y25) != 1)
            continue;
        units_today++;
        for (int i = 0; i < (int)m->ninds; i++)
            for (int y = 2024; y <= 2025; y++)
                for (int mo = 0; mo <= 12; mo++) {
                    period_t p = mo ? (period_t){ P_MONTH, (uint8_t)mo, (uint16_t)y, (uint16_t)y }
                                    : (period_t){ P_YEAR, 0, (uint16_t)y, (uint16_t)y };
                    int64_t x, t;
                    if (engine_figure_conv(g, 0, i, u, p, &x, NULL, NULL, NULL) != 1)
                        continue;
                    add(&s, num(m->units[u].code), num(m->inds[i].code), y, mo, x);
                    if (mo == 0 && engine_target(g, i, u, y, &t) == 1) {
                        int st = eval_status_fx(m->inds[i].dir, m->inds[i].decimals, x, target_fx(m, i, t));
                        s.met += st == ST_MET;
                        s.exceeded += st == ST_EXCEEDED;
                    }
                }
    }
    printf("today's units: %ld; engine: %lld cells, sum %lld, weighted %lld, met %lld, exceeded %lld\n", units_today,
           s.cells, s.total, s.weighted, s.met, s.exceeded);
    printf("CONV_RUN_SECONDS %.4f\nCONV_SECONDS %.4f\nCONV1_SECONDS %.4f\nCONV_RUN1_CPU %.4f\nCONV_CPU %.4f\n"
           "CONV2_CPU %.4f\n", best_run, best_conv, best_conv1, cpu_run1, cpu_conv, cpu_conv2);
    printf("CONV_CHECK %lld %lld %lld %lld %lld\n", s.cells, s.total, s.weighted, s.met, s.exceeded);
    engine_free(g);
    model_free(m);
    return 0;
fail:
    fprintf(stderr, "conv_bench: %s\n", e.msg);
    return 1;
}
