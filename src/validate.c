/* validate.c - the validation run (see validate.h).
 *
 * Data flow: the store's rules (bound to the model) and, for outliers, its bounds and
 * threshold -> rule_run / outlier_run on the model -> a validate_result the caller owns ->
 * JSON objects or CSV.  Nothing here writes.
 */
#include "validate.h"

#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "store_rule.h"

int validate_run(store *s, const model *m, int unit, period_t p, int outliers, validate_result *r, err_t *e)
{
    outlier_bound *b = NULL;
    int nb = 0, rc = -1;
    memset(r, 0, sizeof *r);
    if (store_rule_load(s, &r->rules, &r->nrules, e) != 0)
        return -1;
    for (int k = 0; k < r->nrules; k++) {
        err_t be;
        rule_bind(&r->rules[k], m, &be);            /* an unknown code: the rule is skipped */
    }
    if (rule_run(m, r->rules, r->nrules, unit, p, &r->viol, &r->nviol, e) != 0)
        goto cleanup;
    for (int k = 0; k < r->nviol; k++)
        r->rules[r->viol[k].rule].severity == RULE_WARNING ? r->warnings++ : r->errors++;
    if (outliers) {
        outlier_opts o = { store_outlier_k(s), 0, 0 };
        if (store_bound_load(s, &b, &nb, e) != 0)
            goto cleanup;
        outlier_bounds_bind(b, nb, m);
        if (outlier_run(m, b, nb, &o, unit, p, &r->flags, &r->nflags, e) != 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    free(b);
    return rc;
}

void validate_free(validate_result *r)
{
    for (int k = 0; k < r->nrules; k++)
        rule_free(&r->rules[k]);
    free(r->rules);
    free(r->viol);
    free(r->flags);
    memset(r, 0, sizeof *r);
}

json_t *validate_violation_json(const model *m, const validate_result *r, const rule_violation *v)
{
    const rule_t *x = &r->rules[v->rule];
    char per[PERIOD_CODE_MAX];
    period_code(v->p, per, sizeof per);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:s}", "type", "rule", "code", x->code, "severity",
                     rule_sev_key(x->severity), "rule", x->text, "unit", m->units[v->unit].code, "period", per,
                     "left", v->lhs, "right", v->rhs, "message", x->message ? x->message : "");
}

json_t *validate_flag_json(const model *m, const outlier_flag *f)
{
    char per[PERIOD_CODE_MAX];
    period_code(f->p, per, sizeof per);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:f,s:f,s:f,s:i}", "type", "outlier", "code", outlier_kind_key(f->kind),
                     "indicator", m->inds[f->ind].code, "unit", m->units[f->unit].code, "period", per, "value", f->v,
                     "reference", f->ref, "z", f->z, "points", f->npoints);
}

static void num(buf *b, double v)
{
    buf_printf(b, "%.15g,", v);
}

void validate_csv(const model *m, const validate_result *r, buf *out)
{
    char per[PERIOD_CODE_MAX];
    buf_adds(out, "type,code,severity,unit,period,indicator,value,reference,message\n");
    for (int k = 0; k < r->nviol; k++) {
        const rule_violation *v = &r->viol[k];
        const rule_t *x = &r->rules[v->rule];
        period_code(v->p, per, sizeof per);
        buf_adds(out, "rule,");
        csv_write_field(out, x->code);
        buf_printf(out, ",%s,", rule_sev_key(x->severity));
        csv_write_field(out, m->units[v->unit].code);
        buf_printf(out, ",%s,", per);
        csv_write_field(out, x->text);
        buf_addc(out, ',');
        num(out, v->lhs);
        num(out, v->rhs);
        csv_write_field(out, x->message ? x->message : "");
        buf_addc(out, '\n');
    }
    for (int k = 0; k < r->nflags; k++) {
        const outlier_flag *f = &r->flags[k];
        period_code(f->p, per, sizeof per);
        buf_printf(out, "outlier,%s,review,", outlier_kind_key(f->kind));
        csv_write_field(out, m->units[f->unit].code);
        buf_printf(out, ",%s,", per);
        csv_write_field(out, m->inds[f->ind].code);
        buf_addc(out, ',');
        num(out, f->v);
        num(out, f->ref);
        if (f->kind == OUT_BOUNDS)
            buf_addc(out, '\n');
        else
            buf_printf(out, "z=%.2f n=%d\n", f->z, f->npoints);
    }
}
