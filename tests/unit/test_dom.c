/* test_dom.c — the Gumbo wrapper: tree shape, script/style blanking, JSON-LD
 * kept aside, depth cap on 100,000-deep nesting, truncation at max_input. */
#include "tests/check.h"
#include "parser/dom.h"
#include "util/err.h"

#include <stdlib.h>

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
