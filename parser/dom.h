/* dom.h — newsarc's own HTML tree, the only view of a parsed page that the
 * rest of the code sees. dom.c is the one file that talks to Gumbo: it caps
 * the input, keeps script/style bodies away from the parser (JSON-LD is kept
 * aside in dom.jsonld), converts Gumbo's tree once into dom_node and frees the
 * whole parse at once (one arena). Tree depth is capped at DOM_MAX_DEPTH:
 * deeper elements are attached to their ancestor at that depth, so code may
 * recurse over a dom tree (never over raw input). */
#ifndef NA_DOM_H
#define NA_DOM_H

#include <stddef.h>
#include "util/buf.h"

struct arena_cache;

#define DOM_MAX_DEPTH 256
#define DOM_DEFAULT_MAX_INPUT ((size_t)16 << 20)
#define DOM_MAX_SCRIPT_DATES 16

/* Tags the extractor cares about; everything else is DOM_TAG_OTHER (its
 * name is still in dom_node.name). */
#define DOM_TAG_MAP(X) \
    X(HTML) X(HEAD) X(BODY) X(TITLE) X(META) X(LINK) X(BASE) X(SCRIPT) X(STYLE) X(NOSCRIPT) \
    X(TEMPLATE) X(SVG) X(MATH) X(IFRAME) X(OBJECT) X(EMBED) X(CANVAS) X(VIDEO) X(AUDIO) X(SOURCE) \
    X(DIV) X(SPAN) X(P) X(BR) X(HR) X(A) X(IMG) X(PICTURE) X(FIGURE) X(FIGCAPTION) \
    X(H1) X(H2) X(H3) X(H4) X(H5) X(H6) X(HGROUP) X(HEADER) X(FOOTER) X(NAV) X(ASIDE) X(MAIN) \
    X(ARTICLE) X(SECTION) X(ADDRESS) X(UL) X(OL) X(LI) X(DL) X(DT) X(DD) X(MENU) \
    X(TABLE) X(THEAD) X(TBODY) X(TFOOT) X(TR) X(TD) X(TH) X(CAPTION) X(COL) X(COLGROUP) \
    X(BLOCKQUOTE) X(PRE) X(CODE) X(Q) X(CITE) X(EM) X(STRONG) X(B) X(I) X(U) X(S) X(SMALL) \
    X(SUB) X(SUP) X(MARK) X(TIME) X(ABBR) X(FONT) X(CENTER) X(DEL) X(INS) X(WBR) \
    X(FORM) X(INPUT) X(BUTTON) X(SELECT) X(OPTION) X(TEXTAREA) X(LABEL) X(FIELDSET) X(LEGEND) \
    X(DETAILS) X(SUMMARY) X(DIALOG) X(MAP) X(AREA) X(FRAME) X(FRAMESET) X(NOBR) X(TT) X(BIG) X(VAR) X(KBD) X(SAMP) X(DFN)

enum dom_tag {
    DOM_TAG_NONE = 0, /* text nodes */
#define DOM_TAG_ENUM(t) DOM_TAG_##t,
    DOM_TAG_MAP(DOM_TAG_ENUM)
#undef DOM_TAG_ENUM
    DOM_TAG_OTHER,
    DOM_TAG_COUNT
};

enum dom_type { DOM_ELEMENT = 1, DOM_TEXT = 2 };

/* Attributes nothing reads are not kept: event handlers (on...),
 * data-lazy-srcset, sizes, data-sizes; nor are <link>s to
 * style sheets, icons and resource hints (canonical, next, alternate stay). */
struct dom_attr {
    const char *name;  /* lower case */
    const char *value; /* UTF-8, entities decoded */
};

struct dom_node {
    enum dom_type type;
    enum dom_tag tag;            /* DOM_TAG_NONE for text */
    const char *name;            /* element: lower-case tag name; text: NULL */
    struct dom_node *parent, *first, *last, *prev, *next;
    struct dom_attr *attrs;
    unsigned nattrs;
    unsigned depth;              /* root (html) is 0 */
    const char *text;            /* text node: NUL-terminated UTF-8 */
    size_t len;                  /* text node: strlen(text) */
    size_t index;                /* document order, 0-based */
    /* Scratch space for the extractor, zero after parse. */
    unsigned flags;
    double score;
    void *aux;
};

struct dom_opts {
    size_t max_input;  /* bytes given to Gumbo; 0 = DOM_DEFAULT_MAX_INPUT */
    int max_errors;    /* Gumbo's max_errors; 0 = 100 */
    size_t max_nodes;  /* 0 = 2,000,000 */
    int no_placeholders; /* for tests: parse without the placeholder pass
                          * (text reaches Gumbo as it is; same tree, slower) */
    struct arena_cache *cache; /* chunks freed by earlier parses (parser/arena.h),
                                * or NULL; borrowed, must outlive the dom */
};

struct dom {
    struct dom_node *root;  /* the <html> element */
    struct dom_node *head, *body; /* may be NULL */
    size_t nnodes;
    /* Bodies of <script type="application/ld+json">, in document order. */
    const char **jsonld;
    size_t njsonld;
    /* Publish-time assignments found in the other inline scripts by
     * date_script_snippets() ("ct=1581517074", "publish_time=2020-02-12
     * 22:17"), in document order, at most DOM_MAX_SCRIPT_DATES. */
    const char **script_dates;
    size_t nscript_dates;
    int truncated;          /* input cut: longer than max_input, or more tags or
                             * nodes than the parser's caps */
    void *arena;            /* private */
    /* A derived copy of the tree owned by another module (rules.c keeps its
     * libxml2 document here); dom_free calls ext_free(ext). NULL after parse. */
    void *ext;
    void (*ext_free)(void *ext);
};

/* Parses UTF-8 HTML. On success *out is a new tree (free with dom_free) and 0
 * is returned; on failure a negative NA_* code and a message in err. The
 * input is borrowed for the duration of the call only. */
int dom_parse(const char *html, size_t n, const struct dom_opts *opts, struct dom **out, struct buf *err);
void dom_free(struct dom *d);

/* Value of attribute `name` or NULL. */
const char *dom_attr(const struct dom_node *n, const char *name);
/* Next node in document order (pre-order), staying below `top`; NULL at end. */
struct dom_node *dom_next(const struct dom_node *n, const struct dom_node *top);
/* Like dom_next but skips n's subtree. */
struct dom_node *dom_next_skip(const struct dom_node *n, const struct dom_node *top);
/* Appends the text below n (text nodes joined, no formatting) to out. */
int dom_text(const struct dom_node *n, struct buf *out);
/* Lower-case tag name for a tag enum value. */
const char *dom_tag_name(enum dom_tag t);
/* Detaches n (and its subtree) from its parent. */
void dom_unlink(struct dom_node *n);
/* Allocates from the tree's arena (freed by dom_free); NULL when out of memory. */
void *dom_alloc(struct dom *d, size_t n);

#endif
