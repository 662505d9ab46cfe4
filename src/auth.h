/* auth.h - who may do what: password hashing (argon2id), random tokens, the role and
 * subtree rules, the password policy (libpwquality), the login throttling rule and TOTP
 * codes (RFC 6238, liboath).
 *
 * The rules are pure functions of the model's unit tree, so every cell of the
 * role x unit x action matrix can be tested without a server.  Nothing here keeps
 * state: the throttle's counters and the TOTP secrets live in the database (store_web.h).
 */
#ifndef CHITIEU_AUTH_H
#define CHITIEU_AUTH_H

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
/* Checks the password policy (8 to 128 bytes, not refused by libpwquality: no dictionary word,
 * run like 12345678, or repetition); returns 0 or -1 with a message saying why. */
int auth_password_ok(const char *pw, err_t *e);
/* The same, also refusing a password that contains login (NULL: no such check). */
int auth_password_ok_for(const char *pw, const char *login, err_t *e);
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

/* Seconds a key (an account, an address) with `fails` failed logins, the last at last_at, must
 * still wait at now: none for the first free_fails, then 1, 2, 4 ... seconds, at most cap. */
int64_t auth_throttle_wait(int fails, int64_t last_at, int64_t now, int free_fails, int cap);

#define AUTH_TOTP_KEY 20        /* bytes of a TOTP secret (160 bits, as RFC 4226 advises) */
#define AUTH_TOTP_B32 40        /* room for its base32 text and NUL */
/* Writes the TOTP code of key at Unix time t (30 s steps, HMAC-SHA1) with `digits` digits (6-8)
 * into out (digits + 1 bytes); returns 0 or -1. */
int auth_totp_at(const char *key, size_t keylen, int64_t t, int digits, char *out);
/* Writes a fresh random secret in base32 (what authenticator apps take) into out; 0 or -1. */
int auth_totp_secret(char *out, size_t n);
/* The time step a 6-digit code matches for secret (base32) at now, allowing one step of drift,
 * only steps after last_step (a code is used once); -1 if none. */
int64_t auth_totp_check(const char *secret, const char *code, int64_t now, int64_t last_step);

#endif
