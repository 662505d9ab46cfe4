/* completeness.c - completeness and timeliness of a subtree's reports (completeness.h).
 * Data flow: two flag tables per (unit, indicator) are built from the model's target and value
 * cells of the period's span (its year, or the term), then each row's subtree is walked leaf by
 * leaf; each expected figure becomes an item and is counted.  The first-write dates come from
 * the store (store_first_writes), or from a server's kept copy of them (completeness_kept.c),
 * and are only read here. */
#include "completeness.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cycle_store.h"
#include "engine.h"

const char *cmpl_state_key(int state)
{
    static const char *const keys[] = { "missing", "on_time", "late" };
    return state >= CM_MISSING && state <= CM_LATE ? keys[state] : "missing";
}

void cmpl_free(cmpl_result *res)
{
    free(res->rows);
    free(res->items);
    memset(res, 0, sizeof *res);
}

int cmpl_overlaps(period_t a, period_t b)
{
    return period_contains(a, b) || period_contains(b, a);
}

period_t cmpl_span(period_t p)
{
    return p.kind == P_RANGE ? p : period_year_of(p);
}

typedef struct marking {
    const model *m;
    period_t span;
    unsigned char *flags;
} marking;

static int mark_cell(void *ctx, const cell_t *x)
{
    marking *k = ctx;
    if (cmpl_overlaps(k->span, x->per))
        k->flags[(size_t)x->unit * k->m->ninds + (size_t)x->ind] = 1;
    return 0;
}

void cmpl_mark_cells(const model *m, int targets, period_t span, unsigned char *flags)
{
    marking k = { m, span, flags };
    model_each_cell(m, targets, span.y, span.kind == P_RANGE ? span.y2 : span.y, mark_cell, &k);
}

static int mark_held(void *ctx, int ind, int unit, period_t p, int64_t fx)
{
    cell_t c = { .ind = ind, .unit = unit, .per = p };
    (void)fx;
    return mark_cell(ctx, &c);
}

int cmpl_mark_part(const model *m, int targets, period_t span, int u_from, int u_to, unsigned char *flags)
{
    if (!m->held) {                /* the model's maps: all at once */
        if (u_from == 0)
            cmpl_mark_cells(m, targets, span, flags);
        return 1;
    }
    marking k = { m, span, flags };
    const cellmap *side = targets ? &m->targets : &m->values;
    for (size_t i = 0; u_from == 0 && i < side->n; i++)
        mark_cell(&k, &side->cells[i]);
    engine_each_reported_in(m->engine, targets, span.y, span.kind == P_RANGE ? span.y2 : span.y, u_from, u_to,
                            mark_held, &k);
    return u_to >= (int)m->nunits;
}

typedef struct walk {
    const model *m;
    const cycle_rules *r;
    period_t p;
    const int *first;
    cmpl_kept *kept;             /* instead of first: a server's kept dates (and leaf counts) */
    int no_items;                /* counts only: res->items stays empty */
    const unsigned char *tgt, *val;
    cmpl_result *res;
    int capitems;
} walk;

/* 1 if unit u reports for p: valid in p and still valid on its last day (a unit that ended
 * inside p, a commune merged on 1/7, cannot file the year's report; its successor does). */
static int reports_in(const model *m, int u, period_t p)
{
    int to = m->units[u].valid_to;
    return model_unit_valid(m, u, p) && (to == 0 || to >= period_end(p));
}

static int leaf_in(const model *m, int u, period_t p)
{
    for (int c = m->units[u].first_child; c >= 0; c = m->units[c].next_sibling)
        if (reports_in(m, c, p))
            return 0;
    return 1;
}

static int add_item(walk *w, const cmpl_item *it)
{
    cmpl_result *res = w->res;
    if (res->nitems == w->capitems) {
        int cap = w->capitems ? w->capitems * 2 : 256;
        cmpl_item *n = realloc(res->items, (size_t)cap * sizeof *n);
        if (n == NULL)
            return -1;
        res->items = n;
        w->capitems = cap;
    }
    res->items[res->nitems++] = *it;
    return 0;
}

/* Counts leaf u's expected figures into c; -1 on OOM. */
static int count_leaf(walk *w, int u, cmpl_count *c)
{
    const model *m = w->m;
    int parent = m->units[u].parent, expected = 0, reported = 0, late = 0, own = 0;
    int kept[3];
    if (w->no_items && w->kept && cmpl_kept_leaf(w->kept, u, w->res->deadline, kept)) {
        expected = kept[0];
        reported = kept[1];
        late = kept[2];
        goto count;
    }
    for (size_t i = 0; i < m->ninds; i++)
        own |= w->tgt[(size_t)u * m->ninds + i] | w->val[(size_t)u * m->ninds + i];
    /* the unit's own targets and values; a unit with none of either takes its parent's targets */
    const unsigned char *tgt = own || parent < 0 ? w->tgt + (size_t)u * m->ninds : w->tgt + (size_t)parent * m->ninds;
    for (size_t i = 0; i < m->ninds; i++) {
        const ind_t *ind = &m->inds[i];
        size_t k = (size_t)u * m->ninds + i;
        if (ind->f != NULL || *ind->formula_src || !(tgt[i] || w->val[k]))
            continue;
        cmpl_item it = { .unit = u, .ind = (int)i, .state = CM_MISSING };
        cell_t tmp;
        if (model_value(m, (int)i, u, w->p, &tmp) != NULL) {
            it.date = w->first ? w->first[k] : w->kept ? cmpl_kept_date(w->kept, k) : 0;
            it.state = it.date && it.date > w->res->deadline ? CM_LATE : CM_ON_TIME;
            reported++;
            late += it.state == CM_LATE;
        }
        expected++;
        if (!w->no_items && add_item(w, &it) != 0)
            return -1;
    }
    if (w->kept)
        cmpl_kept_leaf_put(w->kept, u, w->res->deadline, (int[3]){ expected, reported, late });
count:
    c->expected += expected;
    c->reported += reported;
    c->late += late;
    c->on_time += reported - late;
    c->missing += expected - reported;
    if (expected > 0) {
        c->leaves++;
        c->leaves_complete += reported == expected;
        c->leaves_late += late > 0;
    }
    return 0;
}

/* Walks u's subtree (units that report for the period only); -1 on OOM. */
static int walk_tree(walk *w, int u, cmpl_count *c)
{
    if (!reports_in(w->m, u, w->p))
        return 0;
    if (leaf_in(w->m, u, w->p))
        return count_leaf(w, u, c);
    for (int ch = w->m->units[u].first_child; ch >= 0; ch = w->m->units[ch].next_sibling)
        if (walk_tree(w, ch, c) != 0)
            return -1;
    return 0;
}

static void add_count(cmpl_count *to, const cmpl_count *c)
{
    to->expected += c->expected;
    to->reported += c->reported;
    to->on_time += c->on_time;
    to->late += c->late;
    to->missing += c->missing;
    to->leaves += c->leaves;
    to->leaves_complete += c->leaves_complete;
    to->leaves_late += c->leaves_late;
}

/* The rows: the unit's children that report for p, or the unit itself when it is a leaf. */
static int walk_rows(walk *w, int unit)
{
    const model *m = w->m;
    cmpl_result *res = w->res;
    int n = 0;
    for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling)
        n += reports_in(m, ch, w->p);
    res->rows = calloc((size_t)(n ? n : 1), sizeof *res->rows);
    if (res->rows == NULL)
        return -1;
    if (leaf_in(m, unit, w->p)) {
        res->rows[0].unit = unit;
        res->nrows = 1;
    } else
        for (int ch = m->units[unit].first_child; ch >= 0; ch = m->units[ch].next_sibling)
            if (reports_in(m, ch, w->p))
                res->rows[res->nrows++].unit = ch;
    for (int i = 0; i < res->nrows; i++) {
        if (walk_tree(w, res->rows[i].unit, &res->rows[i].c) != 0)
            return -1;
        add_count(&res->total, &res->rows[i].c);
    }
    return 0;
}

/* cmpl_compute with the dates from first (dense) or kept; no_items: the counts only. */
static int compute(const model *m, const cycle_rules *r, int unit, period_t p, const int *first,
                   cmpl_kept *kept, int no_items, cmpl_result *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    out->unit = unit;
    out->p = p;
    out->deadline = cycle_deadline(r, p);
    cycle_window(r, p, &out->from, &out->to);
    size_t cells = m->nunits * m->ninds;
    /* which (unit, indicator) has a target or a value in the span: kept, or marked now */
    unsigned char *tgt = NULL, *val = NULL;
    walk w = { .m = m, .r = r, .p = p, .first = first, .kept = kept, .no_items = no_items, .res = out };
    int rc = -1;
    if (kept) {
        w.tgt = cmpl_kept_flags(kept, 1);
        w.val = cmpl_kept_flags(kept, 0);
    } else {
        w.tgt = tgt = calloc(cells ? cells : 1, 1);
        w.val = val = calloc(cells ? cells : 1, 1);
        if (tgt == NULL || val == NULL)
            goto cleanup;
        cmpl_mark_cells(m, 1, cmpl_span(p), tgt);
        cmpl_mark_cells(m, 0, cmpl_span(p), val);
    }
    if (unit < 0 || (size_t)unit >= m->nunits || !reports_in(m, unit, p)) {
        rc = 0;      /* a unit not valid in the period, or ended inside it, expects nothing */
        goto cleanup;
    }
    rc = walk_rows(&w, unit);
cleanup:
    free(tgt);
    free(val);
    if (rc != 0) {
        cmpl_free(out);
        return err_set(e, "out of memory");
    }
    return 0;
}

int cmpl_compute(const model *m, const cycle_rules *r, int unit, period_t p, const int *first,
                 cmpl_result *out, err_t *e)
{
    return compute(m, r, unit, p, first, NULL, 0, out, e);
}

typedef struct first_ctx {
    const model *m;
    int tz;
    int *dates;
} first_ctx;

static int first_one(void *ctx, const char *ind, const char *unit, const char *at)
{
    first_ctx *f = ctx;
    int i = model_ind_find(f->m, ind), u = model_unit_find(f->m, unit);
    if (i >= 0 && u >= 0)
        f->dates[(size_t)u * f->m->ninds + (size_t)i] = cycle_local_date(at, f->tz);
    return 0;
}

int cmpl_first_dates(store *s, const model *m, const cycle_rules *r, period_t p, int **out, err_t *e)
{
    size_t cells = m->nunits * m->ninds;
    first_ctx f = { .m = m, .tz = r->tz_minutes, .dates = calloc(cells ? cells : 1, sizeof(int)) };
    char code[PERIOD_CODE_MAX];
    *out = NULL;
    if (f.dates == NULL)
        return err_set(e, "out of memory");
    period_code(p, code, sizeof code);
    if (store_first_writes(s, code, first_one, &f, e) != 0) {
        free(f.dates);
        return -1;
    }
    *out = f.dates;
    return 0;
}

/* cmpl_run, with or without the items. */
static int run(store *s, const model *m, const cycle_rules *r, int unit, period_t p, int no_items,
               cmpl_result *out, err_t *e)
{
    int *first = NULL;
    memset(out, 0, sizeof *out);
    if (m->firsts) {             /* a server: the dates it keeps, read once per period */
        cmpl_kept *k = NULL;
        if (cmpl_kept_get(m->firsts, s, m, r->tz_minutes, p, &k, e) != 0)
            return -1;
        int rc = compute(m, r, unit, p, NULL, k, no_items, out, e);
        cmpl_kept_release(m->firsts, k);
        return rc;
    }
    if (cmpl_first_dates(s, m, r, p, &first, e) != 0)
        return -1;
    int rc = compute(m, r, unit, p, first, NULL, no_items, out, e);
    free(first);
    return rc;
}

int cmpl_run(store *s, const model *m, const cycle_rules *r, int unit, period_t p, cmpl_result *out,
             err_t *e)
{
    return run(s, m, r, unit, p, 0, out, e);
}

int cmpl_run_counts(store *s, const model *m, const cycle_rules *r, int unit, period_t p, cmpl_result *out,
                    err_t *e)
{
    return run(s, m, r, unit, p, 1, out, e);
}

void cmpl_summary(const cmpl_count *c, int lang, buf *out)
{
    if (lang == LANG_EN)
        buf_printf(out, "%d/%d units reported in full, %d late", c->leaves_complete, c->leaves, c->leaves_late);
    else
        buf_printf(out, "%d/%d đơn vị đã báo cáo đủ, %d trễ hạn", c->leaves_complete, c->leaves, c->leaves_late);
}

static void iso_date(int ymd, char *out, size_t n)
{
    snprintf(out, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

json_t *cmpl_row_json(const model *m, const cmpl_result *res, const cmpl_row *row)
{
    char code[PERIOD_CODE_MAX], dl[16];
    period_code(res->p, code, sizeof code);
    iso_date(res->deadline, dl, sizeof dl);
    const cmpl_count *c = &row->c;
    return json_pack("{s:s,s:s,s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "unit", m->units[row->unit].code, "name",
                     m->units[row->unit].name, "period", code, "deadline", dl, "expected", c->expected, "reported",
                     c->reported, "on_time", c->on_time, "late", c->late, "missing", c->missing, "units", c->leaves,
                     "units_complete", c->leaves_complete, "units_late", c->leaves_late);
}

json_t *cmpl_item_json(const model *m, const cmpl_item *it)
{
    char d[16];
    iso_date(it->date, d, sizeof d);
    return json_pack("{s:s,s:s,s:s,s:o}", "unit", m->units[it->unit].code, "indicator", m->inds[it->ind].code,
                     "state", cmpl_state_key(it->state), "first_write", it->date ? json_string(d) : json_null());
}
