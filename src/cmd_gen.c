/* cmd_gen.c - `chitieu gen --scale XS|S|M|L --out DIR [--seed N]`: deterministic synthetic data
 * in the import formats (units.csv, indicators.csv, targets.csv, values.csv), shaped like the
 * real hierarchy, for benchmarks and load tests.
 *
 * Shape per scale (levels below the root, children per unit, indicators, share of indicators a
 * leaf reports): XS 1→3→3→4 leaves (tests), S a city 1→8→~100→~480 leaves, M a province
 * ~5 000 units, L the country before 2025 1→63→~700→~10 000→~52 000 leaves.  Leaves report
 * every month of 2021–2025 for the indicators they report (so every roll-up is complete);
 * half of the (unit, indicator, year) cells get a target near the expected figure.  Indicators
 * are summed over units and months (the figures a benchmark can recompute in plain SQL).  Same
 * scale and seed, same bytes.  Rows stream straight to the files; progress goes to a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "liberr.h"

typedef struct scale {
    const char *name;
    int levels, fan[4];    /* children per unit at each level (randomised ±30%) */
    int ninds, report_pct; /* indicators, % of them each leaf reports */
} scale;

static const scale scales[] = {
    { "XS", 3, { 3, 3, 4, 0 }, 6, 100 },
    { "S", 3, { 8, 12, 5, 0 }, 35, 100 },
    { "M", 4, { 10, 12, 10, 3 }, 40, 100 },
    { "L", 4, { 63, 11, 14, 5 }, 200, 16 },
};

static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int below(uint64_t *s, int n)
{
    return (int)(next(s) % (uint64_t)n);
}

typedef struct out {
    FILE *f;
    buf b;
    const char *path;
} out;

static int out_flush(out *o)
{
    if (o->b.len && fwrite(o->b.p, 1, o->b.len, o->f) != o->b.len)
        return -1;
    buf_reset(&o->b);
    return 0;
}

static int out_open(out *o, const char *dir, const char *name, const char *header, buf *path)
{
    buf_reset(path);
    buf_printf(path, "%s/%s", dir, name);
    o->f = fopen(buf_str(path), "wb");
    buf_init(&o->b, 0);
    if (o->f == NULL)
        return -1;
    return buf_adds(&o->b, header);
}

static int out_close(out *o)
{
    int rc = out_flush(o);
    if (o->f && fclose(o->f) != 0)
        rc = -1;
    o->f = NULL;
    buf_free(&o->b);
    return rc;
}

int cmd_gen(int argc, char **argv)
{
    const char *sc = NULL, *dir = NULL, *seed_s = NULL;
    int help, npos, rc = EXIT_FAIL;
    const cli_opt opts[] = { { "--scale", NULL, &sc, NULL }, { "--out", "-o", &dir, NULL },
                             { "--seed", NULL, &seed_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu gen --scale XS|S|M|L --out THƯ_MỤC [--seed N]\n"
                "Sinh dữ liệu giả lập (units.csv, indicators.csv, targets.csv, values.csv) theo cấu trúc thật:\n"
                "  S  một thành phố: 1 → 8 → ~100 → ~480 đơn vị cơ sở, ~1 triệu số liệu\n"
                "  M  một tỉnh: ~5.000 đơn vị, ~9 triệu số liệu\n"
                "  L  cả nước trước 2025: ~64.000 đơn vị, 200 chỉ tiêu, 60 tháng, ~100 triệu số liệu\n"
                "  XS nhỏ, cho kiểm thử\n"
                "Cùng quy mô và --seed thì cùng dữ liệu. Nhập bằng: chitieu import THƯ_MỤC/*.csv",
                "Usage: chitieu gen --scale XS|S|M|L --out DIR [--seed N]\n"
                "Writes synthetic data (units.csv, indicators.csv, targets.csv, values.csv) shaped like the real tree:\n"
                "  S  a city: 1 → 8 → ~100 → ~480 leaves, ~1 million values\n"
                "  M  a province: ~5,000 units, ~9 million values\n"
                "  L  the country before 2025: ~64,000 units, 200 indicators, 60 months, ~100 million values\n"
                "  XS tiny, for tests\n"
                "Same scale and --seed, same data. Load with: chitieu import DIR/*.csv"));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("gen", npos)) != 0)
        return rc;
    const scale *S = NULL;
    for (size_t i = 0; sc && i < sizeof scales / sizeof *scales; i++)
        if (strcmp(sc, scales[i].name) == 0)
            S = &scales[i];
    if (S == NULL || dir == NULL) {
        cli_error("gen", tr("cần --scale XS|S|M|L và --out THƯ_MỤC", "--scale XS|S|M|L and --out DIR are required"));
        return EXIT_USAGE;
    }
    uint64_t seed = seed_s ? strtoull(seed_s, NULL, 10) : 2025;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "chitieu gen: %s: %s\n", dir, liberr_errno(errno));
        return EXIT_FAIL;
    }
    rc = EXIT_FAIL;
    int tty = isatty(2);
    buf path = BUF_INIT;
    out uo = { 0 }, io = { 0 }, to = { 0 }, vo = { 0 };
    int *level_start = NULL, *parent = NULL, nunits = 0, cap = 1024;
    parent = malloc((size_t)cap * sizeof *parent);
    level_start = calloc(6, sizeof *level_start);
    if (!parent || !level_start)
        goto cleanup;
    /* The tree, level by level: unit k's parent is an index into the previous level. */
    parent[nunits++] = -1;
    uint64_t rs = seed;
    for (int lv = 0; lv < S->levels; lv++) {
        level_start[lv + 1] = nunits;
        for (int p = level_start[lv]; p < level_start[lv + 1]; p++) {
            int f = S->fan[lv], n = f + (f >= 3 ? below(&rs, f * 6 / 10 + 1) - f * 3 / 10 : 0);
            for (int k = 0; k < n; k++) {
                if (nunits == cap) {
                    cap *= 2;
                    int *np = realloc(parent, (size_t)cap * sizeof *np);
                    if (np == NULL)
                        goto cleanup;
                    parent = np;
                }
                parent[nunits++] = p;
            }
        }
    }
    level_start[S->levels + 1] = nunits;
    static const char *const types[] = { "Tỉnh ủy", "Huyện ủy", "Đảng ủy xã", "Chi bộ", "Tổ" };
    if (out_open(&uo, dir, "units.csv", "code,name,parent,type\n", &path) != 0)
        goto io_fail;
    for (int u = 0, lv = 0; u < nunits; u++) {
        while (u >= level_start[lv + 1])
            lv++;
        buf_printf(&uo.b, "u%d,Đơn vị %d,", u, u);
        if (parent[u] >= 0)
            buf_printf(&uo.b, "u%d", parent[u]);
        buf_printf(&uo.b, ",%s\n", types[lv < 5 ? lv : 4]);
    }
    if (out_close(&uo) != 0)
        goto io_fail;
    if (out_open(&io, dir, "indicators.csv",
                 "code,name,group,direction,unit_aggregation,period_aggregation,decimals\n", &path) != 0)
        goto io_fail;
    for (int i = 0; i < S->ninds; i++)
        buf_printf(&io.b, "c%d,Chỉ tiêu %d,Nhóm %d,%s,sum,sum,%d\n", i, i, i % 7, i % 5 == 4 ? "down" : "up", i % 3);
    if (out_close(&io) != 0)
        goto io_fail;
    /* Values: every leaf, the indicators it reports, every month 2021-2025.  Each leaf and
     * indicator has a base level; months wobble around it. */
    if (out_open(&vo, dir, "values.csv", "indicator,unit,period,value\n", &path) != 0 ||
        out_open(&to, dir, "targets.csv", "indicator,unit,period,target\n", &path) != 0)
        goto io_fail;
    long nvals = 0, ntargets = 0;
    int first_leaf = level_start[S->levels];
    for (int u = first_leaf; u < nunits; u++) {
        uint64_t us = seed ^ ((uint64_t)u * 0x9E3779B97F4A7C15ULL);
        for (int i = 0; i < S->ninds; i++) {
            if (below(&us, 100) >= S->report_pct)
                continue;
            int base = 20 + below(&us, 2000), dec = i % 3;
            for (int y = 2021; y <= 2025; y++)
                for (int mo = 1; mo <= 12; mo++) {
                    int v = base + below(&us, base / 4 + 1);
                    if (dec == 0)
                        buf_printf(&vo.b, "c%d,u%d,%d-%02d,%d\n", i, u, y, mo, v);
                    else
                        buf_printf(&vo.b, "c%d,u%d,%d-%02d,%d.%0*d\n", i, u, y, mo, v, dec, below(&us, dec == 1 ? 10 : 100));
                    nvals++;
                }
            if (vo.b.len > (1 << 20) && out_flush(&vo) != 0)
                goto io_fail;
        }
        if (tty && (u - first_leaf) % 512 == 0)
            fprintf(stderr, "\rchitieu gen: %d/%d", u - first_leaf, nunits - first_leaf);
    }
    /* Targets: half of the (unit, indicator, year) cells, every level, near 12 months of base. */
    for (int u = 0; u < nunits; u++) {
        uint64_t ts = seed ^ ((uint64_t)u * 0xC2B2AE3D27D4EB4FULL);
        for (int i = 0; i < S->ninds; i++)
            for (int y = 2021; y <= 2025; y++)
                if (below(&ts, 2) == 0) {
                    buf_printf(&to.b, "c%d,u%d,%d,%d\n", i, u, y, 100 + below(&ts, 100000));
                    ntargets++;
                }
        if (to.b.len > (1 << 20) && out_flush(&to) != 0)
            goto io_fail;
    }
    if (out_close(&vo) != 0 || out_close(&to) != 0)
        goto io_fail;
    if (tty)
        fputc('\n', stderr);
    printf(tr("Đã sinh %s: %d đơn vị, %d chỉ tiêu, %ld số liệu, %ld kế hoạch\n",
              "Generated %s: %d units, %d indicators, %ld values, %ld targets\n"),
           dir, nunits, S->ninds, nvals, ntargets);
    rc = EXIT_OK;
    goto cleanup;
io_fail:
    fprintf(stderr, "chitieu gen: %s: %s\n", buf_str(&path), liberr_errno(errno));
cleanup:
    if (uo.f) fclose(uo.f);
    if (io.f) fclose(io.f);
    if (vo.f) fclose(vo.f);
    if (to.f) fclose(to.f);
    buf_free(&uo.b), buf_free(&io.b), buf_free(&vo.b), buf_free(&to.b);
    buf_free(&path);
    free(parent);
    free(level_start);
    return rc;
}
