/* routes.c — the route table: one group per handlers/ file, in match order. */
#include "handlers/handlers.h"
#include "router.h"

const route *const route_groups[] = {
    health_routes,
    NULL,
};
