/* admin_sync.h — POST /api/admin/mightycall/sync: pull an org's phone numbers
 * and extensions from MightyCall now (synchronously), store them in one
 * transaction (numbers and users MightyCall no longer lists are retired), and
 * mark the integration synced. */
#ifndef VS_ADMIN_SYNC_H
#define VS_ADMIN_SYNC_H

#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/result.h"

typedef struct {
    long phones, extensions;          /* listed by MightyCall */
    long new_numbers, new_extensions; /* rows created */
    bool mc_failed;                   /* MightyCall could not be read (VS_ERR_UPSTREAM / VS_ERR_UNAVAILABLE) */
    char reason[320];                 /* then: why */
} admin_sync_counts;

/* VS_ERR_NOT_FOUND (the org has no integration), VS_ERR_SECRET (its
 * credentials cannot be decrypted), VS_ERR_UPSTREAM (MightyCall failed:
 * out->reason), VS_ERR_UNAVAILABLE (the token cache / quota counter could not
 * be used: out->reason), or a DB_ code of the store. */
vs_result admin_sync_org(db_conn *db, const vs_config *cfg, const char *org_id, admin_sync_counts *out);

#endif
