/* account.c — a user's own password (docs/api.md "Account"):
 *   POST /api/user/password  {current_password, new_password} → 200 a new session;
 *        every other session of the user ends (refresh families revoked,
 *        older access tokens void). Wrong current passwords are throttled
 *        with the login's counters (fcgi/password_gate.h): past
 *        login_max_failures for the account from this address, 429 +
 *        Retry-After, even for the right one, until the window passes
 *   POST /api/auth/password-reset  {email} → 202, the same answer whether or
 *        not the e-mail has an account; a one-time link goes out by mail
 *        (without smtp_url no link is sent and none is shown: reset by CLI)
 *   POST /api/auth/password-reset/complete {token, password} → 200; every
 *        session of the user ends */
#include <sodium.h>
#include <string.h>

#include "handlers.h"
#include "../input.h"
#include "../password_gate.h"
#include "../session.h"
#include "identity/account_mail.h"
#include "identity/account_password.h"
#include "identity/auth_tokens.h"
#include "identity/password.h"
#include "identity/users.h"
#include "platform/mail.h"

static void use_configured_cost(const vs_request *req)
{
    password_set_cost((unsigned long long)req->cfg->password_opslimit, (size_t)req->cfg->password_memlimit_kib * 1024);
}

/* The new password field: acceptable, hashed into hash. false with res filled. */
static bool new_password(json_t *body, const char *field, char hash[PASSWORD_HASH_SIZE], vs_response *res)
{
    const char *pw;
    if (!field_string(body, field, true, 1, 1024, &pw, res))
        return false;
    if (!password_is_acceptable(pw)) {
        resp_bad_field(res, field, "must be 8 to 256 bytes of valid UTF-8");
        return false;
    }
    if (password_hash(pw, hash) != 0) {
        resp_result(res, VS_ERR_INTERNAL, NULL, NULL);
        return false;
    }
    return true;
}

static void password_change(vs_request *req, vs_response *res)
{
    use_configured_cost(req);
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *current;
    char stored[PASSWORD_HASH_SIZE] = "", hash[PASSWORD_HASH_SIZE] = "", user_id[UUID_STR_LEN + 1], name[256],
         refresh[REFRESH_TOKEN_LEN + 1] = "";
    bool found = false;
    if (!field_string(body, "current_password", true, 1, 1024, &current, res))
        goto out;
    /* the same allowance as a login of this account from this address */
    if (!password_gate_open(req, res, req->who.email, "too many wrong current passwords; retry later"))
        goto out;
    int rc = user_login_lookup(req->db, req->who.email, user_id, name, stored, &found);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        goto out;
    }
    bool ok = found && stored[0] && strcmp(user_id, req->who.user_id) == 0 ? password_verify(stored, current)
                                                                           : password_dummy_verify(current);
    if (!password_gate_result(req, res, req->who.email, ok))
        goto out;
    if (!ok) {
        resp_bad_field(res, "current_password", "is not the current password");
        goto out;
    }
    if (!new_password(body, "new_password", hash, res))
        goto out;
    long long restart = account_sessions_restart();
    if ((rc = account_password_change(req->db, req->who.user_id, hash, restart)) != DB_OK ||
        (rc = refresh_issue(req->db, req->cfg, req->who.user_id, NULL, refresh)) != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        respond_session(req, res, 200, req->who.user_id, refresh, restart);
out:
    sodium_memzero(stored, sizeof stored);
    sodium_memzero(hash, sizeof hash);
    sodium_memzero(refresh, sizeof refresh);
    json_decref(body);
}

static void reset_request(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    char email[USER_EMAIL_MAX + 1], token[OTT_LEN + 1] = "";
    if (field_email(body, email, res)) {
        bool issued = false;
        int rc = mail_configured(req->cfg) ? account_reset_request(req->db, email, token, &issued) : DB_OK;
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
        } else {
            if (issued) /* sent after the answer: the same answer, as fast, for every e-mail */
                account_mail_reset_background(req->cfg, email, token);
            resp_json(res, 202,
                      json_pack("{s:b, s:s}", "success", 1, "message",
                                "if an account has this e-mail, a reset link is on its way"));
        }
    }
    sodium_memzero(token, sizeof token);
    json_decref(body);
}

static void reset_complete(vs_request *req, vs_response *res)
{
    use_configured_cost(req);
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *token;
    char hash[PASSWORD_HASH_SIZE] = "";
    bool ok = false;
    if (!field_string(body, "token", true, 1, 256, &token, res) || !new_password(body, "password", hash, res))
        goto out;
    int rc = account_reset_complete(req->db, token, hash, &ok);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!ok)
        resp_bad_field(res, "token", "invalid, used or expired reset link");
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
out:
    sodium_memzero(hash, sizeof hash);
    json_decref(body);
}

const route account_routes[] = {
    {"POST", "/api/user/password", password_change, ACCESS_USER, NO_PARAMS},
    {"POST", "/api/auth/password-reset", reset_request, ACCESS_PUBLIC, NO_PARAMS},
    {"POST", "/api/auth/password-reset/complete", reset_complete, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
