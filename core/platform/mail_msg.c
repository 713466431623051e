/* mail_msg.c — owns the text of an outgoing e-mail (see mail_msg.h). */
#include "platform/mail_msg.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/text.h"

typedef struct {
    char *p;
    size_t len, cap;
    bool failed;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* No C0 control (tab included), no DEL: one header line, no injection. */
static bool header_value_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

static bool ascii_only(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x80)
            return false;
    return true;
}

/* RFC 2047 "B" encoded-words of at most 75 characters, split only between
 * UTF-8 sequences, folded with CRLF SP. */
static void put_encoded_words(buf *b, const char *s)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s), i = 0;
    bool first = true;
    while (i < n) {
        size_t take = n - i < 45 ? n - i : 45; /* 45 bytes → 60 base64 chars + 12 of framing */
        while (i + take < n && ((unsigned char)s[i + take] & 0xC0) == 0x80)
            take--;
        puts_(b, first ? "=?UTF-8?B?" : "\r\n =?UTF-8?B?");
        first = false;
        const unsigned char *p = (const unsigned char *)s + i;
        for (size_t k = 0; k < take; k += 3) {
            unsigned v = (unsigned)p[k] << 16 | (k + 1 < take ? (unsigned)p[k + 1] << 8 : 0) |
                         (k + 2 < take ? p[k + 2] : 0);
            char q[4] = {tbl[v >> 18 & 63], tbl[v >> 12 & 63], k + 1 < take ? tbl[v >> 6 & 63] : '=',
                         k + 2 < take ? tbl[v & 63] : '='};
            put(b, q, 4);
        }
        puts_(b, "?=");
        i += take;
    }
}

/* Plain text, or encoded-words when not ASCII or longer than one line. */
static void put_text_header(buf *b, const char *name, const char *value)
{
    puts_(b, name);
    puts_(b, ": ");
    if (ascii_only(value) && strlen(value) <= 900)
        puts_(b, value);
    else
        put_encoded_words(b, value);
    puts_(b, "\r\n");
}

static bool id_token_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 128)
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return false;
    return true;
}

/* Body with every line end as CRLF; NULL reason when fine. */
static const char *put_body(buf *b, const char *body)
{
    size_t line = 0;
    for (const char *p = body; *p; p++) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && p[1] == '\n')
                p++;
            puts_(b, "\r\n");
            line = 0;
            continue;
        }
        if (++line > MAIL_LINE_MAX)
            return "body line longer than 998 octets";
        put(b, p, 1);
    }
    if (b->len < 2 || memcmp(b->p + b->len - 2, "\r\n", 2) != 0)
        puts_(b, "\r\n");
    return NULL;
}

char *mail_build(const mail_message *m, long long now, const char *id_token, const char **why)
{
    *why = NULL;
    if (!m->from || !is_email(m->from) || !header_value_ok(m->from))
        *why = "from is not an e-mail address";
    else if (!m->to || !is_email(m->to) || !header_value_ok(m->to))
        *why = "to is not an e-mail address";
    else if (!m->subject || !header_value_ok(m->subject) || utf8_chars(m->subject) < 0)
        *why = "subject holds a control character or invalid UTF-8";
    else if (m->from_name && (!header_value_ok(m->from_name) || utf8_chars(m->from_name) < 0 ||
                              strpbrk(m->from_name, "\"\\<>")))
        *why = "from name holds a control character, a quote, a backslash or an angle bracket";
    else if (!m->body || strlen(m->body) > MAIL_BODY_MAX)
        *why = "body missing or too large";
    else if (!id_token_ok(id_token))
        *why = "bad message id";
    if (*why)
        return NULL;

    buf b = {0};
    char date[64];
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    puts_(&b, "Date: ");
    puts_(&b, date);
    puts_(&b, "\r\n");
    if (m->from_name && *m->from_name) {
        puts_(&b, "From: ");
        if (ascii_only(m->from_name)) {
            puts_(&b, "\"");
            puts_(&b, m->from_name);
            puts_(&b, "\"");
        } else {
            put_encoded_words(&b, m->from_name);
        }
        puts_(&b, " <");
        puts_(&b, m->from);
        puts_(&b, ">\r\n");
    } else {
        puts_(&b, "From: <");
        puts_(&b, m->from);
        puts_(&b, ">\r\n");
    }
    puts_(&b, "To: <");
    puts_(&b, m->to);
    puts_(&b, ">\r\n");
    put_text_header(&b, "Subject", m->subject);
    const char *domain = strrchr(m->from, '@') + 1;
    puts_(&b, "Message-ID: <");
    puts_(&b, id_token);
    puts_(&b, "@");
    puts_(&b, domain);
    puts_(&b, ">\r\n");
    puts_(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
              "Content-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated\r\n\r\n");
    const char *problem = put_body(&b, m->body);
    if (problem || b.failed) {
        *why = problem ? problem : "out of memory";
        free(b.p);
        return NULL;
    }
    return b.p;
}
