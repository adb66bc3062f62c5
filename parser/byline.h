/* byline.h — Chinese reporter bylines in a line of text: a 记者 label with
 * the names after it ("新华日报·交汇点记者 徐睿翔", "本报记者罗科苏盈发自北京",
 * "河南商报记者马俊峰/文"; 实习生 or 通讯员 when no reporter is named), and a
 * bracketed credit that opens a paragraph, after a dateline too ("新华社巴黎
 * 12月9日电（记者唐霁）"), or closes one ("（记者 胡晓蓉）", "（总台记者 张倩）",
 * "（袁源）", "（常书香 马丹阳 ）", "（姚峰 上海报道）"). Names are checked
 * against a table of family names, so prose ("记者了解到"), places ("上海报道")
 * and, without a label, outlets ("华商报") are not taken for people. */
#ifndef NA_PARSER_BYLINE_H
#define NA_PARSER_BYLINE_H

#include "util/buf.h"

#include <stddef.h>

/* Scans the line s[0..n) (line_cps code points) for a reporter byline.
 * On a hit appends the names, joined by one space, to out and returns
 * their number and sets *at to the byte offset of the credit in s and
 * *bare to 1 when it is a bracket of names without a label ("（袁源）");
 * returns 0 when there is none, NA_ENOMEM when out could not grow. */
int byline_cn(const char *s, size_t n, size_t line_cps, struct buf *out, size_t *at, int *bare);

/* The line s[0..n) when it holds nothing but one or more names ("胡平",
 * "赵延东、风笑天"): appends them to out (empty before) and returns their
 * number; 0 when it is anything else, NA_ENOMEM when out could not grow. */
int byline_name_line(const char *s, size_t n, struct buf *out);

/* Bytes of a Chinese family name at p (one or two characters), 0 if the
 * text at p does not start with one. */
size_t byline_surname(const char *p, const char *e);

#endif
