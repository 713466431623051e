/* routes.c — the route table: one group per handlers/ file, in match order,
 * and the API key scope of each route a key may use beyond reading. */
#include "handlers/handlers.h"
#include "router.h"

const route *const route_groups[] = {
    health_routes,
    auth_routes,
    user_routes,
    admin_orgs_routes,
    members_routes,
    api_keys_routes,
    activity_routes,
    integrations_routes,
    mightycall_sync_routes,
    sync_queue_routes,
    mightycall_admin_routes,
    sms_numbers_routes,
    sms_send_routes,
    sms_threads_routes,
    webhooks_routes,
    agents_routes,
    live_routes,
    live_push_routes,
    phone_numbers_routes,
    series_routes,
    media_routes,
    extensions_routes,
    contacts_routes,
    reports_routes,
    metrics_routes,
    prometheus_routes,
    invitations_routes,
    account_routes,
    NULL,
};

/* API key scopes (docs/authorization.md "API key scopes"); every GET of
 * ACCESS_ORG_AGENT needs read, routes neither listed here nor such a GET are
 * closed to API keys. A listed route is open to a key holding the scope
 * whatever its role level (keys act for the whole org). */
const route_scope route_scopes[] = {
    {"POST", "/api/orgs/:orgId/sms/send", API_SCOPE_SMS_SEND},
    {"POST", "/api/orgs/:orgId/sms/threads/:threadId/messages", API_SCOPE_SMS_SEND},
    {"POST", "/api/orgs/:orgId/sms/threads/:threadId/mark-read", API_SCOPE_WRITE},
    {"POST", "/api/orgs/:orgId/contacts", API_SCOPE_WRITE},
    {"PUT", "/api/orgs/:orgId/contacts/:contactId", API_SCOPE_WRITE},
    {"DELETE", "/api/orgs/:orgId/contacts/:contactId", API_SCOPE_WRITE},
    {"POST", "/api/orgs/:orgId/phone-numbers/:phoneId/assign", API_SCOPE_WRITE},
    {"DELETE", "/api/orgs/:orgId/phone-numbers/:phoneId/assign", API_SCOPE_WRITE},
    {"PUT", "/api/orgs/:orgId/agents/me/status", API_SCOPE_WRITE},
    {"POST", "/api/orgs/:orgId/voicemails/:voicemailId/mark-read", API_SCOPE_WRITE},
    {"POST", "/api/orgs/:orgId/voicemails/:voicemailId/mark-unread", API_SCOPE_WRITE},
    {"POST", "/api/mightycall/sync/:type", API_SCOPE_SYNC},
    {"POST", "/api/orgs/:orgId/sync/jobs/:jobId/cancel", API_SCOPE_SYNC},
    {"POST", "/api/orgs/:orgId/live/ticket", API_SCOPE_READ}, /* push is a way to read */
    {0},
};
