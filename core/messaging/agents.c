/* agents.c — owns agent_status, agent_status_history and the online / idle
 * definitions; see agents.h. */
#include "messaging/agents.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "data/data_version.h"
#include "platform/activity.h"
#include "mightycall/integration.h"
#include "platform/log.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_status.h"
#include "platform/live_pub.h"

const char *const agent_statuses[] = {"available", "dnd", NULL};

/* Is member user `u_expr` of org `o_expr` on a call now? Two parameters:
 * the age limit and nothing else (the expressions are SQL column names). */
#define ON_CALL_SQL(o_expr, u_expr)                                                                               \
    "EXISTS (SELECT 1 FROM calls c WHERE c.org_id = " o_expr " AND c.status IN ('ringing', 'in_progress') "                     \
    "AND c.ended_at IS NULL AND c.started_at > NOW(3) - INTERVAL ? SECOND AND (c.agent_user_id = " u_expr       \
    " OR c.extension IN (SELECT e.extension FROM extensions e WHERE e.org_id = " o_expr                           \
    " AND e.user_id = " u_expr " AND e.extension IS NOT NULL)))"

int agents_online_idle(db_conn *db, const char *org_id, long long *online, long long *idle)
{
    json_t *row = NULL;
    *online = *idle = 0;
    db_param p[] = {DBP_INT(AGENT_CALL_MAX_AGE_S), DBP_STR(org_id)};
    int rc = db_query_row(db,
                          "SELECT COUNT(*) AS online, COALESCE(SUM(s.status = 'available' AND NOT "
                          ON_CALL_SQL("s.org_id", "s.user_id") "), 0) AS idle FROM agent_status s "
                          "JOIN org_members m ON m.org_id = s.org_id AND m.user_id = s.user_id WHERE s.org_id = ?",
                          p, 2, &row);
    if (rc == DB_OK && row) {
        *online = json_integer_value(json_object_get(row, "online"));
        json_t *i = json_object_get(row, "idle");
        *idle = json_is_integer(i) ? json_integer_value(i) : (long long)json_real_value(i);
    }
    json_decref(row);
    return rc;
}

#define PRESENCE_SELECT                                                                                           \
    "SELECT m.user_id, u.full_name, u.email, m.role, COALESCE(s.status, 'offline') AS status, s.since, "         \
    "s.updated_by, s.upstream AS mightycall_push, "                                                               \
    "IF(" ON_CALL_SQL("m.org_id", "m.user_id") ", 'true', 'false') AS on_call__json "                             \
    "FROM org_members m JOIN users u ON u.id = m.user_id "                                                        \
    "LEFT JOIN agent_status s ON s.org_id = m.org_id AND s.user_id = m.user_id "

static void add_flags(json_t *row)
{
    const char *st = json_string_value(json_object_get(row, "status"));
    bool available = strcmp(st, "available") == 0;
    json_object_set_new(row, "online", json_boolean(strcmp(st, "offline") != 0));
    json_object_set_new(row, "idle", json_boolean(available && !json_is_true(json_object_get(row, "on_call"))));
}

int agent_status_get(db_conn *db, const char *org_id, const char *user_id, json_t **out)
{
    db_param p[] = {DBP_INT(AGENT_CALL_MAX_AGE_S), DBP_STR(org_id), DBP_STR(user_id)};
    int rc = db_query_row(db, PRESENCE_SELECT "WHERE m.org_id = ? AND m.user_id = ?", p, 3, out);
    if (rc == DB_OK && *out)
        add_flags(*out);
    return rc;
}

int agents_presence_list(db_conn *db, const char *org_id, long long skip, int limit, json_t **rows,
                         long long *total, json_t **summary)
{
    *summary = NULL;
    db_param c[] = {DBP_STR(org_id)};
    int rc = db_query_int(db, "SELECT COUNT(*) FROM org_members WHERE org_id = ?", c, 1, total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_INT(AGENT_CALL_MAX_AGE_S), DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    rc = db_query(db,
                  PRESENCE_SELECT "WHERE m.org_id = ? ORDER BY s.status = 'available' DESC, s.since DESC, "
                                  "u.full_name, m.user_id LIMIT ? OFFSET ?",
                  p, 4, rows);
    if (rc != DB_OK)
        return rc;
    size_t i;
    json_t *row;
    json_array_foreach(*rows, i, row) add_flags(row);
    json_t *s = NULL;
    db_param q[] = {DBP_INT(AGENT_CALL_MAX_AGE_S), DBP_STR(org_id)};
    rc = db_query_row(db,
                      "SELECT COUNT(*) AS total, COALESCE(SUM(x.status <> 'offline'), 0) AS online, "
                      "COALESCE(SUM(x.status = 'available'), 0) AS available, "
                      "COALESCE(SUM(x.status = 'available' AND NOT x.on_call), 0) AS idle, "
                      "COALESCE(SUM(x.on_call), 0) AS on_call, COALESCE(SUM(x.status = 'dnd'), 0) AS dnd, "
                      "COALESCE(SUM(x.status = 'offline'), 0) AS offline FROM (SELECT COALESCE(s.status, 'offline') "
                      "AS status, " ON_CALL_SQL("m.org_id", "m.user_id") " AS on_call FROM org_members m "
                      "LEFT JOIN agent_status s ON s.org_id = m.org_id AND s.user_id = m.user_id "
                      "WHERE m.org_id = ?) x",
                      q, 2, &s);
    if (rc == DB_OK && s) {
        /* SUM() of booleans arrives as DECIMAL: make them integers */
        const char *k;
        json_t *v;
        json_object_foreach(s, k, v)
        {
            if (json_is_real(v))
                json_object_set_new(s, k, json_integer((json_int_t)json_real_value(v)));
        }
    }
    *summary = s;
    return rc;
}

int agent_status_history(db_conn *db, const char *org_id, const char *user_id, long long skip, int limit,
                         json_t **rows, long long *total)
{
    db_param c[] = {DBP_STR(org_id), DBP_STR(user_id)};
    int rc = db_query_int(db, "SELECT COUNT(*) FROM agent_status_history WHERE org_id = ? AND user_id = ?", c, 2,
                          total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_STR(user_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(db,
                    "SELECT status, previous_status, changed_at, changed_by, upstream AS mightycall_push "
                    "FROM agent_status_history WHERE org_id = ? AND user_id = ? ORDER BY changed_at DESC, id DESC "
                    "LIMIT ? OFFSET ?",
                    p, 4, rows);
}

/* ---- setting ---- */

/* Push to MightyCall when the integration's MightyCall user is this agent.
 * *result: "pushed" | "skipped" | "failed"; reason in plain words. */
static void push_upstream(db_conn *db, const vs_config *cfg, const char *org_id, const char *email,
                          const char *status, const char **result, char *reason, size_t reasonsz)
{
    *result = "skipped";
    mc_integration it;
    int rc = integration_for_org(db, cfg, org_id, &it);
    if (rc != INTEGRATION_OK || strcmp(it.status, "disabled") == 0) {
        snprintf(reason, reasonsz, "%s", rc == INTEGRATION_DECRYPT_FAILED ? "the integration's credentials cannot be decrypted"
                                         : rc < 0                          ? "the integration could not be read"
                                                                           : "no active MightyCall integration");
        integration_wipe(&it);
        return;
    }
    mc_client *c = integration_client(cfg, db, &it);
    integration_wipe(&it);
    if (!c) {
        *result = "failed";
        snprintf(reason, reasonsz, "the MightyCall client could not be created");
        return;
    }
    mc_backoff_policy policy = {.base_ms = 200, .cap_ms = 1000, .max_wait_ms = 5000};
    mc_client_set_retry(c, 2, &policy);
    mc_error err;
    json_t *profile = NULL;
    mc_status st = mc_get(c, "/profile", &profile, &err);
    if (st == MC_OK) {
        const char *pe = json_string_value(json_object_get(mc_unwrap(profile), "email"));
        if (!pe || strcasecmp(pe, email) != 0) {
            snprintf(reason, reasonsz, "the integration's MightyCall user is not this agent");
        } else if ((st = mc_profile_status_set(c, status, &err)) == MC_OK) {
            *result = "pushed";
            reason[0] = 0;
        }
    }
    if (st != MC_OK) {
        *result = "failed";
        snprintf(reason, reasonsz, "%s", err.message);
        log_warn("agents: MightyCall status not updated for org %s (MightyCall HTTP %d)", org_id, err.http_status);
    }
    json_decref(profile);
    mc_client_free(c);
}

struct set_arg {
    const char *org_id, *user_id, *status, *actor, *upstream;
    bool changed;
    char previous[17];
};

static int set_tx(db_conn *db, void *arg)
{
    struct set_arg *a = arg;
    json_t *cur = NULL;
    db_param k[] = {DBP_STR(a->org_id), DBP_STR(a->user_id)};
    int rc = db_query_row(db, "SELECT status FROM agent_status WHERE org_id = ? AND user_id = ? FOR UPDATE", k, 2,
                          &cur);
    if (rc != DB_OK)
        return rc;
    const char *prev = cur ? json_string_value(json_object_get(cur, "status")) : NULL;
    snprintf(a->previous, sizeof a->previous, "%s", prev ? prev : "");
    a->changed = !prev || strcmp(prev, a->status) != 0;
    json_decref(cur);
    db_param u[] = {DBP_STR(a->org_id), DBP_STR(a->user_id), DBP_STR(a->status), DBP_STR(a->actor),
                    DBP_STR(a->upstream)};
    rc = db_exec(db,
                 "INSERT INTO agent_status (org_id, user_id, status, since, updated_by, upstream) "
                 "VALUES (?, ?, ?, NOW(3), ?, ?) ON DUPLICATE KEY UPDATE "
                 "since = IF(status = VALUES(status), since, VALUES(since)), status = VALUES(status), "
                 "updated_by = VALUES(updated_by), upstream = VALUES(upstream)",
                 u, DB_NPARAMS(u), NULL);
    if (rc != DB_OK || !a->changed)
        return rc;
    db_param h[] = {DBP_STR(a->org_id), DBP_STR(a->user_id), DBP_STR(a->status),
                    DBP_STR(a->previous[0] ? a->previous : NULL), DBP_STR(a->actor), DBP_STR(a->upstream)};
    rc = db_exec(db,
                 "INSERT INTO agent_status_history (org_id, user_id, status, previous_status, changed_by, upstream) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 h, DB_NPARAMS(h), NULL);
    if (rc != DB_OK)
        return rc;
    char desc[200];
    snprintf(desc, sizeof desc, "Agent %s is now %s (was %s)", a->user_id, a->status,
             a->previous[0] ? a->previous : "offline");
    if ((rc = org_data_version_bump(db, a->org_id)) != DB_OK)
        return rc;
    return activity_record(db, a->org_id, a->actor, "agent_status_changed", desc);
}

int agent_status_set(db_conn *db, const vs_config *cfg, const char *org_id, const char *user_id,
                     const char *status, const char *actor_user_id, json_t **out)
{
    *out = NULL;
    json_t *who = NULL;
    int rc = agent_status_get(db, org_id, user_id, &who);
    if (rc != DB_OK || !who)
        return rc;
    char email[260];
    snprintf(email, sizeof email, "%s", json_string_value(json_object_get(who, "email")));
    json_decref(who);
    const char *upstream = "skipped";
    char reason[320] = "";
    push_upstream(db, cfg, org_id, email, status, &upstream, reason, sizeof reason);
    struct set_arg a = {.org_id = org_id, .user_id = user_id, .status = status, .actor = actor_user_id,
                        .upstream = upstream};
    rc = db_transaction(db, set_tx, &a);
    if (rc != DB_OK)
        return rc;
    if (a.changed)
        live_publish(org_id, LIVE_AGENT_STATUS, user_id);
    rc = agent_status_get(db, org_id, user_id, out);
    if (rc == DB_OK && *out) {
        json_object_set_new(*out, "changed", json_boolean(a.changed));
        json_object_set_new(*out, "mightycall",
                            reason[0] ? json_pack("{s:b, s:s, s:s}", "pushed", 0, "result", upstream, "reason", reason)
                                      : json_pack("{s:b, s:s}", "pushed", strcmp(upstream, "pushed") == 0, "result",
                                                  upstream));
    }
    return rc;
}
