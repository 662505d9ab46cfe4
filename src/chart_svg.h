/* chart_svg.h - charts for the web pages, written as inline SVG text: horizontal bars (units
 * ranked) and lines (actual and target across periods), with axes, tick values and axis titles
 * in the page language's number format ("15.000" in Vietnamese).  Each is drawn for one width in
 * CSS pixels, so the text stays readable on the screen it is shown on (the page carries a narrow
 * and a wide drawing, CSS shows one).  Only presentation attributes, no style attributes, so the
 * strict Content-Security-Policy allows them.  Pure: appends to the caller's buf, keeps nothing.
 * The PNG charts of the documents stay in chart.h (cairo). */
#ifndef CHITIEU_CHART_SVG_H
#define CHITIEU_CHART_SVG_H

#include "buf.h"

typedef struct chart_svg_opt {
    const char *id;          /* unique in the page: prefixes the ids of <title>/<desc> */
    const char *title;       /* the chart's name (read out as the image's name) */
    const char *measure;     /* the value axis's title, e.g. "đảng viên" or "%" */
    int width;               /* CSS pixels, 300..1200 */
    int decimals;            /* the indicator's decimals, at most, for values and ticks */
    int lang;                /* LANG_VI or LANG_EN (vn.h) */
} chart_svg_opt;

/* Appends horizontal bars, one per label, in the order given, with the value at each bar's end;
 * returns 0 or -1 (bad options or out of memory; out then holds no half chart). */
int chart_svg_bars(buf *out, const chart_svg_opt *o, const char *const *labels, const double *values, int n);

/* Appends lines across n periods (labels under the axis): the actual figures (solid, with dots
 * and values; has_actual[k] = 0 leaves a gap) and the targets (dashed; has_target likewise),
 * with a legend naming actual_name and target_name; returns 0 or -1 as chart_svg_bars. */
int chart_svg_line(buf *out, const chart_svg_opt *o, const char *const *labels, const double *actual,
                   const int *has_actual, const double *target, const int *has_target, int n,
                   const char *actual_name, const char *target_name);

/* The step between value-axis ticks for values from lo to hi (1, 2 or 5 times a power of ten,
 * about four steps); lo < hi. */
double chart_svg_step(double lo, double hi);

#endif
