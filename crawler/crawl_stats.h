/* crawl_stats.h — what one crawl run counted, per site and per listing:
 * filled by crawl.c, judged by health.c, printed by the CLI. A module of its
 * own so that health.c (which crawl.c calls) does not depend on the crawl. */
#ifndef NA_CRAWL_STATS_H
#define NA_CRAWL_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

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
    long articles_still_empty; /* pages the archive had without text, fetched again: still none
                                  (a retry, not a new article: not in articles_new) */
    long errors;               /* URLs that failed for good this run */
    long retries;
    long robots_blocked;       /* URLs robots.txt disallowed */
    long images;               /* images of new articles archived (requisites = images) */
    long images_skipped;       /* ... fetched or meant to be but not archived: over the size
                                * cap, not an image, not 200, failed, disallowed by robots.txt */
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

/* Frees what st holds and zeroes it (st NULL is fine). */
void crawl_stats_release(struct crawl_stats *st);

#endif
