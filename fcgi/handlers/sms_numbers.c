/* sms_numbers.c — the org's SMS numbers settings (core/messaging/sms_numbers.h):
 *   GET    /api/orgs/:orgId/sms/numbers             page (members, API keys)
 *   POST   /api/orgs/:orgId/sms/numbers             one {phone_number, label?, is_default?, mightycall_key?}
 *          or {numbers:[…]} (up to 50) → create or update by number (org_admin)
 *   DELETE /api/orgs/:orgId/sms/numbers/:numberId   (org_admin)
 * mightycall_key: string = set, null = remove, absent = keep; never returned. */
#include <stdio.h>
#include <string.h>

#include "../access.h"
#include "handlers.h"
#include "../sms_input.h"
#include "../input.h"
#include "platform/phone.h"
#include "messaging/sms_numbers.h"
#include "messaging/sms_send.h"

#define BULK_MAX 50

static void numbers_list(vs_request *req, vs_response *res)
{
    const page_req page = *qp_page(req);
    json_t *rows = NULL;
    long long total = 0;
    int rc = sms_numbers_list(req->db, req_param(req, "orgId"), page.skip, page.limit, &rows, &total);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, page_envelope(rows, total, &page));
}

typedef struct {
    sms_number_input in;
    char phone[PHONE_E164_MAX + 1];
} number_item;

/* Prefix the field named by the 400 in res with "numbers[i]." (bulk bodies). */
static void prefix_field(vs_response *res, const char *prefix)
{
    if (!prefix)
        return;
    json_t *d = json_object_get(res->body, "details");
    const char *f = json_string_value(json_object_get(d, "field"));
    if (!f)
        return;
    char full[96];
    snprintf(full, sizeof full, "%s%s", prefix, f);
    json_object_set_new(d, "field", json_string(full));
}

static bool read_item(json_t *o, number_item *it, const char *prefix, vs_response *res)
{
    memset(it, 0, sizeof *it);
    it->in.is_default = -1;
    const char *phone;
    if (!json_is_object(o)) {
        resp_bad_field(res, prefix ? prefix : "body", "must be an object");
        return false;
    }
    if (!field_string(o, "phone_number", true, 1, PHONE_INPUT_MAX, &phone, res))
        goto bad;
    phone_status st = phone_normalize(phone, it->phone);
    if (st != PHONE_OK) {
        sms_input_bad_number(res, "phone_number", phone, st);
        goto bad;
    }
    it->in.phone = it->phone;
    if (!field_string(o, "label", false, 0, SMS_NUMBER_LABEL_MAX, &it->in.label, res))
        goto bad;
    json_t *d = json_object_get(o, "is_default");
    if (d && !json_is_boolean(d)) {
        resp_bad_field(res, "is_default", "must be true or false");
        goto bad;
    }
    if (d)
        it->in.is_default = json_is_true(d);
    const char *kname = json_object_get(o, "mightycall_key") ? "mightycall_key" : "mighty_call_key";
    json_t *k = json_object_get(o, kname);
    if (k && json_is_null(k)) {
        it->in.key_action = SMS_KEY_CLEAR;
    } else if (k) {
        const char *key = json_string_value(k);
        bool ok = key && strlen(key) == json_string_length(k) && *key && strlen(key) <= SMS_NUMBER_KEY_MAX;
        for (const char *p = key; ok && *p; p++)
            ok = *p > 0x20 && *p < 0x7f;
        if (!ok) {
            resp_bad_field(res, kname, "must be the MightyCall key: 1 to 256 printable characters without spaces, or null");
            goto bad;
        }
        it->in.key_action = SMS_KEY_SET;
        it->in.key = key;
    }
    return true;
bad:
    prefix_field(res, prefix);
    return false;
}

/* false with res filled. */
static bool save_one(vs_request *req, vs_response *res, number_item *it, json_t **row, bool *created)
{
    int rc = sms_number_upsert(req->db, req->cfg, req_param(req, "orgId"), access_actor_user_id(req), &it->in, row,
                               created);
    if (rc == DB_OK && *row)
        return true;
    if (rc == SMS_NUMBER_NEEDS_DEFAULT)
        resp_result(res, VS_ERR_CONFLICT, "an organization needs exactly one default SMS number: make another number the default "
                             "instead",
                   json_pack("{s:s, s:s}", "field", "is_default", "phone_number", it->phone));
    else if (rc == SMS_NUMBER_TOO_MANY)
        resp_result(res, VS_ERR_CONFLICT, "too many SMS numbers in this organization", json_pack("{s:i}", "max", SMS_NUMBERS_MAX));
    else if (rc == SMS_NUMBER_SEAL_FAILED)
        resp_result(res, VS_ERR_INTERNAL, "the key cannot be encrypted", NULL);
    else
        resp_result(res, rc == DB_OK ? DB_ERROR : rc, NULL, NULL);
    return false;
}

static void numbers_save(vs_request *req, vs_response *res)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    json_t *list = json_object_get(body, "numbers");
    if (!list) {
        number_item it;
        json_t *row = NULL;
        bool created = false;
        if (read_item(body, &it, NULL, res) && save_one(req, res, &it, &row, &created))
            resp_json(res, created ? 201 : 200, row);
        json_decref(body);
        return;
    }
    if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > BULK_MAX) {
        resp_bad_field(res, "numbers", "must be an array of 1 to 50 numbers");
        json_decref(body);
        return;
    }
    number_item items[BULK_MAX];
    size_t n = json_array_size(list);
    for (size_t i = 0; i < n; i++) {
        char prefix[32];
        snprintf(prefix, sizeof prefix, "numbers[%zu].", i);
        if (!read_item(json_array_get(list, i), &items[i], prefix, res)) {
            json_decref(body);
            return;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(items[k].phone, items[i].phone) == 0) {
                char f[48];
                snprintf(f, sizeof f, "numbers[%zu].phone_number", i);
                resp_bad_field(res, f, "appears twice");
                json_decref(body);
                return;
            }
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *row = NULL;
        bool created = false;
        if (!save_one(req, res, &items[i], &row, &created)) {
            json_decref(rows);
            json_decref(body);
            return;
        }
        json_array_append_new(rows, row);
    }
    resp_json(res, 200, json_pack("{s:o}", "data", rows));
    json_decref(body);
}

static void numbers_delete(vs_request *req, vs_response *res)
{
    const char *id;
    if (!param_uuid(req, res, "numberId", &id))
        return;
    bool found = false;
    int rc = sms_number_delete(req->db, req_param(req, "orgId"), id, &found);
    if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else if (!found)
        resp_result(res, VS_ERR_NOT_FOUND, "SMS number not found", json_pack("{s:s}", "resource", "sms_number"));
    else
        resp_json(res, 200, json_pack("{s:b}", "success", 1));
}

const route sms_numbers_routes[] = {
    {"GET", "/api/orgs/:orgId/sms/numbers", numbers_list, ACCESS_ORG_AGENT, PARAMS(PARAMS_PAGE)},
    {"POST", "/api/orgs/:orgId/sms/numbers", numbers_save, ACCESS_ORG_ADMIN, NO_PARAMS},
    {"DELETE", "/api/orgs/:orgId/sms/numbers/:numberId", numbers_delete, ACCESS_ORG_ADMIN, NO_PARAMS},
    {0},
};
