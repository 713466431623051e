/* principal.h — who is calling: a user (JWT), an org API key or the platform
 * service key, and the caller's role in the org a request names. Resolved by
 * the API's access layer; core functions take what they need from it. */
#ifndef VS_PRINCIPAL_H
#define VS_PRINCIPAL_H

#include <stdbool.h>

#include "identity/org_view.h"
#include "platform/text.h"

typedef enum {
    PRINCIPAL_NONE = 0,
    PRINCIPAL_USER,    /* Bearer JWT */
    PRINCIPAL_API_KEY, /* x-api-key: scoped to one org */
    PRINCIPAL_SERVICE, /* x-service-key: platform jobs */
} principal_kind;

typedef enum { ORG_ROLE_NONE = 0, ORG_ROLE_AGENT, ORG_ROLE_MANAGER, ORG_ROLE_ORG_ADMIN } org_role;

typedef struct {
    principal_kind kind;
    char user_id[UUID_STR_LEN + 1];
    char email[256];
    char full_name[256];
    bool platform_admin;
    long long sessions_valid_after; /* a user's: tokens issued before it are revoked (0: none) */
    long long token_iat;               /* a user's access token: its iat (0 when absent) */
    char session_id[UUID_STR_LEN + 1]; /* a user's access token: its session ("sid"); "" when absent */
    char key_id[UUID_STR_LEN + 1];
    char key_org_id[UUID_STR_LEN + 1]; /* the org an API key belongs to */
    unsigned key_scopes;               /* an API key's scopes (API_SCOPE_* of identity/api_keys.h) */
    org_role role_in_org;              /* membership role in the route's :orgId */
    org_view org;                      /* the route's org, read with the identity */
} principal;

#endif
