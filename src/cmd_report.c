/* cmd_report.c - `chitieu report --unit U --period P [--format md|html|json] [-o FILE]`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "docx.h"
#include "report.h"
#include "report_store.h"

int cmd_report(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *fmt = "md", *outpath = NULL, *style = "auto";
    const char *today_s = NULL, *structure = "auto", *image = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--output", "-o", &outpath, NULL }, { "--style", NULL, &style, NULL },
                             { "--today", NULL, &today_s, NULL }, { "--structure", NULL, &structure, NULL },
                             { "--engine-image", NULL, &image, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu report --unit MÃ --period KỲ [--format md|html|json|docx|pdf]\n"
                "                      [--style auto|party|state] [-o TỆP] [--db TỆP] [--engine-image TỆP|none]\n"
                "Lập dự thảo báo cáo kết quả thực hiện chỉ tiêu: phần tóm tắt viết từ số liệu, bảng theo\n"
                "nhóm chỉ tiêu, xếp hạng các đơn vị trực thuộc. html là một trang A4 in được; docx là văn bản\n"
                "Word theo thể thức của đơn vị (--style auto, mặc định): văn bản của Đảng cho cấp ủy, tổ chức\n"
                "Đảng (party), văn bản hành chính Nghị định 30/2020 cho UBND (state); thể thức trái với đơn vị\n"
                "bị từ chối. pdf cần LibreOffice. docx và pdf cần -o TỆP.\n"
                "--structure historical|current: đơn vị như thời kỳ đó, hoặc theo cơ cấu hiện nay (quy đổi từ\n"
                "đơn vị tiền thân); mặc định theo kỳ (xem docs/successions.md).\n" CLI_IMAGE_HELP_VI,
                "Usage: chitieu report --unit CODE --period PERIOD [--format md|html|json|docx|pdf]\n"
                "                      [--style auto|party|state] [-o FILE] [--db FILE] [--engine-image FILE|none]\n"
                "Writes the draft review report: a summary written from the data, tables per group of\n"
                "indicators, and the units below ranked. html is one printable A4 page; docx is a Word\n"
                "document in the unit's own layout (--style auto, default): a Party document for a Party\n"
                "committee (party), a Decree 30/2020 state document for a people's committee (state); a\n"
                "layout contrary to the unit is refused. pdf needs LibreOffice. docx and pdf need -o FILE.\n"
                "--structure historical|current: units as they were, or on today's structure (converted from\n"
                "the predecessors); the default depends on the period (see docs/successions.md).\n" CLI_IMAGE_HELP_EN));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("report", npos)) != 0 || (rc = cli_format("report", fmt, "md|html|json|docx|pdf")) != 0 ||
        (rc = cli_format("report", style, "auto|party|state")) != 0 || (rc = cli_image_opt("report", image)) != 0)
        return rc;
    int on = eval_structure_parse(structure);
    if (on < 0) {
        cli_error("report", tr("--structure cần historical, current hoặc auto", "--structure takes historical, current or auto"));
        return EXIT_USAGE;
    }
    int office = strcmp(fmt, "docx") == 0 || strcmp(fmt, "pdf") == 0;
    if (office && (outpath == NULL || strcmp(outpath, "-") == 0)) {
        cli_error("report", tr("--format docx và pdf cần -o TỆP", "--format docx and pdf need -o FILE"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_unit("report", db, unit, &(cli_unit_load){ .image = image }, &s, &m) != 0)
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
    if (eval_too_large_in_on(m, u, p, on, &e)) {      /* no report with a figure left out */
        cli_error("report", e.msg);
        goto cleanup;
    }
    /* the section on programmes and tasks is judged on the period's last day (or today) */
    int today;
    if (cmd_tasks_today("report", today_s, &today) != 0) {
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (report_build_store(s, m, u, p, on, today, &doc, &e) != 0) {
        cli_error("report", e.msg);
        goto cleanup;
    }
    if (office) {
        int st = strcmp(style, "state") == 0 ? DOCX_STATE : strcmp(style, "party") == 0 ? DOCX_PARTY : DOCX_AUTO;
        buf docx = BUF_INIT;
        if (strcmp(fmt, "pdf") == 0)
            buf_printf(&docx, "%s.%ld.docx", outpath, (long)getpid());
        else
            buf_adds(&docx, outpath);
        int ok = docx_write(doc, st, buf_str(&docx), &e) == 0 &&
                 (strcmp(fmt, "pdf") != 0 || docx_to_pdf(buf_str(&docx), outpath, NULL, &e) == 0);
        if (strcmp(fmt, "pdf") == 0)
            remove(buf_str(&docx));
        buf_free(&docx);
        if (!ok) {
            cli_error("report", e.msg);
            goto cleanup;
        }
        rc = EXIT_OK;
    } else if (report_render(doc, fmt, &out, &e) != 0) {
        cli_error("report", e.msg);
        goto cleanup;
    } else {
        rc = cli_write("report", outpath, &out) ? EXIT_FAIL : EXIT_OK;
    }
    if (rc == EXIT_OK && outpath && strcmp(outpath, "-"))
        fprintf(stderr, tr("Đã ghi %s\n", "Wrote %s\n"), outpath);
cleanup:
    json_decref(doc);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
