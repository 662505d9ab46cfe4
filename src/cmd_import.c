/* cmd_import.c - `chitieu import FILE...`: all files in one transaction (see import.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "outlier.h"
#include "rule.h"
#include "task_import.h"

/* Files are read whole; beyond this a file is refused (split it: imports are additive). */
#define IMPORT_FILE_MAX ((size_t)4 << 30)
#include "cmd.h"
#include "enc.h"
#include "import.h"
#include "import_text.h"
#include "vn.h"
#include "xlsx_read.h"
#include "auth.h"
#include "write.h"


void cmd_import_summary(const struct import_stats *st, int dry_run)
{
    static const char *const vi[IK_COUNT] = { "", "đơn vị", "chỉ tiêu", "nhiệm kỳ", "kế hoạch", "số liệu", "",
                                              "kế thừa" };
    static const char *const en[IK_COUNT] = { "", "units", "indicators", "terms", "targets", "values", "",
                                              "successions" };
    printf("%s\n", dry_run ? tr("Kiểm tra xong, không ghi gì (--dry-run):", "Checked, nothing written (--dry-run):")
                           : tr("Đã nhập:", "Imported:"));
    for (int k = 1; k < IK_COUNT; k++)
        if (st->rows[k])
            printf(tr("  %-10s %ld dòng: %ld mới, %ld thay đổi, %ld không đổi\n",
                      "  %-10s %ld rows: %ld new, %ld changed, %ld unchanged\n"),
                   tr(vi[k], en[k]), st->rows[k], st->added[k], st->changed[k],
                   st->rows[k] - st->added[k] - st->changed[k]);
    if (st->handed_over && dry_run)
        printf(tr("  %ld nhiệm vụ sẽ được bàn giao cho đơn vị kế thừa\n", "  %ld tasks would be handed to the successor unit\n"),
               st->handed_over);
    else if (st->handed_over)
        printf(tr("  %ld nhiệm vụ bàn giao cho đơn vị kế thừa (xem lịch sử nhiệm vụ)\n",
                  "  %ld tasks handed to the successor unit (see the tasks' history)\n"), st->handed_over);
}

int cmd_import(int argc, char **argv)
{
    const char *db = NULL, *who = NULL, *encname = NULL;
    int help, npos, dry = 0, rc, upper = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--dry-run", NULL, NULL, &dry },
                             { "--user", NULL, &who, NULL }, { "--encoding", NULL, &encname, NULL },
                             { "--upper", NULL, NULL, &upper }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu import [--db TỆP] [--dry-run] [--user TÊN] [--encoding MÃ] [--upper] TỆP.csv|xlsx|xls...\n"
                "Nhập các tệp CSV đơn vị, chỉ tiêu, nhiệm kỳ, kế hoạch, số liệu, kế thừa đơn vị, chương trình và nhiệm vụ (loại\n"
                "tệp nhận biết từ dòng tiêu đề; xem docs/formats.md). Tất cả các tệp là một giao dịch: có một lỗi\n"
                "thì không ghi gì. --dry-run chỉ kiểm tra. Mã thoát 1 nếu có lỗi (cả tệp rỗng, tệp chỉ có dòng\n"
                "tiêu đề). --encoding auto|utf-8|tcvn3|vni|viqr|cp1258 (mặc định auto): tệp CSV UTF-8 đọc nguyên;\n"
                "bảng mã cũ (TCVN3, VNI, CP1258) chỉ được tự nhận khi cả tệp đọc trọn vẹn bằng bảng mã đó, nếu\n"
                "không là lỗi nêu dòng, cột và byte sai; VIQR phải chỉ định. --upper: TCVN3 gõ bằng phông chữ\n"
                "hoa (.VnTimeH). Trong .xlsx, phông chữ của ô (.VnTime, VNI-Times) quyết định.",
                "Usage: chitieu import [--db FILE] [--dry-run] [--user NAME] [--encoding ENC] [--upper] FILE.csv|xlsx|xls...\n"
                "Imports CSV files of units, indicators, terms, targets, values, successions, programmes and tasks (the kind\n"
                "of each file comes from its header row; see docs/formats.md). All files are one transaction:\n"
                "one error and nothing is written. --dry-run only checks. Exit code 1 on any error (an empty\n"
                "file and a header-only file included). --encoding auto|utf-8|tcvn3|vni|viqr|cp1258 (default\n"
                "auto): a UTF-8 CSV file is read as it is; a legacy encoding (TCVN3, VNI, CP1258) is detected\n"
                "only when it reads the whole file cleanly, else an error names the row, column and byte; VIQR\n"
                "must be named. --upper: TCVN3 set in a capitals font (.VnTimeH). In .xlsx, each cell's font decides."));
        return EXIT_OK;
    }
    if (npos == 0) {
        cli_error("import", tr("cần ít nhất một tệp (xem --help)", "at least one file is needed (see --help)"));
        return EXIT_USAGE;
    }
    int enc = IMPORT_ENC_AUTO;
    if (encname && import_text_encoding(encname, &enc) != 0) {
        cli_error("import", tr("--encoding cần auto, utf-8, tcvn3, vni, viqr hoặc cp1258",
                               "--encoding takes auto, utf-8, tcvn3, vni, viqr or cp1258"));
        return EXIT_USAGE;
    }
    if (who == NULL)
        who = getenv("USER") ? getenv("USER") : "cli";
    store *s = NULL;
    model *m = NULL;
    buf *data = calloc((size_t)npos, sizeof *data);
    import_source *src = NULL;
    int nsrc = 0, capsrc = npos;
    buf names = BUF_INIT;          /* "file [sheet]" names, NUL-separated, offsets in src */
    buf *sheets_csv = NULL;        /* one CSV text per imported sheet */
    int nsheets = 0;
    buf errors = BUF_INIT;
    import_stats st;
    err_t e;
    rc = EXIT_FAIL;
    if (data == NULL)
        goto cleanup;
    /* An .xlsx (or old .xls) file contributes every sheet whose header row is a known kind (found
     * in its first 50 rows); the sheet goes to import as CSV text named "file [sheet]". */
    for (int i = 0; i < npos; i++) {
        buf_init(&data[i], IMPORT_FILE_MAX);
        if (cli_read_file("import", argv[i + 1], &data[i]) != 0)
            goto cleanup;
        int zip = xlsx_is_zip(buf_str(&data[i]), data[i].len), ole = xls_is_ole(buf_str(&data[i]), data[i].len);
        if (data[i].len == 0) {
            err_set(&e, tr("tệp %s rỗng (cần dòng tiêu đề và các dòng số liệu)",
                           "file %s is empty (a header row and data rows are needed)"), argv[i + 1]);
            cli_error("import", e.msg);
            goto cleanup;
        }
        if (!zip && !ole) {
            /* CSV: UTF-8 as it is; a legacy encoding only if named or read cleanly (import_text.h) */
            if (enc != IMPORT_ENC_AUTO || !vn_utf8_valid(buf_str(&data[i]), data[i].len)) {
                buf conv = BUF_INIT;
                import_text_info info;
                if (import_text_decode(argv[i + 1], buf_str(&data[i]), data[i].len, enc, upper, &conv, &info, &e) != 0) {
                    buf_free(&conv);
                    cli_error("import", e.msg);
                    goto cleanup;
                }
                if (info.enc != ENC_UTF8)
                    fprintf(stderr, tr("%s: chuyển từ bảng mã %s%s sang Unicode\n",
                                       "%s: converted from %s%s to Unicode\n"), argv[i + 1], enc_name(info.enc),
                            info.guessed ? tr(" (tự nhận biết)", " (detected)") : "");
                buf_free(&data[i]);
                data[i] = conv;
            }
            continue;
        }
        xlsx_sheet *sh;
        int n, used = 0;
        if ((zip ? xlsx_read(buf_str(&data[i]), data[i].len, &sh, &n, &e)
                 : xls_read_file(argv[i + 1], &sh, &n, &e)) != 0) {
            fprintf(stderr, "chitieu import: %s: %s\n", argv[i + 1], e.msg);
            goto cleanup;
        }
        buf *grown = realloc(sheets_csv, ((size_t)nsheets + (size_t)n + 1) * sizeof *grown);
        if (grown == NULL) {
            xlsx_free(sh, n);
            goto cleanup;
        }
        sheets_csv = grown;
        for (int k = 0; k < n; k++) {
            if (sh[k].converted)
                fprintf(stderr, tr("%s [%s]: chuyển %ld ô từ phông chữ TCVN3/VNI sang Unicode\n",
                                   "%s [%s]: converted %ld cells from TCVN3/VNI fonts to Unicode\n"),
                        argv[i + 1], sh[k].name, sh[k].converted);
            buf_init(&sheets_csv[nsheets], 0);
            if (xlsx_sheet_csv(&sh[k], import_any_header, &sheets_csv[nsheets]) == 1) {
                buf_printf(&names, "%s [%s]%c", argv[i + 1], sh[k].name, '\0');
                nsheets++;
                used++;
            } else {
                buf_free(&sheets_csv[nsheets]);
            }
        }
        xlsx_free(sh, n);
        if (used == 0) {
            fprintf(stderr, tr("chitieu import: %s: không có trang nào có dòng tiêu đề của một loại tệp đã biết "
                               "(xem docs/formats.md)\n",
                               "chitieu import: %s: no sheet has the header row of a known kind of file "
                               "(see docs/formats.md)\n"), argv[i + 1]);
            goto cleanup;
        }
        buf_free(&data[i]); /* the zip bytes are no longer needed */
        buf_init(&data[i], 0);
        capsrc += used;
    }
    src = calloc((size_t)capsrc + 1, sizeof *src);
    if (src == NULL)
        goto cleanup;
    for (int i = 0; i < npos; i++)
        if (data[i].len)
            src[nsrc++] = (import_source){ argv[i + 1], buf_str(&data[i]), data[i].len };
    for (int k = 0, off = 0; k < nsheets; k++) {
        const char *name = buf_str(&names) + off;
        off += (int)strlen(name) + 1;
        src[nsrc++] = (import_source){ name, buf_str(&sheets_csv[k]), sheets_csv[k].len };
    }
    if (store_open(store_default_path(db), 0, &s, &e) != 0) {
        cli_error("import", e.msg);
        goto cleanup;
    }
    /* Programmes and tasks go to their own importer, after the figures (they name units). */
    int ncore = 0, ntask = 0;
    for (int k = 0; k < nsrc; k++) {
        import_source x = src[k];
        if (task_import_kind(x.data, x.len) != TI_NONE) {
            for (int j = k; j > ntask; j--)
                src[j] = src[j - 1];
            src[ntask++] = x;
        } else
            ncore++;
    }
    import_opts o = { .dry_run = dry, .who = who, .progress = isatty(2) };
    /* Through the write module: the model is loaded inside the write transaction (the catalogue
     * only for a small file, whose stored figures are looked up one by one), behind any other
     * writer, and every change is checked against the locks (write.h).  The command line writes
     * with an administrator's rights over the whole tree. */
    write_actor a = { who, ROLE_ADMIN, -1, "cli", 0, isatty(2) };
    if (ncore && write_import(s, &a, src + ntask, ncore, &o, &st, &errors, &m, &e) != 0) {
        fputs(buf_str(&errors), stderr);
        cli_error("import", e.msg);
        for (int k = ntask; k < nsrc; k++)      /* settings, not figures: say where they go */
            if (rule_file_is_rules(src[k].data, src[k].len) || outlier_file_is_bounds(src[k].data, src[k].len))
                fprintf(stderr, tr("chitieu import: '%s' là tệp quy tắc kiểm tra hoặc ngưỡng: nhập bằng 'chitieu rules import'\n",
                                   "chitieu import: '%s' is a rules or bounds file: load it with 'chitieu rules import'\n"),
                        src[k].name);
        goto cleanup;
    }
    if (ncore)
        cmd_import_summary(&st, dry);
    if (ntask && m == NULL && ((m = model_new()) == NULL || store_load_part(s, m, 0, &e) != 0)) {
        cli_error("import", m ? e.msg : "out of memory");
        goto cleanup;
    }
    if (ntask) {
        task_set ts = { 0 };
        long trows = 0;
        int r = store_task_load(s, &ts, &e) == 0 ? task_import(s, m, &ts, src, ntask, dry, &errors, &trows, &e) : -1;
        task_set_free(&ts);
        if (r != 0) {
            fputs(buf_str(&errors), stderr);
            cli_error("import", e.msg);
            goto cleanup;
        }
        printf(dry ? tr("  chương trình, nhiệm vụ: %ld dòng hợp lệ (chưa ghi)\n", "  programmes, tasks: %ld valid rows (not written)\n")
                   : tr("  chương trình, nhiệm vụ: %ld dòng\n", "  programmes, tasks: %ld rows\n"), trows);
    }
    rc = EXIT_OK;
cleanup:
    for (int i = 0; data && i < npos; i++)
        buf_free(&data[i]);
    for (int k = 0; k < nsheets; k++)
        buf_free(&sheets_csv[k]);
    free(sheets_csv);
    buf_free(&names);
    free(data);
    free(src);
    buf_free(&errors);
    store_close(s);
    model_free(m);
    return rc;
}
