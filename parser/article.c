/* article.c — the extraction pipeline: charset → dom → headline (meta.c) →
 * container choice and boilerplate pruning (clean.c) → lines of text
 * (text.c) → line filters (clean.c) → date/author/source/category (meta.c).
 * Owns struct article; everything per page is freed before returning. */
#include "parser/article.h"
#include "parser/arena.h"
#include "parser/charset.h"
#include "parser/clean.h"
#include "parser/dom.h"
#include "parser/fields.h"
#include "parser/images.h"
#include "parser/meta.h"
#include "parser/title.h"
#include "parser/rules.h"
#include "parser/text.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct extract_ctx {
    struct arena_cache *chunks; /* dom.c's arena chunks */
    struct meta_ctx *meta;      /* meta.c's cue memo and JSON-LD memo */
};

struct extract_ctx *extract_ctx_new(void)
{
    struct extract_ctx *x = na_calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->chunks = arena_cache_new();
    x->meta = meta_ctx_new();
    if (!x->chunks || !x->meta) {
        extract_ctx_free(x);
        return NULL;
    }
    return x;
}

void extract_ctx_free(struct extract_ctx *x)
{
    if (!x)
        return;
    arena_cache_free(x->chunks);
    meta_ctx_free(x->meta);
    free(x);
}

void article_init(struct article *a)
{
    memset(a, 0, sizeof *a);
    buf_init(&a->explain, 1 << 20);
}

void article_release(struct article *a)
{
    if (!a)
        return;
    free(a->url); free(a->title); free(a->published); free(a->published_from);
    free(a->author); free(a->source); free(a->category); free(a->lang);
    free(a->charset); free(a->text);
    images_free(a->images, a->nimages);
    buf_release(&a->explain);
    article_init(a);
}

/* String value of a site rule's XPath, or NULL (no rule, no match, or an
 * expression that fails: the generic result stands, --explain says why).
 * NA_ENOMEM is returned through *rc. */
static char *rule_value(struct dom *d, const char *key, const char *xpath, struct buf *explain, int *rc)
{
    if (!xpath || !*xpath)
        return NULL;
    struct buf v = BUF_INIT, e = BUF_INIT;
    int r = rules_string(d, xpath, &v, &e);
    char *s = NULL;
    if (r == 0)
        s = buf_detach(&v, NULL);
    if (r == NA_ENOMEM || (r == 0 && !s))
        *rc = NA_ENOMEM;
    if (explain) {
        if (r == 0 && s)
            buf_printf(explain, "rule %s '%s': '%s'\n", key, xpath, s);
        else
            buf_printf(explain, "rule %s '%s' not used: %s\n", key, xpath, buf_str(&e));
    }
    buf_release(&v);
    buf_release(&e);
    return s;
}

/* Site rules for date and author override what meta.c found (the title
 * rule is applied before pruning). The values were read from the tree as
 * parsed; both strings are taken over. Returns 0 or NA_ENOMEM. */
static int apply_meta_rules(char *date, char *author, time_t now, struct meta_result *out, struct buf *explain)
{
    int rc = 0;
    if (author) {
        free(out->author);
        out->author = author;
    }
    if (date) {
        char iso[64];
        if (meta_parse_date(date, now, iso, sizeof iso) > 0) {
            char *p = na_strdup(iso), *f = na_strdup("rule");
            if (p && f) {
                free(out->published);
                free(out->published_from);
                out->published = p;
                out->published_from = f;
            } else {
                free(p);
                free(f);
                rc = NA_ENOMEM;
            }
        } else if (explain) {
            buf_printf(explain, "rule date: no date in '%s'\n", date);
        }
        free(date);
    }
    return rc;
}

/* Moves what meta.c found into the article (m is left empty): the title
 * and language always, a URL when out has none, the other fields when
 * found (as meta.c sets them in place). */
static void take_meta(struct article *out, struct meta_result *m)
{
#define TAKE(f)                                                                                                        \
    do {                                                                                                               \
        free(out->f);                                                                                                  \
        out->f = m->f;                                                                                                 \
        m->f = NULL;                                                                                                   \
    } while (0)
    TAKE(title);
    TAKE(lang);
    if (!out->url)
        TAKE(url);
    if (m->published)
        TAKE(published);
    if (m->published_from)
        TAKE(published_from);
    if (m->author)
        TAKE(author);
    if (m->source)
        TAKE(source);
    if (m->category)
        TAKE(category);
#undef TAKE
    meta_result_release(m);
}

/* count_garbage's fast paths: plain ASCII many bytes at a time. */
#define GB_ONES 0x0101010101010101ULL
#define GB_HIGH 0x8080808080808080ULL

/* 0x80 in each byte of w that equals b (exact, no carries across bytes) */
static inline uint64_t gb_bytes_eq(uint64_t w, unsigned b)
{
    uint64_t y = w ^ (GB_ONES * b);
    return ~(((y & ~GB_HIGH) + ~GB_HIGH) | y) & GB_HIGH;
}

/* 1 when the 8 bytes of w are all printable ASCII or tab, LF, FF, CR, space
 * (count_garbage's one-byte cases that are neither control nor U+FFFD), and
 * then *ws = how many of them are whitespace. */
static inline int gb_plain_word(uint64_t w, unsigned *ws)
{
    if (w & GB_HIGH)
        return 0;
    uint64_t del = (w + GB_ONES) & GB_HIGH;  /* 0x7F (no high bits: no carries) */
    uint64_t low = ~(w + GB_ONES * 0x60) & GB_HIGH; /* < 0x20 */
    uint64_t wsc = gb_bytes_eq(w, '\t') | gb_bytes_eq(w, '\n') | gb_bytes_eq(w, '\f') | gb_bytes_eq(w, '\r');
    if (del || (low & ~wsc))
        return 0;
    *ws = (unsigned)((((wsc | gb_bytes_eq(w, ' ')) >> 7) * GB_ONES) >> 56);
    return 1;
}

/* Number of set bits of a 16-bit mask (no popcnt instruction assumed). */
static inline unsigned gb_pop16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (x + (x >> 8)) & 0x1F;
}

#ifdef __SSE2__
/* Counts (into *total) the run of characters from p that count_garbage's
 * loop takes as plain printable ASCII or skips as one-byte white space
 * (tab, LF, FF, CR, space), 16 bytes at a time while 16 are left; returns
 * where the run ends (a byte the loop has to look at, or the last 15). */
static const unsigned char *gb_plain_run(const unsigned char *p, const unsigned char *e, size_t *total)
{
    const __m128i zero = _mm_setzero_si128();
    __m128i acc = zero; /* white-space bytes per lane, at most 255 blocks */
    size_t sum = 0;
    unsigned blocks = 0;
    while (e - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i wsc = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\f')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
        __m128i ws = _mm_or_si128(wsc, _mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
        /* signed: bytes >= 0x80 are below 0x20 too */
        __m128i bad = _mm_or_si128(_mm_andnot_si128(wsc, _mm_cmplt_epi8(v, _mm_set1_epi8(0x20))),
                                   _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
        unsigned badm = (unsigned)_mm_movemask_epi8(bad);
        if (badm) {
            unsigned k = (unsigned)__builtin_ctz(badm);
            sum += k - gb_pop16((unsigned)_mm_movemask_epi8(ws) & ((1u << k) - 1));
            p += k;
            break;
        }
        acc = _mm_sub_epi8(acc, ws); /* ws bytes are -1 */
        sum += 16;
        p += 16;
        if (++blocks == 255) {
            __m128i sad = _mm_sad_epu8(acc, zero);
            sum -= (size_t)_mm_cvtsi128_si32(sad) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sad, 8));
            acc = zero;
            blocks = 0;
        }
    }
    if (blocks) {
        __m128i sad = _mm_sad_epu8(acc, zero);
        sum -= (size_t)_mm_cvtsi128_si32(sad) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sad, 8));
    }
    *total += sum;
    return p;
}
#endif

/* Counts the characters of UTF-8 s that are U+FFFD into *repl, control
 * characters (C0 but tab, LF, CR; DEL; C1) into *ctrl, and all but
 * whitespace into *total. */
static void count_garbage(const char *s, size_t n, size_t *repl, size_t *ctrl, size_t *total)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    *repl = *ctrl = *total = 0;
    while (p < e) {
#ifdef __SSE2__
        if ((p = gb_plain_run(p, e, total)) >= e)
            break;
#else
        uint64_t w;
        unsigned ws;
        if (e - p >= 8 && (memcpy(&w, p, 8), gb_plain_word(w, &ws))) {
            /* 8 one-byte characters at once, as the loop below counts them */
            *total += 8 - ws;
            p += 8;
            continue;
        }
#endif
        unsigned c = *p;
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if ((size_t)(e - p) < k)
            k = (size_t)(e - p);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || (k == 2 && c == 0xC2 && p[1] == 0xA0) ||
            (k == 3 && c == 0xE3 && p[1] == 0x80 && p[2] == 0x80)) {
            p += k; /* whitespace, NBSP, U+3000 */
            continue;
        }
        (*total)++;
        if (c < 0x20 || c == 0x7F || (k == 2 && c == 0xC2 && p[1] < 0xA0))
            (*ctrl)++;
        else if (k == 3 && c == 0xEF && p[1] == 0xBF && p[2] == 0xBD)
            (*repl)++;
        p += k;
    }
}

/* NA_EGARBAGE with a message when s is garbage: over ARTICLE_GARBAGE_PCT
 * percent of its characters undecodable or control characters, or over
 * ARTICLE_GARBAGE_CTRL_PCT percent control characters alone (binary data
 * that a single-byte charset decoded without errors). */
static int check_garbage(const char *what, const char *s, size_t n, struct buf *err)
{
    size_t repl, ctrl, total;
    count_garbage(s, n, &repl, &ctrl, &total);
    size_t bad = repl + ctrl;
    if ((bad < 4 || bad * 100 <= total * ARTICLE_GARBAGE_PCT) &&
        (ctrl < 16 || ctrl * 100 <= total * ARTICLE_GARBAGE_CTRL_PCT))
        return 0;
    buf_seterr(err, "%s is mostly undecodable bytes: of %zu characters, %zu are U+FFFD and %zu control characters",
               what, total, repl, ctrl);
    return NA_EGARBAGE;
}

static int extract(const char *html, size_t n, const struct article_opts *opts, struct extract_ctx *x,
                   struct article *out, struct buf *err);

int article_extract(const char *html, size_t n, const struct article_opts *opts,
                    struct article *out, struct buf *err)
{
    struct extract_ctx *x = opts ? opts->ctx : NULL, *tmp = NULL;
    if (!x && !(x = tmp = extract_ctx_new())) {
        buf_seterr(err, "cannot extract the article: %s", na_strerror(NA_ENOMEM));
        return NA_ENOMEM;
    }
    int rc = extract(html, n, opts, x, out, err);
    extract_ctx_free(tmp);
    return rc;
}

static int extract(const char *html, size_t n, const struct article_opts *opts, struct extract_ctx *x,
                   struct article *out, struct buf *err)
{
    struct buf u = BUF_INIT, t = BUF_INIT;
    struct charset_info ci;
    struct dom *d = NULL;
    struct dom_opts dopts;
    struct text_lines lines;
    struct dom_node *container = NULL;
    char *r_title = NULL, *r_date = NULL, *r_author = NULL;
    struct meta_result m;
    meta_result_init(&m);
    text_lines_init(&lines);
    memset(&dopts, 0, sizeof dopts);
    size_t max_input = opts && opts->max_input ? opts->max_input : DOM_DEFAULT_MAX_INPUT;
    dopts.max_input = max_input;
    dopts.cache = x->chunks;
    if (n > max_input)
        n = max_input;
    const char *url = opts ? opts->url : NULL;
    time_t now = opts && opts->now ? opts->now : time(NULL);
    struct buf *explain = opts && opts->explain ? &out->explain : NULL;

    buf_init(&u, max_input * 3 + 64); /* UTF-8 of a legacy encoding is at most 3x */
    int rc = 0;
    if (n >= 2 && (unsigned char)html[0] == 0x1f && (unsigned char)html[1] == 0x8b) {
        /* After HTTP's Content-Encoding is undone: a body compressed twice. */
        buf_seterr(err, "body is gzip-compressed data, not text (gzip-compressed twice?)");
        rc = NA_EGARBAGE;
        goto done;
    }
    rc = charset_to_utf8(html, n, opts ? opts->http_charset : NULL, &u, &ci, err);
    if (rc || (rc = check_garbage("page", buf_str(&u), u.len, err)))
        goto done;
    if (!(out->charset = na_strdup(ci.name))) {
        rc = NA_ENOMEM;
        goto oom;
    }
    if (explain)
        buf_printf(explain, "charset %s (from %s, %zu invalid bytes)\n", ci.name, ci.source, ci.invalid);
    rc = dom_parse(buf_str(&u), u.len, &dopts, &d, err);
    if (rc)
        goto done;

    struct meta_opts mo = { url, now, x->meta, explain };
    struct dom_node *title = NULL;
    if ((rc = meta_title(d, &mo, &m, &title)))
        goto oom;
    const struct rules *rules = opts ? opts->rules : NULL;
    if (rules) {
        r_title = rule_value(d, "title", rules->title, explain, &rc);
        r_date = rule_value(d, "date", rules->date, explain, &rc);
        r_author = rule_value(d, "author", rules->author, explain, &rc);
        if (rc)
            goto oom;
        if (r_title) { /* the headline text the pruning compares lines with */
            free(m.title);
            m.title = r_title;
            r_title = NULL;
        }
    }
    struct clean_opts co;
    memset(&co, 0, sizeof co);
    co.title = title;
    co.title_text = m.title;
    co.rules = opts ? opts->rules : NULL;
    co.explain = explain;
again:
    rc = clean_container(d, &co, &container, err);
    if (rc)
        goto done;
    if (container) {
        rc = text_render(container, CLEAN_SKIP, &lines);
        if (rc) {
            buf_seterr(err, "cannot render the article text: %s", na_strerror(rc));
            goto done;
        }
        if ((rc = clean_lines(&lines, container, &co)))
            goto oom;
        rc = text_join(&lines, &t);
        if (rc) {
            buf_seterr(err, "cannot render the article text: %s", na_strerror(rc));
            goto done;
        }
    }
    if (!t.len && !co.reveal) {
        /* no text: the article may wait at display:none for a script */
        co.reveal = 1;
        text_lines_release(&lines);
        text_lines_init(&lines);
        if (explain)
            buf_adds(explain, "no text: again with hidden blocks of text shown\n");
        goto again;
    }
    if (opts && opts->max_images && container &&
        (rc = images_collect(d, container, &lines, url, ci.name, opts->max_images, &out->images, &out->nimages)))
        goto oom;
    out->text = buf_detach(&t, NULL);
    if (!out->text) {
        rc = NA_ENOMEM;
        goto oom;
    }
    if ((rc = check_garbage("text", out->text, strlen(out->text), err)))
        goto done;
    if ((rc = meta_fields(d, &mo, title, container, &m)))
        goto oom;
    /* after the fields' own fallback (the headline line above the container) */
    if ((rc = meta_title_placeholder(&m, title, out->text, explain)))
        goto oom;
    rc = apply_meta_rules(r_date, r_author, now, &m, explain);
    r_date = r_author = NULL;
    if (rc)
        goto oom;
    take_meta(out, &m);
    if (!out->url && url && !(out->url = na_strdup(url)))
        rc = NA_ENOMEM;
    if (!rc && out->explain.err == NA_ENOMEM)
        rc = NA_ENOMEM; /* its 1 MB cap (NA_ETOOBIG) only cuts the explanation */
oom:
    if (rc)
        buf_seterr(err, "cannot extract the article: %s", na_strerror(rc));
done:
    free(r_title);
    free(r_date);
    free(r_author);
    meta_result_release(&m);
    text_lines_release(&lines);
    dom_free(d);
    buf_release(&u);
    buf_release(&t);
    return rc;
}
