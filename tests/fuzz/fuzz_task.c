/* fuzz_task.c - libFuzzer harness for the task parsers (src/task.c, src/task_import.c): the date
 * parser and the header recognition of programmes.csv / tasks.csv.
 *
 * Data flow: the bytes as a NUL-terminated date must parse to a real calendar date whose
 * weekday and day count are consistent, or be refused; the bytes as CSV text get a kind.
 * Memory: one copy per call, freed before it returns.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "task.h"
#include "task_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (s == NULL)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    int d;
    if (task_parse_date(s, &d) == 0) {
        int y = d / 10000, m = d / 100 % 100, day = d % 100;
        if (y < 1900 || y > 2200 || m < 1 || m > 12 || day < 1 || day > 31)
            abort();
        if (task_days_between(d, d) != 0 || task_weekday(d) < 0 || task_weekday(d) > 6)
            abort();
        task_t t = { .deadline = d };
        int due = task_due_date(&t, d);
        if (due < d || task_days_between(d, due) > 2)       /* a weekend moves it two days at most */
            abort();
    }
    int k = task_import_kind(s, size);
    if (k < TI_NONE || k > TI_TASKS)
        abort();
    free(s);
    return 0;
}
