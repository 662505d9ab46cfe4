/* cmd_serve.c - `chitieu serve`: the web application on libmicrohttpd.
 *
 * main thread: block SIGINT/SIGTERM (the server threads inherit the mask), open the app,
 * start the server, wait for a signal with sigwait, then stop accepting, let requests in
 * flight finish (http_stop), close the database cleanly and return.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "api_rate.h"
#include "http.h"
#include "ops.h"
#include "serve_conf.h"
#include "web.h"

/* Reads option name's value s (NULL: leaves *out) as a whole number from lo to hi; 0 or -1 (said). */
static int serve_int(const char *name, const char *s, int lo, int hi, int *out)
{
    if (s == NULL)
        return 0;
    long v = strspn(s, "0123456789") == strlen(s) && strlen(s) < 8 ? strtol(s, NULL, 10) : -1;
    if (v < lo || v > hi) {
        char msg[160];
        snprintf(msg, sizeof msg, tr("%s cần một số từ %d đến %d", "%s needs a number from %d to %d"), name, lo, hi);
        cli_error("serve", msg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* The engine image when none is given: beside a SQLite database; for PostgreSQL, in the state
 * directory systemd gives the service (STATE_DIRECTORY, its first entry), else none. */
static void default_image(const char *dbpath, char *out, size_t n)
{
    const char *state = getenv("STATE_DIRECTORY");
    if (strncmp(dbpath, "postgres://", 11) != 0 && strncmp(dbpath, "postgresql://", 13) != 0)
        snprintf(out, n, "%s.engine", dbpath);
    else if (state && *state && *state != ':')
        snprintf(out, n, "%.*s/chitieu.engine", (int)strcspn(state, ":"), state);
}

int cmd_serve(int argc, char **argv)
{
    const char *listen = NULL, *db = NULL, *config = NULL, *metrics_token = NULL, *threads_s = NULL, *today_s = NULL;
    const char *rate_s = NULL, *burst_s = NULL, *proxy_s = NULL, *per_ip_s = NULL, *conns_s = NULL, *timeout_s = NULL;
    const char *headers_s = NULL, *cells_s = NULL, *image_s = NULL;
    int help = 0, npos = 0, https = 0, quiet = 0;
    cli_opt opts[] = {
        { "--listen", NULL, &listen, NULL }, { "--db", NULL, &db, NULL },
        { "--threads", NULL, &threads_s, NULL }, { "--https", NULL, NULL, &https },
        { "--quiet", "-q", NULL, &quiet }, { "--today", NULL, &today_s, NULL },
        { "--api-rate", NULL, &rate_s, NULL }, { "--api-burst", NULL, &burst_s, NULL },
        { "--trusted-proxy", NULL, &proxy_s, NULL }, { "--max-conn-per-ip", NULL, &per_ip_s, NULL },
        { "--max-conn", NULL, &conns_s, NULL }, { "--timeout", NULL, &timeout_s, NULL },
        { "--header-timeout", NULL, &headers_s, NULL }, { "--cells", NULL, &cells_s, NULL },
        { "--config", NULL, &config, NULL }, { "--metrics-token", NULL, &metrics_token, NULL },
        { "--engine-image", NULL, &image_s, NULL },
        { NULL, NULL, NULL, NULL },
    };
    int rc = cli_parse(argc, argv, opts, &npos, &help);
    if (rc)
        return rc;
    if (help) {
        puts(tr("Cách dùng: chitieu serve [--listen ĐỊA_CHỈ:CỔNG] [--db TỆP] [--threads N] [--https] [--quiet]\n"
                "                     [--api-rate N] [--api-burst N] [--trusted-proxy ĐỊA_CHỈ,...]\n"
                "                     [--max-conn-per-ip N] [--max-conn N] [--timeout GIÂY] [--header-timeout GIÂY]\n"
                "                     [--config TỆP] [--metrics-token MÃ] [--cells engine|model|auto]\n"
                "                     [--engine-image TỆP|none]\n\n"
                "Chạy ứng dụng web (giao diện và API /api/v1) trên cơ sở dữ liệu.\n"
                "  --listen    địa chỉ nghe, mặc định 127.0.0.1:8080 (cổng 0: chọn cổng trống)\n"
                "  --threads   số luồng phục vụ, mặc định bằng số lõi CPU\n"
                "  --https     ứng dụng được phục vụ qua TLS (sau proxy): cookie có cờ Secure\n"
                "  --quiet     không ghi nhật ký truy cập (mặc định: một dòng mỗi yêu cầu ra stderr)\n"
                "  --today     ngày dùng để tính trạng thái nhiệm vụ (trình diễn, kiểm thử); mặc định hôm nay\n"
                "  --api-rate  số yêu cầu API mỗi phút cho mỗi mã truy cập, mặc định 600 (0: không giới hạn)\n"
                "  --api-burst số yêu cầu liền nhau tối đa của một mã truy cập, mặc định 120\n"
                "  --trusted-proxy  địa chỉ các proxy ngược tin cậy (phân cách bằng dấu phẩy): chỉ yêu cầu\n"
                "              đến từ chúng mới được dùng X-Forwarded-For để biết địa chỉ người dùng\n"
                "  --max-conn-per-ip  số kết nối đồng thời tối đa từ một địa chỉ, mặc định 32\n"
                "              (có --trusted-proxy thì mặc định bằng --max-conn: mọi kết nối đến từ proxy)\n"
                "  --max-conn  số kết nối đồng thời tối đa, mặc định 1024\n"
                "  --timeout   số giây một kết nối được im lặng (kể cả khi đang gửi tiêu đề), mặc định 10\n"
                "  --header-timeout  số giây để gửi xong tiêu đề một yêu cầu (dù gửi nhỏ giọt), mặc định 15\n"
                "  --config    tệp cấu hình 'khóa = giá trị' (mặc định $CHITIEU_CONFIG, rồi /etc/chitieu/chitieu.conf\n"
                "              nếu có); tùy chọn dòng lệnh thắng tệp\n"
                "  --metrics-token mã cho phép đọc /metrics (Authorization: Bearer); không có: chỉ từ loopback\n"
                "  --cells     nơi giữ số liệu: engine (chỉ một bản, trong bộ máy tính: cho CSDL lớn),\n"
                "              model (thêm một bản trong mô hình), auto (mặc định: engine khi CSDL có hơn\n"
                "              khoảng 1 triệu ô số liệu)\n"
                "  --engine-image  ảnh của bộ máy tính trên đĩa (chỉ khi số liệu ở engine): khởi động lại trong vài\n"
                "              giây thay vì đọc cả CSDL; mặc định TỆP_CSDL.engine với SQLite; với PostgreSQL\n"
                "              $STATE_DIRECTORY/chitieu.engine khi chạy bằng systemd (StateDirectory=), nếu không\n"
                "              thì không có; none: không dùng\n"
                "GET /healthz: 200 khi CSDL đọc được, 503 khi không. Nhật ký: một dòng khóa=giá trị mỗi yêu cầu.\n"
                "Dừng bằng Ctrl-C hoặc SIGTERM: các yêu cầu đang chạy được hoàn tất, CSDL đóng sạch.",
                "Usage: chitieu serve [--listen HOST:PORT] [--db FILE] [--threads N] [--https] [--quiet]\n"
                "                     [--api-rate N] [--api-burst N] [--trusted-proxy ADDR,...]\n"
                "                     [--max-conn-per-ip N] [--max-conn N] [--timeout SECONDS] [--header-timeout SECONDS]\n"
                "                     [--config FILE] [--metrics-token TOKEN] [--cells engine|model|auto]\n"
                "                     [--engine-image FILE|none]\n\n"
                "Runs the web application (pages and the /api/v1 API) on the database.\n"
                "  --listen    address, default 127.0.0.1:8080 (port 0: any free port)\n"
                "  --threads   serving threads, default the number of CPU cores\n"
                "  --https     served over TLS (behind a proxy): cookies get the Secure flag\n"
                "  --quiet     no access log (default: one line per request on stderr)\n"
                "  --today     the date task status is judged on (demos, tests); default today\n"
                "  --api-rate  API requests a minute per token, default 600 (0: no limit)\n"
                "  --api-burst most API requests of a token in a row, default 120\n"
                "  --trusted-proxy  addresses of trusted reverse proxies (comma-separated): only requests\n"
                "              from them have their X-Forwarded-For believed for the client's address\n"
                "  --max-conn-per-ip  connections at once from one address, default 32\n"
                "              (with --trusted-proxy, default --max-conn: every connection comes from the proxy)\n"
                "  --max-conn  connections at once in all, default 1024\n"
                "  --timeout   seconds a connection may stay silent (sending headers too), default 10\n"
                "  --header-timeout  seconds to finish a request's headers (however they trickle), default 15\n"
                "  --config    'key = value' file (default $CHITIEU_CONFIG, then /etc/chitieu/chitieu.conf if\n"
                "              present); command-line options win over the file\n"
                "  --metrics-token token that may read /metrics (Authorization: Bearer); none: loopback only\n"
                "  --cells     where the figures live: engine (one copy, in the engine: for a large\n"
                "              database), model (a second copy in the model), auto (default: engine when\n"
                "              the database holds more than about a million cells)\n"
                "  --engine-image  the engine's image on disk (cells held by the engine only): restarts in seconds\n"
                "              instead of reading the whole database; default DBFILE.engine for SQLite; for\n"
                "              PostgreSQL $STATE_DIRECTORY/chitieu.engine under systemd (StateDirectory=), else\n"
                "              none; none: not used\n"
                "GET /healthz: 200 when the database reads, 503 when not. Log: one key=value line per request.\n"
                "Stop with Ctrl-C or SIGTERM: requests in flight finish, the database closes cleanly."));
        return EXIT_OK;
    }
    if (cli_no_args("serve", npos))
        return EXIT_USAGE;
    conf_entry conf[SERVE_CONF_MAX];
    char conf_used[1024];
    err_t e;
    if (serve_conf_apply(config, opts, conf, conf_used, sizeof conf_used, &e) != 0) {
        cli_error("serve", e.msg);
        return EXIT_USAGE;
    }
    if (listen == NULL)
        listen = "127.0.0.1:8080";
    if (metrics_token && (strlen(metrics_token) < 16 || strlen(metrics_token) >= sizeof ((web_app *)0)->metrics_token)) {
        cli_error("serve", tr("--metrics-token cần từ 16 đến 127 ký tự", "--metrics-token needs 16 to 127 characters"));
        return EXIT_USAGE;
    }
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int threads = threads_s ? atoi(threads_s) : (int)(ncpu > 0 ? ncpu : 2);
    if (threads < 1 || threads > 64) {
        cli_error("serve", tr("--threads cần một số từ 1 đến 64", "--threads needs a number from 1 to 64"));
        return EXIT_USAGE;
    }
    int rate = rate_s ? atoi(rate_s) : 600, burst = burst_s ? atoi(burst_s) : 120;
    if ((rate_s && (rate < 0 || rate > 1000000 || strspn(rate_s, "0123456789") != strlen(rate_s))) ||
        (burst_s && (burst < 1 || burst > 1000000 || strspn(burst_s, "0123456789") != strlen(burst_s)))) {
        cli_error("serve", tr("--api-rate cần một số từ 0 đến 1000000, --api-burst từ 1 đến 1000000",
                              "--api-rate needs a number from 0 to 1000000, --api-burst from 1 to 1000000"));
        return EXIT_USAGE;
    }
    http_limits lim = { 0 };
    if (serve_int("--max-conn-per-ip", per_ip_s, 1, 100000, &lim.per_ip) != 0 ||
        serve_int("--max-conn", conns_s, 1, 100000, &lim.total) != 0 ||
        serve_int("--timeout", timeout_s, 1, 3600, &lim.timeout) != 0 ||
        serve_int("--header-timeout", headers_s, 1, 3600, &lim.headers) != 0)
        return EXIT_USAGE;
    if (proxy_s && per_ip_s == NULL)
        lim.per_ip = lim.total > 0 ? lim.total : 1024;   /* every connection comes from the proxy */
    if (proxy_s && (strlen(proxy_s) >= sizeof ((web_app *)0)->trusted_proxies ||
                    strspn(proxy_s, "0123456789abcdefABCDEF.:, ") != strlen(proxy_s))) {
        cli_error("serve", tr("--trusted-proxy cần danh sách địa chỉ IP phân cách bằng dấu phẩy",
                              "--trusted-proxy needs IP addresses separated by commas"));
        return EXIT_USAGE;
    }
    int cells = WEB_CELLS_AUTO;
    if (cells_s && strcmp(cells_s, "auto") != 0) {
        cells = strcmp(cells_s, "engine") == 0 ? WEB_CELLS_ENGINE : strcmp(cells_s, "model") == 0 ? WEB_CELLS_MODEL : -1;
        if (cells < 0) {
            cli_error("serve", tr("--cells cần engine, model hoặc auto", "--cells needs engine, model or auto"));
            return EXIT_USAGE;
        }
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    web_app *app = NULL;
    http_server *srv = NULL;
    ops_start();
    const char *dbpath = store_default_path(db);
    char image[1100] = "";
    if (image_s && *image_s == '\0') {
        cli_error("serve", tr("--engine-image cần một tệp hoặc none", "--engine-image needs a file or none"));
        return EXIT_USAGE;
    }
    if (image_s && strcmp(image_s, "none") != 0)
        snprintf(image, sizeof image, "%s", image_s);
    else if (image_s == NULL)
        default_image(dbpath, image, sizeof image);
    if (web_open_image(dbpath, threads + 1, cells, image, &app, &e) != 0) {
        cli_error("serve", e.msg);
        return EXIT_FAIL;
    }
    app->secure_cookies = https;
    snprintf(app->trusted_proxies, sizeof app->trusted_proxies, "%s", proxy_s ? proxy_s : "");
    if (metrics_token)
        snprintf(app->metrics_token, sizeof app->metrics_token, "%s", metrics_token);
    if (rate > 0 && (app->rate = api_rate_new(rate, burst)) == NULL) {
        cli_error("serve", "out of memory");
        web_close(app);
        return EXIT_FAIL;
    }
    if (today_s && cmd_tasks_today("serve", today_s, &app->today) != 0) {
        web_close(app);
        return EXIT_USAGE;
    }
    setvbuf(stderr, NULL, _IOLBF, 0);
    if (http_start(listen, threads, WEB_MAX_BODY, &lim, web_handle, app, quiet ? NULL : stderr, &srv, &e) != 0) {
        cli_error("serve", e.msg);
        web_close(app);
        return EXIT_FAIL;
    }
    char host[256];
    snprintf(host, sizeof host, "%s", listen);
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    printf(tr("chitieu đang phục vụ tại http://%s:%d/ (%d luồng; Ctrl-C để dừng)\n",
              "chitieu serving at http://%s:%d/ (%d threads; Ctrl-C to stop)\n"),
           *host && strcmp(host, "0.0.0.0") != 0 ? host : "127.0.0.1", http_port(srv), threads);
    if (conf_used[0])
        printf(tr("cấu hình: %s\n", "configuration: %s\n"), conf_used);
    pthread_rwlock_rdlock(&app->lock);
    printf(tr("số liệu: %s\n", "cells: %s\n"), app->m->held ? tr("engine (chỉ trong bộ máy tính)", "engine (held by the engine alone)")
                                                         : tr("model (trong mô hình và bộ máy tính)", "model (in the model and the engine)"));
    pthread_rwlock_unlock(&app->lock);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, tr("chitieu: nhận tín hiệu %d, đang dừng…\n", "chitieu: signal %d, stopping…\n"), sig);
    http_stop(srv);
    web_image_save_now(app);             /* the generation moved since the image: written again */
    web_close(app);
    return EXIT_OK;
}
