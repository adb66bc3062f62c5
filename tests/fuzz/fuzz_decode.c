/* fuzz_decode.c — libFuzzer target for the HTTP body decoder, every content
 * coding: the first byte of the input picks the coding (identity, gzip,
 * x-gzip, deflate, an unsupported one, none), chunked framing and a small
 * cap (so that bombs reach it); the rest is the wire body, given to
 * fetch_decode_body and fetch_decode_prefix (crawler/fetch.h; when the
 * decoder moves, only FUZZ_DECODE_* below change). Traps when an invariant
 * breaks: output over the cap, a prefix decode that fails where the whole
 * decode succeeded or that is not a prefix of its output, a failure without
 * a message. Seeds: tests/fuzz/seeds-fuzz_decode/ (first byte: coding),
 * replayed by tests/unit/test_fuzz_replay.c. */
#include "crawler/fetch.h"
#include "util/buf.h"
#include "util/err.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_DECODE_BODY fetch_decode_body
#define FUZZ_DECODE_PREFIX fetch_decode_prefix

FUZZ_TARGET(fuzz_decode)
{
    /* low 3 bits: coding; bit 3: chunked; bits 4-7: cap */
    static const char *const codings[] = { NULL, "identity", "gzip", "x-gzip", "deflate", " GZIP", "br", "" };
    static const size_t caps[] = { 1, 16, 100, 1000, 4096, 10000, 65536, 1 << 20 };
    if (!size)
        return 0;
    const char *ce = codings[data[0] & 7];
    int chunked = (data[0] >> 3) & 1;
    size_t max = caps[(data[0] >> 4) & 7];
    const char *body = (const char *)data + 1;
    size_t n = size - 1;

    struct buf whole = BUF_INIT, pre = BUF_INIT, err = BUF_INIT;
    int rc = FUZZ_DECODE_BODY(body, n, chunked, ce, max, &whole, &err);
    FUZZ_CHECK(rc == 0 || rc == NA_ETOOBIG || rc == NA_EPARSE || rc == NA_EUNSUPPORTED);
    FUZZ_CHECK(whole.len <= max);
    if (rc)
        FUZZ_CHECK(err.len > 0);

    int cut = -1;
    buf_reset(&err);
    int rp = FUZZ_DECODE_PREFIX(body, n, chunked, ce, max, &pre, &cut, &err);
    FUZZ_CHECK(rp == 0 || rp == NA_EPARSE || rp == NA_EUNSUPPORTED);
    FUZZ_CHECK(cut == 0 || cut == 1);
    FUZZ_CHECK(pre.len <= max);
    if (rp)
        FUZZ_CHECK(err.len > 0);
    if (rc == 0) {
        /* the whole body fit: the prefix decode gives the same bytes */
        FUZZ_CHECK(rp == 0 && cut == 0);
        FUZZ_CHECK(pre.len == whole.len && memcmp(buf_str(&pre), buf_str(&whole), pre.len) == 0);
    }
    buf_release(&whole);
    buf_release(&pre);
    buf_release(&err);
    return 0;
}
