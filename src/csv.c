/* csv.c - RFC 4180 reader over a memory buffer (see csv.h).
 *
 * Data flow: csv_open() borrows the caller's bytes and skips a UTF-8 BOM.
 * The first csv_next() after the leading blank lines picks the separator by
 * counting ',' and ';' outside quotes in the header record.  Every csv_next()
 * then walks the bytes of one record exactly once: each field's unquoted text
 * is appended to `store` (a capped buf, emptied but never freed between
 * records) followed by a NUL, and its offset and length go into two arrays
 * that are reused too; only when the record is complete are the offsets
 * turned into pointers (the buf may move while it grows).  Nothing is
 * allocated per field: the store and the arrays grow geometrically and stay
 * at their high-water mark.
 *
 * Numbering: `line` is the physical line (LF, CRLF or lone CR each end one,
 * also inside quoted fields); `row` is the spreadsheet row, i.e. one per
 * record plus one per skipped blank line, so it matches what Excel shows.
 *
 * Memory: the reader owns `store`, `off`, `lens` and `ptrs`; csv_record
 * points into them and is valid until the next csv_next() or csv_close().
 * The input stays the caller's.  After an error the reader is stuck: every
 * later csv_next() returns -1 with the same message.
 *
 * csv_read_table() drives the reader over a file with a fixed header: header check, one
 * caller's row function per data row into a doubling array, every refused row counted (the rows'
 * messages go to the caller's errors buf); on any failure it frees the array and what each item
 * holds (the table's drop), so the caller gets all the rows or none.
 *
 * csv_write_field() is the writing side: it appends one field, quoted when
 * needed, to a caller's buf.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define CSV_MAX_FIELDS 4096
#define CSV_MAX_FIELD ((size_t)1 << 20) /* bytes of one unquoted field */

struct csv_reader {
    const char *p, *end;      /* the unread input */
    char sep;                 /* 0 until the header has been seen */
    int failed;               /* 1 after an error: `err` holds it */
    long row, line;           /* of the next record */
    buf store;                /* field texts, each followed by a NUL */
    size_t *off, *lens;       /* per field: offset into store, length */
    const char **ptrs;        /* per field: store.p + off, filled at record end */
    size_t capf;              /* allocated entries in off, lens and ptrs */
    unsigned char plain[256]; /* bytes that end an unquoted run: sep, CR, LF, NUL */
    err_t err;
};

/* Bytes that end a run inside a quoted field. */
static const unsigned char quoted_stop[256] = {['"'] = 1, ['\r'] = 1, ['\n'] = 1, ['\0'] = 1};

csv_reader *csv_open(const char *data, size_t len)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    r->p = data;
    r->end = data != NULL ? data + len : data;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->p += 3;
    r->row = r->line = 1;
    /* every field is at most 1 MiB and a NUL, so this cap is never what stops a record */
    buf_init(&r->store, (size_t)CSV_MAX_FIELDS * (CSV_MAX_FIELD + 1));
    return r;
}

void csv_close(csv_reader *r)
{
    if (r == NULL)
        return;
    buf_free(&r->store);
    free(r->off);
    free(r->lens);
    free(r->ptrs);
    free(r);
}

char csv_separator(const csv_reader *r) { return r->sep ? r->sep : ','; }

/* Picks ',' or ';' from the record at p: the one more frequent outside quotes, ',' on a tie.
 * A quote opens a quoted field only at the start of a field, as in csv_next. */
static char detect_sep(const char *p, const char *end)
{
    size_t commas = 0, semis = 0;
    int field_start = 1;
    while (p < end) {
        char c = *p;
        if (field_start && c == '"') {
            p++;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (q == NULL)
                    goto cleanup;
                if (q + 1 < end && q[1] == '"') {
                    p = q + 2;
                    continue;
                }
                p = q + 1;
                break;
            }
            field_start = 0;
            continue;
        }
        if (c == '\n' || c == '\r')
            break;
        if (c == ',')
            commas++;
        else if (c == ';')
            semis++;
        field_start = c == ',' || c == ';';
        p++;
    }
cleanup:
    return semis > commas ? ';' : ',';
}

/* Records an error naming the row, physical line and 1-based column; the reader stays failed. */
static int fail(csv_reader *r, err_t *e, long row, long line, size_t col, const char *what)
{
    err_set(&r->err, tr("dòng %ld (dòng vật lý %ld), cột %zu: %s", "row %ld (line %ld), column %zu: %s"), row,
            line, col, what);
    r->failed = 1;
    if (e != NULL)
        *e = r->err;
    return -1;
}

/* Makes room for field index nf in the per-field arrays; returns 0 or -1. */
static int want_field(csv_reader *r, size_t nf)
{
    if (nf < r->capf)
        return 0;
    size_t cap = r->capf ? r->capf * 2 : 32;
    if (cap > CSV_MAX_FIELDS)
        cap = CSV_MAX_FIELDS;
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
    r->capf = cap;
    return 0;
}

int csv_next(csv_reader *r, csv_record *rec, err_t *e)
{
    if (r->failed) {
        if (e != NULL)
            *e = r->err;
        return -1;
    }
    const char *p = r->p, *end = r->end;
    long row = r->row, line = r->line;

    /* Blank lines: no record, but a spreadsheet row and a physical line each. */
    while (p < end && (*p == '\n' || *p == '\r')) {
        if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p++;
        p++;
        row++;
        line++;
    }
    r->p = p;
    r->row = row;
    r->line = line;
    if (p >= end)
        return 0;
    if (r->sep == 0) {
        r->sep = detect_sep(p, end);
        r->plain[(unsigned char)r->sep] = 1;
        r->plain['\r'] = r->plain['\n'] = 1;
        r->plain['\0'] = 1;
    }
    const unsigned char *plain = r->plain;
    const char sep = r->sep;
    const char *oom = tr("hết bộ nhớ", "out of memory");
    const char *too_long = tr("ô dài quá 1 MiB", "field longer than 1 MiB");
    buf *st = &r->store;
    size_t nf = 0;
    buf_reset(st);

    for (;;) {
        if (nf >= CSV_MAX_FIELDS)
            return fail(r, e, row, line, nf + 1, tr("quá 4096 cột", "more than 4096 columns"));
        if (want_field(r, nf) != 0)
            return fail(r, e, row, line, nf + 1, oom);
        size_t start = st->len;
        r->off[nf] = start;
        if (p < end && *p == '"') {
            long qline = line;
            p++;
            for (;;) {
                const char *q = p;
                while (q < end && !quoted_stop[(unsigned char)*q])
                    q++;
                if (q >= end)
                    return fail(r, e, row, qline, nf + 1, tr("dấu ngoặc kép không đóng", "unterminated quote"));
                /* a doubled quote keeps one quote: take it with the run and skip the other */
                int dq = *q == '"' && q + 1 < end && q[1] == '"';
                size_t n = (size_t)(q - p) + (size_t)dq;
                if (st->len - start + n > CSV_MAX_FIELD)
                    return fail(r, e, row, line, nf + 1, too_long);
                if (buf_add(st, p, n) != 0)
                    return fail(r, e, row, line, nf + 1, oom);
                p = q + 2 * dq;
                if (dq)
                    continue;
                if (*q == '"') {
                    p = q + 1;
                    break;
                }
                if (*q == '\0')
                    return fail(r, e, row, line, nf + 1, tr("có byte NUL", "NUL byte"));
                /* a line break inside the field: data, and one more physical line */
                n = *q == '\r' && q + 1 < end && q[1] == '\n' ? 2 : 1;
                if (st->len - start + n > CSV_MAX_FIELD)
                    return fail(r, e, row, line, nf + 1, too_long);
                if (buf_add(st, q, n) != 0)
                    return fail(r, e, row, line, nf + 1, oom);
                p = q + n;
                line++;
            }
            if (p < end && *p == '\0')
                return fail(r, e, row, line, nf + 1, tr("có byte NUL", "NUL byte"));
            if (p < end && *p != sep && *p != '\n' && *p != '\r')
                return fail(r, e, row, line, nf + 1,
                            tr("ký tự thừa sau dấu ngoặc kép đóng", "unexpected character after closing quote"));
        } else {
            /* unquoted: everything up to the separator or line end, quotes included */
            const char *q = p;
            while (q < end && !plain[(unsigned char)*q])
                q++;
            if (q < end && *q == '\0')
                return fail(r, e, row, line, nf + 1, tr("có byte NUL", "NUL byte"));
            if ((size_t)(q - p) > CSV_MAX_FIELD)
                return fail(r, e, row, line, nf + 1, too_long);
            if (buf_add(st, p, (size_t)(q - p)) != 0)
                return fail(r, e, row, line, nf + 1, oom);
            p = q;
        }
        r->lens[nf] = st->len - start;
        if (buf_addc(st, '\0') != 0)
            return fail(r, e, row, line, nf + 1, oom);
        nf++;
        if (p < end && *p == sep) {
            p++;
            continue;
        }
        break;
    }
    /* p is at the end of input or at a line end: LF, CRLF or a lone CR */
    if (p < end && *p == '\r') {
        p++;
        if (p < end && *p == '\n')
            p++;
    } else if (p < end && *p == '\n') {
        p++;
    }
    for (size_t i = 0; i < nf; i++)
        r->ptrs[i] = st->p + r->off[i];
    rec->nfields = nf;
    rec->field = r->ptrs;
    rec->len = r->lens;
    rec->row = row;
    rec->line = r->line; /* still the line the record started on */
    r->p = p;
    r->row = row + 1;
    r->line = line + 1;
    return 1;
}

int csv_write_field(buf *out, const char *s)
{
    if (strpbrk(s, ",;\"\r\n") == NULL)
        return buf_adds(out, s);
    int rc = buf_addc(out, '"');
    for (; *s && rc == 0; s++)
        rc = (*s == '"' ? buf_addc(out, '"') : 0) || buf_addc(out, *s);
    return rc || buf_addc(out, '"') ? -1 : 0;
}

int csv_header_is(const csv_record *rec, const char *const *cols, size_t ncols)
{
    if (rec->nfields != ncols)
        return 0;
    for (size_t i = 0; i < ncols; i++)
        if (strcmp(rec->field[i], cols[i]) != 0)
            return 0;
    return 1;
}

int csv_starts_with_header(const char *data, size_t len, const char *const *cols, size_t ncols)
{
    csv_reader *rd = csv_open(data, len);
    csv_record rec;
    err_t e;
    int yes = rd && csv_next(rd, &rec, &e) == 1 && csv_header_is(&rec, cols, ncols);
    csv_close(rd);
    return yes;
}

/* "NAME, dòng 1: cần tiêu đề 'a,b,c'" into e; returns -1. */
static int header_expected(const char *name, const csv_table *t, err_t *e)
{
    buf want = BUF_INIT;
    for (size_t i = 0; i < t->ncols; i++)
        buf_printf(&want, "%s%s", i ? "," : "", t->cols[i]);
    err_set(e, tr("%s, dòng 1: cần tiêu đề '%s'", "%s, row 1: the header '%s' is expected"), name, buf_str(&want));
    buf_free(&want);
    return -1;
}

int csv_read_table(const char *name, const char *data, size_t len, const csv_table *t, void **items, int *n,
                   buf *errors, err_t *e)
{
    csv_reader *rd = csv_open(data, len);
    csv_record rec;
    char *v = NULL;
    int nv = 0, cap = 0, r, bad = 0;
    *items = NULL;
    *n = 0;
    if (rd == NULL)
        return err_set(e, "out of memory");
    if ((r = csv_next(rd, &rec, e)) != 1 || !csv_header_is(&rec, t->cols, t->ncols)) {
        if (r >= 0)
            header_expected(name, t, e);
        bad = -1;
        goto cleanup;
    }
    while ((r = csv_next(rd, &rec, e)) == 1) {
        if (nv == cap) {
            char *g = realloc(v, ((size_t)cap * 2 + 8) * t->size);
            if (g == NULL) {
                bad = err_set(e, "out of memory");
                goto cleanup;
            }
            v = g;
            cap = cap * 2 + 8;
        }
        if (t->row(t->ctx, name, &rec, v, nv, v + (size_t)nv * t->size, errors) != 0)
            bad++;
        else
            nv++;
    }
    if (r < 0) {
        buf_printf(errors, "%s: %s\n", name, e->msg);
        bad++;
    }
cleanup:
    csv_close(rd);
    if (bad == 0) {
        *items = v;
        *n = nv;
        return 0;
    }
    for (int k = 0; k < nv && t->drop; k++)
        t->drop(v + (size_t)k * t->size);
    free(v);
    return bad;
}
