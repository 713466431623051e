/* access.h — who is calling (authentication) and may they call this route
 * (authorization, from the route's access column). */
#ifndef VS_ACCESS_H
#define VS_ACCESS_H

#include <stdbool.h>

#include "router.h"

/* Resolve req->who from the request's credentials. Returns false with res
 * filled (401/503) when credentials are present but invalid. No credentials
 * at all is not an error here: req->who.kind stays PRINCIPAL_NONE. */
bool access_authenticate(vs_request *req, vs_response *res);

/* Check req->who against the route's access; false with res filled
 * (401 no credentials, 403 not allowed, 404 org not visible to the caller). */
bool access_authorize(const route *rt, vs_request *req, vs_response *res);

/* The acting user's id for audit columns (activity_log.user_id, created_by):
 * the signed-in user, or NULL for an API key or the service key. */
const char *access_actor_user_id(const vs_request *req);

#endif
