/* csv.h - RFC 4180 CSV reader over a memory buffer.
 *
 * The reader borrows the input (caller keeps it alive) and owns the field
 * storage, which is reused on every csv_next() call.  A UTF-8 BOM is skipped.
 * The separator is ',' or ';', chosen from the header line: the one that
 * occurs more often outside quotes (',' on a tie).  Quoted fields may hold
 * separators, doubled quotes and CR/LF line breaks; lines end in LF or CRLF.
 * csv_read_table reads a whole file under a fixed header into an array the caller owns, a
 * caller's function turning each data row into an item (the rules and bounds files use it).
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

/* 1 if rec is exactly the header cols[0..ncols). */
int csv_header_is(const csv_record *rec, const char *const *cols, size_t ncols);
/* 1 if the first record of data[0..len) is exactly the header cols[0..ncols). */
int csv_starts_with_header(const char *data, size_t len, const char *const *cols, size_t ncols);

struct buf;

/* Fills item from one data row rec (items[0..n) are the rows taken before it); returns 0, or -1
 * with one "NAME, dòng R, cột C (TÊN): ..." line appended to errors and nothing left to free. */
typedef int (*csv_row_fn)(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                          struct buf *errors);

/* A table csv_read_table reads: its exact header, and what each data row becomes. */
typedef struct csv_table {
    const char *const *cols;  /* the header's column names */
    size_t ncols;
    size_t size;              /* bytes per item */
    csv_row_fn row;           /* parses one row into an item */
    void (*drop)(void *item); /* frees what an item holds (not the item); NULL = nothing */
    void *ctx;                /* row's first argument */
} csv_table;

/* Reads data (file name) under t's header, one item per data row into *items (the caller frees)
 * and *n; returns the number of rows refused (each, and a reading error, noted in errors), or -1
 * with e set when the header is missing or on OOM; unless 0, *items is NULL and *n 0. */
int csv_read_table(const char *name, const char *data, size_t len, const csv_table *t, void **items, int *n,
                   struct buf *errors, err_t *e);

/* Appends s as one RFC 4180 field to out, quoted when it holds ',', ';', '"', CR or LF;
 * returns 0 or -1 (OOM). */
int csv_write_field(struct buf *out, const char *s);

#endif
