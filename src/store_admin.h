/* store_admin.h - the database as a whole: its schema version and upgrades, online backup,
 * restore and verification (SQLite now; PostgreSQL: see docs/deploy.md).
 *
 * Every database records its schema version in meta('schema_version'); store_open upgrades an
 * older one (a copy taken first, next to it) and refuses a newer one.  Backups are plain
 * SQLite files in rollback-journal mode (one self-contained file), made with SQLite's online
 * backup API from one read snapshot, so a server may go on writing meanwhile.
 */
#ifndef CHITIEU_STORE_ADMIN_H
#define CHITIEU_STORE_ADMIN_H

#include "err.h"
#include "store.h"

/* The schema version this binary writes; every older one has an upgrade step (store_version.c). */
#define STORE_SCHEMA_VERSION 4

/* What a verification found in a database file. */
typedef struct store_info {
    int version;             /* meta('schema_version'); 0 for an empty file */
    long long units, indicators, terms, targets, values, batches, history, users, audit;
    char integrity[256];     /* "ok" or the first problem PRAGMA integrity_check reports */
} store_info;

/* The schema version of an open store (meta('schema_version')); 0 or -1 with a message. */
int store_schema_version(store *s, int *out, err_t *e);

/* Copies the database at db_path into the file dest (replaced atomically: a temporary file
 * next to it, then renamed) with the online backup API from one read snapshot; writers of other
 * connections go on meanwhile.  dest ends in rollback-journal mode.  0 or -1 with a message. */
int store_backup_file(const char *db_path, const char *dest, err_t *e);

/* Checks the database file at path without changing it: PRAGMA integrity_check, schema version
 * and row counts into *out.  Returns 0 when it is a sound chitieu database this binary can open
 * (integrity "ok", a version not newer than STORE_SCHEMA_VERSION), else -1 with the reason in e
 * (*out filled as far as it got). */
int store_verify_file(const char *path, store_info *out, err_t *e);

/* Replaces the database at db_path with the verified backup file src (online backup API into the
 * destination, then WAL mode and any schema upgrade through store_open).  A db_path holding any
 * unit, indicator, figure or user (or not readable as a chitieu database) is refused unless
 * force.  *out receives the restored database's verification.  0 or -1 with a message. */
int store_restore_file(const char *src, const char *db_path, int force, store_info *out, err_t *e);

#endif
