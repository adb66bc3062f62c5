/* fields.c — the published date and the names (fields.h): meta_fields()
 * walks the body once, cutting it into lines, and scores every date,
 * byline, source and breadcrumb it sees by where it stands relative to the
 * headline, against the meta tags, JSON-LD, <time> elements, inline
 * scripts' publish times and the URL path. Linear in the tree; all state is
 * per call, but for the caller's meta_ctx. */
#include "parser/fields.h"
#include "parser/byline.h"
#include "parser/date.h"
#include "parser/dom.h"
#include "parser/jsonld.h"
#include "parser/meta.h"
#include "parser/metabase.h"
#include "parser/title.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define LINE_KEEP 2048        /* bytes of a line kept for pattern matching */
#define MAX_DATES 256         /* date candidates kept (more are dropped) */
#define MAX_NAMES 64          /* name candidates kept (more are dropped) */

/* Scores of stated dates, by where the page states them: the highest
 * scored candidate is the published date, so these order the sources. */
enum {
    DS_META_PUBLISHED = 100,    /* a meta tag naming a publish time (article:published_time, pubdate…) */
    DS_JSONLD_PUBLISHED = 98,   /* JSON-LD datePublished */
    DS_ITEMPROP_PUBLISHED = 96, /* itemprop=datePublished */
    DS_META_DATE = 90,          /* <meta name=date> */
    DS_DATA_ATTR = 90,          /* data-publishtime and the like on the page or the headline's ancestors */
    DS_INPUT = 88,              /* a hidden <input name=pubtime> */
    DS_SCRIPT_PUBLISHED = 88,   /* an inline script's ct= (WeChat) or datePublished= */
    DS_SCRIPT_OTHER = 84,       /* an inline script's other publish-time keys */
    DS_JSONLD_CREATED = 80,     /* JSON-LD dateCreated */
    DS_META_CREATED = 80,       /* a meta tag naming a creation time (dcterms.created) */
    DS_ITEMPROP_CREATED = 80,   /* itemprop=dateCreated */
    DS_SCRIPT_SHOWN = 58,       /* a script that shows a date: showDate("2020/04/17 …") (a list's too, so low) */
    DS_URL_PATH = 55,           /* /2023/06/27/ in the URL: below every stated date, above most text dates */
    DS_META_MODIFIED = 50,      /* a meta tag naming a modification time */
    DS_JSONLD_MODIFIED = 49,    /* JSON-LD dateModified */
    DS_IMAGE_PATH = 25,         /* an upload path of an image in the article */
};

/* Weights of a date seen in the text (pend_score): a base, a bonus by
 * distance after the headline (up to 40) or in the container (up to 30),
 * then these for its label, line and zone. */
enum {
    TD_BASE = 30,           /* a date in the text */
    TD_BASE_TIME_EL = 33,   /* a <time> element's */
    TD_FIRST_AFTER = 6,     /* the first date after the headline */
    TD_LABEL_STRONG = 20,   /* after 发布时间, 发表于… */
    TD_LABEL = 12,          /* after 时间, 日期, date… */
    TD_LABEL_BAD = -18,     /* after 更新, 评论, updated… */
    TD_SHORT_LINE = 5,      /* in a line of 80 characters or less (a byline) */
    TD_PROSE = -15,         /* in prose: a date the article talks about */
    TD_COPYRIGHT = -40,     /* in a copyright line */
    TD_NEG_ZONE = -25,      /* in a footer, nav, sidebar, related list */
    TD_LINK = -10,          /* in a link (another article's date) */
    TD_LIST_ITEM = -5,      /* in a list item */
    TD_POS_ZONE = 8,        /* class/id says time/date/info/byline */
    TD_RELATIVE = -5,       /* derived from now (5分钟前, 昨天) */
    TD_BARE = -15,          /* a month-day whose year comes from now */
    TD_RELATIVE_MAX = 60,   /* ... and never above this (below stated dates and the URL's) */
    TD_BARE_MAX = 45,
    TD_HAS_TIME = 3,        /* states the time of day too */
    TD_AFTER = -8,          /* after the container (comments, related lists) */
    TD_AFTER_FAR = -15,     /* ... by more than 500 characters */
};

/* Names (author, source, category): the base score each way of finding
 * one gives, then the weights of their selection (choose_names); labels in
 * a line have their own table in line_names. */
enum {
    NB_AUTHOR_LINK = 20,    /* rel=author or an /author/ link */
    NB_CATEGORY_LINK = 26,  /* rel=category or a /category/ link */
    NB_BY_LINE = 26,        /* "By Jane Doe" */
    NB_CREDIT = 28,         /* a reporter credit: （记者 胡晓蓉）, 本报记者罗科苏盈发自北京 */
    NB_CREDIT_BARE = 24,    /* ... a bracket of names without a label closing the article: （袁源） */
    NB_NAME_LINE = 20,      /* a line of names alone under the headline */
    NB_BY_DATE = 22,        /* "2005/03/15 22:36:13 by duscha", "2004年7月16日08:19 [ 黄宇 ] 来源：" */
    NB_AUTHOR_CUE = 14,     /* an element whose class/id says author */
    NB_CATEGORY_CUE = 12,   /* an element whose class/id says category */
    NW_NEG_ZONE = -20,      /* in a footer, nav, sidebar, related list */
    NW_COPYRIGHT = -20,     /* in a copyright line */
    NW_MIN = 10,            /* the least score an author, editor or source needs */
    NW_CREDIT_INSIDE = 15,  /* the least nearness a credit inside the article gets */
    NW_MIN_CATEGORY = 15,   /* ... and a category */
};

/* ---- the field walk ---- */

enum dsrc { SRC_META, SRC_JSONLD, SRC_TIME, SRC_TEXT, SRC_RELATIVE, SRC_URL };
static const char *const src_names[] = { "meta", "jsonld", "time", "text", "relative", "url" };

struct dcand {
    struct date_val v;
    double score;
    enum dsrc src;
    const char *from;  /* published_from when not src_names[src] (a CMS's URL form), or NULL */
};

struct ncand {  /* a name: author, source or category */
    char *s;
    double score;
};

struct piece {
    size_t off;     /* byte offset in the line */
    unsigned zone;
};

struct fctx {
    struct dom *d;
    time_t now;
    const struct dom_node *title, *container;
    const struct dom_node *title_anc[DOM_MAX_DEPTH + 1]; /* the headline's ancestors, by depth */
    struct zcache zc;
    char *title_key;
    /* text offsets (code points of visible text) */
    size_t off;
    long t_start, t_end;      /* title span, -1 if not seen */
    long c_start, c_end;      /* container span */
    int nafter;               /* lines seen after the headline, up to 2 */
    /* the current line */
    struct buf line;
    struct coll lc;
    size_t line_off;          /* text offset where the line starts */
    struct piece pieces[64];
    int npieces;
    unsigned line_zone;       /* OR of the zones of its pieces */
    unsigned line_zone_and;   /* AND of the zones of its pieces */
    /* headline fallback for pages whose head names none: short lines just
     * before the container and its first lines */
    int want_title;
    struct sline {
        char *s;
        unsigned zor, zand;
        int dated;
    } recent[6], before[6], first[2];
    int nrecent, rpos, nbefore, nfirst;
    /* results, scored after the walk (positions kept as offsets) */
    struct pend {
        struct date_hit h;
        size_t off;           /* text offset of the hit */
        unsigned zone;
        int label;            /* +1 published label, -1 updated/comment label */
        size_t line_cps;      /* length of the line */
        int prose;            /* the line is prose (is_prose) */
        int after_title_rank; /* 0 = first date after the title, … */
        int is_time_el;       /* from a <time> element */
    } *pend;
    size_t npend, cappend;
    struct dcand dates[MAX_DATES];
    size_t ndates;
    struct namepend {
        char *s;
        size_t off;
        unsigned zone;
        int kind;             /* 0 author, 1 source, 2 category, 3 editor */
        double base;
        int credit;           /* a reporter credit (byline.h): no penalty for its distance; 1 labelled,
                               * 2 bare, 3 the first dated post of a thread ("发布时间 … by duscha") */
        int link;             /* an author link (rel=author, /author/, ?author=) */
    } names[MAX_NAMES];
    size_t nnames;
    const char *author_meta;  /* the meta tags' author, while the walk runs */
    int vendor;               /* ... and it stands in a vendor credit (技术支持, Powered by) */
    /* bylines that span lines: a credit line's candidate, to which the
     * next line's credit is added; a label alone on its line, whose name
     * is the next line; the lines that open a page without a headline */
    size_t nlines;            /* lines with text seen */
    size_t credit_line;       /* the line (nlines) of the last credit, 0 when none */
    size_t credit_idx;        /* ... and its index in names */
    int pend_kind;            /* a label alone on the last line: its kind, -1 when none */
    double pend_base;
    int nlead;                /* lines seen from where the article starts, without a headline */
    int prev_headlike;        /* the last line could be a headline (short, not prose, not a link) */
    char title_pre[40];       /* "茉莉" of the headline "茉莉：我是怎样…", or "" */
    size_t title_pre_len;
    size_t pre_until;         /* ... from a line: looked for up to this line; 0 from the headline */
    int pre_done;             /* ... and found once */
    int seen_post;            /* a thread's first dated post credit was seen */
    const char *url;          /* the page's URL, or NULL */
    char *owner;              /* a person's name linking to the blog's home above the page, or NULL */
    struct ncand crumb;       /* breadcrumb category */
    double crumb_score;
    int err;                  /* NA_ENOMEM once an allocation failed (sticky) */
};

static void add_date(struct fctx *f, const struct date_val *v, double score, enum dsrc src)
{
    if (f->ndates >= MAX_DATES || !date_valid(v))
        return;
    f->dates[f->ndates].v = *v;
    f->dates[f->ndates].score = score;
    f->dates[f->ndates].src = src;
    f->dates[f->ndates].from = NULL;
    f->ndates++;
}

/* Dates seen in the text, kept at most: later ones are dropped without a
 * word (a page with more dates than that is a list or an archive, whose
 * first dates decide anyway). */
#define MAX_PEND 4096

static void add_pend(struct fctx *f, const struct pend *p)
{
    int g = NA_GROW(f->pend, f->cappend, f->npend + 1, MAX_PEND);
    if (g == NA_ENOMEM)
        f->err = NA_ENOMEM;
    if (g)
        return;
    f->pend[f->npend++] = *p;
}

static char *clean_name(const char *s, size_t n, int *e);

static void add_name(struct fctx *f, const char *s, size_t n, size_t off, unsigned zone, int kind, double base)
{
    if (f->nnames >= MAX_NAMES)
        return;
    char *v = kind == 2 ? dup_trim(s, n, &f->err) : clean_name(s, n, &f->err);
    if (!v)
        return;
    f->names[f->nnames++] = (struct namepend){ v, off, zone, kind, base, 0, 0 };
}

/* Parses a date attribute/meta value (absolute forms only). */
static int parse_value(const char *s, time_t now, struct date_val *v)
{
    struct date_hit h;
    if (!s)
        return 0;
    size_t n = strlen(s);
    if (n > 200)
        n = 200;
    /* all digits: a Unix time in seconds or milliseconds */
    size_t dg = 0;
    while (dg < n && s[dg] >= '0' && s[dg] <= '9')
        dg++;
    if (dg == n && (n == 10 || n == 13)) {
        long long t = strtoll(s, NULL, 10);
        if (n == 13)
            t /= 1000;
        return t > 0 && t <= (long long)now + 86400 && date_from_unix(t, v);
    }
    if (date_find(s, n, now, 0, &h) != DATE_ABSOLUTE)
        return 0;
    if (h.v.year == 1970 && h.v.month == 1 && h.v.day == 1)
        return 0; /* a zero timestamp, not a date */
    *v = h.v;
    return 1;
}

/* Meta names for the publication date (score) and the modification date. */
static double meta_date_score(const char *k)
{
    static const char *const pub[] = {
        "article:published_time", "og:published_time", "published_time", "article:published",
        "og:article:published_time", "pubdate", "publishdate", "publish_date", "publish-date",
        "publication_date", "publicationdate", "pub_date", "datepublished", "dc.date", "dc.date.issued",
        "dcterms.issued", "dcterms.date", "sailthru.date",
        "parsely-pub-date", "article.published", "article_date_original", "cxenseparse:recs:publishtime",
        "firstpublishedtime", "apub:time", "og:release_date", "release_date", "weibo:article:create_at",
        "citation_publication_date", "citation_date", "article:published_date", "publishtime", "pubtime",
        "publish_time", "bt:pubdate", "originalpublicationdate", NULL };
    /* when the page (or its record) was made: below a stated publication */
    static const char *const made[] = { "dc.date.created", "dcterms.created", "datecreated", "created",
                                        "article:created", NULL };
    static const char *const mod[] = {
        "article:modified_time", "og:updated_time", "lastmodifiedtime", "last-modified", "datemodified",
        "dateupdate", "dcterms.modified", "dc.date.modified", "revised", "updated_time", "modified",
        "article:modified", NULL };
    for (int i = 0; pub[i]; i++)
        if (eq_ci(k, pub[i]))
            return DS_META_PUBLISHED;
    if (eq_ci(k, "date"))
        return DS_META_DATE;
    for (int i = 0; made[i]; i++)
        if (eq_ci(k, made[i]))
            return DS_META_CREATED;
    for (int i = 0; mod[i]; i++)
        if (eq_ci(k, mod[i]))
            return DS_META_MODIFIED;
    return 0;
}

static int is_author_meta(const char *k)
{
    return eq_ci(k, "author") || eq_ci(k, "article:author") ||
           eq_ci(k, "dc.creator") || eq_ci(k, "byl") || eq_ci(k, "sailthru.author") ||
           eq_ci(k, "parsely-author") || eq_ci(k, "citation_author") ||
           eq_ci(k, "dcterms.creator");
}

/* ---- labels in a line ---- */

static const char *const strong_labels[] = { "发布时间", "发布日期", "发表时间", "发表于", "发布于", "发表日期",
                                             "published", "posted", "publié", "veröffentlicht", "publicado",
                                             "pubblicato", "刊发时间", "出版时间", "登载时间", "发稿时间", NULL };
static const char *const weak_labels[] = { "时间", "日期", "发布", "date", "创建时间", "上传时间", "录入时间",
                                           "添加时间", "on ", "am ", "le ", NULL };
static const char *const bad_labels[] = { "更新", "修改", "updated", "modified", "截至", "截止", "评论",
                                          "回复", "reply", "comment", "最后", "last", "访问", "登录",
                                          "打印", "©", "copyright", "版权", "icp", "备案", "成文", "采集", "抓取",
                                          "accessed", "retrieved", "abgerufen", "stand:", "licen", "lizenz", "许可",
                                          NULL };

/* Looks for a label in the `back` bytes before position `at` of the line:
 * 2 a publication label, 1 a weaker one, -1 an update/comment/copyright
 * label, 0 none. */
static int label_before(const char *line, size_t at, size_t back)
{
    size_t from = at > back ? at - back : 0;
    while (from > 0 && ((unsigned char)line[from] & 0xC0) == 0x80)
        from++;
    char low[160];
    size_t n = at - from < sizeof low - 1 ? at - from : sizeof low - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = line[from + i];
        low[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    low[n] = 0;
    for (int i = 0; bad_labels[i]; i++)
        if (strstr(low, bad_labels[i]))
            return -1;
    for (int i = 0; strong_labels[i]; i++)
        if (strstr(low, strong_labels[i]))
            return 2;
    for (int i = 0; weak_labels[i]; i++)
        if (strstr(low, weak_labels[i]))
            return 1;
    return 0;
}

/* 1 when the line names a licence before position at: its date is the
 * licence's, not the page's. */
static int licence_before(const char *line, size_t at)
{
    static const char *const w[] = { "licen", "Licen", "LICEN", "Lizenz", "lizenz", "许可证", NULL };
    for (int i = 0; w[i]; i++)
        if (find_bytes(line, at, w[i], strlen(w[i])))
            return 1;
    return 0;
}

/* A line of prose rather than a byline: sentences, or long. */
static int is_prose(const char *s, size_t n, size_t cps)
{
    return cps > 200 || find_bytes(s, n, "。", 3) || (cps > 40 && find_bytes(s, n, "，", 3)) ||
           (cps > 100 && find_bytes(s, n, ". ", 2));
}

/* End of a name that starts at p: stops at separators, labels and digits. */
static size_t name_len(const char *p, const char *e)
{
#define STOP(w) { w, sizeof w - 1 }
    static const struct {
        const char *w;
        size_t l;
    } stops[] = {
        STOP("来源"), STOP("时间"), STOP("日期"), STOP("发布"), STOP("编辑"), STOP("责任"), STOP("浏览"), STOP("点击"),
        STOP("阅读"), STOP("字号"), STOP("出处"), STOP("摄影"), STOP("通讯员"), STOP("作者"), STOP("记者"), STOP("评论"),
        STOP("分享"), STOP("收藏"), STOP("打印"), STOP("关注"), STOP("|"), STOP("｜"), STOP("，"), STOP(","),
        STOP("；"), STOP(";"), STOP("。"), STOP("("), STOP("（"), STOP("【"), STOP("["), STOP("]"), STOP("】"),
        STOP("<"), STOP(">"), STOP("\xc2\xa0\xc2\xa0"), STOP("   "), STOP("\t"), STOP("："), STOP(":"),
        STOP("“"), STOP("\""), STOP("·"), STOP("▪"), STOP("•"), STOP("丨"), STOP(")"), STOP("）"), STOP("="),
        STOP("摄"), STOP("报道"), STOP("说"), STOP("出自"), STOP("举报"), STOP("纠错"), STOP("图/"), STOP("图／"),
        STOP("/"), STOP("／"), STOP("〓")
    };
#undef STOP
    const char *q = p;
    while (q < e) {
        if (*q >= '0' && *q <= '9')
            break;
        int stop = 0;
        for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++) {
            if (stops[i].w[0] == *q && (size_t)(e - q) >= stops[i].l && memcmp(q, stops[i].w, stops[i].l) == 0) {
                stop = 1;
                break;
            }
        }
        if (stop)
            break;
        next_cp(&q, e);
    }
    /* two spaces in a row end a name too */
    const char *dbl = NULL;
    for (const char *s = p; s + 1 < q; s++)
        if (s[0] == ' ' && s[1] == ' ') {
            dbl = s;
            break;
        }
    if (dbl)
        q = dbl;
    while (q > p && (q[-1] == ' '))
        q--;
    return (size_t)(q - p);
}

/* A plausible person or outlet name: 1-40 characters, no URL. */
static int name_ok(const char *s, size_t n)
{
    size_t cps = count_cps(s, n);
    if (cps < 1 || cps > 40)
        return 0;
    if (find_bytes(s, n, "http", 4) || find_bytes(s, n, "www.", 4) || memchr(s, '@', n) || memchr(s, '=', n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 0; /* "01:30 Min.", "size=3": not a name */
    return 1;
}

/* Trims what surrounds a name: "By", "von", "Zeige alle Beiträge von",
 * brackets, trailing punctuation. Returns a new string or NULL. */
static char *clean_name(const char *s, size_t n, int *e)
{
    static const char *const lead[] = { "View all posts by ", "Zeige alle Beiträge von ", "Alle Beiträge von ",
                                        "Posts by ", "Written by ", "Posted by ", "Author: ", "Autor: ",
                                        "By ", "by ", "BY ", "Von ", "von ", "Par ", "par ", "Por ", "por ",
                                        "Door ", "door ", "Di ", "di ", NULL };
    char *t = dup_trim(s, n, e);
    if (!t)
        return NULL;
    char *p = t;
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; lead[i]; i++)
            if (strncmp(p, lead[i], strlen(lead[i])) == 0) {
                p += strlen(lead[i]);
                again = 1;
            }
        /* "ByGavin": a label glued to the name by markup */
        if ((strncmp(p, "By", 2) == 0 || strncmp(p, "Von", 3) == 0) && p[p[0] == 'B' ? 2 : 3] >= 'A' &&
            p[p[0] == 'B' ? 2 : 3] <= 'Z')
            p += p[0] == 'B' ? 2 : 3;
    }
    size_t l = strlen(p);
    while (l && strchr(" ,;:|-.", p[l - 1]))
        l--;
    while (l >= 3 && (memcmp(p + l - 3, "，", 3) == 0 || memcmp(p + l - 3, "）", 3) == 0 ||
                      memcmp(p + l - 3, "】", 3) == 0 || memcmp(p + l - 3, "、", 3) == 0))
        l -= 3;
    /* an account's follow button glued to its name: "中国广州发布关注" */
    static const char *const buttons[] = { "+关注", "＋关注", "已关注", "关注", "+订阅", "订阅", NULL };
    for (int i = 0; buttons[i]; i++) {
        size_t bl = strlen(buttons[i]);
        if (l > bl + 3 && memcmp(p + l - bl, buttons[i], bl) == 0) {
            l -= bl;
            while (l && p[l - 1] == ' ')
                l--;
            break;
        }
    }
    /* a portal's staff code after a Chinese name: "杨倩_NF", "史建磊_NBJ" */
    for (size_t k = 1; k <= 4 && k + 4 <= l; k++) {
        if (p[l - k - 1] != '_' || !(p[l - 1] >= 'A' && p[l - 1] <= 'Z'))
            continue;
        int code = (unsigned char)p[l - k - 2] >= 0x80;
        for (size_t j = l - k; j < l && code; j++)
            code = p[j] >= 'A' && p[j] <= 'Z';
        if (code)
            l -= k + 1;
        break;
    }
    static const char *const placeholders[] = { "未知", "佚名", "不详", "匿名", "unknown", "Unknown", "publisher",
                                                "anonymous", "Anonymous", "anónimo", "Article by", "Posted by",
                                                "By", "by", "von", "Von", "Alle Beiträge", "All posts",
                                                "View all posts", NULL };
    for (int i = 0; placeholders[i]; i++)
        if (l == strlen(placeholders[i]) && memcmp(p, placeholders[i], l) == 0)
            l = 0;
    /* "爱否科技 爱否科技": a label's name and the account's link, one name */
    if (l >= 3 && l % 2 == 1 && p[l / 2] == ' ' && memcmp(p, p + l / 2 + 1, l / 2) == 0)
        l /= 2;
    char *r = NULL;
    if (l && name_ok(p, l) && !(r = na_strndup(p, l)))
        *e = NA_ENOMEM;
    free(t);
    return r;
}

/* 1 when the three bytes at p are 作 文 撰 记 記 来 稿 出 來 转 编 执 本 or 发,
 * the first characters of the byline labels. */
static inline int label_first(const char *p)
{
    uint32_t k = (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 | (unsigned char)p[2];
    switch (k) {
    case 0xE4BD9C: case 0xE69687: case 0xE692B0: case 0xE8AEB0: case 0xE8A898: case 0xE69DA5:
    case 0xE7A8BF: case 0xE587BA: case 0xE4BE86: case 0xE8BDAC: case 0xE7BC96: case 0xE689A7: case 0xE69CAC:
    case 0xE58F91:
        return 1;
    default:
        return 0;
    }
}

/* 1 when s[0..n) holds w, ignoring ASCII case. */
static int strcasestr_n(const char *s, size_t n, const char *w)
{
    size_t l = strlen(w);
    for (size_t i = 0; i + l <= n; i++)
        if (strncasecmp(s + i, w, l) == 0)
            return 1;
    return 0;
}

/* A forum's or a portal's date line that names the author: "发布时间
 * 2005/03/15 22:36:13 by duscha", "2004年7月16日08:19 [ 黄宇 ]  来源：…". */
static void by_after_date(struct fctx *f, const char *s, size_t n)
{
    static const char *const makers[] = { "roduced", "owered", "esign", "uilt", "upport", "osted", "ade",
                                          "reated", "rovided", "eveloped", NULL };
    const char *by = n < 160 ? find_bytes(s, n, " by ", 4) : NULL;
    if (by) {
        int maker = 0;
        for (int i = 0; makers[i] && !maker; i++)
            if (find_bytes(by - (by - s < 12 ? by - s : 12), (size_t)(by - s < 12 ? by - s : 12), makers[i],
                           strlen(makers[i])))
                maker = 1;
        /* a wiki's "last edited 2019-11-10 13:28:18 by X" names an editor */
        if (strcasestr_n(s, (size_t)(by - s), "edited") || strcasestr_n(s, (size_t)(by - s), "updated") ||
            strcasestr_n(s, (size_t)(by - s), "modified"))
            maker = 1;
        const char *p = by + 4, *e = s + n;
        while (p < e && *p == ' ')
            p++;
        size_t l = name_len(p, e), before = f->nnames;
        if (!maker && l && name_ok(p, l) && date_find(s, (size_t)(by - s), f->now, 0, &(struct date_hit){ 0 }))
            add_name(f, p, l, f->line_off + count_cps(s, (size_t)(p - s)), f->line_zone, 0, NB_BY_DATE);
        /* the first post of a thread, labelled a publication: its starter,
         * however far the headline (the replies follow it) */
        if (f->nnames > before && !f->seen_post && label_before(s, (size_t)(by - s), 60) == 2) {
            f->names[before].credit = 3;
            f->seen_post = 1;
        }
    }
    const char *src = n < 300 ? find_bytes(s, n, "来源", 6) : NULL;
    if (!src)
        return;
    const char *c = src;
    for (;;) { /* blanks before 来源: space, no-break, ideographic, private-use (U+E000-EFFF) */
        if (c > s && c[-1] == ' ')
            c--;
        else if (c - s >= 2 && memcmp(c - 2, "\xc2\xa0", 2) == 0)
            c -= 2;
        else if (c - s >= 3 && (memcmp(c - 3, "　", 3) == 0 || (unsigned char)c[-3] == 0xEE))
            c -= 3;
        else
            break;
    }
    if (c > s && c[-1] == ']') {
        const char *o = c - 1;
        while (o > s && c - o < 40 && *o != '[')
            o--;
        if (*o == '[') {
            const char *p = o + 1, *e = c - 1;
            while (p < e && *p == ' ')
                p++;
            size_t l = name_len(p, e);
            if (l && name_ok(p, l) && date_find(s, (size_t)(o - s), f->now, 0, &(struct date_hit){ 0 }))
                add_name(f, p, l, f->line_off + count_cps(s, (size_t)(p - s)), f->line_zone, 0, NB_BY_DATE);
        }
    }
}

/* Bytes of a name's Latin form in brackets after it: " (Joel Spolsky)"
 * after "周思博"; 0 when there is none. */
static size_t latin_aside(const char *p, const char *e)
{
    const char *q = p;
    while (q < e && *q == ' ')
        q++;
    if (q >= e || *q != '(')
        return 0;
    const char *c = q + 1;
    while (c < e && c - q < 40 && ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == ' ' || *c == '.'))
        c++;
    return c < e && *c == ')' && c > q + 2 && q[1] >= 'A' && q[1] <= 'Z' ? (size_t)(c + 1 - p) : 0;
}

/* Bytes of a blank at p (space, tab, no-break or ideographic space), 0 if none. */
static size_t blank_at(const char *p, const char *e)
{
    if (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        return 1;
    if (e - p >= 2 && (unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    if (e - p >= 3 && memcmp(p, "　", 3) == 0)
        return 3;
    return 0;
}

/* 1 when s..e holds nothing but blanks. */
static int only_blanks(const char *s, const char *e)
{
    for (size_t b; s < e; s += b)
        if (!(b = blank_at(s, e)))
            return 0;
    return 1;
}

/* s[0..*n) without the blanks around it. */
static const char *trim_blanks(const char *s, size_t *n)
{
    const char *e = s + *n;
    for (size_t b; (b = blank_at(s, e));)
        s += b;
    for (;;) {
        if (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
            e--;
        else if (e - s >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xA0)
            e -= 2;
        else if (e - s >= 3 && memcmp(e - 3, "　", 3) == 0)
            e -= 3;
        else
            break;
    }
    *n = (size_t)(e - s);
    return s;
}

static void pend_label(struct fctx *f, int kind, double base)
{
    f->pend_kind = kind;
    f->pend_base = base;
}

/* 1 when s[0..n) reads as a body's name: it ends in 政府, 委员会, 局, 社 … */
static int org_like(const char *s, size_t n)
{
    static const char *const ends[] = { "政府", "委员会", "办公室", "办公厅", "中心", "协会", "学会", "公司", "集团",
                                        "局", "厅", "部", "院", "社", "报", "网", "台", "委", "办", "处", "所", NULL };
    for (int i = 0; ends[i]; i++) {
        size_t l = strlen(ends[i]);
        if (n > l && memcmp(s + n - l, ends[i], l) == 0)
            return 1;
    }
    return 0;
}

/* The line after a label alone on its line (a table's two cells:
 * "发文机关：" | "吉林省人民政府"): a name when it is short, nothing else, and
 * a person's or a body's (not the headline under an empty 作者：), or for a
 * source a Latin name ("CSDN"). */
static void pending_value(struct fctx *f, const char *s, size_t n, size_t line_cps)
{
    int kind = f->pend_kind;
    f->pend_kind = -1;
    if (line_cps > 30 || is_prose(s, n, line_cps))
        return;
    size_t l = n;
    const char *p = trim_blanks(s, &l);
    if (!l || name_len(p, p + l) != l || !name_ok(p, l))
        return;
    int latin = 1;
    for (size_t i = 0; i < l && latin; i++)
        latin = (unsigned char)p[i] < 0x80;
    struct buf nb = BUF_INIT;
    int k = org_like(p, l) || (kind == 1 && latin) ? 1 : byline_name_line(p, l, &nb);
    buf_release(&nb);
    if (k == NA_ENOMEM)
        f->err = NA_ENOMEM;
    else if (k > 0)
        add_name(f, p, l, f->line_off, f->line_zone, kind, f->pend_base);
}

/* A blog's or a forum's posting credit: the name opens the line, a
 * posting verb and a date follow, and no more words ("ggjjzhzz 发表于
 * 2005-9-15 11:46:00", "由海姑娘张贴 @ 2005-06-14 03:25:55 (370)", "- 海姑娘写于
 * 2005年6月12日"; not "李强发表 2023年12月31日讲话"). */
static void post_credit(struct fctx *f, const char *s, size_t n)
{
    static const char *const verbs[] = { "发表于", "发布于", "张贴", "写于", NULL };
    /* last characters of words that are no name: 本文, 首次, 曾, 原帖, 新闻 … */
    static const char not_name[] = "文章稿帖贴次曾已首原最初经均闻息告知";
    const char *e = s + n, *v = NULL;
    size_t vl = 0;
    /* the first verb: each opens with 发, 张 or 写, all E5 xx xx */
    for (const char *q = s; !v && (q = memchr(q, 0xE5, (size_t)(e - q))) && e - q >= 6; q++)
        if (memcmp(q, "发", 3) == 0 || memcmp(q, "张", 3) == 0 || memcmp(q, "写", 3) == 0)
            for (int i = 0; verbs[i] && !v; i++)
                if ((size_t)(e - q) >= strlen(verbs[i]) && memcmp(q, verbs[i], strlen(verbs[i])) == 0)
                    v = q, vl = strlen(verbs[i]);
    if (!v)
        return;
    const char *p = s;
    for (size_t b; p < v && ((b = blank_at(p, v)) || *p == '-');)
        p += b ? b : 1;
    if (v - p >= 3 && memcmp(p, "—", 3) == 0)
        p += 3;
    if (v - p >= 3 && memcmp(p, "由", 3) == 0)
        p += 3;
    size_t l = (size_t)(v - p);
    p = trim_blanks(p, &l);
    if (!l || name_len(p, p + l) != l || !name_ok(p, l) || count_cps(p, l) > 20)
        return;
    for (size_t i = 0; l >= 3 && i + 3 <= sizeof not_name - 1; i += 3)
        if (memcmp(p + l - 3, not_name + i, 3) == 0)
            return;
    const char *q = v + vl;
    for (size_t b; q < e && ((b = blank_at(q, e)) || *q == '@' || *q == ':');)
        q += b ? b : 1;
    if (e - q >= 3 && (memcmp(q, "于", 3) == 0 || memcmp(q, "：", 3) == 0)) /* 张贴于, 发表于： */
        q += 3;
    while (q < e && *q == ' ')
        q++;
    struct date_hit h;
    size_t span = (size_t)(e - q) < 40 ? (size_t)(e - q) : 40;
    if (!span || !date_find(q, span, f->now, DATE_BARE_OK, &h) || h.start != 0)
        return;
    for (const char *r = q + h.end; r < e; r++)
        if ((unsigned char)*r >= 0xE4 && (unsigned char)*r <= 0xE9)
            return; /* words after the date: a sentence */
    size_t before = f->nnames;
    add_name(f, p, l, f->line_off + count_cps(s, (size_t)(p - s)), f->line_zone, 0, NB_BY_DATE);
    if (f->nnames > before)
        f->names[before].credit = 1; /* under the post, however long */
}

/* A label that markup alone parts from its name: "作者<span>魏星</span>",
 * "来源<span>CSDN</span>" (the name is the element after the label). */
static void glued_labels(struct fctx *f, const char *s, size_t n)
{
    for (int k = 1; k < f->npieces; k++) {
        size_t off = f->pieces[k].off;
        unsigned char c = off >= 6 && off < n ? (unsigned char)s[off - 6] : 0;
        if (c != 0xE4 && c != 0xE6) /* 作 and 来 open with E4 and E6 */
            continue;
        int kind = memcmp(s + off - 6, "作者", 6) == 0 ? 0 : memcmp(s + off - 6, "来源", 6) == 0 ? 1 : -1;
        if (kind < 0)
            continue;
        size_t end = k + 1 < f->npieces ? f->pieces[k + 1].off : n;
        const char *p = s + off;
        size_t l = name_len(p, s + end);
        if (l && name_ok(p, l))
            add_name(f, p, l, f->line_off + count_cps(s, off), f->pieces[k].zone, kind, 26);
    }
}

static void line_names(struct fctx *f, const char *s, size_t n, size_t line_cps)
{
    if (line_cps > 100)
        return; /* bylines are short; a label inside prose names nobody */
    static const struct {
        const char *lab;
        int kind;
        double base;
    } labs[] = {
        { "作者：", 0, 30 }, { "作者:", 0, 30 }, { "作者 ", 0, 26 }, { "文／", 0, 24 }, { "文：", 0, 24 },
        { "文:", 0, 24 }, { "执笔人：", 0, 30 }, { "执笔：", 0, 30 }, { "本贴由", 0, 26 }, { "本帖由", 0, 26 },
        { "文/", 0, 24 }, { "文｜", 0, 24 }, { "文|", 0, 24 }, { "撰文：", 0, 26 }, { "撰稿：", 0, 26 },
        { "记者：", 0, 26 }, { "记者:", 0, 26 }, { "记者 ", 0, 22 }, { "記者：", 0, 26 },
        { "来源：", 1, 30 }, { "来源:", 1, 30 }, { "来源 ", 1, 24 }, { "稿源：", 1, 28 }, { "出处：", 1, 26 },
        { "來源：", 1, 30 }, { "来自：", 1, 20 }, { "转载自", 1, 18 },
        { "编辑：", 3, 10 }, { "编辑:", 3, 10 }, { "编辑 ", 3, 8 },
        { "发文机关：", 0, 26 }, { "发文机关:", 0, 26 }, { "发布机构：", 0, 24 },
    };
    enum { NLABS = sizeof labs / sizeof labs[0] };
    /* every label starts with one of 作 文 撰 记 記 来 稿 出 來 转 编 执 本 发: skip
     * lines with none at a character start; else find the first
     * occurrence of every label in one pass (what memmem would find) */
    int any = 0;
    for (size_t i = 0; i + 3 <= n && !any; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0xE4 || c > 0xE8)
            continue;
        if (label_first(s + i))
            any = 1;
        i += 2;
    }
    size_t lab_len[NLABS];
    const char *lab_at[NLABS];
    for (size_t i = 0; any && i < NLABS; i++) {
        lab_len[i] = strlen(labs[i].lab);
        lab_at[i] = NULL;
    }
    for (size_t i = 0; any && i + 3 <= n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0xE4 || c > 0xE8 || !label_first(s + i))
            continue;
        for (size_t j = 0; j < NLABS; j++)
            if (!lab_at[j] && memcmp(s + i, labs[j].lab, 3) == 0 && lab_len[j] <= n - i &&
                memcmp(s + i + 3, labs[j].lab + 3, lab_len[j] - 3) == 0)
                lab_at[j] = s + i;
    }
    for (size_t i = 0; any && i < NLABS; i++) {
        const char *hit = lab_at[i];
        if (!hit)
            continue;
        /* 责任编辑 names the editor, who did not write the article; "原作者"
         * and the like still count */
        if (labs[i].kind == 3 && hit >= s + 6 && memcmp(hit - 6, "责任", 6) == 0)
            continue;
        /* "文/" only at the start of the line or after a space */
        if ((labs[i].lab[0] == '\xe6' && memcmp(labs[i].lab, "文", 3) == 0) && hit > s && hit[-1] != ' ')
            continue;
        const char *p = hit + lab_len[i];
        const char *e = s + n;
        while (p < e && (*p == ' ' || *p == ':' || *p == '\t'))
            p++;
        if (p + 3 <= e && (memcmp(p, "：", 3) == 0 || memcmp(p, "　", 3) == 0))
            p += 3;
        while (p < e && *p == ' ')
            p++;
        if (p < e && *p == '[')
            p++;
        else if (p + 3 <= e && memcmp(p, "【", 3) == 0)
            p += 3;
        while (p < e && *p == ' ')
            p++;
        /* a name ends where the markup glues another element to it
         * ("证券市场红周刊" + "举报") */
        const char *pe = e;
        for (int k = 0; k < f->npieces; k++) {
            const char *b = s + f->pieces[k].off;
            if (b > p && b < pe && b[-1] != ' ' && *b != ' ')
                pe = b;
        }
        size_t l = name_len(p, pe);
        if (labs[i].lab[0] == '\xe6' && memcmp(labs[i].lab, "本", 3) == 0) { /* 本贴由 NAME 于 … 发表 */
            const char *yu = find_bytes(p, l + 3 <= (size_t)(e - p) ? l + 3 : l, "于", 3);
            if (!yu)
                continue;
            l = (size_t)(yu - p);
            while (l && p[l - 1] == ' ')
                l--;
        }
        const char *after = p + l;
        while (after < pe && *after == ' ')
            after++;
        if (after < pe && *after == '=')
            continue; /* markup shown as text: 作者： size="20" */
        l += latin_aside(p + l, pe);
        size_t before = f->nnames;
        if (l && name_ok(p, l))
            add_name(f, p, l, f->line_off + count_cps(s, (size_t)(hit - s)), f->line_zone, labs[i].kind,
                     labs[i].base);
        else if (p == e && only_blanks(s, hit))
            pend_label(f, labs[i].kind, labs[i].base); /* "发文机关：" alone: the name is in the next cell */
        /* an editor's credit (编辑：山石) closes the article, however long */
        if (labs[i].kind == 3 && f->nnames > before)
            f->names[before].credit = 1;
    }
    glued_labels(f, s, n);
    by_after_date(f, s, n);
    post_credit(f, s, n);
    /* English bylines: "By Jane Doe" at the start of a short line */
    if (n > 3 && n < 80 && (strncmp(s, "By ", 3) == 0 || strncmp(s, "by ", 3) == 0)) {
        const char *p = s + 3, *e = s + n;
        size_t l = 0;
        while (p + l < e && p[l] != '|' && p[l] != ',' && !(p[l] >= '0' && p[l] <= '9') && l < 60)
            l++;
        while (l && p[l - 1] == ' ')
            l--;
        if (l >= 3 && p[0] >= 'A' && p[0] <= 'Z')
            add_name(f, p, l, f->line_off, f->line_zone, 0, NB_BY_LINE);
    }
}

/* Breadcrumb: "当前位置：首页 > 天津产业信息 > 正文内容". The category is the
 * last item that is neither the home page, the article itself nor a generic
 * word for it. */
static void line_crumb(struct fctx *f, const char *s, size_t n, int zone_crumb)
{
    static const char *const starts[] = { "当前位置", "您的位置", "你的位置", "您现在的位置", "你现在的位置",
                                          "所在位置", "位置：", "位置:", "现在位置", "当前页面", NULL };
    static const char *const seps[] = { ">>", ">", "»", "›", "→", "＞", "/", "\\", "｜", "|", "-", NULL };
    static const char *const generic[] = { "正文", "正文内容", "内容", "文章", "详情", "阅读文章", "浏览文章",
                                           "首页", "网站首页", "主页", "home", "Home", "HOME", "本站首页",
                                           "详细内容", "内容页", "正文页", "新闻详情", "文章详情", NULL };
    const char *p = s, *e = s + n;
    int labelled = 0;
    if (!zone_crumb && !find_bytes(s, n < 60 ? n : 60, "位置", 6) && !find_bytes(s, n < 60 ? n : 60, "当前", 6))
        return;
    for (int i = 0; starts[i]; i++) {
        const char *h = find_bytes(s, n < 40 ? n : 40, starts[i], strlen(starts[i]));
        if (h) {
            p = h + strlen(starts[i]);
            labelled = 1;
            break;
        }
    }
    if (!labelled && !zone_crumb)
        return;
    if (n > 400)
        return;
    /* skip the label's colon */
    while (p < e && (*p == ' ' || *p == ':'))
        p++;
    if (p + 3 <= e && memcmp(p, "：", 3) == 0)
        p += 3;
    /* split into items */
    struct seg items[16];
    int ni = 0, nsep = 0;
    const char *start = p;
    while (p < e && ni < 15) {
        size_t sl = 0;
        for (int i = 0; seps[i]; i++) {
            size_t l = strlen(seps[i]);
            if ((size_t)(e - p) >= l && memcmp(p, seps[i], l) == 0) {
                sl = l;
                break;
            }
        }
        /* '-' and '/' only with spaces around */
        if (sl == 1 && (*p == '-' || *p == '/') && !(p > s && p[-1] == ' ' && p + 1 < e && p[1] == ' '))
            sl = 0;
        if (sl) {
            nsep++;
            items[ni++] = (struct seg){ start, (size_t)(p - start) };
            p += sl;
            start = p;
        } else
            p++;
    }
    if (ni < 15)
        items[ni++] = (struct seg){ start, (size_t)(e - start) };
    if (nsep < 1)
        return;
    for (int i = ni - 1; i >= 0; i--) {
        char *it = dup_trim(items[i].p, items[i].n, &f->err);
        if (!it)
            continue;
        int bad = 0;
        for (int g = 0; generic[g]; g++)
            if (strcmp(it, generic[g]) == 0)
                bad = 1;
        size_t cps = count_cps(it, strlen(it));
        if (cps > 20 || cps < 1)
            bad = 1;
        if (!bad && f->title_key) {
            struct buf k = BUF_INIT;
            make_key(it, strlen(it), &k);
            oom_of(&f->err, &k);
            if (k.len >= 6 && strstr(f->title_key, buf_str(&k)) && k.len * 2 > strlen(f->title_key))
                bad = 1;
            buf_release(&k);
        }
        if (bad) {
            free(it);
            continue;
        }
        double sc = labelled ? 30 : 20;
        if (sc > f->crumb_score) {
            free(f->crumb.s);
            f->crumb.s = it;
            f->crumb_score = sc;
        } else
            free(it);
        break;
    }
}

/* The names of a credit on the line under another added to that one's. */
static void join_credit(struct fctx *f, const char *s, size_t n)
{
    struct namepend *p = &f->names[f->credit_idx];
    size_t l = strlen(p->s);
    char *v = na_realloc(p->s, l + 1 + n + 1);
    if (!v) {
        f->err = NA_ENOMEM;
        return;
    }
    v[l] = ' ';
    memcpy(v + l + 1, s, n);
    v[l + 1 + n] = 0;
    p->s = v;
    f->credit_line = f->nlines;
}

/* A reporter credit (byline.h): "（记者 胡晓蓉）" closing a paragraph,
 * "本报记者罗科苏盈发自北京" on a line of its own. Scored above the plain
 * labels, and not penalized for standing at the end of a long article. */
static void line_credit(struct fctx *f, const char *s, size_t n, size_t line_cps)
{
    struct buf nb = BUF_INIT;
    size_t at = 0;
    int bare = 0;
    int k = byline_cn(s, n, line_cps, &nb, &at, &bare);
    if (k == NA_ENOMEM)
        f->err = NA_ENOMEM;
    if (k > 0 && f->nnames < MAX_NAMES) {
        size_t before = f->nnames;
        unsigned zone = f->line_zone;
        for (int i = 0; i < f->npieces; i++)
            if (f->pieces[i].off <= at)
                zone = f->pieces[i].zone | (f->line_zone & (Z_NEG | Z_COPY));
        /* not a link ("记者江湖" in a forum menu), nor, without a label,
         * a list item ("(房产)") */
        int ok = !(zone & Z_LINK) && !(bare && (zone & (Z_LI | Z_NEG)));
        if (ok && !bare && f->credit_line && f->credit_line + 1 == f->nlines) {
            join_credit(f, nb.data, nb.len); /* "本报实习生 …" over "本报记者 …" */
        } else if (ok) {
            add_name(f, nb.data, nb.len, f->line_off + count_cps(s, at), zone, 0, bare ? NB_CREDIT_BARE : NB_CREDIT);
            f->credit_line = 0;
        }
        if (f->nnames > before) {
            f->names[before].credit = bare ? 2 : 1;
            if (!bare) {
                f->credit_line = f->nlines;
                f->credit_idx = before;
            }
        }
    }
    buf_release(&nb);
}

/* A credit to the site's builder that names who (the name a little after
 * the cue): "Produced By 大汉网络", "技术支持：…"; not "© Jane Doe - Powered by X". */
static int vendor_line(const char *s, size_t n, const char *who)
{
    static const char *const cues[] = { "技术支持", "网站建设", "设计制作", "制作维护", "网站制作", "建站",
                                        "Produced By", "Produced by", "Powered by", "Powered By", "Designed by",
                                        "Design by", NULL };
    for (int i = 0; cues[i]; i++) {
        const char *c = find_bytes(s, n, cues[i], strlen(cues[i]));
        if (!c)
            continue;
        size_t from = (size_t)(c - s), rest = n - from, span = rest < 80 ? rest : 80;
        if (find_bytes(c, span, who, strlen(who)))
            return 1;
    }
    return 0;
}

static void name_under_title(struct fctx *f, const char *s, size_t n);

/* The name that opens a headline t[0..n) "茉莉：我是怎样卷入八九民运的" (two
 * to eight Han characters before a colon, and four characters or more after
 * it; not "Paxlovid: what to know") into out; returns 1, or 0 and out "". */
static int title_prefix(const char *t, size_t n, char *out, size_t cap)
{
    out[0] = 0;
    const char *c = find_bytes(t, n, "：", 3), *a = memchr(t, ':', n);
    if (!c || (a && a < c))
        c = a;
    if (!c || (size_t)(c - t) >= cap || count_cps(c, n - (size_t)(c - t)) < 5)
        return 0;
    size_t l = (size_t)(c - t), cps = count_cps(t, l);
    if (cps < 2 || cps > 8 || l != cps * 3 || name_len(t, c) != l)
        return 0;
    for (size_t i = 0; i < l; i += 3)
        if ((unsigned char)t[i] < 0xE4 || (unsigned char)t[i] > 0xE9)
            return 0;
    memcpy(out, t, l);
    out[l] = 0;
    return 1;
}

/* Bylines without a headline to stand under: on a page whose headline is
 * not found in the body, a name line among the first three lines where the
 * article starts, under one that could be its headline; and anywhere, a
 * line that holds only the name that opens the headline ("茉莉" of
 * "茉莉：我是怎样卷入八九民运的"), which needs no family name. */
static void lead_lines(struct fctx *f, const char *s, size_t n, size_t line_cps, int in_title_lines)
{
    int quiet = !(f->line_zone_and & Z_LINK) && !(f->line_zone & (Z_NEG | Z_COPY));
    if (f->title_pre[0] && f->pre_until && f->nlines > f->pre_until)
        f->title_pre[0] = 0;
    if (f->title_pre[0] && quiet && n < 200) {
        size_t l = n;
        const char *p = trim_blanks(s, &l);
        if (l == f->title_pre_len && memcmp(p, f->title_pre, l) == 0) {
            add_name(f, p, l, f->line_off, f->line_zone, 0, NB_NAME_LINE);
            f->title_pre[0] = 0;
            f->pre_done = 1; /* one such line only */
        }
    }
    /* a headline-like line "茉莉：我是…" names whom the next lines may hold alone */
    if (quiet && !f->pre_done && !f->title_pre[0] && line_cps <= 60 && !is_prose(s, n, line_cps)) {
        size_t l = n;
        const char *p = trim_blanks(s, &l);
        if (l && (unsigned char)*p >= 0xE4 && title_prefix(p, l, f->title_pre, sizeof f->title_pre)) {
            f->pre_until = f->nlines + 8;
            f->title_pre_len = strlen(f->title_pre);
        }
    }
    if (in_title_lines)
        return;
    int start = !f->container || f->container == f->d->body || (f->c_start >= 0 && f->c_end < 0);
    if (f->title || !start || f->nlead >= 3)
        return;
    if (f->nlead++ > 0 && f->prev_headlike)
        name_under_title(f, s, n);
    f->prev_headlike = quiet && line_cps >= 2 && line_cps <= 60 && !is_prose(s, n, line_cps);
}

/* A line that holds only a name, just under the headline: a forum post's
 * or an essay's author ("犬儒病(上)" / "胡平" / "——当代中国的精神危机"). */
static void name_under_title(struct fctx *f, const char *s, size_t n)
{
    if (n > 60 || (f->line_zone & (Z_NEG | Z_COPY)) || (f->line_zone_and & Z_LINK))
        return;
    struct buf nb = BUF_INIT;
    int k = byline_name_line(s, n, &nb);
    if (k == NA_ENOMEM)
        f->err = NA_ENOMEM;
    if (k > 0)
        add_name(f, nb.data, nb.len, f->line_off, f->line_zone, 0, NB_NAME_LINE);
    buf_release(&nb);
}

static void flush_line(struct fctx *f)
{
    struct buf *b = &f->line;
    oom_of(&f->err, b);
    if (!b->len || b->err) {
        buf_reset(b);
        coll_init(&f->lc, b);
        f->npieces = 0;
        f->line_zone = 0;
        f->line_zone_and = ~0u;
        f->line_off = f->off;
        return;
    }
    const char *s = b->data;
    size_t n = b->len;
    size_t line_cps = count_cps(s, n);
    /* dates */
    size_t pos = 0;
    for (int k = 0; k < 6 && pos < n; k++) {
        struct date_hit h;
        int kind = date_find(s + pos, n - pos, f->now, DATE_RELATIVE_OK | DATE_BARE_OK | DATE_NOT_AFTER_NOW, &h);
        if (!kind)
            break;
        h.start += pos;
        h.end += pos;
        pos = h.end > h.start ? h.end : h.start + 1;
        unsigned zone = 0;
        for (int i = 0; i < f->npieces; i++)
            if (f->pieces[i].off <= h.start)
                zone = f->pieces[i].zone;
        if (zone & Z_HIDDEN)
            continue;
        /* relative and year-less forms only in short, byline-like lines;
         * a bare month-day ("10-08") only after a label or in a time/date
         * element */
        if (kind == DATE_RELATIVE && (line_cps > 60 || is_prose(s, n, line_cps)))
            continue;
        if (h.bare && !(zone & Z_POS) && label_before(s, h.start, 24) <= 0)
            continue;
        struct pend p;
        memset(&p, 0, sizeof p);
        p.h = h;
        p.off = f->line_off + count_cps(s, h.start);
        p.zone = zone | (f->line_zone & (Z_NEG | Z_COPY));
        p.label = label_before(s, h.start, 24);
        if (p.label >= 0 && licence_before(s, h.start))
            p.label = -1; /* "Licensed under CC BY 4.0 since 2015-01-01" */
        p.line_cps = line_cps;
        p.prose = is_prose(s, n, line_cps);
        add_pend(f, &p);
    }
    int blank = only_blanks(s, s + n);
    if (!blank)
        f->nlines++;
    line_credit(f, s, n, line_cps);
    int under = f->t_end >= 0 && f->nafter < 2;
    if (under) {
        f->nafter++;
        name_under_title(f, s, n);
    }
    if (!blank)
        lead_lines(f, s, n, line_cps, under);
    if (!blank && f->pend_kind >= 0)
        pending_value(f, s, n, line_cps);
    if (f->author_meta && !f->vendor && n < 600 && find_bytes(s, n, f->author_meta, strlen(f->author_meta)) &&
        vendor_line(s, n, f->author_meta))
        f->vendor = 1;
    if (n < 600) {
        line_names(f, s, n, line_cps);
        line_crumb(f, s, n, (f->line_zone & Z_CRUMB) != 0);
    }
    if (f->want_title && line_cps <= 200) {
        struct sline sl = { NULL, f->line_zone, f->line_zone_and, pos > 0 };
        int in_cont = f->c_start >= 0 && f->c_end < 0;
        if ((in_cont && f->nfirst < 2) || (!in_cont && f->c_start < 0 && line_cps >= 4 && line_cps <= 100))
            if (!(sl.s = na_strndup(s, n)))
                f->err = NA_ENOMEM;
        if (sl.s && in_cont && f->nfirst < 2)
            f->first[f->nfirst++] = sl;
        else if (sl.s) {
            struct sline *slot = &f->recent[f->rpos];
            free(slot->s);
            *slot = sl;
            f->rpos = (f->rpos + 1) % 6;
            if (f->nrecent < 6)
                f->nrecent++;
        }
    } else if (f->want_title && f->c_start >= 0 && f->c_end < 0 && f->nfirst < 2)
        f->nfirst = 2; /* a long first line: the container starts with prose */
    buf_reset(b);
    coll_init(&f->lc, b);
    f->npieces = 0;
    f->line_zone = 0;
    f->line_zone_and = ~0u;
    f->line_off = f->off;
}

/* The ring of recent short lines, oldest first, moved into f->before. */
static void snapshot_before(struct fctx *f)
{
    int n = f->nrecent, start = (f->rpos - n + 6) % 6;
    for (int i = 0; i < n; i++) {
        f->before[i] = f->recent[(start + i) % 6];
        f->recent[(start + i) % 6].s = NULL;
    }
    f->nbefore = n;
    f->nrecent = 0;
}

/* A line that can stand as a headline: no link-only text, no boilerplate
 * zone, no date, no label, a phrase's length. */
static int headline_line(const struct sline *l)
{
    static const char *const bad[] = { "来源", "作者", "时间", "日期", "编辑", "浏览", "点击", "发布",
                                       "位置", "首页", "http", "www.", "©", "版权", ">>", NULL };
    if (!l->s || l->dated || (l->zand & Z_LINK) || (l->zor & (Z_NEG | Z_CRUMB | Z_HIDDEN | Z_COPY)))
        return 0;
    size_t n = strlen(l->s), cps = count_cps(l->s, n);
    if (cps < 5 || cps > 80 || l->s[n - 1] == ':' || (n >= 3 && memcmp(l->s + n - 3, "：", 3) == 0))
        return 0;
    for (int i = 0; bad[i]; i++)
        if (strstr(l->s, bad[i]))
            return 0;
    return !is_prose(l->s, n, cps);
}

static void add_text(struct fctx *f, const char *s, size_t n, unsigned zone)
{
    if (zone & Z_HIDDEN)
        return; /* not shown, not read */
    size_t before = f->line.len;
    if (f->line.len < LINE_KEEP) {
        if (f->npieces < 64) {
            f->pieces[f->npieces].off = before;
            f->pieces[f->npieces].zone = zone;
            f->npieces++;
        }
        coll_add(&f->lc, s, n);
        f->line_zone |= zone;
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)s[i] > ' ') {
                f->line_zone_and &= zone; /* only pieces with visible text count */
                break;
            }
    }
    /* offsets count code points of non-space text */
    f->off += count_visible(s, n);
}

/* 1 when href is a home inside the site that the page's URL lies under:
 * "http://blog.joycode.com/lijianzhong/" (or "/lijianzhong/") for
 * ".../lijianzhong/archive/2004/12/27/41810.aspx"; not the site's root. */
static int home_above(const char *url, const char *href)
{
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    if (!path)
        return 0;
    size_t ol = (size_t)(path - url);
    const char *hp; /* the href's path */
    if (href[0] == '/' && href[1] != '/')
        hp = href;
    else if (is_abs_url(href) && strncmp(href, url, ol) == 0 && href[ol] == '/')
        hp = href + ol;
    else
        return 0;
    size_t l = strlen(hp);
    return l > 1 && hp[l - 1] == '/' && strncmp(path, hp, l) == 0 && path[l];
}

/* A blog's header: the link to its home, as its headline (in h1-h3 or
 * with a title class), holding its owner's name alone. */
static void owner_link(struct fctx *f, const struct dom_node *n)
{
    const struct dom_node *up = n->parent;
    int head = (zone_of_c(&f->zc, n) & Z_TITLE) ||
               (up && (up->tag == DOM_TAG_H1 || up->tag == DOM_TAG_H2 || up->tag == DOM_TAG_H3));
    if (!head)
        return;
    struct buf t = BUF_INIT, nb = BUF_INIT;
    buf_init(&t, 128);
    dom_text(n, &t);
    oom_of(&f->err, &t);
    size_t l = t.len;
    const char *p = t.err ? NULL : trim_blanks(t.data, &l);
    int k = p && l < 60 ? byline_name_line(p, l, &nb) : 0;
    if (k == NA_ENOMEM)
        f->err = NA_ENOMEM;
    else if (k > 0 && !(f->owner = na_strdup(buf_str(&nb))))
        f->err = NA_ENOMEM;
    buf_release(&nb);
    buf_release(&t);
}

/* Element-level signals: <time>, itemprop dates, data-*publish* attributes,
 * hidden inputs, rel=author/category links. */
static void element_signals(struct fctx *f, const struct dom_node *n, unsigned zone)
{
    struct date_val v;
    for (unsigned i = 0; i < n->nattrs; i++) {
        const char *an = n->attrs[i].name, *av = n->attrs[i].value;
        if (an[0] == 'd' && strncmp(an, "data-", 5) == 0 &&
            (strstr(an, "publish") || strcmp(an, "data-ptime") == 0 || strcmp(an, "data-pubtime") == 0 ||
             strcmp(an, "data-pubdate") == 0) &&
            parse_value(av, f->now, &v)) {
            /* on the page or on an ancestor of the headline: the page's
             * date; elsewhere it may date a list item */
            int anc = n->tag == DOM_TAG_HTML || n->tag == DOM_TAG_BODY;
            for (const struct dom_node *t = f->title; t && !anc; t = t->parent)
                if (t == n)
                    anc = 1;
            struct pend p;
            memset(&p, 0, sizeof p);
            if (anc)
                add_date(f, &v, DS_DATA_ATTR, SRC_META);
            else {
                p.h.v = v;
                p.h.kind = DATE_ABSOLUTE;
                p.off = f->off;
                p.zone = zone | Z_POS;
                p.label = 1;
                p.line_cps = 10;
                p.is_time_el = 2;
                add_pend(f, &p);
            }
        }
    }
    const char *ip = dom_attr(n, "itemprop");
    if (ip && (eq_ci(ip, "datePublished") || eq_ci(ip, "dateCreated"))) {
        const char *val = dom_attr(n, "content");
        if (!val)
            val = dom_attr(n, "datetime");
        struct buf t = BUF_INIT;
        if (!val) {
            buf_init(&t, 256);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            val = buf_str(&t);
        }
        if (parse_value(val, f->now, &v))
            add_date(f, &v, eq_ci(ip, "datePublished") ? DS_ITEMPROP_PUBLISHED : DS_ITEMPROP_CREATED,
                     n->tag == DOM_TAG_TIME ? SRC_TIME : SRC_META);
        buf_release(&t);
    } else if (n->tag == DOM_TAG_TIME) {
        const char *dt = dom_attr(n, "datetime");
        struct buf t = BUF_INIT;
        if (!dt) {
            buf_init(&t, 256);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            dt = buf_str(&t);
        }
        if (parse_value(dt, f->now, &v)) {
            struct pend p;
            memset(&p, 0, sizeof p);
            p.h.v = v;
            p.h.kind = DATE_ABSOLUTE;
            p.off = f->off;
            p.zone = zone;
            const char *cl = dom_attr(n, "class");
            p.label = dom_attr(n, "pubdate") || (cl && (strcasestr(cl, "publish") || strcasestr(cl, "posted")))
                          ? 1 : (cl && (strcasestr(cl, "update") || strcasestr(cl, "modif"))) ? -1 : 0;
            p.line_cps = 10;
            p.is_time_el = 1;
            add_pend(f, &p);
        }
        buf_release(&t);
    } else if (n->tag == DOM_TAG_INPUT) {
        const char *nm = dom_attr(n, "name");
        if (!nm)
            nm = dom_attr(n, "id");
        if (nm && (eq_ci(nm, "pubtime") || eq_ci(nm, "publishtime") ||
                   eq_ci(nm, "pubdate") || eq_ci(nm, "publishdate") ||
                   eq_ci(nm, "publish_time")) &&
            parse_value(dom_attr(n, "value"), f->now, &v))
            add_date(f, &v, DS_INPUT, SRC_META);
    } else if (n->tag == DOM_TAG_A) {
        const char *rel = dom_attr(n, "rel"), *href = dom_attr(n, "href");
        if (href && f->url && !f->owner && !(zone & (Z_NEG | Z_LI | Z_CRUMB)) && home_above(f->url, href))
            owner_link(f, n);
        /* the href patterns all hold "author" or "category": one search each first */
        const char *ha = href ? strstr(href, "author") : NULL, *hc = href ? strstr(href, "category") : NULL;
        int author = (rel && strcasestr(rel, "author")) ||
                     (ha && (strstr(href, "/author/") || strstr(href, "/author-") || strstr(href, "?author="))) ||
                     (zone_of_c(&f->zc, n) & Z_AUTHOR);
        int cat = (rel && strcasestr(rel, "category")) || (hc && (strstr(href, "/category/") ||
                                                                  strstr(href, "category-")));
        if (author || cat) {
            struct buf t = BUF_INIT;
            buf_init(&t, 512);
            dom_text(n, &t);
            oom_of(&f->err, &t);
            size_t before = f->nnames;
            if (!t.err && t.len && t.len < 200 && name_ok(t.data, t.len))
                add_name(f, t.data, t.len, f->off, zone, author ? 0 : 2, author ? NB_AUTHOR_LINK : NB_CATEGORY_LINK);
            if (author && f->nnames > before)
                f->names[before].link = 1;
            buf_release(&t);
        }
    }
}

static void walk_fields(struct fctx *f, const struct dom_node *n, unsigned zone)
{
    for (const struct dom_node *k = n->first; k; k = k->next) {
        if (k->type == DOM_TEXT) {
            add_text(f, k->text, k->len, zone);
            continue;
        }
        if (k->type != DOM_ELEMENT || is_skipped_tag(k->tag))
            continue;
        if (k->tag == DOM_TAG_INPUT) {
            element_signals(f, k, zone);
            continue;
        }
        unsigned own = zone_of_c(&f->zc, k);
        /* what holds the headline is the article's header, whatever its
         * tag or class says (<aside class="contxt-aside"><h1>…) */
        if (k->depth <= DOM_MAX_DEPTH && f->title_anc[k->depth] == k)
            own &= ~(unsigned)(Z_NEG | Z_LI);
        unsigned z = zone | own;
        int block = is_block_tag(k->tag) || k->tag == DOM_TAG_BR;
        int is_title = k == f->title, is_cont = k == f->container;
        if (block || is_title || is_cont)
            flush_line(f);
        if (is_title)
            f->t_start = (long)f->off;
        if (is_cont) {
            f->c_start = (long)f->off;
            if (f->want_title)
                snapshot_before(f);
        }
        element_signals(f, k, z);
        /* author/category links and the class cues reach names found in
         * plain elements too: <span class="author">admin</span> */
        if ((zone_of_c(&f->zc, k) & (Z_AUTHOR | Z_CAT | Z_SOURCE)) && !(z & Z_NEG) && k->tag != DOM_TAG_A &&
            k->tag != DOM_TAG_META) {
            struct buf t = BUF_INIT;
            buf_init(&t, 512);
            dom_text(k, &t);
            oom_of(&f->err, &t);
            if (!t.err && t.len && t.len < 120 && name_ok(t.data, t.len) && !find_bytes(t.data, t.len, "：", 3) &&
                !memchr(t.data, ':', t.len)) {
                if (own & Z_AUTHOR)
                    add_name(f, t.data, t.len, f->off, z, 0, NB_AUTHOR_CUE);
                else if (own & Z_CAT)
                    add_name(f, t.data, t.len, f->off, z, 2, NB_CATEGORY_CUE);
            }
            buf_release(&t);
        }
        walk_fields(f, k, z);
        if (block || is_title || is_cont)
            flush_line(f);
        if (is_title)
            f->t_end = (long)f->off;
        if (is_cont)
            f->c_end = (long)f->off;
    }
}

/* Scores a date seen in the text by where it stands. */
static double pend_score(const struct fctx *f, const struct pend *p, int first_after)
{
    double s = p->is_time_el ? TD_BASE_TIME_EL : TD_BASE;
    if (f->t_start >= 0) {
        if ((long)p->off >= f->t_end) {
            double dist = (double)((long)p->off - f->t_end);
            s += dist < 400 ? 40 - dist / 20 : dist < 3000 ? 20 - (dist - 400) / 130 : 0;
            if (first_after)
                s += TD_FIRST_AFTER;
        } else {
            double dist = (double)(f->t_start - (long)p->off);
            s += dist < 300 ? 28 - dist / 15 : 0;
        }
    } else if (f->c_start >= 0 && f->container && f->container != f->d->body) {
        if ((long)p->off >= f->c_start && (long)p->off <= f->c_end) {
            double dist = (double)((long)p->off - f->c_start);
            s += dist < 400 ? 30 - dist / 20 : 5;
        } else if ((long)p->off < f->c_start && f->c_start - (long)p->off < 400)
            s += 25 - (double)(f->c_start - (long)p->off) / 20;
    } else {
        /* no landmark: earlier is better, gently */
        s += first_after ? 20 : 10;
    }
    if (p->label > 1)
        s += TD_LABEL_STRONG;
    else if (p->label > 0)
        s += TD_LABEL;
    else if (p->label < 0)
        s += TD_LABEL_BAD;
    if (p->line_cps <= 80)
        s += TD_SHORT_LINE;
    if (p->prose)
        s += TD_PROSE;
    if (p->zone & Z_COPY)
        s += TD_COPYRIGHT;
    if (p->zone & Z_NEG)
        s += TD_NEG_ZONE;
    if (p->zone & Z_LINK)
        s += TD_LINK;
    if (p->zone & Z_LI)
        s += TD_LIST_ITEM;
    if (p->zone & Z_POS)
        s += TD_POS_ZONE;
    if (p->h.kind == DATE_RELATIVE) {
        /* derived from now: below any absolute date the page states in
         * meta tags or its URL; a year taken from now is a guess */
        s += p->h.bare ? TD_BARE : TD_RELATIVE;
        if (s > (p->h.bare ? TD_BARE_MAX : TD_RELATIVE_MAX))
            s = p->h.bare ? TD_BARE_MAX : TD_RELATIVE_MAX;
    }
    if (p->h.v.has_time)
        s += TD_HAS_TIME;
    /* after the container: related lists, comments, footers */
    if (f->container && f->container != f->d->body && f->c_end >= 0 && (long)p->off > f->c_end + 50)
        s += (long)p->off > f->c_end + 500 ? TD_AFTER_FAR : TD_AFTER;
    return s;
}

static void jsonld_fields(struct fctx *f, const struct jsonld_info *ld)
{
    struct date_val v;
    if (ld->date_published && parse_value(ld->date_published, f->now, &v))
        add_date(f, &v, DS_JSONLD_PUBLISHED, SRC_JSONLD);
    if (ld->date_created && parse_value(ld->date_created, f->now, &v))
        add_date(f, &v, DS_JSONLD_CREATED, SRC_JSONLD);
    if (ld->date_modified && parse_value(ld->date_modified, f->now, &v))
        add_date(f, &v, DS_JSONLD_MODIFIED, SRC_JSONLD);
}

/* 1 when a and b open with the same word (to a blank, three bytes or
 * more): "Discuz! Team and Comsenz UI Team" and the generator "Discuz! X3.4". */
static int same_first_word(const char *a, const char *b)
{
    size_t la = strcspn(a, " \t"), lb = strcspn(b, " \t");
    return la >= 3 && la == lb && memcmp(a, b, la) == 0;
}

static void head_fields(struct fctx *f, char **author_meta, char **section_meta)
{
    struct dom *d = f->d;
    struct date_val v;
    const char *generator = NULL;
    for (struct dom_node *n = d->root; n; n = dom_next(n, d->root)) {
        if (n->type != DOM_ELEMENT || n->tag != DOM_TAG_META)
            continue;
        const char *k = dom_attr(n, "property");
        if (!k)
            k = dom_attr(n, "name");
        if (!k)
            k = dom_attr(n, "itemprop");
        if (!k)
            k = dom_attr(n, "http-equiv");
        const char *c = dom_attr(n, "content");
        if (!k || !c || !*c)
            continue;
        double sc = meta_date_score(k);
        if (sc > 0 && !eq_ci(k, "last-modified") && parse_value(c, f->now, &v))
            add_date(f, &v, sc, SRC_META);
        else if (!*author_meta && is_author_meta(k) && !is_abs_url(c) && name_ok(c, strlen(c)))
            *author_meta = dup_trim(c, strlen(c), &f->err);
        else if (!generator && eq_ci(k, "generator"))
            generator = c;
        else if (!*section_meta && (eq_ci(k, "article:section") || eq_ci(k, "og:article:section") ||
                                    eq_ci(k, "section") || eq_ci(k, "category")) &&
                 name_ok(c, strlen(c)))
            *section_meta = dup_trim(c, strlen(c), &f->err);
    }
    /* a meta author that names the software making the page is no author */
    if (*author_meta && generator && same_first_word(*author_meta, generator))
        f->vendor = 1;
}

/* Date paths in <img src> inside the article: uploads are filed by day. */
static void image_dates(struct fctx *f)
{
    const struct dom_node *top = f->container && f->container != f->d->body ? f->container : NULL;
    if (!top)
        return;
    struct date_val v;
    int seen = 0;
    for (const struct dom_node *n = top; n && seen < 20; n = dom_next(n, top)) {
        if (n->type != DOM_ELEMENT || n->tag != DOM_TAG_IMG)
            continue;
        seen++;
        const char *src = dom_attr(n, "src");
        if (!src || !strchr(src, '/'))
            continue;
        /* date_from_url wants a path or an absolute URL */
        if (src[0] == '/' || is_abs_url(src)) {
            if (date_from_url(src[0] == '/' && src[1] == '/' ? src + 1 : src, f->now, &v)) {
                add_date(f, &v, DS_IMAGE_PATH, SRC_URL);
                return;
            }
        }
    }
}

/* 1 when name is the site's: part of <title> or og:site_name but not of
 * the headline (meta author "网易" on "标题_网易新闻"). */
static int site_like(struct dom *d, const char *name, const char *headline)
{
    struct head h;
    head_scan(d, &h);
    if (headline && strstr(headline, name))
        return 0;
    return (h.title && strstr(h.title, name)) || (h.site_name && strstr(h.site_name, name));
}

/* Publish times kept from inline scripts ("ct=1581517074"): stated dates,
 * a little below meta tags (a script may also time a widget). Unix times
 * on Chinese pages are shown in China Standard Time, where those sites
 * keep their clocks. */
static void script_fields(struct fctx *f, const char *const *snips, size_t n, const char *lang)
{
    for (size_t i = 0; i < n && i < 16; i++) {
        const char *eq = snips[i] ? strchr(snips[i], '=') : NULL;
        struct date_val v;
        if (!eq || !parse_value(eq + 1, f->now, &v))
            continue;
        if (v.has_tz && v.tz_min == 0 && lang && strcmp(lang, "zh") == 0) {
            size_t dg = strspn(eq + 1, "0123456789");
            if (dg == strlen(eq + 1)) {
                long long t = strtoll(eq + 1, NULL, 10);
                if (dg == 13)
                    t /= 1000;
                if (date_from_unix(t + 8 * 3600, &v))
                    v.tz_min = 480;
            }
        }
        add_date(f, &v, strncmp(snips[i], "ct=", 3) == 0 || strncmp(snips[i], "datePublished=", 14) == 0
                            ? DS_SCRIPT_PUBLISHED : strncmp(snips[i], "show=", 5) == 0 ? DS_SCRIPT_SHOWN
                            : DS_SCRIPT_OTHER,
                 SRC_META);
    }
}

int meta_fields(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                const struct dom_node *container, struct meta_result *a)
{
    return meta_fields_scripts(d, o, title_node, container, d ? d->script_dates : NULL, d ? d->nscript_dates : 0,
                               a);
}

/* Step 1: the walk context, or NULL when out of memory. */
static struct fctx *fields_begin(struct dom *d, time_t now, const struct dom_node *title_node,
                                 const struct dom_node *container, const struct meta_result *a)
{
    struct fctx *f = na_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->d = d;
    f->now = now;
    f->title = title_node;
    f->container = container;
    f->t_start = f->t_end = f->c_start = f->c_end = -1;
    f->line_zone_and = ~0u;
    f->pend_kind = -1;
    f->want_title = (!a->title || !*a->title || title_placeholder(a->title)) && container && container != d->body;
    for (const struct dom_node *t = title_node; t; t = t->parent)
        if (t->depth <= DOM_MAX_DEPTH)
            f->title_anc[t->depth] = t;
    buf_init(&f->line, 1 << 20);
    coll_init(&f->lc, &f->line);
    /* zones are a cache: without it they are computed again, same result */
    f->zc.z = na_calloc(d->nnodes ? d->nnodes : 1, sizeof *f->zc.z);
    f->zc.n = f->zc.z ? d->nnodes : 0;
    if (a->title && title_prefix(a->title, strlen(a->title), f->title_pre, sizeof f->title_pre))
        f->title_pre_len = strlen(f->title_pre);
    if (a->title) {
        struct buf k = BUF_INIT;
        make_key(a->title, strlen(a->title), &k);
        oom_of(&f->err, &k);
        if (!k.err && !(f->title_key = buf_detach(&k, NULL)))
            f->err = NA_ENOMEM;
        buf_release(&k);
    }
    return f;
}

static void fields_end(struct fctx *f)
{
    for (size_t i = 0; i < f->nnames; i++)
        free(f->names[i].s);
    free(f->crumb.s);
    free(f->owner);
    for (int i = 0; i < 6; i++)
        free(f->recent[i].s), free(f->before[i].s);
    for (int i = 0; i < 2; i++)
        free(f->first[i].s);
    free(f->pend);
    free(f->title_key);
    free(f->zc.z);
    buf_release(&f->line);
    free(f);
}

/* Replaces *dst with a copy of s; NA_ENOMEM into f->err on failure. */
static void set_field(struct fctx *f, char **dst, const char *s)
{
    char *v = na_strdup(s);
    if (!v) {
        f->err = NA_ENOMEM;
        return;
    }
    free(*dst);
    *dst = v;
}

/* Step 3: a headline for pages whose head names none: the nearest fitting
 * line above the container, else its first line when short. */
static void fallback_title(struct fctx *f, struct meta_result *a)
{
    if (!f->want_title)
        return;
    const char *t = NULL;
    for (int i = f->nbefore - 1; i >= 0 && !t; i--)
        if (headline_line(&f->before[i]))
            t = f->before[i].s;
    if (!t && f->nfirst > 0 && headline_line(&f->first[0]) && f->first[0].s)
        t = f->first[0].s;
    if (t)
        set_field(f, &a->title, t);
}

/* A relative date ("9个月前", "3 hours ago") dates the page only on its
 * meta line: labelled, in a time/date element, or near the headline (or,
 * without one, where the article starts); elsewhere it dates a comment or
 * a list item, and an undated essay must not get today's date. */
static int relative_near(const struct fctx *f, const struct pend *p)
{
    long off = (long)p->off;
    if (p->label > 0 || (p->zone & Z_POS))
        return !(p->zone & (Z_NEG | Z_COPY));
    if (f->t_start >= 0)
        return off >= f->t_start - 300 && off <= f->t_end + 400;
    if (f->c_start >= 0 && f->container && f->container != f->d->body)
        return off >= f->c_start - 400 && off <= f->c_start + 200;
    return 0;
}

/* The page's own day: a meta tag's or JSON-LD's time in UTC (or another
 * zone) falls a day before or after the day the page shows near its
 * headline in local time ("2023-10-09T20:00:00Z" on a page that says
 * 2023年10月10日 04:00). When a well-placed text date is a day off and its
 * time (if it states one) is the same instant in a zone between -12 and
 * +14 hours (without one, some such zone reaches its day), the page's day
 * wins; unless the URL's day agrees with the stated one. */
static const struct dcand *local_day(const struct fctx *f, const struct dcand *best)
{
    if ((best->src != SRC_META && best->src != SRC_JSONLD) || !best->v.has_tz || !best->v.has_time)
        return best;
    long bd = date_days(&best->v);
    long bmin = (bd * 1440 + best->v.hour * 60 + best->v.min) - best->v.tz_min; /* UTC minutes */
    long utc_day = bmin >= 0 ? bmin / 1440 : -1, utc_tod = bmin - utc_day * 1440;
    for (size_t i = 0; i < f->ndates; i++) /* the URL's day agrees with the stated one: keep it */
        if (f->dates[i].src == SRC_URL && date_days(&f->dates[i].v) == bd)
            return best;
    for (size_t i = 0; i < f->ndates; i++) {
        const struct dcand *c = &f->dates[i];
        if ((c->src != SRC_TEXT && c->src != SRC_TIME) || c->score < 60 || c->v.has_tz)
            continue;
        long cd = date_days(&c->v);
        if (cd != bd - 1 && cd != bd + 1)
            continue;
        if (c->v.has_time) {
            long shift = (cd * 1440 + c->v.hour * 60 + c->v.min) - bmin;
            if (shift % 15 || shift < -12 * 60 || shift > 14 * 60)
                continue;
        } else if (cd > utc_day ? utc_tod + 14 * 60 < 1440 : cd < utc_day ? utc_tod - 12 * 60 >= 0 : 0)
            continue; /* no zone between -12 and +14 hours reaches that day */
        return c;
    }
    return best;
}

/* Step 4: text and <time> dates scored by position, the URL's and the
 * images' dates; then the best candidate (borrowing the time of day from
 * another good candidate of the same day) into a->published. */
static void choose_date(struct fctx *f, const char *url, struct buf *explain, struct meta_result *a)
{
    int rank = 0;
    for (size_t i = 0; i < f->npend; i++) {
        struct pend *p = &f->pend[i];
        int first_after = 0;
        if (f->t_start >= 0 ? (long)p->off >= f->t_end && !(p->zone & (Z_NEG | Z_COPY)) : 1) {
            first_after = rank == 0;
            rank++;
        }
        if (p->h.kind == DATE_RELATIVE && !p->h.bare && !relative_near(f, p))
            continue;
        double s = pend_score(f, p, first_after);
        if (explain && i < 40)
            buf_printf(explain, "  text date at %zu zone %x label %d line %zu: %04d-%02d-%02d score %.1f\n", p->off,
                       p->zone, p->label, p->line_cps, p->h.v.year, p->h.v.month, p->h.v.day, s);
        enum dsrc src = p->is_time_el == 1 ? SRC_TIME : p->is_time_el == 2 ? SRC_META
                        : p->h.kind == DATE_RELATIVE ? SRC_RELATIVE : SRC_TEXT;
        add_date(f, &p->h.v, s, src);
    }
    struct date_val uv;
    const char *u = url ? url : a->url;
    if (u && (date_from_url(u, f->now, &uv) || date_from_url_cms(u, f->now, &uv))) {
        size_t before = f->ndates;
        add_date(f, &uv, DS_URL_PATH, SRC_URL);
        /* the page's own URL names its CMS's form (url_trs, url_hanweb) */
        if (f->ndates > before)
            f->dates[before].from = date_url_source(u);
    }
    image_dates(f);

    const struct dcand *best = NULL;
    for (size_t i = 0; i < f->ndates; i++)
        if (!best || f->dates[i].score > best->score)
            best = &f->dates[i];
    if (explain)
        buf_printf(explain, "meta: title at %ld-%ld, container at %ld-%ld, %zu text dates\n", f->t_start,
                   f->t_end, f->c_start, f->c_end, f->npend);
    if (explain)
        for (size_t i = 0; i < f->ndates; i++) {
            char o[64];
            if ((f->dates[i].score >= 30 || &f->dates[i] == best) && date_format(&f->dates[i].v, o, sizeof o))
                buf_printf(explain, "date %s from %s score %.1f%s\n", o, src_names[f->dates[i].src],
                           f->dates[i].score, &f->dates[i] == best ? " (chosen)" : "");
        }
    if (!best || best->score <= 0)
        return;
    const struct dcand *own = local_day(f, best);
    if (explain && own != best)
        buf_printf(explain, "date: the page's own day %04d-%02d-%02d (%s) over the %s's, a day off in UTC\n",
                   own->v.year, own->v.month, own->v.day, src_names[own->src], src_names[best->src]);
    best = own;
    struct date_val v = best->v;
    /* borrow the time from another good candidate of the same day */
    if (!v.has_time)
        for (size_t i = 0; i < f->ndates; i++) {
            const struct dcand *o = &f->dates[i];
            if (o->v.has_time && o->score >= 40 && o->v.year == v.year && o->v.month == v.month &&
                o->v.day == v.day) {
                v = o->v;
                break;
            }
        }
    char out[64];
    if (date_format(&v, out, sizeof out)) {
        set_field(f, &a->published, out);
        set_field(f, &a->published_from, best->from ? best->from : src_names[best->src]);
    }
}

/* The one name that the page's author links outside lists give, wherever
 * they stand (a blog's owner in its sidebar: <a href="?author=102">太小心</a>),
 * or NULL when there are none, or several names. */
static const char *lone_author_link(const struct fctx *f)
{
    const char *one = NULL;
    for (size_t i = 0; i < f->nnames; i++) {
        const struct namepend *p = &f->names[i];
        if (!p->link || (p->zone & (Z_NEG | Z_COPY | Z_LI)))
            continue; /* list items: other posts', comments' authors */
        if (one && strcmp(one, p->s) != 0)
            return NULL;
        one = p->s;
    }
    return one;
}

/* Step 5: the best name of each kind near the headline, with the meta
 * tags' and JSON-LD's as fallbacks: author, source, category. */
static void choose_names(struct fctx *f, const struct jsonld_info *ld, const char *author_meta,
                         const char *section_meta, struct buf *explain, struct meta_result *a)
{
    double bs[4] = { -1e9, -1e9, -1e9, -1e9 };
    const char *bn[4] = { NULL, NULL, NULL, NULL };
    for (size_t i = 0; i < f->nnames; i++) {
        struct namepend *p = &f->names[i];
        double s = p->base;
        long off = (long)p->off;
        if (f->t_start >= 0) {
            long dist = off >= f->t_end ? off - f->t_end : (f->t_start - off) * 2;
            double near = dist < 300 ? 20 - (double)dist / 15 : dist < 3000 ? 0 : -15;
            /* a credit inside the article may close it, however long, and
             * ranks over a class cue or a link near the headline */
            int inside = f->c_start >= 0 && off >= f->c_start && off <= f->c_end + 200;
            if (p->credit == 3)
                s += near < 0 ? 0 : near;
            else
                s += p->credit && inside && near < NW_CREDIT_INSIDE ? NW_CREDIT_INSIDE : near;
            if (p->credit == 2 && !inside)
                continue; /* a bare bracket of names only inside the article */
        }
        if (p->zone & Z_NEG)
            s += NW_NEG_ZONE;
        if (p->zone & Z_COPY)
            s += NW_COPYRIGHT;
        if (s > bs[p->kind]) {
            bs[p->kind] = s;
            bn[p->kind] = p->s;
        }
    }
    if (explain)
        for (size_t i = 0; i < f->nnames; i++)
            buf_printf(explain, "name kind %d \"%s\" at %zu base %.0f zone %x\n", f->names[i].kind,
                       f->names[i].s, f->names[i].off, f->names[i].base, f->names[i].zone);
    const char *author = bn[0] && bs[0] >= NW_MIN ? bn[0] : NULL;
    if (!author && ld->author)
        author = ld->author;
    if (!author && author_meta && !f->vendor && !site_like(f->d, author_meta, a->title))
        author = author_meta;
    if (!author)
        author = lone_author_link(f);
    if (!author)
        author = f->owner;
    /* 来源 naming a person ("来源: 尹娟") names the writer; an outlet
     * ("华商报") stays the source only */
    struct buf person = BUF_INIT;
    if (!author && bn[1] && bs[1] >= NW_MIN) {
        int k = byline_name_line(bn[1], strlen(bn[1]), &person);
        if (k == NA_ENOMEM)
            f->err = NA_ENOMEM;
        else if (k > 0)
            author = buf_str(&person);
    }
    if (!author && bn[3] && bs[3] >= NW_MIN)
        author = bn[3];
    if (author) {
        char *cl = clean_name(author, strlen(author), &f->err);
        if (cl) {
            free(a->author);
            a->author = cl;
        }
    }
    buf_release(&person);
    if (bn[1] && bs[1] >= NW_MIN)
        set_field(f, &a->source, bn[1]);
    const char *cat = section_meta ? section_meta : ld->section ? ld->section
                      : bn[2] && bs[2] >= NW_MIN_CATEGORY ? bn[2] : f->crumb.s;
    if (cat)
        set_field(f, &a->category, cat);
}

int meta_fields_scripts(struct dom *d, const struct meta_opts *o, const struct dom_node *title_node,
                        const struct dom_node *container, const char *const *snips, size_t nsnips,
                        struct meta_result *a)
{
    if (!d || !a)
        return NA_EINVAL;
    struct meta_ctx *mx = o ? o->ctx : NULL;
    const char *url = o ? o->url : NULL;
    time_t now = o ? o->now : 0;
    struct buf *explain = o ? o->explain : NULL;
    if (!now)
        now = time(NULL);
    struct jsonld_info ld;
    int rc = jsonld_read(mx ? mx->ld : NULL, d->jsonld, d->njsonld, &ld);
    if (rc)
        return rc;
    struct fctx *f = fields_begin(d, now, title_node, container, a);
    if (!f) {
        jsonld_release(&ld);
        return NA_ENOMEM;
    }
    f->zc.cm = mx ? mx->cues : NULL;
    f->url = url ? url : a->url;
    /* step 2: stated dates and names, then the walk over the text */
    char *author_meta = NULL, *section_meta = NULL;
    head_fields(f, &author_meta, &section_meta);
    f->author_meta = author_meta;
    jsonld_fields(f, &ld);
    script_fields(f, snips, nsnips, a->lang);
    if (d->root)
        element_signals(f, d->root, 0);
    if (d->body) {
        element_signals(f, d->body, 0);
        walk_fields(f, d->body, 0);
        flush_line(f);
    }
    fallback_title(f, a);
    choose_date(f, url, explain, a);
    choose_names(f, &ld, author_meta, section_meta, explain, a);
    rc = f->err;
    free(author_meta);
    free(section_meta);
    jsonld_release(&ld);
    fields_end(f);
    return rc;
}
