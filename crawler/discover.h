/* discover.h — finding URLs to fetch: article links and the next-page link
 * of a listing page (rel=next, 下一页/下页/后页/›/Next…, a numbered pager),
 * items of RSS/Atom feeds and URLs of sitemaps and sitemap indexes (libxml2,
 * never loading external entities or DTDs). Results are resolved against the
 * page URL and canonicalized (url.h). When a site is given, the article
 * results are filtered with discover_is_article (scope + article patterns);
 * with s == NULL nothing is filtered (for `newsarc try` without a config). */
#ifndef NA_DISCOVER_H
#define NA_DISCOVER_H

#include <stddef.h>
#include "util/buf.h"

struct site;

#define DISCOVER_MAX_XML ((size_t)50 << 20) /* feed/sitemap bytes, also after gunzip */

#define DISCOVER_MAX_LINKS 50000     /* links read per listing page (at least; 4 x the list's max if more) */
#define DISCOVER_MAX_TEXT_LINES 50000 /* lines read of a text sitemap (the sitemap protocol's limit) */
#define DISCOVER_MAX_PAGER_LINKS 1000 /* numbered pager links kept per listing page (the rest: cut) */

struct url_list {
    char **v;       /* malloc'd canonical URLs, in page order, no duplicates */
    size_t n, cap;
    size_t max;     /* cap on entries (0 = 10,000) */
    size_t dropped; /* new URLs refused because the list was full */
    const char *cut;/* static: the discover cap that stopped reading the input
                       early ("links per listing page (DISCOVER_MAX_LINKS…)") or
                       dropped pager links (DISCOVER_MAX_PAGER_LINKS), or NULL */
    size_t *slots;  /* private: hash index of v (index + 1, 0 = empty) */
    size_t nslots;
};

void url_list_init(struct url_list *l, size_t max);
void url_list_release(struct url_list *l);
/* Adds a copy unless present. 1 added, 0 present or full (full: counted in
 * l->dropped), <0 out of memory. */
int url_list_add(struct url_list *l, const char *url);
/* 1 if url is in the list. */
int url_list_has(const struct url_list *l, const char *url);

/* From a listing page (UTF-8 HTML; convert with charset_to_utf8 first): the
 * <a href> and <area href> links, resolved against <base href> or page_url,
 * that discover_is_article accepts go to articles (page order); the
 * next-page link, if any, to *next (malloc'd, in scope; NULL when none):
 * rel=next on <link>/<a>, else a link whose text is 下一页/下页/后页/下一頁/
 * ›/»/>/Next/next page (decorations such as "[下一页]" or "Next »" allowed),
 * else the numbered pager's link to the current page + 1, else a link with
 * class next/nxt. articles or next may be NULL (not wanted). Returns 0, or a
 * negative NA_* code with a message in err (out of memory, unparseable page). */
int discover_listing(const struct site *s, const char *page_url, const char *html, size_t n,
                     struct url_list *articles, char **next, struct buf *err);
/* discover_listing for a page decoded from `charset` (the name in struct
 * charset_info; NULL: UTF-8): query strings of links are encoded in it, as
 * browsers do (url_resolve_cs). */
int discover_listing_cs(const struct site *s, const char *page_url, const char *charset, const char *html,
                        size_t n, struct url_list *articles, char **next, struct buf *err);
/* Items of an RSS 2.0 (item/link, else item/guid permalink), RSS 1.0/RDF
 * (item/link, item/@rdf:about) or Atom (entry/link rel=alternate, xml:base
 * honoured) feed, raw bytes up to DISCOVER_MAX_XML. The bytes are repaired
 * first (xmlfix.h): decoded by their BOM or XML declaration (labels mapped
 * as charset.h maps them: gb2312/gbk → GB18030), junk before "<?xml"
 * dropped, stray '&' and HTML entities kept as text. Malformed XML is then
 * recovered where libxml2 can; NA_EPARSE when it yields no document. */
int discover_feed(const struct site *s, const char *feed_url, const char *xml, size_t n,
                  struct url_list *articles, struct buf *err);
/* URLs of a sitemap (<urlset>) go to articles; of a sitemap index (<sitemapindex>)
 * to sitemaps (in scope when s is given). Gzip-compressed bodies are inflated
 * up to DISCOVER_MAX_XML (NA_ETOOBIG beyond); a text sitemap (one URL per
 * line) and an RSS/Atom feed given as a sitemap are accepted too. */
int discover_sitemap(const struct site *s, const char *sitemap_url, const char *xml, size_t n,
                     struct url_list *articles, struct url_list *sitemaps, struct buf *err);
/* 1 if url is in the site's scope (url_in_scope) and matches one of its
 * article patterns (regexec, unanchored unless the pattern says ^/$, on the
 * canonical URL); a site without patterns accepts every in-scope URL. Uses
 * site.article_re when prepared (site_prepare), else compiles on the fly.
 * Thread-safe. */
int discover_is_article(const struct site *s, const char *url);
/* Expands a {n} listing template for page n (1-based): every "{n}" becomes
 * the number; malloc'd (NULL when out of memory). A URL without {n} is
 * returned as is. */
char *discover_page_url(const char *tmpl, int n);

#endif
