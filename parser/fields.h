/* fields.h — the published date, author, source and category of a page
 * (fields.c). */
#ifndef NA_FIELDS_H
#define NA_FIELDS_H

#include "parser/meta.h"

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

#endif
