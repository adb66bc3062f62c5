/* cmd_export.c — `newsarc export --format jsonl|text|warc|cdxj`: streams the
 * archive (opened readonly, so it works while a crawl writes) to stdout or
 * -o FILE through store/export.h. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "cli/when.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/export.h"
#include "store/index.h"
#include "util/mem.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
            "      --cursor FILE  jsonl, text: only articles archived or re-extracted since\n"
            "                     the position in FILE (all when FILE does not exist), oldest\n"
            "                     first; FILE is moved on atomically after a complete write\n"
            "      --dedup        jsonl, text: one line per near-duplicate cluster (its first\n"
            "                     article), the other URLs in \"copies\"\n"
            "  -h, --help         this help\n");
}

#define CURSOR_MAGIC "newsarc-export-cursor 1"

/* An export cursor file: the last article row handed out and its
 * conversion record's id (a reindex renumbers rows; the id finds the row
 * again), and with -o a pending position: the batch written to OUT.tmp and
 * about to be renamed to OUT. */
struct cursor {
    int64_t row;
    char conv[128];
    int pending;
    int64_t prow;
    char pconv[128];
};

/* Copies the rest of line (without its newline) into dst (n bytes): 0, or -1
 * when it does not fit. */
static int cursor_field(const char *line, char *dst, size_t n)
{
    size_t l = strcspn(line, "\n");
    if (l >= n)
        return -1;
    memcpy(dst, line, l);
    dst[l] = 0;
    return 0;
}

/* Reads the cursor at path into c; a missing file is position 0. Returns
 * CMD_OK, or prints why and returns CMD_USAGE. */
static int cursor_read(const char *path, struct cursor *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return CMD_OK;
        fprintf(stderr, "newsarc export: cannot read the cursor '%s': %s\n", path, strerror(errno));
        return CMD_USAGE;
    }
    char line[256], magic[64];
    long long v = -1, pv = -1;
    int off = 0;
    int ok = fgets(magic, sizeof magic, f) && strncmp(magic, CURSOR_MAGIC "\n", sizeof CURSOR_MAGIC) == 0 &&
             fgets(line, sizeof line, f) && sscanf(line, "row %lld", &v) == 1 && v >= 0 &&
             fgets(line, sizeof line, f) && strncmp(line, "conversion ", 11) == 0 &&
             cursor_field(line + 11, c->conv, sizeof c->conv) == 0;
    if (ok && fgets(line, sizeof line, f)) {
        ok = sscanf(line, "pending %lld %n", &pv, &off) == 1 && pv > 0 && off > 0 &&
             cursor_field(line + off, c->pconv, sizeof c->pconv) == 0;
        c->pending = ok;
        c->prow = pv;
    }
    fclose(f);
    if (!ok) {
        fprintf(stderr, "newsarc export: '%s' is not an export cursor (expected '%s' first)\n", path,
                CURSOR_MAGIC);
        return CMD_USAGE;
    }
    c->row = v;
    return CMD_OK;
}

/* Syncs the directory holding path (a rename in it). */
static int sync_dir(const char *path)
{
    char *copy = na_strdup(path);
    if (!copy)
        return -1;
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
    free(copy);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* path + suffix into out (4096 bytes); -1 when too long. */
static int path_plus(char *out, const char *path, const char *suffix)
{
    if ((size_t)snprintf(out, 4096, "%s%s", path, suffix) >= 4096) {
        fprintf(stderr, "newsarc export: path too long: '%s'\n", path);
        return -1;
    }
    return 0;
}

/* Writes the cursor at path atomically: path.tmp, fsync, rename, fsync of
 * the directory. Returns 0 or -1 with a message printed. */
static int cursor_write(const char *path, const struct cursor *c)
{
    char tmp[4096];
    if (path_plus(tmp, path, ".tmp"))
        return -1;
    FILE *f = fopen(tmp, "w");
    int ok = f && fprintf(f, CURSOR_MAGIC "\nrow %" PRId64 "\nconversion %s\n", c->row, c->conv) > 0;
    if (ok && c->pending)
        ok = fprintf(f, "pending %" PRId64 " %s\n", c->prow, c->pconv) > 0;
    ok = ok && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok || rename(tmp, path) != 0 || sync_dir(path) != 0) {
        fprintf(stderr, "newsarc export: cannot write the cursor '%s': %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* With -o OUT, a batch is published by renaming OUT.tmp to OUT, between two
 * cursor writes (pending, then committed). A run killed in between left a
 * pending position: OUT.tmp still there means the rename did not happen (the
 * batch is dropped), gone means it did (the position is committed). An OUT
 * not yet taken by the consumer stops the run. Returns CMD_*. */
static int cursor_recover(const char *cursor, struct cursor *c, const char *output)
{
    char tmp[4096];
    if (path_plus(tmp, output, ".tmp"))
        return CMD_USAGE;
    if (c->pending) {
        int undo = access(tmp, F_OK) == 0;
        if (!undo) {
            c->row = c->prow;
            memcpy(c->conv, c->pconv, sizeof c->conv);
        }
        c->pending = 0;
        /* the cursor first: OUT.tmp gone with the pending position still
         * there would read as published */
        if (cursor_write(cursor, c))
            return CMD_PARTIAL;
        if (undo)
            unlink(tmp);
    }
    if (access(output, F_OK) == 0) {
        fprintf(stderr, "newsarc export: '%s' holds a batch not taken yet: take it and remove it, then run again\n",
                output);
        return CMD_PARTIAL;
    }
    return CMD_OK;
}

/* After a complete write of st's articles: moves the cursor on (with -o:
 * pending, rename OUT.tmp to OUT, committed). Returns 0 or -1 (printed). */
static int cursor_finish(const char *cursor, struct cursor *c, const char *output, const struct export_stats *st)
{
    char tmp[4096];
    if (output && path_plus(tmp, output, ".tmp"))
        return -1;
    if (st->last_id <= 0) {  /* nothing new: no batch, the cursor stays */
        if (output)
            unlink(tmp);
        return 0;
    }
    if (output) {
        c->pending = 1;
        c->prow = st->last_id;
        snprintf(c->pconv, sizeof c->pconv, "%s", st->last_conversion);
        if (cursor_write(cursor, c))
            return -1;
        if (rename(tmp, output) != 0 || sync_dir(output) != 0) {
            fprintf(stderr, "newsarc export: cannot rename '%s': %s\n", tmp, strerror(errno));
            return -1;
        }
        c->pending = 0;
    }
    c->row = st->last_id;
    snprintf(c->conv, sizeof c->conv, "%s", st->last_conversion);
    return cursor_write(cursor, c);
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
    enum { OPT_SINCE = 256, OPT_UNTIL, OPT_BY_FETCHED, OPT_CURSOR, OPT_DEDUP };
    static const struct option opts[] = {
        { "format", required_argument, NULL, 'f' },  { "archive", required_argument, NULL, 'a' },
        { "site", required_argument, NULL, 's' },    { "since", required_argument, NULL, OPT_SINCE },
        { "until", required_argument, NULL, OPT_UNTIL }, { "by-fetched", no_argument, NULL, OPT_BY_FETCHED },
        { "limit", required_argument, NULL, 'n' },   { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },          { "config", required_argument, NULL, 'c' },
        { "cursor", required_argument, NULL, OPT_CURSOR }, { "dedup", no_argument, NULL, OPT_DEDUP },
        { NULL, 0, NULL, 0 },
    };
    struct export_opts eo = { 0 };
    const char *dir = NULL, *output = NULL, *format = NULL, *config = NULL, *since = NULL, *until = NULL;
    const char *cursor = NULL;
    struct cursor cur;
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
        case OPT_CURSOR: cursor = optarg; break;
        case OPT_DEDUP: eo.dedup = 1; break;
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
    if ((cursor || eo.dedup) && eo.format != EXPORT_JSONL && eo.format != EXPORT_TEXT) {
        fprintf(stderr, "newsarc export: --%s works with --format jsonl or text\n", cursor ? "cursor" : "dedup");
        return CMD_USAGE;
    }
    if (cursor) {
        if (cursor_read(cursor, &cur) != CMD_OK)
            return CMD_USAGE;
        int rc = output ? cursor_recover(cursor, &cur, output) : CMD_OK;
        if (rc)
            return rc;
        eo.after_id = cur.row;
        eo.cursor = 1;
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
    if (!rc && eo.after_id) {
        struct buf e = BUF_INIT;
        int r = index_cursor_resolve(archive_index(a), &eo.after_id, cur.conv, &e);
        if (r == 0) {
            fprintf(stderr, "newsarc export: the cursor's article (row %" PRId64 ", %s) is not in the index:"
                    " not this archive's cursor?\n", eo.after_id, cur.conv);
            rc = CMD_USAGE;
        } else if (r < 0) {
            fprintf(stderr, "newsarc export: %s\n", e.len ? buf_str(&e) : na_strerror(r));
            rc = CMD_PARTIAL;
        }
        buf_release(&e);
    }
    if (rc) {
        archive_close(a);
        sites_config_free(cfg);
        return rc;
    }
    FILE *out = stdout;
    char out_tmp[4096];
    const char *out_path = output;
    if (cursor && output) {  /* a batch appears at OUT whole or not at all */
        snprintf(out_tmp, sizeof out_tmp, "%s.tmp", output);  /* length checked by cursor_recover */
        out_path = out_tmp;
    }
    if (output && !(out = fopen(out_path, "wb"))) {
        fprintf(stderr, "newsarc export: cannot create '%s': %s\n", out_path, strerror(errno));
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
    /* the cursor moves only after the whole output is on disk (or in the pipe) */
    if (cursor && !erc && fsync(fileno(out)) != 0 && errno != EINVAL && errno != EROFS) {
        fprintf(stderr, "newsarc export: cannot sync the output: %s\n", strerror(errno));
        erc = NA_EIO;
    }
    if (out != stdout && fclose(out) != 0 && !erc) {
        fprintf(stderr, "newsarc export: cannot write '%s': %s\n", output, strerror(errno));
        erc = NA_EIO;
    }
    buf_release(&err);
    archive_close(a);
    sites_config_free(cfg);
    /* last: a kill after this is the only one that loses the batch to a
     * consumer reading stdout (docs/newsarc.1, export --cursor) */
    if (cursor && !erc && cursor_finish(cursor, &cur, output, &st) != 0)
        erc = NA_EIO;
    return erc ? CMD_PARTIAL : CMD_OK;
}
