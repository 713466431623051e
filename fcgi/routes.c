/* routes.c — the route table: one group per handlers/ file, in match order. */
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
    phone_numbers_routes,
    series_routes,
    extensions_routes,
    contacts_routes,
    reports_routes,
    metrics_routes,
    prometheus_routes,
    NULL,
};
