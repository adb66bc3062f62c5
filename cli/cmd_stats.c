/* cmd_stats.c — `newsarc stats`: WARC files and bytes, records by type (from
 * the index, or exactly with --scan by reading every record head), captures,
 * articles per site, first/last fetch, frontier. Text or --json. Readonly. */
#include "cli/cmd.h"
#include "crawler/sites.h"
#include "cli/args.h"
#include "store/archive.h"
#include "store/index.h"
#include "store/warc.h"
#include "util/err.h"
#include "util/mem.h"

#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc stats [-c FILE | -a DIR] [--scan] [--json]\n\n"
            "Summarizes the archive: WARC files and bytes, records by type, captures,\n"
            "articles per site, first and last fetch, the crawl frontier, and the URLs\n"
            "being retried or given up, by reason (newsarc ls --failed lists them).\n\n"
            "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
               "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
               "                     ./sites.conf's, else ./archive)\n"
            "      --scan         count records by reading every WARC file (exact, slower)\n"
            "                     instead of from the index\n"
            "  -j, --json         one JSON object instead of text\n"
            "  -h, --help         this help\n");
}

enum { T_WARCINFO, T_REQUEST, T_RESPONSE, T_REVISIT, T_CONVERSION, T_METADATA, T_OTHER, T_N };
static const char *const tnames[T_N] = { "warcinfo", "request", "response", "revisit", "conversion", "metadata",
                                         "other" };

struct counts {
    uint64_t rec[T_N];
    uint64_t files, bytes, index_bytes;
    uint64_t scan_faults;
};

static int is_warc_name(const char *n)
{
    size_t l = strlen(n);
    return n[0] != '.' && l > 8 && strcmp(n + l - 8, ".warc.gz") == 0;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* WARC files listed at most (an archive rolls at warc_max_size, 1 GiB by
 * default, so a million is a petabyte): more is an error with a message. */
#define STATS_MAX_WARC_FILES 1000000

/* Sizes of DIR/warc files; with scan, every record head too. Returns 0 or
 * a negative code (with a message in fail for a cap). */
static int scan_files(const char *dir, int scan, struct counts *k, struct buf *fail)
{
    struct buf path = BUF_INIT, err = BUF_INIT;
    buf_printf(&path, "%s/warc", dir);
    DIR *d = opendir(buf_str(&path));
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!is_warc_name(e->d_name))
                continue;
            if ((rc = NA_GROW(names, cap, n + 1, STATS_MAX_WARC_FILES))) {
                if (rc == NA_ETOOBIG)
                    buf_seterr(fail, "more than %d WARC files in '%s' (STATS_MAX_WARC_FILES in cli/cmd_stats.c)",
                               STATS_MAX_WARC_FILES, buf_str(&path));
                break;
            }
            if (!(names[n] = na_strdup(e->d_name))) {
                rc = NA_ENOMEM;
                break;
            }
            n++;
        }
        closedir(d);
    }
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && !rc; i++) {
        struct stat sb;
        buf_reset(&path);
        buf_printf(&path, "%s/warc/%s", dir, names[i]);
        if (stat(buf_str(&path), &sb) != 0)
            continue;
        if (!S_ISREG(sb.st_mode)) { /* a FIFO or a device would never end */
            fprintf(stderr, "newsarc stats: '%s': not a regular file (%s): skipped\n", buf_str(&path),
                    warc_file_kind(sb.st_mode));
            continue;
        }
        k->files++;
        k->bytes += (uint64_t)sb.st_size;
        if (!scan)
            continue;
        struct warc_reader *r = NULL;
        if (warc_reader_open(buf_str(&path), 0, WARC_READ_NO_BLOCK, &r, &err)) {
            fprintf(stderr, "newsarc stats: %s\n", buf_str(&err));
            k->scan_faults++;
            continue;
        }
        for (;;) {
            struct warc_record rec;
            int got = warc_reader_next(r, &rec, &err);
            if (got == 0)
                break;
            if (got < 0) {
                /* The newest file may end in a record being written now. */
                if (warc_reader_truncated(r) && i + 1 == n)
                    break;
                fprintf(stderr, "newsarc stats: %s\n", buf_str(&err));
                k->scan_faults++;
                if (warc_reader_skip(r) != 1)
                    break;
                continue;
            }
            switch (rec.type) {
            case WARC_TYPE_WARCINFO: k->rec[T_WARCINFO]++; break;
            case WARC_TYPE_REQUEST: k->rec[T_REQUEST]++; break;
            case WARC_TYPE_RESPONSE: k->rec[T_RESPONSE]++; break;
            case WARC_TYPE_REVISIT: k->rec[T_REVISIT]++; break;
            case WARC_TYPE_CONVERSION: k->rec[T_CONVERSION]++; break;
            case WARC_TYPE_METADATA: k->rec[T_METADATA]++; break;
            default: k->rec[T_OTHER]++; break;
            }
        }
        warc_reader_free(r);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    static const char *const idx[] = { "index.sqlite", "index.sqlite-wal" };
    for (size_t i = 0; i < 2; i++) {
        struct stat sb;
        buf_reset(&path);
        buf_printf(&path, "%s/%s", dir, idx[i]);
        if (stat(buf_str(&path), &sb) == 0)
            k->index_bytes += (uint64_t)sb.st_size;
    }
    buf_release(&path);
    buf_release(&err);
    return rc;
}

struct site_ctx {
    json_t *arr;
    int text;
};

static void fmt_date(time_t t, char out[21])
{
    if (t > 0)
        warc_format_date(t, out);
    else
        memcpy(out, "-", 2);
}

static int site_cb(void *ud, const struct index_site_stats *s)
{
    struct site_ctx *x = ud;
    char last[21];
    fmt_date(s->last_fetch, last);
    if (x->text) {
        printf("  %-20s %8lld captures %8lld articles  last fetch %s  newest published %s\n",
               s->site[0] ? s->site : "(none)", (long long)s->captures, (long long)s->articles, last,
               s->newest_published ? s->newest_published : "-");
        return 0;
    }
    json_t *o = json_pack("{s:s, s:I, s:I, s:s?, s:s?}", "site", s->site, "captures", (json_int_t)s->captures,
                          "articles", (json_int_t)s->articles, "last_fetch", s->last_fetch > 0 ? last : NULL,
                          "newest_published", s->newest_published);
    return !o || json_array_append_new(x->arr, o) ? NA_ENOMEM : 0;
}

static char *human(uint64_t b, char out[32])
{
    static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double v = (double)b;
    int i = 0;
    while (v >= 1024 && i < 4) {
        v /= 1024;
        i++;
    }
    snprintf(out, 32, i ? "%.1f %s" : "%.0f %s", v, u[i]);
    return out;
}

/* The frontier's failed URLs by reason: text lines "retrying" / "given up"
 * (N: reason n, …), or two JSON objects reason -> n. */
struct reason_ctx {
    struct buf line[2];
    int64_t total[2];
    json_t *obj[2];
};

static int reason_cb(void *ud, int given_up, const char *reason, int64_t n)
{
    struct reason_ctx *x = ud;
    const char *r = reason && *reason ? reason : "unknown";
    x->total[given_up] += n;
    buf_printf(&x->line[given_up], "%s%s %lld", x->line[given_up].len ? ", " : "", r, (long long)n);
    if (x->obj[given_up])
        json_object_set_new(x->obj[given_up], r, json_integer((json_int_t)n));
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    enum { OPT_SCAN = 256 };
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' }, { "scan", no_argument, NULL, OPT_SCAN },
        { "json", no_argument, NULL, 'j' },          { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *config = NULL;
    int scan = 0, json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:a:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case OPT_SCAN: scan = 1; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc stats: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    if (cli_read_archive("stats", dir, config, &dir, NULL) != CMD_OK)
        return CMD_USAGE;
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    ao.readonly = 1;
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc) {
        fprintf(stderr, "newsarc stats: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return CMD_PARTIAL;
    }
    struct index *ix = archive_index(a);
    struct index_stats s;
    struct counts k;
    memset(&k, 0, sizeof k);
    rc = index_stats(ix, &s, &err);
    if (!rc)
        rc = scan_files(dir, scan, &k, &err);
    if (!rc && !scan) { /* from the index's counts (not row by row: a million articles) */
        k.rec[T_REQUEST] = (uint64_t)s.rec_request;
        k.rec[T_RESPONSE] = (uint64_t)s.rec_response;
        k.rec[T_REVISIT] = (uint64_t)s.rec_revisit;
        k.rec[T_CONVERSION] = (uint64_t)s.rec_conversion;
        k.rec[T_METADATA] = (uint64_t)s.rec_metadata;
        k.rec[T_WARCINFO] = k.files;
    }
    char first[21], last[21], h1[32], h2[32];
    if (!rc) {
        fmt_date(s.first_fetch, first);
        fmt_date(s.last_fetch, last);
    }
    if (!rc && !json) {
        printf("archive      %s\n", dir);
        printf("files        %llu WARC files, %llu bytes (%s); index %s\n", (unsigned long long)k.files,
               (unsigned long long)k.bytes, human(k.bytes, h1), human(k.index_bytes, h2));
        printf("records      ");
        for (int t = 0; t < T_N; t++)
            if (t != T_OTHER || k.rec[t])
                printf("%s%s %llu", t ? ", " : "", tnames[t], (unsigned long long)k.rec[t]);
        printf(" (%s)\n", scan ? "scanned" : "from the index");
        printf("captures     %lld (%lld responses, %lld revisits)\n", (long long)s.captures,
               (long long)s.responses, (long long)s.revisits);
        printf("articles     %lld (%lld extractions)\n", (long long)s.articles, (long long)s.extractions);
        printf("first fetch  %s\nlast fetch   %s\n", first, last);
        printf("frontier     %lld pending, %lld done, %lld failed\n", (long long)s.frontier_pending,
               (long long)s.frontier_done, (long long)s.frontier_failed);
        struct reason_ctx rx;
        memset(&rx, 0, sizeof rx);
        rc = index_frontier_reasons(ix, reason_cb, &rx, &err);
        for (int g = 0; g < 2 && !rc; g++)
            if (rx.total[g])
                printf("%s %lld (%s)\n", g ? "given up    " : "retrying    ", (long long)rx.total[g],
                       buf_str(&rx.line[g]));
        buf_release(&rx.line[0]);
        buf_release(&rx.line[1]);
        printf("sites        %lld\n", (long long)s.sites);
        struct site_ctx x = { NULL, 1 };
        if (!rc)
            rc = index_site_stats(ix, site_cb, &x, &err);
    } else if (!rc) {
        json_t *rec = json_object(), *o;
        for (int t = 0; t < T_N; t++)
            json_object_set_new(rec, tnames[t], json_integer((json_int_t)k.rec[t]));
        struct site_ctx x = { json_array(), 0 };
        rc = index_site_stats(ix, site_cb, &x, &err);
        o = json_pack("{s:s, s:I, s:I, s:I, s:o, s:b, s:I, s:I, s:I, s:I, s:I, s:s?, s:s?, s:{s:I, s:I, s:I}, s:o}",
                      "archive", dir, "files", (json_int_t)k.files, "bytes", (json_int_t)k.bytes, "index_bytes",
                      (json_int_t)k.index_bytes, "records", rec, "scanned", scan, "captures",
                      (json_int_t)s.captures, "responses", (json_int_t)s.responses, "revisits",
                      (json_int_t)s.revisits, "articles", (json_int_t)s.articles, "extractions",
                      (json_int_t)s.extractions, "first_fetch", s.first_fetch > 0 ? first : NULL, "last_fetch",
                      s.last_fetch > 0 ? last : NULL, "frontier", "pending", (json_int_t)s.frontier_pending,
                      "done", (json_int_t)s.frontier_done, "failed", (json_int_t)s.frontier_failed, "sites",
                      x.arr);
        struct reason_ctx rx;
        memset(&rx, 0, sizeof rx);
        rx.obj[0] = json_object();
        rx.obj[1] = json_object();
        if (!rc)
            rc = index_frontier_reasons(ix, reason_cb, &rx, &err);
        buf_release(&rx.line[0]);
        buf_release(&rx.line[1]);
        /* failed URLs by reason: {"retrying": {"HTTP 503": 2}, "given_up": {…}} */
        if (o)
            json_object_set_new(o, "failed", json_pack("{s:o, s:o}", "retrying", rx.obj[0], "given_up", rx.obj[1]));
        else {
            json_decref(rx.obj[0]);
            json_decref(rx.obj[1]);
        }
        if (!rc && o) {
            char *txt = json_dumps(o, JSON_INDENT(2));
            if (txt)
                printf("%s\n", txt);
            free(txt);
        }
        json_decref(o);
    }
    if (!rc && fflush(stdout) != 0)
        rc = NA_EIO;
    if (rc)
        fprintf(stderr, "newsarc stats: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
    buf_release(&err);
    archive_close(a);
    return rc || k.scan_faults ? CMD_PARTIAL : CMD_OK;
}
