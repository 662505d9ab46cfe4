/* vn.c - Vietnamese text and numbers (see vn.h).
 *
 * Unicode work (validation, NFC, NFD, case folding, display width) is done by
 * utf8proc; this file adds what utf8proc does not know: the Vietnamese
 * alphabet order (ă â đ ê ô ơ ư are letters of their own, tones are a
 * secondary difference), đ -> d for accent-free search, and the number and
 * date conventions.  utf8proc returns malloc'd strings which are freed here;
 * every result goes into the caller's buf.
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
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0 || cp == 0)
            return 0;
        p += n;
        left -= n;
    }
    return 1;
}

static int map_into(const char *s, size_t len, utf8proc_option_t opts, buf *out)
{
    if (!vn_utf8_valid(s, len))
        return -1;
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
    return map_into(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out);
}

/* ---- collation ------------------------------------------------------------------------------ */

/* Position of a Vietnamese base letter (lower case, after removing tone marks) in the alphabet
 * a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z, or -1. */
static int letter_index(utf8proc_int32_t base, int breve, int circ, int horn)
{
    switch (base) {
    case 'a': return breve ? 1 : circ ? 2 : 0;
    case 'b': return 3;
    case 'c': return 4;
    case 'd': return 5;
    case 0x111: return 6; /* đ */
    case 'e': return circ ? 8 : 7;
    case 'o': return circ ? 19 : horn ? 20 : 18;
    case 'u': return horn ? 27 : 26;
    default: break;
    }
    static const char rest[] = "fghijklmnpqrstvwxyz";
    static const int idx[] = { 9, 10, 11, 12, 13, 14, 15, 16, 17, 21, 22, 23, 24, 25, 28, 29, 30, 31, 32 };
    const char *hit = base < 128 && base > 0 ? strchr(rest, (int)base) : NULL;
    return hit ? idx[hit - rest] : -1;
}

static int tone_of(utf8proc_int32_t mark)
{
    switch (mark) {
    case 0x300: return 1; /* huyền */
    case 0x309: return 2; /* hỏi */
    case 0x303: return 3; /* ngã */
    case 0x301: return 4; /* sắc */
    case 0x323: return 5; /* nặng */
    default: return 0;
    }
}

static void put3(buf *b, uint32_t w)
{
    char t[3] = { (char)(w >> 16), (char)(w >> 8), (char)w };
    buf_add(b, t, 3);
}

int vn_sort_key(const char *s, size_t len, buf *out)
{
    if (!vn_utf8_valid(s, len))
        return -1;
    utf8proc_uint8_t *nfd = NULL;
    utf8proc_ssize_t n = len ? utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &nfd,
                                            UTF8PROC_STABLE | UTF8PROC_DECOMPOSE)
                             : 0;
    if (n < 0)
        return -1;
    buf sec = BUF_INIT, ter = BUF_INIT;
    size_t start = out->len;
    utf8proc_ssize_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        i += utf8proc_iterate(nfd + i, n - i, &cp);
        int upper = 0, breve = 0, circ = 0, horn = 0, tone = 0;
        utf8proc_int32_t low = utf8proc_tolower(cp);
        upper = low != cp;
        /* gather the combining marks that follow */
        while (i < n) {
            utf8proc_int32_t mk;
            utf8proc_ssize_t k = utf8proc_iterate(nfd + i, n - i, &mk);
            const utf8proc_property_t *pr = utf8proc_get_property(mk);
            if (pr->combining_class == 0 && pr->category != UTF8PROC_CATEGORY_MN)
                break;
            i += k;
            if (mk == 0x306) breve = 1;
            else if (mk == 0x302) circ = 1;
            else if (mk == 0x31B) horn = 1;
            else if (tone_of(mk)) tone = tone_of(mk);
        }
        uint32_t w;
        int li = letter_index(low, breve, circ, horn);
        if (li >= 0)
            w = 0x200 + (uint32_t)li * 4;
        else if (low >= '0' && low <= '9')
            w = 0x100 + (uint32_t)(low - '0');
        else if (low == ' ')
            w = 1;
        else if (low < 0x80)
            w = 2 + (uint32_t)low;
        else
            w = 0x1000 + (uint32_t)low;
        put3(out, w);
        buf_addc(&sec, (char)(1 + tone));
        buf_addc(&ter, (char)(1 + upper));
    }
    free(nfd);
    put3(out, 0);
    buf_add(out, buf_str(&sec), sec.len);
    buf_addc(out, 0);
    buf_add(out, buf_str(&ter), ter.len);
    buf_addc(out, 0);
    int rc = buf_add(out, s, len);
    if (sec.len != ter.len || rc != 0) {
        buf_truncate(out, start);
        rc = -1;
    }
    buf_free(&sec);
    buf_free(&ter);
    return rc;
}

int vn_collate(const char *a, const char *b)
{
    buf ka = BUF_INIT, kb = BUF_INIT;
    int ra = vn_sort_key(a, strlen(a), &ka), rb = vn_sort_key(b, strlen(b), &kb);
    int c;
    if (ra != 0 || rb != 0) {
        c = strcmp(a, b);
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
    buf tmp = BUF_INIT;
    int rc = map_into(s, len, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &tmp);
    if (rc == 0) {
        const char *p = buf_str(&tmp);
        for (size_t i = 0; i < tmp.len && rc == 0; i++) {
            if ((unsigned char)p[i] == 0xC4 && i + 1 < tmp.len && (unsigned char)p[i + 1] == 0x91) {
                rc = buf_addc(out, 'd'); /* đ (U+0111) does not decompose */
                i++;
            } else {
                rc = buf_addc(out, p[i]);
            }
        }
    }
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
    utf8proc_ssize_t left = (utf8proc_ssize_t)len;
    size_t w = 0;
    while (left > 0) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) {
            n = 1;
            w++;
        } else {
            w += (size_t)utf8proc_charwidth(cp);
        }
        p += n;
        left -= n;
    }
    return w;
}

/* ---- numbers ----------------------------------------------------------------------------- */

int vn_parse_number(const char *s, size_t len, enum vn_dec hint, double *out)
{
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || len > 64)
        return -1;
    char digits[80];
    size_t nd = 0, i = 0;
    int neg = 0;
    if (s[0] == '-' || s[0] == '+')
        neg = s[i++] == '-';
    size_t ndot = 0, ncomma = 0, lastdot = 0, lastcomma = 0;
    for (size_t k = i; k < len; k++) {
        if (s[k] == '.')
            ndot++, lastdot = k;
        else if (s[k] == ',')
            ncomma++, lastcomma = k;
        else if (s[k] < '0' || s[k] > '9')
            return -1;
    }
    /* Decide which mark (if any) is the decimal one. */
    char dec = 0, grp = 0;
    if (ndot && ncomma) {
        dec = lastdot > lastcomma ? '.' : ',';
        grp = dec == '.' ? ',' : '.';
        if ((dec == '.' ? ndot : ncomma) != 1)
            return -1;
    } else if (ndot + ncomma > 1) {
        grp = ndot ? '.' : ',';
    } else if (ndot + ncomma == 1) {
        char mark = ndot ? '.' : ',';
        size_t at = ndot ? lastdot : lastcomma;
        int three_after = len - at - 1 == 3;
        int thousands = three_after && at > i &&
                        ((mark == '.' && hint == VN_DEC_COMMA) || (mark == ',' && hint == VN_DEC_DOT));
        if (thousands)
            grp = mark;
        else
            dec = mark;
    }
    /* Walk: integer part with optional groups of three, then the fraction. */
    size_t k = i, intdigits = 0, since_grp = 0;
    int grouped = 0;
    for (; k < len && s[k] != dec; k++) {
        if (s[k] == grp) {
            if (since_grp == 0 || (grouped && since_grp != 3) || (!grouped && since_grp > 3))
                return -1;
            grouped = 1;
            since_grp = 0;
            continue;
        }
        digits[nd++] = s[k];
        intdigits++;
        since_grp++;
    }
    if (intdigits == 0 || (grouped && since_grp != 3))
        return -1;
    if (k < len) { /* decimal mark */
        digits[nd++] = '.';
        k++;
        if (k == len)
            return -1;
        for (; k < len; k++) {
            if (s[k] < '0' || s[k] > '9')
                return -1;
            digits[nd++] = s[k];
        }
    }
    digits[nd] = '\0';
    char *end;
    double v = strtod(digits, &end);
    if (*end != '\0' || !isfinite(v))
        return -1;
    *out = neg ? -v : v;
    return 0;
}

static int format_number(double v, int decimals, int lang, int trim, buf *out)
{
    if (!isfinite(v))
        return -1;
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    char dec = lang == LANG_EN ? '.' : ',', grp = lang == LANG_EN ? ',' : '.';
    char ip[400], fp[400];
    int neg;
    double scale = pow(10, decimals), r = round(v * scale);
    if (fabs(r) < 9007199254740992.0) { /* 2^53: exact integer arithmetic */
        long long q = (long long)r;
        neg = q < 0;
        unsigned long long a = (unsigned long long)(neg ? -q : q), sc = (unsigned long long)scale;
        snprintf(ip, sizeof ip, "%llu", a / sc);
        snprintf(fp, sizeof fp, "%0*llu", decimals, a % sc);
    } else {
        char tmp[400];
        snprintf(tmp, sizeof tmp, "%.*f", decimals, fabs(v));
        neg = v < 0;
        char *dot = strchr(tmp, '.');
        if (dot) {
            snprintf(fp, sizeof fp, "%s", dot + 1);
            *dot = '\0';
        } else {
            fp[0] = '\0';
        }
        snprintf(ip, sizeof ip, "%s", tmp);
    }
    if (decimals == 0)
        fp[0] = '\0';
    size_t nfp = strlen(fp);
    if (trim)
        while (nfp && fp[nfp - 1] == '0')
            fp[--nfp] = '\0';
    int zero = strspn(ip, "0") == strlen(ip) && strspn(fp, "0") == nfp;
    if (neg && !zero && buf_addc(out, '-') != 0)
        return -1;
    size_t n = strlen(ip);
    for (size_t k = 0; k < n; k++) {
        if (k && (n - k) % 3 == 0 && buf_addc(out, grp) != 0)
            return -1;
        if (buf_addc(out, ip[k]) != 0)
            return -1;
    }
    if (nfp && (buf_addc(out, dec) != 0 || buf_add(out, fp, nfp) != 0))
        return -1;
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

int vn_format_date(int ymd, int lang, buf *out)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (lang == LANG_EN)
        return buf_printf(out, "%04d-%02d-%02d", y, m, d);
    return buf_printf(out, "%d/%d/%d", d, m, y);
}

int vn_parse_iso_date(const char *s, size_t len, int *ymd)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    int v[3] = { 0, 0, 0 };
    const int at[3] = { 0, 5, 8 }, w[3] = { 4, 2, 2 };
    for (int f = 0; f < 3; f++)
        for (int k = 0; k < w[f]; k++) {
            char c = s[at[f] + k];
            if (c < '0' || c > '9')
                return -1;
            v[f] = v[f] * 10 + (c - '0');
        }
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = v[0], m = v[1], d = v[2];
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] + (m == 2 && leap))
        return -1;
    *ymd = y * 10000 + m * 100 + d;
    return 0;
}
