/* test_files.h - the tests' small file operations (header-only, static inline): a file's size,
 * one byte flipped in place, a file copied.  For the suites that damage or move files whose
 * checks they test (test_web_image, test_cli: the engine image).  Include after cmocka.h. */
#ifndef CHITIEU_TESTS_TEST_FILES_H
#define CHITIEU_TESTS_TEST_FILES_H

#include <stdio.h>
#include <sys/stat.h>

/* The size of path in bytes, or -1 when it does not exist. */
static inline long tf_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* Flips one bit of the byte at offset `at` of path, in place (the test fails if it cannot). */
static inline void tf_flip_byte(const char *path, long at)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    int c = fgetc(f);
    assert_int_equal(fseek(f, at, SEEK_SET), 0);
    fputc(c ^ 0x20, f);
    fclose(f);
}

/* Copies the file from over to (created or truncated; the test fails if it cannot). */
static inline void tf_copy_file(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    char chunk[4096];
    size_t n;
    assert_non_null(a);
    assert_non_null(b);
    while ((n = fread(chunk, 1, sizeof chunk, a)) > 0)
        assert_int_equal(fwrite(chunk, 1, n, b), n);
    fclose(a);
    fclose(b);
}

#endif
