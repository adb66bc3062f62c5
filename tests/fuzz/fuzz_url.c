/* fuzz_url.c — libFuzzer target for URL handling (crawler/url.h): the input
 * is split at its first newline into a base and an href (no newline: the
 * input is both), and goes through url_canonical, url_resolve,
 * url_resolve_cs under a charset picked from the input, url_host and
 * url_in_scope with a small site. Traps when an invariant breaks: a result
 * that is not http(s), longer than URL_MAX_LEN, holds a space, a control
 * character or a non-ASCII byte, or is not a fixed point of url_canonical
 * (canonical(canonical(x)) == canonical(x)); url_in_scope or url_trap
 * answering other than 0 or 1. Seeds: tests/fuzz/seeds-fuzz_url/, replayed
 * by tests/unit/test_fuzz_replay.c. */
#include "crawler/sites.h"
#include "crawler/url.h"
#include "util/buf.h"
#include "tests/fuzz/fuzz.h"

static const struct site *url_fz_site(void)
{
    static struct site s;
    static int ready;
    if (!ready) {
        struct buf err = BUF_INIT;
        site_init(&s, "fz");
        s.listing[s.nlisting++] = strdup("http://news.example.cn/list_{n}.html");
        s.hosts[s.nhosts++] = strdup("news.example.cn");
        s.hosts[s.nhosts++] = strdup("*.xn--fiqs8s");
        s.path_prefix[s.npath_prefix++] = strdup("/news/");
        s.path_prefix[s.npath_prefix++] = strdup("/list_");
        s.max_depth = 6;
        if (site_prepare(&s, &err))
            abort();
        buf_release(&err);
        ready = 1;
    }
    return &s;
}

/* Checks a canonical URL (or NULL) and frees it. */
static void url_fz_check(char *u)
{
    if (!u)
        return;
    size_t n = strlen(u);
    FUZZ_CHECK(n <= URL_MAX_LEN);
    FUZZ_CHECK(strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK((unsigned char)u[i] > 0x20 && (unsigned char)u[i] < 0x7f);
    FUZZ_CHECK(strchr(u, '#') == NULL);
    char *again = url_canonical(u);
    if (!again || strcmp(again, u) != 0) {
        fprintf(stderr, "not a fixed point:\n  %s\n  %s\n", u, again ? again : "(null)");
        __builtin_trap();
    }
    free(again);
    int t = url_trap(u, 0);
    FUZZ_CHECK(t == 0 || t == 1);
    int sc = url_in_scope(url_fz_site(), u);
    FUZZ_CHECK(sc == 0 || sc == 1);
    char *h = url_host(u);
    if (h) {
        for (const char *c = h; *c; c++)
            FUZZ_CHECK((unsigned char)*c > 0x20 && (unsigned char)*c < 0x7f);
    }
    free(h);
    free(u);
}

FUZZ_TARGET(fuzz_url)
{
    static const char *const charsets[] = { NULL, "utf-8", "gbk", "GB18030", "gb2312", "big5",
                                            "shift_jis", "euc-kr", "iso-8859-1", "utf-16le",
                                            "windows-1252", "x-no-such-charset" };
    if (size > 8192) /* over URL_MAX_LEN anyway: refused early */
        return 0;
    char *s = fuzz_cstr(data, size);
    char *nl = memchr(s, '\n', size);
    const char *base = s, *href = s;
    if (nl) {
        *nl = 0;
        href = nl + 1;
    }
    url_fz_check(url_canonical(s));
    url_fz_check(url_canonical(href));
    url_fz_check(url_resolve(base, href));
    url_fz_check(url_resolve(NULL, href));
    url_fz_check(url_resolve("http://news.example.cn/news/2023/index.html?p=1", href));
    const char *cs = charsets[size ? data[size - 1] % (sizeof charsets / sizeof charsets[0]) : 0];
    url_fz_check(url_resolve_cs(base, href, cs));
    url_fz_check(url_resolve_cs("https://xn--efvy88h.xn--fiqs8s/a/b/", href, cs));
    int sc = url_in_scope(url_fz_site(), href);
    FUZZ_CHECK(sc == 0 || sc == 1);
    /* url_host_ascii trusts an ASCII host (curl checked it): only the
     * international path is given raw input */
    char *host = NULL;
    int intl = 0;
    for (const char *c = href; *c; c++)
        intl |= (unsigned char)*c >= 0x80;
    if (intl && url_host_ascii(href, &host) == 0) {
        for (const char *c = host; *c; c++)
            FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
                       *c == '.');
    }
    free(host);
    free(s);
    return 0;
}
