/* page.c - the page frame (header, navigation, footer), small output helpers, and the
 * pages that are not about figures: log in, log out, change password, static files.
 *
 * Every handler appends to c->resp->body; user text passes through page_text (which
 * calls html_str), numbers through page_num, URL values through page_urlarg.
 */
#include "web.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "demo.h"
#include "html.h"
#include "report.h"
#include "vn.h"

void page_printf(web_ctx *c, const char *fmt, ...)
{
    if (strchr(fmt, '%') == NULL) {         /* most of a page's markup: nothing to format */
        buf_adds(&c->resp->body, fmt);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&c->resp->body, fmt, ap);
    va_end(ap);
}

void page_text(web_ctx *c, const char *s)
{
    html_str(&c->resp->body, s ? s : "");
}

void page_lines(web_ctx *c, const char *text, const char *open, const char *close)
{
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        buf_adds(&c->resp->body, open);
        html_text(&c->resp->body, s, n);
        buf_adds(&c->resp->body, close);
        s += n + (nl != NULL);
    }
}

void page_csrf(web_ctx *c)
{
    page_printf(c, "<input type=\"hidden\" name=\"csrf\" value=\"");
    page_text(c, c->csrf);
    page_printf(c, "\">");
}

void page_num(web_ctx *c, double v, int decimals)
{
    vn_format_number_trim(v, decimals, lang_get(), &c->resp->body);
}

void page_urlarg(web_ctx *c, const char *s)
{
    web_urlenc(&c->resp->body, s);
}

void page_time(web_ctx *c, const char *iso)
{
    buf t = BUF_INIT;
    if (iso && vn_format_time(iso, lang_get(), &t) == 0) {
        page_printf(c, "<time datetime=\"");
        page_text(c, iso);
        page_printf(c, "\">");
        page_text(c, buf_str(&t));
        page_printf(c, "</time>");
    } else {
        page_text(c, iso);
    }
    buf_free(&t);
}

void page_period_code(web_ctx *c, const char *code)
{
    period_t p;
    buf t = BUF_INIT;
    if (code && period_parse(code, strlen(code), &p) == 0 && report_period_label(c->m, p, &t) == 0)
        page_text(c, buf_str(&t));
    else
        page_text(c, code);
    buf_free(&t);
}

static void nav_link(web_ctx *c, const char *href, const char *label)
{
    int here = strcmp(c->req->path, href) == 0;
    page_printf(c, "<a href=\"%s\"%s>%s</a>", href, here ? " aria-current=\"page\"" : "", label);
}

void page_begin(web_ctx *c, const char *title)
{
    page_printf(c, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                   "<title>", lang_get() == LANG_EN ? "en" : "vi");
    page_text(c, title);
    page_printf(c, " — chitieu</title><link rel=\"stylesheet\" href=\"/static/app.css?v=2\">"
                   "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
                   "<script src=\"/static/app.js?v=2\" defer></script></head><body>"
                   "<header><a class=\"brand\" href=\"/overview\">chitieu</a><nav>");
    if (c->authed) {
        nav_link(c, "/overview", tr("Tổng quan", "Overview"));
        if (c->role == ROLE_EDITOR || c->role == ROLE_ADMIN) {
            nav_link(c, "/entry", tr("Nhập số liệu", "Data entry"));
            nav_link(c, "/import", tr("Nhập tệp", "Import"));
        }
        if (c->role == ROLE_APPROVER || c->role == ROLE_ADMIN)
            nav_link(c, "/approval", tr("Phê duyệt", "Approval"));
        nav_link(c, "/validation", tr("Kiểm tra", "Validation"));
        nav_link(c, "/tasks", tr("Nhiệm vụ", "Tasks"));
        nav_link(c, "/class", tr("Xếp loại", "Classification"));
        nav_link(c, "/report", tr("Báo cáo", "Report"));
        if (c->role == ROLE_ADMIN) {
            nav_link(c, "/admin/users", tr("Người dùng", "Users"));
            nav_link(c, "/admin/data", tr("Danh mục", "Catalogue"));
            nav_link(c, "/admin/audit", tr("Nhật ký", "Audit log"));
        }
    }
    page_printf(c, "</nav><div class=\"who\">");
    if (c->authed) {
        page_text(c, c->user.name[0] ? c->user.name : c->user.login);
        page_printf(c, " · %s · ", auth_role_name(c->role));
        page_text(c, c->m->units[c->uunit].name);
        page_printf(c, " · <a href=\"/password\">%s</a> <form method=\"post\" action=\"/logout\" class=\"inline\">",
                    tr("Đổi mật khẩu", "Change password"));
        page_csrf(c);
        page_printf(c, "<button type=\"submit\" class=\"link\">%s</button></form> ", tr("Đăng xuất", "Log out"));
    }
    page_printf(c, "<a href=\"?lang=%s\" hreflang=\"%s\">%s</a></div></header><main>",
                lang_get() == LANG_EN ? "vi" : "en", lang_get() == LANG_EN ? "vi" : "en",
                lang_get() == LANG_EN ? "Tiếng Việt" : "English");
    page_printf(c, "<h1>");
    page_text(c, title);
    page_printf(c, "</h1>");
}

void page_end(web_ctx *c)
{
    page_printf(c, "</main><footer>chitieu · %s</footer></body></html>\n",
                tr("theo dõi, đánh giá chỉ tiêu nghị quyết", "target monitoring for public organisations"));
}

int page_home(web_ctx *c)
{
    return web_redirect(c, "/overview");
}

int page_static(web_ctx *c)
{
    const char *name = c->req->path + 1;  /* "static/app.css" */
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strcmp(f->name, name) != 0)
            continue;
        size_t n = strlen(name);
        c->resp->ctype = n > 4 && strcmp(name + n - 4, ".css") == 0 ? "text/css; charset=utf-8"
                       : n > 3 && strcmp(name + n - 3, ".js") == 0 ? "text/javascript; charset=utf-8"
                       : n > 4 && strcmp(name + n - 4, ".svg") == 0 ? "image/svg+xml"
                       : "text/plain; charset=utf-8";
        c->resp->cache_seconds = 86400;
        buf_add(&c->resp->body, f->data, f->len);
        return 0;
    }
    return web_fail(c, 404, "not_found", NULL, tr("không có tệp này", "no such file"));
}

/* ---- log in / out ---- */

static void login_form(web_ctx *c, const char *login, const char *msg)
{
    page_begin(c, tr("Đăng nhập", "Log in"));
    if (msg) {
        page_printf(c, "<div class=\"msg err\" role=\"alert\">");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    const char *next = web_param(c, "next");
    page_printf(c, "<form method=\"post\" action=\"/login\" class=\"card narrow\">"
                   "<label>%s <input name=\"login\" autocomplete=\"username\" required maxlength=\"60\" value=\"",
                tr("Tên đăng nhập", "Login"));
    page_text(c, login ? login : "");
    page_printf(c, "\"></label><label>%s <input name=\"password\" type=\"password\" "
                   "autocomplete=\"current-password\" required maxlength=\"128\"></label>"
                   "<input type=\"hidden\" name=\"next\" value=\"",
                tr("Mật khẩu", "Password"));
    page_text(c, next ? next : "");
    page_printf(c, "\"><button type=\"submit\">%s</button></form>", tr("Đăng nhập", "Log in"));
    page_end(c);
}

int page_login(web_ctx *c)
{
    if (c->authed)
        return web_redirect(c, "/overview");
    login_form(c, NULL, NULL);
    return 0;
}

/* Login throttling: each failed attempt counts against three keys, and an attempt waits as long
 * as the longest of them asks (auth_throttle_wait); nothing is ever locked for good.  The
 * account's own delay stays short, so someone guessing at an account from many addresses slows
 * its owner by seconds at most, while one address guessing gets ever longer waits. */
#define THROTTLE_FORGET 900   /* seconds: a key quiet this long starts again from zero */
#define PENDING_TTL 300       /* seconds to type the second factor's code */
static const struct throttle_rule {
    const char *prefix;
    int free_fails, cap;
} throttle_rules[3] = {
    { "pair", 3, 300 },   /* one address guessing one account */
    { "addr", 20, 300 },  /* one address guessing many accounts */
    { "user", 10, 30 },   /* many addresses guessing one account */
};

static void throttle_keys(const web_ctx *c, const char *login, char keys[3][160])
{
    snprintf(keys[0], 160, "pair:%s|%.80s", c->req->addr, login);
    snprintf(keys[1], 160, "addr:%s", c->req->addr);
    snprintf(keys[2], 160, "user:%.80s", login);
}

/* Seconds this attempt must still wait, or -1 (c->e) on a database error. */
static int64_t throttle_wait(web_ctx *c, char keys[3][160], int64_t now)
{
    int64_t wait = 0;
    for (int i = 0; i < 3; i++) {
        int fails;
        int64_t last_at;
        if (store_throttle_get(c->s, keys[i], now, THROTTLE_FORGET, &fails, &last_at, &c->e) != 0)
            return -1;
        int64_t w = auth_throttle_wait(fails, last_at, now, throttle_rules[i].free_fails, throttle_rules[i].cap);
        if (w > wait)
            wait = w;
    }
    return wait;
}

/* Counts a failure against every key, or after a success forgets the account's own keys. */
static int throttle_note(web_ctx *c, char keys[3][160], int fail, int64_t now)
{
    for (int i = 0; i < 3; i++) {
        if (fail && store_throttle_fail(c->s, keys[i], now, THROTTLE_FORGET, &c->e) != 0)
            return -1;
        if (!fail && i != 1 && store_throttle_clear(c->s, keys[i], &c->e) != 0)
            return -1;
    }
    return 0;
}

/* Answers 429 with Retry-After and the login form saying how long to wait. */
static int throttled(web_ctx *c, const char *login, int64_t wait)
{
    char msg[200];
    c->resp->status = 429;
    c->resp->retry_after = (int)wait;
    snprintf(msg, sizeof msg, tr("Đăng nhập sai nhiều lần. Hãy thử lại sau %lld giây.",
                                 "Too many failed logins. Try again in %lld s."), (long long)wait);
    login_form(c, login, msg);
    return 0;
}

/* The second step: the code from the authenticator app, with the ticket of the first. */
static void code_form(web_ctx *c, const char *ticket, const char *msg)
{
    const char *next = web_param(c, "next");
    page_begin(c, tr("Xác thực hai bước", "Two-step verification"));
    if (msg) {
        page_printf(c, "<div class=\"msg err\" role=\"alert\">");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    page_printf(c, "<form method=\"post\" action=\"/login\" class=\"card narrow\"><input type=\"hidden\" name=\"ticket\" value=\"");
    page_text(c, ticket);
    page_printf(c, "\"><input type=\"hidden\" name=\"next\" value=\"");
    page_text(c, next ? next : "");
    page_printf(c, "\"><label>%s <input name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" "
                   "pattern=\"[0-9]{6}\" maxlength=\"6\" required autofocus></label><button type=\"submit\">%s</button></form>",
                tr("Mã xác thực (6 chữ số trong ứng dụng xác thực)", "Verification code (6 digits from the authenticator app)"),
                tr("Xác nhận", "Verify"));
    page_end(c);
}

/* Starts a session for u and redirects to next (a local path) or the overview. */
static int start_session(web_ctx *c, const web_user *u, int64_t now)
{
    const char *next = web_param(c, "next");
    char tok[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(tok);
    auth_random_token(csrf);
    auth_token_digest(tok, digest);
    if (store_session_put(c->s, digest, u->id, csrf, now + c->app->session_ttl, &c->e) != 0)
        return -1;
    http_set_cookie(c->resp, "chitieu_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", tok,
                    c->app->session_ttl, c->app->secure_cookies ? "; Secure" : "");
    /* Only local paths: "/x" but not "//host" or "/\host". */
    if (next && next[0] == '/' && next[1] != '/' && next[1] != '\\' && strlen(next) < 200 &&
        strcmp(next, "/login") != 0) {
        for (const char *p = next; *p; p++)
            if ((unsigned char)*p < 0x21 || *p == '"' || *p == '<' || *p == '>')
                return web_redirect(c, "/overview");
        return web_redirect(c, "%s", next);
    }
    return web_redirect(c, "/overview");
}

/* POST /login with ticket and code: the second factor of a user whose password was right. */
static int login_second_step(web_ctx *c, const char *ticket, const char *code, int64_t now)
{
    char digest[AUTH_DIGEST_LEN + 1], keys[3][160], secret[AUTH_TOTP_B32 + 8];
    web_user u;
    int64_t last_step = 0;
    auth_token_digest(ticket, digest);
    int found = store_pending_get(c->s, digest, now, &u, &c->e);
    if (found < 0)
        return -1;
    if (!found) {
        c->resp->status = 401;
        login_form(c, NULL, tr("Lượt đăng nhập đã hết hạn; hãy đăng nhập lại.", "The login expired; log in again."));
        return 0;
    }
    throttle_keys(c, u.login, keys);
    int64_t wait = throttle_wait(c, keys, now);
    if (wait < 0)
        return -1;
    if (wait > 0) {
        c->resp->status = 429;
        c->resp->retry_after = (int)wait;
        char msg[200];
        snprintf(msg, sizeof msg, tr("Nhập sai nhiều lần. Hãy thử lại sau %lld giây.",
                                     "Too many wrong codes. Try again in %lld s."), (long long)wait);
        code_form(c, ticket, msg);
        return 0;
    }
    int has = store_totp_get(c->s, u.login, secret, sizeof secret, &last_step, &c->e);
    if (has < 0)
        return -1;
    int64_t step = has ? auth_totp_check(secret, code, now, last_step) : -1;
    sodium_memzero(secret, sizeof secret);
    int used = step >= 0 ? store_totp_use(c->s, u.login, step, &c->e) : 0;
    if (used < 0)
        return -1;
    if (!used) {
        if (throttle_note(c, keys, 1, now) != 0)
            return -1;
        c->resp->status = 401;
        code_form(c, ticket, tr("Mã xác thực không đúng hoặc đã dùng.", "Wrong or already used code."));
        return 0;
    }
    if (store_pending_del(c->s, digest, &c->e) != 0 || throttle_note(c, keys, 0, now) != 0)
        return -1;
    return start_session(c, &u, now);
}

int page_login_post(web_ctx *c)
{
    const char *login = web_param(c, "login"), *pw = web_param(c, "password");
    const char *ticket = web_param(c, "ticket"), *code = web_param(c, "code");
    char keys[3][160], hash[AUTH_HASH_MAX], secret[AUTH_TOTP_B32 + 8];
    int64_t now = (int64_t)time(NULL);
    web_user u;
    if (ticket && code && strlen(ticket) == AUTH_TOKEN_LEN && strlen(code) <= 8)
        return login_second_step(c, ticket, code, now);
    if (login == NULL || pw == NULL || strlen(login) > 60 || strlen(pw) > 128) {
        c->resp->status = 400;
        login_form(c, NULL, tr("Thiếu tên đăng nhập hoặc mật khẩu.", "Login or password missing."));
        return 0;
    }
    throttle_keys(c, login, keys);
    int64_t wait = throttle_wait(c, keys, now);
    if (wait < 0)
        return -1;
    if (wait > 0)
        return throttled(c, login, wait);
    int found = store_user_get(c->s, login, &u, hash, sizeof hash, &c->e);
    if (found < 0)
        return -1;
    int ok = auth_verify_password(found ? hash : c->app->dummy_hash, pw) && found && !u.disabled &&
             auth_role_parse(u.role) >= 0 && model_unit_find(c->m, u.unit) >= 0;
    if (!ok) {
        if (throttle_note(c, keys, 1, now) != 0)
            return -1;
        c->resp->status = 401;
        login_form(c, login, tr("Sai tên đăng nhập hoặc mật khẩu.", "Wrong login or password."));
        return 0;
    }
    int has_totp = store_totp_get(c->s, u.login, secret, sizeof secret, NULL, &c->e);
    sodium_memzero(secret, sizeof secret);
    if (has_totp < 0)
        return -1;
    if (has_totp) {   /* the password was right: the code comes next, on a ticket for 5 minutes */
        char tok[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
        auth_random_token(tok);
        auth_token_digest(tok, digest);
        if (store_pending_put(c->s, digest, u.id, now + PENDING_TTL, &c->e) != 0)
            return -1;
        code_form(c, tok, NULL);
        return 0;
    }
    if (throttle_note(c, keys, 0, now) != 0)
        return -1;
    return start_session(c, &u, now);
}

int page_logout(web_ctx *c)
{
    char tok[AUTH_TOKEN_LEN + 8], digest[AUTH_DIGEST_LEN + 1];
    http_cookie(c->req->cookie, "chitieu_session", tok, sizeof tok);
    auth_token_digest(tok, digest);
    if (store_session_del(c->s, digest, &c->e) != 0)
        return -1;
    http_set_cookie(c->resp, "chitieu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
                    c->app->secure_cookies ? "; Secure" : "");
    return web_redirect(c, "/login");
}

static void password_form(web_ctx *c, const char *msg, int ok)
{
    page_begin(c, tr("Đổi mật khẩu", "Change password"));
    if (msg) {
        page_printf(c, "<div class=\"msg %s\" role=\"alert\">", ok ? "ok" : "err");
        page_text(c, msg);
        page_printf(c, "</div>");
    }
    page_printf(c, "<form method=\"post\" action=\"/password\" class=\"card narrow\">");
    page_csrf(c);
    page_printf(c, "<label>%s <input name=\"old\" type=\"password\" autocomplete=\"current-password\" required></label>"
                   "<label>%s <input name=\"new\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required></label>"
                   "<label>%s <input name=\"new2\" type=\"password\" autocomplete=\"new-password\" minlength=\"8\" required></label>"
                   "<button type=\"submit\">%s</button></form>",
                tr("Mật khẩu hiện tại", "Current password"), tr("Mật khẩu mới (ít nhất 8 ký tự)", "New password (8 characters or more)"),
                tr("Nhập lại mật khẩu mới", "New password again"), tr("Đổi mật khẩu", "Change password"));
    page_end(c);
}

int page_password(web_ctx *c)
{
    password_form(c, NULL, 0);
    return 0;
}

int page_password_post(web_ctx *c)
{
    const char *old = web_param(c, "old"), *pw = web_param(c, "new"), *pw2 = web_param(c, "new2");
    char hash[AUTH_HASH_MAX];
    web_user u;
    err_t e;
    if (!old || !pw || !pw2) {
        c->resp->status = 400;
        password_form(c, tr("Thiếu thông tin.", "Something is missing."), 0);
        return 0;
    }
    int found = store_user_get(c->s, c->user.login, &u, hash, sizeof hash, &c->e);
    if (found < 0)
        return -1;
    if (!found || !auth_verify_password(hash, old)) {
        c->resp->status = 400;
        password_form(c, tr("Mật khẩu hiện tại không đúng.", "The current password is wrong."), 0);
        return 0;
    }
    if (strcmp(pw, pw2) != 0 || auth_password_ok_for(pw, c->user.login, &e) != 0) {
        c->resp->status = 400;
        password_form(c, strcmp(pw, pw2) != 0 ? tr("Hai lần nhập mật khẩu mới không khớp.", "The new passwords differ.")
                                              : e.msg, 0);
        return 0;
    }
    /* the new password, the ended sessions and the audit entry in one transaction */
    if (auth_hash_password(pw, hash, &c->e) != 0 || store_begin(c->s, &c->e) != 0)
        return -1;
    if (store_user_set_password(c->s, c->user.login, hash, &c->e) < 0 ||
        store_audit_add(c->s, c->user.login, "password", c->user.login, "", &c->e) != 0 ||
        store_commit(c->s, &c->e) != 0) {
        store_rollback(c->s);
        return -1;
    }
    /* Every session of the user ended with the change; log in again with the new password. */
    http_set_cookie(c->resp, "chitieu_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    return web_redirect(c, "/login");
}
