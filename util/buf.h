/* buf.h — growable, always NUL-terminated, binary-safe byte buffer with a
 * hard maximum size and a sticky error, plus a non-owning slice.
 * Modelled on curl's dynbuf and git's strbuf: a run of appends is checked once
 * (buf.err), and hitting buf.max is an error, never a crash. */
#ifndef NA_BUF_H
#define NA_BUF_H

#include <stddef.h>
#include <stdarg.h>

#define BUF_DEFAULT_MAX ((size_t)1 << 30)

struct buf {
    char *data;   /* NUL-terminated when non-NULL; owned */
    size_t len;   /* bytes used, without the NUL */
    size_t cap;   /* bytes allocated */
    size_t max;   /* largest len allowed; 0 means BUF_DEFAULT_MAX */
    int err;      /* first error (NA_ENOMEM / NA_ETOOBIG), sticky */
};

struct slice {
    const char *p;
    size_t n;
};

#define BUF_INIT { NULL, 0, 0, 0, 0 }

/* Embedded use: buf_init(&b, max) / buf_release(&b). */
void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
/* Empties the buffer (keeps memory and max, clears err). */
void buf_reset(struct buf *b);
/* Appends; on failure set b->err and return it (negative), later appends are no-ops. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Ensures room for n more bytes. */
int buf_grow(struct buf *b, size_t n);
/* Drops everything after the first n bytes. */
void buf_truncate(struct buf *b, size_t n);
/* Hands the data to the caller (free() it) and leaves b empty; NULL (and b
 * released) when b has a sticky error (the content is not whole) or when out
 * of memory. *len may be NULL. */
char *buf_detach(struct buf *b, size_t *len);
/* A pointer that is always a valid C string ("" for an empty buffer). */
const char *buf_str(const struct buf *b);

/* Error-message helper: replaces the content of err (if non-NULL) with a
 * message. buf_printf/buf_vprintf/buf_seterr keep what fits of a text over
 * max, ending in "…" (the sticky NA_ETOOBIG is set all the same): a long
 * message is cut, never lost. */
void buf_seterr(struct buf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline struct slice slice_make(const char *p, size_t n) { struct slice s = { p, n }; return s; }

#endif
