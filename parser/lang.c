/* lang.c — the page's language (lang.h): the declared tag, checked against
 * the scripts of the text (Han, kana, Hangul, Latin, Cyrillic, …) and, for
 * Latin script, against the function words of the common languages. */
#include "parser/lang.h"
#include "parser/metabase.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

struct script_count {
    size_t han, kana, hangul, latin, cyr, arabic, greek, hebrew, thai, deva, total;
};

static void count_scripts(const char *s, size_t n, struct script_count *sc)
{
    const char *p = s, *e = s + n;
    while (p < e) {
        unsigned c = next_cp(&p, e);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F))
            sc->latin++;
        else if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
            sc->han++;
        else if (c >= 0x3040 && c <= 0x30FF)
            sc->kana++;
        else if (c >= 0xAC00 && c <= 0xD7AF)
            sc->hangul++;
        else if (c >= 0x400 && c <= 0x4FF)
            sc->cyr++;
        else if (c >= 0x600 && c <= 0x6FF)
            sc->arabic++;
        else if (c >= 0x370 && c <= 0x3FF)
            sc->greek++;
        else if (c >= 0x590 && c <= 0x5FF)
            sc->hebrew++;
        else if (c >= 0xE00 && c <= 0xE7F)
            sc->thai++;
        else if (c >= 0x900 && c <= 0x97F)
            sc->deva++;
        else
            continue;
        sc->total++;
    }
}

/* Most frequent function words of some Latin-script languages. */
static const char *latin_lang(const char *s, size_t n)
{
    static const struct {
        const char *lang;
        const char *words[8];
    } sw[] = {
        { "en", { "the", "and", "of", "to", "is", "that", "with", "for" } },
        { "de", { "der", "die", "und", "das", "ist", "nicht", "mit", "den" } },
        { "fr", { "le", "les", "et", "des", "est", "une", "dans", "pour" } },
        { "es", { "el", "los", "que", "del", "las", "por", "una", "para" } },
        { "it", { "il", "che", "della", "per", "sono", "gli", "non", "una" } },
        { "pt", { "que", "não", "uma", "para", "com", "os", "do", "da" } },
        { "nl", { "het", "een", "van", "en", "niet", "op", "zijn", "voor" } },
        { "pl", { "nie", "się", "jest", "na", "że", "do", "to", "w" } },
    };
    enum { NL = sizeof sw / sizeof sw[0] };
    int score[NL] = { 0 };
    uint64_t by_first[256]; /* bit i * 8 + j: sw[i].words[j] starts with that byte */
    memset(by_first, 0, sizeof by_first);
    for (int i = 0; i < NL; i++)
        for (int j = 0; j < 8; j++)
            by_first[(unsigned char)sw[i].words[j][0]] |= 1ull << (i * 8 + j);
    const char *p = s, *e = s + n;
    while (p < e) {
        while (p < e && !(((unsigned char)*p >= 0x80) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        const char *q = p;
        while (q < e && (((unsigned char)*q >= 0x80) || (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')))
            q++;
        size_t l = (size_t)(q - p);
        if (l >= 1 && l <= 6) {
            char w[8];
            for (size_t i = 0; i < l; i++)
                w[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] + 32 : p[i]);
            w[l] = 0;
            for (uint64_t m = by_first[(unsigned char)w[0]]; m; m &= m - 1) {
                int b = __builtin_ctzll(m);
                if (strcmp(w, sw[b / 8].words[b % 8]) == 0)
                    score[b / 8]++;
            }
        }
        p = q;
    }
    int best = -1, bs = 0, second = 0;
    for (int i = 0; i < NL; i++) {
        if (score[i] > bs) {
            second = bs;
            bs = score[i];
            best = i;
        } else if (score[i] > second)
            second = score[i];
    }
    if (best < 0 || bs < 4 || bs < second * 3 / 2)
        return NULL;
    return sw[best].lang;
}

/* Language from the script of the text: NULL when unsure. */
static const char *script_lang(const char *s, size_t n)
{
    struct script_count sc;
    memset(&sc, 0, sizeof sc);
    count_scripts(s, n, &sc);
    if (sc.total < 20)
        return NULL;
    size_t cjk = sc.han + sc.kana;
    if (sc.kana * 10 > cjk && sc.kana >= 10 && cjk * 3 > sc.total)
        return "ja";
    if (sc.hangul * 3 > sc.total)
        return "ko";
    if (sc.han * 3 > sc.total)
        return "zh";
    if (sc.cyr * 2 > sc.total)
        return "ru";
    if (sc.arabic * 2 > sc.total)
        return "ar";
    if (sc.greek * 2 > sc.total)
        return "el";
    if (sc.hebrew * 2 > sc.total)
        return "he";
    if (sc.thai * 2 > sc.total)
        return "th";
    if (sc.deva * 2 > sc.total)
        return "hi";
    if (sc.latin * 10 > sc.total * 9)
        return latin_lang(s, n);
    return NULL;
}

/* "zh-CN" → "zh"; NULL when the value is no language tag. */
static char *lang_primary(const char *v, int *e)
{
    while (*v == ' ')
        v++;
    size_t n = 0;
    char out[4];
    while (n < 3 && ((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z'))) {
        out[n] = (char)(v[n] >= 'A' && v[n] <= 'Z' ? v[n] + 32 : v[n]);
        n++;
    }
    if (n < 2 || (v[n] && v[n] != '-' && v[n] != '_' && v[n] != ',' && v[n] != ' ' && v[n] != ';'))
        return NULL;
    out[n] = 0;
    char *r = na_strdup(out);
    if (!r)
        *e = NA_ENOMEM;
    return r;
}

static int lang_is_cjk(const char *l)
{
    return strcmp(l, "zh") == 0 || strcmp(l, "ja") == 0 || strcmp(l, "ko") == 0;
}

int page_lang(struct dom *d, const char *declared, const char *title, char **out)
{
    int err = 0;
    char *lang = NULL;
    *out = NULL;
    if (declared)
        lang = lang_primary(declared, &err);
    if (d->body) {
        struct buf sample = BUF_INIT;
        buf_init(&sample, 1 << 20);
        if (title)
            buf_adds(&sample, title), buf_addc(&sample, '\n');
        struct dom_node *n = d->body;
        while (n && sample.len < 3000) {
            if (n->type == DOM_ELEMENT && is_skipped_tag(n->tag)) {
                n = dom_next_skip(n, d->body);
                continue;
            }
            if (n->type == DOM_TEXT)
                buf_add(&sample, n->text, n->len), buf_addc(&sample, ' ');
            n = dom_next(n, d->body);
        }
        oom_of(&err, &sample);
        const char *sl = sample.err ? NULL : script_lang(buf_str(&sample), sample.len);
        if (sl && (!lang || (lang_is_cjk(sl) != lang_is_cjk(lang)) ||
                   (lang_is_cjk(sl) && lang_is_cjk(lang) && strcmp(sl, lang) != 0 && strcmp(sl, "ja") != 0))) {
            free(lang);
            if (!(lang = na_strdup(sl)))
                err = NA_ENOMEM;
        } else if (!lang && sl && !(lang = na_strdup(sl)))
            err = NA_ENOMEM;
        buf_release(&sample);
    }
    if (err) {
        free(lang);
        return err;
    }
    *out = lang;
    return 0;
}
