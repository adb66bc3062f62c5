/* politeness.c — the per-host state of politeness.h: a small hash table of
 * hosts, each with its connections in use, the earliest time of its next
 * request, its delay (config, robots Crawl-delay) and a slow-down factor that
 * 429/503 answers double and a run of successes halves again. */
#include "crawler/politeness.h"
#include "util/mem.h"

#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SLOW_RECOVER_AFTER 3 /* successes in a row that halve the slow-down */
#define MAX_HOSTS 1000000

struct polite_host {
    char *name;
    int active;            /* requests in flight */
    int conns;             /* allowed in parallel */
    double delay;          /* configured delay */
    double crawl_delay;    /* robots Crawl-delay, capped; < 0 none */
    double slow;           /* >= 1 */
    double slow_floor;     /* least delay that slow multiplies */
    int ok_streak;
    int netfail_streak;
    double next_start;     /* earliest start of the next request */
};

struct politeness {
    double delay;
    double slow_floor;
    int conns;
    struct polite_host **slots; /* open addressing, power of two */
    size_t nslots, nhosts;
};

static unsigned long hash_str(const char *s)
{
    unsigned long h = 1469598103934665603UL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211UL;
    return h;
}

struct politeness *politeness_new(double delay, int conns)
{
    struct politeness *p = na_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->delay = delay < 0 ? 0 : delay;
    p->conns = conns < 1 ? 1 : conns;
    p->slow_floor = POLITENESS_SLOW_FLOOR;
    p->nslots = 64;
    p->slots = na_calloc(p->nslots, sizeof *p->slots);
    if (!p->slots) {
        free(p);
        return NULL;
    }
    return p;
}

void politeness_set_slow_floor(struct politeness *p, double seconds)
{
    if (seconds > 0)
        p->slow_floor = seconds;
}

void politeness_free(struct politeness *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nslots; i++)
        if (p->slots[i]) {
            free(p->slots[i]->name);
            free(p->slots[i]);
        }
    free(p->slots);
    free(p);
}

static int grow(struct politeness *p)
{
    size_t n = p->nslots * 2;
    struct polite_host **s = na_calloc(n, sizeof *s);
    if (!s)
        return -1;
    for (size_t i = 0; i < p->nslots; i++) {
        struct polite_host *h = p->slots[i];
        if (!h)
            continue;
        size_t j = hash_str(h->name) & (n - 1);
        while (s[j])
            j = (j + 1) & (n - 1);
        s[j] = h;
    }
    free(p->slots);
    p->slots = s;
    p->nslots = n;
    return 0;
}

struct polite_host *politeness_host(struct politeness *p, const char *host)
{
    size_t i = hash_str(host) & (p->nslots - 1);
    while (p->slots[i]) {
        if (strcmp(p->slots[i]->name, host) == 0)
            return p->slots[i];
        i = (i + 1) & (p->nslots - 1);
    }
    if (p->nhosts >= MAX_HOSTS)
        return NULL;
    if ((p->nhosts + 1) * 2 > p->nslots) {
        if (grow(p))
            return NULL;
        return politeness_host(p, host);
    }
    struct polite_host *h = na_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->name = na_strdup(host);
    if (!h->name) {
        free(h);
        return NULL;
    }
    h->conns = p->conns;
    h->delay = p->delay;
    h->crawl_delay = -1;
    h->slow = 1;
    h->slow_floor = p->slow_floor;
    p->slots[i] = h;
    p->nhosts++;
    return h;
}

const char *politeness_host_name(const struct polite_host *h) { return h->name; }

void politeness_set_delay(struct polite_host *h, double delay)
{
    if (delay >= 0)
        h->delay = delay;
}

void politeness_set_crawl_delay(struct polite_host *h, double crawl_delay)
{
    if (crawl_delay < 0 || isnan(crawl_delay))
        h->crawl_delay = -1;
    else
        h->crawl_delay = crawl_delay > POLITENESS_MAX_CRAWL_DELAY ? POLITENESS_MAX_CRAWL_DELAY : crawl_delay;
}

double politeness_delay(const struct polite_host *h)
{
    double d = h->delay;
    if (h->crawl_delay > d)
        d = h->crawl_delay;
    if (h->slow > 1) /* a slowed host waits even when politeness is off */
        d = (d < h->slow_floor ? h->slow_floor : d) * h->slow;
    return d;
}

double politeness_wait(const struct polite_host *h, double now)
{
    if (h->active >= h->conns)
        return -1;
    return h->next_start > now ? h->next_start - now : 0;
}

void politeness_start(struct polite_host *h, double now)
{
    h->active++;
    double next = now + politeness_delay(h);
    if (next > h->next_start)
        h->next_start = next;
}

void politeness_done(struct polite_host *h, double now, enum polite_outcome outcome, double retry_after)
{
    if (h->active > 0)
        h->active--;
    switch (outcome) {
    case POLITE_OK:
        h->netfail_streak = 0;
        if (h->slow > 1 && ++h->ok_streak >= SLOW_RECOVER_AFTER) {
            h->slow /= 2;
            if (h->slow < 1)
                h->slow = 1;
            h->ok_streak = 0;
        }
        break;
    case POLITE_SLOWDOWN: {
        h->netfail_streak = 0;
        h->ok_streak = 0;
        h->slow *= 2;
        if (h->slow > POLITENESS_MAX_SLOW)
            h->slow = POLITENESS_MAX_SLOW;
        double wait = politeness_delay(h);
        if (retry_after > wait)
            wait = retry_after;
        if (now + wait > h->next_start)
            h->next_start = now + wait;
        break;
    }
    case POLITE_NETFAIL:
        h->ok_streak = 0;
        h->netfail_streak++;
        break;
    }
}

int politeness_host_down(const struct polite_host *h) { return h->netfail_streak >= POLITENESS_DOWN_AFTER; }

int politeness_active(const struct polite_host *h) { return h->active; }

double politeness_slow(const struct polite_host *h) { return h->slow; }

double politeness_backoff(int attempt, double base, double cap, double u)
{
    if (attempt < 1)
        attempt = 1;
    if (u < 0 || u >= 1 || isnan(u))
        u = 0;
    double d = base;
    for (int i = 1; i < attempt && d < cap; i++)
        d *= 2;
    if (d > cap)
        d = cap;
    return d / 2 + u * d / 2;
}

double politeness_retry_after(const char *value, time_t now)
{
    if (!value)
        return -1;
    while (*value == ' ' || *value == '\t')
        value++;
    if (*value >= '0' && *value <= '9') {
        char *end;
        unsigned long long v = strtoull(value, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        if (*end)
            return -1;
        return v > 86400ULL * 365 ? 86400.0 * 365 : (double)v;
    }
    time_t t = curl_getdate(value, NULL);
    if (t == (time_t)-1)
        return -1;
    return t > now ? (double)(t - now) : 0;
}
