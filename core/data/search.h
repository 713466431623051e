/* search.h — the one reading of a free-text search box ("find a customer"):
 * a number when it has only digits and "+ -()." and at least 2 digits, an
 * e-mail when it has "@", else a name; and the LIKE prefix patterns that the
 * list statements (core/data/data_sql.c) match on indexed columns. Prefix
 * patterns only: "abc%" is a range of an index, "%abc%" would read them all
 * (docs/performance.md "Search"). */
#ifndef VS_SEARCH_H
#define VS_SEARCH_H

#include <stddef.h>

typedef enum { SEARCH_NONE, SEARCH_NUMBER, SEARCH_EMAIL, SEARCH_NAME } search_kind;

#define SEARCH_DIGITS_MAX 39

/* What s is; digits (SEARCH_DIGITS_MAX + 1 bytes) gets its digits. */
search_kind search_classify(const char *s, char digits[SEARCH_DIGITS_MAX + 1]);

/* LIKE pattern: pre, then s with LIKE wildcards escaped, then '%'; out must
 * hold 2*strlen(s) + strlen(pre) + 2 bytes (longer input is cut). */
void search_like_prefix(const char *pre, const char *s, char *out, size_t outsz);

/* The E.164 prefix pattern of a number search: "+<digits>%" when s starts
 * with "+" or the digits with 1, else "+1<digits>%" (a national US number). */
void search_number_prefix(const char *s, const char *digits, char *out, size_t outsz);

#endif
