/* article.c — the extraction pipeline: charset → dom → headline (meta.c) →
 * container choice and boilerplate pruning (clean.c) → lines of text
 * (text.c) → line filters (clean.c) → date/author/source/category (meta.c).
 * Owns struct article; everything per page is freed before returning. */
#include "parser/article.h"
#include "parser/charset.h"
#include "parser/clean.h"
#include "parser/dom.h"
#include "parser/meta.h"
#include "parser/rules.h"
#include "parser/text.h"
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

/* String value of a site rule's XPath, or NULL (no rule, no match, or an
 * expression that fails: the generic result stands, --explain says why).
 * NA_ENOMEM is returned through *rc. */
static char *rule_value(struct dom *d, const char *key, const char *xpath, struct article *out, int explain,
                        int *rc)
{
    if (!xpath || !*xpath)
        return NULL;
    struct buf v = BUF_INIT, e = BUF_INIT;
    int r = rules_string(d, xpath, &v, &e);
    char *s = NULL;
    if (r == 0)
        s = buf_detach(&v, NULL);
    if (r == NA_ENOMEM || (r == 0 && !s))
        *rc = NA_ENOMEM;
    if (explain) {
        if (r == 0 && s)
            buf_printf(&out->explain, "rule %s '%s': '%s'\n", key, xpath, s);
        else
            buf_printf(&out->explain, "rule %s '%s' not used: %s\n", key, xpath, buf_str(&e));
    }
    buf_release(&v);
    buf_release(&e);
    return s;
}

/* Site rules for date and author override what meta.c found (the title
 * rule is applied before pruning). The values were read from the tree as
 * parsed; both strings are taken over. */
static void apply_meta_rules(char *date, char *author, time_t now, struct article *out, int explain)
{
    if (author) {
        free(out->author);
        out->author = author;
    }
    if (date) {
        char iso[64];
        if (meta_parse_date(date, now, iso, sizeof iso) > 0) {
            char *p = na_strdup(iso), *f = na_strdup("rule");
            if (p && f) {
                free(out->published);
                free(out->published_from);
                out->published = p;
                out->published_from = f;
            } else {
                free(p);
                free(f);
            }
        } else if (explain) {
            buf_printf(&out->explain, "rule date: no date in '%s'\n", date);
        }
        free(date);
    }
}

int article_extract(const char *html, size_t n, const struct article_opts *opts,
                    struct article *out, struct buf *err)
{
    struct buf u = BUF_INIT, t = BUF_INIT;
    struct charset_info ci;
    struct dom *d = NULL;
    struct dom_opts dopts;
    struct text_lines lines;
    struct dom_node *container = NULL;
    char *r_title = NULL, *r_date = NULL, *r_author = NULL;
    text_lines_init(&lines);
    memset(&dopts, 0, sizeof dopts);
    size_t max_input = opts && opts->max_input ? opts->max_input : DOM_DEFAULT_MAX_INPUT;
    dopts.max_input = max_input;
    if (n > max_input)
        n = max_input;
    const char *url = opts ? opts->url : NULL;
    time_t now = opts && opts->now ? opts->now : time(NULL);
    int explain = opts && opts->explain;

    buf_init(&u, max_input * 3 + 64); /* UTF-8 of a legacy encoding is at most 3x */
    int rc = charset_to_utf8(html, n, opts ? opts->http_charset : NULL, &u, &ci, err);
    if (rc)
        goto done;
    out->charset = na_strdup(ci.name);
    if (explain)
        buf_printf(&out->explain, "charset %s (from %s, %zu invalid bytes)\n", ci.name, ci.source, ci.invalid);
    rc = dom_parse(buf_str(&u), u.len, &dopts, &d, err);
    if (rc)
        goto done;

    struct dom_node *title = meta_title(d, url, out);
    const struct rules *rules = opts ? opts->rules : NULL;
    if (rules) {
        r_title = rule_value(d, "title", rules->title, out, explain, &rc);
        r_date = rule_value(d, "date", rules->date, out, explain, &rc);
        r_author = rule_value(d, "author", rules->author, out, explain, &rc);
        if (rc) {
            buf_seterr(err, "out of memory");
            goto done;
        }
        if (r_title) { /* the headline text the pruning compares lines with */
            free(out->title);
            out->title = r_title;
            r_title = NULL;
        }
    }
    struct clean_opts co;
    memset(&co, 0, sizeof co);
    co.title = title;
    co.title_text = out->title;
    co.rules = opts ? opts->rules : NULL;
    co.explain = explain ? &out->explain : NULL;
    rc = clean_container(d, &co, &container, err);
    if (rc)
        goto done;
    if (container) {
        rc = text_render(container, CLEAN_SKIP, &lines);
        if (rc) {
            buf_seterr(err, "cannot render the article text: %s", na_strerror(rc));
            goto done;
        }
        clean_lines(&lines, container, &co);
        rc = text_join(&lines, &t);
        if (rc) {
            buf_seterr(err, "cannot render the article text: %s", na_strerror(rc));
            goto done;
        }
    }
    out->text = buf_detach(&t, NULL);
    if (!out->text) {
        rc = NA_ENOMEM;
        buf_seterr(err, "out of memory");
        goto done;
    }
    meta_fields(d, url, now, title, container, out);
    apply_meta_rules(r_date, r_author, now, out, explain);
    r_date = r_author = NULL;
    if (!out->url && url)
        out->url = na_strdup(url);
done:
    free(r_title);
    free(r_date);
    free(r_author);
    text_lines_release(&lines);
    dom_free(d);
    buf_release(&u);
    buf_release(&t);
    return rc;
}
