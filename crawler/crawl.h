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
#include "crawler/crawl_stats.h"
#include "util/buf.h"

struct sites_config;
struct archive;

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

/* The robots.txt product token of a User-Agent ("newsarc/0.1 (+…)" →
 * "newsarc"), into out (cap bytes). */
void crawl_agent_token(const char *user_agent, char *out, size_t cap);

#endif
