/* simhash_texts.c — util/simhash over texts, for tests/scripts/dups_pairs.sh
 * (the labelled near-duplicate pairs of the dev corpora) and the CPU figure
 * of tests/bench/bench-dups.sh: reads texts separated by NUL bytes from
 * stdin and prints one line per text, in order: the 16 hex digits of its
 * SimHash, or "-" when the text is too short to have one.
 *   simhash_texts [--repeat N]   hash every text N times (timing; one output)
 *   simhash_texts --params       prints "max_distance D" and "bands B"
 * Exit 1 on a read error or out of memory. */
#include "util/mem.h"
#include "util/simhash.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (256u << 20) /* 256 MB of texts at most */

int main(int argc, char **argv)
{
    long repeat = 1;
    if (argc == 2 && strcmp(argv[1], "--params") == 0) {
        printf("max_distance %d\nbands %d\n", SIMHASH_MAX_DISTANCE, SIMHASH_BANDS);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--repeat") == 0)
        repeat = strtol(argv[2], NULL, 10);
    if ((argc != 1 && argc != 3) || repeat < 1 || repeat > 100000) {
        fprintf(stderr, "usage: simhash_texts [--repeat N] < NUL-separated texts\n");
        return 2;
    }
    size_t cap = 1 << 20, len = 0;
    char *all = na_malloc(cap);
    for (;;) {
        if (!all)
            return fprintf(stderr, "simhash_texts: out of memory\n"), 1;
        size_t got = fread(all + len, 1, cap - len, stdin);
        len += got;
        if (got == 0)
            break;
        if (len == cap) {
            if (cap >= MAX_INPUT)
                return fprintf(stderr, "simhash_texts: input over %u bytes\n", MAX_INPUT), 1;
            cap *= 2;
            all = na_realloc(all, cap);
        }
    }
    if (ferror(stdin))
        return fprintf(stderr, "simhash_texts: read error\n"), 1;
    for (long r = 0; r < repeat; r++) {
        size_t at = 0;
        while (at < len) {
            const char *end = memchr(all + at, 0, len - at);
            size_t n = end ? (size_t)(end - (all + at)) : len - at;
            uint64_t h;
            int ok = simhash64(all + at, n, &h);
            if (r == repeat - 1) {
                if (ok)
                    printf("%016" PRIx64 "\n", h);
                else
                    printf("-\n");
            }
            at += n + 1;
        }
    }
    free(all);
    return ferror(stdout) ? 1 : 0;
}
