/* test_conf.c - tests of the configuration file parser (src/conf.c) and its merge under serve's
 * flags (src/serve_conf.c).
 *
 * Most cases are data: tests/data/conf_cases.txt gives a file's text with C-style escapes and the
 * entries it must give (or the message it must be refused with), parsed against serve's keys.
 * The C tests cover the rest: a long value, the entry cap, reading a file, a missing file with and
 * without missing_ok, and serve_conf_apply leaving flags given on the command line alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "conf.h"
#include "serve_conf.h"
#include "test_data.h"

/* Decodes the escapes of an input column (\n \r \t \0 \\ \xHH) into out. */
static void unescape(const char *s, buf *out)
{
    buf_reset(out);
    while (*s) {
        char c = *s++;
        if (c == '\\' && *s) {
            char k = *s++;
            c = k == 'n' ? '\n' : k == 'r' ? '\r' : k == 't' ? '\t' : k == '0' ? '\0' : k;
            if (k == 'x') {
                char hex[3] = { s[0], s[0] ? s[1] : 0, 0 };
                c = (char)strtol(hex, NULL, 16);
                s += 2;
            }
        }
        assert_int_equal(buf_add(out, &c, 1), 0);
    }
}

/* Parses text against serve's keys and renders the entries (or !message) into out. */
static void render(const char *text, size_t n, buf *out)
{
    conf_entry conf[SERVE_CONF_MAX];
    int nconf = -1;
    err_t e;
    buf_reset(out);
    if (conf_parse("t.conf", text, n, serve_conf_keys, conf, SERVE_CONF_MAX, &nconf, &e) != 0) {
        buf_printf(out, "!%s", e.msg);
        return;
    }
    for (int i = 0; i < nconf; i++)
        buf_printf(out, "%s%s=%s@%d", i ? ";" : "", serve_conf_keys[conf[i].key].name, conf[i].value, conf[i].line);
}

static void test_table(void **state)
{
    (void)state;
    FILE *f = td_open("conf_cases.txt");
    assert_non_null(f);
    td_line l = { .lineno = 0 };
    buf in = BUF_INIT, got = BUF_INIT;
    int cases = 0;
    while (td_next(f, &l)) {
        assert_true(l.n >= 2);
        lang_set(strcmp(l.f[0], "en") == 0 ? LANG_EN : LANG_VI);
        unescape(l.f[1], &in);
        render(in.p ? in.p : "", in.len, &got);
        const char *want = l.n > 2 ? l.f[2] : "";
        if (strcmp(buf_str(&got), want) != 0) {
            fprintf(stderr, "conf_cases.txt:%d: input %s\n  want %s\n  got  %s\n", l.lineno, l.f[1], want, buf_str(&got));
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

/* A value of 1023 bytes is kept whole; one of 1024 is refused by name. */
static void test_value_length(void **state)
{
    (void)state;
    buf text = BUF_INIT, got = BUF_INIT;
    buf_adds(&text, "db = ");
    for (int i = 0; i < CONF_VALUE_MAX - 1; i++)
        buf_addc(&text, 'a');
    render(buf_str(&text), text.len, &got);
    assert_int_equal(got.len, strlen("db=") + CONF_VALUE_MAX - 1 + strlen("@1"));
    buf_addc(&text, 'a');
    lang_set(LANG_EN);
    render(buf_str(&text), text.len, &got);
    assert_string_equal(buf_str(&got), "!t.conf:1: the value of 'db' is longer than 1023 bytes");
    lang_set(LANG_VI);
    buf_free(&text);
    buf_free(&got);
}

/* The caller's cap on entries holds. */
static void test_entry_cap(void **state)
{
    (void)state;
    conf_entry conf[2];
    int n;
    err_t e;
    const char *text = "db = a\nlisten = :1\nthreads = 2\n";
    assert_int_equal(conf_parse("t.conf", text, strlen(text), serve_conf_keys, conf, 2, &n, &e), -1);
    assert_non_null(strstr(e.msg, "t.conf:3:"));
    assert_int_equal(conf_parse("t.conf", text, 18, serve_conf_keys, conf, 2, &n, &e), 0);
    assert_int_equal(n, 2);
}

/* A file on disk, a missing file, and flags winning over the file. */
static void test_load_and_apply(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/chitieu-conf-%ld.conf", (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# test\ndb = /srv/a.db\nlisten = 0.0.0.0:9000\nthreads = 3\nhttps = on\nquiet = off\n", f);
    fclose(f);
    const char *listen = NULL, *db = NULL, *threads = "7", *rate = NULL;
    int https = 0, quiet = 0;
    cli_opt opts[] = {
        { "--listen", NULL, &listen, NULL }, { "--db", NULL, &db, NULL }, { "--threads", NULL, &threads, NULL },
        { "--https", NULL, NULL, &https }, { "--quiet", "-q", NULL, &quiet }, { "--api-rate", NULL, &rate, NULL },
        { "--api-burst", NULL, &rate, NULL }, { "--metrics-token", NULL, &rate, NULL }, { NULL, NULL, NULL, NULL },
    };
    conf_entry conf[SERVE_CONF_MAX];
    char used[256];
    err_t e;
    unsetenv("CHITIEU_DB");
    assert_int_equal(serve_conf_apply(path, opts, conf, used, sizeof used, &e), 0);
    assert_string_equal(used, path);
    assert_string_equal(db, "/srv/a.db");
    assert_string_equal(listen, "0.0.0.0:9000");
    assert_string_equal(threads, "7");           /* given on the command line: kept */
    assert_int_equal(https, 1);
    assert_int_equal(quiet, 0);
    assert_null(rate);
    /* CHITIEU_DB wins over the file's db */
    db = NULL;
    setenv("CHITIEU_DB", "/env.db", 1);
    assert_int_equal(serve_conf_apply(path, opts, conf, used, sizeof used, &e), 0);
    assert_null(db);
    unsetenv("CHITIEU_DB");
    remove(path);
    /* an explicit path must exist; the default may be absent */
    assert_int_equal(serve_conf_apply(path, opts, conf, used, sizeof used, &e), -1);
    assert_non_null(strstr(e.msg, path));
    setenv("CHITIEU_CONFIG", path, 1);
    assert_int_equal(serve_conf_apply(NULL, opts, conf, used, sizeof used, &e), -1);
    unsetenv("CHITIEU_CONFIG");
    int n = 5;
    assert_int_equal(conf_load(path, 1, serve_conf_keys, conf, SERVE_CONF_MAX, &n, &e), 0);
    assert_int_equal(n, 0);
}

int main(void)
{
    lang_set(LANG_VI);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_value_length),
        cmocka_unit_test(test_entry_cap),
        cmocka_unit_test(test_load_and_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
