/* fuzz_enc.c - libFuzzer harness for the legacy Vietnamese decoders (src/enc.h): arbitrary bytes
 * are detected and decoded in every encoding; each successful decode must be valid UTF-8, and
 * only UTF-8 input may be refused. */
#include <stddef.h>
#include <stdint.h>

#include "enc.h"
#include "vn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int det = enc_detect(s, size);
    if (det < ENC_UTF8 || det > ENC_CP1258)
        __builtin_trap();
    for (int enc = ENC_UTF8; enc <= ENC_CP1258; enc++)
        for (int upper = 0; upper < 2; upper++) {
            buf out = BUF_INIT;
            err_t e;
            int rc = enc_to_utf8(enc, s, size, upper, &out, &e);
            if (rc == 0 && !vn_utf8_valid(out.p ? out.p : "", out.len))
                __builtin_trap();
            if (rc != 0 && enc != ENC_UTF8)
                __builtin_trap();
            buf_free(&out);
        }
    return 0;
}
