/* test_web_data.c - what the web pages say and do with figures (issue 16): the audit log
 * (filters, paging with totals, CSV export with the same filters, exact Vietnamese numbers, a
 * comment-only change named as such), deleting a figure from the entry page (a reason, the
 * history, the locks, the one write door), derived figures beside the entry grid and "Kỳ
 * trước" against "Cùng kỳ", and term-to-date on the term overview.  Requests are structs
 * handed to web_handle, as in test_web.c (whose fixture this copies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "auth.h"
#include "engine.h"
#include "http.h"
#include "import.h"
#include "store.h"
#include "store_task.h"
#include "store_web.h"
#include "web.h"
#include "write.h"

#include "test_sql.h"
#include "web_client.h"

static char db[64];
static web_app *app;
static int cells_mode = WEB_CELLS_MODEL; /* main runs the group in both modes (web.h) */

/* city -> d1 -> w1; city -> d2.  Users are bound to d1 (one per role), plus a city admin. */
static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,<script>alert(1)</script> Phường,d1,Đảng ủy phường\n";
static const char inds_csv[] =
    "code,name,group,direction,period_aggregation,decimals,formula\n"
    "kn,Kết nạp đảng viên,Xây dựng Đảng,up,sum,0,\n"
    "tl,Tỷ lệ hộ nghèo,Xã hội,down,last,2,\n"
    "kn2,Kết nạp gấp đôi,Xây dựng Đảng,up,sum,0,kn * 2\n";
/* the term 2020-2025 (term-to-date on d2) */
static const char terms_csv[] = "period,name\n2020-2025,Nhiệm kỳ 2020–2025\n";
static const char targets_csv[] =
    "indicator,unit,period,target\n"
    "kn,d1,2023,100\nkn,w1,2023,40\nkn,d2,2023,80\nkn,city,2023,200\nkn,d1,2024,50\n"
    "kn,d2,2020-2025,500\ntl,d2,2020-2025,1.5\n";
static const char values_csv[] =
    "indicator,unit,period,value\n"
    "kn,d1,2022,90\nkn,w1,2022,30\nkn,d2,2022,70\n"
    /* d1 2024 comes from its ward only; d1's halves of 2023 */
    "kn,w1,2024,12\nkn,d1,2023S1,5\nkn,d1,2023S2,7\n"
    "kn,d2,2020,100\nkn,d2,2021,100\nkn,d2,2023,100\n"
    "tl,d2,2020,2\ntl,d2,2021,1.8\ntl,d2,2022,1.6\ntl,d2,2023,1.2\n";

#define SRC(name, text) { name, text, sizeof(text) - 1 }

static const char *const roles[] = { "admin", "editor", "approver", "viewer" };
static const char pw[] = "mat-khau-thu-nghiem";

static int setup_all(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-webdata-%ld.db", (long)getpid());
    remove(db);
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { SRC("units.csv", units_csv), SRC("indicators.csv", inds_csv), SRC("terms.csv", terms_csv),
                            SRC("targets.csv", targets_csv), SRC("values.csv", values_csv) };
    import_opts o = { .who = "test" };
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    if (import_run(s, m, src, 5, &o, &st, &errs, &e) != 0)
        fail_msg("fixture: %s %s", e.msg, buf_str(&errs));
    char hash[AUTH_HASH_MAX];
    assert_int_equal(wt_test_hash(pw, hash), 0);
    for (int r = 0; r < 4; r++) {
        web_user u = { 0 };
        snprintf(u.login, sizeof u.login, "%s1", roles[r]);
        snprintf(u.role, sizeof u.role, "%s", roles[r]);
        snprintf(u.unit, sizeof u.unit, "d1");
        assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    }
    web_user root = { .login = "root", .role = "admin", .unit = "city" };
    assert_int_equal(store_user_add(s, &root, hash, &e), 0);
    assert_int_not_equal(store_user_add(s, &root, hash, &e), 0);   /* duplicate login */
    web_user gone = { .login = "gone", .role = "viewer", .unit = "d1" };
    assert_int_equal(store_user_add(s, &gone, hash, &e), 0);
    web_user ed2 = { .login = "ed2", .role = "editor", .unit = "d2" };
    assert_int_equal(store_user_add(s, &ed2, hash, &e), 0);
    task_t p1 = { .code = "p1", .title = "Chương trình một", .kind = TK_PROGRAMME, .lead_unit = "city" };
    task_t t1 = { .code = "t1", .title = "Nhiệm vụ của phường", .kind = TK_TASK, .programme = "p1", .lead_unit = "w1",
                  .deadline = 20300101 };
    task_t t2 = { .code = "t2", .title = "Nhiệm vụ của quận hai", .kind = TK_TASK, .programme = "p1", .lead_unit = "d2",
                  .deadline = 20300101 };
    assert_int_equal(store_task_put(s, &p1, &e), 0);
    assert_int_equal(store_task_put(s, &t1, &e), 0);
    assert_int_equal(store_task_put(s, &t2, &e), 0);
    buf_free(&errs);
    model_free(m);
    store_close(s);
    assert_int_equal(web_open_cells(db, 2, cells_mode, &app, &e), 0);
    /* held: the model's maps keep only the two targets of a term (the engine holds years) */
    assert_int_equal(app->m->held, cells_mode == WEB_CELLS_ENGINE);
    if (app->m->held)
        assert_int_equal(app->m->values.n * 100 + app->m->targets.n, 2);
    app->log = fopen("/dev/null", "w");
    return 0;
}

static int teardown_all(void **state)
{
    (void)state;
    fclose(app->log);
    web_close(app);
    wt_remove_db(db);
    return 0;
}

/* Sends one request; query and form are url-encoded strings (or NULL). */
static int send(const client *c, const char *method, const char *path, const char *query, const char *form,
                const char *json, http_resp *rs)
{
    return wt_send(app, c, &(wt_request){ .method = method, .path = path, .query = query, .form = form, .json = json },
                   rs);
}

static int status_of(const client *c, const char *method, const char *path, const char *query, const char *form)
{
    http_resp rs;
    int st = send(c, method, path, query, form, NULL, &rs);
    http_resp_free(&rs);
    return st;
}

static int login(client *c, const char *user, const char *password)
{
    int st = wt_login(app, c, user, password, NULL, NULL);
    if (st == 303)
        assert_true(c->csrf[0]);
    return st;
}


/* The body of a GET as a malloc'd string (NULL on another status than want). */
static char *get_body(const client *c, const char *path, const char *query, int want)
{
    http_resp rs;
    int st = send(c, "GET", path, query, NULL, NULL, &rs);
    char *out = st == want ? strdup(buf_str(&rs.body)) : NULL;
    if (st != want)
        print_error("GET %s?%s: status %d, want %d\n", path, query ? query : "", st, want);
    http_resp_free(&rs);
    return out;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* ---- audit log ---- */

/* Runs one SQL statement on the test database from outside the app. */
static void db_exec(const char *sql)
{
    ts_exec(db, sql);
}

/* One time, three places: the change of d1 2030 to 1.234.567,8 moved to 18:30 UTC on New Year's
 * Eve 2024, which is 1/1/2025 01:30 in Vietnam.  The page, its CSV (both languages) and the
 * from/to filter all say 1 January 2025; the UTC day (31 December) holds nothing of it. */
static void test_audit_local_time(const client *ad)
{
    db_exec("UPDATE batch SET at = '2024-12-31T18:30:00Z' WHERE id = (SELECT h.batch FROM history h"
            " JOIN indicator i ON i.id = h.indicator JOIN unit u ON u.id = h.unit"
            " WHERE i.code = 'kn' AND u.code = 'd1' AND h.period = '2030' AND h.new_value = 1234567.8)");
    const char *day = "unit=d1&period=2030&kind=value&from=2025-01-01&to=2025-01-01";
    char *b = get_body(ad, "/admin/audit", day, 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">1–1 / 1<"));
    assert_non_null(strstr(b, "<time datetime=\"2024-12-31T18:30:00Z\">1/1/2025 01:30</time>"));
    assert_non_null(strstr(b, "<th>Thời gian (giờ Việt Nam, UTC+7)</th>"));   /* the zone named, as in the CSV */
    assert_non_null(strstr(b, "1.234.567 → 1.234.567,8"));
    free(b);
    b = get_body(ad, "/admin/audit", "unit=d1&period=2030&kind=value&from=2024-12-31&to=2024-12-31", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">0 / 0<"));
    free(b);
    /* the CSV of the same filter: the same entry at the same local time, with its seconds */
    char q[160];
    http_resp rs;
    snprintf(q, sizeof q, "%s&format=csv", day);
    assert_int_equal(send(ad, "GET", "/admin/audit", q, NULL, NULL, &rs), 200);
    const char *csv = buf_str(&rs.body);
    assert_int_equal(count_of(csv, "\n"), 2);
    assert_non_null(strstr(csv, "\xEF\xBB\xBF\"Thời gian (giờ Việt Nam, UTC+7)\";Người;"));
    assert_non_null(strstr(csv, "\n1/1/2025 01:30:00;editor1;sửa số liệu;"));
    assert_null(strstr(csv, "2024-12-31"));
    assert_null(strstr(csv, "UTC)"));
    http_resp_free(&rs);
    snprintf(q, sizeof q, "%s&format=csv&lang=en", day);
    assert_int_equal(send(ad, "GET", "/admin/audit", q, NULL, NULL, &rs), 200);
    csv = buf_str(&rs.body);
    assert_non_null(strstr(csv, "When (Vietnam, UTC+7)"));
    assert_non_null(strstr(csv, "\n2025-01-01 01:30:00,editor1,"));
    http_resp_free(&rs);
}

static void test_audit_log(void **state)
{
    (void)state;
    client ed, ad, vw;
    char form[512];
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&ad, "root", pw), 303);
    assert_int_equal(login(&vw, "viewer1", pw), 303);
    /* a big figure, then its comment alone, then a new figure: three changes of one cell */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2030&action=save&v_kn=1.234.567&o_kn=&c_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2030&action=save&v_kn=1.234.567&o_kn=1234567&c_kn=ghi+ch%%C3%%BA", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2030&action=save&v_kn=1.234.567,8&o_kn=1234567&c_kn=ghi+ch%%C3%%BA", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    char *b = get_body(&ad, "/admin/audit", "unit=d1&period=2030&kind=value", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "chỉ sửa ghi chú: «» → «ghi chú»"));
    assert_non_null(strstr(b, "1.234.567 → 1.234.567,8"));     /* exact, Vietnamese decimals */
    assert_null(strstr(b, "e+06"));
    assert_null(strstr(b, "1234567 -&gt; 1234567"));
    assert_non_null(strstr(b, "id=\"audit-count\">1–2 / 2<"));
    assert_int_equal(count_of(b, "<tr data-kind="), 2);
    free(b);
    /* English: English decimals, same exact figure */
    b = get_body(&ad, "/admin/audit", "unit=d1&period=2030&kind=value&lang=en", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "1,234,567 → 1,234,567.8"));
    assert_non_null(strstr(b, "comment only"));
    free(b);
    /* by user: the editor's entries only, never another's */
    b = get_body(&ad, "/admin/audit", "who=editor1", 200);
    assert_non_null(b);
    assert_null(strstr(b, "<td>root</td>"));
    assert_non_null(strstr(b, "<td>editor1</td>"));
    free(b);
    b = get_body(&ad, "/admin/audit", "who=nobody", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">0 / 0<"));
    free(b);
    /* by date (Vietnam's): today's entries are in, a day in the past holds none */
    b = get_body(&ad, "/admin/audit", "kind=value&unit=d1&period=2030&from=2000-01-01&to=2000-12-31", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">0 / 0<"));
    free(b);
    /* paging: 60 more saves of another cell, 50 to a page, totals shown, the next page holds the rest */
    for (int k = 1; k <= 60; k++) {
        char orig[16] = "";
        if (k > 1)
            snprintf(orig, sizeof orig, "%d", k - 1);
        snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2031&action=save&v_kn=%d&o_kn=%s", ed.csrf, k, orig);
        assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    }
    b = get_body(&ad, "/admin/audit", "unit=d1&period=2031&kind=value", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">1–50 / 59<"));
    assert_int_equal(count_of(b, "<tr data-kind=\"value\""), 50);
    assert_non_null(strstr(b, "rel=\"next\" href=\"/admin/audit?page=2&amp;unit=d1&amp;period=2031&amp;kind=value\""));
    assert_non_null(strstr(b, "59 → 60"));              /* newest first */
    free(b);
    b = get_body(&ad, "/admin/audit", "unit=d1&period=2031&kind=value&page=2", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"audit-count\">51–59 / 59<"));
    assert_int_equal(count_of(b, "<tr data-kind=\"value\""), 9);
    assert_non_null(strstr(b, "1 → 2"));
    assert_non_null(strstr(b, "rel=\"prev\""));
    free(b);
    /* CSV with the same filter: a header and every matching entry, Vietnamese separators */
    http_resp rs;
    assert_int_equal(send(&ad, "GET", "/admin/audit", "unit=d1&period=2031&kind=value&format=csv", NULL, NULL, &rs), 200);
    assert_string_equal(rs.ctype, "text/csv; charset=utf-8");
    assert_non_null(strstr(rs.disposition, "attachment"));
    assert_int_equal(count_of(buf_str(&rs.body), "\n"), 60);
    assert_non_null(strstr(buf_str(&rs.body), ";kn;d1;2031;59;60;59 → 60\n"));
    http_resp_free(&rs);
    /* bad filters are refused naming the parameter; the page is for administrators only */
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "kind=bogus", NULL), 400);
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "from=6/12/2026", NULL), 400);
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "unit=nowhere", NULL), 400);
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "period=2031X", NULL), 400);
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "page=0", NULL), 400);
    assert_int_equal(status_of(&ad, "GET", "/admin/audit", "format=xml", NULL), 400);
    assert_int_equal(status_of(&vw, "GET", "/admin/audit", NULL, NULL), 403);
    assert_int_equal(status_of(&vw, "GET", "/admin/audit", "format=csv", NULL), 403);
    /* the store: the filters combine, the total counts every match */
    store *s;
    err_t e;
    web_audit *a = NULL;
    int64_t total = 0;
    audit_filter f = { .unit = "d1", .period = "2030", .kind = "value" };
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_audit_query(s, &f, 0, 1, &a, &total, &e), 1);
    assert_int_equal(total, 2);
    assert_true(a[0].is_figure && a[0].has_old && a[0].has_new);
    assert_true(a[0].old_v == 1234567 && a[0].new_v == 1234567.8);
    assert_string_equal(a[0].ind, "kn");
    free(a);
    f.who = "root";
    assert_int_equal(store_audit_query(s, &f, 0, 10, &a, &total, &e), 0);
    assert_int_equal(total, 0);
    free(a);
    store_close(s);
    test_audit_local_time(&ad);
}

/* ---- deleting a figure from the entry page ---- */

static const cell_t *value_of(const char *unit, int year)
{
    static cell_t tmp;                   /* a held model's cell: valid until the next call */
    return model_value(app->m, model_ind_find(app->m, "kn"), model_unit_find(app->m, unit),
                       (period_t){ P_YEAR, 0, (uint16_t)year, (uint16_t)year }, &tmp);
}

static void test_entry_delete(void **state)
{
    (void)state;
    client ed, ad;
    char form[512];
    http_resp rs;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    assert_int_equal(login(&ad, "root", pw), 303);
    /* the server reads both "1,234.5" and "1.234,5" (the script accepts what it accepts) */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=1%%2C234.5&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_non_null(value_of("d1", 2032));
    assert_true(value_of("d1", 2032)->v == 1234.5);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=1.234%%2C75&o_kn=1234.5", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_true(value_of("d1", 2032)->v == 1234.75);
    /* the form offers the reason field, labelled */
    char *b = get_body(&ed, "/entry", "unit=d1&period=2032", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "<label for=\"reason\">Lý do xóa số liệu</label> <input id=\"reason\" name=\"reason\""));
    free(b);
    /* emptied without a reason: refused, nothing deleted, the message names the indicator */
    long commits = write_commits();
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=&o_kn=1234.75&c_kn=", ed.csrf);
    assert_int_equal(send(&ed, "POST", "/entry", NULL, form, NULL, &rs), 400);
    assert_non_null(strstr(buf_str(&rs.body), "Kết nạp đảng viên: ô số liệu đã bị xóa trống: cần ghi lý do"));
    http_resp_free(&rs);
    assert_non_null(value_of("d1", 2032));
    assert_int_equal(write_commits(), commits);
    /* the figure changed meanwhile (the form showed another): a conflict, nothing deleted */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=&o_kn=99&reason=sai", ed.csrf);
    assert_int_equal(send(&ed, "POST", "/entry", NULL, form, NULL, &rs), 409);
    assert_non_null(strstr(buf_str(&rs.body), "người khác đã sửa số liệu này"));
    http_resp_free(&rs);
    assert_non_null(value_of("d1", 2032));
    /* with a reason: deleted through the write door, kept in the history and the audit log */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=&o_kn=1234.75&c_kn=&reason=nh%%E1%%BA%%ADp+nh%%E1%%BA%%A7m",
             ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_null(value_of("d1", 2032));
    assert_int_equal(write_commits(), commits + 1);
    b = get_body(&ad, "/admin/audit", "kind=delete&unit=d1&period=2032", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "xóa 1.234,75; lý do: nhập nhầm"));
    assert_non_null(strstr(b, "<td>editor1</td>"));
    assert_non_null(strstr(b, "id=\"audit-count\">1–1 / 1<"));
    free(b);
    store *s;
    err_t e;
    store_hist h[8];
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    int nh = store_history(s, "kn", "d1", (period_t){ P_YEAR, 0, 2032, 2032 }, h, 8, &e);
    store_close(s);
    assert_true(nh >= 2);
    assert_true(h[0].has_old && !h[0].has_new && h[0].old_v == 1234.75);
    /* emptying a field that holds nothing changes nothing */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2032&action=save&v_kn=&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    assert_int_equal(write_commits(), commits + 1);
    /* submitted data is locked for deletion as for writing */
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2033&action=submit&v_kn=5&o_kn=", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 303);
    snprintf(form, sizeof form, "csrf=%s&unit=d1&period=2033&action=save&v_kn=&o_kn=5&reason=x", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 400);
    assert_non_null(value_of("d1", 2033));
    /* another's unit: forbidden */
    snprintf(form, sizeof form, "csrf=%s&unit=d2&period=2022&action=save&v_kn=&o_kn=70&reason=x", ed.csrf);
    assert_int_equal(status_of(&ed, "POST", "/entry", NULL, form), 403);
    assert_non_null(value_of("d2", 2022));
}

/* ---- the entry page: derived figures, "Kỳ trước" and "Cùng kỳ" ---- */

static void test_entry_derived(void **state)
{
    (void)state;
    client ed;
    assert_int_equal(login(&ed, "editor1", pw), 303);
    /* d1 enters nothing for 2024: its figure from the ward is shown beside the empty input,
     * marked, and the formula indicator's figure read-only without an input */
    char *b = get_body(&ed, "/entry", "unit=d1&period=2024", 200);
    assert_non_null(b);
    const char *row = strstr(b, "name=\"v_kn\" value=\"\"");
    assert_non_null(row);
    const char *der = strstr(row, "<span class=\"derived\" data-source=\"units\">12 <small>(cộng từ đơn vị cấp dưới)</small></span>");
    assert_non_null(der);
    assert_true(der < strstr(row, "</tr>"));
    assert_null(strstr(b, "name=\"v_kn2\""));
    assert_non_null(strstr(b, "<label for=\"f_kn2\">Kết nạp gấp đôi</label>"));
    assert_non_null(strstr(b, "<output id=\"f_kn2\"><span class=\"derived\" data-source=\"formula\">24 <small>(tính theo công thức)</small>"));
    /* its figure a year back too: 2 × (d1's halves of 2023: 5 + 7) */
    assert_non_null(strstr(b, "<label for=\"f_kn2\">Kết nạp gấp đôi</label></td><td class=\"ms\"></td><td class=\"num tg\"></td>"
                              "<td class=\"num pv\">24</td><td class=\"fig\"><output"));
    /* a year: the previous period is also the same period last year: one column says both */
    assert_non_null(strstr(b, "id=\"col-prev\">Kỳ trước (cùng kỳ) 2023</th>"));
    assert_null(strstr(b, "id=\"col-ly\""));
    assert_non_null(strstr(b, "<table class=\"grid entry same\">"));
    free(b);
    /* a half: "Kỳ trước" is the half before (2023S2: 7), "Cùng kỳ" the same half a year back (5) */
    b = get_body(&ed, "/entry", "unit=d1&period=2024S1", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "id=\"col-prev\">Kỳ trước 2023S2</th><th class=\"num\" id=\"col-ly\">Cùng kỳ 2023S1</th>"));
    row = strstr(b, "<label for=\"v_kn\">");
    assert_non_null(row);
    assert_non_null(strstr(row, "<td class=\"num pv\">7</td><td class=\"num ly\">5</td>"));
    free(b);
    /* a figure the unit entered itself is its input's value, with no derived figure beside it */
    b = get_body(&ed, "/entry", "unit=d1&period=2022", 200);
    assert_non_null(b);
    row = strstr(b, "name=\"v_kn\" value=\"90\"");
    assert_non_null(row);
    const char *end = strstr(row, "</tr>");
    der = strstr(row, "class=\"derived\"");
    assert_true(der == NULL || der > end);
    free(b);
}

/* ---- term-to-date on the term overview ---- */

static void test_term_to_date(void **state)
{
    (void)state;
    client ad;
    assert_int_equal(login(&ad, "root", pw), 303);
    int saved = app->today;
    app->today = 20231122;
    char *b = get_body(&ad, "/overview", "unit=d2&period=2020-2025", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "<section id=\"term-to-date\">"));
    assert_non_null(strstr(b, "Số liệu các năm 2020–2023 (4/6 năm của nhiệm kỳ); đã qua 64,9% thời gian nhiệm kỳ "
                              "(đến ngày 22/11/2023)."));
    /* 370 of 500 with 4 of 6 years gone: on track; the rate 1,2 under 1,5: exceeded */
    assert_non_null(strstr(b, "Đến nay: đạt, vượt hoặc đúng tiến độ 2/2 chỉ tiêu, trong đó 1 vượt;"));
    const char *row = strstr(b, "<tr class=\"st-met\" data-progress=\"1\"><td>Kết nạp đảng viên</td>");
    assert_non_null(row);
    assert_non_null(strstr(row, "<td class=\"num\">500</td><td class=\"num\">370</td><td class=\"num\">74%</td>"));
    assert_non_null(strstr(row, "đúng tiến độ"));
    /* the mid-term review's numbers, linked */
    assert_non_null(strstr(b, "href=\"/overview?unit=d2&amp;period=2020-2022\""));
    assert_non_null(strstr(b, "đạt và vượt 0/2 chỉ tiêu"));
    free(b);
    /* not a term: no such section; in English: English numbers */
    b = get_body(&ad, "/overview", "unit=d2&period=2023", 200);
    assert_non_null(b);
    assert_null(strstr(b, "term-to-date"));
    free(b);
    b = get_body(&ad, "/overview", "unit=d2&period=2020-2025&lang=en", 200);
    assert_non_null(b);
    assert_non_null(strstr(b, "64.9% of the term&#39;s time gone"));
    free(b);
    app->today = saved;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_audit_log),
        cmocka_unit_test(test_entry_delete),
        cmocka_unit_test(test_entry_derived),
        cmocka_unit_test(test_term_to_date),
    };
    int failed = cmocka_run_group_tests_name("cells in the model", tests, setup_all, teardown_all);
    cells_mode = WEB_CELLS_ENGINE;       /* the same with the figures held by the engine alone */
    return failed + cmocka_run_group_tests_name("cells in the engine", tests, setup_all, teardown_all);
}
