/* cmd_extract.c — `newsarc extract`: clean article text and metadata from
 * HTML files (plain or .gz) or stdin, many files in one process. Text mode
 * prints the body; --format json prints one object per input per line
 * (written with jansson). Unreadable inputs are reported and skipped. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "parser/article.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define EXTRACT_MAX_FILE ((size_t)64 << 20)

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc extract [--url URL] [--charset CS] [--now ISO-TIME] [--format text|json]\n"
            "                       [--explain] [FILE|-]...\n\n"
            "Extracts the article body and metadata from HTML pages (plain or .gz;\n"
            "'-' or no FILE reads stdin).\n\n"
            "  --url URL          the page's URL (for relative links and dates in the URL)\n"
            "  --charset CS       charset label, as an HTTP Content-Type header would give it\n"
            "  --now ISO-TIME     reference time for relative dates (e.g. 2024-07-01T12:00:00+08:00;\n"
            "                     without an offset, UTC); default: now\n"
            "  --format text|json text: the body, one paragraph per line (default);\n"
            "                     json: one object per input per line with file, url, title,\n"
            "                     published, published_from, author, source, category, lang,\n"
            "                     charset, text\n"
            "  --explain          print the extractor's decisions to stderr\n"
            "  -h, --help         this help\n\n"
            "Exit status: 0 when every input was read, 1 when some could not be, 2 on bad usage.\n");
}

static void json_set_str(json_t *o, const char *key, const char *v)
{
    json_object_set_new(o, key, v ? json_string(v) : json_null());
}

static int print_json(const char *file, const struct article *a)
{
    json_t *o = json_object();
    if (!o)
        return NA_ENOMEM;
    json_set_str(o, "file", file);
    json_set_str(o, "url", a->url);
#define JSON_FIELD(name) json_set_str(o, #name, a->name);
    ARTICLE_FIELDS(JSON_FIELD)
#undef JSON_FIELD
    json_set_str(o, "text", a->text ? a->text : "");
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return NA_ENOMEM;
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return 0;
}

int cmd_extract(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "url", required_argument, NULL, 'u' },
        { "charset", required_argument, NULL, 'c' },
        { "now", required_argument, NULL, 'n' },
        { "format", required_argument, NULL, 'f' },
        { "explain", no_argument, NULL, 'e' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct article_opts opts;
    memset(&opts, 0, sizeof opts);
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'u':
            opts.url = optarg;
            break;
        case 'c':
            opts.http_charset = optarg;
            break;
        case 'n':
            if (cli_parse_time(optarg, &opts.now) != 0) {
                fprintf(stderr, "newsarc extract: --now: cannot parse '%s' (expected ISO 8601)\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            break;
        case 'f':
            if (strcmp(optarg, "json") == 0)
                json = 1;
            else if (strcmp(optarg, "text") == 0)
                json = 0;
            else {
                fprintf(stderr, "newsarc extract: --format: expected 'text' or 'json', got '%s'\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            break;
        case 'e':
            opts.explain = 1;
            break;
        case 'h':
            usage(stdout);
            return CMD_OK;
        default:
            fprintf(stderr, "newsarc extract: unknown option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return CMD_USAGE;
        }
    }
    if (!opts.now)
        opts.now = time(NULL);

    char *stdin_only[] = { (char *)"-" };
    char **files = optind < argc ? argv + optind : stdin_only;
    int nfiles = optind < argc ? argc - optind : 1;
    struct buf in = BUF_INIT, err = BUF_INIT;
    buf_init(&in, EXTRACT_MAX_FILE);
    int status = CMD_OK;
    for (int i = 0; i < nfiles; i++) {
        const char *path = files[i];
        buf_reset(&err);
        if (cli_read_input(path, EXTRACT_MAX_FILE, NULL, &in, &err) != 0) {
            fprintf(stderr, "newsarc extract: %s\n", buf_str(&err));
            status = CMD_PARTIAL;
            continue;
        }
        struct article a;
        article_init(&a);
        int rc = article_extract(buf_str(&in), in.len, &opts, &a, &err);
        if (rc != 0) {
            fprintf(stderr, "newsarc extract: '%s': %s\n", path, err.len ? buf_str(&err) : na_strerror(rc));
            status = CMD_PARTIAL;
        } else {
            if (opts.explain && a.explain.len)
                fprintf(stderr, "%s%s", buf_str(&a.explain),
                        a.explain.data[a.explain.len - 1] == '\n' ? "" : "\n");
            if (json) {
                if (print_json(path, &a) != 0) {
                    fprintf(stderr, "newsarc extract: '%s': out of memory\n", path);
                    status = CMD_PARTIAL;
                }
            } else {
                if (nfiles > 1)
                    printf("==> %s <==\n", path);
                const char *t = a.text ? a.text : "";
                size_t tl = strlen(t);
                fwrite(t, 1, tl, stdout);
                if (tl && t[tl - 1] != '\n')
                    fputc('\n', stdout);
            }
        }
        article_release(&a);
    }
    buf_release(&in);
    buf_release(&err);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "newsarc extract: cannot write output: %s\n", strerror(errno));
        return CMD_PARTIAL;
    }
    return status;
}
