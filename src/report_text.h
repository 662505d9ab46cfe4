/* report_text.h - the wording of the review report: the phrases each sentence is made of
 * (periods in running text, changes judged by direction, results against plan, kinds of
 * targets) and the summary and review paragraphs built from an evaluation.
 *
 * Every function appends to a caller-owned buf in the process language (lang_get()); numbers
 * are formatted as report_num does ("1.234,5").  Pure: no I/O, no globals but the language.
 * The phrases are checked case by case in tests/test_report_text.c (tests/data/report_text.txt).
 */
#ifndef CHITIEU_REPORT_TEXT_H
#define CHITIEU_REPORT_TEXT_H

#include <jansson.h>
#include "buf.h"
#include "eval.h"
#include "model.h"

/* What a figure measures, as far as wording goes (from the measure, direction and aggregation). */
enum measure_kind { MK_PLAIN = 0, MK_RATE, MK_SCORE, MK_RANK };
/* The kind of an indicator: "%" a rate, "thứ hạng"/"hạng"/"bậc" of a `down` indicator a rank,
 * "điểm" with decimals a score (in whole numbers it counts sites); else a plain quantity. */
int report_measure_kind(const char *measure, int dir, int decimals);
/* 1 when a set name names aspirational goals ("mục tiêu phấn đấu", any case or accents). */
int report_set_is_goal(const char *set);
/* Period p in running text: "năm 2022", "6 tháng đầu năm 2023", "quý II/2023", "giữa nhiệm kỳ
 * 2020–2025 (giai đoạn 2020–2022)"; English "2022", "H1 2023", "Q2 2023", ...; m may be NULL. */
int report_period_text(const model *m, period_t p, buf *out);
/* The period after p in running text ("6 tháng cuối năm 2023", "năm 2023", "những năm còn lại
 * của nhiệm kỳ 2020–2025"). */
int report_next_period_text(const model *m, period_t p, buf *out);
/* A change from prev to actual in words: "tăng 3,6 điểm phần trăm (từ 6,2% lên 9,8%)", "tăng 3
 * bậc, từ thứ 6 lên thứ 3", "tăng 14,52%", "không đổi"; returns 1 when the change is good news
 * by the indicator's direction, -1 when bad, 0 when there is none, 2 when neither (equal, done). */
int report_change_phrase(buf *b, int kind, int dir, int decimals, const char *measure, double prev,
                         double actual);
/* The same, short, for a table cell: "+3,6 điểm %", "+3 bậc", "-14,52%", "không đổi"; same return. */
int report_change_cell(buf *b, int kind, int dir, int decimals, double prev, double actual);
/* The result against plan for a highlight: "đạt 151% kế hoạch (vượt 51%)", "đạt 8,25 điểm (kế
 * hoạch 8)", "0,18%, thấp hơn 0,02 điểm phần trăm so với mức kế hoạch (0,2%)", "thứ 2 (kế hoạch
 * thứ 3, vượt 1 bậc)". */
void report_result_phrase(buf *b, int kind, int dir, int decimals, const char *measure, double actual,
                          double target);
/* The "% KH" cell: "151%", or for a `down` indicator its margin below (or above) the ceiling:
 * "thấp hơn 10%", "thấp hơn 0,02 điểm %", "vượt 1 bậc". */
void report_pct_cell(buf *b, int kind, int dir, int decimals, double actual, double target);
/* "1 target" / "2 targets" in English; the Vietnamese noun unchanged. */
const char *report_plural(int n, const char *one, const char *many);

/* The summary paragraphs (a JSON array of strings; a paragraph with a long list carries it as
 * "\n- item" lines) for unit and period from its evaluation; new reference. */
json_t *report_summary_json(const model *m, int unit, period_t p, const eval_result *r);
/* The review's closing parts: shortcomings (pre-listing what is not met and ranked low),
 * causes, lessons, directions for the next period, each {key, title, paragraphs[], placeholder};
 * new reference. */
json_t *report_review_json(const model *m, int unit, period_t p, const eval_result *r);
#endif
