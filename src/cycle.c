/* cycle.c - deadlines, cut-off windows and reminder timing of the reporting cycle (cycle.h).
 * Pure functions over a cycle_rules value; dates are yyyymmdd integers, converted to day
 * numbers (days since 1/3/0000, proleptic Gregorian) for arithmetic. */
#include "cycle.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[CYCLE_KINDS] = {
    [P_YEAR] = "year", [P_HALF] = "half", [P_QUARTER] = "quarter", [P_MONTH] = "month",
    [P_RANGE] = "term", [P_M9] = "m9",
};

void cycle_rules_default(cycle_rules *r)
{
    memset(r, 0, sizeof *r);
    for (int k = 1; k < CYCLE_KINDS; k++) {
        r->due[k].day = 20;
        r->due[k].months = 0;
    }
    r->cutoff_day = 0;
    r->remind_before = 5;
    r->remind_after = 30;
    r->tz_minutes = 7 * 60;
    r->kinds = 1u << P_HALF | 1u << P_YEAR;
}

const char *cycle_kind_name(int kind)
{
    return kind > P_NONE && kind < CYCLE_KINDS ? kind_names[kind] : NULL;
}

int cycle_kind_parse(const char *name)
{
    for (int k = 1; k < CYCLE_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

/* Reads a decimal number of at most 3 digits from *s, advancing it; -1 if none. */
static int small_num(const char **s)
{
    int n = 0, digits = 0;
    while (**s >= '0' && **s <= '9' && digits < 3) {
        n = n * 10 + (**s - '0');
        (*s)++;
        digits++;
    }
    return digits ? n : -1;
}

int cycle_due_parse(const char *s, cycle_due *out)
{
    int day = small_num(&s), months = 0;
    if (day < 1 || day > 31)
        return -1;
    if (*s == '+') {
        s++;
        months = small_num(&s);
        if (months < 0 || months > 12)
            return -1;
    }
    if (*s != '\0')
        return -1;
    out->day = day;
    out->months = months;
    return 0;
}

void cycle_due_format(cycle_due d, char *out, int n)
{
    if (d.months)
        snprintf(out, (size_t)n, "%d+%d", d.day, d.months);
    else
        snprintf(out, (size_t)n, "%d", d.day);
}

int cycle_kinds_parse(const char *s, unsigned *mask)
{
    unsigned m = 0;
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        char name[16];
        if (n == 0 || n >= sizeof name)
            return -1;
        memcpy(name, s, n);
        name[n] = '\0';
        int k = cycle_kind_parse(name);
        if (k < 0)
            return -1;
        m |= 1u << k;
        s += n + (comma != NULL);
        if (comma && *s == '\0')
            return -1;
    }
    if (m == 0)
        return -1;
    *mask = m;
    return 0;
}

int cycle_cutoff_parse(const char *s, int *day)
{
    if (strcmp(s, "calendar") == 0) {
        *day = 0;
        return 0;
    }
    if (strcmp(s, "decree09") == 0) {
        *day = 15;
        return 0;
    }
    int d = small_num(&s);
    if (*s != '\0' || d < 2 || d > 28)
        return -1;
    *day = d;
    return 0;
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Month index (y * 12 + m - 1) to yyyymmdd with the day clamped to the month. */
static int ymd_of(int mi, int day)
{
    int y = mi / 12, m = mi % 12 + 1;
    int last = month_days(y, m);
    return y * 10000 + m * 100 + (day > last ? last : day);
}

int cycle_deadline(const cycle_rules *r, period_t p)
{
    if (p.kind <= P_NONE || p.kind >= CYCLE_KINDS)
        return 0;
    int end = period_end(p);
    int mi = end / 10000 * 12 + end / 100 % 100 - 1 + r->due[p.kind].months;
    return ymd_of(mi, r->due[p.kind].day);
}

void cycle_window(const cycle_rules *r, period_t p, int *from, int *to)
{
    *from = period_start(p);
    *to = period_end(p);
    if (r->cutoff_day == 0)
        return;
    int first = *from / 10000 * 12 + *from / 100 % 100 - 1;
    int last = *to / 10000 * 12 + *to / 100 % 100 - 1;
    *from = ymd_of(first - 1, r->cutoff_day);
    *to = ymd_of(last, r->cutoff_day - 1);
}

/* Days since 1/3/0000 (H. Hinnant's days_from_civil, shifted). */
static long day_number(int ymd)
{
    int y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    y -= m <= 2;
    long era = y / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe;
}

static int from_day_number(long z)
{
    long era = z / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    return (int)(y * 10000 + m * 100 + d);
}

int cycle_days_between(int a, int b)
{
    return (int)(day_number(b) - day_number(a));
}

int cycle_add_days(int ymd, int n)
{
    return from_day_number(day_number(ymd) + n);
}

/* Reads exactly n digits from s; -1 if one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int cycle_local_date(const char *iso, int tz_minutes)
{
    if (strlen(iso) < 19 || iso[4] != '-' || iso[7] != '-' || (iso[10] != 'T' && iso[10] != ' ') ||
        iso[13] != ':' || iso[16] != ':')
        return 0;
    int y = digits(iso, 4), mo = digits(iso + 5, 2), d = digits(iso + 8, 2);
    int h = digits(iso + 11, 2), mi = digits(iso + 14, 2);
    if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX || mo < 1 || mo > 12 || d < 1 ||
        d > month_days(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59)
        return 0;
    long minutes = h * 60L + mi + tz_minutes;
    long shift = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
    return cycle_add_days(y * 10000 + mo * 100 + d, (int)shift);
}

int cycle_remind_class(const cycle_rules *r, int deadline, int today)
{
    int gap = cycle_days_between(today, deadline);
    if (gap >= 0 && gap <= r->remind_before)
        return CR_BEFORE;
    if (gap < 0 && -gap <= r->remind_after)
        return CR_AFTER;
    return CR_NONE;
}

int cycle_due_periods(const cycle_rules *r, int today, period_t *out, int max)
{
    int n = 0, year = today / 10000;
    static const int counts[CYCLE_KINDS] = { [P_YEAR] = 1, [P_HALF] = 2, [P_QUARTER] = 4, [P_MONTH] = 12, [P_M9] = 1 };
    for (int y = year - 2; y <= year + 1; y++) {
        if (y < PERIOD_YEAR_MIN || y > PERIOD_YEAR_MAX)
            continue;
        for (int k = P_YEAR; k < CYCLE_KINDS; k++) {
            if (!(r->kinds & 1u << k) || counts[k] == 0)
                continue;
            for (int i = 1; i <= counts[k] && n < max; i++) {
                period_t p = { .kind = (uint8_t)k, .n = (uint8_t)(k == P_YEAR || k == P_M9 ? 0 : i),
                               .y = (uint16_t)y, .y2 = (uint16_t)y };
                if (cycle_remind_class(r, cycle_deadline(r, p), today) != CR_NONE)
                    out[n++] = p;
            }
        }
    }
    for (int i = 1; i < n; i++)     /* insertion sort by deadline, then period order */
        for (int j = i; j > 0; j--) {
            int dj = cycle_deadline(r, out[j]), dp = cycle_deadline(r, out[j - 1]);
            if (dp < dj || (dp == dj && period_cmp(out[j - 1], out[j]) <= 0))
                break;
            period_t t = out[j];
            out[j] = out[j - 1];
            out[j - 1] = t;
        }
    return n;
}
