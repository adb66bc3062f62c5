/* cmd_check_config.c — `newsarc check-config [-c sites.conf]`: loads and
 * validates sites.conf and prints every resolved setting, per site, defaults
 * included. Exit 0 when valid, 2 with "FILE:LINE: message" on stderr when not.
 * Article patterns with a likely typo get a warning (crawler/health.h). */
#include "cli/cmd.h"
#include "crawler/health.h"
#include "crawler/sites.h"
#include "util/buf.h"
#include "util/err.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc check-config [-c FILE] [-q]\n\n"
               "Validates sites.conf and prints the resolved settings of [newsarc] and of\n"
               "every [site NAME] (defaults included), in sites.conf syntax.\n\n"
               "  -c, --config FILE  the configuration (default: sites.conf)\n"
               "  -q, --quiet        print nothing when the file is valid\n"
               "  -h, --help         this help\n\n"
               "Warns on stderr (also with -q, still exit 0) about article patterns with a likely\n"
               "typo, such as an unescaped '?' in '\\.php?id='.\n"
               "Exit status: 0 valid, 2 invalid (the first error on stderr as FILE:LINE: message).\n"
               "See sites.conf(5).\n");
}

int cmd_check_config(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = "sites.conf";
    int quiet = 0, ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            path = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            usage(stdout);
            return CMD_OK;
        default:
            usage(stderr);
            return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc check-config: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    struct buf err = BUF_INIT;
    struct sites_config *c = NULL;
    if (sites_config_load(path, &c, &err)) {
        fprintf(stderr, "%s\n", buf_str(&err));
        buf_release(&err);
        return CMD_USAGE;
    }
    buf_release(&err);
    for (size_t i = 0; i < c->nsites; i++) {
        const struct site *s = &c->sites[i];
        char hint[400];
        for (size_t k = 0; k < s->narticle; k++)
            if (health_pattern_hint(s->article[k], hint, sizeof hint))
                fprintf(stderr, "%s:%d: warning: [site %s] article = %s: %s\n", path,
                        s->article_line[k] ? s->article_line[k] : s->line, s->name, s->article[k], hint);
    }
    int rc = CMD_OK;
    if (!quiet) {
        struct buf out = BUF_INIT;
        if (sites_config_dump(c, &out)) {
            fprintf(stderr, "newsarc check-config: %s\n", na_strerror(out.err));
            rc = CMD_PARTIAL;
        } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
            rc = CMD_PARTIAL;
        }
        buf_release(&out);
    }
    sites_config_free(c);
    return rc;
}
