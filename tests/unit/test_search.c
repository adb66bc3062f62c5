/* test_search.c — store/search.h's query language turned into an FTS5
 * expression and substring filters: words AND-ed, phrases, OR, NOT and
 * -word, title:, quotes doubled, short terms as filters, and the errors;
 * the ranking: na_rank equals bm25, and the window of the newest matches. */
#include "tests/check.h"
#include "store/fts_rank.h"
#include "store/index.h"
#include "store/search.h"
#include "util/err.h"

#include <math.h>
#include <sqlite3.h>
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

/* ---- ranking (store/index.c index_search, store/fts_rank.h na_rank) ---- */

static const char *search_db(const char *name)
{
    static char p[4200];
    snprintf(p, sizeof p, "%s/%s", test_tmpdir(), name);
    return p;
}

/* An article row (and its capture) with title and text, fetched at t. */
static void put(struct index *ix, int n, const char *title, const char *text, const char *published)
{
    char url[64], rid[64];
    snprintf(url, sizeof url, "http://s.example/%d.html", n);
    snprintf(rid, sizeof rid, "<urn:uuid:%d>", n);
    struct index_capture_in c;
    memset(&c, 0, sizeof c);
    c.url = url;
    c.site = "s";
    c.kind = CAPTURE_ARTICLE;
    c.fetched = 1709251200 + n;
    c.status = 200;
    c.record_id = rid;
    c.payload_digest = "sha1:X";
    c.response.file = "f.warc.gz";
    c.response.offset = (uint64_t)n * 100;
    c.response.length = 10;
    int64_t cap = 0;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_add_capture(ix, &c, &cap, &err), 0);
    struct index_article_in a;
    memset(&a, 0, sizeof a);
    a.url = url;
    a.site = "s";
    a.title = title;
    a.published = published;
    a.capture_id = cap;
    a.fetched = c.fetched;
    a.extracted = c.fetched;
    a.conversion.file = "f.warc.gz";
    a.conversion.offset = (uint64_t)n * 100 + 50;
    a.conversion.length = 5;
    a.text = text;
    a.text_len = strlen(text);
    CHECK_EQ(index_add_article(ix, &a, NULL, &err), 0);
    buf_release(&err);
}

struct ids {
    char s[256];
    size_t n;
};

static int ids_cb(void *ud, const struct index_hit *h)
{
    struct ids *x = ud;
    size_t l = strlen(x->s);
    snprintf(x->s + l, sizeof x->s - l, "%s%s", l ? " " : "", h->url + strlen("http://s.example/"));
    x->n++;
    return 0;
}

TEST(search_rank_window_newest_matches)
{
    struct index *ix;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(search_db("rank.sqlite"), INDEX_CREATE, &ix, &err), 0);
    if (!ix)
        return;
    /* 1 is the best match by far (the word thrice, in the title too); 2-5
     * are the same text, published on one day; 6 has no match */
    put(ix, 1, "新型储能电站", "新型储能电站并网。新型储能电站投运。", "2024-01-01");
    for (int n = 2; n <= 5; n++)
        put(ix, n, "简讯", "本市新闻一则，另有新型储能电站一座在建，详情待续。", "2024-02-02");
    put(ix, 6, "其他", "与之无关的一条新闻。", "2024-03-03");
    struct index_search_q q;
    memset(&q, 0, sizeof q);
    q.match = "(\"新型储能\")";
    int capped = -1;
    q.capped = &capped;
    struct ids x = { "", 0 };
    /* no window, or a window wider than the matches: every match ranked */
    CHECK_EQ(index_search(ix, &q, ids_cb, &x, &err), 0);
    CHECK_STR(x.s, "1.html 5.html 4.html 3.html 2.html");
    CHECK_EQ(capped, 0);
    q.rank_window = 5;
    memset(&x, 0, sizeof x);
    CHECK_EQ(index_search(ix, &q, ids_cb, &x, &err), 0);
    CHECK_STR(x.s, "1.html 5.html 4.html 3.html 2.html");
    CHECK_EQ(capped, 0);
    /* more matches than the window: only the newest 3 rows are ranked,
     * their equal scores newest first */
    q.rank_window = 3;
    memset(&x, 0, sizeof x);
    CHECK_EQ(index_search(ix, &q, ids_cb, &x, &err), 0);
    CHECK_STR(x.s, "5.html 4.html 3.html");
    CHECK_EQ(capped, 1);
    /* the window counts the site filter's matches, not the substring terms */
    struct index_term t = { "并网", 0, 0 };
    q.terms = &t;
    q.nterms = 1;
    memset(&x, 0, sizeof x);
    CHECK_EQ(index_search(ix, &q, ids_cb, &x, &err), 0);
    CHECK_EQ(x.n, 0);
    CHECK_EQ(capped, 1);
    q.rank_window = 0;
    memset(&x, 0, sizeof x);
    CHECK_EQ(index_search(ix, &q, ids_cb, &x, &err), 0);
    CHECK_STR(x.s, "1.html");
    CHECK_EQ(capped, 0);
    buf_release(&err);
    index_close(ix);
}

/* na_rank is bm25 to the last digits: with every count exact, and with a
 * phrase past FTS_RANK_DF_EXACT matches spread evenly (the estimate is
 * then the count). */
static void compare_rank(sqlite3 *db, const char *match)
{
    sqlite3_stmt *s;
    CHECK_EQ(sqlite3_prepare_v2(db,
                                "SELECT bm25(t, 4.0, 1.0), na_rank(t, 4.0, 1.0, (SELECT min(rowid) FROM t),"
                                " (SELECT max(rowid) FROM t)) FROM t WHERE t MATCH ?1",
                                -1, &s, NULL),
             SQLITE_OK);
    sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
    int rows = 0, rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        double a = sqlite3_column_double(s, 0), b = sqlite3_column_double(s, 1);
        CHECK(a < 0 && fabs(a - b) < 1e-9 * fabs(a));
        rows++;
    }
    CHECK_EQ(rc, SQLITE_DONE);
    CHECK(rows > 0);
    sqlite3_finalize(s);
}

TEST(search_rank_is_bm25)
{
    sqlite3 *db;
    CHECK_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_EQ(fts_rank_register(db), SQLITE_OK);
    CHECK_EQ(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(title, text, tokenize = 'trigram');"
                              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)"
                              " INSERT INTO t(rowid, title, text) SELECT i, CASE WHEN i % 7 = 0 THEN '储能快讯' END,"
                              " CASE WHEN i % 2 = 0 THEN '新型储能' ELSE '火电' END || substr('，项目进展顺利', 1,"
                              " 1 + i % 7) || CASE WHEN i % 300 = 0 THEN '钠离子电池' ELSE '' END FROM n",
                          NULL, NULL, NULL),
             SQLITE_OK);
    compare_rank(db, "\"钠离子电池\"");                  /* 10 matches */
    compare_rank(db, "\"钠离子电池\" OR \"储能快讯\"");  /* 10 + 428 */
    compare_rank(db, "\"新型储能\"");                    /* 1500, one in 2 rows */
    compare_rank(db, "\"新型储能\" AND \"项目进\"");
    sqlite3_close(db);
}
