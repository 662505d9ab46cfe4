/* test_enc.c - legacy Vietnamese encodings (src/enc.h): fixed cases from tests/data/enc_cases.txt,
 * and round trips through a small encoder owned by this test.  The encoder's tables are written
 * here independently of src/enc.c (letter lists in the order of the common converters), so a typo
 * in either copy shows up as a failed round trip. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "enc.h"
#include "err.h"
#include "vn.h"
#include "test_data.h"

#define NL 67

/* The 67 letters with diacritics, lower then upper case, in the converters' order. */
static const char U_LO[] = "á à ả ã ạ ă ắ ằ ẳ ẵ ặ â ấ ầ ẩ ẫ ậ đ é è ẻ ẽ ẹ ê ế ề ể ễ ệ í ì ỉ ĩ ị ó ò ỏ õ ọ ô ố ồ ổ ỗ ộ "
                           "ơ ớ ờ ở ỡ ợ ú ù ủ ũ ụ ư ứ ừ ử ữ ự ý ỳ ỷ ỹ ỵ";
static const char U_UP[] = "Á À Ả Ã Ạ Ă Ắ Ằ Ẳ Ẵ Ặ Â Ấ Ầ Ẩ Ẫ Ậ Đ É È Ẻ Ẽ Ẹ Ê Ế Ề Ể Ễ Ệ Í Ì Ỉ Ĩ Ị Ó Ò Ỏ Õ Ọ Ô Ố Ồ Ổ Ỗ Ộ "
                           "Ơ Ớ Ờ Ở Ỡ Ợ Ú Ù Ủ Ũ Ụ Ư Ứ Ừ Ử Ữ Ự Ý Ỳ Ỷ Ỹ Ỵ";
/* TCVN3: one byte per lower-case letter ("¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉË®..." as Windows-1252). */
static const char TCVN3_B[] = "\xB8\xB5\xB6\xB7\xB9\xA8\xBE\xBB\xBC\xBD\xC6\xA9\xCA\xC7\xC8\xC9\xCB\xAE\xD0\xCC\xCE\xCF"
                              "\xD1\xAA\xD5\xD2\xD3\xD4\xD6\xDD\xD7\xD8\xDC\xDE\xE3\xDF\xE1\xE2\xE4\xAB\xE8\xE5\xE6\xE7"
                              "\xE9\xAC\xED\xEA\xEB\xEC\xEE\xF3\xEF\xF1\xF2\xF4\xAD\xF8\xF5\xF6\xF7\xF9\xFD\xFA\xFB\xFC\xFE";
/* TCVN3 capitals without tone in the normal fonts: Ă Â Đ Ê Ô Ơ Ư. */
static const char *const TCVN3_CAPS[][2] = { { "Ă", "\xA1" }, { "Â", "\xA2" }, { "Đ", "\xA7" }, { "Ê", "\xA3" },
                                             { "Ô", "\xA4" }, { "Ơ", "\xA5" }, { "Ư", "\xA6" } };
static const char VNI_LO[] =
    "a\xF9 a\xF8 a\xFB a\xF5 a\xEF a\xEA a\xE9 a\xE8 a\xFA a\xFC a\xEB a\xE2 a\xE1 a\xE0 a\xE5 a\xE3 a\xE4 \xF1 "
    "e\xF9 e\xF8 e\xFB e\xF5 e\xEF e\xE2 e\xE1 e\xE0 e\xE5 e\xE3 e\xE4 \xED \xEC \xE6 \xF3 \xF2 o\xF9 o\xF8 o\xFB "
    "o\xF5 o\xEF o\xE2 o\xE1 o\xE0 o\xE5 o\xE3 o\xE4 \xF4 \xF4\xF9 \xF4\xF8 \xF4\xFB \xF4\xF5 \xF4\xEF u\xF9 u\xF8 "
    "u\xFB u\xF5 u\xEF \xF6 \xF6\xF9 \xF6\xF8 \xF6\xFB \xF6\xF5 \xF6\xEF y\xF9 y\xF8 y\xFB y\xF5 \xEE";
static const char VNI_UP[] =
    "A\xD9 A\xD8 A\xDB A\xD5 A\xCF A\xCA A\xC9 A\xC8 A\xDA A\xDC A\xCB A\xC2 A\xC1 A\xC0 A\xC5 A\xC3 A\xC4 \xD1 "
    "E\xD9 E\xD8 E\xDB E\xD5 E\xCF E\xC2 E\xC1 E\xC0 E\xC5 E\xC3 E\xC4 \xCD \xCC \xC6 \xD3 \xD2 O\xD9 O\xD8 O\xDB "
    "O\xD5 O\xCF O\xC2 O\xC1 O\xC0 O\xC5 O\xC3 O\xC4 \xD4 \xD4\xD9 \xD4\xD8 \xD4\xDB \xD4\xD5 \xD4\xCF U\xD9 U\xD8 "
    "U\xDB U\xD5 U\xCF \xD6 \xD6\xD9 \xD6\xD8 \xD6\xDB \xD6\xD5 \xD6\xCF Y\xD9 Y\xD8 Y\xDB Y\xD5 \xCE";
static const char VIQR_LO[] = "a' a` a? a~ a. a( a(' a(` a(? a(~ a(. a^ a^' a^` a^? a^~ a^. dd e' e` e? e~ e. e^ e^' "
                              "e^` e^? e^~ e^. i' i` i? i~ i. o' o` o? o~ o. o^ o^' o^` o^? o^~ o^. o+ o+' o+` o+? "
                              "o+~ o+. u' u` u? u~ u. u+ u+' u+` u+? u+~ u+. y' y` y? y~ y.";

struct letter {
    char lo[8], up[8];      /* UTF-8 */
    char tcvn3;             /* byte of the lower-case letter (also the capital in an H font) */
    char vni[4], vni_up[4]; /* VNI Windows */
    char viqr[4], viqr_up[4];
    char cp[4], cp_up[4];   /* Windows-1258: base byte + combining tone byte */
};
static struct letter L[NL];

static const char *next_tok(const char *p, char *dst, size_t cap)
{
    size_t n = 0;
    while (*p == ' ')
        p++;
    while (*p && *p != ' ' && n + 1 < cap)
        dst[n++] = *p++;
    dst[n] = '\0';
    return p;
}

static void cp1258_of(const char *viqr, int upper, char *dst)
{
    size_t n = 0, i = 1;
    char b = viqr[0];
    unsigned char base = (unsigned char)b;
    if (viqr[1] == 'd' || viqr[1] == 'D') {
        base = 0xF0;
        i = 2;
    } else if (viqr[1] == '(' || viqr[1] == '^' || viqr[1] == '+') {
        const char *m = strchr("(^+", viqr[1]);
        static const unsigned char a[] = { 0xE3, 0xE2, 0 }, e[] = { 0, 0xEA, 0 }, o[] = { 0, 0xF4, 0xF5 },
                                   u[] = { 0, 0, 0xFD };
        int k = (int)(m - "(^+");
        base = b == 'a' ? a[k] : b == 'e' ? e[k] : b == 'o' ? o[k] : u[k];
        i = 2;
    }
    if (upper)
        base = base < 0x80 ? (unsigned char)toupper(base) : (unsigned char)(base - 0x20);
    dst[n++] = (char)base;
    if (viqr[i]) {
        const char *t = strchr("`?~'.", viqr[i]);
        static const unsigned char tb[] = { 0xCC, 0xD2, 0xDE, 0xEC, 0xF2 };
        dst[n++] = (char)tb[t - "`?~'."];
    }
    dst[n] = '\0';
}

static int setup(void **state)
{
    (void)state;
    const char *a = U_LO, *b = U_UP, *c = VNI_LO, *d = VNI_UP, *q = VIQR_LO;
    for (int i = 0; i < NL; i++) {
        struct letter *l = &L[i];
        a = next_tok(a, l->lo, sizeof l->lo);
        b = next_tok(b, l->up, sizeof l->up);
        c = next_tok(c, l->vni, sizeof l->vni);
        d = next_tok(d, l->vni_up, sizeof l->vni_up);
        q = next_tok(q, l->viqr, sizeof l->viqr);
        l->tcvn3 = TCVN3_B[i];
        for (size_t k = 0; k <= strlen(l->viqr); k++)
            l->viqr_up[k] = (char)toupper((unsigned char)l->viqr[k]);
        cp1258_of(l->viqr, 0, l->cp);
        cp1258_of(l->viqr, 1, l->cp_up);
        if (!l->lo[0] || !l->up[0] || !l->vni[0] || !l->vni_up[0] || !l->viqr[0])
            return -1;
    }
    return sizeof TCVN3_B - 1 == NL ? 0 : -1;
}

static int is_viqr_special(char c)
{
    return c != '\0' && strchr("`?~'.^(+\\", c) != NULL;
}

/* Encodes UTF-8 text into enc (h_font: TCVN3 set in an H font); returns 0, or -1 when a
 * character has no code in that encoding. */
static int encode(int enc, int h_font, const char *s, buf *out)
{
    while (*s) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) {
            char prev = out->len ? out->p[out->len - 1] : ' ';
            if (enc == ENC_VIQR && is_viqr_special((char)c) && (isalpha((unsigned char)prev) || is_viqr_special(prev)))
                buf_addc(out, '\\');
            if (enc == ENC_VIQR && (c | 0x20) == 'd' && (prev | 0x20) == 'd')
                buf_addc(out, '\\');
            buf_addc(out, (char)c);
            s++;
            continue;
        }
        int found = 0;
        for (int i = 0; i < NL && !found; i++) {
            for (int up = 0; up < 2 && !found; up++) {
                const char *u = up ? L[i].up : L[i].lo;
                size_t n = strlen(u);
                if (strncmp(s, u, n) != 0)
                    continue;
                found = 1;
                s += n;
                switch (enc) {
                case ENC_TCVN3:
                    if (up && !h_font) {
                        int ok = 0;
                        for (size_t k = 0; k < sizeof TCVN3_CAPS / sizeof TCVN3_CAPS[0]; k++)
                            if (strcmp(TCVN3_CAPS[k][0], u) == 0) {
                                buf_adds(out, TCVN3_CAPS[k][1]);
                                ok = 1;
                            }
                        if (!ok)
                            return -1;
                    } else {
                        buf_addc(out, L[i].tcvn3);
                    }
                    break;
                case ENC_VNI: buf_adds(out, up ? L[i].vni_up : L[i].vni); break;
                case ENC_VIQR: buf_adds(out, up ? L[i].viqr_up : L[i].viqr); break;
                case ENC_CP1258: buf_adds(out, up ? L[i].cp_up : L[i].cp); break;
                default: buf_adds(out, u); break;
                }
            }
        }
        if (!found)
            return -1;
    }
    return 0;
}

/* Upper-cases ASCII letters and the 67 letters. */
static void to_upper(const char *s, buf *out)
{
    while (*s) {
        int found = 0;
        for (int i = 0; i < NL && !found; i++) {
            size_t n = strlen(L[i].lo);
            if (strncmp(s, L[i].lo, n) == 0) {
                buf_adds(out, L[i].up);
                s += n;
                found = 1;
            }
        }
        if (!found)
            buf_addc(out, (char)toupper((unsigned char)*s++));
    }
}

static const char *const SENTENCES =
    "Tôi đi học ở trường Đại học Bách khoa Hà Nội. "
    "Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau. "
    "Ông Quốc mua sữa, cà phê, nước mắm và trứng gà ở chợ Đồng Xuân. "
    "Những ngày ấy chúng tôi vẫn thường ngồi uống trà dưới gốc đa, kể chuyện quê hương. "
    "Ăn quả nhớ kẻ trồng cây; Ơn nghĩa sinh thành; Ưu tiên; Êm đềm; Âm thầm. ";

/* SENTENCES, then "b" + each vowel with each tone + "n", lower case (upper: capitals too). */
static void pangram(int with_toned_caps, buf *out)
{
    buf_adds(out, SENTENCES);
    for (int i = 0; i < NL; i++) {
        if (strcmp(L[i].lo, "đ") == 0)
            continue;
        buf_printf(out, "b%sn ", L[i].lo);
    }
    buf_adds(out, "đi Đi\n");
    if (with_toned_caps) {
        buf_adds(out, "Ấn Độ, Ở đây, Ừ, Ỷ lại, Ẩm thực, Ế ẩm, Ớt, Ủy ban, Ý kiến, Ỳ ạch, Ọp ẹp. ");
        for (int i = 0; i < NL; i++)
            buf_printf(out, "B%sN ", L[i].up);
    }
}

static void roundtrip(int enc, int h_font, const char *text)
{
    buf b = BUF_INIT, d = BUF_INIT;
    err_t e;
    if (encode(enc, h_font, text, &b) != 0)
        fail_msg("%s: test text not encodable", enc_name(enc));
    if (enc_to_utf8(enc, b.p, b.len, h_font, &d, &e) != 0)
        fail_msg("%s: decode failed: %s", enc_name(enc), e.msg);
    if (strcmp(buf_str(&d), text) != 0)
        fail_msg("%s%s round trip:\n got  %s\n want %s", enc_name(enc), h_font ? " (H font)" : "", buf_str(&d), text);
    int det = enc_detect(b.p, b.len);
    if (det != enc)
        fail_msg("%s%s text detected as %s", enc_name(enc), h_font ? " (H font)" : "", enc_name(det));
    buf_free(&b);
    buf_free(&d);
}

static void test_roundtrip_all(void **state)
{
    (void)state;
    buf lower = BUF_INIT, full = BUF_INIT, upper = BUF_INIT;
    pangram(0, &lower);
    pangram(1, &full);
    to_upper(buf_str(&full), &upper);
    assert_true(vn_utf8_valid(full.p, full.len));
    roundtrip(ENC_VNI, 0, buf_str(&full));
    roundtrip(ENC_CP1258, 0, buf_str(&full));
    roundtrip(ENC_VIQR, 0, buf_str(&full));
    roundtrip(ENC_TCVN3, 0, buf_str(&lower));
    roundtrip(ENC_TCVN3, 1, buf_str(&upper));
    roundtrip(ENC_UTF8, 0, buf_str(&full));
    /* each letter alone, each sentence alone */
    for (int i = 0; i < NL; i++) {
        for (int enc = ENC_UTF8; enc <= ENC_CP1258; enc++) {
            buf b = BUF_INIT, d = BUF_INIT;
            err_t e;
            for (int up = 0; up < 2; up++) {
                const char *u = up ? L[i].up : L[i].lo;
                int h = enc == ENC_TCVN3 && up;
                buf_reset(&b);
                buf_reset(&d);
                assert_int_equal(encode(enc, h, u, &b), 0);
                assert_int_equal(enc_to_utf8(enc, b.p, b.len, h, &d, &e), 0);
                if (strcmp(buf_str(&d), u) != 0)
                    fail_msg("%s: letter %s decoded as %s", enc_name(enc), u, buf_str(&d));
            }
            buf_free(&b);
            buf_free(&d);
        }
    }
    buf_free(&lower);
    buf_free(&full);
    buf_free(&upper);
}

/* Reads \xHH, \\ and \t escapes. */
static size_t unescape(const char *s, char *dst, size_t cap)
{
    size_t n = 0;
    while (*s && n + 1 < cap) {
        if (s[0] == '\\' && s[1] == 'x' && isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3])) {
            char h[3] = { s[2], s[3], 0 };
            dst[n++] = (char)strtol(h, NULL, 16);
            s += 4;
        } else if (s[0] == '\\' && s[1] == '\\') {
            dst[n++] = '\\';
            s += 2;
        } else if (s[0] == '\\' && s[1] == 't') {
            dst[n++] = '\t';
            s += 2;
        } else {
            dst[n++] = *s++;
        }
    }
    dst[n] = '\0';
    return n;
}

static void test_cases(void **state)
{
    (void)state;
    FILE *f = td_open("enc_cases.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int n = 0;
    while (td_next(f, &l)) {
        /* encoding  upper  input  expected  [detect] */
        int enc = enc_parse_name(l.f[0]);
        if (enc < 0)
            fail_msg("enc_cases.txt line %d: bad encoding %s", l.lineno, l.f[0]);
        char in[512], want[512];
        size_t len = unescape(l.f[2], in, sizeof in);
        unescape(l.f[3], want, sizeof want);
        buf b = BUF_INIT;
        err_t e;
        if (enc_to_utf8(enc, in, len, atoi(l.f[1]), &b, &e) != 0)
            fail_msg("enc_cases.txt line %d: %s", l.lineno, e.msg);
        if (strcmp(buf_str(&b), want) != 0)
            fail_msg("enc_cases.txt line %d: got '%s', want '%s'", l.lineno, buf_str(&b), want);
        if (l.f[4][0] && enc_detect(in, len) != enc_parse_name(l.f[4]))
            fail_msg("enc_cases.txt line %d: detected %s, want %s", l.lineno, enc_name(enc_detect(in, len)), l.f[4]);
        buf_free(&b);
        n++;
    }
    fclose(f);
    assert_true(n >= 20);
}

static void test_detect_misc(void **state)
{
    (void)state;
    static const char *const plain[] = {
        "", "Hello, world. This is a test; isn't it? Yes: you're right, e.g. a.b@c.com and x^2 + y^2.",
        "Tong cong: 1.234.567 dong", "address odd added middle", "C:\\dir\\file.txt",
    };
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (enc_detect(plain[i], strlen(plain[i])) != ENC_UTF8)
            fail_msg("'%s' detected as %s", plain[i], enc_name(enc_detect(plain[i], strlen(plain[i]))));
    const char *u = "Tiền điện tháng 3";
    assert_int_equal(enc_detect(u, strlen(u)), ENC_UTF8);
    const char *v = "Tie^`n ddie^.n tha'ng 3";
    assert_int_equal(enc_detect(v, strlen(v)), ENC_VIQR);
    assert_int_equal(enc_detect(NULL, 0), ENC_UTF8);
}

static void test_names_fonts(void **state)
{
    (void)state;
    static const char *const n[] = { "utf8", "tcvn3", "vni", "viqr", "cp1258" };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(enc_parse_name(n[i]), i);
        assert_string_equal(enc_name(i), n[i]);
    }
    assert_int_equal(enc_parse_name("TCVN3"), ENC_TCVN3);
    assert_int_equal(enc_parse_name("windows-1258"), ENC_CP1258);
    assert_int_equal(enc_parse_name("latin1"), -1);
    assert_int_equal(enc_parse_name(NULL), -1);
    assert_string_equal(enc_name(99), "?");
    int up = 7;
    assert_int_equal(enc_font_encoding(".VnTime", &up), ENC_TCVN3);
    assert_int_equal(up, 0);
    assert_int_equal(enc_font_encoding(".VnArial", &up), ENC_TCVN3);
    assert_int_equal(up, 0);
    assert_int_equal(enc_font_encoding(".VnTimeH", &up), ENC_TCVN3);
    assert_int_equal(up, 1);
    assert_int_equal(enc_font_encoding(".VnArial NarrowH", &up), ENC_TCVN3);
    assert_int_equal(up, 1);
    assert_int_equal(enc_font_encoding("VNI-Times", &up), ENC_VNI);
    assert_int_equal(up, 0);
    assert_int_equal(enc_font_encoding("VNI-Helve", &up), ENC_VNI);
    assert_int_equal(enc_font_encoding("Times New Roman", &up), -1);
    assert_int_equal(enc_font_encoding("Arial", &up), -1);
    assert_int_equal(enc_font_encoding("VNInfo", &up), -1);
    assert_int_equal(enc_font_encoding(NULL, &up), -1);
}

static void test_errors(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    err_t e;
    assert_int_equal(enc_to_utf8(ENC_UTF8, "\xC3\x28", 2, 0, &b, &e), -1);
    assert_true(e.msg[0] != '\0');
    assert_int_equal(enc_to_utf8(42, "a", 1, 0, &b, &e), -1);
    assert_int_equal(b.len, 0);
    /* every byte of every legacy encoding decodes to valid UTF-8 */
    char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    for (int enc = ENC_TCVN3; enc <= ENC_CP1258; enc++)
        for (int up = 0; up < 2; up++) {
            buf_reset(&b);
            assert_int_equal(enc_to_utf8(enc, all, sizeof all, up, &b, &e), 0);
            assert_true(vn_utf8_valid(b.p, b.len));
        }
    /* UTF-8 input is normalised to NFC and loses a BOM */
    buf_reset(&b);
    assert_int_equal(enc_to_utf8(ENC_UTF8, "\xEF\xBB\xBFVi" "e\xCC\xA3\xCC\x82" "t", 11, 0, &b, &e), 0);
    assert_string_equal(buf_str(&b), "Việt");
    buf_free(&b);
}

/* The strict guess for imports: a legacy encoding only when the whole text reads cleanly in it
 * and it is not mostly UTF-8; enc_utf8_bad_at agrees with vn_utf8_valid. */
static void test_guess_strict(void **state)
{
    (void)state;
    static const struct { const char *in; int want, upper; } cases[] = {
        { "Tôi đi học", ENC_UTF8, 0 },
        { "plain ascii, 1.5", ENC_UTF8, 0 },
        { "", ENC_UTF8, 0 },
        { "T\xABi \xAEi h\xE4" "c", ENC_TCVN3, 0 },                       /* T«i ®i häc */
        { "tr\xAD\xEAng \xAE\xB9i h\xE4" "c", ENC_TCVN3, 0 },           /* trường đại học */
        { "To\xE2i \xF1i ho\xEF" "c Vie\xE4t Nam", ENC_VNI, 0 },        /* VNI */
        { "\xAEI H\xE4" "C", ENC_TCVN3, 1 },                               /* ĐI HỌC in an H font */
        { "\xAE/c Nguy\xD4n, H\xA7ND qu\xAD\xEAn, 1.000\xAE", ENC_TCVN3, 0 }, /* đ/c, HĐND, 1.000đ */
        /* mostly UTF-8 with one bad byte: no guess */
        { "Tiền điện tháng 3 \xC3 và tháng 4", -1, 0 },
        { "Đảng ủy phường \xAB", -1, 0 },
        /* a legacy byte sequence that makes no Vietnamese word: no guess */
        { "Chi b\xE4\xE4", -1, 0 },                                         /* "bọọ": two tones */
        { "abc \x81 def", -1, 0 },                                        /* undefined byte */
        { "a\x00b", -1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].in;
        size_t len = i == sizeof cases / sizeof cases[0] - 1 ? 3 : strlen(s);
        int up = 9, got = enc_guess(s, len, &up);
        if (got != cases[i].want)
            fail_msg("case %zu: guessed %d (%s), want %d", i, got, enc_name(got), cases[i].want);
        if (got >= 0)
            assert_int_equal(up, cases[i].upper);
    }
    /* the first bad byte */
    assert_int_equal(enc_utf8_bad_at("ab\xC3(", 4), 2);
    assert_int_equal(enc_utf8_bad_at("Vi\xE1\xBB\x87t", 6), 6);
    assert_int_equal(enc_utf8_bad_at("\xE0\x80\x80", 3), 0);            /* overlong */
    assert_int_equal(enc_utf8_bad_at("\xED\xA0\x80", 3), 0);            /* surrogate */
    assert_int_equal(enc_utf8_bad_at("\xF4\x90\x80\x80", 4), 0);        /* beyond U+10FFFF */
    assert_int_equal(enc_utf8_bad_at("x\xE1\xBB", 3), 1);                /* cut short */
    assert_int_equal(enc_utf8_bad_at("a\0b", 3), 1);
    assert_true(enc_mostly_utf8("Vi\xE1\xBB\x87t \xC4\x91\xC3", 9));
    assert_false(enc_mostly_utf8("Vi\xE1\xBB\x87t \xC3", 8));          /* one each: not mostly */
    assert_false(enc_mostly_utf8("T\xABi \xAEi", 6));
    /* agreement with vn_utf8_valid over every 2-byte and a sample of 3-byte strings */
    for (int a = 0; a < 256; a++)
        for (int b = 0; b < 256; b++) {
            char s2[3] = { (char)a, (char)b, (char)0x80 };
            assert_int_equal(enc_utf8_bad_at(s2, 2) == 2, vn_utf8_valid(s2, 2));
            static const unsigned char third[] = { 0x7F, 0x80, 0xBF, 0xC0 };
            for (size_t c = 0; c < sizeof third; c++) {
                s2[2] = (char)third[c];
                assert_int_equal(enc_utf8_bad_at(s2, 3) == 3, vn_utf8_valid(s2, 3));
            }
        }
    /* a long TCVN3 file is read in chunks: still guessed; one odd word at its end still refuses it */
    buf big = BUF_INIT;
    for (int i = 0; i < 40000; i++)
        buf_adds(&big, "T\xABi \xAEi h\xE4" "c,tr\xAD\xEAng\n");
    int up;
    assert_int_equal(enc_guess(big.p, big.len, &up), ENC_TCVN3);
    buf_adds(&big, "Chi b\xE4\xE4\n");
    assert_int_equal(enc_guess(big.p, big.len, &up), -1);
    buf_free(&big);
}

int main(void)
{
    lang_set(LANG_EN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_roundtrip_all),
        cmocka_unit_test(test_detect_misc),
        cmocka_unit_test(test_names_fonts),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_guess_strict),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
