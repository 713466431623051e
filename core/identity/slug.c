/* slug.c — owns the derivation of an organisation's slug from its name. */
#include "identity/slug.h"

#include <stdbool.h>
#include <string.h>

/* U+0100..U+017F (Latin Extended-A) → base letter; '2' = "ij", '3' = "oe". */
static const char latin_ext_a[129] =
    "aaaaaa" "cccccccc" "dddd" "eeeeeeeeee" "gggggggg" "hhhh" "iiiiiiiiii" "22" "jj" "kkk"
    "llllllllll" "nnnnnnnnn" "oooooo" "33" "rrrrrr" "ssssssss" "tttttt" "uuuuuuuuuuuu" "ww"
    "yyy" "zzzzzz" "s";

/* U+00C0..U+00FF (Latin-1 letters); '-' = separator (× ÷), '4' = "ae",
 * '5' = "th", '6' = "ss". */
static const char latin1[65] =
    "aaaaaa4ceeeeiiii" "dnooooo-ouuuuy56" "aaaaaa4ceeeeiiii" "dnooooo-ouuuuy5y";

/* Decode one code point; returns bytes used or -1. Rejects control chars. */
static int decode(const unsigned char *s, unsigned *cp)
{
    unsigned char c = s[0];
    int n;
    unsigned v, min;
    if (c < 0x80) {
        if (c < 0x20 || c == 0x7f)
            return -1;
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return -1;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    if (v >= 0x80 && v < 0xA0) /* C1 controls */
        return -1;
    *cp = v;
    return n;
}

static int encode(unsigned cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

typedef struct {
    char *out;
    size_t cap, len; /* bytes */
    int chars;
    bool pending_sep, overflow;
} slug_buf;

static void emit(slug_buf *b, const char *bytes, int n)
{
    if (b->chars >= SLUG_MAX_CHARS)
        return;
    int need = n + (b->pending_sep && b->chars > 0 ? 1 : 0);
    if (b->len + (size_t)need + 1 > b->cap) {
        b->overflow = true;
        return;
    }
    if (b->pending_sep && b->chars > 0) {
        if (b->chars + 1 >= SLUG_MAX_CHARS) { /* no room for sep + char */
            b->chars = SLUG_MAX_CHARS;
            return;
        }
        b->out[b->len++] = '-';
        b->chars++;
    }
    b->pending_sep = false;
    memcpy(b->out + b->len, bytes, (size_t)n);
    b->len += (size_t)n;
    b->chars++;
}

static void emit_ascii(slug_buf *b, const char *s)
{
    for (; *s; s++)
        emit(b, s, 1);
}

/* 0 separator, 1 drop, 2 keep (maybe lowercased: *cp updated), 3 ascii text in *txt */
static int classify(unsigned *cp, const char **txt)
{
    unsigned c = *cp;
    static char one[2];
    if (c < 0x80) {
        if (c >= 'A' && c <= 'Z') {
            *cp = c + 32;
            return 2;
        }
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            return 2;
        if (c == '\'')
            return 1;
        return 0;
    }
    if (c >= 0xC0 && c <= 0xFF) {
        char t = latin1[c - 0xC0];
        switch (t) {
        case '-': return 0;
        case '4': *txt = "ae"; return 3;
        case '5': *txt = "th"; return 3;
        case '6': *txt = "ss"; return 3;
        default: one[0] = t, one[1] = 0; *txt = one; return 3;
        }
    }
    if (c >= 0x100 && c <= 0x17F) {
        char t = latin_ext_a[c - 0x100];
        if (t == '2') { *txt = "ij"; return 3; }
        if (t == '3') { *txt = "oe"; return 3; }
        one[0] = t, one[1] = 0;
        *txt = one;
        return 3;
    }
    if (c < 0xC0)                       /* Latin-1 punctuation and symbols */
        return 0;
    if (c >= 0x300 && c <= 0x36F)       /* combining diacritical marks */
        return 1;
    if (c == 0x2019 || c == 0x2018 || c == 0x02BC) /* typographic apostrophes */
        return 1;
    if (c >= 0x200B && c <= 0x200D)     /* zero-width characters */
        return 1;
    if (c >= 0xFE00 && c <= 0xFE0F)     /* variation selectors */
        return 1;
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) { /* Greek capitals */
        *cp = c + 0x20;
        return 2;
    }
    if (c >= 0x410 && c <= 0x42F) {     /* Cyrillic capitals */
        *cp = c + 0x20;
        return 2;
    }
    if (c >= 0x400 && c <= 0x40F) {
        *cp = c + 0x50;
        return 2;
    }
    if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF0F) ||
        c >= 0x1F000 || (c >= 0xE000 && c <= 0xF8FF) || c == 0xFEFF || c == 0xFFFD)
        return 0;                        /* punctuation, symbols, emoji, private use */
    return 2;                            /* a letter of another script: keep */
}

int slug_from_name(const char *name, char *out, size_t outsz)
{
    if (!name || !out || outsz == 0)
        return -1;
    slug_buf b = {.out = out, .cap = outsz};
    const unsigned char *s = (const unsigned char *)name;
    while (*s) {
        unsigned cp;
        int n = decode(s, &cp);
        if (n < 0)
            return -1;
        s += n;
        const char *txt = NULL;
        switch (classify(&cp, &txt)) {
        case 0:
            b.pending_sep = true;
            break;
        case 1:
            break;
        case 2: {
            char enc[4];
            int k = encode(cp, enc);
            emit(&b, enc, k);
            break;
        }
        case 3:
            emit_ascii(&b, txt);
            break;
        }
        if (b.overflow)
            return -1;
    }
    out[b.len] = 0;
    return b.chars;
}
