/* meta.h — article metadata from the dom: title (headline, site-name suffix
 * stripped), URL (canonical/og:url), language, published date (meta tags,
 * JSON-LD, <time>, text near the title, relative forms, the URL path), author,
 * source (来源) and category. Used by article.c. Everything is per call or
 * in the caller's meta_ctx: the functions are safe to run on different
 * pages from several threads, each with its own meta_ctx (or NULL). */
#ifndef NA_META_H
#define NA_META_H

#include <stddef.h>
#include <time.h>

struct buf;
struct dom;
struct dom_node;
struct meta_ctx;

/* What meta.c finds: UTF-8 strings owned by the struct, NULL when unknown
 * (article.c moves them into struct article). */
struct meta_result {
    char *url, *title, *lang;
    char *published, *published_from;
    char *author, *source, *category;
};
void meta_result_init(struct meta_result *r);
/* Frees the strings and empties r; NULL is fine. */
void meta_result_release(struct meta_result *r);

/* The caches of one worker (one thread at a time) across pages: the cues
 * of class/id values seen, the last JSON-LD read. Every function below
 * takes one, or NULL (no caches; the same results, slower). NULL from
 * meta_ctx_new means out of memory. */
struct meta_ctx *meta_ctx_new(void);
void meta_ctx_free(struct meta_ctx *mx);

/* What the functions below are given (a NULL pointer means all defaults). */
struct meta_opts {
    const char *url;      /* the page's URL, or NULL (borrowed) */
    time_t now;           /* reference for relative dates; 0 = time(NULL) */
    struct meta_ctx *ctx; /* the worker's caches, or NULL */
    struct buf *explain;  /* the decisions are appended here, one a line;
                           * NULL: none are written */
};

/* Sets a->title, a->url (when NULL: o->url, else <link rel=canonical>, else
 * og:url, else JSON-LD url; absolute http(s) URLs only) and a->lang (the
 * declared language unless the text's script contradicts it, else guessed
 * from the script and, for Latin script, function words). Sets *title_node
 * to the element in <body> that shows the headline (h1 or similar), or
 * NULL; the body extractor uses it to locate the article. The node belongs
 * to d. Strings set in a are owned by a (previous values are freed).
 * Returns 0, or NA_ENOMEM (NA_EINVAL for NULL arguments): a is then
 * incomplete and must not be used as a result. The headline candidates
 * and the choice go to o->explain. */
int meta_title(struct dom *d, const struct meta_opts *o, struct meta_result *a, struct dom_node **title_node);

/* Sets a->published, a->published_from, a->author, a->source, a->category
 * (each left as it was when not found) and a->title when it is still NULL
 * (a short line just above the container). title_node (meta_title's
 * return) and container (the article's element) may be NULL; both are
 * borrowed. Reads the tree as parsed: flags set by the extractor do not
 * matter, but nodes it unlinked are not seen. The dates and names
 * considered and the choices go to o->explain.
 * published is ISO 8601 ("2023-02-03", "2023-02-03T12:30:00", with the
 * source's UTC offset when it gives one); published_from is one of meta,
 * jsonld, time, text, relative, url. Dates are scored by source and by
 * position: a stated date (meta tag, JSON-LD, data-publishtime, a publish
 * time in an inline script: d->script_dates) wins, then
 * the byline under the headline (labels such as 发布时间 help, update,
 * comment and copyright labels hurt, dates in related lists, footers and
 * prose lose), then the URL path, then dates derived from now (relative
 * forms, month-days without a year), then dates in image paths.
 * Returns 0, or NA_ENOMEM (NA_EINVAL for NULL d or a): a is then
 * incomplete and must not be used as a result. */
int meta_fields(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                const struct dom_node *container, struct meta_result *a);

/* meta_fields with the publish times that inline scripts state given
 * explicitly, as date_script_snippets() writes them ("ct=1581517074",
 * "publish_time=2020-02-12 22:17"); meta_fields passes d->script_dates
 * (kept by dom.c's pre-pass). They count as stated dates just below meta
 * tags (published_from "meta"). snips (nsnips strings) are borrowed.
 * Returns as meta_fields. */
int meta_fields_scripts(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                        const struct dom_node *container, const char *const *snips, size_t nsnips,
                        struct meta_result *a);

/* Parses a date/time written in s (Chinese and Western forms, ISO 8601,
 * relative forms such as 刚刚, 5分钟前, 昨天, "9个月前 (09-30)") against now
 * (0 = time(NULL)); see parser/date.h for the forms. On success writes
 * ISO 8601 into out (cap >= 32) and returns 1 for an absolute date, 2 for
 * one derived from now (relative, or a month-day whose year comes from now,
 * never after now); 0 when s holds no date. */
int meta_parse_date(const char *s, time_t now, char *out, size_t cap);

#endif
