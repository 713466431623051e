/* router.h — the route table type and dispatch. Every route declares the
 * access it requires and the query parameters it takes; the router enforces
 * both (fcgi/access.c, fcgi/params.c) before the handler runs, so handlers
 * never re-check roles ad hoc and read only validated, typed parameters. */
#ifndef VS_ROUTER_H
#define VS_ROUTER_H

#include <stdio.h>

#include "http.h"
#include "identity/api_keys.h"
#include "params.h"

typedef enum {
    ACCESS_PUBLIC = 0,     /* no credentials needed */
    ACCESS_USER,           /* any signed-in user (JWT) */
    ACCESS_PLATFORM_ADMIN, /* platform_admin user, or the service key */
    ACCESS_ORG_AGENT,      /* member of :orgId (any role), API key of :orgId, platform admin, service key */
    ACCESS_ORG_MANAGER,    /* manager or org_admin of :orgId, platform admin, service key */
    ACCESS_ORG_ADMIN,      /* org_admin of :orgId, platform admin, service key */
    ACCESS_SERVICE,        /* the service key only */
} route_access;

typedef void (*route_handler)(vs_request *req, vs_response *res);

typedef struct {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/api/admin/orgs/:orgId" */
    route_handler handler;
    route_access access;
    const param_decl *params; /* PARAMS(...) of fcgi/params.h, or NO_PARAMS */
} route;

/* The API key scope a route needs, declared next to the route groups in
 * fcgi/routes.c for every route an API key may use beyond reading:
 * {"POST", "/api/orgs/:orgId/sms/send", API_SCOPE_SMS_SEND}. A route not
 * listed needs read when it is a GET of ACCESS_ORG_AGENT; API keys cannot use
 * any other route. */
typedef struct {
    const char *method;
    const char *pattern;
    unsigned scope; /* API_SCOPE_* of identity/api_keys.h */
} route_scope;
extern const route_scope route_scopes[]; /* ends with {0} */

/* The scope an API key needs for rt (0: API keys cannot use it). */
unsigned route_api_scope(const route *rt);

#define NO_PARAMS NULL /* the route takes no query parameter */

/* Route groups, each ending with {0}; one group per handlers/ file. */
extern const route *const route_groups[];

/* Match, authenticate, authorize, validate the query parameters, run the
 * handler; always fills res. */
void router_dispatch(vs_request *req, vs_response *res);

/* Matching only (used by tests and by dispatch): 1 matched, 0 no path,
 * -1 path exists with another method (allow lists the methods). */
int router_match(vs_request *req, const route **out, char *allow, size_t allowsz);

/* Every route with its access and parameters as JSON (vs-api --routes). */
void router_print_routes(FILE *out);

#endif
