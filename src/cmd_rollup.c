/* cmd_rollup.c - `chitieu rollup --year Y [--values F ...] [--targets F] [--threads N]
 * [--structure historical|current|auto] [--format text|csv] [-o FILE] [--db FILE]`: the whole
 * tree at once — for every unit, how many of its yearly targets have a figure, how many are met or exceeded, and its rank among its
 * sibling units by that share ("3/30").  Only units valid in the year are listed and ranked; a
 * target whose figure is a partial roll-up (eval.h's coverage) is not judged, as in `chitieu
 * eval`: it leaves the counts and is shown in the column "partial".  On today's structure
 * (successions; --structure, auto as eval's) the units listed are today's and the figures come
 * from the engine's table of the year (engine_figure_conv: converted from predecessors).
 *
 * Data flow: units and indicators (and, without --values, the values and targets) come from the
 * store; with --values the figures are read from the CSV files straight into the engine (the
 * national-scale path, engine_load_csv), with the store's targets unless --targets is given.  The
 * engine computes every figure and count in one pass; this file only ranks siblings and writes
 * the table.  Everything it allocates is freed before it returns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "engine.h"
#include "eval.h"
#include "fixed.h"
#include "report.h"

typedef struct urow {
    int unit, parent, n, good, exc, rank, of;
    int valid;      /* the unit exists in the year (a dissolved one is neither listed nor ranked) */
    int partial;    /* yearly targets whose figure is a partial roll-up: not judged, as in eval */
} urow;

/* A target as engine_target gives it (in steps of the indicator's decimals) back in fixed point,
 * as eval_status_fx takes it. */
static int64_t target_fx(const model *m, int ind, int64_t steps)
{
    int64_t step = 1;
    for (int d = m->inds[ind].decimals; d < 4; d++)
        step *= 10;
    return steps * step;
}

/* Takes the targets judged on a partial roll-up out of the engine's counts (eval.h: a partial
 * total is never judged), counting them in partial; 0 or -1 (OOM). */
static int drop_partial(model *m, engine *g, int year, urow *rows)
{
    unsigned char *flag = malloc(m->nunits + 1);
    period_t p = { P_YEAR, 0, (uint16_t)year, (uint16_t)year };
    int rc = 0;
    if (flag == NULL)
        return -1;
    m->engine = g;                   /* eval reads the engine's figures; the model does not own it */
    for (size_t i = 0; i < m->ninds && rc == 0; i++) {
        if ((rc = eval_partial_units(m, (int)i, p, flag)) != 0)
            break;
        for (size_t u = 0; u < m->nunits; u++) {
            int64_t t, a;
            if (!flag[u] || engine_target(g, (int)i, (int)u, year, &t) != 1 ||
                engine_get_fx(g, (int)i, (int)u, p, &a) != 1)
                continue;
            int st = eval_status_fx(m->inds[i].dir, m->inds[i].decimals, a, target_fx(m, (int)i, t));
            urow *r = &rows[u];
            r->n--, r->partial++;
            r->good -= st == ST_MET || st == ST_EXCEEDED;
            r->exc -= st == ST_EXCEEDED;
        }
    }
    m->engine = NULL;
    free(flag);
    return rc;
}

/* On today's structure (successions, --structure current): the counts of every unit of today's
 * structure from the engine's table of the year (engine_figure_conv: figures converted from
 * predecessors before a succession, parents counting today's units), partial figures not judged;
 * *too_large gets the first target whose figure is too large to hold (unit, indicator), and how
 * many there are.  0 or -1 (OOM). */
static int current_counts(model *m, engine *g, int year, urow *rows, long *too_large, int *tl_unit, int *tl_ind)
{
    period_t p = { P_YEAR, 0, (uint16_t)year, (uint16_t)year };
    for (size_t u = 0; u < m->nunits; u++) {
        urow *r = &rows[u];
        r->n = r->good = r->exc = r->partial = 0;
        if (!r->valid)
            continue;
        int held = engine_held_conv(g, 0, (int)u, p);
        if (held < 0)
            return -1;
        for (size_t i = 0; i < m->ninds; i++) {
            int64_t t, a;
            if (engine_target(g, (int)i, (int)u, year, &t) != 1)
                continue;
            int st = engine_figure_conv(g, 0, (int)i, (int)u, p, &a, NULL, NULL, NULL);
            if (st == 2 && (*too_large)++ == 0)
                *tl_unit = (int)u, *tl_ind = (int)i;
            if (st != 1)
                continue;
            engine_cov cov = { 0 };
            int partial = held ? (engine_coverage_conv(g, 0, (int)i, (int)u, p, &cov), cov.partial)
                               : engine_partial(g, (int)i, (int)u, p) == 1;
            if (partial) {
                r->partial++;
                continue;
            }
            int s = eval_status_fx(m->inds[i].dir, m->inds[i].decimals, a, target_fx(m, (int)i, t));
            r->n++;
            r->good += s == ST_MET || s == ST_EXCEEDED;
            r->exc += s == ST_EXCEEDED;
        }
    }
    return 0;
}

/* Parent, then units with targets before those without (0/0 is no share: compared with every
 * share as equal, it made the order depend on qsort's path and ranked 100% below 0%), then
 * larger share of targets met or exceeded (exact: cross-multiplied), then index. */
static int by_share(const void *a, const void *b)
{
    const urow *x = a, *y = b;
    if (x->parent != y->parent)
        return x->parent < y->parent ? -1 : 1;
    if ((x->n > 0) != (y->n > 0))
        return x->n > 0 ? -1 : 1;
    long long l = (long long)x->good * y->n, r = (long long)y->good * x->n;
    if (l != r)
        return l > r ? -1 : 1;
    return x->unit < y->unit ? -1 : x->unit > y->unit;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int cmd_rollup(int argc, char **argv)
{
    const char *db = NULL, *year_s = NULL, *values = NULL, *targets = NULL, *threads_s = NULL;
    const char *fmt = "text", *outpath = NULL, *structure_s = "auto";
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--year", NULL, &year_s, NULL },
                             { "--values", NULL, &values, NULL }, { "--targets", NULL, &targets, NULL },
                             { "--threads", NULL, &threads_s, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--output", "-o", &outpath, NULL }, { "--structure", NULL, &structure_s, NULL },
                             { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu rollup --year NĂM [--values TỆP.csv] [--targets TỆP.csv] [--threads N]\n"
                "                      [--structure historical|current|auto] [--format text|csv] [-o TỆP] [--db TỆP]\n"
                "Tính toàn bộ cây đơn vị một lượt: với mỗi đơn vị, số chỉ tiêu năm có kế hoạch và số liệu,\n"
                "số đạt và vượt, tỷ lệ, và thứ hạng trong các đơn vị cùng cấp trên theo tỷ lệ đó (\"3/30\").\n"
                "Không có --values: số liệu và kế hoạch lấy từ cơ sở dữ liệu. Có --values: số liệu đọc thẳng\n"
                "từ tệp CSV (indicator,unit,period,value; dùng cho quy mô cả nước), kế hoạch từ --targets\n"
                "hoặc từ cơ sở dữ liệu; đơn vị và chỉ tiêu luôn lấy từ cơ sở dữ liệu. Chỉ các đơn vị còn\n"
                "hiệu lực trong năm được liệt kê, xếp hạng. Chỉ tiêu có số tổng hợp chưa đủ (có đơn vị cấp\n"
                "dưới chưa có số liệu) không được đánh giá, đếm ở cột \"Chưa đủ số liệu\".\n"
                "--structure historical|current: các đơn vị như trong năm đó, hoặc theo cơ cấu hiện nay (đơn vị\n"
                "mới có số liệu quy đổi từ đơn vị tiền thân trước ngày sắp xếp; đơn vị đã chuyển số liệu cho\n"
                "đơn vị kế thừa không được liệt kê); mặc định: historical cho năm kết thúc trước lần sắp xếp\n"
                "gần nhất, current cho năm sau đó (xem docs/successions.md).",
                "Usage: chitieu rollup --year YEAR [--values FILE.csv] [--targets FILE.csv] [--threads N]\n"
                "                      [--format text|csv] [-o FILE] [--db FILE]\n"
                "Computes the whole unit tree at once: for every unit, its yearly targets with a figure,\n"
                "how many are met or exceeded, the share, and its rank among the units under the same\n"
                "parent by that share (\"3/30\").  Without --values, figures and targets come from the\n"
                "database.  With --values, figures are read straight from the CSV file\n"
                "(indicator,unit,period,value; for national scale), targets from --targets or the\n"
                "database; units and indicators always come from the database.  Only units valid in the\n"
                "year are listed and ranked.  A target whose figure is a partial roll-up (some units below\n"
                "did not report) is not judged; the column \"Incomplete\" counts them.\n"
                "--structure historical|current: units as they were in the year, or on today's structure (new\n"
                "units' figures before a reorganisation converted from their predecessors; units whose figures\n"
                "passed to successors are not listed); default: historical for a year that ended before the\n"
                "latest reorganisation, current after (see docs/successions.md)."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("rollup", npos)) != 0 || (rc = cli_format("rollup", fmt, "text|csv")) != 0)
        return rc;
    char *end = NULL;
    long year = year_s ? strtol(year_s, &end, 10) : 0, nthreads = 2;
    if (year_s == NULL || *end || year < 1900 || year > 2200) {
        cli_error("rollup", tr("cần --year NĂM (ví dụ --year 2024)", "--year YEAR is required (e.g. --year 2024)"));
        return EXIT_USAGE;
    }
    if (threads_s && ((nthreads = strtol(threads_s, &end, 10)) < 1 || nthreads > 8 || *end)) {
        cli_error("rollup", tr("--threads phải từ 1 đến 8", "--threads must be 1 to 8"));
        return EXIT_USAGE;
    }
    int structure = eval_structure_parse(structure_s);
    if (structure < 0) {
        cli_error("rollup", tr("--structure cần historical, current hoặc auto", "--structure takes historical, current or auto"));
        return EXIT_USAGE;
    }
    if (targets && !values) {
        cli_error("rollup", tr("--targets chỉ dùng cùng --values", "--targets goes with --values"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    engine *g = NULL, *own = NULL;
    urow *rows = NULL;
    buf out = BUF_INIT, tmp = BUF_INIT;
    err_t e;
    rc = EXIT_FAIL;
    double t0 = seconds();
    /* The catalogue, and the year's figures straight into an engine, from the CSV files or from
     * the database (no per-cell model maps, one thread per part; read again if a write came in
     * between the parts). */
    cli_year_load ld = { .year = (int)year, .threads = (int)nthreads, .values = values, .targets = targets };
    if (cli_load_year(db, &ld, &s, &m, &own, &e) != 0) {
        cli_error("rollup", e.msg);
        return EXIT_FAIL;
    }
    g = own;
    double t1 = seconds();
    if (engine_run(g, &e) != 0) {
        cli_error("rollup", e.msg);
        goto cleanup;
    }
    double t2 = seconds();
    if (isatty(2))
        fprintf(stderr, tr("chitieu rollup: %zu đơn vị × %zu chỉ tiêu: nạp %.2f s, tính %.3f s\n",
                           "chitieu rollup: %zu units × %zu indicators: loaded in %.2f s, computed in %.3f s\n"),
                m->nunits, m->ninds, t1 - t0, t2 - t1);
    /* a yearly figure too large to hold (beyond ±9×10^14) is no figure to count: refuse, naming it */
    period_t yp = { .kind = P_YEAR, .y = (uint16_t)year, .y2 = (uint16_t)year };
    int cur = m->nsuccs && (structure == EVAL_AUTO ? eval_structure_of(m, yp) : structure) == EVAL_CURRENT;
    long too_large = 0;
    int first_unit = -1, first_ind = -1;
    if ((rows = calloc(m->nunits + 1, sizeof *rows)) == NULL)
        goto oom;
    for (size_t u = 0; u < m->nunits; u++) {
        urow *r = &rows[u];
        r->unit = (int)u, r->parent = m->units[u].parent;
        /* the units of the year, or of today's structure (not those whose figures passed on) */
        r->valid = cur ? engine_in_structure_conv(g, (int)u, yp) == 1 : model_unit_valid(m, (int)u, yp);
    }
    if (cur && current_counts(m, g, (int)year, rows, &too_large, &first_unit, &first_ind) != 0)
        goto oom;
    for (size_t u = 0; !cur && u < m->nunits; u++) {
        int n = engine_too_large(g, (int)u, (int)year, first_unit < 0 ? &first_ind : NULL);
        if (n > 0 && first_unit < 0)
            first_unit = (int)u;
        too_large += n;
    }
    if (too_large > 0) {
        if (first_ind < 0)
            first_ind = 0;
        eval_too_large_error(m, first_ind, first_unit, (period_t){ P_YEAR, 0, (uint16_t)year, (uint16_t)year }, &e);
        cli_error("rollup", e.msg);
        if (too_large > 1)
            fprintf(stderr, tr("chitieu rollup: %ld chỉ tiêu năm có số liệu quá lớn như vậy\n",
                               "chitieu rollup: %ld yearly targets have figures too large like it\n"), too_large);
        goto cleanup;
    }
    for (size_t u = 0; !cur && u < m->nunits; u++) {
        urow *r = &rows[u];
        int met;
        if (engine_counts(g, (int)u, (int)year, &r->n, &met, &r->exc) != 0 || !r->valid)
            r->n = met = r->exc = 0;      /* a year without any figure or target, or a unit not valid in it */
        r->good = met + r->exc;
    }
    if (!cur && drop_partial(m, g, (int)year, rows) != 0)
        goto oom;
    for (size_t u = 0; u < m->nunits; u++)
        if (!rows[u].valid)
            rows[u].n = rows[u].good = rows[u].exc = 0;   /* dissolved: not ranked among the living */
    /* ranks among siblings with targets: sort by parent and share, ties share a rank */
    qsort(rows, m->nunits, sizeof *rows, by_share);
    for (size_t a = 0; a < m->nunits;) {
        size_t b = a, n = 0;
        while (b < m->nunits && rows[b].parent == rows[a].parent)
            n += rows[b++].n > 0;
        for (size_t k = a, place = 0; k < b; k++) {
            if (rows[k].n == 0)
                continue;
            place++;
            int tie = k > a && rows[k - 1].n > 0 &&
                      (long long)rows[k].good * rows[k - 1].n == (long long)rows[k - 1].good * rows[k].n;
            rows[k].rank = tie ? rows[k - 1].rank : (int)place;
            rows[k].of = rows[k].parent >= 0 ? (int)n : 0;
        }
        a = b;
    }
    /* back to the tree's order: parents before children, siblings in name order */
    urow *byunit = calloc(m->nunits + 1, sizeof *byunit);
    int *order = calloc(m->nunits + 1, sizeof *order), *stack = calloc(m->nunits + 1, sizeof *stack), no = 0;
    if (!byunit || !order || !stack) {
        free(byunit), free(order), free(stack);
        goto oom;
    }
    for (size_t k = 0; k < m->nunits; k++)
        byunit[rows[k].unit] = rows[k];
    for (size_t u = 0; u < m->nunits; u++) {
        if (m->units[u].parent >= 0)
            continue;
        int sp = 0;
        stack[sp++] = (int)u;
        while (sp) {
            int x = stack[--sp], first = sp;
            if (!byunit[x].valid)
                continue;                 /* listed only in the years it exists (and its units below) */
            order[no++] = x;
            for (int ch = m->units[x].first_child; ch >= 0; ch = m->units[ch].next_sibling)
                stack[sp++] = ch;
            for (int i = first, j = sp - 1; i < j; i++, j--) {   /* first child on top */
                int t = stack[i];
                stack[i] = stack[j];
                stack[j] = t;
            }
        }
    }
    if (strcmp(fmt, "csv") == 0) {
        buf_adds(&out, "unit,name,parent,year,targets,met_or_exceeded,exceeded,share_pct,rank,of,partial\n");
        for (int k = 0; k < no; k++) {
            const urow *r = &byunit[order[k]];
            if (!r->valid)
                continue;
            const unit_t *un = &m->units[r->unit];
            cli_csv_field(&out, un->code, 0);
            cli_csv_field(&out, un->name, 0);
            cli_csv_field(&out, un->parent >= 0 ? m->units[un->parent].code : "", 0);
            buf_printf(&out, "%ld,%d,%d,%d,", year, r->n, r->good, r->exc);
            if (r->n)
                buf_printf(&out, "%.2f", 100.0 * r->good / r->n);
            buf_adds(&out, ",");
            if (r->of)
                buf_printf(&out, "%d,%d", r->rank, r->of);
            else
                buf_adds(&out, ",");
            buf_printf(&out, ",%d\n", r->partial);
        }
    } else {
        cli_table t;
        cli_table_init(&t, 7, 0x7Cu);
        const char *h[7] = { tr("Đơn vị", "Unit"), tr("Tên", "Name"), tr("Chỉ tiêu có số liệu", "Targets with data"),
                             tr("Đạt và vượt", "Met or exceeded"), tr("Tỷ lệ", "Share"), tr("Xếp hạng", "Rank"),
                             tr("Chưa đủ số liệu", "Incomplete") };
        for (int i = 0; i < 7; i++)
            cli_table_cell(&t, h[i]);
        for (int k = 0; k < no; k++) {
            const urow *r = &byunit[order[k]];
            if (!r->valid)
                continue;
            const unit_t *un = &m->units[r->unit];
            buf_reset(&tmp);
            for (int d = 0; d < un->depth; d++)
                buf_adds(&tmp, "  ");
            buf_adds(&tmp, un->code);
            cli_table_cell(&t, buf_str(&tmp));
            cli_table_cell(&t, un->name);
            buf_reset(&tmp);
            buf_printf(&tmp, "%d", r->n);
            cli_table_cell(&t, buf_str(&tmp));
            buf_reset(&tmp);
            if (r->n)
                buf_printf(&tmp, tr("%d/%d (vượt %d)", "%d/%d (%d exceeded)"), r->good, r->n, r->exc);
            cli_table_cell(&t, buf_str(&tmp));
            buf_reset(&tmp);
            if (r->n) {
                report_num(&tmp, 100.0 * r->good / r->n, 2);
                buf_adds(&tmp, "%");
            }
            cli_table_cell(&t, buf_str(&tmp));
            buf_reset(&tmp);
            if (r->of)
                buf_printf(&tmp, "%d/%d", r->rank, r->of);
            cli_table_cell(&t, buf_str(&tmp));
            buf_reset(&tmp);
            if (r->partial)
                buf_printf(&tmp, "%d", r->partial);
            cli_table_cell(&t, buf_str(&tmp));
        }
        cli_table_render(&t, &out);
        cli_table_free(&t);
    }
    free(byunit), free(order), free(stack);
    if (cli_write("rollup", outpath, &out) == 0)
        rc = EXIT_OK;
    goto cleanup;
oom:
    cli_error("rollup", "out of memory");
cleanup:
    free(rows);
    engine_free(own);
    buf_free(&out);
    buf_free(&tmp);
    store_close(s);
    model_free(m);
    return rc;
}
