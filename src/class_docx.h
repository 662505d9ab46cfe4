/* class_docx.h - the classification round of a year as a Word document in the Party layout
 * (class_docx.c): the report of results per unit and the list of proposed grades for the
 * decision. */
#ifndef CHITIEU_CLASS_DOCX_H
#define CHITIEU_CLASS_DOCX_H

#include "class_round.h"

/* Writes to path one document (Hướng dẫn 36-HD/VPTW layout, via docx.h): "BÁO CÁO kết quả đánh giá,
 * xếp loại chất lượng năm Y" with the table of results per unit of root's subtree (counts by grade
 * and the rate of tốt and above, or "chưa đủ" while a subject is undecided), then on a new page
 * "DANH SÁCH đề nghị xếp loại" grouped by kind of subject (self-assessed grade, appraisal score,
 * proposed grade, decision taken, over the quota); members are listed only when a may see them
 * (a NULL: none).  Returns 0 or -1 (e says why); nothing is left half-written. */
int class_docx_write(store *s, const model *m, int year, int root, const class_actor *a, const char *path, err_t *e);

#endif
