/* cmd_approval.c - `chitieu approval submit|approve|return|unlock|list|levels`: the reporting
 * cycle from the command line, through the same write module (write.h) as the web and the API.
 *
 * A step acts as the web user named by --user (their role and unit decide, as in the web);
 * `list` prints the data sets that are not drafts; `levels` shows or sets the unit types
 * whose approvers decide for the level below (the database setting 'approval_levels').
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "cli.h"
#include "cmd.h"
#include "store_web.h"
#include "vn.h"
#include "write.h"

static const char help_vi[] =
    "Cách dùng:\n"
    "  chitieu approval submit|approve|return|unlock --unit MÃ --period KỲ --user TÊN [--reason LÝ_DO] [--targets]\n"
    "  chitieu approval list [--unit MÃ] [--period KỲ]\n"
    "  chitieu approval levels [--set \"Quận ủy,Thành ủy\"]\n"
    "Chu trình: người nhập liệu của đơn vị gửi duyệt (submit); người phê duyệt của cấp trên duyệt\n"
    "(approve, khóa số liệu) hoặc trả lại (return, cần --reason); chỉ quản trị mở khóa (unlock,\n"
    "cần --reason). Số liệu đã gửi hoặc đã duyệt của một đơn vị, một kỳ khóa cả số liệu của các\n"
    "đơn vị trực thuộc và của các kỳ nằm trong kỳ đó. 'levels' đặt các loại đơn vị có quyền duyệt\n"
    "cho cấp dưới (mặc định: đơn vị cấp trên trực tiếp). --targets: các bước cho bộ kế hoạch (ví dụ của\n"
    "nhiệm kỳ 2020-2025) thay cho số liệu; kế hoạch đã gửi, đã duyệt bị khóa như số liệu. Mọi bước ghi vào nhật ký.";
static const char help_en[] =
    "Usage:\n"
    "  chitieu approval submit|approve|return|unlock --unit CODE --period PERIOD --user LOGIN [--reason TEXT] [--targets]\n"
    "  chitieu approval list [--unit CODE] [--period PERIOD]\n"
    "  chitieu approval levels [--set \"District,City\"]\n"
    "The cycle: an editor of the unit submits; an approver of the level above approves (which locks\n"
    "the data) or returns it (--reason required); only an administrator unlocks (--reason required).\n"
    "Submitted or approved data of a unit and period locks the figures of every unit below it and of\n"
    "every period within it. 'levels' sets the unit types whose approvers decide for the level below\n"
    "(default: the parent unit). --targets: the steps act on the set of targets (e.g. of the term\n"
    "2020-2025) instead of the figures; submitted or approved targets are locked like figures.\n"
    "Every step goes to the audit log.";

static int list(store *s, const model *m, const char *unit, const char *period)
{
    int root = -1;
    period_t within = { 0 };
    if (unit && (root = model_unit_find(m, unit)) < 0) {
        cli_error("approval", tr("không có đơn vị này", "no such unit"));
        return EXIT_USAGE;
    }
    if (period && period_parse(period, strlen(period), &within) != 0) {
        cli_error("approval", tr("kỳ không hợp lệ (ví dụ 2022, 2022S1, 2022Q2, 2022-05, 2020-2025)",
                                 "invalid period (e.g. 2022, 2022S1, 2022Q2, 2022-05, 2020-2025)"));
        return EXIT_USAGE;
    }
    web_sub *subs = NULL;
    err_t e;
    int n = store_sub_list(s, &subs, &e);
    if (n < 0) {
        cli_error("approval", e.msg);
        return EXIT_FAIL;
    }
    buf at = BUF_INIT;
    printf("%-16s %-10s %-10s %-16s %-26s %s\n", tr("đơn vị", "unit"), tr("kỳ", "period"), tr("trạng thái", "state"),
           tr("người", "by"), tr("lúc (" VN_TZ_NAME_VI ")", "at (" VN_TZ_NAME_EN ")"), tr("ý kiến", "comment"));
    for (int k = 0; k < n; k++) {
        int u = model_unit_find(m, subs[k].unit), targets;
        const char *code = write_key_period(subs[k].period, &targets);
        period_t p;
        if (root >= 0 && (u < 0 || !auth_in_subtree(m, root, u)))
            continue;
        if (period && (period_parse(code, strlen(code), &p) != 0 || !period_contains(within, p)))
            continue;
        buf_reset(&at);
        audit_time(&at, subs[k].at);     /* the local time the web's pages and the audit log show */
        printf("%-16s %-10s %-10s %-16s %-26s %s\n", subs[k].unit, subs[k].period, store_sub_key(subs[k].state),
               subs[k].who, buf_str(&at), subs[k].comment);
    }
    buf_free(&at);
    free(subs);
    return EXIT_OK;
}

static int levels(store *s, const char *set)
{
    err_t e;
    char v[512];
    if (set && store_meta_set(s, "approval_levels", set, &e) != 0) {
        cli_error("approval", e.msg);
        return EXIT_FAIL;
    }
    if (store_meta_get(s, "approval_levels", v, sizeof v, &e) < 0) {
        cli_error("approval", e.msg);
        return EXIT_FAIL;
    }
    printf("%s\n", *v ? v : tr("(mặc định: đơn vị cấp trên trực tiếp duyệt)", "(default: the parent unit approves)"));
    return EXIT_OK;
}

/* Takes one step as the web user `login`. */
static int step(store *s, const model *m, int st, int targets, const char *unit, const char *period,
                const char *login, const char *reason)
{
    int u;
    period_t p;
    web_user usr;
    err_t e;
    if (login == NULL) {
        cli_error("approval", tr("cần --user TÊN_ĐĂNG_NHẬP (người dùng web thực hiện bước này)",
                                 "--user LOGIN is required (the web user taking this step)"));
        return EXIT_USAGE;
    }
    if (cli_unit_period("approval", m, unit, period, &u, &p) != 0)
        return EXIT_USAGE;
    int found = store_user_get(s, login, &usr, NULL, 0, &e);
    if (found <= 0 || usr.disabled) {
        cli_error("approval", found < 0 ? e.msg : tr("không có người dùng này (hoặc đã bị khóa)",
                                                    "no such user (or disabled)"));
        return found < 0 ? EXIT_FAIL : EXIT_USAGE;
    }
    write_actor a = { usr.login, auth_role_parse(usr.role), model_unit_find(m, usr.unit), "cli", 0, isatty(2) };
    if (a.role < 0 || a.unit < 0) {
        cli_error("approval", tr("người dùng không có vai trò hoặc đơn vị hợp lệ", "the user has no valid role or unit"));
        return EXIT_FAIL;
    }
    int r = write_approval(s, m, &a, st, targets, u, p, reason, &e);
    if (r != 0) {
        cli_error("approval", e.msg);
        return EXIT_FAIL;
    }
    static const char *const done_vi[] = { "Đã gửi duyệt", "Đã duyệt và khóa", "Đã trả lại", "Đã mở khóa" };
    static const char *const done_en[] = { "Submitted", "Approved and locked", "Returned", "Unlocked" };
    printf("%s: %s%s %s\n", tr(done_vi[st], done_en[st]), targets ? tr("kế hoạch ", "targets of ") : "",
           m->units[u].code, period);
    return EXIT_OK;
}

int cmd_approval(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *login = NULL, *reason = NULL, *set = NULL;
    int help = 0, npos = 0, rc, targets = 0;
    cli_opt opts[] = {
        { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL }, { "--period", NULL, &period, NULL },
        { "--user", NULL, &login, NULL }, { "--reason", NULL, &reason, NULL }, { "--set", NULL, &set, NULL },
        { "--targets", NULL, NULL, &targets }, { NULL, NULL, NULL, NULL },
    };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr(help_vi, help_en));
        return EXIT_OK;
    }
    const char *verb = npos == 1 ? argv[1] : "";
    int st = write_step_parse(verb);
    if (st < 0 && strcmp(verb, "list") != 0 && strcmp(verb, "levels") != 0) {
        cli_error("approval", tr("cần: submit|approve|return|unlock|list|levels (xem 'chitieu approval --help')",
                                 "expected submit|approve|return|unlock|list|levels (see 'chitieu approval --help')"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    if (cli_open_part("approval", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    if (st >= 0)
        rc = step(s, m, st, targets, unit, period, login, reason);
    else if (strcmp(verb, "list") == 0)
        rc = list(s, m, unit, period);
    else
        rc = levels(s, set);
    store_close(s);
    model_free(m);
    return rc;
}
