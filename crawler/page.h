/* page.h — the one path from an HTTP response to an article, taken by the
 * crawl, `try`, `reextract` and everything else that extracts: the body's
 * transfer and content coding removed (util/http.h, under one cap), binary
 * content refused, the charset label chosen (a caller's override, then the
 * site's `charset`, then Content-Type's; without any, the extractor sniffs),
 * and the article extracted with the site's rules. So the same archived
 * response gives the same text and fields, whoever reads it. */
#ifndef NA_PAGE_H
#define NA_PAGE_H

#include <stddef.h>
#include <time.h>
#include "util/buf.h"

struct site;
struct article;

struct page_opts {
    const struct site *site;  /* its rules and charset override; NULL: generic rules */
    const char *url;          /* the page's URL (borrowed) */
    time_t now;               /* reference for relative dates: the fetch time */
    size_t max_body;          /* decoded-body cap (max_page_size); 0 = HTTP_DEFAULT_MAX_BODY */
    const char *charset;      /* a label over all others (try --charset), or NULL */
    int explain;              /* article.explain filled */
    double (*clock)(void);    /* a CPU clock for page_result's times, or NULL */
    struct buf *body;         /* when set, gets the decoded body (appended) */
    size_t max_images;        /* article_opts.max_images: the article's image URLs */
};

/* Where page_extract stopped. */
enum page_stop {
    PAGE_OK,              /* an article (its text may be empty) */
    PAGE_BINARY_TYPE,     /* Content-Type names no text, HTML or XML (page_binary_type) */
    PAGE_UNDECODABLE,     /* the transfer or content coding could not be removed */
    PAGE_BINARY_BODY,     /* no Content-Type and a NUL byte in the first 1 KiB */
    PAGE_NOT_EXTRACTED    /* the extractor failed (e.g. NA_EGARBAGE: undecodable text) */
};

struct page_result {
    enum page_stop stop;
    char media_type[128];     /* of Content-Type, lower case; "" none */
    char label[64];           /* the charset label given to the extractor; "" none */
    double cpu_decode, cpu_parse; /* seconds by opts.clock (0 without) */
};

/* The article of a response: head (status line and fields as received and
 * archived, or NULL for a bare file: no codings, no Content-Type, no binary
 * checks) and its body as received. out must be article_init'ed; res (may
 * not be NULL) says where it stopped. Returns 0 (PAGE_OK), NA_EUNSUPPORTED
 * for binary content, the decoder's code (NA_ETOOBIG, NA_EPARSE,
 * NA_EUNSUPPORTED, NA_ENOMEM) or the extractor's, with a message in err. */
int page_extract(const struct page_opts *o, const char *head, size_t head_len, const char *body,
                 size_t body_len, struct article *out, struct page_result *res, struct buf *err);

/* The charset label for the parser of a page of site s (may be NULL) whose
 * Content-Type is content_type (may be NULL): the site's override, else the
 * HTTP charset parameter; "" when neither. For listing pages too. */
void page_charset_label(const struct site *s, const char *content_type, char *out, size_t cap);

/* 1 if a media type (lower case, http_media_type) is not a page: neither
 * empty, text/, nor containing "html" or "xml". */
int page_binary_type(const char *media_type);

#endif
