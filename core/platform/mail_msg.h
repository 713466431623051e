/* mail_msg.h — builds the text of one plain-text e-mail (RFC 5322 + MIME):
 * CRLF line ends, Date, From, To, Subject (RFC 2047 encoded-words when not
 * ASCII), Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8,
 * Content-Transfer-Encoding 8bit. Header injection is refused: an address
 * must be a plain e-mail address and no header value may hold CR, LF or
 * another control character. Body line ends (LF, CR, CRLF) become CRLF.
 * Dot-stuffing belongs to the SMTP transfer and libcurl does it on the wire
 * (a body line starting with "." arrives unchanged), so the text built here
 * is not stuffed a second time. Pure code: no I/O. */
#ifndef VS_MAIL_MSG_H
#define VS_MAIL_MSG_H

#include <stddef.h>

#define MAIL_LINE_MAX 998        /* octets per line without CRLF (RFC 5322 2.1.1) */
#define MAIL_BODY_MAX (64 * 1024) /* bytes of body accepted */

typedef struct {
    const char *from;      /* address only */
    const char *from_name; /* display name, may be NULL */
    const char *to;        /* address only */
    const char *subject;   /* UTF-8 */
    const char *body;      /* UTF-8 text */
} mail_message;

/* The message text (malloc'd, caller frees), or NULL with *why set to a
 * static reason. now: unix seconds for Date:; id_token: the unique left part
 * of the Message-ID (letters, digits, '-', '_'). */
char *mail_build(const mail_message *m, long long now, const char *id_token, const char **why);

#endif
