/* audit.h - how an audit log entry (store_web.h) reads to a person, shared by the web page
 * (/admin/audit) and `chitieu history`: the kinds one may filter by and their names, and the
 * detail of a change with its figures printed exactly in the current language.  Pure text
 * building: no I/O, nothing kept. */
#ifndef CHITIEU_AUDIT_H
#define CHITIEU_AUDIT_H

#include "buf.h"
#include "store_web.h"

/* The kinds audit_filter.kind takes, in display order, and how many. */
extern const char *const audit_kinds[];
extern const int audit_nkinds;
/* 1 if k is one of audit_kinds. */
int audit_kind_ok(const char *k);
/* The name of an action or kind in the current language ("sửa số liệu"); unknown ones as given. */
const char *audit_kind_name(const char *k);
/* Appends v exactly as stored (up to 9 decimals, 15 significant digits, never an exponent) in
 * the current language's format ("1.234.567,8"). */
void audit_num(buf *b, double v);
/* Appends a stored UTC time ("2026-12-05T18:30:00Z") as Vietnam's local time with seconds in the
 * current language ("6/12/2026 01:30:00", "2026-12-06 01:30:00": vn_format_time_s), the local
 * day the date filters (audit_filter.from/to) compare; a value that is not such a time as stored. */
void audit_time(buf *b, const char *at_utc);
/* The header of that column in the current language, naming the zone. */
const char *audit_time_header(void);
/* Appends the detail of an entry: "old → new" for a figure, "chỉ sửa ghi chú: «a» → «b»" when
 * only the comment changed, "xóa 12; lý do: …" for a deletion, the stored detail otherwise. */
void audit_detail(const web_audit *a, buf *b);

#endif
