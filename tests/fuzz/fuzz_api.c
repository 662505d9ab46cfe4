/* fuzz_api.c - libFuzzer harness for the API's JSON body parser (src/api_parse.c).
 *
 * Data flow: the bytes are parsed as a POST /api/v1/values body; on success every row must
 * hold NUL-terminated fields that fit their arrays and a finite value; on failure a message.
 * Then as a POST /api/v1/targets body collecting every row's problem: each one line of four
 * tab-separated fields, every row not marked bad complete.
 * Memory: the rows belong to one call and are freed before it returns.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    api_value_row *rows = NULL;
    int n = 0;
    err_t e = { { 0 } };
    if (api_parse_values((const char *)data, size, &rows, &n, &e) == 0) {
        if (n < 1 || n > 10000)
            abort();
        for (int i = 0; i < n; i++) {
            if (memchr(rows[i].ind, 0, sizeof rows[i].ind) == NULL || !rows[i].ind[0] ||
                memchr(rows[i].period, 0, sizeof rows[i].period) == NULL || !isfinite(rows[i].value))
                abort();
        }
        free(rows);
    } else if (e.msg[0] == '\0' || rows != NULL)
        abort();
    /* the targets form, every row's problem collected: each problem is one line of four fields */
    buf errs = BUF_INIT;
    if (api_parse_rows((const char *)data, size, 1, &rows, &n, &errs, &e) == 0) {
        if (n < 1 || n > 10000)
            abort();
        for (const char *s = buf_str(&errs); *s;) {
            const char *nl = strchr(s, '\n');
            int tabs = 0;
            if (nl == NULL)
                abort();
            for (const char *t = s; t < nl; t++)
                tabs += *t == '\t';
            if (tabs != 3)
                abort();
            s = nl + 1;
        }
        for (int i = 0; i < n; i++)
            if (!rows[i].bad && (!rows[i].ind[0] || !isfinite(rows[i].value)))
                abort();
        free(rows);
    } else if (e.msg[0] == '\0' || rows != NULL)
        abort();
    buf_free(&errs);
    return 0;
}
