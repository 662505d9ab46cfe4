/* test_import.c - import end to end through the SQLite store: kinds from headers, ';' and
 * decimal commas, BOM, NFC, errors naming file/row/column, all-or-nothing, dry run,
 * idempotent re-import, history of changed values, duplicates and cycles rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "enc.h"
#include "engine.h"
#include "eval.h"
#include "import.h"
#include "import_text.h"
#include "store.h"
#include "store_sqlite.h"

typedef struct fx {
    char path[64];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/chitieu-test-%ld.db", (long)getpid());
    remove(f->path);
    store *s;
    err_t e;
    assert_int_equal(store_open(f->path, 1, &s, &e), 0);
    store_close(s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char side[80];
    remove(f->path);
    snprintf(side, sizeof side, "%s-wal", f->path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", f->path);
    remove(side);
    free(f);
    return 0;
}

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static const char units_csv[] =
    "code,name,parent,type,valid_from,valid_to\n"
    "ha-noi,Thành ủy Hà Nội,,Thành ủy,,\n"
    "cau-giay,\"Quận ủy Cầu Giấy\",ha-noi,Quận ủy,2020-01-01,2025-06-30\n"
    "ba-dinh,Quận ủy Ba Đình,ha-noi,Quận ủy,,2025-06-30\n";
static const char inds_csv[] =
    "\xEF\xBB\xBF" "code;name;group;direction;decimals;formula\n"
    "thu_ns;Thu ngân sách;Kinh tế - xã hội;up;0;\n"
    "reg;Cử tri đăng ký;Bầu cử;up;0;\n"
    "voted;Cử tri đi bầu;Bầu cử;up;0;\n"
    "rate;Tỷ lệ đi bầu;Bầu cử;up;2;voted / reg * 100\n";
static const char values_csv[] =
    "indicator;unit;period;value;comment\n"
    "thu_ns;cau-giay;2022;1.234,5;\"có ; dấu chấm phẩy\"\n"
    "thu_ns;ba-dinh;2022;14,16;\n";

/* Runs an import on a model loaded with what (STORE_*); returns its rc and leaves the error
 * text in *errs (caller frees). */
static int run_part(fx *f, const import_source *src, int n, int dry, int what, import_stats *st, char **errs)
{
    store *s;
    model *m = model_new();
    err_t e;
    buf errors = BUF_INIT;
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, what, &e), 0);
    import_opts o = { .dry_run = dry, .who = "tester" };
    int rc = import_run(s, m, src, n, &o, st, &errors, &e);
    *errs = buf_steal(&errors);
    store_close(s);
    model_free(m);
    return rc;
}

static int run(fx *f, const import_source *src, int n, int dry, import_stats *st, char **errs)
{
    return run_part(f, src, n, dry, STORE_ALL, st, errs);
}

static model *load(fx *f)
{
    store *s;
    model *m = model_new();
    err_t e;
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    store_close(s);
    return m;
}

static void test_import_and_reimport(void **state)
{
    fx *f = *state;
    import_source src[] = { SRC("values.csv", values_csv), SRC("units.csv", units_csv),
                            SRC("indicators.csv", inds_csv) };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 3, 0, &st, &errs), 0);
    assert_string_equal(errs, "");
    free(errs);
    assert_int_equal(st.added[IK_UNITS], 3);
    assert_int_equal(st.added[IK_INDICATORS], 4);
    assert_int_equal(st.added[IK_VALUES], 2);

    model *m = load(f);
    int cg = model_unit_find(m, "cau-giay");
    assert_true(cg >= 0);
    assert_string_equal(m->units[cg].name, "Quận ủy Cầu Giấy");
    assert_int_equal(m->units[cg].valid_to, 20250630);
    assert_string_equal(m->units[cg].parent_code, "ha-noi");
    period_t y;
    period_parse("2022", 4, &y);
    const cell_t *c = model_value(m, model_ind_find(m, "thu_ns"), cg, y, &(cell_t){ 0 });
    assert_non_null(c);
    assert_true(c->v == 1234.5);
    assert_string_equal(c->comment, "có ; dấu chấm phẩy");
    c = model_value(m, model_ind_find(m, "thu_ns"), model_unit_find(m, "ba-dinh"), y, &(cell_t){ 0 });
    assert_true(c->v == 14.16);
    assert_string_equal(m->inds[model_ind_find(m, "rate")].formula_src, "voted / reg * 100");
    assert_string_equal(m->inds[model_ind_find(m, "rate")].set, "chỉ tiêu"); /* default */
    model_free(m);

    /* The same files again change nothing. */
    assert_int_equal(run(f, src, 3, 0, &st, &errs), 0);
    free(errs);
    for (int k = 1; k < IK_COUNT; k++) {
        assert_int_equal(st.added[k], 0);
        assert_int_equal(st.changed[k], 0);
    }

    /* A changed value is written and recorded in history. */
    import_source v2[] = { SRC("v2.csv", "indicator,unit,period,value\nthu_ns,cau-giay,2022,1300\n") };
    assert_int_equal(run(f, v2, 1, 0, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.changed[IK_VALUES], 1);
    store *s;
    err_t e;
    store_hist h[8];
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    int n = store_history(s, "thu_ns", "cau-giay", y, h, 8, &e);
    store_close(s);
    assert_int_equal(n, 2);
    assert_true(h[0].has_old && h[0].old_v == 1234.5 && h[0].new_v == 1300);
    assert_string_equal(h[0].who, "tester");
    assert_false(h[1].has_old);
}

static void test_bad_file_changes_nothing(void **state)
{
    fx *f = *state;
    import_source src[] = {
        SRC("good.csv", "indicator,unit,period,value\nthu_ns,ba-dinh,2021,10\n"),
        SRC("bad.csv", "indicator,unit,period,value\n"
                       "thu_ns,ba-dinh,2023,12a\n"
                       "nope,ba-dinh,2023,1\n"
                       "thu_ns,ba-dinh,2023Q5,1\n"
                       "thu_ns,ba-dinh,2020,1\n"
                       "thu_ns,ba-dinh,2020,2\n"
                       "thu_ns,cau-giay,2019,1\n"        /* before it was valid: counted nowhere */
                       "thu_ns,ba-dinh,2026,1\n"         /* after it was dissolved (30/6/2025) */
                       "thu_ns,ba-dinh,2025,1\n"),       /* valid in its first half: a figure */
    };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 2, 0, &st, &errs), -1);
    if (getenv("SHOW")) puts(errs);
    assert_non_null(strstr(errs, "bad.csv, dòng 2, cột 4 (value): '12a'"));
    assert_non_null(strstr(errs, "bad.csv, dòng 3, cột 1 (indicator): 'nope'"));
    assert_non_null(strstr(errs, "bad.csv, dòng 4, cột 3 (period): '2023Q5'"));
    assert_non_null(strstr(errs, "bad.csv, dòng 6: trùng với dòng 5 của bad.csv"));
    assert_non_null(strstr(errs, "bad.csv, dòng 7, cột 3 (period): '2019' — đơn vị không có hiệu lực ngày nào trong kỳ "
                                 "này (hiệu lực từ 1/1/2020 đến 30/6/2025): số liệu này không được tính vào đâu; "
                                 "số liệu trước khi đơn vị được thành lập nhập cho đơn vị tiền thân"));
    assert_non_null(strstr(errs, "bad.csv, dòng 8, cột 3 (period): '2026' — đơn vị không có hiệu lực ngày nào trong kỳ "
                                 "này (hiệu lực đến 30/6/2025): số liệu này không được tính vào đâu"));
    assert_null(strstr(errs, "dòng 9"));
    assert_int_equal(st.errors, 6);
    free(errs);
    model *m = load(f);
    period_t y;
    period_parse("2021", 4, &y);
    assert_null(model_value(m, model_ind_find(m, "thu_ns"), model_unit_find(m, "ba-dinh"), y, &(cell_t){ 0 }));
    model_free(m);
}

/* A units file without the validity columns (the admin form's, or an older tool's) keeps a unit's
 * dates: renaming a ward dissolved on 30/6/2025 must not make it valid again (it used to: both
 * dates read as empty).  An empty cell in a file with the column clears the date. */
static void test_unit_dates_kept(void **state)
{
    fx *f = *state;
    import_stats st;
    char *errs;
    import_source a[] = { SRC("u.csv", "code,name,parent,type,valid_from,valid_to\n"
                                        "ha-noi,Thành ủy Hà Nội,,Thành ủy,,\n"
                                        "hk,Quận ủy Hoàn Kiếm,ha-noi,Quận ủy,2008-08-01,2025-06-30\n") };
    assert_int_equal(run(f, a, 1, 0, &st, &errs), 0);
    free(errs);
    import_source b[] = { SRC("u.csv", "code,name,parent,type\nhk,Quận ủy Hoàn Kiếm (cũ),ha-noi,Quận ủy\n") };
    assert_int_equal(run(f, b, 1, 0, &st, &errs), 0);
    free(errs);
    model *m = load(f);
    const unit_t *u = &m->units[model_unit_find(m, "hk")];
    assert_string_equal(u->name, "Quận ủy Hoàn Kiếm (cũ)");
    assert_int_equal(u->valid_from, 20080801);
    assert_int_equal(u->valid_to, 20250630);
    model_free(m);
    /* only valid_from given, after the kept valid_to: refused, naming the cell */
    import_source c[] = { SRC("u.csv", "code,name,parent,type,valid_from\nhk,Quận ủy Hoàn Kiếm,ha-noi,Quận ủy,2026-01-01\n") };
    assert_int_equal(run(f, c, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "u.csv, dòng 2, cột 5 (valid_from): '2026-01-01'"));
    free(errs);
    /* the column there and empty: the date cleared */
    import_source d[] = { SRC("u.csv", "code,name,parent,type,valid_from,valid_to\nhk,Quận ủy Hoàn Kiếm,ha-noi,Quận ủy,2008-08-01,\n") };
    assert_int_equal(run(f, d, 1, 0, &st, &errs), 0);
    free(errs);
    m = load(f);
    assert_int_equal(m->units[model_unit_find(m, "hk")].valid_to, 0);
    model_free(m);
}

/* A file with more errors than are checked: the list says its count is a floor, not the total. */
static void test_error_count_when_stopped(void **state)
{
    fx *f = *state;
    buf csv = BUF_INIT;
    buf_adds(&csv, "indicator,unit,period,value\n");
    for (int k = 0; k < 1500; k++)
        buf_adds(&csv, "thu_ns,ba-dinh,2023,abc\n");
    import_source src[] = { { "bad.csv", buf_str(&csv), csv.len } };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 1, 1, &st, &errs), -1);
    assert_int_equal(st.errors, 1001);                 /* the check stopped: 499 rows not read */
    assert_non_null(strstr(errs, "... và ít nhất 901 lỗi khác (ngừng kiểm tra sau 1001 lỗi"));
    free(errs);
    buf_free(&csv);
}

static void test_dry_run_writes_nothing(void **state)
{
    fx *f = *state;
    import_source src[] = { SRC("t.csv", "indicator,unit,period,target\nthu_ns,ba-dinh,2022,3000\n") };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 1, 1, &st, &errs), 0);
    free(errs);
    assert_int_equal(st.added[IK_TARGETS], 1);
    model *m = load(f);
    period_t y;
    period_parse("2022", 4, &y);
    assert_null(model_target(m, model_ind_find(m, "thu_ns"), model_unit_find(m, "ba-dinh"), y, &(cell_t){ 0 }));
    model_free(m);
}

static void test_nfc_and_headers(void **state)
{
    fx *f = *state;
    /* "Phường Dịch Vọng" with decomposed ị (i + U+0323) and ờ (o + U+031B + U+0300). */
    import_source src[] = { SRC("u.csv", "code,name,parent,type\n"
                                         "dich-vong,Phu\xCC\x9B" "o\xCC\x9B\xCC\x80" "ng Di\xCC\xA3" "ch Vo\xCC\xA3" "ng,cau-giay,Đảng ủy phường\n") };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 1, 0, &st, &errs), 0);
    free(errs);
    model *m = load(f);
    int u = model_unit_find(m, "dich-vong");
    assert_true(u >= 0);
    assert_string_equal(m->units[u].name, "Phường Dịch Vọng");
    /* The stored text is NFC: no combining marks remain. */
    assert_null(strstr(m->units[u].name, "\xCC"));
    model_free(m);

    import_source bad[] = { SRC("x.csv", "code,name,colour\na,b,c\n"),
                            SRC("empty.csv", "") };
    assert_int_equal(run(f, bad, 2, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "x.csv, dòng 1: 'code,name,colour'"));
    assert_non_null(strstr(errs, "empty.csv: tệp rỗng"));
    free(errs);
}

/* Bad files never go in half-read: a row wider than its header, a header alone, an empty file. */
static void test_bad_shapes(void **state)
{
    fx *f = *state;
    import_stats st;
    char *errs;
    import_source wide[] = { SRC("wide.csv", "indicator,unit,period,value\n"
                                             "thu_ns,ba-dinh,2019,1\n"
                                             "thu_ns,ba-dinh,2018,1,5\n"           /* a decimal comma */
                                             "thu_ns,ba-dinh,2017,2,\n") };        /* empty: nothing lost */
    assert_int_equal(run(f, wide, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "wide.csv, dòng 3, cột 5 (ngoài tiêu đề): '5' — dòng có 5 cột, dòng tiêu đề chỉ có 4"));
    assert_null(strstr(errs, "dòng 4"));
    assert_int_equal(st.errors, 1);
    free(errs);
    import_source semi[] = { SRC("semi.csv", "indicator;unit;period;value\nthu_ns;ba-dinh;2019;1;x;y\n") };
    assert_int_equal(run(f, semi, 1, 1, &st, &errs), -1);
    assert_non_null(strstr(errs, "semi.csv, dòng 2, cột 5 (ngoài tiêu đề): 'x'"));
    assert_null(strstr(errs, "dấu phẩy thập phân"));      /* ';' files have no such excuse */
    free(errs);
    import_source tmpl[] = { SRC("t.csv", "indicator,unit,period,no,name,measure,target,previous,value,comment\n"
                                          "a,b,c,STT,Tên,ĐVT,KH,Cùng kỳ,Giá trị,Ghi chú\n"
                                          "thu_ns,ba-dinh,2019,1,Thu,tỷ,,,,,extra\n") }; /* left empty, but wide */
    assert_int_equal(run(f, tmpl, 1, 1, &st, &errs), -1);
    assert_non_null(strstr(errs, "t.csv, dòng 3, cột 11 (ngoài tiêu đề): 'extra'"));
    free(errs);
    import_source hdr[] = { SRC("h.csv", "indicator,unit,period,value\n\n"),
                            SRC("ok.csv", "indicator,unit,period,value\nthu_ns,ba-dinh,2016,1\n") };
    assert_int_equal(run(f, hdr, 2, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "h.csv: tệp chỉ có dòng tiêu đề"));
    assert_null(strstr(errs, "ok.csv"));
    free(errs);
    model *m = load(f);
    period_t y;
    static const char *const years[] = { "2019", "2018", "2017", "2016" };
    for (int i = 0; i < 4; i++) {
        period_parse(years[i], 4, &y);
        assert_null(model_value(m, model_ind_find(m, "thu_ns"), model_unit_find(m, "ba-dinh"), y, &(cell_t){ 0 }));
    }
    model_free(m);
}

/* A mostly-UTF-8 file with one bad byte is refused where it is; a clean legacy file is read. */
static void test_encodings(void **state)
{
    (void)state;
    static const char bad[] = "code,name,parent,type\n"
                              "p1,Phường Một,cau-giay,Đảng ủy phường\n"
                              "p2,\"Phường\nHai\",cau-giay,\"Đảng ủy \xC3 phường\"\n";
    buf out = BUF_INIT;
    import_text_info info;
    err_t e;
    assert_int_equal(import_text_decode("u.csv", bad, sizeof bad - 1, IMPORT_ENC_AUTO, 0, &out, &info, &e), -1);
    assert_non_null(strstr(e.msg, "tệp u.csv, dòng 3, cột 4: byte 0xC3 không hợp lệ trong UTF-8 (dòng vật lý 4)"));
    assert_non_null(strstr(e.msg, "UTF-8"));
    assert_int_equal(out.len, 0);
    /* named as UTF-8: the same error; named as CP1258: read as the user says */
    assert_int_equal(import_text_decode("u.csv", bad, sizeof bad - 1, ENC_UTF8, 0, &out, &info, &e), -1);
    assert_non_null(strstr(e.msg, "dòng 3, cột 4: byte 0xC3"));
    assert_int_equal(import_text_decode("u.csv", bad, sizeof bad - 1, ENC_CP1258, 0, &out, &info, &e), 0);
    assert_int_equal(info.enc, ENC_CP1258);
    assert_int_equal(info.guessed, 0);
    buf_reset(&out);
    /* TCVN3 throughout: guessed */
    static const char tcvn3[] = "code,name,parent,type\nleg,T\xABi \xAEi h\xE4" "c,tinh,Chi b\xE9\n";
    assert_int_equal(import_text_decode("l.csv", tcvn3, sizeof tcvn3 - 1, IMPORT_ENC_AUTO, 0, &out, &info, &e), 0);
    assert_int_equal(info.enc, ENC_TCVN3);
    assert_int_equal(info.guessed, 1);
    assert_non_null(strstr(buf_str(&out), "leg,Tôi đi học,tinh,Chi bộ"));
    buf_reset(&out);
    /* --upper with a guessed TCVN3: an "H" font */
    assert_int_equal(import_text_decode("l.csv", tcvn3, sizeof tcvn3 - 1, IMPORT_ENC_AUTO, 1, &out, &info, &e), 0);
    assert_int_equal(info.upper, 1);
    assert_non_null(strstr(buf_str(&out), "TÔI ĐI HỌC"));
    buf_reset(&out);
    /* UTF-16 is named as such */
    static const char u16[] = "\xFF\xFE" "c\0o\0d\0e\0";
    assert_int_equal(import_text_decode("w.csv", u16, sizeof u16 - 1, IMPORT_ENC_AUTO, 0, &out, &info, &e), -1);
    assert_non_null(strstr(e.msg, "UTF-16"));
    /* valid UTF-8 passes through as NFC, without its BOM */
    static const char ok[] = "\xEF\xBB\xBF" "a,b\nVi" "e\xCC\xA3\xCC\x82" "t,1\n";
    assert_int_equal(import_text_decode("ok.csv", ok, sizeof ok - 1, IMPORT_ENC_AUTO, 0, &out, &info, &e), 0);
    assert_string_equal(buf_str(&out), "a,b\nViệt,1\n");
    int enc;
    assert_int_equal(import_text_encoding("auto", &enc), 0);
    assert_int_equal(enc, IMPORT_ENC_AUTO);
    assert_int_equal(import_text_encoding("UTF-8", &enc), 0);
    assert_int_equal(enc, ENC_UTF8);
    assert_int_equal(import_text_encoding("latin1", &enc), -1);
    buf_free(&out);
}

static void test_cycles_and_references(void **state)
{
    fx *f = *state;
    import_source src[] = { SRC("u.csv", "code,name,parent,type\n"
                                         "cau-giay,Quận ủy Cầu Giấy,dich-vong,Quận ủy\n") };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "vòng lặp"));
    free(errs);
    import_source src2[] = { SRC("i.csv", "code,name,formula\nx1,X,ghost + 1\nx2,Y,(1 +\n") };
    assert_int_equal(run(f, src2, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "i.csv, dòng 3, cột 3 (formula)"));
    free(errs);
    import_source src3[] = { SRC("i.csv", "code,name,formula\nx1,X,ghost + 1\n") };
    assert_int_equal(run(f, src3, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "ghost"));
    free(errs);
}

/* Indicator codes as offices write them, and formulas that name them in braces; a bare
 * "KT-01" in a formula is KT minus 1, refused with the quoted form as the hint; codes that are
 * not codes at all still refused. */
static void test_office_codes(void **state)
{
    fx *f = *state;
    import_source src[] = {
        SRC("u.csv", "code,name,parent,type\nhn,Thành ủy Hà Nội,,Thành ủy\n"),
        SRC("i.csv", "code,name,formula\nKT-01,Thu ngân sách,\nKT-02,Chi ngân sách,\n1.2,Số xã nông thôn mới,\n"
                     "CT1a,Tỷ lệ chi trên thu,{KT-02} / {KT-01} * 100\nCT1b,Gấp đôi,{1.2} * 2\n"),
        SRC("v.csv", "indicator,unit,period,value\nKT-01,hn,2022,200\nKT-02,hn,2022,150\n1.2,hn,2022,7\n"),
    };
    import_stats st;
    char *errs;
    int rc = run(f, src, 3, 0, &st, &errs);
    if (rc != 0)
        fail_msg("%s", errs);
    free(errs);
    model *m = load(f);
    period_t y;
    period_parse("2022", 4, &y);
    double v = 0;
    int hn = model_unit_find(m, "hn");
    assert_true(model_ind_find(m, "KT-01") >= 0 && model_ind_find(m, "1.2") >= 0);
    assert_true(eval_actual(m, model_ind_find(m, "CT1a"), hn, y, &v));
    assert_true(v == 75);
    assert_true(eval_actual(m, model_ind_find(m, "CT1b"), hn, y, &v));
    assert_true(v == 14);
    model_free(m);
    import_source bare[] = { SRC("i.csv", "code,name,formula\nCT2,Sai,KT-01 / 2\n") };
    assert_int_equal(run(f, bare, 1, 0, &st, &errs), -1);
    assert_non_null(strstr(errs, "{KT-01}"));
    free(errs);
    static const char *const bad[] = { "-KT", ".5", "KT 01", "KT/01", "Chỉ_tiêu" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[96];
        snprintf(text, sizeof text, "code,name\n%s,X\n", bad[i]);
        import_source one = { "i.csv", text, strlen(text) };
        assert_int_equal(run(f, &one, 1, 0, &st, &errs), -1);
        assert_non_null(strstr(errs, "i.csv, dòng 2, cột 1 (code)"));
        free(errs);
    }
}

/* A partial load brings the catalogue and only the cells asked for; the full load all of them. */
static void test_load_part(void **state)
{
    fx *f = *state;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv),
                            SRC("values.csv", values_csv),
                            SRC("t.csv", "indicator,unit,period,target\nthu_ns,ba-dinh,2022,3000\n") };
    import_stats st;
    char *errs;
    assert_int_equal(run(f, src, 4, 0, &st, &errs), 0);
    free(errs);
    /* More rows than the loader's prefetch ring, every seventh with a comment (those skip it). */
    buf many = BUF_INIT;
    buf_adds(&many, "indicator,unit,period,value,comment\n");
    for (int k = 1; k <= 12 * 4; k++)
        buf_printf(&many, "reg,%s,%d-%02d,%d,%s\n", (k - 1) / 12 % 2 ? "ba-dinh" : "ha-noi", 2020 + (k - 1) / 24,
                   (k - 1) % 12 + 1, k * 10, k % 7 ? "" : "ghi chú");
    import_source more = { "many.csv", buf_str(&many), many.len };
    int rc = run(f, &more, 1, 0, &st, &errs);
    if (rc != 0)
        fail_msg("%s", errs);
    assert_string_equal(errs, "");
    free(errs);
    model *all = load(f);      /* earlier tests in the group share the database */
    for (int k = 1; k <= 12 * 4; k++) {
        period_t p = { P_MONTH, (uint8_t)((k - 1) % 12 + 1), (uint16_t)(2020 + (k - 1) / 24),
                       (uint16_t)(2020 + (k - 1) / 24) };
        const cell_t *c = model_value(all, model_ind_find(all, "reg"),
                                      model_unit_find(all, (k - 1) / 12 % 2 ? "ba-dinh" : "ha-noi"), p, &(cell_t){ 0 });
        assert_non_null(c);
        assert_true(c->v == k * 10);
        if (k % 7)
            assert_null(c->comment);
        else
            assert_string_equal(c->comment, "ghi chú");
    }
    buf_free(&many);
    assert_true(all->values.n >= 2 && all->targets.n >= 1);
    static const int what[] = { 0, STORE_TARGETS, STORE_VALUES, STORE_ALL };
    for (size_t k = 0; k < sizeof what / sizeof *what; k++) {
        store *s;
        model *m = model_new();
        err_t e;
        assert_int_equal(store_open(f->path, 0, &s, &e), 0);
        assert_int_equal(store_load_part(s, m, what[k], &e), 0);
        assert_int_equal(m->nunits, all->nunits);
        assert_int_equal(m->ninds, all->ninds);
        assert_int_equal(m->values.n, what[k] & STORE_VALUES ? all->values.n : 0);
        assert_int_equal(m->targets.n, what[k] & STORE_TARGETS ? all->targets.n : 0);
        assert_true(m->finished);
        store_close(s);
        model_free(m);
    }
    model_free(all);
}

/* An import on a model without its cells (the stored figures looked up one by one) counts,
 * refuses and writes exactly what one on the whole model does. */
static void test_import_without_cells(void **state)
{
    fx *f = *state;
    import_source base[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv),
                             SRC("values.csv", values_csv),
                             SRC("t.csv", "indicator,unit,period,target\nthu_ns,ba-dinh,2021,3000\n") };
    import_stats st, st2;
    char *errs, *errs2;
    assert_int_equal(run(f, base, 4, 0, &st, &errs), 0);
    free(errs);
    static const char cells[] =
        "indicator,unit,period,value,comment\n"
        "thu_ns,cau-giay,2022,1234.5,có ; dấu chấm phẩy\n"   /* stored, unchanged */
        "thu_ns,ba-dinh,2022,15,\n"                         /* stored, changed */
        "thu_ns,cau-giay,2022Q1,7,mới\n"                    /* new */
        "reg,ha-noi,2022,100,\n";                          /* new */
    static const char tgt[] = "indicator,unit,period,target\nthu_ns,ba-dinh,2021,3500\nthu_ns,ha-noi,2021,1\n";
    import_source ok[] = { SRC("cells.csv", cells), SRC("t2.csv", tgt) };
    /* dry runs on both models agree */
    assert_int_equal(run_part(f, ok, 2, 1, STORE_ALL, &st, &errs), 0);
    assert_int_equal(run_part(f, ok, 2, 1, 0, &st2, &errs2), 0);
    assert_string_equal(errs, errs2);
    assert_memory_equal(&st, &st2, sizeof st);
    assert_int_equal(st.added[IK_VALUES], 2);
    assert_int_equal(st.changed[IK_VALUES], 1);
    assert_int_equal(st.added[IK_TARGETS], 1);
    assert_int_equal(st.changed[IK_TARGETS], 1);
    free(errs);
    free(errs2);
    /* a figure beyond what fixed point holds is refused with its row and column, not clipped */
    import_source huge[] = { SRC("huge.csv", "indicator,unit,period,value\nthu_ns,ba-dinh,2022,900000000000000\n"
                                             "thu_ns,ba-dinh,2023,1700000000000000\n") };
    assert_int_equal(run_part(f, huge, 1, 1, STORE_ALL, &st, &errs), -1);
    assert_non_null(strstr(errs, "huge.csv, dòng 3, cột 4"));
    assert_non_null(strstr(errs, "quá lớn"));
    assert_null(strstr(errs, "dòng 2"));
    free(errs);
    /* so do the errors of a bad file (a duplicate row, an unknown unit) */
    import_source bad[] = { SRC("bad.csv", "indicator,unit,period,value\nthu_ns,ba-dinh,2022,1\n"
                                           "thu_ns,ba-dinh,2022,2\nthu_ns,ghost,2022,3\n") };
    assert_int_equal(run_part(f, bad, 1, 0, STORE_ALL, &st, &errs), -1);
    assert_int_equal(run_part(f, bad, 1, 0, 0, &st2, &errs2), -1);
    assert_string_equal(errs, errs2);
    assert_non_null(strstr(errs, "dòng 3"));
    free(errs);
    free(errs2);
    /* the commit on the model without cells writes what the whole one would have */
    assert_int_equal(run_part(f, ok, 2, 0, 0, &st2, &errs2), 0);
    free(errs2);
    model *m = load(f);
    period_t y, q;
    period_parse("2022", 4, &y);
    period_parse("2022Q1", 6, &q);
    int thu = model_ind_find(m, "thu_ns"), cg = model_unit_find(m, "cau-giay"), bd = model_unit_find(m, "ba-dinh");
    assert_true(model_value(m, thu, cg, y, &(cell_t){ 0 })->v == 1234.5);
    assert_string_equal(model_value(m, thu, cg, y, &(cell_t){ 0 })->comment, "có ; dấu chấm phẩy");
    assert_true(model_value(m, thu, bd, y, &(cell_t){ 0 })->v == 15);
    assert_string_equal(model_value(m, thu, cg, q, &(cell_t){ 0 })->comment, "mới");
    assert_true(model_value(m, model_ind_find(m, "reg"), model_unit_find(m, "ha-noi"), y, &(cell_t){ 0 })->v == 100);
    period_parse("2021", 4, &y);
    assert_true(model_target(m, thu, bd, y, &(cell_t){ 0 })->v == 3500);
    model_free(m);
    /* and again changes nothing */
    assert_int_equal(run_part(f, ok, 2, 0, 0, &st2, &errs2), 0);
    free(errs2);
    assert_int_equal(st2.added[IK_VALUES] + st2.changed[IK_VALUES] + st2.added[IK_TARGETS] + st2.changed[IK_TARGETS], 0);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The error lines of errs, sorted, joined by newlines (caller frees). */
static char *sorted_lines(const char *errs)
{
    char *copy = strdup(errs), *save = NULL, *lines[64];
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && n < 64; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, (size_t)n, sizeof *lines, cmp_line);
    buf b = BUF_INIT;
    for (int k = 0; k < n; k++)
        buf_printf(&b, "%s\n", lines[k]);
    free(copy);
    return buf_steal(&b);
}

/* A first load (no target or value stored: cells appended, then indexed, duplicates found then)
 * refuses the same rows, and writes the same figures, as the lookup of every cell does. */
static void test_first_load(void **state)
{
    fx *f = *state;
    import_source cat[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv) };
    import_stats st, st2;
    char *errs, *errs2;
    assert_int_equal(run(f, cat, 2, 0, &st, &errs), 0);
    free(errs);
    import_source bad[] = {
        SRC("t.csv", "indicator,unit,period,target\nthu_ns,ba-dinh,2021,1\nthu_ns,ba-dinh,2022,2\n"
                     "thu_ns,ba-dinh,2021,3\nthu_ns,ghost,2021,4\n"),
        SRC("v1.csv", "indicator,unit,period,value\nthu_ns,ba-dinh,2022,1\nreg,ha-noi,2022-05,2\n"
                      "thu_ns,ba-dinh,2022,1\nthu_ns,ba-dinh,2022Q5,1\n"),
        SRC("v2.csv", "indicator,unit,period,value,comment\nreg,ha-noi,2022-05,3,again\nreg,ha-noi,2022-06,x,\n"
                      "voted,cau-giay,2022,5,ok\n"),
    };
    assert_int_equal(run_part(f, bad, 3, 0, STORE_ALL, &st, &errs), -1);    /* the first load */
    assert_int_equal(run_part(f, bad, 3, 0, 0, &st2, &errs2), -1);          /* a lookup per cell */
    assert_int_equal(st.errors, 6);
    assert_int_equal(st2.errors, 6);
    char *a = sorted_lines(errs), *b = sorted_lines(errs2);
    assert_string_equal(a, b);
    assert_non_null(strstr(errs, "t.csv, dòng 4: trùng với dòng 2 của t.csv"));
    assert_non_null(strstr(errs, "v1.csv, dòng 4: trùng với dòng 2 của v1.csv"));
    assert_non_null(strstr(errs, "v2.csv, dòng 2: trùng với dòng 3 của v1.csv"));
    free(a);
    free(b);
    free(errs);
    free(errs2);
    model *m = load(f);
    assert_int_equal(m->values.n + m->targets.n, 0);           /* nothing written */
    model_free(m);
    /* without the bad rows: both write the same figures */
    import_source good[] = {
        SRC("t.csv", "indicator,unit,period,target\nthu_ns,ba-dinh,2022,2\nthu_ns,ba-dinh,2021,1\n"),
        SRC("v.csv", "indicator,unit,period,value,comment\nreg,ha-noi,2022-05,3,again\nthu_ns,ba-dinh,2022,1,\n"
                     "voted,cau-giay,2022,5,ok\nreg,ha-noi,2022-04,2.5,\n"),
    };
    buf first = BUF_INIT, each = BUF_INIT;
    for (int k = 0; k < 2; k++) {
        assert_int_equal(run_part(f, good, 2, 0, k ? 0 : STORE_ALL, &st, &errs), 0);
        assert_string_equal(errs, "");
        free(errs);
        assert_int_equal(st.added[IK_VALUES], 4);
        assert_int_equal(st.added[IK_TARGETS], 2);
        m = load(f);
        buf *out = k ? &each : &first;
        for (size_t i = 0; i < m->values.n; i++) {
            const cell_t *c = &m->values.cells[i];
            char per[PERIOD_CODE_MAX];
            period_code(c->per, per, sizeof per);
            buf_printf(out, "%s %s %s %g %s\n", m->inds[c->ind].code, m->units[c->unit].code, per, c->v,
                       c->comment ? c->comment : "-");
        }
        /* the map finds every cell it holds */
        for (size_t i = 0; i < m->values.n; i++) {
            const cell_t *c = &m->values.cells[i];
            assert_ptr_equal(model_value(m, c->ind, c->unit, c->per, &(cell_t){ 0 }), c);
        }
        model_free(m);
        store *s;
        err_t e;
        assert_int_equal(store_open(f->path, 0, &s, &e), 0);         /* empty again for the other way */
        assert_int_equal(sq_exec(s, "DELETE FROM value; DELETE FROM target; DELETE FROM history"), 0);
        store_close(s);
    }
    assert_string_equal(buf_str(&first), buf_str(&each));
    assert_non_null(strstr(buf_str(&first), "reg ha-noi 2022-05 3 again"));
    buf_free(&first);
    buf_free(&each);
}

/* The engine read straight from the database, in 1, 2 or 3 parts at once, holds what the engine
 * built from the whole model holds. */
static void test_engine_from_store(void **state)
{
    fx *f = *state;
    model *m = load(f);
    err_t e;
    engine *ref = NULL;
    int y0, y1;
    assert_int_equal(engine_build(m, 1, &ref, &e), 0);
    engine_years(ref, &y0, &y1);
    assert_true(y1 >= y0 && y0 > 0);
    model *cat = model_new();
    store *s;
    assert_int_equal(store_open(f->path, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, cat, 0, &e), 0);
    store_close(s);
    for (int parts = 1; parts <= 3; parts++) {
        engine *g = NULL;
        engine_opts o = { .threads = 1 };
        long nv = 0, nt = 0;
        assert_int_equal(engine_new(cat, &o, y0, y1, &g, &e), 0);
        assert_int_equal(engine_load_store(g, cat, f->path, 0, parts, &nv, &e), 0);
        assert_int_equal(engine_load_store(g, cat, f->path, 1, parts, &nt, &e), 0);
        assert_int_equal(nv, (long)m->values.n);
        assert_int_equal(nt, (long)m->targets.n);
        assert_int_equal(engine_run(g, &e), 0);
        assert_true(engine_checksum(g) == engine_checksum(ref));
        engine_free(g);
    }
    engine *g = NULL;
    long n;
    assert_int_equal(engine_new(cat, NULL, y0, y1, &g, &e), 0);
    assert_int_not_equal(engine_load_store(g, cat, "/nonexistent/chitieu.db", 0, 2, &n, &e), 0);
    engine_free(g);
    engine_free(ref);
    model_free(cat);
    model_free(m);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_and_reimport),
        cmocka_unit_test(test_bad_file_changes_nothing),
        cmocka_unit_test(test_error_count_when_stopped),
        cmocka_unit_test(test_unit_dates_kept),
        cmocka_unit_test(test_dry_run_writes_nothing),
        cmocka_unit_test(test_nfc_and_headers),
        cmocka_unit_test(test_bad_shapes),
        cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_cycles_and_references),
        cmocka_unit_test(test_office_codes),
        cmocka_unit_test(test_load_part),
        cmocka_unit_test(test_import_without_cells),
        cmocka_unit_test(test_engine_from_store),
        cmocka_unit_test_setup_teardown(test_first_load, setup, teardown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
