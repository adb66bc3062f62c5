/* discover.h — finding URLs to fetch: article links and the next-page link
 * of a listing page (rel=next, 下一页/下页/后页/›/Next…, a numbered pager,
 * a <select> pager, the TRS and Hanweb shapes: discover_listing_shape),
 * items of JSON list APIs (discover_json),
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

/* What a listing says about one of its links (discover_listing with
 * url_list.want_hints): the link text and the date printed beside it. */
struct url_hint {
    char *text;     /* link text, whitespace collapsed, at most ~300 bytes; or NULL */
    char *date;     /* "YYYY-MM-DD" (or with "THH:MM:SS") beside the link; or NULL */
};

struct url_list {
    char **v;       /* malloc'd canonical URLs, in page order, no duplicates */
    struct url_hint *hint; /* with want_hints: hint[i] for v[i] (else NULL) */
    size_t hint_cap;
    int want_hints; /* set before filling: keep link text and date hints */
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
/* The hint of url (NULL when none or not wanted). */
const struct url_hint *url_list_hint(const struct url_list *l, const char *url);

/* The listing shapes recognised by structure (never by host name). */
enum listing_kind {
    LISTING_HTML = 0,   /* links and a next-page link or pager in the HTML */
    LISTING_TRS,        /* TRS WCM: createPageHTML(count, current, "name", "ext") in a script */
    LISTING_HANWEB,     /* Hanweb JCMS: <datastore> records (+ jpage's dataproxy.jsp POST) */
    LISTING_JSON,       /* a JSON list API (sites.conf listing_api) */
};

/* What discover_listing_shape saw besides the links. */
struct listing_shape {
    enum listing_kind kind;
    const char *next_from;  /* static: how the next page was found ("rel=next", "next-page text",
                               "numbered pager", "class next", "createPageHTML", "<select> pager",
                               "jpage", "{n} template"), or NULL */
    int pages;              /* TRS: the page count; Hanweb: jpage pages (total / per page), 0 unknown */
    int current;            /* TRS: the current page, 0-based */
    char name[64], ext[16]; /* TRS: the page name and extension ("index", "html") */
    long records;           /* Hanweb: records in this datastore; JSON: items */
    long total;             /* Hanweb: totalRecord (jpage or <totalrecord>), -1 unknown */
    int perpage;            /* Hanweb: jpage perPage */
    char *next_post;        /* Hanweb: form body of the POST that fetches the next records
                               (malloc'd), or NULL */
    const char *page_post;  /* in (kept by discover_listing_shape): the body this page was
                               POSTed with, or NULL; an answer without <nextgroup> passes it on */
    long dated;             /* links with a date beside them */
};
void listing_shape_release(struct listing_shape *sh);
/* The URL of TRS page p (0-based) for the page url: "name.ext" for 0,
 * "name_p.ext" after; malloc'd, NULL when out of memory or unresolvable. */
char *discover_trs_page(const char *page_url, const struct listing_shape *sh, int p);

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
/* discover_listing_cs that also reports the shape (sh may be NULL) and
 * reads what the shapes hide in scripts: the TRS createPageHTML call
 * gives the next page (current + 1, "name_N.ext"); Hanweb's <datastore>
 * records (CDATA HTML, in the page's <script type="text/xml"> or as a
 * dataproxy.jsp answer) are read as links, and the next records are a
 * POST to jpage's proxyUrl (default /module/web/jpage/dataproxy.jsp)
 * ?startrecord=A&endrecord=B&perpage=P with the page's nextgroup
 * parameters (columnid, unitid, webid …) as the body (sh->next_post);
 * the records end when an answer holds fewer than asked or totalRecord is
 * reached. A <select> whose selected option (or the option naming this
 * page) is followed by another in-scope page URL gives that as next. */
int discover_listing_shape(const struct site *s, const char *page_url, const char *charset, const char *html,
                           size_t n, struct url_list *articles, char **next, struct listing_shape *sh,
                           struct buf *err);
/* Items of a JSON list API answer (sites.conf listing_api): the array at
 * s->api_items, each item's link at s->api_link (resolved against
 * s->link_base, else api_url), title and date as hints. The path syntax:
 * keys separated by '.', "[N]" an index, a trailing "[]" optional on the
 * items path ("data.list[]" = "data.list"). NA_EPARSE with a message naming
 * what was expected when the JSON does not parse or has no array there, or
 * when none of its items has a string at the link path. */
int discover_json(const struct site *s, const char *api_url, const char *json, size_t n,
                  struct url_list *articles, struct listing_shape *sh, struct buf *err);

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
