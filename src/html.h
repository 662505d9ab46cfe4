/* html.h - the one place bytes become HTML: every piece of text that reaches a page goes
 * through html_text() or html_attr(); nothing else writes user text into HTML. */
#ifndef CHITIEU_HTML_H
#define CHITIEU_HTML_H

#include <stddef.h>
#include "buf.h"

/* Appends s[0..n) escaped for an HTML text node or a quoted attribute (& < > " ' escaped;
 * NUL and other C0 controls except tab/newline dropped); returns 0 or -1. */
int html_text(buf *b, const char *s, size_t n);
/* Same for a NUL-terminated string. */
int html_str(buf *b, const char *s);

#endif
