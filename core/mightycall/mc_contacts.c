/* mc_contacts.c — owns the MightyCall contact writes (create, replace,
 * delete) and the reading of their replies: {data: contact, message} or
 * {data: {contacts: [contact]}}, errors {data?, errorCode, message}. */
#include "mightycall/mc_contacts.h"

#include <stdio.h>
#include <string.h>

static void fail(mc_error *err, mc_status st, int http, const char *msg)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->status = st;
    err->http_status = http;
    snprintf(err->message, sizeof err->message, "%s", msg);
}

/* The contact inside a reply: data, data.contacts[0], or the root itself. */
static json_t *reply_contact(json_t *root)
{
    json_t *d = json_object_get(root, "data");
    if (!json_is_object(d))
        d = root;
    json_t *list = json_object_get(d, "contacts");
    if (json_is_array(list))
        d = json_array_get(list, 0);
    return json_is_object(d) ? d : NULL;
}

static mcc_result finish(mc_status st, int http, json_t *root, mc_contact *out, mc_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    json_t *contact = root ? reply_contact(root) : NULL;
    if (st == MC_OK) {
        if (!out)
            return MCC_OK;
        if (contact && mc_parse_contact(contact, out) == 0)
            return MCC_OK;
        fail(err, MC_ERR_BAD_RESPONSE, http, "MightyCall's reply did not contain the contact");
        return MCC_FAILED;
    }
    if (st != MC_ERR_UPSTREAM)
        return MCC_FAILED;
    if (http == 412) {
        if (out && contact && mc_parse_contact(contact, out) != 0)
            memset(out, 0, sizeof *out);
        return MCC_MODIFIED;
    }
    if (http == 404)
        return MCC_NOT_FOUND;
    if (http == 400 || http == 422)
        return MCC_REJECTED;
    return MCC_FAILED;
}

static bool contact_path(char *buf, size_t bufsz, const char *id, const char *etag)
{
    char enc[200];
    size_t o = 0;
    for (const char *p = id; *p && o + 1 < sizeof enc; p++) { /* ids are hex; keep only safe characters */
        if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '_')
            enc[o++] = *p;
    }
    enc[o] = 0;
    if (!o || snprintf(buf, bufsz, "/contacts/%s", enc) >= (int)bufsz)
        return false;
    return !etag || !*etag || mc_qs_add(buf, bufsz, "etag", etag);
}

mcc_result mc_contact_create(mc_client *c, json_t *model, json_t **root, mc_contact *out, mc_error *err)
{
    int http = 0;
    *root = NULL;
    mc_status st = mc_request(c, "POST", "/contacts", model, NULL, root, &http, err);
    return finish(st, http, *root, out, err);
}

/* PUT (model) or DELETE (model NULL) of /contacts/{id}[?etag=…]. */
static mcc_result contact_at(mc_client *c, const char *method, const char *id, const char *etag, json_t *model,
                             json_t **root, mc_contact *out, mc_error *err)
{
    char path[512];
    int http = 0;
    *root = NULL;
    if (!contact_path(path, sizeof path, id, etag)) {
        fail(err, MC_ERR_INTERNAL, 0, "contact id unusable in a URL");
        return MCC_FAILED;
    }
    mc_status st = mc_request(c, method, path, model, NULL, root, &http, err);
    return finish(st, http, *root, out, err);
}

mcc_result mc_contact_replace(mc_client *c, const char *id, const char *etag, json_t *model, json_t **root,
                              mc_contact *out, mc_error *err)
{
    return contact_at(c, "PUT", id, etag, model, root, out, err);
}

mcc_result mc_contact_delete(mc_client *c, const char *id, const char *etag, json_t **root, mc_contact *out,
                             mc_error *err)
{
    return contact_at(c, "DELETE", id, etag, NULL, root, out, err);
}
