/* surt.h — the SURT key of a URL ("com,example)/a/b?x=1&y=2"), the sort and
 * lookup key of CDX/CDXJ indexes. Follows the canonicalization of the
 * Internet Archive's python surt package as pywb uses it (surt.surt(url) with
 * its defaults: Google then IA canonicalizer, no scheme, no trailing comma),
 * so that pywb and OutbackCDX find the lines `newsarc export --format cdxj`
 * writes. Differences: hosts are not IDNA-encoded (non-ASCII is
 * percent-escaped) and percent-decoding works on bytes (GBK escapes survive). */
#ifndef NA_SURT_H
#define NA_SURT_H

#include <stddef.h>
#include "util/buf.h"

/* Longest URL accepted (bytes); longer input gives NA_ETOOBIG. */
#define SURT_MAX_URL ((size_t)1 << 16)

/* Appends the SURT key of the n bytes of url to out (nothing else: no NUL
 * beyond buf's own). Returns 0, NA_EINVAL for an empty URL, NA_ETOOBIG, or
 * out's sticky error. url is borrowed; on error out may hold a partial key
 * after its previous content (truncate it if that matters). */
int surt_key(const char *url, size_t n, struct buf *out);

#endif
