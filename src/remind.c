/* remind.c - plans reminders to report (remind.h).  Data flow: the users and their e-mail are
 * read once; per period, completeness (completeness.h) gives the expected figures of every leaf
 * of the subtree; each leaf with a missing figure is assigned its recipients, whose message
 * gathers every such unit of theirs; the digest lists every period, unit and recipient. */
#include "remind.h"

#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "completeness.h"
#include "cycle_store.h"
#include "store_web.h"
#include "vn.h"

typedef struct recipient {
    web_user u;
    int unit;                    /* model index of the user's unit, -1 if gone */
    char email[256];
    buf body;                    /* this period's units, built per period */
} recipient;

void remind_plan_free(remind_plan *plan)
{
    for (int i = 0; i < plan->nmails; i++) {
        free(plan->mails[i].subject);
        free(plan->mails[i].body);
    }
    free(plan->mails);
    buf_free(&plan->digest);
    memset(plan, 0, sizeof *plan);
}

/* Reads the enabled editors (and administrators) with an e-mail; *n gets their count. */
static int load_recipients(store *s, const model *m, recipient **out, int *n, err_t *e)
{
    web_user *users = NULL;
    int nu = store_user_list(s, &users, e), k = 0;
    *out = NULL;
    *n = 0;
    if (nu < 0)
        return -1;
    recipient *r = calloc((size_t)(nu ? nu : 1), sizeof *r);
    if (r == NULL) {
        free(users);
        return err_set(e, "out of memory");
    }
    for (int i = 0; i < nu; i++) {
        if (users[i].disabled || auth_role_parse(users[i].role) != ROLE_EDITOR)
            continue;
        int got = store_user_email_get(s, users[i].login, r[k].email, sizeof r[k].email, e);
        if (got < 0) {
            free(users);
            free(r);
            return -1;
        }
        if (got == 0 || !cycle_email_ok(r[k].email))
            continue;
        r[k].u = users[i];
        r[k].unit = model_unit_find(m, users[i].unit);
        buf_init(&r[k].body, 0);
        k++;
    }
    free(users);
    *out = r;
    *n = k;
    return 0;
}

/* The recipients of unit u: its editors, else the nearest unit above with some; marks them in
 * pick and returns how many. */
static int pick_for(const model *m, const recipient *r, int nr, int u, unsigned char *pick)
{
    for (int at = u; at >= 0; at = m->units[at].parent) {
        int found = 0;
        for (int i = 0; i < nr; i++)
            if (r[i].unit == at) {
                pick[i] = 1;
                found++;
            }
        if (found)
            return found;
    }
    return 0;
}

/* "còn 3 ngày", "hôm nay là hạn cuối", "đã quá hạn 5 ngày". */
static void gap_text(int deadline, int today, buf *out)
{
    int gap = cycle_days_between(today, deadline);
    if (gap > 0)
        buf_printf(out, tr("còn %d ngày", "%d days left"), gap);
    else if (gap == 0)
        buf_adds(out, tr("hôm nay là hạn cuối", "due today"));
    else
        buf_printf(out, tr("đã quá hạn %d ngày", "%d days overdue"), -gap);
}

/* Appends the missing figures of leaf u (items [from, to) of res) to b, one per line. */
static void missing_lines(const model *m, const cmpl_result *res, int from, int to, buf *b, const char *indent)
{
    for (int i = from; i < to; i++)
        if (res->items[i].state == CM_MISSING)
            buf_printf(b, "%s- %s (%s)\n", indent, m->inds[res->items[i].ind].name, m->inds[res->items[i].ind].code);
}

static int add_mail(remind_plan *plan, const recipient *rc, period_t p, const char *subject, const char *body)
{
    remind_mail *n = realloc(plan->mails, (size_t)(plan->nmails + 1) * sizeof *n);
    if (n == NULL)
        return -1;
    plan->mails = n;
    remind_mail *ml = &n[plan->nmails];
    memset(ml, 0, sizeof *ml);
    snprintf(ml->to, sizeof ml->to, "%s", rc->email);
    snprintf(ml->login, sizeof ml->login, "%s", rc->u.login);
    ml->p = p;
    ml->subject = strdup(subject);
    ml->body = strdup(body);
    plan->nmails++;
    return ml->subject && ml->body ? 0 : -1;
}

/* One period, one subtree: digest lines and the recipients' bodies. */
static int plan_unit(const model *m, const cmpl_result *res, recipient *r, int nr, unsigned char *pick, buf *dg)
{
    int at = 0;
    while (at < res->nitems) {
        int u = res->items[at].unit, end = at, missing = 0;
        while (end < res->nitems && res->items[end].unit == u)
            missing += res->items[end++].state == CM_MISSING;
        if (missing) {
            memset(pick, 0, (size_t)(nr ? nr : 1));
            int np = pick_for(m, r, nr, u, pick);
            buf_printf(dg, tr("  %s (%s): thiếu %d/%d chỉ tiêu → ", "  %s (%s): %d/%d indicators missing → "),
                       m->units[u].name, m->units[u].code, missing, end - at);
            if (np == 0)
                buf_adds(dg, tr("(không có người nhập liệu nào có địa chỉ thư)", "(no editor with an e-mail address)"));
            for (int i = 0, first = 1; i < nr; i++)
                if (pick[i]) {
                    buf_printf(dg, "%s%s", first ? "" : ", ", r[i].email);
                    first = 0;
                    buf_printf(&r[i].body, tr("  %s: còn thiếu %d/%d chỉ tiêu:\n", "  %s: %d/%d indicators missing:\n"),
                               m->units[u].name, missing, end - at);
                    missing_lines(m, res, at, end, &r[i].body, "    ");
                }
            buf_addc(dg, '\n');
        }
        at = end;
    }
    return 0;
}

/* Turns each recipient's body for period p into a message. */
static int flush_mails(remind_plan *plan, recipient *r, int nr, period_t p, int deadline, int today, const model *m)
{
    char label[96];
    buf dl = BUF_INIT, subject = BUF_INIT, body = BUF_INIT, gap = BUF_INIT;
    int rc = 0;
    model_period_label(m, p, lang_get() == LANG_EN, label, sizeof label);
    vn_format_date(deadline, lang_get(), &dl);
    gap_text(deadline, today, &gap);
    for (int i = 0; i < nr && rc == 0; i++) {
        if (r[i].body.len == 0)
            continue;
        buf_reset(&subject);
        buf_reset(&body);
        buf_printf(&subject, tr("Nhắc báo cáo số liệu %s, hạn %s", "Reminder: report the figures of %s, due %s"),
                   label, buf_str(&dl));
        buf_printf(&body, tr("Kính gửi %s,\n\nHạn nộp số liệu %s là ngày %s (%s). "
                             "Các đơn vị sau chưa báo cáo đủ:\n\n",
                             "Dear %s,\n\nThe figures of %s are due on %s (%s). "
                             "These units have not reported in full:\n\n"),
                   *r[i].u.name ? r[i].u.name : r[i].u.login, label, buf_str(&dl), buf_str(&gap));
        buf_adds(&body, buf_str(&r[i].body));
        buf_adds(&body, tr("\nXin nhập số liệu trên trang Nhập số liệu của chitieu, rồi gửi duyệt.\n"
                           "Thư này do chitieu gửi tự động.\n",
                           "\nPlease enter the figures on chitieu's data entry page, then submit them.\n"
                           "This message was sent automatically by chitieu.\n"));
        if (add_mail(plan, &r[i], p, buf_str(&subject), buf_str(&body)) != 0)
            rc = -1;
        buf_reset(&r[i].body);
    }
    buf_free(&dl);
    buf_free(&subject);
    buf_free(&body);
    buf_free(&gap);
    return rc;
}

/* Plans one period over the subtrees; -1 on error. */
static int plan_period(store *s, const model *m, const cycle_rules *cr, int unit, period_t p, int today,
                       recipient *r, int nr, unsigned char *pick, remind_plan *out, err_t *e)
{
    int *first = NULL, deadline = cycle_deadline(cr, p);
    char label[96];
    buf dl = BUF_INIT, gap = BUF_INIT;
    if (cmpl_first_dates(s, m, cr, p, &first, e) != 0)
        return -1;
    model_period_label(m, p, lang_get() == LANG_EN, label, sizeof label);
    vn_format_date(deadline, lang_get(), &dl);
    gap_text(deadline, today, &gap);
    int rc = 0;
    for (size_t u = 0; u < m->nunits && rc == 0; u++) {
        if (unit >= 0 ? (int)u != unit : m->units[u].parent >= 0)
            continue;
        cmpl_result res;
        if (cmpl_compute(m, cr, (int)u, p, first, &res, e) != 0) {
            rc = -1;
            break;
        }
        if (res.total.leaves > 0) {
            buf_printf(&out->digest, tr("Báo cáo %s — hạn %s (%s) — %s: ", "Report %s — due %s (%s) — %s: "), label,
                       buf_str(&dl), buf_str(&gap), m->units[u].name);
            cmpl_summary(&res.total, lang_get() == LANG_EN, &out->digest);
            buf_addc(&out->digest, '\n');
            plan_unit(m, &res, r, nr, pick, &out->digest);
        }
        cmpl_free(&res);
    }
    free(first);
    buf_free(&dl);
    buf_free(&gap);
    if (rc == 0 && flush_mails(out, r, nr, p, deadline, today, m) != 0)
        rc = err_set(e, "out of memory");
    return rc;
}

int remind_plan_build(store *s, const model *m, const cycle_rules *cr, int unit, const period_t *periods,
                      int nper, int today, remind_plan *out, err_t *e)
{
    recipient *r = NULL;
    int nr = 0, rc = -1;
    unsigned char *pick = NULL;
    memset(out, 0, sizeof *out);
    buf_init(&out->digest, 0);
    if (load_recipients(s, m, &r, &nr, e) != 0)
        goto cleanup;
    if ((pick = calloc((size_t)(nr ? nr : 1), 1)) == NULL) {
        err_set(e, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < nper; i++)
        if (plan_period(s, m, cr, unit, periods[i], today, r, nr, pick, out, e) != 0)
            goto cleanup;
    rc = 0;
cleanup:
    for (int i = 0; i < nr; i++)
        buf_free(&r[i].body);
    free(r);
    free(pick);
    if (rc != 0)
        remind_plan_free(out);
    return rc;
}
