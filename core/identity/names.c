/* names.c — owns the validation rule for display names (see names.h). */
#include "identity/names.h"

#include <stdio.h>
#include <string.h>

#include "platform/page.h"
#include "platform/text.h"

const char *name_problem(const char *s, size_t max_chars)
{
    static _Thread_local char reason[64];
    long n = s ? utf8_chars(s) : -1;
    if (n < 0)
        return "must be UTF-8 text without control characters";
    /* utf8_chars() allows C1 controls (U+0080..U+009F, encoded C2 80..C2 9F) */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
            return "must be UTF-8 text without control characters";
    if (n < 1 || (size_t)n > max_chars) {
        snprintf(reason, sizeof reason, "length must be 1 to %zu characters", max_chars);
        return reason;
    }
    size_t len = strlen(s);
    if (s[0] == ' ' || s[len - 1] == ' ')
        return "must not begin or end with a space";
    return NULL;
}
