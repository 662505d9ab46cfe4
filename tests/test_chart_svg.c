/* test_chart_svg.c - the pages' SVG charts (chart_svg.h): tick steps, Vietnamese and English
 * number format on the axis and the values, bar lengths proportional to the values with zero
 * on the axis, names escaped and shortened, gaps in a line, and bad options refused with the
 * caller's buf left as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "chart_svg.h"
#include "err.h"

static void test_steps(void **state)
{
    (void)state;
    static const struct { double lo, hi, step; } cases[] = {
        { 0, 100, 50 }, { 0, 283, 100 }, { 0, 3333, 1000 }, { 0, 46, 20 }, { 0, 1, 0.5 },
        { 0, 0.09, 0.05 }, { -40, 60, 50 }, { 0, 15000, 5000 }, { 0, 7, 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double got = chart_svg_step(cases[i].lo, cases[i].hi);
        if (got < cases[i].step * 0.999 || got > cases[i].step * 1.001)
            fail_msg("step(%g, %g) = %g, want %g", cases[i].lo, cases[i].hi, got, cases[i].step);
    }
    assert_true(chart_svg_step(5, 5) == 1);     /* no range: a step all the same */
}

/* The width attribute of the n-th <rect> after from, or -1. */
static double rect_width(const char *from, int n)
{
    const char *r = from;
    for (int i = 0; i <= n; i++) {
        r = strstr(r, "<rect ");
        if (r == NULL)
            return -1;
        r += 6;
    }
    const char *w = strstr(r, "width=\"");
    return w ? atof(w + 7) : -1;
}

static void test_bars(void **state)
{
    (void)state;
    const char *labels[] = { "Phường <Một>", "Phường Hai có một cái tên rất dài hơn chỗ dành cho tên trong biểu đồ này" };
    double vals[] = { 15000, 7500 };
    chart_svg_opt o = { .id = "u", .title = "Kết nạp", .measure = "đảng viên", .width = 860, .decimals = 0,
                        .lang = LANG_VI };
    buf b = BUF_INIT;
    assert_int_equal(chart_svg_bars(&b, &o, labels, vals, 2), 0);
    const char *s = buf_str(&b);
    assert_non_null(strstr(s, "role=\"img\""));
    assert_non_null(strstr(s, "aria-labelledby=\"u-t u-d\""));
    assert_non_null(strstr(s, ">15.000</text>"));            /* value, Vietnamese format */
    assert_non_null(strstr(s, ">5.000</text>"));             /* a tick */
    assert_non_null(strstr(s, ">đảng viên</text>"));         /* the axis title */
    assert_non_null(strstr(s, "Phường &lt;Một&gt;"));
    assert_null(strstr(s, "<Một>"));
    assert_non_null(strstr(s, "…</text>"));                  /* the long name shortened */
    assert_non_null(strstr(s, "<title>Phường Hai có một cái tên rất dài"));  /* and whole in its title */
    assert_null(strstr(s, "style="));
    double w1 = rect_width(s, 0), w2 = rect_width(s, 1);
    assert_true(w1 > 0 && w2 > 0);
    assert_true(w1 / w2 > 1.99 && w1 / w2 < 2.01);           /* lengths in proportion: 0 on the axis */
    buf_free(&b);

    o.lang = LANG_EN;
    o.width = 340;                                           /* the phone drawing: names above bars */
    assert_int_equal(chart_svg_bars(&b, &o, labels, vals, 2), 0);
    assert_non_null(strstr(buf_str(&b), ">15,000</text>"));
    assert_non_null(strstr(buf_str(&b), "class=\"chart-svg narrow\""));
    buf_free(&b);

    buf_adds(&b, "x");
    o.width = 100;                                           /* refused: nothing appended */
    assert_int_equal(chart_svg_bars(&b, &o, labels, vals, 2), -1);
    assert_string_equal(buf_str(&b), "x");
    buf_free(&b);
}

static void test_line(void **state)
{
    (void)state;
    const char *labels[] = { "Năm 2019", "Năm 2020", "Năm 2021", "Quý 1/2022", "Năm 2023" };
    double act[] = { 0, 257, 263.5, 283, 283 }, tgt[] = { 0, 0, 250, 240, 283 };
    int has_a[] = { 0, 1, 1, 0, 1 }, has_t[] = { 0, 0, 1, 1, 1 };
    chart_svg_opt o = { .id = "t", .title = "Qua các kỳ", .measure = "%", .width = 340, .decimals = 1,
                        .lang = LANG_VI };
    buf b = BUF_INIT;
    assert_int_equal(chart_svg_line(&b, &o, labels, act, has_a, tgt, has_t, 5, "Thực hiện", "Kế hoạch"), 0);
    const char *s = buf_str(&b);
    assert_non_null(strstr(s, ">263,5</text>"));
    assert_non_null(strstr(s, ">Thực hiện</text>"));
    assert_non_null(strstr(s, ">Kế hoạch</text>"));
    assert_non_null(strstr(s, "rotate(-90)\" text-anchor=\"middle\" fill=\"#4b5563\">%</text>"));
    assert_non_null(strstr(s, ">0</text>"));                 /* zero is on the axis */
    assert_non_null(strstr(s, "<desc id=\"t-d\">Năm 2019: —; Năm 2020: 257;"));
    /* the actual line breaks where a figure is missing: two pieces (M ... L ..., then M ...) */
    const char *path = strstr(s, "<path fill=\"none\" stroke=\"#a4161a\"");
    assert_non_null(path);
    const char *d = strstr(path, " d=\"") + 4, *end = strchr(d, '"');
    int moves = 0;
    for (const char *q = d; q < end; q++)
        moves += *q == 'M';
    assert_int_equal(moves, 2);
    assert_non_null(strstr(s, "<tspan"));                    /* "Quý 1/2022" on two lines at 340 px */
    buf_free(&b);
    assert_int_equal(chart_svg_line(&b, &o, labels, act, has_a, tgt, has_t, 0, "a", "b"), -1);
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps),
        cmocka_unit_test(test_bars),
        cmocka_unit_test(test_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
