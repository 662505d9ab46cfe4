/* cmd_eval.c - `chitieu eval --unit U --period P [--format text|json|csv]`: the evaluation
 * table of one unit and period with the headline tallies, and the coverage of every partial
 * roll-up (eval.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmd.h"
#include "eval.h"
#include "report.h"

static void num_cell(cli_table *t, buf *tmp, int has, double v, int dec, const char *suffix)
{
    buf_reset(tmp);
    if (has) {
        report_num(tmp, v, dec);
        buf_adds(tmp, suffix);
    } else {
        buf_adds(tmp, "–");
    }
    cli_table_cell(t, buf_str(tmp));
}

/* CSV numbers are plain (dot decimal, no grouping) so other programs can read them. */
static void csv_num(buf *b, int has, double v, int last)
{
    if (has)
        buf_printf(b, "%.10g", v);
    buf_adds(b, last ? "\n" : ",");
}

/* Below the table, one line per partial roll-up: what it covers, and whether it is withheld. */
static void coverage_notes(const model *m, const eval_result *r, buf *out)
{
    for (int i = 0; i < r->nrows; i++) {
        const eval_row *x = &r->rows[i];
        if (!x->partial)
            continue;
        buf_printf(out, "%s %s: ", x->withheld ? "–" : REPORT_PARTIAL_MARK, m->inds[x->ind].code);
        buf_adds(out, x->withheld ? tr("không hiện số tổng hợp chưa đủ, ", "partial total withheld, ")
                                  : tr("số tổng hợp chưa đủ, ", "partial total, "));
        eval_cov_text(x, out);
        buf_addc(out, '\n');
    }
}

int cmd_eval(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *fmt = "text", *outpath = NULL, *structure = "auto";
    const char *image = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--output", "-o", &outpath, NULL }, { "--structure", NULL, &structure, NULL },
                             { "--engine-image", NULL, &image, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu eval --unit MÃ --period KỲ [--format text|json|csv] [-o TỆP] [--db TỆP]\n"
                "                    [--engine-image TỆP|none]\n"
                "Đánh giá từng chỉ tiêu của đơn vị trong kỳ: kế hoạch, thực hiện, % kế hoạch, đánh giá\n"
                "(vượt, đạt, không đạt, chưa có số liệu, không có chỉ tiêu), xếp hạng, so cùng kỳ, cấp trên.\n"
                "Kỳ: 2022, 2022S1, 2022M9 (9 tháng), 2022Q2, 2022-05, 2020-2025 (nhiệm kỳ), 2020-2022 (giữa nhiệm kỳ).\n"
                "--structure historical|current: đơn vị như thời kỳ đó, hoặc theo cơ cấu hiện nay (số liệu trước\n"
                "khi sắp xếp quy đổi từ đơn vị tiền thân, đánh dấu *); mặc định: historical cho kỳ kết thúc\n"
                "trước lần sắp xếp gần nhất, current cho kỳ sau đó (xem docs/successions.md).\n"
                "Số tổng hợp từ đơn vị cấp dưới khi có đơn vị chưa có số liệu mang dấu † và độ phủ\n"
                "(\"2/30 đơn vị có số liệu\"), không được đánh giá, xếp hạng (xem chitieu settings).\n"
                CLI_IMAGE_HELP_VI,
                "Usage: chitieu eval --unit CODE --period PERIOD [--format text|json|csv] [-o FILE] [--db FILE]\n"
                "                    [--engine-image FILE|none]\n"
                "Evaluates each indicator of the unit for the period: target, actual, % of target, status\n"
                "(exceeded, met, not met, no data, no target), rank, same period last year, parent.\n"
                "Periods: 2022, 2022S1, 2022M9 (nine months), 2022Q2, 2022-05, 2020-2025 (term), 2020-2022 (mid-term).\n"
                "--structure historical|current: units as they were, or on today's structure (figures before\n"
                "a reorganisation converted from the predecessors, marked *); default: historical for a\n"
                "period that ended before the latest reorganisation, current after (see docs/successions.md).\n"
                "A total rolled up from units below when some have no figure is marked † with its coverage\n"
                "(\"2/30 units reported\"), and is neither judged nor ranked (see chitieu settings).\n"
                CLI_IMAGE_HELP_EN));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("eval", npos)) != 0 || (rc = cli_format("eval", fmt, "text|json|csv")) != 0 ||
        (rc = cli_image_opt("eval", image)) != 0)
        return rc;
    int st = eval_structure_parse(structure);
    if (st < 0) {
        cli_error("eval", tr("--structure cần historical, current hoặc auto", "--structure takes historical, current or auto"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_unit("eval", db, unit, &(cli_unit_load){ .image = image }, &s, &m) != 0)
        return EXIT_FAIL;
    int u;
    period_t p;
    eval_result r = { 0 };
    buf out = BUF_INIT, tmp = BUF_INIT;
    err_t e;
    rc = EXIT_USAGE;
    if (cli_unit_period("eval", m, unit, period, &u, &p) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    if (eval_unit_on(m, u, p, st, &r, &e) != 0) {
        cli_error("eval", e.msg);
        goto cleanup;
    }
    if (strcmp(fmt, "json") == 0) {
        char code[PERIOD_CODE_MAX];
        period_code(p, code, sizeof code);
        report_period_label(m, p, &tmp);
        json_t *doc = json_pack("{s:s, s:s, s:s, s:s}", "unit", m->units[u].code, "unit_name",
                                m->units[u].name, "period", code, "period_label", buf_str(&tmp));
        json_object_set_new(doc, "overall", json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "total", r.all.total,
            "met_or_exceeded", r.all.met + r.all.exceeded, "exceeded", r.all.exceeded,
            "not_met", r.all.notmet, "no_data", r.all.nodata, "incomplete", r.all.partial));
        if (m->nsuccs)
            json_object_set_new(doc, "structure", json_string(r.structure == EVAL_CURRENT ? "current" : "historical"));
        json_object_set_new(doc, "indicators", report_rows_json(m, &r));
        json_t *errs = json_array();               /* figures too large to hold, by name */
        for (int i = 0; i < r.nrows; i++)
            if (r.rows[i].too_large && eval_too_large_error(m, r.rows[i].ind, u, p, &e) != 0)
                json_array_append_new(errs, json_string(e.msg));
        if (json_array_size(errs))
            json_object_set_new(doc, "errors", errs);
        else
            json_decref(errs);
        char *j = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        buf_adds(&out, j ? j : "{}");
        buf_addc(&out, '\n');
        free(j);
        json_decref(doc);
    } else if (strcmp(fmt, "csv") == 0) {
        int conv_col = r.structure == EVAL_CURRENT; /* on today's structure: which figures are converted */
        buf_adds(&out, "indicator,name,unit,target,actual,pct_of_target,status,rank,rank_of,previous,change_pct,parent_value");
        buf_adds(&out, conv_col ? ",converted,previous_converted" : "");
        buf_adds(&out, ",partial,units_expected,units_reported\n");
        for (int i = 0; i < r.nrows; i++) {
            const eval_row *x = &r.rows[i];
            const ind_t *d = &m->inds[x->ind];
            cli_csv_field(&out, d->code, 0);
            cli_csv_field(&out, d->name, 0);
            cli_csv_field(&out, d->measure, 0);
            csv_num(&out, x->has_target, x->target, 0);
            csv_num(&out, x->has_actual, x->actual, 0);
            csv_num(&out, x->has_pct, x->pct, 0);
            buf_printf(&out, "%s,", eval_status_key(x->status));
            csv_num(&out, x->rank > 0, x->rank, 0);
            csv_num(&out, x->rank > 0, x->rank_of, 0);
            csv_num(&out, x->has_prev, x->prev, 0);
            csv_num(&out, x->has_change_pct, x->change_pct, 0);
            csv_num(&out, x->has_parent, x->parent_value, 0);
            if (conv_col)
                buf_printf(&out, "%d,%d,", x->converted, x->prev_converted);
            /* coverage of a partial roll-up: "partial" or "withheld", units expected, units reported */
            buf_adds(&out, x->withheld ? "withheld," : x->partial ? "partial," : ",");
            csv_num(&out, x->partial, x->expected_children, 0);
            csv_num(&out, x->partial, x->reported_children, 1);
        }
    } else {
        cli_table t;
        int nconv = 0;
        cli_table_init(&t, 10, 0x3F8u & ~(1u << 6)); /* numbers right-aligned, status left */
        const char *h[10] = { tr("Mã", "Code"), tr("Chỉ tiêu", "Indicator"), tr("ĐVT", "Unit"),
                              tr("Kế hoạch", "Target"), tr("Thực hiện", "Actual"), tr("% KH", "%"),
                              tr("Đánh giá", "Status"), tr("Hạng", "Rank"), tr("Cùng kỳ", "Last yr"),
                              tr("Cấp trên", "Parent") };
        for (int i = 0; i < 10; i++)
            cli_table_cell(&t, h[i]);
        for (int i = 0; i < r.nrows; i++) {
            const eval_row *x = &r.rows[i];
            const ind_t *d = &m->inds[x->ind];
            cli_table_cell(&t, d->code);
            buf_reset(&tmp);
            buf_printf(&tmp, "%s%s", d->parent >= 0 ? "– " : "", d->name);
            cli_table_cell(&t, buf_str(&tmp));
            cli_table_cell(&t, d->measure);
            num_cell(&t, &tmp, x->has_target || x->has_annual, x->has_target ? x->target : x->annual_target,
                     d->decimals, x->has_target ? "" : tr(" (năm)", " (year)"));
            if (x->too_large)
                cli_table_cell(&t, tr("quá lớn", "too large"));
            else   /* converted (successions) adds a *, partial (coverage) a dagger, explained below */
                num_cell(&t, &tmp, x->has_actual, x->actual, d->decimals,
                         !x->has_actual ? "" : x->converted && x->partial ? "*" REPORT_PARTIAL_MARK
                         : x->converted ? "*" : x->partial ? REPORT_PARTIAL_MARK : "");
            nconv += x->converted || x->prev_converted;
            num_cell(&t, &tmp, x->has_pct || (x->has_annual == 1 && x->has_actual),
                     x->has_pct ? x->pct : x->annual_pct, 2, "%");
            cli_table_cell(&t, eval_row_status_name(x));
            buf_reset(&tmp);
            if (x->rank)
                buf_printf(&tmp, "%d/%d", x->rank, x->rank_of);
            else
                buf_adds(&tmp, "–");
            cli_table_cell(&t, buf_str(&tmp));
            num_cell(&t, &tmp, x->has_prev, x->prev, d->decimals, x->prev_converted ? "*" : "");
            num_cell(&t, &tmp, x->has_parent, x->parent_value, d->decimals, "");
        }
        report_period_label(m, p, &out);
        buf_printf(&out, " — %s", m->units[u].name);
        if (r.structure == EVAL_CURRENT)
            buf_adds(&out, tr(" (theo cơ cấu đơn vị hiện nay)", " (on today's structure of units)"));
        buf_adds(&out, "\n\n");
        cli_table_render(&t, &out);
        if (nconv)
            buf_adds(&out, tr("* quy đổi từ số liệu của đơn vị tiền thân theo tỷ lệ kế thừa\n",
                              "* converted from the predecessors' figures by their shares\n"));
        coverage_notes(m, &r, &out);
        buf_printf(&out, tr("\nĐạt và vượt %d/%d chỉ tiêu, trong đó %d vượt; không đạt %d; chưa có số liệu %d",
                            "\nMet or exceeded %d/%d targets, %d exceeded; not met %d; no data %d"),
                   r.all.met + r.all.exceeded, r.all.total, r.all.exceeded, r.all.notmet, r.all.nodata);
        if (r.all.partial)
            buf_printf(&out, tr(" (%d chưa đủ số liệu)", " (%d incomplete)"), r.all.partial);
        buf_adds(&out, ".\n");
        for (int i = 0; i < r.nsets && r.nsets > 1; i++)
            if (r.sets[i].t.total)
                buf_printf(&out, "  %s: %d/%d, %s %d\n", r.sets[i].name,
                           r.sets[i].t.met + r.sets[i].t.exceeded, r.sets[i].t.total,
                           tr("vượt", "exceeded"), r.sets[i].t.exceeded);
        for (int i = 0; i < r.ngroups; i++)
            if (r.groups[i].t.total)
                buf_printf(&out, "  %s: %d/%d, %s %d\n", r.groups[i].name,
                           r.groups[i].t.met + r.groups[i].t.exceeded, r.groups[i].t.total,
                           tr("vượt", "exceeded"), r.groups[i].t.exceeded);
        if (r.comps.total)
            buf_printf(&out, tr("  Nhiệm vụ thành phần: %d/%d của %d chỉ tiêu chủ yếu\n",
                                "  Component tasks: %d/%d of %d main targets\n"),
                       r.comps.met + r.comps.exceeded, r.comps.total, r.comp_parents);
        cli_table_free(&t);
    }
    rc = cli_write("eval", outpath, &out) ? EXIT_FAIL : EXIT_OK;
    /* A figure too large to hold is shown as no number, and is an error naming it. */
    for (int i = 0; i < r.nrows; i++)
        if (r.rows[i].too_large) {
            eval_too_large_error(m, r.rows[i].ind, u, p, &e);
            cli_error("eval", e.msg);
            rc = EXIT_FAIL;
        }
cleanup:
    eval_result_free(&r);
    buf_free(&out);
    buf_free(&tmp);
    store_close(s);
    model_free(m);
    return rc;
}
