/* engine_load.c - the engine's bulk loader: values.csv / targets.csv straight into an engine,
 * without the model's per-cell maps (a national data set has ~100 million values; the model
 * would need ~5 GB for them, the engine ~1,2 GB).
 *
 * The file is mapped and read once, front to back.  Rows are "code,code,period,number" with no
 * quotes (what `chitieu gen`, exports and spreadsheets saving plain CSV write); the indicator
 * and unit codes of consecutive rows are usually the same, so each is looked up only when it
 * changes.  Numbers (decimal point '.', the comma being the separator) are read straight into
 * fixed point (fixed.h), exactly.  The first bad row stops the load with its file, row, column and what
 * was expected; what was read before stays staged in the engine, so callers discard it.
 * Progress goes to stderr when it is a terminal.
 */
#include "engine.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixed.h"
#include "liberr.h"

/* Parses [p, end) as a decimal number into fixed point; 0, -1 (not a number) or -2 (beyond the
 * limit of ±9×10^14, fixed.h, as import and the entry form refuse it). */
static int parse_fx(const char *p, const char *end, int64_t *out)
{
    int neg = 0, digits = 0, dec = 0;
    int64_t x = 0;
    if (p < end && (*p == '-' || *p == '+'))
        neg = *p++ == '-';
    int huge = 0;                           /* more digits than any figure has: read on, refuse after */
    for (; p < end && *p >= '0' && *p <= '9'; p++, digits++) {
        if (x > FX_MAX / FX_ONE / 10)       /* a further digit passes the limit: x * FX_ONE holds */
            huge = 1;
        else
            x = x * 10 + (*p - '0');
    }
    x *= FX_ONE;
    int round_up = 0;
    if (p < end && *p == '.') {
        int64_t step = FX_ONE / 10;
        for (p++; p < end && *p >= '0' && *p <= '9'; p++, dec++) {
            if (dec < 4)
                x += (*p - '0') * step, step /= 10;
            else if (dec == 4)
                round_up = *p >= '5';       /* half away from zero, as fx_of */
        }
        if (dec == 0)
            return -1;
    }
    if (p != end || digits == 0)
        return -1;
    x += round_up;
    if (huge || x > FX_MAX)
        return -2;
    *out = neg ? -x : x;
    return 0;
}

/* The field [f, fe) as a NUL-terminated code in out (cut at cap - 1 bytes); returns out. */
static const char *code_of(char *out, size_t cap, const char *f, const char *fe)
{
    size_t n = (size_t)(fe - f) < cap - 1 ? (size_t)(fe - f) : cap - 1;
    memcpy(out, f, n);
    out[n] = '\0';
    return out;
}

/* One field: [*p, comma, end of line or a quote). */
static const char *field_end(const char *p, const char *end)
{
    while (p < end && *p != ',' && *p != '\n' && *p != '\r' && *p != '"')
        p++;
    return p;
}

/* One thread's share of the rows: [start, end), whole lines, row0 the row number before it. */
typedef struct part {
    const model *m;
    const char *path, *start, *end;
    const char *bad;       /* the row that failed */
    long row0, rows, lines;
    int targets, tty, rc, lang;
    engine_stage *st;
    err_t e;
} part;

static int parse_part(part *pt)
{
    const char *ic = NULL, *uc = NULL;       /* the previous row's codes, and their indices */
    size_t il = 0, ul = 0;
    int ind = -1, unit = -1;
    char code[80];
    static const char *const colname[4] = { "indicator", "unit", "period", "value" };
    const char *p = pt->start, *end = pt->end;
    long row = pt->row0;
    while (p < end) {
        row++;
        pt->bad = p, pt->lines = row - pt->row0;   /* where to look again if this row fails */
        if (*p == '\n' || *p == '\r') {        /* blank line */
            p += *p == '\r' && p + 1 < end && p[1] == '\n' ? 2 : 1;
            continue;
        }
        const char *f[4], *fe[4];
        int col;
        for (col = 0; col < 4; col++) {
            f[col] = p;
            fe[col] = field_end(p, end);
            p = fe[col];
            if (p < end && *p == '"')
                return err_set(&pt->e, tr("%s: dòng %ld, cột %d (%s): ô có dấu ngoặc kép; hãy nhập tệp này bằng chitieu import",
                                          "%s: row %ld, column %d (%s): quoted field; load this file with chitieu import"),
                               pt->path, row, col + 1, col == 3 && pt->targets ? "target" : colname[col]);
            if (col < 3) {
                if (p >= end || *p != ',')
                    break;
                p++;
            }
        }
        if (col < 4) {
            return err_set(&pt->e, tr("%s: dòng %ld: cần 4 cột (indicator,unit,period,%s), có %d",
                          "%s: row %ld: expected 4 columns (indicator,unit,period,%s), found %d"),
                    pt->path, row, pt->targets ? "target" : "value", col + 1);
        }
        if (p < end && *p == ',') {
            return err_set(&pt->e, tr("%s: dòng %ld: có hơn 4 cột", "%s: row %ld: more than 4 columns"), pt->path, row);
        }
        if (p < end && *p == '\r')
            p++;
        if (p < end && *p == '\n')
            p++;
        size_t l0 = (size_t)(fe[0] - f[0]), l1 = (size_t)(fe[1] - f[1]);
        if (ic == NULL || l0 != il || memcmp(f[0], ic, l0) != 0) {
            if ((ind = model_ind_find(pt->m, code_of(code, sizeof code, f[0], fe[0]))) < 0)
                return err_set(&pt->e, tr("%s: dòng %ld, cột 1 (indicator): không có chỉ tiêu mã \"%s\"",
                                          "%s: row %ld, column 1 (indicator): no indicator with code \"%s\""),
                               pt->path, row, code);
            ic = f[0], il = l0;
        }
        if (uc == NULL || l1 != ul || memcmp(f[1], uc, l1) != 0) {
            if ((unit = model_unit_find(pt->m, code_of(code, sizeof code, f[1], fe[1]))) < 0)
                return err_set(&pt->e, tr("%s: dòng %ld, cột 2 (unit): không có đơn vị mã \"%s\"",
                                          "%s: row %ld, column 2 (unit): no unit with code \"%s\""),
                               pt->path, row, code);
            uc = f[1], ul = l1;
        }
        period_t per;
        if (period_parse(f[2], (size_t)(fe[2] - f[2]), &per) != 0) {
            return err_set(&pt->e, tr("%s: dòng %ld, cột 3 (period): cần mã kỳ như 2025, 2025S1, 2025Q2, 2025-06, gặp \"%.*s\"",
                          "%s: row %ld, column 3 (period): expected a period code such as 2025, 2025S1, 2025Q2, 2025-06, found \"%.*s\""),
                    pt->path, row, (int)(fe[2] - f[2] > 40 ? 40 : fe[2] - f[2]), f[2]);
        }
        int64_t x;
        int bad = parse_fx(f[3], fe[3], &x);
        if (bad == -2)
            return err_set(&pt->e, tr("%s: dòng %ld, cột 4 (%s): %s, gặp \"%.*s\"", "%s: row %ld, column 4 (%s): %s, found \"%.*s\""),
                           pt->path, row, pt->targets ? "target" : "value", tr(FX_TOO_LARGE_VI, FX_TOO_LARGE_EN),
                           (int)(fe[3] - f[3] > 40 ? 40 : fe[3] - f[3]), f[3]);
        if (bad != 0) {
            return err_set(&pt->e, tr("%s: dòng %ld, cột 4 (%s): cần một số với dấu chấm thập phân (như 1234.5), gặp \"%.*s\"",
                          "%s: row %ld, column 4 (%s): expected a number (such as 1234.5), found \"%.*s\""),
                    pt->path, row, pt->targets ? "target" : "value", (int)(fe[3] - f[3] > 40 ? 40 : fe[3] - f[3]), f[3]);
        }
        if (engine_stage_put(pt->st, ind, unit, per, x) < 0) {
            err_set(&pt->e, "out of memory (%s, row %ld)", pt->path, row);
            return -1;
        }
        pt->rows++;
        if (pt->tty && (pt->rows & ((1 << 22) - 1)) == 0)
            fprintf(stderr, "\r%s: %d%%", pt->path, (int)(100 * (p - pt->start) / (pt->end - pt->start)));
    }
    pt->lines = row - pt->row0;
    return 0;
}

static void *run_part(void *arg)
{
    part *pt = arg;
    lang_thread(pt->lang);               /* messages in the caller's language */
    pt->rc = parse_part(pt);
    return NULL;
}

#define MAXPARTS 8

int engine_load_buf(engine *g, const model *m, const char *path, const char *data, size_t len, long *rows,
                    err_t *e)
{
    *rows = 0;
    if (len == 0)
        return err_set(e, tr("%s: tệp rỗng", "%s: empty file"), path);
    const char *p = data, *end = data + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    static const char hv[] = "indicator,unit,period,value", ht[] = "indicator,unit,period,target";
    int targets;
    if ((size_t)(end - p) >= sizeof hv - 1 && memcmp(p, hv, sizeof hv - 1) == 0)
        targets = 0, p += sizeof hv - 1;
    else if ((size_t)(end - p) >= sizeof ht - 1 && memcmp(p, ht, sizeof ht - 1) == 0)
        targets = 1, p += sizeof ht - 1;
    else
        return err_set(e, tr("%s: dòng 1: cần tiêu đề \"%s\" hoặc \"%s\"", "%s: row 1: expected the header \"%s\" or \"%s\""),
                       path, hv, ht);
    if (p < end && *p == '\r')
        p++;
    if (p < end && *p++ != '\n')
        return err_set(e, tr("%s: dòng 1: tiêu đề có thêm cột", "%s: row 1: the header has extra columns"), path);
    /* big files are cut into parts at line ends, one thread each; each counts its own lines,
     * and a failed row is read again with its number in the whole file for the message */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nparts = (size_t)(end - p) < ((size_t)1 << 20) ? 1 : ncpu < 1 ? 1 : ncpu > MAXPARTS ? MAXPARTS : (int)ncpu;
    part pt[MAXPARTS];
    pthread_t th[MAXPARTS];
    int started[MAXPARTS] = { 0 }, rc = 0;
    const char *at = p;
    for (int k = 0; k < nparts; k++) {
        const char *cut = k == nparts - 1 ? end : p + (size_t)(end - p) / (size_t)nparts * (size_t)(k + 1);
        if (cut < at)
            cut = at;
        while (cut < end && cut[-1] != '\n')
            cut++;
        pt[k] = (part){ .m = m, .path = path, .start = at, .end = cut, .targets = targets, .lang = (int)lang_get(),
                        .tty = k == 0 && isatty(2), .st = engine_stage_new(g, targets) };
        /* room for the shortest rows ("a,b,2021,1\n"): untouched pages cost nothing */
        if (pt[k].st == NULL || engine_stage_reserve(pt[k].st, (size_t)(cut - at) / 11 + 1) != 0)
            rc = -1;
        at = cut;
    }
    for (int k = 1; k < nparts && rc == 0; k++)
        started[k] = pthread_create(&th[k], NULL, run_part, &pt[k]) == 0;
    if (rc == 0)
        run_part(&pt[0]);
    for (int k = 1; k < nparts; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else if (rc == 0)
            run_part(&pt[k]);
    }
    if (rc != 0)
        err_set(e, "out of memory");
    long before = 1;                         /* the header */
    for (int k = 0; k < nparts && rc == 0; k++) {
        if (pt[k].rc != 0) {                 /* the first bad row in file order */
            const char *eol = memchr(pt[k].bad, '\n', (size_t)(end - pt[k].bad));
            part again = pt[k];
            again.start = pt[k].bad, again.end = eol ? eol + 1 : end;
            again.row0 = before + pt[k].lines - 1, again.rows = 0;
            if (parse_part(&again) != 0)
                err_set(e, "%s", again.e.msg);
            else
                err_set(e, "%s", pt[k].e.msg);
            rc = -1;
        }
        before += pt[k].lines;
    }
    if (pt[0].tty && pt[0].rows >= (1 << 22))
        fprintf(stderr, "\r%s: 100%%\n", path);
    for (int k = 0; k < nparts; k++) {
        if (rc == 0 && engine_stage_commit(pt[k].st) != 0) {
            err_set(e, "out of memory (%s)", path);
            rc = -1;
        } else if (rc != 0)
            engine_stage_free(pt[k].st);
        *rows += pt[k].rows;
    }
    return rc;
}

int engine_load_csv(engine *g, const model *m, const char *path, long *rows, err_t *e)
{
    int fd = -1, rc = -1;
    char *map = MAP_FAILED;
    size_t len = 0;
    struct stat st;
    *rows = 0;
    if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0) {
        err_set(e, "%s: %s", path, liberr_errno(errno));
        goto cleanup;
    }
    if ((len = (size_t)st.st_size) == 0) {
        err_set(e, tr("%s: tệp rỗng", "%s: empty file"), path);
        goto cleanup;
    }
    if ((map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
        err_set(e, "%s: %s", path, liberr_errno(errno));
        goto cleanup;
    }
    madvise(map, len, MADV_SEQUENTIAL);
    rc = engine_load_buf(g, m, path, map, len, rows, e);
cleanup:
    if (map != MAP_FAILED)
        munmap(map, len);
    if (fd >= 0)
        close(fd);
    return rc;
}
