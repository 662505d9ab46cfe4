/* xls_fonts.h - the text cells of an old .xls workbook (BIFF5/BIFF8) set in a legacy Vietnamese
 * font (.VnTime / .VnTimeH: TCVN3, VNI-Times: VNI), read from its FONT and XF records with
 * libgsf, since FreeXL (which reads the values) gives no fonts.  xls_read_file() uses it to
 * decode those cells as xlsx_read() does.  Hostile files are bounded: a Workbook stream of at
 * most 64 MiB, 4,096 fonts, 65,536 cell formats; a truncated record ends the walk. */
#ifndef CHITIEU_XLS_FONTS_H
#define CHITIEU_XLS_FONTS_H

#include <stddef.h>
#include "err.h"

typedef struct xls_legacy_cell {
    int sheet;                 /* 0-based, in the order of the workbook's sheets */
    unsigned row, col;         /* 0-based */
    signed char enc;           /* enum enc (ENC_TCVN3, ENC_VNI) */
    unsigned char upper;       /* a TCVN3 capitals ("H") font */
} xls_legacy_cell;

typedef struct xls_legacy_set {
    xls_legacy_cell *cells;    /* sorted by sheet, row, column; owned */
    size_t n, cap;
} xls_legacy_set;

/* Walks the BIFF records of a Workbook stream s[0..len); fills out (caller frees with
 * xls_legacy_free); returns 0, or -1 (out of memory). */
int xls_fonts_parse(const unsigned char *s, size_t len, xls_legacy_set *out, err_t *e);
/* Opens the OLE2 file at path and parses its Workbook (or BIFF5 Book) stream; 0 or -1. */
int xls_fonts_read(const char *path, xls_legacy_set *out, err_t *e);
/* The legacy encoding of the text cell (sheet, row, col), *upper set; or -1 for none. */
int xls_legacy_find(const xls_legacy_set *set, int sheet, unsigned row, unsigned col, int *upper);
/* Frees the cells; the set is empty afterwards. */
void xls_legacy_free(xls_legacy_set *set);

#endif
