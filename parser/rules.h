/* rules.h — per-site extraction rules (XPath 1.0, evaluated by libxml2 on a
 * copy of the dom tree): force the article container, drop blocks, pick the
 * title and the date. Filled from sites.conf by the crawler; all optional.
 * The copy is made on the first rules_select/rules_string call on a dom,
 * kept in dom.ext and freed by dom_free: it shows the tree as it was then
 * (evaluate rules before pruning). Safe to call from several threads on
 * different doms; libxml2 messages never reach stderr. */
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
/* Checks that every expression compiles. NA_ECONFIG with a message naming
 * the key and the expression, e.g. "xpath_drop #2 '//div[' at offset 6:
 * invalid predicate" (the caller prefixes its file:line). */
int rules_validate(const struct rules *r, struct buf *err);

/* Callback for each node matched by an expression. */
typedef void (*rules_match_fn)(struct dom_node *n, void *ud);
/* Evaluates `xpath` on the tree d and calls fn (may be NULL) for each
 * element it selects, in document order; text and attribute nodes are
 * skipped. Returns the number of elements, or NA_EINVAL (bad expression,
 * an expression giving a value, or one past the evaluation step limit) /
 * NA_ENOMEM with a message in err. */
int rules_select(struct dom *d, const char *xpath, rules_match_fn fn, void *ud, struct buf *err);
/* String value of `xpath` on d (of its first node for a node set), white
 * space normalised as normalize-space() does, appended to out; NA_ENOTFOUND
 * if that is empty, other errors as rules_select. */
int rules_string(struct dom *d, const char *xpath, struct buf *out, struct buf *err);

#endif
