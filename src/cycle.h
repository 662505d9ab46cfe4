/* cycle.h - the reporting calendar as offices use it: the submission deadline of each kind of
 * period, the data cut-off window (calendar, or Decree 09/2019/NĐ-CP's "15th of the previous
 * month to the 14th"), when reminders go out, and the date arithmetic they need.
 *
 * Pure C, no I/O: the rules are a small value (cycle_rules) filled from defaults and from the
 * database's settings (cycle_store.c); every function here only reads it.  Dates are yyyymmdd
 * integers.  Setting texts (a contract with `chitieu deadlines` and docs/cycle.md):
 *   deadline  "DAY" (that day of the period's last month) or "DAY+N" (of the N-th month after it);
 *             day 31 means the month's last day;
 *   cutoff    "calendar", "decree09" (= "15"), or a day 2..28: the window runs from that day
 *             of the month before the period's first month to the day before it in its last month.
 */
#ifndef CHITIEU_CYCLE_H
#define CHITIEU_CYCLE_H

#include "period.h"

#define CYCLE_KINDS (P_M9 + 1)   /* indexed by enum period_kind (P_RANGE: a term) */

typedef struct cycle_due {
    int day;                     /* 1..31 (clamped to the month's length) */
    int months;                  /* months after the period's last month, 0..12 */
} cycle_due;

typedef struct cycle_rules {
    cycle_due due[CYCLE_KINDS];  /* by period kind; P_NONE unused */
    int cutoff_day;              /* 0 = calendar periods, else 2..28 (Decree 09: 15) */
    int remind_before;           /* days before the deadline reminders start, 0..60 */
    int remind_after;            /* days after the deadline reminders go on, 0..366 */
    int tz_minutes;              /* the offices' offset from UTC (Vietnam: +420), for write times */
    unsigned kinds;              /* bit (1 << kind) per kind of period units report on (reminders
                                    without a period look at these); default half and year */
} cycle_rules;

/* The defaults: every deadline the 20th of the period's last month (6 months: 20 June), the
 * calendar cut-off, reminders from 5 days before to 30 days after, UTC+7, units reporting on
 * halves and years. */
void cycle_rules_default(cycle_rules *r);

/* The setting name of a period kind ("month", "quarter", "half", "m9", "year", "term"), or NULL. */
const char *cycle_kind_name(int kind);
/* The kind named so, or -1. */
int cycle_kind_parse(const char *name);

/* Parses a deadline text ("20", "5+1"); 0 or -1. */
int cycle_due_parse(const char *s, cycle_due *out);
/* Writes the deadline text of d into out (at least 16 bytes). */
void cycle_due_format(cycle_due d, char *out, int n);
/* Parses a list of kind names ("half,year"); 0 with the bit mask, or -1. */
int cycle_kinds_parse(const char *s, unsigned *mask);
/* Parses a cut-off text ("calendar", "decree09", "15"); 0 or -1. */
int cycle_cutoff_parse(const char *s, int *day);

/* The submission deadline of p (yyyymmdd), 0 for an unknown kind. */
int cycle_deadline(const cycle_rules *r, period_t p);
/* The data window of p: first and last day (yyyymmdd). */
void cycle_window(const cycle_rules *r, period_t p, int *from, int *to);

/* The local date (yyyymmdd) of an ISO UTC time "YYYY-MM-DDTHH:MM:SS[Z]" at tz_minutes from UTC;
 * 0 if the text is not one. */
int cycle_local_date(const char *iso, int tz_minutes);
/* Days from a to b (b - a) for valid yyyymmdd dates. */
int cycle_days_between(int a, int b);
/* yyyymmdd plus n days (n may be negative). */
int cycle_add_days(int ymd, int n);

/* Where today stands against a deadline, for reminders. */
enum cycle_remind { CR_NONE = 0, CR_BEFORE, CR_AFTER };
/* CR_BEFORE when today lies within remind_before days before the deadline (the day itself
 * included), CR_AFTER within remind_after days after it, else CR_NONE. */
int cycle_remind_class(const cycle_rules *r, int deadline, int today);

/* The periods of the kinds in r->kinds (terms excluded) whose deadline puts today within the
 * reminder days (cycle_remind_class != CR_NONE), oldest deadline first; returns how many (<= max). */
int cycle_due_periods(const cycle_rules *r, int today, period_t *out, int max);

#endif
