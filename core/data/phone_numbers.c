/* phone_numbers.c — owns the phone numbers list and assignments (SQL in
 * core/data/data_sql.c). */
#include "data/phone_numbers.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "data/data_version.h"
#include "platform/activity.h"
#include "data/data_list.h"
#include "data/data_sql.h"

const char *const phone_statuses[] = {"active", "inactive", "unassigned", NULL};

int phone_numbers_list(db_conn *db, const char *org_id, const char *status, const list_cursor *cur,
                       const page_req *page, char **body, size_t *body_len)
{
    bool unassigned = status && strcmp(status, "unassigned") == 0;
    const char *st = unassigned ? "active" : status;
    const char *ck = cur->present ? cur->key : NULL, *cid = cur->present ? cur->id : NULL;
    db_param un = unassigned ? DBP_INT(1) : DBP_NULL;
    db_param p[] = {DBP_STR(org_id), DBP_STR(st), DBP_STR(st),  un,
                    DBP_STR(org_id), DBP_STR(st), DBP_STR(st),  un,
                    DBP_STR(ck),     DBP_STR(ck), DBP_STR(ck),  DBP_STR(cid),
                    DBP_INT(page->limit + 1), DBP_INT(page->skip)};
    return cursor_page_text(db, DSQL_PHONES_LIST, DSQL_PHONES_TOTAL, p, DB_NPARAMS(p), 4, page, "phone-numbers", body,
                            body_len);
}

int phone_number_get(db_conn *db, const char *org_id, const char *phone_id, json_t **out)
{
    db_param p[] = {DBP_STR(phone_id), DBP_STR(org_id)};
    int rc = db_query_row(db, DSQL_PHONE_GET, p, DB_NPARAMS(p), out);
    if (rc == DB_OK && !*out)
        return PHONE_NOT_FOUND;
    return rc;
}

struct assign_ctx {
    const char *org_id, *phone_id, *user_id, *actor;
    const char *number, *user_name;
    char at[DL_TIME_LEN];
};

static int assign_tx(db_conn *db, void *arg)
{
    struct assign_ctx *a = arg;
    unsigned long long n = 0;
    int rc;
    if (a->user_id) {
        db_param p[] = {DBP_STR(a->user_id), DBP_STR(a->at), DBP_STR(a->phone_id), DBP_STR(a->org_id)};
        rc = db_exec(db, DSQL_PHONE_ASSIGN, p, DB_NPARAMS(p), &n);
    } else {
        db_param p[] = {DBP_STR(a->phone_id), DBP_STR(a->org_id)};
        rc = db_exec(db, DSQL_PHONE_UNASSIGN, p, DB_NPARAMS(p), &n);
    }
    if (rc != DB_OK)
        return rc;
    char desc[600];
    if (a->user_id)
        snprintf(desc, sizeof desc, "Phone number %s assigned to %s", a->number, a->user_name);
    else
        snprintf(desc, sizeof desc, "Phone number %s unassigned", a->number);
    if ((rc = org_data_version_bump(db, a->org_id)) != DB_OK)
        return rc;
    return activity_record(db, a->org_id, a->actor, a->user_id ? "phone_number_assigned" : "phone_number_unassigned",
                           desc);
}

static int assignment(db_conn *db, const char *org_id, const char *phone_id, const char *user_id, const char *actor,
                      json_t **out)
{
    *out = NULL;
    json_t *phone = NULL, *member = NULL;
    int rc = phone_number_get(db, org_id, phone_id, &phone);
    if (rc != DB_OK)
        return rc;
    if (user_id) {
        db_param m[] = {DBP_STR(org_id), DBP_STR(user_id)};
        rc = db_query_row(db, DSQL_MEMBER_NAME, m, DB_NPARAMS(m), &member);
        if (rc == DB_OK && !member)
            rc = PHONE_NOT_MEMBER;
        if (rc != DB_OK) {
            json_decref(phone);
            return rc;
        }
    }
    struct assign_ctx a = {
        .org_id = org_id, .phone_id = phone_id, .user_id = user_id, .actor = actor,
        .number = json_string_value(json_object_get(phone, "number")),
        .user_name = member ? json_string_value(json_object_get(member, "full_name")) : NULL,
    };
    if (!a.user_name)
        a.user_name = "";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long ms = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    dl_sql_time(ms, a.at);
    rc = db_transaction(db, assign_tx, &a);
    if (rc == DB_OK) {
        char iso[24];
        snprintf(iso, sizeof iso, "%.10sT%.8sZ", a.at, a.at + 11);
        json_t *t = json_string(iso);
        if (user_id)
            *out = json_pack("{s:O, s:O, s:s, s:s, s:o}", "id", json_object_get(phone, "id"), "number",
                             json_object_get(phone, "number"), "assigned_to_user_id", user_id, "assigned_to_name",
                             a.user_name, "assigned_at", t);
        else
            *out = json_pack("{s:O, s:O, s:n, s:n, s:o}", "id", json_object_get(phone, "id"), "number",
                             json_object_get(phone, "number"), "assigned_to_user_id", "assigned_to_name",
                             "unassigned_at", t);
    }
    json_decref(phone);
    json_decref(member);
    return rc;
}

int phone_number_assign(db_conn *db, const char *org_id, const char *phone_id, const char *user_id,
                        const char *actor_user_id, json_t **out)
{
    return assignment(db, org_id, phone_id, user_id, actor_user_id, out);
}

int phone_number_unassign(db_conn *db, const char *org_id, const char *phone_id, const char *actor_user_id,
                          json_t **out)
{
    return assignment(db, org_id, phone_id, NULL, actor_user_id, out);
}
