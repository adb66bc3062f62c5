/* test_recover.c — store/recover through archive.h: reindex and recovery
 * resync past a damaged record and name the byte range; verify reads one
 * index snapshot beside a writer and tells a writer's unindexed tail (a note)
 * from a fault; foreign bad files and FIFOs in warc/ are reported and
 * skipped, never block a writer's open and never hang. */
#include "tests/check.h"
#include "parser/article.h"
#include "store/archive.h"
#include "store/index.h"
#include "store/warc.h"
#include "util/err.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define T0 1709260200
#define NART 12

static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";

static char *path_in(const char *sub)
{
    static char p[4][4200];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", test_tmpdir(), sub);
    return p[k];
}

/* Adds articles [from, to) to the archive at dir (one capture each). */
static void add_articles(const char *dir, int from, int to)
{
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    for (int i = from; i < to; i++) {
        char url[96], page[2048], req[256], text[256];
        snprintf(url, sizeof url, "http://news.example.cn/a/%d.html", i);
        int n = snprintf(page, sizeof page, "<html><body><h1>第%d篇</h1><p>", i);
        for (int k = 0; k < 40 && n < (int)sizeof page - 64; k++)
            n += snprintf(page + n, sizeof page - (size_t)n, "%d-%d ", i, k * 7919 % 1000);
        snprintf(page + n, sizeof page - (size_t)n, "</p></body></html>");
        snprintf(req, sizeof req, "GET /a/%d.html HTTP/1.1\r\nHost: news.example.cn\r\n\r\n", i);
        snprintf(text, sizeof text, "第%d篇文章的正文。Article %d.", i, i);
        struct capture c;
        memset(&c, 0, sizeof c);
        c.url = url;
        c.site = "example";
        c.kind = CAPTURE_ARTICLE;
        c.fetched = T0 + i;
        c.request = req;
        c.request_len = strlen(req);
        c.response_head = head;
        c.response_head_len = strlen(head);
        c.body = page;
        c.body_len = strlen(page);
        c.status = 200;
        struct archive_text art = { .title = text, .lang = "zh", .charset = "utf-8", .text = text };
        CHECK_EQ(archive_add(a, &c, &art, &err), 0);
    }
    archive_close(a);
    buf_release(&err);
}

/* The newest WARC file newsarc wrote in dir: its name, its members. */
struct members {
    int n;
    uint64_t off[256], len[256];
    int type[256];
    char name[256];
};

static void read_members(const char *dir, struct members *m)
{
    char cmd[4400], path[4600];
    memset(m, 0, sizeof *m);
    snprintf(cmd, sizeof cmd, "ls %s/warc | grep '^newsarc-' | tail -1", dir);
    FILE *p = popen(cmd, "r");
    CHECK(p && fgets(m->name, sizeof m->name, p));
    if (p)
        pclose(p);
    m->name[strcspn(m->name, "\n")] = 0;
    snprintf(path, sizeof path, "%s/warc/%s", dir, m->name);
    struct warc_reader *r;
    struct warc_record rec;
    struct buf err = BUF_INIT;
    CHECK_EQ(warc_reader_open(path, 0, WARC_READ_NO_BLOCK, &r, &err), 0);
    while (m->n < 256 && warc_reader_next(r, &rec, &err) == 1) {
        m->off[m->n] = rec.offset;
        m->len[m->n] = rec.length;
        m->type[m->n++] = rec.type;
    }
    warc_reader_free(r);
    buf_release(&err);
}

struct faults {
    int n;
    char text[64][512];
};

static void on_fault(void *ud, const char *file, uint64_t off, const char *msg)
{
    struct faults *f = ud;
    if (f->n < 64)
        snprintf(f->text[f->n], sizeof f->text[0], "%s:%llu: %s", file ? file : "-", (unsigned long long)off, msg);
    f->n++;
}

static int has(const struct faults *f, const char *needle)
{
    for (int i = 0; i < f->n && i < 64; i++)
        if (strstr(f->text[i], needle))
            return 1;
    return 0;
}

static void dump(const struct faults *f)
{
    for (int i = 0; i < f->n && i < 64; i++)
        fprintf(stderr, "  verify: %s\n", f->text[i]);
}

/* Runs fn with stderr (the log) sent to a file; returns what it wrote. */
static char *logged(int (*fn)(const char *), const char *dir, int *rc)
{
    const char *file = path_in("log.txt");
    fflush(stderr);
    int saved = dup(2), fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    *rc = fn(dir);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return test_read_file(file, NULL);
}

static struct archive_reindex_stats last_rs;

static int do_reindex(const char *dir)
{
    struct buf err = BUF_INIT;
    int rc = archive_reindex(dir, &last_rs, &err);
    if (rc)
        fprintf(stderr, "reindex: %s\n", buf_str(&err));
    buf_release(&err);
    return rc;
}

static int do_open(const char *dir)
{
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "h" };
    int rc = archive_open(dir, &o, &a, &err);
    if (rc)
        fprintf(stderr, "open: %s\n", buf_str(&err));
    archive_close(a);
    buf_release(&err);
    return rc;
}

static void rm_index(const char *dir)
{
    static const char *const sfx[] = { "", "-wal", "-shm" };
    char p[4400];
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/index.sqlite%s", dir, sfx[i]);
        unlink(p);
    }
}

static int overlaps(const struct members *m, int i, uint64_t at, uint64_t n)
{
    return m->off[i] < at + n && at < m->off[i] + m->len[i];
}

TEST(reindex_resyncs_past_64_damaged_bytes)
{
    const char *dir = path_in("dmg");
    add_articles(dir, 0, NART);
    struct members m;
    read_members(dir, &m);
    CHECK_EQ(m.n, 1 + 4 * NART); /* warcinfo, then request/response/conversion/metadata */
    char path[4600];
    snprintf(path, sizeof path, "%s/warc/%s", dir, m.name);
    /* 64 bytes overwritten in the middle of the file */
    size_t size;
    char *bytes = test_read_file(path, &size);
    uint64_t at = size / 2;
    memset(bytes + at, 0x5a, 64);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(bytes, 1, size, f) == size);
    fclose(f);
    free(bytes);
    /* What must come back: every capture whose response is intact, every
     * article whose response and conversion are. */
    int first = -1, last = -1;
    uint64_t want_caps = 0, want_arts = 0;
    for (int i = 0; i < m.n; i++) {
        if (overlaps(&m, i, at, 64)) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    for (int i = 0; i < m.n; i++) {
        if (m.type[i] == WARC_TYPE_RESPONSE && !overlaps(&m, i, at, 64))
            want_caps++;
        if (m.type[i] == WARC_TYPE_CONVERSION && !overlaps(&m, i, at, 64) && !overlaps(&m, i - 1, at, 64))
            want_arts++;
    }
    CHECK(first > 0 && last + 1 < m.n);
    uint64_t a = m.off[first], b = m.off[last + 1];
    rm_index(dir);
    int rc;
    char *log = logged(do_reindex, dir, &rc);
    CHECK_EQ(rc, 0);
    char want[512];
    snprintf(want, sizeof want, "%s:%llu: bytes %llu-%llu damaged, skipped", m.name, (unsigned long long)a,
             (unsigned long long)a, (unsigned long long)b);
    CHECK_CONTAINS(log, want);
    CHECK_NOT_CONTAINS(log, "out of memory");
    free(log);
    CHECK_EQ(last_rs.damaged, 1);
    CHECK_EQ(last_rs.damaged_bytes, b - a);
    CHECK_EQ(last_rs.captures, want_caps);
    CHECK_EQ(last_rs.articles, want_arts);
    CHECK(want_caps >= NART - 2 && want_arts >= NART - 2);
    /* every article after the damage is reachable */
    struct archive *ar;
    struct archive_opts ro = { .readonly = 1 };
    struct buf err = BUF_INIT;
    CHECK_EQ(archive_open(dir, &ro, &ar, &err), 0);
    int found = 0;
    for (int i = 0; i < NART; i++) {
        char url[96];
        snprintf(url, sizeof url, "http://news.example.cn/a/%d.html", i);
        struct index_article art;
        if (index_article_get(archive_index(ar), url, &art, &err) == 1) {
            found++;
            index_article_release(&art);
        }
    }
    archive_close(ar);
    CHECK_EQ((uint64_t)found, want_arts);
    /* verify names the same range, as one fault */
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    snprintf(want, sizeof want, "%s:%llu: bytes %llu-%llu damaged", m.name, (unsigned long long)a,
             (unsigned long long)a, (unsigned long long)b);
    CHECK(has(&fl, want));
    CHECK_EQ(vs.records, (uint64_t)(m.n - (last - first + 1)));
    dump(&fl);
    buf_release(&err);
}

/* A crawl killed before its index commit: records past the indexed end. */
TEST(verify_after_a_kill_notes_the_unindexed_tail)
{
    const char *dir = path_in("kill");
    add_articles(dir, 0, 2);
    char idx[4400], saved[4400];
    snprintf(idx, sizeof idx, "%s/index.sqlite", dir);
    snprintf(saved, sizeof saved, "%s/index.saved", test_tmpdir());
    size_t n;
    char *db = test_read_file(idx, &n);
    add_articles(dir, 2, 5);
    FILE *f = fopen(idx, "wb"); /* the index as the killed run left it */
    CHECK(db && f && fwrite(db, 1, n, f) == n);
    fclose(f);
    free(db);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    struct buf err = BUF_INIT;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    CHECK_EQ(vs.unindexed, 12);
    CHECK_EQ(vs.notes, 1);
    CHECK(has(&fl, "note: 12 records from offset"));
    CHECK(has(&fl, "the next crawl (or reindex) indexes them"));
    dump(&fl);
    /* and a torn member past the indexed end: an unfinished write */
    struct members m;
    read_members(dir, &m);
    char path[4600];
    snprintf(path, sizeof path, "%s/warc/%s", dir, m.name);
    CHECK_EQ(truncate(path, (off_t)(m.off[m.n - 1] + m.len[m.n - 1] / 2)), 0);
    memset(&fl, 0, sizeof fl);
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    CHECK_EQ(vs.notes, 2);
    CHECK(has(&fl, "unfinished write at the end of the file (cut by the next writer)"));
    dump(&fl);
    /* the next writer settles both */
    int rc;
    free(logged(do_open, dir, &rc));
    CHECK_EQ(rc, 0);
    memset(&fl, 0, sizeof fl);
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults + vs.notes, 0);
    dump(&fl);
    buf_release(&err);
}

/* A writer commits while verify reads: after verify has read the writer's
 * file and before it reads the index (a fault on a later file is the hook). */
struct mid_write {
    struct archive *w;
    int done;
};

static void write_on_fault(void *ud, const char *file, uint64_t off, const char *msg)
{
    struct mid_write *mw = ud;
    (void)file, (void)off, (void)msg;
    if (mw->done++)
        return;
    char req[] = "GET /late HTTP/1.1\r\nHost: news.example.cn\r\n\r\n", body[] = "<p>late</p>";
    struct capture c;
    memset(&c, 0, sizeof c);
    c.url = "http://news.example.cn/late";
    c.site = "example";
    c.kind = CAPTURE_LISTING;
    c.fetched = T0 + 99;
    c.request = req;
    c.request_len = strlen(req);
    c.response_head = head;
    c.response_head_len = strlen(head);
    c.body = body;
    c.body_len = strlen(body);
    c.status = 200;
    struct buf err = BUF_INIT;
    CHECK_EQ(archive_add(mw->w, &c, NULL, &err), 0);
    buf_release(&err);
}

TEST(verify_beside_a_writer_reads_one_snapshot)
{
    const char *dir = path_in("live");
    add_articles(dir, 0, 2);
    char junk[4400];
    snprintf(junk, sizeof junk, "%s/warc/zzz-foreign.warc.gz", dir);
    FILE *f = fopen(junk, "wb");
    CHECK(f && fputs("not gzip at all", f) >= 0);
    fclose(f);
    struct mid_write mw = { 0 };
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &mw.w, &err), 0);
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, write_on_fault, &mw, &vs, &err), 0);
    CHECK_EQ(mw.done, 1); /* the junk file only: no false fault from the write */
    CHECK_EQ(vs.faults, 1);
    archive_close(mw.w);
    buf_release(&err);
}

/* Foreign files in warc/: each is named with its offset and skipped; the
 * writer's open (a crawl's recovery) goes on; nothing hangs. */
static void gz_file(const char *path, const char *text, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, n) + 64;
    unsigned char *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)text;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(out, 1, cap - z.avail_out, f) == cap - z.avail_out);
    fclose(f);
    deflateEnd(&z);
    free(out);
}

TEST(foreign_and_odd_files_in_warc_are_skipped)
{
    const char *dir = path_in("odd");
    add_articles(dir, 0, 2);
    alarm(20); /* a hang is a failure */
    char p[4400];
    struct buf big = BUF_INIT;
    for (int i = 0; i < 20000; i++)
        buf_adds(&big, "plain text, gzipped\n");
    snprintf(p, sizeof p, "%s/warc/a-text.warc.gz", dir);
    gz_file(p, big.data, big.len);
    static const char neg[] = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: -5\r\n\r\nabcde\r\n\r\n";
    snprintf(p, sizeof p, "%s/warc/b-neg.warc.gz", dir);
    gz_file(p, neg, strlen(neg));
    static const char huge[] = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 999999999999999\r\n\r\nabc\r\n\r\n";
    snprintf(p, sizeof p, "%s/warc/c-huge.warc.gz", dir);
    gz_file(p, huge, strlen(huge));
    buf_reset(&big);
    buf_adds(&big, "WARC/1.1\r\nWARC-Type: resource\r\n");
    for (int i = 0; i < 30000; i++)
        buf_printf(&big, "X-F%d: v\r\n", i);
    buf_adds(&big, "Content-Length: 1\r\n\r\nx\r\n\r\n");
    snprintf(p, sizeof p, "%s/warc/d-fields.warc.gz", dir);
    gz_file(p, big.data, big.len);
    snprintf(p, sizeof p, "%s/warc/e-fifo.warc.gz", dir);
    CHECK_EQ(mkfifo(p, 0644), 0);
    snprintf(p, sizeof p, "%s/warc/f-zero.warc.gz", dir);
    CHECK_EQ(symlink("/dev/zero", p), 0);
    buf_release(&big);
    /* the writer's open (a crawl starting) */
    int rc;
    char *log = logged(do_open, dir, &rc);
    CHECK_EQ(rc, 0);
    CHECK_CONTAINS(log, "a-text.warc.gz:0: bytes 0-");
    CHECK_CONTAINS(log, "not a WARC record");
    CHECK_CONTAINS(log, "b-neg.warc.gz:0: bytes 0-");
    CHECK_CONTAINS(log, "c-huge.warc.gz:0: bytes 0-");
    CHECK_CONTAINS(log, "d-fields.warc.gz:0: bytes 0-");
    CHECK_CONTAINS(log, "e-fifo.warc.gz': not a regular file (a FIFO): skipped");
    CHECK_CONTAINS(log, "f-zero.warc.gz': not a regular file (a character device): skipped");
    CHECK_NOT_CONTAINS(log, "out of memory");
    free(log);
    /* verify: a fault each, and its summary */
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    struct buf err = BUF_INIT;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 6);
    CHECK(has(&fl, "e-fifo.warc.gz:0: not a regular file (a FIFO): skipped"));
    CHECK(has(&fl, "a-text.warc.gz:0: bytes 0-"));
    CHECK(!has(&fl, "out of memory"));
    dump(&fl);
    /* reindex: the archive's own records all indexed, the rest skipped */
    log = logged(do_reindex, dir, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(last_rs.captures, 2);
    CHECK_EQ(last_rs.articles, 2);
    CHECK_EQ(last_rs.damaged, 4);
    free(log);
    alarm(0);
    buf_release(&err);
}

/* stats --scan and verify while a crawl creates the archive: the index is
 * "being created by a running writer", not "needs migrating". */
TEST(verify_while_the_index_is_being_created)
{
    const char *dir = path_in("new");
    char p[4400];
    CHECK_EQ(mkdir(dir, 0755), 0);
    snprintf(p, sizeof p, "%s/warc", dir);
    CHECK_EQ(mkdir(p, 0755), 0);
    struct buf err = BUF_INIT;
    int lock = -1;
    CHECK_EQ(archive_lock(dir, &lock, &err), 0);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    /* no index file yet, then an empty one (SQLite creates the file first) */
    for (int k = 0; k < 2; k++) {
        if (k) {
            snprintf(p, sizeof p, "%s/index.sqlite", dir);
            close(open(p, O_WRONLY | O_CREAT, 0644));
        }
        memset(&fl, 0, sizeof fl);
        CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
        CHECK_EQ(vs.faults, 0);
        CHECK_EQ(vs.notes, 1);
        CHECK(has(&fl, "being created by a running writer"));
        CHECK(!has(&fl, "migrating"));
        dump(&fl);
    }
    struct archive *a;
    struct archive_opts ro = { .readonly = 1 };
    CHECK_EQ(archive_open(dir, &ro, &a, &err), NA_ELOCKED);
    CHECK_CONTAINS(buf_str(&err), "being created by a running writer");
    close(lock);
    /* no writer any more: an empty index is a fault */
    memset(&fl, 0, sizeof fl);
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 1);
    buf_release(&err);
}
