/* test_shard.c — cli/shard.c: the stable site hash of crawl --shard K/N. */
#include "tests/check.h"
#include "cli/shard.h"

TEST(shard_hash_is_fnv1a_64)
{
    /* the published FNV-1a 64 test vectors: the hash may never change */
    CHECK(shard_hash("") == 0xcbf29ce484222325ULL);
    CHECK(shard_hash("a") == 0xaf63dc4c8601ec8cULL);
    CHECK(shard_hash("foobar") == 0x85944171f73967e8ULL);
    /* UTF-8 bytes as they are: 新闻 = e6 96 b0 e9 97 bb */
    CHECK(shard_hash("\xe6\x96\xb0\xe9\x97\xbb") == shard_hash("新闻"));
    CHECK_EQ(shard_of("foobar", 3), 0x85944171f73967e8ULL % 3);
    CHECK_EQ(shard_of("anything", 1), 0);
}

TEST(shard_parse_k_of_n)
{
    unsigned k = 99, n = 99;
    CHECK_EQ(shard_parse("0/3", &k, &n), 0);
    CHECK_EQ(k, 0);
    CHECK_EQ(n, 3);
    CHECK_EQ(shard_parse("2/3", &k, &n), 0);
    CHECK_EQ(k, 2);
    static const char *const bad[] = { "3/3", "1/0", "-1/3", "1", "1/", "/3", "a/3", "1/3x", "1/99999", " 1/3" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(shard_parse(bad[i], &k, &n), -1);
}
