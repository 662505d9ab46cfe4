/* import_text.h - the bytes of an imported CSV (or text) file to NFC UTF-8, never by guesswork.
 *
 * Valid UTF-8 is taken as it is; a legacy encoding only when the caller names it or when the
 * whole file decodes cleanly in it and is not mostly UTF-8 (enc_guess); anything else is an error
 * naming the file, the row and column of the CSV record and the byte, so a mostly-UTF-8 file with
 * one bad byte is refused instead of stored garbled.  Pure over bytes; the caller owns every buf.
 */
#ifndef CHITIEU_IMPORT_TEXT_H
#define CHITIEU_IMPORT_TEXT_H

#include <stddef.h>
#include "buf.h"
#include "err.h"

#define IMPORT_ENC_AUTO (-1)

typedef struct import_text_info {
    int enc;       /* the encoding read (enum enc) */
    int guessed;   /* 1 when it was detected rather than named */
    int upper;     /* TCVN3 read as set in an "H" (capitals) font */
} import_text_info;

/* Parses an --encoding value: "auto" gives IMPORT_ENC_AUTO, the names of enc_parse_name their
 * enum enc; returns 0, or -1 for any other name. */
int import_text_encoding(const char *name, int *enc);
/* Decodes data[0..len) of the file called name into out as NFC UTF-8 (a UTF-8 BOM dropped).
 * enc is an enum enc or IMPORT_ENC_AUTO; upper reads TCVN3 as an "H" font (also a guessed TCVN3).  Returns 0 with *info
 * set, or -1 with e naming the file, row, column and byte that is not UTF-8 (and what to do). */
int import_text_decode(const char *name, const char *data, size_t len, int enc, int upper, buf *out,
                       import_text_info *info, err_t *e);
/* Where byte offset off of CSV text data[0..len) lies: the record's spreadsheet row (as csv.h
 * numbers them), its 1-based field column and physical line. */
void import_text_locate(const char *data, size_t len, size_t off, long *row, long *col, long *line);
/* Appends to out up to max_lines lines (each cut at 200 bytes) of UTF-8 text, for a preview. */
int import_text_sample(const char *text, size_t len, int max_lines, buf *out);

#endif
