/* conf.h - the configuration file of `chitieu serve` (/etc/chitieu/chitieu.conf): `key = value`
 * lines, '#' comment lines and blank lines, UTF-8.  The caller gives the keys it accepts and
 * their kind; every problem is refused with FILE:LINE and what was expected, so a typo never
 * leaves a setting silently at its default.
 *
 * Values are copied into the caller's entries (no allocation); a value may be wrapped in double
 * quotes to keep spaces at its ends.  A key may appear once.  Booleans are normalised to "1"/"0".
 */
#ifndef CHITIEU_CONF_H
#define CHITIEU_CONF_H

#include <stddef.h>
#include "err.h"

#define CONF_DEFAULT_PATH "/etc/chitieu/chitieu.conf"
#define CONF_MAX_BYTES ((size_t)64 << 10)
#define CONF_VALUE_MAX 1024

enum conf_kind { CONF_TEXT, CONF_BOOL, CONF_INT, CONF_LISTEN, CONF_TOKEN };

typedef struct conf_key {
    const char *name;       /* "api_rate"; in the file '-' is accepted for '_' */
    int kind;               /* enum conf_kind */
    long min, max;          /* CONF_INT: the accepted range */
} conf_key;

typedef struct conf_entry {
    int key;                /* index into the keys table */
    int line;               /* 1-based line of the file */
    char value[CONF_VALUE_MAX];
} conf_entry;

/* Parses text[0..n) (named fname in messages) against keys (ended by a NULL name); fills
 * out[0..*nout) (at most max, one per key); returns 0, or -1 with "FILE:LINE: what" in e. */
int conf_parse(const char *fname, const char *text, size_t n, const conf_key *keys,
               conf_entry *out, int max, int *nout, err_t *e);
/* Reads the file at path (at most CONF_MAX_BYTES) and parses it as conf_parse; a missing file
 * is an error unless missing_ok, when *nout is 0 and 0 is returned. */
int conf_load(const char *path, int missing_ok, const conf_key *keys, conf_entry *out, int max,
              int *nout, err_t *e);

#endif
