/* test_xlsx.c - Excel in and out: the template round trip (write, fill as a spreadsheet program
 * would, read back, import), the export workbook, and hostile archives (broken zip, DTD with
 * entities, zip bomb) refused with a clear error. */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>
#include <cmocka.h>

#include "import.h"
#include "store.h"
#include "xlsx_out.h"
#include "xlsx_read.h"

static char dbpath[64], xpath[64];

static const char units_csv[] = "code,name,parent,type\nt,Tỉnh,,Tỉnh ủy\nh,Huyện ủy Ân Thi,t,Huyện ủy\n";
static const char inds_csv[] = "code,name,unit,decimals,formula\nthu,Thu ngân sách,tỷ đồng,1,\n"
                               "ngheo,\"Tỷ lệ hộ nghèo, cuối năm\",%,2,\nty_le,Tỷ lệ,%,2,thu / 10\n";
static const char data_csv[] = "indicator,unit,period,target\nthu,h,2023,1100\nngheo,h,2023,2.5\n";
static const char vals_csv[] = "indicator,unit,period,value\nthu,h,2022,900\n";

static int setup(void **state)
{
    (void)state;
    snprintf(dbpath, sizeof dbpath, "/tmp/chitieu-xlsx-%ld.db", (long)getpid());
    snprintf(xpath, sizeof xpath, "/tmp/chitieu-xlsx-%ld.xlsx", (long)getpid());
    remove(dbpath);
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { { "u.csv", units_csv, sizeof units_csv - 1 }, { "i.csv", inds_csv, sizeof inds_csv - 1 },
                            { "t.csv", data_csv, sizeof data_csv - 1 }, { "v.csv", vals_csv, sizeof vals_csv - 1 } };
    import_opts o = { .who = "test" };
    assert_int_equal(store_open(dbpath, 1, &s, &e), 0);
    assert_int_equal(import_run(s, m, src, 4, &o, &st, &errs, &e), 0);
    store_close(s);
    model_free(m);
    buf_free(&errs);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char side[80];
    remove(dbpath);
    snprintf(side, sizeof side, "%s-wal", dbpath);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", dbpath);
    remove(side);
    remove(xpath);
    return 0;
}

static model *load(void)
{
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(dbpath, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    store_close(s);
    return m;
}

static void read_file(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(b, chunk, n);
    fclose(f);
}

/* Replaces, in the zip at path, part `name` with `text` (as a spreadsheet program saving). */
static void replace_part(const char *path, const char *name, const char *text)
{
    int err;
    zip_t *z = zip_open(path, 0, &err);
    assert_non_null(z);
    char *copy = strdup(text);
    zip_source_t *src = zip_source_buffer(z, copy, strlen(copy), 1);
    assert_non_null(src);
    zip_int64_t idx = zip_name_locate(z, name, 0);
    if (idx >= 0)
        assert_int_equal(zip_file_replace(z, (zip_uint64_t)idx, src, 0), 0);
    else
        assert_true(zip_file_add(z, name, src, 0) >= 0);
    assert_int_equal(zip_close(z), 0);
}

static char *read_part(const char *path, const char *name)
{
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    char *p = calloc(1, st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_int_equal(zip_fread(f, p, st.size), (zip_int64_t)st.size);
    zip_fclose(f);
    zip_close(z);
    return p;
}

/* Fills the value cell (column I) of the template's first two data rows. */
static char *fill(const char *xml)
{
    buf b = BUF_INIT;
    const char *p = xml;
    int filled = 0;
    const char *vals[2] = { "1234.5", "1.75" };
    for (;;) {
        const char *c = strstr(p, "<c r=\"I");
        if (c == NULL || filled == 2) {
            buf_adds(&b, p);
            break;
        }
        int row = atoi(c + 7);
        const char *end = strstr(c, "/>");
        if (row < 6 || end == NULL || end - c > 40) { /* header rows, or a cell with content */
            buf_add(&b, p, (size_t)(c - p) + 1);
            p = c + 1;
            continue;
        }
        buf_add(&b, p, (size_t)(end - p));
        buf_printf(&b, "><v>%s</v></c>", vals[filled++]);
        p = end + 2;
    }
    return buf_steal(&b);
}

static void test_template_round_trip(void **state)
{
    (void)state;
    model *m = load();
    int rows = 0;
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    assert_int_equal(xlsx_template(m, model_unit_find(m, "h"), y, xpath, &rows, &e), 0);
    assert_int_equal(rows, 2); /* thu and ngheo; the formula ty_le is never entered */
    model_free(m);

    /* Read back as written: the hidden header is found, nothing filled yet. */
    buf b = BUF_INIT, csv = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_string_equal(sh[0].name, "Nhập số liệu");
    assert_int_equal(xlsx_sheet_csv(&sh[0], import_is_header, &csv), 1);
    assert_non_null(strstr(buf_str(&csv), "\n\n\nindicator,unit,period,no,name,measure,target,previous,value,comment\n"));
    assert_non_null(strstr(buf_str(&csv), "ngheo,h,2023,2,\"Tỷ lệ hộ nghèo, cuối năm\",%,2.5"));
    /* "Cùng kỳ năm trước" holds last year's figure (it was 0 in every row: the figure was read in
     * the same argument list as the call that set it). */
    assert_non_null(strstr(buf_str(&csv), "thu,h,2023,1,Thu ngân sách,tỷ đồng,1100,900"));
    xlsx_free(sh, n);

    /* Fill two values as a spreadsheet program would, then import the sheet. */
    char *xml = read_part(xpath, "xl/worksheets/sheet1.xml");
    char *filled = fill(xml);
    replace_part(xpath, "xl/worksheets/sheet1.xml", filled);
    free(xml);
    free(filled);
    buf_reset(&b);
    buf_reset(&csv);
    read_file(xpath, &b);
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    assert_int_equal(xlsx_sheet_csv(&sh[0], import_is_header, &csv), 1);
    xlsx_free(sh, n);
    store *s;
    m = model_new();
    assert_int_equal(store_open(dbpath, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    import_source src = { "t.xlsx [Nhập số liệu]", buf_str(&csv), csv.len };
    import_opts o = { .who = "test" };
    import_stats st;
    buf errs = BUF_INIT;
    int rc = import_run(s, m, &src, 1, &o, &st, &errs, &e);
    if (rc != 0)
        fail_msg("%s%s", buf_str(&errs), e.msg);
    assert_int_equal(st.added[IK_VALUES], 2);
    store_close(s);
    model_free(m);
    m = load();
    assert_true(model_value(m, model_ind_find(m, "thu"), model_unit_find(m, "h"), y, &(cell_t){ 0 })->v == 1234.5);
    assert_true(model_value(m, model_ind_find(m, "ngheo"), model_unit_find(m, "h"), y, &(cell_t){ 0 })->v == 1.75);
    model_free(m);
    buf_free(&b);
    buf_free(&csv);
    buf_free(&errs);
}

static void test_export(void **state)
{
    (void)state;
    model *m = load();
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    assert_int_equal(xlsx_export(m, model_unit_find(m, "t"), y, xpath, &e), 0);
    model_free(m);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    assert_true(n >= 2);
    assert_string_equal(sh[0].name, "Tổng hợp");
    /* the summary's first data row: total, 2 targets of the child */
    int found = 0;
    for (int k = 1; k < n; k++)
        for (size_t r = 0; r < sh[k].nrows; r++)
            if (sh[k].rows[r].n > 1 && strcmp(sh[k].rows[r].cell[0], "thu") == 0)
                found = 1;
    assert_true(found);
    xlsx_free(sh, n);
    buf_free(&b);
}

/* A values sheet whose period column Excel turned into dates: 1/5/2023 (what "2023-05" becomes)
 * reads as the month, 15/5/2023 is refused in words naming the date; a date-formatted cell reads
 * as its date, a plain number stays a number. */
static void test_period_dates(void **state)
{
    (void)state;
    lxw_workbook *wb = workbook_new(xpath);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "v");
    lxw_format *df = workbook_add_format(wb);
    format_set_num_format(df, "d/m/yyyy");
    lxw_format *mf = workbook_add_format(wb);
    format_set_num_format(mf, "mmm\\-yy");
    lxw_format *nf = workbook_add_format(wb);
    format_set_num_format(nf, "#,##0.0 \"m\"");      /* an "m" in quotes: not a date */
    static const char *const head[4] = { "indicator", "unit", "period", "value" };
    for (int c = 0; c < 4; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
    lxw_datetime may = { 2023, 5, 1, 0, 0, 0 }, mid = { 2023, 5, 15, 0, 0, 0 };
    worksheet_write_string(ws, 1, 0, "thu", NULL);
    worksheet_write_string(ws, 1, 1, "h", NULL);
    worksheet_write_datetime(ws, 1, 2, &may, mf);
    worksheet_write_number(ws, 1, 3, 45047, nf);
    worksheet_write_string(ws, 2, 0, "thu", NULL);
    worksheet_write_string(ws, 2, 1, "h", NULL);
    worksheet_write_datetime(ws, 2, 2, &mid, df);
    worksheet_write_number(ws, 2, 3, 12, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    buf b = BUF_INIT, csv = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n;
    err_t e;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    assert_string_equal(sh[0].rows[1].cell[2], "2023-05-01");
    assert_string_equal(sh[0].rows[1].cell[3], "45047");      /* a number with "m" in quotes */
    assert_string_equal(sh[0].rows[2].cell[2], "2023-05-15");
    assert_int_equal(xlsx_sheet_csv(&sh[0], import_is_header, &csv), 1);
    xlsx_free(sh, n);
    store *s;
    model *m = model_new();
    assert_int_equal(store_open(dbpath, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    import_source src = { "t.xlsx [v]", buf_str(&csv), csv.len };
    import_opts o = { .who = "test", .dry_run = 1 };
    import_stats st;
    buf errs = BUF_INIT;
    assert_int_equal(import_run(s, m, &src, 1, &o, &st, &errs, &e), -1);
    assert_non_null(strstr(buf_str(&errs), "dòng 3, cột 3 (period)"));
    assert_non_null(strstr(buf_str(&errs), "ô kỳ chứa ngày 15/5/2023, không phải mã kỳ"));
    assert_null(strstr(buf_str(&errs), "dòng 2, cột 3"));    /* 1/5/2023: the month 2023-05 */
    store_close(s);
    model_free(m);
    buf_free(&b);
    buf_free(&csv);
    buf_free(&errs);
}

/* Finds, in the sheets, the row whose cell `col` is `text`; NULL if none. */
static const xlsx_row *find_row(const xlsx_sheet *sh, int n, size_t col, const char *text)
{
    for (int k = 0; k < n; k++)
        for (size_t r = 0; r < sh[k].nrows; r++)
            if (sh[k].rows[r].n > col && strcmp(sh[k].rows[r].cell[col], text) == 0)
                return &sh[k].rows[r];
    return NULL;
}

/* The district's sheet: names before codes, "% KH" a real percentage cell, a missing figure an
 * empty cell with a note (no dash in a numeric column), a long name's row tall enough. */
static void test_export_cells(void **state)
{
    (void)state;
    model *m = load();
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    int h = model_unit_find(m, "h");
    assert_int_equal(model_put_value(m, model_ind_find(m, "thu"), h, y, 1234.5, NULL), 0);
    ind_t longname = { .code = "dai", .name = "Tỷ lệ xã, phường, thị trấn đạt chuẩn tiếp cận pháp luật "
                                              "và có thiết chế văn hóa, thể thao hoạt động thường xuyên",
                       .group = "", .set = "", .measure = "%", .parent_code = "", .formula_src = "",
                       .parent = -1, .decimals = 1 };
    int dai = model_put_ind(m, &longname);
    assert_true(dai >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    dai = model_ind_find(m, "dai");
    assert_int_equal(model_put_target(m, dai, h, y, 80), 0);
    assert_int_equal(xlsx_export(m, h, y, xpath, &e), 0);
    model_free(m);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    const xlsx_row *thu = find_row(sh, n, 0, "Thu ngân sách");
    assert_non_null(thu);
    assert_string_equal(thu->cell[1], "thu");                  /* the code after the name */
    assert_true(thu->n > 5);
    assert_true(fabs(atof(thu->cell[5]) - 1234.5 / 1100) < 1e-9); /* 112,2 % held as 1.122... */
    const xlsx_row *row = find_row(sh, n, 1, "dai");   /* a target, no figure yet */
    assert_non_null(row);
    assert_true(row->n > 3);
    assert_string_equal(row->cell[3], "80");
    assert_true(row->n <= 4 || strcmp(row->cell[4], "") == 0); /* no actual: empty, not "–" */
    for (int k = 0; k < n; k++)
        for (size_t r = 0; r < sh[k].nrows; r++)
            for (size_t c = 0; c < sh[k].rows[r].n; c++)
                if (c >= 3 && c != 6 && c != 7)
                    assert_string_not_equal(sh[k].rows[r].cell[c], "–");
    xlsx_free(sh, n);
    char *styles = read_part(xpath, "xl/styles.xml");
    assert_non_null(strstr(styles, "formatCode=\"0.0%\""));
    free(styles);
    char *comments = read_part(xpath, "xl/comments1.xml");  /* the group's sheet's notes */
    assert_non_null(strstr(comments, "Chưa có số liệu."));
    free(comments);
    char *sheet = read_part(xpath, "xl/worksheets/sheet2.xml");
    const char *row_dai = NULL;
    for (const char *q = strstr(sheet, "<row "); q && !row_dai; q = strstr(q + 1, "<row ")) {
        const char *close = strchr(q, '>');
        const char *ht = strstr(q, " ht=\"");
        if (ht && close && ht < close && atof(ht + 5) >= 31)
            row_dai = q;
    }
    assert_non_null(row_dai);                                    /* two lines at least */
    free(sheet);
    buf_free(&b);
}

/* The province's revenue from 1 of its 2 districts: the export says so beside the figure. */
static void test_export_partial(void **state)
{
    (void)state;
    model *m = load();
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    assert_true(model_put_unit(m, "h2", "Huyện ủy Hai", "t", "Huyện ủy", 0, 0) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    assert_int_equal(model_put_value(m, model_ind_find(m, "thu"), model_unit_find(m, "h"), y, 500, NULL), 0);
    assert_int_equal(model_put_target(m, model_ind_find(m, "thu"), model_unit_find(m, "t"), y, 400), 0);
    assert_int_equal(xlsx_export(m, model_unit_find(m, "t"), y, xpath, &e), 0);
    model_free(m);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n, found = 0;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    for (int k = 0; k < n; k++)
        for (size_t r = 0; r < sh[k].nrows; r++)
            for (size_t c = 0; sh[k].rows[r].n > 6 && c < sh[k].rows[r].n; c++)
                if (strstr(sh[k].rows[r].cell[c], "chưa đủ số liệu (1/2 đơn vị có số liệu)"))
                    found = 1;
    assert_true(found);
    xlsx_free(sh, n);
    buf_free(&b);
}

/* The ranking of the units below says how many of each unit's targets have no figure yet: a
 * low share that comes from figures not reported is not read as figures missed. */
static void test_export_ranking_no_data(void **state)
{
    (void)state;
    model *m = load();
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    assert_true(model_put_unit(m, "h2", "Huyện ủy Hai", "t", "Huyện ủy", 0, 0) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    int h2 = model_unit_find(m, "h2"), thu = model_ind_find(m, "thu"), ngheo = model_ind_find(m, "ngheo");
    assert_int_equal(model_put_target(m, thu, h2, y, 100), 0);
    assert_int_equal(model_put_target(m, ngheo, h2, y, 3), 0);
    assert_int_equal(model_put_value(m, thu, h2, y, 120, NULL), 0);   /* ngheo: not reported */
    assert_int_equal(xlsx_export(m, model_unit_find(m, "t"), y, xpath, &e), 0);
    model_free(m);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n, header = 0, row = 0;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    for (int k = 0; k < n; k++) {
        if (strcmp(sh[k].name, "Đơn vị trực thuộc") != 0)
            continue;
        for (size_t r = 0; r < sh[k].nrows; r++) {
            const xlsx_row *x = &sh[k].rows[r];
            if (x->n > 6 && strcmp(x->cell[6], "Chưa có số liệu") == 0)
                header = 1;
            if (x->n > 6 && strcmp(x->cell[1], "Huyện ủy Hai") == 0) {
                assert_string_equal(x->cell[2], "2");           /* targets */
                assert_string_equal(x->cell[6], "1");           /* of them without a figure */
                row = 1;
            }
        }
    }
    assert_true(header && row);
    xlsx_free(sh, n);
    buf_free(&b);
}

/* A rank among the siblings that reported says how many there are: 1/2 of 3 units. */
static void test_export_rank_peers(void **state)
{
    (void)state;
    model *m = load();
    err_t e;
    period_t y;
    period_parse("2023", 4, &y);
    assert_true(model_put_unit(m, "h2", "Huyện ủy Hai", "t", "Huyện ủy", 0, 0) >= 0);
    assert_true(model_put_unit(m, "h3", "Huyện ủy Ba", "t", "Huyện ủy", 0, 0) >= 0);
    assert_int_equal(model_finish(m, &e), 0);
    int thu = model_ind_find(m, "thu"), h = model_unit_find(m, "h");
    assert_int_equal(model_put_value(m, thu, h, y, 2000, NULL), 0);
    assert_int_equal(model_put_value(m, thu, model_unit_find(m, "h2"), y, 500, NULL), 0);   /* h3: none */
    assert_int_equal(xlsx_export(m, h, y, xpath, &e), 0);
    model_free(m);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n, found = 0;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    for (int k = 0; k < n; k++)
        for (size_t r = 0; r < sh[k].nrows; r++)
            if (sh[k].rows[r].n > 7 && strcmp(sh[k].rows[r].cell[1], "thu") == 0)
                found = strcmp(sh[k].rows[r].cell[7], "1/2 (2/3 đơn vị có số liệu)") == 0;
    assert_true(found);
    xlsx_free(sh, n);
    buf_free(&b);
}

static void test_hostile(void **state)
{
    (void)state;
    err_t e;
    xlsx_sheet *sh;
    int n;
    static const char junk[] = "PK\x03\x04 this is not a zip archive at all";
    assert_int_equal(xlsx_read(junk, sizeof junk - 1, &sh, &n, &e), -1);
    assert_non_null(strstr(e.msg, "zip"));

    /* A workbook.xml with an entity definition (billion laughs) is refused, not expanded. */
    model *m = load();
    period_t y;
    period_parse("2023", 4, &y);
    assert_int_equal(xlsx_template(m, model_unit_find(m, "h"), y, xpath, &n, &e), 0);
    model_free(m);
    replace_part(xpath, "xl/workbook.xml",
                 "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                 "<workbook><sheets><sheet name=\"&lol2;\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    buf b = BUF_INIT;
    read_file(xpath, &b);
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), -1);
    assert_non_null(strstr(e.msg, "DTD"));

    /* A part that inflates past the limit is refused before it is read. */
    char *zeros = calloc(1, (size_t)70 << 20);
    memset(zeros, '<', (size_t)70 << 20);
    zeros[((size_t)70 << 20) - 1] = '\0';
    replace_part(xpath, "xl/sharedStrings.xml", zeros);
    free(zeros);
    buf_reset(&b);
    read_file(xpath, &b);
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), -1);
    buf_free(&b);
}

/* Cells typed in TCVN3 fonts come back as Unicode; the "H" font gives capitals. */
static void test_legacy_fonts(void **state)
{
    (void)state;
    lxw_workbook *wb = workbook_new(xpath);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    lxw_format *vn = workbook_add_format(wb), *vnh = workbook_add_format(wb), *vni = workbook_add_format(wb);
    format_set_font_name(vn, ".VnTime");
    format_set_font_name(vnh, ".VnTimeH");
    format_set_font_name(vni, "VNI-Times");
    worksheet_write_string(ws, 0, 0, "code", NULL);
    worksheet_write_string(ws, 0, 1, "name", NULL);
    worksheet_write_string(ws, 1, 0, "a", NULL);
    worksheet_write_string(ws, 1, 1, "T\u00abi \u00aei h\u00e4c", vn);   /* "T«i ®i häc" */
    worksheet_write_string(ws, 2, 1, "T\u00abi \u00aei h\u00e4c", vnh);
    worksheet_write_string(ws, 3, 1, "To\u00e2i \u00f1i ho\u00efc", vni); /* "Toâi ñi hoïc" */
    worksheet_write_string(ws, 4, 1, "T\u00abi", NULL);                    /* a Unicode font: kept */
    worksheet_write_number(ws, 5, 1, 12.5, vn);                               /* numbers are not text */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    buf b = BUF_INIT;
    read_file(xpath, &b);
    xlsx_sheet *sh;
    int n;
    err_t e;
    assert_int_equal(xlsx_read(buf_str(&b), b.len, &sh, &n, &e), 0);
    assert_string_equal(sh[0].rows[1].cell[1], "Tôi đi học");
    assert_string_equal(sh[0].rows[2].cell[1], "TÔI ĐI HỌC");
    assert_string_equal(sh[0].rows[3].cell[1], "Tôi đi học");
    assert_string_equal(sh[0].rows[4].cell[1], "T\u00abi");
    assert_string_equal(sh[0].rows[5].cell[1], "12.5");
    assert_int_equal(sh[0].converted, 3);
    xlsx_free(sh, n);
    buf_free(&b);
}

/* An old .xls (tests/data/legacy_fonts.xls: the workbook of test_legacy_fonts saved by
 * LibreOffice Calc as Excel 97-2003, with a second sheet): its .VnTime, .VnTimeH and VNI-Times
 * cells are decoded as in .xlsx (FreeXL gives no fonts: xls_fonts.c reads them with libgsf), the
 * Latin-1 text in a Unicode font is kept, numbers stay numbers. */
static void test_xls_legacy_fonts(void **state)
{
    (void)state;
    char path[512];
    const char *dir = getenv("CHITIEU_TEST_DATA");
    snprintf(path, sizeof path, "%s/legacy_fonts.xls", dir ? dir : "tests/data");
    xlsx_sheet *sh;
    int n;
    err_t e;
    if (xls_read_file(path, &sh, &n, &e) != 0)
        fail_msg("%s: %s", path, e.msg);
    assert_int_equal(n, 2);
    assert_string_equal(sh[0].rows[1].cell[1], "Tôi đi học");        /* .VnTime */
    assert_string_equal(sh[0].rows[2].cell[1], "TÔI ĐI HỌC");        /* .VnTimeH */
    assert_string_equal(sh[0].rows[3].cell[1], "Tôi đi học");        /* VNI-Times */
    assert_string_equal(sh[0].rows[4].cell[1], "Café Müller");       /* Arial: not TCVN3 */
    assert_string_equal(sh[0].rows[1].cell[2], "1234.5");
    assert_string_equal(sh[0].rows[2].cell[2], "12");                /* a number in .VnTime */
    assert_int_equal(sh[0].converted, 3);
    assert_string_equal(sh[1].name, "Trang2");
    assert_string_equal(sh[1].rows[0].cell[0], "Phòng");             /* the second sheet's font */
    assert_int_equal(sh[1].converted, 1);
    xlsx_free(sh, n);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_round_trip),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_export_partial),
        cmocka_unit_test(test_export_ranking_no_data),
        cmocka_unit_test(test_export_rank_peers),
        cmocka_unit_test(test_export_cells),
        cmocka_unit_test(test_period_dates),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_legacy_fonts),
        cmocka_unit_test(test_xls_legacy_fonts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
