/* test_vn.c - unit tests for vn.c: NFC, Vietnamese collation, accent folding, width, number
 * parsing and formatting, dates.
 *
 * Most cases are data in $CHITIEU_TEST_DATA (default tests/data): vn_numbers.txt,
 * vn_format.txt, vn_collate.txt, vn_fold.txt and vn_dates.txt; fields may hold \uXXXX, \xHH,
 * \t and \\ escapes so that decomposed text and bad bytes survive editors.  Every buf a test
 * fills is its own and freed before the test returns.
 */
#include <ctype.h>
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "err.h"
#include "vn.h"
#include "test_data.h"

/* Appends `in` with its escapes decoded to out (reset first); fails the test on a bad escape. */
static void unescape(const char *in, buf *out)
{
    buf_reset(out);
    for (const char *p = in; *p; p++) {
        if (*p != '\\') {
            assert_int_equal(buf_addc(out, *p), 0);
            continue;
        }
        p++;
        if (*p == 't' || *p == '\\') {
            assert_int_equal(buf_addc(out, *p == 't' ? '\t' : '\\'), 0);
        } else if (*p == 'x' || *p == 'u') {
            int digits = *p == 'x' ? 2 : 4;
            char hex[5] = { 0 };
            for (int k = 0; k < digits; k++) {
                if (!isxdigit((unsigned char)p[1 + k]))
                    fail_msg("bad escape in test data: %s", in);
                hex[k] = p[1 + k];
            }
            long v = strtol(hex, NULL, 16);
            p += digits;
            if (digits == 2) {
                assert_int_equal(buf_addc(out, (char)v), 0);
            } else {
                utf8proc_uint8_t u[4];
                utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)v, u);
                assert_true(n > 0);
                assert_int_equal(buf_add(out, u, (size_t)n), 0);
            }
        } else {
            fail_msg("bad escape in test data: %s", in);
        }
    }
}

static int is_err(const char *field) { return strcmp(field, "ERR") == 0; }

static int lang_field(const char *f)
{
    return strcmp(f, "vi") == 0 ? LANG_VI : strcmp(f, "en") == 0 ? LANG_EN : atoi(f);
}

/* ---- numbers ----------------------------------------------------------------------------- */

static void test_parse_numbers(void **state)
{
    (void)state;
    FILE *f = td_open("vn_numbers.txt");
    assert_non_null(f);
    td_line l = { 0 };
    buf in = BUF_INIT;
    int n = 0;
    while (td_next(f, &l)) {
        assert_int_equal(l.n, 3);
        unescape(l.f[0], &in);
        enum vn_dec hint = strcmp(l.f[1], "comma") == 0 ? VN_DEC_COMMA
                         : strcmp(l.f[1], "dot") == 0   ? VN_DEC_DOT
                                                        : VN_DEC_AUTO;
        assert_true(hint != VN_DEC_AUTO || strcmp(l.f[1], "auto") == 0);
        double v = 12345.0; /* sentinel: must stay on error */
        int rc = vn_parse_number(buf_str(&in), in.len, hint, &v);
        if (is_err(l.f[2])) {
            if (rc != -1 || v != 12345.0)
                fail_msg("vn_numbers.txt:%d: '%s' (%s) gave rc %d, %.17g; want an error", l.lineno, l.f[0],
                         l.f[1], rc, v);
        } else {
            double want = strtod(l.f[2], NULL);
            if (rc != 0 || v != want || signbit(v) != signbit(want))
                fail_msg("vn_numbers.txt:%d: '%s' (%s) gave rc %d, %.17g; want %s", l.lineno, l.f[0], l.f[1], rc,
                         v, l.f[2]);
        }
        n++;
    }
    fclose(f);
    buf_free(&in);
    assert_true(n >= 80);

    /* the length is honoured: no NUL needed, bytes past len ignored */
    double v = 0;
    assert_int_equal(vn_parse_number("12,5xyz", 4, VN_DEC_AUTO, &v), 0);
    assert_true(v == 12.5);
    assert_int_equal(vn_parse_number("1\0" "2", 3, VN_DEC_AUTO, &v), -1);
    /* "-0" is plain 0 */
    assert_int_equal(vn_parse_number("-0,0", 4, VN_DEC_AUTO, &v), 0);
    assert_true(v == 0 && !signbit(v));
    /* absurdly long numbers are refused; 200 digits are still fine */
    char longnum[202];
    memset(longnum, '9', sizeof longnum);
    assert_int_equal(vn_parse_number(longnum, 200, VN_DEC_AUTO, &v), 0);
    assert_true(v > 9.9e199 && v < 1.1e200);
    assert_int_equal(vn_parse_number(longnum, 201, VN_DEC_AUTO, &v), -1);
}

/* A decimal of up to 15 digits and 22 decimals is one division (vn.c's fast path): it must be the
 * double strtod gives, bit for bit, whatever the digits and mark. */
static void test_parse_fast_path(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ull;
    int n = 0;
    for (int k = 0; k < 200000; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int digits = 1 + (int)(x % 15), frac = (int)((x >> 8) % (uint64_t)(digits < 22 ? digits + 1 : 23));
        char txt[40], c_txt[40];
        size_t t = 0;
        uint64_t y = x >> 16;
        if (k & 1)
            txt[t++] = '-';
        for (int d = 0; d < digits; d++) {
            if (d == digits - frac && frac > 0)
                txt[t++] = '.';
            txt[t++] = (char)('0' + (d == 0 && digits - frac > 1 ? 1 + y % 9 : y % 10));
            y = y / 10 ? y / 10 : x >> 3;
        }
        txt[t] = '\0';
        if (frac == digits) {                  /* ".123" is not a number: "0.123" */
            memmove(txt + 1 + (k & 1), txt + (k & 1), t + 1 - (size_t)(k & 1));
            txt[k & 1] = '0';
            t++;
        }
        memcpy(c_txt, txt, t + 1);
        double v = 0, want = strtod(c_txt, NULL);
        assert_int_equal(vn_parse_number(txt, t, VN_DEC_DOT, &v), 0);
        if (memcmp(&v, &want, sizeof v) != 0 && !(v == 0 && want == 0))
            fail_msg("'%s': %.17g, strtod %.17g", txt, v, want);
        for (size_t i = 0; i < t; i++)         /* the same with a decimal comma */
            if (txt[i] == '.')
                txt[i] = ',';
        assert_int_equal(vn_parse_number(txt, t, VN_DEC_COMMA, &v), 0);
        if (memcmp(&v, &want, sizeof v) != 0 && !(v == 0 && want == 0))
            fail_msg("'%s': %.17g, strtod %.17g", txt, v, want);
        n += frac > 0;
    }
    assert_true(n > 100000);
    /* the hard cases of the division: halfway and near-halfway decimals */
    static const char *const hard[] = { "0.1", "0.3", "2.675", "1.005", "9007199254740.993", "0.000000000000001",
                                        "123456789012.345", "0.1234567890123456789012" };
    for (size_t i = 0; i < sizeof hard / sizeof *hard; i++) {
        double v = 0, want = strtod(hard[i], NULL);
        if (vn_parse_number(hard[i], strlen(hard[i]), VN_DEC_DOT, &v) == 0)
            assert_memory_equal(&v, &want, sizeof v);
    }
}

static void test_format_numbers(void **state)
{
    (void)state;
    FILE *f = td_open("vn_format.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int n = 0;
    while (td_next(f, &l)) {
        assert_int_equal(l.n, 5);
        buf b = BUF_INIT;
        assert_int_equal(buf_adds(&b, "<"), 0); /* results are appended */
        double v = strtod(l.f[0], NULL);
        int dec = atoi(l.f[1]), lang = lang_field(l.f[2]);
        int rc = atoi(l.f[3]) ? vn_format_number_trim(v, dec, lang, &b) : vn_format_number(v, dec, lang, &b);
        if (is_err(l.f[4])) {
            if (rc != -1 || strcmp(buf_str(&b), "<") != 0)
                fail_msg("vn_format.txt:%d: %s gave rc %d '%s'; want an error", l.lineno, l.f[0], rc, buf_str(&b));
        } else if (rc != 0 || strcmp(buf_str(&b) + 1, l.f[4]) != 0) {
            fail_msg("vn_format.txt:%d: %s gave rc %d '%s'; want '%s'", l.lineno, l.f[0], rc, buf_str(&b) + 1, l.f[4]);
        }
        buf_free(&b);
        n++;
    }
    fclose(f);
    assert_true(n >= 60);

    /* the largest double prints all its 309 integer digits, grouped */
    buf b = BUF_INIT;
    assert_int_equal(vn_format_number(DBL_MAX, 0, LANG_EN, &b), 0);
    assert_int_equal(b.len, 309 + 102);
    assert_memory_equal(buf_str(&b), "179,769,313,486,231,570,", 24);
    buf_reset(&b);
    assert_int_equal(vn_format_number_trim(-DBL_MAX, 9, LANG_VI, &b), 0);
    assert_int_equal(b.len, 1 + 309 + 102);
    /* a full buf is left as it was */
    buf small;
    buf_init(&small, 4);
    assert_int_equal(buf_adds(&small, "ab"), 0);
    assert_int_equal(vn_format_number(1234.5, 1, LANG_VI, &small), -1);
    assert_string_equal(buf_str(&small), "ab");
    buf_free(&small);
    buf_free(&b);
}

/* The reference for vn_format_number*: the 15 significant digits "%.14e" gives (from 1e15 on,
 * "%.3f"), one digit more than dec rounded half away from zero, in English without the grouping
 * commas: the formatter's quick digits must say exactly this. */
static void ref_format(double v, int dec, int trim, char *out)
{
    char t[400], dg[420];
    double a = fabs(v);
    size_t len = 0, ni, fd = (size_t)dec;
    dg[len++] = '0';
    if (a < 1e15) {
        snprintf(t, sizeof t, "%.14e", a);
        long e = strtol(strchr(t, 'e') + 1, NULL, 10);
        char mant[15];
        mant[0] = t[0];
        memcpy(mant + 1, t + 2, 14);
        for (long k = 0; k < e + 1; k++)
            dg[len++] = k < 15 ? mant[k] : '0';
        ni = len;
        for (long k = e + 1; len - ni < fd + 1; k++)
            dg[len++] = k >= 0 && k < 15 ? mant[k] : '0';
    } else {
        snprintf(t, sizeof t, "%.3f", a);
        const char *q = t;
        while (*q != '.')
            dg[len++] = *q++;
        ni = len;
        q++;
        while (len - ni < fd + 1)
            dg[len++] = *q ? *q++ : '0';
    }
    if (dg[ni + fd] >= '5')
        for (size_t k = ni + fd; k-- > 0;) {
            if (dg[k] != '9') {
                dg[k]++;
                break;
            }
            dg[k] = '0';
        }
    size_t first = 0, nfrac = fd, o = 0;
    while (first + 1 < ni && dg[first] == '0')
        first++;
    while (trim && nfrac && dg[ni + nfrac - 1] == '0')
        nfrac--;
    int zero = 1;
    for (size_t k = first; k < ni + nfrac; k++)
        zero &= dg[k] == '0';
    if (v < 0 && !zero)
        out[o++] = '-';
    memcpy(out + o, dg + first, ni - first);
    o += ni - first;
    if (nfrac) {
        out[o++] = '.';
        memcpy(out + o, dg + ni, nfrac);
        o += nfrac;
    }
    out[o] = '\0';
}

/* Many values of every kind (figures with 2 decimals, integers, random bits over 30 decades,
 * near-ties at the 15th digit) give what the reference gives. */
static void test_format_digits(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252ULL;
    buf b = BUF_INIT;
    char want[500], got[500];
    for (int i = 0; i < 300000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        switch (i % 6) {
        case 0: v = (double)(int64_t)(x % 2000000000000ULL) / 100; break;      /* 1051.47 */
        case 1: v = (double)(x % 1000000000000000ULL); break;                   /* integers */
        case 2: v = ldexp((double)(x >> 11), (int)(x % 100) - 100); break;      /* random bits */
        case 3: v = (double)(x % 100000) / pow(10, (double)(x % 19)); break;
        case 4: v = (1 + (double)(x % 100000) * 1e-14 + 5e-15) * pow(10, (double)(x % 28) - 13); break;
        default: v = nextafter((double)(x % 1000) + 0.5, (x & 1) ? 0 : 1e9) * pow(10, (double)(x % 7) - 3); break;
        }
        if (x & 2)
            v = -v;
        int dec = (int)(x % 10), trim = (int)(x >> 20) & 1;
        buf_reset(&b);
        assert_int_equal(trim ? vn_format_number_trim(v, dec, LANG_EN, &b) : vn_format_number(v, dec, LANG_EN, &b), 0);
        size_t o = 0;
        for (const char *p = buf_str(&b); *p; p++)
            if (*p != ',')
                got[o++] = *p;
        got[o] = '\0';
        ref_format(v, dec, trim, want);
        if (strcmp(got, want) != 0)
            fail_msg("%.17g at %d decimals (trim %d): '%s', want '%s'", v, dec, trim, got, want);
    }
    buf_free(&b);
}

/* Formatting then parsing gives back the rounded value, in both languages. */
static void test_number_round_trip(void **state)
{
    (void)state;
    const double vals[] = { 0, 1, -1, 0.5, 14.16, 95.91, 1234.5, -1234567.89, 999999.999, 1e15, 123456.789 };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        for (int lang = LANG_VI; lang <= LANG_EN; lang++)
            for (int dec = 0; dec <= 3; dec++) {
                buf b = BUF_INIT;
                assert_int_equal(vn_format_number_trim(vals[i], dec, lang, &b), 0);
                double back = 0;
                enum vn_dec hint = lang == LANG_VI ? VN_DEC_COMMA : VN_DEC_DOT;
                assert_int_equal(vn_parse_number(buf_str(&b), b.len, hint, &back), 0);
                double tol = 0.5 * pow(10, -dec) + 1e-9;
                if (fabs(back - vals[i]) > tol)
                    fail_msg("%.17g at %d decimals printed '%s', read back %.17g", vals[i], dec, buf_str(&b), back);
                buf_free(&b);
            }
}

/* ---- text -------------------------------------------------------------------------------- */

static void test_nfc(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* ệ decomposed with the dot below before the circumflex (canonical order) ... */
    const char *d1 = "e\xCC\xA3\xCC\x82";
    assert_int_equal(vn_nfc(d1, strlen(d1), &b), 0);
    assert_string_equal(buf_str(&b), "\xE1\xBB\x87"); /* U+1EC7 */
    buf_reset(&b);
    /* ... and in the other order */
    const char *d2 = "Vi" "e\xCC\x82\xCC\xA3" "t";
    assert_int_equal(vn_nfc(d2, strlen(d2), &b), 0);
    assert_string_equal(buf_str(&b), "Vi\xE1\xBB\x87t");
    buf_reset(&b);
    /* NFC text is unchanged, results are appended */
    assert_int_equal(vn_nfc("Cầu ", strlen("Cầu "), &b), 0);
    assert_int_equal(vn_nfc("Giấy", strlen("Giấy"), &b), 0);
    assert_string_equal(buf_str(&b), "Cầu Giấy");
    assert_int_equal(vn_nfc("", 0, &b), 0);
    assert_string_equal(buf_str(&b), "Cầu Giấy");
    /* bad input fails and leaves the buf alone */
    assert_int_equal(vn_nfc("\xC3\x28", 2, &b), -1);         /* bad continuation */
    assert_int_equal(vn_nfc("\xED\xA0\x80", 3, &b), -1);     /* surrogate */
    assert_int_equal(vn_nfc("\xC0\xAF", 2, &b), -1);         /* overlong */
    assert_int_equal(vn_nfc("\xF4\x90\x80\x80", 4, &b), -1); /* above U+10FFFF */
    assert_int_equal(vn_nfc("\xE1\xBB", 2, &b), -1);         /* truncated */
    assert_int_equal(vn_nfc("a\0b", 3, &b), -1);             /* NUL */
    assert_string_equal(buf_str(&b), "Cầu Giấy");
    buf_free(&b);
    assert_int_equal(vn_utf8_valid("a\0b", 3), 0);
    assert_int_equal(vn_utf8_valid("a\0b", 1), 1);
    assert_int_equal(vn_utf8_valid("", 0), 1);
    assert_int_equal(vn_utf8_valid("\xFF", 1), 0);
    assert_int_equal(vn_utf8_valid("Cầu Giấy", strlen("Cầu Giấy")), 1);
}

/* The sort key without the raw-byte tail (its last len bytes). */
static void key_head(const char *s, size_t len, buf *key)
{
    buf_reset(key);
    assert_int_equal(vn_sort_key(s, len, key), 0);
    assert_true(key->len > len);
    buf_truncate(key, key->len - len);
}

static int key_cmp(const buf *a, const buf *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(buf_str(a), buf_str(b), n);
    return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

static int cmp_coll(const void *a, const void *b)
{
    return vn_collate(*(char *const *)a, *(char *const *)b);
}

/* Checks one group of vn_collate.txt: strictly ascending pairwise (by vn_collate and by keys),
 * sorted back into order from reversed and rotated starts, NFD and NFC forms keyed alike. */
static void check_group(const char *name, char **s, int n)
{
    buf k1 = BUF_INIT, k2 = BUF_INIT;
    for (int i = 0; i + 1 < n; i++) {
        if (!(vn_collate(s[i], s[i + 1]) < 0 && vn_collate(s[i + 1], s[i]) > 0))
            fail_msg("group %s: '%s' should sort before '%s'", name, s[i], s[i + 1]);
        buf_reset(&k1);
        buf_reset(&k2);
        assert_int_equal(vn_sort_key(s[i], strlen(s[i]), &k1), 0);
        assert_int_equal(vn_sort_key(s[i + 1], strlen(s[i + 1]), &k2), 0);
        if (key_cmp(&k1, &k2) >= 0)
            fail_msg("group %s: key of '%s' should be below that of '%s'", name, s[i], s[i + 1]);
    }
    for (int i = 0; i < n; i++) {
        assert_int_equal(vn_collate(s[i], s[i]), 0);
        /* NFD and NFC give the same letters, tones and case */
        utf8proc_uint8_t *nfd = utf8proc_NFD((const utf8proc_uint8_t *)s[i]);
        utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)s[i]);
        assert_non_null(nfd);
        assert_non_null(nfc);
        key_head((const char *)nfd, strlen((const char *)nfd), &k1);
        key_head((const char *)nfc, strlen((const char *)nfc), &k2);
        if (k1.len != k2.len || memcmp(buf_str(&k1), buf_str(&k2), k1.len) != 0)
            fail_msg("group %s: NFD and NFC of '%s' key differently", name, s[i]);
        free(nfd);
        free(nfc);
    }
    for (int rot = 0; rot < n; rot += n > 4 ? n / 4 : 1) {
        char **t = malloc((size_t)n * sizeof *t);
        assert_non_null(t);
        for (int i = 0; i < n; i++)
            t[i] = s[(n - 1 - i + rot) % n];
        qsort(t, (size_t)n, sizeof *t, cmp_coll);
        for (int i = 0; i < n; i++)
            if (t[i] != s[i])
                fail_msg("group %s: sorted position %d holds '%s', want '%s'", name, i, t[i], s[i]);
        free(t);
    }
    buf_free(&k1);
    buf_free(&k2);
}

static void test_collation(void **state)
{
    (void)state;
    FILE *f = td_open("vn_collate.txt");
    assert_non_null(f);
    td_line l = { 0 };
    char group[64] = "";
    char *s[64];
    int n = 0, groups = 0, total = 0;
    buf in = BUF_INIT;
    for (;;) {
        int more = td_next(f, &l);
        if (n && (!more || strcmp(l.f[0], group) != 0)) {
            check_group(group, s, n);
            for (int i = 0; i < n; i++)
                free(s[i]);
            total += n;
            n = 0;
            groups++;
        }
        if (!more)
            break;
        assert_int_equal(l.n, 2);
        snprintf(group, sizeof group, "%s", l.f[0]);
        unescape(l.f[1], &in);
        assert_true(n < 64);
        s[n++] = strdup(buf_str(&in));
    }
    fclose(f);
    buf_free(&in);
    assert_true(groups >= 12 && total >= 120);

    /* The product notes' list, spelled out */
    const char *names[] = { "Đống Đa", "Ba Đình", "Cầu Giấy", "Hoàn Kiếm", "Hai Bà Trưng", "Thanh Xuân",
                            "Tây Hồ", "Ân Thi", "An Lão", "Ứng Hòa", "Ba Vì", "Bắc Từ Liêm" };
    const char *want[] = { "An Lão", "Ân Thi", "Ba Đình", "Ba Vì", "Bắc Từ Liêm", "Cầu Giấy", "Đống Đa",
                           "Hai Bà Trưng", "Hoàn Kiếm", "Tây Hồ", "Thanh Xuân", "Ứng Hòa" };
    qsort(names, 12, sizeof names[0], cmp_coll);
    for (int i = 0; i < 12; i++)
        assert_string_equal(names[i], want[i]);
}

static void test_sort_key(void **state)
{
    (void)state;
    buf k1 = BUF_INIT, k2 = BUF_INIT;
    /* decomposed ệ (dot below first) keys like U+1EC7 up to the raw bytes */
    const char *dec = "Vi" "e\xCC\xA3\xCC\x82" "t", *nfc = "Vi\xE1\xBB\x87t";
    key_head(dec, strlen(dec), &k1);
    key_head(nfc, strlen(nfc), &k2);
    assert_int_equal(k1.len, k2.len);
    assert_memory_equal(buf_str(&k1), buf_str(&k2), k1.len);
    /* layout: 3 bytes a character + 000, a tone byte each + 0, a case byte each + 0, raw */
    buf_reset(&k1);
    assert_int_equal(vn_sort_key("Mạ", strlen("Mạ"), &k1), 0);
    const char want[] = "\x40\x00\x10" "\x40\x00\x00" "\x00\x00\x00" "\x01\x06\x00" "\x02\x01\x00" "Mạ";
    assert_int_equal(k1.len, sizeof want - 1);
    assert_memory_equal(buf_str(&k1), want, sizeof want - 1);
    /* the empty string keys lowest */
    buf_reset(&k1);
    assert_int_equal(vn_sort_key("", 0, &k1), 0);
    assert_int_equal(k1.len, 5);
    assert_true(vn_collate("", " ") < 0 && vn_collate("", "a") < 0);
    /* invalid UTF-8 fails and leaves the buf alone */
    buf_reset(&k1);
    assert_int_equal(buf_adds(&k1, "x"), 0);
    assert_int_equal(vn_sort_key("a\xFF", 2, &k1), -1);
    assert_int_equal(vn_sort_key("a\0b", 3, &k1), -1);
    assert_string_equal(buf_str(&k1), "x");
    /* vn_collate stays a total order with invalid text: it sorts after valid text */
    assert_true(vn_collate("zzz", "a\xFF") < 0);
    assert_true(vn_collate("a\xFF", "zzz") > 0);
    assert_true(vn_collate("a\xFE", "a\xFF") < 0);
    assert_int_equal(vn_collate("a\xFF", "a\xFF"), 0);
    buf_free(&k1);
    buf_free(&k2);
}

static void test_fold_and_search(void **state)
{
    (void)state;
    FILE *f = td_open("vn_fold.txt");
    assert_non_null(f);
    td_line l = { 0 };
    buf in = BUF_INIT, b = BUF_INIT, b2 = BUF_INIT;
    int n = 0;
    while (td_next(f, &l)) {
        unescape(l.f[0], &in);
        buf_reset(&b);
        assert_int_equal(buf_adds(&b, "<"), 0);
        int rc = vn_fold(buf_str(&in), in.len, &b);
        if (is_err(l.f[1])) {
            if (rc != -1 || strcmp(buf_str(&b), "<") != 0)
                fail_msg("vn_fold.txt:%d: '%s' gave rc %d '%s'; want an error", l.lineno, l.f[0], rc, buf_str(&b));
        } else {
            if (rc != 0 || strcmp(buf_str(&b) + 1, l.f[1]) != 0)
                fail_msg("vn_fold.txt:%d: '%s' gave rc %d '%s'; want '%s'", l.lineno, l.f[0], rc, buf_str(&b) + 1,
                         l.f[1]);
            /* the NFC form folds the same; folding is idempotent */
            buf_reset(&b2);
            utf8proc_uint8_t *c = utf8proc_NFC((const utf8proc_uint8_t *)buf_str(&in));
            assert_non_null(c);
            assert_int_equal(vn_fold((const char *)c, strlen((const char *)c), &b2), 0);
            free(c);
            assert_string_equal(buf_str(&b2), buf_str(&b) + 1);
            buf_reset(&b2);
            assert_int_equal(vn_fold(buf_str(&b) + 1, b.len - 1, &b2), 0);
            assert_string_equal(buf_str(&b2), buf_str(&b) + 1);
        }
        n++;
    }
    fclose(f);
    assert_true(n >= 20);
    buf_free(&in);
    buf_free(&b);
    buf_free(&b2);

    assert_int_equal(vn_search("Quận Cầu Giấy", "cau giay"), 1);
    assert_int_equal(vn_search("Quận ủy Cầu Giấy", "CẦU"), 1);
    assert_int_equal(vn_search("Quận ủy Cầu Giấy", "ba dinh"), 0);
    assert_int_equal(vn_search("Quận Đống Đa", "dong da"), 1);
    assert_int_equal(vn_search("Quận Đống Đa", "đống"), 1);
    assert_int_equal(vn_search("Quận Đống Đa", "dongda"), 0);
    assert_int_equal(vn_search("Vi" "e\xCC\xA3\xCC\x82" "t Nam", "việt"), 1);
    assert_int_equal(vn_search("Hà Nội", ""), 1);
    assert_int_equal(vn_search("", "a"), 0);
    assert_int_equal(vn_search("Hà Nội", "nội thành"), 0);
    assert_int_equal(vn_search("ab\xFF", "ab"), 0); /* invalid text matches nothing */
    assert_int_equal(vn_search("ab", "\xFF"), 0);
}

static void test_width(void **state)
{
    (void)state;
    const char *nfc = "Cầu Giấy", *nfd = "Ca\xCC\x80u Gia\xCC\x82\xCC\x81y";
    assert_int_equal(vn_width(nfc, strlen(nfc)), 8);
    assert_int_equal(vn_width(nfd, strlen(nfd)), 8);
    assert_int_equal(vn_width("Vi" "e\xCC\xA3\xCC\x82" "t", 8), 4);
    assert_int_equal(vn_width("", 0), 0);
    assert_int_equal(vn_width("Đống Đa", strlen("Đống Đa")), 7);
    assert_int_equal(vn_width("a\xFF" "b", 3), 3);            /* a bad byte takes one column */
    assert_int_equal(vn_width("\xE6\x97\xA5", 3), 2);          /* wide CJK */
    assert_int_equal(vn_width("Cầu Giấy", 4), 2);              /* only len bytes: "C" + "ầ" */
}

static void test_dates(void **state)
{
    (void)state;
    FILE *f = td_open("vn_dates.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int n = 0;
    while (td_next(f, &l)) {
        assert_int_equal(l.n, 4);
        if (strcmp(l.f[0], "iso") == 0) {
            int d = -7;
            int rc = vn_parse_iso_date(l.f[1], strlen(l.f[1]), &d);
            if (is_err(l.f[3]) ? (rc != -1 || d != -7) : (rc != 0 || d != atoi(l.f[3])))
                fail_msg("vn_dates.txt:%d: '%s' gave rc %d, %d; want %s", l.lineno, l.f[1], rc, d, l.f[3]);
        } else if (strcmp(l.f[0], "time") == 0 || strcmp(l.f[0], "times") == 0) {
            buf b = BUF_INIT;
            buf_adds(&b, "x");                   /* appended after what is there; nothing on an error */
            int rc = (l.f[0][4] ? vn_format_time_s : vn_format_time)(l.f[1], lang_field(l.f[2]), &b);
            const char *got = buf_str(&b);
            if (is_err(l.f[3]) ? (rc != -1 || b.len != 1) : (rc != 0 || got[0] != 'x' || strcmp(got + 1, l.f[3]) != 0))
                fail_msg("vn_dates.txt:%d: %s %s (%s) gave rc %d '%s'; want %s", l.lineno, l.f[0], l.f[1], l.f[2], rc,
                         got, l.f[3]);
            buf_free(&b);
        } else {
            assert_string_equal(l.f[0], "fmt");
            buf b = BUF_INIT;
            int rc = vn_format_date(atoi(l.f[1]), lang_field(l.f[2]), &b);
            if (is_err(l.f[3]) ? (rc != -1 || b.len != 0) : (rc != 0 || strcmp(buf_str(&b), l.f[3]) != 0))
                fail_msg("vn_dates.txt:%d: %s (%s) gave rc %d '%s'; want %s", l.lineno, l.f[1], l.f[2], rc,
                         buf_str(&b), l.f[3]);
            buf_free(&b);
        }
        n++;
    }
    fclose(f);
    assert_true(n >= 60);
    /* every parsed date formats, and the English form parses back */
    for (int ymd = 19991225; ymd <= 20010105; ymd++) {
        buf b = BUF_INIT;
        int back = 0;
        if (vn_format_date(ymd, LANG_EN, &b) == 0) {
            assert_int_equal(vn_parse_iso_date(buf_str(&b), b.len, &back), 0);
            assert_int_equal(back, ymd);
        } else {
            assert_int_equal(vn_parse_iso_date(buf_str(&b), b.len, &back), -1);
        }
        buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_numbers), cmocka_unit_test(test_parse_fast_path),
        cmocka_unit_test(test_format_numbers), cmocka_unit_test(test_format_digits),
        cmocka_unit_test(test_number_round_trip), cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_collation), cmocka_unit_test(test_sort_key),
        cmocka_unit_test(test_fold_and_search), cmocka_unit_test(test_width),
        cmocka_unit_test(test_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
