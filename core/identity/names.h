/* names.h — display names (of users, organisations, API keys): the one rule
 * for free text that people type and others read. */
#ifndef VS_NAMES_H
#define VS_NAMES_H

#include <stddef.h>

/* NULL when s is acceptable — valid UTF-8, 1..max_chars characters, no
 * control characters (C0, DEL, C1), not starting or ending with a space —
 * else the reason, for a 400 naming the field. */
const char *name_problem(const char *s, size_t max_chars);

#endif
