/* fuzz_csv.c - libFuzzer harness for the CSV reader: every record of arbitrary bytes must
 * parse or fail cleanly, with fields NUL-terminated at their stated lengths. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    csv_reader *r = csv_open((const char *)data, size);
    csv_record rec;
    err_t e;
    long last = 0;
    if (r == NULL)
        return 0;
    while (csv_next(r, &rec, &e) == 1) {
        if (rec.row <= last || rec.nfields == 0)
            __builtin_trap();
        last = rec.row;
        for (size_t i = 0; i < rec.nfields; i++)
            if (rec.field[i][rec.len[i]] != '\0')
                __builtin_trap();
    }
    csv_close(r);
    return 0;
}
