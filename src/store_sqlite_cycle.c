/* store_sqlite_cycle.c - the reporting cycle's part of the SQLite store (cycle_store.h):
 * settings in the meta table under "cycle.KEY" / "smtp.KEY", users' e-mail in app_user.email
 * (added by ALTER TABLE the first time one is set: older databases open unchanged and read as
 * "no e-mail"), and the first write time of a period's values (the history trigger keeps every
 * replaced row's batch in old_batch, so the oldest history row of a figure names its creation). */
#include "store_sqlite.h"
#include "cycle_store.h"
#include "store_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cycle_setting_keys[] = {
    "month", "quarter", "half", "m9", "year", "term", "periods", "cutoff", "remind-before", "remind-after",
    "tz", "smtp-url", "smtp-from", "smtp-user", "smtp-password", NULL,
};

static int meta_key(const char *key, char *out, size_t n)
{
    int smtp = strncmp(key, "smtp-", 5) == 0;
    return snprintf(out, n, "%s.%s", smtp ? "smtp" : "cycle", smtp ? key + 5 : key);
}

int cycle_setting_known(const char *key)
{
    for (int i = 0; cycle_setting_keys[i]; i++)
        if (strcmp(cycle_setting_keys[i], key) == 0)
            return 1;
    return 0;
}

/* An integer in [lo, hi] written in full; 0 or -1. */
static int int_in(const char *v, int lo, int hi, int *out)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < lo || n > hi)
        return -1;
    *out = (int)n;
    return 0;
}

/* Checks a setting's text; 0 or -1 with the message. */
static int setting_check(const char *key, const char *v, err_t *e)
{
    cycle_due d;
    int n;
    if (cycle_kind_parse(key) > 0 && cycle_due_parse(v, &d) != 0)
        return err_set(e, tr("%s: cần NGÀY (1-31, 31 = ngày cuối tháng) hoặc NGÀY+SỐ_THÁNG sau tháng cuối của kỳ (ví dụ 20 hoặc 5+1), không phải '%s'",
                             "%s: needs DAY (1-31, 31 = the month's last day) or DAY+MONTHS after the period's last month (e.g. 20 or 5+1), not '%s'"), key, v);
    unsigned mask;
    if (strcmp(key, "periods") == 0 && cycle_kinds_parse(v, &mask) != 0)
        return err_set(e, tr("periods: cần danh sách loại kỳ cách nhau bởi dấu phẩy (month, quarter, half, m9, year, term), không phải '%s'",
                             "periods: needs kinds of period separated by commas (month, quarter, half, m9, year, term), not '%s'"), v);
    if (strcmp(key, "cutoff") == 0 && cycle_cutoff_parse(v, &n) != 0)
        return err_set(e, tr("cutoff: cần calendar, decree09 hoặc một ngày từ 2 đến 28, không phải '%s'",
                             "cutoff: needs calendar, decree09 or a day from 2 to 28, not '%s'"), v);
    if (strcmp(key, "remind-before") == 0 && int_in(v, 0, 60, &n) != 0)
        return err_set(e, tr("remind-before: cần số ngày từ 0 đến 60, không phải '%s'", "remind-before: needs 0 to 60 days, not '%s'"), v);
    if (strcmp(key, "remind-after") == 0 && int_in(v, 0, 366, &n) != 0)
        return err_set(e, tr("remind-after: cần số ngày từ 0 đến 366, không phải '%s'", "remind-after: needs 0 to 366 days, not '%s'"), v);
    if (strcmp(key, "tz") == 0 && int_in(v, -720, 840, &n) != 0)
        return err_set(e, tr("tz: cần độ lệch so với UTC tính bằng phút (Việt Nam: 420), không phải '%s'",
                             "tz: needs the offset from UTC in minutes (Vietnam: 420), not '%s'"), v);
    if (strcmp(key, "smtp-url") == 0 && strncmp(v, "smtp://", 7) != 0 && strncmp(v, "smtps://", 8) != 0)
        return err_set(e, tr("smtp-url: cần smtp://MÁY:CỔNG hoặc smtps://MÁY:CỔNG, không phải '%s'",
                             "smtp-url: needs smtp://HOST:PORT or smtps://HOST:PORT, not '%s'"), v);
    if (strcmp(key, "smtp-from") == 0 && !cycle_email_ok(v))
        return err_set(e, tr("smtp-from: cần một địa chỉ thư, không phải '%s'", "smtp-from: needs an e-mail address, not '%s'"), v);
    if (strlen(v) > 250)
        return err_set(e, tr("%s: giá trị quá dài", "%s: value too long"), key);
    return 0;
}

int cycle_setting_set(store *s, const char *key, const char *value, err_t *e)
{
    char mk[64];
    if (!cycle_setting_known(key))
        return err_set(e, tr("không có thiết lập '%s'", "no setting '%s'"), key);
    if (*value && setting_check(key, value, e) != 0)
        return -1;
    meta_key(key, mk, sizeof mk);
    if (*value)
        return store_meta_set(s, mk, value, e);
    sq_stmt *st = NULL;
    if (sq_prepare(s, "DELETE FROM meta WHERE key=?1", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, mk);
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc < 0 ? -1 : 0;
}

int cycle_setting_get(store *s, const char *key, char *out, size_t n, err_t *e)
{
    char mk[64];
    meta_key(key, mk, sizeof mk);
    return store_meta_get(s, mk, out, n, e);
}

/* Applies one stored setting (its key without "cycle.") to r; 0, or -1 when it is not valid. */
static int rule_apply(cycle_rules *r, const char *key, const char *v, err_t *e)
{
    if (!cycle_setting_known(key) || strncmp(key, "smtp-", 5) == 0 || *v == '\0')
        return 0;                   /* not a rule (or an old key): as if absent */
    if (setting_check(key, v, e) != 0)
        return err_prefix(e, tr("thiết lập đã lưu", "stored setting"));
    int k = cycle_kind_parse(key);
    if (k > 0)
        cycle_due_parse(v, &r->due[k]);
    else if (strcmp(key, "cutoff") == 0)
        cycle_cutoff_parse(v, &r->cutoff_day);
    else if (strcmp(key, "periods") == 0)
        cycle_kinds_parse(v, &r->kinds);
    else if (strcmp(key, "remind-before") == 0)
        r->remind_before = atoi(v);
    else if (strcmp(key, "remind-after") == 0)
        r->remind_after = atoi(v);
    else if (strcmp(key, "tz") == 0)
        r->tz_minutes = atoi(v);
    return 0;
}

/* Every rule in one statement (the overview asks on each request): the meta rows "cycle.*". */
int cycle_rules_load(store *s, cycle_rules *r, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = -1, got;
    cycle_rules_default(r);
    if (sq_prepare(s, "SELECT key,value FROM meta WHERE substr(key,1,6)='cycle.'", &st) != 0)
        return sq_err(s, e);
    while ((got = sq_step(s, st, "database", e)) == 1) {
        const char *key = sq_col_text(st, 0), *v = sq_col_text(st, 1);
        if (key && v && rule_apply(r, key + 6, v, e) != 0)
            goto cleanup;
    }
    rc = got < 0 ? -1 : 0;
cleanup:
    sq_finalize(st);
    return rc;
}

int cycle_smtp_load(store *s, cycle_smtp *out, err_t *e)
{
    memset(out, 0, sizeof *out);
    if (cycle_setting_get(s, "smtp-url", out->url, sizeof out->url, e) < 0 ||
        cycle_setting_get(s, "smtp-from", out->from, sizeof out->from, e) < 0 ||
        cycle_setting_get(s, "smtp-user", out->user, sizeof out->user, e) < 0 ||
        cycle_setting_get(s, "smtp-password", out->password, sizeof out->password, e) < 0)
        return -1;
    return 0;
}

int cycle_email_ok(const char *email)
{
    size_t n = strlen(email);
    const char *at = strchr(email, '@');
    if (n < 3 || n > 254 || at == NULL || at == email || strchr(at + 1, '@') != NULL)
        return 0;
    const char *dot = strrchr(at, '.');
    if (dot == NULL || dot == at + 1 || dot[1] == '\0')
        return 0;
    for (const unsigned char *p = (const unsigned char *)email; *p; p++)
        if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';' || *p == '"')
            return 0;
    return 1;
}

/* 1 if app_user has the email column, 0 if not, -1 on error. */
static int has_email_column(store *s, err_t *e)
{
    sq_stmt *st = NULL;
    if (sq_prepare(s, SQ_SQL(s, "SELECT 1 FROM pragma_table_info('app_user') WHERE name='email'",
                                  "SELECT 1 FROM information_schema.columns WHERE table_schema=current_schema()"
                                  " AND table_name='app_user' AND column_name='email'"), &st) != 0)
        return sq_err(s, e);
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc;
}

int store_user_email_get(store *s, const char *login, char *out, size_t n, err_t *e)
{
    if (n)
        out[0] = '\0';
    int has = has_email_column(s, e);
    if (has <= 0)
        return has;
    sq_stmt *st = NULL;
    if (sq_prepare(s, "SELECT email FROM app_user WHERE login=?1", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, login);
    int rc = sq_step(s, st, "database", e);
    if (rc == 1) {
        const char *t = sq_col_text(st, 0);
        snprintf(out, n, "%s", t ? (const char *)t : "");
        rc = *out != '\0';
    }
    sq_finalize(st);
    return rc;
}

int store_user_email_set(store *s, const char *login, const char *email, err_t *e)
{
    int has = has_email_column(s, e);
    if (has < 0)
        return -1;
    if (has == 0 && sq_exec(s, "ALTER TABLE app_user ADD COLUMN email TEXT NOT NULL DEFAULT ''") != 0)
        return sq_err(s, e);
    sq_stmt *st = NULL;
    if (sq_prepare(s, "UPDATE app_user SET email=?2 WHERE login=?1", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, login);
    sq_text(s, st, 2, email);
    int rc = sq_step(s, st, "database", e);
    sq_finalize(st);
    return rc < 0 ? -1 : sq_changes(s) > 0;
}

/* The values of a period with their first write time (the batch of the value's oldest history
 * row, else of the row itself); FIRST_WRITES_WHERE selects them. */
#define FIRST_WRITES_SQL \
    "SELECT i.code, u.code, b.at FROM value v" \
    " JOIN indicator i ON i.id=v.indicator JOIN unit u ON u.id=v.unit" \
    " JOIN batch b ON b.id=COALESCE((SELECT h.old_batch FROM history h WHERE h.kind=1" \
    "  AND h.indicator=v.indicator AND h.unit=v.unit AND h.period=v.period ORDER BY h.id LIMIT 1)," \
    "  v.batch)"

int store_first_write(store *s, const char *ind, const char *unit, const char *period, char *at, size_t n,
                      err_t *e)
{
    sq_stmt *st = NULL;
    if (n)
        at[0] = '\0';
    if (sq_prepare(s, FIRST_WRITES_SQL " WHERE i.code=?1 AND u.code=?2 AND v.period=?3", &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, ind);
    sq_text(s, st, 2, unit);
    sq_text(s, st, 3, period);
    int rc = sq_step(s, st, "database", e);
    if (rc == 1) {
        const char *t = sq_col_text(st, 2);
        snprintf(at, n, "%s", t ? t : "");
    }
    sq_finalize(st);
    return rc < 0 ? -1 : rc;
}

int store_first_writes_of(store *s, const char *period, const char *const *inds, const char *const *units, size_t n,
                          store_first_write_fn fn, void *ctx, err_t *e)
{
    sq_stmt *st = NULL;
    int rc = 0;
    if (n == 0)
        return 0;
    if (sq_prepare(s, FIRST_WRITES_SQL " WHERE i.code=?1 AND u.code=?2 AND v.period=?3", &st) != 0)
        return sq_err(s, e);
    for (size_t k = 0; k < n && rc == 0; k++) {
        sq_text(s, st, 1, inds[k]);
        sq_text(s, st, 2, units[k]);
        sq_text(s, st, 3, period);
        int r = sq_step(s, st, "database", e);
        if (r < 0) {
            rc = -1;
            break;
        }
        if (r == 1) {
            const char *at = sq_col_text(st, 2);
            rc = fn(ctx, inds[k], units[k], at ? at : "");
        }
        if (rc == 0 && sq_reset(s, st, "database", e) != 0)
            rc = -1;
    }
    sq_finalize(st);
    return rc < 0 ? -1 : 0;
}

int store_first_writes(store *s, const char *period, store_first_write_fn fn, void *ctx, err_t *e)
{
    static const char sql[] = FIRST_WRITES_SQL " WHERE v.period=?1";
    sq_stmt *st = NULL;
    if (sq_prepare(s, sql, &st) != 0)
        return sq_err(s, e);
    sq_text(s, st, 1, period);
    int rc;
    while ((rc = sq_step(s, st, "database", e)) == 1) {
        const char *ind = sq_col_text(st, 0);
        const char *unit = sq_col_text(st, 1);
        const char *at = sq_col_text(st, 2);
        int stop = fn(ctx, ind ? ind : "", unit ? unit : "", at ? at : "");
        if (stop) {
            rc = stop;
            break;
        }
    }
    sq_finalize(st);
    return rc < 0 ? -1 : 0;
}
