/* admin_sync.c — the synchronous phone-number + extension pull of an org;
 * see admin_sync.h. The MightyCall requests run before the transaction. */
#include "mightycall/admin_sync.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mightycall/integration.h"
#include "mightycall/integration_admin.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_store.h"

typedef struct {
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

vs_result admin_sync_org(db_conn *db, const vs_config *cfg, const char *org_id, admin_sync_counts *out)
{
    memset(out, 0, sizeof *out);
    mc_integration it;
    int rc = integration_for_org(db, cfg, org_id, &it);
    if (rc != INTEGRATION_OK)
        return rc; /* VS_ERR_NOT_FOUND, VS_ERR_SECRET or a DB_ code */
    mc_client *c = integration_client(cfg, db, &it);
    json_t *phones_root = NULL, *team_root = NULL;
    mc_error err;
    memset(&err, 0, sizeof err);
    mc_status st = c ? mc_get(c, "/phonenumbers", &phones_root, &err) : MC_ERR_INTERNAL;
    if (st == MC_OK)
        st = mc_get(c, "/team", &team_root, &err);
    admin_sync_arg s = {.org = org_id, .integration = it.id};
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
        out->mc_failed = true;
        snprintf(out->reason, sizeof out->reason, "%s", err.message);
        rc = st == MC_ERR_DB ? VS_ERR_UNAVAILABLE : VS_ERR_UPSTREAM;
    } else if ((rc = db_transaction(db, admin_sync_write, &s)) == DB_OK) {
        integration_mark_synced(db, it.id); /* best effort: the data is stored */
        out->phones = (long)json_array_size(s.phones);
        out->extensions = (long)json_array_size(s.users);
        out->new_numbers = s.np.created;
        out->new_extensions = s.nu.created;
    }
    json_decref(phones_root);
    json_decref(team_root);
    mc_client_free(c);
    integration_wipe(&it);
    return rc;
}
