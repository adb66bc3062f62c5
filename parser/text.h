/* text.h — renders a dom subtree as reading-order lines: one paragraph,
 * heading, list item, table row (cells separated by a tab), block quote,
 * caption or preformatted line per line; whitespace collapsed (and dropped
 * between CJK characters where the source only wrapped a line). Each line
 * remembers the block element that produced it, so the boilerplate filter
 * (clean.c) can judge lines and explain what it dropped. */
#ifndef NA_TEXT_H
#define NA_TEXT_H

#include <stddef.h>
#include "util/buf.h"

struct dom_node;

enum text_kind {
    TEXT_PARA = 0,
    TEXT_HEADING,
    TEXT_ITEM,    /* list item */
    TEXT_ROW,     /* data-table row */
    TEXT_QUOTE,   /* inside a blockquote */
    TEXT_CAPTION, /* figcaption / table caption */
    TEXT_PRE,
};

struct text_line {
    size_t off, len;              /* into text_lines.text (no newline inside) */
    const struct dom_node *node;  /* block element that holds the line (borrowed) */
    enum text_kind kind;
    int drop;                     /* set by filters: 0 keep, else dropped */
};

struct text_lines {
    struct buf text;     /* lines' bytes, each followed by '\n' */
    struct text_line *v; /* owned */
    size_t n, cap;
};

/* Embedded: text_lines_init(&l) / text_lines_release(&l). */
void text_lines_init(struct text_lines *l);
void text_lines_release(struct text_lines *l);

/* Appends the lines of `top`'s subtree to l, skipping every element whose
 * flags have a bit of skip_flags set (and its subtree). Returns 0 or
 * NA_ENOMEM / NA_ETOOBIG (text is capped at 8 MiB, 200,000 lines). */
int text_render(const struct dom_node *top, unsigned skip_flags, struct text_lines *l);

/* Joins the lines not dropped, one per line with '\n' after each but the
 * last, into out. */
int text_join(const struct text_lines *l, struct buf *out);

/* 1 if the code point is a CJK ideograph, kana or hangul syllable. */
static inline int text_is_cjk(unsigned cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
           (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

/* text_next_cp for any lead byte (text_next_cp inlines ASCII and 3-byte
 * sequences, the common cases). */
unsigned text_next_cp_any(const char **p, const char *end);

/* Decodes one UTF-8 code point at *p (valid UTF-8 assumed; stops at end). */
static inline unsigned text_next_cp(const char **pp, const char *end)
{
    const unsigned char *p = (const unsigned char *)*pp;
    unsigned c = p[0];
    if (c < 0x80) {
        *pp += 1;
        return c;
    }
    if (c >= 0xE0 && c < 0xF0 && end - *pp >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        *pp += 3;
        return ((c & 0x0F) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    }
    return text_next_cp_any(pp, end);
}

#endif
