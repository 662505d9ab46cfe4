/* xls_fonts.c - which text cells of an old .xls workbook are set in a legacy Vietnamese font
 * (see xls_fonts.h).
 *
 * Data flow: libgsf opens the OLE2 compound file and hands out its "Workbook" (BIFF8) or "Book"
 * (BIFF5) stream, read whole into memory (at most 64 MiB); xls_fonts_parse() then walks its BIFF
 * records: FONT records give font names (enc.h says which are .VnTime / VNI), XF records each
 * cell format's font, and the cells with text (LABELSST, LABEL, RSTRING) their format, per
 * worksheet in stream order.  FreeXL, which reads the values, gives no fonts.  The result array
 * belongs to the caller.
 */
#include "xls_fonts.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enc.h"

#define STREAM_MAX ((gsf_off_t)64 << 20)
#define FONTS_MAX 4096
#define XFS_MAX 65536

enum { R_BOF = 0x0809, R_EOF = 0x000A, R_FONT = 0x0031, R_XF = 0x00E0, R_LABELSST = 0x00FD,
       R_LABEL = 0x0204, R_RSTRING = 0x00D6 };

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

typedef struct fonts_state {
    signed char font_enc[FONTS_MAX];
    unsigned char font_upper[FONTS_MAX];
    int nfonts;
    unsigned short *xf_font;   /* per XF: font index as stored (4 is never used: index 4 up is n-1) */
    int nxf, capxf;
} fonts_state;

/* A FONT record's name (BIFF8: length, flags, 8- or 16-bit characters; BIFF5: length, bytes),
 * as ASCII (font names of interest are ASCII), and its legacy encoding. */
static void font_record(fonts_state *st, const unsigned char *p, size_t n, int biff8)
{
    if (st->nfonts >= FONTS_MAX)
        return;
    char name[64];
    size_t k = 0;
    if (n >= 15) {
        size_t cch = p[14], at = biff8 ? 16 : 15;
        int wide = biff8 && n >= 16 && (p[15] & 1);
        for (size_t i = 0; i < cch && k + 1 < sizeof name; i++) {
            size_t off = at + i * (wide ? 2 : 1);
            if (off + (wide ? 2 : 1) > n)
                break;
            unsigned c = wide ? u16(p + off) : p[off];
            name[k++] = c < 0x80 ? (char)c : '?';
        }
    }
    name[k] = '\0';
    int upper = 0, enc = enc_font_encoding(name, &upper);
    st->font_enc[st->nfonts] = (signed char)enc;
    st->font_upper[st->nfonts] = (unsigned char)upper;
    st->nfonts++;
}

static int cell_cmp(const void *a, const void *b);

static int add_cell(xls_legacy_set *out, int sheet, unsigned row, unsigned col, int enc, int upper)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        xls_legacy_cell *c = realloc(out->cells, cap * sizeof *c);
        if (c == NULL)
            return -1;
        out->cells = c;
        out->cap = cap;
    }
    out->cells[out->n++] = (xls_legacy_cell){ sheet, row, col, (signed char)enc, (unsigned char)upper };
    return 0;
}

/* The legacy encoding of XF ixfe, or -1. */
static int xf_enc(const fonts_state *st, unsigned ixfe, int *upper)
{
    if ((int)ixfe >= st->nxf)
        return -1;
    int f = st->xf_font[ixfe];
    if (f >= 4)
        f--;                  /* BIFF never writes font 4: the records after it are 5, 6... */
    if (f < 0 || f >= st->nfonts)
        return -1;
    *upper = st->font_upper[f];
    return st->font_enc[f];
}

int xls_fonts_parse(const unsigned char *s, size_t len, xls_legacy_set *out, err_t *e)
{
    fonts_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return err_set(e, "out of memory");
    int rc = -1, depth = 0, sheet = -1, in_sheet = 0, biff8 = 1;
    size_t pos = 0;
    memset(out, 0, sizeof *out);
    while (pos + 4 <= len) {
        unsigned type = u16(s + pos), size = u16(s + pos + 2);
        const unsigned char *p = s + pos + 4;
        if (pos + 4 + size > len)
            break;                        /* a truncated last record: what came before stands */
        pos += 4 + (size_t)size;
        if (type == R_BOF && size >= 4) {
            unsigned vers = u16(p), dt = u16(p + 2);
            if (depth == 0 && sheet == -1 && dt == 0x0005)
                biff8 = vers == 0x0600;   /* the workbook globals */
            else if (depth == 0) {
                sheet++;                  /* a sheet's substream, in the order of its BOUNDSHEET */
                in_sheet = dt == 0x0010;
            }
            depth++;
        } else if (type == R_EOF) {
            depth = depth > 0 ? depth - 1 : 0;
            if (depth == 0)
                in_sheet = 0;
        } else if (type == R_FONT && sheet < 0) {
            font_record(st, p, size, biff8);
        } else if (type == R_XF && sheet < 0 && size >= 2 && st->nxf < XFS_MAX) {
            if (st->nxf == st->capxf) {
                int cap = st->capxf ? st->capxf * 2 : 64;
                unsigned short *x = realloc(st->xf_font, (size_t)cap * sizeof *x);
                if (x == NULL)
                    goto oom;
                st->xf_font = x;
                st->capxf = cap;
            }
            st->xf_font[st->nxf++] = (unsigned short)u16(p);
        } else if ((type == R_LABELSST || type == R_LABEL || type == R_RSTRING) && in_sheet && depth == 1 &&
                   size >= 6) {
            int upper = 0, enc = xf_enc(st, u16(p + 4), &upper);
            if (enc > 0 && add_cell(out, sheet, u16(p), u16(p + 2), enc, upper) != 0)
                goto oom;
        }
    }
    if (out->n)
        qsort(out->cells, out->n, sizeof *out->cells, cell_cmp);
    rc = 0;
    goto cleanup;
oom:
    err_set(e, "out of memory");
    xls_legacy_free(out);
cleanup:
    free(st->xf_font);
    free(st);
    return rc;
}

int xls_fonts_read(const char *path, xls_legacy_set *out, err_t *e)
{
    GError *gerr = NULL;
    GsfInput *in = gsf_input_stdio_new(path, &gerr);
    GsfInfile *ole = NULL;
    GsfInput *book = NULL;
    unsigned char *data = NULL;
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (in)
        ole = gsf_infile_msole_new(in, &gerr);
    if (ole) {
        book = gsf_infile_child_by_name(ole, "Workbook");
        if (book == NULL)
            book = gsf_infile_child_by_name(ole, "Book");
    }
    if (book == NULL) {
        err_set(e, tr("tệp .xls không có luồng Workbook (hỏng hoặc không phải Excel 97–2003)",
                      "the .xls file has no Workbook stream (damaged, or not Excel 97-2003)"));
        goto cleanup;
    }
    gsf_off_t size = gsf_input_size(book);
    if (size < 0 || size > STREAM_MAX) {
        err_set(e, tr("luồng Workbook của tệp .xls quá lớn", "the .xls file's Workbook stream is too large"));
        goto cleanup;
    }
    data = malloc((size_t)size + 1);
    if (data == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (size > 0 && gsf_input_read(book, (size_t)size, data) == NULL) {
        err_set(e, tr("không đọc được luồng Workbook của tệp .xls", "cannot read the .xls file's Workbook stream"));
        goto cleanup;
    }
    rc = xls_fonts_parse(data, (size_t)size, out, e);
cleanup:
    free(data);
    if (gerr)
        g_error_free(gerr);
    if (book)
        g_object_unref(book);
    if (ole)
        g_object_unref(ole);
    if (in)
        g_object_unref(in);
    return rc;
}

static int cell_cmp(const void *a, const void *b)
{
    const xls_legacy_cell *x = a, *y = b;
    if (x->sheet != y->sheet)
        return x->sheet < y->sheet ? -1 : 1;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

int xls_legacy_find(const xls_legacy_set *set, int sheet, unsigned row, unsigned col, int *upper)
{
    xls_legacy_cell key = { sheet, row, col, 0, 0 };
    const xls_legacy_cell *c = set->n ? bsearch(&key, set->cells, set->n, sizeof key, cell_cmp) : NULL;
    if (c == NULL)
        return -1;
    *upper = c->upper;
    return c->enc;
}

void xls_legacy_free(xls_legacy_set *set)
{
    free(set->cells);
    memset(set, 0, sizeof *set);
}
