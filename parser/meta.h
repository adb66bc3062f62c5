/* meta.h — what the metadata modules share with their caller (article.c):
 * the result (title, URL, language, published date, author, source (来源),
 * category), the options, and the worker's caches (meta_ctx). The work is
 * done by title.c (headline, URL; language by lang.c) and fields.c (date
 * and names), on the helpers of metabase.c. Everything is per call or in
 * the caller's meta_ctx: the functions are safe to run on different pages
 * from several threads, each with its own meta_ctx (or NULL). */
#ifndef NA_META_H
#define NA_META_H

#include <stddef.h>
#include <time.h>

struct buf;
struct dom;
struct dom_node;
struct cue_memo;
struct jsonld_memo;

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
 * of class/id values seen, the last JSON-LD read. meta_title and
 * meta_fields take one, or NULL (no caches; the same results, slower).
 * NULL from meta_ctx_new means out of memory. */
struct meta_ctx {
    struct cue_memo *cues;  /* metabase.c: the zones of class/id values seen */
    struct jsonld_memo *ld; /* meta_title and meta_fields read the same blocks */
};
struct meta_ctx *meta_ctx_new(void);
void meta_ctx_free(struct meta_ctx *mx);

/* What meta_title and meta_fields are given (NULL means all defaults). */
struct meta_opts {
    const char *url;      /* the page's URL, or NULL (borrowed) */
    time_t now;           /* reference for relative dates; 0 = time(NULL) */
    struct meta_ctx *ctx; /* the worker's caches, or NULL */
    struct buf *explain;  /* the decisions are appended here, one a line;
                           * NULL: none are written */
};

/* Parses a date/time written in s (Chinese and Western forms, ISO 8601,
 * relative forms such as 刚刚, 5分钟前, 昨天, "9个月前 (09-30)") against now
 * (0 = time(NULL)); see parser/date.h for the forms. On success writes
 * ISO 8601 into out (cap >= 32) and returns 1 for an absolute date, 2 for
 * one derived from now (relative, or a month-day whose year comes from now,
 * never after now); 0 when s holds no date. */
int meta_parse_date(const char *s, time_t now, char *out, size_t cap);

#endif
