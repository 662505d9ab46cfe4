/* liberr.h - the messages of the libraries chitieu calls (jansson, expat, libzip, SQLite, the C
 * library's errno), in the user's language: English is the library's own text, Vietnamese a
 * translation of what the error means, so no English parser message reaches a Vietnamese user.
 * Each function returns a static string or the library's own (valid until its next call). */
#ifndef CHITIEU_LIBERR_H
#define CHITIEU_LIBERR_H

#include <jansson.h>
#include <zip.h>

/* What went wrong in a JSON text (line and column are the caller's to add). */
const char *liberr_json(const json_error_t *je);
/* What is wrong with an XML text, from expat's error code (enum XML_Error). */
const char *liberr_xml(int code);
/* Why libzip could not open or read an archive. */
const char *liberr_zip(zip_error_t *ze);
/* What SQLite's result code rc means; english is SQLite's message for the English text (NULL:
 * sqlite3_errstr). */
const char *liberr_sqlite(int rc, const char *english);
/* What errno err means (strerror in English). */
const char *liberr_errno(int err);

#endif
