/* cmd_user.c - `chitieu user add|passwd|list|disable|enable|email|totp` and `chitieu token add`:
 * web users and API tokens from the command line.  Passwords come from --password or,
 * safer, one line on standard input; tokens are printed once and stored only hashed.
 * `user totp` enrols a second factor: a fresh secret printed once (base32 and an otpauth://
 * link for authenticator apps), kept in the database, asked for after the password. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "cli.h"
#include "cmd.h"
#include "cycle_store.h"
#include "store_web.h"

/* Reads the password from opt or the first line of stdin into out; returns 0 or -1. */
static int get_password(const char *opt, char *out, size_t n)
{
    if (opt) {
        snprintf(out, n, "%s", opt);
        return 0;
    }
    if (fgets(out, (int)n, stdin) == NULL)
        return -1;
    out[strcspn(out, "\r\n")] = '\0';
    return 0;
}

static const char user_help_vi[] =
    "Cách dùng:\n"
    "  chitieu user add TÊN --role admin|editor|approver|viewer --unit MÃ_ĐƠN_VỊ [--name \"Họ tên\"] [--password MK] [--email THƯ]\n"
    "  chitieu user passwd TÊN [--password MK]\n"
    "  chitieu user email TÊN --email THƯ   (--email \"\" bỏ địa chỉ; thư nhắc báo cáo gửi tới đây)\n"
    "  chitieu user list\n"
    "  chitieu user disable TÊN | enable TÊN\n"
    "  chitieu user totp TÊN [--off]   bật (in khóa bí mật một lần) hoặc tắt (--off) xác thực hai bước\n"
    "Xác thực hai bước (TOTP, RFC 6238: SHA-1, 6 chữ số, 30 giây) nên bật cho mọi quản trị viên:\n"
    "nhập khóa hoặc liên kết otpauth:// vào ứng dụng xác thực (Google Authenticator, FreeOTP...).\n"
    "Không có --password thì mật khẩu đọc từ dòng đầu của đầu vào chuẩn (an toàn hơn).\n"
    "Vai trò: admin (quản trị), editor (nhập liệu), approver (phê duyệt), viewer (xem); mỗi người dùng\n"
    "gắn với một đơn vị và chỉ thấy, sửa được đơn vị đó và các đơn vị trực thuộc.";
static const char user_help_en[] =
    "Usage:\n"
    "  chitieu user add LOGIN --role admin|editor|approver|viewer --unit UNIT [--name \"Full name\"] [--password PW] [--email ADDRESS]\n"
    "  chitieu user passwd LOGIN [--password PW]\n"
    "  chitieu user email LOGIN --email ADDRESS   (--email \"\" removes it; reminders to report go there)\n"
    "  chitieu user list\n"
    "  chitieu user disable LOGIN | enable LOGIN\n"
    "  chitieu user totp LOGIN [--off]   turns two-step login on (prints the secret once) or off (--off)\n"
    "Two-step login (TOTP, RFC 6238: SHA-1, 6 digits, 30 s) should be on for every administrator:\n"
    "enter the secret or the otpauth:// link in an authenticator app (Google Authenticator, FreeOTP...).\n"
    "Without --password the password is read from the first line of standard input (safer).\n"
    "Roles: admin, editor, approver, viewer; each user is bound to one unit and sees and changes\n"
    "only that unit and the units below it.";

/* `user totp LOGIN [--off]`: enrols a fresh secret (printed once) or removes it; an exit code. */
static int user_totp(store *s, const char *login, int off)
{
    char secret[AUTH_TOTP_B32];
    err_t e;
    web_user u;
    int exists = store_user_get(s, login, &u, NULL, 0, &e);
    if (exists <= 0) {
        if (exists < 0)
            cli_error("user", e.msg);
        else
            fprintf(stderr, tr("chitieu user: không có người dùng '%s'\n", "chitieu user: no user '%s'\n"), login);
        return EXIT_FAIL;
    }
    if (off) {
        int found = store_totp_set(s, login, NULL, &e);
        if (found < 0) {
            cli_error("user", e.msg);
            return EXIT_FAIL;
        }
        printf(tr("Đã tắt xác thực hai bước của %s\n", "Two-step login of %s turned off\n"), login);
        return EXIT_OK;
    }
    if (auth_totp_secret(secret, sizeof secret) != 0) {
        cli_error("user", "TOTP");
        return EXIT_FAIL;
    }
    if (store_totp_set(s, login, secret, &e) <= 0) {
        cli_error("user", e.msg);
        return EXIT_FAIL;
    }
    printf(tr("Đã bật xác thực hai bước cho %s. Khóa bí mật (chỉ in một lần):\n%s\n"
              "Liên kết cho ứng dụng xác thực:\notpauth://totp/chitieu:%s?secret=%s&issuer=chitieu&digits=6&period=30\n",
              "Two-step login turned on for %s. Secret (printed once):\n%s\n"
              "Link for authenticator apps:\notpauth://totp/chitieu:%s?secret=%s&issuer=chitieu&digits=6&period=30\n"),
           login, secret, login, secret);
    return EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    const char *db = NULL, *role = NULL, *unit = NULL, *name = NULL, *password = NULL;
    const char *email = NULL;
    int help = 0, npos = 0, rc = EXIT_FAIL, off = 0;
    cli_opt opts[] = {
        { "--db", NULL, &db, NULL }, { "--role", NULL, &role, NULL }, { "--unit", NULL, &unit, NULL },
        { "--off", NULL, NULL, &off },
        { "--name", NULL, &name, NULL }, { "--password", NULL, &password, NULL }, { "--email", NULL, &email, NULL },
        { NULL, NULL, NULL, NULL },
    };
    int r = cli_parse(argc, argv, opts, &npos, &help);
    if (r)
        return r;
    if (help) {
        puts(tr(user_help_vi, user_help_en));
        return EXIT_OK;
    }
    const char *verb = npos >= 1 ? argv[1] : "";
    int need = strcmp(verb, "list") == 0 ? 1 : 2;
    if (npos != need || (strcmp(verb, "add") && strcmp(verb, "passwd") && strcmp(verb, "list") &&
                         strcmp(verb, "disable") && strcmp(verb, "enable") && strcmp(verb, "email") &&
                         strcmp(verb, "totp"))) {
        cli_error("user", tr("cần: add|passwd|list|disable|enable|email|totp (xem 'chitieu user --help')",
                             "expected add|passwd|list|disable|enable|email|totp (see 'chitieu user --help')"));
        return EXIT_USAGE;
    }
    if ((email && *email && !cycle_email_ok(email)) || (strcmp(verb, "email") == 0 && email == NULL)) {
        cli_error("user", tr("--email cần một địa chỉ thư (ten@may.vn)", "--email needs an e-mail address (name@host.vn)"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    err_t e;
    char pw[256], hash[AUTH_HASH_MAX];
    if (auth_init() != 0 || cli_open_part("user", db, 0, &s, &m) != 0)
        return EXIT_FAIL;
    const char *login = npos >= 2 ? argv[2] : "";
    if (strcmp(verb, "totp") == 0) {
        rc = user_totp(s, login, off);
        goto cleanup;
    }
    if (strcmp(verb, "list") == 0) {
        web_user *us = NULL;
        int n = store_user_list(s, &us, &e);
        if (n < 0) {
            cli_error("user", e.msg);
            goto cleanup;
        }
        cli_table t;
        cli_table_init(&t, 6, 0);
        cli_table_cell(&t, tr("Tên đăng nhập", "Login"));
        cli_table_cell(&t, tr("Họ tên", "Name"));
        cli_table_cell(&t, tr("Vai trò", "Role"));
        cli_table_cell(&t, tr("Đơn vị", "Unit"));
        cli_table_cell(&t, tr("Trạng thái", "State"));
        cli_table_cell(&t, tr("Thư điện tử", "E-mail"));
        for (int k = 0; k < n; k++) {
            char mail[256];
            cli_table_cell(&t, us[k].login);
            cli_table_cell(&t, us[k].name);
            cli_table_cell(&t, us[k].role);
            cli_table_cell(&t, us[k].unit);
            cli_table_cell(&t, us[k].disabled ? tr("đã khóa", "disabled") : tr("hoạt động", "active"));
            if (store_user_email_get(s, us[k].login, mail, sizeof mail, &e) < 0) {
                cli_error("user", e.msg);
                snprintf(mail, sizeof mail, "?");
            }
            cli_table_cell(&t, mail);
        }
        buf out = BUF_INIT;
        cli_table_render(&t, &out);
        fputs(buf_str(&out), stdout);
        buf_free(&out);
        cli_table_free(&t);
        free(us);
        rc = EXIT_OK;
        goto cleanup;
    }
    if (strcmp(verb, "add") == 0) {
        web_user u = { 0 };
        if (role == NULL || auth_role_parse(role) < 0 || unit == NULL) {
            cli_error("user", tr("cần --role admin|editor|approver|viewer và --unit MÃ_ĐƠN_VỊ",
                                 "--role admin|editor|approver|viewer and --unit UNIT are required"));
            rc = EXIT_USAGE;
            goto cleanup;
        }
        if (model_unit_find(m, unit) < 0) {
            fprintf(stderr, tr("chitieu user: không có đơn vị '%s'\n", "chitieu user: no unit '%s'\n"), unit);
            goto cleanup;
        }
        if (strlen(login) == 0 || strlen(login) >= sizeof u.login || strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._@-") != strlen(login)) {
            cli_error("user", tr("tên đăng nhập chỉ gồm a-z, 0-9, . _ @ - (tối đa 60 ký tự)",
                                 "a login has only a-z, 0-9, . _ @ - (60 at most)"));
            rc = EXIT_USAGE;
            goto cleanup;
        }
        snprintf(u.login, sizeof u.login, "%s", login);
        snprintf(u.name, sizeof u.name, "%s", name ? name : "");
        snprintf(u.role, sizeof u.role, "%s", role);
        snprintf(u.unit, sizeof u.unit, "%s", unit);
        if (get_password(password, pw, sizeof pw) != 0 || auth_password_ok_for(pw, login, &e) != 0) {
            cli_error("user", password || !feof(stdin) ? e.msg : tr("thiếu mật khẩu", "password missing"));
            goto cleanup;
        }
        if (auth_hash_password(pw, hash, &e) != 0 || store_begin(s, &e) != 0) {
            cli_error("user", e.msg);
            goto cleanup;
        }
        if (store_user_add(s, &u, hash, &e) != 0 || (email && store_user_email_set(s, login, email, &e) < 0) ||
            store_commit(s, &e) != 0) {
            store_rollback(s);
            cli_error("user", e.msg);
            goto cleanup;
        }
        printf(tr("Đã thêm người dùng %s (%s, %s)\n", "User %s added (%s, %s)\n"), login, role, unit);
        rc = EXIT_OK;
        goto cleanup;
    }
    int found;
    if (strcmp(verb, "email") == 0) {
        found = store_user_email_set(s, login, email, &e);
        if (found < 0)
            cli_error("user", e.msg);
        else if (found == 0)
            fprintf(stderr, tr("chitieu user: không có người dùng '%s'\n", "chitieu user: no user '%s'\n"), login);
        else {
            printf(tr("Đã đặt địa chỉ thư của %s\n", "E-mail of %s set\n"), login);
            rc = EXIT_OK;
        }
        goto cleanup;
    }
    if (strcmp(verb, "passwd") == 0) {
        if (get_password(password, pw, sizeof pw) != 0 || auth_password_ok_for(pw, login, &e) != 0) {
            cli_error("user", password || !feof(stdin) ? e.msg : tr("thiếu mật khẩu", "password missing"));
            goto cleanup;
        }
        if (auth_hash_password(pw, hash, &e) != 0 || (found = store_user_set_password(s, login, hash, &e)) < 0) {
            cli_error("user", e.msg);
            goto cleanup;
        }
    } else if ((found = store_user_set_disabled(s, login, strcmp(verb, "disable") == 0, &e)) < 0) {
        cli_error("user", e.msg);
        goto cleanup;
    }
    if (!found) {
        fprintf(stderr, tr("chitieu user: không có người dùng '%s'\n", "chitieu user: no user '%s'\n"), login);
        goto cleanup;
    }
    printf(tr("Đã cập nhật người dùng %s\n", "User %s updated\n"), login);
    rc = EXIT_OK;
cleanup:
    memset(pw, 0, sizeof pw);
    store_close(s);
    model_free(m);
    return rc;
}

int cmd_token(int argc, char **argv)
{
    const char *db = NULL, *user = NULL, *name = "api";
    int help = 0, npos = 0;
    cli_opt opts[] = {
        { "--db", NULL, &db, NULL }, { "--user", NULL, &user, NULL }, { "--name", NULL, &name, NULL },
        { NULL, NULL, NULL, NULL },
    };
    int r = cli_parse(argc, argv, opts, &npos, &help);
    if (r)
        return r;
    if (help) {
        puts(tr("Cách dùng: chitieu token add --user TÊN [--name TÊN_HỆ_THỐNG]\n\n"
                "Cấp một mã truy cập API cho hệ thống khác, mang quyền của người dùng TÊN.\n"
                "Mã chỉ in ra một lần; dùng trong tiêu đề: Authorization: Bearer MÃ",
                "Usage: chitieu token add --user LOGIN [--name SYSTEM_NAME]\n\n"
                "Issues an API access token for another system, with the rights of user LOGIN.\n"
                "The token is printed once; send it as: Authorization: Bearer TOKEN"));
        return EXIT_OK;
    }
    if (npos != 1 || strcmp(argv[1], "add") != 0 || user == NULL) {
        cli_error("token", tr("cần: token add --user TÊN", "expected: token add --user LOGIN"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    err_t e;
    char tok[AUTH_TOKEN_LEN + 1], digest[AUTH_DIGEST_LEN + 1];
    if (auth_init() != 0 || store_open(store_default_path(db), 0, &s, &e) != 0) {
        cli_error("token", e.msg);
        return EXIT_FAIL;
    }
    auth_random_token(tok);
    auth_token_digest(tok, digest);
    int rc = store_token_put(s, digest, user, name, &e);
    store_close(s);
    if (rc != 0) {
        cli_error("token", e.msg);
        return EXIT_FAIL;
    }
    printf("%s\n", tok);
    return EXIT_OK;
}
