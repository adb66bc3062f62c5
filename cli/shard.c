/* shard.c — sites of a shard: see shard.h. */
#include "cli/shard.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

uint64_t shard_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

unsigned shard_of(const char *name, unsigned n)
{
    return n ? (unsigned)(shard_hash(name) % n) : 0;
}

int shard_parse(const char *s, unsigned *k, unsigned *n)
{
    char *end;
    if (!isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    unsigned long a = strtoul(s, &end, 10);
    if (errno || *end != '/' || !isdigit((unsigned char)end[1]))
        return -1;
    const char *q = end + 1;
    unsigned long b = strtoul(q, &end, 10);
    if (errno || *end || b < 1 || b > 65536 || a >= b)
        return -1;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return 0;
}
