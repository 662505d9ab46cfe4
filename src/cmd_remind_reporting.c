/* cmd_remind_reporting.c - `chitieu remind --reporting [--unit U] [--period P] [--today D]
 * [--send]`: the digest of the units that have not reported in full for the periods whose
 * deadline is near or past (cycle.h, reminder days), and, with --send, one e-mail per editor
 * through the SMTP server of the settings (mail.h); each message sent goes to the audit log. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "cycle_store.h"
#include "mail.h"
#include "remind.h"
#include "store_web.h"

static const char help_vi[] =
    "Cách dùng: chitieu remind --reporting [--unit ĐƠN_VỊ] [--period KỲ] [--today YYYY-MM-DD] [--send]\n"
    "Nhắc báo cáo: các đơn vị chưa báo cáo đủ số liệu của các kỳ sắp đến hạn hoặc đã quá hạn (theo\n"
    "'chitieu deadlines': loại kỳ periods, remind-before, remind-after), hoặc của --period.\n"
    "Không có --send: chỉ in bản tổng hợp và các thư sẽ gửi. Có --send: gửi thư tới người nhập liệu\n"
    "của từng đơn vị (chitieu user email) qua máy chủ smtp-url.";
static const char help_en[] =
    "Usage: chitieu remind --reporting [--unit UNIT] [--period PERIOD] [--today YYYY-MM-DD] [--send]\n"
    "Reminders to report: the units that have not reported in full for the periods due soon or overdue\n"
    "(per 'chitieu deadlines': periods, remind-before, remind-after), or for --period.\n"
    "Without --send: prints the digest and the messages it would send. With --send: mails each unit's\n"
    "editors (chitieu user email) through the smtp-url server.";

/* Sends every planned message; prints one line each; returns the number that failed. */
static int send_all(store *s, const remind_plan *plan, const cycle_smtp *smtp)
{
    int failed = 0;
    for (int i = 0; i < plan->nmails; i++) {
        const remind_mail *ml = &plan->mails[i];
        const char *to[1] = { ml->to };
        mail_msg msg = { smtp->from, to, 1, ml->subject, ml->body, (long long)time(NULL) };
        err_t e;
        char per[PERIOD_CODE_MAX];
        period_code(ml->p, per, sizeof per);
        if (mail_send(smtp->url, smtp->user, smtp->password, &msg, &e) != 0) {
            fprintf(stderr, "chitieu remind: %s: %s\n", ml->to, e.msg);
            failed++;
            continue;
        }
        printf(tr("Đã gửi thư tới %s (%s)\n", "Mail sent to %s (%s)\n"), ml->to, per);
        if (store_audit_add(s, "chitieu", "remind", per, ml->to, &e) != 0)
            fprintf(stderr, "chitieu remind: %s\n", e.msg);
    }
    return failed;
}

int cmd_remind_reporting(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *today_s = NULL;
    int help, npos, rc, reporting = 0, send = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--today", NULL, &today_s, NULL },
                             { "--reporting", NULL, NULL, &reporting }, { "--send", NULL, NULL, &send }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr(help_vi, help_en));
        return EXIT_OK;
    }
    int today;
    period_t ps[64];
    int nper = 0, u = -1;
    if ((rc = cli_no_args("remind", npos)) != 0 || cmd_tasks_today("remind", today_s, &today) != 0)
        return rc ? rc : EXIT_USAGE;
    if (period && period_parse(period, strlen(period), &ps[0]) != 0) {
        fprintf(stderr, tr("chitieu remind: kỳ '%s' không hợp lệ\n", "chitieu remind: invalid period '%s'\n"), period);
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    cycle_rules r;
    cycle_smtp smtp;
    remind_plan plan = { 0 };
    err_t e;
    rc = EXIT_FAIL;
    if (cli_open_part("remind", db, STORE_TARGETS | STORE_VALUES, &s, &m) != 0)
        return EXIT_FAIL;
    if (unit && (u = model_unit_find(m, unit)) < 0) {
        fprintf(stderr, tr("chitieu remind: không có đơn vị '%s'\n", "chitieu remind: no unit '%s'\n"), unit);
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (cycle_rules_load(s, &r, &e) != 0 || cycle_smtp_load(s, &smtp, &e) != 0) {
        cli_error("remind", e.msg);
        goto cleanup;
    }
    nper = period ? 1 : cycle_due_periods(&r, today, ps, 64);
    if (remind_plan_build(s, m, &r, u, ps, nper, today, &plan, &e) != 0) {
        cli_error("remind", e.msg);
        goto cleanup;
    }
    if (nper == 0)
        puts(tr("Không có kỳ báo cáo nào sắp đến hạn hay vừa quá hạn.", "No reporting period is due soon or just overdue."));
    fputs(buf_str(&plan.digest), stdout);
    if (!send) {
        for (int i = 0; i < plan.nmails; i++)
            printf(tr("\n--- thư sẽ gửi tới %s: %s\n%s", "\n--- would mail %s: %s\n%s"), plan.mails[i].to,
                   plan.mails[i].subject, plan.mails[i].body);
        rc = EXIT_OK;
        goto cleanup;
    }
    if (plan.nmails > 0 && (*smtp.url == '\0' || *smtp.from == '\0')) {
        cli_error("remind", tr("chưa đặt máy chủ thư: chitieu deadlines smtp-url=smtp://MÁY:CỔNG smtp-from=ĐỊA_CHỈ",
                               "no mail server set: chitieu deadlines smtp-url=smtp://HOST:PORT smtp-from=ADDRESS"));
        goto cleanup;
    }
    rc = send_all(s, &plan, &smtp) == 0 ? EXIT_OK : EXIT_FAIL;
cleanup:
    remind_plan_free(&plan);
    store_close(s);
    model_free(m);
    return rc;
}
