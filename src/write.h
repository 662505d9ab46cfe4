/* write.h - the one door for every change of figures: values, targets, file imports and the
 * approval steps that lock them.  The web form, the JSON API, `chitieu import`, the web
 * import (CSV and xlsx templates), the admin target form and `chitieu approval` are thin
 * adapters over these functions.
 *
 * Every call runs one write transaction (queued behind other writers, see write_begin) and,
 * inside it: reads the current state from the database (never from a possibly stale model),
 * checks the actor's permission, the locks, `expected` (optimistic concurrency) and the
 * limits, writes every change with its history (and audit rows for approval steps), commits,
 * and only then updates the caller's model and engine.  A problem in any row refuses the
 * whole call: nothing is written.
 *
 * Locks: an approved or submitted (unit, period) (the `submission` table, store_web.h)
 * protects every value it is made of: its own unit's and every descendant unit's values for
 * that period and every period within it, whatever the indicator (so the operands of its
 * formulas too).  Only an administrator's unlock (with a reason) lifts it.
 */
#ifndef CHITIEU_WRITE_H
#define CHITIEU_WRITE_H

#include "buf.h"
#include "err.h"
#include "import.h"
#include "model.h"
#include "store.h"
#include "store_web.h"

/* Who writes: the rights are those of a web user (auth.h); unit -1 means the whole tree (the
 * command line, whose user can write the database file anyway). */
typedef struct write_actor {
    const char *login;       /* recorded in history and audit */
    int role;                /* enum role (auth.h) */
    int unit;                /* the user's unit index in the model, -1 = every unit */
    const char *source;      /* history's source: "web", "api", a file name */
    int wait_s;              /* how long to queue behind other writers (0 = 600 s) */
    int progress;            /* say on stderr while waiting for another writer */
} write_actor;

enum write_kind { WRITE_VALUE = 0, WRITE_TARGET = 1 };

/* One figure to write (model indexes). */
typedef struct write_row {
    int kind;                /* enum write_kind */
    int ind, unit;
    period_t p;
    double v;
    const char *comment;     /* values: NULL keeps the stored comment, "" removes it */
    const char *expected;    /* NULL: no check; "": no figure expected; else the figure the
                                caller read (a C-locale number, "%.17g") */
    const char *typed;       /* the text the user typed (messages only), or NULL */
} write_row;

/* Called around the in-memory update after the commit (a web server takes its model's write
 * lock there); both may be NULL. */
typedef struct write_sink {
    void (*begin)(void *ctx);
    void (*end)(void *ctx);
    void *ctx;
} write_sink;

/* Starts the write transaction, waiting (up to a->wait_s, saying so on stderr when
 * a->progress) while another process writes; returns 0 or -1 with a message. */
int write_begin(store *s, const write_actor *a, err_t *e);

/* Every lock (submitted or approved data set) of a database, by unit. */
typedef struct write_locks write_locks;
/* Reads the locks (inside the caller's transaction); the caller frees with write_locks_free. */
int write_locks_load(store *s, const model *m, write_locks **out, err_t *e);
/* 1 if the values (targets = 0) or targets (1) of (unit, p) are protected by a lock (copied to
 * *hit when non-NULL): of the unit or one above it, or, for values of a period starting before a
 * succession, of a successor (or one above it); else 0. */
int write_locks_find(const write_locks *l, const model *m, int targets, int unit, period_t p, web_sub *hit);
/* Frees the locks (NULL is fine). */
void write_locks_free(write_locks *l);
/* One-off form of the two above for values (reads only the submissions of the unit and the units
 * above it: one statement for up to 8 levels); 1 locked, 0 not, -1 error. */
int write_locked(store *s, const model *m, int unit, period_t p, web_sub *hit, err_t *e);
/* Appends the lock's description ("approved by X at T for unit U, period P") to b. */
void write_lock_text(const web_sub *l, buf *b);

/* Writes the n rows as one transaction (see the top of this file); the caller's errs may
 * already hold problems (then nothing is written).  Problems are appended to errs as
 * "ROW\tFIELD\tMESSAGE\n" (FIELD: unit, indicator, value, comment, expected, locked); on
 * success *changed gets the number of figures changed and *outside is set when one lies in a
 * year m's engine does not hold (rebuild it).  Returns 0 (written, or refused with errs
 * filled) or -1 (internal error in e). */
int write_values(store *s, model *m, const write_actor *a, const write_row *rows, int n,
                 const write_sink *sink, buf *errs, int *changed, int *outside, err_t *e);

/* Deletes the stored values of the n rows (kind WRITE_VALUE; v, comment and typed unused;
 * expected as for write_values) as one transaction, with the same rights and locks as a write:
 * each deletion is kept in the history with the reason and written to the audit log.  A row
 * whose value is not stored is refused (field "value").  Problems go to errs as write_values
 * says; *deleted gets the count.  Returns 0 (done, or refused with errs filled), WRITE_INVALID
 * (the reason is missing or longer than 500 characters; message in e) or -1 (internal error). */
int write_delete(store *s, model *m, const write_actor *a, const write_row *rows, int n, const char *reason,
                 const write_sink *sink, buf *errs, int *deleted, err_t *e);

/* Brings model cell (ind, unit, p), a target (targets != 0) or a value, to what the database
 * now holds (now; NULL: nothing stored, a deleted value) and updates the engine; *outside gets 1
 * when the engine does not hold p (its caller rebuilds it).  The one place the model and engine
 * follow a committed change: write_values, write_delete and other servers' changes (web_feed.c).
 * Returns 0, 1 when it cannot be done in place (a target removed), or -1 (e says why). */
int write_apply_cell(model *m, int targets, int ind, int unit, period_t p, const cell_t *now, int *outside,
                     err_t *e);

/* Imports the sources as one transaction through import_run: the model is loaded INSIDE the
 * transaction (whole for large files, the catalogue only for small ones), so every row is
 * compared with the figures as they are; each change is checked against the actor's rights
 * (non-administrators: values only, in their units) and the locks.  On success the model is
 * handed to *out when out is non-NULL (else freed).  Returns import_run's result; on a failure of
 * the database or memory (not of a row) st->internal is set. */
int write_import(store *s, const write_actor *a, const import_source *src, int nsrc,
                 const import_opts *o, import_stats *st, buf *errors, model **out, err_t *e);

/* write_values and write_import that also write the audit entry (by a->login; detail NULL: the
 * number of figures written) inside the same transaction, so a crash keeps both or neither;
 * nothing is audited when nothing is written (refused rows, no change, a dry run). */
int write_values_audited(store *s, model *m, const write_actor *a, const store_audit_row *audit,
                         const write_row *rows, int n, const write_sink *sink, buf *errs, int *changed,
                         int *outside, err_t *e);
int write_import_audited(store *s, const write_actor *a, const store_audit_row *audit, const import_source *src,
                         int nsrc, const import_opts *o, import_stats *st, buf *errors, model **out, err_t *e);

/* The submission key of a target set: "targets:" and the period code (the values' key is the
 * period code alone). */
#define WRITE_TARGETS_PREFIX "targets:"
/* The period code of a submission key (past the prefix); *targets tells which set it is. */
const char *write_key_period(const char *key, int *targets);
/* Approval steps on the values (targets = 0) or the targets (1) of (unit, p); approved or
 * submitted targets are locked like values.  Returns 0 done, or a refusal: WRITE_FORBIDDEN (the actor may
 * not), WRITE_CONFLICT (the data set's state does not allow it), WRITE_INVALID (a reason is
 * missing or too long), with the message in e; -1 internal error. */
enum { WRITE_FORBIDDEN = 1, WRITE_CONFLICT = 2, WRITE_INVALID = 3 };
enum write_step { STEP_SUBMIT = 0, STEP_APPROVE, STEP_RETURN, STEP_UNLOCK };
/* Parses "submit", "approve", "return", "unlock"; -1 if none. */
int write_step_parse(const char *s);
int write_approval(store *s, const model *m, const write_actor *a, int step, int targets, int unit,
                   period_t p, const char *reason, err_t *e);
/* write_approval deciding on what the actor saw: expected_at (NULL or "": not checked) is the data
 * set's time of its last step as the actor's page or GET /api/v1/approval showed it; a set sent
 * again, or otherwise moved, since is WRITE_CONFLICT (figures approved unseen). */
int write_approval_seen(store *s, const model *m, const write_actor *a, int step, int targets, int unit,
                        period_t p, const char *reason, const char *expected_at, err_t *e);
/* 0 if the actor may take the step on unit (the data's state aside), else WRITE_FORBIDDEN with
 * the message in e (pages show only the steps a user may take). */
int write_step_allowed(store *s, const model *m, const write_actor *a, int step, int unit, err_t *e);

/* Test hook: the number of write transactions every function here has committed since the
 * process started (tests check that a path went through this module). */
long write_commits(void);

#endif
