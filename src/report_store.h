/* report_store.h - the whole review report, as the command line and the web give it: the figures
 * (report.h), the section on programmes and tasks and the year's awards, the last two read from the
 * store.  One builder, so a report downloaded from the web says what `chitieu report` says. */
#ifndef CHITIEU_REPORT_STORE_H
#define CHITIEU_REPORT_STORE_H

#include <jansson.h>

#include "err.h"
#include "model.h"
#include "period.h"
#include "store.h"

/* Builds the report of unit for p on structure (eval.h's enum eval_structure), tasks judged on
 * today (YYYYMMDD); *out is the caller's (json_decref); 0, or -1 with e set and *out NULL. */
int report_build_store(store *s, const model *m, int unit, period_t p, int structure, int today, json_t **out,
                       err_t *e);

#endif
