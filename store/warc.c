/* warc.c — WARC 1.1 records as one gzip member each (WARC 1.1 annex D.2):
 * the encoder, the appending writer (rotation, group commit, rollback by
 * truncation), the streaming reader and the HTTP-message helpers. The only
 * store file that sees zlib (reading) and libdeflate (writing). A record is written with one write() per group after
 * it is complete in memory, so a crash can only leave a torn member at the
 * very end of a file, which the reader reports as truncated. */
#include "store/warc.h"
#include "util/http.h"
#include "store/digest.h"
#include "util/err.h"
#include "util/mem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#define ZLIB_CONST /* next_in is const: the input is never written */
#include <zlib.h>

#define WARC_MAX_DAY_FILES 100000 /* files of one day looked at for continuing */

#define WARC_MAX_FIELDS 64 /* fields of a record the writer writes */
/* fields of a record head the reader parses: each takes 3 bytes or more of
 * fstore, capped at 2 * WARC_MAX_HEADER_BYTES, so NA_GROW's cap is never met
 * (were it, the head would be refused as too large) */
#define WARC_READ_MAX_FIELDS (2 * WARC_MAX_HEADER_BYTES / 3 + 1)
#define DEFAULT_MAX_SIZE ((uint64_t)1 << 30)

static const char *const type_names[] = {
    [WARC_TYPE_UNKNOWN] = "unknown",       [WARC_TYPE_WARCINFO] = "warcinfo",
    [WARC_TYPE_RESPONSE] = "response",     [WARC_TYPE_RESOURCE] = "resource",
    [WARC_TYPE_REQUEST] = "request",       [WARC_TYPE_METADATA] = "metadata",
    [WARC_TYPE_REVISIT] = "revisit",       [WARC_TYPE_CONVERSION] = "conversion",
    [WARC_TYPE_CONTINUATION] = "continuation",
};

const char *warc_type_name(enum warc_type t)
{
    if ((unsigned)t >= sizeof type_names / sizeof type_names[0])
        return "unknown";
    return type_names[t];
}

enum warc_type warc_type_parse(const char *s)
{
    if (!s)
        return WARC_TYPE_UNKNOWN;
    for (size_t i = 1; i < sizeof type_names / sizeof type_names[0]; i++)
        if (strcasecmp(s, type_names[i]) == 0)
            return (enum warc_type)i;
    return WARC_TYPE_UNKNOWN;
}

/* Random bytes for record ids: a per-thread pool filled by getrandom() 256
 * bytes at a time (16 ids per system call instead of a RAND_bytes call, and
 * its getpid(), per id). A fork empties every pool in the child (its only
 * thread's included), so parent and child never hand out the same bytes. */
#define ID_POOL 256
static _Thread_local unsigned char id_pool[ID_POOL];
static _Thread_local size_t id_pool_pos = ID_POOL;
static _Thread_local unsigned id_pool_gen;
static unsigned id_gen; /* bumped in a forked child */
static pthread_once_t id_once = PTHREAD_ONCE_INIT;

static void id_forked(void) { __atomic_add_fetch(&id_gen, 1, __ATOMIC_RELAXED); }
static void id_setup(void) { pthread_atfork(NULL, NULL, id_forked); }

static int id_random(unsigned char u[16])
{
    pthread_once(&id_once, id_setup);
    unsigned gen = __atomic_load_n(&id_gen, __ATOMIC_RELAXED);
    if (id_pool_pos + 16 > ID_POOL || id_pool_gen != gen) {
        size_t got = 0;
        while (got < ID_POOL) {
            ssize_t k = getrandom(id_pool + got, ID_POOL - got, 0);
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        if (got < ID_POOL && RAND_bytes(id_pool, ID_POOL) != 1)
            return NA_EIO;
        id_pool_pos = 0;
        id_pool_gen = gen;
    }
    memcpy(u, id_pool + id_pool_pos, 16);
    memset(id_pool + id_pool_pos, 0, 16); /* used once */
    id_pool_pos += 16;
    return 0;
}

int warc_new_id(char out[WARC_ID_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char u[16];
    if (id_random(u))
        return NA_EIO;
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40); /* version 4 */
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    char *o = out;
    memcpy(o, "<urn:uuid:", 10);
    o += 10;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            *o++ = '-';
        *o++ = hex[u[i] >> 4];
        *o++ = hex[u[i] & 15];
    }
    *o++ = '>';
    *o = 0;
    return 0;
}

void warc_format_date(time_t t, char out[21])
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
        memcpy(out, "1970-01-01T00:00:00Z", 21);
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

time_t warc_parse_date(const char *s)
{
    /* YYYY-MM-DDThh:mm:ss[.fraction]Z (WARC 1.1 §5.4, W3C-ISO8601). */
    struct tm tm;
    int y, mo, d, h, mi, se;
    if (!s || strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
        s[16] != ':')
        return -1;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
        digits(s + 14, 2, &mi) || digits(s + 17, 2, &se))
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p != 'Z' || p[1])
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return timegm(&tm);
}

/* ---- encoding ---- */

static int bad_value(const char *s)
{
    return strpbrk(s, "\r\n") != NULL;
}

static int add_field(struct buf *h, const char *name, const char *value, struct buf *err)
{
    if (!*name || bad_value(name) || strchr(name, ':') || bad_value(value)) {
        buf_seterr(err, "warc field '%s': name or value holds CR/LF", name);
        return NA_EINVAL;
    }
    buf_adds(h, name);
    buf_add(h, ": ", 2);
    buf_adds(h, value);
    return buf_add(h, "\r\n", 2);
}

/* zlib allocates through our wrappers so NA_FAIL_ALLOC reaches it too. */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return na_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

/* The record compressor: libdeflate's whole-buffer gzip compressor (about
 * half zlib's CPU at the same level on news pages, the same format), one
 * compressor per level used, made when first asked. Level 0 writes stored
 * blocks, for records that are mostly already-compressed bytes. */
struct zenc {
    struct buf head;           /* the record's WARC head, reused */
    int level;                 /* the level records get unless their spec names one */
    struct libdeflate_compressor *c[10]; /* by level; c[level] made by zenc_open */
    struct buf in;             /* the record gathered in one piece (libdeflate wants one buffer) */
};

/* libdeflate allocates through our wrapper so NA_FAIL_ALLOC reaches it too. */
static void ld_setup(void) { libdeflate_set_memory_allocator(na_malloc, free); }
static pthread_once_t ld_once = PTHREAD_ONCE_INIT;

static int zenc_open(struct zenc *z, int level)
{
    memset(z, 0, sizeof *z);
    buf_init(&z->head, WARC_MAX_HEADER_BYTES);
    buf_init(&z->in, 0);
    pthread_once(&ld_once, ld_setup);
    if (level < 0 || level > 9)
        level = WARC_DEFAULT_LEVEL;
    z->level = level;
    if (!(z->c[level] = libdeflate_alloc_compressor(level)))
        return NA_ENOMEM;
    return 0;
}

static void zenc_close(struct zenc *z)
{
    for (size_t i = 0; i < sizeof z->c / sizeof z->c[0]; i++) {
        if (z->c[i])
            libdeflate_free_compressor(z->c[i]);
        z->c[i] = NULL;
    }
    buf_release(&z->in);
    buf_release(&z->head);
}

/* Appends one gzip member of head + the spec's parts + CRLFCRLF to out:
 * stored blocks (level 0) for a spec marked stored, else deflated at the
 * spec's level (1..9) or the encoder's. */
static int zenc_member(struct zenc *z, const struct buf *head, const struct warc_record_spec *spec, uint64_t blen,
                       struct buf *out)
{
    int level = spec->stored ? 0 : spec->level >= 1 && spec->level <= 9 ? spec->level : z->level;
    if (!z->c[level] && !(z->c[level] = libdeflate_alloc_compressor(level)))
        return NA_ENOMEM;
    if (head->len + blen + 4 > UINT32_MAX)
        return NA_ETOOBIG; /* gzip's ISIZE and the gather buffer */
    buf_reset(&z->in);
    int rc = buf_grow(&z->in, (size_t)(head->len + blen + 4));
    if (rc)
        return rc;
    buf_add(&z->in, head->data, head->len);
    for (size_t i = 0; i < spec->nparts; i++)
        buf_add(&z->in, spec->parts[i].p, spec->parts[i].n);
    buf_add(&z->in, "\r\n\r\n", 4);
    if (z->in.err)
        return z->in.err;
    size_t bound = libdeflate_gzip_compress_bound(z->c[level], z->in.len);
    rc = buf_grow(out, bound);
    if (!rc) {
        size_t n = libdeflate_gzip_compress(z->c[level], z->in.data, z->in.len, out->data + out->len, bound);
        if (n) {
            out->len += n;
            out->data[out->len] = 0;
        } else {
            rc = NA_EIO;
        }
    }
    if (z->in.cap > ((size_t)1 << 20))
        buf_release(&z->in); /* don't keep a rare big record's buffer */
    return rc;
}

/* Encodes one record as one gzip member appended to out. */
static int encode_with(struct zenc *z, const struct warc_record_spec *spec, struct buf *out,
                       char out_id[WARC_ID_LEN + 1], struct buf *err)
{
    size_t old_len = out->len;
    struct buf *h = &z->head; /* reused: no allocation per record */
    char id[WARC_ID_LEN + 1], date[21], bdig[DIGEST_SHA1_LEN + 1];
    int rc;

    if (spec->type == WARC_TYPE_UNKNOWN) {
        buf_seterr(err, "warc record: no type");
        return NA_EINVAL;
    }
    if (spec->record_id) {
        if (strlen(spec->record_id) > WARC_ID_LEN || bad_value(spec->record_id)) {
            buf_seterr(err, "warc record id '%s' is malformed", spec->record_id);
            return NA_EINVAL;
        }
        snprintf(id, sizeof id, "%s", spec->record_id);
    } else if ((rc = warc_new_id(id)) != 0) {
        buf_seterr(err, "warc record id: no random bytes");
        return rc;
    }
    uint64_t blen = 0;
    for (size_t i = 0; i < spec->nparts; i++)
        blen += spec->parts[i].n;
    if (spec->block_digest) {
        if (strlen(spec->block_digest) != DIGEST_SHA1_LEN || bad_value(spec->block_digest)) {
            buf_seterr(err, "warc block digest '%s' is malformed", spec->block_digest);
            return NA_EINVAL;
        }
        memcpy(bdig, spec->block_digest, sizeof bdig);
    } else if ((rc = digest_sha1_parts(spec->parts, spec->nparts, bdig)) != 0) {
        buf_seterr(err, "warc record: out of memory");
        return rc;
    }
    warc_format_date(spec->date, date);
    buf_reset(h);
    buf_adds(h, WARC_VERSION_LINE "\r\n");
    rc = add_field(h, "WARC-Type", warc_type_name(spec->type), err);
    if (!rc)
        rc = add_field(h, "WARC-Record-ID", id, err);
    if (!rc)
        rc = add_field(h, "WARC-Date", date, err);
    if (!rc && spec->target_uri)
        rc = add_field(h, "WARC-Target-URI", spec->target_uri, err);
    for (size_t i = 0; !rc && i < spec->nfields; i++)
        if (spec->fields[i].name && spec->fields[i].value)
            rc = add_field(h, spec->fields[i].name, spec->fields[i].value, err);
    if (!rc && spec->payload_digest)
        rc = add_field(h, "WARC-Payload-Digest", spec->payload_digest, err);
    if (!rc)
        rc = add_field(h, "WARC-Block-Digest", bdig, err);
    if (!rc && spec->content_type)
        rc = add_field(h, "Content-Type", spec->content_type, err);
    if (!rc)
        rc = buf_printf(h, "Content-Length: %llu\r\n\r\n", (unsigned long long)blen);
    if (rc) {
        if (rc == NA_ETOOBIG || rc == NA_ENOMEM)
            buf_seterr(err, "warc record head: %s", na_strerror(rc));
        return rc;
    }
    rc = zenc_member(z, h, spec, blen, out);
    if (rc) {
        out->err = 0;
        buf_truncate(out, old_len);
        buf_seterr(err, "warc record: %s", na_strerror(rc));
        return rc;
    }
    if (out_id)
        memcpy(out_id, id, sizeof id);
    return 0;
}

int warc_record_encode(const struct warc_record_spec *spec, int level, struct buf *out,
                       char out_id[WARC_ID_LEN + 1], struct buf *err)
{
    struct zenc z;
    int rc = zenc_open(&z, level);
    if (rc) {
        zenc_close(&z);
        buf_seterr(err, "warc record: cannot start deflate: %s", na_strerror(rc));
        return rc;
    }
    rc = encode_with(&z, spec, out, out_id, err);
    zenc_close(&z);
    return rc;
}

/* Prefixes WARC-Warcinfo-ID to the spec's fields (into fields, which holds
 * WARC_MAX_FIELDS) as every record after a file's warcinfo carries it. */
static int with_warcinfo(const struct warc_record_spec *spec, const char *info_id, struct warc_field *fields,
                         struct warc_record_spec *s, struct buf *err)
{
    if (spec->nfields + 1 > WARC_MAX_FIELDS) {
        buf_seterr(err, "warc writer: too many fields (%zu)", spec->nfields);
        return NA_EINVAL;
    }
    size_t nf = 0;
    if (info_id && spec->type != WARC_TYPE_WARCINFO)
        fields[nf++] = (struct warc_field){ "WARC-Warcinfo-ID", info_id };
    for (size_t i = 0; i < spec->nfields; i++)
        fields[nf++] = spec->fields[i];
    *s = *spec;
    s->fields = fields;
    s->nfields = nf;
    return 0;
}

struct warc_encoder {
    struct zenc z;
};

struct warc_encoder *warc_encoder_new(int level)
{
    struct warc_encoder *e = na_calloc(1, sizeof *e);
    if (e && zenc_open(&e->z, level) != 0) {
        zenc_close(&e->z);
        free(e);
        e = NULL;
    }
    return e;
}

void warc_encoder_free(struct warc_encoder *e)
{
    if (!e)
        return;
    zenc_close(&e->z);
    free(e);
}

int warc_encoder_encode(struct warc_encoder *e, const struct warc_record_spec *spec, const char *warcinfo_id,
                        struct buf *out, char out_id[WARC_ID_LEN + 1], struct buf *err)
{
    struct warc_field fields[WARC_MAX_FIELDS];
    struct warc_record_spec s;
    int rc = with_warcinfo(spec, warcinfo_id, fields, &s, err);
    if (rc)
        return rc;
    return encode_with(&e->z, &s, out, out_id, err);
}

/* ---- the writer ---- */

struct warc_writer {
    char *dir, *host, *software, *config_digest, *config_name;
    uint64_t max_size;
    int level, sync_every;
    struct zenc z;
    int fd;
    char *name;                /* current file name */
    uint64_t size;             /* bytes written to the current file */
    uint64_t info_end;         /* end of its warcinfo record */
    char info_id[WARC_ID_LEN + 1];
    struct buf group;          /* encoded records not yet written */
    uint64_t group_start;      /* file offset where the last group starts */
    int group_open;            /* begin called, commit not yet */
    int group_written;         /* the last group is in the file (rollback truncates) */
    int commits_unsynced;
    unsigned serial;
    char day[9];               /* YYYYMMDD (UTC) of the current file's name */
};

/* Keeps [A-Za-z0-9.-] of a host name for use in file names. */
static char *sanitize_host(const char *h)
{
    char tmp[64];
    size_t n = 0;
    for (; h && *h && n < sizeof tmp - 1; h++) {
        unsigned char c = (unsigned char)*h;
        tmp[n++] = (char)(isalnum(c) || c == '.' || c == '-' ? c : '_');
    }
    tmp[n] = 0;
    return na_strdup(n ? tmp : "localhost");
}

int warc_writer_new(const struct warc_writer_opts *opts, struct warc_writer **out, struct buf *err)
{
    *out = NULL;
    if (!opts || !opts->dir) {
        buf_seterr(err, "warc writer: no directory");
        return NA_EINVAL;
    }
    struct warc_writer *w = na_calloc(1, sizeof *w);
    if (!w)
        goto nomem;
    w->fd = -1;
    buf_init(&w->group, 0);
    char hostbuf[256];
    const char *host = opts->host_label;
    if (!host) {
        if (gethostname(hostbuf, sizeof hostbuf) != 0)
            snprintf(hostbuf, sizeof hostbuf, "localhost");
        hostbuf[sizeof hostbuf - 1] = 0;
        host = hostbuf;
    }
    w->dir = na_strdup(opts->dir);
    w->host = sanitize_host(host);
    w->software = na_strdup(opts->software ? opts->software : "newsarc");
    if (!w->dir || !w->host || !w->software)
        goto nomem;
    if (opts->config_digest && !(w->config_digest = na_strdup(opts->config_digest)))
        goto nomem;
    if (opts->config_name && !(w->config_name = na_strdup(opts->config_name)))
        goto nomem;
    w->max_size = opts->max_size ? opts->max_size : DEFAULT_MAX_SIZE;
    w->level = opts->level ? opts->level : WARC_DEFAULT_LEVEL;
    w->sync_every = opts->sync_every;
    if (zenc_open(&w->z, w->level))
        goto nomem;
    *out = w;
    return 0;
nomem:
    warc_writer_free(w);
    buf_seterr(err, "warc writer: out of memory");
    return NA_ENOMEM;
}

static int errno_code(int e)
{
    return e == ENOSPC || e == EFBIG || e == EDQUOT ? NA_EDISKFULL : NA_EIO;
}

static int sync_fd(struct warc_writer *w, struct buf *err)
{
    if (w->fd < 0 || !w->commits_unsynced)
        return 0;
    if (fdatasync(w->fd) != 0) {
        int e = errno;
        buf_seterr(err, "'%s': fdatasync: %s", w->name, strerror(e));
        return errno_code(e);
    }
    w->commits_unsynced = 0;
    return 0;
}

static void close_file(struct warc_writer *w)
{
    if (w->fd >= 0) {
        sync_fd(w, NULL);
        close(w->fd);
    }
    w->fd = -1;
    free(w->name);
    w->name = NULL;
    w->day[0] = 0;
    w->size = w->info_end = 0;
    w->info_id[0] = 0;
    w->group_written = 0;
}

void warc_writer_free(struct warc_writer *w)
{
    if (!w)
        return;
    close_file(w);
    zenc_close(&w->z);
    buf_release(&w->group);
    free(w->dir);
    free(w->host);
    free(w->software);
    free(w->config_digest);
    free(w->config_name);
    free(w);
}

/* Writes all n bytes at the end of the file; on failure truncates back to
 * `start` and returns NA_EDISKFULL/NA_EIO. */
static int write_all(struct warc_writer *w, const char *p, size_t n, uint64_t start, struct buf *err)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(w->fd, p + done, n - done);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            int e = k < 0 ? errno : ENOSPC;
            int rc = errno_code(e);
            if (ftruncate(w->fd, (off_t)start) != 0 || lseek(w->fd, (off_t)start, SEEK_SET) < 0) {
                buf_seterr(err, "'%s': write: %s; truncating back to %llu failed: %s", w->name, strerror(e),
                           (unsigned long long)start, strerror(errno));
                return NA_EIO;
            }
            w->size = start;
            buf_seterr(err, "'%s': write at %llu: %s", w->name, (unsigned long long)start, strerror(e));
            return rc;
        }
        done += (size_t)k;
    }
    w->size = start + n;
    return 0;
}

static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* The first serial a new file of second `stamp` may take: past the highest
 * serial of the newsarc-STAMP-NNNNN-NAME.warc.gz files already in dir,
 * whichever run wrote them. Readers (store/recover.c) take the files in
 * name order as the order they were written: without this, a run starting
 * in the second a previous run rotated in would restart at 00000 and sort
 * before that run's last files. */
static unsigned first_free_serial(const char *dir, const char *stamp, unsigned from)
{
    char prefix[40];
    int pl = snprintf(prefix, sizeof prefix, "newsarc-%s-", stamp);
    DIR *d = opendir(dir);
    if (!d || pl <= 0 || (size_t)pl >= sizeof prefix) {
        if (d)
            closedir(d);
        return from;
    }
    unsigned next = from;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, (size_t)pl) != 0)
            continue;
        const char *p = e->d_name + pl;
        unsigned v = 0;
        int k = 0;
        while (k < 5 && isdigit((unsigned char)p[k]))
            v = v * 10 + (unsigned)(p[k++] - '0');
        if (k == 5 && p[5] == '-' && v + 1 > next)
            next = v + 1;
    }
    closedir(d);
    return next;
}

static void utc_day(time_t t, char out[9])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 9, "%Y%m%d", &tm);
}

/* 1 when name is newsarc-DAYhhmmss-NNNNN-HOST.warc.gz of this day and host. */
static int day_file_of(const char *name, const char *day, const char *host)
{
    size_t hl = strlen(host);
    size_t n = strlen(name);
    /* "newsarc-" 8 + stamp 14 + "-" + serial 5 + "-" = 29 */
    if (n != 29 + hl + 8 || strncmp(name, "newsarc-", 8) != 0 || strncmp(name + 8, day, 8) != 0)
        return 0;
    for (int i = 8; i < 22; i++)
        if (!isdigit((unsigned char)name[i]))
            return 0;
    for (int i = 23; i < 28; i++)
        if (!isdigit((unsigned char)name[i]))
            return 0;
    return name[22] == '-' && name[28] == '-' && strncmp(name + 29, host, hl) == 0 &&
           strcmp(name + 29 + hl, ".warc.gz") == 0;
}

static int cmp_name_desc(const void *a, const void *b)
{
    return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Tries to take over file `name` of dir to append to: opens and locks it
 * (non-blocking), checks it is under max_size and starts with a warcinfo
 * record. Returns 1 taken, 0 not (held by a live writer, full, not ours). */
static int try_claim(struct warc_writer *w, const char *name, struct buf *err)
{
    struct buf path = BUF_INIT;
    if (buf_printf(&path, "%s/%s", w->dir, name)) {
        buf_release(&path);
        buf_seterr(err, "warc writer: out of memory");
        return NA_ENOMEM;
    }
    int fd = open(path.data, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
    struct stat sb;
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (uint64_t)sb.st_size >= w->max_size) {
        if (fd >= 0)
            close(fd);
        buf_release(&path);
        return 0;
    }
    struct warc_reader *owner = NULL;
    struct warc_record rec;
    struct buf rerr = BUF_INIT;
    int rc = warc_read_at(path.data, 0, 0, WARC_READ_NO_BLOCK, &owner, &rec, &rerr);
    int ok = rc == 1 && rec.type == WARC_TYPE_WARCINFO && rec.record_id && strlen(rec.record_id) == WARC_ID_LEN;
    if (ok) {
        memcpy(w->info_id, rec.record_id, WARC_ID_LEN + 1);
        w->info_end = rec.length;
    }
    warc_reader_free(owner);
    buf_release(&rerr);
    buf_release(&path);
    if (!ok || !(w->name = na_strdup(name))) {
        close(fd);
        w->info_id[0] = 0;
        w->info_end = 0;
        if (ok) {
            buf_seterr(err, "warc writer: out of memory");
            return NA_ENOMEM;
        }
        return 0;
    }
    w->fd = fd;
    w->size = (uint64_t)sb.st_size;
    memcpy(w->day, name + 8, 8);
    w->day[8] = 0;
    w->group_written = 0;
    return 1;
}

int warc_writer_claim(struct warc_writer *w, struct buf *err)
{
    if (w->fd >= 0)
        return 1;
    char today[9];
    utc_day(time(NULL), today);
    DIR *d = opendir(w->dir);
    if (!d)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!day_file_of(e->d_name, today, w->host))
            continue;
        if (NA_GROW(names, cap, n + 1, WARC_MAX_DAY_FILES))
            break; /* a day's files past the cap: a new file is fine */
        if (!(names[n] = na_strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_name_desc);
    /* The newest free file of today: older ones are full or were left by
     * a writer still running (or continued by another). */
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = try_claim(w, names[i], err);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int warc_writer_refresh(struct warc_writer *w, struct buf *err)
{
    if (w->fd < 0)
        return 0;
    struct stat sb;
    if (fstat(w->fd, &sb) != 0) {
        buf_seterr(err, "'%s': %s", w->name, strerror(errno));
        return NA_EIO;
    }
    w->size = (uint64_t)sb.st_size;
    if (w->size < w->info_end) { /* cut back to nothing sound: start afresh */
        close_file(w);
        return 0;
    }
    return 1;
}

/* Opens a new file and writes its warcinfo record (synced). */
static int open_file(struct warc_writer *w, struct buf *err)
{
    char stamp[16], name[512];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    struct buf path = BUF_INIT;
    int fd = -1, rc;
    w->serial = first_free_serial(w->dir, stamp, w->serial);
    for (unsigned tries = 0; tries < 100000; tries++, w->serial++) {
        snprintf(name, sizeof name, "newsarc-%s-%05u-%s.warc.gz", stamp, w->serial % 100000, w->host);
        buf_reset(&path);
        if (buf_printf(&path, "%s/%s", w->dir, name)) {
            buf_release(&path);
            buf_seterr(err, "warc writer: out of memory");
            return NA_ENOMEM;
        }
        fd = open(path.data, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        buf_seterr(err, "'%s': cannot create: %s", buf_str(&path), strerror(errno));
        rc = errno_code(errno);
        buf_release(&path);
        return rc;
    }
    w->serial++;
    w->fd = fd;
    w->size = 0;
    /* The file is this writer's while it is open: recovery in another
     * process (store/recover.c) only touches a file it can lock. Blocking,
     * as such a recovery holds an empty new file only for a moment. */
    while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    memcpy(w->day, stamp, 8);
    w->day[8] = 0;
    if (!(w->name = na_strdup(name))) {
        rc = NA_ENOMEM;
        buf_seterr(err, "warc writer: out of memory");
        goto fail;
    }
    /* warcinfo (WARC 1.1 §6.2): application/warc-fields. */
    struct buf info = BUF_INIT;
    char hostname[256] = "localhost";
    if (gethostname(hostname, sizeof hostname) != 0)
        snprintf(hostname, sizeof hostname, "localhost");
    hostname[sizeof hostname - 1] = 0;
    buf_printf(&info, "software: %s\r\nformat: %s\r\nconformsTo: %s\r\nhostname: %s\r\n", w->software,
               WARC_FORMAT_NAME, "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
               hostname);
    if (w->config_name)
        buf_printf(&info, "config: %s\r\n", w->config_name);
    if (w->config_digest)
        buf_printf(&info, "config-digest: %s\r\n", w->config_digest);
    if (info.err) {
        rc = info.err;
        buf_release(&info);
        buf_seterr(err, "warc writer: out of memory");
        goto fail;
    }
    struct slice part = { info.data, info.len };
    struct warc_field f = { "WARC-Filename", name };
    struct warc_record_spec spec = {
        .type = WARC_TYPE_WARCINFO, .date = now, .content_type = WARC_CT_WARCINFO,
        .fields = &f, .nfields = 1, .parts = &part, .nparts = 1,
    };
    struct buf enc = BUF_INIT;
    rc = encode_with(&w->z, &spec, &enc, w->info_id, err);
    buf_release(&info);
    if (!rc)
        rc = write_all(w, enc.data, enc.len, 0, err);
    buf_release(&enc);
    if (rc)
        goto fail;
    w->commits_unsynced = 1;
    if ((rc = sync_fd(w, err)) != 0)
        goto fail;
    fsync_dir(w->dir);
    w->info_end = w->size;
    buf_release(&path);
    return 0;
fail:
    close(fd);
    w->fd = -1;
    unlink(path.data);
    buf_release(&path);
    free(w->name);
    w->name = NULL;
    w->size = 0;
    w->info_id[0] = 0;
    return rc;
}

int warc_writer_begin(struct warc_writer *w, uint64_t expect, struct buf *err)
{
    if (w->group_open) {
        buf_seterr(err, "warc writer: begin inside an open group");
        return NA_EINVAL;
    }
    if (w->fd >= 0 && w->size > w->info_end && w->size + expect > w->max_size)
        close_file(w);
    if (w->fd >= 0) { /* files by day: a new one after midnight (UTC) */
        char today[9];
        utc_day(time(NULL), today);
        if (strcmp(today, w->day) != 0)
            close_file(w);
    }
    if (w->fd < 0) {
        int rc = open_file(w, err);
        if (rc)
            return rc;
    }
    buf_reset(&w->group);
    w->group_start = w->size;
    w->group_open = 1;
    w->group_written = 0;
    return 0;
}

int warc_writer_add(struct warc_writer *w, const struct warc_record_spec *spec, struct warc_loc *loc,
                    struct buf *err)
{
    if (!w->group_open || w->fd < 0) {
        buf_seterr(err, "warc writer: add outside a group");
        return NA_EINVAL;
    }
    struct warc_field fields[WARC_MAX_FIELDS];
    struct warc_record_spec s;
    int rc = with_warcinfo(spec, w->info_id, fields, &s, err);
    if (rc)
        return rc;
    size_t before = w->group.len;
    char id[WARC_ID_LEN + 1];
    rc = encode_with(&w->z, &s, &w->group, id, err);
    if (rc)
        return rc;
    if (loc) {
        loc->file = w->name;
        loc->offset = w->group_start + before;
        loc->length = w->group.len - before;
        memcpy(loc->id, id, sizeof id);
    }
    return 0;
}

int warc_writer_add_encoded(struct warc_writer *w, const char *member, size_t len, const char *id,
                            struct warc_loc *loc, struct buf *err)
{
    if (!w->group_open || w->fd < 0) {
        buf_seterr(err, "warc writer: add outside a group");
        return NA_EINVAL;
    }
    size_t before = w->group.len;
    if (buf_add(&w->group, member, len)) {
        w->group.err = 0;
        buf_truncate(&w->group, before);
        buf_seterr(err, "warc writer: out of memory");
        return NA_ENOMEM;
    }
    if (loc) {
        loc->file = w->name;
        loc->offset = w->group_start + before;
        loc->length = len;
        snprintf(loc->id, sizeof loc->id, "%s", id ? id : "");
    }
    return 0;
}

int warc_writer_commit(struct warc_writer *w, struct buf *err)
{
    if (!w->group_open) {
        buf_seterr(err, "warc writer: commit without begin");
        return NA_EINVAL;
    }
    w->group_open = 0;
    int rc = write_all(w, w->group.data, w->group.len, w->group_start, err);
    buf_reset(&w->group);
    if (rc)
        return rc;
    w->group_written = 1;
    w->commits_unsynced++;
    if (w->sync_every >= 0 && w->commits_unsynced >= (w->sync_every > 1 ? w->sync_every : 1))
        rc = sync_fd(w, err);
    return rc;
}

int warc_writer_sync(struct warc_writer *w, struct buf *err)
{
    return sync_fd(w, err);
}

int warc_writer_rollback(struct warc_writer *w, struct buf *err)
{
    buf_reset(&w->group);
    w->group_open = 0;
    if (w->group_written && w->fd >= 0) {
        w->group_written = 0;
        if (ftruncate(w->fd, (off_t)w->group_start) != 0) {
            buf_seterr(err, "'%s': truncate to %llu: %s", w->name, (unsigned long long)w->group_start,
                       strerror(errno));
            return NA_EIO;
        }
        w->size = w->group_start;
    }
    return 0;
}

const char *warc_writer_file(const struct warc_writer *w) { return w->name; }

uint64_t warc_writer_size(const struct warc_writer *w) { return w->size; }

const char *warc_writer_warcinfo_id(const struct warc_writer *w) { return w->info_id; }

/* ---- the reader ---- */

#define IN_SIZE (1u << 16)

enum phase { PH_HEAD, PH_BLOCK, PH_TRAIL, PH_DONE };

struct warc_reader {
    int fd;
    char *path;
    size_t max_block;
    int flags;
    unsigned char *in;
    size_t in_pos, in_len;
    uint64_t in_off;           /* file offset of in[0] */
    int eof;
    z_stream zs;
    int zs_ok;
    z_stream probe;            /* warc_reader_skip's check of a candidate member */
    int probe_ok;
    unsigned char *out;        /* inflate output chunk */
    struct buf head, block, raw, fstore;
    struct warc_field *fields;
    size_t nfields, fields_cap;
    uint64_t good_end;
    int truncated;
    uint64_t bad_start, bad_end; /* the last bad member; bad_end 0 when its framing was broken */
    /* per-record assembly */
    enum phase ph;
    uint64_t clen, got;
    size_t trail;
    int toobig, extra;
};

const char *warc_file_kind(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG: return "a regular file";
    case S_IFDIR: return "a directory";
    case S_IFIFO: return "a FIFO";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFSOCK: return "a socket";
    case S_IFLNK: return "a symbolic link";
    default: return "not a file";
    }
}

int warc_reader_open(const char *path, size_t max_block, int flags, struct warc_reader **out,
                     struct buf *err)
{
    *out = NULL;
    struct warc_reader *r = na_calloc(1, sizeof *r);
    if (!r)
        goto nomem;
    r->fd = -1;
    r->max_block = max_block ? max_block : WARC_DEFAULT_MAX_BLOCK;
    r->flags = flags;
    buf_init(&r->head, WARC_MAX_HEADER_BYTES + IN_SIZE);
    buf_init(&r->block, r->max_block + 1);
    buf_init(&r->raw, r->max_block + WARC_MAX_HEADER_BYTES);
    buf_init(&r->fstore, 2 * WARC_MAX_HEADER_BYTES);
    if (!(r->path = na_strdup(path)) || !(r->in = na_malloc(IN_SIZE)) || !(r->out = na_malloc(IN_SIZE)))
        goto nomem;
    r->zs.zalloc = z_alloc;
    r->zs.zfree = z_free;
    if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
        goto nomem;
    r->zs_ok = 1;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; then only a
     * regular file is read (a FIFO or /dev/zero, even through a symlink,
     * would never end). */
    r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (r->fd < 0) {
        int e = errno;
        buf_seterr(err, "'%s': %s", path, strerror(e));
        warc_reader_free(r);
        return e == ENOENT ? NA_ENOTFOUND : NA_EIO;
    }
    struct stat sb;
    memset(&sb, 0, sizeof sb);
    if (fstat(r->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        buf_seterr(err, "'%s': not a regular file (%s): skipped", path, warc_file_kind(sb.st_mode));
        warc_reader_free(r);
        return NA_EUNSUPPORTED;
    }
    fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) & ~O_NONBLOCK);
    *out = r;
    return 0;
nomem:
    warc_reader_free(r);
    buf_seterr(err, "'%s': out of memory", path);
    return NA_ENOMEM;
}

void warc_reader_free(struct warc_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->zs_ok)
        inflateEnd(&r->zs);
    if (r->probe_ok)
        inflateEnd(&r->probe);
    buf_release(&r->head);
    buf_release(&r->block);
    buf_release(&r->raw);
    buf_release(&r->fstore);
    free(r->fields);
    free(r->in);
    free(r->out);
    free(r->path);
    free(r);
}

int warc_reader_seek(struct warc_reader *r, uint64_t offset)
{
    if (lseek(r->fd, (off_t)offset, SEEK_SET) < 0)
        return NA_EIO;
    r->in_pos = r->in_len = 0;
    r->in_off = offset;
    r->eof = 0;
    r->good_end = offset;
    return 0;
}

int warc_reader_truncated(const struct warc_reader *r) { return r->truncated; }

uint64_t warc_reader_good_end(const struct warc_reader *r) { return r->good_end; }

uint64_t warc_reader_tell(const struct warc_reader *r) { return r->in_off + r->in_pos; }

static int refill(struct warc_reader *r)
{
    if (r->in_pos < r->in_len)
        return 1;
    r->in_off += r->in_len;
    r->in_pos = r->in_len = 0;
    if (r->eof)
        return 0;
    for (;;) {
        ssize_t k = read(r->fd, r->in, IN_SIZE);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return NA_EIO;
        if (k == 0) {
            r->eof = 1;
            return 0;
        }
        r->in_len = (size_t)k;
        return 1;
    }
}

/* Parses the WARC head in r->head (ending CRLFCRLF) into fields. */
static int parse_head(struct warc_reader *r, const char **msg)
{
    const char *p = r->head.data, *end = r->head.data + r->head.len;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol || eol - p < 6 || memcmp(p, "WARC/1.", 7) != 0) {
        *msg = "no WARC/1.x version line";
        return NA_ECORRUPT;
    }
    buf_reset(&r->fstore);
    /* fstore: version\0 then name\0value\0 pairs; offsets first, pointers later. */
    size_t vlen = (size_t)(eol - p);
    if (vlen && p[vlen - 1] == '\r')
        vlen--;
    buf_add(&r->fstore, p, vlen);
    buf_addc(&r->fstore, 0);
    size_t nf = 0;
    p = eol + 1;
    while (p < end) {
        eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t n = (size_t)(eol - p);
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 0)
            break; /* the empty line */
        if (p[0] == ' ' || p[0] == '\t') {
            /* Continuation (WARC 1.1 §4: LWS): joins the previous value. */
            if (!nf) {
                *msg = "continuation line before the first field";
                return NA_ECORRUPT;
            }
            while (n && (*p == ' ' || *p == '\t'))
                p++, n--;
            buf_truncate(&r->fstore, r->fstore.len - 1); /* drop the value's NUL */
            buf_addc(&r->fstore, ' ');
            buf_add(&r->fstore, p, n);
            buf_addc(&r->fstore, 0);
        } else {
            const char *colon = memchr(p, ':', n);
            if (!colon || colon == p) {
                *msg = "malformed header line";
                return NA_ECORRUPT;
            }
            size_t nl = (size_t)(colon - p);
            const char *v = colon + 1, *ve = p + n;
            while (v < ve && (*v == ' ' || *v == '\t'))
                v++;
            while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            buf_add(&r->fstore, p, nl);
            buf_addc(&r->fstore, 0);
            buf_add(&r->fstore, v, (size_t)(ve - v));
            buf_addc(&r->fstore, 0);
            nf++;
        }
        p = eol + 1;
    }
    if (r->fstore.err) {
        *msg = r->fstore.err == NA_ENOMEM ? "out of memory" : "header too large";
        return r->fstore.err == NA_ENOMEM ? NA_ENOMEM : NA_ECORRUPT;
    }
    int grc = NA_GROW(r->fields, r->fields_cap, nf ? nf : 1, WARC_READ_MAX_FIELDS);
    if (grc) {
        *msg = grc == NA_ENOMEM ? "out of memory" : "header too large";
        return grc == NA_ENOMEM ? NA_ENOMEM : NA_ECORRUPT;
    }
    struct warc_field *f = r->fields;
    r->nfields = nf;
    const char *q = r->fstore.data + strlen(r->fstore.data) + 1;
    for (size_t i = 0; i < nf; i++) {
        f[i].name = q;
        q += strlen(q) + 1;
        f[i].value = q;
        q += strlen(q) + 1;
    }
    const char *cl = NULL;
    for (size_t i = 0; i < nf; i++)
        if (strcasecmp(f[i].name, "Content-Length") == 0)
            cl = f[i].value;
    if (!cl || !*cl || strlen(cl) > 15 || strspn(cl, "0123456789") != strlen(cl)) {
        *msg = "missing or malformed Content-Length";
        return NA_ECORRUPT;
    }
    r->clen = strtoull(cl, NULL, 10);
    return 0;
}

/* Feeds decompressed bytes to the record assembler. */
static int feed(struct warc_reader *r, const unsigned char *p, size_t n, const char **msg)
{
    while (n) {
        switch (r->ph) {
        case PH_HEAD: {
            size_t old = r->head.len;
            if (buf_add(&r->head, p, n)) {
                *msg = r->head.err == NA_ENOMEM ? "out of memory" : "WARC head too long";
                return r->head.err == NA_ENOMEM ? NA_ENOMEM : NA_ECORRUPT;
            }
            /* Not a WARC record (e.g. a gzipped file of something else):
             * said at once rather than after reading up to the head cap. */
            if (memcmp(r->head.data, "WARC/1.", r->head.len < 7 ? r->head.len : 7) != 0) {
                *msg = "not a WARC record (no WARC/1.x version line)";
                return NA_ECORRUPT;
            }
            size_t from = old >= 3 ? old - 3 : 0;
            const char *h = memmem(r->head.data + from, r->head.len - from, "\r\n\r\n", 4);
            if (!h) {
                if (r->head.len > WARC_MAX_HEADER_BYTES) {
                    *msg = "WARC head too long";
                    return NA_ECORRUPT;
                }
                return 0;
            }
            size_t hl = (size_t)(h - r->head.data) + 4;
            size_t rest = r->head.len - hl;
            p += n - rest;
            n = rest;
            buf_truncate(&r->head, hl);
            int rc = parse_head(r, msg);
            if (rc)
                return rc;
            r->ph = PH_BLOCK;
            r->got = 0;
            if (!(r->flags & WARC_READ_NO_BLOCK) && r->clen > r->max_block)
                r->toobig = 1;
            break;
        }
        case PH_BLOCK: {
            uint64_t need = r->clen - r->got;
            size_t k = need < n ? (size_t)need : n;
            if (k && !(r->flags & WARC_READ_NO_BLOCK) && !r->toobig && buf_add(&r->block, p, k)) {
                *msg = r->block.err == NA_ENOMEM ? "out of memory" : "block larger than its Content-Length";
                return r->block.err == NA_ENOMEM ? NA_ENOMEM : NA_ECORRUPT;
            }
            r->got += k;
            p += k;
            n -= k;
            if (r->got == r->clen) {
                r->ph = PH_TRAIL;
                r->trail = 0;
            }
            break;
        }
        case PH_TRAIL:
            if (*p != "\r\n\r\n"[r->trail]) {
                *msg = "record does not end with CRLF CRLF after Content-Length bytes";
                return NA_ECORRUPT;
            }
            p++, n--;
            if (++r->trail == 4)
                r->ph = PH_DONE;
            break;
        case PH_DONE:
            r->extra = 1;
            *msg = "gzip member holds more than one record (or bytes after the record)";
            return NA_ECORRUPT;
        }
    }
    return 0;
}

static void fill_record(struct warc_reader *r, struct warc_record *rec, uint64_t start, uint64_t len)
{
    memset(rec, 0, sizeof *rec);
    rec->offset = start;
    rec->length = len;
    rec->version = r->fstore.data;
    rec->fields = r->fields;
    rec->nfields = r->nfields;
    rec->record_id = warc_record_field(rec, "WARC-Record-ID");
    rec->date = warc_record_field(rec, "WARC-Date");
    rec->target_uri = warc_record_field(rec, "WARC-Target-URI");
    rec->content_type = warc_record_field(rec, "Content-Type");
    rec->concurrent_to = warc_record_field(rec, "WARC-Concurrent-To");
    rec->refers_to = warc_record_field(rec, "WARC-Refers-To");
    rec->block_digest = warc_record_field(rec, "WARC-Block-Digest");
    rec->payload_digest = warc_record_field(rec, "WARC-Payload-Digest");
    rec->profile = warc_record_field(rec, "WARC-Profile");
    rec->warcinfo_id = warc_record_field(rec, "WARC-Warcinfo-ID");
    rec->type = warc_type_parse(warc_record_field(rec, "WARC-Type"));
    rec->content_length = r->clen;
    rec->block_len = (size_t)r->got;
    if (!(r->flags & WARC_READ_NO_BLOCK) && !r->toobig)
        rec->block = buf_str(&r->block);
    if (r->flags & WARC_READ_RAW)
        rec->raw = r->raw.data;
}

const char *warc_record_field(const struct warc_record *r, const char *name)
{
    for (size_t i = 0; i < r->nfields; i++)
        if (strcasecmp(r->fields[i].name, name) == 0)
            return r->fields[i].value;
    return NULL;
}

int warc_reader_next(struct warc_reader *r, struct warc_record *rec, struct buf *err)
{
    uint64_t start = r->in_off + r->in_pos;
    int rc = refill(r);
    if (rc < 0) {
        buf_seterr(err, "%s:%llu: read: %s", r->path, (unsigned long long)start, strerror(errno));
        return NA_EIO;
    }
    if (rc == 0)
        return 0;
    inflateReset(&r->zs);
    buf_reset(&r->head);
    buf_reset(&r->block);
    buf_reset(&r->raw);
    r->ph = PH_HEAD;
    r->clen = r->got = 0;
    r->toobig = r->extra = 0;
    r->truncated = 0;
    r->bad_start = start;
    r->bad_end = 0;
    const char *msg = NULL;
    int zrc = Z_OK;
    while (zrc != Z_STREAM_END) {
        rc = refill(r);
        if (rc < 0) {
            buf_seterr(err, "%s:%llu: read: %s", r->path, (unsigned long long)start, strerror(errno));
            return NA_EIO;
        }
        if (rc == 0) {
            r->truncated = 1;
            buf_seterr(err, "%s:%llu: gzip member cut short by the end of the file", r->path,
                       (unsigned long long)start);
            return NA_ECORRUPT;
        }
        r->zs.next_in = r->in + r->in_pos;
        r->zs.avail_in = (uInt)(r->in_len - r->in_pos);
        r->zs.next_out = r->out;
        r->zs.avail_out = IN_SIZE;
        zrc = inflate(&r->zs, Z_NO_FLUSH);
        size_t used = (r->in_len - r->in_pos) - r->zs.avail_in;
        if ((r->flags & WARC_READ_RAW) && used && buf_add(&r->raw, r->in + r->in_pos, used))
            r->toobig = 1;
        r->in_pos += used;
        if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
            buf_seterr(err, "%s:%llu: bad gzip data: %s", r->path, (unsigned long long)start,
                       r->zs.msg ? r->zs.msg : "inflate failed");
            return zrc == Z_MEM_ERROR ? NA_ENOMEM : NA_ECORRUPT;
        }
        size_t produced = IN_SIZE - r->zs.avail_out;
        if (produced && (rc = feed(r, r->out, produced, &msg)) != 0) {
            if (rc == NA_ENOMEM) {
                buf_seterr(err, "%s:%llu: out of memory", r->path, (unsigned long long)start);
                return NA_ENOMEM;
            }
            /* Find the member end so warc_reader_skip can step over it. */
            buf_seterr(err, "%s:%llu: %s", r->path, (unsigned long long)start, msg);
            while (zrc != Z_STREAM_END) {
                if (refill(r) <= 0)
                    return NA_ECORRUPT;
                r->zs.next_in = r->in + r->in_pos;
                r->zs.avail_in = (uInt)(r->in_len - r->in_pos);
                r->zs.next_out = r->out;
                r->zs.avail_out = IN_SIZE;
                zrc = inflate(&r->zs, Z_NO_FLUSH);
                r->in_pos += (r->in_len - r->in_pos) - r->zs.avail_in;
                if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR)
                    return NA_ECORRUPT;
            }
            r->bad_end = r->in_off + r->in_pos;
            return NA_ECORRUPT;
        }
    }
    uint64_t end = r->in_off + r->in_pos;
    if (r->ph != PH_DONE) {
        r->bad_end = end;
        if (r->ph == PH_HEAD)
            buf_seterr(err, "%s:%llu: gzip member ends inside the WARC head", r->path, (unsigned long long)start);
        else
            buf_seterr(err, "%s:%llu: record cut short: Content-Length %llu, block has %llu", r->path,
                       (unsigned long long)start, (unsigned long long)r->clen, (unsigned long long)r->got);
        return NA_ECORRUPT;
    }
    fill_record(r, rec, start, end - start);
    r->good_end = end;
    if (r->toobig) {
        r->bad_end = end;
        buf_seterr(err, "%s:%llu: block of %llu bytes is over the limit of %zu", r->path,
                   (unsigned long long)start, (unsigned long long)r->clen, r->max_block);
        return NA_ETOOBIG;
    }
    return 1;
}

/* 1 when the gzip member at off decompresses to a start of "WARC/1.", 0
 * when not (a 1f 8b 08 inside compressed data, a damaged member), <0 NA_EIO or
 * NA_ENOMEM. Looks at most 4 KiB in (a member's deflate block header is far
 * smaller, and newsarc's records begin with their version line): from have
 * (the bytes at off, n of them) when they reach that far, else read. One
 * probe stream per reader, reset for each candidate: a stored body full of
 * 1f 8b 08 costs a reset and a few bytes of inflate per candidate. */
/* 1 when p (n bytes) can start a gzip member (RFC 1952 2.3): its header
 * fields fit in n, reserved flag bits clear, the first deflate block type
 * not the reserved one. Cheap: most false 1f 8b 08 fail here. */
static int plausible_member(const unsigned char *p, size_t n)
{
    if (n < 11 || (p[3] & 0xe0))
        return 0;
    size_t i = 10;
    if (p[3] & 4) /* FEXTRA */
        i += 2 + (size_t)(p[10] | p[11] << 8);
    for (int f = 8; f <= 16; f *= 2) { /* FNAME, FCOMMENT: NUL-terminated */
        if (!(p[3] & f))
            continue;
        const unsigned char *z = i < n ? memchr(p + i, 0, n - i) : NULL;
        if (!z)
            return 0;
        i = (size_t)(z - p) + 1;
    }
    if (p[3] & 2) /* FHCRC */
        i += 2;
    return i < n && ((p[i] >> 1) & 3) != 3;
}

static int starts_record(struct warc_reader *r, uint64_t off, const unsigned char *have, size_t n)
{
    unsigned char buf[4096], out[8];
    if (n < sizeof buf) {
        ssize_t k;
        do
            k = pread(r->fd, buf, sizeof buf, (off_t)off);
        while (k < 0 && errno == EINTR);
        if (k < 0)
            return NA_EIO;
        have = buf;
        n = (size_t)k;
    }
    if (n > sizeof buf)
        n = sizeof buf;
    if (!plausible_member(have, n))
        return 0;
    if (!r->probe_ok) {
        r->probe.zalloc = z_alloc;
        r->probe.zfree = z_free;
        if (inflateInit2(&r->probe, 15 + 16) != Z_OK)
            return NA_ENOMEM;
        r->probe_ok = 1;
    } else {
        inflateReset(&r->probe);
    }
    z_stream *z = &r->probe;
    z->next_in = (const Bytef *)have;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = 7;
    int zrc = Z_OK;
    while (z->avail_out && z->avail_in && zrc == Z_OK)
        zrc = inflate(z, Z_SYNC_FLUSH);
    return z->avail_out == 0 && memcmp(out, "WARC/1.", 7) == 0;
}

int warc_reader_skip(struct warc_reader *r)
{
    if (r->bad_end) {
        uint64_t e = r->bad_end;
        r->bad_end = 0;
        return warc_reader_seek(r, e) ? NA_EIO : 1;
    }
    /* Broken framing: scan for the next gzip magic after the bad start
     * (chunks overlap by 2 bytes so a magic across a boundary is found). */
    uint64_t pos = r->bad_start + 1;
    for (;;) {
        ssize_t k = pread(r->fd, r->in, IN_SIZE, (off_t)pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return NA_EIO;
        if (k < 3)
            return 0;
        for (size_t i = 0; i + 2 < (size_t)k; i++) {
            if (r->in[i] == 0x1f && r->in[i + 1] == 0x8b && r->in[i + 2] == 0x08) {
                int ok = starts_record(r, pos + i, r->in + i, (size_t)k - i);
                if (ok < 0)
                    return ok;
                if (!ok)
                    continue;
                r->bad_start = pos + i;
                return warc_reader_seek(r, pos + i) ? NA_EIO : 1;
            }
        }
        pos += (uint64_t)k - 2;
    }
}

int warc_read_at(const char *path, uint64_t offset, size_t max_block, int flags,
                 struct warc_reader **out_owner, struct warc_record *rec, struct buf *err)
{
    *out_owner = NULL;
    struct warc_reader *r;
    int rc = warc_reader_open(path, max_block, flags, &r, err);
    if (rc)
        return rc;
    if (warc_reader_seek(r, offset)) {
        buf_seterr(err, "%s:%llu: seek: %s", path, (unsigned long long)offset, strerror(errno));
        warc_reader_free(r);
        return NA_EIO;
    }
    rc = warc_reader_next(r, rec, err);
    if (rc <= 0 && rc != NA_ETOOBIG) {
        warc_reader_free(r);
        return rc;
    }
    *out_owner = r;
    return rc;
}

/* ---- HTTP messages ---- */

int warc_http_parse(const char *block, size_t len, struct warc_http *out)
{
    memset(out, 0, sizeof *out);
    if (!block)
        return NA_EPARSE;
    const char *e = memmem(block, len, "\r\n\r\n", 4);
    size_t hl;
    if (e)
        hl = (size_t)(e - block) + 4;
    else if ((e = memmem(block, len, "\n\n", 2)) != NULL)
        hl = (size_t)(e - block) + 2;
    else
        return NA_EPARSE;
    const char *eol = memchr(block, '\n', hl);
    size_t sl = (size_t)(eol - block);
    if (sl && block[sl - 1] == '\r')
        sl--;
    out->start_line = slice_make(block, sl);
    out->head = slice_make(block, hl);
    out->body = slice_make(block + hl, len - hl);
    if (sl >= 12 && memcmp(block, "HTTP/", 5) == 0) {
        const char *sp = memchr(block, ' ', sl);
        int st = 0;
        if (!sp || sp + 4 > block + sl || digits(sp + 1, 3, &st))
            return NA_EPARSE;
        out->status = st;
    }
    return 0;
}

int warc_http_header(const struct warc_http *h, const char *name, struct buf *out)
{
    return http_head_field(h->head.p, h->head.n, name, out);
}

int warc_http_decode_body(const struct warc_http *h, size_t max, struct buf *out, struct buf *err)
{
    /* the one decoder of util/http.h, as the crawl uses it */
    buf_reset(out);
    return http_decode_response(h->head.p, h->head.n, h->body.p, h->body.n, max ? max : (size_t)64 << 20, out,
                                err);
}
