/* digest.h — the digests WARC files carry: SHA-1 (libcrypto EVP) written as
 * "sha1:" + RFC 4648 base32 (32 characters, no padding needed), as Heritrix,
 * wget and warcio write WARC-Block-Digest and WARC-Payload-Digest. */
#ifndef NA_DIGEST_H
#define NA_DIGEST_H

#include <stddef.h>
#include "util/buf.h"

#define DIGEST_SHA1_LEN 37 /* "sha1:" + 32 base32 characters */

/* Incremental SHA-1. digest_new returns NULL when out of memory. */
struct digest;
struct digest *digest_new(void);
void digest_update(struct digest *d, const void *p, size_t n);
/* Writes "sha1:BASE32" (NUL-terminated) and frees d. */
void digest_finish(struct digest *d, char out[DIGEST_SHA1_LEN + 1]);
void digest_free(struct digest *d);

/* One-shot over n bytes. Returns 0 or NA_ENOMEM. */
int digest_sha1(const void *p, size_t n, char out[DIGEST_SHA1_LEN + 1]);
/* One-shot over the concatenation of parts. Returns 0 or NA_ENOMEM. */
int digest_sha1_parts(const struct slice *parts, size_t nparts, char out[DIGEST_SHA1_LEN + 1]);

#endif
