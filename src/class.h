/* class.h - the annual quality classification of Party organisations and members (Quy định
 * 366-QĐ/TW, 30/8/2025) as pure rules: no I/O, "today" and every figure are parameters.
 *
 * The rules of one year and one kind of subject (class_rules) are data: the criteria items
 * with their maximum points, the lowest score of each grade, the conditions a collective's
 * tasks must meet, the faults that cap the grade and the quota of "xuất sắc".  They start
 * from class_rules_default (the 366 figures) and are changed one row at a time by
 * class_rules_set, the way the criteria file is read.  Scores are centipoints (89,99 points =
 * 8999) so band edges compare exactly.  Grades are ordered: a cap is a minimum.
 * Everything here owns nothing on the heap except class_quota's caller-owned array.
 */
#ifndef CHITIEU_CLASS_H
#define CHITIEU_CLASS_H

#include "err.h"
#include "task.h"

/* Kinds of subject: collectives (a commune-level collective, a grassroots organisation, a cell)
 * and individuals (a member, a leader). */
enum class_kind { CK_COMMUNE = 0, CK_GRASSROOTS, CK_CELL, CK_MEMBER, CK_LEADER, CK_COUNT };
/* Grades, lowest first: không hoàn thành, hoàn thành, hoàn thành tốt, hoàn thành xuất sắc. */
enum class_grade { CG_FAIL = 0, CG_DONE, CG_GOOD, CG_EXCELLENT, CG_COUNT };

#define CLASS_CODE_MAX 32
#define CLASS_NAME_MAX 256
#define CLASS_ITEMS_MAX 64
#define CLASS_FAULTS_MAX 32
#define CLASS_SCORE_MAX 10000      /* 100 points in centipoints */

typedef struct class_item {
    char code[CLASS_CODE_MAX], name[CLASS_NAME_MAX];
    int max_cp;                    /* maximum points, centipoints */
} class_item;

typedef struct class_fault {
    char code[CLASS_CODE_MAX], name[CLASS_NAME_MAX];
    int cap;                       /* the highest grade a subject with this fault may get */
} class_fault;

typedef struct class_rules {
    int year, kind;
    int band_cp[CG_COUNT];         /* lowest score of each grade ([CG_FAIL] is 0), centipoints */
    /* Collective conditions, percentages of the year's tasks (see class_condition_cap). */
    int xs_on_time_pct, xs_exceeded_pct, good_on_time_pct, done_behind_max_pct;
    int quota_pct, quota_outstanding_pct;   /* xuất sắc may be at most this % of the quota base */
    int quota_base_good_only;      /* 1: the base is those graded exactly tốt; 0 (default): tốt and above */
    int decide_levels_above;       /* the deciding body: at least this many levels above the subject's unit (0: as appraisal) */
    class_item items[CLASS_ITEMS_MAX];
    int nitems;
    class_fault faults[CLASS_FAULTS_MAX];
    int nfaults;
} class_rules;

/* How a collective's tasks of the year stood (see class_tasks_count). */
typedef struct class_task_stats {
    int total;                     /* tasks of the year (deadline in force within the year, due by asof) */
    int on_time;                   /* done by their deadline */
    int exceeded;                  /* done (on time or not) with a result beyond what was required */
    int late;                      /* done after their deadline */
    int undone;                    /* not done */
} class_task_stats;

/* Parses "commune", "grassroots", "cell", "member", "leader" (or the Vietnamese "tập thể cấp xã",
 * "tổ chức cơ sở đảng", "chi bộ", "đảng viên", "lãnh đạo"); returns the kind or -1. */
int class_kind_parse(const char *s);
/* The machine name of a kind ("grassroots"). */
const char *class_kind_key(int kind);
/* The Vietnamese (or English) name of a kind. */
const char *class_kind_name(int kind);
/* 1 for a collective kind (commune, grassroots, cell), 0 for an individual. */
int class_kind_collective(int kind);
/* Parses "excellent"/"xuất sắc"/"xuat_sac", "good"/"tốt"/"tot", "done"/"hoàn thành"/"hoan_thanh",
 * "fail"/"không hoàn thành"/"khong_hoan_thanh"; returns the grade or -1. */
int class_grade_parse(const char *s);
/* The machine name of a grade ("excellent", "good", "done", "fail"). */
const char *class_grade_key(int grade);
/* The full Vietnamese (or English) name: "Hoàn thành xuất sắc nhiệm vụ". */
const char *class_grade_name(int grade);

/* Parses a score "89,99", "89.99", "90" (0 to 100, at most two decimals) into centipoints;
 * returns 0 or -1 with a message. */
int class_score_parse(const char *s, int *cp, err_t *e);
/* Writes centipoints as points in Vietnamese (or English) style into out ("89,99", "90"). */
void class_score_text(int cp, int lang, char *out, size_t len);

/* Fills r with the 366-QĐ/TW rules for (year, kind): bands 90/70/50, conditions 100 % on time
 * and 30 % exceeded / 100 % on time / at most 20 % behind, quota 20 % (25 %), no items, no faults. */
void class_rules_default(class_rules *r, int year, int kind);
/* Applies one row of a criteria file: type "item" (code, name, maximum points), "band" (code
 * excellent|good|done, value points), "condition" (code excellent_on_time|excellent_exceeded|
 * good_on_time|done_behind_max, value %), "quota" (code normal|outstanding, value %; code base,
 * value good_and_above|good_only), "fault" (code, name, value the grade it caps to);
 * returns 0 or -1 with a message naming what was expected. */
int class_rules_set(class_rules *r, const char *type, const char *code, const char *name,
                    const char *value, err_t *e);
/* Checks a whole sheet: bands strictly descending within 0..100, items (when any) summing to
 * 100 points; returns 0 or -1 with a message. */
int class_rules_check(const class_rules *r, err_t *e);

/* The grade a score reaches by the bands alone. */
int class_band(const class_rules *r, int score_cp);
/* The highest grade a collective's task record allows (CG_EXCELLENT when it has no task of
 * the year): xuất sắc needs xs_on_time_pct of tasks on time and xs_exceeded_pct exceeded; tốt
 * good_on_time_pct on time; hoàn thành every task done with at most done_behind_max_pct late;
 * otherwise không hoàn thành.  Percentages compare exactly (integer cross-multiplication). */
int class_condition_cap(const class_rules *r, const class_task_stats *st);
/* The lowest cap among the faults listed in `codes` (';'-separated fault codes of r; "" = none,
 * CG_EXCELLENT); returns 0 with *cap set, or -1 naming an unknown code. */
int class_fault_cap(const class_rules *r, const char *codes, int *cap, err_t *e);
/* The highest grade allowed: the band of the score, capped by the collective conditions
 * (st NULL for individuals, or not applied) and by fault_cap. */
int class_grade_allowed(const class_rules *r, int score_cp, const class_task_stats *st, int fault_cap);

/* Counts the tasks of `year` led by unit_code: those (kind task or sub-task, not paused) whose
 * deadline in force falls within the year and on or before asof (yyyymmdd); statuses are
 * taken on asof. */
void class_tasks_count(const task_set *ts, const char *unit_code, int year, int asof, class_task_stats *out);

/* Forms of recognition in the emulation awards register: danh hiệu thi đua, bằng khen, giấy khen,
 * huy hiệu Đảng, other. */
enum class_award_form { CA_TITLE = 0, CA_MERIT, CA_CERTIFICATE, CA_BADGE, CA_OTHER, CA_COUNT };
/* Parses "title"/"danh hiệu", "merit"/"bằng khen", "certificate"/"giấy khen", "badge"/"huy hiệu",
 * "other"/"khác"; returns the form or -1. */
int class_award_form_parse(const char *s);
/* The machine name of a form ("merit"). */
const char *class_award_form_key(int form);
/* The Vietnamese (or English) name of a form. */
const char *class_award_form_name(int form);

/* The most "xuất sắc" a group may hold: floor(base * pct / 100) (20 % of 7 is 1). */
int class_quota_limit(int base, int pct);

/* One subject in a quota check. */
typedef struct class_quota_entry {
    const char *group;             /* comparable subjects share a group (borrowed) */
    const char *code;              /* for a stable order among equal scores (borrowed) */
    int grade, score_cp;
    int pct;                       /* the quota % that applies to its group */
    int base_good_only;            /* the rules' quota_base_good_only */
    int over;                      /* out: 1 when this xuất sắc is beyond the group's quota */
} class_quota_entry;
/* Marks, in each group, the "xuất sắc" beyond the quota: they are ranked by score (highest
 * first, then code) and those after the first class_quota_limit(base, pct) are over, where the
 * base is the group's count of tốt and above (or tốt only); returns how many are over, -1 on OOM. */
int class_quota_mark(class_quota_entry *e, int n);

#endif
