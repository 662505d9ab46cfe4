/* csv.h - RFC 4180 CSV reader over a memory buffer.
 *
 * The reader borrows the input (caller keeps it alive) and owns the field
 * storage, which is reused on every csv_next() call.  A UTF-8 BOM is skipped.
 * The separator is ',' or ';', chosen from the header line: the one that
 * occurs more often outside quotes (',' on a tie).  Quoted fields may hold
 * separators, doubled quotes and CR/LF line breaks; lines end in LF or CRLF.
 */
#ifndef CHITIEU_CSV_H
#define CHITIEU_CSV_H

#include <stddef.h>
#include "err.h"

typedef struct csv_reader csv_reader;

typedef struct csv_record {
    size_t nfields;
    const char **field; /* NUL-terminated, unquoted field texts */
    const size_t *len;  /* their lengths (a field may contain no NUL: see csv_next) */
    long row;           /* 1-based record number: the header is row 1, as a spreadsheet shows it */
    long line;          /* 1-based physical line where the record starts */
} csv_record;

/* Creates a reader over data[0..len); returns NULL on OOM; free with csv_close. */
csv_reader *csv_open(const char *data, size_t len);
/* Frees the reader and its field storage. */
void csv_close(csv_reader *r);
/* The separator in use (',' or ';'), known after the first csv_next. */
char csv_separator(const csv_reader *r);
/* Reads the next record into rec (valid until the next call): returns 1, 0 at end of input, -1 on
 * error (text after a closing quote, unterminated quote, NUL byte, more than 4096 fields or a field
 * over 1 MiB) with a message naming the row, line and column.  Blank lines are skipped. */
int csv_next(csv_reader *r, csv_record *rec, err_t *e);

/* Appends s as one RFC 4180 field to out, quoted when it holds ',', ';', '"', CR or LF;
 * returns 0 or -1 (OOM). */
struct buf;
int csv_write_field(struct buf *out, const char *s);

#endif
