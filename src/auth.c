/* auth.c - passwords, tokens, permissions, throttling and TOTP (see auth.h).
 *
 * Permission rule, the whole of it: every role reads its own unit's subtree; editors
 * also write there, approvers also approve there, admins do everything there
 * (including unlocking approved data and administration).  Nothing reaches a unit
 * outside the user's subtree, whatever the role.
 *
 * Passwords are judged by libpwquality (cracklib's dictionary when installed); the second
 * factor is TOTP through liboath.  Login throttling keeps its counters in the database
 * (store_web.h); here is only the pure rule of how long a key must wait.
 */
#include "auth.h"

#include <liboath/oath.h>
#include <pwquality.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int auth_init(void)
{
    return sodium_init() < 0 || oath_init() != OATH_OK ? -1 : 0;
}

/* What libpwquality's refusal code means, in the user's language. */
static const char *pwq_reason(int code)
{
    switch (code) {
    case PWQ_ERROR_CRACKLIB_CHECK:
    case PWQ_ERROR_BAD_WORDS:
        return tr("mật khẩu quá dễ đoán (là từ trong từ điển, dãy số hay dãy phím liên tiếp)",
                  "the password is too easy to guess (a dictionary word, a run of digits or keys)");
    case PWQ_ERROR_PALINDROME:
        return tr("mật khẩu đọc xuôi ngược như nhau", "the password is a palindrome");
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
    case PWQ_ERROR_MAX_SEQUENCE:
        return tr("mật khẩu có quá nhiều ký tự lặp lại hoặc liên tiếp", "the password repeats or runs too many characters");
    case PWQ_ERROR_USER_CHECK:
    case PWQ_ERROR_GECOS_CHECK:
        return tr("mật khẩu chứa tên đăng nhập", "the password contains the login");
    case PWQ_ERROR_MIN_LENGTH:
    case PWQ_ERROR_MIN_CLASSES:
    case PWQ_ERROR_MIN_DIGITS:
    case PWQ_ERROR_MIN_UPPERS:
    case PWQ_ERROR_MIN_LOWERS:
    case PWQ_ERROR_MIN_OTHERS:
        return tr("mật khẩu quá đơn giản: hãy dùng dài hơn, trộn chữ, số và ký hiệu",
                  "the password is too simple: make it longer and mix letters, digits and symbols");
    }
    return tr("mật khẩu quá yếu", "the password is too weak");
}

/* libpwquality's verdict with its defaults (not the machine's pwquality.conf, so every server
 * judges alike) and a minimum length of 8; a missing cracklib dictionary skips only that check. */
static int pwq_check(const char *pw, const char *login)
{
    pwquality_settings_t *set = pwquality_default_settings();
    if (set == NULL)
        return PWQ_ERROR_MEM_ALLOC;
    pwquality_set_int_value(set, PWQ_SETTING_MIN_LENGTH, 8);
    void *aux = NULL;
    int score = pwquality_check(set, pw, NULL, login, &aux);
    if (score == PWQ_ERROR_CRACKLIB_CHECK && aux && strstr((const char *)aux, "loading dictionary")) {
        pwquality_set_int_value(set, PWQ_SETTING_DICT_CHECK, 0);
        score = pwquality_check(set, pw, NULL, login, NULL);
    }
    pwquality_free_settings(set);
    return score;
}

int auth_password_ok(const char *pw, err_t *e)
{
    return auth_password_ok_for(pw, NULL, e);
}

int auth_password_ok_for(const char *pw, const char *login, err_t *e)
{
    size_t n = strlen(pw);
    if (n < 8)
        return err_set(e, tr("mật khẩu phải có ít nhất 8 ký tự", "the password must have at least 8 characters"));
    if (n > 128)
        return err_set(e, tr("mật khẩu dài quá 128 byte", "the password is longer than 128 bytes"));
    int score = pwq_check(pw, login);
    if (score < 0)
        return err_set(e, "%s", pwq_reason(score));
    return 0;
}

int auth_hash_password(const char *pw, char *out, err_t *e)
{
    _Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer");
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return err_set(e, "out of memory (argon2id)");
    return 0;
}

int auth_verify_password(const char *hash, const char *pw)
{
    if (hash == NULL || strncmp(hash, "$argon2id$", 10) != 0)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_random_token(char *out)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, AUTH_TOKEN_LEN + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void auth_token_digest(const char *token, char *out)
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(out, AUTH_DIGEST_LEN + 1, h, sizeof h);
}

int auth_secret_eq(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && n > 0 && sodium_memcmp(a, b, n) == 0;
}

static const char *const role_keys[ROLE_COUNT] = { "admin", "editor", "approver", "viewer" };

int auth_role_parse(const char *s)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (strcmp(s, role_keys[i]) == 0)
            return i;
    return -1;
}

const char *auth_role_key(int role)
{
    return role >= 0 && role < ROLE_COUNT ? role_keys[role] : "?";
}

const char *auth_role_name(int role)
{
    switch (role) {
    case ROLE_ADMIN: return tr("quản trị", "administrator");
    case ROLE_EDITOR: return tr("nhập liệu", "editor");
    case ROLE_APPROVER: return tr("phê duyệt", "approver");
    case ROLE_VIEWER: return tr("xem", "viewer");
    }
    return "?";
}

int auth_in_subtree(const model *m, int root, int u)
{
    if (root < 0 || u < 0 || (size_t)u >= m->nunits || (size_t)root >= m->nunits)
        return 0;
    for (int depth = 0; u >= 0 && depth <= (int)m->nunits; depth++, u = m->units[u].parent)
        if (u == root)
            return 1;
    return 0;
}

int auth_allows(const model *m, int role, int user_unit, int u, int act)
{
    if (u < 0)
        return role == ROLE_ADMIN && act == ACT_ADMIN;
    if (!auth_in_subtree(m, user_unit, u))
        return 0;
    switch (act) {
    case ACT_READ: return role >= 0 && role < ROLE_COUNT;
    case ACT_WRITE: return role == ROLE_EDITOR || role == ROLE_ADMIN;
    case ACT_APPROVE: return role == ROLE_APPROVER || role == ROLE_ADMIN;
    case ACT_ADMIN: return role == ROLE_ADMIN;
    }
    return 0;
}

int64_t auth_throttle_wait(int fails, int64_t last_at, int64_t now, int free_fails, int cap)
{
    if (fails <= free_fails)
        return 0;
    int64_t delay = 1;
    for (int i = free_fails + 1; i < fails && delay < cap; i++)
        delay *= 2;
    if (delay > cap)
        delay = cap;
    int64_t left = last_at + delay - now;
    return left > 0 ? left : 0;
}

/* ---- TOTP (RFC 6238 on liboath: HMAC-SHA1, 30-second steps) ---- */

int auth_totp_at(const char *key, size_t keylen, int64_t t, int digits, char *out)
{
    return oath_totp_generate(key, keylen, (time_t)t, OATH_TOTP_DEFAULT_TIME_STEP_SIZE, 0, (unsigned)digits,
                              out) == OATH_OK ? 0 : -1;
}

int auth_totp_secret(char *out, size_t n)
{
    char raw[AUTH_TOTP_KEY];
    char *b32 = NULL;
    size_t len = 0;
    randombytes_buf(raw, sizeof raw);
    int rc = oath_base32_encode(raw, sizeof raw, &b32, &len);
    sodium_memzero(raw, sizeof raw);
    if (rc != OATH_OK || len + 1 > n) {
        free(b32);
        return -1;
    }
    memcpy(out, b32, len);
    out[len] = '\0';
    sodium_memzero(b32, len);
    free(b32);
    return 0;
}

int64_t auth_totp_check(const char *secret, const char *code, int64_t now, int64_t last_step)
{
    char *key = NULL;
    size_t keylen = 0;
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6 ||
        oath_base32_decode(secret, strlen(secret), &key, &keylen) != OATH_OK)
        return -1;
    int64_t found = -1;
    for (int d = -1; d <= 1; d++) {   /* one step of clock drift either way */
        int64_t t = now + d * OATH_TOTP_DEFAULT_TIME_STEP_SIZE, step = t / OATH_TOTP_DEFAULT_TIME_STEP_SIZE;
        char want[8];
        if (step > last_step && auth_totp_at(key, keylen, t, 6, want) == 0 && auth_secret_eq(want, code))
            found = step;
    }
    sodium_memzero(key, keylen);
    free(key);
    return found;
}
