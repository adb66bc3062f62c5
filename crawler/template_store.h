/* template_store.h — a site's template (crawler/template.h) kept in the
 * archive's index (table template_blocks), and the re-extraction of one
 * archived article with it, as `reextract` writes it: the crawl uses it for
 * the articles archived before the template learned a block, `reextract`
 * for every article. */
#ifndef NA_TEMPLATE_STORE_H
#define NA_TEMPLATE_STORE_H

#include <stddef.h>
#include "util/buf.h"

struct archive;
struct index;
struct site;
struct template;

/* Archived articles of a site whose text one crawl run checks (and
 * re-extracts when dirty) after its template changed: the first archived
 * (a new site's); the rest wait for `newsarc reextract`. */
#define TEMPLATE_REFRESH_MAX 2000

/* The stored template of site into *out (a new one, empty for a site
 * never learned). Returns 0, NA_ENOMEM or NA_EDB with a message. */
int tstore_load(struct index *ix, const char *site, struct template **out, struct buf *err);

/* Writes the blocks changed since the last save and the article count
 * (inside the caller's transaction). Returns 0 or NA_EDB. */
int tstore_save(struct index *ix, const char *site, struct template *t);

enum { TSTORE_NEW, TSTORE_SAME, TSTORE_FAIL, TSTORE_NONE };

/* Re-extracts the newest archived response of url with site's settings (s
 * may be NULL: generic rules) and template t (may be NULL), and appends a
 * conversion and a metadata record unless text and fields came out as the
 * newest extraction has them (force: always). max_body: the decoded-body
 * cap (0: the default). Returns TSTORE_NEW, TSTORE_SAME, TSTORE_NONE (no
 * 200 response archived) or TSTORE_FAIL with a message in err. */
int tstore_reextract(struct archive *a, const struct site *s, const struct template *t, size_t max_body,
                     const char *url, int force, struct buf *err);

struct tstore_refresh_stats {
    long checked;    /* archived texts read */
    long dirty;      /* ... that contain a block the template now drops */
    long rewritten;  /* new extractions written */
    long failed;
};

/* After site's template changed: reads the newest text of the site's
 * first `first` archived articles (in the order archived; at most
 * TEMPLATE_REFRESH_MAX: those archived before the change, the rest were
 * cleaned with the template as it is) and writes a new extraction of
 * those that keep a line the template now drops: the archived text without
 * it, with the same fields (the current extractor's), else re-extracted
 * from the response (tstore_reextract). The
 * caller holds the archive's writer lock; writes go in transactions of its
 * own. Returns 0 or a negative code with a message in err. */
int tstore_refresh(struct archive *a, const struct site *s, const struct template *t, size_t max_body,
                   size_t first, struct tstore_refresh_stats *st, struct buf *err);

#endif

/* ---- the crawl's side: one run's templates ---- */

struct sites_config;
struct tstore_crawl;

/* Loads the template of every site i with on[i] and learn_boilerplate
 * into *out. Returns 0, or NA_ENOMEM or NA_EDB with a message in err. */
int tstore_crawl_new(struct archive *a, const struct sites_config *cfg, const int *on, struct tstore_crawl **out,
                     struct buf *err);
void tstore_crawl_free(struct tstore_crawl *tc);

/* The article text *text (malloc'd, replaced when lines are dropped) of
 * config site `site`, fetched from url: learned once per URL (a URL
 * archived with text before is not counted again), then the template's
 * lines dropped. Caller holds the archive lock. Returns 0 or NA_ENOMEM
 * (the text is left as it was). */
int tstore_crawl_article(struct tstore_crawl *tc, int site, const char *url, char **text);

/* Writes what was learned since the last call (inside the caller's
 * transaction, under the archive lock). Returns 0 or NA_EDB. */
int tstore_crawl_save(struct tstore_crawl *tc);

/* At the end of a run, after the last save: each site whose template
 * learned a new block re-extracts its articles archived earlier
 * (tstore_refresh), and one line per site says what the template did. */
void tstore_crawl_finish(struct tstore_crawl *tc, size_t max_body);

/* `try`: drops the template lines of site from *text (malloc'd, replaced
 * when lines go) as the crawl would, with the site's template read from the
 * archive in dir (index opened read-only; none there: nothing dropped).
 * explain (may be NULL) gets one line per template line and one saying
 * which template was used. Returns 0 or NA_ENOMEM. */
int tstore_try(const char *dir, const char *site, char **text, struct buf *explain);
