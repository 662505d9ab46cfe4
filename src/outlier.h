/* outlier.h - figures that look wrong: outlier checks over a model (pure: no I/O).
 *
 * A reported figure x of (indicator, unit, period) is flagged for review (never refused) when:
 * - history: compared with the same unit's figures for the same period in the previous
 *   `years` years (at least `min_points` of them), its modified z-score
 *   0.6745·(x − median)/MAD exceeds k in absolute value (MAD = median absolute deviation; when
 *   MAD is 0 the mean absolute deviation ·1.2533 stands in; when both are 0 nothing is flagged);
 * - peers: the same test against its sibling units' figures for the same period;
 * - bounds: x lies outside the indicator's optional [min, max] (a bounds file, header
 *   `indicator,min,max`, either bound may be empty).
 * Flags and bounds are plain arrays the caller owns (free).
 */
#ifndef CHITIEU_OUTLIER_H
#define CHITIEU_OUTLIER_H

#include "buf.h"
#include "err.h"
#include "model.h"

#define OUTLIER_K_DEFAULT 3.5

typedef struct outlier_opts {
    double k;                  /* threshold on |modified z| (0 = OUTLIER_K_DEFAULT) */
    int years;                 /* history depth (0 = 5) */
    int min_points;            /* fewest reference figures to judge by (0 = 3) */
} outlier_opts;

enum outlier_kind { OUT_HISTORY = 1, OUT_PEERS = 2, OUT_BOUNDS = 3 };

typedef struct outlier_bound {
    char code[64];             /* indicator code */
    int ind;                   /* its index (outlier_bounds_bind), -1 = unknown */
    int has_min, has_max;
    double min, max;
} outlier_bound;

typedef struct outlier_flag {
    int kind;                  /* enum outlier_kind */
    int ind, unit;
    period_t p;
    double v;                  /* the figure */
    double ref;                /* history/peers: the median; bounds: the bound crossed */
    double z;                  /* history/peers: the modified z-score; bounds: 0 */
    int npoints;               /* reference figures used (history/peers) */
} outlier_flag;

/* Modified z-score of x against ref[0..n) (n >= 1; ref is reordered); *median gets the median.
 * Returns 1 if |z| > k (flag), 0 if not or when the reference has no spread. */
int outlier_mad(double *ref, int n, double x, double k, double *median, double *z);

/* Checks every reported figure of period p on unit and the units below it; appends the flags
 * to *out (realloc'ed, the caller frees) and *n, ordered by unit then indicator.  b (nb entries,
 * bound) may be NULL.  Returns 0 or -1 (OOM). */
int outlier_run(const model *m, const outlier_bound *b, int nb, const outlier_opts *o, int unit, period_t p,
                outlier_flag **out, int *n, err_t *e);

/* Parses a bounds file (header `indicator,min,max`; numbers in C or Vietnamese notation) into
 * *out (the caller frees); problems go to errors ("NAME, dòng R, cột C (TÊN): ...") and return -1. */
int outlier_bounds_parse(const char *name, const char *data, size_t len, outlier_bound **out, int *n,
                         buf *errors, err_t *e);
/* 1 if data's header line is the bounds header. */
int outlier_file_is_bounds(const char *data, size_t len);
/* Resolves the bounds' codes against m (unknown codes get ind -1 and are ignored by the run). */
void outlier_bounds_bind(outlier_bound *b, int nb, const model *m);
/* "lịch sử" / "đơn vị cùng cấp" / "ngưỡng" (or English); outlier_kind_key: history/peers/bounds. */
const char *outlier_kind_name(int kind);
const char *outlier_kind_key(int kind);

#endif
