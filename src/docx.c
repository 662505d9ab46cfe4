/* docx.c - Word review reports (see docx.h).
 *
 * Data flow: the report's JSON document -> WordprocessingML text built in bufs (every piece
 * of text escaped by html_text, which is XML-safe) -> parts added to a zip with libzip, which
 * takes ownership of each part's bytes -> zip_close writes a temporary file -> rename.
 * Sizes are in twentieths of a point (twips) and half-points, as OOXML wants them.
 */
#include "docx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include "buf.h"
#include "chart.h"
#include "html.h"
#include "report.h"
#include "vn.h"

#define X(b, s) html_str((b), (s)) /* XML text: html_text escapes & < > " ' and drops controls */

enum { AL_LEFT, AL_CENTER, AL_RIGHT, AL_BOTH };
enum { F_BOLD = 1, F_ITALIC = 2, F_UNDER = 4, F_INDENT = 8, F_KEEP = 16 };

static const char *const align_name[] = { "left", "center", "right", "both" };

/* One paragraph with one run: size in points, flags F_*, space after in points. */
static void para(buf *b, const char *text, int align, int size, int flags, int after)
{
    buf_printf(b, "<w:p><w:pPr>%s<w:spacing w:before=\"0\" w:after=\"%d\"/>%s<w:jc w:val=\"%s\"/></w:pPr>",
               flags & F_KEEP ? "<w:keepNext/>" : "", after * 20,
               flags & F_INDENT ? "<w:ind w:firstLine=\"567\"/>" : "", align_name[align]);
    if (text && *text) {
        buf_printf(b, "<w:r><w:rPr>%s%s%s<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr><w:t xml:space=\"preserve\">",
                   flags & F_BOLD ? "<w:b/>" : "", flags & F_ITALIC ? "<w:i/>" : "",
                   flags & F_UNDER ? "<w:u w:val=\"single\"/>" : "", size * 2, size * 2);
        X(b, text);
        buf_adds(b, "</w:t></w:r>");
    }
    buf_adds(b, "</w:p>");
}

/* Upper case of UTF-8 Vietnamese text (via the composed forms' simple case mapping). */
static void upper(const char *s, buf *out)
{
    /* Vietnamese letters are in Latin-1 Supplement, Latin Extended-A/B and Extended Additional;
     * for these, upper case is the code point minus one (odd/even pairs) or the ASCII rule. */
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp, n;
        if (*p < 0x80) { cp = *p; n = 1; }
        else if ((*p & 0xE0) == 0xC0) { cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); n = 2; }
        else if ((*p & 0xF0) == 0xE0) { cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); n = 3; }
        else { buf_addc(out, (char)*p++); continue; }
        unsigned u = cp;
        if (cp >= 'a' && cp <= 'z') u = cp - 32;
        else if (cp >= 0xE0 && cp <= 0xFE && cp != 0xF7) u = cp - 32;
        else if (cp == 0x111 || cp == 0x103 || cp == 0x129 || cp == 0x169 || cp == 0x1A1 || cp == 0x1B0) u = cp - 1;
        else if (cp >= 0x1EA0 && cp <= 0x1EF9 && (cp & 1)) u = cp - 1;
        if (u < 0x80) buf_addc(out, (char)u);
        else if (u < 0x800) { buf_addc(out, (char)(0xC0 | (u >> 6))); buf_addc(out, (char)(0x80 | (u & 0x3F))); }
        else { buf_addc(out, (char)(0xE0 | (u >> 12))); buf_addc(out, (char)(0x80 | ((u >> 6) & 0x3F))); buf_addc(out, (char)(0x80 | (u & 0x3F))); }
        p += n;
    }
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* A table cell with one paragraph. */
static void cell(buf *b, int width, const char *text, int align, int flags, int shade)
{
    buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>%s<w:vAlign w:val=\"center\"/></w:tcPr>",
               width, shade ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7ECF3\"/>" : "");
    para(b, text, align, 12, flags, 0);
    buf_adds(b, "</w:tc>");
}

static void table_open(buf *b, const int *w, int n, int borders)
{
    buf_adds(b, "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/><w:jc w:val=\"center\"/>");
    if (borders)
        buf_adds(b, "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/>"
                    "<w:bottom w:val=\"single\" w:sz=\"4\"/><w:right w:val=\"single\" w:sz=\"4\"/>"
                    "<w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV w:val=\"single\" w:sz=\"4\"/></w:tblBorders>");
    buf_adds(b, "<w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"70\" w:type=\"dxa\"/>"
                "<w:right w:w=\"70\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>");
    for (int i = 0; i < n; i++)
        buf_printf(b, "<w:gridCol w:w=\"%d\"/>", w[i]);
    buf_adds(b, "</w:tblGrid>");
}

/* A header row repeated at the top of every page the table runs onto. */
static void head_row(buf *b, const int *w, const char *const *titles, int n)
{
    buf_adds(b, "<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
    for (int i = 0; i < n; i++)
        cell(b, w[i], titles[i], AL_CENTER, F_BOLD, 1);
    buf_adds(b, "</w:tr>");
}

static void num_text(buf *b, const json_t *o, const char *k, int dec, const char *suffix)
{
    buf_reset(b);
    const json_t *v = json_object_get(o, k);
    if (json_is_number(v)) {
        report_num(b, json_number_value(v), dec);
        buf_adds(b, suffix);
    } else {
        buf_adds(b, "–");
    }
}

/* The place for the date line: the unit's name without its type ("Quận ủy Cầu Giấy" -> "Cầu Giấy"). */
static void place_of(const json_t *unit, buf *out)
{
    const char *name = jstr(unit, "name"), *type = jstr(unit, "type");
    size_t tl = strlen(type);
    if (tl && strncmp(name, type, tl) == 0 && name[tl] == ' ')
        buf_adds(out, name + tl + 1);
    else
        buf_adds(out, name);
}

/* Document number suffix for the issuing body: Quận ủy -> QU, Huyện ủy -> HU ... */
static const char *abbrev(const char *type)
{
    static const struct { const char *prefix, *ab; } t[] = {
        { "Quận ủy", "QU" }, { "Huyện ủy", "HU" }, { "Thị ủy", "TU" }, { "Thành ủy", "TU" },
        { "Tỉnh ủy", "TU" }, { "Đảng ủy", "ĐU" }, { "Chi bộ", "CB" },
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strncmp(type, t[i].prefix, strlen(t[i].prefix)) == 0)
            return t[i].ab;
    return "ĐU";
}

/* 1 if s starts with prefix. */
static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The people's committee prefix of a unit's name or type ("UBND", "Ủy ban nhân dân"), its
 * length in bytes, or 0. */
static size_t ubnd_prefix(const char *s)
{
    static const char *const forms[] = { "UBND", "Ủy ban nhân dân", "ỦY BAN NHÂN DÂN", "Uỷ ban nhân dân" };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (starts(s, forms[i]))
            return strlen(forms[i]);
    return 0;
}

/* The committees' names and the Party organisation each leads: "Quận ủy Cầu Giấy" leads the
 * "Đảng bộ quận Cầu Giấy" (36-HD/VPTW: a committee's document names the organisation above it). */
static const struct { const char *committee, *organisation; } party_levels[] = {
    { "Thành ủy ", "Đảng bộ thành phố " }, { "Thành uỷ ", "Đảng bộ thành phố " },
    { "Tỉnh ủy ", "Đảng bộ tỉnh " }, { "Tỉnh uỷ ", "Đảng bộ tỉnh " },
    { "Quận ủy ", "Đảng bộ quận " }, { "Quận uỷ ", "Đảng bộ quận " },
    { "Huyện ủy ", "Đảng bộ huyện " }, { "Huyện uỷ ", "Đảng bộ huyện " },
    { "Thị ủy ", "Đảng bộ thị xã " }, { "Thị uỷ ", "Đảng bộ thị xã " },
    { "Đảng ủy ", "Đảng bộ " }, { "Đảng uỷ ", "Đảng bộ " },
};

void docx_party_superior(const char *parent_name, buf *out)
{
    for (size_t i = 0; i < sizeof party_levels / sizeof party_levels[0]; i++)
        if (starts(parent_name, party_levels[i].committee)) {
            buf_adds(out, party_levels[i].organisation);
            buf_adds(out, parent_name + strlen(party_levels[i].committee));
            return;
        }
    buf_adds(out, parent_name);            /* already an organisation ("Đảng bộ …"), or unknown */
}

int docx_style_of(const char *type, const char *name)
{
    if (ubnd_prefix(type) || ubnd_prefix(name))
        return DOCX_STATE;
    static const char *const party[] = { "Đảng", "Chi bộ", "Quận ủy", "Huyện ủy", "Thị ủy", "Thành ủy",
                                         "Tỉnh ủy", "Quận uỷ", "Huyện uỷ", "Thị uỷ", "Thành uỷ", "Tỉnh uỷ" };
    for (size_t i = 0; i < sizeof party / sizeof party[0]; i++)
        if (starts(type, party[i]) || starts(name, party[i]))
            return DOCX_PARTY;
    return -1;
}

/* The local government's name without "UBND" and the level word, for the date line
 * ("UBND quận Cầu Giấy" -> "Cầu Giấy"); the unit's name without its type otherwise. */
static void place_of_state(const json_t *unit, buf *out)
{
    const char *name = jstr(unit, "name");
    size_t pre = ubnd_prefix(name);
    if (pre == 0) {
        place_of(unit, out);
        return;
    }
    name += pre;
    while (*name == ' ')
        name++;
    static const char *const levels[] = { "thành phố ", "Thành phố ", "tỉnh ", "Tỉnh ", "quận ", "Quận ",
                                          "huyện ", "Huyện ", "thị xã ", "Thị xã ", "phường ", "Phường ",
                                          "xã ", "Xã ", "thị trấn ", "Thị trấn " };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
        if (starts(name, levels[i])) {
            name += strlen(levels[i]);
            break;
        }
    buf_adds(out, name);
}

/* The left column of a state document (Nghị định 30/2020, Phụ lục I): "ỦY BAN NHÂN DÂN" over the
 * local government's name for a people's committee, else the body above (not bold) over the unit;
 * then "Số:      /BC-UBND" (or the unit's initials). */
static void state_issuer(buf *b, const json_t *unit, const json_t *parent)
{
    buf t = BUF_INIT;
    const char *name = jstr(unit, "name");
    size_t pre = ubnd_prefix(name);
    if (pre) {
        para(b, "ỦY BAN NHÂN DÂN", AL_CENTER, 13, F_BOLD, 0);
        const char *rest = name + pre;
        while (*rest == ' ')
            rest++;
        upper(rest, &t);
        para(b, buf_str(&t), AL_CENTER, 13, F_BOLD | F_UNDER, 6);
        para(b, "Số:       /BC-UBND", AL_CENTER, 13, 0, 0);
    } else {
        if (json_is_object(parent)) {
            upper(jstr(parent, "name"), &t);
            para(b, buf_str(&t), AL_CENTER, 13, 0, 0);
            buf_reset(&t);
        }
        upper(name, &t);
        para(b, buf_str(&t), AL_CENTER, 13, F_BOLD | F_UNDER, 6);
        buf_reset(&t);
        buf_adds(&t, "Số:       /BC-");
        for (const char *w = name; *w; w++)         /* initials: "Sở Tài chính" -> "STC" */
            if (w == name || w[-1] == ' ') {
                size_t n = 1;
                while (((unsigned char)w[n] & 0xC0) == 0x80)
                    n++;
                buf reset = BUF_INIT;
                char one[8] = { 0 };
                memcpy(one, w, n < sizeof one ? n : sizeof one - 1);
                upper(one, &reset);
                buf_adds(&t, buf_str(&reset));
                buf_free(&reset);
            }
        para(b, buf_str(&t), AL_CENTER, 13, 0, 0);
    }
    buf_free(&t);
}

/* Header block: a borderless two-column table, the issuing body on the left, the national title
 * (state) or the Party's name on the right, then place and date.  The state title "CỘNG HÒA XÃ HỘI
 * CHỦ NGHĨA VIỆT NAM" in 13-point bold is 5,280 twips wide: its column (5,755 less 140 of
 * margins) holds it on one line. */
static void header_block(buf *b, const json_t *unit, const json_t *parent, int style)
{
    buf t = BUF_INIT, place = BUF_INIT;
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    static const int party_w[2] = { 4200, 5155 }, state_w[2] = { 3600, 5755 };
    const int *hw = style == DOCX_PARTY ? party_w : state_w;
    table_open(b, hw, 2, 0);
    buf_printf(b, "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/></w:tcPr>", hw[0]);
    if (style == DOCX_PARTY) {
        buf above = BUF_INIT;
        docx_party_superior(json_is_object(parent) ? jstr(parent, "name") : "", &above);
        upper(buf_str(&above), &t);
        buf_free(&above);
        para(b, buf_str(&t), AL_CENTER, 14, 0, 0);
        buf_reset(&t);
        upper(jstr(unit, "name"), &t);
        para(b, buf_str(&t), AL_CENTER, 14, F_BOLD, 0);
        para(b, "*", AL_CENTER, 14, 0, 0);
        buf_reset(&t);
        buf_printf(&t, "Số       -BC/%s", abbrev(jstr(unit, "type")));
        para(b, buf_str(&t), AL_CENTER, 14, 0, 0);
        place_of(unit, &place);
    } else {
        state_issuer(b, unit, parent);
        place_of_state(unit, &place);
    }
    buf_printf(b, "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/></w:tcPr>", hw[1]);
    if (style == DOCX_PARTY) {
        para(b, "ĐẢNG CỘNG SẢN VIỆT NAM", AL_CENTER, 15, F_BOLD | F_UNDER, 6);
    } else {
        para(b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", AL_CENTER, 13, F_BOLD, 0);
        para(b, "Độc lập - Tự do - Hạnh phúc", AL_CENTER, 14, F_BOLD | F_UNDER, 6);
    }
    buf_reset(&t);
    buf_printf(&t, "%s, ngày %d tháng %d năm %d", buf_str(&place), tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    para(b, buf_str(&t), AL_CENTER, 14, F_ITALIC, 0);
    buf_adds(b, "</w:tc></w:tr></w:tbl>");
    buf_free(&t);
    buf_free(&place);
}

/* Last occurrence of needle in b from `from` on, or -1. */
static long rfind(const buf *b, const char *needle, size_t from)
{
    const char *s = buf_str(b);
    size_t n = strlen(needle);
    for (size_t i = b->len >= n ? b->len - n + 1 : 0; i-- > from;)
        if (memcmp(s + i, needle, n) == 0)
            return (long)i;
    return -1;
}

/* Marks the last block of the body "keep with next": its last paragraph, or every paragraph of
 * the last row when the body ends with a table.  Together with the signature table's unsplittable
 * row this keeps the signature and "Nơi nhận" on the page of the text they sign. */
static void keep_last_with_next(buf *b, size_t body_start)
{
    long at = b->len >= 8 && strcmp(buf_str(b) + b->len - 8, "</w:tbl>") == 0
                  ? rfind(b, "<w:tr>", body_start) : rfind(b, "<w:p><w:pPr>", body_start);
    if (at < 0)
        return;
    buf tail = BUF_INIT;
    const char *s = buf_str(b) + at, *q;
    while ((q = strstr(s, "<w:pPr>")) != NULL) {
        q += strlen("<w:pPr>");
        buf_add(&tail, s, (size_t)(q - s));
        if (!starts(q, "<w:keepNext/>"))
            buf_adds(&tail, "<w:keepNext/>");
        s = q;
    }
    buf_adds(&tail, s);
    buf_truncate(b, (size_t)at);
    buf_add(b, buf_str(&tail), tail.len);
    buf_free(&tail);
}

/* Signature block: recipients ("Nơi nhận") on the left, the signer (placeholders) on the right, in
 * one row that cannot split, kept on the page of the last paragraph before it. */
static void signature_block(buf *b, const json_t *unit, size_t body_start, int style)
{
    int ubnd = ubnd_prefix(jstr(unit, "name")) || ubnd_prefix(jstr(unit, "type"));
    keep_last_with_next(b, body_start);
    para(b, "", AL_LEFT, 14, F_KEEP, 12);
    static const int sw[2] = { 4400, 4955 };
    table_open(b, sw, 2, 0);
    buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\"4400\" w:type=\"dxa\"/></w:tcPr>");
    para(b, "Nơi nhận:", AL_LEFT, 12, F_BOLD | F_ITALIC | F_KEEP, 0);
    if (style == DOCX_PARTY) {
        para(b, "- Ban Thường vụ cấp trên (để báo cáo),", AL_LEFT, 11, F_KEEP, 0);
        para(b, "- ..................................,", AL_LEFT, 11, F_KEEP, 0);
        para(b, "- Lưu Văn phòng.", AL_LEFT, 11, 0, 0);
    } else {
        para(b, "- Cơ quan cấp trên (để báo cáo);", AL_LEFT, 11, F_KEEP, 0);
        para(b, "- ..................................;", AL_LEFT, 11, F_KEEP, 0);
        para(b, "- Lưu: VT.", AL_LEFT, 11, 0, 0);
    }
    buf_adds(b, "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"4955\" w:type=\"dxa\"/></w:tcPr>");
    if (style == DOCX_PARTY) {
        para(b, "T/M BAN THƯỜNG VỤ", AL_CENTER, 14, F_BOLD | F_KEEP, 0);
        para(b, "BÍ THƯ", AL_CENTER, 14, F_BOLD | F_KEEP, 0);
    } else if (ubnd) {
        para(b, "TM. ỦY BAN NHÂN DÂN", AL_CENTER, 14, F_BOLD | F_KEEP, 0);
        para(b, "CHỦ TỊCH", AL_CENTER, 14, F_BOLD | F_KEEP, 0);
    } else {
        para(b, "[QUYỀN HẠN, CHỨC VỤ NGƯỜI KÝ]", AL_CENTER, 14, F_BOLD | F_KEEP, 0);
    }
    para(b, "(Ký, ghi rõ họ tên)", AL_CENTER, 13, F_ITALIC | F_KEEP, 60);
    para(b, "[Họ và tên]", AL_CENTER, 14, F_BOLD, 0);
    buf_adds(b, "</w:tc></w:tr></w:tbl>");
    para(b, "Dự thảo do chitieu lập từ số liệu; cán bộ kiểm tra, chỉnh sửa trước khi trình ký.", AL_LEFT, 10, F_ITALIC, 0);
}

/* An inline picture of the whole text width: relationship rid, image h/w pixel ratio. */
static void picture(buf *b, const char *rid, int id, double ratio)
{
    long cx = 9355L * 635, cy = (long)(cx * ratio); /* EMU: the text width */
    buf_printf(b, "<w:p><w:pPr><w:spacing w:before=\"120\" w:after=\"120\"/><w:jc w:val=\"center\"/></w:pPr>"
               "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">"
               "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:docPr id=\"%d\" name=\"Chart %d\"/>"
               "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
               "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
               "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"%d\" name=\"chart%d.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
               "<pic:blipFill><a:blip r:embed=\"%s\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
               "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
               "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>"
               "</a:graphic></wp:inline></w:drawing></w:r></w:p>",
               cx, cy, id, id, id, id, rid, cx, cy);
}

/* Charts drawn for the document: [0] units below, [1] trend; h = 0 when absent. */
typedef struct charts {
    buf png[2];
    int h[2];
} charts;

/* A section heading of the report, numbered as report_heading numbers it, in capitals. */
static void heading(const json_t *doc, const char *key, buf *b)
{
    buf h = BUF_INIT, u = BUF_INIT;
    report_heading(doc, key, &h);
    upper(buf_str(&h), &u);
    para(b, buf_str(&u), AL_LEFT, 14, F_BOLD | F_KEEP, 6);
    buf_free(&h);
    buf_free(&u);
}

/* A paragraph of the report's text; one carrying "\n- item" lines becomes its lead sentence
 * and one indented "- item" paragraph per item. */
static void text_para(buf *b, const char *text, int flags)
{
    const char *item = strstr(text, "\n- ");
    buf t = BUF_INIT;
    buf_add(&t, text, item ? (size_t)(item - text) : strlen(text));
    para(b, buf_str(&t), AL_BOTH, 14, F_INDENT | flags | (item ? F_KEEP : 0), 6);
    while (item) {
        const char *next = strstr(item + 1, "\n- ");
        buf_reset(&t);
        buf_add(&t, item + 1, next ? (size_t)(next - item - 1) : strlen(item + 1));
        para(b, buf_str(&t), AL_BOTH, 14, F_INDENT | flags, 3);
        item = next;
    }
    buf_free(&t);
}

static void body(const json_t *doc, int style, const charts *ch, buf *b)
{
    size_t body_start = b->len;
    const json_t *unit = json_object_get(doc, "unit"), *parent = json_object_get(doc, "parent");
    buf t = BUF_INIT;

    header_block(b, unit, parent, style);
    para(b, "", AL_CENTER, 14, 0, 6);
    para(b, "BÁO CÁO", AL_CENTER, 16, F_BOLD, 0);
    buf_reset(&t);
    buf_printf(&t, "Kết quả thực hiện các chỉ tiêu %s", jstr(json_object_get(doc, "period"), "text"));
    para(b, buf_str(&t), AL_CENTER, 14, F_BOLD, 0);
    para(b, "-----", AL_CENTER, 14, 0, 12);
    for (int k = 0; k < 2; k++)                 /* what the marks mean */
        if (json_object_get(doc, report_note_keys[k]))
            para(b, jstr(doc, report_note_keys[k]), AL_BOTH, 12, F_ITALIC, 6);

    heading(doc, "summary", b);
    size_t i;
    const json_t *v;
    json_array_foreach(json_object_get(doc, "summary"), i, v)
        text_para(b, json_string_value(v), 0);
    if (ch->h[1])
        picture(b, "rId6", 2, ch->h[1] / (double)CHART_W);

    heading(doc, "tables", b);
    /* 9,355 twips: the text width.  "TT" in 12-point bold is 320 twips, plus 140 of cell margins. */
    static const int tw[7] = { 600, 3250, 850, 1100, 1100, 1250, 1205 };
    static const char *const th[7] = { "TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "% KH", "Đánh giá" };
    const json_t *tbl;
    size_t ti;
    json_array_foreach(json_object_get(doc, "tables"), ti, tbl) {
        buf_reset(&t);
        buf_printf(&t, "%zu. %s", ti + 1, jstr(tbl, "group"));
        para(b, buf_str(&t), AL_LEFT, 14, F_BOLD | F_KEEP, 6);
        table_open(b, tw, 7, 1);
        head_row(b, tw, th, 7);
        const json_t *row;
        size_t ri;
        int no = 0;
        json_array_foreach(json_object_get(tbl, "rows"), ri, row) {
            int dec = (int)json_integer_value(json_object_get(row, "decimals"));
            int comp = json_is_true(json_object_get(row, "component"));
            buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            buf_reset(&t);
            if (!comp)
                buf_printf(&t, "%d", ++no);
            cell(b, tw[0], buf_str(&t), AL_CENTER, 0, 0);
            buf_reset(&t);
            buf_printf(&t, "%s%s", comp ? "– " : "", jstr(row, "name"));
            cell(b, tw[1], buf_str(&t), AL_LEFT, comp ? F_ITALIC : 0, 0);
            cell(b, tw[2], jstr(row, "measure"), AL_CENTER, 0, 0);
            buf_reset(&t);
            report_target_text(row, &t);
            cell(b, tw[3], buf_str(&t), AL_RIGHT, 0, 0);
            num_text(&t, row, "actual", dec, json_is_true(json_object_get(row, "converted")) ? "*" : "");
            int partial = json_is_true(json_object_get(row, "partial"));
            if (report_row_partial_shown(row))
                buf_adds(&t, REPORT_PARTIAL_MARK);  /* a partial total (coverage in the status cell) */
            cell(b, tw[4], buf_str(&t), AL_RIGHT, 0, 0);
            buf_reset(&t);
            report_pct_text(row, &t);
            cell(b, tw[5], buf_str(&t), AL_RIGHT, 0, 0);
            const char *st = jstr(row, "status");
            buf_reset(&t);
            buf_adds(&t, jstr(row, "status_label"));
            if (partial)
                buf_printf(&t, " (%s)", jstr(json_object_get(row, "coverage"), "text"));
            cell(b, tw[6], buf_str(&t), AL_CENTER,
                 strcmp(st, "exceeded") == 0 || strcmp(st, "not_met") == 0 ? F_BOLD : 0, 0);
            buf_adds(b, "</w:tr>");
        }
        buf_adds(b, "</w:tbl>");
        para(b, "", AL_LEFT, 6, 0, 6);
    }

    const json_t *kids = json_object_get(doc, "children");
    if (json_array_size(kids)) {
        heading(doc, "children", b);
        static const int kw[5] = { 900, 4200, 1500, 1200, 1555 };
        static const char *const kh[5] = { "Hạng", "Đơn vị", "Đạt và vượt", "Vượt", "Tỷ lệ" };
        table_open(b, kw, 5, 1);
        head_row(b, kw, kh, 5);
        json_array_foreach(kids, i, v) {
            buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            buf_reset(&t);
            buf_printf(&t, "%lld", (long long)json_integer_value(json_object_get(v, "rank")));
            cell(b, kw[0], buf_str(&t), AL_CENTER, 0, 0);
            cell(b, kw[1], jstr(v, "name"), AL_LEFT, 0, 0);
            buf_reset(&t);
            buf_printf(&t, "%lld/%lld", (long long)json_integer_value(json_object_get(v, "met_or_exceeded")),
                       (long long)json_integer_value(json_object_get(v, "total")));
            cell(b, kw[2], buf_str(&t), AL_CENTER, 0, 0);
            buf_reset(&t);
            buf_printf(&t, "%lld", (long long)json_integer_value(json_object_get(v, "exceeded")));
            cell(b, kw[3], buf_str(&t), AL_CENTER, 0, 0);
            num_text(&t, v, "share_pct", 2, "%");
            cell(b, kw[4], buf_str(&t), AL_RIGHT, 0, 0);
            buf_adds(b, "</w:tr>");
        }
        buf_adds(b, "</w:tbl>");
        if (ch->h[0])
            picture(b, "rId5", 1, ch->h[0] / (double)CHART_W);
    }

    const json_t *tk = json_object_get(doc, "tasks");
    if (tk) {
        heading(doc, "tasks", b);
        json_array_foreach(json_object_get(tk, "sentences"), i, v)
            para(b, json_string_value(v), AL_BOTH, 14, 0, 6);
        if (json_array_size(json_object_get(tk, "programmes"))) {
            static const int pw[4] = { 5555, 1500, 1300, 1000 };
            static const char *const ph[4] = { "Chương trình", "Hoàn thành", "Tỷ lệ", "Quá hạn" };
            table_open(b, pw, 4, 1);
            head_row(b, pw, ph, 4);
            json_array_foreach(json_object_get(tk, "programmes"), i, v) {
                buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
                cell(b, pw[0], jstr(v, "title"), AL_LEFT, 0, 0);
                buf_reset(&t);
                buf_printf(&t, "%lld/%lld", (long long)json_integer_value(json_object_get(v, "done")),
                           (long long)json_integer_value(json_object_get(v, "total")));
                cell(b, pw[1], buf_str(&t), AL_CENTER, 0, 0);
                num_text(&t, v, "pct", 2, "%");
                cell(b, pw[2], buf_str(&t), AL_RIGHT, 0, 0);
                buf_reset(&t);
                buf_printf(&t, "%lld", (long long)json_integer_value(json_object_get(v, "overdue")));
                cell(b, pw[3], buf_str(&t), AL_CENTER, 0, 0);
                buf_adds(b, "</w:tr>");
            }
            buf_adds(b, "</w:tbl>");
            para(b, "", AL_LEFT, 6, 0, 6);
        }
        json_array_foreach(json_object_get(tk, "overdue"), i, v) {
            buf_reset(&t);
            buf_printf(&t, "Nhiệm vụ quá hạn của %s:", jstr(v, "unit"));
            para(b, buf_str(&t), AL_LEFT, 14, F_ITALIC, 0);
            size_t j;
            json_t *x;
            json_array_foreach(json_object_get(v, "tasks"), j, x) {
                buf_reset(&t);
                buf_printf(&t, "- %s (hạn %s, %lld%%)", jstr(x, "title"), jstr(x, "due"),
                           (long long)json_integer_value(json_object_get(x, "progress")));
                para(b, buf_str(&t), AL_BOTH, 14, 0, 0);
            }
        }
    }

    /* The review's closing parts: figures pre-listed, the rest placeholders to write. */
    json_array_foreach(json_object_get(doc, "review"), i, v) {
        heading(doc, jstr(v, "key"), b);
        size_t j;
        const json_t *x;
        json_array_foreach(json_object_get(v, "paragraphs"), j, x)
            text_para(b, json_string_value(x), 0);
        text_para(b, jstr(v, "placeholder"), F_ITALIC);
    }

    signature_block(b, unit, body_start, style);
    buf_free(&t);
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
    "</Types>";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
    "</Relationships>";

static const char doc_rels_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>";

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
    "w:cs=\"Times New Roman\" w:eastAsia=\"Times New Roman\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>"
    "<w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" "
    "w:line=\"276\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style>"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
    "<w:tblPr><w:tblCellMar><w:left w:w=\"108\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>";

static const char settings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>"
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
    "</w:settings>";

/* Page number centred in the top margin (pages after the first). */
static const char header_page[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
    "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
    "<w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:hdr>";

static const char header_empty[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:hdr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:p/></w:hdr>";

static const char app_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
    "<Application>chitieu</Application></Properties>";

/* Adds a part; libzip frees the copy. */
static int add_part(zip_t *z, const char *name, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, data, len);
    zip_source_t *src = zip_source_buffer(z, copy, len, 1);
    if (src == NULL) {
        free(copy);
        return -1;
    }
    if (zip_file_add(z, name, src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        return -1;
    }
    return 0;
}

/* Converts docx to PDF next to it with LibreOffice headless; returns 0, or -1 with a message. */
int docx_to_pdf(const char *docx, const char *pdf, const char *profile_dir, err_t *e)
{
    buf dir = BUF_INIT, made = BUF_INIT;
    const char *slash = strrchr(docx, '/');
    buf_add(&dir, docx, slash ? (size_t)(slash - docx) : 0);
    if (dir.len == 0)
        buf_adds(&dir, ".");
    int rc = -1;
    /* a private profile: works without HOME and beside a running LibreOffice (made before the
     * fork: the web server forks from a threaded process, where the child only execs) */
    buf profile = BUF_INIT;
    if (profile_dir)
        buf_printf(&profile, "-env:UserInstallation=file://%s", profile_dir);
    else
        buf_printf(&profile, "-env:UserInstallation=file:///tmp/chitieu-lo-%ld", (long)getpid());
    char *argv[] = { "soffice", (char *)buf_str(&profile), "--headless", "--norestore", "--convert-to", "pdf",
                     "--outdir", (char *)buf_str(&dir), (char *)docx, NULL };
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execvp("soffice", argv);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        err_set(e, "%s", WIFEXITED(status) && WEXITSTATUS(status) == 127
                   ? tr("cần LibreOffice (lệnh soffice) để xuất PDF: chưa được cài; dùng --format docx",
                        "PDF needs LibreOffice (the soffice command), which is not installed; use --format docx")
                   : tr("LibreOffice không chuyển được tệp sang PDF", "LibreOffice failed to convert the file to PDF"));
        goto cleanup;
    }
    buf_add(&made, docx, strlen(docx) - 5); /* "x.docx" -> "x.pdf" */
    buf_adds(&made, ".pdf");
    if (strcmp(buf_str(&made), pdf) != 0 && rename(buf_str(&made), pdf) != 0) {
        err_set(e, tr("không ghi được '%s'", "cannot write '%s'"), pdf);
        goto cleanup;
    }
    rc = 0;
cleanup:
    buf_free(&dir);
    buf_free(&made);
    buf_free(&profile);
    return rc;
}

/* Writes the package at path (through a temporary file renamed at the end, so a failure leaves
 * no half file): the document body (the paragraphs and tables inside <w:body>, without sectPr),
 * its title, and the report's charts when ch is not NULL. */
static int package(const char *body, size_t len, const char *title, const charts *ch, const char *path, err_t *e)
{
    int rc = -1, err;
    buf d = BUF_INIT, core = BUF_INIT, tmp = BUF_INIT, rels = BUF_INIT;
    zip_t *z = NULL;
    int pic[2] = { ch && ch->h[0], ch && ch->h[1] };
    buf_adds(&rels, doc_rels_head);
    if (pic[0])
        buf_adds(&rels, "<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                        "relationships/image\" Target=\"media/chart1.png\"/>");
    if (pic[1])
        buf_adds(&rels, "<Relationship Id=\"rId6\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
                        "relationships/image\" Target=\"media/chart2.png\"/>");
    buf_adds(&rels, "</Relationships>");
    buf_adds(&d, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                 "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
                 "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
                 "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
                 "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                 "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>");
    buf_add(&d, body, len);
    /* A4; Party: margins 20/20/30/15 mm; state (Nghị định 30): 20/20/30/15 mm as well. */
    buf_adds(&d, "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId3\"/>"
                 "<w:headerReference w:type=\"first\" r:id=\"rId4\"/>"
                 "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" "
                 "w:left=\"1701\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/><w:titlePg/></w:sectPr>"
                 "</w:body></w:document>");
    buf_adds(&core, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
    X(&core, title);
    buf_adds(&core, "</dc:title><dc:creator>chitieu</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>");
    buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    z = zip_open(buf_str(&tmp), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (z == NULL) {
        err_set(e, tr("không tạo được tệp '%s'", "cannot create the file '%s'"), path);
        goto cleanup;
    }
    if (add_part(z, "[Content_Types].xml", content_types, sizeof content_types - 1) ||
        add_part(z, "_rels/.rels", root_rels, sizeof root_rels - 1) ||
        add_part(z, "word/_rels/document.xml.rels", buf_str(&rels), rels.len) ||
        (pic[0] && add_part(z, "word/media/chart1.png", buf_str(&ch->png[0]), ch->png[0].len)) ||
        (pic[1] && add_part(z, "word/media/chart2.png", buf_str(&ch->png[1]), ch->png[1].len)) ||
        add_part(z, "word/document.xml", buf_str(&d), d.len) ||
        add_part(z, "word/styles.xml", styles, sizeof styles - 1) ||
        add_part(z, "word/settings.xml", settings, sizeof settings - 1) ||
        add_part(z, "word/header1.xml", header_page, sizeof header_page - 1) ||
        add_part(z, "word/header2.xml", header_empty, sizeof header_empty - 1) ||
        add_part(z, "docProps/core.xml", buf_str(&core), core.len) ||
        add_part(z, "docProps/app.xml", app_xml, sizeof app_xml - 1)) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (zip_close(z) != 0) {
        err_set(e, tr("không ghi được '%s': %s", "cannot write '%s': %s"), path, zip_strerror(z));
        goto cleanup;
    }
    z = NULL;
    if (rename(buf_str(&tmp), path) != 0) {
        err_set(e, tr("không ghi được '%s'", "cannot write '%s'"), path);
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (z)
        zip_discard(z);
    if (rc != 0)
        remove(buf_str(&tmp));
    buf_free(&d);
    buf_free(&core);
    buf_free(&tmp);
    buf_free(&rels);
    return rc;
}


int docx_write(const json_t *doc, int style, const char *path, err_t *e)
{
    int rc = -1;
    buf d = BUF_INIT;
    charts ch = { { BUF_INIT, BUF_INIT }, { 0, 0 } };
    const json_t *unit = json_object_get(doc, "unit");
    int own = docx_style_of(jstr(unit, "type"), jstr(unit, "name"));
    if (style == DOCX_AUTO) {
        style = own == DOCX_STATE ? DOCX_STATE : DOCX_PARTY;
    } else if (own >= 0 && own != style) {
        err_set(e, own == DOCX_PARTY
                       ? tr("'%s' là tổ chức Đảng: báo cáo theo thể thức văn bản của Đảng (--style party), không theo thể thức văn bản hành chính",
                            "'%s' is a Party body: its report takes the Party layout (--style party), not the state one")
                       : tr("'%s' là cơ quan hành chính nhà nước: báo cáo theo thể thức Nghị định 30/2020 (--style state)",
                            "'%s' is a state body: its report takes the Decree 30/2020 layout (--style state)"),
                jstr(unit, "name"));
        goto cleanup;
    }
    for (int k = 0; k < 2; k++) {
        int h = 0, got = report_chart(doc, k, &ch.png[k], &h, e);
        if (got < 0)
            goto cleanup;
        ch.h[k] = got ? h : 0;
    }
    body(doc, style, &ch, &d);
    rc = package(buf_str(&d), d.len, jstr(doc, "title"), &ch, path, e);
cleanup:
    buf_free(&d);
    buf_free(&ch.png[0]);
    buf_free(&ch.png[1]);
    return rc;
}

/* ---- pieces shared with other documents (class_docx.c) ---- */

void docx_para(buf *b, const char *text, int align, int size, int flags, int after)
{
    para(b, text, align, size, flags, after);
}

void docx_upper(const char *s, buf *out)
{
    upper(s, out);
}

void docx_table_open(buf *b, const int *w, int n, int borders)
{
    table_open(b, w, n, borders);
}

void docx_head_row(buf *b, const int *w, const char *const *titles, int n)
{
    head_row(b, w, titles, n);
}

void docx_cell(buf *b, int width, const char *text, int align, int flags, int shade)
{
    cell(b, width, text, align, flags, shade);
}

const char *docx_abbrev(const char *type)
{
    return abbrev(type);
}

int docx_save(const char *body, size_t len, const char *title, const char *path, err_t *e)
{
    return package(body, len, title, NULL, path, e);
}
