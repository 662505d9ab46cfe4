/* cmd_demo.c - `chitieu demo`: create a database holding the built-in demo data
 * (the CSV files of data/demo, embedded in the binary), loaded through the normal import code. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "web_demo.h"
#include "cmd.h"
#include "demo.h"
#include "demo_class.h"
#include "import.h"
#include "task_import.h"
#include "auth.h"
#include "write.h"


int cmd_demo(int argc, char **argv)
{
    const char *db = NULL;
    int help, npos, force = 0, users = 0, logins = 0, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--force", NULL, NULL, &force },
                             { "--users", NULL, NULL, &users }, { "--logins", NULL, NULL, &logins }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu demo [--db TỆP] [--force] [--users] [--logins]\n"
                "Tạo cơ sở dữ liệu mẫu: Thành ủy Hà Nội, 30 quận, huyện, thị xã nhiệm kỳ 2020–2025,\n"
                "các phường của Ba Đình, Cầu Giấy, Thanh Xuân, chỉ tiêu và số liệu 2021–2023; từ 1/7/2025\n"
                "9 phường mới kế thừa các phường đó, nhiệm kỳ 2025–2030, số liệu 2025–2026 (minh họa).\n"
                "Từ chối ghi đè cơ sở dữ liệu đã có, trừ khi có --force.\n"
                "  --users    chỉ thêm người dùng mẫu còn thiếu vào cơ sở dữ liệu đã có\n"
                "  --logins   in tên đăng nhập và mật khẩu của người dùng mẫu",
                "Usage: chitieu demo [--db FILE] [--force] [--users] [--logins]\n"
                "Creates the demo database: Hanoi Party committee, its 30 districts of the 2020–2025\n"
                "term, the wards of Ba Đình, Cầu Giấy and Thanh Xuân, targets and values 2021–2023; from\n"
                "1/7/2025 nine new wards succeeding them, the 2025–2030 term, 2025–2026 figures (illustrative).\n"
                "Refuses to overwrite an existing database unless --force is given.\n"
                "  --users    only add the missing demo users to an existing database\n"
                "  --logins   print the demo users' logins and passwords"));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("demo", npos)) != 0)
        return rc;
    const char *path = store_default_path(db);
    if (logins) {
        printf("%s\n", tr("Người dùng mẫu (chỉ để thử, đừng dùng cho dữ liệu thật):",
                          "Demo users (for trying out only, never for real data):"));
        for (const web_demo_user *d = web_demo_users_list; d->login; d++)
            printf("  %-14s %-16s %-9s %s\n", d->login, d->password, d->role, d->unit);
        return EXIT_OK;
    }
    if (users) {
        store *us = NULL;
        model *um = NULL;
        err_t ue;
        if (cli_open("demo", path, &us, &um) != 0)
            return EXIT_FAIL;
        rc = web_demo_users(us, um, &ue) == 0 ? EXIT_OK : EXIT_FAIL;
        if (rc != EXIT_OK)
            cli_error("demo", ue.msg);
        store_close(us);
        model_free(um);
        return rc;
    }
    err_t xe;
    int exists = store_exists(path, &xe);
    if (exists < 0) {
        cli_error("demo", xe.msg);
        return EXIT_FAIL;
    }
    if (exists) {
        if (!force) {
            fprintf(stderr, tr("chitieu demo: '%s' đã có; dùng --force để tạo lại\n",
                               "chitieu demo: '%s' exists; use --force to recreate it\n"), path);
            return EXIT_FAIL;
        }
        if (store_remove(path, &xe) != 0) {
            cli_error("demo", xe.msg);
            return EXIT_FAIL;
        }
    }
    /* The embedded CSV files are the data set (the binary also carries web assets). */
    int n = 0;
    import_source src[64];
    for (int i = 0; embedded_files[i].name && n < 64; i++) {
        size_t len = strlen(embedded_files[i].name);
        if (len > 4 && strcmp(embedded_files[i].name + len - 4, ".csv") == 0 && !demo_class_file(embedded_files[i].name))
            src[n++] = (import_source){ embedded_files[i].name, embedded_files[i].data, embedded_files[i].len };
    }
    store *s = NULL;
    model *m = model_new();
    buf errors = BUF_INIT;
    import_stats st;
    err_t e;
    rc = EXIT_FAIL;
    if (m == NULL || store_open(path, 1, &s, &e) != 0) {
        cli_error("demo", m ? e.msg : "out of memory");
        goto cleanup;
    }
    /* Programmes and tasks have their own importer, run after the figures (they name units). */
    int ntask = 0;
    import_source tsrc[8];
    for (int k = 0; k < n; k++)
        if (task_import_kind(src[k].data, src[k].len) != TI_NONE && ntask < 8) {
            tsrc[ntask++] = src[k];
            memmove(&src[k], &src[k + 1], (size_t)(n - k - 1) * sizeof *src);
            n--, k--;
        }
    import_opts o = { .who = "demo", .progress = isatty(2) };
    write_actor a = { "demo", ROLE_ADMIN, -1, "demo", 0, 0 };
    model_free(m);                  /* write_import loads its own, inside its transaction */
    m = NULL;
    if (write_import(s, &a, src, n, &o, &st, &errors, &m, &e) != 0) {
        fputs(buf_str(&errors), stderr);
        cli_error("demo", e.msg);
        goto cleanup;
    }
    task_set ts = { 0 };
    long trows = 0;
    int trc = ntask ? task_import(s, m, &ts, tsrc, ntask, 0, &errors, &trows, &e) : 0;
    task_set_free(&ts);
    if (trc != 0) {
        fputs(buf_str(&errors), stderr);
        cli_error("demo", e.msg);
        goto cleanup;
    }
    if (web_demo_users(s, m, &e) != 0 || demo_class_round(s, m, &e) != 0) {
        cli_error("demo", e.msg);
        goto cleanup;
    }
    printf(tr("Đã tạo cơ sở dữ liệu mẫu %s\n", "Demo database created: %s\n"), path);
    cmd_import_summary(&st, 0);
    if (trows)
        printf(tr("  chương trình, nhiệm vụ %ld dòng\n", "  programmes, tasks %ld rows\n"), trows);
    rc = EXIT_OK;
cleanup:
    buf_free(&errors);
    store_close(s);
    model_free(m);
    return rc;
}
