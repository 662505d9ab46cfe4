/* test_completeness.c - completeness and timeliness (completeness.h) over a small database whose
 * write times are set by hand, the settings and user e-mail (cycle_store.h), and reminders to
 * report (remind.h, `chitieu remind --reporting --send`, `chitieu completeness`) delivered
 * through mail.c to a real SMTP sink started in this test on 127.0.0.1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "auth.h"
#include "cmd.h"
#include "completeness.h"
#include "cycle_store.h"
#include "engine.h"
#include "mail.h"
#include "remind.h"
#include "store_web.h"
#include "write.h"

static char db[64];

/* city -> d1 -> w1, w2, w3 (w3 gone before 2022); city -> d2; kn and tl entered, ty computed */
static const char units_csv[] =
    "code,name,parent,type,valid_from,valid_to\n"
    "city,Thành ủy,,Thành ủy,,\nd1,Quận ủy Một,city,Quận ủy,,\nd2,Quận ủy Hai,city,Quận ủy,,\n"
    "w1,Phường Một,d1,Đảng ủy phường,,\nw2,Phường Hai,d1,Đảng ủy phường,,\n"
    "w3,Phường Ba,d1,Đảng ủy phường,,2021-12-31\n";
static const char inds_csv[] = "code,name,formula\nkn,Kết nạp đảng viên,\ntl,Tỷ lệ hộ nghèo,\nty,Tổng,kn + tl\n";
static const char targets_csv[] =
    "indicator,unit,period,target\nkn,w1,2022,10\ntl,w1,2022,2\nkn,w2,2022,8\nkn,w3,2021,5\n"
    "kn,d1,2022,30\ntl,d1,2022,3\nkn,city,2022,100\nty,w1,2022,12\n";

static const write_actor cli_actor = { "cli", ROLE_ADMIN, -1, "cli", 0, 0 };

static void remove_db(void)
{
    char side[80];
    remove(db);
    snprintf(side, sizeof side, "%s-wal", db);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", db);
    remove(side);
}

static void import_text(const char *name, const char *csv)
{
    store *s;
    err_t e;
    buf errs = BUF_INIT;
    import_stats st;
    import_source src = { name, csv, strlen(csv) };
    import_opts o = { .who = "test" };
    assert_int_equal(store_open(db, 1, &s, &e), 0);
    int r = write_import(s, &cli_actor, &src, 1, &o, &st, &errs, NULL, &e);
    if (r != 0 || errs.len)
        fail_msg("import %s: %s %s", name, e.msg, buf_str(&errs));
    buf_free(&errs);
    store_close(s);
}

/* Runs sql on the database directly (the write times of batches). */
static void sql(const char *text)
{
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
    sqlite3_close(h);
}

static void add_user(const char *login, const char *role, const char *unit, const char *email)
{
    store *s;
    err_t e;
    web_user u = { 0 };
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "Người %s", login);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.unit, sizeof u.unit, "%s", unit);
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(store_user_add(s, &u, "x", &e), 0);
    if (email)
        assert_int_equal(store_user_email_set(s, login, email, &e), 1);
    store_close(s);
}

static int setup(void **state)
{
    (void)state;
    snprintf(db, sizeof db, "/tmp/chitieu-cmpl-%ld.db", (long)getpid());
    remove_db();
    assert_int_equal(auth_init(), 0);
    import_text("units.csv", units_csv);
    import_text("indicators.csv", inds_csv);
    import_text("targets.csv", targets_csv);
    /* w1 kn on time (the day before the deadline), later corrected (its first write still counts) */
    import_text("values.csv", "indicator,unit,period,value\nkn,w1,2022S1,4\n");
    sql("UPDATE batch SET at='2022-06-19T03:00:00Z' WHERE id=(SELECT max(id) FROM batch)");
    /* w1 tl and d2 kn at 18:00 UTC on the deadline: the 21st in Vietnam, late */
    import_text("values.csv", "indicator,unit,period,value\ntl,w1,2022S1,1.5\nkn,d2,2022S1,9\n");
    sql("UPDATE batch SET at='2022-06-20T18:00:00Z' WHERE id=(SELECT max(id) FROM batch)");
    import_text("values.csv", "indicator,unit,period,value\nkn,w1,2022S1,5\n");
    add_user("ed.w2", "editor", "w2", "w2@example.vn");
    add_user("ed.w1", "editor", "w1", NULL);
    add_user("ap.d1", "approver", "d1", "duyet@example.vn");
    add_user("ed.d1", "editor", "d1", "d1@example.vn");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_db();
    return 0;
}

static void open_model(store **s, model **m)
{
    err_t e;
    *m = model_new();
    assert_int_equal(store_open(db, 0, s, &e), 0);
    assert_int_equal(store_load(*s, *m, &e), 0);
}

/* The same with the cells held by the model's engine (a national server's model). */
static void open_model_held(store **s, model **m)
{
    err_t e;
    *m = model_new();
    assert_int_equal(store_open(db, 0, s, &e), 0);
    assert_int_equal(store_load_part(*s, *m, 0, &e), 0);
    assert_int_equal(engine_hold_store(*m, db, 2, &e), 0);
    assert_true((*m)->held);
}

static const cmpl_row *row_of(const model *m, const cmpl_result *r, const char *code)
{
    for (int i = 0; i < r->nrows; i++)
        if (strcmp(m->units[r->rows[i].unit].code, code) == 0)
            return &r->rows[i];
    fail_msg("no row %s", code);
    return NULL;
}

static int state_of(const model *m, const cmpl_result *r, const char *unit, const char *ind)
{
    for (int i = 0; i < r->nitems; i++)
        if (strcmp(m->units[r->items[i].unit].code, unit) == 0 && strcmp(m->inds[r->items[i].ind].code, ind) == 0)
            return r->items[i].state;
    return -1;    /* not expected */
}

static void test_completeness_counts(void **state)
{
    (void)state;
    store *s;
    model *m;
    err_t e;
    cycle_rules r;
    cmpl_result res;
    period_t p;
    open_model(&s, &m);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(period_parse("2022S1", 6, &p), 0);
    assert_int_equal(cmpl_run(s, m, &r, model_unit_find(m, "city"), p, &res, &e), 0);
    assert_int_equal(res.deadline, 20220620);
    assert_int_equal(res.nrows, 2);
    const cmpl_row *d1 = row_of(m, &res, "d1"), *d2 = row_of(m, &res, "d2");
    /* d1: w1 kn on time, tl late; w2 kn missing; w3 not valid in 2022; ty is a formula */
    assert_int_equal(d1->c.expected, 3);
    assert_int_equal(d1->c.reported, 2);
    assert_int_equal(d1->c.on_time, 1);
    assert_int_equal(d1->c.late, 1);
    assert_int_equal(d1->c.missing, 1);
    assert_int_equal(d1->c.leaves, 2);
    assert_int_equal(d1->c.leaves_complete, 1);
    assert_int_equal(d1->c.leaves_late, 1);
    /* d2 has no target of its own: it reports kn (its value; the city's target) late */
    assert_int_equal(d2->c.expected, 1);
    assert_int_equal(d2->c.late, 1);
    assert_int_equal(state_of(m, &res, "w1", "kn"), CM_ON_TIME);
    assert_int_equal(state_of(m, &res, "w1", "tl"), CM_LATE);
    assert_int_equal(state_of(m, &res, "w2", "kn"), CM_MISSING);
    assert_int_equal(state_of(m, &res, "w2", "tl"), -1);
    assert_int_equal(state_of(m, &res, "w1", "ty"), -1);
    assert_int_equal(state_of(m, &res, "w3", "kn"), -1);
    buf line = BUF_INIT;
    cmpl_summary(&res.total, 0, &line);
    assert_string_equal(buf_str(&line), "2/3 đơn vị đã báo cáo đủ, 2 trễ hạn");
    buf_free(&line);
    cmpl_free(&res);
    /* a later deadline (+1 month) makes every write on time; a leaf asked about is its own row */
    assert_int_equal(cycle_setting_set(s, "half", "20+1", &e), 0);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(cmpl_run(s, m, &r, model_unit_find(m, "w1"), p, &res, &e), 0);
    assert_int_equal(res.nrows, 1);
    assert_int_equal(res.deadline, 20220720);
    assert_int_equal(res.total.on_time, 2);
    assert_int_equal(res.total.late, 0);
    cmpl_free(&res);
    assert_int_equal(cycle_setting_set(s, "half", "", &e), 0);
    store_close(s);
    model_free(m);
}

static void test_settings(void **state)
{
    (void)state;
    store *s;
    err_t e;
    cycle_rules r;
    char v[64];
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(cycle_setting_set(s, "cutoff", "decree09", &e), 0);
    assert_int_equal(cycle_setting_set(s, "month", "5+1", &e), 0);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(r.cutoff_day, 15);
    assert_int_equal(r.due[P_MONTH].day, 5);
    assert_int_equal(r.due[P_MONTH].months, 1);
    assert_int_equal(cycle_setting_set(s, "month", "35", &e), -1);
    assert_non_null(strstr(e.msg, "month"));
    assert_int_equal(cycle_setting_set(s, "weekly", "1", &e), -1);
    assert_int_equal(cycle_setting_set(s, "smtp-url", "http://x", &e), -1);
    assert_int_equal(cycle_setting_set(s, "smtp-from", "not an address", &e), -1);
    assert_int_equal(cycle_setting_get(s, "month", v, sizeof v, &e), 1);
    assert_string_equal(v, "5+1");
    assert_int_equal(cycle_setting_set(s, "month", "", &e), 0);
    assert_int_equal(cycle_setting_set(s, "cutoff", "", &e), 0);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(r.cutoff_day, 0);
    assert_int_equal(r.due[P_MONTH].day, 20);
    /* e-mail: the column exists once set; an unknown user is 0 */
    assert_int_equal(store_user_email_get(s, "ed.w2", v, sizeof v, &e), 1);
    assert_string_equal(v, "w2@example.vn");
    assert_int_equal(store_user_email_get(s, "ed.w1", v, sizeof v, &e), 0);
    assert_int_equal(store_user_email_set(s, "nobody", "a@b.vn", &e), 0);
    assert_true(cycle_email_ok("a.b@c.vn"));
    assert_false(cycle_email_ok("a b@c.vn"));
    assert_false(cycle_email_ok("a@b"));
    assert_false(cycle_email_ok("a@b.vn\r\nBcc: x@y.vn"));
    store_close(s);
}

/* ---- a tiny SMTP sink: one thread, connections one after another ---- */

typedef struct sink {
    int fd, port, stop;
    pthread_t th;
    pthread_mutex_t mx;
    buf log;                     /* "FROM x\nTO y\nDATA\n<message>\n.\n" per message */
} sink;

static int sink_line(int fd, char *line, size_t n)
{
    size_t k = 0;
    char ch;
    while (k + 1 < n) {
        ssize_t got = recv(fd, &ch, 1, 0);
        if (got <= 0)
            return -1;
        if (ch == '\n')
            break;
        if (ch != '\r')
            line[k++] = ch;
    }
    line[k] = '\0';
    return 0;
}

static void sink_say(int fd, const char *s)
{
    ssize_t w = send(fd, s, strlen(s), MSG_NOSIGNAL);
    (void)w;
}

static void sink_session(sink *k, int fd)
{
    char line[2048];
    sink_say(fd, "220 sink ESMTP\r\n");
    while (sink_line(fd, line, sizeof line) == 0) {
        pthread_mutex_lock(&k->mx);
        if (strncasecmp(line, "EHLO", 4) == 0 || strncasecmp(line, "HELO", 4) == 0)
            sink_say(fd, "250-sink\r\n250 8BITMIME\r\n");
        else if (strncasecmp(line, "MAIL FROM:", 10) == 0) {
            buf_printf(&k->log, "FROM %s\n", line + 10);
            sink_say(fd, "250 ok\r\n");
        } else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
            buf_printf(&k->log, "TO %s\n", line + 8);
            sink_say(fd, "250 ok\r\n");
        } else if (strcasecmp(line, "DATA") == 0) {
            sink_say(fd, "354 go on\r\n");
            buf_adds(&k->log, "DATA\n");
            while (sink_line(fd, line, sizeof line) == 0 && strcmp(line, ".") != 0)
                buf_printf(&k->log, "%s\n", line[0] == '.' ? line + 1 : line);
            buf_adds(&k->log, ".\n");
            sink_say(fd, "250 queued\r\n");
        } else if (strcasecmp(line, "QUIT") == 0) {
            sink_say(fd, "221 bye\r\n");
            pthread_mutex_unlock(&k->mx);
            break;
        } else
            sink_say(fd, "250 ok\r\n");
        pthread_mutex_unlock(&k->mx);
    }
    close(fd);
}

static void *sink_run(void *arg)
{
    sink *k = arg;
    while (!__atomic_load_n(&k->stop, __ATOMIC_SEQ_CST)) {
        struct pollfd pf = { k->fd, POLLIN, 0 };
        if (poll(&pf, 1, 100) <= 0)
            continue;
        int c = accept(k->fd, NULL, NULL);
        if (c >= 0)
            sink_session(k, c);
    }
    return NULL;
}

static void sink_start(sink *k)
{
    memset(k, 0, sizeof *k);
    buf_init(&k->log, 0);
    pthread_mutex_init(&k->mx, NULL);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    k->fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(k->fd >= 0);
    assert_int_equal(bind(k->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(k->fd, 8), 0);
    assert_int_equal(getsockname(k->fd, (struct sockaddr *)&a, &len), 0);
    k->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&k->th, NULL, sink_run, k), 0);
}

static void sink_stop(sink *k)
{
    __atomic_store_n(&k->stop, 1, __ATOMIC_SEQ_CST);
    pthread_join(k->th, NULL);
    close(k->fd);
    buf_free(&k->log);
    pthread_mutex_destroy(&k->mx);
}

/* Decodes the first RFC 2047 B-encoded subject of a message log (words may be folded). */
static void subject_of(const char *log, buf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = strstr(log, "Subject: ");
    assert_non_null(p);
    const char *end = strstr(p, "\nMIME-Version");
    assert_non_null(end);
    while ((p = strstr(p, "=?UTF-8?B?")) != NULL && p < end) {
        p += 10;
        unsigned v = 0;
        int bits = 0;
        for (; *p && *p != '?'; p++) {
            const char *c = strchr(tab, *p);
            if (*p == '=' || c == NULL)
                continue;
            v = v << 6 | (unsigned)(c - tab);
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                buf_addc(out, (char)(v >> bits & 0xFF));
            }
        }
    }
}

static void test_mail_format(void **state)
{
    (void)state;
    const char *to[] = { "a@example.vn", "b@example.vn" };
    mail_msg msg = { "chitieu@example.vn", to, 2, "Nhắc báo cáo số liệu 6 tháng đầu năm 2022, hạn 20/6/2022",
                     "Dòng một\nDòng hai\n", 0 };
    buf out = BUF_INIT, subject = BUF_INIT;
    err_t e;
    assert_int_equal(mail_format(&msg, &out, &e), 0);
    assert_non_null(strstr(buf_str(&out), "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
    assert_non_null(strstr(buf_str(&out), "To: <a@example.vn>,\r\n <b@example.vn>\r\n"));
    assert_non_null(strstr(buf_str(&out), "charset=UTF-8"));
    assert_non_null(strstr(buf_str(&out), "\r\n\r\nDòng một\r\nDòng hai\r\n"));
    subject_of(buf_str(&out), &subject);
    assert_string_equal(buf_str(&subject), msg.subject);
    const char *bad[] = { "x@y.vn>\r\nBcc: z@w.vn" };
    mail_msg evil = { "chitieu@example.vn", bad, 1, "s", "b", 0 };
    buf_reset(&out);
    assert_int_equal(mail_format(&evil, &out, &e), -1);
    buf_free(&out);
    buf_free(&subject);
}

/* The plan: only w2 misses a figure; its editor (with an e-mail) gets it, the approver does not. */
static void test_remind_plan(void **state)
{
    (void)state;
    store *s;
    model *m;
    err_t e;
    cycle_rules r;
    remind_plan plan;
    period_t p;
    open_model(&s, &m);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(period_parse("2022S1", 6, &p), 0);
    assert_int_equal(remind_plan_build(s, m, &r, -1, &p, 1, 20220623, &plan, &e), 0);
    assert_int_equal(plan.nmails, 1);
    assert_string_equal(plan.mails[0].to, "w2@example.vn");
    assert_non_null(strstr(plan.mails[0].subject, "6 tháng đầu năm 2022"));
    assert_non_null(strstr(plan.mails[0].subject, "20/6/2022"));
    assert_non_null(strstr(plan.mails[0].body, "Phường Hai: còn thiếu 1/1 chỉ tiêu"));
    assert_non_null(strstr(plan.mails[0].body, "- Kết nạp đảng viên (kn)"));
    assert_non_null(strstr(plan.mails[0].body, "đã quá hạn 3 ngày"));
    assert_non_null(strstr(buf_str(&plan.digest), "2/3 đơn vị đã báo cáo đủ, 2 trễ hạn"));
    assert_non_null(strstr(buf_str(&plan.digest), "Phường Hai (w2): thiếu 1/1 chỉ tiêu → w2@example.vn"));
    remind_plan_free(&plan);
    /* without an e-mail of its own, a unit's reminder goes to the editors above it */
    assert_int_equal(store_user_email_set(s, "ed.w2", "", &e), 1);
    assert_int_equal(remind_plan_build(s, m, &r, -1, &p, 1, 20220617, &plan, &e), 0);
    assert_int_equal(plan.nmails, 1);
    assert_string_equal(plan.mails[0].to, "d1@example.vn");
    assert_non_null(strstr(plan.mails[0].body, "còn 3 ngày"));
    remind_plan_free(&plan);
    assert_int_equal(store_user_email_set(s, "ed.w2", "w2@example.vn", &e), 1);
    store_close(s);
    model_free(m);
}

/* `chitieu remind --reporting --send` delivers through the SMTP server of the settings. */
static void test_remind_send(void **state)
{
    (void)state;
    sink k;
    sink_start(&k);
    char url[64];
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", k.port);
    store *s;
    err_t e;
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(cycle_setting_set(s, "smtp-url", url, &e), 0);
    assert_int_equal(cycle_setting_set(s, "smtp-from", "chitieu@thanhuy.vn", &e), 0);
    store_close(s);
    char *argv[] = { "remind", "--reporting", "--db", db, "--today", "2022-06-23", "--send", NULL };
    assert_int_equal(cmd_remind(7, argv), 0);
    pthread_mutex_lock(&k.mx);
    const char *log = buf_str(&k.log);
    assert_non_null(strstr(log, "FROM <chitieu@thanhuy.vn>"));
    assert_non_null(strstr(log, "TO <w2@example.vn>"));
    assert_null(strstr(log, "duyet@example.vn"));
    assert_null(strstr(log, "TO <d1@example.vn>"));
    assert_non_null(strstr(log, "Content-Type: text/plain; charset=UTF-8"));
    assert_non_null(strstr(log, "Kính gửi Người ed.w2,"));
    assert_non_null(strstr(log, "Hạn nộp số liệu 6 tháng đầu năm 2022 là ngày 20/6/2022 (đã quá hạn 3 ngày)"));
    assert_non_null(strstr(log, "  Phường Hai: còn thiếu 1/1 chỉ tiêu:\n    - Kết nạp đảng viên (kn)\n"));
    buf subject = BUF_INIT;
    subject_of(log, &subject);
    assert_string_equal(buf_str(&subject), "Nhắc báo cáo số liệu 6 tháng đầu năm 2022, hạn 20/6/2022");
    buf_free(&subject);
    pthread_mutex_unlock(&k.mx);
    /* a server that is not there: the command fails and says so */
    assert_int_equal(store_open(db, 0, &s, &e), 0);
    assert_int_equal(cycle_setting_set(s, "smtp-url", "smtp://127.0.0.1:1", &e), 0);
    store_close(s);
    assert_int_equal(cmd_remind(7, argv), 1);
    sink_stop(&k);
}

/* Unit's completeness for p from the server's kept dates (m has a cmpl_firsts) equals the one read
 * afresh from the store (cmpl_first_dates + cmpl_compute on the same model), items and counts;
 * cmpl_run_counts gives the same rows.  Returns the kept result's state of (w, ind). */
static int same_as_fresh(store *s, model *m, const char *unit, period_t p, const char *w, const char *ind)
{
    err_t e;
    cycle_rules r;
    cmpl_result kept, fresh, counts;
    int *first = NULL;
    int u = model_unit_find(m, unit);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_int_equal(cmpl_run(s, m, &r, u, p, &kept, &e), 0);
    assert_int_equal(cmpl_run_counts(s, m, &r, u, p, &counts, &e), 0);
    assert_int_equal(cmpl_first_dates(s, m, &r, p, &first, &e), 0);
    assert_int_equal(cmpl_compute(m, &r, u, p, first, &fresh, &e), 0);
    free(first);
    assert_int_equal(kept.nitems, fresh.nitems);
    assert_memory_equal(kept.items, fresh.items, (size_t)fresh.nitems * sizeof *fresh.items);
    assert_int_equal(kept.nrows, fresh.nrows);
    assert_int_equal(counts.nrows, fresh.nrows);
    assert_memory_equal(kept.rows, fresh.rows, (size_t)fresh.nrows * sizeof *fresh.rows);
    assert_memory_equal(counts.rows, fresh.rows, (size_t)fresh.nrows * sizeof *fresh.rows);
    assert_memory_equal(&counts.total, &fresh.total, sizeof fresh.total);
    assert_int_equal(counts.nitems, 0);
    int st = state_of(m, &kept, w, ind);
    cmpl_free(&kept);
    cmpl_free(&fresh);
    cmpl_free(&counts);
    return st;
}

/* Saves (or, with value NULL, deletes) one value through the write door, as a server does: the
 * model and its kept dates follow after the commit. */
static void save_one(store *s, model *m, const char *ind, const char *unit, const char *per, const char *value)
{
    err_t e;
    buf errs = BUF_INIT;
    int n = 0, outside = 0;
    write_row row = { .kind = WRITE_VALUE, .ind = model_ind_find(m, ind), .unit = model_unit_find(m, unit) };
    assert_int_equal(period_parse(per, strlen(per), &row.p), 0);
    if (value) {
        row.v = atof(value);
        assert_int_equal(write_values(s, m, &cli_actor, &row, 1, NULL, &errs, &n, &outside, &e), 0);
    } else
        assert_int_equal(write_delete(s, m, &cli_actor, &row, 1, "thử xóa", NULL, &errs, &n, &e), 0);
    if (errs.len)
        fail_msg("%s", buf_str(&errs));
    assert_int_equal(n, 1);
    buf_free(&errs);
}

/* A server keeps the first-write dates (completeness_kept.c): after each save, deletion and
 * re-entry the dates and counts are those a fresh read of the store gives; a first write never
 * moves later (a deleted and re-entered figure keeps its first date). */
static void test_kept_after_save(void **state)
{
    (void)state;
    store *s;
    model *m;
    period_t p, year;
    open_model(&s, &m);
    assert_non_null(m->firsts = cmpl_firsts_new());
    m->firsts_free = cmpl_firsts_free;
    assert_int_equal(period_parse("2022S1", 6, &p), 0);
    assert_int_equal(period_parse("2022", 4, &year), 0);
    assert_int_equal(same_as_fresh(s, m, "city", p, "w1", "kn"), CM_ON_TIME);
    assert_int_equal(same_as_fresh(s, m, "city", p, "w2", "kn"), CM_MISSING);
    /* w2 reports now (years after the deadline): late, at once */
    save_one(s, m, "kn", "w2", "2022S1", "7");
    assert_int_equal(same_as_fresh(s, m, "city", p, "w2", "kn"), CM_LATE);
    assert_int_equal(same_as_fresh(s, m, "d1", p, "w2", "kn"), CM_LATE);
    /* w1's kn deleted, then entered again: missing, then on time again (its first write) */
    save_one(s, m, "kn", "w1", "2022S1", NULL);
    assert_int_equal(same_as_fresh(s, m, "city", p, "w1", "kn"), CM_MISSING);
    save_one(s, m, "kn", "w1", "2022S1", "6");
    assert_int_equal(same_as_fresh(s, m, "city", p, "w1", "kn"), CM_ON_TIME);
    /* a value of another period of the span (a new indicator for w2 in 2022) makes tl expected
     * of w2, in the half and in the year */
    save_one(s, m, "tl", "w2", "2022S2", "1");
    assert_int_equal(same_as_fresh(s, m, "city", p, "w2", "tl"), CM_MISSING);
    save_one(s, m, "tl", "w2", "2022S1", "1,5");
    assert_int_equal(same_as_fresh(s, m, "city", p, "w2", "tl"), CM_LATE);
    assert_int_equal(same_as_fresh(s, m, "city", year, "w2", "tl"), CM_MISSING);
    /* the year: w2's 2022S2 value deleted (the span's flags are marked again) */
    save_one(s, m, "tl", "w2", "2022S2", NULL);
    assert_int_equal(same_as_fresh(s, m, "city", p, "w2", "tl"), CM_LATE);
    assert_int_equal(same_as_fresh(s, m, "city", year, "w2", "tl"), CM_MISSING);
    /* a target set for d2: expected of it from then on */
    assert_int_equal(same_as_fresh(s, m, "city", p, "d2", "tl"), -1);
    err_t e;
    buf errs = BUF_INIT;
    int n = 0, outside = 0;
    write_row t = { .kind = WRITE_TARGET, .ind = model_ind_find(m, "tl"), .unit = model_unit_find(m, "d2"), .p = year, .v = 4 };
    assert_int_equal(write_values(s, m, &cli_actor, &t, 1, NULL, &errs, &n, &outside, &e), 0);
    assert_int_equal(n, 1);
    buf_free(&errs);
    assert_int_equal(same_as_fresh(s, m, "city", p, "d2", "tl"), CM_MISSING);
    store_close(s);
    model_free(m);
}

/* A server's dates read cell by cell (the model's cells of the period: none for the year here,
 * a few for the half) or by a scan give the same completeness as a fresh read, the figure updated
 * since its first write keeping that first date (its history), before and after saves. */
static void test_kept_read_by(void **state)
{
    (void)state;
    period_t half, year;
    assert_int_equal(period_parse("2022S1", 6, &half), 0);
    assert_int_equal(period_parse("2022", 4, &year), 0);
    for (int run = 0; run < 6; run++) {
        int how = run % 3;
        char v[16];
        store *s;
        model *m;
        (run < 3 ? open_model : open_model_held)(&s, &m);
        assert_non_null(m->firsts = cmpl_firsts_new());
        m->firsts_free = cmpl_firsts_free;
        cmpl_firsts_read_by(m->firsts, how);
        /* w1's kn: first written 19/6 (on time), written again after the deadline */
        assert_int_equal(same_as_fresh(s, m, "city", half, "w1", "kn"), CM_ON_TIME);
        same_as_fresh(s, m, "city", year, "w1", "kn");
        snprintf(v, sizeof v, "%d", 20 + run);
        save_one(s, m, "kn", "w1", "2022S1", v);
        assert_int_equal(same_as_fresh(s, m, "city", half, "w1", "kn"), CM_ON_TIME);
        save_one(s, m, "kn", "d2", "2022", "40");     /* a value of the year itself */
        assert_int_equal(same_as_fresh(s, m, "city", year, "d2", "kn"), CM_LATE);
        save_one(s, m, "kn", "d2", "2022", NULL);
        assert_int_equal(same_as_fresh(s, m, "city", year, "d2", "kn"), CM_MISSING);
        store_close(s);
        model_free(m);
    }
}

/* A server's first read of a period (the prewarm: begin, the flags marked and the cells collected a
 * unit at a time, read with no lock, kept): saves and a deletion between its steps are in what it
 * keeps, which equals a fresh read; read cell by cell and by a scan. */
static void test_kept_prewarm(void **state)
{
    (void)state;
    period_t half;
    err_t e;
    cycle_rules r;
    assert_int_equal(period_parse("2022S1", 6, &half), 0);
    /* w4, with neither targets nor values, expects its parent's targets (kn and tl) until it
     * stores a figure of its own */
    import_text("units.csv", "code,name,parent,type,valid_from,valid_to\nw4,Phường Bốn,d1,Đảng ủy phường,,\n");
    for (int how = 1; how <= 2; how++) {
        store *s;
        model *m;
        cmpl_scan *x = NULL;
        char v[16];
        open_model_held(&s, &m);
        assert_int_equal(cycle_rules_load(s, &r, &e), 0);
        assert_non_null(m->firsts = cmpl_firsts_new());
        m->firsts_free = cmpl_firsts_free;
        cmpl_firsts_read_by(m->firsts, how);
        assert_int_equal(cmpl_scan_begin(m->firsts, m, r.tz_minutes, half, &x, &e), 0);
        assert_non_null(x);
        int pieces = 0;
        while (!cmpl_scan_collect(x, m->firsts, m, 1)) {
            if (++pieces == 2)     /* units already marked and not yet: new figures of the span */
                save_one(s, m, "tl", "w2", "2022S1", how == 1 ? "2" : "3");
            if (pieces == 3)
                save_one(s, m, "kn", "d2", "2022S2", "3");
        }
        assert_int_equal(pieces, 6);  /* city, d1, d2, w1 to w4: one at a time */
        snprintf(v, sizeof v, "%d", 30 + how);
        save_one(s, m, "kn", "w4", "2022S2", v);   /* every unit marked already: w4 now expects kn only */
        save_one(s, m, "kn", "w2", "2022S1", v);   /* between the read and the end */
        assert_int_equal(cmpl_scan_run(x, s, &e), 0);
        save_one(s, m, "tl", "w1", "2022S1", v);
        assert_int_equal(cmpl_scan_end(x, m->firsts, m), 1);
        assert_int_equal(same_as_fresh(s, m, "city", half, "w2", "tl"), CM_LATE);
        assert_int_equal(same_as_fresh(s, m, "city", half, "w2", "kn"), CM_LATE);
        assert_int_equal(same_as_fresh(s, m, "city", half, "w4", "tl"), -1);
        assert_int_equal(same_as_fresh(s, m, "city", half, "w4", "kn"), CM_MISSING);
        /* again, with a deletion while collecting: the flags are marked again after */
        model_free(m);
        store_close(s);
        open_model_held(&s, &m);
        assert_non_null(m->firsts = cmpl_firsts_new());
        m->firsts_free = cmpl_firsts_free;
        cmpl_firsts_read_by(m->firsts, how);
        assert_int_equal(cmpl_scan_begin(m->firsts, m, r.tz_minutes, half, &x, &e), 0);
        assert_non_null(x);
        pieces = 0;
        while (!cmpl_scan_collect(x, m->firsts, m, 1))
            if (++pieces == 2)
                save_one(s, m, "kn", "d2", "2022S2", NULL);
        assert_int_equal(cmpl_scan_run(x, s, &e), 0);
        assert_int_equal(cmpl_scan_end(x, m->firsts, m), 1);
        while (!cmpl_scan_mark(m->firsts, m, r.tz_minutes, half, 1))
            ;
        same_as_fresh(s, m, "city", half, "d2", "kn");
        assert_int_equal(same_as_fresh(s, m, "city", half, "w2", "tl"), CM_LATE);
        model_free(m);
        store_close(s);
    }
}

typedef struct waiter {
    store *s;
    model *m;
    period_t p;
    cmpl_result res;
    int rc;
    volatile int done;
} waiter;

static void *wait_run(void *arg)
{
    waiter *w = arg;
    err_t e;
    cycle_rules r;
    w->rc = cycle_rules_load(w->s, &r, &e) || cmpl_run(w->s, w->m, &r, model_unit_find(w->m, "city"), w->p, &w->res, &e);
    w->done = 1;
    return NULL;
}

/* A reader asking for the period the prewarm is reading waits for that read (it does not read the
 * period again), then computes from what the prewarm kept: the same as a fresh read. */
static void test_kept_wait(void **state)
{
    (void)state;
    err_t e;
    cycle_rules r;
    cmpl_scan *x = NULL;
    store *s, *s2;
    model *m;
    pthread_t t;
    waiter w = { 0 };
    assert_int_equal(period_parse("2022S1", 6, &w.p), 0);
    open_model_held(&s, &m);
    assert_int_equal(store_open(db, 0, &s2, &e), 0);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    assert_non_null(m->firsts = cmpl_firsts_new());
    m->firsts_free = cmpl_firsts_free;
    assert_int_equal(cmpl_scan_begin(m->firsts, m, r.tz_minutes, w.p, &x, &e), 0);
    assert_non_null(x);
    while (!cmpl_scan_collect(x, m->firsts, m, 2))
        ;
    w.s = s2;
    w.m = m;
    assert_int_equal(pthread_create(&t, NULL, wait_run, &w), 0);
    assert_int_equal(cmpl_scan_run(x, s, &e), 0);
    poll(NULL, 0, 200);
    assert_int_equal(w.done, 0);            /* waiting for the read under way */
    assert_int_equal(cmpl_scan_end(x, m->firsts, m), 1);
    pthread_join(t, NULL);
    assert_int_equal(w.rc, 0);
    int *first = NULL;
    cmpl_result fresh;
    assert_int_equal(cmpl_first_dates(s, m, &r, w.p, &first, &e), 0);
    assert_int_equal(cmpl_compute(m, &r, model_unit_find(m, "city"), w.p, first, &fresh, &e), 0);
    assert_int_equal(w.res.nitems, fresh.nitems);
    assert_memory_equal(w.res.items, fresh.items, (size_t)fresh.nitems * sizeof *fresh.items);
    assert_memory_equal(&w.res.total, &fresh.total, sizeof fresh.total);
    free(first);
    cmpl_free(&fresh);
    cmpl_free(&w.res);
    store_close(s2);
    store_close(s);
    model_free(m);
}

/* Units that change inside a period (docs/successions.md): a ward merged on 1/7/2022 reports the
 * first half but not the year, which its successor (from 1/7/2022) reports; a unit asked about
 * for a period it ended inside expects nothing. */
static void test_units_ended_inside(void **state)
{
    (void)state;
    store *s;
    model *m;
    err_t e;
    cycle_rules r;
    cmpl_result res;
    period_t half, year;
    assert_int_equal(period_parse("2022S1", 6, &half), 0);
    assert_int_equal(period_parse("2022", 4, &year), 0);
    import_text("units.csv", "code,name,parent,type,valid_from,valid_to\n"
                             "w5,Phường Năm,d1,Đảng ủy phường,,2022-06-30\n"
                             "w6,Phường Sáu,d1,Đảng ủy phường,2022-07-01,\n");
    import_text("successions.csv", "from,to,date\nw5,w6,1/7/2022\n");
    open_model(&s, &m);
    assert_int_equal(cycle_rules_load(s, &r, &e), 0);
    int d1 = model_unit_find(m, "d1");
    assert_int_equal(cmpl_run(s, m, &r, d1, half, &res, &e), 0);
    assert_int_equal(state_of(m, &res, "w5", "kn"), CM_MISSING);   /* its parent's targets */
    assert_int_equal(state_of(m, &res, "w6", "kn"), -1);
    cmpl_free(&res);
    assert_int_equal(cmpl_run(s, m, &r, d1, year, &res, &e), 0);
    assert_int_equal(state_of(m, &res, "w5", "kn"), -1);
    assert_int_equal(state_of(m, &res, "w6", "kn"), CM_MISSING);
    for (int i = 0; i < res.nrows; i++)
        assert_string_not_equal(m->units[res.rows[i].unit].code, "w5");
    assert_non_null(row_of(m, &res, "w6"));
    cmpl_free(&res);
    assert_int_equal(cmpl_run(s, m, &r, model_unit_find(m, "w5"), year, &res, &e), 0);
    assert_int_equal(res.nrows, 0);
    assert_int_equal(res.total.expected, 0);
    cmpl_free(&res);
    store_close(s);
    model_free(m);
}

/* `chitieu completeness --format csv`: the columns are a contract. */
static void test_completeness_csv(void **state)
{
    (void)state;
    char out[80];
    snprintf(out, sizeof out, "%s.csv", db);
    char *argv[] = { "completeness", "--db", db, "--unit", "city", "--period", "2022S1", "--format", "csv", "-o", out, NULL };
    assert_int_equal(cmd_completeness(11, argv), 0);
    FILE *f = fopen(out, "r");
    assert_non_null(f);
    char text[1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    remove(out);
    assert_string_equal(text, "unit,expected,reported,on_time,missing,late,units,units_complete,units_late,name\n"
                              "d2,1,1,0,0,1,1,1,1,Quận ủy Hai\n"
                              "d1,3,2,1,1,1,2,1,1,Quận ủy Một\n");
    char *bad[] = { "completeness", "--db", db, "--unit", "city", "--period", "2022S1", "--format", "xml", NULL };
    assert_int_equal(cmd_completeness(9, bad), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_completeness_counts),
        cmocka_unit_test(test_settings),
        cmocka_unit_test(test_mail_format),
        cmocka_unit_test(test_remind_plan),
        cmocka_unit_test(test_remind_send),
        cmocka_unit_test(test_completeness_csv),
        cmocka_unit_test(test_kept_after_save),
        cmocka_unit_test(test_kept_read_by),
        cmocka_unit_test(test_kept_prewarm),
        cmocka_unit_test(test_kept_wait),
        cmocka_unit_test(test_units_ended_inside),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
