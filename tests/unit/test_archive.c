/* test_archive.c — store/archive end to end from fixture bytes: archive_add
 * (a small HTML page, a gzip-coded body, a 304, a duplicate payload, a
 * listing) read back with the WARC reader, every header, digest and byte
 * count checked; then the crash and corruption cases: torn tail, flipped
 * byte, deleted index, index row past the end, a full disk (RLIMIT_FSIZE →
 * EFBIG), NA_FAIL_ALLOC over archive_add; the lock and readers during a
 * write. */
#include "tests/check.h"
#include "parser/article.h"
#include "store/archive.h"
#include "store/digest.h"
#include "store/index.h"
#include "store/warc.h"
#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define T0 1709260200 /* 2024-03-01T02:30:00Z */

static const char page1[] =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>济南各区县抢跑“春天里”</title></head>"
    "<body><h1>济南各区县抢跑“春天里”</h1><p>抓项目促发展,济南“新春头部会”。</p></body></html>\n";
static const char page2[] = "<html><body><p>Second page, served gzip-coded. 第二页。</p></body></html>";
static const char listing[] = "<html><body><a href=\"/a/1.html\">1</a><a href=\"/a/2.html\">2</a></body></html>";

static char *dir_in(const char *sub)
{
    static char p[4][4200];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", test_tmpdir(), sub);
    return p[k];
}

static void request_for(struct buf *b, const char *url)
{
    const char *host = strstr(url, "://") + 3;
    const char *path = strchr(host, '/');
    buf_reset(b);
    buf_printf(b, "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: newsarc-test\r\nAccept: */*\r\n\r\n",
               path ? path : "/", (int)(path ? path - host : (long)strlen(host)), host);
}

struct fx {
    struct buf req, head, body;
    struct capture c;
};

static void fx_init(struct fx *f, const char *url, const char *site, int kind, int status, const char *head,
                    const void *body, size_t blen, time_t t)
{
    memset(f, 0, sizeof *f);
    request_for(&f->req, url);
    buf_adds(&f->head, head);
    buf_add(&f->body, body, blen);
    f->c.url = url;
    f->c.site = site;
    f->c.kind = kind;
    f->c.fetched = t;
    f->c.ip = "127.0.0.1";
    f->c.request = f->req.data;
    f->c.request_len = f->req.len;
    f->c.response_head = f->head.data;
    f->c.response_head_len = f->head.len;
    f->c.body = f->body.data;
    f->c.body_len = f->body.len;
    f->c.status = status;
}

static void fx_release(struct fx *f)
{
    buf_release(&f->req);
    buf_release(&f->head);
    buf_release(&f->body);
}

static void gzip_into(const char *in, size_t n, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    buf_grow(out, deflateBound(&z, n) + 64);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)(out->cap - out->len - 1);
    deflate(&z, Z_FINISH);
    out->len = out->cap - 1 - z.avail_out;
    deflateEnd(&z);
}

static struct archive_text art1(void)
{
    struct archive_text a;
    memset(&a, 0, sizeof a);
    a.title = "济南各区县抢跑“春天里”";
    a.published = "2024-09-30";
    a.published_from = "relative";
    a.author = "admin";
    a.category = "天津产业信息";
    a.lang = "zh";
    a.charset = "utf-8";
    a.text = "抓项目促发展,济南“新春头部会”。\n“冲”起来!";
    a.extractor = ARTICLE_VERSION;
    return a;
}

static struct archive_text art2(void)
{
    struct archive_text a;
    memset(&a, 0, sizeof a);
    a.title = "Second";
    a.published = "2024-03-02T10:00:00+08:00";
    a.published_from = "meta";
    a.source = "Xinhua";
    a.lang = "en";
    a.charset = "utf-8";
    a.text = "Second page, served gzip-coded. 第二页。";
    a.extractor = ARTICLE_VERSION;
    return a;
}

#define URL1 "http://news.example.cn/a/1.html"
#define URL2 "https://news.example.cn/a/2.html?x=1&y=2"
#define URL3 "http://news.example.cn/list/"

static const char head1[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nETag: \"e1\"\r\n"
                            "Last-Modified: Fri, 01 Mar 2024 00:00:00 GMT\r\n\r\n";

/* The standard fixture archive: 5 captures (URL1 page, URL2 gzip, URL1 304,
 * URL1 identical payload, URL3 listing). */
static int write_fixture(const char *dir, const struct archive_opts *o, struct buf *err)
{
    struct archive *a;
    int rc = archive_open(dir, o, &a, err);
    if (rc)
        return rc;
    struct fx f;
    struct archive_text a1 = art1(), a2 = art2();
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    rc = archive_add(a, &f.c, &a1, err);
    fx_release(&f);
    if (!rc) {
        struct buf gz = BUF_INIT;
        gzip_into(page2, strlen(page2), &gz);
        char head[256];
        snprintf(head, sizeof head,
                 "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nContent-Length: %zu\r\n\r\n",
                 gz.len);
        fx_init(&f, URL2, "example", CAPTURE_ARTICLE, 200, head, gz.data, gz.len, T0 + 10);
        f.c.ip = NULL;
        f.c.truncated = "length";
        rc = archive_add(a, &f.c, &a2, err);
        fx_release(&f);
        buf_release(&gz);
    }
    if (!rc) {
        fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 304, "HTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n", "", 0,
                T0 + 86400);
        rc = archive_add(a, &f.c, &a1, err); /* art is ignored for a 304 */
        fx_release(&f);
    }
    if (!rc) {
        fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0 + 2 * 86400);
        rc = archive_add(a, &f.c, &a1, err);
        fx_release(&f);
    }
    if (!rc) {
        fx_init(&f, URL3, "example", CAPTURE_LISTING, 200, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
                listing, strlen(listing), T0 + 5);
        rc = archive_add(a, &f.c, NULL, err);
        fx_release(&f);
    }
    archive_close(a);
    return rc;
}

static int list_warc(const char *dir, char names[][256], int max)
{
    char p[4300];
    snprintf(p, sizeof p, "%s/warc", dir);
    DIR *d = opendir(p);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && n < max)
            snprintf(names[n++], 256, "%.255s", e->d_name);
    if (d)
        closedir(d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char t[256];
                memcpy(t, names[i], 256);
                memcpy(names[i], names[j], 256);
                memcpy(names[j], t, 256);
            }
    return n;
}

static char *warc_path(const char *dir, const char *name)
{
    static char p[2][4600];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/warc/%s", dir, name);
    return p[k];
}

static uint64_t fsize(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

/* Everything read back from a WARC file. */
#define MAXREC 64
struct rb {
    int n;
    enum warc_type type[MAXREC];
    uint64_t off[MAXREC], len[MAXREC];
    char *id[MAXREC], *uri[MAXREC], *block[MAXREC];
    size_t blen[MAXREC];
    struct warc_record keep; /* unused */
};

static char *field_dup(const struct warc_record *r, const char *name)
{
    const char *v = warc_record_field(r, name);
    return v ? strdup(v) : NULL;
}

/* Checks what every record must satisfy and returns a copy of field `name`
 * of record i via the callback. */
static int read_all(const char *path, int (*each)(void *, const struct warc_record *), void *ud)
{
    struct warc_reader *r;
    struct buf err = BUF_INIT;
    int n = 0, rc;
    if (warc_reader_open(path, 0, 0, &r, &err) != 0)
        return -1;
    struct warc_record rec;
    uint64_t expect_off = 0;
    char info[WARC_ID_LEN + 1] = "";
    while ((rc = warc_reader_next(r, &rec, &err)) == 1) {
        CHECK_EQ(rec.offset, expect_off);
        expect_off = rec.offset + rec.length;
        CHECK_STR(rec.version, "WARC/1.1");
        CHECK_EQ(rec.content_length, rec.block_len);
        char d[DIGEST_SHA1_LEN + 1];
        digest_sha1(rec.block, rec.block_len, d);
        CHECK_STR(rec.block_digest, d);
        CHECK(rec.record_id && strlen(rec.record_id) == WARC_ID_LEN && strncmp(rec.record_id, "<urn:uuid:", 10) == 0);
        CHECK(rec.date && strlen(rec.date) == 20 && warc_parse_date(rec.date) > 0);
        if (n == 0) {
            CHECK_EQ(rec.type, WARC_TYPE_WARCINFO);
            snprintf(info, sizeof info, "%s", rec.record_id);
        } else {
            CHECK_STR(rec.warcinfo_id, info);
            CHECK(rec.target_uri && rec.target_uri[0] != '<');
        }
        if (each)
            each(ud, &rec);
        n++;
    }
    CHECK_EQ(rc, 0);
    CHECK_EQ(expect_off, fsize(path));
    warc_reader_free(r);
    buf_release(&err);
    return n;
}

struct seen {
    int n;
    enum warc_type type[MAXREC];
    char *id[MAXREC], *uri[MAXREC], *block[MAXREC], *conc[MAXREC], *refers[MAXREC], *pdig[MAXREC], *profile[MAXREC],
        *rtu[MAXREC], *rtd[MAXREC], *ct[MAXREC], *lang[MAXREC], *ip[MAXREC], *trunc[MAXREC], *site[MAXREC], *kind[MAXREC], *date[MAXREC];
    size_t blen[MAXREC];
    uint64_t off[MAXREC], len[MAXREC];
};

static int collect(void *ud, const struct warc_record *r)
{
    struct seen *s = ud;
    int i = s->n++;
    if (i >= MAXREC)
        return 0;
    s->type[i] = r->type;
    s->id[i] = strdup(r->record_id);
    s->uri[i] = r->target_uri ? strdup(r->target_uri) : NULL;
    s->block[i] = malloc(r->block_len + 1);
    memcpy(s->block[i], r->block, r->block_len + 1);
    s->blen[i] = r->block_len;
    s->conc[i] = field_dup(r, "WARC-Concurrent-To");
    s->refers[i] = field_dup(r, "WARC-Refers-To");
    s->pdig[i] = field_dup(r, "WARC-Payload-Digest");
    s->profile[i] = field_dup(r, "WARC-Profile");
    s->rtu[i] = field_dup(r, "WARC-Refers-To-Target-URI");
    s->rtd[i] = field_dup(r, "WARC-Refers-To-Date");
    s->ct[i] = field_dup(r, "Content-Type");
    s->lang[i] = field_dup(r, "WARC-Identified-Content-Language");
    s->ip[i] = field_dup(r, "WARC-IP-Address");
    s->trunc[i] = field_dup(r, "WARC-Truncated");
    s->site[i] = field_dup(r, "Newsarc-Site");
    s->kind[i] = field_dup(r, "Newsarc-Kind");
    s->date[i] = field_dup(r, "WARC-Date");
    s->off[i] = r->offset;
    s->len[i] = r->length;
    return 0;
}

static void seen_free(struct seen *s)
{
    for (int i = 0; i < s->n && i < MAXREC; i++) {
        free(s->id[i]); free(s->uri[i]); free(s->block[i]); free(s->conc[i]); free(s->refers[i]);
        free(s->pdig[i]); free(s->profile[i]); free(s->rtu[i]); free(s->rtd[i]); free(s->ct[i]);
        free(s->lang[i]); free(s->ip[i]); free(s->trunc[i]); free(s->site[i]); free(s->kind[i]); free(s->date[i]);
    }
}

static const char *sha(const void *p, size_t n)
{
    static char d[4][DIGEST_SHA1_LEN + 1];
    static int k;
    k = (k + 1) % 4;
    digest_sha1(p, n, d[k]);
    return d[k];
}

TEST(archive_add_read_back)
{
    const char *dir = dir_in("a");
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "testhost", .config_digest = "sha1:CONFIG", .config_name = "sites.conf" };
    CHECK_EQ(write_fixture(dir, &o, &err), 0);
    if (err.len)
        fprintf(stderr, "%s\n", err.data);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    CHECK(strncmp(names[0], "newsarc-", 8) == 0 && strlen(names[0]) == strlen("newsarc-20240301023000-00000-testhost.warc.gz"));
    CHECK_CONTAINS(names[0], "-00000-testhost.warc.gz");

    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(warc_path(dir, names[0]), collect, &s), 15);
    static const enum warc_type want[] = {
        WARC_TYPE_WARCINFO, WARC_TYPE_REQUEST, WARC_TYPE_RESPONSE, WARC_TYPE_CONVERSION, WARC_TYPE_METADATA,
        WARC_TYPE_REQUEST, WARC_TYPE_RESPONSE, WARC_TYPE_CONVERSION, WARC_TYPE_METADATA,
        WARC_TYPE_REQUEST, WARC_TYPE_REVISIT, WARC_TYPE_REQUEST, WARC_TYPE_REVISIT,
        WARC_TYPE_REQUEST, WARC_TYPE_RESPONSE,
    };
    for (int i = 0; i < 15 && i < s.n; i++)
        CHECK_EQ(s.type[i], want[i]);
    if (s.n != 15) {
        seen_free(&s);
        buf_release(&err);
        return;
    }
    /* warcinfo */
    CHECK_STR(s.ct[0], "application/warc-fields");
    CHECK_CONTAINS(s.block[0], "software: newsarc/");
    CHECK_CONTAINS(s.block[0], "format: WARC File Format 1.1\r\n");
    CHECK_CONTAINS(s.block[0], "config-digest: sha1:CONFIG\r\n");
    /* page 1: request, response, conversion, metadata */
    struct buf req = BUF_INIT;
    request_for(&req, URL1);
    CHECK_STR(s.uri[1], URL1);
    CHECK_STR(s.ct[1], "application/http;msgtype=request");
    CHECK_STR(s.block[1], req.data);
    CHECK_STR(s.conc[1], s.id[2]);
    CHECK_STR(s.date[1], "2024-03-01T02:30:00Z");
    CHECK_STR(s.ct[2], "application/http;msgtype=response");
    CHECK_EQ(s.blen[2], strlen(head1) + strlen(page1));
    CHECK(memcmp(s.block[2], head1, strlen(head1)) == 0);
    CHECK(memcmp(s.block[2] + strlen(head1), page1, strlen(page1)) == 0);
    CHECK_STR(s.pdig[2], sha(page1, strlen(page1)));
    CHECK_STR(s.ip[2], "127.0.0.1");
    CHECK_STR(s.site[2], "example");
    CHECK_STR(s.kind[2], "article");
    CHECK_STR(s.date[2], "2024-03-01T02:30:00Z");
    struct archive_text a1 = art1();
    CHECK_STR(s.ct[3], "text/plain; charset=utf-8");
    CHECK_STR(s.refers[3], s.id[2]);
    CHECK_STR(s.lang[3], "zho");
    CHECK_STR(s.block[3], a1.text);
    CHECK_STR(s.pdig[3], sha(a1.text, strlen(a1.text)));
    CHECK_STR(s.ct[4], "application/json");
    CHECK_STR(s.refers[4], s.id[2]);
    json_error_t je;
    json_t *m = json_loads(s.block[4], 0, &je);
    CHECK(m != NULL);
    if (m) {
        CHECK_STR(json_string_value(json_object_get(m, "title")), a1.title);
        CHECK_STR(json_string_value(json_object_get(m, "published")), "2024-09-30");
        CHECK_STR(json_string_value(json_object_get(m, "published_from")), "relative");
        CHECK_STR(json_string_value(json_object_get(m, "author")), "admin");
        CHECK(json_is_null(json_object_get(m, "source")));
        CHECK_STR(json_string_value(json_object_get(m, "category")), "天津产业信息");
        CHECK_STR(json_string_value(json_object_get(m, "site")), "example");
        CHECK_STR(json_string_value(json_object_get(m, "lang")), "zh");
        CHECK_STR(json_string_value(json_object_get(m, "charset")), "utf-8");
        CHECK_STR(json_string_value(json_object_get(m, "fetched")), "2024-03-01T02:30:00Z");
        CHECK_STR(json_string_value(json_object_get(m, "extractor")), ARTICLE_VERSION);
        CHECK_STR(json_string_value(json_object_get(m, "text_digest")), sha(a1.text, strlen(a1.text)));
        CHECK_EQ(json_integer_value(json_object_get(m, "text_length")), strlen(a1.text));
        CHECK_STR(json_string_value(json_object_get(m, "conversion_id")), s.id[3]);
        CHECK_STR(json_string_value(json_object_get(m, "response_id")), s.id[2]);
        json_decref(m);
    }
    /* page 2: gzip body kept compressed, payload digest over the coded bytes */
    CHECK_STR(s.uri[6], URL2);
    struct warc_http h;
    CHECK_EQ(warc_http_parse(s.block[6], s.blen[6], &h), 0);
    CHECK_EQ(h.status, 200);
    CHECK((unsigned char)h.body.p[0] == 0x1f && (unsigned char)h.body.p[1] == 0x8b);
    CHECK_STR(s.pdig[6], sha(h.body.p, h.body.n));
    CHECK(s.ip[6] == NULL);
    CHECK_STR(s.trunc[6], "length");
    CHECK(s.trunc[2] == NULL);
    struct buf dec = BUF_INIT;
    CHECK_EQ(warc_http_decode_body(&h, 0, &dec, &err), 0);
    CHECK_STR(dec.data, page2);
    CHECK_STR(s.lang[7], "eng");
    /* 304 → revisit, server-not-modified */
    CHECK_STR(s.profile[10], WARC_PROFILE_NOT_MODIFIED);
    CHECK_STR(s.rtu[10], URL1);
    CHECK_STR(s.rtd[10], "2024-03-01T02:30:00Z");
    CHECK_STR(s.refers[10], s.id[2]);
    CHECK(s.pdig[10] == NULL);
    CHECK_CONTAINS(s.block[10], "HTTP/1.1 304 Not Modified\r\n");
    CHECK_STR(s.conc[9], s.id[10]);
    CHECK_STR(s.date[10], "2024-03-02T02:30:00Z");
    /* identical payload → revisit, head only, the original's payload digest */
    CHECK_STR(s.profile[12], WARC_PROFILE_IDENTICAL);
    CHECK_STR(s.rtu[12], URL1);
    CHECK_STR(s.rtd[12], "2024-03-01T02:30:00Z");
    CHECK_STR(s.refers[12], s.id[2]);
    CHECK_STR(s.pdig[12], s.pdig[2]);
    CHECK_EQ(s.blen[12], strlen(head1));
    CHECK_STR(s.block[12], head1);
    /* listing */
    CHECK_STR(s.kind[14], "listing");
    CHECK_STR(s.uri[14], URL3);

    /* The index agrees with the file. */
    struct archive *a;
    struct archive_opts ro = { .readonly = 1 };
    CHECK_EQ(archive_open(dir, &ro, &a, &err), 0);
    struct index *ix = archive_index(a);
    struct index_article art;
    CHECK_EQ(index_article_get(ix, URL1, &art, &err), 1);
    CHECK_STR(art.title, a1.title);
    CHECK_STR(art.published, "2024-09-30");
    CHECK_STR(art.author, "admin");
    CHECK_STR(art.category, "天津产业信息");
    CHECK_STR(art.site, "example");
    CHECK_STR(art.text_digest, s.pdig[3]);
    CHECK_EQ(art.text_len, strlen(a1.text));
    CHECK_STR(art.conversion.file, names[0]);
    CHECK_EQ(art.conversion.offset, s.off[3]);
    CHECK_EQ(art.conversion.length, s.len[3]);
    CHECK_EQ(art.metadata.offset, s.off[4]);
    CHECK_EQ(art.response.offset, s.off[2]);
    CHECK_STR(art.conversion_id, s.id[3]);
    CHECK_EQ(art.fetched, T0);
    CHECK_STR(art.extractor_version, ARTICLE_VERSION);
    index_article_release(&art);
    struct index_capture cap, first;
    CHECK_EQ(index_capture_get(ix, URL1, 0, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 1);
    CHECK_STR(cap.profile, WARC_PROFILE_IDENTICAL);
    CHECK_EQ(cap.response.offset, s.off[12]);
    CHECK_EQ(cap.request.offset, s.off[11]);
    CHECK_STR(cap.payload_digest, s.pdig[2]);
    CHECK_EQ(index_capture_by_id(ix, cap.refers_to, &first, &err), 1);
    CHECK_STR(first.record_id, s.id[2]);
    CHECK_EQ(first.response.offset, s.off[2]);
    CHECK_EQ(first.response.length, s.len[2]);
    CHECK_EQ(first.request.offset, s.off[1]);
    CHECK_EQ(first.conversion.offset, s.off[3]);
    CHECK_EQ(first.metadata.offset, s.off[4]);
    CHECK_STR(first.etag, "\"e1\"");
    CHECK_STR(first.last_modified, "Fri, 01 Mar 2024 00:00:00 GMT");
    CHECK_STR(first.ip, "127.0.0.1");
    CHECK_EQ(first.kind, CAPTURE_ARTICLE);
    index_capture_release(&first);
    index_capture_release(&cap);
    CHECK_EQ(index_capture_get(ix, URL1, 1, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 0);
    CHECK_STR(cap.record_id, s.id[2]);
    index_capture_release(&cap);
    struct index_stats st;
    CHECK_EQ(index_stats(ix, &st, &err), 0);
    CHECK_EQ(st.captures, 5);
    CHECK_EQ(st.revisits, 2);
    CHECK_EQ(st.articles, 2);
    CHECK_EQ(st.extractions, 2);
    CHECK_EQ(st.files, 1);
    CHECK_EQ(archive_has_article(a, URL1), 1);
    CHECK_EQ(archive_has_article(a, URL3), 0);
    CHECK_EQ(archive_has_capture(a, URL3), 1);
    char *etag, *lm;
    CHECK_EQ(archive_validators(a, URL1, &etag, &lm), 1);
    CHECK_STR(etag, "\"e1\"");
    CHECK_STR(lm, "Fri, 01 Mar 2024 00:00:00 GMT");
    free(etag);
    free(lm);
    archive_close(a);

    /* verify says clean. */
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, NULL, NULL, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    CHECK_EQ(vs.records, 15);
    CHECK_EQ(vs.index_rows, 7);
    buf_release(&dec);
    buf_release(&req);
    seen_free(&s);
    buf_release(&err);
}

/* ---- faults as verify reports them ---- */

struct faults {
    int n;
    char text[32][512];
};

static void on_fault(void *ud, const char *file, uint64_t off, const char *msg)
{
    struct faults *f = ud;
    if (f->n < 32)
        snprintf(f->text[f->n], sizeof f->text[0], "%s:%llu: %s", file ? file : "-", (unsigned long long)off, msg);
    f->n++;
}

static int has_fault(const struct faults *f, const char *needle)
{
    for (int i = 0; i < f->n && i < 32; i++)
        if (strstr(f->text[i], needle))
            return 1;
    return 0;
}

static void dump_faults(const struct faults *f)
{
    for (int i = 0; i < f->n && i < 32; i++)
        fprintf(stderr, "  fault: %s\n", f->text[i]);
}

/* Captures stderr (log_at output) into a file while fn runs. */
static char *with_stderr(const char *file, int (*fn)(void *), void *ud, int *rc)
{
    fflush(stderr);
    int saved = dup(2);
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    *rc = fn(ud);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return test_read_file(file, NULL);
}

static int open_close(void *ud)
{
    struct buf err = BUF_INIT;
    struct archive *a;
    int rc = archive_open(ud, NULL, &a, &err);
    if (rc)
        fprintf(stderr, "open: %s\n", buf_str(&err));
    archive_close(a);
    buf_release(&err);
    return rc;
}

static int copy_file(const char *from, const char *to)
{
    size_t n;
    char *p = test_read_file(from, &n);
    if (!p)
        return -1;
    FILE *f = fopen(to, "wb");
    int rc = f && fwrite(p, 1, n, f) == n ? 0 : -1;
    if (f)
        fclose(f);
    free(p);
    return rc;
}

TEST(archive_torn_tail_is_truncated_and_indexed)
{
    const char *dir = dir_in("torn");
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    struct fx f;
    struct archive_text a1 = art1();
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    archive_close(a);
    char saved[4300], idx[4300];
    snprintf(idx, sizeof idx, "%s/index.sqlite", dir);
    snprintf(saved, sizeof saved, "%s/index.saved", test_tmpdir());
    CHECK_EQ(copy_file(idx, saved), 0);
    /* A second run (another writer: its own file) writes a capture; the
     * crash comes before its index commit and tears its last record. */
    struct archive_opts o2 = { .host_label = "h2" }, o3 = { .host_label = "h3" };
    CHECK_EQ(archive_open(dir, &o2, &a, &err), 0);
    fx_init(&f, URL3, "example", CAPTURE_LISTING, 200, head1, listing, strlen(listing), T0 + 60);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    archive_close(a);
    CHECK_EQ(copy_file(saved, idx), 0);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 2);
    const char *p2 = warc_path(dir, names[1]);
    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(p2, collect, &s), 3); /* warcinfo, request, response */
    uint64_t resp_end = s.off[2] + s.len[2];
    CHECK_EQ(truncate(p2, (off_t)(s.off[2] + s.len[2] / 2)), 0);

    /* Reopen: the torn response is cut off, and the whole request before it
     * too (a request alone is not a capture, and a writer may append to
     * this file later, files by day). */
    int rc;
    char *log = with_stderr(dir_in("torn.log"), open_close, (void *)dir, &rc);
    CHECK_EQ(rc, 0);
    char want[512];
    snprintf(want, sizeof want, "%s:%llu: torn record at the end of the file", p2, (unsigned long long)s.off[2]);
    CHECK_CONTAINS(log, want);
    snprintf(want, sizeof want, "truncated %llu bytes", (unsigned long long)(s.len[2] / 2));
    CHECK_CONTAINS(log, want);
    snprintf(want, sizeof want, "%s:%llu: a request record without its response", p2, (unsigned long long)s.off[1]);
    CHECK_CONTAINS(log, want);
    free(log);
    CHECK_EQ(fsize(p2), s.off[1]);
    CHECK_EQ(read_all(p2, NULL, NULL), 1);
    (void)resp_end;
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    dump_faults(&fl);
    seen_free(&s);

    /* Now the same with a whole capture after the saved index: the torn
     * metadata goes, request/response/conversion are indexed. */
    CHECK_EQ(copy_file(idx, saved), 0);
    CHECK_EQ(archive_open(dir, &o3, &a, &err), 0);
    struct archive_text a2 = art2();
    fx_init(&f, URL2, "example", CAPTURE_ARTICLE, 200, head1, page2, strlen(page2), T0 + 120);
    CHECK_EQ(archive_add(a, &f.c, &a2, &err), 0);
    fx_release(&f);
    archive_close(a);
    CHECK_EQ(copy_file(saved, idx), 0);
    CHECK_EQ(list_warc(dir, names, 8), 3);
    const char *p3 = warc_path(dir, names[2]);
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(p3, collect, &s), 5);
    CHECK_EQ(truncate(p3, (off_t)(s.off[4] + 9)), 0);
    log = with_stderr(dir_in("torn2.log"), open_close, (void *)dir, &rc);
    CHECK_EQ(rc, 0);
    snprintf(want, sizeof want, "%s:%llu: torn record", p3, (unsigned long long)s.off[4]);
    CHECK_CONTAINS(log, want);
    CHECK_CONTAINS(log, "indexed 4 records the index lacked");
    free(log);
    CHECK_EQ(read_all(p3, NULL, NULL), 4);
    struct archive_opts ro = { .readonly = 1 };
    CHECK_EQ(archive_open(dir, &ro, &a, &err), 0);
    struct index_article art;
    CHECK_EQ(index_article_get(archive_index(a), URL2, &art, &err), 1);
    CHECK_EQ(art.conversion.offset, s.off[3]);
    CHECK(art.metadata.file == NULL);
    CHECK_STR(art.lang, "eng");
    CHECK_STR(art.text_digest, sha(a2.text, strlen(a2.text)));
    index_article_release(&art);
    archive_close(a);
    memset(&fl, 0, sizeof fl);
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    dump_faults(&fl);
    seen_free(&s);
    buf_release(&err);
}

TEST(archive_verify_reports_flipped_byte)
{
    const char *dir = dir_in("flip");
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(write_fixture(dir, &o, &err), 0);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    const char *p = warc_path(dir, names[0]);
    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(p, collect, &s), 15);
    /* Flip one byte in the middle of the gzip-coded response of URL2 (record 6). */
    size_t n;
    char *bytes = test_read_file(p, &n);
    bytes[s.off[6] + s.len[6] / 2] ^= 0x20;
    FILE *f = fopen(p, "wb");
    fwrite(bytes, 1, n, f);
    fclose(f);
    free(bytes);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK(vs.faults >= 1);
    char want[512];
    snprintf(want, sizeof want, "%s:%llu: ", names[0], (unsigned long long)s.off[6]);
    CHECK(has_fault(&fl, want));
    /* The rest of the file is still checked (records after the bad one). */
    CHECK_EQ(vs.records, 14);
    dump_faults(&fl);
    seen_free(&s);
    buf_release(&err);
}

TEST(archive_verify_reports_digest_mismatch)
{
    const char *dir = dir_in("dig");
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(write_fixture(dir, &o, &err), 0);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    const char *p = warc_path(dir, names[0]);
    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(p, collect, &s), 15);
    /* Re-encode the conversion record (3) with one changed text byte but
     * the original digests, and splice it in at the same place. */
    struct warc_reader *r;
    struct warc_record rec;
    CHECK_EQ(warc_read_at(p, s.off[3], 0, 0, &r, &rec, &err), 1);
    struct buf head = BUF_INIT;
    buf_adds(&head, "WARC/1.1\r\n");
    for (size_t i = 0; i < rec.nfields; i++)
        buf_printf(&head, "%s: %s\r\n", rec.fields[i].name, rec.fields[i].value);
    buf_adds(&head, "\r\n");
    buf_add(&head, rec.block, rec.block_len);
    head.data[head.len - 1] ^= 1; /* the last text byte */
    buf_adds(&head, "\r\n\r\n");
    warc_reader_free(r);
    struct buf gz = BUF_INIT;
    gzip_into(head.data, head.len, &gz);
    size_t n;
    char *bytes = test_read_file(p, &n);
    FILE *f = fopen(p, "wb");
    fwrite(bytes, 1, s.off[3], f);
    fwrite(gz.data, 1, gz.len, f);
    fwrite(bytes + s.off[3] + s.len[3], 1, n - s.off[3] - s.len[3], f);
    fclose(f);
    free(bytes);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    char want[512];
    snprintf(want, sizeof want, "%s:%llu: WARC-Block-Digest mismatch", names[0], (unsigned long long)s.off[3]);
    CHECK(has_fault(&fl, want));
    snprintf(want, sizeof want, "%s:%llu: WARC-Payload-Digest mismatch", names[0], (unsigned long long)s.off[3]);
    CHECK(has_fault(&fl, want));
    /* If the spliced member has another length, the index rows after it
     * point at the wrong bytes and verify says so too. */
    CHECK(gz.len == s.len[3] ? vs.faults == 2 : vs.faults > 2);
    dump_faults(&fl);
    buf_release(&gz);
    buf_release(&head);
    seen_free(&s);
    buf_release(&err);
}

/* The index as text, for comparing before/after reindex. */
static int dump_cap(void *ud, const struct index_capture *c)
{
    struct buf *b = ud;
    buf_printf(b, "C %s|%s|%d|%lld|%d|%s|%s|%s|%s|%d|%s|%s|%lld", c->url, c->site ? c->site : "-", c->kind,
               (long long)c->fetched, c->status, c->etag ? c->etag : "-", c->last_modified ? c->last_modified : "-",
               c->payload_digest ? c->payload_digest : "-", c->ip ? c->ip : "-", c->revisit,
               c->profile ? c->profile : "-", c->record_id, (long long)c->refers_to);
    const struct index_loc *l[4] = { &c->request, &c->response, &c->conversion, &c->metadata };
    for (int i = 0; i < 4; i++)
        buf_printf(b, "|%s@%llu+%llu", l[i]->file ? l[i]->file : "-", (unsigned long long)l[i]->offset,
                   (unsigned long long)l[i]->length);
    buf_adds(b, "\n");
    return 0;
}

static int dump_art(void *ud, const struct index_article *a)
{
    struct buf *b = ud;
#define S(x) ((x) ? (x) : "-")
    buf_printf(b, "A %s|%s", a->url, S(a->site));
#define DUMP_FIELD(name) buf_printf(b, "|%s", S(a->name));
    ARTICLE_FIELDS(DUMP_FIELD) /* every field: reindex must rebuild them all */
#undef DUMP_FIELD
    buf_printf(b, "|%s|%llu|%lld|%lld|%lld|%s|%s", S(a->text_digest), (unsigned long long)a->text_len,
               (long long)a->capture_id, (long long)a->fetched, (long long)a->extracted, S(a->extractor_version),
               S(a->conversion_id));
    const struct index_loc *l[3] = { &a->conversion, &a->metadata, &a->response };
    for (int i = 0; i < 3; i++)
        buf_printf(b, "|%s@%llu+%llu", S(l[i]->file), (unsigned long long)l[i]->offset,
                   (unsigned long long)l[i]->length);
#undef S
    buf_adds(b, "\n");
    return 0;
}

static void dump_index(const char *dir, struct buf *out)
{
    struct archive *a;
    struct buf err = BUF_INIT;
    struct archive_opts ro = { .readonly = 1 };
    buf_reset(out);
    if (archive_open(dir, &ro, &a, &err) != 0) {
        buf_printf(out, "cannot open: %s", buf_str(&err));
        buf_release(&err);
        return;
    }
    struct index_query q = { .order = INDEX_ORDER_ID, .all_extractions = 1 };
    index_captures(archive_index(a), &q, dump_cap, out, &err);
    index_articles(archive_index(a), &q, dump_art, out, &err);
    archive_close(a);
    buf_release(&err);
}

TEST(archive_reindex_rebuilds_same_rows)
{
    const char *dir = dir_in("re");
    struct buf err = BUF_INIT, before = BUF_INIT, after = BUF_INIT;
    struct archive_opts o = { .host_label = "h", .warc_max_size = 3000 };
    CHECK_EQ(write_fixture(dir, &o, &err), 0);
    /* A re-extraction (newer article row for URL1) and some crawl state. */
    struct archive *a;
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    struct index_capture cap;
    CHECK_EQ(index_capture_get(archive_index(a), URL1, 1, &cap, &err), 1);
    struct archive_text a1 = art1();
    a1.title = "Re-extracted title";
    CHECK_EQ(archive_add_extraction(a, &cap, &a1, &err), 0);
    index_capture_release(&cap);
    CHECK_EQ(archive_frontier_add(a, "example", "http://news.example.cn/a/9.html", URL3, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_state_set(a, "example", "backfill.page", "37"), 0);
    archive_close(a);
    char names[16][256];
    CHECK(list_warc(dir, names, 16) >= 3); /* rotation at 3000 bytes */
    dump_index(dir, &before);
    CHECK_CONTAINS(before.data, "Re-extracted title");

    /* Delete the index: reindex rebuilds the same rows from the WARC files. */
    char idx[4300];
    snprintf(idx, sizeof idx, "%s/index.sqlite", dir);
    CHECK_EQ(unlink(idx), 0);
    struct archive_reindex_stats rs;
    CHECK_EQ(archive_reindex(dir, &rs, &err), 0);
    CHECK_EQ(rs.captures, 5);
    CHECK_EQ(rs.articles, 3);
    dump_index(dir, &after);
    CHECK_STR(after.data, before.data);
    /* newest extraction wins */
    CHECK_EQ(archive_open(dir, &(struct archive_opts){ .readonly = 1 }, &a, &err), 0);
    struct index_article art;
    CHECK_EQ(index_article_get(archive_index(a), URL1, &art, &err), 1);
    CHECK_STR(art.title, "Re-extracted title");
    index_article_release(&art);
    archive_close(a);

    /* Reindex over an existing index keeps the crawl state. */
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    CHECK_EQ(archive_frontier_add(a, "example", "http://news.example.cn/a/9.html", NULL, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_state_set(a, "example", "backfill.page", "38"), 0);
    archive_close(a);
    CHECK_EQ(archive_reindex(dir, &rs, &err), 0);
    dump_index(dir, &after);
    CHECK_STR(after.data, before.data);
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    char *v = archive_state_get(a, "example", "backfill.page");
    CHECK_STR(v, "38");
    free(v);
    struct frontier_item *items;
    size_t n;
    CHECK_EQ(archive_frontier_pending(a, NULL, 10, &items, &n), 0);
    CHECK_EQ(n, 1);
    archive_frontier_items_free(items, n);
    /* reindex while a writer holds the lock */
    CHECK_EQ(archive_reindex(dir, &rs, &err), NA_ELOCKED);
    archive_close(a);
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, NULL, NULL, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    buf_release(&before);
    buf_release(&after);
    buf_release(&err);
}

/* A run's first file sorts after the files an earlier run wrote in the same
 * second (archive_reindex takes the files in name order as the order they
 * were written): a writer starting in the second another one rotated in must
 * not restart at serial 00000. The earlier run's files are stood in for by
 * empty files numbered 00041 for this second and the next few. */
TEST(warc_new_run_sorts_after_same_second_files)
{
    const char *dir = dir_in("samesec");
    struct buf err = BUF_INIT;
    CHECK_EQ(mkdir(dir, 0755), 0);
    char fake[8][64];
    time_t now = time(NULL);
    for (int i = 0; i < 8; i++) {
        time_t t = now + i;
        struct tm tm;
        char stamp[16];
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
        snprintf(fake[i], sizeof fake[i], "newsarc-%s-00041-h.warc.gz", stamp);
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", dir, fake[i]);
        int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
        CHECK(fd >= 0);
        if (fd >= 0)
            close(fd);
    }
    struct warc_writer *w = NULL;
    struct warc_writer_opts wo = { .dir = dir, .host_label = "h", .software = "t/1" };
    CHECK_EQ(warc_writer_new(&wo, &w, &err), 0);
    struct slice part = { "x", 1 };
    struct warc_record_spec rs = { .type = WARC_TYPE_RESOURCE, .date = T0, .target_uri = "http://e/",
                                   .content_type = "text/plain", .parts = &part, .nparts = 1 };
    struct warc_loc loc;
    char name[256] = "";
    CHECK_EQ(warc_writer_begin(w, 1, &err), 0);
    CHECK_EQ(warc_writer_add(w, &rs, &loc, &err), 0);
    CHECK_EQ(warc_writer_commit(w, &err), 0);
    snprintf(name, sizeof name, "%s", loc.file ? loc.file : "");
    warc_writer_free(w);
    int same = -1;
    for (int i = 0; i < 8; i++)
        if (strncmp(name, fake[i], strlen("newsarc-YYYYMMDDHHMMSS-")) == 0)
            same = i;
    CHECK(same >= 0); /* the test takes less than 8 s */
    if (same >= 0) {
        CHECK(strcmp(name, fake[same]) > 0);
        CHECK_CONTAINS(name, "-00042-h.warc.gz");
    }
    buf_release(&err);
}

TEST(archive_verify_reports_row_past_end)
{
    const char *dir = dir_in("past");
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(write_fixture(dir, &o, &err), 0);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    const char *p = warc_path(dir, names[0]);
    struct seen s;
    memset(&s, 0, sizeof s);
    CHECK_EQ(read_all(p, collect, &s), 15);
    /* Cut the file cleanly before the listing capture (13, 14): the index
     * rows of that capture now point past the end. */
    CHECK_EQ(truncate(p, (off_t)s.off[13]), 0);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    char want[512];
    snprintf(want, sizeof want, "%s:%llu: index capture #5: offset %llu is past the end of the file (%llu bytes)",
             names[0], (unsigned long long)s.off[14], (unsigned long long)s.off[14], (unsigned long long)s.off[13]);
    CHECK(has_fault(&fl, want));
    snprintf(want, sizeof want, "%s:%llu: index capture #5: offset %llu is past the end", names[0],
             (unsigned long long)s.off[13], (unsigned long long)s.off[13]);
    CHECK(has_fault(&fl, want));
    snprintf(want, sizeof want, "%s:%llu: the index says it is indexed up to offset", names[0],
             (unsigned long long)s.off[13]);
    CHECK(has_fault(&fl, want));
    CHECK_EQ(vs.faults, 3);
    dump_faults(&fl);
    /* and the CLI exits 1 naming file and offset */
    const char *bin = getenv("NA_BIN");
    if (bin) {
        char cmd[9000];
        snprintf(cmd, sizeof cmd, "'%s' verify -a '%s' > '%s/verify.out' 2>&1", bin, dir, test_tmpdir());
        int st = system(cmd);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
        snprintf(cmd, sizeof cmd, "%s/verify.out", test_tmpdir());
        char *out = test_read_file(cmd, NULL);
        snprintf(want, sizeof want, "%s:%llu: index capture #5", names[0], (unsigned long long)s.off[14]);
        CHECK_CONTAINS(out, want);
        CHECK_CONTAINS(out, "3 faults");
        free(out);
    }
    seen_free(&s);
    buf_release(&err);
}

TEST(archive_disk_full_rolls_back)
{
    const char *dir = dir_in("full");
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    struct fx f;
    struct archive_text a1 = art1();
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    char names[8][256];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    const char *p = warc_path(dir, names[0]);
    uint64_t size = fsize(p);

    /* A big capture that cannot fit under RLIMIT_FSIZE: write fails with
     * EFBIG (SIGXFSZ ignored) like ENOSPC would. */
    struct buf big = BUF_INIT;
    unsigned v = 7;
    for (int i = 0; i < 200000; i++) {
        v = v * 1103515245u + 12345u;
        buf_addc(&big, (char)('a' + (v >> 16) % 26));
    }
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = (rlim_t)(size + 50000);
    CHECK_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fx_init(&f, URL2, "example", CAPTURE_ARTICLE, 200, head1, big.data, big.len, T0 + 1);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), NA_EDISKFULL);
    CHECK_CONTAINS(buf_str(&err), names[0]);
    CHECK_EQ(fsize(p), size);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ(archive_has_capture(a, URL2), 0);
    /* After space comes back, writing goes on in the same file. */
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    CHECK(fsize(p) > size);
    archive_close(a);

    /* The first write of a new file (its warcinfo) fails: no file is left. */
    const char *dir2 = dir_in("full2");
    CHECK_EQ(archive_open(dir2, &o, &a, &err), 0);
    lim.rlim_cur = 100;
    CHECK_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), NA_EDISKFULL);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_EQ(list_warc(dir2, names, 8), 0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    archive_close(a);
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, NULL, NULL, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    CHECK_EQ(archive_verify(dir2, NULL, NULL, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    buf_release(&big);
    buf_release(&err);
}

TEST(archive_add_alloc_failures_are_clean)
{
    /* Fail the n-th allocation inside archive_add, for every n until one
     * call succeeds: each failure is a clean error, leaves nothing in the
     * WARC file or the index, and leaks nothing (LeakSanitizer). */
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "h" };
    int done = 0, failures = 0;
    for (long n = 1; n < 2000 && !done; n++) {
        char sub[64];
        snprintf(sub, sizeof sub, "fa%ld", n);
        const char *dir = dir_in(sub);
        struct archive *a;
        na_mem_fail_after(0);
        CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
        /* one capture already there, so the revisit path runs too */
        struct fx f;
        struct archive_text a1 = art1();
        fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
        CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
        f.c.fetched = T0 + 60;
        buf_reset(&err);
        na_mem_fail_after(n);
        int rc = archive_add(a, &f.c, &a1, &err);
        na_mem_fail_after(0);
        if (rc == 0) {
            done = 1;
        } else {
            failures++;
            CHECK(rc < 0);
            CHECK(rc == NA_ENOMEM || rc == NA_EIO || rc == NA_EDB);
        }
        fx_release(&f);
        archive_close(a);
        struct archive_verify_stats vs;
        CHECK_EQ(archive_verify(dir, NULL, NULL, &vs, &err), 0);
        CHECK_EQ(vs.faults, 0);
        CHECK_EQ(vs.index_rows, rc == 0 ? 3 : 2);
    }
    CHECK(done);
    CHECK(failures > 5);
    fprintf(stderr, "archive_add: %d allocation failures exercised before the first success\n", failures);
    buf_release(&err);
}

/* Files by day: five runs of one writer on one day append to one file
 * (a torn tail left by a crash is cut first); two writers at once write
 * two files; a small warc_max_size rotates. */
TEST(archive_day_file_continued_and_rotated)
{
    const char *dir = dir_in("byday");
    struct buf err = BUF_INIT;
    struct archive *a, *b;
    struct archive_opts o = { .host_label = "h" };
    static const char *const urls[] = { URL1, URL2, URL3, "http://example.com/d/4", "http://example.com/d/5" };
    for (int run = 0; run < 5; run++) {
        CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
        struct fx f;
        fx_init(&f, urls[run], "example", CAPTURE_LISTING, 200, head1, listing, strlen(listing), T0 + run);
        CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
        fx_release(&f);
        archive_close(a);
    }
    char names[16][256];
    CHECK_EQ(list_warc(dir, names, 16), 1);
    const char *p = warc_path(dir, names[0]);
    CHECK_EQ(read_all(p, NULL, NULL), 1 + 5 * 2); /* one warcinfo, five request+response */
    /* a crash tore a record after the last commit: the next run cuts it and
     * goes on (half of the last record appended again stands for it) */
    struct seen sn;
    memset(&sn, 0, sizeof sn);
    CHECK_EQ(read_all(p, collect, &sn), 11);
    size_t tl = (size_t)sn.len[10] / 2;
    char *tail = malloc(tl);
    FILE *fp = fopen(p, "r+b");
    CHECK(fp && tail);
    CHECK_EQ(fseek(fp, (long)sn.off[10], SEEK_SET), 0);
    CHECK_EQ(fread(tail, 1, tl, fp), tl);
    CHECK_EQ(fseek(fp, 0, SEEK_END), 0);
    CHECK_EQ(fwrite(tail, 1, tl, fp), tl);
    fclose(fp);
    free(tail);
    seen_free(&sn);
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    /* a second writer at once (same label): a file of its own */
    CHECK_EQ(archive_open(dir, &o, &b, &err), 0);
    struct fx f;
    fx_init(&f, URL1, "example", CAPTURE_LISTING, 200, head1, listing, strlen(listing), T0 + 10);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    CHECK_EQ(archive_add(b, &f.c, NULL, &err), 0);
    fx_release(&f);
    archive_close(b);
    archive_close(a);
    CHECK_EQ(list_warc(dir, names, 16), 2);
    CHECK_EQ(read_all(warc_path(dir, names[0]), NULL, NULL), 1 + 6 * 2); /* torn tail cut, one pair added */
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    dump_faults(&fl);

    /* warc_max_size: a new file once the current one passes it */
    const char *dir2 = dir_in("byday-small");
    struct archive_opts so = { .host_label = "h", .warc_max_size = 4096 };
    for (int run = 0; run < 5; run++) {
        CHECK_EQ(archive_open(dir2, &so, &a, &err), 0);
        fx_init(&f, urls[run], "example", CAPTURE_LISTING, 200, head1, page1, strlen(page1), T0 + run);
        CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
        fx_release(&f);
        archive_close(a);
    }
    int n = list_warc(dir2, names, 16);
    CHECK(n >= 2 && n <= 5);
    for (int i = 0; i < n; i++)
        CHECK(fsize(warc_path(dir2, names[i])) < 4096 + 4096);
    buf_release(&err);
}

/* Recovery with another writer live: the bytes past the indexed end of a
 * file a live writer holds are its uncommitted group, not a crash's: a
 * second writer's open leaves them; once the first is gone they are cut. */
TEST(archive_recovery_skips_live_writers_file)
{
    const char *dir = dir_in("livefile");
    struct buf err = BUF_INIT;
    struct archive *a, *b;
    struct archive_opts o = { .host_label = "h" }, o2 = { .host_label = "h2" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    struct fx f;
    fx_init(&f, URL1, "example", CAPTURE_LISTING, 200, head1, listing, strlen(listing), T0);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    char names[4][256];
    CHECK_EQ(list_warc(dir, names, 4), 1);
    const char *p = warc_path(dir, names[0]);
    uint64_t size = fsize(p);
    FILE *fp = fopen(p, "ab"); /* stands for a group a is writing */
    CHECK(fp != NULL);
    fwrite("\x1f\x8b\x08\x00partial", 1, 11, fp);
    fclose(fp);
    CHECK_EQ(archive_open(dir, &o2, &b, &err), 0);
    CHECK_EQ(fsize(p), size + 11); /* not a's crash: left alone */
    archive_close(b);
    archive_close(a);
    CHECK_EQ(archive_open(dir, &o2, &b, &err), 0);
    CHECK_EQ(fsize(p), size); /* a is gone: cut */
    archive_close(b);
    buf_release(&err);
}

/* Per-site locks: a second writer cannot take a site the first holds and
 * is told its PID and command; other sites are free; closing frees it. */
TEST(archive_site_locks)
{
    const char *dir = dir_in("sitelock");
    struct buf err = BUF_INIT;
    struct archive *a, *b;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    CHECK_EQ(archive_open(dir, &o, &b, &err), 0);
    CHECK_EQ(archive_lock_site(a, "s1", &err), 0);
    CHECK_EQ(archive_lock_site(a, "s1", &err), 0); /* held already */
    CHECK_EQ(archive_lock_site(b, "s1", &err), NA_ELOCKED);
    char want[64];
    snprintf(want, sizeof want, "PID %ld ", (long)getpid());
    CHECK_CONTAINS(buf_str(&err), want);
    CHECK_CONTAINS(buf_str(&err), "site 's1' is being crawled by another process");
    CHECK_EQ(archive_lock_site(b, "s2", &err), 0);
    CHECK_EQ(archive_lock_site(b, "../x", &err), NA_EINVAL);
    archive_close(a);
    CHECK_EQ(archive_lock_site(b, "s1", &err), 0);
    archive_close(b);
    buf_release(&err);
}

TEST(archive_lock_and_concurrent_reader)
{
    const char *dir = dir_in("lock");
    struct buf err = BUF_INIT;
    struct archive *w, *w2, *r;
    struct archive_opts o = { .host_label = "h" }, ro = { .readonly = 1 };
    struct archive_opts xo = { .host_label = "h", .exclusive = 1 };
    CHECK_EQ(archive_open(dir, &o, &w, &err), 0);
    /* writers share the archive (each on its own sites); reindex and
     * reextract (exclusive) wait for none of them: locked */
    CHECK_EQ(archive_open(dir, &xo, &w2, &err), NA_ELOCKED);
    CHECK_CONTAINS(buf_str(&err), "in use by another process");
    CHECK_EQ(archive_open(dir, &ro, &r, &err), 0);
    struct fx f;
    struct archive_text a1 = art1();
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_begin(w), 0);
    CHECK_EQ(archive_add(w, &f.c, &a1, &err), 0);
    /* not committed yet: the reader does not see it */
    CHECK_EQ(archive_has_capture(r, URL1), 0);
    CHECK_EQ(archive_commit(w), 0);
    CHECK_EQ(archive_has_capture(r, URL1), 1);
    CHECK_EQ(archive_add(r, &f.c, &a1, &err), NA_EINVAL);
    fx_release(&f);
    archive_close(r);
    archive_close(w);
    CHECK_EQ(archive_open(dir, &xo, &w2, &err), 0);
    /* and the exclusive holder keeps writers out, naming itself */
    CHECK_EQ(archive_open(dir, &o, &w, &err), NA_ELOCKED);
    char want[64];
    snprintf(want, sizeof want, "PID %ld ", (long)getpid());
    CHECK_CONTAINS(buf_str(&err), want);
    archive_close(w2);
    CHECK_EQ(archive_open(dir_in("nothing"), &ro, &r, &err), NA_ENOTFOUND);
    CHECK_CONTAINS(buf_str(&err), "no archive at");
    buf_release(&err);
}

/* The retry policy's rows: due or not, given up, listed for ls --failed,
 * all of them for --retry-failed; done stays done. */
TEST(archive_frontier_retry_policy)
{
    const char *dir = dir_in("retry");
    struct buf err = BUF_INIT;
    struct archive *a;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    static const long sched[] = { 3600, 86400 };
    time_t now = time(NULL);
    CHECK_EQ(archive_frontier_add(a, "s", "http://e/later", NULL, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_frontier_add(a, "s", "http://e/gone", NULL, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_frontier_add(a, "s", "http://e/ok", NULL, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_frontier_add(a, "s", "http://e/new", NULL, CAPTURE_ARTICLE, 1), 1);
    CHECK_EQ(archive_frontier_fail(a, "http://e/later", "HTTP 500", 500, sched, 2, now), 0);
    CHECK_EQ(archive_frontier_fail(a, "http://e/gone", "HTTP 404", 404, NULL, 0, now), 1);
    CHECK_EQ(archive_frontier_done(a, "http://e/ok"), 0);
    CHECK_EQ(archive_frontier_fail(a, "http://e/ok", "timeout", 0, sched, 2, now), 0); /* done stays done */
    CHECK_EQ(archive_frontier_fail(a, "http://e/none", "timeout", 0, sched, 2, now), NA_ENOTFOUND);
    struct frontier_item *it;
    size_t n;
    /* due now: only the one never tried */
    CHECK_EQ(archive_frontier_pending(a, "s", 10, &it, &n), 0);
    CHECK_EQ(n, 1);
    CHECK_STR(it[0].url, "http://e/new");
    archive_frontier_items_free(it, n);
    /* --retry-failed: every row not done */
    CHECK_EQ(archive_frontier_list(a, "s", 10, ARCHIVE_FR_RETRY_ALL, &it, &n), 0);
    CHECK_EQ(n, 3);
    archive_frontier_items_free(it, n);
    /* ls --failed: retrying first, then given up */
    CHECK_EQ(archive_frontier_list(a, NULL, 10, ARCHIVE_FR_FAILED, &it, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_STR(it[0].url, "http://e/later");
    CHECK_EQ(it[0].given_up, 0);
    CHECK_EQ(it[0].attempts, 1);
    CHECK_EQ(it[0].next_attempt, now + 3600);
    CHECK_EQ(it[0].last_attempt, now);
    CHECK_STR(it[1].url, "http://e/gone");
    CHECK_EQ(it[1].given_up, 1);
    CHECK_STR(it[1].reason, "HTTP 404");
    CHECK_EQ(it[1].status, 404);
    archive_frontier_items_free(it, n);
    /* the second failure waits the second interval, the third gives up */
    CHECK_EQ(archive_frontier_fail(a, "http://e/later", "timeout", 0, sched, 2, now), 0);
    CHECK_EQ(archive_frontier_list(a, NULL, 1, ARCHIVE_FR_FAILED, &it, &n), 0);
    CHECK_EQ(it[0].next_attempt, now + 86400);
    CHECK_STR(it[0].reason, "timeout");
    CHECK_EQ(it[0].status, 0);
    archive_frontier_items_free(it, n);
    CHECK_EQ(archive_frontier_fail(a, "http://e/later", "timeout", 0, sched, 2, now), 1);
    /* a given-up URL found again is not queued again */
    CHECK_EQ(archive_frontier_add(a, "s", "http://e/later", NULL, CAPTURE_ARTICLE, 1), 0);
    archive_close(a);
    buf_release(&err);
}

/* "Have it" is a 200 response with an extracted text, or a revisit of
 * one: a 500 stored twice (the second as an identical-payload revisit), a
 * 200 without text, a 200 kept as a plain capture are not. */
TEST(archive_has_article_needs_text)
{
    const char *dir = dir_in("has");
    struct buf err = BUF_INIT;
    struct archive *a;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    static const char e500[] = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    static const char h500[] = "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/html\r\n\r\n";
    const char *u500 = "http://e/500.html", *uempty = "http://e/empty.html", *uplain = "http://e/plain.html";
    struct fx f;
    for (int i = 0; i < 2; i++) {
        fx_init(&f, u500, "s", CAPTURE_ARTICLE, 500, h500, e500, strlen(e500), T0 + i);
        CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
        fx_release(&f);
    }
    struct index_capture cap;
    CHECK_EQ(index_capture_get(archive_index(a), u500, 0, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 1); /* the identical 500 is a revisit */
    index_capture_release(&cap);
    CHECK_EQ(archive_has_article(a, u500), 0);
    /* a 200 whose extraction found no text */
    struct archive_text empty = art1();
    empty.text = "";
    fx_init(&f, uempty, "s", CAPTURE_ARTICLE, 200, head1, page2, strlen(page2), T0);
    CHECK_EQ(archive_add(a, &f.c, &empty, &err), 0);
    fx_release(&f);
    CHECK_EQ(archive_has_article(a, uempty), 0);
    /* a 200 archived without an extraction */
    fx_init(&f, uplain, "s", CAPTURE_OTHER, 200, head1, page2, strlen(page2), T0);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    CHECK_EQ(archive_has_article(a, uplain), 0);
    /* the 500 URL answers 200 with text at last; then an identical revisit */
    struct archive_text a1 = art1();
    for (int i = 0; i < 2; i++) {
        fx_init(&f, u500, "s", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0 + 10 + i);
        CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
        fx_release(&f);
        CHECK_EQ(archive_has_article(a, u500), 1);
    }
    archive_close(a);
    buf_release(&err);
}

/* A kill can cut a capture's group after its response record: recovery
 * then indexes the response without its text. The next fetch gives the
 * same payload; it must be archived as a response with its text, not as an
 * identical-payload revisit (which carries none), or the article would stay
 * without text for good. Once the text is there, an identical fetch is a
 * revisit again. */
TEST(archive_identical_payload_without_text_is_archived_in_full)
{
    const char *dir = dir_in("notext");
    struct buf err = BUF_INIT;
    struct archive *a;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    const char *u = "http://e/cut.html";
    struct fx f;
    fx_init(&f, u, "s", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0); /* the response alone, as recovery finds it */
    fx_release(&f);
    CHECK_EQ(archive_has_article(a, u), 0);
    struct archive_text a1 = art1();
    fx_init(&f, u, "s", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0 + 1);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    CHECK_EQ(archive_has_article(a, u), 1);
    struct index_capture cap;
    CHECK_EQ(index_capture_get(archive_index(a), u, 0, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 0);
    index_capture_release(&cap);
    fx_init(&f, u, "s", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0 + 2);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    CHECK_EQ(index_capture_get(archive_index(a), u, 0, &cap, &err), 1);
    CHECK_EQ(cap.revisit, 1);
    index_capture_release(&cap);
    archive_close(a);
    buf_release(&err);
}

/* What a 304 on a listing page is read from: the newest 200 response of
 * the URL (not a newer 500, not a 304 revisit), content coding removed. */
TEST(archive_last_ok_body)
{
    const char *dir = dir_in("lastok");
    struct buf err = BUF_INIT, ct = BUF_INIT, body = BUF_INIT;
    struct archive *a;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    CHECK_EQ(archive_last_ok_body(a, URL3, 0, &ct, &body, &err), 0);
    struct buf gz = BUF_INIT;
    gzip_into(listing, strlen(listing), &gz);
    struct fx f;
    fx_init(&f, URL3, "s", CAPTURE_LISTING, 200,
            "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\nContent-Encoding: gzip\r\n\r\n", gz.data,
            gz.len, T0);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    fx_init(&f, URL3, "s", CAPTURE_LISTING, 304, "HTTP/1.1 304 Not Modified\r\n\r\n", "", 0, T0 + 1);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    fx_init(&f, URL3, "s", CAPTURE_LISTING, 500, "HTTP/1.1 500 Oops\r\nContent-Type: text/plain\r\n\r\n", "x", 1,
            T0 + 2);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    CHECK_EQ(archive_last_ok_body(a, URL3, 0, &ct, &body, &err), 1);
    CHECK_STR(buf_str(&ct), "text/html; charset=gbk");
    CHECK_STR(buf_str(&body), listing);
    buf_release(&gz);
    buf_release(&ct);
    buf_release(&body);
    buf_release(&err);
    archive_close(a);
}

TEST(archive_frontier_and_state)
{
    const char *dir = dir_in("fr");
    struct buf err = BUF_INIT;
    struct archive *a;
    CHECK_EQ(archive_open(dir, NULL, &a, &err), 0);
    CHECK_EQ(archive_frontier_add(a, "s1", "http://e/1", NULL, CAPTURE_ARTICLE, 0), 1);
    CHECK_EQ(archive_frontier_add(a, "s1", "http://e/1", NULL, CAPTURE_ARTICLE, 0), 0);
    CHECK_EQ(archive_frontier_add(a, "s2", "http://e/2", "http://e/", CAPTURE_LISTING, 3), 1);
    CHECK_EQ(archive_frontier_add(a, "s1", "http://e/3", NULL, CAPTURE_ARTICLE, 0), 1);
    struct frontier_item *it;
    size_t n;
    CHECK_EQ(archive_frontier_pending(a, "s1", 10, &it, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_STR(it[0].url, "http://e/1");
    CHECK_STR(it[1].url, "http://e/3");
    archive_frontier_items_free(it, n);
    CHECK_EQ(archive_frontier_pending(a, NULL, 10, &it, &n), 0);
    CHECK_EQ(n, 3);
    CHECK_STR(it[1].referrer, "http://e/");
    CHECK_EQ(it[1].kind, CAPTURE_LISTING);
    CHECK_EQ(it[1].depth, 3);
    archive_frontier_items_free(it, n);
    static const long two[] = { 0, 0 };
    CHECK_EQ(archive_frontier_done(a, "http://e/1"), 0);
    CHECK_EQ(archive_frontier_fail(a, "http://e/3", "HTTP 503", 503, two, 2, time(NULL)), 0);
    CHECK_EQ(archive_frontier_pending(a, "s1", 10, &it, &n), 0);
    CHECK_EQ(n, 1);
    CHECK_EQ(it[0].attempts, 1);
    CHECK_STR(it[0].reason, "HTTP 503");
    CHECK_EQ(it[0].status, 503);
    archive_frontier_items_free(it, n);
    CHECK_EQ(archive_frontier_fail(a, "http://e/3", "timeout", 0, two, 2, time(NULL)), 0);
    CHECK_EQ(archive_frontier_fail(a, "http://e/3", "timeout", 0, two, 2, time(NULL)), 1); /* given up */
    CHECK_EQ(archive_frontier_pending(a, "s1", 10, &it, &n), 0);
    CHECK_EQ(n, 0);
    archive_frontier_items_free(it, n);
    /* done stays done */
    CHECK_EQ(archive_frontier_add(a, "s1", "http://e/1", NULL, CAPTURE_ARTICLE, 0), 0);
    CHECK_EQ(archive_state_set(a, "s1", "k", "v1"), 0);
    CHECK_EQ(archive_state_set(a, "s1", "k", "v2"), 0);
    CHECK_EQ(archive_state_set(a, NULL, "k", "global"), 0);
    char *v = archive_state_get(a, "s1", "k");
    CHECK_STR(v, "v2");
    free(v);
    v = archive_state_get(a, NULL, "k");
    CHECK_STR(v, "global");
    free(v);
    CHECK(archive_state_get(a, "s2", "k") == NULL);
    archive_close(a);
    buf_release(&err);
}

TEST(archive_index_failure_takes_records_back)
{
    /* The WARC write succeeds but the index commit cannot grow the WAL
     * (RLIMIT_FSIZE below the WAL's size, above the WARC file's): the
     * records just written are truncated away again. */
    const char *dir = dir_in("ixfail");
    struct buf err = BUF_INIT;
    struct archive *a;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    struct fx f;
    struct archive_text a1 = art1();
    fx_init(&f, URL1, "example", CAPTURE_ARTICLE, 200, head1, page1, strlen(page1), T0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    fx_release(&f);
    char names[8][256], wal[4300];
    CHECK_EQ(list_warc(dir, names, 8), 1);
    const char *p = warc_path(dir, names[0]);
    uint64_t size = fsize(p);
    snprintf(wal, sizeof wal, "%s/index.sqlite-wal", dir);
    uint64_t walsize = fsize(wal);
    CHECK(walsize > size + 20000);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = (rlim_t)(size + 10000);
    CHECK_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
    fx_init(&f, URL2, "example", CAPTURE_ARTICLE, 200, head1, page2, strlen(page2), T0 + 1);
    int rc = archive_add(a, &f.c, &a1, &err);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(rc < 0);
    CHECK_EQ(fsize(p), size);
    CHECK_EQ(archive_has_capture(a, URL2), 0);
    CHECK_EQ(archive_add(a, &f.c, &a1, &err), 0);
    CHECK_EQ(archive_has_capture(a, URL2), 1);
    fx_release(&f);
    archive_close(a);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 0);
    CHECK_EQ(vs.index_rows, 4);
    dump_faults(&fl);
    buf_release(&err);
}

/* A transfer cut mid-chunk is archived with WARC-Truncated: its payload
 * digest covers what the chunk framing holds, and verify accepts it; the
 * same broken framing without WARC-Truncated is a fault. */
TEST(archive_truncated_chunked_response_verifies)
{
    const char *dir = dir_in("cutchunk");
    struct buf err = BUF_INIT;
    struct archive *a = NULL;
    struct archive_opts o = { .host_label = "h" };
    CHECK_EQ(archive_open(dir, &o, &a, &err), 0);
    if (!a)
        return;
    static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n";
    static const char body[] = "10\r\n<html><body><p>c\r\n20\r\nut mid-ch";
    struct fx f;
    fx_init(&f, "http://t.example/cut.html", "t", CAPTURE_OTHER, 200, head, body, sizeof body - 1, 1700000000);
    f.c.truncated = "disconnect";
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    fx_init(&f, "http://t.example/broken.html", "t", CAPTURE_OTHER, 200, head, body, sizeof body - 1, 1700000001);
    CHECK_EQ(archive_add(a, &f.c, NULL, &err), 0);
    fx_release(&f);
    archive_close(a);
    struct faults fl = { 0 };
    struct archive_verify_stats vs;
    CHECK_EQ(archive_verify(dir, on_fault, &fl, &vs, &err), 0);
    CHECK_EQ(vs.faults, 1);
    CHECK(has_fault(&fl, "broken chunked transfer coding"));
    CHECK(!has_fault(&fl, "Payload-Digest mismatch"));
    dump_faults(&fl);
    buf_release(&err);
}
