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
/* Re-reads NA_FAIL_ALLOC (or sets the countdown directly; 0 disables). */
void na_mem_fail_after(long n);

#endif
