/* csv.c - RFC 4180 reader over a memory buffer (see csv.h).
 *
 * One pass over the bytes: each record's field texts are copied, unquoted,
 * into one storage buffer (NUL after each), with parallel arrays of offsets
 * and lengths; all three are owned by the reader and reused for every record,
 * so parsing does no per-field allocation.  `row` counts spreadsheet rows
 * (records plus skipped blank lines), `line` physical lines.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define CSV_MAX_FIELDS 4096
#define CSV_MAX_FIELD ((size_t)1 << 20)

struct csv_reader {
    const char *p, *end;
    char sep;               /* 0 until the header has been seen */
    long row, line;         /* of the next record */
    char *store;            /* field bytes */
    size_t nstore, capstore;
    size_t *off, *lens;     /* per field */
    const char **ptrs;
    size_t capfields;
};

csv_reader *csv_open(const char *data, size_t len)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->p = data;
    r->end = data + len;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->row = r->line = 1;
    return r;
}

void csv_close(csv_reader *r)
{
    if (r == NULL)
        return;
    free(r->store);
    free(r->off);
    free(r->lens);
    free(r->ptrs);
    free(r);
}

char csv_separator(const csv_reader *r) { return r->sep ? r->sep : ','; }

/* Chooses ',' or ';' from the first record: the one more frequent outside quotes. */
static char detect_sep(const char *p, const char *end)
{
    long commas = 0, semis = 0;
    int inq = 0;
    for (; p < end; p++) {
        char c = *p;
        if (c == '"')
            inq = !inq;
        else if (!inq && (c == '\n' || c == '\r'))
            break;
        else if (!inq && c == ',')
            commas++;
        else if (!inq && c == ';')
            semis++;
    }
    return semis > commas ? ';' : ',';
}

static int push_byte(csv_reader *r, char c)
{
    if (r->nstore + 2 > r->capstore) {
        size_t cap = r->capstore ? r->capstore * 2 : 4096;
        char *s = realloc(r->store, cap);
        if (s == NULL)
            return -1;
        r->store = s;
        r->capstore = cap;
    }
    r->store[r->nstore++] = c;
    return 0;
}

static int push_bytes(csv_reader *r, const char *p, size_t n)
{
    if (r->nstore + n + 2 > r->capstore) {
        size_t cap = r->capstore ? r->capstore : 4096;
        while (r->nstore + n + 2 > cap)
            cap *= 2;
        char *s = realloc(r->store, cap);
        if (s == NULL)
            return -1;
        r->store = s;
        r->capstore = cap;
    }
    memcpy(r->store + r->nstore, p, n);
    r->nstore += n;
    return 0;
}

static int new_field(csv_reader *r, size_t nf)
{
    if (nf >= r->capfields) {
        size_t cap = r->capfields ? r->capfields * 2 : 16;
        size_t *o = realloc(r->off, cap * sizeof *o);
        if (o == NULL)
            return -1;
        r->off = o;
        size_t *l = realloc(r->lens, cap * sizeof *l);
        if (l == NULL)
            return -1;
        r->lens = l;
        const char **pp = realloc(r->ptrs, cap * sizeof *pp);
        if (pp == NULL)
            return -1;
        r->ptrs = pp;
        r->capfields = cap;
    }
    r->off[nf] = r->nstore;
    return 0;
}

static int fail(err_t *e, const char *what, long row, long line, size_t col)
{
    return err_set(e, tr("dòng %ld (dòng vật lý %ld), cột %zu: %s", "row %ld (line %ld), column %zu: %s"),
                   row, line, col, what);
}

int csv_next(csv_reader *r, csv_record *rec, err_t *e)
{
    /* Skip blank lines (they still count as spreadsheet rows). */
    while (r->p < r->end && (*r->p == '\n' || *r->p == '\r')) {
        if (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
            r->p++;
        r->p++;
        r->row++;
        r->line++;
    }
    if (r->p >= r->end)
        return 0;
    if (!r->sep)
        r->sep = detect_sep(r->p, r->end);
    const char sep = r->sep;
    long row = r->row, line0 = r->line;
    size_t nf = 0;
    r->nstore = 0;
    const char *p = r->p, *end = r->end;
    for (;;) {
        if (nf >= CSV_MAX_FIELDS)
            return fail(e, tr("quá 4096 cột", "more than 4096 columns"), row, r->line, nf);
        if (new_field(r, nf) != 0)
            return err_set(e, "out of memory");
        if (p < end && *p == '"') {
            long qline = r->line;
            p++;
            for (;;) {
                const char *q = p;
                while (q < end && *q != '"' && *q != '\0' && *q != '\n')
                    q++;
                if (push_bytes(r, p, (size_t)(q - p)) != 0)
                    return err_set(e, "out of memory");
                p = q;
                if (p >= end) {
                    r->p = p;
                    return fail(e, tr("dấu ngoặc kép không đóng", "unterminated quote"), row, qline, nf + 1);
                }
                if (*p == '\0')
                    return fail(e, tr("có byte NUL", "NUL byte"), row, r->line, nf + 1);
                if (*p == '\n') {
                    r->line++;
                    if (push_byte(r, '\n') != 0)
                        return err_set(e, "out of memory");
                    p++;
                    continue;
                }
                /* a quote: doubled, or the end of the field */
                if (p + 1 < end && p[1] == '"') {
                    if (push_byte(r, '"') != 0)
                        return err_set(e, "out of memory");
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            if (p < end && *p != sep && *p != '\n' && *p != '\r')
                return fail(e, tr("ký tự thừa sau dấu ngoặc kép đóng", "unexpected character after closing quote"),
                            row, r->line, nf + 1);
        } else {
            const char *q = p;
            while (q < end && *q != sep && *q != '\n' && *q != '\r' && *q != '\0')
                q++;
            if (q < end && *q == '\0')
                return fail(e, tr("có byte NUL", "NUL byte"), row, r->line, nf + 1);
            if (push_bytes(r, p, (size_t)(q - p)) != 0)
                return err_set(e, "out of memory");
            p = q;
        }
        size_t flen = r->nstore - r->off[nf];
        if (flen > CSV_MAX_FIELD)
            return fail(e, tr("ô dài quá 1 MiB", "field longer than 1 MiB"), row, r->line, nf + 1);
        r->lens[nf] = flen;
        if (push_byte(r, '\0') != 0)
            return err_set(e, "out of memory");
        nf++;
        if (p < end && *p == sep) {
            p++;
            continue;
        }
        break;
    }
    /* end of record: LF, CRLF, lone CR, or end of input */
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p == '\n')
        p++;
    else if (p < end && p[-1] != '\r')
        return fail(e, tr("ký tự không hợp lệ", "unexpected character"), row, r->line, nf);
    r->p = p;
    r->line++;
    r->row++;
    for (size_t i = 0; i < nf; i++)
        r->ptrs[i] = r->store + r->off[i];
    rec->nfields = nf;
    rec->field = r->ptrs;
    rec->len = r->lens;
    rec->row = row;
    rec->line = line0;
    return 1;
}
