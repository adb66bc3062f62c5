/* template.h — a site's template of recurring blocks, learned from its
 * archived articles, and the decision which lines of a new article's text
 * are that template (a self-advert, "本网声明", a contact line) rather than
 * the article. Pure: no I/O; crawler/template_store.h keeps it in the index.
 *
 * Blocks are hashed after normalization: digit runs (with the punctuation
 * between them: dates, phone numbers, counts) become one marker, full-width
 * ASCII is folded to half-width, letters to lower case, and whitespace and
 * punctuation are dropped; pieces shorter than TEMPLATE_MIN_CHARS
 * normalized characters are not blocks. A block is a clause (cut at
 * 。！？；!?;|丨，,) of one of the first TEMPLATE_LEAD_LINES or last
 * TEMPLATE_FOOT_LINES non-empty lines, counted apart for the lead-in and
 * the footer: site boilerplate sits at a fixed place, while prose that a
 * site repeats (a formula of its reports, a much-quoted sentence) moves
 * around, so it rarely reaches the threshold in either place. A block is learned when
 * it recurs on at least TEMPLATE_SHARE_PCT percent of the site's articles
 * and the site has at least TEMPLATE_MIN_ARTICLES of them.
 *
 * The rules for dropping (template_apply), which guard real content that
 * recurs (a column's fixed lead-in, a much-quoted sentence):
 *  - a line is a template line when it is one of the lead-in or footer
 *    lines and clauses learned there cover at least half of its normalized
 *    characters (the rest may vary: a name, a synonym);
 *  - a template line is dropped when it sits in the text's lead-in or
 *    footer: between it and the start or end of the text there are only
 *    template lines or short lines (under TEMPLATE_EDGE_SHORT characters:
 *    a byline, "（完）");
 *  - elsewhere only a short one is dropped: at most TEMPLATE_INNER_MAX
 *    characters and at most a tenth of the text;
 *  - nothing is dropped when the text has no other line (never the only
 *    paragraph, never an empty text), nor when the drops would remove more
 *    than TEMPLATE_MAX_DROP_PCT percent of the text's characters. */
#ifndef NA_TEMPLATE_H
#define NA_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>
#include "util/buf.h"

#define TEMPLATE_MIN_ARTICLES 20 /* a site's articles before anything is dropped */
#define TEMPLATE_SHARE_PCT 60    /* share of them that must contain a block */
#define TEMPLATE_MIN_CHARS 4     /* normalized characters of a block */
#define TEMPLATE_EDGE_SHORT 30   /* characters of a line that does not end a lead-in or footer */
#define TEMPLATE_INNER_MAX 120   /* characters of a template line dropped inside the text */
#define TEMPLATE_MAX_DROP_PCT 80 /* of the text's characters, at most */
#define TEMPLATE_MAX_BLOCKS 400000 /* per site in memory: over it, rare blocks are forgotten */
#define TEMPLATE_MAX_PIECES 4096 /* blocks of one article that are learned */
#define TEMPLATE_LEAD_LINES 3    /* lines of the lead-in whose clauses are blocks */
#define TEMPLATE_FOOT_LINES 5    /* lines of the footer whose clauses are blocks */

/* Where a block was seen: in the lead-in or footer lines. The table's key
 * is template_key(kind, template_hash(clause)). */
enum { TEMPLATE_LEAD, TEMPLATE_FOOT };
uint64_t template_key(int kind, uint64_t hash);

struct template;

struct template *template_new(void); /* NULL: out of memory */
void template_free(struct template *t);

/* The hash of the normalized s[0..n) (never 0), and its normalized length
 * in characters into *chars. */
uint64_t template_hash(const char *s, size_t n, size_t *chars);

/* Loading a stored template: the site's article count and each block's
 * (set the count again after the blocks: it marks which are learned). */
void template_set_articles(struct template *t, long articles);
int template_put(struct template *t, uint64_t hash, long n); /* 0 or NA_ENOMEM */

long template_articles(const struct template *t);
long template_count(const struct template *t, uint64_t hash); /* articles containing it */
int template_learned(const struct template *t, uint64_t hash); /* 1: recurs enough */
size_t template_nlearned(const struct template *t); /* blocks learned */

/* Counts one more article of the site with its (raw, unfiltered) text.
 * Returns 1 when a block became learned for the first time (the template
 * changed: earlier articles may be dirty), 0, or NA_ENOMEM. */
int template_learn(struct template *t, const char *text);

/* Calls cb for every block changed since the last call (learned or loaded
 * counts are not) that is on two articles or more, then forgets that they
 * changed: a block seen once (most clauses of prose) stays in memory only,
 * so a later run may count a block from its second article on. Returns 0 or cb's value.
 * *pruned (may be NULL) gets the count under which blocks were forgotten
 * since the last call (0: none): the store deletes those. */
int template_each_dirty(struct template *t, int (*cb)(void *ud, uint64_t hash, long n), void *ud, long *pruned);

struct template_result {
    size_t dropped;      /* lines dropped */
    size_t dropped_chars;
    size_t kept_guard;   /* template lines kept by a guard */
};

/* text without its template lines into out (reset first; lines kept as
 * they were, '\n'-separated). explain (may be NULL) gets one line per
 * template line: why it was dropped ("recurs on 96% of this site's
 * articles") or kept. t may be NULL or too young: out = text. Returns 0 or
 * NA_ENOMEM. */
int template_apply(const struct template *t, const char *text, struct buf *out, struct buf *explain,
                   struct template_result *res);

#endif
