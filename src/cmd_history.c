/* cmd_history.c - `chitieu history --indicator I --unit U --period P`: who changed a figure,
 * when, from what to what (targets and values); without --indicator, the audit log as the web
 * page shows it (page_audit.c), with the same filters (--who, --unit, --period, --kind, --from,
 * --to), paged (--limit, --offset) or whole as CSV.  Figures are printed exactly, times in
 * Vietnam's local time with seconds, the days --from/--to compare (audit.h: audit_time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "cmd.h"
#include "report.h"
#include "store_web.h"
#include "vn.h"

/* Parses a non-negative count option; -1 when it is not one. */
static long count_opt(const char *s, long dflt)
{
    char *end;
    if (s == NULL)
        return dflt;
    long v = strtol(s, &end, 10);
    return *s && *end == '\0' && v >= 0 && v <= 100000000 ? v : -1;
}

/* Checks the log's filters; prints and returns -1 on a bad one. */
static int log_filter_ok(const model *m, const audit_filter *f)
{
    period_t p;
    int ymd;
    if (f->unit && model_unit_find(m, f->unit) < 0) {
        cli_error("history", tr("không có đơn vị mã này (xem 'chitieu units')", "no unit has this code (see 'chitieu units')"));
        return -1;
    }
    if (f->period && period_parse(f->period, strlen(f->period), &p) != 0) {
        cli_error("history", tr("--period không hợp lệ (ví dụ 2023, 2023Q2, 2020-2025)",
                                "invalid --period (e.g. 2023, 2023Q2, 2020-2025)"));
        return -1;
    }
    if (f->kind && !audit_kind_ok(f->kind)) {
        cli_error("history", tr("--kind phải là value, target, delete, batch hoặc action",
                                "--kind must be value, target, delete, batch or action"));
        return -1;
    }
    if ((f->from && vn_parse_iso_date(f->from, strlen(f->from), &ymd) != 0) ||
        (f->to && vn_parse_iso_date(f->to, strlen(f->to), &ymd) != 0)) {
        cli_error("history", tr("--from, --to phải có dạng yyyy-mm-dd", "--from and --to must be yyyy-mm-dd"));
        return -1;
    }
    return 0;
}

/* Appends one entry as a table row (text) or a CSV record. */
static void log_entry(const web_audit *a, cli_table *t, buf *csv, buf *tmp)
{
    buf_reset(tmp);
    audit_time(tmp, a->at);
    csv ? cli_csv_field(csv, buf_str(tmp), 0) : cli_table_cell(t, buf_str(tmp));
    const char *cols[] = { a->who, audit_kind_name(a->action), a->object };
    for (int k = 0; k < 3; k++)
        csv ? cli_csv_field(csv, cols[k], 0) : cli_table_cell(t, cols[k]);
    buf_reset(tmp);
    audit_detail(a, tmp);
    csv ? cli_csv_field(csv, buf_str(tmp), 1) : cli_table_cell(t, buf_str(tmp));
}

/* The audit log mode; returns an exit code. */
static int history_log(const char *db, const audit_filter *f, const char *limit_s, const char *offset_s,
                       const char *fmt, const char *out_path)
{
    long limit = count_opt(limit_s, 50), offset = count_opt(offset_s, 0);
    if (limit <= 0 || offset < 0) {
        cli_error("history", tr("--limit, --offset phải là số nguyên không âm (--limit từ 1)",
                                "--limit and --offset must be whole numbers (--limit from 1)"));
        return EXIT_USAGE;
    }
    if (fmt && cli_format("history", fmt, "text|csv") != 0)
        return EXIT_USAGE;
    int csv = fmt && strcmp(fmt, "csv") == 0;
    store *s;
    model *m;
    if (cli_open_part("history", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    int rc = EXIT_USAGE, n = 0;
    int64_t total = 0;
    web_audit *a = NULL;
    err_t e;
    buf out = BUF_INIT, tmp = BUF_INIT;
    cli_table t;
    cli_table_init(&t, 5, 0);
    if (log_filter_ok(m, f) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    const char *hd[5] = { audit_time_header(), tr("Người", "Who"), tr("Việc", "Action"),
                          tr("Đối tượng", "Object"), tr("Chi tiết (cũ → mới)", "Detail (old → new)") };
    for (int k = 0; k < 5; k++)
        csv ? cli_csv_field(&out, hd[k], k == 4) : cli_table_cell(&t, hd[k]);
    /* CSV without --limit: every entry that passes the filter from --offset, in chunks */
    int chunk = csv && !limit_s ? 1000 : (int)limit;
    for (long at = offset;; at += chunk) {
        free(a);
        if ((n = store_audit_query(s, f, (int)at, chunk, &a, at == offset ? &total : NULL, &e)) < 0) {
            cli_error("history", e.msg);
            goto cleanup;
        }
        for (int k = 0; k < n; k++)
            log_entry(&a[k], &t, csv ? &out : NULL, &tmp);
        if (!(csv && !limit_s) || n < chunk)
            break;
    }
    if (!csv) {
        cli_table_render(&t, &out);
        buf_printf(&out, "%s%ld–%ld / %lld\n", tr("Mục ", "Entries "), n ? offset + 1 : 0, offset + n, (long long)total);
    }
    rc = cli_write("history", out_path, &out) ? EXIT_FAIL : EXIT_OK;
cleanup:
    free(a);
    cli_table_free(&t);
    buf_free(&out);
    buf_free(&tmp);
    store_close(s);
    model_free(m);
    return rc;
}

int cmd_history(int argc, char **argv)
{
    const char *db = NULL, *ind = NULL, *unit = NULL, *period = NULL, *who = NULL, *kind = NULL;
    const char *from = NULL, *to = NULL, *limit = NULL, *offset = NULL, *fmt = NULL, *out_path = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--indicator", NULL, &ind, NULL },
                             { "--unit", NULL, &unit, NULL }, { "--period", NULL, &period, NULL },
                             { "--who", NULL, &who, NULL }, { "--kind", NULL, &kind, NULL },
                             { "--from", NULL, &from, NULL }, { "--to", NULL, &to, NULL },
                             { "--limit", NULL, &limit, NULL }, { "--offset", NULL, &offset, NULL },
                             { "--format", NULL, &fmt, NULL }, { "--output", "-o", &out_path, NULL },
                             { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu history --indicator MÃ --unit MÃ --period KỲ [--db TỆP]\n"
                "Lịch sử thay đổi kế hoạch và số liệu: thời điểm, người sửa, giá trị cũ → mới.\n"
                "       chitieu history [--who NGƯỜI] [--unit MÃ] [--period KỲ] [--kind LOẠI]\n"
                "                       [--from yyyy-mm-dd] [--to yyyy-mm-dd] [--limit N] [--offset N]\n"
                "                       [--format text|csv] [-o TỆP] [--db TỆP]\n"
                "Nhật ký thay đổi (như trang Nhật ký): LOẠI là value (sửa số liệu), target (sửa kế hoạch),\n"
                "delete (xóa số liệu), batch (lô ghi số liệu), action (thao tác duyệt, quản trị); thời gian và\n"
                "ngày lọc theo giờ Việt Nam (UTC+7), thời gian dạng d/m/yyyy HH:mm:ss; mặc định 50 mục mới nhất;\n"
                "--format csv: mọi mục khớp bộ lọc.",
                "Usage: chitieu history --indicator CODE --unit CODE --period PERIOD [--db FILE]\n"
                "Change history of the target and value: when, who, old → new.\n"
                "       chitieu history [--who USER] [--unit CODE] [--period PERIOD] [--kind KIND]\n"
                "                       [--from yyyy-mm-dd] [--to yyyy-mm-dd] [--limit N] [--offset N]\n"
                "                       [--format text|csv] [-o FILE] [--db FILE]\n"
                "The audit log (as the Audit log page): KIND is value, target, delete, batch or action;\n"
                "times and filter dates in Vietnam's time (UTC+7), times as yyyy-mm-dd HH:mm:ss; the newest\n"
                "50 entries by default; --format csv: every match."));
        return EXIT_OK;
    }
    if (npos) {
        cli_error("history", tr("không nhận tham số vị trí", "no positional arguments"));
        return EXIT_USAGE;
    }
    if (ind == NULL) {
        audit_filter f = { who, unit, period, kind, from, to };
        return history_log(db, &f, limit, offset, fmt, out_path);
    }
    if (who || kind || from || to || limit || offset || fmt || out_path) {
        cli_error("history", tr("--who, --kind, --from, --to, --limit, --offset, --format, -o chỉ dùng cho nhật ký "
                                "(không có --indicator)", "--who, --kind, --from, --to, --limit, --offset, --format "
                                "and -o belong to the log (without --indicator)"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_part("history", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    int u;
    period_t p;
    store_hist h[200];
    err_t e;
    buf out = BUF_INIT, tmp = BUF_INIT;
    cli_table t;
    cli_table_init(&t, 5, 0x18);
    rc = EXIT_USAGE;
    if (cli_unit_period("history", m, unit, period, &u, &p) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    int n = store_history(s, ind, unit, p, h, 200, &e);
    if (n < 0) {
        cli_error("history", e.msg);
        goto cleanup;
    }
    const char *hd[5] = { audit_time_header(), tr("Người sửa", "Who"), tr("Loại", "Kind"),
                          tr("Cũ", "Old"), tr("Mới", "New") };
    for (int i = 0; i < 5; i++)
        cli_table_cell(&t, hd[i]);
    for (int i = 0; i < n; i++) {
        buf_reset(&tmp);
        audit_time(&tmp, h[i].at);
        cli_table_cell(&t, buf_str(&tmp));
        cli_table_cell(&t, h[i].who);
        cli_table_cell(&t, strcmp(h[i].kind, "target") == 0 ? tr("kế hoạch", "target") : tr("số liệu", "value"));
        buf_reset(&tmp);
        h[i].has_old ? audit_num(&tmp, h[i].old_v) : (void)buf_adds(&tmp, "–");
        cli_table_cell(&t, buf_str(&tmp));
        buf_reset(&tmp);
        h[i].has_new ? audit_num(&tmp, h[i].new_v) : (void)buf_adds(&tmp, "–");
        cli_table_cell(&t, buf_str(&tmp));
    }
    if (n == 0)
        buf_adds(&out, tr("Chưa có thay đổi nào.\n", "No changes recorded.\n"));
    else
        cli_table_render(&t, &out);
    rc = cli_write("history", NULL, &out) ? EXIT_FAIL : EXIT_OK;
cleanup:
    cli_table_free(&t);
    buf_free(&out);
    buf_free(&tmp);
    store_close(s);
    model_free(m);
    return rc;
}
