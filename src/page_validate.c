/* page_validate.c - the validation page /validation?unit=U&period=P: every rule violation on the
 * unit and the units below it for the period, and the figures flagged as outliers for review
 * (validate.h; outliers=0 leaves them out); read-only, for any user who may read the unit. */
#include "web.h"

#include <string.h>

#include "validate.h"

static void rules_table(web_ctx *c, const validate_result *r)
{
    const model *m = c->m;
    char per[PERIOD_CODE_MAX];
    page_printf(c, "<h2>%s</h2>", tr("Vi phạm quy tắc", "Rule violations"));
    if (r->nviol == 0) {
        page_printf(c, "<p id=\"no-violations\">%s</p>",
                    tr("Không có vi phạm nào.", "No violations."));
        return;
    }
    page_printf(c, "<table id=\"violations\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr></thead><tbody>",
                tr("Quy tắc", "Rule"), tr("Mức độ", "Severity"), tr("Đơn vị", "Unit"), tr("Kỳ", "Period"),
                tr("Vế trái", "Left"), tr("Vế phải", "Right"), tr("Thông báo", "Message"));
    for (int k = 0; k < r->nviol; k++) {
        const rule_violation *v = &r->viol[k];
        const rule_t *x = &r->rules[v->rule];
        int dec = rule_decimals(x, m);
        period_code(v->p, per, sizeof per);
        page_printf(c, "<tr class=\"%s\"><td><code>", rule_sev_key(x->severity));
        page_text(c, x->code);
        page_printf(c, "</code> ");
        page_text(c, x->text);
        page_printf(c, "</td><td>%s</td><td><a href=\"/entry?unit=", rule_sev_name(x->severity));
        page_urlarg(c, m->units[v->unit].code);
        page_printf(c, "&amp;period=%s\">", per);
        page_text(c, m->units[v->unit].name);
        page_printf(c, "</a></td><td>%s</td><td class=\"num\">", per);
        page_num(c, v->lhs, dec);
        page_printf(c, "</td><td class=\"num\">");
        page_num(c, v->rhs, dec);
        page_printf(c, "</td><td>");
        page_text(c, x->message);
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table>");
}

static void flags_table(web_ctx *c, const validate_result *r)
{
    const model *m = c->m;
    page_printf(c, "<h2>%s</h2>", tr("Số liệu bất thường cần xem lại", "Figures flagged for review"));
    if (r->nflags == 0) {
        page_printf(c, "<p id=\"no-outliers\">%s</p>", tr("Không có số liệu bất thường.", "No outliers."));
        return;
    }
    page_printf(c, "<table id=\"outliers\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
                tr("Chỉ tiêu", "Indicator"), tr("Đơn vị", "Unit"), tr("Số liệu", "Figure"), tr("Kiểm tra", "Check"),
                tr("Tham chiếu", "Reference"), tr("Điểm z", "z-score"));
    for (int k = 0; k < r->nflags; k++) {
        const outlier_flag *f = &r->flags[k];
        int dec = m->inds[f->ind].decimals;
        page_printf(c, "<tr class=\"%s\"><td>", outlier_kind_key(f->kind));
        page_text(c, m->inds[f->ind].name);
        page_printf(c, "</td><td>");
        page_text(c, m->units[f->unit].name);
        page_printf(c, "</td><td class=\"num\">");
        page_num(c, f->v, dec);
        page_printf(c, "</td><td>%s</td><td class=\"num\">", outlier_kind_name(f->kind));
        page_num(c, f->ref, dec);
        page_printf(c, "</td><td class=\"num\">");
        if (f->kind != OUT_BOUNDS)
            page_num(c, f->z, 1);
        page_printf(c, "</td></tr>");
    }
    page_printf(c, "</tbody></table>");
}

int page_validate(web_ctx *c)
{
    int u;
    period_t p;
    const char *o = web_param(c, "outliers");
    int outliers = o == NULL || strcmp(o, "0") != 0;     /* shown unless outliers=0 */
    if (web_unit(c, ACT_READ, &u) != 0 || web_period(c, &p) != 0)
        return 0;
    validate_result r;
    if (validate_run(c->s, c->m, u, p, outliers, &r, &c->e) != 0) {
        validate_free(&r);
        return -1;
    }
    char per[PERIOD_CODE_MAX];
    period_code(p, per, sizeof per);
    page_begin(c, tr("Kiểm tra số liệu", "Data validation"));
    page_printf(c, "<h1>%s</h1><form method=\"get\" class=\"picker\"><label>%s <select name=\"unit\">",
                tr("Kiểm tra số liệu", "Data validation"), tr("Đơn vị", "Unit"));
    for (size_t k = 0; k < c->m->nunits; k++)
        if (auth_allows(c->m, c->role, c->uunit, (int)k, ACT_READ) && model_unit_valid(c->m, (int)k, p)) {
            page_printf(c, "<option value=\"");
            page_text(c, c->m->units[k].code);
            page_printf(c, "\"%s>", (int)k == u ? " selected" : "");
            page_text(c, c->m->units[k].name);
            page_printf(c, "</option>");
        }
    page_printf(c, "</select></label> <label>%s <input name=\"period\" value=\"%s\" size=\"9\"></label> "
                   "<button type=\"submit\">%s</button></form>",
                tr("Kỳ", "Period"), per, tr("Kiểm tra", "Check"));
    page_printf(c, "<p id=\"summary\">");
    page_printf(c, tr("%d quy tắc; %d lỗi, %d cảnh báo trên đơn vị và các đơn vị trực thuộc.",
                      "%d rules; %d errors, %d warnings on the unit and the units below it."),
                r.nrules, r.errors, r.warnings);
    page_printf(c, "</p>");
    rules_table(c, &r);
    if (outliers)
        flags_table(c, &r);
    page_end(c);
    validate_free(&r);
    return 0;
}
