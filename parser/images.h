/* images.h — the images of an extracted article, so that the crawl can
 * archive them with it (sites.conf `requisites = images`) and a replay shows
 * the article's photos. Only the kept content counts: <img> (and the
 * <source>s of a <picture>) below the article container, outside the
 * subtrees the boilerplate pruning dropped (clean.h CLEAN_SKIP), and
 * outside blocks whose every line but captions the line filters dropped
 * (a QR code over "扫一扫关注公众号", a thumbnail in a related-articles
 * item), and not inside a link to anything but an image file (an advert, a
 * share button, a logo linking home). Logos, share icons, adverts and QR
 * codes of the page's boilerplate are therefore not taken. */
#ifndef NA_IMAGES_H
#define NA_IMAGES_H

#include <stddef.h>

struct dom;
struct dom_node;
struct text_lines;

#define IMAGES_MAX 1000 /* largest max images_collect takes */

/* The URLs of the images in container (as clean_container chose and
 * flagged it; lines as clean_lines judged them, or NULL), in document
 * order, each once, at most max (capped at IMAGES_MAX). For one <img>: the
 * lazy-load attribute data-src, data-original or data-lazy-src when there
 * is one, else src (a data: URI is no URL), and the largest candidate of
 * srcset or data-srcset (widest "w", else highest "x"); for a <source>
 * inside a <picture>: its largest srcset candidate. Each is resolved
 * against <base href> (itself resolved against page_url) or page_url
 * through crawler/url.h (url_resolve_cs with the page's charset, NULL:
 * UTF-8) and canonicalized; what is not http(s) or does not parse is left
 * out. *out gets a malloc'd array of *n malloc'd strings (NULL, 0 when
 * none), owned by the caller (images_free). Returns 0 or NA_ENOMEM (then
 * *out is NULL and *n 0). */
int images_collect(const struct dom *d, const struct dom_node *container, const struct text_lines *lines,
                   const char *page_url, const char *charset, size_t max, char ***out, size_t *n);
/* Frees what images_collect made (v NULL is fine). */
void images_free(char **v, size_t n);

#endif
