/* model.h - the in-memory domain: units, indicators, terms, targets and values.
 *
 * A model is filled by the store loader and by import, then frozen with
 * model_finish() (which links the unit tree, compiles formulas and rejects
 * cycles) before evaluation reads it.  The model owns every string and array
 * it holds; callers pass borrowed strings and the model copies them.  A
 * finished model is read-only, so several threads may evaluate it at once.
 * Units and indicators are addressed by index (stable for the model's life).
 */
#ifndef CHITIEU_MODEL_H
#define CHITIEU_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"
#include "formula.h"
#include "period.h"

enum dir { DIR_UP = 0, DIR_DOWN, DIR_EQUAL, DIR_DONE };
enum agg { AGG_SUM = 0, AGG_AVG, AGG_MIN, AGG_MAX, AGG_NONE, AGG_LAST };
/* A partial roll-up (eval.h's coverage) is shown with its mark, or withheld; PM_DEFAULT: as the
 * database says (model.partial_mode, stored as meta 'partial_aggregates'). */
enum partial_mode { PM_DEFAULT = 0, PM_MARK, PM_WITHHOLD };

typedef struct unit {
    char *code, *name, *type;
    char *parent_code;       /* as given; resolved to `parent` by model_finish */
    int parent;              /* index, -1 for a root */
    int valid_from, valid_to;/* yyyymmdd, 0 = open */
    int first_child, next_sibling; /* tree links, -1 = none (children in name order) */
    int nchildren;
    int depth;               /* root = 0 */
} unit_t;

typedef struct indicator {
    char *code, *name, *group, *set, *measure; /* measure: unit of measure ("%", "tỷ đồng") */
    char *parent_code, *formula_src;           /* "" when absent */
    int parent;              /* index of the main indicator, -1 if none */
    int nchildren;           /* number of component indicators */
    int dir, uagg, pagg, decimals;
    int partial_mode;        /* enum partial_mode: how a partial roll-up of it is shown */
    formula *f;              /* compiled formula or NULL */
    int *fvars;              /* indicator index of each formula variable */
} ind_t;

typedef struct cell {
    int ind, unit;
    period_t per;
    double v;
    char *comment;           /* NULL or owned text */
    uint32_t mark, row;      /* for import: the run that last set it, and where (src, row) */
    int src;
} cell_t;

typedef struct cellmap {
    cell_t *cells;           /* dense array, insertion order */
    size_t n, cap;
    uint64_t *slots;         /* open addressing: hash << 32 | index+1 into cells, 0 = empty */
    size_t nslots;
} cellmap;

typedef struct term {
    period_t per;            /* a P_RANGE period */
    char *name;
} term_t;

/* A succession: on `date` unit `from` (valid until the day before) passes `share` of its
 * figures to unit `to` (valid on `date`).  Merges, splits, renames and moves are sets of them. */
typedef struct succ {
    int from, to;            /* unit indexes */
    int date;                /* yyyymmdd, the first day of `to`'s share */
    double share;            /* 0 < share <= 1; the shares of one `from` on one date sum to 1 */
    int src;                 /* for import: the source index that set it, -1 when loaded */
    long row;                /* and its row */
} succ_t;

typedef struct model {
    unit_t *units;   size_t nunits, capunits;
    ind_t *inds;     size_t ninds, capinds;
    term_t *terms;   size_t nterms, capterms;
    succ_t *succs;   size_t nsuccs, capsuccs;
    int *succ_in, *succ_out; /* by model_finish: succession indexes by `to` and by `from`... */
    int *succ_in_at, *succ_out_at; /* ...and per unit where its run starts (nunits + 1 entries) */
    int succ_last_date;      /* the latest succession date, 0 = none (by model_finish) */
    int succ_cycle;          /* a succession on a cycle when model_finish refused one, else -1 */
    cellmap values, targets;
    uint32_t *unit_slots;  size_t unit_nslots;  /* code hash -> index+1 */
    uint32_t *ind_slots;   size_t ind_nslots;
    uint32_t stamp;          /* last import run (see cell_t.mark) */
    uint32_t year_values[PERIOD_YEAR_MAX - PERIOD_YEAR_MIN + 1]; /* value cells ever added per year */
    unsigned unloaded;       /* store.h's STORE_TARGETS / STORE_VALUES bits: those cells were left
                                in the database, not loaded (a catalogue-only model for an import) */
    int finished;
    int partial_mode;        /* enum partial_mode for indicators without their own; 0 = mark */
    struct engine *engine;   /* when set, evaluation takes its figures from it (engine.h); owned */
    int held;                /* 1: the engine holds the cells (model_hold below): values and
                                targets keep only what it cannot hold exactly */
    void *firsts;            /* a server's first-write dates of values (completeness.h's
                                cmpl_firsts), owned, freed by firsts_free; NULL = none */
    void (*firsts_free)(void *firsts);
} model;

/* Allocates an empty model; NULL on OOM; free with model_free. */
model *model_new(void);
/* Frees the model and everything it owns (NULL is fine). */
void model_free(model *m);

/* Index of the unit with this code, or -1. */
int model_unit_find(const model *m, const char *code);
/* Index of the indicator with this code, or -1. */
int model_ind_find(const model *m, const char *code);

/* Adds or replaces a unit (by code); parent_code "" for a root; returns its index or -1 (OOM). */
int model_put_unit(model *m, const char *code, const char *name, const char *parent_code,
                   const char *type, int valid_from, int valid_to);
/* Adds or replaces an indicator (by code); returns its index or -1 (OOM). */
int model_put_ind(model *m, const ind_t *def);
/* Adds or replaces a term (a named range); returns 0 or -1. */
int model_put_term(model *m, period_t per, const char *name);
/* Makes room for n more values and t more targets without rehashing; returns 0 or -1 (OOM). */
int model_reserve(model *m, size_t n, size_t t);
/* Sets a value; comment may be NULL; returns 0 or -1 (OOM). */
int model_put_value(model *m, int ind, int unit, period_t p, double v, const char *comment);
/* Removes the reported value of (ind, unit, p) (the last value cell takes its place, so
 * pointers to cells are invalid afterwards); 1 if there was one, else 0. */
int model_del_value(model *m, int ind, int unit, period_t p);
/* Sets a target; returns 0 or -1 (OOM). */
int model_put_target(model *m, int ind, int unit, period_t p, double v);
/* Hints that the value (targets = 0) or target cell of (ind, unit, p) is about to be put: a bulk
 * loader calls it some rows ahead, so the table's cache misses overlap instead of queueing. */
void model_prefetch(const model *m, int targets, int ind, int unit, period_t p);
/* A first load (a map that held no cell): appends the value (targets = 0) or target cell of
 * (ind, unit, p) holding 0 and no comment, without looking for it; lookups do not find it until
 * model_index_appended.  NULL on OOM; the pointer is valid until the next put or append. */
cell_t *model_append_cell(model *m, int targets, int ind, int unit, period_t p);
/* Indexes the cells appended since the map held `from` cells, in order (probes prefetched some
 * cells ahead); a cell with the key of an earlier one stays out of the index and is passed to
 * dup(ctx, its index, the earlier one's index).  0, or -1 on OOM. */
int model_index_appended(model *m, int targets, size_t from, void (*dup)(void *ctx, size_t cell, size_t first),
                         void *ctx);
/* Finds or adds the value (or target) cell; *added tells which; a new cell holds 0 and no
 * comment; NULL on OOM.  The pointer is valid until the next put or upsert. */
cell_t *model_value_upsert(model *m, int ind, int unit, period_t p, int *added);
cell_t *model_target_upsert(model *m, int ind, int unit, period_t p, int *added);
/* Replaces a cell's comment (NULL or "" = none); returns 0 or -1 (OOM). */
int model_cell_comment(cell_t *c, const char *comment);
/* 0 if p can have no figure anywhere: no value was ever put in its year (for a range: in one of
 * its years, as a range's figure needs all of them or a value reported for it), else 1. */
int model_has_values(const model *m, period_t p);
/* The reported value cell, or NULL: a cell of the model's map, or (a model whose engine holds
 * its cells, model.held) *tmp filled from the engine (no comment); valid until the next change. */
const cell_t *model_value(const model *m, int ind, int unit, period_t p, cell_t *tmp);
/* The target cell, or NULL; as model_value. */
const cell_t *model_target(const model *m, int ind, int unit, period_t p, cell_t *tmp);

/* Cells held by the engine (national scale: one copy of every figure, not two).  In a model with
 * `held` set, a value lives in the engine alone when its period is one the engine keeps (a month,
 * quarter, half or year of its years), it has no comment and its fixed-point figure reads back as
 * exactly the same double; a target when it is a yearly one of those years and equals its figure
 * rounded to the indicator's decimals.  Everything else stays in `values` / `targets` (ranges,
 * years outside, comments, more than 4 decimals), which also hold the engine's figure where it
 * has one.  These three keep a model of either kind and its engine current (the engine follows
 * at once, engine_update's cost); 0, or -1 with e. */
int model_set_value(model *m, int ind, int unit, period_t p, double v, const char *comment, err_t *e);
/* Removes the reported value (1 removed, 0 there was none, -1 with e). */
int model_unset_value(model *m, int ind, int unit, period_t p, err_t *e);
int model_set_target(model *m, int ind, int unit, period_t p, double v, err_t *e);
/* 1 if the engine can hold value v (targets: target v of an indicator with `decimals`) exactly;
 * *fx gets its figure. */
int model_hold_value_exact(double v, int64_t *fx);
int model_hold_target_exact(double v, int decimals, int64_t *fx);
/* Calls fn for every value (targets != 0: target) cell of the model, of both kinds: the map's in
 * its order, then the engine's (a held model) by unit; with years y_from..y_to (0: unbounded) the
 * engine's cells of other years are left out (the map's are all passed: fn still filters);
 * *c is borrowed for the call; fn returns nonzero to stop (returned). */
int model_each_cell(const model *m, int targets, int y_from, int y_to, int (*fn)(void *ctx, const cell_t *c),
                    void *ctx);
/* The latest year of a reported value (ranges aside), 0 when there is none. */
int model_latest_year(const model *m);

/* Links parents and children, compiles formulas, indexes successions and checks for cycles
 * (unit tree, indicator parents, formula references, successions); on error names the
 * offending code.  Idempotent. */
int model_finish(model *m, err_t *e);
/* 1 if the unit exists at some time within period p. */
int model_unit_valid(const model *m, int unit, period_t p);
/* model_unit_valid; when 0, appends to why (in the process language) that a figure of the unit for
 * p would be counted nowhere, with the unit's validity and where such figures go. */
int model_unit_valid_why(const model *m, int unit, period_t p, buf *why);
/* The term (named range) for p if p is one, else NULL. */
const term_t *model_term(const model *m, period_t p);
/* Writes p's label in lang (0 Vietnamese, 1 English) into out (truncated to len-1; returns the
 * length): a declared term by its name, else "Nhiệm kỳ 2020–2025" / "Term 2020–2025"; a range
 * that starts a declared term inside it "Giữa nhiệm kỳ 2020–2025 (giai đoạn 2020–2022)"; any
 * other range "Giai đoạn 2020–2022" / "Period 2020–2022"; other periods as period_label. */
int model_period_label(const model *m, period_t p, int lang, char *out, size_t len);

/* Adds or replaces the succession (from, to, date) (unit indexes); returns its index or -1 (OOM). */
int model_put_succ(model *m, int from, int to, int date, double share);
/* Removes every succession of unit `from` on `date`; returns how many. */
int model_del_succs(model *m, int from, int date);
/* The successions into unit u (its predecessors), by date; *n gets their count; indexes into
 * m->succs, borrowed (valid until the next put).  Needs a finished model. */
const int *model_preds(const model *m, int u, int *n);
/* The successions out of unit u (its successors), by date; as model_preds. */
const int *model_succs(const model *m, int u, int *n);
/* Parses "up"/"down"/"equal"/"done"; returns the enum value or -1. */
int model_dir_parse(const char *s);
/* Parses "sum"/"avg"/"min"/"max"/"none"/"last"; returns the enum value or -1. */
int model_agg_parse(const char *s);
/* Parses "mark"/"withhold"/"default" (enum partial_mode); -1 otherwise. */
int model_partial_parse(const char *s);
/* The canonical name of a direction / aggregation. */
const char *model_dir_name(int dir);
const char *model_agg_name(int agg);

#endif
