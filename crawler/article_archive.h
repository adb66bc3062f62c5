/* article_archive.h — the extractor's article (parser/article.h) as the
 * store's input (struct archive_text, store/archive.h). The one place that
 * knows both, so that store/ needs nothing from parser/ and parser/ nothing
 * from store/: the crawl, reextract and the tests archive an article
 * through it. Header only. */
#ifndef NA_ARTICLE_ARCHIVE_H
#define NA_ARTICLE_ARCHIVE_H

#include "parser/article.h"
#include "store/archive.h"
#include "util/article_fields.h"

/* The archive input for a: every string borrowed from a (valid while a is),
 * the extractor named ARTICLE_VERSION. */
static inline struct archive_text article_archive_text(const struct article *a)
{
    struct archive_text t = { .text = a->text, .extractor = ARTICLE_VERSION };
#define ARTICLE_ARCHIVE_FIELD(name) t.name = a->name;
    ARTICLE_FIELDS(ARTICLE_ARCHIVE_FIELD)
#undef ARTICLE_ARCHIVE_FIELD
    return t;
}

#endif
