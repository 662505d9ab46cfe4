/* task_import.c - programmes.csv and tasks.csv into work items (see task_import.h).
 *
 * Headers are a contract: exactly `code,title,kind,parent,document,lead_unit` and
 * `code,title,programme,parent,lead_unit,cooperating_units,owner,start,deadline,status,progress,
 * completed_on,result,indicators`.  Every row is checked (units and indicators against the
 * model, parents and programmes against the items of the same import or already stored);
 * rows of programmes come before tasks whatever the order of the files.  A deadline may be a
 * date or a recurrence (month, quarter, year); status accepts the derived names, of which only
 * "tạm dừng" (paused) and "hoàn thành vượt" (exceeded) are kept: the rest is derived from dates.
 */
#include "task_import.h"
#include "task_handover.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static const char *const prog_cols[] = { "code", "title", "kind", "parent", "document", "lead_unit" };
static const char *const task_cols[] = { "code", "title", "programme", "parent", "lead_unit", "cooperating_units",
                                         "owner", "start", "deadline", "status", "progress", "completed_on",
                                         "result", "indicators" };
#define NPROG 6
#define NTASK 14

static int header_is(const csv_record *r, const char *const *cols, size_t n)
{
    if (r->nfields != n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const char *f = r->field[i];
        if (i == 0 && strncmp(f, "\xEF\xBB\xBF", 3) == 0)
            f += 3;                                    /* a BOM */
        if (strcmp(f, cols[i]) != 0)
            return 0;
    }
    return 1;
}

int task_import_kind(const char *data, size_t len)
{
    csv_reader *r = csv_open(data, len);
    csv_record rec;
    err_t e;
    int kind = TI_NONE;
    if (r && csv_next(r, &rec, &e) == 1)
        kind = header_is(&rec, prog_cols, NPROG) ? TI_PROGRAMMES : header_is(&rec, task_cols, NTASK) ? TI_TASKS : TI_NONE;
    csv_close(r);
    return kind;
}

int task_is_header(const char *const *cells, size_t n)
{
    csv_record r = { .nfields = n, .field = (const char **)cells };
    return header_is(&r, prog_cols, NPROG) || header_is(&r, task_cols, NTASK);
}

int import_any_header(const char *const *cells, size_t n)
{
    return import_is_header(cells, n) || task_is_header(cells, n);
}

typedef struct ctx {
    const char *file;
    buf *errors;
    int failed, nerr;
} ctx;

static void bad(ctx *c, long row, int col, const char *name, const char *text, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void bad(ctx *c, long row, int col, const char *name, const char *text, const char *fmt, ...)
{
    c->failed = 1;
    if (++c->nerr > 100)
        return;
    buf_printf(c->errors, "%s", c->file);
    buf_printf(c->errors, tr(", dòng %ld", ", row %ld"), row);
    if (col > 0)
        buf_printf(c->errors, tr(", cột %d (%s)", ", column %d (%s)"), col, name);
    if (text)
        buf_printf(c->errors, ": '%.80s'", text);
    buf_adds(c->errors, text ? " — " : ": ");
    va_list ap;
    va_start(ap, fmt);
    buf_vprintf(c->errors, fmt, ap);
    va_end(ap);
    buf_addc(c->errors, '\n');
}

/* Checks a ';'-separated list of codes against the model; names the first unknown one. */
static int codes_ok(const model *m, const char *list, int units, char *bad_code, size_t n)
{
    const char *p = list;
    while (*p) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            snprintf(bad_code, n, "%.*s", (int)len, p);
            if ((units ? model_unit_find(m, bad_code) : model_ind_find(m, bad_code)) < 0)
                return 0;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 1;
}

static int date_field(ctx *c, long row, int col, const char *name, const char *s, int *out)
{
    *out = 0;
    if (*s == '\0')
        return 0;
    if (task_parse_date(s, out) != 0) {
        bad(c, row, col, name, s, "%s", tr("cần một ngày như 2023-01-04 hoặc 4/1/2023", "a date like 2023-01-04 or 4/1/2023 expected"));
        return -1;
    }
    return 0;
}

/* Checks one data row of either kind into t (strings borrowed from rec). */
static void check_row(ctx *c, const model *m, int kind, const csv_record *rec, task_t *t)
{
    const char *const *cols = kind == TI_PROGRAMMES ? prog_cols : task_cols;
    memset(t, 0, sizeof *t);
    long row = rec->row;
    const char **f = rec->field;
    size_t want = kind == TI_PROGRAMMES ? NPROG : NTASK;
    if (rec->nfields > want) {          /* name the first extra field: it would be lost */
        bad(c, row, (int)want + 1, tr("ngoài tiêu đề", "beyond the header"), f[want],
            tr("dòng có %zu cột, dòng tiêu đề chỉ có %zu: ô thừa sẽ bị mất",
               "the row has %zu fields, the header only %zu: the extra one would be lost"), rec->nfields, want);
        return;
    }
    if (rec->nfields != want) {
        bad(c, row, 0, NULL, NULL, tr("cần %zu cột, có %zu", "%zu columns expected, %zu found"), want, rec->nfields);
        return;
    }
    t->code = (char *)f[0];
    t->title = (char *)f[1];
    if (!*f[0])
        bad(c, row, 1, cols[0], NULL, "%s", tr("thiếu mã", "the code is missing"));
    if (!*f[1])
        bad(c, row, 2, cols[1], NULL, "%s", tr("thiếu tên", "the title is missing"));
    char code[128];
    if (kind == TI_PROGRAMMES) {
        t->kind = *f[2] ? task_kind_parse(f[2]) : TK_PROGRAMME;
        if (t->kind < 0)
            bad(c, row, 3, cols[2], f[2], "%s", tr("cần resolution, programme, project, plan, breakthrough (hoặc tiếng Việt: "
                                               "nghị quyết, chương trình, đề án, kế hoạch, khâu đột phá)",
                                               "resolution, programme, project, plan or breakthrough expected"));
        t->parent = (char *)f[3];
        t->document = (char *)f[4];
        t->lead_unit = (char *)f[5];
        if (*f[5] && model_unit_find(m, f[5]) < 0)
            bad(c, row, 6, cols[5], f[5], "%s", tr("không có đơn vị này", "no such unit"));
        return;
    }
    t->kind = *f[3] ? TK_SUBTASK : TK_TASK;
    t->programme = (char *)f[2];
    t->parent = (char *)f[3];
    t->lead_unit = (char *)f[4];
    t->coop_units = (char *)f[5];
    t->owner = (char *)f[6];
    t->result = (char *)f[12];
    t->indicators = (char *)f[13];
    if (!*f[4])
        bad(c, row, 5, cols[4], NULL, "%s", tr("thiếu đơn vị chủ trì", "the lead unit is missing"));
    else if (model_unit_find(m, f[4]) < 0)
        bad(c, row, 5, cols[4], f[4], "%s", tr("không có đơn vị này", "no such unit"));
    if (!codes_ok(m, f[5], 1, code, sizeof code))
        bad(c, row, 6, cols[5], code, "%s", tr("không có đơn vị này (các mã cách nhau bằng ;)", "no such unit (codes separated by ;)"));
    date_field(c, row, 8, cols[7], f[7], &t->start);
    if (*f[8]) {
        int r = task_recur_parse(f[8]);
        if (r > 0)
            t->recur = r;
        else
            date_field(c, row, 9, cols[8], f[8], &t->deadline);
    }
    if (*f[9]) {
        if (strcmp(f[9], "hoàn thành vượt") == 0 || strcmp(f[9], "exceeded") == 0)
            t->exceeded = 1;
        else if (task_status_parse(f[9]) < 0)
            bad(c, row, 10, cols[9], f[9], "%s", tr("cần một trạng thái: chưa thực hiện, đang thực hiện, hoàn thành đúng hạn, "
                                                "hoàn thành quá hạn, hoàn thành vượt, quá hạn chưa hoàn thành, tạm dừng",
                                                "a status expected: not_started, in_progress, done_on_time, done_late, "
                                                "exceeded, overdue, paused"));
        else
            t->paused = task_status_parse(f[9]) == TS_PAUSED;
    }
    if (*f[10]) {
        char *end;
        long p = strtol(f[10], &end, 10);
        if (*end == '%')
            end++;
        if (*end || p < 0 || p > 100)
            bad(c, row, 11, cols[10], f[10], "%s", tr("cần một số từ 0 đến 100", "a number from 0 to 100 expected"));
        t->progress = (int)p;
    }
    date_field(c, row, 12, cols[11], f[11], &t->completed_on);
    if (t->completed_on && t->start && t->completed_on < t->start)
        bad(c, row, 12, cols[11], f[11], "%s", tr("ngày hoàn thành trước ngày bắt đầu", "completed before it started"));
    if (t->completed_on && !*f[10])
        t->progress = 100;
    if (!codes_ok(m, f[13], 0, code, sizeof code))
        bad(c, row, 14, cols[13], code, "%s", tr("không có chỉ tiêu này (các mã cách nhau bằng ;)", "no such indicator (codes separated by ;)"));
}

/* Makes room for n entries in the row and file arrays (where each imported item came from);
 * on failure both keep their old contents, which the caller still frees. */
static int grow_where(long **rowof, const char ***fileof, int *cap, int n)
{
    if (n <= *cap)
        return 0;
    int c = n * 2;
    long *r = realloc(*rowof, (size_t)c * sizeof *r);
    if (r == NULL)
        return -1;
    *rowof = r;
    const char **f = realloc(*fileof, (size_t)c * sizeof *f);
    if (f == NULL)
        return -1;
    *fileof = f;
    *cap = c;
    return 0;
}

int task_import(store *s, const model *m, task_set *ts, const import_source *src, int n, int dry_run,
                buf *errors, long *rows, err_t *e)
{
    return task_import_audited(s, m, ts, src, n, dry_run, NULL, NULL, errors, rows, e);
}

int task_import_audited(store *s, const model *m, task_set *ts, const import_source *src, int n, int dry_run,
                        const char *who, const store_audit_row *audit, buf *errors, long *rows, err_t *e)
{
    int rc = -1, in_tx = 0;
    long nrows = 0;
    ctx c = { .errors = errors };
    task_set fresh = { 0 };                   /* the rows of this import, in file order */
    long *rowof = NULL;
    const char **fileof = NULL;
    int capr = 0;
    /* programmes first, then tasks: a task may name a programme of the other file */
    for (int pass = TI_PROGRAMMES; pass <= TI_TASKS; pass++)
        for (int k = 0; k < n; k++) {
            if (task_import_kind(src[k].data, src[k].len) != pass)
                continue;
            csv_reader *r = csv_open(src[k].data, src[k].len);
            csv_record rec;
            c.file = src[k].name;
            if (r == NULL) {
                err_set(e, "out of memory");
                goto cleanup;
            }
            int got;
            long here = 0;
            csv_next(r, &rec, e);             /* the header */
            while ((got = csv_next(r, &rec, e)) == 1) {
                task_t t;
                nrows++;
                here++;
                int before = c.nerr;
                check_row(&c, m, pass, &rec, &t);
                if (c.nerr != before)
                    continue;
                if (task_find(&fresh, t.code) >= 0) {
                    bad(&c, rec.row, 1, "code", t.code, "%s", tr("mã trùng trong lần nhập này", "duplicate code in this import"));
                    continue;
                }
                if (task_add(&fresh, &t) < 0 || grow_where(&rowof, &fileof, &capr, fresh.n) != 0) {
                    csv_close(r);
                    err_set(e, "out of memory");
                    goto cleanup;
                }
                rowof[fresh.n - 1] = rec.row;
                fileof[fresh.n - 1] = src[k].name;
            }
            if (got < 0)
                bad(&c, 0, 0, NULL, NULL, "%s", e->msg);
            else if (here == 0)
                bad(&c, 1, 0, NULL, NULL, "%s",
                    tr("tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào", "the file has a header row and no data rows"));
            csv_close(r);
        }
    /* references: parents and programmes, in this import or already stored */
    for (int i = 0; i < fresh.n; i++) {
        task_t *t = &fresh.items[i];
        c.file = fileof[i];
        if (*t->parent && task_find(&fresh, t->parent) < 0 && task_find(ts, t->parent) < 0)
            bad(&c, rowof[i], 4, "parent", t->parent, "%s", tr("không có mục cha này", "no such parent item"));
        if (strcmp(t->parent, t->code) == 0)
            bad(&c, rowof[i], 4, "parent", t->parent, "%s", tr("một mục không là cha của chính nó", "an item cannot be its own parent"));
        if (*t->programme && task_find(&fresh, t->programme) < 0 && task_find(ts, t->programme) < 0)
            bad(&c, rowof[i], 3, "programme", t->programme, "%s", tr("không có chương trình này", "no such programme"));
    }
    *rows = nrows;
    if (c.failed) {
        err_set(e, tr("%d lỗi; không ghi gì", "%d errors; nothing written"), c.nerr);
        goto cleanup;
    }
    if (dry_run) {
        rc = 0;
        goto cleanup;
    }
    if (store_begin(s, e) != 0)
        goto cleanup;
    in_tx = 1;
    for (int i = 0; i < fresh.n; i++) {
        if (store_task_put(s, &fresh.items[i], e) != 0)
            goto cleanup;
        int j = task_find(ts, fresh.items[i].code);
        if (j < 0 && task_add(ts, &fresh.items[i]) < 0) {
            err_set(e, "out of memory");
            goto cleanup;
        }
    }
    if (task_handover_store(s, m, "chitieu", NULL, e) != 0)  /* a task of a dissolved unit */
        goto cleanup;
    if (audit && store_audit_add(s, who ? who : "chitieu", audit->action, audit->object,
                                 audit->detail ? audit->detail : "", e) != 0)
        goto cleanup;
    if (store_commit(s, e) != 0)
        goto cleanup;
    in_tx = 0;
    rc = 0;
cleanup:
    if (in_tx)
        store_rollback(s);
    task_set_free(&fresh);
    free(rowof);
    free(fileof);
    return rc;
}
