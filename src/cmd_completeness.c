/* cmd_completeness.c - `chitieu completeness --unit U --period P [--format text|csv|json]
 * [--missing]`: who below a unit has reported what for a period, on time or late, and what is
 * missing (completeness.h).  CSV columns (a contract): unit,expected,reported,on_time,missing,
 * then late,units,units_complete,units_late,name; with --missing one row per expected figure:
 * unit,indicator,state,first_write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "completeness.h"
#include "cycle_store.h"
#include "vn.h"

static const char help_vi[] =
    "Cách dùng: chitieu completeness --unit ĐƠN_VỊ --period KỲ [--format text|csv|json] [--missing] [-o TỆP]\n"
    "Tính đầy đủ và đúng hạn của báo cáo: với mỗi đơn vị trực thuộc, số chỉ tiêu phải báo cáo, đã báo cáo,\n"
    "đúng hạn, trễ hạn, còn thiếu (đơn vị cơ sở còn hiệu lực đến hết kỳ x chỉ tiêu không có công thức có kế hoạch\n"
    "của đơn vị hoặc đơn vị cấp trên trong năm của kỳ, hoặc đã có số liệu trong năm đó; xem docs/cycle.md).\n"
    "--missing: CSV mỗi dòng một số liệu phải báo cáo (unit,indicator,state,first_write; state: missing,\n"
    "on_time, late); dạng text chỉ liệt kê số liệu còn thiếu (không kể trễ hạn).";
static const char help_en[] =
    "Usage: chitieu completeness --unit UNIT --period PERIOD [--format text|csv|json] [--missing] [-o FILE]\n"
    "Completeness and timeliness of reports: for each unit below, the figures expected, reported, on time,\n"
    "late and missing (leaf units valid to the period's end x indicators without a formula that have a target\n"
    "for the unit or its parent in the period's year, or a value in that year; see docs/cycle.md).\n"
    "--missing: CSV has one row per expected figure (unit,indicator,state,first_write; state: missing,\n"
    "on_time, late); text lists only the missing figures (not the late ones).";

static void date_text(int ymd, buf *out)
{
    vn_format_date(ymd, lang_get(), out);
}

static void render_text(const model *m, const cmpl_result *res, int missing_only, buf *out)
{
    char label[96];
    buf d = BUF_INIT, f = BUF_INIT, t = BUF_INIT;
    model_period_label(m, res->p, lang_get() == LANG_EN, label, sizeof label);
    date_text(res->deadline, &d);
    date_text(res->from, &f);
    date_text(res->to, &t);
    buf_printf(out, tr("%s — %s — hạn nộp %s (số liệu từ %s đến %s)\n", "%s — %s — due %s (figures from %s to %s)\n"),
               m->units[res->unit].name, label, buf_str(&d), buf_str(&f), buf_str(&t));
    cmpl_summary(&res->total, lang_get() == LANG_EN, out);
    buf_adds(out, "\n\n");
    cli_table tb;
    cli_table_init(&tb, 8, 0xFC);
    const char *head[] = { tr("Đơn vị", "Unit"), tr("Mã", "Code"), tr("Phải báo cáo", "Expected"),
                           tr("Đã báo cáo", "Reported"), tr("Đúng hạn", "On time"), tr("Trễ hạn", "Late"),
                           tr("Còn thiếu", "Missing"), tr("Đơn vị đủ", "Units complete") };
    for (int i = 0; i < 8; i++)
        cli_table_cell(&tb, head[i]);
    for (int i = 0; i < res->nrows; i++) {
        const cmpl_row *r = &res->rows[i];
        char n[6][32];
        int v[5] = { r->c.expected, r->c.reported, r->c.on_time, r->c.late, r->c.missing };
        cli_table_cell(&tb, m->units[r->unit].name);
        cli_table_cell(&tb, m->units[r->unit].code);
        for (int k = 0; k < 5; k++) {
            snprintf(n[k], sizeof n[k], "%d", v[k]);
            cli_table_cell(&tb, n[k]);
        }
        snprintf(n[5], sizeof n[5], "%d/%d", r->c.leaves_complete, r->c.leaves);
        cli_table_cell(&tb, n[5]);
    }
    cli_table_render(&tb, out);
    cli_table_free(&tb);
    int header = 0;
    for (int i = 0; i < res->nitems;) {
        int u = res->items[i].unit, printed = 0;
        for (; i < res->nitems && res->items[i].unit == u; i++) {
            const cmpl_item *it = &res->items[i];
            if (it->state == CM_ON_TIME || (missing_only && it->state == CM_LATE))
                continue;
            if (header++ == 0)
                buf_adds(out, tr("\nCòn thiếu (và trễ hạn):\n", "\nMissing (and late):\n"));
            if (printed++ == 0)
                buf_printf(out, "  %s (%s): ", m->units[u].name, m->units[u].code);
            else
                buf_adds(out, ", ");
            buf_printf(out, "%s%s", m->inds[it->ind].code, it->state == CM_LATE ? tr(" (trễ)", " (late)") : "");
        }
        if (printed)
            buf_addc(out, '\n');
    }
    buf_free(&d);
    buf_free(&f);
    buf_free(&t);
}

static void render_csv(const model *m, const cmpl_result *res, int items, buf *out)
{
    if (items) {
        buf_adds(out, "unit,indicator,state,first_write\n");
        for (int i = 0; i < res->nitems; i++) {
            const cmpl_item *it = &res->items[i];
            char d[16] = "";
            if (it->date)
                snprintf(d, sizeof d, "%04d-%02d-%02d", it->date / 10000, it->date / 100 % 100, it->date % 100);
            cli_csv_field(out, m->units[it->unit].code, 0);
            cli_csv_field(out, m->inds[it->ind].code, 0);
            cli_csv_field(out, cmpl_state_key(it->state), 0);
            cli_csv_field(out, d, 1);
        }
        return;
    }
    buf_adds(out, "unit,expected,reported,on_time,missing,late,units,units_complete,units_late,name\n");
    for (int i = 0; i < res->nrows; i++) {
        const cmpl_row *r = &res->rows[i];
        cli_csv_field(out, m->units[r->unit].code, 0);
        buf_printf(out, "%d,%d,%d,%d,%d,%d,%d,%d,", r->c.expected, r->c.reported, r->c.on_time, r->c.missing,
                   r->c.late, r->c.leaves, r->c.leaves_complete, r->c.leaves_late);
        cli_csv_field(out, m->units[r->unit].name, 1);
    }
}

static int render_json(const model *m, const cmpl_result *res, buf *out)
{
    cmpl_row total = { .unit = res->unit, .c = res->total };
    json_t *o = cmpl_row_json(m, res, &total), *rows = json_array(), *items = json_array();
    char from[16], to[16];
    snprintf(from, sizeof from, "%04d-%02d-%02d", res->from / 10000, res->from / 100 % 100, res->from % 100);
    snprintf(to, sizeof to, "%04d-%02d-%02d", res->to / 10000, res->to / 100 % 100, res->to % 100);
    for (int i = 0; rows && i < res->nrows; i++)
        json_array_append_new(rows, cmpl_row_json(m, res, &res->rows[i]));
    for (int i = 0; items && i < res->nitems; i++)
        json_array_append_new(items, cmpl_item_json(m, &res->items[i]));
    int rc = -1;
    if (o && rows && items && json_object_set_new(o, "window", json_pack("{s:s,s:s}", "from", from, "to", to)) == 0) {
        json_object_set(o, "units_below", rows);
        json_object_set(o, "items", items);
        char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        if (text) {
            buf_adds(out, text);
            buf_addc(out, '\n');
            free(text);
            rc = 0;
        }
    }
    json_decref(o);
    json_decref(rows);
    json_decref(items);
    return rc;
}

int cmd_completeness(int argc, char **argv)
{
    const char *db = NULL, *unit = NULL, *period = NULL, *format = "text", *outpath = NULL;
    int help, npos, rc, missing = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--period", NULL, &period, NULL }, { "--format", NULL, &format, NULL },
                             { "--missing", NULL, NULL, &missing }, { "--output", "-o", &outpath, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr(help_vi, help_en));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("completeness", npos)) != 0 || (rc = cli_format("completeness", format, "text|csv|json")) != 0)
        return rc;
    store *s = NULL;
    model *m = NULL;
    cmpl_result res = { 0 };
    cycle_rules r;
    err_t e;
    buf out = BUF_INIT;
    int u;
    period_t p;
    rc = EXIT_FAIL;
    if (cli_open_part("completeness", db, STORE_TARGETS | STORE_VALUES, &s, &m) != 0)
        return EXIT_FAIL;
    if (cli_unit_period("completeness", m, unit, period, &u, &p) != 0) {
        rc = EXIT_USAGE;
        goto cleanup;
    }
    if (cycle_rules_load(s, &r, &e) != 0 || store_read_begin(s, &e) != 0) {
        cli_error("completeness", e.msg);
        goto cleanup;
    }
    int ok = cmpl_run(s, m, &r, u, p, &res, &e) == 0;
    store_read_end(s);
    if (!ok) {
        cli_error("completeness", e.msg);
        goto cleanup;
    }
    if (strcmp(format, "csv") == 0)
        render_csv(m, &res, missing, &out);
    else if (strcmp(format, "json") == 0) {
        if (render_json(m, &res, &out) != 0) {
            cli_error("completeness", "out of memory");
            goto cleanup;
        }
    } else
        render_text(m, &res, missing, &out);
    rc = cli_write("completeness", outpath, &out) == 0 ? EXIT_OK : EXIT_FAIL;
cleanup:
    cmpl_free(&res);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
