/* jsonld.h — the article facts of a page's JSON-LD blocks (schema.org
 * Article/NewsArticle/BlogPosting…, also inside @graph): headline, dates,
 * author names, section, language, URL. jsonld.c is the one file that sees
 * jansson on the parser side. */
#ifndef NA_JSONLD_H
#define NA_JSONLD_H

#include <stddef.h>

/* Every string is owned (free with jsonld_release) and NULL when absent. */
struct jsonld_info {
    char *headline;
    char *date_published, *date_created, *date_modified; /* as written */
    char *author;        /* names joined with ", " */
    char *section;       /* articleSection (the first one) */
    char *lang;          /* inLanguage */
    char *url;           /* url or mainEntityOfPage['@id'] */
};

/* Reads n JSON-LD bodies (NUL-terminated, borrowed). The first article-typed
 * object gives each field; an object of any other type fills what is still
 * missing. Malformed blocks are skipped. Returns 0, or NA_ENOMEM (out
 * is then empty). The last bodies read and their result are kept per thread
 * (fixed size, no heap), so reading the same bodies again (meta_title, then
 * meta_fields) skips the parse. */
int jsonld_read(const char *const *bodies, size_t n, struct jsonld_info *out);
void jsonld_release(struct jsonld_info *info);

#endif
