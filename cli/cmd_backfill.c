/* cmd_backfill.c — `newsarc backfill SITE [--pages A-B]`: walks a range of a
 * site's listing pages and archives every article they show.
 * `newsarc backfill --retry-failed [SITE…]`: fetches now the URLs of the
 * archive's frontier that are not archived (waiting for a retry, given up,
 * or left by a killed run), and nothing else. Progress (a bar
 * on a terminal, a plain line every few seconds otherwise) goes to stderr;
 * the walk's progress and the queue live in the archive, so a killed run
 * resumes where it stopped. */
#include "cli/cmd.h"
#include "cli/cmd_crawl.h"
#include "cli/eta.h"
#include "cli/shard.h"
#include "crawler/crawl.h"
#include "crawler/health.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PLAIN_EVERY 5.0 /* seconds between progress lines when stderr is not a terminal */

struct progress {
    const char *site;
    int tty, quiet;
    int open_ended;                /* no --pages B: the planned pages are an upper bound */
    double last_plain;
    int drawn;
};

static void fmt_eta(double s, char *out, size_t cap)
{
    if (s < 0 || s > 360000) {
        snprintf(out, cap, "--:--");
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, cap, "%ld:%02ld", t / 60, t % 60);
}

static void on_progress(const struct crawl_stats *st, void *ud)
{
    struct progress *p = ud;
    if (p->quiet)
        return;
    double el = st->elapsed > 0.001 ? st->elapsed : 0.001;
    double rate = st->articles_done / el;
    struct eta_in in = { st->listing_done, st->listing_planned, st->articles_queued, st->articles_done,
                         st->elapsed };
    double eta = -1;
    int have_eta = eta_estimate(&in, &eta);
    char e[48] = "";
    if (have_eta) {
        char t[32];
        fmt_eta(eta, t, sizeof t);
        snprintf(e, sizeof e, "%s%s", p->open_ended ? "at most " : "", t);
    }
    const char *most = p->open_ended ? "at most " : "";
    if (p->tty) {
        int width = 24, fill = 0;
        if (st->listing_planned > 0)
            fill = (int)(width * (double)st->listing_done / st->listing_planned);
        if (fill > width)
            fill = width;
        char bar[64];
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(width - fill));
        bar[width] = 0;
        fprintf(stderr, "\r%s [%s] %ld/%s%ld listing pages  %ld/%ld articles  %.1f/s  ETA %s \033[K", p->site, bar,
                st->listing_done, most, st->listing_planned, st->articles_done, st->articles_queued, rate,
                have_eta ? e : "--:--");
        p->drawn = 1;
    } else if (st->elapsed - p->last_plain >= PLAIN_EVERY) {
        p->last_plain = st->elapsed;
        fprintf(stderr, "backfill %s: %ld/%s%ld listing pages, %ld/%ld articles, %ld errors, %.1f articles/s%s%s\n",
                p->site, st->listing_done, most, st->listing_planned, st->articles_done, st->articles_queued,
                st->errors, rate, have_eta ? ", ETA " : "", e);
    }
    fflush(stderr);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc backfill SITE [-c FILE] [-a DIR] [--pages A-B] [--restart] [--shard K/N] [--dry-run] [-q] [-v]\n"
               "       newsarc backfill --retry-failed [SITE]... [--shard K/N] [-c FILE] [-a DIR] [-q] [-v]\n\n"
               "Walks SITE's listing pages A to B (default 1 to backfill_max_pages) and archives\n"
               "every article they show that the archive lacks. Progress goes to stderr (a bar on\n"
               "a terminal, a line every few seconds otherwise). The walk and the queue are kept in\n"
               "the archive: after a kill, running the same command again resumes without fetching\n"
               "an archived article again.\n"
               "With --retry-failed, fetches now every article URL of the archive's frontier\n"
               "that is not archived (of the SITEs, default every enabled site): those waiting\n"
               "for their next retry and those given up (newsarc ls --failed lists them), and\n"
               "exits; no listing page is read.\n\n"
               "  -c, --config FILE   the configuration (default: sites.conf)\n"
               "  -a, --archive DIR   the archive (default: archive = in sites.conf)\n"
               "  -p, --pages A-B     listing pages A to B (\"A-\" or \"A\": from A on)\n"
               "      --restart       ignore the saved progress of this range\n"
               "      --retry-failed  retry the failed URLs now (see above)\n"
               "      --shard K/N     only sites of shard K of N (as crawl --shard): SITE when it\n"
               "                      is in it (else nothing to do, exit 0); with --retry-failed\n"
               "                      the SITEs (default the enabled sites) in it\n"
               "  -n, --dry-run       fetch and extract, archive nothing\n"
               "  -q, --quiet         no progress, no summary unless something failed\n"
               "  -v, --verbose       log every fetch to stderr (-vv: debug)\n"
               "  -h, --help          this help\n\n"
               "Exit status: 0 all fine, 1 some fetches failed or interrupted, 2 usage or\n"
               "configuration error, 3 the site is being crawled by another process (the message\n"
               "names its PID and command) or reindex/reextract holds the archive, 4 ran, but the site\n"
               "looks broken (an alert is open, said on stderr when it starts; see crawl --help).\n");
}

static int parse_pages(const char *s, int *from, int *to)
{
    char *end;
    long a = strtol(s, &end, 10), b = 0;
    if (end == s || a < 1 || a > 100000000)
        return -1;
    if (*end == '-') {
        const char *q = end + 1;
        if (*q) {
            b = strtol(q, &end, 10);
            if (end == q || *end || b < a || b > 100000000)
                return -1;
        }
    } else if (*end) {
        return -1;
    }
    *from = (int)a;
    *to = (int)b;
    return 0;
}

/* Every walk of the range ended before, as its saved progress says. */
static void say_range_done(const char *site, int from, int to)
{
    char range[48];
    if (to)
        snprintf(range, sizeof range, "%d-%d", from ? from : 1, to);
    else
        snprintf(range, sizeof range, "%d to the last", from ? from : 1);
    fprintf(stderr,
            "newsarc backfill: %s: listing pages %s were walked to the end before: nothing to do "
            "(--restart walks them again)\n",
            site, range);
}

int cmd_backfill(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "archive", required_argument, NULL, 'a' },
        { "pages", required_argument, NULL, 'p' },
        { "restart", no_argument, NULL, 'R' },
        { "retry-failed", no_argument, NULL, 'F' },
        { "dry-run", no_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "shard", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    const char *config = "sites.conf", *archive_dir = NULL;
    int from = 0, to = 0, restart = 0, dry = 0, quiet = 0, verbose = 0, retry = 0, ch;
    unsigned shard_k = 0, shard_n = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:a:p:nqvh", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': config = optarg; break;
        case 'a': archive_dir = optarg; break;
        case 'p':
            if (parse_pages(optarg, &from, &to)) {
                fprintf(stderr, "newsarc backfill: --pages: expected A-B with 1 <= A <= B, got '%s'\n", optarg);
                return CMD_USAGE;
            }
            break;
        case 'R': restart = 1; break;
        case 'F': retry = 1; break;
        case 'S':
            if (shard_parse(optarg, &shard_k, &shard_n)) {
                fprintf(stderr, "newsarc backfill: --shard: expected K/N with 0 <= K < N <= 65536, got '%s'\n",
                        optarg);
                return CMD_USAGE;
            }
            break;
        case 'n': dry = 1; break;
        case 'q': quiet = 1; break;
        case 'v': verbose++; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (retry && (from || restart)) {
        fprintf(stderr, "newsarc backfill: --retry-failed takes no --pages or --restart\n");
        return CMD_USAGE;
    }
    if (!retry && optind != argc - 1) {
        fprintf(stderr, "newsarc backfill: %s\n", optind >= argc ? "missing SITE" : "more than one SITE");
        usage(stderr);
        return CMD_USAGE;
    }
    const char *site = optind < argc ? argv[optind] : NULL;
    log_level_current = quiet ? LOG_ERROR : verbose >= 2 ? LOG_DEBUG : verbose ? LOG_INFO : LOG_WARN;
    struct sites_config *cfg = NULL;
    struct archive *a = NULL;
    int rc = crawl_cli_open("backfill", config, archive_dir, dry, (const char *const *)argv + optind,
                            (size_t)(argc - optind), &cfg, &a);
    if (rc != CMD_OK)
        return rc;
    const char **shard = NULL;
    size_t nshard = 0;
    if (shard_n) {
        if (crawl_cli_shard(cfg, (const char *const *)argv + optind, (size_t)(argc - optind), shard_k, shard_n,
                            &shard, &nshard)) {
            fprintf(stderr, "newsarc backfill: out of memory\n");
            archive_close(a);
            sites_config_free(cfg);
            return CMD_PARTIAL;
        }
        if (!nshard) { /* not "every site" */
            if (!quiet)
                printf("shard %u/%u: %s%s%s\n", shard_k, shard_n, site && !retry ? "site '" : "no site hashes to it",
                       site && !retry ? site : "", site && !retry ? "' is not in it: nothing to do" : "");
            free(shard);
            archive_close(a);
            sites_config_free(cfg);
            return CMD_OK;
        }
    }
    struct site *s = site ? sites_find(cfg, site) : NULL;
    if (!retry && !s->nlisting && !s->nsitemap && !s->nfeed && !s->nlisting_api) {
        fprintf(stderr, "newsarc backfill: site '%s' has no listing, sitemap or feed\n", site);
        archive_close(a);
        sites_config_free(cfg);
        return CMD_USAGE;
    }
    const char **locked = NULL;
    size_t nlocked = 0;
    rc = crawl_cli_lock_sites("backfill", cfg, a, shard ? shard : (const char *const *)argv + optind,
                              shard ? nshard : (size_t)(argc - optind), &locked, &nlocked);
    if (rc != CMD_OK) {
        archive_close(a);
        sites_config_free(cfg);
        free(shard);
        return rc;
    }
    crawl_cli_signals();
    struct progress pr = { site ? site : "all sites", isatty(2) && !verbose, quiet, !retry && to == 0, 0, 0 };
    struct crawl_opts o;
    memset(&o, 0, sizeof o);
    o.cfg = cfg;
    o.archive = a;
    o.sites = locked ? locked : shard ? shard : (const char *const *)argv + optind;
    o.nsites = locked ? nlocked : shard ? nshard : (size_t)(argc - optind);
    o.backfill = 1;
    o.retry_failed = retry;
    o.page_from = from;
    o.page_to = to;
    o.restart = restart;
    o.progress = on_progress;
    o.progress_ud = &pr;
    o.stop = &crawl_cli_stop;
    struct crawl_stats st;
    struct buf err = BUF_INIT;
    rc = crawl_run(&o, &st, &err);
    struct health_report hr;
    int hrc = crawl_cli_health_judge("backfill", cfg, a, &st, rc, &hr);
    archive_close(a);
    if (pr.drawn)
        fputc('\n', stderr);
    int status = crawl_cli_status(&st, rc);
    if (rc)
        crawl_cli_error("backfill", archive_dir ? archive_dir : cfg->archive, rc, buf_str(&err));
    if (!quiet) {
        crawl_cli_summary(stdout, &st, 0);
        fflush(stdout);
    } else if (status != CMD_OK) {
        crawl_cli_summary(stderr, &st, 0);
        fputs(buf_str(&st.errors_text), stderr);
    }
    if (st.interrupted)
        fprintf(stderr, "newsarc backfill: interrupted; run the same command again to resume\n");
    else if (!rc && !quiet && !retry && s->nlisting && st.listing_planned == 0 && st.listing_done == 0)
        say_range_done(site, from, to);
    status = crawl_cli_health_print("backfill", &hr, hrc, quiet, status);
    health_report_release(&hr);
    buf_release(&err);
    crawl_stats_release(&st);
    sites_config_free(cfg);
    free(shard);
    free(locked);
    return status;
}
