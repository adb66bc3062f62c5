/* discover.h — finding URLs to fetch: article links and the next-page link
 * of a listing page (rel=next, 下一页/下页/后页/›/Next…), items of RSS/Atom
 * feeds and URLs of sitemaps and sitemap indexes (libxml2). Results are
 * resolved against the page URL and canonicalized (url.h); scope and the
 * site's article patterns are applied by the caller via discover_is_article. */
#ifndef NA_DISCOVER_H
#define NA_DISCOVER_H

#include <stddef.h>
#include "util/buf.h"

struct site;

struct url_list {
    char **v;       /* malloc'd canonical URLs, in page order, no duplicates */
    size_t n, cap;
    size_t max;     /* cap on entries (0 = 10,000) */
};

void url_list_init(struct url_list *l, size_t max);
void url_list_release(struct url_list *l);
/* Adds a copy unless present. 1 added, 0 present or full, <0 out of memory. */
int url_list_add(struct url_list *l, const char *url);

/* From a listing page (UTF-8 HTML): every in-scope link that matches the
 * site's article patterns goes to articles; the next-page link (if any) to
 * *next (malloc'd). */
int discover_listing(const struct site *s, const char *page_url, const char *html, size_t n,
                     struct url_list *articles, char **next, struct buf *err);
/* Items of an RSS 2.0 / RSS 1.0 / Atom feed (raw bytes; XML decides its charset). */
int discover_feed(const struct site *s, const char *feed_url, const char *xml, size_t n,
                  struct url_list *articles, struct buf *err);
/* URLs of a sitemap (<urlset>) go to articles; of a sitemap index (<sitemapindex>)
 * to sitemaps. Gzip-compressed sitemaps are accepted. */
int discover_sitemap(const struct site *s, const char *sitemap_url, const char *xml, size_t n,
                     struct url_list *articles, struct url_list *sitemaps, struct buf *err);
/* 1 if url matches one of the site's article patterns and is in scope. */
int discover_is_article(const struct site *s, const char *url);
/* Expands a {n} listing template for page n (1-based); malloc'd. */
char *discover_page_url(const char *tmpl, int n);

#endif
