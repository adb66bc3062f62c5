/* xmlfix.h — the repairs a feed or sitemap gets before libxml2 reads it, so
 * that the mistakes real CMSs make (a raw '&' in a title or a link, a blank
 * line or a BOM before "<?xml", a gb2312 declaration, HTML entities such as
 * &nbsp;) cost the character at fault and never the links after it. One
 * linear pass over the bytes, bounded output; no XML parsing of its own. */
#ifndef NA_XMLFIX_H
#define NA_XMLFIX_H

#include <stddef.h>
#include "util/buf.h"

/* Bytes scanned for the XML declaration (and skipped junk before it). */
#define XMLFIX_HEAD_MAX 4096

/* Writes to out (which keeps its max; give it room for about twice n) the
 * document in UTF-8, repaired:
 *  - decoded as charset.h decodes pages: a BOM wins, else the encoding of
 *    the XML declaration mapped like any charset label (gb2312/gbk →
 *    GB18030), else UTF-8; bytes that do not decode become U+FFFD. The
 *    caller must then make libxml2 read UTF-8 and ignore the declaration.
 *  - whitespace, BOMs and other junk before the XML declaration (when one
 *    follows within XMLFIX_HEAD_MAX bytes), else before the first '<', are
 *    dropped;
 *  - outside comments, CDATA sections, processing instructions and the
 *    DOCTYPE, no entity reference is left: &amp; &lt; &gt; &quot; &apos;
 *    and the common HTML entities (&nbsp; &copy; &mdash; …) become
 *    character references, and every other '&' (raw, or starting an unknown
 *    or malformed reference) becomes "&#38;", so it stays as text. libxml2's
 *    recover mode drops entity references after its first error, character
 *    references never;
 *  - control characters XML forbids (C0 but tab, LF, CR) are dropped,
 *    inside comments, CDATA sections, PIs and the DOCTYPE too.
 * Returns 0, or NA_ENOMEM / NA_ETOOBIG (out's max) with a message in err. */
int xmlfix_prepare(const char *in, size_t n, struct buf *out, struct buf *err);

#endif
