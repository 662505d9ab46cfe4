/* cmd_tasks.c - `chitieu tasks`: the work items of a unit's subtree with their derived status and
 * deadline class, filtered and sorted by deadline; text, CSV or JSON.  Also the loader shared by
 * `remind` and `ics` (cmd_tasks_open). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cli.h"
#include "cmd.h"
#include "store_task.h"
#include "task.h"
#include "task_handover.h"
#include "vn.h"

int cmd_tasks_today(const char *cmd, const char *s, int *today)
{
    if (s == NULL) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        *today = (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
        return 0;
    }
    if (task_parse_date(s, today) != 0) {
        cli_error(cmd, tr("--today cần một ngày như 2024-06-28", "--today needs a date like 2024-06-28"));
        return -1;
    }
    return 0;
}

int cmd_tasks_open(const char *cmd, const char *db, store **s, model **m, task_set *ts)
{
    err_t e;
    if (cli_open_part(cmd, db, 0, s, m) != 0)
        return -1;
    if (store_task_load(*s, ts, &e) != 0) {
        cli_error(cmd, e.msg);
        return -1;
    }
    return 0;
}

static void date_text(buf *b, int d)
{
    if (d)
        vn_format_date(d, lang_get(), b);
}

static int by_due(const void *a, const void *b, void *arg);
typedef struct sorter { const task_set *ts; int today; } sorter;
static int by_due(const void *a, const void *b, void *arg)
{
    const sorter *s = arg;
    int da = task_due_date(&s->ts->items[*(const int *)a], s->today);
    int db = task_due_date(&s->ts->items[*(const int *)b], s->today);
    if (!da != !db)
        return da ? -1 : 1;
    return da != db ? (da < db ? -1 : 1) : *(const int *)a - *(const int *)b;
}

int cmd_tasks(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *within = NULL, *prog = NULL, *status = NULL, *fmt = "text", *today_s = NULL;
    int help, npos, overdue = 0, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--due-within", NULL, &within, NULL }, { "--overdue", NULL, NULL, &overdue },
                             { "--programme", NULL, &prog, NULL }, { "--status", NULL, &status, NULL },
                             { "--format", NULL, &fmt, NULL }, { "--today", NULL, &today_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu tasks [--unit MÃ] [--due-within NGÀY] [--overdue] [--programme MÃ]\n"
                "                     [--status TRẠNG_THÁI] [--format text|csv|json] [--today YYYY-MM-DD]\n"
                "Liệt kê nhiệm vụ do đơn vị (và các đơn vị trực thuộc) chủ trì, xếp theo hạn: trạng thái\n"
                "(chưa thực hiện, đang thực hiện, hoàn thành đúng hạn, hoàn thành quá hạn, quá hạn chưa hoàn thành,\n"
                "tạm dừng) và nhóm hạn (Quá hạn, Sắp đến hạn, Chưa đến hạn, Chưa có hạn) tính theo ngày --today.\n"
                "  --due-within N  chỉ các nhiệm vụ chưa xong đến hạn trong N ngày tới (kể cả quá hạn)\n"
                "  --overdue       chỉ các nhiệm vụ quá hạn chưa hoàn thành",
                "Usage: chitieu tasks [--unit CODE] [--due-within DAYS] [--overdue] [--programme CODE]\n"
                "                     [--status STATUS] [--format text|csv|json] [--today YYYY-MM-DD]\n"
                "Lists the tasks led by the unit (and the units below it), by deadline, with the status and\n"
                "deadline class derived for --today (default: today).\n"
                "  --due-within N  only unfinished tasks due within N days (overdue included)\n"
                "  --overdue       only overdue unfinished tasks"));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("tasks", npos)) != 0 || (rc = cli_format("tasks", fmt, "text|csv|json")) != 0)
        return rc;
    int today, days = within ? atoi(within) : -1, want_st = status ? task_status_parse(status) : -1;
    if (cmd_tasks_today("tasks", today_s, &today) != 0 || (within && (days < 0 || days > 3650)) || (status && want_st < 0)) {
        if (status && want_st < 0)
            cli_error("tasks", tr("--status: not_started, in_progress, done_on_time, done_late, overdue, paused",
                                  "--status: not_started, in_progress, done_on_time, done_late, overdue, paused"));
        else if (within)
            cli_error("tasks", tr("--due-within cần số ngày từ 0 đến 3650", "--due-within needs 0 to 3650 days"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    task_set ts = { 0 };
    rc = EXIT_FAIL;
    int *idx = NULL, n = 0;
    buf out = BUF_INIT;
    json_t *arr = NULL;
    if (cmd_tasks_open("tasks", db, &s, &m, &ts) != 0)
        goto cleanup;
    int root = unit ? model_unit_find(m, unit) : -1;
    if (unit && root < 0) {
        fprintf(stderr, tr("chitieu tasks: không có đơn vị '%s'\n", "chitieu tasks: no unit '%s'\n"), unit);
        goto cleanup;
    }
    if (prog && task_find(&ts, prog) < 0) {
        fprintf(stderr, tr("chitieu tasks: không có chương trình '%s'\n", "chitieu tasks: no programme '%s'\n"), prog);
        goto cleanup;
    }
    idx = calloc((size_t)ts.n + 1, sizeof *idx);
    if (idx == NULL)
        goto cleanup;
    for (int i = 0; i < ts.n; i++) {
        const task_t *t = &ts.items[i];
        if (t->kind != TK_TASK && t->kind != TK_SUBTASK)
            continue;
        int st = task_status(t, today), dc = task_due_class(t, today, days >= 0 ? days : 14);
        int u = model_unit_find(m, t->lead_unit);
        if (root >= 0 && (u < 0 || !auth_in_subtree(m, root, u)))
            continue;
        if (prog && !task_in_programme(&ts, i, prog))
            continue;
        if (overdue && st != TS_OVERDUE)
            continue;
        if (days >= 0 && dc != TD_OVERDUE && dc != TD_SOON)
            continue;
        if (want_st >= 0 && st != want_st)
            continue;
        idx[n++] = i;
    }
    sorter so = { &ts, today };
    for (int a = 1; a < n; a++)                    /* insertion sort: stable, lists are short */
        for (int b = a; b > 0 && by_due(&idx[b], &idx[b - 1], &so) < 0; b--) {
            int t = idx[b];
            idx[b] = idx[b - 1];
            idx[b - 1] = t;
        }
    if (strcmp(fmt, "json") == 0)
        arr = json_array();
    cli_table tb;
    cli_table_init(&tb, 6, 0);
    if (strcmp(fmt, "text") == 0) {
        const char *h[] = { tr("Mã", "Code"), tr("Nhiệm vụ", "Task"), tr("Chủ trì", "Lead"), tr("Hạn", "Due"),
                            tr("Trạng thái", "Status"), tr("Nhóm hạn", "Deadline") };
        for (int k = 0; k < 6; k++)
            cli_table_cell(&tb, h[k]);
    } else if (strcmp(fmt, "csv") == 0)
        buf_adds(&out, "code,title,programme,lead_unit,owner,due,status,deadline_class,progress,completed_on\n");
    for (int k = 0; k < n; k++) {
        const task_t *t = &ts.items[idx[k]];
        int st = task_status(t, today), dc = task_due_class(t, today, days >= 0 ? days : 14), due = task_due_date(t, today);
        char dues[16] = "", done[16] = "";
        if (due)
            snprintf(dues, sizeof dues, "%04d-%02d-%02d", due / 10000, due / 100 % 100, due % 100);
        if (t->completed_on)
            snprintf(done, sizeof done, "%04d-%02d-%02d", t->completed_on / 10000, t->completed_on / 100 % 100,
                     t->completed_on % 100);
        if (arr) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:b}", "code", t->code,
                                                 "title", t->title, "programme", t->programme, "lead_unit", t->lead_unit,
                                                 "owner", t->owner, "due", dues, "status", task_status_key(st),
                                                 "deadline_class", task_due_key(dc),
                                                 "progress", t->progress, "completed_on", done, "exceeded", t->exceeded));
        } else if (strcmp(fmt, "csv") == 0) {
            char pr[8];
            snprintf(pr, sizeof pr, "%d", t->progress);
            const char *f[] = { t->code, t->title, t->programme, t->lead_unit, t->owner, dues, task_status_key(st),
                                task_due_key(dc), pr, done };
            for (int j = 0; j < 10; j++)
                cli_csv_field(&out, f[j], j == 9);
        } else {
            buf d = BUF_INIT, sname = BUF_INIT;
            date_text(&d, due);
            int mu = model_unit_find(m, t->lead_unit);
            buf_adds(&sname, task_status_name(st));
            if (task_is_done(st) && t->exceeded)
                buf_adds(&sname, tr(" (vượt)", " (exceeded)"));
            cli_table_cell(&tb, t->code);
            cli_table_cell(&tb, t->title);
            buf lead = BUF_INIT;             /* a lead unit no longer valid is shown, marked */
            buf_adds(&lead, mu >= 0 ? m->units[mu].name : t->lead_unit);
            task_unit_mark(m, mu, today, &lead);
            cli_table_cell(&tb, buf_str(&lead));
            buf_free(&lead);
            cli_table_cell(&tb, buf_str(&d));
            cli_table_cell(&tb, buf_str(&sname));
            cli_table_cell(&tb, task_due_name(dc));
            buf_free(&d);
            buf_free(&sname);
        }
    }
    if (arr) {
        char *j = json_dumps(arr, JSON_INDENT(1));
        buf_adds(&out, j ? j : "[]");
        buf_addc(&out, '\n');
        free(j);
    } else if (strcmp(fmt, "text") == 0) {
        cli_table_render(&tb, &out);
        buf_printf(&out, tr("%d nhiệm vụ\n", "%d tasks\n"), n);
    }
    cli_table_free(&tb);
    fputs(buf_str(&out), stdout);
    rc = EXIT_OK;
cleanup:
    json_decref(arr);
    buf_free(&out);
    free(idx);
    task_set_free(&ts);
    store_close(s);
    model_free(m);
    return rc;
}
