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

#include "demo.h"
#include "html.h"
#include "report.h"
#include "vn.h"

void page_printf(web_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(&c->resp->body, fmt, ap);
    va_end(ap);
}

void page_text(web_ctx *c, const char *s)
{
    html_str(&c->resp->body, s ? s : "");
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

#define LOGIN_WINDOW 900      /* seconds */
#define LOGIN_MAX_ACCOUNT 5   /* failures per account per window */
#define LOGIN_MAX_ADDR 20     /* failures per address per window */

int page_login_post(web_ctx *c)
{
    const char *login = web_param(c, "login"), *pw = web_param(c, "password");
    const char *next = web_param(c, "next");
    char akey[96], ukey[96], hash[AUTH_HASH_MAX];
    int64_t now = (int64_t)time(NULL);
    web_user u;
    if (login == NULL || pw == NULL || strlen(login) > 60 || strlen(pw) > 128) {
        c->resp->status = 400;
        login_form(c, NULL, tr("Thiếu tên đăng nhập hoặc mật khẩu.", "Login or password missing."));
        return 0;
    }
    snprintf(akey, sizeof akey, "addr:%s", c->req->addr);
    snprintf(ukey, sizeof ukey, "user:%s", login);
    if (auth_limited(&c->app->limiter, akey, LOGIN_MAX_ADDR, LOGIN_WINDOW, now) ||
        auth_limited(&c->app->limiter, ukey, LOGIN_MAX_ACCOUNT, LOGIN_WINDOW, now)) {
        c->resp->status = 429;
        login_form(c, login, tr("Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút.",
                                "Too many failed logins. Try again in 15 minutes."));
        return 0;
    }
    int found = store_user_get(c->s, login, &u, hash, sizeof hash, &c->e);
    if (found < 0)
        return -1;
    int ok = auth_verify_password(found ? hash : c->app->dummy_hash, pw) && found && !u.disabled &&
             auth_role_parse(u.role) >= 0 && model_unit_find(c->m, u.unit) >= 0;
    if (!ok) {
        auth_limit_note(&c->app->limiter, akey, 1, LOGIN_WINDOW, now);
        auth_limit_note(&c->app->limiter, ukey, 1, LOGIN_WINDOW, now);
        c->resp->status = 401;
        login_form(c, login, tr("Sai tên đăng nhập hoặc mật khẩu.", "Wrong login or password."));
        return 0;
    }
    auth_limit_note(&c->app->limiter, ukey, 0, LOGIN_WINDOW, now);
    char tok[AUTH_TOKEN_LEN + 1], csrf[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
    auth_random_token(tok);
    auth_random_token(csrf);
    auth_token_digest(tok, digest);
    if (store_session_put(c->s, digest, u.id, csrf, now + c->app->session_ttl, &c->e) != 0)
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
    if (strcmp(pw, pw2) != 0 || auth_password_ok(pw, &e) != 0) {
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
