/* xls_read.c - old .xls workbooks through libfreexl (see xlsx_read.h).
 *
 * FreeXL reads BIFF5/BIFF8 files from a path and hands out cell values (text already
 * converted to UTF-8 from the file's code page); each sheet becomes xlsx_sheet rows owned by
 * the result, so import treats it exactly like an .xlsx sheet.  FreeXL gives no fonts: the text
 * cells set in .VnTime / VNI fonts are found by xls_fonts.c (libgsf) and decoded as xlsx_read()
 * decodes them.  FreeXL does not read formulas' results of every kind, nor encrypted files: those
 * cells or files come back empty or refused.
 */
#include "xlsx_read.h"

#include "xls_fonts.h"

#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int xls_is_ole(const char *data, size_t len)
{
    return len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int xls_read_file(const char *path, xlsx_sheet **out, int *nout, err_t *e)
{
    const void *h = NULL;
    unsigned int nsheets = 0;
    xlsx_sheet *sheets = NULL;
    xls_legacy_set legacy = { 0 };
    buf conv = BUF_INIT;
    int rc = -1;
    *out = NULL;
    *nout = 0;
    if (freexl_open(path, &h) != FREEXL_OK) {
        err_set(e, tr("không đọc được tệp .xls (hỏng, có mật khẩu hoặc không phải Excel 97–2003)",
                      "cannot read the .xls file (damaged, password-protected or not Excel 97-2003)"));
        goto cleanup;
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) != FREEXL_OK || nsheets > 64) {
        err_set(e, "%s", tr("tệp .xls có số trang không hợp lệ", "the .xls file has an invalid sheet count"));
        goto cleanup;
    }
    if (xls_fonts_read(path, &legacy, e) != 0)
        goto cleanup;
    sheets = calloc(nsheets + 1, sizeof *sheets);
    if (sheets == NULL)
        goto oom;
    for (unsigned short k = 0; k < nsheets; k++) {
        const char *name = NULL;
        unsigned int rows = 0;
        unsigned short cols = 0;
        xlsx_sheet *sh = &sheets[*nout];
        if (freexl_get_worksheet_name(h, k, &name) != FREEXL_OK || freexl_select_active_worksheet(h, k) != FREEXL_OK ||
            freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
            continue;
        (*nout)++;
        sh->name = dup(name ? name : "");
        if (sh->name == NULL || (rows && (sh->rows = calloc(rows, sizeof *sh->rows)) == NULL))
            goto oom;
        for (unsigned int r = 0; r < rows; r++) {
            xlsx_row *row = &sh->rows[sh->nrows++];
            row->r = (long)r + 1;
            if (cols && (row->cell = calloc(cols, sizeof *row->cell)) == NULL)
                goto oom;
            row->n = cols;   /* only once the cells it counts exist: the clean-up frees n of them */
            for (unsigned short c = 0; c < cols; c++) {
                FreeXL_CellValue v;
                char num[64];
                const char *text = "";
                if (freexl_get_cell_value(h, r, c, &v) == FREEXL_OK) {
                    switch (v.type) {
                    case FREEXL_CELL_INT: snprintf(num, sizeof num, "%d", v.value.int_value); text = num; break;
                    case FREEXL_CELL_DOUBLE: snprintf(num, sizeof num, "%.15g", v.value.double_value); text = num; break;
                    case FREEXL_CELL_TEXT:
                    case FREEXL_CELL_SST_TEXT: {
                        int upper = 0, enc = xls_legacy_find(&legacy, k, r, c, &upper);
                        text = v.value.text_value ? v.value.text_value : "";
                        buf_reset(&conv);
                        if (enc > 0 && *text && xlsx_legacy_decode(text, enc, upper, &conv) == 0) {
                            text = buf_str(&conv);
                            sh->converted++;
                        }
                        break;
                    }
                    case FREEXL_CELL_DATE:
                    case FREEXL_CELL_DATETIME:
                    case FREEXL_CELL_TIME: text = v.value.text_value ? v.value.text_value : ""; break;
                    default: break;
                    }
                }
                if ((row->cell[c] = dup(text)) == NULL)
                    goto oom;
            }
        }
    }
    *out = sheets;
    sheets = NULL;
    rc = 0;
    goto cleanup;
oom:
    err_set(e, "out of memory");
cleanup:
    if (rc != 0) {
        xlsx_free(sheets, *nout);
        *nout = 0;
    }
    if (h)
        freexl_close(h);
    xls_legacy_free(&legacy);
    buf_free(&conv);
    return rc;
}
