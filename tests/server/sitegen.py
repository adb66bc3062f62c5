#!/usr/bin/env python3
"""sitegen.py — deterministic (seeded) generator of regional industry-news sites
in the seed page's image (/work/shared/seed): Z-Blog, WordPress and
government-CMS (TRS) templates with the seed's boilerplate (breadcrumb, meta
line, contact block, 扫一扫关注公众号, 版权声明, share bar, 上一篇/下一篇, 相关文章 with
long teasers, sidebar, footer), listing pages, robots.txt, sitemap, RSS, and a
ground-truth JSON per host. Served by fixture_server.py. Stdlib only.

  sitegen.py --preset demo|test|cms|cms-dates|promo|syndication --out DIR [--seed N] [--now YYYY-MM-DD[THH:MM]]
  sitegen.py --spec SPEC.json --out DIR

DIR gets: manifest.json (hosts and how to serve them), HOST/... (the files;
mtime = Last-Modified), HOST.truth.json, sites.conf.in (one [site] section per
host, @PORT@ where the port goes). Pages hold the token @ORIGIN@ where an
absolute URL starts; the server replaces it with http://HOST:PORT.

Truth (HOST.truth.json): "articles" maps a path (URL = http://HOST:PORT + path)
to title, published (ISO 8601, +08:00), published_display (as shown),
published_relative, author, category, views, source, paragraphs (body text,
one per paragraph, bold section headings included, whitespace trimmed),
headings, captions (figure captions, not in paragraphs), with the spec's
"images" (WordPress) also images (the URLs of the article's own pictures, in
every form a portal writes them: src, data-src, data-original, srcset)
and images_not (image URL -> why a crawl must not archive it: boilerplate,
off-scope, robots.txt, too big, not an image); "expected" lists the
paths a correct crawl archives, "not_expected" the linked article-like paths
it must not archive, with the reason."""

import argparse
import datetime as dt
import email.utils
import html
import json
import os
import random
import re
import struct
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zhtext  # noqa: E402

GEN_VERSION = 3
TZ = dt.timezone(dt.timedelta(hours=8))
O = "@ORIGIN@"
HERE = os.path.dirname(os.path.abspath(__file__))
esc = html.escape


def iso(d):
    return d.strftime("%Y-%m-%dT%H:%M:%S+08:00")


def rfc822(d):
    return email.utils.format_datetime(d)


def relative_zh(d, now):
    """How a Z-Blog theme shows a date: 5小时前, 3天前 (03-28), 9个月前 (09-30),
    or the full date after a year."""
    s = (now - d).total_seconds()
    md = "(%02d-%02d)" % (d.month, d.day)
    if s < 3600:
        return "%d分钟前" % max(1, s // 60)
    if s < 86400:
        return "%d小时前" % (s // 3600)
    days = int(s // 86400)
    if days < 7:
        return "%d天前 %s" % (days, md)
    if days < 30:
        return "%d周前 %s" % (days // 7, md)
    if days < 365:
        return "%d个月前 %s" % (max(1, days // 30), md)
    return d.strftime("%Y-%m-%d")


def ere_escape(s):
    """Escapes s for a POSIX extended regex (the crawler uses regcomp)."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", s)


def clean(t):
    return t.strip(" \t\r\n\u3000\u00a0")


class Article:
    __slots__ = ("id", "path", "title", "date", "author", "cat", "views", "source", "body", "tags",
                 "story", "disallowed")

    def paragraphs(self):
        return [clean(t) for k, t in self.body if k in ("p", "h")]

    def excerpt(self, n):
        t = self.body[0][1]
        return t[:n] + ("..." if len(t) > n else "")


class Category:
    def __init__(self, cid, name, slug):
        self.id, self.name, self.slug = cid, name, slug
        self.articles = []   # newest first


# ---------------------------------------------------------------------------
# Shared page pieces

STATS_JS = ('<script>\nvar _hmt = _hmt || [];\n(function() {\n  var hm = document.createElement("script");\n'
            '  hm.src = "https://hm.baidu.com/hm.js?%s";\n  var s = document.getElementsByTagName("script")[0];\n'
            '  s.parentNode.insertBefore(hm, s);\n})();\n</script>')

SHARE_LINKS = [("weibo", "新浪微博", "http://service.weibo.com/share/share.php?url="),
               ("qzone", "QQ空间", "https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey?url="),
               ("weixin", "微信", "javascript:;"), ("douban", "豆瓣", "https://www.douban.com/share/service?href=")]


def promo_paragraphs(site, a):
    """The "promo" spec: the site's own self-advert, disclaimer or contact
    block that ends every article body as plain paragraphs, in slightly
    varying words and numbers (site-level boilerplate that reads like prose,
    issue 16 class 1). [] without it, so that other presets stay as they were."""
    if not site.spec.get("promo"):
        return []
    r = random.Random("%s:promo:%d" % (site.seed, a.id))
    t = site.spec["template"]
    if t == "zblog":
        out = ["【%s】专注%s产业招商、厂房土地租售，免费提供选址、政策咨询服务。%s：400 %04d %03d，%s。" % (
            site.name, site.city, r.choice(["招商热线", "咨询电话", "联系电话"]), r.randrange(10000), r.randrange(1000),
            r.choice(["欢迎来电洽谈", "欢迎垂询", "期待您的来电"]))]
        if r.random() < 0.8:
            out.append("免责声明：本文信息来源于网络及企业提供，仅供参考，%s。" % r.choice(["不构成任何投资建议", "不作为投资决策依据"]))
    elif t == "wordpress":
        out = ["本网声明：本文由%s%s发布，转载请注明来源。文中观点仅代表作者本人，不代表本网立场。" % (site.name, r.choice(["整理", "编辑"])),
               "投稿及合作请联系：%s%s %s，邮箱：tougao%d@%s" % (
                   site.contact, r.choice(["先生", "女士", "经理"]), "1%d%08d" % (r.choice([33, 35, 38]), r.randrange(10 ** 8)),
                   r.randrange(100), site.host)]
    else:
        out = ["（来源：%s%s，联系电话：%s-%08d，%d年%d月%d日）" % (
            site.district, r.choice(["投资促进局", "投促局"]), site.area_code, r.randrange(10 ** 8), a.date.year,
            a.date.month, a.date.day),
               "欢迎关注“%s”微信公众号，获取%s招商引资政策与项目信息。" % (site.name, r.choice(["最新", "更多"]))]
    return out


def promo_html(site, a, fmt="<p>%s</p>"):
    return "".join("\n" + fmt % esc(p) for p in promo_paragraphs(site, a))


def share_bar(label, url, cls="share", icon=None):
    items = []
    for key, name, base in SHARE_LINKS:
        href = base if base.startswith("javascript") else base + url
        img = '<img src="%s" alt="" />' % (icon % key) if icon else ""
        items.append('<a class="share-%s" href="%s" target="_blank" title="分享到%s">%s%s</a>' % (key, esc(href), name, img, name))
    return '<div class="%s"><span>%s</span>%s</div>' % (cls, label, "".join(items))


def teaser(a, n=150):
    """The related-list teaser: the start of the article's own text, as the seed shows."""
    ps = [clean(t) for k, t in a.body if k == "p"][:3]
    t = "  " + "   ".join(ps)
    return t[:n] + "..."


# ---------------------------------------------------------------------------
# Images (spec "images"): real PNG files, a colour per path, so that each
# image's bytes are its own; the big one is over the tests' size cap.

IMG_BLANK = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
IMG_BIG = 300 * 1024     # bytes of the oversized image (tests cap images at 100K)
IMG_CDN = "http://img-cdn.newsarc.test:@PORT@"   # another host: in scope through requisites_hosts
IMG_OFF = "http://offscope.newsarc.test:@PORT@"  # never in scope


def png_file(path, size=0):
    """A small PNG in one colour derived from path; with size, padded with a
    private ancillary chunk to about that many bytes."""
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    h = zlib.crc32(path.encode())
    w, hh = 24, 16
    raw = b"".join(b"\x00" + bytes((h & 255, (h >> 8) & 255, (h >> 16) & 255)) * w for _ in range(hh))
    pad = chunk(b"naPd", random.Random(path).randbytes(size)) if size else b""
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, hh, 8, 2, 0, 0, 0)) + pad +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# ---------------------------------------------------------------------------
# Templates. Each knows its URL scheme and renders article, listing, home,
# feed, sitemap pages as str (the writer encodes to the site's charset).

class Template:
    name = "?"
    absolute = True           # links start with @ORIGIN@ (else relative)
    relative_dates = False

    def __init__(self, site):
        self.site = site

    def link(self, path):
        return O + path if self.absolute else path

    def related(self, a, k=8):
        s = self.site
        rng = random.Random("%s:rel:%s" % (s.seed, a.id))
        same = [x for x in s.cats[a.cat].articles if x is not a]
        pool = same if len(same) >= k else [x for x in s.articles if x is not a]
        return rng.sample(pool, min(k, len(pool)))

    def hot(self, k=8):
        if getattr(self, "_hot", None) is None:
            self._hot = sorted(self.site.articles, key=lambda x: -x.views)
        return self._hot[:k]

    def latest(self, k=8):
        return self.site.articles[:k]

    def prev_next(self, a):
        arts = self.site.articles    # newest first
        if getattr(self, "_pos", None) is None:
            self._pos = {id(x): i for i, x in enumerate(arts)}
        i = self._pos.get(id(a))
        if i is None:
            return None, None
        older = arts[i + 1] if i + 1 < len(arts) else None
        newer = arts[i - 1] if i > 0 else None
        return older, newer

    def pages(self, cat):
        per = self.site.per_page
        return max(1, (len(cat.articles) + per - 1) // per)

    def page_items(self, cat, n):
        per = self.site.per_page
        return cat.articles[(n - 1) * per:n * per]

    def feed(self):
        return None

    def sitemaps(self):
        return {}

    def extra(self):
        return {}

    def date_display(self, d):
        return d.strftime("%Y-%m-%d")


ZBLOG_CSS = """*{margin:0;padding:0}body{font:14px/1.8 "Microsoft YaHei",Arial;color:#333;background:#f4f4f4}
a{color:#333;text-decoration:none}a:hover{color:#c00}.wrap{width:1200px;margin:0 auto}
.header{background:#fff;border-bottom:2px solid #1e6fb8}.logo{float:left;height:80px}
.head-nav li{float:left;padding:0 18px;line-height:46px}.main{overflow:hidden;margin-top:15px}
.content{float:left;width:860px;background:#fff;padding:20px}.sidebar{float:right;width:320px}
.post-title{font-size:24px;text-align:center}.post-meta{color:#999;text-align:center;margin:10px 0}
.post-meta span{margin:0 8px}.post-body p{margin-bottom:15px;text-indent:2em}
.post-ad{border:1px dashed #f60;padding:10px;margin:15px 0;color:#f60}.footer{text-align:center;color:#999}"""


class ZBlog(Template):
    """Z-BlogPHP with a tpure-like theme, as the seed page's site runs."""
    name = "zblog"
    relative_dates = True

    def article_path(self, a):
        return "/post/%d.html" % a.id

    def listing_path(self, cat, n):
        return "/category-%d.html" % cat.id if n == 1 else "/category-%d_%d.html" % (cat.id, n)

    def article_regex(self):
        return r"/post/[0-9]+\.html$"

    def date_display(self, d):
        return relative_zh(d, self.site.now) if self.site.relative_dates else d.strftime("%Y-%m-%d %H:%M")

    def head(self, title, desc, keywords):
        s = self.site
        return """<!DOCTYPE html>
<html xml:lang="zh-CN" lang="zh-CN">
<head>
<meta charset="%s" />
<meta http-equiv="X-UA-Compatible" content="IE=edge" />
<meta name="renderer" content="webkit" />
<title>%s</title>
<meta name="keywords" content="%s" />
<meta name="description" content="%s" />
<meta name="generator" content="Z-BlogPHP 1.7.3" />
<link rel="stylesheet" rev="stylesheet" href="%s/zb_users/theme/tpure/style/style.css?v=5.2" type="text/css" media="all" />
<link rel="alternate" type="application/rss+xml" href="%s/feed.php" title="%s" />
<script src="%s/zb_system/script/jquery-2.2.4.min.js"></script>
<script src="%s/zb_system/script/zblogphp.js"></script>
<script src="%s/zb_system/script/c_html_js_add.php"></script>
<style type="text/css">%s</style>
</head>
""" % (s.charset_label, esc(title), esc(keywords), esc(desc), O, O, esc(s.name), O, O, O, ZBLOG_CSS)

    def header(self):
        s = self.site
        nav = "".join('<li class="navbar-item"><a href="%s%s" title="%s">%s</a></li>' % (
            O, self.listing_path(c, 1), esc(c.name), esc(c.name)) for c in s.cats)
        return """<div class="header"><div class="wrap">
<div class="logo"><a href="%s/" title="%s"><img src="%s/zb_users/upload/2021/03/logo.png" alt="%s" /></a></div>
<div class="head-tel">招商热线：<b>%s</b></div>
<div class="head-nav"><ul><li class="navbar-item"><a href="%s/" title="首页">首页</a></li>%s<li class="navbar-item"><a href="%s/about.html">关于我们</a></li></ul></div>
<div class="search"><form method="post" action="%s/zb_system/cmd.php?act=search"><input type="text" name="q" placeholder="输入关键词搜索" /><button type="submit">搜索</button></form></div>
</div></div>
""" % (O, esc(s.name), O, esc(s.name), s.phone, O, nav, O, O)

    def sidebar(self):
        hot = "".join('<li><a href="%s%s?from=hot" title="%s">%s</a></li>' % (
            O, self.article_path(x), esc(x.title), esc(x.title)) for x in self.hot())
        new = "".join('<li><a href="%s%s" title="%s">%s</a><span>%s</span></li>' % (
            O, self.article_path(x), esc(x.title), esc(x.title), x.date.strftime("%m-%d")) for x in self.latest())
        tags = "".join('<a href="%s/tags-%d.html">%s</a> ' % (O, i + 1, t) for i, t in enumerate(self.site.tags[:12]))
        return """<div class="sidebar">
<div class="widget"><h3>热门文章</h3><ul class="hot">%s</ul></div>
<div class="widget"><h3>最新文章</h3><ul class="new">%s</ul></div>
<div class="widget"><h3>标签列表</h3><div class="tags">%s</div></div>
<div class="widget"><h3>联系我们</h3><p>招商热线：%s</p><p>微信/手机：%s</p><p>地址：%s%s</p></div>
</div>
""" % (hot, new, tags, self.site.phone, self.site.mobile, self.site.city, "开发区管委会东侧")

    def footer(self):
        s = self.site
        return """<div class="footer"><div class="wrap">
<p><a href="%s/about.html">关于我们</a> | <a href="%s/contact.html">联系我们</a> | <a href="%s/sitemap.xml">网站地图</a> | <a href="%s/admin/">管理登录</a></p>
<p>Copyright &copy; 2015-%d %s 版权所有 <a href="https://beian.miit.gov.cn/" rel="nofollow" target="_blank">%s</a> Powered By Z-BlogPHP</p>
</div></div>
%s
<script>$(function(){ $(".post-body img").each(function(){ $(this).attr("loading","lazy"); }); });</script>
</body>
</html>
""" % (O, O, O, O, s.now.year, esc(s.name), s.icp, STATS_JS % s.stats_id)

    def body_html(self, a):
        out = []
        for k, t in a.body:
            if k == "p":
                out.append("<p>&nbsp;&nbsp;%s</p>" % esc(t))
            elif k == "h":
                out.append("<p><strong>%s</strong></p>" % esc(t))
            else:
                out.append('<p style="text-align: center;"><img src="%s/zb_users/upload/%d/%02d/%d%02d.jpg" alt="%s" /></p>' % (
                    O, a.date.year, a.date.month, a.id, len(out), esc(a.title)))
                if t:
                    out.append('<p style="text-align: center;">%s</p>' % esc(t))
        return "\n".join(out)

    def render_article(self, a):
        s = self.site
        cat = s.cats[a.cat]
        older, newer = self.prev_next(a)
        rel = "".join("""<li><a class="pic" href="%s%s" title="%s"><span class="pic-title">%s</span><img src="%s/zb_users/theme/tpure/style/images/thumb.png" alt="" /></a>
<h4><a href="%s%s" title="%s">%s</a></h4><p class="intro">%s</p></li>
""" % (O, self.article_path(x), esc(x.title), esc(x.title), O, O, self.article_path(x), esc(x.title), esc(x.title),
       esc(teaser(x))) for x in self.related(a))
        nav = '<div class="post-nav">'
        nav += ('<div class="prev">上一篇：<a href="%s%s" title="%s">%s</a></div>' % (O, self.article_path(older), esc(older.title), esc(older.title))
                if older else '<div class="prev">上一篇：没有了</div>')
        nav += ('<div class="next">下一篇：<a href="%s%s" title="%s">%s</a></div>' % (O, self.article_path(newer), esc(newer.title), esc(newer.title))
                if newer else '<div class="next">下一篇：没有了</div>')
        nav += "</div>"
        page = self.head("%s_%s_%s" % (a.title, cat.name, s.name), a.excerpt(100), ",".join(a.tags))
        page += '<body class="single">\n<div class="wrapper">\n' + self.header()
        page += """<div class="main"><div class="wrap">
<div class="content">
<div class="breadcrumb">当前位置：<a href="%s/">首页</a> &gt; <a href="%s%s">%s</a> &gt; 正文内容</div>
<div class="post" id="post-%d">
<h1 class="post-title">%s</h1>
<div class="post-meta"><span class="author">%s</span><span class="date">%s</span><span class="cate"><a href="%s%s">%s</a></span><span class="view">%d</span></div>
<div class="post-body" id="content">
%s
</div>
<div class="post-ad">
<p><img src="%s/zb_users/upload/wx-%s.jpg" alt="微信" /></p>
<p>%s微信号</p>
<p>产业招商/厂房土地租售：%s</p>
<p>或微信/手机：%s&nbsp;</p>
<p>请说明您的需求、用途、税收、公司、联系人、手机号，以便快速帮您对接资源。&nbsp;</p>
<p>长按/扫一扫加%s的微信号</p>
</div>
<div class="post-qr"><img src="%s/zb_users/upload/qrcode.jpg" alt="" /><p>扫一扫关注公众号</p></div>
<div class="copyright"><p>版权声明：本文由%s发布，如需转载请注明出处。部份内容收集于网络，如有不妥之处请联系我们删除 %s 或 %s</p></div>
%s
<div class="post-tags">标签：%s</div>
%s
</div>
<div class="related"><h3>相关文章</h3><ul>
%s</ul></div>
<div class="comment"><h3>发表评论</h3><form id="frmSumbit" method="post" action="%s/zb_system/cmd.php?act=cmt&amp;postid=%d&amp;key=x">
<p><input type="text" name="inpName" id="inpName" value="" /> 名称(*)</p><p><input type="text" name="inpEmail" id="inpEmail" value="" /> 邮箱</p>
<p><textarea name="txaArticle" id="txaArticle" cols="50" rows="4"></textarea></p><p><input type="submit" value="提交" /></p></form>
<p class="nocomment">◎欢迎参与讨论，请在这里发表您的看法、交流您的观点。</p></div>
</div>
""" % (O, O, self.listing_path(cat, 1), esc(cat.name), a.id, esc(a.title), esc(a.author), self.date_display(a.date),
       O, self.listing_path(cat, 1), esc(cat.name), a.views, self.body_html(a) + promo_html(s, a, "<p>&nbsp;&nbsp;%s</p>"),
       O, s.contact_py, s.contact, s.phone, s.mobile, s.contact, O, esc(s.name), s.phone.replace(" ", "-"), s.mobile,
       share_bar("分享给朋友：", "%s%s" % (O, self.article_path(a))),
       " ".join('<a href="%s/tags-%d.html">%s</a>' % (O, s.tags.index(t) + 1, t) for t in a.tags), nav, rel,
       O, a.id)
        page += self.sidebar() + "</div></div>\n" + self.footer()
        return page

    def pagebar(self, cat, n):
        np_ = self.pages(cat)
        out = ['<div class="pagebar">']
        if n > 1:
            out.append('<a href="%s%s">首页</a> <a href="%s%s">上一页</a>' % (O, self.listing_path(cat, 1), O, self.listing_path(cat, n - 1)))
        for i in range(max(1, n - 3), min(np_, n + 3) + 1):
            out.append('<span class="now-page">%d</span>' % i if i == n else '<a href="%s%s">%d</a>' % (O, self.listing_path(cat, i), i))
        if n < np_:
            out.append('<a href="%s%s">下一页</a> <a href="%s%s">尾页</a>' % (O, self.listing_path(cat, n + 1), O, self.listing_path(cat, np_)))
        out.append("</div>")
        return " ".join(out)

    def item(self, x):
        return """<div class="item">
<div class="item-img"><a href="%s%s" title="%s"><img src="%s/zb_users/theme/tpure/style/images/thumb.png" alt="%s" /></a></div>
<h2><a href="%s%s" title="%s">%s</a></h2>
<div class="item-info"><span class="date">%s</span><span class="cate">%s</span><span class="view">%d</span></div>
<p class="intro">%s</p>
</div>
""" % (O, self.article_path(x), esc(x.title), O, esc(x.title), O, self.article_path(x), esc(x.title), esc(x.title),
       self.date_display(x.date), esc(self.site.cats[x.cat].name), x.views, esc(x.excerpt(90)))

    def render_listing(self, cat, n):
        s = self.site
        title = cat.name if n == 1 else "%s_第%d页" % (cat.name, n)
        page = self.head("%s_%s" % (title, s.name), "%s栏目，%s" % (cat.name, s.tagline), cat.name)
        page += '<body class="multi">\n<div class="wrapper">\n' + self.header()
        page += """<div class="main"><div class="wrap">
<div class="content">
<div class="breadcrumb">当前位置：<a href="%s/">首页</a> &gt; %s</div>
<div class="list">
%s</div>
%s
</div>
""" % (O, esc(cat.name), "".join(self.item(x) for x in self.page_items(cat, n)), self.pagebar(cat, n))
        page += self.sidebar() + "</div></div>\n" + self.footer()
        return page

    def render_home(self):
        s = self.site
        page = self.head("%s - %s" % (s.name, s.tagline), s.tagline, "厂房,土地,招商")
        page += '<body class="index">\n<div class="wrapper">\n' + self.header()
        page += '<div class="main"><div class="wrap">\n<div class="content">\n<div class="list">\n%s</div>\n</div>\n' % (
            "".join(self.item(x) for x in s.articles[:12]))
        page += self.sidebar() + "</div></div>\n" + self.footer()
        return page

    def feed(self):
        s = self.site
        items = "".join("""<item><title>%s</title><author>%s</author><link>%s%s</link><pubDate>%s</pubDate><guid>%s%s</guid><description><![CDATA[%s]]></description><category>%s</category></item>
""" % (esc(x.title), esc(x.author), O, self.article_path(x), rfc822(x.date), O, self.article_path(x), x.excerpt(200),
       esc(s.cats[x.cat].name)) for x in s.articles[:20])
        xml = """<?xml version="1.0" encoding="%s"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>%s</title><link>%s/</link><description>%s</description><generator>Z-BlogPHP 1.7.3</generator><language>zh-CN</language>
%s</channel>
</rss>
""" % (s.charset_label, esc(s.name), O, esc(s.tagline), items)
        return "/feed.php", xml, "application/rss+xml"

    def sitemaps(self):
        s = self.site
        urls = ["<url><loc>%s/</loc><changefreq>daily</changefreq></url>" % O]
        urls += ["<url><loc>%s%s</loc><changefreq>daily</changefreq></url>" % (O, self.listing_path(c, 1)) for c in s.cats]
        urls += ["<url><loc>%s%s</loc><lastmod>%s</lastmod></url>" % (O, self.article_path(x), x.date.strftime("%Y-%m-%d"))
                 for x in s.articles]
        return {"/sitemap.xml": '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n%s\n</urlset>\n' % "\n".join(urls)}

    def extra(self):
        s = self.site
        about = self.head("关于我们_%s" % s.name, s.tagline, "关于我们") + '<body class="single">\n<div class="wrapper">\n' + self.header()
        about += '<div class="main"><div class="wrap"><div class="content"><h1>关于我们</h1><p>%s专注于%s产业招商、厂房土地租售信息服务，招商热线：%s。</p></div>\n' % (
            esc(s.name), s.city, s.phone)
        about += self.sidebar() + "</div></div>\n" + self.footer()
        return {"/about.html": about}

    def robots_disallow(self):
        return ["/admin/", "/zb_system/", "/zb_users/plugin/", "/search.php"]


WP_CSS = """body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif}
.site-header{background:#0b3d91;color:#fff}.main-navigation ul{list-style:none;display:flex}
.content-area{float:left;width:70%}.widget-area{float:right;width:28%}.entry-title{font-size:1.8em}
.entry-meta{color:#777;font-size:.9em}.entry-meta span{margin-right:1em}.contact-box{background:#fff7e6;border:1px solid #ffd591;padding:1em}
.yarpp-related li{margin-bottom:1em}.nav-links{display:flex;justify-content:space-between}"""


class WordPress(Template):
    """WordPress 6 with a _s-based theme, YARPP related posts, a contact box
    plugin that injects itself inside .entry-content (a hard case)."""
    name = "wordpress"

    def article_path(self, a):
        return "/%d/%02d/%d.html" % (a.date.year, a.date.month, a.id)

    def listing_path(self, cat, n):
        return "/category/%s/" % cat.slug if n == 1 else "/category/%s/page/%d/" % (cat.slug, n)

    def article_regex(self):
        return r"/20[0-9]{2}/[0-9]{2}/[0-9]+\.html$"

    def date_display(self, d):
        return "%d年%d月%d日" % (d.year, d.month, d.day)

    def head(self, title, canonical, extra=""):
        s = self.site
        return """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>%s</title>
<meta name='robots' content='max-image-preview:large' />
<link rel="alternate" type="application/rss+xml" title="%s &raquo; Feed" href="%s/feed/" />
<script>
window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/14.0.0\\/72x72\\/","ext":".png","source":{"concatemoji":"%s\\/wp-includes\\/js\\/wp-emoji-release.min.js?ver=6.4.2"}};
/*! This file is auto-generated */
!function(i,n){var o,s,e;function c(e){try{var t={supportTests:e,timestamp:(new Date).valueOf()};sessionStorage.setItem(o,JSON.stringify(t))}catch(e){}}}(window,document);
</script>
<style id='wp-block-library-inline-css'>
%s
</style>
<link rel='stylesheet' id='theme-style-css' href='%s/wp-content/themes/zixun/style.css?ver=1.2.0' media='all' />
<link rel="canonical" href="%s" />
%s</head>
""" % (esc(title), esc(s.name), O, O.replace("/", "\\/"), WP_CSS, O, canonical, extra)

    def header(self):
        s = self.site
        nav = "".join('<li class="menu-item menu-item-type-taxonomy"><a href="%s%s">%s</a></li>' % (
            O, self.listing_path(c, 1), esc(c.name)) for c in s.cats)
        return """<div id="page" class="site">
<a class="skip-link screen-reader-text" href="#primary">跳至内容</a>
<header id="masthead" class="site-header">
<div class="site-branding">%s<p class="site-title"><a href="%s/" rel="home">%s</a></p><p class="site-description">%s</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">菜单</button>
<ul id="primary-menu" class="menu"><li class="menu-item menu-item-home"><a href="%s/">首页</a></li>%s<li class="menu-item"><a href="%s/about/">关于我们</a></li></ul></nav>
</header>
""" % (('<a href="%s/" class="custom-logo-link" rel="home"><img src="%s/wp-content/uploads/logo.png" class="custom-logo" alt="%s" /></a>' % (
            O, O, esc(s.name))) if s.spec["images"] else "", O, esc(s.name), esc(s.tagline), O, nav, O)

    def sidebar(self):
        recent = "".join('<li><a href="%s%s">%s</a></li>' % (O, self.article_path(x), esc(x.title)) for x in self.latest())
        hot = "".join('<li><a href="%s%s" title="%s">%s</a> <span class="post-views">(%d)</span></li>' % (
            O, self.article_path(x), esc(x.title), esc(x.title), x.views) for x in self.hot())
        return """<aside id="secondary" class="widget-area">
<section id="search-2" class="widget widget_search"><form role="search" method="get" class="search-form" action="%s/"><label><span class="screen-reader-text">搜索：</span><input type="search" class="search-field" placeholder="搜索&hellip;" value="" name="s" /></label><input type="submit" class="search-submit" value="搜索" /></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">近期文章</h2><ul>%s</ul></section>
<section id="views-2" class="widget widget_views"><h2 class="widget-title">热门文章</h2><ul>%s</ul></section>
<section id="text-3" class="widget widget_text"><h2 class="widget-title">商务合作</h2><div class="textwidget"><p>项目对接：%s</p><p>邮箱：bd@%s</p></div></section>
</aside>
""" % (O, recent, hot, self.site.phone, self.site.host)

    def footer(self):
        s = self.site
        return """<footer id="colophon" class="site-footer">
<div class="site-info">Copyright &copy; %d %s 版权所有 | <a href="https://beian.miit.gov.cn/" target="_blank" rel="nofollow">%s</a> | <a href="%s/wp-login.php">登录</a> | 自豪地采用 WordPress</div>
</footer>
</div>
<script src='%s/wp-includes/js/jquery/jquery.min.js?ver=3.7.1' id='jquery-core-js'></script>
<script id='zixun-navigation-js-extra'>
var zixunSettings = {"ajaxurl":"%s\\/wp-admin\\/admin-ajax.php","nonce":"4f1e2a9c3b"};
</script>
%s
</body>
</html>
""" % (s.now.year, esc(s.name), s.icp, O, O, O.replace("/", "\\/"), STATS_JS % s.stats_id)

    def body_html(self, a):
        s = self.site
        out = []
        hstyle = random.Random("%s:h:%d" % (s.seed, a.id)).randrange(2)
        n_p = 0
        for k, t in a.body:
            if k == "p":
                out.append("<p>%s</p>" % esc(t))
                n_p += 1
                if n_p == 3 and a.id % 3 == 0:
                    # Some posts carry an in-content advert (a real plugin's habit).
                    out.append('<div class="ad-inline"><a href="%s/contact/" rel="nofollow"><img src="%s/wp-content/uploads/ad-banner.jpg" alt="招商合作" /></a></div>' % (O, O))
            elif k == "h":
                out.append('<h3 class="wp-block-heading"><strong>%s</strong></h3>' % esc(t) if hstyle == 0
                           else "<p><strong>%s</strong></p>" % esc(t))
            else:
                src = "/wp-content/uploads/%d/%02d/IMG_%d%02d.jpg" % (a.date.year, a.date.month, a.id, len(out))
                fig = '<figure class="wp-block-image size-large"><img decoding="async" %s alt="" />' % (
                    self.img_attrs(a, src, len(out)) if s.spec["images"] else 'src="%s%s"' % (O, src))
                if t:
                    fig += '<figcaption class="wp-element-caption">%s</figcaption>' % esc(t)
                out.append(fig + "</figure>")
        if s.spec["images"]:
            out += ['<figure class="wp-block-image"><img src="%s%s" alt="" /></figure>' % (
                O if u.startswith("/") else "", u) for u in self.extra_images(a)]
        return "\n".join(out)

    # Images (spec "images"): the forms portals write a picture in, by turn.
    def img_attrs(self, a, src, k):
        form = (a.id + k) % 4
        big, small = src, src.replace(".jpg", "-300x200.jpg")
        if form == 1:
            return 'src="%s" data-src="%s%s"' % (IMG_BLANK, O, big)
        if form == 2:
            return 'src="%s/wp-content/themes/zixun/images/blank.gif" data-original="%s%s" class="lazy"' % (O, O, big)
        if form == 3:
            return 'src="%s%s" srcset="%s%s 300w, %s%s 1024w" sizes="(max-width: 1024px) 100vw, 1024px"' % (
                O, small, O, small, O, big)
        return 'src="%s%s"' % (O, big)

    def img_urls(self, a, src, k):
        """The URLs a crawler archives for img_attrs(a, src, k)."""
        return [src, src.replace(".jpg", "-300x200.jpg")] if (a.id + k) % 4 == 3 else [src]

    def extra_images(self, a):
        """Pictures every article of an "images" site ends with: one on an
        image host (requisites_hosts), one shared by every article, and the
        ones a crawl must leave: off-scope, disallowed, too big, not an image."""
        return ["%s/img/%d.png" % (IMG_CDN, a.id), "/wp-content/uploads/shared/banner.png",
                "%s/uploads/%d.png" % (IMG_OFF, a.id), "/wp-content/private/%d.png" % a.id,
                "/wp-content/uploads/big/%d.png" % a.id, "/wp-content/uploads/html/%d.png" % a.id]

    def image_truth(self, a):
        """(images, images_not) of article a: URLs with @ORIGIN@ / @PORT@."""
        want, n, n_p = [], 0, 0   # n: len(out) in body_html
        for kind, _t in a.body:
            if kind == "p":
                n_p += 1
                n += 2 if n_p == 3 and a.id % 3 == 0 else 1  # (with the in-content advert)
            elif kind == "h":
                n += 1
            else:
                want += [O + u for u in self.img_urls(a, "/wp-content/uploads/%d/%02d/IMG_%d%02d.jpg" % (
                    a.date.year, a.date.month, a.id, n), n)]
                n += 1
        ex = self.extra_images(a)
        want += [ex[0], O + ex[1]]
        no = {O + "/wp-content/uploads/logo.png": "boilerplate: the site's logo",
              O + "/wp-content/uploads/qrcode.jpg": "boilerplate: the WeChat QR code",
              O + "/wp-content/uploads/ad-banner.jpg": "boilerplate: an advert",
              ex[2]: "off-scope host", O + ex[3]: "robots.txt disallows it",
              O + ex[4]: "over the size cap", O + ex[5]: "not an image (text/html)"}
        for key, _name, _base in SHARE_LINKS:
            no[O + "/wp-content/themes/zixun/images/share-%s.png" % key] = "boilerplate: a share icon"
        return want, no

    def image_files(self):
        """path -> (bytes, content type) of every local image the pages name."""
        s = self.site
        files = {"/wp-content/uploads/logo.png": png_file("logo"), "/wp-content/uploads/qrcode.jpg": png_file("qr"),
                 "/wp-content/uploads/ad-banner.jpg": png_file("ad"),
                 "/wp-content/uploads/shared/banner.png": png_file("shared")}
        for key, _name, _base in SHARE_LINKS:
            files["/wp-content/themes/zixun/images/share-%s.png" % key] = png_file("share-" + key)
        for a in s.articles:
            want, _no = self.image_truth(a)
            for u in want:
                if u.startswith(O):
                    files.setdefault(u[len(O):], png_file(u[len(O):]))
            ex = self.extra_images(a)
            files[ex[3]] = png_file(ex[3])
            files[ex[4]] = png_file(ex[4], IMG_BIG)
            files[ex[5]] = "<html><body><p>不是图片</p></body></html>\n".encode()
        return {p: (b, "text/html" if "/html/" in p else "image/png") for p, b in files.items()}

    def render_article(self, a):
        s = self.site
        cat = s.cats[a.cat]
        older, newer = self.prev_next(a)
        url = O + self.article_path(a)
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
                         "datePublished": iso(a.date), "dateModified": iso(a.date),
                         "author": {"@type": "Person", "name": a.author},
                         "publisher": {"@type": "Organization", "name": s.name}}, ensure_ascii=False)
        extra = """<meta property="og:locale" content="zh_CN" />
<meta property="og:type" content="article" />
<meta property="og:title" content="%s" />
<meta property="og:url" content="%s" />
<meta property="og:site_name" content="%s" />
<meta property="article:published_time" content="%s" />
<meta name="author" content="%s" />
<script type="application/ld+json">%s</script>
""" % (esc(a.title), url, esc(s.name), iso(a.date), esc(a.author), ld)
        rel = "".join('<li><a href="%s%s" rel="bookmark" title="%s">%s</a><p class="yarpp-excerpt">%s</p></li>\n' % (
            O, self.article_path(x), esc(x.title), esc(x.title), esc(teaser(x, 180))) for x in self.related(a))
        navp = ('<div class="nav-previous"><a href="%s%s" rel="prev"><span class="nav-subtitle">上一篇：</span> <span class="nav-title">%s</span></a></div>' % (
            O, self.article_path(older), esc(older.title))) if older else ""
        navn = ('<div class="nav-next"><a href="%s%s" rel="next"><span class="nav-subtitle">下一篇：</span> <span class="nav-title">%s</span></a></div>' % (
            O, self.article_path(newer), esc(newer.title))) if newer else ""
        page = self.head("%s &#8211; %s" % (a.title, s.name), url, extra).replace("&amp;#8211;", "&#8211;")
        page += '<body class="post-template-default single single-post postid-%d single-format-standard">\n' % a.id
        page += self.header()
        page += """<div id="content" class="site-content">
<div class="breadcrumbs">当前位置：<a href="%s/">首页</a> &gt; <a href="%s%s">%s</a> &gt; 正文</div>
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-%d" class="post-%d post type-post status-publish format-standard hentry category-%s">
<header class="entry-header">
<h1 class="entry-title">%s</h1>
<div class="entry-meta"><span class="posted-on">发布于 <a href="%s" rel="bookmark"><time class="entry-date published" datetime="%s">%s</time></a></span><span class="byline"> 作者：<span class="author vcard"><a class="url fn n" href="%s/author/%s/">%s</a></span></span><span class="cat-links">分类：<a href="%s%s" rel="category tag">%s</a></span><span class="post-views">阅读 %d</span></div>
</header>
<div class="entry-content">
%s
<div class="contact-box"><p><strong>%s</strong></p><p>产业招商/厂房土地租售：%s</p><p>或微信/手机：%s</p><p>请说明您的需求、用途、税收、公司、联系人、手机号，以便快速帮您对接资源。</p><p>长按/扫一扫加%s的微信号</p></div>
<div class="wechat-qr"><img src="%s/wp-content/uploads/qrcode.jpg" alt="公众号二维码" /><p>扫一扫关注公众号</p></div>
<p class="copyright-notice">版权声明：本文由%s整理发布，如需转载请注明出处。部分内容来源于网络，如有侵权请联系删除。</p>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social"><h3 class="sd-title">分享到：</h3>%s</div></div>
</div>
<footer class="entry-footer"><span class="tags-links">标签：%s</span></footer>
</article>
<nav class="navigation post-navigation" aria-label="文章"><h2 class="screen-reader-text">文章导航</h2><div class="nav-links">%s%s</div></nav>
<div class="yarpp yarpp-related yarpp-template-list"><h3>相关文章</h3><ol>
%s</ol></div>
<div id="comments" class="comments-area"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">发表回复</h3>
<form action="%s/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">您的电子邮箱地址不会被公开。</p>
<p class="comment-form-comment"><label for="comment">评论</label><textarea id="comment" name="comment" cols="45" rows="8"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="发表评论" /><input type='hidden' name='comment_post_ID' value='%d' /></p></form></div></div>
</main></div>
""" % (O, O, self.listing_path(cat, 1), esc(cat.name), a.id, a.id, cat.slug, esc(a.title), url, iso(a.date),
       self.date_display(a.date), O, "editor", esc(a.author), O, self.listing_path(cat, 1), esc(cat.name), a.views,
       self.body_html(a) + promo_html(s, a), "%s微信号" % s.contact, s.phone, s.mobile, s.contact, O, esc(s.name),
       share_bar("", url, "sd-content", O + "/wp-content/themes/zixun/images/share-%s.png" if s.spec["images"] else None),
       " ".join('<a href="%s/tag/%d/" rel="tag">%s</a>' % (O, s.tags.index(t) + 1, t) for t in a.tags),
       navp, navn, rel, O, a.id)
        page += self.sidebar() + "</div>\n" + self.footer()
        return page

    def render_listing(self, cat, n, home=False):
        s = self.site
        np_ = self.pages(cat)
        path = (lambda i: "/" if i == 1 else "/page/%d/" % i) if home else (lambda i: self.listing_path(cat, i))
        links = ""
        if n < np_:
            links += '<link rel="next" href="%s%s" />\n' % (O, path(n + 1))
        if n > 1:
            links += '<link rel="prev" href="%s%s" />\n' % (O, path(n - 1))
        title = s.name if home else "%s &#8211; %s" % (cat.name, s.name)
        if n > 1:
            title = "%s &#8211; 第%d页" % (title, n)
        page = self.head(title, O + path(n), links).replace("&amp;#8211;", "&#8211;")
        page += '<body class="archive category category-%s">\n' % cat.slug + self.header()
        items = "".join("""<article id="post-%d" class="post-%d post type-post status-publish hentry">
<header class="entry-header"><h2 class="entry-title"><a href="%s%s" rel="bookmark">%s</a></h2>
<div class="entry-meta"><span class="posted-on"><time class="entry-date published" datetime="%s">%s</time></span><span class="byline"> %s</span></div></header>
<div class="entry-summary"><p>%s</p></div>
</article>
""" % (x.id, x.id, O, self.article_path(x), esc(x.title), iso(x.date), self.date_display(x.date), esc(x.author),
       esc(x.excerpt(110))) for x in self.page_items(cat, n))
        nums = []
        for i in range(1, np_ + 1):
            if i == n:
                nums.append('<span aria-current="page" class="page-numbers current">%d</span>' % i)
            elif i in (1, np_) or abs(i - n) <= 2:
                nums.append('<a class="page-numbers" href="%s%s">%d</a>' % (O, path(i), i))
            elif not nums[-1].endswith("dots"):
                nums.append('<span class="page-numbers dots">&hellip;</span><!--dots')
        nums = [x.replace("<!--dots", "") for x in nums]
        if n > 1:
            nums.insert(0, '<a class="prev page-numbers" href="%s%s">&laquo; 上一页</a>' % (O, path(n - 1)))
        if n < np_:
            nums.append('<a class="next page-numbers" href="%s%s">下一页 &raquo;</a>' % (O, path(n + 1)))
        page += """<div id="content" class="site-content">
<div class="breadcrumbs">当前位置：<a href="%s/">首页</a> &gt; %s</div>
<div id="primary" class="content-area"><main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">分类：<span>%s</span></h1></header>
%s<nav class="navigation pagination" aria-label="文章分页"><h2 class="screen-reader-text">文章分页</h2><div class="nav-links">%s</div></nav>
</main></div>
""" % (O, esc(cat.name), esc(cat.name), items, "".join(nums))
        page += self.sidebar() + "</div>\n" + self.footer()
        return page

    def render_home(self):
        allcat = Category(0, "最新资讯", "all")
        allcat.articles = self.site.articles
        return self.render_listing(allcat, 1, home=True)

    def feed(self):
        s = self.site
        items = "".join("""<item>
<title>%s</title>
<link>%s%s?utm_source=rss&amp;utm_medium=rss&amp;utm_campaign=feed</link>
<dc:creator><![CDATA[%s]]></dc:creator>
<pubDate>%s</pubDate>
<category><![CDATA[%s]]></category>
<guid isPermaLink="false">%s/?p=%d</guid>
<description><![CDATA[%s]]></description>
<content:encoded><![CDATA[%s]]></content:encoded>
</item>
""" % (esc(x.title), O, self.article_path(x), x.author, rfc822(x.date), s.cats[x.cat].name, O, x.id, x.excerpt(150),
       "".join("<p>%s</p>" % esc(t) for k, t in x.body[:3] if k == "p")) for x in s.articles[:15])
        xml = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
	<title>%s</title>
	<atom:link href="%s/feed/" rel="self" type="application/rss+xml" />
	<link>%s</link>
	<description>%s</description>
	<language>zh-CN</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<generator>https://wordpress.org/?v=6.4.2</generator>
%s</channel>
</rss>
""" % (esc(s.name), O, O, esc(s.tagline), items)
        return "/feed/", xml, "application/rss+xml"

    def sitemaps(self):
        s = self.site
        idx = """<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="%s/wp-sitemap-index.xsl" ?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>%s/wp-sitemap-posts-post-1.xml</loc></sitemap><sitemap><loc>%s/wp-sitemap-taxonomies-category-1.xml</loc></sitemap></sitemapindex>
""" % (O, O, O)
        posts = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">%s</urlset>\n' % "".join(
            "<url><loc>%s%s</loc><lastmod>%s</lastmod></url>" % (O, self.article_path(x), iso(x.date)) for x in s.articles)
        cats = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">%s</urlset>\n' % "".join(
            "<url><loc>%s%s</loc></url>" % (O, self.listing_path(c, 1)) for c in s.cats)
        return {"/wp-sitemap.xml": idx, "/wp-sitemap-posts-post-1.xml": posts, "/wp-sitemap-taxonomies-category-1.xml": cats}

    def extra(self):
        s = self.site
        out = {}
        allcat = Category(0, "最新资讯", "all")
        allcat.articles = s.articles
        for i in range(2, self.pages(allcat) + 1):
            out["/page/%d/" % i] = self.render_listing(allcat, i, home=True)
        about = self.head("关于我们 &#8211; %s" % s.name, O + "/about/").replace("&amp;#8211;", "&#8211;")
        about += '<body class="page">\n' + self.header() + '<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main"><h1 class="entry-title">关于我们</h1><p>%s关注%s投资与产业园区动态。</p></main></div>\n' % (esc(s.name), s.city)
        about += self.sidebar() + "</div>\n" + self.footer()
        out["/about/"] = about
        return out

    def robots_disallow(self):
        return ["/admin/", "/wp-admin/", "/wp-login.php", "/?s="] + (
            ["/wp-content/private/"] if self.site.spec["images"] else [])


GOV_CSS = """.TRS_Editor P{margin-top:5px;margin-bottom:5px;line-height:2;font-family:宋体;font-size:12pt;}
.TRS_Editor DIV{margin-top:5px;margin-bottom:5px;line-height:2;font-family:宋体;font-size:12pt;}
.TRS_Editor TD{margin-top:5px;margin-bottom:5px;line-height:2;font-family:宋体;font-size:12pt;}"""


class Gov(Template):
    """A district government portal on TRS WCM: relative links, the body in
    div.TRS_Editor, pagination written by a script (so a crawler needs the
    {n} listing template), metadata in <meta name="PubDate"> etc."""
    name = "gov"
    absolute = False

    def article_path(self, a):
        return "/zsyz/%s/%s/t%s_%d.html" % (self.site.cats[a.cat].slug, a.date.strftime("%Y%m"),
                                            a.date.strftime("%Y%m%d"), a.id)

    def listing_path(self, cat, n):
        return "/zsyz/%s/list_%d.html" % (cat.slug, n)

    def listing_tmpl(self, cat):
        return "/zsyz/%s/list_{n}.html" % cat.slug

    def nav_path(self, cat):
        """Where the navigation bar and the home page's 更多 link send a column."""
        return "/zsyz/%s/" % cat.slug

    def article_regex(self):
        return r"/zsyz/[a-z]+/[0-9]{6}/t[0-9]{8}_[0-9]+\.html$"

    def date_display(self, d):
        return d.strftime("%Y-%m-%d %H:%M")

    def top(self, title, meta):
        s = self.site
        return """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=%s" />
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1" />
<title>%s</title>
<meta name="SiteName" content="%s" />
<meta name="SiteDomain" content="%s" />
<meta name="SiteIDCode" content="%s" />
%s<link href="/images/common.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/images/jquery-1.12.4.min.js"></script>
<script type="text/javascript" src="/images/common.js"></script>
</head>
<body>
<div class="top"><div class="w1200"><span class="welcome">欢迎访问%s！</span><span class="fr"><a href="javascript:void(0);" id="wza">无障碍</a> | <a href="javascript:void(0);" id="zhbz">长者模式</a> | <a href="/">网站首页</a></span></div></div>
<div class="head"><div class="w1200"><div class="logo"><a href="/"><img src="/images/logo.png" alt="%s" /></a></div>
<div class="search"><form name="searchform" action="/was5/web/search" method="get" target="_blank"><input type="text" name="searchword" class="inp" value="请输入关键字" /><input type="submit" class="btn" value="搜索" /></form></div></div></div>
<div class="nav"><ul class="w1200"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zsyz/">招商引资</a></li>%s<li><a href="/hdjl/">互动交流</a></li><li><a href="/zjqy/">走进%s</a></li></ul></div>
""" % (s.charset_label, esc(title), esc(s.name), s.host, s.site_code, meta, esc(s.name), esc(s.name),
       "".join('<li><a href="%s">%s</a></li>' % (self.nav_path(c), esc(c.name)) for c in s.cats), s.district.rstrip("区县市"))

    def bottom(self):
        s = self.site
        return """<div class="footer"><div class="w1200">
<p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/admin/">后台管理</a></p>
<p>主办单位：%s办公室　承办单位：%s大数据中心</p>
<p>版权所有：%s　<a href="https://beian.miit.gov.cn/" target="_blank">%s</a>　<img src="/images/ga.png" alt="" />%s公网安备 %s号</p>
<p>网站标识码：%s　技术支持：拓尔思信息技术股份有限公司</p>
<p><span id="_ideConac"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=%s" target="_blank"><img src="/images/dzjg.png" alt="党政机关" /></a></span>
<script type="text/javascript">document.write(unescape("%%3Cspan id='_ideConac' %%3E%%3C/span%%3E%%3Cscript src='https://dcs.conac.cn/js/15/000/0000/60429971/CA150000000604299710004.js' type='text/javascript'%%3E%%3C/script%%3E"));</script></p>
</div></div>
%s
</body>
</html>
""" % (esc(s.name), esc(s.name), esc(s.name), s.icp, s.prov, s.police_no, s.site_code, s.site_code, STATS_JS % s.stats_id)

    def rel_from(self, frm, to):
        """Relative URL from page path frm to path to (TRS writes ./ and ../)."""
        fd = frm.rsplit("/", 1)[0].strip("/").split("/")
        td, tf = to.rsplit("/", 1)
        td = td.strip("/").split("/")
        i = 0
        while i < len(fd) and i < len(td) and fd[i] == td[i]:
            i += 1
        ups = len(fd) - i
        rest = td[i:] + [tf]
        return ("../" * ups if ups else "./") + "/".join(x for x in rest if x)

    def body_html(self, a):
        out = ['<div class="TRS_Editor"><style type="text/css">%s</style>' % GOV_CSS]
        fancy = a.id % 2 == 0
        for k, t in a.body:
            if k == "p":
                if fancy:
                    out.append('<p style="text-indent: 2em;"><span style="font-family: 仿宋_GB2312; font-size: 16pt;">%s</span></p>' % esc(t))
                else:
                    out.append("<p>　　%s</p>" % esc(t))
            elif k == "h":
                out.append('<p style="text-indent: 2em;"><strong>%s</strong></p>' % esc(t))
            else:
                out.append('<p align="center"><img src="./W0%s%d%02d.jpg" oldsrc="W0%s%d.jpg" style="border: 0px;" /></p>' % (
                    a.date.strftime("%Y%m%d"), a.id, len(out), a.date.strftime("%Y%m%d"), a.id))
                if t:
                    out.append('<p align="center" style="text-align: center;">%s</p>' % esc(t))
        out.append("</div>")
        return "\n".join(out)

    def render_article(self, a):
        s = self.site
        cat = s.cats[a.cat]
        me = self.article_path(a)
        older, newer = self.prev_next(a)
        meta = """<meta name="ColumnName" content="%s" />
<meta name="ColumnType" content="%s" />
<meta name="ArticleTitle" content="%s" />
<meta name="PubDate" content="%s" />
<meta name="ContentSource" content="%s" />
<meta name="Keywords" content="%s" />
<meta name="Author" content="%s" />
""" % (esc(cat.name), esc(cat.name), esc(a.title), a.date.strftime("%Y-%m-%d %H:%M"), esc(a.source), esc(" ".join(a.tags)), esc(a.author))
        rel = "".join('<li><a href="%s" title="%s" target="_blank">%s</a><span class="date">%s</span><p>%s</p></li>\n' % (
            self.rel_from(me, self.article_path(x)), esc(x.title), esc(x.title), x.date.strftime("%Y-%m-%d"), esc(teaser(x, 160)))
            for x in self.related(a))
        prev = ('<a href="%s" title="%s">%s</a>' % (self.rel_from(me, self.article_path(older)), esc(older.title), esc(older.title))) if older else "无"
        nxt = ('<a href="%s" title="%s">%s</a>' % (self.rel_from(me, self.article_path(newer)), esc(newer.title), esc(newer.title))) if newer else "无"
        page = self.top("%s_%s_%s" % (a.title, cat.name, s.name), meta)
        page += """<div class="main w1200">
<div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">招商引资</a> &gt; <a href="../">%s</a> &gt; 正文</div>
<div class="article">
<div class="title"><h1>%s</h1></div>
<div class="property"><span>发布时间：%s</span>　<span>来源：%s</span>　<span>作者：%s</span>　<span>浏览次数：<script type="text/javascript" src="/was5/web/count?id=%d"></script><noscript>%d</noscript></span>　<span>【字体：<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</span></div>
<div class="content" id="zoom">
%s
</div>
<div class="editor">责任编辑：%s</div>
<div class="contact"><p>投资咨询热线：%s-%s</p><p>招商引资服务邮箱：zsj@%s</p><p>地址：%s%s行政中心%d号楼</p></div>
<div class="ewm"><div class="ewm-l"><img src="/images/ewm_page.png" alt="" /><p>扫一扫在手机打开当前页</p></div><div class="ewm-r"><img src="/images/ewm_wx.png" alt="" /><p>扫一扫关注公众号</p></div></div>
<div class="sm"><p>版权声明：凡注明“来源：%s”的所有作品，版权均属于%s，未经授权不得转载。</p></div>
%s
<div class="tools">【<a href="javascript:window.print();">打印本页</a>】【<a href="javascript:window.close();">关闭窗口</a>】</div>
<div class="pre-next"><p>上一篇：%s</p><p>下一篇：%s</p></div>
</div>
<div class="related"><div class="related-t"><h3>相关文章</h3></div><ul>
%s</ul></div>
</div>
""" % (esc(cat.name), esc(a.title), a.date.strftime("%Y-%m-%d %H:%M"), esc(a.source), esc(a.author), a.id, a.views,
       self.body_html(a) + promo_html(s, a, "<p>　　%s</p>"), zhtext.person(random.Random(a.id)), s.area_code, "8%07d" % (a.id % 10000000), s.host,
       s.city, s.district, 1 + a.id % 5, esc(s.name), esc(s.name), share_bar("分享到：", "/" + me.lstrip("/")),
       prev, nxt, rel)
        page += self.bottom()
        return page

    def render_listing(self, cat, n):
        s = self.site
        me = self.listing_path(cat, n)
        np_ = self.pages(cat)
        items = "".join('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>\n' % (
            self.rel_from(me, self.article_path(x)), esc(x.title), esc(x.title), x.date.strftime("%Y-%m-%d"))
            for x in self.page_items(cat, n))
        page = self.top("%s_%s" % (cat.name, s.name), '<meta name="ColumnName" content="%s" />\n' % esc(cat.name))
        page += """<div class="main w1200">
<div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">招商引资</a> &gt; %s</div>
<div class="list-r"><div class="list-t"><h3>%s</h3></div>
<ul class="list">
%s</ul>
<div class="page"><script type="text/javascript">
var currentPage = %d;
var countPage = %d;
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  document.write("共" + _nPageCount + "页 ");
  if (_nCurrIndex > 1) { document.write("<a href=\\"" + _sPageName + "_1." + _sPageExt + "\\">首页</a> <a href=\\"" + _sPageName + "_" + (_nCurrIndex - 1) + "." + _sPageExt + "\\">上一页</a> "); }
  if (_nCurrIndex < _nPageCount) { document.write("<a href=\\"" + _sPageName + "_" + (_nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a> <a href=\\"" + _sPageName + "_" + _nPageCount + "." + _sPageExt + "\\">尾页</a>"); }
}
createPageHTML(countPage, currentPage, "list", "html");
</script>%s</div>
</div>
</div>
""" % (esc(cat.name), esc(cat.name), items, n, np_, self.plain_pager(cat, n))
        page += self.bottom()
        return page

    def plain_pager(self, cat, n):
        """Some TRS sites also print the pager as links (spec plain_pager)."""
        if not self.site.spec.get("plain_pager"):
            return ""
        np_ = self.pages(cat)
        out = ['<div class="pager">']
        for i in range(1, np_ + 1):
            out.append("<span>%d</span>" % i if i == n else '<a href="list_%d.html">%d</a>' % (i, i))
        if n < np_:
            out.append('<a href="list_%d.html">下一页</a>' % (n + 1))
        return " ".join(out) + "</div>"

    def render_home(self):
        s = self.site
        blocks = ""
        for c in s.cats:
            blocks += '<div class="block"><div class="block-t"><h3>%s</h3><a class="more" href=".%s">更多&gt;&gt;</a></div><ul>%s</ul></div>\n' % (
                esc(c.name), self.nav_path(c), "".join('<li><a href="%s" title="%s">%s</a><span>%s</span></li>' % (
                    "." + self.article_path(x), esc(x.title), esc(x.title), x.date.strftime("%m-%d")) for x in c.articles[:8]))
        return self.top(s.name, "") + '<div class="main w1200">\n%s</div>\n' % blocks + self.bottom()

    def extra(self):
        # TRS writes each column's first page as index.html as well.
        return {"/zsyz/%s/" % c.slug: self.render_listing(c, 1) for c in self.site.cats}

    def robots_disallow(self):
        return ["/admin/", "/was5/", "/hdjl/"]


# ---------------------------------------------------------------------------
# Government CMS listings (issue 15): the same district portal (Gov's article
# pages) with the listing shapes real CMSs give it. Preset "cms".

class Trs(Gov):
    """TRS WCM column: ./YYYYMM/tYYYYMMDD_ID.html links, pages index.html,
    index_1.html … (0-based, the first unnumbered), the pager only a
    createPageHTML(count, current, "index", "html") call in a script."""
    name = "trs"
    family = "gov"

    def nav_path(self, cat):
        return self.listing_path(cat, 1)

    def article_path(self, a):
        return "/col/%s/%s/t%s_%d.html" % (self.site.cats[a.cat].slug, a.date.strftime("%Y%m"),
                                           a.date.strftime("%Y%m%d"), a.id)

    def listing_path(self, cat, n):
        return "/col/%s/index.html" % cat.slug if n == 1 else "/col/%s/index_%d.html" % (cat.slug, n - 1)

    def conf_listings(self):
        return [self.listing_path(c, 1) for c in self.site.cats]

    def article_regex(self):
        return r"/col/[a-z]+/[0-9]{6}/t[0-9]{8}_[0-9]+\.html$"

    def list_items(self, cat, n):
        me = self.listing_path(cat, n)
        items = list(self.page_items(cat, n))
        if self.site.spec.get("shuffle_listing"):  # a page not in date order (pinned items, manual order)
            random.Random("%s:list:%d" % (self.site.seed, n)).shuffle(items)
        return "".join('<li><a href="%s" target="_blank" title="%s">%s</a><span class="date">%s</span></li>\n' % (
            self.rel_from(me, self.article_path(x)), esc(x.title), esc(x.title), x.date.strftime("%Y-%m-%d"))
            for x in items)

    def pager(self, cat, n):
        return """<div class="page"><script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  document.write("共" + _nPageCount + "页 ");
  if (nCurrIndex < _nPageCount - 1) { document.write("<a href=\\"" + _sPageName + "_" + (nCurrIndex + 1) + "." + _sPageExt + "\\">下一页</a>"); }
}
createPageHTML(%d, %d, "index", "html");
</script></div>""" % (self.pages(cat), n - 1)

    def render_listing(self, cat, n):
        s = self.site
        page = self.top("%s_%s" % (cat.name, s.name), '<meta name="ColumnName" content="%s" />\n' % esc(cat.name))
        page += """<div class="main w1200">
<div class="position">当前位置：<a href="../../">首页</a> &gt; %s</div>
<div class="list-r"><div class="list-t"><h3>%s</h3></div>
<ul class="list">
%s</ul>
%s
</div>
</div>
""" % (esc(cat.name), esc(cat.name), self.list_items(cat, n), self.pager(cat, n))
        return page + self.bottom()

    def extra(self):
        return {}


class Dede(Trs):
    """DedeCMS column: /a/SLUG/ (= list_T_1.html), list_T_2.html …, a pagelist with 下一页."""
    name = "dede"

    def tid(self, cat):
        return 5 + cat.id

    def article_path(self, a):
        return "/a/%s/%s/%d.html" % (self.site.cats[a.cat].slug, a.date.strftime("%Y%m%d"), a.id)

    def listing_path(self, cat, n):
        return "/a/%s/" % cat.slug if n == 1 else "/a/%s/list_%d_%d.html" % (cat.slug, self.tid(cat), n)

    def article_regex(self):
        return r"/a/[a-z]+/[0-9]{8}/[0-9]+\.html$"

    def pager(self, cat, n):
        np_ = self.pages(cat)
        t = self.tid(cat)
        out = ['<div class="dede_pages"><ul class="pagelist">', "<li><a href='list_%d_1.html'>首页</a></li>" % t]
        if n > 1:
            out.append("<li><a href='list_%d_%d.html'>上一页</a></li>" % (t, n - 1))
        for i in range(1, np_ + 1):
            out.append("<li class=\"thisclass\">%d</li>" % i if i == n else "<li><a href='list_%d_%d.html'>%d</a></li>" % (t, i, i))
        if n < np_:
            out.append("<li><a href='list_%d_%d.html'>下一页</a></li>" % (t, n + 1))
        out.append("<li><a href='list_%d_%d.html'>末页</a></li>" % (t, np_))
        out.append("<span class=\"pageinfo\">共 <strong>%d</strong>页<strong>%d</strong>条</span></ul></div>" % (
            np_, len(cat.articles)))
        return "".join(out)

    def extra(self):
        return {"/a/%s/list_%d_1.html" % (c.slug, self.tid(c)): self.render_listing(c, 1) for c in self.site.cats}


class SelectPager(Trs):
    """A column whose only pager is a <select> of page URLs (no 下一页 link)."""
    name = "select"

    def article_path(self, a):
        return "/xwzx/%s/%d.html" % (a.date.strftime("%Y%m%d"), a.id)

    def listing_path(self, cat, n):
        return "/xwzx/%s/list.html" % cat.slug if n == 1 else "/xwzx/%s/list_%d.html" % (cat.slug, n)

    def article_regex(self):
        return r"/xwzx/[0-9]{8}/[0-9]+\.html$"

    def pager(self, cat, n):
        np_ = self.pages(cat)
        opts = "".join('<option value="%s"%s>第%d页</option>' % (
            self.listing_path(cat, i).rsplit("/", 1)[1], " selected" if i == n else "", i) for i in range(1, np_ + 1))
        return ('<div class="page">共%d页 当前第%d页 跳转到：<select name="page" onchange="window.location.href=this.value">%s</select></div>'
                % (np_, n, opts))


class Hanweb(Gov):
    """Hanweb / 大汉 JCMS column /col/colID/index.html: the first records in a
    <script type="text/xml"> datastore, the rest through jpage's POST to
    /module/web/jpage/dataproxy.jsp (fixture_server.py answers it from
    /module/web/jpage/colID.json); articles /art/Y/M/D/art_COL_ID.html with
    month and day unpadded. A 最新信息 box beside the column links the five
    newest articles as plain links (as portal pages do)."""
    name = "hanweb"
    family = "gov"

    def nav_path(self, cat):
        return self.listing_path(cat, 1)
    GROUP = 3

    def col(self, cat):
        return 1234 + 111 * cat.id

    def unit(self, cat):
        return 5678 + cat.id

    def article_path(self, a):
        return "/art/%d/%d/%d/art_%d_%d.html" % (a.date.year, a.date.month, a.date.day,
                                                 self.col(self.site.cats[a.cat]), a.id)

    def listing_path(self, cat, n):
        return "/col/col%d/index.html" % self.col(cat)

    def conf_listings(self):
        return [self.listing_path(c, 1) for c in self.site.cats]

    def pages(self, cat):
        return 1

    def article_regex(self):
        return r"/art/[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}/art_[0-9]+_[0-9]+\.html$"

    def record(self, x):
        return '<li><a href="%s" target="_blank" title="%s">%s</a><span class="bt-data-time">%s</span></li>' % (
            self.article_path(x), esc(x.title), esc(x.title), x.date.strftime("%Y-%m-%d"))

    def nextgroup(self, cat):
        return ('<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=1&path=/&columnid=%d&unitid=%d'
                '&webname=%s&permissiontype=0"></a>' % (self.col(cat), self.unit(cat), self.site.name))

    def render_listing(self, cat, n):
        s = self.site
        per = s.per_page
        first = cat.articles[:per * self.GROUP]
        recs = "".join("<record><![CDATA[\n%s]]></record>\n" % self.record(x) for x in first)
        page = self.top("%s_%s" % (cat.name, s.name), '<meta name="ColumnName" content="%s" />\n' % esc(cat.name))
        page += """<div class="main w1200">
<div class="position">当前位置：<a href="/">首页</a> &gt; %s</div>
<div class="list-r"><div class="list-t"><h3>%s</h3></div>
<div id="%d"><script type="text/xml"><datastore><nextgroup><![CDATA[%s]]></nextgroup><recordset>
%s</recordset></datastore></script></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>
$(document).ready(function() {
  $('#%d').jpage({ webid: 1, totalRecord: %d, perPage: %d, groupSize: %d, proxyUrl: '/module/web/jpage/dataproxy.jsp',
    dataBefore: '<ul class="list">', dataAfter: '</ul>', showMode: 'full', barPosition: 'bottom', pageSizeOpt: 'none' });
});
</script>
</div>
<div class="side"><h3>最新信息</h3><ul>%s</ul></div>
</div>
""" % (esc(cat.name), esc(cat.name), self.unit(cat), self.nextgroup(cat), recs, self.unit(cat), len(cat.articles), per,
       self.GROUP, "".join(self.record(x) for x in s.articles[:5]))
        return page + self.bottom()

    def extra(self):
        out = {}
        for c in self.site.cats:
            out["/module/web/jpage/col%d.json" % self.col(c)] = json.dumps({
                "columnid": self.col(c), "unitid": self.unit(c), "webid": 1, "nextgroup": self.nextgroup(c),
                "records": [self.record(x) for x in c.articles]}, ensure_ascii=False)
        return out


class JsonApi(Gov):
    """A Vue portal: /news/index.html is an empty shell; its script reads
    /api/list?channelId=C&pageNo=N&pageSize=S (fixture_server.py answers it
    from /api/list/C/N.json, and with 400 for another pageSize). Article
    pages show no date: the listing's date is the only one."""
    name = "jsonapi"
    family = "gov"

    def nav_path(self, cat):
        return self.listing_path(cat, 1)

    def channel(self, cat):
        return 12 + cat.id

    def article_path(self, a):
        return "/news/detail/%d.html" % a.id

    def listing_path(self, cat, n):
        return "/news/index.html"

    def pages(self, cat):
        return 1

    def api_pages(self, cat):
        return max(1, (len(cat.articles) + self.site.per_page - 1) // self.site.per_page)

    def conf_listings(self):
        return []

    def conf_extra(self):
        out = ["listing_api = http://%s:@PORT@/api/list?channelId=%d&pageNo={n}&pageSize=%d" % (
            self.site.host, self.channel(c), self.site.per_page) for c in self.site.cats]
        out += ["listing_api_items = data.list[]", "listing_api_link = url", "listing_api_title = title",
                "listing_api_date = pubDate", "link_base = http://%s:@PORT@/news/" % self.site.host]
        return out

    def article_regex(self):
        return r"/news/detail/[0-9]+\.html$"

    def render_listing(self, cat, n):
        s = self.site
        return """<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>%s_%s</title>
<link href="/static/css/app.css" rel="stylesheet" /></head>
<body><div id="app"></div>
<script>window.__CHANNEL__ = %d;</script>
<script src="/static/js/chunk-vendors.js"></script><script src="/static/js/app.js"></script>
</body></html>
""" % (esc(cat.name), esc(s.name), self.channel(cat))

    def render_article(self, a):
        s = self.site
        body = "\n".join("<p>%s</p>" % esc(t) if k == "p" else "<p><strong>%s</strong></p>" % esc(t)
                         for k, t in a.body if k in ("p", "h"))
        return """<!DOCTYPE html>
<html><head><meta charset="utf-8" /><title>%s_%s</title></head>
<body><div class="header"><a href="/">%s</a></div>
<div class="detail"><h1 class="title">%s</h1>
<div class="info"><span>来源：%s</span></div>
<div class="content" id="zoom">
%s
</div></div>
<div class="footer">版权所有：%s</div>
</body></html>
""" % (esc(a.title), esc(s.name), esc(s.name), esc(a.title), esc(a.source), body, esc(s.name))

    def extra(self):
        out = {}
        per = self.site.per_page
        for c in self.site.cats:
            np_ = self.api_pages(c)
            for n in range(1, np_ + 2):
                items = c.articles[(n - 1) * per:n * per]
                out["/api/list/%d/%d.json" % (self.channel(c), n)] = json.dumps({
                    "code": 0, "msg": "success", "data": {
                        "total": len(c.articles), "pageNo": n, "pageSize": per,
                        "list": [{"id": x.id, "title": x.title, "url": "detail/%d.html" % x.id,
                                  "pubDate": x.date.strftime("%Y-%m-%d %H:%M:%S"), "source": x.source}
                                 for x in items]}}, ensure_ascii=False)
        return out


TEMPLATES = {"zblog": ZBlog, "wordpress": WordPress, "gov": Gov, "trs": Trs, "dede": Dede, "select": SelectPager,
             "hanweb": Hanweb, "jsonapi": JsonApi}

CATS = {
    "zblog": [("%s产业信息", "1"), ("招商动态", "2"), ("厂房土地", "3"), ("园区动态", "4")],
    "wordpress": [("投资动态", "touzi"), ("项目签约", "qianyue"), ("产业园区", "yuanqu"), ("政策解读", "zhengce")],
    "gov": [("项目动态", "xmdt"), ("招商政策", "zszc"), ("投资环境", "tzhj")],
}
TOPIC_BY_CAT = {"招商动态": "signing", "厂房土地": "land", "园区动态": "park", "项目签约": "signing", "产业园区": "park",
                "政策解读": "policy", "项目动态": "start", "招商政策": "policy", "投资环境": "stats"}


# ---------------------------------------------------------------------------
# A site: its articles, categories and pages.

DEFAULT_SPEC = {
    "template": "zblog", "charset": "utf-8", "articles": 40, "per_page": 10, "categories": 2,
    "seed": 1, "city": None, "relative_dates": None, "header_charset": True, "chunked": None,
    "validators": None, "robots_status": 200, "robots_disallow_article": True, "crawl_delay": None,
    "extra_links": [], "infinite": False, "delay": 0.2, "max_pages": 20, "span_days": None,
    "paragraphs": None, "name": None, "images": False,
}


class Site:
    def __init__(self, spec, now):
        sp = dict(DEFAULT_SPEC)
        sp.update(spec)
        self.spec = sp
        self.host = sp["host"].lower()
        self.now = now
        self.seed = "%s:%s" % (sp["seed"], self.host)
        self.charset = sp["charset"].lower()
        self.charset_label = "gbk" if self.charset == "gbk" else "utf-8"
        self.per_page = sp["per_page"]
        tpl = TEMPLATES[sp["template"]]
        self.tpl = tpl(self)
        self.family = getattr(tpl, "family", tpl.name)   # the CMS templates are gov sites
        self.relative_dates = tpl.relative_dates if sp["relative_dates"] is None else sp["relative_dates"]
        rng = random.Random(self.seed)
        city = sp["city"] or rng.choice(zhtext.CITIES)[0]
        c = [x for x in zhtext.CITIES if x[0] == city][0]
        self.city, self.prov, districts, _parks, self.area_code = c
        self.district = rng.choice(districts)
        self.contact = zhtext.person(rng)
        self.contact_py = "%04d" % rng.randrange(10000)
        self.phone = "400 %04d %03d" % (rng.randrange(10000), rng.randrange(1000))
        self.mobile = "1%d%08d" % (rng.choice([33, 35, 38, 39, 52, 58, 86, 89]), rng.randrange(10 ** 8))
        self.icp = "%sICP备%08d号-%d" % (self.prov, rng.randrange(10 ** 7, 10 ** 8), rng.randint(1, 3))
        self.police_no = "%d%010d" % (rng.randint(11, 65), rng.randrange(10 ** 10))
        self.site_code = "%010d" % rng.randrange(10 ** 9, 10 ** 10)
        self.stats_id = "%032x" % rng.getrandbits(128)
        t = self.family
        if sp["name"]:
            self.name = sp["name"]
        elif t == "zblog":
            self.name = "%s厂房网" % self.city
        elif t == "wordpress":
            self.name = "%s投资资讯网" % self.city
        else:
            self.name = "%s市%s人民政府" % (self.city, self.district)
        self.tagline = {"zblog": "产业招商 厂房土地租售 园区资讯", "wordpress": "投资动态 项目签约 产业园区",
                        "gov": "招商引资"}[t]
        self.tags = ["招商引资", "项目签约", "产业园区", "厂房出租", "土地出让", "营商环境", "重点项目", "集中开工",
                     "新能源", "智能制造", "生物医药", "产业链", "外资", "标准厂房"]
        ncat = max(1, min(sp["categories"], len(CATS[t])))
        self.cats = [Category(i if t != "zblog" else int(slug), (name % self.city) if "%s" in name else name, slug)
                     for i, (name, slug) in enumerate(CATS[t][:ncat])]
        if t == "zblog":
            self.cats = [Category(int(slug), (name % self.city) if "%s" in name else name, slug)
                         for name, slug in CATS[t][:ncat]]
        self.articles = self._articles(rng, sp["articles"])
        # held_back: the newest articles are not published yet (a later
        # generation with --release adds them: cron tests)
        self.articles = self.articles[sp.get("held_back", 0):]
        self.copies = {}
        if sp.get("copies_of"):
            self._syndicate(sp["copies_of"], sp.get("copy_share", 0.4))
        for a in self.articles:
            self.cats[a.cat].articles.append(a)
        self.disallowed = None
        if sp["robots_disallow_article"] and len(self.articles) > 3:
            # The third newest: linked from the first listing page, so a crawler
            # that ignores robots.txt would fetch it.
            self.disallowed = self.articles[2]
            self.articles[2].disallowed = True

    def _articles(self, rng, n):
        arts = []
        span = self.spec["span_days"] or max(30, n * 1.5)
        # newest first: gaps between consecutive articles
        t = self.now - dt.timedelta(hours=rng.uniform(2, 20))
        step = span / max(1, n) * 2
        ids = set()
        titles = set()
        next_id = rng.randint(120, 900)
        for i in range(n):
            a = Article()
            a.disallowed = False
            d = t.replace(hour=rng.randint(8, 18), minute=rng.randrange(60), second=rng.randrange(60))
            if d > self.now:
                d = self.now - dt.timedelta(minutes=rng.randint(30, 300))
            a.date = d
            a.cat = rng.randrange(len(self.cats))
            ar = random.Random("%s:a:%d" % (self.seed, i))
            cat_topic = TOPIC_BY_CAT.get(self.cats[a.cat].name)
            topic = cat_topic if ar.random() < 0.6 else None
            # A portal republishes other cities' news; a district government does not.
            city = self.city if (ar.random() < 0.8 or self.family == "gov") else None
            para = self.spec["paragraphs"]
            for _ in range(20):
                title, body, story = zhtext.article_text(ar, d.date(), city, topic,
                                                         district=self.district if self.family == "gov" else None,
                                                         per_section=para or (2, 3))
                if title not in titles:
                    break
            titles.add(title)
            a.title, a.body, a.story = title, body, story
            if self.family == "gov":
                a.id = rng.randrange(1000000, 9999999)
                while a.id in ids:
                    a.id += 1
            else:
                a.id = next_id
                next_id -= rng.randint(1, 3)
                if next_id < 1:
                    next_id = 100000
            ids.add(a.id)
            a.author = {"zblog": "admin", "wordpress": ar.choice(zhtext.EDITORS[:7]),
                        "gov": "%s投资促进局" % self.district}[self.family]
            a.source = ar.choice(zhtext.SOURCES) if self.family != "gov" else "%s投资促进局" % self.district
            a.views = int(ar.paretovariate(1.2) * 40)
            a.tags = ar.sample(self.tags, 3)
            a.path = None
            arts.append(a)
            t = t - dt.timedelta(days=rng.uniform(0.05, step))
        # ids grow with time on Z-Blog/WordPress: reassign newest = largest
        if self.family != "gov":
            for a, i in zip(arts, sorted((a.id for a in arts), reverse=True)):
                a.id = i
        for a in arts:
            a.path = self.tpl.article_path(a)
        return arts

    def _syndicate(self, src_spec, share):
        """Syndication (preset "syndication"): a share of this site's articles
        become republished copies of another generated site's stories: the
        same body in this site's template (other boilerplate), as is, under a
        changed title, with an editor's paragraph added, or both. Every other
        article stays its own story; many come from the same templates (e.g.
        weekly 项目集中签约 reports with other numbers) and must not cluster.
        The truth file's "copies" maps a copy's path to its source."""
        src = _site_cache(src_spec, self.now.isoformat())
        used = set()
        for i, a in enumerate(self.articles):
            r = random.Random("%s:copy:%d" % (self.seed, i))
            if r.random() >= share:
                continue
            s = r.choice(src.articles)
            if s.path in used or s.disallowed:
                continue
            used.add(s.path)
            variant = r.choice(["as-is", "title", "paragraph", "title+paragraph"])
            a.title = s.title
            if "title" in variant:
                a.title = r.choice(["转载｜%s", "%s（附项目清单）", "关注：%s", "%s——来自%s的报道" % ("%s", src.city)]) % s.title
            a.body = list(s.body)
            if "paragraph" in variant:
                other = self.articles[(i + 7) % len(self.articles)].body
                note = next((t for k, t in other if k == "p"), "").split("。")[0]
                a.body = [("p", "编者按：%s。" % note)] + a.body
            a.story = s.story
            a.source = src.name
            self.copies[a.path] = {"host": src.host, "path": s.path, "variant": variant}

    # -- what the crawler is told (sites.conf) and what it must find (truth)

    def listings(self):
        if hasattr(self.tpl, "conf_listings"):
            return self.tpl.conf_listings()
        if isinstance(self.tpl, Gov):
            return [self.tpl.listing_tmpl(c) for c in self.cats]
        return [self.tpl.listing_path(c, 1) for c in self.cats]

    def conf_section(self, name=None):
        name = name or self.host.split(".")[0]
        origin = "http://%s:@PORT@" % self.host
        lines = ["[site %s]" % name, "enabled = yes"]
        lines += ["listing = %s%s" % (origin, p) for p in self.listings()]
        if self.spec["infinite"]:
            lines.append("listing = %s/inf/list_1.html" % origin)
        rx = "^http://%s:@PORT@%s" % (ere_escape(self.host), self.tpl.article_regex())
        lines.append("article = %s" % rx)
        if self.spec["infinite"]:
            lines.append("article = ^http://%s:@PORT@/inf/a/[0-9]+-[0-9]+\\.html$" % ere_escape(self.host))
        for fp in self.extra_article_paths():
            lines.append("article = ^http://%s:@PORT@%s$" % (ere_escape(self.host), ere_escape(fp)))
        feed = self.tpl.feed()
        if feed:
            lines.append("feed = %s%s" % (origin, feed[0]))
        sm = self.tpl.sitemaps()
        if sm:
            lines.append("sitemap = %s%s" % (origin, list(sm)[0]))
        lines += self.tpl.conf_extra() if hasattr(self.tpl, "conf_extra") else []
        lines.append("max_pages = %d" % self.spec["max_pages"])
        if self.spec["delay"] is not None:
            lines.append("delay = %g" % self.spec["delay"])
        return "\n".join(lines) + "\n"

    def extra_article_paths(self):
        """Linked fault paths that the article regex does not already cover."""
        rx = re.compile(self.tpl.article_regex())
        out = []
        for fl in self.spec["extra_links"]:
            for p in (fl["path"], fl.get("archived_as", fl["path"])):
                if not rx.search(p) and p not in out:
                    out.append(p)
        return out

    def truth(self):
        arts = {}
        for a in self.articles:
            arts[a.path] = self.article_truth(a)
        expected = [a.path for a in self.articles if not a.disallowed]
        not_expected = {}
        if self.disallowed:
            not_expected[self.disallowed.path] = "robots.txt disallows it"
        if self.spec["robots_status"] and self.spec["robots_status"] >= 500:
            not_expected.update({p: "robots.txt answers %d: disallow all" % self.spec["robots_status"] for p in expected})
            expected = []
        for fl in self.spec["extra_links"]:
            if fl.get("expect") == "archived":
                expected.append(fl.get("archived_as", fl["path"]))
            else:
                not_expected[fl["path"]] = fl.get("expect", "error")
        for path, a in sorted(getattr(self, "_dyn_truth", {}).items()):
            if path in expected:        # fault targets served once the fault has passed
                arts[path] = self.article_truth(a)
        feed = self.tpl.feed()
        out = {
            "generator": "sitegen %d" % GEN_VERSION, "host": self.host, "template": self.tpl.name,
            "charset": self.charset, "now": iso(self.now), "seed": self.spec["seed"],
            "article_regex": self.tpl.article_regex(),
            "listings": self.listings(), "listing_pages": {c.name: self.tpl.pages(c) for c in self.cats},
            "feed": feed[0] if feed else None, "sitemaps": list(self.tpl.sitemaps()),
            "robots_status": self.spec["robots_status"],
            "expected": expected, "not_expected": not_expected, "articles": arts,
            # Infinite pagination: /inf/list_N.html links /inf/a/N-1..5.html and page N+1,
            # forever; a cron run archives at most max_pages * 5 of them.
            "infinite": {"listing": "/inf/list_1.html", "article_prefix": "/inf/a/", "per_page": 5,
                         "max_pages": self.spec["max_pages"]} if self.spec["infinite"] else None,
        }
        if self.copies:  # the syndication preset only (other presets' truth files are unchanged)
            out["copies"] = self.copies
        return out

    def article_truth(self, a):
        return {
            "title": a.title, "published": iso(a.date), "published_display": self.tpl.date_display(a.date),
            "published_relative": bool(self.relative_dates and isinstance(self.tpl, ZBlog)),
            "author": a.author, "category": self.cats[a.cat].name, "views": a.views, "source": a.source,
            "paragraphs": a.paragraphs(), "headings": [clean(t) for k, t in a.body if k == "h"],
            "captions": [clean(t) for k, t in a.body if k == "img" and t],
            **({"promo": promo_paragraphs(self, a)} if self.spec.get("promo") else {}),
            **(dict(zip(("images", "images_not"), self.tpl.image_truth(a))) if self.spec["images"] else {}),
        }

    def robots(self):
        dis = self.tpl.robots_disallow()
        if self.disallowed:
            dis = dis + [self.disallowed.path]
        lines = ["User-agent: *"] + ["Disallow: %s" % d for d in dis]
        if self.spec["crawl_delay"]:
            lines.append("Crawl-delay: %g" % self.spec["crawl_delay"])
        lines += ["", "User-agent: BadSpider", "Disallow: /", ""]
        for p in self.tpl.sitemaps():
            if not p.startswith("/wp-sitemap-"):
                lines.append("Sitemap: %s%s" % (O, p))
        if isinstance(self.tpl, WordPress):
            lines.append("Sitemap: %s/wp-sitemap.xml" % O)
        return "\n".join(lines) + "\n"

    def pages(self):
        """path -> (str content, content_type or None, mtime)"""
        tpl = self.tpl
        newest = self.articles[0].date if self.articles else self.now
        out = {"/": (tpl.render_home(), None, newest), "/robots.txt": (self.robots(), "text/plain", newest)}
        for a in self.articles:
            out[a.path] = (tpl.render_article(a), None, a.date)
        for c in self.cats:
            for n in range(1, tpl.pages(c) + 1):
                items = tpl.page_items(c, n)
                out[tpl.listing_path(c, n)] = (tpl.render_listing(c, n), None, items[0].date if items else newest)
        for p, body in tpl.extra().items():
            out[p] = (body, None, newest)
        feed = tpl.feed()
        if feed:
            out[feed[0]] = (feed[1], feed[2], newest)
        for p, body in tpl.sitemaps().items():
            out[p] = (body, "application/xml", newest)
        if self.spec["extra_links"]:
            self._link_extras(out)
        if self.spec["images"]:
            for p, (body, ct) in self.tpl.image_files().items():
                out[p] = (body, ct, newest)
        return out

    def _link_extras(self, out):
        """Puts the fault paths on the first listing page (so the crawler meets
        them as article links) and writes an article at those that serve one
        once the fault has passed."""
        c = self.cats[0]
        first = self.tpl.listing_path(c, 1)
        html_, ct, mt = out[first]
        links = "".join('<li><a href="%s%s">%s</a></li>' % (O if self.tpl.absolute else "", fl["path"], esc(fl.get("title", fl["path"])))
                        for fl in self.spec["extra_links"])
        html_ = html_.replace("</body>", '<div class="list-extra"><ul>%s</ul></div>\n</body>' % links)
        out[first] = (html_, ct, mt)
        for i, fl in enumerate(self.spec["extra_links"]):
            if fl.get("expect") == "archived":
                p = fl.get("archived_as", fl["path"])
                a = self.dynamic_article(p, 9000 + i)
                out[p] = (self.tpl.render_article(a), None, a.date)

    def dynamic_article(self, path, aid):
        """An article that is not in the listings (fault targets, infinite
        pagination), built from the path so it is the same every time."""
        ar = random.Random("%s:dyn:%s" % (self.seed, path))
        a = Article()
        a.disallowed = False
        a.id = aid
        a.date = self.now - dt.timedelta(days=ar.uniform(0.1, 30))
        a.cat = 0
        a.title, a.body, a.story = zhtext.article_text(ar, a.date.date(), self.city)
        a.author = "admin"
        a.source = ar.choice(zhtext.SOURCES)
        a.views = ar.randint(1, 500)
        a.tags = ar.sample(self.tags, 3)
        a.path = path
        self._dyn_truth = getattr(self, "_dyn_truth", {})
        self._dyn_truth[path] = a
        return a

    def article_of(self, path):
        for a in self.articles:
            if a.path == path:
                return a
        return None


# ---------------------------------------------------------------------------
# Infinite pagination, rendered on request by fixture_server.py.

def render_infinite(spec, now_iso, path):
    """For path /inf/list_N.html (a listing page linking five new articles
    /inf/a/N-K.html and page N+1, forever) or /inf/a/N-K.html: (html str,
    charset) or None."""
    m = re.match(r"^/inf/list_([0-9]{1,9})\.html$", path)
    a = re.match(r"^/inf/a/([0-9]{1,9})-([1-5])\.html$", path)
    if not m and not a:
        return None
    sp = dict(spec)
    sp["articles"] = 4
    sp["extra_links"] = []
    site = _site_cache(sp, now_iso)
    if m:
        n = int(m.group(1))
        items = "".join('<li><a href="%s/inf/a/%d-%d.html">%s</a></li>\n' % (O, n, k, esc(zhtext.article_text(
            random.Random("%s:inf:%d:%d" % (site.seed, n, k)), site.now.date(), site.city)[0])) for k in range(1, 6))
        html_ = """<!DOCTYPE html><html><head><meta charset="%s" /><title>资讯列表_第%d页_%s</title>
<link rel="next" href="%s/inf/list_%d.html" /></head><body>
<div class="breadcrumb">当前位置：<a href="%s/">首页</a> &gt; 资讯列表</div>
<ul class="list">
%s</ul>
<div class="pagebar"><span class="now-page">%d</span> <a href="%s/inf/list_%d.html">下一页</a></div>
</body></html>
""" % (site.charset_label, n, esc(site.name), O, n + 1, O, items, n, O, n + 1)
        return html_, site.charset
    n, k = int(a.group(1)), int(a.group(2))
    art = site.dynamic_article(path, 500000 + n * 10 + k)
    art.title = zhtext.article_text(random.Random("%s:inf:%d:%d" % (site.seed, n, k)), site.now.date(), site.city)[0]
    return site.tpl.render_article(art), site.charset


_SITES = {}


def _site_cache(spec, now_iso):
    key = json.dumps(spec, sort_keys=True) + now_iso
    if key not in _SITES:
        _SITES[key] = Site(spec, dt.datetime.fromisoformat(now_iso))
    return _SITES[key]


# ---------------------------------------------------------------------------
# Presets and output.

def load_faults():
    with open(os.path.join(HERE, "faults.json"), encoding="utf-8") as f:
        return json.load(f)


def fault_links(host):
    """The entries of faults.json for host that listing pages link to."""
    out = []
    for fl in load_faults()["faults"]:
        if fl.get("host") == host and fl.get("link"):
            out.append({"path": fl["path"], "expect": fl.get("expect", "error"),
                        "archived_as": fl.get("archived_as", fl["path"]), "title": fl.get("title", fl["path"])})
    return out


def preset(name):
    if name == "demo":
        return [
            {"host": "demo-gbk.newsarc.test", "template": "zblog", "charset": "gbk", "articles": 110, "per_page": 12,
             "categories": 4, "city": "天津", "seed": 11, "max_pages": 20},
            {"host": "demo-wp.newsarc.test", "template": "wordpress", "articles": 90, "per_page": 10,
             "categories": 3, "city": "苏州", "seed": 12, "max_pages": 20},
            {"host": "demo-gov.newsarc.test", "template": "gov", "articles": 80, "per_page": 15, "categories": 2,
             "city": "济南", "seed": 13, "header_charset": False, "max_pages": 20},
            # a Hanweb JCMS column: datastore records and jpage's dataproxy.jsp POSTs
            {"host": "demo-hanweb.newsarc.test", "template": "hanweb", "articles": 60, "per_page": 10,
             "categories": 1, "city": "宁波", "seed": 14, "header_charset": False, "max_pages": 20},
        ]
    if name == "test":
        return [
            {"host": "t-gbk.newsarc.test", "template": "zblog", "charset": "gbk", "articles": 40, "per_page": 10,
             "categories": 2, "city": "天津", "seed": 21, "delay": 0, "max_pages": 10},
            {"host": "t-wp.newsarc.test", "template": "wordpress", "articles": 30, "per_page": 8, "categories": 2,
             "city": "合肥", "seed": 22, "delay": 0, "max_pages": 10},
            {"host": "t-gov.newsarc.test", "template": "gov", "articles": 25, "per_page": 10, "categories": 2,
             "city": "成都", "seed": 23, "header_charset": False, "delay": 0, "max_pages": 10},
            {"host": "faults.newsarc.test", "template": "zblog", "articles": 6, "per_page": 10, "categories": 1,
             "city": "郑州", "seed": 24, "delay": 0, "max_pages": 3, "robots_disallow_article": False,
             "extra_links": fault_links("faults.newsarc.test"), "infinite": True, "relative_dates": False},
            {"host": "norobots.newsarc.test", "template": "wordpress", "articles": 5, "per_page": 10, "categories": 1,
             "city": "武汉", "seed": 25, "delay": 0, "max_pages": 3, "robots_status": 500,
             "robots_disallow_article": False},
        ]
    if name == "cms":
        # Government CMS listing shapes (issue 15); the three newest articles
        # of each are held back unless --release (a cron run's new articles).
        base = {"articles": 34, "categories": 1, "delay": 0, "max_pages": 30, "header_charset": False,
                "robots_disallow_article": False, "held_back": 3}
        return [dict(base, host=h, template=t, per_page=pp, city=c, seed=sd) for h, t, pp, c, sd in (
            ("trs.newsarc.test", "trs", 3, "成都", 31), ("hanweb.newsarc.test", "hanweb", 5, "宁波", 32),
            ("jsonapi.newsarc.test", "jsonapi", 10, "佛山", 33), ("dede.newsarc.test", "dede", 10, "郑州", 34),
            ("select.newsarc.test", "select", 8, "武汉", 35))]
    if name == "cms-dates":
        # A TRS column whose pages list their articles out of date order; the
        # three newest are held back unless --release (crawl_listing_dates.sh).
        return [{"host": "trsdated.newsarc.test", "template": "trs", "per_page": 10, "city": "成都", "seed": 36,
                 "articles": 34, "categories": 1, "delay": 0, "max_pages": 30, "header_charset": False,
                 "robots_disallow_article": False, "held_back": 3, "shuffle_listing": True}]
    if name == "promo":
        # 3 sites x 300 articles, each ending every article with its own
        # promo/disclaimer/contact block (truth: "promo" per article).
        return [
            {"host": "p-gbk.newsarc.test", "template": "zblog", "charset": "gbk", "articles": 300, "per_page": 20,
             "categories": 4, "city": "天津", "seed": 31, "delay": 0, "max_pages": 30, "promo": True},
            {"host": "p-wp.newsarc.test", "template": "wordpress", "articles": 300, "per_page": 20, "categories": 3,
             "city": "苏州", "seed": 32, "delay": 0, "max_pages": 30, "promo": True},
            {"host": "p-gov.newsarc.test", "template": "gov", "articles": 300, "per_page": 20, "categories": 2,
             "city": "成都", "seed": 33, "header_charset": False, "delay": 0, "max_pages": 30, "promo": True},
        ]
    if name == "syndication":
        # near-duplicates: a Tianjin portal's stories republished by a Hefei
        # portal (WordPress) and a Jinan district government (TRS), 40% of
        # their articles each, as is, retitled, with an editor's paragraph;
        # the rest, and the source's own weekly reports, are distinct stories
        src = {"host": "s-src.newsarc.test", "template": "zblog", "articles": 60, "per_page": 10,
               "categories": 2, "city": "天津", "seed": 31, "delay": 0, "max_pages": 10,
               "robots_disallow_article": False}
        return [
            src,
            {"host": "s-wp.newsarc.test", "template": "wordpress", "articles": 50, "per_page": 10, "categories": 2,
             "city": "合肥", "seed": 32, "delay": 0, "max_pages": 10, "robots_disallow_article": False,
             "copies_of": src, "copy_share": 0.4},
            {"host": "s-gov.newsarc.test", "template": "gov", "articles": 40, "per_page": 10, "categories": 2,
             "city": "济南", "seed": 33, "header_charset": False, "delay": 0, "max_pages": 10,
             "robots_disallow_article": False, "copies_of": src, "copy_share": 0.4},
        ]
    raise SystemExit("sitegen: unknown preset '%s' (demo, test, cms, cms-dates, promo, syndication)" % name)


SERVE_DEFAULTS = {
    # how each template's server behaves: PHP pages are chunked and carry no
    # validators; WordPress behind a page cache sends ETag; TRS static pages
    # (nginx) send both.
    "zblog": {"chunked": ["*.html", "*.php", "/"], "validators": "none"},
    "wordpress": {"chunked": [], "validators": "etag"},
    "gov": {"chunked": [], "validators": "both"},
    "trs": {"chunked": [], "validators": "both"},
    "dede": {"chunked": [], "validators": "last-modified"},
    "select": {"chunked": ["*.html"], "validators": "none"},
    "hanweb": {"chunked": [], "validators": "both"},
    "jsonapi": {"chunked": [], "validators": "etag"},
}


def write_sites(specs, out, now, quiet=False):
    os.makedirs(out, exist_ok=True)
    manifest = {"generator": "sitegen %d" % GEN_VERSION, "now": iso(now), "hosts": {}}
    conf = ["# sites.conf sections for the hosts generated by sitegen.py; @PORT@ is the server's port.\n"]
    total = 0
    for spec in specs:
        site = Site(spec, now)
        hdir = os.path.join(out, site.host)
        ctypes = {}
        for path, (body, ctype, mtime) in sorted(site.pages().items()):
            fpath = path_to_file(hdir, path)
            os.makedirs(os.path.dirname(fpath), exist_ok=True)
            data = body if isinstance(body, bytes) else body.encode(
                site.charset if not ctype or ctype.startswith(("text/html", "application/rss")) else "utf-8", errors="strict")
            with open(fpath, "wb") as f:
                f.write(data)
            ts = mtime.timestamp()
            os.utime(fpath, (ts, ts))
            if ctype:
                ctypes[path] = ctype
        with open(os.path.join(out, site.host + ".truth.json"), "w", encoding="utf-8") as f:
            json.dump(site.truth(), f, ensure_ascii=False, indent=1)
        sd = SERVE_DEFAULTS[site.tpl.name]
        manifest["hosts"][site.host] = {
            "template": site.tpl.name, "charset": site.charset, "header_charset": site.spec["header_charset"],
            "chunked": site.spec["chunked"] if site.spec["chunked"] is not None else sd["chunked"],
            "validators": site.spec["validators"] or sd["validators"],
            "content_types": ctypes, "robots_status": site.spec["robots_status"],
            "infinite": site.spec["infinite"], "spec": site.spec,
        }
        conf.append(site.conf_section())
        total += len(site.articles)
        if not quiet:
            print("sitegen: %s: %s, %s, %d articles, %d listing pages" % (
                site.host, site.tpl.name, site.charset, len(site.articles),
                sum(site.tpl.pages(c) for c in site.cats)), file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "sites.conf.in"), "w", encoding="utf-8") as f:
        f.write("\n".join(conf))
    return manifest


def path_to_file(hdir, path):
    """Where URL path lives under the host's folder: a trailing slash means
    index.html. Paths are generated by us, but refuse '..' anyway."""
    p = path.split("?", 1)[0]
    if ".." in p.split("/"):
        raise ValueError("bad path %r" % path)
    if p.endswith("/"):
        p += "index.html"
    return os.path.join(hdir, p.lstrip("/"))


def parse_now(s):
    if not s:
        return dt.datetime(2025, 6, 30, 10, 0, 0, tzinfo=TZ)
    d = dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=TZ)
    if len(s) <= 10:
        d = d.replace(hour=10)
    return d


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate fixture news sites in the seed page's image.")
    ap.add_argument("--out", required=True, help="output folder")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--preset", help="demo, test, cms, cms-dates, promo or syndication")
    g.add_argument("--spec", help="JSON file: a list of host specs (see DEFAULT_SPEC)")
    ap.add_argument("--seed", type=int, help="added to every host's seed")
    ap.add_argument("--now", help="the generation date, YYYY-MM-DD[THH:MM] (+08:00); default 2025-06-30T10:00")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--release", action="store_true", help="publish the held-back articles (spec held_back = 0)")
    a = ap.parse_args(argv)
    if a.preset:
        specs = preset(a.preset)
    else:
        with open(a.spec, encoding="utf-8") as f:
            specs = json.load(f)
    if a.seed is not None:
        for s in specs:
            s["seed"] = s.get("seed", 1) + a.seed
    if a.release:
        for s in specs:
            s["held_back"] = 0
    write_sites(specs, a.out, parse_now(a.now), a.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
