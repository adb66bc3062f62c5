/* cmd_crawl.c — `newsarc crawl [-c sites.conf] [--site NAME]… [--quiet] [-v]`,
 * the cron mode: fetch what is new on every site and archive it, print one
 * summary line per site (nothing with --quiet unless something failed).
 * Also the helpers cmd_backfill.c shares (cmd_crawl.h). */
#include "cli/cmd.h"
#include "cli/cmd_crawl.h"
#include "cli/shard.h"
#include "crawler/crawl.h"
#include "crawler/health.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <sys/stat.h>

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile sig_atomic_t crawl_cli_stop;

static void on_signal(int sig)
{
    (void)sig;
    if (crawl_cli_stop) /* a second ^C: leave now */
        _exit(130);
    crawl_cli_stop = 1;
}

void crawl_cli_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int crawl_cli_check_sites(const char *me, const struct sites_config *cfg, const char *const *sites, size_t nsites)
{
    for (size_t k = 0; k < nsites; k++) {
        size_t i = 0;
        while (i < cfg->nsites && strcmp(cfg->sites[i].name, sites[k]) != 0)
            i++;
        if (i < cfg->nsites)
            continue;
        struct buf names = BUF_INIT;
        for (i = 0; i < cfg->nsites; i++)
            buf_printf(&names, "%s%s", i ? ", " : "", cfg->sites[i].name);
        fprintf(stderr, "newsarc %s: no site '%s' in '%s' (known: %s)\n", me, sites[k],
                cfg->path ? cfg->path : "sites.conf", names.len ? buf_str(&names) : "none");
        buf_release(&names);
        return CMD_USAGE;
    }
    return CMD_OK;
}

int crawl_cli_shard(const struct sites_config *cfg, const char *const *names, size_t n_names, unsigned k,
                    unsigned n, const char ***out, size_t *nout)
{
    size_t cap = n_names ? n_names : cfg->nsites;
    *nout = 0;
    if (!(*out = na_calloc(cap ? cap : 1, sizeof **out)))
        return NA_ENOMEM;
    for (size_t i = 0; i < cap; i++) {
        const char *name = n_names ? names[i] : cfg->sites[i].name;
        if (!n_names && !cfg->sites[i].enabled)
            continue;
        if (shard_of(name, n) == k)
            (*out)[(*nout)++] = name;
    }
    return 0;
}

/* mkdir -p of dir's parent folders (archive_open makes dir itself). */
static int make_parents(const char *me, const char *dir)
{
    char *p = na_strdup(dir);
    if (!p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "newsarc %s: cannot create the folder '%s' for the archive '%s': %s\n", me, p, dir,
                    strerror(errno));
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

int crawl_cli_open(const char *me, const char *config, const char *archive_dir, int dry_run,
                   const char *const *sites, size_t nsites, struct sites_config **cfg, struct archive **a)
{
    struct buf err = BUF_INIT;
    *a = NULL;
    if (sites_config_load(config, cfg, &err)) {
        fprintf(stderr, "newsarc %s: %s\n", me, err.len ? buf_str(&err) : "cannot read the configuration");
        buf_release(&err);
        *cfg = NULL;
        return CMD_USAGE;
    }
    if (crawl_cli_check_sites(me, *cfg, sites, nsites) != CMD_OK) {
        buf_release(&err);
        sites_config_free(*cfg);
        *cfg = NULL;
        return CMD_USAGE;
    }
    if (dry_run) {
        buf_release(&err);
        return CMD_OK;
    }
    const char *dir = archive_dir ? archive_dir : (*cfg)->archive;
    if (make_parents(me, dir)) {
        buf_release(&err);
        sites_config_free(*cfg);
        *cfg = NULL;
        return CMD_USAGE;
    }
    struct archive_opts ao;
    memset(&ao, 0, sizeof ao);
    ao.warc_max_size = (*cfg)->warc_max_size;
    ao.config_digest = (*cfg)->digest;
    ao.config_name = (*cfg)->path;
    int rc = archive_open(dir, &ao, a, &err);
    if (rc == NA_ELOCKED) {
        fprintf(stderr, "newsarc %s: %s\n", me, err.len ? buf_str(&err) : "the archive is locked by another run");
        buf_release(&err);
        sites_config_free(*cfg);
        *cfg = NULL;
        return CMD_LOCKED;
    }
    if (rc) {
        int io = rc == NA_EDISKFULL || rc == NA_EIO || rc == NA_ECORRUPT;
        if (io)
            crawl_cli_error(me, dir, rc, buf_str(&err));
        else
            fprintf(stderr, "newsarc %s: archive '%s': %s\n", me, dir, err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        sites_config_free(*cfg);
        *cfg = NULL;
        /* the archive exists but cannot be written now: a partial failure
         * (1), not a usage error (2) */
        return io ? CMD_PARTIAL : CMD_USAGE;
    }
    buf_release(&err);
    return CMD_OK;
}

int crawl_cli_lock_sites(const char *me, const struct sites_config *cfg, struct archive *a,
                         const char *const *names, size_t n, const char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    if (!a)
        return CMD_OK; /* a dry run */
    size_t cap = n ? n : cfg->nsites;
    const char **v = na_calloc(cap ? cap : 1, sizeof *v);
    if (!v) {
        fprintf(stderr, "newsarc %s: out of memory\n", me);
        return CMD_PARTIAL;
    }
    size_t got = 0, want = 0;
    struct buf err = BUF_INIT;
    for (size_t i = 0; i < cap; i++) {
        const char *name = n ? names[i] : cfg->sites[i].name;
        if (!n && !cfg->sites[i].enabled)
            continue;
        want++;
        buf_reset(&err);
        int rc = archive_lock_site(a, name, &err);
        if (rc == NA_ELOCKED) {
            fprintf(stderr, "newsarc %s: skipping site '%s': %s\n", me, name, buf_str(&err));
            continue;
        }
        if (rc) {
            fprintf(stderr, "newsarc %s: %s\n", me, err.len ? buf_str(&err) : na_strerror(rc));
            buf_release(&err);
            free(v);
            return CMD_PARTIAL;
        }
        v[got++] = name;
    }
    buf_release(&err);
    if (want && !got) {
        fprintf(stderr, "newsarc %s: nothing to do: every site is being crawled by another process\n", me);
        free(v);
        return CMD_LOCKED;
    }
    if (got == want && !n) { /* every enabled site: the run stays "every site" */
        free(v);
        return CMD_OK;
    }
    *out = v;
    *nout = got;
    return CMD_OK;
}

static void human_bytes(uint64_t b, char *out, size_t cap)
{
    if (b < 10000)
        snprintf(out, cap, "%llu B", (unsigned long long)b);
    else if (b < 10000000)
        snprintf(out, cap, "%.1f KB", b / 1e3);
    else if (b < 10000000000ULL)
        snprintf(out, cap, "%.1f MB", b / 1e6);
    else
        snprintf(out, cap, "%.1f GB", b / 1e9);
}

void crawl_cli_summary(FILE *f, const struct crawl_stats *st, int only_failed)
{
    for (size_t i = 0; i < st->nsite; i++) {
        const struct crawl_site_stats *s = &st->site[i];
        if (only_failed && !s->errors)
            continue;
        char b[32];
        human_bytes(s->bytes, b, sizeof b);
        fprintf(f, "%s: %ld listing page%s", s->name, s->listing_pages, s->listing_pages == 1 ? "" : "s");
        if (s->not_modified)
            fprintf(f, " (%ld not modified)", s->not_modified);
        if (s->feeds)
            fprintf(f, ", %ld feed%s", s->feeds, s->feeds == 1 ? "" : "s");
        if (s->sitemaps)
            fprintf(f, ", %ld sitemap%s", s->sitemaps, s->sitemaps == 1 ? "" : "s");
        fprintf(f, ", %ld new article%s", s->articles_new, s->articles_new == 1 ? "" : "s");
        if (s->articles_empty)
            fprintf(f, " (%ld without text)", s->articles_empty);
        if (s->articles_still_empty)
            fprintf(f, ", %ld retried, still without text", s->articles_still_empty);
        if (s->images || s->images_skipped)
            fprintf(f, ", %ld image%s (%ld not archived)", s->images, s->images == 1 ? "" : "s", s->images_skipped);
        fprintf(f, ", %ld error%s", s->errors, s->errors == 1 ? "" : "s");
        if (s->robots_blocked)
            fprintf(f, ", %ld disallowed by robots.txt", s->robots_blocked);
        if (s->robots_failed && s->robots_unreachable)
            fprintf(f, ", %ld not fetched: robots.txt unreachable (%s)", s->robots_unreachable, s->robots_why);
        else if (s->robots_failed)
            fprintf(f, ", robots.txt unreachable (%s)", s->robots_why);
        fprintf(f, ", %s, %.1f s\n", b, s->seconds);
    }
}

void crawl_cli_error(const char *me, const char *dir, int rc, const char *msg)
{
    if (rc == NA_EDISKFULL || (msg && strstr(msg, "database or disk is full"))) {
        fprintf(stderr,
                "newsarc %s: archive '%s': no space left on device; what is archived is kept, and the first run "
                "after space is freed fetches what is missing\n",
                me, dir ? dir : "?");
        return;
    }
    if (rc == NA_EIO && dir)
        fprintf(stderr, "newsarc %s: archive '%s': %s\n", me, dir, msg && *msg ? msg : na_strerror(rc));
    else
        fprintf(stderr, "newsarc %s: %s\n", me, msg && *msg ? msg : na_strerror(rc));
}

int crawl_cli_status(const struct crawl_stats *st, int rc)
{
    if (rc == NA_ECONFIG)
        return CMD_USAGE;
    if (rc || st->errors || st->interrupted)
        return CMD_PARTIAL;
    return CMD_OK;
}

int crawl_cli_health_judge(const char *me, const struct sites_config *cfg, struct archive *a,
                           const struct crawl_stats *st, int rc, struct health_report *hr)
{
    health_report_init(hr);
    if (rc || st->interrupted)
        return 0;
    struct health_store hs;
    if (a)
        health_store_archive(&hs, a);
    struct buf err = BUF_INIT;
    int tx = a && archive_begin(a) == 0; /* one commit for every site's state */
    int hrc = health_judge(cfg, st, a ? &hs : NULL, time(NULL), hr, &err);
    if (tx && archive_commit(a) < 0 && !hrc) {
        hrc = NA_EDB;
        buf_seterr(&err, "site health: cannot commit the alert state");
    }
    if (hrc)
        fprintf(stderr, "newsarc %s: %s\n", me, buf_str(&err));
    buf_release(&err);
    return hrc;
}

static void fmt_since(time_t t, char *out, size_t cap)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, cap, "%Y-%m-%d %H:%M UTC", &tm))
        snprintf(out, cap, "%lld", (long long)t);
}

int crawl_cli_health_print(const char *me, const struct health_report *hr, int judge_rc, int quiet, int status)
{
    for (size_t i = 0; i < hr->n; i++) {
        const struct health_alert *x = &hr->v[i];
        char since[40];
        fmt_since(x->since, since, sizeof since);
        if (x->change == HEALTH_STARTED)
            fprintf(stderr, "newsarc %s: %s: alert: %s: %s\n", me, x->site, health_kind_name(x->kind), x->message);
        else if (x->change == HEALTH_CLEARED)
            fprintf(stderr, "newsarc %s: %s: alert cleared: %s (open since %s)\n", me, x->site,
                    health_kind_name(x->kind), since);
        else if (!quiet)
            printf("%s: alert still open since %s: %s: %s\n", x->site, since, health_kind_name(x->kind), x->message);
    }
    fflush(stdout);
    if (status == CMD_OK && judge_rc)
        return CMD_PARTIAL;
    return status == CMD_OK && hr->open ? CMD_ALERT : status;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: newsarc crawl [-c FILE] [-a DIR] [--site NAME... | --shard K/N] [--dry-run] [-q] [-v]\n\n"
               "Fetches what is new on the sites of sites.conf (cron mode): per site, the listing\n"
               "pages from the newest until one shows no article the archive lacks (or max_pages),\n"
               "the feeds and sitemaps, then the new articles; extracts and archives them.\n\n"
               "  -c, --config FILE   the configuration (default: sites.conf)\n"
               "  -a, --archive DIR   the archive (default: archive = in sites.conf)\n"
               "  -s, --site NAME     crawl only this site (repeatable; also disabled ones)\n"
               "      --shard K/N     only the enabled sites whose name hashes to K of N\n"
               "                      (0 <= K < N; FNV-1a 64 of the name mod N, docs/scaling.md)\n"
               "  -n, --dry-run       fetch and extract, archive nothing (testing a config)\n"
               "  -q, --quiet         print nothing when everything worked\n"
               "  -v, --verbose       log every fetch to stderr (-vv: debug)\n"
               "  -h, --help          this help\n\n"
               "Prints one line per site (listing pages, new articles, errors, bytes, time).\n"
               "Alerts about a site that looks broken (its article pattern matches nothing, no\n"
               "new article for alert_after, empty articles, unreachable) go to stderr once when\n"
               "they start and once when they clear, also with -q.\n"
               "Exit status: 0 all fine, 1 some fetches failed or the archive could not be written\n"
               "(disk full, I/O error), 2 usage or configuration error,\n"
               "3 nothing to do: every site is being crawled by another process (a site another\n"
               "process holds is skipped, naming its PID and command) or reindex/reextract holds\n"
               "the archive, 4 ran, but a site looks broken (an alert\n"
               "is open; 1, 2 and 3 take precedence).\n");
}

int cmd_crawl(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "archive", required_argument, NULL, 'a' },
        { "site", required_argument, NULL, 's' },
        { "dry-run", no_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { "shard", required_argument, NULL, 'S' },
        { NULL, 0, NULL, 0 },
    };
    const char *config = "sites.conf", *archive_dir = NULL;
    const char *sites[256];
    size_t nsites = 0;
    int quiet = 0, verbose = 0, dry = 0, ch;
    unsigned shard_k = 0, shard_n = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:a:s:nqvh", opts, NULL)) != -1) {
        switch (ch) {
        case 'c': config = optarg; break;
        case 'a': archive_dir = optarg; break;
        case 's':
            if (nsites == sizeof sites / sizeof sites[0]) {
                fprintf(stderr, "newsarc crawl: too many --site options\n");
                return CMD_USAGE;
            }
            sites[nsites++] = optarg;
            break;
        case 'n': dry = 1; break;
        case 'q': quiet = 1; break;
        case 'v': verbose++; break;
        case 'S':
            if (shard_parse(optarg, &shard_k, &shard_n)) {
                fprintf(stderr, "newsarc crawl: --shard: expected K/N with 0 <= K < N <= 65536, got '%s'\n", optarg);
                return CMD_USAGE;
            }
            break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc crawl: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    if (shard_n && nsites) {
        fprintf(stderr, "newsarc crawl: --shard and --site exclude each other\n");
        return CMD_USAGE;
    }
    log_level_current = quiet ? LOG_ERROR : verbose >= 2 ? LOG_DEBUG : verbose ? LOG_INFO : LOG_WARN;
    struct sites_config *cfg = NULL;
    struct archive *a = NULL;
    int rc = crawl_cli_open("crawl", config, archive_dir, dry, sites, nsites, &cfg, &a);
    if (rc != CMD_OK)
        return rc;
    const char **shard = NULL;
    if (shard_n) {
        if (crawl_cli_shard(cfg, NULL, 0, shard_k, shard_n, &shard, &nsites)) {
            fprintf(stderr, "newsarc crawl: out of memory\n");
            archive_close(a);
            sites_config_free(cfg);
            return CMD_PARTIAL;
        }
        if (!nsites) { /* nothing to do: not "every site" */
            if (!quiet)
                printf("shard %u/%u: no enabled site of '%s' hashes to it\n", shard_k, shard_n, cfg->path);
            free(shard);
            archive_close(a);
            sites_config_free(cfg);
            return CMD_OK;
        }
    }
    const char **locked = NULL;
    size_t nlocked = 0;
    rc = crawl_cli_lock_sites("crawl", cfg, a, shard ? shard : sites, nsites, &locked, &nlocked);
    if (rc != CMD_OK) {
        archive_close(a);
        sites_config_free(cfg);
        free(shard);
        return rc;
    }
    crawl_cli_signals();
    struct crawl_opts o;
    memset(&o, 0, sizeof o);
    o.cfg = cfg;
    o.archive = a;
    o.sites = locked ? locked : shard ? shard : sites;
    o.nsites = locked ? nlocked : nsites;
    o.stop = &crawl_cli_stop;
    struct crawl_stats st;
    struct buf err = BUF_INIT;
    rc = crawl_run(&o, &st, &err);
    struct health_report hr;
    int hrc = crawl_cli_health_judge("crawl", cfg, a, &st, rc, &hr);
    archive_close(a);
    int status = crawl_cli_status(&st, rc);
    if (rc)
        crawl_cli_error("crawl", archive_dir ? archive_dir : cfg ? cfg->archive : NULL, rc, buf_str(&err));
    if (!quiet) {
        crawl_cli_summary(stdout, &st, 0);
        fflush(stdout);
    } else if (status != CMD_OK) {
        crawl_cli_summary(stderr, &st, 0);
        fputs(buf_str(&st.errors_text), stderr);
        if (st.errors > CRAWL_MAX_ERROR_LINES)
            fprintf(stderr, "(%ld more errors)\n", st.errors - CRAWL_MAX_ERROR_LINES);
    }
    if (st.interrupted)
        fprintf(stderr, "newsarc crawl: interrupted; the next run picks up what is left\n");
    status = crawl_cli_health_print("crawl", &hr, hrc, quiet, status);
    health_report_release(&hr);
    buf_release(&err);
    crawl_stats_release(&st);
    sites_config_free(cfg);
    free(shard);
    free(locked);
    return status;
}
