/* fuzz_period.c - libFuzzer harness for period codes: anything accepted must round-trip
 * through its canonical code, and the arithmetic on it must stay consistent. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "period.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    period_t p, back, kids[64];
    char code[PERIOD_CODE_MAX], label[128];
    if (period_parse((const char *)data, size, &p) != 0)
        return 0;
    int n = period_code(p, code, sizeof code);
    if ((size_t)n != size || memcmp(code, data, size) != 0)
        __builtin_trap();
    if (period_parse(code, strlen(code), &back) != 0 || !period_eq(back, p))
        __builtin_trap();
    period_label(p, 0, label, sizeof label);
    period_label(p, 1, label, sizeof label);
    if (period_start(p) > period_end(p))
        __builtin_trap();
    int k = period_children(p, kids, 64);
    for (int i = 0; i < k; i++)
        if (!period_contains(p, kids[i]))
            __builtin_trap();
    k = period_parents(p, kids, 64);
    for (int i = 0; i < k; i++)
        if (!period_contains(kids[i], p))
            __builtin_trap();
    period_t prev = period_prev_year(p);
    if (prev.kind != P_NONE && period_cmp(prev, p) >= 0)
        __builtin_trap();
    return 0;
}
