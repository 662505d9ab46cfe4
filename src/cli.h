/* cli.h - what every subcommand shares: the command table entry, option parsing that
 * rejects unknown options, opening the store with its model, aligned text tables and
 * writing output to stdout or a file.  Exit codes: 0 ok, 1 failure (bad data, I/O),
 * 2 usage error (unknown option, missing or bad argument). */
#ifndef CHITIEU_CLI_H
#define CHITIEU_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "err.h"
#include "model.h"
#include "store.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary_vi, *summary_en;
} cli_cmd;

/* One accepted option: "--name" with a value (dest) or a flag (flag). */
typedef struct cli_opt {
    const char *name;      /* "--unit"; a one-letter alias may follow as "-o" in alias */
    const char *alias;     /* NULL or "-o" */
    const char **dest;     /* receives the value, or NULL for a flag */
    int *flag;             /* set to 1 when present, or NULL */
} cli_opt;

/* Parses argv[1..] against opts ("--x v", "--x=v", flags); positional arguments are
 * compacted into argv[1..*npos]; "--help"/"-h" sets *help.  Prints a clear message and
 * returns EXIT_USAGE for an unknown option or a missing value, else 0. */
int cli_parse(int argc, char **argv, const cli_opt *opts, int *npos, int *help);
/* Prints a usage error and returns EXIT_USAGE when npos > 0, else returns 0. */
int cli_no_args(const char *cmd, int npos);
/* Returns 0 when fmt is one of the '|'-separated choices ("md|html|json"), else prints a usage
 * error naming them and returns EXIT_USAGE. */
int cli_format(const char *cmd, const char *fmt, const char *choices);
/* Prints "chitieu CMD: message" to stderr. */
void cli_error(const char *cmd, const char *msg);
/* Opens the store at --db (or default), loads its model and builds its engine; on failure
 * prints and returns -1. */
int cli_open(const char *cmd, const char *db, store **s, model **m);
/* Like cli_open, loading targets and values only as what asks (STORE_*); the engine is built
 * only when values are loaded. */
int cli_open_part(const char *cmd, const char *db, int what, store **s, model **m);
/* How cli_open_unit may read a unit whose cells are a large part of the database: from an engine
 * image (engine_image_db.h), read only, never written. */
typedef struct cli_unit_load {
    const char *image;     /* --engine-image: a file, "none", or NULL for DB.engine beside a SQLite
                              database when it exists (none for PostgreSQL) */
    int from_image;        /* out: 1 when the cells came from the image (caught up to the database) */
    int64_t image_gen;     /* out: then the image's generation */
} cli_unit_load;
/* Like cli_open for the evaluation, report or export of the unit with this code: loads the
 * catalogue and the cells of the units it reads only (eval_units_needed), in one snapshot, and
 * builds the engine over them (more than a quarter of the units: every cell, in one pass); an
 * unknown code loads the catalogue.  When those are more than 1/CLI_IMAGE_FROM of the units (a
 * commune or more), the engine image (ld; may be NULL: the default) stands for the cells if it
 * matches the database, else they are read as above, stderr saying why an image was not used. */
#define CLI_IMAGE_FROM 32
int cli_open_unit(const char *cmd, const char *db, const char *unit, cli_unit_load *ld, store **s, model **m);
/* Returns 0 when --engine-image's value (NULL: not given) is usable, else prints why, EXIT_USAGE. */
int cli_image_opt(const char *cmd, const char *image);
/* The help's lines on --engine-image (eval, report, export, template). */
#define CLI_IMAGE_HELP_VI \
    "--engine-image TỆP|none: đơn vị từ cấp xã trở lên (cần số liệu của hơn 1/32 số đơn vị) được tính từ\n" \
    "ảnh engine mà chitieu serve --cells engine ghi (mặc định TỆP_CSDL.engine nếu có) khi ảnh khớp CSDL,\n" \
    "cộng các thay đổi sau đó từ nhật ký thay đổi; ảnh chỉ được đọc. Ảnh không dùng được: đọc CSDL, báo\n" \
    "lý do ra stderr."
#define CLI_IMAGE_HELP_EN \
    "--engine-image FILE|none: a commune or more (a unit needing over 1/32 of the units) is evaluated from\n" \
    "the engine image chitieu serve --cells engine writes (default DB.engine when present) if it matches\n" \
    "the database, with the changes since from the change log; the image is only read. An unusable\n" \
    "image: the database is read and stderr says why."
/* What cli_load_year reads: the year and threads, CSV files read instead of the store (NULL:
 * from the store), and a hook run between the values and the targets (tests). */
typedef struct cli_year_load {
    int year, threads;
    const char *values, *targets;
    void (*between)(void *ctx);
    void *ctx;
    long nv, nt;           /* out: rows read */
    int attempts;          /* out: reads made (more than one when a write came in between) */
} cli_year_load;
/* Opens the store at db, reads the catalogue into *m and the year's values and targets into a new
 * engine *g (no per-cell model maps: the national-scale path).  The database's parts are read on
 * several handles, each in its own snapshot, so the whole read is repeated while a write commits
 * during it; 0, or -1 with e and nothing kept.  The caller closes *s and frees *m and *g. */
int cli_load_year(const char *db, cli_year_load *ld, store **s, model **m, struct engine **g, err_t *e);
/* Resolves a unit code and a period code; prints a clear message and returns -1 if invalid. */
int cli_unit_period(const char *cmd, const model *m, const char *unit, const char *period,
                    int *u, period_t *p);
/* Writes b to the file path (atomically: temp file + rename) or stdout when path is NULL/"-". */
int cli_write(const char *cmd, const char *path, const buf *b);

/* Reads a whole file into out (capped by the buffer's cap); prints and returns -1 on failure. */
int cli_read_file(const char *cmd, const char *path, buf *out);

/* Appends s as one RFC 4180 CSV field (quoted when needed), then ',' or, if last, '\n'. */
void cli_csv_field(buf *b, const char *s, int last);

/* An aligned text table: add cells row by row, then render (columns padded by display width). */
typedef struct cli_table {
    buf cells;            /* cells separated by '\0' */
    int ncols, nrows;
    unsigned right;       /* bitmask of right-aligned columns */
} cli_table;
void cli_table_init(cli_table *t, int ncols, unsigned right_cols);
void cli_table_cell(cli_table *t, const char *s);
void cli_table_render(const cli_table *t, buf *out);
void cli_table_free(cli_table *t);

#endif
