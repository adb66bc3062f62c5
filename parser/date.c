/* date.c — a hand-written scanner for dates in page text, meta values and
 * URL paths (see date.h for the forms). One left-to-right pass tries each
 * pattern at each plausible start; no regex, no locale, no time zone
 * database: calendar arithmetic is done on day numbers (Howard Hinnant's
 * civil-from-days algorithms), so it is thread-safe and TZ-independent. */
#include "parser/date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define CST_OFFSET (8 * 3600) /* China Standard Time, for Chinese relative forms */

/* ---- calendar ---- */

static void val_from_days(struct date_val *v, long days, long secs);

static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

int date_valid(const struct date_val *v)
{
    if (v->year < 1970 || v->year > 2200 || v->month < 1 || v->month > 12 || v->day < 1 ||
        v->day > month_days(v->year, v->month))
        return 0;
    if (v->has_time && (v->hour < 0 || v->hour > 23 || v->min < 0 || v->min > 59 || v->sec < 0 ||
                        v->sec > 60))
        return 0;
    if (v->has_tz && (v->tz_min < -14 * 60 || v->tz_min > 14 * 60))
        return 0;
    return 1;
}

int date_from_unix(long long t, struct date_val *out)
{
    long long d = t / 86400, s = t % 86400;
    if (s < 0)
        s += 86400, d--;
    struct date_val v;
    val_from_days(&v, (long)d, (long)s);
    v.has_tz = 1;
    v.tz_min = 0;
    if (!date_valid(&v))
        return 0;
    *out = v;
    return 1;
}

long date_days(const struct date_val *v) { return days_from_civil(v->year, v->month, v->day); }

size_t date_format(const struct date_val *v, char *out, size_t cap)
{
    if (cap < 32 || !date_valid(v))
        return 0;
    int n;
    if (!v->has_time)
        n = snprintf(out, cap, "%04d-%02d-%02d", v->year, v->month, v->day);
    else if (!v->has_tz)
        n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", v->year, v->month, v->day, v->hour,
                     v->min, v->sec > 59 ? 59 : v->sec);
    else {
        int tz = v->tz_min < 0 ? -v->tz_min : v->tz_min;
        n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", v->year, v->month, v->day,
                     v->hour, v->min, v->sec > 59 ? 59 : v->sec, v->tz_min < 0 ? '-' : '+', tz / 60,
                     tz % 60);
    }
    return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* ---- the reference time ---- */

struct ref {
    long days;     /* today, in the zone */
    long secs;     /* seconds since midnight, in the zone */
    int year, month, day;
};

static void ref_make(struct ref *r, time_t now, int cst)
{
    long long t = (long long)now + (cst ? CST_OFFSET : 0);
    long long d = t / 86400, s = t % 86400;
    if (s < 0) {
        s += 86400;
        d--;
    }
    r->days = (long)d;
    r->secs = (long)s;
    civil_from_days(r->days, &r->year, &r->month, &r->day);
}

/* Fills v from a day number plus optional seconds since midnight (-1: no time). */
static void val_from_days(struct date_val *v, long days, long secs)
{
    memset(v, 0, sizeof *v);
    civil_from_days(days, &v->year, &v->month, &v->day);
    if (secs >= 0) {
        v->has_time = 1;
        v->hour = (int)(secs / 3600);
        v->min = (int)(secs / 60 % 60);
        v->sec = (int)(secs % 60);
    }
}

/* ---- characters ---- */

struct scan {
    const char *s, *e;   /* the text */
    time_t now;
    unsigned flags;
    struct ref utc, cst; /* made on first use (utc_ref, cst_ref) */
    int cst_zone;        /* text has CJK: relative forms are in UTC+8 (in_cst) */
    unsigned have;       /* 1 utc made, 2 cst made, 4 cst_zone known */
    const char *num_at, *num_end; /* the last number read at a pattern's start (scan_num) */
    int num_val, num_dig;
};

static int has_cjk(const char *s, const char *e);

/* The reference times and the zone of a scan, made when a pattern first
 * needs them: most text holds no date. */
static const struct ref *utc_ref(struct scan *sc)
{
    if (!(sc->have & 1)) {
        ref_make(&sc->utc, sc->now, 0);
        sc->have |= 1;
    }
    return &sc->utc;
}

static const struct ref *cst_ref(struct scan *sc)
{
    if (!(sc->have & 2)) {
        ref_make(&sc->cst, sc->now, 1);
        sc->have |= 2;
    }
    return &sc->cst;
}

static int in_cst(struct scan *sc)
{
    if (!(sc->have & 4)) {
        sc->cst_zone = has_cjk(sc->s, sc->e);
        sc->have |= 4;
    }
    return sc->cst_zone;
}

/* Length of the digit at p (ASCII or full-width), storing its value; 0 if none. */
static inline int digit_at(const char *p, const char *e, int *val)
{
    if (p < e && *p >= '0' && *p <= '9') {
        *val = *p - '0';
        return 1;
    }
    if (e - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
        (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
        *val = (unsigned char)p[2] - 0x90;
        return 3;
    }
    return 0;
}

/* Reads a run of digits: value (saturated) and count. Returns the end. */
static const char *read_num(const char *p, const char *e, int *val, int *ndig)
{
    int v = 0, n = 0, d, l;
    while ((l = digit_at(p, e, &d)) > 0) {
        if (v < 100000000)
            v = v * 10 + d;
        n++;
        p += l;
    }
    *val = v;
    *ndig = n;
    return p;
}

/* read_num at the start of a pattern: every pattern tried at p reads the
 * same number, so the last one is kept. */
static const char *scan_num(struct scan *sc, const char *p, int *val, int *ndig)
{
    if (sc->num_at != p) {
        sc->num_end = read_num(p, sc->e, &sc->num_val, &sc->num_dig);
        sc->num_at = p;
    }
    *val = sc->num_val;
    *ndig = sc->num_dig;
    return sc->num_end;
}

static int is_digit_before(const char *s, const char *p)
{
    int d;
    if (p > s && p[-1] >= '0' && p[-1] <= '9')
        return 1;
    return p - s >= 3 && digit_at(p - 3, p, &d) == 3;
}

static inline int is_digit_at(const char *p, const char *e)
{
    int d;
    return digit_at(p, e, &d) > 0;
}

/* p + strlen(lit) if the text at p starts with lit, else NULL. */
static const char *lit(const char *p, const char *e, const char *l)
{
    size_t n = strlen(l);
    return (size_t)(e - p) >= n && memcmp(p, l, n) == 0 ? p + n : NULL;
}

/* Case-insensitive ASCII version of lit. */
static const char *lit_ci(const char *p, const char *e, const char *l)
{
    size_t n = strlen(l);
    if ((size_t)(e - p) < n)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != l[i])
            return NULL;
    }
    return p + n;
}

static inline int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Skips spaces, tabs, newlines, NBSP and the ideographic space. */
static inline const char *skip_sp(const char *p, const char *e)
{
    for (;;) {
        if (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f'))
            p++;
        else if (e - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
            p += 2;
        else if (e - p >= 3 && (unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
                 (unsigned char)p[2] == 0x80)
            p += 3;
        else
            return p;
    }
}

/* One of the listed UTF-8 strings at p: returns its end, NULL if none. */
static const char *one_of(const char *p, const char *e, const char *const *list)
{
    for (; *list; list++) {
        const char *q = lit(p, e, *list);
        if (q)
            return q;
    }
    return NULL;
}

/* ---- times and zones ---- */

/* Parses an optional time after a date ending at p: " 12:30", "T12:30:05.123Z",
 * "12时30分", "下午3:05", " 11:57 AM", "-23:59:59". Sets v's time fields and
 * returns the end of what was consumed (p when there is no time). */
static const char *parse_time(const char *p, const char *e, struct date_val *v)
{
    static const char *const pm_words[] = { "下午", "晚上", "傍晚", "中午", NULL };
    static const char *const am_words[] = { "上午", "凌晨", "早上", "清晨", NULL };
    static const char *const colon[] = { ":", "：", NULL };
    const char *q = p;
    int iso = 0, had_sec = 0;
    if (q < e && (*q == 'T' || *q == '-'))
        iso = *q == 'T', q++;
    else {
        const char *r = skip_sp(q, e);
        if (r < e && *r == ',')
            r = skip_sp(r + 1, e);
        const char *at = lit_ci(r, e, "at ");
        if (at)
            r = skip_sp(at, e);
        q = r;
    }
    int pm = 0, am = 0;
    const char *w;
    if ((w = one_of(q, e, pm_words)))
        pm = 1, q = skip_sp(w, e);
    else if ((w = one_of(q, e, am_words)))
        am = 1, q = skip_sp(w, e);
    (void)am;
    int h, m, s = 0, nd;
    const char *r = read_num(q, e, &h, &nd);
    if (nd < 1 || nd > 2)
        return p;
    const char *c = one_of(r, e, colon);
    int cjk = 0;
    if (!c) {
        c = lit(r, e, "时");
        if (!c)
            c = lit(r, e, "点");
        cjk = 1;
        if (!c)
            return p;
    }
    r = read_num(c, e, &m, &nd);
    if (nd != 2 && !(cjk && nd == 1))
        return p;
    if (cjk) {
        const char *f = lit(r, e, "分");
        if (f) {
            r = f;
            int nd2;
            const char *t = read_num(r, e, &s, &nd2);
            const char *sec = nd2 >= 1 && nd2 <= 2 ? lit(t, e, "秒") : NULL;
            if (sec)
                r = sec;
            else
                s = 0;
        }
    } else if ((c = one_of(r, e, colon)) != NULL) {
        const char *t = read_num(c, e, &s, &nd);
        if (nd == 2) {
            r = t;
            had_sec = 1;
            if (r < e && (*r == '.' || *r == ',') && is_digit_at(r + 1, e)) {
                int fv;
                r = read_num(r + 1, e, &fv, &nd);
            }
        } else
            s = 0;
    }
    /* AM/PM after the time. */
    const char *a = skip_sp(r, e);
    const char *ap;
    if ((ap = lit_ci(a, e, "pm")) || (ap = lit_ci(a, e, "p.m.")))
        pm = 2;
    else if ((ap = lit_ci(a, e, "am")) || (ap = lit_ci(a, e, "a.m.")))
        pm = -1;
    if (ap && !(ap < e && is_alpha(*ap)))
        r = ap;
    else
        ap = NULL;
    if (pm > 0 && h < 12)
        h += 12;
    else if (pm < 0 && h == 12)
        h = 0;
    if (h > 23 || m > 59 || s > 60)
        return p;
    v->has_time = 1;
    v->hour = h;
    v->min = m;
    v->sec = s;
    /* Offset: Z, +08:00, +0800, +08, " +0800", " GMT", " UTC". */
    const char *z = r;
    if (z < e && *z == ' ' && z + 1 < e && (z[1] == '+' || z[1] == '-'))
        z++;
    if (z < e && *z == 'Z' && !(z + 1 < e && is_alpha(z[1]))) {
        v->has_tz = 1;
        v->tz_min = 0;
        return z + 1;
    }
    if (z < e && (*z == '+' || *z == '-') && (iso || had_sec || z > r)) {
        int sign = *z == '-' ? -1 : 1, hh, mm = 0, n1;
        const char *t = read_num(z + 1, e, &hh, &n1);
        if (n1 == 4) {
            mm = hh % 100;
            hh /= 100;
        } else if (n1 == 2 && t < e && *t == ':') {
            int n2;
            const char *t2 = read_num(t + 1, e, &mm, &n2);
            if (n2 != 2)
                return r;
            t = t2;
        } else if (n1 != 2 || (t < e && *t == ':'))
            return r;
        if (hh > 14 || mm > 59)
            return r;
        v->has_tz = 1;
        v->tz_min = sign * (hh * 60 + mm);
        return t;
    }
    const char *g = skip_sp(r, e);
    const char *gz;
    if ((gz = lit(g, e, "GMT")) || (gz = lit(g, e, "UTC"))) {
        if (!(gz < e && (is_alpha(*gz) || *gz == '+' || *gz == '-'))) {
            v->has_tz = 1;
            v->tz_min = 0;
            return gz;
        }
    }
    return r;
}

/* ---- month names ---- */

struct month_name {
    const char *name;
    int month;
};

/* Full names and abbreviations, lower case; longest first within a month
 * so that "sept" wins over "sep". */
static const struct month_name month_names[] = {
    { "january", 1 }, { "januar", 1 }, { "januari", 1 }, { "janvier", 1 }, { "janeiro", 1 }, { "jänner", 1 },
    { "jan", 1 }, { "jän", 1 }, { "enero", 1 }, { "ene", 1 }, { "gennaio", 1 }, { "gen", 1 },
    { "february", 2 }, { "februar", 2 }, { "februari", 2 }, { "février", 2 }, { "fevrier", 2 },
    { "fevereiro", 2 }, { "febrero", 2 }, { "febbraio", 2 }, { "feb", 2 }, { "fév", 2 }, { "fev", 2 },
    { "march", 3 }, { "märz", 3 }, { "maerz", 3 }, { "mars", 3 }, { "marzo", 3 }, { "março", 3 },
    { "maart", 3 }, { "mar", 3 }, { "mär", 3 }, { "mrt", 3 },
    { "april", 4 }, { "avril", 4 }, { "abril", 4 }, { "aprile", 4 }, { "apr", 4 }, { "avr", 4 }, { "abr", 4 },
    { "may", 5 }, { "mai", 5 }, { "mayo", 5 }, { "maggio", 5 }, { "maio", 5 }, { "mei", 5 }, { "mag", 5 },
    { "june", 6 }, { "juni", 6 }, { "juin", 6 }, { "junio", 6 }, { "giugno", 6 }, { "junho", 6 }, { "jun", 6 },
    { "july", 7 }, { "juli", 7 }, { "juillet", 7 }, { "julio", 7 }, { "luglio", 7 }, { "julho", 7 }, { "jul", 7 },
    { "august", 8 }, { "augustus", 8 }, { "août", 8 }, { "aout", 8 }, { "agosto", 8 }, { "aug", 8 }, { "ago", 8 },
    { "september", 9 }, { "septembre", 9 }, { "septiembre", 9 }, { "settembre", 9 }, { "setembro", 9 },
    { "sept", 9 }, { "sep", 9 }, { "set", 9 },
    { "october", 10 }, { "oktober", 10 }, { "octobre", 10 }, { "octubre", 10 }, { "ottobre", 10 },
    { "outubro", 10 }, { "oct", 10 }, { "okt", 10 }, { "ott", 10 }, { "out", 10 },
    { "november", 11 }, { "novembre", 11 }, { "noviembre", 11 }, { "novembro", 11 }, { "nov", 11 },
    { "december", 12 }, { "dezember", 12 }, { "décembre", 12 }, { "decembre", 12 }, { "diciembre", 12 },
    { "dicembre", 12 }, { "dezembro", 12 }, { "dec", 12 }, { "dez", 12 }, { "déc", 12 }, { "dic", 12 },
};

/* A word: ASCII letters and UTF-8 Latin-1 supplement letters (ä, é, û…). */
static inline const char *word_end(const char *p, const char *e)
{
    while (p < e) {
        if (is_alpha(*p))
            p++;
        else if (e - p >= 2 && (unsigned char)p[0] == 0xC3 && (unsigned char)p[1] >= 0x80 &&
                 (unsigned char)p[1] <= 0xBF)
            p += 2;
        else
            break;
    }
    return p;
}

/* Month named by the word [p, q) (any case for ASCII), 0 if none. */
static int month_word(const char *p, const char *q)
{
    size_t n = (size_t)(q - p);
    char low[16];
    if (n < 3 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        else if (c == (char)0xC3 && i + 1 < n && (unsigned char)p[i + 1] >= 0x80 &&
                 (unsigned char)p[i + 1] <= 0x9E) {
            /* upper-case Latin-1 letter (Ä, É…) → lower case */
            low[i] = c;
            low[i + 1] = (char)(p[i + 1] + 0x20);
            i++;
            continue;
        }
        low[i] = c;
    }
    low[n] = 0;
    for (size_t i = 0; i < sizeof month_names / sizeof month_names[0]; i++)
        if (month_names[i].name[0] == low[0] && strcmp(low, month_names[i].name) == 0)
            return month_names[i].month;
    return 0;
}

/* Month names of other scripts and of Latin ones beyond Latin-1, from the
 * CLDR sets (the form a date uses: genitive where the language has one):
 * Arabic (Egypt and the Gulf; the Levant's single-word names), Russian,
 * Ukrainian, Polish, Turkish, Indonesian, Dutch, Greek. Lower case. */
static const struct month_name month_names_intl[] = {
    { "يناير", 1 }, { "فبراير", 2 }, { "مارس", 3 }, { "أبريل", 4 }, { "إبريل", 4 }, { "ابريل", 4 }, { "مايو", 5 },
    { "يونيو", 6 }, { "يوليو", 7 }, { "أغسطس", 8 }, { "اغسطس", 8 }, { "سبتمبر", 9 }, { "أكتوبر", 10 },
    { "اكتوبر", 10 }, { "نوفمبر", 11 }, { "ديسمبر", 12 }, { "شباط", 2 }, { "آذار", 3 }, { "نيسان", 4 },
    { "أيار", 5 }, { "حزيران", 6 }, { "تموز", 7 }, { "آب", 8 }, { "أيلول", 9 },
    { "января", 1 }, { "февраля", 2 }, { "марта", 3 }, { "апреля", 4 }, { "мая", 5 }, { "июня", 6 },
    { "июля", 7 }, { "августа", 8 }, { "сентября", 9 }, { "октября", 10 }, { "ноября", 11 }, { "декабря", 12 },
    { "січня", 1 }, { "лютого", 2 }, { "березня", 3 }, { "квітня", 4 }, { "травня", 5 }, { "червня", 6 },
    { "липня", 7 }, { "серпня", 8 }, { "вересня", 9 }, { "жовтня", 10 }, { "листопада", 11 }, { "грудня", 12 },
    { "stycznia", 1 }, { "lutego", 2 }, { "marca", 3 }, { "kwietnia", 4 }, { "maja", 5 }, { "czerwca", 6 },
    { "lipca", 7 }, { "sierpnia", 8 }, { "września", 9 }, { "października", 10 }, { "listopada", 11 },
    { "grudnia", 12 }, { "ocak", 1 }, { "şubat", 2 }, { "mart", 3 }, { "nisan", 4 }, { "mayıs", 5 },
    { "haziran", 6 }, { "temmuz", 7 }, { "ağustos", 8 }, { "eylül", 9 }, { "ekim", 10 }, { "kasım", 11 },
    { "aralık", 12 }, { "maret", 3 }, { "agustus", 8 }, { "desember", 12 }, { "augustus", 8 },
    { "ιανουαρίου", 1 }, { "φεβρουαρίου", 2 }, { "μαρτίου", 3 }, { "απριλίου", 4 }, { "μαΐου", 5 },
    { "ιουνίου", 6 }, { "ιουλίου", 7 }, { "αυγούστου", 8 }, { "σεπτεμβρίου", 9 }, { "οκτωβρίου", 10 },
    { "νοεμβρίου", 11 }, { "δεκεμβρίου", 12 },
};

/* The month named by the word at p (ASCII letters and any UTF-8 letters of
 * two-byte scripts: Latin Extended, Greek, Cyrillic, Arabic); sets *we to
 * the word's end. 0 when it names none. Apart from month_word (Latin-1
 * only), which the common case keeps fast. */
static int month_word_intl(const char *p, const char *e, const char **we)
{
    char low[40];
    size_t n = 0;
    const char *q = p;
    while (q < e && n + 2 < sizeof low) {
        unsigned char c = (unsigned char)*q;
        if (c < 0x80 && is_alpha((char)c)) {
            low[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            q++;
        } else if (c >= 0xC3 && c <= 0xDB && e - q >= 2 && ((unsigned char)q[1] & 0xC0) == 0x80) {
            low[n++] = (char)c;
            low[n++] = q[1];
            q += 2;
        } else
            break;
    }
    low[n] = 0;
    if (n < 3 || (q < e && (unsigned char)*q >= 0x80 && n + 2 >= sizeof low))
        return 0;
    for (size_t i = 0; i < sizeof month_names_intl / sizeof month_names_intl[0]; i++)
        if (strcmp(low, month_names_intl[i].name) == 0) {
            *we = q;
            return month_names_intl[i].month;
        }
    return 0;
}

/* ---- patterns ---- */

static int year_ok(struct scan *sc, int y)
{
    return y >= 1970 && y <= utc_ref(sc)->year + 1;
}

/* Checks v and the NOT_AFTER_NOW rule; fills the hit. */
static int accept(struct scan *sc, struct date_val *v, int kind, int bare, const char *start,
                  const char *end, struct date_hit *hit)
{
    if (!date_valid(v) || (kind == DATE_ABSOLUTE && !year_ok(sc, v->year)))
        return 0;
    if (kind == DATE_ABSOLUTE && (sc->flags & DATE_NOT_AFTER_NOW) &&
        date_days(v) > utc_ref(sc)->days + 1)
        return 0;
    hit->v = *v;
    hit->kind = kind;
    hit->bare = bare;
    hit->start = (size_t)(start - sc->s);
    hit->end = (size_t)(end - sc->s);
    return kind;
}

/* Gives a month-day the year of now (in the text's zone), or the year before
 * when that would lie after today. */
static void infer_year(struct scan *sc, struct date_val *v)
{
    const struct ref *r = in_cst(sc) ? cst_ref(sc) : utc_ref(sc);
    v->year = r->year;
    if (v->month > r->month || (v->month == r->month && v->day > r->day))
        v->year--;
    if (v->month == 2 && v->day == 29 && !is_leap(v->year)) {
        /* 02-29 in a non-leap year: the last leap year before it */
        while (!is_leap(v->year))
            v->year--;
    }
}

/* "(09-30)" / "（09-30）" / " 09-30" after a relative form: the month-day
 * wins over the approximate relative value. */
static const char *paren_month_day(struct scan *sc, const char *p, struct date_val *v)
{
    static const char *const open[] = { "(", "（", "[", NULL };
    static const char *const close[] = { ")", "）", "]", NULL };
    const char *e = sc->e;
    const char *q = skip_sp(p, e), *o = one_of(q, e, open);
    if (!o)
        return NULL;
    int mo, d, n1, n2;
    const char *r = read_num(skip_sp(o, e), e, &mo, &n1);
    if (n1 < 1 || n1 > 2 || r >= e || (*r != '-' && *r != '/'))
        return NULL;
    r = read_num(r + 1, e, &d, &n2);
    if (n2 < 1 || n2 > 2)
        return NULL;
    struct date_val t;
    memset(&t, 0, sizeof t);
    t.month = mo;
    t.day = d;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return NULL;
    infer_year(sc, &t);
    if (!date_valid(&t))
        return NULL;
    r = parse_time(r, e, &t);
    const char *c = one_of(skip_sp(r, e), e, close);
    *v = t;
    return c ? c : r;
}

/* Year-first: 2023-02-03, 2023/2/3, 2023.02.03, 2023年2月3日, with a time. */
static int pat_ymd(struct scan *sc, const char *p, struct date_hit *hit)
{
    const char *e = sc->e;
    int y, mo, d, n;
    const char *q = scan_num(sc, p, &y, &n);
    if (n != 4 || q >= e)
        return 0;
    int cjk = 0;
    char sep = 0;
    const char *r;
    if ((r = lit(skip_sp(q, e), e, "年")) != NULL)
        cjk = 1;
    else if (*q == '-' || *q == '/' || *q == '.' || *q == '_')
        sep = *q, r = q + 1;
    else if ((r = lit(q, e, "－")) != NULL || (r = lit(q, e, "／")) != NULL)
        sep = '-';
    else
        return 0;
    if (cjk)
        r = skip_sp(r, e);
    r = read_num(r, e, &mo, &n);
    if (n < 1 || n > 2)
        return 0;
    if (cjk) {
        r = skip_sp(r, e);
        if (!(r = lit(r, e, "月")))
            return 0;
        r = skip_sp(r, e);
    } else {
        const char *s2 = NULL;
        if (r < e && *r == sep)
            s2 = r + 1;
        else if (sep == '-' && !(s2 = lit(r, e, "－")))
            s2 = lit(r, e, "／");
        if (!s2)
            return 0;
        r = s2;
    }
    r = read_num(r, e, &d, &n);
    if (n < 1 || n > 2)
        return 0;
    if (cjk) {
        const char *t = skip_sp(r, e);
        const char *u = lit(t, e, "日");
        if (!u)
            u = lit(t, e, "号");
        if (u)
            r = u;
        else if (is_digit_at(r, e))
            return 0;
    } else if (is_digit_at(r, e) || (sep == '.' && r + 1 < e && *r == '.' && is_digit_at(r + 1, e)))
        return 0;
    struct date_val v;
    memset(&v, 0, sizeof v);
    v.year = y;
    v.month = mo;
    v.day = d;
    const char *end = parse_time(r, e, &v);
    if (!v.has_time && r < e && *r == '-')
        end = r; /* "2019-09-07-" with no time: the date alone */
    return accept(sc, &v, DATE_ABSOLUTE, 0, p, end, hit);
}

/* Day-or-month first with a four-digit year: 9/17/2004, 31.05.2012, 31-05-2012;
 * two-digit year first: 18-03-08 (YY-MM-DD). */
static int pat_dmy(struct scan *sc, const char *p, struct date_hit *hit)
{
    const char *e = sc->e;
    if (p > sc->s && (p[-1] == '-' || p[-1] == '/' || p[-1] == '.' || p[-1] == ':'))
        return 0;
    int a, b, c, na, nb, nc;
    const char *q = scan_num(sc, p, &a, &na);
    if (na < 1 || na > 2 || q >= e || (*q != '/' && *q != '.' && *q != '-'))
        return 0;
    char sep = *q;
    const char *r = read_num(q + 1, e, &b, &nb);
    if (nb < 1 || nb > 2 || r >= e || *r != sep)
        return 0;
    const char *t = read_num(r + 1, e, &c, &nc);
    if (is_digit_at(t, e))
        return 0;
    struct date_val v;
    memset(&v, 0, sizeof v);
    if (nc == 4) {
        v.year = c;
        if (sep == '/') { /* US order unless the first number cannot be a month */
            v.month = a, v.day = b;
            if (a > 12)
                v.month = b, v.day = a;
        } else {
            v.day = a, v.month = b;
            if (b > 12)
                v.day = b, v.month = a;
        }
    } else if (nc == 2 && na == 2 && nb == 2 && sep == '-') {
        v.year = 2000 + a;
        if (v.year > utc_ref(sc)->year)
            v.year -= 100;
        v.month = b;
        v.day = c;
    } else
        return 0;
    if (sep == '.' && t < e && *t == '.' && is_digit_at(t + 1, e))
        return 0; /* a version number or an address */
    const char *end = parse_time(t, e, &v);
    return accept(sc, &v, DATE_ABSOLUTE, 0, p, end, hit);
}

/* Month-day without a year: "10-08", "09-30 12:00", "2月3日 12:30". */
static int pat_md(struct scan *sc, const char *p, struct date_hit *hit)
{
    const char *e = sc->e;
    if (p > sc->s && (p[-1] == '-' || p[-1] == '/' || p[-1] == '.' || p[-1] == ':'))
        return 0; /* the tail of a longer number */
    int mo, d, n1, n2;
    const char *q = scan_num(sc, p, &mo, &n1);
    if (n1 < 1 || n1 > 2 || q >= e)
        return 0;
    const char *r;
    int cjk = 0;
    if ((r = lit(q, e, "月")) != NULL)
        cjk = 1;
    else if ((*q == '-' || *q == '/') && n1 == 2)
        r = q + 1;
    else
        return 0;
    r = read_num(r, e, &d, &n2);
    if (n2 < 1 || n2 > 2 || (!cjk && n2 != 2))
        return 0;
    if (cjk) {
        const char *u = lit(r, e, "日");
        if (!u)
            u = lit(r, e, "号");
        if (!u)
            return 0;
        r = u;
    } else if (is_digit_at(r, e) || (r < e && (*r == '-' || *r == '/') && is_digit_at(r + 1, e)))
        return 0;
    if (mo < 1 || mo > 12 || d < 1 || d > 31)
        return 0;
    struct date_val v;
    memset(&v, 0, sizeof v);
    v.month = mo;
    v.day = d;
    infer_year(sc, &v);
    const char *end = parse_time(r, e, &v);
    return accept(sc, &v, DATE_RELATIVE, 1, p, end, hit);
}

/* "31 May 2012", "31. Mai 2012", "31 de mayo de 2012". */
static int pat_d_month_y(struct scan *sc, const char *p, struct date_hit *hit)
{
    const char *e = sc->e;
    int d, y, n;
    const char *q = scan_num(sc, p, &d, &n);
    if (n < 1 || n > 2 || q >= e)
        return 0;
    if (*q == '.')
        q++;
    else {
        const char *o;
        if ((o = lit(q, e, "st")) || (o = lit(q, e, "nd")) || (o = lit(q, e, "rd")) || (o = lit(q, e, "th")) ||
            (o = lit(q, e, "er")))
            q = o;
    }
    q = skip_sp(q, e);
    const char *de = lit(q, e, "de ");
    if (de)
        q = skip_sp(de, e);
    const char *we = word_end(q, e);
    int mo = 0;
    if (we - q >= 3 && we - q <= 10 && !(we < e && (unsigned char)*we >= 0xC4))
        mo = month_word(q, we);
    if (!mo) /* "17 أبريل 2020", "17 января", "5 września", "17 Maret" */
        mo = month_word_intl(q, e, &we);
    if (!mo)
        return 0;
    q = we;
    if (q < e && *q == '.')
        q++;
    if (q < e && *q == ',')
        q++;
    q = skip_sp(q, e);
    if ((de = lit(q, e, "de ")) != NULL)
        q = skip_sp(de, e);
    const char *r = read_num(q, e, &y, &n);
    if (n != 4 || is_digit_at(r, e))
        return 0;
    struct date_val v;
    memset(&v, 0, sizeof v);
    v.year = y;
    v.month = mo;
    v.day = d;
    const char *end = parse_time(r, e, &v);
    return accept(sc, &v, DATE_ABSOLUTE, 0, p, end, hit);
}

/* "May 31, 2012", "Sept. 5 2019", "March 3rd, 2020"; we is word_end(p). */
static int pat_month_d_y(struct scan *sc, const char *p, const char *we, struct date_hit *hit)
{
    const char *e = sc->e;
    if (we - p < 3 || we - p > 10)
        return 0; /* no month name has that length */
    const char *q = we;
    if (q < e && *q == '.')
        q++;
    q = skip_sp(q, e);
    if (!is_digit_at(q, e))
        return 0; /* cheap test first: a day number must follow */
    int mo = month_word(p, we);
    if (!mo)
        return 0;
    int d, y, n;
    q = read_num(q, e, &d, &n);
    if (n < 1 || n > 2)
        return 0;
    const char *o;
    if ((o = lit(q, e, "st")) || (o = lit(q, e, "nd")) || (o = lit(q, e, "rd")) || (o = lit(q, e, "th")))
        q = o;
    if (q < e && *q == ',')
        q++;
    q = skip_sp(q, e);
    const char *r = read_num(q, e, &y, &n);
    if (n != 4 || is_digit_at(r, e))
        return 0;
    struct date_val v;
    memset(&v, 0, sizeof v);
    v.year = y;
    v.month = mo;
    v.day = d;
    const char *end = parse_time(r, e, &v);
    return accept(sc, &v, DATE_ABSOLUTE, 0, p, end, hit);
}

/* ---- relative forms ---- */

enum unit { U_SEC, U_MIN, U_HOUR, U_DAY, U_WEEK, U_MONTH, U_YEAR };

struct unit_word {
    const char *w;
    enum unit u;
};

static const struct unit_word zh_units[] = {
    { "秒钟", U_SEC }, { "秒", U_SEC }, { "分钟", U_MIN }, { "分", U_MIN }, { "个小时", U_HOUR },
    { "小时", U_HOUR }, { "个钟头", U_HOUR }, { "钟头", U_HOUR }, { "天", U_DAY }, { "日", U_DAY },
    { "个星期", U_WEEK }, { "星期", U_WEEK }, { "周", U_WEEK }, { "个月", U_MONTH }, { "月", U_MONTH },
    { "年", U_YEAR },
};

static const struct unit_word en_units[] = {
    { "seconds", U_SEC }, { "second", U_SEC }, { "secs", U_SEC }, { "sec", U_SEC },
    { "minutes", U_MIN }, { "minute", U_MIN }, { "mins", U_MIN }, { "min", U_MIN },
    { "hours", U_HOUR }, { "hour", U_HOUR }, { "hrs", U_HOUR }, { "hr", U_HOUR },
    { "days", U_DAY }, { "day", U_DAY }, { "weeks", U_WEEK }, { "week", U_WEEK },
    { "months", U_MONTH }, { "month", U_MONTH }, { "years", U_YEAR }, { "year", U_YEAR },
};

/* now minus k units, as a date value (with the time for units below a day). */
static void rel_back(const struct ref *r, enum unit u, long k, struct date_val *v)
{
    long long t = (long long)r->days * 86400 + r->secs;
    switch (u) {
    case U_SEC: t -= k; break;
    case U_MIN: t -= k * 60LL; break;
    case U_HOUR: t -= k * 3600LL; break;
    case U_DAY: t -= k * 86400LL; break;
    case U_WEEK: t -= k * 7 * 86400LL; break;
    case U_MONTH:
    case U_YEAR: {
        if (k > (u == U_YEAR ? 100 : 1200))
            k = u == U_YEAR ? 100 : 1200; /* far before 1970 either way: date_valid rejects it */
        long months = (long)r->year * 12 + (r->month - 1) - (u == U_YEAR ? k * 12 : k);
        memset(v, 0, sizeof *v);
        v->year = (int)(months / 12);
        v->month = (int)(months % 12) + 1;
        v->day = r->day > month_days(v->year, v->month) ? month_days(v->year, v->month) : r->day;
        return;
    }
    }
    long long d = t / 86400, s = t % 86400;
    if (s < 0)
        s += 86400, d--;
    val_from_days(v, (long)d, u <= U_HOUR ? (long)s : -1);
}

/* Relative forms starting at p. */
static int pat_relative(struct scan *sc, const char *p, struct date_hit *hit)
{
    static const char *const ago_zh[] = { "以前", "之前", "前", NULL };
    static const char *const not_after_qian[] = { "往", "进", "来", "去", "后", "面", "方", "景", "线",
                                                  "途", "夕", "提", "期", "列", "者", "述", "任", "行",
                                                  "锋", "沿", "台", "排", "辈", "身", "端", NULL };
    const char *e = sc->e;
    struct date_val v;
    memset(&v, 0, sizeof v);
    const char *end = NULL;
    int zh = 0;
    const char *q;
    if (is_digit_at(p, e)) {
        int k, n;
        q = scan_num(sc, p, &k, &n);
        if (n > 5 || (p - sc->s >= 3 && memcmp(p - 3, "第", 3) == 0))
            return 0; /* 第3天: an ordinal, not a time */
        const char *u0 = skip_sp(q, e);
        /* lit/lit_ci fail on the first byte mostly: test it first */
        char f0 = u0 < e ? *u0 : 0, f0l = f0 >= 'A' && f0 <= 'Z' ? (char)(f0 + 32) : f0;
        /* the first bytes of the unit words: anything else is no unit */
        switch ((unsigned char)f0) {
        case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xE9: break;
        default:
            if (!(f0l == 's' || f0l == 'm' || f0l == 'h' || f0l == 'd' || f0l == 'w' || f0l == 'y'))
                return 0;
        }
        int zh_first = (unsigned char)f0 >= 0x80; /* units are all CJK or all ASCII */
        for (size_t i = 0; zh_first && i < sizeof zh_units / sizeof zh_units[0] && !end; i++) {
            if (f0 != zh_units[i].w[0])
                continue;
            const char *u = lit(u0, e, zh_units[i].w);
            const char *a = u ? one_of(skip_sp(u, e), e, ago_zh) : NULL;
            if (a && one_of(a, e, not_after_qian))
                a = NULL; /* 前往, 前进…: 前 starts another word */
            if (a) {
                zh = 1;
                rel_back(cst_ref(sc), zh_units[i].u, k, &v);
                end = a;
            }
        }
        for (size_t i = 0; !zh_first && i < sizeof en_units / sizeof en_units[0] && !end; i++) {
            if (f0l != en_units[i].w[0])
                continue;
            const char *u = lit_ci(u0, e, en_units[i].w);
            if (!u || (u < e && is_alpha(*u)))
                continue;
            const char *a = lit_ci(skip_sp(u, e), e, "ago");
            if (a && !(a < e && is_alpha(*a))) {
                rel_back(utc_ref(sc), en_units[i].u, k, &v);
                end = a;
            }
        }
        if (!end)
            return 0;
    } else {
        static const struct {
            const char *w;
            int days; /* back from today; -1: now */
            int zh;
        } words[] = {
            { "刚刚", -1, 1 }, { "刚才", -1, 1 }, { "今天", 0, 1 }, { "昨天", 1, 1 }, { "前天", 2, 1 }, { "just now", -1, 0 }, { "today", 0, 0 },
            { "yesterday", 1, 0 },
        };
        int found = 0;
        char f0 = p < e ? *p : 0, f0l = f0 >= 'A' && f0 <= 'Z' ? (char)(f0 + 32) : f0;
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            if ((words[i].zh ? f0 : f0l) != words[i].w[0])
                continue;
            q = words[i].zh ? lit(p, e, words[i].w) : lit_ci(p, e, words[i].w);
            if (!q || (!words[i].zh && q < e && is_alpha(*q)))
                continue;
            zh = words[i].zh;
            const struct ref *r = zh ? cst_ref(sc) : utc_ref(sc);
            if (words[i].days < 0)
                val_from_days(&v, r->days, r->secs);
            else {
                val_from_days(&v, r->days - words[i].days, -1);
                q = parse_time(q, e, &v);
            }
            end = q;
            found = 1;
            break;
        }
        if (!found)
            return 0;
    }
    (void)zh;
    struct date_val md;
    const char *pe = paren_month_day(sc, end, &md);
    if (pe) {
        v = md;
        end = pe;
    }
    return accept(sc, &v, DATE_RELATIVE, 0, p, end, hit);
}

/* ---- the scanner ---- */

static int has_cjk(const char *s, const char *e)
{
    for (const char *p = s; p + 2 < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0xE3 && c <= 0xE9)
            return 1;
    }
    return 0;
}

/* Bytes where a pattern may start: 1 digits (ASCII, and 0xEF, the lead byte
 * of full-width digits) and ASCII letters; 2 the lead bytes of 刚, 今, 昨 and
 * 前 (relative forms). Any other byte is stepped over. */
static const unsigned char start_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* 1 when the three bytes at p are 刚, 今, 昨 or 前. */
static int rel_char_at(const char *p)
{
    unsigned char b1 = (unsigned char)p[1], b2 = (unsigned char)p[2];
    switch ((unsigned char)p[0]) {
    case 0xE4: return b1 == 0xBB && b2 == 0x8A;                                 /* 今 */
    case 0xE5: return (b1 == 0x88 && b2 == 0x9A) || (b1 == 0x89 && b2 == 0x8D); /* 刚 前 */
    case 0xE6: return b1 == 0x98 && b2 == 0xA8;                                 /* 昨 */
    default: return 0;
    }
}

int date_find(const char *s, size_t n, time_t now, unsigned flags, struct date_hit *hit)
{
    struct scan sc;
    memset(&sc, 0, sizeof sc);
    memset(hit, 0, sizeof *hit);
    if (!s)
        return 0;
    sc.s = s;
    sc.e = s + n;
    sc.now = now;
    sc.flags = flags;
    const char *e = sc.e;
    unsigned char want = (flags & DATE_RELATIVE_OK) ? 3 : 1;
    for (const char *p = s; p < e;) {
        while (!(start_byte[(unsigned char)*p] & want))
            if (++p == e)
                return 0;
        unsigned char c = (unsigned char)*p;
        if (start_byte[c] & 2) {
            /* a lead byte of 刚, 今, 昨 or 前 (never a digit or a letter) */
            if (e - p >= 6 && rel_char_at(p)) {
                int k = pat_relative(&sc, p, hit);
                if (k)
                    return k;
            }
            /* continuation bytes start nothing: step over them at once */
            p += e - p >= 3 && ((unsigned char)p[1] & 0xC0) == 0x80 && ((unsigned char)p[2] & 0xC0) == 0x80 ? 3 : 1;
            continue;
        }
        int dv;
        int dl = digit_at(p, e, &dv);
        if (dl && !is_digit_before(s, p)) {
            int k;
            if ((k = pat_ymd(&sc, p, hit)) || (k = pat_dmy(&sc, p, hit)) ||
                (k = pat_d_month_y(&sc, p, hit)))
                return k;
            if ((flags & DATE_RELATIVE_OK) && (k = pat_relative(&sc, p, hit)))
                return k;
            if ((flags & DATE_BARE_OK) && (k = pat_md(&sc, p, hit)))
                return k;
        } else if (is_alpha((char)c) && !(p > s && is_alpha(p[-1]))) {
            int k;
            const char *we = word_end(p, e);
            if ((k = pat_month_d_y(&sc, p, we, hit)))
                return k;
            /* the relative words that start with a letter: just now, today, yesterday */
            char cl = (char)(c | 0x20);
            if ((flags & DATE_RELATIVE_OK) && (cl == 'j' || cl == 't' || cl == 'y') &&
                (k = pat_relative(&sc, p, hit)))
                return k;
            p = we;
            continue;
        }
        p += dl ? dl : 1;
    }
    return 0;
}

/* ---- URLs ---- */

static int url_ymd_ok(int y, int m, int d, time_t now, struct date_val *out)
{
    struct ref r;
    ref_make(&r, now, 0);
    struct date_val v;
    memset(&v, 0, sizeof v);
    v.year = y;
    v.month = m;
    v.day = d;
    if (y < 1990 || y > r.year || !date_valid(&v) || date_days(&v) > r.days + 1)
        return 0;
    *out = v;
    return 1;
}

/* Number of leading ASCII digits of [p, e). */
static int lead_digits(const char *p, const char *e, int *val, int max)
{
    int n = 0, v = 0;
    while (p + n < e && p[n] >= '0' && p[n] <= '9') {
        if (n < max)
            v = v * 10 + (p[n] - '0');
        n++;
    }
    *val = v;
    return n;
}

/* n digits (1..max) at p; the count, 0 when none or more than max. */
static int digits(const char *p, int max)
{
    int k = 0;
    while (p[k] >= '0' && p[k] <= '9')
        k++;
    return k <= max ? k : 0;
}

const char *date_url_source(const char *url)
{
    if (!url)
        return "url";
    const char *e = url + strcspn(url, "?#");
    for (const char *p = url; (p = strstr(p, "/art/")) && p < e; p++) {
        const char *q = p + 5;
        int k;
        if (digits(q, 4) != 4 || q[4] != '/')
            continue;
        q += 5;
        if (!(k = digits(q, 2)) || q[k] != '/')
            continue;
        q += k + 1;
        if (!(k = digits(q, 2)) || q[k] != '/')
            continue;
        q += k + 1;
        if (strncmp(q, "art_", 4) == 0 && digits(q + 4, 12) && q < e)
            return "url_hanweb";
    }
    for (const char *p = url; (p = strstr(p, "/t")) && p < e; p++) {
        /* /YYYYMM/tYYYYMMDD_ID */
        if (p - url >= 7 && p[-7] == '/' && digits(p - 6, 6) == 6 && digits(p + 2, 8) == 8 && p[10] == '_' &&
            digits(p + 11, 12) && strncmp(p - 6, p + 2, 6) == 0)
            return "url_trs";
    }
    return "url";
}

int date_from_url(const char *url, time_t now, struct date_val *out)
{
    if (!url)
        return 0;
    /* Path only: after "scheme://host", up to '?' or '#'. */
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
    if (!p)
        return 0;
    const char *e = p + strcspn(p, "?#");
    /* Split into segments (at most 32). */
    const char *seg[32], *segend[32];
    int ns = 0;
    for (const char *q = p; q < e && ns < 32;) {
        while (q < e && *q == '/')
            q++;
        if (q >= e)
            break;
        const char *r = memchr(q, '/', (size_t)(e - q));
        if (!r)
            r = e;
        seg[ns] = q;
        segend[ns] = r;
        ns++;
        q = r;
    }
    for (int i = 0; i < ns; i++) {
        const char *a = seg[i], *ae = segend[i];
        int y, m, d, nd = lead_digits(a, ae, &y, 4);
        /* 20190907…: eight digits (or up to YYYYMMDDhhmmss) at the start */
        if (nd >= 8 && nd <= 14) {
            int v8;
            lead_digits(a, ae, &v8, 8);
            if (url_ymd_ok(v8 / 10000, v8 / 100 % 100, v8 % 100, now, out))
                return 1;
        }
        if (nd == 4 && a + 4 < ae && (a[4] == '-' || a[4] == '_' || a[4] == '.')) {
            char sep = a[4];
            int n2 = lead_digits(a + 5, ae, &m, 2);
            if (n2 >= 1 && n2 <= 2) {
                const char *b = a + 5 + n2;
                /* 2019_09_07_516923, 2019-09-07 */
                if (b < ae && *b == sep) {
                    int n3 = lead_digits(b + 1, ae, &d, 2);
                    if (n3 >= 1 && n3 <= 2 && url_ymd_ok(y, m, d, now, out))
                        return 1;
                }
                /* 2019-12/10/ */
                if (b == ae && i + 1 < ns) {
                    int n3 = lead_digits(seg[i + 1], segend[i + 1], &d, 2);
                    if (n3 >= 1 && n3 <= 2 && (seg[i + 1] + n3 == segend[i + 1] || i + 2 < ns) &&
                        url_ymd_ok(y, m, d, now, out))
                        return 1;
                }
            }
        }
        /* 2019/09/07/ */
        if (nd == 4 && a + 4 == ae && i + 2 < ns) {
            int n2 = lead_digits(seg[i + 1], segend[i + 1], &m, 2);
            int n3 = lead_digits(seg[i + 2], segend[i + 2], &d, 2);
            if (n2 >= 1 && n2 <= 2 && seg[i + 1] + n2 == segend[i + 1] && n3 >= 1 && n3 <= 2 &&
                (seg[i + 2] + n3 == segend[i + 2] || !(seg[i + 2][n3] >= '0' && seg[i + 2][n3] <= '9')) &&
                url_ymd_ok(y, m, d, now, out))
                return 1;
        }
        /* 201909/07/ (year-month, then day) */
        if (nd == 6 && a + 6 == ae && i + 1 < ns) {
            int ym;
            lead_digits(a, ae, &ym, 6);
            int n3 = lead_digits(seg[i + 1], segend[i + 1], &d, 2);
            if (n3 >= 1 && n3 <= 2 && seg[i + 1] + n3 == segend[i + 1] && i + 2 < ns &&
                url_ymd_ok(ym / 100, ym % 100, d, now, out))
                return 1;
        }
        /* /19/0907/ (163.com): two-digit year, then month-day */
        if (nd == 2 && a + 2 == ae && i + 1 < ns && segend[i + 1] - seg[i + 1] == 4) {
            int md;
            if (lead_digits(seg[i + 1], segend[i + 1], &md, 4) == 4 && i + 2 < ns &&
                url_ymd_ok(2000 + y, md / 100, md % 100, now, out))
                return 1;
        }
    }
    return 0;
}

/* Chinese CMS paths date_from_url leaves: TRS's "t20231010_1009.html"
 * (t, eight digits, then _ or .), "/2023/1010/" (year, then month-day in
 * four digits, with a segment after it). Kept apart from date_from_url so
 * that the two grow independently. */
int date_from_url_cms(const char *url, time_t now, struct date_val *out)
{
    if (!url)
        return 0;
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
    if (!p)
        return 0;
    const char *e = p + strcspn(p, "?#");
    for (const char *s = p; s < e;) {
        while (s < e && *s == '/')
            s++;
        const char *se = memchr(s, '/', (size_t)(e - s));
        if (!se)
            se = e;
        int v, md;
        /* t20231010_1009.html */
        if (*s == 't' && lead_digits(s + 1, se, &v, 8) == 8 && s + 9 < se && (s[9] == '_' || s[9] == '.') &&
            url_ymd_ok(v / 10000, v / 100 % 100, v % 100, now, out))
            return 1;
        /* 2023/1010/x */
        if (se - s == 4 && lead_digits(s, se, &v, 4) == 4 && se < e) {
            const char *m = se + 1, *me = memchr(m, '/', (size_t)(e - m));
            if (me && me - m == 4 && lead_digits(m, me, &md, 4) == 4 && me + 1 < e &&
                url_ymd_ok(v, md / 100, md % 100, now, out))
                return 1;
        }
        s = se;
    }
    return 0;
}
