/* simhash.c — 64-bit SimHash over token shingles (see simhash.h). */
#include "util/simhash.h"

#include <string.h>

/* Decodes one UTF-8 sequence at s (n > 0 bytes left): the code point, or
 * 0xFFFD for an invalid byte; *len receives the bytes used (>= 1). */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len)
{
    uint32_t c = s[0];
    size_t need = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
    *len = 1;
    if (need == 0)
        return c;
    if (need == 9 || need >= n)
        return 0xFFFD;
    c &= 0x3F >> need;
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0xFFFD;
        c = (c << 6) | (s[i] & 0x3F);
    }
    *len = need + 1;
    return c;
}

static int is_cjk(uint32_t c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) ||
           (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
}

/* A letter or digit of a word: ASCII alphanumerics, Latin/Greek/Cyrillic
 * letters, fullwidth digits and letters. */
static int is_word(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F) ||
           (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

#define FNV_OFF 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/* Per-bit counts of the features' set bits, bit-sliced: lane j of acc[k]
 * (8 bits) counts bit 8*j+k; flushed into cnt before a lane can overflow.
 * A sixth of the work of one counter update per bit. */
struct bitcount {
    uint64_t acc[8];
    unsigned pending;
    uint32_t cnt[64];
    uint32_t total;
};

static void bc_flush(struct bitcount *c)
{
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 8; j++)
            c->cnt[8 * j + k] += (uint32_t)((c->acc[k] >> (8 * j)) & 0xff);
        c->acc[k] = 0;
    }
    c->pending = 0;
}

static void bc_add(struct bitcount *c, uint64_t h)
{
    for (int k = 0; k < 8; k++)
        c->acc[k] += (h >> k) & 0x0101010101010101ULL;
    c->total++;
    if (++c->pending == 255)
        bc_flush(c);
}

int simhash64(const char *s, size_t n, uint64_t *out)
{
    const unsigned char *p = (const unsigned char *)s;
    struct bitcount bc;
    memset(&bc, 0, sizeof bc);
    uint64_t win[SIMHASH_SHINGLE]; /* the last tokens' hashes, a ring */
    size_t last_num = (size_t)-1;  /* the index of the last token with a digit */
    size_t ntok = 0;
    uint64_t word = FNV_OFF;
    int in_word = 0, digit = 0;
    size_t i = 0;
    while (i <= n) {
        size_t len = 1;
        uint32_t c = i < n ? utf8_next(p + i, n - i, &len) : 0;
        int tok = 0;
        uint64_t th = 0;
        if (i < n && is_word(c) && !is_cjk(c)) {
            if (c >= 'A' && c <= 'Z')
                c += 32;
            if (c >= 0xFF10 && c <= 0xFF19)
                c = c - 0xFF10 + '0';
            digit |= c >= '0' && c <= '9';
            word = (word ^ c) * FNV_PRIME;
            in_word = 1;
            i += len;
            continue;
        }
        /* anything else ends a word: the word is a token first */
        if (in_word) {
            win[ntok % SIMHASH_SHINGLE] = mix64(word);
            if (digit)
                last_num = ntok;
            ntok++;
            tok = 1;
            in_word = digit = 0;
            word = FNV_OFF;
        }
        for (int k = 0; k < 2; k++) {
            if (tok && ntok >= SIMHASH_SHINGLE) {
                uint64_t h = FNV_OFF;
                for (size_t j = ntok - SIMHASH_SHINGLE; j < ntok; j++)
                    h = mix64(h ^ win[j % SIMHASH_SHINGLE]);
                bc_add(&bc, h);
                if (last_num != (size_t)-1 && last_num + SIMHASH_SHINGLE >= ntok)
                    bc_add(&bc, h); /* a shingle with a number counts twice */
            }
            tok = 0;
            if (k == 0 && i < n && is_cjk(c)) {
                th = mix64((uint64_t)c * 0x9E3779B97F4A7C15ULL);
                win[ntok % SIMHASH_SHINGLE] = th;
                ntok++;
                tok = 1;
            }
        }
        i += len;
    }
    if (ntok < SIMHASH_MIN_TOKENS) {
        *out = 0;
        return 0;
    }
    bc_flush(&bc);
    uint64_t h = 0;
    for (int b = 0; b < 64; b++)
        if (2 * bc.cnt[b] > bc.total) /* more features with the bit set than without */
            h |= 1ULL << b;
    *out = h;
    return 1;
}

int simhash_distance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }
