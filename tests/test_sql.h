/* test_sql.h - the tests' statements on a SQLite test database from outside chitieu (header-only,
 * static inline): one statement run and committed, and a writer's lock held while a test checks
 * what the product does meanwhile.  Include after cmocka.h. */
#ifndef CHITIEU_TESTS_TEST_SQL_H
#define CHITIEU_TESTS_TEST_SQL_H

#include <sqlite3.h>

/* Runs sql on the database at path in its own connection (waits up to 5 s for a lock). */
static inline void ts_exec(const char *path, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* Begins a write transaction on path (the writer's lock taken) and runs sql in it; the
 * connection is the caller's to pass to ts_release. */
static inline sqlite3 *ts_hold(const char *path, const char *sql)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    return h;
}

/* Commits what ts_hold began and closes its connection. */
static inline void ts_release(sqlite3 *h)
{
    assert_int_equal(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

#endif
