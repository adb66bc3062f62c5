/* export.h — the read side of an archive: stream articles as JSON lines or
 * plain text, the selected records as a WARC file, or a SURT-sorted CDXJ
 * index (pywb / OutbackCDX); and the single-URL views behind `newsarc get`.
 * Works on a readonly archive while a crawl writes (only records the index
 * points at are read). Writes to a caller's FILE, never to stdout itself.
 * Formats are described in docs/archive-format.md. */
#ifndef NA_EXPORT_H
#define NA_EXPORT_H

#include <stdint.h>
#include <stdio.h>
#include "util/buf.h"

struct archive;
struct index_article;
struct index_loc;
struct warc_http;

enum export_format {
    EXPORT_JSONL = 1,  /* one article per line: metadata + text (newest extraction per URL) */
    EXPORT_TEXT,       /* "=== URL | published | site | title" then the text, blank line */
    EXPORT_WARC,       /* fresh warcinfo, then the selected records' gzip members as stored */
    EXPORT_CDXJ,       /* "SURT TIMESTAMP {json}" per response/revisit, sorted */
};

/* The format called name ("jsonl", "text", "warc", "cdxj"), or 0. */
enum export_format export_format_parse(const char *name);

struct export_opts {
    enum export_format format;
    const char *site;        /* only this site, or NULL */
    /* Dates "YYYY-MM-DD" or a longer ISO 8601 prefix, or NULL. Articles
     * (jsonl, text) compare `published` (the fetch time when unknown, or
     * always with by_fetched); captures (warc, cdxj) their fetch time. */
    const char *since, *until;
    int by_fetched;
    size_t limit;            /* articles/captures at most; 0 = all */
    size_t max_cdxj_lines;   /* cdxj sorts in memory: cap; 0 = 20 million */
    const char *software;    /* warcinfo "software" of a warc export; NULL = "newsarc" */
};

struct export_stats {
    uint64_t items;          /* articles (jsonl, text), captures (warc, cdxj) */
    uint64_t records;        /* WARC records copied (warc) */
    uint64_t bytes;          /* bytes written to out */
};

/* 1 if s is a date the filters accept (YYYY, YYYY-MM, YYYY-MM-DD, optionally
 * followed by 'T' and more), else 0. */
int export_date_ok(const char *s);

/* Streams the selection in o->format to out. Returns 0, or a negative code
 * with a message in err: NA_EIO (writing out failed, e.g. EPIPE), NA_ECORRUPT
 * (a record the index points at is not there; the message names file and
 * offset), NA_ETOOBIG (the cdxj cap, or warc's: 10^6 source files, 2^27 captures),
 * NA_EDB, NA_ENOMEM. a and out are borrowed;
 * st may be NULL. */
int export_run(struct archive *a, const struct export_opts *o, FILE *out, struct export_stats *st,
               struct buf *err);

/* ---- one URL (newsarc get) ---- */

/* The clean text of the newest extraction of url, appended to out. Returns
 * 1, 0 when url has no extraction, or a negative code. */
int export_get_text(struct archive *a, const char *url, struct buf *out, struct buf *err);
/* The body of the newest response (not revisit) of url with its content
 * coding (gzip, deflate) removed — the HTML as the server meant it, in the
 * page's own charset — appended to out (at most max bytes; 0 = 64 MiB).
 * Returns 1, 0 when url has no archived response, or a negative code
 * (NA_EUNSUPPORTED for e.g. a br-coded body). */
int export_get_body(struct archive *a, const char *url, size_t max, struct buf *out, struct buf *err);
/* Everything about url as one pretty JSON object (article fields and text of
 * the newest extraction, every extraction, the newest capture, its HTTP
 * response headers), appended to out with a final newline. Returns 1, 0 when
 * url was never captured, or a negative code. */
int export_get_json(struct archive *a, const char *url, struct buf *out, struct buf *err);

/* The body of an archived HTTP response as the server meant it, appended to
 * out (at most max bytes; 0 = 64 MiB): chunked transfer coding removed when
 * the head says "Transfer-Encoding: chunked" and the body is so framed (a
 * body stored already de-chunked is taken as it is), then the content coding
 * (gzip, deflate) — util/http.h's decoding, the crawl's. h is borrowed.
 * Returns 0, NA_EUNSUPPORTED (e.g. br), NA_ETOOBIG or NA_EPARSE (corrupt
 * compressed data) with a message. */
int export_http_body(const struct warc_http *h, size_t max, struct buf *out, struct buf *err);

/* The HTTP response of the response record at l (a capture's response):
 * its head (status line and fields, as received) into head and its body as
 * received (transfer and content coding kept: for page_extract, which
 * decodes as the crawl did) into body, both reset first. Returns 0 or a
 * negative code (NA_ECORRUPT naming file and offset when the record is
 * missing or holds no HTTP response). */
int export_response_at(struct archive *a, const struct index_loc *l, struct buf *head, struct buf *body,
                       struct buf *err);
/* The clean text of one extraction (its conversion record), appended to out.
 * Returns 0 or a negative code (NA_ECORRUPT naming file and offset when the
 * record is missing or differs from the index). */
int export_article_text(struct archive *a, const struct index_article *art, struct buf *out, struct buf *err);

#endif
