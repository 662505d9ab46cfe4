/* api_admin.c - users and API tokens for administrators in the JSON API, with the rules of the
 * web's users page (page_admin.c): an administrator sees and manages the users of the units they
 * administer; logins are 1-60 of [a-z0-9._@-]; passwords pass auth_password_ok_for; nobody disables
 * themselves.  Every change is written to the audit log.  A token is shown once, in the answer
 * that issues it; only its digest is stored.
 *
 * Routes: GET /api/v1/users (paged), POST /api/v1/users {login,name,role,unit,password},
 * POST /api/v1/users/disable and /enable {login}, POST /api/v1/tokens {login,name}.
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"

static const char *const user_params[] = { "unit", "lang", NULL };

/* 0 when the caller administers their own unit; else answers 403 and returns -1. */
static int admin_only(web_ctx *c)
{
    if (auth_allows(c->m, c->role, c->uunit, c->uunit, ACT_ADMIN))
        return 0;
    web_fail(c, 403, "forbidden", NULL, tr("chỉ quản trị", "administrators only"));
    return -1;
}

/* 1 if the caller administers the unit of this code. */
static int administers(web_ctx *c, const char *unit)
{
    int u = model_unit_find(c->m, unit);
    return u >= 0 && auth_allows(c->m, c->role, c->uunit, u, ACT_ADMIN);
}

int api_users(web_ctx *c)
{
    api_page pg;
    web_user *us = NULL;
    const char *unit = web_param(c, "unit");
    uint64_t digest = API_DIGEST_INIT;     /* the users listed: added or moved ones shift pages */
    if (admin_only(c) != 0 || api_list_begin_at(c, &pg, NULL) != 0)
        return 0;
    if (unit && *unit && model_unit_find(c->m, unit) < 0)      /* a typo is not "no users" */
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    int n = store_user_list(c->s, &us, &c->e);
    if (n < 0)
        return -1;
    json_t *a = json_array();
    for (int k = 0; a && k < n; k++) {
        if (!administers(c, us[k].unit) || (unit && *unit && strcmp(unit, us[k].unit) != 0))
            continue;
        api_digest_add(&digest, us[k].login);
        if (!api_page_take(&pg))
            continue;
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:b}", "login", us[k].login, "name", us[k].name,
                                           "role", us[k].role, "unit", us[k].unit, "disabled", us[k].disabled));
    }
    free(us);
    if (a && api_list_digest_check(c, &pg, digest) != 0) {
        json_decref(a);
        return 0;
    }
    return api_list_send(c, &pg, "users", a, user_params);
}

/* The JSON object of the body, or NULL after answering 415/400. */
static json_t *body_object(web_ctx *c)
{
    json_error_t je;
    if (!api_is_json_type(c->req->ctype)) {
        web_fail(c, 415, "unsupported_media_type", NULL, tr("cần Content-Type: application/json",
                                                            "Content-Type: application/json required"));
        return NULL;
    }
    json_t *j = json_loadb(buf_str(&c->req->body), c->req->body.len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(j)) {
        json_decref(j);
        web_fail(c, 400, "bad_request", NULL, tr("cần một đối tượng JSON", "a JSON object expected"));
        return NULL;
    }
    return j;
}

/* A login name: 1-60 of [a-z0-9._@-] (as the web's users page). */
static int login_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 60)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr("._@-", *s)))
            return 0;
    return 1;
}

static int user_add(web_ctx *c, json_t *j)
{
    const char *login = NULL, *name = "", *role = NULL, *unit = NULL, *pw = NULL;
    char hash[AUTH_HASH_MAX];
    web_user u;
    err_t e;
    if (json_unpack(j, "{s:s,s?s,s:s,s:s,s:s!}", "login", &login, "name", &name, "role", &role, "unit", &unit,
                    "password", &pw) != 0)
        return web_fail(c, 400, "bad_request", NULL, tr("cần JSON {login, name, role, unit, password}",
                                                        "expected JSON {login, name, role, unit, password}"));
    if (!login_ok(login))
        return web_fail(c, 422, "invalid", "login", tr("tên đăng nhập chỉ gồm a-z, 0-9, . _ @ - (tối đa 60 ký tự)",
                                                       "a login has only a-z, 0-9, . _ @ - (60 at most)"));
    if (auth_role_parse(role) < 0)
        return web_fail(c, 422, "invalid", "role", tr("vai trò không hợp lệ", "invalid role"));
    if (model_unit_find(c->m, unit) < 0)
        return web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
    if (!administers(c, unit))
        return web_fail(c, 403, "forbidden", "unit", tr("đơn vị ngoài phạm vi của bạn", "unit outside your subtree"));
    if (auth_password_ok_for(pw, login, &e) != 0)
        return web_fail(c, 422, "invalid", "password", e.msg);
    if (strlen(name) > 120)
        return web_fail(c, 422, "invalid", "name", tr("họ tên dài quá", "name too long"));
    memset(&u, 0, sizeof u);
    snprintf(u.login, sizeof u.login, "%s", login);
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.role, sizeof u.role, "%s", role);
    snprintf(u.unit, sizeof u.unit, "%s", unit);
    if (auth_hash_password(pw, hash, &c->e) != 0)
        return -1;
    /* the login checked, the user and its audit entry written in one transaction: a crash keeps
     * both or neither, and a login added meanwhile by another request is a 409, not a failed insert */
    if (store_begin(c->s, &c->e) != 0)
        return -1;
    web_user old;
    int found = store_user_get(c->s, login, &old, NULL, 0, &c->e);
    if (found != 0) {
        store_rollback(c->s);
        return found < 0 ? -1 : web_fail(c, 409, "conflict", "login", tr("tên đăng nhập đã có", "the login exists"));
    }
    if (store_user_add(c->s, &u, hash, &c->e) != 0 ||
        store_audit_add(c->s, c->user.login, "user add", login, role, &c->e) != 0 || store_commit(c->s, &c->e) != 0) {
        store_rollback(c->s);
        return -1;
    }
    return api_send_json(c, json_pack("{s:s,s:s,s:s,s:s,s:b}", "login", u.login, "name", u.name, "role", u.role,
                                      "unit", u.unit, "disabled", 0), 201);
}

/* The user of the body's login whom the caller administers, or -1 after answering. */
static int managed_user(web_ctx *c, const char *login, web_user *u)
{
    int found = store_user_get(c->s, login, u, NULL, 0, &c->e);
    if (found < 0)
        return -2;
    if (!found || !administers(c, u->unit)) {
        web_fail(c, 404, "not_found", "login", tr("không có người dùng này", "no such user"));
        return -1;
    }
    return 0;
}

static int user_disable(web_ctx *c, json_t *j, int disable)
{
    const char *login = NULL;
    web_user u;
    if (json_unpack(j, "{s:s!}", "login", &login) != 0)
        return web_fail(c, 400, "bad_request", NULL, tr("cần JSON {login}", "expected JSON {login}"));
    int r = managed_user(c, login, &u);
    if (r != 0)
        return r == -2 ? -1 : 0;
    if (disable && strcmp(login, c->user.login) == 0)
        return web_fail(c, 422, "invalid", "login", tr("không tự khóa mình được", "you cannot disable yourself"));
    if (store_begin(c->s, &c->e) != 0)
        return -1;
    if (store_user_set_disabled(c->s, login, disable, &c->e) < 0 ||
        store_audit_add(c->s, c->user.login, disable ? "disable" : "enable", login, "", &c->e) != 0 ||
        store_commit(c->s, &c->e) != 0) {
        store_rollback(c->s);
        return -1;
    }
    return api_send_json(c, json_pack("{s:s,s:b}", "login", login, "disabled", disable), 200);
}

static int token_add(web_ctx *c, json_t *j)
{
    const char *login = NULL, *name = "";
    web_user u;
    if (json_unpack(j, "{s:s,s?s!}", "login", &login, "name", &name) != 0)
        return web_fail(c, 400, "bad_request", NULL, tr("cần JSON {login, name}", "expected JSON {login, name}"));
    if (strlen(name) > 120)
        return web_fail(c, 422, "invalid", "name", tr("tên dài quá", "name too long"));
    int r = managed_user(c, login, &u);
    if (r != 0)
        return r == -2 ? -1 : 0;
    if (u.disabled)
        return web_fail(c, 422, "invalid", "login", tr("người dùng đã bị khóa", "the user is disabled"));
    char token[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(token);
    auth_token_digest(token, digest);
    if (store_begin(c->s, &c->e) != 0)
        return -1;
    if (store_token_put(c->s, digest, login, name, &c->e) != 0 ||
        store_audit_add(c->s, c->user.login, "token add", login, name, &c->e) != 0 || store_commit(c->s, &c->e) != 0) {
        store_rollback(c->s);
        return -1;
    }
    return api_send_json(c, json_pack("{s:s,s:s,s:s}", "login", login, "name", name, "token", token), 201);
}

int api_admin_post(web_ctx *c)
{
    if (admin_only(c) != 0)
        return 0;
    json_t *j = body_object(c);
    if (j == NULL)
        return 0;
    int rc;
    if (strcmp(c->req->path, "/api/v1/users") == 0)
        rc = user_add(c, j);
    else if (strcmp(c->req->path, "/api/v1/users/disable") == 0)
        rc = user_disable(c, j, 1);
    else if (strcmp(c->req->path, "/api/v1/users/enable") == 0)
        rc = user_disable(c, j, 0);
    else
        rc = token_add(c, j);
    json_decref(j);
    return rc;
}
