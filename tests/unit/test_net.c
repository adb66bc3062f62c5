/* test_net.c — the network settings (issue 14): TLS failures named with
 * their cause and the setting that allows them (fetch_tls_cause); the
 * per-site keys of sites.conf inheriting [newsarc]'s (sites_net_for), proxy
 * URLs without credentials, credentials files that only their owner may
 * read, credentials from the environment, the dump; the cookie jar kept
 * between runs (expired and session cookies dropped, mode 0600). */
#include "tests/check.h"
#include "crawler/fetch.h"
#include "crawler/sites.h"
#include "util/err.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    chmod(path, mode);
}

static char *tmp(const char *name)
{
    static char paths[8][4096];
    static int next;
    char *p = paths[next++ % 8];
    snprintf(p, 4096, "%s/%s", test_tmpdir(), name);
    return p;
}

TEST(net_tls_cause_names_each_failure_and_its_setting)
{
    char msg[512];
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: certificate has expired", 2, msg,
                             sizeof msg), FETCH_TLS_EXPIRED);
    CHECK_CONTAINS(msg, "expired");
    CHECK_CONTAINS(msg, "tls_verify = no");
    /* the same words from OpenSSL: one certificate sent = the intermediate is missing */
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate",
                             1, msg, sizeof msg), FETCH_TLS_INCOMPLETE_CHAIN);
    CHECK_CONTAINS(msg, "incomplete certificate chain");
    CHECK_CONTAINS(msg, "ca_file");
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate",
                             2, msg, sizeof msg), FETCH_TLS_UNKNOWN_ISSUER);
    CHECK_CONTAINS(msg, "unknown issuer");
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: unable to get local issuer certificate",
                             0, msg, sizeof msg), FETCH_TLS_UNKNOWN_ISSUER);
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION, "SSL certificate problem: self-signed certificate", 1, msg,
                             sizeof msg), FETCH_TLS_SELF_SIGNED);
    CHECK_EQ(fetch_tls_cause(CURLE_PEER_FAILED_VERIFICATION,
                             "SSL: no alternative certificate subject name matches target host name 'b.example'", 2, msg,
                             sizeof msg), FETCH_TLS_HOST_MISMATCH);
    CHECK_CONTAINS(msg, "host mismatch");
    CHECK_EQ(fetch_tls_cause(CURLE_SSL_CONNECT_ERROR,
                             "OpenSSL/3.0.19: error:0A00014D:SSL routines::legacy sigalg disallowed or unsupported", 0,
                             msg, sizeof msg), FETCH_TLS_OLD_PROTOCOL);
    CHECK_CONTAINS(msg, "tls_legacy = yes");
    CHECK_EQ(fetch_tls_cause(CURLE_SSL_CONNECT_ERROR, "error:0A000102:SSL routines::unsupported protocol", 0, msg,
                             sizeof msg), FETCH_TLS_OLD_PROTOCOL);
    CHECK_EQ(fetch_tls_cause(CURLE_SSL_CONNECT_ERROR, "error:0A000410:SSL routines::sslv3 alert handshake failure", 0,
                             msg, sizeof msg), FETCH_TLS_OLD_PROTOCOL);
    /* not TLS, or a TLS hiccup that may pass: not named, retried as before */
    CHECK_EQ(fetch_tls_cause(CURLE_COULDNT_CONNECT, "Failed to connect to x port 443: Connection refused", 0, msg,
                             sizeof msg), FETCH_TLS_NONE);
    CHECK_EQ(fetch_tls_cause(CURLE_SSL_CONNECT_ERROR, "OpenSSL SSL_connect: Connection reset by peer in connection to x:443",
                             0, msg, sizeof msg), FETCH_TLS_NONE);
    CHECK_EQ(fetch_tls_cause(CURLE_OPERATION_TIMEDOUT, "", 0, msg, sizeof msg), FETCH_TLS_NONE);
}

static const char conf_head[] = "[newsarc]\nuser_agent = newsarc/0.1 (+https://example.org/crawler)\n";

static int load(const char *text, struct sites_config **c, struct buf *err)
{
    char *p = tmp("net.conf");
    write_file(p, text, 0644);
    buf_reset(err);
    return sites_config_load(p, c, err);
}

TEST(net_site_settings_inherit_and_override_newsarc)
{
    char conf[4096];
    write_file(tmp("ca.pem"), "-----BEGIN CERTIFICATE-----\n", 0644);
    write_file(tmp("px.auth"), "crawler:pw1\n", 0600);
    snprintf(conf, sizeof conf,
             "%sproxy = http://proxy.example:3128\nproxy_auth_file = px.auth\nno_proxy = intranet.example\n"
             "tls_legacy = yes\n\n"
             "[site a]\nlisting = https://a.example/\narticle = /n/\nca_file = ca.pem\ntls_verify = no\ncookies = yes\n\n"
             "[site b]\nlisting = https://b.example/\narticle = /n/\nproxy = socks5h://127.0.0.1:1080\n"
             "proxy_auth_env = NA_TEST_NET_AUTH\ntls_legacy = no\n\n"
             "[site c]\nlisting = https://c.example/\narticle = /n/\nproxy = none\n",
             conf_head);
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(load(conf, &c, &err), 0);
    if (!c) {
        buf_release(&err);
        return;
    }
    struct sites_net a, b, cc, g;
    sites_net_for(c, &c->sites[0], &a);
    sites_net_for(c, &c->sites[1], &b);
    sites_net_for(c, &c->sites[2], &cc);
    sites_net_for(c, NULL, &g);
    CHECK(a.ca_file && strstr(a.ca_file, "/ca.pem") && a.ca_file[0] == '/');
    CHECK(g.ca_file == NULL);
    CHECK_EQ(a.tls_verify, 0);
    CHECK_EQ(b.tls_verify, 1);
    CHECK_EQ(a.tls_legacy, 1);
    CHECK_EQ(b.tls_legacy, 0);
    CHECK_EQ(a.cookies, 1);
    CHECK_EQ(b.cookies, 0);
    CHECK_STR(a.proxy, "http://proxy.example:3128");
    CHECK(a.proxy_auth_file && strstr(a.proxy_auth_file, "/px.auth"));
    CHECK_STR(a.no_proxy, "intranet.example");
    CHECK_STR(b.proxy, "socks5h://127.0.0.1:1080");
    CHECK(b.proxy_auth_file == NULL); /* the global file goes with the global proxy */
    CHECK_STR(b.proxy_auth_env, "NA_TEST_NET_AUTH");
    CHECK_STR(cc.proxy, "");          /* none: direct, the environment ignored */
    char *auth = NULL;
    CHECK_EQ(sites_proxy_auth(&a, &auth, &err), 0);
    CHECK_STR(auth, "crawler:pw1");
    free(auth);
    unsetenv("NA_TEST_NET_AUTH");
    CHECK_EQ(sites_proxy_auth(&b, &auth, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "NA_TEST_NET_AUTH");
    setenv("NA_TEST_NET_AUTH", "u:p2", 1);
    CHECK_EQ(sites_proxy_auth(&b, &auth, &err), 0);
    CHECK_STR(auth, "u:p2");
    free(auth);
    /* the dump shows what applies, never a secret */
    struct buf d = BUF_INIT;
    CHECK_EQ(sites_config_dump(c, &d), 0);
    CHECK_CONTAINS(buf_str(&d), "tls_legacy = yes  ; from [newsarc]");
    CHECK_CONTAINS(buf_str(&d), "proxy = socks5h://127.0.0.1:1080");
    CHECK_NOT_CONTAINS(buf_str(&d), "pw1");
    CHECK_NOT_CONTAINS(buf_str(&d), "u:p2");
    buf_release(&d);
    sites_config_free(c);
    buf_release(&err);
}

TEST(net_bad_proxy_settings_are_refused_with_a_reason)
{
    char conf[2048];
    struct sites_config *c = NULL;
    struct buf err = BUF_INIT;
    static const struct { const char *line, *says; } bad[] = {
        { "proxy = http://user:secret@proxy.example:3128", "proxy_auth_file" },
        { "proxy = ftp://proxy.example", "socks5h://" },
        { "proxy = proxy.example:3128", "socks5h://" },
        { "proxy = http://", "no host" },
        { "proxy_auth_env = 1BAD", "environment variable" },
        { "proxy_auth_env = PX", "without a 'proxy'" },
        { "tls_verify = maybe", "yes or no" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(conf, sizeof conf, "%s%s\n\n[site a]\nlisting = http://a.example/\narticle = /n/\n", conf_head,
                 bad[i].line);
        CHECK_EQ(load(conf, &c, &err), NA_ECONFIG);
        CHECK_CONTAINS(buf_str(&err), bad[i].says);
        CHECK_NOT_CONTAINS(buf_str(&err), "secret");
    }
    /* a credentials file others may read */
    write_file(tmp("open.auth"), "crawler:pw\n", 0644);
    snprintf(conf, sizeof conf, "%sproxy = http://p.example:8080\nproxy_auth_file = open.auth\n\n"
             "[site a]\nlisting = http://a.example/\narticle = /n/\n", conf_head);
    CHECK_EQ(load(conf, &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "chmod 600");
    CHECK_CONTAINS(buf_str(&err), "0644");
    chmod(tmp("open.auth"), 0600);
    CHECK_EQ(load(conf, &c, &err), 0);
    sites_config_free(c);
    /* a site's ca_file that cannot be read */
    snprintf(conf, sizeof conf, "%s\n[site a]\nlisting = http://a.example/\narticle = /n/\nca_file = nowhere.pem\n",
             conf_head);
    CHECK_EQ(load(conf, &c, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "nowhere.pem");
    buf_release(&err);
}

TEST(net_cookie_jar_keeps_lasting_cookies_only)
{
    char *path = tmp("jar.txt");
    long long later = (long long)time(NULL) + 3600;
    char text[1024];
    snprintf(text, sizeof text,
             "# Netscape HTTP Cookie File\n"
             "a.example\tFALSE\t/\tFALSE\t%lld\tkeep\tv1\n"
             "a.example\tFALSE\t/\tFALSE\t1000000000\told\tv2\n"
             "a.example\tFALSE\t/\tFALSE\t0\tsess\tv3\n"
             "#HttpOnly_a.example\tFALSE\t/\tFALSE\t%lld\thttponly\tv4\n",
             later, later);
    write_file(path, text, 0644);
    struct buf err = BUF_INIT;
    struct fetch_jar *j = fetch_jar_open(path, &err);
    CHECK(j != NULL);
    if (!j) {
        buf_release(&err);
        return;
    }
    CHECK_EQ(fetch_jar_count(j), 3); /* the expired one is not loaded */
    CHECK_EQ(fetch_jar_save(j, &err), 0);
    fetch_jar_free(j);
    struct stat st;
    CHECK_EQ(stat(path, &st), 0);
    CHECK_EQ(st.st_mode & 0777, 0600);
    FILE *f = fopen(path, "r");
    char all[4096] = "";
    size_t n = f ? fread(all, 1, sizeof all - 1, f) : 0;
    all[n] = 0;
    if (f)
        fclose(f);
    CHECK_CONTAINS(all, "\tkeep\tv1");
    CHECK_CONTAINS(all, "\thttponly\tv4");
    CHECK_NOT_CONTAINS(all, "\told\t");
    CHECK_NOT_CONTAINS(all, "\tsess\t"); /* a session cookie ends with the run */
    /* a jar that does not exist yet is empty; one in memory saves nothing */
    j = fetch_jar_open(tmp("none.txt"), &err);
    CHECK(j && fetch_jar_count(j) == 0);
    fetch_jar_free(j);
    j = fetch_jar_open(NULL, &err);
    CHECK(j != NULL);
    CHECK_EQ(fetch_jar_save(j, &err), 0);
    fetch_jar_free(j);
    buf_release(&err);
}
