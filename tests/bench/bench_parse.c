/* bench_parse.c — parser throughput on a folder of pages (.html or .html.gz),
 * single-threaded, in one process: every page is decompressed into memory
 * first (not timed), then each stage runs over all of them:
 *   gumbo    Gumbo's bare parse of the raw bytes (gumbo_parse + destroy)
 *   dom      dom_parse of the UTF-8 bytes (charset conversion done beforehand)
 *   extract  article_extract end to end (charset, dom, container, meta)
 * Usage: bench-parse [-r ROUNDS] [-s gumbo,dom,extract] DIR
 * Prints one line per stage: pages/s and MB/s (MB of raw page bytes) over
 * the process's CPU time. It is a benchmark, so it may include gumbo.h. */
#include "parser/arena.h"
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/dom.h"
#include "util/buf.h"

#include <dirent.h>
#include <gumbo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

struct page {
    char *raw;
    size_t n;
    char *utf8;
    size_t un;
};

/* CPU time of this process: the machine may be shared, and descheduled
 * time says nothing about the parser. */
static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load(const char *path, struct page *p)
{
    gzFile f = gzopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    int r;
    while (b && (r = gzread(f, b + n, (unsigned)(cap - n))) > 0) {
        n += (size_t)r;
        if (n == cap) {
            char *nb = realloc(b, cap *= 2);
            if (!nb)
                free(b);
            b = nb;
        }
    }
    gzclose(f);
    if (!b)
        return -1;
    p->raw = b;
    p->n = n;
    return 0;
}

static void report(const char *stage, size_t pages, size_t bytes, double secs, int rounds)
{
    double pg = (double)pages * rounds, mb = (double)bytes * rounds / 1e6;
    printf("%-8s %6zu pages x%d  %7.2f s  %8.1f pages/s  %7.2f MB/s\n", stage, pages, rounds, secs,
           pg / secs, mb / secs);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    int rounds = 1, opt;
    const char *stages = "gumbo,dom,extract";
    while ((opt = getopt(argc, argv, "r:s:")) != -1) {
        if (opt == 'r')
            rounds = (int)strtol(optarg, NULL, 10);
        else if (opt == 's')
            stages = optarg;
        else {
            fprintf(stderr, "usage: bench-parse [-r ROUNDS] [-s gumbo,dom,extract] DIR\n");
            return 2;
        }
    }
    if (optind >= argc || rounds < 1) {
        fprintf(stderr, "usage: bench-parse [-r ROUNDS] [-s gumbo,dom,extract] DIR\n");
        return 2;
    }
    const char *dir = argv[optind];
    DIR *dp = opendir(dir);
    if (!dp) {
        perror(dir);
        return 1;
    }
    size_t nn = 0, cn = 256;
    char **names = malloc(cn * sizeof *names);
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        if (nn == cn)
            names = realloc(names, (cn *= 2) * sizeof *names);
        names[nn++] = strdup(de->d_name);
    }
    closedir(dp);
    qsort(names, nn, sizeof *names, cmp_str);
    struct page *pages = calloc(nn ? nn : 1, sizeof *pages);
    size_t np = 0, bytes = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (load(path, &pages[np]) == 0)
            bytes += pages[np++].n;
        free(names[i]);
    }
    free(names);
    printf("corpus   %zu pages, %.1f MB decompressed\n", np, (double)bytes / 1e6);

    if (strstr(stages, "gumbo")) {
        GumboOptions go = kGumboDefaultOptions;
        go.max_errors = 100;
        double t0 = now_s();
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < np; i++) {
                GumboOutput *g = gumbo_parse_with_options(&go, pages[i].raw, pages[i].n);
                gumbo_destroy_output(&go, g);
            }
        report("gumbo", np, bytes, now_s() - t0, rounds);
    }
    if (strstr(stages, "dom")) {
        for (size_t i = 0; i < np; i++) {
            struct buf u = BUF_INIT;
            struct charset_info ci;
            if (charset_to_utf8(pages[i].raw, pages[i].n, NULL, &u, &ci, NULL) == 0)
                pages[i].utf8 = buf_detach(&u, &pages[i].un);
            buf_release(&u);
        }
        /* one worker's chunk cache, as article_extract gets from its extract_ctx */
        struct dom_opts dopts;
        memset(&dopts, 0, sizeof dopts);
        dopts.cache = getenv("BENCH_NO_CTX") ? NULL : arena_cache_new();
        double t0 = now_s();
        size_t fails = 0;
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < np; i++) {
                struct dom *d = NULL;
                if (!pages[i].utf8 || dom_parse(pages[i].utf8, pages[i].un, &dopts, &d, NULL))
                    fails++;
                dom_free(d);
            }
        arena_cache_free(dopts.cache);
        report("dom", np, bytes, now_s() - t0, rounds);
        if (fails)
            printf("dom      %zu failures\n", fails);
        for (size_t i = 0; i < np; i++)
            free(pages[i].utf8);
    }
    if (strstr(stages, "extract")) {
        struct article_opts ao;
        memset(&ao, 0, sizeof ao);
        ao.now = 1700000000;
        /* one worker's context, as a crawl worker keeps (BENCH_NO_CTX=1: a
         * temporary one per page, as callers that pass none get) */
        ao.ctx = getenv("BENCH_NO_CTX") ? NULL : extract_ctx_new();
        size_t fails = 0;
        double t0 = now_s();
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < np; i++) {
                struct article a;
                article_init(&a);
                if (article_extract(pages[i].raw, pages[i].n, &ao, &a, NULL))
                    fails++;
                article_release(&a);
            }
        report("extract", np, bytes, now_s() - t0, rounds);
        extract_ctx_free(ao.ctx);
        if (fails)
            printf("extract  %zu failures\n", fails);
    }
    for (size_t i = 0; i < np; i++)
        free(pages[i].raw);
    free(pages);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("maxrss   %ld MB (includes the preloaded corpus)\n", ru.ru_maxrss / 1024);
    return 0;
}
