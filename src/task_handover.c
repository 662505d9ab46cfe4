/* task_handover.c - handing tasks of a dissolved unit to its successor (see task_handover.h).
 *
 * Data flow: task_handover_store loads the stored items (store_task_load), task_handover_item
 * rewrites each one in memory (lead unit, cooperating units, new history rows), and the new
 * rows go back through store_task_report, in the transaction of the import that called it.
 * The set owns the items; this file only replaces their unit strings and appends to their log. */
#include "task_handover.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_task.h"
#include "vn.h"

#define CHAIN_MAX 64            /* a guard: model_finish already refuses succession cycles */

int task_successor(const model *m, int u, int *date)
{
    int n = 0, best = -1;
    const int *out = model_succs(m, u, &n);
    if (n == 0)
        return -1;
    int first = m->succs[out[0]].date;
    double best_share = 0;
    for (int k = 0; k < n && m->succs[out[k]].date == first; k++) {
        const succ_t *x = &m->succs[out[k]];
        if (best < 0 || x->share > best_share ||
            (x->share == best_share && strcmp(m->units[x->to].code, m->units[best].code) < 0)) {
            best = x->to;
            best_share = x->share;
        }
    }
    *date = first;
    return best;
}

/* 1 when the item was finished before `date` and so stays with the old unit as history. */
static int finished_before(const task_t *t, int date)
{
    return t->recur == TR_NONE && t->completed_on && t->completed_on < date;
}

/* Appends "<what> từ X sang Y ngày d/m/yyyy" to item i's log, keeping its progress. */
static int add_row(task_set *ts, int i, const model *m, const char *what, int from, int to, int date,
                   const char *who)
{
    task_t *t = &ts->items[i];
    buf text = BUF_INIT;
    int keep_progress = t->progress, keep_completed = t->completed_on;
    int rc = buf_printf(&text, "%s từ %s (%s) sang %s (%s) ngày ", what, m->units[from].name, m->units[from].code,
                        m->units[to].name, m->units[to].code);
    if (rc == 0)
        rc = vn_format_date(date, LANG_VI, &text) < 0 ? -1 : 0;
    if (rc == 0)
        rc = buf_adds(&text, " (kế thừa đơn vị)");
    if (rc == 0)
        rc = task_report_add(ts, i, date, t->progress, buf_str(&text), who);
    t->progress = keep_progress;            /* a hand-over is not a progress report */
    t->completed_on = keep_completed;
    buf_free(&text);
    return rc;
}

static int replace_str(char **field, const char *with)
{
    char *copy = strdup(with);
    if (copy == NULL)
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

/* Follows unit u's successors as far as the item goes (see finished_before), one history row
 * per step with `what`; *u ends at the last unit.  Returns the steps or -1. */
static int follow(task_set *ts, int i, const model *m, const char *what, int *u, const char *who)
{
    int steps = 0, date;
    for (int guard = 0; guard < CHAIN_MAX && *u >= 0; guard++) {
        int to = task_successor(m, *u, &date);
        if (to < 0 || finished_before(&ts->items[i], date))
            break;
        if (add_row(ts, i, m, what, *u, to, date, who) != 0)
            return -1;
        *u = to;
        steps++;
    }
    return steps;
}

/* 1 if code is one of the ';'-separated codes of list. */
static int listed(const char *list, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = list; *p; ) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, code, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

/* Rewrites the cooperating units through their successors (dropping one that became the lead
 * unit or is listed twice).  Returns the steps or -1. */
static int handover_coop(task_set *ts, int i, const model *m, const char *who)
{
    buf list = BUF_INIT;
    int steps = 0, rc = -1;
    if (ts->items[i].coop_units[0] == '\0')
        return 0;
    char *src = strdup(ts->items[i].coop_units);   /* the item's string is replaced below */
    if (src == NULL)
        return -1;
    for (char *tok = src, *next; tok; tok = next) {
        next = strchr(tok, ';');
        if (next)
            *next++ = '\0';
        int u = model_unit_find(m, tok), k = 0;
        if (u >= 0 && (k = follow(ts, i, m, "đơn vị phối hợp chuyển", &u, who)) < 0)
            goto cleanup;
        steps += k;
        const char *now = u >= 0 ? m->units[u].code : tok;
        if (*now == '\0' || strcmp(now, ts->items[i].lead_unit) == 0 || listed(buf_str(&list), now))
            continue;
        if (buf_printf(&list, "%s%s", list.len ? ";" : "", now) != 0)
            goto cleanup;
    }
    if (steps > 0 && replace_str(&ts->items[i].coop_units, buf_str(&list)) != 0)
        goto cleanup;
    rc = steps;
cleanup:
    free(src);
    buf_free(&list);
    return rc;
}

int task_handover_item(task_set *ts, int i, const model *m, const char *who)
{
    if (who == NULL || *who == '\0')
        who = "chitieu";
    int u = model_unit_find(m, ts->items[i].lead_unit);
    int start = u, steps = 0;
    if (u >= 0 && (steps = follow(ts, i, m, "bàn giao", &u, who)) < 0)
        return -1;
    if (u != start && replace_str(&ts->items[i].lead_unit, m->units[u].code) != 0)
        return -1;
    int coop = handover_coop(ts, i, m, who);
    return coop < 0 ? -1 : steps + coop;
}

int task_handover_store(store *s, const model *m, const char *who, long *handed, err_t *e)
{
    task_set ts = { 0 };
    long count = 0;
    int rc = -1;
    if (m->nsuccs == 0)
        goto done;                      /* nothing can be handed over */
    if (store_task_load(s, &ts, e) != 0)
        return -1;
    for (int i = 0; i < ts.n; i++) {
        int before = ts.items[i].nlog;
        int steps = task_handover_item(&ts, i, m, who);
        if (steps < 0) {
            err_set(e, "out of memory");
            goto cleanup;
        }
        for (int k = before; k < ts.items[i].nlog; k++)
            if (store_task_report(s, &ts.items[i], &ts.items[i].log[k], e) != 0)
                goto cleanup;
        count += steps > 0;
    }
done:
    if (handed)
        *handed = count;
    rc = 0;
cleanup:
    task_set_free(&ts);
    return rc;
}

int task_unit_current(const model *m, int u, int today)
{
    if (u < 0)
        return 0;
    const unit_t *x = &m->units[u];
    return (!x->valid_from || x->valid_from <= today) && (!x->valid_to || x->valid_to >= today);
}

void task_unit_mark(const model *m, int u, int today, buf *out)
{
    if (u < 0 || task_unit_current(m, u, today))
        return;
    const unit_t *x = &m->units[u];
    if (x->valid_to && x->valid_to < today) {
        buf_adds(out, tr(" (hết hiệu lực sau ngày ", " (no longer valid after "));
        vn_format_date(x->valid_to, lang_get(), out);
    } else {
        buf_adds(out, tr(" (có hiệu lực từ ngày ", " (valid from "));
        vn_format_date(x->valid_from, lang_get(), out);
    }
    buf_addc(out, ')');
}
