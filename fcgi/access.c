/* access.c — owns authentication (which credential, whose) and the
 * authorization rule for each route_access value. */
#include "access.h"

#include <string.h>

bool access_authenticate(vs_request *req, vs_response *res)
{
    (void)res;
    memset(&req->who, 0, sizeof req->who);
    return true;
}

bool access_authorize(const route *rt, vs_request *req, vs_response *res)
{
    if (rt->access == ACCESS_PUBLIC)
        return true;
    if (req->who.kind == PRINCIPAL_NONE) {
        resp_error(res, 401, "authentication required", NULL);
        return false;
    }
    resp_error(res, 403, "not allowed", NULL);
    return false;
}
