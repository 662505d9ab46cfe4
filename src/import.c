/* import.c - CSV import of units, indicators, terms, targets and values (see import.h).
 *
 * Data flow: every source is parsed once to find its kind from the header
 * row; then the sources are processed kind by kind (units, indicators, terms,
 * targets, values) so references always point backwards.  Each row is checked
 * field by field; a valid row is compared with the model, and when it adds or
 * changes something it is written to the store (inside the one transaction
 * begun here) and to the model.  Once a row is bad, writing stops but checking
 * goes on, so the user sees every error at once (up to max_errors).  Text
 * fields are normalised to NFC.  Each model cell remembers the import run
 * and row that last set it, which rejects a target or value given twice; on a
 * first load (the model held no target, or no value) cells are appended without
 * a lookup and indexed once the kind is read, which finds the repeats.  Targets
 * and values are queued (32 bytes each) and written in key order at the end; on a store that
 * streams new figures (PostgreSQL's COPY), slices of new ones go while the rest is still checked
 * (stream_changes), rolled back with the rest if a later row fails.
 * Successions come last: each row is checked against the units, then the whole set
 * (shares of one unit on one date sum to 1, no cycle) before any is written; then, in the same
 * transaction, the tasks of the units that passed on are handed to their successors.
 */
#include "import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "fixed.h"
#include "mem.h"
#include "period.h"
#include "task.h"
#include "task_handover.h"
#include "vn.h"

/* Column specs per kind: names in canonical order; required ones flagged. */
typedef struct colspec {
    const char *name;
    int required;
} colspec;

#define MAXCOLS 12

static const colspec kind_cols[IK_COUNT][MAXCOLS] = {
    [IK_UNITS] = { { "code", 1 }, { "name", 1 }, { "parent", 1 }, { "type", 1 },
                   { "valid_from", 0 }, { "valid_to", 0 } },
    [IK_INDICATORS] = { { "code", 1 }, { "name", 1 }, { "group", 0 }, { "set", 0 }, { "parent", 0 },
                        { "unit", 0 }, { "direction", 0 }, { "unit_aggregation", 0 },
                        { "period_aggregation", 0 }, { "formula", 0 }, { "decimals", 0 } },
    [IK_TERMS] = { { "period", 1 }, { "name", 1 } },
    [IK_TARGETS] = { { "indicator", 1 }, { "unit", 1 }, { "period", 1 }, { "target", 1 } },
    [IK_VALUES] = { { "indicator", 1 }, { "unit", 1 }, { "period", 1 }, { "value", 1 },
                    { "comment", 0 } },
    /* must match xlsx_template_columns in xlsx_out.c */
    [IK_TEMPLATE] = { { "indicator", 1 }, { "unit", 1 }, { "period", 1 }, { "no", 1 }, { "name", 1 },
                      { "measure", 1 }, { "target", 1 }, { "previous", 1 }, { "value", 1 },
                      { "comment", 1 } },
    [IK_SUCCESSIONS] = { { "from", 1 }, { "to", 1 }, { "date", 1 }, { "share", 0 } },
};

static const char *const kind_names[IK_COUNT] = { "?", "units", "indicators", "terms", "targets",
                                                  "values", "template", "successions" };

const char *import_kind_name(int kind)
{
    return kind > 0 && kind < IK_COUNT ? kind_names[kind] : "?";
}

static int col_index(int kind, const char *name)
{
    for (int i = 0; i < MAXCOLS && kind_cols[kind][i].name; i++)
        if (strcmp(kind_cols[kind][i].name, name) == 0)
            return i;
    return -1;
}

int import_is_header(const char *const *cells, size_t n) { return import_kind_of(cells, n) != IK_UNKNOWN; }

int import_kind_of(const char *const *names, size_t n)
{
    for (int k = 1; k < IK_COUNT; k++) {
        unsigned seen = 0;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) {
            int c = col_index(k, names[i]);
            if (c < 0 || (seen & (1u << c)))
                ok = 0;
            else
                seen |= 1u << c;
        }
        for (int c = 0; ok && c < MAXCOLS && kind_cols[k][c].name; c++)
            if (kind_cols[k][c].required && !(seen & (1u << c)))
                ok = 0;
        if (ok)
            return k;
    }
    return IK_UNKNOWN;
}

/* ---- per-run state ---------------------------------------------------------------- */

/* A target or value to write, kept until every row has been checked so the writes can go to
 * the store in key order (appending to its B-trees instead of inserting at random).  The text
 * (a value's comment) and the row's place stay in the model's cell (index `cell` of its map):
 * 32 bytes a change, no allocation per row. */
typedef struct change {
    int ind, unit;
    double v;
    uint32_t cell;               /* index into m->targets.cells or m->values.cells */
    int src;                     /* the source it came from */
    period_t p;
    uint8_t target : 1;          /* 1: a target, 0: a value */
    uint8_t has_old : 1;         /* the cell was stored before: an update, not an insert */
    uint8_t has_comment : 1;     /* the cell holds a comment (read from it when written) */
} change;

/* A checked succession row, kept until every row is read (shares and cycles need them all). */
typedef struct succ_row {
    int from, to, date, src;
    double share;
    long row;
    int share_col;               /* column of `share` (or of `date` when absent), for messages */
    int share_given;             /* the file has a `share` column */
} succ_row;

typedef struct run {
    store *s;
    model *m;
    const import_opts *o;
    import_stats *st;
    buf *errors;
    int max_errors;
    int failed;          /* a row was bad: stop writing */
    err_t e;             /* scratch for store errors */
    buf scratch, nfc;    /* reused text buffers */
    change *changes;
    size_t nchanges, capchanges;
    size_t nsent;                /* changes [0, nsent) written already (streamed) */
    int stream;                  /* changes may be written while checking (stream_changes) */
    size_t stream_slice;         /* changes written at a time while checking */
    /* a first load of values [0] or targets [1] (the map held none): cells appended without a
     * lookup, indexed (and duplicates found) once the kind is read, from cell append_from[] on */
    int append[2];
    size_t append_from[2];
    /* the last codes looked up: files list many rows of one unit or indicator in a row */
    char last_ind[72], last_unit[72];
    int last_ind_i, last_unit_i;
    succ_row *succs;             /* successions read, applied once all are checked */
    size_t nsuccs, capsuccs;
    /* where each unit/indicator code was defined in this run, for error locations */
    const import_source *src;
    int cur_src;
    long cur_row;
    int stopped;                 /* a file's check stopped early (too many errors): more may follow */
} run;

static void row_error(run *r, long row, int col, const char *colname, const char *text,
                      const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void row_error(run *r, long row, int col, const char *colname, const char *text,
                      const char *fmt, ...)
{
    r->failed = 1;
    r->st->errors++;
    if (r->st->errors > r->max_errors)
        return;
    buf *b = r->errors;
    buf_printf(b, "%s", r->src[r->cur_src].name);
    if (row > 0)
        buf_printf(b, tr(", dòng %ld", ", row %ld"), row);
    if (col > 0)
        buf_printf(b, tr(", cột %d (%s)", ", column %d (%s)"), col, colname);
    if (text)
        buf_printf(b, ": '%.80s'%s", text, strlen(text) > 80 ? "..." : "");
    buf_adds(b, text ? " — " : ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(b, fmt, ap);
    va_end(ap);
    buf_addc(b, '\n');
}

static void store_failed(run *r, long row)
{
    r->st->internal = 1;
    row_error(r, row, 0, NULL, NULL, "%s", r->e.msg);
}

/* NFC copy of a field into r->nfc; NULL (with a row error) on invalid UTF-8. */
static const char *text_field(run *r, const csv_record *rec, int col, int fi, const char *name)
{
    const char *f = rec->field[fi];
    size_t n = rec->len[fi];
    int ascii = 1;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)f[i] < 0x80;
    if (ascii)
        return f;
    buf_reset(&r->nfc);
    if (vn_nfc(f, n, &r->nfc) != 0) {
        row_error(r, rec->row, col, name, NULL,
                  "%s", tr("văn bản không phải UTF-8 hợp lệ (hãy lưu tệp dạng CSV UTF-8)",
                           "text is not valid UTF-8 (save the file as CSV UTF-8)"));
        return NULL;
    }
    return buf_str(&r->nfc);
}

static char *dup_text(run *r, const csv_record *rec, int col, int fi, const char *name)
{
    const char *t = text_field(r, rec, col, fi, name);
    if (t == NULL)
        return NULL;
    size_t n = strlen(t);
    char *p = malloc(n + 1);
    if (p)
        memcpy(p, t, n + 1);
    return p;
}

static int code_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return 0;
    return 1;
}

/* Indicator codes as offices write them ("KT-01", "1.2", "CT1a", "thu_ngan_sach"): a letter, digit
 * or '_' first, then letters, digits, '_', '.', '-'; formulas quote the ones that are not plain
 * names ("{KT-01}", formula.h). */
static int ind_code_ok(const char *s)
{
    if (!code_ok(s))
        return 0;
    return (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_';
}

/* Queues a write of cell c (already holding the new figure and comment); returns 0 or -1 on OOM. */
static int queue_change(run *r, int kind, const cell_t *c, int has_old)
{
    if (r->nchanges == r->capchanges) {
        size_t cap = r->capchanges ? r->capchanges * 2 : 1024;
        change *g = realloc(r->changes, cap * sizeof *g);
        if (g == NULL)
            return -1;
        r->changes = g;
        r->capchanges = cap;
    }
    const cellmap *cm = kind == IK_TARGETS ? &r->m->targets : &r->m->values;
    r->changes[r->nchanges++] = (change){ c->ind, c->unit, c->v, (uint32_t)(c - cm->cells), c->src, c->per,
                                          kind == IK_TARGETS, has_old != 0, c->comment != NULL };
    return 0;
}

/* Orders periods as their codes sort as text (the store's key order):
 * "2022" < "2022-05" < "2022-2025" < "2022M9" < "2022Q1" < "2022S1". */
static uint32_t period_ord(period_t p)
{
    uint32_t suffix = p.kind == P_MONTH ? 100u + p.n : p.kind == P_RANGE ? 200u + (p.y2 - 1900u)
                    : p.kind == P_M9 ? 550u : p.kind == P_QUARTER ? 600u + p.n : p.kind == P_HALF ? 700u + p.n : 0;
    return p.y * 1000u + suffix;
}

static int cmp_change(const void *a, const void *b)
{
    const change *x = a, *y = b;
    if (x->target != y->target)
        return x->target ? -1 : 1;                 /* targets first */
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    uint32_t px = period_ord(x->p), py = period_ord(y->p);
    return px < py ? -1 : px > py;
}

/* Sorts the n changes at a into key order (targets first, then by indicator, unit and period) in
 * place: one counting pass over the (kind, indicator, unit) buckets of the indicators they span,
 * each change then swapped into its bucket (no second array of them), then each bucket (a few
 * periods, mostly in order already) by insertion; qsort when the buckets would outnumber the
 * changes by far.  Returns 0 or -1 (OOM). */
static int sort_changes(change *a, size_t n, size_t nu)
{
    if (n < 2)
        return 0;
    int lo = a[0].ind, hi = lo;
    for (size_t i = 1; i < n; i++) {
        lo = a[i].ind < lo ? a[i].ind : lo;
        hi = a[i].ind > hi ? a[i].ind : hi;
    }
    size_t ni = (size_t)(hi - lo) + 1;
    size_t nb = 2 * ni * nu;
    if (nu == 0 || nb / 2 / ni != nu || nb > 4 * n + 65536) {
        qsort(a, n, sizeof *a, cmp_change);
        return 0;
    }
    size_t *start = calloc(nb + 1, sizeof *start), *next = malloc((nb + 1) * sizeof *next);
    if (start == NULL || next == NULL) {
        free(start);
        free(next);
        return -1;
    }
#define BUCKET(c) (((size_t)!(c)->target * ni + (size_t)((c)->ind - lo)) * nu + (size_t)(c)->unit)
    for (size_t i = 0; i < n; i++)
        start[BUCKET(&a[i]) + 1]++;
    for (size_t b = 0; b < nb; b++)
        start[b + 1] += start[b];
    memcpy(next, start, (nb + 1) * sizeof *next);
    for (size_t b = 0; b < nb; b++)            /* a[start[b] .. next[b]) are in place */
        while (next[b] < start[b + 1]) {
            change x = a[next[b]];
            size_t t = BUCKET(&x);
            while (t != b) {                  /* x to its bucket; the change it displaces next */
                change y = a[next[t]];
                a[next[t]++] = x;
                x = y;
                t = BUCKET(&x);
            }
            a[next[b]++] = x;
        }
#undef BUCKET
    free(start);
    free(next);
    for (size_t i = 1; i < n; i++) {               /* by period inside each bucket */
        if (cmp_change(&a[i - 1], &a[i]) <= 0)
            continue;
        change x = a[i];
        size_t j = i;
        for (; j > 0 && cmp_change(&a[j - 1], &x) > 0; j--)
            a[j] = a[j - 1];
        a[j] = x;
    }
    return 0;
}

/* Writes the queued changes [from, to) in key order (model index order is database id order). */
static int write_slice(run *r, size_t from, size_t to)
{
    if (sort_changes(r->changes + from, to - from, r->m->nunits) != 0)
        return err_set(&r->e, "out of memory");
    /* The stores read only whether there was an old figure (the history trigger reads the old row
     * itself), so the old figure is not kept: a stand-in says "an update". */
    static const double old_v = 0;
    static const cell_t old_cell = { 0 };
    int show = r->o->progress && from == r->nsent && to == r->nchanges;   /* the last writes */
    for (size_t i = from; i < to; i++) {
        const change *c = &r->changes[i];
        const char *src = r->src[c->src].name;
        int rc;
        if (c->target) {
            rc = store_put_target(r->s, r->m, c->ind, c->unit, c->p, c->v, c->has_old ? &old_v : NULL,
                                  r->o->who, src, &r->e);
        } else {
            const char *comment = c->has_comment ? r->m->values.cells[c->cell].comment : NULL;
            rc = store_put_value(r->s, r->m, c->ind, c->unit, c->p, c->v, comment,
                                 c->has_old ? &old_cell : NULL, r->o->who, src, &r->e);
        }
        if (rc != 0) {
            r->cur_src = c->src;
            return -1;
        }
        if (show && (i + 1) % 100000 == 0) {
            fprintf(stderr, "\r  %s: %zu/%zu", tr("ghi", "writing"), i + 1, r->nchanges);
            fflush(stderr);
        }
    }
    if (show && to - from >= 100000)
        fputc('\n', stderr);
    return 0;
}

/* Writes the changes not streamed yet. */
static int write_changes(run *r)
{
    if (write_slice(r, r->nsent, r->nchanges) != 0) {
        store_failed(r, 0);
        return -1;
    }
    r->nsent = r->nchanges;
    return 0;
}

/* Streaming: on a store that sends new figures as they come (store_streams_inserts: PostgreSQL's
 * COPY), the queued changes go in slices while the rest of the file is still checked, so the
 * server inserts while this process checks.  Only while no row has failed, and only slices of new
 * figures without comments (no statement to end the COPY midway); a slice ends where the indicator
 * changes, so a file in indicator order is sent in key order.  A file in another order (by unit,
 * as offices report) reaches the table as one sorted run per slice, which the key's sort at the
 * end pays for (at M: 44 runs cost the server 2-5 s more CPU than one): so a slice is a quarter
 * of the file's lines, and at least STREAM_SLICE changes.  A row that fails later rolls back what
 * was sent with the rest (one transaction). */
enum { STREAM_SLICE = 1 << 18 };

/* Before queuing a change of (kind, ind): sends the waiting slice when it is due. */
static void stream_changes(run *r, int kind, int ind)
{
    size_t n = r->nchanges;
    if (!r->stream || r->failed || n - r->nsent < r->stream_slice)
        return;
    const change *last = &r->changes[n - 1];
    if (last->ind == ind && last->target == (kind == IK_TARGETS))
        return;
    for (size_t i = r->nsent; i < n; i++)
        if (r->changes[i].has_old || r->changes[i].has_comment) {
            r->stream = 0;                 /* updates or comments: all of them at the end */
            return;
        }
    if (write_slice(r, r->nsent, n) != 0) {
        store_failed(r, r->cur_row);
        return;
    }
    r->nsent = n;
}

/* ---- rows per kind ------------------------------------------------------------------- */

/* map[c] = field index of canonical column c in this file, or -1 */
typedef struct cols {
    int map[MAXCOLS];
} cols;

static const char *field(const csv_record *rec, const cols *c, int col)
{
    int fi = c->map[col];
    return fi >= 0 && (size_t)fi < rec->nfields ? rec->field[fi] : "";
}

static int has_field(const csv_record *rec, const cols *c, int col)
{
    int fi = c->map[col];
    return fi >= 0 && (size_t)fi < rec->nfields;
}

#define COLNO(c, col) ((c)->map[col] + 1)

static int parse_date_field(run *r, const csv_record *rec, const cols *c, int col, const char *name,
                            int *out)
{
    const char *t = field(rec, c, col);
    *out = 0;
    if (!*t)
        return 0;
    if (vn_parse_iso_date(t, strlen(t), out) != 0) {
        row_error(r, rec->row, COLNO(c, col), name, t, "%s",
                  tr("cần ngày dạng YYYY-MM-DD, ví dụ 2025-06-30", "expected a date YYYY-MM-DD, e.g. 2025-06-30"));
        return -1;
    }
    return 0;
}

static void do_unit(run *r, const csv_record *rec, const cols *c)
{
    model *m = r->m;
    const char *code = field(rec, c, 0);
    if (!code_ok(code)) {
        row_error(r, rec->row, COLNO(c, 0), "code", code, "%s",
                  tr("cần mã đơn vị gồm chữ ASCII, số, '-', '_' hoặc '.', tối đa 64 ký tự (ví dụ cau-giay)",
                     "expected a unit code of ASCII letters, digits, '-', '_' or '.', at most 64 characters (e.g. cau-giay)"));
        return;
    }
    const char *parent = field(rec, c, 2);
    if (*parent && !code_ok(parent)) {
        row_error(r, rec->row, COLNO(c, 2), "parent", parent, "%s",
                  tr("cần mã đơn vị cấp trên hoặc để trống", "expected the parent unit's code or nothing"));
        return;
    }
    if (strcmp(parent, code) == 0) {
        row_error(r, rec->row, COLNO(c, 2), "parent", parent, "%s",
                  tr("đơn vị không thể là cấp trên của chính nó", "a unit cannot be its own parent"));
        return;
    }
    int vf, vt;
    if (parse_date_field(r, rec, c, 4, "valid_from", &vf) || parse_date_field(r, rec, c, 5, "valid_to", &vt))
        return;
    if (vf && vt && vf > vt) {
        row_error(r, rec->row, COLNO(c, 5), "valid_to", field(rec, c, 5), "%s",
                  tr("ngày kết thúc phải sau ngày bắt đầu (valid_from)", "the end date must not be before valid_from"));
        return;
    }
    char *name = dup_text(r, rec, COLNO(c, 1), c->map[1], "name");
    char *type = name ? dup_text(r, rec, COLNO(c, 3), c->map[3], "type") : NULL;
    if (name && !*name)
        row_error(r, rec->row, COLNO(c, 1), "name", "", "%s", tr("cần tên đơn vị", "expected the unit's name"));
    if (!name || !type || !*name)
        goto cleanup;
    int at = model_unit_find(m, code);
    const unit_t *old = at >= 0 ? &m->units[at] : NULL;
    if (old && c->map[4] < 0)        /* a file without the column keeps the unit's dates (an empty */
        vf = old->valid_from;        /* cell in a file with it clears one) */
    if (old && c->map[5] < 0)
        vt = old->valid_to;
    if (vf && vt && vf > vt) {
        row_error(r, rec->row, COLNO(c, c->map[5] < 0 ? 4 : 5), c->map[5] < 0 ? "valid_from" : "valid_to",
                  field(rec, c, c->map[5] < 0 ? 4 : 5), "%s",
                  tr("đơn vị sẽ kết thúc trước khi bắt đầu (valid_from sau valid_to)",
                     "the unit would end before it begins (valid_from after valid_to)"));
        goto cleanup;
    }
    if (old && strcmp(old->name, name) == 0 && strcmp(old->type, type) == 0 &&
        strcmp(old->parent_code, parent) == 0 && old->valid_from == vf && old->valid_to == vt)
        goto cleanup;
    if (r->o->vet_unit && (old == NULL || strcmp(old->parent_code, parent) != 0 || old->valid_from != vf ||
                           old->valid_to != vt)) {      /* the tree a figure adds up changes */
        buf_reset(&r->scratch);
        if (r->o->vet_unit(r->o->vet_ctx, m, at, *parent ? model_unit_find(m, parent) : -1, vf, vt, &r->scratch) != 0) {
            row_error(r, rec->row, 0, NULL, NULL, "%s", buf_str(&r->scratch));
            goto cleanup;
        }
    }
    at >= 0 ? r->st->changed[IK_UNITS]++ : r->st->added[IK_UNITS]++;
    at = model_put_unit(m, code, name, parent, type, vf, vt);
    if (at < 0) {
        row_error(r, rec->row, 0, NULL, NULL, "out of memory");
        goto cleanup;
    }
    if (!r->failed && store_put_unit(r->s, m, at, &r->e) != 0)
        store_failed(r, rec->row);
cleanup:
    free(name);
    free(type);
}

static int int_field(const char *t, int lo, int hi, int *out)
{
    if (!*t || strlen(t) > 3)
        return -1;
    int v = 0;
    for (; *t; t++) {
        if (*t < '0' || *t > '9')
            return -1;
        v = v * 10 + (*t - '0');
    }
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int enum_field(run *r, const csv_record *rec, const cols *c, int col, const char *name,
                      int (*parse)(const char *), int dflt, const char *allowed, int *out)
{
    const char *t = field(rec, c, col);
    if (!*t) {
        *out = dflt;
        return 0;
    }
    *out = parse(t);
    if (*out < 0) {
        row_error(r, rec->row, COLNO(c, col), name, t, tr("cần một trong: %s", "expected one of: %s"),
                  allowed);
        return -1;
    }
    return 0;
}

static int uagg_parse(const char *s)
{
    int a = model_agg_parse(s);
    return a == AGG_LAST ? -1 : a;
}

static int pagg_parse(const char *s)
{
    int a = model_agg_parse(s);
    return a == AGG_NONE ? -1 : a;
}

static void do_indicator(run *r, const csv_record *rec, const cols *c, int ord)
{
    model *m = r->m;
    ind_t d = { 0 };
    char *txt[5] = { 0 }; /* name, group, set, unit of measure, formula */
    static const int txtcol[5] = { 1, 2, 3, 5, 9 };
    static const char *const txtname[5] = { "name", "group", "set", "unit", "formula" };
    const char *code = field(rec, c, 0);
    if (!ind_code_ok(code)) {
        row_error(r, rec->row, COLNO(c, 0), "code", code, "%s",
                  tr("cần mã chỉ tiêu bắt đầu bằng chữ, số hoặc '_', gồm chữ ASCII, số, '_', '.' hoặc '-' (ví dụ KT-01, 1.2, CT1a)",
                     "expected an indicator code starting with a letter, digit or '_', of ASCII letters, digits, '_', '.' or '-' (e.g. KT-01, 1.2, CT1a)"));
        return;
    }
    const char *parent = field(rec, c, 4);
    if (*parent && (!ind_code_ok(parent) || strcmp(parent, code) == 0)) {
        row_error(r, rec->row, COLNO(c, 4), "parent", parent, "%s",
                  tr("cần mã của chỉ tiêu chính (khác mã của chính nó) hoặc để trống",
                     "expected the code of the main indicator (not itself) or nothing"));
        return;
    }
    if (enum_field(r, rec, c, 6, "direction", model_dir_parse, DIR_UP, "up, down, equal, done", &d.dir) ||
        enum_field(r, rec, c, 7, "unit_aggregation", uagg_parse, AGG_SUM, "sum, avg, min, max, none", &d.uagg) ||
        enum_field(r, rec, c, 8, "period_aggregation", pagg_parse, AGG_SUM, "sum, last, avg, min, max", &d.pagg))
        return;
    d.decimals = 2;
    const char *dec = field(rec, c, 10);
    if (*dec && int_field(dec, 0, 6, &d.decimals) != 0) {
        row_error(r, rec->row, COLNO(c, 10), "decimals", dec, "%s",
                  tr("cần số chữ số thập phân từ 0 đến 6", "expected a number of decimals from 0 to 6"));
        return;
    }
    for (int k = 0; k < 5; k++) {
        if (!has_field(rec, c, txtcol[k]))
            txt[k] = calloc(1, 1);
        else
            txt[k] = dup_text(r, rec, COLNO(c, txtcol[k]), c->map[txtcol[k]], txtname[k]);
        if (txt[k] == NULL)
            goto cleanup;
    }
    if (!*txt[0]) {
        row_error(r, rec->row, COLNO(c, 1), "name", "", "%s", tr("cần tên chỉ tiêu", "expected the indicator's name"));
        goto cleanup;
    }
    if (*txt[4]) {
        formula *f = NULL;
        err_t fe;
        if (formula_parse(txt[4], &f, &fe) != 0) {
            row_error(r, rec->row, COLNO(c, 9), "formula", txt[4], "%s", fe.msg);
            goto cleanup;
        }
        formula_free(f);
    }
    d.code = (char *)code;
    d.name = txt[0];
    d.group = txt[1];
    d.set = *txt[2] ? txt[2] : (char *)"chỉ tiêu";
    d.measure = txt[3];
    d.formula_src = txt[4];
    d.parent_code = (char *)parent;
    int at = model_ind_find(m, code);
    if (at >= 0) {
        const ind_t *o = &m->inds[at];
        if (!strcmp(o->name, d.name) && !strcmp(o->group, d.group) && !strcmp(o->set, d.set) &&
            !strcmp(o->measure, d.measure) && !strcmp(o->formula_src, d.formula_src) &&
            !strcmp(o->parent_code, d.parent_code) && o->dir == d.dir && o->uagg == d.uagg &&
            o->pagg == d.pagg && o->decimals == d.decimals)
            goto cleanup;
        if (r->o->vet && (strcmp(o->measure, d.measure) || strcmp(o->formula_src, d.formula_src) ||
                          o->uagg != d.uagg || o->pagg != d.pagg || o->decimals != d.decimals || o->dir != d.dir)) {
            buf_reset(&r->scratch);          /* what its figures are, or how they are judged, changes */
            if (r->o->vet(r->o->vet_ctx, m, IK_INDICATORS, at, -1, (period_t){ 0 }, &r->scratch) != 0) {
                row_error(r, rec->row, 0, NULL, NULL, "%s", buf_str(&r->scratch));
                goto cleanup;
            }
        }
        r->st->changed[IK_INDICATORS]++;
    } else {
        r->st->added[IK_INDICATORS]++;
    }
    at = model_put_ind(m, &d);
    if (at < 0)
        row_error(r, rec->row, 0, NULL, NULL, "out of memory");
    else if (!r->failed && store_put_ind(r->s, m, at, ord, &r->e) != 0)
        store_failed(r, rec->row);
cleanup:
    for (int k = 0; k < 5; k++)
        free(txt[k]);
}

static void do_term(run *r, const csv_record *rec, const cols *c)
{
    const char *code = field(rec, c, 0);
    period_t p;
    if (period_parse(code, strlen(code), &p) != 0 || p.kind != P_RANGE) {
        row_error(r, rec->row, COLNO(c, 0), "period", code, "%s",
                  tr("cần một khoảng năm dạng 2020-2025", "expected a range of years like 2020-2025"));
        return;
    }
    const char *name = text_field(r, rec, COLNO(c, 1), c->map[1], "name");
    if (name == NULL)
        return;
    const term_t *old = model_term(r->m, p);
    if (old && strcmp(old->name, name) == 0)
        return;
    old ? r->st->changed[IK_TERMS]++ : r->st->added[IK_TERMS]++;
    if (model_put_term(r->m, p, name) != 0) {
        row_error(r, rec->row, 0, NULL, NULL, "out of memory");
        return;
    }
    if (!r->failed && store_put_term(r->s, model_term(r->m, p), &r->e) != 0)
        store_failed(r, rec->row);
}

/* Targets and values share the first four columns. */
static void do_cell(run *r, const csv_record *rec, const cols *c, int kind, enum vn_dec hint)
{
    model *m = r->m;
    const char *ic = field(rec, c, 0), *uc = field(rec, c, 1), *pc = field(rec, c, 2);
    const char *num = field(rec, c, 3);
    const char *numname = kind == IK_TARGETS ? "target" : "value";
    int ind, unit;
    if (strcmp(ic, r->last_ind) == 0) {
        ind = r->last_ind_i;
    } else if ((ind = model_ind_find(m, ic)) >= 0 && strlen(ic) < sizeof r->last_ind) {
        memcpy(r->last_ind, ic, strlen(ic) + 1);
        r->last_ind_i = ind;
    }
    if (strcmp(uc, r->last_unit) == 0) {
        unit = r->last_unit_i;
    } else if ((unit = model_unit_find(m, uc)) >= 0 && strlen(uc) < sizeof r->last_unit) {
        memcpy(r->last_unit, uc, strlen(uc) + 1);
        r->last_unit_i = unit;
    }
    period_t p;
    double v;
    int bad = 0;
    if (ind < 0) {
        row_error(r, rec->row, COLNO(c, 0), "indicator", ic, "%s",
                  tr("không có chỉ tiêu mã này (khai báo trong tệp indicators trước)",
                     "no indicator has this code (define it in an indicators file first)"));
        bad = 1;
    }
    if (unit < 0) {
        row_error(r, rec->row, COLNO(c, 1), "unit", uc, "%s",
                  tr("không có đơn vị mã này (khai báo trong tệp units trước)",
                     "no unit has this code (define it in a units file first)"));
        bad = 1;
    }
    int date = 0;
    if (vn_parse_iso_date(pc, strlen(pc), &date) != 0)
        date = 0;
    if (date && date % 100 == 1) {
        /* a spreadsheet turned the month "2023-05" into the date 1/5/2023: read it as that month */
        char month[16];
        snprintf(month, sizeof month, "%04d-%02d", date / 10000 % 10000, date / 100 % 100);
        if (period_parse(month, strlen(month), &p) != 0)
            date = -1;
    } else if (date) {
        buf msg = BUF_INIT;
        buf_adds(&msg, tr("ô kỳ chứa ngày ", "the period cell holds the date "));
        vn_format_date(date, lang_get(), &msg);
        buf_adds(&msg, tr(", không phải mã kỳ: gõ mã kỳ dạng văn bản (2022, 2022S1, 2022Q2, 2022-05 hoặc 2020-2025; "
                          "trong Excel định dạng ô là Text)",
                          ", not a period code: type the code as text (2022, 2022S1, 2022Q2, 2022-05 or 2020-2025; "
                          "in Excel, format the cell as Text)"));
        row_error(r, rec->row, COLNO(c, 2), "period", pc, "%s", buf_str(&msg));
        buf_free(&msg);
        bad = 1;
        date = 1;                       /* reported */
    }
    if (date <= 0 && (date < 0 || period_parse(pc, strlen(pc), &p) != 0)) {
        row_error(r, rec->row, COLNO(c, 2), "period", pc, "%s",
                  tr("cần mã kỳ: 2022, 2022S1, 2022M9, 2022Q2, 2022-05 hoặc 2020-2025",
                     "expected a period code: 2022, 2022S1, 2022M9, 2022Q2, 2022-05 or 2020-2025"));
        bad = 1;
    }
    if (vn_parse_number(num, strlen(num), hint, &v) != 0) {
        row_error(r, rec->row, COLNO(c, 3), numname, num, "%s",
                  tr("cần một số, ví dụ 1234,5 hoặc 1.234,5 hoặc 1234.5",
                     "expected a number, e.g. 1234.5 or 1,234.5 or 1234,5"));
        bad = 1;
    } else if (fx_too_large(v)) {
        /* figures are computed in fixed point (fixed.h): beyond this they could not be held */
        row_error(r, rec->row, COLNO(c, 3), numname, num, "%s", tr(FX_TOO_LARGE_VI, FX_TOO_LARGE_EN));
        bad = 1;
    }
    if (bad)
        return;
    buf_reset(&r->scratch);      /* a value no roll-up would count (targets: as write.c says) */
    if (kind == IK_VALUES && !model_unit_valid_why(m, unit, p, &r->scratch)) {
        row_error(r, rec->row, COLNO(c, 2), "period", pc, "%s", buf_str(&r->scratch));
        return;
    }
    /* (A reported value of a formula indicator overrides the formula for that cell.) */
    const char *comment = "";
    if (kind == IK_VALUES && has_field(rec, c, 4) &&
        (comment = text_field(r, rec, COLNO(c, 4), c->map[4], "comment")) == NULL)
        return;
    int added = 1, tgt = kind == IK_TARGETS;
    cell_t *cell = r->append[tgt] ? model_append_cell(m, tgt, ind, unit, p)
                 : tgt ? model_target_upsert(m, ind, unit, p, &added) : model_value_upsert(m, ind, unit, p, &added);
    if (cell == NULL) {
        row_error(r, rec->row, 0, NULL, NULL, "out of memory");
        return;
    }
    if (added && (m->unloaded & (kind == IK_TARGETS ? STORE_TARGETS : STORE_VALUES))) {
        /* a model without its cells (a small file into a big database): ask the store */
        int got = store_get_cell(r->s, m, kind == IK_TARGETS, ind, unit, p, cell, &r->e);
        if (got < 0) {
            store_failed(r, rec->row);
            return;
        }
        added = !got;
    }
    if (!added && cell->mark == m->stamp) {
        row_error(r, rec->row, 0, NULL, NULL,
                  tr("trùng với dòng %ld của %s (cùng chỉ tiêu, đơn vị và kỳ)",
                     "duplicates row %ld of %s (same indicator, unit and period)"),
                  (long)cell->row, r->src[cell->src].name);
        return;
    }
    cell->mark = m->stamp;
    cell->row = (uint32_t)rec->row;
    cell->src = r->cur_src;
    if (!added && cell->v == v && strcmp(cell->comment ? cell->comment : "", comment) == 0)
        return;
    if (r->o->vet) {             /* rights and locks (write.h) */
        buf_reset(&r->scratch);
        if (r->o->vet(r->o->vet_ctx, m, kind, ind, unit, p, &r->scratch) != 0) {
            row_error(r, rec->row, 0, NULL, NULL, "%s", buf_str(&r->scratch));
            return;
        }
    }
    added ? r->st->added[kind]++ : r->st->changed[kind]++;
    cell->v = v;
    stream_changes(r, kind, ind);
    if (model_cell_comment(cell, comment) != 0 || queue_change(r, kind, cell, !added) != 0)
        row_error(r, rec->row, 0, NULL, NULL, "out of memory");
}

typedef struct dup_ctx {
    run *r;
    const cellmap *cm;
} dup_ctx;

/* A cell of a first load whose key an earlier row has (model_index_appended). */
static void dup_cell(void *ctx, size_t cell, size_t first)
{
    dup_ctx *d = ctx;
    const cell_t *c = &d->cm->cells[cell], *f = &d->cm->cells[first];
    d->r->cur_src = c->src;
    row_error(d->r, c->row, 0, NULL, NULL,
              tr("trùng với dòng %ld của %s (cùng chỉ tiêu, đơn vị và kỳ)",
                 "duplicates row %ld of %s (same indicator, unit and period)"),
              (long)f->row, d->r->src[f->src].name);
}

/* Ends a first load of targets (tgt) or values: their cells indexed, duplicates refused. */
static void index_appended(run *r, int tgt)
{
    if (!r->append[tgt])
        return;
    r->append[tgt] = 0;
    dup_ctx d = { r, tgt ? &r->m->targets : &r->m->values };
    if (model_index_appended(r->m, tgt, r->append_from[tgt], dup_cell, &d) != 0)
        row_error(r, 0, 0, NULL, NULL, "out of memory");
}

/* ---- successions ---------------------------------------------------------------------- */

/* A unit code in column col that must name a known unit; its index or -1 (with a row error). */
static int succ_unit(run *r, const csv_record *rec, const cols *c, int col, const char *name)
{
    const char *code = field(rec, c, col);
    int u = model_unit_find(r->m, code);
    if (u < 0)
        row_error(r, rec->row, COLNO(c, col), name, code, "%s",
                  tr("không có đơn vị mã này (khai báo trong tệp units trước)",
                     "no unit has this code (define it in a units file first)"));
    return u;
}

/* The date as d/m/yyyy for a message (in r->scratch). */
static const char *succ_date_text(run *r, int ymd)
{
    buf_reset(&r->scratch);
    vn_format_date(ymd, lang_get(), &r->scratch);
    return buf_str(&r->scratch);
}

/* Checks that `from` ends the day before `date` at the latest and `to` is valid on `date`. */
static int succ_validity(run *r, const csv_record *rec, const cols *c, int from, int to, int date)
{
    const unit_t *f = &r->m->units[from], *t = &r->m->units[to];
    int bad = 0;
    if (f->valid_to == 0 || f->valid_to >= date) {
        row_error(r, rec->row, COLNO(c, 0), "from", f->code,
                  tr("đơn vị còn hiệu lực ngày %s: valid_to của nó (trong tệp units) phải trước ngày kế thừa",
                     "the unit is still valid on %s: its valid_to (in the units file) must be before the date"),
                  succ_date_text(r, date));
        bad = 1;
    }
    if (t->valid_from > date) {
        row_error(r, rec->row, COLNO(c, 1), "to", t->code,
                  tr("đơn vị chưa có hiệu lực ngày %s: valid_from của nó phải là ngày kế thừa hoặc trước đó",
                     "the unit is not yet valid on %s: its valid_from must be the date or earlier"),
                  succ_date_text(r, date));
        bad = 1;
    } else if (t->valid_to && t->valid_to < date) {
        row_error(r, rec->row, COLNO(c, 1), "to", t->code,
                  tr("đơn vị đã hết hiệu lực trước ngày %s", "the unit is no longer valid on %s"),
                  succ_date_text(r, date));
        bad = 1;
    }
    return bad ? -1 : 0;
}

static void do_succession(run *r, const csv_record *rec, const cols *c, enum vn_dec hint)
{
    int from = succ_unit(r, rec, c, 0, "from"), to = succ_unit(r, rec, c, 1, "to"), date = 0;
    const char *dt = field(rec, c, 2), *sh = field(rec, c, 3);
    double share = 1;
    int bad = from < 0 || to < 0;
    if (task_parse_date(dt, &date) != 0) {
        row_error(r, rec->row, COLNO(c, 2), "date", dt, "%s",
                  tr("cần ngày dạng 1/7/2025 hoặc 2025-07-01", "expected a date like 1/7/2025 or 2025-07-01"));
        bad = 1;
    }
    if (*sh && (vn_parse_number(sh, strlen(sh), hint, &share) != 0 || !(share > 0) || share > 1)) {
        row_error(r, rec->row, COLNO(c, 3), "share", sh, "%s",
                  tr("cần tỷ lệ lớn hơn 0 và không quá 1, ví dụ 0,4 (để trống là 1)",
                     "expected a share above 0 and at most 1, e.g. 0.4 (empty means 1)"));
        bad = 1;
    }
    if (!bad && from == to) {
        row_error(r, rec->row, COLNO(c, 1), "to", field(rec, c, 1), "%s",
                  tr("đơn vị không thể kế thừa chính nó", "a unit cannot succeed itself"));
        bad = 1;
    }
    if (bad || succ_validity(r, rec, c, from, to, date) != 0)
        return;
    if (r->nsuccs == r->capsuccs) {
        size_t cap = r->capsuccs ? r->capsuccs * 2 : 64;
        succ_row *g = realloc(r->succs, cap * sizeof *g);
        if (g == NULL) {
            row_error(r, rec->row, 0, NULL, NULL, "out of memory");
            return;
        }
        r->succs = g;
        r->capsuccs = cap;
    }
    int given = c->map[3] >= 0;
    r->succs[r->nsuccs++] = (succ_row){ from, to, date, r->cur_src, share, rec->row,
                                        given ? COLNO(c, 3) : COLNO(c, 2), given };
}

/* Orders rows by (from, date, to), then file order: a (from, date) group is a run. */
static int cmp_succ_row(const void *a, const void *b)
{
    const succ_row *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Orders the model's successions the same way (for the new/changed/unchanged counts). */
static int cmp_succ(const void *a, const void *b)
{
    const succ_t *x = a, *y = b;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return x->to < y->to ? -1 : x->to > y->to;
}

/* Checks one (from, date) group r->succs[a..b): no (from, to, date) twice, shares summing to 1. */
static void check_succ_group(run *r, size_t a, size_t b)
{
    double sum = 0;
    const succ_row *first = &r->succs[a];
    for (size_t k = a; k < b; k++) {
        const succ_row *x = &r->succs[k];
        sum += x->share;
        if (k > a && x->to == r->succs[k - 1].to) {
            r->cur_src = x->src;
            row_error(r, x->row, 0, NULL, NULL, tr("trùng với dòng %ld của %s (cùng from, to và date)",
                                                   "duplicates row %ld of %s (same from, to and date)"),
                      r->succs[k - 1].row, r->src[r->succs[k - 1].src].name);
            return;
        }
        if (x->src < first->src || (x->src == first->src && x->row < first->row))
            first = x;
    }
    if (fabs(sum - 1) <= 1e-6)
        return;
    char got[32];
    snprintf(got, sizeof got, "%.6g", sum);
    r->cur_src = first->src;
    row_error(r, first->row, first->share_col, first->share_given ? "share" : "date", got,
              tr("tổng tỷ lệ của đơn vị '%s' ngày %s phải bằng 1 (các dòng cùng from và date)",
                 "the shares of unit '%s' on %s must sum to 1 (the rows with this from and date)"),
              r->m->units[first->from].code, succ_date_text(r, first->date));
}

/* Counts each row as new, changed (another share) or unchanged against what is stored. */
static int count_succs(run *r)
{
    model *m = r->m;
    succ_t *old = malloc((m->nsuccs + 1) * sizeof *old);
    if (old == NULL)
        return -1;
    if (m->nsuccs) {
        memcpy(old, m->succs, m->nsuccs * sizeof *old);
        qsort(old, m->nsuccs, sizeof *old, cmp_succ);
    }
    for (size_t i = 0; i < r->nsuccs; i++) {
        const succ_row *x = &r->succs[i];
        succ_t key = { .from = x->from, .to = x->to, .date = x->date };
        const succ_t *o = bsearch(&key, old, m->nsuccs, sizeof *old, cmp_succ);
        if (o == NULL)
            r->st->added[IK_SUCCESSIONS]++;
        else if (o->share != x->share)
            r->st->changed[IK_SUCCESSIONS]++;
    }
    free(old);
    return 0;
}

/* 1 if the model holds succession (from, to, date) with share (its index by `from`: the model
 * was finished after the indicators; a model that failed to finish writes nothing anyway). */
static int succ_stored(const model *m, int from, int to, int date, double share)
{
    int n;
    const int *out = model_succs(m, from, &n);
    for (int k = 0; k < n; k++) {
        const succ_t *o = &m->succs[out[k]];
        if (o->to == to && o->date == date && o->share == share)
            return 1;
    }
    return 0;
}

/* Asks r->o->vet_succ about each succession group r->succs[a..b) adds, changes or drops. */
static void vet_succ_group(run *r, size_t a, size_t b)
{
    const model *m = r->m;
    const succ_row *g = &r->succs[a];
    for (size_t i = a; i < b; i++) {
        const succ_row *x = &r->succs[i];
        buf_reset(&r->scratch);
        if (!succ_stored(m, x->from, x->to, x->date, x->share) &&
            r->o->vet_succ(r->o->vet_ctx, m, x->from, x->to, x->date, &r->scratch) != 0) {
            r->cur_src = x->src;
            row_error(r, x->row, 0, NULL, NULL, "%s", buf_str(&r->scratch));
        }
    }
    int n;
    const int *out = model_succs(m, g->from, &n);
    for (int k = 0; k < n; k++) {
        const succ_t *o = &m->succs[out[k]];
        size_t i = a;
        if (o->date != g->date)
            continue;
        while (i < b && r->succs[i].to != o->to)
            i++;
        buf_reset(&r->scratch);
        if (i == b && r->o->vet_succ(r->o->vet_ctx, m, o->from, o->to, o->date, &r->scratch) != 0) {
            r->cur_src = g->src;                /* dropped by the group's rows */
            row_error(r, g->row, 0, NULL, NULL, "%s", buf_str(&r->scratch));
        }
    }
}

/* Whole-set checks, then the writes: the rows of one `from` on one date replace what was stored
 * for it; model_finish then refuses a cycle. */
static void apply_successions(run *r)
{
    model *m = r->m;
    qsort(r->succs, r->nsuccs, sizeof *r->succs, cmp_succ_row);
    for (size_t a = 0, b; a < r->nsuccs; a = b) {
        for (b = a + 1; b < r->nsuccs && r->succs[b].from == r->succs[a].from && r->succs[b].date == r->succs[a].date; b++)
            ;
        check_succ_group(r, a, b);
        if (r->o->vet_succ)
            vet_succ_group(r, a, b);
    }
    if (r->failed)
        return;
    if (count_succs(r) != 0) {
        row_error(r, 0, 0, NULL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < r->nsuccs; i++) {
        const succ_row *x = &r->succs[i];
        if (i > 0 && x->from == r->succs[i - 1].from && x->date == r->succs[i - 1].date)
            continue;                                   /* the group was cleared at its first row */
        model_del_succs(m, x->from, x->date);
        if (store_del_succs(r->s, m, x->from, x->date, &r->e) != 0) {
            r->cur_src = x->src;
            store_failed(r, x->row);
            return;
        }
    }
    for (size_t i = 0; i < r->nsuccs; i++) {
        const succ_row *x = &r->succs[i];
        int at = model_put_succ(m, x->from, x->to, x->date, x->share);
        r->cur_src = x->src;
        if (at < 0) {
            row_error(r, x->row, 0, NULL, NULL, "out of memory");
            return;
        }
        m->succs[at].src = x->src;
        m->succs[at].row = x->row;
        if (store_put_succ(r->s, m, at, &r->e) != 0) {
            store_failed(r, x->row);
            return;
        }
    }
    err_t e;
    if (model_finish(m, &e) != 0) {
        int on = m->succ_cycle;
        r->cur_src = on >= 0 && m->succs[on].src >= 0 ? m->succs[on].src : 0;
        row_error(r, on >= 0 ? m->succs[on].row : 0, 0, NULL, NULL, "%s", e.msg);
    } else if (task_handover_store(r->s, m, r->o->who, &r->st->handed_over, &r->e) != 0) {
        store_failed(r, 0);           /* tasks of dissolved units pass to their successors */
    }
}

size_t import_lines(const import_source *src, int n)
{
    size_t lines = 0;
    for (int k = 0; k < n; k++)
        for (const char *p = src[k].data, *end = p + src[k].len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            lines++;
    return lines;
}

/* ---- driver ----------------------------------------------------------------------------- */

static int header_cols(run *r, const csv_record *rec, int kind, cols *c)
{
    for (int i = 0; i < MAXCOLS; i++)
        c->map[i] = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        int ci = col_index(kind, rec->field[i]);
        if (ci < 0)
            return -1;
        c->map[ci] = (int)i;
    }
    (void)r;
    return 0;
}

static void unknown_header(run *r, const csv_record *rec)
{
    buf got = BUF_INIT;
    for (size_t i = 0; i < rec->nfields && i < 20; i++)
        buf_printf(&got, "%s%s", i ? "," : "", rec->field[i]);
    row_error(r, 1, 0, NULL, buf_str(&got), "%s",
              tr("dòng tiêu đề không khớp loại tệp nào; cần đúng tên cột của một trong: "
                 "units: code,name,parent,type[,valid_from,valid_to] | "
                 "indicators: code,name[,group,set,parent,unit,direction,unit_aggregation,period_aggregation,formula,decimals] | "
                 "terms: period,name | targets: indicator,unit,period,target | "
                 "values: indicator,unit,period,value[,comment] | successions: from,to,date[,share]",
                 "the header row matches no kind of file; expected exactly the column names of one of: "
                 "units: code,name,parent,type[,valid_from,valid_to] | "
                 "indicators: code,name[,group,set,parent,unit,direction,unit_aggregation,period_aggregation,formula,decimals] | "
                 "terms: period,name | targets: indicator,unit,period,target | "
                 "values: indicator,unit,period,value[,comment] | successions: from,to,date[,share]"));
    buf_free(&got);
}

static void progress(run *r, int kind, long rows, int done)
{
    if (!r->o->progress)
        return;
    if (!done && rows % 100000 != 0)
        return;
    fprintf(stderr, "\r  %s (%s): %ld %s%s", r->src[r->cur_src].name, import_kind_name(kind), rows,
            tr("dòng", "rows"), done ? "\n" : "");
    fflush(stderr);
}

/* A row with more fields than the header: the extra ones would be lost, so it is refused (an
 * empty trailing field loses nothing).  Returns 1 if the row was refused. */
static int extra_fields(run *r, const csv_record *rec, size_t nheader, char sep)
{
    for (size_t i = nheader; i < rec->nfields; i++) {
        if (rec->len[i] == 0)
            continue;
        row_error(r, rec->row, (int)i + 1, tr("ngoài tiêu đề", "beyond the header"), rec->field[i],
                  tr("dòng có %zu cột, dòng tiêu đề chỉ có %zu: ô thừa sẽ bị mất%s",
                     "the row has %zu fields, the header only %zu: the extra one would be lost%s"),
                  rec->nfields, nheader,
                  sep == ','
                      ? tr(" (một số có dấu phẩy thập phân? hãy đặt nó trong ngoặc kép, hoặc dùng dấu ';' ngăn cột)",
                           " (a number with a decimal comma? quote it, or separate the columns with ';')")
                      : "");
        return 1;
    }
    return 0;
}

/* Processes one source of a known kind. */
static void do_source(run *r, int si, int kind, int *ord)
{
    const import_source *src = &r->src[si];
    csv_reader *cr = csv_open(src->data, src->len);
    csv_record rec;
    cols c;
    err_t e;
    long n = 0, seen = 0;
    r->cur_src = si;
    if (cr == NULL) {
        row_error(r, 0, 0, NULL, NULL, "out of memory");
        return;
    }
    int rc = csv_next(cr, &rec, &e);
    long header_row = rc == 1 ? rec.row : 0;
    size_t nheader = rc == 1 ? rec.nfields : 0;
    if (rc == 1)
        header_cols(r, &rec, kind, &c);
    int counted = kind;
    if (kind == IK_TEMPLATE) { /* a filled template is a values file with more columns */
        cols t = c;
        for (int i = 0; i < MAXCOLS; i++)
            c.map[i] = -1;
        c.map[0] = t.map[0], c.map[1] = t.map[1], c.map[2] = t.map[2];
        c.map[3] = t.map[8], c.map[4] = t.map[9];
        counted = IK_VALUES;
    }
    enum vn_dec hint = csv_separator(cr) == ';' ? VN_DEC_COMMA : VN_DEC_AUTO;
    while (rc == 1 && (rc = csv_next(cr, &rec, &e)) == 1) {
        r->cur_row = rec.row;
        if (rec.nfields == 1 && rec.len[0] == 0)
            continue;
        if (kind == IK_TEMPLATE && rec.row == header_row + 1)
            continue; /* the template's visible header row */
        seen++;
        if (extra_fields(r, &rec, nheader, csv_separator(cr)))
            continue;
        if (kind == IK_TEMPLATE && field(&rec, &c, 3)[0] == '\0')
            continue; /* a row left empty */
        n++;
        switch (kind) {
        case IK_UNITS: do_unit(r, &rec, &c); break;
        case IK_INDICATORS: do_indicator(r, &rec, &c, (*ord)++); break;
        case IK_TERMS: do_term(r, &rec, &c); break;
        case IK_SUCCESSIONS: do_succession(r, &rec, &c, hint); break;
        default: do_cell(r, &rec, &c, counted, hint); break;
        }
        progress(r, kind, n, 0);
        if (r->st->errors > r->max_errors * 10) {
            r->stopped = 1;      /* the rows after are not read: the count is a floor */
            break;
        }
    }
    if (rc < 0)
        row_error(r, 0, 0, NULL, NULL, "%s", e.msg);
    else if (seen == 0)
        row_error(r, 0, 0, NULL, NULL, "%s",
                  tr("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào (tệp lưu thiếu, hoặc nhầm tệp?)",
                     "the file has a header row and no data rows (saved incompletely, or the wrong file?)"));
    r->st->rows[counted] += n;
    if (n >= 100000)
        progress(r, kind, n, 1);
    csv_close(cr);
}

/* Runs model_finish and turns its error into a row error located at the source row that
 * defined the offending code, when this run defined it. */
static void finish_model(run *r)
{
    err_t e;
    if (model_finish(r->m, &e) == 0)
        return;
    r->cur_src = 0;
    r->failed = 1;
    r->st->errors++;
    if (r->st->errors <= r->max_errors)
        buf_printf(r->errors, "%s\n", e.msg);
}

int import_run(store *s, model *m, const import_source *src, int nsrc, const import_opts *o,
               import_stats *st, buf *errors, err_t *e)
{
    run r = { 0 };
    int *kinds = NULL, rc = -1, began = 0, ord = (int)m->ninds;
    r.s = s;
    r.m = m;
    r.o = o;
    r.st = st;
    r.errors = errors;
    r.src = src;
    r.max_errors = o->max_errors > 0 ? o->max_errors : 100;
    buf_init(&r.scratch, 0);
    buf_init(&r.nfc, 0);
    memset(st, 0, sizeof *st);
    kinds = calloc((size_t)nsrc + 1, sizeof *kinds);
    if (kinds == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    /* Pass 1: the kind of every source, from its header. */
    for (int i = 0; i < nsrc; i++) {
        csv_reader *cr = csv_open(src[i].data, src[i].len);
        csv_record rec;
        err_t ce;
        r.cur_src = i;
        if (cr == NULL) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        int got = csv_next(cr, &rec, &ce);
        if (got < 0)
            row_error(&r, 0, 0, NULL, NULL, "%s", ce.msg);
        else if (got == 0)
            row_error(&r, 0, 0, NULL, NULL, "%s", tr("tệp rỗng (cần dòng tiêu đề)", "empty file (a header row is needed)"));
        else if ((kinds[i] = import_kind_of(rec.field, rec.nfields)) == IK_UNKNOWN)
            unknown_header(&r, &rec);
        csv_close(cr);
    }
    /* Size the tables once from the line counts, instead of growing them row by row. */
    size_t lines[IK_COUNT] = { 0 };
    for (int i = 0; i < nsrc; i++)
        if (kinds[i] == IK_TARGETS || kinds[i] == IK_VALUES || kinds[i] == IK_TEMPLATE)
            for (const char *p = src[i].data, *end = p + src[i].len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
                lines[kinds[i]]++;
    size_t cells = lines[IK_TARGETS] + lines[IK_VALUES] + lines[IK_TEMPLATE];
    if (model_reserve(m, lines[IK_VALUES] + lines[IK_TEMPLATE], lines[IK_TARGETS]) != 0 ||
        (cells && (r.changes = malloc(cells * sizeof *r.changes)) == NULL)) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    mem_huge(r.changes, cells * sizeof *r.changes);
    r.capchanges = cells;
    m->stamp++; /* cells set from here on carry this run's mark (duplicate check) */
    for (int t = 0; t < 2; t++) {
        const cellmap *cm = t ? &m->targets : &m->values;
        r.append[t] = cm->n == 0 && !m->held && !(m->unloaded & (t ? STORE_TARGETS : STORE_VALUES));
        r.append_from[t] = cm->n;
    }
    if (!o->in_tx && store_begin(s, e) != 0) {
        st->internal = 1;
        goto cleanup;
    }
    began = !o->in_tx;
    r.stream = !o->dry_run && store_streams_inserts(s);
    r.stream_slice = cells / 4 > STREAM_SLICE ? cells / 4 : STREAM_SLICE;
    /* Pass 2: kind by kind, so every reference points to something already loaded. */
    for (int k = 1; k < IK_COUNT; k++) {
        for (int i = 0; i < nsrc; i++)
            if (kinds[i] == k)
                do_source(&r, i, k, &ord);
        if (k == IK_INDICATORS)
            finish_model(&r);
        if (k == IK_TARGETS || k == IK_TEMPLATE)          /* the last kinds of targets and of values */
            index_appended(&r, k == IK_TARGETS);
        if (k == IK_SUCCESSIONS && r.nsuccs)
            apply_successions(&r);
    }
    if (r.failed) {
        if (st->errors > r.max_errors && r.stopped)
            buf_printf(errors, tr("... và ít nhất %ld lỗi khác (ngừng kiểm tra sau %ld lỗi; các dòng sau chưa được đọc)\n",
                                  "... and at least %ld more errors (checking stopped after %ld errors; the rows after were not read)\n"),
                       st->errors - r.max_errors, st->errors);
        else if (st->errors > r.max_errors)
            buf_printf(errors, tr("... và %ld lỗi khác\n", "... and %ld more errors\n"),
                       st->errors - r.max_errors);
        err_set(e, r.stopped ? tr("nhập dữ liệu thất bại: ít nhất %ld lỗi, không có gì được ghi",
                                  "import failed: at least %ld errors, nothing was written")
                             : tr("nhập dữ liệu thất bại: %ld lỗi, không có gì được ghi",
                                  "import failed: %ld errors, nothing was written"), st->errors);
        goto cleanup;
    }
    if (o->dry_run) {
        rc = 0;
        goto cleanup;
    }
    if (write_changes(&r) != 0) {
        err_set(e, "%s", r.e.msg);
        goto cleanup;
    }
    if (!o->in_tx && store_commit(s, e) != 0) {
        st->internal = 1;
        goto cleanup;
    }
    began = 0;
    rc = 0;
cleanup:
    if (rc != 0 && !r.failed)
        st->internal = 1;            /* not a bad row: the database or memory failed */
    if (began)
        store_rollback(s);
    free(kinds);
    free(r.changes);
    free(r.succs);
    buf_free(&r.scratch);
    buf_free(&r.nfc);
    return rc;
}
