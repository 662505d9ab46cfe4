/* xlsx_read.h - reading .xlsx workbooks (libzip + expat) into plain rows of text.
 *
 * xlsx_read() opens a workbook held in memory and returns every worksheet as rows of cell
 * texts: shared and inline strings as text, numbers and booleans as written in the file
 * ("1234.5", "1"), formulas as their cached values, numbers in a date format (built-in, or a
 * custom code with d/m/y outside quotes) as "YYYY-MM-DD" (1900 date system), as .xls dates are.  Text in
 * cells whose font is a legacy Vietnamese one (.VnTime/.VnTimeH: TCVN3, capitals for the "H"
 * fonts; VNI-Times: VNI) is decoded to Unicode (see enc.h).  The
 * caller owns the result (xlsx_free).  Hostile files are bounded: at most 64 MiB per part and
 * 256 MiB in all uncompressed, a compression ratio of 200 for large parts, 1,048,576 rows and
 * 16,384 columns per sheet, 64 sheets; DTDs and entities are refused (no entity expansion).
 */
#ifndef CHITIEU_XLSX_READ_H
#define CHITIEU_XLSX_READ_H

#include <stddef.h>
#include "buf.h"
#include "err.h"

typedef struct xlsx_row {
    long r;             /* 1-based row number in the sheet */
    size_t n;           /* cells (columns A.. up to the last non-empty one) */
    char **cell;        /* texts, "" for empty; owned */
} xlsx_row;

typedef struct xlsx_sheet {
    char *name;
    xlsx_row *rows;     /* in row order */
    size_t nrows;
    long converted;     /* text cells decoded from a legacy font (.VnTime: TCVN3, VNI-Times: VNI) */
} xlsx_sheet;

/* 1 if the bytes start like a zip archive (an .xlsx file). */
int xlsx_is_zip(const char *data, size_t len);
/* Reads every worksheet; on success *sheets (caller frees with xlsx_free) and *n are set. */
int xlsx_read(const char *data, size_t len, xlsx_sheet **sheets, int *n, err_t *e);
/* 1 if the bytes start like an OLE2 compound file (an old .xls workbook). */
int xls_is_ole(const char *data, size_t len);
/* Reads every worksheet of an old .xls file (BIFF5/BIFF8, via libfreexl; text arrives as UTF-8,
 * dates as YYYY-MM-DD) into the same row structures, text in legacy-font cells decoded as in
 * .xlsx (fonts from xls_fonts.h); caller frees with xlsx_free. */
int xls_read_file(const char *path, xlsx_sheet **sheets, int *n, err_t *e);
/* Decodes the text of a cell set in a legacy font (enc: enum enc; upper: a TCVN3 capitals font):
 * the file holds the Windows-1252 characters of the typed bytes; appends the Unicode text to
 * out and returns 0, or -1 (the text is not such bytes: the caller keeps it). */
int xlsx_legacy_decode(const char *text, int enc, int upper, buf *out);
/* Frees what xlsx_read returned. */
void xlsx_free(xlsx_sheet *sheets, int n);
/* Writes the sheet as CSV text from its header row on: the header is the first of the first 50
 * rows for which is_header(cells, n) is true (trailing empty cells dropped); earlier rows become
 * blank lines so CSV row numbers stay sheet row numbers.  Returns 1 when written, 0 when no row
 * is a header, -1 on OOM. */
int xlsx_sheet_csv(const xlsx_sheet *sh, int (*is_header)(const char *const *cells, size_t n),
                   buf *out);

#endif
