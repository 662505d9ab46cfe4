/* cli.c - shared subcommand plumbing (see cli.h). */
#include "cli.h"
#include "engine.h"
#include "eval.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "engine_image_db.h"
#include "store_web.h"
#include "vn.h"

void cli_error(const char *cmd, const char *msg)
{
    fprintf(stderr, "chitieu %s: %s\n", cmd, msg);
}

int cli_no_args(const char *cmd, int npos)
{
    if (npos == 0)
        return 0;
    cli_error(cmd, tr("không nhận tham số vị trí", "takes no positional arguments"));
    return EXIT_USAGE;
}

int cli_format(const char *cmd, const char *fmt, const char *choices)
{
    size_t n = strlen(fmt);
    for (const char *p = choices; n && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && strncmp(p, fmt, n) == 0)
            return 0;
        p += len + (bar != NULL);
    }
    fprintf(stderr, tr("chitieu %s: --format cần một trong %s (không phải '%s')\n",
                       "chitieu %s: --format takes one of %s (not '%s')\n"), cmd, choices, fmt);
    return EXIT_USAGE;
}

int cli_parse(int argc, char **argv, const cli_opt *opts, int *npos, int *help)
{
    int np = 0, only_pos = 0;
    *help = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            argv[++np] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            *help = 1;
            continue;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const cli_opt *o = opts;
        for (; o && o->name; o++)
            if ((strlen(o->name) == nlen && strncmp(o->name, a, nlen) == 0) ||
                (o->alias && strlen(o->alias) == nlen && strncmp(o->alias, a, nlen) == 0))
                break;
        if (o == NULL || o->name == NULL) {
            fprintf(stderr, tr("chitieu %s: không có tùy chọn '%.*s' (xem '%s --help')\n",
                               "chitieu %s: unknown option '%.*s' (see '%s --help')\n"),
                    argv[0], (int)nlen, a, argv[0]);
            return EXIT_USAGE;
        }
        if (o->dest == NULL) {
            if (eq) {
                fprintf(stderr, tr("chitieu %s: tùy chọn %s không nhận giá trị\n",
                                   "chitieu %s: option %s takes no value\n"), argv[0], o->name);
                return EXIT_USAGE;
            }
            *o->flag = 1;
            continue;
        }
        if (eq)
            *o->dest = eq + 1;
        else if (i + 1 < argc)
            *o->dest = argv[++i];
        else {
            fprintf(stderr, tr("chitieu %s: tùy chọn %s cần một giá trị\n",
                               "chitieu %s: option %s needs a value\n"), argv[0], o->name);
            return EXIT_USAGE;
        }
    }
    *npos = np;
    return 0;
}

int cli_open(const char *cmd, const char *db, store **s, model **m)
{
    return cli_open_part(cmd, db, STORE_ALL, s, m);
}

int cli_open_part(const char *cmd, const char *db, int what, store **s, model **m)
{
    err_t e;
    *s = NULL;
    *m = model_new();
    if (*m == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    /* The engine computes every figure once; evaluation then reads them (engine.h). */
    if (store_open(store_default_path(db), 0, s, &e) != 0 || store_load_part(*s, *m, what, &e) != 0 ||
        ((what & STORE_VALUES) && engine_build(*m, 2, &(*m)->engine, &e) != 0)) {
        cli_error(cmd, e.msg);
        store_close(*s);
        model_free(*m);
        *s = NULL;
        *m = NULL;
        return -1;
    }
    return 0;
}

/* One read of the catalogue and the year's figures; 0 or -1 with e (*m and *g kept for the caller to free). */
static int load_year_once(store *s, const char *path, cli_year_load *ld, model **m, engine **g, err_t *e)
{
    engine_opts o = { .threads = ld->threads };
    if ((*m = model_new()) == NULL)
        return err_set(e, "out of memory");
    if (store_load_part(s, *m, 0, e) != 0 || engine_new(*m, &o, ld->year, ld->year, g, e) != 0)
        return -1;
    if ((ld->values ? engine_load_csv(*g, *m, ld->values, &ld->nv, e)
                    : engine_load_store(*g, *m, path, 0, ld->threads, &ld->nv, e)) != 0)
        return -1;
    if (ld->between)
        ld->between(ld->ctx);
    return ld->targets ? engine_load_csv(*g, *m, ld->targets, &ld->nt, e)
                       : engine_load_store(*g, *m, path, 1, ld->threads, &ld->nt, e);
}

int cli_load_year(const char *db, cli_year_load *ld, store **s, model **m, engine **g, err_t *e)
{
    enum { TRIES = 5 };
    const char *path = store_default_path(db);
    int from_store = ld->values == NULL || ld->targets == NULL;
    *m = NULL, *g = NULL;
    if (store_open(path, 0, s, e) != 0)
        return -1;
    for (ld->attempts = 1; ld->attempts <= TRIES; ld->attempts++) {
        /* the generation moves with every write (figures, catalogue): the same before and after
         * means every part read the same data */
        int64_t before = store_generation(*s, e);
        if (before < 0 || load_year_once(*s, path, ld, m, g, e) != 0)
            break;
        int64_t after = store_generation(*s, e);
        if (after < 0)
            break;
        if (!from_store || after == before)
            return 0;
        engine_free(*g), model_free(*m);
        *g = NULL, *m = NULL;
        if (ld->attempts == TRIES)
            err_set(e, tr("cơ sở dữ liệu thay đổi trong lúc đọc (%d lần liền); hãy chạy lại",
                          "the database changed while it was read (%d times in a row); run again"), TRIES);
    }
    engine_free(*g), model_free(*m);
    store_close(*s);
    *g = NULL, *m = NULL, *s = NULL;
    return -1;
}

/* The image path cli_open_unit tries for db (ld's or the default, built in path), or NULL for
 * none: "none", PostgreSQL, or no file at the default path (nothing to say: no server wrote one). */
static const char *image_path(const char *db, const cli_unit_load *ld, buf *path)
{
    if (ld && ld->image)
        return strcmp(ld->image, "none") == 0 ? NULL : ld->image;
    if (strncmp(db, "postgres://", 11) == 0 || strncmp(db, "postgresql://", 13) == 0)
        return NULL;
    buf_printf(path, "%s.engine", db);
    return access(buf_str(path), F_OK) == 0 ? buf_str(path) : NULL;   /* none yet: nothing to say */
}

/* In s's open snapshot, *m holding the catalogue read in it: the cells from the image when one is
 * usable (1, *m held and caught up), else 0 (stderr says why, unless there is no image at all;
 * *m again the catalogue alone, read anew if the attempt touched it); -1 with e. */
static int try_image(const char *cmd, store *s, const char *db, cli_unit_load *ld, model **m, err_t *e)
{
    buf path = BUF_INIT, msg = BUF_INIT;
    const char *img = image_path(db, ld, &path);
    err_t why;
    int64_t gen = 0;
    int r = 0;
    if (img && access(img, R_OK) != 0)
        err_set(&why, "%s", tr("không đọc được tệp", "cannot read the file"));
    else if (img)
        r = engine_image_load_db(s, *m, img, 2, &gen, &why, e);
    if (r == 1 && ld) {
        ld->from_image = 1;
        ld->image_gen = gen;
    } else if (r == 0 && img) {
        buf_printf(&msg, tr("không dùng ảnh engine %s: %s; đọc cơ sở dữ liệu", "engine image %s not used: %s; "
                            "reading the database"), img, why.msg);
        cli_error(cmd, buf_str(&msg));
    }
    buf_free(&path);
    buf_free(&msg);
    if (r == 0 && ((*m)->held || (*m)->engine || (*m)->values.n || (*m)->targets.n)) {
        model_free(*m);                          /* part read: the catalogue again, same snapshot */
        if ((*m = model_new()) == NULL)
            return err_set(e, "out of memory");
        if (store_load_part(s, *m, 0, e) != 0)
            return -1;
    }
    return r;
}

/* In s's open snapshot: *m replaced by a model with every cell and its engine; 0 or -1 with e. */
static int load_all(store *s, model **m, err_t *e)
{
    model_free(*m);
    if ((*m = model_new()) == NULL)
        return err_set(e, "out of memory");
    if (store_load_part(s, *m, STORE_ALL, e) != 0)
        return -1;
    /* the engine over those cells alone: the unit's figures and its peers' are whole */
    return engine_build(*m, 2, &(*m)->engine, e);
}

int cli_open_unit(const char *cmd, const char *db, const char *unit, cli_unit_load *ld, store **s, model **m)
{
    err_t e;
    unsigned char *want = NULL;
    int rc = -1, in_read = 0;
    const char *path = store_default_path(db);
    *s = NULL;
    *m = model_new();
    if (*m == NULL) {
        err_set(&e, "out of memory");
        goto fail;
    }
    if (store_open(path, 0, s, &e) != 0 || store_read_begin(*s, &e) != 0)
        goto fail;
    in_read = 1;
    if (store_load_part(*s, *m, 0, &e) != 0)
        goto fail;
    int u = unit ? model_unit_find(*m, unit) : -1;
    if (u >= 0) {
        if ((want = calloc((*m)->nunits, 1)) == NULL) {
            err_set(&e, "out of memory");
            goto fail;
        }
        /* the image (~0,4 s of CPU at M whatever the unit) beats reading the cells from a
         * commune's ~1/11 of the units up (0,8 s); a district or more: one pass over the tables
         * beats a range read per unit */
        size_t n = eval_units_needed(*m, u, want);
        int r = n > (*m)->nunits / CLI_IMAGE_FROM ? try_image(cmd, *s, path, ld, m, &e) : 0;
        if (r < 0 || (r == 0 && (n > (*m)->nunits / 4 ? load_all(*s, m, &e)
                                                       : engine_hold_units(*m, *s, want, 2, &e)) != 0))
            goto fail;           /* engine_hold_units: those cells held by the engine alone (model_hold) */
    }
    rc = 0;
    goto cleanup;
fail:
    cli_error(cmd, e.msg);
    if (in_read)
        store_read_end(*s);
    in_read = 0;
    store_close(*s);
    model_free(*m);
    *s = NULL;
    *m = NULL;
cleanup:
    if (in_read)
        store_read_end(*s);
    free(want);
    return rc;
}

int cli_image_opt(const char *cmd, const char *image)
{
    if (image == NULL || *image)
        return 0;
    cli_error(cmd, tr("--engine-image cần một tệp hoặc none", "--engine-image needs a file or none"));
    return EXIT_USAGE;
}

int cli_unit_period(const char *cmd, const model *m, const char *unit, const char *period,
                    int *u, period_t *p)
{
    if (unit == NULL || period == NULL) {
        cli_error(cmd, tr("cần --unit MÃ_ĐƠN_VỊ và --period KỲ (ví dụ --unit cau-giay --period 2022)",
                          "--unit CODE and --period PERIOD are required (e.g. --unit cau-giay --period 2022)"));
        return -1;
    }
    *u = model_unit_find(m, unit);
    if (*u < 0) {
        buf b = BUF_INIT;
        buf_printf(&b, tr("không có đơn vị mã '%s' (xem 'chitieu units')",
                          "no unit has the code '%s' (see 'chitieu units')"), unit);
        cli_error(cmd, buf_str(&b));
        buf_free(&b);
        return -1;
    }
    if (period_parse(period, strlen(period), p) != 0) {
        buf b = BUF_INIT;
        buf_printf(&b, tr("mã kỳ không hợp lệ '%s' (cần 2022, 2022S1, 2022M9, 2022Q2, 2022-05 hoặc 2020-2025)",
                          "invalid period '%s' (expected 2022, 2022S1, 2022M9, 2022Q2, 2022-05 or 2020-2025)"), period);
        cli_error(cmd, buf_str(&b));
        buf_free(&b);
        return -1;
    }
    return 0;
}

int cli_write(const char *cmd, const char *path, const buf *b)
{
    if (path == NULL || strcmp(path, "-") == 0) {
        if (fwrite(buf_str(b), 1, b->len, stdout) != b->len || fflush(stdout) != 0) {
            cli_error(cmd, tr("không ghi được ra đầu ra chuẩn", "cannot write to standard output"));
            return -1;
        }
        return 0;
    }
    buf tmp = BUF_INIT;
    buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(buf_str(&tmp), "wb");
    int ok = f && fwrite(buf_str(b), 1, b->len, f) == b->len;
    if (f && fclose(f) != 0)
        ok = 0;
    if (ok && rename(buf_str(&tmp), path) != 0)
        ok = 0;
    if (!ok) {
        remove(buf_str(&tmp));
        buf msg = BUF_INIT;
        buf_printf(&msg, tr("không ghi được tệp '%s'", "cannot write the file '%s'"), path);
        cli_error(cmd, buf_str(&msg));
        buf_free(&msg);
    }
    buf_free(&tmp);
    return ok ? 0 : -1;
}

void cli_table_init(cli_table *t, int ncols, unsigned right_cols)
{
    buf_init(&t->cells, 0);
    t->ncols = ncols;
    t->nrows = 0;
    t->right = right_cols;
}

void cli_table_cell(cli_table *t, const char *s)
{
    buf_adds(&t->cells, s ? s : "");
    buf_addc(&t->cells, '\0');
}

void cli_table_render(const cli_table *t, buf *out)
{
    size_t ncells = 0;
    for (size_t i = 0; i < t->cells.len; i++)
        ncells += t->cells.p[i] == '\0';
    size_t *w = calloc((size_t)t->ncols, sizeof *w);
    const char **cell = calloc(ncells + 1, sizeof *cell);
    if (w == NULL || cell == NULL)
        goto cleanup;
    const char *p = buf_str(&t->cells);
    for (size_t k = 0; k < ncells; k++) {
        cell[k] = p;
        size_t len = strlen(p), dw = vn_width(p, len);
        if (dw > w[k % (size_t)t->ncols])
            w[k % (size_t)t->ncols] = dw;
        p += len + 1;
    }
    for (size_t k = 0; k < ncells; k++) {
        int c = (int)(k % (size_t)t->ncols);
        size_t pad = w[c] - vn_width(cell[k], strlen(cell[k]));
        int last = c == t->ncols - 1;
        if (t->right & (1u << c))
            for (size_t i = 0; i < pad; i++)
                buf_addc(out, ' ');
        buf_adds(out, cell[k]);
        if (!(t->right & (1u << c)) && !last)
            for (size_t i = 0; i < pad; i++)
                buf_addc(out, ' ');
        buf_adds(out, last ? "\n" : "  ");
    }
cleanup:
    free(w);
    free(cell);
}

void cli_table_free(cli_table *t) { buf_free(&t->cells); }

int cli_read_file(const char *cmd, const char *path, buf *out)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    size_t n;
    int rc = -1;
    if (f == NULL)
        goto fail;
    if (fseek(f, 0, SEEK_END) == 0) { /* one allocation when the size is known */
        long size = ftell(f);
        if (size > 0)
            buf_reserve(out, (size_t)size);
        rewind(f);
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_add(out, chunk, n) != 0) {
            buf msg = BUF_INIT;
            buf_printf(&msg, tr("tệp '%s' lớn quá giới hạn %zu MiB (hoặc hết bộ nhớ); hãy chia nhỏ tệp",
                                "the file '%s' is over the %zu MiB limit (or memory ran out); split it"),
                       path, out->max >> 20);
            cli_error(cmd, buf_str(&msg));
            buf_free(&msg);
            fclose(f);
            return -1;
        }
    if (!ferror(f))
        rc = 0;
fail:
    if (rc != 0) {
        buf msg = BUF_INIT;
        buf_printf(&msg, tr("không đọc được tệp '%s'", "cannot read the file '%s'"), path);
        cli_error(cmd, buf_str(&msg));
        buf_free(&msg);
    }
    if (f)
        fclose(f);
    return rc;
}

void cli_csv_field(buf *b, const char *s, int last)
{
    csv_write_field(b, s);
    buf_adds(b, last ? "\n" : ",");
}
