/* cmd_get.c — `newsarc get URL [--raw|--json]`: the clean text of the newest
 * extraction of one URL, the archived HTML body (content coding removed), or
 * everything the archive knows about it as JSON. Readonly open. */
#include "cli/cmd.h"
#include "crawler/sites.h"
#include "cli/args.h"
#include "crawler/url.h"
#include "store/archive.h"
#include "store/export.h"
#include "util/err.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc get URL [-c FILE | -a DIR] [--raw | --json]\n\n"
            "Prints what the archive holds for URL: by default the clean text of the newest\n"
            "extraction. URL is canonicalized as the crawler does (fragment and utm_*\n"
            "parameters dropped, host lower-cased, ...).\n\n"
            "  -c, --config FILE  read archive = of FILE (default: ./sites.conf when it exists)\n"
               "  -a, --archive DIR  the archive (default: -c's, else $NEWSARC_ARCHIVE, else\n"
               "                     ./sites.conf's, else ./archive)\n"
            "  -r, --raw          the body of the newest archived response, gzip/deflate\n"
            "                     content coding removed: the HTML as served, in its own charset\n"
            "  -j, --json         everything as JSON: article fields and text, every\n"
            "                     extraction, the newest capture, its HTTP response headers\n"
            "  -h, --help         this help\n\n"
            "Exit status 1 when URL is not in the archive ('not in the archive') or has no\n"
            "extracted text ('has no extracted text').\n");
}

int cmd_get(int argc, char **argv)
{
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' }, { "raw", no_argument, NULL, 'r' },
        { "json", no_argument, NULL, 'j' },          { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *config = NULL;
    int raw = 0, json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:a:rjh", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case 'r': raw = 1; break;
        case 'j': json = 1; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, optind >= argc ? "newsarc get: a URL is required\n" : "newsarc get: one URL only\n");
        usage(stderr);
        return CMD_USAGE;
    }
    if (raw && json) {
        fprintf(stderr, "newsarc get: --raw and --json exclude each other\n");
        usage(stderr);
        return CMD_USAGE;
    }
    const char *given = argv[optind];
    if (cli_read_archive("get", dir, config, &dir, NULL) != CMD_OK)
        return CMD_USAGE;
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT, out = BUF_INIT;
    ao.readonly = 1;
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc) {
        fprintf(stderr, "newsarc get: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        return CMD_PARTIAL;
    }
    /* The archive keys URLs as the crawler wrote them: canonical (no
     * fragment, no utm_* parameters, lower-case host, ...). */
    char *canon = url_canonical(given);
    const char *url = canon && archive_has_capture(a, canon) == 1 ? canon : given;
    if (archive_has_capture(a, url) != 1 && archive_has_article(a, url) != 1) {
        fprintf(stderr, "newsarc get: '%s' is not in the archive%s%s%s\n", given,
                canon && strcmp(canon, given) ? " (looked for '" : "", canon && strcmp(canon, given) ? canon : "",
                canon && strcmp(canon, given) ? "')" : "");
        free(canon);
        buf_release(&err);
        archive_close(a);
        return CMD_PARTIAL;
    }
    if (raw)
        rc = export_get_body(a, url, 0, &out, &err);
    else if (json)
        rc = export_get_json(a, url, &out, &err);
    else
        rc = export_get_text(a, url, &out, &err);
    int ret = CMD_OK;
    if (rc < 0) {
        fprintf(stderr, "newsarc get: '%s': %s\n", url, err.len ? buf_str(&err) : na_strerror(rc));
        ret = CMD_PARTIAL;
    } else if (rc == 0) {
        fprintf(stderr, "newsarc get: '%s' %s\n", url,
                raw ? "has no archived response (only revisits or a failed fetch; try --json)"
                    : json ? "is not in the archive"
                           : "is archived but has no extracted text (try --raw or --json)");
        ret = CMD_PARTIAL;
    } else {
        if (!raw && !json && out.len && out.data[out.len - 1] != '\n')
            buf_addc(&out, '\n');
        if (out.err || (out.len && fwrite(out.data, 1, out.len, stdout) != out.len) || fflush(stdout) != 0) {
            fprintf(stderr, "newsarc get: cannot write the output\n");
            ret = CMD_PARTIAL;
        }
    }
    buf_release(&out);
    buf_release(&err);
    archive_close(a);
    free(canon);
    return ret;
}
