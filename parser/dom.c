/* dom.c — the Gumbo wrapper, the one file that sees Gumbo (0.10.1,
 * Debian's). It caps the input, runs the pre-pass (prepass.c: comments and
 * script/style/svg bodies dropped, JSON-LD and script dates kept aside,
 * nesting capped, text handed to Gumbo as placeholder code points), parses
 * with Gumbo allocating from an arena (arena.c) freed at once (its own
 * destroy recurses), converts the tree iteratively into struct dom_node with
 * a capped depth, putting the placeholders' text back, and releases Gumbo's
 * memory. */
#include "parser/dom.h"
#include "parser/arena.h"
#include "parser/prepass.h"
#include "util/err.h"
#include "util/mem.h"

#include <gumbo.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

_Static_assert(DOM_MAX_SCRIPT_DATES == PP_MAX_SCRIPT_DATES, "dom.script_dates holds what the pre-pass keeps");

/* ---- arenas ----
 * Two arenas per parse (parser/arena.h), both from the caller's chunk cache
 * (dom_opts.cache) when it gives one. Gumbo's (g_arena) has size-class free
 * lists, so the memory of its temporary buffers (token strings, growing
 * vectors) is reused; it is freed as soon as the tree has been converted.
 * The dom's own arena holds the dom_node tree and copies of the strings it
 * needs. */

/* Gumbo's allocator. Classes: 16-byte steps up to 512 bytes, then powers of
 * two; a 16-byte header keeps the class. */
#define GA_CLASSES 64
#define GA_HDR 16

struct g_arena {
    struct arena arena;
    void *free[GA_CLASSES];
    jmp_buf *fail; /* where gumbo_arena_alloc goes when the arena fails */
};

static unsigned ga_class(size_t n, size_t *size)
{
    if (n <= 512) {
        unsigned c = (unsigned)((n + 15) / 16);
        *size = (size_t)c * 16;
        return c ? c - 1 : 0;
    }
    unsigned c = 32;
    size_t sz = 1024;
    while (sz < n && c < GA_CLASSES - 1) {
        sz <<= 1;
        c++;
    }
    *size = sz;
    return c;
}

/* Gumbo cannot take a NULL from its allocator (it would abort or crash), so
 * a failed allocation (out of memory, or past arena.limit: Gumbo's memory is
 * bounded by the input cap and the pre-pass, far below it) jumps back to
 * gumbo_run(), which reports it. */
static void *gumbo_arena_alloc(void *ud, size_t n)
{
    struct g_arena *g = ud;
    size_t size;
    unsigned c;
    if (n <= 512) { /* ga_class, inline for the common sizes */
        c = n ? (unsigned)((n + 15) >> 4) : 1;
        size = (size_t)c << 4;
        c--;
    } else {
        c = ga_class(n, &size);
    }
    void *b = g->free[c];
    if (b) {
        g->free[c] = *(void **)b;
    } else {
        struct arena_chunk *ch = g->arena.head;
        if (ch && ch->cap - ch->used >= size + GA_HDR) { /* arena_alloc's bump, inline */
            b = (char *)ch->data + ch->used;
            ch->used += size + GA_HDR;
        } else if (!(b = arena_alloc(&g->arena, size + GA_HDR))) {
            longjmp(*g->fail, 1);
        }
    }
    *(unsigned *)b = c;
    return (char *)b + GA_HDR;
}

static void gumbo_arena_free(void *ud, void *p)
{
    struct g_arena *g = ud;
    if (!p)
        return;
    void *b = (char *)p - GA_HDR;
    unsigned c = *(unsigned *)b;
    *(void **)b = g->free[c];
    g->free[c] = b;
}

/* Gumbo's parse; NULL when its arena failed (ga->arena.failed says why).
 * The jump out of Gumbo leaks nothing: everything Gumbo allocated is in the
 * arena, which the caller frees as a whole, and Gumbo keeps no other state
 * (no globals, no locks, no files). */
static GumboOutput *gumbo_run(struct g_arena *ga, const GumboOptions *go, const char *s, size_t n)
{
    jmp_buf jb;
    ga->fail = &jb;
    if (setjmp(jb)) {
        ga->fail = NULL;
        return NULL;
    }
    GumboOutput *g = gumbo_parse_with_options(go, s, n);
    ga->fail = NULL;
    return g;
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

/* Attribute names that nearly every page repeats point to static copies. */
static const char *attr_name(struct arena *a, const char *name, const struct ph_tab *ph)
{
    const char *alias = ph_alias_name(ph, name);
    if (alias)
        return alias;
    static const char *const common[] = { "class", "id", "href", "src", "style", "title", "alt",
                                          "rel", "name", "content", "type", "target", "property",
                                          "width", "height", "itemprop", "lang", "role" };
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++)
        if (name[0] == common[i][0] && strcmp(name, common[i]) == 0)
            return common[i];
    return arena_strdup(a, name);
}

static struct dom_node *make_text(struct dom *d, const char *text, const struct ph_tab *ph)
{
    struct dom_node *n = arena_alloc(d->arena, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->type = DOM_TEXT;
    n->text = ph_decode(d->arena, text, ph, &n->len);
    return n->text ? n : NULL;
}

static struct dom_node *make_element(struct dom *d, GumboNode *g, const struct ph_tab *ph)
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
            n->attrs[i].name = attr_name(a, at->name, ph);
            size_t vl;
            n->attrs[i].value = *at->value ? ph_decode(a, at->value, ph, &vl) : "";
            if (!n->attrs[i].name || !n->attrs[i].value)
                return NULL;
        }
        n->nattrs = e->attributes.length;
    }
    return n;
}

/* Frames of the conversion stack at most: far more than the depth of any
 * tree the pre-pass lets through (PP_CAP open elements); NA_ETOOBIG past it. */
#define CONVERT_MAX_STACK ((size_t)1 << 20)

/* Converts Gumbo's tree into d (iteratively; depth capped at DOM_MAX_DEPTH,
 * deeper elements' children go to their ancestor at the cap). Returns 0,
 * NA_ENOMEM or NA_ETOOBIG. */

static int convert(struct dom *d, GumboNode *groot, size_t max_nodes, const struct ph_tab *ph)
{
    size_t scap = 0, sn = 0;
    struct frame *stack = NULL;
    int rc = NA_GROW(stack, scap, 256, CONVERT_MAX_STACK);
    d->root = make_element(d, groot, ph);
    if (rc || !d->root) {
        free(stack);
        return NA_ENOMEM;
    }
    d->root->index = d->nnodes++;
    stack[sn++] = (struct frame){ groot, d->root, 0 };
    while (sn) {
        struct frame *f = &stack[sn - 1];
        GumboVector *kids = &f->g->v.element.children;
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
            struct dom_node *t = make_text(d, c->v.text.text, ph);
            if (!t)
                goto oom;
            t->depth = parent->depth + 1;
            t->index = d->nnodes++;
            append_child(parent, t);
            break;
        }
        case GUMBO_NODE_ELEMENT: {
            struct dom_node *into = parent;
            if (parent->depth + 1 < DOM_MAX_DEPTH) {
                struct dom_node *e = make_element(d, c, ph);
                if (!e)
                    goto oom;
                e->depth = parent->depth + 1;
                e->index = d->nnodes++;
                append_child(parent, e);
                if (e->tag == DOM_TAG_HEAD && !d->head)
                    d->head = e;
                else if (e->tag == DOM_TAG_BODY && !d->body)
                    d->body = e;
                into = e;
            }
            if ((rc = NA_GROW(stack, scap, sn + 1, CONVERT_MAX_STACK)))
                goto fail;
            stack[sn++] = (struct frame){ c, into, 0 };
            break;
        }
        default: /* comments, <template> (inert content), the document */
            break;
        }
    }
    free(stack);
    return 0;
oom:
    rc = NA_ENOMEM;
fail:
    free(stack);
    return rc;
}

int dom_parse(const char *html, size_t n, const struct dom_opts *opts, struct dom **out, struct buf *err)
{
    size_t max_input = opts && opts->max_input ? opts->max_input : DOM_DEFAULT_MAX_INPUT;
    size_t max_nodes = opts && opts->max_nodes ? opts->max_nodes : 2000000;
    int max_errors = opts && opts->max_errors ? opts->max_errors : 100;
    struct buf pre = BUF_INIT;
    struct ph_tab ph = { NULL, NULL, 0, 0, 0 };
    struct g_arena *ga = NULL;
    int rc = NA_ENOMEM;
    pthread_once(&tags_once, tags_init);
    *out = NULL;

    struct dom *d = na_calloc(1, sizeof *d);
    struct arena *a = na_calloc(1, sizeof *a);
    ga = na_calloc(1, sizeof *ga);
    if (!d || !a || !ga)
        goto fail;
    d->arena = a;
    if (n > max_input) {
        n = max_input;
        d->truncated = 1;
    }
    a->limit = n * 16 + (64u << 20);
    ga->arena.limit = n * 64 + (256u << 20);
    a->cache = ga->arena.cache = opts ? opts->cache : NULL;
    /* The pre-pass may add end tags (one per formatting start tag at most). */
    buf_init(&pre, 2 * n + 64);
    buf_grow(&pre, n + n / 16 + 64);
    struct pp_kept jl = { NULL, 0, 0, NULL, 0 };
    int capped = 0;
    if (prepass(html, n, &pre, a, &jl, &ph, opts && opts->no_placeholders, &capped) || pre.err || a->failed) {
        rc = pre.err ? pre.err : NA_ENOMEM;
        buf_seterr(err, "cannot prepare page for parsing: %s", na_strerror(rc));
        goto fail_quiet;
    }
    d->jsonld = jl.v;
    d->njsonld = jl.n;
    d->script_dates = jl.dates;
    d->nscript_dates = jl.ndates;
    if (capped)
        d->truncated = 1;

    GumboOptions go = kGumboDefaultOptions;
    go.allocator = gumbo_arena_alloc;
    go.deallocator = gumbo_arena_free;
    go.userdata = ga;
    go.max_errors = max_errors;
    GumboOutput *g = gumbo_run(ga, &go, buf_str(&pre), pre.len);
    if (!g && ga->arena.failed) {
        rc = ga->arena.failed;
        buf_seterr(err, "cannot parse HTML: %s", na_strerror(rc));
        goto fail_quiet;
    }
    if (!g || !g->root) {
        buf_seterr(err, "HTML parser returned no document");
        rc = NA_EPARSE;
        goto fail_quiet;
    }
    if ((rc = convert(d, g->root, max_nodes, &ph))) {
        buf_seterr(err, "cannot convert the HTML tree: %s", na_strerror(rc));
        goto fail_quiet;
    }
    /* Gumbo's output lives in its arena; the dom has copied what it needs. */
    arena_free_all(&ga->arena);
    free(ga);
    buf_release(&pre);
    free(ph.s);
    free(ph.len);
    *out = d;
    return 0;

fail:
    buf_seterr(err, "out of memory while parsing HTML");
fail_quiet:
    free(ph.s);
    free(ph.len);
    if (ga)
        arena_free_all(&ga->arena);
    free(ga);
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
    if (d->ext && d->ext_free)
        d->ext_free(d->ext);
    if (d->arena) {
        arena_free_all(d->arena);
        free(d->arena);
    }
    free(d);
}

const char *dom_attr(const struct dom_node *n, const char *name)
{
    for (unsigned i = 0; i < n->nattrs; i++) { /* two bytes filter before strcmp */
        const char *an = n->attrs[i].name;
        if (an[0] == name[0] && an[1] == name[1] && (!an[1] || strcmp(an + 2, name + 2) == 0))
            return n->attrs[i].value;
    }
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
