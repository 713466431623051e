/* data_version.c — owns the org_data_versions table (see data_version.h). */
#include "data/data_version.h"

int org_data_version_bump(db_conn *db, const char *org_id)
{
    db_param p[] = {DBP_STR(org_id)};
    return db_exec(db,
                   "INSERT INTO org_data_versions (org_id, version) VALUES (?, 1)"
                   " ON DUPLICATE KEY UPDATE version = version + 1",
                   p, DB_NPARAMS(p), NULL);
}

int org_data_version_bump_of_sms(db_conn *db, const char *message_id)
{
    db_param p[] = {DBP_STR(message_id)};
    return db_exec(db,
                   "INSERT INTO org_data_versions (org_id, version) SELECT org_id, 1 FROM sms_messages WHERE id = ?"
                   " ON DUPLICATE KEY UPDATE version = org_data_versions.version + 1",
                   p, DB_NPARAMS(p), NULL);
}
