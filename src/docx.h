/* docx.h - the review report as a Word document (OOXML written with libzip), laid out as a
 * Party document (Hướng dẫn 36-HD/VPTW) or a state document (Nghị định 30/2020/NĐ-CP).
 *
 * docx_write() lays out a report built by report_build() (report.h): header block (for a
 * Party document "ĐẢNG CỘNG SẢN VIỆT NAM", superior and issuing bodies, number, place and date
 * in italics), "BÁO CÁO" and the summary line, numbered sections with the summary paragraphs,
 * real Word tables with repeated header rows, the units below ranked, and the signature block
 * with placeholders (kept on the page of the last paragraph); charts (units below ranked, trend) as pictures drawn with cairo;
 * A4, Times New Roman, page numbers centred at the top from page 2.  The
 * file is written to a temporary name and renamed, so a failure leaves nothing half-written.
 */
#ifndef CHITIEU_DOCX_H
#define CHITIEU_DOCX_H

#include <jansson.h>
#include "err.h"

/* DOCX_AUTO: the unit's own style (docx_style_of), Party when it cannot tell. */
enum docx_style { DOCX_PARTY = 0, DOCX_STATE = 1, DOCX_AUTO = 2 };

/* The style a unit's documents take from its type or name: DOCX_STATE for a people's committee
 * ("UBND ...", "Ủy ban nhân dân ..."), DOCX_PARTY for a Party body ("Quận ủy", "Đảng ủy", "Chi
 * bộ" ...), -1 when neither. */
int docx_style_of(const char *type, const char *name);
/* Writes the report document `doc` (from report_build) to path in the given style; a style that
 * contradicts the unit's own (a Party committee's report as a state document, or the reverse)
 * is refused with a message naming the unit. */
int docx_write(const json_t *doc, int style, const char *path, err_t *e);
/* Converts the Word file `docx` (ending in ".docx") to PDF at `pdf` with LibreOffice headless,
 * its profile in profile_dir (an absolute directory; NULL: /tmp/chitieu-lo-PID); returns 0, or
 * -1 with a message (LibreOffice missing or failing). */
int docx_to_pdf(const char *docx, const char *pdf, const char *profile_dir, err_t *e);

#endif
