/* test_dom.c — the Gumbo wrapper: tree shape, script/style blanking, JSON-LD
 * kept aside, depth cap on 100,000-deep nesting, truncation at max_input. */
#include "tests/check.h"
#include "parser/dom.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

TEST(dom_basic_tree)
{
    const char *html = "<html><head><title>T</title><script>var x='<p>no</p>';</script>"
                       "<script type=\"application/ld+json\">{\"a\":1}</script>"
                       "<style>p{}</style></head><body><div id=main class=\"c d\"><p>Hello <b>world</b></p>"
                       "<!-- <p>comment</p> --><svg><text>svg</text></svg><Foo-Bar>x</Foo-Bar></div></body></html>";
    struct dom *d = NULL;
    struct buf err = BUF_INIT, t = BUF_INIT;
    CHECK_EQ(dom_parse(html, strlen(html), NULL, &d, &err), 0);
    CHECK(d && d->body && d->head);
    if (!d || !d->body) {
        buf_release(&err);
        return;
    }
    struct dom_node *div = d->body->first;
    CHECK(div && div->tag == DOM_TAG_DIV);
    CHECK_STR(dom_attr(div, "id"), "main");
    CHECK_STR(dom_attr(div, "class"), "c d");
    dom_text(d->body, &t);
    CHECK_STR(buf_str(&t), "Hello worldx");
    CHECK_EQ(d->njsonld, 1);
    if (d->njsonld)
        CHECK_STR(d->jsonld[0], "{\"a\":1}");
    CHECK_STR(div->last->name, "foo-bar");
    CHECK_STR(dom_tag_name(DOM_TAG_BLOCKQUOTE), "blockquote");
    dom_free(d);
    buf_release(&err);
    buf_release(&t);
}

/* A start tag the pre-pass rewrites (an attribute it drops, such as
 * onclick or sizes) keeps every other attribute's value as the HTML
 * tokenizer reads the original: a '/' ending an unquoted value stays in it,
 * and a self-closing '/' after an unquoted value does not join it. */
TEST(dom_rewritten_tag_keeps_unquoted_values)
{
    const char *html = "<body><p><a href=http://x.com/path/ onclick=f/>one</a>"
                       "<img src=a.jpg sizes=b.jpg /><img src=c.jpg sizes=d.jpg/>"
                       "<a id=q onclick=g href=\"/h\"/>two</a></p></body>";
    for (int ph = 0; ph < 2; ph++) {
        struct dom_opts o;
        memset(&o, 0, sizeof o);
        o.no_placeholders = ph;
        struct dom *d = NULL;
        struct buf err = BUF_INIT;
        CHECK_EQ(dom_parse(html, strlen(html), &o, &d, &err), 0);
        struct dom_node *p = d && d->body ? d->body->first : NULL;
        CHECK(p && p->tag == DOM_TAG_P);
        const char *want[][2] = { { "href", "http://x.com/path/" }, { "src", "a.jpg" }, { "src", "c.jpg" },
                                  { "href", "/h" } };
        int i = 0;
        for (struct dom_node *k = p ? p->first : NULL; k && i < 4; k = k->next) {
            if (k->type != DOM_ELEMENT)
                continue;
            CHECK_STR(dom_attr(k, want[i][0]), want[i][1]);
            CHECK(!dom_attr(k, "onclick") && !dom_attr(k, "sizes"));
            i++;
        }
        CHECK_EQ(i, 4);
        dom_free(d);
        buf_release(&err);
    }
}

TEST(dom_deep_nesting_is_capped)
{
    size_t depth = 100000;
    char *html = malloc(depth * 11 + 64);
    size_t n = 0;
    for (size_t i = 0; i < depth; i++)
        n += (size_t)sprintf(html + n, "<div>");
    n += (size_t)sprintf(html + n, "deep");
    struct dom *d = NULL;
    struct buf err = BUF_INIT, t = BUF_INIT;
    CHECK_EQ(dom_parse(html, n, NULL, &d, &err), 0);
    if (d) {
        size_t maxd = 0;
        for (struct dom_node *x = d->root; x; x = dom_next(x, d->root))
            if (x->depth > maxd)
                maxd = x->depth;
        CHECK(maxd <= DOM_MAX_DEPTH);
        dom_text(d->root, &t);
        CHECK_STR(buf_str(&t), "deep");
    }
    dom_free(d);
    free(html);
    buf_release(&err);
    buf_release(&t);
}

TEST(dom_truncates_at_max_input)
{
    struct dom_opts o = { .max_input = 20 };
    const char *html = "<p>0123456789</p><p>abcdefghij</p>";
    struct dom *d = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(dom_parse(html, strlen(html), &o, &d, &err), 0);
    CHECK(d && d->truncated);
    dom_free(d);
    buf_release(&err);
}

static struct dom *parse_str(const char *html)
{
    struct dom *d = NULL;
    struct buf err = BUF_INIT;
    int rc = dom_parse(html, strlen(html), NULL, &d, &err);
    if (rc)
        fprintf(stderr, "dom_parse: %d %s\n", rc, buf_str(&err));
    buf_release(&err);
    return d;
}

/* Number of elements named `name` below n. */
static size_t count_tag(const struct dom_node *n, const char *name)
{
    size_t c = 0;
    for (const struct dom_node *x = n; x; x = dom_next(x, n))
        if (x->type == DOM_ELEMENT && strcmp(x->name, name) == 0)
            c++;
    return c;
}

static size_t max_depth(const struct dom *d)
{
    size_t m = 0;
    for (const struct dom_node *x = d->root; x; x = dom_next(x, d->root))
        if (x->depth > m)
            m = x->depth;
    return m;
}

TEST(dom_unclosed_formatting_stays_in_its_block)
{
    /* Gumbo would reopen the <b>/<a> in every later paragraph; the pre-pass
     * closes them where their block ends. */
    struct dom *d = parse_str("<h2><a name=x>Title</h2><p><b id=1>one</p><p>two</p><p>three</p>");
    CHECK(d && d->body);
    if (!d || !d->body)
        return;
    CHECK_EQ(count_tag(d->body, "b"), 1);
    CHECK_EQ(count_tag(d->body, "a"), 1);
    CHECK_EQ(count_tag(d->body, "p"), 3);
    struct buf t = BUF_INIT;
    dom_text(d->body, &t);
    CHECK_STR(buf_str(&t), "Titleonetwothree");
    buf_release(&t);
    dom_free(d);
}

TEST(dom_prepass_tokenizes_like_html)
{
    struct dom *d = parse_str("<div title=\"a>b\" data-x='<p>'>x</div><!-->y<!--->z<!-- a --!>w"
                              "<textarea><b>t</b></textarea><title>T<i>i</i></title>"
                              "<body class=one><body class=two><p>q</p>");
    CHECK(d && d->body);
    if (!d || !d->body)
        return;
    struct dom_node *div = d->body->first;
    CHECK(div && div->tag == DOM_TAG_DIV);
    if (div) {
        CHECK_STR(dom_attr(div, "title"), "a>b");
        CHECK_STR(dom_attr(div, "data-x"), "<p>");
    }
    struct buf t = BUF_INIT;
    dom_text(d->root, &t);
    CHECK_STR(buf_str(&t), "xyzw<b>t</b>T<i>i</i>q");
    CHECK_STR(dom_attr(d->body, "class"), "one");
    CHECK_EQ(count_tag(d->root, "b"), 0);
    buf_release(&t);
    dom_free(d);
}

TEST(dom_attribute_count_is_capped)
{
    struct buf h = BUF_INIT;
    buf_adds(&h, "<div");
    for (int i = 0; i < 5000; i++)
        buf_printf(&h, " a%d=\"%d\"", i, i);
    buf_adds(&h, " id=late>text</div>");
    struct dom *d = parse_str(buf_str(&h));
    CHECK(d && d->body && d->body->first);
    if (d && d->body && d->body->first) {
        CHECK(d->body->first->nattrs <= 64);
        CHECK_STR(dom_attr(d->body->first, "a0"), "0");
        struct buf t = BUF_INIT;
        dom_text(d->body, &t);
        CHECK_STR(buf_str(&t), "text");
        buf_release(&t);
    }
    dom_free(d);
    buf_release(&h);
}

/* Pathological nesting: each input is 50,000 repetitions of a unit; the
 * tree must stay shallow and linear in size (Gumbo alone goes quadratic in
 * time or memory on most of these). DOM_TEST_TIMES=1 prints the times. */
TEST(dom_pathological_nesting)
{
    static const char *const units[] = {
        "<b>x", "<b id=%d>x", "<a href=%d>x", "<table>", "<table><tr><td>x", "<p><b id=%d>x</p>",
        "<b><div></b>x", "<div/>", "<ul><li>x", "<font color=c%d>x", "<a href=%d><div><a href=y>x",
        "<form><div></form>", "<nobr><div><nobr>x", "<span><p>x", "<body a%d=1>",
    };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        struct buf h = BUF_INIT;
        for (int i = 0; i < 50000; i++)
            buf_printf(&h, units[u], i);
        clock_t t0 = clock();
        struct dom *d = parse_str(buf_str(&h));
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        CHECK(d != NULL);
        if (d) {
            CHECK(max_depth(d) <= DOM_MAX_DEPTH);
            CHECK(d->nnodes <= 150005);
            if (d->body && d->body->nattrs > 64)
                fprintf(stderr, "unit '%s': body has %u attributes\n", units[u], d->body->nattrs);
            CHECK(!d->body || d->body->nattrs <= 64);
        }
        if (getenv("DOM_TEST_TIMES"))
            fprintf(stderr, "%-28s %.3f s, %zu nodes\n", units[u], secs, d ? d->nnodes : 0);
        if (secs > 5) {
            fprintf(stderr, "unit '%s': %.2f s\n", units[u], secs);
            CHECK(secs <= 5);
        }
        dom_free(d);
        buf_release(&h);
    }
}

TEST(dom_plaintext_and_unterminated)
{
    struct dom *d = parse_str("<p>a<plaintext><b>b</b>");
    struct buf t = BUF_INIT;
    CHECK(d != NULL);
    if (d) {
        dom_text(d->root, &t);
        CHECK_STR(buf_str(&t), "a<b>b</b>");
    }
    dom_free(d);
    const char *cut[] = { "<div class=\"x", "<p>text<!-- open", "<script>var a", "<", "</", "<a href='",
                          "<svg><text>" };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        d = parse_str(cut[i]);
        CHECK(d != NULL);
        dom_free(d);
    }
    buf_release(&t);
}

TEST(dom_tag_count_is_capped)
{
    /* 205,000 elements (and stray end tags that make elements): Gumbo gets
     * the first 200,000 start tags, the rest is text; the dom says so. */
    static const char *const units[] = { "<i>x</i>", "</p>", "<br>", "<title>t</title>", "<script></script>",
                                         "<!x>" };
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        struct buf h = BUF_INIT;
        buf_adds(&h, "<body>x");
        for (int i = 0; i < 205000; i++)
            buf_adds(&h, units[u]);
        buf_adds(&h, "<p>last");
        struct dom *d = parse_str(buf_str(&h));
        CHECK(d != NULL);
        if (d) {
            CHECK(d->nnodes <= 400010);
            CHECK(u == 5 ? !d->truncated && d->nnodes < 10 : d->truncated);
            struct buf t = BUF_INIT;
            dom_text(d->root, &t);
            CHECK(t.len >= 5 && memcmp(t.data + t.len - 4, "last", 4) == 0);
            buf_release(&t);
        }
        dom_free(d);
        buf_release(&h);
    }
}

TEST(dom_whitespace_runs_collapse_outside_pre)
{
    struct dom *d = parse_str("<body><p>a  \t b\n\n   c</p><pre>x\n\n  y</pre><p>d    e</p>"
                              "<textarea>t  \n  u</textarea><listing>l   m</listing>");
    CHECK(d && d->body);
    if (!d || !d->body)
        return;
    struct buf t = BUF_INIT;
    dom_text(d->body, &t);
    CHECK_STR(buf_str(&t), "a b\ncx\n\n  yd et  \n  ul   m");
    buf_release(&t);
    dom_free(d);
}

TEST(dom_unread_attributes_and_links_are_left_out)
{
    struct dom *d = parse_str("<head><link rel=stylesheet href=a.css><link rel=\"shortcut icon\" href=i>"
                              "<link rel=canonical href=\"http://x/a\"><link rel=next href=p2></head>"
                              "<body onload=init() class=b><img src=a.jpg srcset=\"a 1x, b 2x\" sizes=100vw onload=\"f()\" alt=x>"
                              "<a href=/ onclick='go()' class=c>t</a></body>");
    CHECK(d && d->head && d->body);
    if (!d || !d->head || !d->body)
        return;
    CHECK_EQ(count_tag(d->head, "link"), 2);
    struct dom_node *img = d->body->first, *a = img ? img->next : NULL;
    CHECK(img && img->tag == DOM_TAG_IMG && a && a->tag == DOM_TAG_A);
    if (img && a) {
        CHECK_STR(dom_attr(img, "src"), "a.jpg");
        CHECK_STR(dom_attr(img, "alt"), "x");
        CHECK_STR(dom_attr(img, "srcset"), "a 1x, b 2x"); /* parser/images.c reads it */
        CHECK(!dom_attr(img, "sizes") && !dom_attr(img, "onload"));
        CHECK_STR(dom_attr(a, "class"), "c");
        CHECK(!dom_attr(a, "onclick"));
    }
    CHECK_STR(dom_attr(d->body, "class"), "b");
    CHECK(!dom_attr(d->body, "onload"));
    dom_free(d);
}

TEST(dom_keeps_script_dates_aside)
{
    struct dom *d = parse_str("<head><script>var ct = \"1581517074\"; var x = 1;</script>"
                              "<script type=\"application/ld+json\">{\"datePublished\":\"2020-01-01\"}</script>"
                              "</head><body><p>t</p><script>window.publish_time = '2020-02-12 22:17';</script></body>");
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK_EQ(d->njsonld, 1);
    CHECK_EQ(d->nscript_dates, 2);
    if (d->nscript_dates == 2) {
        CHECK_STR(d->script_dates[0], "ct=1581517074");
        CHECK_STR(d->script_dates[1], "publish_time=2020-02-12 22:17");
    }
    dom_free(d);
}
