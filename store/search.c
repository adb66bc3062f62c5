/* search.c — the query language of search.h turned into an FTS5 expression
 * plus substring filters, run through index_search, with snippets cut for
 * the substring-only case. */
#include "store/search.h"
#include "store/archive.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

enum item_kind { IT_TERM, IT_OR };

struct item {
    enum item_kind kind;
    const char *s;               /* into p->store */
    int title, negate, phrase;
};

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Length of a space at s (ASCII blank or U+3000), 0 if none. */
static size_t space_at(const char *s)
{
    if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        return 1;
    return strncmp(s, "\xE3\x80\x80", 3) == 0 ? 3 : 0;
}

/* An opening quote at s: its length, and the closing quote in *close. */
static size_t quote_at(const char *s, const char **close)
{
    if (*s == '"') {
        *close = "\"";
        return 1;
    }
    if (strncmp(s, "\xE2\x80\x9C", 3) == 0) { /* “ */
        *close = "\xE2\x80\x9D";
        return 3;
    }
    return 0;
}

/* Splits the query into items; strings are copied into st (NUL-separated). */
static int lex(const char *q, struct item *it, size_t *n, char *st, struct buf *err)
{
    size_t k = 0;
    int pending_not = 0;
    while (*q) {
        size_t sp = space_at(q);
        if (sp) {
            q += sp;
            continue;
        }
        struct item x = { IT_TERM, st, 0, pending_not, 0 };
        if (strncmp(q, "title:", 6) == 0 && q[6] && !space_at(q + 6)) {
            x.title = 1;
            q += 6;
        } else if (*q == '-' && q[1] && !space_at(q + 1)) {
            x.negate = 1;
            q++;
        }
        const char *close;
        size_t ql = quote_at(q, &close);
        const char *end;
        if (ql) {
            q += ql;
            end = strstr(q, close);
            if (!end) {
                buf_seterr(err, "unbalanced quote in the query");
                return NA_EINVAL;
            }
            x.phrase = 1;
        } else {
            end = q;
            while (*end && !space_at(end))
                end++;
        }
        size_t len = (size_t)(end - q);
        memcpy(st, q, len);
        st[len] = 0;
        st += len + 1;
        q = end + (ql ? strlen(close) : 0);
        if (!x.phrase && !x.title && !x.negate) {
            if (strcmp(x.s, "AND") == 0)
                continue;
            if (strcmp(x.s, "NOT") == 0) {
                pending_not = 1;
                continue;
            }
            if (strcmp(x.s, "OR") == 0)
                x.kind = IT_OR;
        }
        if (x.kind == IT_TERM && !*x.s)
            continue;
        if (k == SEARCH_MAX_TERMS) {
            buf_seterr(err, "too many terms in the query (at most %d)", SEARCH_MAX_TERMS);
            return NA_EINVAL;
        }
        pending_not = 0;
        it[k++] = x;
    }
    if (pending_not) {
        buf_seterr(err, "NOT needs a term after it");
        return NA_EINVAL;
    }
    *n = k;
    return 0;
}

/* Appends one term as an FTS5 string (quotes doubled), title-filtered. */
static void fts_term(struct buf *b, const struct item *x, int title_only)
{
    if (x->title || title_only)
        buf_adds(b, "title : ");
    buf_addc(b, '"');
    for (const char *s = x->s; *s; s++) {
        if (*s == '"')
            buf_addc(b, '"');
        buf_addc(b, *s);
    }
    buf_addc(b, '"');
}

int search_parse(const char *query, int title_only, struct search_parsed *p, struct buf *err)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->match, 1 << 16);
    size_t qlen = query ? strlen(query) : 0;
    if (qlen > SEARCH_MAX_QUERY) {
        buf_seterr(err, "query too long (at most %d bytes)", SEARCH_MAX_QUERY);
        return NA_EINVAL;
    }
    struct item it[SEARCH_MAX_TERMS];
    size_t n = 0;
    if (!(p->store = na_malloc(qlen * 2 + 2))) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    int rc = lex(query ? query : "", it, &n, p->store, err);
    if (rc)
        return rc;
    int has_or = 0, positive = 0, long_positive = 0;
    for (size_t i = 0; i < n; i++) {
        if (it[i].kind == IT_OR) {
            has_or = 1;
            if (i == 0 || i + 1 == n || it[i - 1].kind == IT_OR || it[i + 1].kind == IT_OR) {
                buf_seterr(err, "OR needs a term on each side");
                return NA_EINVAL;
            }
            continue;
        }
        int is_short = utf8_chars(it[i].s) < 3;
        if (!it[i].negate) {
            positive++;
            long_positive += !is_short;
        }
    }
    if (!positive) {
        buf_seterr(err, "nothing to search for (the query has no term, or only NOT terms)");
        return NA_EINVAL;
    }
    if (has_or) {
        /* passed to FTS5 as written: every term must be indexable */
        for (size_t i = 0; i < n; i++) {
            if (it[i].kind == IT_TERM && utf8_chars(it[i].s) < 3) {
                buf_seterr(err, "'%s' has fewer than 3 characters: such a term cannot be OR-ed (the index finds "
                                "3 characters and more)", it[i].s);
                return NA_EINVAL;
            }
            if (it[i].kind == IT_TERM && it[i].negate) {
                buf_seterr(err, "NOT cannot be combined with OR in one query");
                return NA_EINVAL;
            }
        }
        for (size_t i = 0; i < n; i++) {
            if (it[i].kind == IT_OR)
                buf_adds(&p->match, " OR ");
            else {
                if (i && it[i - 1].kind != IT_OR)
                    buf_adds(&p->match, " AND ");
                fts_term(&p->match, &it[i], title_only);
            }
        }
    } else {
        /* AND of the long positive terms, NOT of the long negative ones
         * (when there is a positive one for them to subtract from); the
         * rest become substring filters */
        int first = 1;
        for (size_t i = 0; i < n; i++) {
            int is_short = utf8_chars(it[i].s) < 3;
            if (!it[i].negate && !is_short) {
                buf_adds(&p->match, first ? "(" : " AND ");
                fts_term(&p->match, &it[i], title_only);
                first = 0;
            }
        }
        if (!first)
            buf_addc(&p->match, ')');
        for (size_t i = 0; i < n; i++) {
            int is_short = utf8_chars(it[i].s) < 3;
            if (it[i].negate && !is_short && long_positive) {
                buf_adds(&p->match, " NOT ");
                fts_term(&p->match, &it[i], title_only);
            } else if (is_short || (it[i].negate && !long_positive)) {
                struct index_term *t = &p->terms[p->nterms++];
                t->s = it[i].s;
                t->title_only = it[i].title || title_only;
                t->negate = it[i].negate;
            }
        }
        p->short_only = !long_positive;
    }
    if (p->match.err) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    return 0;
}

void search_parsed_release(struct search_parsed *p)
{
    buf_release(&p->match);
    free(p->store);
    p->store = NULL;
}

struct run_ctx {
    const struct search_parsed *p;
    int (*cb)(void *, const struct search_hit *);
    void *ud;
    struct buf snip;
    int64_t hits;
};

/* A snippet around the first positive substring term in text: about 40
 * characters before and 80 after, on character boundaries, marked. */
static void cut_snippet(struct buf *out, const char *text, const struct search_parsed *p)
{
    buf_reset(out);
    if (!text)
        return;
    const char *at = NULL, *term = NULL;
    for (size_t i = 0; i < p->nterms && !at; i++)
        if (!p->terms[i].negate && (at = strstr(text, p->terms[i].s)))
            term = p->terms[i].s;
    const char *from = at ? at : text;
    for (int k = 0; k < 40 && from > text; k++)
        do
            from--;
        while (from > text && ((unsigned char)*from & 0xC0) == 0x80);
    const char *to = at ? at + strlen(term) : text;
    for (int k = 0; k < 80 && *to; k++)
        do
            to++;
        while (*to && ((unsigned char)*to & 0xC0) == 0x80);
    if (from > text)
        buf_adds(out, "…");
    if (at) {
        buf_add(out, from, (size_t)(at - from));
        buf_adds(out, SEARCH_MARK_OPEN);
        buf_adds(out, term);
        buf_adds(out, SEARCH_MARK_CLOSE);
        buf_add(out, at + strlen(term), (size_t)(to - at - strlen(term)));
    } else {
        buf_add(out, from, (size_t)(to - from));
    }
    if (*to)
        buf_adds(out, "…");
}

static int hit_cb(void *ud, const struct index_hit *h)
{
    struct run_ctx *x = ud;
    struct search_hit s = { h->id, h->url, h->site, h->title, h->published, h->date_key, h->fetched, h->dup_of,
                            h->score, h->snippet };
    if (!h->snippet) {
        cut_snippet(&x->snip, h->text, x->p);
        s.snippet = x->snip.len ? buf_str(&x->snip) : "";
    }
    x->hits++;
    return x->cb(x->ud, &s);
}

int search_run(struct archive *a, const struct search_opts *o, int (*cb)(void *ud, const struct search_hit *h),
               void *ud, struct search_info *info, struct buf *err)
{
    struct search_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    struct search_parsed p;
    int rc = search_parse(o->query, o->title_only, &p, err);
    if (rc) {
        search_parsed_release(&p);
        return rc;
    }
    struct index_search_q q = { 0 };
    q.match = p.match.len ? buf_str(&p.match) : NULL;
    q.terms = p.terms;
    q.nterms = p.nterms;
    q.site = o->site;
    q.since = o->since;
    q.until = o->until;
    q.limit = o->limit;
    q.scan_max = SEARCH_SHORT_SCAN;
    q.rank_window = SEARCH_RANK_WINDOW;
    q.capped = &info->capped;
    struct run_ctx x = { &p, cb, ud, BUF_INIT, 0 };
    buf_init(&x.snip, 1 << 16);
    struct index *ix = archive_index(a);
    rc = index_search(ix, &q, hit_cb, &x, err);
    info->short_scan = p.short_only;
    info->hits = x.hits;
    if (!rc && !x.hits) {
        int64_t indexed = 0, articles = 0;
        if (index_search_counts(ix, &indexed, &articles, NULL) == 0)
            info->index_empty = indexed == 0 && articles > 0;
    }
    buf_release(&x.snip);
    search_parsed_release(&p);
    return rc;
}

int search_cluster(struct archive *a, int64_t id, int (*cb)(void *ud, const struct index_article *art), void *ud,
                   struct buf *err)
{
    return index_cluster(archive_index(a), id, cb, ud, err);
}
