/* test_csv.c - tests of the RFC 4180 reader (src/csv.c).
 *
 * Most cases are data: tests/data/csv_cases.txt (via $CHITIEU_TEST_DATA) gives an input with
 * C-style escapes, the expected separator and the expected records rendered as text, error
 * message included; render() below parses the input and produces that text.  The C tests
 * cover what does not fit on a line: the field count and field size caps, byte-exact lengths,
 * a failed reader staying failed, csv_write_field read back, and a large generated input
 * checked by record count and a checksum of every field (a sanity check, not a timing).
 * Memory: every rendered string is a buf owned by the test that made it.
 */
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
#include "import_text.h"
#include "test_data.h"

/* Decodes the escapes of an input column (\n \r \t \0 \\ \xHH) into out. */
static void unescape(const char *s, buf *out)
{
    buf_reset(out);
    while (*s) {
        char c = *s++;
        if (c != '\\' || *s == '\0') {
            assert_int_equal(buf_addc(out, c), 0);
            continue;
        }
        char k = *s++;
        switch (k) {
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case '0': c = '\0'; break;
        case 'x': {
            char hex[3] = { s[0], s[0] ? s[1] : '\0', '\0' };
            char *endp;
            c = (char)strtoul(hex, &endp, 16);
            assert_true(endp == hex + 2);
            s += 2;
            break;
        }
        default: c = k; break;
        }
        assert_int_equal(buf_addc(out, c), 0);
    }
}

/* Appends one field's bytes with \ | [ and control bytes escaped. */
static void render_field(buf *b, const char *f, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)f[i];
        if (c == '\\' || c == '|' || c == '[')
            buf_printf(b, "\\%c", c);
        else if (c == '\n')
            buf_adds(b, "\\n");
        else if (c == '\r')
            buf_adds(b, "\\r");
        else if (c == '\t')
            buf_adds(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            buf_printf(b, "\\x%02x", c);
        else
            buf_addc(b, (char)c);
    }
}

/* Parses s[0..len) and renders its records as "[row,line]f1|f2..." then "!message" on error;
 * checks on the way that each field is NUL-terminated at its length.  *sep gets the separator. */
static void render(const char *s, size_t len, buf *b, char *sep)
{
    csv_reader *r = csv_open(s, len);
    assert_non_null(r);
    csv_record rec;
    err_t e;
    int rc;
    buf_reset(b);
    while ((rc = csv_next(r, &rec, &e)) == 1) {
        assert_true(rec.nfields >= 1);
        buf_printf(b, "[%ld,%ld]", rec.row, rec.line);
        for (size_t i = 0; i < rec.nfields; i++) {
            assert_int_equal(rec.field[i][rec.len[i]], '\0');
            assert_int_equal(strlen(rec.field[i]), rec.len[i]);
            if (i)
                buf_addc(b, '|');
            render_field(b, rec.field[i], rec.len[i]);
        }
    }
    if (rc < 0) {
        buf_printf(b, "!%s", e.msg);
        /* a failed reader stays failed, with the same message */
        err_t e2;
        assert_int_equal(csv_next(r, &rec, &e2), -1);
        assert_string_equal(e2.msg, e.msg);
    } else {
        assert_int_equal(rc, 0);
        assert_int_equal(csv_next(r, &rec, &e), 0); /* and end of input stays the end */
    }
    *sep = csv_separator(r);
    csv_close(r);
}

static void test_table(void **state)
{
    (void)state;
    FILE *f = td_open("csv_cases.txt");
    assert_non_null(f);
    td_line l = { .lineno = 0 };
    buf in = BUF_INIT, got = BUF_INIT;
    int cases = 0;
    while (td_next(f, &l)) {
        assert_true(l.n >= 3);
        lang_set(strcmp(l.f[0], "en") == 0 ? LANG_EN : LANG_VI);
        unescape(l.f[1], &in);
        char sep = 0;
        render(in.p ? in.p : "", in.len, &got, &sep);
        if (strcmp(buf_str(&got), l.f[3]) != 0 || sep != l.f[2][0]) {
            fprintf(stderr, "csv_cases.txt:%d: input %s\n  want sep %s: %s\n  got  sep %c: %s\n", l.lineno, l.f[1],
                    l.f[2], l.f[3], sep, buf_str(&got));
            fail();
        }
        cases++;
    }
    fclose(f);
    assert_true(cases >= 40);
    buf_free(&in);
    buf_free(&got);
    lang_set(LANG_VI);
}

/* Only a BOM at the very start is dropped; one later on is field data. */
static void test_bom_only_at_start(void **state)
{
    (void)state;
    static const char in[] = "\xEF\xBB\xBF" "a\n\xEF\xBB\xBF" "b\n";
    buf b = BUF_INIT;
    char sep;
    render(in, sizeof in - 1, &b, &sep);
    assert_string_equal(buf_str(&b), "[1,1]a[2,2]\xEF\xBB\xBF" "b");
    buf_free(&b);
}

/* UTF-8 text comes back byte for byte, NFD stays NFD, lengths are in bytes. */
static void test_vietnamese_bytes(void **state)
{
    (void)state;
    static const char nfc[] = "Ủy ban nhân dân phường Dịch Vọng Hậu";
    static const char nfd[] = "U\xCC\x89y ban"; /* U + combining hook above */
    buf in = BUF_INIT;
    buf_printf(&in, "tên;giá trị\n\"%s\";%s\n", nfc, nfd);
    csv_reader *r = csv_open(in.p, in.len);
    csv_record rec;
    err_t e;
    assert_int_equal(csv_next(r, &rec, &e), 1);
    assert_int_equal(csv_separator(r), ';');
    assert_int_equal(rec.len[0], strlen("tên"));
    assert_int_equal(csv_next(r, &rec, &e), 1);
    assert_int_equal(rec.nfields, 2);
    assert_int_equal(rec.len[0], sizeof nfc - 1);
    assert_memory_equal(rec.field[0], nfc, sizeof nfc);
    assert_int_equal(rec.len[1], sizeof nfd - 1);
    assert_memory_equal(rec.field[1], nfd, sizeof nfd);
    assert_int_equal(csv_next(r, &rec, &e), 0);
    csv_close(r);
    buf_free(&in);
}

/* A header, then one record of n fields "f0,f1,..." ; returns csv_next's result for it. */
static int record_of_fields(int n, csv_record *rec, csv_reader **rp, buf *in, err_t *e)
{
    buf_reset(in);
    buf_adds(in, "h\n");
    for (int i = 0; i < n; i++)
        buf_printf(in, "%sf%d", i ? "," : "", i);
    buf_addc(in, '\n');
    *rp = csv_open(in->p, in->len);
    assert_int_equal(csv_next(*rp, rec, e), 1);
    return csv_next(*rp, rec, e);
}

static void test_field_count_cap(void **state)
{
    (void)state;
    buf in = BUF_INIT;
    csv_reader *r;
    csv_record rec;
    err_t e;
    assert_int_equal(record_of_fields(4096, &rec, &r, &in, &e), 1);
    assert_int_equal(rec.nfields, 4096);
    assert_string_equal(rec.field[0], "f0");
    assert_string_equal(rec.field[4095], "f4095");
    assert_int_equal(rec.row, 2);
    csv_close(r);

    lang_set(LANG_EN);
    assert_int_equal(record_of_fields(4097, &rec, &r, &in, &e), -1);
    assert_string_equal(e.msg, "row 2 (line 2), column 4097: more than 4096 columns");
    csv_close(r);
    lang_set(LANG_VI);
    assert_int_equal(record_of_fields(5000, &rec, &r, &in, &e), -1);
    assert_string_equal(e.msg, "dòng 2 (dòng vật lý 2), cột 4097: quá 4096 cột");
    csv_close(r);
    buf_free(&in);
}

/* One field of n bytes 'x' (quoted when q, with a doubled quote every 1000 bytes), as field 2. */
static int big_field(size_t n, int q, csv_record *rec, err_t *e, buf *in)
{
    buf_reset(in);
    buf_adds(in, "a,b\n1,");
    if (q)
        buf_addc(in, '"');
    for (size_t i = 0; i < n; i++) {
        if (q && i % 1000 == 999)
            buf_adds(in, "\"\"");
        else
            buf_addc(in, 'x');
    }
    if (q)
        buf_addc(in, '"');
    buf_adds(in, "\n2,y\n");
    csv_reader *r = csv_open(in->p, in->len);
    assert_int_equal(csv_next(r, rec, e), 1);
    int rc = csv_next(r, rec, e);
    if (rc == 1) {
        assert_int_equal(rec->nfields, 2);
        assert_int_equal(rec->len[1], n);
        assert_int_equal(rec->field[1][n], '\0');
        assert_int_equal(rec->field[1][n - 1], q && n % 1000 == 0 ? '"' : 'x');
        assert_int_equal(csv_next(r, rec, e), 1);
        assert_string_equal(rec->field[1], "y");
    }
    csv_close(r);
    return rc;
}

static void test_field_size_cap(void **state)
{
    (void)state;
    const size_t mib = (size_t)1 << 20;
    buf in = BUF_INIT;
    csv_record rec;
    err_t e;
    lang_set(LANG_EN);
    for (int q = 0; q <= 1; q++) {
        assert_int_equal(big_field(mib, q, &rec, &e, &in), 1);
        assert_int_equal(big_field(mib + 1, q, &rec, &e, &in), -1);
        assert_string_equal(e.msg, "row 2 (line 2), column 2: field longer than 1 MiB");
    }
    lang_set(LANG_VI);
    assert_int_equal(big_field(3 * mib, 0, &rec, &e, &in), -1);
    assert_string_equal(e.msg, "dòng 2 (dòng vật lý 2), cột 2: ô dài quá 1 MiB");
    buf_free(&in);
}

/* The separator is ',' before anything is read and stays what the header chose. */
static void test_separator_fixed_by_header(void **state)
{
    (void)state;
    static const char in[] = "a;b\n1,2,3\n";
    csv_reader *r = csv_open(in, sizeof in - 1);
    csv_record rec;
    err_t e;
    assert_int_equal(csv_separator(r), ',');
    assert_int_equal(csv_next(r, &rec, &e), 1);
    assert_int_equal(csv_separator(r), ';');
    assert_int_equal(csv_next(r, &rec, &e), 1);
    assert_int_equal(rec.nfields, 1);
    assert_string_equal(rec.field[0], "1,2,3");
    csv_close(r);
    r = csv_open(NULL, 0);
    assert_non_null(r);
    assert_int_equal(csv_next(r, &rec, &e), 0);
    csv_close(r);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 1099511628211u;
    return h;
}

/* 200,000 generated rows (quoted fields, doubled quotes, CRLF, Vietnamese text): the count,
 * the last row and line numbers and a hash of every field's bytes must all match. */
static void test_many_rows(void **state)
{
    (void)state;
    enum { ROWS = 200000 };
    buf in = BUF_INIT, f = BUF_INIT;
    uint64_t want = 14695981039346656037u, got = want;
    const char *hdr[] = { "indicator", "unit", "period", "value", "note" };
    for (int i = 0; i < 5; i++) {
        buf_printf(&in, "%s%s", i ? "," : "", hdr[i]);
        want = fnv(want, hdr[i], strlen(hdr[i]) + 1);
    }
    buf_adds(&in, "\r\n");
    for (int i = 0; i < ROWS; i++) {
        buf_reset(&f);
        buf_printf(&f, "i%03d", i % 100);
        buf_printf(&in, "%s,", f.p);
        want = fnv(want, f.p, f.len + 1);
        buf_reset(&f);
        buf_printf(&f, "Phường %05d, \"Cầu Giấy\"", i);
        buf_printf(&in, "\"Phường %05d, \"\"Cầu Giấy\"\"\",", i);
        want = fnv(want, f.p, f.len + 1);
        buf_reset(&f);
        buf_printf(&f, "2022-%02d", i % 12 + 1);
        buf_printf(&in, "%s,", f.p);
        want = fnv(want, f.p, f.len + 1);
        buf_reset(&f);
        buf_printf(&f, "%d.%d", i * 7 % 10000, i % 10);
        buf_printf(&in, "%s,", f.p);
        want = fnv(want, f.p, f.len + 1);
        buf_reset(&f);
        buf_printf(&f, "%s", i % 3 ? "" : "ghi chú");
        buf_printf(&in, "%s\r\n", f.p);
        want = fnv(want, f.p, f.len + 1);
    }
    csv_reader *r = csv_open(in.p, in.len);
    csv_record rec;
    err_t e;
    long n = 0;
    int rc;
    while ((rc = csv_next(r, &rec, &e)) == 1) {
        assert_int_equal(rec.nfields, 5);
        for (size_t i = 0; i < rec.nfields; i++)
            got = fnv(got, rec.field[i], rec.len[i] + 1);
        n++;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(n, ROWS + 1);
    assert_int_equal(rec.row, ROWS + 1);
    assert_int_equal(rec.line, ROWS + 1);
    assert_true(got == want);
    csv_close(r);
    buf_free(&in);
    buf_free(&f);
}

/* csv_write_field quotes only when needed, and what it writes reads back unchanged. */
static void test_write_field_round_trip(void **state)
{
    (void)state;
    static const char *fields[] = { "plain", "Cầu Giấy", "14,16", "a;b", "say \"hi\"", "x\r\ny", "", "\"" };
    enum { N = sizeof fields / sizeof fields[0] };
    buf b = BUF_INIT;
    for (int i = 0; i < N; i++) {
        if (i)
            buf_addc(&b, ',');
        assert_int_equal(csv_write_field(&b, fields[i]), 0);
    }
    assert_string_equal(buf_str(&b), "plain,Cầu Giấy,\"14,16\",\"a;b\",\"say \"\"hi\"\"\",\"x\r\ny\",,\"\"\"\"");
    buf_addc(&b, '\n');
    csv_reader *r = csv_open(b.p, b.len);
    csv_record rec;
    err_t e;
    assert_int_equal(csv_next(r, &rec, &e), 1);
    assert_int_equal(rec.nfields, N);
    for (int i = 0; i < N; i++)
        assert_string_equal(rec.field[i], fields[i]);
    assert_int_equal(csv_next(r, &rec, &e), 0);
    csv_close(r);
    buf_free(&b);
}

/* import_text_locate (where a bad byte is, for import's error) numbers rows and columns as this
 * reader does: checked against csv_next on the record and field holding a '#' marker. */
static void test_locate_matches_reader(void **state)
{
    (void)state;
    static const struct { const char *in; long row, col, line; } cases[] = {
        { "a,b\n1,#\n", 2, 2, 2 },
        { "a,b\n\n\n1,#\n", 4, 2, 4 },
        { "a;b;c\n\"x;y\";z;#\n", 2, 3, 2 },
        { "a,b\n\"multi\nline\",\"q\"\"#\"\n", 2, 2, 3 },
        { "a,b\r\n1,2\r\n3,#\r\n", 3, 2, 3 },
        { "\xEF\xBB\xBF" "a,b\n#,1\n", 2, 1, 2 },
        { "a,b\nx\"y,#\n", 2, 2, 2 },
        { "a,b\r1,#", 2, 2, 2 },
        { "#,b\n", 1, 1, 1 },
        { "a,b,c\n,,x#y\n", 2, 3, 2 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *in = cases[i].in;
        size_t len = strlen(in), off = (size_t)(strchr(in, '#') - in);
        long row, col, line;
        import_text_locate(in, len, off, &row, &col, &line);
        if (row != cases[i].row || col != cases[i].col || line != cases[i].line)
            fail_msg("case %zu: got row %ld col %ld line %ld", i, row, col, line);
        /* the reader agrees: the record at that row has the marker in that column */
        csv_reader *r = csv_open(in, len);
        csv_record rec;
        err_t e;
        int found = 0;
        while (!found && csv_next(r, &rec, &e) == 1)
            for (size_t k = 0; k < rec.nfields; k++)
                if (strchr(rec.field[k], '#')) {
                    assert_int_equal(rec.row, row);
                    assert_int_equal((long)k + 1, col);
                    found = 1;
                }
        assert_true(found);
        csv_close(r);
    }
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_bom_only_at_start),
        cmocka_unit_test(test_vietnamese_bytes),
        cmocka_unit_test(test_field_count_cap),
        cmocka_unit_test(test_field_size_cap),
        cmocka_unit_test(test_separator_fixed_by_header),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_write_field_round_trip),
        cmocka_unit_test(test_locate_matches_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
