/* rule.c - validation rules between indicators (see rule.h).
 *
 * Data flow: text -> split at the one comparison operator -> each side compiled by
 * formula_parse -> the distinct operand codes of both sides in vars, with a map from each
 * side's variables to them -> rule_bind resolves the codes to indicator indexes of a model ->
 * rule_eval / rule_check_model compare both sides; rule_run walks a unit subtree.
 * Ownership: a rule_t owns its strings, formulas and arrays; the model is borrowed.
 */
#include "rule.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "eval.h"

static const char *const op_texts[] = { "==", "!=", "<", "<=", ">", ">=" };

const char *rule_op_text(int op)
{
    return op >= 0 && op <= RULE_GE ? op_texts[op] : "?";
}

int rule_sev_parse(const char *s)
{
    if (s == NULL)
        return -1;
    if (strcmp(s, "error") == 0 || strcmp(s, "lỗi") == 0)
        return RULE_ERROR;
    if (strcmp(s, "warning") == 0 || strcmp(s, "cảnh báo") == 0)
        return RULE_WARNING;
    return -1;
}

const char *rule_sev_key(int sev)
{
    return sev == RULE_WARNING ? "warning" : "error";
}

const char *rule_sev_name(int sev)
{
    return sev == RULE_WARNING ? tr("cảnh báo", "warning") : tr("lỗi", "error");
}

void rule_free(rule_t *r)
{
    if (r == NULL)
        return;
    free(r->code);
    free(r->text);
    free(r->message);
    formula_free(r->lhs);
    formula_free(r->rhs);
    for (int i = 0; i < r->nvars && r->vars; i++)
        free(r->vars[i]);
    free(r->vars);
    free(r->lmap);
    free(r->rmap);
    free(r->inds);
    memset(r, 0, sizeof *r);
}

/* Finds the comparison operator: its offset in *at and length in *len; -1 with a message if
 * there is none or more than one. */
static int find_op(const char *s, int *op, size_t *at, size_t *len, err_t *e)
{
    const char *p = strpbrk(s, "<>=!");
    if (p == NULL)
        return err_set(e, "%s", tr("thiếu phép so sánh (==, !=, <, <=, >, >=)",
                                   "a comparison (==, !=, <, <=, >, >=) is missing"));
    size_t n = p[1] == '=' ? 2 : 1;
    if (p[0] == '=')
        *op = RULE_EQ;               /* "=" and "==" */
    else if (p[0] == '!')
        *op = RULE_NE;
    else if (p[0] == '<')
        *op = n == 2 ? RULE_LE : RULE_LT;
    else
        *op = n == 2 ? RULE_GE : RULE_GT;
    if (p[0] == '!' && n == 1)
        return err_set(e, tr("ký tự %zu: cần '!=' ", "character %zu: expected '!='"), (size_t)(p - s) + 1);
    const char *more = strpbrk(p + n, "<>=!");
    if (more)
        return err_set(e, tr("ký tự %zu: chỉ được một phép so sánh", "character %zu: only one comparison is allowed"),
                       (size_t)(more - s) + 1);
    *at = (size_t)(p - s);
    *len = n;
    return 0;
}

/* Adds side f's variables to r->vars, filling *map. */
static int add_vars(rule_t *r, const formula *f, int **map, err_t *e)
{
    int n = formula_nvars(f);
    *map = malloc(((size_t)n + 1) * sizeof **map);
    char **grown = realloc(r->vars, ((size_t)r->nvars + (size_t)n + 1) * sizeof *grown);
    if (*map == NULL || grown == NULL) {
        if (grown)
            r->vars = grown;
        return err_set(e, "out of memory");
    }
    r->vars = grown;
    for (int i = 0; i < n; i++) {
        const char *v = formula_var(f, i);
        int k = 0;
        while (k < r->nvars && strcmp(r->vars[k], v) != 0)
            k++;
        if (k == r->nvars) {
            if ((r->vars[k] = strdup(v)) == NULL)
                return err_set(e, "out of memory");
            r->nvars++;
        }
        (*map)[i] = k;
    }
    return 0;
}

/* Compiles one side (n bytes at s). */
static int parse_side(const char *s, size_t n, int left, formula **out, err_t *e)
{
    char *side = malloc(n + 1);
    if (side == NULL)
        return err_set(e, "out of memory");
    memcpy(side, s, n);
    side[n] = '\0';
    err_t fe;
    int r = formula_parse(side, out, &fe);
    free(side);
    if (r != 0)
        return err_set(e, "%s: %s", left ? tr("vế trái", "left side") : tr("vế phải", "right side"), fe.msg);
    return 0;
}

int rule_parse(const char *text, rule_t *r, err_t *e)
{
    int op = RULE_EQ;
    size_t at = 0, len = 0;
    memset(r, 0, sizeof *r);
    if (strlen(text) > FORMULA_MAX_LEN)
        return err_set(e, tr("quy tắc dài quá %d ký tự", "rule longer than %d characters"), FORMULA_MAX_LEN);
    if (find_op(text, &op, &at, &len, e) != 0)
        return -1;
    r->op = op;
    if (parse_side(text, at, 1, &r->lhs, e) != 0 ||
        parse_side(text + at + len, strlen(text + at + len), 0, &r->rhs, e) != 0 ||
        add_vars(r, r->lhs, &r->lmap, e) != 0 || add_vars(r, r->rhs, &r->rmap, e) != 0) {
        rule_free(r);
        return -1;
    }
    if ((r->text = strdup(text)) == NULL) {
        rule_free(r);
        return err_set(e, "out of memory");
    }
    if (r->nvars == 0) {
        rule_free(r);
        return err_set(e, "%s", tr("quy tắc không nhắc đến chỉ tiêu nào", "the rule names no indicator"));
    }
    return 0;
}

static int code_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > RULE_CODE_MAX)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.' && *s != '-')
            return 0;
    return 1;
}

int rule_make(const char *code, const char *text, const char *severity, const char *message, rule_t *r,
              err_t *e)
{
    int sev = rule_sev_parse(severity);
    memset(r, 0, sizeof *r);
    if (!code_ok(code))
        return err_set(e, "%s", tr("mã quy tắc: 1–64 ký tự chữ, số, '_', '.', '-'",
                                   "rule code: 1–64 letters, digits, '_', '.', '-'"));
    if (sev < 0)
        return err_set(e, "%s", tr("mức độ phải là 'error' (lỗi) hoặc 'warning' (cảnh báo)",
                                   "severity must be 'error' or 'warning'"));
    if (message && strlen(message) > RULE_MESSAGE_MAX)
        return err_set(e, tr("thông báo dài quá %d byte", "message longer than %d bytes"), RULE_MESSAGE_MAX);
    if (rule_parse(text, r, e) != 0)
        return -1;
    r->severity = sev;
    if ((r->code = strdup(code)) == NULL || (r->message = strdup(message ? message : "")) == NULL) {
        rule_free(r);
        return err_set(e, "out of memory");
    }
    return 0;
}

int rule_bind(rule_t *r, const model *m, err_t *e)
{
    free(r->inds);
    r->inds = malloc(((size_t)r->nvars + 1) * sizeof *r->inds);
    if (r->inds == NULL)
        return err_set(e, "out of memory");
    for (int i = 0; i < r->nvars; i++)
        if ((r->inds[i] = model_ind_find(m, r->vars[i])) < 0) {
            err_set(e, tr("quy tắc '%s': không có chỉ tiêu mã '%s'", "rule '%s': no indicator has the code '%s'"),
                    r->code ? r->code : "", r->vars[i]);
            free(r->inds);
            r->inds = NULL;
            return -1;
        }
    return 0;
}

int rule_reads(const rule_t *r, int ind)
{
    for (int i = 0; r->inds && i < r->nvars; i++)
        if (r->inds[i] == ind)
            return 1;
    return 0;
}

int rule_decimals(const rule_t *r, const model *m)
{
    int d = 0;
    for (int i = 0; r->inds && i < r->nvars; i++)
        if (r->inds[i] >= 0 && m->inds[r->inds[i]].decimals > d)
            d = m->inds[r->inds[i]].decimals;
    return d > 4 ? 4 : d;
}

static double round_to(double x, int decimals)
{
    double scale = pow(10.0, decimals);
    double y = round(x * scale) / scale;
    return isfinite(y) ? y : x;
}

/* One side: its variables picked from the rule's values. */
static int eval_side(const formula *f, const int *map, const double *vals, const unsigned char *has,
                     double *out)
{
    int n = formula_nvars(f);
    double v[64];
    unsigned char h[64];
    double *pv = n <= 64 ? v : malloc((size_t)n * sizeof *pv);
    unsigned char *ph = n <= 64 ? h : malloc((size_t)n);
    int r = -1;
    if (pv && ph) {
        for (int i = 0; i < n; i++) {
            pv[i] = vals[map[i]];
            ph[i] = has[map[i]];
        }
        r = formula_eval(f, pv, ph, out);
    }
    if (pv != v)
        free(pv);
    if (ph != h)
        free(ph);
    return r;
}

int rule_eval(const rule_t *r, const double *vals, const unsigned char *has, int decimals, double *lhs,
              double *rhs)
{
    for (int i = 0; i < r->nvars; i++)
        if (!has[i])
            return RULE_SKIP;
    double l, x;
    if (eval_side(r->lhs, r->lmap, vals, has, &l) != 0 || eval_side(r->rhs, r->rmap, vals, has, &x) != 0)
        return RULE_SKIP;
    l = round_to(l, decimals);
    x = round_to(x, decimals);
    *lhs = l;
    *rhs = x;
    int ok = r->op == RULE_EQ ? l == x : r->op == RULE_NE ? l != x : r->op == RULE_LT ? l < x
           : r->op == RULE_LE ? l <= x : r->op == RULE_GT ? l > x : l >= x;
    return ok ? RULE_PASS : RULE_FAIL;
}

int rule_check_model(const rule_t *r, const model *m, int unit, period_t p, double *lhs, double *rhs)
{
    double v[64];
    unsigned char h[64];
    if (r->inds == NULL || r->nvars > 64)
        return RULE_SKIP;
    for (int i = 0; i < r->nvars; i++)
        h[i] = (unsigned char)eval_actual(m, r->inds[i], unit, p, &v[i]);
    return rule_eval(r, v, h, rule_decimals(r, m), lhs, rhs);
}

/* ---- the rules file ---- */

static const char *const header[] = { "code", "rule", "severity", "message" };

int rule_file_is_rules(const char *data, size_t len)
{
    return csv_starts_with_header(data, len, header, 4);
}

/* s without surrounding spaces into out (n bytes; a longer text is cut, still too long to pass). */
static const char *trimmed(const char *s, char *out, size_t n)
{
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    if (len >= n)
        len = n - 1;
    memcpy(out, s, len);
    out[len] = '\0';
    return out;
}

/* Parses one data row into item, bound to the model ctx when not NULL (csv_row_fn); items[0..n)
 * are the rules above it. */
static int file_row(void *ctx, const char *name, const csv_record *rec, const void *items, int n, void *item,
                    buf *errors)
{
    const model *m = ctx;
    const rule_t *rules = items;
    rule_t *r = item;
    err_t e;
    if (rec->nfields != 4) {
        buf_printf(errors, tr("%s, dòng %ld: cần 4 cột (code,rule,severity,message), có %zu\n",
                              "%s, row %ld: 4 fields expected (code,rule,severity,message), found %zu\n"),
                   name, rec->row, rec->nfields);
        return -1;
    }
    char code[RULE_CODE_MAX + 64], sev[64];
    trimmed(rec->field[0], code, sizeof code);
    trimmed(rec->field[2], sev, sizeof sev);
    for (int k = 0; k < n; k++)
        if (strcmp(rules[k].code, code) == 0) {
            buf_printf(errors, tr("%s, dòng %ld, cột 1 (code): mã '%s' trùng với một dòng trên\n",
                                  "%s, row %ld, column 1 (code): code '%s' repeats an earlier row\n"),
                       name, rec->row, code);
            return -1;
        }
    if (rule_make(code, rec->field[1], sev, rec->field[3], r, &e) != 0) {
        int col = !code_ok(code) ? 1 : rule_sev_parse(sev) < 0 ? 3
                : strlen(rec->field[3]) > RULE_MESSAGE_MAX ? 4 : 2;
        buf_printf(errors, tr("%s, dòng %ld, cột %d (%s): %s\n", "%s, row %ld, column %d (%s): %s\n"), name,
                   rec->row, col, header[col - 1], e.msg);
        return -1;
    }
    if (m && rule_bind(r, m, &e) != 0) {
        buf_printf(errors, tr("%s, dòng %ld, cột 2 (rule): %s\n", "%s, row %ld, column 2 (rule): %s\n"), name,
                   rec->row, e.msg);
        rule_free(r);
        return -1;
    }
    return 0;
}

static void drop_rule(void *item)
{
    rule_free(item);
}

int rule_file_parse(const char *name, const char *data, size_t len, const model *m, rule_t **out, int *n, buf *errors,
                    err_t *e)
{
    const csv_table t = { header, 4, sizeof **out, file_row, drop_rule, (void *)m };
    void *items;
    int bad = csv_read_table(name, data, len, &t, &items, n, errors, e);
    *out = items;
    if (bad < 0)
        return -1;
    if (bad > 0)
        return err_set(e, tr("%s: %d lỗi, không có quy tắc nào được ghi", "%s: %d errors, no rule was written"), name, bad);
    if (*n == 0) {
        free(*out);
        *out = NULL;
        return err_set(e, tr("%s: tệp không có dòng quy tắc nào", "%s: the file has no rule rows"), name);
    }
    return 0;
}

/* ---- the validation run ---- */

static int run_unit(const model *m, const rule_t *rules, int nrules, int u, period_t p, rule_violation **out,
                    int *n, int *cap, err_t *e)
{
    for (int k = 0; k < nrules; k++) {
        double l, x;
        if (rules[k].inds == NULL || rule_check_model(&rules[k], m, u, p, &l, &x) != RULE_FAIL)
            continue;
        if (*n == *cap) {
            rule_violation *g = realloc(*out, ((size_t)*cap * 2 + 16) * sizeof *g);
            if (g == NULL)
                return err_set(e, "out of memory");
            *out = g;
            *cap = *cap * 2 + 16;
        }
        (*out)[(*n)++] = (rule_violation){ k, u, p, l, x };
    }
    return 0;
}

int rule_run(const model *m, const rule_t *rules, int nrules, int unit, period_t p, rule_violation **out,
             int *n, err_t *e)
{
    int cap = *n;
    /* depth first, in the tree's order: the unit, then each child's subtree */
    for (int u = unit; u >= 0;) {
        if (model_unit_valid(m, u, p) && run_unit(m, rules, nrules, u, p, out, n, &cap, e) != 0)
            return -1;
        if (m->units[u].first_child >= 0) {
            u = m->units[u].first_child;
            continue;
        }
        while (u != unit && m->units[u].next_sibling < 0)
            u = m->units[u].parent;
        u = u == unit ? -1 : m->units[u].next_sibling;
    }
    return 0;
}
