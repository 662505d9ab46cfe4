/* buf.c - growable capped byte buffer (see buf.h).
 * Growth doubles the allocation; the cap is checked before any allocation.  Formatted text is
 * printed once when it fits in the room left, else measured, grown for, and printed. */
#include "buf.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, size_t max)
{
    b->p = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : BUF_CAP_DEFAULT;
}

static int grow(buf *b, size_t extra)
{
    if (extra > b->max - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL)
        return -1;
    mem_huge(p, cap);
    b->p = p;
    b->cap = cap;
    return 0;
}

int buf_reserve(buf *b, size_t n) { return grow(b, n); }

int buf_add(buf *b, const void *p, size_t n)
{
    if (grow(b, n) != 0)
        return -1;
    if (n)
        memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

int buf_adds(buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

int buf_addc(buf *b, char c) { return buf_add(b, &c, 1); }

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
    /* Straight into the room left when it fits (the usual case once a page has grown); only a
     * longer text measures first, grows, and prints again. */
    size_t room = b->cap - b->len;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && b->p && (size_t)n < room && (size_t)n <= b->max - b->len) {
        b->len += (size_t)n;
        return 0;
    }
    if (b->p)
        b->p[b->len] = '\0';                  /* what was printed into the room is not kept */
    if (n < 0 || grow(b, (size_t)n) != 0)
        return -1;
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *buf_str(const buf *b) { return b->p ? b->p : ""; }

void buf_reset(buf *b)
{
    b->len = 0;
    if (b->p)
        b->p[0] = '\0';
}

void buf_truncate(buf *b, size_t n)
{
    if (n < b->len) {
        b->len = n;
        b->p[n] = '\0';
    }
}

char *buf_steal(buf *b)
{
    char *p = b->p;
    if (p == NULL) {
        p = calloc(1, 1);
        if (p == NULL)
            return NULL;
    }
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}
