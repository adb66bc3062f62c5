/* test_warc.c — store/warc and store/digest: record encoding and reading
 * back (every header, byte count and digest), the writer's rotation and
 * rollback, the reader's corruption reports (torn tail, bad data, skip),
 * and the HTTP helpers (status, headers, gzip/deflate bodies). */
#include "tests/check.h"
#include "store/digest.h"
#include "store/warc.h"
#include "util/err.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

static char *path_in(const char *dir, const char *name)
{
    static char p[4][4200];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(p, 1, n, f);
    fclose(f);
    return w == n ? 0 : -1;
}

static uint64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

TEST(digest_known_vectors)
{
    char d[DIGEST_SHA1_LEN + 1];
    CHECK_EQ(digest_sha1("", 0, d), 0);
    CHECK_STR(d, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    CHECK_EQ(digest_sha1("abc", 3, d), 0);
    CHECK_STR(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    struct slice parts[3] = { { "a", 1 }, { "", 0 }, { "bc", 2 } };
    CHECK_EQ(digest_sha1_parts(parts, 3, d), 0);
    CHECK_STR(d, "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
}

TEST(warc_dates_ids_types)
{
    char d[21], id[WARC_ID_LEN + 1], id2[WARC_ID_LEN + 1];
    warc_format_date(1709260200, d);
    CHECK_STR(d, "2024-03-01T02:30:00Z");
    CHECK_EQ(warc_parse_date(d), 1709260200);
    CHECK_EQ(warc_parse_date("2024-03-01T02:30:00.123Z"), 1709260200);
    CHECK_EQ(warc_parse_date("2024-03-01 02:30:00Z"), -1);
    CHECK_EQ(warc_parse_date("2024-03-01T02:30:00"), -1);
    CHECK_EQ(warc_new_id(id), 0);
    CHECK_EQ(warc_new_id(id2), 0);
    CHECK_EQ(strlen(id), WARC_ID_LEN);
    CHECK(strncmp(id, "<urn:uuid:", 10) == 0 && id[WARC_ID_LEN - 1] == '>');
    CHECK(id[24] == '4'); /* version 4 */
    CHECK(strcmp(id, id2) != 0);
    CHECK_EQ(warc_type_parse("Revisit"), WARC_TYPE_REVISIT);
    CHECK_EQ(warc_type_parse("bogus"), WARC_TYPE_UNKNOWN);
    CHECK_STR(warc_type_name(WARC_TYPE_CONVERSION), "conversion");
}

/* Encodes one record; returns the gzip member. */
static void encode(struct buf *out, enum warc_type t, const char *uri, const struct warc_field *f, size_t nf,
                   const char *block, char id[WARC_ID_LEN + 1])
{
    struct slice part = { block, strlen(block) };
    struct warc_record_spec s = {
        .type = t, .date = 1709260200, .target_uri = uri, .content_type = "text/plain",
        .fields = f, .nfields = nf, .parts = &part, .nparts = 1,
    };
    struct buf err = BUF_INIT;
    CHECK_EQ(warc_record_encode(&s, 6, out, id, &err), 0);
    buf_release(&err);
}

TEST(warc_encode_read_back)
{
    const char *dir = test_tmpdir();
    struct buf out = BUF_INIT, err = BUF_INIT;
    char id1[WARC_ID_LEN + 1], id2[WARC_ID_LEN + 1];
    struct warc_field f[2] = { { "WARC-Refers-To", "<urn:uuid:x>" }, { "X-Extra", "a  b" } };
    encode(&out, WARC_TYPE_CONVERSION, "http://e.cn/a?b=1&c=2", f, 2, "第一段\n第二段", id1);
    size_t len1 = out.len;
    CHECK((unsigned char)out.data[0] == 0x1f && (unsigned char)out.data[1] == 0x8b);
    encode(&out, WARC_TYPE_METADATA, "http://e.cn/a", NULL, 0, "", id2);
    CHECK(write_file(path_in(dir, "t.warc.gz"), out.data, out.len) == 0);

    struct warc_reader *r;
    CHECK_EQ(warc_reader_open(path_in(dir, "t.warc.gz"), 0, WARC_READ_RAW, &r, &err), 0);
    struct warc_record rec;
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(rec.offset, 0);
    CHECK_EQ(rec.length, len1);
    CHECK(memcmp(rec.raw, out.data, len1) == 0);
    CHECK_STR(rec.version, "WARC/1.1");
    CHECK_EQ(rec.type, WARC_TYPE_CONVERSION);
    CHECK_STR(rec.record_id, id1);
    CHECK_STR(rec.date, "2024-03-01T02:30:00Z");
    CHECK_STR(rec.target_uri, "http://e.cn/a?b=1&c=2");
    CHECK_STR(rec.refers_to, "<urn:uuid:x>");
    CHECK_STR(warc_record_field(rec.fields ? &rec : &rec, "x-extra"), "a  b");
    CHECK_STR(rec.content_type, "text/plain");
    CHECK_EQ(rec.content_length, strlen("第一段\n第二段"));
    CHECK_EQ(rec.block_len, strlen("第一段\n第二段"));
    CHECK_STR(rec.block, "第一段\n第二段");
    char d[DIGEST_SHA1_LEN + 1];
    digest_sha1(rec.block, rec.block_len, d);
    CHECK_STR(rec.block_digest, d);
    /* Field order: type, id, date, uri, given fields, digest, type, length. */
    CHECK_EQ(rec.nfields, 9);
    CHECK_STR(rec.fields[0].name, "WARC-Type");
    CHECK_STR(rec.fields[8].name, "Content-Length");
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(rec.offset, len1);
    CHECK_EQ(rec.offset + rec.length, out.len);
    CHECK_STR(rec.record_id, id2);
    CHECK_EQ(rec.block_len, 0);
    CHECK_STR(rec.block_digest, "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    CHECK_EQ(warc_reader_next(r, &rec, &err), 0);
    CHECK_EQ(warc_reader_good_end(r), out.len);
    /* Seek back to the second record; read it headers only. */
    warc_reader_free(r);
    CHECK_EQ(warc_reader_open(path_in(dir, "t.warc.gz"), 0, WARC_READ_NO_BLOCK, &r, &err), 0);
    CHECK_EQ(warc_reader_seek(r, len1), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK(rec.block == NULL);
    CHECK_STR(rec.record_id, id2);
    warc_reader_free(r);
    /* warc_read_at */
    CHECK_EQ(warc_read_at(path_in(dir, "t.warc.gz"), 0, 0, 0, &r, &rec, &err), 1);
    CHECK_STR(rec.record_id, id1);
    warc_reader_free(r);
    CHECK_EQ(warc_read_at(path_in(dir, "t.warc.gz"), out.len, 0, 0, &r, &rec, &err), 0);
    CHECK(r == NULL);
    buf_release(&out);
    buf_release(&err);
}

TEST(warc_encode_rejects_crlf_and_keeps_out)
{
    struct buf out = BUF_INIT, err = BUF_INIT;
    buf_adds(&out, "keep");
    struct warc_field f[1] = { { "X-Bad", "a\r\nWARC-Type: response" } };
    struct slice part = { "x", 1 };
    struct warc_record_spec s = { .type = WARC_TYPE_RESOURCE, .date = 1, .target_uri = "http://e/",
                                  .fields = f, .nfields = 1, .parts = &part, .nparts = 1 };
    CHECK_EQ(warc_record_encode(&s, 6, &out, NULL, &err), NA_EINVAL);
    CHECK_STR(out.data, "keep");
    CHECK_CONTAINS(buf_str(&err), "X-Bad");
    s.nfields = 0;
    s.target_uri = "http://e/\n";
    CHECK_EQ(warc_record_encode(&s, 6, &out, NULL, &err), NA_EINVAL);
    s.type = WARC_TYPE_UNKNOWN;
    s.target_uri = "http://e/";
    CHECK_EQ(warc_record_encode(&s, 6, &out, NULL, &err), NA_EINVAL);
    CHECK_EQ(out.len, 4);
    buf_release(&out);
    buf_release(&err);
}

TEST(warc_reader_reports_corruption)
{
    const char *dir = test_tmpdir();
    struct buf out = BUF_INIT, err = BUF_INIT;
    char id[WARC_ID_LEN + 1];
    encode(&out, WARC_TYPE_RESOURCE, "http://e/1", NULL, 0, "one one one one one", id);
    size_t l1 = out.len;
    encode(&out, WARC_TYPE_RESOURCE, "http://e/2", NULL, 0, "two two two two two two", id);
    size_t l2 = out.len;
    encode(&out, WARC_TYPE_RESOURCE, "http://e/3", NULL, 0, "three", id);

    /* Torn tail: cut the last member short. */
    CHECK(write_file(path_in(dir, "torn.warc.gz"), out.data, out.len - 7) == 0);
    struct warc_reader *r;
    struct warc_record rec;
    CHECK_EQ(warc_reader_open(path_in(dir, "torn.warc.gz"), 0, 0, &r, &err), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
    CHECK_EQ(warc_reader_truncated(r), 1);
    CHECK_EQ(warc_reader_good_end(r), l2);
    char want[64];
    snprintf(want, sizeof want, "torn.warc.gz:%zu: ", l2);
    CHECK_CONTAINS(buf_str(&err), want);
    warc_reader_free(r);

    /* A flipped byte in the middle member: reported at its offset, not as
     * truncation; skip continues with the third record. */
    struct buf bad = BUF_INIT;
    buf_add(&bad, out.data, out.len);
    bad.data[l1 + (l2 - l1) / 2] ^= 0x55;
    CHECK(write_file(path_in(dir, "flip.warc.gz"), bad.data, bad.len) == 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "flip.warc.gz"), 0, 0, &r, &err), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
    CHECK_EQ(warc_reader_truncated(r), 0);
    snprintf(want, sizeof want, "flip.warc.gz:%zu: ", l1);
    CHECK_CONTAINS(buf_str(&err), want);
    CHECK_EQ(warc_reader_skip(r), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_STR(rec.target_uri, "http://e/3");
    CHECK_EQ(rec.offset, l2);
    warc_reader_free(r);

    /* Garbage after the last record. */
    buf_reset(&bad);
    buf_add(&bad, out.data, out.len);
    buf_adds(&bad, "garbage!!");
    CHECK(write_file(path_in(dir, "junk.warc.gz"), bad.data, bad.len) == 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "junk.warc.gz"), 0, 0, &r, &err), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
    CHECK_EQ(warc_reader_truncated(r), 0);
    CHECK_EQ(warc_reader_skip(r), 0);
    warc_reader_free(r);

    /* A block over max_block: NA_ETOOBIG with the fields, then go on. */
    CHECK_EQ(warc_reader_open(path_in(dir, "junk.warc.gz"), 6, 0, &r, &err), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ETOOBIG);
    CHECK_STR(rec.target_uri, "http://e/1");
    CHECK(rec.block == NULL);
    CHECK_EQ(warc_reader_skip(r), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ETOOBIG);
    CHECK_STR(rec.target_uri, "http://e/2");
    CHECK_EQ(warc_reader_skip(r), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_STR(rec.block, "three");
    warc_reader_free(r);

    /* Content-Length disagreeing with the block. */
    const char *rec_txt = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 10\r\n\r\nshort\r\n\r\n";
    struct buf gz = BUF_INIT;
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    buf_grow(&gz, 4096);
    z.next_in = (Bytef *)rec_txt;
    z.avail_in = (uInt)strlen(rec_txt);
    z.next_out = (Bytef *)gz.data;
    z.avail_out = 4096;
    deflate(&z, Z_FINISH);
    gz.len = 4096 - z.avail_out;
    deflateEnd(&z);
    CHECK(write_file(path_in(dir, "cl.warc.gz"), gz.data, gz.len) == 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "cl.warc.gz"), 0, 0, &r, &err), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
    CHECK_CONTAINS(buf_str(&err), "cl.warc.gz:0: record cut short: Content-Length 10");
    warc_reader_free(r);
    buf_release(&gz);
    buf_release(&bad);
    buf_release(&out);
    buf_release(&err);
}

static int count_files(const char *dir, char names[][128], int max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.' && n < max)
            snprintf(names[n++], 128, "%.127s", e->d_name);
    if (d)
        closedir(d);
    /* sort */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(names[i], names[j]) > 0) {
                char t[128];
                memcpy(t, names[i], 128);
                memcpy(names[i], names[j], 128);
                memcpy(names[j], t, 128);
            }
    return n;
}

TEST(warc_writer_rotates_and_rolls_back)
{
    const char *dir = test_tmpdir();
    struct buf err = BUF_INIT;
    struct warc_writer *w;
    struct warc_writer_opts o = { .dir = dir, .max_size = 3000, .host_label = "host/x y", .software = "t/1",
                                  .config_digest = "sha1:ABC", .config_name = "sites.conf" };
    CHECK_EQ(warc_writer_new(&o, &w, &err), 0);
    CHECK(warc_writer_file(w) == NULL);
    char body[2000];
    /* Incompressible-ish bytes so the file grows. */
    unsigned v = 1;
    for (size_t i = 0; i < sizeof body; i++) {
        v = v * 1103515245u + 12345u;
        body[i] = (char)('a' + (v >> 16) % 26);
    }
    struct slice part = { body, sizeof body };
    struct warc_record_spec s = { .type = WARC_TYPE_RESOURCE, .date = 1709260200, .target_uri = "http://e/",
                                  .content_type = "text/plain", .parts = &part, .nparts = 1 };
    struct warc_loc loc;
    char first[256] = "";
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(warc_writer_begin(w, sizeof body, &err), 0);
        CHECK_EQ(warc_writer_add(w, &s, &loc, &err), 0);
        CHECK_EQ(warc_writer_commit(w, &err), 0);
        if (i == 0)
            snprintf(first, sizeof first, "%s", loc.file);
        CHECK(loc.offset > 0); /* after the warcinfo */
        CHECK_EQ(loc.offset + loc.length, warc_writer_size(w));
    }
    CHECK(strncmp(first, "newsarc-", 8) == 0);
    CHECK_CONTAINS(first, "-00000-host_x_y.warc.gz");
    /* Rollback of a committed group truncates it away. */
    uint64_t before = warc_writer_size(w);
    CHECK_EQ(warc_writer_begin(w, 10, &err), 0);
    CHECK_EQ(warc_writer_add(w, &s, &loc, &err), 0);
    CHECK_EQ(warc_writer_commit(w, &err), 0);
    char cur[256];
    snprintf(cur, sizeof cur, "%s", warc_writer_file(w));
    uint64_t rolled_from = loc.offset;
    CHECK_EQ(warc_writer_rollback(w, &err), 0);
    CHECK_EQ(warc_writer_size(w), rolled_from);
    CHECK_EQ(file_size(path_in(dir, cur)), rolled_from);
    (void)before;
    /* Rollback of an unwritten group leaves the file alone. */
    CHECK_EQ(warc_writer_begin(w, 10, &err), 0);
    CHECK_EQ(warc_writer_add(w, &s, &loc, &err), 0);
    CHECK_EQ(warc_writer_rollback(w, &err), 0);
    CHECK_EQ(file_size(path_in(dir, cur)), rolled_from);
    warc_writer_free(w);

    char names[16][128];
    int n = count_files(dir, names, 16);
    CHECK(n >= 3);
    for (int i = 0; i < n; i++) {
        /* Every file starts with its warcinfo and holds whole records. */
        struct warc_reader *r;
        struct warc_record rec;
        CHECK_EQ(warc_reader_open(path_in(dir, names[i]), 0, 0, &r, &err), 0);
        CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
        CHECK_EQ(rec.type, WARC_TYPE_WARCINFO);
        CHECK_STR(warc_record_field(&rec, "WARC-Filename"), names[i]);
        CHECK_STR(rec.content_type, "application/warc-fields");
        CHECK_CONTAINS(rec.block, "software: t/1\r\n");
        CHECK_CONTAINS(rec.block, "format: WARC File Format 1.1\r\n");
        CHECK_CONTAINS(rec.block, "config-digest: sha1:ABC\r\n");
        CHECK_CONTAINS(rec.block, "config: sites.conf\r\n");
        CHECK_CONTAINS(rec.block, "hostname: ");
        char info[WARC_ID_LEN + 1];
        snprintf(info, sizeof info, "%s", rec.record_id);
        int k = 0, rc;
        while ((rc = warc_reader_next(r, &rec, &err)) == 1) {
            k++;
            CHECK_STR(rec.warcinfo_id, info);
            CHECK_EQ(rec.block_len, sizeof body);
        }
        CHECK_EQ(rc, 0);
        CHECK(k >= 1);
        warc_reader_free(r);
    }
    /* Names sort in creation order: the serial increases. */
    for (int i = 1; i < n; i++)
        CHECK(strcmp(names[i - 1], names[i]) < 0);
    buf_release(&err);
}

TEST(warc_writer_new_file_per_writer)
{
    const char *dir = test_tmpdir();
    struct buf err = BUF_INIT;
    struct warc_writer_opts o = { .dir = dir, .host_label = "h" };
    struct slice part = { "x", 1 };
    struct warc_record_spec s = { .type = WARC_TYPE_RESOURCE, .date = 1, .target_uri = "http://e/",
                                  .parts = &part, .nparts = 1 };
    for (int i = 0; i < 2; i++) {
        struct warc_writer *w;
        CHECK_EQ(warc_writer_new(&o, &w, &err), 0);
        CHECK_EQ(warc_writer_begin(w, 1, &err), 0);
        CHECK_EQ(warc_writer_add(w, &s, NULL, &err), 0);
        CHECK_EQ(warc_writer_commit(w, &err), 0);
        warc_writer_free(w);
    }
    char names[8][128];
    CHECK_EQ(count_files(dir, names, 8), 2);
    buf_release(&err);
}

TEST(warc_http_helpers)
{
    const char *msg = "HTTP/1.1 200 OK\r\nContent-Type: text/html;\r\n charset=gbk\r\nETag:  \"abc\" \r\n"
                      "content-encoding: gzip\r\n\r\n";
    const char *html = "<html><body><p>你好</p></body></html>";
    struct buf block = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
    buf_adds(&block, msg);
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    buf_grow(&block, 4096);
    z.next_in = (Bytef *)html;
    z.avail_in = (uInt)strlen(html);
    z.next_out = (Bytef *)block.data + block.len;
    z.avail_out = 4000;
    deflate(&z, Z_FINISH);
    block.len += 4000 - z.avail_out;
    deflateEnd(&z);

    struct warc_http h;
    CHECK_EQ(warc_http_parse(block.data, block.len, &h), 0);
    CHECK_EQ(h.status, 200);
    CHECK_EQ(h.head.n, strlen(msg));
    CHECK_EQ(h.start_line.n, strlen("HTTP/1.1 200 OK"));
    CHECK_EQ(warc_http_header(&h, "content-type", &out), 1);
    CHECK_STR(out.data, "text/html; charset=gbk");
    CHECK_EQ(warc_http_header(&h, "ETag", &out), 1);
    CHECK_STR(out.data, "\"abc\"");
    CHECK_EQ(warc_http_header(&h, "Last-Modified", &out), 0);
    CHECK_EQ(warc_http_decode_body(&h, 0, &out, &err), 0);
    CHECK_STR(out.data, html);
    CHECK_EQ(warc_http_decode_body(&h, 10, &out, &err), NA_ETOOBIG);

    /* Raw deflate (what some servers send for "deflate"). */
    buf_reset(&block);
    buf_adds(&block, "HTTP/1.0 404 Not Found\r\nContent-Encoding: deflate\r\n\r\n");
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (Bytef *)html;
    z.avail_in = (uInt)strlen(html);
    z.next_out = (Bytef *)block.data + block.len;
    z.avail_out = 4000;
    deflate(&z, Z_FINISH);
    block.len += 4000 - z.avail_out;
    deflateEnd(&z);
    CHECK_EQ(warc_http_parse(block.data, block.len, &h), 0);
    CHECK_EQ(h.status, 404);
    CHECK_EQ(warc_http_decode_body(&h, 0, &out, &err), 0);
    CHECK_STR(out.data, html);

    buf_reset(&block);
    buf_adds(&block, "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx");
    CHECK_EQ(warc_http_parse(block.data, block.len, &h), 0);
    CHECK_EQ(warc_http_decode_body(&h, 0, &out, &err), NA_EUNSUPPORTED);
    buf_reset(&block);
    buf_adds(&block, "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\nnot gzip at all");
    CHECK_EQ(warc_http_parse(block.data, block.len, &h), 0);
    /* the crawl's error for the same bytes (util/http.h), no longer NA_ECORRUPT */
    CHECK_EQ(warc_http_decode_body(&h, 0, &out, &err), NA_EPARSE);
    buf_reset(&block);
    buf_adds(&block, "GET /a HTTP/1.1\r\nHost: e\r\n\r\n");
    CHECK_EQ(warc_http_parse(block.data, block.len, &h), 0);
    CHECK_EQ(h.status, 0);
    CHECK_EQ(h.body.n, 0);
    CHECK_EQ(warc_http_parse("no head", 7, &h), NA_EPARSE);
    CHECK_EQ(warc_http_parse("HTTP/1.1 2x0 OK\r\n\r\n", 19, &h), NA_EPARSE);
    buf_release(&block);
    buf_release(&out);
    buf_release(&err);
}

/* ---- hardening: format errors, resync, odd files ---- */

/* gzip member of n bytes of p, appended to out. */
static void gz_member(struct buf *out, const void *p, size_t n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    size_t bound = deflateBound(&z, n) + 64;
    buf_grow(out, bound);
    z.next_in = (Bytef *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->data + out->len;
    z.avail_out = (uInt)bound;
    deflate(&z, Z_FINISH);
    out->len += bound - z.avail_out;
    deflateEnd(&z);
}

/* The first record of path: its return code and message. */
static int first_error(const char *path, struct buf *err)
{
    struct warc_reader *r;
    struct warc_record rec;
    int rc = warc_reader_open(path, 0, 0, &r, err);
    if (rc)
        return rc;
    rc = warc_reader_next(r, &rec, err);
    warc_reader_free(r);
    return rc;
}

TEST(warc_reader_format_errors_are_corrupt_not_enomem)
{
    const char *dir = test_tmpdir();
    struct buf err = BUF_INIT, gz = BUF_INIT, txt = BUF_INIT;
    /* A gzipped file that is not WARC at all (200 KB of text, no CRLF CRLF). */
    for (int i = 0; i < 20000; i++)
        buf_adds(&txt, "not warc\n");
    gz_member(&gz, txt.data, txt.len);
    CHECK(write_file(path_in(dir, "text.warc.gz"), gz.data, gz.len) == 0);
    CHECK_EQ(first_error(path_in(dir, "text.warc.gz"), &err), NA_ECORRUPT);
    CHECK_CONTAINS(buf_str(&err), "text.warc.gz:0: not a WARC record");
    /* Content-Length negative, huge, and a head of too many fields. */
    static const char *const heads[] = {
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: -5\r\n\r\nabcde\r\n\r\n",
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 999999999999999\r\n\r\nabcde\r\n\r\n",
        "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 99999999999999999999\r\n\r\nabcde\r\n\r\n",
    };
    static const char *const msgs[] = { "malformed Content-Length", "record cut short", "malformed Content-Length" };
    for (size_t i = 0; i < 3; i++) {
        buf_reset(&gz);
        gz_member(&gz, heads[i], strlen(heads[i]));
        CHECK(write_file(path_in(dir, "cl.warc.gz"), gz.data, gz.len) == 0);
        for (int flags = 0; flags <= WARC_READ_NO_BLOCK; flags += WARC_READ_NO_BLOCK) {
            struct warc_reader *r;
            struct warc_record rec;
            CHECK_EQ(warc_reader_open(path_in(dir, "cl.warc.gz"), 0, flags, &r, &err), 0);
            CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
            CHECK_CONTAINS(buf_str(&err), msgs[i]);
            CHECK_CONTAINS(buf_str(&err), "cl.warc.gz:0: ");
            warc_reader_free(r);
        }
    }
    buf_reset(&txt);
    buf_adds(&txt, "WARC/1.1\r\nWARC-Type: resource\r\n");
    for (int i = 0; i < 30000; i++)
        buf_printf(&txt, "X-Field-%d: v\r\n", i);
    buf_adds(&txt, "Content-Length: 1\r\n\r\nx\r\n\r\n");
    buf_reset(&gz);
    gz_member(&gz, txt.data, txt.len);
    CHECK(write_file(path_in(dir, "many.warc.gz"), gz.data, gz.len) == 0);
    CHECK_EQ(first_error(path_in(dir, "many.warc.gz"), &err), NA_ECORRUPT);
    CHECK_CONTAINS(buf_str(&err), "many.warc.gz:0: WARC head too long");
    CHECK_NOT_CONTAINS(buf_str(&err), "out of memory");
    buf_release(&txt);
    buf_release(&gz);
    buf_release(&err);
}

TEST(warc_reader_resyncs_at_the_next_record)
{
    const char *dir = test_tmpdir();
    struct buf out = BUF_INIT, err = BUF_INIT;
    char id[WARC_ID_LEN + 1];
    size_t off[8];
    char body[4096];
    for (int i = 0; i < 8; i++) {
        off[i] = out.len;
        /* incompressible-ish bodies, so that the members are long */
        for (size_t k = 0; k + 1 < sizeof body; k++)
            body[k] = (char)('!' + (k * 7919 + (size_t)i * 104729) % 89);
        body[sizeof body - 1] = 0;
        char uri[32];
        snprintf(uri, sizeof uri, "http://e/%d", i);
        encode(&out, WARC_TYPE_RESOURCE, uri, NULL, 0, body, id);
    }
    /* 64 bytes overwritten across the end of member 3 and the start of
     * member 4 (its gzip header gone): the reader resyncs at member 5, not
     * at a 1f 8b 08 planted inside member 3's damaged bytes. */
    size_t at = off[4] - 32;
    memset(out.data + at, 0x55, 64);
    out.data[at + 8] = 0x1f, out.data[at + 9] = (char)0x8b, out.data[at + 10] = 0x08;
    CHECK(write_file(path_in(dir, "dmg.warc.gz"), out.data, out.len) == 0);
    struct warc_reader *r;
    struct warc_record rec;
    CHECK_EQ(warc_reader_open(path_in(dir, "dmg.warc.gz"), 0, 0, &r, &err), 0);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_EQ(warc_reader_next(r, &rec, &err), NA_ECORRUPT);
    CHECK_EQ(warc_reader_good_end(r), off[3]);
    CHECK_EQ(warc_reader_skip(r), 1);
    CHECK_EQ(warc_reader_tell(r), off[5]);
    int n = 0;
    while (warc_reader_next(r, &rec, &err) == 1)
        n++;
    CHECK_EQ(n, 3);
    warc_reader_free(r);
    buf_release(&out);
    buf_release(&err);
}

TEST(warc_reader_opens_only_regular_files)
{
    const char *dir = test_tmpdir();
    struct buf err = BUF_INIT;
    struct warc_reader *r = NULL;
    alarm(10); /* a hang is a failure, not a stuck suite */
    CHECK_EQ(mkfifo(path_in(dir, "fifo.warc.gz"), 0644), 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "fifo.warc.gz"), 0, 0, &r, &err), NA_EUNSUPPORTED);
    CHECK_CONTAINS(buf_str(&err), "fifo.warc.gz': not a regular file (a FIFO): skipped");
    CHECK_EQ(symlink("/dev/zero", path_in(dir, "zero.warc.gz")), 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "zero.warc.gz"), 0, 0, &r, &err), NA_EUNSUPPORTED);
    CHECK_CONTAINS(buf_str(&err), "not a regular file (a character device)");
    CHECK_EQ(mkdir(path_in(dir, "d.warc.gz"), 0755), 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "d.warc.gz"), 0, 0, &r, &err), NA_EUNSUPPORTED);
    CHECK_CONTAINS(buf_str(&err), "(a directory)");
    /* a symlink to a regular file is read */
    CHECK(write_file(path_in(dir, "real.warc.gz"), "", 0) == 0);
    CHECK_EQ(symlink(path_in(dir, "real.warc.gz"), path_in(dir, "link.warc.gz")), 0);
    CHECK_EQ(warc_reader_open(path_in(dir, "link.warc.gz"), 0, 0, &r, &err), 0);
    warc_reader_free(r);
    alarm(0);
    buf_release(&err);
}

/* Resync past 2 MB of 1f 8b 08 (a stored gzip-coded body can hold them),
 * then 1 MB of plausible gzip headers whose data is not a WARC record: each
 * candidate is checked cheaply, the next record is found. */
TEST(warc_reader_resync_past_many_false_magics)
{
    const char *dir = test_tmpdir();
    struct buf out = BUF_INIT, err = BUF_INIT;
    char id[WARC_ID_LEN + 1];
    encode(&out, WARC_TYPE_RESOURCE, "http://e/1", NULL, 0, "one", id);
    size_t junk_at = out.len;
    for (int i = 0; i < (2 << 20) / 3; i++)
        buf_add(&out, "\x1f\x8b\x08", 3);
    for (int i = 0; i < (1 << 20) / 16; i++) /* header, then a stored block "WARC/0" */
        buf_add(&out, "\x1f\x8b\x08\0\0\0\0\0\0\xff\x01\x06\0\xf9\xffW", 16);
    size_t next = out.len;
    encode(&out, WARC_TYPE_RESOURCE, "http://e/2", NULL, 0, "two", id);
    CHECK(write_file(path_in(dir, "magic.warc.gz"), out.data, out.len) == 0);
    alarm(20);
    struct warc_reader *r;
    struct warc_record rec;
    CHECK_EQ(warc_reader_open(path_in(dir, "magic.warc.gz"), 0, 0, &r, &err), 0);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK(warc_reader_next(r, &rec, &err) < 0);
    CHECK_EQ(warc_reader_good_end(r), junk_at);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ(warc_reader_skip(r), 1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    fprintf(stderr, "resync past 765,000 false gzip magics: %.2f s\n", dt);
    CHECK(dt < 3.0);
    CHECK_EQ(warc_reader_tell(r), next);
    CHECK_EQ(warc_reader_next(r, &rec, &err), 1);
    CHECK_STR(rec.target_uri, "http://e/2");
    alarm(0);
    warc_reader_free(r);
    buf_release(&out);
    buf_release(&err);
}
