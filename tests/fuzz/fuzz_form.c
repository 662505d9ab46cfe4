/* fuzz_form.c - libFuzzer harness for the HTTP parsers (src/http.c): url-encoded forms and
 * query strings, multipart bodies, and cookies.
 *
 * Data flow: the first byte picks the parser, the rest is its input.  Every parameter that
 * comes out must be valid UTF-8 without NUL (file parts excepted) and NUL-terminated at its
 * length.  Memory: the parameters belong to one call and are freed before it returns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "vn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *s = (const char *)data + 1;
    size_t n = size - 1;
    http_params p = { 0 };
    err_t e = { { 0 } };
    int rc;
    switch (data[0] % 3) {
    case 0:
        rc = http_parse_urlencoded(&p, s, n, &e);
        break;
    case 1:
        rc = http_parse_multipart(&p, "multipart/form-data; boundary=b0undary", s, n, &e);
        break;
    default: {
        char *z = malloc(n + 1), out[64];
        memcpy(z, s, n);
        z[n] = '\0';
        http_cookie(z, "chitieu_session", out, sizeof out);
        if (strlen(out) >= sizeof out)
            abort();
        free(z);
        return 0;
    }
    }
    if (rc != 0 && e.msg[0] == '\0')
        abort();
    for (int i = 0; i < p.n; i++) {
        const http_kv *kv = &p.kv[i];
        if (kv->v[kv->vlen] != '\0' || !vn_utf8_valid(kv->k, strlen(kv->k)))
            abort();
        if (kv->filename == NULL && (memchr(kv->v, 0, kv->vlen) || !vn_utf8_valid(kv->v, kv->vlen)))
            abort();
    }
    http_params_free(&p);
    return 0;
}
