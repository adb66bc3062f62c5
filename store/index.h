/* index.h — ARCHIVE/index.sqlite: where every record of the WARC files sits
 * (captures, articles) plus the crawler's persistent state (frontier, per-site
 * key/value). The only file that sees SQLite (store/index.c). WAL mode, so
 * readers work while a writer commits; the schema is versioned (PRAGMA
 * user_version + a migrations table) and migrated by a writable open. The
 * schema is documented in docs/archive-format.md. */
#ifndef NA_INDEX_H
#define NA_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "util/article_fields.h"
#include "util/buf.h"

#define INDEX_SCHEMA_VERSION 6

struct index;

enum {
    INDEX_READONLY = 1,   /* SQLITE_OPEN_READONLY; no migrations (an old schema is NA_EDB) */
    INDEX_CREATE = 2,     /* create the file if missing (writers) */
    INDEX_FAST = 4,       /* synchronous=OFF, for reindex into a temp file */
};

/* Opens the index at path. Returns 0, NA_ENOTFOUND (no file and no
 * INDEX_CREATE), NA_ECORRUPT ("not a newsarc index": not an SQLite file),
 * NA_ELOCKED (read-only, and the file has no tables yet: a writer is
 * creating it), NA_EDB (with SQLite's message), NA_ENOMEM. */
int index_open(const char *path, int flags, struct index **out, struct buf *err);
/* Closes (finalizing statements; a WAL checkpoint happens on the last
 * close). NULL is fine. */
void index_close(struct index *ix);

/* Transactions (nesting is not supported: begin twice is NA_EINVAL). On a
 * read-only index, index_begin starts a read transaction: every read until
 * index_commit/index_rollback sees one snapshot (verify, beside a writer). */
int index_begin(struct index *ix, struct buf *err);
int index_commit(struct index *ix, struct buf *err);
void index_rollback(struct index *ix);
int index_in_transaction(const struct index *ix);
/* 1 when a transaction was begun but SQLite has rolled it back by itself
 * (it may on SQLITE_FULL, SQLITE_IOERR, SQLITE_NOMEM): its rows are gone,
 * and later statements would each commit on their own. */
int index_transaction_lost(const struct index *ix);
/* 1 when another writer process waits for the write lock this handle's
 * open transaction holds (the waiter marks PATH-wait): a batch should
 * commit now rather than at its size or age limit. */
int index_contended(struct index *ix);
/* full=1: every commit also syncs the write-ahead log (synchronous=FULL),
 * so it survives a power loss before anything written after it; full=0
 * back to NORMAL. Not inside a transaction (NA_EINVAL). */
int index_sync_commits(struct index *ix, int full, struct buf *err);
/* A named savepoint (nests inside a transaction, or starts one): the rows of
 * one archive_add go in or out together. */
int index_savepoint(struct index *ix, struct buf *err);
int index_release(struct index *ix, struct buf *err);
void index_rollback_savepoint(struct index *ix);

/* What a capture holds (the Newsarc-Kind WARC field names it: index_kind_name). */
enum capture_kind {
    CAPTURE_ARTICLE = 1, CAPTURE_LISTING, CAPTURE_FEED, CAPTURE_SITEMAP, CAPTURE_ROBOTS, CAPTURE_OTHER,
    CAPTURE_IMAGE /* an image of an archived article (sites.conf requisites = images) */
};

/* "article", "listing", "feed", "sitemap", "robots", "other", "image" (out of range
 * → "other"); index_kind_parse maps back (unknown or NULL → CAPTURE_OTHER). */
const char *index_kind_name(int kind);
int index_kind_parse(const char *s);

/* The rows come in two shapes: the *_in structs are what the writers give
 * (index_add_*: every string borrowed for the call), the others what the
 * queries return (every string owned by the struct: *_release()). */

/* Location of one WARC record: file is the name in ARCHIVE/warc (no
 * directory) or NULL when the record does not exist. */
struct index_loc {
    char *file;        /* owned */
    uint64_t offset;   /* of the gzip member */
    uint64_t length;   /* compressed length */
};
struct index_loc_in {
    const char *file;  /* borrowed */
    uint64_t offset, length;
};

/* One capture: a response or revisit record (+ its request and, for the
 * first extraction, conversion and metadata records). */
struct index_capture {
    int64_t id;
    char *url;
    char *site;              /* or NULL */
    int kind;                /* enum capture_kind */
    time_t fetched;          /* WARC-Date */
    int status;              /* HTTP status (304 for a not-modified revisit) */
    char *etag, *last_modified; /* validators as received, or NULL */
    char *payload_digest;    /* sha1:… (for a revisit: the original's), or NULL */
    char *ip;                /* or NULL */
    int revisit;             /* 0 response, 1 revisit */
    char *profile;           /* revisit profile URI, or NULL */
    char *record_id;         /* WARC-Record-ID of the response/revisit */
    int64_t refers_to;       /* revisit: capture id of the original response, 0 unknown */
    struct index_loc request, response, conversion, metadata; /* response = the response or revisit record */
};

/* index_add_capture's input: the members of struct index_capture but id
 * (assigned), borrowed; refers_to 0 = none. */
struct index_capture_in {
    const char *url, *site;
    int kind;
    time_t fetched;
    int status;
    const char *etag, *last_modified, *payload_digest, *ip;
    int revisit;
    const char *profile, *record_id;
    int64_t refers_to;
    struct index_loc_in request, response, conversion, metadata;
};

/* One extraction of an article (a capture may have several: reextract adds
 * newer ones). The metadata members (title … charset) are the list of
 * util/article_fields.h; index_article_release() frees the strings. */
struct index_article {
    int64_t id;
    char *url;
    char *site;
    ARTICLE_FIELDS(ARTICLE_FIELD_OWNED)
    char *text_digest;       /* sha1:… of the UTF-8 text (= the conversion record's block digest) */
    uint64_t text_len;       /* bytes of text */
    int64_t capture_id;      /* the capture whose response the text came from */
    time_t fetched;          /* that capture's time */
    time_t extracted;        /* when the extraction was written (conversion WARC-Date) */
    char *extractor_version; /* the extractor's version at extraction (archive_text.extractor) */
    char *conversion_id;     /* WARC-Record-ID of the conversion record */
    struct index_loc conversion, metadata, response; /* response: the capture's response record */
    int64_t dup_of;          /* the first article (row) of its near-duplicate cluster, 0 none */
};

/* index_add_article's input, borrowed (the response location is the
 * capture's: not given). */
struct index_article_in {
    const char *url, *site;
    ARTICLE_FIELDS(ARTICLE_FIELD_BORROWED)
    const char *text_digest;
    uint64_t text_len;
    int64_t capture_id;
    time_t fetched, extracted;
    const char *extractor_version, *conversion_id;
    struct index_loc_in conversion, metadata;
    /* The clean text (text_len bytes), or NULL: with it the row is added to
     * the search index (as the URL's newest) and gets a SimHash and its
     * near-duplicate cluster (dup_of). */
    const char *text;
};

void index_capture_release(struct index_capture *c);
void index_article_release(struct index_article *a);

/* ---- writing (the archive writer and reindex) ---- */

/* Inserts a capture row; *id (may be NULL) receives its id. Returns 0 or NA_EDB. */
int index_add_capture(struct index *ix, const struct index_capture_in *c, int64_t *id, struct buf *err);
/* Inserts an article row (capture_id must exist); *id may be NULL. */
int index_add_article(struct index *ix, const struct index_article_in *a, int64_t *id, struct buf *err);
/* Sets the conversion/metadata locations of a capture (its first extraction). */
int index_set_capture_extraction(struct index *ix, int64_t capture_id, const struct index_loc_in *conversion,
                                 const struct index_loc_in *metadata, struct buf *err);
/* How far file has been indexed (end offset of the last indexed member);
 * 0 and return 0 for an unknown file. Returns 1 known, 0 unknown, <0 error. */
int index_file_end(struct index *ix, const char *file, uint64_t *end, struct buf *err);
/* Records that file is indexed up to end (call inside the transaction that
 * adds the rows). */
int index_set_file_end(struct index *ix, const char *file, uint64_t end, struct buf *err);
/* Every WARC file the index knows, with its indexed end; cb returns 0 to go on. */
int index_files(struct index *ix, int (*cb)(void *ud, const char *file, uint64_t end), void *ud,
                struct buf *err);

/* ---- queries (readers and writers) ---- */

enum index_order {
    INDEX_ORDER_DEFAULT = 0, /* articles: newest date first; captures: insertion (file) order */
    INDEX_ORDER_DATE_ASC,    /* articles: oldest date first; captures: oldest fetch first */
    INDEX_ORDER_DATE_DESC,
    INDEX_ORDER_URL,
    INDEX_ORDER_ID,          /* insertion order */
};

/* Filters; every member optional (NULL/0 = no filter). Borrowed. */
struct index_query {
    const char *site;
    const char *url;         /* exact URL */
    /* Dates "YYYY-MM-DD" or longer ISO 8601 prefixes. For articles the date is
     * `published` when known, else the capture's fetch time as
     * "YYYY-MM-DDThh:mm:ssZ"; for captures it is the fetch time. A row matches
     * when date >= since and its first strlen(until) characters <= until
     * (so until=2024-03-01 includes that whole day). */
    const char *since, *until;
    int by_fetched;          /* articles: compare the fetch time, not published */
    int all_extractions;     /* articles: every extraction, not only the newest per URL */
    int kind;                /* captures: enum capture_kind, 0 = any */
    int status;              /* captures: HTTP status, 0 = any */
    int responses_only;      /* captures: skip revisits */
    enum index_order order;
    size_t limit;            /* 0 = no limit */
    int64_t after_id;        /* articles: only rows with id > after_id (export --cursor); 0 = all */
};

/* Calls cb for each matching article (by default only the newest extraction
 * of each URL: greatest `extracted`, then greatest id). The struct and its
 * strings are valid during the call only. cb returns 0 to go on; a non-zero
 * value stops and is returned. Returns 0, cb's value, or NA_EDB. */
int index_articles(struct index *ix, const struct index_query *q,
                   int (*cb)(void *ud, const struct index_article *a), void *ud, struct buf *err);
/* Same for captures (responses and revisits). */
int index_captures(struct index *ix, const struct index_query *q,
                   int (*cb)(void *ud, const struct index_capture *c), void *ud, struct buf *err);

/* The export cursor's position after a reindex renumbered the rows: *id
 * receives the row id of the article row whose conversion record is
 * conversion_id when the row `id` (the cursor's) holds another one. Returns
 * 1 (found; *id set), 0 (no row has it), <0 error. */
int index_cursor_resolve(struct index *ix, int64_t *id, const char *conversion_id, struct buf *err);

/* ---- full-text search and near-duplicates (store/search.h builds on these) ---- */

/* A term matched by substring instead of the trigram index (fewer than 3
 * characters, which trigrams cannot find). */
struct index_term {
    const char *s;
    int title_only;          /* in the title only, else title or text */
    int negate;              /* must not occur */
};

struct index_search_q {
    const char *match;       /* FTS5 query over articles_fts, or NULL (terms only) */
    const struct index_term *terms; /* further filters, AND-ed */
    size_t nterms;
    const char *site, *since, *until; /* as struct index_query (date_key) */
    size_t limit;            /* 0 = 20 */
    int64_t scan_max;        /* no match: only the newest scan_max articles (by row) are scanned */
    size_t rank_window;      /* 0, or with a match: when more articles match, only the newest
                              * rank_window (by row) are ranked */
    int *capped;             /* or NULL: set to 1 when rank_window cut the matches, else 0 */
};

struct index_hit {
    int64_t id;
    const char *url, *site, *title, *published, *date_key;
    time_t fetched;
    int64_t dup_of;          /* 0 none */
    double score;            /* bm25 (smaller is better); 0 without match */
    const char *snippet;     /* with match: \x02 before and \x03 after each hit */
    const char *text;        /* without match: the whole text (the caller cuts a snippet), else NULL */
};

/* Runs q: with a match, ranked by bm25 (title weighted 4x; store/fts_rank.h),
 * ties newer first; without, newest archived first. cb sees each hit during
 * the call; nonzero stops and is returned. Returns 0, cb's value, NA_EINVAL (a query FTS5
 * rejects, message in err), NA_EDB. */
int index_search(struct index *ix, const struct index_search_q *q, int (*cb)(void *ud, const struct index_hit *h),
                 void *ud, struct buf *err);
/* The articles of the cluster of article id (its root and every current
 * extraction whose dup_of is that root), oldest first, the article itself
 * included; cb as index_articles'. A lone article gives itself only. */
int index_cluster(struct index *ix, int64_t id, int (*cb)(void *ud, const struct index_article *a), void *ud,
                  struct buf *err);
/* The root row of every near-duplicate cluster with a current member (of
 * site, when not NULL), in row order; cb returns 0 to go on. */
int index_dup_roots(struct index *ix, const char *site, int (*cb)(void *ud, int64_t root), void *ud,
                    struct buf *err);
/* Near-duplicates are looked for among the articles fetched at most this
 * long before or after the new one (a month: syndicated regional news is
 * republished within days, and a recrawl or a backfill of a site can fetch
 * a copy weeks after its source; the archive's size does not enter in the
 * window, so the lookup's cost grows with the articles fetched per month,
 * not with the years kept). Published dates are too often wrong or missing
 * to bound the search. */
#define INDEX_DUP_WINDOW (31 * 86400)
/* The root of the near-duplicate cluster that a text with SimHash sh at url,
 * fetched then, joins (what index_add_article records as its dup_of): the
 * smallest root (dup_of, else id) among other URLs' current extractions
 * within SIMHASH_MAX_DISTANCE bits fetched within INDEX_DUP_WINDOW; *root = 0 when
 * none. Returns 0 or NA_EDB. */
int index_dup_root(struct index *ix, const char *url, int64_t fetched, uint64_t sh, int64_t *root,
                   struct buf *err);

/* For the tests: the query plan of each statement the index keeps prepared
 * (the ones every archived page runs), one line per plan step:
 * "N<TAB>detail", N the statement's number. A crawl's cost per page must
 * not grow with the archive, so no such step may scan a table. */
int index_explain(struct index *ix, struct buf *out, struct buf *err);
/* Whether any row is search-indexed, and whether there is any current
 * article (1/0 each; an archive from before schema 5 has none indexed until
 * a reindex). */
int index_search_counts(struct index *ix, int64_t *indexed, int64_t *articles, struct buf *err);

/* Newest extraction of url into out (caller releases). Returns 1 found, 0
 * none, <0 error. */
int index_article_get(struct index *ix, const char *url, struct index_article *out, struct buf *err);
/* Newest capture of url; with need_response only response records (not
 * revisits), e.g. for `get --raw`. Returns 1/0/<0 as above. */
int index_capture_get(struct index *ix, const char *url, int need_response, struct index_capture *out,
                      struct buf *err);
int index_capture_by_id(struct index *ix, int64_t id, struct index_capture *out, struct buf *err);
int index_capture_by_record_id(struct index *ix, const char *record_id, struct index_capture *out,
                               struct buf *err);

struct index_stats {
    int64_t captures;        /* rows (responses + revisits) */
    int64_t responses, revisits;
    int64_t articles;        /* distinct article URLs with an extraction */
    int64_t extractions;     /* article rows */
    int64_t sites;           /* distinct non-NULL sites among captures */
    int64_t files;           /* WARC files known */
    time_t first_fetch, last_fetch; /* 0 when empty */
    int64_t frontier_pending, frontier_done, frontier_failed;
    /* WARC records the rows point at, by type (a metadata record of a
     * capture without an extraction row counts too) */
    int64_t rec_request, rec_response, rec_revisit, rec_conversion, rec_metadata;
};
int index_stats(struct index *ix, struct index_stats *out, struct buf *err);

struct index_site_stats {
    const char *site;        /* "" for captures without a site */
    int64_t captures, articles;
    time_t last_fetch;
    const char *newest_published; /* greatest published date, or NULL */
};
/* One call per site, ordered by name; valid during the call. */
int index_site_stats(struct index *ix, int (*cb)(void *ud, const struct index_site_stats *s), void *ud,
                     struct buf *err);

/* ---- crawler state (see store/archive.h for the meaning) ---- */

int index_has_article(struct index *ix, const char *url);   /* 1/0, <0 error */
int index_has_capture(struct index *ix, const char *url);
int index_validators(struct index *ix, const char *url, char **etag, char **last_modified);

/* Persistent frontier (crawl queue), for resume after a kill, with the
 * retry policy's state (docs/archive-format.md, table frontier). Owned
 * strings: index_frontier_items_free. */
struct frontier_item {
    char *url, *site, *referrer;
    enum capture_kind kind;
    int depth;                  /* listing page number, link depth … */
    int attempts;               /* failed attempts so far */
    int given_up;               /* no more automatic attempts */
    char *reason;               /* why the last attempt failed ("HTTP 503", "timeout"…), or NULL */
    int status;                 /* HTTP status of the last failed attempt, 0 none */
    time_t last_attempt, next_attempt; /* unix times, 0 none */
};
/* What index_frontier_pending lists. */
enum {
    INDEX_FR_DUE = 0,           /* pending rows whose next attempt has come (by now) */
    INDEX_FR_RETRY_ALL = 1,     /* every row not done (pending, due or not, and given up) */
    INDEX_FR_FAILED = 2,        /* rows with a failed attempt (retrying or given up), by site */
};
/* Most rows one index_frontier_pending call returns, whatever max says;
 * a caller wanting more calls again after marking these. */
#define INDEX_FRONTIER_MAX_ITEMS ((size_t)1 << 20)

int index_frontier_add(struct index *ix, const char *site, const char *url, const char *referrer, int kind,
                       int depth);
/* Up to max (at most INDEX_FRONTIER_MAX_ITEMS) items of site (all sites if
 * NULL) as mode (INDEX_FR_*) says, in insertion order (INDEX_FR_FAILED: by
 * site, given up last, then next attempt); now: for INDEX_FR_DUE. */
int index_frontier_pending(struct index *ix, const char *site, size_t max, int mode, time_t now,
                           struct frontier_item **items, size_t *n);
void index_frontier_items_free(struct frontier_item *items, size_t n); /* NULL is fine */
/* Marks url done. */
int index_frontier_finish(struct index *ix, const char *url);
/* One more failed attempt at url (see archive_frontier_fail). */
int index_frontier_fail(struct index *ix, const char *url, const char *reason, int status, const long *delays,
                        size_t ndelays, time_t now);
/* For each (state, reason) of the frontier's failed rows — given_up 0:
 * retrying (pending after a failure), 1: given up — the count, by state
 * then count (largest first); reason "" when none was recorded. cb returns
 * 0 to go on. */
int index_frontier_reasons(struct index *ix, int (*cb)(void *ud, int given_up, const char *reason, int64_t n),
                           void *ud, struct buf *err);
int index_state_set(struct index *ix, const char *site, const char *key, const char *value);
char *index_state_get(struct index *ix, const char *site, const char *key);

/* A site's template of recurring blocks (crawler/template_store.h): the
 * count of articles containing each block hash; hash 0 holds the count of
 * articles learned. put sets one count (inside the caller's transaction);
 * forget deletes the blocks counted on at most `under` articles; load
 * calls cb for each row (cb's non-zero value stops and is returned).
 * Return 0, or NA_EDB (load: with a message). */
int index_template_put(struct index *ix, const char *site, int64_t hash, int64_t n);
int index_template_forget(struct index *ix, const char *site, int64_t under);
int index_template_load(struct index *ix, const char *site, int (*cb)(void *ud, int64_t hash, int64_t n), void *ud,
                        struct buf *err);
/* Copies the frontier and state tables from the index at path (reindex keeps
 * the crawler's state). Returns 0, NA_ENOTFOUND, NA_EDB. */
int index_copy_state(struct index *ix, const char *path, struct buf *err);

#endif
