/* integration.c — owns decryption/encryption of integration secrets and the
 * lookup of an org's MightyCall integration; see integration.h. */
#include "mightycall/integration.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/secretbox.h"

static const char *COLS =
    "SELECT id, org_id, status, label, key_fp, credentials_enc, webhook_secret_enc FROM integrations ";

static int fill(const vs_config *cfg, json_t *row, mc_integration *out)
{
    unsigned char key[32];
    memset(out, 0, sizeof *out);
    snprintf(out->id, sizeof out->id, "%s", json_string_value(json_object_get(row, "id")));
    snprintf(out->org_id, sizeof out->org_id, "%s", json_string_value(json_object_get(row, "org_id")));
    snprintf(out->status, sizeof out->status, "%s", json_string_value(json_object_get(row, "status")));
    snprintf(out->label, sizeof out->label, "%s", json_string_value(json_object_get(row, "label")));
    snprintf(out->key_fp, sizeof out->key_fp, "%s", json_string_value(json_object_get(row, "key_fp")));
    if (secret_key_from_hex(cfg->master_key_hex, key) != 0)
        return INTEGRATION_DECRYPT_FAILED;
    char *plain = NULL;
    int rc = INTEGRATION_DECRYPT_FAILED;
    if (secret_decrypt(key, json_string_value(json_object_get(row, "credentials_enc")), &plain, NULL) == 0) {
        json_t *j = json_loads(plain, 0, NULL);
        const char *a = json_string_value(json_object_get(j, "api_key"));
        const char *u = json_string_value(json_object_get(j, "user_key"));
        const char *b = json_string_value(json_object_get(j, "base_url"));
        if (a && u && b) {
            snprintf(out->creds.api_key, sizeof out->creds.api_key, "%s", a);
            snprintf(out->creds.user_key, sizeof out->creds.user_key, "%s", u);
            snprintf(out->creds.base_url, sizeof out->creds.base_url, "%s", b);
            rc = INTEGRATION_OK;
        }
        json_decref(j); /* jansson frees its strings; the plain copy is wiped below */
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    char *ws = NULL;
    if (rc == INTEGRATION_OK &&
        secret_decrypt(key, json_string_value(json_object_get(row, "webhook_secret_enc")), &ws, NULL) == 0) {
        snprintf(out->webhook_secret, sizeof out->webhook_secret, "%s", ws);
        sodium_memzero(ws, strlen(ws));
        free(ws);
    }
    sodium_memzero(key, sizeof key);
    if (rc != INTEGRATION_OK)
        integration_wipe(out);
    return rc;
}

static int load(db_conn *db, const vs_config *cfg, const char *sql, const db_param *p, int np, mc_integration *out)
{
    json_t *row = NULL;
    int rc = db_query_row(db, sql, p, np, &row);
    if (rc != DB_OK)
        return rc;
    if (!row)
        return INTEGRATION_NOT_FOUND;
    rc = fill(cfg, row, out);
    json_decref(row);
    return rc;
}

int integration_load(db_conn *db, const vs_config *cfg, const char *org_id, const char *integration_id,
                     mc_integration *out)
{
    char sql[400];
    if (org_id) {
        snprintf(sql, sizeof sql, "%s WHERE id = ? AND org_id = ?", COLS);
        db_param p[] = {DBP_STR(integration_id), DBP_STR(org_id)};
        return load(db, cfg, sql, p, 2, out);
    }
    snprintf(sql, sizeof sql, "%s WHERE id = ?", COLS);
    db_param p[] = {DBP_STR(integration_id)};
    return load(db, cfg, sql, p, 1, out);
}

int integration_for_org(db_conn *db, const vs_config *cfg, const char *org_id, mc_integration *out)
{
    char sql[400];
    snprintf(sql, sizeof sql, "%s WHERE org_id = ? AND integration_type = 'mightycall'", COLS);
    db_param p[] = {DBP_STR(org_id)};
    return load(db, cfg, sql, p, 1, out);
}

void integration_wipe(mc_integration *it) { sodium_memzero(it, sizeof *it); }

int integration_seal_string(const vs_config *cfg, const char *plain, char **out)
{
    unsigned char key[32];
    *out = NULL;
    if (secret_key_from_hex(cfg->master_key_hex, key) != 0)
        return -1;
    int rc = secret_encrypt(key, plain, strlen(plain), out);
    sodium_memzero(key, sizeof key);
    return rc;
}

int integration_seal_credentials(const vs_config *cfg, const mc_credentials *creds, char **out)
{
    json_t *j = json_pack("{s:s, s:s, s:s}", "api_key", creds->api_key, "user_key", creds->user_key, "base_url",
                          creds->base_url);
    char *plain = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!plain)
        return -1;
    int rc = integration_seal_string(cfg, plain, out);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    return rc;
}

mc_client *integration_client(const vs_config *cfg, db_conn *db, const mc_integration *it)
{
    return mc_client_new(cfg, db, it->id, &it->creds);
}
