/* import.h - loading CSV files of units, indicators, terms, targets, values and successions.
 *
 * The caller passes the sources (borrowed bytes with a display name), an open
 * store and the model loaded from it: whole, or without its cells (store_load_part),
 * when the stored figures the files name are looked up one by one - the quicker way
 * for files of up to IMPORT_SMALL_LINES lines into a big database.  Every row is checked; rows are applied
 * to the model and written to the store inside one transaction, which commits
 * only if every row of every source is valid and dry_run is off.  On failure
 * (or dry run) the transaction is rolled back and the model must be discarded
 * (reload it from the store).  Errors are appended to `errors`, one per line,
 * each naming the file, row, column, the bad text and what was expected.
 */
#ifndef CHITIEU_IMPORT_H
#define CHITIEU_IMPORT_H

#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "model.h"
#include "store.h"

/* Up to this many lines, an import looks stored figures up one by one (~5 µs each) rather than
 * loading every cell (~0,4 µs each, but all of them: 5 s for a province's 12M). */
#define IMPORT_SMALL_LINES 100000

/* IK_TEMPLATE is the data-entry workbook of `chitieu template` (xlsx_out.h); its rows count as values. */
enum import_kind { IK_UNKNOWN = 0, IK_UNITS, IK_INDICATORS, IK_TERMS, IK_TARGETS, IK_VALUES, IK_TEMPLATE,
                   IK_SUCCESSIONS, IK_COUNT };

typedef struct import_source {
    const char *name;   /* shown in messages, e.g. the file path */
    const char *data;   /* file bytes (borrowed) */
    size_t len;
} import_source;
/* The number of lines in the n sources (to choose between a whole model and one without cells). */
size_t import_lines(const import_source *src, int n);

typedef struct import_opts {
    int dry_run;        /* check everything, write nothing */
    const char *who;    /* recorded in history */
    int progress;       /* print row counts to stderr while working */
    int max_errors;     /* stop listing after this many (0 = 100) */
    int in_tx;          /* the caller holds the write transaction (write.h): import_run neither
                           begins, commits nor rolls it back */
    /* Called for each target or value the import would change (kind IK_TARGETS or IK_VALUES),
     * and with kind IK_INDICATORS (unit -1, p zero) before an existing indicator's formula,
     * aggregations, unit of measure, decimals or direction change; returns 0 to accept it, or nonzero with
     * the reason appended to why (the row is an error). */
    int (*vet)(void *ctx, const model *m, int kind, int ind, int unit, period_t p, buf *why);
    /* Called before a unit joins the tree, moves or its validity changes (unit -1: a new one;
     * parent: the new parent's index, -1 none or not yet known; validity as unit_t's); the same
     * contract as vet.  NULL: not asked. */
    int (*vet_unit)(void *ctx, const model *m, int unit, int parent, int valid_from, int valid_to, buf *why);
    /* Called before a succession (from, to, date) is added, its share changed or it is dropped
     * (its (from, date) replaced without it); the same contract.  NULL: not asked. */
    int (*vet_succ)(void *ctx, const model *m, int from, int to, int date, buf *why);
    void *vet_ctx;
} import_opts;

typedef struct import_stats {
    long rows[IK_COUNT];     /* data rows read per kind */
    long added[IK_COUNT];    /* new entries per kind */
    long changed[IK_COUNT];  /* entries whose content changed */
    long errors;
    long handed_over;        /* tasks handed to a successor unit by the successions imported */
    int internal;            /* the run failed on the database or memory, not on the files (e
                                says why): callers answer it as a server error, not a bad file */
} import_stats;

/* Imports the sources as one transaction; returns 0 when everything was valid (and, unless
 * dry_run, committed), -1 otherwise with the row errors in `errors` and a summary in e. */
int import_run(store *s, model *m, const import_source *src, int nsrc, const import_opts *o,
               import_stats *st, buf *errors, err_t *e);
/* The kind of file whose header row is given (fields as parsed), or IK_UNKNOWN. */
int import_kind_of(const char *const *names, size_t n);
/* 1 if the cells are the header row of a known kind (for finding it inside a spreadsheet). */
int import_is_header(const char *const *cells, size_t n);
/* Name of a kind ("units", "indicators", ...). */
const char *import_kind_name(int kind);

#endif
