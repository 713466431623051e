/* agent_link.c — links members to extensions (see agent_link.h). */
#include "identity/agent_link.h"

#include <stdio.h>

#include "platform/activity.h"
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

struct set_arg {
    const char *org_id, *extension_id, *user_id, *actor;
};

static int set_tx(db_conn *c, void *arg)
{
    struct set_arg *a = arg;
    json_t *ext = NULL;
    db_param k[] = {DBP_STR(a->extension_id), DBP_STR(a->org_id)};
    int rc = db_query_row(c, "SELECT COALESCE(extension, '') AS extension FROM extensions WHERE id = ? AND org_id = ?"
                             " FOR UPDATE",
                          k, DB_NPARAMS(k), &ext);
    if (rc != DB_OK)
        return rc;
    if (!ext)
        return AGENT_EXTENSION_NOT_FOUND;
    char desc[400];
    const char *number = json_string_value(json_object_get(ext, "extension"));
    if (a->user_id) {
        json_t *m = NULL;
        db_param q[] = {DBP_STR(a->org_id), DBP_STR(a->user_id)};
        rc = db_query_row(c,
                          "SELECT u.email FROM org_members m JOIN users u ON u.id = m.user_id"
                          " WHERE m.org_id = ? AND m.user_id = ?",
                          q, DB_NPARAMS(q), &m);
        if (rc == DB_OK && !m)
            rc = AGENT_NOT_MEMBER;
        if (rc == DB_OK)
            snprintf(desc, sizeof desc, "extension %s linked to %s", number ? number : "",
                     json_string_value(json_object_get(m, "email")));
        json_decref(m);
    } else {
        snprintf(desc, sizeof desc, "extension %s unlinked", number ? number : "");
    }
    json_decref(ext);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a->user_id), DBP_STR(a->extension_id), DBP_STR(a->org_id)};
    rc = db_exec(c, "UPDATE extensions SET user_id = ? WHERE id = ? AND org_id = ?", p, DB_NPARAMS(p), NULL);
    if (rc == DB_OK)
        rc = activity_record(c, a->org_id, a->actor, "extension_linked", desc);
    return rc == DB_OK ? org_data_version_bump(c, a->org_id) : rc;
}

int agent_extension_set_member(db_conn *c, const char *org_id, const char *extension_id, const char *user_id,
                               const char *actor_user_id, json_t **out)
{
    *out = NULL;
    struct set_arg a = {org_id, extension_id, user_id, actor_user_id};
    int rc = db_transaction(c, set_tx, &a);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(extension_id), DBP_STR(org_id)};
    return db_query_row(c,
                        "SELECT e.id, e.extension, e.display_name, e.user_id, u.full_name AS user_name"
                        " FROM extensions e LEFT JOIN users u ON u.id = e.user_id WHERE e.id = ? AND e.org_id = ?",
                        p, DB_NPARAMS(p), out);
}
