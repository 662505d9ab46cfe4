/* task.c - work items, their derived status and deadline class (see task.h).
 *
 * Status, first that applies: paused -> completed (on time when completed on or before the
 * deadline in force, else late) -> overdue (the deadline in force has passed) -> in progress
 * (some progress reported, or the start date reached) -> not started.  A recurring task's
 * deadline is the end of the current period and it counts as completed when completed within
 * that period.  Dates are civil dates in yyyymmdd; day arithmetic goes through a day number.
 */
#include "task.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *dup0(const char *s)
{
    return strdup(s ? s : "");
}

void task_set_free(task_set *s)
{
    for (int i = 0; i < s->n; i++) {
        task_t *t = &s->items[i];
        char **f[] = { &t->code, &t->title, &t->programme, &t->parent, &t->lead_unit, &t->coop_units,
                       &t->owner, &t->document, &t->result, &t->indicators };
        for (size_t k = 0; k < sizeof f / sizeof *f; k++)
            free(*f[k]);
        for (int k = 0; k < t->nlog; k++) {
            free(t->log[k].text);
            free(t->log[k].who);
        }
        free(t->log);
    }
    free(s->items);
    memset(s, 0, sizeof *s);
}

int task_add(task_set *s, const task_t *src)
{
    if (s->n == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        task_t *p = realloc(s->items, (size_t)cap * sizeof *p);
        if (p == NULL)
            return -1;
        s->items = p;
        s->cap = cap;
    }
    task_t *t = &s->items[s->n];
    *t = *src;
    t->log = NULL;
    t->nlog = t->caplog = 0;
    t->code = dup0(src->code), t->title = dup0(src->title), t->programme = dup0(src->programme);
    t->parent = dup0(src->parent), t->lead_unit = dup0(src->lead_unit), t->coop_units = dup0(src->coop_units);
    t->owner = dup0(src->owner), t->document = dup0(src->document), t->result = dup0(src->result);
    t->indicators = dup0(src->indicators);
    if (!t->code || !t->title || !t->programme || !t->parent || !t->lead_unit || !t->coop_units || !t->owner ||
        !t->document || !t->result || !t->indicators) {
        s->n++;
        task_set_free(s);   /* out of memory: drop everything rather than keep half an item */
        return -1;
    }
    return s->n++;
}

int task_in_programme(const task_set *s, int i, const char *p)
{
    for (int depth = 0; i >= 0 && depth < 64; depth++) {   /* 64: a guard against cycles */
        const task_t *t = &s->items[i];
        if (strcmp(t->programme, p) == 0 || strcmp(t->parent, p) == 0)
            return 1;
        i = task_find(s, *t->parent ? t->parent : t->programme);
    }
    return 0;
}

int task_find(const task_set *s, const char *code)
{
    for (int i = 0; i < s->n; i++)
        if (strcmp(s->items[i].code, code) == 0)
            return i;
    return -1;
}

int task_report_add(task_set *s, int i, int date, int pct, const char *text, const char *who)
{
    task_t *t = &s->items[i];
    if (t->nlog == t->caplog) {
        int cap = t->caplog ? t->caplog * 2 : 4;
        task_report *p = realloc(t->log, (size_t)cap * sizeof *p);
        if (p == NULL)
            return -1;
        t->log = p;
        t->caplog = cap;
    }
    task_report *r = &t->log[t->nlog];
    r->date = date;
    r->pct = pct < 0 ? 0 : pct > 100 ? 100 : pct;
    r->text = dup0(text);
    r->who = dup0(who);
    if (!r->text || !r->who) {
        free(r->text);
        free(r->who);
        return -1;
    }
    t->nlog++;
    t->progress = r->pct;
    if (r->pct >= 100 && !t->completed_on)
        t->completed_on = date;
    else if (r->pct < 100 && t->recur == TR_NONE)
        t->completed_on = 0;
    return 0;
}

/* ---- dates ---- */

static long day_number(int d)           /* days since 0000-03-01, proleptic Gregorian */
{
    long y = d / 10000, m = d / 100 % 100, dd = d % 100;
    if (m <= 2)
        y--, m += 12;
    return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + dd - 1;
}

static int from_day_number(long n)
{
    long y = (10000 * n + 14780) / 3652425;
    long ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    if (ddd < 0) {
        y--;
        ddd = n - (365 * y + y / 4 - y / 100 + y / 400);
    }
    long mi = (100 * ddd + 52) / 3060, mm = (mi + 2) % 12 + 1;
    y += (mi + 2) / 12;
    long dd = ddd - (mi * 306 + 5) / 10 + 1;
    return (int)(y * 10000 + mm * 100 + dd);
}

int task_days_between(int a, int b)
{
    return (int)(day_number(b) - day_number(a));
}

int task_weekday(int d)
{
    return (int)((day_number(d) + 2) % 7);   /* 0000-03-01 was a Wednesday */
}

static int valid_date(int y, int m, int d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int task_parse_date(const char *s, int *out)
{
    int a[3] = { 0 }, k = 0, digits = 0;
    char sep = 0;
    for (const char *p = s; ; p++) {
        if (*p >= '0' && *p <= '9') {
            if (++digits > 4)
                return -1;
            a[k] = a[k] * 10 + (*p - '0');
            continue;
        }
        if (digits == 0)
            return -1;
        if (*p == '\0')
            break;
        if ((*p != '-' && *p != '/') || k == 2 || (sep && *p != sep))
            return -1;
        sep = *p;
        k++;
        digits = 0;
    }
    if (k != 2)
        return -1;
    int y, m, d;
    if (sep == '-')
        y = a[0], m = a[1], d = a[2];          /* 2023-01-04 */
    else
        d = a[0], m = a[1], y = a[2];          /* 4/1/2023 */
    if (!valid_date(y, m, d))
        return -1;
    *out = y * 10000 + m * 100 + d;
    return 0;
}

/* ---- status ---- */

static int period_end_of(int today, int recur)
{
    int y = today / 10000, m = today / 100 % 100;
    int em = recur == TR_YEAR ? 12 : recur == TR_QUARTER ? ((m - 1) / 3 + 1) * 3 : m;
    int ny = em == 12 ? y + 1 : y, nm = em == 12 ? 1 : em + 1;
    return from_day_number(day_number(ny * 10000 + nm * 100 + 1) - 1);
}

static int period_start_of(int today, int recur)
{
    int y = today / 10000, m = today / 100 % 100;
    int sm = recur == TR_YEAR ? 1 : recur == TR_QUARTER ? (m - 1) / 3 * 3 + 1 : m;
    return y * 10000 + sm * 100 + 1;
}

int task_due_date(const task_t *t, int today)
{
    int d = t->recur != TR_NONE ? period_end_of(today, t->recur) : t->deadline;
    if (d == 0)
        return 0;
    int wd = task_weekday(d);
    return wd >= 5 ? from_day_number(day_number(d) + (7 - wd)) : d;
}

static int completed_now(const task_t *t, int today)
{
    if (!t->completed_on)
        return 0;
    if (t->recur == TR_NONE)
        return 1;
    return t->completed_on >= period_start_of(today, t->recur) && t->completed_on <= today;
}

int task_status(const task_t *t, int today)
{
    if (t->paused)
        return TS_PAUSED;
    int due = task_due_date(t, today);
    if (completed_now(t, today))
        return !due || t->completed_on <= due ? TS_DONE_ON_TIME : TS_DONE_LATE;
    if (due && today > due)
        return TS_OVERDUE;
    if (t->progress > 0 || (t->start && today >= t->start) || t->recur != TR_NONE)
        return TS_IN_PROGRESS;
    return TS_NOT_STARTED;
}

int task_is_done(int status)
{
    return status == TS_DONE_ON_TIME || status == TS_DONE_LATE;
}

int task_due_class(const task_t *t, int today, int soon_days)
{
    int st = task_status(t, today);
    if (task_is_done(st) || st == TS_PAUSED)
        return TD_NONE;
    int due = task_due_date(t, today);
    if (!due)
        return TD_NO_DEADLINE;
    if (today > due)
        return TD_OVERDUE;
    return task_days_between(today, due) <= soon_days ? TD_SOON : TD_LATER;
}

void task_count(task_counts *c, const task_t *t, int today, int soon_days)
{
    int st = task_status(t, today), due = task_due_date(t, today);
    c->total++;
    switch (st) {
    case TS_DONE_ON_TIME: c->done++, c->done_on_time++; break;
    case TS_DONE_LATE: c->done++, c->done_late++; break;
    case TS_OVERDUE: c->overdue++; break;
    case TS_IN_PROGRESS: c->in_progress++; break;
    case TS_PAUSED: c->paused++; break;
    default: c->not_started++; break;
    }
    if (task_is_done(st) && t->exceeded)
        c->exceeded++;
    if (due && due < today && st != TS_PAUSED) {
        c->due++;
        c->due_done += task_is_done(st);
    }
    if (task_due_class(t, today, soon_days) == TD_SOON)
        c->soon++;
}

/* ---- names ---- */

static const char *const status_keys[TS_COUNT] = { "not_started", "in_progress", "done_on_time", "done_late",
                                                   "overdue", "paused" };
static const char *const status_vi[TS_COUNT] = { "chưa thực hiện", "đang thực hiện", "hoàn thành đúng hạn",
                                                 "hoàn thành quá hạn", "quá hạn chưa hoàn thành", "tạm dừng" };
static const char *const status_en[TS_COUNT] = { "not started", "in progress", "done on time", "done late",
                                                 "overdue", "paused" };

int task_status_parse(const char *s)
{
    for (int i = 0; i < TS_COUNT; i++)
        if (strcasecmp(s, status_keys[i]) == 0 || strcmp(s, status_vi[i]) == 0 || strcasecmp(s, status_en[i]) == 0)
            return i;
    return -1;
}

const char *task_status_name(int st)
{
    return st >= 0 && st < TS_COUNT ? tr(status_vi[st], status_en[st]) : "?";
}

const char *task_status_key(int st)
{
    return st >= 0 && st < TS_COUNT ? status_keys[st] : "?";
}

const char *task_due_key(int due)
{
    static const char *const keys[TD_COUNT] = { "", "overdue", "soon", "later", "no_deadline" };
    return due >= 0 && due < TD_COUNT ? keys[due] : "";
}

const char *task_due_name(int due)
{
    switch (due) {
    case TD_OVERDUE: return tr("Quá hạn", "Overdue");
    case TD_SOON: return tr("Sắp đến hạn", "Due soon");
    case TD_LATER: return tr("Chưa đến hạn", "Not yet due");
    case TD_NO_DEADLINE: return tr("Chưa có hạn", "No deadline");
    }
    return "";
}

static const char *const kind_keys[TK_COUNT] = { "resolution", "programme", "project", "plan", "breakthrough",
                                                 "task", "subtask" };
static const char *const kind_vi[TK_COUNT] = { "nghị quyết", "chương trình", "đề án", "kế hoạch", "khâu đột phá",
                                               "nhiệm vụ", "nhiệm vụ con" };

int task_kind_parse(const char *s)
{
    for (int i = 0; i < TK_COUNT; i++)
        if (strcasecmp(s, kind_keys[i]) == 0 || strcmp(s, kind_vi[i]) == 0)
            return i;
    return -1;
}

const char *task_kind_name(int k)
{
    static const char *const en[TK_COUNT] = { "resolution", "programme", "project", "plan", "breakthrough",
                                              "task", "sub-task" };
    return k >= 0 && k < TK_COUNT ? tr(kind_vi[k], en[k]) : "?";
}

int task_recur_parse(const char *s)
{
    if (*s == '\0')
        return TR_NONE;
    if (strcasecmp(s, "month") == 0 || strcmp(s, "tháng") == 0)
        return TR_MONTH;
    if (strcasecmp(s, "quarter") == 0 || strcmp(s, "quý") == 0)
        return TR_QUARTER;
    if (strcasecmp(s, "year") == 0 || strcmp(s, "năm") == 0)
        return TR_YEAR;
    return -1;
}
