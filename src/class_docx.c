/* class_docx.c - the documents of a classification round as Word (see class_docx.h).
 *
 * Data flow: counts per unit (class_count_units) and the subjects with their current grade and
 * quota flag (class_quota_report) joined with the stored results -> WordprocessingML built in a
 * buf with docx.h's pieces (the same paragraphs, tables and page layout as the review report)
 * -> docx_save, which writes a temporary file and renames it.  The document is in Vietnamese
 * whatever the interface language: it is the draft officials sign.  Everything read is freed
 * before returning. */
#include "class_docx.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "docx.h"
#include "vn.h"

/* Short forms used in Party documents, by enum class_grade. */
static const char *const grade_short[CG_COUNT] = { "KHTNV", "HTNV", "HTTNV", "HTXSNV" };
static const char *const kind_vi[CK_COUNT] = { "Tập thể cấp xã", "Tổ chức cơ sở đảng", "Chi bộ", "Đảng viên",
                                               "Cán bộ lãnh đạo, quản lý" };

#define AL_L DOCX_AL_LEFT
#define AL_C DOCX_AL_CENTER
#define AL_R DOCX_AL_RIGHT

/* The header block: superior and issuing bodies, number, "ĐẢNG CỘNG SẢN VIỆT NAM", place and date. */
static void head_block(buf *b, const model *m, int root, const char *kind)
{
    const unit_t *u = &m->units[root];
    buf t = BUF_INIT;
    static const int hw[2] = { 4200, 5200 };
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    docx_table_open(b, hw, 2, 0);
    buf_adds(b, "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"4200\" w:type=\"dxa\"/></w:tcPr>");
    buf above = BUF_INIT;
    docx_party_superior(u->parent >= 0 ? m->units[u->parent].name : "", &above);
    docx_upper(buf_str(&above), &t);
    buf_free(&above);
    docx_para(b, buf_str(&t), AL_C, 14, 0, 0);
    buf_reset(&t);
    docx_upper(u->name, &t);
    docx_para(b, buf_str(&t), AL_C, 14, DOCX_BOLD, 0);
    docx_para(b, "*", AL_C, 14, 0, 0);
    buf_reset(&t);
    buf_printf(&t, "Số       -%s/%s", kind, docx_abbrev(u->type ? u->type : ""));
    docx_para(b, buf_str(&t), AL_C, 14, 0, 0);
    buf_adds(b, "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"5200\" w:type=\"dxa\"/></w:tcPr>");
    docx_para(b, "ĐẢNG CỘNG SẢN VIỆT NAM", AL_C, 15, DOCX_BOLD | DOCX_UNDER, 6);
    buf_reset(&t);
    size_t tl = u->type ? strlen(u->type) : 0;
    const char *place = tl && strncmp(u->name, u->type, tl) == 0 && u->name[tl] == ' ' ? u->name + tl + 1 : u->name;
    buf_printf(&t, "%s, ngày %d tháng %d năm %d", place, tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
    docx_para(b, buf_str(&t), AL_C, 14, DOCX_ITALIC, 0);
    buf_adds(b, "</w:tc></w:tr></w:tbl>");
    docx_para(b, "", AL_C, 14, 0, 6);
    buf_free(&t);
}

static void pct_text(buf *t, int part, int all)
{
    buf_reset(t);
    vn_format_number(100.0 * part / all, 1, LANG_VI, t);
}

/* One row of the results table; no is the row number. */
static void result_row(buf *b, const int *w, int no, const char *unit, int pop, const class_unit_count *k)
{
    buf t = BUF_INIT;
    buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    buf_printf(&t, "%d", no);
    docx_cell(b, w[0], buf_str(&t), AL_C, 0, 0);
    docx_cell(b, w[1], unit, AL_L, 0, 0);
    docx_cell(b, w[2], pop ? "Đảng viên" : "Tổ chức cơ sở đảng", AL_L, 0, 0);
    int nums[5] = { k->all, k->grade[CG_EXCELLENT], k->grade[CG_GOOD], k->grade[CG_DONE], k->grade[CG_FAIL] };
    for (int c = 0; c < 5; c++) {
        buf_reset(&t);
        buf_printf(&t, "%d", nums[c]);
        docx_cell(b, w[3 + c], buf_str(&t), AL_C, 0, 0);
    }
    if (k->decided < k->all)
        buf_reset(&t), buf_printf(&t, "chưa đủ (%d/%d)", k->decided, k->all);
    else
        pct_text(&t, k->grade[CG_GOOD] + k->grade[CG_EXCELLENT], k->all);
    docx_cell(b, w[8], buf_str(&t), AL_R, 0, 0);
    buf_adds(b, "</w:tr>");
    buf_free(&t);
}

/* Root's subtree in tree order, one row per unit and population with subjects. */
static int result_rows(buf *b, const int *w, int no, const model *m, int u, const class_unit_count *c)
{
    for (int pop = 0; pop < 2; pop++)
        if (c[2 * u + pop].all > 0)
            result_row(b, w, ++no, m->units[u].name, pop, &c[2 * u + pop]);
    for (int k = m->units[u].first_child; k >= 0; k = m->units[k].next_sibling)
        no = result_rows(b, w, no, m, k, c);
    return no;
}

/* Section I: the table of results per unit and a sentence on the whole subtree. */
static void results_part(buf *b, const model *m, int year, int root, const class_unit_count *c)
{
    static const int w[9] = { 400, 2300, 1300, 800, 900, 800, 1000, 900, 955 }; /* 9,355: the text width */
    static const char *const h[9] = { "TT", "Đơn vị", "Đối tượng", "Tổng số", "HTXSNV", "HTTNV", "HTNV", "KHTNV",
                                      "Tốt trở lên (%)" };
    buf t = BUF_INIT;
    buf_printf(&t, "Căn cứ Quy định số 366-QĐ/TW ngày 30/8/2025 của Bộ Chính trị và kết quả kiểm điểm, đánh giá, "
                   "xếp loại chất lượng năm %d, %s báo cáo kết quả như sau:", year, m->units[root].name);
    docx_para(b, buf_str(&t), DOCX_AL_BOTH, 14, DOCX_INDENT, 6);
    docx_para(b, "I. KẾT QUẢ XẾP LOẠI THEO ĐƠN VỊ", AL_L, 14, DOCX_BOLD | DOCX_KEEP, 6);
    for (int pop = 0; pop < 2; pop++) {
        const class_unit_count *k = &c[2 * root + pop];
        if (k->all == 0)
            continue;
        buf_reset(&t);
        buf_printf(&t, "%s: tổng số %d, đã có quyết định %d; hoàn thành xuất sắc nhiệm vụ %d, hoàn thành tốt nhiệm vụ %d, "
                       "hoàn thành nhiệm vụ %d, không hoàn thành nhiệm vụ %d",
                   pop ? "Đảng viên" : "Tổ chức cơ sở đảng", k->all, k->decided, k->grade[CG_EXCELLENT],
                   k->grade[CG_GOOD], k->grade[CG_DONE], k->grade[CG_FAIL]);
        if (k->decided == k->all) {
            buf p = BUF_INIT;
            pct_text(&p, k->grade[CG_GOOD] + k->grade[CG_EXCELLENT], k->all);
            buf_printf(&t, "; tỷ lệ hoàn thành tốt nhiệm vụ trở lên đạt %s%%.", buf_str(&p));
            buf_free(&p);
        } else {
            buf_adds(&t, "; chưa đủ quyết định để tính tỷ lệ.");
        }
        docx_para(b, buf_str(&t), DOCX_AL_BOTH, 14, DOCX_INDENT, 6);
    }
    docx_table_open(b, w, 9, 1);
    docx_head_row(b, w, h, 9);
    result_rows(b, w, 0, m, root, c);
    buf_adds(b, "</w:tbl>");
    docx_para(b, "HTXSNV: hoàn thành xuất sắc nhiệm vụ; HTTNV: hoàn thành tốt nhiệm vụ; HTNV: hoàn thành nhiệm vụ; "
                 "KHTNV: không hoàn thành nhiệm vụ. Tỷ lệ chỉ tính khi mọi đối tượng đã có quyết định.",
              AL_L, 11, DOCX_ITALIC, 6);
    buf_free(&t);
}

static const class_result *result_of(const class_result *res, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(res[i].subject, code) == 0)
            return &res[i];
    return NULL;
}

/* One row of the list of proposals. */
static void proposal_row(buf *b, const int *w, int no, const model *m, const class_quota_line *l, const class_result *r)
{
    buf t = BUF_INIT;
    int uidx = model_unit_find(m, l->sub.unit);
    buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    buf_printf(&t, "%d", no);
    docx_cell(b, w[0], buf_str(&t), AL_C, 0, 0);
    docx_cell(b, w[1], l->sub.name, AL_L, 0, 0);
    docx_cell(b, w[2], uidx >= 0 ? m->units[uidx].name : l->sub.unit, AL_L, 0, 0);
    const class_mark *marks[2] = { r ? &r->self : NULL, r ? &r->appr : NULL };
    docx_cell(b, w[3], marks[0] && marks[0]->grade >= 0 ? grade_short[marks[0]->grade] : "", AL_C, 0, 0);
    buf_reset(&t);
    if (marks[1] && marks[1]->grade >= 0)
        vn_format_number_trim(marks[1]->score_cp / 100.0, 2, LANG_VI, &t);
    docx_cell(b, w[4], buf_str(&t), AL_C, 0, 0);
    docx_cell(b, w[5], marks[1] && marks[1]->grade >= 0 ? grade_short[marks[1]->grade] : "", AL_C, DOCX_BOLD, 0);
    buf_reset(&t);
    if (r && r->dec.grade >= 0)
        buf_printf(&t, "Đã quyết định %s", grade_short[r->dec.grade]);
    if (l->over)
        buf_printf(&t, "%sVượt hạn mức", t.len ? "; " : "");
    docx_cell(b, w[6], buf_str(&t), AL_L, 0, 0);
    buf_adds(b, "</w:tr>");
    buf_free(&t);
}

/* Section II (new page): the subjects the reader may see, by kind, with the proposals. */
static void proposals_part(buf *b, const model *m, int year, int root, const class_actor *a, const class_quota_line *lines,
                           int n, const class_result *res, int nres)
{
    static const int w[7] = { 450, 2650, 2000, 1100, 900, 1100, 1155 };
    static const char *const h[7] = { "TT", "Tổ chức đảng, đảng viên", "Đơn vị", "Tự xếp loại", "Điểm thẩm định",
                                      "Đề nghị xếp loại", "Ghi chú" };
    buf t = BUF_INIT;
    buf_adds(b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    docx_para(b, "DANH SÁCH", AL_C, 15, DOCX_BOLD, 0);
    buf_printf(&t, "Đề nghị xếp loại chất lượng tổ chức đảng, đảng viên năm %d", year);
    docx_para(b, buf_str(&t), AL_C, 14, DOCX_BOLD, 0);
    buf_reset(&t);
    buf_printf(&t, "(Kèm theo Báo cáo số      -BC/%s của %s)", docx_abbrev(m->units[root].type ? m->units[root].type : ""),
               m->units[root].name);
    docx_para(b, buf_str(&t), AL_C, 14, DOCX_ITALIC, 12);
    int listed = 0, hidden = 0;
    docx_table_open(b, w, 7, 1);
    docx_head_row(b, w, h, 7);
    for (int kind = 0; kind < CK_COUNT; kind++) {
        int no = 0;
        for (int i = 0; i < n; i++) {
            const class_subject *sub = &lines[i].sub;
            if (sub->kind != kind)
                continue;
            if (a ? !class_may_see(m, a, sub) : !class_kind_collective(sub->kind)) {
                hidden++;
                continue;
            }
            if (no == 0) {
                buf_adds(b, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
                buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"9355\" w:type=\"dxa\"/><w:gridSpan w:val=\"7\"/></w:tcPr>");
                docx_para(b, kind_vi[kind], AL_L, 12, DOCX_BOLD, 0);
                buf_adds(b, "</w:tc></w:tr>");
            }
            proposal_row(b, w, ++no, m, &lines[i], result_of(res, nres, sub->code));
            listed++;
        }
    }
    buf_adds(b, "</w:tbl>");
    buf_reset(&t);
    if (listed == 0)
        buf_adds(&t, "Chưa có đối tượng nào trong danh sách. ");
    if (hidden)
        buf_printf(&t, "%d đảng viên không có trong danh sách này (thông tin cá nhân, ngoài quyền xem của người lập). ", hidden);
    buf_adds(&t, "Xuất sắc không quá 20% số được xếp loại hoàn thành tốt nhiệm vụ trở lên trong nhóm tương đồng "
                 "(25% với đơn vị nổi trội).");
    docx_para(b, buf_str(&t), AL_L, 11, DOCX_ITALIC, 6);
    buf_free(&t);
}

/* The signature block of a Party document, with placeholders. */
static void signature(buf *b)
{
    static const int sw[2] = { 4400, 5000 };
    docx_para(b, "", AL_L, 14, 0, 12);
    docx_table_open(b, sw, 2, 0);
    buf_adds(b, "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"4400\" w:type=\"dxa\"/></w:tcPr>");
    docx_para(b, "Nơi nhận:", AL_L, 12, DOCX_BOLD | DOCX_ITALIC, 0);
    docx_para(b, "- Ban Thường vụ cấp trên (để báo cáo),", AL_L, 11, 0, 0);
    docx_para(b, "- Ban Tổ chức cấp trên,", AL_L, 11, 0, 0);
    docx_para(b, "- Lưu Văn phòng.", AL_L, 11, 0, 0);
    buf_adds(b, "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"5000\" w:type=\"dxa\"/></w:tcPr>");
    docx_para(b, "T/M BAN THƯỜNG VỤ", AL_C, 14, DOCX_BOLD, 0);
    docx_para(b, "BÍ THƯ", AL_C, 14, DOCX_BOLD, 0);
    docx_para(b, "(Ký, ghi rõ họ tên)", AL_C, 13, DOCX_ITALIC, 60);
    docx_para(b, "[Họ và tên]", AL_C, 14, DOCX_BOLD, 0);
    buf_adds(b, "</w:tc></w:tr></w:tbl>");
    docx_para(b, "Dự thảo do chitieu lập từ kết quả xếp loại đã ghi; cán bộ kiểm tra, chỉnh sửa trước khi trình ký.",
              AL_L, 10, DOCX_ITALIC, 0);
}

int class_docx_write(store *s, const model *m, int year, int root, const class_actor *a, const char *path, err_t *e)
{
    class_unit_count *c = NULL;
    class_quota_line *lines = NULL;
    class_result *res = NULL;
    buf b = BUF_INIT, title = BUF_INIT;
    int rc = -1, n, nres;
    if (class_count_units(s, m, year, &c, e) != 0 || (n = class_quota_report(s, m, year, root, &lines, e)) < 0 ||
        (nres = store_class_results(s, year, &res, e)) < 0)
        goto cleanup;
    head_block(&b, m, root, "BC");
    docx_para(&b, "BÁO CÁO", AL_C, 16, DOCX_BOLD, 0);
    buf_printf(&title, "Kết quả đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên năm %d", year);
    docx_para(&b, buf_str(&title), AL_C, 14, DOCX_BOLD, 0);
    docx_para(&b, "-----", AL_C, 14, 0, 12);
    results_part(&b, m, year, root, c);
    signature(&b);
    proposals_part(&b, m, year, root, a, lines, n, res, nres);
    rc = docx_save(buf_str(&b), b.len, buf_str(&title), path, e);
cleanup:
    free(c);
    free(lines);
    free(res);
    buf_free(&b);
    buf_free(&title);
    return rc;
}
