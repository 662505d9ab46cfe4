/* html.c - HTML escaping (see html.h).  Copies runs of safe bytes in one append. */
#include "html.h"

#include <string.h>

int html_text(buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n')
                rep = "";
            break;
        }
        if (rep == NULL)
            continue;
        if (buf_add(b, s + run, i - run) != 0 || buf_adds(b, rep) != 0)
            return -1;
        run = i + 1;
    }
    return buf_add(b, s + run, n - run);
}

int html_str(buf *b, const char *s) { return html_text(b, s, strlen(s)); }
