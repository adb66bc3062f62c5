/* archive.h — the archive directory as the crawler and the CLI see it:
 * warc/NAME.warc.gz (WARC 1.1, one gzip member per record) + index.sqlite (WAL)
 * + a lock file. Writes are append-only; a record is complete and flushed in
 * its file before the index row that points at it commits. Opening a
 * writable archive takes the lock, truncates a torn trailing gzip member and
 * indexes whole records the index lacks. See docs/archive-format.md. */
#ifndef NA_ARCHIVE_H
#define NA_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "store/archive_stats.h"
#include "store/index.h"
#include "util/article_fields.h"
#include "util/buf.h"

struct archive;

struct archive_opts {
    int readonly;              /* no lock, no writes (readers work during a crawl) */
    uint64_t warc_max_size;    /* rotate WARC files at this size; 0 = 1 GiB */
    const char *software;      /* for warcinfo; NULL = "newsarc/VERSION" */
    const char *config_digest; /* digest of the config used, for warcinfo, or NULL */
    const char *config_name;   /* e.g. path of sites.conf, or NULL */
    const char *host_label;    /* host part of WARC file names; NULL = gethostname() */
    int quiet_recovery;        /* don't log recovery actions (they still happen) */
    int exclusive;             /* the archive-wide lock exclusively (reextract): no other writer */
};

/* Opens (creating if needed) the archive in dir. A writable open takes
 * DIR/lock shared (exclusive with opts->exclusive): several writers
 * (crawl, backfill) run at once, each on its own sites (archive_lock_site)
 * and its own WARC files; reindex and reextract exclude them. Returns 0,
 * NA_ELOCKED when the lock cannot be had (the message names the PID and
 * command of an exclusive holder), or another negative code with a
 * message in err. */
int archive_open(const char *dir, const struct archive_opts *opts, struct archive **out, struct buf *err);
/* Flushes, closes the current WARC file and releases the lock. NULL is fine. */
void archive_close(struct archive *a);

/* enum capture_kind (CAPTURE_ARTICLE …) is store/index.h's. */

/* One HTTP exchange as it went over the wire. All pointers are borrowed. */
struct capture {
    const char *url;            /* WARC-Target-URI (after canonicalization) */
    const char *site;           /* site name from sites.conf, or NULL */
    enum capture_kind kind;
    time_t fetched;             /* WARC-Date (UTC seconds) */
    const char *ip;             /* WARC-IP-Address, or NULL */
    const char *request;        /* request head as sent ("GET / HTTP/1.1\r\n…\r\n\r\n") */
    size_t request_len;
    const char *response_head;  /* status line + headers as received, ending CRLFCRLF */
    size_t response_head_len;
    const char *body;           /* body, content coding kept, transfer coding removed */
    size_t body_len;
    int status;                 /* HTTP status */
    const char *etag;           /* validators from the response, or NULL (then taken from the head) */
    const char *last_modified;
    const char *truncated;      /* WARC-Truncated reason when the body was cut ("length", "time",
                                 * "disconnect", "unspecified"), or NULL */
    const char *protocol;       /* WARC-Protocol of an exchange that was not HTTP/1.x ("h2",
                                 * "h3"), whose heads are then given with HTTP/1.1 start lines
                                 * (iipc/warc-specifications#15, #42); NULL for HTTP/1.x */
    const char *tls_verify;     /* "no" when the server's certificate was not checked
                                 * (sites.conf tls_verify = no): Newsarc-TLS-Verify on the
                                 * response record; NULL when it was */
};

/* The extracted article a capture is archived with: the text of the
 * conversion record and the fields of the metadata record and the index
 * row. The store's own input (it knows no extractor): the caller maps its
 * article to it. Every pointer is borrowed, UTF-8, NULL when unknown; the
 * metadata members (title … charset) are util/article_fields.h's list. */
struct archive_text {
    const char *text;          /* the body, one paragraph per line; NULL = "" */
    ARTICLE_FIELDS(ARTICLE_FIELD_BORROWED)
    const char *extractor;     /* the extractor's version (e.g. "newsarc-extract/1"), or NULL */
};

/* Archives a capture: request + response records (or a revisit with the
 * identical-payload-digest profile when the payload equals the newest capture
 * of the same URL), then, when art is non-NULL, a conversion record (clean
 * text) and a metadata record (JSON), then commits the index rows. A 304 is
 * written as a revisit with the server-not-modified profile (art is ignored).
 * Returns 0 or a negative code (NA_EDISKFULL, NA_EIO, …) with a message; on
 * failure nothing partial stays in the WARC or the index. */
int archive_add(struct archive *a, const struct capture *c, const struct archive_text *art, struct buf *err);

/* archive_add in two steps, so that the costly part (digests, deflate) runs
 * on the caller's worker thread and only appending, syncing and the index
 * rows stay serialized:
 *   archive_prepare: digests and encodes the records of c (+ art). Safe to
 *     call from several threads at once, and concurrently with one thread
 *     running archive_add_prepared (it reads no index and writes nothing).
 *     c and art are borrowed and must stay valid until archive_prep_free.
 *     On success *out is the caller's (free it with archive_prep_free).
 *   archive_add_prepared: what archive_add does with them, serialized like
 *     every other write: the revisit decision against the index is taken
 *     here (a revisit record replaces the prepared response, and
 *     conversion/metadata are dropped), and records prepared for a WARC
 *     file that has since been rotated are encoded again. Same failure
 *     guarantees as archive_add; p may be freed afterwards either way. */
struct archive_prep;
int archive_prepare(struct archive *a, const struct capture *c, const struct archive_text *art,
                    struct archive_prep **out, struct buf *err);
int archive_add_prepared(struct archive *a, struct archive_prep *p, struct buf *err);
void archive_prep_free(struct archive_prep *p); /* NULL is fine */

/* ---- what the crawler needs ---- */

/* 1 if the archive "has" url as an article: an extraction with text of a
 * 200 response (a revisit of one counts, being of the same URL; a 5xx, a
 * revisit of one, or a page without text do not), else 0. */
int archive_has_article(struct archive *a, const char *url);
/* 1 if url was captured at all (any kind, any status). */
int archive_has_capture(struct archive *a, const char *url);
/* Validators of the newest capture of url for a conditional GET; each out
 * string is malloc'd or NULL. Returns 1 when a capture exists, else 0. */
int archive_validators(struct archive *a, const char *url, char **etag, char **last_modified);
/* The newest archived 200 response of url (not a revisit): its
 * Content-Type (empty when it had none) and its body with transfer and
 * content coding removed (at most max bytes), appended to content_type and
 * body.
 * What a 304 on a listing page is read from. Returns 1, 0 when there is
 * none, or a negative code with a message. */
int archive_last_ok_body(struct archive *a, const char *url, size_t max, struct buf *content_type,
                         struct buf *body, struct buf *err);

/* Persistent frontier (crawl queue): struct frontier_item is store/index.h's. */
/* Adds url unless already queued or done. Returns 1 added, 0 present, <0 error. */
int archive_frontier_add(struct archive *a, const char *site, const char *url, const char *referrer,
                         enum capture_kind kind, int depth);
enum {
    ARCHIVE_FR_DUE = INDEX_FR_DUE,             /* pending rows whose next attempt has come */
    ARCHIVE_FR_RETRY_ALL = INDEX_FR_RETRY_ALL, /* every row not done (pending, due or not, and given up) */
    ARCHIVE_FR_FAILED = INDEX_FR_FAILED,       /* rows with a failed attempt (retrying or given up), by site */
};
/* Up to max items of site (all sites if NULL) as mode says, in insertion
 * order (ARCHIVE_FR_FAILED: by site, given up last, then next attempt).
 * At most INDEX_FRONTIER_MAX_ITEMS (2^20) items, whatever max says: the
 * rest stay in the frontier for the next call. */
int archive_frontier_list(struct archive *a, const char *site, size_t max, int mode,
                          struct frontier_item **items, size_t *n);
/* archive_frontier_list(ARCHIVE_FR_DUE). */
int archive_frontier_pending(struct archive *a, const char *site, size_t max,
                             struct frontier_item **items, size_t *n);
void archive_frontier_items_free(struct frontier_item *items, size_t n);
/* Marks url done (archived). */
int archive_frontier_done(struct archive *a, const char *url);
/* Records one more failed attempt at url: reason and status are kept; the
 * k-th failure (k = attempts so far + 1) makes the row due again delays[k-1]
 * seconds after now, and the failure after the last delay gives it up
 * (ndelays 0: at once). A row already done stays done. Returns 0 (retry
 * scheduled or done), 1 (given up), NA_ENOTFOUND, or another code. */
int archive_frontier_fail(struct archive *a, const char *url, const char *reason, int status, const long *delays,
                          size_t ndelays, time_t now);
/* Small persistent key/value state per site (e.g. "backfill.page" → "37"). */
int archive_state_set(struct archive *a, const char *site, const char *key, const char *value);
char *archive_state_get(struct archive *a, const char *site, const char *key); /* malloc'd or NULL */

/* Groups many archive_add calls in one index transaction (each record is
 * still flushed to its WARC file before the commit). Optional. */
int archive_begin(struct archive *a);
int archive_commit(struct archive *a);
/* on=1: until called again with 0, each commit (a batch's or a single
 * write's) is synced to disk before it returns, not only ordered after the
 * WARC bytes: for a marker that must outlive a power loss that keeps what
 * is written after it. Not inside archive_begin (NA_EINVAL). */
int archive_sync_commits(struct archive *a, int on);
/* 1 when another writer process waits for the index this archive's open
 * batch holds: commit it now (several crawls and backfills share one
 * archive; a batch kept open while the network is waited for would stall
 * them). */
int archive_contended(struct archive *a);

/* ---- the read side (export, get, ls, stats, reextract) ---- */

/* The archive's index (borrowed; valid until archive_close). See store/index.h. */
struct index *archive_index(struct archive *a);
/* The archive directory as given to archive_open (borrowed). */
const char *archive_dir(const struct archive *a);
/* DIR/warc/FILE for a file name from the index, into out (replaced). A name
 * holding '/' or starting with '.' is NA_EINVAL. */
int archive_warc_path(const struct archive *a, const char *file, struct buf *out);
/* reextract: appends a conversion and a metadata record for art, extracted
 * now from the response of cap (a response capture from the index), and an
 * article row; the newest extraction is what export and get show. Same
 * failure guarantees as archive_add. */
int archive_add_extraction(struct archive *a, const struct index_capture *cap, const struct archive_text *art,
                           struct buf *err);

/* "article", "listing", "feed", "sitemap", "robots", "other": what the
 * Newsarc-Kind WARC field holds; archive_kind_parse maps back (unknown →
 * CAPTURE_OTHER). index_kind_name and index_kind_parse, for the CLI. */
const char *archive_kind_name(int kind);
int archive_kind_parse(const char *s);
/* Takes the archive-wide lock exclusively (flock LOCK_EX|LOCK_NB on
 * DIR/lock, created if missing, "PID command" written into it); *fd holds
 * it until closed. Returns 0, NA_ELOCKED or NA_EIO. */
int archive_lock(const char *dir, int *fd, struct buf *err);
/* Takes the lock of site for this writer (flock LOCK_EX|LOCK_NB on
 * DIR/locks/SITE.lock, "PID command" written into it), held until
 * archive_close. Two writers never work on one site at once. Returns 0,
 * NA_ELOCKED with "site 'S' is being crawled by another process: PID N
 * COMMAND (PATH)" in err, or another negative code. */
int archive_lock_site(struct archive *a, const char *site, struct buf *err);

/* ---- maintenance (newsarc reindex, newsarc verify) ---- */

/* struct archive_reindex_stats: store/archive_stats.h. */
/* Rebuilds DIR/index.sqlite from the WARC files alone into a temporary file,
 * then renames it over the old one (the frontier and state tables are
 * carried over from the old index when it is readable). Takes the writer
 * lock (NA_ELOCKED when held). A torn trailing member of a file is
 * truncated (and logged) as archive_open does. A damaged record is skipped:
 * the reader resyncs at the next gzip member that starts a WARC record, the
 * range "FILE: bytes A-B damaged, skipped" is logged (LOG_ERROR) and counted
 * in st->damaged, and everything after it is indexed. */
int archive_reindex(const char *dir, struct archive_reindex_stats *st, struct buf *err);

/* struct archive_verify_stats: store/archive_stats.h. */
/* Checks every record of every WARC file (gzip framing, WARC head,
 * Content-Length, block and payload digests) and every index row (its
 * offset/length point at a whole record of the right type and URI). Calls
 * fault(ud, file, offset, message) once per fault (file NULL for an index
 * fault without a file), and also once per note, whose message starts with
 * "note: " and which is counted in st->notes, not st->faults: records past
 * the index's indexed end of their file (a writer's, not yet committed: the
 * next writer indexes them), a torn member there (an unfinished write, cut
 * by the next writer), an index a running writer is creating. A damaged
 * record is one fault naming the byte range the reader skips to resync.
 * Takes no lock: the index is read in one snapshot, taken before the files
 * are listed and read. Returns 0 (faults are counted in
 * st, not errors) or a negative code when verify itself could not run. */
int archive_verify(const char *dir, void (*fault)(void *ud, const char *file, uint64_t offset, const char *msg),
                   void *ud, struct archive_verify_stats *st, struct buf *err);

#endif
