/* fuzz_xff.c - libFuzzer harness for the client address behind trusted proxies (http_client_addr
 * in src/http.c), which reads the X-Forwarded-For header a client controls.
 *
 * Data flow: the bytes are split at the first NUL into the header and the trusted list (peer
 * 127.0.0.1, itself trusted, so the header is read).  The answer must be NUL-terminated within
 * its buffer, never empty, and either the peer or an entry of the header made only of address
 * characters; with nothing trusted it must be the peer.  Memory: stack buffers only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char fwd[256], trusted[256], out[64];
    size_t n = strnlen((const char *)data, size);
    size_t fn = n < sizeof fwd - 1 ? n : sizeof fwd - 1;
    memcpy(fwd, data, fn);
    fwd[fn] = '\0';
    size_t rest = n < size ? size - n - 1 : 0, tn = rest < 200 ? rest : 200;
    memcpy(trusted, "127.0.0.1,", 10);
    memcpy(trusted + 10, data + (size - rest), tn);
    trusted[10 + tn] = '\0';
    for (size_t i = 10; i < 10 + tn; i++)
        if (trusted[i] == '\0')
            trusted[i] = ',';
    http_client_addr("127.0.0.1", fwd, trusted, out, sizeof out);
    size_t len = strnlen(out, sizeof out);
    if (len == sizeof out || len == 0)
        abort();
    if (strcmp(out, "127.0.0.1") != 0 && (strspn(out, "0123456789abcdefABCDEF.:") != len || strstr(fwd, out) == NULL))
        abort();
    http_client_addr("127.0.0.1", fwd, "", out, sizeof out);
    if (strcmp(out, "127.0.0.1") != 0)
        abort();
    return 0;
}
