/* chart.h - charts for reports, drawn with cairo into PNG bytes: horizontal bars (units
 * ranked) and a line (a figure across periods).  Labels are UTF-8 (Vietnamese); the PNG goes
 * into the caller's buf; nothing else is kept. */
#ifndef CHITIEU_CHART_H
#define CHITIEU_CHART_H

#include "buf.h"
#include "err.h"

#define CHART_W 900  /* pixels; the documents scale the image to the text width */

/* Horizontal bars, one per label, longest scale at max(values, 100) when pct != 0; appends a
 * PNG to out and sets *height to the image height in pixels. */
int chart_bars(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e);
#define CHART_LABEL_MAX 24
/* The value axis' ticks over [lo, hi]: a step of 1, 2, 2.5 or 5 times a power of ten (about four
 * steps), from the step at or below lo to the one at or above hi; writes each tick's value and
 * its label in the language's number format ("1.250", "62,5%" with pct) and returns how many
 * (<= max; 0 when hi <= lo). */
int chart_ticks(double lo, double hi, int pct, double *values, char (*labels)[CHART_LABEL_MAX], int max);
/* A line with a dot and a value per point, labels under the axis, a value axis with labelled
 * ticks (chart_ticks), both axes titled; appends a PNG to out. */
int chart_line(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e);

#endif
