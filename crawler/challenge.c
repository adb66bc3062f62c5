/* challenge.c — anti-bot answers recognised (challenge.h). Signs looked for,
 * in lower-cased copies of the head and the first CHALLENGE_SCAN body bytes:
 *   JS cookie   521 (or 503/200) + a script that writes document.cookie and
 *               reloads, little text: jiasule (__jsl_clearance, __jsluid),
 *               aliyun (acw_sc__v2), others
 *   JS shell    412/202/200 with almost no visible text and a script that is
 *               packed or escaped (eval, $_ts of Ruishu, \x escapes, _0x names)
 *   captcha     a captcha, slider or "human verification" page (words in the
 *               title, or anywhere on a page that is not 2xx)
 *   denied      a WAF block page (4xx/5xx, or 200 titled so) in Chinese or
 *               English: 网站防火墙, 安全狗, 云锁, 创宇盾, "Request blocked", …
 * Ordinary error pages (a 403 "Forbidden" of nginx, a 404) are not matched:
 * each rule needs words or script only challenge pages have. */
#include "crawler/challenge.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
    char *head, *body;   /* lower-cased ASCII, NUL-terminated */
    size_t nbody;
    size_t text;         /* visible characters outside tags and scripts (UTF-8 counted by byte) */
    size_t script;       /* bytes inside <script> elements */
    char title[512];
};

static char *lower_copy(const char *p, size_t n)
{
    char *o = na_malloc(n + 1); /* a scratch copy: without it, nothing is detected */
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        o[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c ? c : ' ';
    }
    o[n] = 0;
    return o;
}

static int has(const char *s, const char *w) { return s && strstr(s, w) != NULL; }

/* Visible text, script bytes and the title of the page. */
static void measure(struct page *pg)
{
    const char *b = pg->body;
    size_t i = 0, n = pg->nbody;
    while (i < n) {
        if (b[i] == '<') {
            if (strncmp(b + i, "<script", 7) == 0 || strncmp(b + i, "<style", 6) == 0) {
                int script = b[i + 1] == 's' && b[i + 2] == 'c';
                const char *end = strstr(b + i, script ? "</script" : "</style");
                const char *gt = strchr(b + i, '>');
                size_t stop = end ? (size_t)(end - b) : n;
                if (script && gt && (size_t)(gt - b) < stop)
                    pg->script += stop - (size_t)(gt - b) - 1;
                i = stop + 1;
                continue;
            }
            if (strncmp(b + i, "<title", 6) == 0) {
                const char *gt = strchr(b + i, '>');
                const char *end = gt ? strstr(gt, "</title") : NULL;
                if (gt && end && !pg->title[0]) {
                    size_t k = (size_t)(end - gt - 1);
                    if (k >= sizeof pg->title)
                        k = sizeof pg->title - 1;
                    memcpy(pg->title, gt + 1, k);
                    pg->title[k] = 0;
                }
            }
            const char *gt = strchr(b + i, '>');
            i = gt ? (size_t)(gt - b) + 1 : n;
            continue;
        }
        if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t')
            pg->text++;
        i++;
    }
}

/* A script that looks packed or escaped: eval of a string, Ruishu's $_ts,
 * many \x escapes, _0x names, or a line of 2,000 bytes without a space. */
static int obfuscated(const struct page *pg)
{
    const char *b = pg->body;
    if (has(b, "$_ts") || has(b, "eval(function(p,a,c,k,e") || has(b, "_0x"))
        return 1;
    size_t esc = 0;
    for (const char *p = b; (p = strstr(p, "\\x")); p += 2)
        if (++esc >= 50)
            return 1;
    size_t run = 0;
    for (size_t i = 0; i < pg->nbody; i++) {
        run = b[i] == ' ' || b[i] == '\n' ? 0 : run + 1;
        if (run >= 2000)
            return 1;
    }
    return has(b, "eval(") && pg->script > 2 * pg->text;
}

static const char *cookie_vendor(const struct page *pg)
{
    if (has(pg->body, "__jsl_clearance") || has(pg->head, "__jsluid") || has(pg->body, "__jsluid"))
        return "jiasule";
    if (has(pg->body, "acw_sc__v2") || has(pg->head, "acw_tc"))
        return "aliyun";
    if (has(pg->body, "challenge-platform") || has(pg->body, "cf-chl") || has(pg->head, "cf-ray"))
        return "cloudflare";
    if (has(pg->body, "$_ts"))
        return "ruishu";
    if (has(pg->body, "yunsuo") || has(pg->head, "yunsuo"))
        return "yunsuo";
    return NULL;
}

static const char *waf_vendor(const struct page *pg)
{
    static const struct { const char *sign, *vendor; } v[] = {
        { "safedog", "safedog" }, { "安全狗", "safedog" }, { "yunsuo", "yunsuo" }, { "云锁", "yunsuo" },
        { "创宇盾", "knownsec" }, { "yunaq", "knownsec" }, { "jiasule", "jiasule" }, { "加速乐", "jiasule" },
        { "aliyun", "aliyun" }, { "阿里云", "aliyun" }, { "waf.tencent", "tencent" }, { "腾讯云", "tencent" },
        { "yunjiasu", "baidu" }, { "百度云加速", "baidu" }, { "cloudflare", "cloudflare" },
        { "edgesuite", "akamai" }, { "akamai", "akamai" }, { "support id", "f5" }, { "360wzb", "360" },
        { "网站卫士", "360" }, { "d盾", "d_safe" }, { "huaweicloud", "huawei" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (has(pg->body, v[i].sign) || has(pg->head, v[i].sign))
            return v[i].vendor;
    return NULL;
}

static int any(const char *s, const char *const *words)
{
    for (; *words; words++)
        if (has(s, *words))
            return 1;
    return 0;
}

static const char *const captcha_words[] = {
    "captcha", "验证码", "滑动验证", "滑块验证", "人机验证", "安全验证", "geetest", "verify you are human",
    "are you a robot", "请完成验证", "拖动滑块", "访问验证", NULL,
};
static const char *const denied_words[] = {
    "访问被拦截", "访问已被拦截", "请求已被拦截", "已被拦截", "被阻断", "访问被拒绝", "拒绝访问", "非法访问",
    "网站防火墙", "web应用防火墙", "疑似黑客攻击", "不合法参数", "可能对网站造成安全威胁", "当前访问疑似",
    "安全拦截", "访问受限", "access denied", "request blocked", "requested url was rejected",
    "web application firewall", "your request has been blocked", "has been blocked", "blocked by",
    "security policy", "you have been blocked", "request rejected", NULL,
};

static enum challenge_kind classify(int status, struct page *pg, const char **vendor)
{
    const char *b = pg->body;
    int little_text = pg->text < 400;
    int ok = status >= 200 && status < 300;
    /* a page with text is looked at by its title only, unless its status is an error */
    int script = (little_text || status == 521) && has(b, "<script");
    int sets_cookie = script && has(b, "document.cookie");
    /* 1. a script that sets the clearance cookie and reloads */
    if (script && sets_cookie && little_text &&
        (status == 521 || status == 503 || status == 200 || status == 202 || status == 412 || status == 403)) {
        *vendor = cookie_vendor(pg);
        if (status == 521 || *vendor)
            return CHALLENGE_JS_COOKIE;
    }
    /* 2. a shell of obfuscated script */
    if (script && little_text && (status == 412 || status == 202 || status == 200 || status == 403) &&
        pg->script >= 512 && obfuscated(pg)) {
        *vendor = has(b, "$_ts") ? "ruishu" : cookie_vendor(pg);
        return CHALLENGE_JS_SHELL;
    }
    /* 3. a captcha */
    if (any(pg->title, captcha_words) || (!ok && status != 404 && any(b, captcha_words) && pg->text < 4000)) {
        *vendor = has(b, "geetest") ? "geetest" : waf_vendor(pg);
        return CHALLENGE_CAPTCHA;
    }
    /* 4. a firewall's block page */
    if ((!ok && status >= 400 && any(b, denied_words) && pg->text < 6000) || any(pg->title, denied_words)) {
        *vendor = waf_vendor(pg);
        return CHALLENGE_DENIED;
    }
    if (status == 521 && script && little_text) { /* a 521 that is all script: a challenge whatever it sets */
        *vendor = cookie_vendor(pg);
        return CHALLENGE_JS_COOKIE;
    }
    return CHALLENGE_NONE;
}

enum challenge_kind challenge_detect(int status, const char *head, size_t head_len, const char *body, size_t n,
                                     struct challenge *out)
{
    struct challenge c = { CHALLENGE_NONE, NULL };
    struct page pg;
    memset(&pg, 0, sizeof pg);
    if (n > CHALLENGE_SCAN)
        n = CHALLENGE_SCAN;
    /* a page of real size is an article or a listing, whatever it says */
    if (body && n && (status < 300 || status >= 400 || status == 202)) {
        pg.head = lower_copy(head ? head : "", head ? head_len : 0);
        pg.body = lower_copy(body, n);
        pg.nbody = n;
        if (pg.head && pg.body) {
            measure(&pg);
            c.kind = classify(status, &pg, &c.vendor);
        }
        free(pg.head);
        free(pg.body);
    }
    if (out)
        *out = c;
    return c.kind;
}

void challenge_describe(const struct challenge *c, char *out, size_t cap)
{
    const char *what = "an anti-bot page";
    switch (c->kind) {
    case CHALLENGE_JS_COOKIE: what = "answers with a JavaScript challenge"; break;
    case CHALLENGE_JS_SHELL: what = "answers with an obfuscated JavaScript challenge"; break;
    case CHALLENGE_CAPTCHA: what = "answers with a captcha"; break;
    case CHALLENGE_DENIED: what = "answers with a web application firewall's \"access denied\" page"; break;
    default: break;
    }
    const char *then = c->kind == CHALLENGE_DENIED
                           ? "articles cannot be fetched from here (try a proxy, or ask the site to allow the crawler)"
                           : "articles cannot be fetched without a browser";
    if (c->vendor)
        snprintf(out, cap, "%s (%s), %s", what, c->vendor, then);
    else
        snprintf(out, cap, "%s, %s", what, then);
}
