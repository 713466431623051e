/* mail.h — sends one plain-text e-mail through the configured SMTP server
 * (libcurl: smtp:// with STARTTLS when the server offers it, required with
 * smtp_require_tls; smtps:// implicit TLS), AUTH with smtp_user and the
 * smtp_password credential when set. Never logs a recipient, a subject or a
 * body (invitation and reset links are secrets). */
#ifndef VS_MAIL_H
#define VS_MAIL_H

#include <stdbool.h>

#include "platform/config.h"

typedef struct {
    bool sent;
    char reason[96]; /* when !sent: a short neutral reason ("mail is not configured", "mail server unreachable", …) */
} mail_outcome;

/* Is smtp_url set? */
bool mail_configured(const vs_config *cfg);

/* Builds and sends. Fills *out; returns true when the server accepted it. */
bool mail_send(const vs_config *cfg, const char *to, const char *subject, const char *body, mail_outcome *out);

#endif
