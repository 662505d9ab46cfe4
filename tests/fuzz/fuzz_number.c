/* fuzz_number.c - libFuzzer harness for vn.c on arbitrary bytes: vn_parse_number with each
 * hint, vn_nfc, vn_sort_key, vn_fold, vn_width, vn_format_time and vn_format_time_s.
 *
 * Besides crashes and sanitizer reports it traps when an invariant breaks:
 *   - a parsed number is finite, formats in both styles, and the Vietnamese (English) text
 *     parses back with the comma (dot) hint to within the rounding;
 *   - vn_nfc, vn_sort_key and vn_fold succeed exactly when the input is valid UTF-8, and
 *     leave the buf untouched when they fail;
 *   - NFC is idempotent, and the NFC form has the same fold and the same sort key up to the
 *     raw-byte tail as the input;
 *   - vn_format_time (on the first 63 bytes) appends nothing when it fails and, when it works,
 *     a local time "d/m/yyyy HH:mm" (16 characters at most) whose minutes match the input's;
 *     vn_format_time_s works on the same inputs and gives that text and ":SS", the input's
 *     seconds or ":00" when it has none.
 * All memory is in local bufs freed before returning.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "vn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static void check_number(double v)
{
    CHECK(isfinite(v));
    for (int lang = LANG_VI; lang <= LANG_EN; lang++) {
        for (int dec = 0; dec <= 9; dec += 3) {
            buf b = BUF_INIT;
            CHECK(vn_format_number(v, dec, lang, &b) == 0);
            buf_reset(&b);
            CHECK(vn_format_number_trim(v, dec, lang, &b) == 0);
            double back;
            enum vn_dec hint = lang == LANG_VI ? VN_DEC_COMMA : VN_DEC_DOT;
            if (b.len <= 200) {
                CHECK(vn_parse_number(buf_str(&b), b.len, hint, &back) == 0);
                CHECK(fabs(back - v) <= 0.5 * pow(10, -dec) + 1e-13 * fabs(v));
            }
            buf_free(&b);
        }
    }
}

/* Runs f on s, checks success matches validity and failure leaves out alone. */
static int run(int (*f)(const char *, size_t, buf *), const char *s, size_t size, int valid, buf *out)
{
    buf_reset(out);
    CHECK(buf_addc(out, '#') == 0);
    int rc = f(s, size, out);
    CHECK((rc == 0) == valid);
    CHECK(rc == 0 || (out->len == 1 && buf_str(out)[0] == '#'));
    return rc;
}

static void check_time(const uint8_t *data, size_t size)
{
    char iso[64];
    size_t n = size < sizeof iso - 1 ? size : sizeof iso - 1;
    memcpy(iso, data, n);
    iso[n] = '\0';
    for (int lang = LANG_VI; lang <= LANG_EN; lang++) {
        buf b = BUF_INIT, bs = BUF_INIT;
        int rc = vn_format_time(iso, lang, &b), rcs = vn_format_time_s(iso, lang, &bs);
        CHECK(rc == 0 || b.len == 0);
        CHECK(rcs == rc && (rcs == 0 || bs.len == 0));
        if (rc == 0) {
            const char *t = buf_str(&b), *ts = buf_str(&bs);
            CHECK(b.len >= 11 && b.len <= 16 && t[b.len - 3] == ':');
            CHECK(t[b.len - 2] == iso[14] && t[b.len - 1] == iso[15]);   /* +7 h keeps the minutes */
            int has_sec = iso[16] == ':';
            CHECK(bs.len == b.len + 3 && memcmp(ts, t, b.len) == 0 && ts[b.len] == ':');
            CHECK(ts[b.len + 1] == (has_sec ? iso[17] : '0') && ts[b.len + 2] == (has_sec ? iso[18] : '0'));
        }
        buf_free(&b);
        buf_free(&bs);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_time(data, size);
    const char *s = (const char *)data;
    double v;
    for (int h = VN_DEC_AUTO; h <= VN_DEC_DOT; h++)
        if (vn_parse_number(s, size, (enum vn_dec)h, &v) == 0)
            check_number(v);

    int valid = vn_utf8_valid(s, size);
    buf nfc = BUF_INIT, nfc2 = BUF_INIT, k1 = BUF_INIT, k2 = BUF_INIT, f1 = BUF_INIT, f2 = BUF_INIT;
    run(vn_nfc, s, size, valid, &nfc);
    run(vn_sort_key, s, size, valid, &k1);
    run(vn_fold, s, size, valid, &f1);
    (void)vn_width(s, size);
    if (valid) {
        const char *c = buf_str(&nfc) + 1;
        size_t n = nfc.len - 1;
        CHECK(vn_utf8_valid(c, n));
        CHECK(run(vn_nfc, c, n, 1, &nfc2) == 0);
        CHECK(nfc2.len == nfc.len && memcmp(buf_str(&nfc2), buf_str(&nfc), nfc.len) == 0);
        CHECK(run(vn_fold, c, n, 1, &f2) == 0);
        CHECK(f2.len == f1.len && memcmp(buf_str(&f2), buf_str(&f1), f1.len) == 0);
        CHECK(run(vn_sort_key, c, n, 1, &k2) == 0);
        CHECK(k1.len - size == k2.len - n && memcmp(buf_str(&k1), buf_str(&k2), k2.len - n) == 0);
    }
    buf_free(&nfc);
    buf_free(&nfc2);
    buf_free(&k1);
    buf_free(&k2);
    buf_free(&f1);
    buf_free(&f2);
    return 0;
}
