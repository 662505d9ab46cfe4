/* page_ops.h - the operators' endpoints (page_ops.c), registered in web.c's route table:
 * /healthz for load balancers and service managers, /metrics for Prometheus. */
#ifndef CHITIEU_PAGE_OPS_H
#define CHITIEU_PAGE_OPS_H

#include "web.h"

/* GET /healthz: 200 and a small JSON object (database backend, generations, engine state) when
 * the database answers a read; 503 with {"status":"error"} when it does not. No login. */
int ops_healthz(web_ctx *c);
/* GET /metrics: the counters of ops.h and the engine's gauges in the Prometheus text format.
 * With app->metrics_token set, only a request bearing it (Authorization: Bearer) reads them;
 * without, only a loopback client that did not come through a proxy; others get 403. */
int ops_metrics(web_ctx *c);
/* The ops_class (ops.h) of a route: its handler and flags decide (W_API: api). */
int ops_route_class(int (*fn)(web_ctx *), int api);

#endif
