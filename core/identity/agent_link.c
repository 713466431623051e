/* agent_link.c — links members to extensions (see agent_link.h). */
#include "identity/agent_link.h"

#include "platform/data_version.h"

int agent_extension_check(db_conn *c, const char *org_id, const char *extension_id)
{
    long long n = 0;
    db_param p[] = {DBP_STR(extension_id), DBP_STR(org_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM extensions WHERE id = ? AND org_id = ?", p, DB_NPARAMS(p), &n);
    if (rc != DB_OK)
        return rc;
    return n > 0 ? DB_OK : AGENT_EXTENSION_UNKNOWN;
}

int agent_extension_link(db_conn *c, const char *org_id, const char *extension_id, const char *user_id)
{
    int rc = agent_extension_check(c, org_id, extension_id);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(user_id), DBP_STR(extension_id), DBP_STR(org_id)};
    rc = db_exec(c, "UPDATE extensions SET user_id = ? WHERE id = ? AND org_id = ?", p, DB_NPARAMS(p), NULL);
    return rc == DB_OK ? org_data_version_bump(c, org_id) : rc;
}
