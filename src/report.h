/* report.h - the review report: content built from an evaluation, rendered as
 * Markdown, standalone HTML (A4, printable) or JSON.
 *
 * report_build() evaluates the unit (and its child units, for the ranking
 * table) and returns a JSON document (caller owns; json_decref) holding the
 * whole content: summary sentences in the voice of a Vietnamese review report,
 * tallies, tables per group and the ranked child units.  The renderers only
 * lay that document out, so every format says the same thing.
 */
#ifndef CHITIEU_REPORT_H
#define CHITIEU_REPORT_H

#include <jansson.h>
#include "buf.h"
#include "err.h"
#include "eval.h"
#include "model.h"

/* Builds the report for a unit and period; *out is a new reference the caller releases. */
int report_build(const model *m, int unit, period_t p, json_t **out, err_t *e);
/* The same on a structure of units (eval.h's enum eval_structure; report_build: EVAL_AUTO). */
int report_build_on(const model *m, int unit, period_t p, int structure, json_t **out, err_t *e);
struct task_set;
/* Adds the section on work programmes and tasks (those led by the unit's subtree, judged on the
 * period's last day or today if earlier) to a built report; nothing when there are none. */
int report_add_tasks(json_t *doc, const model *m, const struct task_set *ts, int unit, period_t p, int today,
                     err_t *e);
/* Renders a built report as "md", "html" or "json" into out; returns 0 or -1. */
int report_render(const json_t *doc, const char *format, buf *out, err_t *e);
/* Draws chart `which` of a built report as PNG into png (0: units below by share of targets met,
 * 1: share met across the last five periods, drawn only with three or more); returns 1 when drawn, 0 when the report has no
 * data for it, -1 on error; *height gets the image height in pixels (width CHART_W). */
int report_chart(const json_t *doc, int which, buf *png, int *height, err_t *e);
/* The evaluation rows of r as a JSON array (new reference), as `chitieu eval --format json` prints. */
json_t *report_rows_json(const model *m, const eval_result *r);
/* Appends the label of period p, naming terms and mid-term ranges from the model's terms. */
int report_period_label(const model *m, period_t p, buf *out);
/* Appends the "Kế hoạch" cell of a report row: its target, or the year's ("180 (năm)"), or "–". */
void report_target_text(const json_t *row, buf *out);
/* The mark after a partial total shown in a report's table (doc["partial_note"] says what it means;
 * "*" stays the mark of a figure converted from predecessors). */
#define REPORT_PARTIAL_MARK "\xE2\x80\xA0"   /* † */
/* The keys of a built report's notes on its marks, in the order every renderer prints them under
 * the title ("structure_note": converted figures, "partial_note": partial totals); either may be
 * absent. */
extern const char *const report_note_keys[2];
/* 1 when a report row shows a partial total (partial and not withheld), which carries the mark. */
int report_row_partial_shown(const json_t *row);
/* Appends the "% KH" cell of a report row: "151%", a `down` indicator's margin to its ceiling
 * ("thấp hơn 10%"), "55,9% KH năm", or "–". */
void report_pct_text(const json_t *row, buf *out);
/* Appends the "so cùng kỳ" cell of a report row ("+3,6 điểm %", "+3 bậc", "không đổi", "–");
 * returns 1 good news by the indicator's direction, -1 bad, 0 unchanged, 2 neither or none. */
int report_change_text(const json_t *row, buf *out);
/* Appends the numbered heading of section `key` of a built report ("summary", "tables",
 * "children", "tasks", or the key of a doc["review"] part), numbered over the sections present:
 * "V. Hạn chế, yếu kém"; returns 0, or -1 when the report has no such section. */
int report_heading(const json_t *doc, const char *key, buf *out);
/* Appends a number with at most `decimals` decimals in the process language ("1.234,5"). */
int report_num(buf *out, double v, int decimals);

#endif
