/* members.c — owns the org_members table (see members.h). */
#include "identity/members.h"

#include <stdio.h>
#include <string.h>

#include "identity/agent_link.h"
#include "platform/activity.h"
#include "platform/ids.h"

const char *const member_roles[] = {"org_admin", "manager", "agent", NULL};

org_role member_role_parse(const char *s)
{
    if (!s)
        return ORG_ROLE_NONE;
    if (strcmp(s, "org_admin") == 0)
        return ORG_ROLE_ORG_ADMIN;
    if (strcmp(s, "manager") == 0)
        return ORG_ROLE_MANAGER;
    if (strcmp(s, "agent") == 0)
        return ORG_ROLE_AGENT;
    return ORG_ROLE_NONE;
}

const char *member_role_name(org_role r)
{
    switch (r) {
    case ORG_ROLE_ORG_ADMIN: return "org_admin";
    case ORG_ROLE_MANAGER: return "manager";
    case ORG_ROLE_AGENT: return "agent";
    default: return NULL;
    }
}

int member_org_view(db_conn *c, const char *org_id, const char *user_id, org_view *org, org_role *role)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(user_id), DBP_STR(org_id)};
    memset(org, 0, sizeof *org);
    *role = ORG_ROLE_NONE;
    int rc = db_query_row(c,
                          "SELECT m.role," ORG_VIEW_COLUMNS " FROM orgs o" ORG_VIEW_JOIN_VERSION
                          " LEFT JOIN org_members m ON m.org_id = o.id AND m.user_id = ?"
                          " WHERE o.id = ?",
                          p, DB_NPARAMS(p), &row);
    if (rc != DB_OK)
        return rc;
    org_view_from_row(row, org_id, org);
    if (!row)
        return rc;
    *role = member_role_parse(json_string_value(json_object_get(row, "role")));
    json_decref(row);
    return DB_OK;
}

struct add_arg {
    const char *org_id, *email, *role, *actor, *extension_id;
    char id[UUID_STR_LEN + 1];
};

static int add_tx(db_conn *c, void *arg)
{
    struct add_arg *a = arg;
    json_t *u = NULL;
    db_param q[] = {DBP_STR(a->email)};
    int rc = db_query_row(c, "SELECT id FROM users WHERE email = ?", q, DB_NPARAMS(q), &u);
    if (rc != DB_OK)
        return rc;
    if (!u)
        return MEMBER_NO_SUCH_USER;
    char uid[UUID_STR_LEN + 1];
    snprintf(uid, sizeof uid, "%s", json_string_value(json_object_get(u, "id")));
    json_decref(u);
    if ((rc = id_new(c, a->id)) != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a->id), DBP_STR(a->org_id), DBP_STR(uid), DBP_STR(a->role)};
    rc = db_exec(c, "INSERT INTO org_members (id, org_id, user_id, role) VALUES (?, ?, ?, ?)", p, DB_NPARAMS(p),
                 NULL);
    if (rc != DB_OK)
        return rc;
    if (a->extension_id && (rc = agent_extension_link(c, a->org_id, a->extension_id, uid)) != DB_OK)
        return rc;
    char desc[400];
    snprintf(desc, sizeof desc, "%s added as %s", a->email, a->role);
    return activity_record(c, a->org_id, a->actor, "member_added", desc);
}

int member_add(db_conn *c, const char *org_id, const char *email, const char *role, const char *actor_user_id,
               json_t **out)
{
    return member_add_agent(c, org_id, email, role, NULL, actor_user_id, out);
}

int member_add_agent(db_conn *c, const char *org_id, const char *email, const char *role, const char *extension_id,
                     const char *actor_user_id, json_t **out)
{
    struct add_arg a = {
        .org_id = org_id, .email = email, .role = role, .actor = actor_user_id, .extension_id = extension_id};
    *out = NULL;
    int rc = db_transaction(c, add_tx, &a);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a.id)};
    return db_query_row(c,
                        "SELECT m.id, m.user_id, u.email, m.role, m.created_at"
                        " FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.id = ?",
                        p, DB_NPARAMS(p), out);
}

int member_list(db_conn *c, const char *org_id, long long skip, int limit, json_t **rows, long long *total)
{
    *rows = NULL;
    db_param k[] = {DBP_STR(org_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM org_members WHERE org_id = ?", k, DB_NPARAMS(k), total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(c,
                    "SELECT m.id, m.user_id, u.email, u.full_name, m.role, m.created_at"
                    " FROM org_members m JOIN users u ON u.id = m.user_id"
                    " WHERE m.org_id = ? ORDER BY m.created_at, m.id LIMIT ? OFFSET ?",
                    p, DB_NPARAMS(p), rows);
}

struct remove_arg {
    const char *org_id, *member_id, *actor;
    bool found;
};

static int remove_tx(db_conn *c, void *arg)
{
    struct remove_arg *a = arg;
    json_t *m = NULL;
    db_param k[] = {DBP_STR(a->member_id), DBP_STR(a->org_id)};
    int rc = db_query_row(c,
                          "SELECT m.role, u.email FROM org_members m JOIN users u ON u.id = m.user_id"
                          " WHERE m.id = ? AND m.org_id = ? FOR UPDATE",
                          k, DB_NPARAMS(k), &m);
    if (rc != DB_OK || !m)
        return rc;
    a->found = true;
    char role[16], desc[400];
    snprintf(role, sizeof role, "%s", json_string_value(json_object_get(m, "role")));
    snprintf(desc, sizeof desc, "%s removed (was %s)", json_string_value(json_object_get(m, "email")), role);
    json_decref(m);
    if (strcmp(role, "org_admin") == 0) {
        /* lock the org's admin rows: two concurrent removals cannot both pass */
        json_t *admins = NULL;
        db_param o[] = {DBP_STR(a->org_id)};
        rc = db_query(c, "SELECT id FROM org_members WHERE org_id = ? AND role = 'org_admin' FOR UPDATE", o,
                      DB_NPARAMS(o), &admins);
        size_t n = json_array_size(admins);
        json_decref(admins);
        if (rc != DB_OK)
            return rc;
        if (n <= 1)
            return MEMBER_LAST_ADMIN;
    }
    rc = db_exec(c, "DELETE FROM org_members WHERE id = ? AND org_id = ?", k, DB_NPARAMS(k), NULL);
    if (rc != DB_OK)
        return rc;
    return activity_record(c, a->org_id, a->actor, "member_removed", desc);
}

int member_remove(db_conn *c, const char *org_id, const char *member_id, const char *actor_user_id, bool *found)
{
    struct remove_arg a = {org_id, member_id, actor_user_id, false};
    int rc = db_transaction(c, remove_tx, &a);
    *found = a.found;
    return rc;
}

int member_orgs_of_user(db_conn *c, const char *user_id, long long skip, int limit, json_t **rows,
                        long long *total)
{
    *rows = NULL;
    db_param k[] = {DBP_STR(user_id)};
    int rc = db_query_int(c, "SELECT COUNT(*) FROM org_members WHERE user_id = ?", k, DB_NPARAMS(k), total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(user_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(c,
                    "SELECT o.id, o.name, o.slug, o.timezone, m.role, o.created_at"
                    " FROM org_members m JOIN orgs o ON o.id = m.org_id"
                    " WHERE m.user_id = ? ORDER BY m.created_at, o.id LIMIT ? OFFSET ?",
                    p, DB_NPARAMS(p), rows);
}
