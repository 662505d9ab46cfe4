/* cmd_history.c - `chitieu history --indicator I --unit U --period P`: who changed a figure,
 * when, from what to what (targets and values). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "report.h"

int cmd_history(int argc, char **argv)
{
    const char *db = NULL, *ind = NULL, *unit = NULL, *period = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--indicator", NULL, &ind, NULL },
                             { "--unit", NULL, &unit, NULL }, { "--period", NULL, &period, NULL },
                             { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu history --indicator MÃ --unit MÃ --period KỲ [--db TỆP]\n"
                "Lịch sử thay đổi kế hoạch và số liệu: thời điểm, người sửa, giá trị cũ → mới.",
                "Usage: chitieu history --indicator CODE --unit CODE --period PERIOD [--db FILE]\n"
                "Change history of the target and value: when, who, old → new."));
        return EXIT_OK;
    }
    if (npos || ind == NULL) {
        cli_error("history", tr("cần --indicator, --unit và --period", "--indicator, --unit and --period are required"));
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
    const char *hd[5] = { tr("Thời điểm", "When"), tr("Người sửa", "Who"), tr("Loại", "Kind"),
                          tr("Cũ", "Old"), tr("Mới", "New") };
    for (int i = 0; i < 5; i++)
        cli_table_cell(&t, hd[i]);
    for (int i = 0; i < n; i++) {
        cli_table_cell(&t, h[i].at);
        cli_table_cell(&t, h[i].who);
        cli_table_cell(&t, strcmp(h[i].kind, "target") == 0 ? tr("kế hoạch", "target") : tr("số liệu", "value"));
        buf_reset(&tmp);
        h[i].has_old ? report_num(&tmp, h[i].old_v, 6) : buf_adds(&tmp, "–");
        cli_table_cell(&t, buf_str(&tmp));
        buf_reset(&tmp);
        h[i].has_new ? report_num(&tmp, h[i].new_v, 6) : buf_adds(&tmp, "–");
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
