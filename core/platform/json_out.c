/* json_out.c — owns the JSON text buffer and its value writers (see
 * json_out.h for the output they must match). */
#include "platform/json_out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JB_DUMP_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY | JSON_REAL_PRECISION(12))

static bool jb_need(json_buf *b, size_t n)
{
    if (b->oom)
        return false;
    if (b->len + n + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 8192;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void jb_put(json_buf *b, const char *s, size_t n)
{
    if (!jb_need(b, n))
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void jb_lit(json_buf *b, const char *s) { jb_put(b, s, strlen(s)); }

void jb_unput(json_buf *b, char c)
{
    if (!b->oom && b->len && b->p[b->len - 1] == c)
        b->len--;
}

/* One UTF-8 sequence at s (n bytes left): its length, or 1 with *cp = U+FFFD
 * for a malformed, overlong or surrogate sequence. */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    *cp = 0xFFFD;
    if (len == 0 || len > n)
        return 1;
    unsigned v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const unsigned min_of_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min_of_len[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 1;
    *cp = v;
    return len;
}

void jb_str(json_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *u = (const unsigned char *)s;
    if (!jb_need(b, n + 2))
        return;
    b->p[b->len++] = '"';
    size_t run = 0; /* start of the pending plain run */
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        jb_put(b, s + run, i - run);
        unsigned cp;
        size_t len = utf8_next(u + i, n - i, &cp);
        switch (cp) {
        case '"': jb_put(b, "\\\"", 2); break;
        case '\\': jb_put(b, "\\\\", 2); break;
        case '\b': jb_put(b, "\\b", 2); break;
        case '\f': jb_put(b, "\\f", 2); break;
        case '\n': jb_put(b, "\\n", 2); break;
        case '\r': jb_put(b, "\\r", 2); break;
        case '\t': jb_put(b, "\\t", 2); break;
        default:
            if (cp < 0x10000) {
                char one[6] = {'\\', 'u', hex[cp >> 12], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15], hex[cp & 15]};
                jb_put(b, one, 6);
            } else {
                unsigned v = cp - 0x10000, hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
                char two[12] = {'\\', 'u', hex[hi >> 12], hex[(hi >> 8) & 15], hex[(hi >> 4) & 15], hex[hi & 15],
                                '\\', 'u', hex[lo >> 12], hex[(lo >> 8) & 15], hex[(lo >> 4) & 15], hex[lo & 15]};
                jb_put(b, two, 12);
            }
        }
        i += len;
        run = i;
    }
    jb_put(b, s + run, n - run);
    jb_put(b, "\"", 1);
}

void jb_int(json_buf *b, long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", v);
    jb_put(b, t, (size_t)n);
}

/* As jansson's jsonp_dtostr: %.12g, a ".0" when the text has neither '.' nor
 * 'e', and no '+' or leading zeros in the exponent. */
void jb_real(json_buf *b, double v)
{
    if (!isfinite(v)) {
        jb_put(b, "null", 4);
        return;
    }
    char t[40];
    int n = snprintf(t, sizeof t, "%.12g", v);
    if (n <= 0 || (size_t)n >= sizeof t - 3)
        return;
    if (!strchr(t, '.') && !strchr(t, 'e')) {
        memcpy(t + n, ".0", 3);
        n += 2;
    }
    char *e = strchr(t, 'e');
    if (e) {
        char *start = e + 1, *end = start + 1;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, strlen(end) + 1);
            n = (int)strlen(t);
        }
    }
    jb_put(b, t, (size_t)n);
}

static int dump_cb(const char *buffer, size_t size, void *data)
{
    json_buf *b = data;
    jb_put(b, buffer, size);
    return b->oom ? -1 : 0;
}

void jb_json(json_buf *b, const json_t *v)
{
    if (!v) {
        jb_put(b, "null", 4);
        return;
    }
    if (json_dump_callback(v, dump_cb, b, JB_DUMP_FLAGS) != 0)
        b->oom = true;
}

char *jb_take(json_buf *b, size_t *len)
{
    char *p = NULL;
    if (jb_need(b, 0)) {
        b->p[b->len] = 0;
        p = b->p;
        if (len)
            *len = b->len;
        b->p = NULL;
    }
    jb_free(b);
    return p;
}

void jb_free(json_buf *b)
{
    free(b->p);
    *b = (json_buf){0};
}
