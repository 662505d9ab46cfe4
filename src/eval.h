/* eval.h - evaluation of a unit's indicators for a period (pure: no I/O).
 *
 * eval_unit() reads a finished model and fills an eval_result the caller owns
 * (free with eval_result_free).  For each indicator that has a target or an
 * actual for the unit and period it computes: the actual (reported, or derived
 * by formula over aggregated operands, by aggregating child units, or by
 * aggregating sub-periods, in that order of preference), the target (exact, or
 * the enclosing term's for a range, or the annual target as "progress" for a
 * half/quarter/month), % of target, status, the same period one year earlier,
 * the parent unit's value and the rank among siblings; then tallies per set,
 * per group, overall and for components.  The evaluator behind eval_actual() is
 * the seam a faster engine can replace.  A rolled-up figure that leaves out a unit expected
 * below it is partial: its row carries the coverage ("2/30"), is not judged, ranked or
 * compared, and is withheld when the indicator's or database's setting says so.
 */
#ifndef CHITIEU_EVAL_H
#define CHITIEU_EVAL_H

#include "err.h"
#include "model.h"
#include "period.h"

enum status { ST_NOTARGET = 0, ST_NODATA, ST_NOTMET, ST_MET, ST_EXCEEDED };
enum source { SRC_NONE = 0, SRC_REPORTED, SRC_FORMULA, SRC_UNITS, SRC_PERIODS };

typedef struct eval_row {
    int ind;                      /* indicator index */
    int has_actual;  double actual;
    int too_large;                /* the actual is beyond ±9×10^14 (fixed.h): no number, has_actual 0 */
    int source;                   /* enum source */
    int missing_children;         /* SRC_UNITS: valid child units without data */
    /* Coverage (docs/internals/eval.md): a figure is partial when a unit expected somewhere
     * below gave no figure.  Counted over the direct child units valid in the period: */
    int partial;                  /* the figure leaves out an expected unit (here or below) */
    int expected_children;        /* child units valid in the period (0: not a partial roll-up) */
    int reported_children;        /* ... of which gave a figure for the whole period */
    int partial_children;         /* ... of which gave a figure that is itself partial */
    int withheld;                 /* partial, and not shown (partial_aggregates = withhold) */
    const char *comment;          /* reported value's comment (borrowed from the model) */
    int has_target;  double target;
    period_t target_period;       /* where the target came from (p, or the enclosing term) */
    int has_pct;     double pct;  /* actual as % of target */
    int status;                   /* enum status */
    int status_from_components;   /* a main indicator judged by its components */
    int has_annual;  double annual_target, annual_pct; /* sub-year period vs the year's target */
    period_t annual_period;
    int has_prev;    double prev, change;               /* same period one year earlier */
    int has_change_pct; double change_pct;
    int has_parent;  double parent_value;
    int rank, rank_of;            /* 0 when not ranked (no value, direction equal/done, < 2 peers) */
    int rank_peers;               /* with a rank: the siblings it could be ranked among, itself included;
                                     rank_of < rank_peers when some had no figure or a partial one */
    int converted;                /* the actual uses predecessors' figures (successions, today's structure) */
    int prev_converted;           /* the same for the figure one year earlier */
} eval_row;

typedef struct eval_tally {
    int total;                    /* with a target */
    int met, exceeded, notmet, nodata;  /* met excludes exceeded */
    int partial;                  /* of nodata: a partial roll-up, not judged (coverage) */
} eval_tally;

typedef struct eval_group {
    const char *name;             /* set or group name, borrowed from the model */
    eval_tally t;
} eval_group;

typedef struct eval_result {
    int unit;
    period_t per;
    eval_row *rows;   int nrows;  /* in indicator order; main indicators then their components */
    eval_group *sets; int nsets;  /* main indicators by set, in first-seen order */
    eval_group *groups; int ngroups; /* main indicators by group */
    eval_tally all;               /* all main indicators */
    eval_tally comps;             /* component indicators */
    int comp_parents;             /* main indicators that have components */
    int structure;                /* EVAL_HISTORICAL or EVAL_CURRENT: the structure evaluated on */
} eval_result;

/* The structure units are evaluated on (see docs/successions.md).  Historical: units as they
 * were, no conversion.  Current: today's units; a unit's figure for time before a succession into
 * it comes from its predecessors' figures times the shares, and units whose figures passed to
 * successors leave their parents' roll-ups.  Auto: historical for a period that ended before the
 * latest succession date, current otherwise (and historical when there are no successions). */
enum eval_structure { EVAL_AUTO = 0, EVAL_HISTORICAL, EVAL_CURRENT };

/* Evaluates unit for period p into *out (zeroed first), on the EVAL_AUTO structure; returns 0 or
 * -1 on OOM. */
int eval_unit(const model *m, int unit, period_t p, eval_result *out, err_t *e);
/* The same on the structure asked for (enum eval_structure). */
int eval_unit_on(const model *m, int unit, period_t p, int structure, eval_result *out, err_t *e);
/* eval_unit without the ranks among the unit's siblings (every row's rank and rank_of 0: no
 * sibling's figure is read), for a page that shows none; 0 or -1 on OOM. */
int eval_unit_unranked(const model *m, int unit, period_t p, eval_result *out, err_t *e);
/* Flags in want (m->nunits bytes, caller's) every unit whose figures eval, report or export of
 * `unit` read: its parent's subtree, closed under successions (eval_need.c); returns how many. */
size_t eval_units_needed(const model *m, int unit, unsigned char *want);
/* The structure EVAL_AUTO stands for in period p: EVAL_HISTORICAL or EVAL_CURRENT. */
int eval_structure_of(const model *m, period_t p);
/* 1 if unit counts among its parent's units for p on the structure (historical: valid in p;
 * current: also created later from predecessors, and not when its figures passed to successors). */
int eval_unit_in_structure(const model *m, int unit, period_t p, int structure);
/* Parses "historical"/"current"/"auto"; returns the enum value or -1. */
int eval_structure_parse(const char *s);
/* Frees what eval_unit allocated (not the struct itself). */
void eval_result_free(eval_result *r);

/* The actual of one indicator for a unit and period, derived as described above (on the
 * EVAL_AUTO structure, as eval_unit); returns 1 with *v set, 0 when there is no data or it is too
 * large to hold (eval_figure). */
int eval_actual(const model *m, int ind, int unit, period_t p, double *v);
/* The same on a structure (enum eval_structure); *converted (may be NULL) tells whether
 * predecessors' figures went into it. */
int eval_actual_on(const model *m, int ind, int unit, period_t p, int structure, double *v, int *converted);
/* What eval_figure found: a figure, none, or one too large to hold (beyond ±9×10^14). */
enum figure_state { FIG_NONE = 0, FIG_OK = 1, FIG_TOO_LARGE = 2 };
/* The same as eval_actual, telling "too large" (then *v is 0) apart from "no data": FIG_OK with *v. */
int eval_figure(const model *m, int ind, int unit, period_t p, double *v);
/* eval_figure on a structure, *converted (may be NULL) as eval_actual_on. */
int eval_figure_on(const model *m, int ind, int unit, period_t p, int structure, double *v, int *converted);
/* Writes into e the error for a figure too large to hold, naming indicator (code and name),
 * unit and period; returns -1. */
int eval_too_large_error(const model *m, int ind, int unit, period_t p, err_t *e);
/* Writes into e the error for the first row of r too large to hold (as eval_too_large_error),
 * followed by how many more there are; returns how many rows are (0: none, e untouched). */
int eval_too_large(const model *m, const eval_result *r, err_t *e);
/* 1 with the error of eval_too_large in e when the evaluation of unit for p, or of one of its
 * child units valid in p (which a report ranks), has a figure too large to hold; else 0 (also
 * when evaluation runs out of memory: the caller's own evaluation will say so). */
int eval_too_large_in(const model *m, int unit, period_t p, err_t *e);
/* The same on a structure (enum eval_structure): the child units counted are those
 * eval_unit_in_structure counts. */
int eval_too_large_in_on(const model *m, int unit, period_t p, int structure, err_t *e);
/* Compares actual to target at `decimals` places (at most 4) in direction dir; returns an enum status. */
int eval_status(int dir, int decimals, double actual, double target);
/* The same on figures in fixed point (fixed.h, units of 10^-4). */
int eval_status_fx(int dir, int decimals, int64_t actual_fx, int64_t target_fx);

/* Coverage of one figure, as in eval_row (all 0 when there is no figure or it is whole). */
typedef struct eval_cov {
    int partial, expected, reported, partial_children;
} eval_cov;
/* The actual with its coverage; returns 1 with *v and *cov set, 0 when there is no data. */
int eval_actual_cov(const model *m, int ind, int unit, period_t p, double *v, eval_cov *cov);
/* The same on a structure (enum eval_structure). */
int eval_actual_cov_on(const model *m, int ind, int unit, period_t p, int structure, double *v, eval_cov *cov);
/* Sets partial[u] to 1 for every unit whose figure of ind for p is partial, else 0 (one pass
 * over the tree sharing one memo, for the whole-tree roll-up); 0, or -1 on OOM. */
int eval_partial_units(const model *m, int ind, period_t p, unsigned char *partial);
/* 1 if partial figures of indicator ind are withheld (indicator setting, else the database's). */
int eval_withhold(const model *m, int ind);
/* Appends the coverage phrase of a partial row to b ("2/30 đơn vị có số liệu", in the current
 * language; with ", 3 đơn vị chưa đủ số liệu" when reported units are themselves partial). */
struct buf;
void eval_cov_text(const eval_row *r, struct buf *b);

/* ---- term-to-date (eval_term.c) ----
 * A term's figures so far against its targets: the term's whole years that have figures, from
 * its first, evaluated as one range (whose targets are the term's, see find_target), the share
 * of the term's time gone, and the mid-term review's tally.  A target that is a total over the
 * term (period aggregation sum) cannot be met before the term ends: its row is judged on
 * progress instead, on track (ST_MET) when its % of the target reaches the share of the term's
 * years gone (for direction down: stays within it), else ST_NOTMET. */
typedef struct eval_ttd {
    period_t term;
    int last_year;            /* the last year of the term (up to today's) with a figure of an
                                 indicator the unit has a term target for; 0: none */
    int running;              /* today lies within the term */
    int years_done, years;    /* the term's years from its first to last_year; all its years */
    double years_share;       /* years_done / years */
    double elapsed;           /* share of the term's days gone at today (period_elapsed) */
    period_t sofar;           /* term.y .. last_year as a range; P_NONE under two years */
    eval_result r;            /* sofar evaluated (rows as eval_unit; empty when sofar is P_NONE) */
    unsigned char *progress;  /* per row of r: 1 when judged on progress (a total over the term) */
    eval_tally t;             /* main indicators so far, totals judged on progress */
    period_t mid;             /* the mid-term review (the first three years of a term of five
                                 years or more), or P_NONE */
    eval_tally mid_t;         /* its tally (eval_unit on mid) */
} eval_ttd;
/* Fills *out (zeroed first) for unit, the term (a range) and today (yyyymmdd) on the structure
 * (enum eval_structure); returns 0 or -1 (OOM, message in e).  Free with eval_ttd_free. */
int eval_term_to_date(const model *m, int unit, period_t term, int today, int structure, eval_ttd *out,
                      err_t *e);
/* Frees what eval_term_to_date allocated (not the struct itself). */
void eval_ttd_free(eval_ttd *t);

/* Vietnamese (or English) name of a status: "vượt", "đạt", "không đạt", ... */
const char *eval_status_name(int status);
/* The status name of a row: "chưa đủ số liệu" for a partial figure, else eval_status_name. */
const char *eval_row_status_name(const eval_row *r);
/* Machine name of a status for JSON/CSV: "exceeded", "met", "not_met", "no_data", "no_target". */
const char *eval_status_key(int status);

#endif
