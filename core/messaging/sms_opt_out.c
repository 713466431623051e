/* sms_opt_out.c — which recipients of a send opted out (see sms_opt_out.h). */
#include "messaging/sms_opt_out.h"

#include <stdlib.h>

vs_result sms_opted_out(db_conn *db, const char *org_id, const char *business_number, json_t *recipients,
                        json_t **out)
{
    *out = NULL;
    char *list = json_dumps(recipients, JSON_COMPACT);
    if (!list)
        return VS_ERR_INTERNAL;
    /* the recipients travel as one JSON parameter: the SQL text is fixed */
    db_param p[] = {DBP_STR(list), DBP_STR(org_id), DBP_STR(business_number)};
    int rc = db_query(db,
                      "SELECT o.contact_number, o.keyword, o.changed_at AS since "
                      "FROM JSON_TABLE(?, '$[*]' COLUMNS (n VARCHAR(32) PATH '$')) j "
                      "JOIN sms_opt_outs o ON o.org_id = ? AND o.business_number = ? AND o.contact_number = j.n "
                      "WHERE o.opted_out = 1 ORDER BY o.contact_number",
                      p, 3, out);
    free(list);
    return rc;
}
