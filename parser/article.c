/* article.c — placeholder pipeline (owner replaces): charset → dom → all
 * body text. */
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
    int rc = charset_to_utf8(html, n, opts ? opts->http_charset : NULL, &u, &ci, err);
    if (rc)
        goto done;
    rc = dom_parse(buf_str(&u), u.len, NULL, &d, err);
    if (rc)
        goto done;
    out->charset = na_strdup(ci.name);
    if (d->body)
        dom_text(d->body, &t);
    out->text = buf_detach(&t, NULL);
done:
    dom_free(d);
    buf_release(&u);
    buf_release(&t);
    return rc;
}
