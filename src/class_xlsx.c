/* class_xlsx.c - the classification round as an Excel workbook (libxlsxwriter): sheet "Tổng hợp",
 * one row per unit of the subtree and population (grassroots organisations; members and leaders)
 * with the decided grades and the rates (only when every subject is decided: a rate missing
 * people is left blank and says why); sheet "Danh sách", the subjects the reader may see with
 * the three steps, for the meeting that decides.  libxlsxwriter owns the workbook until
 * workbook_close writes it; everything else is freed before returning. */
#include "class_xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

typedef struct xfmt {
    lxw_format *title, *head, *text, *num, *pct;
} xfmt;

static lxw_format *fmt(lxw_workbook *wb, int bold, int border, const char *num)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 12);
    if (bold)
        format_set_bold(f);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    if (num)
        format_set_num_format(f, num);
    format_set_text_wrap(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void heads(lxw_worksheet *ws, const xfmt *f, int row, const char *const *h, int n)
{
    for (int k = 0; k < n; k++)
        worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)k, h[k], f->head);
}

/* One summary row; returns the next row. */
static int summary_row(lxw_worksheet *ws, const xfmt *f, int row, const char *unit, int pop, const class_unit_count *k)
{
    worksheet_write_string(ws, (lxw_row_t)row, 0, unit, f->text);
    worksheet_write_string(ws, (lxw_row_t)row, 1, pop ? tr("Đảng viên", "Members") : tr("Tổ chức cơ sở đảng", "Grassroots organisations"),
                           f->text);
    worksheet_write_number(ws, (lxw_row_t)row, 2, k->all, f->num);
    worksheet_write_number(ws, (lxw_row_t)row, 3, k->decided, f->num);
    for (int g = CG_EXCELLENT, col = 4; g >= CG_FAIL; g--, col++)
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, k->grade[g], f->num);
    if (k->decided < k->all || k->all == 0) {
        worksheet_write_string(ws, (lxw_row_t)row, 8, tr("chưa đủ: còn đối tượng chưa có quyết định",
                                                         "incomplete: subjects not decided yet"), f->text);
        return row + 1;
    }
    double good = 100.0 * (k->grade[CG_GOOD] + k->grade[CG_EXCELLENT]) / k->all;
    worksheet_write_number(ws, (lxw_row_t)row, 8, good, f->pct);
    worksheet_write_number(ws, (lxw_row_t)row, 9, 100.0 * k->grade[CG_EXCELLENT] / k->all, f->pct);
    worksheet_write_number(ws, (lxw_row_t)row, 10, 100.0 * k->grade[CG_FAIL] / k->all, f->pct);
    return row + 1;
}

/* Walks root's subtree in tree order (children in name order), writing the units with subjects. */
static int summary_units(lxw_worksheet *ws, const xfmt *f, int row, const model *m, int u, const class_unit_count *c)
{
    for (int pop = 0; pop < 2; pop++)
        if (c[2 * u + pop].all > 0)
            row = summary_row(ws, f, row, m->units[u].name, pop, &c[2 * u + pop]);
    for (int k = m->units[u].first_child; k >= 0; k = m->units[k].next_sibling)
        row = summary_units(ws, f, row, m, k, c);
    return row;
}

static void mark_cells(lxw_worksheet *ws, const xfmt *f, int row, int col, const class_mark *mk)
{
    if (mk->grade < 0)
        return;
    worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, mk->score_cp / 100.0, f->pct);
    worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col + 1, class_grade_name(mk->grade), f->text);
}

static int list_sheet(lxw_workbook *wb, const xfmt *f, store *s, const model *m, int year, int root,
                      const class_actor *a, err_t *e)
{
    class_quota_line *lines = NULL;
    class_result *res = NULL;
    int n = class_quota_report(s, m, year, root, &lines, e), nres = n < 0 ? -1 : store_class_results(s, year, &res, e);
    if (n < 0 || nres < 0) {
        free(lines);
        return -1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, tr("Danh sách", "List"));
    const char *h[] = { tr("Mã", "Code"), tr("Tên", "Name"), tr("Loại", "Kind"), tr("Đơn vị", "Unit"),
                        tr("Tự chấm", "Self score"), tr("Tự xếp loại", "Self grade"), tr("Điểm thẩm định", "Appraised score"),
                        tr("Đề xuất", "Proposed"), tr("Điểm quyết định", "Decided score"), tr("Quyết định", "Decided"),
                        tr("Hạn mức", "Quota") };
    heads(ws, f, 0, h, 11);
    int row = 1;
    for (int i = 0, j = 0; i < n; i++) {
        const class_subject *sub = &lines[i].sub;
        if (a ? !class_may_see(m, a, sub) : !class_kind_collective(sub->kind))
            continue;
        while (j < nres && strcmp(res[j].subject, sub->code) < 0)
            j++;
        const char *cells[] = { sub->code, sub->name, class_kind_name(sub->kind), sub->unit };
        for (int k = 0; k < 4; k++)
            worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)k, cells[k], f->text);
        if (j < nres && strcmp(res[j].subject, sub->code) == 0) {
            mark_cells(ws, f, row, 4, &res[j].self);
            mark_cells(ws, f, row, 6, &res[j].appr);
            mark_cells(ws, f, row, 8, &res[j].dec);
        }
        if (lines[i].over)
            worksheet_write_string(ws, (lxw_row_t)row, 10, tr("vượt hạn mức", "over the quota"), f->text);
        row++;
    }
    worksheet_set_column(ws, 0, 0, 18, NULL);
    worksheet_set_column(ws, 1, 1, 34, NULL);
    worksheet_set_column(ws, 2, 10, 14, NULL);
    free(lines);
    free(res);
    return 0;
}

int class_xlsx_write(store *s, const model *m, int year, int root, const class_actor *a, const char *path, err_t *e)
{
    class_unit_count *c = NULL;
    int rc = -1;
    if (class_count_units(s, m, year, &c, e) != 0)
        return -1;
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL) {
        free(c);
        return err_set(e, tr("không tạo được tệp '%s'", "cannot create the file '%s'"), path);
    }
    xfmt f = { fmt(wb, 1, 0, NULL), fmt(wb, 1, 1, NULL), fmt(wb, 0, 1, NULL), fmt(wb, 0, 1, "#,##0"),
               fmt(wb, 0, 1, "0.0") };
    format_set_bg_color(f.head, 0xDDE4EE);
    format_set_align(f.head, LXW_ALIGN_CENTER);
    lxw_worksheet *ws = workbook_add_worksheet(wb, tr("Tổng hợp", "Summary"));
    buf title = BUF_INIT;
    buf_printf(&title, tr("KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG NĂM %d — %s", "QUALITY CLASSIFICATION %d — %s"), year,
               m->units[root].name);
    worksheet_write_string(ws, 0, 0, buf_str(&title), f.title);
    buf_free(&title);
    const char *h[] = { tr("Đơn vị", "Unit"), tr("Đối tượng", "Subjects"), tr("Tổng số", "Total"), tr("Đã quyết định", "Decided"),
                        tr("Hoàn thành xuất sắc", "Excellent"), tr("Hoàn thành tốt", "Good"), tr("Hoàn thành", "Done"),
                        tr("Không hoàn thành", "Fail"), tr("Tỷ lệ tốt trở lên (%)", "Good and above (%)"),
                        tr("Tỷ lệ xuất sắc (%)", "Excellent (%)"), tr("Tỷ lệ không hoàn thành (%)", "Fail (%)") };
    heads(ws, &f, 2, h, 11);
    summary_units(ws, &f, 3, m, root, c);
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 1, 22, NULL);
    worksheet_set_column(ws, 2, 10, 13, NULL);
    int ok = list_sheet(wb, &f, s, m, year, root, a, e) == 0;
    lxw_error w = workbook_close(wb);
    if (ok && w != LXW_NO_ERROR)
        err_set(e, tr("không ghi được tệp '%s': %s", "cannot write the file '%s': %s"), path, lxw_strerror(w));
    else if (ok)
        rc = 0;
    free(c);
    return rc;
}
