/* text.c — a dom subtree as lines of clean text, in reading order: block
 * elements end lines, <br> breaks them, data tables give one row per line
 * with tab-separated cells (layout tables are read as plain blocks), <pre>
 * keeps its own line breaks. Recursion is over the dom, whose depth dom.c
 * caps at DOM_MAX_DEPTH. */
#include "parser/text.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_BYTES ((size_t)8 << 20)
#define TEXT_MAX_LINES 200000
#define TABLE_SCAN_NODES 4000
#define TABLE_MAX_CELL 600 /* bytes: longer cells mean a layout table */

void text_lines_init(struct text_lines *l)
{
    memset(l, 0, sizeof *l);
    buf_init(&l->text, TEXT_MAX_BYTES);
}

void text_lines_release(struct text_lines *l)
{
    buf_release(&l->text);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* CJK text or the punctuation that sits between CJK text. */
static int cjk_like(unsigned cp)
{
    return text_is_cjk(cp) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF) ||
           cp == 0x201C || cp == 0x201D || cp == 0x2018 || cp == 0x2019 || cp == 0x2014 || cp == 0x2026;
}

unsigned text_next_cp_any(const char **pp, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pp;
    unsigned c = *p++;
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (extra)
        c &= 0x3F >> extra;
    while (extra-- > 0 && (const char *)p < end && (*p & 0xC0) == 0x80)
        c = (c << 6) | (*p++ & 0x3F);
    *pp = (const char *)p;
    return c;
}

static int is_space_cp(unsigned cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == 0xA0 || cp == 0x3000 ||
           (cp >= 0x2000 && cp <= 0x200B) || cp == 0xFEFF || cp == 0x202F || cp == 0x205F;
}

struct render {
    struct text_lines *l;
    unsigned skip;
    size_t start;                 /* offset of the current line in l->text */
    int pending;                  /* 0 none, 1 space, 2 space from a line wrap */
    unsigned last_cp;             /* last code point of the current line */
    const struct dom_node *node;  /* block owning the current line */
    enum text_kind kind;
    int pre;                      /* inside <pre> */
    int cell;                     /* inside a data-table cell */
    int datatab;                  /* -1 inside a data table, else 0 */
    int err;
};

static void flush(struct render *r)
{
    struct buf *b = &r->l->text;
    r->pending = 0;
    r->last_cp = 0;
    if (b->len == r->start || b->err)
        return;
    /* drop trailing spaces/tabs */
    while (b->len > r->start && (b->data[b->len - 1] == ' ' || b->data[b->len - 1] == '\t'))
        b->len--;
    if (b->len == r->start) {
        buf_truncate(b, r->start);
        return;
    }
    struct text_lines *l = r->l;
    int g = NA_GROW(l->v, l->cap, l->n + 1, TEXT_MAX_LINES); /* NA_ETOOBIG at the cap */
    if (g) {
        r->err = g;
        buf_truncate(b, r->start);
        return;
    }
    struct text_line *ln = &l->v[l->n++];
    ln->off = r->start;
    ln->len = b->len - r->start;
    ln->node = r->node;
    ln->kind = r->pre ? TEXT_PRE : r->kind;
    ln->drop = 0;
    buf_addc(b, '\n');
    r->start = b->len;
}

/* Block boundary: a new line, or a space inside a data-table cell. */
static void boundary(struct render *r)
{
    if (r->cell) {
        if (r->l->text.len > r->start && !r->pending)
            r->pending = 1;
        return;
    }
    flush(r);
}

/* Code points that go out unchanged are copied as runs: [run, q) is
 * appended before anything else touches the buffer. */
static void add_text(struct render *r, const char *s, size_t n)
{
    struct buf *b = &r->l->text;
    const char *p = s, *end = s + n, *run = NULL;
    while (p < end) {
        const char *q = p;
        unsigned cp = text_next_cp(&p, end);
        if (r->pre && !r->cell && cp == '\n') {
            if (run)
                buf_add(b, run, (size_t)(q - run));
            run = NULL;
            flush(r);
            continue;
        }
        if (is_space_cp(cp) && !(r->pre && cp == ' ')) {
            if (run)
                buf_add(b, run, (size_t)(q - run));
            run = NULL;
            if (b->len > r->start) {
                int wrap = cp == '\n' || cp == '\r';
                if (r->pending < 1 + wrap)
                    r->pending = 1 + wrap;
            }
            continue;
        }
        if (r->pending) {
            if (run)
                buf_add(b, run, (size_t)(q - run));
            run = NULL;
            /* A source line wrap between two CJK characters is no space. */
            if (!(r->pending == 2 && cjk_like(r->last_cp) && cjk_like(cp)))
                buf_addc(b, ' ');
            r->pending = 0;
        }
        if (!run)
            run = q;
        r->last_cp = cp;
    }
    if (run)
        buf_add(b, run, (size_t)(p - run));
}

static int is_block(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_P: case DOM_TAG_DIV: case DOM_TAG_H1: case DOM_TAG_H2: case DOM_TAG_H3:
    case DOM_TAG_H4: case DOM_TAG_H5: case DOM_TAG_H6: case DOM_TAG_UL: case DOM_TAG_OL:
    case DOM_TAG_LI: case DOM_TAG_DL: case DOM_TAG_DT: case DOM_TAG_DD: case DOM_TAG_TABLE:
    case DOM_TAG_TR: case DOM_TAG_TD: case DOM_TAG_TH: case DOM_TAG_THEAD: case DOM_TAG_TBODY:
    case DOM_TAG_TFOOT: case DOM_TAG_CAPTION: case DOM_TAG_BLOCKQUOTE: case DOM_TAG_PRE:
    case DOM_TAG_FIGURE: case DOM_TAG_FIGCAPTION: case DOM_TAG_SECTION: case DOM_TAG_ARTICLE:
    case DOM_TAG_HEADER: case DOM_TAG_FOOTER: case DOM_TAG_NAV: case DOM_TAG_ASIDE:
    case DOM_TAG_MAIN: case DOM_TAG_ADDRESS: case DOM_TAG_HR: case DOM_TAG_FORM:
    case DOM_TAG_FIELDSET: case DOM_TAG_CENTER: case DOM_TAG_DETAILS: case DOM_TAG_SUMMARY:
    case DOM_TAG_HGROUP: case DOM_TAG_MENU: case DOM_TAG_LEGEND: case DOM_TAG_DIALOG:
    case DOM_TAG_BODY: case DOM_TAG_HTML:
        return 1;
    default:
        return 0;
    }
}

static int never_text(enum dom_tag t)
{
    switch (t) {
    case DOM_TAG_HEAD: case DOM_TAG_TITLE: case DOM_TAG_SCRIPT: case DOM_TAG_STYLE:
    case DOM_TAG_TEMPLATE: case DOM_TAG_SVG: case DOM_TAG_MATH:
    case DOM_TAG_IFRAME: case DOM_TAG_OBJECT: case DOM_TAG_EMBED: case DOM_TAG_CANVAS:
    case DOM_TAG_VIDEO: case DOM_TAG_AUDIO: case DOM_TAG_SELECT: case DOM_TAG_OPTION:
    case DOM_TAG_TEXTAREA: case DOM_TAG_INPUT: case DOM_TAG_BUTTON: case DOM_TAG_MAP:
    case DOM_TAG_FRAMESET: case DOM_TAG_FRAME:
        return 1;
    default:
        return 0;
    }
}

/* A data table has no nested table and only short cells; anything else is
 * page layout and is read as blocks. The scan is bounded. */
static int data_table(const struct dom_node *t)
{
    size_t seen = 0, cell = 0;
    const struct dom_node *cur_cell = NULL;
    for (const struct dom_node *n = t->first; n; n = dom_next(n, t)) {
        if (++seen > TABLE_SCAN_NODES)
            return 0;
        if (n->type == DOM_ELEMENT) {
            if (n->tag == DOM_TAG_TABLE)
                return 0;
            if (n->tag == DOM_TAG_TD || n->tag == DOM_TAG_TH) {
                cur_cell = n;
                cell = 0;
            }
        } else if (cur_cell) {
            cell += n->len;
            if (cell > TABLE_MAX_CELL)
                return 0;
        }
    }
    return 1;
}

static void render(struct render *r, const struct dom_node *n);

static void render_children(struct render *r, const struct dom_node *n)
{
    for (const struct dom_node *c = n->first; c && !r->err && !r->l->text.err; c = c->next)
        render(r, c);
}

static void render(struct render *r, const struct dom_node *n)
{
    if (n->type == DOM_TEXT) {
        add_text(r, n->text, n->len);
        return;
    }
    if ((n->flags & r->skip) || never_text(n->tag))
        return;
    if (n->tag == DOM_TAG_BR) {
        boundary(r);
        return;
    }
    if (n->tag == DOM_TAG_IMG || n->tag == DOM_TAG_WBR)
        return;
    if (!is_block(n->tag)) {
        render_children(r, n);
        return;
    }

    const struct dom_node *saved_node = r->node;
    enum text_kind saved_kind = r->kind;
    int saved_pre = r->pre, saved_cell = r->cell, saved_datatab = r->datatab;

    if (n->tag == DOM_TAG_TABLE && !r->cell) {
        if (data_table(n)) {
            flush(r);
            r->datatab = -1; /* marks "inside a data table" */
        } else {
            r->datatab = 0;
        }
        boundary(r);
        render_children(r, n);
        boundary(r);
        r->datatab = saved_datatab;
        return;
    }
    if (r->datatab != 0 && !r->cell && n->tag == DOM_TAG_TR) {
        flush(r);
        r->node = n;
        r->kind = TEXT_ROW;
        r->datatab = -1;
        int first = 1;
        for (const struct dom_node *c = n->first; c && !r->err; c = c->next) {
            if (c->type == DOM_ELEMENT && (c->tag == DOM_TAG_TD || c->tag == DOM_TAG_TH)) {
                if (!first)
                    buf_addc(&r->l->text, '\t');
                first = 0;
                r->pending = 0;
                r->cell = 1;
                if (!(c->flags & r->skip))
                    render_children(r, c);
                r->cell = 0;
                r->pending = 0;
            } else {
                render(r, c);
            }
        }
        /* a row of empty cells is no line */
        struct buf *b = &r->l->text;
        size_t i = r->start;
        while (i < b->len && b->data[i] == '\t')
            i++;
        if (i == b->len)
            buf_truncate(b, r->start);
        flush(r);
        r->node = saved_node;
        r->kind = saved_kind;
        return;
    }

    boundary(r);
    if (!r->cell) {
        r->node = n;
        switch (n->tag) {
        case DOM_TAG_H1: case DOM_TAG_H2: case DOM_TAG_H3: case DOM_TAG_H4: case DOM_TAG_H5: case DOM_TAG_H6:
            r->kind = TEXT_HEADING;
            break;
        case DOM_TAG_LI: case DOM_TAG_DT: case DOM_TAG_DD:
            r->kind = TEXT_ITEM;
            break;
        case DOM_TAG_BLOCKQUOTE:
            r->kind = TEXT_QUOTE;
            break;
        case DOM_TAG_FIGCAPTION: case DOM_TAG_CAPTION:
            r->kind = TEXT_CAPTION;
            break;
        case DOM_TAG_PRE:
            r->pre = 1;
            break;
        case DOM_TAG_P: case DOM_TAG_DIV: case DOM_TAG_SECTION: case DOM_TAG_ARTICLE: case DOM_TAG_MAIN:
        case DOM_TAG_TD: case DOM_TAG_TH:
            /* keep the quote/item kind of an enclosing block */
            if (r->kind != TEXT_QUOTE && r->kind != TEXT_ITEM)
                r->kind = TEXT_PARA;
            break;
        default:
            r->kind = TEXT_PARA;
            break;
        }
    }
    render_children(r, n);
    boundary(r);
    r->node = saved_node;
    r->kind = saved_kind;
    r->pre = saved_pre;
    r->cell = saved_cell;
}

int text_render(const struct dom_node *top, unsigned skip_flags, struct text_lines *l)
{
    struct render r;
    memset(&r, 0, sizeof r);
    r.l = l;
    r.skip = skip_flags;
    r.start = l->text.len;
    r.node = top;
    r.kind = TEXT_PARA;
    if (top->type == DOM_ELEMENT && (top->flags & skip_flags))
        return 0;
    render(&r, top);
    flush(&r);
    if (l->text.err)
        return l->text.err;
    return r.err;
}

int text_join(const struct text_lines *l, struct buf *out)
{
    int first = 1;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].drop)
            continue;
        if (!first)
            buf_addc(out, '\n');
        first = 0;
        buf_add(out, l->text.data + l->v[i].off, l->v[i].len);
    }
    return out->err;
}
