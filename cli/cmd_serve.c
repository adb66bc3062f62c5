/* cmd_serve.c — `newsarc serve [-a DIR] [--listen ADDR:PORT]`: a read-only
 * web view of an archive (the pages are web/view.h's) over libmicrohttpd,
 * on 127.0.0.1:8080 by default. One thread answers every request in turn
 * (the archive is not shared between threads); requests are capped in
 * header memory, time and connections, only GET and HEAD without a body
 * are answered, and nothing of a request reaches the file system but
 * through the index. Runs until SIGINT or SIGTERM. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/buf.h"
#include "util/err.h"
#include "web/view.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SERVE_MEMORY_LIMIT (32 * 1024) /* bytes per connection: the request head must fit */
#define SERVE_TIMEOUT 10               /* seconds a connection may stay idle (default of --timeout) */
#define SERVE_CONNECTIONS 64           /* connections at once */
#define SERVE_PER_IP 16                /* connections at once from one address */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc serve [-c FILE | -a DIR] [--listen ADDR:PORT]\n\n"
            "A read-only web view of the archive: sites with their health, the articles\n"
            "with filters, each article's text and raw capture, search; the same as JSON\n"
            "under /api/. Runs until interrupted.\n\n"
            "  -c, --config FILE    sites.conf: its archive = (default ./sites.conf)\n"
            "  -a, --archive DIR    the archive (default: as ls finds it)\n"
            "  -l, --listen A:P     IPv4 address and port (default 127.0.0.1:8080; port 0\n"
            "                       picks a free one); an address other than loopback is\n"
            "                       reachable by others and is warned about\n"
            "      --timeout SEC    close a connection idle for SEC seconds (default 10)\n"
            "  -h, --help           this help\n");
}

/* "ADDR:PORT" into sa. Returns 0 or -1. */
static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    if (!colon || (size_t)(colon - s) >= sizeof host || colon == s)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

static const char *arg_get(void *ud, const char *key)
{
    return MHD_lookup_connection_value(ud, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result send_text(struct MHD_Connection *conn, unsigned status, const char *msg)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(msg), (void *)msg, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
    enum MHD_Result ok = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ok;
}

static void add_security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                            "base-uri 'none'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    (void)upload_data;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return send_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "405 read-only: GET and HEAD only\n");
    /* a request with a body: refused from its head, the body never read */
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if ((clen && strcmp(clen, "0") != 0) || MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding")) {
        *upload_data_size = 0;
        return send_text(conn, 413, "413 no request body accepted\n");
    }
    *con_cls = conn;
    struct view_response v;
    view_handle(cls, url, arg_get, conn, time(NULL), &v);
    if (v.body.err) {
        buf_release(&v.body);
        return send_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "500 out of memory\n");
    }
    size_t len = 0;
    char *body = buf_detach(&v.body, &len);
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body ? body : (char *)"", body ? MHD_RESPMEM_MUST_FREE
                                                                                              : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", v.ctype);
    if (*v.disposition)
        MHD_add_response_header(r, "Content-Disposition", v.disposition);
    add_security_headers(r);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)v.status, r);
    MHD_destroy_response(r);
    return ok;
}

/* Starts the daemon, prints its address and waits for SIGINT/SIGTERM. */
static int serve(struct archive *a, const struct sockaddr_in *sa, unsigned timeout)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* the server's thread inherits it */
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, a,
                         MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                         (size_t)SERVE_MEMORY_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONNECTIONS,
                         MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_IP, MHD_OPTION_END);
    if (!d) {
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof ip);
        fprintf(stderr, "newsarc serve: cannot listen on %s:%u (in use, or not an address of this host)\n", ip,
                ntohs(sa->sin_port));
        return CMD_PARTIAL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    char ip[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof ip);
    printf("newsarc serve: http://%s:%u/ (read-only; Ctrl-C stops)\n", ip,
           info ? (unsigned)info->port : ntohs(sa->sin_port));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return CMD_OK;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' },
        { "listen", required_argument, NULL, 'l' },  { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *config = NULL, *listen = NULL;
    int c;
    long timeout = SERVE_TIMEOUT;
    char *end = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:c:l:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case 'l': listen = optarg; break;
        case 't':
            timeout = strtol(optarg, &end, 10);
            if (*end || timeout < 1 || timeout > 3600) {
                fprintf(stderr, "newsarc serve: --timeout wants seconds from 1 to 3600, not '%s'\n", optarg);
                return CMD_USAGE;
            }
            break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc serve: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    struct sockaddr_in sa;
    if (parse_listen(listen ? listen : "127.0.0.1:8080", &sa) < 0) {
        fprintf(stderr, "newsarc serve: --listen wants IPv4ADDR:PORT (e.g. 127.0.0.1:8080), not '%s'\n", listen);
        return CMD_USAGE;
    }
    if ((ntohl(sa.sin_addr.s_addr) >> 24) != 127)
        fprintf(stderr, "newsarc serve: warning: listening on %s, not loopback: anyone who can reach this host "
                        "can read the archive\n", listen);
    struct sites_config *cfg = NULL;
    if (cli_read_archive("serve", dir, config, &dir, &cfg) != CMD_OK)
        return CMD_USAGE;
    sites_config_free(cfg);
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    ao.readonly = 1;
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc) {
        fprintf(stderr, "newsarc serve: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return CMD_PARTIAL;
    }
    int ret = serve(a, &sa, (unsigned)timeout);
    archive_close(a);
    buf_release(&err);
    return ret;
}
