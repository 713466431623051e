/* auth_tokens.h — the tokens of a signed-in user:
 *  - access tokens: HS256 JWTs {sub, email, iat, exp} signed with
 *    cfg->jwt_secret; tokens signed with cfg->jwt_secret_previous (the secret
 *    before a rotation) or cfg->supabase_jwt_secret (when set) are accepted too. Verified with a small clock-skew leeway.
 *  - refresh tokens: opaque random strings ("vsr_" + 43 base64url chars),
 *    stored only as SHA-256, single use: each refresh rotates the token within
 *    its family; presenting a used token again revokes the whole family
 *    (theft detection); logout revokes the family. */
#ifndef VS_AUTH_TOKENS_H
#define VS_AUTH_TOKENS_H

#include <stdbool.h>
#include <stddef.h>

#include "platform/config.h"
#include "platform/db.h"
#include "identity/jwt.h"
#include "platform/text.h"

#define AUTH_LEEWAY_S 30
#define REFRESH_PREFIX "vsr_"
#define REFRESH_TOKEN_LEN 47 /* "vsr_" + 43 */

/* The token of an "Authorization: Bearer <token>" header value (scheme
 * case-insensitive, surrounding blanks skipped); NULL when it is not one. */
const char *auth_bearer_token(const char *header);

/* Signs an access token for user_id/email valid cfg->jwt_ttl_seconds from now. */
int auth_issue_access(const vs_config *cfg, const char *user_id, const char *email, long long now, char *out,
                      size_t outsz);
/* The same, bound to a session (refresh-token family id, claim "sid"): once
 * the family is revoked (logout, replay of a used refresh token) the token
 * is refused on its next request (user_identity_load reads the family's state
 * in the who-you-are statement). */
int auth_issue_access_session(const vs_config *cfg, const char *user_id, const char *email, const char *sid,
                              long long now, char *out, size_t outsz);

/* Verifies with our secret, then (bad signature only) the previous secret,
 * then the Supabase secret. */
jwt_status auth_verify_access(const vs_config *cfg, const char *token, long long now, jwt_claims *claims,
                              bool *supabase);

/* Shape check of a presented refresh token. */
bool refresh_token_well_formed(const char *token);

/* New refresh token for user_id (family_id NULL: a new login). */
int refresh_issue(db_conn *c, const vs_config *cfg, const char *user_id, const char *family_id,
                  char token[REFRESH_TOKEN_LEN + 1]);

#define REFRESH_INVALID VS_ERR_UNAUTHORIZED /* a vs_result member (platform/result.h) */

/* Consumes presented and issues its successor in new_token, for user_id.
 * REFRESH_INVALID for an unknown, expired, revoked or already used token (a
 * reused token also revokes its family). */
int refresh_rotate(db_conn *c, const vs_config *cfg, const char *presented, char user_id[UUID_STR_LEN + 1],
                   char new_token[REFRESH_TOKEN_LEN + 1]);

/* The family (session) id of a refresh token this server issued; "" when unknown. */
int refresh_family_of(db_conn *c, const char *token, char family[UUID_STR_LEN + 1]);

/* Revokes the family of presented (logout); unknown tokens are ignored. */
int refresh_revoke(db_conn *c, const char *presented);

#endif
