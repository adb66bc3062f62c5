/* template_store.c — site templates in the index and the re-extraction of
 * archived articles with them (template_store.h). */
#include "crawler/template_store.h"
#include "crawler/article_archive.h"
#include "crawler/page.h"
#include "crawler/sites.h"
#include "crawler/template.h"
#include "parser/article.h"
#include "store/archive.h"
#include "store/digest.h"
#include "store/export.h"
#include "store/index.h"
#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int load_cb(void *ud, int64_t hash, int64_t n)
{
    struct template *t = ud;
    if (hash == 0) {
        template_set_articles(t, (long)n);
        return 0;
    }
    return template_put(t, (uint64_t)hash, (long)n);
}

int tstore_load(struct index *ix, const char *site, struct template **out, struct buf *err)
{
    struct template *t = template_new();
    *out = NULL;
    if (!t) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    int rc = index_template_load(ix, site, load_cb, t, err);
    if (rc == NA_ENOMEM)
        buf_seterr(err, "out of memory");
    if (rc) {
        template_free(t);
        return rc;
    }
    template_set_articles(t, template_articles(t)); /* which blocks are learned, with the final count */
    *out = t;
    return 0;
}

struct save {
    struct index *ix;
    const char *site;
};

static int save_cb(void *ud, uint64_t hash, long n)
{
    struct save *s = ud;
    return index_template_put(s->ix, s->site, (int64_t)hash, n);
}

int tstore_save(struct index *ix, const char *site, struct template *t)
{
    struct save s = { ix, site };
    long pruned = 0;
    int rc = template_each_dirty(t, save_cb, &s, &pruned);
    if (!rc && pruned)
        rc = index_template_forget(ix, site, pruned);
    if (!rc)
        rc = index_template_put(ix, site, 0, template_articles(t));
    return rc;
}

static int same(const char *a, const char *b)
{
    return (!a || !*a) ? (!b || !*b) : (b && strcmp(a, b) == 0);
}

/* Drops t's lines from art's text (template.h's rules); explain as
 * template_apply. Returns 0 or NA_ENOMEM. */
static int apply_to(const struct template *t, struct article *art)
{
    if (!t || !art->text)
        return 0;
    struct buf out = BUF_INIT;
    struct template_result r;
    int rc = template_apply(t, art->text, &out, NULL, &r);
    if (!rc && r.dropped) {
        char *s = buf_detach(&out, NULL);
        if (!s)
            return NA_ENOMEM;
        free(art->text);
        art->text = s;
    }
    buf_release(&out);
    return rc;
}

int tstore_reextract(struct archive *a, const struct site *s, const struct template *t, size_t max_body,
                     const char *url, int force, struct buf *err)
{
    struct index *ix = archive_index(a);
    struct index_capture cap;
    struct index_article old;
    struct article art;
    struct buf head = BUF_INIT, body = BUF_INIT;
    memset(&cap, 0, sizeof cap);
    memset(&old, 0, sizeof old);
    article_init(&art);
    int res = TSTORE_FAIL;
    int rc = index_capture_get(ix, url, 1, &cap, err);
    if (rc == 0 || (rc == 1 && (!cap.response.file || cap.status != 200))) {
        res = TSTORE_NONE;
        goto done;
    }
    if (rc < 0)
        goto done;
    /* the archived response through the crawl's one path (page.h) */
    if ((rc = export_response_at(a, &cap.response, &head, &body, err)))
        goto done;
    struct page_opts po;
    struct page_result pr;
    memset(&po, 0, sizeof po);
    po.site = s;
    po.url = url;
    po.now = cap.fetched;
    po.max_body = max_body;
    if ((rc = page_extract(&po, buf_str(&head), head.len, body.data, body.len, &art, &pr, err)))
        goto done;
    if ((rc = apply_to(t, &art))) {
        buf_seterr(err, "out of memory");
        goto done;
    }
    if (!force && index_article_get(ix, url, &old, err) == 1) {
        char d[DIGEST_SHA1_LEN + 1];
        const char *tx = art.text ? art.text : "";
        /* unchanged: the text, every field of util/article_fields.h and the extractor */
        int unchanged = digest_sha1(tx, strlen(tx), d) == 0 && same(old.text_digest, d) &&
                        same(old.extractor_version, ARTICLE_VERSION);
#define SAME_FIELD(name) unchanged = unchanged && same(old.name, art.name);
        ARTICLE_FIELDS(SAME_FIELD)
#undef SAME_FIELD
        if (unchanged) {
            res = TSTORE_SAME;
            goto done;
        }
    }
    struct archive_text text = article_archive_text(&art);
    if ((rc = archive_add_extraction(a, &cap, &text, err)))
        goto done;
    res = TSTORE_NEW;
done:
    index_capture_release(&cap);
    index_article_release(&old);
    article_release(&art);
    buf_release(&head);
    buf_release(&body);
    return res;
}

struct dirty {
    struct archive *a;
    const struct template *t;
    struct tstore_refresh_stats *st;
    char **urls;
    size_t n, cap;
    struct buf text, out;
    int err;
};

static int dirty_cb(void *ud, const struct index_article *art)
{
    struct dirty *d = ud;
    struct template_result r;
    struct buf e = BUF_INIT;
    d->st->checked++;
    buf_reset(&d->text);
    int rc = export_article_text(d->a, art, &d->text, &e);
    buf_release(&e);
    if (rc)
        return 0; /* unreadable: `newsarc verify` says why */
    if ((rc = template_apply(d->t, buf_str(&d->text), &d->out, NULL, &r)))
        return d->err = rc;
    if (!r.dropped)
        return 0;
    d->st->dirty++;
    if ((rc = NA_GROW(d->urls, d->cap, d->n + 1, TEMPLATE_REFRESH_MAX)) || !(d->urls[d->n] = na_strdup(art->url)))
        return d->err = rc ? rc : NA_ENOMEM;
    d->n++;
    return 0;
}

/* The archived text of url without t's lines, as a new extraction: the
 * crawl archived it with this extractor, so its fields stand as they are
 * and only the text changes (no parse). Another extractor's: re-extracted
 * from the response (tstore_reextract). Returns TSTORE_*. */
static int rewrite(struct archive *a, const struct site *s, const struct template *t, size_t max_body,
                   const char *url, struct buf *err)
{
    struct index *ix = archive_index(a);
    struct index_article old;
    struct index_capture cap;
    struct buf text = BUF_INIT, out = BUF_INIT;
    memset(&old, 0, sizeof old);
    memset(&cap, 0, sizeof cap);
    int res = TSTORE_FAIL, rc = index_article_get(ix, url, &old, err);
    if (rc == 1 && !same(old.extractor_version, ARTICLE_VERSION)) {
        index_article_release(&old);
        return tstore_reextract(a, s, t, max_body, url, 0, err);
    }
    struct template_result r;
    if (rc != 1 || export_article_text(a, &old, &text, err) ||
        template_apply(t, buf_str(&text), &out, NULL, &r) || index_capture_by_id(ix, old.capture_id, &cap, err) != 1)
        goto done;
    res = TSTORE_SAME;
    if (!r.dropped)
        goto done;
    struct archive_text at = { .text = buf_str(&out), .extractor = old.extractor_version };
#define OLD_FIELD(name) at.name = old.name;
    ARTICLE_FIELDS(OLD_FIELD)
#undef OLD_FIELD
    res = archive_add_extraction(a, &cap, &at, err) ? TSTORE_FAIL : TSTORE_NEW;
done:
    index_article_release(&old);
    index_capture_release(&cap);
    buf_release(&text);
    buf_release(&out);
    return res;
}

int tstore_refresh(struct archive *a, const struct site *s, const struct template *t, size_t max_body,
                   size_t first, struct tstore_refresh_stats *st, struct buf *err)
{
    struct dirty d;
    memset(&d, 0, sizeof d);
    memset(st, 0, sizeof *st);
    d.a = a;
    d.t = t;
    d.st = st;
    struct index_query q;
    memset(&q, 0, sizeof q);
    q.site = s->name;
    q.order = INDEX_ORDER_ID; /* the first archived first: a new site's dirty ones */
    q.limit = first < TEMPLATE_REFRESH_MAX ? first : TEMPLATE_REFRESH_MAX;
    int rc = index_articles(archive_index(a), &q, dirty_cb, &d, err);
    if (rc == d.err && rc)
        buf_seterr(err, "site template: %s", na_strerror(rc));
    for (size_t i = 0; !rc && i < d.n; i++) {
        if (i % 64 == 0 && archive_begin(a) != 0) {
            buf_seterr(err, "cannot start an index transaction");
            rc = NA_EDB;
            break;
        }
        struct buf e = BUF_INIT;
        int res = rewrite(a, s, t, max_body, d.urls[i], &e);
        st->rewritten += res == TSTORE_NEW;
        st->failed += res == TSTORE_FAIL;
        buf_release(&e);
        if ((i % 64 == 63 || i + 1 == d.n) && archive_commit(a) != 0) {
            buf_seterr(err, "cannot commit the index");
            rc = NA_EDB;
        }
    }
    for (size_t i = 0; i < d.n; i++)
        free(d.urls[i]);
    free(d.urls);
    buf_release(&d.text);
    buf_release(&d.out);
    return rc;
}

/* ---- the crawl's side ---- */

struct tstore_crawl {
    struct archive *a;
    const struct sites_config *cfg;
    size_t n;
    struct template **t;  /* per config site, NULL: not learned */
    unsigned char *dirty, *changed;
    long *changed_at;        /* the site's articles learned when its template last changed */
    long *dropped, *cleaned; /* lines dropped, articles they were dropped from */
    double cpu;              /* thread CPU seconds spent on templates (under the archive lock) */
};

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void tstore_crawl_free(struct tstore_crawl *tc)
{
    if (!tc)
        return;
    for (size_t i = 0; tc->t && i < tc->n; i++)
        template_free(tc->t[i]);
    free(tc->t);
    free(tc->dirty);
    free(tc->changed);
    free(tc->changed_at);
    free(tc->dropped);
    free(tc->cleaned);
    free(tc);
}

int tstore_crawl_new(struct archive *a, const struct sites_config *cfg, const int *on, struct tstore_crawl **out,
                     struct buf *err)
{
    struct tstore_crawl *tc = na_calloc(1, sizeof *tc);
    size_t n = cfg->nsites ? cfg->nsites : 1;
    *out = NULL;
    if (!tc || !(tc->t = na_calloc(n, sizeof *tc->t)) || !(tc->dirty = na_calloc(n, 1)) ||
        !(tc->changed = na_calloc(n, 1)) || !(tc->changed_at = na_calloc(n, sizeof *tc->changed_at)) ||
        !(tc->dropped = na_calloc(n, sizeof *tc->dropped)) || !(tc->cleaned = na_calloc(n, sizeof *tc->cleaned))) {
        tstore_crawl_free(tc);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    tc->a = a;
    tc->cfg = cfg;
    tc->n = cfg->nsites;
    for (size_t i = 0; i < cfg->nsites; i++) {
        if (!on[i] || !cfg->sites[i].learn_boilerplate)
            continue;
        int rc = tstore_load(archive_index(a), cfg->sites[i].name, &tc->t[i], err);
        if (rc) {
            tstore_crawl_free(tc);
            return rc;
        }
    }
    *out = tc;
    return 0;
}

int tstore_crawl_article(struct tstore_crawl *tc, int site, const char *url, char **text)
{
    struct template *t = tc && site >= 0 && (size_t)site < tc->n ? tc->t[site] : NULL;
    if (!t || !*text || !**text)
        return 0;
    double t0 = cpu_now();
    int rc = 0;
    if (archive_has_article(tc->a, url) != 1) {
        rc = template_learn(t, *text);
        if (rc < 0) {
            tc->cpu += cpu_now() - t0;
            return rc;
        }
        tc->dirty[site] = 1;
        if (rc > 0) {
            tc->changed[site] = 1;
            tc->changed_at[site] = template_articles(t);
        }
    }
    struct buf out = BUF_INIT;
    struct template_result r;
    rc = template_apply(t, *text, &out, NULL, &r);
    if (!rc && r.dropped) {
        char *s = buf_detach(&out, NULL);
        if (!s) {
            rc = NA_ENOMEM;
        } else {
            free(*text);
            *text = s;
            tc->dropped[site] += (long)r.dropped;
            tc->cleaned[site]++;
        }
    }
    buf_release(&out);
    tc->cpu += cpu_now() - t0;
    return rc;
}

int tstore_crawl_save(struct tstore_crawl *tc)
{
    double t0 = tc ? cpu_now() : 0;
    for (size_t i = 0; tc && i < tc->n; i++) {
        if (!tc->t[i] || !tc->dirty[i])
            continue;
        int rc = tstore_save(archive_index(tc->a), tc->cfg->sites[i].name, tc->t[i]);
        if (rc)
            return rc;
        tc->dirty[i] = 0;
    }
    if (tc)
        tc->cpu += cpu_now() - t0;
    return 0;
}

void tstore_crawl_finish(struct tstore_crawl *tc, size_t max_body)
{
    double t0 = tc ? cpu_now() : 0;
    int any = 0;
    for (size_t i = 0; tc && i < tc->n; i++) {
        const struct site *s = &tc->cfg->sites[i];
        if (!tc->t[i])
            continue;
        struct tstore_refresh_stats st;
        memset(&st, 0, sizeof st);
        if (tc->changed[i]) {
            struct buf err = BUF_INIT;
            /* the articles archived up to the change, and a few for URLs archived twice */
            size_t first = (size_t)tc->changed_at[i] + TEMPLATE_MIN_ARTICLES;
            if (tstore_refresh(tc->a, s, tc->t[i], max_body, first, &st, &err))
                log_at(LOG_WARN, "site %s: template: earlier articles not re-extracted: %s", s->name, buf_str(&err));
            buf_release(&err);
        }
        log_at(LOG_INFO, "site %s: template: %zu blocks learned from %ld articles; %ld lines dropped from %ld "
               "articles of this run; %ld earlier articles re-extracted without them (%ld checked, %ld failed)",
               s->name, template_nlearned(tc->t[i]), template_articles(tc->t[i]), tc->dropped[i], tc->cleaned[i],
               st.rewritten, st.checked, st.failed);
        any = 1;
    }
    if (any)
        log_at(LOG_DEBUG, "profile: site templates %.3f s CPU (learning and dropping %.3f s, re-extraction %.3f s)",
               tc->cpu + cpu_now() - t0, tc->cpu, cpu_now() - t0);
}

int tstore_try(const char *dir, const char *site, char **text, struct buf *explain)
{
    struct buf path = BUF_INIT, err = BUF_INIT, out = BUF_INIT;
    struct index *ix = NULL;
    struct template *t = NULL;
    int rc = buf_printf(&path, "%s/index.sqlite", dir);
    if (rc)
        goto done;
    if (index_open(buf_str(&path), INDEX_READONLY, &ix, &err) || tstore_load(ix, site, &t, &err)) {
        if (explain)
            buf_printf(explain, "template: none read from '%s': %s\n", dir, buf_str(&err));
        goto done;
    }
    if (explain)
        buf_printf(explain, "template: %zu blocks learned from %ld articles of site %s%s\n", template_nlearned(t),
                   template_articles(t), site,
                   template_articles(t) < TEMPLATE_MIN_ARTICLES ? " (too few to drop anything)" : "");
    struct template_result r;
    if ((rc = template_apply(t, *text ? *text : "", &out, explain, &r)))
        goto done;
    if (r.dropped) {
        char *s = buf_detach(&out, NULL);
        if (!s) {
            rc = NA_ENOMEM;
            goto done;
        }
        free(*text);
        *text = s;
    }
done:
    template_free(t);
    index_close(ix);
    buf_release(&path);
    buf_release(&err);
    buf_release(&out);
    return rc ? NA_ENOMEM : 0;
}
