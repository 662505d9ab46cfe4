/* xlsx_read.c - .xlsx reading with libzip and expat (see xlsx_read.h).
 *
 * Data flow: the zip is opened from memory; workbook.xml gives sheet names and relationship ids,
 * workbook.xml.rels maps ids to part names, sharedStrings.xml gives the string table; each sheet
 * part is then parsed with expat into xlsx_row arrays.  Every part is read whole (after checking
 * its declared size and ratio) into a capped buf, then parsed; the parser callbacks write into a
 * per-part state struct.  All result memory belongs to the returned sheets.
 */
#include "xlsx_read.h"

#include "csv.h"
#include "enc.h"
#include "liberr.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define PART_MAX ((zip_uint64_t)64 << 20)
#define TOTAL_MAX ((zip_uint64_t)256 << 20)
#define RATIO_MAX 200
#define ROWS_MAX 1048576L
#define COLS_MAX 16384
#define SHEETS_MAX 64

int xlsx_is_zip(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

static char *dupn(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Reads one part into out; a missing part gives -1 with *missing = 1. */
static int read_part(zip_t *z, const char *name, zip_uint64_t *total, buf *out, int *missing, err_t *e)
{
    zip_stat_t st;
    *missing = 0;
    if (zip_stat(z, name, 0, &st) != 0) {
        *missing = 1;
        return err_set(e, tr("thiếu phần '%s' trong tệp xlsx", "the xlsx file lacks the part '%s'"), name);
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > PART_MAX || *total + st.size > TOTAL_MAX ||
        ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > ((zip_uint64_t)1 << 20) &&
         st.size / (st.comp_size ? st.comp_size : 1) > RATIO_MAX))
        return err_set(e, tr("phần '%s' của tệp xlsx quá lớn hoặc nén bất thường (nghi là zip bomb)",
                             "the xlsx part '%s' is too large or oddly compressed (a zip bomb?)"), name);
    *total += st.size;
    zip_file_t *f = zip_fopen(z, name, 0);
    if (f == NULL)
        return err_set(e, tr("không đọc được phần '%s' của tệp xlsx", "cannot read the xlsx part '%s'"), name);
    buf_reset(out);
    int rc = buf_reserve(out, (size_t)st.size + 1);
    char chunk[65536];
    zip_int64_t n;
    while (rc == 0 && (n = zip_fread(f, chunk, sizeof chunk)) > 0)
        if (out->len + (size_t)n > (size_t)st.size || buf_add(out, chunk, (size_t)n) != 0)
            rc = -1;
    if (rc == 0 && n < 0)
        rc = -1;
    zip_fclose(f);
    if (rc != 0)
        return err_set(e, tr("phần '%s' của tệp xlsx bị hỏng", "the xlsx part '%s' is damaged"), name);
    return 0;
}

/* ---- expat plumbing ------------------------------------------------------------------ */

typedef struct px {
    XML_Parser p;
    int refused;              /* a DTD or entity was seen */
    void *state;
} px;

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub,
                               int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    px *x = ud;
    x->refused = 1;
    XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL no_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
                              const XML_Char *base, const XML_Char *sys, const XML_Char *pub,
                              const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    px *x = ud;
    x->refused = 1;
    XML_StopParser(x->p, XML_FALSE);
}

/* Local part of a possibly prefixed name ("x:row" -> "row"). */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (strcmp(local(a[0]), name) == 0)
            return a[1];
    return NULL;
}

static int parse_xml(const buf *text, void *state, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler chars, const char *part,
                     err_t *e)
{
    px x = { XML_ParserCreate(NULL), 0, state };
    if (x.p == NULL)
        return err_set(e, "out of memory");
    XML_SetUserData(x.p, &x);
    XML_SetStartDoctypeDeclHandler(x.p, no_doctype);
    XML_SetEntityDeclHandler(x.p, no_entity);
    XML_SetElementHandler(x.p, start, end);
    XML_SetCharacterDataHandler(x.p, chars);
    int ok = XML_Parse(x.p, buf_str(text), (int)text->len, XML_TRUE) == XML_STATUS_OK && !x.refused;
    if (!ok)
        err_set(e, x.refused ? tr("phần '%s' của tệp xlsx có DTD hoặc entity: bị từ chối",
                                  "the xlsx part '%s' has a DTD or entities: refused")
                             : tr("phần '%s' của tệp xlsx không phải XML hợp lệ (dòng %lu): %s",
                                  "the xlsx part '%s' is not valid XML (line %lu): %s"),
                part, (unsigned long)XML_GetCurrentLineNumber(x.p), liberr_xml((int)XML_GetErrorCode(x.p)));
    XML_ParserFree(x.p);
    return ok ? 0 : -1;
}

#define STATE(ud) (((px *)(ud))->state)

/* ---- workbook.xml and its relationships ------------------------------------------------- */

typedef struct wbs {
    char *name[SHEETS_MAX], *rid[SHEETS_MAX];
    int n, oom;
} wbs;

static void XMLCALL wb_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    wbs *w = STATE(ud);
    if (strcmp(local(el), "sheet") != 0 || w->n >= SHEETS_MAX)
        return;
    const char *name = attr(a, "name"), *rid = attr(a, "id");
    if (name && rid) {
        w->name[w->n] = dupn(name, strlen(name));
        w->rid[w->n] = dupn(rid, strlen(rid));
        w->oom |= !w->name[w->n] || !w->rid[w->n];
        w->n++;
    }
}

typedef struct rels {
    const wbs *w;
    char *target[SHEETS_MAX];
    int oom;
} rels;

static void XMLCALL rel_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    rels *r = STATE(ud);
    if (strcmp(local(el), "Relationship") != 0)
        return;
    const char *id = attr(a, "Id"), *target = attr(a, "Target");
    for (int i = 0; id && target && i < r->w->n; i++)
        if (strcmp(r->w->rid[i], id) == 0 && r->target[i] == NULL) {
            buf b = BUF_INIT;
            /* Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml"). */
            if (target[0] == '/')
                buf_adds(&b, target + 1);
            else
                buf_printf(&b, "xl/%s", target);
            r->target[i] = buf_steal(&b);
            r->oom |= r->target[i] == NULL;
        }
}

static void XMLCALL no_end(void *ud, const XML_Char *el) { (void)ud, (void)el; }
static void XMLCALL no_chars(void *ud, const XML_Char *s, int n) { (void)ud, (void)s, (void)n; }

/* ---- sharedStrings.xml ---------------------------------------------------------------- */

typedef struct sst {
    char **s;
    size_t n, cap;
    int in_si, in_t, oom;
    buf cur;
} sst;

static void XMLCALL sst_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    (void)a;
    sst *t = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "si") == 0) {
        t->in_si = 1;
        buf_reset(&t->cur);
    } else if (strcmp(l, "t") == 0 && t->in_si) {
        t->in_t = 1;
    } else if (strcmp(l, "rPh") == 0) {
        t->in_si = t->in_si ? 2 : 0; /* phonetic runs are not part of the text */
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *el)
{
    sst *t = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "t") == 0) {
        t->in_t = 0;
    } else if (strcmp(l, "rPh") == 0 && t->in_si == 2) {
        t->in_si = 1;
    } else if (strcmp(l, "si") == 0) {
        t->in_si = 0;
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 256;
            char **s = realloc(t->s, cap * sizeof *s);
            if (s == NULL) {
                t->oom = 1;
                return;
            }
            t->s = s;
            t->cap = cap;
        }
        t->s[t->n] = dupn(buf_str(&t->cur), t->cur.len);
        t->oom |= t->s[t->n] == NULL;
        t->n++;
    }
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int n)
{
    sst *t = STATE(ud);
    if (t->in_si == 1 && t->in_t && buf_add(&t->cur, s, (size_t)n) != 0)
        t->oom = 1;
}

/* ---- styles.xml: which cells are set in a legacy Vietnamese font -------------------------- */

#define XF_MAX 65536
#define NUMFMT_MAX 4096

typedef struct sty {
    int nfonts, nxf, in_fonts, in_cellxfs, oom;
    signed char *font_enc;     /* per font: enum enc, or -1 for a Unicode font */
    unsigned char *font_upper; /* per font: TCVN3 "H" capitals font */
    int *xf_font;              /* per cell format: its font index */
    unsigned char *xf_date;    /* per cell format: its number format shows a date */
    int capfonts, capxf;
    unsigned char date_fmt[NUMFMT_MAX / 8]; /* custom number formats (by id) that show a date */
} sty;

/* 1 if an Excel number format code shows a date: d, m or y outside quotes, brackets ([Red],
 * [$-42A]) and escaped characters ("0.0 \"m\"" is not a date). */
static int format_is_date(const char *code)
{
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '[') {
            while (p[1] && p[1] != ']')
                p++;
        } else if (*p == '\\' && p[1]) {
            p++;
        } else if (strchr("dDmMyY", *p)) {
            return 1;
        }
    }
    return 0;
}

/* 1 if number format id shows a date: the built-in date formats, or a custom one that does. */
static int numfmt_is_date(const sty *t, int id)
{
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
        return 1;
    return id >= 0 && id < NUMFMT_MAX && (t->date_fmt[id / 8] >> (id % 8) & 1);
}

static void XMLCALL sty_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    sty *t = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "fonts") == 0) {
        t->in_fonts = 1;
    } else if (strcmp(l, "cellXfs") == 0) {
        t->in_cellxfs = 1;
    } else if (t->in_fonts && strcmp(l, "font") == 0 && t->nfonts < XF_MAX) {
        if (t->nfonts == t->capfonts) {
            int cap = t->capfonts ? t->capfonts * 2 : 32;
            signed char *fe = realloc(t->font_enc, (size_t)cap);
            if (fe)
                t->font_enc = fe;
            unsigned char *fu = fe ? realloc(t->font_upper, (size_t)cap) : NULL;
            if (fu)
                t->font_upper = fu;
            if (!fe || !fu) {
                t->oom = 1;
                return;
            }
            t->capfonts = cap;
        }
        t->font_enc[t->nfonts] = -1;
        t->font_upper[t->nfonts] = 0;
        t->nfonts++;
    } else if (t->in_fonts && strcmp(l, "name") == 0 && t->nfonts > 0) {
        const char *v = attr(a, "val");
        int upper = 0, enc = v ? enc_font_encoding(v, &upper) : -1;
        t->font_enc[t->nfonts - 1] = (signed char)enc;
        t->font_upper[t->nfonts - 1] = (unsigned char)upper;
    } else if (strcmp(l, "numFmt") == 0) {
        const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
        int n = id ? atoi(id) : -1;
        if (n >= 0 && n < NUMFMT_MAX && code && format_is_date(code))
            t->date_fmt[n / 8] |= (unsigned char)(1u << (n % 8));
    } else if (t->in_cellxfs && strcmp(l, "xf") == 0 && t->nxf < XF_MAX) {
        if (t->nxf == t->capxf) {
            int cap = t->capxf ? t->capxf * 2 : 32;
            int *x = realloc(t->xf_font, (size_t)cap * sizeof *x);
            if (x)
                t->xf_font = x;
            unsigned char *xd = x ? realloc(t->xf_date, (size_t)cap) : NULL;
            if (xd)
                t->xf_date = xd;
            if (!x || !xd) {
                t->oom = 1;
                return;
            }
            t->capxf = cap;
        }
        const char *nf = attr(a, "numFmtId");
        t->xf_date[t->nxf] = (unsigned char)numfmt_is_date(t, nf ? atoi(nf) : 0);
        const char *f = attr(a, "fontId");
        t->xf_font[t->nxf++] = f ? atoi(f) : 0;
    }
}

static void XMLCALL sty_end(void *ud, const XML_Char *el)
{
    sty *t = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "fonts") == 0)
        t->in_fonts = 0;
    else if (strcmp(l, "cellXfs") == 0)
        t->in_cellxfs = 0;
}

/* The legacy encoding of cell format xf (or -1), and whether it is a capitals font. */
static int xf_encoding(const sty *t, int xf, int *upper)
{
    *upper = 0;
    if (xf < 0 || xf >= t->nxf)
        return -1;
    int f = t->xf_font[xf];
    if (f < 0 || f >= t->nfonts)
        return -1;
    *upper = t->font_upper[f];
    return t->font_enc[f];
}

/* Text typed in a legacy font reaches the file as the Windows-1252 characters of its bytes;
 * this maps them back to those bytes (returns -1 for a character outside Windows-1252). */
static int cp1252_bytes(const char *s, buf *out)
{
    static const unsigned short hi[32] = { /* 0x80..0x9F */
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178 };
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        if (*p < 0x80) { cp = *p++; }
        else if ((*p & 0xE0) == 0xC0 && p[1]) { cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu); p += 2; }
        else if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) { cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu); p += 3; }
        else return -1;
        int byte = -1;
        if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
            byte = (int)cp;
        else
            for (int k = 0; k < 32; k++)
                if (hi[k] && hi[k] == cp)
                    byte = 0x80 + k;
        if (byte < 0 || buf_addc(out, (char)byte) != 0)
            return -1;
    }
    return 0;
}

int xlsx_legacy_decode(const char *text, int enc, int upper, buf *out)
{
    buf raw = BUF_INIT;
    err_t ce;
    int rc = cp1252_bytes(text, &raw) == 0 && enc_to_utf8(enc, buf_str(&raw), raw.len, upper, out, &ce) == 0 ? 0 : -1;
    buf_free(&raw);
    return rc;
}

/* ---- worksheets ------------------------------------------------------------------------- */

typedef struct shs {
    const sst *strings;
    const sty *styles;
    int enc, upper;         /* the current cell's legacy font encoding, or -1 */
    int date;               /* the current cell's format shows a date */
    long converted;         /* cells converted from a legacy encoding */
    xlsx_sheet *sh;
    size_t caprows;
    long next_row;          /* for rows without r= */
    int col;                /* current cell's column, 0-based, -1 none */
    int next_col;
    char type[8];
    int in_v, in_is_t, in_c;
    buf val;
    const char *err;        /* first problem, static text */
    int oom;
} shs;

/* An Excel date serial (1900 date system, its phantom 29/2/1900 included) as "YYYY-MM-DD";
 * 0, or -1 when the text is not a serial of a date from 1/3/1900 to 31/12/9999. */
static int serial_to_iso(const char *text, char *out, size_t n)
{
    char *end;
    double v = strtod(text, &end);
    if (*end || !(v >= 61 && v < 2958466))
        return -1;
    long z = (long)v - 25569 + 719468;             /* days since 0000-03-01 (serial 25569 = 1/1/1970) */
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, n, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
    return 0;
}

/* "BC12" -> column 54 (0-based), or -1. */
static int col_of(const char *ref)
{
    int c = 0, k = 0;
    for (; ref[k] >= 'A' && ref[k] <= 'Z'; k++) {
        c = c * 26 + (ref[k] - 'A' + 1);
        if (c > COLS_MAX)
            return -1;
    }
    return k ? c - 1 : -1;
}

static xlsx_row *cur_row(shs *s) { return s->sh->nrows ? &s->sh->rows[s->sh->nrows - 1] : NULL; }

static void XMLCALL sh_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    shs *s = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "row") == 0) {
        const char *r = attr(a, "r");
        long rn = r ? strtol(r, NULL, 10) : s->next_row;
        if (rn < s->next_row || rn > ROWS_MAX) {
            s->err = tr("số dòng không hợp lệ hoặc quá 1.048.576 dòng", "bad row number or more than 1,048,576 rows");
            XML_StopParser(((px *)ud)->p, XML_FALSE);
            return;
        }
        if (s->sh->nrows == s->caprows) {
            size_t cap = s->caprows ? s->caprows * 2 : 64;
            xlsx_row *rows = realloc(s->sh->rows, cap * sizeof *rows);
            if (rows == NULL) {
                s->oom = 1;
                XML_StopParser(((px *)ud)->p, XML_FALSE);
                return;
            }
            s->sh->rows = rows;
            s->caprows = cap;
        }
        s->sh->rows[s->sh->nrows++] = (xlsx_row){ rn, 0, NULL };
        s->next_row = rn + 1;
        s->next_col = 0;
    } else if (strcmp(l, "c") == 0 && cur_row(s)) {
        const char *r = attr(a, "r"), *t = attr(a, "t");
        s->col = r ? col_of(r) : s->next_col;
        if (s->col < 0) {
            s->err = tr("tham chiếu ô không hợp lệ", "bad cell reference");
            XML_StopParser(((px *)ud)->p, XML_FALSE);
            return;
        }
        s->next_col = s->col + 1;
        snprintf(s->type, sizeof s->type, "%s", t ? t : "n");
        const char *st = attr(a, "s");
        s->enc = xf_encoding(s->styles, st ? atoi(st) : 0, &s->upper);
        int xf = st ? atoi(st) : 0;
        s->date = xf >= 0 && xf < s->styles->nxf && s->styles->xf_date[xf];
        s->in_c = 1;
        buf_reset(&s->val);
    } else if (s->in_c && strcmp(l, "v") == 0) {
        s->in_v = 1;
    } else if (s->in_c && strcmp(l, "t") == 0) {
        s->in_is_t = 1; /* inline string (<is><t>), rich runs concatenated */
    }
}

static void XMLCALL sh_chars(void *ud, const XML_Char *txt, int n)
{
    shs *s = STATE(ud);
    if ((s->in_v || s->in_is_t) && buf_add(&s->val, txt, (size_t)n) != 0)
        s->oom = 1;
}

static void XMLCALL sh_end(void *ud, const XML_Char *el)
{
    shs *s = STATE(ud);
    const char *l = local(el);
    if (strcmp(l, "v") == 0) {
        s->in_v = 0;
    } else if (strcmp(l, "t") == 0) {
        s->in_is_t = 0;
    } else if (strcmp(l, "c") == 0 && s->in_c) {
        s->in_c = 0;
        xlsx_row *row = cur_row(s);
        const char *text = buf_str(&s->val);
        if (strcmp(s->type, "s") == 0) {
            char *end;
            unsigned long k = strtoul(text, &end, 10);
            if (*text == '\0' || *end || k >= s->strings->n) {
                s->err = tr("chỉ số chuỗi dùng chung không hợp lệ", "bad shared string index");
                XML_StopParser(((px *)ud)->p, XML_FALSE);
                return;
            }
            text = s->strings->s[k];
        }
        if (*text == '\0')
            return;
        char iso[48];
        if (s->date && strcmp(s->type, "n") == 0 && serial_to_iso(text, iso, sizeof iso) == 0)
            text = iso;                 /* a date cell reads as the date shown, 2023-05-01 */
        buf conv = BUF_INIT, raw = BUF_INIT;
        if (s->enc > 0 && strcmp(s->type, "n") != 0 && strcmp(s->type, "b") != 0) {
            err_t ce;
            /* a string cell in a .Vn / VNI font: decode its bytes in that encoding */
            if (cp1252_bytes(text, &raw) == 0 &&
                enc_to_utf8(s->enc, buf_str(&raw), raw.len, s->upper, &conv, &ce) == 0) {
                text = buf_str(&conv);
                s->converted++;
            }
        }
        size_t need = (size_t)s->col + 1;
        if (need > row->n) {
            char **cells = realloc(row->cell, need * sizeof *cells);
            if (cells == NULL) {
                s->oom = 1;
                buf_free(&conv);
                buf_free(&raw);
                XML_StopParser(((px *)ud)->p, XML_FALSE);
                return;
            }
            for (size_t i = row->n; i < need; i++)
                cells[i] = NULL;
            row->cell = cells;
            row->n = need;
        }
        free(row->cell[s->col]);
        row->cell[s->col] = dupn(text, strlen(text));
        s->oom |= row->cell[s->col] == NULL;
        buf_free(&conv);
        buf_free(&raw);
    }
}

static void free_sheet(xlsx_sheet *sh)
{
    for (size_t r = 0; r < sh->nrows; r++) {
        for (size_t c = 0; c < sh->rows[r].n; c++)
            free(sh->rows[r].cell[c]);
        free(sh->rows[r].cell);
    }
    free(sh->rows);
    free(sh->name);
}

void xlsx_free(xlsx_sheet *sheets, int n)
{
    for (int i = 0; sheets && i < n; i++)
        free_sheet(&sheets[i]);
    free(sheets);
}

int xlsx_read(const char *data, size_t len, xlsx_sheet **out, int *nout, err_t *e)
{
    int rc = -1, missing;
    zip_error_t ze;
    zip_t *z = NULL;
    zip_uint64_t total = 0;
    buf text = BUF_INIT;
    wbs w = { 0 };
    rels rl = { &w, { 0 }, 0 };
    sst strings = { 0 };
    sty styles = { 0 };
    xlsx_sheet *sheets = NULL;
    *out = NULL;
    *nout = 0;
    buf_init(&strings.cur, 1 << 20);
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (src == NULL || (z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze)) == NULL) {
        if (src)
            zip_source_free(src);
        err_set(e, tr("không phải tệp xlsx hợp lệ (zip hỏng): %s", "not a valid xlsx file (broken zip): %s"),
                liberr_zip(&ze));
        goto cleanup;
    }
    if (zip_get_num_entries(z, 0) > 10000) {
        err_set(e, "%s", tr("tệp xlsx có quá nhiều phần", "the xlsx file has too many parts"));
        goto cleanup;
    }
    if (read_part(z, "xl/workbook.xml", &total, &text, &missing, e) != 0 ||
        parse_xml(&text, &w, wb_start, no_end, no_chars, "xl/workbook.xml", e) != 0)
        goto cleanup;
    if (w.oom)
        goto oom;
    if (read_part(z, "xl/_rels/workbook.xml.rels", &total, &text, &missing, e) != 0 ||
        parse_xml(&text, &rl, rel_start, no_end, no_chars, "xl/_rels/workbook.xml.rels", e) != 0)
        goto cleanup;
    if (rl.oom)
        goto oom;
    if (read_part(z, "xl/sharedStrings.xml", &total, &text, &missing, e) == 0) {
        if (parse_xml(&text, &strings, sst_start, sst_end, sst_chars, "xl/sharedStrings.xml", e) != 0)
            goto cleanup;
        if (strings.oom)
            goto oom;
    } else if (!missing) {
        goto cleanup;
    }
    if (read_part(z, "xl/styles.xml", &total, &text, &missing, e) == 0) {
        if (parse_xml(&text, &styles, sty_start, sty_end, no_chars, "xl/styles.xml", e) != 0)
            goto cleanup;
        if (styles.oom)
            goto oom;
    } else if (!missing) {
        goto cleanup;
    }
    sheets = calloc((size_t)w.n + 1, sizeof *sheets);
    if (sheets == NULL)
        goto oom;
    for (int i = 0; i < w.n; i++) {
        if (rl.target[i] == NULL)
            continue; /* a chart sheet or a dangling id */
        xlsx_sheet *sh = &sheets[*nout];
        sh->name = dupn(w.name[i], strlen(w.name[i]));
        (*nout)++;
        if (sh->name == NULL)
            goto oom;
        if (read_part(z, rl.target[i], &total, &text, &missing, e) != 0)
            goto cleanup;
        shs st = { .strings = &strings, .styles = &styles, .sh = sh, .next_row = 1, .col = -1 };
        buf_init(&st.val, 1 << 20);
        int prc = parse_xml(&text, &st, sh_start, sh_end, sh_chars, rl.target[i], e);
        buf_free(&st.val);
        sh->converted = st.converted;
        if (st.oom)
            goto oom;
        if (st.err) {
            err_set(e, tr("trang '%s': %s", "sheet '%s': %s"), sh->name, st.err);
            goto cleanup;
        }
        if (prc != 0)
            goto cleanup;
        /* empty cells inside a row are "" from here on */
        for (size_t r = 0; r < sh->nrows; r++)
            for (size_t c = 0; c < sh->rows[r].n; c++)
                if (sh->rows[r].cell[c] == NULL && (sh->rows[r].cell[c] = dupn("", 0)) == NULL)
                    goto oom;
    }
    *out = sheets;
    sheets = NULL;
    rc = 0;
    goto cleanup;
oom:
    err_set(e, "out of memory");
cleanup:
    if (rc != 0) {
        xlsx_free(sheets, *nout);
        *nout = 0;
    }
    for (int i = 0; i < w.n; i++) {
        free(w.name[i]);
        free(w.rid[i]);
        free(rl.target[i]);
    }
    for (size_t i = 0; i < strings.n; i++)
        free(strings.s[i]);
    free(strings.s);
    buf_free(&strings.cur);
    free(styles.font_enc);
    free(styles.font_upper);
    free(styles.xf_font);
    free(styles.xf_date);
    buf_free(&text);
    if (z)
        zip_discard(z);
    return rc;
}

int xlsx_sheet_csv(const xlsx_sheet *sh, int (*is_header)(const char *const *cells, size_t n), buf *out)
{
    size_t h = 0;
    for (; h < sh->nrows && h < 50; h++) {
        size_t n = sh->rows[h].n;
        while (n && sh->rows[h].cell[n - 1][0] == '\0')
            n--;
        if (n && is_header((const char *const *)sh->rows[h].cell, n))
            break;
    }
    if (h == sh->nrows || h == 50)
        return 0;
    long line = 1;
    for (size_t r = h; r < sh->nrows; r++) {
        const xlsx_row *row = &sh->rows[r];
        for (; line < row->r; line++) /* rows before, and missing rows: blank lines */
            if (buf_addc(out, '\n') != 0)
                return -1;
        size_t n = row->n;
        if (r == h)
            while (n && row->cell[n - 1][0] == '\0')
                n--;
        for (size_t c = 0; c < n; c++) {
            if (c)
                buf_addc(out, ',');
            csv_write_field(out, row->cell[c]);
        }
        if (buf_addc(out, '\n') != 0)
            return -1;
        line++;
    }
    return 1;
}
