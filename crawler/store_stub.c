/* store_stub.c — TEMPORARY, until the store branch is merged: weak
 * definitions of the archive.h calls the crawler uses, so the crawler links
 * against the placeholder store/archive.c. The real (strong) definitions win
 * at link time; this file is deleted after the merge. */
#include "store/archive.h"
#include "util/err.h"

#include <stdlib.h>

#define WEAK __attribute__((weak))

WEAK int archive_add(struct archive *a, const struct capture *c, const struct article *art, struct buf *err)
{
    (void)a; (void)c; (void)art;
    buf_seterr(err, "archive not implemented yet");
    return NA_EUNSUPPORTED;
}
WEAK int archive_has_article(struct archive *a, const char *url) { (void)a; (void)url; return 0; }
WEAK int archive_has_capture(struct archive *a, const char *url) { (void)a; (void)url; return 0; }
WEAK int archive_validators(struct archive *a, const char *url, char **etag, char **lm)
{
    (void)a; (void)url;
    *etag = *lm = NULL;
    return 0;
}
WEAK int archive_frontier_add(struct archive *a, const char *site, const char *url, const char *referrer,
                              enum capture_kind kind, int depth)
{
    (void)a; (void)site; (void)url; (void)referrer; (void)kind; (void)depth;
    return NA_EUNSUPPORTED;
}
WEAK int archive_frontier_pending(struct archive *a, const char *site, size_t max,
                                  struct frontier_item **items, size_t *n)
{
    (void)a; (void)site; (void)max;
    *items = NULL;
    *n = 0;
    return 0;
}
WEAK void archive_frontier_items_free(struct frontier_item *items, size_t n) { (void)n; free(items); }
WEAK int archive_frontier_finish(struct archive *a, const char *url, int ok, int max_attempts)
{
    (void)a; (void)url; (void)ok; (void)max_attempts;
    return NA_EUNSUPPORTED;
}
WEAK int archive_state_set(struct archive *a, const char *site, const char *key, const char *value)
{
    (void)a; (void)site; (void)key; (void)value;
    return NA_EUNSUPPORTED;
}
WEAK char *archive_state_get(struct archive *a, const char *site, const char *key)
{
    (void)a; (void)site; (void)key;
    return NULL;
}
WEAK int archive_begin(struct archive *a) { (void)a; return 0; }
WEAK int archive_commit(struct archive *a) { (void)a; return 0; }
