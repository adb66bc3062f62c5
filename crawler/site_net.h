/* site_net.h — a site's transfer settings made into the fetch options of its
 * requests (fetch.h struct fetch_net): ca_file, tls_verify, tls_legacy,
 * proxy with proxy_auth_file / proxy_auth_env, no_proxy and the cookie jar
 * of cookies = yes (sites.conf(5)), a site's own over [newsarc]'s. The one
 * place that does it: `crawl` and `try` both take a site's options from
 * here, so the two cannot fetch a site differently. */
#ifndef NA_SITE_NET_H
#define NA_SITE_NET_H

#include "crawler/fetch.h"
#include "util/buf.h"

struct site;
struct sites_config;

struct site_net {
    struct fetch_net net;       /* for fetch_start_net; borrows from the config and from here */
    char *proxy_auth;           /* the proxy's "user:password" (owned, wiped by site_net_release) */
    struct fetch_jar *jar;      /* cookies = yes: the site's jar (owned; net.jar), else NULL */
};

/* The options of site s of cfg (s may be NULL: [newsarc]'s) into out. With
 * cookies = yes, a jar kept in the archive folder dir as
 * DIR/cookies/NAME.txt, loaded when it exists (dir NULL: a jar for this run
 * only); with make_dir, DIR/cookies is made (mode 0700) for saving it.
 * Returns 0, or NA_ECONFIG / NA_EIO / NA_ENOMEM with a message that names
 * the site and never holds the secret; out is then empty. */
int site_net_open(const struct sites_config *cfg, const struct site *s, const char *dir, int make_dir,
                  struct site_net *out, struct buf *err);

/* Frees what n owns, the proxy's credentials wiped first. The jar is not
 * saved (fetch_jar_save before). n zeroed; NULL is fine. */
void site_net_release(struct site_net *n);

#endif
