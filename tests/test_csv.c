/* test_csv.c - the RFC 4180 reader: quoting, separators, line ends, BOM, row vs line
 * numbers, errors, limits, and a large generated input checked by count and checksum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "csv.h"

/* Parses all of s and renders records as "row/line:f1|f2\n" (or "ERR: message"). */
static char *render(const char *s, size_t len)
{
    csv_reader *r = csv_open(s, len);
    csv_record rec;
    err_t e;
    buf b = BUF_INIT;
    int rc;
    while ((rc = csv_next(r, &rec, &e)) == 1) {
        buf_printf(&b, "%ld/%ld:", rec.row, rec.line);
        for (size_t i = 0; i < rec.nfields; i++)
            buf_printf(&b, "%s%s", i ? "|" : "", rec.field[i]);
        buf_addc(&b, '\n');
    }
    if (rc < 0)
        buf_printf(&b, "ERR: %s", e.msg);
    buf_printf(&b, "sep=%c", csv_separator(r));
    csv_close(r);
    return buf_steal(&b);
}

#define CHECK(input, want)                                  \
    do {                                                    \
        char *got_ = render(input, sizeof(input) - 1);      \
        assert_string_equal(got_, want);                    \
        free(got_);                                         \
    } while (0)

static void test_basics(void **state)
{
    (void)state;
    CHECK("a,b,c\n1,2,3\n", "1/1:a|b|c\n2/2:1|2|3\nsep=,");
    CHECK("a,b\n1,2", "1/1:a|b\n2/2:1|2\nsep=,");                 /* no final newline */
    CHECK("a,b\r\n1,2\r\n", "1/1:a|b\n2/2:1|2\nsep=,");           /* CRLF */
    CHECK("a,b\r1,2\r", "1/1:a|b\n2/2:1|2\nsep=,");               /* lone CR */
    CHECK("a,b,\n1,,\n", "1/1:a|b|\n2/2:1||\nsep=,");             /* empty fields */
    CHECK("", "sep=,");
    CHECK("\xEF\xBB\xBF" "code,name\nx,y\n", "1/1:code|name\n2/2:x|y\nsep=,");
    CHECK("a,b\n\n\n1,2\n", "1/1:a|b\n4/4:1|2\nsep=,");           /* blank lines keep row numbers */
}

static void test_quotes(void **state)
{
    (void)state;
    CHECK("a,b\n\"x,y\",\"say \"\"hi\"\"\"\n", "1/1:a|b\n2/2:x,y|say \"hi\"\nsep=,");
    CHECK("a,b\n\"line1\nline2\",z\n3,4\n", "1/1:a|b\n2/2:line1\nline2|z\n3/4:3|4\nsep=,");
    CHECK("a\n\"\"\n", "1/1:a\n2/2:\nsep=,");
    CHECK("a,b\n\"x\"y,z\n", "1/1:a|b\nERR: dòng 2 (dòng vật lý 2), cột 1: ký tự thừa sau dấu ngoặc kép đóngsep=,");
    CHECK("a,b\n1,\"open\n\n", "1/1:a|b\nERR: dòng 2 (dòng vật lý 2), cột 2: dấu ngoặc kép không đóngsep=,");
}

static void test_semicolon(void **state)
{
    (void)state;
    CHECK("indicator;unit;value\nthu;cg;14,16\n", "1/1:indicator|unit|value\n2/2:thu|cg|14,16\nsep=;");
    CHECK("a;b,c\n1;2,3\n", "1/1:a;b|c\n2/2:1;2|3\nsep=,");       /* a tie goes to ',' */
    CHECK("a;b;c,d\n", "1/1:a|b|c,d\nsep=;");
    CHECK("\"x;y\",z\n", "1/1:x;y|z\nsep=,");                     /* quoted ';' does not count */
}

static void test_bytes(void **state)
{
    (void)state;
    static const char nul[] = "a,b\n1,x\0y\n";
    char *got = render(nul, sizeof nul - 1);
    assert_non_null(strstr(got, "NUL"));
    free(got);
    CHECK("tên,giá trị\nCầu Giấy,\"Đống Đa\"\n", "1/1:tên|giá trị\n2/2:Cầu Giấy|Đống Đa\nsep=,");
}

static void test_limits(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_adds(&b, "x,");
    buf_adds(&b, "x\n");
    char *got = render(buf_str(&b), b.len);
    assert_non_null(strstr(got, "4096"));
    free(got);
    buf_free(&b);
}

static void test_large(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_adds(&b, "indicator,unit,period,value\n");
    unsigned long want = 0;
    for (int i = 0; i < 200000; i++) {
        buf_printf(&b, "i%03d,\"u%05d\",2022-%02d,%d.5\n", i % 100, i, i % 12 + 1, i);
        want += (unsigned long)i;
    }
    csv_reader *r = csv_open(buf_str(&b), b.len);
    csv_record rec;
    err_t e;
    long n = 0;
    unsigned long sum = 0;
    assert_int_equal(csv_next(r, &rec, &e), 1);
    while (csv_next(r, &rec, &e) == 1) {
        assert_int_equal(rec.nfields, 4);
        sum += strtoul(rec.field[3], NULL, 10);
        n++;
    }
    assert_int_equal(n, 200000);
    assert_true(sum == want);
    assert_int_equal(rec.row, 200001);
    csv_close(r);
    buf_free(&b);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basics), cmocka_unit_test(test_quotes), cmocka_unit_test(test_semicolon),
        cmocka_unit_test(test_bytes),  cmocka_unit_test(test_limits), cmocka_unit_test(test_large),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
