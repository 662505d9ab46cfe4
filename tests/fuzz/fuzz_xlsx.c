/* fuzz_xlsx.c - libFuzzer harness for the .xlsx reader: arbitrary bytes must be read or
 * refused cleanly, and every sheet must convert to CSV text. */
#include <stddef.h>
#include <stdint.h>

#include "import.h"
#include "xlsx_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xlsx_sheet *sh;
    int n;
    err_t e;
    if (xlsx_read((const char *)data, size, &sh, &n, &e) != 0)
        return 0;
    for (int k = 0; k < n; k++) {
        buf csv = BUF_INIT;
        xlsx_sheet_csv(&sh[k], import_is_header, &csv);
        buf_free(&csv);
    }
    xlsx_free(sh, n);
    return 0;
}
