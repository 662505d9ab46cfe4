/* fuzz_engine_image.c - libFuzzer harness for the engine image reader (src/engine_image.c).
 *
 * Data flow: a small fixed catalogue (a root, two districts, three wards; a summed, an averaged
 * and a formula indicator) is made into a fresh model for each input.  The first byte picks how
 * the rest is read: even, as a whole image file (header and payload: the header's checks and the
 * checksum stand in the way); odd, as a payload behind a header made here with the right length
 * and checksum, so every count, index, key, figure, period and comment of the payload reaches the
 * parser's own bounds checks.  The contract: engine_image_header/engine_image_read return 0 or -1
 * with a message; on -1 the model holds no engine and no cell; on 0 the model's engine is
 * computed, held, with its checksum readable.  Memory: the model and stream belong to one call.
 */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "engine_image.h"
#include "fuzz_catalogue.h"
#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A header for payload[0..n) as engine_image_write makes one (docs/internals/engine_image.md). */
static void seal(uint8_t *h, const uint8_t *payload, size_t n)
{
    static const char magic[16] = "CHITIEU-ENGINE";
    uint32_t version = ENGINE_IMAGE_VERSION, layout = engine_image_layout();
    uint64_t len = n;
    uint8_t psum[32];
    memset(h, 0, ENGINE_IMAGE_HEADER);
    memcpy(h, magic, 16);
    memcpy(h + 16, &version, 4);
    memcpy(h + 20, &layout, 4);
    memcpy(h + 160, &len, 8);
    crypto_generichash(psum, sizeof psum, payload, n, NULL, 0);
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, h, 224);
    crypto_generichash_update(&st, psum, sizeof psum);
    crypto_generichash_final(&st, h + 224, 32);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int sealed = data[0] & 1;
    size_t n = size - 1, total = sealed ? n + ENGINE_IMAGE_HEADER : n;
    uint8_t *file = malloc(total + 1);
    if (file == NULL)
        return 0;
    if (sealed)
        seal(file, data + 1, n);
    memcpy(file + (sealed ? ENGINE_IMAGE_HEADER : 0), data + 1, n);
    FILE *f = fmemopen(file, total ? total : 1, "rb");
    model *m = fuzz_catalogue();
    engine_image_id id;
    err_t e = { { 0 } };
    int rc = f && total ? engine_image_header(f, &id, &e) : -1;
    if (rc == 0)
        rc = engine_image_read(f, m, 1, &e);
    if (rc != 0 && rc != -1)
        abort();
    if (rc == -1 && f && total && (e.msg[0] == '\0' || m->engine != NULL || m->values.n || m->targets.n))
        abort();
    if (rc == 0) {
        if (!m->held || m->engine == NULL)
            abort();
        (void)engine_checksum(m->engine);
    }
    if (f)
        fclose(f);
    model_free(m);
    free(file);
    return 0;
}
