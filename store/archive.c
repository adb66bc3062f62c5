/* archive.c — the archive directory: the writer lock (flock on ARCHIVE/lock),
 * crash recovery on a writable open (store/recover), and archive_add, which
 * turns one HTTP capture (+ its extracted article) into WARC records
 * (request, response or revisit, conversion, metadata; WARC 1.1 §6) and then
 * the index rows that point at them: the records are written and
 * fdatasync'ed before the index commit, and rolled back if the index refuses. */
#include "store/archive.h"
#include "store/digest.h"
#include "store/index.h"
#include "util/http.h"
#include "store/recover.h"
#include "store/warc.h"
#include "util/err.h"
#include "util/log.h"
#include "util/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef NEWSARC_SOFTWARE
#define NEWSARC_SOFTWARE "newsarc/0.1.0"
#endif

#define ARCHIVE_MAX_ENCODERS 16
#define ARCHIVE_MAX_SITE_LOCKS 65536 /* sites one writer process may hold */

struct site_lock {
    char *site;
    int fd; /* holds the flock on ARCHIVE/locks/SITE.lock */
};

struct archive {
    char *dir;
    char *warc_dir;
    int readonly;
    int lock_fd;
    int batch;
    struct index *ix;
    struct warc_writer *w;
    struct warc_encoder *enc_w;   /* the writer side's, for re-encoding */
    pthread_mutex_t mu;           /* guards info_id and enc[] */
    char info_id[WARC_ID_LEN + 1]; /* warcinfo of the file being written ("" before the first) */
    struct warc_encoder *enc[ARCHIVE_MAX_ENCODERS];
    int nenc;
    struct site_lock *site_locks;
    size_t nsite_locks, site_locks_cap;
    int failed;                   /* a group commit failed: no more writes (see archive_commit) */
};

const char *archive_kind_name(int kind) { return index_kind_name(kind); }

int archive_kind_parse(const char *s) { return index_kind_parse(s); }

/* "PID command line" of this process, for a lock file: who holds it. */
static void holder_line(char *out, size_t cap)
{
    int n = snprintf(out, cap, "%ld", (long)getpid());
    if (n < 0 || (size_t)n >= cap)
        return;
    size_t len = (size_t)n;
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char tmp[512];
        ssize_t k = read(fd, tmp, sizeof tmp - 1);
        close(fd);
        for (ssize_t i = 0; i < k && len + 2 < cap; i++) {
            unsigned char c = (unsigned char)tmp[i];
            if (i == 0)
                out[len++] = ' ';
            out[len++] = c == 0 ? ' ' : c < 0x20 ? '?' : (char)c;
        }
        while (len > 0 && out[len - 1] == ' ')
            len--;
    }
    if (len + 1 < cap)
        out[len++] = '\n';
    out[len] = 0;
}

/* What a lock file says of its holder ("PID command"), into out (may be ""). */
static void read_holder(int fd, char *out, size_t cap)
{
    ssize_t k = pread(fd, out, cap - 1, 0);
    if (k < 0)
        k = 0;
    out[k] = 0;
    out[strcspn(out, "\n")] = 0;
}

static void write_holder(int fd, const char *path)
{
    char line[600];
    holder_line(line, sizeof line);
    if (ftruncate(fd, 0) != 0 || pwrite(fd, line, strlen(line), 0) < 0)
        log_at(LOG_DEBUG, "'%s': cannot write the holder", path);
}

/* flock(op | LOCK_NB) on path (created if missing). On EWOULDBLOCK returns
 * NA_ELOCKED with the holder ("PID command", or "") in holder. */
static int lock_file(const char *path, int op, int *fd_out, char *holder, size_t hcap, struct buf *err)
{
    *fd_out = -1;
    if (holder)
        holder[0] = 0;
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) {
        buf_seterr(err, "'%s': %s", path, strerror(errno));
        return errno == ENOSPC ? NA_EDISKFULL : NA_EIO;
    }
    if (flock(fd, op | LOCK_NB) != 0) {
        int e = errno;
        if (e == EWOULDBLOCK && holder)
            read_holder(fd, holder, hcap);
        close(fd);
        if (e == EWOULDBLOCK)
            return NA_ELOCKED;
        buf_seterr(err, "'%s': flock: %s", path, strerror(e));
        return NA_EIO;
    }
    *fd_out = fd;
    return 0;
}

/* The archive-wide lock: shared by writers (crawl, backfill: each also
 * holds its sites' locks), exclusive for reindex and reextract. */
static int archive_lock_mode(const char *dir, int exclusive, int *fd_out, struct buf *err)
{
    struct buf path = BUF_INIT;
    *fd_out = -1;
    if (buf_printf(&path, "%s/lock", dir)) {
        buf_seterr(err, "'%s': out of memory", dir);
        return NA_ENOMEM;
    }
    char holder[600];
    int rc = lock_file(path.data, exclusive ? LOCK_EX : LOCK_SH, fd_out, holder, sizeof holder, err);
    /* verify probes the lock exclusively for an instant: a writer tries
     * again for a moment before it takes an exclusive holder for real */
    for (int tries = 0; rc == NA_ELOCKED && !exclusive && tries < 20; tries++) {
        struct timespec ts = { 0, 10 * 1000000L };
        nanosleep(&ts, NULL);
        rc = lock_file(path.data, LOCK_SH, fd_out, holder, sizeof holder, err);
    }
    if (rc == NA_ELOCKED) {
        if (exclusive)
            buf_seterr(err, "archive '%s' is in use by another process%s%s (%s; writers hold DIR/locks/SITE.lock)",
                       dir, holder[0] ? ": PID " : "", holder, path.data);
        else
            buf_seterr(err, "archive '%s' is locked for maintenance by another process%s%s (%s)", dir,
                       holder[0] ? ": PID " : "", holder, path.data);
    } else if (!rc && exclusive) {
        write_holder(*fd_out, path.data); /* informative only: who holds it */
    }
    buf_release(&path);
    return rc;
}

int archive_lock(const char *dir, int *fd_out, struct buf *err)
{
    return archive_lock_mode(dir, 1, fd_out, err);
}

int archive_lock_site(struct archive *a, const char *site, struct buf *err)
{
    if (!a || a->readonly || !site || !*site || site[0] == '.' || strchr(site, '/')) {
        buf_seterr(err, "site '%s': not a name a lock can be taken for", site ? site : "");
        return NA_EINVAL;
    }
    for (size_t i = 0; i < a->nsite_locks; i++)
        if (strcmp(a->site_locks[i].site, site) == 0)
            return 0;
    if (a->nsite_locks == ARCHIVE_MAX_SITE_LOCKS) {
        buf_seterr(err, "site '%s': more than %d site locks in one process", site, ARCHIVE_MAX_SITE_LOCKS);
        return NA_ETOOBIG;
    }
    struct buf path = BUF_INIT;
    if (buf_printf(&path, "%s/locks", a->dir) || (mkdir(path.data, 0755) != 0 && errno != EEXIST)) {
        buf_seterr(err, "'%s': cannot create: %s", buf_str(&path), path.err ? "out of memory" : strerror(errno));
        buf_release(&path);
        return NA_EIO;
    }
    buf_printf(&path, "/%s.lock", site);
    char *name = na_strdup(site);
    if (path.err || !name) {
        free(name);
        buf_release(&path);
        buf_seterr(err, "out of memory");
        return NA_ENOMEM;
    }
    char holder[600];
    int fd;
    int rc = lock_file(path.data, LOCK_EX, &fd, holder, sizeof holder, err);
    if (rc == NA_ELOCKED)
        buf_seterr(err, "site '%s' is being crawled by another process: PID %s (%s)", site,
                   holder[0] ? holder : "unknown", path.data);
    if (rc) {
        free(name);
        buf_release(&path);
        return rc;
    }
    write_holder(fd, path.data);
    buf_release(&path);
    int grc = NA_GROW(a->site_locks, a->site_locks_cap, a->nsite_locks + 1, ARCHIVE_MAX_SITE_LOCKS);
    if (grc) {
        close(fd);
        free(name);
        buf_seterr(err, grc == NA_ENOMEM ? "out of memory" : "more than %d sites locked by one writer",
                   ARCHIVE_MAX_SITE_LOCKS);
        return grc;
    }
    a->site_locks[a->nsite_locks].site = name;
    a->site_locks[a->nsite_locks].fd = fd;
    a->nsite_locks++;
    return 0;
}

static int make_dir(const char *path, struct buf *err)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    buf_seterr(err, "'%s': cannot create: %s", path, strerror(errno));
    return errno == ENOSPC ? NA_EDISKFULL : NA_EIO;
}

int archive_open(const char *dir, const struct archive_opts *opts, struct archive **out, struct buf *err)
{
    static const struct archive_opts defaults;
    if (!opts)
        opts = &defaults;
    *out = NULL;
    struct archive *a = na_calloc(1, sizeof *a);
    struct buf p = BUF_INIT;
    int rc = NA_ENOMEM;
    if (!a)
        goto nomem;
    a->lock_fd = -1;
    a->readonly = opts->readonly;
    pthread_mutex_init(&a->mu, NULL);
    if (!(a->dir = na_strdup(dir)))
        goto nomem;
    if (buf_printf(&p, "%s/warc", dir) || !(a->warc_dir = buf_detach(&p, NULL)))
        goto nomem;
    if (buf_printf(&p, "%s/index.sqlite", dir))
        goto nomem;
    if (a->readonly) {
        rc = index_open(p.data, INDEX_READONLY, &a->ix, err);
        if (rc == NA_ENOTFOUND)
            buf_seterr(err, "no archive at '%s' (no index.sqlite)", dir);
        if (rc)
            goto fail;
    } else {
        if ((rc = make_dir(dir, err)) || (rc = make_dir(a->warc_dir, err)))
            goto fail;
        if ((rc = archive_lock_mode(dir, opts->exclusive, &a->lock_fd, err)))
            goto fail;
        if ((rc = index_open(p.data, INDEX_CREATE, &a->ix, err)))
            goto fail;
        struct warc_writer_opts wo = {
            .dir = a->warc_dir, .max_size = opts->warc_max_size, .host_label = opts->host_label,
            .software = opts->software ? opts->software : NEWSARC_SOFTWARE,
            .config_digest = opts->config_digest, .config_name = opts->config_name,
            .sync_every = -1, /* archive_add syncs before each index commit */
        };
        if ((rc = warc_writer_new(&wo, &a->w, err)))
            goto fail;
        /* Today's file of this writer, when one is free, is continued: it
         * is held (flock) before recovery, which cuts its torn tail. */
        if ((rc = warc_writer_claim(a->w, err)) < 0)
            goto fail;
        if ((rc = recover_archive(a->ix, a->warc_dir, warc_writer_file(a->w), opts->quiet_recovery, err)))
            goto fail;
        if ((rc = warc_writer_refresh(a->w, err)) < 0)
            goto fail;
        if (warc_writer_file(a->w))
            snprintf(a->info_id, sizeof a->info_id, "%s", warc_writer_warcinfo_id(a->w));
        if (!(a->enc_w = warc_encoder_new(-1)))
            goto nomem;
    }
    buf_release(&p);
    *out = a;
    return 0;
nomem:
    buf_seterr(err, "'%s': out of memory", dir);
    rc = NA_ENOMEM;
fail:
    buf_release(&p);
    archive_close(a);
    return rc;
}

void archive_close(struct archive *a)
{
    if (!a)
        return;
    if (a->batch)
        archive_commit(a);
    warc_writer_free(a->w);
    warc_encoder_free(a->enc_w);
    for (int i = 0; i < a->nenc; i++)
        warc_encoder_free(a->enc[i]);
    pthread_mutex_destroy(&a->mu);
    index_close(a->ix);
    for (size_t i = 0; i < a->nsite_locks; i++) {
        close(a->site_locks[i].fd); /* releases the flock; the file stays */
        free(a->site_locks[i].site);
    }
    free(a->site_locks);
    if (a->lock_fd >= 0)
        close(a->lock_fd); /* releases the flock */
    free(a->dir);
    free(a->warc_dir);
    free(a);
}

struct index *archive_index(struct archive *a) { return a->ix; }

const char *archive_dir(const struct archive *a) { return a->dir; }

int archive_warc_path(const struct archive *a, const char *file, struct buf *out)
{
    buf_reset(out);
    if (!file || !*file || file[0] == '.' || strchr(file, '/'))
        return NA_EINVAL;
    return buf_printf(out, "%s/%s", a->warc_dir, file);
}

/* ---- writing captures ---- */

/* ISO 639-1 → 639-3 for WARC-Identified-Content-Language (WARC 1.1 §5.19). */
static const char *lang3(const char *l)
{
    static const char *const map[][2] = {
        { "zh", "zho" }, { "en", "eng" }, { "ja", "jpn" }, { "ko", "kor" }, { "fr", "fra" },
        { "de", "deu" }, { "es", "spa" }, { "ru", "rus" }, { "pt", "por" }, { "it", "ita" },
        { "ar", "ara" }, { "vi", "vie" }, { "th", "tha" }, { "id", "ind" }, { "ms", "msa" },
        { "nl", "nld" }, { "bo", "bod" }, { "ug", "uig" }, { "mn", "mon" },
    };
    if (!l || !*l)
        return NULL;
    size_t n = strcspn(l, "-_");
    if (n == 3)
        return NULL; /* already 639-3: the caller uses it as is */
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (n == 2 && strncasecmp(l, map[i][0], 2) == 0)
            return map[i][1];
    return NULL;
}

static int lang_field(const char *lang, char out[8])
{
    const char *m = lang3(lang);
    if (m) {
        snprintf(out, 8, "%s", m);
        return 1;
    }
    if (lang && strcspn(lang, "-_") == 3) {
        snprintf(out, 8, "%.3s", lang);
        return 1;
    }
    return 0;
}

static void json_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v ? json_string(v) : json_null());
}

/* The metadata record's JSON (docs/archive-format.md lists the keys). */
static char *metadata_json(const char *url, const char *site, const struct archive_text *art, time_t fetched,
                           time_t extracted, const char *text_digest, size_t text_len, const char *conv_id,
                           const char *resp_id)
{
    char f[21], e[21];
    warc_format_date(fetched, f);
    warc_format_date(extracted, e);
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_str(o, "url", url);
    json_str(o, "site", site);
#define JSON_FIELD(name) json_str(o, #name, art->name);
    ARTICLE_FIELDS(JSON_FIELD)
#undef JSON_FIELD
    json_str(o, "fetched", f);
    json_str(o, "extracted", e);
    json_str(o, "extractor", art->extractor);
    json_str(o, "text_digest", text_digest);
    json_object_set_new(o, "text_length", json_integer((json_int_t)text_len));
    json_str(o, "conversion_id", conv_id);
    json_str(o, "response_id", resp_id);
    char *s = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    return s;
}

/* The conversion (clean text) and metadata (JSON) records of art, as
 * warc_record_spec pairs; *json is malloc'd for the caller to free. */
struct extraction_specs {
    struct warc_field cf[2], mf[1];
    struct slice tpart, mpart;
    struct warc_record_spec cs, ms;
    char conv_id[WARC_ID_LEN + 1], lang[8];
    char *json;
};

static int extraction_specs(struct extraction_specs *x, const char *url, const char *site, const char *resp_id,
                            time_t fetched, const struct archive_text *art, time_t now, char *text_digest,
                            struct buf *err)
{
    const char *text = art->text ? art->text : "";
    size_t tlen = strlen(text);
    memset(x, 0, sizeof *x);
    if (digest_sha1(text, tlen, text_digest)) {
        buf_seterr(err, "'%s': out of memory", url);
        return NA_ENOMEM;
    }
    int rc = warc_new_id(x->conv_id);
    if (rc) {
        buf_seterr(err, "'%s': no random bytes for a record id", url);
        return rc;
    }
    size_t ncf = 0;
    x->cf[ncf++] = (struct warc_field){ "WARC-Refers-To", resp_id };
    if (lang_field(art->lang, x->lang))
        x->cf[ncf++] = (struct warc_field){ "WARC-Identified-Content-Language", x->lang };
    x->tpart = (struct slice){ text, tlen };
    x->cs = (struct warc_record_spec){
        .type = WARC_TYPE_CONVERSION, .record_id = x->conv_id, .date = now, .target_uri = url,
        .content_type = WARC_CT_TEXT, .payload_digest = text_digest, .block_digest = text_digest,
        .fields = x->cf, .nfields = ncf,
        .parts = &x->tpart, .nparts = 1,
    };
    x->json = metadata_json(url, site, art, fetched, now, text_digest, tlen, x->conv_id, resp_id);
    if (!x->json) {
        buf_seterr(err, "'%s': out of memory", url);
        return NA_ENOMEM;
    }
    x->mf[0] = (struct warc_field){ "WARC-Refers-To", resp_id };
    x->mpart = (struct slice){ x->json, strlen(x->json) };
    x->ms = (struct warc_record_spec){
        .type = WARC_TYPE_METADATA, .date = now, .target_uri = url, .content_type = WARC_CT_JSON,
        .fields = x->mf, .nfields = 1, .parts = &x->mpart, .nparts = 1,
    };
    return 0;
}

/* Appends conversion + metadata for art to the open writer group. */
static int add_extraction_records(struct archive *a, const char *url, const char *site, const char *resp_id,
                                  time_t fetched, const struct archive_text *art, time_t now,
                                  struct warc_loc *conv, struct warc_loc *meta, char *text_digest,
                                  struct buf *err)
{
    struct extraction_specs x;
    int rc = extraction_specs(&x, url, site, resp_id, fetched, art, now, text_digest, err);
    if (!rc)
        rc = warc_writer_add(a->w, &x.cs, conv, err);
    if (!rc)
        rc = warc_writer_add(a->w, &x.ms, meta, err);
    free(x.json);
    return rc;
}
static struct index_loc_in to_loc(const struct warc_loc *l)
{
    struct index_loc_in r = { l->file, l->offset, l->length };
    return r;
}

static void fill_article_row(struct index_article_in *row, const char *url, const char *site,
                             const struct archive_text *art, int64_t capture_id, time_t fetched, time_t now,
                             const char *text_digest, const struct warc_loc *conv, const struct warc_loc *meta)
{
    memset(row, 0, sizeof *row);
    row->url = url;
    row->site = site;
#define COPY_FIELD(name) row->name = art->name;
    ARTICLE_FIELDS(COPY_FIELD)
#undef COPY_FIELD
    row->text_digest = text_digest;
    row->text_len = art->text ? strlen(art->text) : 0;
    row->capture_id = capture_id;
    row->fetched = fetched;
    row->extracted = now;
    row->extractor_version = art->extractor;
    row->conversion_id = conv->id;
    row->conversion = to_loc(conv);
    row->metadata = to_loc(meta);
    row->text = art->text; /* search index and near-duplicates */
}

/* *out = a copy of given, else of header name in the capture's response
 * head, else NULL. Returns 0 or NA_ENOMEM. */
static int head_value(const struct capture *c, const char *name, const char *given, char **out)
{
    *out = NULL;
    if (given)
        return (*out = na_strdup(given)) ? 0 : NA_ENOMEM;
    struct warc_http h;
    struct buf v = BUF_INIT;
    if (warc_http_parse(c->response_head, c->response_head_len, &h) != 0)
        return 0;
    int rc = warc_http_header(&h, name, &v);
    if (rc == 1)
        *out = buf_detach(&v, NULL);
    buf_release(&v);
    if (rc < 0 || (rc == 1 && !*out))
        return NA_ENOMEM;
    return 0;
}

/* Writes the group to the file and makes it durable unless a batch defers
 * the sync to archive_commit. */
static int write_group(struct archive *a, struct buf *err)
{
    int rc = warc_writer_commit(a->w, err);
    if (!rc && !a->batch)
        rc = warc_writer_sync(a->w, err);
    return rc;
}

/* Encoders for archive_prepare, kept for reuse (a libdeflate compressor at
 * levels 1..9 is a ~650 KB allocation). */
static struct warc_encoder *enc_take(struct archive *a)
{
    struct warc_encoder *e = NULL;
    pthread_mutex_lock(&a->mu);
    if (a->nenc)
        e = a->enc[--a->nenc];
    pthread_mutex_unlock(&a->mu);
    return e ? e : warc_encoder_new(-1);
}

static void enc_give(struct archive *a, struct warc_encoder *e)
{
    pthread_mutex_lock(&a->mu);
    if (a->nenc < ARCHIVE_MAX_ENCODERS) {
        a->enc[a->nenc++] = e;
        e = NULL;
    }
    pthread_mutex_unlock(&a->mu);
    warc_encoder_free(e);
}

/* 1 when the response's body carries a content coding (gzip …): its bytes
 * are already compressed, so the record stores them. */
static int content_coded(const struct capture *c)
{
    char *ce = NULL;
    if (head_value(c, "Content-Encoding", NULL, &ce) || !ce)
        return 0;
    int coded = *ce && strcasecmp(ce, "identity") != 0;
    free(ce);
    return coded;
}

enum { P_REQ, P_RESP, P_CONV, P_META, P_N };

struct archive_prep {
    const struct capture *c;   /* borrowed, as given to archive_prepare */
    const struct archive_text *art;
    int is304;
    char resp_id[WARC_ID_LEN + 1];
    char pdig[DIGEST_SHA1_LEN + 1], tdig[DIGEST_SHA1_LEN + 1];
    char *etag, *lm;
    time_t now;                /* date of the conversion and metadata records */
    char info_id[WARC_ID_LEN + 1]; /* the warcinfo the members name ("" = none encoded) */
    struct buf bytes;          /* the encoded members, back to back */
    size_t off[P_N], len[P_N]; /* len 0: not encoded */
    char id[P_N][WARC_ID_LEN + 1];
};

void archive_prep_free(struct archive_prep *p)
{
    if (!p)
        return;
    free(p->etag);
    free(p->lm);
    buf_release(&p->bytes);
    free(p);
}

/* The request record (always), then, unless a 304, the response as a full
 * response, then conversion + metadata for art; named after info_id. */
static int prep_encode(struct archive_prep *p, struct warc_encoder *e, const char *info_id, struct buf *err)
{
    const struct capture *c = p->c;
    int rc = 0;
    buf_reset(&p->bytes);
    memset(p->len, 0, sizeof p->len);
    snprintf(p->info_id, sizeof p->info_id, "%s", info_id);
    if (c->request && c->request_len) {
        struct warc_field f[2] = { { "WARC-Concurrent-To", p->resp_id } };
        size_t nrf = 1;
        if (c->protocol && *c->protocol)
            f[nrf++] = (struct warc_field){ "WARC-Protocol", c->protocol };
        struct slice part = { c->request, c->request_len };
        struct warc_record_spec s = {
            .type = WARC_TYPE_REQUEST, .date = c->fetched, .target_uri = c->url,
            .content_type = WARC_CT_REQUEST, .fields = f, .nfields = nrf, .parts = &part, .nparts = 1,
        };
        p->off[P_REQ] = p->bytes.len;
        if ((rc = warc_encoder_encode(e, &s, info_id, &p->bytes, p->id[P_REQ], err)))
            return rc;
        p->len[P_REQ] = p->bytes.len - p->off[P_REQ];
    }
    if (p->is304)
        return 0;
    struct warc_field f[7];
    size_t nf = 0;
    if (c->ip && *c->ip)
        f[nf++] = (struct warc_field){ "WARC-IP-Address", c->ip };
    if (c->protocol && *c->protocol)
        f[nf++] = (struct warc_field){ "WARC-Protocol", c->protocol };
    if (c->truncated && *c->truncated)
        f[nf++] = (struct warc_field){ "WARC-Truncated", c->truncated };
    if (c->site && *c->site)
        f[nf++] = (struct warc_field){ WARC_FIELD_SITE, c->site };
    if (c->tls_verify && *c->tls_verify)
        f[nf++] = (struct warc_field){ "Newsarc-TLS-Verify", c->tls_verify };
    f[nf++] = (struct warc_field){ WARC_FIELD_KIND, archive_kind_name(c->kind) };
    struct slice parts[2] = { { c->response_head, c->response_head_len }, { c->body ? c->body : "", c->body_len } };
    struct warc_record_spec rs = {
        .type = WARC_TYPE_RESPONSE, .record_id = p->resp_id, .date = c->fetched, .target_uri = c->url,
        .content_type = WARC_CT_RESPONSE, .payload_digest = p->pdig, .fields = f, .nfields = nf,
        .parts = parts, .nparts = 2, .stored = content_coded(c),
    };
    /* a body the server did not compress: the denser level (it is most of the record) */
    rs.level = rs.stored ? 0 : WARC_BODY_LEVEL;
    p->off[P_RESP] = p->bytes.len;
    if ((rc = warc_encoder_encode(e, &rs, info_id, &p->bytes, p->id[P_RESP], err)))
        return rc;
    p->len[P_RESP] = p->bytes.len - p->off[P_RESP];
    if (!p->art)
        return 0;
    struct extraction_specs x;
    rc = extraction_specs(&x, c->url, c->site, p->resp_id, c->fetched, p->art, p->now, p->tdig, err);
    if (!rc) {
        p->off[P_CONV] = p->bytes.len;
        rc = warc_encoder_encode(e, &x.cs, info_id, &p->bytes, p->id[P_CONV], err);
        p->len[P_CONV] = rc ? 0 : p->bytes.len - p->off[P_CONV];
    }
    if (!rc) {
        p->off[P_META] = p->bytes.len;
        rc = warc_encoder_encode(e, &x.ms, info_id, &p->bytes, p->id[P_META], err);
        p->len[P_META] = rc ? 0 : p->bytes.len - p->off[P_META];
    }
    free(x.json);
    return rc;
}

int archive_prepare(struct archive *a, const struct capture *c, const struct archive_text *art,
                    struct archive_prep **out, struct buf *err)
{
    *out = NULL;
    if (!a || a->readonly || !a->w) {
        buf_seterr(err, "archive is open read-only");
        return NA_EINVAL;
    }
    if (!c || !c->url || !*c->url || !c->response_head || !c->response_head_len) {
        buf_seterr(err, "capture without a URL or response head");
        return NA_EINVAL;
    }
    struct archive_prep *p = na_calloc(1, sizeof *p);
    if (!p) {
        buf_seterr(err, "'%s': out of memory", c->url);
        return NA_ENOMEM;
    }
    p->c = c;
    p->art = art;
    p->is304 = c->status == 304;
    p->now = time(NULL);
    buf_init(&p->bytes, 0);
    /* One allocation for all members: the stored response, and a guess for the rest. */
    buf_grow(&p->bytes, c->request_len + c->response_head_len + c->body_len + 4096 +
                            (art && art->text ? strlen(art->text) / 2 : 0));
    p->bytes.err = 0; /* a failed guess is no error: encoding grows it as needed */
    int rc = 0;
    if (!p->is304) {
        /* WARC-Payload-Digest: transfer coding removed, content coding kept. */
        const char *pb = c->body ? c->body : "";
        size_t pn = c->body_len;
        struct buf dechunked = BUF_INIT;
        if (http_head_is_chunked(c->response_head, c->response_head_len)) {
            /* a cut transfer ends mid-chunk: digest what the framing holds */
            buf_grow(&dechunked, pn);
            dechunked.err = 0;
            int hrc = http_dechunk(pb, pn, &dechunked, NULL);
            if (hrc == 0 || hrc == NA_EPARSE) {
                pb = buf_str(&dechunked);
                pn = dechunked.len;
            }
        }
        int drc = digest_sha1(pb, pn, p->pdig);
        buf_release(&dechunked);
        if (drc) {
            buf_seterr(err, "'%s': out of memory", c->url);
            rc = NA_ENOMEM;
            goto fail;
        }
    }
    if ((rc = warc_new_id(p->resp_id))) {
        buf_seterr(err, "'%s': no random bytes for a record id", c->url);
        goto fail;
    }
    /* Validators: as given, else from the head (what reindex finds too). */
    if ((rc = head_value(c, "ETag", c->etag, &p->etag)) || (rc = head_value(c, "Last-Modified", c->last_modified, &p->lm))) {
        buf_seterr(err, "'%s': out of memory", c->url);
        goto fail;
    }
    /* Encoded for the file being written now; archive_add_prepared encodes
     * again in the rare case the writer has moved to a new file since. */
    char info_id[WARC_ID_LEN + 1];
    pthread_mutex_lock(&a->mu);
    memcpy(info_id, a->info_id, sizeof info_id);
    pthread_mutex_unlock(&a->mu);
    if (info_id[0]) {
        struct warc_encoder *e = enc_take(a);
        if (!e) {
            buf_seterr(err, "'%s': out of memory", c->url);
            rc = NA_ENOMEM;
            goto fail;
        }
        rc = prep_encode(p, e, info_id, err);
        enc_give(a, e);
        if (rc)
            goto fail;
    }
    *out = p;
    return 0;
fail:
    archive_prep_free(p);
    return rc;
}

/* Appends prepared member k to the open group. */
static int add_member(struct archive *a, const struct archive_prep *p, int k, struct warc_loc *loc,
                      struct buf *err)
{
    return warc_writer_add_encoded(a->w, p->bytes.data + p->off[k], p->len[k], p->id[k], loc, err);
}

/* Appends the revisit record of p (a 304, or identical to orig's payload;
 * orig NULL when the original is unknown) to the open group. */
static int add_revisit(struct archive *a, const struct archive_prep *p, const struct index_capture *orig,
                       int identical, struct warc_loc *loc, struct buf *err)
{
    const struct capture *c = p->c;
    char odate[21];
    struct warc_field f[10];
    size_t nf = 0;
    f[nf++] = (struct warc_field){ "WARC-Profile", p->is304 ? WARC_PROFILE_NOT_MODIFIED : WARC_PROFILE_IDENTICAL };
    f[nf++] = (struct warc_field){ "WARC-Refers-To-Target-URI", c->url };
    if (orig) {
        warc_format_date(orig->fetched, odate);
        f[nf++] = (struct warc_field){ "WARC-Refers-To-Date", odate };
        f[nf++] = (struct warc_field){ "WARC-Refers-To", orig->record_id };
    }
    if (c->ip && *c->ip)
        f[nf++] = (struct warc_field){ "WARC-IP-Address", c->ip };
    if (c->protocol && *c->protocol)
        f[nf++] = (struct warc_field){ "WARC-Protocol", c->protocol };
    if (c->truncated && *c->truncated)
        f[nf++] = (struct warc_field){ "WARC-Truncated", c->truncated };
    if (c->site && *c->site)
        f[nf++] = (struct warc_field){ WARC_FIELD_SITE, c->site };
    if (c->tls_verify && *c->tls_verify)
        f[nf++] = (struct warc_field){ "Newsarc-TLS-Verify", c->tls_verify };
    f[nf++] = (struct warc_field){ WARC_FIELD_KIND, archive_kind_name(c->kind) };
    struct slice parts[2] = { { c->response_head, c->response_head_len }, { c->body ? c->body : "", c->body_len } };
    struct warc_record_spec rs = {
        .type = WARC_TYPE_REVISIT, .record_id = p->resp_id, .date = c->fetched,
        .target_uri = c->url, .content_type = WARC_CT_RESPONSE,
        .payload_digest = p->is304 ? NULL : p->pdig, .fields = f, .nfields = nf, .parts = parts,
        /* An identical-payload revisit keeps the head only (WARC 1.1 §6.7.2). */
        .nparts = identical ? 1 : 2,
    };
    return warc_writer_add(a->w, &rs, loc, err);
}

int archive_add_prepared(struct archive *a, struct archive_prep *p, struct buf *err)
{
    if (!a || a->readonly || !a->w || !p) {
        buf_seterr(err, "archive is open read-only");
        return NA_EINVAL;
    }
    if (!a->failed && index_transaction_lost(a->ix))
        a->failed = NA_EDB; /* rolled back by SQLite after an error elsewhere (see undo below) */
    if (a->failed) {
        buf_seterr(err, "an earlier index commit failed (%s): nothing more is written until the archive is "
                   "opened again", na_strerror(a->failed));
        return a->failed;
    }
    const struct capture *c = p->c;
    const struct archive_text *art = p->art;
    int rc = 0;
    struct index_capture orig;
    int have_orig = 0;
    memset(&orig, 0, sizeof orig);
    int is304 = p->is304;

    /* A revisit refers to the newest full response of the URL; the payload
     * is identical when that response's digest and status match. Decided
     * here, on the writer's side, so that two captures of one URL prepared
     * at once still see each other. */
    if ((have_orig = index_capture_get(a->ix, c->url, 1, &orig, err)) < 0)
        return have_orig;
    int identical = !is304 && have_orig && orig.payload_digest && strcmp(orig.payload_digest, p->pdig) == 0 &&
                    orig.status == c->status;
    /* A revisit carries no text: when the archive has no extracted text for
     * the URL yet (a kill cut the group after its response record, and
     * recovery indexed the response alone), the text must be archived now,
     * with its response, or the article would stay without text for good. */
    if (identical && art && art->text && art->text[0]) {
        int has = index_has_article(a->ix, c->url);
        if (has < 0) {
            index_capture_release(&orig);
            buf_seterr(err, "index: cannot look up '%s'", c->url);
            return has;
        }
        identical = has;
    }
    int revisit = is304 || identical;

    uint64_t expect = c->request_len + c->response_head_len + c->body_len + 8192;
    if (art && art->text)
        expect += strlen(art->text);
    if ((rc = warc_writer_begin(a->w, expect, err)))
        goto out;
    const char *cur_info = warc_writer_warcinfo_id(a->w);
    if (strcmp(cur_info, a->info_id) != 0) {
        pthread_mutex_lock(&a->mu);
        snprintf(a->info_id, sizeof a->info_id, "%s", cur_info);
        pthread_mutex_unlock(&a->mu);
    }
    if (strcmp(p->info_id, cur_info) != 0 && (rc = prep_encode(p, a->enc_w, cur_info, err)))
        goto rollback;
    struct warc_loc lreq = { 0 }, lresp = { 0 }, lconv = { 0 }, lmeta = { 0 };
    if (p->len[P_REQ] && (rc = add_member(a, p, P_REQ, &lreq, err)))
        goto rollback;
    if (revisit) {
        if ((rc = add_revisit(a, p, have_orig ? &orig : NULL, identical, &lresp, err)))
            goto rollback;
    } else if ((rc = add_member(a, p, P_RESP, &lresp, err))) {
        goto rollback;
    }
    int with_text = art && !revisit;
    if (with_text && ((rc = add_member(a, p, P_CONV, &lconv, err)) || (rc = add_member(a, p, P_META, &lmeta, err))))
        goto rollback;
    const char *file = warc_writer_file(a->w);
    if ((rc = write_group(a, err)))
        goto out; /* the writer dropped the group itself */

    /* The index rows, all or nothing (a savepoint inside a batch). */
    struct index_capture_in row;
    memset(&row, 0, sizeof row);
    row.url = c->url;
    row.site = c->site;
    row.kind = c->kind;
    row.fetched = c->fetched;
    row.status = c->status;
    row.etag = p->etag;
    row.last_modified = p->lm;
    row.payload_digest = is304 ? (have_orig ? orig.payload_digest : NULL) : p->pdig;
    row.ip = c->ip;
    row.revisit = revisit;
    row.profile = revisit ? (is304 ? WARC_PROFILE_NOT_MODIFIED : WARC_PROFILE_IDENTICAL) : NULL;
    row.record_id = p->resp_id;
    row.refers_to = revisit && have_orig ? orig.id : 0;
    if (lreq.file)
        row.request = to_loc(&lreq);
    row.response = to_loc(&lresp);
    if (with_text) {
        row.conversion = to_loc(&lconv);
        row.metadata = to_loc(&lmeta);
    }
    int64_t cap_id = 0;
    if ((rc = index_savepoint(a->ix, err)))
        goto undo;
    rc = index_add_capture(a->ix, &row, &cap_id, err);
    if (!rc && with_text) {
        struct index_article_in arow;
        fill_article_row(&arow, c->url, c->site, art, cap_id, c->fetched, p->now, p->tdig, &lconv, &lmeta);
        rc = index_add_article(a->ix, &arow, NULL, err);
    }
    if (!rc)
        rc = index_set_file_end(a->ix, file, warc_writer_size(a->w), err);
    if (rc) {
        index_rollback_savepoint(a->ix);
        goto undo;
    }
    if ((rc = index_release(a->ix, err)))
        goto undo;
    goto out;
undo:
    /* The index said no: take the records back out of the WARC file. */
    warc_writer_rollback(a->w, NULL);
    /* A full disk can make SQLite roll the whole group back by itself:
     * the records of the group's earlier captures are in the file without
     * their rows, and a later statement would commit on its own, recording
     * the file as indexed past them. Nothing more is written (archive_commit
     * explains); the next writer's recovery indexes them. */
    if (index_transaction_lost(a->ix))
        a->failed = rc;
    goto out;
rollback:
    warc_writer_rollback(a->w, NULL);
out:
    if (have_orig > 0)
        index_capture_release(&orig);
    return rc;
}

int archive_add(struct archive *a, const struct capture *c, const struct archive_text *art, struct buf *err)
{
    struct archive_prep *p;
    int rc = archive_prepare(a, c, art, &p, err);
    if (rc)
        return rc;
    rc = archive_add_prepared(a, p, err);
    archive_prep_free(p);
    return rc;
}

int archive_add_extraction(struct archive *a, const struct index_capture *cap, const struct archive_text *art,
                           struct buf *err)
{
    if (!a || a->readonly || !a->w) {
        buf_seterr(err, "archive is open read-only");
        return NA_EINVAL;
    }
    if (a->failed) {
        buf_seterr(err, "an earlier index commit failed (%s): nothing more is written until the archive is "
                   "opened again", na_strerror(a->failed));
        return a->failed;
    }
    if (!cap || !cap->url || !cap->record_id || !art) {
        buf_seterr(err, "extraction without a capture or article");
        return NA_EINVAL;
    }
    size_t tlen = art->text ? strlen(art->text) : 0;
    int rc = warc_writer_begin(a->w, tlen + 8192, err);
    if (rc)
        return rc;
    struct warc_loc lconv = { 0 }, lmeta = { 0 };
    char tdig[DIGEST_SHA1_LEN + 1];
    time_t now = time(NULL);
    if ((rc = add_extraction_records(a, cap->url, cap->site, cap->record_id, cap->fetched, art, now, &lconv,
                                     &lmeta, tdig, err))) {
        warc_writer_rollback(a->w, NULL);
        return rc;
    }
    const char *file = warc_writer_file(a->w);
    if ((rc = write_group(a, err)))
        return rc;
    struct index_article_in arow;
    fill_article_row(&arow, cap->url, cap->site, art, cap->id, cap->fetched, now, tdig, &lconv, &lmeta);
    if ((rc = index_savepoint(a->ix, err)))
        goto undo;
    rc = index_add_article(a->ix, &arow, NULL, err);
    if (!rc && !cap->conversion.file) {
        struct index_loc_in lc = to_loc(&lconv), lm = to_loc(&lmeta);
        rc = index_set_capture_extraction(a->ix, cap->id, &lc, &lm, err);
    }
    if (!rc)
        rc = index_set_file_end(a->ix, file, warc_writer_size(a->w), err);
    if (rc) {
        index_rollback_savepoint(a->ix);
        goto undo;
    }
    if ((rc = index_release(a->ix, err)))
        goto undo;
    return 0;
undo:
    warc_writer_rollback(a->w, NULL);
    return rc;
}

int archive_begin(struct archive *a)
{
    if (!a || a->readonly)
        return NA_EINVAL;
    if (a->failed)
        return a->failed;
    if (a->batch)
        return 0;
    int rc = index_begin(a->ix, NULL);
    if (!rc)
        a->batch = 1;
    return rc;
}

int archive_sync_commits(struct archive *a, int on)
{
    if (!a || a->readonly || a->batch)
        return NA_EINVAL;
    return index_sync_commits(a->ix, on, NULL);
}

int archive_contended(struct archive *a) { return a && !a->readonly && a->batch && index_contended(a->ix); }

int archive_commit(struct archive *a)
{
    if (!a || a->readonly)
        return NA_EINVAL;
    if (!a->batch)
        return 0;
    a->batch = 0;
    /* The WARC bytes first, then the rows that point at them. */
    int rc = warc_writer_sync(a->w, NULL);
    if (!rc)
        rc = index_commit(a->ix, NULL);
    if (rc) {
        /* The group's records stay in the WARC file without their rows.
         * Nothing more is written by this process: a later commit would
         * record the file as indexed past them, and they would be lost to
         * recovery, which indexes whole records past the indexed end when
         * the next writer opens the archive. */
        if (index_in_transaction(a->ix))
            index_rollback(a->ix);
        a->failed = rc;
    }
    return rc;
}

/* ---- what the crawler needs ---- */

int archive_has_article(struct archive *a, const char *url) { return index_has_article(a->ix, url) > 0; }

int archive_has_capture(struct archive *a, const char *url) { return index_has_capture(a->ix, url) > 0; }

int archive_validators(struct archive *a, const char *url, char **etag, char **last_modified)
{
    int rc = index_validators(a->ix, url, etag, last_modified);
    return rc > 0 ? 1 : 0;
}

struct ok_loc {
    char *file;
    uint64_t offset;
};

static int ok_loc_cb(void *ud, const struct index_capture *c)
{
    struct ok_loc *l = ud;
    if (!c->response.file)
        return 0;
    if (!(l->file = na_strdup(c->response.file)))
        return NA_ENOMEM;
    l->offset = c->response.offset;
    return 1;
}

int archive_last_ok_body(struct archive *a, const char *url, size_t max, struct buf *content_type,
                         struct buf *body, struct buf *err)
{
    struct index_query q;
    memset(&q, 0, sizeof q);
    q.url = url;
    q.status = 200;
    q.responses_only = 1;
    q.order = INDEX_ORDER_DATE_DESC;
    q.limit = 1;
    struct ok_loc l = { NULL, 0 };
    int rc = index_captures(a->ix, &q, ok_loc_cb, &l, err);
    if (rc <= 0) /* 0: none */
        return rc;
    if (!l.file)
        return rc < 0 ? rc : 0;
    struct buf path = BUF_INIT;
    struct warc_reader *owner = NULL;
    struct warc_record rec;
    struct warc_http h;
    rc = archive_warc_path(a, l.file, &path);
    if (!rc)
        rc = warc_read_at(buf_str(&path), l.offset, 0, 0, &owner, &rec, err);
    if (rc == 0) {
        buf_seterr(err, "'%s': no record at offset %llu", l.file, (unsigned long long)l.offset);
        rc = NA_ECORRUPT;
    } else if (rc == 1 && (rec.type != WARC_TYPE_RESPONSE || warc_http_parse(rec.block, rec.block_len, &h))) {
        buf_seterr(err, "'%s':%llu: not an HTTP response record", l.file, (unsigned long long)l.offset);
        rc = NA_ECORRUPT;
    } else if (rc == 1) {
        rc = warc_http_header(&h, "Content-Type", content_type);
        if (rc >= 0)
            rc = warc_http_decode_body(&h, max, body, err);
        if (!rc)
            rc = 1;
    }
    warc_reader_free(owner);
    buf_release(&path);
    free(l.file);
    return rc;
}

int archive_frontier_add(struct archive *a, const char *site, const char *url, const char *referrer,
                         enum capture_kind kind, int depth)
{
    if (a->readonly)
        return NA_EINVAL;
    return index_frontier_add(a->ix, site, url, referrer, (int)kind, depth);
}

int archive_frontier_list(struct archive *a, const char *site, size_t max, int mode,
                          struct frontier_item **items, size_t *n)
{
    return index_frontier_pending(a->ix, site, max, mode, time(NULL), items, n);
}

int archive_frontier_pending(struct archive *a, const char *site, size_t max, struct frontier_item **items,
                             size_t *n)
{
    return archive_frontier_list(a, site, max, ARCHIVE_FR_DUE, items, n);
}

void archive_frontier_items_free(struct frontier_item *items, size_t n) { index_frontier_items_free(items, n); }

int archive_frontier_done(struct archive *a, const char *url)
{
    if (a->readonly)
        return NA_EINVAL;
    return index_frontier_finish(a->ix, url);
}

int archive_frontier_fail(struct archive *a, const char *url, const char *reason, int status, const long *delays,
                          size_t ndelays, time_t now)
{
    if (a->readonly)
        return NA_EINVAL;
    return index_frontier_fail(a->ix, url, reason, status, delays, ndelays, now);
}

int archive_state_set(struct archive *a, const char *site, const char *key, const char *value)
{
    if (a->readonly)
        return NA_EINVAL;
    return index_state_set(a->ix, site, key, value);
}

char *archive_state_get(struct archive *a, const char *site, const char *key)
{
    return index_state_get(a->ix, site, key);
}

/* ---- maintenance ---- */

int archive_reindex(const char *dir, struct archive_reindex_stats *st, struct buf *err)
{
    int fd;
    int rc = archive_lock(dir, &fd, err);
    if (rc)
        return rc;
    rc = recover_reindex(dir, st, err);
    close(fd);
    return rc;
}

int archive_verify(const char *dir, void (*fault)(void *ud, const char *file, uint64_t offset, const char *msg),
                   void *ud, struct archive_verify_stats *st, struct buf *err)
{
    return recover_verify(dir, fault, ud, st, err);
}
