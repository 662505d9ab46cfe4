/* test_data.h - reading table-driven test cases: tab-separated lines from
 * $CHITIEU_TEST_DATA/NAME (default tests/data), '#' lines and blank lines skipped. */
#ifndef CHITIEU_TEST_DATA_H
#define CHITIEU_TEST_DATA_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TD_MAXF 8

typedef struct td_line {
    int n;                 /* number of fields */
    char *f[TD_MAXF];      /* fields, pointing into line */
    char line[1024];
    int lineno;
} td_line;

static inline FILE *td_open(const char *name)
{
    const char *dir = getenv("CHITIEU_TEST_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fprintf(stderr, "cannot open test data %s\n", path);
    return f;
}

/* Reads the next case; returns 1, or 0 at end of file. */
static inline int td_next(FILE *f, td_line *l)
{
    while (fgets(l->line, sizeof l->line, f)) {
        l->lineno++;
        size_t n = strlen(l->line);
        while (n && (l->line[n - 1] == '\n' || l->line[n - 1] == '\r'))
            l->line[--n] = '\0';
        if (n == 0 || l->line[0] == '#')
            continue;
        l->n = 0;
        char *p = l->line;
        for (;;) {
            l->f[l->n++] = p;
            char *tab = strchr(p, '\t');
            if (tab == NULL || l->n == TD_MAXF)
                break;
            *tab = '\0';
            p = tab + 1;
        }
        for (int i = l->n; i < TD_MAXF; i++)
            l->f[i] = "";
        return 1;
    }
    return 0;
}

#endif
