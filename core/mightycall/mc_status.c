/* mc_status.c — owns the MightyCall profile status calls; see mc_status.h. */
#include "mightycall/mc_status.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_parse.h"

mc_status mc_profile_status_set(mc_client *c, const char *status, mc_error *err)
{
    if (strcmp(status, "available") != 0 && strcmp(status, "dnd") != 0)
        return mc_fail(err, MC_ERR_INTERNAL, 0, "unknown status");
    char path[64];
    snprintf(path, sizeof path, "/profile/status/%s", status);
    json_t *reply = NULL;
    mc_status st = mc_request(c, "PUT", path, NULL, NULL, &reply, NULL, err);
    json_decref(reply);
    return st;
}

mc_status mc_profile_status_get(mc_client *c, char out[17], mc_error *err)
{
    json_t *reply = NULL;
    out[0] = 0;
    mc_status st = mc_get(c, "/profile/status", &reply, err);
    if (st == MC_OK) {
        const char *s = json_string_value(json_object_get(mc_unwrap(reply), "status"));
        if (!s) {
            st = mc_fail(err, MC_ERR_BAD_RESPONSE, 200, "MightyCall sent no status");
        } else {
            size_t i = 0;
            for (; s[i] && i < 16; i++)
                out[i] = (char)tolower((unsigned char)s[i]);
            out[i] = 0;
        }
    }
    json_decref(reply);
    return st;
}
