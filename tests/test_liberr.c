/* test_liberr.c - the libraries' error messages in Vietnamese: a malformed JSON body, a broken
 * xlsx (zip and XML), a busy database, a missing file each say what is wrong without the
 * library's English; in English the library's own text is kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <expat.h>
#include <sqlite3.h>

#include "api.h"
#include "err.h"
#include "liberr.h"
#include "xlsx_read.h"

/* 1 if s has a run of four or more ASCII letters that is an English word a library would use. */
static int has_english(const char *s)
{
    static const char *const words[] = { "expected", "near", "end of", "invalid", "error", "unexpected",
                                         "file", "database", "locked", "mismatched", "token", "such",
                                         "Not a zip", "Inconsistent", "premature", "duplicate" };
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(s, words[i]))
            return 1;
    return 0;
}

static void test_json(void **state)
{
    (void)state;
    static const struct { const char *text, *vi; } cases[] = {
        { "{\"values\": [", "giữa chừng" },
        { "{\"values\" 1}", "cú pháp" },
        { "{\"a\":1,\"a\":2}", "hai lần" },
        { "{} x", "thừa" },
        { "\"\\u0000\"", "NUL" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_error_t je;
        json_t *j = json_loads(cases[i].text, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
        assert_null(j);
        lang_set(LANG_VI);
        assert_non_null(strstr(liberr_json(&je), cases[i].vi));
        assert_false(has_english(liberr_json(&je)));
        lang_set(LANG_EN);
        assert_string_equal(liberr_json(&je), je.text);
    }
    /* the API's message for a malformed body */
    lang_set(LANG_VI);
    api_value_row *rows;
    int n;
    err_t e;
    const char body[] = "{\"values\": [{\"indicator\": \"kn\",";
    assert_int_not_equal(api_parse_values(body, sizeof body - 1, &rows, &n, &e), 0);
    assert_non_null(strstr(e.msg, "JSON không hợp lệ (dòng 1, cột"));
    assert_false(has_english(e.msg));
}

static void test_xlsx(void **state)
{
    (void)state;
    xlsx_sheet *sh = NULL;
    int n = 0;
    err_t e;
    lang_set(LANG_VI);
    static const char broken[] = "PK\003\004 this is no zip at all, only its first bytes";
    assert_int_not_equal(xlsx_read(broken, sizeof broken - 1, &sh, &n, &e), 0);
    assert_non_null(strstr(e.msg, "zip"));
    assert_false(has_english(e.msg));
    assert_non_null(strstr(liberr_xml(XML_ERROR_TAG_MISMATCH), "không khớp"));
    assert_non_null(strstr(liberr_xml(XML_ERROR_UNCLOSED_TOKEN), "chưa đóng"));
    lang_set(LANG_EN);
    assert_string_equal(liberr_xml(XML_ERROR_TAG_MISMATCH), XML_ErrorString(XML_ERROR_TAG_MISMATCH));
    zip_error_t ze;
    zip_error_init_with_code(&ze, ZIP_ER_NOZIP);
    assert_string_equal(liberr_zip(&ze), "Not a zip archive");
    lang_set(LANG_VI);
    assert_string_equal(liberr_zip(&ze), "không phải tệp zip");
    zip_error_fini(&ze);
}

static void test_sqlite_errno(void **state)
{
    (void)state;
    lang_set(LANG_VI);
    assert_non_null(strstr(liberr_sqlite(SQLITE_BUSY, "database is locked"), "đang bận"));
    assert_non_null(strstr(liberr_sqlite(SQLITE_IOERR_WRITE, NULL), "đọc/ghi"));
    assert_non_null(strstr(liberr_sqlite(SQLITE_NOTADB, NULL), "không phải cơ sở dữ liệu"));
    assert_false(has_english(liberr_sqlite(12345, NULL)));
    assert_non_null(strstr(liberr_errno(ENOENT), "không có tệp"));
    assert_false(has_english(liberr_errno(EIO)));
    lang_set(LANG_EN);
    assert_string_equal(liberr_sqlite(SQLITE_BUSY, "database is locked"), "database is locked");
    assert_string_equal(liberr_sqlite(SQLITE_BUSY, NULL), sqlite3_errstr(SQLITE_BUSY));
    assert_string_equal(liberr_errno(ENOENT), strerror(ENOENT));
    lang_set(LANG_VI);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_sqlite_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
