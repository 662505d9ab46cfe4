/* api_list.c - the API's lists: filters, pages and the shape every list answer has.
 *
 * A list answer is complete or says plainly that it is one page of more: it carries `total`
 * (every item the filters match), `offset`, `limit`, `next` (the path of the next page, null on
 * the last) and `snapshot` (the database generation and model version the page was cut from).
 * A client passes `snapshot` back with each later page; when the data changed meanwhile the
 * page is refused with 409 `snapshot_changed` instead of silently skipping or repeating items.
 *
 * Data flow: api_list_begin() reads limit/offset/snapshot into an api_page owned by the
 * caller; the caller walks its items, counting every match with api_page_take() (which says
 * whether the item falls on this page) and appending those to its array; api_list_send()
 * wraps the array with the totals and the next link and sends it.  api_cell_filter() builds
 * the value/target filters (unit with or without its subtree, exact period, sub-periods of a
 * period, a range of dates, several indicators) into arrays the filter owns (api_filter_free).
 * Everything here runs under the request's model read lock; nothing is global.
 */
#include "web.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_list.h"

/* A whole number 0..max from s (digits only); returns 0 with *out, or -1. */
static int parse_count(const char *s, long max, long *out)
{
    long v = 0;
    if (s == NULL || *s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

static void snapshot_of(const web_ctx *c, char *out, size_t len)
{
    snprintf(out, len, "%lld-%llu", (long long)c->app->gen, (unsigned long long)c->app->version);
}

int api_list_begin(web_ctx *c, api_page *pg)
{
    char now[48];
    snapshot_of(c, now, sizeof now);
    return api_list_begin_at(c, pg, now);
}

/* Names the page by now and refuses it (409) when the client passed another snapshot. */
static int snapshot_check(web_ctx *c, api_page *pg, const char *now, const char *snap)
{
    snprintf(pg->snapshot, sizeof pg->snapshot, "%s", now);
    if (snap && *snap && strcmp(snap, pg->snapshot) != 0) {
        web_fail(c, 409, "snapshot_changed", "snapshot",
                 tr("dữ liệu đã thay đổi từ trang đầu; hãy đọc lại từ đầu (offset=0, không có snapshot)",
                    "the data changed since the first page; read again from the start (offset=0, no snapshot)"));
        return WEB_ANSWERED;
    }
    return 0;
}

int api_list_begin_at(web_ctx *c, api_page *pg, const char *now)
{
    const char *lim = web_param(c, "limit"), *off = web_param(c, "offset"), *snap = web_param(c, "snapshot");
    memset(pg, 0, sizeof *pg);
    pg->limit = API_PAGE_DEFAULT;
    if (lim && *lim && (parse_count(lim, API_PAGE_MAX, &pg->limit) != 0 || pg->limit < 1)) {
        web_fail(c, 400, "bad_limit", "limit", tr("limit phải là số nguyên từ 1 đến 10000",
                                                  "limit must be a whole number from 1 to 10000"));
        return WEB_ANSWERED;
    }
    if (off && *off && parse_count(off, 2000000000L, &pg->offset) != 0) {
        web_fail(c, 400, "bad_offset", "offset", tr("offset phải là số nguyên không âm",
                                                    "offset must be a whole number, 0 or more"));
        return WEB_ANSWERED;
    }
    if (now == NULL)
        return 0;
    return snapshot_check(c, pg, now, snap);
}

void api_digest_add(uint64_t *h, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s;; p++) {
        *h = (*h ^ *p) * 1099511628211ULL;      /* the NUL too: keys stay apart */
        if (*p == '\0')
            return;
    }
}

int api_list_digest_check(web_ctx *c, api_page *pg, uint64_t h)
{
    char now[64];
    snprintf(now, sizeof now, "%lld-%llu-x%016llx", (long long)c->app->gen, (unsigned long long)c->app->version,
             (unsigned long long)h);
    return snapshot_check(c, pg, now, web_param(c, "snapshot"));
}

int api_page_take(api_page *pg)
{
    long k = pg->total++;
    return k >= pg->offset && k < pg->offset + pg->limit;
}

/* The path of the next page: the route's own parameters as the client sent them, then the
 * paging ones. */
static void next_link(web_ctx *c, const api_page *pg, const char *const *params, buf *out)
{
    char sep = '?';
    buf_adds(out, c->req->path);
    for (const char *const *k = params; *k; k++) {
        const char *v = web_param(c, *k);
        if (v == NULL || *v == '\0')
            continue;
        buf_printf(out, "%c%s=", sep, *k);
        web_urlenc(out, v);
        sep = '&';
    }
    buf_printf(out, "%climit=%ld&offset=%ld&snapshot=", sep, pg->limit, pg->offset + pg->limit);
    web_urlenc(out, pg->snapshot);
}

int api_list_send(web_ctx *c, const api_page *pg, const char *key, json_t *items,
                  const char *const *params)
{
    return api_list_send_with(c, pg, key, items, params, NULL);
}

int api_list_send_with(web_ctx *c, const api_page *pg, const char *key, json_t *items,
                       const char *const *params, json_t *extra)
{
    json_t *next = json_null();
    if (items == NULL) {
        json_decref(extra);
        return err_set(&c->e, "out of memory");
    }
    if (pg->offset + pg->limit < pg->total) {
        buf link = BUF_INIT;
        next_link(c, pg, params, &link);
        json_decref(next);
        next = json_string(buf_str(&link));
        buf_free(&link);
    }
    json_t *o = json_pack("{s:o,s:I,s:I,s:I,s:o,s:s}", key, items, "total", (json_int_t)pg->total, "offset",
                          (json_int_t)pg->offset, "limit", (json_int_t)pg->limit, "next", next, "snapshot",
                          pg->snapshot);
    if (o && extra && json_object_update(o, extra) != 0) {
        json_decref(o);
        o = NULL;
    }
    json_decref(extra);
    return api_send_json(c, o, 200);
}

/* ---- value and target filters ---------------------------------------------------- */

/* True for "1"/"true"/"yes", false for "0"/"false"/"no"; -1 for anything else. */
static int parse_bool(const char *s)
{
    if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
        return 1;
    if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
        return 0;
    return -1;
}

/* Marks the units f lists: root and (subtree) everything below it the caller may read. */
static void mark_units(web_ctx *c, api_filter *f, int root, int subtree)
{
    const model *m = c->m;
    if (!subtree) {
        f->units[root] = 1;
        return;
    }
    for (size_t k = 0; k < m->nunits; k++)
        f->units[k] = auth_in_subtree(m, root, (int)k) &&
                      auth_allows(m, c->role, c->uunit, (int)k, ACT_READ);
}

/* Reads the comma-separated indicator codes of `ind` into f->inds; WEB_ANSWERED after
 * responding, -1 out of memory. */
static int mark_inds(web_ctx *c, api_filter *f, const char *list)
{
    f->inds = calloc(c->m->ninds ? c->m->ninds : 1, 1);
    if (f->inds == NULL)
        return err_set(&c->e, "out of memory");
    while (*list) {
        const char *end = strchr(list, ',');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        char code[128];
        if (n == 0 || n >= sizeof code) {
            web_fail(c, 400, "bad_indicator", "ind", tr("danh sách chỉ tiêu không hợp lệ", "invalid indicator list"));
            return WEB_ANSWERED;
        }
        memcpy(code, list, n);
        code[n] = '\0';
        int i = model_ind_find(c->m, code);
        if (i < 0) {
            web_fail(c, 404, "not_found", "ind", tr("không có chỉ tiêu này", "no such indicator"));
            return WEB_ANSWERED;
        }
        f->inds[i] = 1;
        list += n + (end != NULL);
    }
    return 0;
}

/* Parses one period parameter; 1 if present (with *p), 0 if absent, -1 after responding. */
static int period_param(web_ctx *c, const char *name, period_t *p)
{
    const char *s = web_param(c, name);
    if (s == NULL || *s == '\0')
        return 0;
    if (period_parse(s, strlen(s), p) != 0) {
        web_fail(c, 400, "bad_period", name, tr("kỳ không hợp lệ (ví dụ 2022, 2022S1, 2022M9, 2022Q2, 2022-05, 2020-2025)",
                                                "invalid period (e.g. 2022, 2022S1, 2022M9, 2022Q2, 2022-05, 2020-2025)"));
        return -1;
    }
    return 1;
}

static int period_filters(web_ctx *c, api_filter *f)
{
    period_t from, to;
    int has_from, has_to;
    if ((f->has_per = period_param(c, "period", &f->per)) < 0 ||
        (f->has_within = period_param(c, "within", &f->within)) < 0 ||
        (has_from = period_param(c, "from", &from)) < 0 || (has_to = period_param(c, "to", &to)) < 0)
        return WEB_ANSWERED;
    f->from = has_from ? period_start(from) : 0;
    f->to = has_to ? period_end(to) : 0;
    if (f->from && f->to && f->from > f->to) {
        web_fail(c, 400, "bad_period", "to", tr("kỳ `to` phải không trước kỳ `from`", "`to` must not come before `from`"));
        return WEB_ANSWERED;
    }
    return 0;
}

int api_cell_filter(web_ctx *c, api_filter *f)
{
    const char *code = web_param(c, "unit"), *sub = web_param(c, "subtree"), *inds = web_param(c, "ind");
    int given = code && *code, subtree = !given;
    memset(f, 0, sizeof *f);
    int root = given ? model_unit_find(c->m, code) : c->uunit;
    if (root < 0) {
        web_fail(c, 404, "not_found", "unit", tr("không có đơn vị này", "no such unit"));
        return WEB_ANSWERED;
    }
    if (!auth_allows(c->m, c->role, c->uunit, root, ACT_READ)) {
        web_fail(c, 403, "forbidden", "unit", tr("bạn không có quyền xem đơn vị này", "you may not see this unit"));
        return WEB_ANSWERED;
    }
    if (sub && *sub && (subtree = parse_bool(sub)) < 0) {
        web_fail(c, 400, "bad_subtree", "subtree", tr("subtree phải là true hoặc false", "subtree must be true or false"));
        return WEB_ANSWERED;
    }
    f->units = calloc(c->m->nunits ? c->m->nunits : 1, 1);
    if (f->units == NULL)
        return err_set(&c->e, "out of memory");
    mark_units(c, f, root, subtree);
    int rc = inds && *inds ? mark_inds(c, f, inds) : 0;
    if (rc != 0)
        return rc;
    return period_filters(c, f);
}

int api_filter_match(const api_filter *f, const cell_t *x)
{
    if (!f->units[x->unit] || (f->inds && !f->inds[x->ind]))
        return 0;
    if (f->has_per && !period_eq(f->per, x->per))
        return 0;
    if (f->has_within && !period_contains(f->within, x->per))
        return 0;
    if ((f->from && period_start(x->per) < f->from) || (f->to && period_end(x->per) > f->to))
        return 0;
    return 1;
}

void api_filter_free(api_filter *f)
{
    free(f->units);
    free(f->inds);
    f->units = f->inds = NULL;
}

/* ---- numbers ---------------------------------------------------------------------- */

/* The fewest significant digits (1..17) that print v so it reads back exactly, and at least
 * its whole digits, so %g writes no exponent for figures a person would write without one. */
static int shortest_digits(double v)
{
    char s[40];
    int whole = 1;
    for (double mag = fabs(v); mag >= 10 && whole < 17; mag /= 10)
        whole++;
    for (int d = whole; d < 17; d++) {
        snprintf(s, sizeof s, "%.*g", d, v);
        if (strtod(s, NULL) == v)
            return d;
    }
    return 17;
}

/* The most digits any real in j needs (see shortest_digits); 1 when there is none. */
static int digits_needed(const json_t *j)
{
    int most = 1;
    size_t k;
    const char *key;
    json_t *x;
    switch (json_typeof(j)) {
    case JSON_REAL:
        return shortest_digits(json_real_value(j));
    case JSON_ARRAY:
        json_array_foreach(j, k, x) {
            int d = digits_needed(x);
            most = d > most ? d : most;
        }
        return most;
    case JSON_OBJECT:
        json_object_foreach((json_t *)j, key, x) {
            int d = digits_needed(x);
            most = d > most ? d : most;
        }
        return most;
    default:
        return 1;
    }
}

int api_send_json(web_ctx *c, json_t *j, int status)
{
    if (j == NULL)
        return err_set(&c->e, "out of memory");
    /* Figures are held to 10^-4, so a document's reals almost always print in 15 digits or
     * fewer: "92.6", not jansson's default 17 digits "92.599999999999994". */
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(digits_needed(j)));
    json_decref(j);
    if (s == NULL)
        return err_set(&c->e, "out of memory");
    c->resp->status = status;
    c->resp->ctype = "application/json";
    buf_reset(&c->resp->body);
    buf_adds(&c->resp->body, s);
    buf_addc(&c->resp->body, '\n');
    free(s);
    return 0;
}

int api_is_json_type(const char *ctype)
{
    const char *want = "application/json";
    size_t n = strlen(want);
    while (*ctype == ' ' || *ctype == '\t')
        ctype++;
    if (strncasecmp(ctype, want, n) != 0)
        return 0;
    ctype += n;
    while (*ctype == ' ' || *ctype == '\t')
        ctype++;
    return *ctype == '\0' || *ctype == ';';
}
