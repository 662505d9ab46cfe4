/* write_rule.c - validation rules checked by the write module (see write_rule.h).
 *
 * Data flow: the written cells x the rules that read their indicator -> (rule, unit, period)
 * groups (sorted, so each is checked once; a rule reads an indicator directly or through the
 * formulas of its operands) -> each operand's figure after the write (overlay, stored cell inside the transaction, formula, derived) -> rule_eval -> the
 * violations, a warning forgiven when one of the group's written cells has a comment.
 * Ownership: everything is borrowed but the violations array, which the caller frees.
 */
#include "write_rule.h"

#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "store_rule.h"
#include "vn.h"

int write_rules_load(store *s, const model *m, write_rules *out, err_t *e)
{
    err_t be;
    if (store_rule_load(s, &out->v, &out->n, e) != 0)
        return -1;
    for (int k = 0; k < out->n; k++)
        rule_bind(&out->v[k], m, &be);          /* unbound (unknown code): skipped */
    return 0;
}

void write_rules_free(write_rules *r)
{
    for (int k = 0; r && k < r->n; k++)
        rule_free(&r->v[k]);
    if (r)
        free(r->v);
}

/* A written cell's key, sorted for lookups. */
typedef struct ckey {
    int ind, unit;
    uint32_t pk;
    int cell;
} ckey;

static int by_key(const void *a, const void *b)
{
    const ckey *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

typedef struct look {
    store *s;
    const model *m;
    const write_cell *cells;
    int n;
    const ckey *sorted;          /* the cells' keys in order */
    int current;                 /* m holds the stored figures as they are: no need to ask the store */
    err_t *e;
} look;

/* The written cell (ind, unit, p), or NULL. */
static const write_cell *written(const look *l, int ind, int unit, period_t p)
{
    ckey k = { ind, unit, period_key(p), 0 };
    const ckey *hit = l->n ? bsearch(&k, l->sorted, (size_t)l->n, sizeof k, by_key) : NULL;
    return hit ? &l->cells[hit->cell] : NULL;
}

/* The figure of (ind, unit, p) after the write: 1 with *v, 0 none, -1 error. */
static int value_of(const look *l, int ind, int unit, period_t p, int depth, double *v)
{
    const model *m = l->m;
    const write_cell *w = written(l, ind, unit, p);
    if (w) {
        *v = w->v;
        return 1;
    }
    if (l->current) {
        cell_t tmp;
        const cell_t *mc = model_value(m, ind, unit, p, &tmp);
        if (mc) {
            *v = mc->v;
            return 1;
        }
    } else {
        cell_t c = { 0 };
        int got = store_get_cell(l->s, m, 0, ind, unit, p, &c, l->e);
        free(c.comment);
        if (got != 0) {
            *v = c.v;
            return got;
        }
    }
    const ind_t *d = &m->inds[ind];
    if (d->f && depth < 8) {
        int nv = formula_nvars(d->f);
        double vals[64];
        unsigned char has[64];
        if (nv > 64)
            return 0;
        for (int i = 0; i < nv; i++) {
            int r = value_of(l, d->fvars[i], unit, p, depth + 1, &vals[i]);
            if (r < 0)
                return -1;
            has[i] = (unsigned char)r;
        }
        if (formula_eval(d->f, vals, has, v) == 0)
            return 1;
    }
    return eval_actual(m, ind, unit, p, v);
}

typedef struct hit {
    int rule, unit;
    uint32_t pk;
    int cell;
} hit;

static int by_hit(const void *a, const void *b)
{
    const hit *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    if (x->pk != y->pk)
        return x->pk < y->pk ? -1 : 1;
    return x->cell < y->cell ? -1 : x->cell > y->cell;
}

/* Checks one (rule, unit, period) group hits[0..n): 1 violated, 0 not, -1 error. */
static int check_group(const look *l, const rule_t *r, const hit *h, int n, double *lhs, double *rhs)
{
    double vals[64];
    unsigned char has[64];
    const write_cell *c0 = &l->cells[h[0].cell];
    if (r->nvars > 64)
        return 0;
    for (int i = 0; i < r->nvars; i++) {
        int got = value_of(l, r->inds[i], c0->unit, c0->p, 0, &vals[i]);
        if (got < 0)
            return -1;
        has[i] = (unsigned char)got;
    }
    if (rule_eval(r, vals, has, rule_decimals(r, l->m), lhs, rhs) != RULE_FAIL)
        return 0;
    if (r->severity == RULE_WARNING)
        for (int i = 0; i < n; i++) {
            const char *comment = l->cells[h[i].cell].comment;
            if (comment && *comment)
                return 0;               /* explained by a comment */
        }
    return 1;
}

/* 1 if indicator `of` is ind or computed by formulas from it. */
static int depends(const model *m, int of, int ind, int depth)
{
    if (of == ind)
        return 1;
    const ind_t *d = &m->inds[of];
    for (int i = 0; d->f && depth < 8 && i < formula_nvars(d->f); i++)
        if (depends(m, d->fvars[i], ind, depth + 1))
            return 1;
    return 0;
}

/* 1 if rule r reads indicator ind, directly or through a formula indicator. */
static int reads(const model *m, const rule_t *r, int ind)
{
    for (int i = 0; r->inds && i < r->nvars; i++)
        if (depends(m, r->inds[i], ind, 0))
            return 1;
    return 0;
}

int write_rules_check(store *s, const model *m, const write_rules *rules, const write_cell *cells, int n,
                      int current, write_violation **out, int *nout, err_t *e)
{
    ckey *sorted = malloc(((size_t)n + 1) * sizeof *sorted);
    look l = { s, m, cells, n, sorted, current, e };
    hit *h = NULL;
    size_t nh = 0, cap = 0;
    int rc = -1, nv = 0;
    *out = NULL;
    *nout = 0;
    if (sorted == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < n; i++)
        sorted[i] = (ckey){ cells[i].ind, cells[i].unit, period_key(cells[i].p), i };
    qsort(sorted, (size_t)n, sizeof *sorted, by_key);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < rules->n; k++) {
            if (!reads(m, &rules->v[k], cells[i].ind))
                continue;
            if (nh == cap) {
                hit *g = realloc(h, (cap * 2 + 64) * sizeof *g);
                if (g == NULL) {
                    err_set(e, "out of memory");
                    goto cleanup;
                }
                h = g;
                cap = cap * 2 + 64;
            }
            h[nh++] = (hit){ k, cells[i].unit, period_key(cells[i].p), i };
        }
    if (nh)
        qsort(h, nh, sizeof *h, by_hit);
    for (size_t a = 0, b; a < nh; a = b) {
        for (b = a + 1; b < nh && h[b].rule == h[a].rule && h[b].unit == h[a].unit && h[b].pk == h[a].pk; b++)
            ;
        double lhs, rhs;
        int r = check_group(&l, &rules->v[h[a].rule], h + a, (int)(b - a), &lhs, &rhs);
        if (r < 0)
            goto cleanup;
        if (r == 0)
            continue;
        write_violation *g = realloc(*out, ((size_t)nv + 1) * sizeof *g);
        if (g == NULL) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        *out = g;
        int row = cells[h[a].cell].row;
        for (size_t i = a; i < b; i++)
            row = cells[h[i].cell].row < row ? cells[h[i].cell].row : row;
        g[nv++] = (write_violation){ h[a].rule, row, h[a].unit, cells[h[a].cell].p, lhs, rhs };
    }
    rc = 0;
cleanup:
    free(h);
    free(sorted);
    *nout = nv;
    if (rc != 0) {
        free(*out);
        *out = NULL;
        *nout = 0;
    }
    return rc;
}

void write_violation_text(const model *m, const write_rules *rules, const write_violation *v, buf *b)
{
    const rule_t *r = &rules->v[v->rule];
    char per[PERIOD_CODE_MAX];
    int dec = rule_decimals(r, m);
    period_code(v->p, per, sizeof per);
    buf_printf(b, tr("quy tắc '%s' (%s) không thỏa: %s; đơn vị '%s', kỳ %s: vế trái = ",
                     "rule '%s' (%s) fails: %s; unit '%s', period %s: left side = "),
               r->code, rule_sev_name(r->severity), r->text, m->units[v->unit].code, per);
    vn_format_number_trim(v->lhs, dec, lang_get(), b);
    buf_adds(b, tr(", vế phải = ", ", right side = "));
    vn_format_number_trim(v->rhs, dec, lang_get(), b);
    if (r->message && *r->message)
        buf_printf(b, " — %s", r->message);
    if (r->severity == RULE_WARNING)
        buf_adds(b, tr(" (cảnh báo: ghi chú giải thích vào ô số liệu để lưu)",
                       " (a warning: write a comment on the figure to save it)"));
}

/* ---- the write module's two callers ---- */

int write_rules_values(store *s, const model *m, const write_cell *cells, int n, buf *errs, err_t *e)
{
    write_rules rules = { 0 };
    write_violation *v = NULL;
    int nv = 0, rc = -1;
    if (n == 0)
        return 0;
    if (write_rules_load(s, m, &rules, e) != 0)
        goto cleanup;
    if (rules.n && write_rules_check(s, m, &rules, cells, n, 0, &v, &nv, e) != 0)
        goto cleanup;
    for (int k = 0; k < nv; k++) {
        buf why = BUF_INIT;
        write_violation_text(m, &rules, &v[k], &why);
        buf_printf(errs, "%d\trule\t", v[k].row);
        for (const char *p = buf_str(&why); *p; p++)
            buf_addc(errs, *p == '\n' || *p == '\t' ? ' ' : *p);     /* one line per problem */
        buf_addc(errs, '\n');
        buf_free(&why);
    }
    rc = 0;
cleanup:
    free(v);
    write_rules_free(&rules);
    return rc;
}

/* The written cells re-addressed in `full` (a whole model), with their new values and comments
 * from the import's model m; cells `full` does not know (new in a dry run) are left out. */
static write_cell *import_cells(const model *m, const model *full, const write_cell *w, int n, int *nc)
{
    write_cell *c = malloc(((size_t)n + 1) * sizeof *c);
    *nc = 0;
    for (int i = 0; c && i < n; i++) {
        const write_cell *x = &w[i];
        cell_t tmp;
        const cell_t *mc = model_value(m, x->ind, x->unit, x->p, &tmp);
        int ind = full == m ? x->ind : model_ind_find(full, m->inds[x->ind].code);
        int unit = full == m ? x->unit : model_unit_find(full, m->units[x->unit].code);
        if (mc && ind >= 0 && unit >= 0)
            c[(*nc)++] = (write_cell){ ind, unit, x->p, mc->v, mc->comment, i };
    }
    return c;
}

int write_rules_import(store *s, const model *m, const write_cell *written_cells, int n, const import_source *src,
                       int nsrc, buf *errors, err_t *e)
{
    write_rules rules = { 0 };
    write_violation *viol = NULL;
    write_cell *cells = NULL;
    model *own = NULL;
    const model *full = m;
    int nv = 0, nc = 0, rc = -1;
    if (n == 0)
        return 0;
    if (write_rules_load(s, m, &rules, e) != 0)
        goto cleanup;
    if (rules.n == 0) {
        rc = 0;
        goto cleanup;
    }
    int current = 1;
    if (m->unloaded) {               /* a small file: derived figures need every figure */
        long nvals = store_values_upto(s, WRITE_RULES_LOAD_MAX + 1, e);
        if (nvals < 0)
            goto cleanup;
        current = nvals <= WRITE_RULES_LOAD_MAX;
        if (current) {
            write_rules_free(&rules);
            rules = (write_rules){ 0 };
            if ((own = model_new()) == NULL || store_load_part(s, own, STORE_ALL, e) != 0 ||
                write_rules_load(s, own, &rules, e) != 0)
                goto cleanup;
            full = own;
        }
    }
    if ((cells = import_cells(m, full, written_cells, n, &nc)) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (write_rules_check(s, full, &rules, cells, nc, current, &viol, &nv, e) != 0)
        goto cleanup;
    for (int k = 0; k < nv; k++) {
        const write_cell *c = &written_cells[viol[k].row];
        cell_t tmp;
        const cell_t *mc = model_value(m, c->ind, c->unit, c->p, &tmp);
        if (mc && mc->src >= 0 && mc->src < nsrc)
            buf_printf(errors, tr("%s, dòng %ld: ", "%s, row %ld: "), src[mc->src].name, (long)mc->row);
        write_violation_text(full, &rules, &viol[k], errors);
        buf_addc(errors, '\n');
    }
    rc = nv;
cleanup:
    if (own)
        store_forget_ids(s);         /* its ids were the other model's: looked up again */
    free(viol);
    free(cells);
    write_rules_free(&rules);
    model_free(own);
    return rc;
}
