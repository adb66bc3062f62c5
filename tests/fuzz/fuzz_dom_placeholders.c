/* fuzz_dom_placeholders.c — libFuzzer target for the pre-pass's text placeholders
 * (parser/prepass.c)
 * (text, attribute values and common attribute names reach Gumbo as private
 * use code points): the tree dom_parse builds with them must be exactly the
 * one it builds with opts.no_placeholders (tags, attributes in order, text,
 * structure, JSON-LD, script dates). Prints both dumps around the first
 * difference and traps. `make fuzz` runs it on the seeds in
 * tests/fuzz/seeds-fuzz_dom_placeholders/ (tests/data/dom-edge/);
 * tests/unit/test_dom_placeholders.c includes it for domph_compare. */
#include "parser/dom.h"
#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Appends s[0, n) with '\\', '"' and bytes below 0x20 or 0x7f escaped. */
static void domph_esc(struct buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\' || c == '"')
            buf_printf(out, "\\x%02x", c);
        else
            buf_add(out, (const char *)&c, 1);
    }
}

static long domph_idx(const struct dom_node *n)
{
    return n ? (long)n->index : -1;
}

/* One line per node in document order (index, depth, parent, tag, name,
 * attributes, text), after a line with the tree's other fields. */
static void domph_dump(const struct dom *d, struct buf *out)
{
    buf_printf(out, "nnodes %zu truncated %d head %ld body %ld\n", d->nnodes, d->truncated, domph_idx(d->head),
               domph_idx(d->body));
    for (size_t i = 0; i < d->njsonld; i++) {
        buf_adds(out, "jsonld \"");
        domph_esc(out, d->jsonld[i], strlen(d->jsonld[i]));
        buf_adds(out, "\"\n");
    }
    for (size_t i = 0; i < d->nscript_dates; i++) {
        buf_adds(out, "date \"");
        domph_esc(out, d->script_dates[i], strlen(d->script_dates[i]));
        buf_adds(out, "\"\n");
    }
    for (const struct dom_node *x = d->root; x; x = dom_next(x, NULL)) {
        buf_printf(out, "%zu %u p%ld ", x->index, x->depth, domph_idx(x->parent));
        if (x->type == DOM_TEXT) {
            buf_printf(out, "T %zu \"", x->len);
            domph_esc(out, x->text, x->len);
            if (strlen(x->text) != x->len)
                buf_adds(out, "\" LENGTH MISMATCH");
            buf_adds(out, "\"\n");
            continue;
        }
        buf_printf(out, "E %d <%s", (int)x->tag, x->name);
        for (unsigned k = 0; k < x->nattrs; k++) {
            buf_adds(out, " ");
            domph_esc(out, x->attrs[k].name, strlen(x->attrs[k].name));
            buf_adds(out, "=\"");
            domph_esc(out, x->attrs[k].value, strlen(x->attrs[k].value));
            buf_adds(out, "\"");
        }
        buf_adds(out, ">\n");
    }
}

/* Parses [p, p+n) with placeholders on or off and dumps the result (or
 * the return code) to out. */
static void domph_parse_dump(const char *p, size_t n, int off, struct buf *out)
{
    struct dom_opts o;
    memset(&o, 0, sizeof o);
    o.no_placeholders = off;
    struct dom *d = NULL;
    int rc = dom_parse(p, n, &o, &d, NULL);
    if (rc)
        buf_printf(out, "dom_parse %d\n", rc);
    else
        domph_dump(d, out);
    dom_free(d);
}

/* 0 when both parses of [p, p+n) dump the same; else 1, with the first
 * differing line of each dump (and the one before) in why. */
static int domph_compare(const char *p, size_t n, struct buf *why)
{
    struct buf on = BUF_INIT, off = BUF_INIT;
    domph_parse_dump(p, n, 0, &on);
    domph_parse_dump(p, n, 1, &off);
    int diff = on.len != off.len || (on.len && memcmp(on.data, off.data, on.len) != 0);
    if (diff && why) {
        const char *a = buf_str(&on), *b = buf_str(&off);
        size_t i = 0, ls = 0, prev = 0;
        while (a[i] && a[i] == b[i]) {
            if (a[i] == '\n') {
                prev = ls;
                ls = i + 1;
            }
            i++;
        }
        const char *ea = strchr(a + ls, '\n'), *eb = strchr(b + ls, '\n');
        size_t la = ea ? (size_t)(ea - a) : on.len, lb = eb ? (size_t)(eb - b) : off.len;
        buf_printf(why, "trees differ at line offset %zu\n  before: %.*s", ls, (int)(ls - prev), a + prev);
        buf_printf(why, "  with placeholders:    %.*s\n", (int)(la - ls), a + ls);
        buf_printf(why, "  without placeholders: %.*s\n", (int)(lb - ls), b + ls);
    }
    buf_release(&on);
    buf_release(&off);
    return diff;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf why = BUF_INIT;
    if (domph_compare((const char *)data, size, &why)) {
        fwrite(why.data, 1, why.len, stderr);
        __builtin_trap();
    }
    buf_release(&why);
    return 0;
}
