/* test_docx.c - the Word report: every part is well-formed XML (parsed with expat), the Party
 * and state layouts carry their header blocks, tables repeat their header rows, page numbers
 * start on page 2, and Vietnamese capitals are right ("QUẬN ỦY CẦU GIẤY"); the style follows the
 * unit (a Party committee never in the state layout), the signature block keeps with the last
 * paragraph, and the national title and the "TT" header fit their columns (measured in
 * Liberation Serif, metric-compatible with Times New Roman). */
#include <cairo.h>
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

#include "chart.h"
#include "docx.h"
#include "report.h"

/* The small model; with `late`, a third district under tp (Hoàn Kiếm) that has not reported. */
static model *model_with(int late)
{
    model *m = model_new();
    model_put_unit(m, "tp", "Thành ủy Hà Nội", "", "Thành ủy", 0, 0);
    model_put_unit(m, "cg", "Quận ủy Cầu Giấy", "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "bd", "Quận ủy Ba Đình", "tp", "Quận ủy", 0, 0);
    model_put_unit(m, "ub", "UBND thành phố Hà Nội", "", "UBND", 0, 0);
    model_put_unit(m, "ubcg", "UBND quận Cầu Giấy", "ub", "UBND", 0, 0);
    if (late)
        model_put_unit(m, "hk", "Quận ủy Hoàn Kiếm", "tp", "Quận ủy", 0, 0);
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
    int ubcg = model_unit_find(m, "ubcg");
    model_put_value(m, 0, ubcg, y, 700, NULL);
    model_put_target(m, 0, ubcg, y, 800);
    return m;
}

static model *small_model(void)
{
    return model_with(0);
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

/* Writes the report of `unit` in `style`; 0 or -1 with the message in e. */
static int write_only(int style, const char *unit, const char *path, err_t *e)
{
    model *m = small_model();
    json_t *doc;
    period_t y;
    period_parse("2022", 4, &y);
    assert_int_equal(report_build(m, model_unit_find(m, unit), y, &doc, e), 0);
    int rc = docx_write(doc, style, path, e);
    json_decref(doc);
    model_free(m);
    return rc;
}

/* Writes a built report as a DOCX, checks every part is well-formed XML, returns document.xml. */
static char *doc_written(const json_t *doc, int style)
{
    err_t e;
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-docx-%ld.docx", (long)getpid());
    assert_int_equal(docx_write(doc, style, path, &e), 0);
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

static char *write_and_read(int style, const char *unit)
{
    model *m = small_model();
    json_t *doc;
    err_t e;
    period_t y;
    period_parse("2022", 4, &y);
    assert_int_equal(report_build(m, model_unit_find(m, unit), y, &doc, &e), 0);
    char *document = doc_written(doc, style);
    json_decref(doc);
    model_free(m);
    return document;
}

static void test_party(void **state)
{
    (void)state;
    char *d = write_and_read(DOCX_PARTY, "cg");
    assert_non_null(strstr(d, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_non_null(strstr(d, ">ĐẢNG BỘ THÀNH PHỐ HÀ NỘI<"));   /* the organisation above, 36-HD/VPTW */
    assert_null(strstr(d, "THÀNH ỦY HÀ NỘI"));
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
    d = write_and_read(DOCX_AUTO, "tp");                /* the city: a chart of the units below */
    assert_non_null(strstr(d, "<pic:pic>"));
    assert_non_null(strstr(d, "r:embed=\"rId5\""));
    free(d);
}

static void test_state(void **state)
{
    (void)state;
    char *d = write_and_read(DOCX_AUTO, "ub");          /* a people's committee: state layout */
    assert_non_null(strstr(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_non_null(strstr(d, "Độc lập - Tự do - Hạnh phúc"));
    assert_non_null(strstr(d, ">ỦY BAN NHÂN DÂN<"));
    assert_non_null(strstr(d, ">THÀNH PHỐ HÀ NỘI<"));
    assert_non_null(strstr(d, "Số:       /BC-UBND"));
    assert_non_null(strstr(d, "Hà Nội, ngày "));
    assert_non_null(strstr(d, "TM. ỦY BAN NHÂN DÂN"));
    assert_non_null(strstr(d, ">CHỦ TỊCH<"));
    assert_non_null(strstr(d, "- Lưu: VT."));
    assert_null(strstr(d, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_null(strstr(d, "BAN THƯỜNG VỤ"));
    assert_non_null(strstr(d, "III. XẾP HẠNG CÁC ĐƠN VỊ TRỰC THUỘC"));
    assert_non_null(strstr(d, "IV. HẠN CHẾ, YẾU KÉM"));
    assert_non_null(strstr(d, "UBND quận Cầu Giấy"));
    free(d);
}

/* A Party committee's report is never dressed as a state document, nor the reverse; the
 * automatic style follows the unit. */
static void test_style_follows_unit(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-docx-%ld-x.docx", (long)getpid());
    err_t e = { 0 };
    assert_int_equal(write_only(DOCX_STATE, "tp", path, &e), -1);
    assert_non_null(strstr(e.msg, "Thành ủy Hà Nội"));
    assert_non_null(strstr(e.msg, "tổ chức Đảng"));
    assert_int_equal(access(path, F_OK), -1);            /* nothing written */
    assert_int_equal(write_only(DOCX_PARTY, "ubcg", path, &e), -1);
    assert_non_null(strstr(e.msg, "UBND quận Cầu Giấy"));
    char *d = write_and_read(DOCX_AUTO, "cg");
    assert_non_null(strstr(d, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_null(strstr(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert_null(strstr(d, "UBND"));
    free(d);
    static const struct { const char *type, *name; int style; } cases[] = {
        { "Quận ủy", "Quận ủy Cầu Giấy", DOCX_PARTY }, { "Đảng ủy", "Đảng ủy xã An Bình", DOCX_PARTY },
        { "Chi bộ", "Chi bộ thôn 3", DOCX_PARTY }, { "UBND", "UBND quận Cầu Giấy", DOCX_STATE },
        { "", "Ủy ban nhân dân huyện Đông Anh", DOCX_STATE }, { "Sở", "Sở Tài chính", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(docx_style_of(cases[i].type, cases[i].name), cases[i].style);
    static const struct { const char *committee, *superior; } above[] = {
        { "Thành ủy Hà Nội", "Đảng bộ thành phố Hà Nội" }, { "Tỉnh ủy Bắc Ninh", "Đảng bộ tỉnh Bắc Ninh" },
        { "Quận ủy Cầu Giấy", "Đảng bộ quận Cầu Giấy" }, { "Huyện ủy Đông Anh", "Đảng bộ huyện Đông Anh" },
        { "Thị ủy Sơn Tây", "Đảng bộ thị xã Sơn Tây" }, { "Đảng ủy xã An Bình", "Đảng bộ xã An Bình" },
        { "Đảng ủy phường Láng", "Đảng bộ phường Láng" }, { "Đảng bộ Khối cơ quan", "Đảng bộ Khối cơ quan" },
        { "Chi bộ thôn 3", "Chi bộ thôn 3" }, { "", "" },
    };
    for (size_t i = 0; i < sizeof above / sizeof above[0]; i++) {
        buf got = BUF_INIT;
        docx_party_superior(above[i].committee, &got);
        assert_string_equal(buf_str(&got), above[i].superior);
        buf_free(&got);
    }
}

/* The paragraph of the block before the signature, and the spacer, keep with next; the row of
 * "Nơi nhận" and the signer cannot split: no page holds the signature alone. */
static void test_signature_kept(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        char *d = write_and_read(DOCX_AUTO, k ? "ub" : "cg");
        char *recip = strstr(d, "Nơi nhận:");
        assert_non_null(recip);
        *recip = '\0';
        char *tbl = strrchr(d, '<');
        while (tbl > d && strncmp(tbl, "<w:tbl>", 7) != 0)  /* the signature table's start */
            tbl--;
        assert_true(tbl > d);
        assert_non_null(strstr(tbl, "<w:tr><w:trPr><w:cantSplit/></w:trPr>"));
        *tbl = '\0';
        char *spacer = strrchr(d, '<');
        while (spacer > d && strncmp(spacer, "<w:p>", 5) != 0)
            spacer--;
        assert_non_null(strstr(spacer, "<w:keepNext/>"));
        *spacer = '\0';
        char *last = strrchr(d, '<');                    /* the last paragraph of the text */
        while (last > d && strncmp(last, "<w:p>", 5) != 0)
            last--;
        assert_non_null(strstr(last, "<w:keepNext/>"));
        free(d);
    }
}

/* Width of a text in twips in the Times New Roman metrics (Liberation Serif has the same). */
static double text_twips(const char *s, double size, int bold)
{
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4);
    cairo_t *cr = cairo_create(sf);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr, fo);
    cairo_select_font_face(cr, "Liberation Serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_font_options_destroy(fo);
    cairo_destroy(cr);
    cairo_surface_destroy(sf);
    return ext.x_advance * 20;
}

/* The n-th gridCol width of the first table whose text (from its start) contains `marker`. */
static int grid_col(const char *d, const char *marker, int n)
{
    const char *m = strstr(d, marker);
    assert_non_null(m);
    const char *t = m;
    while (t > d && strncmp(t, "<w:tblGrid>", 11) != 0)
        t--;
    for (int i = 0; i <= n; i++) {
        t = strstr(t + 1, "<w:gridCol w:w=\"");
        assert_non_null(t);
    }
    return atoi(t + strlen("<w:gridCol w:w=\""));
}

/* The national title on one line, "TT" within its column (cell margins 70 + 70 twips). */
static void test_widths(void **state)
{
    (void)state;
    char *d = write_and_read(DOCX_AUTO, "ub");
    double title = text_twips("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, 1);
    assert_true(title > 4000);                           /* the font is there and measured */
    assert_true(title + 140 <= grid_col(d, "CỘNG HÒA XÃ HỘI", 1));
    assert_true(text_twips("TT", 12, 1) + 140 <= grid_col(d, ">TT<", 0));
    free(d);
    d = write_and_read(DOCX_AUTO, "cg");
    assert_true(text_twips("ĐẢNG CỘNG SẢN VIỆT NAM", 15, 1) + 140 <= grid_col(d, "ĐẢNG CỘNG SẢN", 1));
    free(d);
}

/* Value-axis ticks: round steps, labels in Vietnamese number format. */
static void test_chart_ticks(void **state)
{
    (void)state;
    static const struct { double lo, hi; int pct; const char *want; } cases[] = {
        { 0, 100, 1, "0%|25%|50%|75%|100%" },
        { 1000, 2500, 0, "1.000|1.500|2.000|2.500" },
        { 0.5, 1.7, 0, "0,5|1|1,5|2" },
        { 62.5, 87.5, 0, "60|70|80|90" },
        { -3, 4, 0, "-4|-2|0|2|4" },
        { 1, 1, 0, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double v[12];
        char l[12][CHART_LABEL_MAX];
        int n = chart_ticks(cases[i].lo, cases[i].hi, cases[i].pct, v, l, 12);
        buf got = BUF_INIT;
        for (int k = 0; k < n; k++)
            buf_printf(&got, "%s%s", k ? "|" : "", l[k]);
        if (strcmp(buf_str(&got), cases[i].want) != 0)
            fail_msg("ticks %g..%g: got '%s', want '%s'", cases[i].lo, cases[i].hi, buf_str(&got), cases[i].want);
        buf_free(&got);
    }
}

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int len)
{
    const char **p = closure;
    memcpy(data, *p, len);
    *p += len;
    return CAIRO_STATUS_SUCCESS;
}

/* Dark pixels in the rectangle [x0,x1) x [y0,y1) of a PNG. */
static int ink(const char *png, int x0, int x1, int y0, int y1)
{
    const char *p = png;
    cairo_surface_t *sf = cairo_image_surface_create_from_png_stream(png_read, &p);
    assert_int_equal(cairo_surface_status(sf), CAIRO_STATUS_SUCCESS);
    const unsigned char *px = cairo_image_surface_get_data(sf);
    int stride = cairo_image_surface_get_stride(sf), n = 0;
    for (int y = y0; y < y1 && y < cairo_image_surface_get_height(sf); y++)
        for (int x = x0; x < x1; x++)
            n += px[y * stride + x * 4 + 1] < 128;    /* green channel of ARGB32 */
    cairo_surface_destroy(sf);
    return n;
}

/* The trend chart: drawn from three periods on (two points are no trend), with the value axis'
 * labels and title left of the plot and the period axis' title under it. */
static void test_trend_chart(void **state)
{
    (void)state;
    for (int years = 2; years <= 4; years++) {
        model *m = small_model();
        int cg = model_unit_find(m, "cg");
        for (int k = 1; k < years; k++) {
            char code[8];
            snprintf(code, sizeof code, "%d", 2022 - k);
            period_t p;
            period_parse(code, 4, &p);
            model_put_value(m, 0, cg, p, 900 + 100 * k, NULL);
            model_put_target(m, 0, cg, p, 1000);
        }
        period_t y;
        period_parse("2022", 4, &y);
        json_t *doc;
        err_t e;
        assert_int_equal(report_build(m, cg, y, &doc, &e), 0);
        assert_int_equal(json_array_size(json_object_get(doc, "trend")), (size_t)years);
        buf png = BUF_INIT;
        int h = 0, got = report_chart(doc, 1, &png, &h, &e);
        assert_int_equal(got, years >= 3);
        if (got) {
            assert_true(ink(buf_str(&png), 40, 105, 60, h - 84) > 50);   /* tick labels */
            assert_true(ink(buf_str(&png), 10, 32, 60, h - 84) > 20);    /* "Tỷ lệ (%)", upright */
            assert_true(ink(buf_str(&png), 300, 600, h - 30, h) > 20);   /* "Kỳ báo cáo" */
        }
        buf_free(&png);
        json_decref(doc);
        model_free(m);
    }
}

/* The table's marks mean in the DOCX what they mean in the other formats, and the document says
 * so: "*" a figure converted from predecessors, the dagger a partial roll-up (tp: 2 of its 3
 * districts reported). */
static void test_marks(void **state)
{
    (void)state;
    model *m = model_with(1);
    json_t *doc;
    err_t e;
    period_t y;
    period_parse("2022", 4, &y);
    assert_int_equal(report_build(m, model_unit_find(m, "tp"), y, &doc, &e), 0);
    char *d = doc_written(doc, DOCX_PARTY);
    assert_non_null(strstr(d, ">2.410" REPORT_PARTIAL_MARK "<"));
    assert_non_null(strstr(d, "chưa đủ số liệu (2/3 đơn vị có số liệu)"));
    assert_non_null(strstr(d, "Số có dấu " REPORT_PARTIAL_MARK " mới tổng hợp từ các đơn vị đã có số liệu"));
    assert_null(strstr(d, "Số liệu theo cơ cấu đơn vị hiện nay"));
    free(d);
    /* the same row converted from predecessors, with the structure's note report_build writes then */
    json_t *row = json_array_get(json_object_get(json_array_get(json_object_get(doc, "tables"), 0), "rows"), 0);
    json_object_set_new(row, "converted", json_true());
    json_object_set_new(doc, "structure_note", json_string("Số liệu theo cơ cấu đơn vị hiện nay; số có dấu *"));
    d = doc_written(doc, DOCX_PARTY);
    assert_non_null(strstr(d, ">2.410*" REPORT_PARTIAL_MARK "<"));
    assert_non_null(strstr(d, "Số liệu theo cơ cấu đơn vị hiện nay; số có dấu *"));
    free(d);
    json_decref(doc);
    model_free(m);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_party), cmocka_unit_test(test_state),
                                        cmocka_unit_test(test_style_follows_unit),
                                        cmocka_unit_test(test_signature_kept), cmocka_unit_test(test_widths),
                                        cmocka_unit_test(test_chart_ticks), cmocka_unit_test(test_trend_chart),
                                        cmocka_unit_test(test_marks) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
