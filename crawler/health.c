/* health.c — site health after a run (health.h): per site and alert, a
 * verdict from the run's statistics and the state table, and one state
 * machine that says an alert when it starts and when it clears. State keys
 * per site: "alert.KIND" = "SINCE MESSAGE" while open (removed when it
 * clears), "health.links LISTING" = the last non-zero count of article links
 * of that listing's first page, "health.last_new" / "health.quiet_runs" for
 * silent, "health.failures" = failing runs in a row for unreachable. */
#include "crawler/health.h"
#include "crawler/crawl_stats.h"
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const kind_names[HEALTH_NKIND] = { "pattern", "silent", "empty", "unreachable", "challenge" };

const char *health_kind_name(enum health_kind k)
{
    return k >= 0 && k < HEALTH_NKIND ? kind_names[k] : "?";
}

void health_report_init(struct health_report *r) { memset(r, 0, sizeof *r); }

void health_report_release(struct health_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].site);
        free(r->v[i].message);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

_Static_assert(HEALTH_MAX_ALERTS >= (size_t)SITES_MAX_SITES * HEALTH_NKIND, "a report holds every alert of every site");

static int report_add(struct health_report *r, const char *site, enum health_kind kind, enum health_change ch,
                      time_t since, const char *message)
{
    int rc = NA_GROW(r->v, r->cap, r->n + 1, HEALTH_MAX_ALERTS);
    if (rc)
        return rc;
    struct health_alert *a = &r->v[r->n];
    a->site = na_strdup(site);
    a->message = na_strdup(message ? message : "");
    if (!a->site || !a->message) {
        free(a->site);
        free(a->message);
        return NA_ENOMEM;
    }
    a->kind = kind;
    a->change = ch;
    a->since = since;
    r->n++;
    if (ch != HEALTH_CLEARED)
        r->open++;
    return 0;
}

/* ---- the state ---- */

static char *store_get(void *ud, const char *site, const char *key) { return archive_state_get(ud, site, key); }
static int store_set(void *ud, const char *site, const char *key, const char *value)
{
    return archive_state_set(ud, site, key, value);
}

void health_store_archive(struct health_store *hs, struct archive *a)
{
    hs->get = store_get;
    hs->set = store_set;
    hs->ud = a;
}

static long get_long(const struct health_store *hs, const char *site, const char *key, long def)
{
    char *v = hs->get(hs->ud, site, key);
    if (!v)
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v)
        n = def;
    free(v);
    return n;
}

static int set_long(const struct health_store *hs, const char *site, const char *key, long n)
{
    char v[32];
    snprintf(v, sizeof v, "%ld", n);
    return hs->set(hs->ud, site, key, v);
}

int health_update(const struct health_store *hs, const char *site, enum health_kind kind, int verdict,
                  const char *message, time_t now, struct health_report *out)
{
    char key[32];
    snprintf(key, sizeof key, "alert.%s", health_kind_name(kind));
    char *cur = hs ? hs->get(hs->ud, site, key) : NULL;
    time_t since = now;
    const char *was = "";
    if (cur) {
        char *end;
        long long t = strtoll(cur, &end, 10);
        if (end != cur) {
            since = (time_t)t;
            was = *end == ' ' ? end + 1 : end;
        } else {
            was = cur;
        }
    }
    int rc = 0;
    if (verdict > 0 && !cur) {
        if (hs) {
            struct buf v = BUF_INIT;
            buf_printf(&v, "%lld %.*s", (long long)now, HEALTH_MAX_MESSAGE, message ? message : "");
            rc = v.err ? v.err : hs->set(hs->ud, site, key, buf_str(&v));
            buf_release(&v);
        }
        if (!rc)
            rc = report_add(out, site, kind, HEALTH_STARTED, now, message);
    } else if (verdict == 0 && cur) {
        rc = hs->set(hs->ud, site, key, NULL);
        if (!rc)
            rc = report_add(out, site, kind, HEALTH_CLEARED, since, was);
    } else if (cur) {
        rc = report_add(out, site, kind, HEALTH_STILL, since, was);
    }
    free(cur);
    return rc;
}

/* ---- looking at links ---- */

/* Length of "scheme://host[:port]" of a canonical URL, 0 when none. */
static size_t origin_len(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    const char *e = strchr(p + 3, '/');
    return e ? (size_t)(e - url) : strlen(url);
}

static int pager_name(const char *seg, size_t n)
{
    static const char *const names[] = { "list", "index", "page", "category", "default", "more", "tag", "node" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t k = strlen(names[i]);
        if (n >= k && strncasecmp(seg, names[i], k) == 0)
            return 1;
    }
    return 0;
}

static int article_like(const char *page_url, const char *url)
{
    size_t po = origin_len(page_url), uo = origin_len(url);
    if (!po || po != uo || strncmp(page_url, url, po) != 0 || strcmp(page_url, url) == 0)
        return 0;
    const char *path = url + uo;
    if (!*path || strcmp(path, "/") == 0)
        return 0;
    size_t plen = strcspn(path, "?#");
    int run = 0, best = 0;
    for (const char *p = path; *p && *p != '#'; p++) {
        run = *p >= '0' && *p <= '9' ? run + 1 : 0;
        if (run > best)
            best = run;
    }
    static const char *const exts[] = { ".html", ".htm", ".shtml", ".php", ".asp", ".aspx", ".jsp" };
    int ext = 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t k = strlen(exts[i]);
        if (plen > k && strncasecmp(path + plen - k, exts[i], k) == 0)
            ext = 1;
    }
    const char *seg = path;
    for (const char *p = path; p < path + plen; p++)
        if (*p == '/')
            seg = p + 1;
    if (best < 3 && pager_name(seg, (size_t)(path + plen - seg)))
        return 0; /* list_2.html, index_1.html, category-2.html: a pager */
    int score = (best >= 3 ? 2 : best >= 1 ? 1 : 0) + ext;
    return best || ext ? score : 0;
}

int health_article_like(const char *page_url, const char *url)
{
    return page_url && url ? article_like(page_url, url) : 0;
}

int health_listing_probe(const char *page_url, const char *utf8, size_t n, long *links, char *samples, size_t cap)
{
    struct url_list all;
    struct buf err = BUF_INIT;
    url_list_init(&all, 0);
    *links = 0;
    if (cap)
        samples[0] = 0;
    int rc = discover_listing(NULL, page_url, utf8, n, &all, NULL, &err);
    buf_release(&err);
    if (rc) {
        url_list_release(&all);
        return rc;
    }
    *links = (long)all.n;
    size_t used = 0;
    for (int want = 3, taken = 0; want >= 1 && taken < 3; want--) {
        for (size_t i = 0; i < all.n && taken < 3; i++) {
            if (article_like(page_url, all.v[i]) != want)
                continue;
            size_t k = strlen(all.v[i]);
            if (used + k + 2 > cap)
                continue;
            if (used)
                samples[used++] = ' ';
            memcpy(samples + used, all.v[i], k + 1);
            used += k;
            taken++;
        }
    }
    url_list_release(&all);
    return 0;
}

size_t health_text_chars(const char *text, size_t limit)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)text; p && *p && n < limit; p++)
        if ((*p & 0xC0) != 0x80 && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            n++;
    return n;
}

/* ---- pattern typos ---- */

/* After a bracket expression starting at re[i] == '[': the index past ']'. */
static size_t skip_bracket(const char *re, size_t i)
{
    size_t j = i + 1;
    if (re[j] == '^')
        j++;
    if (re[j] == ']')
        j++;
    while (re[j] && re[j] != ']') {
        if (re[j] == '[' && (re[j + 1] == ':' || re[j + 1] == '.' || re[j + 1] == '=')) {
            char close = re[j + 1];
            const char *e = strchr(re + j + 2, close);
            while (e && e[1] != ']')
                e = strchr(e + 1, close);
            if (!e)
                return strlen(re);
            j = (size_t)(e - re) + 2;
            continue;
        }
        j++;
    }
    return re[j] ? j + 1 : j;
}

int health_pattern_hint(const char *re, char *out, size_t cap)
{
    static const char *const exts[] = { "php", "asp", "aspx", "jsp", "jspx", "htm", "html", "shtml", "cgi", "do",
                                        "action" };
    for (size_t i = 0; re && re[i];) {
        if (re[i] == '\\') {
            i += re[i + 1] ? 2 : 1;
            continue;
        }
        if (re[i] == '[') {
            i = skip_bracket(re, i);
            continue;
        }
        if (re[i] != '?' || i == 0 || !((re[i - 1] >= 'a' && re[i - 1] <= 'z') || (re[i - 1] >= 'A' && re[i - 1] <= 'Z') ||
                                        (re[i - 1] >= '0' && re[i - 1] <= '9'))) {
            i++;
            continue;
        }
        size_t w = i; /* the letters before '?' */
        while (w > 0 && ((re[w - 1] >= 'a' && re[w - 1] <= 'z') || (re[w - 1] >= 'A' && re[w - 1] <= 'Z')))
            w--;
        const char *ext = NULL;
        for (size_t k = 0; k < sizeof exts / sizeof exts[0] && !ext; k++) {
            size_t n = strlen(exts[k]);
            if (i - w >= n && i >= n + 1 && re[i - n - 1] == '.' && strncasecmp(re + i - n, exts[k], n) == 0)
                ext = re + i - n;
        }
        size_t q = i + 1; /* a query key after it: "?id=" */
        while ((re[q] >= 'a' && re[q] <= 'z') || (re[q] >= 'A' && re[q] <= 'Z') || (re[q] >= '0' && re[q] <= '9') ||
               re[q] == '_')
            q++;
        int key = q > i + 1 && re[q] == '=';
        /* "\.html?$" (htm or html) is meant; "\.php?id=", "\.php?.*" are not */
        int tail = re[i + 1] && !strchr("$)|", re[i + 1]);
        if ((ext && tail) || key) {
            size_t from = i >= 12 ? i - 12 : 0;
            snprintf(out, cap,
                     "the unescaped '?' in '%s%.24s%s' makes the '%c' before it optional and never matches the '?' "
                     "of a URL: did you mean \\?",
                     from ? "..." : "", re + from, strlen(re + from) > 24 ? "..." : "", re[i - 1]);
            return 1;
        }
        i++;
    }
    return 0;
}

/* ---- the verdicts ---- */

static const struct site *find_site(const struct sites_config *cfg, const char *name)
{
    for (size_t i = 0; cfg && name && i < cfg->nsites; i++)
        if (strcmp(cfg->sites[i].name, name) == 0)
            return &cfg->sites[i];
    return NULL;
}

static void fmt_time(time_t t, char *out, size_t cap)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(out, cap, "%lld", (long long)t);
}

/* The message for a listing whose first page yielded no article link. */
static void pattern_message(const struct site *s, const struct crawl_listing_stats *ls, long before, struct buf *m)
{
    if (before > 0)
        buf_printf(m, "listing page '%s' yields no article links (it yielded %ld before); it has %ld link%s",
                   ls->listing, before, ls->links, ls->links == 1 ? "" : "s");
    else if (ls->links > 0 && s && s->narticle == 1)
        buf_printf(m, "none of the %ld link%s on listing page '%s' matches article = %s", ls->links,
                   ls->links == 1 ? "" : "s", ls->listing, s->article[0]);
    else if (ls->links > 0)
        buf_printf(m, "none of the %ld link%s on listing page '%s' matches the site's article patterns", ls->links,
                   ls->links == 1 ? "" : "s", ls->listing);
    else
        buf_printf(m, "listing page '%s' has no links at all (written by a script, or not a listing?)", ls->listing);
    if (ls->links > 0 && ls->samples[0]) {
        buf_adds(m, "; links that look like articles: ");
        for (const char *p = ls->samples; *p; p++)
            buf_adds(m, *p == ' ' ? ", " : (char[]){ *p, 0 });
    }
    char hint[400];
    for (size_t k = 0; s && k < s->narticle; k++)
        if (health_pattern_hint(s->article[k], hint, sizeof hint)) {
            buf_printf(m, "; article = %s: %s", s->article[k], hint);
            break;
        }
}

/* pattern: 1 when the first page of a listing read this run yielded no
 * article link, 0 when every one read yielded some, -1 none was read. */
static int judge_pattern(const struct site *s, const struct crawl_stats *st, size_t si,
                         const struct health_store *hs, struct buf *m)
{
    int ok = 0, bad = 0;
    const struct crawl_listing_stats *first = NULL;
    for (size_t i = 0; i < st->nlisting; i++) {
        const struct crawl_listing_stats *ls = &st->listing[i];
        if (ls->site != si || !ls->listing || !ls->state)
            continue;
        char key[40 + 2048];
        snprintf(key, sizeof key, "health.links %.2048s", ls->listing);
        if (ls->articles > 0) {
            ok++;
            if (hs && ls->state == 1 && get_long(hs, st->site[si].name, key, 0) != ls->articles &&
                set_long(hs, st->site[si].name, key, ls->articles) < 0)
                return NA_EDB;
            continue;
        }
        if (ls->state != 1)
            continue; /* a 304: nothing new to tell */
        if (!bad++) {
            pattern_message(s, ls, hs ? get_long(hs, st->site[si].name, key, 0) : 0, m);
            first = ls;
        }
    }
    if (bad > 1)
        buf_printf(m, "; %d more listing%s of the site yield%s none", bad - 1, bad > 2 ? "s" : "", bad > 2 ? "" : "s");
    if (first && first->links > 0)
        buf_printf(m, " (see: newsarc try --listing '%s')", first->listing);
    return bad ? 1 : ok ? 0 : -1;
}

static int judge_silent(const struct site *s, const struct crawl_site_stats *ss, const struct health_store *hs,
                        time_t now, struct buf *m)
{
    if (!s || (s->alert_after_runs <= 0 && s->alert_after_secs <= 0))
        return 0;
    if (ss->articles_new > 0) {
        if (hs->set(hs->ud, ss->name, "health.quiet_runs", "0") < 0 || set_long(hs, ss->name, "health.last_new", now) < 0)
            return NA_EDB;
        return 0;
    }
    long runs = get_long(hs, ss->name, "health.quiet_runs", 0) + 1;
    long last = get_long(hs, ss->name, "health.last_new", -1);
    if (set_long(hs, ss->name, "health.quiet_runs", runs) < 0 ||
        (last < 0 && set_long(hs, ss->name, "health.last_new", (long)now) < 0))
        return NA_EDB;
    if (last < 0)
        last = (long)now; /* watched from now on */
    char since[40];
    fmt_time((time_t)last, since, sizeof since);
    double days = (double)(now - last) / 86400.0;
    if (s->alert_after_runs > 0) {
        if (runs < s->alert_after_runs)
            return 0;
        buf_printf(m, "no new article in the last %ld runs (since %s)", runs, since);
    } else {
        if ((double)(now - last) < s->alert_after_secs)
            return 0;
        buf_printf(m, "no new article for %.1f days (since %s)", days, since);
    }
    buf_adds(m, "; the site may have moved its news, or its listing pages no longer show new ones");
    return 1;
}

static int judge_empty(const struct crawl_site_stats *ss, struct buf *m)
{
    if (ss->articles_new < HEALTH_EMPTY_MIN)
        return -1;
    if (ss->articles_poor * 2 <= ss->articles_new)
        return 0;
    buf_printf(m, "%ld of %ld new articles came out empty, very short (under %d characters) or without a date "
               "(%ld short, %ld undated); look at one with newsarc try --explain URL", ss->articles_poor,
               ss->articles_new, CRAWL_SHORT_TEXT, ss->articles_short, ss->articles_undated);
    return 1;
}

static int judge_unreachable(const struct site *s, const struct crawl_site_stats *ss, const struct health_store *hs,
                             struct buf *m)
{
    int failing = ss->robots_failed > 0 || ss->listing_failed > 0;
    long runs = failing ? get_long(hs, ss->name, "health.failures", 0) + 1 : 0;
    if (set_long(hs, ss->name, "health.failures", runs) < 0)
        return NA_EDB;
    int k = s ? s->alert_failures : 3;
    if (!failing || k <= 0 || runs < k)
        return 0;
    if (ss->robots_failed)
        buf_printf(m, "robots.txt unreachable (%s)", ss->robots_why);
    else
        buf_printf(m, "listing page %s", ss->listing_why);
    buf_printf(m, " on %ld runs in a row: nothing was fetched from %s", runs,
               ss->robots_failed ? "its origin" : "that listing");
    return 1;
}

/* An anti-bot answer this run (crawl.c keeps the first, described); a run
 * that read listing pages without one clears it; else it cannot tell. */
static int judge_challenge(const struct crawl_site_stats *ss, struct buf *m)
{
    if (ss->challenge[0]) {
        buf_adds(m, ss->challenge);
        return 1;
    }
    return ss->listing_pages > 0 || ss->feeds > 0 || ss->sitemaps > 0 ? 0 : -1;
}

int health_judge(const struct sites_config *cfg, const struct crawl_stats *st, const struct health_store *hs,
                 time_t now, struct health_report *out, struct buf *err)
{
    struct buf m;
    buf_init(&m, 64 << 10);
    int rc = 0;
    for (size_t si = 0; si < st->nsite && !rc; si++) {
        const struct crawl_site_stats *ss = &st->site[si];
        const struct site *s = find_site(cfg, ss->name);
        for (int kind = 0; kind < HEALTH_NKIND && !rc; kind++) {
            buf_reset(&m);
            int verdict = -1;
            switch (kind) {
            case HEALTH_PATTERN: verdict = judge_pattern(s, st, si, hs, &m); break;
            case HEALTH_SILENT: verdict = hs ? judge_silent(s, ss, hs, now, &m) : -1; break;
            case HEALTH_EMPTY: verdict = judge_empty(ss, &m); break;
            case HEALTH_UNREACHABLE: verdict = hs ? judge_unreachable(s, ss, hs, &m) : -1; break;
            default: verdict = judge_challenge(ss, &m); break;
            }
            if (verdict < -1)
                rc = verdict;
            else if (m.err)
                rc = m.err;
            else
                rc = health_update(hs, ss->name, (enum health_kind)kind, verdict, buf_str(&m), now, out);
            if (rc)
                buf_seterr(err, "%s: site health (%s): %s", ss->name, health_kind_name((enum health_kind)kind),
                           na_strerror(rc));
        }
    }
    buf_release(&m);
    return rc;
}
