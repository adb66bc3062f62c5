/* cmd_search.c — `newsarc search QUERY`: full-text search of the archive
 * (store/search.h: FTS5 trigram, Chinese without a segmenter), ranked by
 * bm25 with ties newer first, each hit with a highlighted snippet; text or
 * JSON lines. Readonly open. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "cli/when.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/search.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc search QUERY... [-c FILE | -a DIR] [--site S] [--since WHEN] [--until WHEN]\n"
            "                      [--limit N] [--title] [--format text|jsonl]\n\n"
            "Finds the articles whose title or text holds QUERY, best first (bm25, the\n"
            "title weighing 4 times the text; ties: newer first), each with a snippet\n"
            "whose matches are in bold on a terminal, else between ⟦ and ⟧. When more\n"
            "than %d articles match, the newest %d of them (archive order) are ranked.\n"
            "QUERY: words (all of them; Chinese needs no spaces), \"a phrase\", a OR b,\n"
            "NOT word or -word, title:word (in the title only). A term of 1 or 2\n"
            "characters is matched as a substring: of what the longer terms find, or\n"
            "with no longer term, of the newest %d articles (newest archived first,\n"
            "unranked).\n\n"
            "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
            "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
            "                     ./sites.conf's, else ./archive)\n"
            "  -s, --site S       only the site named S\n"
            "      --since WHEN   published on or after WHEN (as ls)\n"
            "      --until WHEN   published on or before WHEN\n"
            "  -n, --limit N      at most N results (default 20)\n"
            "  -t, --title        every term in the title only\n"
            "  -f, --format F     text (default) or jsonl: rank, score, url, site, title,\n"
            "                     published, snippet (⟦ ⟧ marks), dup_of (cluster's first URL)\n"
            "  -h, --help         this help\n",
            SEARCH_RANK_WINDOW, SEARCH_RANK_WINDOW, SEARCH_SHORT_SCAN);
}

struct search_ctx {
    struct archive *a;
    int jsonl, tty;
    size_t rank;
    struct buf line;
};

/* Appends a snippet with its marks as open/close and line breaks as spaces. */
static void snippet(struct buf *b, const char *s, const char *open, const char *close)
{
    for (; s && *s; s++) {
        if (*s == SEARCH_MARK_OPEN[0])
            buf_adds(b, open);
        else if (*s == SEARCH_MARK_CLOSE[0])
            buf_adds(b, close);
        else
            buf_addc(b, *s == '\n' || *s == '\r' || *s == '\t' ? ' ' : *s);
    }
}

/* The URL of the article row id (the cluster's first), into out. */
static void root_url(struct archive *a, int64_t id, struct buf *out);

static int hit_cb(void *ud, const struct search_hit *h)
{
    struct search_ctx *x = ud;
    x->rank++;
    buf_reset(&x->line);
    if (x->jsonl) {
        struct buf snip = BUF_INIT, root = BUF_INIT;
        snippet(&snip, h->snippet, "⟦", "⟧");
        if (h->dup_of)
            root_url(x->a, h->dup_of, &root);
        json_t *o = json_pack("{s:I, s:f, s:s, s:s?, s:s?, s:s?, s:s, s:s?}", "rank", (json_int_t)x->rank, "score",
                              -h->score, "url", h->url, "site", h->site, "title", h->title, "published",
                              h->published ? h->published : h->date_key, "snippet", snip.len ? buf_str(&snip) : "",
                              "dup_of", root.len ? buf_str(&root) : NULL);
        char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        buf_release(&snip);
        buf_release(&root);
        if (!s)
            return NA_ENOMEM;
        buf_adds(&x->line, s);
        buf_addc(&x->line, '\n');
        free(s);
    } else {
        buf_printf(&x->line, "%zu. ", x->rank);
        snippet(&x->line, h->title && *h->title ? h->title : "(no title)", "", "");
        buf_printf(&x->line, "\n   %.10s  %s  %s\n   ", h->published ? h->published : h->date_key ? h->date_key : "-",
                   h->site ? h->site : "-", h->url);
        snippet(&x->line, h->snippet, x->tty ? "\033[1m" : "⟦", x->tty ? "\033[0m" : "⟧");
        buf_adds(&x->line, "\n\n");
    }
    if (x->line.err)
        return NA_ENOMEM;
    if (fwrite(x->line.data, 1, x->line.len, stdout) != x->line.len)
        return NA_EIO;
    return 0;
}

static int first_cb(void *ud, const struct index_article *art)
{
    buf_adds(ud, art->url ? art->url : "");
    return 1; /* the first (oldest) is the root */
}

static void root_url(struct archive *a, int64_t id, struct buf *out)
{
    search_cluster(a, id, first_cb, out, NULL);
}

/* Parses the options into o and the rest; returns CMD_OK or CMD_USAGE (or
 * -1 for --help, printed). */
static int parse(int argc, char **argv, struct search_opts *o, const char **dir, const char **config, int *jsonl,
                 char *since_v, char *until_v)
{
    enum { OPT_SINCE = 256, OPT_UNTIL };
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' },
        { "site", required_argument, NULL, 's' },    { "since", required_argument, NULL, OPT_SINCE },
        { "until", required_argument, NULL, OPT_UNTIL }, { "limit", required_argument, NULL, 'n' },
        { "title", no_argument, NULL, 't' },         { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 },
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:c:s:n:tf:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': *dir = optarg; break;
        case 'c': *config = optarg; break;
        case 's': o->site = optarg; break;
        case OPT_SINCE:
            if (cli_when("search", optarg, 0, since_v) != CMD_OK)
                return CMD_USAGE;
            o->since = since_v;
            break;
        case OPT_UNTIL:
            if (cli_when("search", optarg, 0, until_v) != CMD_OK)
                return CMD_USAGE;
            o->until = until_v;
            break;
        case 'n': {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || *end || end == optarg || optarg[0] == '-' || v == 0 || v > 100000) {
                fprintf(stderr, "newsarc search: bad --limit '%s' (1 to 100000)\n", optarg);
                return CMD_USAGE;
            }
            o->limit = v;
            break;
        }
        case 't': o->title_only = 1; break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "jsonl")) {
                fprintf(stderr, "newsarc search: unknown format '%s' (text, jsonl)\n", optarg);
                return CMD_USAGE;
            }
            *jsonl = strcmp(optarg, "jsonl") == 0;
            break;
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "newsarc search: QUERY is missing\n");
        usage(stderr);
        return CMD_USAGE;
    }
    /* several arguments are one query, space-separated */
    static char q[SEARCH_MAX_QUERY + 1];
    size_t n = 0;
    for (int i = optind; i < argc; i++) {
        size_t l = strlen(argv[i]);
        if (n + l + 1 > sizeof q) {
            fprintf(stderr, "newsarc search: query too long (at most %d bytes)\n", SEARCH_MAX_QUERY);
            return CMD_USAGE;
        }
        if (n)
            q[n++] = ' ';
        memcpy(q + n, argv[i], l);
        n += l;
    }
    q[n] = 0;
    o->query = q;
    return CMD_OK;
}

int cmd_search(int argc, char **argv)
{
    struct search_opts o = { 0 };
    const char *dir = NULL, *config = NULL;
    char since_v[WHEN_MAX], until_v[WHEN_MAX];
    struct search_ctx x = { 0 };
    int rc = parse(argc, argv, &o, &dir, &config, &x.jsonl, since_v, until_v);
    if (rc)
        return rc < 0 ? CMD_OK : rc;
    struct sites_config *cfg = NULL;
    if (cli_read_archive("search", dir, config, &dir, &cfg) != CMD_OK)
        return CMD_USAGE;
    struct archive_opts ao = { 0 };
    ao.readonly = 1;
    struct buf err = BUF_INIT;
    rc = archive_open(dir, &ao, &x.a, &err);
    if (rc) {
        fprintf(stderr, "newsarc search: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        sites_config_free(cfg);
        return CMD_PARTIAL;
    }
    int ret = cli_check_site("search", o.site, cfg, x.a);
    if (!ret) {
        x.tty = isatty(STDOUT_FILENO);
        buf_init(&x.line, 1 << 20);
        struct search_info info;
        rc = search_run(x.a, &o, hit_cb, &x, &info, &err);
        if (rc == NA_EINVAL) {
            fprintf(stderr, "newsarc search: %s\n", buf_str(&err));
            ret = CMD_USAGE;
        } else if (rc) {
            fprintf(stderr, "newsarc search: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
            ret = CMD_PARTIAL;
        } else if (fflush(stdout) != 0) {
            ret = CMD_PARTIAL;
        } else {
            if (info.short_scan)
                fprintf(stderr, "newsarc search: only terms of 1-2 characters: the newest %d articles were "
                                "searched, newest archived first\n", SEARCH_SHORT_SCAN);
            if (info.capped)
                fprintf(stderr, "newsarc search: more than %d articles match: ranked among the newest %d\n",
                        SEARCH_RANK_WINDOW, SEARCH_RANK_WINDOW);
            if (info.index_empty)
                fprintf(stderr, "newsarc search: the search index is empty (an archive from before search): "
                                "run newsarc reindex\n");
            if (!info.hits && !x.jsonl)
                fprintf(stderr, "newsarc search: no article found\n");
        }
        buf_release(&x.line);
    }
    buf_release(&err);
    archive_close(x.a);
    sites_config_free(cfg);
    return ret;
}
