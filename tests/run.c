/* run.c — the test runner: runs every registered unit case in its own child
 * process (a crash or a leak report fails that case only), then every
 * executable tests/scripts/NAME.sh (integration tests; exit 0 pass, 77 skip),
 * and ends with the line "N passed, N failed". Arguments filter by substring. */
#include "tests/check.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int test_failures;
static struct test_case *cases, **cases_tail = &cases;
static char tmpdir_path[4096];

void test_register(struct test_case *tc)
{
    tc->next = NULL;
    *cases_tail = tc;
    cases_tail = &tc->next;
}

const char *test_srcdir(void)
{
    const char *s = getenv("NA_SRCDIR");
    return s && *s ? s : ".";
}

const char *test_tmpdir(void)
{
    if (!tmpdir_path[0]) {
        snprintf(tmpdir_path, sizeof tmpdir_path, "%s/newsarc-test-XXXXXX",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
        if (!mkdtemp(tmpdir_path)) {
            perror("mkdtemp");
            abort();
        }
    }
    return tmpdir_path;
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *p = malloc(cap);
    size_t r;
    while (p && (r = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            char *q = realloc(p, cap *= 2);
            if (!q) {
                free(p);
                p = NULL;
            }
            p = q;
        }
    }
    fclose(f);
    if (p)
        p[n] = 0;
    if (len)
        *len = n;
    return p;
}

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static int matches(int argc, char **argv, const char *name)
{
    if (argc < 2)
        return 1;
    for (int i = 1; i < argc; i++)
        if (strstr(name, argv[i]))
            return 1;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Waits for pid at most limit seconds; kills it after that. */
static int wait_bounded(pid_t pid, double limit, int *timed_out)
{
    int st = 0;
    double start = now_s();
    *timed_out = 0;
    for (;;) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_s() - start > limit) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            *timed_out = 1;
            return st;
        }
        usleep(2000);
    }
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    double limit = getenv("NA_TEST_TIMEOUT") ? atof(getenv("NA_TEST_TIMEOUT")) : 300;
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (struct test_case *tc = cases; tc; tc = tc->next) {
        if (!matches(argc, argv, tc->name))
            continue;
        fflush(NULL);
        double t0 = now_s();
        pid_t pid = fork();
        if (pid == 0) {
            setpgid(0, 0);
            test_failures = 0;
            tc->fn();
            if (tmpdir_path[0])
                nftw(tmpdir_path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
            exit(test_failures ? 1 : 0);
        }
        int to;
        int st = wait_bounded(pid, limit, &to);
        int ok = !to && WIFEXITED(st) && WEXITSTATUS(st) == 0;
        const char *why = to ? " (timeout)" : WIFSIGNALED(st) ? " (crashed)" : "";
        printf("%s %s%s (%.2fs)\n", ok ? "ok  " : "FAIL", tc->name, why, now_s() - t0);
        ok ? passed++ : failed++;
    }
    /* Integration scripts. */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/scripts", test_srcdir());
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        size_t l = strlen(name);
        if (l > 3 && strcmp(name + l - 3, ".sh") == 0 && matches(argc, argv, name)) {
            char path[8192];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            fflush(NULL);
            double t0 = now_s();
            pid_t pid = fork();
            if (pid == 0) {
                setpgid(0, 0);
                execl("/bin/bash", "bash", path, (char *)NULL);
                _exit(127);
            }
            int to;
            int st = wait_bounded(pid, limit, &to);
            if (!to && WIFEXITED(st) && WEXITSTATUS(st) == 77) {
                printf("skip %s\n", name);
                skipped++;
            } else {
                int ok = !to && WIFEXITED(st) && WEXITSTATUS(st) == 0;
                printf("%s %s%s (%.2fs)\n", ok ? "ok  " : "FAIL", name, to ? " (timeout)" : "", now_s() - t0);
                ok ? passed++ : failed++;
            }
        }
        free(ents[i]);
    }
    free(ents);
    if (skipped)
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else
        printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
