/* store_class.h - the classification round in the database (store_sqlite_class.c): criteria
 * sheets kept as the rows they were imported from, subjects (organisations and members), and
 * one result row per (year, subject) holding the three steps of the round.
 *
 * Sheets are stored as rows (type, code, name, value) and rebuilt through class_rules_set on
 * load, so what is read back is exactly what was checked at import.  Members are personal data:
 * this layer does not filter them; callers show them only to users class_may_see allows.
 * Every function fills err_t on failure; writes belong in the caller's transaction.
 */
#ifndef CHITIEU_STORE_CLASS_H
#define CHITIEU_STORE_CLASS_H

#include "class.h"
#include "store.h"

typedef struct class_subject {
    char code[64], name[256];
    char unit[64];                 /* an organisation: its unit (or the unit it belongs to); a member: their unit */
    char group[96];                /* comparable subjects for the quota */
    int kind;                      /* enum class_kind */
    int outstanding;               /* its group may use the outstanding quota */
} class_subject;

enum class_step { CS_NONE = 0, CS_ASSESSED, CS_APPRAISED, CS_DECIDED };

typedef struct class_mark {
    int score_cp;                  /* -1 = none */
    int grade;                     /* -1 = none */
    char by[64], at[32], comment[512];
} class_mark;

typedef struct class_result {
    int year;
    char subject[64];
    int step;                      /* enum class_step: the last step taken */
    class_mark self, appr, dec;    /* self-assessment, appraisal, decision */
    char faults[256];              /* ';'-separated fault codes found at the last step */
} class_result;

/* One stored row of a criteria sheet. */
typedef struct class_rule_row {
    int year, kind;
    char type[16], code[CLASS_CODE_MAX], name[CLASS_NAME_MAX], value[32];
} class_rule_row;

/* Deletes the stored sheet of (year, kind). */
int store_class_rules_clear(store *s, int year, int kind, err_t *e);
/* Appends a row to the sheet of (row->year, row->kind) (ord keeps the file's order). */
int store_class_rules_add(store *s, const class_rule_row *row, int ord, err_t *e);
/* Fills r with the defaults of (year, kind) and the stored rows applied on top; returns 1 if a
 * sheet is stored, 0 if none (r holds the defaults), -1 on error (also a stored row that no
 * longer applies). */
int store_class_rules_get(store *s, int year, int kind, class_rules *r, err_t *e);
/* Every stored row, by year, kind and order (caller frees *out); returns the count or -1. */
int store_class_rule_rows(store *s, class_rule_row **out, err_t *e);

/* Inserts or updates a subject by code. */
int store_class_subject_put(store *s, const class_subject *sub, err_t *e);
/* Every subject in code order (caller frees *out); returns the count or -1. */
int store_class_subjects(store *s, class_subject **out, err_t *e);
/* Finds a subject by code; returns 1 (filled), 0 (none) or -1. */
int store_class_subject_get(store *s, const char *code, class_subject *out, err_t *e);

/* The result of (year, subject); returns 1 (filled), 0 (none: out is an empty CS_NONE row) or -1. */
int store_class_result_get(store *s, int year, const char *subject, class_result *out, err_t *e);
/* Inserts or replaces the result row. */
int store_class_result_put(store *s, const class_result *r, err_t *e);
/* Every result of a year (caller frees *out); returns the count or -1. */
int store_class_results(store *s, int year, class_result **out, err_t *e);
/* How many results of the subject (any year) are decided; -1 on error. */
int store_class_subject_decided(store *s, const char *code, err_t *e);
/* How many results of (year, kind) are decided; -1 on error. */
int store_class_decided(store *s, int year, int kind, err_t *e);

/* One entry of the emulation awards register: a title or form of recognition given to a subject
 * (organisation or member) in a year, by an issuing body, under a decision number. */
typedef struct class_award {
    int year;
    char subject[64];
    int form;                      /* enum class_award_form */
    char title[256], issuer[256], decision[64];
    int date;                      /* of the decision, yyyymmdd (0 = unknown) */
} class_award;
/* Inserts or updates an award by (year, subject, title, decision). */
int store_class_award_put(store *s, const class_award *a, err_t *e);
/* Every award of `year` (0: every year) by year, date, subject (caller frees *out); count or -1. */
int store_class_awards(store *s, int year, class_award **out, err_t *e);

#endif
