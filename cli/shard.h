/* shard.h — `crawl --shard K/N`: which sites a shard takes. A site belongs
 * to shard FNV-1a-64(UTF-8 bytes of its name) mod N, K counted from 0
 * (Kubernetes' JOB_COMPLETION_INDEX). The hash is fixed for good
 * (docs/scaling.md writes it out): changing it would move sites between
 * archives. Pure; linked into the unit tests too. */
#ifndef NA_CLI_SHARD_H
#define NA_CLI_SHARD_H

#include <stdint.h>

/* FNV-1a, 64 bits: offset basis 0xcbf29ce484222325, prime 0x100000001b3. */
uint64_t shard_hash(const char *name);
/* The shard (0..n-1) of a site name. */
unsigned shard_of(const char *name, unsigned n);
/* Parses "K/N" (0 <= K < N <= 65536) into *k, *n. Returns 0, or -1. */
int shard_parse(const char *s, unsigned *k, unsigned *n);

#endif
