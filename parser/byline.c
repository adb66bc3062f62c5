/* byline.c — Chinese reporter bylines (byline.h): the names after a 记者
 * label and the bracketed credit at either end of a paragraph. A name is
 * two to four Han characters starting with a family name from the table
 * below; the words that follow a name in a credit (报道, 发自, 摄, /文) end
 * it, and the word before 报道 is a place, not a person. */
#include "parser/byline.h"
#include "util/err.h"

#include <stdint.h>
#include <string.h>

/* Family names, most frequent first; characters that are also common
 * function words (来, 于, 和, 向, 在 …) are left out so that "记者来到" or
 * "记者在" are not read as names. */
static const char surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
    "武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒"
    "阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓"
    "古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇"
    "桑郎甄丛仲虞敖巩佘池查麻苑迟邝官封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚粟冼蔺厉伊仝郜阚帅屠豆朴"
    "盖廉禹井祖狄晋芮扈晁阙浦戈鹿薄邸雍辜羊裘亓邰赫杭逯茹慕嵇湛戎茅尉檀昝尧";
static const char *const compound[] = { "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐",
                                        "慕容", "夏侯", "端木", "独孤", "长孙", "宇文", "司徒", "申屠", NULL };

/* 1 when the three bytes at p are one Han character (U+4E00..U+9FFF). */
static int is_han(const char *p, const char *e)
{
    if (e - p < 3)
        return 0;
    unsigned char a = (unsigned char)p[0], b = (unsigned char)p[1];
    return (a >= 0xE4 && a <= 0xE9) && (b & 0xC0) == 0x80 && ((unsigned char)p[2] & 0xC0) == 0x80 &&
           !(a == 0xE4 && b < 0xB8);
}

size_t byline_surname(const char *p, const char *e)
{
    if (!is_han(p, e))
        return 0;
    for (int i = 0; compound[i]; i++)
        if (e - p >= 6 && memcmp(p, compound[i], 6) == 0)
            return 6;
    for (size_t i = 0; i + 3 <= sizeof surnames - 1; i += 3)
        if (memcmp(surnames + i, p, 3) == 0)
            return 3;
    return 0;
}

static int starts(const char *p, const char *e, const char *w)
{
    size_t l = strlen(w);
    return (size_t)(e - p) >= l && memcmp(p, w, l) == 0;
}

/* Words that end a name inside a credit. */
static const char *const enders[] = { "报道", "發自", "发自", "摄影", "摄", "讯", "通讯员", "实习生", "记者",
                                      "編輯", "编辑", "责任", "来源", "供图", "整理", "文/", "/", "／", NULL };

static int at_ender(const char *p, const char *e)
{
    for (int i = 0; enders[i]; i++)
        if (starts(p, e, enders[i]))
            return 1;
    return 0;
}

/* The first "（" (three bytes) in s[0..n), or NULL. */
static const char *find_bytes_cn(const char *s, size_t n, const char *w)
{
    for (const char *p = s; n >= 3 && (p = memchr(p, w[0], (size_t)(s + n - 2 - p))); p++)
        if (p[1] == w[1] && p[2] == w[2])
            return p;
    return NULL;
}

/* 1 when the character before q ends an outlet's or a body's name (报,
 * 网, 社, 台 …), which no one's given name does. */
static int outlet_end(const char *q)
{
    static const char ends[] = "报网社台刊站局委厅院办所司厂馆校省市县区镇乡村州处部队团";
    for (size_t i = 0; i + 3 <= sizeof ends - 1; i += 3)
        if (memcmp(q - 3, ends + i, 3) == 0)
            return 1;
    return 0;
}

/* Skips blanks (space, tab, no-break space, ideographic space) and, when
 * sep, one name separator (、 or ·) too. */
static const char *skip_blank(const char *p, const char *e, int sep)
{
    for (;;) {
        if (p < e && (*p == ' ' || *p == '\t'))
            p++;
        else if (starts(p, e, "\xc2\xa0"))
            p += 2;
        else if (starts(p, e, "　") || (sep && starts(p, e, "、")))
            p += 3;
        else
            return p;
    }
}

/* Reads the names at p (after a 记者 label, or a whole bracket when
 * label is 0) up to e. Appends them to out; returns their number, or -1
 * when the text is not a credit: prose, a place only, a photographer's
 * credit (… 摄), or, when whole, anything left after the names but a
 * place's 报道 or an ender ("2:14" in "（林前2:14）"). */
static int read_names(const char *p, const char *e, int label, int whole, struct buf *out)
{
    int count = 0;
    p = skip_blank(p, e, 0);
    if (label && (starts(p, e, "：") || starts(p, e, ":")))
        p = skip_blank(p + (*p == ':' ? 1 : 3), e, 0);
    while (p < e && count < 8 && !at_ender(p, e)) {
        const char *q = p;
        size_t sn = byline_surname(q, e);
        int cps = 0;
        while (is_han(q, e) && !(cps > 0 && at_ender(q, e)) && cps < 6) {
            q += 3;
            cps++;
        }
        if (cps == 0)
            break;
        if (starts(q, e, "报道")) { /* "上海报道": a place */
            if (!count)
                return -1;
            p = e;
            break;
        }
        if ((!sn && !count) || cps < 2 || cps > (sn == 6 ? 4 : label ? 4 : 3) || (is_han(q, e) && !at_ender(q, e)))
            return count && !whole ? count : -1;
        if (starts(q, e, "摄") || starts(skip_blank(q, e, 0), e, "摄"))
            return -1;
        if (!label && outlet_end(q))
            return -1; /* "华商报", "金羊网": an outlet, not a person */
        if (count)
            buf_addc(out, ' ');
        buf_add(out, p, (size_t)(q - p));
        count++;
        const char *r = skip_blank(q, e, 1);
        p = r;
        if (r == q && is_han(q, e))
            break; /* glued to an ender: "罗科苏盈发自北京" */
    }
    if (whole && p < e && !at_ender(p, e))
        return -1;
    return count ? count : -1;
}

/* The label at p, when its prefix s..p is an outlet or nothing: at most
 * 12 characters, with no sentence punctuation; its end, or NULL. */
static const char *label_end(const char *s, const char *p, size_t len)
{
    size_t before = 0;
    for (const char *b = s; b < p; b++)
        if (((unsigned char)*b & 0xC0) != 0x80)
            before++;
    for (const char *b = s; b < p; b++)
        if (starts(b, p, "，") || starts(b, p, "。") || starts(b, p, "、") || *b == ',')
            return NULL;
    return before <= 12 ? p + len : NULL;
}

/* The 记者 label (the end of it), else a writer's (文/图, 撰文) or an
 * intern's or a correspondent's (实习生, 通讯员) when no reporter is named:
 * "本报实习生 刘国栋 周炜", "（文/图 刘玺东 易赛楠）"; not a photographer's (图/).
 * The first of each is taken. One pass over the characters, each matched by
 * its three bytes against the labels' first characters. */
static const char *find_label(const char *s, size_t n)
{
    static const char *const other[] = { "实习生", "通讯员", "通訊員", "文/图", "文／图", "图/文", "图文/", "文/",
                                         "文／", "撰文", NULL };
    const char *e = s + n, *oth = NULL;
    size_t oth_len = 0;
    int stop = 0;
    for (const char *p = s; !stop && p + 6 <= e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0xE5 || c > 0xE9)
            continue;
        uint32_t k = (uint32_t)c << 16 | (uint32_t)(unsigned char)p[1] << 8 | (unsigned char)p[2];
        switch (k) {
        case 0xE8AEB0: case 0xE8A898: /* 记 記 */
            if (starts(p + 3, e, "者")) {
                const char *r = label_end(s, p, 6);
                if (r)
                    return r;
                stop = 1; /* "…，记者了解到": no credit, but an earlier 实习生's */
            }
            break;
        case 0xE5AE9E: case 0xE9809A: case 0xE69687: case 0xE59BBE: case 0xE692B0: /* 实 通 文 图 撰 */
            for (int i = 0; !oth && other[i]; i++)
                if (starts(p, e, other[i])) {
                    oth = p;
                    oth_len = strlen(other[i]);
                }
            break;
        default:
            break;
        }
        p += 2; /* to the next character */
    }
    return oth ? label_end(s, oth, oth_len) : NULL;
}

/* A credit s[0..n) (the inside of a bracket, or a short line). */
static int credit(const char *s, size_t n, int bracket, struct buf *out)
{
    const char *lab = find_label(s, n);
    size_t mark = out->len;
    int k = lab ? read_names(lab, s + n, 1, bracket, out) : bracket ? read_names(s, s + n, 0, 1, out) : -1;
    if (k <= 0) {
        buf_truncate(out, mark);
        return 0;
    }
    return k;
}

/* The bracket that closes the line (its last non-blank character is ）
 * or ')') or opens it within its first 12 bytes ("本报讯（记者 …）") or
 * after a dateline within its first 72 ("新华社巴黎12月9日电（记者唐霁）"). */
static int bracket_credit(const char *s, size_t n, struct buf *out, size_t *at, int *bare)
{
    const char *e = s + n;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    const char *close = e - s >= 3 && memcmp(e - 3, "）", 3) == 0 ? e - 3 : e > s && e[-1] == ')' ? e - 1 : NULL;
    if (close) {
        const char *o = close;
        while (o > s && close - o < 90 && !starts(o, close, "（") && *o != '(')
            o--;
        if (starts(o, close, "（") || *o == '(') {
            const char *in = o + (*o == '(' ? 1 : 3);
            /* a bracket without a label: on a line of its own, or
             * closing a sentence ("…发展。（袁源）"), not "歌曲(王心凌)" */
            int alone = o == s, after_stop = o - s >= 3 && (starts(o - 3, o, "。") || starts(o - 3, o, "”") ||
                                                            starts(o - 3, o, "！") || starts(o - 3, o, "？"));
            int labelled = find_label(in, (size_t)(close - in)) != NULL;
            int k = labelled || alone || after_stop ? credit(in, (size_t)(close - in), 1, out) : 0;
            if (k) {
                *at = (size_t)(o - s);
                *bare = !labelled;
                return k;
            }
        }
    }
    /* the first bracket in the first 73 bytes */
    size_t lim = n < 73 ? n : 73, wide = n < 75 ? n : 75;
    const char *a = memchr(s, '(', lim), *w = find_bytes_cn(s, wide, "（");
    const char *o = a && (!w || a < w) ? a : w;
    if (o) {
        const char *d = o;
        while (d > s && d[-1] == ' ')
            d--;
        if (o - s > 12 && !(d - s >= 3 && (starts(d - 3, o, "电") || starts(d - 3, o, "讯"))))
            return 0; /* past the opening, only after a dateline: "新华社巴黎12月9日电（记者唐霁）" */
        const char *in = o + (*o == '(' ? 1 : 3), *c = in;
        while (c < s + n && c - in < 90 && !starts(c, s + n, "）") && *c != ')')
            c++;
        if (c < s + n && c - in < 90 && find_label(in, (size_t)(c - in))) {
            int k = credit(in, (size_t)(c - in), 1, out);
            if (k) {
                *at = (size_t)(o - s);
                return k;
            }
        }
    }
    return 0;
}

int byline_cn(const char *s, size_t n, size_t line_cps, struct buf *out, size_t *at, int *bare)
{
    *bare = 0;
    int k = bracket_credit(s, n, out, at, bare);
    if (!k && line_cps <= 40 && find_label(s, n)) {
        k = credit(s, n, 0, out);
        *at = 0;
    }
    if (out->err)
        return NA_ENOMEM;
    return k;
}

/* Words a line may hold alone that read as a family name and a given
 * name: buttons, sections, places (关注, 房产, 江苏 …). */
static const char *const not_names[] = { "关注", "关闭", "查看", "申请", "简介", "简体", "房产", "游戏", "党建",
                                         "文化", "文章", "文明", "金融", "黄金", "安全", "江苏", "吉林", "武汉",
                                         "成都", "高清", "高级", "方便", "周末", "曾经", "宁夏", "江西", "汤圆",
                                         "常见", "连载", "项目", "单位", "石油", "钱包", NULL };

int byline_name_line(const char *s, size_t n, struct buf *out)
{
    const char *e = s + n;
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        e--;
    for (int i = 0; not_names[i]; i++)
        if ((size_t)(e - s) == strlen(not_names[i]) && memcmp(s, not_names[i], (size_t)(e - s)) == 0)
            return 0;
    int k = read_names(s, e, 0, 1, out);
    if (out->err)
        return NA_ENOMEM;
    if (k <= 0) {
        buf_truncate(out, 0);
        return 0;
    }
    return k;
}
