/* test_archive_prep.c — archive_prepare / archive_add_prepared (records
 * encoded off the writer's thread): two captures of one URL with the same
 * payload prepared before either is added still give a response and then
 * an identical-payload revisit; records prepared before a WARC file
 * rotation are re-encoded for the new file; a gzip-coded body is stored
 * and everything verifies. */
#include "tests/check.h"
#include "crawler/article_archive.h"
#include "parser/article.h"
#include "store/archive.h"
#include "store/index.h"
#include "store/warc.h"
#include "util/err.h"

#include <dirent.h>
#include <stdlib.h>

static const char head_gz[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                              "Content-Length: 20\r\n\r\n";
static const char head_plain[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n";
static const char req[] = "GET /a/1.html HTTP/1.1\r\nHost: example.com\r\n\r\n";

static void cap_init(struct capture *c, const char *url, const char *head, const char *body, size_t blen, time_t t)
{
    memset(c, 0, sizeof *c);
    c->url = url;
    c->site = "demo";
    c->kind = CAPTURE_ARTICLE;
    c->fetched = t;
    c->request = req;
    c->request_len = strlen(req);
    c->response_head = head;
    c->response_head_len = strlen(head);
    c->body = body;
    c->body_len = blen;
    c->status = 200;
}

struct faults {
    int n;
};

static void on_fault(void *ud, const char *file, uint64_t off, const char *msg)
{
    struct faults *f = ud;
    fprintf(stderr, "  fault: %s:%llu: %s\n", file ? file : "-", (unsigned long long)off, msg);
    f->n++;
}

static int verify_clean(const char *dir)
{
    struct faults f = { 0 };
    struct archive_verify_stats st;
    struct buf err = BUF_INIT;
    memset(&st, 0, sizeof st);
    int rc = archive_verify(dir, on_fault, &f, &st, &err);
    buf_release(&err);
    return rc == 0 && f.n == 0 && st.records > 0 ? 0 : -1;
}

/* Every record names its own file's warcinfo; returns the number of files
 * or -1. */
static int warcinfo_ids_ok(const char *dir)
{
    char wd[4300], path[4600];
    snprintf(wd, sizeof wd, "%s/warc", dir);
    DIR *d = opendir(wd);
    if (!d)
        return -1;
    struct dirent *e;
    int files = 0, bad = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", wd, e->d_name);
        struct warc_reader *r;
        struct warc_record rec;
        struct buf err = BUF_INIT;
        char info[WARC_ID_LEN + 1] = "";
        if (warc_reader_open(path, 0, 0, &r, &err) != 0) {
            bad++;
            continue;
        }
        while (warc_reader_next(r, &rec, &err) == 1) {
            const char *w = warc_record_field(&rec, "WARC-Warcinfo-ID");
            if (rec.type == WARC_TYPE_WARCINFO)
                snprintf(info, sizeof info, "%s", rec.record_id);
            else if (!w || strcmp(w, info) != 0)
                bad++;
        }
        warc_reader_free(r);
        buf_release(&err);
        files++;
    }
    closedir(d);
    return bad ? -1 : files;
}

TEST(archive_prepared_twice_in_flight_gives_revisit)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/prep", test_tmpdir());
    struct archive *a;
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "test", .quiet_recovery = 1 };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    const char body[] = "\x1f\x8b\x08\x00 not really gzip bytes";
    struct capture c1, c2;
    cap_init(&c1, "http://example.com/a/1.html", head_gz, body, sizeof body - 1, 1709260200);
    cap_init(&c2, "http://example.com/a/1.html", head_gz, body, sizeof body - 1, 1709260260);
    struct article art;
    article_init(&art);
    art.text = strdup("正文。");
    art.title = strdup("标题");
    struct archive_prep *p1, *p2;
    struct archive_text text = article_archive_text(&art);
    CHECK_EQ(archive_prepare(a, &c1, &text, &p1, &err), 0);
    CHECK_EQ(archive_prepare(a, &c2, &text, &p2, &err), 0);
    CHECK_EQ(archive_add_prepared(a, p1, &err), 0);
    CHECK_EQ(archive_add_prepared(a, p2, &err), 0);
    archive_prep_free(p1);
    archive_prep_free(p2);
    struct index_capture cap;
    CHECK_EQ(index_capture_get(archive_index(a), c1.url, 0, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 1);
    CHECK_STR(cap.profile, "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest");
    index_capture_release(&cap);
    CHECK_EQ(index_capture_get(archive_index(a), c1.url, 1, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 0);
    CHECK(cap.conversion.file != NULL);
    index_capture_release(&cap);
    archive_close(a);
    article_release(&art);
    CHECK_EQ(verify_clean(dir), 0);
    buf_release(&err);
}

TEST(archive_prepared_before_rotation_is_reencoded)
{
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/rot", test_tmpdir());
    struct archive *a;
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "test", .quiet_recovery = 1, .warc_max_size = 4096 };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    static char big[4][3000];
    memset(big, 'x', sizeof big);
    struct capture c[4];
    char urls[4][64];
    struct archive_prep *p[4];
    for (int i = 0; i < 4; i++) {
        snprintf(urls[i], sizeof urls[i], "http://example.com/a/%d.html", i);
        big[i][0] = (char)('a' + i);
        cap_init(&c[i], urls[i], head_plain, big[i], sizeof big[i], 1709260200 + i);
    }
    /* The first is added before the others are prepared (a file exists);
     * the others were prepared for that file and land in rotated ones. */
    CHECK_EQ(archive_prepare(a, &c[0], NULL, &p[0], &err), 0);
    CHECK_EQ(archive_add_prepared(a, p[0], &err), 0);
    for (int i = 1; i < 4; i++)
        CHECK_EQ(archive_prepare(a, &c[i], NULL, &p[i], &err), 0);
    for (int i = 1; i < 4; i++)
        CHECK_EQ(archive_add_prepared(a, p[i], &err), 0);
    for (int i = 0; i < 4; i++)
        archive_prep_free(p[i]);
    archive_close(a);
    CHECK_EQ(verify_clean(dir), 0);
    CHECK(warcinfo_ids_ok(dir) >= 3);
    buf_release(&err);
}
