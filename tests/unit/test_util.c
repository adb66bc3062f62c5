/* test_util.c — buf, err, mem: the bounded buffer and the error table. */
#include "tests/check.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>

TEST(buf_appends_and_caps)
{
    struct buf b;
    buf_init(&b, 10);
    CHECK_EQ(buf_adds(&b, "hello"), 0);
    CHECK_EQ(buf_printf(&b, "%d", 1234), 0);
    CHECK_STR(buf_str(&b), "hello1234");
    CHECK_EQ(buf_adds(&b, "xy"), NA_ETOOBIG);
    CHECK_EQ(b.err, NA_ETOOBIG);
    CHECK_EQ(buf_adds(&b, ""), NA_ETOOBIG); /* sticky */
    CHECK_STR(buf_str(&b), "hello1234");
    buf_reset(&b);
    CHECK_EQ(b.err, 0);
    CHECK_EQ(buf_printf(&b, "%s", "0123456789"), 0);
    size_t n;
    char *s = buf_detach(&b, &n);
    CHECK_EQ(n, 10);
    CHECK_STR(s, "0123456789");
    free(s);
    buf_release(&b);
}

TEST(buf_long_printf)
{
    struct buf b = BUF_INIT;
    char big[1000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK_EQ(buf_printf(&b, "<%s>", big), 0);
    CHECK_EQ(b.len, 1001);
    buf_release(&b);
}

/* A message over the buffer's max is cut with "…", never dropped (a
 * sites.conf value of 5 KB gave "file:5: " and nothing else). */
TEST(buf_printf_over_max_is_cut_not_dropped)
{
    struct buf b;
    buf_init(&b, 64);
    char big[5000];
    memset(big, 'v', sizeof big - 1);
    big[sizeof big - 1] = 0;
    CHECK_EQ(buf_printf(&b, "file:5: "), 0);
    CHECK_EQ(buf_printf(&b, "bad value '%s'", big), NA_ETOOBIG); /* the long path */
    CHECK_EQ(b.len, 64);
    CHECK(strncmp(buf_str(&b), "file:5: bad value 'vvv", 22) == 0);
    CHECK(strcmp(buf_str(&b) + b.len - 3, "\xE2\x80\xA6") == 0);
    CHECK_EQ(b.err, NA_ETOOBIG); /* still not whole: sticky */
    CHECK_EQ(buf_adds(&b, "x"), NA_ETOOBIG);
    CHECK_EQ(b.len, 64);
    /* the short path (under 256 bytes formatted), and UTF-8 kept whole */
    buf_release(&b);
    buf_init(&b, 16);
    buf_seterr(&b, "%s", "ab\xE4\xB8\xAD\xE5\x9B\xBD\xE4\xBA\xBA\xE6\xB0\x91\xE5\x85\xB1");
    CHECK_STR(buf_str(&b), "ab\xE4\xB8\xAD\xE5\x9B\xBD\xE4\xBA\xBA\xE2\x80\xA6"); /* ab中国人… */
    buf_seterr(&b, "%s", "short");
    CHECK_STR(buf_str(&b), "short");
    CHECK_EQ(b.err, 0);
    /* buf_detach honours the sticky error: a cut text is not handed over */
    buf_printf(&b, "%s", big);
    size_t n = 99;
    CHECK(buf_detach(&b, &n) == NULL);
    CHECK_EQ(n, 0);
    CHECK(b.data == NULL);
    buf_release(&b);
}

TEST(err_table)
{
    CHECK_STR(na_errname(NA_ENOMEM), "ENOMEM");
    CHECK_STR(na_strerror(NA_ELOCKED), "archive is locked by another process");
    CHECK_STR(na_errname(12345), "EUNKNOWN");
}

TEST(mem_fault_injection)
{
    na_mem_fail_after(3);
    void *a = na_malloc(4), *b = na_malloc(4), *c = na_malloc(4);
    CHECK(a != NULL);
    CHECK(b != NULL);
    CHECK(c == NULL);
    struct buf x = BUF_INIT;
    CHECK_EQ(buf_adds(&x, "a"), NA_ENOMEM);
    na_mem_fail_after(0);
    free(a);
    free(b);
    buf_release(&x);
}

#include "util/http.h"

TEST(http_chunked)
{
    const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n";
    CHECK_EQ(http_head_is_chunked(head, sizeof head - 1), 1);
    CHECK_EQ(http_head_is_chunked("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 52), 0);
    CHECK_EQ(http_head_is_chunked("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 38), 0);
    const char body[] = "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n";
    struct buf out = BUF_INIT, err = BUF_INIT;
    CHECK_EQ(http_dechunk(body, sizeof body - 1, &out, &err), 0);
    CHECK_STR(buf_str(&out), "hello world");
    buf_reset(&out);
    CHECK_EQ(http_dechunk("5\r\nhel", 6, &out, &err), NA_EPARSE);
    CHECK_CONTAINS(buf_str(&err), "inside a chunk");
    buf_reset(&out);
    CHECK_EQ(http_dechunk("zz\r\n", 4, &out, &err), NA_EPARSE);
    struct buf small;
    buf_init(&small, 4);
    CHECK_EQ(http_dechunk(body, sizeof body - 1, &small, &err), NA_ETOOBIG);
    buf_release(&small);
    buf_release(&out);
    buf_release(&err);
}

/* na_grow: capacity at least need, doubling, capped at max (NA_ETOOBIG
 * leaves the array as it was), and an allocation failure keeps the old one. */
TEST(mem_grow_caps_and_keeps)
{
    int *v = NULL;
    size_t cap = 0;
    CHECK_EQ(NA_GROW(v, cap, 1, 100), 0);
    CHECK(v != NULL);
    CHECK_EQ(cap, 8);
    v[0] = 42;
    CHECK_EQ(NA_GROW(v, cap, 9, 100), 0);
    CHECK_EQ(cap, 16);
    CHECK_EQ(NA_GROW(v, cap, 70, 100), 0);
    CHECK_EQ(cap, 100); /* 128 clamped to the max */
    CHECK_EQ(NA_GROW(v, cap, 101, 100), NA_ETOOBIG);
    CHECK_EQ(cap, 100);
    CHECK_EQ(v[0], 42);
    size_t big = 0;
    int *c = NULL;
    CHECK_EQ(NA_GROW(c, big, (size_t)-1 / 2, (size_t)-1), NA_ETOOBIG); /* bytes would wrap: refused */
    CHECK(c == NULL);
    na_mem_fail_after(1);
    CHECK_EQ(NA_GROW(v, cap, 200, 1000), NA_ENOMEM);
    na_mem_fail_after(0);
    CHECK_EQ(cap, 100);
    CHECK_EQ(v[0], 42);
    free(v);
    free(c);
}
