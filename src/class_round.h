/* class_round.h - the classification round over a store, shared by the CLI, the web pages and
 * the API: importing criteria sheets and subjects, who may see and do what, the three steps
 * (self-assessment, appraisal, decision) with their audit entries, the quota per group, and
 * the rates written as indicator values.
 *
 * Each write function runs in its own transaction (nothing half-written) and leaves the
 * caller's model untouched unless it says otherwise.  The rules themselves are class.h's.
 */
#ifndef CHITIEU_CLASS_ROUND_H
#define CHITIEU_CLASS_ROUND_H

#include <stddef.h>

#include "buf.h"
#include "class.h"
#include "model.h"
#include "store.h"
#include "store_class.h"
#include "task.h"

/* Who acts: a login with its role (auth.h enum role) and its unit (model index). */
typedef struct class_actor {
    char login[64];
    int role, unit;
} class_actor;

/* Fills a from the user `login` (an enabled user whose unit exists in m); returns 0 or -1. */
int class_actor_get(store *s, const model *m, const char *login, class_actor *a, err_t *e);

/* Reads a criteria CSV (header year,kind,type,code,name,value) named `name`, checks every sheet
 * it holds and stores them, each replacing the stored sheet of its (year, kind), in one
 * transaction; a sheet with decided results is refused.  *nsheets, *nrows get what was read;
 * dry_run checks without writing.  Errors name the file, row and column. */
int class_import_criteria(store *s, const char *name, const char *data, size_t len, int dry_run, int *nsheets,
                          int *nrows, err_t *e);
/* Reads and checks a criteria CSV as class_import_criteria does, without a store; 0 or -1. */
int class_criteria_check(const char *name, const char *data, size_t len, int *nsheets, int *nrows, err_t *e);
/* Reads and checks a subjects CSV as class_import_subjects does, without a store; 0 or -1. */
int class_subjects_check(const model *m, const char *name, const char *data, size_t len, int *n, err_t *e);
/* Reads a subjects CSV (header code,kind,name,unit,group,outstanding; group and outstanding may be
 * empty) and stores every subject in one transaction; units must exist in m.  *n gets the count. */
int class_import_subjects(store *s, const model *m, const char *name, const char *data, size_t len, int dry_run,
                          int *n, err_t *e);

/* The subject coded code in subs[0..n) (sorted by code, as store_class_subjects gives them), or NULL. */
const class_subject *class_subject_find(const class_subject *subs, int n, const char *code);
/* The result of subject code in res[0..n) (sorted by subject, as store_class_results gives them), or NULL. */
const class_result *class_result_find(const class_result *res, int n, const char *code);
/* The model index of the subject's unit, or -1. */
int class_subject_unit(const model *m, const class_subject *sub);
/* 1 if a may see subject sub: organisations to anyone who may read their unit; members (personal
 * data) only to admins, editors and approvers of a unit whose subtree holds the member's unit. */
int class_may_see(const model *m, const class_actor *a, const class_subject *sub);
/* 1 if a may take step (CS_ASSESSED, CS_APPRAISED, CS_DECIDED) for sub: assessing needs the right to
 * write its unit; appraising and deciding the right to approve at the level above (for an
 * organisation that is itself a unit, a unit strictly above it; for a member or an organisation
 * attached to a unit, that unit or above). */
int class_may_step(const model *m, const class_actor *a, const class_subject *sub, int step);

/* 1 if a is the competent level to decide for sub under rules r: besides class_may_step, an
 * approver (or admin) of a unit at least r->decide_levels_above levels above the subject's unit
 * (or the top of the tree when it is nearer); 0 levels: whoever may appraise. */
int class_may_decide(const model *m, const class_actor *a, const class_subject *sub, const class_rules *r);

/* One step of the round. */
typedef struct class_step_in {
    int step;                      /* CS_ASSESSED, CS_APPRAISED or CS_DECIDED */
    int year;
    const char *subject;
    int score_cp;                  /* centipoints */
    int grade;                     /* proposed or decided grade */
    const char *faults;            /* ';'-separated fault codes ("" = none) */
    const char *comment;           /* "" = none */
    int asof;                      /* yyyymmdd on which the collective's tasks are counted */
} class_step_in;

/* What the rules say beside a score: the band, the collective's tasks and the cap they give, the
 * faults' cap and the highest grade allowed. */
typedef struct class_check {
    int band, has_tasks, cond_cap, fault_cap, allowed;
    class_task_stats tasks;
} class_check;

/* Works out the check for a subject: its rules of `year`, the tasks its unit led (collectives whose
 * code is a unit of m), the faults; returns 0 or -1 (unknown fault, stored sheet broken). */
int class_check_subject(const model *m, const task_set *ts, const class_rules *r, const class_subject *sub,
                        int score_cp, const char *faults, int asof, class_check *out, err_t *e);

/* Takes one step: checks the actor's right, the order (assess before appraisal, appraise before
 * the decision, nothing after it), the grade against the rules (never above what the score, the
 * tasks and the faults allow) and, at the decision, the group's quota; stores the step and an
 * audit entry (who, when, score, grade, comment) in one transaction.  out gets the stored row. */
int class_step(store *s, const model *m, const task_set *ts, const class_actor *a, const class_step_in *in,
               class_result *out, class_check *chk, err_t *e);

/* A subject's current grade: decided, else appraised, else self-assessed; -1 when none. */
int class_current_grade(const class_result *r, int *score_cp);

/* One line of a quota report. */
typedef struct class_quota_line {
    class_subject sub;
    int grade, score_cp, step, over, pct;
} class_quota_line;
/* Every subject of `year` whose unit is in root's subtree (root -1: all) with its current grade
 * and, for xuất sắc, whether it is beyond its group's quota (groups are counted whole, wherever
 * their members sit); caller frees *out; returns the count or -1. */
int class_quota_report(store *s, const model *m, int year, int root, class_quota_line **out, err_t *e);

/* The indicators the rates are written to, in this order (docs/classification.md). */
enum { CR_ORG_GOOD = 0, CR_ORG_EXCELLENT, CR_ORG_FAIL, CR_MEMBER_GOOD, CR_MEMBER_EXCELLENT, CR_MEMBER_FAIL, CR_COUNT };
/* The indicator code of rate k ("tccsd_htt", ...). */
const char *class_rate_code(int k);
/* What class_rates did. */
typedef struct class_rates_out {
    int written;                   /* values written */
    int units;                     /* units with rates */
    int skipped_undecided;         /* units left out because a subject of their subtree is not decided */
    int skipped_approved;          /* units left out because their figures of the year are approved */
} class_rates_out;
/* Writes, for every unit whose subtree holds decided subjects, the rates of the year (share of
 * grassroots organisations, and of members and leaders, graded tốt and above, xuất sắc, không
 * hoàn thành) as values of the year, through the write module (write.h: locks, history with
 * `who`); a unit with an undecided subject in its subtree, or whose figures of the year are
 * submitted or approved (locked), is left out and counted.  Missing indicators are created (m
 * grows, in a transaction of their own); the figures go in one transaction; dry_run writes nothing.  lines (may be NULL) gets one text line per unit. */
int class_rates(store *s, model *m, int year, const char *who, int dry_run, class_rates_out *out, buf *lines,
                err_t *e);

/* Counts of one population under one unit: subjects, decided, and decided by grade. */
typedef struct class_unit_count {
    int all, decided, grade[CG_COUNT];
} class_unit_count;
/* Fills *out (caller frees) with 2 * m->nunits counts: [2 * u] the grassroots organisations and
 * [2 * u + 1] the members and leaders of `year` whose unit is in u's subtree; 0 or -1. */
int class_count_units(store *s, const model *m, int year, class_unit_count **out, err_t *e);

/* Reads an awards CSV (header year,subject,form,title,issuer,decision,date; date may be empty) and
 * stores every award in one transaction (again: updated by year, subject, title and decision);
 * subjects must already be stored.  *n gets the count; dry_run checks without writing. */
int class_import_awards(store *s, const char *name, const char *data, size_t len, int dry_run, int *n, err_t *e);
/* Reads and checks an awards CSV without a store (subjects not checked); 0 or -1. */
int class_awards_check(const char *name, const char *data, size_t len, int *n, err_t *e);
/* 1 if award a (of subject sub, which may be NULL) matches `search` without regard to diacritics or
 * case, in its title, issuer, decision number, subject code or the subject's name; "" matches all. */
int class_award_match(const class_award *a, const class_subject *sub, const char *search);

#endif
