/* rules.c — per-site XPath rules, evaluated by libxml2 (XPath 1.0). The dom
 * tree is copied once into an xmlDoc (elements, attributes, text; each
 * xmlNode's _private points back at its dom_node), kept on the dom (dom.ext)
 * and freed by dom_free. libxml2 never writes to stderr from here: every
 * call installs a structured error handler (libxml2 keeps it per thread) and
 * turns the first error into a message in the caller's err. */
#include "parser/rules.h"
#include "parser/dom.h"
#include "util/err.h"
#include "util/mem.h"

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* XPath steps one evaluation may take: enough for any sensible rule on a
 * capped page, and a bound on runaway expressions (nested //-steps). */
#define RULES_OP_LIMIT 5000000UL

void rules_init(struct rules *r) { memset(r, 0, sizeof *r); }

void rules_release(struct rules *r)
{
    if (!r)
        return;
    free(r->container);
    for (size_t i = 0; i < r->ndrop && i < RULES_MAX_DROP; i++)
        free(r->drop[i]);
    free(r->title);
    free(r->date);
    free(r->author);
    memset(r, 0, sizeof *r);
}

/* ---- libxml2 set-up and errors ---- */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void) { xmlInitParser(); }

struct sink {
    char msg[160]; /* first error, lower-cased first letter, no newline */
    int offset;    /* XPath: offset in the expression, else -1 */
    int n;
};

static void sink_error(void *ud, xmlErrorPtr e)
{
    struct sink *s = ud;
    if (!s || !e || s->n++)
        return;
    const char *m = e->message ? e->message : "error";
    size_t l = strlen(m);
    while (l && (m[l - 1] == '\n' || m[l - 1] == ' '))
        l--;
    if (l >= sizeof s->msg)
        l = sizeof s->msg - 1;
    memcpy(s->msg, m, l);
    s->msg[l] = 0;
    if (s->msg[0] >= 'A' && s->msg[0] <= 'Z')
        s->msg[0] = (char)(s->msg[0] + 32);
    s->offset = e->domain == XML_FROM_XPATH ? e->int1 : -1;
}

static void generic_quiet(void *ud, const char *fmt, ...)
{
    (void)ud;
    (void)fmt;
}

/* Routes this thread's libxml2 errors to s (and silences its "generic"
 * messages) until xml_leave restores the previous handlers. */
struct xml_guard {
    xmlStructuredErrorFunc prev;
    void *prev_ctx;
    xmlGenericErrorFunc prev_generic;
    void *prev_generic_ctx;
};

static void xml_enter(struct xml_guard *g, struct sink *s)
{
    pthread_once(&xml_once, xml_init);
    memset(s, 0, sizeof *s);
    s->offset = -1;
    g->prev = xmlStructuredError;
    g->prev_ctx = xmlStructuredErrorContext;
    g->prev_generic = xmlGenericError;
    g->prev_generic_ctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(s, sink_error);
    xmlSetGenericErrorFunc(NULL, generic_quiet);
}

static void xml_leave(const struct xml_guard *g)
{
    xmlSetStructuredErrorFunc(g->prev_ctx, g->prev);
    xmlSetGenericErrorFunc(g->prev_generic_ctx, g->prev_generic);
}

static void seterr_xpath(struct buf *err, const char *what, const char *xpath, const struct sink *s)
{
    if (s->offset >= 0)
        buf_seterr(err, "%s '%s' at offset %d: %s", what, xpath, s->offset,
                   s->n ? s->msg : "invalid expression");
    else
        buf_seterr(err, "%s '%s': %s", what, xpath, s->n ? s->msg : "invalid expression");
}

static xmlXPathContextPtr new_ctx(xmlDocPtr doc)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    if (!ctx)
        return NULL;
    /* ctx->error stays NULL: then libxml2 raises XPath errors with their
     * message through this thread's structured handler (xml_enter). */
    ctx->opLimit = RULES_OP_LIMIT;
    return ctx;
}

/* ---- the xmlDoc copy of a dom ---- */

static void xdoc_free(void *p) { xmlFreeDoc(p); }

static xmlNodePtr xnode(xmlDocPtr doc, const struct dom_node *n)
{
    xmlNodePtr x;
    if (n->type == DOM_TEXT) {
        x = xmlNewDocTextLen(doc, (const xmlChar *)n->text, (int)(n->len > 0x7fffffff ? 0x7fffffff : n->len));
    } else {
        x = xmlNewDocNode(doc, NULL, (const xmlChar *)(n->name && *n->name ? n->name : "x"), NULL);
        for (unsigned i = 0; x && i < n->nattrs; i++)
            if (*n->attrs[i].name && !xmlNewProp(x, (const xmlChar *)n->attrs[i].name,
                                                 (const xmlChar *)n->attrs[i].value)) {
                xmlFreeNode(x);
                return NULL;
            }
    }
    if (x)
        x->_private = (void *)n;
    return x;
}

/* Links c as the last child of p without xmlAddChild (which would merge
 * adjacent text nodes and so lose the mapping). */
static void xlink(xmlNodePtr p, xmlNodePtr c)
{
    c->parent = p;
    c->prev = p->last;
    if (p->last)
        p->last->next = c;
    else
        p->children = c;
    p->last = c;
}

/* The xmlDoc for d, made on first use (iteratively: the dom is depth-capped
 * but no stack is needed). NULL when out of memory. */
static xmlDocPtr xdoc_get(struct dom *d)
{
    if (d->ext && d->ext_free == xdoc_free)
        return d->ext;
    if (d->ext || !d->root)
        return NULL;
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    if (!doc)
        return NULL;
    doc->dict = xmlDictCreate();
    xmlNodePtr xroot = doc->dict ? xnode(doc, d->root) : NULL;
    if (!xroot) {
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlDocSetRootElement(doc, xroot);
    const struct dom_node *n = d->root;
    xmlNodePtr x = xroot;
    for (;;) {
        if (n->first) {
            xmlNodePtr c = xnode(doc, n->first);
            if (!c)
                goto oom;
            xlink(x, c);
            n = n->first;
            x = c;
            continue;
        }
        while (n != d->root && !n->next) {
            n = n->parent;
            x = x->parent;
        }
        if (n == d->root)
            break;
        xmlNodePtr c = xnode(doc, n->next);
        if (!c)
            goto oom;
        xlink(x->parent, c);
        n = n->next;
        x = c;
    }
    /* Document order in O(1) for sorting node sets. */
    xmlXPathOrderDocElems(doc);
    d->ext = doc;
    d->ext_free = xdoc_free;
    return doc;
oom:
    xmlFreeDoc(doc);
    return NULL;
}

/* ---- public ---- */

struct rule_expr {
    const char *name;  /* the sites.conf key */
    const char *xpath;
    size_t i;          /* 1-based index for xpath_drop, else 0 */
};

int rules_validate(const struct rules *r, struct buf *err)
{
    if (!r)
        return 0;
    struct rule_expr list[RULES_MAX_DROP + 4];
    size_t n = 0;
    list[n++] = (struct rule_expr){ "xpath_container", r->container, 0 };
    for (size_t i = 0; i < r->ndrop && i < RULES_MAX_DROP; i++)
        list[n++] = (struct rule_expr){ "xpath_drop", r->drop[i], i + 1 };
    list[n++] = (struct rule_expr){ "xpath_title", r->title, 0 };
    list[n++] = (struct rule_expr){ "xpath_date", r->date, 0 };
    list[n++] = (struct rule_expr){ "xpath_author", r->author, 0 };
    if (r->ndrop > RULES_MAX_DROP) {
        buf_seterr(err, "xpath_drop: more than %d expressions", RULES_MAX_DROP);
        return NA_ECONFIG;
    }

    struct sink s;
    struct xml_guard g;
    xml_enter(&g, &s);
    xmlXPathContextPtr ctx = new_ctx(NULL);
    int rc = ctx ? 0 : NA_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!list[i].xpath)
            continue;
        char what[48];
        if (list[i].i)
            snprintf(what, sizeof what, "%s #%zu", list[i].name, list[i].i);
        else
            snprintf(what, sizeof what, "%s", list[i].name);
        if (!*list[i].xpath) {
            buf_seterr(err, "%s: empty expression", what);
            rc = NA_ECONFIG;
            break;
        }
        s.n = 0;
        s.offset = -1;
        xmlXPathCompExprPtr c = xmlXPathCtxtCompile(ctx, (const xmlChar *)list[i].xpath);
        if (!c) {
            seterr_xpath(err, what, list[i].xpath, &s);
            rc = NA_ECONFIG;
        }
        xmlXPathFreeCompExpr(c);
    }
    if (rc == NA_ENOMEM)
        buf_seterr(err, "out of memory while checking xpath rules");
    xmlXPathFreeContext(ctx);
    xml_leave(&g);
    return rc;
}

/* Evaluates xpath on d's xmlDoc; *res is the result (free it) or NULL with
 * a message in err. */
static int eval(struct dom *d, const char *xpath, xmlXPathObjectPtr *res, struct buf *err)
{
    struct sink s;
    struct xml_guard g;
    *res = NULL;
    if (!d || !xpath || !*xpath) {
        buf_seterr(err, "xpath: empty expression");
        return NA_EINVAL;
    }
    xml_enter(&g, &s);
    int rc = 0;
    xmlXPathContextPtr ctx = NULL;
    xmlDocPtr doc = xdoc_get(d);
    if (!doc || !(ctx = new_ctx(doc))) {
        buf_seterr(err, "out of memory while evaluating xpath '%s'", xpath);
        rc = NA_ENOMEM;
        goto done;
    }
    ctx->node = (xmlNodePtr)doc;
    *res = xmlXPathEval((const xmlChar *)xpath, ctx);
    if (!*res || s.n) {
        seterr_xpath(err, "xpath", xpath, &s);
        xmlXPathFreeObject(*res);
        *res = NULL;
        rc = NA_EINVAL;
    }
done:
    xmlXPathFreeContext(ctx);
    xml_leave(&g);
    return rc;
}

int rules_select(struct dom *d, const char *xpath, rules_match_fn fn, void *ud, struct buf *err)
{
    xmlXPathObjectPtr res;
    int rc = eval(d, xpath, &res, err);
    if (rc)
        return rc;
    if (res->type != XPATH_NODESET) {
        buf_seterr(err, "xpath '%s': selects a value, not elements", xpath);
        xmlXPathFreeObject(res);
        return NA_EINVAL;
    }
    int count = 0;
    xmlNodeSetPtr set = res->nodesetval;
    if (set && set->nodeNr > 1)
        xmlXPathNodeSetSort(set);
    for (int i = 0; set && i < set->nodeNr; i++) {
        xmlNodePtr x = set->nodeTab[i];
        if (x->type != XML_ELEMENT_NODE || !x->_private)
            continue;
        count++;
        if (fn)
            fn(x->_private, ud);
    }
    xmlXPathFreeObject(res);
    return count;
}

int rules_string(struct dom *d, const char *xpath, struct buf *out, struct buf *err)
{
    xmlXPathObjectPtr res;
    int rc = eval(d, xpath, &res, err);
    if (rc)
        return rc;
    xmlChar *v = xmlXPathCastToString(res);
    xmlXPathFreeObject(res);
    if (!v) {
        buf_seterr(err, "out of memory while evaluating xpath '%s'", xpath);
        return NA_ENOMEM;
    }
    /* normalize-space(): trim, and collapse runs of white space to one space */
    size_t before = out->len;
    int space = 0;
    for (const xmlChar *p = v; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f') {
            space = out->len > before;
            continue;
        }
        if (space)
            buf_addc(out, ' ');
        space = 0;
        buf_addc(out, (char)*p);
    }
    xmlFree(v);
    if (out->err) {
        buf_seterr(err, "xpath '%s': %s", xpath, na_strerror(out->err));
        return out->err;
    }
    if (out->len == before) {
        buf_seterr(err, "xpath '%s': empty result", xpath);
        return NA_ENOTFOUND;
    }
    return 0;
}
