/* site_net.c — a site's transfer settings as fetch options (site_net.h). */
#include "crawler/site_net.h"
#include "crawler/sites.h"
#include "util/err.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* DIR/cookies/NAME.txt into out; DIR/cookies made with make_dir. */
static int jar_path(const char *dir, const struct site *s, int make_dir, struct buf *out, struct buf *err)
{
    if (s->name[0] == '.' || strchr(s->name, '/')) {
        buf_seterr(err, "site '%s': a name starting with '.' cannot name a cookie jar", s->name);
        return NA_ECONFIG;
    }
    buf_printf(out, "%s/cookies", dir);
    if (out->err)
        return NA_ENOMEM;
    if (make_dir && mkdir(out->data, 0700) != 0 && errno != EEXIST) {
        buf_seterr(err, "cannot make '%s': %s", out->data, strerror(errno));
        return NA_EIO;
    }
    buf_printf(out, "/%s.txt", s->name);
    return out->err;
}

int site_net_open(const struct sites_config *cfg, const struct site *s, const char *dir, int make_dir,
                  struct site_net *out, struct buf *err)
{
    memset(out, 0, sizeof *out);
    const char *name = s ? s->name : "[newsarc]";
    struct sites_net sn;
    sites_net_for(cfg, s, &sn);
    struct fetch_net *fn = &out->net;
    fn->ca_file = sn.ca_file;
    fn->tls_no_verify = !sn.tls_verify;
    fn->tls_legacy = sn.tls_legacy;
    fn->proxy = sn.proxy;
    fn->no_proxy = sn.no_proxy;
    struct buf e = BUF_INIT;
    int rc = sites_proxy_auth(&sn, &out->proxy_auth, &e);
    if (rc) {
        buf_seterr(err, "site %s: %s", name, buf_str(&e));
        goto fail;
    }
    fn->proxy_auth = out->proxy_auth;
    if (sn.cookies) {
        struct buf path = BUF_INIT;
        if (dir && s && (rc = jar_path(dir, s, make_dir, &path, &e))) {
            buf_release(&path);
            buf_seterr(err, "site %s: cookie jar: %s", name, rc == NA_ENOMEM ? "out of memory" : buf_str(&e));
            goto fail;
        }
        out->jar = fetch_jar_open(path.data, &e);
        buf_release(&path);
        if (!out->jar) {
            buf_seterr(err, "site %s: %s", name, buf_str(&e));
            rc = NA_EIO;
            goto fail;
        }
        fn->jar = out->jar;
    }
    buf_release(&e);
    return 0;
fail:
    buf_release(&e);
    site_net_release(out);
    return rc;
}

void site_net_release(struct site_net *n)
{
    if (!n)
        return;
    if (n->proxy_auth) {
        memset(n->proxy_auth, 0, strlen(n->proxy_auth));
        free(n->proxy_auth);
    }
    fetch_jar_free(n->jar);
    memset(n, 0, sizeof *n);
}

