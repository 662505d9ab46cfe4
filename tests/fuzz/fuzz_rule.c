/* fuzz_rule.c - libFuzzer harness for the validation rule parser and evaluator (rule.h), the
 * rules file and the outlier bounds file (outlier.h). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "outlier.h"
#include "rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *src = malloc(size + 1);
    if (src == NULL)
        return 0;
    memcpy(src, data, size);
    src[size] = '\0';
    rule_t r;
    err_t e;
    if (rule_parse(src, &r, &e) == 0) {
        double *v = calloc((size_t)r.nvars + 1, sizeof *v);
        unsigned char *has = calloc((size_t)r.nvars + 1, 1);
        double l, x;
        if (r.nvars < 1 || r.op < RULE_EQ || r.op > RULE_GE)
            __builtin_trap();
        for (int i = 0; v && has && i < r.nvars; i++) {
            v[i] = i - 1.5;
            has[i] = 1;
            if (r.vars[i][0] == '\0')
                __builtin_trap();
        }
        if (v && has) {
            int o = rule_eval(&r, v, has, (int)(size % 5), &l, &x);
            if (o != RULE_SKIP && o != RULE_PASS && o != RULE_FAIL)
                __builtin_trap();
        }
        free(v);
        free(has);
        rule_free(&r);
    }
    buf errors = BUF_INIT;
    rule_t *rules;
    int n;
    if (rule_file_parse("f.csv", (const char *)data, size, NULL, &rules, &n, &errors, &e) == 0) {
        for (int k = 0; k < n; k++)
            rule_free(&rules[k]);
        free(rules);
    }
    outlier_bound *b;
    buf_reset(&errors);
    if (outlier_bounds_parse("b.csv", (const char *)data, size, &b, &n, &errors, &e) == 0)
        free(b);
    buf_free(&errors);
    free(src);
    return 0;
}
