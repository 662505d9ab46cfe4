/* test_docx.c - the Word report: every part is well-formed XML (parsed with expat), the Party
 * and state layouts carry their header blocks, tables repeat their header rows, page numbers
 * start on page 2, and Vietnamese capitals are right ("QUẬN ỦY CẦU GIẤY"). */
#include <expat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include <cmocka.h>

#include "docx.h"
#include "report.h"

static model *small_model(void)
{
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Hà Nội", "", "Thành ủy", 0, 0);
    model_put_unit(m, "cg", "Quận ủy Cầu Giấy", "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "bd", "Quận ủy Ba Đình", "tp", "Quận ủy", 0, 0);
    ind_t d = { 0 };
    d.code = "thu"; d.name = "Thu ngân sách <nhà nước> & phí"; d.group = "Kinh tế - xã hội";
    d.set = "chỉ tiêu"; d.measure = "tỷ đồng"; d.parent_code = ""; d.formula_src = ""; d.decimals = 0;
    model_put_ind(m, &d);
    err_t e;
    assert_int_equal(model_finish(m, &e), 0);
    period_t y;
    period_parse("2022", 4, &y);
    model_put_value(m, 0, 1, y, 1510, NULL);
    model_put_value(m, 0, 2, y, 900, NULL);
    model_put_target(m, 0, 1, y, 1000);
    model_put_target(m, 0, 2, y, 1000);
    return m;
}

static char *part(zip_t *z, const char *name)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0)
        fail_msg("missing part %s", name);
    char *p = calloc(1, st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_int_equal(zip_fread(f, p, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    return p;
}

static void well_formed(const char *name, const char *xml)
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (XML_Parse(p, xml, (int)strlen(xml), XML_TRUE) != XML_STATUS_OK)
        fail_msg("%s: not well-formed XML at line %lu: %s", name, (unsigned long)XML_GetCurrentLineNumber(p),
                 XML_ErrorString(XML_GetErrorCode(p)));
    XML_ParserFree(p);
}

static char *write_and_read(int style, const char *unit)
{
    model *m = small_model();
    json_t *doc;
    err_t e;
    period_t y;
    period_parse("2022", 4, &y);
    assert_int_equal(report_build(m, model_unit_find(m, unit), y, &doc, &e), 0);
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-docx-%ld.docx", (long)getpid());
    assert_int_equal(docx_write(doc, style, path, &e), 0);
    json_decref(doc);
    model_free(m);
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    assert_non_null(z);
    static const char *const parts[] = { "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                                         "word/styles.xml", "word/settings.xml", "word/header1.xml",
                                         "word/header2.xml", "docProps/core.xml", "docProps/app.xml" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char *x = part(z, parts[i]);
        well_formed(parts[i], x);
        free(x);
    }
    if (zip_name_locate(z, "word/media/chart1.png", 0) >= 0) { /* a real PNG */
        char *png = part(z, "word/media/chart1.png");
        assert_memory_equal(png, "\x89PNG", 4);
        free(png);
    }
    char *document = part(z, "word/document.xml");
    well_formed("word/document.xml", document);
    zip_close(z);
    remove(path);
    return document;
}

static void test_party(void **state)
{
    (void)state;
    char *d = write_and_read(DOCX_PARTY, "cg");
    assert_non_null(strstr(d, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_non_null(strstr(d, "THÀNH ỦY HÀ NỘI"));
    assert_non_null(strstr(d, "QUẬN ỦY CẦU GIẤY"));
    assert_non_null(strstr(d, "Số       -BC/QU"));
    assert_non_null(strstr(d, "Cầu Giấy, ngày "));
    assert_non_null(strstr(d, ">BÁO CÁO<"));
    assert_non_null(strstr(d, "Kết quả thực hiện các chỉ tiêu năm 2022"));
    /* the review's closing parts, numbered after the sections present, placeholders in brackets */
    assert_non_null(strstr(d, "III. HẠN CHẾ, YẾU KÉM"));
    assert_non_null(strstr(d, "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2023"));
    assert_non_null(strstr(d, "[Bổ sung: nguyên nhân khách quan và chủ quan"));
    assert_non_null(strstr(d, "<w:tblHeader/>"));
    assert_non_null(strstr(d, "<w:titlePg/>"));
    assert_non_null(strstr(d, "w:w=\"11906\" w:h=\"16838\""));           /* A4 */
    assert_non_null(strstr(d, "Thu ngân sách &lt;nhà nước&gt; &amp; phí")); /* escaped */
    assert_non_null(strstr(d, "T/M BAN THƯỜNG VỤ"));
    assert_non_null(strstr(d, "1.510"));
    free(d);
}

static void test_state(void **state)
{
    (void)state;
    char *d = write_and_read(DOCX_STATE, "tp");
    assert_non_null(strstr(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_non_null(strstr(d, "Độc lập - Tự do - Hạnh phúc"));
    assert_non_null(strstr(d, "Số:       /BC-UBND"));
    assert_null(strstr(d, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_non_null(strstr(d, "III. XẾP HẠNG CÁC ĐƠN VỊ TRỰC THUỘC"));
    assert_non_null(strstr(d, "IV. HẠN CHẾ, YẾU KÉM"));
    assert_non_null(strstr(d, "Quận ủy Cầu Giấy"));
    assert_non_null(strstr(d, "<pic:pic>"));                /* the units-below chart */
    assert_non_null(strstr(d, "r:embed=\"rId5\""));
    free(d);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_party), cmocka_unit_test(test_state) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
