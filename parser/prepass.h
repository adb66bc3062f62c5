/* prepass.h — the linear pre-pass dom.c runs over a page before Gumbo sees
 * it, and its text placeholders. The pre-pass drops comments and
 * script/style/svg bodies (keeping JSON-LD bodies and the publish times of
 * inline scripts aside), caps nesting and the number of tags so that Gumbo's
 * tree builder stays linear and its memory bounded, and hands plain text and
 * common attribute names to Gumbo as private-use code points (placeholders)
 * that the conversion to dom_node puts back (ph_decode, ph_alias_name): the
 * tree is exactly the one Gumbo builds from the page without them
 * (tests/fuzz/fuzz_dom_placeholders.c checks it), at a fraction of Gumbo's
 * cost per character. Used by dom.c only. */
#ifndef NA_PREPASS_H
#define NA_PREPASS_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct buf;

/* Script dates kept at most (dom.h's DOM_MAX_SCRIPT_DATES is this). */
#define PP_MAX_SCRIPT_DATES 16

/* What the pre-pass keeps aside (strings in the arena, in document order). */
struct pp_kept {
    const char **v;     /* bodies of <script type="application/ld+json"> */
    size_t n, cap;
    const char **dates; /* PP_MAX_SCRIPT_DATES slots: publish-time snippets of
                         * the other inline scripts (date_script_snippets) */
    size_t ndates;
};

/* Text segments Gumbo sees as one placeholder code point each (see
 * pp_text in prepass.c); their text, white space already collapsed, is in
 * the dom arena; s and len are the caller's to free. */
struct ph_tab {
    const char **s;
    uint32_t *len;
    size_t n, cap;
    int names; /* the page's names may be placeholders (ph_page_ok) */
};

/* Writes the n bytes of in, prepared for Gumbo, to out (NUL-terminated),
 * keeps JSON-LD and script dates in kept and the placeholders' text in ph
 * (none with ph_off), allocating from a. *capped is set when tags were
 * dropped at the cap. Returns 0, or NA_ENOMEM / out's error (a->failed
 * tells an arena failure). */
int prepass(const char *in, size_t n, struct buf *out, struct arena *a, struct pp_kept *kept, struct ph_tab *ph,
            int ph_off, int *capped);

/* A copy of Gumbo's string s in the arena with the placeholders' text put
 * back (the segment's own copy when s is one placeholder); *len is its
 * length. NULL when out of memory. */
const char *ph_decode(struct arena *a, const char *s, const struct ph_tab *ph, size_t *len);
/* The attribute name that a one-code-point name (U+C0000 + index) stands
 * for, or NULL when name is no alias on this page. */
const char *ph_alias_name(const struct ph_tab *ph, const char *name);

#endif
