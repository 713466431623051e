/* text.c — owns the pure checks of text every layer needs: UUIDs, e-mail
 * addresses, UTF-8 (with control characters refused) and ISO 8601 → SQL
 * DATETIME conversion. No request, no database. */
#include "platform/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

long utf8_chars(const char *s)
{
    long n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned char c = *p;
        int extra;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7f)
                return -1;
            extra = 0;
        } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
            extra = 1;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
        } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
            extra = 3;
        } else {
            return -1;
        }
        p++;
        /* strict: the second byte's range rules out overlong forms (E0 80..9F,
         * F0 80..8F), UTF-16 surrogates (ED A0..BF) and code points above
         * U+10FFFF (F4 90..BF) */
        unsigned char lo = 0x80, hi = 0xBF;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        if (extra && (*p < lo || *p > hi))
            return -1;
        for (int i = 0; i < extra; i++, p++)
            if ((*p & 0xC0) != 0x80)
                return -1;
        n++;
    }
    return n;
}

bool is_uuid(const char *s)
{
    if (!s || strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

bool is_email(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 3 || n > 254 || utf8_chars(s) < 0)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
        return false;
    for (const char *p = s; *p; p++)
        if (*p == ' ' || *p == '<' || *p == '>' || *p == '"' || *p == '\'' || *p == ';' || *p == '\\')
            return false;
    return at[1] != '.' && s[n - 1] != '.';
}

bool text_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool iso_to_sql_datetime(const char *iso, char out[20])
{
    int Y, M, D, h = 0, m = 0, sec = 0, oh = 0, om = 0, sign = 0;
    size_t n = strlen(iso);
    if (n < 10 || n > 35 || !text_digits(iso, 4, &Y) || iso[4] != '-' || !text_digits(iso + 5, 2, &M) ||
        iso[7] != '-' || !text_digits(iso + 8, 2, &D))
        return false;
    const char *p = iso + 10;
    if (*p == 'T' || *p == ' ') {
        if (!text_digits(p + 1, 2, &h) || p[3] != ':' || !text_digits(p + 4, 2, &m))
            return false;
        p += 6;
        if (*p == ':') {
            if (!text_digits(p + 1, 2, &sec))
                return false;
            p += 3;
            if (*p == '.') {
                p++;
                int k = 0;
                while (isdigit((unsigned char)*p) && k < 9)
                    p++, k++;
                if (k == 0)
                    return false;
            }
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            sign = *p == '+' ? 1 : -1;
            if (!text_digits(p + 1, 2, &oh) || p[3] != ':' || !text_digits(p + 4, 2, &om) || oh > 14 || om > 59)
                return false;
            p += 6;
        }
    }
    if (*p)
        return false;
    if (Y < 1970 || Y > 2100 || M < 1 || M > 12 || D < 1 || h > 23 || m > 59 || sec > 59)
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (D > mdays[M - 1] || (M == 2 && D == 29 && !leap))
        return false;
    struct tm tm = {.tm_year = Y - 1900, .tm_mon = M - 1, .tm_mday = D, .tm_hour = h, .tm_min = m, .tm_sec = sec};
    time_t t = timegm(&tm) - (time_t)sign * (oh * 3600 + om * 60);
    struct tm u;
    gmtime_r(&t, &u);
    strftime(out, 20, "%Y-%m-%d %H:%M:%S", &u);
    return true;
}
