/* orgs.c — owns the orgs table (see orgs.h). */
#include "identity/orgs.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "platform/activity.h"
#include "platform/ids.h"
#include "platform/page.h"
#include "platform/text.h"
#include "identity/names.h"

const char *org_name_problem(const char *name, char slug[SLUG_MAX_BYTES])
{
    slug[0] = 0;
    const char *problem = name_problem(name, ORG_NAME_MAX);
    if (problem)
        return problem;
    int s = slug_from_name(name, slug, SLUG_MAX_BYTES);
    if (s < 0)
        return "must be UTF-8 text without control characters";
    if (s == 0)
        return "must contain at least one letter or digit";
    return NULL;
}

int org_timezone_check(db_conn *c, const char *tz, bool *valid)
{
    *valid = false;
    if (!tz || !*tz || strlen(tz) > ORG_TZ_MAX)
        return DB_OK;
    if (strcmp(tz, ORG_DEFAULT_TZ) == 0) {
        *valid = true;
        return DB_OK;
    }
    json_t *rows = NULL;
    db_param p[] = {DBP_STR(tz)};
    /* the column collation is case-insensitive: confirm the exact spelling here */
    int rc = db_query(c, "SELECT Name AS name FROM mysql.time_zone_name WHERE Name = ?", p, DB_NPARAMS(p), &rows);
    if (rc != DB_OK)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *nm = json_string_value(json_object_get(row, "name"));
        if (nm && strcmp(nm, tz) == 0)
            *valid = true;
    }
    json_decref(rows);
    return DB_OK;
}

struct create_arg {
    const org_new *n;
    const char *slug; /* NULL: n->slug; else the suffixed retry of a unique_slug create */
    char id[UUID_STR_LEN + 1];
};

static int create_tx(db_conn *c, void *arg)
{
    struct create_arg *a = arg;
    const org_new *n = a->n;
    int rc;
    if (n->owner_user_id && n->owner_must_have_no_orgs) {
        /* lock the owner's row so two onboardings cannot both pass the check */
        json_t *row = NULL;
        db_param u[] = {DBP_STR(n->owner_user_id)};
        rc = db_query_row(c, "SELECT id FROM users WHERE id = ? FOR UPDATE", u, DB_NPARAMS(u), &row);
        json_decref(row);
        if (rc != DB_OK)
            return rc;
        long long count = 0;
        rc = db_query_int(c, "SELECT COUNT(*) FROM org_members WHERE user_id = ?", u, DB_NPARAMS(u), &count);
        if (rc != DB_OK)
            return rc;
        if (count > 0)
            return ORG_OWNER_HAS_ORGS;
    }
    if ((rc = id_new(c, a->id)) != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a->id), DBP_STR(n->name), DBP_STR(a->slug ? a->slug : n->slug), DBP_STR(n->timezone)};
    rc = db_exec(c, "INSERT INTO orgs (id, name, slug, timezone) VALUES (?, ?, ?, ?)", p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    char desc[1200];
    snprintf(desc, sizeof desc, "Organization \"%s\" created (time zone %s)", n->name, n->timezone);
    rc = activity_record(c, a->id, n->actor_user_id, "org_created", desc);
    if (rc != DB_OK || !n->owner_user_id)
        return rc;
    db_param m[] = {DBP_STR(a->id), DBP_STR(n->owner_user_id)};
    rc = db_exec(c, "INSERT INTO org_members (org_id, user_id, role) VALUES (?, ?, 'org_admin')", m, DB_NPARAMS(m),
                 NULL);
    if (rc != DB_OK)
        return rc;
    json_t *u = NULL;
    db_param q[] = {DBP_STR(n->owner_user_id)};
    rc = db_query_row(c, "SELECT email FROM users WHERE id = ?", q, DB_NPARAMS(q), &u);
    if (rc != DB_OK)
        return rc;
    snprintf(desc, sizeof desc, "%s added as org_admin", u ? json_string_value(json_object_get(u, "email")) : "?");
    json_decref(u);
    return activity_record(c, a->id, n->actor_user_id, "member_added", desc);
}

int org_create(db_conn *c, const org_new *n, json_t **out)
{
    struct create_arg a = {.n = n};
    *out = NULL;
    int rc = db_transaction(c, create_tx, &a);
    /* onboarding: another org has this slug; try it with a random suffix
     * (the slug column holds 200 characters: the base is cut to fit) */
    char alt[SLUG_MAX_BYTES + 8];
    for (int i = 0; rc == DB_DUPLICATE && n->unique_slug && i < 3; i++) {
        unsigned char r[3];
        randombytes_buf(r, sizeof r);
        int keep = (int)strnlen(n->slug, 180);
        while (keep > 0 && ((unsigned char)n->slug[keep] & 0xC0) == 0x80)
            keep--; /* never cut inside a UTF-8 sequence */
        snprintf(alt, sizeof alt, "%.*s-%02x%02x%02x", keep, n->slug, r[0], r[1], r[2]);
        a.slug = alt;
        rc = db_transaction(c, create_tx, &a);
    }
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(a.id)};
    return db_query_row(c, "SELECT id, name, slug, timezone, created_at FROM orgs WHERE id = ?", p, DB_NPARAMS(p),
                        out);
}

#define ORG_COLUMNS                                                                                      \
    "o.id, o.name, o.slug, o.timezone,"                                                                  \
    " (SELECT COUNT(*) FROM org_members m WHERE m.org_id = o.id) AS member_count,"                       \
    " o.created_at, o.updated_at"

int org_get(db_conn *c, const char *id, json_t **out)
{
    db_param p[] = {DBP_STR(id)};
    return db_query_row(c, "SELECT " ORG_COLUMNS " FROM orgs o WHERE o.id = ?", p, DB_NPARAMS(p), out);
}

int org_list(db_conn *c, long long skip, int limit, json_t **rows, long long *total)
{
    *rows = NULL;
    int rc = db_query_int(c, "SELECT COUNT(*) FROM orgs", NULL, 0, total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_INT(limit), DBP_INT(skip)};
    return db_query(c, "SELECT " ORG_COLUMNS " FROM orgs o ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?",
                    p, DB_NPARAMS(p), rows);
}

struct update_arg {
    const char *id, *name, *slug, *tz, *actor;
    bool found;
};

static int update_tx(db_conn *c, void *arg)
{
    struct update_arg *a = arg;
    json_t *cur = NULL;
    db_param k[] = {DBP_STR(a->id)};
    int rc = db_query_row(c, "SELECT name, timezone FROM orgs WHERE id = ? FOR UPDATE", k, DB_NPARAMS(k), &cur);
    if (rc != DB_OK || !cur)
        return rc;
    a->found = true;
    char old_name[ORG_NAME_MAX * 4 + 1], old_tz[ORG_TZ_MAX + 1];
    snprintf(old_name, sizeof old_name, "%s", json_string_value(json_object_get(cur, "name")));
    snprintf(old_tz, sizeof old_tz, "%s", json_string_value(json_object_get(cur, "timezone")));
    json_decref(cur);
    bool name_changed = a->name && strcmp(a->name, old_name) != 0;
    bool tz_changed = a->tz && strcmp(a->tz, old_tz) != 0;
    if (!name_changed && !tz_changed)
        return DB_OK;
    db_param p[] = {DBP_STR(name_changed ? a->name : old_name), DBP_STR(name_changed ? a->slug : NULL),
                    DBP_STR(tz_changed ? a->tz : old_tz), DBP_STR(a->id)};
    rc = db_exec(c, "UPDATE orgs SET name = ?, slug = COALESCE(?, slug), timezone = ?, updated_at = NOW(3)"
                    " WHERE id = ?",
                 p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    char desc[2400];
    int n = 0;
    if (name_changed)
        n = snprintf(desc, sizeof desc, "Organization renamed from \"%s\" to \"%s\"", old_name, a->name);
    if (tz_changed)
        snprintf(desc + n, sizeof desc - (size_t)n, "%sime zone changed from %s to %s", n ? "; t" : "T", old_tz,
                 a->tz);
    return activity_record(c, a->id, a->actor, "org_updated", desc);
}

int org_update(db_conn *c, const char *id, const char *name, const char *slug, const char *timezone,
               const char *actor_user_id, json_t **out)
{
    struct update_arg a = {id, name, slug, timezone, actor_user_id, false};
    *out = NULL;
    int rc = db_transaction(c, update_tx, &a);
    if (rc != DB_OK || !a.found)
        return rc;
    db_param p[] = {DBP_STR(id)};
    return db_query_row(c, "SELECT id, name, timezone, updated_at FROM orgs WHERE id = ?", p, DB_NPARAMS(p), out);
}

struct delete_arg {
    const char *id, *actor;
    bool found;
};

static int delete_tx(db_conn *c, void *arg)
{
    struct delete_arg *a = arg;
    json_t *cur = NULL;
    db_param k[] = {DBP_STR(a->id)};
    int rc = db_query_row(c, "SELECT id, name, slug FROM orgs WHERE id = ? FOR UPDATE", k, DB_NPARAMS(k), &cur);
    if (rc != DB_OK || !cur)
        return rc;
    a->found = true;
    char desc[1400];
    snprintf(desc, sizeof desc, "Organization \"%s\" (%s, id %s) deleted with all its data",
             json_string_value(json_object_get(cur, "name")), json_string_value(json_object_get(cur, "slug")),
             a->id);
    json_decref(cur);
    rc = db_exec(c, "DELETE FROM orgs WHERE id = ?", k, DB_NPARAMS(k), NULL);
    if (rc != DB_OK)
        return rc;
    return activity_record(c, NULL, a->actor, "org_deleted", desc);
}

int org_delete(db_conn *c, const char *id, const char *actor_user_id, bool *found)
{
    struct delete_arg a = {id, actor_user_id, false};
    int rc = db_transaction(c, delete_tx, &a);
    *found = a.found;
    return rc;
}

int org_id_by_slug(db_conn *c, const char *slug, char id[UUID_STR_LEN + 1], bool *found)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(slug)};
    *found = false;
    id[0] = 0;
    int rc = db_query_row(c, "SELECT id FROM orgs WHERE slug = ?", p, DB_NPARAMS(p), &row);
    if (rc == DB_OK && row) {
        snprintf(id, UUID_STR_LEN + 1, "%s", json_string_value(json_object_get(row, "id")));
        *found = true;
    }
    json_decref(row);
    return rc;
}
