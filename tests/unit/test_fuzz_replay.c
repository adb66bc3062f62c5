/* test_fuzz_replay.c — replays the seed corpus of every libFuzzer target in
 * tests/fuzz/ (tests/fuzz/seeds-fuzz_NAME/: each file whole and cut in half)
 * through the target's own body, compiled here without libFuzzer
 * (NA_FUZZ_REPLAY, see tests/fuzz/fuzz.h), so `make test` and `make asan`
 * check the targets' invariants on the seeds and on every crash reproducer
 * kept among them. fuzz_targets_all_replayed fails when a fuzz_*.c has no
 * replay here or no seeds. (fuzz_extract and fuzz_dom_placeholders are
 * replayed by test_badinput.c and test_dom_placeholders.c.) */
#include "tests/check.h"

#define NA_FUZZ_REPLAY 1
#include "tests/fuzz/fuzz_date.c"
#include "tests/fuzz/fuzz_dechunk.c"
#include "tests/fuzz/fuzz_decode.c"
#include "tests/fuzz/fuzz_discover.c"
#include "tests/fuzz/fuzz_robots.c"
#include "tests/fuzz/fuzz_sites.c"
#include "tests/fuzz/fuzz_url.c"
#include "tests/fuzz/fuzz_warc.c"

#include <dirent.h>
#include <time.h>

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

static const struct {
    const char *name;
    fuzz_fn fn;
} replayed[] = {
    { "fuzz_date", fuzz_date_one },         { "fuzz_dechunk", fuzz_dechunk_one },
    { "fuzz_decode", fuzz_decode_one },     { "fuzz_discover", fuzz_discover_one },
    { "fuzz_robots", fuzz_robots_one },     { "fuzz_sites", fuzz_sites_one },
    { "fuzz_url", fuzz_url_one },           { "fuzz_warc", fuzz_warc_one },
    /* replayed by their own unit files */
    { "fuzz_extract", NULL },               { "fuzz_dom_placeholders", NULL },
};

static double replay_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs fn on every file of tests/fuzz/seeds-NAME (whole, then its first
 * half), each from an exact-size copy so that ASan sees reads past the end.
 * Returns the number of files. */
static int replay_dir(const char *name, fuzz_fn fn)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/seeds-%s", test_srcdir(), name);
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    if (!dp)
        return 0;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *p = test_read_file(path, &len);
        CHECK(p != NULL);
        if (!p)
            continue;
        uint8_t *exact = malloc(len ? len : 1);
        CHECK(exact != NULL);
        if (exact) {
            memcpy(exact, p, len);
            double t0 = replay_cpu();
            fn(exact, len);
            if (len > 1)
                fn(exact, len / 2);
            double secs = replay_cpu() - t0;
            if (secs > 5) {
                fprintf(stderr, "%s/%s: %.2f CPU seconds\n", name, de->d_name, secs);
                test_failures++;
            }
        }
        free(exact);
        free(p);
        n++;
    }
    closedir(dp);
    return n;
}

#define REPLAY(NAME)                               \
    TEST(fuzz_replay_##NAME)                       \
    {                                              \
        CHECK(replay_dir(#NAME, NAME##_one) >= 5); \
    }

REPLAY(fuzz_date)
REPLAY(fuzz_dechunk)
REPLAY(fuzz_decode)
REPLAY(fuzz_discover)
REPLAY(fuzz_robots)
REPLAY(fuzz_sites)
REPLAY(fuzz_url)
REPLAY(fuzz_warc)

TEST(fuzz_targets_all_replayed)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz", test_srcdir());
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    if (!dp)
        return;
    int targets = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (strncmp(de->d_name, "fuzz_", 5) != 0 || n < 3 || strcmp(de->d_name + n - 2, ".c") != 0)
            continue;
        targets++;
        int known = 0;
        for (size_t i = 0; i < sizeof replayed / sizeof replayed[0]; i++)
            if (strlen(replayed[i].name) == n - 2 && strncmp(replayed[i].name, de->d_name, n - 2) == 0)
                known = 1;
        if (!known) {
            fprintf(stderr, "tests/fuzz/%s: no seed replay in test_fuzz_replay.c\n", de->d_name);
            test_failures++;
        }
        char seeds[8192];
        snprintf(seeds, sizeof seeds, "%s/seeds-%.*s", dir, (int)(n - 2), de->d_name);
        DIR *sd = opendir(seeds);
        if (!sd) {
            fprintf(stderr, "tests/fuzz/%s: no seed folder %s\n", de->d_name, seeds);
            test_failures++;
        } else {
            closedir(sd);
        }
    }
    closedir(dp);
    CHECK(targets >= 10);
}
