/* cmd_convert.c - `chitieu convert`: legacy Vietnamese text (TCVN3/ABC, VNI, VIQR, CP1258) to
 * NFC Unicode.  A text or CSV file is decoded whole (the encoding detected from its bytes and
 * letters, or given by --encoding); an .xlsx or old .xls workbook is decoded cell by cell from
 * each cell's font and written as a plain .xlsx workbook of the same sheets, numbers kept as
 * numbers.  Any other binary file (NUL bytes: a PDF, an image, UTF-16 text) is refused: decoding
 * it as text would write a corrupt file. */
#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

#include "cli.h"
#include "cmd.h"
#include "enc.h"
#include "import_text.h"
#include "vn.h"
#include "xlsx_read.h"

/* Decodes text bytes; enc < 0 means detect, leniently (the best-scoring legacy encoding), except
 * that a mostly-UTF-8 text with a bad byte is refused where it is, as import does (cmd.h). */
int cmd_decode_text(const char *name, const char *data, size_t len, int enc, int upper, buf *out,
                    int *used, err_t *e)
{
    if (enc < 0 && !vn_utf8_valid(data, len) && enc_mostly_utf8(data, len)) {
        import_text_info info;
        *used = ENC_UTF8;
        return import_text_decode(name, data, len, IMPORT_ENC_AUTO, upper, out, &info, e);
    }
    if (enc < 0)
        enc = enc_detect(data, len);
    *used = enc;
    if (enc_to_utf8(enc, data, len, upper, out, e) != 0)
        return err_prefix(e, "%s", name);
    return 0;
}

/* Writes the sheets as a plain .xlsx workbook: numbers as numbers, the rest as text. */
static int write_sheets(const char *in, xlsx_sheet *sh, int n, const char *out, err_t *e)
{
    lxw_workbook *wb = workbook_new(out);
    long conv = 0;
    for (int k = 0; wb && k < n; k++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, sh[k].name);
        conv += sh[k].converted;
        for (size_t r = 0; ws && r < sh[k].nrows; r++)
            for (size_t c = 0; c < sh[k].rows[r].n; c++) {
                const char *t = sh[k].rows[r].cell[c];
                double v;
                if (*t == '\0')
                    continue;
                if (vn_parse_number(t, strlen(t), VN_DEC_DOT, &v) == 0 && strchr(t, ',') == NULL)
                    worksheet_write_number(ws, (lxw_row_t)(sh[k].rows[r].r - 1), (lxw_col_t)c, v, NULL);
                else
                    worksheet_write_string(ws, (lxw_row_t)(sh[k].rows[r].r - 1), (lxw_col_t)c, t, NULL);
            }
    }
    if (wb == NULL || workbook_close(wb) != LXW_NO_ERROR)
        return err_set(e, tr("không ghi được '%s'", "cannot write '%s'"), out);
    fprintf(stderr, tr("%s: đã chuyển %ld ô từ phông chữ TCVN3/VNI sang Unicode; ghi %s\n",
                       "%s: converted %ld cells from TCVN3/VNI fonts to Unicode; wrote %s\n"), in, conv, out);
    return 0;
}

/* An .xlsx (data in memory) or an old .xls (read from its path) to a plain .xlsx at out. */
static int convert_workbook(const char *in, const buf *data, int ole, const char *out, err_t *e)
{
    xlsx_sheet *sh;
    int n;
    if ((ole ? xls_read_file(in, &sh, &n, e) : xlsx_read(buf_str(data), data->len, &sh, &n, e)) != 0)
        return err_prefix(e, "%s", in);
    int rc = write_sheets(in, sh, n, out, e);
    xlsx_free(sh, n);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    const char *encname = NULL, *outpath = NULL;
    int help, npos, rc, upper = 0;
    const cli_opt opts[] = { { "--encoding", NULL, &encname, NULL }, { "--upper", NULL, NULL, &upper },
                             { "--output", "-o", &outpath, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu convert [--encoding tcvn3|vni|viqr|cp1258|utf8] [--upper] TỆP [-o TỆP]\n"
                "Chuyển văn bản tiếng Việt mã cũ (TCVN3/ABC, VNI, VIQR, CP1258) sang Unicode dựng sẵn (NFC).\n"
                "Tệp văn bản, CSV: tự nhận biết bảng mã (hoặc --encoding); --upper: văn bản TCVN3 gõ bằng\n"
                "phông chữ hoa (.VnTimeH). Tệp .xlsx, .xls: chuyển từng ô theo phông chữ của ô, ghi ra .xlsx\n"
                "(-o), số giữ nguyên là số. Tệp nhị phân khác bị từ chối.",
                "Usage: chitieu convert [--encoding tcvn3|vni|viqr|cp1258|utf8] [--upper] FILE [-o FILE]\n"
                "Converts legacy Vietnamese text (TCVN3/ABC, VNI, VIQR, CP1258) to Unicode NFC. Text and\n"
                "CSV files: the encoding is detected (or --encoding); --upper: TCVN3 text set in a capitals\n"
                "font (.VnTimeH). .xlsx and .xls files: each cell by its font, written to an .xlsx file (-o),\n"
                "numbers kept as numbers. Other binary files are refused."));
        return EXIT_OK;
    }
    if (npos != 1) {
        cli_error("convert", tr("cần đúng một tệp", "exactly one file is needed"));
        return EXIT_USAGE;
    }
    int enc = -1;
    if (encname && (enc = enc_parse_name(encname)) < 0) {
        cli_error("convert", tr("--encoding cần tcvn3, vni, viqr, cp1258 hoặc utf8",
                                "--encoding takes tcvn3, vni, viqr, cp1258 or utf8"));
        return EXIT_USAGE;
    }
    buf data = BUF_INIT, out = BUF_INIT;
    err_t e;
    rc = EXIT_FAIL;
    if (cli_read_file("convert", argv[1], &data) != 0)
        goto cleanup;
    int ole = xls_is_ole(buf_str(&data), data.len);
    if (xlsx_is_zip(buf_str(&data), data.len) || ole) {
        if (outpath == NULL || strcmp(outpath, "-") == 0) {
            cli_error("convert", ole ? tr("tệp .xls cần -o TỆP.xlsx", "an .xls file needs -o FILE.xlsx")
                                     : tr("tệp .xlsx cần -o TỆP.xlsx", "an .xlsx file needs -o FILE.xlsx"));
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (convert_workbook(argv[1], &data, ole, outpath, &e) != 0) {
            cli_error("convert", e.msg);
            goto cleanup;
        }
        rc = EXIT_OK;
        goto cleanup;
    }
    static const char *const magic[] = { "%PDF-", "\x89PNG", "\xFF\xD8\xFF", "GIF8", "{\\rtf" };
    int binary = memchr(buf_str(&data), '\0', data.len < 65536 ? data.len : 65536) != NULL;
    for (size_t k = 0; k < sizeof magic / sizeof magic[0]; k++)
        binary |= data.len >= strlen(magic[k]) && memcmp(data.p, magic[k], strlen(magic[k])) == 0;
    if (binary) {
        int utf16 = data.len >= 2 && ((unsigned char)data.p[0] == 0xFF || (unsigned char)data.p[0] == 0xFE);
        cli_error("convert", utf16 ? tr("tệp là văn bản UTF-16: hãy lưu lại dạng UTF-8 (\"CSV UTF-8\")",
                                        "the file is UTF-16 text: save it as UTF-8 (\"CSV UTF-8\")")
                                   : tr("tệp nhị phân, không chuyển được: chỉ nhận văn bản, CSV, .xlsx và .xls; không ghi gì",
                                        "a binary file, which cannot be converted: only text, CSV, .xlsx and .xls are; nothing written"));
        goto cleanup;
    }
    int used;
    if (cmd_decode_text(argv[1], buf_str(&data), data.len, enc, upper, &out, &used, &e) != 0) {
        cli_error("convert", e.msg);
        goto cleanup;
    }
    fprintf(stderr, tr("%s: bảng mã %s%s\n", "%s: encoding %s%s\n"), argv[1], enc_name(used),
            enc < 0 ? tr(" (tự nhận biết)", " (detected)") : "");
    rc = cli_write("convert", outpath, &out) ? EXIT_FAIL : EXIT_OK;
cleanup:
    buf_free(&data);
    buf_free(&out);
    return rc;
}
