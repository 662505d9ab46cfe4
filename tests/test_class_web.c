/* test_class_web.c - the classification round through the web application (page_class.c,
 * api_class.c) with requests handed to web_handle: what each role sees (members are personal
 * data), which step form each user gets, a full round by form posts with the refusals (wrong
 * level, CSRF, the lock), and the API's list and step with their errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zip.h>

#include "auth.h"
#include "class_round.h"
#include "http.h"
#include "import.h"
#include "store.h"
#include "store_web.h"
#include "web.h"

#include "web_client.h"

static char db[64];
static web_app *app;
static const char pw[] = "mat-khau-thu-nghiem";

static const char units_csv[] =
    "code,name,parent,type\n"
    "city,Thành ủy,,Thành ủy\n"
    "d1,Quận ủy Một,city,Quận ủy\n"
    "d2,Quận ủy Hai,city,Quận ủy\n"
    "w1,Đảng ủy phường Một,d1,Đảng ủy phường\n";
static const char subjects_csv[] =
    "code,kind,name,unit,group,outstanding\n"
    "w1,grassroots,Đảng bộ phường Một,w1,,\n"
    "m1,member,Nguyễn Văn Bí Mật,w1,,\n"
    "m2,member,Trần Thị Hai,d2,,\n";

static void add_user(store *s, const char *login, const char *role, const char *unit, const char *hash, const char *token)
{
    web_user u = { 0 };
    err_t e;
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.unit, sizeof u.unit, "%s", unit);
    assert_int_equal(store_user_add(s, &u, hash, &e), 0);
    char digest[AUTH_DIGEST_LEN + 1];
    auth_token_digest(token, digest);
    assert_int_equal(store_token_put(s, digest, login, "test", &e), 0);
}

static int setup(void **state)
{
    (void)state;
    lang_set(LANG_EN);
    snprintf(db, sizeof db, "/tmp/chitieu-classweb-%ld.db", (long)getpid());
    remove(db);
    store *s;
    model *m = model_new();
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src[] = { { "units.csv", units_csv, sizeof units_csv - 1 } };
    import_opts o = { .who = "test" };
    int n;
    assert_int_equal(auth_init(), 0);
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    assert_int_equal(import_run(s, m, src, 1, &o, &st, &errs, &e), 0);
    assert_int_equal(class_import_subjects(s, m, "s.csv", subjects_csv, sizeof subjects_csv - 1, 0, &n, &e), 0);
    static const char awards_csv[] = "year,subject,form,title,issuer,decision,date\n"
                                     "2025,w1,merit,Bằng khen của Ban Thường vụ Thành ủy,Thành ủy,Số 12-QĐ/TU,2026-01-15\n"
                                     "2025,m1,badge,Huy hiệu 30 năm tuổi Đảng,Thành ủy,Số 9-QĐ/TU,\n";
    assert_int_equal(class_import_awards(s, "a.csv", awards_csv, sizeof awards_csv - 1, 0, &n, &e), 0);
    char hash[AUTH_HASH_MAX];
    assert_int_equal(wt_test_hash(pw, hash), 0);
    add_user(s, "viewer_d1", "viewer", "d1", hash, "tok-viewer-d1-000000000000000000000000000");
    add_user(s, "editor_w1", "editor", "w1", hash, "tok-editor-w1-000000000000000000000000000");
    add_user(s, "approver_d1", "approver", "d1", hash, "tok-approver-d1-0000000000000000000000000");
    add_user(s, "editor_d2", "editor", "d2", hash, "tok-editor-d2-000000000000000000000000000");
    add_user(s, "approver_city", "approver", "city", hash, "tok-approver-city-00000000000000000000000");
    buf_free(&errs);
    model_free(m);
    store_close(s);
    assert_int_equal(web_open(db, 2, &app, &e), 0);
    app->log = fopen("/dev/null", "w");
    app->today = 20251215;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fclose(app->log);
    web_close(app);
    wt_remove_db(db);
    return 0;
}

static int send(const client *c, const char *method, const char *path, const char *query, const char *form,
                const char *json, http_resp *rs)
{
    return wt_send(app, c, &(wt_request){ .method = method, .path = path, .query = query, .form = form, .json = json },
                   rs);
}

static void login(client *c, const char *user)
{
    assert_int_equal(wt_login(app, c, user, pw, NULL, NULL), 303);
    assert_true(c->csrf[0]);
    c->unit = "d1";
}

/* GET /class?unit=...&year=2025 into body (caller frees); returns the status. */
static int page(const client *c, const char *unit, buf *body)
{
    http_resp rs;
    char q[64];
    snprintf(q, sizeof q, "unit=%s&year=2025&lang=en", unit);
    int st = send(c, "GET", "/class", q, NULL, NULL, &rs);
    buf_reset(body);
    buf_adds(body, buf_str(&rs.body));
    http_resp_free(&rs);
    return st;
}

static int post_step(const client *c, const char *subject, const char *step, const char *score, const char *grade,
                     int with_csrf, buf *body)
{
    char form[512];
    http_resp rs;
    snprintf(form, sizeof form, "%s%s%slang=en&unit=%s&year=2025&subject=%s&step=%s&score=%s&grade=%s&comment=ok",
             with_csrf ? "csrf=" : "", with_csrf ? c->csrf : "", with_csrf ? "&" : "", c->unit, subject, step, score,
             grade);
    int st = send(c, "POST", "/class", "lang=en", form, NULL, &rs);
    if (body) {
        buf_reset(body);
        buf_adds(body, buf_str(&rs.body));
    }
    http_resp_free(&rs);
    return st;
}

static void test_pages(void **state)
{
    (void)state;
    client viewer, editor, approver, ed2;
    buf b = BUF_INIT;
    login(&viewer, "viewer_d1");
    login(&editor, "editor_w1");
    login(&approver, "approver_d1");
    login(&ed2, "editor_d2");
    editor.unit = "w1";
    approver.unit = "d1";
    /* a viewer sees the organisation, never the member's name, and no form */
    assert_int_equal(page(&viewer, "d1", &b), 200);
    assert_non_null(strstr(buf_str(&b), "Đảng bộ phường Một"));
    assert_null(strstr(buf_str(&b), "Bí Mật"));
    assert_non_null(strstr(buf_str(&b), "1 members not shown"));
    assert_null(strstr(buf_str(&b), "class-step"));
    assert_int_equal(page(&ed2, "d1", &b), 403);          /* outside the subtree */
    assert_int_equal(page(&ed2, "d2", &b), 200);
    assert_non_null(strstr(buf_str(&b), "Trần Thị Hai"));
    /* the editor of w1 sees its member and gets the self-assessment form */
    assert_int_equal(page(&editor, "w1", &b), 200);
    assert_non_null(strstr(buf_str(&b), "Nguyễn Văn Bí Mật"));
    assert_non_null(strstr(buf_str(&b), "name=\"step\" value=\"assess\""));
    assert_non_null(strstr(buf_str(&b), "no task of the year"));
    /* the round by form posts */
    assert_int_equal(post_step(&editor, "w1", "assess", "91", "excellent", 0, NULL), 403);   /* no CSRF */
    assert_int_equal(post_step(&editor, "w1", "appraise", "91", "excellent", 1, NULL), 403);
    assert_int_equal(post_step(&editor, "w1", "assess", "91,5", "excellent", 1, NULL), 303);
    assert_int_equal(post_step(&editor, "w1", "assess", "abc", "excellent", 1, &b), 400);
    assert_int_equal(post_step(&approver, "w1", "decide", "91", "good", 1, &b), 409);
    assert_non_null(strstr(buf_str(&b), "not appraised yet"));
    assert_int_equal(page(&approver, "d1", &b), 200);
    assert_non_null(strstr(buf_str(&b), "name=\"step\" value=\"appraise\""));
    assert_non_null(strstr(buf_str(&b), "91.5"));
    assert_int_equal(post_step(&approver, "w1", "appraise", "91", "excellent", 1, NULL), 303);
    /* alone in its group, 20 % of 1 is 0: the decision of xuất sắc is refused with the reason */
    assert_int_equal(post_step(&approver, "w1", "decide", "91", "excellent", 1, &b), 409);
    assert_non_null(strstr(buf_str(&b), "quota"));
    assert_int_equal(post_step(&approver, "w1", "decide", "91", "good", 1, NULL), 303);
    assert_int_equal(post_step(&approver, "w1", "decide", "91", "good", 1, &b), 409);
    assert_non_null(strstr(buf_str(&b), "locked"));
    assert_int_equal(page(&approver, "d1", &b), 200);
    assert_non_null(strstr(buf_str(&b), "locked"));
    buf_free(&b);
}

/* 1 if the page's row of subject offers the form of step. */
static int row_offers(const buf *page_body, const char *subject, const char *step)
{
    char id[64], want[64];
    snprintf(id, sizeof id, "id=\"subject-%s\"", subject);
    snprintf(want, sizeof want, "name=\"step\" value=\"%s\"", step);
    const char *row = strstr(buf_str(page_body), id);
    assert_non_null(row);
    const char *end = strstr(row, "</tr>");
    assert_non_null(end);
    const char *hit = strstr(row, want);
    return hit != NULL && hit < end;
}

/* The decide form only at the competent level: with decide,levels_above,,2 for the members of
 * 2025, the approver of d1 appraises m1 (of w1) but is offered no decide form, and a post of one
 * is refused; the city's approver is offered it and decides. */
static void test_decide_form(void **state)
{
    (void)state;
    client editor, approver, city;
    buf b = BUF_INIT;
    store *s;
    err_t e;
    int nsheets, nrows;
    static const char sheet[] = "year,kind,type,code,name,value\n2025,member,decide,levels_above,,2\n";
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(class_import_criteria(s, "c.csv", sheet, sizeof sheet - 1, 0, &nsheets, &nrows, &e), 0);
    store_close(s);
    login(&editor, "editor_w1");
    login(&approver, "approver_d1");
    login(&city, "approver_city");
    editor.unit = "w1";
    approver.unit = "d1";
    city.unit = "city";
    assert_int_equal(post_step(&editor, "m1", "assess", "80", "good", 1, NULL), 303);
    assert_int_equal(post_step(&approver, "m1", "appraise", "80", "good", 1, NULL), 303);
    assert_int_equal(page(&approver, "d1", &b), 200);
    assert_false(row_offers(&b, "m1", "decide"));
    assert_int_not_equal(post_step(&approver, "m1", "decide", "80", "good", 1, NULL), 303);
    assert_int_equal(page(&city, "city", &b), 200);
    assert_true(row_offers(&b, "m1", "decide"));
    assert_int_equal(post_step(&city, "m1", "decide", "80", "good", 1, NULL), 303);
    buf_free(&b);
}

/* GET /class?format=docx as c; returns the document's text (caller frees), tags stripped. */
static char *docx_text(const client *c, const char *unit)
{
    http_resp rs;
    char q[96], path[64];
    snprintf(q, sizeof q, "unit=%s&year=2025&format=docx", unit);
    assert_int_equal(send(c, "GET", "/class", q, NULL, NULL, &rs), 200);
    assert_string_equal(rs.ctype, "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    assert_non_null(strstr(rs.disposition, ".docx"));
    snprintf(path, sizeof path, "/tmp/chitieu-classweb-%ld.docx", (long)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf_str(&rs.body), 1, rs.body.len, f), rs.body.len);
    fclose(f);
    http_resp_free(&rs);
    int err;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, "word/document.xml", 0, &st), 0);
    char *xml = calloc(1, st.size + 1), *out = calloc(1, st.size + 1);
    zip_file_t *zf = zip_fopen(z, "word/document.xml", 0);
    assert_int_equal(zip_fread(zf, xml, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    zip_close(z);
    remove(path);
    size_t o = 0;
    for (int in = 0, i = 0; xml[i]; i++) {     /* the text runs, with tags dropped */
        if (xml[i] == '<')
            in = 1;
        else if (xml[i] == '>')
            in = 0;
        else if (!in)
            out[o++] = xml[i];
    }
    free(xml);
    return out;
}

static void test_docx(void **state)
{
    (void)state;
    client viewer, editor;
    http_resp rs;
    login(&viewer, "viewer_d1");
    login(&editor, "editor_w1");
    /* a viewer gets the document with the organisations and never a member's name */
    char *t = docx_text(&viewer, "d1");
    assert_non_null(strstr(t, "ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_non_null(strstr(t, "Đảng bộ phường Một"));
    assert_non_null(strstr(t, "DANH SÁCH"));
    assert_null(strstr(t, "Bí Mật"));
    free(t);
    /* the editor of the member's unit sees the member in the list */
    t = docx_text(&editor, "w1");
    assert_non_null(strstr(t, "Nguyễn Văn Bí Mật"));
    free(t);
    /* outside the subtree: refused; another format: refused */
    assert_int_equal(send(&editor, "GET", "/class", "unit=d1&year=2025&format=docx", NULL, NULL, &rs), 403);
    http_resp_free(&rs);
    assert_int_equal(send(&viewer, "GET", "/class", "unit=d1&year=2025&format=pdf", NULL, NULL, &rs), 400);
    http_resp_free(&rs);
    /* the page links the download */
    assert_int_equal(send(&viewer, "GET", "/class", "unit=d1&year=2025", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "href=\"/class?format=docx&amp;year=2025&amp;unit=d1\""));
    http_resp_free(&rs);
}

static int api(const char *token, const char *method, const char *query, const char *json, buf *body)
{
    client c = { 0 };
    http_resp rs;
    snprintf(c.bearer, sizeof c.bearer, "%s", token);
    int st = send(&c, method, strcmp(method, "GET") == 0 ? "/api/v1/class/results" : "/api/v1/class/steps",
                  query ? query : "lang=en", NULL,
                  json, &rs);
    buf_reset(body);
    buf_adds(body, buf_str(&rs.body));
    http_resp_free(&rs);
    return st;
}

static void test_api(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *viewer = "tok-viewer-d1-000000000000000000000000000", *editor = "tok-editor-w1-000000000000000000000000000";
    assert_int_equal(api(viewer, "GET", "year=2025&unit=d1", NULL, &b), 200);
    assert_non_null(strstr(buf_str(&b), "\"code\":\"w1\""));
    assert_null(strstr(buf_str(&b), "m1"));
    assert_non_null(strstr(buf_str(&b), "\"grade\":\"good\""));
    assert_int_equal(api(editor, "GET", "year=2025&unit=w1", NULL, &b), 200);
    assert_non_null(strstr(buf_str(&b), "Nguyễn Văn Bí Mật"));
    assert_int_equal(api(editor, "GET", "year=20x5", NULL, &b), 400);
    assert_int_equal(api(editor, "POST", NULL, "{\"year\":2025,\"subject\":\"m1\",\"step\":\"assess\",\"score\":89.99,"
                                              "\"grade\":\"good\",\"comment\":\"tự đánh giá\"}", &b), 200);
    assert_non_null(strstr(buf_str(&b), "\"allowed\":\"good\""));
    assert_int_equal(api(editor, "POST", NULL, "{\"year\":2025,\"subject\":\"m1\",\"step\":\"assess\",\"score\":89.999,"
                                              "\"grade\":\"good\"}", &b), 400);
    assert_non_null(strstr(buf_str(&b), "\"field\":\"score\""));
    assert_int_equal(api(editor, "POST", NULL, "{\"year\":2025,\"subject\":\"m1\",\"step\":\"assess\",\"score\":\"95\","
                                              "\"grade\":\"excellent\",\"faults\":\"KL\"}", &b), 409);
    assert_int_equal(api(viewer, "POST", NULL, "{\"year\":2025,\"subject\":\"m1\",\"step\":\"assess\",\"score\":80,"
                                              "\"grade\":\"good\"}", &b), 403);
    assert_int_equal(api(editor, "POST", NULL, "{\"year\":2025,\"subject\":\"m2\",\"step\":\"assess\",\"score\":80,"
                                              "\"grade\":\"good\"}", &b), 403);
    assert_int_equal(api(editor, "POST", NULL, "{\"year\":2025,\"subject\":\"zz\",\"step\":\"assess\",\"score\":80,"
                                              "\"grade\":\"good\"}", &b), 404);
    assert_int_equal(api(editor, "POST", NULL, "[1]", &b), 400);
    buf_free(&b);
}

static void test_awards_page(void **state)
{
    (void)state;
    client viewer, editor;
    http_resp rs;
    login(&viewer, "viewer_d1");
    login(&editor, "editor_w1");
    assert_int_equal(send(&viewer, "GET", "/class/awards", "unit=d1&search=bang%20khen&lang=en", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Bằng khen của Ban Thường vụ Thành ủy"));
    assert_non_null(strstr(buf_str(&rs.body), "1 awards"));
    http_resp_free(&rs);
    assert_int_equal(send(&viewer, "GET", "/class/awards", "unit=d1&search=huy%20hieu&lang=en", NULL, NULL, &rs), 200);
    assert_null(strstr(buf_str(&rs.body), "Huy hiệu 30"));      /* a member's award: personal data */
    http_resp_free(&rs);
    assert_int_equal(send(&editor, "GET", "/class/awards", "unit=w1&search=HUY%20HIEU&year=2025&lang=en", NULL, NULL, &rs), 200);
    assert_non_null(strstr(buf_str(&rs.body), "Huy hiệu 30 năm tuổi Đảng"));
    assert_non_null(strstr(buf_str(&rs.body), "Nguyễn Văn Bí Mật"));
    http_resp_free(&rs);
    assert_int_equal(send(&editor, "GET", "/class/awards", "unit=d1", NULL, NULL, &rs), 403);
    http_resp_free(&rs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_api),
        cmocka_unit_test(test_awards_page),
        cmocka_unit_test(test_decide_form),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
