/* lang.h — the language of a page, as a BCP 47 primary tag ("zh", "en"):
 * the declared one (html lang, content-language, og:locale, JSON-LD
 * inLanguage) unless the script of the page's text contradicts it, else one
 * guessed from the script and, for Latin script, function words. Used by
 * title.c (meta_title sets the article's language). */
#ifndef NA_LANG_H
#define NA_LANG_H

struct dom;

/* The language of the page d, from declared (a language tag as written, or
 * NULL) and a sample of the text below <body> after title (the headline, or
 * NULL). *out is a new string, or NULL when nothing tells. Returns 0 or
 * NA_ENOMEM. */
int page_lang(struct dom *d, const char *declared, const char *title, char **out);

#endif
