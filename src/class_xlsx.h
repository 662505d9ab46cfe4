/* class_xlsx.h - the classification round of a year as an Excel workbook (class_xlsx.c). */
#ifndef CHITIEU_CLASS_XLSX_H
#define CHITIEU_CLASS_XLSX_H

#include "class_round.h"

/* Writes to path the summary per unit of root's subtree (grades and rates, complete or marked
 * incomplete) and the list of subjects with their steps; members are listed only when a may see
 * them (a NULL: none).  Returns 0 or -1 (e says why). */
int class_xlsx_write(store *s, const model *m, int year, int root, const class_actor *a, const char *path, err_t *e);

#endif
