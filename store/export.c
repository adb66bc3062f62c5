/* export.c — export formats and single-URL views over the index and the
 * WARC files: jsonl/text read only the conversion record of each article
 * (one seek + one small inflate), warc copies gzip members byte for byte,
 * cdxj builds pywb-style lines (store/surt.c keys) and sorts them in memory.
 * JSON through jansson only. */
#include "store/export.h"
#include "store/archive.h"
#include "store/index.h"
#include "store/surt.h"
#include "store/warc.h"
#include "util/err.h"
#include "util/mem.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RCACHE_SLOTS 8
#define EXPORT_MAX_BLOCK ((size_t)64 << 20)
#define EXPORT_DEFAULT_CDXJ_LINES ((size_t)20000000)
/* Caps of warc's in-memory lists: at either, the export stops with
 * NA_ETOOBIG and a message (the output written so far is incomplete). */
#define EXPORT_MAX_WARC_FILES ((size_t)1000000)     /* source files whose warcinfo went out */
#define EXPORT_MAX_WARC_CAPTURES ((size_t)1 << 27)  /* ids of the captures exported (1 GiB) */

enum export_format export_format_parse(const char *name)
{
    if (!name)
        return 0;
    if (strcmp(name, "jsonl") == 0 || strcmp(name, "json") == 0)
        return EXPORT_JSONL;
    if (strcmp(name, "text") == 0 || strcmp(name, "txt") == 0)
        return EXPORT_TEXT;
    if (strcmp(name, "warc") == 0)
        return EXPORT_WARC;
    if (strcmp(name, "cdxj") == 0)
        return EXPORT_CDXJ;
    return 0;
}

int export_date_ok(const char *s)
{
    static const char *const shape[] = { "dddd", "dddd-dd", "dddd-dd-dd" };
    if (!s)
        return 0;
    size_t n = strlen(s);
    for (int k = 2; k >= 0; k--) {
        size_t l = strlen(shape[k]);
        if (n < l || (n > l && (k != 2 || s[l] != 'T')))
            continue;
        int ok = 1;
        for (size_t i = 0; i < l && ok; i++)
            ok = shape[k][i] == 'd' ? isdigit((unsigned char)s[i]) != 0 : s[i] == shape[k][i];
        if (ok)
            return 1;
    }
    return 0;
}

/* ---- small helpers ---- */

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    if (len == 1)
        return 1;
    for (size_t k = 1; k < len; k++)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    unsigned cp = len == 2 ? ((c & 0x1fu) << 6) | (p[1] & 0x3fu)
                : len == 3 ? ((c & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu)
                : ((c & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
    int ok = (len == 2 && cp >= 0x80) || (len == 3 && cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) ||
             (len == 4 && cp >= 0x10000 && cp <= 0x10ffff);
    return ok ? len : 0;
}

/* 1 if the n bytes at s are valid UTF-8 (ASCII runs are skipped fast). */
static int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t l = utf8_seq(p + i, n - i);
        if (!l)
            return 0;
        i += l;
    }
    return 1;
}

/* Copies n bytes of s into out as valid UTF-8 (each invalid byte becomes
 * U+FFFD), so jansson accepts it. */
static void utf8_clean(const char *s, size_t n, struct buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t l = utf8_seq(p + i, n - i);
        if (l) {
            buf_add(out, p + i, l);
            i += l;
        } else {
            buf_add(out, "\xef\xbf\xbd", 3);
            i++;
        }
    }
}

/* A JSON string of n bytes (repaired when not UTF-8), or JSON null for NULL.
 * Validates once here, so jansson need not validate again. */
static json_t *jstrn(const char *s, size_t n)
{
    if (!s)
        return json_null();
    if (utf8_valid(s, n)) {
        json_t *j = json_stringn_nocheck(s, n);
        return j ? j : json_null();
    }
    struct buf b = BUF_INIT;
    utf8_clean(s, n, &b);
    json_t *j = b.err ? NULL : json_stringn_nocheck(buf_str(&b), b.len);
    buf_release(&b);
    return j ? j : json_null();
}

static json_t *jstr(const char *s) { return s ? jstrn(s, strlen(s)) : json_null(); }

static json_t *jdate(time_t t)
{
    char d[21];
    if (t <= 0)
        return json_null();
    warc_format_date(t, d);
    return json_string(d);
}

static int dump_cb(const char *p, size_t n, void *ud) { return buf_add(ud, p, n) ? -1 : 0; }

/* Appends the JSON of j (stolen) to out. */
static int json_to_buf(json_t *j, size_t flags, struct buf *out)
{
    if (!j)
        return NA_ENOMEM;
    int rc = json_dump_callback(j, dump_cb, out, flags) ? (out->err ? out->err : NA_ENOMEM) : 0;
    json_decref(j);
    return rc;
}

static void loc_msg(struct buf *err, const struct index_loc *l, const char *what)
{
    buf_seterr(err, "%s:%llu: %s", l->file ? l->file : "?", (unsigned long long)l->offset, what);
}

/* ---- reading records the index points at ---- */

/* Open readers by file name, reused across records (least recently used
 * goes when full), so an export does one open per file, not per record. */
struct rcache {
    struct archive *a;
    int flags;
    size_t max_block;
    struct {
        char *file;
        struct warc_reader *r;
        unsigned long used;
    } slot[RCACHE_SLOTS];
    unsigned long tick;
    struct buf path;
};

static void rcache_init(struct rcache *c, struct archive *a, int flags)
{
    memset(c, 0, sizeof *c);
    c->a = a;
    c->flags = flags;
    c->max_block = EXPORT_MAX_BLOCK;
    buf_init(&c->path, 1 << 16);
}

static void rcache_release(struct rcache *c)
{
    for (int i = 0; i < RCACHE_SLOTS; i++) {
        free(c->slot[i].file);
        warc_reader_free(c->slot[i].r);
    }
    buf_release(&c->path);
    memset(c->slot, 0, sizeof c->slot);
}

/* Reads the record at l into rec (valid until the next read from c) and
 * checks that it is where and as long as the index says. */
static int rcache_read(struct rcache *c, const struct index_loc *l, struct warc_record *rec, struct buf *err)
{
    int k = -1, victim = 0;
    for (int i = 0; i < RCACHE_SLOTS; i++) {
        if (c->slot[i].file && strcmp(c->slot[i].file, l->file) == 0) {
            k = i;
            break;
        }
        if (!c->slot[i].file || c->slot[i].used < c->slot[victim].used)
            victim = i;
        if (!c->slot[i].file)
            break;
    }
    if (k < 0) {
        k = victim;
        free(c->slot[k].file);
        warc_reader_free(c->slot[k].r);
        c->slot[k].file = NULL;
        c->slot[k].r = NULL;
        int rc = archive_warc_path(c->a, l->file, &c->path);
        if (rc) {
            loc_msg(err, l, "bad file name in the index");
            return rc;
        }
        rc = warc_reader_open(buf_str(&c->path), c->max_block, c->flags, &c->slot[k].r, err);
        if (rc)
            return rc;
        c->slot[k].file = na_strdup(l->file);
        if (!c->slot[k].file)
            return NA_ENOMEM;
    }
    c->slot[k].used = ++c->tick;
    int rc = warc_reader_seek(c->slot[k].r, l->offset);
    if (rc) {
        loc_msg(err, l, "cannot seek to the record");
        return rc < 0 ? rc : NA_EIO;
    }
    rc = warc_reader_next(c->slot[k].r, rec, err);
    if (rc == 0) {
        loc_msg(err, l, "the index points past the end of the file");
        return NA_ECORRUPT;
    }
    if (rc < 0)
        return rc;
    if (rec->offset != l->offset || (l->length && rec->length != l->length)) {
        buf_seterr(err, "%s:%llu: the index says %llu bytes, the record has %llu", l->file,
                   (unsigned long long)l->offset, (unsigned long long)l->length,
                   (unsigned long long)rec->length);
        return NA_ECORRUPT;
    }
    return 0;
}

int export_article_text(struct archive *a, const struct index_article *art, struct buf *out, struct buf *err)
{
    if (!art->conversion.file)
        return 0;
    struct rcache c;
    struct warc_record rec;
    rcache_init(&c, a, 0);
    int rc = rcache_read(&c, &art->conversion, &rec, err);
    if (!rc && rec.type != WARC_TYPE_CONVERSION) {
        loc_msg(err, &art->conversion, "expected a conversion record");
        rc = NA_ECORRUPT;
    }
    if (!rc)
        rc = buf_add(out, rec.block, rec.block_len);
    rcache_release(&c);
    return rc;
}

/* ---- jsonl and text ---- */

static json_t *loc_json(const struct index_loc *l)
{
    if (!l->file)
        return json_null();
    return json_pack("{s:s, s:I, s:I}", "file", l->file, "offset", (json_int_t)l->offset, "length",
                     (json_int_t)l->length);
}

/* The article object of jsonl (and the base of get --json). */
static json_t *article_json(const struct index_article *art, const char *text, size_t text_len)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "url", jstr(art->url));
    json_object_set_new(o, "site", jstr(art->site));
#define JSON_FIELD(name) json_object_set_new(o, #name, jstr(art->name));
    ARTICLE_FIELDS(JSON_FIELD)
#undef JSON_FIELD
    json_object_set_new(o, "fetched", jdate(art->fetched));
    json_object_set_new(o, "extracted", jdate(art->extracted));
    json_object_set_new(o, "extractor", jstr(art->extractor_version));
    json_object_set_new(o, "text_digest", jstr(art->text_digest));
    json_object_set_new(o, "warc_file", jstr(art->response.file));
    json_object_set_new(o, "warc_offset", art->response.file ? json_integer((json_int_t)art->response.offset)
                                                              : json_null());
    json_object_set_new(o, "warc_length", art->response.file ? json_integer((json_int_t)art->response.length)
                                                              : json_null());
    json_object_set_new(o, "conversion", loc_json(&art->conversion));
    json_object_set_new(o, "text", text ? jstrn(text, text_len) : json_string(""));
    return o;
}

/* ---- near-duplicate clusters ---- */

static int cluster_cb(void *ud, const struct index_article *m)
{
    json_t *o = json_pack("{s:s, s:s?, s:s?, s:s?}", "url", m->url, "site", m->site, "title", m->title, "published",
                          m->published);
    return o && json_array_append_new(ud, o) == 0 ? 0 : NA_ENOMEM;
}

/* The cluster of art (itself included, the first article first) as a JSON
 * array of {url, site, title, published}, or NULL on error (err set). */
static json_t *cluster_json(struct archive *a, const struct index_article *art, struct buf *err)
{
    json_t *list = json_array();
    if (!list || index_cluster(archive_index(a), art->id, cluster_cb, list, err) != 0) {
        json_decref(list);
        return NULL;
    }
    return list;
}

struct art_ctx {
    struct archive *a;
    const struct export_opts *o;
    FILE *out;
    struct rcache rc;
    struct buf line;
    struct export_stats *st;
    struct buf *err;
};

static int put(FILE *out, const void *p, size_t n, struct export_stats *st, struct buf *err)
{
    if (n && fwrite(p, 1, n, out) != n) {
        buf_seterr(err, "cannot write the output: %s", strerror(errno));
        return NA_EIO;
    }
    st->bytes += n;
    return 0;
}

static int art_cb(void *ud, const struct index_article *art)
{
    struct art_ctx *x = ud;
    if (x->o->dedup && art->dup_of)
        return 0; /* in its cluster's line */
    struct warc_record rec;
    const char *text = "";
    size_t text_len = 0;
    int rc;
    if (art->conversion.file) {
        rc = rcache_read(&x->rc, &art->conversion, &rec, x->err);
        if (rc)
            return rc;
        if (rec.type != WARC_TYPE_CONVERSION) {
            loc_msg(x->err, &art->conversion, "expected a conversion record");
            return NA_ECORRUPT;
        }
        text = rec.block;
        text_len = rec.block_len;
    }
    buf_reset(&x->line);
    json_t *copies = NULL;
    if (x->o->dedup) {
        /* one line per cluster: its first article, the others' URLs in copies */
        json_t *cl = cluster_json(x->a, art, x->err);
        if (!cl)
            return NA_EDB;
        copies = json_array();
        size_t i;
        json_t *m;
        json_array_foreach(cl, i, m) {
            const char *u = json_string_value(json_object_get(m, "url"));
            if (u && strcmp(u, art->url) != 0)
                json_array_append_new(copies, json_string(u));
        }
        json_decref(cl);
    }
    if (x->o->format == EXPORT_JSONL) {
        json_t *o = article_json(art, text, text_len);
        if (o && copies)
            json_object_set(o, "copies", copies);
        rc = json_to_buf(o, JSON_COMPACT, &x->line);
        if (!rc)
            rc = buf_addc(&x->line, '\n');
    } else {
        /* One header line (no newlines inside), the text, a blank line. */
        buf_adds(&x->line, "=== ");
        buf_adds(&x->line, art->url ? art->url : "");
        buf_printf(&x->line, " | %s | %s | ", art->published ? art->published : "-", art->site ? art->site : "-");
        for (const char *t = art->title ? art->title : ""; *t; t++)
            buf_addc(&x->line, *t == '\n' || *t == '\r' ? ' ' : *t);
        size_t i;
        json_t *u;
        if (copies && json_array_size(copies)) {
            buf_adds(&x->line, " | copies:");
            json_array_foreach(copies, i, u) {
                buf_addc(&x->line, ' ');
                buf_adds(&x->line, json_string_value(u));
            }
        }
        buf_addc(&x->line, '\n');
        buf_add(&x->line, text, text_len);
        if (text_len && text[text_len - 1] != '\n')
            buf_addc(&x->line, '\n');
        rc = buf_addc(&x->line, '\n');
    }
    json_decref(copies);
    if (rc)
        return rc;
    rc = put(x->out, x->line.data, x->line.len, x->st, x->err);
    if (!rc) {
        x->st->items++;
        if (art->id > x->st->last_id) {
            x->st->last_id = art->id;
            snprintf(x->st->last_conversion, sizeof x->st->last_conversion, "%s",
                     art->conversion_id ? art->conversion_id : "");
        }
    }
    return rc;
}

static int export_articles(struct archive *a, const struct export_opts *o, FILE *out, struct export_stats *st,
                           struct buf *err)
{
    struct art_ctx x = { .a = a, .o = o, .out = out, .st = st, .err = err };
    struct index_query q = { 0 };
    q.site = o->site;
    q.since = o->since;
    q.until = o->until;
    q.by_fetched = o->by_fetched;
    q.limit = o->limit;
    q.order = INDEX_ORDER_DEFAULT;
    if (o->cursor || o->after_id) {
        q.after_id = o->after_id;
        q.order = INDEX_ORDER_ID;
    }
    rcache_init(&x.rc, a, 0);
    buf_init(&x.line, EXPORT_MAX_BLOCK * 7);
    int rc = index_articles(archive_index(a), &q, art_cb, &x, err);
    rcache_release(&x.rc);
    buf_release(&x.line);
    return rc;
}

/* ---- warc ---- */

/* Raw byte copies of gzip members, with the source files kept open. */
struct warc_ctx {
    struct archive *a;
    const struct export_opts *o;
    FILE *out;
    struct export_stats *st;
    struct buf *err;
    char *fd_file;
    int fd;
    char **seen;            /* source files whose warcinfo went out */
    size_t nseen, capseen;
    int64_t *caps;          /* ids of the captures exported, ascending */
    size_t ncaps, capcaps;
    struct buf path, tmp;
};

static int warc_open_file(struct warc_ctx *x, const char *file)
{
    if (x->fd_file && strcmp(x->fd_file, file) == 0)
        return 0;
    if (x->fd >= 0)
        close(x->fd);
    free(x->fd_file);
    x->fd_file = NULL;
    x->fd = -1;
    int rc = archive_warc_path(x->a, file, &x->path);
    if (rc) {
        buf_seterr(x->err, "'%s': bad file name in the index", file);
        return rc;
    }
    x->fd = open(buf_str(&x->path), O_RDONLY | O_CLOEXEC);
    if (x->fd < 0) {
        buf_seterr(x->err, "'%s': %s", buf_str(&x->path), strerror(errno));
        return NA_EIO;
    }
    x->fd_file = na_strdup(file);
    return x->fd_file ? 0 : NA_ENOMEM;
}

/* Copies length bytes at offset of file to the output, checking that they
 * start a gzip member. */
static int copy_member(struct warc_ctx *x, const char *file, uint64_t offset, uint64_t length)
{
    int rc = warc_open_file(x, file);
    if (rc)
        return rc;
    if (length == 0 || length > EXPORT_MAX_BLOCK * 2) {
        buf_seterr(x->err, "%s:%llu: implausible record length %llu in the index", file,
                   (unsigned long long)offset, (unsigned long long)length);
        return NA_ECORRUPT;
    }
    buf_reset(&x->tmp);
    if ((rc = buf_grow(&x->tmp, (size_t)length)))
        return rc;
    size_t got = 0;
    while (got < length) {
        ssize_t r = pread(x->fd, x->tmp.data + got, (size_t)length - got, (off_t)(offset + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            buf_seterr(x->err, "%s:%llu: %s", file, (unsigned long long)offset,
                       r < 0 ? strerror(errno) : "the index points past the end of the file");
            return r < 0 ? NA_EIO : NA_ECORRUPT;
        }
        got += (size_t)r;
    }
    if ((unsigned char)x->tmp.data[0] != 0x1f || (unsigned char)x->tmp.data[1] != 0x8b) {
        buf_seterr(x->err, "%s:%llu: no gzip member starts here", file, (unsigned long long)offset);
        return NA_ECORRUPT;
    }
    rc = put(x->out, x->tmp.data, (size_t)length, x->st, x->err);
    if (!rc)
        x->st->records++;
    return rc;
}

/* Before the first record of a source file: that file's own warcinfo
 * record, so WARC-Warcinfo-ID references stay resolvable. */
static int copy_warcinfo(struct warc_ctx *x, const char *file)
{
    for (size_t i = 0; i < x->nseen; i++)
        if (strcmp(x->seen[i], file) == 0)
            return 0;
    int rc = NA_GROW(x->seen, x->capseen, x->nseen + 1, EXPORT_MAX_WARC_FILES);
    if (rc == NA_ETOOBIG)
        buf_seterr(x->err, "more than %zu WARC files to name", EXPORT_MAX_WARC_FILES);
    if (rc)
        return rc;
    if (!(x->seen[x->nseen] = na_strdup(file)))
        return NA_ENOMEM;
    x->nseen++;
    rc = archive_warc_path(x->a, file, &x->path);
    if (rc)
        return rc;
    struct warc_reader *r = NULL;
    struct warc_record rec;
    rc = warc_read_at(buf_str(&x->path), 0, EXPORT_MAX_BLOCK, WARC_READ_NO_BLOCK, &r, &rec, x->err);
    if (rc == 1 && rec.type == WARC_TYPE_WARCINFO) {
        uint64_t len = rec.length;
        warc_reader_free(r);
        return copy_member(x, file, 0, len);
    }
    warc_reader_free(r);
    return rc < 0 ? rc : 0;
}

static int member_cmp(const void *pa, const void *pb)
{
    const struct index_loc *a = *(const struct index_loc *const *)pa, *b = *(const struct index_loc *const *)pb;
    int c = strcmp(a->file, b->file);
    return c ? c : (a->offset > b->offset) - (a->offset < b->offset);
}

static int copy_locs(struct warc_ctx *x, const struct index_loc **locs, size_t n)
{
    qsort(locs, n, sizeof *locs, member_cmp);
    for (size_t i = 0; i < n; i++) {
        int rc = copy_warcinfo(x, locs[i]->file);
        if (!rc)
            rc = copy_member(x, locs[i]->file, locs[i]->offset, locs[i]->length);
        if (rc)
            return rc;
    }
    return 0;
}

static int warc_cap_cb(void *ud, const struct index_capture *c)
{
    struct warc_ctx *x = ud;
    const struct index_loc *locs[4];
    size_t n = 0;
    if (c->request.file)
        locs[n++] = &c->request;
    if (c->response.file)
        locs[n++] = &c->response;
    if (c->conversion.file)
        locs[n++] = &c->conversion;
    if (c->metadata.file)
        locs[n++] = &c->metadata;
    int rc = NA_GROW(x->caps, x->capcaps, x->ncaps + 1, EXPORT_MAX_WARC_CAPTURES);
    if (rc == NA_ETOOBIG)
        buf_seterr(x->err, "more than %zu captures: warc keeps their ids in memory; narrow with"
                   " --site/--since/--until", EXPORT_MAX_WARC_CAPTURES);
    if (rc)
        return rc;
    x->caps[x->ncaps++] = c->id;
    x->st->items++;
    return copy_locs(x, locs, n);
}

static int id_cmp(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

/* Later extractions (reextract) of the exported captures. */
static int warc_art_cb(void *ud, const struct index_article *art)
{
    struct warc_ctx *x = ud;
    if (!bsearch(&art->capture_id, x->caps, x->ncaps, sizeof *x->caps, id_cmp))
        return 0;
    struct index_capture cap;
    memset(&cap, 0, sizeof cap);
    int rc = index_capture_by_id(archive_index(x->a), art->capture_id, &cap, x->err);
    if (rc < 0)
        return rc;
    int first = rc == 1 && cap.conversion.file && art->conversion.file &&
                strcmp(cap.conversion.file, art->conversion.file) == 0 && cap.conversion.offset == art->conversion.offset;
    index_capture_release(&cap);
    if (first)
        return 0;
    const struct index_loc *locs[2];
    size_t n = 0;
    if (art->conversion.file)
        locs[n++] = &art->conversion;
    if (art->metadata.file)
        locs[n++] = &art->metadata;
    return copy_locs(x, locs, n);
}

static int export_warc(struct archive *a, const struct export_opts *o, FILE *out, struct export_stats *st,
                       struct buf *err)
{
    struct warc_ctx x = { .a = a, .o = o, .out = out, .st = st, .err = err, .fd = -1 };
    buf_init(&x.path, 1 << 16);
    buf_init(&x.tmp, EXPORT_MAX_BLOCK * 2 + 1);
    /* A fresh warcinfo describing this export. */
    struct buf info = BUF_INIT, rec = BUF_INIT;
    char date[21];
    warc_format_date(time(NULL), date);
    buf_printf(&info, "software: %s\r\n", o->software ? o->software : "newsarc");
    buf_printf(&info, "format: %s\r\n", WARC_FORMAT_NAME);
    buf_printf(&info, "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n");
    buf_printf(&info, "description: newsarc export of '%s'", archive_dir(a));
    if (o->site)
        buf_printf(&info, " site=%s", o->site);
    if (o->since)
        buf_printf(&info, " since=%s", o->since);
    if (o->until)
        buf_printf(&info, " until=%s", o->until);
    buf_printf(&info, "\r\nexported: %s\r\n", date);
    int rc = info.err;
    if (!rc) {
        struct slice part = slice_make(info.data, info.len);
        struct warc_record_spec spec = { 0 };
        spec.type = WARC_TYPE_WARCINFO;
        spec.date = time(NULL);
        spec.content_type = WARC_CT_WARCINFO;
        spec.parts = &part;
        spec.nparts = 1;
        rc = warc_record_encode(&spec, -1, &rec, NULL, err);
    }
    if (!rc)
        rc = put(out, rec.data, rec.len, st, err);
    if (!rc)
        st->records++;
    buf_release(&info);
    buf_release(&rec);
    if (!rc) {
        struct index_query q = { 0 };
        q.site = o->site;
        q.since = o->since;
        q.until = o->until;
        q.limit = o->limit;
        q.order = INDEX_ORDER_ID;
        rc = index_captures(archive_index(a), &q, warc_cap_cb, &x, err);
    }
    if (!rc && x.ncaps) {
        /* ids arrive in insertion order; sort anyway, bsearch needs it */
        qsort(x.caps, x.ncaps, sizeof *x.caps, id_cmp);
        struct index_query q = { 0 };
        q.site = o->site;
        q.all_extractions = 1;
        q.order = INDEX_ORDER_ID;
        rc = index_articles(archive_index(a), &q, warc_art_cb, &x, err);
    }
    if (x.fd >= 0)
        close(x.fd);
    free(x.fd_file);
    for (size_t i = 0; i < x.nseen; i++)
        free(x.seen[i]);
    free(x.seen);
    free(x.caps);
    buf_release(&x.path);
    buf_release(&x.tmp);
    return rc;
}

/* ---- cdxj ---- */

struct cdxj_ctx {
    struct archive *a;
    const struct export_opts *o;
    struct rcache rc;
    char **lines;
    size_t n, cap, max;
    struct buf line, val;
    struct export_stats *st;
    struct buf *err;
};

static int cdxj_cb(void *ud, const struct index_capture *c)
{
    struct cdxj_ctx *x = ud;
    if (!c->response.file || !c->url)
        return 0;
    if (x->n >= x->max) {
        buf_seterr(x->err, "more than %zu captures: cdxj sorts in memory; narrow with --site/--since/--until",
                   x->max);
        return NA_ETOOBIG;
    }
    struct warc_record rec;
    int rc = rcache_read(&x->rc, &c->response, &rec, x->err);
    if (rc)
        return rc;
    int status = c->status;
    const char *mime = "unk";
    struct warc_http h;
    buf_reset(&x->val);
    if (rec.block && warc_http_parse(rec.block, rec.block_len, &h) == 0) {
        if (h.status > 0)
            status = h.status;
        if (warc_http_header(&h, "Content-Type", &x->val) == 1 && x->val.len) {
            /* media type only, lower case, as pywb writes it */
            char *semi = strchr(x->val.data, ';');
            if (semi)
                buf_truncate(&x->val, (size_t)(semi - x->val.data));
            while (x->val.len && isspace((unsigned char)x->val.data[x->val.len - 1]))
                buf_truncate(&x->val, x->val.len - 1);
            for (size_t i = 0; i < x->val.len; i++)
                x->val.data[i] = (char)tolower((unsigned char)x->val.data[i]);
            size_t lead = 0;
            while (lead < x->val.len && isspace((unsigned char)x->val.data[lead]))
                lead++;
            if (lead < x->val.len)
                mime = x->val.data + lead;
        }
    }
    if (c->revisit || rec.type == WARC_TYPE_REVISIT)
        mime = "warc/revisit";
    buf_reset(&x->line);
    rc = surt_key(c->url, strlen(c->url), &x->line);
    if (rc) {
        buf_seterr(x->err, "'%s': cannot make a SURT key: %s", c->url, na_strerror(rc));
        return rc;
    }
    char ts[16];
    struct tm tm;
    time_t t = c->fetched;
    gmtime_r(&t, &tm);
    strftime(ts, sizeof ts, "%Y%m%d%H%M%S", &tm);
    buf_printf(&x->line, " %s ", ts);
    /* Values are strings, as pywb's indexer writes them (OutbackCDX reads
     * strings or integers, not JSON floats). */
    char num[3][24];
    snprintf(num[0], sizeof num[0], "%d", status);
    snprintf(num[1], sizeof num[1], "%llu", (unsigned long long)c->response.length);
    snprintf(num[2], sizeof num[2], "%llu", (unsigned long long)c->response.offset);
    const char *digest = c->payload_digest;
    if (digest && strncmp(digest, "sha1:", 5) == 0)
        digest += 5;
    json_t *o = json_object();
    if (!o)
        return NA_ENOMEM;
    json_object_set_new(o, "url", jstr(c->url));
    json_object_set_new(o, "mime", jstr(mime));
    json_object_set_new(o, "status", json_string(num[0]));
    if (digest)
        json_object_set_new(o, "digest", jstr(digest));
    json_object_set_new(o, "length", json_string(num[1]));
    json_object_set_new(o, "offset", json_string(num[2]));
    json_object_set_new(o, "filename", jstr(c->response.file));
    rc = json_to_buf(o, JSON_ENSURE_ASCII, &x->line);
    if (rc)
        return rc;
    if ((rc = NA_GROW(x->lines, x->cap, x->n + 1, x->max))) /* x->n < x->max: checked above */
        return rc;
    char *s = na_strndup(x->line.data, x->line.len);
    if (!s)
        return NA_ENOMEM;
    x->lines[x->n++] = s;
    return 0;
}

static int line_cmp(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

static int export_cdxj(struct archive *a, const struct export_opts *o, FILE *out, struct export_stats *st,
                       struct buf *err)
{
    struct cdxj_ctx x = { .a = a, .o = o, .st = st, .err = err };
    x.max = o->max_cdxj_lines ? o->max_cdxj_lines : EXPORT_DEFAULT_CDXJ_LINES;
    rcache_init(&x.rc, a, 0);
    buf_init(&x.line, SURT_MAX_URL * 4);
    buf_init(&x.val, 1 << 16);
    struct index_query q = { 0 };
    q.site = o->site;
    q.since = o->since;
    q.until = o->until;
    q.limit = o->limit;
    q.order = INDEX_ORDER_ID;
    int rc = index_captures(archive_index(a), &q, cdxj_cb, &x, err);
    rcache_release(&x.rc);
    if (!rc) {
        /* Byte order of whole lines (= LC_ALL=C sort), as pywb expects. */
        qsort(x.lines, x.n, sizeof *x.lines, line_cmp);
        for (size_t i = 0; i < x.n && !rc; i++) {
            rc = put(out, x.lines[i], strlen(x.lines[i]), st, err);
            if (!rc)
                rc = put(out, "\n", 1, st, err);
            st->items++;
        }
    }
    for (size_t i = 0; i < x.n; i++)
        free(x.lines[i]);
    free(x.lines);
    buf_release(&x.line);
    buf_release(&x.val);
    return rc;
}

int export_run(struct archive *a, const struct export_opts *o, FILE *out, struct export_stats *st,
               struct buf *err)
{
    struct export_stats dummy;
    if (!st)
        st = &dummy;
    memset(st, 0, sizeof *st);
    if ((o->since && !export_date_ok(o->since)) || (o->until && !export_date_ok(o->until))) {
        buf_seterr(err, "bad date '%s': expected YYYY-MM-DD", o->since && !export_date_ok(o->since) ? o->since : o->until);
        return NA_EINVAL;
    }
    int rc;
    switch (o->format) {
    case EXPORT_JSONL:
    case EXPORT_TEXT:
        rc = export_articles(a, o, out, st, err);
        break;
    case EXPORT_WARC:
        rc = export_warc(a, o, out, st, err);
        break;
    case EXPORT_CDXJ:
        rc = export_cdxj(a, o, out, st, err);
        break;
    default:
        buf_seterr(err, "unknown export format %d", (int)o->format);
        return NA_EINVAL;
    }
    if (!rc && fflush(out) != 0) {
        buf_seterr(err, "cannot write the output: %s", strerror(errno));
        rc = NA_EIO;
    }
    return rc;
}

/* ---- one URL ---- */

int export_get_text(struct archive *a, const char *url, struct buf *out, struct buf *err)
{
    struct index_article art;
    memset(&art, 0, sizeof art);
    int rc = index_article_get(archive_index(a), url, &art, err);
    if (rc == 1) {
        int r2 = export_article_text(a, &art, out, err);
        if (r2)
            rc = r2;
    }
    index_article_release(&art);
    return rc;
}

int export_http_body(const struct warc_http *h, size_t max, struct buf *out, struct buf *err)
{
    /* warc_http_decode_body removes chunked framing, then the content coding */
    return warc_http_decode_body(h, max, out, err);
}

/* Reads the newest response of url into rec (owned by *c). */
static int newest_response(struct archive *a, const char *url, struct rcache *c, struct index_capture *cap,
                           struct warc_record *rec, struct buf *err)
{
    int rc = index_capture_get(archive_index(a), url, 1, cap, err);
    if (rc != 1)
        return rc;
    if (!cap->response.file)
        return 0;
    rc = rcache_read(c, &cap->response, rec, err);
    if (rc)
        return rc;
    if (rec->type != WARC_TYPE_RESPONSE) {
        loc_msg(err, &cap->response, "expected a response record");
        return NA_ECORRUPT;
    }
    return 1;
}

int export_get_body(struct archive *a, const char *url, size_t max, struct buf *out, struct buf *err)
{
    struct rcache c;
    struct index_capture cap;
    struct warc_record rec;
    memset(&cap, 0, sizeof cap);
    rcache_init(&c, a, 0);
    int rc = newest_response(a, url, &c, &cap, &rec, err);
    if (rc == 1) {
        struct warc_http h;
        if (warc_http_parse(rec.block, rec.block_len, &h) != 0) {
            loc_msg(err, &cap.response, "the response record holds no HTTP message");
            rc = NA_ECORRUPT;
        } else {
            int r2 = export_http_body(&h, max, out, err);
            if (r2)
                rc = r2;
        }
    }
    index_capture_release(&cap);
    rcache_release(&c);
    return rc;
}

int export_response_at(struct archive *a, const struct index_loc *l, struct buf *head, struct buf *body,
                       struct buf *err)
{
    struct rcache c;
    struct warc_record rec;
    struct warc_http h;
    rcache_init(&c, a, 0);
    int rc = rcache_read(&c, l, &rec, err);
    if (!rc && (rec.type != WARC_TYPE_RESPONSE || warc_http_parse(rec.block, rec.block_len, &h) != 0)) {
        loc_msg(err, l, "not an HTTP response record");
        rc = NA_ECORRUPT;
    }
    if (!rc) {
        buf_reset(head);
        buf_reset(body);
        if (buf_add(head, h.head.p, h.head.n) || buf_add(body, h.body.p, h.body.n)) {
            rc = head->err ? head->err : body->err;
            buf_seterr(err, "%s", na_strerror(rc));
        }
    }
    rcache_release(&c);
    return rc;
}

static json_t *capture_json(const struct index_capture *c)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "url", jstr(c->url));
    json_object_set_new(o, "site", jstr(c->site));
    json_object_set_new(o, "kind", json_string(c->kind >= CAPTURE_ARTICLE && c->kind <= CAPTURE_IMAGE
                                                   ? index_kind_name(c->kind) : "?"));
    json_object_set_new(o, "fetched", jdate(c->fetched));
    json_object_set_new(o, "status", json_integer(c->status));
    json_object_set_new(o, "revisit", json_boolean(c->revisit));
    json_object_set_new(o, "profile", jstr(c->profile));
    json_object_set_new(o, "etag", jstr(c->etag));
    json_object_set_new(o, "last_modified", jstr(c->last_modified));
    json_object_set_new(o, "payload_digest", jstr(c->payload_digest));
    json_object_set_new(o, "ip", jstr(c->ip));
    json_object_set_new(o, "record_id", jstr(c->record_id));
    json_object_set_new(o, "request", loc_json(&c->request));
    json_object_set_new(o, "response", loc_json(&c->response));
    json_object_set_new(o, "conversion", loc_json(&c->conversion));
    json_object_set_new(o, "metadata", loc_json(&c->metadata));
    return o;
}

struct ext_ctx {
    json_t *list;
};

static int ext_cb(void *ud, const struct index_article *art)
{
    struct ext_ctx *x = ud;
    json_t *o = json_object();
    if (!o)
        return NA_ENOMEM;
    json_object_set_new(o, "extracted", jdate(art->extracted));
    json_object_set_new(o, "extractor", jstr(art->extractor_version));
    json_object_set_new(o, "title", jstr(art->title));
    json_object_set_new(o, "text_digest", jstr(art->text_digest));
    json_object_set_new(o, "text_length", json_integer((json_int_t)art->text_len));
    json_object_set_new(o, "fetched", jdate(art->fetched));
    json_object_set_new(o, "conversion", loc_json(&art->conversion));
    json_object_set_new(o, "metadata", loc_json(&art->metadata));
    return json_array_append_new(x->list, o) ? NA_ENOMEM : 0;
}

/* The header lines of an HTTP head as [[name, value], ...] in order. */
static json_t *headers_json(const struct warc_http *h)
{
    json_t *arr = json_array();
    const char *p = h->head.p, *e = h->head.p + h->head.n;
    const char *nl = memchr(p, '\n', (size_t)(e - p)); /* skip the status line */
    p = nl ? nl + 1 : e;
    while (arr && p < e) {
        nl = memchr(p, '\n', (size_t)(e - p));
        const char *le = nl ? nl : e;
        size_t n = (size_t)(le - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        const char *colon = memchr(p, ':', n);
        if (colon) {
            const char *v = colon + 1, *ve = p + n;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            json_array_append_new(arr, json_pack("[o, o]", jstrn(p, (size_t)(colon - p)), jstrn(v, (size_t)(ve - v))));
        }
        p = nl ? nl + 1 : e;
    }
    return arr;
}

int export_get_json(struct archive *a, const char *url, struct buf *out, struct buf *err)
{
    struct index_article art;
    struct index_capture cap;
    struct rcache c;
    struct warc_record rec;
    struct buf text = BUF_INIT;
    memset(&art, 0, sizeof art);
    memset(&cap, 0, sizeof cap);
    rcache_init(&c, a, 0);
    json_t *o = NULL;
    int found = 0;
    int rc = index_article_get(archive_index(a), url, &art, err);
    if (rc == 1) {
        found = 1;
        rc = export_article_text(a, &art, &text, err);
        if (!rc)
            o = article_json(&art, buf_str(&text), text.len);
    } else if (rc == 0) {
        o = json_pack("{s:s}", "url", url);
    }
    if (rc < 0)
        goto done;
    if (!o) {
        rc = NA_ENOMEM;
        goto done;
    }
    if (found) {
        json_t *cl = cluster_json(a, &art, err);
        if (!cl) {
            rc = NA_EDB;
            goto done;
        }
        json_object_set_new(o, "cluster", cl);
    }
    /* every extraction, oldest first */
    struct ext_ctx x = { json_array() };
    struct index_query q = { 0 };
    q.url = url;
    q.all_extractions = 1;
    q.order = INDEX_ORDER_ID;
    rc = index_articles(archive_index(a), &q, ext_cb, &x, err);
    json_object_set_new(o, "extractions", x.list);
    if (rc < 0)
        goto done;
    rc = index_capture_get(archive_index(a), url, 0, &cap, err);
    if (rc < 0)
        goto done;
    if (rc == 1) {
        found = 1;
        json_object_set_new(o, "capture", capture_json(&cap));
        index_capture_release(&cap);
        memset(&cap, 0, sizeof cap);
    } else {
        json_object_set_new(o, "capture", json_null());
    }
    rc = newest_response(a, url, &c, &cap, &rec, err);
    if (rc < 0)
        goto done;
    if (rc == 1) {
        struct warc_http h;
        json_t *r = json_object();
        json_object_set_new(r, "record_id", jstr(rec.record_id));
        json_object_set_new(r, "date", jstr(rec.date));
        if (warc_http_parse(rec.block, rec.block_len, &h) == 0) {
            json_object_set_new(r, "status", json_integer(h.status));
            json_object_set_new(r, "status_line", jstrn(h.start_line.p, h.start_line.n));
            json_object_set_new(r, "headers", headers_json(&h));
            json_object_set_new(r, "body_length", json_integer((json_int_t)h.body.n));
        }
        json_object_set_new(o, "response", r);
    } else {
        json_object_set_new(o, "response", json_null());
    }
    if (!found) {
        rc = 0;
        goto done;
    }
    rc = json_to_buf(o, JSON_INDENT(2), out);
    o = NULL;
    if (!rc)
        rc = buf_addc(out, '\n');
    if (!rc)
        rc = found;
done:
    json_decref(o);
    index_article_release(&art);
    index_capture_release(&cap);
    rcache_release(&c);
    buf_release(&text);
    return rc;
}
