/* import_text.c - imported file bytes to NFC UTF-8 (see import_text.h).
 *
 * Data flow: the caller's bytes (borrowed) are checked with enc_utf8_bad_at; valid UTF-8 goes
 * through enc_to_utf8 (NFC); otherwise the named encoding, or enc_guess's strict choice, decodes
 * them into the caller's buf.  When nothing fits, the first bad byte is located in CSV terms
 * (record row as csv.c numbers it, field column, physical line) by one scan that follows csv.c's
 * quoting rules, and the error says what to do about it.
 */
#include "import_text.h"

#include <string.h>
#include <strings.h>

#include "csv.h"
#include "enc.h"

int import_text_encoding(const char *name, int *enc)
{
    if (name && strcasecmp(name, "auto") == 0) {
        *enc = IMPORT_ENC_AUTO;
        return 0;
    }
    int k = enc_parse_name(name);
    if (k < 0)
        return -1;
    *enc = k;
    return 0;
}

/* The separator csv.c would choose for this text (',' when it cannot tell). */
static char separator_of(const char *data, size_t len)
{
    csv_reader *r = csv_open(data, len);
    csv_record rec;
    char sep = ',';
    if (r && csv_next(r, &rec, NULL) >= 0)
        sep = csv_separator(r);
    csv_close(r);
    return sep;
}

void import_text_locate(const char *data, size_t len, size_t off, long *row, long *col, long *line)
{
    char sep = separator_of(data, len);
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    int inq = 0, field_start = 1;
    *row = *line = *col = 1;
    if (off > len)
        off = len;
    for (; i < off; i++) {
        char c = data[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < off && data[i + 1] == '\n')
                i++;
            (*line)++;
            if (!inq) {
                (*row)++;
                *col = 1;
                field_start = 1;
            }
            continue;
        }
        if (c == '"' && inq && i + 1 < off && data[i + 1] == '"') {
            i++;                            /* a doubled quote inside quotes */
            continue;
        }
        if (c == '"' && (inq || field_start)) {
            inq = !inq;
            field_start = 0;
            continue;
        }
        if (c == sep && !inq) {
            (*col)++;
            field_start = 1;
            continue;
        }
        field_start = 0;
    }
}

/* The error for the first byte that is not UTF-8: file, row, column, byte and what to do. */
static int bad_byte(const char *name, const char *data, size_t len, int named, err_t *e)
{
    size_t off = enc_utf8_bad_at(data, len);
    long row, col, line;
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return err_set(e, tr("tệp %s: tệp là UTF-16; hãy lưu lại dạng \"CSV UTF-8\"",
                             "file %s: the file is UTF-16; save it again as \"CSV UTF-8\""), name);
    import_text_locate(data, len, off, &row, &col, &line);
    buf m = BUF_INIT;
    buf_printf(&m, tr("tệp %s, dòng %ld, cột %ld: byte 0x%02X không hợp lệ trong UTF-8",
                      "file %s, row %ld, column %ld: byte 0x%02X is not valid in UTF-8"),
               name, row, col, off < len ? u[off] : 0);
    if (line != row)
        buf_printf(&m, tr(" (dòng vật lý %ld)", " (line %ld)"), line);
    if (named) {
        buf_adds(&m, tr("; tệp không phải UTF-8 như bảng mã đã chọn", "; the file is not UTF-8 as the encoding chosen says"));
    } else if (enc_mostly_utf8(data, len)) {
        buf_adds(&m, tr("; phần còn lại của tệp là UTF-8, nên không đoán bảng mã cũ: không ghi gì. Hãy sửa ô "
                        "đó (có lẽ bị hỏng khi chép) rồi lưu lại dạng \"CSV UTF-8\"",
                        "; the rest of the file is UTF-8, so no legacy encoding is guessed: nothing was stored. "
                        "Fix that cell (damaged in a copy?) and save it again as \"CSV UTF-8\""));
    } else {
        int closest = enc_detect(data, len);
        buf_printf(&m, tr("; tệp không phải UTF-8 và không bảng mã cũ nào (TCVN3, VNI, CP1258) đọc được trọn "
                          "vẹn: không ghi gì. Hãy lưu tệp dạng \"CSV UTF-8\", hoặc chọn bảng mã (--encoding %s "
                          "nếu tệp dùng bảng mã đó)",
                          "; the file is not UTF-8 and no legacy encoding (TCVN3, VNI, CP1258) reads all of it "
                          "cleanly: nothing was stored. Save it as \"CSV UTF-8\", or choose its encoding "
                          "(--encoding %s if it is in that one)"),
                   enc_name(closest == ENC_UTF8 ? ENC_TCVN3 : closest));
    }
    int rc = err_set(e, "%s", m.p ? buf_str(&m) : tr("tệp không phải UTF-8", "the file is not UTF-8"));
    buf_free(&m);
    return rc;
}

int import_text_decode(const char *name, const char *data, size_t len, int enc, int upper, buf *out,
                       import_text_info *info, err_t *e)
{
    int valid = enc_utf8_bad_at(data, len) == len;
    info->guessed = enc == IMPORT_ENC_AUTO;
    info->upper = upper;
    if (enc == IMPORT_ENC_AUTO) {
        enc = valid ? ENC_UTF8 : enc_guess(data, len, &info->upper);
        upper = info->upper = info->upper || (upper && enc == ENC_TCVN3);   /* --upper still counts */
    }
    info->enc = enc;
    if (enc < 0 || (enc == ENC_UTF8 && !valid))
        return bad_byte(name, data, len, !info->guessed, e);
    if (enc_to_utf8(enc, data, len, upper, out, e) != 0)
        return err_prefix(e, tr("tệp %s", "file %s"), name);
    return 0;
}

int import_text_sample(const char *text, size_t len, int max_lines, buf *out)
{
    size_t i = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    for (int n = 0; n < max_lines && i < len; n++) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len, cut = end - i;
        if (cut > 200) {
            cut = 200;
            while (cut > 0 && ((unsigned char)text[i + cut] & 0xC0) == 0x80)
                cut--;                      /* not inside a letter */
        }
        if (cut > 0 && text[i + cut - 1] == '\r')
            cut--;
        if (buf_add(out, text + i, cut) != 0 || buf_addc(out, '\n') != 0)
            return -1;
        i = end + 1;
    }
    return 0;
}
