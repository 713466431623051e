/* auth.c — password login, refresh-token rotation and logout:
 *   POST /api/auth/login   {email, password}  → session
 *   POST /api/auth/refresh {refresh_token}    → session (the token is rotated)
 *   POST /api/auth/logout  {refresh_token}    → {success: true} (family revoked)
 * A session is {access_token, token_type: "bearer", expires_in, refresh_token, user}.
 * Failed logins are throttled per (account, client address), per address and
 * with a per-account back-off of addresses that failed, never locking the
 * owner out (fcgi/password_gate.h, identity/login_throttle.h; 429 +
 * Retry-After); an unknown email costs the same argon2id work as a wrong
 * password. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../access.h"
#include "identity/auth_tokens.h"
#include "handlers.h"
#include "../input.h"
#include "../password_gate.h"
#include "../session.h"
#include "platform/log.h"
#include "identity/password.h"
#include "identity/users.h"

static void auth_login(vs_request *req, vs_response *res)
{
    const vs_config *cfg = req->cfg;
    password_set_cost((unsigned long long)cfg->password_opslimit, (size_t)cfg->password_memlimit_kib * 1024);
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *password;
    char email[USER_EMAIL_MAX + 1];
    if (!field_email(body, email, res))
        goto out;
    if (!field_string(body, "password", true, 1, PASSWORD_MAX_LEN, &password, res))
        goto out;
    if (strlen(password) > PASSWORD_MAX_LEN) {
        resp_bad_field(res, "password", "must be at most 256 bytes");
        goto out;
    }

    if (!password_gate_open(req, res, email, "too many failed logins; retry later"))
        goto out;

    char user_id[UUID_STR_LEN + 1], full_name[256], hash[PASSWORD_HASH_SIZE];
    bool found = false;
    int rc = user_login_lookup(req->db, email, user_id, full_name, hash, &found);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    bool ok;
    if (!found || !hash[0])
        ok = password_dummy_verify(password); /* same work, always false */
    else
        ok = password_verify(hash, password);
    memset(hash, 0, sizeof hash);
    if (!password_gate_result(req, res, email, ok))
        goto out;
    if (!ok) {
        resp_result(res, VS_ERR_UNAUTHORIZED, "invalid email or password", NULL);
        goto out;
    }
    char refresh[REFRESH_TOKEN_LEN + 1];
    rc = refresh_issue(req->db, cfg, user_id, NULL, refresh);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    respond_session(req, res, 200, user_id, refresh, 0);
    memset(refresh, 0, sizeof refresh);
    if (res->status == 200)
        user_record_login(req->db, user_id, full_name);
out:
    json_decref(body);
}

static void auth_refresh(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *presented;
    if (!field_string(body, "refresh_token", true, 1, 256, &presented, res))
        goto out;
    char user_id[UUID_STR_LEN + 1], fresh[REFRESH_TOKEN_LEN + 1];
    int rc = refresh_rotate(req->db, req->cfg, presented, user_id, fresh);
    if (rc == REFRESH_INVALID) {
        resp_result(res, VS_ERR_UNAUTHORIZED, "invalid, expired or revoked refresh token", NULL);
        goto out;
    }
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    respond_session(req, res, 200, user_id, fresh, 0);
    memset(fresh, 0, sizeof fresh);
out:
    json_decref(body);
}

static void auth_logout(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *presented;
    if (field_string(body, "refresh_token", true, 1, 256, &presented, res)) {
        int rc = refresh_revoke(req->db, presented);
        if (rc != DB_OK)
            resp_result(res, rc, NULL, NULL);
        else
            resp_json(res, 200, json_pack("{s:b}", "success", 1));
    }
    json_decref(body);
}

const route auth_routes[] = {
    {"POST", "/api/auth/login", auth_login, ACCESS_PUBLIC, NO_PARAMS},
    {"POST", "/api/auth/refresh", auth_refresh, ACCESS_PUBLIC, NO_PARAMS},
    {"POST", "/api/auth/logout", auth_logout, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
