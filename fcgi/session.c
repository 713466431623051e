/* session.c — owns the signed-in answer (see session.h). */
#include "session.h"

#include <time.h>

#include "identity/auth_tokens.h"
#include "identity/users.h"
#include "platform/log.h"

void respond_session(vs_request *req, vs_response *res, int status, const char *user_id, const char *refresh_token,
                     long long issued_at)
{
    json_t *user = NULL;
    int rc = user_get_json(req->db, user_id, &user);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    if (!user) {
        resp_result(res, VS_ERR_UNAUTHORIZED, "invalid credentials", NULL);
        return;
    }
    /* the access token names its session (the refresh token's family): logout
     * or a revoked family ends it on its next request */
    char access[JWT_MAX_TOKEN_LEN + 1], family[UUID_STR_LEN + 1];
    rc = refresh_family_of(req->db, refresh_token, family);
    if (rc != DB_OK) {
        json_decref(user);
        resp_result(res, rc, NULL, NULL);
        return;
    }
    /* never before the user's last session restart: a session begun in the
     * same second as a password reset would otherwise be refused at once */
    long long valid_from = 0, now = (long long)time(NULL);
    if (!issued_at && (rc = user_tokens_valid_from(req->db, user_id, &valid_from)) != DB_OK) {
        json_decref(user);
        resp_result(res, rc, NULL, NULL);
        return;
    }
    if (!issued_at)
        issued_at = valid_from > now ? valid_from : now;
    if (auth_issue_access_session(req->cfg, user_id, json_string_value(json_object_get(user, "email")), family,
                                  issued_at, access, sizeof access) != 0) {
        log_error("auth: cannot sign an access token (is jwt_secret configured?)");
        json_decref(user);
        resp_result(res, VS_ERR_INTERNAL, "internal error", NULL);
        return;
    }
    resp_json(res, status,
              json_pack("{s:s, s:s, s:i, s:s, s:o}", "access_token", access, "token_type", "bearer", "expires_in",
                        req->cfg->jwt_ttl_seconds, "refresh_token", refresh_token, "user", user));
}
