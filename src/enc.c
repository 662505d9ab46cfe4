/* enc.c - legacy Vietnamese encodings to NFC UTF-8 (see enc.h and docs/internals/enc.md).
 *
 * This file owns the code tables: the Vietnamese letters by vowel and tone (vn_vowel), the
 * TCVN3/ABC byte of each lower-case letter (tcvn3_lo), the VNI Windows mark bytes and the
 * Windows-1252/1258 upper halves.  Decoders write UTF-8 (possibly decomposed) into a private
 * scratch buf, which vn_nfc then composes into the caller's buf.  enc_detect decodes a sample
 * with each candidate and scores the result by Vietnamese syllable structure.
 */
#include "enc.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "vn.h"

enum { T_NONE, T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT, NTONE };
enum { V_A, V_AB, V_AC, V_E, V_EC, V_I, V_O, V_OC, V_OH, V_U, V_UH, V_Y, NVOWEL };
enum { M_NONE, M_BREVE, M_CIRC, M_HORN };

#define REPL 0xFFFDu

/* Lower-case Vietnamese vowels: [a ă â e ê i o ô ơ u ư y][none ` ? ~ ' .] */
static const uint16_t vn_vowel[NVOWEL][NTONE] = {
    { 0x0061, 0x00E0, 0x1EA3, 0x00E3, 0x00E1, 0x1EA1 }, /* a */
    { 0x0103, 0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0x1EB7 }, /* ă */
    { 0x00E2, 0x1EA7, 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD }, /* â */
    { 0x0065, 0x00E8, 0x1EBB, 0x1EBD, 0x00E9, 0x1EB9 }, /* e */
    { 0x00EA, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7 }, /* ê */
    { 0x0069, 0x00EC, 0x1EC9, 0x0129, 0x00ED, 0x1ECB }, /* i */
    { 0x006F, 0x00F2, 0x1ECF, 0x00F5, 0x00F3, 0x1ECD }, /* o */
    { 0x00F4, 0x1ED3, 0x1ED5, 0x1ED7, 0x1ED1, 0x1ED9 }, /* ô */
    { 0x01A1, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3 }, /* ơ */
    { 0x0075, 0x00F9, 0x1EE7, 0x0169, 0x00FA, 0x1EE5 }, /* u */
    { 0x01B0, 0x1EEB, 0x1EED, 0x1EEF, 0x1EE9, 0x1EF1 }, /* ư */
    { 0x0079, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5 }, /* y */
};
static const char vowel_base[NVOWEL + 1] = "aaaeeiooouuy";
static const unsigned char vowel_mod[NVOWEL] = { M_NONE, M_BREVE, M_CIRC, M_NONE, M_CIRC, M_NONE,
                                                 M_NONE, M_CIRC, M_HORN, M_NONE, M_HORN, M_NONE };

/* TCVN3 (TCVN 5712:1993 VN3, the ABC ".Vn" fonts): byte of each lower-case vowel, same layout. */
static const unsigned char tcvn3_lo[NVOWEL][NTONE] = {
    { 'a', 0xB5, 0xB6, 0xB7, 0xB8, 0xB9 },
    { 0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6 },
    { 0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB },
    { 'e', 0xCC, 0xCE, 0xCF, 0xD0, 0xD1 },
    { 0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6 },
    { 'i', 0xD7, 0xD8, 0xDC, 0xDD, 0xDE },
    { 'o', 0xDF, 0xE1, 0xE2, 0xE3, 0xE4 },
    { 0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9 },
    { 0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE },
    { 'u', 0xEF, 0xF1, 0xF2, 0xF3, 0xF4 },
    { 0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9 },
    { 'y', 0xFA, 0xFB, 0xFC, 0xFD, 0xFE },
};
/* Bytes the VN3 fonts leave empty but TCVN 5712 VN1/VN2 fill (capitals, combining tones). */
static const uint16_t tcvn3_extra[][2] = {
    { 0xA1, 0x0102 }, { 0xA2, 0x00C2 }, { 0xA3, 0x00CA }, { 0xA4, 0x00D4 }, { 0xA5, 0x01A0 },
    { 0xA6, 0x01AF }, { 0xA7, 0x0110 }, { 0xAE, 0x0111 }, { 0xAF, 0x1EB0 }, { 0xB0, 0x0300 },
    { 0xB1, 0x0309 }, { 0xB2, 0x0303 }, { 0xB3, 0x0301 }, { 0xB4, 0x0323 }, { 0xBA, 0x1EB2 },
    { 0xBF, 0x1EB4 }, { 0xC0, 0x1EAE }, { 0xC1, 0x1EA6 }, { 0xC2, 0x1EA8 }, { 0xC3, 0x1EAA },
    { 0xC4, 0x1EA4 }, { 0xC5, 0x1EC0 }, { 0xCD, 0x1EC2 }, { 0xD9, 0x1EC4 }, { 0xDA, 0x1EBE },
    { 0xDB, 0x1ED2 }, { 0xE0, 0x1ED4 }, { 0xF0, 0x1ED6 }, { 0xFF, 0x1ED0 },
};

/* Windows-1252 0x80..0x9F (0 = undefined); VNI and TCVN3 fonts keep these punctuation bytes. */
static const uint16_t cp1252_c1[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* ---- small helpers --------------------------------------------------------------------------- */

static int put_cp(buf *b, uint32_t cp)
{
    char u[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = REPL;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return buf_add(b, u, n);
}

/* Decodes one code point of valid UTF-8 at s (n bytes left); returns its length. */
static size_t get_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80 || n < 2) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0 || n < 4) {
        *cp = n < 3 ? REPL : ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return n < 3 ? n : 3;
    }
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6)
        | (s[3] & 0x3F);
    return 4;
}

/* Upper case of an ASCII or Vietnamese letter; anything else unchanged. */
static uint32_t vn_upper(uint32_t cp)
{
    if (cp >= 'a' && cp <= 'z')
        return cp - 0x20;
    if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7)
        return cp - 0x20;
    if (cp >= 0x1EA0 && cp <= 0x1EF9)
        return cp & ~(uint32_t)1;
    if (cp == 0x103 || cp == 0x111 || cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0)
        return cp - 1;
    return cp;
}

static uint32_t vowel_cp(int v, int tone, int upper)
{
    uint32_t cp = vn_vowel[v][tone];
    return upper ? vn_upper(cp) : cp;
}

/* Vowel index with the given base letter (lower case) and modifier, or -1. */
static int vowel_index(int base, int mod)
{
    for (int v = 0; v < NVOWEL; v++)
        if (vowel_base[v] == base && vowel_mod[v] == mod)
            return v;
    return -1;
}

/* ---- TCVN3 ----------------------------------------------------------------------------------- */

static void tcvn3_table(uint32_t t[256], int upper)
{
    for (int i = 0; i < 256; i++)
        t[i] = (uint32_t)i;
    t[0] = REPL;
    for (int i = 0; i < 32; i++)
        t[0x80 + i] = cp1252_c1[i] ? cp1252_c1[i] : REPL;
    for (int v = 0; v < NVOWEL; v++)
        for (int k = 0; k < NTONE; k++)
            t[tcvn3_lo[v][k]] = vn_vowel[v][k];
    for (size_t i = 0; i < sizeof tcvn3_extra / sizeof tcvn3_extra[0]; i++)
        t[tcvn3_extra[i][0]] = tcvn3_extra[i][1];
    if (upper)
        for (int i = 0; i < 256; i++)
            t[i] = vn_upper(t[i]);
}

static int dec_tcvn3(const unsigned char *s, size_t len, int upper, buf *o)
{
    uint32_t t[256];
    tcvn3_table(t, upper);
    for (size_t i = 0; i < len; i++)
        if (put_cp(o, t[s[i]]) != 0)
            return -1;
    return 0;
}

/* ---- VNI Windows ----------------------------------------------------------------------------- */

/* If c is a VNI mark byte (either case), sets its modifier and tone and returns 1. */
static int vni_mark(unsigned char c, int *mod, int *tone)
{
    static const unsigned char marks[] = { 0xF8, 0xFB, 0xF5, 0xF9, 0xEF,       /* tone only */
                                           0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4, /* circumflex */
                                           0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB };
    static const unsigned char mods[] = { M_NONE, M_NONE, M_NONE, M_NONE, M_NONE,
                                          M_CIRC, M_CIRC, M_CIRC, M_CIRC, M_CIRC, M_CIRC,
                                          M_BREVE, M_BREVE, M_BREVE, M_BREVE, M_BREVE, M_BREVE };
    static const unsigned char tones[] = { T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT,
                                           T_NONE, T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT,
                                           T_NONE, T_GRAVE, T_HOOK, T_TILDE, T_ACUTE, T_DOT };
    if (c >= 0xC0 && c <= 0xDE)
        c = (unsigned char)(c + 0x20);
    for (size_t i = 0; i < sizeof marks; i++)
        if (marks[i] == c) {
            *mod = mods[i];
            *tone = tones[i];
            return 1;
        }
    return 0;
}

/* VNI single-byte letters: byte (lower-case form), vowel, tone; 0xF1 is đ. */
static const unsigned char vni_single[][3] = {
    { 0xF4, V_OH, T_NONE }, { 0xF6, V_UH, T_NONE }, { 0xEC, V_I, T_GRAVE }, { 0xE6, V_I, T_HOOK },
    { 0xF3, V_I, T_TILDE }, { 0xED, V_I, T_ACUTE }, { 0xF2, V_I, T_DOT },   { 0xEE, V_Y, T_DOT },
};

static uint32_t vni_byte(unsigned char c)
{
    if (c == 0)
        return REPL;
    if (c >= 0x80 && c < 0xA0)
        return cp1252_c1[c - 0x80] ? cp1252_c1[c - 0x80] : REPL;
    int up = c >= 0xC0 && c <= 0xDE;
    unsigned char lc = up ? (unsigned char)(c + 0x20) : c;
    if (lc == 0xF1)
        return up ? 0x110 : 0x111;
    for (size_t i = 0; i < sizeof vni_single / sizeof vni_single[0]; i++)
        if (vni_single[i][0] == lc)
            return vowel_cp(vni_single[i][1], vni_single[i][2], up);
    return c;
}

static int dec_vni(const unsigned char *s, size_t len, buf *o)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        int up = (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE);
        unsigned char lc = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 0x20)
                         : (c >= 0xC0 && c <= 0xDE) ? (unsigned char)(c + 0x20) : c;
        int base = -1, mod, tone;
        if (lc == 'a' || lc == 'e' || lc == 'o' || lc == 'u' || lc == 'y')
            base = lc;
        if (i + 1 < len && vni_mark(s[i + 1], &mod, &tone)) {
            int v = -1;
            if (base >= 0)
                v = vowel_index(base, mod);
            else if ((lc == 0xF4 || lc == 0xF6) && mod == M_NONE)
                v = lc == 0xF4 ? V_OH : V_UH;
            if (v >= 0) {
                if (put_cp(o, vowel_cp(v, tone, up)) != 0)
                    return -1;
                i++;
                continue;
            }
        }
        if (put_cp(o, vni_byte(c)) != 0)
            return -1;
    }
    return 0;
}

/* ---- Windows-1258 ---------------------------------------------------------------------------- */

static uint32_t cp1258_byte(unsigned char c)
{
    static const uint16_t hi[][2] = {
        { 0xC3, 0x0102 }, { 0xCC, 0x0300 }, { 0xD0, 0x0110 }, { 0xD2, 0x0309 }, { 0xD5, 0x01A0 },
        { 0xDD, 0x01AF }, { 0xDE, 0x0303 }, { 0xE3, 0x0103 }, { 0xEC, 0x0301 }, { 0xF0, 0x0111 },
        { 0xF2, 0x0323 }, { 0xF5, 0x01A1 }, { 0xFD, 0x01B0 }, { 0xFE, 0x20AB },
    };
    if (c == 0)
        return REPL;
    if (c >= 0x80 && c < 0xA0) {
        /* 1258 leaves Š Ž š ž of 1252 undefined */
        if (c == 0x8A || c == 0x8E || c == 0x9A || c == 0x9E)
            return REPL;
        return cp1252_c1[c - 0x80] ? cp1252_c1[c - 0x80] : REPL;
    }
    for (size_t i = 0; i < sizeof hi / sizeof hi[0]; i++)
        if (hi[i][0] == c)
            return hi[i][1];
    return c;
}

static int dec_cp1258(const unsigned char *s, size_t len, buf *o)
{
    for (size_t i = 0; i < len; i++)
        if (put_cp(o, cp1258_byte(s[i])) != 0)
            return -1;
    return 0;
}

/* ---- VIQR ------------------------------------------------------------------------------------ */

static int viqr_tone(unsigned char c)
{
    switch (c) {
    case '`': return T_GRAVE;
    case '?': return T_HOOK;
    case '~': return T_TILDE;
    case '\'': return T_ACUTE;
    case '.': return T_DOT;
    default: return -1;
    }
}

static int viqr_mod(unsigned char c)
{
    return c == '(' ? M_BREVE : c == '^' ? M_CIRC : c == '+' ? M_HORN : -1;
}

static int dec_viqr(const unsigned char *s, size_t len, buf *o)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        int up = c >= 'A' && c <= 'Z';
        int lc = up ? c + 0x20 : c;
        if (c == '\\' && i + 1 < len
            && (viqr_tone(s[i + 1]) >= 0 || viqr_mod(s[i + 1]) >= 0 || s[i + 1] == '\\'
                || ((s[i + 1] == 'd' || s[i + 1] == 'D') && i > 0 && (s[i - 1] | 0x20) == 'd'))) {
            if (put_cp(o, s[i + 1]) != 0)
                return -1;
            i++;
            continue;
        }
        if (lc == 'd' && i + 1 < len && (s[i + 1] | 0x20) == 'd') {
            if (put_cp(o, up ? 0x110 : 0x111) != 0)
                return -1;
            i++;
            continue;
        }
        if (lc == 'a' || lc == 'e' || lc == 'i' || lc == 'o' || lc == 'u' || lc == 'y') {
            int v = vowel_index(lc, M_NONE), tone = T_NONE, have_mod = 0, have_tone = 0;
            size_t j = i + 1;
            while (j < len && !(have_mod && have_tone)) {
                int m = viqr_mod(s[j]), t = viqr_tone(s[j]);
                if (!have_mod && m >= 0 && vowel_index(lc, m) >= 0) {
                    v = vowel_index(lc, m);
                    have_mod = 1;
                } else if (!have_tone && t >= 0) {
                    tone = t;
                    have_tone = 1;
                } else {
                    break;
                }
                j++;
            }
            if (put_cp(o, vowel_cp(v, tone, up)) != 0)
                return -1;
            i = j - 1;
            continue;
        }
        if (put_cp(o, c ? c : REPL) != 0)
            return -1;
    }
    return 0;
}

/* ---- public: names and fonts ------------------------------------------------------------------ */

int enc_parse_name(const char *name)
{
    static const struct { const char *n; int e; } names[] = {
        { "utf8", ENC_UTF8 },   { "utf-8", ENC_UTF8 },     { "tcvn3", ENC_TCVN3 },
        { "abc", ENC_TCVN3 },   { "vn3", ENC_TCVN3 },      { "vni", ENC_VNI },
        { "viqr", ENC_VIQR },   { "cp1258", ENC_CP1258 },  { "windows-1258", ENC_CP1258 },
    };
    if (name == NULL)
        return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].n) == 0)
            return names[i].e;
    return -1;
}

const char *enc_name(int enc)
{
    switch (enc) {
    case ENC_UTF8: return "utf8";
    case ENC_TCVN3: return "tcvn3";
    case ENC_VNI: return "vni";
    case ENC_VIQR: return "viqr";
    case ENC_CP1258: return "cp1258";
    default: return "?";
    }
}

int enc_font_encoding(const char *font_name, int *upper)
{
    if (upper)
        *upper = 0;
    if (font_name == NULL)
        return -1;
    while (*font_name == ' ')
        font_name++;
    size_t n = strlen(font_name);
    while (n > 0 && font_name[n - 1] == ' ')
        n--;
    if (n > 3 && strncasecmp(font_name, ".vn", 3) == 0) {
        if (upper && font_name[n - 1] == 'H')
            *upper = 1;
        return ENC_TCVN3;
    }
    if (n >= 3 && strncasecmp(font_name, "vni", 3) == 0 && (n == 3 || font_name[3] == '-' || font_name[3] == ' '))
        return ENC_VNI;
    return -1;
}

/* ---- public: decoding ------------------------------------------------------------------------ */

int enc_to_utf8(int enc, const char *s, size_t len, int upper, buf *out, err_t *e)
{
    if (s == NULL && len > 0)
        return err_set(e, "%s", tr("enc: thiếu dữ liệu", "enc: missing input"));
    if (enc == ENC_UTF8) {
        if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        if (!vn_utf8_valid(s, len))
            return err_set(e, "%s", tr("văn bản không phải UTF-8 hợp lệ", "text is not valid UTF-8"));
        if (vn_nfc(s, len, out) != 0)
            return err_set(e, "%s", tr("hết bộ nhớ khi chuẩn hoá văn bản", "out of memory normalising text"));
        return 0;
    }
    buf tmp;
    buf_init(&tmp, 0);
    const unsigned char *u = (const unsigned char *)s;
    int rc;
    switch (enc) {
    case ENC_TCVN3: rc = dec_tcvn3(u, len, upper, &tmp); break;
    case ENC_VNI: rc = dec_vni(u, len, &tmp); break;
    case ENC_VIQR: rc = dec_viqr(u, len, &tmp); break;
    case ENC_CP1258: rc = dec_cp1258(u, len, &tmp); break;
    default:
        buf_free(&tmp);
        return err_set(e, tr("bảng mã không xác định: %d", "unknown encoding: %d"), enc);
    }
    if (rc == 0 && tmp.len > 0)
        rc = vn_nfc(tmp.p, tmp.len, out);
    buf_free(&tmp);
    if (rc != 0)
        return err_set(e, tr("hết bộ nhớ khi đổi bảng mã %s", "out of memory converting from %s"), enc_name(enc));
    return 0;
}

/* ---- detection ------------------------------------------------------------------------------- */

#define SAMPLE_MAX ((size_t)64 << 10)
#define WORD_MAX 12

/* Vowel codes used in syllable checks: a ă â e ê i o ô ơ u ư y. */
static const char vcode[NVOWEL + 1] = "a12e3io45u6y";

static int valid_in(const char *w, size_t n, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
            return 1;
    return 0;
}

/* Is w (consonants as lower-case ASCII, đ as '#', vowels as vcode) one Vietnamese syllable? */
static int syllable_ok(const char *w, size_t n)
{
    static const char *const onsets[] = { "", "b", "c", "ch", "d", "#", "g", "gh", "gi", "h", "k", "kh",
                                          "l", "m", "n", "ng", "ngh", "nh", "p", "ph", "qu", "r", "s", "t",
                                          "th", "tr", "v", "x", NULL };
    static const char *const nuclei[] = {
        "a", "1", "2", "e", "3", "i", "o", "4", "5", "u", "6", "y",
        "ai", "ao", "au", "ay", "2u", "2y", "eo", "3u", "ia", "i3", "iu", "oa", "o1", "oe", "oi",
        "4i", "5i", "oo", "ua", "u2", "u3", "ui", "u4", "u5", "uy", "6a", "6i", "65", "6u", "y3",
        "i3u", "oai", "oao", "oay", "oeo", "u2y", "u4i", "65i", "65u", "uya", "uy3", "uyu", "y3u", NULL };
    static const char *const finals[] = { "", "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL };
    size_t i = 0;
    while (i < n && !strchr(vcode, w[i]))
        i++;
    size_t on = i;
    if (on == 1 && w[0] == 'q' && i < n && w[i] == 'u')
        on = ++i;
    else if (on == 1 && w[0] == 'g' && i + 1 < n && w[i] == 'i' && strchr(vcode, w[i + 1]))
        on = ++i;
    if (!valid_in(w, on, onsets))
        return 0;
    size_t ns = i;
    while (i < n && strchr(vcode, w[i]))
        i++;
    if (i == ns || !valid_in(w + ns, i - ns, nuclei))
        return 0;
    return valid_in(w + i, n - i, finals);
}

/* Classifies a code point: returns 1 for a letter, setting *code (syllable code), *tone, *upper
 * and *vn (0 = foreign letter); returns 0 otherwise. */
static int classify(uint32_t cp, char *code, int *tone, int *upper, int *vn)
{
    *tone = T_NONE;
    *vn = 1;
    *upper = 0;
    uint32_t lc = cp;
    if (cp >= 'A' && cp <= 'Z') {
        lc = cp + 0x20;
        *upper = 1;
    }
    if (lc >= 'a' && lc <= 'z') {
        int v = vowel_index((int)lc, M_NONE);
        *code = v >= 0 ? vcode[v] : (char)lc;
        if (lc == 'f' || lc == 'j' || lc == 'w' || lc == 'z')
            *vn = 0;
        return 1;
    }
    if (cp < 0xC0)
        return 0;
    if (cp == 0x110 || cp == 0x111) {
        *code = '#';
        *upper = cp == 0x110;
        return 1;
    }
    for (int v = 0; v < NVOWEL; v++)
        for (int k = 0; k < NTONE; k++) {
            uint32_t l = vn_vowel[v][k];
            if (cp == l || cp == vn_upper(l)) {
                *code = vcode[v];
                *tone = k;
                *upper = cp != l;
                return 1;
            }
        }
    /* other Latin letters: Latin-1 and Latin Extended-A/B */
    if ((cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF)) {
        *code = '!';
        *vn = 0;
        return 1;
    }
    return 0;
}

/* What NFC text holds, seen as Vietnamese: non-ASCII letters in plausible syllables (ok) and in
 * implausible words (bad), undefined bytes (repl), other symbols beyond ASCII (stray). */
typedef struct vn_tally {
    long ok, bad, repl, stray;
} vn_tally;

/* Adds the tally of NFC text u[0..n) to t (words do not continue across calls). */
static void vn_tally_text(const char *u, size_t n, vn_tally *t)
{
    const unsigned char *p = (const unsigned char *)u;
    char w[WORD_MAX];
    size_t wl = 0, i = 0;
    int nonascii = 0, dd = 0, tones = 0, bad = 0, seen_lower = 0;
    for (;;) {
        uint32_t cp = 0;
        size_t k = i < n ? get_cp(p + i, n - i, &cp) : 0;
        char code = 0;
        int tone, upper, vn;
        int letter = i < n && classify(cp, &code, &tone, &upper, &vn);
        if (letter) {
            if (wl < WORD_MAX)
                w[wl] = code;
            wl++;
            if (cp >= 0x80)
                nonascii++;
            dd += code == '#';
            if (tone != T_NONE)
                tones++;
            if (!vn || (upper && seen_lower))
                bad = 1;
            if (!upper)
                seen_lower = 1;
        } else {
            if (nonascii > 0) {
                /* đ/Đ as the only non-ASCII letters: abbreviations ("đ/c", "HĐND", "1.000đ") */
                if (!bad && tones <= 1 && ((wl <= WORD_MAX && syllable_ok(w, wl)) || dd == nonascii))
                    t->ok += nonascii;
                else
                    t->bad += nonascii;
            }
            wl = 0;
            nonascii = dd = tones = bad = seen_lower = 0;
            if (i >= n)
                break;
            if (cp == REPL)
                t->repl++;
            else if (cp >= 0x80 && cp != 0xA0 && !(cp >= 0x2010 && cp <= 0x203A) && cp != 0x20AC && cp != 0x20AB)
                t->stray++;
        }
        i += k;
    }
}

/* Scores NFC text u[0..n) as Vietnamese: + per non-ASCII letter in a plausible syllable,
 * - for non-ASCII letters in implausible words and for stray symbols. */
static long vn_score(const char *u, size_t n)
{
    vn_tally t = { 0 };
    vn_tally_text(u, n, &t);
    return t.ok - 2 * t.bad - 3 * t.repl - 2 * t.stray;
}

static int is_vowel_ascii(int c)
{
    c |= 0x20;
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

static int is_alpha_ascii(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Counts VIQR evidence in ASCII text; returns 1 when it looks like VIQR. */
static int looks_viqr(const unsigned char *s, size_t len)
{
    long strong = 0, medium = 0, words = 0;
    for (size_t i = 0; i < len; i++) {
        int c = s[i], prev = i > 0 ? s[i - 1] : ' ', next = i + 1 < len ? s[i + 1] : ' ';
        if (is_alpha_ascii(c) && !is_alpha_ascii(prev))
            words++;
        if ((c | 0x20) == 'd' && (next | 0x20) == 'd' && !is_alpha_ascii(prev) && i + 2 < len
            && is_vowel_ascii(s[i + 2]))
            strong++;
        int modded = viqr_mod((unsigned char)c) >= 0 && is_vowel_ascii(prev);
        if ((!is_vowel_ascii(c) && !modded) || i + 1 >= len)
            continue;
        int m = viqr_mod((unsigned char)next);
        if (!modded && m >= 0 && vowel_index(c | 0x20, m) >= 0) {
            int after = i + 2 < len ? s[i + 2] : ' ';
            if (is_alpha_ascii(after) || viqr_tone((unsigned char)after) >= 0)
                strong++;
            continue;
        }
        if (viqr_tone((unsigned char)next) < 0)
            continue;
        /* tone mark after a vowel: count the letters left in the word */
        size_t j = i + 2, k = j;
        while (k < len && is_alpha_ascii(s[k]))
            k++;
        char fin[3] = { 0 };
        for (size_t q = j; q < k && q - j < 2; q++)
            fin[q - j] = (char)(s[q] | 0x20);
        static const char *const finals[] = { "c", "ch", "m", "n", "ng", "nh", "p", "t", NULL };
        if (k > j && k - j <= 2 && valid_in(fin, k - j, finals) && next != '\'')
            strong++;
        else if (k == j || (k - j <= 2 && is_vowel_ascii(s[j])))
            medium++;
    }
    if (strong == 0 || strong + medium < 2)
        return 0;
    return (strong + medium) * 20 >= words;
}

int enc_detect(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    if (s == NULL || len == 0)
        return ENC_UTF8;
    while (i < len && u[i] < 0x80)
        i++;
    if (i == len)
        return looks_viqr(u, len) ? ENC_VIQR : ENC_UTF8;
    if (vn_utf8_valid(s, len))
        return ENC_UTF8;
    size_t n = len < SAMPLE_MAX ? len : SAMPLE_MAX;
    /* TCVN3 twice: as a normal font and as an H (capitals) font */
    static const int cand[] = { ENC_TCVN3, ENC_TCVN3, ENC_VNI, ENC_CP1258 };
    int best = ENC_TCVN3;
    long best_score = 0, any_ok = 0;
    for (size_t c = 0; c < sizeof cand / sizeof cand[0]; c++) {
        buf b;
        err_t e;
        buf_init(&b, 0);
        long sc = -1000000L;
        if (enc_to_utf8(cand[c], s, n, c == 1, &b, &e) == 0) {
            vn_tally t = { 0 };
            vn_tally_text(b.p ? b.p : "", b.len, &t);
            any_ok += t.ok > t.bad;       /* more letters in Vietnamese syllables than not */
            sc = vn_score(b.p ? b.p : "", b.len);
        }
        buf_free(&b);
        if (c == 0 || sc > best_score) {
            best = cand[c];
            best_score = sc;
        }
    }
    /* No reading is mostly Vietnamese syllables ("Café Müller" is "Cafộ Mỹller" in TCVN3): the
     * bytes are Western European text, which CP1258 reads as Latin-1 does its letters. */
    return any_ok > 0 ? best : ENC_CP1258;
}

/* ---- strict guessing ------------------------------------------------------------------------- */

/* The length of the well-formed UTF-8 sequence of two or more bytes at s (n bytes left), or 0:
 * no overlong forms, no surrogates, nothing beyond U+10FFFF (utf8proc's rules). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        need = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < need; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    return need;
}

size_t enc_utf8_bad_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] >= 0x01 && u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = u[i] ? utf8_seq(u + i, len - i) : 0;
        if (k == 0)
            return i;
        i += k;
    }
    return len;
}

int enc_mostly_utf8(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(s + i, len - i);
        if (k)
            good++, i += k;
        else
            bad++, i++;
    }
    return good > bad;
}

#define CHUNK ((size_t)256 << 10)

/* The score of s[0..len) decoded in enc as clean Vietnamese, or -1 when it is not: an undefined
 * byte, a symbol beyond ASCII punctuation, a non-ASCII letter outside a Vietnamese syllable, or no
 * Vietnamese letter at all.  Decodes line-aligned chunks, so a long file costs no more memory. */
static long clean_score(int enc, int upper, const char *s, size_t len)
{
    vn_tally t = { 0 };
    buf b;
    err_t e;
    buf_init(&b, 0);
    for (size_t at = 0; at < len && t.bad + t.repl + t.stray == 0;) {
        size_t n = len - at;
        if (n > CHUNK) {
            const char *nl = memchr(s + at + CHUNK, '\n', n - CHUNK);
            n = nl ? (size_t)(nl - (s + at)) + 1 : n;
        }
        buf_reset(&b);
        if (enc_to_utf8(enc, s + at, n, upper, &b, &e) != 0) {
            t.repl++;
            break;
        }
        vn_tally_text(b.p ? b.p : "", b.len, &t);
        at += n;
    }
    buf_free(&b);
    return t.bad + t.repl + t.stray == 0 && t.ok > 0 ? t.ok : -1;
}

int enc_guess(const char *s, size_t len, int *upper)
{
    *upper = 0;
    if (s == NULL || len == 0 || enc_utf8_bad_at(s, len) == len)
        return ENC_UTF8;
    if (enc_mostly_utf8(s, len))
        return -1;
    static const int cand[] = { ENC_TCVN3, ENC_TCVN3, ENC_VNI, ENC_CP1258 };
    int best = -1;
    long best_score = -1;
    for (size_t c = 0; c < sizeof cand / sizeof cand[0]; c++) {
        long sc = clean_score(cand[c], c == 1, s, len);
        if (sc > best_score) {
            best = cand[c];
            best_score = sc;
            *upper = c == 1;
        }
    }
    return best;
}
