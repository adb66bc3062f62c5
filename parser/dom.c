/* dom.c — the one file that sees Gumbo (0.10.1, Debian's). It caps the input,
 * blanks script/style/svg bodies and comments before Gumbo sees them (they are
 * half the bytes of a typical page and none of its text; JSON-LD bodies are
 * kept aside), parses with a bump-pointer arena as Gumbo's allocator so the
 * whole parse is freed at once (Gumbo's own destroy recurses, which deep input
 * would turn into a stack overflow), and converts the tree iteratively into
 * struct dom_node with a capped depth. */
#include "parser/dom.h"
#include "util/err.h"
#include "util/mem.h"

#include <gumbo.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- arena ---- */

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct arena {
    struct arena_chunk *head;
    size_t total, limit;
    int failed;
};

static void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > (64u << 10) ? n : (64u << 10);
        if (a->total + cap > a->limit) {
            a->failed = 1;
            return NULL;
        }
        c = na_malloc(sizeof *c + cap);
        if (!c) {
            a->failed = 1;
            return NULL;
        }
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
        a->total += cap;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

static void arena_free_all(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
}

/* Gumbo aborts on a NULL from its allocator; we give it memory up to the
 * limit and the caller's input cap keeps usage well below it. */
static void *gumbo_arena_alloc(void *ud, size_t n)
{
    void *p = arena_alloc(ud, n);
    if (!p)
        abort(); /* unreachable with capped input: limit is 64x max_input */
    return p;
}

static void gumbo_arena_free(void *ud, void *p)
{
    (void)ud;
    (void)p;
}

void *dom_alloc(struct dom *d, size_t n) { return arena_alloc(d->arena, n); }

/* ---- tag table ---- */

static const char *const tag_names[DOM_TAG_COUNT] = {
    [DOM_TAG_NONE] = "",
#define DOM_TAG_NAME(t) [DOM_TAG_##t] = #t,
    DOM_TAG_MAP(DOM_TAG_NAME)
#undef DOM_TAG_NAME
    [DOM_TAG_OTHER] = "other",
};
static char tag_lower[DOM_TAG_COUNT][16];
static enum dom_tag gumbo_map[GUMBO_TAG_LAST + 1];
static pthread_once_t tags_once = PTHREAD_ONCE_INIT;

static void tags_init(void)
{
    for (int t = 0; t < DOM_TAG_COUNT; t++) {
        size_t i = 0;
        for (; tag_names[t][i] && i < sizeof tag_lower[t] - 1; i++) {
            char c = tag_names[t][i];
            tag_lower[t][i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        tag_lower[t][i] = 0;
    }
    for (int g = 0; g <= GUMBO_TAG_LAST; g++) {
        gumbo_map[g] = DOM_TAG_OTHER;
        const char *name = g < GUMBO_TAG_LAST ? gumbo_normalized_tagname((GumboTag)g) : "";
        for (int t = 1; t < DOM_TAG_OTHER; t++)
            if (name && strcmp(name, tag_lower[t]) == 0) {
                gumbo_map[g] = (enum dom_tag)t;
                break;
            }
    }
}

const char *dom_tag_name(enum dom_tag t)
{
    pthread_once(&tags_once, tags_init);
    return (unsigned)t < DOM_TAG_COUNT ? tag_lower[t] : "";
}

/* ---- pre-pass: blank script/style/svg bodies, drop comments ---- */

static const char *find_ci(const char *p, const char *end, const char *needle, size_t nl)
{
    while (p + nl <= end) {
        const char *q = memchr(p, needle[0], (size_t)(end - p - (ptrdiff_t)nl + 1));
        if (!q)
            return NULL;
        if (strncasecmp(q, needle, nl) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

static int name_is(const char *p, const char *end, const char *name)
{
    size_t l = strlen(name);
    if ((size_t)(end - p) <= l || strncasecmp(p, name, l) != 0)
        return 0;
    char c = p[l];
    return c == '>' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

struct jl {
    const char **v;
    size_t n, cap;
};

static int prepass(const char *in, size_t n, struct buf *out, struct arena *a, struct jl *jl)
{
    const char *p = in, *end = in + n;
    static const char *const raw[] = { "script", "style", "svg", "noscript" };
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt) {
            buf_add(out, p, (size_t)(end - p));
            break;
        }
        buf_add(out, p, (size_t)(lt - p));
        if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *c = find_ci(lt + 4, end, "-->", 3);
            p = c ? c + 3 : end;
            continue;
        }
        int which = -1;
        for (int i = 0; i < 4; i++)
            if (name_is(lt + 1, end, raw[i])) {
                which = i;
                break;
            }
        if (which < 0) {
            buf_addc(out, '<');
            p = lt + 1;
            continue;
        }
        const char *gt = memchr(lt, '>', (size_t)(end - lt));
        if (!gt)
            break;
        /* noscript: keep its content (often the only <img> of a lazy page) but
         * let Gumbo see it; only script/style/svg bodies are blanked. */
        if (which == 3) {
            buf_add(out, lt, (size_t)(gt + 1 - lt));
            p = gt + 1;
            continue;
        }
        buf_add(out, lt, (size_t)(gt + 1 - lt));
        if (gt > lt && gt[-1] == '/' && which == 2) { /* <svg/> */
            p = gt + 1;
            continue;
        }
        char close[16];
        size_t cl = (size_t)snprintf(close, sizeof close, "</%s", raw[which]);
        const char *body = gt + 1;
        const char *ce = find_ci(body, end, close, cl);
        const char *bend = ce ? ce : end;
        if (which == 0 && find_ci(lt, gt, "ld+json", 7) && jl->n < 64) {
            size_t bl = (size_t)(bend - body);
            char *s = arena_alloc(a, bl + 1);
            if (s) {
                memcpy(s, body, bl);
                s[bl] = 0;
                if (jl->n == jl->cap) {
                    size_t nc = jl->cap ? jl->cap * 2 : 4;
                    const char **v = arena_alloc(a, nc * sizeof *v);
                    if (v) {
                        if (jl->n)
                            memcpy(v, jl->v, jl->n * sizeof *v);
                        jl->v = v;
                        jl->cap = nc;
                    }
                }
                if (jl->n < jl->cap)
                    jl->v[jl->n++] = s;
            }
        }
        if (!ce)
            break;
        const char *cgt = memchr(ce, '>', (size_t)(end - ce));
        buf_add(out, close, cl);
        buf_addc(out, '>');
        p = cgt ? cgt + 1 : end;
    }
    return out->err;
}

/* ---- conversion ---- */

struct frame {
    GumboNode *g;
    struct dom_node *parent; /* where g's children go */
    unsigned i;              /* next child */
};

static void append_child(struct dom_node *parent, struct dom_node *c)
{
    c->parent = parent;
    c->prev = parent->last;
    if (parent->last)
        parent->last->next = c;
    else
        parent->first = c;
    parent->last = c;
}

static struct dom_node *make_element(struct dom *d, GumboNode *g)
{
    struct arena *a = d->arena;
    struct dom_node *n = arena_alloc(a, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->type = DOM_ELEMENT;
    GumboElement *e = &g->v.element;
    n->tag = gumbo_map[e->tag];
    if (e->tag != GUMBO_TAG_UNKNOWN) {
        n->name = n->tag != DOM_TAG_OTHER ? tag_lower[n->tag] : gumbo_normalized_tagname(e->tag);
    } else {
        GumboStringPiece s = e->original_tag;
        gumbo_tag_from_original_text(&s);
        char *nm = arena_alloc(a, s.length + 1);
        if (!nm)
            return NULL;
        for (size_t i = 0; i < s.length; i++) {
            char c = s.data[i];
            nm[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        nm[s.length] = 0;
        n->name = nm;
    }
    if (e->attributes.length) {
        n->attrs = arena_alloc(a, e->attributes.length * sizeof *n->attrs);
        if (!n->attrs)
            return NULL;
        for (unsigned i = 0; i < e->attributes.length; i++) {
            GumboAttribute *at = e->attributes.data[i];
            n->attrs[i].name = at->name;
            n->attrs[i].value = at->value;
        }
        n->nattrs = e->attributes.length;
    }
    return n;
}

static struct dom_node *make_text(struct dom *d, const char *text)
{
    struct dom_node *n = arena_alloc(d->arena, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->type = DOM_TEXT;
    n->text = text;
    n->len = strlen(text);
    return n;
}

int dom_parse(const char *html, size_t n, const struct dom_opts *opts, struct dom **out, struct buf *err)
{
    size_t max_input = opts && opts->max_input ? opts->max_input : DOM_DEFAULT_MAX_INPUT;
    size_t max_nodes = opts && opts->max_nodes ? opts->max_nodes : 2000000;
    int max_errors = opts && opts->max_errors ? opts->max_errors : 100;
    struct buf pre = BUF_INIT;
    struct frame *stack = NULL;
    int rc = NA_ENOMEM;
    pthread_once(&tags_once, tags_init);
    *out = NULL;

    struct dom *d = na_calloc(1, sizeof *d);
    struct arena *a = na_calloc(1, sizeof *a);
    if (!d || !a)
        goto fail;
    d->arena = a;
    a->limit = max_input * 64 + (64u << 20);
    if (n > max_input) {
        n = max_input;
        d->truncated = 1;
    }
    struct jl jl = { NULL, 0, 0 };
    buf_init(&pre, max_input + 64);
    if (prepass(html, n, &pre, a, &jl) || a->failed) {
        buf_seterr(err, "cannot prepare page for parsing: %s", na_strerror(pre.err ? pre.err : NA_ENOMEM));
        rc = pre.err ? pre.err : NA_ENOMEM;
        goto fail;
    }
    d->jsonld = jl.v;
    d->njsonld = jl.n;

    GumboOptions go = kGumboDefaultOptions;
    go.allocator = gumbo_arena_alloc;
    go.deallocator = gumbo_arena_free;
    go.userdata = a;
    go.max_errors = max_errors;
    /* Gumbo's nodes point into `pre` (original_tag): keep it until converted. */
    GumboOutput *g = gumbo_parse_with_options(&go, buf_str(&pre), pre.len);
    if (!g || !g->root) {
        buf_seterr(err, "HTML parser returned no document");
        rc = NA_EPARSE;
        goto fail;
    }

    size_t scap = 256, sn = 0;
    stack = na_malloc(scap * sizeof *stack);
    d->root = make_element(d, g->root);
    if (!stack || !d->root)
        goto fail;
    d->root->index = d->nnodes++;
    stack[sn++] = (struct frame){ g->root, d->root, 0 };
    while (sn) {
        struct frame *f = &stack[sn - 1];
        GumboVector *kids = f->g->type == GUMBO_NODE_ELEMENT || f->g->type == GUMBO_NODE_TEMPLATE
                                ? &f->g->v.element.children : &f->g->v.document.children;
        if (f->i >= kids->length) {
            sn--;
            continue;
        }
        GumboNode *c = kids->data[f->i++];
        struct dom_node *parent = f->parent;
        if (d->nnodes >= max_nodes) {
            d->truncated = 1;
            break;
        }
        switch (c->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA: {
            struct dom_node *t = make_text(d, c->v.text.text);
            if (!t)
                goto fail;
            t->depth = parent->depth + 1;
            t->index = d->nnodes++;
            append_child(parent, t);
            break;
        }
        case GUMBO_NODE_ELEMENT: {
            struct dom_node *into = parent;
            if (parent->depth + 1 < DOM_MAX_DEPTH) {
                struct dom_node *e = make_element(d, c);
                if (!e)
                    goto fail;
                e->depth = parent->depth + 1;
                e->index = d->nnodes++;
                append_child(parent, e);
                if (e->tag == DOM_TAG_HEAD && !d->head)
                    d->head = e;
                else if (e->tag == DOM_TAG_BODY && !d->body)
                    d->body = e;
                into = e;
            }
            if (sn == scap) {
                struct frame *ns = na_realloc(stack, 2 * scap * sizeof *stack);
                if (!ns)
                    goto fail;
                stack = ns;
                scap *= 2;
            }
            stack[sn++] = (struct frame){ c, into, 0 };
            break;
        }
        default: /* comments, templates' content, document */
            break;
        }
    }
    free(stack);
    buf_release(&pre);
    /* Gumbo's output lives in the arena: nothing else to free. */
    *out = d;
    return 0;

fail:
    if (rc == NA_ENOMEM)
        buf_seterr(err, "out of memory while parsing HTML");
    free(stack);
    buf_release(&pre);
    if (a)
        arena_free_all(a);
    free(a);
    free(d);
    return rc;
}

void dom_free(struct dom *d)
{
    if (!d)
        return;
    if (d->arena) {
        arena_free_all(d->arena);
        free(d->arena);
    }
    free(d);
}

const char *dom_attr(const struct dom_node *n, const char *name)
{
    for (unsigned i = 0; i < n->nattrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return n->attrs[i].value;
    return NULL;
}

struct dom_node *dom_next_skip(const struct dom_node *n, const struct dom_node *top)
{
    while (n && n != top) {
        if (n->next)
            return n->next;
        n = n->parent;
    }
    return NULL;
}

struct dom_node *dom_next(const struct dom_node *n, const struct dom_node *top)
{
    if (n->first)
        return n->first;
    return dom_next_skip(n, top);
}

int dom_text(const struct dom_node *n, struct buf *out)
{
    if (n->type == DOM_TEXT)
        return buf_add(out, n->text, n->len);
    for (const struct dom_node *c = n->first; c; c = dom_next(c, n))
        if (c->type == DOM_TEXT)
            buf_add(out, c->text, c->len);
    return out->err;
}

void dom_unlink(struct dom_node *n)
{
    struct dom_node *p = n->parent;
    if (!p)
        return;
    if (n->prev)
        n->prev->next = n->next;
    else
        p->first = n->next;
    if (n->next)
        n->next->prev = n->prev;
    else
        p->last = n->prev;
    n->parent = n->prev = n->next = NULL;
}
