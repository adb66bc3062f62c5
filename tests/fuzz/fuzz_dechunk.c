/* fuzz_dechunk.c — libFuzzer target for chunked transfer coding
 * (util/http.h): http_dechunk of the input into an unbounded buffer and into
 * one capped at a size picked from the input, and http_head_is_chunked of
 * it as a header block. Traps when an invariant breaks: more bytes out than
 * came in, a capped buffer over its cap, a return other than 0, NA_EPARSE or
 * the buffer's error, a failure without a message. Seeds:
 * tests/fuzz/seeds-fuzz_dechunk/, replayed by tests/unit/test_fuzz_replay.c. */
#include "util/buf.h"
#include "util/err.h"
#include "util/http.h"
#include "tests/fuzz/fuzz.h"

FUZZ_TARGET(fuzz_dechunk)
{
    const char *p = (const char *)data;
    struct buf out = BUF_INIT, err = BUF_INIT;
    int rc = http_dechunk(p, size, &out, &err);
    FUZZ_CHECK(rc == 0 || rc == NA_EPARSE);
    FUZZ_CHECK(out.len <= size);
    if (rc)
        FUZZ_CHECK(err.len > 0);
    buf_release(&out);

    size_t cap = size ? 1 + data[0] % 64 : 1;
    buf_init(&out, cap);
    buf_reset(&err);
    rc = http_dechunk(p, size, &out, &err);
    FUZZ_CHECK(rc == 0 || rc == NA_EPARSE || rc == NA_ETOOBIG);
    FUZZ_CHECK(out.len <= cap);
    buf_release(&out);
    buf_release(&err);

    int c = http_head_is_chunked(p, size);
    FUZZ_CHECK(c == 0 || c == 1);
    return 0;
}
