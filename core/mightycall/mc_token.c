/* mc_token.c — owns MightyCall access tokens: the in-memory copy, the shared
 * cache in mc_tokens (encrypted with the master key), and the single-refresher
 * protocol: whoever needs a new token locks the integration's mc_tokens row
 * (SELECT … FOR UPDATE), looks again (another process may have refreshed it
 * meanwhile), and only then asks MightyCall. Everyone else blocks on the lock
 * and reuses the fresh token, so N processes cause one token request. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/log.h"
#include "mightycall/mc_internal.h"
#include "mightycall/mc_parse.h"
#include "platform/secretbox.h"

#define TOKEN_MARGIN_MAX_S 300 /* stop using a token this long before it expires */

void mc_token_set(mc_client *c, const char *tok, long usable_s)
{
    if (c->token) {
        sodium_memzero(c->token, strlen(c->token));
        free(c->token);
    }
    c->token = strdup(tok);
    c->token_until = time(NULL) + usable_s;
}

bool mc_token_usable(const mc_client *c, const char *stale)
{
    return c->token && c->token_until > time(NULL) && (!stale || strcmp(c->token, stale) != 0);
}

/* Token fields of a row: decrypts into *tok / *refresh (malloc'd or NULL). */
void mc_token_row(mc_client *c, json_t *row, char **tok, char **refresh, long *remaining)
{
    *tok = *refresh = NULL;
    *remaining = 0;
    if (!row)
        return;
    const char *a = json_string_value(json_object_get(row, "access_token_enc"));
    const char *r = json_string_value(json_object_get(row, "refresh_token_enc"));
    *remaining = (long)json_integer_value(json_object_get(row, "remaining"));
    if (a && secret_decrypt(c->master, a, tok, NULL) != 0)
        *tok = NULL;
    if (r && secret_decrypt(c->master, r, refresh, NULL) != 0)
        *refresh = NULL;
}

static void wipe_free(char *s)
{
    if (s) {
        sodium_memzero(s, strlen(s));
        free(s);
    }
}

void mc_token_form_add(char *buf, size_t sz, const char *k, const char *v)
{
    /* mc_qs_add starts with '?' when the buffer has none: strip it for a form body */
    bool first = buf[0] == 0;
    mc_qs_add(buf, sz, k, v);
    if (first)
        memmove(buf, buf + 1, strlen(buf));
    else {
        char *q = strchr(buf, '?');
        if (q)
            *q = '&';
    }
}

/* One token request (with a few quick retries for transient failures).
 * grant: "client_credentials" or "refresh_token". */
static mc_status token_request(mc_client *c, const char *refresh, char **tok, char **new_refresh, long *expires_in,
                               mc_error *err)
{
    *tok = *new_refresh = NULL;
    *expires_in = 0;
    char url[400], form[1200] = "";
    snprintf(url, sizeof url, "%s/v4/auth/token", c->creds.base_url);
    if (refresh) {
        mc_token_form_add(form, sizeof form, "grant_type", "refresh_token");
        mc_token_form_add(form, sizeof form, "refresh_token", refresh);
    } else {
        mc_token_form_add(form, sizeof form, "grant_type", "client_credentials");
        mc_token_form_add(form, sizeof form, "client_id", c->creds.api_key);
        mc_token_form_add(form, sizeof form, "client_secret", c->creds.user_key);
    }
    char keyhdr[300];
    snprintf(keyhdr, sizeof keyhdr, "x-api-key: %s", c->creds.api_key);
    struct curl_slist *hdrs = curl_slist_append(NULL, keyhdr);
    hdrs = curl_slist_append(hdrs, "Content-Type: application/x-www-form-urlencoded");
    hdrs = curl_slist_append(hdrs, "Accept: application/json");
    hdrs = curl_slist_append(hdrs, "Expect:");
    sodium_memzero(keyhdr, sizeof keyhdr);
    int max = c->max_attempts < 3 ? c->max_attempts : 3;
    mc_status st = MC_OK;
    for (int attempt = 1;; attempt++) {
        mc_http h;
        st = mc_http_exchange(c, "POST", url, hdrs, form, strlen(form), &h, err);
        if (st != MC_OK)
            break;
        c->token_requests++;
        json_t *j = NULL;
        char perr[96];
        bool parsed = h.cc == CURLE_OK && !h.too_large && mc_json_parse(h.body, h.len, &j, perr, sizeof perr) == 0;
        long wait_ms = -1;
        if (h.cc != CURLE_OK || h.too_large) {
            st = mc_fail(err, MC_ERR_UNAVAILABLE, 0, "%s", h.too_large ? "MightyCall sent an oversized token response"
                                                                       : mc_curl_reason(h.cc));
            wait_ms = 0;
        } else if (h.status == 200 && parsed) {
            const char *a = json_string_value(json_object_get(j, "access_token"));
            const char *r = json_string_value(json_object_get(j, "refresh_token"));
            json_t *e = json_object_get(j, "expires_in");
            long ex = json_is_integer(e) ? (long)json_integer_value(e)
                      : json_is_string(e) ? (long)mc_parse_uint(json_string_value(e))
                                          : 3600;
            if (!a || !*a) {
                st = mc_fail(err, MC_ERR_BAD_RESPONSE, 200, "MightyCall's token response has no access_token");
            } else {
                *tok = strdup(a);
                *new_refresh = r && *r ? strdup(r) : NULL;
                *expires_in = ex > 0 ? ex : 3600;
                st = MC_OK;
            }
        } else if (h.status == 200) {
            st = mc_fail(err, MC_ERR_BAD_RESPONSE, 200, "MightyCall sent malformed JSON for the token (%s)", perr);
            wait_ms = 0;
        } else if (h.status == 400 || h.status == 401) {
            const char *e = json_string_value(json_object_get(j, "error"));
            char what[64];
            snprintf(what, sizeof what, "%.40s", e ? e : "unauthorized");
            mc_scrub(c, what);
            st = mc_fail(err, MC_ERR_AUTH, (int)h.status, "MightyCall refused the credentials (%s)", what);
        } else if (h.status == 429 || h.status == 403 || h.status >= 500) {
            long sw = mc_retry_after_header(h.retry_after[0] ? h.retry_after : NULL, time(NULL));
            if (sw < 0)
                sw = mc_retry_after_message(mc_error_text(j), time(NULL));
            if ((h.status == 429 || h.status == 403) && sw * 1000 > c->policy.max_wait_ms) {
                if (err)
                    err->retry_at = mc_retry_at(sw);
                st = mc_fail(err, MC_ERR_QUOTA, (int)h.status,
                             "MightyCall's request limit is reached; it asks to retry in %ld s", sw);
            } else {
                st = mc_fail(err, h.status == 403 ? MC_ERR_QUOTA : MC_ERR_UNAVAILABLE, (int)h.status,
                             "MightyCall answered %ld to the token request", h.status);
                if (h.status == 403 && err)
                    err->retry_at = time(NULL) + 3600;
                wait_ms = sw >= 0 ? sw * 1000 : 0;
            }
        } else {
            st = mc_fail(err, MC_ERR_UPSTREAM, (int)h.status, "MightyCall answered %ld to the token request", h.status);
        }
        json_decref(j);
        mc_http_free(&h);
        if (st == MC_OK || wait_ms < 0 || attempt >= max)
            break;
        mc_sleep_ms(c, mc_backoff_delay_ms(&c->policy, attempt, wait_ms > 0 ? wait_ms : -1, mc_backoff_random()));
    }
    curl_slist_free_all(hdrs);
    sodium_memzero(form, sizeof form);
    return st;
}

long mc_token_usable_seconds(long expires_in)
{
    long margin = expires_in / 10;
    if (margin > TOKEN_MARGIN_MAX_S)
        margin = TOKEN_MARGIN_MAX_S;
    return expires_in - margin;
}

/* ops_counters mc_token_refreshes (GET /metrics): one per new token, in
 * whichever process fetched it. On c->db, so inside the token-row
 * transaction it commits with the new token. Best effort: never fails a
 * request. */
static void count_refresh(mc_client *c)
{
    if (!c->db)
        return;
    db_param p[] = {DBP_STR(c->has_integration ? c->integration_id : "")};
    if (db_exec(c->db,
                "INSERT INTO ops_counters (name, label, value) VALUES ('mc_token_refreshes', ?, 1) "
                "ON DUPLICATE KEY UPDATE value = value + 1",
                p, 1, NULL) != DB_OK)
        log_debug("mightycall: token refresh not counted (database error)");
}

/* New token from MightyCall: refresh grant first when we have one, else (or
 * when it is refused) client credentials. */
static mc_status fetch_new(mc_client *c, const char *refresh, char **tok, char **new_refresh, long *usable_s,
                           mc_error *err)
{
    long expires_in = 0;
    mc_status st = MC_ERR_AUTH;
    if (refresh) {
        st = token_request(c, refresh, tok, new_refresh, &expires_in, err);
        if (st == MC_OK)
            log_info("mightycall: access token refreshed");
    }
    if (st == MC_ERR_AUTH) {
        st = token_request(c, NULL, tok, new_refresh, &expires_in, err);
        if (st == MC_OK)
            log_info("mightycall: new access token obtained");
    }
    *usable_s = mc_token_usable_seconds(expires_in);
    if (st == MC_OK)
        count_refresh(c);
    return st;
}

static const char *SELECT_TOKEN =
    "SELECT access_token_enc, refresh_token_enc, "
    "GREATEST(0, TIMESTAMPDIFF(SECOND, NOW(3), expires_at)) AS remaining FROM mc_tokens WHERE integration_id = ?";

mc_status mc_token_get(mc_client *c, const char *stale, mc_error *err)
{
    if (mc_token_usable(c, stale))
        return MC_OK;
    if (!c->has_integration || !c->db) {
        char *tok, *refresh;
        long us;
        mc_status st = fetch_new(c, NULL, &tok, &refresh, &us, err);
        if (st == MC_OK)
            mc_token_set(c, tok, us);
        wipe_free(tok);
        wipe_free(refresh);
        return st;
    }
    db_param p[] = {DBP_STR(c->integration_id)};
    json_t *row = NULL;
    char *tok = NULL, *refresh = NULL;
    long remaining = 0;
    /* 1. the shared cache, without locking */
    if (db_query_row(c->db, SELECT_TOKEN, p, 1, &row) == DB_OK && row) {
        mc_token_row(c, row, &tok, &refresh, &remaining);
        if (tok && remaining > 0 && (!stale || strcmp(tok, stale) != 0)) {
            mc_token_set(c, tok, remaining);
            wipe_free(tok);
            wipe_free(refresh);
            json_decref(row);
            return MC_OK;
        }
        wipe_free(tok);
        wipe_free(refresh);
        tok = refresh = NULL;
    }
    json_decref(row);
    row = NULL;

    /* 2. become the refresher (or wait for the one that is) */
    mc_status st = MC_ERR_DB;
    for (int tries = 0; tries < 4; tries++) {
        if (db_begin(c->db) != DB_OK)
            return mc_fail(err, MC_ERR_DB, 0, "the token cache is unavailable (database error)");
        db_exec(c->db, "INSERT IGNORE INTO mc_tokens (integration_id) VALUES (?)", p, 1, NULL);
        char sql[400];
        snprintf(sql, sizeof sql, "%s FOR UPDATE", SELECT_TOKEN);
        int rc = db_query_row(c->db, sql, p, 1, &row);
        if (rc == DB_DEADLOCK) {
            db_rollback(c->db);
            continue;
        }
        if (rc != DB_OK) {
            db_rollback(c->db);
            return mc_fail(err, MC_ERR_DB, 0, "the token cache is unavailable (database error)");
        }
        if (!row) { /* no such integration (deleted?): work with a private token */
            db_rollback(c->db);
            long us;
            st = fetch_new(c, NULL, &tok, &refresh, &us, err);
            if (st == MC_OK)
                mc_token_set(c, tok, us);
            wipe_free(tok);
            wipe_free(refresh);
            return st;
        }
        mc_token_row(c, row, &tok, &refresh, &remaining);
        json_decref(row);
        row = NULL;
        if (tok && remaining > 0 && (!stale || strcmp(tok, stale) != 0)) {
            db_commit(c->db); /* someone refreshed while we waited */
            mc_token_set(c, tok, remaining);
            wipe_free(tok);
            wipe_free(refresh);
            return MC_OK;
        }
        wipe_free(tok);
        tok = NULL;
        char *new_tok = NULL, *new_refresh = NULL;
        long us = 0;
        c->in_token_tx = true;
        st = fetch_new(c, refresh, &new_tok, &new_refresh, &us, err);
        c->in_token_tx = false;
        wipe_free(refresh);
        refresh = NULL;
        if (st != MC_OK) {
            db_rollback(c->db);
            return st;
        }
        char *enc_a = NULL, *enc_r = NULL;
        secret_encrypt(c->master, new_tok, strlen(new_tok), &enc_a);
        if (new_refresh)
            secret_encrypt(c->master, new_refresh, strlen(new_refresh), &enc_r);
        db_param up[] = {DBP_STR(enc_a), DBP_STR(enc_r), DBP_INT(us), DBP_STR(c->integration_id)};
        rc = enc_a ? db_exec(c->db,
                             "UPDATE mc_tokens SET access_token_enc = ?, refresh_token_enc = ?, "
                             "expires_at = NOW(3) + INTERVAL ? SECOND, generation = generation + 1, "
                             "requested_at = NOW(3) WHERE integration_id = ?",
                             up, 4, NULL)
                   : DB_ERROR;
        if (rc == DB_OK)
            rc = db_commit(c->db);
        else
            db_rollback(c->db);
        free(enc_a);
        free(enc_r);
        mc_token_set(c, new_tok, us); /* usable even if caching failed */
        wipe_free(new_tok);
        wipe_free(new_refresh);
        if (rc != DB_OK)
            log_warn("mightycall: could not cache the new access token (database error)");
        return MC_OK;
    }
    return mc_fail(err, MC_ERR_DB, 0, "timed out waiting for another process to refresh the MightyCall token");
}

int mc_client_persist_token(mc_client *c, const char *integration_id)
{
    if (!c->token || !c->db || !integration_id)
        return DB_ERROR;
    char *enc = NULL;
    if (secret_encrypt(c->master, c->token, strlen(c->token), &enc) != 0)
        return DB_ERROR;
    long remaining = (long)(c->token_until - time(NULL));
    db_param p[] = {DBP_STR(integration_id), DBP_STR(enc), DBP_INT(remaining > 0 ? remaining : 0)};
    int rc = db_exec(c->db,
                     "INSERT INTO mc_tokens (integration_id, access_token_enc, expires_at, generation, requested_at) "
                     "VALUES (?, ?, NOW(3) + INTERVAL ? SECOND, 1, NOW(3)) "
                     "ON DUPLICATE KEY UPDATE access_token_enc = VALUES(access_token_enc), "
                     "expires_at = VALUES(expires_at), generation = generation + 1, requested_at = NOW(3)",
                     p, 3, NULL);
    free(enc);
    return rc;
}
