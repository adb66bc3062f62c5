/* prepass.c — the pre-pass and text placeholders of prepass.h. */
#include "parser/prepass.h"
#include "parser/arena.h"
#include "parser/scriptdate.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- pre-pass ----
 * One linear scan over the page before Gumbo sees it. It drops comments
 * (bogus ones too; the first doctype stays), blanks script/style/svg bodies
 * (keeping JSON-LD aside), passes at most PP_MAX_TAGS start tags, and keeps a rough
 * model of the open-element stack, so that pathological markup cannot make
 * Gumbo's tree builder quadratic: beyond PP_CAP open elements (or PP_FMT_CAP
 * open formatting elements) further start tags and their end tags are not
 * passed on (their text is); formatting elements that a tag closes
 * implicitly get an explicit end tag, so Gumbo never "reconstructs" a growing
 * list of them into every later paragraph; only the first html/head/body
 * start tag is passed and a tag keeps at most PP_MAX_ATTRS attributes (and
 * none of those pp_drop_attr names; <link>s to style sheets and icons go). The
 * model follows the HTML tree-construction rules only as far as needed to
 * stay close to Gumbo's real depth on ordinary pages. */

#define PP_CAP 400      /* open elements passed to Gumbo */
#define PP_FMT_CAP 32   /* open formatting elements passed to Gumbo */
#define PP_STACK 4096   /* model entries kept; deeper ones are only counted */
#define PP_WINDOW 64    /* entries a tag searches down from the top */
#define PP_MAX_ATTRS 64 /* attributes kept per tag */
#define PP_MAX_JSONLD 64
/* Start tags passed to Gumbo (20 times the largest page of the tuning
 * corpora); beyond, tags are dropped and their text kept, so that Gumbo's
 * memory (a few hundred bytes a node) stays bounded on a tag bomb. */
#define PP_MAX_TAGS 200000

enum {
    PP_VOID = 1 << 0,    /* no end tag, never on the stack */
    PP_FMT = 1 << 1,     /* formatting element (Gumbo's active formatting list) */
    PP_SPECIAL = 1 << 2, /* the spec's "special" category */
    PP_SCOPE = 1 << 3,   /* boundary of the default scope; formatting marker */
    PP_CLOSEP = 1 << 4,  /* start tag closes an open p */
    PP_RAW = 1 << 5,     /* raw text/RCDATA: body passed verbatim to its end tag */
    PP_BLANK = 1 << 6,   /* script/style/svg: body removed */
    PP_ONCE = 1 << 7,    /* html/head/body: only the first start tag is passed */
    PP_TRANSP = 1 << 8,  /* address/div/p: an li/dd/dt start looks through them */
    PP_LIST = 1 << 9,    /* ul/ol: boundary of list-item scope */
    PP_BSCOPE = 1 << 10, /* button: boundary of button scope */
    PP_TSCOPE = 1 << 11, /* html/table/template: boundary of table scope */
    PP_PRE = 1 << 12,    /* pre/listing: white space inside is kept as it is */
};

enum pp_kind {
    K_NONE, K_A, K_P, K_LI, K_DD, K_CELL, K_TR, K_TSECT, K_TABLE, K_OPTION, K_OPTGROUP,
    K_BUTTON, K_HEADING, K_PLAINTEXT, K_SVG, K_SCRIPT, K_FORM, K_LINK, K_FRAMESET,
};

struct pp_tag {
    const char *name;
    unsigned flags;
    unsigned char kind;
};

#define S PP_SPECIAL
#define CP (PP_SPECIAL | PP_CLOSEP)
static const struct pp_tag pp_tags[] = {
    { "", 0, K_NONE }, /* 0: any other tag */
    { "a", PP_FMT, K_A }, { "b", PP_FMT, 0 }, { "big", PP_FMT, 0 }, { "code", PP_FMT, 0 },
    { "em", PP_FMT, 0 }, { "font", PP_FMT, 0 }, { "i", PP_FMT, 0 }, { "nobr", PP_FMT, K_A },
    { "s", PP_FMT, 0 }, { "small", PP_FMT, 0 }, { "strike", PP_FMT, 0 }, { "strong", PP_FMT, 0 },
    { "tt", PP_FMT, 0 }, { "u", PP_FMT, 0 },
    { "area", S | PP_VOID, 0 }, { "base", S | PP_VOID, 0 }, { "basefont", S | PP_VOID, 0 },
    { "bgsound", S | PP_VOID, 0 }, { "br", S | PP_VOID, 0 }, { "col", S | PP_VOID, 0 },
    { "embed", S | PP_VOID, 0 }, { "frame", S | PP_VOID, 0 }, { "hr", CP | PP_VOID, 0 },
    { "img", S | PP_VOID, 0 }, { "image", S | PP_VOID, 0 }, { "input", S | PP_VOID, 0 },
    { "keygen", S | PP_VOID, 0 }, { "link", S | PP_VOID, K_LINK }, { "meta", S | PP_VOID, 0 },
    { "param", S | PP_VOID, 0 }, { "source", S | PP_VOID, 0 }, { "track", S | PP_VOID, 0 },
    { "wbr", S | PP_VOID, 0 }, { "menuitem", PP_VOID, 0 },
    { "title", S | PP_RAW, 0 }, { "textarea", S | PP_RAW, 0 }, { "xmp", CP | PP_RAW, 0 },
    { "iframe", S | PP_RAW, 0 }, { "noembed", S | PP_RAW, 0 }, { "noframes", S | PP_RAW, 0 },
    { "plaintext", CP, K_PLAINTEXT },
    { "script", S | PP_BLANK, K_SCRIPT }, { "style", S | PP_BLANK, 0 }, { "svg", PP_BLANK, K_SVG },
    { "html", S | PP_SCOPE | PP_TSCOPE | PP_ONCE, 0 }, { "head", S | PP_ONCE, 0 },
    { "body", S | PP_ONCE, 0 },
    { "p", CP | PP_TRANSP, K_P }, { "li", CP, K_LI }, { "dd", CP, K_DD }, { "dt", CP, K_DD },
    { "td", S | PP_SCOPE, K_CELL }, { "th", S | PP_SCOPE, K_CELL }, { "tr", S, K_TR },
    { "tbody", S, K_TSECT }, { "thead", S, K_TSECT }, { "tfoot", S, K_TSECT },
    { "table", S | PP_SCOPE | PP_TSCOPE, K_TABLE }, { "caption", S | PP_SCOPE, 0 },
    { "colgroup", S, 0 }, { "option", 0, K_OPTION }, { "optgroup", 0, K_OPTGROUP },
    { "select", S, 0 }, { "applet", S | PP_SCOPE, 0 }, { "marquee", S | PP_SCOPE, 0 },
    { "object", S | PP_SCOPE, 0 }, { "template", S | PP_SCOPE | PP_TSCOPE, 0 },
    { "button", S | PP_BSCOPE, K_BUTTON },
    { "ul", CP | PP_LIST, 0 }, { "ol", CP | PP_LIST, 0 }, { "menu", CP, 0 }, { "dir", CP, 0 },
    { "dl", CP, 0 }, { "address", CP | PP_TRANSP, 0 }, { "article", CP, 0 }, { "aside", CP, 0 },
    { "blockquote", CP, 0 }, { "center", CP, 0 }, { "details", CP, 0 }, { "dialog", CP, 0 },
    { "div", CP | PP_TRANSP, 0 }, { "fieldset", CP, 0 }, { "figcaption", CP, 0 },
    { "figure", CP, 0 }, { "footer", CP, 0 }, { "header", CP, 0 }, { "hgroup", CP, 0 },
    { "main", CP, 0 }, { "nav", CP, 0 }, { "section", CP, 0 }, { "summary", CP, 0 },
    { "h1", CP, K_HEADING }, { "h2", CP, K_HEADING }, { "h3", CP, K_HEADING },
    { "h4", CP, K_HEADING }, { "h5", CP, K_HEADING }, { "h6", CP, K_HEADING },
    { "pre", CP | PP_PRE, 0 }, { "listing", CP | PP_PRE, 0 }, { "form", CP, K_FORM }, { "frameset", S, K_FRAMESET },
    { "noscript", S, 0 },
};
#undef S
#undef CP
#define PP_NTAGS (sizeof pp_tags / sizeof pp_tags[0])
#define PP_HASH_SIZE 512 /* a power of two, well above PP_NTAGS */
static unsigned short pp_hash_tab[PP_HASH_SIZE]; /* tag index + 1; 0 = empty */

static uint32_t pp_hash_step(uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }

/* Filled once, under pp_once. */
static void pp_tags_init(void)
{
    for (size_t i = 1; i < PP_NTAGS; i++) {
        uint32_t h = 2166136261u;
        for (const char *s = pp_tags[i].name; *s; s++)
            h = pp_hash_step(h, (unsigned char)*s);
        size_t j = h & (PP_HASH_SIZE - 1);
        while (pp_hash_tab[j])
            j = (j + 1) & (PP_HASH_SIZE - 1);
        pp_hash_tab[j] = (unsigned short)(i + 1);
    }
}

struct pp_ent {
    uint32_t hash;   /* of the lower-case tag name */
    uint16_t id;     /* index in pp_tags, 0 = other */
    uint8_t dropped; /* not passed to Gumbo */
};

struct pp_attr {
    const char *start, *end; /* the whole attribute, name to end of value */
    const char *name;
    size_t nl;
    const char *value;       /* without quotes; NULL when there is none */
    size_t vl;
    int empty_value;         /* rewrite it with ="" (see pp_tag_end) */
};

/* Attributes of the last tag pp_tag_end read, for pp_emit_tag. */
struct pp_attrs {
    struct pp_attr v[PP_MAX_ATTRS];
    unsigned n;
    int all; /* every attribute is in v */
};

struct pp {
    const char *end;
    const char *from;  /* first input byte not yet copied to out */
    const char *text_from; /* where the current text run starts ([from,
                            * text_from) is markup still to be copied) */
    int ph_on;         /* text segments become placeholders */
    struct ph_tab *ph;
    struct pp_attrs attrs; /* of the start tag being passed */
    struct buf *out;
    struct pp_ent *st; /* PP_STACK entries */
    size_t sp;         /* entries in st */
    size_t overflow;   /* open elements beyond PP_STACK (all dropped) */
    unsigned nfmt;     /* formatting entries passed and still open */
    unsigned npre;     /* pre/listing entries passed and still open */
    unsigned char seen[PP_NTAGS]; /* PP_ONCE tags already passed */
    size_t ntags;      /* start tags passed */
    int capped;        /* PP_MAX_TAGS reached */
    int doctype;       /* a doctype was passed */
    struct arena *a;
    struct pp_kept *jl;
};

static const unsigned char pp_ws[256] = { [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1 };

static int pp_space(char c) { return pp_ws[(unsigned char)c]; }

static int pp_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Appends to the pre-pass output. The buffer was sized for the whole page
 * up front, so this is nearly always a bare memcpy; the NUL that struct
 * buf keeps after its bytes is written once, at the end of the pre-pass. */
static inline void out_add(struct buf *b, const void *p, size_t n)
{
    if (n < b->cap - b->len) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    } else {
        buf_add(b, p, n);
    }
}

static inline void out_addc(struct buf *b, char c)
{
    if (b->len + 1 < b->cap)
        b->data[b->len++] = c;
    else
        buf_addc(b, c);
}

/* Reads the tag name at p (up to whitespace, '/' or '>'); sets its hash (of
 * the ASCII-lower-cased name) and its pp_tags index. Returns its end. */
static const char *pp_name(const char *p, const char *end, uint32_t *hash, uint16_t *id)
{
    char nm[16];
    size_t l = 0;
    uint32_t h = 2166136261u;
    for (; p < end; p++, l++) {
        unsigned char c = (unsigned char)*p;
        if (pp_space((char)c) || c == '/' || c == '>')
            break;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        h = pp_hash_step(h, c);
        if (l < sizeof nm)
            nm[l] = (char)c;
    }
    *hash = h;
    *id = 0;
    if (l < sizeof nm) {
        size_t j = h & (PP_HASH_SIZE - 1);
        while (pp_hash_tab[j]) {
            const char *tn = pp_tags[pp_hash_tab[j] - 1].name;
            if (strlen(tn) == l && memcmp(tn, nm, l) == 0) {
                *id = (uint16_t)(pp_hash_tab[j] - 1);
                break;
            }
            j = (j + 1) & (PP_HASH_SIZE - 1);
        }
    }
    return p;
}


/* Reads the attribute at *p (in a tag, after its name). Returns 1 and
 * fills a; 0 at the '>' ending the tag (*p points at it); -1 when the input
 * ends first. Quoted values may hold '>'. */
static int pp_next_attr(const char **pp_, const char *end, struct pp_attr *a)
{
    const char *p = *pp_;
    while (p < end && (pp_space(*p) || *p == '/'))
        p++;
    *pp_ = p;
    if (p >= end)
        return -1;
    if (*p == '>')
        return 0;
    a->start = a->name = p;
    a->value = NULL;
    a->vl = 0;
    a->empty_value = 0;
    p++; /* a name's first character may be anything, '=' included */
    while (p < end && !pp_space(*p) && *p != '/' && *p != '>' && *p != '=')
        p++;
    a->nl = (size_t)(p - a->name);
    a->end = p;
    while (p < end && pp_space(*p))
        p++;
    if (p < end && *p == '=') {
        p++;
        while (p < end && pp_space(*p))
            p++;
        if (p >= end)
            return -1;
        if (*p == '"' || *p == '\'') {
            const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
            if (!q)
                return -1;
            a->value = p + 1;
            a->vl = (size_t)(q - p - 1);
            p = q + 1;
        } else {
            a->value = p;
            while (p < end && !pp_space(*p) && *p != '>')
                p++;
            a->vl = (size_t)(p - a->value);
        }
        a->end = p;
    }
    *pp_ = p;
    return 1;
}

/* Attributes nothing reads, left out to spare Gumbo the bytes: event
 * handlers and the sizes of responsive images (srcset and data-srcset stay:
 * parser/images.c takes an image's largest candidate from them). */
static int pp_drop_attr(const struct pp_attr *a)
{
    static const char *const names[] = { "data-lazy-srcset", "sizes", "data-sizes" };
    static const unsigned char lens[] = { 16, 5, 10 };
    if (a->nl > 2 && (a->name[0] | 32) == 'o' && (a->name[1] | 32) == 'n')
        return 1;
    if (a->nl < 5 || a->nl > 16 || ((a->name[0] | 32) != 's' && (a->name[0] | 32) != 'd'))
        return 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (a->nl == lens[i] && strncasecmp(a->name, names[i], a->nl) == 0)
            return 1;
    return 0;
}


/* Whether Gumbo may see names x and y as the same: equal but for ASCII
 * case and for bytes outside printable ASCII (which Gumbo may turn into
 * U+FFFD, or drop when a NUL starts the name). */
static int pp_name_may_equal(const struct pp_attr *x, const struct pp_attr *y)
{
    size_t i = 0, j = 0;
    for (;;) {
        while (i < x->nl && ((unsigned char)x->name[i] < 0x20 || (unsigned char)x->name[i] >= 0x7f))
            i++;
        while (j < y->nl && ((unsigned char)y->name[j] < 0x20 || (unsigned char)y->name[j] >= 0x7f))
            j++;
        if (i == x->nl || j == y->nl)
            return i == x->nl && j == y->nl;
        char a = x->name[i++], b = y->name[j++];
        if (a != b && !(a >= 'A' && a <= 'Z' && a + 32 == b) && !(b >= 'A' && b <= 'Z' && b + 32 == a))
            return 0;
    }
}

/* The '>' that ends the tag whose attributes start at p, or NULL at the end
 * of input. *rewrite is set when the tag has to be copied attribute by
 * attribute (one to leave out, or more than PP_MAX_ATTRS). The attributes
 * are kept in *as when it is not NULL.
 * A repeated attribute without a value that another attribute follows gets
 * ="" (same tree): Gumbo (0.10.1) clears the repeated name only while it
 * records errors (max_errors), else prepends it to the next name, so the
 * tree would depend on the error count, which placeholders change. */
static const char *pp_tag_end(const char *p, const char *end, int *rewrite, struct pp_attrs *as)
{
    unsigned nattr = 0;
    struct pp_attr a;
    int r;
    *rewrite = 0;
    while ((r = pp_next_attr(&p, end, &a)) == 1) {
        if (++nattr > PP_MAX_ATTRS || pp_drop_attr(&a))
            *rewrite = 1;
        if (as && nattr <= PP_MAX_ATTRS)
            as->v[nattr - 1] = a;
    }
    if (as) {
        as->n = nattr <= PP_MAX_ATTRS ? nattr : PP_MAX_ATTRS;
        as->all = nattr <= PP_MAX_ATTRS;
        for (unsigned i = 1; i + 1 < as->n; i++) {
            struct pp_attr *v = &as->v[i];
            if (v->value)
                continue;
            for (unsigned j = 0; j < i && !v->empty_value; j++)
                v->empty_value = pp_name_may_equal(&as->v[j], v);
            *rewrite |= v->empty_value;
        }
    }
    return r == 0 ? p : NULL;
}

/* Writes the separator before attribute a in a rewritten tag: " /" before
 * a name that starts with '=' (it followed a '/', or came first), which
 * after a plain space Gumbo would take as the previous attribute's value. */
static void pp_attr_sep(struct buf *out, const struct pp_attr *a)
{
    if (a->name[0] == '=')
        out_add(out, " /", 2);
    else
        out_addc(out, ' ');
}

/* Ends a rewritten start tag [lt, gt]: " />" when it was self-closing, its
 * '/' standing apart rather than ending its last attribute's unquoted value
 * ("onclick=f/>": the tag is not self-closing), else ">". The space keeps
 * the '/' out of an unquoted value written before it ("src=a.jpg />" would
 * read as "a.jpg/" once a dropped attribute no longer stood between). */
static void pp_tag_close(struct pp *pp, const char *ne, const char *gt)
{
    const struct pp_attrs *as = &pp->attrs;
    int self = gt > ne && gt[-1] == '/' && !(as->all && as->n && as->v[as->n - 1].end > gt - 1);
    if (self)
        out_add(pp->out, " />", 3);
    else
        out_addc(pp->out, '>');
}

/* Writes the start tag [lt, gt] (its attributes are in pp->attrs) without
 * the attributes pp_drop_attr names and those past PP_MAX_ATTRS; ne is the
 * end of its name. */
static void pp_rewrite_tag(struct pp *pp, const char *lt, const char *ne, const char *gt)
{
    out_add(pp->out, lt, (size_t)(ne - lt));
    for (unsigned i = 0; i < pp->attrs.n; i++) {
        const struct pp_attr *a = &pp->attrs.v[i];
        if (pp_drop_attr(a))
            continue;
        pp_attr_sep(pp->out, a);
        out_add(pp->out, a->start, (size_t)(a->end - a->start));
        if (a->empty_value)
            out_add(pp->out, "=\"\"", 3);
    }
    pp_tag_close(pp, ne, gt);
}

/* A <link> nothing reads: style sheets, icons, resource hints. */
static int pp_useless_link(const char *ne, const char *gt)
{
    static const char *const rels[] = { "stylesheet", "icon", "preload", "prefetch", "preconnect",
                                        "manifest", "pingback", "edituri" };
    struct pp_attr a;
    const char *p = ne;
    while (pp_next_attr(&p, gt + 1, &a) == 1) {
        if (a.nl != 3 || strncasecmp(a.name, "rel", 3) != 0 || !a.value)
            continue;
        char v[64];
        size_t l = a.vl < sizeof v - 1 ? a.vl : sizeof v - 1;
        memcpy(v, a.value, l);
        v[l] = 0;
        for (size_t i = 0; i < sizeof rels / sizeof rels[0]; i++)
            if (strcasestr(v, rels[i]))
                return 1;
        return 0;
    }
    return 0;
}

static const char *find_ci(const char *p, const char *end, const char *needle, size_t nl)
{
    while (p + nl <= end) {
        const char *q = memchr(p, needle[0], (size_t)(end - p - (ptrdiff_t)nl + 1));
        if (!q)
            return NULL;
        if (strncasecmp(q, needle, nl) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* Start of the end tag "</name" (followed by whitespace, '/', '>' or the
 * end of input) at or after p, or NULL. */
static const char *pp_find_end_tag(const char *p, const char *end, const char *name)
{
    char close[16];
    size_t cl = (size_t)snprintf(close, sizeof close, "</%s", name);
    while ((p = find_ci(p, end, close, cl)) != NULL) {
        const char *q = p + cl;
        if (q >= end || pp_space(*q) || *q == '/' || *q == '>')
            return p;
        p = q;
    }
    return NULL;
}

/* The end of the run of white space from q (< b); *nl set when it holds
 * a line feed. */
static inline const char *pp_space_run(const char *q, const char *b, int *nl)
{
#ifdef __SSE2__
    while (b - q >= 16) { /* indentation: sixteen bytes at a time */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
        __m128i lf = _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'));
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                                  _mm_or_si128(_mm_or_si128(lf, _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
        unsigned other = ~(unsigned)_mm_movemask_epi8(ws) & 0xFFFF;
        unsigned k = other ? (unsigned)__builtin_ctz(other) : 16;
        if ((unsigned)_mm_movemask_epi8(lf) & (k == 16 ? 0xFFFFu : (1u << k) - 1))
            *nl = 1;
        q += k;
        if (k < 16)
            return q;
    }
#endif
    while (q < b && pp_space(*q))
        *nl |= *q++ == '\n';
    return q;
}

/* Copies [a, b) with each run of two or more ASCII white-space characters
 * made one ('\n' if the run had one, else ' '): HTML renders them alike
 * outside pre, and Gumbo's tokenizer pays for every byte. */
static void pp_copy(struct pp *pp, const char *a, const char *b)
{
    if (pp->npre) {
        out_add(pp->out, a, (size_t)(b - a));
        return;
    }
    const char *p = a;
    while (p < b) {
        const char *q = p;
        /* find two white-space bytes in a row: test every second byte */
        while (q + 1 < b) {
            if (pp_space(q[1])) {
                if (pp_space(q[0]))
                    break;
                q++;
            } else {
                q += 2;
            }
        }
        if (q + 1 >= b) {
            out_add(pp->out, p, (size_t)(b - p));
            return;
        }
        out_add(pp->out, p, (size_t)(q - p));
        int nl = 0;
        q = pp_space_run(q, b, &nl);
        out_addc(pp->out, nl ? '\n' : ' ');
        p = q;
    }
}

/* ---- text placeholders ----
 * Gumbo spends about 400 instructions on every code point of text (one
 * token each); the text itself comes out of it unchanged but for character
 * references, CR, NUL and invalid code points. So each segment of text
 * without those is replaced by one code point from the planes 15-16 private
 * use areas that encodes its number, and convert() puts the text back. The
 * segment starts at the run's first non-white-space character, so every
 * tree-construction decision (white space or not, frameset-ok, foster
 * parenting, implied head/body) sees what the real text would have made it
 * see; pages whose text could hold such a code point (a U+C0000..U+10FFFF
 * byte or character reference), and everything after a <frameset> tag
 * (whose modes drop non-space text character by character), are passed as
 * they are. */

#define PH_MAX 131068 /* 65534 code points in each of planes 15 and 16 */
#define PH_MIN 4      /* shorter segments are not worth a placeholder */

/* Attribute names that reach Gumbo as one code point (U+C0000 + index):
 * common names that Gumbo's tree builder never looks at (not type, name,
 * action, prompt, encoding, color, face, size, xmlns, nor any it adjusts on
 * foreign elements). Gumbo lower-cases names, so they match in any case. */
static const char *const ph_aliases[] = {
    "class", "id", "href", "src", "style", "title", "alt", "rel", "content", "target", "property",
    "width", "height", "itemprop", "lang", "role", "value", "data-src", "aria-label", "aria-hidden",
    "datetime", "http-equiv", "charset", "placeholder", "method", "align", "border", "valign",
    "cellpadding", "cellspacing", "colspan", "rowspan", "tabindex", "loading", "async", "defer",
    "media", "hreflang", "itemscope", "itemtype", "aria-expanded", "aria-controls", "data-id",
    "data-type", "data-url", "data-original", "data-lazy-src", "frameborder", "scrolling",
};
#define PH_NALIAS (sizeof ph_aliases / sizeof ph_aliases[0])
#define PH_ALIAS_MAXLEN 13
/* ph_aliases by first letter and length, each list ended by -1 */
static signed char ph_alias_by[26][PH_ALIAS_MAXLEN + 1][5];

/* Byte classes for the segment scan: plain ASCII, white space, CR, lead
 * bytes of 2-, 3- and 4-byte UTF-8 sequences (checked further), and
 * PC_BAD for what Gumbo would change ('&', '<', controls, stray bytes). */
enum { PC_BAD, PC_OK, PC_WS, PC_CR, PC_U2, PC_U3, PC_U4 };
static unsigned char ph_cls[256];

static void ph_init(void)
{
    for (int c = 0x20; c < 0x7f; c++)
        ph_cls[c] = c == '&' || c == '<' ? PC_BAD : c == ' ' ? PC_WS : PC_OK;
    ph_cls['\t'] = ph_cls['\n'] = ph_cls['\f'] = PC_WS;
    ph_cls['\r'] = PC_CR;
    memset(ph_alias_by, -1, sizeof ph_alias_by);
    for (size_t k = 0; k < PH_NALIAS; k++) {
        size_t l = strlen(ph_aliases[k]), j = 0;
        signed char *v = ph_alias_by[ph_aliases[k][0] - 'a'][l];
        while (v[j] >= 0)
            j++;
        v[j] = (signed char)k; /* at most 4 share a letter and length */
    }
    for (int c = 0xc2; c < 0xe0; c++)
        ph_cls[c] = PC_U2;
    for (int c = 0xe0; c < 0xf0; c++)
        ph_cls[c] = PC_U3;
    for (int c = 0xf0; c < 0xf3; c++) /* planes 12-16 (0xf3, 0xf4): see ph_page_ok */
        ph_cls[c] = PC_U4;
}

/* Length of the UTF-8 sequence at p when it is well formed and Gumbo keeps
 * its code point as it is (not a C1 control, surrogate or noncharacter),
 * else 0. */
static size_t ph_utf8_len(const unsigned char *p, const unsigned char *e)
{
    unsigned c = p[0], cp;
    if (c < 0xc2)
        return 0;
    if (c < 0xe0) {
        if (e - p < 2 || (p[1] & 0xc0) != 0x80)
            return 0;
        cp = ((c & 0x1f) << 6) | (p[1] & 0x3f);
        return cp >= 0xa0 ? 2 : 0;
    }
    if (c < 0xf0) {
        if (e - p < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        cp = ((c & 0x0f) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3f);
        if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0xfdd0 && cp <= 0xfdef) || cp >= 0xfffe)
            return 0;
        return 3;
    }
    if (c < 0xf3) { /* planes 1-11; planes 12-16 never reach here (ph_page_ok) */
        if (e - p < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
            return 0;
        cp = ((c & 0x07) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3f);
        if (cp < 0x10000 || (cp & 0xfffe) == 0xfffe)
            return 0;
        return 4;
    }
    return 0;
}

/* Whether no text node Gumbo makes of this page can hold a code point
 * >= U+C0000 (UTF-8 lead byte 0xf3 or 0xf4) but placeholders. */
static int ph_page_ok(const char *in, size_t n)
{
    if (memchr(in, 0xf3, n) || memchr(in, 0xf4, n))
        return 0;
    const char *p = in, *end = in + n;
    /* a <frameset> turns placeholders off from there on, and attribute
     * names aliased before it would then differ from the same names after
     * it where Gumbo compares them (Noah's Ark, a second <html>/<body>'s
     * attributes): such pages are passed as they are */
    for (const char *q = in; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++)
        if (end - q > 8 && (q[1] | 32) == 'f' && strncasecmp(q + 1, "frameset", 8) == 0)
            return 0;
    while ((p = memchr(p, '&', (size_t)(end - p))) != NULL) {
        p++;
        if (p >= end || *p != '#')
            continue;
        p++;
        int hex = p < end && (*p == 'x' || *p == 'X');
        p += hex;
        uint32_t v = 0;
        int nd = 0;
        for (; p < end; p++, nd++) {
            unsigned d;
            unsigned char c = (unsigned char)*p;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && (c | 32) >= 'a' && (c | 32) <= 'f')
                d = (c | 32) - 'a' + 10;
            else
                break;
            if (nd >= 8)
                return 0;
            v = v * (hex ? 16 : 10) + d;
        }
        if (v >= 0xc0000)
            return 0;
    }
    return 1;
}

/* Writes segment [a, b) as pp_copy would give it to Gumbo and as Gumbo
 * would keep it (CR LF and lone CR become LF); returns its length. */
static size_t ph_text_copy(char *dst, const char *a, const char *b, int pre)
{
    char *o = dst;
    const char *p = a;
    while (p < b) {
        char c = *p;
        if (!pp_space(c)) {
            *o++ = c;
            p++;
            continue;
        }
        if (pre) {
            if (c == '\r') {
                *o++ = '\n';
                p += p + 1 < b && p[1] == '\n' ? 2 : 1;
            } else {
                *o++ = c;
                p++;
            }
            continue;
        }
        const char *q = p + 1;
        if (q >= b || !pp_space(*q)) {
            *o++ = c == '\r' ? '\n' : c;
            p = q;
            continue;
        }
        int nl = 0;
        while (p < b && pp_space(*p))
            nl |= *p++ == '\n';
        *o++ = nl ? '\n' : ' ';
    }
    return (size_t)(o - dst);
}

/* Keeps segment [a, b) aside and writes its placeholder; 0 when it cannot
 * (the caller copies the segment then). */
static int ph_add(struct pp *pp, const char *a, const char *b, int raw, int fix)
{
    struct ph_tab *ph = pp->ph;
    if (ph->n >= PH_MAX)
        return 0;
    /* two arrays of one length: each grows with its own copy of the cap
     * (out of memory just leaves the segment as text: same tree) */
    size_t cs = ph->cap, cl = ph->cap;
    int g = NA_GROW(ph->s, cs, ph->n + 1, PH_MAX);
    if (!g)
        g = NA_GROW(ph->len, cl, ph->n + 1, PH_MAX);
    ph->cap = cs < cl ? cs : cl;
    if (g)
        return 0;
    char *t = arena_alloc(pp->a, (size_t)(b - a) + 1);
    if (!t)
        return 0;
    size_t l = (size_t)(b - a);
    if (fix)
        l = ph_text_copy(t, a, b, raw);
    else
        memcpy(t, a, l);
    t[l] = 0;
    ph->s[ph->n] = t;
    ph->len[ph->n] = (uint32_t)l;
    uint32_t cp = ph->n < 65534 ? 0xf0000 + (uint32_t)ph->n : 0x100000 + (uint32_t)(ph->n - 65534);
    ph->n++;
    char u[4] = { (char)(0xf0 | (cp >> 18)), (char)(0x80 | ((cp >> 12) & 0x3f)), (char)(0x80 | ((cp >> 6) & 0x3f)),
                  (char)(0x80 | (cp & 0x3f)) };
    out_add(pp->out, u, 4);
    return 1;
}

/* Copies [a, b), as it is (raw) or as pp_copy does: segments of plain
 * characters as placeholders, what Gumbo would change (character
 * references, '<', controls, invalid UTF-8) as it is. In an attribute
 * value, a reference followed by '=' is not decoded: the '=' stays with it. */
#ifdef __SSE2__
/* The PC_OK and PC_WS bytes from p, 16 at a time while 16 are left, *fix
 * set as the byte loop of ph_scan sets it; returns where they end (a byte
 * of another class, or the last 15 bytes), for the byte loop to go on. */
static inline const unsigned char *ph_scan_sse2(const unsigned char *p, const unsigned char *e, int keep_ws,
                                                int *fix)
{
    while (e - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* PC_OK: 0x21..0x7e (signed compares: bytes >= 0x80 fail) but '&' and '<' */
        __m128i ok = _mm_andnot_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
            _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7f))));
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\f'))));
        unsigned other = ~(unsigned)_mm_movemask_epi8(_mm_or_si128(ok, ws)) & 0xFFFF;
        unsigned k = other ? (unsigned)__builtin_ctz(other) : 16; /* bytes taken */
        if (!keep_ws && k) {
            unsigned w = (unsigned)_mm_movemask_epi8(ws) & ((1u << k) - 1);
            /* white space followed by white space or CR (the byte after the last taken) */
            if ((w & (w >> 1)) || ((w >> (k - 1)) && (k < 16 || p + 16 < e) &&
                                   (ph_cls[p[k]] == PC_WS || ph_cls[p[k]] == PC_CR)))
                *fix = 1;
        }
        p += k;
        if (k < 16)
            break;
    }
    return p;
}
#endif

/* End of the run from p that a segment may hold; sets *fix when white
 * space or CR in it is to be rewritten on the copy. */
static inline const unsigned char *ph_scan(const unsigned char *p, const unsigned char *e, int keep_ws, int *fix)
{
    while (p < e) {
#ifdef __SSE2__
        if (e - p >= 16 && (p = ph_scan_sse2(p, e, keep_ws, fix)) >= e)
            break;
#endif
        unsigned k = ph_cls[*p];
        if (k == PC_OK) {
            p++;
        } else if (k == PC_WS) {
            p++;
            if (!keep_ws && p < e && (ph_cls[*p] == PC_WS || ph_cls[*p] == PC_CR))
                *fix = 1;
        } else if (k == PC_CR) {
            p++;
            *fix = 1;
        } else if (k == PC_U3) {
            if (e - p < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[0] == 0xe0 && p[1] < 0xa0) ||
                (p[0] == 0xed && p[1] >= 0xa0) ||
                (p[0] == 0xef && ((p[1] == 0xb7 && p[2] >= 0x90 && p[2] <= 0xaf) || (p[1] == 0xbf && p[2] >= 0xbe))))
                break;
            p += 3;
        } else if (k == PC_U2 || k == PC_U4) {
            size_t l = ph_utf8_len(p, e);
            if (!l)
                break;
            p += l;
        } else {
            break;
        }
    }
    return p;
}

static void ph_segments(struct pp *pp, const unsigned char *p, const unsigned char *e, int raw, int attr)
{
    int keep_ws = raw || pp->npre; /* white space is not collapsed */
    while (p < e) {
        if (!attr) {
            /* as in pp_text: white space after what Gumbo may drop (a NUL
             * in a table) may be all the run has */
            const unsigned char *w = p;
            while (p < e && pp_space((char)*p))
                p++;
            if (p > w)
                pp_copy(pp, (const char *)w, (const char *)p);
            if (p >= e)
                break;
        }
        const unsigned char *s = p;
        int fix = 0; /* white space or CR to rewrite on the copy */
        p = ph_scan(p, e, keep_ws, &fix);
        if (p > s && (p - s < PH_MIN || !ph_add(pp, (const char *)s, (const char *)p, keep_ws, fix))) {
            if (raw)
                out_add(pp->out, s, (size_t)(p - s));
            else
                pp_copy(pp, (const char *)s, (const char *)p);
        }
        if (p >= e)
            break;
        const unsigned char *u = p++;
        if (*u == '&') { /* all a character reference may consume */
            while (p < e && ((unsigned)((*p | 32) - 'a') < 26u || (unsigned)(*p - '0') < 10u || *p == '#'))
                p++;
            if (p < e && (*p == ';' || (attr && *p == '=')))
                p++;
        }
        out_add(pp->out, u, (size_t)(p - u)); /* no white space in it */
    }
}

/* Copies the text [a, b) (data state, between tags) to out: leading white
 * space as it is (it may go elsewhere than the rest), then ph_segments. */
static void pp_text(struct pp *pp, const char *a, const char *b)
{
    if (!pp->ph_on) {
        pp_copy(pp, a, b);
        return;
    }
    const unsigned char *p = (const unsigned char *)a, *e = (const unsigned char *)b;
    while (p < e && pp_space((char)*p))
        p++;
    if ((const char *)p > a)
        pp_copy(pp, a, (const char *)p);
    ph_segments(pp, p, e, 0, 0);
}

/* Length of the NUL that starts attribute a's name (0 or 1): Gumbo leaves
 * it out of the name (it goes to the wrong buffer), so "\0type" is "type". */
static size_t ph_name_skip(const struct pp_attr *a)
{
    return a->nl > 1 && a->name[0] == 0;
}

/* Whether attribute a's value may become placeholders: not one that Gumbo's
 * tree builder reads (input type, annotation-xml encoding). */
static int ph_value_ok(const struct pp_attr *a)
{
    if (!a->value || a->vl < PH_MIN)
        return 0;
    size_t s = ph_name_skip(a), nl = a->nl - s;
    if (nl == 4 && strncasecmp(a->name + s, "type", 4) == 0)
        return 0;
    return !(nl == 8 && strncasecmp(a->name + s, "encoding", 8) == 0);
}


/* Index in ph_aliases of the name [name, name+nl) in any case, or -1. */
static int ph_alias_of(const char *name, size_t nl)
{
    unsigned f = ((unsigned char)name[0] | 32) - 'a';
    if (nl < 2 || nl > PH_ALIAS_MAXLEN || f >= 26)
        return -1;
    for (const signed char *k = ph_alias_by[f][nl]; *k >= 0; k++) {
        const char *w = ph_aliases[*k];
        size_t i = 1;
        while (i < nl && (name[i] == w[i] || (name[i] >= 'A' && name[i] <= 'Z' && name[i] + 32 == w[i])))
            i++;
        if (i == nl)
            return *k;
    }
    return -1;
}

static void ph_alias_emit(struct pp *pp, int k)
{
    char u[4] = { (char)0xf3, (char)0x80, (char)0x80, (char)(0x80 | k) };
    out_add(pp->out, u, 4);
}

/* Writes the start tag [lt, gt] with its attribute values as placeholders:
 * the bytes pp_rewrite_tag (rewrite) or pp_copy would write otherwise. Not
 * for formatting elements but <a>: Gumbo compares their attribute values
 * (the "Noah's Ark" clause; an <a> start tag takes the open <a> out of the
 * list first, so there is never more than one <a> to compare). */
static void pp_emit_tag(struct pp *pp, const struct pp_tag *t, const char *lt, const char *ne, const char *gt,
                        int rewrite)
{
    if (!pp->attrs.all) {
        if (rewrite)
            pp_rewrite_tag(pp, lt, ne, gt);
        else
            pp_copy(pp, lt, gt + 1);
        return;
    }
    int values = !(t->flags & PP_FMT) || strcmp(t->name, "a") == 0;
    const char *done = lt;
    if (rewrite)
        out_add(pp->out, lt, (size_t)(ne - lt));
    for (unsigned i = 0; i < pp->attrs.n; i++) {
        const struct pp_attr *a = &pp->attrs.v[i];
        size_t skip = ph_name_skip(a);
        int k = ph_alias_of(a->name + skip, a->nl - skip);
        int v = values && ph_value_ok(a);
        if (rewrite) {
            if (pp_drop_attr(a))
                continue;
            pp_attr_sep(pp->out, a);
            if (k >= 0) {
                out_add(pp->out, a->name, skip);
                ph_alias_emit(pp, k);
            } else
                out_add(pp->out, a->name, a->nl);
            const char *ae = a->name + a->nl;
            if (!v) {
                out_add(pp->out, ae, (size_t)(a->end - ae));
                if (a->empty_value)
                    out_add(pp->out, "=\"\"", 3);
                continue;
            }
            out_add(pp->out, ae, (size_t)(a->value - ae));
            ph_segments(pp, (const unsigned char *)a->value, (const unsigned char *)a->value + a->vl, 1, 1);
            out_add(pp->out, a->value + a->vl, (size_t)(a->end - (a->value + a->vl)));
            continue;
        }
        if (k >= 0) {
            pp_copy(pp, done, a->name + skip);
            ph_alias_emit(pp, k);
            done = a->name + a->nl;
        }
        if (!v)
            continue;
        const unsigned char *vs = (const unsigned char *)a->value, *ve = vs + a->vl;
        int fix = 0;
        if (a->end == a->value + a->vl + 1 && (a->end[0] == '>' || pp_space(a->end[0])) &&
            ph_scan(vs, ve, pp->npre != 0, &fix) == ve) {
            /* a quoted value that is one placeholder goes unquoted: it
             * holds no white space, quote, '=' or '>' and is followed by
             * white space or the tag's end */
            pp_copy(pp, done, a->value - 1);
            if (ph_add(pp, a->value, a->value + a->vl, pp->npre != 0, fix)) {
                done = a->end;
                continue;
            }
            done = a->value - 1;
        }
        pp_copy(pp, done, a->value);
        ph_segments(pp, vs, ve, 0, 1);
        done = a->value + a->vl;
    }
    if (!rewrite)
        pp_copy(pp, done, gt + 1);
    else
        pp_tag_close(pp, ne, gt);
}

/* Keeps text that a dropped comment or tag separated from joining what
 * comes now (out ends with the text before it, from is after it), as Gumbo
 * would have read it: a '<' that would start a tag ("<<!---->b>") is
 * written "&lt;"; CRs (the last could make CR LF one line break) are
 * written LF, which is what Gumbo makes of them; a character reference that would go on ("&no<!---->t;")
 * is ended by an empty comment. */
static void pp_unjoin(struct pp *pp)
{
    struct buf *o = pp->out;
    char c = *pp->from, last = o->len ? o->data[o->len - 1] : 0;
    if (last == '<' && (pp_alpha(c) || c == '/' || c == '!' || c == '?')) {
        buf_truncate(o, o->len - 1);
        out_add(o, "&lt;", 4);
    } else if (last == '\r' && c != '<') { /* '<': markup, not a drop */
        for (size_t k = o->len; k > 0 && o->data[k - 1] == '\r'; k--)
            o->data[k - 1] = '\n'; /* (a CR before a CR is a LF of its own) */
    } else if (pp_alpha(c) || (c >= '0' && c <= '9') || c == ';' || c == '#') {
        size_t k = o->len;
        while (k > 0 && o->len - k < 64 &&
               (pp_alpha(o->data[k - 1]) || (o->data[k - 1] >= '0' && o->data[k - 1] <= '9') || o->data[k - 1] == '#'))
            k--;
        if (k > 0 && o->data[k - 1] == '&')
            out_add(o, "<!---->", 7);
    }
}

/* Copies [from, upto): markup before text_from as it is, the rest as text. */
static void pp_flush(struct pp *pp, const char *upto)
{
    if (upto > pp->from)
        pp_unjoin(pp);
    if (pp->text_from > pp->from) {
        const char *m = pp->text_from < upto ? pp->text_from : upto;
        if (m > pp->from)
            pp_copy(pp, pp->from, m);
        pp->from = m;
    }
    if (upto > pp->from)
        pp_text(pp, pp->from, upto);
    pp->from = upto;
}

/* Copies [from, upto) as it is (raw text bodies). */
static void pp_flush_verbatim(struct pp *pp, const char *upto)
{
    if (upto > pp->from)
        out_add(pp->out, pp->from, (size_t)(upto - pp->from));
    pp->from = upto;
}

/* Writes the start tag [lt, gt], attributes filtered when rewrite is set;
 * everything before it has been copied. */
static void pp_pass_tag(struct pp *pp, const struct pp_tag *t, const char *lt, const char *ne, const char *gt,
                        int rewrite)
{
    if (pp->ph_on)
        pp_emit_tag(pp, t, lt, ne, gt, rewrite);
    else if (rewrite)
        pp_rewrite_tag(pp, lt, ne, gt);
    else
        pp_copy(pp, lt, gt + 1);
    pp->from = gt + 1;
}

/* Keeps the counters of passed open entries as e enters (+1) or leaves. */
static void pp_count(struct pp *pp, const struct pp_ent *e, int enters)
{
    if (e->dropped)
        return;
    unsigned f = pp_tags[e->id].flags;
    if (f & PP_FMT)
        enters ? pp->nfmt++ : pp->nfmt--;
    if (f & PP_PRE)
        enters ? pp->npre++ : pp->npre--;
}

static int pp_is_fmt(const struct pp_ent *e) { return (pp_tags[e->id].flags & PP_FMT) != 0; }

/* Index + 1 of the nearest open entry (at most PP_WINDOW down from the top)
 * that has `kind`, or with kind K_NONE the name hash `hash`; a non-matching
 * entry with a flag in `stop` and none in `except` ends the search. 0 when
 * there is none. */
static size_t pp_find(const struct pp *pp, uint32_t hash, int kind, unsigned stop, unsigned except)
{
    size_t lim = pp->sp > PP_WINDOW ? pp->sp - PP_WINDOW : 0;
    for (size_t i = pp->sp; i > lim; i--) {
        const struct pp_ent *e = &pp->st[i - 1];
        unsigned f = pp_tags[e->id].flags;
        if (kind ? pp_tags[e->id].kind == kind : e->hash == hash)
            return i;
        if ((f & stop) && !(f & except))
            return 0;
    }
    return 0;
}

/* Pops entries until `keep` remain; the formatting elements among them get
 * an explicit end tag (written before the tag being processed). */
static void pp_pop_to(struct pp *pp, size_t keep)
{
    while (pp->sp > keep) {
        const struct pp_ent *e = &pp->st[--pp->sp];
        if (pp_is_fmt(e) && !e->dropped) {
            out_add(pp->out, "</", 2);
            out_add(pp->out, pp_tags[e->id].name, strlen(pp_tags[e->id].name));
            out_addc(pp->out, '>');
        }
        pp_count(pp, e, 0);
    }
}

/* Index of the first special entry above k (the adoption agency's
 * "furthest block"), or 0 when there is none. */
static size_t pp_furthest_block(const struct pp *pp, size_t k)
{
    for (size_t j = k + 1; j < pp->sp; j++)
        if (pp_tags[pp->st[j].id].flags & PP_SPECIAL)
            return j;
    return 0;
}

/* Takes entry k out of the stack, leaving those above it open; returns
 * whether it had been dropped. */
static int pp_remove(struct pp *pp, size_t k)
{
    struct pp_ent e = pp->st[k];
    memmove(&pp->st[k], &pp->st[k + 1], (pp->sp - k - 1) * sizeof e);
    pp->sp--;
    pp_count(pp, &e, 0);
    return e.dropped;
}

/* For a formatting entry k with a block open inside it: removes it (see
 * K_A) and returns 1; 0 when nothing special is open above it. */
static int pp_remove_misnested(struct pp *pp, size_t k)
{
    if (!pp_furthest_block(pp, k))
        return 0;
    pp_remove(pp, k);
    return 1;
}

/* Implicitly closes what pp_find returned (index + 1; 0 = nothing). */
static void pp_close(struct pp *pp, size_t i)
{
    if (i)
        pp_pop_to(pp, i - 1);
}

/* Keeps a copy of a JSON-LD body in the arena (an array in the arena,
 * doubled by hand: na_grow reallocates from the heap). Bodies past
 * PP_MAX_JSONLD are dropped without a word: no page states its article in
 * more; an arena failure is reported by prepass() (a->failed). */
static void pp_jsonld(struct pp *pp, const char *body, size_t bl)
{
    struct pp_kept *jl = pp->jl;
    if (jl->n >= PP_MAX_JSONLD)
        return;
    char *s = arena_alloc(pp->a, bl + 1);
    if (!s)
        return;
    memcpy(s, body, bl);
    s[bl] = 0;
    if (jl->n == jl->cap) {
        size_t nc = jl->cap ? jl->cap * 2 : 4;
        const char **v = arena_alloc(pp->a, nc * sizeof *v);
        if (!v)
            return;
        if (jl->n)
            memcpy(v, jl->v, jl->n * sizeof *v);
        jl->v = v;
        jl->cap = nc;
    }
    jl->v[jl->n++] = s;
}

/* Keeps a publish-time snippet of an inline script (date_script_snippets). */
static void pp_script_date(const char *snip, size_t len, void *ud)
{
    struct pp *pp = ud;
    struct pp_kept *jl = pp->jl;
    if (!jl->dates)
        jl->dates = arena_alloc(pp->a, PP_MAX_SCRIPT_DATES * sizeof *jl->dates);
    if (!jl->dates || jl->ndates >= PP_MAX_SCRIPT_DATES)
        return;
    char *c = arena_alloc(pp->a, len + 1);
    if (!c)
        return;
    memcpy(c, snip, len);
    c[len] = 0;
    jl->dates[jl->ndates++] = c;
}

/* Start tag at lt (its name starts with a letter); returns where to go on. */
static const char *pp_start_tag(struct pp *pp, const char *lt)
{
    const char *end = pp->end;
    uint32_t h;
    uint16_t id;
    int rewrite;
    const char *ne = pp_name(lt + 1, end, &h, &id);
    const char *gt = pp_tag_end(ne, end, &rewrite, &pp->attrs);
    if (!gt)
        return end; /* Gumbo drops a tag cut by the end of input */
    const struct pp_tag *t = &pp_tags[id];
    const char *after = gt + 1;
    pp_flush(pp, lt);
    if (t->kind == K_FRAMESET)
        pp->ph_on = 0;
    if (t->kind == K_LINK && pp_useless_link(ne, gt)) {
        pp->from = after;
        return after;
    }

    int full = pp->ntags >= PP_MAX_TAGS;
    if (full)
        pp->capped = 1;
    if (t->flags & PP_BLANK) {
        if (t->kind == K_SVG && gt[-1] == '/') {
            if (full)
                pp->from = after;
            else
                pp_pass_tag(pp, t, lt, ne, gt, rewrite);
            pp->ntags++;
            return after;
        }
        const char *ce = pp_find_end_tag(after, end, t->name);
        const char *bend = ce ? ce : end;
        if (t->kind == K_SCRIPT && find_ci(lt, gt, "ld+json", 7))
            pp_jsonld(pp, after, (size_t)(bend - after));
        else if (t->kind == K_SCRIPT && pp->jl->ndates < PP_MAX_SCRIPT_DATES)
            date_script_snippets(after, (size_t)(bend - after), pp_script_date, pp);
        if (full) {
            pp->from = bend; /* its end tag is dropped as unmatched */
            return bend;
        }
        pp->ntags++;
        pp_pass_tag(pp, t, lt, ne, gt, rewrite);
        pp->from = bend; /* the end tag itself is passed */
        return bend;
    }
    if (t->flags & PP_ONCE) {
        if (pp->seen[id])
            pp->from = after;
        else
            pp_pass_tag(pp, t, lt, ne, gt, rewrite);
        pp->seen[id] = 1;
        return after;
    }

    /* Elements this start tag closes implicitly. */
    if (!pp->overflow && pp->sp) {
        const struct pp_ent *top = &pp->st[pp->sp - 1];
        switch (t->kind) {
        case K_LI:
        case K_DD:
            pp_close(pp, pp_find(pp, 0, t->kind, PP_SPECIAL, PP_TRANSP));
            break;
        case K_CELL:
        case K_TR:
        case K_TSECT:
        case K_TABLE:
            pp_close(pp, pp_find(pp, 0, t->kind, PP_SCOPE, 0));
            break;
        case K_A: {
            /* Gumbo runs the adoption agency on the open one; when a block
             * is open inside it, the block stays open and the clone of the
             * element inside it is dropped. */
            size_t i = pp_find(pp, h, 0, PP_SCOPE, 0);
            if (i && pp_remove_misnested(pp, i - 1))
                break;
            pp_close(pp, i);
            break;
        }
        case K_BUTTON:
            pp_close(pp, pp_find(pp, 0, K_BUTTON, PP_SCOPE, 0));
            break;
        case K_OPTION:
        case K_OPTGROUP:
            if (pp_tags[top->id].kind == K_OPTION)
                pp_close(pp, pp->sp);
            if (t->kind == K_OPTGROUP && pp->sp && pp_tags[pp->st[pp->sp - 1].id].kind == K_OPTGROUP)
                pp_close(pp, pp->sp);
            break;
        case K_HEADING:
            if (pp_tags[top->id].kind == K_HEADING)
                pp_close(pp, pp->sp);
            break;
        default:
            break;
        }
        if (t->flags & PP_CLOSEP)
            pp_close(pp, pp_find(pp, 0, K_P, PP_SCOPE | PP_BSCOPE, 0));
    }
    if (t->kind == K_PLAINTEXT) {
        pp_pass_tag(pp, t, lt, ne, gt, rewrite);
        pp_flush_verbatim(pp, end); /* the rest of the page is text */
        return end;
    }
    if (t->flags & PP_RAW) {
        const char *ce = pp_find_end_tag(after, end, t->name);
        if (full) {
            pp->from = ce ? ce : end; /* dropped with its body */
        } else {
            pp->ntags++;
            pp_pass_tag(pp, t, lt, ne, gt, rewrite);
            pp_flush_verbatim(pp, ce ? ce : end);
        }
        return ce ? ce : end;
    }

    int drop = full;
    if (!(t->flags & PP_VOID)) {
        int fmt = (t->flags & PP_FMT) != 0;
        drop = drop || pp->sp + pp->overflow >= PP_CAP || (fmt && pp->nfmt >= PP_FMT_CAP);
        if (pp->sp == PP_STACK) {
            pp->overflow++;
        } else {
            pp->st[pp->sp] = (struct pp_ent){ h, id, (uint8_t)drop };
            pp_count(pp, &pp->st[pp->sp++], 1);
        }
    }
    if (drop) {
        pp->from = after;
        return after;
    }
    pp->ntags++;
    if (rewrite || pp->ph_on)
        pp_pass_tag(pp, t, lt, ne, gt, rewrite);
    return after;
}

/* End tag at lt ("</" and a letter); returns where to go on. */
static const char *pp_end_tag(struct pp *pp, const char *lt)
{
    const char *end = pp->end;
    uint32_t h;
    uint16_t id;
    int rewrite;
    const char *gt = pp_tag_end(pp_name(lt + 2, end, &h, &id), end, &rewrite, NULL);
    if (!gt)
        return end;
    const struct pp_tag *t = &pp_tags[id];
    const char *after = gt + 1;
    if (t->flags & (PP_BLANK | PP_RAW | PP_ONCE) || t->kind == K_PLAINTEXT)
        return after;
    pp_flush(pp, lt);
    if (t->flags & PP_VOID) {
        if (pp->ntags >= PP_MAX_TAGS) {
            pp->capped = 1;
            pp->from = after;
        }
        pp->ntags++;
        return after;
    }
    if (pp->overflow) {
        pp->overflow--;
        pp->from = after;
        return after;
    }
    size_t i;
    if (t->flags & PP_FMT)
        i = pp_find(pp, h, 0, PP_SCOPE, 0);
    else if (t->kind == K_P)
        i = pp_find(pp, h, 0, PP_SCOPE | PP_BSCOPE, 0);
    else if (t->kind == K_LI)
        i = pp_find(pp, h, 0, PP_SCOPE | PP_LIST, 0);
    else if (t->kind == K_CELL || t->kind == K_TR || t->kind == K_TSECT || t->kind == K_TABLE)
        i = pp_find(pp, h, 0, PP_TSCOPE, 0);
    else if (t->flags & PP_SPECIAL)
        i = pp_find(pp, h, 0, PP_SCOPE, 0);
    else
        i = pp_find(pp, h, 0, PP_SPECIAL, 0); /* "any other end tag" */
    if (!i) {
        /* Gumbo ignores it or copes within its own scope rules; a stray
         * </p> or </br> makes an element, so it counts as a start tag. */
        if (t->kind == K_P || (t->flags & PP_VOID)) {
            if (pp->ntags >= PP_MAX_TAGS) {
                pp->capped = 1;
                pp->from = after;
            }
            pp->ntags++;
        }
        return after;
    }
    size_t k = i - 1;
    if (t->flags & PP_FMT) {
        /* Misnested (<b><div></b>): Gumbo's adoption agency takes the
         * element out and puts a clone right above the furthest block. */
        size_t j = pp_furthest_block(pp, k);
        if (j) {
            struct pp_ent e = pp->st[k];
            memmove(&pp->st[k], &pp->st[k + 1], (j - k) * sizeof e);
            pp->st[j] = e;
            if (e.dropped)
                pp->from = after;
            return after;
        }
    }
    if (t->kind == K_FORM) {
        /* </form> takes the form out of the stack, leaving what is inside it open. */
        if (pp_remove(pp, k))
            pp->from = after;
        return after;
    }
    pp_pop_to(pp, i);
    const struct pp_ent *e = &pp->st[--pp->sp];
    pp_count(pp, e, 0);
    if (e->dropped)
        pp->from = after;
    return after;
}

/* Comment at lt ("<!--"): dropped. Ends at "-->" or "--!>" ("<!-->" and
 * "<!--->" are complete comments), else at the end of input. */
static const char *pp_comment(struct pp *pp, const char *lt)
{
    const char *end = pp->end, *q = lt + 4;
    pp_flush(pp, lt);
    if (q < end && *q == '>')
        q += 1;
    else if (end - q >= 2 && q[0] == '-' && q[1] == '>')
        q += 2;
    else
        for (;;) {
            const char *d = memmem(q, (size_t)(end - q), "--", 2);
            if (!d) {
                q = end;
                break;
            }
            if (end - d >= 3 && d[2] == '>') {
                q = d + 3;
                break;
            }
            if (end - d >= 4 && d[2] == '!' && d[3] == '>') {
                q = d + 4;
                break;
            }
            q = d + 1;
        }
    pp->from = q;
    return q;
}

static pthread_once_t pp_once = PTHREAD_ONCE_INIT;

static void pp_init(void)
{
    pp_tags_init();
    ph_init();
}

int prepass(const char *in, size_t n, struct buf *out, struct arena *a, struct pp_kept *jl, struct ph_tab *ph,
            int ph_off, int *capped)
{
    pthread_once(&pp_once, pp_init);
    struct pp *pp = na_calloc(1, sizeof *pp);
    struct pp_ent *st = na_malloc(PP_STACK * sizeof *st);
    if (!pp || !st) {
        free(pp);
        free(st);
        return NA_ENOMEM;
    }
    pp->st = st;
    pp->end = in + n;
    pp->from = pp->text_from = in;
    pp->ph = ph;
    pp->ph_on = ph->names = !ph_off && ph_page_ok(in, n);
    pp->out = out;
    pp->a = a;
    pp->jl = jl;
    const char *p = in, *end = in + n;
    while (p < end && !out->err) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt || lt + 1 >= end)
            break;
        char c = lt[1];
        if (pp_alpha(c)) {
            p = pp->text_from = pp_start_tag(pp, lt);
        } else if (c == '/' && lt + 2 < end && pp_alpha(lt[2])) {
            p = pp->text_from = pp_end_tag(pp, lt);
        } else if (c == '!' && end - lt >= 4 && lt[2] == '-' && lt[3] == '-') {
            p = pp->text_from = pp_comment(pp, lt);
        } else if (c == '!' || c == '?' || c == '/') {
            /* The first doctype is passed (it sets quirks mode); other
             * "<!...>", "<?...>" and "</...>" are bogus comments: dropped. */
            const char *gt = memchr(lt, '>', (size_t)(end - lt));
            p = pp->text_from = gt ? gt + 1 : end;
            if (c == '!' && !pp->doctype && end - lt >= 9 && strncasecmp(lt + 2, "doctype", 7) == 0) {
                pp->doctype = 1;
            } else {
                pp_flush(pp, lt);
                pp->from = p;
            }
        } else {
            p = lt + 1; /* a '<' in text */
        }
    }
    pp_flush(pp, end);
    if (out->data && !out->err)
        out->data[out->len] = 0;
    *capped = pp->capped;
    free(st);
    free(pp);
    return out->err;
}

/* ---- conversion helpers: the placeholders put back ---- */

const char *ph_alias_name(const struct ph_tab *ph, const char *name)
{
    const unsigned char *u = (const unsigned char *)name;
    if (ph->names && u[0] == 0xf3 && u[1] == 0x80 && u[2] == 0x80 && u[3] >= 0x80 && !u[4] && (size_t)(u[3] & 0x3f) < PH_NALIAS)
        return ph_aliases[u[3] & 0x3f];
    return NULL;
}

/* Index of the placeholder at p (lead byte 0xf3 or 0xf4, see pp_text),
 * or -1 when p holds no placeholder of this page. */
static long ph_index(const struct ph_tab *ph, const unsigned char *p)
{
    if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
        return -1;
    uint32_t cp = ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
    long i = cp >= 0x100000 ? (long)(cp - 0x100000) + 65534 : cp >= 0xf0000 ? (long)(cp - 0xf0000) : -1;
    return i >= 0 && (size_t)i < ph->n ? i : -1;
}

/* A copy of Gumbo's string s in the arena with the placeholders' text put
 * back (the segment's own copy when s is one placeholder); NULL when out of
 * memory. */
const char *ph_decode(struct arena *a, const char *s, const struct ph_tab *ph, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t l = 0;
    int has_ph = 0;
    for (; u[l]; l++)
        has_ph |= u[l] == 0xf3 || u[l] == 0xf4;
    long k;
    if (!has_ph || !ph->n) {
        char *t = arena_alloc(a, l + 1);
        if (t)
            memcpy(t, s, l + 1);
        *len = l;
        return t;
    }
    if (l == 4 && (k = ph_index(ph, u)) >= 0) {
        *len = ph->len[k];
        return ph->s[k];
    }
    size_t out = 0;
    for (size_t i = 0; i < l;) {
        if ((u[i] == 0xf3 || u[i] == 0xf4) && i + 4 <= l && (k = ph_index(ph, u + i)) >= 0) {
            out += ph->len[k];
            i += 4;
        } else {
            out++;
            i++;
        }
    }
    char *t = arena_alloc(a, out + 1), *o = t;
    if (!t)
        return NULL;
    for (size_t i = 0; i < l;) {
        if ((u[i] == 0xf3 || u[i] == 0xf4) && i + 4 <= l && (k = ph_index(ph, u + i)) >= 0) {
            memcpy(o, ph->s[k], ph->len[k]);
            o += ph->len[k];
            i += 4;
        } else {
            *o++ = s[i++];
        }
    }
    *o = 0;
    *len = out;
    return t;
}
