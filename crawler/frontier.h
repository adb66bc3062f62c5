/* frontier.h — the crawl queue of one run, on top of the archive's
 * persistent frontier (archive_frontier_*). In memory: per-host FIFO queues
 * in three priority classes (robots.txt, navigation pages, articles), a
 * round-robin pick of the next job whose host politeness allows now, and
 * sets of the URLs queued this run (64-bit hashes). Persistent: the article
 * URLs discovered, so a killed run resumes without losing or refetching one.
 * The in-memory part belongs to the fetch loop's thread; the persistent
 * helpers take the archive and must be called with the caller's archive
 * lock held. */
#ifndef NA_FRONTIER_H
#define NA_FRONTIER_H

#include <stddef.h>
#include "store/archive.h"

struct politeness;

/* Per host, robots.txt first, then navigation, articles, and an article's
 * images last. */
enum { FRONTIER_PRIO_ROBOTS = 0, FRONTIER_PRIO_NAV = 1, FRONTIER_PRIO_ARTICLE = 2, FRONTIER_PRIO_IMAGE = 3,
       FRONTIER_NPRIO = 4 };

/* One URL to fetch. Strings are owned by the job. */
struct fjob {
    char *url;             /* canonical URL */
    char *host;            /* lower-case host: the politeness key */
    char *first_url;       /* start of a redirect chain, or NULL (= url) */
    char *chain;           /* "\n"-joined URLs of the chain so far, or NULL */
    char *robots_origin;   /* for a robots.txt job: the origin it decides */
    int site;              /* index into the config's sites, -1 none */
    enum capture_kind kind;
    int prio;              /* FRONTIER_PRIO_* */
    int walker;            /* listing walk index, -1 none */
    int page;              /* listing page number, 0 none */
    int attempt;           /* fetches done so far */
    int redirects;         /* hops followed to reach url */
    int unconditional;     /* no If-None-Match / If-Modified-Since (a 304 whose copy was unreadable) */
    char *cookie;          /* "name=value; …" sent with this request only (a Set-Cookie that
                              redirected to the same URL), or NULL */
    int cookie_retried;    /* the same-URL Set-Cookie redirect was retried once already */
    double not_before;     /* monotonic seconds; 0 = now */
    char *post;            /* listing: POST form body (Hanweb jpage), or NULL for a GET */
    char *hint_date;       /* article: the date its listing printed beside the link, or NULL
                              (in memory only: not kept in the archive's frontier) */
    struct fjob *next;
};

/* A job for url (copied); host derived from it. NULL when out of memory or
 * url has no host. prio follows from kind. */
struct fjob *fjob_new(const char *url, int site, enum capture_kind kind);
void fjob_free(struct fjob *j);
/* The URL that names the job in the persistent frontier. */
const char *fjob_key(const struct fjob *j);

struct frontier;

/* pol is borrowed; it decides when a host is ready. */
struct frontier *frontier_new(struct politeness *pol);
/* Frees the queued jobs too. NULL is fine. */
void frontier_free(struct frontier *f);

/* Hosts one run queues at most: a wildcard scope ("*.example.com") that
 * keeps yielding new host names is a trap, and each host costs a robots.txt
 * fetch and its queues. */
#define FRONTIER_MAX_HOSTS 100000

/* Queues j at the tail (or the head with front=1) of its host's class.
 * Takes ownership; on an error the job is freed: NA_ENOMEM, or NA_ETOOBIG
 * when j's host would be host FRONTIER_MAX_HOSTS + 1 of the run. */
int frontier_push(struct frontier *f, struct fjob *j, int front);
/* Takes the next job that may start at now: hosts in turn, lower classes
 * first, jobs whose not_before has passed. NULL when none may; then *wait
 * is the seconds until one may (by time), or -1 when only a completion
 * (a busy connection, a pending robots.txt) can free one, or when empty. */
struct fjob *frontier_next(struct frontier *f, double now, double *wait);
/* Jobs queued. */
size_t frontier_size(const struct frontier *f);
/* While blocked, only robots-class jobs of host leave the queue. */
void frontier_block_host(struct frontier *f, const char *host, int blocked);
/* Removes every queued job of host, calling fn on each before freeing it. */
size_t frontier_drop_host(struct frontier *f, const char *host, void (*fn)(struct fjob *, void *), void *ud);

/* The run's set of queued URLs: 1 when url was added now, 0 when it was
 * already there, NA_ENOMEM. */
int frontier_seen_add(struct frontier *f, const char *url);
int frontier_seen(const struct frontier *f, const char *url);
/* The run's set of article URLs queued for fetching (a subset of the seen
 * set): same returns as frontier_seen_add. */
int frontier_queued_add(struct frontier *f, const char *url);
int frontier_queued(const struct frontier *f, const char *url);

/* ---- persistent (archive lock held) ---- */

/* For a discovered article URL: *has_article is set from the archive, and
 * when the archive lacks it, it is added to the persistent frontier. Returns
 * 1 when newly added, 0 when archived or already known (queued, done or
 * failed), or a negative code. a NULL (dry run): 1. */
int frontier_persist_new(struct archive *a, const char *site, const char *url, const char *referrer,
                         int depth, int *has_article);
/* Marks url done: archived with its text. */
int frontier_persist_ok(struct archive *a, const char *url);
/* One more failed attempt at url, with a short reason ("HTTP 503",
 * "timeout", "no article text"…) and the HTTP status (0 none): due again
 * after delays[attempts - 1] seconds, given up after the last one (n 0:
 * given up at once). Returns 0, 1 when given up, or a negative code
 * (NA_ENOTFOUND is not an error for a URL the frontier never held: 0). */
int frontier_persist_fail(struct archive *a, const char *url, const char *reason, int status, const long *delays,
                          size_t n);
/* Queues (and marks seen and queued) up to max article URLs of site from
 * the archive's frontier: with retry_all every URL not done (also those
 * given up or not yet due: backfill --retry-failed), else the pending ones
 * whose next attempt has come. Those the archive already holds (archived
 * by a run killed before it could say so, or indexed by recovery) are
 * marked done instead, never fetched again. Returns the number queued or a
 * negative code. */
int frontier_load(struct frontier *f, struct archive *a, const char *site_name, int site, size_t max, int retry_all);

#endif
