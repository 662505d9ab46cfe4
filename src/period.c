/* period.c - reporting period codes, labels and calendar arithmetic (see period.h).
 * Pure functions on a small value type; no allocation, no I/O. */
#include "period.h"

#include <stdio.h>
#include <string.h>

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int year_ok(int y) { return y >= PERIOD_YEAR_MIN && y <= PERIOD_YEAR_MAX; }

static period_t mk(int kind, int y, int n, int y2)
{
    period_t p = { (uint8_t)kind, (uint8_t)n, (uint16_t)y, (uint16_t)y2 };
    return p;
}

int period_parse(const char *s, size_t len, period_t *out)
{
    if (s == NULL || len < 4)
        return -1;
    int y = digits(s, 4);
    if (y < 0 || !year_ok(y))
        return -1;
    if (len == 4) {
        *out = mk(P_YEAR, y, 0, y);
        return 0;
    }
    if (len == 6 && (s[4] == 'S' || s[4] == 'Q')) {
        int n = digits(s + 5, 1);
        if (n < 1 || n > (s[4] == 'S' ? 2 : 4))
            return -1;
        *out = mk(s[4] == 'S' ? P_HALF : P_QUARTER, y, n, y);
        return 0;
    }
    if (len == 6 && s[4] == 'M' && s[5] == '9') {
        *out = mk(P_M9, y, 0, y);
        return 0;
    }
    if (len == 7 && s[4] == '-') {
        int mo = digits(s + 5, 2);
        if (mo < 1 || mo > 12)
            return -1;
        *out = mk(P_MONTH, y, mo, y);
        return 0;
    }
    if (len == 9 && s[4] == '-') {
        int y2 = digits(s + 5, 4);
        if (y2 < 0 || !year_ok(y2) || y2 <= y)
            return -1;
        *out = mk(P_RANGE, y, 0, y2);
        return 0;
    }
    return -1;
}

/* Writes n as exactly `width` digits at out. */
static void put_digits(char *out, unsigned n, int width)
{
    for (int i = width - 1; i >= 0; i--, n /= 10)
        out[i] = (char)('0' + n % 10);
}

int period_code(period_t p, char *out, size_t outlen)
{
    char t[PERIOD_CODE_MAX];
    int n = 0;
    if (p.kind >= P_YEAR && p.kind <= P_M9) { /* hand-formatted: this runs once per stored row */
        put_digits(t, p.y, 4);
        n = 4;
        switch (p.kind) {
        case P_HALF: t[n++] = 'S'; t[n++] = (char)('0' + p.n); break;
        case P_QUARTER: t[n++] = 'Q'; t[n++] = (char)('0' + p.n); break;
        case P_MONTH: t[n++] = '-'; put_digits(t + n, p.n, 2); n += 2; break;
        case P_RANGE: t[n++] = '-'; put_digits(t + n, p.y2, 4); n += 4; break;
        case P_M9: t[n++] = 'M'; t[n++] = '9'; break;
        default: break;
        }
    } else {
        t[n++] = '?';
    }
    if (outlen == 0)
        return 0;
    if ((size_t)n >= outlen)
        n = (int)outlen - 1;
    memcpy(out, t, (size_t)n);
    out[n] = '\0';
    return n;
}

int period_label(period_t p, int lang, char *out, size_t outlen)
{
    static const char *const roman[] = { "", "I", "II", "III", "IV" };
    static const char *const months_en[] = { "", "January", "February", "March", "April", "May",
                                             "June", "July", "August", "September", "October",
                                             "November", "December" };
    int n;
    int en = lang == 1;
    switch (p.kind) {
    case P_YEAR: n = snprintf(out, outlen, en ? "Year %d" : "Năm %d", p.y); break;
    case P_HALF:
        if (p.n == 1)
            n = snprintf(out, outlen, en ? "First half of %d" : "6 tháng đầu năm %d", p.y);
        else
            n = snprintf(out, outlen, en ? "Second half of %d" : "6 tháng cuối năm %d", p.y);
        break;
    case P_QUARTER:
        n = en ? snprintf(out, outlen, "Q%d %d", p.n, p.y)
               : snprintf(out, outlen, "Quý %s/%d", roman[p.n <= 4 ? p.n : 0], p.y);
        break;
    case P_MONTH:
        n = en ? snprintf(out, outlen, "%s %d", months_en[p.n <= 12 ? p.n : 0], p.y)
               : snprintf(out, outlen, "Tháng %d/%d", p.n, p.y);
        break;
    case P_M9: n = snprintf(out, outlen, en ? "First nine months of %d" : "9 tháng đầu năm %d", p.y); break;
    case P_RANGE: /* a term's label needs the model's list of terms (model_period_label) */
        n = snprintf(out, outlen, en ? "Period %d\xE2\x80\x93%d" : "Giai đoạn %d\xE2\x80\x93%d", p.y, p.y2);
        break;
    default: n = snprintf(out, outlen, "?"); break;
    }
    return n < 0 ? 0 : (size_t)n >= outlen ? (int)outlen - 1 : n;
}

int period_eq(period_t a, period_t b)
{
    return a.kind == b.kind && a.n == b.n && a.y == b.y && a.y2 == b.y2;
}

uint32_t period_key(period_t p)
{
    return ((uint32_t)p.kind << 29) | ((uint32_t)(p.y - PERIOD_YEAR_MIN + 1) << 18) |
           ((uint32_t)p.n << 14) | (uint32_t)(p.kind == P_RANGE ? p.y2 - p.y : 0);
}

static int month_days(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

/* First and last month of a period within its year (ranges: whole years). */
static void month_span(period_t p, int *m1, int *m2)
{
    switch (p.kind) {
    case P_HALF: *m1 = p.n == 1 ? 1 : 7; *m2 = *m1 + 5; break;
    case P_QUARTER: *m1 = (p.n - 1) * 3 + 1; *m2 = *m1 + 2; break;
    case P_MONTH: *m1 = *m2 = p.n; break;
    case P_M9: *m1 = 1; *m2 = 9; break;
    default: *m1 = 1; *m2 = 12; break;
    }
}

int period_start(period_t p)
{
    int m1, m2;
    month_span(p, &m1, &m2);
    return p.y * 10000 + m1 * 100 + 1;
}

int period_end(period_t p)
{
    int m1, m2;
    month_span(p, &m1, &m2);
    int y = p.kind == P_RANGE ? p.y2 : p.y;
    return y * 10000 + m2 * 100 + month_days(y, m2);
}

int period_cmp(period_t a, period_t b)
{
    int sa = period_start(a), sb = period_start(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int ea = period_end(a), eb = period_end(b);
    if (ea != eb)
        return ea > eb ? -1 : 1; /* longer first */
    return (int)a.kind - (int)b.kind;
}

int period_contains(period_t outer, period_t inner)
{
    return period_start(outer) <= period_start(inner) && period_end(inner) <= period_end(outer);
}

int period_children(period_t p, period_t *out, int max)
{
    int n = 0;
    switch (p.kind) {
    case P_RANGE:
        for (int y = p.y; y <= p.y2 && n < max; y++)
            out[n++] = mk(P_YEAR, y, 0, y);
        break;
    case P_YEAR:
        for (int h = 1; h <= 2 && n < max; h++)
            out[n++] = mk(P_HALF, p.y, h, p.y);
        break;
    case P_HALF:
        for (int q = p.n * 2 - 1; q <= p.n * 2 && n < max; q++)
            out[n++] = mk(P_QUARTER, p.y, q, p.y);
        break;
    case P_QUARTER:
        for (int m = (p.n - 1) * 3 + 1; m <= p.n * 3 && n < max; m++)
            out[n++] = mk(P_MONTH, p.y, m, p.y);
        break;
    case P_M9:
        for (int q = 1; q <= 3 && n < max; q++)
            out[n++] = mk(P_QUARTER, p.y, q, p.y);
        break;
    default: break;
    }
    return n;
}

int period_within(period_t p, enum period_kind kind, period_t *out, int max)
{
    int n = 0;
    if (kind == P_RANGE) {
        if (p.kind == P_RANGE && max > 0)
            out[n++] = p;
        return n;
    }
    int per_year = kind == P_YEAR || kind == P_M9 ? 1 : kind == P_HALF ? 2 : kind == P_QUARTER ? 4 : kind == P_MONTH ? 12 : 0;
    if (per_year == 0)
        return 0;
    int y2 = p.kind == P_RANGE ? p.y2 : p.y;
    for (int y = p.y; y <= y2; y++)
        for (int k = 1; k <= per_year && n < max; k++) {
            period_t c = mk(kind, y, kind == P_YEAR || kind == P_M9 ? 0 : k, y);
            if (period_contains(p, c))
                out[n++] = c;
        }
    return n;
}

int period_parents(period_t p, period_t *out, int max)
{
    int n = 0;
    if (p.kind == P_MONTH && n < max)
        out[n++] = mk(P_QUARTER, p.y, (p.n - 1) / 3 + 1, p.y);
    if ((p.kind == P_MONTH || p.kind == P_QUARTER) && n < max)
        out[n++] = mk(P_HALF, p.y, p.kind == P_MONTH ? (p.n <= 6 ? 1 : 2) : (p.n <= 2 ? 1 : 2), p.y);
    if ((p.kind == P_MONTH || p.kind == P_QUARTER || p.kind == P_HALF || p.kind == P_M9) && n < max)
        out[n++] = mk(P_YEAR, p.y, 0, p.y);
    return n;
}

period_t period_prev_year(period_t p)
{
    if (p.kind == P_RANGE) {
        int span = p.y2 - p.y;
        if (p.y - span < PERIOD_YEAR_MIN)
            return mk(P_NONE, 0, 0, 0);
        return mk(P_RANGE, p.y - span, 0, p.y);
    }
    if (p.y - 1 < PERIOD_YEAR_MIN || p.kind == P_NONE)
        return mk(P_NONE, 0, 0, 0);
    return mk(p.kind, p.y - 1, p.n, p.y - 1);
}

period_t period_prev(period_t p)
{
    int last = p.kind == P_MONTH ? 12 : p.kind == P_QUARTER ? 4 : p.kind == P_HALF ? 2 : 0;
    if (last == 0)
        return period_prev_year(p);          /* a year, nine months, a range: a year (a span) back */
    if (p.n > 1)
        return mk(p.kind, p.y, p.n - 1, p.y);
    if (p.y - 1 < PERIOD_YEAR_MIN)
        return mk(P_NONE, 0, 0, 0);
    return mk(p.kind, p.y - 1, last, p.y - 1);
}

/* Days since 1/3/0000 of a yyyymmdd date (a proleptic Gregorian day count). */
static long day_number(int ymd)
{
    long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    if (m < 3)
        y--, m += 12;
    return 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

double period_elapsed(period_t p, int today)
{
    long a = day_number(period_start(p)), b = day_number(period_end(p)), t = day_number(today);
    if (p.kind == P_NONE || t < a)
        return 0;
    if (t >= b)
        return 1;
    return (double)(t - a + 1) / (double)(b - a + 1);
}

period_t period_year_of(period_t p)
{
    int y = p.kind == P_RANGE ? p.y2 : p.y;
    return mk(P_YEAR, y, 0, y);
}
