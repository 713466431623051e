/* session.h — the answer that signs a user in: 200/201 {access_token,
 * token_type: "bearer", expires_in, refresh_token, user}. Used by login,
 * refresh, password change and accepting an invitation as a new user. */
#ifndef VS_SESSION_H
#define VS_SESSION_H

#include "http.h"

/* Answers status with a fresh access token for user_id (issued at
 * issued_at unix seconds, 0 = now), the given refresh_token and the user; an
 * error answer when the user is gone or the token cannot be signed. */
void respond_session(vs_request *req, vs_response *res, int status, const char *user_id, const char *refresh_token,
                     long long issued_at);

#endif
