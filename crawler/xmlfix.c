/* xmlfix.c — repairs feeds and sitemaps before libxml2 parses them
 * (xmlfix.h): decoding to UTF-8 through parser/charset, leading junk, and
 * a rewrite of '&' that leaves only character references (XML 1.0 §4.1),
 * because libxml2's recover mode keeps those after a well-formedness error
 * and drops entity references. Linear: every byte is looked at a bounded
 * number of times, and skipped sections end at their first terminator. */
#include "crawler/xmlfix.h"
#include "parser/charset.h"
#include "util/err.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The five XML entities and the HTML ones feeds use most. */
static const struct {
    const char *name;
    unsigned cp;
} entities[] = {
    { "amp", 38 }, { "lt", 60 }, { "gt", 62 }, { "quot", 34 }, { "apos", 39 },
    { "nbsp", 160 }, { "iexcl", 161 }, { "cent", 162 }, { "pound", 163 }, { "yen", 165 },
    { "sect", 167 }, { "uml", 168 }, { "copy", 169 }, { "laquo", 171 }, { "not", 172 },
    { "shy", 173 }, { "reg", 174 }, { "deg", 176 }, { "plusmn", 177 }, { "middot", 183 },
    { "para", 182 }, { "raquo", 187 }, { "times", 215 }, { "divide", 247 }, { "ensp", 8194 },
    { "emsp", 8195 }, { "thinsp", 8201 }, { "zwnj", 8204 }, { "zwj", 8205 }, { "ndash", 8211 },
    { "mdash", 8212 }, { "lsquo", 8216 }, { "rsquo", 8217 }, { "sbquo", 8218 }, { "ldquo", 8220 },
    { "rdquo", 8221 }, { "bdquo", 8222 }, { "bull", 8226 }, { "hellip", 8230 }, { "prime", 8242 },
    { "lsaquo", 8249 }, { "rsaquo", 8250 }, { "euro", 8364 }, { "trade", 8482 }, { "larr", 8592 },
    { "uarr", 8593 }, { "rarr", 8594 }, { "darr", 8595 }, { "hearts", 9829 },
};

#define NAME_MAX_LEN 32

static int is_hex(int c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int name_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
static int name_char(int c) { return name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-'; }

/* XML 1.0 Char production. */
static int xml_char(unsigned long v)
{
    return v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) ||
           (v >= 0x10000 && v <= 0x10FFFF);
}

/* A reference at p ('&'), at most end - p bytes: appends its replacement
 * and returns the bytes consumed (the '&' alone when it starts nothing
 * well-formed). */
static size_t reference(const char *p, const char *end, struct buf *out)
{
    size_t n = (size_t)(end - p), i = 1;
    if (n > 2 && p[1] == '#') {
        int hex = p[2] == 'x';
        unsigned long v = 0;
        size_t d = 0;
        for (i = hex ? 3 : 2; i < n && d < 8 && (hex ? is_hex(p[i]) : (p[i] >= '0' && p[i] <= '9')); i++, d++)
            v = v * (hex ? 16 : 10) + (unsigned long)(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
        if (d && i < n && p[i] == ';' && xml_char(v)) {
            buf_add(out, p, i + 1);
            return i + 1;
        }
    } else if (n > 2 && name_start((unsigned char)p[1])) {
        while (i < n && i <= NAME_MAX_LEN && name_char((unsigned char)p[i]))
            i++;
        if (i < n && p[i] == ';') {
            for (size_t k = 0; k < sizeof entities / sizeof entities[0]; k++) {
                if (strlen(entities[k].name) == i - 1 && memcmp(entities[k].name, p + 1, i - 1) == 0) {
                    buf_printf(out, "&#%u;", entities[k].cp);
                    return i + 1;
                }
            }
        }
    }
    buf_adds(out, "&#38;"); /* the name (if any) follows as text */
    return 1;
}

/* Where the document starts: at "<?xml" when it comes within
 * XMLFIX_HEAD_MAX bytes, else at the first '<' unless that starts an
 * element other than a feed's or sitemap's root and such a root follows
 * within XMLFIX_HEAD_MAX bytes (a PHP notice's "<br />" before "<rss>"),
 * else nowhere (n). */
static size_t doc_start(const char *p, size_t n)
{
    static const char *const roots[] = { "<rss", "<feed", "<rdf:RDF", "<RDF", "<urlset", "<sitemapindex",
                                         "<channel", NULL };
    size_t k = n < XMLFIX_HEAD_MAX ? n : XMLFIX_HEAD_MAX;
    const char *d = memmem(p, k, "<?xml", 5);
    if (d)
        return (size_t)(d - p);
    const char *lt = memchr(p, '<', n);
    if (!lt)
        return n;
    size_t at = (size_t)(lt - p);
    if (at + 1 < n && (lt[1] == '!' || lt[1] == '?'))
        return at; /* a comment, DOCTYPE or stylesheet PI before the root */
    const char *best = NULL;
    for (size_t i = 0; roots[i]; i++) {
        size_t rl = strlen(roots[i]);
        const char *r = memmem(p, k, roots[i], rl);
        /* the name must end there: "<rss " or "<rss>", not "<rssx" */
        while (r && r + rl < p + k && name_char((unsigned char)r[rl]))
            r = memmem(r + 1, (size_t)(p + k - r - 1), roots[i], rl);
        if (r && (!best || r < best))
            best = r;
    }
    return best && best > lt ? (size_t)(best - p) : at;
}

/* The end (past the terminator) of a section starting at p that runs to
 * term, or end when it is not closed. */
static const char *skip_to(const char *p, const char *end, const char *term)
{
    const char *t = memmem(p, (size_t)(end - p), term, strlen(term));
    return t ? t + strlen(term) : end;
}

/* The end of a DOCTYPE declaration: its '>', or "]>" (spaces allowed
 * between) when an internal subset '[' comes first. */
static const char *skip_doctype(const char *p, const char *end)
{
    const char *gt = memchr(p, '>', (size_t)(end - p));
    const char *sq = memchr(p, '[', (size_t)((gt ? gt : end) - p));
    if (!sq)
        return gt ? gt + 1 : end;
    for (const char *q = sq + 1; q < end;) {
        const char *rb = memchr(q, ']', (size_t)(end - q));
        if (!rb)
            return end;
        const char *s = rb + 1;
        while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
            s++;
        if (s < end && *s == '>')
            return s + 1;
        q = rb + 1;
    }
    return end;
}

/* Appends [p, end) without the control characters XML forbids (C0 but
 * tab, LF, CR): they are errors in comments, CDATA, PIs and the DOCTYPE too,
 * and libxml2's recovery from one can garble the text around it. */
static void add_allowed(struct buf *out, const char *p, const char *end)
{
    while (p < end) {
        const char *run = p;
        while (p < end && ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        buf_add(out, run, (size_t)(p - run));
        if (p < end)
            p++;
    }
}

/* The '&' rewrite and control-character filter over UTF-8 text. */
static void rewrite(const char *p, const char *end, struct buf *out)
{
    while (p < end && !out->err) {
        const char *run = p;
        while (p < end && *p != '&' && *p != '<' && ((unsigned char)*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        buf_add(out, run, (size_t)(p - run));
        if (p == end)
            break;
        if (*p == '&') {
            p += reference(p, end, out);
            continue;
        }
        if (*p != '<') {
            p++; /* a control character XML forbids */
            continue;
        }
        const char *e = p + 1;
        size_t left = (size_t)(end - p);
        if (left >= 4 && memcmp(p, "<!--", 4) == 0)
            e = skip_to(p + 4, end, "-->");
        else if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
            e = skip_to(p + 9, end, "]]>");
        else if (left >= 2 && p[1] == '?')
            e = skip_to(p + 2, end, "?>");
        else if (left >= 9 && strncasecmp(p, "<!DOCTYPE", 9) == 0)
            e = skip_doctype(p + 9, end);
        add_allowed(out, p, e);
        p = e;
    }
}

/* The label of the XML declaration ("gb2312"), or a UTF-16 guess from the
 * first bytes, into label; "" when there is none. */
static void declared_label(const char *p, size_t n, char *label, size_t cap)
{
    label[0] = 0;
    if (n >= 4 && p[0] == '<' && p[1] == 0 && p[2] == '?' && p[3] == 0) {
        snprintf(label, cap, "utf-16le");
        return;
    }
    if (n >= 4 && p[0] == 0 && p[1] == '<' && p[2] == 0 && p[3] == '?') {
        snprintf(label, cap, "utf-16be");
        return;
    }
    size_t k = n < XMLFIX_HEAD_MAX ? n : XMLFIX_HEAD_MAX;
    const char *d = memmem(p, k, "<?xml", 5);
    if (!d)
        return;
    size_t dn = (size_t)(p + k - d);
    const char *e = memmem(d, dn, "?>", 2);
    const char *end = e ? e : p + k;
    const char *enc = memmem(d, (size_t)(end - d), "encoding", 8);
    if (!enc)
        return;
    const char *q = enc + 8;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n' || *q == '='))
        q++;
    if (q >= end || (*q != '"' && *q != '\''))
        return;
    char quote = *q++;
    size_t vn = 0;
    while (q + vn < end && q[vn] != quote && vn + 1 < cap)
        vn++;
    if (q + vn < end && q[vn] == quote) {
        memcpy(label, q, vn);
        label[vn] = 0;
    }
}

int xmlfix_prepare(const char *in, size_t n, struct buf *out, struct buf *err)
{
    char label[40];
    declared_label(in, n, label, sizeof label);
    struct buf u;
    buf_init(&u, n * 3 + 64); /* UTF-8 of a legacy encoding is at most 3x */
    const char *p = in;
    size_t pn = n;
    const char *canon = charset_canonical(label[0] ? label : "utf-8");
    const unsigned char *b = (const unsigned char *)in;
    int bom = n >= 2 && ((b[0] == 0xEF && b[1] == 0xBB) || (b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE));
    if (bom || !canon || strcmp(canon, "UTF-8") != 0 || !charset_valid_utf8(in, n)) {
        int rc = charset_to_utf8(in, n, label[0] ? label : "utf-8", &u, NULL, err);
        if (rc) {
            buf_release(&u);
            return rc;
        }
        p = buf_str(&u);
        pn = u.len;
    } /* else UTF-8 already: read in place, no copy (feeds of tens of MB) */
    size_t start = doc_start(p, pn);
    /* room for some escapes in one realloc, within out's max */
    size_t want = (pn - start) + (pn - start) / 16, room = (out->max ? out->max : BUF_DEFAULT_MAX) - out->len;
    buf_grow(out, want < room ? want : room);
    rewrite(p + start, p + pn, out);
    buf_add(out, "", 0); /* NUL-terminated even when empty (buf_grow does not write one) */
    int rc = out->err;
    if (rc == NA_ETOOBIG)
        buf_seterr(err, "larger than %zu bytes once its '&' characters are escaped", out->max);
    else if (rc)
        buf_seterr(err, "out of memory");
    buf_release(&u);
    return rc;
}
