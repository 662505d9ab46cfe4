/* store_rule.h - validation rules and outlier bounds in the database (store_sqlite_rule.c).
 * Tables `rule` (by code) and `ind_bound` (by indicator code); the outlier threshold is the
 * meta setting 'outlier_k' (store_meta_get/set, store_web.h). */
#ifndef CHITIEU_STORE_RULE_H
#define CHITIEU_STORE_RULE_H

#include "outlier.h"
#include "rule.h"
#include "store.h"

/* Loads every rule (by code) into *out (n of them, unbound; the caller frees each with
 * rule_free and the array with free).  A stored rule that no longer parses is an error. */
int store_rule_load(store *s, rule_t **out, int *n, err_t *e);
/* Stores the rules in the open transaction, replacing those with the same codes (every
 * stored rule first when replace). */
int store_rule_put(store *s, const rule_t *r, int n, int replace, err_t *e);
/* Deletes the rule with this code in the open transaction; 1 deleted, 0 none, -1 error. */
int store_rule_delete(store *s, const char *code, err_t *e);
/* Loads the bounds into *out (the caller frees; unbound). */
int store_bound_load(store *s, outlier_bound **out, int *n, err_t *e);
/* Stores bounds in the open transaction (by indicator; every stored one first when replace). */
int store_bound_put(store *s, const outlier_bound *b, int n, int replace, err_t *e);
/* The number of stored values, counted up to cap at most (a bounded scan); -1 on error. */
long store_values_upto(store *s, long cap, err_t *e);
/* The outlier threshold k (meta 'outlier_k', default OUTLIER_K_DEFAULT). */
double store_outlier_k(store *s);

#endif
