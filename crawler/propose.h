/* propose.h — `newsarc propose URL`: a ready [site] section from a portal's
 * homepage or a column page. Reads robots.txt, the page, its news columns
 * (navigation links and link clusters, ranked by the words that mark news:
 * 新闻 动态 资讯 招商 项目 公告 政策 …) and the feeds it names, within a
 * request budget and the delay, obeying robots.txt; groups the links by URL
 * shape (digit runs; directory names that vary between columns), keeps the
 * groups whose links read like titles and writes an anchored article =
 * regex for each; takes the columns that list such links as listings (a
 * TRS createPageHTML script gives a {n} template); checks the proposal by
 * extracting sample articles. Fetching goes through crawler/try.h. */
#ifndef NA_PROPOSE_H
#define NA_PROPOSE_H

#include <stddef.h>
#include "util/buf.h"

struct try_fetch_opts;

#define PROPOSE_MAX_REQUESTS 30   /* default request budget */
#define PROPOSE_MAX_COLUMNS 12    /* column pages read at most */
#define PROPOSE_SAMPLES 3         /* articles extracted to check */
#define PROPOSE_MAX_SHAPES 64     /* URL shapes reported */
#define PROPOSE_MAX_LINKS 50000   /* distinct links looked at */

struct propose_opts {
    const struct try_fetch_opts *fetch; /* borrowed: user agent, timeouts, resolve */
    const char *agent;            /* robots.txt product token source (the User-Agent) */
    double delay;                 /* seconds between two requests (raised to robots.txt's crawl-delay, max 60) */
    int max_requests;             /* 0 = PROPOSE_MAX_REQUESTS */
    const char *name;             /* the site's name, NULL: from the host */
};

/* One proposed article pattern. */
struct propose_pattern {
    char *regex;                  /* anchored POSIX ERE */
    long links;                   /* distinct links it matched while reading */
    char *example;
};

struct propose_result {
    char *name;                   /* the [site NAME] */
    char **listing;               /* listing = values */
    size_t nlisting;
    char **feed;                  /* feed = values (those whose items match a pattern) */
    size_t nfeed;
    struct propose_pattern *pattern;
    size_t npattern;
    double crawl_delay;           /* robots.txt's Crawl-delay (max 60), 0 none: a delay = line */
    char charset[80];             /* of the start page, and where it was found */
    int requests;                 /* made */
    int samples_ok, samples;      /* sample articles with title, date and text / tried */
    struct buf comments;          /* "# ..." lines: what was found, left out and why */
    char **links;                 /* every in-scope link read (canonical), for --site comparisons */
    size_t nlinks;
};

void propose_result_init(struct propose_result *r);
void propose_result_release(struct propose_result *r);

/* Proposes a section for the portal at url. Returns 0 (also when nothing
 * article-like was found: then npattern is 0 and the comments say why), or
 * a negative NA_* code with a message in err (the start page could not be
 * fetched, robots.txt disallows it, out of memory). */
int propose_run(const struct propose_opts *o, const char *url, struct propose_result *out, struct buf *err);

/* The section as sites.conf text: comments, [site NAME], listing, feed,
 * article lines. */
int propose_format(const struct propose_result *r, struct buf *out);

/* The URL shape of a canonical http(s) URL as an anchored POSIX ERE: scheme
 * and host as they are, every run of digits [0-9]+, the rest escaped
 * ("http://h/post/386.html" -> "^http://h/post/[0-9]+\.html$"). malloc'd,
 * NULL when out of memory or not an http(s) URL. */
char *propose_shape(const char *url);

#endif
