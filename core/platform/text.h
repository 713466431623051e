/* text.h — pure text checks shared by the API, the sync binary and core:
 * UUID and e-mail syntax, UTF-8 length, ISO 8601 date-times. */
#ifndef VS_TEXT_H
#define VS_TEXT_H

#include <stdbool.h>

#define UUID_STR_LEN 36

bool is_uuid(const char *s);
bool is_email(const char *s);
/* Number of UTF-8 code points, or -1 if s is not valid UTF-8 or has control chars. */
long utf8_chars(const char *s);
/* Exactly n ASCII digits at s as a number in *out; false (out untouched) otherwise. */
bool text_digits(const char *s, int n, int *out);
/* ISO 8601 date or date-time (Z or ±hh:mm) → "YYYY-MM-DD HH:MM:SS" UTC. */
bool iso_to_sql_datetime(const char *iso, char out[20]);

#endif
