/* validate.h - a validation run over a unit subtree and a period: every rule violation and,
 * when asked, every outlier (rule.h, outlier.h), on the figures of a model, with the rules,
 * bounds and threshold read from the store.  Shared by `chitieu validate`, the web page
 * /validation and GET /api/v1/validation. */
#ifndef CHITIEU_VALIDATE_H
#define CHITIEU_VALIDATE_H

#include <jansson.h>

#include "buf.h"
#include "outlier.h"
#include "rule.h"
#include "store.h"

typedef struct validate_result {
    rule_t *rules;  int nrules;          /* the stored rules (bound; unbound ones skipped) */
    rule_violation *viol;  int nviol;    /* in tree order, rules by code */
    outlier_flag *flags;  int nflags;    /* when asked: by unit then indicator */
    int errors, warnings;                /* violations by severity */
} validate_result;

/* Runs the rules (and the outlier checks when outliers) on unit's subtree for p; the caller
 * frees r with validate_free (also after a failure).  0 or -1. */
int validate_run(store *s, const model *m, int unit, period_t p, int outliers, validate_result *r, err_t *e);
void validate_free(validate_result *r);
/* One violation / outlier as a JSON object (new reference; NULL on OOM). */
json_t *validate_violation_json(const model *m, const validate_result *r, const rule_violation *v);
json_t *validate_flag_json(const model *m, const outlier_flag *f);
/* CSV with the header `type,code,severity,unit,period,indicator,value,reference,message`
 * (rules: the rule's text as indicator, left and right side as value and reference; outliers:
 * severity "review", the median or bound crossed as reference). */
void validate_csv(const model *m, const validate_result *r, buf *out);

#endif
