/* outlier.c - outlier checks over a model (see outlier.h).
 *
 * Data flow of outlier_run: the model's reported value cells of period p whose unit lies in
 * the subtree -> per cell: bounds, then the unit's own history (same period, earlier years, via
 * eval_actual), then its siblings' figures for p -> flags, sorted by unit and indicator.
 * Ownership: the model and bounds are borrowed; the flags array is the caller's.
 */
#include "outlier.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "eval.h"
#include "vn.h"

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_of(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int outlier_mad(double *ref, int n, double x, double k, double *median, double *z)
{
    double med = median_of(ref, n), mean_ad = 0;
    for (int i = 0; i < n; i++) {
        mean_ad += fabs(ref[i] - med);
        ref[i] = fabs(ref[i] - med);
    }
    mean_ad /= n;
    double mad = median_of(ref, n);
    *median = med;
    *z = 0;
    if (mad > 0)
        *z = 0.6745 * (x - med) / mad;
    else if (mean_ad > 0)
        *z = (x - med) / (1.253314 * mean_ad);
    else
        return 0;
    return fabs(*z) > k;
}

typedef struct flags {
    outlier_flag *v;
    int n, cap;
} flags;

static int add_flag(flags *f, outlier_flag x, err_t *e)
{
    if (f->n == f->cap) {
        outlier_flag *g = realloc(f->v, ((size_t)f->cap * 2 + 16) * sizeof *g);
        if (g == NULL)
            return err_set(e, "out of memory");
        f->v = g;
        f->cap = f->cap * 2 + 16;
    }
    f->v[f->n++] = x;
    return 0;
}

static int in_subtree(const model *m, int u, int top)
{
    for (; u >= 0; u = m->units[u].parent)
        if (u == top)
            return 1;
    return 0;
}

/* The reference figures of one cell: history (earlier years) or peers (siblings). */
static int reference(const model *m, const cell_t *c, int kind, int years, double *ref, int max)
{
    int n = 0;
    double v;
    if (kind == OUT_HISTORY) {
        period_t q = c->per;
        for (int y = 0; y < years && n < max; y++) {
            q = period_prev_year(q);
            if (q.kind == P_NONE)
                break;
            if (eval_actual(m, c->ind, c->unit, q, &v))
                ref[n++] = v;
        }
        return n;
    }
    int parent = m->units[c->unit].parent;
    if (parent < 0)
        return 0;
    for (int s = m->units[parent].first_child; s >= 0 && n < max; s = m->units[s].next_sibling)
        if (s != c->unit && model_unit_valid(m, s, c->per) && eval_actual(m, c->ind, s, c->per, &v))
            ref[n++] = v;
    return n;
}

static int check_cell(const model *m, const outlier_bound *b, int nb, const outlier_opts *o, const cell_t *c,
                      double *ref, int max, flags *f, err_t *e)
{
    for (int i = 0; i < nb; i++) {
        if (b[i].ind != c->ind)
            continue;
        int low = b[i].has_min && c->v < b[i].min, high = b[i].has_max && c->v > b[i].max;
        if ((low || high) &&
            add_flag(f, (outlier_flag){ OUT_BOUNDS, c->ind, c->unit, c->per, c->v, low ? b[i].min : b[i].max, 0, 0 },
                     e) != 0)
            return -1;
    }
    for (int kind = OUT_HISTORY; kind <= OUT_PEERS; kind++) {
        int n = reference(m, c, kind, o->years, ref, max);
        double med, z;
        if (n < o->min_points || !outlier_mad(ref, n, c->v, o->k, &med, &z))
            continue;
        if (add_flag(f, (outlier_flag){ kind, c->ind, c->unit, c->per, c->v, med, z, n }, e) != 0)
            return -1;
    }
    return 0;
}

/* outlier_run's walk over the values (model_each_cell). */
typedef struct scan {
    const model *m;
    const outlier_bound *b;
    int nb;
    const outlier_opts *o;
    int unit;
    period_t p;
    double *ref;
    int max;
    flags *f;
    err_t *e;
} scan;

static int scan_cell(void *ctx, const cell_t *c)
{
    scan *sc = ctx;
    if (!period_eq(c->per, sc->p) || !in_subtree(sc->m, c->unit, sc->unit))
        return 0;
    return check_cell(sc->m, sc->b, sc->nb, sc->o, c, sc->ref, sc->max, sc->f, sc->e) != 0;
}

static int by_unit_ind(const void *a, const void *b)
{
    const outlier_flag *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    return x->kind - y->kind;
}

int outlier_run(const model *m, const outlier_bound *b, int nb, const outlier_opts *o, int unit, period_t p,
                outlier_flag **out, int *n, err_t *e)
{
    outlier_opts op = *o;
    op.k = op.k > 0 ? op.k : OUTLIER_K_DEFAULT;
    op.years = op.years > 0 ? op.years : 5;
    op.min_points = op.min_points > 0 ? op.min_points : 3;
    int max = op.years;
    if (unit >= 0 && m->units[unit].parent >= 0 && m->units[m->units[unit].parent].nchildren > max)
        max = m->units[m->units[unit].parent].nchildren;
    for (size_t u = 0; u < m->nunits; u++)
        if (m->units[u].nchildren > max)
            max = m->units[u].nchildren;
    double *ref = malloc(((size_t)max + 1) * sizeof *ref);
    flags f = { *out, *n, *n };
    int start = *n;
    if (ref == NULL)
        return err_set(e, "out of memory");
    scan sc = { m, b, nb, &op, unit, p, ref, max, &f, e };
    int rc = model_each_cell(m, 0, p.y, p.kind == P_RANGE ? p.y2 : p.y, scan_cell, &sc);
    free(ref);
    if (rc != 0) {
        *out = f.v;
        *n = f.n;
        return -1;
    }
    if (f.n > start)
        qsort(f.v + start, (size_t)(f.n - start), sizeof *f.v, by_unit_ind);
    *out = f.v;
    *n = f.n;
    return 0;
}

/* ---- the bounds file ---- */

static const char *const bounds_cols[] = { "indicator", "min", "max" };

int outlier_file_is_bounds(const char *data, size_t len)
{
    return csv_starts_with_header(data, len, bounds_cols, 3);
}

/* One bound (column col of rec): empty = none. */
static int bound_field(const char *name, const csv_record *rec, int col, int *has, double *v, buf *errors)
{
    const char *s = rec->field[col];
    *has = 0;
    if (*s == '\0')
        return 0;
    if (vn_parse_number(s, strlen(s), VN_DEC_AUTO, v) != 0 || !isfinite(*v)) {
        buf_printf(errors, tr("%s, dòng %ld, cột %d (%s): cần một số, có '%s'\n",
                              "%s, row %ld, column %d (%s): a number is expected, found '%s'\n"),
                   name, rec->row, col + 1, col == 1 ? "min" : "max", s);
        return -1;
    }
    *has = 1;
    return 0;
}

/* One data row into item (csv_row_fn). */
static int bound_row(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                     buf *errors)
{
    outlier_bound *x = item;
    (void)ctx;
    (void)items;
    (void)n;
    memset(x, 0, sizeof *x);
    if (rec->nfields != 3) {
        buf_printf(errors, tr("%s, dòng %ld: cần 3 cột (indicator,min,max), có %zu\n",
                              "%s, row %ld: 3 fields expected (indicator,min,max), found %zu\n"), name, rec->row,
                   rec->nfields);
        return -1;
    }
    size_t cl = strlen(rec->field[0]);
    if (cl == 0 || cl >= sizeof x->code) {
        buf_printf(errors, tr("%s, dòng %ld, cột 1 (indicator): cần mã chỉ tiêu (1–63 byte)\n",
                              "%s, row %ld, column 1 (indicator): an indicator code (1–63 bytes) is expected\n"),
                   name, rec->row);
        return -1;
    }
    memcpy(x->code, rec->field[0], cl + 1);
    x->ind = -1;
    if (bound_field(name, rec, 1, &x->has_min, &x->min, errors) != 0 ||
        bound_field(name, rec, 2, &x->has_max, &x->max, errors) != 0)
        return -1;
    if (x->has_min && x->has_max && x->min > x->max) {
        buf_printf(errors, tr("%s, dòng %ld, cột 2 (min): min lớn hơn max\n", "%s, row %ld, column 2 (min): min exceeds max\n"),
                   name, rec->row);
        return -1;
    }
    return 0;
}

int outlier_bounds_parse(const char *name, const char *data, size_t len, outlier_bound **out, int *n,
                         buf *errors, err_t *e)
{
    const csv_table t = { bounds_cols, 3, sizeof **out, bound_row, NULL, NULL };
    void *items;
    int bad = csv_read_table(name, data, len, &t, &items, n, errors, e);
    *out = items;
    if (bad < 0)
        return -1;
    if (bad > 0)
        return err_set(e, tr("%s: %d lỗi, không có gì được ghi", "%s: %d errors, nothing was written"), name, bad);
    if (*n == 0) {
        free(*out);
        *out = NULL;
        return err_set(e, tr("%s: tệp không có dòng nào", "%s: the file has no rows"), name);
    }
    return 0;
}

void outlier_bounds_bind(outlier_bound *b, int nb, const model *m)
{
    for (int i = 0; i < nb; i++)
        b[i].ind = model_ind_find(m, b[i].code);
}

const char *outlier_kind_name(int kind)
{
    return kind == OUT_HISTORY ? tr("so với các năm trước", "against earlier years")
         : kind == OUT_PEERS ? tr("so với đơn vị cùng cấp", "against peer units")
                             : tr("ngoài ngưỡng", "outside the bounds");
}

const char *outlier_kind_key(int kind)
{
    return kind == OUT_HISTORY ? "history" : kind == OUT_PEERS ? "peers" : "bounds";
}
