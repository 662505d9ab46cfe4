/* period.h - reporting periods: codes, labels and calendar arithmetic.
 *
 * Codes (a contract with import files and other programs):
 *   year "2022", half "2022S1"/"2022S2", quarter "2022Q2", month "2022-05",
 *   range of years "2020-2025" (a term; a mid-term review is "2020-2022"),
 *   the first nine months of a year "2022M9" (January to September: "9 tháng đầu năm 2022").
 * A period_t is a small value type; nothing here allocates.
 */
#ifndef CHITIEU_PERIOD_H
#define CHITIEU_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* New kinds go at the end: period_key packs the kind into 3 bits. */
enum period_kind { P_NONE = 0, P_YEAR, P_HALF, P_QUARTER, P_MONTH, P_RANGE, P_M9 };

typedef struct period {
    uint8_t kind; /* enum period_kind */
    uint8_t n;    /* half 1-2, quarter 1-4, month 1-12, else 0 (also for P_M9) */
    uint16_t y;   /* year (first year of a range) */
    uint16_t y2;  /* last year of a range, else equal to y */
} period_t;

#define PERIOD_YEAR_MIN 1900
#define PERIOD_YEAR_MAX 2200
#define PERIOD_CODE_MAX 16

/* Parses a canonical code (s[0..len), no spaces; years 1900-2200; a range needs y2 > y);
 * returns 0 or -1. */
int period_parse(const char *s, size_t len, period_t *out);
/* Writes the canonical code into out (at least PERIOD_CODE_MAX bytes); returns its length. */
int period_code(period_t p, char *out, size_t outlen);
/* Writes the label in the language (0 Vietnamese, 1 English): "Năm 2022" / "Year 2022",
 * "6 tháng đầu năm 2022" / "First half of 2022", "6 tháng cuối năm 2022" / "Second half of 2022",
 * "Quý II/2022" / "Q2 2022", "Tháng 5/2022" / "May 2022", "9 tháng đầu năm 2022" / "First nine
 * months of 2022", "Giai đoạn 2020–2025" / "Period 2020–2025" (any range: only the model knows
 * which ranges are declared terms, see model_period_label); returns the length written
 * (truncated to outlen-1). */
int period_label(period_t p, int lang, char *out, size_t outlen);
/* 1 if a and b are the same period. */
int period_eq(period_t a, period_t b);
/* Total order: by start date, then longer first; for sorting. */
int period_cmp(period_t a, period_t b);
/* A 32-bit key unique per period, for hashing. */
uint32_t period_key(period_t p);
/* First and last day as yyyymmdd (calendar periods; a range runs 1/1/y to 31/12/y2). */
int period_start(period_t p);
int period_end(period_t p);
/* 1 if inner lies within outer (a period contains itself). */
int period_contains(period_t outer, period_t inner);
/* Writes the immediate sub-periods used for aggregation: range -> its years, year -> 2 halves,
 * nine months -> quarters 1-3, half -> 2 quarters, quarter -> 3 months, month -> none; returns
 * how many (<= max). */
int period_children(period_t p, period_t *out, int max);
/* Writes every period of `kind` that lies within p, in time order; returns how many (<= max). */
int period_within(period_t p, enum period_kind kind, period_t *out, int max);
/* Writes the calendar periods enclosing p, nearest first (month -> quarter, half, year;
 * quarter -> half, year; half and nine months -> year; year and range -> none; the nine months
 * are nobody's parent); returns how many (<= max). */
int period_parents(period_t p, period_t *out, int max);
/* The same period one year earlier ("cùng kỳ": 2022M9 -> 2021M9); for a range, the preceding range of the same
 * span ending where p starts ("2020-2025" -> "2015-2020"). */
period_t period_prev_year(period_t p);
/* The previous period of the same kind ("kỳ trước"): the month, quarter or half before (across
 * the new year), the year before a year, the nine months and a range as period_prev_year;
 * P_NONE before 1900. */
period_t period_prev(period_t p);
/* The share (0..1) of p's days gone by the end of day `today` (yyyymmdd): 0 before p starts,
 * 1 from its last day on. */
double period_elapsed(period_t p, int today);
/* The year containing p (for a range: its last year). */
period_t period_year_of(period_t p);

#endif
