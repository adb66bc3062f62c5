/* arena.h — the bump allocator a parse allocates from (dom.c): chunks of
 * ARENA_CHUNK bytes from na_malloc (fault injection reaches them), a big
 * block in a chunk of its own, everything freed at once, a hard limit. A
 * chunk cache (struct arena_cache, one per worker, in the extractor's
 * context) keeps freed standard chunks for the next parse: handed back to
 * malloc, glibc returns their pages to the kernel, and faulting them in
 * again cost about a tenth of the parse. */
#ifndef NA_ARENA_H
#define NA_ARENA_H

#include <stddef.h>

#define ARENA_CHUNK ((size_t)64 << 10)
/* Bytes of freed chunks an arena_cache keeps at most. */
#define ARENA_CACHE_MAX ((size_t)8 << 20)

struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct arena_cache;

struct arena {
    struct arena_chunk *head;   /* the chunk being filled */
    size_t total, limit;        /* bytes in chunks; the most allowed */
    int failed;                 /* 0, or why an allocation failed: NA_ENOMEM, NA_ETOOBIG (limit) */
    struct arena_cache *cache;  /* where chunks come from and go back to, or NULL
                                 * (borrowed: must outlive the arena's memory) */
};

/* An empty cache, or NULL when out of memory. */
struct arena_cache *arena_cache_new(void);
/* Frees the cache and the chunks it keeps; NULL is fine. */
void arena_cache_free(struct arena_cache *c);

/* Slow path of arena_alloc: a new chunk. NULL (and a->failed set) when out
 * of memory or past a->limit. */
void *arena_alloc_chunk(struct arena *a, size_t n);

/* n bytes, 16-aligned, valid until arena_free_all; NULL when out of memory. */
static inline void *arena_alloc(struct arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n)
        return arena_alloc_chunk(a, n);
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* A copy of s in the arena, or NULL. */
char *arena_strdup(struct arena *a, const char *s);
/* Frees every chunk (standard ones back to a->cache while it has room). */
void arena_free_all(struct arena *a);

#endif
