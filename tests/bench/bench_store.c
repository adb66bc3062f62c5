/* bench_store.c — write throughput of the archive (issue 3, item 7): N
 * captures of ~40 KB HTML pages with ~5 KB clean texts through archive_add
 * (request + response + conversion + metadata records, index rows), either
 * one durable commit per capture or BATCH captures per archive_begin/commit.
 * Pages are synthetic (default) or cycled from a corpus directory; texts are
 * synthetic Chinese prose. Prints one line of key=value figures.
 *   bench-store DIR N BATCH [CORPUS_DIR]
 * With -c, the crawl path: the pages of PAGE_DIR (.html), each extracted
 * beforehand and sent gzip level 1 + chunked as nginx sends them, through
 * archive_prepare + archive_add_prepared, BATCH captures per begin/commit.
 *   bench-store -c DIR N BATCH PAGE_DIR */
#include "crawler/article_archive.h"
#include "parser/article.h"
#include "store/archive.h"
#include "util/buf.h"
#include "util/err.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

static const char *const words[] = { "工程", "项目", "签约", "投资", "建设", "园区", "企业", "发展", "产业",
                                     "经济", "水泥", "钢铁", "电力", "能源", "市场", "政策", "济南", "天津",
                                     "招商", "厂房", "土地", "合作", "制造", "物流", "科技", "创新" };
#define NWORDS (sizeof words / sizeof words[0])

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 16;
}

/* About `bytes` of Chinese prose, paragraphs of 40 words. */
static void prose(struct buf *b, size_t bytes, unsigned *seed, const char *pre, const char *post)
{
    size_t start = b->len;
    while (b->len - start < bytes) {
        buf_adds(b, pre);
        for (int i = 0; i < 40; i++)
            buf_adds(b, words[rnd(seed) % NWORDS]);
        buf_adds(b, "。");
        buf_adds(b, post);
    }
}

static void synth_page(struct buf *b, int i, const char *text, unsigned *seed)
{
    buf_reset(b);
    buf_printf(b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>新闻 %d</title><style>", i);
    for (int k = 0; k < 120; k++)
        buf_printf(b, ".c%d{color:#%06x;margin:%dpx}", k, rnd(seed) & 0xffffff, k % 17);
    buf_adds(b, "</style></head><body><ul class=\"nav\">");
    while (b->len < 26000)
        buf_printf(b, "<li><a href=\"/news/%u.html\">%s%s</a></li>", rnd(seed) % 100000,
                   words[rnd(seed) % NWORDS], words[rnd(seed) % NWORDS]);
    buf_adds(b, "</ul><div class=\"article\"><p>");
    for (const char *p = text; *p; p++) {
        if (*p == '\n')
            buf_adds(b, "</p>\n<p>");
        else
            buf_addc(b, *p);
    }
    buf_adds(b, "</p></div><script>");
    while (b->len < 40 * 1024 - 9)
        buf_printf(b, "var v%u=%u;", rnd(seed) % 1000, rnd(seed));
    buf_adds(b, "</script></body></html>");
}

static char **corpus(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".html") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        struct buf b = BUF_INIT;
        char chunk[65536];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
            buf_add(&b, chunk, k);
        fclose(f);
        v = realloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = buf_detach(&b, NULL);
    }
    closedir(d);
    return v;
}

static uint64_t du(const char *dir)
{
    uint64_t total = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode))
            total += (uint64_t)sb.st_size;
    }
    if (d)
        closedir(d);
    return total;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}


/* What nginx sends for p: gzip level 1, chunked in 8 KB chunks. */
static void gzip_chunked(const char *p, size_t n, struct buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return;
    uLong cap = deflateBound(&z, (uLong)n) + 64;
    unsigned char *o = malloc(cap);
    if (!o) {
        deflateEnd(&z);
        return;
    }
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = o;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    for (size_t i = 0; i < len; i += 8192) {
        size_t k = len - i < 8192 ? len - i : 8192;
        buf_printf(out, "%zx\r\n", k);
        buf_add(out, o + i, k);
        buf_adds(out, "\r\n");
    }
    buf_adds(out, "0\r\n\r\n");
    free(o);
}

/* bench-store -c DIR N BATCH PAGE_DIR: see the top of the file. */
static int crawl_path(const char *dir, int n, int batch, const char *pagedir)
{
    size_t np = 0;
    char **pages = corpus(pagedir, &np);
    if (!np) {
        fprintf(stderr, "bench-store: no .html pages in %s\n", pagedir);
        return 1;
    }
    struct buf *wire = calloc(np, sizeof *wire);
    struct article *arts = calloc(np, sizeof *arts);
    uint64_t wire_bytes = 0, page_bytes = 0;
    for (size_t i = 0; i < np; i++) {
        size_t len = strlen(pages[i]);
        gzip_chunked(pages[i], len, &wire[i]);
        struct article_opts ao;
        memset(&ao, 0, sizeof ao);
        ao.now = 1700000000;
        article_init(&arts[i]);
        article_extract(pages[i], len, &ao, &arts[i], NULL);
        wire_bytes += wire[i].len;
        page_bytes += len;
    }
    struct archive *a;
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "bench" };
    int rc = archive_open(dir, &o, &a, &err);
    if (rc) {
        fprintf(stderr, "bench-store: %s\n", buf_str(&err));
        return 1;
    }
    const char *head = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Fri, 01 Mar 2024 02:30:00 GMT\r\n"
                       "Content-Type: text/html\r\nLast-Modified: Fri, 01 Mar 2024 00:00:00 GMT\r\n"
                       "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\nETag: W/\"65e11a40-a000\"\r\n"
                       "Content-Encoding: gzip\r\n\r\n";
    struct buf url = BUF_INIT, req = BUF_INIT;
    double t0 = now(), c0 = cpu();
    for (int i = 0; i < n && !rc; i++) {
        size_t k = (size_t)i % np;
        if (i % batch == 0)
            archive_begin(a);
        buf_reset(&url);
        buf_printf(&url, "http://h%d.bench.test:8080/news/%d/%06d.html", i % 10, i % 7, i);
        buf_reset(&req);
        buf_printf(&req, "GET /news/%d/%06d.html HTTP/1.1\r\nHost: h%d.bench.test:8080\r\n"
                         "User-Agent: newsarc/0.1.0\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\n\r\n",
                   i % 7, i, i % 10);
        struct capture c = {
            .url = url.data, .site = "bench", .kind = CAPTURE_ARTICLE, .fetched = 1709260200 + i,
            .ip = "127.0.0.1", .request = req.data, .request_len = req.len, .response_head = head,
            .response_head_len = strlen(head), .body = wire[k].data, .body_len = wire[k].len, .status = 200,
            .etag = "W/\"65e11a40-a000\"", .last_modified = "Fri, 01 Mar 2024 00:00:00 GMT",
        };
        struct archive_prep *prep = NULL;
        struct archive_text at = article_archive_text(&arts[k]);
        rc = archive_prepare(a, &c, &at, &prep, &err);
        if (!rc)
            rc = archive_add_prepared(a, prep, &err);
        archive_prep_free(prep);
        if (i % batch == batch - 1 || i == n - 1)
            archive_commit(a);
    }
    archive_close(a);
    double secs = now() - t0, csecs = cpu() - c0;
    if (rc) {
        fprintf(stderr, "bench-store: crawl path: %s\n", buf_str(&err));
        return 1;
    }
    char wd[4096], ix[4096];
    snprintf(wd, sizeof wd, "%s/warc", dir);
    snprintf(ix, sizeof ix, "%s/index.sqlite", dir);
    struct stat sb;
    uint64_t warc = du(wd), index = stat(ix, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    printf("captures=%d batch=%d pages=%zu page_kb=%.1f wire_kb=%.1f secs=%.3f cpu_secs=%.3f "
           "captures_per_s=%.0f us_cpu_per_capture=%.1f warc_bytes_per_page=%.0f index_bytes_per_page=%.0f\n",
           n, batch, np, (double)page_bytes / np / 1024, (double)wire_bytes / np / 1024, secs, csecs, n / secs, csecs * 1e6 / n,
           (double)warc / n, (double)index / n);
    for (size_t i = 0; i < np; i++) {
        free(pages[i]);
        buf_release(&wire[i]);
        article_release(&arts[i]);
    }
    free(pages);
    free(wire);
    free(arts);
    buf_release(&url);
    buf_release(&req);
    buf_release(&err);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "-c") == 0) {
        int n = (int)strtol(argv[3], NULL, 10), batch = (int)strtol(argv[4], NULL, 10);
        if (n < 1 || n > 10000000 || batch < 1) {
            fprintf(stderr, "bench-store: bad N or BATCH\n");
            return 2;
        }
        return crawl_path(argv[2], n, batch, argv[5]);
    }
    if (argc < 4) {
        fprintf(stderr, "usage: bench-store DIR N BATCH [CORPUS_DIR] | -c DIR N BATCH PAGE_DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    int n = (int)strtol(argv[2], NULL, 10), batch = (int)strtol(argv[3], NULL, 10);
    if (n < 1 || n > 10000000 || batch < 0) {
        fprintf(stderr, "bench-store: bad N or BATCH\n");
        return 2;
    }
    size_t ncorp = 0;
    char **corp = argc > 4 ? corpus(argv[4], &ncorp) : NULL;
    if (argc > 4 && !ncorp) {
        fprintf(stderr, "bench-store: no .html pages in %s\n", argv[4]);
        return 1;
    }
    unsigned seed = 42;
    /* Prepare all inputs first: only archive_add is timed. */
    struct buf *pages = calloc((size_t)n, sizeof *pages), *texts = calloc((size_t)n, sizeof *texts);
    uint64_t in_bytes = 0, text_bytes = 0, page_bytes = 0;
    for (int i = 0; i < n; i++) {
        prose(&texts[i], 5 * 1024, &seed, "", "\n");
        if (corp)
            buf_adds(&pages[i], corp[(size_t)i % ncorp]);
        else
            synth_page(&pages[i], i, texts[i].data, &seed);
        page_bytes += pages[i].len;
        text_bytes += texts[i].len;
    }
    struct archive *a;
    struct buf err = BUF_INIT;
    struct archive_opts o = { .host_label = "bench" };
    int rc = archive_open(dir, &o, &a, &err);
    if (rc) {
        fprintf(stderr, "bench-store: %s\n", buf_str(&err));
        return 1;
    }
    const char *head = "HTTP/1.1 200 OK\r\nServer: nginx\r\nDate: Fri, 01 Mar 2024 02:30:00 GMT\r\n"
                       "Content-Type: text/html; charset=utf-8\r\nConnection: keep-alive\r\n"
                       "Last-Modified: Fri, 01 Mar 2024 00:00:00 GMT\r\nETag: \"65e11a40-a000\"\r\n\r\n";
    struct buf url = BUF_INIT, req = BUF_INIT;
    double t0 = now(), c0 = cpu();
    for (int i = 0; i < n && !rc; i++) {
        if (batch > 1 && i % batch == 0)
            archive_begin(a);
        buf_reset(&url);
        buf_printf(&url, "http://news.example.cn/%d/%06d.html", i % 7, i);
        buf_reset(&req);
        buf_printf(&req, "GET /%d/%06d.html HTTP/1.1\r\nHost: news.example.cn\r\nUser-Agent: newsarc/0.1.0\r\n"
                         "Accept: */*\r\n\r\n", i % 7, i);
        struct capture c = {
            .url = url.data, .site = "example", .kind = CAPTURE_ARTICLE, .fetched = 1709260200 + i,
            .ip = "127.0.0.1", .request = req.data, .request_len = req.len, .response_head = head,
            .response_head_len = strlen(head), .body = pages[i].data, .body_len = pages[i].len, .status = 200,
        };
        struct archive_text art = {
            .title = "济南各区县抢跑“春天里”:党政一把手率队外出高质量项目密集签约",
            .published = "2024-09-30", .published_from = "relative", .author = "admin",
            .category = "天津产业信息", .lang = "zh", .charset = "utf-8", .text = texts[i].data,
            .extractor = ARTICLE_VERSION,
        };
        in_bytes += req.len + strlen(head) + pages[i].len + texts[i].len;
        rc = archive_add(a, &c, &art, &err);
        if (batch > 1 && (i % batch == batch - 1 || i == n - 1))
            archive_commit(a);
    }
    archive_close(a);
    double secs = now() - t0, csecs = cpu() - c0;
    if (rc) {
        fprintf(stderr, "bench-store: archive_add: %s\n", buf_str(&err));
        return 1;
    }
    char wd[4096], ix[4096];
    snprintf(wd, sizeof wd, "%s/warc", dir);
    snprintf(ix, sizeof ix, "%s/index.sqlite", dir);
    struct stat sb;
    uint64_t warc = du(wd), index = stat(ix, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    int records = 4 * n;
    printf("captures=%d batch=%d page_kb=%.1f text_kb=%.1f secs=%.3f captures_per_s=%.0f records_per_s=%.0f "
           "in_mb_per_s=%.1f out_mb_per_s=%.2f warc_bytes=%llu index_bytes=%llu warc_bytes_per_article=%.0f "
           "total_bytes_per_article=%.0f page_bytes_per_article=%.0f cpu_secs=%.3f captures_per_cpu_s=%.0f "
           "records_per_cpu_s=%.0f in_mb_per_cpu_s=%.1f\n",
           n, batch, (double)page_bytes / n / 1024, (double)text_bytes / n / 1024, secs, n / secs, records / secs,
           (double)in_bytes / secs / 1e6, (double)warc / secs / 1e6, (unsigned long long)warc,
           (unsigned long long)index, (double)warc / n, (double)(warc + index) / n, (double)page_bytes / n, csecs, n / csecs, records / csecs,
           (double)in_bytes / csecs / 1e6);
    for (int i = 0; i < n; i++) {
        buf_release(&pages[i]);
        buf_release(&texts[i]);
    }
    free(pages);
    free(texts);
    for (size_t i = 0; i < ncorp; i++)
        free(corp[i]);
    free(corp);
    buf_release(&url);
    buf_release(&req);
    buf_release(&err);
    return 0;
}
