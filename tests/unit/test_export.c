/* test_export.c — the read side of the store: SURT keys (against the python
 * surt package's own test values), and export/get/ls/stats/reextract over
 * archives written through store/archive.h from fixture pages. */
#include "tests/check.h"
#include "store/surt.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>

static void check_surt(const char *url, const char *want, const char *file, int line)
{
    struct buf b = BUF_INIT;
    int rc = surt_key(url, strlen(url), &b);
    if (rc != 0 || strcmp(buf_str(&b), want) != 0) {
        fprintf(stderr, "%s:%d: surt(\"%s\")\n  got:      \"%s\" (rc %d)\n  expected: \"%s\"\n",
                file, line, url, buf_str(&b), rc, want);
        test_failures++;
    }
    buf_release(&b);
}
#define SURT_IS(url, want) check_surt(url, want, __FILE__, __LINE__)

TEST(surt_python_surt_values)
{
    /* From internetarchive/surt tests/test_surt.py (WaybackURLKeyMakerTest). */
    SURT_IS("http://www.archive.org/", "org,archive)/");
    SURT_IS("http://archive.org/", "org,archive)/");
    SURT_IS("http://archive.org/goo/", "org,archive)/goo");
    SURT_IS("http://archive.org/goo/?", "org,archive)/goo");
    SURT_IS("http://archive.org/goo/?b&a", "org,archive)/goo?a&b");
    SURT_IS("http://archive.org/goo/?a=2&b&a=1", "org,archive)/goo?a=1&a=2&b");
    SURT_IS("http://archive.org/index.php?PHPSESSID=0123456789abcdefghijklemopqrstuv&action=profile;u=4221",
            "org,archive)/index.php?action=profile;u=4221");
    SURT_IS("whois://whois.isoc.org.il/shaveh.co.il", "il,org,isoc,whois)/shaveh.co.il");
    SURT_IS("http://visit.webhosting.yahoo.com/visit.gif?&r=http%3A//web.archive.org/web/20090517140029/"
            "http%3A//anthonystewarthead.electric-chi.com/&b=Netscape%205.0%20%28Windows%3B%20en-US%29"
            "&s=1366x768&o=Win32&c=24&j=true&v=1.2",
            "com,yahoo,webhosting,visit)/visit.gif?&b=netscape%205.0%20(windows;%20en-us)&c=24&j=true"
            "&o=win32&r=http://web.archive.org/web/20090517140029/http://anthonystewarthead.electric-chi.com/"
            "&s=1366x768&v=1.2");
    /* DefaultIAURLCanonicalizer / IAURLCanonicalizer / Google values, as SURTs. */
    SURT_IS("http://www34.archive.org/index.html?b=a&b=b&a=b", "org,archive)/index.html?a=b&b=a&b=b");
    SURT_IS("http://archive.org/index.html?", "org,archive)/index.html");
    SURT_IS("http://ARCHIVE.ORG/", "org,archive)/");
    SURT_IS("http://www.archive.org:80/", "org,archive)/");
    SURT_IS("https://www.archive.org:80/", "org,archive:80)/");
    SURT_IS("http://www.archive.org:443/", "org,archive:443)/");
    SURT_IS("https://www.archive.org:443/", "org,archive)/");
    SURT_IS("http://www.archive.org/big/", "org,archive)/big");
    SURT_IS("http://host/%25%32%35", "host)/%25");
    SURT_IS("http://host/%2525252525252525", "host)/%25");
    SURT_IS("http://host/%%%25%32%35asd%%", "host)/%25%25%25asd%25%25");
    SURT_IS("http://host%23.com/%257Ea%2521b%2540c%2523d%2524e%25f%255E00%252611%252A22%252833%252944_55%252B",
            "com,host%23)/~a!b@c%23d$e%25f^00&11*22(33)44_55+");
    SURT_IS("http://3279880203/blah", "11,0,127,195)/blah");
    SURT_IS("http://www.google.com/blah/..", "com,google)/");
    SURT_IS("www.google.com", "com,google)/");
    SURT_IS("  http://www.google.com/  ", "com,google)/");
    SURT_IS("http://www.evil.com/blah#frag", "com,evil)/blah");
    SURT_IS("http://www.GOOgle.com/", "com,google)/");
    SURT_IS("http://www.google.com.../", "com,google)/");
    SURT_IS("http://www.google.com/foo\tbar\rbaz\n2", "com,google)/foobarbaz2");
    SURT_IS("http://evil.com/foo;", "com,evil)/foo;");
    SURT_IS("http://host.com//twoslashes?more//slashes", "com,host)/twoslashes?more//slashes");
    SURT_IS("http:////////////////www.vikings.com", "com,vikings)/");
    SURT_IS("http://https://order.1and1.com", "com,1and1,order)/");
    SURT_IS("http://mineral.galleries.com:/minerals/silicate/chabazit/chabazit.htm",
            "com,galleries,mineral)/minerals/silicate/chabazit/chabazit.htm");
    SURT_IS("http://www.gotaport.com:1234/", "com,gotaport:1234)/");
    SURT_IS("http://user:pw@www.example.com/A", "com,example)/a");
    SURT_IS("http://example.com/foo?X=Y", "com,example)/foo?x=y");
    SURT_IS("http://archive.org/(S(4hqa0555fwsecu455xqckv45))/mileg.aspx", "org,archive)/mileg.aspx");
    SURT_IS("http://archive.org/(4hqa0555fwsecu455xqckv45)/mileg.aspx", "org,archive)/mileg.aspx");
    SURT_IS("http://a.org/x?one=two&jsessionid=0123456789abcdefghijklemopqrstuv&x=y", "org,a)/x?one=two&x=y");
    SURT_IS("http://a.org/x?CFID=1169580&CFTOKEN=48630702&dtstamp=22%2F08%2F2006",
            "org,a)/x?dtstamp=22/08/2006");
}

TEST(surt_news_urls)
{
    SURT_IS("http://www.cwce.cn/news/2023/02/t20230203_123.html", "cn,cwce)/news/2023/02/t20230203_123.html");
    SURT_IS("https://news.example.com.cn/a/b.shtml?id=5&page=2", "cn,com,example,news)/a/b.shtml?id=5&page=2");
    SURT_IS("http://a.cn/\xe6\x96\xb0\xe9\x97\xbb?q=\xe4\xb8\xad", "cn,a)/%e6%96%b0%e9%97%bb?q=%e4%b8%ad");
    SURT_IS("http://a.cn/%D6%D0.html", "cn,a)/%d6%d0.html"); /* GBK escape survives */
    SURT_IS("http://a.cn/a b", "cn,a)/a%20b");
    SURT_IS("http://127.0.0.1:8080/p/1", "1,0,0,127:8080)/p/1");
    struct buf b = BUF_INIT;
    CHECK_EQ(surt_key("", 0, &b), NA_EINVAL);
    CHECK_EQ(surt_key("   ", 3, &b), NA_EINVAL);
    buf_release(&b);
}

/* ---- export over an archive written through archive_add ---- */

#include "crawler/article_archive.h"
#include "parser/article.h"
#include "store/archive.h"
#include "store/export.h"
#include "util/mem.h"

#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* The gzip of a string, into out. */
static void gz(const char *s, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    buf_grow(out, deflateBound(&z, strlen(s)) + 16);
    z.next_in = (Bytef *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    deflate(&z, Z_FINISH);
    out->len += z.total_out;
    out->data[out->len] = 0;
    deflateEnd(&z);
}

#define PAGE_A "<html><body><p>Alpha text</p></body></html>"
#define PAGE_B "<html><body><p>Beta chunked and gzipped</p></body></html>"

static int add_page(struct archive *a, const char *url, time_t t, const char *extra_head, const char *body,
                    size_t body_len, const char *title, const char *text)
{
    struct buf head = BUF_INIT, err = BUF_INIT;
    buf_printf(&head, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n%s\r\n", extra_head);
    struct capture c;
    memset(&c, 0, sizeof c);
    c.url = url;
    c.site = "t";
    c.kind = CAPTURE_ARTICLE;
    c.fetched = t;
    c.request = "GET / HTTP/1.1\r\nHost: t.example\r\n\r\n";
    c.request_len = strlen(c.request);
    c.response_head = head.data;
    c.response_head_len = head.len;
    c.body = body;
    c.body_len = body_len;
    c.status = 200;
    struct article art;
    article_init(&art);
    art.title = na_strdup(title);
    art.published = na_strdup("2024-05-01");
    art.text = na_strdup(text);
    struct archive_text at = article_archive_text(&art);
    int rc = archive_add(a, &c, &at, &err);
    if (rc)
        fprintf(stderr, "archive_add: %s\n", buf_str(&err));
    article_release(&art);
    buf_release(&head);
    buf_release(&err);
    return rc;
}

/* Two articles: a plain one, and one stored chunked + gzip (as libcurl
 * hands it over with transfer decoding off), plus an invalid UTF-8 text. */
static const char *make_archive(void)
{
    static char dir[4096];
    snprintf(dir, sizeof dir, "%s/arch", test_tmpdir());
    struct archive_opts o = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT, gzb = BUF_INIT, chunked = BUF_INIT;
    o.host_label = "unit";
    o.quiet_recovery = 1;
    if (archive_open(dir, &o, &a, &err)) {
        fprintf(stderr, "archive_open: %s\n", buf_str(&err));
        buf_release(&err);
        return NULL;
    }
    gz(PAGE_B, &gzb);
    size_t half = gzb.len / 2;
    buf_printf(&chunked, "%zx;ext=1\r\n", half);
    buf_add(&chunked, gzb.data, half);
    buf_printf(&chunked, "\r\n%zx\r\n", gzb.len - half);
    buf_add(&chunked, gzb.data + half, gzb.len - half);
    buf_adds(&chunked, "\r\n0\r\nX-Trailer: 1\r\n\r\n");
    int rc = add_page(a, "http://t.example/a.html", 1714550400, "", PAGE_A, strlen(PAGE_A), "Alpha", "Alpha text");
    if (!rc)
        rc = add_page(a, "http://t.example/b.html", 1714554000,
                      "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", chunked.data, chunked.len, "Beta",
                      "bad \xff utf-8");
    archive_close(a);
    buf_release(&err);
    buf_release(&gzb);
    buf_release(&chunked);
    return rc ? NULL : dir;
}

static struct archive *open_ro(const char *dir)
{
    struct archive_opts o = { 0 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    o.readonly = 1;
    if (archive_open(dir, &o, &a, &err))
        fprintf(stderr, "archive_open ro: %s\n", buf_str(&err));
    buf_release(&err);
    return a;
}

/* Runs an export into memory; returns its rc, *out malloc'd. */
static int run_export(struct archive *a, enum export_format f, char **out, size_t *len, struct buf *err)
{
    FILE *m = open_memstream(out, len);
    struct export_opts eo = { 0 };
    eo.format = f;
    int rc = export_run(a, &eo, m, NULL, err);
    fclose(m);
    return rc;
}

TEST(export_formats_and_dates)
{
    CHECK_EQ(export_format_parse("jsonl"), EXPORT_JSONL);
    CHECK_EQ(export_format_parse("cdxj"), EXPORT_CDXJ);
    CHECK_EQ(export_format_parse("xml"), 0);
    CHECK(export_date_ok("2024"));
    CHECK(export_date_ok("2024-03"));
    CHECK(export_date_ok("2024-03-01"));
    CHECK(export_date_ok("2024-03-01T08:30"));
    CHECK(!export_date_ok("2024-3-1"));
    CHECK(!export_date_ok("yesterday"));
    CHECK(!export_date_ok("2024-03-01 08:30"));
    CHECK(!export_date_ok(""));
}

TEST(export_jsonl_and_text)
{
    const char *dir = make_archive();
    CHECK(dir != NULL);
    struct archive *a = dir ? open_ro(dir) : NULL;
    if (!a)
        return;
    struct buf err = BUF_INIT;
    char *out = NULL;
    size_t len = 0;
    CHECK_EQ(run_export(a, EXPORT_JSONL, &out, &len, &err), 0);
    /* two lines, each a JSON object; the invalid byte came out as U+FFFD */
    char *nl = out ? strchr(out, '\n') : NULL;
    CHECK(nl && strchr(nl + 1, '\n') && !strchr(strchr(nl + 1, '\n') + 1, '\n'));
    json_error_t je;
    json_t *j = out ? json_loadb(out, (size_t)(nl - out), 0, &je) : NULL;
    CHECK(j != NULL);
    CHECK_STR(json_string_value(json_object_get(j, "url")), "http://t.example/b.html");
    CHECK_STR(json_string_value(json_object_get(j, "text")), "bad \xef\xbf\xbd utf-8");
    CHECK_STR(json_string_value(json_object_get(j, "fetched")), "2024-05-01T09:00:00Z");
    CHECK(json_is_null(json_object_get(j, "author")));
    json_decref(j);
    free(out);
    out = NULL;
    CHECK_EQ(run_export(a, EXPORT_TEXT, &out, &len, &err), 0);
    CHECK_CONTAINS(out, "=== http://t.example/a.html | 2024-05-01 | t | Alpha\nAlpha text\n\n");
    free(out);
    struct buf t = BUF_INIT;
    CHECK_EQ(export_get_text(a, "http://t.example/a.html", &t, &err), 1);
    CHECK_STR(buf_str(&t), "Alpha text");
    buf_reset(&t);
    CHECK_EQ(export_get_text(a, "http://t.example/none", &t, &err), 0);
    buf_release(&t);
    buf_release(&err);
    archive_close(a);
}

TEST(export_get_body_dechunks_and_gunzips)
{
    const char *dir = make_archive();
    struct archive *a = dir ? open_ro(dir) : NULL;
    CHECK(a != NULL);
    if (!a)
        return;
    struct buf b = BUF_INIT, err = BUF_INIT;
    CHECK_EQ(export_get_body(a, "http://t.example/b.html", 0, &b, &err), 1);
    CHECK_STR(buf_str(&b), PAGE_B);
    buf_reset(&b);
    CHECK_EQ(export_get_body(a, "http://t.example/a.html", 0, &b, &err), 1);
    CHECK_STR(buf_str(&b), PAGE_A);
    buf_reset(&b);
    CHECK_EQ(export_get_json(a, "http://t.example/b.html", &b, &err), 1);
    CHECK_CONTAINS(buf_str(&b), "\"Transfer-Encoding\",");
    CHECK_CONTAINS(buf_str(&b), "\"title\": \"Beta\"");
    buf_reset(&b);
    CHECK_EQ(export_get_json(a, "http://t.example/none", &b, &err), 0);
    buf_release(&b);
    buf_release(&err);
    archive_close(a);
}

TEST(export_cdxj_and_warc)
{
    const char *dir = make_archive();
    struct archive *a = dir ? open_ro(dir) : NULL;
    CHECK(a != NULL);
    if (!a)
        return;
    struct buf err = BUF_INIT;
    char *out = NULL;
    size_t len = 0;
    CHECK_EQ(run_export(a, EXPORT_CDXJ, &out, &len, &err), 0);
    CHECK(out && strncmp(out, "example,t)/a.html 20240501080000 {\"url\": \"http://t.example/a.html\", "
                              "\"mime\": \"text/html\", \"status\": \"200\", \"digest\": \"", 115) == 0);
    CHECK_CONTAINS(out, "\nexample,t)/b.html 20240501090000 {");
    free(out);
    out = NULL;
    CHECK_EQ(run_export(a, EXPORT_WARC, &out, &len, &err), 0);
    /* gzip members: fresh warcinfo, source warcinfo, 2 x (request, response, conversion, metadata) */
    size_t members = 0, off = 0;
    while (out && off < len) {
        z_stream z;
        unsigned char sink[65536];
        memset(&z, 0, sizeof z);
        inflateInit2(&z, 31);
        z.next_in = (Bytef *)out + off;
        z.avail_in = (uInt)(len - off);
        int zr;
        do {
            z.next_out = sink;
            z.avail_out = sizeof sink;
            zr = inflate(&z, Z_NO_FLUSH);
        } while (zr == Z_OK);
        CHECK_EQ(zr, Z_STREAM_END);
        off += z.total_in;
        inflateEnd(&z);
        members++;
        if (zr != Z_STREAM_END)
            break;
    }
    CHECK_EQ(members, 10);
    free(out);
    buf_release(&err);
    archive_close(a);
}

TEST(export_reports_missing_records)
{
    const char *dir = make_archive();
    CHECK(dir != NULL);
    if (!dir)
        return;
    /* Cut the WARC file short: the index now points past its end. */
    char path[4200];
    struct buf name = BUF_INIT;
    struct archive *a = open_ro(dir);
    struct buf err = BUF_INIT;
    char *out = NULL;
    size_t len = 0;
    CHECK_EQ(run_export(a, EXPORT_CDXJ, &out, &len, &err), 0);
    const char *fn = out ? strstr(out, "\"filename\": \"") : NULL;
    if (fn) {
        fn += 13;
        buf_add(&name, fn, strcspn(fn, "\""));
    }
    free(out);
    out = NULL;
    archive_close(a);
    snprintf(path, sizeof path, "%s/warc/%s", dir, buf_str(&name));
    struct stat sb;
    CHECK_EQ(stat(path, &sb), 0);
    CHECK_EQ(truncate(path, sb.st_size / 2), 0);
    a = open_ro(dir);
    CHECK(a != NULL);
    if (a) {
        CHECK_EQ(run_export(a, EXPORT_JSONL, &out, &len, &err), NA_ECORRUPT);
        CHECK_CONTAINS(buf_str(&err), buf_str(&name));
        CHECK_CONTAINS(buf_str(&err), ":");
        free(out);
        archive_close(a);
    }
    buf_release(&name);
    buf_release(&err);
}

TEST(export_survives_alloc_failures)
{
    const char *dir = make_archive();
    struct archive *a = dir ? open_ro(dir) : NULL;
    CHECK(a != NULL);
    if (!a)
        return;
    static const enum export_format fs[] = { EXPORT_JSONL, EXPORT_TEXT, EXPORT_WARC, EXPORT_CDXJ };
    for (size_t k = 0; k < 4; k++) {
        int failed = 0, done = 0;
        for (long n = 1; n < 400 && !done; n++) {
            struct buf err = BUF_INIT;
            char *out = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&out, &len);
            struct export_opts eo = { 0 };
            eo.format = fs[k];
            na_mem_fail_after(n);
            int rc = export_run(a, &eo, m, NULL, &err);
            na_mem_fail_after(0);
            fclose(m);
            free(out);
            buf_release(&err);
            CHECK(rc <= 0);
            failed += rc < 0;
            done = rc == 0; /* n is past the last allocation */
        }
        CHECK(failed > 0 && done);
    }
    archive_close(a);
}

/* ---- reextract's "unchanged?" covers every field ---- */

#define RE_URL "http://t.example/news/2024/05/01/re.html"
#define RE_T 1714550400
#define RE_PAGE                                                                                     \
    "<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>开发区项目签约 - 示例网</title>" \
    "<meta property=\"article:section\" content=\"产业动态\">"                                     \
    "<meta name=\"author\" content=\"王明\"></head><body><h1>开发区项目签约</h1>"                   \
    "<div class=\"info\">2024-04-30 10:00 来源：示例网</div><div class=\"content\">"                 \
    "<p>九月十九日上午，经济技术开发区三季度重点项目集中签约仪式举行，现场签约项目十二个。</p>"     \
    "<p>开发区坚持项目为王，建立重点项目台账，确保签约项目早落地、早投产、早见效。</p>"             \
    "</div></body></html>"

/* Every field of util/article_fields.h, by name and place in archive_text. */
static const struct {
    const char *name;
    size_t off;
} re_fields[] = {
#define RE_FIELD(name) { #name, offsetof(struct archive_text, name) },
    ARTICLE_FIELDS(RE_FIELD)
#undef RE_FIELD
};

/* An archive holding RE_PAGE with the extractor's own article, except field
 * (NULL: none) stored as "stale"; then `newsarc reextract` over it. Returns
 * the number of new extractions it reported (-1 on a failure), and the
 * newest extraction's value of field in *now (malloc'd). */
static int reextract_with_stale(const char *bin, const char *field, char **now)
{
    char dir[4200], cmd[9000], out[4300];
    snprintf(dir, sizeof dir, "%s/re-%s", test_tmpdir(), field ? field : "none");
    snprintf(out, sizeof out, "%s.out", dir);
    *now = NULL;
    struct archive_opts o = { .host_label = "unit", .quiet_recovery = 1 };
    struct archive *a = NULL;
    struct buf err = BUF_INIT;
    struct article art;
    article_init(&art);
    /* as reextract extracts it: the URL, HTTP's charset label, the fetch time, generic rules */
    struct article_opts ao = { .url = RE_URL, .http_charset = "utf-8", .now = RE_T };
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
    struct capture c = {
        .url = RE_URL, .kind = CAPTURE_ARTICLE, .fetched = RE_T, .response_head = head,
        .response_head_len = strlen(head), .body = RE_PAGE, .body_len = strlen(RE_PAGE), .status = 200,
    };
    int rc = article_extract(RE_PAGE, strlen(RE_PAGE), &ao, &art, &err);
    if (!rc)
        rc = archive_open(dir, &o, &a, &err);
    if (!rc) {
        struct archive_text at = article_archive_text(&art);
        for (size_t i = 0; field && i < sizeof re_fields / sizeof re_fields[0]; i++)
            if (strcmp(re_fields[i].name, field) == 0)
                *(const char **)((char *)&at + re_fields[i].off) = "stale";
        rc = archive_add(a, &c, &at, &err);
    }
    archive_close(a);
    article_release(&art);
    if (rc) {
        fprintf(stderr, "reextract fixture: %s\n", buf_str(&err));
        buf_release(&err);
        return -1;
    }
    /* from the temp dir: no ./sites.conf */
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' reextract -a '%s' > '%s' 2>&1", test_tmpdir(), bin, dir, out);
    int st = system(cmd);
    char *log = test_read_file(out, NULL);
    size_t urls = 0, made = 0;
    /* "newsarc reextract: 1 URLs, 1 new extractions, 0 unchanged, …" */
    const char *p = log ? strstr(log, "reextract: ") : NULL;
    int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0 && p &&
             sscanf(p, "reextract: %zu URLs, %zu new", &urls, &made) == 2 && urls == 1;
    if (!ok)
        fprintf(stderr, "reextract (stale %s): %s\n", field ? field : "nothing", log ? log : "(no output)");
    free(log);
    if (!ok)
        return -1;
    if ((a = open_ro(dir))) {
        struct index_article ia;
        if (index_article_get(archive_index(a), RE_URL, &ia, &err) == 1) {
            for (size_t i = 0; field && i < sizeof re_fields / sizeof re_fields[0]; i++)
                if (strcmp(re_fields[i].name, field) == 0) {
                    /* index_article has the same members, owned */
                    const char *v = NULL;
#define RE_GET(name) if (strcmp(#name, field) == 0) v = ia.name;
                    ARTICLE_FIELDS(RE_GET)
#undef RE_GET
                    *now = v ? strdup(v) : strdup("(null)");
                }
            index_article_release(&ia);
        }
        archive_close(a);
    }
    buf_release(&err);
    return (int)made;
}

TEST(reextract_compares_every_field)
{
    /* Before, reextract compared the text, title, published, author and
     * source only: a new category, lang, published_from or charset alone
     * was skipped as "unchanged". Now a change in any field of
     * util/article_fields.h appends a new extraction. */
    const char *bin = getenv("NA_BIN");
    if (!bin)
        return; /* the CLI is not built into run-tests */
    char *v = NULL;
    CHECK_EQ(reextract_with_stale(bin, NULL, &v), 0); /* nothing stale: unchanged */
    free(v);
    for (size_t i = 0; i < sizeof re_fields / sizeof re_fields[0]; i++) {
        const char *f = re_fields[i].name;
        int made = reextract_with_stale(bin, f, &v);
        if (made != 1)
            fprintf(stderr, "  field %s: %d new extractions, 1 expected\n", f, made);
        CHECK_EQ(made, 1);
        CHECK(v && strcmp(v, "stale") != 0);
        free(v);
    }
}
