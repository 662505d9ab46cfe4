/* cmd_import.c - `chitieu import FILE...`: all files in one transaction (see import.h). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "import.h"


void cmd_import_summary(const struct import_stats *st, int dry_run)
{
    static const char *const vi[IK_COUNT] = { "", "đơn vị", "chỉ tiêu", "nhiệm kỳ", "kế hoạch", "số liệu" };
    static const char *const en[IK_COUNT] = { "", "units", "indicators", "terms", "targets", "values" };
    printf("%s\n", dry_run ? tr("Kiểm tra xong, không ghi gì (--dry-run):", "Checked, nothing written (--dry-run):")
                           : tr("Đã nhập:", "Imported:"));
    for (int k = 1; k < IK_COUNT; k++)
        if (st->rows[k])
            printf(tr("  %-10s %ld dòng: %ld mới, %ld thay đổi, %ld không đổi\n",
                      "  %-10s %ld rows: %ld new, %ld changed, %ld unchanged\n"),
                   tr(vi[k], en[k]), st->rows[k], st->added[k], st->changed[k],
                   st->rows[k] - st->added[k] - st->changed[k]);
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *who = NULL;
    int help, npos, dry = 0, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--dry-run", NULL, NULL, &dry },
                             { "--user", NULL, &who, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu import [--db TỆP] [--dry-run] [--user TÊN] TỆP.csv...\n"
                "Nhập các tệp CSV đơn vị, chỉ tiêu, nhiệm kỳ, kế hoạch và số liệu (loại tệp nhận biết\n"
                "từ dòng tiêu đề; xem docs/formats.md). Tất cả các tệp là một giao dịch: có một lỗi\n"
                "thì không ghi gì. --dry-run chỉ kiểm tra. Mã thoát 1 nếu có lỗi.",
                "Usage: chitieu import [--db FILE] [--dry-run] [--user NAME] FILE.csv...\n"
                "Imports CSV files of units, indicators, terms, targets and values (the kind of each\n"
                "file comes from its header row; see docs/formats.md). All files are one transaction:\n"
                "one error and nothing is written. --dry-run only checks. Exit code 1 on any error."));
        return EXIT_OK;
    }
    if (npos == 0) {
        cli_error("import", tr("cần ít nhất một tệp (xem --help)", "at least one file is needed (see --help)"));
        return EXIT_USAGE;
    }
    if (who == NULL)
        who = getenv("USER") ? getenv("USER") : "cli";
    store *s = NULL;
    model *m = NULL;
    buf *data = calloc((size_t)npos, sizeof *data);
    import_source *src = calloc((size_t)npos, sizeof *src);
    buf errors = BUF_INIT;
    import_stats st;
    err_t e;
    rc = EXIT_FAIL;
    if (data == NULL || src == NULL)
        goto cleanup;
    for (int i = 0; i < npos; i++) {
        buf_init(&data[i], 0);
        if (cli_read_file("import", argv[i + 1], &data[i]) != 0)
            goto cleanup;
        src[i] = (import_source){ argv[i + 1], buf_str(&data[i]), data[i].len };
    }
    if (cli_open("import", db, &s, &m) != 0)
        goto cleanup;
    import_opts o = { .dry_run = dry, .who = who, .progress = isatty(2) };
    if (import_run(s, m, src, npos, &o, &st, &errors, &e) != 0) {
        fputs(buf_str(&errors), stderr);
        cli_error("import", e.msg);
        goto cleanup;
    }
    cmd_import_summary(&st, dry);
    rc = EXIT_OK;
cleanup:
    for (int i = 0; data && i < npos; i++)
        buf_free(&data[i]);
    free(data);
    free(src);
    buf_free(&errors);
    store_close(s);
    model_free(m);
    return rc;
}
