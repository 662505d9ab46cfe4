/* cmd_report.c - `chitieu report --unit U --period P [--format md|html|json] [-o FILE]`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report.h"

int cmd_report(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *fmt = "md", *outpath = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--output", "-o", &outpath, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu report --unit MÃ --period KỲ [--format md|html|json] [-o TỆP] [--db TỆP]\n"
                "Lập dự thảo báo cáo kết quả thực hiện chỉ tiêu: phần tóm tắt viết từ số liệu, bảng theo\n"
                "nhóm chỉ tiêu, xếp hạng các đơn vị trực thuộc. html là một trang A4 in được.",
                "Usage: chitieu report --unit CODE --period PERIOD [--format md|html|json] [-o FILE] [--db FILE]\n"
                "Writes the draft review report: a summary written from the data, tables per group of\n"
                "indicators, and the units below ranked. html is one printable A4 page."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("report", npos)) != 0 || (rc = cli_format("report", fmt, "md|html|json")) != 0)
        return rc;
    store *s;
    model *m;
    if (cli_open("report", db, &s, &m) != 0)
        return EXIT_FAIL;
    int u;
    period_t p;
    json_t *doc = NULL;
    buf out = BUF_INIT;
    err_t e;
    rc = EXIT_USAGE;
    if (cli_unit_period("report", m, unit, period, &u, &p) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    if (report_build(m, u, p, &doc, &e) != 0 || report_render(doc, fmt, &out, &e) != 0) {
        cli_error("report", e.msg);
        goto cleanup;
    }
    rc = cli_write("report", outpath, &out) ? EXIT_FAIL : EXIT_OK;
    if (rc == EXIT_OK && outpath && strcmp(outpath, "-"))
        fprintf(stderr, tr("Đã ghi %s\n", "Wrote %s\n"), outpath);
cleanup:
    json_decref(doc);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
