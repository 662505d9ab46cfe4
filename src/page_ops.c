/* page_ops.c - /healthz and /metrics (see page_ops.h).
 *
 * Both run in web_handle's pipeline as public routes holding the model's read lock, so the
 * model's generation read here is stable.  /healthz reads the database's generation (one indexed
 * read) on the request's own store handle: a failure is logged with its detail and answered 503
 * with no detail.  /metrics renders ops.h's process-wide counters followed by gauges of this app;
 * who may read it is decided by metrics_allowed below (docs/deploy.md explains the choice).
 */
#include "page_ops.h"

#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "ops.h"

int ops_route_class(int (*fn)(web_ctx *), int api)
{
    if (fn == ops_healthz || fn == ops_metrics)
        return OPS_HEALTH;
    if (fn == page_static)
        return OPS_STATIC;
    return api ? OPS_API : OPS_PAGE;
}

static const char *backend(const web_app *a)
{
    return strncmp(a->db_path, "postgres", 8) == 0 ? "postgresql" : "sqlite";
}

int ops_healthz(web_ctx *c)
{
    web_app *a = c->app;
    err_t e;
    c->resp->ctype = "application/json";
    int64_t g = store_generation(c->s, &e);
    if (g < 0) {
        ops_db_error();
        fprintf(a->log ? a->log : stderr, "error: rid=%s healthz: %s\n", c->req->request_id, e.msg);
        c->resp->status = 503;
        c->resp->retry_after = 5;
        buf_printf(&c->resp->body, "{\"status\":\"error\",\"db\":\"%s\",\"error\":\"database_unreadable\"}\n",
                   backend(a));
        return 0;
    }
    /* the pipeline holds the read lock: gen and bad_gen are stable */
    const char *engine = g == a->gen ? "current" : g == a->bad_gen ? "reload_failed" : "reloading";
    buf_printf(&c->resp->body,
               "{\"status\":\"ok\",\"db\":\"%s\",\"db_generation\":%lld,\"engine\":\"%s\","
               "\"engine_generation\":%lld,\"units\":%zu,\"indicators\":%zu}\n",
               backend(a), (long long)g, engine, (long long)a->gen, c->m->nunits, c->m->ninds);
    return 0;
}

static int loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 || strncmp(addr, "::ffff:127.", 11) == 0;
}

static int metrics_allowed(const web_ctx *c)
{
    const char *token = c->app->metrics_token;
    if (token[0])
        return strncmp(c->req->authorization, "Bearer ", 7) == 0 && auth_secret_eq(c->req->authorization + 7, token);
    return !c->req->proxied && loopback(c->req->addr);
}

/* The WAL checkpointer's counters (SQLite only: PostgreSQL has none to show). */
static void render_ckpt(buf *out, store_ckpt_stats st)
{
    buf_printf(out, "# HELP chitieu_wal_checkpoints_total Checkpoints of SQLite's WAL run by the server's "
                    "checkpointer, by whether they copied every frame.\n"
                    "# TYPE chitieu_wal_checkpoints_total counter\n"
                    "chitieu_wal_checkpoints_total{result=\"complete\"} %ld\n"
                    "chitieu_wal_checkpoints_total{result=\"partial\"} %ld\n"
                    "chitieu_wal_checkpoints_total{result=\"failed\"} %ld\n"
                    "# HELP chitieu_wal_checkpointed_pages Pages of the WAL in the database after the last "
                    "checkpoint.\n"
                    "# TYPE chitieu_wal_checkpointed_pages gauge\n"
                    "chitieu_wal_checkpointed_pages %ld\n"
                    "# HELP chitieu_wal_checkpoint_seconds_total Time spent checkpointing (no save waits for it).\n"
                    "# TYPE chitieu_wal_checkpoint_seconds_total counter\n"
                    "chitieu_wal_checkpoint_seconds_total %.6f\n"
                    "# HELP chitieu_wal_pages Pages in SQLite's WAL after the last commit (growing without "
                    "bound: a long reader keeps the checkpoints from copying them back).\n"
                    "# TYPE chitieu_wal_pages gauge\n"
                    "chitieu_wal_pages %ld\n",
               st.runs - st.partial - st.failed, st.partial, st.failed, st.copied, st.seconds, st.wal_pages);
}

int ops_metrics(web_ctx *c)
{
    web_app *a = c->app;
    http_resp *r = c->resp;
    r->ctype = "text/plain; charset=utf-8";
    if (!metrics_allowed(c)) {
        r->status = 403;
        buf_adds(&r->body, a->metrics_token[0]
                               ? tr("cần mã đo lường (Authorization: Bearer ...)\n",
                                    "the metrics token is required (Authorization: Bearer ...)\n")
                               : tr("chỉ đọc được từ máy này (loopback), không qua proxy\n",
                                    "readable only from this machine (loopback), not through a proxy\n"));
        return 0;
    }
    r->ctype = "text/plain; version=0.0.4; charset=utf-8";
    if (ops_render(&r->body) != 0)
        return err_set(&c->e, "out of memory");
    buf_printf(&r->body, "# HELP chitieu_engine_generation Database generation the engine reflects.\n"
                         "# TYPE chitieu_engine_generation gauge\n"
                         "chitieu_engine_generation %lld\n"
                         "# HELP chitieu_engine_units Units in the loaded model.\n"
                         "# TYPE chitieu_engine_units gauge\n"
                         "chitieu_engine_units %zu\n",
               (long long)a->gen, c->m->nunits);
    if (a->ckpt)
        render_ckpt(&r->body, store_ckpt_get(a->ckpt));
    return 0;
}
