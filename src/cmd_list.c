/* cmd_list.c - `chitieu units` and `chitieu indicators`: aligned tables (or JSON/CSV),
 * names in Vietnamese order; units with their predecessors and successors (successions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cmd.h"
#include "task.h"
#include "vn.h"

static int parse_common(int argc, char **argv, const char **db, const char **fmt, int *help,
                        const char *usage_vi, const char *usage_en)
{
    int npos, rc;
    const cli_opt opts[] = { { "--db", NULL, db, NULL }, { "--format", NULL, fmt, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, help)) != 0)
        return rc;
    if (*help) {
        puts(tr(usage_vi, usage_en));
        return 0;
    }
    if ((rc = cli_no_args(argv[0], npos)) != 0)
        return rc;
    return cli_format(argv[0], *fmt, "text|json|csv");
}

static void date_text(char *out, size_t n, int ymd)
{
    if (ymd)
        snprintf(out, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    else
        out[0] = '\0';
}

/* Appends "← a (1/7/2025, 0,4); → b (...)" for the unit's successions (text listing). */
static void succ_text(const model *m, int u, buf *out)
{
    for (int dir = 0; dir < 2; dir++) {
        int n;
        const int *idx = dir == 0 ? model_preds(m, u, &n) : model_succs(m, u, &n);
        for (int k = 0; k < n; k++) {
            const succ_t *x = &m->succs[idx[k]];
            if (out->len)
                buf_adds(out, "; ");
            buf_printf(out, "%s %s (", dir == 0 ? "←" : "→", m->units[dir == 0 ? x->from : x->to].code);
            vn_format_date(x->date, lang_get(), out);
            buf_adds(out, ", ");
            vn_format_number_trim(x->share, 6, lang_get(), out);
            buf_addc(out, ')');
        }
    }
}

/* The unit's successions as JSON: {"predecessors": [...], "successors": [...]} entries. */
static json_t *succ_json(const model *m, int u, int dir)
{
    json_t *arr = json_array();
    int n;
    const int *idx = dir == 0 ? model_preds(m, u, &n) : model_succs(m, u, &n);
    for (int k = 0; k < n; k++) {
        const succ_t *x = &m->succs[idx[k]];
        char d[16];
        date_text(d, sizeof d, x->date);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:f}", "unit", m->units[dir == 0 ? x->from : x->to].code,
                                             "date", d, "share", x->share));
    }
    return arr;
}

typedef struct walk {
    const model *m;
    cli_table *t;
    buf *csv;
    json_t *arr;
    int fmt_json;
    int date;                /* only units valid on this yyyymmdd, 0 = all */
} walk;

/* Depth-first walk in name order; roots sorted like children. */
static void walk_units(const walk *w, int u)
{
    const model *m = w->m;
    const unit_t *x = &m->units[u];
    char vf[16], vt[16];
    date_text(vf, sizeof vf, x->valid_from);
    date_text(vt, sizeof vt, x->valid_to);
    if (w->date && ((x->valid_from && x->valid_from > w->date) || (x->valid_to && x->valid_to < w->date))) {
        /* not valid on the date: not listed, but its children may be */
    } else if (w->fmt_json) {
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", x->code, "name", x->name, "parent",
                              x->parent_code, "type", x->type, "valid_from", vf, "valid_to", vt);
        if (m->nsuccs) {
            json_object_set_new(o, "predecessors", succ_json(m, u, 0));
            json_object_set_new(o, "successors", succ_json(m, u, 1));
        }
        json_array_append_new(w->arr, o);
    } else if (w->csv) {
        cli_csv_field(w->csv, x->code, 0);
        cli_csv_field(w->csv, x->name, 0);
        cli_csv_field(w->csv, x->parent_code, 0);
        cli_csv_field(w->csv, x->type, 0);
        cli_csv_field(w->csv, vf, 0);
        cli_csv_field(w->csv, vt, 1);
    } else {
        buf name = BUF_INIT;
        for (int i = 0; i < x->depth; i++)
            buf_adds(&name, "  ");
        buf_adds(&name, x->name);
        cli_table_cell(w->t, x->code);
        cli_table_cell(w->t, buf_str(&name));
        cli_table_cell(w->t, x->type);
        buf_reset(&name);
        if (x->valid_from || x->valid_to) {
            if (x->valid_from)
                vn_format_date(x->valid_from, lang_get(), &name);
            buf_adds(&name, " – ");
            if (x->valid_to)
                vn_format_date(x->valid_to, lang_get(), &name);
        }
        cli_table_cell(w->t, buf_str(&name));
        if (m->nsuccs) {
            buf_reset(&name);
            succ_text(m, u, &name);
            cli_table_cell(w->t, buf_str(&name));
        }
        buf_free(&name);
    }
    for (int c = x->first_child; c >= 0; c = m->units[c].next_sibling)
        walk_units(w, c);
}

/* Renders the listing in its format (the CSV rows are already in out) and prints it. */
static int finish_listing(const char *cmd, json_t *arr, const cli_table *t, int is_json, int is_csv, buf *out)
{
    if (is_json) {
        char *j = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        buf_adds(out, j ? j : "[]");
        buf_addc(out, '\n');
        free(j);
    } else if (!is_csv) {
        cli_table_render(t, out);
    }
    return cli_write(cmd, NULL, out) ? EXIT_FAIL : EXIT_OK;
}

typedef struct byname { int idx; const char *name; } byname;
static int cmp_byname(const void *a, const void *b)
{
    return vn_collate(((const byname *)a)->name, ((const byname *)b)->name);
}

int cmd_units(int argc, char **argv)
{
    const char *db = NULL, *fmt = "text", *date = NULL;
    int help, npos, rc, on = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--format", NULL, &fmt, NULL },
                             { "--date", NULL, &date, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu units [--db TỆP] [--format text|json|csv] [--date NGÀY]\n"
                "Liệt kê cây đơn vị theo thứ tự tên tiếng Việt, với các đơn vị tiền thân (←) và kế thừa (→).\n"
                "--date 1/7/2025 (hoặc 2025-07-01): chỉ các đơn vị có hiệu lực ngày đó.",
                "Usage: chitieu units [--db FILE] [--format text|json|csv] [--date DATE]\n"
                "Lists the unit tree, names in Vietnamese order, with predecessors (←) and successors (→).\n"
                "--date 1/7/2025 (or 2025-07-01): only the units valid on that day."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args(argv[0], npos)) != 0 || (rc = cli_format(argv[0], fmt, "text|json|csv")) != 0)
        return rc;
    if (date && task_parse_date(date, &on) != 0) {
        cli_error("units", tr("--date cần ngày dạng 1/7/2025 hoặc 2025-07-01",
                              "--date takes a date like 1/7/2025 or 2025-07-01"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_part("units", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    cli_table t;
    buf out = BUF_INIT;
    json_t *arr = json_array();
    int is_json = strcmp(fmt, "json") == 0, is_csv = strcmp(fmt, "csv") == 0;
    cli_table_init(&t, m->nsuccs ? 5 : 4, 0);
    if (!is_json && !is_csv) {
        cli_table_cell(&t, tr("Mã", "Code"));
        cli_table_cell(&t, tr("Tên", "Name"));
        cli_table_cell(&t, tr("Loại", "Type"));
        cli_table_cell(&t, tr("Hiệu lực", "Valid"));
        if (m->nsuccs)
            cli_table_cell(&t, tr("Tiền thân (←) / kế thừa (→)", "Predecessors (←) / successors (→)"));
    }
    if (is_csv)
        buf_adds(&out, "code,name,parent,type,valid_from,valid_to\n");
    byname *roots = calloc(m->nunits + 1, sizeof *roots);
    size_t nr = 0;
    for (size_t i = 0; roots && i < m->nunits; i++)
        if (m->units[i].parent < 0)
            roots[nr++] = (byname){ (int)i, m->units[i].name };
    if (roots)
        qsort(roots, nr, sizeof *roots, cmp_byname);
    walk w = { m, &t, is_csv ? &out : NULL, arr, is_json, on };
    for (size_t i = 0; i < nr; i++)
        walk_units(&w, roots[i].idx);
    rc = finish_listing("units", arr, &t, is_json, is_csv, &out);
    free(roots);
    json_decref(arr);
    cli_table_free(&t);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}

int cmd_indicators(int argc, char **argv)
{
    const char *db = NULL, *fmt = "text";
    int help, rc = parse_common(argc, argv, &db, &fmt, &help,
        "Cách dùng: chitieu indicators [--db TỆP] [--format text|json|csv]\nLiệt kê các chỉ tiêu theo nhóm, tên theo thứ tự tiếng Việt.",
        "Usage: chitieu indicators [--db FILE] [--format text|json|csv]\nLists the indicators by group, names in Vietnamese order.");
    if (rc || help)
        return rc;
    store *s;
    model *m;
    if (cli_open_part("indicators", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    /* Order: groups in first-seen order, then names in Vietnamese order within a group. */
    byname *order = calloc(m->ninds + 1, sizeof *order);
    size_t n = 0;
    for (size_t g = 0; order && g < m->ninds; g++) {
        int first = 1;
        for (size_t k = 0; k < g; k++)
            if (strcmp(m->inds[k].group, m->inds[g].group) == 0)
                first = 0;
        if (!first)
            continue;
        size_t start = n;
        for (size_t i = g; i < m->ninds; i++)
            if (strcmp(m->inds[i].group, m->inds[g].group) == 0)
                order[n++] = (byname){ (int)i, m->inds[i].name };
        qsort(order + start, n - start, sizeof *order, cmp_byname);
    }
    buf out = BUF_INIT;
    cli_table t;
    json_t *arr = json_array();
    cli_table_init(&t, 6, 0);
    int is_json = strcmp(fmt, "json") == 0, is_csv = strcmp(fmt, "csv") == 0;
    if (is_csv)
        buf_adds(&out, "code,name,group,set,parent,unit,direction,unit_aggregation,period_aggregation,formula,decimals\n");
    else if (!is_json) {
        const char *h[6] = { tr("Mã", "Code"), tr("Tên", "Name"), tr("Nhóm", "Group"), tr("Loại", "Set"),
                             tr("ĐVT", "Unit"), tr("Tính", "Rules") };
        for (int i = 0; i < 6; i++)
            cli_table_cell(&t, h[i]);
    }
    for (size_t k = 0; k < n; k++) {
        const ind_t *d = &m->inds[order[k].idx];
        char dec[8];
        snprintf(dec, sizeof dec, "%d", d->decimals);
        if (is_json) {
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:i}",
                "code", d->code, "name", d->name, "group", d->group, "set", d->set, "parent",
                d->parent_code, "unit", d->measure, "direction", model_dir_name(d->dir),
                "unit_aggregation", model_agg_name(d->uagg), "period_aggregation",
                model_agg_name(d->pagg), "formula", d->formula_src, "decimals", d->decimals));
        } else if (is_csv) {
            const char *f[11] = { d->code, d->name, d->group, d->set, d->parent_code, d->measure,
                                  model_dir_name(d->dir), model_agg_name(d->uagg),
                                  model_agg_name(d->pagg), d->formula_src, dec };
            for (int i = 0; i < 11; i++)
                cli_csv_field(&out, f[i], i == 10);
        } else {
            buf name = BUF_INIT, rules = BUF_INIT;
            buf_printf(&name, "%s%s", d->parent >= 0 ? "  – " : "", d->name);
            buf_printf(&rules, "%s %s/%s", model_dir_name(d->dir), model_agg_name(d->uagg),
                       model_agg_name(d->pagg));
            if (d->formula_src[0])
                buf_printf(&rules, " = %s", d->formula_src);
            cli_table_cell(&t, d->code);
            cli_table_cell(&t, buf_str(&name));
            cli_table_cell(&t, d->group);
            cli_table_cell(&t, d->set);
            cli_table_cell(&t, d->measure);
            cli_table_cell(&t, buf_str(&rules));
            buf_free(&name);
            buf_free(&rules);
        }
    }
    rc = finish_listing("indicators", arr, &t, is_json, is_csv, &out);
    free(order);
    json_decref(arr);
    cli_table_free(&t);
    buf_free(&out);
    store_close(s);
    model_free(m);
    return rc;
}
