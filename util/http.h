/* http.h — the one place that reads an HTTP/1.1 response for its payload,
 * shared by the crawl, `try` and the archive readers (reextract, get,
 * export) so that all of them get the same bytes from the same message:
 * header fields of a head, chunked transfer coding (RFC 9112 §7.1), the
 * content codings the crawler asks for (RFC 9110 §8.4: gzip, deflate; and
 * identity), under one cap and with one set of errors, and Content-Type's
 * media type and charset parameter. Depends on zlib and libdeflate only.
 *
 * The decisions, where the copies this replaced disagreed:
 * - "gzip"/"x-gzip" data is gzip or zlib (zlib's auto-detection); "deflate"
 *   is zlib or, as some servers send it, raw deflate;
 * - "identity", "none" and an empty value are no coding; in a list
 *   ("gzip, identity") those entries are skipped; two real codings, or one
 *   this module does not know (br, zstd, compress), are NA_EUNSUPPORTED;
 * - a head that says chunked over a body that is not chunk-framed (a proxy
 *   or another tool de-chunked it) is read as it is;
 * - errors: NA_ETOOBIG (over the cap), NA_EPARSE (corrupt or truncated
 *   compressed data), NA_EUNSUPPORTED, NA_ENOMEM — each with a message. */
#ifndef NA_HTTP_H
#define NA_HTTP_H

#include <stddef.h>
#include "util/buf.h"

/* The decoded-body cap used when a caller gives 0 (max_page_size's default). */
#define HTTP_DEFAULT_MAX_BODY ((size_t)10 << 20)

/* 1 if the header block [head, head+n) (status line + fields) declares
 * Transfer-Encoding whose last coding is chunked. */
int http_head_is_chunked(const char *head, size_t n);
/* Appends the de-chunked body of [p, p+n) to out (trailers dropped). Returns
 * 0, NA_EPARSE for broken framing (with the offset in err), or out's error
 * when its cap is reached. */
int http_dechunk(const char *p, size_t n, struct buf *out, struct buf *err);

/* The value of the first field called name (case-insensitive) of the head
 * [head, head+n) (its first line, the start line, is skipped), unfolded
 * (obs-fold continuation lines joined by a space) and trimmed, put into out
 * (reset first). Returns 1 found, 0 absent, or out's error. */
int http_head_field(const char *head, size_t n, const char *name, struct buf *out);

/* Removes chunked framing (when chunked is set; see above for a body not so
 * framed) and then the content coding named by content_encoding (NULL: none)
 * from n bytes of body as received, appending the result to out. The decoded
 * size is capped at max (0 = HTTP_DEFAULT_MAX_BODY): more is NA_ETOOBIG (a
 * gzip bomb stops there). Returns 0 or a negative code (above) with a message
 * in err (may be NULL). */
int http_decode_body(const char *body, size_t n, int chunked, const char *content_encoding, size_t max,
                     struct buf *out, struct buf *err);
/* http_decode_body for a body of which the first max decoded bytes are
 * enough (a robots.txt): a decoded body over max is not an error: its first
 * max bytes are kept and *cut is set. A body cut short on the wire (a chunk
 * or a compressed stream that ends early) gives what could be decoded, with
 * *cut set and 0 returned. Other faults (corrupt compressed data, an unknown
 * coding, out of memory) return their code as http_decode_body does, and
 * out keeps what was decoded before. */
int http_decode_prefix(const char *body, size_t n, int chunked, const char *content_encoding, size_t max,
                       struct buf *out, int *cut, struct buf *err);
/* http_decode_body with chunked and the content coding taken from the
 * response head [head, head+head_len) (NULL: no head, no codings). */
int http_decode_response(const char *head, size_t head_len, const char *body, size_t n, size_t max,
                         struct buf *out, struct buf *err);

/* The media type of a Content-Type value (NULL: none), lower case, without
 * parameters or whitespace, into out (cap bytes; "" when none). */
void http_media_type(const char *content_type, char *out, size_t cap);
/* The charset parameter of a Content-Type value (or of a <meta> content
 * attribute, which has the same form) into out (cap bytes): the first
 * "charset" that starts the value or follows ';' or whitespace and is
 * followed by '=' (whitespace allowed around it); its value unquoted ("…"
 * or '…') up to a quote, ';' or whitespace. Returns 1 when a non-empty
 * value was found, else 0 and out = "". */
int http_charset_param(const char *content_type, char *out, size_t cap);

#endif
