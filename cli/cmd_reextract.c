/* cmd_reextract.c — `newsarc reextract [-c sites.conf] [--site S]`: runs the
 * current extractor (parser/article.h) over the newest archived response of
 * each article URL, with the settings sites.conf gives the site recorded for
 * that capture (charset override, xpath_* rules), and appends a conversion +
 * metadata record and an article row (archive_add_extraction), without the
 * lines of the site's template of recurring blocks (crawler/template.h);
 * the newest extraction is what export and get show. No network. Takes the writer lock
 * (exit 3 while a crawl runs). */
#include "cli/cmd.h"
#include "crawler/sites.h"
#include "crawler/template.h"
#include "crawler/template_store.h"
#include "store/archive.h"
#include "store/index.h"
#include "util/err.h"
#include "util/mem.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* URLs one reextract run takes (more: run it per --site or --since range) */
#define REEXTRACT_MAX_URLS ((size_t)1 << 24)

#define REEXTRACT_BATCH 64
#define REEXTRACT_MAX_WARNED 32 /* sites named in "not in sites.conf" notes */
#define REEXTRACT_MAX_TEMPLATES 100000 /* sites whose templates one run keeps */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc reextract [-c FILE] [-a DIR] [--site S] [--force] [--limit N]\n\n"
            "Runs the current extractor over the newest archived response of every\n"
            "article URL (no network) and appends a conversion and a metadata record\n"
            "for each; export and get then show the new extraction. URLs whose text\n"
            "and fields come out unchanged are skipped unless --force. Each capture is\n"
            "extracted with the settings of the site it was crawled for, as sites.conf\n"
            "now gives them (charset, xpath_container, xpath_drop, xpath_title,\n"
            "xpath_date, xpath_author); a site the file lacks gets the generic rules.\n"
            "The site's template of recurring blocks, learned by the crawls, is\n"
            "dropped from the text (unless the site sets learn_boilerplate = no).\n\n"
            "  -c, --config FILE  sites.conf to use (default: ./sites.conf when present,\n"
            "                     else no configuration: generic rules)\n"
            "  -a, --archive DIR  the archive (default: $NEWSARC_ARCHIVE, else archive =\n"
            "                     in the configuration, else ./archive)\n"
            "  -s, --site S       only the site named S\n"
            "  -f, --force        append even when nothing changed\n"
            "  -n, --limit N      at most N URLs\n"
            "  -q, --quiet        no summary line on stderr\n"
            "  -h, --help         this help\n\n"
            "Exit status 1 when some responses could not be re-extracted, 3 when a\n"
            "crawl holds the archive's lock.\n");
}

struct urls {
    char **v;
    size_t n, cap;
    int err;
};

static int url_cb(void *ud, const struct index_capture *c)
{
    struct urls *u = ud;
    if (!c->url)
        return 0;
    if (u->n && strcmp(u->v[u->n - 1], c->url) == 0) /* ordered by URL: one each */
        return 0;
    int rc = NA_GROW(u->v, u->cap, u->n + 1, REEXTRACT_MAX_URLS);
    if (rc)
        return u->err = rc;
    if (!(u->v[u->n] = na_strdup(c->url)))
        return u->err = NA_ENOMEM;
    u->n++;
    return 0;
}

enum { R_NEW, R_SAME, R_FAIL, R_NONE };

struct reextract {
    struct archive *a;
    struct sites_config *cfg; /* or NULL: generic rules for every site */
    const char *config;       /* its path, for messages */
    int force, quiet;
    char *warned[REEXTRACT_MAX_WARNED]; /* sites already reported missing */
    size_t nwarned;
    struct template **tmpl;   /* the sites' templates, loaded as met */
    char **tmpl_site;
    size_t ntmpl, tmpl_cap, tmpl_site_cap;
};

/* The configured site a capture was crawled for, or NULL (generic rules).
 * A site the configuration lacks is reported once. */
static const struct site *capture_site(struct reextract *x, const char *name)
{
    if (!x->cfg || !name || !*name)
        return NULL;
    const struct site *s = sites_find(x->cfg, name);
    if (s || x->quiet)
        return s;
    for (size_t i = 0; i < x->nwarned; i++)
        if (strcmp(x->warned[i], name) == 0)
            return NULL;
    if (x->nwarned < REEXTRACT_MAX_WARNED && (x->warned[x->nwarned] = na_strdup(name))) {
        x->nwarned++;
        fprintf(stderr, "newsarc reextract: note: site '%s' is not in '%s': its pages get the generic rules\n",
                name, x->config);
    }
    return NULL;
}

/* The stored template of a site (crawler/template.h), loaded once per
 * site; NULL when the site turns learning off or has none. */
static const struct template *site_template(struct reextract *x, const char *name, const struct site *s)
{
    if (!name || (s && !s->learn_boilerplate))
        return NULL;
    for (size_t i = 0; i < x->ntmpl; i++)
        if (strcmp(x->tmpl_site[i], name) == 0)
            return x->tmpl[i];
    if (NA_GROW(x->tmpl, x->tmpl_cap, x->ntmpl + 1, REEXTRACT_MAX_TEMPLATES) ||
        NA_GROW(x->tmpl_site, x->tmpl_site_cap, x->ntmpl + 1, REEXTRACT_MAX_TEMPLATES))
        return NULL;
    struct template *t = NULL;
    struct buf err = BUF_INIT;
    char *n = na_strdup(name);
    if (!n || tstore_load(archive_index(x->a), name, &t, &err)) {
        free(n);
        buf_release(&err);
        return NULL;
    }
    buf_release(&err);
    x->tmpl_site[x->ntmpl] = n;
    x->tmpl[x->ntmpl++] = t;
    return t;
}

/* Re-extracts the newest response of url, with its site's template. */
static int one(struct reextract *x, const char *url, struct buf *err)
{
    struct index_capture cap;
    memset(&cap, 0, sizeof cap);
    int rc = index_capture_get(archive_index(x->a), url, 1, &cap, err);
    if (rc < 0)
        return R_FAIL;
    const struct site *s = rc == 1 ? capture_site(x, cap.site) : NULL;
    const struct template *t = rc == 1 ? site_template(x, cap.site, s) : NULL;
    index_capture_release(&cap);
    size_t max_body = x->cfg ? (size_t)x->cfg->max_page_size : 0;
    switch (tstore_reextract(x->a, s, t, max_body, url, x->force, err)) {
    case TSTORE_NEW: return R_NEW;
    case TSTORE_SAME: return R_SAME;
    case TSTORE_NONE: return R_NONE;
    default: return R_FAIL;
    }
}

/* --limit N: a positive count. */
static int parse_limit(const char *s, size_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || end == s || s[0] == '-' || v == 0)
        return -1;
    *out = (size_t)v;
    return 0;
}

int cmd_reextract(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },  { "archive", required_argument, NULL, 'a' },
        { "site", required_argument, NULL, 's' },
        { "force", no_argument, NULL, 'f' },         { "limit", required_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },         { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *dir = NULL, *site = NULL, *config = NULL;
    int force = 0, quiet = 0, c;
    size_t limit = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:a:s:fn:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config = optarg; break;
        case 'a': dir = optarg; break;
        case 's': site = optarg; break;
        case 'f': force = 1; break;
        case 'q': quiet = 1; break;
        case 'n':
            if (parse_limit(optarg, &limit)) {
                fprintf(stderr, "newsarc reextract: bad --limit '%s'\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            break;
        case 'h': usage(stdout); return CMD_OK;
        default: usage(stderr); return CMD_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "newsarc reextract: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return CMD_USAGE;
    }
    struct buf err = BUF_INIT;
    struct reextract x;
    memset(&x, 0, sizeof x);
    x.force = force;
    x.quiet = quiet;
    /* The configuration, found as `newsarc try` finds it. */
    if (!config && access("sites.conf", F_OK) == 0)
        config = "sites.conf";
    if (config && sites_config_load(config, &x.cfg, &err)) {
        fprintf(stderr, "newsarc reextract: %s\n", err.len ? buf_str(&err) : "cannot read the configuration");
        buf_release(&err);
        return CMD_USAGE;
    }
    x.config = config;
    if (!dir) {
        const char *e = getenv("NEWSARC_ARCHIVE");
        dir = e && *e ? e : x.cfg && x.cfg->archive ? x.cfg->archive : "archive";
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "newsarc reextract: no archive at '%s' (use -a DIR)\n", dir);
        sites_config_free(x.cfg);
        return CMD_USAGE;
    }
    struct archive_opts ao = { 0 };
    struct archive *a = NULL;
    ao.software = "newsarc/" NEWSARC_VERSION;
    ao.exclusive = 1; /* no crawl or backfill while texts are replaced */
    if (x.cfg) {
        ao.config_digest = x.cfg->digest;
        ao.config_name = x.cfg->path;
    }
    int rc = archive_open(dir, &ao, &a, &err);
    if (rc == NA_ELOCKED) {
        fprintf(stderr, "newsarc reextract: the archive '%s' is locked by another run (a crawl?): %s\n", dir,
                buf_str(&err));
        buf_release(&err);
        sites_config_free(x.cfg);
        return CMD_LOCKED;
    }
    if (rc) {
        fprintf(stderr, "newsarc reextract: cannot open the archive '%s': %s\n", dir,
                err.len ? buf_str(&err) : na_strerror(rc));
        buf_release(&err);
        sites_config_free(x.cfg);
        return CMD_PARTIAL;
    }
    x.a = a;
    /* Collect the URLs first: the extractions are written while we go. */
    struct urls u = { 0 };
    struct index_query q = { 0 };
    q.site = site;
    q.kind = CAPTURE_ARTICLE;
    q.status = 200;
    q.responses_only = 1;
    q.order = INDEX_ORDER_URL;
    rc = index_captures(archive_index(a), &q, url_cb, &u, &err);
    if (rc == NA_ETOOBIG && !err.len)
        buf_seterr(&err, "more than %zu archived articles in one run: reextract one --site at a time",
                   (size_t)REEXTRACT_MAX_URLS);
    if (rc) {
        fprintf(stderr, "newsarc reextract: %s\n", err.len ? buf_str(&err) : na_strerror(rc));
        for (size_t i = 0; i < u.n; i++)
            free(u.v[i]);
        free(u.v);
        buf_release(&err);
        archive_close(a);
        sites_config_free(x.cfg);
        return CMD_PARTIAL;
    }
    size_t n[4] = { 0 }, todo = limit && limit < u.n ? limit : u.n;
    int in_batch = 0, batch_n = 0;
    for (size_t i = 0; i < todo; i++) {
        if (!in_batch && archive_begin(a) == 0) {
            in_batch = 1;
            batch_n = 0;
        }
        batch_n++;
        buf_reset(&err);
        int res = one(&x, u.v[i], &err);
        n[res]++;
        if (res == R_FAIL)
            fprintf(stderr, "newsarc reextract: '%s': %s\n", u.v[i], err.len ? buf_str(&err) : "failed");
        if (in_batch && (batch_n == REEXTRACT_BATCH || i + 1 == todo)) {
            if (archive_commit(a) != 0) {
                fprintf(stderr, "newsarc reextract: cannot commit the index\n");
                n[R_FAIL]++;
            }
            in_batch = 0;
        }
    }
    if (in_batch && archive_commit(a) != 0) {
        fprintf(stderr, "newsarc reextract: cannot commit the index\n");
        n[R_FAIL]++;
    }
    if (!quiet)
        fprintf(stderr, "newsarc reextract: %zu URLs, %zu new extractions, %zu unchanged, %zu without a response, %zu failed\n",
                todo, n[R_NEW], n[R_SAME], n[R_NONE], n[R_FAIL]);
    for (size_t i = 0; i < u.n; i++)
        free(u.v[i]);
    free(u.v);
    buf_release(&err);
    archive_close(a);
    for (size_t i = 0; i < x.nwarned; i++)
        free(x.warned[i]);
    for (size_t i = 0; i < x.ntmpl; i++) {
        template_free(x.tmpl[i]);
        free(x.tmpl_site[i]);
    }
    free(x.tmpl);
    free(x.tmpl_site);
    sites_config_free(x.cfg);
    return n[R_FAIL] ? CMD_PARTIAL : CMD_OK;
}
