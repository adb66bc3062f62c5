/* http.c — chunked transfer coding (RFC 9112 §7.1): detection in a header
 * block and removal, bounded by the output buffer's cap. */
#include "util/http.h"
#include "util/err.h"

#include <string.h>
#include <strings.h>

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
