/* test_report.c - HTML escaping, option parsing, and the report's sentences and renderings
 * on a small model (Vietnamese numbers, ranks among peers, parent comparison). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli.h"
#include "html.h"
#include "report.h"

static void test_html_escape(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    html_str(&b, "<a href=\"x\">Tôi & 'bạn'</a>");
    assert_string_equal(buf_str(&b), "&lt;a href=&quot;x&quot;&gt;Tôi &amp; &#39;bạn&#39;&lt;/a&gt;");
    buf_reset(&b);
    html_text(&b, "a\x01" "b\tc\n", 6);
    assert_string_equal(buf_str(&b), "ab\tc\n");
    buf_free(&b);
}

static void test_cli_parse(void **state)
{
    (void)state;
    const char *unit = NULL, *out = NULL;
    int flag = 0, npos, help;
    const cli_opt opts[] = { { "--unit", NULL, &unit, NULL }, { "--output", "-o", &out, NULL },
                             { "--dry-run", NULL, NULL, &flag }, { 0 } };
    char *argv1[] = { "x", "--unit", "cau-giay", "a.csv", "-o", "f", "--dry-run", "b.csv", NULL };
    assert_int_equal(cli_parse(8, argv1, opts, &npos, &help), 0);
    assert_string_equal(unit, "cau-giay");
    assert_string_equal(out, "f");
    assert_int_equal(flag, 1);
    assert_int_equal(npos, 2);
    assert_string_equal(argv1[1], "a.csv");
    assert_string_equal(argv1[2], "b.csv");
    char *argv2[] = { "x", "--unit=ba-dinh", "--help", NULL };
    assert_int_equal(cli_parse(3, argv2, opts, &npos, &help), 0);
    assert_string_equal(unit, "ba-dinh");
    assert_int_equal(help, 1);
    char *argv3[] = { "x", "--colour", "red", NULL };
    assert_int_equal(cli_parse(3, argv3, opts, &npos, &help), EXIT_USAGE);
    char *argv4[] = { "x", "--unit", NULL };
    assert_int_equal(cli_parse(2, argv4, opts, &npos, &help), EXIT_USAGE);
    char *argv5[] = { "x", "--dry-run=1", NULL };
    assert_int_equal(cli_parse(2, argv5, opts, &npos, &help), EXIT_USAGE);
    assert_int_equal(cli_format("x", "html", "md|html|json"), 0);
    assert_int_equal(cli_format("x", "json", "md|html|json"), 0);
    assert_int_equal(cli_format("x", "htm", "md|html|json"), EXIT_USAGE);
    assert_int_equal(cli_format("x", "", "md|html|json"), EXIT_USAGE);
    assert_int_equal(cli_no_args("x", 0), 0);
    assert_int_equal(cli_no_args("x", 1), EXIT_USAGE);
}

static model *small_model(void)
{
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Mẫu", "", "Thành ủy", 0, 0);
    const char *codes[] = { "q1", "q2", "q3", "h4", "h5" };
    const char *names[] = { "Quận ủy Một", "Quận ủy Hai", "Quận ủy Ba", "Huyện ủy Bốn", "Huyện ủy Năm" };
    for (int i = 0; i < 5; i++)
        model_put_unit(m, codes[i], names[i], "tp", i < 3 ? "Quận ủy" : "Huyện ủy", 0, 0);
    ind_t d = { 0 };
    d.code = "thu"; d.name = "Thu ngân sách"; d.group = "Kinh tế - xã hội"; d.set = "chỉ tiêu";
    d.measure = "tỷ đồng"; d.parent_code = ""; d.formula_src = ""; d.decimals = 1;
    model_put_ind(m, &d);
    d.code = "tl"; d.name = "Tỷ lệ kết nạp"; d.measure = "%"; d.uagg = AGG_AVG; d.group = "Xây dựng Đảng";
    d.decimals = 2;
    model_put_ind(m, &d);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    period_t y;
    period_parse("2022", 4, &y);
    double thu[] = { 1510, 900, 1200, 300, 250 }, tl[] = { 99.91, 99.0, 98.5, 99.23, 99.16 };
    for (int i = 0; i < 5; i++) {
        model_put_value(m, 0, i + 1, y, thu[i], NULL);
        model_put_value(m, 1, i + 1, y, tl[i], NULL);
    }
    model_put_target(m, 0, 1, y, 1000);
    model_put_target(m, 1, 1, y, 99.91);
    model_put_target(m, 0, 2, y, 1000); /* q2: 900 of 1000, not met */
    return m;
}

/* A district ranked among the districts that reported says how many there are: a sixth district
 * without figures makes "thứ 1/5" a rank among 5 of 6. */
static void test_report_rank_of_reported(void **state)
{
    (void)state;
    model *m = small_model();
    err_t e;
    assert_true(model_put_unit(m, "h6", "Huyện ủy Sáu", "tp", "Huyện ủy", 0, 0) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    period_t y;
    period_parse("2022", 4, &y);
    json_t *doc;
    assert_int_equal(report_build(m, model_unit_find(m, "q1"), y, &doc, &e), 0);
    buf md = BUF_INIT;
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    const char *t = buf_str(&md);
    assert_non_null(strstr(t, "Thu ngân sách đứng thứ 1/5 quận, huyện (5/6 đơn vị có số liệu)"));
    assert_non_null(strstr(t, "| 1/5 (5/6 đơn vị có số liệu) |"));
    buf_free(&md);
    json_decref(doc);
    model_free(m);
}

static void test_report_sentences(void **state)
{
    (void)state;
    model *m = small_model();
    period_t y;
    period_parse("2022", 4, &y);
    json_t *doc;
    err_t e;
    assert_int_equal(report_build(m, model_unit_find(m, "q1"), y, &doc, &e), 0);
    buf md = BUF_INIT;
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    const char *t = buf_str(&md);
    if (getenv("SHOW")) puts(t);
    assert_non_null(strstr(t, "Năm 2022, Quận ủy Một hoàn thành và hoàn thành vượt 2/2 chỉ tiêu được giao, trong đó 1 chỉ tiêu vượt kế hoạch."));
    assert_non_null(strstr(t, "Thu ngân sách đạt 151% kế hoạch (vượt 51%)"));
    assert_non_null(strstr(t, "Thu ngân sách đứng thứ 1/5 quận, huyện"));
    /* avg of 99.91, 99.0, 98.5, 99.23, 99.16 = 99.16 */
    assert_non_null(strstr(t, "Tỷ lệ kết nạp 99,91%, cao hơn mức chung của thành phố (99,16%)"));
    assert_non_null(strstr(t, "| Thu ngân sách | tỷ đồng | 1.000 | 1.510 | 151% | vượt | 1/5 |"));
    assert_non_null(strstr(t, "Không có chỉ tiêu nào chưa đạt."));
    buf html = BUF_INIT;
    assert_int_equal(report_render(doc, "html", &html, &e), 0);
    assert_non_null(strstr(buf_str(&html), "<td class=\"exceeded\">vượt</td>"));
    assert_int_equal(report_render(doc, "pdf", &html, &e), -1);
    json_decref(doc);

    /* The parent's report ranks its children by share of targets met. */
    assert_int_equal(report_build(m, model_unit_find(m, "tp"), y, &doc, &e), 0);
    json_t *kids = json_object_get(doc, "children");
    assert_int_equal(json_array_size(kids), 2); /* units without targets are not ranked */
    assert_string_equal(json_string_value(json_object_get(json_array_get(kids, 0), "code")), "q1");
    assert_string_equal(json_string_value(json_object_get(json_array_get(kids, 1), "code")), "q2");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(kids, 1), "rank")), 2);
    json_decref(doc);
    buf_free(&md);
    buf_free(&html);
    model_free(m);
}

/* Names with HTML and Markdown in them reach a .md report as text: no tag, link, emphasis, code,
 * entity or extra table cell survives for a viewer to render. */
static void test_report_md_escape(void **state)
{
    (void)state;
    static const char evil_unit[] = "<img src=x onerror=alert(1)> *Quận* [bấm](javascript:alert(1)) | `x` &amp; ~~y~~";
    model *m = model_new();
    model_put_unit(m, "tp", "# Thành ủy", "", "Thành ủy", 0, 0);
    model_put_unit(m, "q1", evil_unit, "tp", "Quận ủy", 0, 0);
    ind_t d = { 0 };
    d.code = "thu"; d.name = "1. <b>Thu</b> _ngân_ sách"; d.group = "- Kinh tế <script>"; d.set = "chỉ tiêu";
    d.measure = "tỷ|đồng"; d.parent_code = ""; d.formula_src = ""; d.decimals = 1;
    model_put_ind(m, &d);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    period_t y;
    period_parse("2022", 4, &y);
    model_put_value(m, 0, 1, y, 1510, NULL);
    model_put_target(m, 0, 1, y, 1000);
    json_t *doc;
    assert_int_equal(report_build(m, model_unit_find(m, "q1"), y, &doc, &e), 0);
    buf md = BUF_INIT;
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    const char *t = buf_str(&md);
    if (getenv("SHOW")) puts(t);
    /* nothing a viewer would render as markup is left bare */
    for (const char *p = t; (p = strpbrk(p, "<>[]`&~|")) != NULL; p++) {
        if (strncmp(p, "|---", 4) == 0) {           /* the table's separator line */
            p += strcspn(p, "\n");
            continue;
        }
        if (*p == '|' && p[-1] != '\\')             /* the table's own cell borders: " | " */
            assert_true((p[-1] == '\n' || p[-1] == ' ') && (p[1] == '\n' || p[1] == ' '));
        else
            assert_true(p > t && p[-1] == '\\');
    }
    assert_non_null(strstr(t, "\\<img src=x onerror=alert(1)\\> \\*Quận\\* \\[bấm\\](javascript:alert(1)) \\| \\`x\\` \\&amp; \\~\\~y\\~\\~"));
    assert_non_null(strstr(t, "| 1\\. \\<b\\>Thu\\</b\\> \\_ngân\\_ sách | tỷ\\|đồng |"));
    assert_non_null(strstr(t, "### 1. \\- Kinh tế \\<script\\>"));
    json_decref(doc);
    buf_free(&md);
    model_free(m);
}

/* Highlights measured against a term's targets say so (the congress resolution), whatever row
 * comes first; English names no Vietnamese set. */
static void test_report_term_clause(void **state)
{
    (void)state;
    model *m = model_new();
    err_t e;
    model_put_unit(m, "tp", "Thành ủy Mẫu", "", "Thành ủy", 0, 0);
    ind_t d = { 0 };
    d.code = "a"; d.name = "Chỉ tiêu A"; d.group = "Kinh tế"; d.set = ""; d.measure = "tỷ đồng";
    d.parent_code = ""; d.formula_src = ""; d.decimals = 0;
    model_put_ind(m, &d);
    d.code = "b"; d.name = "Chỉ tiêu B";
    model_put_ind(m, &d);
    d.code = "c"; d.name = "Chỉ tiêu C"; d.set = "chỉ tiêu chủ yếu";
    model_put_ind(m, &d);
    period_t term, mid;
    assert_int_equal(period_parse("2021-2025", 9, &term), 0);
    assert_int_equal(period_parse("2021-2023", 9, &mid), 0);
    assert_int_equal(model_put_term(m, term, "Nhiệm kỳ 2020–2025"), 0);
    assert_int_equal(model_finish(m, &e), 0);
    /* a: its own target for the mid-term, met exactly (first row, not a highlight);
     * b: the term's target, exceeded (the highlight) */
    model_put_target(m, 0, 0, mid, 100);
    model_put_value(m, 0, 0, mid, 100, NULL);
    model_put_target(m, 1, 0, term, 100);
    model_put_value(m, 1, 0, mid, 150, NULL);
    model_put_target(m, 2, 0, mid, 10);
    model_put_value(m, 2, 0, mid, 10, NULL);
    json_t *doc;
    buf md = BUF_INIT;
    assert_int_equal(report_build(m, 0, mid, &doc, &e), 0);
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    if (getenv("SHOW")) puts(buf_str(&md));
    assert_non_null(strstr(buf_str(&md), "Nổi bật, so với chỉ tiêu Nghị quyết Đại hội: Chỉ tiêu B đạt 150% kế hoạch (vượt 50%)."));
    json_decref(doc);
    /* and two highlights, one against the term, one against its own target: said per row */
    model_put_value(m, 0, 0, mid, 120, NULL);
    buf_reset(&md);
    assert_int_equal(report_build(m, 0, mid, &doc, &e), 0);
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    if (getenv("SHOW")) puts(buf_str(&md));
    assert_non_null(strstr(buf_str(&md), "Nổi bật: Chỉ tiêu B đạt 150% kế hoạch (vượt 50%), so với chỉ tiêu Nghị quyết Đại hội; "
                                         "Chỉ tiêu A đạt 120% kế hoạch (vượt 20%)."));
    json_decref(doc);
    /* English: no Vietnamese noun for a set without a name */
    lang_set(LANG_EN);
    buf_reset(&md);
    assert_int_equal(report_build(m, 0, mid, &doc, &e), 0);
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    lang_set(LANG_VI);
    if (getenv("SHOW")) puts(buf_str(&md));
    assert_non_null(strstr(buf_str(&md), "In the first years of the 2021–2025 term (2021–2023), against the Party "
                                         "Congress resolution, Thành ủy Mẫu met or exceeded 3 of its 3 targets, 2 of them exceeded."));
    assert_null(strstr(buf_str(&md), "chỉ tiêu:"));
    json_decref(doc);
    buf_free(&md);
    model_free(m);
}

/* q1's revenue comes from 1 of its 2 wards: the report never states it as q1's result. */
static void test_report_partial_total(void **state)
{
    (void)state;
    err_t e;
    period_t y;
    period_parse("2022", 4, &y);
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Mẫu", "", "Thành ủy", 0, 0);
    const char *codes[] = { "q1", "q2", "q3", "h4", "h5" };
    for (int i = 0; i < 5; i++)
        model_put_unit(m, codes[i], codes[i], "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "p1", "Phường Một", "q1", "Đảng ủy phường", 0, 0);
    model_put_unit(m, "p2", "Phường Hai", "q1", "Đảng ủy phường", 0, 0);
    ind_t d = { 0 };
    d.code = "thu"; d.name = "Thu ngân sách"; d.group = "Kinh tế - xã hội"; d.set = "chỉ tiêu";
    d.measure = "tỷ đồng"; d.parent_code = ""; d.formula_src = ""; d.decimals = 1;
    model_put_ind(m, &d);
    assert_int_equal(model_finish(m, &e), 0);
    int q1 = model_unit_find(m, "q1");
    double thu[] = { 900, 1200, 300, 250 };
    for (int i = 0; i < 4; i++)
        model_put_value(m, 0, model_unit_find(m, codes[i + 1]), y, thu[i], NULL);
    model_put_value(m, 0, model_unit_find(m, "p1"), y, 1510, NULL);
    model_put_target(m, 0, q1, y, 1000);
    json_t *doc;
    assert_int_equal(report_build(m, q1, y, &doc, &e), 0);
    buf md = BUF_INIT;
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    const char *t = buf_str(&md);
    if (getenv("SHOW")) puts(t);
    assert_null(strstr(t, "151%"));
    assert_null(strstr(t, "vượt kế hoạch"));
    assert_null(strstr(t, "| vượt"));
    assert_null(strstr(t, "đứng thứ"));           /* a partial figure is not ranked */
    assert_non_null(strstr(t, "Năm 2022, q1 chưa đủ số liệu để đánh giá 1 chỉ tiêu được giao."));
    assert_null(strstr(t, "0/1"));                /* nothing judged is not "0/1" */
    assert_non_null(strstr(t, "Chưa đủ số liệu: Thu ngân sách (1/2 đơn vị có số liệu)."));
    assert_non_null(strstr(t, "| Thu ngân sách | tỷ đồng | 1.000 | 1.510" REPORT_PARTIAL_MARK " | – | chưa đủ số liệu (1/2 đơn vị có số liệu) | – |"));
    assert_non_null(strstr(t, "_Số có dấu " REPORT_PARTIAL_MARK " mới tổng hợp từ các đơn vị đã có số liệu, chưa đủ mọi đơn vị "
                              "(xem cột Đánh giá), nên chưa được đánh giá, xếp hạng._"));
    assert_null(strstr(t, "dấu \\*"));          /* no successions: no converted figure, no such note */
    json_decref(doc);
    /* withheld: the table shows no figure at all */
    m->partial_mode = PM_WITHHOLD;
    assert_int_equal(report_build(m, q1, y, &doc, &e), 0);
    buf_reset(&md);
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    t = buf_str(&md);
    assert_null(strstr(t, "1.510"));
    assert_non_null(strstr(t, "| Thu ngân sách | tỷ đồng | 1.000 | – | – | chưa đủ số liệu (1/2 đơn vị có số liệu) | – |"));
    assert_null(strstr(t, REPORT_PARTIAL_MARK));  /* no figure shown: no mark, no legend */
    json_decref(doc);
    buf_free(&md);
    model_free(m);
}

/* Ranks on today's structure name the peers ranked: the new wards, not the district whose wards all
 * passed to them on 1/7/2025 (it is valid in the first half of 2025, but superseded). */
static void test_report_peers_on_structure(void **state)
{
    (void)state;
    err_t e;
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Mẫu", "", "Thành ủy", 0, 0);
    model_put_unit(m, "q1", "Quận ủy Một", "tp", "Quận ủy", 0, 20250630);
    char code[16], name[40];
    for (int i = 1; i <= 5; i++) {
        snprintf(code, sizeof code, "o%d", i);
        snprintf(name, sizeof name, "Phường cũ %d", i);
        model_put_unit(m, code, name, "q1", "Đảng ủy phường", 0, 20250630);
        snprintf(code, sizeof code, "n%d", i);
        snprintf(name, sizeof name, "Phường mới %d", i);
        model_put_unit(m, code, name, "tp", "Đảng ủy phường", 20250701, 0);
    }
    ind_t d = { 0 };
    d.code = "kn"; d.name = "Kết nạp đảng viên"; d.group = "Xây dựng Đảng"; d.set = "chỉ tiêu";
    d.measure = "đảng viên"; d.parent_code = ""; d.formula_src = ""; d.dir = DIR_UP;
    model_put_ind(m, &d);
    assert_int_equal(model_finish(m, &e), 0);
    period_t h1, h2, y;
    period_parse("2025S1", 6, &h1);
    period_parse("2025S2", 6, &h2);
    period_parse("2025", 4, &y);
    for (int i = 1; i <= 5; i++) {
        snprintf(code, sizeof code, "o%d", i);
        int old = model_unit_find(m, code);
        snprintf(code, sizeof code, "n%d", i);
        int new = model_unit_find(m, code);
        assert_true(model_put_succ(m, old, new, 20250701, 1) >= 0);
        model_put_value(m, 0, old, h1, 10 * i, NULL);
        model_put_value(m, 0, new, h2, 5 * i, NULL);
    }
    assert_int_equal(model_finish(m, &e), 0);
    json_t *doc;
    assert_int_equal(report_build(m, model_unit_find(m, "n5"), y, &doc, &e), 0);
    buf md = BUF_INIT;
    assert_int_equal(report_render(doc, "md", &md, &e), 0);
    if (getenv("SHOW")) puts(buf_str(&md));
    assert_non_null(strstr(buf_str(&md), "Kết nạp đảng viên đứng thứ 1/5 phường."));
    json_decref(doc);
    buf_free(&md);
    model_free(m);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_cli_parse),
        cmocka_unit_test(test_report_sentences),
        cmocka_unit_test(test_report_rank_of_reported),
        cmocka_unit_test(test_report_md_escape),
        cmocka_unit_test(test_report_term_clause),
        cmocka_unit_test(test_report_partial_total),
        cmocka_unit_test(test_report_peers_on_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
