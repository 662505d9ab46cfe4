/* api.h - the JSON body parser of the API (separate so the fuzzer can drive it alone). */
#ifndef CHITIEU_API_H
#define CHITIEU_API_H

#include <stddef.h>
#include "err.h"

typedef struct api_value_row {
    char ind[64], unit[64], period[16];
    double value;
    int has_value;
    char comment[512];
    int has_comment;
    double expected;             /* optimistic concurrency: the value the client saw */
    int has_expected, expected_none;
} api_value_row;

/* Parses {"values":[{"indicator","unit","period","value","comment"?,"expected"?}, ...]} (1 to
 * 10000 rows, no other fields); *out (caller frees) gets the rows.  Returns 0 or -1 with a
 * message naming the row and field. */
int api_parse_values(const char *body, size_t len, api_value_row **out, int *n, err_t *e);

#endif
