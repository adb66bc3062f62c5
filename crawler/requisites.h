/* requisites.h — the images of an archived article (sites.conf
 * `requisites = images`), fetched so that a replay (ReplayWeb.page, pywb)
 * shows the article's photos. The policy only, as functions without I/O
 * (the archive lookup aside): which of the URLs the extractor found
 * (parser/images.h) are fetched, and which answers are archived. crawl.c
 * queues the chosen ones as CAPTURE_IMAGE jobs under the usual robots.txt,
 * politeness and http(s) rules, with requisites_max_size as the body cap;
 * their answers are archived as plain response records (with their request
 * records), never extracted, indexed as articles or followed for links.
 * Images are best effort: they live in the run's memory only, not in the
 * archive's durable frontier, so a killed run loses the images it had not
 * fetched yet (never an article: the article is archived first). */
#ifndef NA_REQUISITES_H
#define NA_REQUISITES_H

#include <stddef.h>

struct site;
struct archive;

/* Keeps, in place and in order, the URLs of urls[0..*n) that may be
 * fetched for an article of s: in its image scope (sites_requisite_in_scope)
 * and, when a is not NULL, not captured in the archive already (an image
 * is fetched once per archive; the caller holds the archive's lock), at
 * most s->requisites_max of them. The others are freed; *n is updated. */
void requisites_pick(const struct site *s, struct archive *a, char **urls, size_t *n);

/* What becomes of an image's answer. */
enum requisites_verdict {
    REQUISITES_KEEP,      /* 200 with an image/ Content-Type: archived */
    REQUISITES_STATUS,    /* another status: not archived */
    REQUISITES_NOT_IMAGE  /* 200 but no image/ Content-Type: not archived */
};

/* The verdict for HTTP status and Content-Type value ct (may be NULL). */
enum requisites_verdict requisites_answer(int status, const char *ct);

#endif
