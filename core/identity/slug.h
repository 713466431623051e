/* slug.h — URL slugs derived from organisation names ("Café Zürich & Co" →
 * "cafe-zurich-co"). Pure function, no I/O. */
#ifndef VS_SLUG_H
#define VS_SLUG_H

#include <stddef.h>

#define SLUG_MAX_CHARS 200
#define SLUG_MAX_BYTES (SLUG_MAX_CHARS * 4 + 1)

/* Rules: ASCII letters and digits are kept (lowercased); Latin-1 and Latin
 * Extended-A letters are transliterated (é→e, ß→ss, Œ→oe); apostrophes and
 * combining marks vanish; Greek and Cyrillic capitals are lowercased; other
 * letters (CJK, Arabic, ...) are kept as they are; everything else (spaces,
 * punctuation, symbols, emoji) separates words with a single '-'. No leading or
 * trailing '-', at most SLUG_MAX_CHARS characters.
 * Returns the slug length in characters (0: the name has no letter or digit),
 * or -1 if name is not valid UTF-8 / has control characters / out is too small. */
int slug_from_name(const char *name, char *out, size_t outsz);

#endif
