/* search.c — reading a search box into LIKE prefix patterns; see search.h. */
#include "data/search.h"

#include <ctype.h>
#include <string.h>

search_kind search_classify(const char *s, char digits[SEARCH_DIGITS_MAX + 1])
{
    size_t nd = 0;
    int phone_like = 1;
    digits[0] = 0;
    if (!s || !*s)
        return SEARCH_NONE;
    for (const char *p = s; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (nd < SEARCH_DIGITS_MAX)
                digits[nd++] = *p;
        } else if (!strchr("+ -().", *p)) {
            phone_like = 0;
        }
    }
    digits[nd] = 0;
    if (strchr(s, '@'))
        return SEARCH_EMAIL;
    return phone_like && nd >= 2 ? SEARCH_NUMBER : SEARCH_NAME;
}

void search_like_prefix(const char *pre, const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    for (const char *p = pre; *p && o + 2 < outsz; p++)
        out[o++] = *p;
    for (const char *p = s; *p && o + 3 < outsz; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[o++] = '\\';
        out[o++] = *p;
    }
    out[o++] = '%';
    out[o] = 0;
}

void search_number_prefix(const char *s, const char *digits, char *out, size_t outsz)
{
    search_like_prefix(s[0] == '+' || digits[0] == '1' ? "+" : "+1", digits, out, outsz);
}
