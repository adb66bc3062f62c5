/* article.h — the extractor's one entry point: page bytes in, clean article
 * text and metadata out. Pipeline: charset → dom → (site rules) → container
 * choice → boilerplate pruning → text; meta.c supplies title/date/author.
 * This is what `newsarc extract`, `try`, the crawler and `reextract` call. */
#ifndef NA_ARTICLE_H
#define NA_ARTICLE_H

#include <stddef.h>
#include <time.h>
#include "util/article_fields.h"
#include "util/buf.h"

struct rules;
struct extract_ctx;

#define ARTICLE_VERSION "newsarc-extract/1"

/* The extractor's per-worker context: what one worker keeps from page to
 * page (freed arena chunks, the cues of class/id values seen, the last
 * JSON-LD read), so that extracting many pages costs less. A cache, never
 * a result: the article is the same with or without it. Used by one
 * thread at a time. NULL when out of memory. */
struct extract_ctx *extract_ctx_new(void);
void extract_ctx_free(struct extract_ctx *x);

struct article_opts {
    const char *url;          /* page URL, or NULL (borrowed) */
    const char *http_charset; /* label from Content-Type or --charset, or NULL */
    time_t now;               /* reference for relative dates; 0 = time(NULL) */
    size_t max_input;         /* bytes considered; 0 = 16 MiB */
    const struct rules *rules;/* per-site rules, or NULL */
    int explain;              /* fill article.explain with the decisions */
    struct extract_ctx *ctx;  /* the worker's context (borrowed), or NULL: the
                               * call makes and frees a temporary one */
    size_t max_images;        /* > 0: article.images gets the URLs of at most this
                               * many images of the kept content (parser/images.h) */
};

/* All strings are owned by the struct (NULL when unknown), UTF-8. The
 * metadata members (title … charset) come from util/article_fields.h. */
struct article {
    char *url;            /* given, else canonical/og:url */
    ARTICLE_FIELDS(ARTICLE_FIELD_OWNED) /* title, published, …, charset */
    char *text;           /* the body: one paragraph per line, "" when none */
    char **images;        /* with opts.max_images: absolute image URLs (images.h), or NULL */
    size_t nimages;
    struct buf explain;   /* with opts.explain: one decision per line */
};

void article_init(struct article *a);
void article_release(struct article *a);

/* Share of characters (whitespace not counted) that are U+FFFD or control
 * characters above which the page or its text is garbage, not an article. */
#define ARTICLE_GARBAGE_PCT 25
/* ... or above which control characters alone make it binary data. */
#define ARTICLE_GARBAGE_CTRL_PCT 5

/* Extracts from n bytes of raw HTML. Returns 0 (a page without an article
 * gives text ""), or a negative NA_* code with a message in err: NA_ENOMEM,
 * or NA_EGARBAGE for unusable input — gzip data (a body compressed twice),
 * or a decoded page or article text of which over ARTICLE_GARBAGE_PCT
 * percent of the characters are U+FFFD or control characters (C0 but tab,
 * LF and CR; DEL; C1), or over ARTICLE_GARBAGE_CTRL_PCT percent control
 * characters. */
int article_extract(const char *html, size_t n, const struct article_opts *opts,
                    struct article *out, struct buf *err);

#endif
