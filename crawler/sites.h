/* sites.h — sites.conf, the crawler's configuration (INI, parsed with inih):
 * a [newsarc] section of global settings and one [site NAME] section per site.
 * Every key is documented in docs/sites.conf.5. Errors name file:line and
 * what was expected; unknown keys are errors. */
#ifndef NA_SITES_H
#define NA_SITES_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include "parser/rules.h"
#include "util/buf.h"

#define SITES_MAX_LIST 64
#define SITES_MAX_SITES 10000         /* [site NAME] sections in one sites.conf */
#define SITES_MAX_LINE 16384          /* longest line of sites.conf */
#define SITES_MAX_FILE (4u << 20)     /* largest sites.conf read */
#define SITES_DEFAULT_LISTING_LINKS 10000 /* max_listing_links */

#define SITES_MAX_RETRY 32           /* intervals in a retry schedule */

/* requisites = none|images: what is archived besides an article's page. */
enum sites_requisites { SITES_REQUISITES_NONE = 0, SITES_REQUISITES_IMAGES = 1 };
#define SITES_DEFAULT_REQUISITES_MAX 20                 /* requisites_max: images per article */
#define SITES_DEFAULT_REQUISITES_MAX_SIZE ((uint64_t)5 << 20) /* requisites_max_size: bytes per image */

/* A retry schedule (retry, retry_missing): the seconds to wait after the
 * 1st, 2nd … failed attempt at an article; n intervals = n retries. */
struct sites_retry {
    long delay[SITES_MAX_RETRY];
    size_t n;
    int set;                          /* given in this section (a site inherits [newsarc]'s otherwise) */
};

struct site {
    char *name;
    int enabled;                      /* enabled = yes|no (default yes) */
    char *listing[SITES_MAX_LIST];    /* first listing pages; may hold {n} templates */
    size_t nlisting;
    char *listing_api[SITES_MAX_LIST];/* JSON list APIs, each with {n} for the page number */
    size_t nlisting_api;
    char *api_items, *api_link, *api_title, *api_date; /* listing_api_* paths into the JSON */
    char *link_base;                  /* relative API links resolve against this (default: the API URL) */
    char *feed[SITES_MAX_LIST];       /* RSS/Atom URLs */
    size_t nfeed;
    char *sitemap[SITES_MAX_LIST];    /* sitemap (or sitemap index) URLs */
    size_t nsitemap;
    int robots_sitemaps;              /* crawl the Sitemap: lines of robots.txt (default yes) */
    char *article[SITES_MAX_LIST];    /* POSIX extended regexes matching article URLs */
    size_t narticle;
    char *hosts[SITES_MAX_LIST];      /* scope: allowed hosts (default: hosts of listing/feed/sitemap URLs) */
    size_t nhosts;
    char *path_prefix[SITES_MAX_LIST];/* scope: allowed path prefixes (default: all) */
    size_t npath_prefix;
    int max_pages;                    /* listing pages per listing per cron run (default 5) */
    int backfill_max_pages;           /* cap for backfill (default 10000) */
    int max_listing_links;            /* article links kept per listing page or feed (default 10000) */
    double delay;                     /* seconds between requests to a host; <0 = global */
    char *charset;                    /* charset override, or NULL */
    int keep_raw;                     /* keep raw response records (default yes) */
    int max_depth;                    /* path depth cap for URLs (default 12) */
    struct sites_retry retry;         /* transient failures (5xx, 429, timeouts…); unset: [newsarc]'s */
    struct sites_retry retry_missing; /* 404/410, no article text; unset: [newsarc]'s */
    double alert_after_secs;          /* alert_after: silent alert after this long without a new
                                       * article (default 14 days) ... */
    int alert_after_runs;             /* ... or after this many runs (then secs is 0); both 0 = off */
    int alert_failures;               /* unreachable alert after this many failing runs in a row
                                       * (default 3; 0 = off) */
    int article_line[SITES_MAX_LIST]; /* line of each article = (0 for a hand-built site) */
    struct rules rules;               /* xpath_container, xpath_drop, xpath_title, xpath_date, xpath_author */
    /* Network settings of the site; unset (NULL, -1): [newsarc]'s (sites_net_for). */
    char *ca_file;                    /* CA certificates for the site's https (absolute) */
    int tls_verify;                   /* tls_verify = no: certificates not checked */
    int tls_legacy;                   /* tls_legacy = yes: TLS 1.0/1.1, security level 0 */
    char *proxy;                      /* proxy URL, or "none" */
    char *proxy_auth_file;            /* "user:password" file (absolute, mode 0600) */
    char *proxy_auth_env;             /* name of an environment variable holding "user:password" */
    char *no_proxy;                   /* hosts reached without the proxy */
    int cookies;                      /* cookies = yes: a cookie jar kept between runs */
    int learn_boilerplate;            /* default yes: the site's template of recurring
                                         blocks is learned and dropped (crawler/template.h) */
    int requisites;                   /* enum sites_requisites (default none) */
    char *requisites_hosts[SITES_MAX_LIST]; /* more hosts images may come from (default: the scope's) */
    size_t nrequisites_hosts;
    int requisites_max;               /* images per article (default SITES_DEFAULT_REQUISITES_MAX) */
    uint64_t requisites_max_size;     /* bytes per image (default SITES_DEFAULT_REQUISITES_MAX_SIZE) */
    char *file;                       /* config file and line where the section starts */
    int line;
    /* Filled by sites_config_load / site_prepare, owned by the site: */
    regex_t *article_re;              /* narticle compiled article[] (REG_EXTENDED|REG_NOSUB);
                                         regexec on them is safe from many threads */
    int hosts_default;                /* 1 if hosts[] was derived from listing/feed/sitemap URLs */
};

struct resolve_entry {
    char *spec; /* "HOST:PORT:ADDR" as given to CURLOPT_RESOLVE */
};

struct sites_config {
    char *path;                  /* the file read */
    char *archive;               /* archive directory (relative to the config file's folder if relative) */
    char *user_agent;
    int concurrency;             /* global parallel transfers (default 16) */
    int per_host_connections;    /* default 1 */
    double delay;                /* default 2.0 s */
    double connect_timeout;      /* default 10 s */
    double timeout;              /* total per transfer, default 60 s */
    double low_speed_time;       /* abort below 1 KB/s for this long, default 30 s */
    uint64_t max_page_size;      /* body cap, also after decompression, default 10 MiB */
    int retries;                 /* per URL, default 3 */
    double retry_backoff;        /* base of the retry and slow-down waits, default 1 s */
    int max_redirects;           /* default 5 */
    uint64_t warc_max_size;      /* default 1 GiB */
    int robots;                  /* obey robots.txt (default yes) */
    int workers;                 /* extraction threads; 0 = number of cores */
    char *resolve[SITES_MAX_LIST];
    size_t nresolve;
    char *ca_file;               /* CA certificates for https, PEM (relative to the config
                                  * file's folder if relative); NULL: the system's */
    int tls_verify;              /* default yes; no: certificates not checked (warned, recorded) */
    int tls_legacy;              /* default no */
    char *proxy;                 /* proxy URL, "none", or NULL (the environment's) */
    char *proxy_auth_file;       /* "user:password" file for the proxy (absolute) */
    char *proxy_auth_env;        /* or the environment variable that holds it */
    char *no_proxy;              /* hosts reached without the proxy (CURLOPT_NOPROXY syntax) */
    int cookies;                 /* default no */
    struct sites_retry retry;    /* default 1h 6h 1d 3d */
    struct sites_retry retry_missing; /* default 1h 1d 3d */
    struct site *sites;
    size_t nsites;
    char digest[64];             /* hex SHA-1 of the file's bytes (for warcinfo) */
};

/* Article patterns are POSIX EREs with a bounded cost (docs/sites.conf.5):
 * at most SITES_MAX_PATTERN bytes, SITES_MAX_NESTING levels of parentheses
 * (glibc's regcomp recurses per level: 16,000 overflowed the stack), at most
 * SITES_MAX_PATTERN_NODES atoms once {m,n} repeats are expanded, at most
 * SITES_MAX_REPEATED_GROUPS repeated groups (regcomp's time doubles with each
 * nullable one: (x*)* 16 times took 90 ms, 20 times 2.5 s), and no
 * back-references (\1..\9: not ERE, and glibc matches them by
 * backtracking without bound). Compiled as .*(P) and matched at the first
 * position only: the same URLs match, in one left-to-right pass, where
 * regexec tries every start position (quadratic: 20 ms for (a+)+$ on a
 * 1.9 KB URL). URLs over URL_MAX_LEN bytes never match. */
#define SITES_MAX_PATTERN 4096
#define SITES_MAX_NESTING 32
#define SITES_MAX_PATTERN_NODES 4096
#define SITES_MAX_REPEATED_GROUPS 8
/* Checks and compiles pattern into re (REG_EXTENDED|REG_NOSUB). Returns 0, or
 * NA_ECONFIG with why in msg (n bytes; "back-reference \1 …", regerror's
 * text, …); re needs regfree only after 0. */
int sites_regcomp(regex_t *re, const char *pattern, char *msg, size_t n);
/* 1 when url matches re (compiled by sites_regcomp), else 0. */
int sites_regmatch(const regex_t *re, const char *url);

/* Sites built by hand (tests, `newsarc try` without a config): site_init
 * zeroes s and sets every default (name copied); fill the lists with
 * malloc'd strings, then site_prepare compiles the article patterns and
 * derives the default hosts (NA_ECONFIG with a message on a bad regex).
 * site_release frees everything the site holds (also the strings). */
int site_init(struct site *s, const char *name);
int site_prepare(struct site *s, struct buf *err);
void site_release(struct site *s);
/* 1 if url is http(s), within the site's scope and passes the trap
 * defences, judged on its canonical form (url_canonical): its host matches
 * one of hosts[] (url_host_matches; none given: a host of the listing, feed
 * or sitemap URLs), its path starts with one of path_prefix[] (if any), and
 * url_trap(url, s->max_depth) is 0. (Declared here, not in url.h, because
 * scope is the site's: url.c knows nothing of sites.) */
int url_in_scope(const struct site *s, const char *url);
/* 1 if url may be fetched as an image of an article of s (requisites =
 * images): http(s), its canonical form's host one of the site's hosts (as
 * url_in_scope; path_prefix does not apply: pictures live apart from the
 * articles) or matching one of requisites_hosts[], and not a trap
 * (url_trap with the site's max_depth). */
int sites_requisite_in_scope(const struct site *s, const char *url);
/* The delay in seconds that applies to s (its own, else the global one). */
double sites_delay(const struct sites_config *c, const struct site *s);

/* The retry schedule that applies to s (NULL: the global one) for a
 * transient failure (missing 0) or a missing article (missing 1). */
const struct sites_retry *sites_retry_for(const struct sites_config *c, const struct site *s, int missing);

/* The network settings that apply to s (NULL: [newsarc]'s), each its own
 * or else the global one. Strings borrowed from the config. */
struct sites_net {
    const char *ca_file;         /* NULL: the system's */
    int tls_verify, tls_legacy, cookies;
    const char *proxy;           /* NULL: the environment's; "" none */
    const char *proxy_auth_file, *proxy_auth_env; /* at most one set */
    const char *no_proxy;
};
void sites_net_for(const struct sites_config *c, const struct site *s, struct sites_net *out);
/* The proxy's "user:password" from n->proxy_auth_file (which must not be
 * readable by group or others) or the variable n->proxy_auth_env, into *out
 * (malloc'd; NULL when neither is set). Returns 0 or NA_ECONFIG / NA_EIO with
 * a message that never holds the secret. */
int sites_proxy_auth(const struct sites_net *n, char **out, struct buf *err);

/* Reads and validates path. Returns 0 or NA_ECONFIG with "file:line: message"
 * in err. The result is owned by the caller: sites_config_free(). */
int sites_config_load(const char *path, struct sites_config **out, struct buf *err);
void sites_config_free(struct sites_config *c);
/* The site called name, or NULL. */
struct site *sites_find(struct sites_config *c, const char *name);
/* Prints the resolved settings (every key with its effective value) to out. */
int sites_config_dump(const struct sites_config *c, struct buf *out);

#endif
