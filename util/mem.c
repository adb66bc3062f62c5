/* mem.c — the allocation wrappers of mem.h. The fault-injection countdown is
 * the one mutable global outside a config struct; it exists for tests only. */
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1; /* -1: not read yet; 0: disabled */

static int should_fail(void)
{
    if (fail_countdown < 0) {
        const char *e = getenv("NA_FAIL_ALLOC");
        fail_countdown = e ? strtol(e, NULL, 10) : 0;
        if (fail_countdown < 0)
            fail_countdown = 0;
    }
    if (fail_countdown == 0)
        return 0;
    if (fail_countdown == 1)
        return 1;
    fail_countdown--;
    return 0;
}

void na_mem_fail_after(long n) { fail_countdown = n < 0 ? 0 : n; }

void *na_malloc(size_t n) { return should_fail() ? NULL : malloc(n ? n : 1); }

void *na_calloc(size_t n, size_t size) { return should_fail() ? NULL : calloc(n ? n : 1, size ? size : 1); }

void *na_realloc(void *p, size_t n) { return should_fail() ? NULL : realloc(p, n ? n : 1); }

char *na_strndup(const char *s, size_t n)
{
    char *p = na_malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *na_strdup(const char *s) { return s ? na_strndup(s, strlen(s)) : NULL; }
