/* engine_csr.c - the first run's turn of the staged puts of reported values or targets into
 * per-unit sorted runs (the CSR of engine_int.h), on the engine's threads.
 *
 * The puts come as segments in put order: each stage committed before the run, kept as it was
 * read (engine_stage_commit copies nothing), then the csr's own staging arrays.  They are cut
 * into pieces of about equal size; the threads count the units of their pieces, each piece's
 * place in every unit's run follows from the counts in piece order, and the threads copy their
 * pieces into place, so every run holds its unit's puts in put order, as one pass over them
 * would, whatever the thread count.  Then each thread sorts the runs of its range of units (a
 * later put of a key wins).  Everything staged is freed after; the csr owns its runs.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* A slice of one segment, with the next place of each unit's puts (counts first). */
typedef struct piece {
    const uint32_t *su, *sk;
    const int64_t *sf;
    size_t n;
    size_t *pos;           /* [nunits] */
} piece;

typedef struct job {
    csr *c;
    piece *pc;
    int npc, t, nt, nunits;
    int phase;             /* 0 count, 1 copy, 2 sort */
    int u0, u1;            /* sort: the units [u0, u1) */
    int rc;
} job;

typedef struct kent { uint32_t key; uint32_t seq; int64_t fx; } kent;

static int kent_cmp(const void *a, const void *b)
{
    const kent *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the runs of units [u0, u1) in place, the later put of a key kept; 0 or -1 (OOM). */
static int sort_runs(csr *c, int u0, int u1)
{
    kent *tmp = NULL;
    size_t tcap = 0;
    for (int u = u0; u < u1; u++) {
        uint32_t *k = c->key + c->off[u];
        int64_t *f = c->fx + c->off[u];
        uint32_t len = c->len[u], ok = 1;
        for (uint32_t i = 1; i < len && ok; i++)
            ok = k[i] > k[i - 1];
        if (ok)
            continue;
        if (len > tcap) {
            kent *t = realloc(tmp, len * sizeof *t);
            if (t == NULL) {
                free(tmp);
                return -1;
            }
            tmp = t, tcap = len;
        }
        for (uint32_t i = 0; i < len; i++)
            tmp[i] = (kent){ k[i], i, f[i] };
        qsort(tmp, len, sizeof *tmp, kent_cmp);
        uint32_t w = 0;
        for (uint32_t i = 0; i < len; i++) {
            if (i + 1 < len && tmp[i + 1].key == tmp[i].key)
                continue;                  /* a later put of the same key wins */
            k[w] = tmp[i].key, f[w] = tmp[i].fx, w++;
        }
        c->len[u] = w;
    }
    free(tmp);
    return 0;
}

static void *run_job(void *arg)
{
    job *j = arg;
    if (j->phase == 2) {
        j->rc = sort_runs(j->c, j->u0, j->u1);
        return NULL;
    }
    for (int p = j->t; p < j->npc; p += j->nt) {
        const piece *x = &j->pc[p];
        size_t *pos = x->pos;
        if (j->phase == 0) {
            for (size_t i = 0; i < x->n; i++)
                pos[x->su[i]]++;
        } else {
            uint32_t *key = j->c->key;
            int64_t *fx = j->c->fx;
            for (size_t i = 0; i < x->n; i++) {
                size_t at = pos[x->su[i]]++;
                key[at] = x->sk[i], fx[at] = x->sf[i];
            }
        }
    }
    return NULL;
}

/* Runs jobs[0..nt) on nt threads (the caller's one of them); 0, or -1 if one failed. */
static int run_jobs(job *jobs, int nt)
{
    pthread_t th[MAXT];
    int started[MAXT] = { 0 }, rc = 0;
    for (int t = 1; t < nt; t++)
        started[t] = pthread_create(&th[t], NULL, run_job, &jobs[t]) == 0;
    run_job(&jobs[0]);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(th[t], NULL);
        else
            run_job(&jobs[t]);
    }
    for (int t = 0; t < nt; t++)
        rc |= jobs[t].rc;
    return rc ? -1 : 0;
}

/* The staged segments in put order into segs (room for c->nsegs + 1); their count. */
static int segments(const csr *c, stage_seg *segs)
{
    int n = 0;
    for (int k = 0; k < c->nsegs; k++)
        if (c->segs[k].n)
            segs[n++] = c->segs[k];
    if (c->sn)
        segs[n++] = (stage_seg){ c->su, c->sk, c->sf, c->sn };
    return n;
}

/* 1 if the puts are in (unit, key) order with no key twice (a bulk load from an image's order). */
static int in_order(const stage_seg *segs, int nsegs)
{
    uint32_t lu = 0, lk = 0;
    int any = 0;
    for (int k = 0; k < nsegs; k++)
        for (size_t i = 0; i < segs[k].n; i++) {
            uint32_t u = segs[k].su[i], key = segs[k].sk[i];
            if (any && !(u > lu || (u == lu && key > lk)))
                return 0;
            lu = u, lk = key, any = 1;
        }
    return 1;
}

/* Cuts the segments into pieces of at most about n / 2nt puts each, *pos their places (one
 * block, the caller frees it); the count of pieces, or -1. */
static int cut(const stage_seg *segs, int nsegs, size_t n, int nt, int nunits, piece **out, size_t **outpos)
{
    size_t most = n / (size_t)(2 * nt) + 1;
    int npc = 0;
    for (int k = 0; k < nsegs; k++)
        npc += (int)((segs[k].n + most - 1) / most);
    piece *pc = calloc((size_t)npc + 1, sizeof *pc);
    size_t *pos = calloc((size_t)npc * (size_t)nunits + 1, sizeof *pos);
    if (pc == NULL || pos == NULL) {
        free(pc), free(pos);
        return -1;
    }
    int p = 0;
    for (int k = 0; k < nsegs; k++)
        for (size_t at = 0; at < segs[k].n; at += most, p++) {
            size_t len = segs[k].n - at < most ? segs[k].n - at : most;
            pc[p] = (piece){ segs[k].su + at, segs[k].sk + at, segs[k].sf + at, len, pos + (size_t)p * (size_t)nunits };
        }
    *out = pc;
    *outpos = pos;
    return npc;
}

/* Frees the staged arrays (the segments and the csr's own). */
static void stage_drop(csr *c)
{
    for (int k = 0; k < c->nsegs; k++)
        free(c->segs[k].su), free(c->segs[k].sk), free(c->segs[k].sf);
    free(c->segs);
    c->segs = NULL, c->nsegs = 0;
    free(c->su), free(c->sk), free(c->sf);
    c->su = c->sk = NULL, c->sf = NULL;
    c->sn = c->scap = 0;
}

/* Counts, places and copies the puts of pc[0..npc) into c's runs (offsets set); 0 or -1. */
static int place(csr *c, piece *pc, int npc, int nt, int nunits, size_t n)
{
    job jobs[MAXT];
    for (int t = 0; t < nt; t++)
        jobs[t] = (job){ .c = c, .pc = pc, .npc = npc, .t = t, .nt = nt, .nunits = nunits, .phase = 0 };
    if (run_jobs(jobs, nt) != 0)
        return -1;
    size_t at = 0;
    for (int u = 0; u < nunits; u++) {
        c->off[u] = at;
        for (int p = 0; p < npc; p++) {
            size_t k = pc[p].pos[u];
            pc[p].pos[u] = at;
            at += k;
        }
        c->len[u] = (uint32_t)(at - c->off[u]);
        c->cap[u] = c->len[u];
    }
    free(c->key), free(c->fx);
    /* huge pages: the copy writes all over them (M: 2-3 times less CPU than small pages) */
    c->key = engine_big((n + 1) * sizeof *c->key);
    c->fx = engine_big((n + 1) * sizeof *c->fx);
    if (c->key == NULL || c->fx == NULL)
        return -1;
    for (int t = 0; t < nt; t++)
        jobs[t].phase = 1;
    return run_jobs(jobs, nt);
}

/* Sorts every unit's run, the units cut into nt ranges of about equal puts; 0 or -1. */
static int sort_all(csr *c, int nt, int nunits, size_t n)
{
    job jobs[MAXT];
    int u = 0;
    for (int t = 0; t < nt; t++) {
        size_t upto = n / (size_t)nt * (size_t)(t + 1), sum = c->off[u];
        jobs[t] = (job){ .c = c, .phase = 2, .u0 = u };
        while (u < nunits && (t == nt - 1 || sum < upto))
            sum += c->len[u++];
        jobs[t].u1 = u;
    }
    return run_jobs(jobs, nt);
}

int engine_csr_finish(csr *c, int nunits, int nthreads)
{
    if (c->sn == 0 && c->nsegs == 0 && c->key != NULL)  /* runs put in place whole (an image): kept */
        return 0;
    int nt = nthreads < 1 ? 1 : nthreads > MAXT ? MAXT : nthreads, rc = -1;
    stage_seg *segs = calloc((size_t)c->nsegs + 2, sizeof *segs);
    piece *pc = NULL;
    size_t *pos = NULL;
    if (segs == NULL)
        return -1;
    int nsegs = segments(c, segs);
    size_t n = 0;
    for (int k = 0; k < nsegs; k++)
        n += segs[k].n;
    if (c->nsegs == 0 && in_order(segs, nsegs)) {   /* already in order (a bulk load): adopted */
        memset(c->len, 0, (size_t)nunits * sizeof *c->len);
        for (size_t i = 0; i < n; i++)
            c->len[c->su[i]]++;
        size_t at = 0;
        for (int u = 0; u < nunits; u++) {
            c->off[u] = at;
            c->cap[u] = c->len[u];
            at += c->len[u];
        }
        free(c->key), free(c->fx);
        c->key = c->sk, c->fx = c->sf;
        c->sk = NULL, c->sf = NULL;
        rc = 0;
        goto done;
    }
    if (n / 65536 + 1 < (size_t)nt)
        nt = (int)(n / 65536 + 1);             /* small: fewer threads than pieces of work */
    int npc = cut(segs, nsegs, n, nt, nunits, &pc, &pos);
    if (npc < 0 || place(c, pc, npc, nt, nunits, n) != 0 || sort_all(c, nt, nunits, n) != 0)
        goto cleanup;
    rc = 0;
done:
    c->used = c->size = n;
cleanup:
    free(pos);
    free(pc);
    free(segs);
    if (rc == 0)
        stage_drop(c);
    return rc;
}
