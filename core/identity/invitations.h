/* invitations.h — the org_invitations table: an org admin invites an e-mail
 * with a role; the person becomes a member only when they accept, signed in
 * (by id, from their own list) or as a new account (by the link's token).
 * A token lives INVITATION_TTL_DAYS; only its SHA-256 is stored; inviting the
 * same e-mail again or resending renews the token and the expiry. Nothing
 * here looks at whether an account exists for the e-mail, so the answers to
 * the inviting admin never tell. Each change writes an activity event in the
 * same transaction. */
#ifndef VS_INVITATIONS_H
#define VS_INVITATIONS_H

#include <jansson.h>
#include <stdbool.h>

#include "identity/one_time_token.h"
#include "platform/db.h"
#include "platform/text.h"

#define INVITATION_TTL_DAYS 7

/* vs_result members (platform/result.h) under this module's names */
#define INVITATION_NOT_FOUND VS_ERR_NOT_FOUND       /* no pending, unexpired invitation */
#define INVITATION_ALREADY_MEMBER VS_ERR_DUPLICATE  /* the e-mail is already a member */
#define INVITATION_ACCOUNT_EXISTS VS_ERR_CONFLICT   /* sign in to accept instead */

/* One invitation as the org's admins see it:
 * {id, email, role, status: pending|expired, invited_by, created_at, sent_at, expires_at,
 *  extension_id, extension} (the last two null unless it carries an extension). */
typedef struct {
    json_t *invitation;
    char org_name[801];  /* for the mail */
    char email[255];
    char token[OTT_LEN + 1]; /* the new link token: give it out once, then wipe */
} invitation_issued;

/* Creates or renews the invitation of email (normalised) to org_id with role
 * and, unless NULL, the extension (of org_id) the person will be linked to
 * when they accept (identity/agent_link.h). INVITATION_ALREADY_MEMBER when a
 * user with that e-mail is a member; AGENT_EXTENSION_UNKNOWN when
 * extension_id is not an extension of org_id. */
int invitation_create(db_conn *c, const char *org_id, const char *email, const char *role, const char *extension_id,
                      const char *actor_user_id, invitation_issued *out);

/* Resend: a new token and expiry for a pending (or expired, not revoked,
 * not accepted) invitation of org_id. INVITATION_NOT_FOUND otherwise. */
int invitation_renew(db_conn *c, const char *org_id, const char *id, const char *actor_user_id,
                     invitation_issued *out);

/* Revokes a pending invitation; *found false when there is none. */
int invitation_revoke(db_conn *c, const char *org_id, const char *id, const char *actor_user_id, bool *found);

/* Page of the org's open invitations (not accepted, not revoked), newest first. */
int invitation_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total);

/* Open, unexpired invitations addressed to email:
 * [{id, org_id, org_name, role, invited_by, expires_at}], newest first. */
int invitation_list_for_email(db_conn *c, const char *email, json_t **rows);

/* The signed-in user (user_id, email) accepts invitation id addressed to
 * them; an invitation with an extension links them to it. *out = {org_id, org_name, role}. INVITATION_NOT_FOUND otherwise. */
int invitation_accept(db_conn *c, const char *id, const char *user_id, const char *email, json_t **out);

/* What a link token invites to: {email, org_name, role, expires_at,
 * account_exists}; INVITATION_NOT_FOUND for an unknown, used, revoked or
 * expired token (a malformed one included). */
int invitation_peek(db_conn *c, const char *token, json_t **out);

/* A new account for the invited e-mail (full_name, password_hash), then
 * membership. INVITATION_ACCOUNT_EXISTS when the e-mail already has an
 * account. user_id receives the new user's id. */
int invitation_accept_new_user(db_conn *c, const char *token, const char *full_name, const char *password_hash,
                               char user_id[UUID_STR_LEN + 1], json_t **out);

#endif
