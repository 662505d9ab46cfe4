/* test_store.c - the SQLite store under faults and with unusual ids.
 *
 * A failing VFS shim wraps the default one: after N calls of xRead/xWrite/xSync it fails them
 * (once, or from then on).  Each operation (store_load, store_load_part, an import, the task
 * list, a figure's history, pages of the web app) is run once without faults to learn its
 * complete result and how many file calls it makes, then again with the fault placed at points
 * spread over those calls: every run must either return its complete result or an error, and an
 * import must leave the database as it was or wholly imported.  A failed bind (a text above the
 * connection's length limit) must be an error too.  Ids: units whose database ids are -5 and
 * 2^61 (legal rowids, set by hand) load, list, roll up and take writes.  A schema upgrade (the
 * fixture of version 1) under faults ends upgraded or untouched, never half done.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "auth.h"
#include "http.h"
#include "import.h"
#include "store.h"
#include "store_admin.h"
#include "store_multi.h"
#include "store_sqlite.h"
#include "store_task.h"
#include "store_web.h"
#include "web.h"

/* ---- the failing VFS ---- */

static sqlite3_vfs *real_vfs;
static atomic_int fault_left = -1;  /* calls before the fault; -1 = none armed */
static atomic_int fault_sticky;     /* 1: every call fails after the first fault */
static atomic_int fault_calls;      /* calls seen since arm() */
static atomic_int fault_hits;       /* faults injected since arm() */

typedef struct ffile {
    sqlite3_file base;
    sqlite3_file *real;              /* the default VFS's file, allocated right after this struct */
} ffile;

static void arm(int n, int sticky)
{
    atomic_store(&fault_calls, 0);
    atomic_store(&fault_hits, 0);
    atomic_store(&fault_sticky, sticky);
    atomic_store(&fault_left, n);
}

static void disarm(void)
{
    atomic_store(&fault_left, -1);
}

/* 1 if this call is to fail. */
static int fault(void)
{
    atomic_fetch_add(&fault_calls, 1);
    int left = atomic_load(&fault_left);
    if (left < 0)
        return 0;
    if (left > 0) {
        atomic_fetch_sub(&fault_left, 1);
        return 0;
    }
    atomic_fetch_add(&fault_hits, 1);
    if (!atomic_load(&fault_sticky))
        atomic_store(&fault_left, -1);
    return 1;
}

#define REAL(f) (((ffile *)(f))->real)
static int f_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return fault() ? SQLITE_IOERR_READ : REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}
static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    return fault() ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 n) { return REAL(f)->pMethods->xTruncate(REAL(f), n); }
static int f_sync(sqlite3_file *f, int flags)
{
    return fault() ? SQLITE_IOERR_FSYNC : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *n) { return REAL(f)->pMethods->xFileSize(REAL(f), n); }
static int f_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int f_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int f_reserved(sqlite3_file *f, int *r) { return REAL(f)->pMethods->xCheckReservedLock(REAL(f), r); }
static int f_control(sqlite3_file *f, int op, void *a) { return REAL(f)->pMethods->xFileControl(REAL(f), op, a); }
static int f_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int f_dev(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int f_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}
static int f_shm_lock(sqlite3_file *f, int off, int n, int flags) { return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags); }
static void f_shm_barrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int f_shm_unmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
/* No memory maps: every page is read through xRead, where the faults are. */
static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    (void)f, (void)off, (void)n;
    *pp = NULL;
    return SQLITE_OK;
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return p ? REAL(f)->pMethods->xUnfetch(REAL(f), off, p) : SQLITE_OK;
}

static const sqlite3_io_methods f_methods = {
    3, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock, f_reserved, f_control,
    f_sector, f_dev, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int f_open(sqlite3_vfs *v, sqlite3_filename name, sqlite3_file *file, int flags, int *out)
{
    (void)v;
    ffile *f = (ffile *)file;
    f->real = (sqlite3_file *)(f + 1);
    f->base.pMethods = NULL;
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out);
    if (f->real->pMethods)
        f->base.pMethods = &f_methods;
    return rc;
}

static int f_delete(sqlite3_vfs *v, const char *n, int sync) { (void)v; return real_vfs->xDelete(real_vfs, n, sync); }
static int f_access(sqlite3_vfs *v, const char *n, int fl, int *r) { (void)v; return real_vfs->xAccess(real_vfs, n, fl, r); }
static int f_full(sqlite3_vfs *v, const char *n, int sz, char *o) { (void)v; return real_vfs->xFullPathname(real_vfs, n, sz, o); }
static void *f_dlopen(sqlite3_vfs *v, const char *n) { (void)v; return real_vfs->xDlOpen(real_vfs, n); }
static void f_dlerror(sqlite3_vfs *v, int n, char *o) { (void)v; real_vfs->xDlError(real_vfs, n, o); }
static void (*f_dlsym(sqlite3_vfs *v, void *h, const char *s))(void) { (void)v; return real_vfs->xDlSym(real_vfs, h, s); }
static void f_dlclose(sqlite3_vfs *v, void *h) { (void)v; real_vfs->xDlClose(real_vfs, h); }
static int f_random(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xRandomness(real_vfs, n, o); }
static int f_sleep(sqlite3_vfs *v, int us) { (void)v; return real_vfs->xSleep(real_vfs, us); }
static int f_time(sqlite3_vfs *v, double *t) { (void)v; return real_vfs->xCurrentTime(real_vfs, t); }
static int f_lasterr(sqlite3_vfs *v, int n, char *o) { (void)v; return real_vfs->xGetLastError(real_vfs, n, o); }
static int f_time64(sqlite3_vfs *v, sqlite3_int64 *t) { (void)v; return real_vfs->xCurrentTimeInt64(real_vfs, t); }

static sqlite3_vfs fault_vfs;

static void install_fault_vfs(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(real_vfs);
    fault_vfs = (sqlite3_vfs){
        .iVersion = 2, .szOsFile = (int)sizeof(ffile) + real_vfs->szOsFile, .mxPathname = real_vfs->mxPathname,
        .zName = "chitieu-fault", .xOpen = f_open, .xDelete = f_delete, .xAccess = f_access,
        .xFullPathname = f_full, .xDlOpen = f_dlopen, .xDlError = f_dlerror, .xDlSym = f_dlsym,
        .xDlClose = f_dlclose, .xRandomness = f_random, .xSleep = f_sleep, .xCurrentTime = f_time,
        .xGetLastError = f_lasterr, .xCurrentTimeInt64 = f_time64,
    };
    assert_int_equal(sqlite3_vfs_register(&fault_vfs, 1), SQLITE_OK);
}

/* ---- data and digests ---- */

static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Phường Một,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,group,direction,decimals\n"
    "kn,Kết nạp đảng viên,Xây dựng Đảng,up,0\n"
    "tl,Tỷ lệ hộ nghèo,Xã hội,down,2\n";
static const char targets_csv[] =
    "indicator,unit,period,target\n"
    "kn,d1,2023,100\nkn,w1,2023,40\nkn,d2,2023,80\nkn,city,2023,200\n";
static const char values_csv[] =
    "indicator,unit,period,value\n"
    "kn,d1,2022,90\nkn,w1,2022,30\nkn,d2,2022,70\ntl,d1,2022,1.5\ntl,d2,2022,2.25\n";
/* What the import under faults writes: changes (history rows) and new figures. */
static const char values2_csv[] =
    "indicator,unit,period,value,comment\n"
    "kn,d1,2022,95,sửa lại\nkn,w1,2022,31,\nkn,d1,2023,97,\nkn,w1,2023,41,\nkn,d2,2023,77,\n"
    "tl,d1,2023,1.25,\ntl,d2,2023,2,\ntl,w1,2023,3,mới\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static char base_db[80], work_db[80];

/* Enough figures, tasks and changes to fill many pages, so faults land in the middle of reading
 * a table (where a failed step used to read as its end). */
enum { YEARS = 120, TASKS = 150, CHANGES = 60 };

static void bulk_rows(store *s, model *m)
{
    err_t e;
    char comment[160];
    int kn = model_ind_find(m, "kn"), tl = model_ind_find(m, "tl"), d1 = model_unit_find(m, "d1");
    assert_int_equal(store_begin(s, &e), 0);
    for (int y = 0; y < YEARS; y++)
        for (int u = 0; u < (int)m->nunits; u++) {
            period_t p = { P_YEAR, 0, (uint16_t)(1901 + y), (uint16_t)(1901 + y) };
            snprintf(comment, sizeof comment, "ghi chú năm %d của đơn vị %s, đủ dài để chiếm chỗ trong trang "
                     "cơ sở dữ liệu ..........", 1901 + y, m->units[u].code);
            assert_int_equal(store_put_value(s, m, tl, u, p, y + u * 0.25, comment, NULL, "bulk", "bulk", &e), 0);
            assert_int_equal(store_put_target(s, m, tl, u, p, y + 1, NULL, "bulk", "bulk", &e), 0);
        }
    period_t p22 = { P_YEAR, 0, 2022, 2022 };
    const cell_t *old = model_value(m, kn, d1, p22, &(cell_t){ 0 });
    assert_non_null(old);
    for (int k = 0; k < CHANGES; k++) {
        snprintf(comment, sizeof comment, "lần sửa %d, một ghi chú dài cho lịch sử ..................", k);
        assert_int_equal(store_put_value(s, m, kn, d1, p22, 1000 + k, comment, old, "bulk", "bulk", &e), 0);
    }
    assert_int_equal(store_commit(s, &e), 0);
    for (int k = 0; k < TASKS; k++) {
        char code[16], title[120];
        snprintf(code, sizeof code, "b%d", k);
        snprintf(title, sizeof title, "Nhiệm vụ số %d, với tên đủ dài để nhiều nhiệm vụ chiếm nhiều trang", k);
        task_t t = { .code = code, .title = title, .kind = TK_TASK, .programme = "p1", .lead_unit = "d2",
                     .deadline = 20300101 };
        assert_int_equal(store_task_put(s, &t, &e), 0);
        task_report r = { .date = 20240101 + k % 28, .pct = k % 100, .text = title, .who = "bulk" };
        t.progress = r.pct;
        assert_int_equal(store_task_report(s, &t, &r, &e), 0);
    }
}

static void remove_db(const char *path)
{
    char side[100];
    remove(path);
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
    snprintf(side, sizeof side, "%s-journal", path);
    remove(side);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char b[8192];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        assert_int_equal(fwrite(b, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void model_digest_lines(const model *m, buf *out);

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of b (so a digest does not depend on the order rows were read in). */
static void sort_lines(buf *b)
{
    char *text = buf_steal(b), **lines = NULL;
    size_t n = 0, cap = 0;
    for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            lines = realloc(lines, cap * sizeof *lines);
            assert_non_null(lines);
        }
        lines[n++] = p;
    }
    if (n)
        qsort(lines, n, sizeof *lines, cmp_line);
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s\n", lines[i]);
    free(lines);
    free(text);
}

/* Every unit, indicator, term and cell of m, as sorted lines of text. */
static void model_digest(const model *m, buf *out)
{
    buf d = BUF_INIT;
    model_digest_lines(m, &d);
    sort_lines(&d);
    buf_add(out, d.p, d.len);
    buf_free(&d);
}

static void model_digest_lines(const model *m, buf *out)
{
    char per[PERIOD_CODE_MAX];
    for (size_t i = 0; i < m->nunits; i++)
        buf_printf(out, "u %s %s %s\n", m->units[i].code, m->units[i].name, m->units[i].parent_code);
    for (size_t i = 0; i < m->ninds; i++)
        buf_printf(out, "i %s %s %d\n", m->inds[i].code, m->inds[i].name, m->inds[i].dir);
    for (size_t i = 0; i < m->nterms; i++) {
        period_code(m->terms[i].per, per, sizeof per);
        buf_printf(out, "t %s %s\n", per, m->terms[i].name);
    }
    const cellmap *maps[2] = { &m->targets, &m->values };
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < maps[k]->n; i++) {
            const cell_t *c = &maps[k]->cells[i];
            period_code(c->per, per, sizeof per);
            buf_printf(out, "%c %s %s %s %.17g %s\n", k ? 'v' : 'g', m->inds[c->ind].code,
                       m->units[c->unit].code, per, c->v, c->comment ? c->comment : "");
        }
}

/* The fault-free digest of the whole database at path. */
static void db_digest(const char *path, buf *out)
{
    store *s;
    err_t e;
    model *m = model_new();
    assert_non_null(m);
    assert_int_equal(store_open(path, 0, &s, &e), 0);
    if (store_load(s, m, &e) != 0)
        fail_msg("load: %s", e.msg);
    model_digest(m, out);
    model_free(m);
    store_close(s);
}

static void make_base(void)
{
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv),
                            SRC("targets.csv", targets_csv), SRC("values.csv", values_csv) };
    import_opts o = { .who = "test" };
    remove_db(base_db);
    assert_int_equal(store_open(base_db, 1, &s, &e), 0);
    if (import_run(s, m, src, 4, &o, &st, &errs, &e) != 0)
        fail_msg("import: %s %s", e.msg, buf_str(&errs));
    task_t p1 = { .code = "p1", .title = "Chương trình một", .kind = TK_PROGRAMME, .lead_unit = "city" };
    task_t t1 = { .code = "t1", .title = "Nhiệm vụ một", .kind = TK_TASK, .programme = "p1", .lead_unit = "w1",
                  .deadline = 20300101 };
    task_report r = { .date = 20240105, .pct = 40, .text = "đã làm", .who = "test" };
    assert_int_equal(store_task_put(s, &p1, &e), 0);
    assert_int_equal(store_task_put(s, &t1, &e), 0);
    t1.progress = 40;
    assert_int_equal(store_task_report(s, &t1, &r, &e), 0);
    assert_int_equal(auth_init(), 0);
    char hash[AUTH_HASH_MAX];
    assert_int_equal(auth_hash_password("mat-khau-thu-nghiem", hash, &e), 0);
    web_user root = { .login = "root", .role = "admin", .unit = "city" };
    assert_int_equal(store_user_add(s, &root, hash, &e), 0);
    bulk_rows(s, m);
    buf_free(&errs);
    model_free(m);
    store_close(s);
}

/* ---- the sweep ---- */

/* One operation on work_db: 0 with its complete result's digest in out, or -1 with e filled. */
typedef int (*op_fn)(buf *out, err_t *e);

/* Runs op at fault points spread over the file calls it makes (each once and sticky); checks
 * that every run gives the fault-free digest or an error, and that some runs did fail.  With
 * writes != 0 the work database is restored before each run and checked after it: as before
 * the run, or (only) as after a complete one. */
static void sweep(const char *name, op_fn op, int writes)
{
    buf want = BUF_INIT, got = BUF_INIT, before = BUF_INIT, after = BUF_INIT, now = BUF_INIT;
    err_t e;
    remove_db(work_db);
    copy_file(base_db, work_db);
    if (writes)
        db_digest(work_db, &before);
    arm(-1, 0);
    if (op(&want, &e) != 0)
        fail_msg("%s without faults: %s", name, e.msg);
    int calls = atomic_load(&fault_calls);
    if (writes)
        db_digest(work_db, &after);
    assert_true(calls > 0);
    int stride = calls > 150 ? calls / 150 : 1, errors = 0, runs = 0;
    for (int sticky = 0; sticky < 2; sticky++)
        for (int n = 0; n < calls; n += stride) {
            if (writes) {
                remove_db(work_db);
                copy_file(base_db, work_db);
            }
            buf_reset(&got);
            e.msg[0] = '\0';
            arm(n, sticky);
            int rc = op(&got, &e);
            disarm();
            runs++;
            if (rc != 0) {
                errors++;
                if (e.msg[0] == '\0')
                    fail_msg("%s: fault at call %d (sticky %d): an error without a message", name, n, sticky);
            } else if (strcmp(buf_str(&got), buf_str(&want)) != 0) {
                fail_msg("%s: fault at call %d (sticky %d) reported success with a different result:\n%s\n"
                         "instead of\n%s", name, n, sticky, buf_str(&got), buf_str(&want));
            }
            if (writes) {
                buf_reset(&now);
                db_digest(work_db, &now);
                int as_before = strcmp(buf_str(&now), buf_str(&before)) == 0;
                int as_after = strcmp(buf_str(&now), buf_str(&after)) == 0;
                if (!(as_after || (rc != 0 && as_before)))
                    fail_msg("%s: fault at call %d (sticky %d), rc %d: the database is %s", name, n, sticky, rc,
                             as_before ? "unchanged though the import succeeded" : "half written");
            }
        }
    print_message("%s: %d file calls, %d runs with a fault, %d errors\n", name, calls, runs, errors);
    assert_true(errors > 0);
    buf_free(&want);
    buf_free(&got);
    buf_free(&before);
    buf_free(&after);
    buf_free(&now);
}

static int op_load_what(int what, buf *out, err_t *e)
{
    store *s = NULL;
    model *m = model_new();
    int rc = -1;
    if (m == NULL)
        return err_set(e, "out of memory");
    if (store_open(work_db, 0, &s, e) != 0 || store_load_part(s, m, what, e) != 0)
        goto cleanup;
    model_digest(m, out);
    rc = 0;
cleanup:
    model_free(m);
    store_close(s);
    return rc;
}

static int op_load(buf *out, err_t *e)
{
    return op_load_what(STORE_ALL, out, e);
}

static int op_load_catalogue(buf *out, err_t *e)
{
    return op_load_what(0, out, e);
}

static int op_import(buf *out, err_t *e)
{
    store *s = NULL;
    model *m = model_new();
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("values.csv", values2_csv) };
    import_opts o = { .who = "fault" };
    int rc = -1;
    if (m == NULL)
        return err_set(e, "out of memory");
    if (store_open(work_db, 0, &s, e) != 0 || store_load(s, m, e) != 0)
        goto cleanup;
    if (import_run(s, m, src, 1, &o, &st, &errs, e) != 0) {
        if (e->msg[0] == '\0')
            snprintf(e->msg, sizeof e->msg, "%s", buf_str(&errs));
        goto cleanup;
    }
    buf_printf(out, "added %ld changed %ld\n", st.added[IK_VALUES], st.changed[IK_VALUES]);
    rc = 0;
cleanup:
    buf_free(&errs);
    model_free(m);
    store_close(s);
    return rc;
}

static int op_tasks(buf *out, err_t *e)
{
    store *s = NULL;
    task_set ts = { 0 };
    int rc = -1;
    if (store_open(work_db, 0, &s, e) != 0 || store_task_load(s, &ts, e) != 0)
        goto cleanup;
    for (int i = 0; i < ts.n; i++) {
        buf_printf(out, "%s %s %d %d", ts.items[i].code, ts.items[i].title, ts.items[i].progress, ts.items[i].nlog);
        for (int k = 0; k < ts.items[i].nlog; k++)
            buf_printf(out, " [%d %d %s]", ts.items[i].log[k].date, ts.items[i].log[k].pct, ts.items[i].log[k].text);
        buf_addc(out, '\n');
    }
    rc = 0;
cleanup:
    task_set_free(&ts);
    store_close(s);
    return rc;
}

static int op_history(buf *out, err_t *e)
{
    store *s = NULL;
    store_hist h[CHANGES + 10];
    period_t p;
    assert_int_equal(period_parse("2022", 4, &p), 0);
    if (store_open(work_db, 0, &s, e) != 0)
        return -1;
    int n = store_history(s, "kn", "d1", p, h, CHANGES + 10, e);
    assert_true(n < CHANGES + 10);
    store_close(s);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s %s %d %g %d %g\n", h[i].kind, h[i].who, h[i].has_old, h[i].old_v, h[i].has_new, h[i].new_v);
    return 0;
}

static int op_users(buf *out, err_t *e)
{
    store *s = NULL;
    web_user *us = NULL;
    web_audit *a = NULL;
    if (store_open(work_db, 0, &s, e) != 0)
        return -1;
    int n = store_user_list(s, &us, e);
    int na = n < 0 ? -1 : store_audit_list(s, 50, &a, e);
    int64_t g = na < 0 ? -1 : store_generation(s, e);
    store_close(s);
    for (int i = 0; i < n; i++)
        buf_printf(out, "%s %s\n", us[i].login, us[i].role);
    for (int i = 0; i < na; i++)
        buf_printf(out, "%s %s %s\n", a[i].action, a[i].object, a[i].detail);
    buf_printf(out, "generation %lld\n", (long long)g);
    free(us);
    free(a);
    return n < 0 || na < 0 || g < 0 ? -1 : 0;
}

static void test_fault_load(void **state)
{
    (void)state;
    sweep("store_load", op_load, 0);
    sweep("store_load_part (catalogue)", op_load_catalogue, 0);
}

static void test_fault_import(void **state)
{
    (void)state;
    sweep("import_run", op_import, 1);
}

static void test_fault_reads(void **state)
{
    (void)state;
    sweep("store_task_load", op_tasks, 0);
    sweep("store_history", op_history, 0);
    sweep("users, audit, generation", op_users, 0);
}

/* ---- the web app's pages under faults ---- */

static web_app *app;
static char cookie[256];

static int get(const char *path, const char *query, http_resp *rs)
{
    http_req rq;
    err_t e;
    http_req_init(&rq);
    http_resp_init(rs);
    snprintf(rq.method, sizeof rq.method, "GET");
    snprintf(rq.path, sizeof rq.path, "%s", path);
    snprintf(rq.addr, sizeof rq.addr, "127.0.0.1");
    snprintf(rq.cookie, sizeof rq.cookie, "%s", cookie);
    /* drop the handles' page caches, so the request reads the file (where the faults are) */
    for (int i = 0; i < app->npool; i++)
        sqlite3_db_release_memory(app->pool[i]->db);
    if (query && http_parse_urlencoded(&rq.query, query, strlen(query), &e) != 0)
        fail_msg("query %s: %s", query, e.msg);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
    return rs->status;
}

static void web_login(void)
{
    http_req rq;
    http_resp rs;
    err_t e;
    const char form[] = "login=root&password=mat-khau-thu-nghiem";
    http_req_init(&rq);
    http_resp_init(&rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "/login");
    snprintf(rq.addr, sizeof rq.addr, "127.0.0.1");
    snprintf(rq.ctype, sizeof rq.ctype, "application/x-www-form-urlencoded");
    assert_int_equal(http_parse_urlencoded(&rq.form, form, strlen(form), &e), 0);
    web_handle(app, &rq, &rs);
    assert_int_equal(rs.status, 303);
    assert_true(rs.ncookies > 0);
    snprintf(cookie, sizeof cookie, "%.*s", (int)strcspn(rs.cookies[0], ";"), rs.cookies[0]);
    http_req_free(&rq);
    http_resp_free(&rs);
}

/* Posts a CSV file to /import (action preview or commit). */
static int upload(const char *csrf, const char *action, const char *content, http_resp *rs)
{
    http_req rq;
    err_t e;
    buf body = BUF_INIT;
    http_req_init(&rq);
    http_resp_init(rs);
    snprintf(rq.method, sizeof rq.method, "POST");
    snprintf(rq.path, sizeof rq.path, "/import");
    snprintf(rq.addr, sizeof rq.addr, "127.0.0.1");
    snprintf(rq.cookie, sizeof rq.cookie, "%s", cookie);
    snprintf(rq.ctype, sizeof rq.ctype, "multipart/form-data; boundary=BoUnD");
    buf_printf(&body, "--BoUnD\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                      "--BoUnD\r\nContent-Disposition: form-data; name=\"action\"\r\n\r\n%s\r\n"
                      "--BoUnD\r\nContent-Disposition: form-data; name=\"file\"; filename=\"v.csv\"\r\n"
                      "Content-Type: text/csv\r\n\r\n%s\r\n--BoUnD--\r\n", csrf, action, content);
    assert_int_equal(http_parse_multipart(&rq.form, rq.ctype, buf_str(&body), body.len, &e), 0);
    for (int i = 0; i < app->npool; i++)
        sqlite3_db_release_memory(app->pool[i]->db);
    web_handle(app, &rq, rs);
    http_req_free(&rq);
    buf_free(&body);
    return rs->status;
}

/* An import previewed through the web app under faults: the same page, or a 500 (a database
 * failure is the server's, never shown as errors in the user's file, 422). */
static void import_page_sweep(void)
{
    http_resp rs;
    char csrf[64];
    assert_int_equal(get("/password", NULL, &rs), 200);
    const char *t = strstr(buf_str(&rs.body), "name=\"csrf\" value=\"");
    assert_non_null(t);
    t += 19;
    snprintf(csrf, sizeof csrf, "%.*s", (int)strcspn(t, "\""), t);
    http_resp_free(&rs);
    arm(-1, 0);
    assert_int_equal(upload(csrf, "preview", values2_csv, &rs), 200);
    int calls = atomic_load(&fault_calls), errors = 0;
    char *want = buf_steal(&rs.body);
    http_resp_free(&rs);
    for (int sticky = 0; sticky < 2; sticky++)
        for (int n = 0; n <= calls; n++) {
            arm(n, sticky);
            int st = upload(csrf, "preview", values2_csv, &rs);
            disarm();
            if (st == 500)
                errors++;
            else if (st != 200 || strcmp(buf_str(&rs.body), want) != 0) {
                fprintf(stderr, "got:\n%s\n", buf_str(&rs.body));
                fail_msg("import preview, fault at call %d (sticky %d): status %d with a different page", n, sticky, st);
            }
            http_resp_free(&rs);
        }
    print_message("import preview: %d file calls, %d answered 500\n", calls, errors);
    assert_true(errors > 0);
    free(want);
}

static void test_fault_pages(void **state)
{
    (void)state;
    static const char *const pages[][2] = {
        { "/overview", "unit=city&period=2022" }, { "/indicator", "unit=d1&period=2022&ind=kn" },
        { "/tasks", "unit=city" }, { "/task", "code=t1" }, { "/admin/users", NULL },
        { "/admin/audit", NULL }, { "/approval", NULL },
    };
    err_t e;
    remove_db(work_db);
    copy_file(base_db, work_db);
    assert_int_equal(web_open(work_db, 1, &app, &e), 0);
    app->log = fopen("/dev/null", "w");
    web_login();
    int errors = 0;
    for (size_t k = 0; k < sizeof pages / sizeof *pages; k++) {
        http_resp rs;
        arm(-1, 0);
        assert_int_equal(get(pages[k][0], pages[k][1], &rs), 200);
        int calls = atomic_load(&fault_calls);
        char *want = buf_steal(&rs.body);
        http_resp_free(&rs);
        /* a page read from warm caches may make no file call: fail the first one it makes */
        for (int sticky = 0; sticky < 2; sticky++)
            for (int n = 0; n <= calls; n++) {
                arm(n, sticky);
                int st = get(pages[k][0], pages[k][1], &rs);
                disarm();
                if (st == 500)
                    errors++;
                else if (st != 200 || strcmp(buf_str(&rs.body), want) != 0) {
                    fprintf(stderr, "got:\n%s\nwanted:\n%s\n", buf_str(&rs.body), want);
                    fail_msg("%s?%s, fault at call %d: status %d with a different page", pages[k][0],
                             pages[k][1] ? pages[k][1] : "", n, st);
                }
                http_resp_free(&rs);
            }
        free(want);
    }
    print_message("pages: %d answered 500\n", errors);
    assert_true(errors > 0);
    import_page_sweep();
    fclose(app->log);
    web_close(app);
    app = NULL;
}

/* ---- failed binds ---- */

static void test_bind_failure(void **state)
{
    (void)state;
    store *s;
    model *m = model_new();
    err_t e;
    remove_db(work_db);
    copy_file(base_db, work_db);
    assert_int_equal(store_open(work_db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    int ind = model_ind_find(m, "kn"), unit = model_unit_find(m, "d2");
    period_t p;
    assert_int_equal(period_parse("2024", 4, &p), 0);
    /* A comment longer than the connection allows: its bind fails (SQLITE_TOOBIG); the value
     * must not be written with no comment. */
    char comment[300];
    memset(comment, 'x', sizeof comment - 1);
    comment[sizeof comment - 1] = '\0';
    sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, 200);
    assert_int_equal(store_begin(s, &e), 0);
    e.msg[0] = '\0';
    assert_int_equal(store_put_value(s, m, ind, unit, p, 12, comment, NULL, "test", "bind", &e), -1);
    assert_non_null(strstr(e.msg, "value"));
    store_rollback(s);
    /* the handle works again afterwards: the failure was reported once, not left behind */
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_put_value(s, m, ind, unit, p, 12, "ngắn", NULL, "test", "bind", &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    cell_t c = { 0 };
    assert_int_equal(store_get_cell(s, m, 0, ind, unit, p, &c, &e), 1);
    assert_true(c.v == 12);
    assert_string_equal(c.comment, "ngắn");
    free(c.comment);
    /* a failed bind of a code in a lookup is an error too, not "no such id" */
    assert_int_equal(store_user_get(s, comment, &(web_user){ 0 }, NULL, 0, &e), -1);
    model_free(m);
    store_close(s);
}

/* ---- ids of any value ---- */

static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

static void test_odd_ids(void **state)
{
    (void)state;
    remove_db(work_db);
    copy_file(base_db, work_db);
    /* d1 gets id -5, w1 2^61, indicator kn -7 (and every row that refers to them follows) */
    exec_sql(work_db,
             "PRAGMA foreign_keys=OFF; BEGIN;"
             "UPDATE value SET unit=-5 WHERE unit=(SELECT id FROM unit WHERE code='d1');"
             "UPDATE target SET unit=-5 WHERE unit=(SELECT id FROM unit WHERE code='d1');"
             "UPDATE history SET unit=-5 WHERE unit=(SELECT id FROM unit WHERE code='d1');"
             "UPDATE unit SET id=-5 WHERE code='d1';"
             "UPDATE value SET unit=2305843009213693952 WHERE unit=(SELECT id FROM unit WHERE code='w1');"
             "UPDATE target SET unit=2305843009213693952 WHERE unit=(SELECT id FROM unit WHERE code='w1');"
             "UPDATE unit SET id=2305843009213693952 WHERE code='w1';"
             "UPDATE value SET indicator=-7 WHERE indicator=(SELECT id FROM indicator WHERE code='kn');"
             "UPDATE target SET indicator=-7 WHERE indicator=(SELECT id FROM indicator WHERE code='kn');"
             "UPDATE history SET indicator=-7 WHERE indicator=(SELECT id FROM indicator WHERE code='kn');"
             "UPDATE indicator SET id=-7 WHERE code='kn';"
             "COMMIT;");
    buf want = BUF_INIT, got = BUF_INIT;
    db_digest(base_db, &want);
    db_digest(work_db, &got);
    assert_string_equal(buf_str(&got), buf_str(&want));     /* every unit and figure loaded */
    /* writes look the odd ids up and use them */
    store *s;
    err_t e;
    model *m = model_new();
    assert_int_equal(store_open(work_db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    period_t p;
    assert_int_equal(period_parse("2024", 4, &p), 0);
    int kn = model_ind_find(m, "kn"), w1 = model_unit_find(m, "w1"), d1 = model_unit_find(m, "d1");
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_equal(store_put_value(s, m, kn, w1, p, 5, NULL, NULL, "test", "ids", &e), 0);
    store_forget_ids(s);
    assert_int_equal(store_put_value(s, m, kn, d1, p, 6, NULL, NULL, "test", "ids", &e), 0);
    assert_int_equal(store_commit(s, &e), 0);
    store_close(s);
    model_free(m);
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(work_db, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM value WHERE period='2024' AND indicator=-7 AND"
                                            " unit IN (-5, 2305843009213693952)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 2);
    sqlite3_finalize(st);
    sqlite3_close(db);
    buf_free(&want);
    buf_free(&got);
}

static int fk_on(store *s)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA foreign_keys", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int on = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return on;
}

/* store_bulk_keys_begin: no check per row, but the commit refuses a figure (or any other row)
 * whose parent is missing, and the handle checks per row again afterwards. */
static void test_bulk_keys(void **state)
{
    (void)state;
    remove_db(work_db);
    copy_file(base_db, work_db);
    store *s;
    err_t e;
    model *m = model_new();
    assert_int_equal(store_open(work_db, 0, &s, &e), 0);
    assert_int_equal(store_load(s, m, &e), 0);
    period_t p;
    assert_int_equal(period_parse("2024", 4, &p), 0);
    int kn = model_ind_find(m, "kn"), w1 = model_unit_find(m, "w1");
    static const char *const breaks[] = {
        "UPDATE value SET unit=999999 WHERE period='2024' AND comment='bulk'",
        "UPDATE value SET indicator=999999 WHERE period='2024' AND comment='bulk'",
        "UPDATE value SET batch=999999 WHERE period='2024' AND comment='bulk'",
        "INSERT INTO succession(from_unit,to_unit,date,share) VALUES(999999,999998,20250101,1)",
        NULL,                                   /* nothing broken: committed */
    };
    for (int k = 0; k < 5; k++) {
        assert_int_equal(store_bulk_keys_begin(s, &e), 0);
        assert_int_equal(fk_on(s), 0);
        assert_int_equal(store_begin(s, &e), 0);
        assert_int_equal(store_put_value(s, m, kn, w1, p, 40 + k, "bulk", NULL, "test", "bulk", &e), 0);
        if (breaks[k]) {
            assert_int_equal(sq_exec(s, breaks[k]), 0);              /* not refused per row */
            assert_int_equal(store_commit(s, &e), -1);
            assert_non_null(strstr(e.msg, k < 3 ? "table value" : "table succession"));
            store_rollback(s);
        } else {
            assert_int_equal(store_commit(s, &e), 0);
        }
        assert_int_equal(fk_on(s), 1);
    }
    cell_t c = { 0 };
    assert_int_equal(store_get_cell(s, m, 0, kn, w1, p, &c, &e), 1);
    assert_true(c.v == 44);                     /* only the last one stayed */
    free(c.comment);
    /* and per row again */
    assert_int_equal(store_begin(s, &e), 0);
    assert_int_not_equal(sq_exec(s, breaks[3]), 0);
    store_rollback(s);
    /* a begin that failed ends it too */
    assert_int_equal(store_bulk_keys_begin(s, &e), 0);
    store_bulk_keys_end(s);
    assert_int_equal(fk_on(s), 1);
    store_close(s);
    model_free(m);
}

static int count_cell(void *ctx, int ind, int unit, period_t p, double v)
{
    (void)ind, (void)unit, (void)p, (void)v;
    ++*(int *)ctx;
    return 0;
}

static void test_odd_ids_scan(void **state)
{
    (void)state;
    /* work_db as test_odd_ids left it: value rows under indicator ids -7 and a positive one */
    store *s;
    err_t e;
    model *m = model_new();
    assert_int_equal(store_open(work_db, 0, &s, &e), 0);
    assert_int_equal(store_load_part(s, m, 0, &e), 0);
    exec_sql(work_db, "UPDATE indicator SET id=4611686018427387904 WHERE code='tl';"
                      "UPDATE value SET indicator=4611686018427387904 WHERE indicator NOT IN (-7);");
    int all = 0, parts = 0;
    assert_int_equal(store_scan_cells(s, m, 0, 0, 1, count_cell, &all, &e), 0);
    for (int k = 0; k < 3; k++)
        assert_int_equal(store_scan_cells(s, m, 0, k, 3, count_cell, &parts, &e), 0);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, "SELECT count(*) FROM value", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(all, sqlite3_column_int(st, 0));      /* every row, none twice */
    sqlite3_finalize(st);
    assert_int_equal(parts, all);
    model_free(m);
    store_close(s);
}

/* The shared rate bucket (store_multi.h): a burst of 3, refilled at 60 a minute (one a second);
 * two handles (two servers) take from one bucket; the change log refuses a write that did not
 * mark its start, and a read past max says so (max + 1 rows). */
static void test_shared_rate_and_feed(void **state)
{
    (void)state;
    store *s1, *s2;
    err_t e;
    assert_int_equal(store_open(work_db, 0, &s1, &e), 0);
    assert_int_equal(store_open(work_db, 0, &s2, &e), 0);
    int64_t t = 1000000;
    assert_int_equal(store_rate_take(s1, "k", 60, 3000, t, &e), 0);
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t, &e), 0);
    assert_int_equal(store_rate_take(s1, "k", 60, 3000, t + 10, &e), 0);
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 20, &e), 1);   /* empty: a second to wait */
    assert_int_equal(store_rate_take(s1, "other", 60, 3000, t + 20, &e), 0);
    assert_int_equal(store_rate_take(s1, "k", 60, 3000, t + 1100, &e), 0); /* one earned since */
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 1200, &e), 1);
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 60000, &e), 0); /* full again */
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 500, &e), 0);   /* a clock behind: no refill, */
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 500, &e), 0);   /* nothing taken twice */
    assert_int_equal(store_rate_take(s2, "k", 60, 3000, t + 500, &e), 1);

    store_feed_row rows[3] = { { .kind = STORE_FEED_VALUE, .ind = "kn", .unit = "u1", .period = "2024" },
                             { .kind = STORE_FEED_TARGET, .ind = "kn", .unit = "u1", .period = "2024" },
                             { .kind = STORE_FEED_VALUE, .ind = "kn", .unit = "u2", .period = "2024" } };
    assert_int_equal(store_begin(s1, &e), 0);
    assert_int_not_equal(store_feed_log(s1, rows, 3, &e), 0);              /* no store_feed_begin */
    assert_int_equal(store_feed_begin(s1, &e), 0);
    int64_t g0 = store_generation(s1, &e);
    assert_int_equal(store_setting_set(s1, "test_feed", "1", &e), 0);      /* the generation moves */
    assert_int_equal(store_feed_log(s1, rows, 3, &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    int64_t from, to;
    assert_int_equal(store_feed_last(s1, &from, &to), 1);
    assert_int_equal(from, g0);
    assert_int_equal(to, g0 + 1);
    assert_int_equal(store_feed_last(s1, &from, &to), 0);                  /* told once */
    store_feed_row *got;
    assert_int_equal(store_feed_read(s2, g0, 10, &got, &e), 3);
    assert_int_equal(got[1].kind, STORE_FEED_TARGET);
    assert_string_equal(got[2].unit, "u2");
    assert_int_equal(got[2].gen_from, g0);
    assert_int_equal(got[2].gen_to, g0 + 1);
    free(got);
    assert_int_equal(store_feed_read(s2, g0, 1, &got, &e), 2);             /* more than max */
    free(got);
    assert_int_equal(store_feed_read(s2, g0 + 1, 10, &got, &e), 0);
    free(got);

    /* a server's handle (store_feed_auto): a write that moves the generation without logging its
     * cells (a setting, a task) leaves a RELOAD window, so the chain has no hole; one that does not
     * move it leaves nothing; an explicit log is kept as it is */
    store_feed_auto(s1, 1);
    assert_int_equal(store_begin(s1, &e), 0);
    assert_int_equal(store_setting_set(s1, "test_feed", "2", &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    assert_int_equal(store_feed_last(s1, &from, &to), 1);
    assert_int_equal(from, g0 + 1);
    assert_int_equal(to, g0 + 2);
    assert_int_equal(store_feed_read(s2, g0 + 1, 10, &got, &e), 1);
    assert_int_equal(got[0].kind, STORE_FEED_RELOAD);
    assert_int_equal(got[0].gen_from, g0 + 1);
    assert_int_equal(got[0].gen_to, g0 + 2);
    free(got);
    assert_int_equal(store_begin(s1, &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    assert_int_equal(store_feed_last(s1, &from, &to), 0);
    assert_int_equal(store_feed_read(s2, g0 + 2, 10, &got, &e), 0);
    free(got);
    assert_int_equal(store_begin(s1, &e), 0);
    assert_int_equal(store_feed_begin(s1, &e), 0);
    assert_int_equal(store_setting_set(s1, "test_feed", "3", &e), 0);
    assert_int_equal(store_feed_log(s1, rows, 1, &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    assert_int_equal(store_feed_read(s2, g0 + 2, 10, &got, &e), 1);
    assert_int_equal(got[0].kind, STORE_FEED_VALUE);
    free(got);
    /* a write that declares it changes nothing a model holds (a task's progress) */
    assert_int_equal(store_begin(s1, &e), 0);
    store_feed_quiet(s1);
    assert_int_equal(store_setting_set(s1, "test_feed", "4", &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    assert_int_equal(store_feed_read(s2, g0 + 3, 10, &got, &e), 1);
    assert_int_equal(got[0].kind, STORE_FEED_NONE);
    free(got);
    assert_int_equal(store_begin(s1, &e), 0);             /* quiet lasts one transaction */
    assert_int_equal(store_setting_set(s1, "test_feed", "5", &e), 0);
    assert_int_equal(store_commit(s1, &e), 0);
    assert_int_equal(store_feed_read(s2, g0 + 4, 10, &got, &e), 1);
    assert_int_equal(got[0].kind, STORE_FEED_RELOAD);
    free(got);
    store_close(s1);
    store_close(s2);
}

static int setup(void **state)
{
    (void)state;
    snprintf(base_db, sizeof base_db, "/tmp/chitieu-store-%ld.db", (long)getpid());
    snprintf(work_db, sizeof work_db, "/tmp/chitieu-store-%ld-w.db", (long)getpid());
    make_base();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_db(base_db);
    remove_db(work_db);
    return 0;
}

/* ---- schema upgrade under faults ---- */

/* The file's schema version, then every figure by codes, read with a plain connection (no store:
 * opening through the store would upgrade it). */
static void raw_digest(const char *path, buf *out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT 'version', value, '', '', '' FROM meta WHERE key='schema_version'"
        " UNION ALL SELECT * FROM (SELECT 'v', i.code, u.code, v.period, v.value || ' ' || coalesce(v.comment, '')"
        " FROM value v JOIN indicator i ON i.id=v.indicator JOIN unit u ON u.id=v.unit"
        " UNION ALL SELECT 't', i.code, u.code, t.period, t.target FROM target t"
        " JOIN indicator i ON i.id=t.indicator JOIN unit u ON u.id=t.unit ORDER BY 1,2,3,4)",
        -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        buf_printf(out, "%s %s %s %s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
                   sqlite3_column_text(st, 2), sqlite3_column_text(st, 3), sqlite3_column_text(st, 4));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int op_upgrade(buf *out, err_t *e)
{
    store *s = NULL;
    int v = 0;
    if (store_open(work_db, 0, &s, e) != 0)
        return -1;
    int rc = store_schema_version(s, &v, e);
    store_close(s);
    buf_printf(out, "version %d\n", v);
    return rc;
}

static void fresh_fixture(const char *fx)
{
    char bak[120];
    remove_db(work_db);
    snprintf(bak, sizeof bak, "%s.schema-1.bak", work_db);
    remove_db(bak);
    snprintf(bak, sizeof bak, "%s.schema-1.bak.tmp", work_db);
    remove_db(bak);
    copy_file(fx, work_db);
}

/* A database of schema version 1 (tests/fixtures, made by the first release) upgraded with a fault
 * at points spread over the upgrade's file calls: the store opens it at this version with the same
 * figures, or fails with a message and leaves it at version 1 with the same figures. */
static void test_fault_upgrade(void **state)
{
    (void)state;
    const char *fx = "tests/fixtures/schema-1.db";
    buf orig = BUF_INIT, done = BUF_INIT, now = BUF_INIT, got = BUF_INIT;
    err_t e;
    raw_digest(fx, &orig);
    assert_non_null(strstr(buf_str(&orig), "version 1"));
    fresh_fixture(fx);
    arm(-1, 0);
    if (op_upgrade(&got, &e) != 0)
        fail_msg("upgrade without faults: %s", e.msg);
    int calls = atomic_load(&fault_calls);
    char want[32];
    snprintf(want, sizeof want, "version %d\n", STORE_SCHEMA_VERSION);
    assert_string_equal(buf_str(&got), want);
    raw_digest(work_db, &done);
    /* the same figures, only the version line differs */
    want[strlen(want) - 1] = '\0';
    assert_non_null(strstr(buf_str(&done), want));
    assert_string_equal(strchr(buf_str(&done), '\n'), strchr(buf_str(&orig), '\n'));
    int stride = calls > 150 ? calls / 150 : 1, errors = 0, runs = 0;
    for (int sticky = 0; sticky < 2; sticky++)
        for (int n = 0; n < calls; n += stride) {
            fresh_fixture(fx);
            buf_reset(&got);
            e.msg[0] = '\0';
            arm(n, sticky);
            int rc = op_upgrade(&got, &e);
            disarm();
            runs++;
            errors += rc != 0;
            if (rc != 0 && e.msg[0] == '\0')
                fail_msg("upgrade: fault at call %d (sticky %d): an error without a message", n, sticky);
            buf_reset(&now);
            raw_digest(work_db, &now);
            int as_before = strcmp(buf_str(&now), buf_str(&orig)) == 0;
            int as_after = strcmp(buf_str(&now), buf_str(&done)) == 0;
            if (!(as_after || (rc != 0 && as_before)))
                fail_msg("upgrade: fault at call %d (sticky %d), rc %d (%s): the database is %s", n, sticky, rc,
                         e.msg, as_before ? "at version 1 though the upgrade succeeded" : "half upgraded");
        }
    print_message("upgrade 1->3: %d file calls, %d runs with a fault, %d errors\n", calls, runs, errors);
    assert_true(errors > 0);
    buf_free(&orig);
    buf_free(&done);
    buf_free(&now);
    buf_free(&got);
}

int main(void)
{
    lang_set(LANG_EN);
    store_global_init();
    install_fault_vfs();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fault_load),
        cmocka_unit_test(test_fault_import),
        cmocka_unit_test(test_fault_reads),
        cmocka_unit_test(test_fault_pages),
        cmocka_unit_test(test_bind_failure),
        cmocka_unit_test(test_odd_ids),
        cmocka_unit_test(test_odd_ids_scan),
        cmocka_unit_test(test_bulk_keys),
        cmocka_unit_test(test_shared_rate_and_feed),
        cmocka_unit_test(test_fault_upgrade),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
