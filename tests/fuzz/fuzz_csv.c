/* fuzz_csv.c - libFuzzer harness for the CSV reader (src/csv.c).
 *
 * Data flow: the fuzzer's bytes are parsed record by record; every record is checked against
 * the contract (row and line numbers rising, 1..4096 fields, each NUL-terminated at its length
 * with no NUL inside and at most 1 MiB) and then written back out with every field quoted.
 * Reading that text again must give the same fields (a round trip, when it picks the same
 * separator), and an error must leave a message and stay put.  Memory: both bufs belong to one call and are freed before it returns;
 * only static functions here, so the harness links with all of src/.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appends each field as "<len>:<bytes>" and the record end as '\n' to flat. */
static void flatten(buf *flat, const csv_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++) {
        buf_printf(flat, "%zu:", rec->len[i]);
        buf_add(flat, rec->field[i], rec->len[i]);
    }
    buf_addc(flat, '\n');
}

/* Parses s[0..n) to the end or the first error, flattening records and setting *sep; checks the
 * contract.  When out is not NULL, also writes the records back as CSV with every field quoted. */
static int parse(const char *s, size_t n, buf *flat, buf *out, char *sep_used)
{
    csv_reader *r = csv_open(s, n);
    csv_record rec;
    err_t e;
    long last_row = 0, last_line = 0;
    int rc;
    if (r == NULL)
        return 0;
    while ((rc = csv_next(r, &rec, &e)) == 1) {
        char sep = csv_separator(r);
        if (sep != ',' && sep != ';')
            __builtin_trap();
        if (rec.row <= last_row || rec.line <= last_line || rec.line < rec.row)
            __builtin_trap();
        last_row = rec.row;
        last_line = rec.line;
        if (rec.nfields == 0 || rec.nfields > 4096)
            __builtin_trap();
        for (size_t i = 0; i < rec.nfields; i++) {
            if (rec.len[i] > ((size_t)1 << 20) || rec.field[i][rec.len[i]] != '\0' ||
                memchr(rec.field[i], '\0', rec.len[i]) != NULL)
                __builtin_trap();
        }
        flatten(flat, &rec);
        if (out == NULL)
            continue;
        for (size_t i = 0; i < rec.nfields; i++) {
            if (i)
                buf_addc(out, sep);
            buf_addc(out, '"');
            for (const char *p = rec.field[i]; *p; p++) {
                if (*p == '"')
                    buf_addc(out, '"');
                buf_addc(out, *p);
            }
            buf_addc(out, '"');
        }
        buf_adds(out, "\r\n");
    }
    *sep_used = csv_separator(r);
    if (rc == -1) {
        err_t e2;
        if (e.msg[0] == '\0' || csv_next(r, &rec, &e2) != -1 || strcmp(e.msg, e2.msg) != 0)
            __builtin_trap();
    } else if (rc != 0 || csv_next(r, &rec, &e) != 0) {
        __builtin_trap();
    }
    csv_close(r);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    buf flat1 = BUF_INIT, flat2 = BUF_INIT, out = BUF_INIT;
    char sep1 = 0, sep2 = 0;
    parse((const char *)data, size, &flat1, &out, &sep1);
    /* The separator is a guess from the header, and a header such as  a,"b\nc";d;e  reads
     * differently under each guess; so the round trip is checked when both guesses agree. */
    int rc = parse(buf_str(&out), out.len, &flat2, NULL, &sep2);
    if (sep1 == sep2 && (rc != 0 || flat1.len != flat2.len || memcmp(buf_str(&flat1), buf_str(&flat2), flat1.len) != 0))
        __builtin_trap();
    buf_free(&flat1);
    buf_free(&flat2);
    buf_free(&out);
    return 0;
}
