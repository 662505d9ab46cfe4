/* docx.h - the review report as a Word document (OOXML written with libzip), laid out as a
 * Party document (Hướng dẫn 36-HD/VPTW) or a state document (Nghị định 30/2020/NĐ-CP).
 *
 * docx_write() lays out a report built by report_build() (report.h): header block (for a
 * Party document "ĐẢNG CỘNG SẢN VIỆT NAM", superior and issuing bodies, number, place and date
 * in italics), "BÁO CÁO" and the summary line, numbered sections with the summary paragraphs,
 * real Word tables with repeated header rows, the units below ranked, and the signature block
 * with placeholders; charts (units below ranked, trend) as pictures drawn with cairo;
 * A4, Times New Roman, page numbers centred at the top from page 2.  The
 * file is written to a temporary name and renamed, so a failure leaves nothing half-written.
 */
#ifndef CHITIEU_DOCX_H
#define CHITIEU_DOCX_H

#include <jansson.h>
#include "err.h"

enum docx_style { DOCX_PARTY = 0, DOCX_STATE = 1 };

/* Writes the report document `doc` (from report_build) to path in the given style. */
int docx_write(const json_t *doc, int style, const char *path, err_t *e);

#endif
