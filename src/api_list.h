/* api_list.h - pages, filters and JSON answers shared by the API's handlers (api_list.c). */
#ifndef CHITIEU_API_LIST_H
#define CHITIEU_API_LIST_H

#include <jansson.h>
#include "web.h"

#define API_PAGE_DEFAULT 1000
#define API_PAGE_MAX 10000

/* One page of a list: the request's limit and offset, the items counted so far, the snapshot. */
typedef struct api_page {
    long limit, offset, total;
    char snapshot[64];
} api_page;

/* Reads limit, offset and snapshot; on a bad value or a changed snapshot responds (400/409)
 * and returns WEB_ANSWERED. */
int api_list_begin(web_ctx *c, api_page *pg);
/* The same for a list whose data is named by `now` (its own snapshot) rather than the model's;
 * now NULL: limit and offset only (api_list_digest_check checks the snapshot later). */
int api_list_begin_at(web_ctx *c, api_page *pg, const char *now);
/* For a list read from the store per request (users, tasks, the validation run): a digest of
 * every matching item's key, folded in with api_digest_add (h starts at API_DIGEST_INIT), then
 * api_list_digest_check names the page's snapshot by the model and the digest and refuses a
 * later page (409, WEB_ANSWERED) whose list changed since the first; such a list is begun with
 * api_list_begin_at(c, pg, NULL), which reads limit and offset only. */
#define API_DIGEST_INIT 1469598103934665603ULL
void api_digest_add(uint64_t *h, const char *s);
int api_list_digest_check(web_ctx *c, api_page *pg, uint64_t h);
/* Counts one matching item; 1 if it belongs on this page, else 0. */
int api_page_take(api_page *pg);
/* Sends {key: items, total, offset, limit, next, snapshot}; takes items (NULL = OOM); params
 * (NULL-terminated) are the filter parameters the next link repeats.  Returns 0 or -1. */
int api_list_send(web_ctx *c, const api_page *pg, const char *key, json_t *items,
                  const char *const *params);
/* The same with the members of extra (taken; NULL = none) added to the answer. */
int api_list_send_with(web_ctx *c, const api_page *pg, const char *key, json_t *items,
                       const char *const *params, json_t *extra);

/* Which value or target cells a list shows; arrays owned by the filter (api_filter_free). */
typedef struct api_filter {
    unsigned char *units;        /* per unit index: listed */
    unsigned char *inds;         /* per indicator index: listed; NULL = every indicator */
    int has_per, has_within;
    period_t per, within;        /* exactly this period; periods lying within this one */
    int from, to;                /* yyyymmdd bounds of the periods (0 = open) */
} api_filter;

/* Reads unit (default: the caller's unit), subtree (default: true without unit, false with
 * it), ind (codes, comma-separated), period, within, from, to; on bad input responds and
 * returns WEB_ANSWERED, out of memory -1 (free f all the same). */
int api_cell_filter(web_ctx *c, api_filter *f);
/* 1 if cell x passes f. */
int api_filter_match(const api_filter *f, const cell_t *x);
/* Frees the filter's arrays. */
void api_filter_free(api_filter *f);

/* Sends j (taken) with this status, reals printed as the shortest decimals that read back
 * exactly; 0, or -1 on OOM. */
int api_send_json(web_ctx *c, json_t *j, int status);
/* 1 if a Content-Type is application/json (any case, parameters such as charset allowed). */
int api_is_json_type(const char *ctype);

#endif
