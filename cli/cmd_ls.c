/* cmd_ls.c — `newsarc ls [--site S]`: one line per archived article (newest
 * extraction of each URL): published, site, title, url, tab-separated,
 * newest published first. `ls --failed`: the article URLs whose last
 * attempt failed (waiting for a retry, or given up) with the reason and the
 * attempts. Readonly open. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "cli/when.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/export.h"
#include "store/index.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc ls [-c FILE | -a DIR] [--site S] [--since WHEN] [--until WHEN] [--limit N]\n"
            "       newsarc ls --failed [-c FILE | -a DIR] [--site S] [--limit N]\n\n"
            "Lists the archived articles, newest published first, one per line:\n"
            "PUBLISHED<TAB>SITE<TAB>TITLE<TAB>URL ('-' for an unknown field).\n"
            "With --failed, the article URLs whose last attempt failed, one per line:\n"
            "STATE<TAB>SITE<TAB>REASON<TAB>ATTEMPTS<TAB>LAST<TAB>NEXT<TAB>URL, STATE being\n"
            "'retrying' (a later run tries again at NEXT) or 'given-up' (no run does;\n"
            "newsarc backfill --retry-failed tries it now), times in UTC.\n\n"
            "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
            "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
            "                     ./sites.conf's, else ./archive)\n"
            "  -s, --site S       only the site named S (an unknown name is an error)\n"
            "      --since WHEN   published on or after WHEN: YYYY-MM-DD[ HH:MM[:SS]], ISO 8601,\n"
            "                     36h, 2d, 1w (before now), today, yesterday (local time)\n"
            "      --until WHEN   published on or before WHEN (a date: the whole day)\n"
            "  -n, --limit N      at most N lines\n"
            "  -f, --failed       the failed URLs instead of the articles\n"
            "  -h, --help         this help\n");
}

struct ls_ctx {
    struct buf line;
    int werr;
};

/* Appends s with tabs and line breaks turned into spaces; "-" for NULL/"". */
static void field(struct buf *b, const char *s)
{
    if (!s || !*s) {
        buf_addc(b, '-');
        return;
    }
    for (; *s; s++)
        buf_addc(b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static int ls_cb(void *ud, const struct index_article *art)
{
    struct ls_ctx *x = ud;
    buf_reset(&x->line);
    field(&x->line, art->published);
    buf_addc(&x->line, '\t');
    field(&x->line, art->site);
    buf_addc(&x->line, '\t');
    field(&x->line, art->title);
    buf_addc(&x->line, '\t');
    field(&x->line, art->url);
    buf_addc(&x->line, '\n');
    if (x->line.err)
        return x->line.err;
    if (fwrite(x->line.data, 1, x->line.len, stdout) != x->line.len) {
        x->werr = errno ? errno : EIO;
        return NA_EIO;
    }
    return 0;
}

static void when(struct buf *b, time_t t)
{
    if (t <= 0) {
        buf_addc(b, '-');
        return;
    }
    struct tm tm;
    char s[32];
    gmtime_r(&t, &tm);
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    buf_adds(b, s);
}

/* ls --failed */
static int ls_failed(struct archive *a, const char *site, size_t limit, struct buf *err)
{
    struct frontier_item *it = NULL;
    size_t n = 0;
    int rc = archive_frontier_list(a, site, limit ? limit : (size_t)-1 / 2, ARCHIVE_FR_FAILED, &it, &n);
    if (rc) {
        buf_seterr(err, "reading the frontier: %s", na_strerror(rc));
        return rc;
    }
    struct buf line = BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++) {
        buf_reset(&line);
        buf_adds(&line, it[i].given_up ? "given-up\t" : "retrying\t");
        field(&line, it[i].site);
        buf_addc(&line, '\t');
        field(&line, it[i].reason);
        buf_printf(&line, "\t%d\t", it[i].attempts);
        when(&line, it[i].last_attempt);
        buf_addc(&line, '\t');
        if (it[i].given_up)
            buf_addc(&line, '-');
        else
            when(&line, it[i].next_attempt);
        buf_addc(&line, '\t');
        field(&line, it[i].url);
        buf_addc(&line, '\n');
        if (line.err)
            rc = line.err;
        else if (fwrite(line.data, 1, line.len, stdout) != line.len)
            rc = NA_EIO;
    }
    buf_release(&line);
    archive_frontier_items_free(it, n);
    if (rc)
        buf_seterr(err, "%s", na_strerror(rc));
    return rc;
}

int cmd_ls(int argc, char **argv)
{
    enum { OPT_SINCE = 256, OPT_UNTIL };
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "site", required_argument, NULL, 's' },
        { "since", required_argument, NULL, OPT_SINCE }, { "until", required_argument, NULL, OPT_UNTIL },
        { "limit", required_argument, NULL, 'n' },   { "help", no_argument, NULL, 'h' },
        { "failed", no_argument, NULL, 'f' },        { "config", required_argument, NULL, 'c' },
        { NULL, 0, NULL, 0 },
    };
    struct index_query q = { 0 };
    const char *dir = NULL, *config = NULL;
    char since[WHEN_MAX], until[WHEN_MAX];
    int c, failed = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:c:s:n:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case 'f': failed = 1; break;
        case 's': q.site = optarg; break;
        case OPT_SINCE:
            if (cli_when("ls", optarg, 0, since) != CMD_OK)
                return CMD_USAGE;
            q.since = since;
            break;
        case OPT_UNTIL:
            if (cli_when("ls", optarg, 0, until) != CMD_OK)
                return CMD_USAGE;
            q.until = until;
            break;
        case 'n': {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (errno || *end || end == optarg || optarg[0] == '-' || v == 0) {
                fprintf(stderr, "newsarc ls: bad --limit '%s'\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            q.limit = (size_t)v;
            break;
        }
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc ls: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    if (failed && (q.since || q.until)) {
        fprintf(stderr, "newsarc ls: --failed takes no --since or --until\n");
        return CMD_USAGE;
    }
    struct sites_config *cfg = NULL;
    if (cli_read_archive("ls", dir, config, &dir, &cfg) != CMD_OK)
        return CMD_USAGE;
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    ao.readonly = 1;
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc) {
        fprintf(stderr, "newsarc ls: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        sites_config_free(cfg);
        return CMD_PARTIAL;
    }
    if (cli_check_site("ls", q.site, cfg, a) != CMD_OK) {
        archive_close(a);
        sites_config_free(cfg);
        return CMD_USAGE;
    }
    struct ls_ctx x = { 0 };
    buf_init(&x.line, 1 << 20);
    if (failed)
        rc = ls_failed(a, q.site, q.limit, &err);
    else
        rc = index_articles(archive_index(a), &q, ls_cb, &x, &err);
    if (rc == 0 && fflush(stdout) != 0)
        rc = NA_EIO;
    if (rc)
        fprintf(stderr, "newsarc ls: %s\n",
                x.werr ? strerror(x.werr) : err.len ? buf_str(&err) : na_strerror(rc));
    buf_release(&x.line);
    buf_release(&err);
    archive_close(a);
    sites_config_free(cfg);
    return rc ? CMD_PARTIAL : CMD_OK;
}
