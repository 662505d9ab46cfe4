/* api_rate.c - token buckets per API token (see api_rate.h).
 *
 * Data flow: api_rate_take hashes the key to a run of PROBE slots of a fixed table; the key's
 * slot (or, for a new key, an empty one or the one idle longest) is refilled for the time
 * elapsed and one request taken from it.  Buckets count in thousandths of a request so slow
 * rates refill smoothly.  The table and its mutex are owned by the api_rate.
 */
#include "api_rate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 1024
#define PROBE 8

struct api_rate {
    pthread_mutex_t mx;
    int64_t per_minute, burst;   /* burst in thousandths */
    struct bucket {
        char key[72];            /* "" = empty */
        int64_t milli;           /* requests available, in thousandths */
        int64_t last_ms;
    } slot[SLOTS];
};

api_rate *api_rate_new(int per_minute, int burst)
{
    api_rate *r = calloc(1, sizeof *r);
    if (r == NULL)
        return NULL;
    pthread_mutex_init(&r->mx, NULL);
    r->per_minute = per_minute > 0 ? per_minute : 1;
    r->burst = (int64_t)(burst > 0 ? burst : 1) * 1000;
    return r;
}

void api_rate_free(api_rate *r)
{
    if (r == NULL)
        return;
    pthread_mutex_destroy(&r->mx);
    free(r);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The key's bucket: its own, else an empty one, else the one idle longest (reset). */
static struct bucket *find(api_rate *r, const char *key, int64_t now_ms)
{
    uint32_t h = hash(key);
    struct bucket *pick = NULL;
    for (int k = 0; k < PROBE; k++) {
        struct bucket *b = &r->slot[(h + (uint32_t)k) % SLOTS];
        if (b->key[0] && strncmp(b->key, key, sizeof b->key - 1) == 0)
            return b;
        if (b->key[0] == '\0') {
            if (pick == NULL || pick->key[0])
                pick = b;                    /* the first empty slot */
        } else if (pick == NULL || (pick->key[0] && b->last_ms < pick->last_ms))
            pick = b;                        /* else the one idle longest */
    }
    struct bucket *oldest = pick;
    memset(oldest, 0, sizeof *oldest);
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    oldest->milli = r->burst;
    oldest->last_ms = now_ms;
    return oldest;
}

int api_rate_take(api_rate *r, const char *key, int64_t now_ms)
{
    int wait = 0;
    pthread_mutex_lock(&r->mx);
    struct bucket *b = find(r, key, now_ms);
    int64_t elapsed = now_ms > b->last_ms ? now_ms - b->last_ms : 0;
    /* thousandths of a request earned: elapsed ms * per_minute / 60 000 ms * 1000 */
    b->milli += elapsed * r->per_minute / 60;
    if (b->milli > r->burst)
        b->milli = r->burst;
    b->last_ms = now_ms;
    if (b->milli >= 1000)
        b->milli -= 1000;
    else {
        int64_t need_ms = ((1000 - b->milli) * 60 + r->per_minute - 1) / r->per_minute;
        wait = (int)((need_ms + 999) / 1000);
        if (wait < 1)
            wait = 1;
    }
    pthread_mutex_unlock(&r->mx);
    return wait;
}

void api_rate_params(const api_rate *r, int64_t *per_minute, int64_t *burst_milli)
{
    *per_minute = r->per_minute;
    *burst_milli = r->burst;
}
