/* jsonld.c — reads schema.org article facts out of JSON-LD with jansson.
 * Blocks are copied with control characters blanked first (many sites put
 * raw newlines inside strings, which strict JSON rejects), parsed, and
 * searched to a bounded depth for Article-like objects. */
#include "parser/jsonld.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define JSONLD_MAX_BYTES (512u << 10)
#define JSONLD_MAX_DEPTH 8

static int is_article_type(const char *t)
{
    static const char *const types[] = {
        "Article", "NewsArticle", "BlogPosting", "ReportageNews", "AnalysisNewsArticle",
        "OpinionNewsArticle", "ReviewNewsArticle", "BackgroundNewsArticle", "AskPublicNewsArticle",
        "TechArticle", "ScholarlyArticle", "Report", "LiveBlogPosting", "SocialMediaPosting",
        "DiscussionForumPosting", "SatiricalArticle", "AdvertiserContentArticle", NULL };
    if (!t)
        return 0;
    const char *c = strrchr(t, '/'); /* "http://schema.org/NewsArticle" */
    if (c)
        t = c + 1;
    for (int i = 0; types[i]; i++)
        if (strcmp(t, types[i]) == 0)
            return 1;
    return 0;
}

static int type_is_article(json_t *o)
{
    json_t *t = json_object_get(o, "@type");
    if (json_is_string(t))
        return is_article_type(json_string_value(t));
    if (json_is_array(t)) {
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v) if (json_is_string(v) && is_article_type(json_string_value(v))) return 1;
    }
    return 0;
}

/* NA_ENOMEM is kept in *e (sticky): the walk goes on, the caller fails. */
static void set_str(char **dst, json_t *v, int *e)
{
    if (*dst || !json_is_string(v))
        return;
    const char *s = json_string_value(v);
    if (s && *s && !(*dst = na_strdup(s)))
        *e = NA_ENOMEM;
}

/* A person or organisation: a string, {"name": …}, or an array of those. */
static void add_names(struct buf *b, json_t *v, int depth)
{
    if (depth > 3 || b->len > 400)
        return;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (s && *s && strncmp(s, "http", 4) != 0) {
            if (b->len)
                buf_adds(b, ", ");
            buf_adds(b, s);
        }
    } else if (json_is_object(v)) {
        add_names(b, json_object_get(v, "name"), depth + 1);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) add_names(b, x, depth + 1);
    }
}

static void take(struct jsonld_info *out, json_t *o, int *e)
{
    set_str(&out->headline, json_object_get(o, "headline"), e);
    if (!out->headline && json_object_get(o, "@type") && type_is_article(o))
        set_str(&out->headline, json_object_get(o, "name"), e);
    set_str(&out->date_published, json_object_get(o, "datePublished"), e);
    set_str(&out->date_created, json_object_get(o, "dateCreated"), e);
    set_str(&out->date_modified, json_object_get(o, "dateModified"), e);
    set_str(&out->lang, json_object_get(o, "inLanguage"), e);
    set_str(&out->url, json_object_get(o, "url"), e);
    json_t *me = json_object_get(o, "mainEntityOfPage");
    if (json_is_object(me))
        set_str(&out->url, json_object_get(me, "@id"), e);
    else
        set_str(&out->url, me, e);
    json_t *sec = json_object_get(o, "articleSection");
    if (json_is_array(sec))
        sec = json_array_get(sec, 0);
    set_str(&out->section, sec, e);
    if (!out->author) {
        struct buf b = BUF_INIT;
        buf_init(&b, 1024);
        add_names(&b, json_object_get(o, "author"), 0);
        if (b.err == NA_ENOMEM)
            *e = NA_ENOMEM; /* the 1 KB cap (NA_ETOOBIG) drops the names, as documented */
        else if (!b.err && b.len && !(out->author = buf_detach(&b, NULL)))
            *e = NA_ENOMEM;
        buf_release(&b);
    }
}

/* pass 0: article-typed objects only; pass 1: anything with the fields. */
static void visit(struct jsonld_info *out, json_t *v, int depth, int pass, int *e)
{
    if (depth > JSONLD_MAX_DEPTH)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) visit(out, x, depth + 1, pass, e);
    } else if (json_is_object(v)) {
        if (pass == 0 ? type_is_article(v)
                      : json_object_get(v, "headline") || json_object_get(v, "datePublished"))
            take(out, v, e);
        json_t *g = json_object_get(v, "@graph");
        if (g)
            visit(out, g, depth + 1, pass, e);
        json_t *m = json_object_get(v, "mainEntity");
        if (m)
            visit(out, m, depth + 1, pass, e);
    }
}

/* The last bodies read with this memo and what they gave: meta_title()
 * and meta_fields() read the same page's blocks one after the other, and
 * comparing the bodies costs little next to parsing them. Fixed size:
 * bodies over JSONLD_MEMO_IN bytes in all, or results over
 * JSONLD_MEMO_OUT, are not kept. The result is a function of the bodies'
 * bytes alone, so a hit gives exactly what a parse would. */
#define JSONLD_MEMO_IN (32u << 10)
#define JSONLD_MEMO_OUT (4u << 10)
#define JSONLD_NFIELDS 8

struct jsonld_memo {
    int valid;
    size_t n;                       /* bodies */
    size_t inlen;
    char in[JSONLD_MEMO_IN];        /* per body: 0 (NULL) or 1, then its bytes and NUL */
    int off[JSONLD_NFIELDS];        /* offset of each field in out, -1 when NULL */
    char out[JSONLD_MEMO_OUT];
};

struct jsonld_memo *jsonld_memo_new(void) { return na_calloc(1, sizeof(struct jsonld_memo)); }

void jsonld_memo_free(struct jsonld_memo *m) { free(m); }

static char **field(struct jsonld_info *info, int i)
{
    char **f[JSONLD_NFIELDS] = { &info->headline, &info->date_published, &info->date_created,
                                 &info->date_modified, &info->author, &info->section, &info->lang,
                                 &info->url };
    return f[i];
}

/* 1 when the memo holds these bodies. */
static int memo_match(const struct jsonld_memo *m, const char *const *bodies, size_t n)
{
    if (!m || !m->valid || m->n != n)
        return 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (at >= m->inlen || m->in[at] != (bodies[i] ? 1 : 0))
            return 0;
        at++;
        if (!bodies[i])
            continue;
        size_t l = strlen(bodies[i]) + 1;
        if (l > m->inlen - at || memcmp(m->in + at, bodies[i], l) != 0)
            return 0;
        at += l;
    }
    return at == m->inlen;
}

static void memo_store(struct jsonld_memo *m, const char *const *bodies, size_t n, struct jsonld_info *info)
{
    if (!m)
        return;
    m->valid = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = bodies[i] ? strlen(bodies[i]) + 1 : 0;
        if (1 + l > JSONLD_MEMO_IN - at)
            return;
        m->in[at++] = bodies[i] ? 1 : 0;
        if (l)
            memcpy(m->in + at, bodies[i], l);
        at += l;
    }
    size_t o = 0;
    for (int i = 0; i < JSONLD_NFIELDS; i++) {
        const char *v = *field(info, i);
        m->off[i] = -1;
        if (!v)
            continue;
        size_t l = strlen(v) + 1;
        if (l > JSONLD_MEMO_OUT - o)
            return;
        memcpy(m->out + o, v, l);
        m->off[i] = (int)o;
        o += l;
    }
    m->n = n;
    m->inlen = at;
    m->valid = 1;
}

static int jsonld_parse(const char *const *bodies, size_t n, struct jsonld_info *out);

int jsonld_read(struct jsonld_memo *m, const char *const *bodies, size_t n, struct jsonld_info *out)
{
    memset(out, 0, sizeof *out);
    if (!bodies)
        return 0;
    if (memo_match(m, bodies, n)) {
        for (int i = 0; i < JSONLD_NFIELDS; i++)
            if (m->off[i] >= 0 && !(*field(out, i) = na_strdup(m->out + m->off[i]))) {
                jsonld_release(out);
                return NA_ENOMEM;
            }
        return 0;
    }
    int rc = jsonld_parse(bodies, n, out);
    if (rc) {
        jsonld_release(out);
        return rc;
    }
    memo_store(m, bodies, n, out);
    return 0;
}

static int jsonld_parse(const char *const *bodies, size_t n, struct jsonld_info *out)
{
    json_t *docs[16];
    size_t nd = 0;
    int e = 0;
    for (size_t i = 0; i < n && nd < 16 && !e; i++) {
        const char *s = bodies[i];
        if (!s)
            continue;
        size_t l = strlen(s);
        if (!l || l > JSONLD_MAX_BYTES)
            continue;
        char *c = na_malloc(l + 1);
        if (!c) {
            e = NA_ENOMEM;
            break;
        }
        for (size_t k = 0; k < l; k++)
            c[k] = (unsigned char)s[k] < 0x20 ? ' ' : s[k];
        c[l] = 0;
        json_error_t err;
        json_t *j = json_loadb(c, l, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &err);
        free(c);
        if (j)
            docs[nd++] = j;
        else if (json_error_code(&err) == json_error_out_of_memory)
            e = NA_ENOMEM; /* jansson's own malloc failed: not a malformed block */
    }
    for (int pass = 0; pass < 2 && !e; pass++)
        for (size_t i = 0; i < nd; i++)
            visit(out, docs[i], 0, pass, &e);
    for (size_t i = 0; i < nd; i++)
        json_decref(docs[i]);
    return e;
}

void jsonld_release(struct jsonld_info *info)
{
    if (!info)
        return;
    free(info->headline);
    free(info->date_published);
    free(info->date_created);
    free(info->date_modified);
    free(info->author);
    free(info->section);
    free(info->lang);
    free(info->url);
    memset(info, 0, sizeof *info);
}
