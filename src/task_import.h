/* task_import.h - importing programmes.csv and tasks.csv (formats in docs/formats.md). */
#ifndef CHITIEU_TASK_IMPORT_H
#define CHITIEU_TASK_IMPORT_H

#include "buf.h"
#include "import.h"
#include "model.h"
#include "store.h"
#include "task.h"
#include "store_task.h"
#include "store_web.h"

enum { TI_NONE = 0, TI_PROGRAMMES, TI_TASKS };

/* Which of the two formats the CSV text's header row is (TI_NONE when neither). */
int task_import_kind(const char *data, size_t len);
/* 1 if the cells are the header row of programmes.csv or tasks.csv (inside a spreadsheet). */
int task_is_header(const char *const *cells, size_t n);
/* 1 if the cells are the header row of any file `chitieu import` reads (figures or tasks). */
int import_any_header(const char *const *cells, size_t n);
/* Checks every row of the sources against m (units, indicators) and ts (the items already
 * stored, which it updates), then writes them in one transaction unless dry_run or any row
 * is wrong; errors go to errors, one per line, naming file, row, column, text and what was
 * expected.  *rows gets the rows read.  Returns 0 when all rows were valid. */
int task_import(store *s, const model *m, task_set *ts, const import_source *src, int n, int dry_run,
                buf *errors, long *rows, err_t *e);
/* task_import, writing the audit entry (by who) in the same transaction as the items when audit
 * is not NULL (a crash keeps both or neither). */
int task_import_audited(store *s, const model *m, task_set *ts, const import_source *src, int n, int dry_run,
                        const char *who, const store_audit_row *audit, buf *errors, long *rows, err_t *e);

#endif
