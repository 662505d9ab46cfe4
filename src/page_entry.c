/* page_entry.c - data entry and approval: the entry grid for a unit and period, saving
 * values (shared with the API through web_save_values), deleting a stored figure (its field
 * emptied, with a reason: write_delete), submitting, and the approver's list with approve /
 * return / unlock.  Beside an empty input the grid shows the figure derived for the unit
 * (formula, units below, sub-periods: eval_unit), read-only and marked; formula indicators get
 * a read-only row.  "Kỳ trước" is period_prev, "Cùng kỳ" period_prev_year.
 *
 * Workflow of a (unit, period) data set: draft -> submitted (editor) -> approved (approver,
 * locks) or returned (approver, with a comment) -> draft edits again; approved -> returned
 * only by an admin with a reason.  Values change only in draft or returned state.  Every
 * write runs in one transaction under the model's write lock, then updates the model.
 *
 * The page (GET) keeps in the page cache, until the model changes (web_cache_*): the grid with
 * the form's end, the unit picker and the tenfold warnings.  The data set's state and the locks
 * are read from the database on every request (they decide `editable`, part of the grid's key),
 * the header (user, CSRF token) is made afresh, and a form sent back with input is never kept.
 */
#include "web.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "eval.h"
#include "fixed.h"
#include "report.h"
#include "vn.h"
#include "write.h"

static int number_in(const char *s, double *v)
{
    enum vn_dec hint = lang_get() == LANG_EN ? VN_DEC_DOT : VN_DEC_COMMA;
    return vn_parse_number(s, strlen(s), hint, v) == 0 && isfinite(*v) ? 0 : -1;
}

static void fmt_num(buf *b, double v, int decimals)
{
    vn_format_number_trim(v, decimals, lang_get(), b);
}

static void row_err(buf *errs, int row, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_err(buf *errs, int row, const char *field, const char *fmt, ...)
{
    va_list ap;
    buf_printf(errs, "%d\t%s\t", row, field);
    va_start(ap, fmt);
    buf_vprintf(errs, fmt, ap);
    va_end(ap);
    for (size_t k = errs->len; k > 0 && errs->p[k - 1] != '\t'; k--)
        if (errs->p[k - 1] == '\n')
            errs->p[k - 1] = ' ';             /* one line per problem */
    buf_addc(errs, '\n');
}

static void model_lock(void *ctx)
{
    web_model_begin(ctx);            /* readers wait only for the in-memory updates */
}

static void model_unlock(void *ctx)
{
    web_committed(ctx);
    web_model_end(ctx);
}

/* The form and the API: numbers parsed here (in the page language), everything else decided by
 * write_values inside its transaction (write.h). */
int web_save_values(web_ctx *c, const web_value_in *in, int n, buf *errs, int *saved)
{
    model *m = c->m;
    int rc = -1, nrows = 0, outside = 0;
    write_row *rows = calloc((size_t)n + 1, sizeof *rows);
    int *at = calloc((size_t)n + 1, sizeof *at);
    buf sub = BUF_INIT;
    *saved = 0;
    if (rows == NULL || at == NULL) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    for (int k = 0; k < n; k++) {
        const web_value_in *x = &in[k];
        double v = x->num;
        if (x->text ? number_in(x->text, &v) != 0 : !isfinite(v)) {
            row_err(errs, k, "value", tr("'%s' không phải số (ví dụ 1.234,5)", "'%s' is not a number (e.g. 1,234.5)"),
                    x->text ? x->text : "?");
            continue;
        }
        if (fx_too_large(v)) {
            row_err(errs, k, "value", "%s", tr("số quá lớn: giới hạn là ±900.000 tỷ; hãy nhập theo đơn vị tính lớn hơn "
                                              "(ví dụ tỷ đồng thay cho đồng)",
                                              "number too large: the limit is ±9e14; enter it in a larger unit "
                                              "(e.g. billions instead of units)"));
            continue;
        }
        at[nrows] = k;
        rows[nrows++] = (write_row){ WRITE_VALUE, model_ind_find(m, x->ind), x->unit, x->per, v, x->comment,
                                     x->orig, x->text };
    }
    write_actor a = { c->user.login, c->role, c->uunit, c->api ? "api" : "web", 60, 0 };
    write_sink sink = { model_lock, model_unlock, c };
    if (write_values(c->s, m, &a, rows, nrows, &sink, &sub, saved, &outside, &c->e) != 0)
        goto cleanup;
    /* write_values numbers its rows 0..nrows-1: back to the caller's */
    for (const char *s = buf_str(&sub); *s;) {
        const char *nl = strchr(s, '\n');
        int r = atoi(s);
        const char *t = strchr(s, '\t');
        if (nl == NULL || t == NULL)
            break;
        buf_printf(errs, "%d%.*s", r >= 0 && r < nrows ? at[r] : r, (int)(nl - t + 1), t);
        s = nl + 1;
    }
    if (outside)
        web_rebuild_soon(c);     /* meanwhile that year is evaluated the slower reference way */
    rc = 0;
cleanup:
    buf_free(&sub);
    free(rows);
    free(at);
    return rc;
}

/* Deletes the figures of del[0..nd) (the entry form's emptied fields) through write_delete, with
 * the reason; problems go to errs as "ROW\tFIELD\tMESSAGE" with ROW counted from base.  Returns
 * 0 (done, or refused with errs filled) or -1 (internal error in c->e). */
static int entry_delete(web_ctx *c, const web_value_in *del, int nd, const char *reason, buf *errs, int base)
{
    write_row *rows = calloc((size_t)nd + 1, sizeof *rows);
    buf sub = BUF_INIT;
    int deleted = 0, rc = -1;
    err_t e;
    if (rows == NULL)
        return err_set(&c->e, "out of memory");
    for (int k = 0; k < nd; k++)
        rows[k] = (write_row){ WRITE_VALUE, model_ind_find(c->m, del[k].ind), del[k].unit, del[k].per, 0, NULL,
                               del[k].orig, NULL };
    write_actor a = { c->user.login, c->role, c->uunit, "web", 60, 0 };
    write_sink sink = { model_lock, model_unlock, c };
    int r = write_delete(c->s, c->m, &a, rows, nd, reason, &sink, &sub, &deleted, &e);
    if (r < 0) {
        c->e = e;
        goto cleanup;
    }
    if (r == WRITE_INVALID)
        row_err(errs, base, "reason", "%s", e.msg);
    for (const char *s = buf_str(&sub); *s;) {
        const char *nl = strchr(s, '\n'), *t = strchr(s, '\t');
        if (nl == NULL || t == NULL)
            break;
        buf_printf(errs, "%d%.*s", base + atoi(s), (int)(nl - t + 1), t);
        s = nl + 1;
    }
    rc = 0;
cleanup:
    buf_free(&sub);
    free(rows);
    return rc;
}

/* 1 if indicator i belongs on unit u's entry grid for p: it is entered (no formula) and the
 * unit has a target or a figure for it around p. */
static int on_grid(const model *m, int i, int u, period_t p)
{
    if (m->inds[i].f)
        return 0;
    period_t y = period_year_of(p);
    cell_t tmp;                      /* only whether there is one matters */
    if (model_target(m, i, u, p, &tmp) || model_target(m, i, u, y, &tmp) || model_value(m, i, u, p, &tmp) ||
        model_value(m, i, u, period_prev(p), &tmp) || model_value(m, i, u, period_prev_year(p), &tmp))
        return 1;
    for (size_t t = 0; t < m->nterms; t++)
        if (period_contains(m->terms[t].per, p) && model_target(m, i, u, m->terms[t].per, &tmp))
            return 1;
    return 0;
}

/* The evaluation row of indicator i in r, or NULL. */
static const eval_row *eval_row_of(const eval_result *r, int i)
{
    for (int k = 0; k < r->nrows; k++)
        if (r->rows[k].ind == i)
            return &r->rows[k];
    return NULL;
}

/* A figure the unit does not enter itself for p: computed by its formula, rolled up from the
 * units below or from the sub-periods (eval.h); shown read-only beside the input, marked with
 * where it comes from and, when units below are missing, the coverage. */
static void derived_figure(web_ctx *c, const eval_row *r)
{
    if (r == NULL || (!r->has_actual && !r->withheld) || r->source == SRC_REPORTED || r->source == SRC_NONE)
        return;
    const ind_t *d = &c->m->inds[r->ind];
    const char *from = r->source == SRC_FORMULA ? tr("tính theo công thức", "by formula")
                     : r->source == SRC_UNITS   ? tr("cộng từ đơn vị cấp dưới", "from the units below")
                                                : tr("cộng từ các kỳ con", "from the sub-periods");
    page_printf(c, "<span class=\"derived\" data-source=\"%s\">", r->source == SRC_FORMULA ? "formula"
                : r->source == SRC_UNITS ? "units" : "periods");
    if (r->has_actual)
        page_num(c, r->actual, d->decimals);
    page_printf(c, " <small>(");
    page_text(c, from);
    if (r->partial) {
        buf cov = BUF_INIT;
        buf_adds(&cov, tr("; chưa đủ: ", "; incomplete: "));
        eval_cov_text(r, &cov);
        page_text(c, buf_str(&cov));
        buf_free(&cov);
    }
    page_printf(c, ")</small></span>");
}

/* A formula indicator's row for unit u: its figure, read-only (nothing to enter), with its
 * figures for the previous period pp and a year back py (one column when they are the same). */
static void formula_row(web_ctx *c, const eval_row *r, int u, period_t pp, period_t py)
{
    const ind_t *d = &c->m->inds[r->ind];
    double prev, ly;
    int same = period_eq(pp, py);
    int has_prev = eval_actual(c->m, r->ind, u, pp, &prev), has_ly = !same && eval_actual(c->m, r->ind, u, py, &ly);
    page_printf(c, "<tr class=\"derived-row\"><td><label for=\"f_");
    page_text(c, d->code);
    page_printf(c, "\">");
    page_text(c, d->name);
    page_printf(c, "</label></td><td class=\"ms\">");
    page_text(c, d->measure);
    page_printf(c, "</td><td class=\"num tg\">");
    if (r->has_target)
        page_num(c, r->target, d->decimals);
    page_printf(c, "</td><td class=\"num pv\">");
    if (has_prev)
        page_num(c, prev, d->decimals);
    if (!same) {
        page_printf(c, "</td><td class=\"num ly\">");
        if (has_ly)
            page_num(c, ly, d->decimals);
    }
    page_printf(c, "</td><td class=\"fig\"><output id=\"f_");
    page_text(c, d->code);
    page_printf(c, "\">");
    derived_figure(c, r);
    page_printf(c, "</output></td><td class=\"note\"></td></tr>");
}

/* The units the user may write valid in p, in the model's order (auth_allows ACT_WRITE: the
 * user's subtree, walked and marked, not every unit of the country tested) into *units (caller
 * frees; NULL and *n 0 when there is none); 0, or -1 out of memory (told in c->e). */
static int writable_units(web_ctx *c, period_t p, int **units, int *n)
{
    const model *m = c->m;
    int root = c->uunit, top = 0, rc = -1;
    *units = NULL;
    *n = 0;
    if (root < 0 || (size_t)root >= m->nunits || !auth_allows(m, c->role, root, root, ACT_WRITE))
        return 0;
    int *out = malloc(m->nunits * sizeof *out), *stack = malloc(m->nunits * sizeof *stack);
    unsigned char *in = calloc(m->nunits, 1);
    if (out == NULL || stack == NULL || in == NULL) {
        err_set(&c->e, "out of memory");
        goto cleanup;
    }
    stack[top++] = root;
    while (top > 0) {
        int k = stack[--top];
        in[k] = 1;
        for (int ch = m->units[k].first_child; ch >= 0 && top < (int)m->nunits; ch = m->units[ch].next_sibling)
            stack[top++] = ch;
    }
    for (size_t k = 0; k < m->nunits; k++)
        if (in[k] && model_unit_valid(m, (int)k, p))
            out[(*n)++] = (int)k;
    *units = out;
    out = NULL;
    rc = 0;
cleanup:
    free(out);
    free(stack);
    free(in);
    return rc;
}

/* The grid of unit u for p and what follows it in the form (the reason to delete, the buttons):
 * a function of the model, u, p, the language, editable and (keep_input) the form sent back.
 * 0, or -1 when the derived figures cannot be evaluated (told in c->e: no grid without them). */
static int entry_grid(web_ctx *c, int u, period_t p, int editable, int keep_input)
{
    const model *m = c->m;
    period_t pp = period_prev(p), py = period_prev_year(p);
    char ppc[PERIOD_CODE_MAX], pyc[PERIOD_CODE_MAX];
    period_code(pp, ppc, sizeof ppc);
    period_code(py, pyc, sizeof pyc);
    /* "Kỳ trước" is the previous period of the same kind; for a year (nine months, a term) it is
     * also "cùng kỳ", the same period a year back: then one column says both */
    int same = period_eq(pp, py);
    page_printf(c, "<div class=\"scroll\"><table class=\"grid entry%s\"><thead><tr><th>%s</th><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\" id=\"col-prev\">%s %s</th>",
                same ? " same" : "", tr("Chỉ tiêu", "Indicator"), tr("ĐVT", "Measure"), tr("Kế hoạch", "Target"),
                same ? tr("Kỳ trước (cùng kỳ)", "Previous (same period)") : tr("Kỳ trước", "Previous"), ppc);
    if (!same)
        page_printf(c, "<th class=\"num\" id=\"col-ly\">%s %s</th>", tr("Cùng kỳ", "Same period"), pyc);
    page_printf(c, "<th>%s</th><th>%s</th></tr></thead><tbody>", tr("Số liệu", "Value"), tr("Ghi chú", "Comment"));
    eval_result ev;
    if (eval_unit_unranked(m, u, p, &ev, &c->e) != 0)   /* the grid shows no ranks */
        return -1;
    int rows = 0;
    for (size_t i = 0; i < m->ninds; i++) {
        const eval_row *er = eval_row_of(&ev, (int)i);
        if (m->inds[i].f && er && (er->has_actual || er->withheld || er->has_target)) {
            formula_row(c, er, u, pp, py);
            continue;
        }
        if (!on_grid(m, (int)i, u, p))
            continue;
        const ind_t *d = &m->inds[i];
        cell_t vtmp, ttmp;
        const cell_t *cur = model_value(m, (int)i, u, p, &vtmp);
        double tv, prev, ly;
        int has_prev = eval_actual(m, (int)i, u, pp, &prev), has_ly = eval_actual(m, (int)i, u, py, &ly);
        const cell_t *tc = model_target(m, (int)i, u, p, &ttmp);
        if (tc == NULL)
            tc = model_target(m, (int)i, u, period_year_of(p), &ttmp);
        tv = tc ? tc->v : 0;
        rows++;
        page_printf(c, "<tr><td><label for=\"v_");
        page_text(c, d->code);
        page_printf(c, "\">");
        page_text(c, d->name);
        page_printf(c, "</label></td><td class=\"ms\">");
        page_text(c, d->measure);
        page_printf(c, "</td><td class=\"num tg\">");
        if (tc)
            page_num(c, tv, d->decimals);
        page_printf(c, "</td><td class=\"num pv\">");
        if (has_prev)
            page_num(c, prev, d->decimals);
        if (!same) {
            page_printf(c, "</td><td class=\"num ly\">");
            if (has_ly)
                page_num(c, ly, d->decimals);
        }
        page_printf(c, "</td><td class=\"fig\"><input class=\"num\" inputmode=\"decimal\" maxlength=\"40\" id=\"v_");
        page_text(c, d->code);
        page_printf(c, "\" name=\"v_");
        page_text(c, d->code);
        page_printf(c, "\" value=\"");
        buf kv = BUF_INIT;
        const char *typed = NULL;
        if (keep_input) {
            buf_adds(&kv, "v_");
            buf_adds(&kv, d->code);
            typed = http_param(&c->req->form, buf_str(&kv));
        }
        if (typed)
            page_text(c, typed);
        else if (cur)
            page_num(c, cur->v, d->decimals > 6 ? d->decimals : 6);
        buf_free(&kv);
        page_printf(c, "\"");
        if (has_prev)
            page_printf(c, " data-prev=\"%.17g\"", prev);
        if (!editable)
            page_printf(c, " readonly");
        page_printf(c, "><input type=\"hidden\" name=\"o_");
        page_text(c, d->code);
        page_printf(c, "\" value=\"");
        if (cur)
            page_printf(c, "%.17g", cur->v);
        page_printf(c, "\">");
        if (cur == NULL)
            derived_figure(c, er);
        page_printf(c, "<span class=\"hint\" aria-live=\"polite\"></span></td><td class=\"note\"><input maxlength=\"500\" aria-label=\"%s ",
                    tr("Ghi chú:", "Comment:"));
        page_text(c, d->name);
        page_printf(c, "\" name=\"c_");
        page_text(c, d->code);
        page_printf(c, "\" value=\"");
        page_text(c, cur && cur->comment ? cur->comment : "");
        page_printf(c, "\"%s></td></tr>", editable ? "" : " readonly");
    }
    page_printf(c, "</tbody></table></div>");
    eval_result_free(&ev);
    if (rows == 0)
        page_printf(c, "<p>%s</p>", tr("Đơn vị chưa có chỉ tiêu nào cho kỳ này.", "The unit has no indicators for this period."));
    if (editable && rows) {
        /* deleting a figure: empty its field and say why (write_delete keeps it in the history) */
        const char *why = keep_input ? http_param(&c->req->form, "reason") : NULL;
        page_printf(c, "<p class=\"delete-reason\"><label for=\"reason\">%s</label> <input id=\"reason\" "
                       "name=\"reason\" maxlength=\"500\" aria-describedby=\"reason-help\" value=\"",
                    tr("Lý do xóa số liệu", "Reason for deleting"));
        page_text(c, why ? why : "");
        page_printf(c, "\"> <span id=\"reason-help\" class=\"hint\">%s</span></p>",
                    tr("Để xóa một số liệu đã nhập: xóa trống ô số liệu, ghi lý do rồi lưu; việc xóa được ghi vào nhật ký.",
                       "To delete a stored figure: empty its field, give the reason and save; the deletion is logged."));
    }
    if (editable && rows)
        page_printf(c, "<p class=\"actions\"><button type=\"submit\" name=\"action\" value=\"save\">%s</button> "
                       "<button type=\"submit\" name=\"action\" value=\"submit\" class=\"primary\">%s</button></p>",
                    tr("Lưu nháp", "Save draft"), tr("Lưu và gửi duyệt", "Save and submit"));
    return 0;
}

/* The form choosing the unit (those the user may write, u selected) and the period: a function
 * of the model, the user's unit and role, u, p and the language, kept until the model changes
 * (writable_units walks the user's subtree over every unit of the country).  0, or -1 out of
 * memory (told in c->e). */
static int entry_picker(web_ctx *c, int u, period_t p, const char *per)
{
    const model *m = c->m;
    char key[96];
    snprintf(key, sizeof key, "ek|%d|%d|%d|%s|%d", c->uunit, c->role, u, per, lang_get());
    size_t start = c->resp->body.len;
    if (web_cache_get(c, key, &c->resp->body))
        return 0;
    int nopt = 0, *opts;
    if (writable_units(c, p, &opts, &nopt) != 0)
        return -1;
    page_printf(c, "<form method=\"get\" class=\"picker\"><label>%s <select name=\"unit\">", tr("Đơn vị", "Unit"));
    for (int j = 0; j < nopt; j++) {
        int k = opts[j];
        page_printf(c, "<option value=\"");
        page_text(c, m->units[k].code);
        page_printf(c, "\"%s>", k == u ? " selected" : "");
        page_text(c, m->units[k].name);
        page_printf(c, "</option>");
    }
    free(opts);
    page_printf(c, "</select></label> <label>%s <input name=\"period\" value=\"%s\" size=\"9\" "
                   "pattern=\"[0-9]{4}([SQ-][0-9]{1,2}|-[0-9]{4}|M9)?\"></label> <button type=\"submit\">%s</button></form>",
                tr("Kỳ", "Period"), per, tr("Mở", "Open"));
    web_cache_put(c, key, c->resp->body.p + start, c->resp->body.len - start);
    return 0;
}

/* The entry page of unit u for p: the state and the locks read from the database, the picker
 * and the grid (kept until the model changes unless keep_input sends the user's form back),
 * msg above them.  0, or -1 when the state, the locks or the grid cannot be read (told in c->e:
 * the handler answers 500 rather than a page that could show figures as editable, or locked,
 * wrongly). */
static int entry_form(web_ctx *c, int u, period_t p, const char *msg, int msg_ok, int keep_input)
{
    const model *m = c->m;
    char per[PERIOD_CODE_MAX];
    web_sub sub;
    period_code(p, per, sizeof per);
    web_sub lock;
    err_t le;
    if (store_sub_get(c->s, m->units[u].code, per, &sub, &c->e) < 0)
        return -1;
    /* a lock here, above (an approved district) or around (an approved year) */
    int locked = write_locked(c->s, m, u, p, &lock, &le);
    if (locked < 0) {
        c->e = le;
        return -1;
    }
    int editable = (sub.state == SUB_DRAFT || sub.state == SUB_RETURNED) && locked == 0;
    buf title = BUF_INIT;
    buf_adds(&title, tr("Nhập số liệu: ", "Data entry: "));
    buf_adds(&title, m->units[u].name);
    buf_adds(&title, " — ");
    report_period_label(m, p, &title);
    page_begin(c, buf_str(&title));
    buf_free(&title);
    if (msg) {
        page_printf(c, "<div class=\"msg %s\" role=\"alert\" id=\"msg\">", msg_ok ? "ok" : "err");
        page_lines(c, msg, "<div>", "</div>");  /* one line per problem */
        page_printf(c, "</div>");
    }
    if (entry_picker(c, u, p, per) != 0)
        return -1;
    if (sub.state == SUB_RETURNED && sub.comment[0]) {
        int unlocked = store_sub_was_unlock(c->s, &sub, &le) == 1;
        page_printf(c, "<div class=\"msg warn\" id=\"returned\">%s ",
                    unlocked ? tr("Quản trị đã mở khóa để sửa:", "Unlocked by an administrator for correction:")
                             : tr("Bị trả lại:", "Returned:"));
        page_text(c, sub.comment);
        page_printf(c, " (");
        page_text(c, sub.who);
        page_printf(c, ")</div>");
    }
    if (!editable) {
        page_printf(c, "<div class=\"msg warn\" id=\"locked\">%s", sub.state == SUB_APPROVED
                    ? tr("Số liệu kỳ này đã được duyệt và khóa.", "This period's data is approved and locked.")
                    : sub.state == SUB_SUBMITTED
                    ? tr("Số liệu kỳ này đã gửi, đang chờ duyệt.", "This period's data was submitted and awaits approval.")
                    : tr("Số liệu này thuộc một bộ số liệu đã khóa.", "These figures belong to a locked data set."));
        if (locked == 1) {
            buf lt = BUF_INIT;
            buf_adds(&lt, " ");
            write_lock_text(&lock, &lt);
            page_text(c, buf_str(&lt));
            buf_free(&lt);
        }
        page_printf(c, "</div>");
    }
    page_printf(c, "<form method=\"post\" action=\"/entry\" id=\"entry\" data-lang=\"%s\"><input type=\"hidden\" "
                   "name=\"unit\" value=\"", lang_get() == LANG_EN ? "en" : "vi");
    page_text(c, m->units[u].code);
    page_printf(c, "\"><input type=\"hidden\" name=\"period\" value=\"%s\">", per);
    page_csrf(c);
    /* The grid depends on nothing else than the model (its version keys the cache), u, p, the
     * language and editable, read above on every request from the database (the state, the
     * locks); kept until the model changes.  A form sent back with the user's input is not. */
    char gkey[96];
    snprintf(gkey, sizeof gkey, "eg|%d|%s|%d|%d", u, per, lang_get(), editable);
    size_t gstart = c->resp->body.len;
    if (keep_input || !web_cache_get(c, gkey, &c->resp->body)) {
        if (entry_grid(c, u, p, editable, keep_input) != 0)
            return -1;
        if (!keep_input)
            web_cache_put(c, gkey, c->resp->body.p + gstart, c->resp->body.len - gstart);
    }
    page_printf(c, "</form>");
    page_end(c);
    return 0;
}

/* Server-side plausibility: figures that moved more than tenfold from the previous period. */
static void plausibility(web_ctx *c, int u, period_t p, buf *out)
{
    const model *m = c->m;
    period_t pp = period_prev(p);
    for (size_t i = 0; i < m->ninds; i++) {
        cell_t tmp;
        const cell_t *cur = model_value(m, (int)i, u, p, &tmp);
        double prev;
        if (cur == NULL || !eval_actual(m, (int)i, u, pp, &prev))
            continue;
        double a = fabs(cur->v), b = fabs(prev);
        if ((b > 0 && a > 10 * b) || (a > 0 && b > 10 * a)) {
            buf_printf(out, tr("Cảnh báo: %s thay đổi hơn 10 lần so với kỳ trước (", "Warning: %s moved more than "
                               "tenfold from the previous period ("), m->inds[i].name);
            fmt_num(out, prev, m->inds[i].decimals);
            buf_adds(out, " → ");
            fmt_num(out, cur->v, m->inds[i].decimals);
            buf_adds(out, tr("); hãy kiểm tra lại.\n", "); please check.\n"));
        }
    }
}

int page_entry(web_ctx *c)
{
    int u;
    period_t p;
    if (web_unit(c, ACT_WRITE, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    const char *msg = web_param(c, "msg");
    buf b = BUF_INIT;
    if (msg && strcmp(msg, "saved") == 0)
        buf_adds(&b, tr("Đã lưu.\n", "Saved.\n"));
    else if (msg && strcmp(msg, "submitted") == 0)
        buf_adds(&b, tr("Đã lưu và gửi duyệt.\n", "Saved and submitted for approval.\n"));
    /* the warnings are a function of the model, u, p and the language: kept as the grid is */
    char key[96], per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    snprintf(key, sizeof key, "ew|%d|%s|%d", u, per, lang_get());
    size_t start = b.len;
    if (!web_cache_get(c, key, &b)) {
        plausibility(c, u, p, &b);
        web_cache_put(c, key, buf_str(&b) + start, b.len - start);
    }
    int rc = entry_form(c, u, p, b.len ? buf_str(&b) : NULL, strstr(buf_str(&b), tr("Cảnh báo", "Warning")) == NULL, 0);
    buf_free(&b);
    return rc;
}

int page_entry_post(web_ctx *c)
{
    int u, saved = 0, rc = -1;
    period_t p;
    if (web_unit(c, ACT_WRITE, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    const char *action = web_param(c, "action");
    if (action == NULL || (strcmp(action, "save") != 0 && strcmp(action, "submit") != 0))
        return web_fail(c, 400, "bad_request", "action", tr("action phải là save hoặc submit", "action must be save or submit"));
    const http_params *f = &c->req->form;
    web_value_in *in = calloc((size_t)f->n + 1, sizeof *in);
    buf errs = BUF_INIT, kv = BUF_INIT;
    if (in == NULL)
        return err_set(&c->e, "out of memory");
    int n = 0, nd = 0;
    /* the saves first (in[0..n)), then the emptied fields that held a figure: deletions */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < f->n; k++) {
            const char *key = f->kv[k].k;
            if (strncmp(key, "v_", 2) != 0 || (f->kv[k].vlen == 0) != pass)
                continue;
            buf_reset(&kv);
            buf_printf(&kv, "o_%s", key + 2);
            const char *orig = http_param(f, buf_str(&kv));
            if (pass == 1 && (orig == NULL || *orig == '\0'))
                continue;                      /* empty and nothing stored: nothing to do */
            web_value_in *x = &in[n + nd];
            x->unit = u;
            x->per = p;
            x->ind = key + 2;
            x->text = f->kv[k].v;
            x->orig = orig ? orig : "";
            buf_reset(&kv);
            buf_printf(&kv, "c_%s", key + 2);
            x->comment = http_param(f, buf_str(&kv));
            pass ? nd++ : n++;
        }
    const char *reason = web_param(c, "reason");
    if (nd && (reason == NULL || *reason == '\0')) {
        for (int k = 0; k < nd; k++)
            row_err(&errs, n + k, "reason", "%s", tr("ô số liệu đã bị xóa trống: cần ghi lý do xóa số liệu này",
                                                     "the value was emptied: a reason to delete it is required"));
    } else if (web_save_values(c, in, n, &errs, &saved) != 0) {
        goto cleanup;
    } else if (errs.len == 0 && nd && entry_delete(c, in + n, nd, reason, &errs, n) != 0) {
        goto cleanup;
    }
    if (errs.len) {
        /* "ROW\tFIELD\tMESSAGE" lines become "Indicator name: message". */
        buf msg = BUF_INIT;
        int conflict = 0;
        for (const char *s = buf_str(&errs); *s;) {
            int row = atoi(s);
            const char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *nl = strchr(s, '\n');
            if (!t2 || !nl)
                break;
            int i = row >= 0 && row < n + nd ? model_ind_find(c->m, in[row].ind) : -1;
            buf_printf(&msg, "%s: %.*s\n", i >= 0 ? c->m->inds[i].name : row >= 0 && row < n + nd ? in[row].ind : "?",
                       (int)(nl - t2 - 1), t2 + 1);
            conflict |= strncmp(t1 + 1, "expected\t", 9) == 0;
            s = nl + 1;
        }
        c->resp->status = conflict ? 409 : 400;
        rc = entry_form(c, u, p, buf_str(&msg), 0, 1);
        buf_free(&msg);
        goto cleanup;
    }
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    if (strcmp(action, "submit") == 0) {
        write_actor a = { c->user.login, c->role, c->uunit, "web", 60, 0 };
        err_t e;
        int r = write_approval(c->s, c->m, &a, STEP_SUBMIT, 0, u, p, "", &e);
        if (r < 0) {
            c->e = e;
            goto cleanup;
        }
        if (r > 0) {
            c->resp->status = r == WRITE_FORBIDDEN ? 403 : 409;
            rc = entry_form(c, u, p, e.msg, 0, 1);
            goto cleanup;
        }
    }
    buf_reset(&kv);
    web_urlenc(&kv, c->m->units[u].code);
    web_redirect(c, "/entry?unit=%s&period=%s&msg=%s", buf_str(&kv), per,
                 strcmp(action, "submit") == 0 ? "submitted" : "saved");
    rc = 0;
cleanup:
    free(in);
    buf_free(&errs);
    buf_free(&kv);
    return rc;
}

/* ---- approval ---- */

int page_approval(web_ctx *c)
{
    const model *m = c->m;
    web_sub *subs = NULL;
    int n = store_sub_list(c->s, &subs, &c->e);
    if (n < 0)
        return -1;
    if (c->role != ROLE_APPROVER && c->role != ROLE_ADMIN) {
        free(subs);
        return web_fail(c, 403, "forbidden", NULL, tr("chỉ người phê duyệt hoặc quản trị", "approvers and administrators only"));
    }
    page_begin(c, tr("Phê duyệt số liệu", "Approval"));
    page_printf(c, "<div class=\"scroll\"><table class=\"grid\" id=\"approvals\"><thead><tr><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
                tr("Đơn vị", "Unit"), tr("Kỳ", "Period"), tr("Trạng thái", "State"), tr("Người, thời gian", "By, at"),
                tr("Ghi chú", "Comment"), tr("Thao tác", "Action"));
    int shown = 0;
    for (int k = 0; k < n; k++) {
        const web_sub *s = &subs[k];
        int u = model_unit_find(m, s->unit), targets;
        const char *code = write_key_period(s->period, &targets);
        if (u < 0 || !auth_allows(m, c->role, c->uunit, u, ACT_APPROVE))
            continue;
        /* the steps this user may take here (an approver decides for the level below) */
        write_actor a = { c->user.login, c->role, c->uunit, "web", 60, 0 };
        err_t e;
        int may_decide = write_step_allowed(c->s, m, &a, STEP_APPROVE, u, &e) == 0;
        int may_unlock = write_step_allowed(c->s, m, &a, STEP_UNLOCK, u, &e) == 0;
        shown++;
        const char *names[] = { tr("đang nhập", "draft"), tr("chờ duyệt", "submitted"),
                                tr("đã duyệt", "approved"), tr("bị trả lại", "returned") };
        page_printf(c, "<tr data-unit=\"");
        page_text(c, s->unit);
        page_printf(c, "\" data-period=\"");
        page_text(c, s->period);
        page_printf(c, "\"><td><a href=\"/overview?unit=");
        page_urlarg(c, s->unit);
        page_printf(c, "&amp;period=");
        page_urlarg(c, code);
        page_printf(c, "\">");
        page_text(c, m->units[u].name);
        page_printf(c, "</a></td><td>%s", targets ? tr("Kế hoạch ", "Targets ") : "");
        page_period_code(c, code);
        if (!targets) {                     /* check the figures before deciding (docs/cycle.md) */
            page_printf(c, " <a class=\"check\" href=\"/validation?unit=");
            page_urlarg(c, s->unit);
            page_printf(c, "&amp;period=");
            page_urlarg(c, code);
            page_printf(c, "\">%s</a>", tr("kiểm tra", "check"));
        }
        err_t ue;
        int unlocked = s->state == SUB_RETURNED && store_sub_was_unlock(c->s, s, &ue) == 1;
        page_printf(c, "</td><td><span class=\"badge %s\">%s</span></td><td>", store_sub_key(s->state),
                    unlocked ? tr("đã mở khóa để sửa", "unlocked for correction") : names[s->state]);
        page_text(c, s->who);
        page_printf(c, ", ");
        page_time(c, s->at);
        page_printf(c, "</td><td>");
        page_text(c, s->comment);
        page_printf(c, "</td><td>");
        if ((s->state == SUB_SUBMITTED && may_decide) || (s->state == SUB_APPROVED && may_unlock)) {
            page_printf(c, "<form method=\"post\" action=\"/approval\" class=\"inline\">");
            page_csrf(c);
            page_printf(c, "<input type=\"hidden\" name=\"unit\" value=\"");
            page_text(c, s->unit);
            page_printf(c, "\"><input type=\"hidden\" name=\"period\" value=\"");
            page_text(c, code);
            if (targets)
                page_printf(c, "\"><input type=\"hidden\" name=\"targets\" value=\"1");
            page_printf(c, "\"><input type=\"hidden\" name=\"expected_at\" value=\"");   /* what was seen */
            page_text(c, s->at);
            const char *hint = s->state == SUB_APPROVED ? tr("lý do mở khóa (bắt buộc)", "reason to unlock (required)")
                                                        : tr("ý kiến (khi trả lại)", "comment (when returning)");
            page_printf(c, "\"><input name=\"comment\" maxlength=\"500\" placeholder=\"%s\" aria-label=\"%s\"%s> ",
                        hint, hint, s->state == SUB_APPROVED ? " required" : "");
            if (s->state == SUB_SUBMITTED)
                page_printf(c, "<button type=\"submit\" name=\"action\" value=\"approve\" class=\"primary\">%s</button> "
                               "<button type=\"submit\" name=\"action\" value=\"return\">%s</button>",
                            tr("Duyệt", "Approve"), tr("Trả lại", "Return"));
            else
                page_printf(c, "<button type=\"submit\" name=\"action\" value=\"unlock\">%s</button>",
                            tr("Mở khóa", "Unlock"));
            page_printf(c, "</form>");
        }
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table></div>");
    if (shown == 0)
        page_printf(c, "<p>%s</p>", tr("Không có số liệu nào chờ duyệt.", "Nothing awaits approval."));
    page_end(c);
    free(subs);
    return 0;
}

int page_approval_post(web_ctx *c)
{
    int u;
    period_t p;
    if (web_unit(c, ACT_APPROVE, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    const char *action = web_param(c, "action"), *comment = web_param(c, "comment");
    int step = write_step_parse(action);
    if (step < 0 || step == STEP_SUBMIT)
        return web_fail(c, 400, "bad_request", "action", tr("action phải là approve, return hoặc unlock",
                                                            "action must be approve, return or unlock"));
    write_actor a = { c->user.login, c->role, c->uunit, "web", 60, 0 };
    err_t e;
    const char *targets = web_param(c, "targets");
    int r = write_approval_seen(c->s, c->m, &a, step, targets && strcmp(targets, "1") == 0, u, p, comment,
                                web_param(c, "expected_at"), &e);
    if (r < 0) {
        c->e = e;
        return -1;
    }
    if (r > 0)
        return web_fail(c, r == WRITE_FORBIDDEN ? 403 : r == WRITE_CONFLICT ? 409 : 400,
                        r == WRITE_FORBIDDEN ? "forbidden" : r == WRITE_CONFLICT ? "conflict" : "bad_request",
                        r == WRITE_INVALID ? "comment" : "action", e.msg);
    return web_redirect(c, "/approval");
}
