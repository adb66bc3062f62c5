/* test_challenge.c — anti-bot answers (crawler/challenge.h) on pages
 * written in the shapes they have in the wild: a jiasule 521 that sets
 * __jsl_clearance by script, a Ruishu-type 412 and a 202 shell of packed
 * script, an aliyun acw_sc__v2 200, captcha pages (Chinese and English),
 * WAF block pages (安全狗, 云锁, 创宇盾, "Request blocked", F5), and the
 * pages that must not match: an article, an article with a comment form's
 * 验证码, nginx's plain 403 and 404, a 503 "busy", a Cloudflare 521 "web
 * server is down" without script, an empty body. */
#include "tests/check.h"
#include "crawler/challenge.h"

#include <stdio.h>
#include <string.h>

static enum challenge_kind detect(int status, const char *head, const char *body, const char **vendor)
{
    struct challenge c;
    enum challenge_kind k = challenge_detect(status, head, head ? strlen(head) : 0, body, body ? strlen(body) : 0, &c);
    if (vendor)
        *vendor = c.vendor;
    return k;
}

/* A script of n bytes of packed code. */
static void packed(char *out, size_t cap, const char *start, size_t n)
{
    size_t k = (size_t)snprintf(out, cap, "%s", start);
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789_$";
    while (k + 1 < cap && k < n) {
        out[k] = alpha[(k * 7) % (sizeof alpha - 1)];
        k++;
    }
    out[k] = 0;
}

TEST(challenge_jiasule_521_sets_a_clearance_cookie)
{
    const char *head = "HTTP/1.1 521 \r\nServer: jsl\r\nSet-Cookie: __jsluid_h=0a1b2c3d; max-age=31536000; path=/\r\n\r\n";
    const char *body = "<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+"
                       "('a')+('n')+('c')+('e')+('=')+(-~[]+'')+'6'+'0'+'8'+'8'+'4'+'2'+'1'+'2'+'.'+'5'+'|0|'+"
                       "'Xk%2F3'+';max-age=3600;path=/';location.href=location.pathname+location.search</script>";
    const char *vendor = NULL;
    CHECK_EQ(detect(521, head, body, &vendor), CHALLENGE_JS_COOKIE);
    CHECK_STR(vendor, "jiasule");
    struct challenge c = { CHALLENGE_JS_COOKIE, "jiasule" };
    char msg[256];
    challenge_describe(&c, msg, sizeof msg);
    CHECK_STR(msg, "answers with a JavaScript challenge (jiasule), articles cannot be fetched without a browser");
    /* the same shape without a vendor's cookie is still a 521 challenge */
    CHECK_EQ(detect(521, "HTTP/1.1 521 \r\n\r\n", "<script>var x=1;document.cookie='a='+x;location.reload()</script>",
                    &vendor), CHALLENGE_JS_COOKIE);
    CHECK(vendor == NULL);
}

TEST(challenge_obfuscated_412_and_202_shells)
{
    static char script[8192], body[9000];
    packed(script, sizeof script, "$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;$_ts.cd=\"", 6000);
    snprintf(body, sizeof body,
             "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
             "<meta id=\"9DhefwqGPrzGxEp9hPaoag\" content=\"abc\"><script type=\"text/javascript\">%s\";</script>"
             "<script type=\"text/javascript\" r='m'></script></head><body></body></html>", script);
    const char *vendor = NULL;
    CHECK_EQ(detect(412, "HTTP/1.1 412 Precondition Failed\r\nSet-Cookie: FSSBBIl1UgzbN7N80S=abc\r\n\r\n", body, &vendor),
             CHALLENGE_JS_SHELL);
    CHECK_STR(vendor, "ruishu");
    CHECK_EQ(detect(202, "HTTP/1.1 202 Accepted\r\n\r\n", body, NULL), CHALLENGE_JS_SHELL);
    /* a packed eval shell without $_ts, \x escapes */
    static char esc[4000];
    size_t k = (size_t)snprintf(esc, sizeof esc, "<html><body><script>var _0xa=[");
    for (int i = 0; i < 200 && k + 20 < sizeof esc; i++)
        k += (size_t)snprintf(esc + k, sizeof esc - k, "'\\x%02x\\x41',", i);
    snprintf(esc + k, sizeof esc - k, "];eval(_0xa.join(''))</script></body></html>");
    CHECK_EQ(detect(202, NULL, esc, NULL), CHALLENGE_JS_SHELL);
}

TEST(challenge_aliyun_acw_sc_v2_on_a_200)
{
    static char body[4096];
    static char script[3000];
    packed(script, sizeof script, "var arg1='3F2A5C';", 2000);
    snprintf(body, sizeof body, "<html><script>%s;function setCookie(name,value){document.cookie=name+'='+value;}"
             "setCookie('acw_sc__v2', x);document.location.reload();</script></html>", script);
    const char *vendor = NULL;
    CHECK_EQ(detect(200, "HTTP/1.1 200 OK\r\nSet-Cookie: acw_tc=76b20f; path=/\r\n\r\n", body, &vendor),
             CHALLENGE_JS_COOKIE);
    CHECK_STR(vendor, "aliyun");
}

TEST(challenge_captcha_pages)
{
    const char *vendor = NULL;
    CHECK_EQ(detect(200, NULL, "<html><head><title>安全验证</title></head><body><div id=\"captcha\">请拖动滑块完成验证"
                               "</div><script src=\"https://static.geetest.com/static/js/gt.0.4.9.js\"></script>"
                               "</body></html>", &vendor), CHALLENGE_CAPTCHA);
    CHECK_STR(vendor, "geetest");
    CHECK_EQ(detect(405, NULL, "<html><body><form><p>访问过于频繁，请输入验证码：</p><img src=\"/vcode.jpg\">"
                               "<input name=\"code\"></form></body></html>", NULL), CHALLENGE_CAPTCHA);
    CHECK_EQ(detect(403, NULL, "<html><head><title>Attention Required</title></head><body><h1>Please verify you are "
                               "human</h1><div class=\"g-recaptcha\"></div></body></html>", NULL), CHALLENGE_CAPTCHA);
}

TEST(challenge_waf_access_denied_in_chinese_and_english)
{
    const char *vendor = NULL;
    CHECK_EQ(detect(403, NULL, "<html><head><title>网站防火墙</title></head><body><p>您的请求带有不合法参数，已被网站管理员设置拦截！"
                               "</p><p>可能原因：您提交的内容包含危险的攻击请求</p><a href=\"http://www.safedog.cn\">网站安全狗"
                               "</a></body></html>", &vendor), CHALLENGE_DENIED);
    CHECK_STR(vendor, "safedog");
    CHECK_EQ(detect(403, NULL, "<html><body><h2>当前访问疑似黑客攻击，已被网站管理员设置为拦截</h2><p>云锁</p></body></html>",
                    &vendor), CHALLENGE_DENIED);
    CHECK_STR(vendor, "yunsuo");
    CHECK_EQ(detect(468, NULL, "<html><body>创宇盾 您的访问被阻断</body></html>", &vendor), CHALLENGE_DENIED);
    CHECK_STR(vendor, "knownsec");
    CHECK_EQ(detect(200, NULL, "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
                               "Please consult with your administrator.<br><br>Your support ID is: 1234567890</body></html>",
                    &vendor), CHALLENGE_DENIED);
    CHECK_STR(vendor, "f5");
    CHECK_EQ(detect(403, NULL, "<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY><H1>Access Denied</H1>You don't "
                               "have permission to access \"http://www.example.gov.cn/\" on this server.<P>Reference "
                               "#18.6f2d3e17.1700000000.1a2b3c</BODY></HTML>", NULL), CHALLENGE_DENIED);
    CHECK_EQ(detect(406, NULL, "<html><body><h1>Request blocked</h1><p>Web Application Firewall</p></body></html>", NULL),
             CHALLENGE_DENIED);
}

TEST(challenge_ordinary_pages_do_not_match)
{
    static char article[20000];
    size_t k = (size_t)snprintf(article, sizeof article, "<html><head><title>项目签约仪式举行</title><script>var _hmt=_hmt||[];"
                                "document.cookie='visited=1';</script></head><body><div class=\"content\">");
    while (k + 200 < sizeof article)
        k += (size_t)snprintf(article + k, sizeof article - k, "<p>本次签约的项目总投资约十亿元，主要建设智能制造生产线。</p>");
    snprintf(article + k, sizeof article - k, "</div></body></html>");
    CHECK_EQ(detect(200, NULL, article, NULL), CHALLENGE_NONE);
    /* an article with a comment form asking for a 验证码 */
    static char commented[21000];
    snprintf(commented, sizeof commented, "%s<form><label>验证码</label><input name=\"captcha\"></form>", article);
    CHECK_EQ(detect(200, NULL, commented, NULL), CHALLENGE_NONE);
    CHECK_EQ(detect(403, NULL, "<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1>"
                               "</center><hr><center>nginx</center></body></html>", NULL), CHALLENGE_NONE);
    CHECK_EQ(detect(404, NULL, "<html><body><h1>404 Not Found</h1><p>页面不存在</p></body></html>", NULL), CHALLENGE_NONE);
    CHECK_EQ(detect(503, NULL, "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", NULL),
             CHALLENGE_NONE);
    CHECK_EQ(detect(521, "HTTP/1.1 521 \r\nServer: cloudflare\r\n\r\n",
                    "<html><head><title>example.com | 521: Web server is down</title></head><body><h1>Web server "
                    "is down</h1><p>The web server is not returning a connection.</p></body></html>", NULL),
             CHALLENGE_NONE);
    CHECK_EQ(detect(200, NULL, "", NULL), CHALLENGE_NONE);
    CHECK_EQ(detect(200, NULL, NULL, NULL), CHALLENGE_NONE);
    /* a redirect's body is not looked at */
    CHECK_EQ(detect(302, NULL, "<script>document.cookie='a=1';location.reload()</script>", NULL), CHALLENGE_NONE);
}
