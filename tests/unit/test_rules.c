/* test_rules.c — per-site XPath rules on libxml2: selection maps back to dom
 * nodes in document order, string values for title/date, validation names
 * the bad expression, nothing reaches stderr, runaway expressions stop, and
 * several threads may evaluate at once. */
#include "tests/check.h"
#include "parser/dom.h"
#include "parser/rules.h"
#include "util/err.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *page =
    "<html><head><title>Site - Headline</title>"
    "<meta property=\"og:title\" content=\"  OG   headline \"></head><body>"
    "<div id=nav><a href=/>Home</a></div>"
    "<div class=\"article main\"><h1>The  headline</h1>"
    "<span class=date>发布时间：2023-02-03 12:30</span>"
    "<p>First.</p><div class=share>Share</div><p>Second.</p><div class=share>Again</div></div>"
    "<div class=related><ul><li>x</li></ul></div></body></html>";

static struct dom *parse(const char *html)
{
    struct dom *d = NULL;
    struct buf err = BUF_INIT;
    if (dom_parse(html, strlen(html), NULL, &d, &err))
        fprintf(stderr, "dom_parse: %s\n", buf_str(&err));
    buf_release(&err);
    return d;
}

struct seen {
    struct dom_node *n[16];
    int count;
};

static void collect(struct dom_node *n, void *ud)
{
    struct seen *s = ud;
    if (s->count < 16)
        s->n[s->count] = n;
    s->count++;
}

/* Redirects stderr to a file for the duration of a check. */
static int stderr_begin(char *path, size_t cap)
{
    snprintf(path, cap, "%s/stderr.txt", test_tmpdir());
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(path, "w");
    if (f) {
        dup2(fileno(f), 2);
        fclose(f);
    }
    return saved;
}

static long stderr_end(int saved, const char *path)
{
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

TEST(rules_select_maps_to_dom_nodes)
{
    struct dom *d = parse(page);
    struct buf err = BUF_INIT;
    struct seen s = { { 0 }, 0 };
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_EQ(rules_select(d, "//div[contains(@class,'article')]", collect, &s, &err), 1);
    CHECK_EQ(s.count, 1);
    if (s.count == 1) {
        CHECK(s.n[0]->type == DOM_ELEMENT && s.n[0]->tag == DOM_TAG_DIV);
        CHECK_STR(dom_attr(s.n[0], "class"), "article main");
    }
    /* several matches, in document order */
    memset(&s, 0, sizeof s);
    CHECK_EQ(rules_select(d, "//div[@class='share'] | //p", collect, &s, &err), 4);
    if (s.count == 4) {
        CHECK(s.n[0]->tag == DOM_TAG_P);
        CHECK(s.n[1]->tag == DOM_TAG_DIV);
        CHECK(s.n[2]->tag == DOM_TAG_P);
        CHECK(s.n[3]->tag == DOM_TAG_DIV);
        for (int i = 1; i < 4; i++)
            CHECK(s.n[i - 1]->index < s.n[i]->index);
    }
    /* text and attribute nodes are not elements */
    memset(&s, 0, sizeof s);
    CHECK_EQ(rules_select(d, "//p/text() | //a/@href", collect, &s, &err), 0);
    CHECK_EQ(s.count, 0);
    /* no match */
    CHECK_EQ(rules_select(d, "//article", collect, &s, &err), 0);
    /* the libxml2 copy is made once and kept on the dom */
    void *doc = d->ext;
    CHECK(doc != NULL);
    CHECK_EQ(rules_select(d, "//h1", NULL, NULL, &err), 1);
    CHECK(d->ext == doc);
    /* a value is not a selection */
    CHECK_EQ(rules_select(d, "count(//p)", collect, &s, &err), NA_EINVAL);
    CHECK_CONTAINS(buf_str(&err), "count(//p)");
    dom_free(d);
    buf_release(&err);
}

TEST(rules_string_values)
{
    struct dom *d = parse(page);
    struct buf out = BUF_INIT, err = BUF_INIT;
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_EQ(rules_string(d, "//h1", &out, &err), 0);
    CHECK_STR(buf_str(&out), "The headline");
    buf_reset(&out);
    CHECK_EQ(rules_string(d, "//meta[@property='og:title']/@content", &out, &err), 0);
    CHECK_STR(buf_str(&out), "OG headline");
    buf_reset(&out);
    CHECK_EQ(rules_string(d, "substring-after(//span[@class='date'], '：')", &out, &err), 0);
    CHECK_STR(buf_str(&out), "2023-02-03 12:30");
    buf_reset(&out);
    /* first node of a set, in document order */
    CHECK_EQ(rules_string(d, "//div[@class='share']", &out, &err), 0);
    CHECK_STR(buf_str(&out), "Share");
    buf_reset(&out);
    CHECK_EQ(rules_string(d, "//h2", &out, &err), NA_ENOTFOUND);
    CHECK_EQ(out.len, 0);
    /* appends */
    buf_adds(&out, "x:");
    CHECK_EQ(rules_string(d, "//title", &out, &err), 0);
    CHECK_STR(buf_str(&out), "x:Site - Headline");
    dom_free(d);
    buf_release(&out);
    buf_release(&err);
}

TEST(rules_errors_are_messages_not_stderr)
{
    struct dom *d = parse(page);
    struct buf out = BUF_INIT, err = BUF_INIT;
    char path[4096];
    CHECK(d != NULL);
    if (!d)
        return;
    int saved = stderr_begin(path, sizeof path);
    int r1 = rules_select(d, "//div[@class=", NULL, NULL, &err);
    struct buf e1 = BUF_INIT;
    buf_adds(&e1, buf_str(&err));
    int r2 = rules_string(d, "nosuchfunction(//p)", &out, &err);
    struct buf e2 = BUF_INIT;
    buf_adds(&e2, buf_str(&err));
    int r3 = rules_select(d, "//p[", NULL, NULL, &err);
    long errbytes = stderr_end(saved, path);
    CHECK_EQ(r1, NA_EINVAL);
    CHECK_CONTAINS(buf_str(&e1), "'//div[@class='");
    CHECK_CONTAINS(buf_str(&e1), "offset");
    CHECK_EQ(r2, NA_EINVAL);
    CHECK_CONTAINS(buf_str(&e2), "nosuchfunction");
    CHECK_EQ(r3, NA_EINVAL);
    CHECK_EQ(errbytes, 0);
    dom_free(d);
    buf_release(&out);
    buf_release(&err);
    buf_release(&e1);
    buf_release(&e2);
}

TEST(rules_validate_names_the_bad_expression)
{
    struct rules r;
    struct buf err = BUF_INIT;
    char path[4096];
    rules_init(&r);
    CHECK_EQ(rules_validate(&r, &err), 0);
    CHECK_EQ(rules_validate(NULL, &err), 0);
    r.container = strdup("//div[@id='content']");
    r.drop[0] = strdup("//div[contains(@class,'share')]");
    r.drop[1] = strdup("//div[@class='related'");
    r.ndrop = 2;
    r.title = strdup("//h1");
    r.date = strdup("string(//span[@class='date'])");
    int saved = stderr_begin(path, sizeof path);
    int rc = rules_validate(&r, &err);
    long errbytes = stderr_end(saved, path);
    CHECK_EQ(rc, NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "xpath_drop #2");
    CHECK_CONTAINS(buf_str(&err), "//div[@class='related'");
    CHECK_EQ(errbytes, 0);
    free(r.drop[1]);
    r.drop[1] = strdup("//div[@class='related']");
    buf_reset(&err);
    CHECK_EQ(rules_validate(&r, &err), 0);
    free(r.author);
    r.author = strdup("");
    CHECK_EQ(rules_validate(&r, &err), NA_ECONFIG);
    CHECK_CONTAINS(buf_str(&err), "xpath_author");
    rules_release(&r);
    CHECK(r.container == NULL && r.ndrop == 0);
    rules_release(&r);
    buf_release(&err);
}

TEST(rules_runaway_expression_stops)
{
    struct buf h = BUF_INIT, err = BUF_INIT;
    buf_adds(&h, "<body>");
    for (int i = 0; i < 3000; i++)
        buf_adds(&h, "<div><span>x</span></div>");
    struct dom *d = parse(buf_str(&h));
    CHECK(d != NULL);
    clock_t t0 = clock();
    int rc = d ? rules_select(d, "//*[count(//*[count(//*) > 1]) > 1]", NULL, NULL, &err) : 0;
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK_EQ(rc, NA_EINVAL);
    CHECK(secs < 10);
    dom_free(d);
    buf_release(&h);
    buf_release(&err);
}

static void *thread_main(void *arg)
{
    int *fails = arg;
    for (int i = 0; i < 20; i++) {
        struct dom *d = parse(page);
        struct buf out = BUF_INIT, err = BUF_INIT;
        if (!d || rules_select(d, "//p", NULL, NULL, &err) != 2 || rules_string(d, "//h1", &out, &err) ||
            strcmp(buf_str(&out), "The headline") != 0 || rules_select(d, "//p[", NULL, NULL, &err) != NA_EINVAL)
            (*fails)++;
        dom_free(d);
        buf_release(&out);
        buf_release(&err);
    }
    return NULL;
}

TEST(rules_from_several_threads)
{
    pthread_t t[4];
    int fails[4] = { 0 };
    char path[4096];
    int saved = stderr_begin(path, sizeof path);
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_main, &fails[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    long errbytes = stderr_end(saved, path);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(fails[i], 0);
    CHECK_EQ(errbytes, 0);
}
