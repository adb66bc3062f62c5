/* cmd_verify.c — `newsarc verify [-c FILE | -a DIR]`: checks every WARC record (gzip
 * framing, WARC head, Content-Length, block and payload digests) and every
 * index row against the files (store/archive.h: archive_verify). One line
 * per fault on stdout ("FILE:OFFSET: message"), notes ("FILE:OFFSET: note:
 * …": what a running or killed crawl leaves and the next one settles), then
 * a one-line summary. Exit 0 clean or notes only, 1 on any fault. Takes no
 * lock: it runs beside a crawl. */
#include "cli/cmd.h"
#include "crawler/sites.h"
#include "cli/args.h"
#include "store/archive.h"
#include "util/err.h"
#include "util/log.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc verify [-a DIR] [-q]\n\n"
               "Checks every record of DIR/warc/NAME.warc.gz (gzip framing, WARC head,\n"
               "Content-Length, WARC-Block-Digest, WARC-Payload-Digest) and every row of\n"
               "DIR/index.sqlite against the files. Prints each fault as FILE:OFFSET: MESSAGE,\n"
               "each note (records a crawl wrote but has not indexed yet: the next crawl\n"
               "indexes them) as FILE:OFFSET: note: MESSAGE, then a summary line. Exit\n"
               "status 0 when clean (notes are not faults), 1 on any fault.\n\n"
               "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
               "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
               "                     ./sites.conf's, else ./archive)\n"
               "  -q, --quiet        print only the faults, no summary\n"
               "  -h, --help         this help\n");
}

static void on_fault(void *ud, const char *file, uint64_t offset, const char *msg)
{
    (void)ud;
    if (file)
        printf("%s:%llu: %s\n", file, (unsigned long long)offset, msg);
    else
        printf("index: %s\n", msg);
}

int cmd_verify(int argc, char **argv)
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
    if (cli_read_archive("verify", dir, config, &dir, NULL) != CMD_OK)
        return CMD_USAGE;
    struct archive_verify_stats st;
    struct buf err = BUF_INIT;
    int rc = archive_verify(dir, on_fault, NULL, &st, &err);
    if (rc) {
        fprintf(stderr, "newsarc verify: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return CMD_PARTIAL;
    }
    buf_release(&err);
    if (!quiet) {
        printf("verify: %s: %llu files, %llu records, %llu bytes, %llu index rows: %llu fault%s", dir,
               (unsigned long long)st.files, (unsigned long long)st.records, (unsigned long long)st.bytes,
               (unsigned long long)st.index_rows, (unsigned long long)st.faults, st.faults == 1 ? "" : "s");
        if (st.notes)
            printf(", %llu note%s (%llu records not yet indexed)", (unsigned long long)st.notes,
                   st.notes == 1 ? "" : "s", (unsigned long long)st.unindexed);
        printf("\n");
    }
    return st.faults ? CMD_PARTIAL : CMD_OK;
}
