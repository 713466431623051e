/* handlers.h — the route groups exported by each handlers/ file. */
#ifndef VS_HANDLERS_H
#define VS_HANDLERS_H

#include "../input.h"
#include "../params.h"
#include "../router.h"

extern const route health_routes[];
extern const route auth_routes[];
extern const route user_routes[];
extern const route admin_orgs_routes[];
extern const route members_routes[];
extern const route api_keys_routes[];
extern const route activity_routes[];
extern const route integrations_routes[];
extern const route mightycall_sync_routes[];
extern const route sync_queue_routes[];
extern const route mightycall_admin_routes[];
extern const route sms_numbers_routes[];
extern const route sms_send_routes[];
extern const route sms_threads_routes[];
extern const route media_routes[];
extern const route webhooks_routes[];
extern const route agents_routes[];
extern const route live_routes[];
extern const route live_push_routes[];
extern const route phone_numbers_routes[];
extern const route series_routes[];
extern const route extensions_routes[];
extern const route contacts_routes[];
extern const route reports_routes[];
extern const route metrics_routes[];
extern const route prometheus_routes[];
extern const route invitations_routes[];
extern const route account_routes[];

/* POST members by an org admin: creates the invitation (with the extension
 * to link on acceptance, or NULL) and answers 202 (handlers/invitations.c). */
void invitation_create_answer(vs_request *req, vs_response *res, const char *email, const char *role,
                              const char *extension_id);

/* The 400 reason for an extension_id that is not one of the org's (an
 * unknown id and another org's id get the same answer). */
#define EXTENSION_UNKNOWN_REASON "no such extension in this organization"

/* true when the path is an ops route (/metrics) the caller may not see
 * (only metrics_allow_cidr sources or a valid x-service-key may): the router
 * then answers as for an unknown path. */
bool prometheus_path_hidden(const vs_request *req);
/* Is a metrics_allow_cidr value well-formed? (checked at start) */
bool prometheus_cidr_list_valid(const char *list);

#endif
