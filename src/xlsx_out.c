/* xlsx_out.c - Excel workbooks out (see xlsx_out.h).
 *
 * Data flow: eval_unit() (and the children's, for the ranking) -> rows written cell by cell
 * with libxlsxwriter, which owns the workbook and its formats until workbook_close() writes
 * the file.  Numbers are written as numbers with a number format carrying the indicator's
 * decimals ("#,##0.00"; Excel shows it as 1.234,50 in a Vietnamese locale), so the sheets stay
 * computable.  Text is UTF-8 as stored (NFC).
 */
#include "xlsx_out.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "buf.h"
#include "eval.h"
#include "report.h"
#include "vn.h"

const char *const xlsx_template_columns[] = { "indicator", "unit", "period", "no", "name", "measure",
                                              "target", "previous", "value", "comment", NULL };

#define GROUP_NAME_WIDTH 52.0     /* the indicator name's column, in characters */
#define TEMPLATE_NAME_WIDTH 56.0

typedef struct fmts {
    lxw_format *title, *subtitle, *head, *text, *bold, *num[7], *pct, *status[5], *input, *note;
    lxw_format *conv[7];     /* num[] with a "*": converted from predecessors (successions) */
} fmts;

static lxw_format *fmt_new(lxw_workbook *wb, int bold, int border)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 12);
    if (bold)
        format_set_bold(f);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_fmts(lxw_workbook *wb, fmts *f)
{
    f->title = fmt_new(wb, 1, 0);
    format_set_font_size(f->title, 14);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    f->subtitle = fmt_new(wb, 0, 0);
    format_set_italic(f->subtitle);
    format_set_align(f->subtitle, LXW_ALIGN_CENTER);
    f->head = fmt_new(wb, 1, 1);
    format_set_bg_color(f->head, 0xDDE4EE);
    format_set_text_wrap(f->head);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    f->text = fmt_new(wb, 0, 1);
    format_set_text_wrap(f->text);
    f->bold = fmt_new(wb, 1, 1);
    static const char *const numfmt[7] = { "#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000",
                                           "#,##0.00000", "#,##0.000000" };
    for (int d = 0; d < 7; d++) {
        f->num[d] = fmt_new(wb, 0, 1);
        format_set_num_format(f->num[d], numfmt[d]);
        char cf[32];
        snprintf(cf, sizeof cf, "%s\"*\"", numfmt[d]);
        f->conv[d] = fmt_new(wb, 0, 1);
        format_set_num_format(f->conv[d], cf);
    }
    f->pct = fmt_new(wb, 0, 1);            /* a real percentage: the cell holds 1.035 for 103,5 % */
    format_set_num_format(f->pct, "0.0%");
    static const unsigned colors[5] = { 0xEEEEEE, 0xFFF2CC, 0xF8CBAD, 0xE2EFDA, 0xC6EFCE };
    for (int s = 0; s < 5; s++) {
        f->status[s] = fmt_new(wb, s == ST_EXCEEDED || s == ST_NOTMET, 1);
        format_set_bg_color(f->status[s], colors[s]);
    }
    f->input = fmt_new(wb, 0, 1);
    format_set_bg_color(f->input, 0xFFFFE0);
    format_set_unlocked(f->input);
    format_set_num_format(f->input, "#,##0.####");
    f->note = fmt_new(wb, 0, 0);
    format_set_italic(f->note);
}

static void page_setup(lxw_worksheet *ws, int head_row)
{
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_set_margins(ws, 0.6, 0.4, 0.6, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, (lxw_row_t)head_row, (lxw_row_t)head_row);
    worksheet_freeze_panes(ws, (lxw_row_t)head_row + 1, 0);
}

static void title_rows(lxw_worksheet *ws, const fmts *f, int lastcol, const char *title,
                       const char *sub)
{
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)lastcol, title, f->title);
    worksheet_merge_range(ws, 1, 0, 1, (lxw_col_t)lastcol, sub, f->subtitle);
}

/* A figure, or (has == 0) an empty cell carrying the note "Chưa có số liệu": never a dash in a
 * numeric column, so sums and formulas over the column still work. */
static void num_or_blank(lxw_worksheet *ws, int row, int col, int has, double v, lxw_format *fmt)
{
    if (has) {
        worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, v, fmt);
        return;
    }
    worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col, fmt);
    worksheet_write_comment(ws, (lxw_row_t)row, (lxw_col_t)col, tr("Chưa có số liệu.", "No figure."));
}

/* A percentage (103.5 for 103,5 %) as a percentage cell (1.035 shown with a "%" format). */
static void pct_or_blank(lxw_worksheet *ws, int row, int col, int has, double pct, lxw_format *fmt)
{
    num_or_blank(ws, row, col, has, pct / 100.0, fmt);
}

/* Rows whose wrapped text needs more than one line get the height for it: Excel and LibreOffice
 * do not grow a row on opening a file, so a long indicator name would be cut in print.  width is
 * the column's width in characters; 15.75 points a line of 12-point Times. */
static void wrap_height(lxw_worksheet *ws, int row, const char *text, double width)
{
    size_t cps = 0;
    for (const unsigned char *q = (const unsigned char *)text; *q; q++)
        cps += (*q & 0xC0) != 0x80;
    size_t per_line = width > 4 ? (size_t)(width - 2) : 1;
    size_t lines = (cps + per_line - 1) / per_line;
    if (lines > 1)
        worksheet_set_row(ws, (lxw_row_t)row, 15.75 * (double)lines, NULL);
}

/* A sheet name from a group name: at most 31 characters, none of []:*?/\ . */
static void sheet_name(const char *name, int index, char *out, size_t n)
{
    buf b = BUF_INIT;
    buf_printf(&b, "%d. ", index);
    for (const char *p = name; *p; p++)
        buf_addc(&b, strchr("[]:*?/\\", *p) ? '-' : *p);
    /* cut to 31 code points, never inside a UTF-8 sequence */
    size_t cps = 0, i = 0;
    const char *s = buf_str(&b);
    for (; s[i] && cps < 31; cps++) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    if (i >= n)
        i = n - 1;
    memcpy(out, s, i);
    out[i] = '\0';
    buf_free(&b);
}

static const char *xlsx_err(lxw_error rc) { return lxw_strerror(rc); }

int xlsx_export(const model *m, int unit, period_t p, const char *path, err_t *e)
{
    return xlsx_export_on(m, unit, p, EVAL_AUTO, path, e);
}

int xlsx_export_on(const model *m, int unit, period_t p, int structure, const char *path, err_t *e)
{
    eval_result r;
    if (structure == EVAL_AUTO)        /* one structure for the whole workbook, ranking included */
        structure = eval_structure_of(m, p);
    if (eval_unit_on(m, unit, p, structure, &r, e) != 0)
        return -1;
    if (eval_too_large(m, &r, e) > 0) {             /* no workbook with a figure left out */
        eval_result_free(&r);
        return -1;
    }
    int rc = -1;
    buf sub = BUF_INIT, t = BUF_INIT;
    lxw_workbook *wb = workbook_new(path);
    if (wb == NULL) {
        err_set(e, tr("không tạo được tệp '%s'", "cannot create the file '%s'"), path);
        goto cleanup;
    }
    fmts f;
    make_fmts(wb, &f);
    buf_printf(&sub, "%s — ", m->units[unit].name);
    report_period_label(m, p, &sub);
    if (r.structure == EVAL_CURRENT && m->nsuccs)
        buf_adds(&sub, tr(" (theo cơ cấu đơn vị hiện nay)", " (on today's structure of units)"));

    /* Summary sheet. */
    lxw_worksheet *ws = workbook_add_worksheet(wb, tr("Tổng hợp", "Summary"));
    title_rows(ws, &f, 5, tr("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "RESULTS BY TARGET"), buf_str(&sub));
    const char *sh[6] = { tr("Nhóm / loại", "Group / set"), tr("Số chỉ tiêu", "Targets"),
                          tr("Đạt và vượt", "Met or exceeded"), tr("Trong đó vượt", "Exceeded"),
                          tr("Không đạt", "Not met"), tr("Chưa có số liệu", "No data") };
    for (int c = 0; c < 6; c++)
        worksheet_write_string(ws, 3, (lxw_col_t)c, sh[c], f.head);
    int row = 4;
    const eval_tally *all = &r.all;
    for (int g = -1; g < r.ngroups + r.nsets; g++) {
        const char *name = g < 0 ? tr("Tổng số", "Total")
                         : g < r.ngroups ? r.groups[g].name : r.sets[g - r.ngroups].name;
        const eval_tally *tl = g < 0 ? all : g < r.ngroups ? &r.groups[g].t : &r.sets[g - r.ngroups].t;
        if (g >= 0 && tl->total == 0)
            continue;
        worksheet_write_string(ws, (lxw_row_t)row, 0, name, g < 0 ? f.bold : f.text);
        int vals[5] = { tl->total, tl->met + tl->exceeded, tl->exceeded, tl->notmet, tl->nodata };
        for (int c = 0; c < 5; c++)
            worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(c + 1), vals[c], f.num[0]);
        row++;
    }
    worksheet_set_column(ws, 0, 0, 34, NULL);
    worksheet_set_column(ws, 1, 5, 14, NULL);
    page_setup(ws, 3);

    /* One sheet per group. */
    const char *gh[10] = { tr("Chỉ tiêu", "Indicator"), tr("Mã", "Code"), tr("ĐVT", "Unit"),
                           tr("Kế hoạch", "Target"), tr("Thực hiện", "Actual"), tr("% KH", "% of target"),
                           tr("Đánh giá", "Status"), tr("Xếp hạng", "Rank"),
                           tr("Cùng kỳ năm trước", "Same period last year"), tr("Cấp trên", "Parent") };
    for (int g = 0; g < r.ngroups; g++) {
        char name[64];
        sheet_name(r.groups[g].name[0] ? r.groups[g].name : tr("Khác", "Other"), g + 1, name, sizeof name);
        ws = workbook_add_worksheet(wb, name);
        if (ws == NULL)
            continue;
        buf_reset(&t);
        buf_printf(&t, "%s", r.groups[g].name);
        title_rows(ws, &f, 9, buf_str(&t), buf_str(&sub));
        for (int c = 0; c < 10; c++)
            worksheet_write_string(ws, 3, (lxw_col_t)c, gh[c], f.head);
        row = 4;
        int nconv = 0;
        for (int i = 0; i < r.nrows; i++) {
            const eval_row *x = &r.rows[i];
            const ind_t *d = &m->inds[x->ind];
            const ind_t *main = d->parent >= 0 ? &m->inds[d->parent] : d;
            if (strcmp(main->group, r.groups[g].name) != 0)
                continue;
            int dec = d->decimals < 0 ? 0 : d->decimals > 6 ? 6 : d->decimals;
            lxw_format *nf = f.num[dec];
            nconv += x->converted || x->prev_converted;
            buf_reset(&t);                  /* the name first, its code after: a printed sheet is read by name */
            buf_printf(&t, "%s%s", d->parent >= 0 ? "– " : "", d->name);
            worksheet_write_string(ws, (lxw_row_t)row, 0, buf_str(&t), f.text);
            wrap_height(ws, row, buf_str(&t), GROUP_NAME_WIDTH);
            worksheet_write_string(ws, (lxw_row_t)row, 1, d->code, f.text);
            worksheet_write_string(ws, (lxw_row_t)row, 2, d->measure, f.text);
            num_or_blank(ws, row, 3, x->has_target, x->target, nf);
            if (x->partial && !x->has_actual)   /* one note per cell: the partial note below says why */
                worksheet_write_blank(ws, (lxw_row_t)row, 4, nf);
            else
                num_or_blank(ws, row, 4, x->has_actual, x->actual, x->converted ? f.conv[dec] : nf);
            pct_or_blank(ws, row, 5, x->has_pct, x->pct, f.pct);
            buf_reset(&t);
            buf_adds(&t, eval_row_status_name(x));
            if (x->partial) {       /* a partial roll-up: its coverage, and a note on the figure */
                buf_adds(&t, " (");
                eval_cov_text(x, &t);
                buf_adds(&t, ")");
                worksheet_write_comment(ws, (lxw_row_t)row, 4, x->withheld ? tr("Không hiện số tổng hợp chưa đủ.",
                                        "Partial total withheld.") : tr("Số tổng hợp chưa đủ.", "Partial total."));
            }
            worksheet_write_string(ws, (lxw_row_t)row, 6, buf_str(&t), f.status[x->status]);
            buf_reset(&t);
            if (x->rank)
                buf_printf(&t, "%d/%d", x->rank, x->rank_of);
            if (x->rank && x->rank_peers > x->rank_of)   /* ranked among those with a figure: say so */
                buf_printf(&t, tr(" (%d/%d đơn vị có số liệu)", " (%d/%d units with figures)"), x->rank_of, x->rank_peers);
            worksheet_write_string(ws, (lxw_row_t)row, 7, x->rank ? buf_str(&t) : "–", f.text);
            num_or_blank(ws, row, 8, x->has_prev, x->prev, x->prev_converted ? f.conv[dec] : nf);
            num_or_blank(ws, row, 9, x->has_parent, x->parent_value, nf);
            row++;
        }
        if (nconv)
            worksheet_write_string(ws, (lxw_row_t)row + 1, 0, tr("* quy đổi từ số liệu của đơn vị tiền thân theo tỷ lệ kế thừa",
                                                                 "* converted from the predecessors' figures by their shares"), f.note);
        worksheet_set_column(ws, 0, 0, GROUP_NAME_WIDTH, NULL);
        worksheet_set_column(ws, 1, 1, 14, NULL);
        worksheet_set_column(ws, 2, 2, 11, NULL);
        worksheet_set_column(ws, 3, 5, 13, NULL);
        worksheet_set_column(ws, 6, 6, 16, NULL);
        worksheet_set_column(ws, 7, 9, 13, NULL);
        page_setup(ws, 3);
    }

    /* Child units ranked (from the report's ranking). */
    json_t *doc = NULL;
    if (m->units[unit].nchildren && report_build_on(m, unit, p, structure, &doc, e) == 0) {
        json_t *kids = json_object_get(doc, "children");
        if (json_array_size(kids)) {
            ws = workbook_add_worksheet(wb, tr("Đơn vị trực thuộc", "Units below"));
            title_rows(ws, &f, 6, tr("XẾP HẠNG CÁC ĐƠN VỊ TRỰC THUỘC", "UNITS BELOW, RANKED"), buf_str(&sub));
            /* "no data" as the report's ranking counts it (partial roll-ups included): a low share
             * that comes from figures not yet reported says so */
            const char *kh[7] = { tr("Hạng", "Rank"), tr("Đơn vị", "Unit"), tr("Số chỉ tiêu", "Targets"),
                                  tr("Đạt và vượt", "Met or exceeded"), tr("Vượt", "Exceeded"),
                                  tr("Tỷ lệ đạt và vượt", "Share met"), tr("Chưa có số liệu", "No data") };
            for (int c = 0; c < 7; c++)
                worksheet_write_string(ws, 3, (lxw_col_t)c, kh[c], f.head);
            size_t k;
            json_t *o;
            json_array_foreach(kids, k, o) {
                lxw_row_t rr = (lxw_row_t)(4 + k);
                worksheet_write_number(ws, rr, 0, (double)json_integer_value(json_object_get(o, "rank")), f.num[0]);
                worksheet_write_string(ws, rr, 1, json_string_value(json_object_get(o, "name")), f.text);
                worksheet_write_number(ws, rr, 2, (double)json_integer_value(json_object_get(o, "total")), f.num[0]);
                worksheet_write_number(ws, rr, 3, (double)json_integer_value(json_object_get(o, "met_or_exceeded")), f.num[0]);
                worksheet_write_number(ws, rr, 4, (double)json_integer_value(json_object_get(o, "exceeded")), f.num[0]);
                pct_or_blank(ws, (int)rr, 5, 1, json_number_value(json_object_get(o, "share_pct")), f.pct);
                worksheet_write_number(ws, rr, 6, (double)json_integer_value(json_object_get(o, "no_data")), f.num[0]);
            }
            worksheet_set_column(ws, 0, 0, 8, NULL);
            worksheet_set_column(ws, 1, 1, 36, NULL);
            worksheet_set_column(ws, 2, 6, 14, NULL);
            page_setup(ws, 3);
        }
    }
    json_decref(doc);

    /* The reported figures behind the evaluation, in the values import format, so the
     * workbook can be imported back (into another database, or after corrections). */
    ws = workbook_add_worksheet(wb, tr("Số liệu", "Values"));
    static const char *const vh[5] = { "indicator", "unit", "period", "value", "comment" };
    for (int c = 0; c < 5; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, vh[c], f.head);
    char pc[PERIOD_CODE_MAX];
    period_code(p, pc, sizeof pc);
    row = 1;
    for (int u = unit; u >= 0; u = u == unit ? m->units[unit].first_child : m->units[u].next_sibling) {
        for (size_t i = 0; i < m->ninds; i++) {
            cell_t tmp;
            const cell_t *v = model_value(m, (int)i, u, p, &tmp);
            if (v == NULL)
                continue;
            worksheet_write_string(ws, (lxw_row_t)row, 0, m->inds[i].code, NULL);
            worksheet_write_string(ws, (lxw_row_t)row, 1, m->units[u].code, NULL);
            worksheet_write_string(ws, (lxw_row_t)row, 2, pc, NULL);
            worksheet_write_number(ws, (lxw_row_t)row, 3, v->v, NULL);
            if (v->comment)
                worksheet_write_string(ws, (lxw_row_t)row, 4, v->comment, NULL);
            row++;
        }
    }
    worksheet_set_column(ws, 0, 2, 16, NULL);
    worksheet_set_column(ws, 3, 3, 14, NULL);
    worksheet_set_column(ws, 4, 4, 40, NULL);
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error xe = workbook_close(wb);
    wb = NULL;
    if (xe != LXW_NO_ERROR) {
        err_set(e, tr("không ghi được '%s': %s", "cannot write '%s': %s"), path, xlsx_err(xe));
        goto cleanup;
    }
    rc = 0;
cleanup:
    if (wb)
        workbook_close(wb);
    eval_result_free(&r);
    buf_free(&sub);
    buf_free(&t);
    return rc;
}

/* Indicators a unit reports for a period: those evaluated now or a year earlier (targets,
 * values), minus formulas (computed, never entered). */
static int template_rows(const model *m, int unit, period_t p, int *out, int *n, err_t *e)
{
    unsigned char *want = calloc(m->ninds + 1, 1);
    if (want == NULL)
        return err_set(e, "out of memory");
    period_t ps[2] = { p, period_prev_year(p) };
    for (int k = 0; k < 2; k++) {
        if (ps[k].kind == P_NONE)
            continue;
        eval_result r;
        if (eval_unit(m, unit, ps[k], &r, e) != 0) {
            free(want);
            return -1;
        }
        for (int i = 0; i < r.nrows; i++)
            if (r.rows[i].has_target || r.rows[i].has_annual || r.rows[i].source == SRC_REPORTED)
                want[r.rows[i].ind] = 1;
        eval_result_free(&r);
    }
    *n = 0;
    for (size_t i = 0; i < m->ninds; i++) /* main indicators, each followed by its components */
        if (m->inds[i].parent < 0) {
            if (want[i] && !m->inds[i].f)
                out[(*n)++] = (int)i;
            for (size_t k = 0; m->inds[i].nchildren && k < m->ninds; k++)
                if (m->inds[k].parent == (int)i && want[k] && !m->inds[k].f)
                    out[(*n)++] = (int)k;
        }
    free(want);
    return 0;
}

int xlsx_template(const model *m, int unit, period_t p, const char *path, int *nrows, err_t *e)
{
    int rc = -1, n = 0;
    int *inds = malloc((m->ninds + 1) * sizeof *inds);
    buf sub = BUF_INIT, t = BUF_INIT;
    lxw_workbook *wb = NULL;
    char code[PERIOD_CODE_MAX];
    if (inds == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    if (template_rows(m, unit, p, inds, &n, e) != 0)
        goto cleanup;
    wb = workbook_new(path);
    if (wb == NULL) {
        err_set(e, tr("không tạo được tệp '%s'", "cannot create the file '%s'"), path);
        goto cleanup;
    }
    fmts f;
    make_fmts(wb, &f);
    period_code(p, code, sizeof code);
    buf_printf(&sub, "%s — ", m->units[unit].name);
    report_period_label(m, p, &sub);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Nhập số liệu");
    title_rows(ws, &f, 9, tr("BIỂU NHẬP SỐ LIỆU THỰC HIỆN CHỈ TIÊU", "DATA ENTRY: TARGET RESULTS"), buf_str(&sub));
    worksheet_merge_range(ws, 2, 3, 2, 9,
        tr("Nhập số liệu vào cột \"Số liệu\" (ô màu vàng), giữ nguyên các cột khác; nhập lại bằng: chitieu import TỆP.xlsx",
           "Fill in the \"Value\" column (yellow cells), leave the rest; load with: chitieu import FILE.xlsx"), f.note);
    for (int c = 0; xlsx_template_columns[c]; c++)
        worksheet_write_string(ws, 3, (lxw_col_t)c, xlsx_template_columns[c], NULL);
    lxw_row_col_options hidden_opt = { .hidden = 1 };
    worksheet_set_row_opt(ws, 3, LXW_DEF_ROW_HEIGHT, NULL, &hidden_opt);
    const char *vh[10] = { tr("Mã chỉ tiêu", "Indicator code"), tr("Mã đơn vị", "Unit code"), tr("Kỳ", "Period"),
                           tr("STT", "No."), tr("Chỉ tiêu", "Indicator"), tr("ĐVT", "Unit"),
                           tr("Kế hoạch", "Target"), tr("Cùng kỳ năm trước", "Same period last year"),
                           tr("Số liệu", "Value"), tr("Ghi chú", "Comment") };
    for (int c = 0; c < 10; c++)
        worksheet_write_string(ws, 4, (lxw_col_t)c, vh[c], f.head);
    lxw_data_validation dv = { 0 };
    dv.validate = LXW_VALIDATION_TYPE_DECIMAL;
    dv.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
    dv.minimum_number = -1e15;
    dv.maximum_number = 1e15;
    dv.ignore_blank = LXW_VALIDATION_ON;
    dv.error_title = (char *)tr("Số không hợp lệ", "Not a number");
    dv.error_message = (char *)tr("Ô này chỉ nhận một số (ví dụ 1234,5).", "This cell takes a number (e.g. 1234.5).");
    period_t prev = period_prev_year(p);
    for (int i = 0; i < n; i++) {
        const ind_t *d = &m->inds[inds[i]];
        lxw_row_t rr = (lxw_row_t)(5 + i);
        lxw_format *nf = f.num[d->decimals < 0 ? 0 : d->decimals > 6 ? 6 : d->decimals];
        worksheet_write_string(ws, rr, 0, d->code, f.text);
        worksheet_write_string(ws, rr, 1, m->units[unit].code, f.text);
        worksheet_write_string(ws, rr, 2, code, f.text);
        worksheet_write_number(ws, rr, 3, i + 1, f.num[0]);
        buf_reset(&t);
        buf_printf(&t, "%s%s", d->parent >= 0 ? "– " : "", d->name);
        worksheet_write_string(ws, rr, 4, buf_str(&t), f.text);
        wrap_height(ws, (int)rr, buf_str(&t), TEMPLATE_NAME_WIDTH);
        worksheet_write_string(ws, rr, 5, d->measure, f.text);
        cell_t ttmp, vtmp;
        const cell_t *tg = model_target(m, inds[i], unit, p, &ttmp);
        num_or_blank(ws, (int)rr, 6, tg != NULL, tg ? tg->v : 0, nf);
        /* The figure is looked up in its own statement: read in the same argument list as the
         * call that sets it, it was the old 0 (C leaves the order of arguments unspecified; the
         * rule in tests/cppcheck/eval-order.rule now refuses that pattern). */
        double pv = 0;
        int has_prev = prev.kind != P_NONE && eval_actual(m, inds[i], unit, prev, &pv);
        num_or_blank(ws, (int)rr, 7, has_prev, pv, nf);
        const cell_t *v = model_value(m, inds[i], unit, p, &vtmp);
        if (v)
            worksheet_write_number(ws, rr, 8, v->v, f.input);
        else
            worksheet_write_blank(ws, rr, 8, f.input);
        if (v && v->comment)
            worksheet_write_string(ws, rr, 9, v->comment, f.input);
        else
            worksheet_write_blank(ws, rr, 9, f.input);
    }
    if (n > 0)
        worksheet_data_validation_range(ws, 5, 8, (lxw_row_t)(5 + n - 1), 8, &dv);
    worksheet_set_column_opt(ws, 0, 2, 12, NULL, &hidden_opt);
    worksheet_set_column(ws, 3, 3, 6, NULL);
    worksheet_set_column(ws, 4, 4, TEMPLATE_NAME_WIDTH, NULL);
    worksheet_set_column(ws, 5, 5, 11, NULL);
    worksheet_set_column(ws, 6, 8, 15, NULL);
    worksheet_set_column(ws, 9, 9, 30, NULL);
    page_setup(ws, 4);
    lxw_error xe = workbook_close(wb);
    wb = NULL;
    if (xe != LXW_NO_ERROR) {
        err_set(e, tr("không ghi được '%s': %s", "cannot write '%s': %s"), path, xlsx_err(xe));
        goto cleanup;
    }
    *nrows = n;
    rc = 0;
cleanup:
    if (wb)
        workbook_close(wb);
    free(inds);
    buf_free(&sub);
    buf_free(&t);
    return rc;
}
