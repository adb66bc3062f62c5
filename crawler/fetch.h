/* fetch.h — the crawler's one libcurl multi event loop (curl_multi_poll).
 * It starts GET transfers when told to, and hands back each finished one with
 * what went over the wire: the request head as sent, the response head as
 * received, the body bytes as received (transfer coding such as chunked and
 * content coding such as gzip both kept; libcurl decodes nothing) and the
 * peer address. Redirects are not followed here (the caller archives each
 * hop and decides). Decoding for the parser is util/http.h's job.
 * Politeness and retries are the caller's business (politeness.h). */
#ifndef NA_FETCH_H
#define NA_FETCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "util/buf.h"
#include "util/http.h"

struct fetch;

struct fetch_opts {
    const char *user_agent;     /* User-Agent header (copied) */
    double connect_timeout;     /* seconds; 0 = 10 */
    double timeout;             /* total per transfer; 0 = 60 */
    double low_speed_time;      /* abort when below low_speed_limit this long; 0 = 30 */
    long low_speed_limit;       /* bytes/s; 0 = 1024 */
    size_t max_body;            /* body cap while receiving; 0 = 10 MiB */
    size_t max_head;            /* response head cap; 0 = 256 KiB */
    int concurrency;            /* connections in total; 0 = 16 */
    int per_host_connections;   /* 0 = 1 */
    char *const *resolve;       /* "HOST:PORT:ADDR" entries (CURLOPT_RESOLVE), borrowed */
    size_t nresolve;
    const char *ca_file;        /* CA certificates for https (CURLOPT_CAINFO, copied), or
                                 * NULL for the system's */
};

/* Causes of a TLS failure (fetch_result.tls_cause). */
enum {
    FETCH_TLS_NONE,
    FETCH_TLS_EXPIRED,          /* certificate expired (or not yet valid) */
    FETCH_TLS_UNKNOWN_ISSUER,   /* issuer not among the trusted CAs (a private CA) */
    FETCH_TLS_INCOMPLETE_CHAIN, /* the server sends its certificate without the intermediate */
    FETCH_TLS_SELF_SIGNED,      /* a self-signed certificate */
    FETCH_TLS_HOST_MISMATCH,    /* the certificate is for another name */
    FETCH_TLS_OLD_PROTOCOL,     /* the server speaks only TLS 1.0/1.1 or weak ciphers */
    FETCH_TLS_OTHER,            /* another certificate or handshake failure */
};

/* The cause of a TLS failure from curl's code and error-buffer text, and
 * the number of certificates the server sent (0 unknown; one alone that
 * does not verify means an incomplete chain): FETCH_TLS_* (0 when it is
 * not a TLS failure). Writes to out (n bytes) the cause in words, curl's
 * text and the setting that would allow it (ca_file, tls_verify = no,
 * tls_legacy = yes). */
int fetch_tls_cause(int curl_code, const char *detail, int certs_sent, char *out, size_t n);

/* One finished transfer; owned by the caller (fetch_result_free). */
struct fetch_result {
    char *url;            /* the URL asked for */
    void *ud;             /* the caller's pointer given to fetch_start */
    int rc;               /* 0: a complete HTTP response; NA_ENET: no (complete)
                             response; NA_ETOOBIG: body or head over the cap
                             (transfer aborted); NA_ENOMEM */
    int retryable;        /* rc != 0 and the failure may pass: timeout,
                             connection refused/reset, truncated body */
    int truncated;        /* rc 0, but receiving stopped at the transfer's own cap
                             (fetch_limits.keep_prefix): body holds the first
                             max_body bytes of a longer body */
    int curl_code;        /* CURLcode */
    char error[512];      /* what failed, when rc != 0; for a TLS failure it names the
                             cause and the setting that would allow it */
    int tls_cause;        /* FETCH_TLS_* when the failure is the certificate or the TLS
                             handshake, else 0 */
    int status;           /* HTTP status, 0 when none */
    int http_version;     /* 10, 11, 20, 30; 0 unknown */
    struct buf request;   /* request head as sent, ending CRLFCRLF; over HTTP/2 or 3
                             its request line says HTTP/1.1 (see head) */
    struct buf head;      /* response head as received (status line + fields + CRLF);
                             over HTTP/2 or 3 (curl gives them as "HTTP/2 200") the
                             status line says HTTP/1.1, so that WARC readers that
                             know HTTP/1.x only can read the record; the protocol
                             itself is http_version */
    struct buf body;      /* body as received on the wire */
    char ip[64];          /* CURLINFO_PRIMARY_IP, "" when unknown */
    time_t fetched;       /* wall clock when the transfer started */
    double seconds;       /* total time of the transfer */
};

/* A loop with its connection cache. Returns NULL (message in err) on error.
 * The options are copied. */
struct fetch *fetch_new(const struct fetch_opts *o, struct buf *err);
/* Aborts transfers still running (their results are dropped) and frees. */
void fetch_free(struct fetch *f);

/* Starts GET url. etag / last_modified (may be NULL) make the request
 * conditional (If-None-Match, If-Modified-Since). ud comes back in the
 * result. Returns 0 or NA_ENOMEM / NA_EINVAL with a message in err. */
int fetch_start(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                void *ud, struct buf *err);
/* Limits of one transfer (fetch_start_ex), instead of the loop's. */
struct fetch_limits {
    size_t max_body;  /* wire body cap of this transfer; 0 = fetch_opts.max_body */
    int keep_prefix;  /* 1: a body over max_body is not an error: receiving stops
                       * there and the result has rc 0, truncated 1 and the first
                       * max_body bytes (a Content-Length over the cap is no
                       * reason to refuse it either). For a robots.txt, of which
                       * the first 500 KiB are what counts (RFC 9309 2.5). */
    const char *post; /* non-NULL: a POST with this form body (application/x-www-form-urlencoded,
                       * copied; no validators sent); fetch_result.request then holds
                       * the request head and this body, as the WARC request record keeps it */
};

/* The network settings of one site (fetch_start_net): TLS, proxy, cookies.
 * Borrowed: the strings are copied by libcurl when the transfer starts; the
 * jar must outlive the transfer. Zeroed, it means the loop's settings:
 * certificates verified against fetch_opts.ca_file (or the system's), the
 * proxy of the environment (http_proxy, https_proxy, all_proxy, no_proxy,
 * read by libcurl itself), no cookies. */
struct fetch_jar;
struct fetch_net {
    const char *ca_file;        /* CA certificates (PEM) instead of the loop's, or NULL */
    int tls_no_verify;          /* 1: the certificate and host name are not checked */
    int tls_legacy;             /* 1: TLS 1.0 and 1.1 and OpenSSL security level 0 allowed */
    const char *proxy;          /* CURLOPT_PROXY ("http://host:port", "socks5h://…"); "" for
                                 * none (the environment ignored too); NULL: the environment */
    const char *proxy_auth;     /* "user:password" for the proxy, or NULL */
    const char *no_proxy;       /* CURLOPT_NOPROXY (hosts reached directly), or NULL */
    struct fetch_jar *jar;      /* cookies kept for the site, or NULL */
    const char *cookie;         /* "name=value; …" sent with this request only, or NULL */
};

/* A cookie jar: libcurl's cookie engine shared by the transfers given it
 * (fetch_net.jar), kept in path between runs (Netscape cookie file). Cookies
 * go only where their Domain/Path say (the host that set them, unless a
 * Domain attribute widens it to its subdomains). Loads path when it exists
 * (expired cookies are dropped); NULL with a message on error. */
struct fetch_jar *fetch_jar_open(const char *path, struct buf *err);
/* Writes the cookies that outlive the run (session cookies and expired ones
 * are not kept) to the jar's path, mode 0600, through a temporary file and
 * a rename. Returns 0 or NA_EIO / NA_ENOMEM with a message. */
int fetch_jar_save(struct fetch_jar *j, struct buf *err);
/* Cookies in the jar now (for tests and the log). */
size_t fetch_jar_count(struct fetch_jar *j);
/* Frees the jar (not saved: fetch_jar_save first). Not while a transfer
 * that uses it runs. NULL is fine. */
void fetch_jar_free(struct fetch_jar *j);

/* fetch_start with limits of its own (lim may be NULL: the loop's). */
int fetch_start_ex(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                   const struct fetch_limits *lim, void *ud, struct buf *err);
/* fetch_start_ex with a site's network settings (net may be NULL: the loop's). */
int fetch_start_net(struct fetch *f, const char *url, const char *etag, const char *last_modified,
                    const struct fetch_limits *lim, const struct fetch_net *net, void *ud, struct buf *err);
/* Runs the loop: waits at most timeout_ms for network activity or
 * fetch_wakeup, then makes progress. Returns the number of finished
 * transfers ready for fetch_next_done. */
int fetch_poll(struct fetch *f, int timeout_ms);
/* Sends the requests of transfers started since the loop last made
 * progress, without waiting (fetch_poll does it too). Returns the number of
 * finished transfers ready for fetch_next_done. */
int fetch_send(struct fetch *f);
/* The next finished transfer, or NULL. */
struct fetch_result *fetch_next_done(struct fetch *f);
/* Transfers started and not yet handed back. */
size_t fetch_active(const struct fetch *f);
/* Makes a fetch_poll in progress (or the next one) return early; callable
 * from any thread. Calls between two polls cost one wakeup in all. */
void fetch_wakeup(struct fetch *f);
void fetch_result_free(struct fetch_result *r);

/* The value of the first response header called name (case-insensitive),
 * trimmed, malloc'd; NULL when absent. */
char *fetch_header(const struct fetch_result *r, const char *name);
/* 1 if the response head says Transfer-Encoding: chunked. */
int fetch_is_chunked(const struct fetch_result *r);

/* Decoding for the parser is util/http.h's (http_decode_body,
 * http_decode_prefix); these names stay for older callers. */
static inline int fetch_decode_body(const char *body, size_t n, int chunked, const char *content_encoding,
                                    size_t max, struct buf *out, struct buf *err)
{
    return http_decode_body(body, n, chunked, content_encoding, max, out, err);
}

static inline int fetch_decode_prefix(const char *body, size_t n, int chunked, const char *content_encoding,
                                      size_t max, struct buf *out, int *cut, struct buf *err)
{
    return http_decode_prefix(body, n, chunked, content_encoding, max, out, cut, err);
}

#endif
