/* digest.c — SHA-1 through libcrypto's EVP interface, printed as "sha1:" +
 * RFC 4648 base32 (the form WARC-Block-Digest/WARC-Payload-Digest use). The
 * wrapper struct comes from na_malloc so fault injection reaches it. */
#include "store/digest.h"
#include "util/err.h"
#include "util/mem.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct digest {
    EVP_MD_CTX *ctx;
};

static void base32(const unsigned char md[20], char out[DIGEST_SHA1_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    memcpy(out, "sha1:", 5);
    char *o = out + 5;
    /* 160 bits = exactly 32 groups of 5 bits: no padding. */
    for (int i = 0; i < 20; i += 5) {
        uint64_t v = 0;
        for (int j = 0; j < 5; j++)
            v = (v << 8) | md[i + j];
        for (int k = 7; k >= 0; k--)
            *o++ = alphabet[(v >> (k * 5)) & 31];
    }
    *o = 0;
}

/* SHA-1 fetched from the provider once: EVP_sha1() makes every
 * EVP_DigestInit_ex fetch it again (a third of a small digest's cost). */
static EVP_MD *sha1_md;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static void sha1_fetch(void) { sha1_md = EVP_MD_fetch(NULL, "SHA1", NULL); }

struct digest *digest_new(void)
{
    struct digest *d = na_malloc(sizeof *d);
    if (!d)
        return NULL;
    pthread_once(&sha1_once, sha1_fetch);
    d->ctx = EVP_MD_CTX_new();
    if (!d->ctx || EVP_DigestInit_ex(d->ctx, sha1_md ? sha1_md : EVP_sha1(), NULL) != 1) {
        EVP_MD_CTX_free(d->ctx);
        free(d);
        return NULL;
    }
    return d;
}

void digest_update(struct digest *d, const void *p, size_t n)
{
    if (n)
        EVP_DigestUpdate(d->ctx, p, n);
}

void digest_finish(struct digest *d, char out[DIGEST_SHA1_LEN + 1])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(d->ctx, md, &len);
    base32(md, out);
    digest_free(d);
}

void digest_free(struct digest *d)
{
    if (!d)
        return;
    EVP_MD_CTX_free(d->ctx);
    free(d);
}

int digest_sha1(const void *p, size_t n, char out[DIGEST_SHA1_LEN + 1])
{
    struct slice s = { p, n };
    return digest_sha1_parts(&s, 1, out);
}

int digest_sha1_parts(const struct slice *parts, size_t nparts, char out[DIGEST_SHA1_LEN + 1])
{
    struct digest *d = digest_new();
    if (!d)
        return NA_ENOMEM;
    for (size_t i = 0; i < nparts; i++)
        digest_update(d, parts[i].p, parts[i].n);
    digest_finish(d, out);
    return 0;
}
