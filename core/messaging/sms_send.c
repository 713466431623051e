/* sms_send.c — owns the SMS send pipeline: idempotent requests, the outbox,
 * the per-org rate window, upstream sends and their reconciliation; see
 * sms_send.h. Message bodies, numbers' keys and credentials are never logged. */
#include "messaging/sms_send.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "data/data_version.h"
#include "messaging/sms_opt_out.h"
#include "platform/activity.h"
#include "platform/page.h"
#include "platform/text.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_messages.h"
#include "platform/secretbox.h"
#include "messaging/sms_numbers.h"
#include "messaging/sms_threads.h"
#include "platform/live_pub.h"

/* ---- MightyCall clients, cached per worker thread ----
 * A client keeps its HTTP connection and its access token; per-number keys
 * have no shared token row (mc_tokens is per integration), so without this
 * cache every send with such a key would also cost a token request. */

#define CLIENT_CACHE_SLOTS 4

typedef struct {
    char fp[65];
    mc_client *c;
    db_conn *db;
    time_t used;
} cached_client;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_destroy(void *p)
{
    cached_client *a = p;
    for (int i = 0; i < CLIENT_CACHE_SLOTS; i++)
        mc_client_free(a[i].c);
    free(a);
}

static void cache_init(void) { pthread_key_create(&cache_key, cache_destroy); }

static void creds_fingerprint(const mc_credentials *cr, const char *integration_id, char out[65])
{
    unsigned char h[32];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    const char *parts[] = {cr->api_key, cr->user_key, cr->base_url, integration_id ? integration_id : ""};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
    sodium_memzero(&st, sizeof st);
}

/* A client for these credentials (integration_id: its token cache row, or
 * NULL for a per-number key). Owned by the cache: never freed by the caller. */
static mc_client *client_for(const vs_config *cfg, db_conn *db, const char *integration_id,
                             const mc_credentials *cr)
{
    pthread_once(&cache_once, cache_init);
    cached_client *a = pthread_getspecific(cache_key);
    if (!a) {
        a = calloc(CLIENT_CACHE_SLOTS, sizeof *a);
        if (!a || pthread_setspecific(cache_key, a) != 0) {
            free(a);
            return NULL;
        }
    }
    char fp[65];
    creds_fingerprint(cr, integration_id, fp);
    int victim = 0;
    for (int i = 0; i < CLIENT_CACHE_SLOTS; i++) {
        if (a[i].c && a[i].db == db && strcmp(a[i].fp, fp) == 0) {
            a[i].used = time(NULL);
            return a[i].c;
        }
        if (a[victim].c && (!a[i].c || a[i].used < a[victim].used))
            victim = i;
    }
    mc_client_free(a[victim].c);
    memset(&a[victim], 0, sizeof a[victim]);
    mc_client *c = mc_client_new(cfg, db, integration_id, cr);
    if (!c)
        return NULL;
    /* an API request waits for MightyCall: two attempts, short pauses */
    mc_backoff_policy policy = {.base_ms = 200, .cap_ms = 1000, .max_wait_ms = 5000};
    mc_client_set_retry(c, 2, &policy);
    snprintf(a[victim].fp, sizeof a[victim].fp, "%s", fp);
    a[victim].c = c;
    a[victim].db = db;
    a[victim].used = time(NULL);
    return c;
}

/* ---- helpers ---- */

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void request_hash(const sms_send_req *r, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const char *from = r->from ? r->from : "";
    crypto_hash_sha256_update(&st, (const unsigned char *)from, strlen(from) + 1);
    for (int i = 0; i < r->nto; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)r->to[i], strlen(r->to[i]) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)"", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)r->message, strlen(r->message));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static const char *jstr(json_t *row, const char *k)
{
    const char *s = json_string_value(json_object_get(row, k));
    return s ? s : "";
}

/* ---- per-org rate window ---- */

/* 1 reserved, 0 over the limit (*retry_after set), or a negative DB_ code. */
static int rate_reserve(db_conn *db, const char *org_id, int n, int *retry_after)
{
    time_t now = time(NULL);
    time_t start = now - now % 60;
    struct tm tm;
    char win[24], old[24];
    gmtime_r(&start, &tm);
    strftime(win, sizeof win, "%Y-%m-%d %H:%M:%S", &tm);
    time_t prune = start - 3600;
    gmtime_r(&prune, &tm);
    strftime(old, sizeof old, "%Y-%m-%d %H:%M:%S", &tm);
    unsigned long long fresh = 0;
    db_param i[] = {DBP_STR(org_id), DBP_STR(win)};
    int rc = db_exec(db, "INSERT IGNORE INTO sms_rate_windows (org_id, window_start, messages) VALUES (?, ?, 0)", i,
                     2, &fresh);
    if (rc != DB_OK)
        return rc;
    if (fresh) {
        db_param d[] = {DBP_STR(org_id), DBP_STR(old)};
        db_exec(db, "DELETE FROM sms_rate_windows WHERE org_id = ? AND window_start < ?", d, 2, NULL);
    }
    unsigned long long got = 0;
    db_param u[] = {DBP_INT(n), DBP_STR(org_id), DBP_STR(win), DBP_INT(n), DBP_INT(SMS_RATE_PER_MINUTE)};
    rc = db_exec(db,
                 "UPDATE sms_rate_windows SET messages = messages + ? WHERE org_id = ? AND window_start = ? "
                 "AND messages + ? <= ?",
                 u, 5, &got);
    if (rc != DB_OK)
        return rc;
    *retry_after = (int)(60 - now % 60);
    return got ? 1 : 0;
}

/* ---- storing a request ---- */

struct store_arg {
    const sms_send_req *r;
    const char *integration_id;
    const sms_sender *sender;
    const char *key;
    bool client_key;
    const char *hash;
    char request_id[37];
};

static int store_tx(db_conn *db, void *arg)
{
    struct store_arg *a = arg;
    const sms_send_req *r = a->r;
    json_t *row = NULL;
    db_param q[] = {DBP_STR(r->org_id), DBP_STR(a->key), DBP_INT(a->client_key), DBP_STR(a->hash),
                    DBP_STR(r->actor_user_id)};
    /* a duplicate key (the same Idempotency-Key at once) is expected here: no
     * RETURNING, whose failure leaves Connector/C waiting for a result set */
    int rc = db_exec(db,
                     "INSERT INTO sms_send_requests (org_id, idempotency_key, client_key, request_hash, created_by) "
                     "VALUES (?, ?, ?, ?, ?)",
                     q, DB_NPARAMS(q), NULL);
    if (rc != DB_OK)
        return rc;
    rc = db_query_row(db, "SELECT id FROM sms_send_requests WHERE org_id = ? AND idempotency_key = ?", q, 2, &row);
    if (rc != DB_OK || !row) {
        json_decref(row);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    snprintf(a->request_id, sizeof a->request_id, "%s", jstr(row, "id"));
    json_decref(row);
    for (int i = 0; i < r->nto; i++) {
        char thread_id[37];
        rc = sms_thread_ensure(db, r->org_id, a->sender->phone, r->to[i], NULL, thread_id);
        if (rc != DB_OK)
            return rc;
        db_param m[] = {DBP_STR(r->org_id), DBP_STR(a->integration_id), DBP_STR(a->sender->phone),
                        DBP_STR(r->to[i]),  DBP_STR(r->message),        DBP_STR(r->actor_user_id),
                        DBP_STR(thread_id)};
        rc = db_query_row(db,
                          "INSERT INTO sms_messages (org_id, integration_id, business_number, contact_number, "
                          "direction, body, status, sent_by_user_id, sent_at, thread_id, source) "
                          "VALUES (?, ?, ?, ?, 'outbound', ?, 'queued', ?, NOW(3), ?, 'api') RETURNING id",
                          m, DB_NPARAMS(m), &row);
        if (rc != DB_OK || !row) {
            json_decref(row);
            return rc == DB_OK ? DB_ERROR : rc;
        }
        char msg_id[37];
        snprintf(msg_id, sizeof msg_id, "%s", jstr(row, "id"));
        json_decref(row);
        row = NULL;
        db_param o[] = {DBP_STR(msg_id),          DBP_STR(r->org_id), DBP_STR(a->request_id), DBP_INT(i),
                        DBP_STR(msg_id),
                        DBP_STR(a->sender->id[0] ? a->sender->id : NULL)};
        rc = db_exec(db,
                     "INSERT INTO sms_outbox (message_id, org_id, request_id, seq, upstream_key, sms_number_id) "
                     "VALUES (?, ?, ?, ?, CONCAT('vs-', ?), ?)",
                     o, DB_NPARAMS(o), NULL);
        if (rc != DB_OK)
            return rc;
    }
    return org_data_version_bump(db, r->org_id);
}

/* ---- outcomes ---- */

struct sent_arg {
    const char *org_id, *message_id, *external_id, *status, *journal_id, *resolved_by;
};

/* The message left: take MightyCall's id, absorbing a copy the sync stored. */
static int sent_tx(db_conn *db, void *arg)
{
    struct sent_arg *a = arg;
    const char *ext = a->external_id && *a->external_id ? a->external_id : NULL;
    const char *status = a->status && strcmp(a->status, "delivered") == 0 ? "delivered" : "sent";
    const char *journal_id = a->journal_id;
    json_t *dup = NULL;
    int rc;
    if (ext) {
        db_param d[] = {DBP_STR(a->org_id), DBP_STR(ext), DBP_STR(a->message_id)};
        rc = db_query_row(db,
                          "SELECT s.id, s.status, s.journal_id, "
                          "EXISTS (SELECT 1 FROM sms_outbox x WHERE x.message_id = s.id) AS ours "
                          "FROM sms_messages s WHERE s.org_id = ? AND s.external_id = ? AND s.id <> ? FOR UPDATE",
                          d, 3, &dup);
        if (rc != DB_OK)
            return rc;
        if (dup && json_integer_value(json_object_get(dup, "ours")) == 0) {
            if (strcmp(jstr(dup, "status"), "delivered") == 0)
                status = "delivered";
            if (!journal_id || !*journal_id)
                journal_id = json_string_value(json_object_get(dup, "journal_id"));
            db_param x[] = {DBP_STR(jstr(dup, "id"))};
            rc = db_exec(db, "DELETE FROM sms_messages WHERE id = ?", x, 1, NULL);
            if (rc != DB_OK) {
                json_decref(dup);
                return rc;
            }
        } else if (dup) {
            log_warn("sms: MightyCall id of message %s already belongs to another sent message", a->message_id);
            ext = NULL;
        }
    }
    db_param u[] = {DBP_STR(status), DBP_STR(ext), DBP_STR(journal_id), DBP_STR(a->message_id)};
    rc = db_exec(db,
                 "UPDATE sms_messages SET status = ?, external_id = COALESCE(?, external_id), "
                 "journal_id = COALESCE(journal_id, ?), failure_reason = NULL WHERE id = ?",
                 u, 4, NULL);
    json_decref(dup);
    if (rc != DB_OK)
        return rc;
    db_param o[] = {DBP_STR(a->resolved_by), DBP_STR(a->message_id)};
    if ((rc = org_data_version_bump(db, a->org_id)) != DB_OK)
        return rc;
    return db_exec(db,
                   "UPDATE sms_outbox SET state = 'done', resolved_by = ?, last_error = NULL WHERE message_id = ?", o,
                   2, NULL);
}

static int mark_sent(db_conn *db, const char *org_id, const char *message_id, const char *external_id,
                     const char *status, const char *journal_id, const char *resolved_by)
{
    struct sent_arg a = {org_id, message_id, external_id, status, journal_id, resolved_by};
    return db_transaction(db, sent_tx, &a);
}

struct failed_arg {
    const char *message_id, *reason;
};

static int failed_tx(db_conn *db, void *arg)
{
    struct failed_arg *a = arg;
    db_param m[] = {DBP_STR(a->reason), DBP_STR(a->message_id)};
    int rc = db_exec(db, "UPDATE sms_messages SET status = 'failed', failure_reason = ? WHERE id = ?", m, 2, NULL);
    if (rc != DB_OK || (rc = org_data_version_bump_of_sms(db, a->message_id)) != DB_OK)
        return rc;
    return db_exec(db,
                   "UPDATE sms_outbox SET state = 'done', resolved_by = 'send', last_error = ? WHERE message_id = ?",
                   m, 2, NULL);
}

static int mark_failed(db_conn *db, const char *message_id, const char *reason)
{
    struct failed_arg a = {message_id, reason};
    return db_transaction(db, failed_tx, &a);
}

static int mark_unknown(db_conn *db, const char *message_id, const char *reason)
{
    db_param p[] = {DBP_STR(reason), DBP_STR(message_id)};
    return db_exec(db, "UPDATE sms_outbox SET state = 'unknown', last_error = ? WHERE message_id = ?", p, 2, NULL);
}

/* ---- reconciliation with the journal ---- */

int sms_reconcile_org(db_conn *db, const char *org_id, int *resolved)
{
    *resolved = 0;
    json_t *rows = NULL;
    db_param p[] = {DBP_STR(org_id), DBP_INT(SMS_SENDING_LEASE_S)};
    int rc = db_query(db,
                      "SELECT o.message_id, m.business_number, m.contact_number, m.body, "
                      "DATE_FORMAT(m.created_at, '%Y-%m-%d %H:%i:%s.%f') AS created FROM sms_outbox o "
                      "JOIN sms_messages m ON m.id = o.message_id WHERE o.org_id = ? AND (o.state = 'unknown' OR "
                      "(o.state = 'sending' AND o.last_attempt_at < NOW(3) - INTERVAL ? SECOND)) "
                      "ORDER BY o.created_at LIMIT 200",
                      p, 2, &rows);
    if (rc != DB_OK)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        json_t *cand = NULL;
        db_param q[] = {DBP_STR(org_id), DBP_STR(jstr(row, "business_number")), DBP_STR(jstr(row, "contact_number")),
                        DBP_STR(jstr(row, "body")), DBP_STR(jstr(row, "created"))};
        rc = db_query_row(db,
                          "SELECT s.external_id, s.status, s.journal_id FROM sms_messages s WHERE s.org_id = ? "
                          "AND s.business_number = ? AND s.contact_number = ? AND s.direction = 'outbound' "
                          "AND s.external_id IS NOT NULL AND s.body COLLATE utf8mb4_bin = ? "
                          "AND s.sent_at >= CAST(? AS DATETIME(3)) - INTERVAL 5 MINUTE "
                          "AND NOT EXISTS (SELECT 1 FROM sms_outbox x WHERE x.message_id = s.id) "
                          "ORDER BY s.sent_at, s.id LIMIT 1",
                          q, DB_NPARAMS(q), &cand);
        if (rc != DB_OK)
            break;
        if (!cand)
            continue;
        char ext[80];
        snprintf(ext, sizeof ext, "%s", jstr(cand, "external_id"));
        rc = mark_sent(db, org_id, jstr(row, "message_id"), ext, jstr(cand, "status"),
                       json_string_value(json_object_get(cand, "journal_id")), "journal");
        json_decref(cand);
        if (rc != DB_OK)
            break;
        (*resolved)++;
    }
    json_decref(rows);
    if (*resolved)
        log_info("sms: %d message(s) of unknown outcome found in the MightyCall journal", *resolved);
    if (rc != DB_OK)
        return rc;
    /* not in the journal long after the last attempt: given up as failed */
    json_t *old = NULL;
    db_param t[] = {DBP_STR(org_id), DBP_INT(SMS_UNKNOWN_TIMEOUT_S)};
    rc = db_query(db,
                  "SELECT message_id FROM sms_outbox WHERE org_id = ? AND state IN ('unknown', 'sending') "
                  "AND last_attempt_at < NOW(3) - INTERVAL ? SECOND ORDER BY created_at LIMIT 200",
                  t, 2, &old);
    json_array_foreach(old, i, row)
    {
        if (rc != DB_OK)
            break;
        rc = mark_failed(db, jstr(row, "message_id"),
                         "no answer from MightyCall, and the message is not in its journal 24 hours later");
    }
    json_decref(old);
    return rc;
}

/* ---- sending ---- */

typedef struct {
    db_conn *db;
    const vs_config *cfg;
    const char *org_id;
    const mc_integration *it;
    sms_sender sender; /* the last resolved sender (by phone) */
    bool have_sender;
    sms_send_result *res;
} deliver_ctx;

/* The client for messages from phone: DB_OK with *client (NULL when it
 * cannot be created), SMS_NUMBER_SEAL_FAILED, or a DB_ code. */
static int sender_client(deliver_ctx *d, const char *phone, mc_client **client)
{
    *client = NULL;
    if (!d->have_sender || strcmp(d->sender.phone, phone) != 0) {
        sms_sender_wipe(&d->sender);
        bool found = false;
        int rc = sms_sender_resolve(d->db, d->cfg, d->org_id, phone, &d->sender, &found);
        if (rc != DB_OK) {
            d->have_sender = false;
            return rc;
        }
        d->have_sender = true;
        snprintf(d->sender.phone, sizeof d->sender.phone, "%s", phone);
    }
    if (d->sender.has_key) {
        mc_credentials cr = d->it->creds;
        snprintf(cr.user_key, sizeof cr.user_key, "%s", d->sender.key);
        *client = client_for(d->cfg, d->db, NULL, &cr);
        sodium_memzero(&cr, sizeof cr);
    } else {
        *client = client_for(d->cfg, d->db, d->it->id, &d->it->creds);
    }
    return DB_OK;
}

static int deliver(deliver_ctx *d, const char *request_id)
{
    json_t *rows = NULL;
    /* only messages never handed to MightyCall: one that may have reached it
     * (unknown, or 'sending' by a runner that vanished) is never sent again —
     * MightyCall knows no Idempotency-Key; the journal settles it */
    db_param p[] = {DBP_STR(request_id)};
    int rc = db_query(d->db,
                      "SELECT o.message_id, o.upstream_key, o.state, m.business_number, m.contact_number, m.body "
                      "FROM sms_outbox o JOIN sms_messages m ON m.id = o.message_id WHERE o.request_id = ? AND "
                      "o.state = 'pending' ORDER BY o.seq",
                      p, 1, &rows);
    if (rc != DB_OK)
        return rc;
    long long started = now_ms();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (now_ms() - started > SMS_SEND_BUDGET_MS)
            break; /* the rest stays pending: a retry with the same key continues */
        const char *msg_id = jstr(row, "message_id"), *state = jstr(row, "state");
        unsigned long long claimed = 0;
        db_param c[] = {DBP_STR(msg_id), DBP_STR(state), DBP_INT(SMS_SENDING_LEASE_S)};
        rc = db_exec(d->db,
                     "UPDATE sms_outbox SET state = 'sending', attempts = attempts + 1, last_attempt_at = NOW(3) "
                     "WHERE message_id = ? AND state = ? AND (state <> 'sending' OR "
                     "last_attempt_at < NOW(3) - INTERVAL ? SECOND)",
                     c, 3, &claimed);
        if (rc != DB_OK)
            break;
        if (!claimed)
            continue; /* another request is on it */
        const char *from = jstr(row, "business_number");
        mc_client *client = NULL;
        rc = sender_client(d, from, &client);
        if (rc < 0) {
            /* nothing was sent: give the message back for the next attempt */
            db_param b[] = {DBP_STR(state), DBP_STR(msg_id)};
            db_exec(d->db, "UPDATE sms_outbox SET state = ? WHERE message_id = ?", b, 2, NULL);
            break;
        }
        if (!client) {
            rc = mark_failed(d->db, msg_id,
                             rc == SMS_NUMBER_SEAL_FAILED ? "the MightyCall key of the sending number cannot be decrypted"
                                                          : "the MightyCall client could not be created");
            if (rc != DB_OK)
                break;
            continue;
        }
        mc_sent sent;
        mc_error err;
        memset(&err, 0, sizeof err);
        mc_send_outcome out = mc_message_send(client, d->it->creds.base_url, from, jstr(row, "contact_number"),
                                              jstr(row, "body"), jstr(row, "upstream_key"), &sent, &err);
        switch (out) {
        case MC_SEND_SENT:
            rc = mark_sent(d->db, d->org_id, msg_id, sent.id, "sent", NULL,
                           strcmp(state, "pending") == 0 ? "send" : "retry");
            break;
        case MC_SEND_FAILED:
            if (err.status == MC_ERR_QUOTA) {
                d->res->quota = true;
                long wait = (long)(err.retry_at - time(NULL));
                if (wait > d->res->retry_after)
                    d->res->retry_after = (int)(wait > 86400 ? 86400 : wait < 1 ? 1 : wait);
            }
            /* MightyCall's text can echo the recipient: it goes to the row, not the log */
            log_info("sms: message %s refused (MightyCall HTTP %d)", msg_id, err.http_status);
            rc = mark_failed(d->db, msg_id, err.message[0] ? err.message : "MightyCall did not send the message");
            break;
        case MC_SEND_UNKNOWN:
            log_warn("sms: message %s: outcome unknown (MightyCall HTTP %d); left queued for reconciliation", msg_id,
                     err.http_status);
            rc = mark_unknown(d->db, msg_id, err.message[0] ? err.message : "no answer from MightyCall");
            break;
        }
        if (rc != DB_OK)
            break;
    }
    json_decref(rows);
    return rc;
}

/* The request's messages and the counts. */
static int build_result(db_conn *db, const char *request_id, const char *key, sms_send_result *res)
{
    json_t *rows = NULL;
    db_param p[] = {DBP_STR(request_id)};
    int rc = db_query(db, SMS_MESSAGE_SELECT "WHERE o.request_id = ? ORDER BY o.seq", p, 1, &rows);
    if (rc != DB_OK)
        return rc;
    res->sent = res->failed = res->queued = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *st = jstr(row, "status");
        if (strcmp(st, "failed") == 0)
            res->failed++;
        else if (strcmp(st, "queued") == 0)
            res->queued++;
        else
            res->sent++;
    }
    int n = (int)json_array_size(rows);
    const char *status = res->queued ? (res->sent || res->failed ? "partial" : "queued")
                         : res->failed == n ? "failed"
                         : res->sent == n   ? "sent"
                                            : "partial";
    res->body = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o}", "request_id", request_id, "idempotency_key", key,
                          "status", status, "sent", res->sent, "failed", res->failed, "queued", res->queued,
                          "messages", rows);
    return res->body ? DB_OK : DB_ERROR;
}

static int replay(deliver_ctx *d, const char *request_id, const char *key)
{
    int resolved = 0;
    int rc = sms_reconcile_org(d->db, d->org_id, &resolved);
    if (rc == DB_OK)
        rc = deliver(d, request_id);
    if (rc == DB_OK)
        rc = build_result(d->db, request_id, key, d->res);
    d->res->replayed = true;
    return rc;
}

enum { REQ_NONE = 0, REQ_SAME = 1, REQ_OTHER = 2 };

/* An earlier request of the org with this key: REQ_SAME (request_id filled),
 * REQ_OTHER (another body), REQ_NONE, or a negative DB_ code. */
static int find_request(db_conn *db, const char *org_id, const char *key, const char *hash, char request_id[37])
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(org_id), DBP_STR(key)};
    int rc = db_query_row(db, "SELECT id, request_hash FROM sms_send_requests WHERE org_id = ? AND idempotency_key = ?",
                          p, 2, &row);
    if (rc != DB_OK)
        return rc;
    if (!row)
        return REQ_NONE;
    rc = strcmp(jstr(row, "request_hash"), hash) == 0 ? REQ_SAME : REQ_OTHER;
    snprintf(request_id, 37, "%s", jstr(row, "id"));
    json_decref(row);
    return rc;
}

int sms_send(db_conn *db, const vs_config *cfg, const sms_send_req *r, sms_send_result *res)
{
    memset(res, 0, sizeof *res);
    mc_integration it;
    int rc = integration_for_org(db, cfg, r->org_id, &it);
    if (rc < 0)
        return rc;
    if (rc == INTEGRATION_NOT_FOUND || (rc == INTEGRATION_OK && strcmp(it.status, "disabled") == 0)) {
        integration_wipe(&it);
        return SMS_SEND_NO_INTEGRATION;
    }
    if (rc != INTEGRATION_OK) {
        integration_wipe(&it);
        return SMS_SEND_SECRET_ERROR;
    }
    deliver_ctx d = {.db = db, .cfg = cfg, .org_id = r->org_id, .it = &it, .res = res};
    char hash[65], request_id[37] = "", key[SMS_IDEMPOTENCY_KEY_MAX + 8];
    request_hash(r, hash);
    if (r->idempotency_key) {
        snprintf(key, sizeof key, "%s", r->idempotency_key);
    } else {
        char tok[32];
        random_token_b64url(tok, 16);
        snprintf(key, sizeof key, "auto_%s", tok);
    }
    if (r->idempotency_key) {
        rc = find_request(db, r->org_id, key, hash, request_id);
        if (rc == REQ_SAME) {
            rc = replay(&d, request_id, key);
            goto out;
        }
        if (rc != REQ_NONE) {
            rc = rc == REQ_OTHER ? SMS_SEND_KEY_CONFLICT : rc;
            goto out;
        }
    }
    sms_sender sender;
    bool found = false;
    rc = sms_sender_resolve(db, cfg, r->org_id, r->from, &sender, &found);
    if (rc == SMS_NUMBER_SEAL_FAILED) {
        rc = SMS_SEND_SECRET_ERROR;
        goto out_sender;
    }
    if (rc != DB_OK)
        goto out;
    if (!found) {
        rc = SMS_SEND_NO_SENDER;
        goto out_sender;
    }
    /* contacts that texted STOP to this number are never texted from it (until START) */
    json_t *to = json_array(), *stopped = NULL;
    for (int i = 0; i < r->nto; i++)
        json_array_append_new(to, json_string(r->to[i]));
    rc = sms_opted_out(db, r->org_id, sender.phone, to, &stopped);
    json_decref(to);
    if (rc != DB_OK)
        goto out_sender;
    if (json_array_size(stopped) > 0) {
        res->opted_out = json_pack("{s:s, s:s, s:s, s:o}", "field", "to", "reason", "opted_out", "from", sender.phone,
                                   "numbers", stopped);
        rc = SMS_SEND_OPTED_OUT;
        goto out_sender;
    }
    json_decref(stopped);
    int wait = 0;
    rc = rate_reserve(db, r->org_id, r->nto, &wait);
    if (rc < 0)
        goto out_sender;
    if (rc == 0) {
        res->retry_after = wait;
        rc = SMS_SEND_RATE_LIMITED;
        goto out_sender;
    }
    struct store_arg sa = {.r = r, .integration_id = it.id, .sender = &sender, .key = key,
                           .client_key = r->idempotency_key != NULL, .hash = hash};
    rc = db_transaction(db, store_tx, &sa);
    if (rc == DB_DUPLICATE && r->idempotency_key) {
        /* the same key arrived twice at once: the other request owns it */
        rc = find_request(db, r->org_id, key, hash, request_id);
        if (rc == REQ_SAME)
            rc = replay(&d, request_id, key);
        else if (rc == REQ_OTHER)
            rc = SMS_SEND_KEY_CONFLICT;
        else if (rc == REQ_NONE)
            rc = DB_ERROR;
        goto out_sender;
    }
    if (rc != DB_OK)
        goto out_sender;
    snprintf(request_id, sizeof request_id, "%s", sa.request_id);
    rc = deliver(&d, request_id);
    if (rc == DB_OK)
        rc = build_result(db, request_id, key, res);
    if (rc == DB_OK) {
        char desc[300];
        snprintf(desc, sizeof desc, "SMS from %s to %d recipient%s: %d sent, %d failed, %d queued", sender.phone,
                 r->nto, r->nto == 1 ? "" : "s", res->sent, res->failed, res->queued);
        if (activity_record(db, r->org_id, r->actor_user_id, "sms", desc) != DB_OK)
            log_warn("sms: activity not recorded for request %s", request_id);
        live_publish(r->org_id, LIVE_SMS, NULL);
    }
out_sender:
    sms_sender_wipe(&sender);
out:
    sms_sender_wipe(&d.sender);
    integration_wipe(&it);
    if (rc != DB_OK && res->body) {
        json_decref(res->body);
        res->body = NULL;
    }
    return rc;
}

bool sms_idempotency_key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > SMS_IDEMPOTENCY_KEY_MAX)
        return false;
    for (const char *p = k; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return false;
    return true;
}
