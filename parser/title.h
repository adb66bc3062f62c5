/* title.h — the headline of a page, its URL and its language (title.c). */
#ifndef NA_TITLE_H
#define NA_TITLE_H

#include "parser/meta.h"

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

/* 1 when t names no article: a greeting banner ("谢谢您访问…"), a UI word
 * ("显示"), no word at all ("1"), a site's path ("世艺网>艺术教育"). */
int title_placeholder(const char *t);

/* The last look at the title, once the article's text is known: a title
 * that names no article — a greeting banner, a UI word, a site's path, the
 * first link of a breadcrumb (title_node), none — or a forum's name where
 * the text starts with the post's subject ("主题：…") is replaced by the
 * text's first line when that reads like a headline; a subject label and a
 * closing private-use glyph are dropped from the title. 0, or NA_ENOMEM
 * (a->title unchanged). */
int meta_title_placeholder(struct meta_result *a, const struct dom_node *title_node, const char *text,
                           struct buf *explain);

#endif
