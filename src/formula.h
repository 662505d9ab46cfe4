/* formula.h - arithmetic formulas over indicator codes: "voted / registered * 100".
 *
 * Grammar: expr := term (('+'|'-') term)* ; term := unary (('*'|'/') unary)* ;
 * unary := '-' unary | primary ;
 * primary := NUMBER | IDENT | '{' CODE '}' | '[' CODE ']' | '(' expr ')'.
 * NUMBER is digits with an optional '.' fraction; IDENT is [A-Za-z_][A-Za-z0-9_.]*;
 * '{code}' (documented) and '[code]' (older) quote any code made of [A-Za-z0-9_.-], spaces
 * inside the marks ignored, so codes as offices write them can be used: "{KT-01} / {KT-02} * 100",
 * "{1.2}", "{CT1a}".  Bare, "KT-01" is KT minus 1: write such codes quoted.
 * A parsed formula is an immutable compiled program that the caller frees; it is
 * safe to evaluate from several threads at once.
 */
#ifndef CHITIEU_FORMULA_H
#define CHITIEU_FORMULA_H

#include <stddef.h>
#include "err.h"

typedef struct formula formula;

#define FORMULA_MAX_LEN 4096
#define FORMULA_MAX_DEPTH 64

/* Compiles src; on error returns -1 and a message naming the 1-based character position
 * and what was expected (in the process language). The caller frees *out with formula_free. */
int formula_parse(const char *src, formula **out, err_t *e);
/* Frees a compiled formula (NULL is fine). */
void formula_free(formula *f);
/* Number of distinct variables (indicator codes) the formula reads. */
int formula_nvars(const formula *f);
/* The i-th variable's code, in order of first appearance; owned by f. */
const char *formula_var(const formula *f, int i);
/* Evaluates with vals[i] the value of variable i; has[i] == 0 marks a missing value.
 * Returns 0 with *out set, or -1 if an operand is missing, a division by zero happens or the
 * result is not finite. */
int formula_eval(const formula *f, const double *vals, const unsigned char *has, double *out);

#endif
