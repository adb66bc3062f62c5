/* crawl.c — one crawl run (crawl.h). The loop thread owns the fetch loop,
 * the frontier, politeness, robots.txt state and the listing walks; each
 * finished HTTP response goes to the worker pool, which decodes, discovers
 * or extracts, and archives under one archive lock, then hands a result back
 * for the loop to act on (new URLs, next listing page, robots policy).
 * Robots.txt per RFC 9309 §2.3.1: fetched once per origin per run before any
 * other URL of it; 4xx allows all, 5xx or unreachable disallows all. */
#include "crawler/crawl.h"
#include "crawler/article_archive.h"
#include "crawler/challenge.h"
#include "crawler/discover.h"
#include "crawler/fetch.h"
#include "crawler/frontier.h"
#include "crawler/health.h"
#include "crawler/page.h"
#include "crawler/policy.h"
#include "crawler/politeness.h"
#include "crawler/pool.h"
#include "crawler/requisites.h"
#include "crawler/robots.h"
#include "crawler/site_net.h"
#include "crawler/sites.h"
#include "crawler/template_store.h"
#include "crawler/url.h"
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/images.h"
#include "store/archive.h"
#include "util/err.h"
#include "util/http.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BACKOFF_CAP 60.0        /* the longest retry wait, in units of retry_backoff (1st: 0.5–1) */
#define MAX_RETRY_AFTER 300.0   /* a host asking for a longer pause is left for the next run */
#define LISTING_WINDOW 2        /* backfill: template listing pages in flight per listing */
/* archive state key prefix of the date a listing printed beside an article
 * link (+ the article's URL): kept for attempts in later runs */
#define LISTING_DATE_KEY "listing_date "
/* Caps that drop work; each one, when hit, is said once per run and site
 * (cap_once), naming what raises it; docs/sites.conf.5 LIMITS lists them.
 * Article links per listing page or feed: the site's max_listing_links. */
#define MAX_SITEMAPS 1000       /* sitemap files per site per run */
#define MAX_PENDING_LOAD 1000000 /* pending articles taken from the archive's frontier per site per run */
#define MAX_SITEMAP_URLS 50000  /* URLs per sitemap file (the sitemap protocol's limit) */
#define MAX_ORIGINS FRONTIER_MAX_HOSTS /* origins whose robots.txt one run keeps (more: the run stops) */
#define SITEMAP_MAX_BYTES ((size_t)50 << 20) /* the sitemap protocol's limit (uncompressed) */
#define PROGRESS_EVERY 0.25
#define BATCH_MAX 1024          /* archive writes per index transaction */
#define BATCH_SECONDS 1.0       /* ... or at most this old */

enum { W_ARCHIVE = 1, W_PROCESS };

/* caps_said bits */
enum { CAP_LISTING_LINKS = 1, CAP_FEED_ITEMS = 2, CAP_SITEMAP_URLS = 4, CAP_SITEMAPS = 8, CAP_READ_CUT = 16,
       CAP_PENDING = 32, CAP_ROBOTS_SITEMAPS = 64 };

/* found[] flags */
#define F_HAS 1
#define F_ADDED 2

struct walker {
    int site;
    const char *listing;   /* the listing line (borrowed from the config) */
    int tmpl;              /* has {n} */
    int first, last;       /* pages whose articles count (backfill range; cron 1..max_pages) */
    int next_page;         /* next page to request */
    char *next_url;        /* next-link walk: URL of next_page (owned), NULL until known */
    char *next_post;       /* ... and its POST body (Hanweb jpage), or NULL for a GET */
    int api;               /* a listing_api walk: pages are JSON (discover_json) */
    /* backfill of a TRS column (trs_switch): createPageHTML's count and
     * naming rule give every page, queued like a {n} template's */
    int trs;
    char *trs_url;         /* the page the rule resolves against (owned) */
    struct listing_shape trs_sh; /* its name, ext and page count */
    int trs_delta;         /* TRS page index (0-based) of walk page p: p + trs_delta */
    int trs_end;           /* the TRS count, not the backfill range, gives last */
    int inflight;
    int ended;             /* nothing more will be requested */
    int reached_end;       /* the listing itself ended (404, empty, no next link) */
    /* backfill progress */
    char *state_key;
    int done_upto;         /* pages <= done_upto are completely handled */
    char *resume_url;      /* URL of page done_upto + 1 (next-link walks) */
    char *resume_post;     /* ... and its POST body, or NULL */
    unsigned char *done;   /* done[p - base]: page p handled */
    int base;
    size_t ndone;
    long planned;          /* pages of the range left at the start (progress) */
    long fetched;          /* listing pages it finished this run */
    /* cron: the walk's marker in the archive's state (walk_mark) */
    char *walk_key;
    int stop_ok;           /* the last walk finished: stop at a page showing nothing new */
    char newest[11];       /* ... or only links dated before this day: the newest listing date of
                              an archived article on its pages so far ("YYYY-MM-DD", "" none) */
    int failed;            /* ended by an error: the marker stays "open" */
    int marked;
};

struct robots_entry {
    char *origin;
    int ready;
    struct robots *r;
    int unreachable;           /* 5xx or no answer: disallowed, counted apart from Disallow rules */
};

/* A host with n answers being screened for a challenge (work_screen). */
struct host_hold {
    char *host;
    int n;
};

struct work {
    struct crawl *c;
    int action;
    struct fjob *job;          /* W_PROCESS: owned until handed back */
    struct fetch_result *res;  /* owned */
    int site;
    enum capture_kind kind;
    int page;
    int persist;               /* discovered articles go to the archive frontier */
    const char *truncated;     /* WARC-Truncated reason of a cut-off body (static), or NULL */
    int persist_later;         /* found URLs and the page are archived by the loop */
    /* results */
    int error, permanent, fatal;
    char msg[400];
    int not_modified, end_of_listing, archived_article, empty_text;
    int still_empty;           /* an article the archive had without text, again without (known_empty) */
    int refetch;               /* a 304 whose archived copy could not be read: fetch again, unconditionally */
    /* an article attempt that failed: recorded in the frontier with the capture */
    const char *fail_reason;   /* short reason, or NULL when the article was archived with text */
    char fail_buf[64];
    int fail_status, fail_class;
    int short_text, undated;   /* article: text under CRAWL_SHORT_TEXT characters, no date */
    char **images;             /* article: its images to fetch (requisites.h), owned */
    size_t nimages;
    int image_kept;            /* image: archived */
    long links_all;            /* page 1 of a listing without article links: its links */
    char samples[CRAWL_LISTING_SAMPLES]; /* ... and some that look like articles */
    struct url_list found;
    unsigned char *flags;
    struct url_list sitemaps;
    char *next;
    char *next_post;           /* the next page is a POST with this body (discover.h listing_shape) */
    int trs_pages, trs_current; /* a TRS page's createPageHTML count and index, 0 none */
    char trs_name[64], trs_ext[16];
    struct robots *robots;
    int robots_over;           /* robots.txt over ROBOTS_MAX_BYTES: its start was read */
    double cpu_decode, cpu_parse, cpu_archive; /* thread CPU seconds per stage */
    struct challenge challenge; /* an anti-bot answer (work_screen); kind CHALLENGE_NONE when not */
    int then_retry;            /* a 429/5xx to ask again (retry_later) unless it is a challenge */
    double retry_after;        /* ... and its Retry-After, -1 none */
    int held;                  /* its host waits for the screen (hold_host) */
    struct work *next_ready;
};

struct crawl {
    const struct crawl_opts *o;
    struct sites_config *cfg;
    struct archive *a;
    pthread_mutex_t alock;
    char agent[64];
    struct fetch *fetch;
    struct politeness *pol;
    struct frontier *fr;
    struct pool *pool;
    struct crawl_stats *st;
    int *site_on;              /* per config site: crawled this run */
    int *site_stat;            /* config index → st->site index */
    int *fresh_listing;        /* per config site: listing pages without validators (pattern alert open) */
    struct walker *walkers;
    size_t nwalkers;
    struct robots_entry *robots;
    size_t nrobots, robots_cap;
    long *sitemaps_seen;       /* per config site */
    unsigned *caps_said;       /* per config site: CAP_* bits already said this run */
    struct work *ready, *ready_tail; /* finished transfers waiting for room in the pool */
    size_t nready;
    long retries_used;
    long loops, blocked_pool, idle_polls; /* for the -vv profile line */
    int pool_bound;            /* this turn, only the pool's room kept transfers from starting */
    double cpu_decode, cpu_parse, cpu_archive;
    int batch_open, batch_n;   /* archive transaction (under alock) */
    int batch_err;             /* first commit error (under alock) */
    double batch_t0;
    int fatal;
    struct buf fatal_msg;
    uint64_t rng;
    double t0;
    char **challenged;         /* hosts that answered with an anti-bot page: not asked again this run */
    size_t nchallenged, challenged_cap;
    struct host_hold *holds;   /* hosts whose answer the worker screens (hold_host) */
    size_t nholds, holds_cap;
    struct site_net *net;      /* per config site: TLS, proxy and cookie settings (site_net.h) */
    struct tstore_crawl *tmpl; /* the sites' templates of recurring blocks (under alock) */
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of the calling thread (for the -vv profile; a syscall each,
 * so 0 unless the profile is printed). */
static double thread_cpu(void)
{
    if (log_level_current < LOG_DEBUG)
        return 0;
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double rand01(struct crawl *c)
{
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    return (double)(c->rng >> 11) / 9007199254740992.0;
}

static void alock(struct crawl *c) { pthread_mutex_lock(&c->alock); }
static void aunlock(struct crawl *c) { pthread_mutex_unlock(&c->alock); }

/* Archive writes are grouped in transactions of up to BATCH_MAX writes or
 * BATCH_SECONDS (one WARC sync and one index commit each): the store flushes
 * every record before the index rows that point at it commit, and a write's
 * frontier rows commit with it, so a kill loses at most an uncommitted
 * group, which the next run fetches again (or finds indexed by recovery).
 * All three are called with alock held. */
static int batch_commit(struct crawl *c)
{
    if (!c->batch_open)
        return 0;
    c->batch_open = 0;
    int rc = tstore_crawl_save(c->tmpl); /* what the templates learned, with the articles */
    if (rc < 0 && !c->batch_err)
        c->batch_err = rc;
    rc = archive_commit(c->a);
    if (rc < 0 && !c->batch_err)
        c->batch_err = rc; /* the loop makes it fatal (batch_flush) */
    return rc;
}

static void batch_begin(struct crawl *c)
{
    if (!c->a || c->batch_open)
        return;
    if (archive_begin(c->a) == 0) {
        c->batch_open = 1;
        c->batch_n = 0;
        c->batch_t0 = mono();
    }
}

static void batch_end(struct crawl *c)
{
    if (c->batch_open && (++c->batch_n >= BATCH_MAX || mono() - c->batch_t0 >= BATCH_SECONDS ||
                          archive_contended(c->a))) /* another writer waits for the index */
        batch_commit(c);
}

/* The loop's timer: commits a group that waited long enough. Without force
 * it does not wait for the lock: a worker holding it is writing, and commits
 * an old group itself (batch_end); the loop must not stall behind a commit. */
static void batch_flush(struct crawl *c, int force)
{
    if (!c->a)
        return;
    if (force)
        alock(c);
    else if (pthread_mutex_trylock(&c->alock) != 0)
        return;
    if (c->batch_open && (force || mono() - c->batch_t0 >= BATCH_SECONDS || archive_contended(c->a)))
        batch_commit(c);
    int err = c->batch_err;
    aunlock(c);
    if (err && !c->fatal) {
        c->fatal = err;
        buf_seterr(&c->fatal_msg, "archive commit: %s", na_strerror(err));
    }
}

void crawl_agent_token(const char *ua, char *out, size_t cap)
{
    size_t k = 0;
    if (!cap)
        return;
    if (ua)
        for (; *ua && *ua != '/' && *ua != ' ' && *ua != '(' && k + 1 < cap; ua++)
            out[k++] = *ua;
    out[k] = 0;
    if (!k)
        snprintf(out, cap, "newsarc");
}

static struct site *site_of(struct crawl *c, int i) { return i >= 0 ? &c->cfg->sites[i] : NULL; }

static struct crawl_site_stats *sstat(struct crawl *c, int site)
{
    static __thread struct crawl_site_stats dummy;
    if (site < 0 || c->site_stat[site] < 0)
        return &dummy;
    return &c->st->site[c->site_stat[site]];
}

static const char *site_name(struct crawl *c, int site) { return site >= 0 ? c->cfg->sites[site].name : "-"; }

/* A URL failed for good: counted, logged, and kept for --quiet's report. */
static void report(struct crawl *c, int site, const char *url, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(struct crawl *c, int site, const char *url, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sstat(c, site)->errors++;
    c->st->errors++;
    log_at(LOG_WARN, "%s: %s: %s", site_name(c, site), url, msg);
    if (c->st->errors <= CRAWL_MAX_ERROR_LINES)
        buf_printf(&c->st->errors_text, "%s: %s: %s\n", site_name(c, site), url, msg);
}

/* Says (a warning) that a cap dropped work, once per run, site and cap. */
static void cap_once(struct crawl *c, int site, unsigned bit, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void cap_once(struct crawl *c, int site, unsigned bit, const char *fmt, ...)
{
    if (site < 0 || (c->caps_said[site] & bit))
        return;
    c->caps_said[site] |= bit;
    char msg[URL_MAX_LEN + 400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* work was lost: said even under --quiet, like a failure */
    log_write(LOG_WARN, NULL, "%s: %s (said once per run)", site_name(c, site), msg);
}

/* ---- the retry policy ---- */

/* How a failed attempt at an article is retried by later runs: transient
 * failures on the site's `retry` schedule, missing pages (404/410, no
 * article text: often published late) on `retry_missing`, the rest never. */
enum { FAIL_TRANSIENT = 0, FAIL_MISSING, FAIL_FINAL };

static int status_class(int st)
{
    if (st == 404 || st == 410)
        return FAIL_MISSING;
    if (st == 429 || st == 408 || (st >= 500 && st <= 599))
        return FAIL_TRANSIENT;
    return FAIL_FINAL;
}

/* A short reason for a transfer that got no (complete) response. */
static const char *net_reason(const struct fetch_result *r)
{
    if (r->rc == NA_ETOOBIG)
        return "too big";
    switch (r->curl_code) {
    case 6: return "DNS";                   /* CURLE_COULDNT_RESOLVE_HOST */
    case 7: return "connection refused";    /* CURLE_COULDNT_CONNECT */
    case 18: return "truncated body";       /* CURLE_PARTIAL_FILE */
    case 28: return "timeout";              /* CURLE_OPERATION_TIMEDOUT */
    case 52: return "empty reply";          /* CURLE_GOT_NOTHING */
    case 55: case 56: return "connection reset"; /* CURLE_SEND_ERROR, CURLE_RECV_ERROR */
    case 35: return "TLS handshake";        /* CURLE_SSL_CONNECT_ERROR */
    default: return "network error";
    }
}

/* One failed attempt at the article url, recorded in the persistent
 * frontier per the site's schedule for cls. alock held. */
static void article_failed(struct crawl *c, int site, const char *url, const char *reason, int status, int cls)
{
    if (!c->a)
        return;
    const long *d = NULL;
    size_t n = 0;
    if (cls != FAIL_FINAL) {
        const struct sites_retry *r = sites_retry_for(c->cfg, site_of(c, site), cls == FAIL_MISSING);
        d = r->delay;
        n = r->n;
    }
    int rc = frontier_persist_fail(c->a, url, reason, status, d, n);
    if (rc < 0)
        log_at(LOG_WARN, "%s: %s: cannot record the failure in the frontier: %s", site_name(c, site), url,
               na_strerror(rc));
    else if (rc == 1)
        log_at(LOG_INFO, "%s: %s: given up (%s)", site_name(c, site), url, reason);
}

static void work_fail(struct work *w, int cls, int status, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void work_fail(struct work *w, int cls, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->fail_buf, sizeof w->fail_buf, fmt, ap);
    va_end(ap);
    w->fail_reason = w->fail_buf;
    w->fail_class = cls;
    w->fail_status = status;
}

/* ---- robots.txt ---- */

/* "scheme://host[:port]" of a URL, into out. */
static int url_origin(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    if (!p)
        return -1;
    const char *e = strchr(p + 3, '/');
    size_t n = e ? (size_t)(e - url) : strlen(url);
    if (n + 1 > cap)
        return -1;
    memcpy(out, url, n);
    out[n] = 0;
    return 0;
}

/* Path and query of a URL (what robots rules match). */
static const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return "/";
    p = strchr(p + 3, '/');
    return p ? p : "/";
}

static struct robots_entry *robots_find(struct crawl *c, const char *origin)
{
    for (size_t i = 0; i < c->nrobots; i++)
        if (strcmp(c->robots[i].origin, origin) == 0)
            return &c->robots[i];
    return NULL;
}

/* NULL when out of memory, or (with c->fatal_msg) past MAX_ORIGINS. */
static struct robots_entry *robots_add(struct crawl *c, const char *origin)
{
    int grow = NA_GROW(c->robots, c->robots_cap, c->nrobots + 1, MAX_ORIGINS);
    if (grow == NA_ETOOBIG && !c->fatal) {
        c->fatal = grow;
        buf_seterr(&c->fatal_msg, "more than %d origins in one run (MAX_ORIGINS in crawler/crawl.c): "
                   "narrow the sites' hosts = (a host trap?)", MAX_ORIGINS);
    }
    if (grow)
        return NULL;
    struct robots_entry *e = &c->robots[c->nrobots];
    e->origin = na_strdup(origin);
    if (!e->origin)
        return NULL;
    e->ready = 0;
    e->r = NULL;
    e->unreachable = 0;
    c->nrobots++;
    return e;
}

/* While the worker screens an answer for a challenge (work_screen), its host
 * is not asked anything more: an anti-bot host gets one request, as when the
 * loop looked itself. Held: robots.txt, listing, feed and sitemap answers
 * and every answer but a 200 (their works go first: urgent); not a 200
 * article's, whose screen comes after extraction: a host that starts
 * answering a 200 challenge page to article requests is asked the few
 * times its transfers start while the first one is screened. 1 when held
 * (0: out of memory or past FRONTIER_MAX_HOSTS, not held). */
static int hold_host(struct crawl *c, const char *host)
{
    size_t i = 0;
    while (i < c->nholds && strcmp(c->holds[i].host, host) != 0)
        i++;
    if (i == c->nholds) {
        char *h = NA_GROW(c->holds, c->holds_cap, c->nholds + 1, FRONTIER_MAX_HOSTS) == 0 ? na_strdup(host) : NULL;
        if (!h)
            return 0;
        c->holds[c->nholds].host = h;
        c->holds[c->nholds++].n = 0;
    }
    if (c->holds[i].n++ == 0)
        frontier_block_host(c->fr, host, 1);
    return 1;
}

static int host_held(struct crawl *c, const char *host)
{
    for (size_t i = 0; i < c->nholds; i++)
        if (strcmp(c->holds[i].host, host) == 0)
            return 1;
    return 0;
}

/* The screen of an answer from url's host is done: the host moves again
 * when nothing else of it is screened and its robots.txt is not awaited. */
static void release_host(struct crawl *c, const char *host, const char *url)
{
    size_t i = 0;
    while (i < c->nholds && strcmp(c->holds[i].host, host) != 0)
        i++;
    if (i == c->nholds || --c->holds[i].n > 0)
        return;
    free(c->holds[i].host);
    c->holds[i] = c->holds[--c->nholds];
    char origin[URL_MAX_LEN + 16];
    struct robots_entry *e = c->cfg->robots && url_origin(url, origin, sizeof origin) == 0 ? robots_find(c, origin)
                                                                                            : NULL;
    if (!e || e->ready)
        frontier_block_host(c->fr, host, 0);
}

/* Sets the policy of origin and lets its host's queue move again. */
static void robots_set(struct crawl *c, const char *origin, struct robots *r)
{
    struct robots_entry *e = robots_find(c, origin);
    if (!e) {
        robots_free(r);
        return;
    }
    robots_free(e->r);
    e->r = r;
    e->ready = 1;
    char *host = url_host(origin);
    if (host) {
        if (r) {
            double cd = robots_crawl_delay(r);
            if (cd >= 0) {
                struct polite_host *ph = politeness_host(c->pol, host);
                if (ph) {
                    politeness_set_crawl_delay(ph, cd);
                    log_host(LOG_INFO, host, "robots.txt Crawl-delay %g s (used: %g s)", cd, politeness_delay(ph));
                }
            }
        }
        if (!host_held(c, host))
            frontier_block_host(c->fr, host, 0);
        free(host);
    }
}

/* robots.txt of origin could not be had (5xx, no answer): the origin is
 * disallowed for the run (RFC 9309 2.3.1.4), and what that skips is counted
 * as "robots.txt unreachable", not as disallowed by its rules. */
static void robots_unreachable(struct crawl *c, const char *origin, int site, const char *why)
{
    struct robots_entry *e = origin ? robots_find(c, origin) : NULL;
    if (!e || e->unreachable)
        return;
    e->unreachable = 1;
    struct crawl_site_stats *ss = sstat(c, site);
    ss->robots_failed++;
    if (!ss->robots_why[0])
        snprintf(ss->robots_why, sizeof ss->robots_why, "%s", why);
}

/* A listing page given up for a network error or a 5xx (health: unreachable). */
static void listing_failed(struct crawl *c, int site, const char *url, const char *why)
{
    struct crawl_site_stats *ss = sstat(c, site);
    if (!ss->listing_failed++)
        snprintf(ss->listing_why, sizeof ss->listing_why, "%.200s: %.90s", url, why);
}

/* ---- queueing ---- */

static int push(struct crawl *c, struct fjob *j, int front)
{
    struct site *s = site_of(c, j->site);
    if (s && s->delay >= 0) {
        struct polite_host *ph = politeness_host(c->pol, j->host);
        if (ph)
            politeness_set_delay(ph, s->delay);
    }
    int rc = frontier_push(c->fr, j, front);
    if (rc == NA_ETOOBIG && !c->fatal) { /* the run stops; said so instead of "out of memory" */
        c->fatal = rc;
        buf_seterr(&c->fatal_msg, "more than %d hosts in one run (FRONTIER_MAX_HOSTS in crawler/frontier.h): "
                   "narrow the sites' hosts = (a host trap?)", FRONTIER_MAX_HOSTS);
    }
    return rc;
}

static int queue_post(struct crawl *c, const char *url, int site, enum capture_kind kind, int walker, int page,
                      const char *post)
{
    int s = frontier_seen_add(c->fr, url);
    if (s <= 0)
        return s;
    struct fjob *j = fjob_new(url, site, kind);
    if (!j || (post && !(j->post = na_strdup(post)))) {
        fjob_free(j);
        return NA_ENOMEM;
    }
    j->walker = walker;
    j->page = page;
    int rc = push(c, j, 0);
    if (rc)
        return rc;
    if (kind == CAPTURE_ARTICLE)
        c->st->articles_queued++;
    return 1;
}

static int queue_url(struct crawl *c, const char *url, int site, enum capture_kind kind, int walker, int page)
{
    return queue_post(c, url, site, kind, walker, page, NULL);
}

/* The site a sitemap named by robots.txt is crawled for: the robots job's
 * own site, else another site of this run, whose scope holds it. Like the
 * configured sitemaps, none in a backfill of a site with listings (seed). */
static int robots_sitemap_site(struct crawl *c, int first, const char *url)
{
    for (long k = -1; k < (long)c->cfg->nsites; k++) {
        int i = k < 0 ? first : (int)k;
        if (i < 0 || (k >= 0 && i == first) || !c->site_on[i])
            continue;
        struct site *s = &c->cfg->sites[i];
        if (s->robots_sitemaps && !(c->o->backfill && s->nlisting) && url_in_scope(s, url))
            return i;
    }
    return -1;
}

/* Queues the Sitemap: lines of a robots.txt (RFC 9309 2.2.4) that belong to
 * a site of this run, within MAX_SITEMAPS per site. */
static void queue_robots_sitemaps(struct crawl *c, const struct fjob *j, const struct robots *r)
{
    const char *const *sm;
    size_t n = robots_sitemaps(r, &sm);
    for (size_t i = 0; i < n; i++) {
        char *u = url_resolve(j->url, sm[i]);
        int site = u ? robots_sitemap_site(c, j->site, u) : -1;
        if (site >= 0 && c->sitemaps_seen[site] < MAX_SITEMAPS) {
            int rc = queue_url(c, u, site, CAPTURE_SITEMAP, -1, 0);
            if (rc > 0) {
                c->sitemaps_seen[site]++;
                log_host(LOG_INFO, j->host, "%s: sitemap '%s' from robots.txt queued", site_name(c, site), u);
            } else if (rc < 0) {
                c->fatal = rc;
            }
        }
        free(u);
    }
    if (robots_sitemaps_dropped(r))
        cap_once(c, j->site, CAP_ROBOTS_SITEMAPS, "robots.txt '%s' lists more than %d sitemaps: %zu more were "
                 "dropped (ROBOTS_MAX_SITEMAPS in crawler/robots.h)", j->url, ROBOTS_MAX_SITEMAPS,
                 robots_sitemaps_dropped(r));
}

/* ---- listing walks ---- */

static void walker_save(struct crawl *c, struct walker *w)
{
    if (!c->a || !w->state_key)
        return;
    char val[URL_MAX_LEN + 4096];
    snprintf(val, sizeof val, "%d %s%s%s%.3000s", w->done_upto, w->resume_url ? w->resume_url : "-",
             w->reached_end ? " end" : "", w->resume_post ? " post=" : "", w->resume_post ? w->resume_post : "");
    alock(c);
    int rc = archive_state_set(c->a, site_name(c, w->site), w->state_key, val);
    aunlock(c);
    if (rc < 0)
        log_at(LOG_WARN, "%s: cannot save backfill progress: %s", site_name(c, w->site), na_strerror(rc));
}

static void walker_page_done(struct walker *w, int page)
{
    if (page <= w->done_upto || page < w->base || (size_t)(page - w->base) >= w->ndone)
        return;
    w->done[page - w->base] = 1;
    while ((size_t)(w->done_upto + 1 - w->base) < w->ndone && w->done[w->done_upto + 1 - w->base])
        w->done_upto++;
}

/* Queues the walk's next listing page(s). */
static void walker_fill(struct crawl *c, int wi)
{
    struct walker *w = &c->walkers[wi];
    int window = c->o->backfill && (w->tmpl || w->trs) ? LISTING_WINDOW : 1;
    while (!w->ended && w->inflight < window && w->next_page <= w->last) {
        char *url = NULL, *post = NULL;
        if (w->tmpl) {
            char *raw = discover_page_url(w->listing, w->next_page);
            url = raw ? url_canonical(raw) : NULL;
            free(raw);
        } else if (w->trs) {
            url = discover_trs_page(w->trs_url, &w->trs_sh, w->next_page + w->trs_delta);
        } else if (w->next_url) {
            url = w->next_url;
            post = w->next_post;
            w->next_url = w->next_post = NULL;
        } else {
            break; /* waits for the page that names the next one */
        }
        if (!url) {
            report(c, w->site, w->listing, "cannot build the URL of listing page %d", w->next_page);
            w->ended = 1;
            break;
        }
        int rc = queue_post(c, url, w->site, CAPTURE_LISTING, wi, w->next_page, post);
        free(post);
        if (rc == 0) {
            log_at(LOG_INFO, "%s: listing page %d '%s' was seen before in this run: pagination ends",
                   site_name(c, w->site), w->next_page, url);
            w->ended = 1;
            w->reached_end = 1;
        } else if (rc < 0) {
            c->fatal = rc;
            w->ended = 1;
        } else {
            w->inflight++;
            w->next_page++;
        }
        free(url);
    }
    if (!w->ended && !w->inflight && (w->next_page > w->last || (!w->tmpl && !w->trs && !w->next_url)))
        w->ended = 1;
}

/* Cron walks stop at the first listing page that shows nothing the
 * archive lacks. That is only sound when every older page's links reached
 * the frontier at some time: a killed run may have archived page 1's
 * articles and page 2's capture (indexed by recovery) but lost page 2's
 * frontier rows, and stopping at page 1 would never read page 2 again. So
 * each walk keeps a marker in the archive's state: "open" (committed and
 * synced before the walk fetches anything) and "done" (written after the
 * rows of its last page, in the same or a later transaction, so it is
 * durable only if they are). A walk whose marker is not "done" goes on to
 * max_pages or the end of the listing (304 pages are cheap: their links
 * are read from the archived copy). */
static void walk_mark_done(struct crawl *c, struct walker *w)
{
    if (!c->a || !w->walk_key || w->marked || w->failed)
        return;
    w->marked = 1;
    alock(c);
    batch_begin(c);
    int rc = archive_state_set(c->a, site_name(c, w->site), w->walk_key, "done");
    batch_end(c);
    aunlock(c);
    if (rc < 0)
        log_at(LOG_WARN, "%s: cannot save the listing walk's state: %s", site_name(c, w->site), na_strerror(rc));
}

static int walker_init(struct crawl *c, int site, const char *listing)
{
    struct site *s = site_of(c, site);
    struct walker *w = &c->walkers[c->nwalkers];
    memset(w, 0, sizeof *w);
    w->site = site;
    w->listing = listing;
    w->tmpl = strstr(listing, "{n}") != NULL;
    if (!c->o->backfill) {
        w->first = 1;
        w->last = s->max_pages;
        w->next_page = 1;
        if (!w->tmpl && !(w->next_url = url_canonical(listing)))
            return NA_ENOMEM;
        c->nwalkers++;
        if (c->a && !c->o->retry_failed) {
            char key[URL_MAX_LEN + 64];
            snprintf(key, sizeof key, "walk:%s", listing);
            if (!(w->walk_key = na_strdup(key)))
                return NA_ENOMEM;
            alock(c);
            char *v = archive_state_get(c->a, s->name, key);
            aunlock(c);
            w->stop_ok = v && strcmp(v, "done") == 0;
            if (v && !w->stop_ok)
                log_at(LOG_INFO, "%s: the last walk of '%s' did not finish: its pages are read up to max_pages",
                       s->name, listing);
            free(v);
        }
        return 0;
    }
    w->first = c->o->page_from > 0 ? c->o->page_from : 1;
    w->last = c->o->page_to > 0 ? c->o->page_to : s->backfill_max_pages;
    if (w->last < w->first) {
        w->ended = 1;
        c->nwalkers++;
        return 0;
    }
    char key[URL_MAX_LEN + 64];
    snprintf(key, sizeof key, "backfill:%d:%s", w->first, listing);
    if (!(w->state_key = na_strdup(key)))
        return NA_ENOMEM;
    /* Pages before `first` are walked for their next link only (next-link
     * walks); template walks jump straight to `first`. */
    w->done_upto = w->tmpl ? w->first - 1 : 0;
    char *saved = NULL;
    if (c->a && !c->o->restart) {
        alock(c);
        saved = archive_state_get(c->a, s->name, key);
        aunlock(c);
    }
    if (saved) {
        int p = 0, n = 0;
        char url[URL_MAX_LEN + 8] = "";
        if (sscanf(saved, "%d %2055s%n", &p, url, &n) >= 2 && p >= 0) {
            const char *post = strstr(saved + n, " post=");
            if (p > w->done_upto && (w->tmpl || strcmp(url, "-") != 0)) {
                w->done_upto = p;
                if ((!w->tmpl && !(w->resume_url = na_strdup(url))) ||
                    (!w->tmpl && post && !(w->resume_post = na_strdup(post + 6)))) {
                    free(saved);
                    return NA_ENOMEM;
                }
            }
            if (strncmp(saved + n, " end", 4) == 0)
                w->reached_end = 1;
            log_at(LOG_INFO, "%s: backfill of '%s' resumes after page %d", s->name, listing, p);
        }
        free(saved);
    }
    w->next_page = w->done_upto + 1;
    if (!w->tmpl) {
        const char *u = w->resume_url ? w->resume_url : listing;
        if (!(w->next_url = url_canonical(u)) || (w->resume_post && !(w->next_post = na_strdup(w->resume_post))))
            return NA_ENOMEM;
    }
    if (w->reached_end || w->done_upto >= w->last)
        w->ended = 1;
    w->base = w->done_upto + 1;
    w->ndone = (size_t)(w->last - w->done_upto + 1);
    if (w->ndone > (1u << 22))
        w->ndone = 1u << 22;
    if (!(w->done = na_calloc(w->ndone, 1)))
        return NA_ENOMEM;
    w->planned = w->ended ? 0 : w->last - (w->done_upto > w->first - 1 ? w->done_upto : w->first - 1);
    c->st->listing_planned += w->planned;
    c->nwalkers++;
    return 0;
}

/* ---- the worker side ---- */

static char *hdr(const struct fetch_result *r, const char *name) { return fetch_header(r, name); }

/* Archives the response of w (with art, or as a plain capture). The
 * records are digested and encoded first, outside alock; only appending
 * them and the index rows are serialized. begin=1: takes alock and batches
 * itself; begin=0: the caller holds alock (and batches). done_key: on
 * success, in the same transaction, that frontier URL is marked done, or
 * failed once more when w->fail_reason says why (then the retry policy
 * schedules it). */
static int archive_capture(struct crawl *c, struct work *w, enum capture_kind kind, const struct article *art,
                           int begin, const char *done_key)
{
    if (!c->a)
        return 0;
    struct fetch_result *r = w->res;
    char *etag = hdr(r, "ETag"), *lm = hdr(r, "Last-Modified");
    struct capture cap;
    memset(&cap, 0, sizeof cap);
    cap.url = r->url;
    cap.site = site_name(c, w->site);
    cap.kind = kind;
    cap.fetched = r->fetched;
    cap.ip = r->ip[0] ? r->ip : NULL;
    cap.request = buf_str(&r->request);
    cap.request_len = r->request.len;
    cap.response_head = buf_str(&r->head);
    cap.response_head_len = r->head.len;
    cap.body = r->body.data ? r->body.data : "";
    cap.body_len = r->body.len;
    cap.status = r->status;
    cap.etag = etag;
    cap.last_modified = lm;
    cap.truncated = w->truncated;
    cap.protocol = r->http_version == 20 ? "h2" : r->http_version == 30 ? "h3" : NULL;
    if (w->site >= 0 && c->net && c->net[w->site].net.tls_no_verify && strncasecmp(r->url, "https:", 6) == 0)
        cap.tls_verify = "no";
    struct buf err = BUF_INIT;
    struct archive_prep *prep = NULL;
    struct archive_text text; /* borrowed by prep until archive_prep_free */
    if (art)
        text = article_archive_text(art);
    int rc = archive_prepare(c->a, &cap, art ? &text : NULL, &prep, &err);
    if (!rc) {
        if (begin) {
            alock(c);
            batch_begin(c);
        }
        rc = archive_add_prepared(c->a, prep, &err);
        if (!rc && done_key && w->fail_reason) {
            article_failed(c, w->site, done_key, w->fail_reason, w->fail_status, w->fail_class);
        } else if (!rc && done_key) {
            int frc = frontier_persist_ok(c->a, done_key);
            if (frc < 0) {
                w->fatal = frc;
                snprintf(w->msg, sizeof w->msg, "archive frontier: %s", na_strerror(frc));
            }
        }
        if (begin) {
            batch_end(c);
            aunlock(c);
        }
    }
    archive_prep_free(prep);
    if (rc < 0) {
        w->fatal = rc;
        snprintf(w->msg, sizeof w->msg, "archive: %s", buf_str(&err));
    }
    buf_release(&err);
    free(etag);
    free(lm);
    return rc;
}

/* The body cap of a kind of page: max_page_size, and for a sitemap at least
 * the 50 MiB its protocol allows (robots.txt: robots.h's own caps). */
static size_t body_cap(struct crawl *c, enum capture_kind kind)
{
    size_t max = (size_t)c->cfg->max_page_size;
    return kind == CAPTURE_SITEMAP && max < SITEMAP_MAX_BYTES ? SITEMAP_MAX_BYTES : max;
}

/* Body without transfer and content coding, capped at body_cap. */
static int decode_body(struct crawl *c, struct work *w, struct buf *out)
{
    double t0 = thread_cpu();
    struct buf err = BUF_INIT;
    buf_init(out, 0);
    int rc = http_decode_response(w->res->head.data, w->res->head.len, w->res->body.data, w->res->body.len,
                                  body_cap(c, w->kind), out, &err);
    if (rc) {
        w->error = 1;
        w->permanent = 1;
        snprintf(w->msg, sizeof w->msg, "cannot decode the body: %s", buf_str(&err));
    }
    buf_release(&err);
    w->cpu_decode += thread_cpu() - t0;
    return rc;
}

/* The anti-bot check (challenge.h) of w's answer, on the worker's thread, in
 * its decode step: dec is the body the worker decoded (transfer and content
 * coding removed), or NULL when it has none, and then the first
 * CHALLENGE_SCAN bytes are decoded here (also when the whole body could not
 * be: what decodes is looked at, as before). 1 when it is a challenge:
 * archived as it came, never as an article, and w->challenge says which;
 * the loop does the rest (challenge_found). */
static int work_screen(struct crawl *c, struct work *w, const struct buf *dec)
{
    struct fetch_result *r = w->res;
    if (r->status >= 300 && r->status < 400)
        return 0;
    struct buf own = BUF_INIT;
    if (!dec) {
        double t0 = thread_cpu();
        char *ce = hdr(r, "Content-Encoding");
        struct buf e = BUF_INIT;
        int cut = 0;
        buf_init(&own, CHALLENGE_SCAN + 1);
        http_decode_prefix(r->body.data ? r->body.data : "", r->body.len, fetch_is_chunked(r), ce, CHALLENGE_SCAN,
                           &own, &cut, &e);
        free(ce);
        buf_release(&e);
        dec = &own;
        w->cpu_decode += thread_cpu() - t0;
    }
    double t1 = thread_cpu();
    enum challenge_kind k = challenge_detect(r->status, r->head.data, r->head.len, dec->data, dec->len, &w->challenge);
    buf_release(&own);
    w->cpu_parse += thread_cpu() - t1;
    if (k == CHALLENGE_NONE)
        return 0;
    archive_capture(c, w, w->kind == CAPTURE_ARTICLE ? CAPTURE_OTHER : w->kind, NULL, 1, NULL);
    return 1;
}

/* Puts the found article URLs into the archive's frontier and archives the
 * page, in one transaction. Runs on the loop's thread, in the order the
 * results are taken: which page adds a URL shared by two pages (a "hot
 * articles" box) must be the page the loop queues it for, and the page's
 * capture (its validators) must not commit before its URLs. */
static void persist_found_and_archive(struct crawl *c, struct work *w)
{
    if (w->found.n && !(w->flags = na_calloc(w->found.n, 1))) {
        w->fatal = NA_ENOMEM;
        snprintf(w->msg, sizeof w->msg, "out of memory");
        return;
    }
    alock(c);
    batch_begin(c);
    for (size_t i = 0; i < w->found.n && w->persist; i++) {
        int has = 0;
        int rc = frontier_persist_new(c->a, site_name(c, w->site), w->found.v[i], w->res->url, w->page, &has);
        if (rc < 0) {
            w->fatal = rc;
            snprintf(w->msg, sizeof w->msg, "archive frontier: %s", na_strerror(rc));
            break;
        }
        w->flags[i] = (unsigned char)((has ? F_HAS : 0) | (rc > 0 ? F_ADDED : 0));
        const struct url_hint *h = w->found.hint ? &w->found.hint[i] : NULL;
        if (rc > 0 && c->a && h && h->date) { /* for a later run's attempt (listing_date) */
            char key[URL_MAX_LEN + 32];
            snprintf(key, sizeof key, "%s%s", LISTING_DATE_KEY, w->found.v[i]);
            if ((rc = archive_state_set(c->a, site_name(c, w->site), key, h->date)) < 0) {
                w->fatal = rc;
                snprintf(w->msg, sizeof w->msg, "archive state: %s", na_strerror(rc));
                break;
            }
        }
    }
    if (!w->fatal)
        archive_capture(c, w, w->kind, NULL, 0, NULL);
    batch_end(c);
    aunlock(c);
}

/* The policy of a robots.txt answer (robots_from_answer, as `try` decides):
 * the first 500 KiB of its text are read, also of a longer one (RFC 9309
 * 2.5; the transfer stopped at ROBOTS_WIRE_MAX), and of one whose decoding
 * fails, what decoded before the fault. */
static void work_robots(struct crawl *c, struct work *w)
{
    struct fetch_result *r = w->res;
    struct buf body = BUF_INIT, err = BUF_INIT;
    int cut = 0;
    enum robots_source src;
    if (r->status >= 200 && r->status < 300) {
        double t0 = thread_cpu();
        char *ce = hdr(r, "Content-Encoding");
        int rc = http_decode_prefix(r->body.data, r->body.len, fetch_is_chunked(r), ce, ROBOTS_MAX_BYTES, &body,
                                    &cut, &err);
        free(ce);
        w->cpu_decode += thread_cpu() - t0;
        if (work_screen(c, w, &body)) {
            buf_release(&body);
            buf_release(&err);
            return;
        }
        w->robots_over = cut || r->truncated;
        if (rc) {
            snprintf(w->msg, sizeof w->msg, "robots.txt: %s: its first %zu bytes read", buf_str(&err), body.len);
            cut = 1;
        }
    } else if (work_screen(c, w, NULL)) {
        return;
    }
    w->robots = robots_from_answer(r->status, buf_str(&body), body.len, cut || r->truncated, c->agent, &src);
    if (!w->robots) {
        w->fatal = NA_ENOMEM;
        snprintf(w->msg, sizeof w->msg, "out of memory");
    } else if (src == ROBOTS_UNREACHABLE) {
        snprintf(w->msg, sizeof w->msg, "robots.txt answered %d: nothing fetched from this origin", r->status);
        w->error = 1;
    }
    buf_release(&body);
    buf_release(&err);
    archive_capture(c, w, CAPTURE_ROBOTS, NULL, 1, NULL);
}

/* The links of a listing page, feed or sitemap whose body (transfer and
 * content coding removed) and Content-Type (ct, or NULL) are given: the
 * same decoding and discovery for a 200 and for the archived copy a 304
 * stands for. */
static void discover_body(struct crawl *c, struct work *w, const struct buf *body, const char *ct)
{
    struct site *s = site_of(c, w->site);
    const char *url = w->res->url;
    struct buf utf8 = BUF_INIT, err = BUF_INIT;
    char label[64];
    int rc = 0;
    if (w->kind == CAPTURE_LISTING) {
        char mt[128];
        http_media_type(ct, mt, sizeof mt);
        int api = w->job && w->job->walker >= 0 && c->walkers[w->job->walker].api;
        if (page_binary_type(mt) && !(api && strstr(mt, "json"))) {
            w->error = 1;
            w->permanent = 1;
            snprintf(w->msg, sizeof w->msg, "listing page has content type '%s'", mt);
        } else {
            struct charset_info ci;
            double t0 = thread_cpu();
            page_charset_label(s, ct, label, sizeof label);
            rc = charset_to_utf8(buf_str(body), body->len, label[0] ? label : NULL, &utf8, &ci, &err);
            struct listing_shape sh;
            memset(&sh, 0, sizeof sh);
            sh.page_post = w->job ? w->job->post : NULL;
            if (!rc && api)
                rc = discover_json(s, url, buf_str(&utf8), utf8.len, &w->found, &sh, &err);
            else if (!rc)
                rc = discover_listing_shape(s, url, ci.name, buf_str(&utf8), utf8.len, &w->found, &w->next, &sh,
                                            &err);
            w->next_post = sh.next_post; /* a POST's body goes with w->next */
            if (!rc && sh.kind == LISTING_TRS) {
                w->trs_pages = sh.pages;
                w->trs_current = sh.current;
                memcpy(w->trs_name, sh.name, sizeof w->trs_name);
                memcpy(w->trs_ext, sh.ext, sizeof w->trs_ext);
            }
            sh.next_post = NULL;
            listing_shape_release(&sh);
            if (!rc && w->page == 1 && w->found.n == 0) /* for the pattern alert (health.h) */
                health_listing_probe(url, buf_str(&utf8), utf8.len, &w->links_all, w->samples,
                                     sizeof w->samples);
            w->cpu_parse += thread_cpu() - t0;
        }
    } else if (w->kind == CAPTURE_FEED) {
        rc = discover_feed(s, url, buf_str(body), body->len, &w->found, &err);
    } else {
        rc = discover_sitemap(s, url, buf_str(body), body->len, &w->found, &w->sitemaps, &err);
    }
    if (rc && !w->error) {
        w->error = 1;
        w->permanent = 1;
        snprintf(w->msg, sizeof w->msg, "%s", buf_str(&err));
    }
    buf_release(&utf8);
    buf_release(&err);
}

/* A 304 on a listing page, feed or sitemap: its links are read again from
 * the newest archived 200 copy and go through the frontier like a 200's.
 * Chosen over "a page counts as seen only once its links are durable"
 * because it needs no ordering between the WARC and the index: a kill, a
 * power loss or a full disk can lose the index transaction that held the
 * page's frontier rows while recovery indexes the page itself (with its
 * ETag and Last-Modified) from the WARC; the next 304 then still yields
 * every link, at the cost of one local record read per 304 page. When the
 * copy cannot be read, the page is fetched again without validators. */
static void work_not_modified(struct crawl *c, struct work *w)
{
    struct buf ct = BUF_INIT, body = BUF_INIT, err = BUF_INIT;
    w->not_modified = 1;
    int rc = 0;
    if (c->a && !w->job->unconditional) {
        alock(c);
        rc = archive_last_ok_body(c->a, w->res->url, body_cap(c, w->kind), &ct, &body, &err);
        aunlock(c);
    }
    if (rc == 1) {
        discover_body(c, w, &body, ct.len ? buf_str(&ct) : NULL);
        w->persist_later = 1; /* the links, then the revisit record (persist_found_and_archive) */
    } else {
        if (w->job->unconditional) {
            w->error = 1;
            snprintf(w->msg, sizeof w->msg, "HTTP 304 to a request without validators");
        } else {
            log_at(LOG_INFO, "%s: 304, but no archived copy to read the links from%s%s: fetching it again",
                   w->res->url, err.len ? ": " : "", buf_str(&err));
            w->refetch = 1;
        }
        archive_capture(c, w, w->kind, NULL, 1, NULL);
    }
    buf_release(&ct);
    buf_release(&body);
    buf_release(&err);
}

static void work_listing(struct crawl *c, struct work *w)
{
    struct fetch_result *r = w->res;
    struct site *s = site_of(c, w->site);
    url_list_init(&w->found, w->kind == CAPTURE_SITEMAP ? MAX_SITEMAP_URLS
                             : s                        ? (size_t)s->max_listing_links
                                                        : SITES_DEFAULT_LISTING_LINKS);
    url_list_init(&w->sitemaps, MAX_SITEMAPS);
    w->found.want_hints = w->kind == CAPTURE_LISTING; /* link text and date, for the articles' jobs */
    if (r->status == 304) {
        work_not_modified(c, w);
        return;
    }
    if (r->status != 200 && work_screen(c, w, NULL))
        return;
    if (r->status != 200) {
        if (w->kind == CAPTURE_LISTING && w->page > 1 && (r->status == 404 || r->status == 410)) {
            w->end_of_listing = 1;
        } else {
            w->error = 1;
            w->permanent = r->status < 500;
            snprintf(w->msg, sizeof w->msg, "HTTP %d", r->status);
        }
        archive_capture(c, w, w->kind, NULL, 1, NULL);
        return;
    }
    struct buf body;
    if (decode_body(c, w, &body)) {
        if (!work_screen(c, w, NULL))
            archive_capture(c, w, w->kind, NULL, 1, NULL);
        buf_release(&body);
        return;
    }
    if (work_screen(c, w, &body)) {
        buf_release(&body);
        return;
    }
    char *ct = hdr(r, "Content-Type");
    discover_body(c, w, &body, ct);
    free(ct);
    buf_release(&body);
    w->persist_later = 1; /* on the loop's thread, in result order (on_work_done) */
}

/* An article whose page gives no date takes the one its listing printed
 * beside the link (published_from "listing"): the job's, or for a job an
 * earlier run left in the archive's frontier, the one kept in the
 * archive's state when the link was first found. */
static void listing_date(struct crawl *c, struct work *w, struct article *art)
{
    if (art->published && art->published[0])
        return;
    const char *d = w->job ? w->job->hint_date : NULL;
    char *kept = NULL;
    if (!d && c->a && w->job) {
        char key[URL_MAX_LEN + 32];
        snprintf(key, sizeof key, "%s%s", LISTING_DATE_KEY, fjob_key(w->job));
        alock(c);
        d = kept = archive_state_get(c->a, site_name(c, w->site), key);
        aunlock(c);
    }
    if (!d)
        return;
    char *p = na_strdup(d), *f = na_strdup("listing");
    free(kept);
    if (!p || !f) {
        free(p);
        free(f);
        return;
    }
    free(art->published);
    free(art->published_from);
    art->published = p;
    art->published_from = f;
}

/* 1 when the archive's newest extraction of url has no text: the page was
 * archived without text by an earlier attempt (retry_missing tries again). */
static int known_empty(struct crawl *c, const char *url)
{
    if (!c->a)
        return 0;
    struct index_article a;
    alock(c);
    int rc = index_article_get(archive_index(c->a), url, &a, NULL);
    aunlock(c);
    int empty = rc == 1 && a.text_len == 0;
    if (rc == 1)
        index_article_release(&a);
    return empty;
}

static void work_article(struct crawl *c, struct work *w)
{
    struct fetch_result *r = w->res;
    struct site *s = site_of(c, w->site);
    const char *key = fjob_key(w->job);
    if (r->status != 200 && work_screen(c, w, NULL))
        return;
    if (r->status != 200) {
        w->error = 1;
        w->permanent = r->status < 500;
        snprintf(w->msg, sizeof w->msg, "HTTP %d", r->status);
        work_fail(w, status_class(r->status), r->status, "HTTP %d", r->status);
        archive_capture(c, w, CAPTURE_OTHER, NULL, 1, key);
        return;
    }
    /* the one path (page.h): decoding, binary refusal, charset, site rules */
    struct page_opts po;
    struct page_result pr;
    memset(&po, 0, sizeof po);
    po.site = s;
    po.url = r->url;
    po.now = r->fetched;
    po.max_body = body_cap(c, CAPTURE_ARTICLE);
    po.clock = thread_cpu;
    if (s && s->requisites == SITES_REQUISITES_IMAGES) /* out of scope ones are picked out later */
        po.max_images = (size_t)s->requisites_max * 4 < IMAGES_MAX ? (size_t)s->requisites_max * 4 : IMAGES_MAX;
    struct buf err = BUF_INIT, dec = BUF_INIT;
    po.body = &dec; /* for work_screen */
    struct article art;
    article_init(&art);
    int have_art = 0;
    int rc = page_extract(&po, r->head.data, r->head.len, r->body.data, r->body.len, &art, &pr, &err);
    w->cpu_decode += pr.cpu_decode;
    w->cpu_parse += pr.cpu_parse;
    int decoded = pr.stop != PAGE_BINARY_TYPE && pr.stop != PAGE_UNDECODABLE;
    int screened = work_screen(c, w, decoded ? &dec : NULL);
    buf_release(&dec);
    if (screened) {
        article_release(&art);
        buf_release(&err);
        return;
    }
    if (pr.stop != PAGE_OK) {
        w->error = 1;
        w->permanent = 1;
    }
    switch (pr.stop) {
    case PAGE_BINARY_TYPE:
        snprintf(w->msg, sizeof w->msg, "not extracted: content type '%s'", pr.media_type);
        work_fail(w, FAIL_FINAL, 200, "content type %.40s", pr.media_type);
        break;
    case PAGE_UNDECODABLE:
        snprintf(w->msg, sizeof w->msg, "cannot decode the body: %s", buf_str(&err));
        work_fail(w, FAIL_MISSING, 200, "cannot decode the body");
        break;
    case PAGE_BINARY_BODY:
        snprintf(w->msg, sizeof w->msg, "not extracted: binary body without a content type");
        work_fail(w, FAIL_FINAL, 200, "binary body");
        break;
    case PAGE_NOT_EXTRACTED:
        snprintf(w->msg, sizeof w->msg, "extraction failed: %s", buf_str(&err));
        work_fail(w, FAIL_MISSING, 200, rc == NA_EGARBAGE ? "undecodable text" : "no article text");
        break;
    case PAGE_OK:
        have_art = 1;
        if (c->tmpl && art.text && art.text[0]) { /* the site's template (crawler/template.h) */
            double t1 = thread_cpu();
            alock(c);
            tstore_crawl_article(c->tmpl, w->site, r->url, &art.text); /* out of memory: text kept whole */
            aunlock(c);
            w->cpu_parse += thread_cpu() - t1;
        }
        listing_date(c, w, &art);
        w->empty_text = !art.text || !art.text[0];
        if (w->empty_text) /* archived, and tried again for a late-published text */
            work_fail(w, FAIL_MISSING, 200, "no article text");
        /* a retry that still finds no text: the response is archived, but
         * not another empty extraction, and it is not a new article */
        if (w->empty_text && known_empty(c, r->url)) {
            w->still_empty = 1;
            have_art = 0;
        }
        w->short_text = health_text_chars(art.text, CRAWL_SHORT_TEXT) < CRAWL_SHORT_TEXT;
        w->undated = !art.published || !art.published[0];
        break;
    }
    double t0 = thread_cpu();
    /* not extracted (binary, undecodable, garbage text): archived as a plain
     * capture, and the frontier records the failure (work_fail), not a done
     * article, in the same transaction */
    enum capture_kind kind = have_art || w->still_empty ? CAPTURE_ARTICLE : CAPTURE_OTHER;
    if (archive_capture(c, w, kind, have_art ? &art : NULL, 1, key) == 0)
        w->archived_article = have_art;
    if (w->archived_article && art.nimages) { /* the article is in: its images are queued by the loop */
        alock(c);
        requisites_pick(s, c->a, art.images, &art.nimages);
        aunlock(c);
        w->images = art.images, w->nimages = art.nimages;
        art.images = NULL, art.nimages = 0;
    }
    w->cpu_archive += thread_cpu() - t0;
    article_release(&art);
    buf_release(&err);
}

/* An image of an article (requisites.h): archived when it is one. */
static void work_image(struct crawl *c, struct work *w)
{
    char *ct = hdr(w->res, "Content-Type");
    enum requisites_verdict v = requisites_answer(w->res->status, ct);
    if (v == REQUISITES_KEEP)
        w->image_kept = archive_capture(c, w, CAPTURE_IMAGE, NULL, 1, NULL) == 0;
    else if (v == REQUISITES_NOT_IMAGE)
        snprintf(w->msg, sizeof w->msg, "image not archived: content type '%.100s'", ct ? ct : "");
    else
        snprintf(w->msg, sizeof w->msg, "image not archived: HTTP %d", w->res->status);
    free(ct);
}

static int urgent(const struct work *w);

static int work_run(void *job, void *ud)
{
    struct work *w = job;
    struct crawl *c = ud;
    if (w->action == W_ARCHIVE) {
        archive_capture(c, w, w->kind, NULL, 1, NULL);
        return w->fatal != 0;
    }
    if (w->then_retry) { /* a 429/5xx: archived as it came, asked again unless a challenge */
        if (!work_screen(c, w, NULL))
            archive_capture(c, w, w->kind, NULL, 1, NULL);
        return 1;
    }
    switch (w->kind) {
    case CAPTURE_ROBOTS:
        work_robots(c, w);
        break;
    case CAPTURE_LISTING:
    case CAPTURE_FEED:
    case CAPTURE_SITEMAP:
        work_listing(c, w);
        break;
    case CAPTURE_IMAGE:
        work_image(c, w);
        break;
    default:
        work_article(c, w);
        break;
    }
    /* navigation results let fetching go on, and a challenge stops asking
     * its host: the loop takes them at once */
    return urgent(w) || w->fatal != 0 || w->challenge.kind != CHALLENGE_NONE;
}

static void work_notify(void *ud)
{
    struct crawl *c = ud;
    fetch_wakeup(c->fetch);
}

static void work_free(struct work *w)
{
    if (!w)
        return;
    fjob_free(w->job);
    fetch_result_free(w->res);
    url_list_release(&w->found);
    url_list_release(&w->sitemaps);
    free(w->flags);
    free(w->next);
    free(w->next_post);
    robots_free(w->robots);
    images_free(w->images, w->nimages);
    free(w);
}

/* ---- the loop side ---- */

/* Robots.txt, listing pages, feeds and sitemaps go first: their results
 * let more fetching start. */
static int urgent(const struct work *w)
{
    return w->action == W_PROCESS &&
           ((w->kind != CAPTURE_ARTICLE && w->kind != CAPTURE_OTHER && w->kind != CAPTURE_IMAGE) || w->held);
}

static void submit(struct crawl *c, struct work *w)
{
    if (!c->ready && pool_submit(c->pool, w, urgent(w)) == 0)
        return;
    if (urgent(w)) {
        w->next_ready = c->ready;
        c->ready = w;
        if (!c->ready_tail)
            c->ready_tail = w;
    } else {
        w->next_ready = NULL;
        if (c->ready_tail)
            c->ready_tail->next_ready = w;
        else
            c->ready = w;
        c->ready_tail = w;
    }
    c->nready++;
}

static void flush_ready(struct crawl *c)
{
    while (c->ready && pool_submit(c->pool, c->ready, urgent(c->ready)) == 0) {
        c->ready = c->ready->next_ready;
        if (!c->ready)
            c->ready_tail = NULL;
        c->nready--;
    }
}

static struct work *work_new(struct crawl *c, struct fjob *j, struct fetch_result *r, int action)
{
    struct work *w = na_calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->c = c;
    w->action = action;
    w->res = r;
    w->site = j->site;
    w->kind = j->kind;
    w->page = j->page;
    if (j->walker >= 0 && j->kind == CAPTURE_LISTING) {
        struct walker *wk = &c->walkers[j->walker];
        w->persist = j->page >= wk->first && j->page <= wk->last;
    } else {
        w->persist = 1;
    }
    if (action == W_PROCESS) {
        w->job = j;
        int nav = j->kind != CAPTURE_ARTICLE && j->kind != CAPTURE_OTHER;
        w->held = (nav || r->status != 200) && hold_host(c, j->host);
    }
    return w;
}

/* A job that will not be fetched again this run: the follow-ups of its
 * kind; an article's attempt is recorded as failed (reason, status, cls:
 * FAIL_*), for the retry policy. */
static void job_gave_up(struct crawl *c, struct fjob *j, const char *reason, int status, int cls)
{
    if (j->kind == CAPTURE_ROBOTS && j->robots_origin) {
        robots_unreachable(c, j->robots_origin, j->site, "no answer");
        robots_set(c, j->robots_origin, robots_disallow_all());
    } else if (j->kind == CAPTURE_LISTING && j->walker >= 0) {
        struct walker *w = &c->walkers[j->walker];
        w->inflight--;
        w->failed = 1;
        if (!c->o->backfill || !w->tmpl)
            w->ended = 1; /* a next-link walk cannot go on; cron stops at a broken page */
        else
            walker_fill(c, j->walker);
    } else if ((j->kind == CAPTURE_ARTICLE || j->kind == CAPTURE_OTHER) && c->a) {
        alock(c);
        article_failed(c, j->site, fjob_key(j), reason, status, cls);
        aunlock(c);
    }
}

struct drop_ctx {
    struct crawl *c;
    const char *reason;
};

static void drop_cb(struct fjob *j, void *ud)
{
    struct drop_ctx *x = ud;
    if (j->kind == CAPTURE_LISTING)
        listing_failed(x->c, j->site, j->url, "host given up for this run");
    job_gave_up(x->c, j, x->reason, 0, FAIL_TRANSIENT);
}

/* why: for the log; reason: short, for the frontier. */
static void drop_host(struct crawl *c, const char *host, const char *why, const char *reason)
{
    struct drop_ctx x = { c, reason };
    size_t n = frontier_drop_host(c->fr, host, drop_cb, &x);
    if (n) {
        c->st->errors += (long)n;
        log_host(LOG_WARN, host, "%s: %zu queued URLs left for the next run", why, n);
        if (c->st->errors - (long)n < CRAWL_MAX_ERROR_LINES)
            buf_printf(&c->st->errors_text, "%s: %zu URLs not fetched: %s\n", host, n, why);
    }
}

static int can_retry(struct crawl *c, const struct fjob *j)
{
    long budget = 50 + c->st->fetches / 10;
    return j->attempt <= c->cfg->retries && c->retries_used < budget && !c->fatal &&
           !(c->o->stop && *c->o->stop);
}

static void retry_later(struct crawl *c, struct fjob *j, double now, double retry_after, const char *why)
{
    double b = c->cfg->retry_backoff;
    double d = politeness_backoff(j->attempt, b, b * BACKOFF_CAP, rand01(c));
    if (retry_after > d)
        d = retry_after;
    j->not_before = now + d;
    c->retries_used++;
    sstat(c, j->site)->retries++;
    log_host(LOG_INFO, j->host, "%s: %s; retry %d in %.2f s", j->url, why, j->attempt, d);
    if (push(c, j, 0))
        c->fatal = NA_ENOMEM;
}

/* Follows a 3xx answer: each hop was archived; the next one is queued when
 * it is http(s), in scope and new, within max_redirects. A robots.txt chain
 * that goes wrong means "unavailable" (RFC 9309 2.3.1.2): allow all. */
static void follow_redirect(struct crawl *c, struct fjob *j, struct fetch_result *r)
{
    char *loc = hdr(r, "Location");
    struct site *s = site_of(c, j->site);
    char *to = loc ? url_resolve(j->url, loc) : NULL;
    char problem[URL_MAX_LEN + 128] = "";
    const char *reason = "";
    struct policy_hop ph = { loc != NULL, to != NULL, j->redirects, c->cfg->max_redirects, 1, 0 };
    if (to) {
        ph.in_scope = j->kind == CAPTURE_ROBOTS || !s ||
                      (j->kind == CAPTURE_IMAGE ? sites_requisite_in_scope(s, to) : url_in_scope(s, to));
        ph.loop = strcmp(to, j->url) == 0 || strcmp(to, fjob_key(j)) == 0 || (j->chain && strstr(j->chain, to));
    }
    switch (policy_redirect(&ph)) {
    case REDIRECT_NO_LOCATION:
        snprintf(problem, sizeof problem, "HTTP %d without Location", r->status), reason = "redirect without Location";
        break;
    case REDIRECT_BAD_URL:
        if (strlen(loc) > URL_MAX_LEN)
            snprintf(problem, sizeof problem, "redirect to a URL of %zu bytes, over the limit of %d: '%.200s…'",
                     strlen(loc), URL_MAX_LEN, loc), reason = "redirect URL too long";
        else
            snprintf(problem, sizeof problem, "redirect to an unsupported URL '%.2000s'", loc),
                reason = "redirect to an unsupported URL";
        break;
    case REDIRECT_TOO_MANY:
        snprintf(problem, sizeof problem, "more than %d redirects (last to '%s')", c->cfg->max_redirects, to),
            reason = "too many redirects";
        break;
    case REDIRECT_OFF_SCOPE:
        snprintf(problem, sizeof problem, "off-scope redirect to '%s' (not followed)", to), reason = "off-scope redirect";
        break;
    case REDIRECT_LOOP:
        snprintf(problem, sizeof problem, "redirect loop through '%s'", to), reason = "redirect loop";
        break;
    case REDIRECT_FOLLOW:
        break;
    }
    if (problem[0]) {
        if (j->kind == CAPTURE_ROBOTS && j->robots_origin) {
            log_host(LOG_INFO, j->host, "robots.txt: %s: treated as unavailable", problem);
            robots_set(c, j->robots_origin, robots_allow_all());
        } else if (j->kind == CAPTURE_IMAGE) { /* not an error of the run */
            log_host(LOG_INFO, j->host, "%s: image not archived: %s", j->url, problem);
            sstat(c, j->site)->images_skipped++;
        } else {
            report(c, j->site, j->url, "%s", problem);
            job_gave_up(c, j, reason, r->status, FAIL_FINAL);
        }
        goto done;
    }
    int seen = frontier_seen_add(c->fr, to);
    if (seen < 0) {
        c->fatal = seen;
        goto done;
    }
    if (seen == 0 && j->kind != CAPTURE_ROBOTS) {
        /* the target is queued or fetched already in this run */
        log_host(LOG_INFO, j->host, "%s: redirect to '%s', already in this run", j->url, to);
        if (j->kind == CAPTURE_ARTICLE && c->a) {
            alock(c);
            frontier_persist_ok(c->a, fjob_key(j));
            aunlock(c);
        } else if (j->kind == CAPTURE_LISTING && j->walker >= 0) {
            job_gave_up(c, j, NULL, 0, FAIL_FINAL);
        }
        goto done;
    }
    struct fjob *n = fjob_new(to, j->site, j->kind);
    struct buf chain = BUF_INIT;
    buf_printf(&chain, "%s%s\n", j->chain ? j->chain : "", j->url);
    if (!n || chain.err || !(n->first_url = na_strdup(fjob_key(j)))) {
        fjob_free(n);
        buf_release(&chain);
        c->fatal = NA_ENOMEM;
        goto done;
    }
    n->chain = buf_detach(&chain, NULL);
    n->robots_origin = j->robots_origin;
    j->robots_origin = NULL;
    n->walker = j->walker;
    n->page = j->page;
    n->redirects = j->redirects + 1;
    log_host(LOG_INFO, j->host, "%s: redirect %d to '%s'", j->url, r->status, to);
    if (push(c, n, 1))
        c->fatal = NA_ENOMEM;
done:
    free(loc);
    free(to);
    fjob_free(j);
}

/* A redirect to the same URL that sets a cookie (a first visit answered
 * "take this cookie and come again"): asked once more, with the cookie,
 * instead of being a redirect loop. With cookies = yes the site's jar
 * already holds it; else it is sent with that request only, to that URL
 * only. The hop itself is archived. 1 when taken care of (j and r taken). */
static int cookie_retry(struct crawl *c, struct fjob *j, struct fetch_result *r)
{
    if (j->cookie_retried)
        return 0;
    char *loc = hdr(r, "Location");
    char *to = loc ? url_resolve(j->url, loc) : NULL;
    int same = to && strcmp(to, j->url) == 0;
    free(loc);
    free(to);
    char *ck = same ? policy_set_cookies(r->head.data, r->head.len) : NULL;
    if (!ck)
        return 0;
    j->cookie_retried = 1;
    if (j->site >= 0 && c->net && c->net[j->site].net.jar)
        free(ck); /* the jar sends it */
    else
        j->cookie = ck;
    log_host(LOG_INFO, j->host, "%s: redirect %d to itself with Set-Cookie: asked again with the cookie", j->url,
             r->status);
    if (push(c, j, 1)) {
        c->fatal = NA_ENOMEM;
        fjob_free(j);
    }
    return 1;
}

static int host_challenged(struct crawl *c, const char *host)
{
    for (size_t i = 0; i < c->nchallenged; i++)
        if (strcmp(c->challenged[i], host) == 0)
            return 1;
    return 0;
}

/* An answer that is an anti-bot page (challenge.h) instead of the page,
 * as the worker found it (work_screen; the loop does no decoding): archived
 * as it came but never as an article, said once per site (and kept for the
 * health alert "challenge"), and the host is not asked again this run
 * (transfers to it that started while the worker looked are screened as
 * well). Takes w's job. */
static void challenge_found(struct crawl *c, struct work *w)
{
    struct fjob *j = w->job;
    int status = w->res->status;
    char msg[300];
    challenge_describe(&w->challenge, msg, sizeof msg);
    struct crawl_site_stats *ss = sstat(c, j->site);
    if (!ss->challenge[0]) {
        snprintf(ss->challenge, sizeof ss->challenge, "%s", msg);
        report(c, j->site, j->url, "HTTP %d: %s", status, msg);
    } else {
        log_host(LOG_INFO, j->host, "%s: HTTP %d: %s", j->url, status, msg);
    }
    if (!host_challenged(c, j->host)) {
        /* a host past the cap is still dropped for the run below (drop_host) */
        char *h = NA_GROW(c->challenged, c->challenged_cap, c->nchallenged + 1, FRONTIER_MAX_HOSTS) == 0
                      ? na_strdup(j->host) : NULL;
        if (h)
            c->challenged[c->nchallenged++] = h;
    }
    if (j->kind == CAPTURE_ROBOTS && j->robots_origin)
        robots_unreachable(c, j->robots_origin, j->site, msg);
    job_gave_up(c, j, "challenge page", status, FAIL_TRANSIENT);
    drop_host(c, j->host, msg, "challenge page");
    fjob_free(j);
    w->job = NULL;
}

/* A finished transfer. */
static void on_fetch(struct crawl *c, struct fetch_result *r)
{
    struct fjob *j = r->ud;
    double now = mono();
    struct crawl_site_stats *ss = sstat(c, j->site);
    struct polite_host *ph = politeness_host(c->pol, j->host);
    j->attempt++;
    c->st->fetches++;
    uint64_t bytes = r->head.len + r->body.len;
    c->st->bytes += bytes;
    ss->bytes += bytes;
    ss->t_last = now;
    if (r->rc != 0) {
        if (ph)
            politeness_done(ph, now, r->rc == NA_ENET ? POLITE_NETFAIL : POLITE_OK, -1);
        log_host(LOG_INFO, j->host, "%s: %s", j->url, r->error);
        if (r->retryable && can_retry(c, j) && !(ph && politeness_host_down(ph))) {
            retry_later(c, j, now, -1, r->error);
            fetch_result_free(r);
            return;
        }
        if (j->kind == CAPTURE_IMAGE) { /* best effort: said, counted, never archived cut */
            log_host(LOG_INFO, j->host, "%s: image not archived: %s", j->url, r->error);
            ss->images_skipped++;
            fetch_result_free(r);
            fjob_free(j);
            return;
        }
        if (j->kind == CAPTURE_ROBOTS) { /* an error: the site is not crawled this run */
            report(c, j->site, j->url, "robots.txt unreachable (%s): nothing fetched from this origin this run",
                   r->error);
            robots_unreachable(c, j->robots_origin, j->site, r->error);
        } else {
            report(c, j->site, j->url, "%s%s", r->error, j->attempt > 1 ? " (after retries)" : "");
            if (j->kind == CAPTURE_LISTING && r->retryable)
                listing_failed(c, j->site, j->url, r->error);
        }
        job_gave_up(c, j, net_reason(r), r->status, r->retryable ? FAIL_TRANSIENT : FAIL_FINAL);
        if (ph && politeness_host_down(ph))
            drop_host(c, j->host, "host unreachable", "host unreachable");
        /* A response whose body was cut (cap, timeout, disconnect) is archived
         * as it came, marked WARC-Truncated; never as an article. */
        struct work *w = NULL;
        int whole_head = r->head.len >= 4 && memcmp(r->head.data + r->head.len - 4, "\r\n\r\n", 4) == 0;
        /* (a cut chunked body is not archived: its framing is broken, which
         * the store's verify reports as a fault) */
        if (r->status > 0 && whole_head && !fetch_is_chunked(r) && (w = work_new(c, j, r, W_ARCHIVE))) {
            w->kind = j->kind == CAPTURE_ARTICLE ? CAPTURE_OTHER : j->kind;
            w->truncated = r->rc == NA_ETOOBIG ? "length"
                         : r->curl_code == 28 /* CURLE_OPERATION_TIMEDOUT */ ? "time" : "disconnect";
            submit(c, w);
        } else {
            fetch_result_free(r);
        }
        fjob_free(j);
        return;
    }
    int st = r->status, site = j->site;
    enum capture_kind kind = j->kind;
    double ra = -1;
    if (st == 429 || st == 503) {
        char *v = hdr(r, "Retry-After");
        ra = politeness_retry_after(v, time(NULL));
        free(v);
        if (ph) {
            politeness_done(ph, now, POLITE_SLOWDOWN, ra < MAX_RETRY_AFTER ? ra : -1);
            log_host(LOG_INFO, j->host, "HTTP %d%s: host slowed down (delay now %.1f s)", st,
                     ra >= 0 ? " with Retry-After" : "", politeness_delay(ph));
        }
    } else if (ph) {
        politeness_done(ph, now, POLITE_OK, -1);
    }
    log_host(LOG_INFO, j->host, "%d %s (%zu bytes, %.3f s)", st, j->url, r->body.len, r->seconds);
    /* an anti-bot answer is recognised by the worker (work_screen) */
    if (st == 429 || (st >= 500 && st <= 599)) {
        if (ra > MAX_RETRY_AFTER) {
            struct work *w = work_new(c, j, r, W_PROCESS);
            if (!w) {
                c->fatal = NA_ENOMEM;
                fjob_free(j);
                fetch_result_free(r);
                return;
            }
            char why[128];
            snprintf(why, sizeof why, "HTTP %d asks for a pause of %.0f s", st, ra);
            drop_host(c, j->host, why, "host asked for a pause");
            submit(c, w);
            return;
        }
        if (can_retry(c, j) && j->kind == CAPTURE_IMAGE) { /* an image's failed attempt is not kept */
            fetch_result_free(r);
            char why[32];
            snprintf(why, sizeof why, "HTTP %d", st);
            retry_later(c, j, now, ra, why);
            return;
        }
        if (can_retry(c, j)) { /* after the worker's screen (on_work_done) */
            struct work *w = work_new(c, j, r, W_PROCESS);
            if (!w) {
                c->fatal = NA_ENOMEM;
                fjob_free(j);
                fetch_result_free(r);
                return;
            }
            w->then_retry = 1;
            w->retry_after = ra;
            c->retries_used++; /* taken now, as can_retry counts it */
            submit(c, w);
            return;
        }
    }
    if (policy_is_redirect(st)) {
        if (!cookie_retry(c, j, r))
            follow_redirect(c, j, r); /* reads r, frees j */
        struct work *w = na_calloc(1, sizeof *w);
        if (!w) {
            c->fatal = NA_ENOMEM;
            fetch_result_free(r);
            return;
        }
        w->c = c;
        w->action = W_ARCHIVE;
        w->res = r;
        w->site = site;
        w->kind = kind;
        submit(c, w);
        return;
    }
    struct work *w = work_new(c, j, r, W_PROCESS);
    if (!w) {
        c->fatal = NA_ENOMEM;
        fjob_free(j);
        fetch_result_free(r);
        return;
    }
    if (r->truncated)
        w->truncated = "length"; /* a robots.txt read as its start (fetch_limits) */
    submit(c, w);
}

/* Orders a listing page's links newest listing date first (dates compared
 * as strings, "YYYY-MM-DD…"); equal dates keep page order, undated links
 * follow the dated ones in page order. */
struct dated_link {
    const char *date;
    size_t i;
};

static int dated_link_cmp(const void *a, const void *b)
{
    const struct dated_link *x = a, *y = b;
    if (x->date && y->date) {
        int r = strcmp(y->date, x->date);
        if (r)
            return r;
    } else if (x->date != y->date) {
        return x->date ? -1 : 1;
    }
    return x->i < y->i ? -1 : x->i > y->i;
}

/* The order in which take_found queues w's links (malloc'd; NULL: page
 * order, also when out of memory). */
static size_t *found_order(const struct work *w)
{
    size_t n = w->found.n;
    if (!w->found.hint || n < 2)
        return NULL;
    struct dated_link *d = na_malloc(n * sizeof *d);
    size_t *ord = d ? na_malloc(n * sizeof *ord) : NULL;
    if (!ord) {
        free(d);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        d[i] = (struct dated_link){w->found.hint[i].date, i};
    qsort(d, n, sizeof *d, dated_link_cmp);
    for (size_t i = 0; i < n; i++)
        ord[i] = d[i].i;
    free(d);
    return ord;
}

/* What the listing date of link i of a cron walk's page says: 0 none, 1
 * dated before the day of the newest archived article the walk has seen
 * listed (an old article, a backfill's job), 2 dated that day or later
 * (or the walk has seen no archived article yet). */
static int found_age(const struct work *w, size_t i, const struct walker *wk)
{
    const char *d = w->found.hint ? w->found.hint[i].date : NULL;
    if (!d || strlen(d) < 10)
        return 0;
    return wk && wk->newest[0] && strncmp(d, wk->newest, 10) < 0 ? 1 : 2;
}

/* New article URLs of a page: queued when new (newest listing date
 * first: found_order); returns how many the archive lacks (queued now or
 * earlier in this run), and in *fresh how many links say the walk must go
 * on: lacking ones without a date, and any (archived or not) dated the
 * archive's newest day or later (found_age). A page whose lacking links
 * are all dated, with every dated link older, lists only history. */
static long take_found(struct crawl *c, struct work *w, struct fjob *j, long *fresh)
{
    long lacking = 0;
    struct walker *wk = j->walker >= 0 && !c->o->backfill ? &c->walkers[j->walker] : NULL;
    struct crawl_site_stats *ss = sstat(c, j->site);
    ss->articles_found += (long)w->found.n;
    *fresh = 0;
    size_t *ord = w->persist ? found_order(w) : NULL;
    for (size_t i = 0; wk && w->flags && w->found.hint && i < w->found.n; i++) {
        const char *d = w->found.hint[i].date;
        if ((w->flags[i] & F_HAS) && d && strlen(d) >= 10 && strncmp(d, wk->newest, 10) > 0) {
            memcpy(wk->newest, d, 10); /* the column's newest archived article, as listed */
            wk->newest[10] = 0;
        }
    }
    for (size_t k = 0; k < w->found.n && w->persist; k++) {
        size_t i = ord ? ord[k] : k;
        const char *u = w->found.v[i];
        unsigned f = w->flags ? w->flags[i] : (unsigned)F_ADDED;
        int age = found_age(w, i, wk);
        *fresh += age == 2;
        if (f & F_HAS)
            continue;
        int s = frontier_seen_add(c->fr, u);
        if (s < 0) {
            c->fatal = s;
            break;
        }
        if (s == 0) {
            if (frontier_queued(c->fr, u)) {
                lacking++; /* queued in this run, not archived yet */
                *fresh += age == 0;
            }
            continue;
        }
        if (!(f & F_ADDED))
            continue; /* done or given up in an earlier run */
        struct fjob *n = fjob_new(u, j->site, CAPTURE_ARTICLE);
        if (!n || push(c, n, 0) || frontier_queued_add(c->fr, u) < 0) {
            c->fatal = NA_ENOMEM;
            break;
        }
        n->page = j->page;
        const struct url_hint *h = w->found.hint ? &w->found.hint[i] : NULL;
        if (h && h->date)
            n->hint_date = na_strdup(h->date); /* NULL when out of memory: no fallback date */
        c->st->articles_queued++;
        lacking++;
        *fresh += age == 0;
    }
    free(ord);
    return lacking;
}

/* A backfill's next-link walk that reads a TRS page whose createPageHTML
 * call names the next page it found goes on like a {n} template walk:
 * every page by the call's count and naming rule, LISTING_WINDOW in
 * flight, instead of one page after another. Returns 1 when it switched. */
static int trs_switch(struct crawl *c, struct walker *wk, struct work *w, int page)
{
    if (!c->o->backfill || wk->tmpl || wk->trs || !w->trs_pages || !w->next || w->next_post || !w->res ||
        w->trs_current + 1 >= w->trs_pages)
        return 0;
    struct listing_shape sh;
    memset(&sh, 0, sizeof sh);
    sh.kind = LISTING_TRS;
    sh.pages = w->trs_pages;
    memcpy(sh.name, w->trs_name, sizeof sh.name);
    memcpy(sh.ext, w->trs_ext, sizeof sh.ext);
    char *u = discover_trs_page(w->res->url, &sh, w->trs_current + 1);
    int same = u && strcmp(u, w->next) == 0; /* else a <base> or another pager decided: page by page */
    free(u);
    char *base = same ? na_strdup(w->res->url) : NULL;
    if (!base)
        return 0;
    wk->trs = 1;
    wk->trs_url = base;
    wk->trs_sh = sh;
    wk->trs_delta = w->trs_current - page;
    int last = w->trs_pages - 1 - wk->trs_delta;
    if (last <= wk->last) {
        wk->last = last;
        wk->trs_end = 1;
    }
    free(wk->next_url);
    free(wk->next_post);
    wk->next_url = wk->next_post = NULL;
    log_at(LOG_INFO, "%s: TRS pager of '%s': %d pages, %s_{n}.%s: up to %d in flight", site_name(c, wk->site),
           wk->listing, w->trs_pages, sh.name, sh.ext, LISTING_WINDOW);
    return 1;
}

static void listing_done(struct crawl *c, struct work *w, struct fjob *j)
{
    struct walker *wk = j->walker >= 0 ? &c->walkers[j->walker] : NULL;
    struct crawl_site_stats *ss = sstat(c, j->site);
    ss->listing_pages++;
    c->st->listing_done++;
    if (w->not_modified)
        ss->not_modified++;
    long fresh = 0, lacking = take_found(c, w, j, &fresh);
    if (!wk)
        return;
    wk->inflight--;
    wk->fetched++;
    int page = j->page;
    if (page == 1 && (size_t)j->walker < c->st->nlisting) { /* what health.c judges */
        struct crawl_listing_stats *ls = &c->st->listing[j->walker];
        ls->state = w->not_modified ? 2 : w->error || w->end_of_listing ? 0 : 1;
        ls->articles = (long)w->found.n;
        ls->links = w->links_all;
        memcpy(ls->samples, w->samples, sizeof ls->samples);
    }
    const char *sname = site_name(c, j->site);
    if (w->not_modified)
        log_at(LOG_INFO, "%s: listing page %d not modified: links read from the archived copy", sname, page);
    /* a 304 page goes on like a 200 whose links were checked again: the
     * walk stops at it only when the archive lacks none of them */
    if (w->end_of_listing) {
        log_at(LOG_INFO, "%s: listing ends before page %d", sname, page);
        wk->ended = wk->reached_end = 1;
    } else if (w->error) {
        wk->failed = 1;
        if (w->res && w->res->status >= 500)
            listing_failed(c, j->site, j->url, w->msg);
        if (!c->o->backfill || !(wk->tmpl || wk->trs))
            wk->ended = 1;
    } else if (w->found.n == 0 && page > 1) {
        log_at(LOG_INFO, "%s: listing page %d has no article links: end of the listing", sname, page);
        wk->ended = wk->reached_end = 1;
    } else if (!c->o->backfill && lacking == 0 && wk->stop_ok) {
        log_at(LOG_INFO, "%s: listing page %d shows nothing new", sname, page);
        wk->ended = 1;
    } else if (!c->o->backfill && fresh == 0 && wk->stop_ok) {
        log_at(LOG_INFO, "%s: listing page %d shows nothing new: its %ld links the archive lacks, like all its "
               "links, are dated before %s, the newest archived one it lists (a backfill reads older pages)", sname,
               page, lacking, wk->newest);
        wk->ended = 1;
    } else if (!wk->tmpl && !wk->trs && !trs_switch(c, wk, w, page)) {
        char *nx = w->next;
        struct site *s = site_of(c, j->site);
        if (!nx) {
            log_at(LOG_INFO, "%s: listing page %d has no next-page link", sname, page);
            wk->reached_end = 1;
        } else if (s && !url_in_scope(s, nx)) {
            log_at(LOG_INFO, "%s: next-page link '%s' is out of scope", sname, nx);
            wk->reached_end = 1;
        } else {
            free(wk->next_url);
            free(wk->next_post);
            wk->next_url = nx;
            wk->next_post = w->next_post;
            w->next = w->next_post = NULL;
        }
    }
    if (c->o->backfill && !w->error) {
        int before = wk->done_upto;
        walker_page_done(wk, page);
        if (wk->trs && wk->done_upto != before) {
            free(wk->resume_url);
            free(wk->resume_post);
            wk->resume_post = NULL;
            wk->resume_url = discover_trs_page(wk->trs_url, &wk->trs_sh, wk->done_upto + 1 + wk->trs_delta);
            if (wk->trs_end && wk->done_upto >= wk->last)
                wk->reached_end = 1; /* the column's last page */
        } else if (!wk->tmpl && !wk->trs && wk->done_upto == page) {
            free(wk->resume_url);
            free(wk->resume_post);
            wk->resume_url = wk->next_url ? na_strdup(wk->next_url) : NULL;
            wk->resume_post = wk->next_url && wk->next_post ? na_strdup(wk->next_post) : NULL;
        }
        if (wk->done_upto != before || wk->reached_end)
            walker_save(c, wk);
    }
    if (wk->reached_end)
        wk->ended = 1;
    walker_fill(c, j->walker);
    if (wk->ended && !wk->inflight)
        walk_mark_done(c, wk);
}

/* The caps a listing page, feed or sitemap ran into, said once (cap_once). */
static void say_caps(struct crawl *c, const struct work *w, const struct fjob *j)
{
    const struct site *s = site_of(c, j->site);
    if (w->found.dropped && j->kind == CAPTURE_SITEMAP)
        cap_once(c, j->site, CAP_SITEMAP_URLS,
                 "sitemap '%s' lists more than %zu URLs: %zu more were dropped (MAX_SITEMAP_URLS in crawler/crawl.c, "
                 "the sitemap protocol's limit per file)", j->url, w->found.max, w->found.dropped);
    else if (w->found.dropped)
        cap_once(c, j->site, j->kind == CAPTURE_FEED ? CAP_FEED_ITEMS : CAP_LISTING_LINKS,
                 "%s '%s' has more than %zu article links: %zu more were dropped (raise max_listing_links, now %d, "
                 "in sites.conf)", j->kind == CAPTURE_FEED ? "feed" : "listing page", j->url, w->found.max,
                 w->found.dropped, s ? s->max_listing_links : SITES_DEFAULT_LISTING_LINKS);
    if (w->found.cut)
        cap_once(c, j->site, CAP_READ_CUT, "'%s' was read only in part: the %s was reached", j->url, w->found.cut);
    if (w->sitemaps.dropped)
        cap_once(c, j->site, CAP_SITEMAPS, "sitemap index '%s' lists more than %zu sitemaps: %zu more were dropped "
                 "(MAX_SITEMAPS in crawler/crawl.c)", j->url, w->sitemaps.max, w->sitemaps.dropped);
}

static void on_work_done(struct crawl *c, struct work *w)
{
    if (w->persist_later) {
        double t0 = thread_cpu();
        persist_found_and_archive(c, w);
        c->cpu_archive += thread_cpu() - t0;
    }
    c->cpu_decode += w->cpu_decode;
    c->cpu_parse += w->cpu_parse;
    c->cpu_archive += w->cpu_archive;
    if (w->fatal && !c->fatal) {
        c->fatal = w->fatal;
        buf_seterr(&c->fatal_msg, "%s", w->msg);
    }
    if (w->action == W_ARCHIVE) {
        work_free(w);
        return;
    }
    if (w->held)
        release_host(c, w->job->host, w->job->url);
    if (w->challenge.kind != CHALLENGE_NONE) {
        c->retries_used -= w->then_retry;
        challenge_found(c, w);
        work_free(w);
        return;
    }
    struct fjob *j = w->job;
    if (w->then_retry) {
        char why[32];
        snprintf(why, sizeof why, "HTTP %d", w->res->status);
        c->retries_used--; /* retry_later counts it again */
        retry_later(c, j, mono(), w->retry_after, why);
        w->job = NULL;
        work_free(w);
        return;
    }
    struct crawl_site_stats *ss = sstat(c, j->site);
    if (w->refetch) {
        /* the same page again, without validators (work_not_modified); a
         * walk keeps it in flight */
        struct fjob *n = fjob_new(j->url, j->site, j->kind);
        if (n && j->first_url && !(n->first_url = na_strdup(j->first_url))) {
            fjob_free(n);
            n = NULL;
        }
        if (!n) {
            c->fatal = NA_ENOMEM;
        } else {
            n->unconditional = 1;
            n->walker = j->walker;
            n->page = j->page;
            if (push(c, n, 1))
                c->fatal = NA_ENOMEM;
        }
        work_free(w);
        return;
    }
    if (w->error && j->kind != CAPTURE_ROBOTS)
        report(c, j->site, j->url, "%s", w->msg);
    switch (j->kind) {
    case CAPTURE_ROBOTS:
        ss->robots++;
        if (w->error)
            log_host(LOG_WARN, j->host, "%s", w->msg);
        else if (w->msg[0])
            log_host(LOG_INFO, j->host, "%s", w->msg);
        if (w->robots_over) /* once per origin: robots.txt is fetched once per run */
            log_host(LOG_WARN, j->host, "robots.txt of %s is over %zu KiB: only the first %zu KiB read",
                     j->robots_origin ? j->robots_origin : j->url, ROBOTS_MAX_BYTES >> 10, ROBOTS_MAX_BYTES >> 10);
        if (j->robots_origin && w->robots)
            queue_robots_sitemaps(c, j, w->robots);
        if (j->robots_origin) {
            if (w->error) {
                char why[32];
                snprintf(why, sizeof why, "HTTP %d", w->res ? w->res->status : 0);
                robots_unreachable(c, j->robots_origin, j->site, why);
            }
            robots_set(c, j->robots_origin, w->robots);
            w->robots = NULL;
        }
        break;
    case CAPTURE_LISTING:
        say_caps(c, w, j);
        listing_done(c, w, j);
        break;
    case CAPTURE_FEED:
    case CAPTURE_SITEMAP:
        if (j->kind == CAPTURE_FEED)
            ss->feeds++;
        else
            ss->sitemaps++;
        say_caps(c, w, j);
        long fresh;
        take_found(c, w, j, &fresh);
        for (size_t i = 0; i < w->sitemaps.n; i++) {
            if (c->sitemaps_seen[j->site] >= MAX_SITEMAPS) {
                cap_once(c, j->site, CAP_SITEMAPS, "more than %d sitemap files in one run: %zu listed in '%s' "
                         "were not fetched (MAX_SITEMAPS in crawler/crawl.c)", MAX_SITEMAPS, w->sitemaps.n - i,
                         j->url);
                break;
            }
            if (queue_url(c, w->sitemaps.v[i], j->site, CAPTURE_SITEMAP, -1, 0) > 0)
                c->sitemaps_seen[j->site]++;
        }
        break;
    case CAPTURE_IMAGE:
        if (w->image_kept)
            ss->images++;
        else
            ss->images_skipped++;
        if (w->msg[0])
            log_host(LOG_INFO, j->host, "%s: %s", j->url, w->msg);
        break;
    default:
        c->st->articles_done++;
        ss->articles_still_empty += w->still_empty;
        for (size_t i = 0; i < w->nimages && !c->fatal && !(c->o->stop && *c->o->stop); i++)
            if (queue_url(c, w->images[i], j->site, CAPTURE_IMAGE, -1, 0) < 0 && !c->fatal)
                c->fatal = NA_ENOMEM;
        if (w->archived_article) {
            ss->articles_new++;
            if (w->empty_text) {
                ss->articles_empty++;
                log_at(LOG_INFO, "%s: no article text found", j->url);
            }
            ss->articles_short += w->short_text;
            ss->articles_undated += w->undated;
            ss->articles_poor += w->short_text || w->undated;
        }
        break;
    }
    work_free(w);
}

/* Starts what politeness, robots and the pool's room allow; returns the
 * seconds until something more may start (-1: on a completion). */
static double start_transfers(struct crawl *c, int can_start)
{
    double wait = -1;
    int conc = c->cfg->concurrency > 0 ? c->cfg->concurrency : 16;
    c->pool_bound = 0;
    while (can_start && (int)fetch_active(c->fetch) < conc) {
        /* every transfer in flight must find room in the queue */
        if (c->nready || pool_load(c->pool) + fetch_active(c->fetch) >= pool_capacity(c->pool)) {
            c->blocked_pool++;
            c->pool_bound = 1;
            return -1;
        }
        double now = mono();
        struct fjob *j = frontier_next(c->fr, now, &wait);
        if (!j)
            return wait;
        if (host_challenged(c, j->host)) { /* queued after its host answered with a challenge */
            job_gave_up(c, j, "challenge page", 0, FAIL_TRANSIENT);
            fjob_free(j);
            continue;
        }
        if (c->cfg->robots && j->kind != CAPTURE_ROBOTS) {
            char origin[URL_MAX_LEN + 16];
            struct robots_entry *e = NULL;
            if (url_origin(j->url, origin, sizeof origin) == 0) {
                e = robots_find(c, origin);
                if (!e) {
                    char rurl[URL_MAX_LEN + 32];
                    snprintf(rurl, sizeof rurl, "%s/robots.txt", origin);
                    struct fjob *rj = fjob_new(rurl, j->site, CAPTURE_ROBOTS);
                    if (!rj || !robots_add(c, origin) || !(rj->robots_origin = na_strdup(origin))) {
                        fjob_free(rj);
                        fjob_free(j);
                        if (!c->fatal)
                            c->fatal = NA_ENOMEM;
                        return -1;
                    }
                    frontier_seen_add(c->fr, rurl);
                    frontier_block_host(c->fr, j->host, 1);
                    push(c, j, 1);
                    push(c, rj, 1);
                    continue;
                }
                if (!e->ready) {
                    frontier_block_host(c->fr, j->host, 1);
                    push(c, j, 1);
                    continue;
                }
                if (!robots_allowed(e->r, url_path(j->url))) {
                    if (j->kind == CAPTURE_IMAGE)
                        sstat(c, j->site)->images_skipped++;
                    else if (e->unreachable)
                        sstat(c, j->site)->robots_unreachable++;
                    else
                        sstat(c, j->site)->robots_blocked++;
                    log_host(LOG_INFO, j->host, "%s: %s", j->url,
                             e->unreachable ? "not fetched: robots.txt unreachable" : "disallowed by robots.txt");
                    if (j->kind == CAPTURE_LISTING && j->walker >= 0) {
                        c->walkers[j->walker].inflight--;
                        c->walkers[j->walker].ended = 1;
                        c->walkers[j->walker].failed = 1;
                    } else if (j->kind == CAPTURE_ARTICLE && c->a) {
                        alock(c);
                        article_failed(c, j->site, fjob_key(j), "disallowed by robots.txt", 0, FAIL_FINAL);
                        aunlock(c);
                    }
                    fjob_free(j);
                    continue;
                }
            }
        }
        char *etag = NULL, *lm = NULL;
        int conditional = !c->o->backfill && !j->unconditional && !j->post &&
                          (j->kind == CAPTURE_LISTING || j->kind == CAPTURE_FEED || j->kind == CAPTURE_SITEMAP);
        if (j->kind == CAPTURE_LISTING && j->site >= 0 && c->fresh_listing[j->site])
            conditional = 0; /* a 304 would hide whether a fixed article pattern works now */
        if (conditional && c->a) {
            alock(c);
            archive_validators(c->a, j->url, &etag, &lm);
            aunlock(c);
        }
        struct buf err = BUF_INIT;
        struct polite_host *ph = politeness_host(c->pol, j->host);
        if (ph)
            politeness_start(ph, now);
        struct crawl_site_stats *ss = sstat(c, j->site);
        if (ss->t_first == 0)
            ss->t_first = now;
        /* a robots.txt is read as its first part at most; a sitemap may be
         * larger than a page */
        struct fetch_limits lim = { body_cap(c, j->kind), j->kind == CAPTURE_ROBOTS, j->post };
        const struct fetch_net *net = NULL;
        if (j->kind == CAPTURE_ROBOTS)
            lim.max_body = ROBOTS_WIRE_MAX;
        else if (j->kind == CAPTURE_IMAGE && site_of(c, j->site))
            lim.max_body = (size_t)site_of(c, j->site)->requisites_max_size;
        struct fetch_net once;
        if (j->site >= 0 && c->net) {
            net = &c->net[j->site].net;
            if (j->cookie) { /* the cookie of a same-URL redirect, this request only */
                once = c->net[j->site].net;
                once.cookie = j->cookie;
                net = &once;
            }
        }
        int rc = fetch_start_net(c->fetch, j->url, etag, lm, &lim, net, j, &err);
        free(etag);
        free(lm);
        if (rc) {
            if (ph)
                politeness_done(ph, now, POLITE_OK, -1);
            report(c, j->site, j->url, "%s", buf_str(&err));
            job_gave_up(c, j, "cannot start the request", 0, FAIL_FINAL);
            fjob_free(j);
            if (rc == NA_ENOMEM)
                c->fatal = rc;
        }
        buf_release(&err);
    }
    return wait;
}

/* Marks every cron walk "open", synced to disk before anything is
 * fetched (walk_mark_done says why). */
static int walks_open(struct crawl *c)
{
    int any = 0;
    for (size_t i = 0; i < c->nwalkers; i++)
        any |= c->walkers[i].walk_key != NULL;
    if (!c->a || !any)
        return 0;
    alock(c);
    int rc = archive_sync_commits(c->a, 1);
    if (!rc)
        rc = archive_begin(c->a);
    for (size_t i = 0; !rc && i < c->nwalkers; i++)
        if (c->walkers[i].walk_key)
            rc = archive_state_set(c->a, site_name(c, c->walkers[i].site), c->walkers[i].walk_key, "open");
    int crc = archive_commit(c->a);
    if (!rc)
        rc = crc;
    archive_sync_commits(c->a, 0);
    aunlock(c);
    return rc;
}

static int seed(struct crawl *c)
{
    size_t nl = 0;
    for (size_t i = 0; i < c->cfg->nsites; i++)
        if (c->site_on[i])
            nl += c->cfg->sites[i].nlisting + c->cfg->sites[i].nlisting_api;
    c->walkers = na_calloc(nl ? nl : 1, sizeof *c->walkers);
    c->st->listing = na_calloc(nl ? nl : 1, sizeof *c->st->listing);
    if (!c->walkers || !c->st->listing)
        return NA_ENOMEM;
    for (size_t i = 0; i < c->cfg->nsites; i++) {
        if (!c->site_on[i])
            continue;
        struct site *s = &c->cfg->sites[i];
        int rc;
        /* what an earlier (killed) run left queued, and the failures
         * whose next attempt has come, go first */
        alock(c);
        rc = frontier_load(c->fr, c->a, s->name, (int)i, MAX_PENDING_LOAD, c->o->retry_failed);
        aunlock(c);
        if (rc < 0)
            return rc;
        if (rc > 0) {
            c->st->articles_queued += rc;
            log_at(LOG_INFO, "%s: %d articles left by an earlier run or due for a retry queued again", s->name, rc);
        }
        if (c->a) {
            alock(c);
            char *open_alert = archive_state_get(c->a, s->name, HEALTH_STATE_PATTERN);
            aunlock(c);
            c->fresh_listing[i] = open_alert != NULL;
            free(open_alert);
        }
        if (rc >= MAX_PENDING_LOAD)
            cap_once(c, (int)i, CAP_PENDING, "%d pending articles queued from the archive, the most one run takes: "
                     "the rest wait for the next run (MAX_PENDING_LOAD in crawler/crawl.c)", MAX_PENDING_LOAD);
        if (c->o->retry_failed)
            continue; /* backfill --retry-failed: those only */
        for (size_t k = 0; k < s->nlisting; k++) {
            if ((rc = walker_init(c, (int)i, s->listing[k])))
                return rc;
            c->st->listing[c->st->nlisting].site = (size_t)c->site_stat[i];
            c->st->listing[c->st->nlisting++].listing = s->listing[k];
            walker_fill(c, (int)c->nwalkers - 1);
        }
        for (size_t k = 0; k < s->nlisting_api; k++) { /* JSON list APIs: {n} walks */
            if ((rc = walker_init(c, (int)i, s->listing_api[k])))
                return rc;
            c->walkers[c->nwalkers - 1].api = 1;
            c->st->listing[c->st->nlisting].site = (size_t)c->site_stat[i];
            c->st->listing[c->st->nlisting++].listing = s->listing_api[k];
            walker_fill(c, (int)c->nwalkers - 1);
        }
        if (c->o->backfill && s->nlisting)
            continue;
        for (size_t k = 0; k < s->nfeed; k++) {
            char *u = url_canonical(s->feed[k]);
            if (u && queue_url(c, u, (int)i, CAPTURE_FEED, -1, 0) < 0) {
                free(u);
                return NA_ENOMEM;
            }
            free(u);
        }
        for (size_t k = 0; k < s->nsitemap; k++) {
            char *u = url_canonical(s->sitemap[k]);
            if (u && queue_url(c, u, (int)i, CAPTURE_SITEMAP, -1, 0) > 0)
                c->sitemaps_seen[i]++;
            free(u);
        }
    }
    int rc = walks_open(c);
    return rc ? rc : c->fatal;
}

/* ARCHIVE/cookies/SITE.txt, the cookie jar of a site with cookies = yes
 * (the name from the config, which sites.c checked; never from a page). */
/* The network settings of each crawled site (site_net.h, as `try` takes
 * them): the fetch options, the proxy's credentials, the cookie jars in
 * ARCHIVE/cookies; a warning for each site whose certificates are not
 * checked. */
static int net_setup(struct crawl *c, struct buf *err)
{
    struct sites_config *cfg = c->cfg;
    size_t n = cfg->nsites ? cfg->nsites : 1;
    c->net = na_calloc(n, sizeof *c->net);
    if (!c->net) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    for (size_t i = 0; i < cfg->nsites; i++) {
        if (!c->site_on[i])
            continue;
        struct site *s = &cfg->sites[i];
        struct buf e = BUF_INIT;
        int rc = site_net_open(cfg, s, c->a ? archive_dir(c->a) : NULL, 1, &c->net[i], &e);
        if (rc) {
            buf_seterr(err, "%s", buf_str(&e));
            buf_release(&e);
            return rc;
        }
        buf_release(&e);
        if (c->net[i].net.tls_no_verify)
            log_at(LOG_WARN, "%s: tls_verify = no: its servers' certificates are not checked (anyone on the "
                   "path can answer in its name); its https records carry Newsarc-TLS-Verify: no", s->name);
    }
    return 0;
}

/* After the loop is gone: the jars saved, the secrets wiped. */
static void net_teardown(struct crawl *c)
{
    for (size_t i = 0; c->net && i < c->cfg->nsites; i++) {
        if (c->net[i].jar && c->a) {
            struct buf e = BUF_INIT;
            if (fetch_jar_save(c->net[i].jar, &e))
                log_at(LOG_WARN, "%s: cannot keep its cookies: %s", c->cfg->sites[i].name, buf_str(&e));
            buf_release(&e);
        }
        site_net_release(&c->net[i]);
    }
    free(c->net);
    for (size_t i = 0; i < c->nchallenged; i++)
        free(c->challenged[i]);
    free(c->challenged);
    for (size_t i = 0; i < c->nholds; i++)
        free(c->holds[i].host);
    free(c->holds);
}

static int setup(struct crawl *c, const struct crawl_opts *o, struct crawl_stats *st, struct buf *err)
{
    struct sites_config *cfg = o->cfg;
    c->o = o;
    c->cfg = cfg;
    c->a = o->archive;
    c->st = st;
    c->rng = (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ULL;
    c->t0 = mono();
    pthread_mutex_init(&c->alock, NULL);
    buf_init(&c->fatal_msg, 4096);
    crawl_agent_token(cfg->user_agent, c->agent, sizeof c->agent);
    c->site_on = na_calloc(cfg->nsites ? cfg->nsites : 1, sizeof *c->site_on);
    c->site_stat = na_calloc(cfg->nsites ? cfg->nsites : 1, sizeof *c->site_stat);
    c->sitemaps_seen = na_calloc(cfg->nsites ? cfg->nsites : 1, sizeof *c->sitemaps_seen);
    c->fresh_listing = na_calloc(cfg->nsites ? cfg->nsites : 1, sizeof *c->fresh_listing);
    c->caps_said = na_calloc(cfg->nsites ? cfg->nsites : 1, sizeof *c->caps_said);
    if (!c->site_on || !c->site_stat || !c->sitemaps_seen || !c->fresh_listing || !c->caps_said)
        goto nomem;
    for (size_t k = 0; k < o->nsites; k++) {
        struct site *s = sites_find(cfg, o->sites[k]);
        if (!s) {
            buf_seterr(err, "no site '%s' in '%s'", o->sites[k], cfg->path ? cfg->path : "sites.conf");
            return NA_ECONFIG;
        }
        c->site_on[s - cfg->sites] = 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < cfg->nsites; i++) {
        if (!o->nsites && cfg->sites[i].enabled)
            c->site_on[i] = 1;
        c->site_stat[i] = c->site_on[i] ? (int)n++ : -1;
    }
    st->site = na_calloc(n ? n : 1, sizeof *st->site);
    if (!st->site)
        goto nomem;
    st->nsite = n;
    for (size_t i = 0; i < cfg->nsites; i++)
        if (c->site_on[i])
            st->site[c->site_stat[i]].name = cfg->sites[i].name;
    buf_init(&st->errors_text, 64 << 10);
    struct fetch_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.user_agent = cfg->user_agent;
    fo.ca_file = cfg->ca_file;
    fo.connect_timeout = cfg->connect_timeout;
    fo.timeout = cfg->timeout;
    fo.low_speed_time = cfg->low_speed_time;
    fo.max_body = (size_t)cfg->max_page_size;
    fo.concurrency = cfg->concurrency;
    fo.per_host_connections = cfg->per_host_connections;
    fo.resolve = cfg->resolve;
    fo.nresolve = cfg->nresolve;
    if (!(c->fetch = fetch_new(&fo, err)))
        return NA_ENOMEM;
    int nrc = net_setup(c, err);
    if (nrc)
        return nrc;
    c->pol = politeness_new(cfg->delay, cfg->per_host_connections);
    if (c->pol) /* retry_backoff scales the slowed-down host's waits too */
        politeness_set_slow_floor(c->pol, cfg->retry_backoff * POLITENESS_SLOW_FLOOR);
    c->fr = c->pol ? frontier_new(c->pol) : NULL;
    int threads = o->workers > 0 ? o->workers : cfg->workers > 0 ? cfg->workers : pool_cpus();
    /* Room for every transfer in flight to finish into the queue, so that
     * fetching goes on while the workers catch up; beyond that, the loop
     * stops starting transfers (backpressure). */
    int conc = cfg->concurrency > 0 ? cfg->concurrency : 16;
    c->pool = pool_new(threads, (size_t)conc + (size_t)threads * 2, work_run, work_notify, c);
    if (!c->fr || !c->pool)
        goto nomem;
    int trc = c->a ? tstore_crawl_new(c->a, cfg, c->site_on, &c->tmpl, err) : 0;
    if (trc)
        return trc;
    /* Finished jobs are handed back in batches: a worker wakes the loop for
     * a navigation result, when a quarter of the queue waits to be taken, or
     * when the pending jobs run low (a worker is about to idle); not after
     * every job (a wakeup is a syscall and a context switch or two). */
    pool_set_batch(c->pool, ((size_t)conc + (size_t)threads * 2) / 4, (size_t)threads);
    return 0;
nomem:
    buf_seterr(err, "out of memory");
    return NA_ENOMEM;
}

/* Backfill progress: a walk that ended counts the pages it read, not its range. */
static void update_planned(struct crawl *c)
{
    if (!c->o->backfill)
        return;
    long n = 0;
    for (size_t i = 0; i < c->nwalkers; i++) {
        const struct walker *w = &c->walkers[i];
        n += w->ended && !w->inflight ? w->fetched : w->planned > w->fetched ? w->planned : w->fetched;
    }
    c->st->listing_planned = n;
}

static void teardown(struct crawl *c)
{
    if (c->pool)
        log_at(LOG_DEBUG, "profile: %.2f s wall; %d workers busy %.2f s (CPU: decode %.2f s, parse/extract %.2f s, "
               "archive %.2f s); loop thread CPU %.2f s; %ld loop turns, %ld with the queue full, %ld idle polls",
               mono() - c->t0, pool_threads(c->pool), pool_busy(c->pool), c->cpu_decode, c->cpu_parse, c->cpu_archive,
               thread_cpu(), c->loops, c->blocked_pool, c->idle_polls);
    /* the pool first: its jobs refer to the loop's objects */
    if (c->pool) {
        struct work *w;
        while ((w = pool_wait(c->pool)))
            on_work_done(c, w);
        pool_free(c->pool);
    }
    while (c->ready) {
        struct work *w = c->ready;
        c->ready = w->next_ready;
        work_free(w);
    }
    batch_flush(c, 1);
    if (c->tmpl && !c->fatal && !(c->o->stop && *c->o->stop)) { /* earlier articles of a site whose template changed */
        double t0 = thread_cpu();
        tstore_crawl_finish(c->tmpl, (size_t)c->cfg->max_page_size);
        c->cpu_parse += thread_cpu() - t0;
    }
    tstore_crawl_free(c->tmpl);
    c->tmpl = NULL;
    if (c->fetch) {
        struct fetch_result *r;
        while ((r = fetch_next_done(c->fetch))) {
            fjob_free(r->ud);
            fetch_result_free(r);
        }
    }
    fetch_free(c->fetch); /* transfers still running are dropped: their URLs stay pending */
    c->fetch = NULL;
    net_teardown(c);
    frontier_free(c->fr);
    politeness_free(c->pol);
    for (size_t i = 0; i < c->nrobots; i++) {
        free(c->robots[i].origin);
        robots_free(c->robots[i].r);
    }
    free(c->robots);
    if (c->walkers)
        update_planned(c);
    for (size_t i = 0; c->walkers && i < c->nwalkers; i++) {
        free(c->walkers[i].next_url);
        free(c->walkers[i].trs_url);
        free(c->walkers[i].state_key);
        free(c->walkers[i].resume_url);
        free(c->walkers[i].next_post);
        free(c->walkers[i].resume_post);
        free(c->walkers[i].walk_key);
        free(c->walkers[i].done);
    }
    free(c->walkers);
    free(c->site_on);
    free(c->site_stat);
    free(c->sitemaps_seen);
    free(c->fresh_listing);
    free(c->caps_said);
    buf_release(&c->fatal_msg);
    pthread_mutex_destroy(&c->alock);
}

static int walks_busy(struct crawl *c)
{
    for (size_t i = 0; i < c->nwalkers; i++)
        if (!c->walkers[i].ended || c->walkers[i].inflight)
            return 1;
    return 0;
}

static void finish_stats(struct crawl *c)
{
    c->st->elapsed = mono() - c->t0;
    for (size_t i = 0; i < c->st->nsite; i++) {
        struct crawl_site_stats *s = &c->st->site[i];
        s->seconds = s->t_last > s->t_first && s->t_first > 0 ? s->t_last - s->t_first : 0;
    }
}

int crawl_run(const struct crawl_opts *o, struct crawl_stats *st, struct buf *err)
{
    struct crawl c;
    memset(&c, 0, sizeof c);
    memset(st, 0, sizeof *st);
    int rc = setup(&c, o, st, err);
    if (!rc)
        rc = seed(&c);
    double last_progress = 0, stop_at = 0;
    while (!rc) {
        int stopping = c.fatal || (o->stop && *o->stop);
        if (stopping && !stop_at) {
            stop_at = mono();
            st->interrupted = !c.fatal;
            log_at(LOG_INFO, "stopping: waiting for %zu transfers", fetch_active(c.fetch));
        }
        struct work *w;
        while ((w = pool_take(c.pool)))
            on_work_done(&c, w);
        flush_ready(&c);
        double wait = start_transfers(&c, !stopping);
        if (!fetch_active(c.fetch) && !pool_load(c.pool) && !c.nready &&
            (stopping || (!frontier_size(c.fr) && !walks_busy(&c))))
            break;
        if (stopping && mono() - stop_at > 5)
            break; /* transfers still running are dropped */
        if (!frontier_size(c.fr) && !fetch_active(c.fetch) && !pool_load(c.pool) && !c.nready) {
            /* only walks with nothing in flight: they cannot move any more */
            for (size_t i = 0; i < c.nwalkers; i++)
                if (!c.walkers[i].inflight)
                    c.walkers[i].ended = 1;
            continue;
        }
        int ms = 1000 * PROGRESS_EVERY;
        if (wait >= 0 && wait * 1000 < ms)
            ms = (int)(wait * 1000) + 1;
        c.loops++;
        if (!fetch_active(c.fetch) && !pool_load(c.pool))
            c.idle_polls++;
        if (c.pool_bound && !stopping && pool_threads(c.pool) > 0 && pool_unfinished(c.pool) > 0) {
            /* Nothing can start before the workers make room: responses
             * that arrive meanwhile could only wait in the ready list, so
             * they wait in the sockets, and the loop sleeps until the
             * workers call it (pool_set_batch: at the latest when one is
             * about to run dry; a job is running or pending, so that call
             * comes), then reads them all at once. */
            fetch_send(c.fetch); /* what start_transfers started goes out now */
            pool_wait_wake(c.pool, ms);
            fetch_poll(c.fetch, 0);
        } else {
            fetch_poll(c.fetch, ms);
        }
        struct fetch_result *r;
        while ((r = fetch_next_done(c.fetch)))
            on_fetch(&c, r);
        batch_flush(&c, 0);
        double now = mono();
        if (o->progress && now - last_progress >= PROGRESS_EVERY) {
            last_progress = now;
            st->elapsed = now - c.t0;
            update_planned(&c);
            o->progress(st, o->progress_ud);
        }
    }
    if (rc && rc != NA_ECONFIG && !err->len)
        buf_seterr(err, "%s", na_strerror(rc));
    teardown(&c);
    if (!rc && c.fatal) {
        rc = c.fatal;
        buf_seterr(err, "%s", c.fatal_msg.len ? buf_str(&c.fatal_msg) : na_strerror(rc));
    }
    finish_stats(&c);
    if (o->progress)
        o->progress(st, o->progress_ud);
    return rc;
}
