/* conf.c - the `key = value` configuration file parser (see conf.h).
 *
 * conf_parse walks the text line by line (LF or CRLF), trims blanks, skips comments, splits at
 * the first '=', looks the key up in the caller's table and checks the value by its kind before
 * copying it into the caller's entry; the first problem stops the parse with FILE:LINE.  conf_load
 * reads the file into a capped buffer and hands it to conf_parse.  No allocation survives a call.
 */
#include "conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "vn.h"

static int blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Appends the accepted keys, comma separated, for a message. */
static void key_list(const conf_key *keys, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; keys[i].name && o < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? ", " : "", keys[i].name);
}

/* Checks v (len bytes) for key k and writes the normalised value into out; 0 or -1 with e. */
static int check_value(const char *where, const conf_key *k, const char *v, size_t len, char *out, err_t *e)
{
    if (len == 0)
        return err_set(e, tr("%s: '%s' cần một giá trị", "%s: '%s' needs a value"), where, k->name);
    if (len >= CONF_VALUE_MAX)
        return err_set(e, tr("%s: giá trị của '%s' dài quá %d byte", "%s: the value of '%s' is longer than %d bytes"),
                       where, k->name, CONF_VALUE_MAX - 1);
    memcpy(out, v, len);
    out[len] = '\0';
    if (k->kind == CONF_BOOL) {
        static const char *const yes[] = { "true", "yes", "on", "1" }, *const no[] = { "false", "no", "off", "0" };
        for (int i = 0; i < 4; i++)
            if (strcmp(out, yes[i]) == 0 || strcmp(out, no[i]) == 0) {
                snprintf(out, CONF_VALUE_MAX, "%s", strcmp(out, yes[i]) == 0 ? "1" : "0");
                return 0;
            }
        return err_set(e, tr("%s: '%s' cần true hoặc false (yes/no, on/off, 1/0), không phải '%.40s'",
                             "%s: '%s' needs true or false (yes/no, on/off, 1/0), not '%.40s'"), where, k->name, out);
    }
    if (k->kind == CONF_INT) {
        char *end;
        errno = 0;
        long x = strtol(out, &end, 10);
        if (strspn(out, "0123456789") != len || errno || x < k->min || x > k->max)
            return err_set(e, tr("%s: '%s' cần một số nguyên từ %ld đến %ld, không phải '%.40s'",
                                 "%s: '%s' needs a whole number from %ld to %ld, not '%.40s'"),
                           where, k->name, k->min, k->max, out);
        return 0;
    }
    if (k->kind == CONF_LISTEN) {
        const char *colon = strrchr(out, ':');
        size_t pl = colon ? strlen(colon + 1) : 0;
        if (colon == NULL || pl == 0 || pl > 5 || strspn(colon + 1, "0123456789") != pl || atol(colon + 1) > 65535)
            return err_set(e, tr("%s: '%s' cần dạng ĐỊA_CHỈ:CỔNG (ví dụ 127.0.0.1:8080), không phải '%.40s'",
                                 "%s: '%s' needs HOST:PORT (e.g. 127.0.0.1:8080), not '%.40s'"), where, k->name, out);
        return 0;
    }
    if (k->kind == CONF_TOKEN && (len < 16 || len > 127 ||
        strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+/=-") != len))
        return err_set(e, tr("%s: '%s' cần từ 16 đến 127 ký tự A-Z a-z 0-9 . _ ~ + / = -",
                             "%s: '%s' needs 16 to 127 characters of A-Z a-z 0-9 . _ ~ + / = -"), where, k->name);
    return 0;
}

/* Parses one trimmed, non-comment line; appends its entry or fails. */
static int parse_line(const char *where, int lineno, const char *s, size_t n, const conf_key *keys,
                      conf_entry *out, int max, int *nout, err_t *e)
{
    const char *eq = memchr(s, '=', n);
    if (eq == NULL)
        return err_set(e, tr("%s: cần dạng 'khóa = giá trị', không phải '%.*s'",
                             "%s: expected 'key = value', got '%.*s'"), where, (int)(n > 40 ? 40 : n), s);
    size_t kl = (size_t)(eq - s);
    while (kl && blank(s[kl - 1]))
        kl--;
    char name[64];
    if (kl == 0 || kl >= sizeof name)
        return err_set(e, tr("%s: thiếu tên khóa trước '='", "%s: a key name is missing before '='"), where);
    for (size_t i = 0; i < kl; i++)
        name[i] = s[i] == '-' ? '_' : s[i];
    name[kl] = '\0';
    int k = 0;
    while (keys[k].name && strcmp(keys[k].name, name) != 0)
        k++;
    if (keys[k].name == NULL) {
        char list[512];
        key_list(keys, list, sizeof list);
        return err_set(e, tr("%s: không có khóa '%.40s'; các khóa được nhận: %s",
                             "%s: unknown key '%.40s'; expected one of: %s"), where, name, list);
    }
    for (int i = 0; i < *nout; i++)
        if (out[i].key == k)
            return err_set(e, tr("%s: '%s' đã được đặt ở dòng %d", "%s: '%s' is already set on line %d"),
                           where, keys[k].name, out[i].line);
    if (*nout >= max)
        return err_set(e, tr("%s: quá nhiều khóa", "%s: too many keys"), where);
    const char *v = eq + 1, *end = s + n;
    while (v < end && blank(*v))
        v++;
    if (end - v >= 2 && *v == '"' && end[-1] == '"')
        v++, end--;
    conf_entry *en = &out[*nout];
    if (check_value(where, &keys[k], v, (size_t)(end - v), en->value, e) != 0)
        return -1;
    en->key = k;
    en->line = lineno;
    (*nout)++;
    return 0;
}

int conf_parse(const char *fname, const char *text, size_t n, const conf_key *keys,
               conf_entry *out, int max, int *nout, err_t *e)
{
    *nout = 0;
    size_t pos = n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (int lineno = 1; pos < n; lineno++) {
        const char *s = text + pos, *nl = memchr(s, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - s) : n - pos;
        pos += len + (nl != NULL);
        char where[300];
        snprintf(where, sizeof where, "%.256s:%d", fname, lineno);
        if (memchr(s, '\0', len))
            return err_set(e, tr("%s: có byte NUL", "%s: contains a NUL byte"), where);
        if (!vn_utf8_valid(s, len))
            return err_set(e, tr("%s: không phải văn bản UTF-8 hợp lệ", "%s: not valid UTF-8 text"), where);
        if (len && s[len - 1] == '\r')
            len--;
        while (len && blank(*s))
            s++, len--;
        while (len && blank(s[len - 1]))
            len--;
        if (len == 0 || *s == '#')
            continue;
        if (parse_line(where, lineno, s, len, keys, out, max, nout, e) != 0)
            return -1;
    }
    return 0;
}

int conf_load(const char *path, int missing_ok, const conf_key *keys, conf_entry *out, int max,
              int *nout, err_t *e)
{
    *nout = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        if (missing_ok && errno == ENOENT)
            return 0;
        return err_set(e, tr("không mở được tệp cấu hình %s: %s", "cannot open the configuration file %s: %s"),
                       path, strerror(errno));
    }
    buf text;
    buf_init(&text, CONF_MAX_BYTES);
    char chunk[4096];
    size_t got;
    int rc = -1;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_add(&text, chunk, got) != 0) {
            err_set(e, tr("%s: tệp cấu hình lớn quá %zu KiB", "%s: configuration file larger than %zu KiB"),
                    path, CONF_MAX_BYTES >> 10);
            goto cleanup;
        }
    if (ferror(f)) {
        err_set(e, tr("không đọc được %s", "cannot read %s"), path);
        goto cleanup;
    }
    rc = conf_parse(path, buf_str(&text), text.len, keys, out, max, nout, e);
cleanup:
    fclose(f);
    buf_free(&text);
    return rc;
}
