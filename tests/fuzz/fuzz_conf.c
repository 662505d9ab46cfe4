/* fuzz_conf.c - libFuzzer harness for the configuration file parser (src/conf.c) with serve's
 * keys: any input is parsed or refused with FILE:LINE; what is accepted has each key once, in
 * increasing lines, values that fit, hold no line end, and booleans normalised to 0/1. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "serve_conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static conf_entry conf[SERVE_CONF_MAX];
    int n = -1;
    err_t e;
    if (conf_parse("f.conf", (const char *)data, size, serve_conf_keys, conf, SERVE_CONF_MAX, &n, &e) != 0) {
        if (strncmp(e.msg, "f.conf:", 7) != 0 || memchr(e.msg, '\0', sizeof e.msg) == NULL)
            __builtin_trap();
        return 0;
    }
    if (n < 0 || n > SERVE_CONF_MAX)
        __builtin_trap();
    for (int i = 0; i < n; i++) {
        const conf_entry *c = &conf[i];
        size_t len = strnlen(c->value, CONF_VALUE_MAX);
        if (len == 0 || len >= CONF_VALUE_MAX || memchr(c->value, '\n', len) || c->line < 1)
            __builtin_trap();
        if (i > 0 && c->line <= conf[i - 1].line)
            __builtin_trap();
        for (int j = 0; j < i; j++)
            if (conf[j].key == c->key)
                __builtin_trap();
        if (serve_conf_keys[c->key].kind == CONF_BOOL && strcmp(c->value, "0") != 0 && strcmp(c->value, "1") != 0)
            __builtin_trap();
    }
    return 0;
}
