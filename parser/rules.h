/* rules.h — per-site extraction rules (XPath 1.0, evaluated by libxml2 on a
 * copy of the dom tree): force the article container, drop blocks, pick the
 * title and the date. Filled from sites.conf by the crawler; all optional. */
#ifndef NA_RULES_H
#define NA_RULES_H

#include <stddef.h>
#include "util/buf.h"

struct dom;
struct dom_node;

#define RULES_MAX_DROP 32

struct rules {
    char *container;            /* XPath of the article container, or NULL */
    char *drop[RULES_MAX_DROP]; /* XPaths of blocks to drop */
    size_t ndrop;
    char *title;                /* XPath whose string value is the title */
    char *date;                 /* XPath whose string value holds the date */
    char *author;               /* XPath whose string value is the author */
};

/* Embedded: rules_init(&r) / rules_release(&r) (frees the strings). */
void rules_init(struct rules *r);
void rules_release(struct rules *r);
/* Checks that every expression compiles; message names the bad one. */
int rules_validate(const struct rules *r, struct buf *err);

/* Callback for each node matched by an expression. */
typedef void (*rules_match_fn)(struct dom_node *n, void *ud);
/* Evaluates `xpath` on the tree d and calls fn for each element it selects
 * (in document order). Returns the number of matches or a negative NA_* code. */
int rules_select(struct dom *d, const char *xpath, rules_match_fn fn, void *ud, struct buf *err);
/* String value of `xpath` on d, appended to out; NA_ENOTFOUND if empty. */
int rules_string(struct dom *d, const char *xpath, struct buf *out, struct buf *err);

#endif
