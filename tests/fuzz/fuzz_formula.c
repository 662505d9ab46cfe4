/* fuzz_formula.c - libFuzzer harness for the formula compiler and evaluator. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formula.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (src == NULL)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    formula *f = NULL;
    err_t e;
    if (formula_parse(src, &f, &e) == 0) {
        int n = formula_nvars(f);
        double *v = calloc((size_t)n + 1, sizeof *v);
        unsigned char *has = calloc((size_t)n + 1, 1);
        for (int i = 0; v && has && i < n; i++) {
            v[i] = i + 0.5;
            has[i] = 1;
            if (formula_var(f, i)[0] == '\0')
                __builtin_trap();
        }
        double out;
        if (v && has)
            formula_eval(f, v, has, &out);
        free(v);
        free(has);
        formula_free(f);
    }
    free(src);
    return 0;
}
