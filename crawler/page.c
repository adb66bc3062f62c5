/* page.c — page_extract (page.h): HTTP response to article, the one way. */
#include "crawler/page.h"
#include "crawler/sites.h"
#include "parser/article.h"
#include "util/err.h"
#include "util/http.h"

#include <stdio.h>
#include <string.h>

int page_binary_type(const char *mt)
{
    if (!*mt || strncmp(mt, "text/", 5) == 0)
        return 0;
    return !(strstr(mt, "html") || strstr(mt, "xml"));
}

void page_charset_label(const struct site *s, const char *ct, char *out, size_t cap)
{
    if (!cap)
        return;
    if (s && s->charset) {
        snprintf(out, cap, "%s", s->charset);
        return;
    }
    http_charset_param(ct, out, cap);
}

static double now_cpu(const struct page_opts *o) { return o->clock ? o->clock() : 0; }

int page_extract(const struct page_opts *o, const char *head, size_t head_len, const char *body,
                 size_t body_len, struct article *out, struct page_result *res, struct buf *err)
{
    struct buf ct = BUF_INIT, dec = BUF_INIT, *b = o->body ? o->body : &dec;
    memset(res, 0, sizeof *res);
    int rc = head ? http_head_field(head, head_len, "Content-Type", &ct) : 0;
    if (rc < 0) {
        buf_seterr(err, "out of memory");
        goto done;
    }
    const char *ctv = rc == 1 ? buf_str(&ct) : NULL;
    http_media_type(ctv, res->media_type, sizeof res->media_type);
    if (page_binary_type(res->media_type)) {
        res->stop = PAGE_BINARY_TYPE;
        buf_seterr(err, "content type '%s' is not a page", res->media_type);
        rc = NA_EUNSUPPORTED;
        goto done;
    }
    double t0 = now_cpu(o);
    size_t start = b->len;
    rc = http_decode_response(head, head_len, body, body_len, o->max_body, b, err);
    res->cpu_decode = now_cpu(o) - t0;
    if (rc) {
        res->stop = PAGE_UNDECODABLE;
        goto done;
    }
    const char *html = b->data ? b->data + start : "";
    size_t n = b->len - start, probe = n < 1024 ? n : 1024;
    if (head && !res->media_type[0] && memchr(html, 0, probe)) {
        res->stop = PAGE_BINARY_BODY;
        buf_seterr(err, "binary body without a content type");
        rc = NA_EUNSUPPORTED;
        goto done;
    }
    if (o->charset)
        snprintf(res->label, sizeof res->label, "%s", o->charset);
    else
        page_charset_label(o->site, ctv, res->label, sizeof res->label);
    struct article_opts ao;
    memset(&ao, 0, sizeof ao);
    ao.url = o->url;
    ao.http_charset = res->label[0] ? res->label : NULL;
    ao.now = o->now;
    ao.rules = o->site ? &o->site->rules : NULL;
    ao.explain = o->explain;
    ao.max_images = o->max_images;
    t0 = now_cpu(o);
    rc = article_extract(html, n, &ao, out, err);
    res->cpu_parse = now_cpu(o) - t0;
    if (rc)
        res->stop = PAGE_NOT_EXTRACTED;
done:
    buf_release(&ct);
    buf_release(&dec);
    return rc;
}
