/* contacts.c — contacts CRUD under /api/orgs/:orgId/contacts, kept in step
 * with MightyCall (core/messaging/contacts.h: upstream first, then one local
 * transaction). */
#include "messaging/contacts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../access.h"
#include "handlers.h"
#include "mightycall/mc_parse.h"

static void contact_not_found(vs_response *res)
{
    resp_result(res, VS_ERR_NOT_FOUND, "contact not found", json_pack("{s:s}", "resource", "contact"));
}

static void contacts_get(vs_request *req, vs_response *res)
{
    char *body = NULL;
    size_t len = 0;
    int rc = contacts_list(req->db, req_param(req, "orgId"), qp_str(req, "search"), qp_cursor(req), qp_page(req),
                           &body, &len);
    if (rc != DB_OK) {
        resp_result(res, rc, NULL, NULL);
        return;
    }
    resp_json_text(res, 200, body, len);
}

static bool contact_id(vs_request *req, vs_response *res, const char **id)
{
    *id = req_param(req, "contactId");
    if (!is_uuid(*id)) {
        contact_not_found(res);
        return false;
    }
    return true;
}

static void contact_get_h(vs_request *req, vs_response *res)
{
    const char *id;
    if (!contact_id(req, res, &id))
        return;
    json_t *out = NULL;
    int rc = contact_get(req->db, req_param(req, "orgId"), id, &out);
    if (rc == CONTACT_NOT_FOUND)
        contact_not_found(res);
    else if (rc != DB_OK)
        resp_result(res, rc, NULL, NULL);
    else
        resp_json(res, 200, out);
}

/* ------------------------------------------------------------ the body */

/* Optional nullable string field: *has tells whether the key is present. */
static bool opt_string(json_t *body, const char *name, size_t max, bool *has, const char **out, vs_response *res)
{
    json_t *v = json_object_get(body, name);
    *has = v != NULL;
    *out = NULL;
    if (!v || json_is_null(v))
        return true;
    if (!field_string(body, name, false, 0, max, out, res))
        return false;
    if (*out && !**out)
        *out = NULL; /* "" clears, like null */
    return true;
}

static bool string_array(json_t *v, size_t max_items, size_t max_len)
{
    if (!json_is_array(v) || json_array_size(v) > max_items)
        return false;
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s)
    {
        if (!json_is_string(s) || json_string_length(s) == 0 || strlen(json_string_value(s)) != json_string_length(s))
            return false;
        long n = utf8_chars(json_string_value(s));
        if (n < 0 || (size_t)n > max_len)
            return false;
    }
    return true;
}

typedef struct {
    contact_input in;
    char phone[MC_PHONE_LEN];
    json_t *channels; /* owned normalized copy */
} parsed_contact;

static const char *const known_fields[] = {"first_name", "last_name", "patronymic", "company", "comment", "phone",
                                           "email", "tags", "channels", "etag",
                                           /* read-only fields of our own shape: ignored */
                                           "id", "display_name", "external_id", "synced", "created_at", "updated_at",
                                           "upstream_updated_at", NULL};

static bool parse_contact(vs_request *req, vs_response *res, json_t *body, parsed_contact *pc)
{
    memset(pc, 0, sizeof *pc);
    contact_input *in = &pc->in;
    const char *key;
    json_t *val;
    json_object_foreach(body, key, val)
    {
        bool known = false;
        for (const char *const *k = known_fields; *k && !known; k++)
            known = strcmp(*k, key) == 0;
        if (!known) {
            resp_bad_field(res, key, "is not a contact field");
            return false;
        }
    }
    if (!opt_string(body, "first_name", CONTACT_NAME_MAX, &in->has_first_name, &in->first_name, res) ||
        !opt_string(body, "last_name", CONTACT_NAME_MAX, &in->has_last_name, &in->last_name, res) ||
        !opt_string(body, "patronymic", CONTACT_NAME_MAX, &in->has_patronymic, &in->patronymic, res) ||
        !opt_string(body, "company", CONTACT_NAME_MAX, &in->has_company, &in->company, res) ||
        !opt_string(body, "comment", CONTACT_COMMENT_MAX, &in->has_comment, &in->comment, res))
        return false;
    const char *phone = NULL, *email = NULL;
    if (!opt_string(body, "phone", 40, &in->has_phone, &phone, res) ||
        !opt_string(body, "email", 254, &in->has_email, &email, res))
        return false;
    if (phone) {
        if (!phone_any_writing(phone, pc->phone)) {
            resp_bad_field(res, "phone", "must be a phone number, e.g. +12125551234");
            return false;
        }
        in->phone = pc->phone;
    }
    if (email) {
        if (!is_email(email)) {
            resp_bad_field(res, "email", "must be an email address");
            return false;
        }
        in->email = email;
    }
    json_t *tags = json_object_get(body, "tags");
    if (tags) {
        in->has_tags = true;
        if (!json_is_null(tags) && !string_array(tags, CONTACT_TAGS_MAX, 100)) {
            resp_bad_field(res, "tags", "must be an array of at most 20 non-empty strings of up to 100 characters");
            return false;
        }
        in->tags = json_is_null(tags) ? NULL : tags;
    }
    json_t *chans = json_object_get(body, "channels");
    if (chans) {
        in->has_channels = true;
        if (!json_is_null(chans) && (!json_is_array(chans) || json_array_size(chans) > CONTACT_CHANNELS_MAX)) {
            resp_bad_field(res, "channels", "must be an array of at most 10 {phone|email, labels} objects");
            return false;
        }
        pc->channels = json_array();
        size_t i;
        json_t *c;
        json_array_foreach(chans, i, c)
        {
            json_t *ph = json_object_get(c, "phone"), *em = json_object_get(c, "email");
            json_t *labels = json_object_get(c, "labels");
            char e164[MC_PHONE_LEN];
            bool ok = json_is_object(c) && (!ph != !em) && (!labels || string_array(labels, 10, 50));
            if (ok && ph)
                ok = json_is_string(ph) && phone_any_writing(json_string_value(ph), e164);
            if (ok && em)
                ok = json_is_string(em) && is_email(json_string_value(em));
            if (!ok) {
                char field[32];
                snprintf(field, sizeof field, "channels[%zu]", i);
                resp_bad_field(res, field, "must have exactly one of phone (a phone number) or email, "
                                           "and optional labels (strings)");
                return false;
            }
            json_t *o = ph ? json_pack("{s:s}", "phone", e164) : json_pack("{s:O}", "email", em);
            if (labels)
                json_object_set(o, "labels", labels);
            json_array_append_new(pc->channels, o);
        }
        in->channels = pc->channels;
    }
    const char *etag = NULL;
    bool has_etag;
    if (!opt_string(body, "etag", 64, &has_etag, &etag, res))
        return false;
    in->if_match = etag ? etag : req_header(req, "if-match");
    return true;
}

/* ------------------------------------------------------------ answers */

static void conflict(vs_response *res, const contact_outcome *oc)
{
    resp_result(res, VS_ERR_CONFLICT, "the contact was changed since it was read; read it again and retry",
               json_pack("{s:s, s:s}", "reason", "etag_mismatch", "etag", oc->etag));
}

static void upstream_answer(vs_response *res, const contact_outcome *oc)
{
    const mc_error *e = &oc->err;
    char msg[480];
    json_t *d = json_pack("{s:s, s:i}", "upstream", mc_status_name(e->status), "upstream_status", e->http_status);
    if (oc->upstream == MCC_REJECTED) {
        snprintf(msg, sizeof msg, "MightyCall rejected the contact (%s); nothing was written", e->message);
        json_object_set_new(d, "field", json_string("contact"));
        json_object_set_new(d, "reason", json_string(e->message));
        resp_result(res, VS_ERR_INVALID, msg, d);
        return;
    }
    vs_result rc = mc_status_result(e->status); /* its status: fcgi/result_status.c */
    if (e->status == MC_ERR_QUOTA)
        snprintf(msg, sizeof msg, "MightyCall's request quota for this organization is used up; nothing was written");
    else if (rc == VS_ERR_UPSTREAM_DOWN)
        snprintf(msg, sizeof msg, "MightyCall could not be reached (%s); nothing was written", e->message);
    else if (e->status == MC_ERR_AUTH)
        snprintf(msg, sizeof msg, "MightyCall refused this organization's integration credentials; nothing was written");
    else if (rc == VS_ERR_INTERNAL)
        snprintf(msg, sizeof msg, "the MightyCall request could not be made; nothing was written");
    else
        snprintf(msg, sizeof msg,
                 "MightyCall's answer could not be used (%s); nothing was written here (if MightyCall applied the "
                 "change, the next contacts sync brings it in)", e->message);
    resp_result(res, rc, msg, d);
    if (e->status == MC_ERR_QUOTA && e->retry_at > 0) {
        long wait = (long)(e->retry_at - time(NULL));
        resp_add_header(res, "Retry-After: %ld", wait > 0 ? wait : 1);
    } else if (rc == VS_ERR_UPSTREAM_DOWN) {
        resp_add_header(res, "Retry-After: 5");
    }
}

static void write_result(vs_response *res, int rc, const contact_outcome *oc, int ok_status, json_t *out)
{
    if (rc == VS_OK) {
        resp_json(res, ok_status, out ? out : json_pack("{s:b}", "success", 1));
        return;
    }
    json_decref(out);
    if (rc == CONTACT_NOT_FOUND)
        contact_not_found(res);
    else if (rc == CONTACT_CONFLICT)
        conflict(res, oc);
    else if (rc == CONTACT_UPSTREAM)
        upstream_answer(res, oc);
    else if (rc == CONTACT_INTEGRATION) /* unusable integration: an upstream failure to the caller */
        resp_result(res, VS_ERR_UPSTREAM,
                    "this organization's MightyCall integration cannot be used (its credentials cannot be read); "
                    "nothing was changed",
                    NULL);
    else if (rc == CONTACT_EMPTY)
        resp_bad_field(res, "first_name", "a contact needs a first name, a last name, a phone or an email");
    else if (rc == CONTACT_LOCAL_FAILED) /* the database's own failure (503 / 500) */
        resp_result(res, oc->db_rc == DB_UNAVAILABLE ? VS_ERR_UNAVAILABLE : VS_ERR_INTERNAL,
                    "MightyCall accepted the change but it could not be stored here; it will appear with the next "
                    "contacts sync",
                    json_pack("{s:b}", "upstream_applied", 1));
    else
        resp_result(res, rc, NULL, NULL);
}

/* POST (id NULL: create, 201) or PUT (update, 200) of a parsed body. */
static void contact_save(vs_request *req, vs_response *res, const char *id)
{
    json_t *body = body_object(req, res);
    if (!body)
        return;
    parsed_contact pc;
    if (parse_contact(req, res, body, &pc)) {
        json_t *out = NULL;
        contact_outcome oc;
        const char *org = req_param(req, "orgId"), *actor = access_actor_user_id(req);
        int rc = id ? contact_update(req->db, req->cfg, org, id, actor, &pc.in, &out, &oc)
                    : contact_create(req->db, req->cfg, org, actor, &pc.in, &out, &oc);
        write_result(res, rc, &oc, id ? 200 : 201, out);
    }
    json_decref(pc.channels);
    json_decref(body);
}

static void contact_create_h(vs_request *req, vs_response *res) { contact_save(req, res, NULL); }

static void contact_update_h(vs_request *req, vs_response *res)
{
    const char *id;
    if (!contact_id(req, res, &id))
        return;
    json_t *exists = NULL;
    int rc = contact_get(req->db, req_param(req, "orgId"), id, &exists);
    json_decref(exists);
    if (rc != DB_OK) { /* 404 before looking at the body */
        write_result(res, rc, NULL, 200, NULL);
        return;
    }
    contact_save(req, res, id);
}

static void contact_delete_h(vs_request *req, vs_response *res)
{
    const char *id;
    if (!contact_id(req, res, &id))
        return;
    contact_outcome oc;
    int rc = contact_delete(req->db, req->cfg, req_param(req, "orgId"), id, access_actor_user_id(req),
                            req_header(req, "if-match"), &oc);
    write_result(res, rc, &oc, 200, NULL);
}

const route contacts_routes[] = {
    {"GET", "/api/orgs/:orgId/contacts", contacts_get, ACCESS_ORG_AGENT,
     PARAMS(PARAMS_CURSOR_PAGE("contacts", CURSOR_KEY_TEXT),
            {.name = "search", .type = QP_STRING, .flags = QPF_EMPTY_ABSENT, .max = 100,
             .reason = "must be at most 100 characters"})},
    {"POST", "/api/orgs/:orgId/contacts", contact_create_h, ACCESS_ORG_MANAGER, NO_PARAMS},
    {"GET", "/api/orgs/:orgId/contacts/:contactId", contact_get_h, ACCESS_ORG_AGENT, NO_PARAMS},
    {"PUT", "/api/orgs/:orgId/contacts/:contactId", contact_update_h, ACCESS_ORG_MANAGER, NO_PARAMS},
    {"DELETE", "/api/orgs/:orgId/contacts/:contactId", contact_delete_h, ACCESS_ORG_MANAGER, NO_PARAMS},
    {0},
};
