/* api_rate.h - request rate limits of the API, per token: a token bucket for each key (the
 * token's digest) that refills at `per_minute` requests a minute up to `burst`.  A request
 * over the limit is told how many seconds to wait (429 with Retry-After).  The table is
 * fixed-size and shared by the server's threads (it locks itself); a key that has not been
 * seen for a while gives its slot to a new one, which then starts with a full bucket. */
#ifndef CHITIEU_API_RATE_H
#define CHITIEU_API_RATE_H

#include <stdint.h>

typedef struct api_rate api_rate;

/* A limiter of per_minute requests a minute (1 or more) with bursts of up to burst (1 or
 * more); NULL on OOM.  Free with api_rate_free (NULL is fine). */
api_rate *api_rate_new(int per_minute, int burst);
void api_rate_free(api_rate *r);
/* Takes one request for key at now_ms (a monotonic clock in milliseconds): 0 when allowed,
 * else the whole seconds (1 or more) until one is. */
int api_rate_take(api_rate *r, const char *key, int64_t now_ms);
/* The limiter's rate (requests a minute) and burst (in thousandths of a request), for buckets
 * kept elsewhere with the same rule (store_rate_take: in the database, shared by servers). */
void api_rate_params(const api_rate *r, int64_t *per_minute, int64_t *burst_milli);

#endif
