/* cmd_report.c — `newsarc report [--since WHEN] [--format text|json|html]
 * [--problems-only] [--all]`: the digest a cron mail or a chat hook wants.
 * Per site: the articles fetched since WHEN (default yesterday, UTC) and the
 * newest titles, the URLs whose last failed attempt falls in that window by
 * state and reason (the frontier, as `ls --failed` shows them), and the
 * open health alerts (crawler/health.h, read from the archive's state
 * table). One line when all is well. Readonly open. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "cli/when.h"
#include "crawler/health.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/index.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NEWEST 3          /* titles per site */
#define MAX_REASONS 8     /* distinct failure reasons kept per site (the rest: "other") */

struct reason {
    char *text;           /* malloc'd */
    int given_up;
    long n;
};

struct site_rep {
    char *name;           /* malloc'd */
    long articles;        /* fetched since */
    char *title[NEWEST], *url[NEWEST], *published[NEWEST];
    int ntitle;
    struct reason reason[MAX_REASONS + 1];
    int nreason;
    long failed;
    struct health_report alerts; /* open alerts (HEALTH_STILL) */
};

struct report {
    struct site_rep *v;
    size_t n, cap;
    char since[WHEN_MAX];
    time_t since_t;
    long articles, failed, alerts, problem_sites;
};

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc report [-c FILE | -a DIR] [--since WHEN] [--format text|json|html]\n"
            "                      [--site S]... [--problems-only] [--all]\n\n"
            "The digest of the archive for a cron mail or a chat hook: per site, the articles\n"
            "fetched since WHEN and the newest titles, the URLs whose last attempt since WHEN\n"
            "failed (by reason; retrying or given up; not those robots.txt disallows), and\n"
            "the open health alerts (pattern,\n"
            "silent, empty, unreachable). When all is well, text is one line.\n\n"
            "  -c, --config FILE    sites.conf: its sites and archive = (default ./sites.conf)\n"
            "  -a, --archive DIR    the archive (default: as ls finds it)\n"
            "      --since WHEN     default yesterday (UTC): YYYY-MM-DD[ HH:MM[:SS]], ISO 8601,\n"
            "                       36h, 2d, 1w, today, yesterday\n"
            "  -f, --format F       text (default), json (every site) or html (every site)\n"
            "  -s, --site S         only site S (repeatable)\n"
            "  -p, --problems-only  only the sites with a failure or an open alert; nothing at\n"
            "                       all when there is none\n"
            "      --all            text: a block for every site, not only the problem ones\n"
            "  -h, --help           this help\n\n"
            "Exit status: 0 (also with failures: they are retried), 2 usage, 1 the archive\n"
            "cannot be read, 4 a health alert is open (as crawl exits).\n");
}

static void site_free(struct site_rep *s)
{
    free(s->name);
    for (int i = 0; i < s->ntitle; i++) {
        free(s->title[i]);
        free(s->url[i]);
        free(s->published[i]);
    }
    for (int i = 0; i < s->nreason; i++)
        free(s->reason[i].text);
    health_report_release(&s->alerts);
}

static struct site_rep *site_add(struct report *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].name, name) == 0)
            return &r->v[i];
    if (NA_GROW(r->v, r->cap, r->n + 1, SITES_MAX_SITES * 4)) /* configured and archived sites */
        return NULL;
    struct site_rep *s = &r->v[r->n];
    memset(s, 0, sizeof *s);
    health_report_init(&s->alerts);
    if (!(s->name = na_strdup(name)))
        return NULL;
    r->n++;
    return s;
}

static int site_stats_cb(void *ud, const struct index_site_stats *s)
{
    if (s->site && *s->site && !site_add(ud, s->site))
        return NA_ENOMEM;
    return 0;
}

static char *dup0(const char *s) { return na_strdup(s ? s : ""); }

static int article_cb(void *ud, const struct index_article *a)
{
    struct site_rep *s = ud;
    s->articles++;
    if (s->ntitle < NEWEST) {
        int i = s->ntitle++;
        s->title[i] = dup0(a->title);
        s->url[i] = dup0(a->url);
        s->published[i] = dup0(a->published);
        if (!s->title[i] || !s->url[i] || !s->published[i])
            return NA_ENOMEM;
    }
    return 0;
}

/* Failed URLs whose last attempt is in the window, into their sites. */
static int gather_failures(struct report *r, struct archive *a)
{
    struct frontier_item *it = NULL;
    size_t n = 0;
    int rc = archive_frontier_list(a, NULL, (size_t)-1 / 2, ARCHIVE_FR_FAILED, &it, &n);
    for (size_t i = 0; i < n && !rc; i++) {
        if (it[i].last_attempt < r->since_t || !it[i].site)
            continue;
        /* robots.txt said no: the site's choice, obeyed, not a failure */
        if (it[i].reason && strcmp(it[i].reason, "disallowed by robots.txt") == 0)
            continue;
        struct site_rep *s = NULL;
        for (size_t k = 0; k < r->n && !s; k++)
            if (strcmp(r->v[k].name, it[i].site) == 0)
                s = &r->v[k];
        if (!s) /* a site not reported (--site) */
            continue;
        const char *why = it[i].reason && *it[i].reason ? it[i].reason : "unknown";
        int k = 0;
        while (k < s->nreason && (s->reason[k].given_up != it[i].given_up || strcmp(s->reason[k].text, why) != 0))
            k++;
        if (k == s->nreason && k >= MAX_REASONS) {
            k = MAX_REASONS; /* the last slot gathers the rest */
            if (!s->reason[k].text && !(s->reason[k].text = na_strdup("other reasons"))) {
                rc = NA_ENOMEM;
                break;
            }
            s->nreason = MAX_REASONS + 1;
        } else if (k == s->nreason) {
            if (!(s->reason[k].text = na_strdup(why))) {
                rc = NA_ENOMEM;
                break;
            }
            s->reason[k].given_up = it[i].given_up;
            s->nreason++;
        }
        s->reason[k].n++;
        s->failed++;
    }
    archive_frontier_items_free(it, n);
    return rc;
}

static int gather(struct report *r, struct archive *a, struct sites_config *cfg, const char **only, size_t nonly,
                  struct buf *err)
{
    int rc = 0;
    if (nonly) {
        for (size_t i = 0; i < nonly && !rc; i++)
            rc = site_add(r, only[i]) ? 0 : NA_ENOMEM;
    } else if (cfg) {
        for (size_t i = 0; i < cfg->nsites && !rc; i++)
            if (cfg->sites[i].enabled)
                rc = site_add(r, cfg->sites[i].name) ? 0 : NA_ENOMEM;
    } else {
        rc = index_site_stats(archive_index(a), site_stats_cb, r, err);
    }
    struct health_store hs;
    health_store_archive(&hs, a);
    for (size_t i = 0; i < r->n && !rc; i++) {
        struct site_rep *s = &r->v[i];
        struct index_query q = { 0 };
        q.site = s->name;
        q.since = r->since;
        q.by_fetched = 1;
        rc = index_articles(archive_index(a), &q, article_cb, s, err);
        /* verdict -1: "cannot tell", so the state is only read, never written */
        for (int k = 0; k < HEALTH_NKIND && !rc; k++)
            rc = health_update(&hs, s->name, (enum health_kind)k, -1, NULL, time(NULL), &s->alerts);
        r->articles += s->articles;
        r->alerts += (long)s->alerts.n;
    }
    if (!rc)
        rc = gather_failures(r, a);
    for (size_t i = 0; i < r->n; i++) {
        r->failed += r->v[i].failed;
        r->problem_sites += r->v[i].failed || r->v[i].alerts.n;
    }
    if (rc && !err->len)
        buf_seterr(err, "%s", na_strerror(rc));
    return rc;
}

static void fmt_utc(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

static void headline(const struct report *r, struct buf *b)
{
    if (!r->problem_sites) {
        buf_printf(b, "newsarc report since %s: all well: %zu site%s, %ld new article%s\n", r->since, r->n,
                   r->n == 1 ? "" : "s", r->articles, r->articles == 1 ? "" : "s");
        return;
    }
    buf_printf(b, "newsarc report since %s: %ld of %zu sites need a look: %ld new article%s, %ld failed URL%s, "
                  "%ld open alert%s\n",
               r->since, r->problem_sites, r->n, r->articles, r->articles == 1 ? "" : "s", r->failed,
               r->failed == 1 ? "" : "s", r->alerts, r->alerts == 1 ? "" : "s");
}

static void text_site(const struct site_rep *s, struct buf *b)
{
    buf_printf(b, "%s: %ld new article%s\n", s->name, s->articles, s->articles == 1 ? "" : "s");
    for (size_t k = 0; k < s->alerts.n; k++) {
        char since[32];
        fmt_utc(s->alerts.v[k].since, since);
        buf_printf(b, "  alert %s (open since %s): %s\n", health_kind_name(s->alerts.v[k].kind), since,
                   s->alerts.v[k].message ? s->alerts.v[k].message : "");
    }
    if (s->failed) {
        buf_printf(b, "  failed %ld:", s->failed);
        for (int k = 0; k < s->nreason; k++)
            buf_printf(b, "%s %s %ld%s", k ? "," : "", s->reason[k].text, s->reason[k].n,
                       s->reason[k].given_up ? " (given up)" : " (retrying)");
        buf_printf(b, " (newsarc ls --failed --site %s)\n", s->name);
    }
    for (int k = 0; k < s->ntitle; k++)
        buf_printf(b, "  new: %s  %s\n", *s->title[k] ? s->title[k] : "(no title)", s->url[k]);
}

static json_t *json_site(const struct site_rep *s)
{
    json_t *titles = json_array(), *alerts = json_array(), *failed = json_pack("{s:{}, s:{}}", "retrying", "given_up");
    for (int k = 0; k < s->ntitle; k++)
        json_array_append_new(titles, json_pack("{s:s, s:s, s:s}", "title", s->title[k], "url", s->url[k],
                                                "published", s->published[k]));
    for (size_t k = 0; k < s->alerts.n; k++) {
        char since[32];
        fmt_utc(s->alerts.v[k].since, since);
        json_array_append_new(alerts, json_pack("{s:s, s:s, s:s}", "kind", health_kind_name(s->alerts.v[k].kind),
                                                "since", since, "message",
                                                s->alerts.v[k].message ? s->alerts.v[k].message : ""));
    }
    for (int k = 0; k < s->nreason && failed; k++)
        json_object_set_new(json_object_get(failed, s->reason[k].given_up ? "given_up" : "retrying"),
                            s->reason[k].text, json_integer(s->reason[k].n));
    return json_pack("{s:s, s:I, s:o, s:I, s:o, s:o}", "site", s->name, "new_articles", (json_int_t)s->articles,
                     "newest", titles, "failed_urls", (json_int_t)s->failed, "failed", failed, "alerts", alerts);
}

static void html_esc(struct buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': buf_adds(b, "&amp;"); break;
        case '<': buf_adds(b, "&lt;"); break;
        case '>': buf_adds(b, "&gt;"); break;
        case '"': buf_adds(b, "&quot;"); break;
        case '\'': buf_adds(b, "&#39;"); break;
        default: buf_addc(b, *s);
        }
    }
}

static void html_site(const struct site_rep *s, struct buf *b)
{
    buf_adds(b, "<tr><td>");
    html_esc(b, s->name);
    buf_printf(b, "</td><td>%ld</td><td>", s->articles);
    for (int k = 0; k < s->ntitle; k++) {
        buf_adds(b, k ? "<br><a href=\"" : "<a href=\"");
        html_esc(b, s->url[k]);
        buf_adds(b, "\">");
        html_esc(b, *s->title[k] ? s->title[k] : "(no title)");
        buf_adds(b, "</a>");
    }
    buf_adds(b, "</td><td>");
    for (int k = 0; k < s->nreason; k++) {
        buf_adds(b, k ? "<br>" : "");
        html_esc(b, s->reason[k].text);
        buf_printf(b, " %ld (%s)", s->reason[k].n, s->reason[k].given_up ? "given up" : "retrying");
    }
    buf_adds(b, "</td><td>");
    for (size_t k = 0; k < s->alerts.n; k++) {
        buf_adds(b, k ? "<br><b>" : "<b>");
        html_esc(b, health_kind_name(s->alerts.v[k].kind));
        buf_adds(b, "</b>: ");
        html_esc(b, s->alerts.v[k].message);
    }
    buf_adds(b, "</td></tr>\n");
}

/* The whole report into out in format fmt ('t', 'j', 'h'). */
static int render(const struct report *r, char fmt, int problems_only, int all, struct buf *out)
{
    if (problems_only && !r->problem_sites)
        return 0;
    if (fmt == 'j') {
        json_t *sites = json_array();
        for (size_t i = 0; i < r->n; i++)
            if (!problems_only || r->v[i].failed || r->v[i].alerts.n)
                json_array_append_new(sites, json_site(&r->v[i]));
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:o}", "since", r->since, "all_well",
                              !r->problem_sites, "sites_total", (json_int_t)r->n, "new_articles",
                              (json_int_t)r->articles, "failed_urls", (json_int_t)r->failed, "alerts",
                              (json_int_t)r->alerts, "sites", sites);
        char *txt = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
        json_decref(o);
        if (!txt)
            return NA_ENOMEM;
        buf_printf(out, "%s\n", txt);
        free(txt);
        return out->err;
    }
    struct buf head = BUF_INIT;
    headline(r, &head);
    if (fmt == 't') {
        buf_adds(out, buf_str(&head));
        for (size_t i = 0; i < r->n; i++)
            if (all || r->v[i].failed || r->v[i].alerts.n)
                text_site(&r->v[i], out);
    } else {
        buf_adds(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>newsarc report</title></head>"
                      "<body>\n<p>");
        html_esc(out, buf_str(&head));
        buf_adds(out, "</p>\n<table border=\"1\">\n<tr><th>site</th><th>new articles</th><th>newest</th>"
                      "<th>failed</th><th>alerts</th></tr>\n");
        for (size_t i = 0; i < r->n; i++)
            if (!problems_only || r->v[i].failed || r->v[i].alerts.n)
                html_site(&r->v[i], out);
        buf_adds(out, "</table>\n</body></html>\n");
    }
    buf_release(&head);
    return out->err;
}

/* "YYYY[-MM[-DD[Thh:mm[:ss]]]]" (UTC) as a time. */
static time_t since_time(const char *s)
{
    char t[WHEN_MAX + 8];
    size_t n = strlen(s);
    snprintf(t, sizeof t, "%s%s", s, n == 4 ? "-01-01" : n == 7 ? "-01" : "");
    time_t v = 0;
    return cli_parse_time(t, &v) == 0 ? v : 0;
}

int cmd_report(int argc, char **argv)
{
    enum { OPT_SINCE = 256, OPT_ALL };
    static const struct option opts[] = {
        { "archive", required_argument, NULL, 'a' }, { "config", required_argument, NULL, 'c' },
        { "since", required_argument, NULL, OPT_SINCE }, { "format", required_argument, NULL, 'f' },
        { "site", required_argument, NULL, 's' },    { "problems-only", no_argument, NULL, 'p' },
        { "all", no_argument, NULL, OPT_ALL },       { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *config = NULL, *since = "yesterday", *only[256];
    size_t nonly = 0;
    int problems_only = 0, all = 0, c;
    char fmt = 't';
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:c:f:s:ph", opts, NULL)) != -1) {
        switch (c) {
        case 'a': dir = optarg; break;
        case 'c': config = optarg; break;
        case OPT_SINCE: since = optarg; break;
        case 'f':
            if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "html")) {
                fprintf(stderr, "newsarc report: unknown format '%s' (text, json, html)\n", optarg);
                return CMD_USAGE;
            }
            fmt = optarg[0];
            break;
        case 's':
            if (nonly == sizeof only / sizeof only[0]) {
                fprintf(stderr, "newsarc report: too many --site options\n");
                return CMD_USAGE;
            }
            only[nonly++] = optarg;
            break;
        case 'p': problems_only = 1; break;
        case OPT_ALL: all = 1; break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc report: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    struct report r;
    memset(&r, 0, sizeof r);
    if (cli_when("report", since, 1, r.since) != CMD_OK)
        return CMD_USAGE;
    r.since_t = since_time(r.since);
    struct sites_config *cfg = NULL;
    if (cli_read_archive("report", dir, config, &dir, &cfg) != CMD_OK)
        return CMD_USAGE;
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT, out = BUF_INIT;
    ao.readonly = 1;
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc) {
        fprintf(stderr, "newsarc report: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        sites_config_free(cfg);
        return CMD_PARTIAL;
    }
    int ret = CMD_OK;
    for (size_t i = 0; i < nonly && ret == CMD_OK; i++)
        ret = cli_check_site("report", only[i], cfg, a);
    if (ret == CMD_OK) {
        rc = gather(&r, a, cfg, only, nonly, &err);
        if (!rc)
            rc = render(&r, fmt, problems_only, all, &out);
        if (!rc && out.len && (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0))
            rc = NA_EIO;
        if (rc)
            fprintf(stderr, "newsarc report: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
        ret = rc ? CMD_PARTIAL : r.alerts ? CMD_ALERT : CMD_OK;
    }
    for (size_t i = 0; i < r.n; i++)
        site_free(&r.v[i]);
    free(r.v);
    buf_release(&out);
    buf_release(&err);
    archive_close(a);
    sites_config_free(cfg);
    return ret;
}
