/* fuzz_discover.c — libFuzzer target for feed and sitemap discovery
 * (crawler/discover.h) and the XML repair before it (crawler/xmlfix.h):
 * the input goes through xmlfix_prepare, discover_feed and
 * discover_sitemap, with a small site (scope and an article pattern) and
 * without one. Traps when an invariant breaks: repaired XML that is not
 * UTF-8 or holds a C0 control XML forbids, a found URL that is not a short
 * http(s) URL of printable ASCII, an in-site result out of scope, more
 * results than the list's cap. Seeds: tests/fuzz/seeds-fuzz_discover/,
 * replayed by tests/unit/test_fuzz_replay.c. */
#include "crawler/discover.h"
#include "crawler/sites.h"
#include "crawler/url.h"
#include "crawler/xmlfix.h"
#include "parser/charset.h"
#include "util/buf.h"
#include "tests/fuzz/fuzz.h"

#define DISCOVER_FZ_MAX 200

static void discover_fz_check(const struct url_list *l, const struct site *s)
{
    FUZZ_CHECK(l->n <= DISCOVER_FZ_MAX);
    for (size_t i = 0; i < l->n; i++) {
        const char *u = l->v[i];
        size_t n = strlen(u);
        FUZZ_CHECK(n <= URL_MAX_LEN);
        FUZZ_CHECK(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0);
        for (size_t k = 0; k < n; k++)
            FUZZ_CHECK((unsigned char)u[k] > 0x20 && (unsigned char)u[k] < 0x7f);
        if (s)
            FUZZ_CHECK(url_in_scope(s, u) == 1);
    }
}

static const struct site *discover_fz_site(void)
{
    static struct site s;
    static int ready;
    if (!ready) {
        struct buf err = BUF_INIT;
        site_init(&s, "fz");
        s.listing[s.nlisting++] = strdup("http://news.example.cn/list.html");
        s.hosts[s.nhosts++] = strdup("news.example.cn");
        s.hosts[s.nhosts++] = strdup("*.example.com");
        s.article[s.narticle++] = strdup("/20[0-9]{2}-?[0-9]{2}/");
        if (site_prepare(&s, &err))
            abort();
        buf_release(&err);
        ready = 1;
    }
    return &s;
}

FUZZ_TARGET(fuzz_discover)
{
    const char *xml = (const char *)data;
    const struct site *site = discover_fz_site();
    struct buf err = BUF_INIT;

    struct buf fixed;
    buf_init(&fixed, 3 * size + 64);
    if (xmlfix_prepare(xml, size, &fixed, &err) == 0) {
        FUZZ_CHECK(charset_valid_utf8(buf_str(&fixed), fixed.len));
        for (size_t i = 0; i < fixed.len; i++) {
            unsigned char c = (unsigned char)fixed.data[i];
            FUZZ_CHECK(c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
        }
    }
    buf_release(&fixed);

    for (int with_site = 0; with_site < 2; with_site++) {
        const struct site *s = with_site ? site : NULL;
        struct url_list a, sm;
        url_list_init(&a, DISCOVER_FZ_MAX);
        buf_reset(&err);
        if (discover_feed(s, "http://news.example.cn/rss/feed.xml", xml, size, &a, &err) == 0)
            discover_fz_check(&a, s);
        url_list_release(&a);

        url_list_init(&a, DISCOVER_FZ_MAX);
        url_list_init(&sm, DISCOVER_FZ_MAX);
        buf_reset(&err);
        const char *where = size & 1 ? "http://news.example.cn/sitemap.xml.gz" : "http://news.example.cn/sitemap.xml";
        if (discover_sitemap(s, where, xml, size, &a, &sm, &err) == 0) {
            discover_fz_check(&a, s);
            discover_fz_check(&sm, NULL);
        }
        url_list_release(&a);
        url_list_release(&sm);
    }
    buf_release(&err);
    return 0;
}
