/* test_search.c — store/search.h's query language turned into an FTS5
 * expression and substring filters: words AND-ed, phrases, OR, NOT and
 * -word, title:, quotes doubled, short terms as filters, and the errors. */
#include "tests/check.h"
#include "store/search.h"
#include "util/err.h"

#include <string.h>

static const char *parse(const char *q, int title_only, struct search_parsed *p, int want_rc)
{
    struct buf err = BUF_INIT;
    int rc = search_parse(q, title_only, p, &err);
    CHECK_EQ(rc, want_rc);
    if (want_rc)
        CHECK(err.len > 0);
    buf_release(&err);
    return p->match.len ? buf_str(&p->match) : "";
}

TEST(search_parse_words_phrases_not)
{
    struct search_parsed p;
    CHECK_STR(parse("集中签约 重点项目", 0, &p, 0), "(\"集中签约\" AND \"重点项目\")");
    CHECK_EQ(p.nterms, 0);
    CHECK_EQ(p.short_only, 0);
    search_parsed_release(&p);
    CHECK_STR(parse("\"重点项目 集中签约\" NOT 北辰区", 0, &p, 0), "(\"重点项目 集中签约\") NOT \"北辰区\"");
    search_parsed_release(&p);
    CHECK_STR(parse("“重点项目”  -北辰区", 0, &p, 0), "(\"重点项目\") NOT \"北辰区\"");
    search_parsed_release(&p);
    CHECK_STR(parse("锂电池 OR 生物医药", 0, &p, 0), "\"锂电池\" OR \"生物医药\"");
    search_parsed_release(&p);
    /* a quote inside a term is doubled, FTS5 syntax stays inert */
    CHECK_STR(parse("a\"b* c:d", 0, &p, 0), "(\"a\"\"b*\" AND \"c:d\")");
    search_parsed_release(&p);
}

TEST(search_parse_title_only)
{
    struct search_parsed p;
    CHECK_STR(parse("title:集中签约 储能产业", 0, &p, 0), "(title : \"集中签约\" AND \"储能产业\")");
    search_parsed_release(&p);
    CHECK_STR(parse("集中签约", 1, &p, 0), "(title : \"集中签约\")");
    search_parsed_release(&p);
}

TEST(search_parse_short_terms_are_filters)
{
    struct search_parsed p;
    CHECK_STR(parse("储能 集中签约 -天津", 0, &p, 0), "(\"集中签约\")");
    CHECK_EQ(p.nterms, 2);
    CHECK_STR(p.terms[0].s, "储能");
    CHECK_EQ(p.terms[0].negate, 0);
    CHECK_STR(p.terms[1].s, "天津");
    CHECK_EQ(p.terms[1].negate, 1);
    search_parsed_release(&p);
    CHECK_STR(parse("储能", 0, &p, 0), "");
    CHECK_EQ(p.short_only, 1);
    CHECK_EQ(p.nterms, 1);
    search_parsed_release(&p);
    /* alone, a long NOT term is a filter too (nothing to subtract from) */
    parse("储能 NOT 北辰区", 0, &p, 0);
    CHECK_EQ(p.short_only, 1);
    CHECK_EQ(p.nterms, 2);
    search_parsed_release(&p);
}

TEST(search_parse_errors)
{
    struct search_parsed p;
    const char *bad[] = { "", "   ", "\"unbalanced", "NOT", "集中签约 NOT", "OR 集中签约", "集中签约 OR",
                          "储能 OR 集中签约", "-北辰区", "集中签约 OR -北辰区" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parse(bad[i], 0, &p, NA_EINVAL);
        search_parsed_release(&p);
    }
    char big[SEARCH_MAX_QUERY + 10];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    parse(big, 0, &p, NA_EINVAL);
    search_parsed_release(&p);
}
