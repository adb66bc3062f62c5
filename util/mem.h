/* mem.h — allocation wrappers with fault injection: with NA_FAIL_ALLOC=N in
 * the environment the N-th allocation (and every later one) fails, so tests
 * can prove each error path releases what it holds (curl's "torture" mode). */
#ifndef NA_MEM_H
#define NA_MEM_H

#include <stddef.h>

void *na_malloc(size_t n);
void *na_calloc(size_t n, size_t size);
void *na_realloc(void *p, size_t n);
char *na_strdup(const char *s);
char *na_strndup(const char *s, size_t n);
/* The one way to grow an array: makes room for at least need elements of
 * elem bytes in *p (capacity *cap, both updated), doubling from 8, never past
 * max elements. Returns 0, NA_ETOOBIG when need > max (nothing changed: the
 * caller says which cap it met) or NA_ENOMEM. Use NA_GROW(v, cap, need, max). */
int na_grow(void **p, size_t *cap, size_t need, size_t elem, size_t max);
#define NA_GROW(arr, cap, need, max) na_grow((void **)&(arr), &(cap), (need), sizeof *(arr), (max))
/* Re-reads NA_FAIL_ALLOC (or sets the countdown directly; 0 disables). */
void na_mem_fail_after(long n);

#endif
