/* cmd_export.c - `chitieu export` (evaluation workbook) and `chitieu template` (data-entry
 * workbook for one unit and period), both Excel files (see xlsx_out.h). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "eval.h"
#include "xlsx_out.h"

/* Shared option handling; kind 0 = export, 1 = template. */
static int run(int argc, char **argv, int kind)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *fmt = "xlsx", *outpath = NULL, *structure = NULL;
    const char *image = NULL;
    int help, npos, rc;
    cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                       { "--period", NULL, &period, NULL }, { "--format", NULL, &fmt, NULL },
                       { "--output", "-o", &outpath, NULL }, { "--engine-image", NULL, &image, NULL },
                       { "--structure", NULL, &structure, NULL }, { 0 } };
    if (kind)
        opts[6] = (cli_opt){ 0 };       /* the template (a unit's own figures to enter) has no --structure */
    const char *cmd = kind ? "template" : "export";
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        if (kind)
            puts(tr("Cách dùng: chitieu template --unit MÃ --period KỲ -o TỆP.xlsx [--db TỆP] [--engine-image TỆP|none]\n"
                    "Tạo biểu nhập số liệu Excel cho một đơn vị và kỳ: tên chỉ tiêu, ĐVT, kế hoạch, cùng kỳ\n"
                    "năm trước, cột \"Số liệu\" để điền (kiểm tra là số). Điền xong: chitieu import TỆP.xlsx\n"
                    CLI_IMAGE_HELP_VI,
                    "Usage: chitieu template --unit CODE --period PERIOD -o FILE.xlsx [--db FILE] [--engine-image FILE|none]\n"
                    "Writes an Excel data-entry sheet for one unit and period: indicator, unit of measure,\n"
                    "target, last year's value and a \"Value\" column to fill (numbers only). Then:\n"
                    "chitieu import FILE.xlsx\n" CLI_IMAGE_HELP_EN));
        else
            puts(tr("Cách dùng: chitieu export --unit MÃ --period KỲ [--format xlsx] [--structure historical|current|auto]\n"
                    "                      -o TỆP.xlsx [--db TỆP] [--engine-image TỆP|none]\n"
                    "Xuất kết quả đánh giá ra Excel: trang tổng hợp, mỗi nhóm chỉ tiêu một trang, xếp hạng\n"
                    "đơn vị trực thuộc; khổ A4 ngang. --structure: đơn vị như thời kỳ đó (historical) hoặc theo cơ cấu\n"
                    "hiện nay (current: số liệu quy đổi từ đơn vị tiền thân, đánh dấu *); mặc định auto.\n"
                    CLI_IMAGE_HELP_VI,
                    "Usage: chitieu export --unit CODE --period PERIOD [--format xlsx] [--structure historical|current|auto]\n"
                    "                      -o FILE.xlsx [--db FILE] [--engine-image FILE|none]\n"
                    "Writes the evaluation to Excel: a summary sheet, one sheet per group of indicators and\n"
                    "the units below ranked; A4 landscape. --structure: units as they were (historical) or on\n"
                    "today's structure (current: figures converted from predecessors, marked *); default auto.\n"
                    CLI_IMAGE_HELP_EN));
        return EXIT_OK;
    }
    if ((rc = cli_no_args(cmd, npos)) != 0 || (rc = cli_format(cmd, fmt, "xlsx")) != 0 ||
        (rc = cli_image_opt(cmd, image)) != 0)
        return rc;
    int on = structure ? eval_structure_parse(structure) : EVAL_AUTO;
    if (on < 0) {
        cli_error(cmd, tr("--structure cần historical, current hoặc auto", "--structure takes historical, current or auto"));
        return EXIT_USAGE;
    }
    if (outpath == NULL) {
        cli_error(cmd, tr("cần -o TỆP.xlsx", "-o FILE.xlsx is required"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_unit(cmd, db, unit, &(cli_unit_load){ .image = image }, &s, &m) != 0)
        return EXIT_FAIL;
    int u, n = 0;
    period_t p;
    err_t e;
    rc = EXIT_USAGE;
    if (cli_unit_period(cmd, m, unit, period, &u, &p) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    if ((kind ? xlsx_template(m, u, p, outpath, &n, &e) : xlsx_export_on(m, u, p, on, outpath, &e)) != 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    if (kind)
        fprintf(stderr, tr("Đã ghi %s (%d chỉ tiêu)\n", "Wrote %s (%d indicators)\n"), outpath, n);
    else
        fprintf(stderr, tr("Đã ghi %s\n", "Wrote %s\n"), outpath);
    rc = EXIT_OK;
cleanup:
    store_close(s);
    model_free(m);
    return rc;
}

int cmd_export(int argc, char **argv) { return run(argc, argv, 0); }
int cmd_template(int argc, char **argv) { return run(argc, argv, 1); }
