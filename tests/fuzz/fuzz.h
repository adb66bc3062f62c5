/* fuzz.h — what every tests/fuzz/fuzz_NAME.c target shares, so that one
 * body serves libFuzzer and the seed replay of `make test`:
 *   FUZZ_TARGET(fuzz_NAME) { ... data, size ... return 0; }
 * is LLVMFuzzerTestOneInput when built by `make fuzz`, and a static
 * fuzz_NAME_one() when tests/unit/test_fuzz_replay.c includes the file with
 * NA_FUZZ_REPLAY defined (it replays tests/fuzz/seeds-fuzz_NAME/ through it).
 * Helpers in a target carry its name as prefix (one translation unit holds
 * them all in the replay). FUZZ_CHECK traps when an invariant breaks. */
#ifndef NA_FUZZ_H
#define NA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef NA_FUZZ_REPLAY
#define FUZZ_TARGET(name) static int name##_one(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);  \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

#define FUZZ_CHECK(cond)              \
    do {                              \
        if (!(cond))                  \
            __builtin_trap();         \
    } while (0)

/* A NUL-terminated copy of the input (malloc'd; the caller frees). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

static char fuzz_dir_path[64];

static inline void fuzz_dir_remove(void)
{
    char cmd[128];
    if (!fuzz_dir_path[0])
        return;
    /* the folder holds the files this process wrote, by their fixed names */
    snprintf(cmd, sizeof cmd, "%s/input", fuzz_dir_path);
    unlink(cmd);
    rmdir(fuzz_dir_path);
}

/* Writes the input to DIR/input, DIR being a folder under /tmp made once per
 * process (removed at exit), and returns that path (static). For the
 * parsers that only read files. */
static inline const char *fuzz_write_input(const uint8_t *data, size_t size)
{
    static char path[128];
    if (!fuzz_dir_path[0]) {
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "/tmp/newsarc-fuzz-XXXXXX");
        if (!mkdtemp(fuzz_dir_path))
            abort();
        atexit(fuzz_dir_remove);
    }
    snprintf(path, sizeof path, "%s/input", fuzz_dir_path);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    if (fclose(f))
        abort();
    return path;
}

#endif
