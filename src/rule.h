/* rule.h - validation rules between indicators (pure: no I/O).
 *
 * A rule is "LEFT OP RIGHT" where each side is a formula (formula.h) over indicator codes and
 * OP one of == != < <= > >=: "dang_vien_moi <= dang_vien", "a + b == c", "thu_ns >= 0".  It
 * has a code, a severity (error: the write is refused; warning: the written row needs a
 * comment) and a message.  A rule applies to a (unit, period) where every operand has a
 * figure; both sides are rounded to the largest number of decimals of its operands before they
 * are compared (so 0.1 + 0.2 == 0.3 holds, and equality has the indicators' tolerance).
 *
 * Rules come from a CSV file whose header is exactly `code,rule,severity,message`
 * (rule_file_parse); the store keeps them (store_rule.h).  A parsed rule owns its strings and
 * formulas; rule_free releases them.  Parsed rules are read-only and may be shared by threads.
 */
#ifndef CHITIEU_RULE_H
#define CHITIEU_RULE_H

#include "buf.h"
#include "err.h"
#include "formula.h"
#include "model.h"

enum rule_sev { RULE_ERROR = 0, RULE_WARNING = 1 };
enum rule_op { RULE_EQ = 0, RULE_NE, RULE_LT, RULE_LE, RULE_GT, RULE_GE };
/* Outcome of one check. */
enum { RULE_SKIP = 0, RULE_PASS = 1, RULE_FAIL = 2 };

#define RULE_CODE_MAX 64
#define RULE_MESSAGE_MAX 500

typedef struct rule {
    char *code, *text, *message;   /* owned */
    int severity;                  /* enum rule_sev */
    int op;                        /* enum rule_op */
    formula *lhs, *rhs;            /* owned */
    int nvars;                     /* distinct indicator codes over both sides */
    char **vars;                   /* owned codes, in order of first appearance */
    int *lmap, *rmap;              /* lhs / rhs variable i -> index into vars */
    int *inds;                     /* by rule_bind: indicator index of each var, -1 = unknown */
} rule_t;

/* Parses text ("LEFT OP RIGHT") into r (zeroed first; code and message left NULL); on error
 * returns -1 with a message naming the side and position.  The caller frees r with rule_free. */
int rule_parse(const char *text, rule_t *r, err_t *e);
/* Builds a whole rule: parses text, copies code and message, parses severity ("error",
 * "warning", "lỗi", "cảnh báo"); the caller frees with rule_free. */
int rule_make(const char *code, const char *text, const char *severity, const char *message, rule_t *r,
              err_t *e);
/* Frees what r owns (not r itself); NULL-safe and idempotent. */
void rule_free(rule_t *r);
/* Resolves the operand codes against m's indicators; -1 with a message naming an unknown code. */
int rule_bind(rule_t *r, const model *m, err_t *e);
/* Parses a severity; -1 if unknown. */
int rule_sev_parse(const char *s);
/* "error" / "warning". */
const char *rule_sev_key(int sev);
/* "lỗi" / "cảnh báo" (or English). */
const char *rule_sev_name(int sev);
/* "==", "<=", ... */
const char *rule_op_text(int op);
/* 1 if indicator ind is an operand of the bound rule r. */
int rule_reads(const rule_t *r, int ind);
/* The decimals both sides are compared at: the largest of its bound operands' (at most 4). */
int rule_decimals(const rule_t *r, const model *m);

/* Evaluates r with vals[i] / has[i] the figure of vars[i]: RULE_SKIP when an operand is missing
 * or a side cannot be computed (division by zero), else RULE_PASS or RULE_FAIL, with both sides
 * in *lhs and *rhs (rounded to decimals places). */
int rule_eval(const rule_t *r, const double *vals, const unsigned char *has, int decimals, double *lhs,
              double *rhs);
/* The same on the model's figures (reported or derived, eval_actual) of (unit, p); r bound. */
int rule_check_model(const rule_t *r, const model *m, int unit, period_t p, double *lhs, double *rhs);

/* Parses a rules file (header `code,rule,severity,message`) into *out (n rules, the caller frees
 * each with rule_free and the array with free), bound to m when m is non-NULL (an unknown
 * indicator code is then a problem of its row); problems go to errors as "NAME, dòng R, cột C (TÊN): ..."
 * lines and make it return -1 (nothing in *out).  Codes must be unique in the file. */
int rule_file_parse(const char *name, const char *data, size_t len, const model *m, rule_t **out, int *n, buf *errors,
                    err_t *e);
/* 1 if the CSV header line of data is the rules header. */
int rule_file_is_rules(const char *data, size_t len);

/* One violation found by a validation run. */
typedef struct rule_violation {
    int rule;                      /* index into the rules */
    int unit;
    period_t p;
    double lhs, rhs;
} rule_violation;

/* Checks every bound rule on unit and each unit below it that is valid in p, on the model's
 * figures; appends the failures to *out (grown with realloc, the caller frees) and *n.  Rules
 * whose bind failed (inds NULL) are skipped.  Returns 0 or -1 (OOM). */
int rule_run(const model *m, const rule_t *rules, int nrules, int unit, period_t p, rule_violation **out,
             int *n, err_t *e);

#endif
