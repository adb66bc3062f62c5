/* http.h — the small pieces of HTTP/1.1 message framing that both the
 * crawler (decoding for the parser) and the store (payload digests, reading
 * archived responses) need: recognizing and removing chunked transfer coding
 * (RFC 9112 §7.1). Dependency-free. */
#ifndef NA_HTTP_H
#define NA_HTTP_H

#include <stddef.h>
#include "util/buf.h"

/* 1 if the header block [head, head+n) (status line + fields) declares
 * Transfer-Encoding whose last coding is chunked. */
int http_head_is_chunked(const char *head, size_t n);
/* Appends the de-chunked body of [p, p+n) to out (trailers dropped). Returns
 * 0, NA_EPARSE for broken framing (with the offset in err), or out's error
 * when its cap is reached. */
int http_dechunk(const char *p, size_t n, struct buf *out, struct buf *err);

#endif
