/* buf.h - the one growable, capped byte buffer used for every string chitieu builds.
 *
 * A buf owns its heap memory; it always keeps a NUL after the last byte so
 * buf_str() can be handed to C string functions.  Appends fail (return -1,
 * leaving the contents unchanged) when memory runs out or the cap would be
 * passed, so no caller can grow a string without bound.
 */
#ifndef CHITIEU_BUF_H
#define CHITIEU_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define BUF_CAP_DEFAULT ((size_t)256 << 20) /* 256 MiB */

typedef struct buf {
    char *p;     /* NULL until the first append */
    size_t len;  /* bytes used, excluding the trailing NUL */
    size_t cap;  /* bytes allocated */
    size_t max;  /* cap on len */
} buf;

#define BUF_INIT { NULL, 0, 0, BUF_CAP_DEFAULT }

/* Initialises an empty buffer whose length may not exceed max (0 = BUF_CAP_DEFAULT). */
void buf_init(buf *b, size_t max);
/* Makes room for n more bytes without changing the contents; returns 0 or -1. */
int buf_reserve(buf *b, size_t n);
/* Appends n bytes; returns 0 or -1 (out of memory or over the cap). */
int buf_add(buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string; returns 0 or -1. */
int buf_adds(buf *b, const char *s);
/* Appends one byte; returns 0 or -1. */
int buf_addc(buf *b, char c);
/* Appends printf-formatted text; returns 0 or -1. */
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* va_list form of buf_printf. */
int buf_vprintf(buf *b, const char *fmt, va_list ap);
/* The contents as a C string; "" for an empty buffer; valid until the next change. */
const char *buf_str(const buf *b);
/* Empties the buffer, keeping its memory. */
void buf_reset(buf *b);
/* Shortens the contents to n bytes (n <= len). */
void buf_truncate(buf *b, size_t n);
/* Hands the heap string to the caller (who frees it) and leaves b empty; never NULL on success, NULL on OOM. */
char *buf_steal(buf *b);
/* Frees the memory; b is empty and reusable afterwards. */
void buf_free(buf *b);

#endif
