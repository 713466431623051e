/* webhooks.c — owns call_events and the way MightyCall webhook events change
 * calls and SMS; see webhooks.h. The integration's secrets and the event's
 * ApiKey are never logged or stored. */
#include "messaging/webhooks.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "data/data_version.h"
#include "platform/page.h"
#include "platform/text.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_store.h"
#include "platform/secretbox.h"
#include "messaging/sms_threads.h"
#include "platform/activity.h"
#include "platform/live_pub.h"

/* ---- event classification and the fold (pure) ---- */

static bool prefix_ci(const char *s, const char *p) { return s && strncasecmp(s, p, strlen(p)) == 0; }
static bool suffix_ci(const char *s, const char *x)
{
    size_t n = s ? strlen(s) : 0, m = strlen(x);
    return n >= m && strcasecmp(s + n - m, x) == 0;
}

bool webhook_is_call_event(const char *type)
{
    return prefix_ci(type, "IncomingCall") || prefix_ci(type, "OutgoingCall") || prefix_ci(type, "CallbackCall");
}

bool webhook_is_message_event(const char *type)
{
    return type && !webhook_is_call_event(type) && strcasestr(type, "Message") != NULL;
}

static const char *event_direction(const char *type)
{
    /* a callback call is asked for by the client (web form) to a business number */
    if (prefix_ci(type, "Incoming") || prefix_ci(type, "CallbackCall"))
        return "inbound";
    if (prefix_ci(type, "Outgoing"))
        return "outbound";
    return NULL;
}

void webhook_fold_call(const webhook_call_event *ev, int n, webhook_call_state *out)
{
    memset(out, 0, sizeof *out);
    long long first_dir_at = 0, parties_at = 0, connected_at = 0, ext_at = 0;
    bool connected = false, completed = false, ext_from_connect = false;
    for (int i = 0; i < n; i++) {
        const webhook_call_event *e = &ev[i];
        if (!out->started_ms || e->at_ms < out->started_ms)
            out->started_ms = e->at_ms;
        const char *dir = event_direction(e->type);
        if (dir && (!out->direction || e->at_ms < first_dir_at)) {
            out->direction = dir;
            first_dir_at = e->at_ms;
        }
        bool is_connect = suffix_ci(e->type, "Connected");
        if (is_connect && (!connected || e->at_ms < connected_at)) {
            connected = true;
            connected_at = e->at_ms;
        }
        /* a *Completed event that names an Extension ends only that agent's
         * leg (consultation, transfer); without one the whole call ended */
        if (suffix_ci(e->type, "Completed") && !e->extension[0]) {
            completed = true;
            if (e->at_ms > out->ended_ms)
                out->ended_ms = e->at_ms;
        }
        /* parties: the earliest event that names both */
        if (e->from[0] && e->to[0] && (!parties_at || e->at_ms < parties_at)) {
            parties_at = e->at_ms;
            snprintf(out->caller, sizeof out->caller, "%s", e->from);
            snprintf(out->called, sizeof out->called, "%s", e->to);
        }
        /* extension: the one that connected, else the latest named */
        if (e->extension[0] && (is_connect ? (!ext_from_connect || e->at_ms < ext_at)
                                           : (!ext_from_connect && e->at_ms >= ext_at))) {
            snprintf(out->extension, sizeof out->extension, "%s", e->extension);
            ext_at = e->at_ms;
            ext_from_connect = is_connect;
        }
    }
    bool inbound = !out->direction || strcmp(out->direction, "inbound") == 0;
    snprintf(out->business, sizeof out->business, "%s", inbound ? out->called : out->caller);
    if (completed) {
        out->status = connected ? "connected" : inbound ? "missed" : "no_answer";
        if (out->ended_ms < out->started_ms)
            out->ended_ms = out->started_ms;
        out->duration_s = (long)((out->ended_ms - out->started_ms + 500) / 1000);
    } else {
        out->status = connected ? "in_progress" : "ringing";
        out->ended_ms = 0;
    }
}

/* ---- parsing ---- */

typedef struct {
    json_t *root;          /* the parsed event (owned) */
    const char *type;
    char at[MC_TIME_LEN];  /* Timestamp as SQL UTC */
    long long at_ms;
    char guid[65];
    char dedup[80];
    char body_id[65];
    char from[MC_PHONE_LEN], to[MC_PHONE_LEN];
    char extension[17];
    const char *text;      /* message events */
    char *payload;         /* stored JSON (no ApiKey), malloc'd */
} parsed_event;

static void parsed_free(parsed_event *e)
{
    json_decref(e->root);
    free(e->payload);
    memset(e, 0, sizeof *e);
}

/* A JSON string or integer as text of at most max bytes; false when absent. */
static bool scalar_text(json_t *v, char *out, size_t outsz, size_t max, bool *bad)
{
    out[0] = 0;
    if (!v || json_is_null(v))
        return false;
    if (json_is_integer(v)) {
        snprintf(out, outsz, "%lld", (long long)json_integer_value(v));
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || strlen(s) > max || strlen(s) != json_string_length(v) || utf8_chars(s) < 0) {
        *bad = true;
        return false;
    }
    snprintf(out, outsz, "%s", s);
    return true;
}

static bool event_type_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return false;
    for (const char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return false;
    return true;
}

static int bad(webhook_result *r, const char *field, const char *reason)
{
    r->field = field;
    r->reason = reason;
    return WEBHOOK_BAD_REQUEST;
}

/* Everything but authentication. */
static int parse_event(const char *body, size_t len, parsed_event *e, webhook_result *r)
{
    json_error_t jerr;
    e->root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(e->root))
        return bad(r, "body", "must be a JSON object");
    e->type = json_string_value(json_object_get(e->root, "EventType"));
    if (!event_type_ok(e->type))
        return bad(r, "EventType", "must be 1 to 64 letters, digits, '_', '-' or '.'");
    const char *ts = json_string_value(json_object_get(e->root, "Timestamp"));
    if (!ts || strlen(ts) > 40 || mc_parse_time(ts, e->at) != 0)
        return bad(r, "Timestamp", "must be an ISO 8601 date-time");
    e->at_ms = mc_time_ms(e->at);
    bool badv = false;
    scalar_text(json_object_get(e->root, "Guid"), e->guid, sizeof e->guid, 64, &badv);
    if (badv)
        return bad(r, "Guid", "must be a string of at most 64 characters");
    json_t *b = json_object_get(e->root, "Body");
    if (b && !json_is_null(b) && !json_is_object(b))
        return bad(r, "Body", "must be an object");
    char raw[65];
    scalar_text(json_object_get(b, "Id"), e->body_id, sizeof e->body_id, 64, &badv);
    if (badv)
        return bad(r, "Body.Id", "must be a string of at most 64 characters");
    if (scalar_text(json_object_get(b, "From"), raw, sizeof raw, 64, &badv))
        phone_canonical(raw, e->from, MC_PHONE_LEN);
    if (badv)
        return bad(r, "Body.From", "must be a string of at most 64 characters");
    if (scalar_text(json_object_get(b, "To"), raw, sizeof raw, 64, &badv))
        phone_canonical(raw, e->to, MC_PHONE_LEN);
    if (badv)
        return bad(r, "Body.To", "must be a string of at most 64 characters");
    scalar_text(json_object_get(b, "Extension"), e->extension, sizeof e->extension, 16, &badv);
    if (badv)
        return bad(r, "Body.Extension", "must be a string of at most 16 characters");
    static const char *const text_keys[] = {"Text", "Message", "Body", "text", "message", NULL};
    for (int i = 0; text_keys[i] && !e->text; i++) {
        const char *t = json_string_value(json_object_get(b, text_keys[i]));
        if (t && strlen(t) == json_string_length(json_object_get(b, text_keys[i])))
            e->text = t;
    }
    /* stored payload: the event minus its ApiKey */
    json_t *copy = json_deep_copy(e->root);
    json_object_del(copy, "ApiKey");
    e->payload = json_dumps(copy, JSON_COMPACT);
    json_decref(copy);
    if (!e->payload)
        return bad(r, "body", "cannot be stored");
    if (e->guid[0]) {
        snprintf(e->dedup, sizeof e->dedup, "%s", e->guid);
    } else {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[65];
        crypto_hash_sha256(h, (const unsigned char *)e->payload, strlen(e->payload));
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        snprintf(e->dedup, sizeof e->dedup, "sha256:%s", hex);
    }
    return WEBHOOK_OK;
}

int webhook_parse_check(const char *body, size_t body_len, webhook_result *out)
{
    parsed_event e;
    memset(&e, 0, sizeof e);
    memset(out, 0, sizeof *out);
    int rc = parse_event(body, body_len, &e, out);
    parsed_free(&e);
    return rc;
}

/* ---- storing and applying ---- */

struct apply_arg {
    const char *org_id, *integration_id;
    parsed_event *e;
    webhook_result *r;
    bool completed;          /* the call is completed after this event */
    char started[MC_TIME_LEN], ended[MC_TIME_LEN];
};

static int insert_event(db_conn *db, struct apply_arg *a)
{
    parsed_event *e = a->e;
    db_param p[] = {DBP_STR(a->org_id),
                    DBP_STR(a->integration_id),
                    DBP_STR(e->dedup),
                    DBP_STR(e->guid[0] ? e->guid : NULL),
                    DBP_STR(e->type),
                    DBP_STR(e->body_id[0] ? e->body_id : NULL),
                    DBP_STR(e->from[0] ? e->from : NULL),
                    DBP_STR(e->to[0] ? e->to : NULL),
                    DBP_STR(e->extension[0] ? e->extension : NULL),
                    DBP_STR(e->at),
                    DBP_STR(e->payload)};
    /* no RETURNING here: a duplicate key is the expected answer to a repeat,
     * and a prepared INSERT … RETURNING that fails leaves Connector/C waiting
     * for a result set that never comes */
    int rc = db_exec(db,
                     "INSERT INTO call_events (org_id, integration_id, dedup_key, event_guid, event_type, "
                     "call_external_id, from_number, to_number, extension, occurred_at, payload) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     p, DB_NPARAMS(p), NULL);
    if (rc != DB_OK)
        return rc;
    json_t *row = NULL;
    db_param q[] = {DBP_STR(a->org_id), DBP_STR(e->dedup)};
    rc = db_query_row(db, "SELECT id FROM call_events WHERE org_id = ? AND dedup_key = ?", q, 2, &row);
    if (rc == DB_OK && row)
        snprintf(a->r->event_id, sizeof a->r->event_id, "%s", json_string_value(json_object_get(row, "id")));
    json_decref(row);
    return rc;
}

#define CALL_EVENTS_MAX 200 /* events folded per call */

static int apply_call(db_conn *db, struct apply_arg *a)
{
    json_t *rows = NULL;
    db_param p[] = {DBP_STR(a->org_id), DBP_STR(a->e->body_id), DBP_INT(CALL_EVENTS_MAX)};
    int rc = db_query(db,
                      "SELECT event_type, DATE_FORMAT(occurred_at, '%Y-%m-%d %H:%i:%s.%f') AS at, "
                      "COALESCE(from_number, '') AS from_number, COALESCE(to_number, '') AS to_number, "
                      "COALESCE(extension, '') AS extension FROM call_events "
                      "WHERE org_id = ? AND call_external_id = ? ORDER BY occurred_at, received_at LIMIT ?",
                      p, 3, &rows);
    if (rc != DB_OK)
        return rc;
    webhook_call_event ev[CALL_EVENTS_MAX];
    int n = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        const char *type = json_string_value(json_object_get(row, "event_type"));
        if (!webhook_is_call_event(type) || n >= CALL_EVENTS_MAX)
            continue;
        ev[n] = (webhook_call_event){.type = type,
                                     .at_ms = mc_time_ms(json_string_value(json_object_get(row, "at"))),
                                     .from = json_string_value(json_object_get(row, "from_number")),
                                     .to = json_string_value(json_object_get(row, "to_number")),
                                     .extension = json_string_value(json_object_get(row, "extension"))};
        n++;
    }
    webhook_call_state s;
    webhook_fold_call(ev, n, &s);
    json_decref(rows);
    if (!s.direction)
        return DB_OK; /* no event tells which way the call went: nothing to show yet */
    mc_sql_from_ms(s.started_ms, a->started);
    if (s.ended_ms)
        mc_sql_from_ms(s.ended_ms, a->ended);
    a->completed = s.ended_ms != 0;
    const char *bn = s.business[0] ? s.business : NULL;
    const char *ext = s.extension[0] ? s.extension : NULL;
    db_param v[] = {DBP_STR(a->org_id),
                    DBP_STR(a->integration_id),
                    DBP_STR(a->e->body_id),
                    DBP_STR(a->org_id),
                    DBP_STR(bn),
                    DBP_STR(bn),
                    DBP_STR(s.direction),
                    DBP_STR(s.status),
                    DBP_STR(s.caller[0] ? s.caller : NULL),
                    DBP_STR(s.called[0] ? s.called : NULL),
                    DBP_STR(ext),
                    DBP_STR(a->org_id),
                    DBP_STR(ext),
                    DBP_STR(a->started),
                    DBP_STR(s.ended_ms ? a->ended : NULL),
                    DBP_INT(s.duration_s)};
    rc = db_exec(db,
                 "INSERT INTO calls (org_id, integration_id, external_id, phone_number_id, business_number, "
                 "direction, status, caller_number, called_number, extension, agent_user_id, started_at, ended_at, "
                 "duration_seconds, source) VALUES (?, ?, ?, "
                 "(SELECT p.id FROM phone_numbers p WHERE p.org_id = ? AND p.number = ? "
                 "ORDER BY p.status = 'active' DESC, p.created_at LIMIT 1), ?, ?, ?, ?, ?, ?, "
                 "(SELECT e.user_id FROM extensions e WHERE e.org_id = ? AND e.extension = ? "
                 "AND e.user_id IS NOT NULL ORDER BY e.status = 'active' DESC LIMIT 1), ?, ?, ?, 'webhook') "
                 "ON DUPLICATE KEY UPDATE phone_number_id = COALESCE(phone_number_id, VALUES(phone_number_id)), "
                 "business_number = IF(source = 'webhook', VALUES(business_number), business_number), "
                 "direction = IF(source = 'webhook', VALUES(direction), direction), "
                 "status = IF(source = 'webhook', VALUES(status), status), "
                 "caller_number = IF(source = 'webhook', VALUES(caller_number), caller_number), "
                 "called_number = IF(source = 'webhook', VALUES(called_number), called_number), "
                 "extension = IF(source = 'webhook', COALESCE(VALUES(extension), extension), "
                 "COALESCE(extension, VALUES(extension))), "
                 "agent_user_id = COALESCE(agent_user_id, VALUES(agent_user_id)), "
                 "started_at = IF(source = 'webhook', VALUES(started_at), started_at), "
                 "ended_at = IF(source = 'webhook', VALUES(ended_at), ended_at), "
                 "duration_seconds = IF(source = 'webhook', VALUES(duration_seconds), duration_seconds)",
                 v, DB_NPARAMS(v), NULL);
    if (rc != DB_OK)
        return rc;
    json_t *c = NULL;
    db_param q[] = {DBP_STR(a->org_id), DBP_STR(a->e->body_id)};
    rc = db_query_row(db, "SELECT id FROM calls WHERE org_id = ? AND external_id = ?", q, 2, &c);
    if (rc == DB_OK && c)
        snprintf(a->r->call_id, sizeof a->r->call_id, "%s", json_string_value(json_object_get(c, "id")));
    json_decref(c);
    return rc;
}

static int apply_message(db_conn *db, struct apply_arg *a)
{
    parsed_event *e = a->e;
    bool inbound = !prefix_ci(e->type, "Outgoing");
    const char *business = inbound ? e->to : e->from, *contact = inbound ? e->from : e->to;
    if (!business[0] || !contact[0])
        return DB_OK;
    char thread_id[37];
    int rc = sms_thread_ensure(db, a->org_id, business, contact, e->at, thread_id);
    if (rc != DB_OK)
        return rc;
    db_param v[] = {DBP_STR(a->org_id),
                    DBP_STR(a->integration_id),
                    DBP_STR(e->body_id),
                    DBP_STR(business),
                    DBP_STR(contact),
                    DBP_STR(inbound ? "inbound" : "outbound"),
                    DBP_STR(e->text ? e->text : ""),
                    DBP_STR(inbound ? "received" : "sent"),
                    DBP_STR(e->extension[0] ? e->extension : NULL),
                    DBP_STR(e->at),
                    DBP_STR(thread_id)};
    rc = db_exec(db,
                 "INSERT INTO sms_messages (org_id, integration_id, external_id, business_number, contact_number, "
                 "direction, body, status, extension, sent_at, thread_id, source) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'webhook') "
                 "ON DUPLICATE KEY UPDATE body = IF(body = '', VALUES(body), body), "
                 "thread_id = COALESCE(thread_id, VALUES(thread_id))",
                 v, DB_NPARAMS(v), NULL);
    if (rc != DB_OK)
        return rc;
    json_t *m = NULL;
    db_param q[] = {DBP_STR(a->org_id), DBP_STR(e->body_id)};
    rc = db_query_row(db, "SELECT id FROM sms_messages WHERE org_id = ? AND external_id = ?", q, 2, &m);
    if (rc == DB_OK && m)
        snprintf(a->r->message_id, sizeof a->r->message_id, "%s", json_string_value(json_object_get(m, "id")));
    json_decref(m);
    return rc;
}

enum { APPLY_DUPLICATE = 1 };

static int apply_tx(db_conn *db, void *arg)
{
    struct apply_arg *a = arg;
    a->completed = false;
    a->r->call_id[0] = a->r->message_id[0] = a->r->event_id[0] = 0;
    int rc = insert_event(db, a);
    if (rc == DB_DUPLICATE)
        return APPLY_DUPLICATE;
    if (rc != DB_OK || !a->e->body_id[0] || (rc = org_data_version_bump(db, a->org_id)) != DB_OK)
        return rc;
    if (webhook_is_call_event(a->e->type))
        return apply_call(db, a);
    if (webhook_is_message_event(a->e->type))
        return apply_message(db, a);
    return DB_OK;
}

/* Named lock of a call (or of the org's reports): "vs_" + tag + 40 hex. */
static void lock_name(const char *tag, const char *a, const char *b, char out[64])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)a, strlen(a) + 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)b, strlen(b));
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(out, 64, "vs_%s_%.40s", tag, hex);
}

static bool named_lock(db_conn *db, const char *name, int timeout_s)
{
    long long got = 0;
    db_param p[] = {DBP_STR(name), DBP_INT(timeout_s)};
    return db_query_int(db, "SELECT GET_LOCK(?, ?)", p, 2, &got) == DB_OK && got == 1;
}

static void named_unlock(db_conn *db, const char *name)
{
    long long r = 0;
    db_param p[] = {DBP_STR(name)};
    db_query_int(db, "SELECT RELEASE_LOCK(?)", p, 1, &r);
}

/* The daily report of the call's day(s), after the call completed. Failures
 * only cost freshness: the sync recomputes reports too. */
static void refresh_reports(db_conn *db, const char *org_id, const char *from, const char *to)
{
    char name[64], tz[64];
    lock_name("rep", org_id, "", name);
    if (!named_lock(db, name, 5)) {
        log_warn("webhooks: reports of org %s busy; left to the next recomputation", org_id);
        return;
    }
    mc_org_timezone(db, org_id, tz);
    int rc = DB_ERROR;
    for (int attempt = 0; attempt < 3 && rc != DB_OK; attempt++) {
        if ((rc = db_begin(db)) != DB_OK)
            break;
        long rows = 0, created = 0;
        rc = mc_reports_recompute(db, org_id, tz, from, to, &rows, &created, NULL);
        if (rc == DB_OK)
            rc = db_commit(db);
        else
            db_rollback(db);
        if (rc != DB_DEADLOCK)
            break;
    }
    if (rc != DB_OK)
        log_warn("webhooks: daily report of org %s not refreshed (%s)", org_id, db_last_error(db));
    named_unlock(db, name);
}

int webhook_receive(db_conn *db, const vs_config *cfg, const char *integration_id, const char *secret,
                    const char *body, size_t body_len, webhook_result *out)
{
    memset(out, 0, sizeof *out);
    out->reason = "invalid webhook credentials";
    if (!secret || !*secret || strlen(secret) > WEBHOOK_SECRET_MAX || !is_uuid(integration_id)) {
        ct_equal_str("x", "y"); /* same work as a real comparison, roughly */
        return WEBHOOK_UNAUTHORIZED;
    }
    mc_integration it;
    int rc = integration_load(db, cfg, NULL, integration_id, &it);
    if (rc < 0)
        return rc;
    if (rc == INTEGRATION_DECRYPT_FAILED)
        log_error("webhooks: secrets of integration %s cannot be decrypted (master key changed?)", integration_id);
    bool ok = rc == INTEGRATION_OK && it.webhook_secret[0] && ct_equal_str(secret, it.webhook_secret);
    if (!ok) {
        integration_wipe(&it);
        log_info("webhooks: event for integration %s refused: bad URL secret", integration_id);
        return WEBHOOK_UNAUTHORIZED;
    }
    if (body_len > WEBHOOK_PAYLOAD_MAX) {
        integration_wipe(&it);
        return WEBHOOK_TOO_LARGE;
    }
    parsed_event e;
    memset(&e, 0, sizeof e);
    rc = parse_event(body, body_len, &e, out);
    if (rc == WEBHOOK_OK) {
        const char *api_key = json_string_value(json_object_get(e.root, "ApiKey"));
        if (!api_key || !ct_equal_str(api_key, it.creds.api_key)) {
            log_info("webhooks: event for integration %s refused: ApiKey does not match", integration_id);
            out->reason = "invalid webhook credentials";
            rc = WEBHOOK_UNAUTHORIZED;
        }
    }
    char org_id[40], integ[40], status[17];
    snprintf(org_id, sizeof org_id, "%s", it.org_id);
    snprintf(integ, sizeof integ, "%s", it.id);
    snprintf(status, sizeof status, "%s", it.status);
    integration_wipe(&it);
    if (rc != WEBHOOK_OK)
        goto out;
    long long skew = e.at_ms - (long long)time(NULL) * 1000;
    if (skew > WEBHOOK_WINDOW_S * 1000LL || skew < -WEBHOOK_WINDOW_S * 1000LL) {
        log_info("webhooks: event for integration %s refused: Timestamp %lld s from now", integration_id,
                 skew / 1000);
        out->reason = "Timestamp is outside the accepted window (replayed or delayed event)";
        rc = WEBHOOK_STALE;
        goto out;
    }
    if (strcmp(status, "disabled") == 0) {
        rc = WEBHOOK_DISABLED;
        goto out;
    }
    snprintf(out->event_type, sizeof out->event_type, "%s", e.type);
    struct apply_arg a = {.org_id = org_id, .integration_id = integ, .e = &e, .r = out};
    char lock[64] = "";
    if (e.body_id[0] && webhook_is_call_event(e.type)) {
        lock_name("call", org_id, e.body_id, lock);
        if (!named_lock(db, lock, 10)) {
            log_warn("webhooks: call lock not taken; applying without it");
            lock[0] = 0;
        }
    }
    for (int attempt = 0;; attempt++) {
        rc = db_transaction(db, apply_tx, &a);
        if (rc != DB_DEADLOCK || attempt >= 4)
            break;
        usleep((useconds_t)(20000 + randombytes_uniform(80000)));
    }
    if (lock[0])
        named_unlock(db, lock);
    if (rc == APPLY_DUPLICATE) {
        out->duplicate = true;
        json_t *row = NULL;
        db_param p[] = {DBP_STR(org_id), DBP_STR(e.dedup)};
        rc = db_query_row(db, "SELECT id FROM call_events WHERE org_id = ? AND dedup_key = ?", p, 2, &row);
        if (rc == DB_OK && row)
            snprintf(out->event_id, sizeof out->event_id, "%s", json_string_value(json_object_get(row, "id")));
        json_decref(row);
        goto out;
    }
    if (rc == DB_OK && a.completed) {
        refresh_reports(db, org_id, a.started, a.ended);
        if (activity_record_missed(db, org_id, NULL) != DB_OK) /* the feed: a missed call, once */
            log_warn("webhooks: missed calls of org %s not recorded in the activity feed", org_id);
    }
    if (rc == DB_OK && out->call_id[0]) /* after the report: the overview reads both */
        live_publish(org_id, LIVE_CALL, out->call_id);
    else if (rc == DB_OK && out->message_id[0])
        live_publish(org_id, LIVE_SMS, out->message_id);
out:
    parsed_free(&e);
    return rc;
}

int webhook_events_list(db_conn *db, const char *org_id, const char *event_type, const char *call_id, long long skip,
                        int limit, json_t **rows, long long *total)
{
    db_param p[] = {DBP_STR(org_id), DBP_STR(event_type), DBP_STR(event_type), DBP_STR(call_id), DBP_STR(call_id),
                    DBP_INT(limit),  DBP_INT(skip)};
#define EVENTS_WHERE                                                                                              \
    "WHERE org_id = ? AND (? IS NULL OR event_type = ?) AND (? IS NULL OR call_external_id = ?) "
    *rows = NULL;
    *total = 0;
    int rc = db_query_int(db, "SELECT COUNT(*) FROM call_events " EVENTS_WHERE, p, 5, total);
    if (rc == DB_OK)
        rc = db_query(db,
                      "SELECT id, integration_id, event_type, event_guid AS guid, call_external_id AS call_id, "
                      "from_number, to_number, extension, occurred_at, received_at, payload AS payload__json "
                      "FROM call_events " EVENTS_WHERE "ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?",
                      p, DB_NPARAMS(p), rows);
#undef EVENTS_WHERE
    return rc;
}
