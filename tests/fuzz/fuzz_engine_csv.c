/* fuzz_engine_csv.c - libFuzzer harness for the engine's bulk loader (src/engine_load.c).
 *
 * Data flow: a small fixed model (a root, two districts, three wards; a summed, an averaged and
 * a formula indicator) is made once; each input is read as values.csv into a fresh engine over
 * 2020-2022.  The contract: 0 or -1; on -1 a message naming the file; on 0 no more rows than
 * lines, and the engine then runs and gives the same checksum with 1 and 2 threads.  Memory:
 * the engine belongs to one call and is freed before it returns; the model lives for the
 * process (built on the first call).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "fuzz_catalogue.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static model *the_model(void)
{
    static model *m;
    if (m == NULL)
        m = fuzz_catalogue();
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    model *m = the_model();
    engine *g = NULL;
    err_t e;
    long rows = 0, lines = 1;
    engine_opts o = { .threads = 1, .full_min_leaves = 1 };
    if (engine_new(m, &o, 2020, 2022, &g, &e) != 0)
        abort();
    int rc = engine_load_buf(g, m, "f.csv", (const char *)data, size, &rows, &e);
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || data[i] == '\r';
    if (rc != 0 && (rc != -1 || strncmp(e.msg, "f.csv", 5) != 0))
        abort();
    if (rc == 0) {
        if (rows < 0 || rows > lines)
            abort();
        if (engine_run(g, &e) != 0)
            abort();
        uint64_t one = engine_checksum(g);
        engine_threads(g, 2);
        if (engine_run(g, &e) != 0 || engine_checksum(g) != one)
            abort();
    }
    engine_free(g);
    return 0;
}
