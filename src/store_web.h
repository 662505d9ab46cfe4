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
/* Machine name of a state: "draft", "submitted", "approved", "returned". */
const char *store_sub_key(int state);

/* Appends an audit entry (at = now). */
int store_audit_add(store *s, const char *who, const char *action, const char *object,
                    const char *detail, err_t *e);
typedef struct web_audit {
    char at[32], who[64], action[32], object[160], detail[512];
} web_audit;
/* The newest max entries: audit actions merged with every value/target change (old -> new)
 * (caller frees *out); returns the count or -1. */
int store_audit_list(store *s, int max, web_audit **out, err_t *e);

/* A database setting (the meta table): 1 (copied to out, truncated), 0 (absent: out = "") or -1. */
int store_meta_get(store *s, const char *key, char *out, size_t n, err_t *e);
/* Sets a database setting. */
int store_meta_set(store *s, const char *key, const char *value, err_t *e);

/* The newest batch id (changes by anyone, any process); 0 for none, -1 on error. */
int64_t store_generation(store *s, err_t *e);

#endif
