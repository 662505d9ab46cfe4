/* engine_image.c - the engine image on disk (engine_image.h, docs/internals/engine_image.md).
 *
 * File: a 256-byte header (magic, version, layout, schema, database id, generation, newest batch
 * and its hash, catalogue fingerprint, payload length, checksum), then the payload in this
 * machine's byte order (the layout id says which): the engine's years, its values and its targets
 * (per unit run lengths, then every key, then every figure, units in index order, keys ascending
 * in each run), the model's per-year value counts, and the model's side cells.  The checksum is
 * BLAKE2b (libsodium) over the header's first 224 bytes and the payload.
 *
 * Writing streams through a 1 MiB buffer that is hashed as it is flushed; reading refills the same
 * kind of buffer (big arrays straight into place), hashing as it goes, never past the header's
 * payload length.  The reader fills a new engine's runs in place (engine_run keeps runs it finds
 * there) and a list of side cells it owns; only after the checksum matches does it give them to
 * the model.
 */
#define _GNU_SOURCE                /* sync_file_range */
#include "engine_image.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "engine_int.h"
#include "fixed.h"
#include "file.h"

#define MAGIC "CHITIEU-ENGINE\0"   /* 16 bytes with the terminator */
#define SUMMED 224                 /* header bytes the checksum covers (the rest is the checksum) */
#define CHUNK ((size_t)1 << 20)
#define MAX_COMMENT ((uint32_t)1 << 20)

uint32_t engine_image_layout(void)
{
    const uint16_t probe = 1;
    uint8_t little = *(const uint8_t *)&probe;
    return (uint32_t)little << 28 | (uint32_t)sizeof(size_t) << 24 | (uint32_t)sizeof(double) << 20 |
           (uint32_t)SPY << 12 | (uint32_t)(FX_ONE == 10000) << 8 | (uint32_t)(ENGINE_NYEARS & 0xff);
}

static void hash_str(crypto_generichash_state *h, const char *s)
{
    s = s ? s : "";
    crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
}

static void hash_int(crypto_generichash_state *h, int64_t v)
{
    crypto_generichash_update(h, (const unsigned char *)&v, sizeof v);
}

void engine_image_catalogue(const model *m, uint8_t out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    hash_int(&h, (int64_t)m->nunits);
    for (size_t u = 0; u < m->nunits; u++) {
        const unit_t *x = &m->units[u];
        hash_str(&h, x->code);
        hash_int(&h, x->parent);
        hash_int(&h, x->valid_from);
        hash_int(&h, x->valid_to);
    }
    hash_int(&h, (int64_t)m->ninds);
    for (size_t i = 0; i < m->ninds; i++) {
        const ind_t *x = &m->inds[i];
        hash_str(&h, x->code);
        hash_str(&h, x->formula_src);
        hash_int(&h, x->parent);
        hash_int(&h, x->decimals);
        hash_int(&h, x->uagg);
        hash_int(&h, x->pagg);
        hash_int(&h, x->dir);
    }
    hash_int(&h, (int64_t)m->nsuccs);
    for (size_t k = 0; k < m->nsuccs; k++) {
        const succ_t *x = &m->succs[k];
        hash_int(&h, x->from);
        hash_int(&h, x->to);
        hash_int(&h, x->date);
        crypto_generichash_update(&h, (const unsigned char *)&x->share, sizeof x->share);
    }
    crypto_generichash_final(&h, out, 32);
}

void engine_image_batch_sum(const char *at, const char *who, uint8_t out[16])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 16);
    hash_str(&h, at);
    hash_str(&h, who);
    crypto_generichash_final(&h, out, 16);
}

/* ---- header ---- */

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static void header_pack(uint8_t *h, const engine_image_id *id, uint64_t payload)
{
    memset(h, 0, ENGINE_IMAGE_HEADER);
    memcpy(h, MAGIC, 16);
    put32(h + 16, ENGINE_IMAGE_VERSION);
    put32(h + 20, engine_image_layout());
    put32(h + 24, (uint32_t)id->schema);
    memcpy(h + 32, id->db_id, strnlen(id->db_id, sizeof id->db_id - 1));
    put64(h + 96, (uint64_t)id->gen);
    put64(h + 104, (uint64_t)id->batch);
    memcpy(h + 112, id->batch_sum, 16);
    memcpy(h + 128, id->catalogue, 32);
    put64(h + 160, payload);
}

int engine_image_header(FILE *f, engine_image_id *id, err_t *e)
{
    uint8_t h[ENGINE_IMAGE_HEADER];
    memset(id, 0, sizeof *id);
    if (fread(h, 1, sizeof h, f) != sizeof h)
        return err_set(e, "engine image: truncated header");
    if (memcmp(h, MAGIC, 16) != 0)
        return err_set(e, "engine image: not an engine image (magic)");
    if (get32(h + 16) != ENGINE_IMAGE_VERSION)
        return err_set(e, "engine image: format version %u, this binary reads %d", get32(h + 16), ENGINE_IMAGE_VERSION);
    if (get32(h + 20) != engine_image_layout())
        return err_set(e, "engine image: written by a binary of another layout (%08x, here %08x)", get32(h + 20),
                       engine_image_layout());
    id->schema = (int32_t)get32(h + 24);
    memcpy(id->db_id, h + 32, 63);
    id->db_id[63] = '\0';
    id->gen = (int64_t)get64(h + 96);
    id->batch = (int64_t)get64(h + 104);
    memcpy(id->batch_sum, h + 112, 16);
    memcpy(id->catalogue, h + 128, 32);
    return 0;
}

int engine_image_open(const char *path, engine_image_id *id, FILE **f, err_t *e)
{
    *f = fopen(path, "rb");
    if (*f == NULL)
        return err_set(e, errno == ENOENT ? "none yet" : "cannot open it");
    posix_fadvise(fileno(*f), 0, 0, POSIX_FADV_SEQUENTIAL);   /* read ahead: it is read once, in order */
    if (engine_image_header(*f, id, e) != 0) {
        fclose(*f);
        *f = NULL;
        return -1;
    }
    return 0;
}

/* ---- writing ---- */

typedef struct wr {
    FILE *f;
    crypto_generichash_state h;
    uint8_t *b;
    size_t n;
    uint64_t total;
    int bad;
    int fd;                /* the file's, for write-back as it goes (-1: none, or in memory) */
    uint64_t back, waited; /* write-back started up to back, finished up to waited (file offsets) */
} wr;

#define WRITE_BACK ((uint64_t)32 << 20)

/* Every WRITE_BACK bytes: the disk starts writing them, and the window before is waited for, so
 * the 1,5 GB of a national image never sit dirty until the final fsync (a burst that held back
 * every other fsync on the disk — a save's commit — for up to a second).  Advisory: errors are
 * the final fsync's to report. */
static void wr_write_back(wr *w)
{
    uint64_t at = ENGINE_IMAGE_HEADER + w->total;
    if (w->fd < 0 || at - w->back < WRITE_BACK || fflush(w->f) != 0)
        return;
    if (w->back > w->waited)
        sync_file_range(w->fd, (off64_t)w->waited, (off64_t)(w->back - w->waited),
                        SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    w->waited = w->back;
    sync_file_range(w->fd, (off64_t)w->back, (off64_t)(at - w->back), SYNC_FILE_RANGE_WRITE);
    w->back = at;
}

static void wr_flush(wr *w)
{
    crypto_generichash_update(&w->h, w->b, w->n);
    if (w->n && fwrite(w->b, 1, w->n, w->f) != w->n)
        w->bad = 1;
    w->n = 0;
    wr_write_back(w);
}

static void wr_bytes(wr *w, const void *p, size_t len)
{
    const uint8_t *s = p;
    w->total += len;
    while (len) {
        size_t k = CHUNK - w->n < len ? CHUNK - w->n : len;
        memcpy(w->b + w->n, s, k);
        w->n += k, s += k, len -= k;
        if (w->n == CHUNK)
            wr_flush(w);
    }
}

static void wr32(wr *w, uint32_t v) { wr_bytes(w, &v, 4); }
static void wr64(wr *w, uint64_t v) { wr_bytes(w, &v, 8); }

/* One csr: run lengths, keys, figures, units in order. */
static void wr_csr(wr *w, const csr *c, int nunits)
{
    uint64_t n = 0;
    for (int u = 0; u < nunits; u++)
        n += c->len[u];
    wr64(w, n);
    wr_bytes(w, c->len, (size_t)nunits * sizeof *c->len);
    for (int u = 0; u < nunits; u++)
        wr_bytes(w, c->key + c->off[u], c->len[u] * sizeof *c->key);
    for (int u = 0; u < nunits; u++)
        wr_bytes(w, c->fx + c->off[u], c->len[u] * sizeof *c->fx);
}

static void wr_side(wr *w, const cellmap *cm)
{
    wr64(w, cm->n);
    for (size_t k = 0; k < cm->n; k++) {
        const cell_t *c = &cm->cells[k];
        size_t clen = c->comment ? strnlen(c->comment, MAX_COMMENT) : 0;
        if (clen >= MAX_COMMENT)
            w->bad = 1;                    /* not cut short: the write fails instead */
        wr32(w, (uint32_t)c->ind);
        wr32(w, (uint32_t)c->unit);
        uint8_t p[6] = { c->per.kind, c->per.n };
        memcpy(p + 2, &c->per.y, 2);
        memcpy(p + 4, &c->per.y2, 2);
        wr_bytes(w, p, sizeof p);
        wr_bytes(w, &c->v, sizeof c->v);
        wr32(w, (uint32_t)clen);
        wr_bytes(w, c->comment ? c->comment : "", clen < MAX_COMMENT ? clen : 0);
    }
}

/* The payload's head: the engine's sizes and years (both writers below). */
static void wr_dims(wr *w, const engine *g)
{
    int y0, y1;
    engine_years(g, &y0, &y1);
    wr32(w, (uint32_t)g->nunits);
    wr32(w, (uint32_t)g->ninds);
    wr32(w, (uint32_t)y0);
    wr32(w, (uint32_t)y1);
}

static void wr_payload(wr *w, const model *m)
{
    const engine *g = m->engine;
    wr_dims(w, g);
    wr_csr(w, &g->val, g->nunits);
    wr_csr(w, &g->tgt, g->nunits);
    wr_bytes(w, m->year_values, sizeof m->year_values);
    wr_side(w, &m->values);
    wr_side(w, &m->targets);
    wr_flush(w);
}

/* Opens path.tmp for writing, locked: another process writing the same image (two servers on one
 * database) makes this one give up.  The fd, or -1 with e. */
static int open_tmp(const char *tmp, err_t *e)
{
    struct stat held, named;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(e, "engine image %s: cannot create", tmp);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &held) != 0 || stat(tmp, &named) != 0 ||
        held.st_ino != named.st_ino || held.st_dev != named.st_dev) {
        close(fd);                         /* locked, or renamed meanwhile by its writer */
        return err_set(e, "engine image %s: another process is writing it", tmp);
    }
    if (ftruncate(fd, 0) != 0) {
        close(fd);
        return err_set(e, "engine image %s: cannot create", tmp);
    }
    return fd;
}

/* Writes header and payload (payload(w, ctx): 0, or -1 with e when it gave up) to path.tmp,
 * locked; *fd keeps the lock.  0 or -1 with e (path.tmp removed). */
static int write_file(const char *path, const engine_image_id *id, int (*payload)(wr *, void *, err_t *), void *ctx,
                      int *fd, uint64_t *bytes, err_t *e)
{
    char tmp[4200];
    uint8_t h[ENGINE_IMAGE_HEADER], sum[32];
    wr w = { 0 };
    int rc = -1, own = -1;
    *fd = -1;
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return err_set(e, "engine image: path too long");
    if ((w.b = malloc(CHUNK)) == NULL)
        return err_set(e, "out of memory");
    own = open_tmp(tmp, e);
    int dupd = own >= 0 ? dup(own) : -1;
    w.fd = -1;
    if (own < 0 || dupd < 0 || (w.f = fdopen(dupd, "wb")) == NULL) {
        if (dupd >= 0)
            close(dupd);
        if (own >= 0)
            err_set(e, "engine image %s: cannot create", tmp);
        goto cleanup;
    }
    header_pack(h, id, 0);                 /* room for it; written again at the end */
    if (fwrite(h, 1, sizeof h, w.f) != sizeof h)
        w.bad = 1;
    w.fd = dupd;
    crypto_generichash_init(&w.h, NULL, 0, sizeof sum);
    if (payload(&w, ctx, e) != 0)
        goto cleanup;
    header_pack(h, id, w.total);
    crypto_generichash_state hh;           /* the header's fields first, then the payload's hash */
    crypto_generichash_init(&hh, NULL, 0, sizeof sum);
    crypto_generichash_update(&hh, h, SUMMED);
    crypto_generichash_final(&w.h, sum, sizeof sum);
    crypto_generichash_update(&hh, sum, sizeof sum);
    crypto_generichash_final(&hh, h + SUMMED, sizeof sum);
    if (w.bad || fseek(w.f, 0, SEEK_SET) != 0 || fwrite(h, 1, sizeof h, w.f) != sizeof h) {
        err_set(e, "engine image %s: write failed", tmp);
        goto cleanup;
    }
    int closed = fclose(w.f);              /* the lock stays with own */
    w.f = NULL;
    if (closed != 0) {
        err_set(e, "engine image %s: write failed", tmp);
        goto cleanup;
    }
    if (bytes)
        *bytes = w.total + ENGINE_IMAGE_HEADER;
    *fd = own;
    rc = 0;
cleanup:
    if (w.f)
        fclose(w.f);
    if (rc != 0 && own >= 0) {
        remove(tmp);
        close(own);
    }
    free(w.b);
    return rc;
}

static int payload_of_model(wr *w, void *ctx, err_t *e)
{
    (void)e;
    wr_payload(w, ctx);
    return 0;
}

int engine_image_write_tmp(const model *m, const engine_image_id *id, const char *path, int *fd, uint64_t *bytes,
                           err_t *e)
{
    *fd = -1;
    if (!m->held || m->engine == NULL || !m->engine->ran)
        return err_set(e, "engine image: the model's cells are not held by a computed engine");
    return write_file(path, id, payload_of_model, (void *)m, fd, bytes, e);
}

int engine_image_commit(const char *path, int fd, err_t *e)
{
    char tmp[4200];
    int rc = 0;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);   /* fits: write_tmp made it */
    if (fsync(fd) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        rc = err_set(e, "engine image %s: write failed", path);
    }
    close(fd);                             /* the lock goes with it */
    if (rc == 0)
        file_sync_dir(path);
    return rc;
}

int engine_image_write(const model *m, const engine_image_id *id, const char *path, uint64_t *bytes, err_t *e)
{
    int fd;
    if (engine_image_write_tmp(m, id, path, &fd, bytes, e) != 0)
        return -1;
    return engine_image_commit(path, fd, e);
}

/* ---- a snapshot written while the model changes ---- */

#define SNAP_SAVED_MAX ((size_t)256 << 20)   /* runs saved for the image beyond this: it gives up */

typedef struct old_run {
    uint32_t len;
    uint32_t *key;
    int64_t *fx;
} old_run;

struct engine_image_snap {
    engine *g;
    int gone;                  /* model replaced, too many changes, or finished: no more watching */
    int overflow;              /* the saved runs passed SNAP_SAVED_MAX (or out of memory) */
    int nunits;
    uint32_t *len[2];          /* run lengths at the start: values [0], targets [1] */
    old_run **saved[2];        /* per unit: its run as at the start, saved before its first change */
    int done[2];               /* units [0, done) are written: changes to them need no saving */
    size_t saved_bytes;
    char *tail;                /* year counts, side values, side targets: serialised at the start */
    size_t ntail;
};

static void old_run_free(old_run *r)
{
    if (r) {
        free(r->key);
        free(r->fx);
        free(r);
    }
}

/* engine_watch: unit's run of csr t is about to change (the changer holds the model exclusively). */
static void snap_watch(void *ctx, int t, int u)
{
    engine_image_snap *s = ctx;
    if (s->gone || s->overflow || u < s->done[t] || u >= s->nunits || s->saved[t][u])
        return;
    const csr *c = t ? &s->g->tgt : &s->g->val;
    uint32_t n = c->len[u];
    old_run *r = calloc(1, sizeof *r);
    size_t bytes = (size_t)n * (sizeof *r->key + sizeof *r->fx);
    if (r && s->saved_bytes + bytes <= SNAP_SAVED_MAX) {
        r->len = n;
        r->key = malloc(n ? n * sizeof *r->key : 1);
        r->fx = malloc(n ? n * sizeof *r->fx : 1);
    }
    if (r == NULL || r->key == NULL || r->fx == NULL) {
        old_run_free(r);
        s->overflow = 1;           /* the image cannot be of the start any more: it gives up */
        return;
    }
    memcpy(r->key, c->key + c->off[u], (size_t)n * sizeof *r->key);
    memcpy(r->fx, c->fx + c->off[u], (size_t)n * sizeof *r->fx);
    s->saved_bytes += bytes;
    s->saved[t][u] = r;
}

/* The year counts and side cells of m serialised as the payload's tail; 0 or -1 with e. */
static int tail_of(const model *m, char **out, size_t *n, err_t *e)
{
    wr t = { .fd = -1 };
    *out = NULL;
    *n = 0;
    if ((t.b = malloc(CHUNK)) == NULL || (t.f = open_memstream(out, n)) == NULL) {
        free(t.b);
        return err_set(e, "out of memory");
    }
    crypto_generichash_init(&t.h, NULL, 0, 32);
    wr_bytes(&t, m->year_values, sizeof m->year_values);
    wr_side(&t, &m->values);
    wr_side(&t, &m->targets);
    wr_flush(&t);
    int closed = fclose(t.f);
    free(t.b);
    if (t.bad || closed != 0) {
        free(*out);
        *out = NULL;
        return err_set(e, t.bad ? "engine image: a comment of 1 MiB or more" : "out of memory");
    }
    return 0;
}

void engine_image_snap_free(engine_image_snap *s)
{
    if (s == NULL)
        return;
    for (int t = 0; t < 2; t++) {
        for (int u = 0; s->saved[t] && u < s->nunits; u++)
            old_run_free(s->saved[t][u]);
        free(s->saved[t]);
        free(s->len[t]);
    }
    free(s->tail);
    free(s);
}

int engine_image_snap_begin(model *m, engine_image_snap **out, err_t *e)
{
    *out = NULL;
    if (!m->held || m->engine == NULL || !m->engine->ran)
        return err_set(e, "engine image: the model's cells are not held by a computed engine");
    engine *g = m->engine;
    engine_image_snap *s = calloc(1, sizeof *s);
    if (s == NULL)
        return err_set(e, "out of memory");
    s->g = g;
    s->nunits = g->nunits;
    size_t nu = (size_t)g->nunits + 1;
    for (int t = 0; t < 2; t++) {
        s->len[t] = malloc(nu * sizeof *s->len[t]);
        s->saved[t] = calloc(nu, sizeof *s->saved[t]);
        if (s->len[t] == NULL || s->saved[t] == NULL) {
            engine_image_snap_free(s);
            return err_set(e, "out of memory");
        }
        memcpy(s->len[t], (t ? &g->tgt : &g->val)->len, (size_t)g->nunits * sizeof *s->len[t]);
    }
    if (tail_of(m, &s->tail, &s->ntail, e) != 0) {
        engine_image_snap_free(s);
        return -1;
    }
    engine_watch(g, snap_watch, s);
    *out = s;
    return 0;
}

void engine_image_snap_void(engine_image_snap *s)
{
    if (s == NULL || s->gone)
        return;
    if (s->g->watch_ctx == s)
        engine_watch(s->g, NULL, NULL);
    s->gone = 1;
}

typedef struct snap_ctx {
    engine_image_snap *s;
    pthread_rwlock_t *lock;
    size_t hold;               /* bytes copied per hold of the read lock */
    void (*pause)(void *);
    void *pause_ctx;
    double held_max;           /* the longest hold, s */
    int gave_up;
} snap_ctx;

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Copies up to room bytes of csr t's keys (fx 0) or figures (fx 1) into w's buffer from unit *u,
 * element *at on, each unit from its saved run if it has one; marks the units finished (fx) done
 * and frees their saved runs.  The caller holds the read lock.  -1 if a run changed unseen. */
static int snap_copy(engine_image_snap *s, int t, int fx, int *u, uint32_t *at, size_t room, wr *w)
{
    const csr *c = t ? &s->g->tgt : &s->g->val;
    size_t el = fx ? sizeof *c->fx : sizeof *c->key, copied = 0;
    while (*u < s->nunits && copied + el <= room) {
        const old_run *r = s->saved[t][*u];
        uint32_t len = s->len[t][*u];
        if (r ? r->len != len : c->len[*u] != len)
            return -1;
        const uint8_t *src = r ? (fx ? (const uint8_t *)r->fx : (const uint8_t *)r->key)
                               : (fx ? (const uint8_t *)(c->fx + c->off[*u]) : (const uint8_t *)(c->key + c->off[*u]));
        size_t k = (room - copied) / el, left = len - *at;
        if (k > left)
            k = left;
        memcpy(w->b + w->n + copied, src + (size_t)*at * el, k * el);
        copied += k * el;
        *at += (uint32_t)k;
        if (*at < len)
            break;
        if (fx) {
            old_run_free(s->saved[t][*u]);
            s->saved[t][*u] = NULL;
            s->done[t] = *u + 1;
        }
        (*u)++;
        *at = 0;
    }
    w->n += copied;
    w->total += copied;
    return 0;
}

/* One csr's keys or figures, a hold of the read lock at a time; 0, or 1 when it gave up. */
static int snap_pass(wr *w, snap_ctx *x, int t, int fx)
{
    engine_image_snap *s = x->s;
    int u = 0;
    uint32_t at = 0;
    while (u < s->nunits) {
        size_t el = fx ? sizeof(int64_t) : sizeof(uint32_t);
        if (CHUNK - w->n < el)
            wr_flush(w);
        size_t room = CHUNK - w->n < x->hold ? CHUNK - w->n : x->hold;
        pthread_rwlock_rdlock(x->lock);
        double t0 = mono_s();
        int bad = s->gone || s->overflow || snap_copy(s, t, fx, &u, &at, room, w) != 0;
        double held = mono_s() - t0;
        pthread_rwlock_unlock(x->lock);
        if (held > x->held_max)
            x->held_max = held;
        if (bad)
            return 1;
        if (w->n == CHUNK)
            wr_flush(w);               /* hashed and written with no lock held */
        if (x->pause)
            x->pause(x->pause_ctx);
    }
    return 0;
}

static int payload_of_snap(wr *w, void *ctx, err_t *e)
{
    snap_ctx *x = ctx;
    engine_image_snap *s = x->s;
    const engine *g = s->g;            /* its sizes and years never change */
    wr_dims(w, g);
    for (int t = 0; t < 2; t++) {
        uint64_t n = 0;
        for (int u = 0; u < s->nunits; u++)
            n += s->len[t][u];
        wr64(w, n);
        wr_bytes(w, s->len[t], (size_t)s->nunits * sizeof *s->len[t]);
        if (snap_pass(w, x, t, 0) != 0 || snap_pass(w, x, t, 1) != 0) {
            x->gave_up = 1;
            return err_set(e, s->overflow ? "engine image: too many changes while it was written"
                                          : "engine image: the model was replaced while it was written");
        }
    }
    wr_bytes(w, s->tail, s->ntail);
    wr_flush(w);
    return 0;
}

int engine_image_snap_write_tmp(engine_image_snap *s, pthread_rwlock_t *lock, size_t hold, void (*pause)(void *),
                                void *pause_ctx, const engine_image_id *id, const char *path, int *fd,
                                uint64_t *bytes, double *held_max, err_t *e)
{
    snap_ctx x = { s, lock, hold == 0 || hold > CHUNK ? CHUNK : hold < 8 ? 8 : hold, pause, pause_ctx, 0, 0 };
    int rc = write_file(path, id, payload_of_snap, &x, fd, bytes, e);
    if (held_max)
        *held_max = x.held_max;
    return rc == 0 ? 0 : x.gave_up ? 1 : -1;
}

void engine_image_snap_end(engine_image_snap *s, pthread_rwlock_t *lock)
{
    if (s == NULL)
        return;
    pthread_rwlock_rdlock(lock);       /* no change runs: the watcher can go */
    engine_image_snap_void(s);
    pthread_rwlock_unlock(lock);
    engine_image_snap_free(s);
}

/* ---- reading ---- */

typedef struct rd {
    FILE *f;
    crypto_generichash_state h;
    uint8_t *b;
    size_t at, n;
    uint64_t left;         /* payload bytes not yet in the buffer */
    int bad;               /* short read or past the payload */
} rd;

/* Bytes of the payload not yet consumed. */
static uint64_t rd_left(const rd *r)
{
    return r->left + (r->n - r->at);
}

static int rd_fill(rd *r)
{
    size_t want = r->left < CHUNK ? (size_t)r->left : CHUNK;
    size_t got = want ? fread(r->b, 1, want, r->f) : 0;
    if (got != want || want == 0)
        return r->bad = 1, -1;
    crypto_generichash_update(&r->h, r->b, got);
    r->at = 0, r->n = got, r->left -= got;
    return 0;
}

static int rd_bytes(rd *r, void *p, size_t len)
{
    uint8_t *d = p;
    if (r->bad || len > rd_left(r))
        return r->bad = 1, -1;
    while (len) {
        if (r->at == r->n && len >= CHUNK) {   /* a big array: straight into place, hashed there */
            size_t k = len - len % CHUNK;
            if (fread(d, 1, k, r->f) != k)
                return r->bad = 1, -1;
            crypto_generichash_update(&r->h, d, k);
            r->left -= k, d += k, len -= k;
            continue;
        }
        if (r->at == r->n && rd_fill(r) != 0)
            return -1;
        size_t k = r->n - r->at < len ? r->n - r->at : len;
        memcpy(d, r->b + r->at, k);
        r->at += k, d += k, len -= k;
    }
    return 0;
}

static uint32_t rd32(rd *r) { uint32_t v = 0; rd_bytes(r, &v, 4); return v; }
static uint64_t rd64(rd *r) { uint64_t v = 0; rd_bytes(r, &v, 8); return v; }

/* A side cell read from the image, owned here until the checksum is verified. */
typedef struct iside {
    int ind, unit;
    period_t p;
    double v;
    char *comment;
} iside;

typedef struct sides {
    iside *x;
    size_t n;
} sides;

static void sides_free(sides *s)
{
    for (size_t k = 0; s->x && k < s->n; k++)
        free(s->x[k].comment);
    free(s->x);
    s->x = NULL, s->n = 0;
}

/* 1 if p is a period period_code writes and period_parse reads back the same. */
static int period_ok(period_t p)
{
    char code[PERIOD_CODE_MAX];
    period_t q;
    if (p.kind == P_NONE || p.kind > P_M9)
        return 0;
    int len = period_code(p, code, sizeof code);
    return len > 0 && (size_t)len < sizeof code && period_parse(code, (size_t)len, &q) == 0 && q.kind == p.kind &&
           q.n == p.n && q.y == p.y && q.y2 == p.y2;
}

static int rd_sides(rd *r, const model *m, int targets, sides *out, err_t *e)
{
    uint64_t n = rd64(r);
    if (r->bad || n > rd_left(r) / 22)     /* a cell takes 22 bytes at the least */
        return err_set(e, "engine image: %s: bad count", targets ? "side targets" : "side values");
    out->x = calloc((size_t)n + 1, sizeof *out->x);
    if (out->x == NULL)
        return err_set(e, "out of memory");
    for (uint64_t k = 0; k < n; k++) {
        iside *c = &out->x[k];
        uint8_t p[6];
        uint32_t ind = rd32(r), unit = rd32(r), clen;
        rd_bytes(r, p, sizeof p);
        rd_bytes(r, &c->v, sizeof c->v);
        clen = rd32(r);
        c->p.kind = p[0], c->p.n = p[1];
        memcpy(&c->p.y, p + 2, 2);
        memcpy(&c->p.y2, p + 4, 2);
        if (r->bad || ind >= m->ninds || unit >= m->nunits || !period_ok(c->p) || clen >= MAX_COMMENT ||
            (targets && clen) || clen > rd_left(r))
            return err_set(e, "engine image: side cell %llu: out of range", (unsigned long long)k);
        c->ind = (int)ind, c->unit = (int)unit;
        out->n = k + 1;
        if (clen) {
            if ((c->comment = malloc(clen + 1)) == NULL)
                return err_set(e, "out of memory");
            if (rd_bytes(r, c->comment, clen) != 0 || memchr(c->comment, '\0', clen) != NULL)
                return err_set(e, "engine image: side cell %llu: bad comment", (unsigned long long)k);
            c->comment[clen] = '\0';
        }
    }
    return 0;
}

/* Room for n items of size each, on huge pages where the system gives them (fewer page faults
 * for the image's big arrays); freed with free().  NULL on OOM. */
static void *big_alloc(size_t n, size_t size)
{
    void *p = NULL;
    size_t bytes = n * size + 64;
    if (bytes < ((size_t)4 << 20))
        return malloc(bytes);
    if (posix_memalign(&p, (size_t)2 << 20, bytes) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes - bytes % ((size_t)2 << 20), MADV_HUGEPAGE);
#endif
    return p;
}

/* A csr's runs straight into place in g (units in order, keys ascending: engine_run keeps them). */
static int rd_csr(rd *r, engine *g, int targets, err_t *e)
{
    csr *c = targets ? &g->tgt : &g->val;
    uint64_t n = rd64(r);
    size_t nu = (size_t)g->nunits;
    if (r->bad || n > rd_left(r) / 12 || nu * 4 > rd_left(r) - n * 12)
        return err_set(e, "engine image: %s: bad count", targets ? "targets" : "values");
    c->key = big_alloc((size_t)n, sizeof *c->key);
    c->fx = big_alloc((size_t)n, sizeof *c->fx);
    if (!c->key || !c->fx)
        return err_set(e, "out of memory");
    uint64_t at = 0;
    int ok = rd_bytes(r, c->len, nu * sizeof *c->len) == 0 && rd_bytes(r, c->key, (size_t)n * sizeof *c->key) == 0 &&
             rd_bytes(r, c->fx, (size_t)n * sizeof *c->fx) == 0;
    int shift = targets ? g->ybits : g->sbits;
    uint32_t mask = targets ? g->ymask : g->smask, npos = (uint32_t)(targets ? g->nyears : g->ns);
    for (size_t u = 0; ok && u < nu; u++) {
        ok = c->len[u] <= n - at;
        const uint32_t *k = c->key + at;
        const int64_t *f = c->fx + at;
        for (uint32_t i = 0; ok && i < c->len[u]; i++)
            ok = (k[i] >> shift) < (uint32_t)g->ninds && (k[i] & mask) < npos && (i == 0 || k[i] > k[i - 1]) &&
                 (f[i] == FX_OVER || (f[i] >= -FX_MAX && f[i] <= FX_MAX));   /* targets: in steps (fx_round) */
        c->off[u] = (size_t)at;
        c->cap[u] = c->len[u];
        at += ok ? c->len[u] : 0;
    }
    if (!ok || at != n) {
        memset(c->len, 0, nu * sizeof *c->len);   /* the engine freed as it is: no run points outside */
        return err_set(e, "engine image: %s: a run out of range or out of order", targets ? "targets" : "values");
    }
    c->used = c->size = (size_t)n;
    return 0;
}

/* Reads and checks the header again, then sets up r over the payload; 0 or -1. */
static int rd_start(rd *r, FILE *f, uint8_t sum[32], err_t *e)
{
    uint8_t h[ENGINE_IMAGE_HEADER];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (size < (long)sizeof h || fseek(f, 0, SEEK_SET) != 0 || fread(h, 1, sizeof h, f) != sizeof h)
        return err_set(e, "engine image: truncated header");
    r->f = f;
    r->left = get64(h + 160);
    /* every count below is bounded by the bytes left, so by the file's real size: no product of
     * one overflows */
    if (r->left != (uint64_t)size - sizeof h)
        return err_set(e, "engine image: truncated, or its length does not match its header");
    memcpy(sum, h + SUMMED, 32);
    crypto_generichash_init(&r->h, NULL, 0, 32);
    if ((r->b = malloc(CHUNK)) == NULL)
        return err_set(e, "out of memory");
    return 0;
}

/* After the payload: nothing left over, and the checksum of header and payload matches. */
static int rd_verify(rd *r, const uint8_t sum[32], err_t *e)
{
    uint8_t head[SUMMED], got[32], psum[32], extra;
    if (r->bad || rd_left(r) != 0 || fread(&extra, 1, 1, r->f) != 0)
        return err_set(e, "engine image: the payload's length does not match its header");
    crypto_generichash_final(&r->h, psum, sizeof psum);
    if (fseek(r->f, 0, SEEK_SET) != 0 || fread(head, 1, sizeof head, r->f) != sizeof head)
        return err_set(e, "engine image: truncated header");
    crypto_generichash_state hh;
    crypto_generichash_init(&hh, NULL, 0, sizeof got);
    crypto_generichash_update(&hh, head, sizeof head);
    crypto_generichash_update(&hh, psum, sizeof psum);
    crypto_generichash_final(&hh, got, sizeof got);
    if (sodium_memcmp(got, sum, sizeof got) != 0)
        return err_set(e, "engine image: checksum mismatch (damaged file)");
    return 0;
}

/* Puts the verified side cells and counts into m, the engine computed; 0 or -1.  On failure m
 * may hold some side cells (its maps non-empty: a caller sees it was touched), never the counts
 * alone: they go in last. */
static int install(model *m, engine *g, const sides *sv, const sides *st, const uint32_t *yv, err_t *e)
{
    for (size_t k = 0; k < sv->n; k++)
        if (model_put_value(m, sv->x[k].ind, sv->x[k].unit, sv->x[k].p, sv->x[k].v, sv->x[k].comment) != 0)
            return err_set(e, "out of memory");
    for (size_t k = 0; k < st->n; k++)
        if (model_put_target(m, st->x[k].ind, st->x[k].unit, st->x[k].p, st->x[k].v) != 0)
            return err_set(e, "out of memory");
    if (engine_run(g, e) != 0)
        return -1;
    memcpy(m->year_values, yv, sizeof m->year_values);
    m->engine = g;
    m->held = 1;
    m->unloaded = 0;
    return 0;
}

int engine_image_read(FILE *f, model *m, int threads, err_t *e)
{
    rd r = { 0 };
    engine *g = NULL;
    sides sv = { 0 }, st = { 0 };
    uint32_t yv[ENGINE_NYEARS];
    uint8_t sum[32];
    int rc = -1;
    if (m->engine != NULL || m->values.n || m->targets.n)
        return err_set(e, "engine image: the model already holds cells");
    if (rd_start(&r, f, sum, e) != 0)
        goto cleanup;
    uint32_t nu = rd32(&r), ni = rd32(&r);
    int32_t y0 = (int32_t)rd32(&r), y1 = (int32_t)rd32(&r);
    int years_ok = (y0 == 0 && y1 == 0) || (y0 >= PERIOD_YEAR_MIN && y1 >= y0 && y1 <= PERIOD_YEAR_MAX &&
                                            y1 - y0 < ENGINE_MAX_YEARS);
    if (r.bad || nu != m->nunits || ni != m->ninds || !years_ok) {
        err_set(e, r.bad ? "engine image: truncated, or its length does not match its header"
                         : "engine image: units, indicators or years do not match the catalogue");
        goto cleanup;
    }
    engine_opts o = { .threads = threads };
    if (engine_new(m, &o, y0, y1, &g, e) != 0 || rd_csr(&r, g, 0, e) != 0 || rd_csr(&r, g, 1, e) != 0)
        goto cleanup;
    if (rd_bytes(&r, yv, sizeof yv) != 0) {
        err_set(e, "engine image: truncated");
        goto cleanup;
    }
    if (rd_sides(&r, m, 0, &sv, e) != 0 || rd_sides(&r, m, 1, &st, e) != 0 || rd_verify(&r, sum, e) != 0)
        goto cleanup;
    if (install(m, g, &sv, &st, yv, e) != 0)
        goto cleanup;
    g = NULL;
    rc = 0;
cleanup:
    engine_free(g);
    sides_free(&sv), sides_free(&st);
    free(r.b);
    return rc;
}
