/* recover.c — the WARC files read back: crash recovery on a writable open
 * (truncate a torn tail, index whole records the index lacks), reindex (a
 * new index.sqlite from the WARC files alone) and verify (gzip framing, WARC
 * heads, Content-Length, both digests; every index row against the files).
 * The index rows are derived from WARC fields only (newsarc's own
 * Newsarc-Site/Newsarc-Kind extension fields and the metadata JSON), so what
 * archive_add writes and what reindex rebuilds agree. */
#include "store/recover.h"
#include "store/archive_stats.h"
#include "store/digest.h"
#include "store/index.h"
#include "store/warc.h"
#include "util/err.h"
#include "util/http.h"
#include "util/log.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Caps of the in-memory lists (NA_GROW): at the cap the operation stops
 * with NA_ETOOBIG and a message saying which. */
#define MAX_FILES 1000000                       /* WARC files in warc/ or in the index */
#define MAX_FILE_RECORDS ((size_t)1 << 26)      /* records of one file verify remembers */
#define ID_MAX 160

/* ---- listing WARC files ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* The NAME.warc.gz files of dir, sorted by name (= by creation time for
 * newsarc's names). A missing dir is an empty list. */
static int list_files(const char *dir, char ***out, size_t *n, struct buf *err)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return 0;
        buf_seterr(err, "'%s': %s", dir, strerror(errno));
        return NA_EIO;
    }
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l < 9 || strcmp(e->d_name + l - 8, ".warc.gz") != 0)
            continue;
        /* at MAX_FILES: NA_ETOOBIG, the whole listing refused */
        if ((rc = NA_GROW(v, cap, *n + 1, MAX_FILES))) {
            if (rc == NA_ETOOBIG)
                buf_seterr(err, "'%s': more than %d WARC files", dir, MAX_FILES);
            break;
        }
        if (!(v[*n] = na_strdup(e->d_name))) {
            rc = NA_ENOMEM;
            break;
        }
        (*n)++;
    }
    closedir(d);
    if (rc) {
        if (rc == NA_ENOMEM)
            buf_seterr(err, "'%s': out of memory", dir);
        free_names(v, *n);
        *n = 0;
        return rc;
    }
    if (*n)
        qsort(v, *n, sizeof *v, cmp_str);
    *out = v;
    return 0;
}

static int join(struct buf *b, const char *dir, const char *name)
{
    buf_reset(b);
    return buf_printf(b, "%s/%s", dir, name);
}

/* ---- records → index rows ---- */

struct indexer {
    struct index *ix;
    const char *file;
    /* a request waiting for its response */
    int have_req;
    char req_to[ID_MAX];
    struct index_loc_in req;
    /* a conversion waiting for its metadata */
    int have_conv;
    char conv_id[ID_MAX], conv_refers[ID_MAX], conv_digest[DIGEST_SHA1_LEN + 1], conv_lang[16];
    time_t conv_date;
    uint64_t conv_len;
    struct index_loc_in conv;
    struct buf conv_url;
    struct buf conv_text;      /* its text: the search index and near-duplicates */
    uint64_t captures, articles;
    struct buf tmp;
};

static void copy_id(char *dst, const char *src)
{
    snprintf(dst, ID_MAX, "%s", src ? src : "");
}

/* Copies an HTTP header value (or NULL). */
static char *http_value(struct indexer *x, const struct warc_http *h, const char *name)
{
    if (warc_http_header(h, name, &x->tmp) != 1)
        return NULL;
    return na_strdup(buf_str(&x->tmp));
}

static int add_response(struct indexer *x, const struct warc_record *rec, struct buf *err)
{
    if (!rec->target_uri || !rec->record_id) {
        log_at(LOG_WARN, "%s:%llu: %s record without WARC-Target-URI or WARC-Record-ID: not indexed", x->file,
               (unsigned long long)rec->offset, warc_type_name(rec->type));
        return 0;
    }
    struct index_capture_in c;
    struct index_capture orig;
    memset(&c, 0, sizeof c);
    memset(&orig, 0, sizeof orig);
    struct warc_http h;
    char *etag = NULL, *lm = NULL;
    if (rec->block && warc_http_parse(rec->block, rec->block_len, &h) == 0) {
        c.status = h.status;
        etag = http_value(x, &h, "ETag");
        lm = http_value(x, &h, "Last-Modified");
    }
    c.url = rec->target_uri;
    c.site = warc_record_field(rec, WARC_FIELD_SITE);
    c.kind = index_kind_parse(warc_record_field(rec, WARC_FIELD_KIND));
    time_t t = warc_parse_date(rec->date);
    c.fetched = t < 0 ? 0 : t;
    c.etag = etag;
    c.last_modified = lm;
    c.payload_digest = rec->payload_digest;
    c.ip = warc_record_field(rec, "WARC-IP-Address");
    c.revisit = rec->type == WARC_TYPE_REVISIT;
    c.profile = rec->profile;
    c.record_id = rec->record_id;
    int have_orig = 0, rc = 0;
    if (c.revisit && rec->refers_to) {
        have_orig = index_capture_by_record_id(x->ix, rec->refers_to, &orig, err);
        if (have_orig < 0) {
            rc = have_orig;
            goto out;
        }
        if (have_orig) {
            c.refers_to = orig.id;
            if (!c.payload_digest)
                c.payload_digest = orig.payload_digest;
        }
    }
    if (x->have_req && strcmp(x->req_to, rec->record_id) == 0)
        c.request = x->req;
    x->have_req = 0;
    c.response.file = x->file;
    c.response.offset = rec->offset;
    c.response.length = rec->length;
    rc = index_add_capture(x->ix, &c, NULL, err);
    if (!rc)
        x->captures++;
out:
    if (have_orig > 0)
        index_capture_release(&orig);
    free(etag);
    free(lm);
    return rc;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An article row for the pending conversion, with the metadata JSON (or
 * without it, when a torn tail took the metadata record). */
static int add_article(struct indexer *x, json_t *meta, const struct warc_record *mrec, const char *url,
                       struct buf *err)
{
    struct index_capture cap;
    int rc = index_capture_by_record_id(x->ix, x->conv_refers, &cap, err);
    if (rc <= 0) {
        if (rc == 0)
            log_at(LOG_WARN, "%s:%llu: conversion refers to %s, which is not indexed: no article row", x->file,
                   (unsigned long long)x->conv.offset, x->conv_refers);
        return rc;
    }
    struct index_article_in a;
    memset(&a, 0, sizeof a);
    a.url = url;
    a.site = cap.site;
    if (meta) {
#define READ_FIELD(name) a.name = jstr(meta, #name);
        ARTICLE_FIELDS(READ_FIELD)
#undef READ_FIELD
        a.extractor_version = jstr(meta, "extractor");
        if (jstr(meta, "site"))
            a.site = jstr(meta, "site");
    } else if (x->conv_lang[0]) {
        a.lang = x->conv_lang;
    }
    a.text_digest = x->conv_digest[0] ? x->conv_digest : NULL;
    a.text_len = x->conv_len;
    a.capture_id = cap.id;
    a.fetched = cap.fetched;
    a.extracted = x->conv_date;
    a.conversion_id = x->conv_id;
    a.conversion = x->conv;
    if (x->conv_text.len == x->conv_len)
        a.text = x->conv_len ? x->conv_text.data : "";
    if (mrec) {
        a.metadata.file = x->file;
        a.metadata.offset = mrec->offset;
        a.metadata.length = mrec->length;
    }
    rc = index_add_article(x->ix, &a, NULL, err);
    if (!rc && !cap.conversion.file)
        rc = index_set_capture_extraction(x->ix, cap.id, &a.conversion, mrec ? &a.metadata : NULL, err);
    if (!rc)
        x->articles++;
    index_capture_release(&cap);
    return rc;
}

/* Flushes a conversion that never got its metadata record. */
static int flush_conv(struct indexer *x, struct buf *err)
{
    if (!x->have_conv)
        return 0;
    x->have_conv = 0;
    return add_article(x, NULL, NULL, buf_str(&x->conv_url), err);
}

static int index_record(struct indexer *x, const struct warc_record *rec, struct buf *err)
{
    int rc = 0;
    if (rec->type != WARC_TYPE_METADATA && (rc = flush_conv(x, err)))
        return rc;
    switch (rec->type) {
    case WARC_TYPE_REQUEST:
        x->have_req = 1;
        copy_id(x->req_to, rec->concurrent_to);
        x->req.file = x->file;
        x->req.offset = rec->offset;
        x->req.length = rec->length;
        return 0;
    case WARC_TYPE_RESPONSE:
    case WARC_TYPE_REVISIT:
        return add_response(x, rec, err);
    case WARC_TYPE_CONVERSION: {
        if (!rec->target_uri || !rec->refers_to || !rec->record_id)
            return 0;
        x->have_conv = 1;
        copy_id(x->conv_id, rec->record_id);
        copy_id(x->conv_refers, rec->refers_to);
        snprintf(x->conv_digest, sizeof x->conv_digest, "%s", rec->block_digest ? rec->block_digest : "");
        const char *l = warc_record_field(rec, "WARC-Identified-Content-Language");
        snprintf(x->conv_lang, sizeof x->conv_lang, "%s", l ? l : "");
        time_t t = warc_parse_date(rec->date);
        x->conv_date = t < 0 ? 0 : t;
        x->conv_len = rec->block_len;
        x->conv.file = x->file;
        x->conv.offset = rec->offset;
        x->conv.length = rec->length;
        buf_reset(&x->conv_url);
        buf_reset(&x->conv_text);
        if (rec->block_len && buf_add(&x->conv_text, rec->block, rec->block_len))
            buf_reset(&x->conv_text); /* out of memory: indexed without text */
        if (buf_adds(&x->conv_url, rec->target_uri)) {
            buf_seterr(err, "%s:%llu: out of memory", x->file, (unsigned long long)rec->offset);
            return NA_ENOMEM;
        }
        return 0;
    }
    case WARC_TYPE_METADATA: {
        json_t *meta = NULL;
        if (rec->block) {
            json_error_t je;
            meta = json_loadb(rec->block, rec->block_len, 0, &je);
        }
        const char *cid = meta ? jstr(meta, "conversion_id") : NULL;
        if (x->have_conv && (cid ? strcmp(cid, x->conv_id) == 0
                                 : rec->refers_to && strcmp(rec->refers_to, x->conv_refers) == 0)) {
            x->have_conv = 0;
            rc = add_article(x, meta, rec, buf_str(&x->conv_url), err);
        } else {
            rc = flush_conv(x, err);
            log_at(LOG_WARN, "%s:%llu: metadata record without its conversion record: not indexed", x->file,
                   (unsigned long long)rec->offset);
        }
        json_decref(meta);
        return rc;
    }
    default:
        return 0;
    }
}

enum { MODE_RECOVER, MODE_REINDEX };

static int truncate_file(const char *path, uint64_t at, struct buf *err)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)at) != 0 || fsync(fd) != 0) {
        buf_seterr(err, "'%s': cannot truncate to %llu: %s", path, (unsigned long long)at, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NA_EIO;
    }
    close(fd);
    return 0;
}

struct scan_stats {
    uint64_t records, captures, articles, bytes, damaged, damaged_bytes;
};

static uint64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

/* The message of a reader error without its "PATH:OFFSET: " or "'PATH': " prefix. */
static const char *strip_path(const char *msg, const char *path)
{
    size_t l = strlen(path);
    if (msg[0] == '\'' && strncmp(msg + 1, path, l) == 0 && strncmp(msg + 1 + l, "': ", 3) == 0)
        return msg + l + 4; /* "'PATH': message" */
    if (strncmp(msg, path, l) == 0 && msg[l] == ':') {
        const char *p = strchr(msg + l + 1, ':');
        if (p && p[1] == ' ')
            return p + 2;
    }
    return msg;
}

/* A file being indexed, one record at a time (cursor_next, cursor_take):
 * index_file takes its records in order; reindex interleaves the files of
 * an archive by time (reindex_files). */
struct cursor {
    const char *file;          /* the name in warc_dir (borrowed) */
    struct buf path;
    struct warc_reader *r;
    struct indexer x;
    uint64_t from, end;        /* indexed from; end of what was taken (or skipped) */
    int mode, quiet;
    struct warc_record rec;    /* the next record, read but not yet indexed (have) */
    uint64_t rec_end;
    int have, done;
    time_t key;                /* when rec may come: the newest WARC-Date of the file so far */
};

/* Opens warc_dir/file at offset from. A file that cannot be read as a WARC
 * file (a FIFO, a device, gone) is said and is done at once. */
static int cursor_open(struct cursor *c, struct index *ix, const char *warc_dir, const char *file, uint64_t from,
                       int mode, int quiet, struct buf *err)
{
    memset(c, 0, sizeof *c);
    c->file = file;
    c->from = c->end = from;
    c->mode = mode;
    c->quiet = quiet;
    c->x.ix = ix;
    c->x.file = file;
    buf_init(&c->x.tmp, 1 << 20);
    buf_init(&c->x.conv_url, 1 << 20);
    buf_init(&c->x.conv_text, (size_t)1 << 26);
    if (join(&c->path, warc_dir, file)) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    struct buf rerr = BUF_INIT;
    int rc = warc_reader_open(c->path.data, 0, 0, &c->r, &rerr);
    if (rc) {
        if (rc != NA_ENOMEM)
            log_at(LOG_WARN, "%s", buf_str(&rerr));
        else
            buf_seterr(err, "%s", buf_str(&rerr));
        buf_release(&rerr);
        c->done = 1;
        return rc == NA_ENOMEM ? rc : 0;
    }
    buf_release(&rerr);
    if ((rc = warc_reader_seek(c->r, from))) {
        buf_seterr(err, "'%s': seek to %llu failed", c->path.data, (unsigned long long)from);
        return rc;
    }
    return 0;
}

/* Reads the next record into c->rec (have), or sets done at the end. A
 * torn tail is cut (a crash while writing); a damaged record is skipped,
 * what follows it read. */
static int cursor_next(struct cursor *c, struct scan_stats *st, struct buf *err)
{
    struct buf rerr = BUF_INIT;
    int rc = 0;
    while (!c->have && !c->done) {
        buf_reset(&rerr);
        rc = warc_reader_next(c->r, &c->rec, &rerr);
        if (rc == 0) {
            c->done = 1;
            break;
        }
        if (rc == NA_ETOOBIG) {
            /* Still a sound record: index what its fields say. */
            log_at(LOG_WARN, "%s", buf_str(&rerr));
            rc = 1;
        }
        if (rc == 1) {
            c->have = 1;
            c->rec_end = warc_reader_good_end(c->r);
            time_t t = c->rec.date ? warc_parse_date(c->rec.date) : -1;
            if (t > c->key)
                c->key = t;
            rc = 0;
            break;
        }
        if (rc == NA_ECORRUPT && warc_reader_truncated(c->r)) {
            uint64_t size = file_size(c->path.data);
            if (!c->quiet)
                log_at(LOG_WARN, "%s:%llu: torn record at the end of the file (a crash while writing): "
                                 "truncated %llu bytes",
                       c->path.data, (unsigned long long)c->end, (unsigned long long)(size - c->end));
            rc = truncate_file(c->path.data, c->end, err);
            c->done = 1;
            break;
        }
        if (rc == NA_ENOMEM || rc == NA_EIO) {
            buf_seterr(err, "%s", buf_str(&rerr));
            break;
        }
        /* A damaged record: one gzip member per record lets the reader
         * resync at the next member that starts a WARC record, and what
         * follows is indexed. A request or conversion before the damage
         * does not pair with what comes after it. */
        if ((rc = flush_conv(&c->x, err)))
            break;
        c->x.have_req = 0;
        uint64_t bad = warc_reader_good_end(c->r);
        int more = warc_reader_skip(c->r);
        if (more < 0) {
            rc = more;
            buf_seterr(err, "'%s': %s while looking past the damaged record at %llu", c->path.data,
                       na_strerror(rc), (unsigned long long)bad);
            break;
        }
        uint64_t next = more ? warc_reader_tell(c->r) : file_size(c->path.data);
        st->damaged++;
        st->damaged_bytes += next - bad;
        log_at(LOG_ERROR, "%s:%llu: bytes %llu-%llu damaged, skipped (%s)%s", c->path.data,
               (unsigned long long)bad, (unsigned long long)bad, (unsigned long long)next,
               strip_path(buf_str(&rerr), c->path.data), c->mode == MODE_REINDEX ? "" : "; run newsarc verify");
        c->end = next;
        c->done = !more;
        rc = 0;
    }
    buf_release(&rerr);
    return rc;
}

/* Indexes the record read (c->rec). */
static int cursor_take(struct cursor *c, struct scan_stats *st, struct buf *err)
{
    c->have = 0;
    st->records++;
    int rc = index_record(&c->x, &c->rec, err);
    if (!rc)
        c->end = c->rec_end;
    return rc;
}

/* After the last record (ok = 1): the pending conversion indexed, a
 * request left alone cut (recovery), the indexed end recorded. Frees c. */
static int cursor_close(struct cursor *c, int ok, struct scan_stats *st, struct buf *err)
{
    int rc = 0;
    if (ok && c->r && !(rc = flush_conv(&c->x, err))) {
        /* A request alone at the end is what a torn group leaves (its
         * response cut above): no capture. Recovery cuts it too, as a writer
         * may go on appending to this file (files by day), after which it
         * would be a request without its response in the middle of the file. */
        if (c->mode == MODE_RECOVER && c->x.have_req && c->x.req.offset >= c->from &&
            c->x.req.offset + c->x.req.length == c->end) {
            if (!c->quiet)
                log_at(LOG_WARN, "%s:%llu: a request record without its response (a crash while writing): "
                                 "truncated %llu bytes",
                       c->path.data, (unsigned long long)c->x.req.offset, (unsigned long long)c->x.req.length);
            if (!(rc = truncate_file(c->path.data, c->x.req.offset, err)))
                c->end = c->x.req.offset;
        }
        if (!rc)
            rc = index_set_file_end(c->x.ix, c->file, c->end, err);
        if (!rc) {
            st->captures += c->x.captures;
            st->articles += c->x.articles;
            st->bytes += c->end - c->from;
        }
    }
    warc_reader_free(c->r);
    buf_release(&c->path);
    buf_release(&c->x.tmp);
    buf_release(&c->x.conv_url);
    buf_release(&c->x.conv_text);
    memset(c, 0, sizeof *c);
    return rc;
}

/* Indexes the records of warc_dir/file from offset `from`, inside the
 * caller's transaction; records the indexed end. */
static int index_file(struct index *ix, const char *warc_dir, const char *file, uint64_t from, int mode,
                      int quiet, struct scan_stats *st, struct buf *err)
{
    struct cursor c;
    int rc = cursor_open(&c, ix, warc_dir, file, from, mode, quiet, err);
    int unread = !rc && !c.r; /* said and skipped: no end recorded */
    while (!rc && !c.done) {
        if (!(rc = cursor_next(&c, st, err)) && c.have)
            rc = cursor_take(&c, st, err);
    }
    int crc = cursor_close(&c, !rc && !unread, st, err);
    return rc ? rc : crc;
}

/* Recovers one file: what the index lacks of it is indexed, a torn tail
 * cut. The caller holds the file (its flock). */
static int recover_one(struct index *ix, const char *warc_dir, const char *name, const char *path, int quiet,
                       struct scan_stats *st, struct buf *err)
{
    struct stat sb;
    uint64_t end;
    if (stat(path, &sb) != 0)
        return 0;
    int known = index_file_end(ix, name, &end, err);
    if (known < 0)
        return known;
    if (known && end == (uint64_t)sb.st_size)
        return 0;
    if (known && end > (uint64_t)sb.st_size) {
        log_at(LOG_ERROR, "'%s': the index points past its end (%llu > %llu bytes); run newsarc verify", path,
               (unsigned long long)end, (unsigned long long)sb.st_size);
        return 0;
    }
    int rc = index_begin(ix, err);
    if (rc)
        return rc;
    uint64_t before = st->records;
    rc = index_file(ix, warc_dir, name, known ? end : 0, MODE_RECOVER, quiet, st, err);
    if (rc) {
        index_rollback(ix);
        return rc;
    }
    if ((rc = index_commit(ix, err)))
        return rc;
    if (st->records > before && !quiet)
        log_at(LOG_WARN, "'%s': indexed %llu records the index lacked", path,
               (unsigned long long)(st->records - before));
    return 0;
}

int recover_archive(struct index *ix, const char *warc_dir, const char *owned, int quiet, struct buf *err)
{
    char **names;
    size_t n;
    int rc = list_files(warc_dir, &names, &n, err);
    if (rc)
        return rc;
    struct buf path = BUF_INIT;
    struct scan_stats st = { 0 };
    for (size_t i = 0; i < n && !rc; i++) {
        struct stat sb;
        uint64_t end;
        if (join(&path, warc_dir, names[i]) || stat(path.data, &sb) != 0)
            continue;
        if (!S_ISREG(sb.st_mode)) {
            if (!quiet)
                log_at(LOG_WARN, "'%s': not a regular file (%s): skipped", path.data, warc_file_kind(sb.st_mode));
            continue;
        }
        /* A cheap look first: most files are complete in the index. */
        int known = index_file_end(ix, names[i], &end, err);
        if (known < 0) {
            rc = known;
            break;
        }
        if (known && end == (uint64_t)sb.st_size)
            continue;
        if (owned && strcmp(owned, names[i]) == 0) {
            rc = recover_one(ix, warc_dir, names[i], path.data, quiet, &st, err);
            continue;
        }
        /* A file another live writer appends to (it holds its flock) is
         * that writer's: its records past the indexed end are not yet
         * committed, not a crash's leftovers. Only a file nobody holds is
         * recovered, while this process holds it. */
        int fd = open(path.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            close(fd);
            continue;
        }
        rc = recover_one(ix, warc_dir, names[i], path.data, quiet, &st, err);
        close(fd);
    }
    buf_release(&path);
    free_names(names, n);
    return rc;
}

/* ---- reindex ---- */

static void unlink_db(const char *path)
{
    static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
    struct buf p = BUF_INIT;
    for (size_t i = 0; i < 4; i++) {
        buf_reset(&p);
        if (!buf_printf(&p, "%s%s", path, sfx[i]))
            unlink(p.data);
    }
    buf_release(&p);
}

/* When the records of a file named newsarc-YYYYMMDDhhmmss-… can come at
 * the earliest: the time its name gives (it was made then); a name of
 * another form gives none (-1: at once). */
static time_t name_start(const char *name)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strncmp(name, "newsarc-", 8) != 0 || strlen(name) < 23 || name[22] != '-')
        return -1;
    for (int i = 8; i < 22; i++)
        if (name[i] < '0' || name[i] > '9')
            return -1;
    char f[15];
    memcpy(f, name + 8, 14);
    f[14] = 0;
    if (sscanf(f, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
               &tm.tm_sec) != 6)
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* Reindexes the files names[0..n) (in name order) in the order the live
 * index took their records, as near as the files tell it. Files are
 * continued by day and several writers append at once, so name order is
 * not time order: a file made at 09:00 may be continued at 16:00 while one
 * made at 10:30 holds a page's first capture. Taken in name order, the
 * 16:00 revisit came before the capture it refers to (no refers_to), and
 * the near-duplicate found first became the cluster's root (dup_of) where
 * the live index had the one archived first. So the records are merged by
 * time: each file's records in file order, a file's next record when its
 * newest WARC-Date so far is the earliest (ties: name order), and a file is
 * opened when the merge reaches the time its name gives (at most the
 * files written at one time are open). */
static int reindex_files(struct index *ix, const char *warc_dir, char **names, size_t n, struct scan_stats *st,
                         struct buf *err)
{
    struct cursor *cur = NULL; /* open files, in name order */
    size_t ncur = 0, cap = 0, next = 0;
    int rc = 0;
    while (!rc && (next < n || ncur)) {
        /* the open file whose next record comes first */
        struct cursor *c = NULL;
        for (size_t i = 0; i < ncur; i++)
            if (!c || cur[i].key < c->key)
                c = &cur[i];
        if (next < n && (!c || name_start(names[next]) <= c->key)) {
            /* a file whose records may come before c's: opened first */
            if ((rc = NA_GROW(cur, cap, ncur + 1, MAX_FILES))) {
                if (rc == NA_ENOMEM)
                    buf_seterr(err, "out of memory");
                break;
            }
            struct cursor *o = &cur[ncur];
            if ((rc = cursor_open(o, ix, warc_dir, names[next], 0, MODE_REINDEX, 0, err))) {
                cursor_close(o, 0, st, err);
                break;
            }
            o->key = name_start(names[next++]);
            if (!o->r) {
                cursor_close(o, 0, st, err);
                continue;
            }
            ncur++;
            if (!(rc = cursor_next(o, st, err)) && o->done) {
                rc = cursor_close(o, 1, st, err);
                ncur--;
            }
            continue;
        }
        if ((rc = cursor_take(c, st, err)) || (rc = cursor_next(c, st, err)))
            break;
        if (c->done) {
            rc = cursor_close(c, 1, st, err);
            memmove(c, c + 1, (size_t)(cur + --ncur - c) * sizeof *c);
        }
    }
    for (size_t i = 0; i < ncur; i++)
        cursor_close(&cur[i], 0, st, err);
    free(cur);
    return rc;
}

int recover_reindex(const char *dir, struct archive_reindex_stats *out, struct buf *err)
{
    struct buf warc_dir = BUF_INIT, db = BUF_INIT, tmp = BUF_INIT, side = BUF_INIT;
    struct index *ix = NULL;
    char **names = NULL;
    size_t n = 0;
    struct scan_stats st = { 0 };
    int rc = NA_ENOMEM;
    if (out)
        memset(out, 0, sizeof *out);
    if (buf_printf(&warc_dir, "%s/warc", dir) || buf_printf(&db, "%s/index.sqlite", dir) ||
        buf_printf(&tmp, "%s/index.sqlite.reindex", dir)) {
        buf_seterr(err, "out of memory");
        goto out;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        buf_seterr(err, "no archive at '%s'", dir);
        rc = NA_ENOTFOUND;
        goto out;
    }
    if ((rc = list_files(warc_dir.data, &names, &n, err)))
        goto out;
    unlink_db(tmp.data);
    if ((rc = index_open(tmp.data, INDEX_CREATE | INDEX_FAST, &ix, err)))
        goto out;
    if ((rc = index_begin(ix, err)))
        goto out;
    if ((rc = reindex_files(ix, warc_dir.data, names, n, &st, err))) {
        index_rollback(ix);
        goto out;
    }
    if ((rc = index_commit(ix, err)))
        goto out;
    /* The crawler's state is not in the WARC files: keep it. */
    if (stat(db.data, &sb) == 0) {
        struct buf e2 = BUF_INIT;
        if (index_copy_state(ix, db.data, &e2))
            log_at(LOG_WARN, "reindex: the crawl state (frontier, per-site state) of the old index could not "
                             "be kept: %s", buf_str(&e2));
        buf_release(&e2);
    }
    index_close(ix);
    ix = NULL;
    /* Reopen once normally: switches the new file to WAL mode. */
    if ((rc = index_open(tmp.data, 0, &ix, err)))
        goto out;
    index_close(ix);
    ix = NULL;
    int fd = open(tmp.data, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    /* The old WAL must not be paired with the new file. */
    buf_printf(&side, "%s-wal", db.data);
    unlink(side.data);
    buf_reset(&side);
    buf_printf(&side, "%s-shm", db.data);
    unlink(side.data);
    if (rename(tmp.data, db.data) != 0) {
        buf_seterr(err, "'%s': cannot rename to '%s': %s", tmp.data, db.data, strerror(errno));
        rc = NA_EIO;
        goto out;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    if (out) {
        out->files = n;
        out->records = st.records;
        out->captures = st.captures;
        out->articles = st.articles;
        out->bytes = st.bytes;
        out->damaged = st.damaged;
        out->damaged_bytes = st.damaged_bytes;
    }
    rc = 0;
out:
    index_close(ix);
    if (rc && tmp.data)
        unlink_db(tmp.data);
    free_names(names, n);
    buf_release(&warc_dir);
    buf_release(&db);
    buf_release(&tmp);
    buf_release(&side);
    return rc;
}

/* ---- verify ---- */

struct vrec {
    uint64_t offset, length, uri_hash;
    uint8_t type;
    uint8_t referenced;
};

struct vfile {
    char *name;
    uint64_t size, indexed_end;
    int in_index, unreadable;
    struct vrec *recs;
    size_t n, cap;
};

struct verify {
    const char *dir;
    void (*fault)(void *, const char *, uint64_t, const char *);
    void *ud;
    struct archive_verify_stats *st;
    struct vfile *files;
    size_t nfiles;
    int writer_active, have_index;
    struct buf msg;
};

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; s && *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void vfault(struct verify *v, const char *file, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void vfault(struct verify *v, const char *file, uint64_t off, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&v->msg);
    va_start(ap, fmt);
    buf_vprintf(&v->msg, fmt, ap);
    va_end(ap);
    v->st->faults++;
    if (v->fault)
        v->fault(v->ud, file, off, buf_str(&v->msg));
}

static void check_record(struct verify *v, const char *file, const struct warc_record *rec, int first)
{
    uint64_t off = rec->offset;
    if (strcmp(rec->version, "WARC/1.1") != 0 && strcmp(rec->version, "WARC/1.0") != 0)
        vfault(v, file, off, "version line '%s'", rec->version);
    if (rec->type == WARC_TYPE_UNKNOWN)
        vfault(v, file, off, "unknown WARC-Type '%s'", warc_record_field(rec, "WARC-Type") ? warc_record_field(rec, "WARC-Type") : "(none)");
    if (first && rec->type != WARC_TYPE_WARCINFO)
        vfault(v, file, off, "first record is '%s', not warcinfo", warc_type_name(rec->type));
    if (!rec->record_id || strncmp(rec->record_id, "<urn:", 5) != 0 || rec->record_id[strlen(rec->record_id) - 1] != '>')
        vfault(v, file, off, "missing or malformed WARC-Record-ID");
    if (!rec->date || warc_parse_date(rec->date) < 0)
        vfault(v, file, off, "missing or malformed WARC-Date '%s'", rec->date ? rec->date : "");
    if (rec->type != WARC_TYPE_WARCINFO && rec->type != WARC_TYPE_UNKNOWN && !rec->target_uri)
        vfault(v, file, off, "%s record without WARC-Target-URI", warc_type_name(rec->type));
    if (!rec->block)
        return;
    char d[DIGEST_SHA1_LEN + 1];
    if (digest_sha1(rec->block, rec->block_len, d)) {
        vfault(v, file, off, "out of memory");
        return;
    }
    if (!rec->block_digest)
        vfault(v, file, off, "no WARC-Block-Digest");
    else if (strcasecmp(rec->block_digest, d) != 0)
        vfault(v, file, off, "WARC-Block-Digest mismatch: header %s, block %s", rec->block_digest, d);
    if (rec->type == WARC_TYPE_RESPONSE) {
        struct warc_http h;
        if (warc_http_parse(rec->block, rec->block_len, &h) != 0) {
            vfault(v, file, off, "response block is not an HTTP message");
        } else if (rec->payload_digest) {
            /* the payload digest is taken with transfer coding removed */
            struct slice pl = h.body;
            struct buf dechunked = BUF_INIT;
            if (http_head_is_chunked(h.head.p, h.head.n)) {
                /* as archive_add: what the framing holds, up to where it breaks
                 * (a cut transfer is marked WARC-Truncated and ends mid-chunk) */
                int drc = http_dechunk(h.body.p, h.body.n, &dechunked, NULL);
                if (drc == 0 || drc == NA_EPARSE)
                    pl = slice_make(buf_str(&dechunked), dechunked.len);
                if (drc != 0 && !warc_record_field(rec, "WARC-Truncated"))
                    vfault(v, file, off, "broken chunked transfer coding in the response");
            }
            if (digest_sha1(pl.p, pl.n, d) == 0 && strcasecmp(rec->payload_digest, d) != 0)
                vfault(v, file, off, "WARC-Payload-Digest mismatch: header %s, payload %s", rec->payload_digest, d);
            buf_release(&dechunked);
        } else {
            vfault(v, file, off, "response without WARC-Payload-Digest");
        }
    } else if (rec->type == WARC_TYPE_CONVERSION && rec->payload_digest &&
               strcasecmp(rec->payload_digest, d) != 0) {
        vfault(v, file, off, "WARC-Payload-Digest mismatch: header %s, text %s", rec->payload_digest, d);
    } else if (rec->type == WARC_TYPE_REVISIT) {
        if (!rec->profile)
            vfault(v, file, off, "revisit without WARC-Profile");
        if (!warc_record_field(rec, "WARC-Refers-To-Target-URI"))
            vfault(v, file, off, "revisit without WARC-Refers-To-Target-URI");
    }
}

static int push_rec(struct vfile *f, const struct warc_record *rec)
{
    int rc = NA_GROW(f->recs, f->cap, f->n + 1, MAX_FILE_RECORDS);
    if (rc)
        return rc;
    f->recs[f->n++] = (struct vrec){ rec->offset, rec->length, fnv(rec->target_uri), (uint8_t)rec->type, 0 };
    return 0;
}

static void vnote(struct verify *v, const char *file, uint64_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A note: something a running or a killed writer leaves, which the next
 * writer settles by itself; reported, never counted as a fault. */
static void vnote(struct verify *v, const char *file, uint64_t off, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&v->msg);
    buf_adds(&v->msg, "note: ");
    va_start(ap, fmt);
    buf_vprintf(&v->msg, fmt, ap);
    va_end(ap);
    v->st->notes++;
    if (v->fault)
        v->fault(v->ud, file, off, buf_str(&v->msg));
}

/* A reader error that is not a torn tail: the damaged range up to where
 * the reader resyncs (the next gzip member that starts a WARC record).
 * Returns 1 to go on, 0 at the end of the file, <0 on a read error. */
static int damaged(struct verify *v, struct warc_reader *r, struct vfile *f, const char *path, const char *msg)
{
    uint64_t at = warc_reader_good_end(r);
    int more = warc_reader_skip(r);
    if (more < 0)
        return more;
    uint64_t next = more ? warc_reader_tell(r) : file_size(path);
    if (next < at)
        next = at;
    vfault(v, f->name, at, "bytes %llu-%llu damaged (%s); reindex skips them", (unsigned long long)at,
           (unsigned long long)next, strip_path(msg, path));
    return more;
}

/* Reads every record of one file. Runs after the index snapshot was taken:
 * the size read here is at least every indexed end of that snapshot, and
 * bytes past the indexed end are a writer's (done or unfinished). */
static int scan_file(struct verify *v, const char *warc_dir, struct vfile *f, struct buf *err)
{
    struct buf path = BUF_INIT, rerr = BUF_INIT;
    struct warc_reader *r = NULL;
    int rc;
    if (join(&path, warc_dir, f->name)) {
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    if ((rc = warc_reader_open(path.data, 0, 0, &r, &rerr))) {
        if (rc == NA_ENOMEM) {
            buf_seterr(err, "%s", buf_str(&rerr));
            goto out;
        }
        /* a FIFO, a device, a file gone since the listing */
        f->unreadable = 1;
        vfault(v, f->name, 0, "%s", strip_path(buf_str(&rerr), path.data));
        rc = 0;
        goto out;
    }
    f->size = file_size(path.data);
    v->st->bytes += f->size;
    int first = 1;
    for (;;) {
        struct warc_record rec;
        rc = warc_reader_next(r, &rec, &rerr);
        if (rc == 0)
            break;
        if (rc == 1 || rc == NA_ETOOBIG) {
            v->st->records++;
            if (rc == NA_ETOOBIG)
                vfault(v, f->name, rec.offset, "%s (digests not checked)", strip_path(buf_str(&rerr), path.data));
            check_record(v, f->name, &rec, first);
            first = 0;
            if ((rc = push_rec(f, &rec))) {
                if (rc == NA_ETOOBIG)
                    buf_seterr(err, "'%s': more than %zu records: verify keeps each file's in memory", f->name,
                               (size_t)MAX_FILE_RECORDS);
                else
                    buf_seterr(err, "out of memory");
                goto out;
            }
            continue;
        }
        if (rc == NA_ENOMEM || rc == NA_EIO) {
            buf_seterr(err, "%s", buf_str(&rerr));
            goto out;
        }
        first = 0;
        uint64_t at = warc_reader_good_end(r);
        if (warc_reader_truncated(r)) {
            uint64_t size = file_size(path.data);
            if (v->have_index && at >= f->indexed_end)
                vnote(v, f->name, at, "%llu bytes of an unfinished write at the end of the file (%s)",
                      (unsigned long long)(size - at),
                      v->writer_active ? "being written now" : "cut by the next writer");
            else
                vfault(v, f->name, at, "torn record at the end of the file (%llu bytes; opening the archive for "
                                       "writing truncates it)", (unsigned long long)(size - at));
            break;
        }
        if ((rc = damaged(v, r, f, path.data, buf_str(&rerr))) < 0) {
            buf_seterr(err, "'%s': %s", path.data, na_strerror(rc));
            goto out;
        }
        if (rc == 0)
            break;
    }
    rc = 0;
out:
    warc_reader_free(r);
    buf_release(&path);
    buf_release(&rerr);
    return rc;
}

static struct vfile *find_file(struct verify *v, const char *name)
{
    size_t lo = 0, hi = v->nfiles;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(v->files[mid].name, name);
        if (c == 0)
            return &v->files[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static struct vrec *find_rec(struct vfile *f, uint64_t off)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (f->recs[mid].offset == off)
            return &f->recs[mid];
        if (f->recs[mid].offset < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Checks one index location: a whole record of type t1 (or t2) for url. */
static void check_loc(struct verify *v, const char *what, int64_t id, const struct index_loc *l, int t1, int t2,
                      const char *url)
{
    if (!l->file)
        return;
    struct vfile *f = find_file(v, l->file);
    if (!f) {
        vfault(v, l->file, l->offset, "index %s #%lld: the file is missing from warc/", what, (long long)id);
        return;
    }
    struct vrec *r = find_rec(f, l->offset);
    if (!r) {
        if (l->offset >= f->size)
            vfault(v, l->file, l->offset, "index %s #%lld: offset %llu is past the end of the file (%llu bytes)",
                   what, (long long)id, (unsigned long long)l->offset, (unsigned long long)f->size);
        else
            vfault(v, l->file, l->offset, "index %s #%lld: no whole record starts at offset %llu", what,
                   (long long)id, (unsigned long long)l->offset);
        return;
    }
    r->referenced = 1;
    if (r->length != l->length)
        vfault(v, l->file, l->offset, "index %s #%lld: length %llu, the record has %llu", what, (long long)id,
               (unsigned long long)l->length, (unsigned long long)r->length);
    if (r->type != t1 && r->type != t2)
        vfault(v, l->file, l->offset, "index %s #%lld: points at a %s record, expected %s", what, (long long)id,
               warc_type_name((enum warc_type)r->type), warc_type_name((enum warc_type)t1));
    if (r->uri_hash != fnv(url))
        vfault(v, l->file, l->offset, "index %s #%lld: the record's WARC-Target-URI is not '%s'", what,
               (long long)id, url);
}

static int check_capture(void *ud, const struct index_capture *c)
{
    struct verify *v = ud;
    v->st->index_rows++;
    check_loc(v, "capture", c->id, &c->request, WARC_TYPE_REQUEST, WARC_TYPE_REQUEST, c->url);
    if (!c->response.file)
        vfault(v, NULL, 0, "index capture #%lld (%s) has no response record", (long long)c->id, c->url);
    check_loc(v, "capture", c->id, &c->response, c->revisit ? WARC_TYPE_REVISIT : WARC_TYPE_RESPONSE,
              c->revisit ? WARC_TYPE_REVISIT : WARC_TYPE_RESPONSE, c->url);
    check_loc(v, "capture", c->id, &c->conversion, WARC_TYPE_CONVERSION, WARC_TYPE_CONVERSION, c->url);
    check_loc(v, "capture", c->id, &c->metadata, WARC_TYPE_METADATA, WARC_TYPE_METADATA, c->url);
    return 0;
}

static int check_article(void *ud, const struct index_article *a)
{
    struct verify *v = ud;
    v->st->index_rows++;
    check_loc(v, "article", a->id, &a->conversion, WARC_TYPE_CONVERSION, WARC_TYPE_CONVERSION, a->url);
    check_loc(v, "article", a->id, &a->metadata, WARC_TYPE_METADATA, WARC_TYPE_METADATA, a->url);
    return 0;
}

/* The file rows of the snapshot, read before the directory is listed. */
struct frow {
    char *name;
    uint64_t end;
};
struct frows {
    struct frow *v;
    size_t n, cap;
};

static int collect_file_row(void *ud, const char *file, uint64_t end)
{
    struct frows *fr = ud;
    int rc = NA_GROW(fr->v, fr->cap, fr->n + 1, MAX_FILES); /* at the cap: NA_ETOOBIG, verify stops */
    if (rc)
        return rc;
    if (!(fr->v[fr->n].name = na_strdup(file ? file : "")))
        return NA_ENOMEM;
    fr->v[fr->n++].end = end;
    return 0;
}

static void frows_release(struct frows *fr)
{
    for (size_t i = 0; i < fr->n; i++)
        free(fr->v[i].name);
    free(fr->v);
}

static void apply_file_rows(struct verify *v, const struct frows *fr)
{
    for (size_t i = 0; i < fr->n; i++) {
        struct vfile *f = find_file(v, fr->v[i].name);
        if (!f) {
            if (fr->v[i].end)
                vfault(v, fr->v[i].name, 0, "in the index but missing from warc/");
            continue;
        }
        f->in_index = 1;
        f->indexed_end = fr->v[i].end;
    }
}

/* Whole records the index does not point at: past the indexed end of their
 * file they are a writer's not yet committed (a note), before it a fault. */
static void check_unindexed(struct verify *v)
{
    for (size_t i = 0; i < v->nfiles; i++) {
        struct vfile *f = &v->files[i];
        uint64_t pending = 0, from = 0;
        if (f->in_index && f->indexed_end > f->size && !f->unreadable)
            vfault(v, f->name, f->size, "the index says it is indexed up to offset %llu, but the file has %llu bytes",
                   (unsigned long long)f->indexed_end, (unsigned long long)f->size);
        for (size_t k = 0; k < f->n; k++) {
            struct vrec *r = &f->recs[k];
            int t = r->type;
            if (r->referenced || t == WARC_TYPE_WARCINFO || t == WARC_TYPE_UNKNOWN)
                continue;
            if (r->offset >= f->indexed_end) {
                if (!pending++)
                    from = r->offset;
                continue;
            }
            /* A request left alone at the end of a file by a torn response is no fault. */
            if (t == WARC_TYPE_REQUEST && k + 1 == f->n)
                continue;
            vfault(v, f->name, r->offset, "%s record is not in the index (newsarc reindex rebuilds it)",
                   warc_type_name((enum warc_type)t));
        }
        if (pending) {
            v->st->unindexed += pending;
            vnote(v, f->name, from, "%llu record%s from offset %llu on not yet indexed (%s): the next crawl (or "
                                    "reindex) indexes them",
                  (unsigned long long)pending, pending == 1 ? "" : "s", (unsigned long long)from,
                  v->writer_active ? "a crawl is writing them" : "written by a crawl that stopped before its "
                                                                 "index commit");
        }
    }
}

int recover_verify(const char *dir, void (*fault)(void *ud, const char *file, uint64_t offset, const char *msg),
                   void *ud, struct archive_verify_stats *st, struct buf *err)
{
    struct archive_verify_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    struct verify v = { .dir = dir, .fault = fault, .ud = ud, .st = st };
    struct buf warc_dir = BUF_INIT, p = BUF_INIT, ierr = BUF_INIT;
    struct frows fr = { 0 };
    char **names = NULL;
    size_t n = 0;
    struct index *ix = NULL;
    buf_init(&v.msg, 1 << 16);
    int rc = NA_ENOMEM;
    if (buf_printf(&warc_dir, "%s/warc", dir)) {
        buf_seterr(err, "out of memory");
        goto out;
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        buf_seterr(err, "no archive at '%s'", dir);
        rc = NA_ENOTFOUND;
        goto out;
    }
    /* A running writer: the tail of its file may be in flight. */
    if (!join(&p, dir, "lock")) {
        int fd = open(p.data, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0) {
            /* writers hold it shared, reindex/reextract exclusively: any
             * holder makes the exclusive probe fail (released at once) */
            if (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK)
                v.writer_active = 1;
            close(fd);
        }
    }
    /* One snapshot of the index (a read transaction, pinned by its first
     * read) before the directory is listed and the files are read: every
     * file and byte it counts as indexed is then on disk. */
    if (join(&p, dir, "index.sqlite"))
        goto out;
    int irc = index_open(p.data, INDEX_READONLY, &ix, &ierr);
    if (!irc && !(irc = index_begin(ix, &ierr)))
        irc = index_files(ix, collect_file_row, &fr, &ierr);
    if (irc == NA_ENOMEM || irc == NA_ETOOBIG) {
        rc = irc;
        if (irc == NA_ETOOBIG)
            buf_seterr(err, "the index lists more than %d WARC files", MAX_FILES);
        else
            buf_seterr(err, "%s", ierr.len ? buf_str(&ierr) : "out of memory");
        goto out;
    }
    v.have_index = irc == 0;
    if ((rc = list_files(warc_dir.data, &names, &n, err)))
        goto out;
    if (!(v.files = na_calloc(n ? n : 1, sizeof *v.files))) {
        rc = NA_ENOMEM;
        buf_seterr(err, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        v.files[i].name = names[i];
        v.nfiles++;
    }
    st->files = n;
    if (v.have_index)
        apply_file_rows(&v, &fr);
    for (size_t i = 0; i < n; i++)
        if ((rc = scan_file(&v, warc_dir.data, &v.files[i], err)))
            goto out;
    if (!v.have_index) {
        const char *m = buf_str(&ierr);
        if (strncmp(m, "index: ", 7) == 0)
            m += 7;
        if (irc == NA_ELOCKED && v.writer_active)
            vnote(&v, NULL, 0, "%s", m);
        else if (irc == NA_ENOTFOUND && v.writer_active)
            vnote(&v, NULL, 0, "no index yet: being created by a running writer");
        else
            vfault(&v, NULL, 0, "%s%s", m, strstr(m, "reindex") ? "" : " (newsarc reindex rebuilds it)");
        rc = 0;
        goto out;
    }
    struct index_query all = { .all_extractions = 1, .order = INDEX_ORDER_ID };
    if ((rc = index_captures(ix, &all, check_capture, &v, err)) || (rc = index_articles(ix, &all, check_article, &v, err)))
        goto out;
    check_unindexed(&v);
    rc = 0;
out:
    if (ix)
        index_rollback(ix);
    index_close(ix);
    if (v.files)
        for (size_t i = 0; i < v.nfiles; i++)
            free(v.files[i].recs);
    free(v.files);
    free_names(names, n);
    frows_release(&fr);
    buf_release(&warc_dir);
    buf_release(&p);
    buf_release(&ierr);
    buf_release(&v.msg);
    return rc;
}
