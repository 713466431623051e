/* live.c — owns the live feed cursor and queries; see live.h. */
#include "messaging/live.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/page.h"
#include "platform/text.h"
#include "mightycall/mc_parse.h"
#include "messaging/sms_threads.h"

#define MAX_ID "ffffffff-ffff-ffff-ffff-ffffffffffff"

typedef struct {
    long long ms;
    char id[37];
} keyset;

static bool parse_ms(const char *s, size_t n, long long *out)
{
    if (n == 0 || n > 15)
        return false;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool parse_id(const char *s, size_t n, char out[37])
{
    if (n != 36)
        return false;
    memcpy(out, s, 36);
    out[36] = 0;
    return is_uuid(out);
}

static bool parse_cursor(const char *c, keyset *calls, keyset *msgs)
{
    if (!c || strlen(c) > LIVE_CURSOR_MAX || strncmp(c, "v1.", 3) != 0)
        return false;
    const char *p = c + 3;
    const char *part[4];
    size_t len[4];
    for (int i = 0; i < 4; i++) {
        part[i] = p;
        const char *dot = strchr(p, '.');
        len[i] = dot ? (size_t)(dot - p) : strlen(p);
        if ((i < 3 && !dot) || (i == 3 && dot))
            return false;
        p = dot ? dot + 1 : p + len[i];
    }
    return parse_ms(part[0], len[0], &calls->ms) && parse_id(part[1], len[1], calls->id) &&
           parse_ms(part[2], len[2], &msgs->ms) && parse_id(part[3], len[3], msgs->id);
}

/* Rows of one table after k up to the bound; moves k. */
static int page(db_conn *db, const char *sql, const char *org_id, keyset *k, const char *bound, long long bound_ms,
                json_t **rows, bool *more)
{
    char after[MC_TIME_LEN];
    mc_sql_from_ms(k->ms, after);
    db_param p[] = {DBP_STR(org_id), DBP_STR(after), DBP_STR(after), DBP_STR(k->id), DBP_STR(bound),
                    DBP_INT(LIVE_MAX_ITEMS + 1)};
    int rc = db_query(db, sql, p, DB_NPARAMS(p), rows);
    if (rc != DB_OK)
        return rc;
    size_t n = json_array_size(*rows);
    if (n > LIVE_MAX_ITEMS) {
        json_array_remove(*rows, LIVE_MAX_ITEMS);
        *more = true;
        json_t *last = json_array_get(*rows, LIVE_MAX_ITEMS - 1);
        k->ms = mc_time_ms(json_string_value(json_object_get(last, "_at")));
        snprintf(k->id, sizeof k->id, "%s", json_string_value(json_object_get(last, "id")));
    } else {
        k->ms = bound_ms;
        snprintf(k->id, sizeof k->id, "%s", MAX_ID);
    }
    size_t i;
    json_t *row;
    json_array_foreach(*rows, i, row) json_object_del(row, "_at");
    return DB_OK;
}

static const char CALLS_SQL[] =
    "SELECT c.id, c.external_id, c.direction, c.status, c.business_number, c.caller_number, c.caller_name, "
    "c.called_number, c.extension, c.agent_user_id, c.agent_name, c.phone_number_id, c.started_at, c.ended_at, "
    "c.duration_seconds, c.source, c.created_at, c.updated_at, "
    "DATE_FORMAT(c.updated_at, '%Y-%m-%d %H:%i:%s.%f') AS _at FROM calls c "
    "WHERE c.org_id = ? AND (c.updated_at > ? OR (c.updated_at = ? AND c.id > ?)) "
    "AND c.updated_at <= ? ORDER BY c.updated_at, c.id LIMIT ?";

static const char MSGS_SQL[] =
    SMS_MESSAGE_COLS ", DATE_FORMAT(m.updated_at, '%Y-%m-%d %H:%i:%s.%f') AS _at " SMS_MESSAGE_FROM
    "WHERE m.org_id = ? AND (m.updated_at > ? OR (m.updated_at = ? AND m.id > ?)) "
    "AND m.updated_at <= ? ORDER BY m.updated_at, m.id LIMIT ?";

int live_changes(db_conn *db, const char *org_id, const char *cursor, json_t **out, bool *bad_cursor)
{
    *out = NULL;
    *bad_cursor = false;
    keyset kc = {0}, km = {0};
    if (cursor && !parse_cursor(cursor, &kc, &km)) {
        *bad_cursor = true;
        return DB_OK;
    }
    json_t *b = NULL;
    db_param s[] = {DBP_INT(LIVE_SETTLE_MS * 1000)};
    int rc = db_query_row(db, "SELECT DATE_FORMAT(NOW(3) - INTERVAL ? MICROSECOND, '%Y-%m-%d %H:%i:%s.%f') AS b", s,
                          1, &b);
    if (rc != DB_OK || !b) {
        json_decref(b);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    char bound[MC_TIME_LEN + 8];
    snprintf(bound, sizeof bound, "%.23s", json_string_value(json_object_get(b, "b")));
    json_decref(b);
    long long bound_ms = mc_time_ms(bound);
    json_t *calls = NULL, *msgs = NULL;
    bool more = false;
    if (!cursor) {
        kc.ms = km.ms = bound_ms;
        snprintf(kc.id, sizeof kc.id, "%s", MAX_ID);
        snprintf(km.id, sizeof km.id, "%s", MAX_ID);
        calls = json_array();
        msgs = json_array();
    } else {
        sms_threads_attach(db, org_id); /* best effort: synced messages get their thread */
        rc = page(db, CALLS_SQL, org_id, &kc, bound, bound_ms, &calls, &more);
        if (rc == DB_OK)
            rc = page(db, MSGS_SQL, org_id, &km, bound, bound_ms, &msgs, &more);
        if (rc != DB_OK) {
            json_decref(calls);
            json_decref(msgs);
            return rc;
        }
    }
    char next[LIVE_CURSOR_MAX + 1];
    snprintf(next, sizeof next, "v1.%lld.%s.%lld.%s", kc.ms, kc.id, km.ms, km.id);
    *out = json_pack("{s:s, s:o, s:o, s:b, s:i}", "cursor", next, "calls", calls, "messages", msgs, "has_more", more,
                     "settle_ms", LIVE_SETTLE_MS);
    return *out ? DB_OK : DB_ERROR;
}
