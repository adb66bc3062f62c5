/* run.c — the test runner: every registered unit case and every
 * tests/scripts/NAME.sh (integration tests), each in a child process of its
 * own process group, NA_TEST_JOBS of them at a time (default: 3 per core, at
 * least 4; the scripts mostly wait on servers and timers). Exit 0 passes,
 * exit 77 skips (SKIP() in check.h, or a script's "exit 77"); anything else,
 * a crash, a sanitizer report or NA_TEST_TIMEOUT seconds (default 300; then
 * the whole group is killed) fails. A child's stdout and stderr go to a file
 * that is printed as one block when it ends, indented under its "ok"/"FAIL"/
 * "skip" line: in full for a failure, the last lines of a passing script
 * (NA_TEST_VERBOSE=1: everything). The slowest scripts start first, the
 * unit cases last. Arguments filter by substring. The last line is
 * "N passed, N failed", with ", N skipped" when some were. */
#include "tests/check.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SKIP_STATUS 77
#define PASS_TAIL_LINES 8          /* lines of a passing script's output shown */
#define FAIL_HEAD_BYTES (16 << 10) /* a failure's output beyond head + tail is cut */
#define FAIL_TAIL_BYTES (192 << 10)
#define TERM_GRACE 3.0             /* seconds between SIGTERM and SIGKILL on timeout */

/* The longest scripts (about 20, 15, 15, 8, 8 s), started first so that they
 * overlap; every other script follows, then the unit cases. */
static const char *const slow_first[] = {
    "crawl_faults.sh", "e2e_demo.sh", "crawl_politeness.sh", "crawl_backfill.sh",
    "fixture_server.sh", "quality.sh", "warcio.sh", "crawl_archive.sh", "try.sh",
};

int test_failures;
static struct test_case *cases, **cases_tail = &cases;
static char tmpdir_path[4096];
static volatile sig_atomic_t stop_signal;

struct job {
    const char *name;
    struct test_case *tc; /* a unit case, or */
    char *script;         /* the path of a script */
    int rank;             /* start order */
    pid_t pid;            /* > 0 while running */
    double t0, term_at;
    int timed_out;
    char log[4200];
};

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

static void remove_tree(const char *dir)
{
    if (dir[0])
        nftw(dir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Ends the current case: skipped, unless a CHECK failed before. */
void test_skip(const char *file, int line, const char *why)
{
    fprintf(stderr, "%s:%d: skipped: %s\n", file, line, why);
    fflush(NULL);
    remove_tree(tmpdir_path);
    exit(test_failures ? 1 : SKIP_STATUS);
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

static void on_signal(int sig) { stop_signal = sig; }

static int env_int(const char *name, int dflt)
{
    const char *v = getenv(name);
    return v && atoi(v) > 0 ? atoi(v) : dflt;
}

/* ---- the list of jobs ---- */

static int script_rank(const char *name)
{
    int n = (int)(sizeof slow_first / sizeof slow_first[0]);
    for (int i = 0; i < n; i++)
        if (strcmp(name, slow_first[i]) == 0)
            return i;
    return n;
}

static int by_rank(const void *a, const void *b)
{
    const struct job *x = a, *y = b;
    return x->rank != y->rank ? x->rank - y->rank : strcmp(x->name, y->name);
}

static struct job *add_job(struct job **jobs, int *n, int *cap)
{
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 256;
        struct job *j = realloc(*jobs, (size_t)c * sizeof *j);
        if (!j) {
            perror("realloc");
            exit(2);
        }
        *jobs = j;
        *cap = c;
    }
    struct job *j = &(*jobs)[(*n)++];
    memset(j, 0, sizeof *j);
    return j;
}

/* Scripts (ranked by slow_first), then unit cases in registration order. */
static struct job *list_jobs(int argc, char **argv, int *njobs)
{
    struct job *jobs = NULL;
    int n = 0, cap = 0, seq = 0;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/tests/scripts", test_srcdir());
    struct dirent **ents = NULL;
    int ne = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < ne; i++) {
        const char *name = ents[i]->d_name;
        size_t l = strlen(name);
        if (l > 3 && strcmp(name + l - 3, ".sh") == 0 && matches(argc, argv, name)) {
            struct job *j = add_job(&jobs, &n, &cap);
            size_t pl = strlen(dir) + l + 2;
            j->script = malloc(pl);
            if (!j->script) {
                perror("malloc");
                exit(2);
            }
            snprintf(j->script, pl, "%s/%s", dir, name);
            j->name = strrchr(j->script, '/') + 1;
            j->rank = script_rank(name);
        }
        free(ents[i]);
    }
    free(ents);
    int unit_rank = (int)(sizeof slow_first / sizeof slow_first[0]) + 1;
    for (struct test_case *tc = cases; tc; tc = tc->next) {
        if (!matches(argc, argv, tc->name))
            continue;
        struct job *j = add_job(&jobs, &n, &cap);
        j->tc = tc;
        j->name = tc->name;
        j->rank = unit_rank + seq++; /* keeps the order the cases were registered in */
    }
    if (n)
        qsort(jobs, (size_t)n, sizeof *jobs, by_rank);
    *njobs = n;
    return jobs;
}

/* ---- running one job ---- */

/* In the child: its own process group, stdin from /dev/null, stdout and
 * stderr into the job's log, default signal handling. Never returns. */
static void child_run(struct job *j)
{
    setpgid(0, 0);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int in = open("/dev/null", O_RDONLY);
    int out = open(j->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(126);
    close(in);
    close(out);
    if (j->script) {
        execl("/bin/bash", "bash", j->script, (char *)NULL);
        _exit(127);
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_failures = 0;
    j->tc->fn();
    fflush(NULL);
    remove_tree(tmpdir_path);
    exit(test_failures ? 1 : 0);
}

static int start_job(struct job *j, const char *logdir, int idx)
{
    snprintf(j->log, sizeof j->log, "%s/%04d.log", logdir, idx);
    fflush(NULL);
    j->t0 = now_s();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        child_run(j);
    setpgid(pid, pid); /* also here, so that kill(-pid) works at once */
    j->pid = pid;
    return 0;
}

/* Prints text[0..len) with every line indented; a missing last newline is added. */
static void put_indented(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        printf("    %.*s\n", (int)(e - i), text + i);
        i = e + 1;
    }
}

/* The start of the last n lines of text (ignoring a final newline). */
static size_t tail_lines(const char *text, size_t len, int n)
{
    size_t i = len && text[len - 1] == '\n' ? len - 1 : len;
    while (i > 0) {
        if (text[i - 1] == '\n' && --n == 0)
            break;
        i--;
    }
    return i;
}

/* The last non-empty line of text, as a skip reason (at most 300 bytes). */
static void last_line(const char *text, size_t len, char *out, size_t cap)
{
    while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
        len--;
    size_t s = tail_lines(text, len, 1);
    snprintf(out, cap, "%.*s", (int)(len - s > 300 ? 300 : len - s), text + s);
}

static void show_output(const char *text, size_t len, int failed, int is_script)
{
    static int verbose = -1;
    if (verbose < 0)
        verbose = env_int("NA_TEST_VERBOSE", 0);
    if (!len)
        return;
    if (failed || verbose) {
        if (len > FAIL_HEAD_BYTES + FAIL_TAIL_BYTES && !verbose) {
            put_indented(text, tail_lines(text, FAIL_HEAD_BYTES, 1));
            size_t s = tail_lines(text, len - FAIL_TAIL_BYTES, 1);
            printf("    [... %zu bytes cut ...]\n", s - tail_lines(text, FAIL_HEAD_BYTES, 1));
            put_indented(text + s, len - s);
        } else {
            put_indented(text, len);
        }
    } else if (is_script) {
        size_t s = tail_lines(text, len, PASS_TAIL_LINES);
        if (s > 0)
            printf("    [... the first lines of the output are left out ...]\n");
        put_indented(text + s, len - s);
    }
}

/* A job ended with wait status st: prints its block, counts it. */
static void finish_job(struct job *j, int st, int *passed, int *failed, int *skipped)
{
    double secs = now_s() - j->t0;
    size_t len = 0;
    char *text = test_read_file(j->log, &len);
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    if (!j->timed_out && code == SKIP_STATUS) {
        char why[320];
        last_line(text ? text : "", len, why, sizeof why);
        printf("skip %s (%.2fs): %s\n", j->name, secs, why);
        ++*skipped;
    } else {
        int ok = !j->timed_out && code == 0;
        const char *why = j->timed_out ? " (timeout)" : WIFSIGNALED(st) ? " (crashed)" : "";
        printf("%s %s%s (%.2fs)\n", ok ? "ok  " : "FAIL", j->name, why, secs);
        show_output(text ? text : "", len, !ok, j->script != NULL);
        ok ? ++*passed : ++*failed;
    }
    fflush(stdout);
    free(text);
    remove(j->log);
    j->pid = 0;
}

/* Kills the groups of jobs past the limit: SIGTERM first (so that scripts'
 * EXIT traps stop their servers), SIGKILL TERM_GRACE seconds later. */
static void enforce_timeouts(struct job *jobs, int n, double limit, double now)
{
    for (int i = 0; i < n; i++) {
        struct job *j = &jobs[i];
        if (j->pid <= 0)
            continue;
        if (!j->timed_out && now - j->t0 > limit) {
            j->timed_out = 1;
            j->term_at = now;
            kill(-j->pid, SIGTERM);
        } else if (j->timed_out && now - j->term_at > TERM_GRACE) {
            kill(-j->pid, SIGKILL);
        }
    }
}

static struct job *job_of(struct job *jobs, int n, pid_t pid)
{
    for (int i = 0; i < n; i++)
        if (jobs[i].pid == pid)
            return &jobs[i];
    return NULL;
}

static void kill_all(struct job *jobs, int n)
{
    for (int i = 0; i < n; i++)
        if (jobs[i].pid > 0)
            kill(-jobs[i].pid, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0, njobs = 0;
    double limit = getenv("NA_TEST_TIMEOUT") ? atof(getenv("NA_TEST_TIMEOUT")) : 300;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int width = env_int("NA_TEST_JOBS", cores > 1 ? (int)cores * 3 : 4);
    if (width < 4 && !getenv("NA_TEST_JOBS"))
        width = 4;
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    struct job *jobs = list_jobs(argc, argv, &njobs);
    char logdir[4096];
    snprintf(logdir, sizeof logdir, "%s/newsarc-run-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(logdir)) {
        perror("mkdtemp");
        return 2;
    }
    double t0 = now_s();
    int next = 0, running = 0;
    while ((next < njobs || running > 0) && !stop_signal) {
        while (running < width && next < njobs) {
            if (start_job(&jobs[next], logdir, next) == 0) {
                running++;
            } else {
                printf("FAIL %s (fork: %s)\n", jobs[next].name, strerror(errno));
                failed++;
            }
            next++;
        }
        int st, reaped = 0;
        pid_t pid;
        while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
            struct job *j = job_of(jobs, njobs, pid);
            if (j) {
                finish_job(j, st, &passed, &failed, &skipped);
                running--;
                reaped++;
            }
        }
        enforce_timeouts(jobs, njobs, limit, now_s());
        if (!reaped)
            nanosleep(&(struct timespec){ 0, 5 * 1000 * 1000 }, NULL);
    }
    if (stop_signal) {
        kill_all(jobs, njobs);
        printf("interrupted (signal %d)\n", (int)stop_signal);
    }
    remove_tree(logdir);
    for (int i = 0; i < njobs; i++)
        free(jobs[i].script);
    free(jobs);
    printf("%d run in %.1f s, %d at a time\n", passed + failed + skipped, now_s() - t0, width);
    if (skipped)
        printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    else
        printf("%d passed, %d failed\n", passed, failed);
    return failed || stop_signal ? 1 : 0;
}
