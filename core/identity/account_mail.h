/* account_mail.h — the texts and links of account mail: an invitation and a
 * password-reset link. A link is public_url + "/#/invite?token=…" or
 * "/#/reset?token=…" (the token rides in the fragment, so no server ever
 * logs it); without public_url it is relative ("/#/invite?token=…"). */
#ifndef VS_ACCOUNT_MAIL_H
#define VS_ACCOUNT_MAIL_H

#include <stddef.h>

#include "platform/config.h"
#include "platform/mail.h"

#define ACCOUNT_LINK_MAX 400

/* kind "invite" or "reset". */
void account_link(const vs_config *cfg, const char *kind, const char *token, char out[ACCOUNT_LINK_MAX]);

/* Sends the invitation to email; *out says whether it went out. */
void account_mail_invitation(const vs_config *cfg, const char *email, const char *org_name, const char *role,
                             const char *token, mail_outcome *out);

/* Sends the password-reset link to email. */
void account_mail_reset(const vs_config *cfg, const char *email, const char *token, mail_outcome *out);

/* The same from a detached thread, so the answer to a reset request takes as
 * long for an e-mail with an account as for one without (no timing oracle);
 * a failure is only logged (without the address). cfg must outlive the
 * thread (the process configuration does). Copies email and token. */
void account_mail_reset_background(const vs_config *cfg, const char *email, const char *token);

#endif
