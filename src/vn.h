/* vn.h - Vietnamese text and numbers: NFC, collation, accent folding,
 * number and date formatting and parsing.
 *
 * Pure functions over UTF-8 bytes; results are appended to a caller-owned buf.
 * Nothing here keeps state between calls.
 */
#ifndef CHITIEU_VN_H
#define CHITIEU_VN_H

#include <stddef.h>
#include "buf.h"

/* Returns 1 if s[0..len) is valid UTF-8 (no overlongs, surrogates or NULs), else 0. */
int vn_utf8_valid(const char *s, size_t len);
/* Appends the NFC form of s[0..len) to out; returns -1 on invalid UTF-8 or OOM. */
int vn_nfc(const char *s, size_t len, buf *out);
/* Appends a byte key whose memcmp order is Vietnamese order (letters a ă â b c d đ e ê ...,
 * then tones none < huyền < hỏi < ngã < sắc < nặng, then lower < upper case, then raw bytes);
 * accepts NFC or NFD input; returns -1 on invalid UTF-8 or OOM. */
int vn_sort_key(const char *s, size_t len, buf *out);
/* Compares two NUL-terminated UTF-8 strings in Vietnamese order, like strcmp. */
int vn_collate(const char *a, const char *b);
/* Appends the search key of s: lower case, diacritics removed, đ/Đ -> d ("Cầu Giấy" -> "cau giay");
 * works for NFC and decomposed input; returns -1 on invalid UTF-8 or OOM. */
int vn_fold(const char *s, size_t len, buf *out);
/* Returns 1 if the folded needle occurs in the folded haystack (accent- and case-insensitive). */
int vn_search(const char *haystack, const char *needle);
/* Number of terminal columns the string takes (code points, combining marks count 0). */
size_t vn_width(const char *s, size_t len);

enum vn_dec {
    VN_DEC_AUTO = 0, /* ',' or '.' alone is a decimal mark */
    VN_DEC_COMMA,    /* ',' is the decimal mark, '.' groups thousands (Vietnamese Excel, ';' CSV) */
    VN_DEC_DOT       /* '.' is the decimal mark, ',' groups thousands */
};
/* Parses a number like "14,16", "14.16", "1.234,5", "1,234.5", "-3", " 7 " (spaces trimmed);
 * thousands groups must have 3 digits; returns 0 or -1 when the text is not such a number. */
int vn_parse_number(const char *s, size_t len, enum vn_dec hint, double *out);
/* Appends v rounded to `decimals` places (0..9) in the given language's style:
 * LANG_VI "1.234.567,8", LANG_EN "1,234,567.8"; -0 prints as 0; returns 0 or -1. */
int vn_format_number(double v, int decimals, int lang, buf *out);
/* Like vn_format_number but drops trailing zeros of the fraction ("151" not "151,00", "14,16"). */
int vn_format_number_trim(double v, int max_decimals, int lang, buf *out);
/* Appends a date given as yyyymmdd: LANG_VI "4/1/2023", LANG_EN "2023-01-04"; returns 0 or -1. */
int vn_format_date(int yyyymmdd, int lang, buf *out);
/* Vietnam's time zone (Asia/Ho_Chi_Minh): UTC+7 all year, no daylight saving since 1975. */
#define VN_TZ_MINUTES (7 * 60)
/* Appends a UTC time "YYYY-MM-DDTHH:MM[:SS]Z" (also ' ' for 'T', 'Z' optional) as the local time
 * of Asia/Ho_Chi_Minh: LANG_VI "4/1/2023 07:05", LANG_EN "2023-01-04 07:05"; returns 0, or -1
 * (nothing appended) if iso is not such a time. */
int vn_format_time(const char *iso_utc, int lang, buf *out);
/* Like vn_format_time with the seconds, for lists that must stay orderable and that a
 * spreadsheet reads as a date-time: LANG_VI "4/1/2023 07:05:09", LANG_EN "2023-01-04 07:05:09". */
int vn_format_time_s(const char *iso_utc, int lang, buf *out);
/* The zone those local times are in, for a column header: "Thời gian (" VN_TZ_NAME_VI ")". */
#define VN_TZ_NAME_VI "giờ Việt Nam, UTC+7"
#define VN_TZ_NAME_EN "Vietnam, UTC+7"
/* Parses "YYYY-MM-DD" (a real calendar date) into yyyymmdd; returns 0 or -1. */
int vn_parse_iso_date(const char *s, size_t len, int *yyyymmdd);

#endif
