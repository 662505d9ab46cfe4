/* model.c - the in-memory domain (see model.h).
 *
 * Units and indicators live in growable arrays indexed by position; a code ->
 * index open-addressing table sits beside each.  Targets and values live in a
 * cellmap: a dense array of cells plus an open-addressing table keyed by
 * (indicator, unit, period).  Replacing an entry overwrites it in place, so
 * indexes never move.  model_finish() derives everything else (tree links,
 * depths, compiled formulas) from the codes, so it can be run again after
 * more puts.
 */
#include "model.h"
#include "engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixed.h"
#include "mem.h"
#include "vn.h"

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "");
    char *p = malloc(n + 1);
    if (p) {
        if (n)
            memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static uint32_t hash_cell(int ind, int unit, period_t p)
{
    uint64_t x = ((uint64_t)(uint32_t)unit << 32 | period_key(p)) ^ (uint64_t)(uint32_t)ind * 0x9e3779b97f4a7c15ULL;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return (uint32_t)x;
}

/* ---- code -> index tables ------------------------------------------------ */

typedef const char *(*code_of_fn)(const model *m, size_t i);
static const char *unit_code_of(const model *m, size_t i) { return m->units[i].code; }
static const char *ind_code_of(const model *m, size_t i) { return m->inds[i].code; }

static int index_find(const model *m, const uint32_t *slots, size_t nslots, code_of_fn code_of,
                      const char *code)
{
    if (nslots == 0 || code == NULL)
        return -1;
    size_t mask = nslots - 1;
    for (size_t i = hash_str(code) & mask;; i = (i + 1) & mask) {
        uint32_t s = slots[i];
        if (s == 0)
            return -1;
        if (strcmp(code_of(m, s - 1), code) == 0)
            return (int)(s - 1);
    }
}

/* Rebuilds the table over the `have` existing entries with room for n at most half full. */
static int index_rebuild(const model *m, uint32_t **slots, size_t *nslots, code_of_fn code_of,
                         size_t have, size_t n)
{
    size_t want = 16;
    while (want < n * 2 + 2)
        want *= 2;
    if (want <= *nslots && *slots)
        return 0;
    uint32_t *ns = calloc(want, sizeof *ns);
    if (ns == NULL)
        return -1;
    for (size_t k = 0; k < have; k++) {
        size_t i = hash_str(code_of(m, k)) & (want - 1);
        while (ns[i])
            i = (i + 1) & (want - 1);
        ns[i] = (uint32_t)(k + 1);
    }
    free(*slots);
    *slots = ns;
    *nslots = want;
    return 0;
}

static void index_insert(uint32_t *slots, size_t nslots, const char *code, size_t idx)
{
    size_t mask = nslots - 1;
    size_t i = hash_str(code) & mask;
    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = (uint32_t)(idx + 1);
}

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    /* the first block comes zeroed from calloc (for a big one, pages the kernel zeroes when first
     * touched), not written twice */
    void *p = *arr ? realloc(*arr, c * elem) : calloc(c, elem);
    if (p == NULL)
        return -1;
    mem_huge(p, c * elem);
    if (*arr)
        memset((char *)p + *cap * elem, 0, (c - *cap) * elem);
    *arr = p;
    *cap = c;
    return 0;
}

/* ---- cellmap -------------------------------------------------------------- */

/* A slot holds the cell's index + 1 in its low half and the key's hash in its high half, so a
 * probe reads a cell only when the hashes agree and a rehash reads no cell at all. */
#define SLOT(idx, h) (((uint64_t)(idx) + 1) | (uint64_t)(h) << 32)
#define SLOT_IDX(s) ((uint32_t)(s) - 1)

static int cellmap_find(const cellmap *cm, int ind, int unit, period_t p)
{
    if (cm->nslots == 0)
        return -1;
    size_t mask = cm->nslots - 1;
    uint32_t h = hash_cell(ind, unit, p);
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint64_t s = cm->slots[i];
        if (s == 0)
            return -1;
        if ((uint32_t)(s >> 32) != h)
            continue;
        const cell_t *c = &cm->cells[SLOT_IDX(s)];
        if (c->ind == ind && c->unit == unit && period_eq(c->per, p))
            return (int)SLOT_IDX(s);
    }
}

static int cellmap_rehash(cellmap *cm, size_t want)
{
    uint64_t *ns = calloc(want, sizeof *ns);
    if (ns == NULL)
        return -1;
    mem_huge(ns, want * sizeof *ns);
    for (size_t k = 0; k < cm->nslots; k++) {
        uint64_t s = cm->slots[k];
        if (s == 0)
            continue;
        size_t i = (s >> 32) & (want - 1);
        while (ns[i])
            i = (i + 1) & (want - 1);
        ns[i] = s;
    }
    free(cm->slots);
    cm->slots = ns;
    cm->nslots = want;
    return 0;
}

static int cellmap_reserve(cellmap *cm, size_t more)
{
    size_t need = cm->n + more, want = cm->nslots ? cm->nslots : 1024;
    while (need * 2 > want)
        want *= 2;
    if (want > cm->nslots && cellmap_rehash(cm, want) != 0)
        return -1;
    return grow((void **)&cm->cells, &cm->cap, need, sizeof *cm->cells);
}

/* Finds or appends the cell of (ind, unit, p) with one probe sequence; NULL on OOM. */
static cell_t *cellmap_upsert(cellmap *cm, int ind, int unit, period_t p, int *added)
{
    if ((cm->n + 1) * 2 > cm->nslots) {
        size_t want = cm->nslots ? cm->nslots * 2 : 1024;
        if (cm->n + 1 > UINT32_MAX - 1 || cellmap_rehash(cm, want) != 0)
            return NULL;
    }
    size_t mask = cm->nslots - 1;
    uint32_t h = hash_cell(ind, unit, p);
    size_t i = h & mask;
    for (; cm->slots[i]; i = (i + 1) & mask) {
        if ((uint32_t)(cm->slots[i] >> 32) != h)
            continue;
        cell_t *c = &cm->cells[SLOT_IDX(cm->slots[i])];
        if (c->ind == ind && c->unit == unit && period_eq(c->per, p)) {
            *added = 0;
            return c;
        }
    }
    if (grow((void **)&cm->cells, &cm->cap, cm->n + 1, sizeof *cm->cells) != 0)
        return NULL;
    cm->cells[cm->n] = (cell_t){ .ind = ind, .unit = unit, .per = p };
    cm->slots[i] = SLOT(cm->n, h);
    *added = 1;
    return &cm->cells[cm->n++];
}

/* The slot holding cell index idx of hash h (the cell exists). */
static size_t cellmap_slot_of(const cellmap *cm, size_t idx, uint32_t h)
{
    size_t mask = cm->nslots - 1, i = h & mask;
    while (SLOT_IDX(cm->slots[i]) != idx || cm->slots[i] == 0)
        i = (i + 1) & mask;
    return i;
}

/* Removes the cell of (ind, unit, p): the last cell moves into its place in the dense array and
 * its slot is emptied by shifting back the probe run behind it (no tombstones).  1 if removed. */
static int cellmap_remove(cellmap *cm, int ind, int unit, period_t p)
{
    int at = cellmap_find(cm, ind, unit, p);
    if (at < 0)
        return 0;
    size_t mask = cm->nslots - 1, idx = (size_t)at, last = cm->n - 1;
    size_t i = cellmap_slot_of(cm, idx, hash_cell(ind, unit, p));
    free(cm->cells[idx].comment);
    if (idx != last) {
        const cell_t *l = &cm->cells[last];
        uint32_t hl = hash_cell(l->ind, l->unit, l->per);
        cm->slots[cellmap_slot_of(cm, last, hl)] = SLOT(idx, hl);
        cm->cells[idx] = *l;
    }
    cm->n--;
    for (size_t j = i;;) {
        j = (j + 1) & mask;
        if (cm->slots[j] == 0)
            break;
        size_t home = (cm->slots[j] >> 32) & mask;
        /* the entry at j may fill the hole at i unless its home lies cyclically in (i, j] */
        int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        cm->slots[i] = cm->slots[j];
        i = j;
    }
    cm->slots[i] = 0;
    return 1;
}

int model_del_value(model *m, int ind, int unit, period_t p)
{
    return cellmap_remove(&m->values, ind, unit, p);
}

int model_cell_comment(cell_t *c, const char *comment)
{
    char *dup = NULL;
    if (comment && *comment && (dup = xstrdup(comment)) == NULL)
        return -1;
    free(c->comment);
    c->comment = dup;
    return 0;
}

static int cellmap_put(cellmap *cm, int ind, int unit, period_t p, double v, const char *comment, int *added)
{
    cell_t *c = cellmap_upsert(cm, ind, unit, p, added);
    if (c == NULL || model_cell_comment(c, comment) != 0)
        return -1;
    c->v = v;
    return 0;
}

/* Counts a new value cell in each of its years (model_has_values). */
static void count_years(model *m, period_t p)
{
    int b = p.kind == P_RANGE ? p.y2 : p.y;
    for (int y = p.y; y <= b; y++)
        if (y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX)
            m->year_values[y - PERIOD_YEAR_MIN]++;
}

int model_has_values(const model *m, period_t p)
{
    /* A range's figure comes from values reported for it (counted in each of its years) or
     * from every one of its years: a year without any value rules it out everywhere. */
    if (m->unloaded & 2)             /* STORE_VALUES: the values stayed in the database, unknown */
        return 1;
    int b = p.kind == P_RANGE ? p.y2 : p.y;
    for (int y = p.y; y <= b; y++)
        if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX || m->year_values[y - PERIOD_YEAR_MIN] == 0)
            return 0;
    return 1;
}

cell_t *model_value_upsert(model *m, int ind, int unit, period_t p, int *added)
{
    cell_t *c = cellmap_upsert(&m->values, ind, unit, p, added);
    if (c && *added)
        count_years(m, p);
    return c;
}

cell_t *model_target_upsert(model *m, int ind, int unit, period_t p, int *added)
{
    return cellmap_upsert(&m->targets, ind, unit, p, added);
}

cell_t *model_append_cell(model *m, int targets, int ind, int unit, period_t p)
{
    cellmap *cm = targets ? &m->targets : &m->values;
    if (cm->n + 1 > UINT32_MAX - 1 || grow((void **)&cm->cells, &cm->cap, cm->n + 1, sizeof *cm->cells) != 0)
        return NULL;
    if (!targets)
        count_years(m, p);
    cm->cells[cm->n] = (cell_t){ .ind = ind, .unit = unit, .per = p };
    return &cm->cells[cm->n++];
}

int model_index_appended(model *m, int targets, size_t from, void (*dup)(void *ctx, size_t cell, size_t first),
                         void *ctx)
{
    cellmap *cm = targets ? &m->targets : &m->values;
    size_t want = cm->nslots ? cm->nslots : 1024;
    while (cm->n * 2 > want)
        want *= 2;
    if (want > cm->nslots && cellmap_rehash(cm, want) != 0)
        return -1;
    size_t mask = cm->nslots - 1;
    enum { AHEAD = 16 };                 /* each probe is a cache miss: start it early */
    for (size_t k = from; k < cm->n; k++) {
        if (k + AHEAD < cm->n) {
            const cell_t *a = &cm->cells[k + AHEAD];
            __builtin_prefetch(&cm->slots[hash_cell(a->ind, a->unit, a->per) & mask], 1);
        }
        const cell_t *c = &cm->cells[k];
        uint32_t h = hash_cell(c->ind, c->unit, c->per);
        size_t i = h & mask;
        for (; cm->slots[i]; i = (i + 1) & mask) {
            const cell_t *o = &cm->cells[SLOT_IDX(cm->slots[i])];
            if ((uint32_t)(cm->slots[i] >> 32) == h && o->ind == c->ind && o->unit == c->unit &&
                period_eq(o->per, c->per))
                break;
        }
        if (cm->slots[i])
            dup(ctx, k, SLOT_IDX(cm->slots[i]));
        else
            cm->slots[i] = SLOT(k, h);
    }
    return 0;
}

static void cellmap_free(cellmap *cm)
{
    for (size_t i = 0; i < cm->n; i++)
        free(cm->cells[i].comment);
    free(cm->cells);
    free(cm->slots);
    memset(cm, 0, sizeof *cm);
}

/* ---- public --------------------------------------------------------------- */

model *model_new(void) { return calloc(1, sizeof(model)); }

static void unit_clear(unit_t *u)
{
    free(u->code);
    free(u->name);
    free(u->type);
    free(u->parent_code);
}

static void ind_clear(ind_t *d)
{
    free(d->code);
    free(d->name);
    free(d->group);
    free(d->set);
    free(d->measure);
    free(d->parent_code);
    free(d->formula_src);
    formula_free(d->f);
    free(d->fvars);
}

void model_free(model *m)
{
    if (m)
        engine_free(m->engine);
    if (m == NULL)
        return;
    if (m->firsts_free)
        m->firsts_free(m->firsts);
    for (size_t i = 0; i < m->nunits; i++)
        unit_clear(&m->units[i]);
    for (size_t i = 0; i < m->ninds; i++)
        ind_clear(&m->inds[i]);
    for (size_t i = 0; i < m->nterms; i++)
        free(m->terms[i].name);
    free(m->units);
    free(m->inds);
    free(m->terms);
    free(m->succs);
    free(m->succ_in);
    free(m->succ_out);
    free(m->succ_in_at);
    free(m->succ_out_at);
    free(m->unit_slots);
    free(m->ind_slots);
    cellmap_free(&m->values);
    cellmap_free(&m->targets);
    free(m);
}

int model_unit_find(const model *m, const char *code)
{
    return index_find(m, m->unit_slots, m->unit_nslots, unit_code_of, code);
}

int model_ind_find(const model *m, const char *code)
{
    return index_find(m, m->ind_slots, m->ind_nslots, ind_code_of, code);
}

int model_put_unit(model *m, const char *code, const char *name, const char *parent_code,
                   const char *type, int valid_from, int valid_to)
{
    unit_t u = { 0 };
    u.code = xstrdup(code);
    u.name = xstrdup(name);
    u.type = xstrdup(type);
    u.parent_code = xstrdup(parent_code);
    u.parent = u.first_child = u.next_sibling = -1;
    u.valid_from = valid_from;
    u.valid_to = valid_to;
    if (!u.code || !u.name || !u.type || !u.parent_code)
        goto fail;
    int at = model_unit_find(m, code);
    if (at >= 0) {
        unit_clear(&m->units[at]);
        m->units[at] = u;
        m->finished = 0;
        return at;
    }
    if (grow((void **)&m->units, &m->capunits, m->nunits + 1, sizeof *m->units) != 0)
        goto fail;
    if ((m->nunits + 1) * 2 + 2 > m->unit_nslots &&
        index_rebuild(m, &m->unit_slots, &m->unit_nslots, unit_code_of, m->nunits, m->nunits + 1) != 0)
        goto fail;
    m->units[m->nunits] = u;
    index_insert(m->unit_slots, m->unit_nslots, u.code, m->nunits);
    m->finished = 0;
    return (int)m->nunits++;
fail:
    unit_clear(&u);
    return -1;
}

int model_put_ind(model *m, const ind_t *def)
{
    ind_t d = *def;
    d.code = xstrdup(def->code);
    d.name = xstrdup(def->name);
    d.group = xstrdup(def->group);
    d.set = xstrdup(def->set);
    d.measure = xstrdup(def->measure);
    d.parent_code = xstrdup(def->parent_code);
    d.formula_src = xstrdup(def->formula_src);
    d.f = NULL;
    d.fvars = NULL;
    d.parent = -1;
    d.nchildren = 0;
    if (!d.code || !d.name || !d.group || !d.set || !d.measure || !d.parent_code || !d.formula_src)
        goto fail;
    int at = model_ind_find(m, d.code);
    if (at >= 0) {
        ind_clear(&m->inds[at]);
        m->inds[at] = d;
        m->finished = 0;
        return at;
    }
    if (grow((void **)&m->inds, &m->capinds, m->ninds + 1, sizeof *m->inds) != 0)
        goto fail;
    if ((m->ninds + 1) * 2 + 2 > m->ind_nslots &&
        index_rebuild(m, &m->ind_slots, &m->ind_nslots, ind_code_of, m->ninds, m->ninds + 1) != 0)
        goto fail;
    m->inds[m->ninds] = d;
    index_insert(m->ind_slots, m->ind_nslots, d.code, m->ninds);
    m->finished = 0;
    return (int)m->ninds++;
fail:
    ind_clear(&d);
    return -1;
}

int model_put_term(model *m, period_t per, const char *name)
{
    char *dup = xstrdup(name);
    if (dup == NULL)
        return -1;
    for (size_t i = 0; i < m->nterms; i++)
        if (period_eq(m->terms[i].per, per)) {
            free(m->terms[i].name);
            m->terms[i].name = dup;
            return 0;
        }
    if (grow((void **)&m->terms, &m->capterms, m->nterms + 1, sizeof *m->terms) != 0) {
        free(dup);
        return -1;
    }
    m->terms[m->nterms++] = (term_t){ per, dup };
    return 0;
}

int model_put_succ(model *m, int from, int to, int date, double share)
{
    for (size_t i = 0; i < m->nsuccs; i++) {
        succ_t *x = &m->succs[i];
        if (x->from == from && x->to == to && x->date == date) {
            x->share = share;
            m->finished = 0;
            return (int)i;
        }
    }
    if (grow((void **)&m->succs, &m->capsuccs, m->nsuccs + 1, sizeof *m->succs) != 0)
        return -1;
    m->succs[m->nsuccs] = (succ_t){ from, to, date, share, -1, 0 };
    m->finished = 0;
    return (int)m->nsuccs++;
}

int model_del_succs(model *m, int from, int date)
{
    size_t kept = 0;
    for (size_t i = 0; i < m->nsuccs; i++)
        if (m->succs[i].from != from || m->succs[i].date != date)
            m->succs[kept++] = m->succs[i];
    int gone = (int)(m->nsuccs - kept);
    m->nsuccs = kept;
    if (gone)
        m->finished = 0;
    return gone;
}

static const int *succ_run(const model *m, const int *idx, const int *at, int u, int *n)
{
    if (!m->finished || idx == NULL || at == NULL || u < 0 || (size_t)u >= m->nunits) {
        *n = 0;
        return NULL;
    }
    *n = at[u + 1] - at[u];
    return idx + at[u];
}

const int *model_preds(const model *m, int u, int *n)
{
    return succ_run(m, m->succ_in, m->succ_in_at, u, n);
}

const int *model_succs(const model *m, int u, int *n)
{
    return succ_run(m, m->succ_out, m->succ_out_at, u, n);
}

int model_reserve(model *m, size_t n, size_t t)
{
    return cellmap_reserve(&m->values, n) || cellmap_reserve(&m->targets, t) ? -1 : 0;
}

int model_put_value(model *m, int ind, int unit, period_t p, double v, const char *comment)
{
    int added;
    if (cellmap_put(&m->values, ind, unit, p, v, comment, &added) != 0)
        return -1;
    if (added)
        count_years(m, p);
    return 0;
}

int model_put_target(model *m, int ind, int unit, period_t p, double v)
{
    int added;
    return cellmap_put(&m->targets, ind, unit, p, v, NULL, &added);
}

void model_prefetch(const model *m, int targets, int ind, int unit, period_t p)
{
    const cellmap *cm = targets ? &m->targets : &m->values;
    if (cm->nslots)
        __builtin_prefetch(&cm->slots[hash_cell(ind, unit, p) & (cm->nslots - 1)], 1);
}

const cell_t *model_value(const model *m, int ind, int unit, period_t p, cell_t *tmp)
{
    int at = cellmap_find(&m->values, ind, unit, p);
    if (at >= 0)
        return &m->values.cells[at];
    int64_t fx;
    if (!m->held || engine_reported(m->engine, ind, unit, p, &fx) != 1 || fx == FX_OVER)
        return NULL;
    *tmp = (cell_t){ .ind = ind, .unit = unit, .per = p, .v = fx_val(fx) };
    return tmp;
}

/* A target as the engine holds it (fx_round: whole steps of the indicator's decimals) in 10^-4. */
static int64_t target_fx(int64_t steps, int decimals)
{
    static const int64_t step[4] = { 10000, 1000, 100, 10 };
    return decimals >= 4 ? steps : steps * step[decimals < 0 ? 0 : decimals];
}

const cell_t *model_target(const model *m, int ind, int unit, period_t p, cell_t *tmp)
{
    int at = cellmap_find(&m->targets, ind, unit, p);
    if (at >= 0)
        return &m->targets.cells[at];
    int64_t steps;
    if (!m->held || p.kind != P_YEAR || engine_target(m->engine, ind, unit, p.y, &steps) != 1)
        return NULL;
    *tmp = (cell_t){ .ind = ind, .unit = unit, .per = p, .v = fx_val(target_fx(steps, m->inds[ind].decimals)) };
    return tmp;
}

/* ---- cells held by the engine (model.h) ---- */

int model_hold_value_exact(double v, int64_t *fx)
{
    *fx = fx_of_value(v);
    return *fx != FX_OVER && fx_val(*fx) == v && !(v == 0 && signbit(v));
}

int model_hold_target_exact(double v, int decimals, int64_t *fx)
{
    *fx = fx_of(v);
    return !fx_too_large(v) && target_fx(fx_round(*fx, decimals), decimals) == *fx && fx_val(*fx) == v &&
           !(v == 0 && signbit(v));
}

int model_set_value(model *m, int ind, int unit, period_t p, double v, const char *comment, err_t *e)
{
    int64_t fx;
    if (!m->held) {
        if (model_put_value(m, ind, unit, p, v, comment) != 0)
            return err_set(e, "out of memory");
        /* the engine follows at once: this unit and its ancestors, this year (engine.h) */
        return m->engine ? engine_update(m->engine, m, ind, unit, p, e) : 0;
    }
    int slot = engine_reported(m->engine, ind, unit, p, &fx) >= 0;   /* p has a slot there */
    if (!slot || (comment && *comment) || !model_hold_value_exact(v, &fx)) {
        if (model_put_value(m, ind, unit, p, v, comment) != 0)
            return err_set(e, "out of memory");
    } else {
        cellmap_remove(&m->values, ind, unit, p);
        count_years(m, p);
    }
    return slot ? engine_set_value(m->engine, ind, unit, p, 1, fx_of_value(v), e) : 0;
}

int model_unset_value(model *m, int ind, int unit, period_t p, err_t *e)
{
    int64_t fx;
    int had = cellmap_remove(&m->values, ind, unit, p);
    if (m->held && engine_reported(m->engine, ind, unit, p, &fx) == 1)
        had = 1;
    if (m->engine && (m->held ? engine_set_value(m->engine, ind, unit, p, 0, 0, e)
                              : engine_update(m->engine, m, ind, unit, p, e)) != 0)
        return -1;
    return had;
}

int model_set_target(model *m, int ind, int unit, period_t p, double v, err_t *e)
{
    int64_t fx;
    if (!m->held || !engine_covers(m->engine, p) || p.kind != P_YEAR ||
        !model_hold_target_exact(v, m->inds[ind].decimals, &fx)) {
        if (model_put_target(m, ind, unit, p, v) != 0)
            return err_set(e, "out of memory");
    } else
        cellmap_remove(&m->targets, ind, unit, p);
    if (m->held)
        return engine_set_target(m->engine, ind, unit, p, 1, fx_of(v), e);
    return m->engine ? engine_update_target(m->engine, m, ind, unit, p, e) : 0;
}

typedef struct each_ctx {
    const model *m;
    const cellmap *side;
    int targets;
    int (*fn)(void *, const cell_t *);
    void *ctx;
} each_ctx;

static int each_held(void *arg, int ind, int unit, period_t p, int64_t fx)
{
    each_ctx *x = arg;
    if (fx == FX_OVER || (x->side->n && cellmap_find(x->side, ind, unit, p) >= 0))
        return 0;                        /* the map's cell, already visited */
    cell_t c = { .ind = ind, .unit = unit, .per = p,
                 .v = fx_val(x->targets ? target_fx(fx, x->m->inds[ind].decimals) : fx) };
    return x->fn(x->ctx, &c);
}

static int latest_cell(void *ctx, const cell_t *c)
{
    int *y = ctx;
    if (c->per.kind != P_RANGE && c->per.y > *y)
        *y = c->per.y;
    return 0;
}

int model_latest_year(const model *m)
{
    int y = 0;
    for (size_t i = 0; i < m->values.n; i++)
        latest_cell(&y, &m->values.cells[i]);
    if (!m->held)
        return y;
    int e = engine_last_year(m->engine);      /* one pass over the held keys, no cells made */
    return e > y ? e : y;
}

int model_each_cell(const model *m, int targets, int y_from, int y_to, int (*fn)(void *ctx, const cell_t *c),
                    void *ctx)
{
    const cellmap *cm = targets ? &m->targets : &m->values;
    for (size_t i = 0; i < cm->n; i++) {
        int r = fn(ctx, &cm->cells[i]);
        if (r)
            return r;
    }
    if (!m->held)
        return 0;
    each_ctx x = { m, cm, targets, fn, ctx };
    return engine_each_reported(m->engine, targets, y_from, y_to, each_held, &x);
}

const term_t *model_term(const model *m, period_t p)
{
    for (size_t i = 0; i < m->nterms; i++)
        if (period_eq(m->terms[i].per, p))
            return &m->terms[i];
    return NULL;
}

int model_period_label(const model *m, period_t p, int lang, char *out, size_t len)
{
    int en = lang == 1, n = -1;
    if (len == 0)
        return 0;
    const term_t *t = p.kind == P_RANGE && m ? model_term(m, p) : NULL;
    if (t && t->name && t->name[0])
        n = snprintf(out, len, "%s", t->name);
    else if (t)
        n = snprintf(out, len, en ? "Term %d\xE2\x80\x93%d" : "Nhiệm kỳ %d\xE2\x80\x93%d", p.y, p.y2);
    for (size_t i = 0; p.kind == P_RANGE && m && !t && n < 0 && i < m->nterms; i++) {
        period_t q = m->terms[i].per;
        if (q.y == p.y && period_contains(q, p) && !period_eq(q, p))
            n = snprintf(out, len, en ? "Mid-term of %d\xE2\x80\x93%d (%d\xE2\x80\x93%d)"
                                      : "Giữa nhiệm kỳ %d\xE2\x80\x93%d (giai đoạn %d\xE2\x80\x93%d)",
                         q.y, q.y2, p.y, p.y2);
    }
    if (n < 0)
        return period_label(p, lang, out, len);
    return (size_t)n >= len ? (int)len - 1 : n;
}

int model_unit_valid(const model *m, int unit, period_t p)
{
    const unit_t *u = &m->units[unit];
    if (u->valid_from && u->valid_from > period_end(p))
        return 0;
    if (u->valid_to && u->valid_to < period_start(p))
        return 0;
    return 1;
}

int model_unit_valid_why(const model *m, int unit, period_t p, buf *why)
{
    if (model_unit_valid(m, unit, p))
        return 1;
    const unit_t *u = &m->units[unit];
    buf_adds(why, tr("đơn vị không có hiệu lực ngày nào trong kỳ này (hiệu lực ",
                     "the unit is not valid on any day of this period (valid "));
    if (u->valid_from) {
        buf_adds(why, tr("từ ", "from "));
        vn_format_date(u->valid_from, (int)lang_get(), why);
        buf_adds(why, u->valid_to ? " " : "");
    }
    if (u->valid_to) {
        buf_adds(why, tr("đến ", "to "));
        vn_format_date(u->valid_to, (int)lang_get(), why);
    }
    if (u->valid_from && u->valid_from > period_end(p))     /* before it began: its predecessors' */
        buf_adds(why, tr("): số liệu này không được tính vào đâu; số liệu trước khi đơn vị được thành lập nhập cho "
                         "đơn vị tiền thân (chitieu units, cột tiền thân)",
                         "): the figure would count nowhere; before the unit began enter it for its predecessors "
                         "(chitieu units, predecessors column)"));
    else
        buf_adds(why, tr("): số liệu này không được tính vào đâu; số liệu sau khi sắp xếp nhập cho đơn vị kế thừa "
                         "(chitieu units, cột kế thừa)",
                         "): the figure would count nowhere; after a reorganisation enter it for the successor "
                         "(chitieu units, successors column)"));
    return 0;
}

/* ---- finishing ------------------------------------------------------------ */

/* A unit with its Vietnamese sort key, built once (not per comparison); kp points into the
 * keys buffer once it has stopped growing. */
typedef struct named { int idx; const char *code; size_t key, keylen; const char *kp; } named;

static int cmp_named(const void *a, const void *b)
{
    const named *x = a, *y = b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = memcmp(x->kp, y->kp, n);
    if (c == 0)
        c = x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
    return c ? c : strcmp(x->code, y->code);
}

static int link_units(model *m, err_t *e)
{
    int rc = -1;
    named *order = NULL;
    buf keys = BUF_INIT;
    for (size_t i = 0; i < m->nunits; i++) {
        unit_t *u = &m->units[i];
        u->first_child = u->next_sibling = -1;
        u->nchildren = 0;
        u->parent = -1;
        if (u->parent_code[0] == '\0')
            continue;
        u->parent = model_unit_find(m, u->parent_code);
        if (u->parent < 0) {
            err_set(e, tr("đơn vị '%s': không có đơn vị cấp trên '%s'",
                          "unit '%s': parent unit '%s' does not exist"), u->code, u->parent_code);
            goto cleanup;
        }
    }
    /* Cycle check and depth: walk up from each unit; a walk longer than nunits is a cycle. */
    for (size_t i = 0; i < m->nunits; i++) {
        int d = 0;
        for (int p = m->units[i].parent; p >= 0; p = m->units[p].parent)
            if ((size_t)++d > m->nunits) {
                err_set(e, tr("đơn vị '%s': cây đơn vị có vòng lặp (đơn vị là cấp trên của chính nó)",
                              "unit '%s': the unit tree has a cycle (a unit is its own ancestor)"),
                        m->units[i].code);
                goto cleanup;
            }
        m->units[i].depth = d;
    }
    /* Children lists in Vietnamese name order: insert in reverse sorted order at the head. */
    order = malloc((m->nunits + 1) * sizeof *order);
    if (order == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < m->nunits; i++) {
        size_t at = keys.len;
        if (vn_sort_key(m->units[i].name, strlen(m->units[i].name), &keys) != 0)
            buf_add(&keys, m->units[i].name, strlen(m->units[i].name)); /* invalid UTF-8: raw bytes */
        order[i] = (named){ (int)i, m->units[i].code, at, keys.len - at, NULL };
    }
    for (size_t i = 0; i < m->nunits; i++)
        order[i].kp = buf_str(&keys) + order[i].key;
    qsort(order, m->nunits, sizeof *order, cmp_named);
    for (size_t k = m->nunits; k-- > 0;) {
        unit_t *u = &m->units[order[k].idx];
        if (u->parent < 0)
            continue;
        unit_t *p = &m->units[u->parent];
        u->next_sibling = p->first_child;
        p->first_child = order[k].idx;
        p->nchildren++;
    }
    rc = 0;
cleanup:
    free(order);
    buf_free(&keys);
    return rc;
}

/* Depth-first search over formula references: 0 unvisited, 1 on stack, 2 done. */
static int formula_cycle(const model *m, int i, unsigned char *mark)
{
    if (mark[i] == 2)
        return 0;
    if (mark[i] == 1)
        return 1;
    mark[i] = 1;
    const ind_t *d = &m->inds[i];
    for (int k = 0; d->f && k < formula_nvars(d->f); k++)
        if (formula_cycle(m, d->fvars[k], mark))
            return 1;
    mark[i] = 2;
    return 0;
}

static int link_inds(model *m, err_t *e)
{
    int rc = -1;
    unsigned char *mark = NULL;
    for (size_t i = 0; i < m->ninds; i++) {
        ind_t *d = &m->inds[i];
        d->parent = -1;
        d->nchildren = 0;
        formula_free(d->f);
        d->f = NULL;
        free(d->fvars);
        d->fvars = NULL;
    }
    for (size_t i = 0; i < m->ninds; i++) {
        ind_t *d = &m->inds[i];
        if (d->parent_code[0]) {
            d->parent = model_ind_find(m, d->parent_code);
            if (d->parent < 0) {
                err_set(e, tr("chỉ tiêu '%s': không có chỉ tiêu cha '%s'",
                              "indicator '%s': parent indicator '%s' does not exist"),
                        d->code, d->parent_code);
                goto cleanup;
            }
            if (d->parent == (int)i || m->inds[d->parent].parent_code[0]) {
                err_set(e, tr("chỉ tiêu '%s': chỉ tiêu cha '%s' phải là chỉ tiêu chính (chỉ một cấp thành phần)",
                              "indicator '%s': parent '%s' must be a main indicator (one level of components)"),
                        d->code, d->parent_code);
                goto cleanup;
            }
            m->inds[d->parent].nchildren++;
        }
        if (d->formula_src[0] == '\0')
            continue;
        if (formula_parse(d->formula_src, &d->f, e) != 0) {
            err_prefix(e, tr("chỉ tiêu '%s', công thức", "indicator '%s', formula"), d->code);
            goto cleanup;
        }
        int n = formula_nvars(d->f);
        d->fvars = malloc(((size_t)n + 1) * sizeof *d->fvars);
        if (d->fvars == NULL) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        for (int k = 0; k < n; k++) {
            d->fvars[k] = model_ind_find(m, formula_var(d->f, k));
            if (d->fvars[k] < 0) {
                err_set(e, tr("chỉ tiêu '%s': công thức dùng mã chỉ tiêu chưa có '%s' (mã có '-' hoặc bắt đầu bằng số viết trong ngoặc nhọn: {KT-01}, {1.2})",
                              "indicator '%s': the formula uses an unknown indicator code '%s' (quote codes with '-' or a leading digit in braces: {KT-01}, {1.2})"),
                        d->code, formula_var(d->f, k));
                goto cleanup;
            }
        }
    }
    mark = calloc(m->ninds + 1, 1);
    if (mark == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < m->ninds; i++)
        if (formula_cycle(m, (int)i, mark)) {
            err_set(e, tr("chỉ tiêu '%s': công thức tham chiếu vòng tròn",
                          "indicator '%s': circular formula reference"), m->inds[i].code);
            goto cleanup;
        }
    rc = 0;
cleanup:
    free(mark);
    return rc;
}

/* Groups succession indexes by one end (`to` when by_to, else `from`), each group by date:
 * idx gets the indexes, at[u]..at[u+1] each unit's run (a counting sort, stable). */
static int index_succs(const model *m, int by_to, int **idx, int **at)
{
    free(*idx);
    free(*at);
    *idx = malloc((m->nsuccs + 1) * sizeof **idx);
    *at = calloc(m->nunits + 2, sizeof **at);
    if (*idx == NULL || *at == NULL)
        return -1;
    for (size_t i = 0; i < m->nsuccs; i++)
        (*at)[(by_to ? m->succs[i].to : m->succs[i].from) + 1]++;
    for (size_t u = 0; u < m->nunits; u++)
        (*at)[u + 1] += (*at)[u];
    int *fill = malloc((m->nunits + 1) * sizeof *fill);
    if (fill == NULL)
        return -1;
    memcpy(fill, *at, m->nunits * sizeof *fill);
    for (size_t i = 0; i < m->nsuccs; i++)
        (*idx)[fill[by_to ? m->succs[i].to : m->succs[i].from]++] = (int)i;
    free(fill);
    for (size_t u = 0; u < m->nunits; u++) /* by date: runs are short, insertion sort */
        for (int k = (*at)[u] + 1; k < (*at)[u + 1]; k++)
            for (int j = k; j > (*at)[u] && m->succs[(*idx)[j - 1]].date > m->succs[(*idx)[j]].date; j--) {
                int t = (*idx)[j];
                (*idx)[j] = (*idx)[j - 1];
                (*idx)[j - 1] = t;
            }
    return 0;
}

/* Depth-first search from unit u along successions: 0 unvisited, 1 on stack, 2 done; on a
 * cycle, *on gets a succession on it. */
static int succ_cycle(const model *m, int u, unsigned char *mark, int *on)
{
    if (mark[u] == 2)
        return 0;
    if (mark[u] == 1)
        return 1;
    mark[u] = 1;
    int n;
    const int *out = m->succ_out + m->succ_out_at[u];
    n = m->succ_out_at[u + 1] - m->succ_out_at[u];
    for (int k = 0; k < n; k++)
        if (succ_cycle(m, m->succs[out[k]].to, mark, on)) {
            if (*on < 0)
                *on = out[k];
            return 1;
        }
    mark[u] = 2;
    return 0;
}

static int link_succs(model *m, err_t *e)
{
    m->succ_last_date = 0;
    m->succ_cycle = -1;
    for (size_t i = 0; i < m->nsuccs; i++) {
        const succ_t *x = &m->succs[i];
        if (x->from < 0 || (size_t)x->from >= m->nunits || x->to < 0 || (size_t)x->to >= m->nunits)
            return err_set(e, "succession %zu: unit index out of range", i);
        if (x->date > m->succ_last_date)
            m->succ_last_date = x->date;
    }
    if (index_succs(m, 1, &m->succ_in, &m->succ_in_at) != 0 ||
        index_succs(m, 0, &m->succ_out, &m->succ_out_at) != 0)
        return err_set(e, "out of memory");
    unsigned char *mark = calloc(m->nunits + 1, 1);
    if (mark == NULL)
        return err_set(e, "out of memory");
    int rc = 0;
    for (size_t u = 0; u < m->nunits && rc == 0; u++)
        if (succ_cycle(m, (int)u, mark, &m->succ_cycle))
            rc = err_set(e, tr("đơn vị '%s': chuỗi kế thừa có vòng lặp (đơn vị kế thừa chính nó)",
                               "unit '%s': the successions have a cycle (a unit succeeds itself)"),
                         m->units[m->succs[m->succ_cycle].from].code);
    free(mark);
    return rc;
}

int model_finish(model *m, err_t *e)
{
    if (link_units(m, e) != 0 || link_inds(m, e) != 0 || link_succs(m, e) != 0) {
        m->finished = 0;
        return -1;
    }
    m->finished = 1;
    return 0;
}

/* ---- enums ----------------------------------------------------------------- */

static const char *const dir_names[] = { "up", "down", "equal", "done" };
static const char *const agg_names[] = { "sum", "avg", "min", "max", "none", "last" };

int model_dir_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, dir_names[i]) == 0)
            return i;
    return -1;
}

int model_agg_parse(const char *s)
{
    for (int i = 0; i < 6; i++)
        if (strcmp(s, agg_names[i]) == 0)
            return i;
    return -1;
}

const char *model_dir_name(int dir) { return dir >= 0 && dir < 4 ? dir_names[dir] : "?"; }
const char *model_agg_name(int agg) { return agg >= 0 && agg < 6 ? agg_names[agg] : "?"; }

int model_partial_parse(const char *s)
{
    if (strcmp(s, "mark") == 0)
        return PM_MARK;
    if (strcmp(s, "withhold") == 0)
        return PM_WITHHOLD;
    return strcmp(s, "default") == 0 ? PM_DEFAULT : -1;
}
