/* search.h — full-text search over an archive (the index's FTS5 trigram
 * table, store/index.h index_search) and near-duplicate clusters, for
 * `newsarc search`, `get`, and any reader such as a web view. The query
 * language (docs/newsarc.1, search):
 *   word word        both (AND); AND may be written
 *   "a phrase"       the exact sequence (also “…”)
 *   a OR b           either
 *   NOT word, -word  without it
 *   title:word       in the title only (also title:"a phrase")
 * Chinese needs no spaces: 项目签约 finds the four characters in a row.
 * Terms of 1 or 2 characters cannot use the trigram index: they are matched
 * as substrings (case-sensitive) of the articles the other terms find, or,
 * when the query has no longer term, of the newest SEARCH_SHORT_SCAN
 * articles only (newest archived first, no ranking); they cannot be OR-ed.
 * Ranking is bm25 (store/fts_rank.h); when more than SEARCH_RANK_WINDOW
 * articles match, only the newest SEARCH_RANK_WINDOW of them (archive
 * order) are ranked (search_info.capped): ranking every match of a word in
 * half the archive costs a second at a million articles. */
#ifndef NA_SEARCH_H
#define NA_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "store/index.h"
#include "util/buf.h"

struct archive;

#define SEARCH_MARK_OPEN "\x02"   /* before each highlighted match in a snippet */
#define SEARCH_MARK_CLOSE "\x03"  /* after it (control characters: never in the text) */
#define SEARCH_SHORT_SCAN 20000   /* articles a query of short terms only scans */
#define SEARCH_RANK_WINDOW 2000   /* more matches than this: the newest this many are ranked */
#define SEARCH_MAX_TERMS 32
#define SEARCH_MAX_QUERY 1000     /* bytes */

struct search_opts {
    const char *query;
    const char *site;            /* or NULL */
    const char *since, *until;   /* published dates (date_key), as export's; or NULL */
    size_t limit;                /* 0 = 20 */
    int title_only;              /* every term in the title only */
};

struct search_hit {
    int64_t id;                  /* article row */
    const char *url, *site, *title, *published, *date_key;
    time_t fetched;
    int64_t dup_of;              /* cluster root row, 0 none */
    double score;                /* bm25: smaller is better; 0 for a short-term scan */
    const char *snippet;         /* a piece of the text around the matches, marked */
};

struct search_info {
    int short_scan;              /* only short terms: the newest SEARCH_SHORT_SCAN articles were scanned */
    int capped;                  /* more than SEARCH_RANK_WINDOW matched: the newest were ranked */
    int64_t hits;
    int index_empty;             /* no row indexed though there are articles (archive from before search: reindex) */
};

/* A parsed query: what index_search takes. */
struct search_parsed {
    struct buf match;            /* FTS5 expression ("" = none) */
    struct index_term terms[SEARCH_MAX_TERMS];
    size_t nterms;
    char *store;                 /* the terms' strings */
    int short_only;              /* no term for the index: a scan */
};

/* Parses query. Returns 0, or NA_EINVAL with a message in err (empty query,
 * unbalanced quote, NOT without a term, a short term with OR, too long).
 * search_parsed_release frees (also after an error). */
int search_parse(const char *query, int title_only, struct search_parsed *p, struct buf *err);
void search_parsed_release(struct search_parsed *p);

/* Runs o on the archive a (readonly is fine); cb sees each hit during the
 * call, best first; nonzero stops and is returned. info may be NULL.
 * Returns 0, cb's value, or a negative code with a message in err. */
int search_run(struct archive *a, const struct search_opts *o, int (*cb)(void *ud, const struct search_hit *h),
               void *ud, struct search_info *info, struct buf *err);

/* The cluster of article row id (store/index.h index_cluster). */
int search_cluster(struct archive *a, int64_t id, int (*cb)(void *ud, const struct index_article *art), void *ud,
                   struct buf *err);

#endif
