/* store_web.h - what the web application keeps in the database beside the figures:
 * users, login sessions, API tokens, the submission state of each (unit, period)
 * data set, and the audit log of workflow and administration actions.
 *
 * Secrets never reach the database in clear: passwords are stored as argon2id
 * strings made by auth.c, sessions and API tokens as hashes of the random token the
 * client holds.  Units are referred to by code.  All functions take a store handle
 * used by one thread at a time and fill err_t on failure.
 */
#ifndef CHITIEU_STORE_WEB_H
#define CHITIEU_STORE_WEB_H

#include <stdint.h>
#include "store.h"

typedef struct web_user {
    int64_t id;
    char login[64], name[128], role[16], unit[64];
    int disabled;
} web_user;

/* Adds a user; fails with a clear message if the login exists. */
int store_user_add(store *s, const web_user *u, const char *pwhash, err_t *e);
/* Finds a user by login; returns 1 (filled, pwhash copied if non-NULL), 0 (none) or -1. */
int store_user_get(store *s, const char *login, web_user *u, char *pwhash, size_t pwlen, err_t *e);
/* Replaces a user's password hash and ends all their sessions; returns 1, 0 (no such user) or -1. */
int store_user_set_password(store *s, const char *login, const char *pwhash, err_t *e);
/* Disables (1) or enables (0) a user, ending their sessions; returns 1, 0 (no such user) or -1. */
int store_user_set_disabled(store *s, const char *login, int disabled, err_t *e);
/* Fills *out with every user in login order (caller frees *out); returns the count or -1. */
int store_user_list(store *s, web_user **out, err_t *e);

/* Records a session (token hash, CSRF token, expiry in Unix seconds). */
int store_session_put(store *s, const char *hash, int64_t user, const char *csrf, int64_t expires,
                      err_t *e);
/* Looks a live session up, extending it to new_expires; returns 1 (u, csrf filled), 0 or -1. */
int store_session_get(store *s, const char *hash, int64_t now, int64_t new_expires, web_user *u,
                      char *csrf, size_t csrflen, err_t *e);
/* Ends a session (no error if absent). */
int store_session_del(store *s, const char *hash, err_t *e);

/* Records an API token hash for a user under a name. */
int store_token_put(store *s, const char *hash, const char *login, const char *name, err_t *e);
/* Looks an API token up; returns 1 (u filled, enabled user only), 0 or -1. */
int store_token_get(store *s, const char *hash, web_user *u, err_t *e);

enum sub_state { SUB_DRAFT = 0, SUB_SUBMITTED, SUB_APPROVED, SUB_RETURNED };
typedef struct web_sub {
    char unit[64], period[32];   /* a period code, or "targets:" and one (write.h) */
    int state;                /* enum sub_state */
    char at[32], who[64], comment[512];
} web_sub;
/* The submission state of (unit, period); an absent row is a draft (returns 0 then), 1 if found. */
int store_sub_get(store *s, const char *unit, const char *period, web_sub *out, err_t *e);
/* Sets the state with who/comment (at = now). */
int store_sub_put(store *s, const char *unit, const char *period, int state, const char *who,
                  const char *comment, err_t *e);
/* 1 if a 'returned' state was left by an administrator's unlock rather than a return, 0 if not, -1. */
int store_sub_was_unlock(store *s, const web_sub *sub, err_t *e);
/* Every non-draft submission, newest first (caller frees *out); returns the count or -1. */
int store_sub_list(store *s, web_sub **out, err_t *e);
/* The non-draft submissions of units[0..n) (n <= STORE_SUB_UNITS_MAX), each unit's oldest first
 * (caller frees *out); the count or -1. */
#define STORE_SUB_UNITS_MAX 8
int store_sub_list_units(store *s, const char *const *units, int n, web_sub **out, err_t *e);
/* Machine name of a state: "draft", "submitted", "approved", "returned". */
const char *store_sub_key(int state);

/* An audit entry to be written inside the transaction of the change it records (write.h's
 * write_actor.audit, task_import_audited), so a crash keeps both or neither. */
typedef struct store_audit_row {
    const char *action, *object;
    const char *detail;      /* NULL: the number of figures the change wrote */
} store_audit_row;

/* Appends an audit entry (at = now). */
int store_audit_add(store *s, const char *who, const char *action, const char *object,
                    const char *detail, err_t *e);
typedef struct web_audit {
    char at[32], who[64], action[32], object[160], detail[512];
    /* A change of a figure (action "value" or "target"): its cell, and old -> new exactly as
     * stored (has_* 0: none, a creation or a deletion); comments of values, "" when none. */
    int is_figure;
    char ind[64], unit[64], period[32];
    int has_old, has_new;
    double old_v, new_v;
    char old_comment[512], new_comment[512];
} web_audit;
/* What the audit log shows: every field "" or NULL means any.  kind: "value", "target",
 * "delete" (deleted values), "batch" (a write's batch: imports, saves) or "action" (workflow
 * and administration); unit and period: figure changes of that cell, and actions whose object
 * names them; from/to: "yyyy-mm-dd", inclusive, dates in Vietnam's time (UTC+7). */
typedef struct audit_filter {
    const char *who, *unit, *period, *kind, *from, *to;
} audit_filter;
/* Fills *out (caller frees) with up to limit entries from offset, newest first: audit actions
 * merged with every value/target change; *total (may be NULL) gets the count of all entries
 * that pass the filter.  Returns the number filled or -1. */
int store_audit_query(store *s, const audit_filter *f, int offset, int limit, web_audit **out,
                      int64_t *total, err_t *e);
/* The newest max entries, unfiltered (store_audit_query); returns the count or -1. */
int store_audit_list(store *s, int max, web_audit **out, err_t *e);

/* A database setting (the meta table): 1 (copied to out, truncated), 0 (absent: out = "") or -1. */
int store_meta_get(store *s, const char *key, char *out, size_t n, err_t *e);
/* Sets a database setting. */
int store_meta_set(store *s, const char *key, const char *value, err_t *e);

/* The batch `id` (id <= 0: the newest): 1 with *out_id, its `at` and `who` (truncated), 0 when there
 * is none, -1 with e (the engine image's check that a database's history is the one it was made on). */
int store_batch_stamp(store *s, int64_t id, int64_t *out_id, char *at, size_t atn, char *who, size_t whon, err_t *e);

/* Login throttling: the failures counted for key in the last forget seconds (*fails 0 when none). */
int store_throttle_get(store *s, const char *key, int64_t now, int forget, int *fails, int64_t *last_at, err_t *e);
/* Counts a failed login for key at now (forgetting every key quiet for forget seconds). */
int store_throttle_fail(store *s, const char *key, int64_t now, int forget, err_t *e);
/* Forgets key's failures (after a success). */
int store_throttle_clear(store *s, const char *key, err_t *e);

/* A user's TOTP secret (base32, copied to secret) and last used step: 1, 0 (no second factor) or -1. */
int store_totp_get(store *s, const char *login, char *secret, size_t n, int64_t *last_step, err_t *e);
/* Enrols (secret) or removes (NULL) a user's second factor, ending their sessions; 1, 0 (no such
 * user) or -1. */
int store_totp_set(store *s, const char *login, const char *secret, err_t *e);
/* Marks a time step used; 1, or 0 when that step (or a later one) was already used (a replay). */
int store_totp_use(store *s, const char *login, int64_t step, err_t *e);
/* A login waiting for its second factor: the ticket's hash, the user, until when. */
int store_pending_put(store *s, const char *hash, int64_t user, int64_t expires, err_t *e);
/* Finds a live pending login of an enabled user; 1 (u filled), 0 or -1. */
int store_pending_get(store *s, const char *hash, int64_t now, web_user *u, err_t *e);
/* Ends a pending login (no error if absent). */
int store_pending_del(store *s, const char *hash, err_t *e);

/* The newest batch id (changes by anyone, any process); 0 for none, -1 on error. */
int64_t store_generation(store *s, err_t *e);

#endif
