/* try.h — the library half of `newsarc try`: one page fetched (or read) and
 * looked at the way the crawler would look at it, without archiving
 * anything: the site it belongs to, whether it is a listing, feed, sitemap
 * or article page, the links a listing shows and how the site's patterns
 * sort them, what robots.txt says, and, for an article, which blocks of the
 * page did not reach the text and why (from the extractor's explain lines). */
#ifndef NA_TRY_H
#define NA_TRY_H

#include <stddef.h>
#include <time.h>
#include "crawler/discover.h"
#include "parser/rules.h"
#include "util/buf.h"

struct site;
struct sites_config;
struct fetch_net;
struct article;
struct dom;
#define TRY_MAX_HOPS 20                  /* redirects followed at most (also caps max_redirects) */
#define TRY_MAX_BLOCKS 2000              /* left-out blocks reported at most */
#define TRY_MAX_SEGMENTS 200000          /* text nodes looked at in the left-out analysis */
#define TRY_SNIPPET_CHARS 60             /* characters of text shown per block */
#define TRY_MAX_RULES (RULES_MAX_DROP + 4) /* container, drops, title, date, author */

/* ---- fetching one page ---- */

struct try_fetch_opts {
    const char *user_agent;       /* borrowed */
    double connect_timeout;       /* seconds; 0 = 10 */
    double timeout;               /* total per transfer; 0 = 60 */
    double low_speed_time;        /* 0 = 30 */
    size_t max_body;              /* cap on the wire and after decoding; 0 = 10 MiB */
    int max_redirects;            /* hops followed; < 0 = 5; capped at TRY_MAX_HOPS */
    char *const *resolve;         /* "HOST:PORT:ADDR" entries, borrowed */
    size_t nresolve;
    const char *ca_file;          /* CA certificates for https, borrowed; NULL: the system's */
    const struct fetch_net *net;  /* the site's transfer settings (site_net.h, as the crawl's:
                                   * TLS, proxy, cookie jar; over ca_file), borrowed, or NULL */
    const struct site *scope;     /* when set, a redirect leaving its scope is not followed */
    size_t prefix;                /* > 0: only the first `prefix` decoded bytes are wanted
                                   * (a robots.txt): a longer body is no error, receiving
                                   * stops after max_body wire bytes, and try_page.cut says
                                   * the body is a start */
    int raw;                      /* 1: the body is not decoded (p->body stays empty): the
                                   * caller gives p->head and p->wire to page_extract */
};

struct try_hop {
    char *url;                    /* asked for */
    int status;                   /* its answer */
    char *location;               /* resolved Location (malloc'd), NULL on the last hop */
};

/* A fetched page; everything owned by it (try_page_release). */
struct try_page {
    struct try_hop hops[TRY_MAX_HOPS + 1];
    size_t nhops;                 /* >= 1 once something was asked for */
    const char *url;              /* the last URL asked for (points into hops) */
    int status;                   /* of the last hop; 0 when no answer */
    char *content_type;           /* Content-Type of the last answer, or NULL */
    char *content_encoding;       /* Content-Encoding of the last answer, or NULL */
    struct buf body;              /* the body without transfer/content coding */
    struct buf head;              /* the last answer's head as received (page_extract's) */
    struct buf wire;              /* its body as received (codings kept) */
    size_t wire_bytes;            /* heads and bodies as received, all hops */
    time_t fetched;               /* when the last hop started */
    double seconds;               /* all hops */
    char ip[64];                  /* of the last answer */
    int offscope_redirect;        /* 1: stopped at a redirect out of opts.scope */
    int cut;                      /* opts.prefix: body is only the start of the text (the
                                   * rest was not received, was over the prefix, or could
                                   * not be decoded: then note says why) */
    char note[256];               /* opts.prefix: the decoding fault that cut it, or "" */
};

void try_page_init(struct try_page *p);
void try_page_release(struct try_page *p);

/* GETs url (one blocking transfer at a time on crawler/fetch.h's loop, with
 * its Accept-Encoding and caps), following redirects as the crawler does
 * (policy_is_redirect): http(s) only, at most opts.max_redirects hops, no loops,
 * never out of opts.scope. The last answer's body is decoded into p->body.
 * Returns 0 when an HTTP answer came (whatever its status, also a redirect
 * not followed: look at p->status and p->offscope_redirect), else NA_ENET
 * (no answer), NA_ETOOBIG (a cap), NA_EPARSE (undecodable body),
 * NA_EUNSUPPORTED (content coding), NA_EINVAL (bad URL, redirect loop or
 * too many hops) or NA_ENOMEM, with a message in err. p is filled as far as
 * it got either way. With opts.raw the body is left for page_extract. */
int try_fetch(const struct try_fetch_opts *o, const char *url, struct try_page *p, struct buf *err);

/* What robots.txt of url's origin says for agent (a User-Agent; its
 * product token is used), fetched with o (no scope). Writes one line to
 * out such as "allowed", "disallowed (a crawl skips this URL)", "allowed (robots.txt answered 404:
 * no rules)", "disallowed (robots.txt answered 503: the crawler fetches
 * nothing from this origin this run)", with " crawl-delay N s" appended when
 * given. Returns 1 allowed, 0 disallowed, or a negative NA_* code (message
 * in err) when the URL has no origin. */
int try_robots(const struct try_fetch_opts *o, const char *url, const char *agent, struct buf *out,
               struct buf *err);

/* ---- the site and the kind of page ---- */

/* The site of cfg whose scope holds url: first one listing, feeding or
 * matching it as an article, else the first one whose scope contains it.
 * NULL when none (generic rules). Disabled sites count too (a site being
 * tuned is often disabled). */
struct site *try_pick_site(struct sites_config *cfg, const char *url);

enum try_kind { TRY_ARTICLE, TRY_LISTING, TRY_FEED, TRY_SITEMAP };

/* How the crawler would treat url on site s (may be NULL): a listing =
 * entry or a page of a {n} template (*entry set to that listing value,
 * *page to n, else 0), a feed or sitemap entry, an article (matches an
 * article pattern; *pattern set to its index, -1 when the site has none),
 * else a listing page (the site has patterns and url matches none). Writes
 * the reason to why (cap bytes). url must be canonical (url_canonical). */
enum try_kind try_page_kind(const struct site *s, const char *url, const char **entry, int *page, int *pattern,
                            char *why, size_t cap);

/* Index of the first article pattern of s matching url, -1 when none
 * (or when s has none). */
int try_article_pattern(const struct site *s, const char *url);

/* ---- links of a listing page, feed or sitemap ---- */

enum try_link_class { TRY_LINK_ARTICLE, TRY_LINK_OTHER, TRY_LINK_OFFSCOPE };

struct try_links {
    struct url_list all;          /* every link found, canonical, page order */
    unsigned char *cls;           /* all.n try_link_class values */
    int *pattern;                 /* all.n article pattern indexes (-1 none) */
    size_t narticle, nother, noffscope;
    char *next;                   /* next-page link found on the page, or NULL */
    char *next_template;          /* page+1 of the {n} listing template, or NULL */
    struct url_list sitemaps;     /* sitemap index entries */
    struct listing_shape shape;   /* listing pages: the shape recognised (TRS, Hanweb, JSON API …) */
};

/* One line naming the listing's shape: "TRS pager: 12 pages, index_{n}.html",
 * "Hanweb datastore: 15 records, jpage 300 records in 20 pages", "JSON API:
 * 20 items", "HTML: next page by rel=next"; "" when nothing to say. */
void try_shape_line(const struct try_links *l, char *out, size_t cap);

void try_links_init(struct try_links *l);
void try_links_release(struct try_links *l);

/* Finds the links of a listing page (utf8 HTML) with discover.h and sorts
 * them for s (may be NULL: every link is then an article candidate): article
 * (in scope, matches a pattern), other (in scope, matches none), off scope.
 * tmpl and page: the {n} listing template url is a page of (page >= 1), or
 * NULL/0. charset: the page's charset (charset_info.name), in which link
 * query strings are encoded as the crawl encodes them, or NULL (UTF-8).
 * Returns 0 or a negative NA_* code with a message in err. */
int try_listing(const struct site *s, const char *url, const char *charset, const char *utf8, size_t n,
                const char *tmpl, int page, struct try_links *out, struct buf *err);
/* The same for a feed or a sitemap (raw bytes; XML decides its charset). */
int try_feed(const struct site *s, const char *url, const char *xml, size_t n, int sitemap, struct try_links *out,
             struct buf *err);

/* ---- what an article page lost ---- */

struct try_block {
    char *path;                   /* the element, with up to two ancestors: "div.content > div.post-ad" */
    size_t chars;                 /* characters of text in it (whitespace not counted) */
    char *snippet;                /* its first TRY_SNIPPET_CHARS characters, whitespace collapsed */
    char *reason;                 /* the extractor's reason, "outside the container" or "not in the text" */
    int in_container;             /* 1 inside the chosen container, 0 outside, -1 container unknown */
};

struct try_rule_report {
    const char *key;              /* "xpath_container", "xpath_drop", "xpath_title", … (static) */
    const char *xpath;            /* borrowed from the rules */
    int matches;                  /* elements selected (or 1/0 for string rules); < 0 error */
    char *value;                  /* first element's path, or the string value, or the error */
};

struct try_analysis {
    struct try_block *blocks;     /* page order */
    size_t nblocks;
    int truncated;                /* TRY_MAX_BLOCKS or TRY_MAX_SEGMENTS hit */
    char *container;              /* the container path from the explain lines, or NULL */
    int container_found;          /* 1 when that element was found in the page */
    struct try_rule_report rules[TRY_MAX_RULES];
    size_t nrules;
};

void try_analysis_release(struct try_analysis *x);

/* Compares the page (n bytes of UTF-8 HTML, as the extractor saw it after
 * charset conversion) with what a->text kept: every block whose text is
 * wholly missing from a->text is reported once (its topmost such element),
 * with the reason the extractor gave in a->explain when one names it
 * ("drop DESC …: REASON" and "drop line 'TEXT': REASON", the format of
 * parser/clean.c; lines in another form are ignored), else whether it lay
 * outside the chosen container ("container PATH: …"). rules (may be NULL)
 * are evaluated on the page and reported one by one. Returns 0 or a
 * negative NA_* code (out of memory, unparseable page) with a message. */
int try_analyze(const char *utf8, size_t n, const struct article *a, const struct rules *rules,
                struct try_analysis *out, struct buf *err);
/* The same on a tree already parsed (borrowed; its scratch fields are not
 * used). */
int try_analyze_dom(struct dom *d, const struct article *a, const struct rules *rules, struct try_analysis *out,
                    struct buf *err);

#endif
