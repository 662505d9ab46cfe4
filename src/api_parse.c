/* api_parse.c - the JSON body of POST /api/v1/values into rows (see api.h); pure, so the
 * fuzzer drives it alone.  Every field is checked for type and length; unknown fields are
 * refused with the row and field named. */
#include "api.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int api_parse_values(const char *body, size_t len, api_value_row **out, int *n, err_t *e)
{
    json_error_t je;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    api_value_row *rows = NULL;
    *out = NULL;
    *n = 0;
    if (j == NULL)
        return err_set(e, tr("JSON không hợp lệ (dòng %d, cột %d): %s", "invalid JSON (line %d, column %d): %s"),
                       je.line, je.column, je.text);
    json_t *vals = json_is_object(j) ? json_object_get(j, "values") : NULL;
    const char *key;
    json_t *v;
    int rc = -1;
    if (json_is_object(j))
        json_object_foreach(j, key, v) if (strcmp(key, "values") != 0) {
            err_set(e, tr("trường không được chấp nhận: '%s'", "unknown field: '%s'"), key);
            goto cleanup;
        }
    if (!json_is_array(vals) || json_array_size(vals) == 0 || json_array_size(vals) > 10000) {
        err_set(e, tr("cần {\"values\": [ {indicator, unit, period, value}, ... ]} với 1 đến 10000 dòng",
                      "expected {\"values\": [ {indicator, unit, period, value}, ... ]} with 1 to 10000 rows"));
        goto cleanup;
    }
    size_t cnt = json_array_size(vals);
    rows = calloc(cnt, sizeof *rows);
    if (rows == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (size_t k = 0; k < cnt; k++) {
        json_t *r = json_array_get(vals, k);
        api_value_row *x = &rows[k];
        if (!json_is_object(r)) {
            err_set(e, tr("dòng %zu: cần một đối tượng", "row %zu: an object expected"), k);
            goto cleanup;
        }
        json_object_foreach(r, key, v) {
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            size_t sl = s ? json_string_length(v) : 0;
            char *dst = NULL;
            size_t cap = 0;
            if (strcmp(key, "indicator") == 0)
                dst = x->ind, cap = sizeof x->ind;
            else if (strcmp(key, "unit") == 0)
                dst = x->unit, cap = sizeof x->unit;
            else if (strcmp(key, "period") == 0)
                dst = x->period, cap = sizeof x->period;
            else if (strcmp(key, "comment") == 0)
                dst = x->comment, cap = sizeof x->comment, x->has_comment = 1;
            else if (strcmp(key, "value") == 0) {
                if (!json_is_number(v) || !isfinite(json_number_value(v))) {
                    err_set(e, tr("dòng %zu, trường value: cần một số", "row %zu, field value: a number expected"), k);
                    goto cleanup;
                }
                x->value = json_number_value(v);
                x->has_value = 1;
                continue;
            } else if (strcmp(key, "expected") == 0) {
                /* optimistic concurrency: the value the client last saw, or null for none */
                if (json_is_null(v))
                    x->expected_none = 1;
                else if (json_is_number(v))
                    x->expected = json_number_value(v);
                else {
                    err_set(e, tr("dòng %zu, trường expected: cần một số hoặc null",
                                  "row %zu, field expected: a number or null expected"), k);
                    goto cleanup;
                }
                x->has_expected = 1;
                continue;
            } else {
                err_set(e, tr("dòng %zu: trường không được chấp nhận: '%s'", "row %zu: unknown field: '%s'"), k, key);
                goto cleanup;
            }
            if (s == NULL || sl >= cap || memchr(s, 0, sl)) {
                err_set(e, tr("dòng %zu, trường %s: cần một chuỗi ngắn hơn %zu byte",
                              "row %zu, field %s: a string shorter than %zu bytes expected"), k, key, cap);
                goto cleanup;
            }
            memcpy(dst, s, sl + 1);
        }
        if (!x->ind[0] || !x->unit[0] || !x->period[0] || !x->has_value) {
            err_set(e, tr("dòng %zu: cần indicator, unit, period và value", "row %zu: indicator, unit, period and value required"), k);
            goto cleanup;
        }
    }
    *out = rows;
    *n = (int)cnt;
    rows = NULL;
    rc = 0;
cleanup:
    free(rows);
    json_decref(j);
    return rc;
}
