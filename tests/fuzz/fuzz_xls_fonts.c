/* fuzz_xls_fonts.c - libFuzzer harness for the BIFF record walk of xls_fonts.c (the FONT, XF and
 * text-cell records of an .xls Workbook stream): any bytes, no crash, no leak, no overread. */
#include <stddef.h>
#include <stdint.h>

#include "xls_fonts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xls_legacy_set set;
    err_t e;
    if (xls_fonts_parse(data, size, &set, &e) == 0) {
        int upper = 0;
        for (size_t i = 0; i < set.n; i++)
            (void)xls_legacy_find(&set, set.cells[i].sheet, set.cells[i].row, set.cells[i].col, &upper);
        xls_legacy_free(&set);
    }
    return 0;
}
