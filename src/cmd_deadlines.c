/* cmd_deadlines.c - `chitieu deadlines [KEY=VALUE ...] [--period P]`: shows and sets the
 * reporting cycle's settings (cycle_store.h): the deadline of each kind of period, the kinds units
 * report on, the cut-off window, the reminder days, the offices' time zone and the SMTP server.
 * Settings are written in one transaction: one bad KEY=VALUE and nothing changes. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "cycle_store.h"
#include "vn.h"

static const char help_vi[] =
    "Cách dùng: chitieu deadlines [KHÓA=GIÁ_TRỊ ...] [--period KỲ]\n"
    "Không có KHÓA=GIÁ_TRỊ: in các thiết lập của chu kỳ báo cáo (và hạn, khoảng số liệu của --period).\n"
    "Khóa:\n"
    "  month, quarter, half, m9, year, term  hạn nộp: NGÀY của tháng cuối kỳ, hoặc NGÀY+N (tháng thứ N sau đó);\n"
    "                                        31 = ngày cuối tháng; mặc định 20 (6 tháng: 20/6)\n"
    "  periods        loại kỳ đơn vị phải báo cáo, ví dụ half,year (mặc định); lệnh remind dùng\n"
    "  cutoff         khoảng số liệu: calendar (mặc định) hoặc decree09 (Nghị định 09/2019: từ ngày 15\n"
    "                 tháng trước đến ngày 14), hoặc một ngày 2-28\n"
    "  remind-before  nhắc từ bao nhiêu ngày trước hạn (mặc định 5); remind-after: đến bao nhiêu ngày sau (30)\n"
    "  tz             độ lệch giờ so với UTC, phút (mặc định 420 = UTC+7), để tính ngày nhập số liệu\n"
    "  smtp-url       máy chủ thư: smtp://MÁY:CỔNG hoặc smtps://...; smtp-from: địa chỉ gửi;\n"
    "                 smtp-user, smtp-password: tài khoản (nếu máy chủ yêu cầu)\n"
    "KHÓA= (để trống) trả về mặc định.";
static const char help_en[] =
    "Usage: chitieu deadlines [KEY=VALUE ...] [--period PERIOD]\n"
    "Without KEY=VALUE: prints the reporting cycle's settings (and the deadline and data window of --period).\n"
    "Keys:\n"
    "  month, quarter, half, m9, year, term  deadline: DAY of the period's last month, or DAY+N (the N-th\n"
    "                                        month after it); 31 = the month's last day; default 20 (half: 20 June)\n"
    "  periods        the kinds of period units report on, e.g. half,year (default); used by remind\n"
    "  cutoff         data window: calendar (default) or decree09 (Decree 09/2019: from the 15th of the\n"
    "                 previous month to the 14th), or a day 2-28\n"
    "  remind-before  remind from so many days before the deadline (default 5); remind-after: until so many after (30)\n"
    "  tz             the offices' offset from UTC in minutes (default 420 = UTC+7), to date the writes\n"
    "  smtp-url       mail server: smtp://HOST:PORT or smtps://...; smtp-from: the sender's address;\n"
    "                 smtp-user, smtp-password: the account (when the server asks for one)\n"
    "KEY= (empty) returns it to the default.";

static void show(store *s, const cycle_rules *r, err_t *e, buf *out)
{
    char v[256], def[32];
    for (int i = 0; cycle_setting_keys[i]; i++) {
        const char *key = cycle_setting_keys[i];
        int k = cycle_kind_parse(key);
        if (cycle_setting_get(s, key, v, sizeof v, e) < 0)
            snprintf(v, sizeof v, "?");
        if (strcmp(key, "smtp-password") == 0 && *v)
            snprintf(v, sizeof v, "******");
        def[0] = '\0';
        if (k > 0)
            cycle_due_format(r->due[k], def, sizeof def);
        else if (strcmp(key, "cutoff") == 0)
            snprintf(def, sizeof def, "%s", r->cutoff_day ? "" : "calendar");
        if (*v)
            buf_printf(out, "%-14s %s\n", key, v);
        else
            buf_printf(out, "%-14s %s(%s)\n", key, def, tr("mặc định", "default"));
    }
}

static void show_period(const model *m, const cycle_rules *r, period_t p, buf *out)
{
    char label[96];
    int from, to;
    buf d = BUF_INIT, f = BUF_INIT, t = BUF_INIT;
    model_period_label(m, p, lang_get() == LANG_EN, label, sizeof label);
    cycle_window(r, p, &from, &to);
    vn_format_date(cycle_deadline(r, p), lang_get(), &d);
    vn_format_date(from, lang_get(), &f);
    vn_format_date(to, lang_get(), &t);
    buf_printf(out, tr("\n%s: hạn nộp %s; số liệu tính từ %s đến %s\n", "\n%s: due %s; figures from %s to %s\n"),
               label, buf_str(&d), buf_str(&f), buf_str(&t));
    buf_free(&d);
    buf_free(&f);
    buf_free(&t);
}

/* Applies the KEY=VALUE arguments in one transaction; 0, or prints and returns an exit code. */
static int apply(store *s, int npos, char **argv)
{
    err_t e;
    if (store_begin(s, &e) != 0) {
        cli_error("deadlines", e.msg);
        return EXIT_FAIL;
    }
    for (int i = 1; i <= npos; i++) {
        char key[32];
        const char *eq = strchr(argv[i], '=');
        size_t n = eq ? (size_t)(eq - argv[i]) : 0;
        if (eq == NULL || n == 0 || n >= sizeof key) {
            store_rollback(s);
            fprintf(stderr, tr("chitieu deadlines: '%s': cần KHÓA=GIÁ_TRỊ (xem --help)\n",
                               "chitieu deadlines: '%s': needs KEY=VALUE (see --help)\n"), argv[i]);
            return EXIT_USAGE;
        }
        memcpy(key, argv[i], n);
        key[n] = '\0';
        if (cycle_setting_set(s, key, eq + 1, &e) != 0) {
            store_rollback(s);
            cli_error("deadlines", e.msg);
            return EXIT_USAGE;
        }
    }
    if (store_commit(s, &e) != 0) {
        cli_error("deadlines", e.msg);
        return EXIT_FAIL;
    }
    return 0;
}

int cmd_deadlines(int argc, char **argv)
{
    const char *db = NULL, *period = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--period", NULL, &period, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr(help_vi, help_en));
        return EXIT_OK;
    }
    store *s = NULL;
    model *m = NULL;
    cycle_rules r;
    err_t e;
    buf out = BUF_INIT;
    period_t p = { 0 };
    if (period && period_parse(period, strlen(period), &p) != 0) {
        fprintf(stderr, tr("chitieu deadlines: kỳ '%s' không hợp lệ\n", "chitieu deadlines: invalid period '%s'\n"), period);
        return EXIT_USAGE;
    }
    if (cli_open_part("deadlines", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    rc = npos ? apply(s, npos, argv) : 0;
    if (rc == 0 && cycle_rules_load(s, &r, &e) != 0) {
        cli_error("deadlines", e.msg);
        rc = EXIT_FAIL;
    }
    if (rc == 0) {
        show(s, &r, &e, &out);
        if (period)
            show_period(m, &r, p, &out);
        fputs(buf_str(&out), stdout);
    }
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
