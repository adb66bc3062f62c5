/* check.h — the tiny test framework: TEST(name) registers a case (by a
 * constructor, so each tests/unit/test_*.c only lists its own cases),
 * CHECK* macros print both values with file:line and mark the case failed,
 * and SKIP("why") ends a case that cannot run here as skipped. The runner
 * (tests/run.c) runs each case in a child process. */
#ifndef NA_CHECK_H
#define NA_CHECK_H

#include <stdio.h>
#include <string.h>

struct test_case {
    const char *name;
    const char *file;
    void (*fn)(void);
    struct test_case *next;
};

void test_register(struct test_case *tc);
extern int test_failures; /* failures in the current case */
/* Path of the source tree root (where tests/data lives), from NA_SRCDIR or ".". */
const char *test_srcdir(void);
/* A fresh temporary directory for this case (removed by the runner). */
const char *test_tmpdir(void);
/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL on error. */
char *test_read_file(const char *path, size_t *len);
/* Ends the current case as skipped (as failed if a CHECK failed before). */
__attribute__((noreturn)) void test_skip(const char *file, int line, const char *why);

/* SKIP("why"): the case cannot run here (a missing tool or setting); the
 * runner counts it as skipped and prints why. Never for unfinished code. */
#define SKIP(why) test_skip(__FILE__, __LINE__, (why))

#define TEST(name)                                                          \
    static void test_##name(void);                                          \
    static struct test_case test_case_##name = { #name, __FILE__, test_##name, 0 }; \
    __attribute__((constructor)) static void test_reg_##name(void)          \
    {                                                                       \
        test_register(&test_case_##name);                                   \
    }                                                                       \
    static void test_##name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            test_failures++;                                                \
        }                                                                   \
    } while (0)

#define CHECK_EQ(a, b)                                                      \
    do {                                                                    \
        long long va_ = (long long)(a), vb_ = (long long)(b);               \
        if (va_ != vb_) {                                                   \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n",       \
                    __FILE__, __LINE__, #a, #b, va_, vb_);                  \
            test_failures++;                                                \
        }                                                                   \
    } while (0)

#define CHECK_STR(a, b)                                                     \
    do {                                                                    \
        const char *sa_ = (a), *sb_ = (b);                                  \
        if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                        \
            fprintf(stderr, "%s:%d: %s == %s failed:\n  got:      \"%s\"\n  expected: \"%s\"\n", \
                    __FILE__, __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)"); \
            test_failures++;                                                \
        }                                                                   \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                         \
    do {                                                                    \
        const char *h_ = (hay), *n_ = (needle);                             \
        if (!h_ || !strstr(h_, n_)) {                                       \
            fprintf(stderr, "%s:%d: \"%s\" not found in %s\n", __FILE__, __LINE__, n_, #hay); \
            test_failures++;                                                \
        }                                                                   \
    } while (0)

#define CHECK_NOT_CONTAINS(hay, needle)                                     \
    do {                                                                    \
        const char *h_ = (hay), *n_ = (needle);                             \
        if (h_ && strstr(h_, n_)) {                                         \
            fprintf(stderr, "%s:%d: \"%s\" unexpectedly found in %s\n", __FILE__, __LINE__, n_, #hay); \
            test_failures++;                                                \
        }                                                                   \
    } while (0)

#endif
