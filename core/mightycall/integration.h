/* integration.h — MightyCall integrations of an org: loading one with its
 * decrypted credentials and webhook secret (master key, core/platform/secretbox.h), and
 * building a client for it. Shared by vs-sync, the integrations API and the
 * webhook receiver. Plaintext secrets live only in these structs: wipe them
 * with integration_wipe() as soon as they are not needed. */
#ifndef VS_INTEGRATION_H
#define VS_INTEGRATION_H

#include <stdbool.h>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/result.h"
#include "mightycall/mc_client.h"

typedef struct {
    char id[40];
    char org_id[40];
    char status[17];          /* active | disabled | error */
    char label[201];
    char key_fp[65];
    mc_credentials creds;     /* decrypted */
    char webhook_secret[96];  /* decrypted */
} mc_integration;

/* vs_result members (platform/result.h) under the names this module uses */
#define INTEGRATION_OK VS_OK
#define INTEGRATION_NOT_FOUND VS_ERR_NOT_FOUND
#define INTEGRATION_DECRYPT_FAILED VS_ERR_SECRET

/* By id (org_id NULL = any org). Returns INTEGRATION_* or a negative DB_ code. */
int integration_load(db_conn *db, const vs_config *cfg, const char *org_id, const char *integration_id,
                     mc_integration *out);
/* The org's MightyCall integration (any status). Same return codes. */
int integration_for_org(db_conn *db, const vs_config *cfg, const char *org_id, mc_integration *out);
void integration_wipe(mc_integration *it);

/* Encrypt credentials (JSON {"api_key","user_key","base_url"}) / a secret for
 * storage. *out malloc'd. 0 ok, -1 failure. */
int integration_seal_credentials(const vs_config *cfg, const mc_credentials *creds, char **out);
int integration_seal_string(const vs_config *cfg, const char *plain, char **out);

/* Client for the integration (token cache row = its id). */
mc_client *integration_client(const vs_config *cfg, db_conn *db, const mc_integration *it);

#endif
