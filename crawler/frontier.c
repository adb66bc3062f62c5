/* frontier.c — the run's crawl queue of frontier.h: hosts in a hash table,
 * each with three FIFO lists; hosts with work in an array scanned round-robin
 * (a few hundred hosts at most per run, so a scan per pick is cheap); a set
 * of 64-bit URL hashes for the run's dedup; thin wrappers over the archive's
 * persistent frontier. */
#include "crawler/frontier.h"
#include "crawler/politeness.h"
#include "crawler/url.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEEN_MAX ((size_t)1 << 26) /* 64 M URLs per run */

struct hset {
    uint64_t *v;  /* open addressing, 0 = empty */
    size_t slots, n;
};

struct fqueue {
    struct fjob *head, *tail;
};

struct fhost {
    char *name;
    struct polite_host *pol;
    struct fqueue q[FRONTIER_NPRIO];
    size_t n;
    int blocked;
    int listed;       /* in f->active */
};

struct frontier {
    struct politeness *pol;
    struct fhost **hosts;    /* open addressing by name */
    size_t nslots, nhosts;
    struct fhost **active;   /* hosts with queued jobs (may hold emptied ones until the next scan) */
    size_t nactive, active_cap, cursor;
    size_t size;
    struct hset seen;        /* every URL queued this run */
    struct hset queued;      /* article URLs queued this run */
};

static int hset_init(struct hset *h);

static uint64_t hash64(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h ? h : 1;
}

struct fjob *fjob_new(const char *url, int site, enum capture_kind kind)
{
    struct fjob *j = na_calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->url = na_strdup(url);
    j->host = url_host(url);
    if (!j->url || !j->host) {
        fjob_free(j);
        return NULL;
    }
    j->site = site;
    j->kind = kind;
    j->prio = kind == CAPTURE_ROBOTS ? FRONTIER_PRIO_ROBOTS
            : kind == CAPTURE_ARTICLE || kind == CAPTURE_OTHER ? FRONTIER_PRIO_ARTICLE
            : kind == CAPTURE_IMAGE ? FRONTIER_PRIO_IMAGE : FRONTIER_PRIO_NAV;
    j->walker = -1;
    return j;
}

void fjob_free(struct fjob *j)
{
    if (!j)
        return;
    free(j->url);
    free(j->host);
    free(j->first_url);
    free(j->chain);
    free(j->robots_origin);
    free(j->post);
    free(j->hint_date);
    free(j->cookie);
    free(j);
}

const char *fjob_key(const struct fjob *j) { return j->first_url ? j->first_url : j->url; }

struct frontier *frontier_new(struct politeness *pol)
{
    struct frontier *f = na_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->pol = pol;
    f->nslots = 64;
    f->hosts = na_calloc(f->nslots, sizeof *f->hosts);
    if (!f->hosts || hset_init(&f->seen) || hset_init(&f->queued)) {
        frontier_free(f);
        return NULL;
    }
    return f;
}

void frontier_free(struct frontier *f)
{
    if (!f)
        return;
    for (size_t i = 0; f->hosts && i < f->nslots; i++) {
        struct fhost *h = f->hosts[i];
        if (!h)
            continue;
        for (int p = 0; p < FRONTIER_NPRIO; p++)
            while (h->q[p].head) {
                struct fjob *j = h->q[p].head;
                h->q[p].head = j->next;
                fjob_free(j);
            }
        free(h->name);
        free(h);
    }
    free(f->hosts);
    free(f->active);
    free(f->seen.v);
    free(f->queued.v);
    free(f);
}

static struct fhost *host_find(const struct frontier *f, const char *name)
{
    size_t i = (size_t)hash64(name) & (f->nslots - 1);
    while (f->hosts[i]) {
        if (strcmp(f->hosts[i]->name, name) == 0)
            return f->hosts[i];
        i = (i + 1) & (f->nslots - 1);
    }
    return NULL;
}

/* The host called name, added if new; NULL with *rc NA_ENOMEM, or
 * NA_ETOOBIG when the run already has FRONTIER_MAX_HOSTS hosts. */
static struct fhost *host_get(struct frontier *f, const char *name, int *rc)
{
    struct fhost *h = host_find(f, name);
    if (h)
        return h;
    *rc = NA_ETOOBIG;
    if (f->nhosts >= FRONTIER_MAX_HOSTS)
        return NULL;
    *rc = NA_ENOMEM;
    if ((f->nhosts + 1) * 2 > f->nslots) {
        size_t n = f->nslots * 2;
        struct fhost **s = na_calloc(n, sizeof *s);
        if (!s)
            return NULL;
        for (size_t i = 0; i < f->nslots; i++)
            if (f->hosts[i]) {
                size_t j = (size_t)hash64(f->hosts[i]->name) & (n - 1);
                while (s[j])
                    j = (j + 1) & (n - 1);
                s[j] = f->hosts[i];
            }
        free(f->hosts);
        f->hosts = s;
        f->nslots = n;
    }
    h = na_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->name = na_strdup(name);
    h->pol = politeness_host(f->pol, name);
    if (!h->name || !h->pol) {
        free(h->name);
        free(h);
        return NULL;
    }
    size_t i = (size_t)hash64(name) & (f->nslots - 1);
    while (f->hosts[i])
        i = (i + 1) & (f->nslots - 1);
    f->hosts[i] = h;
    f->nhosts++;
    return h;
}

int frontier_push(struct frontier *f, struct fjob *j, int front)
{
    int rc = NA_ENOMEM;
    struct fhost *h = host_get(f, j->host, &rc);
    if (!h)
        goto fail;
    if (!h->listed) {
        /* active holds each host once: FRONTIER_MAX_HOSTS bounds it too */
        if ((rc = NA_GROW(f->active, f->active_cap, f->nactive + 1, FRONTIER_MAX_HOSTS)))
            goto fail;
        f->active[f->nactive++] = h;
        h->listed = 1;
    }
    struct fqueue *q = &h->q[j->prio];
    if (front) {
        j->next = q->head;
        q->head = j;
        if (!q->tail)
            q->tail = j;
    } else {
        j->next = NULL;
        if (q->tail)
            q->tail->next = j;
        else
            q->head = j;
        q->tail = j;
    }
    h->n++;
    f->size++;
    return 0;
fail:
    fjob_free(j);
    return rc;
}

/* Unlinks the first job of q that may start at now; tracks the earliest
 * not_before of the others in *soonest. */
static struct fjob *take_ready(struct fqueue *q, double now, double *soonest)
{
    struct fjob *prev = NULL;
    for (struct fjob *j = q->head; j; prev = j, j = j->next) {
        if (j->not_before > now) {
            if (j->not_before < *soonest)
                *soonest = j->not_before;
            continue;
        }
        if (prev)
            prev->next = j->next;
        else
            q->head = j->next;
        if (q->tail == j)
            q->tail = prev;
        j->next = NULL;
        return j;
    }
    return NULL;
}

/* Drops emptied hosts from the active array (keeps order otherwise). */
static void compact_active(struct frontier *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->nactive; i++) {
        struct fhost *h = f->active[i];
        if (h->n) {
            if (i == f->cursor)
                f->cursor = k;
            f->active[k++] = h;
        } else {
            h->listed = 0;
        }
    }
    f->nactive = k;
    if (f->cursor >= k)
        f->cursor = 0;
}

struct fjob *frontier_next(struct frontier *f, double now, double *wait)
{
    double best = -1;
    int emptied = 0;
    for (size_t k = 0; k < f->nactive; k++) {
        size_t idx = (f->cursor + k) % f->nactive;
        struct fhost *h = f->active[idx];
        if (!h->n) {
            emptied = 1;
            continue;
        }
        double w = politeness_wait(h->pol, now);
        if (w < 0)
            continue; /* all its connections busy */
        /* the earliest time a job of this host is due */
        double soonest = 1e300;
        struct fjob *j = NULL;
        for (int p = 0; p < FRONTIER_NPRIO && !j; p++) {
            if (p > FRONTIER_PRIO_ROBOTS && h->blocked)
                break;
            struct fqueue *q = &h->q[p];
            if (!q->head)
                continue;
            if (w > 0) { /* nothing starts here before w: learn when, from the head */
                if (q->head->not_before < soonest)
                    soonest = q->head->not_before;
                continue;
            }
            j = take_ready(q, now, &soonest);
        }
        if (j) {
            h->n--;
            f->size--;
            f->cursor = (idx + 1) % f->nactive;
            if (emptied || !h->n)
                compact_active(f);
            return j;
        }
        if (soonest < 1e300) {
            double due = (soonest > now ? soonest - now : 0);
            if (due < w)
                due = w;
            if (best < 0 || due < best)
                best = due;
        }
    }
    if (emptied)
        compact_active(f);
    *wait = best;
    return NULL;
}

size_t frontier_size(const struct frontier *f) { return f->size; }

void frontier_block_host(struct frontier *f, const char *host, int blocked)
{
    struct fhost *h = host_find(f, host);
    int rc;
    if (!h && blocked)
        h = host_get(f, host, &rc);
    if (h)
        h->blocked = blocked;
}

size_t frontier_drop_host(struct frontier *f, const char *host, void (*fn)(struct fjob *, void *), void *ud)
{
    struct fhost *h = host_find(f, host);
    size_t n = 0;
    if (!h)
        return 0;
    for (int p = 0; p < FRONTIER_NPRIO; p++) {
        while (h->q[p].head) {
            struct fjob *j = h->q[p].head;
            h->q[p].head = j->next;
            if (fn)
                fn(j, ud);
            fjob_free(j);
            n++;
        }
        h->q[p].tail = NULL;
    }
    f->size -= h->n;
    h->n = 0;
    return n;
}

/* ---- the run's URL sets ---- */

static int hset_init(struct hset *h)
{
    h->slots = 1024;
    h->n = 0;
    h->v = na_calloc(h->slots, sizeof *h->v);
    return h->v ? 0 : NA_ENOMEM;
}

static int hset_grow(struct hset *h)
{
    size_t n = h->slots * 2;
    if (n > SEEN_MAX)
        return NA_ETOOBIG;
    uint64_t *s = na_calloc(n, sizeof *s);
    if (!s)
        return NA_ENOMEM;
    for (size_t i = 0; i < h->slots; i++)
        if (h->v[i]) {
            size_t j = (size_t)h->v[i] & (n - 1);
            while (s[j])
                j = (j + 1) & (n - 1);
            s[j] = h->v[i];
        }
    free(h->v);
    h->v = s;
    h->slots = n;
    return 0;
}

static int hset_add(struct hset *h, const char *url)
{
    uint64_t x = hash64(url);
    if ((h->n + 1) * 2 > h->slots) {
        int rc = hset_grow(h);
        if (rc)
            return rc;
    }
    size_t i = (size_t)x & (h->slots - 1);
    while (h->v[i]) {
        if (h->v[i] == x)
            return 0;
        i = (i + 1) & (h->slots - 1);
    }
    h->v[i] = x;
    h->n++;
    return 1;
}

static int hset_has(const struct hset *h, const char *url)
{
    uint64_t x = hash64(url);
    size_t i = (size_t)x & (h->slots - 1);
    while (h->v[i]) {
        if (h->v[i] == x)
            return 1;
        i = (i + 1) & (h->slots - 1);
    }
    return 0;
}

int frontier_seen_add(struct frontier *f, const char *url) { return hset_add(&f->seen, url); }

int frontier_seen(const struct frontier *f, const char *url) { return hset_has(&f->seen, url); }

int frontier_queued_add(struct frontier *f, const char *url) { return hset_add(&f->queued, url); }

int frontier_queued(const struct frontier *f, const char *url) { return hset_has(&f->queued, url); }

/* ---- persistent ---- */

int frontier_persist_new(struct archive *a, const char *site, const char *url, const char *referrer,
                         int depth, int *has_article)
{
    *has_article = 0;
    if (!a)
        return 1;
    int r = archive_has_article(a, url);
    if (r < 0)
        return r;
    if (r > 0) {
        *has_article = 1;
        return 0;
    }
    return archive_frontier_add(a, site, url, referrer, CAPTURE_ARTICLE, depth);
}

int frontier_persist_ok(struct archive *a, const char *url)
{
    if (!a)
        return 0;
    int rc = archive_frontier_done(a, url);
    return rc == NA_ENOTFOUND ? 0 : rc;
}

int frontier_persist_fail(struct archive *a, const char *url, const char *reason, int status, const long *delays,
                          size_t n)
{
    if (!a)
        return 0;
    int rc = archive_frontier_fail(a, url, reason, status, delays, n, time(NULL));
    return rc == NA_ENOTFOUND ? 0 : rc;
}

int frontier_load(struct frontier *f, struct archive *a, const char *site_name, int site, size_t max, int retry_all)
{
    struct frontier_item *items = NULL;
    size_t n = 0;
    if (!a)
        return 0;
    int rc = archive_frontier_list(a, site_name, max, retry_all ? ARCHIVE_FR_RETRY_ALL : ARCHIVE_FR_DUE, &items, &n);
    if (rc < 0)
        return rc;
    int queued = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].kind != CAPTURE_ARTICLE)
            continue;
        /* archived, but the run died before it could say so (or the
         * archive's recovery indexed it): done, not fetched twice */
        int has = archive_has_article(a, items[i].url);
        if (has < 0) {
            rc = has;
            break;
        }
        if (has > 0) {
            if ((rc = archive_frontier_done(a, items[i].url)) < 0)
                break;
            rc = 0;
            continue;
        }
        int s = frontier_seen_add(f, items[i].url);
        if (s < 0) {
            rc = s;
            break;
        }
        if (!s)
            continue;
        struct fjob *j = fjob_new(items[i].url, site, CAPTURE_ARTICLE);
        if (!j) {
            rc = NA_ENOMEM;
            break;
        }
        j->page = items[i].depth;
        if ((rc = frontier_push(f, j, 0)) || (rc = frontier_queued_add(f, items[i].url)) < 0)
            break;
        rc = 0;
        queued++;
    }
    archive_frontier_items_free(items, n);
    return rc < 0 ? rc : queued;
}
