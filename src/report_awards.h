/* report_awards.h - the review report's section on emulation and awards (report_awards.c): the
 * awards of the report's year from the emulation awards register (store_class.h). */
#ifndef CHITIEU_REPORT_AWARDS_H
#define CHITIEU_REPORT_AWARDS_H

#include <jansson.h>

#include "model.h"
#include "period.h"
#include "store.h"
#include "store_class.h"

/* Adds to a built report (doc["review"], first part) the part "emulation" when p is a year and
 * the register holds awards of that year to subjects whose unit is in unit's subtree: the count
 * by form, the organisations' awards listed by name, the members' counted by title (members are
 * personal data: a report is read by viewers, so no member is named).  subs must be in code
 * order (store_class_subjects).  Pure: no I/O; returns 0 or -1 (out of memory). */
int report_add_awards(json_t *doc, const model *m, int unit, period_t p, const class_award *aw, int naw,
                      const class_subject *subs, int nsubs);
/* The same with the awards and subjects read from the store; 0 or -1 (e says why). */
int report_add_awards_store(json_t *doc, store *s, const model *m, int unit, period_t p, err_t *e);

#endif
