/* mc_store.c — owns the SQL that writes synced MightyCall data; see mc_store.h.
 *
 * New vs updated: the connection uses CLIENT_FOUND_ROWS, so an upsert reports
 * 1 for both "inserted" and "found unchanged" and 2 for "updated". A cheap
 * existence probe on the unique key before the upsert tells the two 1s apart. */
#include "mightycall/mc_store.h"
#include "mightycall/mc_store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *nz(const char *s) { return s && *s ? s : NULL; } /* "" → SQL NULL */

static int exists(db_conn *db, const char *table, const char *org_id, const char *external_id, bool *found)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE org_id = ? AND external_id = ?", table);
    db_param p[] = {DBP_STR(org_id), DBP_STR(external_id)};
    long long n = 0;
    int rc = db_query_int(db, sql, p, 2, &n);
    *found = n > 0;
    return rc;
}

struct mc_known {
    char table[32];
    char **ids; /* sorted */
    size_t n, cap;
};

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool mc_known_has(const mc_known *k, const char *id)
{
    if (k->n == 0)
        return false;
    return bsearch(&id, k->ids, k->n, sizeof *k->ids, cmp_str) != NULL;
}

void mc_known_add(mc_known *k, const char *id)
{
    if (mc_known_has(k, id))
        return;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        char **ids = realloc(k->ids, cap * sizeof *ids);
        if (!ids)
            return;
        k->ids = ids;
        k->cap = cap;
    }
    size_t i = k->n;
    while (i > 0 && strcmp(k->ids[i - 1], id) > 0) {
        k->ids[i] = k->ids[i - 1];
        i--;
    }
    k->ids[i] = strdup(id);
    if (!k->ids[i]) { /* keep the array consistent */
        memmove(k->ids + i, k->ids + i + 1, (k->n - i) * sizeof *k->ids);
        return;
    }
    k->n++;
}

mc_known *mc_known_new(const char *table)
{
    mc_known *k = calloc(1, sizeof *k);
    if (k)
        snprintf(k->table, sizeof k->table, "%s", table);
    return k;
}

mc_known *mc_known_load(db_conn *db, const char *table, const char *org_id, json_t *ids, int *rc)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT external_id FROM %s WHERE org_id = ? AND external_id IN "
             "(SELECT j.x FROM JSON_TABLE(?, '$[*]' COLUMNS (x VARCHAR(64) PATH '$')) AS j)",
             table);
    char *js = json_dumps(ids, JSON_COMPACT);
    db_param p[] = {DBP_STR(org_id), DBP_STR(js)};
    json_t *rows = NULL;
    *rc = db_query(db, sql, p, 2, &rows);
    free(js);
    if (*rc != DB_OK)
        return NULL;
    mc_known *k = mc_known_new(table);
    if (!k) {
        json_decref(rows);
        *rc = DB_ERROR;
        return NULL;
    }
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *id = json_string_value(json_object_get(r, "external_id"));
        if (id)
            mc_known_add(k, id);
    }
    json_decref(rows);
    return k;
}

void mc_known_free(mc_known *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->ids[i]);
    free(k->ids);
    free(k);
}

static int upsert(db_conn *db, const char *table, const char *org_id, const char *external_id, const char *sql,
                  const db_param *p, int np, mc_counts *n, bool count_updates)
{
    bool found = false;
    int rc = DB_OK;
    if (n->known && strcmp(n->known->table, table) == 0) {
        found = mc_known_has(n->known, external_id);
        if (!found)
            mc_known_add(n->known, external_id); /* the same id twice in a page is not new twice */
    } else if ((rc = exists(db, table, org_id, external_id, &found)) != DB_OK) {
        return rc;
    }
    unsigned long long affected = 0;
    rc = db_exec(db, sql, p, np, &affected);
    if (rc != DB_OK)
        return rc;
    if (!found) {
        n->created++;
        n->synced++;
    } else {
        if (count_updates) {
            n->synced++;
            if (affected == 2)
                n->updated++;
        }
    }
    return DB_OK;
}

#define PHONE_ID_SUBQ \
    "(SELECT p.id FROM phone_numbers p WHERE p.org_id = ? AND p.number = ? ORDER BY p.status = 'active' DESC, " \
    "p.created_at LIMIT 1)"

int mc_store_phone(db_conn *db, const char *org_id, const char *integration_id, const mc_phone *p, mc_counts *n)
{
    const char *status = p->enabled && !p->deleted ? "active" : "inactive";
    db_param v[] = {DBP_STR(org_id),      DBP_STR(integration_id), DBP_STR(p->external_id), DBP_STR(p->number),
                    DBP_STR(nz(p->label)), DBP_STR(status),         DBP_INT(p->is_primary),  DBP_INT(p->toll_free),
                    DBP_INT(p->may_text),  DBP_STR(nz(p->sms_mode)), DBP_INT(p->may_call),   DBP_STR(nz(p->last_used)),
                    DBP_INT(p->deleted)};
    return upsert(db, "phone_numbers", org_id, p->external_id,
                  "INSERT INTO phone_numbers (id, org_id, integration_id, external_id, number, label, status, "
                  "is_primary, is_toll_free, sms_enabled, sms_mode, may_call, upstream_last_used, deleted_upstream_at) "
                  "VALUES (UUID(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, IF(?, NOW(3), NULL)) "
                  "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), number = VALUES(number), "
                  "label = VALUES(label), status = VALUES(status), is_primary = VALUES(is_primary), "
                  "is_toll_free = VALUES(is_toll_free), sms_enabled = VALUES(sms_enabled), "
                  "sms_mode = VALUES(sms_mode), may_call = VALUES(may_call), "
                  "upstream_last_used = COALESCE(VALUES(upstream_last_used), upstream_last_used), "
                  "deleted_upstream_at = IF(VALUES(deleted_upstream_at) IS NULL, NULL, "
                  "COALESCE(deleted_upstream_at, VALUES(deleted_upstream_at)))",
                  v, DB_NPARAMS(v), n, true);
}

int mc_store_phones_retire(db_conn *db, const char *org_id, const char *integration_id, const char *seen_json,
                           long *affected)
{
    unsigned long long a = 0;
    db_param p[] = {DBP_STR(org_id), DBP_STR(integration_id), DBP_STR(seen_json)};
    int rc = db_exec(db,
                     "UPDATE phone_numbers SET status = 'inactive', deleted_upstream_at = COALESCE(deleted_upstream_at, "
                     "NOW(3)) WHERE org_id = ? AND integration_id = ? AND status = 'active' AND external_id NOT IN "
                     "(SELECT j.x FROM JSON_TABLE(?, '$[*]' COLUMNS (x VARCHAR(64) PATH '$')) AS j)",
                     p, 3, &a);
    *affected = (long)a;
    return rc;
}

int mc_store_user(db_conn *db, const char *org_id, const char *integration_id, const mc_user *u, mc_counts *n)
{
    db_param v[] = {DBP_STR(org_id),          DBP_STR(integration_id), DBP_STR(u->id),
                    DBP_STR(nz(u->extension)), DBP_STR(nz(u->full_name)), DBP_STR(nz(u->email)),
                    DBP_STR(nz(u->role))};
    return upsert(db, "extensions", org_id, u->id,
                  "INSERT INTO extensions (id, org_id, integration_id, external_id, extension, display_name, email, "
                  "role, status) VALUES (UUID(), ?, ?, ?, ?, ?, ?, ?, 'active') "
                  "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
                  "extension = COALESCE(VALUES(extension), extension), display_name = VALUES(display_name), "
                  "email = COALESCE(VALUES(email), email), role = COALESCE(VALUES(role), role), status = 'active'",
                  v, DB_NPARAMS(v), n, true);
}

int mc_store_users_retire(db_conn *db, const char *org_id, const char *integration_id, const char *seen_json,
                          long *affected)
{
    unsigned long long a = 0;
    db_param p[] = {DBP_STR(org_id), DBP_STR(integration_id), DBP_STR(seen_json)};
    int rc = db_exec(db,
                     "UPDATE extensions SET status = 'inactive' WHERE org_id = ? AND integration_id = ? AND "
                     "status = 'active' AND external_id NOT IN "
                     "(SELECT j.x FROM JSON_TABLE(?, '$[*]' COLUMNS (x VARCHAR(64) PATH '$')) AS j)",
                     p, 3, &a);
    *affected = (long)a;
    return rc;
}

int mc_store_agent_extension(db_conn *db, const char *org_id, const char *user_external_id, const char *extension,
                             const char *email, int *changed)
{
    unsigned long long a = 0;
    *changed = 0;
    if (!nz(user_external_id) || !nz(extension))
        return DB_OK;
    db_param p[] = {DBP_STR(extension), DBP_STR(nz(email)), DBP_STR(org_id), DBP_STR(user_external_id),
                    DBP_STR(extension)};
    int rc = db_exec(db,
                     "UPDATE extensions SET extension = ?, email = COALESCE(email, ?) WHERE org_id = ? AND "
                     "external_id = ? AND (extension IS NULL OR extension <> ?)",
                     p, 5, &a);
    *changed = a > 0;
    return rc;
}

int mc_store_call(db_conn *db, const char *org_id, const char *integration_id, const mc_call *c, mc_counts *n)
{
    db_param v[] = {DBP_STR(org_id),
                    DBP_STR(integration_id),
                    DBP_STR(c->id),
                    DBP_STR(org_id),
                    DBP_STR(c->business_number),
                    DBP_STR(nz(c->business_number)),
                    DBP_STR(c->direction),
                    DBP_STR(c->status),
                    DBP_STR(nz(c->caller_number)),
                    DBP_STR(nz(c->caller_name)),
                    DBP_STR(nz(c->called_number)),
                    DBP_STR(nz(c->extension)),
                    DBP_STR(nz(c->agent_name)),
                    DBP_STR(c->started_at),
                    DBP_STR(c->started_at),
                    DBP_INT(c->duration_s),
                    DBP_INT(c->duration_s),
                    DBP_STR(nz(c->recording_url))};
    return upsert(db, "calls", org_id, c->id,
                  "INSERT INTO calls (id, org_id, integration_id, external_id, phone_number_id, business_number, "
                  "direction, status, caller_number, caller_name, called_number, extension, agent_name, started_at, "
                  "ended_at, duration_seconds, recording_url, source) VALUES (UUID(), ?, ?, ?, " PHONE_ID_SUBQ
                  ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ? + INTERVAL ? SECOND, ?, ?, 'calls') "
                  "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
                  "phone_number_id = COALESCE(VALUES(phone_number_id), phone_number_id), "
                  "business_number = VALUES(business_number), direction = VALUES(direction), status = VALUES(status), "
                  "caller_number = VALUES(caller_number), caller_name = VALUES(caller_name), "
                  "called_number = VALUES(called_number), extension = COALESCE(VALUES(extension), extension), "
                  "agent_name = COALESCE(VALUES(agent_name), agent_name), started_at = VALUES(started_at), "
                  "ended_at = VALUES(ended_at), duration_seconds = VALUES(duration_seconds), "
                  "recording_url = COALESCE(VALUES(recording_url), recording_url), source = 'calls'",
                  v, DB_NPARAMS(v), n, true);
}

/* The journal ↔ call rule (docs/sync.md, "Call identity"). MightyCall's
 * Swagger does not promise that a journal entry's requestGuid is the /calls
 * id, so a journal entry is
 *   1. the call stored (by the calls API or a webhook) under its requestGuid;
 *   2. else the call of the same business number and client whose start is
 *      within ±JOURNAL_MATCH_S seconds of the entry's `created`, not linked to
 *      another journal entry yet (the nearest in time wins) — a row stored
 *      earlier from this entry alone is then merged into it (deleted);
 *   3. else a call of its own, external_id = requestGuid (else the journal id).
 * The calls stream reads /calls before the journal of the same window, and
 * every window overlaps the last by 2 h, so a call /calls lists late is still
 * merged with its journal-only row on the next run. */
#define JOURNAL_MATCH_S "2"

int mc_store_match_call(db_conn *db, const char *org_id, const mc_journal *j, char call_external_id[MC_ID_LEN])
{
    snprintf(call_external_id, MC_ID_LEN, "%s", j->external_id);
    json_t *row = NULL;
    db_param probe[] = {DBP_STR(org_id), DBP_STR(j->external_id)};
    int rc = db_query_row(db, "SELECT source FROM calls WHERE org_id = ? AND external_id = ?", probe, 2, &row);
    if (rc != DB_OK)
        return rc;
    bool own_row = row != NULL, same_id = row && strcmp(json_string_value(json_object_get(row, "source")), "journal") != 0;
    json_decref(row);
    row = NULL;
    if (same_id || !j->business_number[0] || !j->client[0])
        return DB_OK;
    db_param m[] = {DBP_STR(org_id), DBP_STR(j->business_number), DBP_STR(j->created), DBP_STR(j->created),
                    DBP_STR(j->client), DBP_STR(j->client), DBP_STR(j->id), DBP_STR(j->created)};
    rc = db_query_row(db,
                      "SELECT external_id FROM calls WHERE org_id = ? AND business_number = ? "
                      "AND started_at BETWEEN ? - INTERVAL " JOURNAL_MATCH_S " SECOND AND ? + INTERVAL "
                      JOURNAL_MATCH_S " SECOND AND (caller_number = ? OR called_number = ?) "
                      "AND (journal_id IS NULL OR journal_id = ?) AND source <> 'journal' "
                      "ORDER BY ABS(TIMESTAMPDIFF(MICROSECOND, started_at, ?)), external_id LIMIT 1",
                      m, DB_NPARAMS(m), &row);
    if (rc != DB_OK || !row)
        return rc;
    snprintf(call_external_id, MC_ID_LEN, "%s", json_string_value(json_object_get(row, "external_id")));
    json_decref(row);
    if (!own_row)
        return DB_OK;
    /* the row stored earlier from this entry alone merges into the call (its
     * counters go with it: the triggers are on outside a bulk page write) */
    db_param d[] = {DBP_STR(org_id), DBP_STR(j->external_id)};
    return db_exec(db, "DELETE FROM calls WHERE org_id = ? AND external_id = ? AND source = 'journal'", d, 2, NULL);
}

int mc_store_journal_known(db_conn *db, const char *org_id, const mc_journal *j, bool voicemail, bool *known)
{
    long long n = 0;
    int rc = DB_OK;
    *known = false;
    if (voicemail) {
        db_param p[] = {DBP_STR(org_id), DBP_STR(j->business_number), DBP_STR(j->created), DBP_STR(j->created),
                        DBP_STR(j->client)};
        rc = db_query_int(db,
                          "SELECT COUNT(*) FROM voicemails WHERE org_id = ? AND to_number = ? AND received_at "
                          "BETWEEN ? - INTERVAL " JOURNAL_MATCH_S " SECOND AND ? + INTERVAL " JOURNAL_MATCH_S
                          " SECOND AND from_number = ?",
                          p, DB_NPARAMS(p), &n);
        *known = rc == DB_OK && n > 0;
        return rc;
    }
    db_param id[] = {DBP_STR(org_id), DBP_STR(j->external_id)};
    rc = db_query_int(db, "SELECT COUNT(*) FROM calls WHERE org_id = ? AND external_id = ? AND source = 'calls'", id,
                      2, &n);
    if (rc != DB_OK || n > 0 || !j->business_number[0] || !j->client[0]) {
        *known = rc == DB_OK && n > 0;
        return rc;
    }
    db_param m[] = {DBP_STR(org_id), DBP_STR(j->business_number), DBP_STR(j->created), DBP_STR(j->created),
                    DBP_STR(j->client), DBP_STR(j->client)};
    rc = db_query_int(db,
                      "SELECT COUNT(*) FROM calls WHERE org_id = ? AND business_number = ? AND started_at BETWEEN ? - "
                      "INTERVAL " JOURNAL_MATCH_S " SECOND AND ? + INTERVAL " JOURNAL_MATCH_S " SECOND "
                      "AND (caller_number = ? OR called_number = ?) AND source = 'calls'",
                      m, DB_NPARAMS(m), &n);
    *known = rc == DB_OK && n > 0;
    return rc;
}

int mc_store_journal_call(db_conn *db, const char *org_id, const char *integration_id, const mc_journal *j,
                          mc_counts *n)
{
    char key[MC_ID_LEN];
    int mrc = mc_store_match_call(db, org_id, j, key);
    if (mrc != DB_OK)
        return mrc;
    bool inbound = strcmp(j->direction, "inbound") == 0;
    const char *caller = inbound ? j->client : j->business_number;
    const char *called = inbound ? j->business_number : j->client;
    if (strcmp(key, j->external_id) != 0 && n->known && strcmp(n->known->table, "calls") == 0 &&
        !mc_known_has(n->known, key))
        mc_known_add(n->known, key); /* an existing call: enrichment, not a new one */
    db_param v[] = {DBP_STR(org_id),
                    DBP_STR(integration_id),
                    DBP_STR(key),
                    DBP_STR(j->id),
                    DBP_STR(org_id),
                    DBP_STR(j->business_number),
                    DBP_STR(nz(j->business_number)),
                    DBP_STR(j->direction),
                    DBP_STR(j->state),
                    DBP_STR(nz(caller)),
                    DBP_STR(nz(called)),
                    DBP_STR(nz(j->agent_ext)),
                    DBP_STR(nz(j->agent_id)),
                    DBP_STR(nz(j->agent_name)),
                    DBP_STR(j->created),
                    DBP_STR(j->created),
                    DBP_INT(j->duration_s),
                    DBP_INT(j->duration_s),
                    DBP_STR(nz(j->recording_url))};
    return upsert(db, "calls", org_id, key,
                  "INSERT INTO calls (id, org_id, integration_id, external_id, journal_id, phone_number_id, "
                  "business_number, direction, status, caller_number, called_number, extension, agent_external_id, "
                  "agent_name, started_at, ended_at, duration_seconds, recording_url, source) "
                  "VALUES (UUID(), ?, ?, ?, ?, " PHONE_ID_SUBQ
                  ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ? + INTERVAL ? SECOND, ?, ?, 'journal') "
                  "ON DUPLICATE KEY UPDATE journal_id = VALUES(journal_id), "
                  "agent_external_id = COALESCE(VALUES(agent_external_id), agent_external_id), "
                  "agent_name = COALESCE(agent_name, VALUES(agent_name)), "
                  "extension = COALESCE(extension, VALUES(extension)), "
                  "recording_url = COALESCE(recording_url, VALUES(recording_url)), "
                  "phone_number_id = COALESCE(phone_number_id, VALUES(phone_number_id)), "
                  "status = IF(source = 'calls', status, VALUES(status)), "
                  "duration_seconds = IF(source = 'calls', duration_seconds, VALUES(duration_seconds)), "
                  "ended_at = IF(source = 'calls', ended_at, VALUES(ended_at))",
                  v, DB_NPARAMS(v), n, false);
}

int mc_store_recording(db_conn *db, const char *org_id, const char *integration_id, const mc_call *c, mc_counts *n,
                       bool attach_to_call)
{
    if (!c->recording_url[0])
        return DB_OK;
    db_param v[] = {DBP_STR(org_id),
                    DBP_STR(integration_id),
                    DBP_STR(c->id),
                    DBP_STR(org_id),
                    DBP_STR(c->id),
                    DBP_STR(nz(c->business_number)),
                    DBP_STR(nz(c->caller_number)),
                    DBP_STR(c->direction),
                    DBP_STR(nz(c->extension)),
                    DBP_INT(c->duration_s),
                    DBP_STR(c->recording_url),
                    DBP_STR(nz(c->recording_file)),
                    DBP_STR(c->started_at)};
    int rc = upsert(db, "recordings", org_id, c->id,
                    "INSERT INTO recordings (id, org_id, integration_id, external_id, call_id, business_number, "
                    "caller_number, direction, extension, duration_seconds, url, file_name, recorded_at) "
                    "VALUES (UUID(), ?, ?, ?, (SELECT c.id FROM calls c WHERE c.org_id = ? AND c.external_id = ?), "
                    "?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
                    "call_id = COALESCE(VALUES(call_id), call_id), business_number = VALUES(business_number), "
                    "caller_number = VALUES(caller_number), direction = VALUES(direction), "
                    "extension = VALUES(extension), duration_seconds = VALUES(duration_seconds), url = VALUES(url), "
                    "file_name = VALUES(file_name), recorded_at = VALUES(recorded_at)",
                    v, DB_NPARAMS(v), n, true);
    if (rc != DB_OK || !attach_to_call)
        return rc;
    db_param u[] = {DBP_STR(c->recording_url), DBP_STR(org_id), DBP_STR(c->id), DBP_STR(c->recording_url)};
    return db_exec(db,
                   "UPDATE calls SET recording_url = ? WHERE org_id = ? AND external_id = ? AND "
                   "(recording_url IS NULL OR recording_url <> ?)",
                   u, 4, NULL);
}

int mc_store_sms(db_conn *db, const char *org_id, const char *integration_id, const mc_journal *j, mc_counts *n)
{
    bool failed = strcmp(j->delivery, "failed") == 0;
    char *att = j->attachments ? json_dumps(j->attachments, JSON_COMPACT) : NULL;
    db_param v[] = {DBP_STR(org_id),
                    DBP_STR(integration_id),
                    DBP_STR(j->external_id),
                    DBP_STR(j->id),
                    DBP_STR(j->business_number),
                    DBP_STR(j->client),
                    DBP_STR(j->direction),
                    DBP_STR(j->text),
                    DBP_STR(j->delivery),
                    DBP_STR(failed ? "MightyCall reported the message as not sent" : NULL),
                    DBP_INT(j->type == MC_J_THREAD),
                    DBP_STR(nz(j->agent_ext)),
                    DBP_STR(nz(j->agent_id)),
                    DBP_STR(att),
                    DBP_STR(j->created),
                    DBP_INT(j->read),
                    DBP_STR(j->created)};
    int rc = upsert(db, "sms_messages", org_id, j->external_id,
                    "INSERT INTO sms_messages (id, org_id, integration_id, external_id, journal_id, business_number, "
                    "contact_number, direction, body, status, failure_reason, is_thread_start, extension, "
                    "agent_external_id, attachments, sent_at, read_at, source) "
                    "VALUES (UUID(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, IF(?, ?, NULL), 'journal') "
                    "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), journal_id = VALUES(journal_id), "
                    "business_number = VALUES(business_number), contact_number = VALUES(contact_number), "
                    "direction = VALUES(direction), body = IF(VALUES(body) = '', body, VALUES(body)), "
                    "status = VALUES(status), failure_reason = IF(VALUES(status) = 'failed', "
                    "COALESCE(failure_reason, VALUES(failure_reason)), NULL), "
                    "is_thread_start = VALUES(is_thread_start), extension = COALESCE(VALUES(extension), extension), "
                    "agent_external_id = COALESCE(VALUES(agent_external_id), agent_external_id), "
                    "attachments = COALESCE(VALUES(attachments), attachments), sent_at = VALUES(sent_at)",
                    v, DB_NPARAMS(v), n, true);
    free(att);
    return rc;
}

int mc_store_voicemail(db_conn *db, const char *org_id, const char *integration_id, const mc_voicemail *vm,
                       mc_counts *n)
{
    db_param v[] = {DBP_STR(org_id),       DBP_STR(integration_id),    DBP_STR(vm->id),       DBP_STR(org_id),
                    DBP_STR(vm->from),     DBP_STR(vm->to),            DBP_STR(vm->received_at),
                    DBP_STR(nz(vm->from)), DBP_STR(nz(vm->to)),        DBP_STR(nz(vm->assigned_to)),
                    DBP_INT(vm->duration_s), DBP_STR(vm->status),      DBP_STR(nz(vm->url)),  DBP_STR(nz(vm->file_name)),
                    DBP_STR(vm->received_at)};
    return upsert(db, "voicemails", org_id, vm->id,
                  "INSERT INTO voicemails (id, org_id, integration_id, external_id, call_id, from_number, to_number, "
                  "assigned_to, duration_seconds, status, recording_url, file_name, received_at) "
                  "VALUES (UUID(), ?, ?, ?, (SELECT c.id FROM calls c WHERE c.org_id = ? AND c.caller_number = ? AND "
                  "c.business_number = ? AND c.started_at = ? AND c.status = 'voicemail' LIMIT 1), "
                  "?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), "
                  "call_id = COALESCE(call_id, VALUES(call_id)), from_number = VALUES(from_number), "
                  "to_number = VALUES(to_number), assigned_to = VALUES(assigned_to), "
                  "duration_seconds = VALUES(duration_seconds), "
                  "status = IF(status_set_at IS NULL, VALUES(status), status), " /* a user's read/unread stays */
                  "recording_url = VALUES(recording_url), file_name = VALUES(file_name), "
                  "received_at = VALUES(received_at)",
                  v, DB_NPARAMS(v), n, true);
}

int mc_store_contact(db_conn *db, const char *org_id, const char *integration_id, const mc_contact *c, mc_counts *n)
{
    char *channels = c->channels ? json_dumps(c->channels, JSON_COMPACT) : NULL;
    char *tags = c->tags ? json_dumps(c->tags, JSON_COMPACT) : NULL;
    db_param v[] = {DBP_STR(org_id),          DBP_STR(integration_id),   DBP_STR(c->id),
                    DBP_STR(nz(c->etag)),      DBP_STR(nz(c->first_name)), DBP_STR(nz(c->last_name)),
                    DBP_STR(nz(c->patronymic)), DBP_STR(c->display_name), DBP_STR(nz(c->phone)),
                    DBP_STR(nz(c->email)),     DBP_STR(channels),         DBP_STR(tags),
                    DBP_STR(c->comment),       DBP_STR(nz(c->created)),   DBP_STR(nz(c->updated)),
                    DBP_INT(c->deleted),       DBP_STR(nz(c->updated))};
    int rc = upsert(db, "contacts", org_id, c->id,
                    "INSERT INTO contacts (id, org_id, integration_id, external_id, etag, first_name, last_name, "
                    "patronymic, display_name, primary_phone, primary_email, channels, tags, comment, "
                    "upstream_created_at, upstream_updated_at, deleted_at) "
                    "VALUES (UUID(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, IF(?, COALESCE(?, NOW(3)), NULL)) "
                    "ON DUPLICATE KEY UPDATE integration_id = VALUES(integration_id), etag = VALUES(etag), "
                    "first_name = VALUES(first_name), last_name = VALUES(last_name), "
                    "patronymic = VALUES(patronymic), display_name = VALUES(display_name), "
                    "primary_phone = VALUES(primary_phone), primary_email = VALUES(primary_email), "
                    "channels = VALUES(channels), tags = VALUES(tags), comment = VALUES(comment), "
                    "upstream_created_at = VALUES(upstream_created_at), "
                    "upstream_updated_at = VALUES(upstream_updated_at), "
                    "deleted_at = IF(VALUES(deleted_at) IS NULL, NULL, COALESCE(deleted_at, VALUES(deleted_at)))",
                    v, DB_NPARAMS(v), n, true);
    free(channels);
    free(tags);
    return rc;
}

void mc_org_timezone(db_conn *db, const char *org_id, char out[64])
{
    json_t *row = NULL;
    snprintf(out, 64, "+00:00");
    db_param p[] = {DBP_STR(org_id)};
    if (db_query_row(db,
                     "SELECT timezone AS tz, CONVERT_TZ('2000-01-01 00:00:00', '+00:00', timezone) IS NOT NULL AS ok "
                     "FROM orgs WHERE id = ?",
                     p, 1, &row) == DB_OK &&
        row) {
        const char *tz = json_string_value(json_object_get(row, "tz"));
        if (tz && json_is_true(json_object_get(row, "ok")))
            snprintf(out, 64, "%s", tz);
        else if (tz && json_integer_value(json_object_get(row, "ok")) == 1)
            snprintf(out, 64, "%s", tz);
    }
    json_decref(row);
}

/* Locks: the figures are read with a plain SELECT (a consistent, non-locking
 * read) and written row by row on the primary key (org, day, number). The
 * former INSERT … SELECT / DELETE … JOIN read `calls` with shared next-key
 * locks and locked report ranges up to the next key — which belongs to the
 * neighbouring org — so two orgs' syncs side by side waited on and deadlocked
 * with each other. A recompute racing a calls page of the same org may miss
 * that page's calls; the page recomputes its days itself and the reports
 * stream re-reads calls changed in the last 5 minutes, so it settles. */
/* A report row's day and number ("d", "bn") and its key "day|number". */
static void report_row_key(json_t *r, char d[16], char bn[64], char key[96])
{
    const char *dv = json_string_value(json_object_get(r, "d")), *bv = json_string_value(json_object_get(r, "bn"));
    snprintf(d, 16, "%s", dv ? dv : "");
    snprintf(bn, 64, "%s", bv ? bv : "");
    snprintf(key, 96, "%s|%s", d, bn);
}

int mc_reports_recompute_days(db_conn *db, const char *org_id, const char *tz, const char *day_from,
                              const char *day_to, long *rows, long *created, long *changed_out)
{
    *rows = *created = 0;
    if (changed_out)
        *changed_out = 0;
    json_t *fig = NULL, *old = NULL;
    db_param p[] = {DBP_STR(tz),     DBP_STR(org_id), DBP_STR(day_from), DBP_STR(tz),
                    DBP_STR(day_to), DBP_STR(tz),     DBP_STR(day_from), DBP_STR(day_to)};
    int rc = db_query(db,
                      "SELECT CAST(x.d AS CHAR) AS d, x.bn, CAST(MAX(x.phone_number_id) AS CHAR) AS pid, "
                      "CAST(COUNT(*) AS CHAR) AS calls, CAST(SUM(x.status = 'connected') AS CHAR) AS answered, "
                      /* missed: inbound, not answered, no longer live (calls.call_type; docs/dashboard.md#cards) */
                      "CAST(SUM(x.direction = 'inbound' AND x.status NOT IN ('connected', 'ringing', 'in_progress')) "
                      "AS CHAR) AS missed, "
                      "CAST(SUM(x.direction = 'inbound') AS CHAR) AS inbound, "
                      "CAST(SUM(x.direction = 'outbound') AS CHAR) AS outbound, "
                      "CAST(SUM(x.status = 'voicemail') AS CHAR) AS voicemails, "
                      "CAST(ROUND(100 * SUM(x.status = 'connected') / COUNT(*), 2) AS CHAR) AS rate, "
                      "CAST(ROUND(COALESCE(SUM(IF(x.status = 'connected', x.duration_seconds, 0)) / "
                      "NULLIF(SUM(x.status = 'connected'), 0), 0), 2) AS CHAR) AS aht, "
                      "CAST(SUM(x.duration_seconds) AS CHAR) AS total "
                      "FROM (SELECT DATE(CONVERT_TZ(c.started_at, '+00:00', ?)) AS d, COALESCE(c.business_number, '') "
                      "AS bn, c.phone_number_id, c.status, c.direction, c.duration_seconds FROM calls c "
                      "WHERE c.org_id = ? AND c.started_at >= CONVERT_TZ(CAST(? AS DATETIME), ?, '+00:00') "
                      "AND c.started_at < CONVERT_TZ(CAST(? AS DATETIME) + INTERVAL 1 DAY, ?, '+00:00')) AS x "
                      "WHERE x.d BETWEEN ? AND ? GROUP BY x.d, x.bn ORDER BY x.d, x.bn",
                      p, DB_NPARAMS(p), &fig);
    if (rc != DB_OK)
        return rc;
    db_param q[] = {DBP_STR(org_id), DBP_STR(day_from), DBP_STR(day_to)};
    rc = db_query(db,
                  "SELECT CAST(day AS CHAR) AS d, phone_number AS bn FROM call_reports_daily "
                  "WHERE org_id = ? AND day BETWEEN ? AND ?",
                  q, 3, &old);
    if (rc != DB_OK) {
        json_decref(fig);
        return rc;
    }
    json_t *have = json_object(), *keep = json_object(); /* "day|number" of old rows / computed rows */
    char d[16], bn[64], key[96];
    size_t i;
    json_t *r;
    json_array_foreach(old, i, r)
    {
        report_row_key(r, d, bn, key);
        json_object_set_new(have, key, json_true());
    }
    /* every computed row in one array-bound upsert (db_exec_array) */
    enum { COLS = 13 };
    size_t nfig = json_array_size(fig);
    db_param *v = nfig ? malloc(nfig * COLS * sizeof *v) : NULL;
    char (*keys)[2][64] = nfig ? malloc(nfig * sizeof *keys) : NULL; /* day, number of each row */
    if (nfig && (!v || !keys)) {
        free(v);
        free(keys);
        rc = DB_ERROR;
        goto out;
    }
    json_array_foreach(fig, i, r)
    {
        report_row_key(r, d, bn, key);
        json_object_set_new(keep, key, json_true());
        if (!json_object_get(have, key))
            (*created)++;
        snprintf(keys[i][0], sizeof keys[i][0], "%s", d);
        snprintf(keys[i][1], sizeof keys[i][1], "%s", bn);
        db_param *row = &v[i * COLS];
#define F(k) DBP_STR(json_string_value(json_object_get(r, k)))
        db_param one[COLS] = {DBP_STR(org_id), DBP_STR(keys[i][0]), DBP_STR(keys[i][1]), F("pid"), F("calls"),
                              F("answered"), F("missed"), F("inbound"), F("outbound"), F("voicemails"), F("rate"),
                              F("aht"), F("total")};
#undef F
        memcpy(row, one, sizeof one);
    }
    unsigned long long affected = 0;
    /* computed_at (assigned first, so it still sees the old values) only
     * moves when a figure changed, and so does the affected-row count */
    rc = db_exec_array(db,
                       "INSERT INTO call_reports_daily (org_id, day, phone_number, phone_number_id, calls, answered, "
                       "missed, inbound, outbound, voicemails, answer_rate, avg_handle_seconds, total_duration, "
                       "computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3)) "
                       "ON DUPLICATE KEY UPDATE computed_at = IF(calls <> VALUES(calls) OR answered <> VALUES(answered) "
                       "OR missed <> VALUES(missed) OR inbound <> VALUES(inbound) OR outbound <> VALUES(outbound) OR "
                       "voicemails <> VALUES(voicemails) OR total_duration <> VALUES(total_duration) OR "
                       "avg_handle_seconds <> VALUES(avg_handle_seconds) OR "
                       "NOT (phone_number_id <=> VALUES(phone_number_id)), VALUES(computed_at), computed_at), "
                       "phone_number_id = VALUES(phone_number_id), calls = VALUES(calls), answered = VALUES(answered), "
                       "missed = VALUES(missed), inbound = VALUES(inbound), outbound = VALUES(outbound), "
                       "voicemails = VALUES(voicemails), answer_rate = VALUES(answer_rate), "
                       "avg_handle_seconds = VALUES(avg_handle_seconds), total_duration = VALUES(total_duration)",
                       v, COLS, nfig, &affected);
    free(v);
    free(keys);
    if (rc != DB_OK)
        goto out;
    *rows = (long)nfig;
    /* affected = new + 2 × changed + unchanged (CLIENT_FOUND_ROWS) */
    long changed = (long)affected - (long)nfig;
    if (changed < 0)
        changed = 0;
    /* rows of numbers that no longer have calls that day */
    json_array_foreach(old, i, r)
    {
        report_row_key(r, d, bn, key);
        if (json_object_get(keep, key))
            continue;
        db_param del[] = {DBP_STR(org_id), DBP_STR(d), DBP_STR(bn)};
        rc = db_exec(db, "DELETE FROM call_reports_daily WHERE org_id = ? AND day = ? AND phone_number = ?", del, 3,
                     NULL);
        if (rc != DB_OK)
            goto out;
    }
    if (changed_out)
        *changed_out = changed;
out:
    json_decref(have);
    json_decref(keep);
    json_decref(fig);
    json_decref(old);
    return rc;
}

int mc_reports_recompute(db_conn *db, const char *org_id, const char *tz, const char *utc_from, const char *utc_to,
                         long *rows, long *created, long *changed)
{
    json_t *row = NULL;
    db_param p[] = {DBP_STR(utc_from), DBP_STR(tz), DBP_STR(utc_to), DBP_STR(tz)};
    int rc = db_query_row(db,
                          "SELECT CAST(DATE(CONVERT_TZ(CAST(? AS DATETIME(3)), '+00:00', ?)) AS CHAR) AS a, "
                          "CAST(DATE(CONVERT_TZ(CAST(? AS DATETIME(3)), '+00:00', ?)) AS CHAR) AS b",
                          p, 4, &row);
    *rows = *created = 0;
    if (rc != DB_OK || !row) {
        json_decref(row);
        return rc == DB_OK ? DB_ERROR : rc;
    }
    char a[16], b[16];
    const char *ja = json_string_value(json_object_get(row, "a")), *jb = json_string_value(json_object_get(row, "b"));
    snprintf(a, sizeof a, "%s", ja ? ja : "");
    snprintf(b, sizeof b, "%s", jb ? jb : "");
    json_decref(row);
    if (!a[0] || !b[0])
        return DB_ERROR;
    return mc_reports_recompute_days(db, org_id, tz, strcmp(a, b) <= 0 ? a : b, strcmp(a, b) <= 0 ? b : a, rows,
                                     created, changed);
}

int mc_store_refresh_last_call(db_conn *db, const char *org_id)
{
    /* per number, its newest call: one entry read from the end of
     * calls_org_phone (org, number id, start), not a pass over the org's calls */
    db_param p[] = {DBP_STR(org_id)};
    return db_exec(db,
                   "UPDATE phone_numbers p JOIN (SELECT n.id, (SELECT c.started_at FROM calls c WHERE "
                   "c.org_id = n.org_id AND c.phone_number_id = n.id ORDER BY c.started_at DESC LIMIT 1) AS m "
                   "FROM phone_numbers n WHERE n.org_id = ?) x ON x.id = p.id SET p.last_call_at = x.m "
                   "WHERE x.m IS NOT NULL AND NOT (p.last_call_at <=> x.m)",
                   p, 1, NULL);
}
