/* cycle_store.h - what the reporting cycle keeps in the database (store_sqlite_cycle.c): its
 * settings (deadlines, cut-off, reminder days, the SMTP server) as `cycle.*` and `smtp.*` rows
 * of the meta table, users' e-mail addresses (a column of app_user added by a guarded
 * migration), and the first write time of each stored value of a period.  All functions take a
 * store handle used by one thread at a time and fill err_t on failure. */
#ifndef CHITIEU_CYCLE_STORE_H
#define CHITIEU_CYCLE_STORE_H

#include <stddef.h>
#include "buf.h"
#include "cycle.h"
#include "store.h"

/* The settings a user may set (`chitieu deadlines KEY=VALUE`), in display order, NULL-ended:
 * the period kinds (cycle.h), "periods", "cutoff", "remind-before", "remind-after", "tz", "smtp-url",
 * "smtp-from", "smtp-user", "smtp-password". */
extern const char *const cycle_setting_keys[];
/* 1 if key is one of cycle_setting_keys, else 0. */
int cycle_setting_known(const char *key);
/* Checks and stores one setting (value "" removes it: back to the default); 0, or -1 with a
 * message naming the key and what it takes. */
int cycle_setting_set(store *s, const char *key, const char *value, err_t *e);
/* The stored text of a setting, "" when absent; 1, 0 (absent) or -1. */
int cycle_setting_get(store *s, const char *key, char *out, size_t n, err_t *e);
/* The rules: defaults overridden by the stored settings; -1 if a stored setting is invalid. */
int cycle_rules_load(store *s, cycle_rules *r, err_t *e);

/* The SMTP settings (empty strings when absent). */
typedef struct cycle_smtp {
    char url[256], from[256], user[128], password[128];
} cycle_smtp;
int cycle_smtp_load(store *s, cycle_smtp *out, err_t *e);

/* A user's e-mail: 1 (copied to out), 0 (no such user, or none set) or -1. */
int store_user_email_get(store *s, const char *login, char *out, size_t n, err_t *e);
/* Sets a user's e-mail ("" removes it), adding the column on an older database first;
 * 1, 0 (no such user) or -1. */
int store_user_email_set(store *s, const char *login, const char *email, err_t *e);
/* 1 if an e-mail address looks deliverable (one '@', a dot after it, no spaces or controls, at
 * most 254 bytes), else 0. */
int cycle_email_ok(const char *email);

/* Called for each stored value of the period: indicator and unit codes and the time
 * ("YYYY-MM-DDTHH:MM:SSZ") its first version was written; non-zero stops with that result. */
typedef int (*store_first_write_fn)(void *ctx, const char *ind, const char *unit, const char *at);
/* Scans the values of the period (code) with their first write time (the batch of the value's
 * oldest history row, else of the row itself); 0 or -1. */
int store_first_writes(store *s, const char *period, store_first_write_fn fn, void *ctx, err_t *e);
/* The same for n cells of the period named by their codes (inds[k], units[k]): fn for each one
 * that has a value stored (one indexed read a cell, for a period with few values among many); 0 or
 * -1. */
int store_first_writes_of(store *s, const char *period, const char *const *inds, const char *const *units, size_t n,
                          store_first_write_fn fn, void *ctx, err_t *e);
/* The same for one cell (indicator and unit codes, period code): 1 with its first write time
 * copied to at (n bytes), 0 when no value is stored, or -1. */
int store_first_write(store *s, const char *ind, const char *unit, const char *period, char *at, size_t n,
                      err_t *e);

#endif
