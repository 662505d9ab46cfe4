/* chart_svg.c - the web pages' charts as inline SVG (see chart_svg.h).
 *
 * Data flow: the caller's labels and values -> a value scale (zero always on it, ticks at 1/2/5
 * steps) -> SVG elements appended to the caller's buf.  Text goes through html_str (escaped);
 * numbers through vn_format_number_trim in the chart's language.  Text widths are estimated from
 * the display width of the UTF-8 text (vn_width), so long names are shortened with "…" and keep
 * their full form in a <title>.  Nothing is kept between calls.
 */
#include "chart_svg.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "err.h"
#include "html.h"
#include "vn.h"

#define FONT "system-ui, &quot;Segoe UI&quot;, Roboto, &quot;Noto Sans&quot;, sans-serif"
#define C_TEXT "#1d2430"
#define C_MUTED "#4b5563"
#define C_GRID "#d9dee6"
#define C_BAR "#a4161a"
#define C_TARGET "#4b5563"

/* The output and whether any append failed (then the chart is taken back whole). */
typedef struct svgw {
    buf *b;
    int bad;
} svgw;

static void put(svgw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(svgw *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    w->bad |= buf_vprintf(w->b, fmt, ap) != 0;
    va_end(ap);
}

static void esc(svgw *w, const char *s)
{
    w->bad |= html_str(w->b, s ? s : "") != 0;
}

static void escn(svgw *w, const char *s, size_t n)
{
    w->bad |= html_text(w->b, s, n) != 0;
}

double chart_svg_step(double lo, double hi)
{
    double raw = (hi - lo) / 4;
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* Decimals that show a tick step exactly (0 for steps of 1 and more). */
static int step_decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-9)
        d++;
    return d;
}

static void num(svgw *w, double v, int decimals, int lang)
{
    w->bad |= vn_format_number_trim(v, decimals, lang, w->b) != 0;
}

/* Estimated width in px of s at font size px. */
static double text_w(const char *s, double px)
{
    return (double)vn_width(s, strlen(s)) * px * 0.56;
}

/* Appends s escaped, cut with "…" to about max_px at font size px. */
static void fit_text(svgw *out, const char *s, double max_px, double px)
{
    if (text_w(s, px) <= max_px) {
        esc(out, s);
        return;
    }
    size_t keep = 0, chars = 0, limit = (size_t)(max_px / (px * 0.56));
    limit = limit > 1 ? limit - 1 : 1;
    for (size_t i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;            /* inside a character */
        if (chars++ == limit)
            break;
        keep = i;
        while (s[keep + 1] && ((unsigned char)s[keep + 1] & 0xC0) == 0x80)
            keep++;
        keep++;
    }
    escn(out, s, keep);
    put(out, "%s", "…");
}

/* The scale: [lo, hi] widened to whole steps, with zero on it. */
static void scale(const double *v, const int *has, int n, const double *v2, const int *has2, double *lo, double *hi,
                  double *step)
{
    double a = 0, b = 0;
    for (int i = 0; i < n; i++) {
        if ((!has || has[i]) && isfinite(v[i]))
            a = fmin(a, v[i]), b = fmax(b, v[i]);
        if (v2 && has2[i] && isfinite(v2[i]))
            a = fmin(a, v2[i]), b = fmax(b, v2[i]);
    }
    if (b <= a)
        b = a + 1;
    *step = chart_svg_step(a, b);
    *lo = floor(a / *step + 1e-9) * *step;
    *hi = ceil(b / *step - 1e-9) * *step;
    if (*hi <= *lo)
        *hi = *lo + *step;
}

static void open_svg(svgw *out, const chart_svg_opt *o, const char *cls, int h)
{
    put(out, "<svg class=\"chart-svg %s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" "
                    "aria-labelledby=\"%s-t %s-d\" font-family=\"" FONT "\" font-size=\"12\" fill=\"" C_TEXT "\">"
                    "<title id=\"%s-t\">", cls, o->width, h, o->width, h, o->id, o->id, o->id);
    esc(out, o->title);
    put(out, "</title><desc id=\"%s-d\">", o->id);
}

/* The value axis's ticks and grid lines: vertical (bars, from x0 to x1 at y0..y1) or
 * horizontal (lines). */
static void ticks(svgw *out, const chart_svg_opt *o, double lo, double hi, double step, int vertical, double a0,
                  double a1, double b0, double b1)
{
    int dec = step_decimals(step);
    dec = dec > o->decimals ? dec : o->decimals;
    for (double t = lo; t <= hi + step / 2; t += step) {
        double at = a0 + (t - lo) / (hi - lo) * (a1 - a0);
        if (vertical)
            put(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" C_GRID "\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_MUTED "\">",
                       at, at, b0, b1, at, b1 + 14);
        else
            put(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" C_GRID "\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"" C_MUTED "\">",
                       b0, b1, at, at, b0 - 6, at + 4);
        num(out, fabs(t) < step * 1e-9 ? 0 : t, dec, o->lang);
        put(out, "%s", "</text>");
    }
}

int chart_svg_bars(buf *b, const chart_svg_opt *o, const char *const *labels, const double *values, int n)
{
    svgw w0 = { b, 0 }, *out = &w0;
    if (o->width < 300 || o->width > 1200 || n < 0 || n > 10000)
        return -1;
    size_t start = b->len;
    int narrow = o->width < 560;
    double row = narrow ? 38 : 26, top = 8, lw = narrow ? 0 : fmin(o->width * 0.34, 280);
    double x0 = narrow ? 8 : lw + 10, x1 = o->width - (narrow ? 64 : 80);
    int h = (int)(top + row * n + 44);
    double lo, hi, step;
    scale(values, NULL, n, NULL, NULL, &lo, &hi, &step);
    open_svg(out, o, narrow ? "narrow" : "wide", h);
    for (int i = 0; i < n; i++) {
        esc(out, labels[i]);
        put(out, "%s", ": ");
        num(out, values[i], o->decimals, o->lang);
        put(out, "%s", i + 1 < n ? "; " : "");
    }
    put(out, "%s", "</desc>");
    double yb = top + row * n;
    ticks(out, o, lo, hi, step, 1, x0, x1, top, yb);
    double xz = x0 + (0 - lo) / (hi - lo) * (x1 - x0);
    for (int i = 0; i < n; i++) {
        double y = top + row * i, xv = x0 + (values[i] - lo) / (hi - lo) * (x1 - x0);
        double bar_y = narrow ? y + 18 : y + 5, bar_h = narrow ? 14 : 16;
        put(out, "%s", "<g><title>");
        esc(out, labels[i]);
        put(out, "%s", "</title>");
        if (narrow)
            put(out, "<text x=\"%.1f\" y=\"%.1f\">", x0, y + 13);
        else
            put(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">", lw, bar_y + 12);
        fit_text(out, labels[i], narrow ? o->width - 16 : lw - 4, 12);
        put(out, "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"" C_BAR "\"/>"
                        "<text x=\"%.1f\" y=\"%.1f\">",
                   fmin(xz, xv), bar_y, fabs(xv - xz), bar_h, fmax(xz, xv) + 4, bar_y + bar_h - 3);
        num(out, values[i], o->decimals, o->lang);
        put(out, "%s", "</text></g>");
    }
    put(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"" C_MUTED "\"/>", xz, xz, top, yb);
    put(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_MUTED "\">", (x0 + x1) / 2, yb + 34);
    esc(out, o->measure && *o->measure ? o->measure : "");
    put(out, "%s", "</text></svg>");
    if (out->bad) {
        buf_truncate(b, start);
        return -1;
    }
    return 0;
}

/* One series: a path through the points that have a value (a gap restarts it), dots with their
 * values when dots != 0. */
static void series(svgw *out, const chart_svg_opt *o, const double *xs, const double *v, const int *has, int n,
                   double lo, double hi, double y0, double y1, const char *color, int dashed, int dots)
{
    put(out, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s d=\"", color, dashed ? "1.5" : "2.5",
               dashed ? " stroke-dasharray=\"6 4\"" : "");
    int pen = 0;
    for (int k = 0; k < n; k++) {
        if (!has[k]) {
            pen = 0;
            continue;
        }
        double y = y0 + (v[k] - lo) / (hi - lo) * (y1 - y0);
        put(out, "%c%.1f %.1f ", pen ? 'L' : 'M', xs[k], y);
        pen = 1;
    }
    put(out, "%s", "\"/>");
    for (int k = 0; k < n; k++) {
        if (!has[k])
            continue;
        double y = y0 + (v[k] - lo) / (hi - lo) * (y1 - y0);
        if (!dots) {
            put(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#fff\" stroke=\"%s\"/>", xs[k], y, color);
            continue;
        }
        put(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                        "text-anchor=\"middle\" font-weight=\"600\">", xs[k], y, color, xs[k], y - 9);
        num(out, v[k], o->decimals, o->lang);
        put(out, "%s", "</text>");
    }
}

/* A period's name under the axis, on two lines when it is wider than its slot. */
static void x_label(svgw *out, const char *s, double x, double y, double slot)
{
    const char *sp = strrchr(s, ' ');
    put(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"" C_MUTED "\">", x, y);
    if (text_w(s, 12) <= slot - 4 || sp == NULL) {
        fit_text(out, s, slot - 2, 12);
    } else {
        put(out, "<tspan x=\"%.1f\">", x);
        escn(out, s, (size_t)(sp - s));
        put(out, "</tspan><tspan x=\"%.1f\" dy=\"14\">", x);
        fit_text(out, sp + 1, slot - 2, 12);
        put(out, "%s", "</tspan>");
    }
    put(out, "%s", "</text>");
}

int chart_svg_line(buf *b, const chart_svg_opt *o, const char *const *labels, const double *actual,
                   const int *has_actual, const double *target, const int *has_target, int n,
                   const char *actual_name, const char *target_name)
{
    svgw w0 = { b, 0 }, *out = &w0;
    if (o->width < 300 || o->width > 1200 || n < 1 || n > 60)
        return -1;
    size_t start = b->len;
    int narrow = o->width < 560, h = narrow ? 250 : 290;
    double lo, hi, step, xs[60];
    scale(actual, has_actual, n, target, has_target, &lo, &hi, &step);
    int dec = step_decimals(step) > o->decimals ? step_decimals(step) : o->decimals;
    buf tick = BUF_INIT;
    vn_format_number_trim(fabs(hi) > fabs(lo) ? hi : lo, dec, o->lang, &tick);
    double left = 24 + text_w(buf_str(&tick), 12) + 8, right = 14, top = 40, bottom = h - 46;
    buf_free(&tick);
    double slot = (o->width - left - right) / n;
    for (int k = 0; k < n; k++)
        xs[k] = left + slot * (k + 0.5);
    open_svg(out, o, narrow ? "narrow" : "wide", h);
    for (int k = 0; k < n; k++) {
        esc(out, labels[k]);
        put(out, "%s", ": ");
        if (has_actual[k])
            num(out, actual[k], o->decimals, o->lang);
        else
            put(out, "%s", "—");
        if (has_target[k]) {
            put(out, "%s", " / ");
            num(out, target[k], o->decimals, o->lang);
        }
        put(out, "%s", k + 1 < n ? "; " : "");
    }
    put(out, "%s", "</desc>");
    /* legend */
    put(out, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"14\" y2=\"14\" stroke=\"" C_BAR "\" stroke-width=\"2.5\"/>"
                    "<text x=\"%.1f\" y=\"18\">", left, left + 22, left + 28);
    esc(out, actual_name);
    double lx = left + 28 + text_w(actual_name, 12) + 18;
    put(out, "</text><line x1=\"%.1f\" x2=\"%.1f\" y1=\"14\" y2=\"14\" stroke=\"" C_TARGET "\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%.1f\" y=\"18\">", lx, lx + 22, lx + 28);
    esc(out, target_name);
    put(out, "%s", "</text>");
    ticks(out, o, lo, hi, step, 0, bottom, top, left, o->width - right);
    put(out, "<text transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\" fill=\"" C_MUTED "\">",
               (top + bottom) / 2);
    esc(out, o->measure ? o->measure : "");
    put(out, "%s", "</text>");
    for (int k = 0; k < n; k++)
        x_label(out, labels[k], xs[k], bottom + 18, slot);
    series(out, o, xs, target, has_target, n, lo, hi, bottom, top, C_TARGET, 1, 0);
    series(out, o, xs, actual, has_actual, n, lo, hi, bottom, top, C_BAR, 0, 1);
    put(out, "%s", "</svg>");
    if (out->bad) {
        buf_truncate(b, start);
        return -1;
    }
    return 0;
}
