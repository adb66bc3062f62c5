/* args.c — the command-line values several commands share: --now, an input
 * file, the archive directory; see args.h. */
#include "cli/args.h"
#include "cli/cmd.h"
#include "cli/when.h"
#include "crawler/sites.h"
#include "store/archive.h"
#include "store/index.h"
#include "util/err.h"
#include "util/mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

int cli_parse_time(const char *s, time_t *t)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *p = strptime(s, "%Y-%m-%d", &tm);
    if (!p)
        return -1;
    if (*p == 'T' || *p == ' ') {
        const char *q = strptime(p + 1, "%H:%M:%S", &tm);
        if (!q)
            q = strptime(p + 1, "%H:%M", &tm);
        if (!q)
            return -1;
        p = q;
        if (*p == '.')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
    }
    long off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, d[4], nd = 0;
        for (p++; nd < 4 && *p; p++) {
            if (*p >= '0' && *p <= '9')
                d[nd++] = *p - '0';
            else if (*p != ':')
                break;
        }
        if (nd != 4 && nd != 2)
            return -1;
        off = sign * ((d[0] * 10 + d[1]) * 3600L + (nd == 4 ? (d[2] * 10 + d[3]) * 60L : 0));
    }
    if (*p)
        return -1;
    *t = timegm(&tm) - off;
    return 0;
}

int cli_read_input(const char *path, size_t max, const char *cap_name, struct buf *out, struct buf *err)
{
    gzFile gz;
    errno = 0;
    if (strcmp(path, "-") == 0) {
        int fd = dup(0);
        gz = fd >= 0 ? gzdopen(fd, "rb") : NULL;
        if (!gz && fd >= 0)
            close(fd);
    } else {
        gz = gzopen(path, "rb");
    }
    if (!gz) {
        buf_seterr(err, "'%s': %s", path, errno ? strerror(errno) : "cannot open");
        return NA_EIO;
    }
    buf_reset(out);
    out->max = max + 1; /* one byte more than allowed tells "too big" */
    int rc = 0;
    for (;;) {
        size_t want = out->max - out->len < (1u << 16) ? out->max - out->len : (1u << 16);
        if (out->len > max || buf_grow(out, want)) {
            if (out->err == NA_ENOMEM)
                buf_seterr(err, "'%s': out of memory", path);
            else
                buf_seterr(err, "'%s': larger than %zu bytes%s%s%s", path, max, cap_name ? " (" : "",
                           cap_name ? cap_name : "", cap_name ? ")" : "");
            rc = out->err == NA_ENOMEM ? NA_ENOMEM : NA_ETOOBIG;
            break;
        }
        int r = gzread(gz, out->data + out->len, (unsigned)want);
        if (r < 0) {
            int zerr;
            const char *m = gzerror(gz, &zerr);
            buf_seterr(err, "'%s': %s", path, zerr == Z_ERRNO ? strerror(errno) : m);
            rc = NA_EIO;
            break;
        }
        if (r == 0)
            break;
        out->len += (size_t)r;
        out->data[out->len] = 0;
    }
    gzclose(gz);
    return rc;
}

int cli_archive_dir(const char *cmd, const char *given, const char **dir)
{
    if (!given) {
        const char *e = getenv("NEWSARC_ARCHIVE");
        given = e && *e ? e : "archive";
    }
    struct stat sb;
    if (stat(given, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "newsarc %s: no archive at '%s' (use -a DIR)\n", cmd, given);
        return CMD_USAGE;
    }
    *dir = given;
    return CMD_OK;
}

int cli_read_archive(const char *cmd, const char *given, const char *config, const char **dir,
                     struct sites_config **cfgp)
{
    static char *kept; /* *dir outlives the configuration it came from */
    struct sites_config *c = NULL, **cfg = cfgp ? cfgp : &c;
    *cfg = NULL;
    const char *e = getenv("NEWSARC_ARCHIVE");
    if (!given && !config && !(e && *e) && access("sites.conf", F_OK) == 0)
        config = "sites.conf";
    if (!given && config) {
        struct buf err = BUF_INIT;
        if (sites_config_load(config, cfg, &err)) {
            fprintf(stderr, "newsarc %s: %s\n", cmd, err.len ? buf_str(&err) : "cannot read the configuration");
            buf_release(&err);
            *cfg = NULL;
            return CMD_USAGE;
        }
        buf_release(&err);
        if ((*cfg)->archive)
            given = (*cfg)->archive;
    }
    int rc = CMD_USAGE;
    free(kept);
    if (!(kept = na_strdup(given ? given : "")))
        fprintf(stderr, "newsarc %s: out of memory\n", cmd);
    else
        rc = cli_archive_dir(cmd, given ? kept : NULL, dir);
    if (rc != CMD_OK || !cfgp) {
        sites_config_free(*cfg);
        *cfg = NULL;
    }
    return rc;
}

struct known {
    const char *want;
    int found;
    struct buf names;
};

static void known_add(struct known *k, const char *name)
{
    if (!name || !*name || k->found)
        return;
    if (strcmp(name, k->want) == 0) {
        k->found = 1;
        return;
    }
    /* no duplicates between the config and the archive */
    size_t n = strlen(name);
    for (const char *p = buf_str(&k->names); (p = strstr(p, name)); p += n)
        if ((p == k->names.data || p[-1] == ' ') && (p[n] == ',' || p[n] == 0))
            return;
    buf_printf(&k->names, "%s%s", k->names.len ? ", " : "", name);
}

static int known_cb(void *ud, const struct index_site_stats *s)
{
    known_add(ud, s->site);
    return 0;
}

static int found_cb(void *ud, const struct index_capture *c)
{
    (void)c;
    *(int *)ud = 1;
    return 1; /* one is enough */
}

int cli_check_site(const char *cmd, const char *site, struct sites_config *cfg, struct archive *a)
{
    if (!site)
        return CMD_OK;
    struct known k = { site, 0, BUF_INIT };
    for (size_t i = 0; cfg && i < cfg->nsites; i++)
        known_add(&k, cfg->sites[i].name);
    if (a && !k.found) {
        /* one capture of the site is enough (cheap); only a name that has
         * none costs the list of every site, for the message */
        struct buf err = BUF_INIT;
        struct index_query q = { 0 };
        q.site = site;
        q.limit = 1;
        index_captures(archive_index(a), &q, found_cb, &k.found, &err);
        if (!k.found)
            index_site_stats(archive_index(a), known_cb, &k, &err);
        buf_release(&err);
    }
    if (!k.found)
        fprintf(stderr, "newsarc %s: no site '%s' (known: %s)\n", cmd, site,
                k.names.len ? buf_str(&k.names) : "none");
    buf_release(&k.names);
    return k.found ? CMD_OK : CMD_USAGE;
}

int cli_when(const char *cmd, const char *s, int utc, char *out)
{
    char msg[300];
    if (when_parse(s, time(NULL), utc, out, msg, sizeof msg) == 0)
        return CMD_OK;
    fprintf(stderr, "newsarc %s: %s\n", cmd, msg);
    return CMD_USAGE;
}
