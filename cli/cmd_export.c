/* cmd_export.c — `newsarc export --format jsonl|text|warc|cdxj`: streams the
 * archive (opened readonly, so it works while a crawl writes) to stdout or
 * -o FILE through store/export.h. */
#include "cli/cmd.h"
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
            "usage: newsarc export --format jsonl|text|warc|cdxj [-a DIR] [--site S]\n"
            "                      [--since DATE] [--until DATE] [--by-fetched] [--limit N] [-o FILE]\n\n"
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
            "  -a, --archive DIR  the archive (default: $NEWSARC_ARCHIVE or ./archive)\n"
            "  -s, --site S       only the site named S in sites.conf\n"
            "      --since DATE   published (articles) or fetched (warc, cdxj) on or after\n"
            "                     DATE (YYYY-MM-DD or a longer ISO 8601 prefix)\n"
            "      --until DATE   ... on or before DATE (the whole day)\n"
            "      --by-fetched   filter articles by fetch time, not published date\n"
            "  -n, --limit N      at most N articles or captures\n"
            "  -o, --output FILE  write to FILE instead of stdout\n"
            "  -h, --help         this help\n");
}

static const char *default_archive(const char *given)
{
    if (given)
        return given;
    const char *e = getenv("NEWSARC_ARCHIVE");
    return e && *e ? e : "archive";
}

/* Opens dir readonly; prints why not. Returns a CMD_* code. */
static int open_ro(const char *cmd, const char *dir, struct archive **a)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "newsarc %s: no archive at '%s' (use -a DIR)\n", cmd, dir);
        return CMD_USAGE;
    }
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
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
    };
    struct export_opts eo = { 0 };
    const char *dir = NULL, *output = NULL, *format = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:a:s:n:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'a': dir = optarg; break;
        case 's': eo.site = optarg; break;
        case OPT_SINCE: eo.since = optarg; break;
        case OPT_UNTIL: eo.until = optarg; break;
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
    if ((eo.since && !export_date_ok(eo.since)) || (eo.until && !export_date_ok(eo.until))) {
        fprintf(stderr, "newsarc export: bad date '%s': expected YYYY-MM-DD\n",
                eo.since && !export_date_ok(eo.since) ? eo.since : eo.until);
        return CMD_USAGE;
    }
    eo.software = "newsarc/" NEWSARC_VERSION;
    dir = default_archive(dir);
    struct archive *a = NULL;
    int rc = open_ro("export", dir, &a);
    if (rc)
        return rc;
    FILE *out = stdout;
    if (output && !(out = fopen(output, "wb"))) {
        fprintf(stderr, "newsarc export: cannot create '%s': %s\n", output, strerror(errno));
        archive_close(a);
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
    return erc ? CMD_PARTIAL : CMD_OK;
}
