/* cmd_validate.c - `chitieu validate --unit U --period P [--outliers] [--format text|csv|json]
 * [-o FILE] [--db FILE]`: every rule violation (and, with --outliers, every figure flagged as
 * an outlier) on the unit and the units below it for the period (validate.h).  Nothing is
 * written; the exit code is 0 when the run completed, whatever it found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "validate.h"
#include "vn.h"

static void num(buf *b, double v, int dec)
{
    vn_format_number_trim(v, dec, lang_get(), b);
}

static void text_rules(const model *m, const validate_result *r, cli_table *t, buf *tmp)
{
    const char *hd[7] = { tr("Quy tắc", "Rule"), tr("Mức độ", "Severity"), tr("Đơn vị", "Unit"), tr("Kỳ", "Period"),
                          tr("Vế trái", "Left"), tr("Vế phải", "Right"), tr("Thông báo", "Message") };
    char per[PERIOD_CODE_MAX];
    for (int i = 0; i < 7; i++)
        cli_table_cell(t, hd[i]);
    for (int k = 0; k < r->nviol; k++) {
        const rule_violation *v = &r->viol[k];
        const rule_t *x = &r->rules[v->rule];
        int dec = rule_decimals(x, m);
        buf_reset(tmp);
        buf_printf(tmp, "%s: %s", x->code, x->text);
        cli_table_cell(t, buf_str(tmp));
        cli_table_cell(t, rule_sev_name(x->severity));
        cli_table_cell(t, m->units[v->unit].code);
        period_code(v->p, per, sizeof per);
        cli_table_cell(t, per);
        buf_reset(tmp);
        num(tmp, v->lhs, dec);
        cli_table_cell(t, buf_str(tmp));
        buf_reset(tmp);
        num(tmp, v->rhs, dec);
        cli_table_cell(t, buf_str(tmp));
        cli_table_cell(t, x->message);
    }
}

static void text_flags(const model *m, const validate_result *r, cli_table *t, buf *tmp)
{
    const char *hd[6] = { tr("Chỉ tiêu", "Indicator"), tr("Đơn vị", "Unit"), tr("Số liệu", "Figure"),
                          tr("Kiểm tra", "Check"), tr("Tham chiếu", "Reference"), tr("Điểm z", "z-score") };
    for (int i = 0; i < 6; i++)
        cli_table_cell(t, hd[i]);
    for (int k = 0; k < r->nflags; k++) {
        const outlier_flag *f = &r->flags[k];
        int dec = m->inds[f->ind].decimals;
        cli_table_cell(t, m->inds[f->ind].code);
        cli_table_cell(t, m->units[f->unit].code);
        buf_reset(tmp);
        num(tmp, f->v, dec);
        cli_table_cell(t, buf_str(tmp));
        cli_table_cell(t, outlier_kind_name(f->kind));
        buf_reset(tmp);
        if (f->kind != OUT_BOUNDS)
            buf_adds(tmp, tr("trung vị ", "median "));
        num(tmp, f->ref, dec);
        cli_table_cell(t, buf_str(tmp));
        buf_reset(tmp);
        if (f->kind != OUT_BOUNDS) {
            num(tmp, f->z, 1);
            buf_printf(tmp, " (n=%d)", f->npoints);
        }
        cli_table_cell(t, buf_str(tmp));
    }
}

static void text(const model *m, const validate_result *r, int outliers, buf *out)
{
    buf tmp = BUF_INIT;
    cli_table t;
    cli_table_init(&t, 7, 0x30);
    if (r->nviol) {
        text_rules(m, r, &t, &tmp);
        cli_table_render(&t, out);
    }
    buf_printf(out, tr("%d vi phạm quy tắc (%d lỗi, %d cảnh báo) trên %d quy tắc.\n",
                       "%d rule violations (%d errors, %d warnings) over %d rules.\n"),
               r->nviol, r->errors, r->warnings, r->nrules);
    if (outliers) {
        cli_table_free(&t);
        cli_table_init(&t, 6, 0x34);
        if (r->nflags) {
            buf_addc(out, '\n');
            text_flags(m, r, &t, &tmp);
            cli_table_render(&t, out);
        }
        buf_printf(out, tr("%d số liệu bất thường cần xem lại.\n", "%d figures flagged for review.\n"), r->nflags);
    }
    cli_table_free(&t);
    buf_free(&tmp);
}

static int json_out(const model *m, const validate_result *r, int outliers, int u, period_t p, buf *out)
{
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    json_t *v = json_array(), *f = outliers ? json_array() : NULL;
    for (int k = 0; v && k < r->nviol; k++)
        json_array_append_new(v, validate_violation_json(m, r, &r->viol[k]));
    for (int k = 0; f && k < r->nflags; k++)
        json_array_append_new(f, validate_flag_json(m, &r->flags[k]));
    json_t *j = json_pack("{s:s,s:s,s:i,s:i,s:o}", "unit", m->units[u].code, "period", per, "errors", r->errors,
                          "warnings", r->warnings, "violations", v);
    if (j && f)
        json_object_set_new(j, "outliers", f);
    char *s = j ? json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(j);
    if (s == NULL)
        return -1;
    buf_adds(out, s);
    buf_addc(out, '\n');
    free(s);
    return 0;
}

int cmd_validate(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *fmt = "text", *outpath = NULL;
    int help, npos, rc, outliers = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--output", "-o", &outpath, NULL }, { "--outliers", NULL, NULL, &outliers }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu validate --unit MÃ --period KỲ [--outliers] [--format text|csv|json] [-o TỆP] [--db TỆP]\n"
                "Kiểm tra số liệu của đơn vị và các đơn vị trực thuộc trong kỳ theo các quy tắc (chitieu rules):\n"
                "liệt kê mọi vi phạm; --outliers: cả số liệu bất thường so với các năm trước, với đơn vị cùng cấp\n"
                "và ngưỡng của chỉ tiêu. Không ghi gì; mã thoát 0 khi chạy xong.",
                "Usage: chitieu validate --unit CODE --period PERIOD [--outliers] [--format text|csv|json] [-o FILE] [--db FILE]\n"
                "Checks the figures of the unit and every unit below it for the period against the rules\n"
                "(chitieu rules) and lists every violation; --outliers: also the figures that look wrong against\n"
                "earlier years, peer units and the indicator's bounds. Writes nothing; exit code 0 when done."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("validate", npos)) != 0 || (rc = cli_format("validate", fmt, "text|csv|json")) != 0)
        return rc;
    if (unit == NULL || period == NULL) {
        cli_error("validate", tr("cần --unit và --period", "--unit and --period are required"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open("validate", db, &s, &m) != 0)
        return EXIT_FAIL;
    int u;
    period_t p;
    validate_result r = { 0 };
    buf out = BUF_INIT;
    err_t e;
    rc = EXIT_USAGE;
    if (cli_unit_period("validate", m, unit, period, &u, &p) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    if (validate_run(s, m, u, p, outliers, &r, &e) != 0) {
        cli_error("validate", e.msg);
        goto cleanup;
    }
    if (strcmp(fmt, "csv") == 0)
        validate_csv(m, &r, &out);
    else if (strcmp(fmt, "json") == 0) {
        if (json_out(m, &r, outliers, u, p, &out) != 0) {
            cli_error("validate", "out of memory");
            goto cleanup;
        }
    } else
        text(m, &r, outliers, &out);
    rc = cli_write("validate", outpath, &out) ? EXIT_FAIL : EXIT_OK;
cleanup:
    validate_free(&r);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
