/* mc_quota.c — owns the per-key, per-UTC-day request counter; see mc_quota.h. */
#include "mightycall/mc_quota.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "platform/secretbox.h"

int mc_key_fingerprint(const vs_config *cfg, const char *api_key, char out[65])
{
    unsigned char key[32], h[32];
    out[0] = 0;
    if (secret_key_from_hex(cfg->master_key_hex, key) != 0)
        return -1;
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, sizeof key, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)"mightycall-api-key:", 19);
    crypto_generichash_update(&st, (const unsigned char *)api_key, strlen(api_key));
    crypto_generichash_final(&st, h, sizeof h);
    sodium_memzero(key, sizeof key);
    sodium_bin2hex(out, 65, h, sizeof h);
    return 0;
}

static void utc_day(time_t t, char out[11])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int mc_quota_reserve(db_conn *db, const char *key_fp, const char *integration_id, int limit)
{
    char day[11];
    utc_day(time(NULL), day);
    db_param ins[] = {DBP_STR(key_fp), DBP_STR(day), DBP_STR(integration_id)};
    int rc = db_exec(db,
                     "INSERT IGNORE INTO mc_request_counts (key_fp, day, integration_id, requests) VALUES (?, ?, ?, 0)",
                     ins, 3, NULL);
    if (rc != DB_OK)
        return rc;
    /* The WHERE clause makes the check and the increment one atomic step:
     * "matched" (CLIENT_FOUND_ROWS) is 1 only when the row was below limit. */
    unsigned long long affected = 0;
    db_param up[] = {DBP_STR(integration_id), DBP_STR(key_fp), DBP_STR(day), DBP_INT(limit)};
    rc = db_exec(db,
                 "UPDATE mc_request_counts SET requests = requests + 1, integration_id = COALESCE(?, integration_id) "
                 "WHERE key_fp = ? AND day = ? AND requests < ?",
                 up, 4, &affected);
    if (rc != DB_OK)
        return rc;
    return affected > 0 ? 1 : 0;
}

int mc_quota_used(db_conn *db, const char *key_fp, long long *used)
{
    char day[11];
    utc_day(time(NULL), day);
    db_param p[] = {DBP_STR(key_fp), DBP_STR(day)};
    return db_query_int(db, "SELECT requests FROM mc_request_counts WHERE key_fp = ? AND day = ?", p, 2, used);
}

time_t mc_quota_reset_at(time_t now)
{
    return (now / 86400 + 1) * 86400;
}
