/* test_report_text.c - the review report's wording as tables of cases: the phrases
 * (tests/data/report_text.txt) and whole reports of a small city with five districts
 * (tests/data/report_cases.txt: a district's year, half-year and mid-term, in both languages). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "report_text.h"
#include "test_data.h"

static int dir_of(const char *s)
{
    return strcmp(s, "down") == 0 ? DIR_DOWN : strcmp(s, "done") == 0 ? DIR_DONE : strcmp(s, "equal") == 0 ? DIR_EQUAL : DIR_UP;
}

static const char *kind_name(int k)
{
    static const char *const names[] = { "plain", "rate", "score", "rank" };
    return names[k];
}

/* The phrase of one case; *judged gets the judgement when the function gives one. */
static void phrase(const td_line *l, const model *m, buf *b, int *judged)
{
    int dir = dir_of(l->f[2]), dec = atoi(l->f[3]);
    int kind = report_measure_kind(l->f[1], dir, dec);
    double a = strtod(l->f[4], NULL), v = strtod(l->f[5], NULL);
    const char *fn = l->f[0];
    *judged = -9;
    if (strncmp(fn, "change", 6) == 0)
        *judged = report_change_phrase(b, kind, dir, dec, l->f[1], a, v);
    else if (strncmp(fn, "cell", 4) == 0)
        *judged = report_change_cell(b, kind, dir, dec, a, v);
    else if (strncmp(fn, "result", 6) == 0)
        report_result_phrase(b, kind, dir, dec, l->f[1], a, v);
    else if (strncmp(fn, "pct", 3) == 0)
        report_pct_cell(b, kind, dir, dec, a, v);
    else if (strncmp(fn, "kind", 4) == 0)
        buf_adds(b, kind_name(kind));
    else if (strncmp(fn, "period", 6) == 0 || strncmp(fn, "next", 4) == 0) {
        period_t p;
        if (period_parse(l->f[1], strlen(l->f[1]), &p) != 0)
            fail_msg("report_text.txt:%d: bad period %s", l->lineno, l->f[1]);
        if (fn[0] == 'p')
            report_period_text(m, p, b);
        else
            report_next_period_text(m, p, b);
    } else
        fail_msg("report_text.txt:%d: unknown function %s", l->lineno, fn);
}

static void test_phrases(void **state)
{
    (void)state;
    model *m = model_new();
    period_t term;
    err_t e;
    assert_int_equal(period_parse("2020-2025", 9, &term), 0);
    assert_int_equal(model_put_term(m, term, "Nhiệm kỳ 2020–2025"), 0);
    assert_int_equal(model_finish(m, &e), 0);
    FILE *f = td_open("report_text.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int n = 0;
    buf b = BUF_INIT;
    while (td_next(f, &l)) {
        buf_reset(&b);
        if (strcmp(l.f[0], "goal") == 0) {
            if (report_set_is_goal(l.f[1]) != atoi(l.f[2]))
                fail_msg("report_text.txt:%d: '%s' taken for %s", l.lineno, l.f[1], atoi(l.f[2]) ? "a target" : "a goal");
            n++;
            continue;
        }
        int field = strncmp(l.f[0], "period", 6) == 0 || strncmp(l.f[0], "next", 4) == 0 ? 2 : 6, judged;
        lang_set(strstr(l.f[0], ".en") ? LANG_EN : LANG_VI);
        phrase(&l, m, &b, &judged);
        lang_set(LANG_VI);
        if (strcmp(buf_str(&b), l.f[field]) != 0)
            fail_msg("report_text.txt:%d: got '%s', want '%s'", l.lineno, buf_str(&b), l.f[field]);
        if (field == 6 && *l.f[7] && judged != atoi(l.f[7]))
            fail_msg("report_text.txt:%d: judged %d, want %s", l.lineno, judged, l.f[7]);
        n++;
    }
    fclose(f);
    buf_free(&b);
    model_free(m);
    assert_true(n >= 60);
}

/* ---- whole reports -------------------------------------------------------------------- */

static void put_ind(model *m, const char *code, const char *name, const char *group, const char *set,
                    const char *measure, int dir, int uagg, int pagg, int decimals, const char *parent)
{
    ind_t d = { 0 };
    d.code = (char *)code, d.name = (char *)name, d.group = (char *)group, d.set = (char *)set;
    d.measure = (char *)measure, d.parent_code = (char *)parent, d.formula_src = "";
    d.dir = dir, d.uagg = uagg, d.pagg = pagg, d.decimals = decimals;
    assert_true(model_put_ind(m, &d) >= 0);
}

static period_t per(const char *code)
{
    period_t p;
    assert_int_equal(period_parse(code, strlen(code), &p), 0);
    return p;
}

/* Thành ủy Mẫu and five districts; Quận ủy Một (q1) is the one reviewed. */
static model *city(void)
{
    model *m = model_new();
    err_t e;
    model_put_unit(m, "tp", "Thành ủy Mẫu", "", "Thành ủy", 0, 0);
    const char *codes[] = { "q1", "q2", "q3", "q4", "q5" };
    const char *names[] = { "Quận ủy Một", "Quận ủy Hai", "Quận ủy Ba", "Quận ủy Bốn", "Quận ủy Năm" };
    for (int i = 0; i < 5; i++)
        model_put_unit(m, codes[i], names[i], "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "ub", "Ủy ban nhân dân quận Mẫu", "", "UBND quận", 0, 0);   /* a state body */
    const char *kt = "Kinh tế - xã hội", *xd = "Xây dựng Đảng", *ct = "chỉ tiêu";
    put_ind(m, "thu", "Thu ngân sách", kt, ct, "tỷ đồng", DIR_UP, AGG_SUM, AGG_SUM, 0, "");
    put_ind(m, "ngheo", "Tỷ lệ hộ nghèo", kt, ct, "%", DIR_DOWN, AGG_AVG, AGG_LAST, 2, "");
    put_ind(m, "xh", "Xếp hạng ngành giáo dục", kt, ct, "thứ hạng", DIR_DOWN, AGG_NONE, AGG_LAST, 0, "");
    put_ind(m, "diem", "Điểm thi vào lớp 10", kt, ct, "điểm", DIR_UP, AGG_AVG, AGG_AVG, 2, "");
    put_ind(m, "tngt", "Số vụ tai nạn giao thông", kt, ct, "vụ", DIR_DOWN, AGG_SUM, AGG_SUM, 0, "");
    put_ind(m, "kn", "Kết nạp đảng viên mới", xd, ct, "đảng viên", DIR_UP, AGG_SUM, AGG_SUM, 0, "");
    put_ind(m, "nuoc", "Tỷ lệ hộ dùng nước sạch", kt, "mục tiêu phấn đấu", "%", DIR_UP, AGG_AVG, AGG_LAST, 1, "");
    put_ind(m, "cds", "Chuyển đổi số", kt, ct, "", DIR_DONE, AGG_NONE, AGG_LAST, 0, "");
    put_ind(m, "cds1", "Số hóa hồ sơ", kt, ct, "", DIR_DONE, AGG_NONE, AGG_LAST, 0, "cds");
    put_ind(m, "cds2", "Dịch vụ công trực tuyến", kt, ct, "dịch vụ", DIR_UP, AGG_SUM, AGG_SUM, 0, "cds");
    assert_int_equal(model_put_term(m, per("2020-2025"), "Nhiệm kỳ 2020–2025"), 0);
    assert_int_equal(model_finish(m, &e), 0);
    /* per district, 2021 then 2022 */
    static const double thu[5][2] = { { 16350, 18724 }, { 900, 950 }, { 1200, 1300 }, { 300, 310 }, { 250, 260 } };
    static const double ngheo[5][2] = { { 0.23, 0.18 }, { 0.5, 0.5 }, { 0.4, 0.4 }, { 0.3, 0.3 }, { 0.25, 0.25 } };
    static const double xh[5][2] = { { 6, 3 }, { 1, 1 }, { 2, 2 }, { 4, 4 }, { 5, 5 } };
    static const double diem[5][2] = { { 7.51, 8.25 }, { 6, 6 }, { 6.5, 6.5 }, { 7, 7 }, { 7.2, 7.2 } };
    static const double tngt[5][2] = { { 25, 28 }, { 10, 10 }, { 11, 11 }, { 12, 12 }, { 13, 13 } };
    static const double kn[5][2] = { { 90, 100 }, { 200, 200 }, { 300, 300 }, { 400, 400 }, { 500, 500 } };
    period_t y[2] = { per("2021"), per("2022") };
    for (int u = 0; u < 5; u++)
        for (int k = 0; k < 2; k++) {
            int unit = model_unit_find(m, codes[u]);
            model_put_value(m, 0, unit, y[k], thu[u][k], NULL);
            model_put_value(m, 1, unit, y[k], ngheo[u][k], NULL);
            model_put_value(m, 2, unit, y[k], xh[u][k], NULL);
            model_put_value(m, 3, unit, y[k], diem[u][k], NULL);
            model_put_value(m, 4, unit, y[k], tngt[u][k], NULL);
            model_put_value(m, 5, unit, y[k], kn[u][k], NULL);
        }
    int q1 = model_unit_find(m, "q1");
    period_t y22 = y[1], y23 = per("2023"), h1 = per("2023S1"), mid = per("2020-2022");
    double t22[] = { 12400, 0.2, 3, 8, 25, 100, 100, 1, 1, 5 };
    for (int i = 0; i < 10; i++)
        model_put_target(m, i, q1, y22, t22[i]);
    model_put_value(m, 6, q1, y22, 100, NULL);
    model_put_value(m, 7, q1, y22, 1, NULL);
    model_put_value(m, 8, q1, y22, 1, NULL);
    model_put_value(m, 9, q1, y22, 6, NULL);
    /* the first half of 2023 against the year's targets: two figures so far */
    double t23[] = { 20000, 0.16, 3, 8, 24, 120 };
    for (int i = 0; i < 6; i++)
        model_put_target(m, i, q1, y23, t23[i]);
    model_put_value(m, 0, q1, h1, 11180, NULL);
    model_put_value(m, 1, q1, h1, 0.17, NULL);
    model_put_value(m, 0, model_unit_find(m, "q2"), h1, 500, NULL);   /* 2 of the 5 districts: ranked 1/2 */
    /* mid-term against the term's targets (the congress resolution) */
    model_put_target(m, 0, q1, per("2020-2025"), 5000);
    model_put_target(m, 1, q1, per("2020-2025"), 0.3);
    model_put_value(m, 0, q1, mid, 5708, NULL);
    model_put_value(m, 1, q1, mid, 0.12, NULL);
    int ub = model_unit_find(m, "ub");
    model_put_target(m, 0, ub, per("2020-2025"), 5000);
    model_put_value(m, 0, ub, mid, 5200, NULL);
    return m;
}

static void test_reports(void **state)
{
    (void)state;
    model *m = city();
    FILE *f = td_open("report_cases.txt");
    assert_non_null(f);
    td_line l = { 0 };
    int n = 0;
    buf out = BUF_INIT;
    while (td_next(f, &l)) {
        json_t *doc;
        err_t e;
        lang_set(strcmp(l.f[0], "en") == 0 ? LANG_EN : LANG_VI);
        int unit = model_unit_find(m, l.f[1]);
        assert_true(unit >= 0);
        buf_reset(&out);
        if (report_build(m, unit, per(l.f[2]), &doc, &e) != 0 || report_render(doc, l.f[5][0] ? l.f[5] : "md", &out, &e) != 0)
            fail_msg("report_cases.txt:%d: %s", l.lineno, e.msg);
        json_decref(doc);
        lang_set(LANG_VI);
        int found = strstr(buf_str(&out), l.f[4]) != NULL, want = strcmp(l.f[3], "has") == 0;
        if (getenv("SHOW") && !found && want)
            puts(buf_str(&out));
        if (found != want)
            fail_msg("report_cases.txt:%d: the %s report of %s %s '%s'", l.lineno, l.f[2], l.f[1],
                     want ? "lacks" : "holds", l.f[4]);
        n++;
    }
    fclose(f);
    buf_free(&out);
    model_free(m);
    assert_true(n >= 20);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phrases),
        cmocka_unit_test(test_reports),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
