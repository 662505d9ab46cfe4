/* enc.h - legacy Vietnamese text encodings (TCVN3/ABC, VNI Windows, VIQR, CP1258) to NFC UTF-8.
 *
 * Pure functions over bytes; decoded text is appended to a caller-owned buf.  The code tables
 * live in enc.c and are owned by it; nothing here keeps state between calls.
 */
#ifndef CHITIEU_ENC_H
#define CHITIEU_ENC_H

#include <stddef.h>
#include "buf.h"
#include "err.h"

enum enc { ENC_UTF8, ENC_TCVN3, ENC_VNI, ENC_VIQR, ENC_CP1258 };

/* Maps "utf8", "tcvn3", "vni", "viqr", "cp1258" (case-insensitive; "utf-8", "abc", "vn3",
 * "windows-1258" also accepted) to an enum enc; returns -1 for any other name. */
int enc_parse_name(const char *name);
/* The canonical name of an enum enc ("utf8", "tcvn3", ...); "?" for an unknown value. */
const char *enc_name(int enc);
/* Guesses the encoding of s[0..len): UTF-8 when valid UTF-8 with non-ASCII, VIQR for ASCII with
 * VIQR patterns, UTF-8 for other ASCII, else the best-scoring of TCVN3, VNI and CP1258. */
int enc_detect(const char *s, size_t len);
/* The strict guess for a file about to be stored: ENC_UTF8 when s[0..len) is valid UTF-8 (ASCII
 * included); a legacy encoding (*upper set for TCVN3 in an "H" font) only when the text is not
 * mostly UTF-8 and the whole of it decodes cleanly in that encoding - every non-ASCII letter in a
 * Vietnamese syllable, no undefined byte or stray symbol - the best-scoring if several do; else -1
 * (the caller reports the first byte enc_utf8_bad_at names). */
int enc_guess(const char *s, size_t len, int *upper);
/* 1 when s[0..len) holds more well-formed multi-byte UTF-8 sequences than bytes invalid in it. */
int enc_mostly_utf8(const char *s, size_t len);
/* The offset of the first byte of s[0..len) that is not part of well-formed UTF-8 (a NUL counts
 * as bad, as in vn_utf8_valid), or len when there is none. */
size_t enc_utf8_bad_at(const char *s, size_t len);
/* Appends the NFC UTF-8 text of s[0..len) read in encoding enc to out; upper=1 reads TCVN3 as
 * set in an "H" (capitals) font; returns 0, or -1 with e set (invalid UTF-8 input, OOM, bad enc). */
int enc_to_utf8(int enc, const char *s, size_t len, int upper, buf *out, err_t *e);
/* Returns ENC_TCVN3 for ".Vn..." fonts (setting *upper to 1 for the "H" capital fonts, else 0),
 * ENC_VNI for "VNI-..." fonts (*upper 0), or -1 for any other (Unicode) font. */
int enc_font_encoding(const char *font_name, int *upper);

#endif
