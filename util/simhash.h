/* simhash.h — a 64-bit SimHash of a text, for near-duplicate articles (the
 * same story republished with other boilerplate, another title or one more
 * paragraph). Tokens: each CJK (Han, kana, Hangul) character on its own, each
 * run of other letters and digits as one word (ASCII lower-cased); spaces
 * and punctuation separate tokens and are dropped. Features: shingles of
 * SIMHASH_SHINGLE consecutive tokens (character 4-grams in Chinese, word
 * 4-grams in English), each hashed to 64 bits; a shingle holding a
 * number (a word with a digit) counts twice: the numbers are what tells one
 * week's report of a template from the next, and a copy keeps them (on the
 * labelled pairs of the dev corpora, tests/scripts/dups_pairs.sh, reports
 * with every number changed came 4-12 bits from the original with weight 1,
 * 11 and more with 2; copies moved by less than a bit on average). Pure; no
 * allocation. */
#ifndef NA_SIMHASH_H
#define NA_SIMHASH_H

#include <stddef.h>
#include <stdint.h>

#define SIMHASH_SHINGLE 4
/* Texts with fewer tokens than this get no SimHash (too short to tell). */
#define SIMHASH_MIN_TOKENS 40
/* Two texts are the same story when their SimHashes differ in at most this
 * many bits. Measured: on the sitegen syndication preset (tests/scripts/
 * dups.sh) copies come 0-8 bits apart, distinct stories of one template 13
 * and more; on the labelled pairs of the dev corpora (tests/scripts/
 * dups_pairs.sh: a page's gold text vs its extraction, a changed title line,
 * an added paragraph) 85% of copies lie within 6 bits, 96% within 10, and no
 * two stories within 10. The index's 8 bands of 8 bits find every pair within
 * 7 bits, and pairs 8, 9 and 10 bits apart all but 0.4%, 1.7% and 4.4% of the
 * time (all 8 bands touched). */
#define SIMHASH_MAX_DISTANCE 10
#define SIMHASH_BANDS 8

/* The SimHash of the UTF-8 text s (n bytes; invalid bytes are separators)
 * into *out. Returns 1, or 0 when the text has fewer than
 * SIMHASH_MIN_TOKENS tokens (*out = 0). */
int simhash64(const char *s, size_t n, uint64_t *out);

/* Bits that differ. */
int simhash_distance(uint64_t a, uint64_t b);

/* Band i (0..SIMHASH_BANDS-1) of h: bits 8*i .. 8*i+7. */
static inline unsigned simhash_band(uint64_t h, int i) { return (unsigned)((h >> (8 * i)) & 0xff); }

#endif
