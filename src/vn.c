/* vn.c - Vietnamese text and numbers: NFC, collation keys, accent folding, number and date
 * formatting and parsing (contracts in vn.h).
 *
 * Data flow.  Every text function first checks that its input is valid UTF-8 (no overlongs,
 * surrogates or NULs), then lets utf8proc do the Unicode work: NFC for storage, NFD for
 * collation (so composed input and decomposed input from macOS or web forms, in either mark
 * order - ệ = e + U+0323 + U+0302 or e + U+0302 + U+0323 - give the same letters and tones),
 * NFKD + mark stripping + case folding for search keys.  This file adds only what utf8proc
 * does not know: the Vietnamese alphabet (a ă â b c d đ e ê ... o ô ơ ... u ư ...), the order
 * of the six tones, and đ -> d (đ does not decompose, so stripping marks leaves it alone).
 *
 * Sort keys are built in three scratch bufs (primary weights, tones, case) that are joined
 * into the caller's buf:
 *
 *     primary   3 bytes per character, big-endian, then 00 00 00
 *     secondary 1 byte per character (1 + tone), then 00
 *     tertiary  1 byte per character (1 lower/uncased, 2 upper), then 00
 *     raw       the input bytes
 *
 * so memcmp() of two keys compares letters first, then tones, then case, then bytes.
 *
 * Numbers are parsed by checking the grouping by hand and handing strtod() a locale-free
 * mantissa-and-exponent string ("1416e-2"); they are formatted from a decimal digit string
 * (15 significant digits below 1e15, as spreadsheets do, the exact value above) rounded half
 * away from zero in decimal, so 0.125, 1.005 and 2.675 round the way they were typed.
 *
 * Memory: utf8proc_map() returns a malloc'd string that is freed here before returning; the
 * scratch bufs are local and freed on every path.  Results are appended to a buf the caller
 * owns; when a function fails it leaves that buf as it found it.
 */
#include "vn.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "err.h"

int vn_utf8_valid(const char *s, size_t len)
{
    if (len > (size_t)PTRDIFF_MAX)
        return 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        /* 8 ASCII bytes at a time, none of them 0 (most of a data file) */
        while (left >= 8) {
            uint64_t w;
            memcpy(&w, p, sizeof w);
            if (((w | ((w - 0x0101010101010101ull) & ~w)) & 0x8080808080808080ull) != 0)
                break;
            p += 8;
            left -= 8;
        }
        if (left == 0)
            break;
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

/* Appends utf8proc_map(s, opts) to out; the input must already be valid UTF-8. */
static int map_into(const char *s, size_t len, utf8proc_option_t opts, buf *out)
{
    if (len == 0)
        return 0;
    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &dst, opts);
    if (n < 0)
        return -1;
    int rc = buf_add(out, dst, (size_t)n);
    free(dst);
    return rc;
}

int vn_nfc(const char *s, size_t len, buf *out)
{
    if (!vn_utf8_valid(s, len))
        return -1;
    return map_into(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out);
}

/* ---- collation ------------------------------------------------------------------------------ */

/* Primary weight bands (3 bytes, so every band fits below 0xFFFFFF).  A lower band sorts first:
 * space < other punctuation and symbols < digits < letters. */
#define W_SPACE 0x000001u      /* ' ', tab excluded, and every Unicode space separator */
#define W_ASCII 0x000002u      /* + byte: ASCII punctuation, symbols and controls */
#define W_SYMBOL 0x000100u     /* + code point: other punctuation, symbols, controls, lone marks */
#define W_DIGIT 0x200000u      /* + 0..9 */
#define W_NUMBER 0x200010u     /* + code point: other digits and numbers */
#define W_LETTER 0x400000u     /* + position in the Vietnamese/Latin alphabet below */
#define W_OTHER 0x500000u      /* + lower-case code point: letters of other scripts */

/* The marks that make Vietnamese letters of their own, gathered from an NFD sequence. */
enum { M_BREVE = 1, M_CIRC = 2, M_HORN = 4, M_STROKE = 8 };

/* Position of a lower-case base letter with its letter-making marks in the alphabet
 * a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z, or -1 for other code
 * points.  f j w z are not Vietnamese letters and sit where the Latin alphabet puts them. */
static int letter_index(utf8proc_int32_t c, int marks)
{
    switch (c) {
    case 'a': return marks & M_BREVE ? 1 : marks & M_CIRC ? 2 : 0;
    case 'd': return marks & M_STROKE ? 6 : 5;
    case 0x111: return 6; /* đ */
    case 'e': return marks & M_CIRC ? 8 : 7;
    case 'o': return marks & M_CIRC ? 19 : marks & M_HORN ? 20 : 18;
    case 'u': return marks & M_HORN ? 27 : 26;
    default: break;
    }
    if (c < 'a' || c > 'z')
        return -1;
    /* b c | f g h i j k l m n | p q r s t | v w x y z */
    static const signed char pos[26] = {
        -1, 3, 4, -1, -1, 9, 10, 11, 12, 13, 14, 15, 16, 17, -1, 21, 22, 23, 24, 25, -1, 28, 29, 30, 31, 32,
    };
    return pos[c - 'a'];
}

/* Tone of a combining mark: 0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng; -1 if not a tone. */
static int tone_of(utf8proc_int32_t mark)
{
    switch (mark) {
    case 0x300: return 1; /* grave: huyền */
    case 0x309: return 2; /* hook above: hỏi */
    case 0x303: return 3; /* tilde: ngã */
    case 0x301: return 4; /* acute: sắc */
    case 0x323: return 5; /* dot below: nặng */
    default: return -1;
    }
}

static int is_mark(utf8proc_int32_t cp)
{
    utf8proc_propval_t cat = utf8proc_get_property(cp)->category;
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

/* Primary weight of base character cp (already lower-cased) carrying `marks`. */
static uint32_t primary_weight(utf8proc_int32_t cp, int marks)
{
    int li = letter_index(cp, marks);
    if (li >= 0)
        return W_LETTER + (uint32_t)li;
    if (cp >= '0' && cp <= '9')
        return W_DIGIT + (uint32_t)(cp - '0');
    if (cp == ' ')
        return W_SPACE;
    if (cp < 0x80)
        return W_ASCII + (uint32_t)cp;
    switch (utf8proc_get_property(cp)->category) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
        return W_OTHER + (uint32_t)cp;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return W_NUMBER + (uint32_t)cp;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
        return W_SPACE;
    default:
        return W_SYMBOL + (uint32_t)cp;
    }
}

int vn_sort_key(const char *s, size_t len, buf *out)
{
    if (!vn_utf8_valid(s, len))
        return -1;
    buf nfd = BUF_INIT, pri = BUF_INIT, sec = BUF_INIT, ter = BUF_INIT;
    size_t start = out->len;
    int rc = -1;
    if (map_into(s, len, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE, &nfd) != 0)
        goto fail;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)buf_str(&nfd);
    utf8proc_ssize_t n = (utf8proc_ssize_t)nfd.len, i = 0;
    while (i < n) {
        utf8proc_int32_t cp, mk;
        i += utf8proc_iterate(p + i, n - i, &cp);
        utf8proc_int32_t low = utf8proc_tolower(cp);
        int marks = 0, tone = 0;
        /* The marks that follow belong to this character (canonical order puts the dot below
         * before the circumflex; the order does not matter here). */
        while (i < n) {
            utf8proc_ssize_t k = utf8proc_iterate(p + i, n - i, &mk);
            if (!is_mark(mk))
                break;
            i += k;
            if (mk == 0x306) marks |= M_BREVE;
            else if (mk == 0x302) marks |= M_CIRC;
            else if (mk == 0x31B) marks |= M_HORN;
            else if (mk == 0x335 || mk == 0x336) marks |= M_STROKE;
            else if (tone_of(mk) > 0) tone = tone_of(mk);
        }
        uint32_t w = primary_weight(low, marks);
        unsigned char t[3] = { (unsigned char)(w >> 16), (unsigned char)(w >> 8), (unsigned char)w };
        if (buf_add(&pri, t, 3) != 0 || buf_addc(&sec, (char)(1 + tone)) != 0 ||
            buf_addc(&ter, (char)(low != cp ? 2 : 1)) != 0)
            goto fail;
    }
    static const char zero[3] = { 0, 0, 0 };
    if (buf_add(out, buf_str(&pri), pri.len) != 0 || buf_add(out, zero, 3) != 0 ||
        buf_add(out, buf_str(&sec), sec.len) != 0 || buf_add(out, zero, 1) != 0 ||
        buf_add(out, buf_str(&ter), ter.len) != 0 || buf_add(out, zero, 1) != 0 ||
        buf_add(out, s, len) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0)
        buf_truncate(out, start);
    buf_free(&nfd);
    buf_free(&pri);
    buf_free(&sec);
    buf_free(&ter);
    return rc;
}

int vn_collate(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int va = vn_utf8_valid(a, la), vb = vn_utf8_valid(b, lb);
    /* A total order even for bad input (qsort needs one): invalid UTF-8 after all valid text. */
    if (!va || !vb)
        return va != vb ? (va ? -1 : 1) : strcmp(a, b);
    buf ka = BUF_INIT, kb = BUF_INIT;
    int c;
    if (vn_sort_key(a, la, &ka) != 0 || vn_sort_key(b, lb, &kb) != 0) {
        c = strcmp(a, b); /* out of memory only */
    } else {
        size_t n = ka.len < kb.len ? ka.len : kb.len;
        c = memcmp(buf_str(&ka), buf_str(&kb), n);
        if (c == 0)
            c = ka.len < kb.len ? -1 : ka.len > kb.len;
    }
    buf_free(&ka);
    buf_free(&kb);
    return c;
}

int vn_fold(const char *s, size_t len, buf *out)
{
    if (!vn_utf8_valid(s, len))
        return -1;
    buf tmp = BUF_INIT;
    size_t start = out->len;
    int rc = -1;
    /* NFKD so that no-break spaces, full-width letters and ligatures match their plain forms. */
    if (map_into(s, len, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                 UTF8PROC_CASEFOLD | UTF8PROC_LUMP, &tmp) != 0)
        goto fail;
    const unsigned char *p = (const unsigned char *)buf_str(&tmp);
    for (size_t i = 0; i < tmp.len; i++) {
        /* đ (U+0111, C4 91) and ð (U+00F0, C3 B0: the fold of Ð U+00D0, often typed for Đ) */
        if (i + 1 < tmp.len && ((p[i] == 0xC4 && p[i + 1] == 0x91) || (p[i] == 0xC3 && p[i + 1] == 0xB0))) {
            if (buf_addc(out, 'd') != 0)
                goto fail;
            i++;
        } else if (buf_addc(out, (char)p[i]) != 0) {
            goto fail;
        }
    }
    rc = 0;
fail:
    if (rc != 0)
        buf_truncate(out, start);
    buf_free(&tmp);
    return rc;
}

int vn_search(const char *haystack, const char *needle)
{
    buf h = BUF_INIT, n = BUF_INIT;
    int found = 0;
    if (vn_fold(haystack, strlen(haystack), &h) == 0 && vn_fold(needle, strlen(needle), &n) == 0)
        found = strstr(buf_str(&h), buf_str(&n)) != NULL;
    buf_free(&h);
    buf_free(&n);
    return found;
}

size_t vn_width(const char *s, size_t len)
{
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t w = 0;
    while (len > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, len > (size_t)PTRDIFF_MAX ? PTRDIFF_MAX : (utf8proc_ssize_t)len, &cp);
        if (n <= 0) { /* a byte that is not UTF-8 shows as one replacement character */
            n = 1;
            w++;
        } else {
            w += (size_t)utf8proc_charwidth(cp); /* 0 for marks and controls, 2 for wide CJK */
        }
        p += n;
        len -= (size_t)n;
    }
    return w;
}

/* ---- numbers ----------------------------------------------------------------------------- */

/* Checks that s[0..n) is digits with `grp` separating thousands: a first group of 1-3 digits
 * (not starting with 0 when there are more groups), then groups of exactly 3.  With grp 0,
 * any run of one or more digits passes. */
static int int_part_ok(const char *s, size_t n, char grp)
{
    size_t run = 0, groups = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == grp && grp) {
            if (groups == 0 ? (run == 0 || run > 3 || s[0] == '0') : run != 3)
                return 0;
            groups++;
            run = 0;
        } else if (s[k] >= '0' && s[k] <= '9') {
            run++;
        } else {
            return 0;
        }
    }
    return groups ? run == 3 : run > 0;
}

int vn_parse_number(const char *s, size_t len, enum vn_dec hint, double *out)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    int neg = 0;
    if (len && (*s == '-' || *s == '+')) {
        neg = *s == '-';
        s++, len--;
    }
    if (len == 0 || len > 200)
        return -1;
    size_t ndot = 0, ncomma = 0, lastdot = 0, lastcomma = 0;
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '.')
            ndot++, lastdot = k;
        else if (s[k] == ',')
            ncomma++, lastcomma = k;
        else if (s[k] < '0' || s[k] > '9')
            return -1;
    }
    /* Which mark is the decimal one (dec) and which groups thousands (grp); 0 = none. */
    char dec = 0, grp = 0;
    size_t at = len; /* position of the decimal mark */
    if (ndot && ncomma) {
        dec = lastdot > lastcomma ? '.' : ',';
        grp = dec == '.' ? ',' : '.';
        at = dec == '.' ? lastdot : lastcomma;
        if ((dec == '.' ? ndot : ncomma) != 1)
            return -1;
    } else if (ndot + ncomma > 1) {
        grp = ndot ? '.' : ',';
    } else if (ndot + ncomma == 1) {
        char mark = ndot ? '.' : ',';
        size_t m = ndot ? lastdot : lastcomma;
        /* "1.234" could be either; the hint decides only when it really is a thousands group. */
        int could_group = len - m - 1 == 3 && int_part_ok(s, len, mark);
        int hint_groups = (mark == '.' && hint == VN_DEC_COMMA) || (mark == ',' && hint == VN_DEC_DOT);
        if (could_group && hint_groups) {
            grp = mark;
        } else {
            dec = mark;
            at = m;
        }
    }
    if (!int_part_ok(s, at, grp))
        return -1;
    if (dec && at + 1 == len)
        return -1; /* "5," */
    /* strtod gets "<digits>e-<fraction digits>", which no locale reads differently; built on
     * the stack (this runs once per imported cell). A plain integer of up to 15 digits is
     * exact in a double and needs no strtod at all. */
    char num[224];
    size_t n = 0;
    for (size_t k = 0; k < len; k++)
        if (s[k] >= '0' && s[k] <= '9')
            num[n++] = s[k];
    if (!dec && n <= 15) {
        double v = 0;
        for (size_t k = 0; k < n; k++)
            v = v * 10 + (num[k] - '0');
        *out = v == 0 ? 0.0 : neg ? -v : v;
        return 0;
    }
    if (dec && n <= 15 && len - at - 1 <= 22) {
        /* up to 15 digits are exact in a double, and so is 10^fd up to 10^22: one division,
         * rounded once, is the correctly rounded value strtod would give (Clinger's fast path) */
        static const double pow10[23] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                          1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
        double v = 0;
        for (size_t k = 0; k < n; k++)
            v = v * 10 + (num[k] - '0');
        v /= pow10[len - at - 1];
        *out = v == 0 ? 0.0 : neg ? -v : v;
        return 0;
    }
    if (dec) {
        size_t fd = len - at - 1; /* < 200 */
        num[n++] = 'e';
        num[n++] = '-';
        if (fd >= 100)
            num[n++] = (char)('0' + fd / 100);
        if (fd >= 10)
            num[n++] = (char)('0' + fd / 10 % 10);
        num[n++] = (char)('0' + fd % 10);
    }
    num[n] = '\0';
    char *end;
    double v = strtod(num, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = v == 0 ? 0.0 : neg ? -v : v; /* "-0" is 0 */
    return 0;
}

/* The 15 significant digits of a (0 <= a < 1e15) as "%.14e" gives them (correctly rounded from
 * the exact binary value) into mant, and the decimal exponent into *e; 0, or -1 when the quick
 * way cannot be sure (the caller asks snprintf then).  An integer is its own digits; otherwise
 * a * 10^s in long double (10^s exact there for s <= 27, the product off by less than 1e-4)
 * decides the rounding unless its fraction is that close to one half. */
static int sig15_quick(double a, char mant[15], long *e)
{
    static const long double p10[28] = { 1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
                                         1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
                                         1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L };
    unsigned long long n;
    long ex;
    if (a == floor(a)) {                      /* 0 <= a < 1e15: exactly its digits */
        n = (unsigned long long)a;
        ex = 0;
        for (unsigned long long x = n; x >= 10; x /= 10)
            ex++;
        for (long k = ex; k < 14; k++)
            n *= 10;
    } else {
        if (a < 1e-13)
            return -1;
        ex = 14;
        while (ex > -13 && a < (double)(ex >= 0 ? p10[ex] : 1.0L / p10[-ex]))
            ex--;
        long double x = (long double)a * p10[14 - ex];
        long double fl = floorl(x), fr = x - fl;
        if (fr > 0.4999L && fr < 0.5001L)
            return -1;                        /* too close to a tie to be sure */
        n = (unsigned long long)fl + (fr > 0.5L);
        if (n < 100000000000000ULL || n >= 1000000000000000ULL)
            return -1;                        /* the exponent guessed wrong: let snprintf say */
    }
    for (int k = 14; k >= 0; k--) {
        mant[k] = (char)('0' + n % 10);
        n /= 10;
    }
    *e = ex;
    return 0;
}

/* The same the slow and sure way. */
static int sig15_printf(double a, char mant[15], long *e)
{
    char t[64];
    snprintf(t, sizeof t, "%.14e", a);
    /* d<radix>dddddddddddddde±XX; the radix character depends on the locale, skip it. */
    size_t nm = 0;
    const char *q = t;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nm < 15)
            mant[nm++] = *q;
    *e = *q == 'e' ? strtol(q + 1, NULL, 10) : 0;
    return nm == 15 ? 0 : -1;
}

/* Writes to dg (room for DIGITS_MAX) the decimal digits of |v| as "0" + integer digits +
 * exactly `fd` fraction digits (truncated), returns their count and sets *ni to the count of
 * integer digits including that leading 0; -1 on failure.  Below 1e15 the digits are |v| to 15
 * significant digits; above, the exact binary value (whose fraction has at most 3 decimals
 * there, so "%.3f" is exact). */
#define DIGITS_MAX 400        /* "0" + 309 integer digits of DBL_MAX + 10 fraction digits */
static int decimal_digits(double v, size_t fd, char *dg, size_t *ni)
{
    double a = fabs(v);
    size_t len = 0;
    dg[len++] = '0';
    if (a < 1e15) {
        char mant[15];
        long e;
        if (sig15_quick(a, mant, &e) != 0 && sig15_printf(a, mant, &e) != 0)
            return -1;
        /* value = 0.mant * 10^(e+1): integer digits are the first e+1 of mant. */
        long intlen = e + 1;
        for (long k = 0; k < intlen; k++)
            dg[len++] = k < 15 ? mant[k] : '0';
        *ni = len;
        for (long k = intlen; len - *ni < fd; k++)
            dg[len++] = k >= 0 && k < 15 ? mant[k] : '0';
        return (int)len;
    }
    char t[DIGITS_MAX]; /* "%.3f" of DBL_MAX is 313 bytes: never truncated */
    snprintf(t, sizeof t, "%.3f", a);
    const char *q = t;
    for (; *q >= '0' && *q <= '9' && len < DIGITS_MAX - 12; q++)
        dg[len++] = *q;
    *ni = len;
    while (*q && (*q < '0' || *q > '9'))
        q++;
    for (; len - *ni < fd; q += *q != '\0')
        dg[len++] = *q >= '0' && *q <= '9' ? *q : '0';
    return (int)len;
}

static int format_number(double v, int decimals, int lang, int trim, buf *out)
{
    if (!isfinite(v) || decimals < 0 || decimals > 9 || (lang != LANG_VI && lang != LANG_EN))
        return -1;
    char dec = lang == LANG_EN ? '.' : ',', grp = lang == LANG_EN ? ',' : '.';
    size_t fd = (size_t)decimals, ni = 0, start = out->len;
    char d[DIGITS_MAX], txt[DIGITS_MAX + DIGITS_MAX / 3 + 4];
    size_t nt = 0;
    /* One digit beyond `decimals` decides the rounding: half away from zero. */
    if (decimal_digits(v, fd + 1, d, &ni) < 0)
        return -1;
    size_t last = ni + fd; /* index of the deciding digit */
    if (d[last] >= '5') {
        size_t k = last;
        while (k-- > 0) {
            if (d[k] != '9') {
                d[k]++;
                break;
            }
            d[k] = '0';
        }
    }
    size_t first = 0; /* skip leading zeros of the integer part, keeping one */
    while (first + 1 < ni && d[first] == '0')
        first++;
    size_t nfrac = fd;
    if (trim)
        while (nfrac && d[ni + nfrac - 1] == '0')
            nfrac--;
    int zero = 1;
    for (size_t k = first; k < ni + nfrac; k++)
        zero &= d[k] == '0';
    if (v < 0 && !zero)
        txt[nt++] = '-';
    size_t nint = ni - first;
    for (size_t k = 0; k < nint; k++) {
        if (k && (nint - k) % 3 == 0)
            txt[nt++] = grp;
        txt[nt++] = d[first + k];
    }
    if (nfrac) {
        txt[nt++] = dec;
        memcpy(txt + nt, d + ni, nfrac);
        nt += nfrac;
    }
    if (buf_add(out, txt, nt) != 0) {
        buf_truncate(out, start);
        return -1;
    }
    return 0;
}

int vn_format_number(double v, int decimals, int lang, buf *out)
{
    return format_number(v, decimals, lang, 0, out);
}

int vn_format_number_trim(double v, int max_decimals, int lang, buf *out)
{
    return format_number(v, max_decimals, lang, 1, out);
}

/* ---- dates ------------------------------------------------------------------------------- */

/* 1 if y-m-d is a day of the (proleptic) Gregorian calendar, years 1..9999. */
static int date_ok(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int vn_format_date(int ymd, int lang, buf *out)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (ymd < 0 || !date_ok(y, m, d) || (lang != LANG_VI && lang != LANG_EN))
        return -1;
    if (lang == LANG_EN)
        return buf_printf(out, "%04d-%02d-%02d", y, m, d);
    return buf_printf(out, "%d/%d/%d", d, m, y);
}

/* Days since 1970-01-01 of a valid y-m-d, and back (civil calendar, H. Hinnant's method). */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The value of n digits at s, or -1. */
static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* The local time of a UTC "YYYY-MM-DDTHH:MM[:SS]Z" (vn.h), with seconds or without; -1 and
 * nothing appended if iso is not such a time.  The offset moves minutes only: the seconds are
 * printed as stored (a missing ":SS" is ":00"). */
static int format_local_time(const char *iso, int lang, int seconds, buf *out)
{
    size_t len = iso ? strlen(iso) : 0;
    if (len < 16 || iso[4] != '-' || iso[7] != '-' || (iso[10] != 'T' && iso[10] != ' ') || iso[13] != ':' ||
        (lang != LANG_VI && lang != LANG_EN))
        return -1;
    int y = digits_at(iso, 4), mo = digits_at(iso + 5, 2), d = digits_at(iso + 8, 2);
    int h = digits_at(iso + 11, 2), mi = digits_at(iso + 14, 2), sec = 0;
    const char *rest = iso + 16;
    if (*rest == ':' && (sec = digits_at(rest + 1, 2)) >= 0 && sec <= 60)   /* seconds, optional */
        rest += 3;
    if (!date_ok(y, mo, d) || h < 0 || h > 23 || mi < 0 || mi > 59 || (strcmp(rest, "Z") != 0 && *rest))
        return -1;
    long minutes = days_from_civil(y, mo, d) * 1440L + h * 60L + mi + VN_TZ_MINUTES;
    long day = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    long in_day = minutes - day * 1440;
    civil_from_days(day, &y, &mo, &d);
    if (y < 1 || y > 9999)
        return -1;
    size_t start = out->len;
    int rc = lang == LANG_EN ? buf_printf(out, "%04d-%02d-%02d %02ld:%02ld", y, mo, d, in_day / 60, in_day % 60)
                             : buf_printf(out, "%d/%d/%d %02ld:%02ld", d, mo, y, in_day / 60, in_day % 60);
    if (rc == 0 && seconds)
        rc = buf_printf(out, ":%02d", sec);
    if (rc != 0)
        buf_truncate(out, start);
    return rc;
}

int vn_format_time(const char *iso, int lang, buf *out)
{
    return format_local_time(iso, lang, 0, out);
}

int vn_format_time_s(const char *iso, int lang, buf *out)
{
    return format_local_time(iso, lang, 1, out);
}

int vn_parse_iso_date(const char *s, size_t len, int *ymd)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int v[3] = { 0, 0, 0 };
    static const int at[3] = { 0, 5, 8 }, w[3] = { 4, 2, 2 };
    for (int f = 0; f < 3; f++)
        for (int k = 0; k < w[f]; k++) {
            char c = s[at[f] + k];
            if (c < '0' || c > '9')
                return -1;
            v[f] = v[f] * 10 + (c - '0');
        }
    /* In this domain a year outside 1900..2200 is a typing mistake ("0202-05-01", "2202-05-01"). */
    if (v[0] < 1900 || v[0] > 2200 || !date_ok(v[0], v[1], v[2]))
        return -1;
    *ymd = v[0] * 10000 + v[1] * 100 + v[2];
    return 0;
}
