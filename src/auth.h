/* auth.h - who may do what: password hashing (argon2id), random tokens, the role and
 * subtree rules, and a login rate limiter.
 *
 * The rules are pure functions of the model's unit tree, so every cell of the
 * role x unit x action matrix can be tested without a server.  The limiter is the
 * only state; it carries its own lock and is owned by whoever creates it (the web
 * server), never a global.
 */
#ifndef CHITIEU_AUTH_H
#define CHITIEU_AUTH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "model.h"

enum role { ROLE_ADMIN = 0, ROLE_EDITOR, ROLE_APPROVER, ROLE_VIEWER, ROLE_COUNT };
enum act { ACT_READ = 0, ACT_WRITE, ACT_APPROVE, ACT_ADMIN };

#define AUTH_HASH_MAX 128   /* room for an argon2id string */
#define AUTH_TOKEN_LEN 43   /* 32 random bytes, base64url without padding */
#define AUTH_DIGEST_LEN 64  /* hex of a 32-byte BLAKE2b digest */

/* Initialises libsodium; returns 0 or -1. */
int auth_init(void);
/* Checks the password policy (8 to 128 bytes of valid UTF-8); returns 0 or -1 with a message. */
int auth_password_ok(const char *pw, err_t *e);
/* Hashes a password with argon2id into out (AUTH_HASH_MAX bytes); returns 0 or -1. */
int auth_hash_password(const char *pw, char *out, err_t *e);
/* 1 if pw matches the stored hash, else 0 (also for an empty or malformed hash). */
int auth_verify_password(const char *hash, const char *pw);
/* Writes a fresh random token (AUTH_TOKEN_LEN chars + NUL) into out. */
void auth_random_token(char *out);
/* Writes the hex digest of a token (AUTH_DIGEST_LEN chars + NUL) into out: what the database keeps. */
void auth_token_digest(const char *token, char *out);
/* Compares two NUL-terminated secrets in time independent of where they differ; 1 if equal. */
int auth_secret_eq(const char *a, const char *b);

/* Parses "admin"/"editor"/"approver"/"viewer"; returns the role or -1. */
int auth_role_parse(const char *s);
/* The machine name of a role. */
const char *auth_role_key(int role);
/* The Vietnamese (or English) name of a role. */
const char *auth_role_name(int role);
/* 1 if unit u is root or one of its descendants. */
int auth_in_subtree(const model *m, int root, int u);
/* 1 if a user of this role bound to user_unit may do act on unit u (u may be -1 for
 * actions on no unit: only admins then). */
int auth_allows(const model *m, int role, int user_unit, int u, int act);

/* Failed-login counters per key (an account, an address) over a sliding window. */
typedef struct auth_limiter {
    pthread_mutex_t lock;
    struct auth_slot { uint64_t key; int64_t since; int fails; } slots[1024];
} auth_limiter;
/* Initialises a limiter; returns 0 or -1. */
int auth_limiter_init(auth_limiter *l);
/* Destroys a limiter's lock. */
void auth_limiter_free(auth_limiter *l);
/* 1 if key has failed max times within window seconds before now (so must wait), else 0. */
int auth_limited(auth_limiter *l, const char *key, int max, int window, int64_t now);
/* Counts a failure (fail = 1) or clears the key after a success (fail = 0). */
void auth_limit_note(auth_limiter *l, const char *key, int fail, int window, int64_t now);

#endif
