/* arena.c — the parse arena of arena.h and its per-worker chunk cache. */
#include "parser/arena.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct arena_cache {
    struct arena_chunk *head;
    size_t bytes;
};

struct arena_cache *arena_cache_new(void) { return na_calloc(1, sizeof(struct arena_cache)); }

void arena_cache_free(struct arena_cache *c)
{
    while (c && c->head) {
        struct arena_chunk *n = c->head->next;
        free(c->head);
        c->head = n;
    }
    free(c);
}

void *arena_alloc_chunk(struct arena *a, size_t n)
{
    /* n is rounded up by arena_alloc */
    struct arena_chunk *c = a->head;
    size_t cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
    if (a->total + cap > a->limit) {
        a->failed = NA_ETOOBIG;
        return NULL;
    }
    struct arena_chunk *nc = NULL;
    struct arena_cache *cc = cap == ARENA_CHUNK ? a->cache : NULL;
    if (cc && cc->head) {
        nc = cc->head;
        cc->head = nc->next;
        cc->bytes -= ARENA_CHUNK;
    } else {
        nc = na_malloc(sizeof *nc + cap);
    }
    if (!nc) {
        a->failed = NA_ENOMEM;
        return NULL;
    }
    nc->used = 0;
    nc->cap = cap;
    a->total += cap;
    if (c && cap != ARENA_CHUNK) {
        /* a big block gets a chunk of its own, behind the current one */
        nc->next = c->next;
        c->next = nc;
    } else {
        nc->next = c;
        a->head = nc;
    }
    void *p = (char *)nc->data + nc->used;
    nc->used += n;
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    size_t l = strlen(s);
    char *p = arena_alloc(a, l + 1);
    if (p)
        memcpy(p, s, l + 1);
    return p;
}

void arena_free_all(struct arena *a)
{
    struct arena_chunk *c = a->head;
    struct arena_cache *cc = a->cache;
    while (c) {
        struct arena_chunk *n = c->next;
        if (cc && c->cap == ARENA_CHUNK && cc->bytes < ARENA_CACHE_MAX) {
            c->next = cc->head;
            cc->head = c;
            cc->bytes += ARENA_CHUNK;
        } else {
            free(c);
        }
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
