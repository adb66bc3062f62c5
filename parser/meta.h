/* meta.h — article metadata from the dom: title (headline, site-name suffix
 * stripped), URL (canonical/og:url), language, published date (meta tags,
 * JSON-LD, <time>, text near the title, relative forms, the URL path), author,
 * source (来源) and category. Used by article.c. */
#ifndef NA_META_H
#define NA_META_H

#include <time.h>

struct dom;
struct dom_node;
struct article;

/* Sets a->title, a->url (when NULL), a->lang. Returns the element in <body>
 * that shows the headline (h1 or similar), or NULL; the body extractor uses
 * it to locate the article. */
struct dom_node *meta_title(struct dom *d, const char *url, struct article *a);

/* Sets a->published, a->published_from, a->author, a->source, a->category
 * (each left NULL when not found). title_node and container may be NULL. */
void meta_fields(struct dom *d, const char *url, time_t now, const struct dom_node *title_node,
                 const struct dom_node *container, struct article *a);

/* Parses a date/time written in s (Chinese and Western forms, ISO 8601,
 * relative forms such as 刚刚, 5分钟前, 昨天, "9个月前 (09-30)") against now.
 * On success writes ISO 8601 into out (cap >= 32) and returns 1 for an
 * absolute date, 2 for a relative one; 0 when s holds no date. */
int meta_parse_date(const char *s, time_t now, char *out, size_t cap);

#endif
