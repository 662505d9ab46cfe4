/* main.c - the chitieu command: a table of subcommands, dispatched by name.
 * main() sets the message language from the environment (or --lang) once, before any
 * subcommand runs; nothing below main exits the process. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "store.h"

#define CHITIEU_VERSION "0.1.0"

static const cli_cmd commands[] = {
    { "init", cmd_init, "tạo cơ sở dữ liệu rỗng", "create an empty database" },
    { "import", cmd_import, "nhập tệp CSV, Excel (đơn vị, chỉ tiêu, kế hoạch, số liệu) trong một giao dịch",
      "import CSV and Excel files (units, indicators, targets, values) as one transaction" },
    { "approval", cmd_approval, "gửi, duyệt, trả lại, mở khóa số liệu của một đơn vị, một kỳ; danh sách",
      "submit, approve, return, unlock the data of a unit and period; list them" },
    { "deadlines", cmd_deadlines, "hạn nộp báo cáo, khoảng số liệu, ngày nhắc, máy chủ thư (thiết lập)",
      "report deadlines, data cut-off, reminder days, mail server (settings)" },
    { "completeness", cmd_completeness, "đơn vị nào đã báo cáo, đúng hạn hay trễ, còn thiếu gì",
      "which units have reported, on time or late, and what is missing" },
    { "units", cmd_units, "liệt kê cây đơn vị", "list the unit tree" },
    { "indicators", cmd_indicators, "liệt kê các chỉ tiêu", "list the indicators" },
    { "eval", cmd_eval, "đánh giá chỉ tiêu của một đơn vị trong một kỳ",
      "evaluate a unit's indicators for a period" },
    { "report", cmd_report, "lập báo cáo sơ kết, tổng kết (md, html, json, docx, pdf)",
      "write the review report (md, html, json, docx, pdf)" },
    { "export", cmd_export, "xuất kết quả đánh giá ra Excel (.xlsx)", "export the evaluation to Excel (.xlsx)" },
    { "template", cmd_template, "tạo biểu nhập số liệu Excel cho một đơn vị, một kỳ",
      "write an Excel data-entry sheet for one unit and period" },
    { "convert", cmd_convert, "chuyển văn bản mã cũ (TCVN3, VNI, VIQR) sang Unicode",
      "convert legacy Vietnamese text (TCVN3, VNI, VIQR) to Unicode" },
    { "history", cmd_history, "lịch sử thay đổi một số liệu", "change history of one figure" },
    { "serve", cmd_serve, "chạy ứng dụng web và API", "run the web application and API" },
    { "user", cmd_user, "quản lý người dùng web (add, passwd, list, disable)",
      "manage web users (add, passwd, list, disable)" },
    { "token", cmd_token, "cấp mã truy cập API cho hệ thống khác", "issue an API token for another system" },
    { "tasks", cmd_tasks, "liệt kê nhiệm vụ, trạng thái và hạn", "list tasks with their status and deadlines" },
    { "remind", cmd_remind, "bản nhắc việc hằng ngày theo đơn vị chủ trì", "daily reminder digest per lead unit" },
    { "rules", cmd_rules, "quy tắc kiểm tra giữa các chỉ tiêu, ngưỡng bất thường (import, list, delete)",
      "validation rules between indicators, outlier bounds (import, list, delete)" },
    { "validate", cmd_validate, "kiểm tra số liệu một cây đơn vị, một kỳ: vi phạm quy tắc, số liệu bất thường",
      "check a unit subtree's figures for a period: rule violations, outliers" },
    { "ics", cmd_ics, "lịch hạn nhiệm vụ của một đơn vị (iCalendar .ics)", "a unit's task deadlines as iCalendar (.ics)" },
    { "class", cmd_class, "đánh giá, xếp loại chất lượng hằng năm (366-QĐ/TW)", "annual quality classification (366-QĐ/TW)" },
    { "rollup", cmd_rollup, "cả cây đơn vị một lượt: chỉ tiêu đạt, vượt và thứ hạng trong cấp",
      "the whole unit tree at once: targets met, exceeded and rank among siblings" },
    { "settings", cmd_settings, "thiết lập của cơ sở dữ liệu (số tổng hợp chưa đủ: đánh dấu hay không hiện)",
      "database settings (partial roll-ups: marked or withheld)" },
    { "backup", cmd_backup, "sao lưu cơ sở dữ liệu khi máy chủ vẫn chạy; kiểm tra bản sao (--verify)",
      "back up the database while the server runs; check a copy (--verify)" },
    { "restore", cmd_restore, "khôi phục cơ sở dữ liệu từ bản sao đã kiểm tra",
      "restore the database from a checked copy" },
    { "gen", cmd_gen, "sinh dữ liệu giả lập theo quy mô (S, M, L) để đo hiệu năng",
      "generate synthetic data by scale (S, M, L) for benchmarks" },
    { "demo", cmd_demo, "tạo cơ sở dữ liệu mẫu (Hà Nội, nhiệm kỳ 2020–2025)",
      "create the demo database (Hanoi, term 2020–2025)" },
    { NULL, NULL, NULL, NULL },
};

static void usage(FILE *f)
{
    fprintf(f, "%s\n\n%s: chitieu [--lang vi|en] %s [%s] [--help]\n\n%s:\n",
            tr("chitieu — theo dõi, đánh giá chỉ tiêu nghị quyết", "chitieu — target monitoring for public organisations"),
            tr("Cách dùng", "Usage"), tr("LỆNH", "COMMAND"), tr("TÙY CHỌN", "OPTIONS"),
            tr("Các lệnh", "Commands"));
    for (const cli_cmd *c = commands; c->name; c++)
        fprintf(f, "  %-11s %s\n", c->name, tr(c->summary_vi, c->summary_en));
    fprintf(f, "\n%s\n%s\n",
            tr("Cơ sở dữ liệu: --db TỆP, biến CHITIEU_DB, mặc định ./chitieu.db.",
               "Database: --db FILE, variable CHITIEU_DB, default ./chitieu.db."),
            tr("Mã thoát: 0 thành công, 1 thất bại (dữ liệu sai, lỗi đọc ghi), 2 sai cách dùng.",
               "Exit codes: 0 success, 1 failure (bad data, I/O error), 2 usage error."));
}

int main(int argc, char **argv)
{
    lang_init();
    store_global_init();
    int i = 1;
    while (i < argc && strncmp(argv[i], "--lang", 6) == 0) {
        const char *v = argv[i][6] == '=' ? argv[i] + 7 : i + 1 < argc ? argv[++i] : "";
        if (strcmp(v, "en") == 0)
            lang_set(LANG_EN);
        else if (strcmp(v, "vi") == 0)
            lang_set(LANG_VI);
        else {
            fprintf(stderr, "chitieu: --lang vi|en\n");
            return EXIT_USAGE;
        }
        i++;
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("chitieu %s\n", CHITIEU_VERSION);
        return EXIT_OK;
    }
    if (strcmp(name, "--hint-demo") == 0) {
        puts(tr("Các báo cáo mẫu khác:\n"
                "  build/chitieu report --unit ba-dinh --period 2022\n"
                "  build/chitieu report --unit thanh-xuan --period 2020-2022\n"
                "  build/chitieu report --unit ha-noi --period 2022 --format html -o bao-cao.html\n"
                "  build/chitieu eval --unit cau-giay --period 2022\n"
                "  build/chitieu units    |    build/chitieu --help",
                "Other demo reports:\n"
                "  build/chitieu report --unit ba-dinh --period 2022\n"
                "  build/chitieu report --unit thanh-xuan --period 2020-2022\n"
                "  build/chitieu report --unit ha-noi --period 2022 --format html -o report.html\n"
                "  build/chitieu eval --unit cau-giay --period 2022\n"
                "  build/chitieu units    |    build/chitieu --help"));
        return EXIT_OK;
    }
    for (const cli_cmd *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - i, argv + i);
    fprintf(stderr, tr("chitieu: không có lệnh '%s' (xem 'chitieu --help')\n",
                       "chitieu: unknown command '%s' (see 'chitieu --help')\n"), name);
    return EXIT_USAGE;
}
