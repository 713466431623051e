/* invitations.c — invitations instead of silent adds (docs/api.md "Invitations"):
 *   POST   /api/admin/orgs/:orgId/members (an org admin, members.c)   → 202 invitation
 *   GET    /api/admin/orgs/:orgId/invitations                         page of open invitations (org_admin+)
 *   POST   /api/admin/orgs/:orgId/invitations/:invitationId/resend    new link, new expiry (org_admin+)
 *   DELETE /api/admin/orgs/:orgId/invitations/:invitationId           revoke (org_admin+)
 *   GET    /api/user/invitations                                      the caller's open invitations
 *   POST   /api/user/invitations/:invitationId/accept                 the caller joins
 *   POST   /api/auth/invitation         {token}                       what a link invites to (public)
 *   POST   /api/auth/invitation/accept  {token, full_name, password}  new account + membership → 201 session
 * An issued link goes out by mail; without smtp_url it is in the answer
 * (invite_url), once, and never logged. A failed send keeps the invitation:
 * the answer says mail {sent: false, reason} and resend tries again. */
#include <sodium.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../input.h"
#include "../session.h"
#include "identity/account_mail.h"
#include "identity/agent_link.h"
#include "identity/auth_tokens.h"
#include "identity/invitations.h"
#include "identity/members.h"
#include "identity/password.h"
#include "identity/users.h"
#include "platform/mail.h"

/* {invitation, mail: {sent, reason?}, invite_url?} and wipe the token. */
static void answer_issued(vs_request *req, vs_response *res, int status, invitation_issued *iss)
{
    json_t *mail = json_object();
    json_t *out = json_pack("{s:o, s:o}", "invitation", iss->invitation, "mail", mail);
    iss->invitation = NULL;
    if (mail_configured(req->cfg)) {
        mail_outcome mo;
        account_mail_invitation(req->cfg, iss->email, iss->org_name,
                                json_string_value(json_object_get(json_object_get(out, "invitation"), "role")),
                                iss->token, &mo);
        json_object_set_new(mail, "sent", json_boolean(mo.sent));
        if (!mo.sent)
            json_object_set_new(mail, "reason", json_string(mo.reason));
    } else {
        char link[ACCOUNT_LINK_MAX];
        account_link(req->cfg, "invite", iss->token, link);
        json_object_set_new(mail, "sent", json_false());
        json_object_set_new(mail, "reason", json_string("mail is not configured"));
        json_object_set_new(out, "invite_url", json_string(link));
        sodium_memzero(link, sizeof link);
    }
    sodium_memzero(iss->token, sizeof iss->token);
    resp_json(res, status, out);
}

void invitation_create_answer(vs_request *req, vs_response *res, const char *email, const char *role,
                              const char *extension_id)
{
    invitation_issued iss;
    int rc = invitation_create(req->db, req_param(req, "orgId"), email, role, extension_id, access_actor_user_id(req),
                               &iss);
    if (rc == AGENT_EXTENSION_UNKNOWN)
        resp_bad_field(res, "extension_id", EXTENSION_UNKNOWN_REASON);
    else if (rc == INVITATION_ALREADY_MEMBER)
        resp_result(res, VS_ERR_CONFLICT, "user is already a member of this organization",
                   json_pack("{s:s, s:s}", "field", "email", "email", email));
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        answer_issued(req, res, 202, &iss);
    json_decref(iss.invitation);
}

static void invitations_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = invitation_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

static void invitations_resend(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "invitationId", &id))
        return;
    invitation_issued iss;
    int rc = invitation_renew(req->db, req_param(req, "orgId"), id, access_actor_user_id(req), &iss);
    if (rc == INVITATION_NOT_FOUND)
        resp_result(res, VS_ERR_NOT_FOUND, "invitation not found", json_pack("{s:s}", "resource", "invitation"));
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        answer_issued(req, res, 200, &iss);
    json_decref(iss.invitation);
}

static void invitations_revoke(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "invitationId", &id))
        return;
    bool found = false;
    int rc = invitation_revoke(req->db, req_param(req, "orgId"), id, access_actor_user_id(req), &found);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        resp_result(res, VS_ERR_NOT_FOUND, "invitation not found", json_pack("{s:s}", "resource", "invitation"));
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

static void user_invitations(vs_request *req, vs_response *res)
{
    json_t *rows = NULL;
    int rc = invitation_list_for_email(req->db, req->who.email, &rows);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, json_pack("{s:o}", "data", rows));
}

static void user_invitation_accept(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "invitationId", &id))
        return;
    json_t *joined = NULL;
    int rc = invitation_accept(req->db, id, req->who.user_id, req->who.email, &joined);
    if (rc == INVITATION_NOT_FOUND || (rc == DB_OK && !joined))
        resp_result(res, VS_ERR_NOT_FOUND, "invitation not found or expired",
                   json_pack("{s:s}", "resource", "invitation"));
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, joined);
}

static void invitation_peek_answer(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *token;
    if (field_string(body, "token", true, 1, 256, &token, res)) {
        json_t *inv = NULL;
        int rc = invitation_peek(req->db, token, &inv);
        if (rc == INVITATION_NOT_FOUND)
            resp_result(res, VS_ERR_NOT_FOUND, "invitation not found or expired",
                       json_pack("{s:s}", "resource", "invitation"));
        else if (rc != DB_OK)
            resp_result(res, rc, NULL, NULL);
        else
            resp_json(res, 200, inv);
    }
    json_decref(body);
}

static void invitation_signup(vs_request *req, vs_response *res)
{
    password_set_cost((unsigned long long)req->cfg->password_opslimit, (size_t)req->cfg->password_memlimit_kib * 1024);
    json_t *body = body_object(req, res);
    if (!body)
        return;
    const char *token, *name, *password, *problem;
    char hash[PASSWORD_HASH_SIZE] = "", user_id[UUID_STR_LEN + 1], refresh[REFRESH_TOKEN_LEN + 1];
    if (!field_string(body, "token", true, 1, 256, &token, res) ||
        !field_string(body, "full_name", true, 1, 1000, &name, res) ||
        !field_string(body, "password", true, 1, 1024, &password, res))
        goto out;
    if ((problem = user_name_problem(name))) {
        resp_bad_field(res, "full_name", problem);
        goto out;
    }
    if (!password_is_acceptable(password)) {
        resp_bad_field(res, "password", "must be 8 to 256 bytes of valid UTF-8");
        goto out;
    }
    if (password_hash(password, hash) != 0) {
        resp_result(res, VS_ERR_INTERNAL, NULL, NULL);
        goto out;
    }
    json_t *joined = NULL;
    int rc = invitation_accept_new_user(req->db, token, name, hash, user_id, &joined);
    json_decref(joined);
    if (rc == INVITATION_NOT_FOUND)
        resp_result(res, VS_ERR_NOT_FOUND, "invitation not found or expired",
                   json_pack("{s:s}", "resource", "invitation"));
    else if (rc == INVITATION_ACCOUNT_EXISTS)
        resp_result(res, VS_ERR_CONFLICT, "an account with this e-mail exists: sign in to accept the invitation",
                   json_pack("{s:s}", "field", "token"));
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if ((rc = refresh_issue(req->db, req->cfg, user_id, NULL, refresh)) != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        respond_session(req, res, 201, user_id, refresh, 0);
    sodium_memzero(refresh, sizeof refresh);
out:
    sodium_memzero(hash, sizeof hash);
    json_decref(body);
}

const route invitations_routes[] = {
    {"GET", "/api/admin/orgs/:orgId/invitations", invitations_list, ACCESS_ORG_ADMIN, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/admin/orgs/:orgId/invitations/:invitationId/resend", invitations_resend, ACCESS_ORG_ADMIN,
     NO_PARAMS},
    {"DELETE", "/api/admin/orgs/:orgId/invitations/:invitationId", invitations_revoke, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"GET", "/api/user/invitations", user_invitations, ACCESS_USER, NO_PARAMS},
    {"POST", "/api/user/invitations/:invitationId/accept", user_invitation_accept, ACCESS_USER, NO_PARAMS},
    {"POST", "/api/auth/invitation", invitation_peek_answer, ACCESS_PUBLIC, NO_PARAMS},
    {"POST", "/api/auth/invitation/accept", invitation_signup, ACCESS_PUBLIC, NO_PARAMS},
    {0},
};
