/* test_http.c - the HTTP server's defences over real sockets on loopback: the per-address
 * connection limit, the total limit and the deadline for a silent connection.  A crowd of
 * slow clients from one address (127.0.0.2), each sending one header line every second
 * and never finishing, must not keep a normal request from another address (127.0.0.1)
 * from being answered within a second; the clients beyond the per-address limit are turned
 * away at once, one that goes silent is dropped after the timeout, and one that trickles its
 * headers for longer than the header deadline is cut off even though it never goes silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "http.h"

static int answer_ok(void *app, http_req *req, http_resp *resp)
{
    (void)app, (void)req;
    resp->ctype = "text/plain; charset=utf-8";
    buf_adds(&resp->body, "ok\n");
    return 0;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A socket connected from address `from` to 127.0.0.1:port, or -1. */
static int connect_from(const char *from, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, from, &src.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
    if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0 || connect(fd, (struct sockaddr *)&dst, sizeof dst) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* 1 when the server has closed fd (EOF or reset is waiting), 0 while it is open. */
static int closed_by_server(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 0) <= 0)
        return 0;
    char c;
    ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* A whole GET from 127.0.0.1: the seconds until the full answer, or -1 if none came within 3 s. */
static double timed_get(int port)
{
    double t0 = now_s();
    int fd = connect_from("127.0.0.1", port);
    if (fd < 0)
        return -1;
    const char rq[] = "GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    char got[1024];
    size_t n = 0;
    if (send(fd, rq, sizeof rq - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof rq - 1)) {
        close(fd);
        return -1;
    }
    while (n < sizeof got - 1 && now_s() - t0 < 3) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t r = recv(fd, got + n, sizeof got - 1 - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    got[n] = '\0';
    return strstr(got, "200 OK") && strstr(got, "ok\n") ? now_s() - t0 : -1;
}

#define SLOW 48        /* slow clients from one address: six times the limit */
#define PER_IP 8

static void test_slow_clients(void **state)
{
    (void)state;
    http_server *srv;
    err_t e;
    http_limits lim = { .per_ip = PER_IP, .total = 64, .timeout = 3 };
    assert_int_equal(http_start("127.0.0.1:0", 2, 1 << 20, &lim, answer_ok, NULL, NULL, &srv, &e), 0);
    int port = http_port(srv);
    assert_true(port > 0);
    assert_true(timed_get(port) >= 0);
    int fds[SLOW];
    for (int i = 0; i < SLOW; i++) {
        fds[i] = connect_from("127.0.0.2", port);
        assert_true(fds[i] >= 0);
        const char start[] = "GET /slow HTTP/1.1\r\nHost: t\r\n";
        send(fds[i], start, sizeof start - 1, MSG_NOSIGNAL);
    }
    /* for five seconds every slow client sends a header line each second; normal requests go on */
    double worst = 0, t0 = now_s();
    int answered = 0;
    for (int round = 0; round < 5; round++) {
        for (int i = 0; i < SLOW; i++)
            if (fds[i] >= 0)
                send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
        double t = timed_get(port);
        if (t >= 0)
            answered++;
        if (t < 0 || t > worst)
            worst = t < 0 ? 99 : t;
        while (now_s() - t0 < round + 1)
            usleep(50000);
    }
    int turned_away = 0;
    for (int i = 0; i < SLOW; i++)
        turned_away += closed_by_server(fds[i]);
    print_message("slow clients: %d of %d turned away; normal requests %d/5 answered, slowest %.3f s\n",
                  turned_away, SLOW, answered, worst);
    assert_int_equal(answered, 5);
    assert_true(worst < 1.0);
    assert_true(turned_away >= SLOW - PER_IP);
    /* the ones let in go silent now: the timeout drops them */
    double quiet = now_s();
    int open_left = SLOW;
    while (open_left > 0 && now_s() - quiet < lim.timeout + 3) {
        usleep(200000);
        open_left = 0;
        for (int i = 0; i < SLOW; i++)
            open_left += !closed_by_server(fds[i]);
    }
    assert_int_equal(open_left, 0);
    for (int i = 0; i < SLOW; i++)
        close(fds[i]);
    http_stop(srv);
}

/* Slow clients from many addresses (so no per-address limit applies) that never go silent are cut
 * off at the header deadline; a client that sends its request in time is answered. */
static void test_header_deadline(void **state)
{
    (void)state;
    http_server *srv;
    err_t e;
    http_limits lim = { .per_ip = 64, .total = 256, .timeout = 60, .headers = 3 };
    assert_int_equal(http_start("127.0.0.1:0", 2, 1 << 20, &lim, answer_ok, NULL, NULL, &srv, &e), 0);
    int port = http_port(srv), fds[20];
    for (int i = 0; i < 20; i++) {
        char from[32];
        snprintf(from, sizeof from, "127.0.%d.%d", 10 + i / 8, 1 + i % 8);
        fds[i] = connect_from(from, port);
        assert_true(fds[i] >= 0);
        send(fds[i], "GET /slow HTTP/1.1\r\n", 20, MSG_NOSIGNAL);
    }
    double t0 = now_s(), cut_at = 0;
    int open_left = 20;
    while (open_left > 0 && now_s() - t0 < 8) {
        for (int i = 0; i < 20; i++)
            send(fds[i], "X-Slow: 1\r\n", 11, MSG_NOSIGNAL);
        assert_true(timed_get(port) >= 0);
        usleep(500000);
        open_left = 0;
        for (int i = 0; i < 20; i++)
            open_left += !closed_by_server(fds[i]);
        if (open_left == 20)
            assert_true(now_s() - t0 < lim.headers + 1.5);   /* none cut early ... */
        cut_at = now_s() - t0;
    }
    print_message("20 header tricklers cut off after %.1f s (deadline %d s)\n", cut_at, lim.headers);
    assert_int_equal(open_left, 0);                         /* ... and all cut soon after */
    assert_true(cut_at >= lim.headers);
    for (int i = 0; i < 20; i++)
        close(fds[i]);
    http_stop(srv);
}

/* With no limits given, the defaults hold: more than 32 connections from one address are refused. */
static void test_default_limits(void **state)
{
    (void)state;
    http_server *srv;
    err_t e;
    assert_int_equal(http_start("127.0.0.1:0", 1, 1 << 20, NULL, answer_ok, NULL, NULL, &srv, &e), 0);
    int port = http_port(srv), fds[40];
    for (int i = 0; i < 40; i++) {
        fds[i] = connect_from("127.0.0.3", port);
        assert_true(fds[i] >= 0);
    }
    usleep(300000);
    int turned_away = 0;
    for (int i = 0; i < 40; i++)
        turned_away += closed_by_server(fds[i]);
    assert_int_equal(turned_away, 40 - 32);
    assert_true(timed_get(port) >= 0);
    for (int i = 0; i < 40; i++)
        close(fds[i]);
    http_stop(srv);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slow_clients),
        cmocka_unit_test(test_header_deadline),
        cmocka_unit_test(test_default_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
