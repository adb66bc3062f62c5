/* fuzz_extract.c — libFuzzer target for the extractor: article_extract with a
 * fixed clock and URL (for half the inputs with the article's image URLs,
 * each absolute http(s)), then charset_to_utf8 under a label picked from the
 * input, dom_parse of its output, and the XPath rules on that tree. Traps
 * when an invariant breaks (invalid UTF-8 out, a dom deeper than
 * DOM_MAX_DEPTH). `make fuzz` runs it; the seed corpus
 * (tests/fuzz/seeds-fuzz_extract/) is replayed by tests/unit/test_badinput.c. */
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/dom.h"
#include "parser/rules.h"
#include "util/buf.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_NOW 1700000000 /* 2023-11-14T22:13:20Z */

static void check_utf8(const char *s)
{
    if (s && !charset_valid_utf8(s, strlen(s)))
        __builtin_trap();
}

static void count_match(struct dom_node *n, void *ud)
{
    (void)n;
    (*(int *)ud)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const labels[] = { NULL, "utf-8", "gbk", "gb2312", "big5", "iso-8859-1",
                                          "shift_jis", "utf-16le", "x-no-such-charset" };
    const char *html = (const char *)data;

    struct article_opts o;
    struct article a;
    memset(&o, 0, sizeof o);
    o.now = FUZZ_NOW;
    o.url = "http://news.example.cn/2023-02/03/c_1129.htm";
    o.explain = size & 1;
    o.max_images = size & 2 ? 50 : 0; /* parser/images.c: every one an absolute http(s) URL */
    article_init(&a);
    if (article_extract(html, size, &o, &a, NULL) == 0) {
        if (!a.text)
            __builtin_trap();
        check_utf8(a.text);
        check_utf8(a.title);
        check_utf8(a.published);
        check_utf8(a.author);
        check_utf8(a.source);
        check_utf8(a.category);
        check_utf8(a.url);
        if (a.nimages > 50 || (a.nimages && !a.images))
            __builtin_trap();
        for (size_t i = 0; i < a.nimages; i++)
            if (!a.images[i] || (strncmp(a.images[i], "http://", 7) && strncmp(a.images[i], "https://", 8)))
                __builtin_trap();
    }
    article_release(&a);

    struct buf u = BUF_INIT;
    struct charset_info ci;
    const char *label = labels[size ? data[size - 1] % (sizeof labels / sizeof labels[0]) : 0];
    if (charset_to_utf8(html, size, label, &u, &ci, NULL) == 0) {
        if (!charset_valid_utf8(buf_str(&u), u.len))
            __builtin_trap();
        struct dom *d = NULL;
        if (dom_parse(buf_str(&u), u.len, NULL, &d, NULL) == 0) {
            for (struct dom_node *n = d->root; n; n = dom_next(n, d->root))
                if (n->depth > DOM_MAX_DEPTH)
                    __builtin_trap();
            int count = 0;
            struct buf s = BUF_INIT;
            rules_select(d, "//div[@class or @id]//p | //article", count_match, &count, NULL);
            rules_string(d, "//h1 | //title", &s, NULL);
            check_utf8(buf_str(&s));
            buf_release(&s);
        }
        dom_free(d);
    }
    buf_release(&u);
    return 0;
}
