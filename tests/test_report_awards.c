/* test_report_awards.c - the review report's section on emulation and awards (report_awards.c):
 * the section rendered as Markdown matches the golden text tests/data/report_awards.md (counts by
 * form, organisations listed by name with issuer, decision and date, members counted by title and
 * never named, numbered among the closing parts); awards of another year, of subjects outside the
 * unit's subtree or of unknown subjects are left out; no section for a period that is not a year
 * or when there is nothing to list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "report.h"
#include "report_awards.h"

static model *small_model(void)
{
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Hà Nội", "", "Thành ủy", 0, 0);
    model_put_unit(m, "cg", "Quận ủy Cầu Giấy", "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "dv", "Đảng ủy phường Dịch Vọng", "cg", "Đảng ủy phường", 0, 0);
    model_put_unit(m, "bd", "Quận ủy Ba Đình", "tp", "Quận ủy", 0, 0);
    ind_t d = { 0 };
    d.code = "thu"; d.name = "Thu ngân sách"; d.group = "Kinh tế - xã hội";
    d.set = "chỉ tiêu"; d.measure = "tỷ đồng"; d.parent_code = ""; d.formula_src = ""; d.decimals = 0;
    model_put_ind(m, &d);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    period_t y;
    period_parse("2025", 4, &y);
    model_put_value(m, 0, model_unit_find(m, "cg"), y, 1510, NULL);
    model_put_target(m, 0, model_unit_find(m, "cg"), y, 1000);
    return m;
}

/* in code order, as store_class_subjects returns them */
static const class_subject subs[] = {
    { .code = "bd-org", .name = "Đảng bộ quận Ba Đình", .unit = "bd", .kind = CK_COMMUNE },
    { .code = "cg-org", .name = "Đảng bộ quận Cầu Giấy", .unit = "cg", .kind = CK_COMMUNE },
    { .code = "dv-001", .name = "Nguyễn Văn Riêng Tư", .unit = "dv", .kind = CK_MEMBER },
    { .code = "dv-002", .name = "Trần Thị Kín", .unit = "dv", .kind = CK_MEMBER },
    { .code = "dv-org", .name = "Đảng bộ phường Dịch Vọng", .unit = "dv", .kind = CK_GRASSROOTS },
};

static const class_award awards[] = {
    { 2025, "dv-org", CA_TITLE, "Tổ chức cơ sở đảng trong sạch vững mạnh tiêu biểu", "Quận ủy Cầu Giấy", "Số 215-QĐ/QU", 20260110 },
    { 2025, "cg-org", CA_MERIT, "Bằng khen của Ban Thường vụ Thành ủy", "Thành ủy Hà Nội", "Số 1024-QĐ/TU", 0 },
    { 2025, "dv-001", CA_BADGE, "Huy hiệu 30 năm tuổi Đảng", "Thành ủy Hà Nội", "Số 988-QĐ/TU", 20251107 },
    { 2025, "dv-002", CA_BADGE, "Huy hiệu 30 năm tuổi Đảng", "Thành ủy Hà Nội", "Số 988-QĐ/TU", 20251107 },
    { 2025, "dv-002", CA_CERTIFICATE, "Giấy khen", "Quận ủy Cầu Giấy", "Số 216-QĐ/QU", 0 },
    { 2025, "bd-org", CA_MERIT, "Bằng khen (ngoài cây)", "Thành ủy Hà Nội", "Số 1-QĐ/TU", 0 },
    { 2024, "cg-org", CA_MERIT, "Bằng khen năm trước", "Thành ủy Hà Nội", "Số 2-QĐ/TU", 0 },
    { 2025, "khong-co", CA_MERIT, "Của đối tượng không còn", "Thành ủy Hà Nội", "Số 3-QĐ/TU", 0 },
};

/* The report of cg for `per` with the awards (n of them) added, rendered as Markdown. */
static void render(const model *m, const char *per, int n, buf *md)
{
    period_t p;
    json_t *doc = NULL;
    err_t e;
    assert_int_equal(period_parse(per, strlen(per), &p), 0);
    assert_int_equal(report_build(m, model_unit_find(m, "cg"), p, &doc, &e), 0);
    assert_int_equal(report_add_awards(doc, m, model_unit_find(m, "cg"), p, awards, n, subs,
                                       (int)(sizeof subs / sizeof subs[0])), 0);
    buf_reset(md);
    assert_int_equal(report_render(doc, "md", md, &e), 0);
    json_decref(doc);
}

static char *read_golden(const char *name)
{
    const char *dir = getenv("CHITIEU_TEST_DATA");
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[8192];
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[got] = '\0';
    return text;
}

static void test_golden(void **state)
{
    (void)state;
    lang_set(LANG_VI);
    model *m = small_model();
    buf md = BUF_INIT;
    render(m, "2025", (int)(sizeof awards / sizeof awards[0]), &md);
    const char *title = strstr(buf_str(&md), ". Công tác thi đua, khen thưởng\n"), *sec = title;
    while (sec && sec > buf_str(&md) && sec[-1] != '\n')    /* back to the heading's line */
        sec--;
    assert_non_null(sec);
    const char *end = strstr(sec + 1, "\n## ");
    assert_non_null(end);
    buf got = BUF_INIT;
    buf_add(&got, sec, (size_t)(end - sec + 1));
    assert_string_equal(buf_str(&got), read_golden("report_awards.md"));
    assert_null(strstr(buf_str(&md), "Riêng Tư"));           /* members are never named */
    assert_null(strstr(buf_str(&md), "Kín"));
    buf_free(&got);
    buf_free(&md);
    model_free(m);
}

static void test_none(void **state)
{
    (void)state;
    lang_set(LANG_VI);
    model *m = small_model();
    buf md = BUF_INIT;
    render(m, "2025", 0, &md);                                   /* nothing in the register */
    assert_null(strstr(buf_str(&md), "thi đua"));
    render(m, "2025Q4", (int)(sizeof awards / sizeof awards[0]), &md);   /* not a year */
    assert_null(strstr(buf_str(&md), "thi đua"));
    render(m, "2024", (int)(sizeof awards / sizeof awards[0]), &md);      /* only last year's */
    assert_non_null(strstr(buf_str(&md), "khen thưởng 1 lượt: 1 bằng khen."));
    assert_non_null(strstr(buf_str(&md), "Bằng khen năm trước"));
    buf_free(&md);
    model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
