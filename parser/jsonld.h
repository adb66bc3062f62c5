/* jsonld.h — the article facts of a page's JSON-LD blocks (schema.org
 * Article/NewsArticle/BlogPosting…, also inside @graph): headline, dates,
 * author names, section, language, URL. jsonld.c is the one file that sees
 * jansson on the parser side. */
#ifndef NA_JSONLD_H
#define NA_JSONLD_H

#include <stddef.h>

struct jsonld_memo;

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
 * is then empty). With a memo (else NULL), the last bodies read and their
 * result are kept (fixed size), so reading the same bodies again
 * (meta_title, then meta_fields) skips the parse. */
int jsonld_read(struct jsonld_memo *m, const char *const *bodies, size_t n, struct jsonld_info *out);

/* A memo for jsonld_read (about 36 KB; one thread at a time), or NULL when
 * out of memory. */
struct jsonld_memo *jsonld_memo_new(void);
void jsonld_memo_free(struct jsonld_memo *m);
void jsonld_release(struct jsonld_info *info);

#endif
