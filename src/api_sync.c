/* api_sync.c - GET /api/v1/changes: what changed since a cursor, for incremental sync.
 *
 * The cursor is a batch id (store_sync.h).  A request reads, in one read transaction, the
 * newest batch (the window's end, returned as `cursor` for the next sync) and every value and
 * target written in the window (since, cursor], with deletions, in batch order; the rows the
 * caller may not read or that the filters leave out are skipped, the others counted and paged
 * like every list (api_list.h).  The page's snapshot is the window's end: a later page whose
 * data changed meanwhile is refused (409) rather than shifted, and the client reads the same
 * window again from offset 0.  Nothing here outlives the request.
 */
#include "web.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "api_list.h"
#include "store_sync.h"

static const char *const change_params[] = { "since", "unit", "subtree", "ind", "period", "within", "from", "to",
                                              "lang", NULL };

typedef struct feed {
    web_ctx *c;
    api_filter *f;
    api_page *pg;
    json_t *items;
    int unknown;                 /* a row names a unit or indicator the model does not know yet */
} feed;

static int on_change(void *ctx, const store_change *x)
{
    feed *d = ctx;
    const model *m = d->c->m;
    cell_t cell = { 0 };
    cell.unit = model_unit_find(m, x->unit);
    cell.ind = model_ind_find(m, x->ind);
    if (cell.unit < 0 || cell.ind < 0 || period_parse(x->period, strlen(x->period), &cell.per) != 0) {
        d->unknown = 1;
        return 0;
    }
    if (!api_filter_match(d->f, &cell) || !api_page_take(d->pg))
        return 0;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:I,s:s,s:s,s:s}", "kind", x->targets ? "target" : "value",
                          "indicator", x->ind, "unit", x->unit, "period", x->period, "deleted", x->deleted,
                          "change", (json_int_t)x->batch, "at", x->at, "by", x->who, "source", x->source);
    if (o == NULL)
        return -1;
    json_object_set_new(o, "value", x->deleted ? json_null() : json_real(x->v));
    if (x->comment && *x->comment)
        json_object_set_new(o, x->deleted ? "reason" : "comment", json_string(x->comment));
    return json_array_append_new(d->items, o);
}

/* A whole number 0.. from s; 0 with *out, or -1. */
static int parse_cursor(const char *s, int64_t *out)
{
    int64_t v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return 0;
}

int api_changes(web_ctx *c)
{
    const char *since_s = web_param(c, "since");
    int64_t since = 0, upto = 0;
    api_filter f = { 0 };
    api_page pg;
    int rc = -1;
    if (since_s && *since_s && parse_cursor(since_s, &since) != 0)
        return web_fail(c, 400, "bad_cursor", "since", tr("since phải là một mã thay đổi (số nguyên không âm) từ lần đồng bộ trước",
                                                          "since must be a change id (a whole number, 0 or more) from the previous sync"));
    if (store_read_begin(c->s, &c->e) != 0)
        return -1;
    json_t *items = NULL;
    if (store_last_batch(c->s, &upto, &c->e) != 0)
        goto cleanup;
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)upto);
    int asked = api_list_begin_at(c, &pg, now);
    if (asked == 0)
        asked = api_cell_filter(c, &f);
    if (asked != 0) {
        rc = web_answered(asked);
        goto cleanup;
    }
    items = json_array();
    feed d = { c, &f, &pg, items, 0 };
    if (items == NULL || store_changes(c->s, since, upto, on_change, &d, &c->e) != 0)
        goto cleanup;
    if (d.unknown) {
        /* the database knows a unit or indicator this server's model has not loaded yet:
         * rather than skip its figures for good, ask the client to come back in a moment */
        web_rebuild_soon(c);
        c->resp->retry_after = 2;
        rc = web_fail(c, 503, "not_ready", NULL, tr("danh mục đang được tải lại; hãy thử lại sau giây lát",
                                                    "the catalogue is being reloaded; try again in a moment"));
        goto cleanup;
    }
    store_read_end(c->s);
    /* `cursor`: what to pass as `since` next time, once every page of this window is read */
    rc = api_list_send_with(c, &pg, "changes", items, change_params,
                            json_pack("{s:I,s:I}", "since", (json_int_t)since, "cursor", (json_int_t)upto));
    items = NULL;
    api_filter_free(&f);
    return rc;
cleanup:
    store_read_end(c->s);
    json_decref(items);
    api_filter_free(&f);
    return rc;
}
