/* cmd_remind.c - `chitieu remind`: the daily digest, one section per lead unit valid today, of its
 * overdue tasks and those due within --within days, for sending by mail or chat; the tasks of a
 * lead unit no longer valid (dissolved with no successor, so not handed over) come last, marked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "task.h"
#include "task_handover.h"
#include "vn.h"

/* One task's line: code, title, deadline, days, progress, owner (and, for a lead unit no longer
 * valid, which unit it is). */
static void remind_line(buf *out, const model *m, const task_t *t, int lu, int orphan, int today)
{
    int due = task_due_date(t, today), gap = task_days_between(today, due);
    buf dd = BUF_INIT;
    vn_format_date(due, lang_get(), &dd);
    buf_printf(out, "    %s  %s — %s %s, ", t->code, t->title, tr("hạn", "due"), buf_str(&dd));
    if (gap < 0)
        buf_printf(out, tr("quá %d ngày", "%d days late"), -gap);
    else if (gap == 0)
        buf_adds(out, tr("hôm nay", "today"));
    else
        buf_printf(out, tr("còn %d ngày", "%d days left"), gap);
    buf_printf(out, tr(", đã làm %d%%", ", %d%% done"), t->progress);
    if (*t->owner)
        buf_printf(out, " — %s", t->owner);
    if (orphan) {
        buf_printf(out, " — %s %s", tr("chủ trì:", "lead:"), lu >= 0 ? m->units[lu].name : t->lead_unit);
        task_unit_mark(m, lu, today, out);
    }
    buf_addc(out, '\n');
    buf_free(&dd);
}

int cmd_remind(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)     /* reminders to report: cmd_remind_reporting.c */
        if (strcmp(argv[i], "--reporting") == 0)
            return cmd_remind_reporting(argc, argv);
    const char *db = NULL, *today_s = NULL, *within_s = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--today", NULL, &today_s, NULL },
                             { "--within", NULL, &within_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu remind [--today YYYY-MM-DD] [--within NGÀY]   (nhắc báo cáo số liệu: --reporting --help)\n"
                "Bản nhắc việc: với mỗi đơn vị chủ trì, các nhiệm vụ quá hạn và sắp đến hạn (mặc định trong 7 ngày).",
                "Usage: chitieu remind [--today YYYY-MM-DD] [--within DAYS]   (reminders to report figures: --reporting --help)\n"
                "Reminder digest: for each lead unit, its overdue tasks and those due soon (default: within 7 days)."));
        return EXIT_OK;
    }
    int today, within = within_s ? atoi(within_s) : 7;
    if ((rc = cli_no_args("remind", npos)) != 0)
        return rc;
    if (cmd_tasks_today("remind", today_s, &today) != 0 || within < 0 || within > 365) {
        if (within < 0 || within > 365)
            cli_error("remind", tr("--within cần số ngày từ 0 đến 365", "--within needs 0 to 365 days"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    task_set ts = { 0 };
    buf out = BUF_INIT, d = BUF_INIT;
    rc = EXIT_FAIL;
    if (cmd_tasks_open("remind", db, &s, &m, &ts) != 0)
        goto cleanup;
    vn_format_date(today, lang_get(), &d);
    int sections = 0;
    /* units valid today, each with its own section; then, once, the tasks whose lead unit is
     * not valid today or unknown (not handed over: no successor), so none is dropped */
    for (size_t u = 0; u <= m->nunits; u++) {
        if (u < m->nunits && !task_unit_current(m, (int)u, today))
            continue;
        int header = 0;
        for (int cls = TD_OVERDUE; cls <= TD_SOON; cls++) {
            int count = 0;
            for (int i = 0; i < ts.n; i++) {
                const task_t *t = &ts.items[i];
                if ((t->kind != TK_TASK && t->kind != TK_SUBTASK) || task_due_class(t, today, within) != cls)
                    continue;
                int lu = model_unit_find(m, t->lead_unit);
                if (u < m->nunits ? lu != (int)u : task_unit_current(m, lu, today))
                    continue;
                if (!header) {
                    if (u < m->nunits)
                        buf_printf(&out, tr("%s — nhắc việc ngày %s\n", "%s — reminders for %s\n"), m->units[u].name,
                                   buf_str(&d));
                    else
                        buf_printf(&out, tr("Đơn vị chủ trì không còn hiệu lực, chưa có đơn vị kế thừa — cần giao lại "
                                            "(ngày %s)\n", "Lead unit no longer valid, with no successor — to be "
                                            "reassigned (%s)\n"), buf_str(&d));
                    header = 1;
                    sections++;
                }
                if (count++ == 0)
                    buf_printf(&out, "  %s:\n", task_due_name(cls));
                remind_line(&out, m, t, lu, u == m->nunits, today);
            }
        }
        if (header)
            buf_addc(&out, '\n');
    }
    if (sections == 0)
        buf_printf(&out, tr("Không có nhiệm vụ quá hạn hay sắp đến hạn ngày %s.\n", "No overdue or soon-due tasks on %s.\n"),
                   buf_str(&d));
    fputs(buf_str(&out), stdout);
    rc = EXIT_OK;
cleanup:
    buf_free(&out);
    buf_free(&d);
    task_set_free(&ts);
    store_close(s);
    model_free(m);
    return rc;
}
