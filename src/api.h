/* api.h - the JSON body parser of the API (separate so the fuzzer can drive it alone). */
#ifndef CHITIEU_API_H
#define CHITIEU_API_H

#include <stddef.h>
#include "err.h"

#include "buf.h"

#define API_COMMENT_MAX 500      /* characters (UTF-8 code points) of a value's comment */

typedef struct api_value_row {
    char ind[64], unit[64], period[16];
    double value;
    int has_value;
    char comment[API_COMMENT_MAX * 4 + 4];
    int has_comment;
    double expected;             /* optimistic concurrency: the value the client saw */
    int has_expected, expected_none;
    int bad;                     /* a problem of this row was reported (api_parse_values_all) */
} api_value_row;

/* Parses {"values":[{"indicator","unit","period","value","comment"?,"expected"?}, ...]} (1 to
 * 10000 rows, no other fields); *out (caller frees) gets the rows.  Returns 0 or -1 with a
 * message naming the first bad row and field. */
int api_parse_values(const char *body, size_t len, api_value_row **out, int *n, err_t *e);
/* The same, but a problem of a row does not stop the parse: each is appended to rowerrs as
 * "ROW\tFIELD\tCODE\tMESSAGE\n" (CODE: bad_type, too_long, unknown_field, missing_field,
 * not_object) and the row marked bad; -1 (e) only when the body itself is not such a document. */
int api_parse_values_all(const char *body, size_t len, api_value_row **out, int *n, buf *rowerrs,
                         err_t *e);
/* The same for {"targets":[{"indicator","unit","period","target","expected"?}, ...]} when
 * targets != 0 (the figure goes to `value`; targets have no comment). */
int api_parse_rows(const char *body, size_t len, int targets, api_value_row **out, int *n, buf *rowerrs,
                   err_t *e);
/* The number of UTF-8 code points of s (continuation bytes not counted). */
size_t api_utf8_chars(const char *s);

#endif
