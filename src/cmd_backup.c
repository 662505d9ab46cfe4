/* cmd_backup.c - `chitieu backup` (an online copy of the database, or --verify of a copy) and
 * `chitieu restore` (a verified copy back in place), over store_admin.h.  A backup may be taken
 * while `chitieu serve` runs and writes: the copy is one consistent snapshot. */
#include <stdio.h>

#include "cli.h"
#include "cmd.h"
#include "store_admin.h"

/* Prints what a verification found (schema version, integrity, counts) on stdout. */
static void print_info(const char *path, const store_info *i)
{
    printf(tr("%s: lược đồ phiên bản %d (chương trình: %d), kiểm tra toàn vẹn: %s\n",
              "%s: schema version %d (this program: %d), integrity check: %s\n"),
           path, i->version, STORE_SCHEMA_VERSION, i->integrity);
    printf(tr("  %lld đơn vị, %lld chỉ tiêu, %lld nhiệm kỳ, %lld kế hoạch, %lld số liệu, %lld lần ghi, "
              "%lld dòng lịch sử, %lld người dùng, %lld dòng nhật ký\n",
              "  %lld units, %lld indicators, %lld terms, %lld targets, %lld values, %lld batches, "
              "%lld history rows, %lld users, %lld audit rows\n"),
           i->units, i->indicators, i->terms, i->targets, i->values, i->batches < 0 ? 0 : i->batches,
           i->history < 0 ? 0 : i->history, i->users < 0 ? 0 : i->users, i->audit < 0 ? 0 : i->audit);
}

static void backup_help(void)
{
    puts(tr("Cách dùng: chitieu backup [--db TỆP] -o BẢN_SAO\n"
            "           chitieu backup --verify BẢN_SAO\n"
            "Sao lưu cơ sở dữ liệu thành một tệp (API sao lưu trực tuyến của SQLite: một ảnh chụp nhất quán,\n"
            "máy chủ vẫn chạy và ghi trong lúc sao lưu), rồi kiểm tra bản sao.\n"
            "--verify kiểm tra một bản sao: integrity_check, phiên bản lược đồ, số dòng; mã thoát 1 nếu hỏng\n"
            "hoặc mới hơn chương trình này.  Khôi phục: chitieu restore.",
            "Usage: chitieu backup [--db FILE] -o COPY\n"
            "       chitieu backup --verify COPY\n"
            "Copies the database into one file (SQLite's online backup API: one consistent snapshot, the\n"
            "server may go on running and writing meanwhile), then verifies the copy.\n"
            "--verify checks a copy: integrity_check, schema version, row counts; exit code 1 if it is\n"
            "damaged or newer than this program.  To restore: chitieu restore."));
}

int cmd_backup(int argc, char **argv)
{
    const char *db = NULL, *out = NULL, *verify = NULL;
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--output", "-o", &out, NULL },
                             { "--verify", NULL, &verify, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        backup_help();
        return EXIT_OK;
    }
    if ((rc = cli_no_args("backup", npos)) != 0)
        return rc;
    if ((verify == NULL) == (out == NULL) || (verify && db)) {
        cli_error("backup", tr("cần -o BẢN_SAO (sao lưu) hoặc --verify BẢN_SAO (kiểm tra), không cả hai",
                               "give -o COPY (back up) or --verify COPY (check), not both"));
        return EXIT_USAGE;
    }
    store_info info;
    err_t e;
    if (verify) {
        int ok = store_verify_file(verify, &info, &e) == 0;
        if (info.version > 0)
            print_info(verify, &info);
        if (!ok) {
            cli_error("backup", e.msg);
            return EXIT_FAIL;
        }
        puts(tr("Bản sao dùng được.", "The copy is sound."));
        return EXIT_OK;
    }
    const char *path = store_default_path(db);
    if (store_backup_file(path, out, &e) != 0 || store_verify_file(out, &info, &e) != 0) {
        cli_error("backup", e.msg);
        return EXIT_FAIL;
    }
    printf(tr("Đã sao lưu %s vào %s\n", "Backed up %s into %s\n"), path, out);
    print_info(out, &info);
    return EXIT_OK;
}

int cmd_restore(int argc, char **argv)
{
    const char *db = NULL;
    int help, npos, rc, force = 0;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--force", NULL, NULL, &force }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu restore BẢN_SAO [--db TỆP] [--force]\n"
                "Khôi phục cơ sở dữ liệu từ một bản sao của 'chitieu backup': bản sao được kiểm tra trước\n"
                "(integrity_check, phiên bản lược đồ); bản sao cũ hơn được nâng cấp như khi mở.\n"
                "Không ghi đè một cơ sở dữ liệu đã có dữ liệu, trừ khi có --force.  Hãy dừng máy chủ trước.",
                "Usage: chitieu restore COPY [--db FILE] [--force]\n"
                "Restores the database from a copy made by 'chitieu backup': the copy is checked first\n"
                "(integrity_check, schema version); an older copy is upgraded as on any open.\n"
                "A database already holding data is not overwritten unless --force.  Stop the server first."));
        return EXIT_OK;
    }
    if (npos != 1) {
        cli_error("restore", tr("cần đúng một tệp bản sao", "takes exactly one backup file"));
        return EXIT_USAGE;
    }
    const char *path = store_default_path(db);
    store_info info;
    err_t e;
    if (store_restore_file(argv[1], path, force, &info, &e) != 0) {
        cli_error("restore", e.msg);
        return EXIT_FAIL;
    }
    printf(tr("Đã khôi phục %s từ %s\n", "Restored %s from %s\n"), path, argv[1]);
    print_info(path, &info);
    return EXIT_OK;
}
