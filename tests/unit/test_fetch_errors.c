/* test_fetch_errors.c — what crawler/fetch says when a server's answer is
 * not usable HTTP: a header line over curl's 100 KB limit (said so, with
 * curl's own error-buffer text, not "out of memory"), a status line that is
 * not HTTP / HTTP/0.9 ("the server did not answer with HTTP", not
 * "Unsupported protocol"). A one-shot server on 127.0.0.1 sends canned bytes. */
#include "tests/check.h"
#include "crawler/fetch.h"
#include "util/err.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct canned {
    int fd, port;
    pthread_t thr;
    const char *bytes;
    size_t n;
};

/* Accepts one connection, reads the request head, sends the bytes, closes. */
static void *serve_once(void *ud)
{
    struct canned *s = ud;
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char req[8192];
    size_t n = 0;
    while (n < sizeof req - 1) {
        struct pollfd p = { c, POLLIN, 0 };
        if (poll(&p, 1, 2000) <= 0)
            break;
        ssize_t k = recv(c, req + n, sizeof req - 1 - n, 0);
        if (k <= 0)
            break;
        n += (size_t)k;
        req[n] = 0;
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    for (size_t off = 0; off < s->n;) {
        ssize_t k = send(c, s->bytes + off, s->n - off, MSG_NOSIGNAL);
        if (k <= 0)
            break;
        off += (size_t)k;
    }
    shutdown(c, SHUT_WR);
    usleep(100000);
    close(c);
    return NULL;
}

static void canned_start(struct canned *s, const char *bytes, size_t n)
{
    memset(s, 0, sizeof *s);
    s->bytes = bytes;
    s->n = n;
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK_EQ(bind(s->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(s->fd, (struct sockaddr *)&a, &l);
    s->port = ntohs(a.sin_port);
    listen(s->fd, 4);
    pthread_create(&s->thr, NULL, serve_once, s);
}

static void canned_stop(struct canned *s)
{
    shutdown(s->fd, SHUT_RDWR);
    close(s->fd);
    pthread_join(s->thr, NULL);
}

/* Fetches / from a server sending bytes; the result (caller frees). */
static struct fetch_result *fetch_canned(const char *bytes, size_t n)
{
    struct canned s;
    canned_start(&s, bytes, n);
    struct fetch_opts o = { .user_agent = "t", .timeout = 5, .connect_timeout = 2 };
    struct buf err = BUF_INIT;
    struct fetch *f = fetch_new(&o, &err);
    CHECK(f != NULL);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", s.port);
    CHECK_EQ(fetch_start(f, url, NULL, NULL, NULL, &err), 0);
    struct fetch_result *r = NULL;
    for (int i = 0; i < 100 && !r; i++) {
        fetch_poll(f, 100);
        r = fetch_next_done(f);
    }
    CHECK(r != NULL);
    fetch_free(f);
    canned_stop(&s);
    buf_release(&err);
    return r;
}

TEST(fetch_header_over_curl_limit_keeps_curl_text)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "HTTP/1.1 200 OK\r\nX-Long: ");
    for (int i = 0; i < 110 * 1024; i++)
        buf_addc(&b, 'a');
    buf_adds(&b, "\r\nContent-Length: 2\r\n\r\nok");
    struct fetch_result *r = fetch_canned(b.data, b.len);
    if (r) {
        CHECK(r->rc != 0 && r->rc != NA_ENOMEM);
        CHECK_NOT_CONTAINS(r->error, "ut of memory");
        CHECK_CONTAINS(r->error, "header");
        CHECK_CONTAINS(r->error, "100 KB");
        if (curl_version_info(CURLVERSION_NOW)->version_num >= 0x080000)
            CHECK_CONTAINS(r->error, "(curl: "); /* curl's own words ("Rejected …"); 7.88 has none */
        CHECK(!r->retryable);
        fetch_result_free(r);
    }
    buf_release(&b);
}

TEST(fetch_no_http_status_line_is_said)
{
    static const char *const answers[] = {
        "<html><body>HTTP/0.9 style: a body without any head</body></html>\n",
        "HTTX/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
        "SSH-2.0-OpenSSH_9.2\r\n",
    };
    for (size_t i = 0; i < 3; i++) {
        struct fetch_result *r = fetch_canned(answers[i], strlen(answers[i]));
        if (!r)
            continue;
        CHECK(r->rc != 0);
        CHECK_CONTAINS(r->error, "the server did not answer with HTTP");
        CHECK_NOT_CONTAINS(r->error, "Unsupported protocol");
        fetch_result_free(r);
    }
}
