/* mem.c — the allocation wrappers of mem.h. The fault-injection countdown is
 * the one mutable global outside a config struct; it exists for tests only. */
#include "util/mem.h"
#include "util/err.h"

#include <stdint.h>

#include <stdlib.h>
#include <string.h>

#include <pthread.h>

/* 0: disabled; N: the N-th allocation from now fails (and every later one).
 * Read from the environment once; updated atomically, since the crawler
 * extracts on several threads. */
static long fail_countdown;
static pthread_once_t fail_once = PTHREAD_ONCE_INIT;

static void fail_init(void)
{
    const char *e = getenv("NA_FAIL_ALLOC");
    long n = e ? strtol(e, NULL, 10) : 0;
    __atomic_store_n(&fail_countdown, n < 0 ? 0 : n, __ATOMIC_RELAXED);
}

static int should_fail(void)
{
    pthread_once(&fail_once, fail_init);
    long n = __atomic_load_n(&fail_countdown, __ATOMIC_RELAXED);
    if (n == 0)
        return 0;
    if (n == 1)
        return 1;
    __atomic_compare_exchange_n(&fail_countdown, &n, n - 1, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
    return 0;
}

void na_mem_fail_after(long n)
{
    pthread_once(&fail_once, fail_init);
    __atomic_store_n(&fail_countdown, n < 0 ? 0 : n, __ATOMIC_RELAXED);
}

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

int na_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max)
{
    if (need <= *cap)
        return 0;
    if (need > max || elem == 0 || need > SIZE_MAX / elem)
        return NA_ETOOBIG;
    size_t n = *cap < 8 ? 8 : *cap;
    while (n < need)
        n = n > SIZE_MAX / 2 ? need : n * 2;
    if (n > max)
        n = max;
    if (n > SIZE_MAX / elem)
        n = need;
    void *q = na_realloc(*p, n * elem);
    if (!q)
        return NA_ENOMEM;
    *p = q;
    *cap = n;
    return 0;
}
