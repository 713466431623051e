/* result.c — short names of the vs_result members (core/platform/result.h)
 * for logs and the sync binary; HTTP statuses live in fcgi/result_status.c. */
#include "platform/result.h"

const char *vs_result_name(vs_result rc)
{
    switch (rc) {
    case VS_OK: return "ok";
    case VS_ERR_INTERNAL: return "internal";
    case VS_ERR_UNAVAILABLE: return "unavailable";
    case VS_ERR_DUPLICATE: return "duplicate";
    case VS_ERR_FOREIGN_KEY: return "foreign_key";
    case VS_ERR_BUSY: return "busy";
    case VS_ERR_NOT_FOUND: return "not_found";
    case VS_ERR_CONFLICT: return "conflict";
    case VS_ERR_INVALID: return "invalid";
    case VS_ERR_UNAUTHORIZED: return "unauthorized";
    case VS_ERR_EXPIRED: return "expired";
    case VS_ERR_LIMIT: return "limit";
    case VS_ERR_NO_INTEGRATION: return "no_integration";
    case VS_ERR_UPSTREAM_DOWN: return "upstream_down";
    case VS_ERR_FORBIDDEN: return "forbidden";
    case VS_ERR_TOO_LARGE: return "too_large";
    case VS_ERR_RATE_LIMITED: return "rate_limited";
    case VS_ERR_QUOTA: return "quota";
    case VS_ERR_UPSTREAM: return "upstream";
    case VS_ERR_SECRET: return "secret";
    case VS_ERR_PARTIAL: return "partial";
    }
    return "unknown";
}
