/* view.c — the pages of `newsarc serve` (web/view.h). Each route first
 * builds its data as a jansson object (every string made valid UTF-8), which
 * /api/ prints as it is and the HTML renderer escapes into a page. The
 * routes are the fixed table at the end of this file. */
#include "web/view.h"
#include "crawler/health.h"
#include "store/archive.h"
#include "store/export.h"
#include "store/index.h"
#include "store/search.h"
#include "util/err.h"
#include "util/mem.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define VIEW_MAX_SITES 100000 /* sites listed on the sites page */
#define VIEW_MAX_DUPS 200     /* copies listed on an article page */

/* ---- escaping ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n || (len == 2 && s[0] < 0xC2) || (len == 4 && s[0] > 0xF4))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((len == 3 && s[0] == 0xE0 && s[1] < 0xA0) || (len == 3 && s[0] == 0xED && s[1] >= 0xA0) ||
        (len == 4 && s[0] == 0xF0 && s[1] < 0x90) || (len == 4 && s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* s made valid UTF-8 (U+FFFD for each bad byte, NUL-free), escaped for HTML when html. */
static void add_clean(struct buf *b, const char *s, size_t n, int html)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (size_t i = 0; i < n && p[i];) {
        size_t l = utf8_len(p + i, n - i);
        if (!l) {
            buf_adds(b, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        const char *e = NULL;
        if (html)
            e = p[i] == '&' ? "&amp;" : p[i] == '<' ? "&lt;" : p[i] == '>' ? "&gt;" : p[i] == '"' ? "&quot;"
              : p[i] == '\'' ? "&#39;" : NULL;
        if (e)
            buf_adds(b, e);
        else
            buf_add(b, p + i, l);
        i += l;
    }
}

void view_html_escape(struct buf *b, const char *s) { add_clean(b, s, s ? strlen(s) : 0, 1); }

/* A JSON string of s made valid UTF-8; JSON null for NULL. */
static json_t *jstr(const char *s)
{
    if (!s)
        return json_null();
    struct buf b = BUF_INIT;
    add_clean(&b, s, strlen(s), 0);
    json_t *j = json_stringn(b.data ? b.data : "", b.len);
    buf_release(&b);
    return j ? j : json_null();
}

/* s percent-encoded for a query argument. */
static void pct(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p))
            buf_addc(b, (char)*p);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

static const char *js(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void fmt_utc(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
}

static void fmt_day(time_t t, char out[16])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* ---- the data ---- */

struct site_row {
    char *name;
    long long captures, articles;
    time_t last_fetch;
    char *newest;
};
struct sites {
    struct site_row *v;
    size_t n, cap;
};

static int site_cb(void *ud, const struct index_site_stats *s)
{
    struct sites *ss = ud;
    if (!s->site || !*s->site)
        return 0;
    int rc = NA_GROW(ss->v, ss->cap, ss->n + 1, VIEW_MAX_SITES);
    if (rc)
        return rc;
    struct site_row *p = &ss->v[ss->n++];
    memset(p, 0, sizeof *p);
    p->captures = s->captures;
    p->articles = s->articles;
    p->last_fetch = s->last_fetch;
    p->name = na_strdup(s->site);
    p->newest = s->newest_published ? na_strdup(s->newest_published) : NULL;
    return p->name ? 0 : NA_ENOMEM;
}

struct per_day {
    time_t day0;
    long n[VIEW_DAYS];
};

static int day_cb(void *ud, const struct index_article *a)
{
    struct per_day *d = ud;
    if (a->fetched >= d->day0) {
        long k = (long)((a->fetched - d->day0) / 86400);
        if (k >= 0 && k < VIEW_DAYS)
            d->n[k]++;
    }
    return 0;
}

/* The open alerts of site, read (never written) from the state table. */
static json_t *site_alerts(struct archive *a, const char *site, time_t now)
{
    struct health_store hs;
    struct health_report r;
    health_store_archive(&hs, a);
    health_report_init(&r);
    json_t *arr = json_array();
    for (int k = 0; k < HEALTH_NKIND; k++)
        health_update(&hs, site, (enum health_kind)k, -1, NULL, now, &r);
    for (size_t k = 0; k < r.n; k++) {
        char since[32];
        fmt_utc(r.v[k].since, since);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:o}", "kind", health_kind_name(r.v[k].kind), "since",
                                             since, "message", jstr(r.v[k].message ? r.v[k].message : "")));
    }
    health_report_release(&r);
    return arr;
}

static json_t *site_json(struct archive *a, const struct site_row *s, time_t now, struct buf *err)
{
    struct per_day d;
    memset(&d, 0, sizeof d);
    d.day0 = now - now % 86400 - (time_t)(VIEW_DAYS - 1) * 86400;
    char from[16], last[32];
    fmt_day(d.day0, from);
    struct index_query q = { 0 };
    q.site = s->name;
    q.since = from;
    q.by_fetched = 1;
    if (index_articles(archive_index(a), &q, day_cb, &d, err) < 0)
        return NULL;
    json_t *days = json_array();
    for (int k = 0; k < VIEW_DAYS; k++)
        json_array_append_new(days, json_integer(d.n[k]));
    fmt_utc(s->last_fetch, last);
    return json_pack("{s:o, s:I, s:I, s:s, s:o, s:s, s:o, s:o}", "site", jstr(s->name), "captures",
                     (json_int_t)s->captures, "articles", (json_int_t)s->articles, "last_crawl",
                     s->last_fetch ? last : "", "newest_published", jstr(s->newest), "days_from", from,
                     "new_per_day", days, "alerts", site_alerts(a, s->name, now));
}

static json_t *sites_json(struct archive *a, time_t now, struct buf *err)
{
    struct sites ss = { 0 };
    int rc = index_site_stats(archive_index(a), site_cb, &ss, err);
    json_t *arr = rc ? NULL : json_array();
    for (size_t i = 0; i < ss.n; i++) {
        json_t *o = arr ? site_json(a, &ss.v[i], now, err) : NULL;
        if (!o) {
            json_decref(arr);
            arr = NULL;
        } else {
            json_array_append_new(arr, o);
        }
        free(ss.v[i].name);
        free(ss.v[i].newest);
    }
    free(ss.v);
    return arr ? json_pack("{s:o}", "sites", arr) : NULL;
}

/* ---- the article list and search ---- */

/* One article of a list (no query: index order, newest first). */
struct list {
    long skip;                 /* rows to pass over (paging) */
    json_t *arr;
    int more;
};

/* Appends the next item o to l (paging); 1 once the page is full. */
static int list_add(struct list *l, json_t *o)
{
    if (l->skip > 0) {
        l->skip--;
        json_decref(o);
        return 0;
    }
    if (json_array_size(l->arr) >= VIEW_PAGE) {
        l->more = 1;
        json_decref(o);
        return 1;
    }
    json_array_append_new(l->arr, o);
    return 0;
}

static int list_cb(void *ud, const struct index_article *art)
{
    char fetched[32];
    fmt_utc(art->fetched, fetched);
    return list_add(ud, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s}", "url", jstr(art->url), "site",
                                  jstr(art->site), "title", jstr(art->title), "published", jstr(art->published),
                                  "author", jstr(art->author), "source", jstr(art->source), "fetched", fetched));
}

/* A search hit: as a list item, with its score and its snippet (matches
 * between U+0002 and U+0003, store/search.h's marks). */
static int hit_cb(void *ud, const struct search_hit *h)
{
    char fetched[32];
    fmt_utc(h->fetched, fetched);
    return list_add(ud, json_pack("{s:o, s:o, s:o, s:o, s:s, s:f, s:o}", "url", jstr(h->url), "site", jstr(h->site),
                                  "title", jstr(h->title), "published", jstr(h->published), "fetched", fetched,
                                  "score", h->score ? -h->score : 0.0, "snippet", jstr(h->snippet ? h->snippet : "")));
}

struct filters {
    const char *site, *since, *until, *q;
    long page;
};

/* The list of f: with a query, store/search.h's ranked hits; a query it
 * rejects is an "error" (the page says why), not a failure. */
static json_t *list_json(struct archive *a, const struct filters *f, struct buf *err)
{
    struct list l = { 0 };
    l.skip = (f->page - 1) * VIEW_PAGE;
    l.arr = json_array();
    const char *q = f->q && *f->q ? f->q : NULL;
    struct search_opts so = { 0 };
    so.site = f->site && *f->site ? f->site : NULL;
    so.since = f->since && *f->since ? f->since : NULL;
    so.until = f->until && *f->until ? f->until : NULL;
    struct search_info info = { 0 };
    int rc;
    if (q) {
        so.query = q;
        so.limit = (size_t)f->page * VIEW_PAGE + 1;
        rc = search_run(a, &so, hit_cb, &l, &info, err);
    } else {
        struct index_query iq = { 0 };
        iq.site = so.site;
        iq.since = so.since;
        iq.until = so.until;
        rc = index_articles(archive_index(a), &iq, list_cb, &l, err);
    }
    json_t *error = json_null();
    if (rc == NA_EINVAL && q) {
        error = jstr(buf_str(err));
        buf_reset(err);
    } else if (rc < 0) {
        json_decref(l.arr);
        return NULL;
    }
    return json_pack("{s:{s:o, s:o, s:o, s:o, s:I}, s:o, s:b, s:o, s:b, s:I, s:b}", "filters", "site", jstr(so.site),
                     "since", jstr(so.since), "until", jstr(so.until), "q", jstr(q), "page", (json_int_t)f->page,
                     "articles", l.arr, "more", l.more, "error", error, "capped", info.capped, "rank_window",
                     (json_int_t)SEARCH_RANK_WINDOW, "short_scan", info.short_scan);
}

/* ---- one article ---- */

/* The other copies of a near-duplicate cluster (store/search.h), oldest
 * first, each marked when it is the cluster's first (its root). */
struct dups {
    int64_t self, root;
    const char *url;
    json_t *arr;
};

static int dup_cb(void *ud, const struct index_article *m)
{
    struct dups *d = ud;
    if (m->id == d->self || !m->url || strcmp(m->url, d->url) == 0 || json_array_size(d->arr) >= VIEW_MAX_DUPS)
        return 0;
    char fetched[32];
    fmt_utc(m->fetched, fetched);
    json_array_append_new(d->arr, json_pack("{s:o, s:o, s:o, s:o, s:s, s:b}", "url", jstr(m->url), "site",
                                            jstr(m->site), "title", jstr(m->title), "published",
                                            jstr(m->published), "fetched", fetched, "first", m->id == d->root));
    return 0;
}

static json_t *article_json(struct archive *a, const char *url, struct buf *err, int *found)
{
    struct index_article art;
    memset(&art, 0, sizeof art);
    int rc = index_article_get(archive_index(a), url, &art, err);
    *found = rc == 1;
    if (rc != 1)
        return NULL;
    struct buf text = BUF_INIT;
    rc = export_article_text(a, &art, &text, err);
    char fetched[32];
    fmt_utc(art.fetched, fetched);
    struct dups d = { art.id, art.dup_of ? art.dup_of : art.id, art.url, json_array() };
    if (search_cluster(a, art.id, dup_cb, &d, err) < 0) {
        json_decref(d.arr);
        buf_release(&text);
        index_article_release(&art);
        return NULL;
    }
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:o, s:o}", "url", jstr(art.url), "site",
                          jstr(art.site), "title", jstr(art.title), "published", jstr(art.published), "author",
                          jstr(art.author), "source", jstr(art.source), "category", jstr(art.category), "fetched",
                          fetched, "text", rc < 0 ? json_null() : jstr(buf_str(&text)), "duplicates", d.arr);
    buf_release(&text);
    index_article_release(&art);
    return o;
}

/* The newest response record of url as stored: one gzip member, itself a
 * one-record .warc.gz. The file name comes from the index. */
static int raw_capture(struct archive *a, const char *url, struct view_response *out, struct buf *err)
{
    struct index_capture c;
    memset(&c, 0, sizeof c);
    int rc = index_capture_get(archive_index(a), url, 1, &c, err);
    if (rc != 1)
        return rc == 0 ? NA_ENOTFOUND : rc;
    struct buf path = BUF_INIT;
    rc = c.response.file ? archive_warc_path(a, c.response.file, &path) : NA_ENOTFOUND;
    if (!rc && c.response.length > VIEW_MAX_WARC)
        rc = NA_ETOOBIG;
    int fd = rc ? -1 : open(buf_str(&path), O_RDONLY | O_CLOEXEC);
    if (!rc && (fd < 0 || buf_grow(&out->body, (size_t)c.response.length) != 0))
        rc = NA_EIO;
    if (!rc) {
        ssize_t n = pread(fd, out->body.data, (size_t)c.response.length, (off_t)c.response.offset);
        rc = n == (ssize_t)c.response.length ? 0 : NA_ECORRUPT;
        out->body.len = rc ? 0 : (size_t)n;
        snprintf(out->disposition, sizeof out->disposition, "attachment; filename=\"capture-%lld.warc.gz\"",
                 (long long)c.id);
    }
    if (fd >= 0)
        close(fd);
    buf_release(&path);
    index_capture_release(&c);
    return rc;
}

/* ---- HTML ---- */

static const char STYLE[] =
    ":root{--fg:#1d1d1f;--mute:#6e6e73;--line:#e5e5ea;--accent:#b3261e;--bg:#fbfaf7}\n"
    "body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.8 \"PingFang SC\",\"Hiragino Sans GB\","
    "\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"WenQuanYi Micro Hei\",sans-serif;"
    "text-rendering:optimizeLegibility}\n"
    "header{border-bottom:1px solid var(--line);background:#fff}\n"
    "header nav,main{max-width:40em;margin:0 auto;padding:.6em 1.2em}\n"
    "header a{margin-right:1.2em;font-weight:600}\n"
    "a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}\n"
    "h1{font-size:1.6em;line-height:1.4;margin:.8em 0 .3em;letter-spacing:.02em}\n"
    "h2{font-size:1.15em;margin:1.4em 0 .2em}\n"
    ".meta{color:var(--mute);font-size:.9em}.links{margin-bottom:1.2em}\n"
    "article p{margin:0 0 1em;text-indent:2em;text-align:justify}\n"
    "ul.list{list-style:none;padding:0}ul.list li{padding:.5em 0;border-bottom:1px solid var(--line)}\n"
    "mark{background:#fff0a8;color:inherit;padding:0 .1em}\n"
    "form.filters{display:flex;flex-wrap:wrap;gap:.5em;font-size:.9em;margin:1em 0}\n"
    "form.filters input{font:inherit;padding:.2em .4em;border:1px solid var(--line);border-radius:4px}\n"
    ".alert{color:var(--accent);font-weight:600}\n"
    "svg.chart{display:block;margin:.3em 0}svg.chart rect{fill:#c9a66b}\n"
    ".caption{color:var(--mute);font-size:.8em}\n"
    "table{border-collapse:collapse;font-size:.9em}td,th{padding:.2em .6em;text-align:left}\n";

static void page_head(struct buf *b, const char *title)
{
    buf_adds(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
    view_html_escape(b, title);
    buf_adds(b, " · newsarc</title><link rel=\"stylesheet\" href=\"/style.css\"></head><body>\n"
                "<header><nav><a href=\"/\">站点 Sites</a><a href=\"/articles\">文章 Articles</a>"
                "<a href=\"/search\">搜索 Search</a></nav></header>\n<main>\n");
}

static void page_foot(struct buf *b) { buf_adds(b, "</main></body></html>\n"); }

/* A link to an article page: href of url (percent-encoded, escaped). */
static void article_href(struct buf *b, const char *url)
{
    struct buf q = BUF_INIT;
    pct(&q, url);
    buf_adds(b, "/article?url=");
    view_html_escape(b, buf_str(&q));
    buf_release(&q);
}

/* The bars of new articles per day as an inline SVG. */
static void svg_chart(struct buf *b, const json_t *days, const char *from)
{
    long max = 1;
    size_t i;
    json_t *v;
    json_array_foreach(days, i, v) if (json_integer_value(v) > max) max = (long)json_integer_value(v);
    buf_printf(b, "<svg class=\"chart\" width=\"%d\" height=\"44\" role=\"img\" aria-label=\"", VIEW_DAYS * 6);
    buf_printf(b, "new articles per day since %s\"><title>new articles per day since %s</title>", from, from);
    json_array_foreach(days, i, v) {
        long n = (long)json_integer_value(v);
        int h = n ? (int)(1 + n * 39 / max) : 0;
        buf_printf(b, "<rect x=\"%zu\" y=\"%d\" width=\"5\" height=\"%d\"><title>+%ld</title></rect>", i * 6,
                   40 - h, h, n);
    }
    buf_printf(b, "<line x1=\"0\" y1=\"40.5\" x2=\"%d\" y2=\"40.5\" stroke=\"#999\"/></svg>\n", VIEW_DAYS * 6);
    buf_printf(b, "<div class=\"caption\">新文章 / 日 · new articles per day, %d days from %s</div>\n", VIEW_DAYS, from);
}

static void html_sites(struct buf *b, const json_t *o)
{
    page_head(b, "Sites");
    buf_adds(b, "<h1>站点 Sites</h1>\n");
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(o, "sites"), i, s) {
        struct buf q = BUF_INIT;
        pct(&q, js(s, "site"));
        buf_adds(b, "<section class=\"site\"><h2><a href=\"/articles?site=");
        view_html_escape(b, buf_str(&q));
        buf_adds(b, "\">");
        view_html_escape(b, js(s, "site"));
        buf_printf(b, "</a></h2>\n<div class=\"meta\">%lld articles · %lld captures · last crawl ",
                   (long long)json_integer_value(json_object_get(s, "articles")),
                   (long long)json_integer_value(json_object_get(s, "captures")));
        view_html_escape(b, js(s, "last_crawl"));
        buf_adds(b, "</div>\n");
        svg_chart(b, json_object_get(s, "new_per_day"), js(s, "days_from"));
        size_t k;
        json_t *al;
        json_array_foreach(json_object_get(s, "alerts"), k, al) {
            buf_adds(b, "<div class=\"alert\">alert ");
            view_html_escape(b, js(al, "kind"));
            buf_adds(b, " (since ");
            view_html_escape(b, js(al, "since"));
            buf_adds(b, "): ");
            view_html_escape(b, js(al, "message"));
            buf_adds(b, "</div>\n");
        }
        buf_adds(b, "</section>\n");
        buf_release(&q);
    }
    if (!json_array_size(json_object_get(o, "sites")))
        buf_adds(b, "<p>The archive holds no site yet.</p>\n");
    page_foot(b);
}

/* A search snippet, escaped, its marked matches (store/search.h's
 * SEARCH_MARK_OPEN ... SEARCH_MARK_CLOSE) as <mark> elements, balanced. */
static void html_snippet(struct buf *b, const char *s)
{
    int open = 0;
    while (*s) {
        size_t n = strcspn(s, SEARCH_MARK_OPEN SEARCH_MARK_CLOSE);
        add_clean(b, s, n, 1);
        s += n;
        if (!*s)
            break;
        if (*s == SEARCH_MARK_OPEN[0] && !open)
            buf_adds(b, "<mark>");
        else if (*s == SEARCH_MARK_CLOSE[0] && open)
            buf_adds(b, "</mark>");
        open = *s == SEARCH_MARK_OPEN[0];
        s++;
    }
    if (open)
        buf_adds(b, "</mark>");
}

static void html_filter_input(struct buf *b, const char *label, const char *name, const char *type, const char *v)
{
    buf_printf(b, "<label>%s <input name=\"%s\" type=\"%s\" value=\"", label, name, type);
    view_html_escape(b, v);
    buf_adds(b, "\"></label>");
}

static void html_list_item(struct buf *b, const json_t *it)
{
    buf_adds(b, "<li><a href=\"");
    article_href(b, js(it, "url"));
    buf_adds(b, "\">");
    view_html_escape(b, *js(it, "title") ? js(it, "title") : "(no title)");
    buf_adds(b, "</a><div class=\"meta\">");
    view_html_escape(b, js(it, "site"));
    buf_adds(b, " · ");
    view_html_escape(b, *js(it, "published") ? js(it, "published") : js(it, "fetched"));
    buf_adds(b, "</div>");
    if (*js(it, "snippet")) {
        buf_adds(b, "<div class=\"snippet\">");
        html_snippet(b, js(it, "snippet"));
        buf_adds(b, "</div>");
    }
    buf_adds(b, "</li>\n");
}

static void html_list(struct buf *b, const json_t *o, const char *path)
{
    const json_t *f = json_object_get(o, "filters");
    const char *q = js(f, "q");
    int search = strcmp(path, "/search") == 0;
    page_head(b, search ? "Search" : "Articles");
    buf_adds(b, search ? "<h1>搜索 Search</h1>\n" : "<h1>文章 Articles</h1>\n");
    buf_printf(b, "<form class=\"filters\" method=\"get\" action=\"%s\">", search ? "/search" : "/articles");
    html_filter_input(b, "query", "q", "search", q);
    html_filter_input(b, "site", "site", "text", js(f, "site"));
    html_filter_input(b, "since", "since", "date", js(f, "since"));
    html_filter_input(b, "until", "until", "date", js(f, "until"));
    buf_adds(b, "<button type=\"submit\">go</button></form>\n");
    if (json_is_string(json_object_get(o, "error"))) {
        buf_adds(b, "<p class=\"alert\">查询有误 · bad query: ");
        view_html_escape(b, js(o, "error"));
        buf_adds(b, "</p>\n");
    }
    long long w = (long long)json_integer_value(json_object_get(o, "rank_window"));
    if (json_is_true(json_object_get(o, "capped")))
        buf_printf(b, "<p class=\"meta note\">超过 %lld 篇文章匹配，仅对最新的 %lld 篇排序 · more than %lld articles "
                      "match: ranked among the newest %lld</p>\n", w, w, w, w);
    if (json_is_true(json_object_get(o, "short_scan")))
        buf_printf(b, "<p class=\"meta note\">只有一两个字的词：仅搜索最新的 %d 篇 · terms of 1-2 characters only: "
                      "the newest %d articles were searched</p>\n", SEARCH_SHORT_SCAN, SEARCH_SHORT_SCAN);
    buf_adds(b, "<ul class=\"list\">\n");
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(o, "articles"), i, it) html_list_item(b, it);
    buf_adds(b, "</ul>\n");
    if (!json_array_size(json_object_get(o, "articles")))
        buf_adds(b, "<p class=\"none\">No article matches.</p>\n");
    long page = (long)json_integer_value(json_object_get(f, "page"));
    if (json_is_true(json_object_get(o, "more"))) {
        buf_printf(b, "<p><a rel=\"next\" href=\"%s?page=%ld", search ? "/search" : "/articles", page + 1);
        static const char *keys[] = { "q", "site", "since", "until" };
        for (size_t k = 0; k < 4; k++) {
            struct buf v = BUF_INIT;
            pct(&v, js(f, keys[k]));
            buf_printf(b, "&amp;%s=", keys[k]);
            view_html_escape(b, buf_str(&v));
            buf_release(&v);
        }
        buf_adds(b, "\">next page →</a></p>\n");
    }
    page_foot(b);
}

/* The other copies of the story: site, date, link (to the copy's page
 * here and to its original). */
static void html_dups(struct buf *b, const json_t *dups)
{
    if (!json_array_size(dups))
        return;
    buf_printf(b, "<section class=\"dups\"><h2>同一报道的其他副本 · %zu other cop%s of this story</h2>\n"
                  "<ul class=\"list\">\n", json_array_size(dups), json_array_size(dups) == 1 ? "y" : "ies");
    size_t i;
    json_t *d;
    json_array_foreach(dups, i, d) {
        buf_adds(b, "<li><a href=\"");
        article_href(b, js(d, "url"));
        buf_adds(b, "\">");
        view_html_escape(b, *js(d, "title") ? js(d, "title") : "(no title)");
        buf_adds(b, "</a><div class=\"meta\"><span class=\"site\">");
        view_html_escape(b, js(d, "site"));
        buf_adds(b, "</span> · ");
        view_html_escape(b, *js(d, "published") ? js(d, "published") : js(d, "fetched"));
        if (json_is_true(json_object_get(d, "first")))
            buf_adds(b, " · 最早 first archived");
        const char *url = js(d, "url");
        if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
            buf_adds(b, " · <a class=\"copy-orig\" rel=\"noreferrer noopener\" href=\"");
            view_html_escape(b, url);
            buf_adds(b, "\">original</a>");
        }
        buf_adds(b, "</div></li>\n");
    }
    buf_adds(b, "</ul></section>\n");
}

static void html_article(struct buf *b, const json_t *o)
{
    page_head(b, js(o, "title"));
    buf_adds(b, "<article><h1>");
    view_html_escape(b, *js(o, "title") ? js(o, "title") : "(no title)");
    buf_adds(b, "</h1>\n<div class=\"meta\">");
    static const char *keys[] = { "published", "author", "source", "site" };
    for (size_t k = 0, n = 0; k < 4; k++) {
        if (!*js(o, keys[k]))
            continue;
        buf_adds(b, n++ ? " · " : "");
        buf_printf(b, "<span class=\"%s\">", keys[k]);
        view_html_escape(b, js(o, keys[k]));
        buf_adds(b, "</span>");
    }
    buf_adds(b, "</div>\n<div class=\"meta links\">");
    const char *url = js(o, "url");
    if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) {
        buf_adds(b, "<a class=\"orig\" rel=\"noreferrer noopener\" href=\"");
        view_html_escape(b, url);
        buf_adds(b, "\">original</a> · ");
    }
    struct buf q = BUF_INIT;
    pct(&q, url);
    buf_adds(b, "<a class=\"warc\" href=\"/warc?url=");
    view_html_escape(b, buf_str(&q));
    buf_adds(b, "\">raw capture (WARC)</a> · fetched ");
    view_html_escape(b, js(o, "fetched"));
    buf_adds(b, "</div>\n<div class=\"text\">\n");
    buf_release(&q);
    const char *t = js(o, "text");
    while (*t) {
        const char *e = strchr(t, '\n');
        size_t n = e ? (size_t)(e - t) : strlen(t);
        if (n) {
            buf_adds(b, "<p>");
            add_clean(b, t, n, 1);
            buf_adds(b, "</p>\n");
        }
        t += n + (e ? 1 : 0);
    }
    buf_adds(b, "</div></article>\n");
    html_dups(b, json_object_get(o, "duplicates"));
    page_foot(b);
}

/* ---- routes ---- */

static void respond_text(struct view_response *out, int status, const char *msg)
{
    out->status = status;
    out->ctype = "text/plain; charset=utf-8";
    buf_reset(&out->body);
    buf_printf(&out->body, "%d %s\n", status, msg);
}

static void respond_json(struct view_response *out, json_t *o)
{
    char *s = json_dumps(o, JSON_INDENT(1));
    if (!s) {
        respond_text(out, 500, "out of memory");
        return;
    }
    out->status = 200;
    out->ctype = "application/json; charset=utf-8";
    buf_printf(&out->body, "%s\n", s);
    free(s);
}

/* The filters of a list request; 0, or -1 with out set to a 400. */
static int read_filters(view_arg_fn arg, void *ud, struct filters *f, struct view_response *out)
{
    memset(f, 0, sizeof *f);
    f->site = arg(ud, "site");
    f->since = arg(ud, "since");
    f->until = arg(ud, "until");
    f->q = arg(ud, "q");
    const char *p = arg(ud, "page");
    char *end = NULL;
    f->page = p && *p ? strtol(p, &end, 10) : 1;
    if ((p && *p && (*end || f->page < 1 || f->page > 10000)) || (f->since && *f->since && !export_date_ok(f->since)) ||
        (f->until && *f->until && !export_date_ok(f->until))) {
        respond_text(out, 400, "bad argument: dates are YYYY-MM-DD, page a number from 1");
        return -1;
    }
    return 0;
}

static int arg_too_long(view_arg_fn arg, void *ud)
{
    static const char *keys[] = { "site", "since", "until", "q", "page", "url" };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const char *v = arg(ud, keys[k]);
        if (v && strlen(v) > VIEW_MAX_ARG)
            return 1;
    }
    return 0;
}

enum route { R_SITES, R_LIST, R_SEARCH, R_ARTICLE, R_WARC, R_STYLE };
static const struct { const char *path; enum route r; int api; } ROUTES[] = {
    { "/", R_SITES, 0 },           { "/sites", R_SITES, 0 },         { "/articles", R_LIST, 0 },
    { "/search", R_SEARCH, 0 },    { "/article", R_ARTICLE, 0 },     { "/warc", R_WARC, 0 },
    { "/style.css", R_STYLE, 0 },  { "/api/sites", R_SITES, 1 },     { "/api/articles", R_LIST, 1 },
    { "/api/search", R_SEARCH, 1 }, { "/api/article", R_ARTICLE, 1 },
};

/* Builds the data of route r; NULL with out already set on a failure. */
static json_t *route_data(struct archive *a, enum route r, view_arg_fn arg, void *ud, time_t now,
                          struct view_response *out, struct buf *err)
{
    json_t *o = NULL;
    if (r == R_SITES) {
        o = sites_json(a, now, err);
    } else if (r == R_LIST || r == R_SEARCH) {
        struct filters f;
        if (read_filters(arg, ud, &f, out) < 0)
            return NULL;
        o = list_json(a, &f, err);
    } else {
        const char *url = arg(ud, "url");
        int found = 0;
        if (!url || !*url) {
            respond_text(out, 400, "url= is missing");
            return NULL;
        }
        o = article_json(a, url, err, &found);
        if (!o && !found && !err->len) {
            respond_text(out, 404, "no such article in the archive");
            return NULL;
        }
    }
    if (!o)
        respond_text(out, 500, "the archive cannot be read");
    return o;
}

void view_handle(struct archive *a, const char *path, view_arg_fn arg, void *ud, time_t now,
                 struct view_response *out)
{
    memset(out, 0, sizeof *out);
    out->body = (struct buf)BUF_INIT;
    size_t i = 0, n = sizeof ROUTES / sizeof ROUTES[0];
    while (i < n && strcmp(ROUTES[i].path, path) != 0)
        i++;
    if (i == n) {
        respond_text(out, 404, "not found");
        return;
    }
    if (arg_too_long(arg, ud)) {
        respond_text(out, 400, "argument too long");
        return;
    }
    enum route r = ROUTES[i].r;
    if (r == R_STYLE) {
        out->status = 200;
        out->ctype = "text/css; charset=utf-8";
        buf_adds(&out->body, STYLE);
        return;
    }
    struct buf err = BUF_INIT;
    if (r == R_WARC) {
        const char *url = arg(ud, "url");
        int rc = url && *url ? raw_capture(a, url, out, &err) : NA_EINVAL;
        out->status = 200;
        out->ctype = "application/warc";
        if (rc)
            respond_text(out, rc == NA_ENOTFOUND ? 404 : rc == NA_EINVAL ? 400 : 500,
                         rc == NA_ENOTFOUND ? "no capture of this URL" : na_strerror(rc));
        buf_release(&err);
        return;
    }
    json_t *o = route_data(a, r, arg, ud, now, out, &err);
    if (o && ROUTES[i].api) {
        respond_json(out, o);
    } else if (o) {
        out->status = 200;
        out->ctype = "text/html; charset=utf-8";
        if (r == R_SITES)
            html_sites(&out->body, o);
        else if (r == R_ARTICLE)
            html_article(&out->body, o);
        else
            html_list(&out->body, o, path);
    }
    if (o && json_is_string(json_object_get(o, "error")))
        out->status = 400; /* a query search rejects: the page says why */
    json_decref(o);
    buf_release(&err);
}
