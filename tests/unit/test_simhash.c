/* test_simhash.c — util/simhash: what counts as the same text (spacing,
 * punctuation, ASCII case), a copy with one added sentence within the
 * cluster threshold, two reports from one template with other numbers and
 * names beyond it, short texts without a hash, the bands. */
#include "tests/check.h"
#include "util/simhash.h"

#include <string.h>

static const char story[] =
    "6月13日，蜀山区举行2025年冬季重点项目集中签约仪式，现场签约6个项目，总投资28.61亿元，涵盖新能源汽车、"
    "生物医药、智能制造等领域。远景精密制造科技有限公司是一家专注于汽车电子控制系统研发和生产的高新技术企业，"
    "产品远销欧美、东南亚等19个国家和地区。“从洽谈到签约只用了32天，蜀山区的办事效率让我们很有信心。”"
    "该公司相关负责人介绍。蜀山区设立总规模19.4亿元的产业引导基金，重点支持生物医药和人工智能领域的初创企业。"
    "全年力争新签约项目46个以上、签约额305亿元以上、实际使用外资增长14%以上。";

static const char other[] =
    "6月11日，肥西县举行2025年二季度重点项目集中签约仪式，现场签约12个项目，总投资55.30亿元，涵盖跨境电商、"
    "半导体材料、文化旅游等领域。盛世储能科技集团有限公司是一家专注于储能电池系统研发和生产的高新技术企业，"
    "产品远销欧美、中东等27个国家和地区。“从洽谈到签约只用了45天，肥西县的办事效率让我们很有信心。”"
    "该公司相关负责人介绍。肥西县设立总规模11.2亿元的产业引导基金，重点支持新型储能和跨境电商领域的初创企业。"
    "全年力争新签约项目29个以上、签约额572亿元以上、实际使用外资增长9%以上。";

static uint64_t sh(const char *s)
{
    uint64_t h = 0;
    CHECK_EQ(simhash64(s, strlen(s), &h), 1);
    return h;
}

TEST(simhash_same_text_same_hash)
{
    CHECK_EQ(sh(story), sh(story));
    /* spaces, line breaks and punctuation are separators only */
    char spaced[4096];
    size_t n = 0;
    for (const char *p = story; *p && n + 8 < sizeof spaced; p++) {
        if (strncmp(p, "，", 3) == 0) {
            memcpy(spaced + n, " \n ", 3);
            n += 3;
            p += 2;
            continue;
        }
        spaced[n++] = *p;
    }
    spaced[n] = 0;
    CHECK_EQ(simhash_distance(sh(story), sh(spaced)), 0);
    const char *a = "The Quick brown fox jumps over the lazy dog near the river bank every single morning while "
                    "the farmer watches from his old wooden porch and drinks a cup of coffee before work starts "
                    "in the fields behind the barn where the cows graze quietly until the sun goes down again";
    char b[1024];
    snprintf(b, sizeof b, "%s", a);
    for (char *p = b; *p; p++)
        if (*p >= 'a' && *p <= 'z')
            *p -= 32;
    CHECK_EQ(simhash_distance(sh(a), sh(b)), 0);
}

TEST(simhash_copy_with_a_sentence_added_is_near)
{
    char copy[8192];
    snprintf(copy, sizeof copy, "编者按：本文转载自合肥投资资讯网。%s", story);
    int d = simhash_distance(sh(story), sh(copy));
    CHECK(d <= SIMHASH_MAX_DISTANCE);
    /* and a paragraph cut at the end */
    char cut[8192];
    snprintf(cut, sizeof cut, "%s", story);
    char *last = strstr(cut, "全年力争");
    *last = 0;
    d = simhash_distance(sh(story), sh(cut));
    CHECK(d <= SIMHASH_MAX_DISTANCE + 4); /* a fifth of the text gone: near, if not always a copy */
}

TEST(simhash_one_template_other_story_is_far)
{
    int d = simhash_distance(sh(story), sh(other));
    CHECK(d > SIMHASH_MAX_DISTANCE);
}

TEST(simhash_copy_with_a_closing_paragraph_is_near)
{
    /* a fifth more text (the republisher's closing paragraph): 10 bits
     * apart with the threshold of 6 and numbers counted once, 9 now */
    char copy[8192];
    snprintf(copy, sizeof copy, "%s%s", story,
             "蜀山区相关负责人表示，将以此次签约为契机，建立项目跟踪服务机制，确保项目签约一个、落地一个、投产一个。");
    CHECK(simhash_distance(sh(story), sh(copy)) <= SIMHASH_MAX_DISTANCE);
}

TEST(simhash_report_with_other_numbers_is_far)
{
    /* next week's report of one template: the same sentences, every digit
     * another. Numbers counted once, 10 bits apart (within the threshold);
     * a shingle with a number counts twice: 16 */
    char next[4096];
    snprintf(next, sizeof next, "%s", story);
    for (char *p = next; *p; p++)
        if (*p >= '0' && *p <= '9')
            *p = (char)('0' + (*p - '0' + 3) % 10);
    CHECK(simhash_distance(sh(story), sh(next)) > SIMHASH_MAX_DISTANCE);
    /* a number's own token: fullwidth digits are the same number */
    char wide[8192];
    size_t n = 0;
    for (const char *p = story; *p && n + 4 < sizeof wide; p++) {
        if (*p >= '0' && *p <= '9') {
            wide[n++] = (char)0xEF, wide[n++] = (char)0xBC, wide[n++] = (char)(0x90 + (*p - '0'));
            continue;
        }
        wide[n++] = *p;
    }
    wide[n] = 0;
    CHECK_EQ(simhash_distance(sh(story), sh(wide)), 0);
}

TEST(simhash_short_text_has_none)
{
    uint64_t h = 1;
    CHECK_EQ(simhash64("短文本", strlen("短文本"), &h), 0);
    CHECK_EQ(h, 0);
    CHECK_EQ(simhash64("", 0, &h), 0);
    /* invalid UTF-8 is a separator, not a crash */
    CHECK_EQ(simhash64("\xff\xfe\x80", 3, &h), 0);
}

TEST(simhash_bands_cover_the_hash)
{
    uint64_t h = sh(story), back = 0;
    for (int i = 0; i < SIMHASH_BANDS; i++)
        back |= (uint64_t)simhash_band(h, i) << (8 * i);
    CHECK_EQ(back, h);
    /* pigeonhole: two hashes within SIMHASH_BANDS - 1 bits share a band */
    uint64_t g = h ^ 0x0101010101010100ULL; /* 7 bits, one in each of bands 1..7 */
    int shared = 0;
    for (int i = 0; i < SIMHASH_BANDS; i++)
        shared += simhash_band(h, i) == simhash_band(g, i);
    CHECK_EQ(shared, 1);
}
