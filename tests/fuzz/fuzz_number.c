/* fuzz_number.c - libFuzzer harness for Vietnamese text and numbers: number parsing (each
 * hint), NFC, sort keys and folding on arbitrary bytes; a parsed number must format. */
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "vn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    buf b = BUF_INIT;
    double v;
    for (int h = VN_DEC_AUTO; h <= VN_DEC_DOT; h++)
        if (vn_parse_number(s, size, (enum vn_dec)h, &v) == 0 &&
            (vn_format_number(v, 2, LANG_VI, &b) != 0 || vn_format_number_trim(v, 4, LANG_EN, &b) != 0))
            __builtin_trap();
    buf_reset(&b);
    int valid = vn_utf8_valid(s, size);
    if ((vn_nfc(s, size, &b) == 0) != valid)
        __builtin_trap();
    buf_reset(&b);
    if ((vn_sort_key(s, size, &b) == 0) != valid)
        __builtin_trap();
    buf_reset(&b);
    if ((vn_fold(s, size, &b) == 0) != valid)
        __builtin_trap();
    vn_width(s, size);
    buf_free(&b);
    return 0;
}
