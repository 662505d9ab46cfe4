/* write_rule.h - the validation rules as the write module checks them (write.c's helper).
 *
 * Inside the write transaction, after the changes are decided, every rule that reads a
 * written indicator is checked at each written (unit, period), on the figures as they will be
 * after the write: a written cell's new value (the overlay), else the stored figure read inside the transaction, else a formula over those, else the
 * model's derived figure (eval_actual).  An error-severity violation refuses the write; a
 * warning refuses it unless a written operand cell of that (unit, period) carries a comment.
 */
#ifndef CHITIEU_WRITE_RULE_H
#define CHITIEU_WRITE_RULE_H

#include "buf.h"
#include "import.h"
#include "model.h"
#include "rule.h"
#include "store.h"

/* A written value cell as it will be (comment NULL or "" = none); row is the caller's. */
typedef struct write_cell {
    int ind, unit;
    period_t p;
    double v;
    const char *comment;
    int row;
} write_cell;

/* The rules of a database, bound to a model: loaded once per write (NULL-safe to free). */
typedef struct write_rules {
    rule_t *v;
    int n;
} write_rules;
/* Loads and binds the stored rules (a rule naming an unknown indicator is left unbound and
 * skipped); 0 or -1. */
int write_rules_load(store *s, const model *m, write_rules *out, err_t *e);
void write_rules_free(write_rules *r);

/* One violation found at a write. */
typedef struct write_violation {
    int rule;                  /* index into the rules */
    int row;                   /* the first written cell's row */
    int unit;
    period_t p;
    double lhs, rhs;
} write_violation;
/* Checks the rules touched by the n cells (see the top; a rule is touched by an indicator it
 * names or one its formula operands are computed from) on m's units and indicators (m should
 * hold every figure: a derived operand comes from it).  current: m was read inside this
 * transaction, so stored figures are taken from it instead of the store.  Refusals are
 * appended to *out (the caller frees) with *nout; returns 0 or -1 (e). */
int write_rules_check(store *s, const model *m, const write_rules *rules, const write_cell *cells, int n,
                      int current, write_violation **out, int *nout, err_t *e);
/* The refusal's text: "quy tắc R (lỗi): đơn vị U, kỳ P: LEFT = x, RIGHT = y (x > y): message". */
void write_violation_text(const model *m, const write_rules *rules, const write_violation *v, buf *b);

/* write_values' check: the n changed value cells (row = the caller's row) against the stored
 * rules; each refusal appended to errs as "ROW\trule\tMESSAGE\n".  0 or -1 (e). */
int write_rules_values(store *s, const model *m, const write_cell *cells, int n, buf *errs, err_t *e);
/* A small import into a database of at most this many values reads the whole model to check
 * rules on derived figures; into a larger one it asks the store for each stored operand and
 * skips the rules whose operand is only derived (the validation run finds those). */
#define WRITE_RULES_LOAD_MAX 500000L
/* write_import's check, inside its transaction before the commit: the n cells the import
 * changes (indexes of m, the import's model, which holds their new values; row = i), checked on
 * a whole model (m itself when it holds every figure, else one read in the transaction when the
 * database is not larger than WRITE_RULES_LOAD_MAX values); each refusal appended to errors as
 * "FILE, dòng R: MESSAGE\n".  Returns the number of refusals or -1. */
int write_rules_import(store *s, const model *m, const write_cell *cells, int n, const import_source *src,
                       int nsrc, buf *errors, err_t *e);

#endif
