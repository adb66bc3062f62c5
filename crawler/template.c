/* template.c — a site's template of recurring blocks (template.h): an
 * open-addressing table of block hash → articles containing it, the
 * normalization that makes a block match across changing numbers and
 * dates, and the dropping rules with their guards. */
#include "crawler/template.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct entry {
    uint64_t h;          /* 0: empty slot */
    long n;
    unsigned char dirty; /* changed since template_each_dirty */
    unsigned char seen;  /* was learned once (template_learn's "changed") */
};

struct template {
    struct entry *e;
    size_t cap, used;
    long articles;
    long pruned;         /* count under which blocks were forgotten (for the store) */
};

struct template *template_new(void)
{
    struct template *t = na_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = 1024;
    if (!(t->e = na_calloc(t->cap, sizeof *t->e))) {
        free(t);
        return NULL;
    }
    return t;
}

void template_free(struct template *t)
{
    if (!t)
        return;
    free(t->e);
    free(t);
}

/* ---- normalization ---- */

/* One code point of UTF-8 at *p (< e); advances *p. Bad bytes are taken alone. */
static uint32_t next_cp(const unsigned char **p, const unsigned char *e)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if ((size_t)(e - s) < k)
        k = 1;
    if (k == 2)
        c = ((c & 0x1F) << 6) | (s[1] & 0x3F);
    else if (k == 3)
        c = ((c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    else if (k == 4)
        c = ((c & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    *p = s + k;
    return c;
}

/* 1 for what normalization drops: spaces, controls, punctuation and symbols
 * (ASCII, Latin-1, general punctuation, CJK symbols, full-width forms). */
static int is_skipped(uint32_t c)
{
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    return c < 0xC0 || (c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F && c != 0x3007) ||
           (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
           (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) || c == 0xFEFF || c == 0xFFFD;
}

#define FNV_OFF 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

uint64_t template_hash(const char *s, size_t n, size_t *chars)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    uint64_t h = FNV_OFF;
    size_t len = 0;
    int in_digits = 0;
    while (p < e) {
        uint32_t c = next_cp(&p, e);
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0; /* full-width ASCII */
        if ((c >= '0' && c <= '9') || c == 0x3007 /* 〇 */) {
            if (!in_digits) {
                h = (h ^ '#') * FNV_PRIME;
                len++;
            }
            in_digits = 1;
            continue;
        }
        if (is_skipped(c))
            continue; /* "2023-10-10", "0571-8888 1234": one marker */
        in_digits = 0;
        if (c >= 'A' && c <= 'Z')
            c += 32;
        for (int sh = 24; sh >= 0; sh -= 8) /* the code point's bytes */
            if (c >> sh || sh == 0)
                h = (h ^ ((c >> sh) & 0xFF)) * FNV_PRIME;
        len++;
    }
    if (chars)
        *chars = len;
    return h ? h : 1;
}

/* ---- the table ---- */

static struct entry *find(const struct template *t, uint64_t h)
{
    size_t i = (size_t)(h ^ (h >> 29)) & (t->cap - 1);
    while (t->e[i].h && t->e[i].h != h)
        i = (i + 1) & (t->cap - 1);
    return &t->e[i];
}

static int rehash(struct template *t, size_t cap)
{
    struct entry *old = t->e;
    size_t ocap = t->cap;
    struct entry *ne = na_calloc(cap, sizeof *ne);
    if (!ne)
        return NA_ENOMEM;
    t->e = ne;
    t->cap = cap;
    t->used = 0;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].h) {
            *find(t, old[i].h) = old[i];
            t->used++;
        }
    free(old);
    return 0;
}

/* Forgets the blocks on fewer than 1% of the articles (at least those on
 * one) when the table is full: a site's prose, never its template. */
static int prune(struct template *t)
{
    long under = t->articles / 100 > 1 ? t->articles / 100 : 1;
    for (;;) {
        size_t keep = 0;
        for (size_t i = 0; i < t->cap; i++)
            keep += t->e[i].h && t->e[i].n > under;
        if (keep < TEMPLATE_MAX_BLOCKS / 2 || under > t->articles)
            break;
        under *= 2;
    }
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].h && t->e[i].n <= under)
            t->e[i].h = 0;
    if (under > t->pruned)
        t->pruned = under;
    return rehash(t, t->cap);
}

static struct entry *slot(struct template *t, uint64_t h, int *rc)
{
    struct entry *x = find(t, h);
    if (x->h)
        return x;
    if (t->used + 1 >= TEMPLATE_MAX_BLOCKS && (*rc = prune(t)))
        return NULL;
    if ((t->used + 1) * 10 >= t->cap * 7 && (*rc = rehash(t, t->cap * 2)))
        return NULL;
    x = find(t, h);
    x->h = h;
    x->n = 0;
    x->dirty = x->seen = 0;
    t->used++;
    return x;
}

long template_articles(const struct template *t) { return t ? t->articles : 0; }

static int learned_n(const struct template *t, long n)
{
    return t->articles >= TEMPLATE_MIN_ARTICLES && n * 100 >= (long)TEMPLATE_SHARE_PCT * t->articles;
}

void template_set_articles(struct template *t, long articles)
{
    t->articles = articles;
    for (size_t i = 0; i < t->cap; i++)
        if (t->e[i].h)
            t->e[i].seen = (unsigned char)learned_n(t, t->e[i].n);
}

int template_put(struct template *t, uint64_t hash, long n)
{
    int rc = 0;
    struct entry *x = slot(t, hash ? hash : 1, &rc);
    if (!x)
        return rc;
    x->n = n;
    x->seen = (unsigned char)learned_n(t, n);
    return 0;
}

long template_count(const struct template *t, uint64_t hash)
{
    if (!t)
        return 0;
    const struct entry *x = find(t, hash);
    return x->h ? x->n : 0;
}

int template_learned(const struct template *t, uint64_t hash) { return t && learned_n(t, template_count(t, hash)); }

size_t template_nlearned(const struct template *t)
{
    size_t k = 0;
    for (size_t i = 0; t && i < t->cap; i++)
        k += t->e[i].h && learned_n(t, t->e[i].n);
    return k;
}

/* ---- splitting a line into blocks ---- */

/* Length of the clause at s (< e), its end mark (。！？；!?;|丨，, or the
 * line's end) included. */
static size_t sentence_len(const char *s, const char *e)
{
    const unsigned char *p = (const unsigned char *)s, *q = (const unsigned char *)e;
    while (p < q) {
        uint32_t c = next_cp(&p, q);
        if (c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '!' || c == '?' || c == ';' ||
            c == '|' || c == 0x4E28 /* 丨 */ || c == 0xFF5C || c == 0xFF0C || c == ',' || c == '\n')
            break;
    }
    return (size_t)((const char *)p - s);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

uint64_t template_key(int kind, uint64_t hash)
{
    uint64_t k = hash ^ ((uint64_t)(kind + 1) * 0x9E3779B97F4A7C15ULL);
    k ^= k >> 31;
    return k ? k : 1;
}

/* The text's lines: start and length (without '\n'), empty ones skipped.
 * Returns the count, or (size_t)-1 when out of memory; *v is malloc'd. */
static size_t split_lines(const char *text, const char **starts[], size_t **lens)
{
    size_t nl = 1, k = 0;
    for (const char *q = text; (q = strchr(q, '\n')); q++)
        nl++;
    *starts = na_malloc(nl * sizeof **starts);
    *lens = na_malloc(nl * sizeof **lens);
    if (!*starts || !*lens) {
        free(*starts);
        free(*lens);
        return (size_t)-1;
    }
    for (const char *p = text; *p;) {
        const char *q = strchr(p, '\n');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
            i++;
        if (i < n) {
            (*starts)[k] = p;
            (*lens)[k++] = n;
        }
        p += n + (q ? 1 : 0);
    }
    return k;
}

/* The keys of one article: the clauses of its lead-in and footer lines
 * (TEMPLATE_LEAD, TEMPLATE_FOOT). */
static size_t article_keys(const char *text, uint64_t *hs, size_t max)
{
    const char **ls;
    size_t *ln, k = 0;
    size_t nl = split_lines(text, &ls, &ln);
    if (nl == (size_t)-1)
        return (size_t)-1;
    for (size_t i = 0; i < nl && k < max; i++) {
        int lead = i < TEMPLATE_LEAD_LINES, foot = i + TEMPLATE_FOOT_LINES >= nl;
        for (const char *p = ls[i], *e = p + ln[i]; (lead || foot) && p < e && k + 2 <= max;) {
            size_t n = sentence_len(p, e), chars;
            uint64_t h = template_hash(p, n, &chars);
            if (chars >= TEMPLATE_MIN_CHARS && lead)
                hs[k++] = template_key(TEMPLATE_LEAD, h);
            if (chars >= TEMPLATE_MIN_CHARS && foot)
                hs[k++] = template_key(TEMPLATE_FOOT, h);
            p += n;
        }
    }
    free(ls);
    free(ln);
    return k;
}

int template_learn(struct template *t, const char *text)
{
    uint64_t *hs = na_malloc(TEMPLATE_MAX_PIECES * sizeof *hs);
    if (!hs)
        return NA_ENOMEM;
    size_t k = article_keys(text ? text : "", hs, TEMPLATE_MAX_PIECES);
    if (k == (size_t)-1) {
        free(hs);
        return NA_ENOMEM;
    }
    qsort(hs, k, sizeof *hs, cmp_u64);
    t->articles++;
    int rc = 0, changed = 0;
    for (size_t i = 0; i < k && !rc; i++) {
        if (i && hs[i] == hs[i - 1])
            continue; /* once per article */
        struct entry *x = slot(t, hs[i], &rc);
        if (!x)
            break;
        x->n++;
        x->dirty = 1;
        if (!x->seen && learned_n(t, x->n))
            changed = x->seen = 1;
    }
    free(hs);
    return rc ? rc : changed;
}

int template_each_dirty(struct template *t, int (*cb)(void *ud, uint64_t hash, long n), void *ud, long *pruned)
{
    if (pruned)
        *pruned = t->pruned;
    t->pruned = 0;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->e[i].h || !t->e[i].dirty || t->e[i].n < 2)
            continue; /* on one article: kept in memory only (most clauses of prose) */
        int rc = cb(ud, t->e[i].h, t->e[i].n);
        if (rc)
            return rc;
        t->e[i].dirty = 0;
    }
    return 0;
}

/* ---- the decision ---- */

struct line {
    const char *s;
    size_t n;         /* bytes, without the '\n' */
    size_t chars;     /* normalized characters */
    long best;        /* articles containing its most frequent learned block */
    int tmpl, drop;
    size_t idx;       /* among the non-empty lines */
    int nonempty;
};

/* Marks line i of nl as template: in the lead-in or footer lines, clauses
 * learned there cover half of it. */
static void judge(const struct template *t, struct line *l, size_t i, size_t nl)
{
    const char *p = l->s, *e = p + l->n;
    size_t covered = 0;
    uint64_t h;
    template_hash(p, l->n, &l->chars);
    l->best = 0;
    int lead = i < TEMPLATE_LEAD_LINES, foot = i + TEMPLATE_FOOT_LINES >= nl;
    while ((lead || foot) && p < e) {
        size_t n = sentence_len(p, e), chars;
        h = template_hash(p, n, &chars);
        if (chars >= TEMPLATE_MIN_CHARS) {
            long c = lead ? template_count(t, template_key(TEMPLATE_LEAD, h)) : 0;
            long f = foot ? template_count(t, template_key(TEMPLATE_FOOT, h)) : 0;
            c = learned_n(t, c) ? c : 0;
            f = learned_n(t, f) ? f : 0;
            if (c || f)
                covered += chars;
            if (c > l->best || f > l->best)
                l->best = c > f ? c : f;
        }
        p += n;
    }
    l->tmpl = l->best > 0 && covered * 2 >= l->chars;
}

static void explain_line(struct buf *x, const struct template *t, const struct line *l, const char *verdict)
{
    int pct = t->articles ? (int)(l->best * 100 / t->articles) : 0;
    size_t n = l->n > 60 ? 60 : l->n;
    while (n < l->n && n > 0 && ((unsigned char)l->s[n] & 0xC0) == 0x80)
        n--; /* whole characters */
    buf_printf(x, "template: %s '%.*s%s': recurs on %d%% of this site's articles (%ld of %ld)\n", verdict, (int)n,
               l->s, n < l->n ? "…" : "", pct, l->best, t->articles);
}

/* Which template lines may go (the rules in template.h). */
static void decide(struct line *v, size_t nl, size_t total)
{
    for (size_t i = 0; i < nl && (v[i].tmpl || v[i].chars < TEMPLATE_EDGE_SHORT); i++)
        v[i].drop = v[i].tmpl; /* lead-in */
    for (size_t i = nl; i > 0 && (v[i - 1].tmpl || v[i - 1].chars < TEMPLATE_EDGE_SHORT); i--)
        v[i - 1].drop = v[i - 1].tmpl; /* footer */
    for (size_t i = 0; i < nl; i++)
        if (v[i].tmpl && !v[i].drop && v[i].chars <= TEMPLATE_INNER_MAX && v[i].chars * 10 <= total)
            v[i].drop = 1;
}

int template_apply(const struct template *t, const char *text, struct buf *out, struct buf *explain,
                   struct template_result *res)
{
    struct template_result r0;
    if (!res)
        res = &r0;
    memset(res, 0, sizeof *res);
    buf_reset(out);
    if (!text)
        text = "";
    size_t tl = strlen(text);
    if (!t || t->articles < TEMPLATE_MIN_ARTICLES || !tl)
        return buf_add(out, text, tl);
    size_t nl = 1;
    for (const char *q = text; (q = strchr(q, '\n')); q++)
        nl++;
    struct line *v = na_calloc(nl, sizeof *v);
    if (!v)
        return NA_ENOMEM;
    size_t total = 0, real = 0, k = 0, nonempty = 0;
    for (const char *p = text; k < nl; k++) {
        const char *q = strchr(p, '\n');
        v[k].s = p;
        v[k].n = q ? (size_t)(q - p) : strlen(p);
        p = q ? q + 1 : p + v[k].n;
        for (size_t j = 0; j < v[k].n; j++)
            if (v[k].s[j] != ' ' && v[k].s[j] != '\t' && v[k].s[j] != '\r') {
                v[k].idx = nonempty++; /* the line's place as learning counts it */
                v[k].nonempty = 1;
                break;
            }
    }
    for (k = 0; k < nl; k++) {
        if (v[k].nonempty)
            judge(t, &v[k], v[k].idx, nonempty);
        total += v[k].chars;
        real += !v[k].tmpl && v[k].chars > 0;
    }
    decide(v, nl, total);
    size_t drop = 0;
    for (size_t i = 0; i < nl; i++)
        drop += v[i].drop ? v[i].chars : 0;
    int guard = !real || drop * 100 > total * TEMPLATE_MAX_DROP_PCT;
    int rc = 0, first = 1;
    for (size_t i = 0; i < nl && !rc; i++) {
        if (v[i].tmpl && explain)
            explain_line(explain, t, &v[i], !v[i].drop ? "kept (inside the text)" : guard ?
                         (!real ? "kept (the text has nothing else)" : "kept (too much of the text)") : "dropped");
        if (v[i].drop && !guard) {
            res->dropped++;
            res->dropped_chars += v[i].chars;
            continue;
        }
        res->kept_guard += v[i].tmpl;
        if (!first)
            rc = buf_addc(out, '\n');
        if (!rc)
            rc = buf_add(out, v[i].s, v[i].n);
        first = 0;
    }
    if (!rc && tl && text[tl - 1] == '\n' && (!out->len || out->data[out->len - 1] != '\n'))
        rc = buf_addc(out, '\n');
    free(v);
    return rc ? NA_ENOMEM : 0;
}
