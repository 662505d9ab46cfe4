/* fuzz_enc.c - libFuzzer harness for the legacy Vietnamese decoders (src/enc.h): arbitrary bytes
 * are detected and decoded in every encoding; each successful decode must be valid UTF-8, and
 * only UTF-8 input may be refused.  The strict guess of imports (enc_guess, import_text.h) must
 * agree with vn_utf8_valid, and a refused file must be located at a sane row and column. */
#include <stddef.h>
#include <stdint.h>

#include "enc.h"
#include "import_text.h"
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
    size_t bad = enc_utf8_bad_at(s, size);
    if ((bad == size) != vn_utf8_valid(s, size))
        __builtin_trap();
    int up = 0, g = enc_guess(s, size, &up);
    if (g < -1 || g > ENC_CP1258 || g == ENC_VIQR || ((g == ENC_UTF8) != (bad == size)))
        __builtin_trap();
    buf out = BUF_INIT;
    err_t e;
    import_text_info info;
    if (import_text_decode("f.csv", s, size, IMPORT_ENC_AUTO, 0, &out, &info, &e) == 0) {
        if (!vn_utf8_valid(out.p ? out.p : "", out.len) || info.enc != g)
            __builtin_trap();
    } else if (g >= 0 || e.msg[0] == '\0') {
        __builtin_trap();
    }
    buf_free(&out);
    long row, col, line;
    import_text_locate(s, size, bad, &row, &col, &line);
    if (row < 1 || col < 1 || line < row)
        __builtin_trap();
    return 0;
}
