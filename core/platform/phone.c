/* phone.c — owns phone number normalisation: strict E.164 for numbers typed
 * by people, canonical (lenient) for numbers from MightyCall; see phone.h. */
#include "platform/phone.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static bool is_sep(char c) { return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/'; }

phone_status phone_normalize(const char *in, char out[PHONE_E164_MAX + 1])
{
    char d[PHONE_INPUT_MAX + 1];
    size_t n = 0;
    bool plus = false;
    out[0] = 0;
    if (!in)
        return PHONE_EMPTY;
    if (strlen(in) > PHONE_INPUT_MAX)
        return PHONE_TOO_LONG;
    const char *p = in;
    while (*p == ' ')
        p++;
    if (*p == '+') {
        plus = true;
        p++;
    }
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            d[n++] = *p;
        else if (!is_sep(*p))
            return PHONE_BAD_CHAR;
    }
    d[n] = 0;
    if (n == 0)
        return PHONE_EMPTY;
    const char *digits = d;
    if (!plus) {
        if (n > 2 && strncmp(d, "00", 2) == 0) {
            digits = d + 2;
        } else if (n > 11 && strncmp(d, "011", 3) == 0) {
            digits = d + 3;
        } else if (n == 10 && d[0] >= '2') {
            /* NANP without the country code */
            memmove(d + 1, d, n + 1);
            d[0] = '1';
            digits = d;
        } else if (n == 11 && d[0] == '1') {
            digits = d;
        } else {
            return n < 7 ? PHONE_TOO_SHORT : PHONE_NO_COUNTRY;
        }
    }
    size_t len = strlen(digits);
    if (len > 15)
        return PHONE_TOO_LONG;
    if (len < 7)
        return PHONE_TOO_SHORT;
    if (digits[0] == '0')
        return PHONE_BAD_COUNTRY;
    if (digits[0] == '1') {
        if (len != 11 || digits[1] < '2' || digits[4] < '2')
            return PHONE_BAD_NANP;
    }
    out[0] = '+';
    memcpy(out + 1, digits, len + 1);
    return PHONE_OK;
}

void phone_canonical(const char *in, char *out, size_t outsz)
{
    char e164[PHONE_E164_MAX + 1], d[PHONE_CANONICAL_DIGITS + 1];
    size_t n = 0;
    bool plus = false;
    if (outsz == 0)
        return;
    out[0] = 0;
    if (!in)
        return;
    if (phone_normalize(in, e164) == PHONE_OK) {
        snprintf(out, outsz, "%s", e164);
        return;
    }
    for (const char *p = in; *p && n < sizeof d - 1; p++) {
        if (*p == '+' && n == 0)
            plus = true;
        else if (isdigit((unsigned char)*p))
            d[n++] = *p;
    }
    d[n] = 0;
    if (n == 0)
        return;
    if (!plus && n == 10)
        snprintf(out, outsz, "+1%s", d);
    else if (!plus && n < 7) /* short codes / extensions: kept as they are */
        snprintf(out, outsz, "%s", d);
    else
        snprintf(out, outsz, "+%s", d);
}

const char *phone_status_reason(phone_status st)
{
    switch (st) {
    case PHONE_OK: return "ok";
    case PHONE_EMPTY: return "must be a phone number";
    case PHONE_BAD_CHAR: return "may contain only digits, a leading +, spaces and - . ( ) /";
    case PHONE_TOO_LONG: return "has more than 15 digits";
    case PHONE_TOO_SHORT: return "has fewer than 7 digits";
    case PHONE_NO_COUNTRY: return "needs its country code, e.g. +442071234567";
    case PHONE_BAD_COUNTRY: return "country code cannot start with 0";
    case PHONE_BAD_NANP: return "is not a valid North American number (+1 and 10 digits, area code and exchange 2-9)";
    }
    return "is not a valid phone number";
}

bool phone_is_e164(const char *s)
{
    char out[PHONE_E164_MAX + 1];
    return s && phone_normalize(s, out) == PHONE_OK && strcmp(out, s) == 0;
}

bool phone_any_writing(const char *s, char out[PHONE_CANONICAL_LEN])
{
    int digits = 0;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p))
            digits++;
        else if (!strchr("+ -().", *p))
            return false;
    }
    if (digits < 7 || digits > 15)
        return false;
    phone_canonical(s, out, PHONE_CANONICAL_LEN);
    return true;
}
