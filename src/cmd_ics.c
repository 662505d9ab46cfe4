/* cmd_ics.c - `chitieu ics --unit U`: the deadlines of the tasks led by a unit and the units below
 * it as an iCalendar feed (RFC 5545): all-day events on the deadline in force, CRLF lines folded
 * at 75 octets without splitting a UTF-8 character, text escaped, one stable UID per task made
 * unique across databases by the database's random id (meta 'instance_id').  A recurring task is
 * one event with an RRULE (the last day of each month, quarter or year) through the end of the
 * year after next, its weekend dates moved to the Monday after (EXDATE + RDATE), as task.c does. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cli.h"
#include "cmd.h"
#include "task.h"
#include "task_handover.h"

/* Appends "NAME:VALUE" (value escaped for TEXT when text != 0), folded, ending in CRLF. */
static void prop(buf *out, const char *name, const char *value, int text)
{
    buf line = BUF_INIT;
    buf_adds(&line, name);
    buf_addc(&line, ':');
    for (const char *p = value; *p; p++) {
        if (text && (*p == ',' || *p == ';' || *p == '\\'))
            buf_addc(&line, '\\'), buf_addc(&line, *p);
        else if (text && *p == '\n')
            buf_adds(&line, "\\n");
        else if (*p != '\r')
            buf_addc(&line, *p);
    }
    const unsigned char *s = (const unsigned char *)buf_str(&line);
    size_t n = line.len, col = 0;
    for (size_t i = 0; i < n;) {
        size_t clen = s[i] < 0x80 ? 1 : s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : s[i] >= 0xC0 ? 2 : 1;
        if (col + clen > 75) {
            buf_adds(out, "\r\n ");
            col = 1;
        }
        buf_add(out, s + i, clen);
        col += clen;
        i += clen;
    }
    buf_adds(out, "\r\n");
    buf_free(&line);
}

static void ymd(char *out, size_t n, int d)
{
    snprintf(out, n, "%08d", d);
}

static int next_day(int d)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int y = d / 10000, m = d / 100 % 100, day = d % 100;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (day < md[m - 1] + (m == 2 && leap))
        return d + 1;
    return m == 12 ? (y + 1) * 10000 + 101 : y * 10000 + (m + 1) * 100 + 1;
}

static int days_in(int y, int m)
{
    static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return md[m - 1] + (m == 2 && leap);
}

/* The Monday after a Saturday or Sunday d. */
static int monday_after(int d)
{
    for (int wd = task_weekday(d); wd != 0; wd = task_weekday(d))
        d = next_day(d);
    return d;
}

/* Writes the recurrence of a task due at the end of every `months` months (1, 3 or 12), first on
 * `first` (a period's last day, unmoved), until the end of year `last_year`: the RRULE, and the
 * weekend dates replaced by the Monday after. */
static void recurrence(buf *out, int first, int months, int last_year)
{
    if (months == 12)
        buf_printf(out, "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31;UNTIL=%d1231\r\n", last_year);
    else
        buf_printf(out, "RRULE:FREQ=MONTHLY;INTERVAL=%d;BYMONTHDAY=-1;UNTIL=%d1231\r\n", months, last_year);
    buf ex = BUF_INIT, rd = BUF_INIT;
    int y = first / 10000, m = first / 100 % 100;
    while (y <= last_year) {
        int d = y * 10000 + m * 100 + days_in(y, m);
        if (task_weekday(d) >= 5) {
            buf_printf(&ex, "%s%08d", ex.len ? "," : "", d);
            buf_printf(&rd, "%s%08d", rd.len ? "," : "", monday_after(d));
        }
        m += months;
        while (m > 12)
            m -= 12, y++;
    }
    if (ex.len) {
        prop(out, "EXDATE;VALUE=DATE", buf_str(&ex), 0);
        prop(out, "RDATE;VALUE=DATE", buf_str(&rd), 0);
    }
    buf_free(&ex);
    buf_free(&rd);
}

int cmd_ics(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *outp = NULL, *today_s = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--out", "-o", &outp, NULL }, { "--today", NULL, &today_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu ics --unit MÃ [-o TỆP.ics] [--today YYYY-MM-DD]\n"
                "Lịch iCalendar các hạn nhiệm vụ do đơn vị và các đơn vị trực thuộc chủ trì (mở bằng Outlook, Google\n"
                "Calendar, điện thoại). Nhiệm vụ định kỳ: một sự kiện lặp lại (RRULE) vào ngày cuối mỗi tháng, quý\n"
                "hoặc năm đến hết năm sau nữa, ngày rơi vào thứ Bảy, Chủ nhật chuyển sang thứ Hai.",
                "Usage: chitieu ics --unit CODE [-o FILE.ics] [--today YYYY-MM-DD]\n"
                "iCalendar feed of the deadlines of tasks led by the unit and the units below it (Outlook, Google\n"
                "Calendar, phones). Recurring tasks: one repeating event (RRULE) on the last day of each month,\n"
                "quarter or year through the end of the year after next, weekend dates moved to the Monday."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("ics", npos)) != 0)
        return rc;
    int today;
    if (unit == NULL) {
        cli_error("ics", tr("cần --unit MÃ_ĐƠN_VỊ", "--unit CODE is required"));
        return EXIT_USAGE;
    }
    if (cmd_tasks_today("ics", today_s, &today) != 0)
        return EXIT_USAGE;
    store *s = NULL;
    model *m = NULL;
    task_set ts = { 0 };
    buf out = BUF_INIT;
    rc = EXIT_FAIL;
    if (cmd_tasks_open("ics", db, &s, &m, &ts) != 0)
        goto cleanup;
    int root = model_unit_find(m, unit);
    if (root < 0) {
        fprintf(stderr, tr("chitieu ics: không có đơn vị '%s'\n", "chitieu ics: no unit '%s'\n"), unit);
        goto cleanup;
    }
    char stamp[32];
    ymd(stamp, sizeof stamp, today);
    buf inst = BUF_INIT;
    err_t e;
    if (store_instance_id(s, &inst, &e) != 0) {
        cli_error("ics", e.msg);
        buf_free(&inst);
        goto cleanup;
    }
    buf_adds(&out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//chitieu//tasks//VI\r\nCALSCALE:GREGORIAN\r\n");
    prop(&out, "X-WR-CALNAME", m->units[root].name, 1);
    for (int i = 0; i < ts.n; i++) {
        const task_t *t = &ts.items[i];
        int u = model_unit_find(m, t->lead_unit), due = task_due_date(t, today);
        if ((t->kind != TK_TASK && t->kind != TK_SUBTASK) || u < 0 || !auth_in_subtree(m, root, u) || !due)
            continue;
        char d1[16], d2[16], uid[200];
        int months = t->recur == TR_MONTH ? 1 : t->recur == TR_QUARTER ? 3 : t->recur == TR_YEAR ? 12 : 0;
        int first = due;
        if (months) {                       /* the current period's last day, not moved */
            int ty = today / 10000, tm = today / 100 % 100;
            int em = months == 12 ? 12 : months == 3 ? ((tm - 1) / 3 + 1) * 3 : tm;
            first = ty * 10000 + em * 100 + days_in(ty, em);
        }
        ymd(d1, sizeof d1, first);
        ymd(d2, sizeof d2, next_day(first));
        snprintf(uid, sizeof uid, "%s-%s@chitieu", t->code, buf_str(&inst));
        buf desc = BUF_INIT;
        buf_printf(&desc, "%s: %s. %s: %d%%.", tr("Trạng thái", "Status"), task_status_name(task_status(t, today)),
                   tr("Tiến độ", "Progress"), t->progress);
        if (*t->owner)
            buf_printf(&desc, "\n%s: %s", tr("Người chịu trách nhiệm", "Responsible"), t->owner);
        if (*t->programme)
            buf_printf(&desc, "\n%s: %s", tr("Chương trình", "Programme"), t->programme);
        if (!task_unit_current(m, u, today)) {  /* a lead unit gone with no successor: say so */
            buf_printf(&desc, "\n%s: %s", tr("Chủ trì", "Lead"), m->units[u].name);
            task_unit_mark(m, u, today, &desc);
        }
        buf_adds(&out, "BEGIN:VEVENT\r\n");
        prop(&out, "UID", uid, 0);
        buf_printf(&out, "DTSTAMP:%sT000000Z\r\n", stamp);
        buf_printf(&out, "DTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\n", d1, d2);
        if (months)
            recurrence(&out, first, months, today / 10000 + 2);
        prop(&out, "SUMMARY", t->title, 1);
        prop(&out, "DESCRIPTION", buf_str(&desc), 1);
        buf_adds(&out, "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n");
        buf_free(&desc);
    }
    buf_adds(&out, "END:VCALENDAR\r\n");
    buf_free(&inst);
    rc = cli_write("ics", outp, &out) == 0 ? EXIT_OK : EXIT_FAIL;
cleanup:
    buf_free(&out);
    task_set_free(&ts);
    store_close(s);
    model_free(m);
    return rc;
}
