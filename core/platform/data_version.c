/* data_version.c — owns the org_data_versions table (see data_version.h). */
#include "platform/data_version.h"

static int bump(db_conn *db, const char *sql, const char *id)
{
    db_param p[] = {DBP_STR(id)};
    return db_exec(db, sql, p, DB_NPARAMS(p), NULL);
}

int org_data_version_bump(db_conn *db, const char *org_id)
{
    db_param p[] = {DBP_STR(org_id)};
    return db_exec_org_version(db, org_id,
                               "INSERT INTO org_data_versions (org_id, version) VALUES (?, 1)"
                               " ON DUPLICATE KEY UPDATE version = version + 1",
                               p, DB_NPARAMS(p));
}

/* The org is not known here: the statement names org_data_versions, so the
 * change board moves its identity counter (every org's conditional requests
 * ask MariaDB once more). */
int org_data_version_bump_of_sms(db_conn *db, const char *message_id)
{
    return bump(db,
                "INSERT INTO org_data_versions (org_id, version) SELECT org_id, 1 FROM sms_messages WHERE id = ?"
                " ON DUPLICATE KEY UPDATE version = org_data_versions.version + 1",
                message_id);
}
