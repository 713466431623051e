/* json_out.h — a growable buffer of JSON text and the writers of its values,
 * byte for byte what json_dumps() gives with the flags of the API's responses
 * (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(12)): used where
 * rows are written straight into text (db_json.c, the list envelopes) instead
 * of a Jansson tree. An allocation failure sets `oom` and makes every later
 * write a no-op; jb_take() then returns NULL. */
#ifndef VS_JSON_OUT_H
#define VS_JSON_OUT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *p;
    size_t len, cap;
    bool oom;
} json_buf;

/* Raw bytes (already JSON text). */
void jb_put(json_buf *b, const char *s, size_t n);
void jb_lit(json_buf *b, const char *s); /* NUL-terminated raw text */
/* A JSON string of the UTF-8 bytes s[0..n) (ASCII-only output: a \u escape of 4 hex digits for
 * everything above 0x7F, surrogate pairs above 0xFFFF; a malformed byte is
 * written as \uFFFD). */
void jb_str(json_buf *b, const char *s, size_t n);
void jb_int(json_buf *b, long long v);
/* A real as Jansson writes it (%.12g, always with '.' or 'e'); NaN and
 * infinities, which JSON cannot carry, are written as null. */
void jb_real(json_buf *b, double v);
/* Any Jansson value, with the same flags (for the small parts of a body). */
void jb_json(json_buf *b, const json_t *v);
/* Drop the last byte when it is c (a trailing ',' of a list being written). */
void jb_unput(json_buf *b, char c);
/* The text, NUL-terminated, handed to the caller (free()); *len its length.
 * NULL after an allocation failure (the buffer is released either way). */
char *jb_take(json_buf *b, size_t *len);
void jb_free(json_buf *b);

#endif
