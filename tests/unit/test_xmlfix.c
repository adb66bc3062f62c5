/* test_xmlfix.c — xmlfix.c, the repairs before libxml2: what each '&'
 * becomes, the sections left alone (CDATA, comments, PIs, DOCTYPE, also
 * unterminated), junk before the document, decoding by BOM and declaration,
 * input cut anywhere, and the output cap. */
#include "tests/check.h"
#include "crawler/discover.h"
#include "crawler/xmlfix.h"
#include "util/err.h"

#include <string.h>

/* The repaired form of s (static buffer), or "ERR <code>". */
static const char *fix(const char *s, size_t n)
{
    static char out[4096];
    struct buf b, err = BUF_INIT;
    buf_init(&b, 2 * n + 64);
    int rc = xmlfix_prepare(s, n, &b, &err);
    if (rc)
        snprintf(out, sizeof out, "ERR %d", rc);
    else
        snprintf(out, sizeof out, "%s", buf_str(&b));
    buf_release(&b);
    buf_release(&err);
    return out;
}

#define FIX(s) fix((s), sizeof(s) - 1)

TEST(xmlfix_ampersands)
{
    CHECK_STR(FIX("<a>Tom & Jerry</a>"), "<a>Tom &#38; Jerry</a>");
    CHECK_STR(FIX("<a>&amp;&lt;&gt;&quot;&apos;</a>"), "<a>&#38;&#60;&#62;&#34;&#39;</a>");
    CHECK_STR(FIX("<a>&nbsp;&copy;&hellip;</a>"), "<a>&#160;&#169;&#8230;</a>");
    CHECK_STR(FIX("<a>&#20013;&#x4E2D;&#X4E;</a>"), "<a>&#20013;&#x4E2D;&#38;#X4E;</a>");
    CHECK_STR(FIX("<a>&unknown; &nbsp &#; &#0; &#xD800; &#123456789;</a>"),
              "<a>&#38;unknown; &#38;nbsp &#38;#; &#38;#0; &#38;#xD800; &#38;#123456789;</a>");
    CHECK_STR(FIX("<a href=\"x?a=1&b=2&amp;c=3\"/>"), "<a href=\"x?a=1&#38;b=2&#38;c=3\"/>");
    /* at the very end of the input */
    CHECK_STR(FIX("<a>&"), "<a>&#38;");
    CHECK_STR(FIX("<a>&#"), "<a>&#38;#");
    CHECK_STR(FIX("<a>&amp"), "<a>&#38;amp");
}

TEST(xmlfix_sections_left_alone)
{
    CHECK_STR(FIX("<a><![CDATA[x&y&amp;]]>&</a>"), "<a><![CDATA[x&y&amp;]]>&#38;</a>");
    CHECK_STR(FIX("<a><!-- a & b -->&</a>"), "<a><!-- a & b -->&#38;</a>");
    CHECK_STR(FIX("<?xml-stylesheet href=\"a&b\"?><a>&</a>"), "<?xml-stylesheet href=\"a&b\"?><a>&#38;</a>");
    CHECK_STR(FIX("<!DOCTYPE a [<!ENTITY e \"&x;\"> <!-- ] -->]><a>&e;</a>"),
              "<!DOCTYPE a [<!ENTITY e \"&x;\"> <!-- ] -->]><a>&#38;e;</a>");
    CHECK_STR(FIX("<!DOCTYPE rss PUBLIC \"-//x\" \"http://x/a.dtd\"><rss>&</rss>"),
              "<!DOCTYPE rss PUBLIC \"-//x\" \"http://x/a.dtd\"><rss>&#38;</rss>");
    /* unterminated: copied to the end, no overrun */
    CHECK_STR(FIX("<a><![CDATA[x&y"), "<a><![CDATA[x&y");
    CHECK_STR(FIX("<a><!-- &"), "<a><!-- &");
    CHECK_STR(FIX("<!DOCTYPE a [ & "), "<!DOCTYPE a [ & ");
}

TEST(xmlfix_leading_junk_and_controls)
{
    CHECK_STR(FIX("\n\n  <?xml version=\"1.0\"?><a/>"), "<?xml version=\"1.0\"?><a/>");
    CHECK_STR(FIX("\xEF\xBB\xBF \n<?xml version=\"1.0\"?><a/>"), "<?xml version=\"1.0\"?><a/>");
    CHECK_STR(FIX("<br />\n<b>Notice</b>: x<br />\n<rss><c/></rss>"), "<rss><c/></rss>");
    CHECK_STR(FIX("  <!-- gen --><rss/>"), "<!-- gen --><rss/>");
    CHECK_STR(FIX("<html><body>no feed</body></html>"), "<html><body>no feed</body></html>");
    CHECK_STR(FIX("  no markup at all"), "");
    CHECK_STR(FIX("<a>x\x01y\x1Fz\tw\r\n</a>"), "<a>xyz\tw\r\n</a>");
    const char nul[] = "<a>x\0y</a>";
    CHECK_STR(fix(nul, sizeof nul - 1), "<a>xy</a>");
}

/* Found by fuzz_discover: a control character inside a CDATA section (or a
 * comment, PI, DOCTYPE) was copied, and libxml2's recovery then turned the
 * CDATA link "http://a.example/1\x01" into "http://a.example/]>". XML
 * forbids them there too: they are dropped in every section. */
TEST(xmlfix_controls_in_sections)
{
    CHECK_STR(FIX("<a><![CDATA[x\x01y\x1Fz\t]]></a>"), "<a><![CDATA[xyz\t]]></a>");
    CHECK_STR(FIX("<a><!-- a\x02 --><?pi \x03?></a>"), "<a><!-- a --><?pi ?></a>");
    CHECK_STR(FIX("<!DOCTYPE a [\x04]><a/>"), "<!DOCTYPE a []><a/>");
    const char nul[] = "<a><![CDATA[x\0\0y]]></a>";
    CHECK_STR(fix(nul, sizeof nul - 1), "<a><![CDATA[xy]]></a>");
    const char feed[] = "<rss><channel><item><link><![CDATA[http://a.example/1\x01]]></link></item>"
                        "<item><link>http://a.example/2</link></item></channel></rss>";
    struct url_list a;
    struct buf err = BUF_INIT;
    url_list_init(&a, 0);
    CHECK_EQ(discover_feed(NULL, "http://a.example/f", feed, sizeof feed - 1, &a, &err), 0);
    CHECK_EQ(a.n, 2);
    if (a.n == 2) {
        CHECK_STR(a.v[0], "http://a.example/1");
        CHECK_STR(a.v[1], "http://a.example/2");
    }
    url_list_release(&a);
    buf_release(&err);
}

TEST(xmlfix_decoding)
{
    /* gb2312 declared: GB18030; the declaration itself is kept (libxml2 is
     * told to ignore it). */
    CHECK_STR(FIX("<?xml version='1.0' encoding='gb2312'?><a>\xD6\xD0\xE9\x46</a>"),
              "<?xml version='1.0' encoding='gb2312'?><a>\xE4\xB8\xAD\xE9\x95\x95</a>");
    /* UTF-16LE with a BOM */
    const char u16[] = "\xFF\xFE<\0a\0>\0&\0<\0/\0a\0>\0";
    CHECK_STR(fix(u16, sizeof u16 - 1), "<a>&#38;</a>");
    /* invalid UTF-8 without a declaration: still valid UTF-8 out */
    const char *o = FIX("<a>\xFF\xFE ok</a>");
    CHECK(strncmp(o, "ERR", 3) != 0);
    CHECK_CONTAINS(o, " ok</a>");
}

TEST(xmlfix_cut_anywhere_and_capped)
{
    const char doc[] = "\n<?xml version=\"1.0\" encoding=\"gbk\"?><!DOCTYPE r [<!ENTITY a \"b\">]><rss>"
                       "<![CDATA[&]]><!-- & --><?pi & ?>&amp;&#38;&#x26;&nbsp;&zz;&\xD6\xD0</rss>";
    for (size_t k = 0; k <= sizeof doc - 1; k++) {
        struct buf b, err = BUF_INIT;
        buf_init(&b, 1 << 16);
        CHECK_EQ(xmlfix_prepare(doc, k, &b, &err), 0);
        CHECK(b.len <= 2 * k + 16);
        buf_release(&b);
        buf_release(&err);
    }
    /* The output cap is an error with a message, not a crash. */
    struct buf b, err = BUF_INIT;
    buf_init(&b, 10);
    CHECK_EQ(xmlfix_prepare("<a>&&&&&&&&</a>", 15, &b, &err), NA_ETOOBIG);
    CHECK_CONTAINS(buf_str(&err), "escaped");
    buf_release(&b);
    buf_release(&err);
}
