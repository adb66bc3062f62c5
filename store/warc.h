/* warc.h — WARC 1.1 files, gzip-compressed one member per record (WARC 1.1
 * annex D.2): encoding a record, the appending writer with rotation and
 * rollback, a reader that iterates the records of a .warc.gz file, and the
 * small HTTP-message helpers the read side needs. warc.c is the only store
 * file that sees zlib (reading) and libdeflate (writing).
 * Spec: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/ */
#ifndef NA_WARC_H
#define NA_WARC_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "util/buf.h"

#define WARC_VERSION_LINE "WARC/1.1"
#define WARC_FORMAT_NAME "WARC File Format 1.1"
#define WARC_PROFILE_NOT_MODIFIED "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
#define WARC_PROFILE_IDENTICAL "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
#define WARC_CT_REQUEST "application/http;msgtype=request"
#define WARC_CT_RESPONSE "application/http;msgtype=response"
#define WARC_CT_TEXT "text/plain; charset=utf-8"
#define WARC_CT_JSON "application/json"
#define WARC_CT_WARCINFO "application/warc-fields"
/* Extension fields newsarc adds to request/response/revisit records so the
 * index can be rebuilt from the WARC files alone (WARC 1.1 §5.1 allows
 * extension fields; they don't start with "WARC-"). */
#define WARC_FIELD_SITE "Newsarc-Site"
#define WARC_FIELD_KIND "Newsarc-Kind"

/* The deflate level records get unless told otherwise (libdeflate's levels,
 * zlib-like scale): level 3 (greedy parsing) is cheaper than level 6 (lazy)
 * on clean texts of Chinese news for members ~3% larger (~90 bytes a page;
 * measured with zlib, whose levels 3 and 6 differ the same way). Bodies of HTTP
 * responses without a content coding (40 KB of HTML: 6% larger at level 3)
 * get WARC_BODY_LEVEL through warc_record_spec.level. */
#define WARC_DEFAULT_LEVEL 3
#define WARC_BODY_LEVEL 6

#define WARC_ID_LEN 47          /* "<urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx>" */
#define WARC_DEFAULT_MAX_BLOCK ((size_t)64 << 20)
#define WARC_MAX_HEADER_BYTES ((size_t)64 << 10)

enum warc_type {
    WARC_TYPE_UNKNOWN = 0,
    WARC_TYPE_WARCINFO,
    WARC_TYPE_RESPONSE,
    WARC_TYPE_RESOURCE,
    WARC_TYPE_REQUEST,
    WARC_TYPE_METADATA,
    WARC_TYPE_REVISIT,
    WARC_TYPE_CONVERSION,
    WARC_TYPE_CONTINUATION,
};

/* "response" … for a type; "unknown" for WARC_TYPE_UNKNOWN. */
const char *warc_type_name(enum warc_type t);
/* The type named s (case-insensitive), WARC_TYPE_UNKNOWN if none. */
enum warc_type warc_type_parse(const char *s);

/* A fresh "<urn:uuid:…>" (random v4 UUID, getrandom; RAND_bytes if that fails). out must hold
 * WARC_ID_LEN + 1 bytes. Returns 0 or NA_EIO. */
int warc_new_id(char out[WARC_ID_LEN + 1]);
/* "YYYY-MM-DDThh:mm:ssZ" for t (UTC). out must hold 21 bytes. */
void warc_format_date(time_t t, char out[21]);
/* Parses a WARC-Date (seconds, optional fraction, Z). -1 if malformed. */
time_t warc_parse_date(const char *s);

/* ---- encoding ---- */

/* A named header field; both strings borrowed. Values must not contain CR/LF
 * (warc_record_encode rejects them with NA_EINVAL). */
struct warc_field {
    const char *name;
    const char *value;
};

/* What to write. All pointers are borrowed. */
struct warc_record_spec {
    enum warc_type type;
    const char *record_id;        /* "<urn:uuid:…>"; NULL = a fresh one (copied to out_id) */
    time_t date;                  /* WARC-Date */
    const char *target_uri;       /* WARC-Target-URI (no <>), or NULL */
    const char *content_type;     /* Content-Type, or NULL (no block type) */
    const char *payload_digest;   /* WARC-Payload-Digest ("sha1:…"), or NULL */
    const char *block_digest;     /* WARC-Block-Digest of the parts when the caller has it
                                   * already (e.g. a conversion record's text digest), or
                                   * NULL: computed */
    const struct warc_field *fields; /* further fields in order (WARC-Concurrent-To, …) */
    size_t nfields;
    /* The block, given in parts that are concatenated (e.g. HTTP head + body).
     * WARC-Block-Digest and Content-Length are computed over their sum. */
    const struct slice *parts;
    size_t nparts;
    /* 1: the block is mostly already-compressed bytes (a gzip-coded HTTP
     * body): the member stores it in deflate's stored blocks (level 0),
     * which costs a copy where deflating would gain ~2% at 30x the CPU. */
    int stored;
    /* Deflate level for this record (1..9), or 0: the encoder's or the
     * writer's level. */
    int level;
};

/* Appends one complete gzip member holding the record to out (deflate level
 * `level`, 0..9; -1 = WARC_DEFAULT_LEVEL). If out_id is non-NULL it receives the record id.
 * Returns 0, NA_EINVAL (bad field value), NA_ENOMEM or NA_ETOOBIG; on error
 * out is truncated back to its old length. Used by the writer and by
 * `export --format warc` for its own warcinfo record. */
int warc_record_encode(const struct warc_record_spec *spec, int level, struct buf *out,
                       char out_id[WARC_ID_LEN + 1], struct buf *err);

/* A reusable record compressor (libdeflate, one per level used) for encoding records on any one thread at a
 * time (e.g. an extraction worker), so that only appending is left to the
 * writer's thread. */
struct warc_encoder;

/* level 0..9 (-1 = WARC_DEFAULT_LEVEL). Returns NULL when out of memory. */
struct warc_encoder *warc_encoder_new(int level);
void warc_encoder_free(struct warc_encoder *e); /* NULL is fine */
/* As warc_record_encode; when warcinfo_id is non-NULL and spec is not a
 * warcinfo record, a WARC-Warcinfo-ID field goes first among the further
 * fields, as warc_writer_add writes it. */
int warc_encoder_encode(struct warc_encoder *e, const struct warc_record_spec *spec, const char *warcinfo_id,
                        struct buf *out, char out_id[WARC_ID_LEN + 1], struct buf *err);

/* ---- the appending writer ---- */

struct warc_writer;

struct warc_writer_opts {
    const char *dir;           /* where files go (ARCHIVE/warc), must exist; borrowed */
    uint64_t max_size;         /* rotate when a file would grow past this; 0 = 1 GiB */
    const char *host_label;    /* host part of file names; NULL = gethostname() */
    const char *software;      /* warcinfo "software"; NULL = "newsarc" */
    const char *config_digest; /* warcinfo "config-digest", or NULL */
    const char *config_name;   /* warcinfo "config", or NULL */
    int level;                 /* deflate level; 0 = WARC_DEFAULT_LEVEL */
    int sync_every;            /* warc_writer_commit syncs: 0 or 1 = every commit, N = every Nth
                                * commit, -1 = never (the caller calls warc_writer_sync) */
};

/* Prepares a writer; no file is created until the first record. opts is
 * copied (strings too). Returns 0 or NA_ENOMEM/NA_EINVAL. */
int warc_writer_new(const struct warc_writer_opts *opts, struct warc_writer **out, struct buf *err);
/* Syncs and closes the current file. NULL is fine. */
void warc_writer_free(struct warc_writer *w);
/* Files by day: takes over the newest of today's (UTC) files of this
 * writer's host label that is under max_size and that no other writer
 * holds, to append to (the name is the date and the host label: a writer
 * continues its own day's file instead of starting one per run). A writer
 * holds its current file with flock(LOCK_EX) while it is open, a new one as
 * well as a continued one. The caller must cut a torn tail and index what
 * the index lacks (store/recover.c) before the first record, then call
 * warc_writer_refresh. Returns 1 (warc_writer_file names it), 0 (none: the
 * first record starts a new file) or NA_ENOMEM. A writer starts a new file
 * after midnight UTC and at max_size. */
int warc_writer_claim(struct warc_writer *w, struct buf *err);
/* Re-reads the size of the current file (after recovery cut it). Returns 1,
 * 0 when there is no current file any more, or NA_EIO. */
int warc_writer_refresh(struct warc_writer *w, struct buf *err);

/* Where an appended record sits. */
struct warc_loc {
    const char *file;          /* file name (no directory), owned by the writer, valid until the next rotation */
    uint64_t offset;           /* of the gzip member */
    uint64_t length;           /* compressed length */
    char id[WARC_ID_LEN + 1];  /* WARC-Record-ID */
};

/* Starts a group of records that must land in one file together (a capture):
 * rotates first when the current file is at/over max_size or would exceed it
 * by adding `expect` more bytes (a new file starts with a warcinfo record).
 * Returns 0 or a negative code (NA_EIO, NA_EDISKFULL). */
int warc_writer_begin(struct warc_writer *w, uint64_t expect, struct buf *err);
/* Encodes and appends one record (to the file, buffered); fills loc. On
 * failure returns NA_EDISKFULL/NA_EIO/NA_EINVAL/NA_ENOMEM; the caller then
 * calls warc_writer_rollback. */
int warc_writer_add(struct warc_writer *w, const struct warc_record_spec *spec, struct warc_loc *loc,
                    struct buf *err);
/* Appends one record already encoded (a whole gzip member, e.g. by
 * warc_encoder_encode with this file's warcinfo id) to the open group; id is
 * its WARC-Record-ID (copied into loc). Returns 0, NA_EINVAL (no open group)
 * or NA_ENOMEM. */
int warc_writer_add_encoded(struct warc_writer *w, const char *member, size_t len, const char *id,
                            struct warc_loc *loc, struct buf *err);
/* Writes the records since warc_writer_begin to the file, then fdatasyncs
 * as sync_every says (warc_writer_sync forces it). On failure the group is
 * dropped (the file truncated to where begin found it) and NA_EDISKFULL
 * (ENOSPC, EFBIG, EDQUOT) or NA_EIO is returned. */
int warc_writer_commit(struct warc_writer *w, struct buf *err);
/* Forces an fdatasync of everything committed so far (before an index
 * commit that points at it). */
int warc_writer_sync(struct warc_writer *w, struct buf *err);
/* Drops the records of the last group (since the last warc_writer_begin),
 * written or not: truncates the file back to where that begin found it
 * (e.g. when the index rows for a committed group could not be written).
 * Returns 0 or NA_EIO. */
int warc_writer_rollback(struct warc_writer *w, struct buf *err);
/* Current file name (NULL before the first record) and its size. */
const char *warc_writer_file(const struct warc_writer *w);
uint64_t warc_writer_size(const struct warc_writer *w);
/* Id of the current file's warcinfo record ("" before the first record). */
const char *warc_writer_warcinfo_id(const struct warc_writer *w);

/* ---- the reader ---- */

/* One parsed record. Everything is owned by the reader and valid until the
 * next warc_reader_next/seek/free. */
struct warc_record {
    uint64_t offset;           /* of the gzip member in the file */
    uint64_t length;           /* compressed length of the member */
    enum warc_type type;
    const char *version;       /* "WARC/1.1" as written */
    const struct warc_field *fields; /* in file order (names as written) */
    size_t nfields;
    /* Shortcuts into fields (NULL when absent). */
    const char *record_id, *date, *target_uri, *content_type, *concurrent_to, *refers_to,
        *block_digest, *payload_digest, *profile, *warcinfo_id;
    uint64_t content_length;   /* the Content-Length field */
    const char *block;         /* NULL with WARC_READ_NO_BLOCK; NUL-terminated (not counted) */
    size_t block_len;          /* bytes in the block (== content_length for a sound record) */
    const char *raw;           /* with WARC_READ_RAW: the compressed member bytes, else NULL */
};

/* Value of the first field called name (case-insensitive), or NULL. */
const char *warc_record_field(const struct warc_record *r, const char *name);

enum {
    WARC_READ_NO_BLOCK = 1,    /* headers only (the block is still decompressed and counted) */
    WARC_READ_RAW = 2,         /* keep the compressed member bytes in record.raw */
};

struct warc_reader;

/* Opens path for reading. max_block caps a block held in memory (0 =
 * WARC_DEFAULT_MAX_BLOCK); flags are WARC_READ_*. Only a regular file is
 * read (a symlink to one is fine): a FIFO, a device or a directory is
 * NA_EUNSUPPORTED with "'PATH': not a regular file (a FIFO): skipped" in
 * err, without blocking. Returns 0 or NA_ENOTFOUND/NA_EIO/NA_ENOMEM/NA_EUNSUPPORTED. */
int warc_reader_open(const char *path, size_t max_block, int flags, struct warc_reader **out,
                     struct buf *err);
void warc_reader_free(struct warc_reader *r);
/* "a FIFO", "a directory", "a character device" … for a st_mode. */
const char *warc_file_kind(unsigned mode);
/* Reads the next record. Returns 1 (rec filled), 0 at a clean end of file,
 * or a negative code with "FILE:OFFSET: message" in err, OFFSET being the
 * start of the bad member: NA_ECORRUPT (bad gzip framing/data, bad WARC
 * head, Content-Length disagreeing with the block, a member holding not
 * exactly one record), NA_ETOOBIG (block over max_block: rec's header
 * fields are filled, block is NULL), NA_EIO. After an error the reader stays
 * positioned at the bad member; warc_reader_seek or warc_reader_skip may
 * continue past it. */
int warc_reader_next(struct warc_reader *r, struct warc_record *rec, struct buf *err);
/* Positions the reader at a member starting at offset (e.g. an index row). */
int warc_reader_seek(struct warc_reader *r, uint64_t offset);
/* After an error: moves past the bad member (to its end when its gzip
 * framing was sound, else to the next gzip member after its start, 1f 8b 08,
 * that decompresses to a "WARC/1." start: one member per record lets a
 * reader resync past damaged bytes) so iteration can go on. The damaged
 * range is [warc_reader_good_end() before the call, warc_reader_tell()
 * after it) (to the end of the file when 0 is returned). Returns 1
 * positioned, 0 nothing left, <0 NA_EIO/NA_ENOMEM. */
int warc_reader_skip(struct warc_reader *r);
/* After an error: 1 if the bad member is cut short by the end of the file
 * (a torn tail), else 0. */
int warc_reader_truncated(const struct warc_reader *r);
/* Offset just past the last whole member returned (0 before the first; the
 * offset given to warc_reader_seek after a seek). */
uint64_t warc_reader_good_end(const struct warc_reader *r);
/* Offset of the next member to be read. */
uint64_t warc_reader_tell(const struct warc_reader *r);

/* Reads the one record at offset in path (open, seek, next, close): returns
 * 1, 0 when offset is at the end of the file, or a negative code. The
 * record's strings are copied into *out_owner which the caller frees with
 * warc_reader_free. */
int warc_read_at(const char *path, uint64_t offset, size_t max_block, int flags,
                 struct warc_reader **out_owner, struct warc_record *rec, struct buf *err);

/* ---- HTTP messages inside request/response/revisit blocks ---- */

/* A parsed HTTP message head: views into the block given (borrowed). */
struct warc_http {
    int status;                /* response status (0 for a request) */
    struct slice start_line;   /* without CRLF */
    struct slice head;         /* status line + headers + the empty line */
    struct slice body;         /* everything after the head (content coding kept) */
};
/* Splits an HTTP message. Returns 0 or NA_EPARSE. */
int warc_http_parse(const char *block, size_t len, struct warc_http *out);
/* Value of header name (case-insensitive) in h->head, copied into out
 * (unfolded, trimmed). Returns 1 found, 0 absent, <0 error. */
int warc_http_header(const struct warc_http *h, const char *name, struct buf *out);
/* Removes the transfer and content coding from h->body into out (reset
 * first), at most max bytes (0 = 64 MiB): util/http.h's http_decode_response,
 * the decoding the crawl does. Returns 0, NA_EUNSUPPORTED (e.g. br),
 * NA_ETOOBIG or NA_EPARSE (corrupt or truncated compressed data). */
int warc_http_decode_body(const struct warc_http *h, size_t max, struct buf *out, struct buf *err);

#endif
