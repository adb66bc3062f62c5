/* view.h — the pages of `newsarc serve`: a read-only view of an archive as
 * server-rendered HTML (no script) and the same data as JSON under /api/.
 * The routes are a fixed table; a request's path is only compared with it
 * and its arguments (a URL, a site, dates, a query) are looked up in the
 * index, never used as file names. Every string from the archive is
 * escaped for HTML and made valid UTF-8 (an invalid byte becomes U+FFFD)
 * before it is written. Knows nothing of HTTP servers: cli/cmd_serve.c
 * gives it the path and a getter for the query arguments. */
#ifndef NA_VIEW_H
#define NA_VIEW_H

#include <stddef.h>
#include <time.h>
#include "util/buf.h"

struct archive;

#define VIEW_MAX_ARG 1024      /* bytes of one query argument (longer: 400) */
#define VIEW_PAGE 50           /* articles per list page */
#define VIEW_DAYS 60           /* days of the per-site chart */
#define VIEW_MAX_WARC ((size_t)64 << 20) /* bytes of a raw capture download */

struct view_response {
    int status;                /* HTTP status */
    const char *ctype;         /* static Content-Type */
    struct buf body;
    char disposition[128];     /* Content-Disposition, or "" */
};

/* The query argument named key of the request, or NULL. */
typedef const char *(*view_arg_fn)(void *ud, const char *key);

/* Answers GET path (without the query string) into out (initialised here;
 * the caller releases out->body). now is the reference time of the charts.
 * Always fills a response (404 for an unknown route, 400 for a bad
 * argument, 500 with a short message when the archive cannot be read). */
void view_handle(struct archive *a, const char *path, view_arg_fn arg, void *ud, time_t now,
                 struct view_response *out);

/* s (NULL is "") made valid UTF-8 and escaped for HTML text and quoted
 * attributes (& < > " '), appended to b. */
void view_html_escape(struct buf *b, const char *s);

#endif
