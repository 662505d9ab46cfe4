/* chart.c - report charts with cairo (see chart.h).
 *
 * Each chart is drawn on an ARGB image surface owned here, written out through
 * cairo_surface_write_to_png_stream into the caller's buf, then destroyed.  Text uses cairo's
 * toy font API with a serif face (fontconfig picks Times New Roman or a metric twin such as
 * Liberation Serif / DejaVu Serif), which carries the Vietnamese letters.
 */
#include "chart.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>

#include "err.h"
#include "vn.h"

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int len)
{
    return buf_add(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static void text(cairo_t *cr, double x, double y, const char *s, double size, int bold, int align)
{
    cairo_select_font_face(cr, "serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    double dx = align == 0 ? 0 : align == 1 ? -ext.x_advance / 2 : -ext.x_advance;
    cairo_move_to(cr, x + dx, y);
    cairo_show_text(cr, s);
}

static int finish(cairo_surface_t *sf, cairo_t *cr, buf *out, err_t *e)
{
    cairo_destroy(cr);
    cairo_status_t st = cairo_surface_write_to_png_stream(sf, to_buf, out);
    cairo_surface_destroy(sf);
    if (st != CAIRO_STATUS_SUCCESS)
        return err_set(e, "chart: %s", cairo_status_to_string(st));
    return 0;
}

static void fmt_value(char *b, size_t n, double v, int pct)
{
    buf t = BUF_INIT;
    vn_format_number_trim(v, v >= 100 ? 0 : 1, lang_get(), &t);
    snprintf(b, n, "%s%s", buf_str(&t), pct ? "%" : "");
    buf_free(&t);
}

int chart_bars(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e)
{
    const double row = 26, top = 50, left = 300, right = 80;
    int h = (int)(top + row * n + 20);
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, CHART_W, h);
    cairo_t *cr = cairo_create(sf);
    double max = pct ? 100 : 0;
    for (int i = 0; i < n; i++)
        max = values[i] > max ? values[i] : max;
    if (max <= 0)
        max = 1;
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, CHART_W / 2.0, 28, title, 18, 1, 1);
    double span = CHART_W - left - right;
    for (int i = 0; i < n; i++) {
        double y = top + row * i;
        double w = span * (values[i] < 0 ? 0 : values[i]) / max;
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, left - 8, y + row * 0.68, labels[i], 14, 0, 2);
        if (pct && values[i] >= 100)
            cairo_set_source_rgb(cr, 0.13, 0.55, 0.27);
        else
            cairo_set_source_rgb(cr, 0.20, 0.40, 0.70);
        cairo_rectangle(cr, left, y + 4, w, row - 8);
        cairo_fill(cr);
        char v[32];
        fmt_value(v, sizeof v, values[i], pct);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, left + w + 6, y + row * 0.68, v, 13, 0, 0);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, left + 0.5, top);
    cairo_line_to(cr, left + 0.5, top + row * n);
    cairo_stroke(cr);
    *height = h;
    return finish(sf, cr, out, e);
}

int chart_ticks(double lo, double hi, int pct, double *values, char (*labels)[CHART_LABEL_MAX], int max)
{
    if (!(hi > lo) || max < 2 || !isfinite(lo) || !isfinite(hi))
        return 0;
    double raw = (hi - lo) / 4, mag = pow(10, floor(log10(raw))), step = 10 * mag;
    static const double nice[] = { 1, 2, 2.5, 5, 10 };
    for (size_t k = 0; k < sizeof nice / sizeof nice[0]; k++)
        if (nice[k] * mag >= raw - 1e-12) {
            step = nice[k] * mag;
            break;
        }
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9) + (fmod(step / mag, 1) > 1e-9);
    dec = dec > 6 ? 6 : dec;
    double first = floor(lo / step + 1e-9) * step;
    int n = 0;
    for (double v = first; v <= hi + step * 0.999 && n < max; v += step) {
        double t = fabs(v) < step * 1e-9 ? 0 : v;  /* no "-0" */
        values[n] = t;
        buf b = BUF_INIT;
        vn_format_number_trim(t, dec, lang_get(), &b);
        snprintf(labels[n], CHART_LABEL_MAX, "%s%s", buf_str(&b), pct ? "%" : "");
        buf_free(&b);
        n++;
        if (t >= hi - step * 1e-9)
            break;
    }
    return n;
}

/* A line with a dot and its value per point, on a value axis with ticks labelled in the
 * language's number format ("1.250", "62,5%"), the axes titled. */
int chart_line(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e)
{
    const int h = 380;
    const double top = 60, bottom = 84, left = 110, right = 40;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, CHART_W, h);
    cairo_t *cr = cairo_create(sf);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < n; i++) {
        lo = values[i] < lo ? values[i] : lo;
        hi = values[i] > hi ? values[i] : hi;
    }
    if (n == 0)
        lo = 0, hi = 1;
    if (pct)
        lo = lo > 0 ? 0 : lo, hi = hi < 100 ? 100 : hi;
    if (hi - lo < 1e-9)
        hi = lo + 1;
    double tv[12];
    char tl[12][CHART_LABEL_MAX];
    int nt = chart_ticks(lo, hi, pct, tv, tl, 12);
    if (nt >= 2) {                                   /* the axis spans whole ticks */
        lo = tv[0] < lo ? tv[0] : lo;
        hi = tv[nt - 1] > hi ? tv[nt - 1] : hi;
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, CHART_W / 2.0, 30, title, 18, 1, 1);
    double pw = CHART_W - left - right, ph = h - top - bottom;
    for (int g = 0; g < nt; g++) {                   /* grid lines and their values */
        double y = top + ph * (1 - (tv[g] - lo) / (hi - lo));
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(cr, 1);
        cairo_move_to(cr, left, floor(y) + 0.5);
        cairo_line_to(cr, left + pw, floor(y) + 0.5);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, left - 8, y + 5, tl[g], 13, 0, 2);
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);         /* the axes */
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, left + 0.5, top);
    cairo_line_to(cr, left + 0.5, top + ph + 0.5);
    cairo_line_to(cr, left + pw, top + ph + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, left + pw / 2, h - 14, tr("Kỳ báo cáo", "Period"), 14, 0, 1);
    cairo_save(cr);                                  /* the value axis' title, upright */
    cairo_translate(cr, 24, top + ph / 2);
    cairo_rotate(cr, -M_PI / 2);
    text(cr, 0, 0, pct ? tr("Tỷ lệ (%)", "Share (%)") : tr("Giá trị", "Value"), 14, 0, 1);
    cairo_restore(cr);
    double step = n > 1 ? pw / (n - 1) : 0;
    cairo_set_source_rgb(cr, 0.20, 0.40, 0.70);
    cairo_set_line_width(cr, 3);
    for (int i = 0; i < n; i++) {
        double x = left + (n > 1 ? step * i : pw / 2), y = top + ph * (1 - (values[i] - lo) / (hi - lo));
        if (i == 0)
            cairo_move_to(cr, x, y);
        else
            cairo_line_to(cr, x, y);
    }
    cairo_stroke(cr);
    for (int i = 0; i < n; i++) {
        double x = left + (n > 1 ? step * i : pw / 2), y = top + ph * (1 - (values[i] - lo) / (hi - lo));
        cairo_set_source_rgb(cr, 0.20, 0.40, 0.70);
        cairo_arc(cr, x, y, 5, 0, 2 * M_PI);
        cairo_fill(cr);
        char v[32];
        fmt_value(v, sizeof v, values[i], pct);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, x, y - 12, v, 13, 0, 1);
        text(cr, x, top + ph + 24, labels[i], 13, 0, 1);
    }
    *height = h;
    return finish(sf, cr, out, e);
}
