/* buf.c — the growable byte buffer of buf.h. Every growth is bounded by
 * buf.max; errors are sticky so callers check once after a run of appends. */
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max)
{
    b->data = NULL;
    b->len = b->cap = 0;
    b->max = max ? max : BUF_DEFAULT_MAX;
    b->err = 0;
}

void buf_release(struct buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
    b->err = 0;
}

int buf_grow(struct buf *b, size_t n)
{
    size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
    if (b->err)
        return b->err;
    if (n > max || b->len > max - n)
        return b->err = NA_ETOOBIG;
    if (b->len + n + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + n + 1)
        cap = cap > ((size_t)-1) / 2 ? b->len + n + 1 : cap * 2;
    if (cap > max + 1)
        cap = max + 1;
    char *p = na_realloc(b->data, cap);
    if (!p)
        return b->err = NA_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int buf_add(struct buf *b, const void *p, size_t n)
{
    if (buf_grow(b, n))
        return b->err;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = 0;
    return 0;
}

int buf_adds(struct buf *b, const char *s) { return buf_add(b, s, strlen(s)); }

int buf_addc(struct buf *b, char c) { return buf_add(b, &c, 1); }

/* What buf_vprintf keeps of a text that does not fit under max: as much as
 * fits with room for "…" (never splitting a UTF-8 sequence), then "…".
 * The sticky NA_ETOOBIG stays set: the text is not whole. A message is cut,
 * never dropped. */
static void cut(struct buf *b, const char *p, size_t n)
{
    static const char ell[] = "\xE2\x80\xA6"; /* … */
    size_t max = b->max ? b->max : BUF_DEFAULT_MAX;
    if (b->len + sizeof ell - 1 > max)
        return;
    size_t room = max - b->len - (sizeof ell - 1);
    if (n > room) {
        n = room;
        while (n && ((unsigned char)p[n] & 0xC0) == 0x80)
            n--; /* p[n] continues a sequence: cut before its start */
    }
    int err = b->err;
    b->err = 0;
    if (buf_add(b, p, n) == 0)
        buf_add(b, ell, sizeof ell - 1);
    b->err = b->err ? b->err : err;
}

int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    char small[256];
    if (b->err)
        return b->err;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return b->err = NA_EINVAL;
    if ((size_t)n < sizeof small) {
        if (buf_add(b, small, (size_t)n) == NA_ETOOBIG)
            cut(b, small, (size_t)n);
        return b->err;
    }
    if (buf_grow(b, (size_t)n) == 0) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
        return 0;
    }
    if (b->err == NA_ETOOBIG) {
        /* Format into a temporary as long as the room left, and keep that. */
        size_t max = b->max ? b->max : BUF_DEFAULT_MAX, room = max - b->len;
        char *tmp = room < (1u << 20) ? na_malloc(room + 1) : NULL;
        if (tmp) {
            vsnprintf(tmp, room + 1, fmt, ap);
            cut(b, tmp, room);
            free(tmp);
        }
    }
    return b->err;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return r;
}

void buf_truncate(struct buf *b, size_t n)
{
    if (n < b->len) {
        b->len = n;
        b->data[n] = 0;
    }
}

char *buf_detach(struct buf *b, size_t *len)
{
    if (b->err) { /* the content is not whole: nothing is handed over */
        buf_release(b);
        if (len)
            *len = 0;
        return NULL;
    }
    char *p = b->data;
    if (!p) {
        p = na_malloc(1);
        if (p)
            p[0] = 0;
    }
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *buf_str(const struct buf *b) { return b->data ? b->data : ""; }

void buf_seterr(struct buf *err, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    buf_reset(err);
    va_start(ap, fmt);
    buf_vprintf(err, fmt, ap);
    va_end(ap);
}
