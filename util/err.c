/* err.c — messages and names for the codes in err.h, from its one table. */
#include "util/err.h"

const char *na_strerror(int err)
{
    switch (err) {
    case NA_OK:
        return "success";
#define NA_ERR_MSG(name, val, msg) case NA_##name: return msg;
    NA_ERRNO_MAP(NA_ERR_MSG)
#undef NA_ERR_MSG
    }
    return "unknown error";
}

const char *na_errname(int err)
{
    switch (err) {
    case NA_OK:
        return "OK";
#define NA_ERR_NAME(name, val, msg) case NA_##name: return #name;
    NA_ERRNO_MAP(NA_ERR_NAME)
#undef NA_ERR_NAME
    }
    return "EUNKNOWN";
}
