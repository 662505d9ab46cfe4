/* cmd_settings.c - `chitieu settings [show]` and `chitieu settings set partial_aggregates
 * mark|withhold|default [--indicator CODE] [--db FILE]`: the database's settings, kept in its
 * meta table (store_setting_set).  One setting so far: how a roll-up that some units did not
 * report into is shown, marked with its coverage ("2/30 đơn vị có số liệu", the default) or
 * withheld (no figure, only the coverage), for the database or one indicator.
 * Data flow: the model is loaded (which applies and checks the stored settings), the change
 * is written in one transaction; nothing is kept after return. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "store.h"
#include "cycle_store.h"

static const char *mode_name(int mode)
{
    return mode == PM_WITHHOLD ? "withhold" : mode == PM_MARK ? "mark" : "default";
}

static void show(const model *m, buf *out)
{
    buf_printf(out, "partial_aggregates = %s\n", m->partial_mode == PM_WITHHOLD ? "withhold" : "mark");
    for (size_t i = 0; i < m->ninds; i++)
        if (m->inds[i].partial_mode != PM_DEFAULT)
            buf_printf(out, "partial_aggregates --indicator %s = %s\n", m->inds[i].code,
                       mode_name(m->inds[i].partial_mode));
}

/* The reporting cycle's settings (cycle_store.h, also `chitieu deadlines`); "default" removes one. */
static int set_cycle(store *s, const char *key, const char *value)
{
    err_t e;
    if (store_begin(s, &e) != 0) {
        cli_error("settings", e.msg);
        return EXIT_FAIL;
    }
    if (cycle_setting_set(s, key, strcmp(value, "default") == 0 ? "" : value, &e) != 0) {
        store_rollback(s);
        cli_error("settings", e.msg);
        return EXIT_USAGE;
    }
    if (store_commit(s, &e) != 0) {
        cli_error("settings", e.msg);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static void show_cycle(store *s, buf *out)
{
    char v[256];
    err_t e;
    for (int i = 0; cycle_setting_keys[i]; i++) {
        int got = cycle_setting_get(s, cycle_setting_keys[i], v, sizeof v, &e);
        if (got > 0 && strcmp(cycle_setting_keys[i], "smtp-password") == 0)
            snprintf(v, sizeof v, "******");
        buf_printf(out, "%s = %s\n", cycle_setting_keys[i], got > 0 ? v : got < 0 ? "?" : "default");
    }
}

static int set(store *s, const model *m, const char *key, const char *value, const char *ind)
{
    if (ind == NULL && cycle_setting_known(key))
        return set_cycle(s, key, value);
    buf k = BUF_INIT;
    err_t e;
    int rc = EXIT_USAGE, mode = model_partial_parse(value);
    if (strcmp(key, "partial_aggregates") != 0) {
        cli_error("settings", tr("thiết lập không có: chỉ có partial_aggregates",
                                 "unknown setting: there is partial_aggregates"));
        goto cleanup;
    }
    if (mode < 0 || (mode == PM_DEFAULT && ind == NULL)) {
        cli_error("settings", ind ? tr("giá trị phải là mark, withhold hoặc default", "the value must be mark, withhold or default")
                                  : tr("giá trị phải là mark hoặc withhold", "the value must be mark or withhold"));
        goto cleanup;
    }
    if (ind && model_ind_find(m, ind) < 0) {
        cli_error("settings", tr("không có chỉ tiêu này", "no such indicator"));
        goto cleanup;
    }
    buf_adds(&k, key);
    if (ind)
        buf_printf(&k, ":%s", ind);
    rc = EXIT_FAIL;
    if (store_begin(s, &e) != 0 || store_setting_set(s, buf_str(&k), mode == PM_DEFAULT ? NULL : value, &e) != 0 ||
        store_commit(s, &e) != 0) {
        store_rollback(s);
        cli_error("settings", e.msg);
        goto cleanup;
    }
    rc = EXIT_OK;
cleanup:
    buf_free(&k);
    return rc;
}

int cmd_settings(int argc, char **argv)
{
    const char *db = NULL, *ind = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--indicator", NULL, &ind, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu settings [show] [--db TỆP]\n"
                "           chitieu settings set partial_aggregates mark|withhold|default [--indicator MÃ] [--db TỆP]\n"
                "partial_aggregates: số tổng hợp từ các đơn vị cấp dưới khi có đơn vị chưa có số liệu được\n"
                "hiện kèm độ phủ (\"2/30 đơn vị có số liệu\", mark, mặc định) hay không hiện số, chỉ hiện độ phủ\n"
                "(withhold); cho cả cơ sở dữ liệu, hoặc cho một chỉ tiêu với --indicator (default: theo cơ sở\n"
                "dữ liệu).\n"
                "Chu kỳ báo cáo: month, quarter, half, m9, year, term, periods, cutoff, remind-before, remind-after,\n"
                "tz, smtp-url, smtp-from, smtp-user, smtp-password (xem 'chitieu deadlines --help'; default: mặc định).",
                "Usage: chitieu settings [show] [--db FILE]\n"
                "       chitieu settings set partial_aggregates mark|withhold|default [--indicator CODE] [--db FILE]\n"
                "partial_aggregates: a roll-up that some child units did not report into is shown with its\n"
                "coverage (\"2/30 units reported\", mark, the default) or withheld: no figure, only the\n"
                "coverage (withhold); for the whole database, or for one indicator with --indicator\n"
                "(default: as the database).\n"
                "Reporting cycle: month, quarter, half, m9, year, term, periods, cutoff, remind-before, remind-after,\n"
                "tz, smtp-url, smtp-from, smtp-user, smtp-password (see 'chitieu deadlines --help'; default: back to the default)."));
        return EXIT_OK;
    }
    int is_set = npos >= 1 && strcmp(argv[1], "set") == 0;
    if (!(npos == 0 || (npos == 1 && strcmp(argv[1], "show") == 0) || (is_set && npos == 3)) ||
        (ind && !is_set)) {
        cli_error("settings", tr("cách dùng: chitieu settings [show] | set KHÓA GIÁ_TRỊ [--indicator MÃ]",
                                 "usage: chitieu settings [show] | set KEY VALUE [--indicator CODE]"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_part("settings", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    buf out = BUF_INIT;
    if (is_set)
        rc = set(s, m, argv[2], argv[3], ind);
    else {
        show(m, &out);
        show_cycle(s, &out);
        rc = cli_write("settings", NULL, &out) ? EXIT_FAIL : EXIT_OK;
    }
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
