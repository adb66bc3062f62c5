/* cmd_export.c — `newsarc export --format jsonl|text|warc|cdxj`: streams the
 * archive (opened readonly, so it works while a crawl writes) to stdout or
 * -o FILE through store/export.h. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "cli/when.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/export.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc export --format jsonl|text|warc|cdxj [-c FILE | -a DIR] [--site S]\n"
            "                      [--since WHEN] [--until WHEN] [--by-fetched] [--limit N] [-o FILE]\n\n"
            "Streams the archive to stdout (or FILE):\n"
            "  jsonl  one article per line: url, site, title, published, published_from,\n"
            "         author, source, category, lang, charset, fetched, extracted, extractor,\n"
            "         text_digest, warc_file, warc_offset, warc_length, conversion, text\n"
            "         (the newest extraction of each URL, newest published first)\n"
            "  text   each clean text after a line '=== URL | published | site | title'\n"
            "  warc   a WARC 1.1 file: a fresh warcinfo, then the selected captures' records\n"
            "         (request, response/revisit, conversion, metadata) copied byte for byte\n"
            "  cdxj   a SURT-sorted CDXJ index of the responses and revisits for pywb or\n"
            "         OutbackCDX; 'filename' is relative to DIR/warc\n\n"
            "  -f, --format F     output format (required)\n"
            "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
            "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
            "                     ./sites.conf's, else ./archive)\n"
            "  -s, --site S       only the site named S (an unknown name is an error)\n"
            "      --since WHEN   published (articles) or fetched (warc, cdxj) on or after\n"
            "                     WHEN: YYYY-MM-DD[ HH:MM[:SS]], ISO 8601, 36h, 2d, 1w,\n"
            "                     today, yesterday\n"
            "      --until WHEN   ... on or before WHEN (a date: the whole day)\n"
            "      --by-fetched   filter articles by fetch time, not published date\n"
            "  -n, --limit N      at most N articles or captures\n"
            "  -o, --output FILE  write to FILE instead of stdout\n"
            "  -h, --help         this help\n");
}

/* Opens dir readonly; prints why not. Returns a CMD_* code. */
static int open_ro(const char *cmd, const char *dir, struct archive **a)
{
    struct archive_opts o = { 0 };
    struct buf err = BUF_INIT;
    o.readonly = 1;
    int rc = archive_open(dir, &o, a, &err);
    if (rc) {
        fprintf(stderr, "newsarc %s: cannot open the archive '%s': %s\n", cmd, dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return CMD_PARTIAL;
    }
    buf_release(&err);
    return CMD_OK;
}

int cmd_export(int argc, char **argv)
{
    enum { OPT_SINCE = 256, OPT_UNTIL, OPT_BY_FETCHED };
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },  { "archive", required_argument, NULL, 'a' },
        { "site", required_argument, NULL, 's' },    { "since", required_argument, NULL, OPT_SINCE },
        { "until", required_argument, NULL, OPT_UNTIL }, { "by-fetched", no_argument, NULL, OPT_BY_FETCHED },
        { "limit", required_argument, NULL, 'n' },   { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },          { "config", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    struct export_opts eo = { 0 };
    const char *dir = NULL, *output = NULL, *format = NULL, *config = NULL, *since = NULL, *until = NULL;
    char since_v[WHEN_MAX], until_v[WHEN_MAX];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:a:c:s:n:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'c': config = optarg; break;
        case 'a': dir = optarg; break;
        case 's': eo.site = optarg; break;
        case OPT_SINCE: since = optarg; break;
        case OPT_UNTIL: until = optarg; break;
        case OPT_BY_FETCHED: eo.by_fetched = 1; break;
        case 'n': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg || optarg[0] == '-' || v == 0) {
                fprintf(stderr, "newsarc export: bad --limit '%s'\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            eo.limit = (size_t)v;
            break;
        }
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc export: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    if (!format) {
        fprintf(stderr, "newsarc export: --format is required\n");
        usage(stderr);
        return CMD_USAGE;
    }
    if (!(eo.format = export_format_parse(format))) {
        fprintf(stderr, "newsarc export: unknown format '%s' (jsonl, text, warc, cdxj)\n", format);
        usage(stderr);
        return CMD_USAGE;
    }
    /* warc and cdxj filter captures by their fetch time, kept in UTC */
    int utc = eo.by_fetched || eo.format == EXPORT_WARC || eo.format == EXPORT_CDXJ;
    if (since && cli_when("export", since, utc, since_v) != CMD_OK)
        return CMD_USAGE;
    if (until && cli_when("export", until, utc, until_v) != CMD_OK)
        return CMD_USAGE;
    eo.since = since ? since_v : NULL;
    eo.until = until ? until_v : NULL;
    eo.software = "newsarc/" NEWSARC_VERSION;
    struct sites_config *cfg = NULL;
    if (cli_read_archive("export", dir, config, &dir, &cfg) != CMD_OK)
        return CMD_USAGE;
    struct archive *a = NULL;
    int rc = open_ro("export", dir, &a);
    if (!rc)
        rc = cli_check_site("export", eo.site, cfg, a);
    if (rc) {
        archive_close(a);
        sites_config_free(cfg);
        return rc;
    }
    FILE *out = stdout;
    if (output && !(out = fopen(output, "wb"))) {
        fprintf(stderr, "newsarc export: cannot create '%s': %s\n", output, strerror(errno));
        archive_close(a);
        sites_config_free(cfg);
        return CMD_PARTIAL;
    }
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    struct buf err = BUF_INIT;
    struct export_stats st;
    int erc = export_run(a, &eo, out, &st, &err);
    if (erc)
        fprintf(stderr, "newsarc export: %s\n", err.len ? buf_str(&err) : na_strerror(erc));
    if (out != stdout && fclose(out) != 0 && !erc) {
        fprintf(stderr, "newsarc export: cannot write '%s': %s\n", output, strerror(errno));
        erc = NA_EIO;
    }
    buf_release(&err);
    archive_close(a);
    sites_config_free(cfg);
    return erc ? CMD_PARTIAL : CMD_OK;
}
