/* cmd.h - the subcommands; each lives in its own cmd_NAME.c and takes main's argv
 * shifted so that argv[0] is the subcommand name.  Each returns an exit code (cli.h). */
#ifndef CHITIEU_CMD_H
#define CHITIEU_CMD_H

#include <stddef.h>

int cmd_init(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_approval(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_indicators(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_rollup(int argc, char **argv);
int cmd_tasks(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_ics(int argc, char **argv);
int cmd_settings(int argc, char **argv);
int cmd_class(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_deadlines(int argc, char **argv);
int cmd_completeness(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
/* `chitieu remind --reporting` (cmd_remind passes its argv on). */
int cmd_remind_reporting(int argc, char **argv);

struct store;
struct model;
struct task_set;
/* Shared by tasks, remind, ics: --today (NULL = the clock's date) as yyyymmdd; prints and -1 if bad. */
int cmd_tasks_today(const char *cmd, const char *s, int *today);
/* Opens the store, its model and its work items; prints and returns -1 on failure. */
int cmd_tasks_open(const char *cmd, const char *db, struct store **s, struct model **m, struct task_set *ts);


struct import_stats;
/* Prints what an import did (or would do); shared by import and demo. */
void cmd_import_summary(const struct import_stats *st, int dry_run);

/* Decodes legacy Vietnamese bytes to NFC UTF-8 into out (enc < 0: detect); *used gets the
 * encoding read; on error e names the file. */
typedef struct buf buf;
typedef struct err err_t;
int cmd_decode_text(const char *name, const char *data, size_t len, int enc, int upper, buf *out,
                    int *used, err_t *e);

#endif
