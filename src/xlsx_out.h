/* xlsx_out.h - Excel workbooks out (libxlsxwriter): the evaluation of a unit and period, and
 * the data-entry template for one unit and period that `chitieu import` reads back.
 *
 * Template layout (a contract with import): sheet "Nhập số liệu"; a hidden header row whose
 * cells are exactly  indicator,unit,period,no,name,measure,target,previous,value,comment ;
 * the next row is the visible Vietnamese header (skipped by import), then one row per
 * indicator; columns A-C (codes) hidden.
 * Import reads the rows whose `value` cell is filled.
 */
#ifndef CHITIEU_XLSX_OUT_H
#define CHITIEU_XLSX_OUT_H

#include "err.h"
#include "model.h"

/* Column names of the template's hidden header row, in order (NULL-terminated). */
extern const char *const xlsx_template_columns[];

/* Writes the evaluation workbook (summary, one sheet per group, child units ranked, and a
 * "Số liệu" sheet of the reported values of the unit and its children in the values import
 * format, so the workbook imports back) to path. */
int xlsx_export(const model *m, int unit, period_t p, const char *path, err_t *e);
/* The same on a structure of units (enum eval_structure, eval.h); xlsx_export uses EVAL_AUTO. */
int xlsx_export_on(const model *m, int unit, period_t p, int structure, const char *path, err_t *e);
/* Writes the data-entry template for (unit, period) to path; *rows receives the row count. */
int xlsx_template(const model *m, int unit, period_t p, const char *path, int *rows, err_t *e);

#endif
