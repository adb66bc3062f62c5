/* test_badinput.c — hostile and broken pages through article_extract() and
 * `newsarc extract`: empty, binary junk, truncated HTML, a 20 MB page,
 * 100,000-deep nesting, invalid UTF-8, a lying charset declaration, NUL
 * bytes. Each must give no crash, bounded time (CPU seconds, generous enough
 * for ASan), and valid UTF-8 output or a clear error. */
#include "tests/check.h"
#include "parser/article.h"
#include "parser/charset.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NOW 1700000000 /* 2023-11-14 */

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Every string field of a is valid UTF-8 without NUL (C strings). */
static int article_utf8_ok(const struct article *a)
{
    const char *f[] = { a->url, a->title, a->published, a->published_from, a->author, a->source,
                        a->category, a->lang, a->charset, a->text };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i] && !charset_valid_utf8(f[i], strlen(f[i])))
            return 0;
    return 1;
}

/* Runs article_extract on [p, p+n): returns its rc; checks the contract
 * (rc 0 with valid UTF-8 fields and a text, or rc < 0 with a message) and
 * the CPU time against max_secs. text, if non-NULL, receives a copy. */
static int extract_checked(const char *label, const char *p, size_t n, const char *charset,
                           double max_secs, struct buf *text)
{
    struct article_opts o;
    struct article a;
    struct buf err = BUF_INIT;
    memset(&o, 0, sizeof o);
    o.now = NOW;
    o.http_charset = charset;
    article_init(&a);
    double t0 = cpu_now();
    int rc = article_extract(p, n, &o, &a, &err);
    double secs = cpu_now() - t0;
    if (rc == 0) {
        if (!a.text || !article_utf8_ok(&a)) {
            fprintf(stderr, "%s: missing text or invalid UTF-8 in the result\n", label);
            test_failures++;
        }
        if (text && a.text)
            buf_adds(text, a.text);
    } else if (rc > 0 || err.len == 0) {
        fprintf(stderr, "%s: rc %d without a message\n", label, rc);
        test_failures++;
    }
    if (secs > max_secs) {
        fprintf(stderr, "%s: %.2f CPU seconds (limit %.0f)\n", label, secs, max_secs);
        test_failures++;
    }
    article_release(&a);
    buf_release(&err);
    return rc;
}

/* A plausible article page: n paragraphs of Chinese prose inside the usual
 * chrome, as UTF-8. */
static void make_page(struct buf *b, int n, const char *charset_decl)
{
    buf_printf(b, "<!DOCTYPE html><html><head><meta charset=\"%s\"><title>济南项目集中签约 - 产业网</title>"
                  "</head><body><div class=nav><a href=/>首页</a> &gt; <a href=/c>产业信息</a></div>"
                  "<div class=\"article-content\"><h1>济南项目集中签约</h1>",
               charset_decl);
    for (int i = 0; i < n; i++)
        buf_printf(b, "<p>第%d段：抓项目促发展，济南“新春头部会”锚定了“项目突破年”的全年工作基调。作为项目建设的"
                      "“压舱石”、经济发展的生命线，高质量的招商将为济南高质量发展蓄积新动能。</p>\n",
                   i + 1);
    buf_adds(b, "</div><div class=footer>版权所有 © 产业网</div></body></html>");
}

TEST(badinput_empty)
{
    extract_checked("empty", "", 0, NULL, 5, NULL);
    extract_checked("one byte", "<", 1, NULL, 5, NULL);
    extract_checked("whitespace", " \n\t ", 4, NULL, 5, NULL);
}

TEST(badinput_binary_junk)
{
    size_t n = 1 << 20;
    char *p = malloc(n);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (char)(x >> 24);
    }
    extract_checked("1 MB of random bytes", p, n, NULL, 20, NULL);
    extract_checked("random bytes as utf-8", p, 4096, "utf-8", 5, NULL);
    extract_checked("random bytes as gbk", p, 4096, "gbk", 5, NULL);
    /* a gzip header and a PNG signature, as a misconfigured server sends */
    static const char gz[] = "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xed\xbd\x07";
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    extract_checked("gzip bytes", gz, sizeof gz - 1, NULL, 5, NULL);
    extract_checked("png bytes", png, sizeof png - 1, NULL, 5, NULL);
    free(p);
}

TEST(badinput_truncated_html)
{
    struct buf b = BUF_INIT;
    make_page(&b, 12, "utf-8");
    size_t step = b.len / 97 + 1;
    for (size_t cut = 0; cut < b.len; cut += step) {
        char label[64];
        snprintf(label, sizeof label, "page cut at %zu of %zu", cut, b.len);
        extract_checked(label, b.data, cut, NULL, 5, NULL);
    }
    /* a cut inside a multi-byte character, inside a tag, inside a comment */
    const char *cuts[] = { "<html><body><p>中", "<html><body><div class=\"a", "<html><body><p>x<!-- y",
                           "<html><body><script>var a='", "<html><body><p>x</p><ta" };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        size_t l = strlen(cuts[i]);
        extract_checked(cuts[i], cuts[i], i == 0 ? l - 1 : l, NULL, 5, NULL);
    }
    buf_release(&b);
}

TEST(badinput_20mb_page)
{
    struct buf b = BUF_INIT;
    make_page(&b, 120000, "utf-8"); /* about 20 MB */
    CHECK(b.len > 20000000);
    struct buf text = BUF_INIT;
    int rc = extract_checked("20 MB page", b.data, b.len, NULL, 120, &text);
    if (rc == 0)
        CHECK_CONTAINS(buf_str(&text), "第1段");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (ru.ru_maxrss > 2L * 1024 * 1024) { /* KB: 2 GB */
        fprintf(stderr, "20 MB page: peak RSS %ld MB\n", ru.ru_maxrss / 1024);
        test_failures++;
    }
    buf_release(&text);
    buf_release(&b);
}

TEST(badinput_deep_nesting)
{
    const char *units[] = { "<div>", "<b>", "<table><tr><td>", "<a href=x>", "<p><font color=red>" };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "<html><body>");
        for (int i = 0; i < 100000; i++)
            buf_adds(&b, units[u]);
        buf_adds(&b, "深处的正文。这是一段足够长的文字，用来确认文字没有丢失。");
        char label[64];
        snprintf(label, sizeof label, "100,000 x %s", units[u]);
        extract_checked(label, b.data, b.len, NULL, 30, NULL);
        buf_release(&b);
    }
}

TEST(badinput_invalid_utf8)
{
    struct buf b = BUF_INIT;
    make_page(&b, 8, "utf-8");
    /* overlong, surrogate, lone continuation, truncated sequences, 0xFF */
    static const char bad[] = "\xc0\xaf\xed\xa0\x80\x80\xbf\xe4\xb8\xf0\x9f\x98\xff\xfe";
    size_t at = b.len / 2;
    struct buf c = BUF_INIT;
    buf_add(&c, b.data, at);
    for (int i = 0; i < 50; i++)
        buf_add(&c, bad, sizeof bad - 1);
    buf_add(&c, b.data + at, b.len - at);
    extract_checked("invalid utf-8 declared utf-8", c.data, c.len, NULL, 5, NULL);
    extract_checked("invalid utf-8, header says utf-8", c.data, c.len, "utf-8", 5, NULL);
    buf_release(&b);
    buf_release(&c);
}

/* GB18030 bytes of s (via iconv through charset.c's reverse is not
 * available, so a small fixed sample is spelled out). */
static const char gbk_para[] =
    "\xbc\xc3\xc4\xcf\xb8\xf7\xc7\xf8\xcf\xd8\xc7\xc0\xc5\xdc\xa1\xb0\xb4\xba\xcc\xec\xc0\xef\xa1\xb1"; /* 济南各区县抢跑“春天里” */

TEST(badinput_lying_charset)
{
    struct buf b = BUF_INIT, text = BUF_INIT;
    buf_adds(&b, "<html><head><meta charset=\"utf-8\"><title>t</title></head><body><div class=content>");
    for (int i = 0; i < 30; i++) {
        buf_adds(&b, "<p>");
        buf_add(&b, gbk_para, sizeof gbk_para - 1);
        buf_adds(&b, "\xa3\xac"); /* ， */
        buf_add(&b, gbk_para, sizeof gbk_para - 1);
        buf_adds(&b, "\xa1\xa3</p>\n"); /* 。 */
    }
    buf_adds(&b, "</div></body></html>");
    /* GBK bytes declared as UTF-8 (in the page and by the "server") */
    int rc = extract_checked("gbk declared utf-8", b.data, b.len, NULL, 5, &text);
    if (rc == 0)
        CHECK_CONTAINS(buf_str(&text), "济南各区县抢跑");
    buf_reset(&text);
    rc = extract_checked("gbk, header says utf-8", b.data, b.len, "utf-8", 5, &text);
    /* UTF-8 bytes declared as GBK */
    struct buf u = BUF_INIT;
    make_page(&u, 10, "gbk");
    buf_reset(&text);
    rc = extract_checked("utf-8 declared gbk", u.data, u.len, NULL, 5, &text);
    if (rc == 0)
        CHECK_CONTAINS(buf_str(&text), "抓项目促发展");
    /* a declaration iconv does not know */
    buf_reset(&u);
    make_page(&u, 10, "x-no-such-charset");
    extract_checked("unknown charset", u.data, u.len, "x-bogus", 5, NULL);
    buf_release(&b);
    buf_release(&u);
    buf_release(&text);
}

TEST(badinput_nul_bytes)
{
    struct buf b = BUF_INIT, text = BUF_INIT;
    make_page(&b, 10, "utf-8");
    struct buf c = BUF_INIT;
    /* NULs in text, in a tag name, in an attribute, in the head */
    for (size_t i = 0; i < b.len; i++) {
        buf_addc(&c, b.data[i]);
        if (i % 50 == 7)
            buf_addc(&c, '\0');
    }
    int rc = extract_checked("nul bytes every 50", c.data, c.len, NULL, 5, &text);
    if (rc == 0)
        CHECK(charset_valid_utf8(buf_str(&text), text.len));
    static const char only[] = "\0\0\0\0<p>\0</p>\0";
    extract_checked("mostly nul", only, sizeof only - 1, NULL, 5, NULL);
    buf_release(&b);
    buf_release(&c);
    buf_release(&text);
}

/* The same inputs through the command line: exit 0 (or 1 with a message on
 * stderr), and stdout valid UTF-8. */
TEST(badinput_cli)
{
    const char *bin = getenv("NA_BIN");
    if (!bin)
        SKIP("NA_BIN is not set: no command line to run");
    char dir[1024], path[1200], cmd[5000], outp[1100], errp[1200];
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    struct {
        const char *name;
        const char *data;
        size_t n;
    } files[] = {
        { "empty.html", "", 0 },
        { "nul.html", "<p>a\0b</p>\0", 11 },
        { "junk.html", "\x89PNG\r\n\x1a\n\0\0\xff\xfe\xc0\xaf", 14 },
        { "cut.html", "<html><body><p>\xe4\xb8", 17 },
        { "fake.gz", "\x1f\x8b\x08\x00garbage", 12 },
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        FILE *f = fopen(path, "wb");
        CHECK(f != NULL);
        if (!f)
            return;
        fwrite(files[i].data, 1, files[i].n, f);
        fclose(f);
        snprintf(outp, sizeof outp, "%s/%s.out", dir, files[i].name);
        snprintf(errp, sizeof errp, "%s.err", outp);
        snprintf(cmd, sizeof cmd, "'%.1000s' extract --format json --now 2023-11-14T00:00:00Z '%s' > '%s' 2> '%s'",
                 bin, path, outp, errp);
        int st = system(cmd);
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        size_t n = 0;
        char *out = test_read_file(outp, &n);
        if (code != 0 && code != 1) {
            fprintf(stderr, "%s: exit status %d\n", files[i].name, code);
            test_failures++;
        }
        if (!out || !charset_valid_utf8(out, n) || memchr(out, 0, n)) {
            fprintf(stderr, "%s: stdout is not valid UTF-8 text\n", files[i].name);
            test_failures++;
        }
        if (code == 1) {
            char *e = test_read_file(errp, NULL);
            CHECK(e && strstr(e, files[i].name));
            free(e);
        }
        free(out);
    }
}

/* The fuzz target itself, so its seed corpus is replayed by every `make
 * test` and `make asan` (wget2's way), without libFuzzer. */
#include "tests/fuzz/fuzz_extract.c"

#include <dirent.h>

TEST(fuzz_seeds_replay)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/seeds-fuzz_extract", test_srcdir());
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    if (!dp)
        return;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *p = test_read_file(path, &len);
        CHECK(p != NULL);
        if (!p)
            continue;
        double t0 = cpu_now();
        LLVMFuzzerTestOneInput((const uint8_t *)p, len);
        /* every prefix length class too: the label choice and truncation */
        if (len > 1)
            LLVMFuzzerTestOneInput((const uint8_t *)p, len / 2);
        double secs = cpu_now() - t0;
        if (secs > 10) {
            fprintf(stderr, "%s: %.2f CPU seconds\n", de->d_name, secs);
            test_failures++;
        }
        free(p);
        n++;
    }
    closedir(dp);
    CHECK(n >= 12);
}
