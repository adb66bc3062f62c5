/* test_template.c — crawler/template: normalization (numbers, dates,
 * widths, punctuation), the learning threshold, the dropping rules and
 * their guards, and the template kept in the index (template_store). */
#include "tests/check.h"
#include "crawler/template.h"
#include "crawler/template_store.h"
#include "store/index.h"
#include "util/err.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t H(const char *s) { return template_hash(s, strlen(s), NULL); }

TEST(template_normalize)
{
    /* numbers and dates that change inside a fixed block */
    CHECK_EQ(H("联系电话：0571-88881234，2023年10月10日更新"), H("联系电话: 021-6666 5678，2024年1月3日更新"));
    CHECK_EQ(H("本网声明：转载请注明出处。"), H("本网声明 转载请注明出处"));
    /* full-width and half-width, case */
    CHECK_EQ(H("ＡＢＣ产业网２０２３"), H("abc产业网 7"));
    CHECK_EQ(H("【某某产业园区网】专注招商"), H("[某某产业园区网] 专注招商"));
    /* different words stay different */
    CHECK(H("专注招商") != H("专注租售"));
    CHECK(H("第1章") != H("第1节"));
    size_t n = 0;
    template_hash("2023-10-10 12:00", 16, &n);
    CHECK_EQ(n, 1); /* one marker */
    template_hash("，。！", strlen("，。！"), &n);
    CHECK_EQ(n, 0);
    template_hash("ab中文", strlen("ab中文"), &n);
    CHECK_EQ(n, 4);
    CHECK(H("") != 0);
}

/* A word of letters unique to (i, salt): bodies that share no block. */
static const char *word(int i, int salt, char *w)
{
    unsigned v = (unsigned)i * 2654435761u ^ (unsigned)salt * 40503u;
    for (int k = 0; k < 6; k++, v /= 26)
        w[k] = (char)('a' + v % 26);
    w[6] = 0;
    return w;
}

/* n articles: each a unique body and, every promo_every-th, the promo line last. */
static void learn_site(struct template *t, int n, const char *promo, int promo_every)
{
    char text[1024], w1[8], w2[8], w3[8];
    for (int i = 0; i < n; i++) {
        int with = promo && i % promo_every == 0;
        snprintf(text, sizeof text, "导语%s讲述园区的新进展，规划%s目标。\n记者走访%s企业，了解到产值%s增长。%s%s",
                 word(i, 1, w1), word(i, 2, w2), word(i, 3, w3), word(i, 4, w3), with ? "\n" : "", with ? promo : "");
        CHECK(template_learn(t, text) >= 0);
    }
}

/* The key of a footer clause. */
static uint64_t F(const char *s) { return template_key(TEMPLATE_FOOT, H(s)); }

#define PROMO "【某某产业园区网】专注园区招商、厂房土地租售，免费提供选址服务。咨询电话：400-123-4567。"

TEST(template_threshold)
{
    struct template *t = template_new();
    CHECK(t != NULL);
    /* under TEMPLATE_MIN_ARTICLES: nothing learned, whatever the share */
    learn_site(t, TEMPLATE_MIN_ARTICLES - 1, PROMO, 1);
    CHECK_EQ(template_nlearned(t), 0);
    CHECK(!template_learned(t, F("咨询电话：400-123-4567。")));
    /* the 20th: learned, and learn says the template changed */
    CHECK_EQ(template_learn(t, "又一篇完全不同的报道正文，讲的是别的事情。\n" PROMO), 1);
    CHECK(template_nlearned(t) >= 2);
    CHECK_EQ(template_learn(t, "再一篇报道的正文内容。\n" PROMO), 0); /* already learned */
    template_free(t);
    /* a block on half the articles stays under 60% */
    t = template_new();
    learn_site(t, 60, PROMO, 2);
    CHECK_EQ(template_nlearned(t), 0);
    template_free(t);
    /* on two thirds: learned */
    t = template_new();
    learn_site(t, 60, PROMO, 1);
    learn_site(t, 30, NULL, 1);
    CHECK(template_nlearned(t) >= 2);
    CHECK_EQ(template_count(t, F("咨询电话：999")), 90 - 30);
    template_free(t);
}

static char *apply(const struct template *t, const char *text, struct template_result *r, struct buf *ex)
{
    struct buf out = BUF_INIT;
    CHECK_EQ(template_apply(t, text, &out, ex, r), 0);
    char *s = buf_detach(&out, NULL);
    return s ? s : strdup("");
}

TEST(template_drop_footer_and_guards)
{
    struct template *t = template_new();
    learn_site(t, 100, PROMO, 1);
    struct template_result r;
    struct buf ex = BUF_INIT;
    /* the footer goes, with other numbers in it; the explanation names the share */
    char *s = apply(t, "今天的新闻正文第一段，讲述了一件很长的事情，有很多细节和人物。\n第二段继续讲述。\n"
                       "【某某产业园区网】专注园区招商、厂房土地租售，免费提供选址服务。咨询电话：0571-8888。", &r, &ex);
    CHECK_STR(s, "今天的新闻正文第一段，讲述了一件很长的事情，有很多细节和人物。\n第二段继续讲述。");
    CHECK_EQ(r.dropped, 1);
    CHECK_CONTAINS(buf_str(&ex), "recurs on 100% of this site's articles (100 of 100)");
    CHECK_CONTAINS(buf_str(&ex), "dropped");
    free(s);
    /* a short line after it (an editor's name) does not protect the footer */
    s = apply(t, "正文第一段，讲述了一件很长的事情，有很多细节和人物，还有更多的内容在这里面。\n" PROMO "\n（责任编辑：王五）", &r, NULL);
    CHECK_STR(s, "正文第一段，讲述了一件很长的事情，有很多细节和人物，还有更多的内容在这里面。\n（责任编辑：王五）");
    free(s);
    /* never the only paragraph */
    s = apply(t, PROMO, &r, &ex);
    CHECK_STR(s, PROMO);
    CHECK_EQ(r.dropped, 0);
    CHECK_CONTAINS(buf_str(&ex), "kept (the text has nothing else)");
    free(s);
    /* never more than TEMPLATE_MAX_DROP_PCT of the text */
    buf_reset(&ex);
    s = apply(t, "短讯。\n" PROMO, &r, &ex);
    CHECK_STR(s, "短讯。\n" PROMO);
    CHECK_CONTAINS(buf_str(&ex), "kept (too much of the text)");
    free(s);
    /* a long template line inside the text stays (real content that recurs) */
    buf_reset(&ex);
    s = apply(t, "正文第一段，讲述了一件很长的事情，有很多细节和人物，还有更多的内容在这里面，以及别的。\n" PROMO
                 "\n正文第三段，接着讲述这件事情的后续发展，以及相关部门的回应和下一步的计划安排。", &r, &ex);
    CHECK_EQ(r.dropped, 0);
    CHECK_CONTAINS(s, "专注园区招商");
    CHECK_CONTAINS(buf_str(&ex), "kept (inside the text)");
    free(s);
    /* an unrelated text is left byte for byte */
    s = apply(t, "完全无关的文字。\n第二行。\n", &r, NULL);
    CHECK_STR(s, "完全无关的文字。\n第二行。\n");
    free(s);
    buf_release(&ex);
    template_free(t);
}

TEST(template_lead_in_and_partial_cover)
{
    struct template *t = template_new();
    /* a fixed lead-in on every article, and a footer sentence */
    char text[512];
    for (int i = 0; i < 40; i++) {
        snprintf(text, sizeof text, "本站讯 欢迎访问某某新闻网，本站所有内容均经过编辑审核。\n第%d篇%c%c正文讲的是某件事情。\n本文来源：某某新闻网。", i,
                 'a' + i % 26, 'a' + i / 26);
        template_learn(t, text);
    }
    struct template_result r;
    char *s = apply(t, "本站讯 欢迎访问某某新闻网，本站所有内容均经过编辑审核。\n新的一篇报道，讲的是另一件事情，而且有足够长的篇幅来说明这个问题的来龙去脉。\n"
                       "本文来源：某某新闻网。作者的补充说明文字与本站无关，内容很长很长很长很长很长很长很长很长很长。", &r, NULL);
    /* the lead-in goes; the last line is mostly the author's words: kept */
    CHECK_EQ(r.dropped, 1);
    CHECK(strncmp(s, "新的一篇报道", strlen("新的一篇报道")) == 0);
    CHECK_CONTAINS(s, "作者的补充说明");
    free(s);
    /* a young template drops nothing */
    struct template *y = template_new();
    learn_site(y, 5, PROMO, 1);
    s = apply(y, "正文很长很长很长很长很长很长很长很长很长很长。\n" PROMO, &r, NULL);
    CHECK_EQ(r.dropped, 0);
    free(s);
    template_free(y);
    template_free(t);
}

TEST(template_store_roundtrip)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tpl.sqlite", test_tmpdir());
    struct index *ix = NULL;
    struct buf err = BUF_INIT;
    CHECK_EQ(index_open(path, INDEX_CREATE, &ix, &err), 0);
    struct template *t = template_new(), *u = NULL;
    learn_site(t, 30, PROMO, 1);
    CHECK_EQ(index_begin(ix, &err), 0);
    CHECK_EQ(tstore_save(ix, "s1", t), 0);
    CHECK_EQ(index_commit(ix, &err), 0);
    CHECK_EQ(tstore_load(ix, "s1", &u, &err), 0);
    CHECK_EQ(template_articles(u), 30);
    CHECK_EQ(template_nlearned(u), template_nlearned(t));
    CHECK(template_nlearned(u) >= 2);
    CHECK(template_learned(u, F("咨询电话：1")));
    /* one more article: only what changed is written, the count follows */
    CHECK_EQ(template_learn(u, "一篇新文章。\n" PROMO), 0);
    CHECK_EQ(index_begin(ix, &err), 0);
    CHECK_EQ(tstore_save(ix, "s1", u), 0);
    CHECK_EQ(index_commit(ix, &err), 0);
    template_free(u);
    CHECK_EQ(tstore_load(ix, "s1", &u, &err), 0);
    CHECK_EQ(template_articles(u), 31);
    CHECK_EQ(template_count(u, F("咨询电话：1")), 31);
    template_free(u);
    /* another site has its own (empty) template */
    CHECK_EQ(tstore_load(ix, "s2", &u, &err), 0);
    CHECK_EQ(template_articles(u), 0);
    CHECK_EQ(template_nlearned(u), 0);
    template_free(u);
    template_free(t);
    index_close(ix);
    /* reindex keeps it: the crawler state is copied from the old index */
    char path2[4096];
    snprintf(path2, sizeof path2, "%s/tpl2.sqlite", test_tmpdir());
    CHECK_EQ(index_open(path2, INDEX_CREATE, &ix, &err), 0);
    CHECK_EQ(index_copy_state(ix, path, &err), 0);
    CHECK_EQ(tstore_load(ix, "s1", &u, &err), 0);
    CHECK_EQ(template_articles(u), 31);
    CHECK_EQ(template_count(u, F("咨询电话：1")), 31);
    template_free(u);
    index_close(ix);
    buf_release(&err);
}

TEST(template_recurring_prose_kept)
{
    /* A formula of the site's reports, in 80% of its articles but at
     * varying places (the fixture generator's habit, and a real desk's),
     * and a contact line in varying words at the end of every article. */
    struct template *t = template_new();
    char text[4096], w[8];
    static const char *const title[] = { "先生", "女士", "经理" };
    for (int i = 0; i < 100; i++) {
        struct buf b = BUF_INIT;
        int at = i % 8;
        for (int k = 0; k < 9; k++) {
            if (k == at && i % 5)
                buf_adds(&b, "会议指出，要坚持招商引资“一把手”工程，进一步完善招商引资考核激励机制。\n");
            buf_printf(&b, "第%d段正文%s讲述项目的进展。\n", k, word(i * 10 + k, 5, w));
        }
        buf_printf(&b, "投稿及合作请联系：张%s %d，邮箱：tougao%d@example.com", title[i % 3], 1380000 + i, i);
        snprintf(text, sizeof text, "%s", buf_str(&b));
        buf_release(&b);
        CHECK(template_learn(t, text) >= 0);
    }
    struct template_result r;
    struct buf ex = BUF_INIT;
    /* the formula as the last paragraph stays; the contact line goes,
     * with a title and numbers it never had */
    char *s = apply(t, "一篇新报道的正文，讲述项目从洽谈到签约的全过程，篇幅足够长，细节也足够多。\n"
                       "会议指出，要坚持招商引资“一把手”工程，进一步完善招商引资考核激励机制。\n"
                       "投稿及合作请联系：张主任 13912345678，邮箱：tougao777@example.com", &r, &ex);
    CHECK_EQ(r.dropped, 1);
    CHECK_CONTAINS(s, "会议指出");
    CHECK_NOT_CONTAINS(s, "投稿及合作");
    CHECK_CONTAINS(buf_str(&ex), "recurs on 100% of this site's articles");
    free(s);
    /* and inside the text, short as it is */
    s = apply(t, "一篇新报道的正文，讲述项目从洽谈到签约的全过程，篇幅足够长，细节也足够多。\n"
                 "会议指出，要坚持招商引资“一把手”工程，进一步完善招商引资考核激励机制。\n"
                 "另一段正文，讲述项目落地后的运营情况和带动就业的效果，内容同样很长很长。\n"
                 "第三段正文，讲述下一步的工作计划和相关部门的支持措施，也是足够长的内容。\n"
                 "第四段正文，讲述企业负责人对营商环境的评价以及对未来发展的信心和期待。", &r, NULL);
    CHECK_EQ(r.dropped, 0);
    free(s);
    buf_release(&ex);
    template_free(t);
}
