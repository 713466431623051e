/* mc_status.h — MightyCall user status: GET /profile/status and
 * PUT /profile/status/{available|dnd} ({"data":{"status":…},"isSuccess":true}).
 * MightyCall applies it to the user whose credentials the client uses. */
#ifndef VS_MC_STATUS_H
#define VS_MC_STATUS_H

#include "mightycall/mc_client.h"

/* status: "available" or "dnd". */
mc_status mc_profile_status_set(mc_client *c, const char *status, mc_error *err);
/* out: the status MightyCall reports, lower case ("available", "dnd", …). */
mc_status mc_profile_status_get(mc_client *c, char out[17], mc_error *err);

#endif
