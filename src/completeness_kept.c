/* completeness_kept.c - the first-write dates of stored values, kept in a server's memory
 * (completeness.h, "Kept by a server").
 *
 * Data flow: the first time a period is asked for (with a time zone), one pass over the model's
 * cells of its span marks which unit has a target or a value of each indicator and collects the
 * cells of the period itself; their first writes are read into a hash map (cell = unit * ninds +
 * ind -> local date), one indexed read a cell when they are few (store_first_writes_of), else by
 * one scan of the period's values (store_first_writes): only a cell the model holds as a value is
 * ever asked its date.  Every change of a figure the server applies afterwards, its own saves and other
 * servers' through the change feed, passes write_apply_cell, which calls cmpl_firsts_touch: a
 * value of the period is queued on its kept map, a figure in the span sets its flag (a deleted
 * one makes the flags be marked again) and forgets the counts kept for the unit (and, for a
 * target, for its children, which may report against it).  The next reader reads each queued
 * cell's first write again from the database (store_first_write, one indexed read), so a map
 * never answers from before a change the model has; too many queued cells, or a catalogue of
 * another size, and the period is scanned afresh.  A leaf unit's counts (expected, reported,
 * late) depend on its own cells, its parent's targets, the dates and the deadline only: they
 * are kept per period until a touch of the unit or another deadline.
 *
 * A server's first read of a period (cmpl_scan, the prewarm) runs with no lock on the model: the
 * codes copied, the read registered on the cache first so touches of that period's values queue
 * for it (f->scan) and touches of its span set its flags, the flags marked and the cells collected
 * a piece at a time, the dates read, then kept with those queued; a reader asking for that period
 * meanwhile waits for it (f->scan_done).
 *
 * Locking: the cache's mutex is held from cmpl_kept_get to cmpl_kept_release (one reader at a
 * time computes from it) and by each touch; touches run under the model's write lock, readers
 * under its read lock (cmpl_scan_run under none: it reads only its own copy and the store).
 * Ownership: the cache owns its maps; the model owns the cache (model.firsts, freed by
 * model_free); a read under way (cmpl_scan) is its caller's, the cache holds only its token. */
#include "completeness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cycle_store.h"
#include "engine.h"

#define KEPT_PERIODS 8           /* maps kept; the least recently used beyond this one goes */
#define KEPT_TOUCH_MAX 50000     /* more queued cells than this: the period is scanned again */

struct cmpl_kept {
    uint32_t pkey;               /* period_key of the period */
    int tz;                      /* minutes east of UTC the dates are local to */
    size_t nunits, ninds;        /* the model's sizes when scanned */
    uint32_t *keys;              /* open addressing: cell + 1, 0 = empty */
    int *dates;
    size_t cap, n;
    uint32_t *touched;           /* cells changed since they were read */
    size_t ntouched, captouched;
    int stale;                   /* too many changes: scan again */
    period_t span;               /* cmpl_span of the period */
    unsigned char *flags[2];     /* cmpl_mark_cells of the span: values [0], targets [1] */
    int flags_ok;                /* 0: mark them again (a value was deleted) */
    int marking;                 /* being marked a piece at a time (cmpl_scan_mark): units below
                                    mark_next are; a touch sets its flag, a deletion stops it */
    size_t mark_next;
    int *leaf;                   /* per unit: expected, reported, late (3 ints) */
    unsigned char *leaf_ok;      /* per unit: leaf holds its counts for leaf_deadline */
    int leaf_deadline;
    uint64_t used;               /* when it was last asked for (the cache's tick) */
    struct cmpl_kept *next;
};

struct cmpl_firsts {
    pthread_mutex_t mx;
    cmpl_kept *list;
    uint64_t tick;
    /* a read of one period's dates with no model lock (cmpl_scan): its token, and the cells of
     * that period's values touched since it began (read again once it is kept) */
    const void *scan;
    uint32_t scan_pkey;
    uint32_t *scan_touched;
    size_t scan_n, scan_cap;
    int scan_stale;              /* too many, or out of memory: the read is not kept */
    unsigned char *scan_flags[2];  /* its flags (marked while it collects): a touch sets them */
    period_t scan_span;
    size_t scan_nunits, scan_ninds;
    int scan_flags_bad;          /* a value deleted meanwhile: they are marked again after */
    int read_by;                 /* cmpl_firsts_read_by: 0 the cheaper, 1 cell by cell, 2 scan */
    pthread_cond_t scan_done;    /* signalled when the read under way ends (kept or not) */
};

cmpl_firsts *cmpl_firsts_new(void)
{
    cmpl_firsts *f = calloc(1, sizeof *f);
    if (f) {
        pthread_mutex_init(&f->mx, NULL);
        pthread_cond_init(&f->scan_done, NULL);
    }
    return f;
}

static void kept_free(cmpl_kept *k)
{
    if (k == NULL)
        return;
    free(k->keys);
    free(k->dates);
    free(k->touched);
    free(k->flags[0]);
    free(k->flags[1]);
    free(k->leaf);
    free(k->leaf_ok);
    free(k);
}

void cmpl_firsts_free(void *firsts)
{
    cmpl_firsts *f = firsts;
    if (f == NULL)
        return;
    for (cmpl_kept *k = f->list, *next; k; k = next) {
        next = k->next;
        kept_free(k);
    }
    free(f->scan_touched);
    pthread_cond_destroy(&f->scan_done);
    pthread_mutex_destroy(&f->mx);
    free(f);
}

static size_t slot_of(uint32_t key, size_t cap)
{
    return (size_t)((key * 2654435761u) & (uint32_t)(cap - 1));
}

/* Sets cell's date (adding the cell); 0 or -1 (out of memory). */
static int kept_set(cmpl_kept *k, uint32_t cell, int date)
{
    if (2 * (k->n + 1) > k->cap) {
        size_t cap = k->cap ? 2 * k->cap : 1024;
        uint32_t *keys = calloc(cap, sizeof *keys);
        int *dates = calloc(cap, sizeof *dates);
        if (keys == NULL || dates == NULL) {
            free(keys);
            free(dates);
            return -1;
        }
        for (size_t i = 0; i < k->cap; i++)
            if (k->keys[i]) {
                size_t j = slot_of(k->keys[i], cap);
                while (keys[j])
                    j = (j + 1) & (cap - 1);
                keys[j] = k->keys[i];
                dates[j] = k->dates[i];
            }
        free(k->keys);
        free(k->dates);
        k->keys = keys;
        k->dates = dates;
        k->cap = cap;
    }
    size_t j = slot_of(cell + 1, k->cap);
    while (k->keys[j] && k->keys[j] != cell + 1)
        j = (j + 1) & (k->cap - 1);
    k->n += k->keys[j] == 0;
    k->keys[j] = cell + 1;
    k->dates[j] = date;
    return 0;
}

int cmpl_kept_leaf(const cmpl_kept *k, int unit, int deadline, int out[3])
{
    if (k->leaf_ok == NULL || k->leaf_deadline != deadline || (size_t)unit >= k->nunits || !k->leaf_ok[unit])
        return 0;
    memcpy(out, k->leaf + 3 * (size_t)unit, 3 * sizeof *out);
    return 1;
}

void cmpl_kept_leaf_put(cmpl_kept *k, int unit, int deadline, const int counts[3])
{
    if ((size_t)unit >= k->nunits)
        return;
    if (k->leaf_ok == NULL) {
        k->leaf = malloc(3 * k->nunits * sizeof *k->leaf + 1);
        k->leaf_ok = calloc(k->nunits + 1, 1);
        if (k->leaf == NULL || k->leaf_ok == NULL) {
            free(k->leaf);
            free(k->leaf_ok);
            k->leaf = NULL;
            k->leaf_ok = NULL;
            return;                /* nothing kept: counted each time */
        }
        k->leaf_deadline = deadline;
    }
    if (k->leaf_deadline != deadline) {
        memset(k->leaf_ok, 0, k->nunits);
        k->leaf_deadline = deadline;
    }
    memcpy(k->leaf + 3 * (size_t)unit, counts, 3 * sizeof *counts);
    k->leaf_ok[unit] = 1;
}

/* Forgets the counts of unit, and for a target of its children too (mutex held). */
static void leaf_forget(cmpl_kept *k, const model *m, int targets, int unit)
{
    if (k->leaf_ok == NULL)
        return;
    k->leaf_ok[unit] = 0;
    if (targets)
        for (int c = m->units[unit].first_child; c >= 0; c = m->units[c].next_sibling)
            if ((size_t)c < k->nunits)
                k->leaf_ok[c] = 0;
}

const unsigned char *cmpl_kept_flags(const cmpl_kept *k, int targets)
{
    return k->flags[targets != 0];
}

int cmpl_kept_date(const cmpl_kept *k, size_t cell)
{
    if (k->cap == 0)
        return 0;
    size_t j = slot_of((uint32_t)cell + 1, k->cap);
    while (k->keys[j]) {
        if (k->keys[j] == (uint32_t)cell + 1)
            return k->dates[j];
        j = (j + 1) & (k->cap - 1);
    }
    return 0;
}

/* Queues cell for the read under way (mutex held). */
static void scan_touch(cmpl_firsts *f, uint32_t cell)
{
    if (f->scan_n >= KEPT_TOUCH_MAX) {
        f->scan_stale = 1;
        return;
    }
    if (f->scan_n == f->scan_cap) {
        size_t cap = f->scan_cap ? 2 * f->scan_cap : 64;
        uint32_t *t = realloc(f->scan_touched, cap * sizeof *t);
        if (t == NULL) {
            f->scan_stale = 1;
            return;
        }
        f->scan_touched = t;
        f->scan_cap = cap;
    }
    f->scan_touched[f->scan_n++] = cell;
}

void cmpl_firsts_touch(cmpl_firsts *f, const model *m, int targets, int ind, int unit, period_t p, int removed)
{
    if (f == NULL)
        return;
    uint32_t pkey = period_key(p);
    pthread_mutex_lock(&f->mx);
    for (cmpl_kept *k = f->list; k; k = k->next) {
        if (k->stale)
            continue;
        if ((size_t)ind >= k->ninds || (size_t)unit >= k->nunits) {
            k->stale = 1;
            continue;
        }
        if (cmpl_overlaps(k->span, p)) {
            leaf_forget(k, m, targets, unit);
            if (removed)
                k->flags_ok = k->marking = 0;   /* another figure may still mark it: mark them all again */
            else if (k->flags_ok || k->marking)
                k->flags[targets != 0][(size_t)unit * k->ninds + (size_t)ind] = 1;
        }
        if (targets || k->pkey != pkey)
            continue;
        if (k->ntouched >= KEPT_TOUCH_MAX) {
            k->stale = 1;
            continue;
        }
        if (k->ntouched == k->captouched) {
            size_t cap = k->captouched ? 2 * k->captouched : 64;
            uint32_t *t = realloc(k->touched, cap * sizeof *t);
            if (t == NULL) {
                k->stale = 1;      /* cannot remember the change: read the period again */
                continue;
            }
            k->touched = t;
            k->captouched = cap;
        }
        k->touched[k->ntouched++] = (uint32_t)((size_t)unit * k->ninds + (size_t)ind);
    }
    if (f->scan && !targets && f->scan_pkey == pkey && !f->scan_stale)
        scan_touch(f, (uint32_t)((size_t)unit * m->ninds + (size_t)ind));
    if (f->scan && cmpl_overlaps(f->scan_span, p)) {
        if (removed || (size_t)ind >= f->scan_ninds || (size_t)unit >= f->scan_nunits)
            f->scan_flags_bad = 1;
        else
            f->scan_flags[targets != 0][(size_t)unit * f->scan_ninds + (size_t)ind] = 1;
    }
    pthread_mutex_unlock(&f->mx);
}

/* The unit and indicator codes of a model copied, with their own hash index, so a read of the
 * database can name cells with no lock on the model (cmpl_scan). */
typedef struct codes {
    char *arena;                 /* every code, NUL-terminated: units first */
    size_t *at;                  /* where code i starts (units 0..nunits-1, then indicators) */
    size_t nunits, ninds;
    uint32_t *slots;             /* open addressing over all codes: index + 1, 0 = empty */
    size_t cap;
} codes;

static void codes_free(codes *c)
{
    free(c->arena);
    free(c->at);
    free(c->slots);
    memset(c, 0, sizeof *c);
}

static uint32_t code_hash(const char *s, int ind)
{
    uint32_t h = ind ? 2166136261u ^ 0x5bd1e995u : 2166136261u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Copies m's codes (the caller keeps m from being freed meanwhile); 0 or -1 (out of memory). */
static int codes_copy(codes *c, const model *m)
{
    size_t n = m->nunits + m->ninds, bytes = 0;
    memset(c, 0, sizeof *c);
    c->nunits = m->nunits;
    c->ninds = m->ninds;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(i < m->nunits ? m->units[i].code : m->inds[i - m->nunits].code) + 1;
    if ((c->arena = malloc(bytes + 1)) == NULL || (c->at = malloc((n + 1) * sizeof *c->at)) == NULL) {
        codes_free(c);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *code = i < m->nunits ? m->units[i].code : m->inds[i - m->nunits].code;
        size_t len = strlen(code) + 1;
        memcpy(c->arena + o, code, len);
        c->at[i] = o;
        o += len;
    }
    return 0;
}

/* Builds c's hash index (no lock needed); 0 or -1 (out of memory). */
static int codes_index(codes *c)
{
    size_t n = c->nunits + c->ninds;
    c->cap = 64;
    while (c->cap < 2 * n)
        c->cap *= 2;
    if ((c->slots = calloc(c->cap, sizeof *c->slots)) == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t j = code_hash(c->arena + c->at[i], i >= c->nunits) & (c->cap - 1);
        while (c->slots[j])
            j = (j + 1) & (c->cap - 1);
        c->slots[j] = (uint32_t)i + 1;
    }
    return 0;
}

/* The index of a unit's (ind 0) or indicator's code, or -1. */
static int codes_find(const codes *c, const char *code, int ind)
{
    size_t j = code_hash(code, ind) & (c->cap - 1);
    for (; c->slots[j]; j = (j + 1) & (c->cap - 1)) {
        size_t i = c->slots[j] - 1;
        if ((i >= c->nunits) == (ind != 0) && strcmp(c->arena + c->at[i], code) == 0)
            return (int)(ind ? i - c->nunits : i);
    }
    return -1;
}

typedef struct scan_ctx {
    const model *m;              /* codes looked up in m, or (NULL) in cs */
    const codes *cs;
    cmpl_kept *k;
    int oom;
} scan_ctx;

static int scan_one(void *ctx, const char *ind, const char *unit, const char *at)
{
    scan_ctx *x = ctx;
    int i = x->m ? model_ind_find(x->m, ind) : codes_find(x->cs, ind, 1);
    int u = x->m ? model_unit_find(x->m, unit) : codes_find(x->cs, unit, 0);
    if (i < 0 || u < 0)
        return 0;
    if (kept_set(x->k, (uint32_t)((size_t)u * x->k->ninds + (size_t)i), cycle_local_date(at, x->k->tz)) != 0) {
        x->oom = 1;
        return 1;
    }
    return 0;
}

/* A new empty map of p for a model of nunits and ninds; NULL on OOM. */
static cmpl_kept *kept_new(size_t nunits, size_t ninds, int tz, period_t p)
{
    cmpl_kept *k = calloc(1, sizeof *k);
    if (k == NULL)
        return NULL;
    k->pkey = period_key(p);
    k->tz = tz;
    k->nunits = nunits;
    k->ninds = ninds;
    k->span = cmpl_span(p);
    return k;
}

/* Fills k with p's values read from the store, codes looked up as x says; 0 or -1 with e. */
static int kept_fill(store *s, scan_ctx *x, period_t p, err_t *e)
{
    char code[PERIOD_CODE_MAX];
    period_code(p, code, sizeof code);
    int rc = store_first_writes(s, code, scan_one, x, e);
    if (x->oom)
        return err_set(e, "out of memory");
    return rc;
}

/* The cells of p's values the model holds (read a piece of units at a time by a prewarm), so a
 * period with few values among many is read cell by cell instead of by a scan of every value. */
typedef struct collect {
    uint32_t pkey;               /* period_key of p: only its cells are kept */
    size_t ninds;
    uint32_t *cells;             /* unit * ninds + ind */
    size_t n, cap;
    size_t seen;                 /* cells of the span's years looked at */
    size_t next;                 /* the next unit of a read a piece at a time */
    int oom;
} collect;

static int collect_one(void *ctx, int ind, int unit, period_t p, int64_t fx)
{
    collect *c = ctx;
    (void)fx;
    c->seen++;
    if (period_key(p) != c->pkey)
        return 0;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        uint32_t *t = realloc(c->cells, cap * sizeof *t);
        if (t == NULL) {
            c->oom = 1;
            return 1;
        }
        c->cells = t;
        c->cap = cap;
    }
    c->cells[c->n++] = (uint32_t)((size_t)unit * c->ninds + (size_t)ind);
    return 0;
}

static int collect_cell(void *ctx, const cell_t *x)
{
    return collect_one(ctx, x->ind, x->unit, x->per, 0);
}

/* Collects p's value cells of the units c->next..+units-1 (a model holding its cells in its maps,
 * and the side cells, with the first piece); 1 when that was the last piece, else 0. */
static int collect_part(collect *c, const model *m, period_t p, size_t units)
{
    period_t span = cmpl_span(p);
    int y2 = span.kind == P_RANGE ? span.y2 : span.y;
    if (c->next == 0) {
        const cellmap *side = &m->values;
        for (size_t i = 0; i < side->n && !c->oom; i++)
            collect_cell(c, &side->cells[i]);
    }
    if (!m->held || c->oom) {
        c->next = m->nunits;
        return 1;
    }
    size_t to = c->next + (units ? units : 1);
    engine_each_reported_in(m->engine, 0, span.y, y2, (int)c->next, (int)(to < m->nunits ? to : m->nunits),
                            collect_one, c);
    c->next = to;
    return c->oom || to >= m->nunits;
}

typedef struct pass {
    cmpl_kept *k;
    collect *c;
} pass;

/* A value cell of the span's years: its flag (as cmpl_mark_cells: it overlaps the span; for a
 * year, any period of that year but a range) and, if of p itself, collected. */
static int pass_one(void *ctx, int ind, int unit, period_t p, int64_t fx)
{
    pass *x = ctx;
    period_t span = x->k->span;
    if (p.kind != P_RANGE && span.kind == P_YEAR ? p.y == span.y : cmpl_overlaps(span, p))
        x->k->flags[0][(size_t)unit * x->k->ninds + (size_t)ind] = 1;
    return collect_one(x->c, ind, unit, p, fx);
}

/* One pass over the cells of the units c->next.. (+units) marks k's flags of both sides and
 * collects p's value cells (the side cells with the first piece; a model holding its cells in
 * its maps all at once); k's flags are allocated and zeroed.  1 when that was the last piece. */
static int mark_collect_part(cmpl_kept *k, collect *c, const model *m, period_t p, size_t units)
{
    period_t span = k->span;
    size_t from = c->next, to = from + (units ? units : 1);
    if (!m->held) {
        cmpl_mark_cells(m, 0, span, k->flags[0]);
        cmpl_mark_cells(m, 1, span, k->flags[1]);
        return collect_part(c, m, p, m->nunits);
    }
    if (to > m->nunits)
        to = m->nunits;
    pass x = { k, c };
    for (size_t i = 0; from == 0 && i < m->values.n && !c->oom; i++) {
        const cell_t *v = &m->values.cells[i];
        pass_one(&x, v->ind, v->unit, v->per, 0);
    }
    if (!c->oom)
        engine_each_reported_in(m->engine, 0, span.y, span.kind == P_RANGE ? span.y2 : span.y, (int)from, (int)to,
                                pass_one, &x);
    cmpl_mark_part(m, 1, span, (int)from, (int)to, k->flags[1]);
    c->next = to;
    return c->oom || to >= m->nunits;
}

/* Allocates k's flags, zeroed; 0 or -1 (out of memory). */
static int flags_new(cmpl_kept *k)
{
    size_t cells = k->nunits * k->ninds + 1;
    for (int t = 0; t < 2; t++)
        if (k->flags[t] == NULL && (k->flags[t] = calloc(cells, 1)) == NULL)
            return -1;
    return 0;
}

/* 1 if c's cells are read one by one rather than by a scan of the period's values (read_by 0:
 * whichever is cheaper: each cell is one indexed read, ~5 µs, the scan reads every value of the
 * database, ~150 ns a row, at least those of the span's years; a few cells, always). */
static int collect_keyed(const collect *c, int read_by)
{
    if (c->oom || read_by == 2)
        return 0;
    return read_by == 1 || c->n <= 64 || c->n * 32 <= c->seen;
}

void cmpl_firsts_read_by(cmpl_firsts *f, int how)
{
    pthread_mutex_lock(&f->mx);
    f->read_by = how;
    pthread_mutex_unlock(&f->mx);
}

/* Fills k with the dates of c's cells read one by one from the store, their codes from m or cs
 * (x says which); 0 or -1 with e. */
static int kept_fill_keyed(store *s, scan_ctx *x, const collect *c, period_t p, err_t *e)
{
    const char **inds = malloc((c->n ? c->n : 1) * sizeof *inds);
    const char **units = malloc((c->n ? c->n : 1) * sizeof *units);
    int rc = -1;
    if (inds == NULL || units == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    size_t ninds = x->k->ninds;
    for (size_t i = 0; i < c->n; i++) {
        size_t u = c->cells[i] / ninds, d = c->cells[i] % ninds;
        inds[i] = x->m ? x->m->inds[d].code : x->cs->arena + x->cs->at[x->cs->nunits + d];
        units[i] = x->m ? x->m->units[u].code : x->cs->arena + x->cs->at[u];
    }
    char code[PERIOD_CODE_MAX];
    period_code(p, code, sizeof code);
    rc = store_first_writes_of(s, code, inds, units, c->n, scan_one, x, e);
    if (rc == 0 && x->oom)
        rc = err_set(e, "out of memory");
cleanup:
    free(inds);
    free(units);
    return rc;
}

/* A new map of p's values read from the store (cell by cell when the model holds few of them);
 * NULL with e set on failure. */
static cmpl_kept *kept_scan(store *s, const model *m, int tz, period_t p, int read_by, err_t *e)
{
    cmpl_kept *k = kept_new(m->nunits, m->ninds, tz, p);
    if (k == NULL) {
        err_set(e, "out of memory");
        return NULL;
    }
    scan_ctx x = { m, NULL, k, 0 };
    collect c = { .pkey = period_key(p), .ninds = m->ninds };
    int rc = -1;
    if (flags_new(k) != 0)
        err_set(e, "out of memory");
    else {
        mark_collect_part(k, &c, m, p, m->nunits);   /* the flags marked, p's cells collected */
        k->flags_ok = !c.oom;
        rc = collect_keyed(&c, read_by) ? kept_fill_keyed(s, &x, &c, p, e) : kept_fill(s, &x, p, e);
    }
    free(c.cells);
    if (rc != 0) {
        kept_free(k);
        return NULL;
    }
    return k;
}

struct cmpl_scan {
    cmpl_kept *k;
    codes cs;
    period_t p;
    collect c;                   /* the model's cells of p, collected before the run */
    int collected;               /* 1: c complete (read cell by cell if few), 0: scan */
    int read_by;                 /* the cache's cmpl_firsts_read_by when it began */
    int rc;                      /* run's result: 0 read, -1 failed, 1 not run */
};

/* 1 if the read under way on f is of pkey and tz for a model of m's sizes (mutex held). */
static int scan_for(const cmpl_firsts *f, uint32_t pkey, int tz, const model *m)
{
    const cmpl_scan *x = f->scan;
    return x != NULL && f->scan_pkey == pkey && x->k != NULL && x->k->tz == tz && x->k->nunits == m->nunits &&
           x->k->ninds == m->ninds;
}

/* Reads each queued cell of k again; 0 or -1. */
static int kept_resolve(cmpl_kept *k, store *s, const model *m, period_t p, err_t *e)
{
    char code[PERIOD_CODE_MAX], at[64];
    period_code(p, code, sizeof code);
    for (size_t t = 0; t < k->ntouched; t++) {
        uint32_t cell = k->touched[t];
        size_t u = cell / k->ninds, i = cell % k->ninds;
        int r = store_first_write(s, m->inds[i].code, m->units[u].code, code, at, sizeof at, e);
        if (r < 0 || kept_set(k, cell, r == 1 ? cycle_local_date(at, k->tz) : 0) != 0)
            return r < 0 ? -1 : err_set(e, "out of memory");
    }
    k->ntouched = 0;
    return 0;
}

/* Marks k's flags from the model's cells of its span; 0 or -1 (out of memory). */
static int kept_mark(cmpl_kept *k, const model *m)
{
    size_t cells = k->nunits * k->ninds;
    for (int t = 0; t < 2; t++) {
        if (k->flags[t] == NULL && (k->flags[t] = malloc(cells ? cells : 1)) == NULL)
            return -1;
        memset(k->flags[t], 0, cells ? cells : 1);
        cmpl_mark_cells(m, t, k->span, k->flags[t]);
    }
    k->flags_ok = 1;
    k->marking = 0;
    return 0;
}

/* Drops the least recently used maps beyond KEPT_PERIODS (mutex held). */
static void kept_trim(cmpl_firsts *f)
{
    for (;;) {
        int n = 0;
        cmpl_kept **oldest = NULL;
        for (cmpl_kept **pp = &f->list; *pp; pp = &(*pp)->next) {
            n++;
            if (oldest == NULL || (*pp)->used < (*oldest)->used)
                oldest = pp;
        }
        if (n <= KEPT_PERIODS || oldest == NULL)
            return;
        cmpl_kept *k = *oldest;
        *oldest = k->next;
        kept_free(k);
    }
}

/* Unlinks and frees the maps of p and tz that can no longer be kept up to date (mutex held). */
static void kept_drop_stale(cmpl_firsts *f, const model *m)
{
    for (cmpl_kept **pp = &f->list; *pp;) {
        cmpl_kept *k = *pp;
        if (k->stale || k->nunits != m->nunits || k->ninds != m->ninds) {
            *pp = k->next;
            kept_free(k);
        } else
            pp = &k->next;
    }
}

int cmpl_kept_get(cmpl_firsts *f, store *s, const model *m, int tz, period_t p, cmpl_kept **out, err_t *e)
{
    uint32_t pkey = period_key(p);
    cmpl_kept *k;
    int rc = -1;
    *out = NULL;
    pthread_mutex_lock(&f->mx);
    for (;;) {
        kept_drop_stale(f, m);
        for (k = f->list; k; k = k->next)
            if (k->pkey == pkey && k->tz == tz && !k->stale && k->nunits == m->nunits && k->ninds == m->ninds)
                break;
        if (k != NULL || !scan_for(f, pkey, tz, m))
            break;
        /* the prewarm is reading these dates: wait for that read rather than reading them again
         * (it needs the model's read lock, which ours does not keep it from: readers go first) */
        pthread_cond_wait(&f->scan_done, &f->mx);
    }
    if (k == NULL) {
        if ((k = kept_scan(s, m, tz, p, f->read_by, e)) == NULL)
            goto done;
        k->next = f->list;
        f->list = k;
    } else if (k->ntouched > 0 && kept_resolve(k, s, m, p, e) != 0) {
        k->stale = 1;          /* half read: the next reader scans it afresh */
        goto done;
    }
    if (!k->flags_ok && kept_mark(k, m) != 0) {
        err_set(e, "out of memory");
        goto done;
    }
    k->used = ++f->tick;
    kept_trim(f);              /* k is the newest: it stays */
    *out = k;
    return 0;                  /* locked until cmpl_kept_release */
done:
    pthread_mutex_unlock(&f->mx);
    return rc;
}

void cmpl_kept_release(cmpl_firsts *f, cmpl_kept *k)
{
    if (k != NULL)
        pthread_mutex_unlock(&f->mx);
}

int cmpl_firsts_prepare(cmpl_firsts *f, store *s, const model *m, int tz, period_t p, err_t *e)
{
    cmpl_kept *k = NULL;
    if (f == NULL)
        return 0;
    int rc = cmpl_kept_get(f, s, m, tz, p, &k, e);
    cmpl_kept_release(f, k);
    return rc;
}

/* ---- a read with no lock on the model (a server's prewarm) ---- */

/* 1 if f keeps p's dates for tz already (mutex held). */
static int kept_has(const cmpl_firsts *f, uint32_t pkey, int tz, const model *m)
{
    for (const cmpl_kept *k = f->list; k; k = k->next)
        if (k->pkey == pkey && k->tz == tz && !k->stale && k->nunits == m->nunits && k->ninds == m->ninds)
            return 1;
    return 0;
}

int cmpl_scan_begin(cmpl_firsts *f, const model *m, int tz, period_t p, cmpl_scan **out, err_t *e)
{
    *out = NULL;
    if (f == NULL)
        return 0;
    cmpl_scan *x = calloc(1, sizeof *x);
    if (x == NULL || (x->k = kept_new(m->nunits, m->ninds, tz, p)) == NULL || flags_new(x->k) != 0 ||
        codes_copy(&x->cs, m) != 0) {
        cmpl_scan_free(x);
        return err_set(e, "out of memory");
    }
    x->p = p;
    x->rc = 1;
    x->c.pkey = x->k->pkey;
    x->c.ninds = m->ninds;
    pthread_mutex_lock(&f->mx);
    int busy = f->scan != NULL || kept_has(f, x->k->pkey, tz, m);
    if (!busy) {
        f->scan = x;
        f->scan_pkey = x->k->pkey;
        f->scan_n = 0;
        f->scan_stale = 0;
        f->scan_flags[0] = x->k->flags[0];
        f->scan_flags[1] = x->k->flags[1];
        f->scan_span = x->k->span;
        f->scan_nunits = m->nunits;
        f->scan_ninds = m->ninds;
        f->scan_flags_bad = 0;
        x->read_by = f->read_by;
    }
    pthread_mutex_unlock(&f->mx);
    if (busy)
        cmpl_scan_free(x);         /* kept already, or being read: nothing to do */
    else
        *out = x;
    return 0;
}

int cmpl_scan_collect(cmpl_scan *x, cmpl_firsts *f, const model *m, int units)
{
    pthread_mutex_lock(&f->mx);
    int ours = f->scan == x;
    pthread_mutex_unlock(&f->mx);
    if (!ours || m->nunits != x->k->nunits || m->ninds != x->k->ninds) {
        x->collected = -1;      /* another model now: nothing to read, the end keeps nothing */
        return 1;
    }
    if (mark_collect_part(x->k, &x->c, m, x->p, units > 0 ? (size_t)units : 1)) {
        x->collected = x->c.oom ? 0 : 1;
        return 1;
    }
    return 0;
}

int cmpl_scan_run(cmpl_scan *x, store *s, err_t *e)
{
    if (x->collected < 0)
        return x->rc = 1;
    if (codes_index(&x->cs) != 0)
        return x->rc = err_set(e, "out of memory");
    scan_ctx c = { NULL, &x->cs, x->k, 0 };
    x->rc = x->collected && collect_keyed(&x->c, x->read_by) ? kept_fill_keyed(s, &c, &x->c, x->p, e) : kept_fill(s, &c, x->p, e);
    return x->rc;
}

int cmpl_scan_end(cmpl_scan *x, cmpl_firsts *f, const model *m)
{
    int kept = 0;
    if (f != NULL) {
        pthread_mutex_lock(&f->mx);
        if (f->scan == x) {          /* else another model now, or a new one at the same address */
            f->scan = NULL;
            if (x->rc == 0 && !f->scan_stale && x->k->nunits == m->nunits && x->k->ninds == m->ninds &&
                !kept_has(f, x->k->pkey, x->k->tz, m)) {
                cmpl_kept *k = x->k;
                x->k = NULL;
                k->touched = f->scan_touched;   /* saved meanwhile: read again by the next reader */
                k->ntouched = f->scan_n;
                k->captouched = f->scan_cap;
                f->scan_touched = NULL;
                f->scan_n = f->scan_cap = 0;
                if (x->collected == 1 && !f->scan_flags_bad)
                    k->flags_ok = 1;   /* marked while collecting, touched since */
                else {
                    size_t cells = k->nunits * k->ninds + 1;
                    memset(k->flags[0], 0, cells);
                    memset(k->flags[1], 0, cells);
                    k->marking = 1;    /* marked again a piece at a time (cmpl_scan_mark) */
                    k->mark_next = 0;
                }
                k->used = ++f->tick;
                k->next = f->list;
                f->list = k;
                kept_trim(f);
                kept = 1;
            }
            f->scan_n = 0;
            f->scan_flags[0] = f->scan_flags[1] = NULL;
            pthread_cond_broadcast(&f->scan_done);   /* readers waiting for it look again */
        }
        pthread_mutex_unlock(&f->mx);
    }
    cmpl_scan_free(x);
    return kept;
}

void cmpl_scan_free(cmpl_scan *x)
{
    if (x == NULL)
        return;
    kept_free(x->k);
    codes_free(&x->cs);
    free(x->c.cells);
    free(x);
}

int cmpl_scan_mark(cmpl_firsts *f, const model *m, int tz, period_t p, int units)
{
    uint32_t pkey = period_key(p);
    int done = 1;
    if (f == NULL)
        return 1;
    pthread_mutex_lock(&f->mx);
    for (cmpl_kept *k = f->list; k; k = k->next) {
        if (k->pkey != pkey || k->tz != tz || k->stale || k->nunits != m->nunits || k->ninds != m->ninds)
            continue;
        if (k->marking) {
            size_t to = k->mark_next + (size_t)(units > 0 ? units : 1);
            int last = 0;
            for (int t = 0; t < 2; t++)
                last = cmpl_mark_part(m, t, k->span, (int)k->mark_next, (int)to, k->flags[t]);
            k->mark_next = to;
            if (last) {
                k->marking = 0;
                k->flags_ok = 1;
            }
            done = last;
        }
        break;
    }
    pthread_mutex_unlock(&f->mx);
    return done;
}
