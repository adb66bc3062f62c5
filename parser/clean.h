/* clean.h — boilerplate removal: finds the article container in a dom and
 * marks what is not article text, in two steps. clean_container() computes
 * node statistics bottom-up in one pass (text length, punctuation with CJK
 * marks counted, link density, class/id/role cues in English and pinyin,
 * tag semantics, position against the headline), takes the subtree with the
 * most net prose (narrowed to the best-voted block, Readability-style, when
 * that holds nearly all of it), joins sibling blocks and a detached lead,
 * and flags pruned subtrees with CLEAN_DROP. clean_lines() then judges the
 * rendered lines: cue phrases (分享到, 相关文章, 责任编辑, 版权声明, Share,
 * Related, …), bylines, contact lines, meta/date lines, repeats of the
 * title, and everything after a "related articles" heading. */
#ifndef NA_CLEAN_H
#define NA_CLEAN_H

#include "util/buf.h"

struct dom;
struct dom_node;
struct rules;
struct text_lines;

/* dom_node.flags bits set by clean_container(). */
#define CLEAN_DROP 0x1u /* subtree is boilerplate */
#define CLEAN_GONE 0x2u /* never text: hidden, scripts, form controls */
#define CLEAN_SKIP (CLEAN_DROP | CLEAN_GONE)

struct clean_opts {
    const struct dom_node *title; /* headline element from meta_title(), or NULL (borrowed) */
    const char *title_text;       /* the headline, to drop its repeats, or NULL */
    const struct rules *rules;    /* per-site rules (container/drop XPaths), or NULL */
    struct buf *explain;          /* one decision per line is appended, or NULL */
    int reveal;                   /* blocks of text at display:none or visibility:hidden
                                   * count as shown (a script reveals them): the retry
                                   * of a page that gave no text */
};

/* Chooses the article container and flags the boilerplate inside it. On
 * success *container is set (NULL when the page has no body) and 0 is
 * returned; NA_ENOMEM otherwise. Uses dom_node.aux and .flags; the node
 * stats live in the dom's arena and go with dom_free(). */
int clean_container(struct dom *d, const struct clean_opts *o, struct dom_node **container,
                    struct buf *err);

/* Marks boilerplate lines of a rendered container (text_line.drop). Must be
 * called after clean_container() on the same dom (it reads the node stats
 * that clean_container() left in dom_node.aux), before the dom is freed.
 * Returns 0, or NA_ENOMEM (no line is then marked). */
int clean_lines(struct text_lines *l, const struct dom_node *container, const struct clean_opts *o);
/* Appends how explain lines name element n: tag#id.c1.c2.c3 (each part
 * capped at 40 bytes); "#text" for a text node. */
void clean_describe(const struct dom_node *n, struct buf *b);

#endif
