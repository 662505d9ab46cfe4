/* remind.h - reminders to report: for a period, the units below a unit that have not reported
 * everything expected of them (completeness.h), their editors' e-mail addresses, one message per
 * recipient (Vietnamese, deadline in d/m/yyyy) and a digest for `chitieu remind --reporting`.
 *
 * Recipients: the enabled editors of the unit itself who have an e-mail; when it has none, those
 * of its nearest unit above that has one.  remind_plan reads the store (users, write dates);
 * sending is the caller's (mail.h).  A plan owns its strings (remind_plan_free).
 */
#ifndef CHITIEU_REMIND_H
#define CHITIEU_REMIND_H

#include "buf.h"
#include "cycle.h"
#include "model.h"
#include "store.h"

typedef struct remind_mail {
    char to[256], login[64];
    period_t p;
    char *subject, *body;        /* owned */
} remind_mail;

typedef struct remind_plan {
    remind_mail *mails;
    int nmails;
    buf digest;                  /* the text for the terminal */
} remind_plan;

/* Plans the reminders of the periods (nper of them) for the subtree of unit (-1: every root)
 * as of today (yyyymmdd); 0 or -1. */
int remind_plan_build(store *s, const model *m, const cycle_rules *r, int unit, const period_t *periods,
                      int nper, int today, remind_plan *out, err_t *e);
/* Frees the plan (a zeroed plan is fine). */
void remind_plan_free(remind_plan *plan);

#endif
