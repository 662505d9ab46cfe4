/* cmd_init.c - `chitieu init`: create an empty database with the schema. */
#include <stdio.h>

#include "cli.h"
#include "cmd.h"

int cmd_init(int argc, char **argv)
{
    const char *db = NULL;
    int help, npos;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { 0 } };
    int rc = cli_parse(argc, argv, opts, &npos, &help);
    if (rc)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu init [--db TỆP]\nTạo cơ sở dữ liệu (nếu đã có thì giữ nguyên dữ liệu).",
                "Usage: chitieu init [--db FILE]\nCreates the database (an existing one keeps its data)."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("init", npos)) != 0)
        return rc;
    store *s;
    err_t e;
    if (store_open(store_default_path(db), 1, &s, &e) != 0) {
        cli_error("init", e.msg);
        return EXIT_FAIL;
    }
    store_close(s);
    printf(tr("Đã tạo cơ sở dữ liệu %s\n", "Database ready: %s\n"), store_default_path(db));
    return EXIT_OK;
}
