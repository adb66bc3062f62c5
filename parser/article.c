/* article.c — the extraction pipeline: charset → dom → title (meta.c) →
 * container choice and boilerplate pruning (clean.c) → text (text.c) →
 * date/author/source/category (meta.c). Owns struct article. */
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/dom.h"
#include "parser/meta.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void article_init(struct article *a)
{
    memset(a, 0, sizeof *a);
    buf_init(&a->explain, 1 << 20);
}

void article_release(struct article *a)
{
    if (!a)
        return;
    free(a->url); free(a->title); free(a->published); free(a->published_from);
    free(a->author); free(a->source); free(a->category); free(a->lang);
    free(a->charset); free(a->text);
    buf_release(&a->explain);
    article_init(a);
}

int article_extract(const char *html, size_t n, const struct article_opts *opts,
                    struct article *out, struct buf *err)
{
    struct buf u = BUF_INIT, t = BUF_INIT;
    struct charset_info ci;
    struct dom *d = NULL;
    struct dom_opts dopts;
    memset(&dopts, 0, sizeof dopts);
    dopts.max_input = opts && opts->max_input ? opts->max_input : 0;
    int rc = charset_to_utf8(html, n, opts ? opts->http_charset : NULL, &u, &ci, err);
    if (rc)
        goto done;
    rc = dom_parse(buf_str(&u), u.len, &dopts, &d, err);
    if (rc)
        goto done;
    out->charset = na_strdup(ci.name);
    const char *url = opts ? opts->url : NULL;
    struct dom_node *title = meta_title(d, url, out);
    if (d->body)
        dom_text(d->body, &t);
    out->text = buf_detach(&t, NULL);
    meta_fields(d, url, opts && opts->now ? opts->now : time(NULL), title, d->body, out);
    if (!out->url && url)
        out->url = na_strdup(url);
done:
    dom_free(d);
    buf_release(&u);
    buf_release(&t);
    return rc;
}
