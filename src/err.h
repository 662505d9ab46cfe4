/* err.h - error reporting and message language for chitieu.
 *
 * Every fallible function returns 0 on success and -1 on failure, filling an
 * err_t that the caller owns (usually on its stack).  Messages are written in
 * the language chosen once at start-up by lang_init() (Vietnamese unless
 * LANG/LC_ALL/LC_MESSAGES starts with "en"); the choice never changes after
 * main() has parsed its arguments.  A thread serving a web request may override
 * it for itself alone (lang_thread), so no request's choice leaks into another's.
 */
#ifndef CHITIEU_ERR_H
#define CHITIEU_ERR_H

#include <stddef.h>

typedef struct err {
    char msg[1024];
} err_t;

enum lang { LANG_VI = 0, LANG_EN = 1 };

/* Reads the environment once and sets the process language; call from main only. */
void lang_init(void);
/* Forces the process language (tests, --lang); call from main only. */
void lang_set(enum lang l);
/* Sets the calling thread's language (LANG_VI, LANG_EN) or, with -1, returns it to the process's. */
void lang_thread(int l);
/* The calling thread's language. */
enum lang lang_get(void);
/* Picks the Vietnamese or English text by the process language; returns one of its arguments. */
const char *tr(const char *vi, const char *en) __attribute__((format_arg(1), format_arg(2)));

/* Formats a message into e (truncating) and returns -1, so callers can `return err_set(...)`. */
int err_set(err_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prepends "prefix: " to the message already in e; returns -1. */
int err_prefix(err_t *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
