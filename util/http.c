/* http.c — reading an HTTP response for its payload (http.h): header
 * fields, chunked transfer coding (RFC 9112 §7.1), content codings (gzip and
 * deflate with zlib, the common whole-gzip case with libdeflate), all under
 * one cap, and Content-Type's media type and charset parameter. */
#include "util/http.h"
#include "util/err.h"
#include "util/mem.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int http_head_is_chunked(const char *head, size_t n)
{
    const char *p = head, *end = head + n;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *le = eol ? eol : end;
        static const char name[] = "transfer-encoding:";
        size_t nl = sizeof name - 1;
        if ((size_t)(le - p) > nl && strncasecmp(p, name, nl) == 0) {
            /* the last coding listed is the one that frames the message */
            const char *v = p + nl, *last = v;
            for (const char *q = v; q < le; q++)
                if (*q == ',')
                    last = q + 1;
            while (last < le && (*last == ' ' || *last == '\t'))
                last++;
            if ((size_t)(le - last) >= 7 && strncasecmp(last, "chunked", 7) == 0)
                return 1;
        }
        p = eol ? eol + 1 : end;
    }
    return 0;
}

int http_dechunk(const char *p, size_t n, struct buf *out, struct buf *err)
{
    size_t i = 0;
    for (;;) {
        size_t size = 0;
        int digits = 0, h;
        while (i < n && (h = hexval((unsigned char)p[i])) >= 0) {
            if (size > ((size_t)-1 >> 5)) {
                buf_seterr(err, "at %zu: chunk size too large", i);
                return NA_EPARSE;
            }
            size = size * 16 + (size_t)h;
            digits++;
            i++;
        }
        if (!digits) {
            buf_seterr(err, "at %zu: expected a chunk size", i);
            return NA_EPARSE;
        }
        while (i < n && p[i] != '\n') /* chunk extensions, CR */
            i++;
        if (i >= n) {
            buf_seterr(err, "at %zu: chunked body ends inside a chunk header", i);
            return NA_EPARSE;
        }
        i++;
        if (size == 0)
            return 0; /* trailers (if any) are not body */
        if (size > n - i) {
            buf_seterr(err, "at %zu: chunked body ends inside a chunk", i);
            return NA_EPARSE;
        }
        if (buf_add(out, p + i, size)) {
            buf_seterr(err, "decoded body over the cap of %zu bytes", out->max);
            return out->err;
        }
        i += size;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
}

/* ---- header fields ---- */

int http_head_field(const char *head, size_t n, const char *name, struct buf *out)
{
    size_t nl = strlen(name);
    buf_reset(out);
    if (!head)
        return 0;
    const char *end = head + n, *p = memchr(head, '\n', n);
    if (!p)
        return 0;
    p++;
    int found = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t l = (size_t)(eol - p);
        if (l && p[l - 1] == '\r')
            l--;
        if (l == 0)
            break;
        if (found && (p[0] == ' ' || p[0] == '\t')) {
            while (l && (*p == ' ' || *p == '\t'))
                p++, l--;
            buf_addc(out, ' ');
            buf_add(out, p, l);
        } else if (found) {
            break;
        } else if (l > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1, *ve = p + l;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            buf_add(out, v, (size_t)(ve - v));
            found = 1;
        }
        p = eol + 1;
    }
    while (out->len && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\t'))
        buf_truncate(out, out->len - 1);
    return out->err ? out->err : found;
}

/* ---- content codings ---- */

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return na_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

static int over_cap(struct buf *err, size_t max)
{
    buf_seterr(err, "decoded body over the cap of %zu bytes", max);
    return NA_ETOOBIG;
}

/* Inflates with zlib; wbits as for inflateInit2. Concatenated gzip members
 * are all decoded. At most max bytes are appended; more is NA_ETOOBIG, or
 * with cut (a prefix is wanted) 0 and *cut = 1, as is a stream that ends
 * early. */
static int inflate_into(const char *p, size_t n, int wbits, size_t max, struct buf *out, int *cut,
                        struct buf *err)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    int zr = inflateInit2(&z, wbits);
    if (zr != Z_OK) {
        buf_seterr(err, "cannot initialize zlib");
        return zr == Z_MEM_ERROR ? NA_ENOMEM : NA_EINVAL;
    }
    size_t start = out->len, left = n;
    int rc = 0;
    z.next_in = (unsigned char *)(uintptr_t)p;
    for (;;) {
        if (z.avail_in == 0 && left) {
            z.avail_in = left > (1u << 30) ? (1u << 30) : (unsigned)left;
            left -= z.avail_in;
        }
        size_t used = out->len - start, room = (size_t)64 << 10;
        unsigned char probe;
        if (used >= max) { /* full: is there one more byte? */
            z.next_out = &probe;
            z.avail_out = 1;
            room = 0;
        } else {
            if (room > max - used)
                room = max - used;
            if (buf_grow(out, room)) {
                buf_seterr(err, "decoded body over the cap of %zu bytes", out->max);
                rc = out->err == NA_ENOMEM ? NA_ENOMEM : NA_ETOOBIG;
                break;
            }
            z.next_out = (unsigned char *)out->data + out->len;
            z.avail_out = (unsigned)room;
        }
        zr = inflate(&z, Z_NO_FLUSH);
        if (!room) {
            if (z.avail_out == 0) {
                if (cut) {
                    *cut = 1;
                    break;
                }
                rc = over_cap(err, max);
                break;
            }
        } else {
            out->len += room - z.avail_out;
            out->data[out->len] = 0;
        }
        if (zr == Z_STREAM_END) {
            if (z.avail_in == 0 && left) {
                z.avail_in = left > (1u << 30) ? (1u << 30) : (unsigned)left;
                left -= z.avail_in;
            }
            /* another gzip member may follow; anything else is ignored */
            if (wbits > 15 && z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
                inflateReset(&z);
                continue;
            }
            break;
        }
        if (zr == Z_OK)
            continue;
        if (zr == Z_BUF_ERROR && z.avail_in == 0 && !left) {
            if (cut) {
                *cut = 1;
                break;
            }
            buf_seterr(err, "compressed body is truncated");
            rc = NA_EPARSE;
            break;
        }
        buf_seterr(err, "corrupt compressed body: %s", z.msg ? z.msg : "zlib error");
        rc = zr == Z_MEM_ERROR ? NA_ENOMEM : NA_EPARSE;
        break;
    }
    inflateEnd(&z);
    return rc;
}

/* The common case of a gzip body, one member whose trailer states a size
 * within max, decoded in one call by libdeflate (about twice zlib's speed):
 * 1 when done, 0 when the body is anything else (then nothing was appended
 * and the zlib path decides, with its precise errors). libdeflate writes
 * only into the room given, so a trailer that lies cannot overrun. */
static int gunzip_whole(const char *p, size_t n, size_t max, struct buf *out)
{
    if (n < 18 || (unsigned char)p[0] != 0x1f || (unsigned char)p[1] != 0x8b)
        return 0;
    const unsigned char *t = (const unsigned char *)p + n - 4;
    size_t isize = (size_t)t[0] | (size_t)t[1] << 8 | (size_t)t[2] << 16 | (size_t)t[3] << 24;
    /* deflate expands at most ~1032:1; a larger claim is a lie or a bomb */
    if (!isize || isize > max || isize / 1032 > n || buf_grow(out, isize + 1))
        return 0;
    struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
    if (!d)
        return 0;
    size_t in_used = 0, got = 0;
    enum libdeflate_result r = libdeflate_gzip_decompress_ex(d, p, n, out->data + out->len, isize, &in_used, &got);
    libdeflate_free_decompressor(d);
    if (r != LIBDEFLATE_SUCCESS || in_used != n || got != isize)
        return 0;
    out->len += got;
    out->data[out->len] = 0;
    return 1;
}

/* Chunked framing removed from a body cut short: whole chunks, then what
 * came of the last one (http_dechunk wants the framing complete). */
static int dechunk_prefix(const char *p, size_t n, struct buf *out, int *cut, struct buf *err)
{
    size_t i = 0;
    for (;;) {
        size_t size = 0, digits = 0;
        int h;
        for (; i < n && (h = hexval((unsigned char)p[i])) >= 0; i++, digits++) {
            if (size > ((size_t)-1 >> 5))
                break;
            size = size * 16 + (size_t)h;
        }
        while (i < n && p[i] != '\n') /* chunk extensions, CR */
            i++;
        if (i >= n || !digits) {
            *cut = 1; /* the body ends (or breaks) inside a chunk header */
            return 0;
        }
        i++;
        if (size == 0)
            return 0;
        size_t take = size < n - i ? size : n - i;
        if (buf_add(out, p + i, take)) {
            buf_seterr(err, "decoded body over the cap of %zu bytes", out->max);
            return out->err;
        }
        if (take < size) {
            *cut = 1;
            return 0;
        }
        i += size;
        if (i < n && p[i] == '\r')
            i++;
        if (i < n && p[i] == '\n')
            i++;
    }
}

enum coding { C_NONE, C_GZIP, C_DEFLATE, C_OTHER };

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* The one content coding a Content-Encoding value asks to undo: its list
 * entries (RFC 9110 §8.4) without identity, none and empty ones. */
static enum coding coding_of(const char *ce)
{
    enum coding c = C_NONE;
    for (const char *p = ce; p && *p;) {
        while (is_ows(*p) || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t l = (size_t)(e - p);
        while (l && is_ows(p[l - 1]))
            l--;
        enum coding k = C_OTHER;
#define IS(s) (l == sizeof s - 1 && strncasecmp(p, s, l) == 0)
        if (l == 0 || IS("identity") || IS("none"))
            k = C_NONE;
        else if (IS("gzip") || IS("x-gzip"))
            k = C_GZIP;
        else if (IS("deflate"))
            k = C_DEFLATE;
#undef IS
        if (k != C_NONE)
            c = c == C_NONE ? k : C_OTHER; /* two codings: not undone here */
        p = e;
    }
    return c;
}

/* 1 if p starts with a zlib header (RFC 1950: CM 8, FCHECK). */
static int zlib_header(const char *p, size_t n)
{
    return n >= 2 && (p[0] & 0x0f) == 8 && ((((unsigned char)p[0]) << 8) | (unsigned char)p[1]) % 31 == 0;
}

/* The content coding c removed from [p, p+n) into out. */
static int undo_coding(enum coding c, const char *p, size_t n, size_t max, struct buf *out, int *cut,
                       struct buf *err)
{
    if (c == C_NONE) {
        if (n > max && cut) {
            *cut = 1;
            n = max;
        }
        if (n > max) {
            buf_seterr(err, "body of %zu bytes over the cap of %zu", n, max);
            return NA_ETOOBIG;
        }
        if (buf_add(out, p, n)) {
            buf_seterr(err, "body over the buffer cap");
            return out->err;
        }
        return 0;
    }
    if (c == C_GZIP) {
        if (gunzip_whole(p, n, max, out))
            return 0;
        return inflate_into(p, n, 32 + 15, max, out, cut, err); /* gzip or zlib */
    }
    /* deflate: RFC 9110 says zlib format; some servers send raw deflate */
    size_t start = out->len;
    int zh = zlib_header(p, n);
    int rc = inflate_into(p, n, zh ? 15 : -15, max, out, cut, err);
    if (rc == NA_EPARSE && zh) {
        buf_truncate(out, start);
        rc = inflate_into(p, n, -15, max, out, cut, err);
    }
    return rc;
}

/* Whether a body starts with a chunk-size line (hex digits, maybe an
 * extension after ';' or blanks, then CRLF or LF): a body whose head says
 * chunked but that does not start so was de-chunked on the way (a proxy, an
 * archive written by another tool) and is read as it is; one that does
 * start so and then breaks is an error, not a body to guess at. */
static int looks_chunked(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && i < 16 && hexval((unsigned char)p[i]) >= 0)
        i++;
    if (i == 0 || i == n || i >= 16)
        return 0;
    if (p[i] == ';' || p[i] == ' ' || p[i] == '\t')
        while (i < n && i < 1024 && p[i] != '\n')
            i++;
    return i < n && (p[i] == '\n' || (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'));
}

/* http_decode_body, and with cut != NULL http_decode_prefix. */
static int decode(const char *body, size_t n, int chunked, const char *ce, size_t max, struct buf *out,
                  int *cut, struct buf *err)
{
    struct buf tmp;
    const char *p = body ? body : "";
    int rc = 0;
    if (!max)
        max = HTTP_DEFAULT_MAX_BODY;
    enum coding c = coding_of(ce);
    if (c == C_OTHER) {
        buf_seterr(err, "unsupported content coding '%s'", ce);
        return NA_EUNSUPPORTED;
    }
    /* the dechunked size is below the wire size, so the wire cap holds */
    buf_init(&tmp, n + 1);
    if (chunked && looks_chunked(p, n)) {
        rc = cut ? dechunk_prefix(p, n, &tmp, cut, err) : http_dechunk(p, n, &tmp, NULL);
        if (rc == 0) {
            p = tmp.data ? tmp.data : "";
            n = tmp.len;
        } else if (rc == NA_EPARSE) {
            /* framed, but cut short or broken: no guessing at the rest */
            buf_reset(err);
            http_dechunk(p, n, &tmp, err);
            goto done;
        } else {
            buf_seterr(err, "out of memory");
            goto done;
        }
    }
    rc = undo_coding(c, p, n, max, out, cut, err);
done:
    buf_release(&tmp);
    return rc;
}

int http_decode_body(const char *body, size_t n, int chunked, const char *ce, size_t max, struct buf *out,
                     struct buf *err)
{
    return decode(body, n, chunked, ce, max, out, NULL, err);
}

int http_decode_prefix(const char *body, size_t n, int chunked, const char *ce, size_t max, struct buf *out,
                       int *cut, struct buf *err)
{
    *cut = 0;
    return decode(body, n, chunked, ce, max, out, cut, err);
}

int http_decode_response(const char *head, size_t head_len, const char *body, size_t n, size_t max,
                         struct buf *out, struct buf *err)
{
    struct buf ce = BUF_INIT;
    int rc = http_head_field(head, head_len, "Content-Encoding", &ce);
    if (rc < 0) {
        buf_release(&ce);
        buf_seterr(err, "out of memory");
        return rc;
    }
    rc = decode(body, n, head && http_head_is_chunked(head, head_len), rc ? buf_str(&ce) : NULL, max, out,
                NULL, err);
    buf_release(&ce);
    return rc;
}

/* ---- Content-Type ---- */

void http_media_type(const char *ct, char *out, size_t cap)
{
    size_t k = 0;
    if (!cap)
        return;
    if (ct) {
        while (is_ows(*ct))
            ct++;
        for (; *ct && *ct != ';' && !is_ows(*ct) && k + 1 < cap; ct++)
            out[k++] = (char)((*ct >= 'A' && *ct <= 'Z') ? *ct + 32 : *ct);
    }
    out[k] = 0;
}

int http_charset_param(const char *ct, char *out, size_t cap)
{
    if (!cap)
        return 0;
    out[0] = 0;
    for (const char *p = ct; p && (p = strcasestr(p, "charset")); p += 7) {
        if (p > ct && p[-1] != ';' && !is_ows(p[-1]))
            continue;
        const char *q = p + 7;
        while (is_ows(*q))
            q++;
        if (*q != '=')
            continue;
        q++;
        while (is_ows(*q))
            q++;
        if (*q == '"' || *q == '\'')
            q++;
        size_t k = 0;
        for (; *q && *q != '"' && *q != '\'' && *q != ';' && !is_ows(*q) && k + 1 < cap; q++)
            out[k++] = *q;
        out[k] = 0;
        return k > 0;
    }
    return 0;
}
