/* article_fields.h — the one list of an article's metadata fields, as an
 * X-macro. Every place that spells out the fields is generated from it: the
 * members of struct article (parser/article.h), the store's input struct
 * (struct archive_text, store/archive.h) and its index rows (store/index.h),
 * the SQL columns of the articles table (store/index.c), the JSON of the
 * metadata record (store/archive.c) and of its reader (store/recover.c),
 * export jsonl and get --json (store/export.c), `extract --format json`
 * (cli/cmd_extract.c) and reextract's "unchanged?" comparison
 * (cli/cmd_reextract.c). A field added here appears in all of them (the
 * articles table then needs a column: a schema migration in store/index.c).
 *
 * Every field is a UTF-8 string, NULL when unknown. X(name) is called once
 * per field, in this order (the order of the JSON keys and SQL columns):
 *   title           headline, site-name suffix stripped
 *   published       ISO 8601, e.g. 2023-02-03T12:30:00+08:00 or 2023-02-03
 *   published_from  meta | jsonld | time | text | relative | url | rule
 *   author
 *   source          来源
 *   category
 *   lang            BCP 47 primary tag, e.g. "zh", "en"
 *   charset         as detected / used
 * The body text, the URL and the site are not in the list: each place
 * handles them itself (the text is a record of its own in the archive). */
#ifndef NA_ARTICLE_FIELDS_H
#define NA_ARTICLE_FIELDS_H

#define ARTICLE_FIELDS(X)                                                                       \
    X(title)                                                                                    \
    X(published)                                                                                \
    X(published_from)                                                                           \
    X(author)                                                                                   \
    X(source)                                                                                   \
    X(category)                                                                                 \
    X(lang)                                                                                     \
    X(charset)

/* Helpers for the common expansions. */
#define ARTICLE_FIELD_OWNED(name) char *name;        /* a struct member, owned */
#define ARTICLE_FIELD_BORROWED(name) const char *name; /* a struct member, borrowed */
#define ARTICLE_FIELD_PLUS_ONE(name) +1
/* The number of fields (a constant expression). */
#define ARTICLE_NFIELDS (0 ARTICLE_FIELDS(ARTICLE_FIELD_PLUS_ONE))

#endif
