/* cmd_rules.c - `chitieu rules import|list|delete|outlier-k`: the validation rules and the
 * outlier bounds of a database (rule.h, outlier.h, store_rule.h).
 *
 * `import FILE...` reads each file whole, tells a rules file (header code,rule,severity,message)
 * from a bounds file (header indicator,min,max) by its header, checks every row (rules are
 * parsed and their indicator codes resolved) and stores them all in one transaction, or
 * nothing.  Rules and bounds with the same code replace the stored ones; --replace first
 * removes every stored rule (for rules files) or bound (for bounds files).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "store_rule.h"
#include "store_web.h"
#include "vn.h"
#include "write.h"

static const char help_vi[] =
    "Cách dùng:\n"
    "  chitieu rules import TỆP.csv... [--replace] [--db TỆP]\n"
    "  chitieu rules list [--db TỆP]\n"
    "  chitieu rules delete MÃ [--db TỆP]\n"
    "  chitieu rules outlier-k [K] [--db TỆP]\n"
    "Quy tắc kiểm tra giữa các chỉ tiêu, tệp CSV có tiêu đề code,rule,severity,message, ví dụ\n"
    "  dv1,dang_vien_moi <= dang_vien,error,Đảng viên mới không vượt tổng số đảng viên\n"
    "severity: error (từ chối ghi) hoặc warning (cần ghi chú). Ngưỡng bất thường theo chỉ tiêu:\n"
    "tệp có tiêu đề indicator,min,max. outlier-k: ngưỡng điểm z hiệu chỉnh (mặc định 3,5).";
static const char help_en[] =
    "Usage:\n"
    "  chitieu rules import FILE.csv... [--replace] [--db FILE]\n"
    "  chitieu rules list [--db FILE]\n"
    "  chitieu rules delete CODE [--db FILE]\n"
    "  chitieu rules outlier-k [K] [--db FILE]\n"
    "Validation rules between indicators: a CSV file with the header code,rule,severity,message, e.g.\n"
    "  dv1,dang_vien_moi <= dang_vien,error,New members cannot exceed all members\n"
    "severity: error (the write is refused) or warning (a comment is required). Outlier bounds per\n"
    "indicator: a file with the header indicator,min,max. outlier-k: the modified z-score threshold (default 3.5).";

typedef struct loaded {
    rule_t *rules;
    int nrules;
    outlier_bound *bounds;
    int nbounds;
} loaded;

static void loaded_free(loaded *l)
{
    for (int k = 0; k < l->nrules; k++)
        rule_free(&l->rules[k]);
    free(l->rules);
    free(l->bounds);
}

/* Reads one file into l (appending); problems to errors; 0 or -1. */
static int load_file(const char *path, const model *m, loaded *l, buf *errors)
{
    buf data = BUF_INIT;
    err_t e;
    int rc = -1;
    if (cli_read_file("rules", path, &data) != 0)
        return -1;
    if (rule_file_is_rules(buf_str(&data), data.len)) {
        rule_t *r;
        int n;
        if (rule_file_parse(path, buf_str(&data), data.len, m, &r, &n, errors, &e) != 0)
            goto fail;
        rule_t *g = realloc(l->rules, ((size_t)l->nrules + (size_t)n) * sizeof *g);
        if (g == NULL) {
            for (int k = 0; k < n; k++)
                rule_free(&r[k]);
            free(r);
            err_set(&e, "out of memory");
            goto fail;
        }
        memcpy(g + l->nrules, r, (size_t)n * sizeof *r);
        free(r);
        l->rules = g;
        l->nrules += n;
    } else if (outlier_file_is_bounds(buf_str(&data), data.len)) {
        outlier_bound *b;
        int n, bad = 0;
        if (outlier_bounds_parse(path, buf_str(&data), data.len, &b, &n, errors, &e) != 0)
            goto fail;
        for (int k = 0; k < n; k++)
            if (model_ind_find(m, b[k].code) < 0) {
                buf_printf(errors, tr("%s: không có chỉ tiêu mã '%s'\n", "%s: no indicator has the code '%s'\n"), path,
                           b[k].code);
                bad++;
            }
        outlier_bound *g = bad ? NULL : realloc(l->bounds, ((size_t)l->nbounds + (size_t)n) * sizeof *g);
        if (g == NULL) {
            free(b);
            if (bad)
                err_set(&e, tr("%s: %d lỗi, không có gì được ghi", "%s: %d errors, nothing was written"), path, bad);
            else
                err_set(&e, "%s: out of memory", path);
            goto fail;
        }
        memcpy(g + l->nbounds, b, (size_t)n * sizeof *b);
        free(b);
        l->bounds = g;
        l->nbounds += n;
    } else {
        err_set(&e, tr("%s, dòng 1: không nhận ra loại tệp: cần tiêu đề 'code,rule,severity,message' (quy tắc) "
                       "hoặc 'indicator,min,max' (ngưỡng)",
                       "%s, row 1: unknown kind of file: the header 'code,rule,severity,message' (rules) or "
                       "'indicator,min,max' (bounds) is expected"), path);
        goto fail;
    }
    rc = 0;
    goto cleanup;
fail:
    buf_printf(errors, "%s\n", e.msg);
cleanup:
    buf_free(&data);
    return rc;
}

static int do_import(store *s, const model *m, char **files, int nfiles, int replace)
{
    loaded l = { 0 };
    buf errors = BUF_INIT;
    err_t e;
    int bad = 0, rc = EXIT_FAIL;
    for (int i = 0; i < nfiles; i++)
        bad += load_file(files[i], m, &l, &errors) != 0;
    if (bad) {
        fputs(buf_str(&errors), stderr);
        cli_error("rules", tr("không có gì được ghi", "nothing was written"));
        goto cleanup;
    }
    write_actor a = { "cli", -1, -1, "rules", 0, 1 };
    if (write_begin(s, &a, &e) != 0 ||
        (l.nrules && store_rule_put(s, l.rules, l.nrules, replace, &e) != 0) ||
        (l.nbounds && store_bound_put(s, l.bounds, l.nbounds, replace, &e) != 0) || store_commit(s, &e) != 0) {
        store_rollback(s);
        cli_error("rules", e.msg);
        goto cleanup;
    }
    printf(tr("Đã ghi %d quy tắc, %d ngưỡng.\n", "Stored %d rules, %d bounds.\n"), l.nrules, l.nbounds);
    rc = EXIT_OK;
cleanup:
    buf_free(&errors);
    loaded_free(&l);
    return rc;
}

static int do_list(store *s, const model *m)
{
    rule_t *r = NULL;
    outlier_bound *b = NULL;
    int nr = 0, nb = 0;
    err_t e;
    buf out = BUF_INIT, num = BUF_INIT;
    if (store_rule_load(s, &r, &nr, &e) != 0 || store_bound_load(s, &b, &nb, &e) != 0) {
        cli_error("rules", e.msg);
        return EXIT_FAIL;
    }
    cli_table t;
    cli_table_init(&t, 4, 0);
    const char *hd[4] = { tr("Mã", "Code"), tr("Quy tắc", "Rule"), tr("Mức độ", "Severity"), tr("Thông báo", "Message") };
    for (int i = 0; i < 4; i++)
        cli_table_cell(&t, hd[i]);
    for (int k = 0; k < nr; k++) {
        err_t be;
        cli_table_cell(&t, r[k].code);
        cli_table_cell(&t, r[k].text);
        cli_table_cell(&t, rule_bind(&r[k], m, &be) == 0 ? rule_sev_name(r[k].severity)
                                                          : tr("(bỏ qua: chỉ tiêu không còn)", "(skipped: unknown indicator)"));
        cli_table_cell(&t, r[k].message);
    }
    if (nr)
        cli_table_render(&t, &out);
    else
        buf_adds(&out, tr("Chưa có quy tắc nào.\n", "No rules.\n"));
    for (int k = 0; k < nb; k++) {
        buf_reset(&num);
        buf_printf(&num, "%s: ", b[k].code);
        b[k].has_min ? vn_format_number_trim(b[k].min, 4, lang_get(), &num) : (void)buf_adds(&num, "–");
        buf_adds(&num, " … ");
        b[k].has_max ? vn_format_number_trim(b[k].max, 4, lang_get(), &num) : (void)buf_adds(&num, "–");
        buf_printf(&out, "%s%s\n", k ? "" : tr("\nNgưỡng:\n", "\nBounds:\n"), buf_str(&num));
    }
    buf_printf(&out, tr("Ngưỡng điểm z hiệu chỉnh (outlier-k): %g\n", "Modified z-score threshold (outlier-k): %g\n"),
               store_outlier_k(s));
    int rc = cli_write("rules", NULL, &out) ? EXIT_FAIL : EXIT_OK;
    cli_table_free(&t);
    buf_free(&out);
    buf_free(&num);
    for (int k = 0; k < nr; k++)
        rule_free(&r[k]);
    free(r);
    free(b);
    return rc;
}

static int do_delete(store *s, const char *code)
{
    err_t e;
    write_actor a = { "cli", -1, -1, "rules", 0, 1 };
    int r = -1;
    if (write_begin(s, &a, &e) != 0 || (r = store_rule_delete(s, code, &e)) < 0 || store_commit(s, &e) != 0) {
        store_rollback(s);
        cli_error("rules", e.msg);
        return EXIT_FAIL;
    }
    if (r == 0) {
        cli_error("rules", tr("không có quy tắc mã này", "no rule has this code"));
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

static int do_k(store *s, const char *k)
{
    err_t e;
    double v;
    if (k == NULL) {
        printf("%g\n", store_outlier_k(s));
        return EXIT_OK;
    }
    if (vn_parse_number(k, strlen(k), VN_DEC_AUTO, &v) != 0 || !(v > 0 && v < 1000)) {
        cli_error("rules", tr("K phải là một số dương (ví dụ 3,5)", "K must be a positive number (e.g. 3.5)"));
        return EXIT_USAGE;
    }
    char txt[32];
    snprintf(txt, sizeof txt, "%.17g", v);
    if (store_meta_set(s, "outlier_k", txt, &e) != 0) {
        cli_error("rules", e.msg);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

int cmd_rules(int argc, char **argv)
{
    const char *db = NULL;
    int help, npos, rc, replace = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--replace", NULL, NULL, &replace }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr(help_vi, help_en));
        return EXIT_OK;
    }
    const char *what = npos ? argv[1] : "";
    int want = strcmp(what, "import") == 0 ? 2 : strcmp(what, "delete") == 0 ? 3 : strcmp(what, "list") == 0 ? 1
             : strcmp(what, "outlier-k") == 0 ? 4 : 0;
    if (want == 0 || (want == 2 && npos < 2) || (want == 3 && npos != 2) || (want == 1 && npos != 1) ||
        (want == 4 && npos > 2)) {
        cli_error("rules", tr("cần: import TỆP..., list, delete MÃ hoặc outlier-k [K] (xem --help)",
                              "expected: import FILE..., list, delete CODE or outlier-k [K] (see --help)"));
        return EXIT_USAGE;
    }
    store *s;
    model *m;
    if (cli_open_part("rules", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    rc = want == 2 ? do_import(s, m, argv + 2, npos - 1, replace) : want == 1 ? do_list(s, m)
       : want == 3 ? do_delete(s, argv[2]) : do_k(s, npos == 2 ? argv[2] : NULL);
    store_close(s);
    model_free(m);
    return rc;
}
