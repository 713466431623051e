/* mightycall_admin.c — platform-admin views of synced MightyCall data (SPEC §2):
 *   GET  /api/admin/mightycall/phone-numbers[?orgId&skip&limit]
 *   GET  /api/admin/mightycall/extensions[?orgId&skip&limit]
 *   GET  /api/admin/mightycall/reports[?orgId&date_from&date_to&phone_number&skip&limit]
 *        lists: {data,total,skip,limit} plus the seed's key (phone_numbers / extensions / reports) → same array
 *   POST /api/admin/mightycall/sync?orgId=…  (or body {"orgId"}) — pulls phone numbers and extensions of the
 *        org now, synchronously → {success, phones, extensions, org_id}; 502 when MightyCall fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "../input.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_store.h"

static void list(vs_request *req, vs_response *res, const char *select, const char *count, const db_param *p, int np,
                 const page_req *page, const char *alias)
{
    db_param all[16];
    memcpy(all, p, sizeof(db_param) * (size_t)np);
    all[np] = DBP_INT(page->limit);
    all[np + 1] = DBP_INT(page->skip);
    json_t *rows = NULL;
    long long total = 0;
    int rc = db_query(req->db, select, all, np + 2, &rows);
    if (rc == DB_OK)
        rc = db_query_int(req->db, count, p, np, &total);
    if (rc != DB_OK) {
        json_decref(rows);
        resp_db_error(res, rc);
        return;
    }
    json_t *body = page_envelope(rows, total, page);
    json_object_set(body, alias, json_object_get(body, "data"));
    resp_json(res, 200, body);
}

static void admin_phone_numbers(vs_request *req, vs_response *res)
{
    const char *org = qp_str(req, "orgId");
    db_param p[] = {DBP_STR(org), DBP_STR(org)};
    list(req, res,
         "SELECT id, org_id, org_id AS orgId, number, label, status, is_primary, is_toll_free, sms_enabled, "
         "assigned_user_id, last_call_at, created_at, created_at AS createdAt, updated_at FROM phone_numbers "
         "WHERE (? IS NULL OR org_id = ?) ORDER BY org_id, number, id LIMIT ? OFFSET ?",
         "SELECT COUNT(*) FROM phone_numbers WHERE (? IS NULL OR org_id = ?)", p, 2, qp_page(req), "phone_numbers");
}

static void admin_extensions(vs_request *req, vs_response *res)
{
    const char *org = qp_str(req, "orgId");
    db_param p[] = {DBP_STR(org), DBP_STR(org)};
    list(req, res,
         "SELECT id, org_id, extension, COALESCE(display_name, extension) AS display_name, email, role, status, "
         "user_id, created_at, updated_at FROM extensions WHERE (? IS NULL OR org_id = ?) "
         "ORDER BY org_id, extension IS NULL, CAST(extension AS UNSIGNED), extension, id LIMIT ? OFFSET ?",
         "SELECT COUNT(*) FROM extensions WHERE (? IS NULL OR org_id = ?)", p, 2, qp_page(req), "extensions");
}

/* The day of a date-time parameter ("YYYY-MM-DD"), NULL when absent. */
static const char *param_day(const vs_request *req, const char *name, char out[11])
{
    const char *dt = qp_str(req, name);
    if (!dt)
        return NULL;
    snprintf(out, 11, "%.10s", dt);
    return out;
}

static void admin_reports(vs_request *req, vs_response *res)
{
    char from[11], to[11];
    const char *org = qp_str(req, "orgId"), *f = param_day(req, "date_from", from), *t = param_day(req, "date_to", to),
               *ph = qp_str(req, "phone_number");
    db_param p[] = {DBP_STR(org), DBP_STR(org), DBP_STR(f), DBP_STR(f), DBP_STR(t), DBP_STR(t), DBP_STR(ph), DBP_STR(ph)};
#define REPORT_WHERE                                                                                                  \
    "WHERE (? IS NULL OR org_id = ?) AND (? IS NULL OR day >= ?) AND (? IS NULL OR day <= ?) AND "                    \
    "(? IS NULL OR phone_number = ?)"
    list(req, res,
         "SELECT org_id, CAST(day AS CHAR) AS day, phone_number, calls, answered, missed, answer_rate, "
         "avg_handle_seconds, total_duration, inbound, outbound, voicemails, computed_at FROM call_reports_daily "
         REPORT_WHERE " ORDER BY day DESC, org_id, phone_number LIMIT ? OFFSET ?",
         "SELECT COUNT(*) FROM call_reports_daily " REPORT_WHERE, p, DB_NPARAMS(p), qp_page(req), "reports");
}

typedef struct {
    vs_request *req;
    const char *org, *integration;
    json_t *phones, *deleted, *users;
    mc_counts np, nu;
} admin_sync_arg;

static int admin_sync_write(db_conn *db, void *a)
{
    admin_sync_arg *s = a;
    memset(&s->np, 0, sizeof s->np);
    memset(&s->nu, 0, sizeof s->nu);
    json_t *seen = json_array();
    int rc = DB_OK;
    for (int pass = 0; pass < 2 && rc == DB_OK; pass++) {
        size_t i;
        json_t *o;
        json_array_foreach(pass ? s->deleted : s->phones, i, o)
        {
            mc_phone ph;
            if (mc_parse_phone(o, pass == 1, &ph) != 0)
                continue;
            if ((rc = mc_store_phone(db, s->org, s->integration, &ph, &s->np)) != DB_OK)
                break;
            json_array_append_new(seen, json_string(ph.external_id));
        }
    }
    long retired = 0;
    char *js = json_dumps(seen, JSON_COMPACT);
    if (rc == DB_OK)
        rc = mc_store_phones_retire(db, s->org, s->integration, js, &retired);
    free(js);
    json_array_clear(seen);
    size_t i;
    json_t *o;
    json_array_foreach(s->users, i, o)
    {
        if (rc != DB_OK)
            break;
        mc_user u;
        if (mc_parse_team_user(o, &u) != 0)
            continue;
        if ((rc = mc_store_user(db, s->org, s->integration, &u, &s->nu)) == DB_OK)
            json_array_append_new(seen, json_string(u.id));
    }
    js = json_dumps(seen, JSON_COMPACT);
    if (rc == DB_OK)
        rc = mc_store_users_retire(db, s->org, s->integration, js, &retired);
    free(js);
    json_decref(seen);
    return rc;
}

static void admin_sync(vs_request *req, vs_response *res)
{
    char buf[64];
    const char *org = qp_str(req, "orgId");
    json_t *body = NULL;
    if (!org && req->body_len > 0) {
        if (!(body = body_object(req, res)))
            return;
        const char *b = NULL;
        if (!field_uuid(body, "orgId", false, &b, res) || (!b && !field_uuid(body, "org_id", false, &b, res))) {
            json_decref(body);
            return;
        }
        if (b) {
            snprintf(buf, 64, "%s", b);
            for (char *p = buf; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p + 32);
            org = buf;
        }
    }
    json_decref(body);
    if (!org) {
        resp_bad_field(res, "orgId", "is required (query parameter or body)");
        return;
    }
    mc_integration it;
    int rc = integration_for_org(req->db, req->cfg, org, &it);
    if (rc < 0) {
        resp_db_error(res, rc);
        return;
    }
    if (rc == INTEGRATION_NOT_FOUND) {
        resp_error(res, 404, "the organization has no MightyCall integration",
                   json_pack("{s:s}", "resource", "integration"));
        return;
    }
    if (rc != INTEGRATION_OK) {
        resp_error(res, 500, "the integration's credentials cannot be decrypted", NULL);
        return;
    }
    mc_client *c = integration_client(req->cfg, req->db, &it);
    json_t *phones_root = NULL, *team_root = NULL;
    mc_error err = {0};
    mc_status st = c ? mc_get(c, "/phonenumbers", &phones_root, &err) : MC_ERR_INTERNAL;
    if (st == MC_OK)
        st = mc_get(c, "/team", &team_root, &err);
    admin_sync_arg s = {.req = req, .org = org, .integration = it.id};
    if (st == MC_OK) {
        s.phones = mc_list(phones_root, "phoneNumbers");
        s.deleted = mc_list(phones_root, "deletedPhoneNumbers");
        s.users = mc_list(team_root, "users");
        if (!s.phones || !s.users) {
            st = MC_ERR_BAD_RESPONSE;
            snprintf(err.message, sizeof err.message, "MightyCall's answer has an unexpected shape");
        }
    }
    if (st != MC_OK) {
        resp_error(res, st == MC_ERR_DB ? 503 : 502, "MightyCall sync failed",
                   json_pack("{s:b, s:s}", "success", 0, "reason", err.message));
    } else if ((rc = db_transaction(req->db, admin_sync_write, &s)) != DB_OK) {
        resp_db_error(res, rc);
    } else {
        db_param ip[] = {DBP_STR(it.id)};
        db_exec(req->db, "UPDATE integrations SET last_sync_at = NOW(3), last_error = NULL WHERE id = ?", ip, 1, NULL);
        json_t *out = json_pack("{s:b, s:I, s:I, s:s, s:I, s:I}", "success", 1, "phones",
                                (json_int_t)json_array_size(s.phones), "extensions", (json_int_t)json_array_size(s.users),
                                "org_id", org, "new_numbers", (json_int_t)s.np.created, "new_extensions",
                                (json_int_t)s.nu.created);
        resp_json(res, 200, out);
    }
    json_decref(phones_root);
    json_decref(team_root);
    mc_client_free(c);
    integration_wipe(&it);
}

#define PARAM_ORG_FILTER {.name = "orgId", .type = QP_UUID}

const route mightycall_admin_routes[] = {
    {"GET", "/api/admin/mightycall/phone-numbers", admin_phone_numbers, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER)},
    {"GET", "/api/admin/mightycall/extensions", admin_extensions, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER)},
    {"GET", "/api/admin/mightycall/reports", admin_reports, ACCESS_PLATFORM_ADMIN,
     PARAMS(PARAMS_PAGE, PARAM_ORG_FILTER, {.name = "date_from", .type = QP_DATETIME},
            {.name = "date_to", .type = QP_DATETIME}, PARAM_PHONE("phone_number"))},
    {"POST", "/api/admin/mightycall/sync", admin_sync, ACCESS_PLATFORM_ADMIN, PARAMS(PARAM_ORG_FILTER)},
    {0},
};
