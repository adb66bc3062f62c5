/* charset.c — page bytes to valid UTF-8, the one file that sees iconv and
 * uchardet. Order (WHATWG Encoding / HTML "determining the character
 * encoding", simplified): BOM, the HTTP label, the <meta> prescan of the
 * first 4 KiB, then uchardet; a declaration whose decoding produces many
 * errors is second-guessed by uchardet and the better decoding kept.
 * Undecodable bytes become U+FFFD, so the output is always valid UTF-8. */
#include "parser/charset.h"
#include "util/err.h"
#include "util/http.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uchardet.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define PRESCAN_BYTES 4096
#define DETECT_BYTES (256u << 10)

/* ---- labels (WHATWG Encoding Standard §4.2, the encodings news sites use) ---- */

struct label {
    const char *label;
    const char *name; /* iconv name */
};

static const struct label labels[] = {
    { "unicode-1-1-utf-8", "UTF-8" }, { "unicode11utf8", "UTF-8" }, { "unicode20utf8", "UTF-8" },
    { "utf-8", "UTF-8" }, { "utf8", "UTF-8" }, { "x-unicode20utf8", "UTF-8" },
    { "chinese", "GB18030" }, { "csgb2312", "GB18030" }, { "csiso58gb231280", "GB18030" },
    { "gb2312", "GB18030" }, { "gb_2312", "GB18030" }, { "gb_2312-80", "GB18030" },
    { "gbk", "GB18030" }, { "iso-ir-58", "GB18030" }, { "x-gbk", "GB18030" }, { "gb18030", "GB18030" },
    { "cp936", "GB18030" }, { "euc-cn", "GB18030" },
    { "big5", "BIG5-HKSCS" }, { "big5-hkscs", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
    { "csbig5", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
    { "cseucpkdfmtjapanese", "EUC-JP" }, { "euc-jp", "EUC-JP" }, { "x-euc-jp", "EUC-JP" },
    { "csiso2022jp", "ISO-2022-JP" }, { "iso-2022-jp", "ISO-2022-JP" },
    { "csshiftjis", "CP932" }, { "ms932", "CP932" }, { "ms_kanji", "CP932" }, { "shift-jis", "CP932" },
    { "shift_jis", "CP932" }, { "sjis", "CP932" }, { "windows-31j", "CP932" }, { "x-sjis", "CP932" },
    { "cseuckr", "CP949" }, { "csksc56011987", "CP949" }, { "euc-kr", "CP949" }, { "iso-ir-149", "CP949" },
    { "korean", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "ks_c_5601-1989", "CP949" },
    { "ksc5601", "CP949" }, { "ksc_5601", "CP949" }, { "windows-949", "CP949" },
    { "csunicode", "UTF-16LE" }, { "iso-10646-ucs-2", "UTF-16LE" }, { "ucs-2", "UTF-16LE" },
    { "unicode", "UTF-16LE" }, { "unicodefeff", "UTF-16LE" }, { "utf-16", "UTF-16LE" },
    { "utf-16le", "UTF-16LE" }, { "unicodefffe", "UTF-16BE" }, { "utf-16be", "UTF-16BE" },
    { "ansi_x3.4-1968", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" }, { "cp1252", "WINDOWS-1252" },
    { "cp819", "WINDOWS-1252" }, { "csisolatin1", "WINDOWS-1252" }, { "ibm819", "WINDOWS-1252" },
    { "iso-8859-1", "WINDOWS-1252" }, { "iso-ir-100", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
    { "iso88591", "WINDOWS-1252" }, { "iso_8859-1", "WINDOWS-1252" }, { "iso_8859-1:1987", "WINDOWS-1252" },
    { "l1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" }, { "us-ascii", "WINDOWS-1252" },
    { "windows-1252", "WINDOWS-1252" }, { "x-cp1252", "WINDOWS-1252" },
    { "cp1250", "WINDOWS-1250" }, { "windows-1250", "WINDOWS-1250" }, { "x-cp1250", "WINDOWS-1250" },
    { "cp1251", "WINDOWS-1251" }, { "windows-1251", "WINDOWS-1251" }, { "x-cp1251", "WINDOWS-1251" },
    { "cp1253", "WINDOWS-1253" }, { "windows-1253", "WINDOWS-1253" },
    { "cp1254", "WINDOWS-1254" }, { "windows-1254", "WINDOWS-1254" }, { "iso-8859-9", "WINDOWS-1254" },
    { "latin5", "WINDOWS-1254" }, { "iso8859-9", "WINDOWS-1254" },
    { "cp1255", "WINDOWS-1255" }, { "windows-1255", "WINDOWS-1255" },
    { "cp1256", "WINDOWS-1256" }, { "windows-1256", "WINDOWS-1256" },
    { "cp1257", "WINDOWS-1257" }, { "windows-1257", "WINDOWS-1257" },
    { "cp1258", "WINDOWS-1258" }, { "windows-1258", "WINDOWS-1258" },
    { "windows-874", "CP874" }, { "tis-620", "CP874" }, { "iso-8859-11", "CP874" },
    { "iso-8859-2", "ISO-8859-2" }, { "latin2", "ISO-8859-2" }, { "iso8859-2", "ISO-8859-2" },
    { "iso-8859-3", "ISO-8859-3" }, { "iso-8859-4", "ISO-8859-4" },
    { "iso-8859-5", "ISO-8859-5" }, { "iso8859-5", "ISO-8859-5" }, { "cyrillic", "ISO-8859-5" },
    { "iso-8859-6", "ISO-8859-6" }, { "arabic", "ISO-8859-6" },
    { "iso-8859-7", "ISO-8859-7" }, { "greek", "ISO-8859-7" },
    { "iso-8859-8", "ISO-8859-8" }, { "hebrew", "ISO-8859-8" }, { "iso-8859-8-i", "ISO-8859-8" },
    { "iso-8859-10", "ISO-8859-10" }, { "iso-8859-13", "ISO-8859-13" }, { "iso-8859-14", "ISO-8859-14" },
    { "iso-8859-15", "ISO-8859-15" }, { "latin9", "ISO-8859-15" }, { "iso8859-15", "ISO-8859-15" },
    { "iso-8859-16", "ISO-8859-16" },
    { "koi8-r", "KOI8-R" }, { "koi8", "KOI8-R" }, { "koi", "KOI8-R" }, { "cskoi8r", "KOI8-R" },
    { "koi8-u", "KOI8-U" }, { "koi8-ru", "KOI8-U" },
    { "ibm866", "IBM866" }, { "866", "IBM866" }, { "cp866", "IBM866" },
    { "macintosh", "MACINTOSH" }, { "mac", "MACINTOSH" }, { "x-mac-roman", "MACINTOSH" },
    { "x-user-defined", "WINDOWS-1252" },
    /* uchardet's own names that the table above does not spell */
    { "euc-tw", "BIG5-HKSCS" }, { "hz-gb-2312", "GB18030" }, { "iso-2022-cn", "GB18030" },
    { "uhc", "CP949" }, { "cp949", "CP949" }, { "cp932", "CP932" }, { "iso-2022-kr", "CP949" },
    { "mac-cyrillic", "KOI8-R" }, { "x-mac-cyrillic", "KOI8-R" }, { "utf-32", "UTF-8" },
};

const char *charset_canonical(const char *label)
{
    if (!label)
        return NULL;
    while (*label == ' ' || *label == '\t' || *label == '\n' || *label == '\r' || *label == '\f')
        label++;
    size_t n = strlen(label);
    while (n && (label[n - 1] == ' ' || label[n - 1] == '\t' || label[n - 1] == '\n' ||
                 label[n - 1] == '\r' || label[n - 1] == '\f'))
        n--;
    if (n == 0 || n >= 40)
        return NULL;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strlen(labels[i].label) == n && strncasecmp(labels[i].label, label, n) == 0)
            return labels[i].name;
    return NULL;
}

/* ---- UTF-8 ---- */

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid/truncated. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; /* overlong */
        if (c == 0xED && p[1] >= 0xA0)
            return 0; /* surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0;
        if (c == 0xF4 && p[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

/* Counts invalid sequences and multi-byte characters in [p, p+n). */
/* Skips ASCII 8 bytes at a time. */
static const unsigned char *ascii_run(const unsigned char *s, const unsigned char *e)
{
#ifdef __SSE2__
    while (e - s >= 16) { /* sixteen at a time: the first byte >= 0x80 by its sign bit */
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)s));
        if (m)
            return s + __builtin_ctz(m);
        s += 16;
    }
#endif
    while (e - s >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        if (w & 0x8080808080808080ull)
            break;
        s += 8;
    }
    while (s < e && *s < 0x80)
        s++;
    return s;
}

/* Skips valid UTF-8 from s: ASCII eight bytes at a time, the common 2- and
 * 3-byte sequences inline (utf8_seq's rules); adds the multi-byte
 * characters skipped to *mb. Returns where a sequence needs utf8_seq (or e). */
static const unsigned char *utf8_run(const unsigned char *s, const unsigned char *e, size_t *mb)
{
    size_t m = 0;
    while (s < e) {
        unsigned c = *s;
        if (c < 0x80) {
            s = ascii_run(s, e);
            continue;
        }
        if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
            if (e - s < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
                break;
            s += 3;
            m++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            if (e - s < 2 || (s[1] & 0xC0) != 0x80)
                break;
            s += 2;
            m++;
            continue;
        }
        break;
    }
    *mb += m;
    return s;
}

/* With stop set, the scan ends at the first invalid sequence (*invalid is
 * 1 then, *multi a partial count) and 1 is returned; else 0. */
static int utf8_scan(const char *p, size_t n, size_t *invalid, size_t *multi, int stop)
{
    const unsigned char *s = (const unsigned char *)p, *e = s + n;
    size_t bad = 0, mb = 0;
    int stopped = 0;
    while (s < e) {
        s = utf8_run(s, e, &mb);
        if (s >= e)
            break;
        size_t l = utf8_seq(s, (size_t)(e - s));
        if (l) {
            mb++;
            s += l;
        } else {
            bad++;
            s++;
            if (stop) {
                stopped = 1;
                break;
            }
        }
    }
    *invalid = bad;
    *multi = mb;
    return stopped;
}

int charset_valid_utf8(const char *p, size_t n)
{
    size_t bad, mb;
    utf8_scan(p, n, &bad, &mb, 1);
    return bad == 0;
}

static const char REPLACEMENT[] = "\xEF\xBF\xBD";

/* Copies UTF-8, replacing each invalid byte by U+FFFD. */
static int utf8_copy(const char *p, size_t n, struct buf *out, size_t *invalid)
{
    const unsigned char *s = (const unsigned char *)p, *e = s + n, *run = s;
    size_t bad = 0, mb = 0;
    while (s < e) {
        s = utf8_run(s, e, &mb);
        if (s >= e)
            break;
        size_t l = utf8_seq(s, (size_t)(e - s));
        if (l) {
            s += l;
            continue;
        }
        buf_add(out, run, (size_t)(s - run));
        buf_add(out, REPLACEMENT, 3);
        bad++;
        s++;
        run = s;
    }
    buf_add(out, run, (size_t)(s - run));
    *invalid = bad;
    return out->err;
}

/* ---- iconv ---- */

/* Converts [p, p+n) with cd, each undecodable byte becoming U+FFFD (counted
 * in *bad). */
static void iconv_run(iconv_t cd, const char *p, size_t n, struct buf *out, size_t *badp)
{
    size_t bad = 0;
    char *in = (char *)p;
    size_t inleft = n;
    while (inleft > 0 && !out->err) {
        if (buf_grow(out, inleft * 2 + 64))
            break;
        char *o = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t before = oleft;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        out->len += before - oleft;
        out->data[out->len] = 0;
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ or EINVAL (truncated at the end): replace one byte, resync. */
        buf_add(out, REPLACEMENT, 3);
        bad++;
        in++;
        inleft--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    *badp += bad;
}

/* GB18030 bytes that are never part of a multi-byte character (trail bytes
 * are 0x30-0x39, 0x40-0x7e and 0x80-0xfe): at one of them iconv starts
 * afresh, whatever came before, and the ASCII that follows is itself. */
static int gb_hard(unsigned c) { return c < 0x30 || (c >= 0x3a && c < 0x40); }

#define GB_MIN_RUN 16 /* ASCII bytes worth a separate iconv call */

/* GB18030 pages are mostly ASCII markup, which iconv converts at tens of
 * instructions a byte: ASCII runs that start at a gb_hard byte are copied,
 * iconv gets the rest; the result is the one iconv_run gives for the whole. */
static void gb18030_run(iconv_t cd, const char *p, size_t n, struct buf *out, size_t *bad)
{
    const unsigned char *b = (const unsigned char *)p, *e = b + n;
    while (b < e && !out->err) {
        const unsigned char *m = ascii_run(b, e);
        buf_add(out, b, (size_t)(m - b));
        if (m >= e)
            break;
        const unsigned char *h = e, *q = m;
        while (q < e) {
            while (q < e && *q >= 0x80)
                q++;
            const unsigned char *r = ascii_run(q, e);
            if (r - q >= GB_MIN_RUN || r >= e) {
                const unsigned char *t = q;
                while (t < r && !gb_hard(*t))
                    t++;
                if (t < r && (r - t >= GB_MIN_RUN || r >= e)) {
                    h = t;
                    break;
                }
            }
            q = r;
        }
        iconv_run(cd, (const char *)m, (size_t)(h - m), out, bad);
        b = h;
    }
}

/* Decodes with iconv; each undecodable byte becomes U+FFFD. Returns 0, a
 * buf error, or NA_EUNSUPPORTED when iconv does not know `name`. */
static int iconv_decode(const char *name, const char *p, size_t n, struct buf *out, size_t *invalid)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1)
        return NA_EUNSUPPORTED;
    size_t bad = 0;
    if (strcmp(name, "GB18030") == 0)
        gb18030_run(cd, p, n, out, &bad);
    else
        iconv_run(cd, p, n, out, &bad);
    iconv_close(cd);
    /* Stateful encodings (ISO-2022-JP) may need a final flush; it writes ASCII
     * at most, which the E2BIG-free buffer above has room for. */
    *invalid = bad;
    return out->err;
}

/* Decodes p in `name` ("UTF-8" handled here). */
static int decode(const char *name, const char *p, size_t n, struct buf *out, size_t *invalid)
{
    if (strcmp(name, "UTF-8") == 0)
        return utf8_copy(p, n, out, invalid);
    return iconv_decode(name, p, n, out, invalid);
}

/* ---- <meta> prescan (WHATWG HTML §13.2.3.2, simplified) ---- */

static int is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/* Reads one attribute at *pp (< end); name/value into fixed buffers
 * (lower-cased name). Returns 0 at '>' or the end. */
static int prescan_attr(const char **pp, const char *end, char *name, size_t ncap, char *val, size_t vcap)
{
    const char *p = *pp;
    size_t nl = 0, vl = 0;
    while (p < end && (is_space((unsigned char)*p) || *p == '/'))
        p++;
    if (p >= end || *p == '>') {
        *pp = p;
        return 0;
    }
    while (p < end && !is_space((unsigned char)*p) && *p != '=' && *p != '>' && *p != '/') {
        if (nl + 1 < ncap) {
            char c = *p;
            name[nl++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        p++;
    }
    name[nl] = 0;
    while (p < end && is_space((unsigned char)*p))
        p++;
    if (p < end && *p == '=') {
        p++;
        while (p < end && is_space((unsigned char)*p))
            p++;
        if (p < end && (*p == '"' || *p == '\'')) {
            char q = *p++;
            while (p < end && *p != q) {
                if (vl + 1 < vcap)
                    val[vl++] = *p;
                p++;
            }
            if (p < end)
                p++;
        } else {
            while (p < end && !is_space((unsigned char)*p) && *p != '>') {
                if (vl + 1 < vcap)
                    val[vl++] = *p;
                p++;
            }
        }
    }
    val[vl] = 0;
    *pp = p;
    return 1;
}

/* "text/html; charset=gbk" → "gbk" (into out): util/http.h's Content-Type
 * reading, the one the crawl applies to the HTTP header. */
static int charset_from_content(const char *v, char *out, size_t cap)
{
    return http_charset_param(v, out, cap);
}

/* Finds a charset declared by <meta> in the first PRESCAN_BYTES. */
static const char *prescan(const char *p, size_t n)
{
    const char *end = p + (n < PRESCAN_BYTES ? n : PRESCAN_BYTES);
    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            return NULL;
        p = lt + 1;
        if (end - lt >= 4 && memcmp(lt, "<!--", 4) == 0) {
            const char *c = memmem(lt + 4, (size_t)(end - lt - 4), "-->", 3);
            if (!c)
                return NULL;
            p = c + 3;
            continue;
        }
        if (end - p < 5 || strncasecmp(p, "meta", 4) != 0 || !(is_space((unsigned char)p[4]) || p[4] == '/'))
            continue;
        p += 4;
        char name[32], val[256], cs[64] = "";
        int http_equiv = 0, have_content = 0, have_charset = 0;
        while (prescan_attr(&p, end, name, sizeof name, val, sizeof val)) {
            if (strcmp(name, "charset") == 0 && !have_charset) {
                size_t l = strnlen(val, sizeof cs - 1);
                memcpy(cs, val, l);
                cs[l] = 0;
                have_charset = 1;
            } else if (strcmp(name, "http-equiv") == 0) {
                http_equiv = strcasecmp(val, "content-type") == 0;
            } else if (strcmp(name, "content") == 0 && !have_charset && !have_content) {
                have_content = charset_from_content(val, cs, sizeof cs);
            }
        }
        if (have_charset || (http_equiv && have_content)) {
            const char *c = charset_canonical(cs);
            if (c) {
                /* A page cannot declare UTF-16 in its own ASCII bytes. */
                if (strncmp(c, "UTF-16", 6) == 0)
                    c = "UTF-8";
                return c;
            }
        }
    }
    return NULL;
}

/* ---- detection ---- */

/* uchardet's guess for the first DETECT_BYTES, as an iconv name, or NULL. */
static const char *detect(const char *p, size_t n, char *tmp, size_t cap)
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return NULL;
    uchardet_handle_data(ud, p, n < DETECT_BYTES ? n : DETECT_BYTES);
    uchardet_data_end(ud);
    const char *r = uchardet_get_charset(ud);
    const char *c = NULL;
    if (r && *r) {
        c = charset_canonical(r);
        if (!c) {
            /* A name uchardet knows but the table does not: let iconv try. */
            snprintf(tmp, cap, "%s", r);
            c = tmp;
        }
    }
    uchardet_delete(ud);
    return c;
}

static int is_cjk(const char *name)
{
    return strcmp(name, "GB18030") == 0 || strcmp(name, "BIG5-HKSCS") == 0 || strcmp(name, "CP932") == 0 ||
           strcmp(name, "CP949") == 0 || strcmp(name, "EUC-JP") == 0;
}

/* Over a tenth of the bytes with the high bit set: not Western text. */
static int cjk_lie(const char *p, size_t n)
{
    size_t hi = 0, m = n < DETECT_BYTES ? n : DETECT_BYTES;
    for (size_t i = 0; i < m; i++)
        hi += (unsigned char)p[i] >= 0x80;
    return hi > 64 && hi * 10 > m;
}

/* A declaration "fails" when its decoding replaces many bytes. */
static int many_errors(size_t invalid, size_t n) { return invalid > 8 && invalid * 200 > n; }

static void set_info(struct charset_info *info, const char *name, const char *source, size_t invalid)
{
    if (!info)
        return;
    snprintf(info->name, sizeof info->name, "%s", name);
    info->source = source;
    info->invalid = invalid;
}

int charset_to_utf8(const char *in, size_t n, const char *http_label, struct buf *out,
                    struct charset_info *info, struct buf *err)
{
    const unsigned char *u = (const unsigned char *)in;
    size_t invalid = 0, start = out->len;
    const char *name = NULL, *source = NULL;
    int rc;

    /* 1. BOM wins over everything. */
    if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        name = "UTF-8", source = "bom", in += 3, n -= 3;
    } else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
        name = "UTF-16LE", source = "bom", in += 2, n -= 2;
    } else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
        name = "UTF-16BE", source = "bom", in += 2, n -= 2;
    }
    if (name) {
        rc = decode(name, in, n, out, &invalid);
        goto done;
    }

    /* 2./3. A declaration: the HTTP label, else <meta>. */
    name = charset_canonical(http_label);
    source = "http";
    if (!name) {
        name = prescan(in, n);
        source = "meta";
    }
    /* A UTF-8 declaration is checked by decoding itself; others need to
     * know whether the bytes happen to be valid UTF-8. */
    size_t bad8 = 0, multi8 = 0;
    int scanned = !name || strcmp(name, "UTF-8") != 0, partial = 0;
    /* Only a windows-1252 declaration needs the exact counts of invalid
     * UTF-8; otherwise "any invalid?" will do until a declaration fails. */
    if (scanned)
        partial = utf8_scan(in, n, &bad8, &multi8, !name || strcmp(name, "WINDOWS-1252") != 0);
    if (name) {
        /* Valid UTF-8 with real multi-byte text is not an accident: pages
         * that declare gb2312 but were re-saved as UTF-8 are common. */
        if (strcmp(name, "UTF-8") != 0 && strncmp(name, "UTF-16", 6) != 0 && bad8 == 0 && multi8 >= 4) {
            name = "UTF-8";
            source = "detected";
        }
        rc = decode(name, in, n, out, &invalid);
        if (rc == 0 && strcmp(name, "WINDOWS-1252") == 0 && bad8 > multi8 && cjk_lie(in, n)) {
            /* Latin-1 decodes any byte, so a CJK page mislabelled latin1
             * shows no errors: trust the detector when it sees CJK text. */
            char tmp[40];
            const char *alt = detect(in, n, tmp, sizeof tmp);
            if (alt && is_cjk(alt)) {
                struct buf b2 = BUF_INIT;
                size_t inv2 = 0;
                buf_init(&b2, out->max);
                if (decode(alt, in, n, &b2, &inv2) == 0 && !many_errors(inv2, n)) {
                    buf_truncate(out, start);
                    rc = buf_add(out, b2.data, b2.len);
                    set_info(info, alt, "detected", inv2);
                    buf_release(&b2);
                    goto out;
                }
                buf_release(&b2);
            }
        }
        if (rc == NA_EUNSUPPORTED) {
            name = NULL;
        } else if (rc || !many_errors(invalid, n)) {
            goto done;
        } else {
            /* The declaration lies: compare with the detector's answer. */
            char tmp[40];
            if (partial)
                utf8_scan(in, n, &bad8, &multi8, 0);
            const char *alt = scanned && bad8 * 200 <= n && multi8 ? "UTF-8" : detect(in, n, tmp, sizeof tmp);
            if (alt && strcmp(alt, name) != 0) {
                struct buf b2 = BUF_INIT;
                size_t inv2 = 0;
                buf_init(&b2, out->max);
                if (decode(alt, in, n, &b2, &inv2) == 0 && inv2 < invalid) {
                    buf_truncate(out, start);
                    rc = buf_add(out, b2.data, b2.len);
                    snprintf(tmp, sizeof tmp, "%s", alt);
                    set_info(info, tmp, "detected", inv2);
                    buf_release(&b2);
                    goto out;
                }
                buf_release(&b2);
            }
            goto done;
        }
    }

    /* 4. Undeclared (or unknown label): valid UTF-8 is UTF-8 (that covers
     * ASCII); otherwise ask uchardet, falling back to GB18030, the likeliest
     * legacy encoding for the sites newsarc serves, then windows-1252. */
    source = "detected";
    if (bad8 == 0) {
        name = "UTF-8";
        source = multi8 ? "detected" : "default";
        rc = decode(name, in, n, out, &invalid);
        goto done;
    }
    char tmp[40];
    name = detect(in, n, tmp, sizeof tmp);
    if (name) {
        buf_truncate(out, start);
        rc = decode(name, in, n, out, &invalid);
        if (rc != NA_EUNSUPPORTED && (rc || !many_errors(invalid, n)))
            goto done_copy;
    }
    {
        static const char *const fallbacks[] = { "GB18030", "WINDOWS-1252" };
        for (size_t i = 0; i < 2; i++) {
            buf_truncate(out, start);
            name = fallbacks[i];
            rc = decode(name, in, n, out, &invalid);
            if (rc || !many_errors(invalid, n))
                break;
        }
        source = "default";
    }
    goto done;

done_copy: {
        char keep[40];
        snprintf(keep, sizeof keep, "%s", name);
        set_info(info, keep, source, invalid);
        goto out;
    }
done:
    set_info(info, name, source, invalid);
out:
    if (rc) {
        buf_seterr(err, "cannot convert page to UTF-8: %s", na_strerror(rc));
        return rc;
    }
    return 0;
}
