/* crawl.h — one crawl run: the orchestration of fetch loop, politeness,
 * robots.txt, discovery, extraction and archive. Cron mode walks each
 * site's listing pages from the newest until a page shows no article the
 * archive lacks (or max_pages), reads its feeds and sitemaps, and fetches the
 * new articles; backfill walks a range of listing pages and keeps its
 * progress in the archive so that a killed run resumes. Parsing, extraction
 * and archiving run on a worker pool; archive calls are serialized. */
#ifndef NA_CRAWL_H
#define NA_CRAWL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

struct sites_config;
struct archive;

#define CRAWL_MAX_ERROR_LINES 50
#define CRAWL_SHORT_TEXT 50        /* characters: an article text shorter than this is "very short" */
#define CRAWL_LISTING_SAMPLES 600  /* bytes of sample links kept per listing (health checks) */

struct crawl_site_stats {
    const char *name;          /* the site's name (borrowed from the config) */
    long listing_pages;        /* listing pages fetched, 304s included */
    long not_modified;         /* of which answered 304 */
    long feeds, sitemaps, robots;
    long articles_found;       /* article links seen on listing pages, feeds, sitemaps */
    long articles_new;         /* articles archived with their text this run */
    long articles_empty;       /* of which no text was found */
    long errors;               /* URLs that failed for good this run */
    long retries;
    long robots_blocked;       /* URLs robots.txt disallowed */
    /* for the summary and crawler/health.c: */
    long robots_failed;        /* origins whose robots.txt was unreachable (5xx, network error) */
    long robots_unreachable;   /* URLs not fetched because of that (not counted in robots_blocked) */
    char robots_why[96];       /* the first reason: "HTTP 503", a network error */
    long listing_failed;       /* listing pages given up with a network error or 5xx */
    char listing_why[300];     /* the first one: "URL: reason" */
    char challenge[300];       /* the first anti-bot answer (challenge.h), described; "" none */
    long articles_short;       /* new articles with fewer than CRAWL_SHORT_TEXT characters (empty too) */
    long articles_undated;     /* new articles without a published date */
    long articles_poor;        /* new articles short or undated (each counted once) */
    uint64_t bytes;            /* received, heads and bodies as on the wire */
    double seconds;            /* from the site's first request to its last answer */
    double t_first, t_last;    /* private */
};

/* The first page of one listing as this run found it (crawler/health.c). */
struct crawl_listing_stats {
    size_t site;               /* index into crawl_stats.site */
    const char *listing;       /* the listing line (borrowed from the config) */
    int state;                 /* 0 not read this run (or failed), 1 read (200), 2 not modified (304) */
    long articles;             /* article links it yielded */
    long links;                /* when it yielded none: every link on the page */
    char samples[CRAWL_LISTING_SAMPLES]; /* ... and up to 3 of them that look like articles,
                                * space-separated (health_listing_probe) */
};

struct crawl_stats {
    struct crawl_site_stats *site; /* one per crawled site, config order */
    size_t nsite;
    struct crawl_listing_stats *listing; /* one per listing of the crawled sites */
    size_t nlisting;
    long fetches;              /* HTTP transfers */
    long listing_planned;      /* backfill: listing pages in the ranges (upper bound) */
    long listing_done;
    long articles_queued, articles_done;
    long errors;
    uint64_t bytes;
    double elapsed;            /* seconds */
    int interrupted;           /* stopped by *opts.stop */
    struct buf errors_text;    /* the first CRAWL_MAX_ERROR_LINES "site: url: what" lines */
};

struct crawl_opts {
    struct sites_config *cfg;      /* borrowed */
    struct archive *archive;       /* borrowed; NULL = dry run (nothing archived, everything new) */
    const char *const *sites;      /* names to crawl; nsites == 0: every enabled site */
    size_t nsites;
    int backfill;                  /* 0 cron mode, 1 backfill */
    int page_from, page_to;        /* backfill range; 0 = 1 and backfill_max_pages */
    int restart;                   /* backfill: ignore the saved progress */
    int retry_failed;              /* fetch only the archive frontier's URLs that are not done
                                      (failed, given up, or waiting for their next attempt), now */
    int workers;                   /* extraction threads; 0 = cfg->workers, else the CPUs */
    /* Called on the loop's thread about 4 times a second and at the end. */
    void (*progress)(const struct crawl_stats *st, void *ud);
    void *progress_ud;
    volatile sig_atomic_t *stop;   /* when it becomes non-zero the run winds down */
};

/* Runs one crawl. st is filled (crawl_stats_release it, also on error).
 * Returns 0 when the run completed (failed fetches are counted in st, not
 * returned), NA_ECONFIG for an unknown site name, or a negative code when
 * the run had to stop (archive write error, out of memory), with a message. */
int crawl_run(const struct crawl_opts *o, struct crawl_stats *st, struct buf *err);
void crawl_stats_release(struct crawl_stats *st);

/* The robots.txt product token of a User-Agent ("newsarc/0.1 (+…)" →
 * "newsarc"), into out (cap bytes). */
void crawl_agent_token(const char *user_agent, char *out, size_t cap);

#endif
