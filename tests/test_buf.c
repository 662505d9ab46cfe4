/* test_buf.c - the capped growable buffer (src/buf.h): formatted appends printed straight into
 * the room left, grown for when longer, and refused whole (contents unchanged) over the cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "buf.h"

static void test_printf_paths(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(buf_printf(&b, "%d-%s", 12, "ab"), 0);      /* empty: measured, grown */
    assert_string_equal(buf_str(&b), "12-ab");
    assert_int_equal(buf_reserve(&b, 100), 0);
    size_t cap = b.cap;
    assert_int_equal(buf_printf(&b, "|%05d", 42), 0);             /* fits in the room */
    assert_string_equal(buf_str(&b), "12-ab|00042");
    assert_int_equal(b.cap, cap);
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(buf_printf(&b, "<%s>", big), 0);             /* longer than the room */
    assert_int_equal(b.len, 11 + 301);
    assert_memory_equal(b.p, "12-ab|00042<xxx", 15);
    assert_string_equal(b.p + b.len - 2, "x>");
    buf_free(&b);
}

static void test_printf_cap(void **state)
{
    (void)state;
    buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_adds(&b, "abc"), 0);
    assert_int_equal(buf_reserve(&b, 5), 0);          /* room for 7 more, more allocated */
    assert_true(b.cap > 10);
    assert_int_equal(buf_printf(&b, "%s", "12345678"), -1);  /* fits the room, not the cap */
    assert_string_equal(buf_str(&b), "abc");
    assert_int_equal(b.len, 3);
    assert_int_equal(buf_printf(&b, "%s", "1234567890123456789012345678901234567890"), -1);
    assert_string_equal(buf_str(&b), "abc");
    assert_int_equal(buf_printf(&b, "%s", "1234567"), 0);    /* exactly up to the cap */
    assert_string_equal(buf_str(&b), "abc1234567");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printf_paths),
        cmocka_unit_test(test_printf_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
