/* ops.c - process-wide counters for /metrics, request ids and log field escaping (see ops.h).
 *
 * Data flow: the HTTP layer calls ops_request once per answered request (class, status,
 * duration), the web application calls ops_reload and ops_db_error; ops_render reads every
 * counter with a relaxed atomic load and writes the exposition text.  Counters are indexed by
 * class and status (100..599), histogram buckets are stored per bucket and summed when rendered.
 * Nothing here allocates except the output buffer the caller owns.
 */
#include "ops.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define NSTATUS 500                       /* statuses 100..599 */
static const double bucket_le[] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define NBUCKET (sizeof bucket_le / sizeof *bucket_le)
static const char *const class_name[OPS_NCLASS] = { "other", "page", "api", "static", "ops" };

static atomic_ullong requests[OPS_NCLASS][NSTATUS];
static atomic_ullong buckets[OPS_NCLASS][NBUCKET + 1];  /* the last one: above every bound */
static atomic_ullong duration_us[OPS_NCLASS];
static atomic_ullong reloads_ok, reloads_failed, db_errors, feed_cells;
static atomic_llong start_ms;

static long long now_ms(clockid_t clk)
{
    struct timespec t;
    clock_gettime(clk, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void ops_start(void)
{
    long long zero = 0;
    atomic_compare_exchange_strong(&start_ms, &zero, now_ms(CLOCK_REALTIME));
}

void ops_request(int cls, int status, double seconds)
{
    if (cls < 0 || cls >= OPS_NCLASS)
        cls = OPS_OTHER;
    if (status < 100 || status > 599)
        status = 599;
    if (!(seconds >= 0))
        seconds = 0;
    atomic_fetch_add_explicit(&requests[cls][status - 100], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < NBUCKET && seconds > bucket_le[b])
        b++;
    atomic_fetch_add_explicit(&buckets[cls][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&duration_us[cls], (unsigned long long)(seconds * 1e6), memory_order_relaxed);
}

void ops_reload(int ok)
{
    atomic_fetch_add_explicit(ok ? &reloads_ok : &reloads_failed, 1, memory_order_relaxed);
}

void ops_feed(long cells)
{
    atomic_fetch_add_explicit(&feed_cells, (unsigned long long)(cells > 0 ? cells : 0), memory_order_relaxed);
}

void ops_db_error(void)
{
    atomic_fetch_add_explicit(&db_errors, 1, memory_order_relaxed);
}

long ops_db_errors(void)
{
    return (long)atomic_load_explicit(&db_errors, memory_order_relaxed);
}

static unsigned long long get(atomic_ullong *a)
{
    return atomic_load_explicit(a, memory_order_relaxed);
}

static int render_requests(buf *out)
{
    int rc = 0;
    rc |= buf_adds(out, "# HELP chitieu_http_requests_total HTTP requests answered, by route class and status.\n"
                  "# TYPE chitieu_http_requests_total counter\n");
    for (int c = 0; c < OPS_NCLASS; c++)
        for (int s = 0; s < NSTATUS; s++) {
            unsigned long long n = get(&requests[c][s]);
            if (n)
                rc |= buf_printf(out, "chitieu_http_requests_total{class=\"%s\",code=\"%d\"} %llu\n",
                           class_name[c], s + 100, n);
        }
    rc |= buf_adds(out, "# HELP chitieu_http_request_duration_seconds Time from the request's first byte to its "
                  "answer being queued, by route class.\n"
                  "# TYPE chitieu_http_request_duration_seconds histogram\n");
    for (int c = 0; c < OPS_NCLASS; c++) {
        unsigned long long cum = 0;
        for (size_t b = 0; b < NBUCKET; b++) {
            cum += get(&buckets[c][b]);
            rc |= buf_printf(out, "chitieu_http_request_duration_seconds_bucket{class=\"%s\",le=\"%g\"} %llu\n",
                       class_name[c], bucket_le[b], cum);
        }
        cum += get(&buckets[c][NBUCKET]);
        rc |= buf_printf(out, "chitieu_http_request_duration_seconds_bucket{class=\"%s\",le=\"+Inf\"} %llu\n",
                   class_name[c], cum);
        rc |= buf_printf(out, "chitieu_http_request_duration_seconds_sum{class=\"%s\"} %.6f\n", class_name[c],
                   (double)get(&duration_us[c]) / 1e6);
        rc |= buf_printf(out, "chitieu_http_request_duration_seconds_count{class=\"%s\"} %llu\n", class_name[c], cum);
    }
    return rc;
}

int ops_render(buf *out)
{
    size_t before = out->len;
    int rc = render_requests(out);
    rc |= buf_printf(out, "# HELP chitieu_engine_reloads_total Loads of the model and engine from the database "
                    "(the first included), by result.\n"
                    "# TYPE chitieu_engine_reloads_total counter\n"
                    "chitieu_engine_reloads_total{result=\"ok\"} %llu\n"
                    "chitieu_engine_reloads_total{result=\"failed\"} %llu\n",
               get(&reloads_ok), get(&reloads_failed));
    rc |= buf_printf(out, "# HELP chitieu_feed_cells_total Cells other servers wrote, applied in place from the "
                    "change log (no reload).\n"
                    "# TYPE chitieu_feed_cells_total counter\n"
                    "chitieu_feed_cells_total %llu\n", get(&feed_cells));
    rc |= buf_printf(out, "# HELP chitieu_db_errors_total Failed database operations seen by the server "
                    "(generation checks, logins, health checks, reloads).\n"
                    "# TYPE chitieu_db_errors_total counter\n"
                    "chitieu_db_errors_total %llu\n", get(&db_errors));
    long long start = atomic_load(&start_ms);
    long long up = start ? now_ms(CLOCK_REALTIME) - start : 0;
    rc |= buf_printf(out, "# HELP chitieu_process_start_time_seconds Start of the process, Unix time.\n"
                             "# TYPE chitieu_process_start_time_seconds gauge\n"
                             "chitieu_process_start_time_seconds %.3f\n"
                             "# HELP chitieu_uptime_seconds Seconds since the process started.\n"
                             "# TYPE chitieu_uptime_seconds gauge\n"
                             "chitieu_uptime_seconds %.3f\n",
                        (double)start / 1e3, (double)(up > 0 ? up : 0) / 1e3);
    if (rc != 0) {               /* out of memory or over the cap: leave nothing half-written */
        buf_truncate(out, before);
        return -1;
    }
    return 0;
}

int ops_request_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= OPS_RID_MAX)
        return 0;
    return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") == n;
}

void ops_request_id_new(char out[OPS_RID_MAX])
{
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = "0123456789abcdef"[raw[i] >> 4];
        out[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
    }
    out[2 * sizeof raw] = '\0';
}

int ops_log_field(buf *line, const char *key, const char *value)
{
    static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/:@+*,";
    if (value == NULL || *value == '\0')
        return buf_printf(line, " %s=-", key);
    if (strspn(value, safe) == strlen(value))
        return buf_printf(line, " %s=%s", key, value);
    int rc = buf_printf(line, " %s=\"", key);
    for (const unsigned char *p = (const unsigned char *)value; *p && rc == 0; p++) {
        if (*p == '"' || *p == '\\')
            rc = buf_printf(line, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            rc = buf_printf(line, "\\x%02x", *p);
        else
            rc = buf_addc(line, (char)*p);
    }
    return rc ? rc : buf_addc(line, '"');
}
