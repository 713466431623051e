/* mc_contacts.h — MightyCall /contacts writes used by the contacts API
 * (reads are the sync's GET /contacts?updatedSince=). Each call sends exactly
 * one request through the client (its quota, token cache and scrubbing
 * apply). The etag travels as ?etag= (Swagger); MightyCall answers a stale one
 * with 412 ContactWasModified and the current contact. */
#ifndef VS_MC_CONTACTS_H
#define VS_MC_CONTACTS_H

#include <jansson.h>

#include "mightycall/mc_client.h"
#include "mightycall/mc_parse.h"

typedef enum {
    MCC_OK = 0,
    MCC_MODIFIED,  /* 412: *root holds the error body, *out the current contact (if sent) */
    MCC_NOT_FOUND, /* 404: the contact is gone upstream */
    MCC_REJECTED,  /* 400: MightyCall refused the data (err->message says why) */
    MCC_FAILED,    /* anything else: err->status / err->message */
} mcc_result;

/* POST /contacts with a ContactModel without ids. On MCC_OK *out is the
 * created contact (strings copied, channels/tags/comment borrowed from *root:
 * keep *root until done, then json_decref it). */
mcc_result mc_contact_create(mc_client *c, json_t *model, json_t **root, mc_contact *out, mc_error *err);
/* PUT /contacts/{id}?etag= — full replacement. */
mcc_result mc_contact_replace(mc_client *c, const char *id, const char *etag, json_t *model, json_t **root,
                              mc_contact *out, mc_error *err);
/* DELETE /contacts/{id}?etag= */
mcc_result mc_contact_delete(mc_client *c, const char *id, const char *etag, json_t **root, mc_contact *out,
                             mc_error *err);

#endif
