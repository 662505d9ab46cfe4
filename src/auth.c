/* auth.c - passwords, tokens, permissions and the login limiter (see auth.h).
 *
 * Permission rule, the whole of it: every role reads its own unit's subtree; editors
 * also write there, approvers also approve there, admins do everything there
 * (including unlocking approved data and administration).  Nothing reaches a unit
 * outside the user's subtree, whatever the role.
 */
#include "auth.h"

#include <sodium.h>
#include <string.h>

int auth_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int auth_password_ok(const char *pw, err_t *e)
{
    size_t n = strlen(pw);
    if (n < 8)
        return err_set(e, tr("mật khẩu phải có ít nhất 8 ký tự", "the password must have at least 8 characters"));
    if (n > 128)
        return err_set(e, tr("mật khẩu dài quá 128 byte", "the password is longer than 128 bytes"));
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

int auth_limiter_init(auth_limiter *l)
{
    memset(l->slots, 0, sizeof l->slots);
    return pthread_mutex_init(&l->lock, NULL) == 0 ? 0 : -1;
}

void auth_limiter_free(auth_limiter *l)
{
    pthread_mutex_destroy(&l->lock);
}

static uint64_t key_hash(const char *key)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a; 0 marks an empty slot */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h ? h : 1;
}

/* The slot for key: its own, else a free or expired one, else the oldest (a full table
 * forgets the oldest counter rather than refusing everyone).  Caller holds the lock. */
static struct auth_slot *slot_of(auth_limiter *l, uint64_t k, int window, int64_t now, int create)
{
    size_t n = sizeof l->slots / sizeof *l->slots, i0 = (size_t)(k % n);
    struct auth_slot *victim = NULL;
    for (size_t j = 0; j < 16; j++) {
        struct auth_slot *s = &l->slots[(i0 + j) % n];
        if (s->key == k)
            return s;
        if (victim == NULL || s->key == 0 || s->since + window < now ||
            (victim->key != 0 && s->since < victim->since))
            if (victim == NULL || victim->key != 0)
                victim = s;
    }
    if (!create)
        return NULL;
    victim->key = k;
    victim->since = now;
    victim->fails = 0;
    return victim;
}

int auth_limited(auth_limiter *l, const char *key, int max, int window, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    struct auth_slot *s = slot_of(l, key_hash(key), window, now, 0);
    int r = s && s->since + window >= now && s->fails >= max;
    pthread_mutex_unlock(&l->lock);
    return r;
}

void auth_limit_note(auth_limiter *l, const char *key, int fail, int window, int64_t now)
{
    pthread_mutex_lock(&l->lock);
    struct auth_slot *s = slot_of(l, key_hash(key), window, now, fail);
    if (s && !fail)
        memset(s, 0, sizeof *s);
    else if (s) {
        if (s->since + window < now) {
            s->since = now;
            s->fails = 0;
        }
        s->fails++;
    }
    pthread_mutex_unlock(&l->lock);
}
