/* cmd_reindex.c — `newsarc reindex [-c FILE | -a DIR]`: rebuilds DIR/index.sqlite from
 * the WARC files alone (into a temporary file, then renamed over the old
 * one; the crawl state is carried over when the old index is readable).
 * Damaged records are skipped (the reader resyncs at the next record) and
 * named: exit 1 then. Takes the writer lock: exit 3 while a crawl runs. */
#include "cli/cmd.h"
#include "crawler/sites.h"
#include "cli/args.h"
#include "store/archive.h"
#include "util/err.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc reindex [-a DIR] [-q]\n\n"
               "Rebuilds DIR/index.sqlite from the WARC files in DIR/warc alone (a torn\n"
               "record at the end of a file is truncated first). A damaged record is\n"
               "skipped: each FILE:OFFSET: bytes A-B damaged is logged, every record after\n"
               "it is indexed, and the exit status is 1. The frontier and per-site state\n"
               "of the old index are kept when it is readable.\n\n"
               "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
               "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
               "                     ./sites.conf's, else ./archive)\n"
               "  -q, --quiet        no summary line\n"
               "  -h, --help         this help\n");
}

int cmd_reindex(int argc, char **argv)
{
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' }, { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *config = NULL;
    int quiet = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:a:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        usage(stderr);
        return CMD_USAGE;
    }
    if (cli_read_archive("reindex", dir, config, &dir, NULL) != CMD_OK)
        return CMD_USAGE;
    struct archive_reindex_stats st;
    struct buf err = BUF_INIT;
    int rc = archive_reindex(dir, &st, &err);
    if (rc) {
        fprintf(stderr, "newsarc reindex: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return rc == NA_ELOCKED ? CMD_LOCKED : CMD_PARTIAL;
    }
    buf_release(&err);
    if (!quiet) {
        printf("reindex: %s: %llu files, %llu records, %llu bytes: %llu captures, %llu articles", dir,
               (unsigned long long)st.files, (unsigned long long)st.records, (unsigned long long)st.bytes,
               (unsigned long long)st.captures, (unsigned long long)st.articles);
        if (st.damaged)
            printf("; %llu damaged range%s (%llu bytes) skipped", (unsigned long long)st.damaged,
                   st.damaged == 1 ? "" : "s", (unsigned long long)st.damaged_bytes);
        printf("\n");
    }
    return st.damaged ? CMD_PARTIAL : CMD_OK;
}
