/* cmd_class.c - `chitieu class`: the annual quality classification round from the command line.
 * A table of sub-subcommands (criteria, subjects, assess, appraise, decide, list, quota, rates),
 * each with --help; the work is class_round.c's, this file parses options and prints.
 * Members are personal data: they are listed only for a --user allowed to see them. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "class_round.h"
#include "class_docx.h"
#include "class_xlsx.h"
#include "cli.h"
#include "cmd.h"
#include "eval.h"
#include "store_task.h"
#include "vn.h"

typedef struct class_sub {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary_vi, *summary_en;
} class_sub;

/* Parses --year into *year (1990..2100); prints and returns EXIT_USAGE when bad or missing. */
static int opt_year(const char *cmd, const char *s, int *year)
{
    char *end;
    long y = s ? strtol(s, &end, 10) : 0;
    if (s == NULL || *s == '\0' || *end != '\0' || y < 1990 || y > 2100) {
        cli_error(cmd, tr("cần --year NĂM (như 2025)", "--year YEAR (like 2025) is required"));
        return EXIT_USAGE;
    }
    *year = (int)y;
    return 0;
}

/* The day the collective's tasks are counted: --today, else today, but never after 31/12 of year. */
static int opt_asof(const char *cmd, const char *s, int year, int *asof)
{
    if (cmd_tasks_today(cmd, s, asof) != 0)
        return EXIT_USAGE;
    if (*asof > year * 10000 + 1231)
        *asof = year * 10000 + 1231;
    return 0;
}

enum class_file { FILE_CRITERIA, FILE_SUBJECTS, FILE_AWARDS };

/* Imports file path as what (enum class_file) into db and says what was, or would be, written. */
static int read_and_import(const char *cmd, const char *db, const char *path, int what, int dry_run)
{
    buf data = BUF_INIT;
    store *s = NULL;
    model *m = NULL;
    err_t e;
    int rc = EXIT_FAIL, n = 0, nrows = 0;
    if (cli_read_file(cmd, path, &data) != 0 || cli_open_part(cmd, db, 0, &s, &m) != 0)
        goto cleanup;
    const char *text = data.p ? data.p : "";
    int r = what == FILE_SUBJECTS ? class_import_subjects(s, m, path, text, data.len, dry_run, &n, &e)
          : what == FILE_AWARDS   ? class_import_awards(s, path, text, data.len, dry_run, &n, &e)
                                  : class_import_criteria(s, path, text, data.len, dry_run, &n, &nrows, &e);
    if (r != 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    if (what == FILE_SUBJECTS)
        printf(dry_run ? tr("Kiểm tra xong: %d đối tượng, chưa ghi gì\n", "Checked: %d subjects, nothing written\n")
                       : tr("Đã nhập %d đối tượng\n", "Imported %d subjects\n"), n);
    else if (what == FILE_AWARDS)
        printf(dry_run ? tr("Kiểm tra xong: %d khen thưởng, chưa ghi gì\n", "Checked: %d awards, nothing written\n")
                       : tr("Đã nhập %d khen thưởng\n", "Imported %d awards\n"), n);
    else
        printf(dry_run ? tr("Kiểm tra xong: %d bộ tiêu chí, %d dòng, chưa ghi gì\n", "Checked: %d sheets, %d rows, nothing written\n")
                       : tr("Đã nhập %d bộ tiêu chí (%d dòng)\n", "Imported %d sheets (%d rows)\n"), n, nrows);
    rc = EXIT_OK;
cleanup:
    buf_free(&data);
    store_close(s);
    model_free(m);
    return rc;
}

static int criteria_list(const char *db)
{
    store *s = NULL;
    model *m = NULL;
    class_rule_row *rows = NULL;
    err_t e;
    int rc = EXIT_FAIL;
    if (cli_open_part("class criteria", db, 0, &s, &m) != 0)
        goto cleanup;
    int n = store_class_rule_rows(s, &rows, &e);
    if (n < 0) {
        cli_error("class criteria", e.msg);
        goto cleanup;
    }
    buf out = BUF_INIT;
    buf_adds(&out, "year,kind,type,code,name,value\n");
    for (int i = 0; i < n; i++) {
        char y[8];
        snprintf(y, sizeof y, "%d", rows[i].year);
        const char *f[] = { y, class_kind_key(rows[i].kind), rows[i].type, rows[i].code, rows[i].name, rows[i].value };
        for (int k = 0; k < 6; k++)
            cli_csv_field(&out, f[k], k == 5);
    }
    fputs(buf_str(&out), stdout);
    buf_free(&out);
    rc = EXIT_OK;
cleanup:
    free(rows);
    store_close(s);
    model_free(m);
    return rc;
}

/* `class criteria import FILE | list` and `class subjects import FILE`. */
static int files_cmd(int argc, char **argv, int subjects)
{
    const char *cmd = subjects ? "class subjects" : "class criteria", *db = NULL;
    int help, npos, dry = 0, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--dry-run", NULL, NULL, &dry }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        if (subjects)
            puts(tr("Cách dùng: chitieu class subjects import TỆP.csv [--dry-run]\n"
                    "Nhập đối tượng xếp loại (tổ chức đảng, đảng viên): code,kind,name,unit,group,outstanding\n"
                    "(docs/formats.md). Cả tệp trong một giao dịch; --dry-run chỉ kiểm tra.",
                    "Usage: chitieu class subjects import FILE.csv [--dry-run]\n"
                    "Imports the subjects (Party organisations, members): code,kind,name,unit,group,outstanding\n"
                    "(docs/formats.md). The whole file is one transaction; --dry-run only checks."));
        else
            puts(tr("Cách dùng: chitieu class criteria import TỆP.csv [--dry-run] | chitieu class criteria list\n"
                    "Nhập bộ tiêu chí theo năm và loại đối tượng: year,kind,type,code,name,value (docs/formats.md);\n"
                    "mỗi bộ (năm, loại) trong tệp thay bộ đã lưu; bộ đã có kết quả được quyết định thì không đổi được.",
                    "Usage: chitieu class criteria import FILE.csv [--dry-run] | chitieu class criteria list\n"
                    "Imports criteria sheets by year and kind of subject: year,kind,type,code,name,value (docs/formats.md);\n"
                    "each (year, kind) sheet in the file replaces the stored one; a sheet with decided results cannot change."));
        return EXIT_OK;
    }
    if (npos == 1 && !subjects && strcmp(argv[1], "list") == 0)
        return criteria_list(db);
    if (npos != 2 || strcmp(argv[1], "import") != 0) {
        cli_error(cmd, subjects ? tr("cần: import TỆP", "expected: import FILE")
                                : tr("cần: import TỆP hoặc list", "expected: import FILE or list"));
        return EXIT_USAGE;
    }
    return read_and_import(cmd, db, argv[2], subjects ? FILE_SUBJECTS : FILE_CRITERIA, dry);
}

static int cmd_criteria(int argc, char **argv) { return files_cmd(argc, argv, 0); }
static int cmd_subjects(int argc, char **argv) { return files_cmd(argc, argv, 1); }

static void print_check(const class_check *c)
{
    printf(tr("Điểm đạt mức: %s\n", "The score reaches: %s\n"), class_grade_name(c->band));
    if (c->has_tasks && c->tasks.total == 0)
        puts(tr("Nhiệm vụ trong năm: không có (điều kiện về nhiệm vụ không hạn chế mức)",
                "Tasks of the year: none (the task conditions do not limit the grade)"));
    else if (c->has_tasks)
        printf(tr("Nhiệm vụ trong năm: %d; đúng hạn %d, vượt %d, chậm %d, chưa xong %d → tối đa: %s\n",
                  "Tasks of the year: %d; on time %d, exceeded %d, late %d, not done %d → at most: %s\n"),
               c->tasks.total, c->tasks.on_time, c->tasks.exceeded, c->tasks.late, c->tasks.undone,
               class_grade_name(c->cond_cap));
    if (c->fault_cap < CG_EXCELLENT)
        printf(tr("Lỗi vi phạm → tối đa: %s\n", "Faults → at most: %s\n"), class_grade_name(c->fault_cap));
    printf(tr("Mức cao nhất được phép: %s\n", "Highest grade allowed: %s\n"), class_grade_name(c->allowed));
}

/* Beside a collective that is a unit: how its targets of the year stand (eval), for the reader to
 * weigh with the score; nothing when it has none or they cannot be evaluated. */
static void print_targets(const model *m, const char *unit_code, int year)
{
    int u = model_unit_find(m, unit_code);
    char per[8];
    period_t p;
    eval_result r;
    err_t e;
    snprintf(per, sizeof per, "%d", year);
    if (u < 0 || period_parse(per, strlen(per), &p) != 0 || eval_unit(m, u, p, &r, &e) != 0)
        return;
    const eval_tally *t = &r.all;
    if (t->total > 0)
        printf(tr("Chỉ tiêu năm %d của đơn vị: %d có kế hoạch; đạt %d, vượt %d, chưa đạt %d, chưa có số liệu %d\n",
                  "The unit's targets of %d: %d with a target; met %d, exceeded %d, not met %d, no data %d\n"),
               year, t->total, t->met, t->exceeded, t->notmet, t->nodata);
    eval_result_free(&r);
}

/* After an appraisal: the subjects of the same group now beyond the quota (those a may see). */
static void print_group_quota(store *s, const model *m, int year, const char *subject, const class_actor *a)
{
    class_quota_line *lines = NULL;
    class_subject sub;
    err_t e;
    int n = store_class_subject_get(s, subject, &sub, &e) == 1 ? class_quota_report(s, m, year, -1, &lines, &e) : -1;
    for (int i = 0; i < n; i++)
        if (lines[i].over && strcmp(lines[i].sub.group, sub.group) == 0 && class_may_see(m, a, &lines[i].sub))
            printf(tr("Cảnh báo hạn mức: %s (%s) xếp xuất sắc vượt hạn mức %d%% của nhóm %s\n",
                      "Quota warning: %s (%s) graded xuất sắc beyond the %d%% quota of group %s\n"),
                   lines[i].sub.name, lines[i].sub.code, lines[i].pct, sub.group);
    free(lines);
}

/* The --help of assess, appraise, decide. */
static void step_help(const char *cmd, int step)
{
    printf(tr("Cách dùng: chitieu %s --year NĂM --subject MÃ --user TÊN_ĐĂNG_NHẬP --score ĐIỂM --grade MỨC\n"
              "                 [--faults MÃ;MÃ] [--comment \"...\"] [--today YYYY-MM-DD]\n"
              "%s\n"
              "MỨC: excellent (xuất sắc), good (tốt), done (hoàn thành), fail (không hoàn thành). ĐIỂM: 0-100, như 89,5.\n"
              "Mức không được cao hơn mức mà điểm, điều kiện nhiệm vụ (tập thể) và lỗi cho phép; mỗi bước ghi\n"
              "vào nhật ký (ai, lúc nào, ý kiến); sau quyết định kết quả bị khóa.\n",
              "Usage: chitieu %s --year YEAR --subject CODE --user LOGIN --score POINTS --grade GRADE\n"
              "                 [--faults CODE;CODE] [--comment \"...\"] [--today YYYY-MM-DD]\n"
              "%s\n"
              "GRADE: excellent, good, done, fail. POINTS: 0-100, like 89.5.\n"
              "The grade may not be above what the score, the task conditions (collectives) and the faults allow;\n"
              "each step goes to the audit log (who, when, comment); after the decision the result is locked.\n"),
           cmd, step == CS_ASSESSED ? tr("Tự đánh giá, đề xuất mức xếp loại (biên tập viên của đơn vị).",
                                         "Self-assessment and proposed grade (an editor of the unit).")
              : step == CS_APPRAISED ? tr("Thẩm định, đề xuất của cấp trên (người duyệt cấp trên).",
                                          "Appraisal and proposal by the level above (an approver above).")
                                     : tr("Quyết định xếp loại của cấp có thẩm quyền; kiểm tra hạn mức xuất sắc.",
                                          "Decision by the competent level; checks the quota of xuất sắc."));
}

/* assess / appraise / decide. */
static int step_cmd(int argc, char **argv, int step)
{
    static const char *const names[] = { "", "class assess", "class appraise", "class decide" };
    const char *cmd = names[step], *db = NULL, *year_s = NULL, *subject = NULL, *login = NULL, *score_s = NULL,
               *grade_s = NULL, *faults = "", *comment = "", *today_s = NULL;
    int help, npos, rc, year, asof, score, grade;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--year", NULL, &year_s, NULL },
                             { "--subject", NULL, &subject, NULL }, { "--user", NULL, &login, NULL },
                             { "--score", NULL, &score_s, NULL }, { "--grade", NULL, &grade_s, NULL },
                             { "--faults", NULL, &faults, NULL }, { "--comment", NULL, &comment, NULL },
                             { "--today", NULL, &today_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        step_help(cmd, step);
        return EXIT_OK;
    }
    if ((rc = cli_no_args(cmd, npos)) != 0 || (rc = opt_year(cmd, year_s, &year)) != 0 ||
        (rc = opt_asof(cmd, today_s, year, &asof)) != 0)
        return rc;
    err_t e;
    if (subject == NULL || login == NULL || score_s == NULL || grade_s == NULL) {
        cli_error(cmd, tr("cần --subject, --user, --score và --grade", "--subject, --user, --score and --grade are required"));
        return EXIT_USAGE;
    }
    if (class_score_parse(score_s, &score, &e) != 0) {
        cli_error(cmd, e.msg);
        return EXIT_USAGE;
    }
    if ((grade = class_grade_parse(grade_s)) < 0) {
        cli_error(cmd, tr("--grade: excellent, good, done hoặc fail", "--grade: excellent, good, done or fail"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    task_set ts = { 0 };
    class_actor a;
    class_result res;
    class_check chk;
    rc = EXIT_FAIL;
    if (cli_open_part(cmd, db, STORE_ALL, &s, &m) != 0)
        goto cleanup;
    if (store_task_load(s, &ts, &e) != 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    class_step_in in = { step, year, subject, score, grade, faults, comment, asof };
    if (class_actor_get(s, m, login, &a, &e) != 0 || class_step(s, m, &ts, &a, &in, &res, &chk, &e) != 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    print_check(&chk);
    if (chk.has_tasks)
        print_targets(m, subject, year);
    if (step == CS_APPRAISED)
        print_group_quota(s, m, year, subject, &a);
    printf(tr("Đã ghi: %s, năm %d: %s (%s)\n", "Recorded: %s, %d: %s (%s)\n"), subject, year, class_grade_name(grade),
           step == CS_ASSESSED ? tr("tự đánh giá", "self-assessment") : step == CS_APPRAISED ? tr("thẩm định", "appraisal")
                                                                                      : tr("quyết định", "decision"));
    rc = EXIT_OK;
cleanup:
    task_set_free(&ts);
    store_close(s);
    model_free(m);
    return rc;
}

static int cmd_assess(int argc, char **argv) { return step_cmd(argc, argv, CS_ASSESSED); }
static int cmd_appraise(int argc, char **argv) { return step_cmd(argc, argv, CS_APPRAISED); }
static int cmd_decide(int argc, char **argv) { return step_cmd(argc, argv, CS_DECIDED); }

static const char *step_key(int step)
{
    static const char *const k[] = { "none", "assessed", "appraised", "decided" };
    return step >= 0 && step <= CS_DECIDED ? k[step] : "";
}

/* Options shared by list and quota: --unit, --year, --user. */
typedef struct view_opts {
    const char *db, *unit, *year_s, *login, *fmt, *today_s;
    int all;
} view_opts;

/* Opens the store and resolves unit, user and year; prints and returns nonzero on failure. */
static int view_open(const char *cmd, const view_opts *o, store **s, model **m, task_set *ts, int *root, int *year,
                     class_actor *a, int *has_actor)
{
    err_t e;
    int rc = opt_year(cmd, o->year_s, year);
    if (rc != 0)
        return rc;
    if (cmd_tasks_open(cmd, o->db, s, m, ts) != 0)
        return EXIT_FAIL;
    *root = o->unit ? model_unit_find(*m, o->unit) : -1;
    if (o->unit && *root < 0) {
        fprintf(stderr, tr("chitieu %s: không có đơn vị '%s'\n", "chitieu %s: no unit '%s'\n"), cmd, o->unit);
        return EXIT_FAIL;
    }
    *has_actor = o->login != NULL;
    if (o->login && class_actor_get(*s, *m, o->login, a, &e) != 0) {
        cli_error(cmd, e.msg);
        return EXIT_FAIL;
    }
    return 0;
}

/* The collective's task record on asof as "đúng hạn/tổng, vượt → mức tối đa", or "" for others. */
static void tasks_text(const model *m, const task_set *ts, const class_rules *r, const class_subject *sub, int asof,
                       char *out, size_t len)
{
    class_check c;
    err_t e;
    out[0] = '\0';
    if (class_check_subject(m, ts, r, sub, CLASS_SCORE_MAX, "", asof, &c, &e) != 0 || !c.has_tasks)
        return;
    if (c.tasks.total == 0)
        snprintf(out, len, "%s", tr("không có nhiệm vụ trong năm", "no task of the year"));
    else
        snprintf(out, len, "%d/%d, %d %s → %s", c.tasks.on_time, c.tasks.total, c.tasks.exceeded,
                 tr("vượt", "exceeded"), class_grade_key(c.cond_cap));
}

static const char *grade_cell(const class_mark *mk)
{
    return mk->grade >= 0 ? class_grade_key(mk->grade) : "";
}

/* Ends a listing: text gets the rendered table t and a count line (fmt...), CSV only what out
 * already holds; out goes to stdout, and t and out are freed. */
static void list_end(cli_table *t, buf *out, int csv, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void list_end(cli_table *t, buf *out, int csv, const char *fmt, ...)
{
    if (!csv) {
        va_list ap;
        cli_table_render(t, out);
        va_start(ap, fmt);
        buf_vprintf(out, fmt, ap);
        va_end(ap);
    }
    cli_table_free(t);
    fputs(buf_str(out), stdout);
    buf_free(out);
}

static int list_print(const view_opts *o, const model *m, const task_set *ts, class_rules *rules, int year,
                      const class_quota_line *lines, int n, const class_result *res, int nres,
                      const class_actor *a, int has_actor)
{
    int asof, hidden = 0, shown = 0, csv = strcmp(o->fmt, "csv") == 0;
    if (opt_asof("class list", o->today_s, year, &asof) != 0)
        return EXIT_USAGE;
    cli_table t;
    buf out = BUF_INIT;
    const char *h[] = { tr("Mã", "Code"), tr("Loại", "Kind"), tr("Tên", "Name"), tr("Đơn vị", "Unit"), tr("Bước", "Step"),
                        tr("Tự ĐG", "Self"), tr("Điểm", "Pts"), tr("Thẩm định", "Appraised"), tr("Điểm", "Pts"),
                        tr("Quyết định", "Decided"), tr("Điểm", "Pts"), tr("Nhiệm vụ", "Tasks"), tr("Hạn mức", "Quota") };
    cli_table_init(&t, 13, 0x540);
    if (csv)
        buf_adds(&out, "code,kind,name,unit,step,self_grade,self_score,appraised_grade,appraised_score,decided_grade,"
                       "decided_score,tasks,over_quota\n");
    else
        for (int k = 0; k < 13; k++)
            cli_table_cell(&t, h[k]);
    for (int i = 0; i < n; i++) {
        const class_subject *sub = &lines[i].sub;
        if (has_actor ? !class_may_see(m, a, sub) : !class_kind_collective(sub->kind)) {
            hidden++;
            continue;
        }
        shown++;
        const class_result *r = class_result_find(res, nres, sub->code);
        class_result none = { .self = { -1, -1, "", "", "" }, .appr = { -1, -1, "", "", "" }, .dec = { -1, -1, "", "", "" } };
        if (r == NULL)
            r = &none;
        char tk[96], sc[3][16] = { "", "", "" };
        tasks_text(m, ts, &rules[sub->kind], sub, asof, tk, sizeof tk);
        const class_mark *mk[3] = { &r->self, &r->appr, &r->dec };
        for (int k = 0; k < 3; k++)
            if (mk[k]->score_cp >= 0)
                class_score_text(mk[k]->score_cp, csv ? LANG_EN : lang_get(), sc[k], sizeof sc[k]);
        const char *cells[] = { sub->code, class_kind_key(sub->kind), sub->name, sub->unit, step_key(lines[i].step),
                                grade_cell(mk[0]), sc[0], grade_cell(mk[1]), sc[1], grade_cell(mk[2]), sc[2], tk,
                                lines[i].over ? tr("vượt", "over") : "" };
        for (int k = 0; k < 13; k++) {
            if (csv)
                cli_csv_field(&out, cells[k], k == 12);
            else
                cli_table_cell(&t, cells[k]);
        }
    }
    list_end(&t, &out, csv, tr("%d đối tượng\n", "%d subjects\n"), shown);
    if (hidden)
        fprintf(stderr, has_actor ? tr("(%d đối tượng không thuộc quyền xem của người dùng này)\n",
                                       "(%d subjects this user may not see)\n")
                                  : tr("(%d đảng viên không hiện: thêm --user TÊN để xem theo quyền)\n",
                                       "(%d members hidden: add --user LOGIN to see them by that user's rights)\n"),
                hidden);
    return EXIT_OK;
}

/* `class quota`: the xuất sắc beyond their group's quota that the user may see. */
static int quota_print(const model *m, const class_quota_line *lines, int n, const class_actor *a, int has_actor)
{
    int over = 0, hidden = 0;
    for (int i = 0; i < n; i++) {
        const class_subject *sub = &lines[i].sub;
        if (!lines[i].over)
            continue;
        if (has_actor ? !class_may_see(m, a, sub) : !class_kind_collective(sub->kind)) {
            hidden++;
            continue;
        }
        over++;
        char sc[16];
        class_score_text(lines[i].score_cp, lang_get(), sc, sizeof sc);
        printf("%s\t%s\t%s\t%s\t%d%%\t%s\n", sub->code, sub->name, sub->group, sc, lines[i].pct, step_key(lines[i].step));
    }
    printf(tr("%d đối tượng xuất sắc vượt hạn mức\n", "%d xuất sắc over the quota\n"), over);
    if (hidden)
        fprintf(stderr, tr("(và %d đảng viên vượt hạn mức không hiện: thêm --user TÊN có quyền xem)\n",
                           "(and %d members over the quota not shown: add a --user allowed to see them)\n"), hidden);
    return EXIT_OK;
}

/* `class list` and `class quota`. */
static int view_cmd(int argc, char **argv, int quota)
{
    const char *cmd = quota ? "class quota" : "class list";
    view_opts o = { 0 };
    o.fmt = "text";
    int help, npos, rc;
    const cli_opt opts[] = { { "--db", NULL, &o.db, NULL }, { "--unit", NULL, &o.unit, NULL },
                             { "--year", NULL, &o.year_s, NULL }, { "--user", NULL, &o.login, NULL },
                             { "--format", NULL, &o.fmt, NULL }, { "--today", NULL, &o.today_s, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        if (quota)
            puts(tr("Cách dùng: chitieu class quota --year NĂM [--unit MÃ] [--user TÊN]\n"
                    "Các đối tượng xếp loại xuất sắc vượt hạn mức của nhóm (20%, đơn vị nổi trội 25% số đạt tốt trở lên,\n"
                    "làm tròn xuống), theo mức hiện tại (quyết định, thẩm định hoặc tự đánh giá). Mã thoát 0 kể cả khi có vượt.",
                    "Usage: chitieu class quota --year YEAR [--unit CODE] [--user LOGIN]\n"
                    "The subjects graded xuất sắc beyond their group's quota (20%, 25% for outstanding units, of those\n"
                    "graded tốt and above, rounded down), by current grade (decided, appraised or self-assessed)."));
        else
            puts(tr("Cách dùng: chitieu class list --year NĂM [--unit MÃ] [--user TÊN] [--format text|csv] [--today YYYY-MM-DD]\n"
                    "Các đối tượng của cây đơn vị với ba bước, điểm, điều kiện nhiệm vụ (tập thể: đúng hạn/tổng, vượt →\n"
                    "mức tối đa) và hạn mức. Đảng viên chỉ hiện khi --user có quyền xem.",
                    "Usage: chitieu class list --year YEAR [--unit CODE] [--user LOGIN] [--format text|csv] [--today YYYY-MM-DD]\n"
                    "The subjects of the unit's subtree with the three steps, scores, task conditions (collectives: on\n"
                    "time/total, exceeded → highest grade) and quota. Members are shown only to a --user allowed to."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args(cmd, npos)) != 0 || (rc = cli_format(cmd, o.fmt, "text|csv")) != 0)
        return rc;
    store *s = NULL;
    model *m = NULL;
    task_set ts = { 0 };
    class_actor a;
    class_quota_line *lines = NULL;
    class_result *res = NULL;
    class_rules *rules = malloc(CK_COUNT * sizeof *rules);
    int root, year, has_actor, n, nres;
    err_t e;
    rc = EXIT_FAIL;
    if (rules == NULL || (rc = view_open(cmd, &o, &s, &m, &ts, &root, &year, &a, &has_actor)) != 0)
        goto cleanup;
    rc = EXIT_FAIL;
    for (int k = 0; k < CK_COUNT; k++)
        if (store_class_rules_get(s, year, k, &rules[k], &e) < 0)
            goto fail;
    if ((n = class_quota_report(s, m, year, root, &lines, &e)) < 0 || (nres = store_class_results(s, year, &res, &e)) < 0)
        goto fail;
    if (quota)
        rc = quota_print(m, lines, n, &a, has_actor);
    else
        rc = list_print(&o, m, &ts, rules, year, lines, n, res, nres, &a, has_actor);
    goto cleanup;
fail:
    cli_error(cmd, e.msg);
cleanup:
    free(rules);
    free(lines);
    free(res);
    task_set_free(&ts);
    store_close(s);
    model_free(m);
    return rc;
}

static int cmd_list_class(int argc, char **argv) { return view_cmd(argc, argv, 0); }
static int cmd_quota(int argc, char **argv) { return view_cmd(argc, argv, 1); }

static int cmd_rates(int argc, char **argv)
{
    const char *db = NULL, *year_s = NULL, *login = NULL;
    int help, npos, rc, dry = 0, year;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--year", NULL, &year_s, NULL },
                             { "--user", NULL, &login, NULL }, { "--dry-run", NULL, NULL, &dry }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu class rates --year NĂM --user TÊN_QUẢN_TRỊ [--dry-run]\n"
                "Ghi tỷ lệ xếp loại của năm thành số liệu chỉ tiêu của từng đơn vị (tccsd_htt, tccsd_htxs, tccsd_khht,\n"
                "dang_vien_htt, dang_vien_htxs, dang_vien_khht), có lịch sử. Đơn vị còn đối tượng chưa có quyết định,\n"
                "hoặc số liệu năm đã được duyệt, thì không ghi (được liệt kê).",
                "Usage: chitieu class rates --year YEAR --user ADMIN_LOGIN [--dry-run]\n"
                "Writes the year's classification rates as indicator values of each unit (tccsd_htt, tccsd_htxs,\n"
                "tccsd_khht, dang_vien_htt, dang_vien_htxs, dang_vien_khht), with history. Units with undecided\n"
                "subjects, or whose figures of the year are approved, are left out (and listed)."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args("class rates", npos)) != 0 || (rc = opt_year("class rates", year_s, &year)) != 0)
        return rc;
    if (login == NULL) {
        cli_error("class rates", tr("cần --user (quản trị)", "--user (an admin) is required"));
        return EXIT_USAGE;
    }
    store *s = NULL;
    model *m = NULL;
    class_actor a;
    class_rates_out out;
    buf lines = BUF_INIT;
    err_t e;
    rc = EXIT_FAIL;
    if (cli_open_part("class rates", db, 0, &s, &m) != 0)
        goto cleanup;
    if (class_actor_get(s, m, login, &a, &e) != 0) {
        cli_error("class rates", e.msg);
        goto cleanup;
    }
    if (a.role != ROLE_ADMIN) {
        cli_error("class rates", tr("chỉ quản trị viên được ghi tỷ lệ", "only an admin may write the rates"));
        goto cleanup;
    }
    if (class_rates(s, m, year, a.login, dry, &out, &lines, &e) != 0) {
        cli_error("class rates", e.msg);
        goto cleanup;
    }
    if (lines.len)
        printf("%s\n%s", tr("đơn vị\tđối tượng\tđã quyết định/tổng\ttốt trở lên\txuất sắc\tkhông hoàn thành\tghi chú",
                            "unit\tsubjects\tdecided/all\tgood+\texcellent\tfail\tnote"), buf_str(&lines));
    printf(tr("%s %d số liệu của %d đơn vị; bỏ qua %d (chưa quyết định hết), %d (đã duyệt)\n",
              "%s %d values of %d units; left out %d (undecided), %d (approved)\n"),
           dry ? tr("Sẽ ghi", "Would write") : tr("Đã ghi", "Wrote"), out.written, out.units, out.skipped_undecided,
           out.skipped_approved);
    rc = EXIT_OK;
cleanup:
    buf_free(&lines);
    store_close(s);
    model_free(m);
    return rc;
}

/* One award as a CSV line (into out) or a table row (into t). */
static void award_row_out(const class_award *aw, const class_subject *sub, int csv, buf *out, cli_table *t)
{
    char y[8], dec[128];
    buf date = BUF_INIT;
    snprintf(y, sizeof y, "%d", aw->year);
    if (aw->date)
        vn_format_date(aw->date, csv ? LANG_EN : lang_get(), &date);
    if (csv) {
        const char *f[] = { y, sub->code, sub->name, class_award_form_key(aw->form), aw->title, aw->issuer, aw->decision,
                            buf_str(&date) };
        for (int k = 0; k < 8; k++)
            cli_csv_field(out, f[k], k == 7);
    } else {
        snprintf(dec, sizeof dec, "%s%s%s", aw->decision, aw->date ? tr(" ngày ", " of ") : "", buf_str(&date));
        const char *f[] = { y, sub->name, class_award_form_name(aw->form), aw->title, aw->issuer, dec };
        for (int k = 0; k < 6; k++)
            cli_table_cell(t, f[k]);
    }
    buf_free(&date);
}

static int awards_list(const char *cmd, const char *db, const char *year_s, const char *unit, const char *search,
                       const char *login, const char *fmt)
{
    store *s = NULL;
    model *m = NULL;
    class_award *as = NULL;
    class_subject *subs = NULL;
    class_actor a;
    err_t e;
    int rc = EXIT_FAIL, year = 0, n = 0, nsub = 0, shown = 0, hidden = 0, csv = strcmp(fmt, "csv") == 0;
    if (year_s && (rc = opt_year(cmd, year_s, &year)) != 0)
        return rc;
    rc = EXIT_FAIL;
    if (cli_open_part(cmd, db, 0, &s, &m) != 0)
        goto cleanup;
    int root = unit ? model_unit_find(m, unit) : -1;
    if (unit && root < 0) {
        fprintf(stderr, tr("chitieu %s: không có đơn vị '%s'\n", "chitieu %s: no unit '%s'\n"), cmd, unit);
        goto cleanup;
    }
    if ((login && class_actor_get(s, m, login, &a, &e) != 0) || (n = store_class_awards(s, year, &as, &e)) < 0 ||
        (nsub = store_class_subjects(s, &subs, &e)) < 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    cli_table t;
    buf out = BUF_INIT;
    cli_table_init(&t, 6, 0);
    if (csv)
        buf_adds(&out, "year,subject,name,form,title,issuer,decision,date\n");
    else {
        const char *h[] = { tr("Năm", "Year"), tr("Đối tượng", "Subject"), tr("Hình thức", "Form"), tr("Danh hiệu, khen thưởng", "Award"),
                            tr("Cấp quyết định", "Issuer"), tr("Quyết định", "Decision") };
        for (int k = 0; k < 6; k++)
            cli_table_cell(&t, h[k]);
    }
    for (int i = 0; i < n; i++) {
        const class_subject *sub = class_subject_find(subs, nsub, as[i].subject);
        if (sub == NULL || (root >= 0 && !auth_in_subtree(m, root, class_subject_unit(m, sub))))
            continue;
        if (login ? !class_may_see(m, &a, sub) : !class_kind_collective(sub->kind)) {
            hidden++;
            continue;
        }
        if (!class_award_match(&as[i], sub, search))
            continue;
        shown++;
        award_row_out(&as[i], sub, csv, &out, &t);
    }
    list_end(&t, &out, csv, tr("%d khen thưởng\n", "%d awards\n"), shown);
    if (hidden)
        fprintf(stderr, login ? tr("(%d khen thưởng của đảng viên không thuộc quyền xem của người dùng này)\n",
                                   "(%d awards of members this user may not see)\n")
                              : tr("(%d khen thưởng của đảng viên không hiện: thêm --user TÊN)\n",
                                   "(%d awards of members hidden: add --user LOGIN)\n"), hidden);
    rc = EXIT_OK;
cleanup:
    free(as);
    free(subs);
    store_close(s);
    model_free(m);
    return rc;
}

/* `class awards import FILE | list`. */
static int cmd_awards(int argc, char **argv)
{
    const char *cmd = "class awards", *db = NULL, *year = NULL, *unit = NULL, *search = NULL, *login = NULL, *fmt = "text";
    int help, npos, dry = 0, rc;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--dry-run", NULL, NULL, &dry }, { "--year", NULL, &year, NULL },
                             { "--unit", NULL, &unit, NULL }, { "--search", NULL, &search, NULL },
                             { "--user", NULL, &login, NULL }, { "--format", NULL, &fmt, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu class awards import TỆP.csv [--dry-run]\n"
                "           chitieu class awards list [--year NĂM] [--unit MÃ] [--search CHỮ] [--user TÊN] [--format text|csv]\n"
                "Sổ khen thưởng thi đua: danh hiệu thi đua, bằng khen, giấy khen, huy hiệu Đảng của tổ chức và đảng viên,\n"
                "theo năm, cấp quyết định, số quyết định (tệp: year,subject,form,title,issuer,decision,date).\n"
                "--search tìm không phân biệt dấu, hoa thường (\"bang khen\" tìm được \"Bằng khen\").",
                "Usage: chitieu class awards import FILE.csv [--dry-run]\n"
                "       chitieu class awards list [--year YEAR] [--unit CODE] [--search TEXT] [--user LOGIN] [--format text|csv]\n"
                "The emulation awards register: titles, certificates of merit and commendation, Party badges given to\n"
                "organisations and members, by year, issuer and decision number (file: year,subject,form,title,issuer,decision,date).\n"
                "--search ignores diacritics and case (\"bang khen\" finds \"Bằng khen\")."));
        return EXIT_OK;
    }
    if ((rc = cli_format(cmd, fmt, "text|csv")) != 0)
        return rc;
    if (npos == 1 && strcmp(argv[1], "list") == 0)
        return awards_list(cmd, db, year, unit, search, login, fmt);
    if (npos != 2 || strcmp(argv[1], "import") != 0) {
        cli_error(cmd, tr("cần: import TỆP hoặc list", "expected: import FILE or list"));
        return EXIT_USAGE;
    }
    return read_and_import(cmd, db, argv[2], FILE_AWARDS, dry);
}

static int cmd_export_class(int argc, char **argv)
{
    const char *cmd = "class export", *db = NULL, *year_s = NULL, *unit = NULL, *login = NULL, *out = NULL, *fmt = NULL;
    int help, npos, rc, year;
    const cli_opt opts[] = { { "--db", NULL, &db, NULL }, { "--year", NULL, &year_s, NULL }, { "--unit", NULL, &unit, NULL },
                             { "--user", NULL, &login, NULL }, { "--output", "-o", &out, NULL },
                             { "--format", NULL, &fmt, NULL }, { 0 } };
    if ((rc = cli_parse(argc, argv, opts, &npos, &help)) != 0)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu class export --year NĂM --unit MÃ -o TỆP [--format xlsx|docx] [--user TÊN]\n"
                "Bảng tổng hợp kết quả xếp loại theo đơn vị (số xuất sắc, tốt, hoàn thành, không hoàn thành, các tỷ lệ)\n"
                "và danh sách đối tượng với ba bước, cho hội nghị xét quyết định. Đảng viên chỉ có trong danh sách khi\n"
                "--user có quyền xem. --format docx (mặc định theo đuôi tệp .docx): báo cáo kết quả và danh sách đề nghị\n"
                "xếp loại theo thể thức văn bản của Đảng.",
                "Usage: chitieu class export --year YEAR --unit CODE -o FILE [--format xlsx|docx] [--user LOGIN]\n"
                "The summary of grades per unit (counts and rates) and the list of subjects with their three steps,\n"
                "for the meeting that decides. Members are listed only when --user may see them. --format docx (the\n"
                "default for a .docx file): the report of results and the list of proposed grades in the Party layout."));
        return EXIT_OK;
    }
    if ((rc = cli_no_args(cmd, npos)) != 0 || (rc = opt_year(cmd, year_s, &year)) != 0)
        return rc;
    if (unit == NULL || out == NULL) {
        cli_error(cmd, tr("cần --unit và -o TỆP", "--unit and -o FILE are required"));
        return EXIT_USAGE;
    }
    size_t olen = strlen(out);
    if (fmt == NULL)
        fmt = olen > 5 && strcmp(out + olen - 5, ".docx") == 0 ? "docx" : "xlsx";
    if ((rc = cli_format(cmd, fmt, "xlsx|docx")) != 0)
        return rc;
    int docx = strcmp(fmt, "docx") == 0;
    store *s = NULL;
    model *m = NULL;
    class_actor a;
    err_t e;
    rc = EXIT_FAIL;
    if (cli_open_part(cmd, db, 0, &s, &m) != 0)
        goto cleanup;
    int root = model_unit_find(m, unit);
    if (root < 0) {
        fprintf(stderr, tr("chitieu %s: không có đơn vị '%s'\n", "chitieu %s: no unit '%s'\n"), cmd, unit);
        goto cleanup;
    }
    if ((login && class_actor_get(s, m, login, &a, &e) != 0) ||
        (docx ? class_docx_write(s, m, year, root, login ? &a : NULL, out, &e)
              : class_xlsx_write(s, m, year, root, login ? &a : NULL, out, &e)) != 0) {
        cli_error(cmd, e.msg);
        goto cleanup;
    }
    printf(tr("Đã ghi %s\n", "Wrote %s\n"), out);
    rc = EXIT_OK;
cleanup:
    store_close(s);
    model_free(m);
    return rc;
}

static const class_sub subs[] = {
    { "criteria", cmd_criteria, "nhập, xem bộ tiêu chí theo năm và loại đối tượng", "import, list criteria sheets by year and kind" },
    { "subjects", cmd_subjects, "nhập đối tượng xếp loại (tổ chức, đảng viên)", "import the subjects (organisations, members)" },
    { "assess", cmd_assess, "tự đánh giá, đề xuất mức", "self-assessment and proposed grade" },
    { "appraise", cmd_appraise, "thẩm định của cấp trên", "appraisal by the level above" },
    { "decide", cmd_decide, "quyết định xếp loại (khóa kết quả)", "decision (locks the result)" },
    { "list", cmd_list_class, "danh sách đối tượng và kết quả", "subjects and their results" },
    { "quota", cmd_quota, "ai vượt hạn mức xuất sắc", "who is over the quota of xuất sắc" },
    { "export", cmd_export_class, "bảng tổng hợp, danh sách xếp loại ra Excel, Word", "summary and list of the round as Excel, Word" },
    { "awards", cmd_awards, "sổ khen thưởng thi đua (nhập, tìm)", "the emulation awards register (import, search)" },
    { "rates", cmd_rates, "ghi tỷ lệ xếp loại thành số liệu chỉ tiêu", "write the rates as indicator values" },
    { NULL, NULL, NULL, NULL },
};

int cmd_class(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        FILE *f = argc < 2 ? stderr : stdout;
        fprintf(f, "%s\n\n%s:\n", tr("Cách dùng: chitieu class LỆNH [TÙY CHỌN] [--help]\n"
                                     "Đánh giá, xếp loại chất lượng hằng năm (Quy định 366-QĐ/TW).",
                                     "Usage: chitieu class COMMAND [OPTIONS] [--help]\n"
                                     "Annual quality classification (Quy định 366-QĐ/TW)."),
                tr("Các lệnh", "Commands"));
        for (const class_sub *c = subs; c->name; c++)
            fprintf(f, "  %-9s %s\n", c->name, tr(c->summary_vi, c->summary_en));
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    for (const class_sub *c = subs; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    fprintf(stderr, tr("chitieu class: không có lệnh '%s' (xem 'chitieu class --help')\n",
                       "chitieu class: unknown command '%s' (see 'chitieu class --help')\n"), argv[1]);
    return EXIT_USAGE;
}
