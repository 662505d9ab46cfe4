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
/* A line with a dot and a value per point, labels under the axis; appends a PNG to out. */
int chart_line(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e);

#endif
