/* test_dom_placeholders.c — dom.c hands text, attribute values and common
 * attribute names to Gumbo as placeholder code points and puts them back on
 * conversion; that is only right while the tree is exactly what Gumbo builds
 * from the real bytes. Each case here compares the full tree dump with
 * placeholders on and off (dom_opts.no_placeholders), via the fuzz target's
 * domph_compare (tests/fuzz/fuzz_dom_placeholders.c).
 *
 * tests/data/dom-edge/ holds small pages, one construct each; the families
 * (by file name prefix):
 *   a_*, unq*, odd_attrs*, attr_*, alias_*, no_value, dup_attr*, nul_attr*:
 *       attribute values (entities, '=' after a reference, unquoted, odd
 *       quoting, CR, '<' '>', controls, noncharacters) and aliased names
 *       (any case, empty, duplicates, on input/isindex/math/svg elements);
 *       names that start with '=' or NUL, repeated names without a value
 *       after Gumbo's error limit (dup_attr_after_errors);
 *   input_hidden*, annot, isindex*: values the tree builder reads
 *       (input type in a table, annotation-xml encoding, isindex prompt);
 *   noah*, nobr*, adoption, alias_noah: formatting elements, whose values
 *       Gumbo compares ("Noah's Ark") and the adoption agency;
 *   lt_before_dropped, *cr_before_dropped*, pre_cr_cr*, nul_then_ws*: text
 *       around a comment or tag the pre-pass drops ('<', CR, a reference
 *       that would join what follows; white space after a NUL);
 *   before_*, after_*, head_*, body_in_body, html_body_attrs, eof_text,
 *   trailing_ws_end, ws_only, bom*: insertion modes around text (text before
 *       <html>, in and after <head>, after </body> and </html>, a BOM);
 *   table_*, tr_text, foster*, caption, colgroup, select_in_table,
 *   raw_in_table, plaintext_table, entities_ws: table modes, foster
 *       parenting of text and white space;
 *   pre*, leading_nl, textarea_in_p, title, rcdata, xmp_iframe, plaintext*:
 *       the newline dropped after pre/listing/textarea, RCDATA and raw text
 *       with references, plaintext;
 *   cr, crlf, lf_cr_mix, ent_crlf, nul*, ctrl, invalid_utf8, ent*, lt,
 *   bogus, comment: what Gumbo rewrites in text (CR, CR LF, NUL, controls,
 *       bad UTF-8, references) and markup-like text;
 *   frameset*: frameset modes (non-space text dropped per character);
 *   math, foreign*, font_foreign, svg_self, select_foreign, ruby: foreign
 *       content, integration points, breakout, CDATA, adjusted attributes;
 *   noscript*, in_head_noscript_tag, template*, select*, form*, li, dd,
 *   heading, button_p, marquee, image*, selfclose, quirks: other modes and
 *       implied end tags;
 *   plane*: code points U+C0000 and up in the input, raw or as references,
 *       in text, attributes, attribute names, comments and scripts (the
 *       placeholder pass is off for such pages);
 *   long_data_uri, meta, link_attrs, img_attrs, mixed_zh, midruns/bigruns
 *       (generated below): long values, CJK text, 65,534+ and 131,068+
 *       segments (the placeholder planes filled). */
#include "tests/check.h"
#include "parser/charset.h"
#include "parser/dom.h"
#include "util/buf.h"

#include <dirent.h>
#include <stdlib.h>

#define LLVMFuzzerTestOneInput fuzz_dom_placeholders_one
#include "tests/fuzz/fuzz_dom_placeholders.c"
#undef LLVMFuzzerTestOneInput

/* Compares [p, p+n); on a difference prints why, labelled, and fails. */
static int same_tree(const char *label, const char *p, size_t n)
{
    struct buf why = BUF_INIT;
    int diff = domph_compare(p, n, &why);
    if (diff) {
        fprintf(stderr, "%s (%zu bytes): %s", label, n, buf_str(&why));
        test_failures++;
    }
    buf_release(&why);
    return !diff;
}

/* Runs same_tree on every file of dir (relative to the source tree): the
 * bytes as they are, their charset_to_utf8 conversion, and with prefixes
 * every length up to max_prefix bytes (cut tags, values and references).
 * Returns the number of files. */
static int compare_dir(const char *rel, size_t max_prefix)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", test_srcdir(), rel);
    DIR *dp = opendir(dir);
    CHECK(dp != NULL);
    if (!dp)
        return 0;
    int nfiles = 0;
    struct dirent *de;
    while ((de = readdir(dp))) {
        if (de->d_name[0] == '.')
            continue;
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *p = test_read_file(path, &len);
        CHECK(p != NULL);
        if (!p)
            continue;
        nfiles++;
        if (!same_tree(de->d_name, p, len)) {
            free(p);
            continue;
        }
        struct buf u = BUF_INIT;
        struct charset_info ci;
        if (charset_to_utf8(p, len, NULL, &u, &ci, NULL) == 0) {
            char label[300];
            snprintf(label, sizeof label, "%s as UTF-8", de->d_name);
            same_tree(label, buf_str(&u), u.len);
        }
        buf_release(&u);
        size_t lim = len < max_prefix ? len : max_prefix;
        for (size_t k = 0; k < lim; k++) {
            char label[300];
            snprintf(label, sizeof label, "%s cut at %zu", de->d_name, k);
            if (!same_tree(label, p, k))
                break;
        }
        free(p);
    }
    closedir(dp);
    return nfiles;
}

TEST(dom_placeholders_edge_pages)
{
    CHECK(compare_dir("tests/data/dom-edge", 600) >= 140);
}

TEST(dom_placeholders_seed_fixtures)
{
    CHECK(compare_dir("tests/data", 0) >= 2);
    CHECK(compare_dir("tests/fuzz/seeds-fuzz_extract", 0) >= 10);
}

/* Pages with more text segments than a plane holds (65,534) and than both
 * hold (PH_MAX, 131,068: the rest is passed as it is). */
TEST(dom_placeholders_many_segments)
{
    static const struct {
        const char *open, *close, *fmt;
        unsigned n;
    } pages[] = {
        { "<div>", "</div>", "<span>r%u abc</span>", 70000 },
        { "<p>", "</p>", "<b>run %u text</b>", 140000 },
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct buf b = BUF_INIT;
        buf_adds(&b, pages[i].open);
        for (unsigned k = 0; k < pages[i].n; k++)
            buf_printf(&b, pages[i].fmt, k);
        buf_adds(&b, pages[i].close);
        CHECK_EQ(b.err, 0);
        char label[64];
        snprintf(label, sizeof label, "%u segments", pages[i].n);
        same_tree(label, b.data, b.len);
        buf_release(&b);
    }
}

/* On a page the placeholder pass is off for, attribute names that look
 * like name placeholders (U+C0000..) stay what they are. */
TEST(dom_placeholders_name_codepoints_kept)
{
    const char *html = "<div \xf3\x80\x80\x80=\"v\" \xf3\x80\x80\x81=\"w\">t</div>";
    struct dom *d = NULL;
    CHECK_EQ(dom_parse(html, strlen(html), NULL, &d, NULL), 0);
    if (!d)
        return;
    const struct dom_node *div = d->body ? d->body->first : NULL;
    CHECK(div && div->nattrs == 2);
    if (div && div->nattrs == 2) {
        CHECK_STR(div->attrs[0].name, "\xf3\x80\x80\x80");
        CHECK_STR(div->attrs[1].name, "\xf3\x80\x80\x81");
        CHECK(dom_attr(div, "class") == NULL);
    }
    dom_free(d);
}
