/* fuzz_date.c — libFuzzer target for the date parser (parser/date.h):
 * date_find over the input (not NUL-terminated: the exact bytes) under every
 * flag combination, with its later hits found by scanning on past each one,
 * date_from_url, date_script_snippets (parser/scriptdate.h), date_format/date_valid/date_days of
 * what they find. Traps when an invariant breaks: a hit whose span lies
 * outside the text, an invalid date reported, a relative date after now, a
 * DATE_NOT_AFTER_NOW date more than a day after now, a formatted date that
 * is not 10, 19 or 25 bytes, a snippet over DATE_SNIPPET_MAX. Seeds:
 * tests/fuzz/seeds-fuzz_date/, replayed by tests/unit/test_fuzz_replay.c. */
#include "parser/date.h"
#include "parser/scriptdate.h"
#include "tests/fuzz/fuzz.h"

#define DATE_FZ_NOW 1700000000 /* 2023-11-14T22:13:20Z */

static void date_fz_val(const struct date_val *v)
{
    FUZZ_CHECK(date_valid(v));
    char out[64];
    size_t n = date_format(v, out, sizeof out);
    FUZZ_CHECK(n == 10 || n == 19 || n == 25);
    FUZZ_CHECK(strlen(out) == n);
    long d = date_days(v);
    FUZZ_CHECK(d >= 0 && d < 100000);
}

static void date_fz_snip(const char *s, size_t n, void *ud)
{
    FUZZ_CHECK(n <= DATE_SNIPPET_MAX && strnlen(s, n) == n);
    (*(int *)ud)++;
}

FUZZ_TARGET(fuzz_date)
{
    /* an exact-size copy, so ASan sees any read past the end */
    char *s = malloc(size ? size : 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    for (unsigned flags = 0; flags < 8; flags++) {
        size_t at = 0;
        for (int hits = 0; at < size && hits < 64; hits++) {
            struct date_hit h;
            memset(&h, 0, sizeof h);
            int k = date_find(s + at, size - at, DATE_FZ_NOW, flags, &h);
            FUZZ_CHECK(k == 0 || k == DATE_ABSOLUTE || k == DATE_RELATIVE);
            if (!k)
                break;
            FUZZ_CHECK(h.start < h.end && h.end <= size - at);
            date_fz_val(&h.v);
            if (h.bare)
                FUZZ_CHECK(flags & DATE_BARE_OK);
            long day = date_days(&h.v);
            if (k == DATE_RELATIVE)
                FUZZ_CHECK(day <= DATE_FZ_NOW / 86400 + 1);
            if (flags & DATE_NOT_AFTER_NOW)
                FUZZ_CHECK(day <= DATE_FZ_NOW / 86400 + 2);
            at += h.end;
        }
    }
    char *url = fuzz_cstr(data, size);
    struct date_val v;
    if (date_from_url(url, DATE_FZ_NOW, &v) == 1) {
        date_fz_val(&v);
        FUZZ_CHECK(v.year >= 1990 && v.year <= 2023);
    }
    int count = 0;
    int n = date_script_snippets(s, size, date_fz_snip, &count);
    FUZZ_CHECK(n == count);
    if (size >= 8) {
        long long t;
        memcpy(&t, data, sizeof t);
        if (date_from_unix(t, &v) == 1)
            date_fz_val(&v);
    }
    free(url);
    free(s);
    return 0;
}
