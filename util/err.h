/* err.h — newsarc's error codes: one table makes the enum, na_strerror()
 * and na_errname() (libuv's pattern). 0 is success, errors are negative. */
#ifndef NA_ERR_H
#define NA_ERR_H

#define NA_ERRNO_MAP(X)                                              \
    X(ENOMEM, -1, "out of memory")                                   \
    X(EINVAL, -2, "invalid argument")                                \
    X(EIO, -3, "input/output error")                                 \
    X(ETOOBIG, -4, "size limit exceeded")                            \
    X(EPARSE, -5, "malformed input")                                 \
    X(ECHARSET, -6, "cannot decode text")                            \
    X(ENOTFOUND, -7, "not found")                                    \
    X(ECONFIG, -8, "configuration error")                            \
    X(ELOCKED, -9, "archive is locked by another process")           \
    X(ECORRUPT, -10, "archive is corrupt")                           \
    X(ENET, -11, "network error")                                    \
    X(EHTTP, -12, "HTTP error")                                      \
    X(ESCOPE, -13, "URL out of scope")                               \
    X(EROBOTS, -14, "disallowed by robots.txt")                      \
    X(EDB, -15, "database error")                                    \
    X(EDISKFULL, -16, "no space left on device")                     \
    X(EUNSUPPORTED, -17, "unsupported")                              \
    X(EINTR, -18, "interrupted")                                     \
    X(EGARBAGE, -19, "text is mostly undecodable bytes")

enum na_err {
    NA_OK = 0,
#define NA_ERR_ENUM(name, val, msg) NA_##name = (val),
    NA_ERRNO_MAP(NA_ERR_ENUM)
#undef NA_ERR_ENUM
};

/* Human message for an error code ("unknown error" for unknown codes). */
const char *na_strerror(int err);
/* Symbolic name, e.g. "ENOMEM". */
const char *na_errname(int err);

#endif
