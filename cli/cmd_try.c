/* cmd_try.c — `newsarc try [-c sites.conf] [--site NAME] [--explain] URL|FILE`:
 * fetches (or reads) one page and prints what the crawler would make of it
 * with that site's settings and rules — an article's fields and text (with
 * --explain the extractor's decisions, the site rules' matches and every
 * block left out with its reason), or a listing's links sorted by the
 * site's patterns and its next page. Never writes to the archive: it only
 * reads the site's template of recurring blocks from its index. */
#include "cli/cmd.h"
#include "cli/args.h"
#include "crawler/health.h"
#include "crawler/page.h"
#include "crawler/site_net.h"
#include "crawler/sites.h"
#include "crawler/template_store.h"
#include "crawler/try.h"
#include "crawler/url.h"
#include "parser/article.h"
#include "parser/charset.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/http.h"
#include "util/mem.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define TRY_DEFAULT_MAX_PAGE ((size_t)10 << 20)

static void usage(FILE *f)
{
    fprintf(f,
            "usage: newsarc try [-c FILE] [--site NAME] [--explain] [--charset CS] [--now ISO-TIME]\n"
            "                   [--json] [--listing|--article] [--url URL] [--no-robots] URL|FILE|-\n\n"
            "Fetches one page (or reads a saved one) and prints what the crawler would make\n"
            "of it with the site's settings and rules; nothing is archived. An article page\n"
            "gives its title, published (and where that came from), author, source,\n"
            "category, lang, charset and text; a listing page its links (which match the\n"
            "site's article patterns, which are out of scope) and its next page.\n\n"
            "  -c, --config FILE  sites.conf to use (default: ./sites.conf when present, else\n"
            "                     no configuration: generic rules, default limits)\n"
            "  -s, --site NAME    use this site's rules (default: the site whose scope holds\n"
            "                     the URL; none = generic rules)\n"
            "  -e, --explain      also print the site rules' matches, the extractor's\n"
            "                     decisions (chosen container, every dropped block and why)\n"
            "                     and every block of the page the text left out\n"
            "      --charset CS   charset label, overriding HTTP and the site's charset\n"
            "      --now ISO-TIME reference time for relative dates (default: the fetch time,\n"
            "                     or now for a file), e.g. 2025-06-30T10:00:00+08:00\n"
            "      --json         one JSON object instead of text\n"
            "      --listing      treat the page as a listing page\n"
            "      --article      treat the page as an article page\n"
            "      --url URL      the URL a FILE was fetched from (site, links, dates)\n"
            "      --no-robots    do not fetch robots.txt to say whether the crawler may fetch\n"
            "                     the URL\n"
            "  -h, --help         this help\n\n"
            "URL is fetched with the configuration's user_agent, resolve entries, timeouts,\n"
            "max_page_size and max_redirects (redirects out of the site's scope are not\n"
            "followed, as in a crawl), and the site's TLS, proxy and cookie settings as a\n"
            "crawl uses them (cookies = yes: the cookies the crawl kept are sent, none kept). FILE may be gzip-compressed; '-' reads stdin.\n\n"
            "Exit status: 0 shown, 1 the page could not be fetched or read (HTTP status\n"
            "other than 2xx, network error, cap, binary content), 2 bad usage or\n"
            "configuration. See newsarc(1).\n");
}

static int is_url(const char *s)
{
    return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

static const char *kind_name(enum try_kind k)
{
    switch (k) {
    case TRY_LISTING: return "listing";
    case TRY_FEED: return "feed";
    case TRY_SITEMAP: return "sitemap";
    default: return "article";
    }
}

static size_t count_lines(const char *t)
{
    size_t n = 0;
    for (const char *p = t; p && *p;) {
        const char *e = strchr(p, '\n');
        n++;
        if (!e)
            break;
        p = e + 1;
    }
    return n;
}

static size_t count_chars(const char *t)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)t; p && *p; p++)
        if ((*p & 0xC0) != 0x80 && *p != '\n')
            n++;
    return n;
}

/* Everything the run learnt, printed at the end in one of two forms. */
struct report {
    const char *input;        /* as given */
    const char *config;       /* path or NULL */
    const struct site *site;
    const char *site_why;
    enum try_kind kind;
    char kind_why[600];
    const char *url;          /* the page's URL (final after redirects), or NULL */
    struct try_page *page;    /* NULL for a file */
    const char *robots;       /* robots.txt verdict, or NULL */
    const char *charset_label;
    struct article *art;      /* article pages */
    struct try_analysis *an;  /* with --explain */
    struct try_links *links;  /* listing, feed, sitemap pages */
    int explain;
    size_t input_bytes;
};

static void print_field(const char *k, const char *v)
{
    printf("%-10s %s\n", k, v && *v ? v : "-");
}

/* The article patterns matched none of the links: say so, with up to 5
 * links that look like articles and a likely typo in a pattern. */
static void print_pattern_hint(const struct report *r)
{
    const struct try_links *l = r->links;
    const struct site *s = r->site;
    char hint[400];
    printf("\nhint: the article pattern%s matched 0 of %zu links on the page\n", s->narticle == 1 ? "" : "s",
           l->all.n);
    for (size_t k = 0; k < s->narticle; k++)
        if (health_pattern_hint(s->article[k], hint, sizeof hint))
            printf("hint: article = %s: %s\n", s->article[k], hint);
    size_t shown = 0;
    for (int want = 3; want >= 1; want--)
        for (size_t i = 0; i < l->all.n && shown < 5; i++)
            if (health_article_like(r->url, l->all.v[i]) == want) {
                if (!shown++)
                    printf("links that look like articles:\n");
                printf("  %s\n", l->all.v[i]);
            }
}

static void print_links_text(const struct report *r)
{
    const struct try_links *l = r->links;
    const struct site *s = r->site;
    if (!s) {
        printf("links:     %zu on the page (no site: not sorted; give --site or -c to sort them)\n", l->all.n);
        for (size_t i = 0; i < l->all.n; i++)
            printf("  %s\n", l->all.v[i]);
    } else {
        printf("links:     %zu: %zu article%s, %zu other in scope, %zu out of scope\n", l->all.n, l->narticle,
               l->narticle == 1 ? "" : "s", l->nother, l->noffscope);
        printf("\narticles (%s):\n", s->narticle ? "in scope, matching an article pattern" : "every link in scope");
        for (size_t i = 0; i < l->all.n; i++) {
            if (l->cls[i] != TRY_LINK_ARTICLE)
                continue;
            const struct url_hint *h = l->all.hint ? &l->all.hint[i] : NULL;
            if (s->narticle > 1 && l->pattern[i] >= 0)
                printf("  %s  [article #%d]", l->all.v[i], l->pattern[i] + 1);
            else
                printf("  %s", l->all.v[i]);
            if (h && (h->text || h->date)) /* what the listing says of it */
                printf("  \"%s\"%s%s", h->text ? h->text : "", h->date ? " " : "", h->date ? h->date : "");
            printf("\n");
        }
        if (!l->narticle)
            printf("  (none)\n");
        if (!l->narticle && s->narticle && l->all.n)
            print_pattern_hint(r);
    }
    if (r->kind == TRY_LISTING) {
        char shape[600];
        try_shape_line(l, shape, sizeof shape);
        if (shape[0])
            printf("\nshape:     %s", shape);
        printf("\nnext page: %s\n", l->next ? l->next : "none found on the page");
        if (l->next_template)
            printf("next page by the listing template: %s\n", l->next_template);
    }
    if (l->sitemaps.n) {
        printf("\nsitemaps listed:\n");
        for (size_t i = 0; i < l->sitemaps.n; i++)
            printf("  %s\n", l->sitemaps.v[i]);
    }
    if (!s)
        return;
    printf("\nother links in scope (no article pattern matches):\n");
    for (size_t i = 0; i < l->all.n; i++)
        if (l->cls[i] == TRY_LINK_OTHER)
            printf("  %s\n", l->all.v[i]);
    if (!l->nother)
        printf("  (none)\n");
    printf("\nout of scope:\n");
    for (size_t i = 0; i < l->all.n; i++)
        if (l->cls[i] == TRY_LINK_OFFSCOPE)
            printf("  %s\n", l->all.v[i]);
    if (!l->noffscope)
        printf("  (none)\n");
}

static void print_explain_text(const struct report *r)
{
    const struct try_analysis *an = r->an;
    printf("\n== explain\n\nsite rules:\n");
    if (!r->site)
        printf("  (no site)\n");
    else if (!an || !an->nrules)
        printf("  (the site sets no xpath_* rules)\n");
    for (size_t i = 0; an && i < an->nrules; i++) {
        const struct try_rule_report *x = &an->rules[i];
        if (x->matches < 0)
            printf("  %s = %s: error: %s\n", x->key, x->xpath, x->value);
        else if (strcmp(x->key, "xpath_container") == 0 || strcmp(x->key, "xpath_drop") == 0)
            printf("  %s = %s: %d match%s%s%s\n", x->key, x->xpath, x->matches, x->matches == 1 ? "" : "es",
                   x->matches ? ", first " : "", x->matches ? x->value : "");
        else
            printf("  %s = %s: %s%s%s\n", x->key, x->xpath, x->matches ? "'" : "matches nothing",
                   x->matches ? x->value : "", x->matches ? "'" : "");
    }
    printf("\nextractor:\n");
    const char *ex = buf_str(&r->art->explain);
    if (!*ex)
        printf("  (the extractor explained nothing)\n");
    for (const char *p = ex; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        printf("  %.*s\n", (int)n, p);
        p += n + (e ? 1 : 0);
    }
    if (!an)
        return;
    printf("\nleft out of the text (%zu block%s, page order%s):\n", an->nblocks, an->nblocks == 1 ? "" : "s",
           an->truncated ? ", list cut" : "");
    if (an->container && !an->container_found)
        printf("  (the container '%s' was not found again in the page)\n", an->container);
    for (size_t i = 0; i < an->nblocks; i++) {
        const struct try_block *b = &an->blocks[i];
        printf("  %s (%zu chars): %s\n      %s\n", b->path, b->chars, b->reason, b->snippet);
    }
    if (!an->nblocks)
        printf("  (nothing)\n");
}

static void print_text(const struct report *r)
{
    print_field("input:", r->input);
    const struct try_page *p = r->page;
    if (p) {
        for (size_t i = 0; i < p->nhops; i++)
            if (p->hops[i].location)
                printf("%-10s %d %s -> %s\n", "redirect:", p->hops[i].status, p->hops[i].url, p->hops[i].location);
        printf("%-10s %s\n", "url:", p->url);
        printf("%-10s HTTP %d, %s, %zu bytes on the wire%s%s%s, %zu decoded, %.2f s%s%s\n", "fetched:", p->status,
               p->content_type ? p->content_type : "no content type", p->wire_bytes,
               p->content_encoding ? " (" : "", p->content_encoding ? p->content_encoding : "",
               p->content_encoding ? ")" : "", p->body.len, p->seconds, p->ip[0] ? ", " : "", p->ip);
    } else {
        if (r->url)
            print_field("url:", r->url);
        printf("%-10s %zu bytes\n", "read:", r->input_bytes);
    }
    if (r->robots)
        print_field("robots:", r->robots);
    print_field("config:", r->config ? r->config : "none (generic rules, default limits)");
    if (r->site)
        printf("%-10s %s (%s:%d; %s)\n", "site:", r->site->name, r->site->file ? r->site->file : "?", r->site->line,
               r->site_why);
    else
        print_field("site:", "none (generic rules)");
    printf("%-10s %s (%s)\n", "page:", kind_name(r->kind), r->kind_why);
    if (r->links) {
        print_links_text(r);
        return;
    }
    const struct article *a = r->art;
    print_field("title:", a->title);
    if (a->published)
        printf("%-10s %s (from %s)\n", "published:", a->published, a->published_from ? a->published_from : "?");
    else
        print_field("published:", NULL);
    print_field("author:", a->author);
    print_field("source:", a->source);
    print_field("category:", a->category);
    print_field("lang:", a->lang);
    print_field("charset:", a->charset);
    if (a->text && *a->text)
        printf("%-10s %zu paragraph%s, %zu characters\n\n%s\n", "text:", count_lines(a->text),
               count_lines(a->text) == 1 ? "" : "s", count_chars(a->text), a->text);
    else
        print_field("text:", "none found");
    if (r->explain)
        print_explain_text(r);
}

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *json_links(const struct report *r)
{
    const struct try_links *l = r->links;
    json_t *o = json_object(), *arts = json_array(), *other = json_array(), *off = json_array();
    static const char *const cls[] = { "article", "other", "offscope" };
    json_t *all = json_array();
    for (size_t i = 0; i < l->all.n; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "url", json_string(l->all.v[i]));
        json_object_set_new(x, "class", json_string(cls[l->cls[i]]));
        json_object_set_new(x, "pattern", l->pattern[i] >= 0 ? json_integer(l->pattern[i] + 1) : json_null());
        const struct url_hint *h = l->all.hint ? &l->all.hint[i] : NULL; /* what the listing says of it */
        json_object_set_new(x, "text", jstr(h ? h->text : NULL));
        json_object_set_new(x, "date", jstr(h ? h->date : NULL));
        json_array_append_new(all, x);
        json_array_append_new(l->cls[i] == TRY_LINK_ARTICLE ? arts : l->cls[i] == TRY_LINK_OTHER ? other : off,
                              json_string(l->all.v[i]));
    }
    json_object_set_new(o, "articles", arts);
    json_object_set_new(o, "other", other);
    json_object_set_new(o, "offscope", off);
    json_object_set_new(o, "next", jstr(l->next));
    json_object_set_new(o, "next_template", jstr(l->next_template));
    char shape[600];
    try_shape_line(l, shape, sizeof shape);
    json_object_set_new(o, "shape", jstr(shape[0] ? shape : NULL));
    json_t *sm = json_array();
    for (size_t i = 0; i < l->sitemaps.n; i++)
        json_array_append_new(sm, json_string(l->sitemaps.v[i]));
    json_object_set_new(o, "sitemaps", sm);
    json_object_set_new(o, "all", all);
    return o;
}

static json_t *json_explain(const struct report *r)
{
    json_t *o = json_object(), *lines = json_array(), *rules = json_array(), *blocks = json_array();
    const char *ex = buf_str(&r->art->explain);
    for (const char *p = ex; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(lines, json_stringn(p, n));
        p += n + (e ? 1 : 0);
    }
    const struct try_analysis *an = r->an;
    for (size_t i = 0; an && i < an->nrules; i++) {
        const struct try_rule_report *x = &an->rules[i];
        json_t *j = json_object();
        json_object_set_new(j, "key", json_string(x->key));
        json_object_set_new(j, "xpath", json_string(x->xpath));
        json_object_set_new(j, "matches", x->matches >= 0 ? json_integer(x->matches) : json_null());
        json_object_set_new(j, x->matches < 0 ? "error" : "value", jstr(x->value));
        json_array_append_new(rules, j);
    }
    for (size_t i = 0; an && i < an->nblocks; i++) {
        const struct try_block *b = &an->blocks[i];
        json_t *j = json_object();
        json_object_set_new(j, "path", jstr(b->path));
        json_object_set_new(j, "chars", json_integer((json_int_t)b->chars));
        json_object_set_new(j, "reason", jstr(b->reason));
        json_object_set_new(j, "in_container", b->in_container < 0 ? json_null() : json_boolean(b->in_container));
        json_object_set_new(j, "text", jstr(b->snippet));
        json_array_append_new(blocks, j);
    }
    json_object_set_new(o, "container", jstr(an ? an->container : NULL));
    json_object_set_new(o, "rules", rules);
    json_object_set_new(o, "extractor", lines);
    json_object_set_new(o, "left_out", blocks);
    json_object_set_new(o, "left_out_truncated", json_boolean(an && an->truncated));
    return o;
}

static int print_json(const struct report *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "input", json_string(r->input));
    json_object_set_new(o, "url", jstr(r->url));
    const struct try_page *p = r->page;
    if (p) {
        json_t *hops = json_array();
        for (size_t i = 0; i < p->nhops; i++)
            if (p->hops[i].location) {
                json_t *h = json_object();
                json_object_set_new(h, "url", json_string(p->hops[i].url));
                json_object_set_new(h, "status", json_integer(p->hops[i].status));
                json_object_set_new(h, "location", json_string(p->hops[i].location));
                json_array_append_new(hops, h);
            }
        json_object_set_new(o, "redirects", hops);
        json_object_set_new(o, "status", json_integer(p->status));
        json_object_set_new(o, "content_type", jstr(p->content_type));
        json_object_set_new(o, "content_encoding", jstr(p->content_encoding));
        json_object_set_new(o, "wire_bytes", json_integer((json_int_t)p->wire_bytes));
        json_object_set_new(o, "bytes", json_integer((json_int_t)p->body.len));
    } else {
        json_object_set_new(o, "bytes", json_integer((json_int_t)r->input_bytes));
    }
    json_object_set_new(o, "robots", jstr(r->robots));
    json_object_set_new(o, "config", jstr(r->config));
    json_object_set_new(o, "site", jstr(r->site ? r->site->name : NULL));
    json_object_set_new(o, "kind", json_string(kind_name(r->kind)));
    json_object_set_new(o, "kind_reason", json_string(r->kind_why));
    if (r->links) {
        json_object_set_new(o, "links", json_links(r));
    } else {
        const struct article *a = r->art;
        json_object_set_new(o, "title", jstr(a->title));
        json_object_set_new(o, "published", jstr(a->published));
        json_object_set_new(o, "published_from", jstr(a->published_from));
        json_object_set_new(o, "author", jstr(a->author));
        json_object_set_new(o, "source", jstr(a->source));
        json_object_set_new(o, "category", jstr(a->category));
        json_object_set_new(o, "lang", jstr(a->lang));
        json_object_set_new(o, "charset", jstr(a->charset));
        json_object_set_new(o, "text", json_string(a->text ? a->text : ""));
        if (r->explain)
            json_object_set_new(o, "explain", json_explain(r));
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return NA_ENOMEM;
    puts(s);
    free(s);
    return 0;
}

/* The options of one run. */
struct try_args {
    const char *config, *site_name, *charset, *file_url, *input;
    int explain, json, force, no_robots, fetching;
    time_t now;
};

/* One run: its arguments, what it loaded and fetched, and its report. */
struct run {
    struct try_args a;
    struct sites_config *cfg;
    struct site *site;
    char *canon;              /* the page's canonical URL, or NULL (a FILE without --url) */
    const char *entry;        /* the listing entry the URL is a page of, or NULL */
    int pg;                   /* its page number, 0 when none */
    size_t max_page;
    struct try_page page;
    struct article art;
    struct try_analysis an;
    struct try_links links;
    struct report r;
    struct buf err, robots, utf8, file;
    char label[64];           /* the charset label of a listing page */
    struct site_net net;      /* the site's transfer settings, as the crawl's (site_net.h) */
};

/* The archive folder try reads the site's template and cookie jar from. */
static const char *archive_of(const struct run *x)
{
    const char *dir = getenv("NEWSARC_ARCHIVE");
    if (!dir || !*dir)
        dir = x->cfg && x->cfg->archive ? x->cfg->archive : "archive";
    return dir;
}

/* Parses the command line into a. Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, struct try_args *a)
{
    enum { O_CHARSET = 256, O_NOW, O_JSON, O_LISTING, O_ARTICLE, O_URL, O_NOROBOTS };
    static const struct option longopts[] = {
        { "config", required_argument, NULL, 'c' },     { "site", required_argument, NULL, 's' },
        { "explain", no_argument, NULL, 'e' },          { "charset", required_argument, NULL, O_CHARSET },
        { "now", required_argument, NULL, O_NOW },      { "json", no_argument, NULL, O_JSON },
        { "listing", no_argument, NULL, O_LISTING },    { "article", no_argument, NULL, O_ARTICLE },
        { "url", required_argument, NULL, O_URL },      { "no-robots", no_argument, NULL, O_NOROBOTS },
        { "help", no_argument, NULL, 'h' },             { NULL, 0, NULL, 0 },
    };
    int ch;
    memset(a, 0, sizeof *a);
    a->force = -1;
    optind = 1;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, "c:s:eh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c': a->config = optarg; break;
        case 's': a->site_name = optarg; break;
        case 'e': a->explain = 1; break;
        case O_CHARSET: a->charset = optarg; break;
        case O_JSON: a->json = 1; break;
        case O_LISTING: a->force = TRY_LISTING; break;
        case O_ARTICLE: a->force = TRY_ARTICLE; break;
        case O_URL: a->file_url = optarg; break;
        case O_NOROBOTS: a->no_robots = 1; break;
        case O_NOW:
            if (cli_parse_time(optarg, &a->now) != 0) {
                fprintf(stderr, "newsarc try: --now: cannot parse '%s' (expected ISO 8601)\n", optarg);
                usage(stderr);
                return CMD_USAGE;
            }
            break;
        case 'h': usage(stdout); return CMD_OK;
        default:
            if (optopt && optopt < 256)
                fprintf(stderr, "newsarc try: bad option '-%c'\n", optopt);
            else
                fprintf(stderr, "newsarc try: bad option '%s'\n", argv[optind - 1]);
            usage(stderr);
            return CMD_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "newsarc try: %s\n", argc - optind ? "one URL or FILE at a time" : "a URL or FILE is needed");
        usage(stderr);
        return CMD_USAGE;
    }
    a->input = argv[optind];
    a->fetching = is_url(a->input);
    if (a->fetching && a->file_url) {
        fprintf(stderr, "newsarc try: --url is for a FILE; '%s' is fetched as given\n", a->input);
        return CMD_USAGE;
    }
    if (a->charset && !charset_canonical(a->charset)) {
        fprintf(stderr, "newsarc try: --charset: unknown label '%s'\n", a->charset);
        return CMD_USAGE;
    }
    return -1;
}

/* Loads the configuration and decides the site and the kind of page.
 * Returns CMD_OK or CMD_USAGE (after a message). */
static int classify(struct run *x)
{
    struct report *r = &x->r;
    const struct try_args *a = &x->a;
    const char *config = a->config;
    if (!config && access("sites.conf", F_OK) == 0)
        config = "sites.conf";
    if (config && sites_config_load(config, &x->cfg, &x->err)) {
        fprintf(stderr, "%s\n", buf_str(&x->err));
        return CMD_USAGE;
    }
    r->config = config;
    x->max_page = x->cfg ? (size_t)x->cfg->max_page_size : TRY_DEFAULT_MAX_PAGE;
    const char *page_url = a->fetching ? a->input : a->file_url;
    if (page_url && !(x->canon = url_canonical(page_url))) {
        fprintf(stderr, "newsarc try: '%s' is not an http(s) URL\n", page_url);
        return CMD_USAGE;
    }
    if (a->site_name) {
        if (!x->cfg || !(x->site = sites_find(x->cfg, a->site_name))) {
            fprintf(stderr, "newsarc try: no site '%s' in %s\n", a->site_name, config ? config : "(no configuration)");
            return CMD_USAGE;
        }
        r->site_why = "--site";
    } else if (x->canon && (x->site = try_pick_site(x->cfg, x->canon))) {
        r->site_why = "the URL is in its scope";
    }
    r->site = x->site;
    if (x->site && x->canon && !url_in_scope(x->site, x->canon))
        fprintf(stderr, "newsarc try: note: '%s' is outside the scope of site '%s': a crawl would not fetch it\n",
                x->canon, x->site->name);
    int pat = -1;
    r->kind = x->canon ? try_page_kind(x->site, x->canon, &x->entry, &x->pg, &pat, r->kind_why, sizeof r->kind_why)
                       : TRY_ARTICLE;
    if (!x->canon)
        snprintf(r->kind_why, sizeof r->kind_why, "a file without --url");
    if (a->force >= 0 && (int)r->kind != a->force) {
        r->kind = (enum try_kind)a->force;
        snprintf(r->kind_why, sizeof r->kind_why, "--%s", kind_name(r->kind));
    }
    if (r->kind != TRY_ARTICLE && !x->canon) {
        fprintf(stderr, "newsarc try: a %s FILE needs --url URL (its links are resolved against it)\n",
                kind_name(r->kind));
        return CMD_USAGE;
    }
    return CMD_OK;
}

/* Fetches the page (and robots.txt) as the crawl would. An article's body
 * is left as received, for page_extract. Returns CMD_OK or CMD_PARTIAL. */
static int fetch_step(struct run *x)
{
    const struct sites_config *cfg = x->cfg;
    struct report *r = &x->r;
    char ua[128];
    snprintf(ua, sizeof ua, "newsarc/%s (try)", NEWSARC_VERSION);
    struct try_fetch_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.user_agent = cfg ? cfg->user_agent : ua;
    fo.max_redirects = cfg ? cfg->max_redirects : 5;
    fo.max_body = x->max_page;
    fo.scope = x->site;
    fo.raw = r->kind == TRY_ARTICLE;
    if (cfg) {
        fo.connect_timeout = cfg->connect_timeout;
        fo.timeout = cfg->timeout;
        fo.low_speed_time = cfg->low_speed_time;
        fo.resolve = cfg->resolve;
        fo.nresolve = cfg->nresolve;
        fo.ca_file = cfg->ca_file;
        /* TLS, proxy and cookies as the crawl sets them; the crawl's jar is
         * read, never written */
        int nrc = site_net_open(cfg, x->site, archive_of(x), 0, &x->net, &x->err);
        if (nrc) {
            fprintf(stderr, "newsarc try: %s\n", buf_str(&x->err));
            return nrc == NA_ECONFIG ? CMD_USAGE : CMD_PARTIAL;
        }
        fo.net = &x->net.net;
    }
    if (!x->a.no_robots && (!cfg || cfg->robots)) {
        buf_reset(&x->err);
        if (try_robots(&fo, x->canon, fo.user_agent, &x->robots, &x->err) < 0) {
            buf_reset(&x->robots);
            buf_adds(&x->robots, buf_str(&x->err));
        }
        r->robots = buf_str(&x->robots);
    } else {
        r->robots = x->a.no_robots ? "not checked (--no-robots)" : "not obeyed (robots = no)";
    }
    buf_reset(&x->err);
    struct try_page *p = &x->page;
    int frc = try_fetch(&fo, x->canon, p, &x->err);
    r->page = p;
    r->url = p->url;
    if (frc) {
        fprintf(stderr, "newsarc try: %s\n", buf_str(&x->err));
        return CMD_PARTIAL;
    }
    if (p->offscope_redirect) {
        const struct try_hop *h = &p->hops[p->nhops - 1];
        fprintf(stderr, "newsarc try: '%s' redirects (%d) to '%s', out of the scope of site '%s': a crawl would not follow it\n",
                h->url, h->status, h->location, x->site->name);
        return CMD_PARTIAL;
    }
    if (p->status < 200 || p->status > 299) {
        fprintf(stderr, "newsarc try: '%s': HTTP %d\n", p->url, p->status);
        return CMD_PARTIAL;
    }
    char mt[128];
    http_media_type(p->content_type, mt, sizeof mt);
    if (r->kind == TRY_LISTING && page_binary_type(mt) &&
        !(x->site && x->site->nlisting_api && strstr(mt, "json"))) { /* a listing_api answer */
        fprintf(stderr, "newsarc try: '%s': content type '%s' is not a page (a crawl would not extract it)\n",
                p->url, mt);
        return CMD_PARTIAL;
    }
    page_charset_label(x->site, p->content_type, x->label, sizeof x->label);
    return CMD_OK;
}

/* An article page through the crawl's one path (page.h), and with
 * --explain the blocks it left out. Returns CMD_OK or CMD_PARTIAL. */
static int article_step(struct run *x)
{
    struct report *r = &x->r;
    struct try_page *p = &x->page;
    struct page_opts po;
    struct page_result pr;
    memset(&po, 0, sizeof po);
    po.site = x->site;
    po.url = r->url;
    po.now = x->a.now ? x->a.now : x->a.fetching ? p->fetched : time(NULL);
    po.max_body = x->max_page;
    po.charset = x->a.charset;
    po.explain = x->a.explain;
    po.body = &p->body;
    p->body.max = 0;
    buf_reset(&x->err);
    int rc = x->a.fetching ? page_extract(&po, buf_str(&p->head), p->head.len, p->wire.data, p->wire.len, &x->art,
                                          &pr, &x->err)
                           : page_extract(&po, NULL, 0, x->file.data, x->file.len, &x->art, &pr, &x->err);
    snprintf(x->label, sizeof x->label, "%s", pr.label);
    r->charset_label = x->label[0] ? x->label : NULL;
    if (pr.stop == PAGE_BINARY_TYPE || pr.stop == PAGE_BINARY_BODY) {
        fprintf(stderr, "newsarc try: '%s': %s (a crawl would not extract it)\n", r->url ? r->url : r->input,
                buf_str(&x->err));
        return CMD_PARTIAL;
    }
    if (pr.stop == PAGE_UNDECODABLE) {
        fprintf(stderr, "newsarc try: '%s': %s\n", r->url ? r->url : r->input, buf_str(&x->err));
        return CMD_PARTIAL;
    }
    if (rc) {
        fprintf(stderr, "newsarc try: extraction failed: %s\n", buf_str(&x->err));
        return CMD_PARTIAL;
    }
    if (x->site && x->site->learn_boilerplate) { /* the site's template, as the crawl drops it */
        if (tstore_try(archive_of(x), x->site->name, &x->art.text, x->a.explain ? &x->art.explain : NULL)) {
            fprintf(stderr, "newsarc try: out of memory\n");
            return CMD_PARTIAL;
        }
    }
    if (x->a.explain) {
        struct charset_info ci;
        buf_init(&x->utf8, x->max_page * 3 + 64);
        if (charset_to_utf8(buf_str(&p->body), p->body.len, r->charset_label, &x->utf8, &ci, &x->err) ||
            try_analyze(buf_str(&x->utf8), x->utf8.len, &x->art, x->site ? &x->site->rules : NULL, &x->an, &x->err))
            fprintf(stderr, "newsarc try: cannot compare the page with its text: %s\n", buf_str(&x->err));
        else
            r->an = &x->an;
    }
    return CMD_OK;
}

/* The links of a listing page, feed or sitemap. Returns CMD_OK or CMD_PARTIAL. */
static int links_step(struct run *x)
{
    struct report *r = &x->r;
    const char *body = x->a.fetching ? buf_str(&x->page.body) : buf_str(&x->file);
    size_t n = x->a.fetching ? x->page.body.len : x->file.len;
    if (x->a.charset)
        snprintf(x->label, sizeof x->label, "%s", x->a.charset);
    else if (!x->a.fetching)
        page_charset_label(x->site, NULL, x->label, sizeof x->label);
    r->charset_label = x->label[0] ? x->label : NULL;
    buf_reset(&x->err);
    if (r->kind == TRY_LISTING) {
        struct charset_info ci;
        buf_init(&x->utf8, x->max_page * 3 + 64);
        int lrc = charset_to_utf8(body, n, r->charset_label, &x->utf8, &ci, &x->err);
        const char *tmpl = x->entry && strstr(x->entry, "{n}") ? x->entry : NULL;
        if (!lrc)
            lrc = try_listing(x->site, r->url, ci.name, buf_str(&x->utf8), x->utf8.len, tmpl, x->pg, &x->links,
                              &x->err);
        if (lrc) {
            fprintf(stderr, "newsarc try: cannot read the links: %s\n", buf_str(&x->err));
            return CMD_PARTIAL;
        }
    } else if (try_feed(x->site, r->url, body, n, r->kind == TRY_SITEMAP, &x->links, &x->err)) {
        fprintf(stderr, "newsarc try: cannot read the %s: %s\n", kind_name(r->kind), buf_str(&x->err));
        return CMD_PARTIAL;
    }
    r->links = &x->links;
    return CMD_OK;
}

/* Prints the report. Returns CMD_OK or CMD_PARTIAL (output failed). */
static int print_step(struct run *x)
{
    int rc = CMD_OK;
    if (x->a.json) {
        if (print_json(&x->r)) {
            fprintf(stderr, "newsarc try: out of memory\n");
            rc = CMD_PARTIAL;
        }
    } else {
        print_text(&x->r);
    }
    if (fflush(stdout) != 0)
        rc = CMD_PARTIAL;
    return rc;
}

static int run_steps(struct run *x)
{
    int rc = classify(x);
    if (rc != CMD_OK)
        return rc;
    if (x->a.fetching) {
        rc = fetch_step(x);
    } else if (cli_read_input(x->a.input, x->max_page, "max_page_size", &x->file, &x->err)) {
        fprintf(stderr, "newsarc try: %s\n", buf_str(&x->err));
        rc = CMD_PARTIAL;
    } else {
        x->r.url = x->canon;
        x->r.input_bytes = x->file.len;
    }
    if (rc != CMD_OK)
        return rc;
    rc = x->r.kind == TRY_ARTICLE ? article_step(x) : links_step(x);
    return rc != CMD_OK ? rc : print_step(x);
}

int cmd_try(int argc, char **argv)
{
    struct run *x = na_calloc(1, sizeof *x);
    if (!x) {
        fprintf(stderr, "newsarc try: out of memory\n");
        return CMD_PARTIAL;
    }
    int rc = parse_args(argc, argv, &x->a);
    if (rc < 0) {
        try_page_init(&x->page);
        article_init(&x->art);
        try_links_init(&x->links);
        x->r.input = x->a.input;
        x->r.explain = x->a.explain;
        x->r.art = &x->art;
        rc = run_steps(x);
        try_links_release(&x->links);
        try_analysis_release(&x->an);
        article_release(&x->art);
        try_page_release(&x->page);
        site_net_release(&x->net);
        sites_config_free(x->cfg);
        free(x->canon);
        buf_release(&x->err);
        buf_release(&x->robots);
        buf_release(&x->utf8);
        buf_release(&x->file);
    }
    free(x);
    return rc;
}
