/* api_parse.c - the JSON body of POST /api/v1/values into rows (see api.h); pure, so the
 * fuzzer drives it alone.  Every field is checked for type and length (a comment's in
 * characters); unknown fields are refused with the row and field named.  A problem of one row
 * is recorded and the parse goes on, so a client learns every problem at once. */
#include "api.h"
#include "liberr.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

size_t api_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Appends "ROW\tFIELD\tCODE\tMESSAGE\n" (tabs and newlines of the message made spaces). */
static void row_problem(buf *errs, size_t row, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void row_problem(buf *errs, size_t row, const char *field, const char *code, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    buf_printf(errs, "%zu\t", row);
    for (const char *p = field; *p; p++)        /* a field name is the client's (unknown_field) */
        buf_addc(errs, *p == '\t' || *p == '\n' ? ' ' : *p);
    buf_printf(errs, "\t%s\t", code);
    for (const char *p = msg; *p; p++)
        buf_addc(errs, *p == '\t' || *p == '\n' ? ' ' : *p);
    buf_addc(errs, '\n');
}

/* One field of row k into x; a problem is appended to errs. */
static void parse_field(api_value_row *x, size_t k, const char *key, json_t *v, const char *vkey, buf *errs)
{
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
    else if (strcmp(key, "comment") == 0 && strcmp(vkey, "value") == 0)
        dst = x->comment, cap = sizeof x->comment, x->has_comment = 1;
    else if (strcmp(key, vkey) == 0) {
        if (json_is_number(v) && isfinite(json_number_value(v))) {
            x->value = json_number_value(v);
            x->has_value = 1;
        } else
            row_problem(errs, k, vkey, "bad_type", "%s", tr("cần một số", "a number expected"));
        return;
    } else if (strcmp(key, "expected") == 0) {
        /* optimistic concurrency: the value the client last saw, or null for none */
        if (json_is_null(v))
            x->expected_none = 1;
        else if (json_is_number(v) && isfinite(json_number_value(v)))
            x->expected = json_number_value(v);
        else {
            row_problem(errs, k, "expected", "bad_type", "%s", tr("cần một số hoặc null", "a number or null expected"));
            return;
        }
        x->has_expected = 1;
        return;
    } else {
        row_problem(errs, k, key, "unknown_field", tr("trường không được chấp nhận: '%s'", "unknown field: '%s'"), key);
        return;
    }
    if (s == NULL || memchr(s, 0, sl)) {
        row_problem(errs, k, key, "bad_type", "%s", tr("cần một chuỗi", "a string expected"));
        return;
    }
    if (sl >= cap || (dst == x->comment && api_utf8_chars(s) > API_COMMENT_MAX)) {
        if (dst == x->comment)
            row_problem(errs, k, key, "too_long", tr("dài quá %d ký tự", "longer than %d characters"), API_COMMENT_MAX);
        else
            row_problem(errs, k, key, "too_long", tr("dài quá %zu byte", "longer than %zu bytes"), cap - 1);
        return;
    }
    memcpy(dst, s, sl + 1);
}

int api_parse_values_all(const char *body, size_t len, api_value_row **out, int *n, buf *rowerrs,
                         err_t *e)
{
    return api_parse_rows(body, len, 0, out, n, rowerrs, e);
}

int api_parse_rows(const char *body, size_t len, int targets, api_value_row **out, int *n, buf *rowerrs,
                   err_t *e)
{
    const char *list = targets ? "targets" : "values", *vkey = targets ? "target" : "value";
    json_error_t je;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    api_value_row *rows = NULL;
    *out = NULL;
    *n = 0;
    if (j == NULL)
        return err_set(e, tr("JSON không hợp lệ (dòng %d, cột %d): %s", "invalid JSON (line %d, column %d): %s"),
                       je.line, je.column, liberr_json(&je));
    json_t *vals = json_is_object(j) ? json_object_get(j, list) : NULL;
    const char *key;
    json_t *v;
    int rc = -1;
    if (json_is_object(j))
        json_object_foreach(j, key, v) if (strcmp(key, list) != 0) {
            err_set(e, tr("trường không được chấp nhận: '%s'", "unknown field: '%s'"), key);
            goto cleanup;
        }
    if (!json_is_array(vals) || json_array_size(vals) == 0 || json_array_size(vals) > 10000) {
        err_set(e, tr("cần {\"%s\": [ {indicator, unit, period, %s}, ... ]} với 1 đến 10000 dòng",
                      "expected {\"%s\": [ {indicator, unit, period, %s}, ... ]} with 1 to 10000 rows"), list, vkey);
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
        size_t before = rowerrs->len;
        if (!json_is_object(r)) {
            row_problem(rowerrs, k, "", "not_object", "%s", tr("cần một đối tượng", "an object expected"));
            x->bad = 1;
            continue;
        }
        json_object_foreach(r, key, v)
            parse_field(x, k, key, v, vkey, rowerrs);
        const char *const need[] = { "indicator", "unit", "period", vkey };
        const int have[] = { x->ind[0] != 0, x->unit[0] != 0, x->period[0] != 0, x->has_value };
        for (int f = 0; f < 4; f++)
            if (!have[f] && json_object_get(r, need[f]) == NULL)
                row_problem(rowerrs, k, need[f], "missing_field", "%s", tr("thiếu trường bắt buộc", "required field missing"));
            else if (!have[f] && f < 3 && rowerrs->len == before)
                row_problem(rowerrs, k, need[f], "missing_field", "%s", tr("không được để trống", "must not be empty"));
        x->bad = rowerrs->len != before;
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

int api_parse_values(const char *body, size_t len, api_value_row **out, int *n, err_t *e)
{
    buf errs = BUF_INIT;
    int rc = api_parse_values_all(body, len, out, n, &errs, e);
    if (rc == 0 && errs.len) {
        /* "ROW\tFIELD\tCODE\tMESSAGE": the first problem */
        const char *s = buf_str(&errs), *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        const char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL, *nl = strchr(s, '\n');
        err_set(e, tr("dòng %d, trường %.*s: %.*s", "row %d, field %.*s: %.*s"), atoi(s), t1 && t2 ? (int)(t2 - t1 - 1) : 0,
                t1 ? t1 + 1 : "", t3 && nl ? (int)(nl - t3 - 1) : 0, t3 ? t3 + 1 : "");
        free(*out);
        *out = NULL;
        *n = 0;
        rc = -1;
    }
    buf_free(&errs);
    return rc;
}
