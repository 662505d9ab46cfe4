/* err.c - error messages and the process language (see err.h). */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum lang process_lang = LANG_VI;
/* A request thread's own choice (the web user's language), -1 = the process language. */
static _Thread_local int thread_lang = -1;

void lang_init(void)
{
    const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v == NULL || *v == '\0')
            continue;
        process_lang = strncmp(v, "en", 2) == 0 ? LANG_EN : LANG_VI;
        return;
    }
}

void lang_set(enum lang l) { process_lang = l; }

void lang_thread(int l) { thread_lang = l; }

enum lang lang_get(void) { return thread_lang >= 0 ? (enum lang)thread_lang : process_lang; }

const char *tr(const char *vi, const char *en)
{
    return lang_get() == LANG_EN ? en : vi;
}

int err_set(err_t *e, const char *fmt, ...)
{
    if (e == NULL)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

int err_prefix(err_t *e, const char *fmt, ...)
{
    if (e == NULL)
        return -1;
    char old[sizeof e->msg];
    memcpy(old, e->msg, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 2 < sizeof e->msg) {
        size_t room = sizeof e->msg - (size_t)n - 2, len = strnlen(old, sizeof old - 1);
        if (len > room)
            len = room;
        memcpy(e->msg + n, ": ", 2);
        memcpy(e->msg + n + 2, old, len);
        e->msg[(size_t)n + 2 + len] = '\0';
    }
    return -1;
}
