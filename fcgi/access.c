/* access.c — owns authentication (which credential, whose) and the
 * authorization rule for each route_access value. The matrix it implements is
 * docs/authorization.md (checked route by route by tests/api/authz_matrix).
 *
 * Credentials, exactly one is used, in this order:
 *   Authorization: Bearer <JWT>  our HS256 token or a Supabase one (sub = our user id)
 *   x-api-key: <org key>         acts within its own org, on routes whose scope
 *                                (route_api_scope()) the key holds; 403 naming it
 *   x-service-key: <key>         the platform service key (constant-time compare)
 * Present but invalid → 401; database unreachable → 503. Any other header
 * (x-user-id, x-org-id, ...) is never identity.
 *
 * Org-scoped routes (a :orgId path parameter, or an ACCESS_ORG_* route whose
 * org comes from the orgId query parameter): the org must exist and be
 * visible to the caller — a member (any role), an API key of that org, a
 * platform admin or the service key — else 404, the same answer as for an org
 * that does not exist. Only then is the role checked (403).
 *
 * Round trips: the caller's identity, the membership in the route's :orgId
 * and that org's time zone and data version are one statement (an API key:
 * key + org; a user: user + role + org); the service key, or an org named by
 * ?orgId, adds the one org statement. A key's last_used_at refresh (at most
 * once a minute) is the only other write. */
#include "access.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "identity/api_keys.h"
#include "identity/api_key_secret.h"
#include "identity/auth_tokens.h"
#include "input.h"
#include "platform/log.h"
#include "identity/login_throttle.h"
#include "identity/members.h"
#include "platform/secretbox.h"
#include "identity/users.h"

const char *access_actor_user_id(const vs_request *req)
{
    return req->who.kind == PRINCIPAL_USER ? req->who.user_id : NULL;
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

static void uuid_lower(const char *p, char out[UUID_STR_LEN + 1])
{
    for (int i = 0; i <= UUID_STR_LEN; i++)
        out[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
}

/* The route's :orgId when well-formed (lowercased), else NULL: read together
 * with the caller's identity so membership and the org cost no extra round
 * trip. Anything else about the org is decided by access_authorize(). */
static const char *route_org_hint(const vs_request *req, char out[UUID_STR_LEN + 1])
{
    const char *p = req->route ? req_param(req, "orgId") : NULL;
    if (!p || !is_uuid(p))
        return NULL;
    uuid_lower(p, out);
    return out;
}

static bool unauthorized(vs_response *res, const char *msg, const char *reason)
{
    resp_error(res, 401, msg, reason ? json_pack("{s:s}", "reason", reason) : NULL);
    resp_add_header(res, "WWW-Authenticate: Bearer realm=\"victorysync\"%s",
                    reason ? ", error=\"invalid_token\"" : "");
    return false;
}

static bool auth_bearer(vs_request *req, vs_response *res, const char *header)
{
    const char *token = auth_bearer_token(header);
    if (!token)
        return unauthorized(res, "invalid Authorization header: expected 'Bearer <token>'", "malformed header");
    jwt_claims claims;
    bool supabase = false;
    jwt_status st = auth_verify_access(req->cfg, token, (long long)time(NULL), &claims, &supabase);
    if (st != JWT_OK) {
        log_debug("access: bearer token rejected: %s", jwt_status_str(st));
        return unauthorized(res, "invalid or expired token", jwt_status_str(st));
    }
    if (!is_uuid(claims.sub))
        return unauthorized(res, "invalid or expired token", "unknown user");
    user_identity u;
    char hint[UUID_STR_LEN + 1];
    /* the session (our tokens' "sid") is checked in the same statement: no extra round trip */
    const char *sid = !supabase && claims.sid[0] && is_uuid(claims.sid) ? claims.sid : NULL;
    int rc = user_identity_load(req->db, claims.sub, route_org_hint(req, hint), sid, &u, &req->who.org);
    if (rc < 0) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    if (rc == 0) {
        log_info("access: valid %s token for unknown user rejected", supabase ? "Supabase" : "VictorySync");
        return unauthorized(res, "invalid or expired token", "unknown user");
    }
    if (u.sessions_valid_after && claims.iat && claims.iat < u.sessions_valid_after)
        return unauthorized(res, "invalid or expired token", "token revoked");
    if (u.sessions_valid_after && !claims.iat)
        return unauthorized(res, "invalid or expired token", "token revoked");
    if (u.session_ended)
        return unauthorized(res, "invalid or expired token", "session ended");
    principal *w = &req->who;
    w->kind = PRINCIPAL_USER;
    snprintf(w->user_id, sizeof w->user_id, "%s", u.id);
    snprintf(w->email, sizeof w->email, "%s", u.email);
    memcpy(w->full_name, u.full_name, sizeof w->full_name);
    w->platform_admin = u.platform_admin;
    w->sessions_valid_after = u.sessions_valid_after;
    w->token_iat = claims.iat;
    if (sid) /* a UUID: 36 characters and its NUL */
        memcpy(w->session_id, sid, sizeof w->session_id);
    w->role_in_org = u.role_in_org;
    return true;
}

static bool auth_api_key(vs_request *req, vs_response *res, const char *key)
{
    if (!apikey_is_well_formed(key))
        return unauthorized(res, "invalid API key", NULL);
    bool found = false;
    principal *w = &req->who;
    int rc = api_key_authenticate(req->db, key, w->key_id, w->key_org_id, &w->key_scopes, &found, &w->org);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    if (!found)
        return unauthorized(res, "invalid API key", NULL);
    w->kind = PRINCIPAL_API_KEY;
    return true;
}

/* Wrong service keys are counted per client address (rate_counters, kind
 * "service"): past cfg->service_key_max_failures in the login window every
 * service-key request from that address is 429, so the key cannot be guessed. */
static bool auth_service(vs_request *req, vs_response *res, const char *key)
{
    long long wait = 0;
    int rc = login_throttle_address_check(req->db, req->cfg, req->remote_addr, req->cfg->service_key_max_failures,
                                          &wait);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return false;
    }
    if (wait > 0) {
        resp_result(res, VS_ERR_RATE_LIMITED, "too many wrong service keys from this address; retry later",
                    json_pack("{s:I}", "retry_after_seconds", (json_int_t)wait));
        return false;
    }
    if (!req->cfg->service_key[0] || !ct_equal_str(key, req->cfg->service_key)) {
        rc = login_throttle_address_fail(req->db, req->cfg, req->remote_addr);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return false;
        }
        return unauthorized(res, "invalid service key", NULL);
    }
    req->who.kind = PRINCIPAL_SERVICE;
    return true;
}

bool access_authenticate(vs_request *req, vs_response *res)
{
    memset(&req->who, 0, sizeof req->who);
    const char *authz = nonempty(req_header(req, "authorization"));
    const char *api_key = nonempty(req_header(req, "x-api-key"));
    const char *service = nonempty(req_header(req, "x-service-key"));
    if (authz)
        return auth_bearer(req, res, authz);
    if (api_key)
        return auth_api_key(req, res, api_key);
    if (service)
        return auth_service(req, res, service);
    return true;
}

static bool not_found_org(vs_response *res)
{
    resp_error(res, 404, "organization not found", json_pack("{s:s}", "resource", "organization"));
    return false;
}

static bool forbidden(vs_response *res, const char *why)
{
    resp_error(res, 403, why, NULL);
    return false;
}

static bool is_org_access(route_access a)
{
    return a == ACCESS_ORG_AGENT || a == ACCESS_ORG_MANAGER || a == ACCESS_ORG_ADMIN;
}

/* The org of the request: :orgId (malformed → 404) or ?orgId= (missing or
 * malformed → 400). Lowercased into out. */
static bool resolve_org_id(const vs_request *req, vs_response *res, char out[UUID_STR_LEN + 1])
{
    const char *p = req_param(req, "orgId");
    char q[64];
    if (p) {
        if (!is_uuid(p))
            return not_found_org(res);
    } else {
        int rc = query_get(req, res, "orgId", q, sizeof q);
        if (rc < 0)
            return false;
        if (rc == 0) {
            resp_bad_field(res, "orgId", "is required");
            return false;
        }
        if (!is_uuid(q)) {
            resp_bad_field(res, "orgId", "must be a UUID");
            return false;
        }
        p = q;
    }
    uuid_lower(p, out);
    return true;
}

/* Visibility of org_id to the caller; fills who.role_in_org and who.org
 * (already read with the identity when the org is the route's :orgId). */
static bool check_org_visible(vs_request *req, vs_response *res, const char *org_id)
{
    principal *w = &req->who;
    if (w->kind == PRINCIPAL_API_KEY && strcmp(w->key_org_id, org_id) != 0)
        return not_found_org(res); /* another org's key: not even a lookup */
    org_role role = w->role_in_org;
    if (!w->org.loaded || strcmp(w->org.id, org_id) != 0) {
        int rc = member_org_view(req->db, org_id, w->kind == PRINCIPAL_USER ? w->user_id : NULL, &w->org, &role);
        if (rc != DB_OK) {
            resp_result(res, rc, NULL, NULL);
            return false;
        }
    }
    if (!w->org.exists)
        return not_found_org(res);
    w->role_in_org = role;
    bool visible = w->kind == PRINCIPAL_SERVICE || w->kind == PRINCIPAL_API_KEY ||
                   (w->kind == PRINCIPAL_USER && (w->platform_admin || role != ORG_ROLE_NONE));
    return visible ? true : not_found_org(res);
}

static bool starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

bool access_authorize(const route *rt, vs_request *req, vs_response *res)
{
    if (rt->access == ACCESS_PUBLIC)
        return true;
    principal *w = &req->who;
    if (w->kind == PRINCIPAL_NONE) {
        resp_error(res, 401, "authentication required", NULL);
        resp_add_header(res, "WWW-Authenticate: Bearer realm=\"victorysync\"");
        return false;
    }
    if (req_param(req, "orgId") || is_org_access(rt->access)) {
        char org_id[UUID_STR_LEN + 1];
        if (!resolve_org_id(req, res, org_id) || !check_org_visible(req, res, org_id))
            return false;
    }
    if (w->kind == PRINCIPAL_API_KEY && (starts_with(req->path, "/api/admin/") || starts_with(req->path, "/api/user/")))
        return forbidden(res, "API keys cannot use this route");
    if (w->kind == PRINCIPAL_API_KEY) {
        /* one rule for keys: the scope the route declares (router.h), whatever its role level */
        unsigned need = route_api_scope(rt);
        if (!need)
            return forbidden(res, "API keys cannot use this route");
        if (!(w->key_scopes & need)) {
            char msg[96];
            snprintf(msg, sizeof msg, "this API key lacks the scope %s", api_scope_name(need));
            resp_error(res, 403, msg, json_pack("{s:s}", "scope", api_scope_name(need)));
            return false;
        }
        return true;
    }

    bool user = w->kind == PRINCIPAL_USER, service = w->kind == PRINCIPAL_SERVICE;
    bool admin = user && w->platform_admin;
    switch (rt->access) {
    case ACCESS_PUBLIC:
        return true;
    case ACCESS_USER:
        return user ? true : forbidden(res, "this route needs a signed-in user");
    case ACCESS_PLATFORM_ADMIN:
        return admin || service ? true : forbidden(res, "platform admin only");
    case ACCESS_SERVICE:
        return service ? true : forbidden(res, "service key only");
    case ACCESS_ORG_AGENT:
        return admin || service || w->kind == PRINCIPAL_API_KEY || (user && w->role_in_org >= ORG_ROLE_AGENT)
                   ? true
                   : forbidden(res, "not a member of this organization");
    case ACCESS_ORG_MANAGER:
        return admin || service || (user && w->role_in_org >= ORG_ROLE_MANAGER)
                   ? true
                   : forbidden(res, "manager or org_admin role required");
    case ACCESS_ORG_ADMIN:
        return admin || service || (user && w->role_in_org >= ORG_ROLE_ORG_ADMIN)
                   ? true
                   : forbidden(res, "org_admin role required");
    }
    return forbidden(res, "not allowed");
}
