/* cmd_propose.c — `newsarc propose URL [-c FILE] [--site NAME]`: prints a
 * ready [site] section for the portal at URL (crawler/propose.h), with
 * comments on what was found, left out and why; with --site, how it
 * compares with that section of sites.conf. Archives nothing. */
#include "cli/cmd.h"
#include "crawler/propose.h"
#include "crawler/sites.h"
#include "crawler/try.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc propose URL [-c FILE] [--site NAME] [--name NAME] [--delay S] [--max-requests N]\n\n"
            "Reads a portal's homepage (or a column page) and prints a [site] section for\n"
            "sites.conf: the news columns as listing = lines (a {n} template for TRS pages),\n"
            "feeds whose items are articles, and one anchored article = pattern per URL shape\n"
            "of the links that read like titles; checked by extracting 3 sample articles.\n"
            "Comments say what was found, the charset, and what was left out and why. It reads\n"
            "robots.txt and obeys it, waits the delay between requests and makes at most 30.\n\n"
            "  -c, --config FILE     user_agent, resolve, timeouts and delay from FILE\n"
            "                        (default ./sites.conf when it exists)\n"
            "  -s, --site NAME       compare with the section NAME of the configuration\n"
            "                        (and name the proposal so)\n"
            "      --name NAME       the proposed section's name (default: from the host)\n"
            "      --delay S         seconds between requests (default: the configuration's, or 2)\n"
            "      --max-requests N  at most N requests (default 30)\n"
            "  -h, --help            this help\n\n"
            "Exit status: 0 a section with at least one article pattern, 1 none found or\n"
            "the page could not be read, 2 usage.\n");
}

static int in_list(char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

/* How the proposal and the configured section s differ. */
static void compare(const struct propose_result *r, const struct site *s, struct buf *b)
{
    buf_printf(b, "# compared with [site %s] of %s:%d\n", s->name, s->file ? s->file : "?", s->line);
    for (size_t i = 0; i < r->nlisting; i++)
        if (!in_list(s->listing, s->nlisting, r->listing[i]))
            buf_printf(b, "#   new listing = %s\n", r->listing[i]);
    for (size_t i = 0; i < s->nlisting; i++)
        if (!in_list(r->listing, r->nlisting, s->listing[i]))
            buf_printf(b, "#   configured listing = %s is not proposed\n", s->listing[i]);
    for (size_t i = 0; i < r->nfeed; i++)
        if (!in_list(s->feed, s->nfeed, r->feed[i]))
            buf_printf(b, "#   new feed = %s\n", r->feed[i]);
    /* the patterns judged on every link read */
    long by_conf = 0, by_prop = 0, only_conf = 0, only_prop = 0;
    regex_t *rx = calloc(r->npattern ? r->npattern : 1, sizeof *rx);
    size_t nrx = 0;
    for (size_t i = 0; rx && i < r->npattern; i++)
        if (regcomp(&rx[nrx], r->pattern[i].regex, REG_EXTENDED | REG_NOSUB) == 0)
            nrx++;
    for (size_t i = 0; rx && i < r->nlinks; i++) {
        int c = 0, p = 0;
        for (size_t k = 0; k < s->narticle && !c; k++)
            c = s->article_re && regexec(&s->article_re[k], r->links[i], 0, NULL, 0) == 0;
        for (size_t k = 0; k < nrx && !p; k++)
            p = regexec(&rx[k], r->links[i], 0, NULL, 0) == 0;
        by_conf += c;
        by_prop += p;
        only_conf += c && !p;
        only_prop += p && !c;
    }
    for (size_t i = 0; i < nrx; i++)
        regfree(&rx[i]);
    free(rx);
    buf_printf(b, "#   of %zu links read, the configured article patterns match %ld, the proposed %ld "
                  "(%ld only the configured, %ld only the proposed)\n",
               r->nlinks, by_conf, by_prop, only_conf, only_prop);
}

static int parse_num(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || v < 0 || v > 600)
        return -1;
    *out = v;
    return 0;
}

int cmd_propose(int argc, char **argv)
{
    enum { OPT_NAME = 256, OPT_DELAY, OPT_MAX };
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' }, { "site", required_argument, NULL, 's' },
        { "name", required_argument, NULL, OPT_NAME }, { "delay", required_argument, NULL, OPT_DELAY },
        { "max-requests", required_argument, NULL, OPT_MAX }, { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *config = NULL, *site = NULL, *name = NULL;
    double delay = -1, maxreq = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 's': site = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_DELAY:
            if (parse_num(optarg, &delay)) {
                fprintf(stderr, "newsarc propose: bad --delay '%s' (seconds, 0 to 600)\n", optarg);
                return CMD_USAGE;
            }
            break;
        case OPT_MAX:
            if (parse_num(optarg, &maxreq) || maxreq < 3 || maxreq > 200 || maxreq != (int)maxreq) {
                fprintf(stderr, "newsarc propose: bad --max-requests '%s' (3 to 200)\n", optarg);
                return CMD_USAGE;
            }
            break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, optind >= argc ? "newsarc propose: a URL is required\n" : "newsarc propose: one URL only\n");
        usage(stderr);
        return CMD_USAGE;
    }
    struct sites_config *cfg = NULL;
    struct buf err = BUF_INIT;
    if (!config && access("sites.conf", F_OK) == 0)
        config = "sites.conf";
    if (config && sites_config_load(config, &cfg, &err)) {
        fprintf(stderr, "newsarc propose: %s\n", buf_str(&err));
        buf_release(&err);
        return CMD_USAGE;
    }
    struct site *s = NULL;
    if (site && (!cfg || !(s = sites_find(cfg, site)))) {
        fprintf(stderr, "newsarc propose: no site '%s' in '%s'\n", site, config ? config : "(no configuration)");
        sites_config_free(cfg);
        buf_release(&err);
        return CMD_USAGE;
    }
    char ua[128];
    snprintf(ua, sizeof ua, "newsarc/%s (propose)", NEWSARC_VERSION);
    struct try_fetch_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.user_agent = cfg ? cfg->user_agent : ua;
    fo.max_redirects = cfg ? cfg->max_redirects : 5;
    if (cfg) {
        fo.connect_timeout = cfg->connect_timeout;
        fo.timeout = cfg->timeout;
        fo.low_speed_time = cfg->low_speed_time;
        fo.max_body = (size_t)cfg->max_page_size;
        fo.resolve = cfg->resolve;
        fo.nresolve = cfg->nresolve;
        fo.ca_file = cfg->ca_file;
    }
    struct propose_opts po = { &fo, fo.user_agent, delay >= 0 ? delay : cfg ? cfg->delay : 2.0, (int)maxreq,
                               name ? name : site };
    struct propose_result r;
    propose_result_init(&r);
    int rc = propose_run(&po, argv[optind], &r, &err);
    struct buf out = BUF_INIT;
    if (rc) {
        fprintf(stderr, "newsarc propose: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
    } else {
        if (s)
            compare(&r, s, &r.comments);
        rc = propose_format(&r, &out);
        if (!rc && (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
            rc = NA_EIO;
        if (rc)
            fprintf(stderr, "newsarc propose: %s\n", na_strerror(rc));
    }
    int ret = rc || !r.npattern ? CMD_PARTIAL : CMD_OK;
    propose_result_release(&r);
    buf_release(&out);
    buf_release(&err);
    sites_config_free(cfg);
    return ret;
}
