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

int chart_line(const char *title, const char *const *labels, const double *values, int n, int pct,
               buf *out, int *height, err_t *e)
{
    const int h = 340;
    const double top = 60, bottom = 60, left = 70, right = 40;
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
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    text(cr, CHART_W / 2.0, 30, title, 18, 1, 1);
    double pw = CHART_W - left - right, ph = h - top - bottom;
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
    cairo_set_line_width(cr, 1);
    for (int g = 0; g <= 4; g++) { /* grid */
        double y = top + ph * g / 4;
        cairo_move_to(cr, left, y + 0.5);
        cairo_line_to(cr, left + pw, y + 0.5);
    }
    cairo_stroke(cr);
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
        text(cr, x, h - bottom + 24, labels[i], 13, 0, 1);
    }
    *height = h;
    return finish(sf, cr, out, e);
}
