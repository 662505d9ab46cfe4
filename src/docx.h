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
#include "buf.h"
#include "err.h"

/* DOCX_AUTO: the unit's own style (docx_style_of), Party when it cannot tell. */
enum docx_style { DOCX_PARTY = 0, DOCX_STATE = 1, DOCX_AUTO = 2 };

/* The style a unit's documents take from its type or name: DOCX_STATE for a people's committee
 * ("UBND ...", "Ủy ban nhân dân ..."), DOCX_PARTY for a Party body ("Quận ủy", "Đảng ủy", "Chi
 * bộ" ...), -1 when neither. */
int docx_style_of(const char *type, const char *name);
/* Appends the Party organisation a committee leads, the superior line of a Party document's header
 * ("Thành ủy Hà Nội" -> "Đảng bộ thành phố Hà Nội"); other names unchanged. */
void docx_party_superior(const char *parent_name, buf *out);
/* Writes the report document `doc` (from report_build) to path in the given style; a style that
 * contradicts the unit's own (a Party committee's report as a state document, or the reverse)
 * is refused with a message naming the unit. */
int docx_write(const json_t *doc, int style, const char *path, err_t *e);
/* Converts the Word file `docx` (ending in ".docx") to PDF at `pdf` with LibreOffice headless,
 * its profile in profile_dir (an absolute directory; NULL: /tmp/chitieu-lo-PID); returns 0, or
 * -1 with a message (LibreOffice missing or failing). */
int docx_to_pdf(const char *docx, const char *pdf, const char *profile_dir, err_t *e);

/* Pieces for other documents in the same layout (class_docx.c): WordprocessingML appended to b. */
enum { DOCX_AL_LEFT, DOCX_AL_CENTER, DOCX_AL_RIGHT, DOCX_AL_BOTH };
enum { DOCX_BOLD = 1, DOCX_ITALIC = 2, DOCX_UNDER = 4, DOCX_INDENT = 8, DOCX_KEEP = 16 };
/* One paragraph of one run: size in points, flags DOCX_BOLD..., space after in points. */
void docx_para(buf *b, const char *text, int align, int size, int flags, int after);
/* Appends the upper case of UTF-8 Vietnamese text s to out. */
void docx_upper(const char *s, buf *out);
/* Opens a table of n columns of widths w (twips), with borders or not; close with "</w:tbl>". */
void docx_table_open(buf *b, const int *w, int n, int borders);
/* A header row repeated on every page the table runs onto. */
void docx_head_row(buf *b, const int *w, const char *const *titles, int n);
/* A table cell holding one 12-point paragraph; shade fills it as a header cell. */
void docx_cell(buf *b, int width, const char *text, int align, int flags, int shade);
/* The document number suffix of an issuing body's type ("Quận ủy" -> "QU"). */
const char *docx_abbrev(const char *type);
/* Writes a document whose body is `body` (paragraphs and tables, no pictures) in the report's page
 * layout (A4, page numbers from page 2) to path, through a temporary file; 0 or -1 (e says why). */
int docx_save(const char *body, size_t len, const char *title, const char *path, err_t *e);

#endif
