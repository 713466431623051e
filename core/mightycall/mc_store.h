/* mc_store.h — writes parsed MightyCall records into the call-data tables
 * (sql/021_call_data.sql): one upsert per record on (org_id, external_id),
 * touching only the columns MightyCall owns (assignments, read state, thread
 * links set by the API survive). Counts say what really changed: a re-sync of
 * unchanged data counts neither new nor updated. Callers wrap a page of
 * records in one transaction. Also: the daily reports recomputation. */
#ifndef VS_MC_STORE_H
#define VS_MC_STORE_H

#include <jansson.h>
#include <stdbool.h>

#include "platform/db.h"
#include "mightycall/mc_parse.h"

typedef struct mc_known mc_known;

typedef struct {
    long synced;  /* records written (changed or not) */
    long created; /* rows that did not exist */
    long updated; /* existing rows whose content changed */
    /* Optional: the external_ids of a page that already exist in the table
     * being written (mc_known_load), so upserts skip their per-row probe. */
    mc_known *known;
} mc_counts;

/* Which of `ids` (JSON array of strings) exist in table for org_id — one
 * query for a whole page. NULL on a database error (*rc set). */
mc_known *mc_known_load(db_conn *db, const char *table, const char *org_id, json_t *ids, int *rc);
void mc_known_free(mc_known *k);

/* Each returns a DB_ code. org_id/integration_id are UUID strings. */
int mc_store_phone(db_conn *db, const char *org_id, const char *integration_id, const mc_phone *p, mc_counts *n);
/* Numbers of the integration missing from `seen_external_ids` (JSON array of
 * strings) become inactive. *affected = how many. */
int mc_store_phones_retire(db_conn *db, const char *org_id, const char *integration_id, const char *seen_json,
                           long *affected);

int mc_store_user(db_conn *db, const char *org_id, const char *integration_id, const mc_user *u, mc_counts *n);
int mc_store_users_retire(db_conn *db, const char *org_id, const char *integration_id, const char *seen_json,
                          long *affected);
/* Extension number / email of a MightyCall user learnt from a journal agent.
 * *changed = 1 when the row changed. */
int mc_store_agent_extension(db_conn *db, const char *org_id, const char *user_external_id, const char *extension,
                             const char *email, int *changed);

/* GET /calls item (authoritative for status, parties, duration). */
int mc_store_call(db_conn *db, const char *org_id, const char *integration_id, const mc_call *c, mc_counts *n);
/* The one rule that says which stored call a journal Call entry is
 * (docs/sync.md, "Call identity"): the call stored under the entry's
 * requestGuid; else the call of the same business number and client starting
 * within ±2 s of the entry, not linked to another journal entry (a row stored
 * earlier from the entry alone is merged into it: deleted); else the entry's
 * own key. call_external_id = that call's external_id. Both the per-row and
 * the bulk journal writers use it. */
int mc_store_match_call(db_conn *db, const char *org_id, const mc_journal *j, char call_external_id[MC_ID_LEN]);
/* Is the call of journal Call entry j stored from /calls (same rule as
 * mc_store_match_call, read-only: by requestGuid, else business number, client
 * and a start within ±2 s)? With voicemail: is its voicemail stored (business
 * number, caller and time within ±2 s)? The sync's journal window asks it for
 * entries that started before a stream's cursor. */
int mc_store_journal_known(db_conn *db, const char *org_id, const mc_journal *j, bool voicemail, bool *known);
/* Journal Call entry: inserts calls the calls API did not list, and adds the
 * journal's agent, journal id and recording link to the others. Only new rows
 * are counted (enrichment is not an update of the call). */
int mc_store_journal_call(db_conn *db, const char *org_id, const char *integration_id, const mc_journal *j,
                          mc_counts *n);
/* Recording of a GET /calls item that has callRecord (no-op otherwise);
 * attach_to_call: also set the URL on the stored call (when the call itself
 * was not just written from the same item). */
int mc_store_recording(db_conn *db, const char *org_id, const char *integration_id, const mc_call *c, mc_counts *n,
                       bool attach_to_call);

/* Journal Message / MessageThread entry. */
int mc_store_sms(db_conn *db, const char *org_id, const char *integration_id, const mc_journal *j, mc_counts *n);
int mc_store_voicemail(db_conn *db, const char *org_id, const char *integration_id, const mc_voicemail *v,
                       mc_counts *n);
int mc_store_contact(db_conn *db, const char *org_id, const char *integration_id, const mc_contact *c, mc_counts *n);

/* The org's IANA time zone if MariaDB knows it, else "+00:00". */
void mc_org_timezone(db_conn *db, const char *org_id, char out[64]);

/* Recompute call_reports_daily for every local day (in tz) that overlaps
 * [utc_from, utc_to] ("YYYY-MM-DD HH:MM:SS[.mmm]"), from the stored calls.
 * *rows = report rows computed, *created = rows that did not exist before,
 * *changed (may be NULL) = existing rows whose figures changed. */
int mc_reports_recompute(db_conn *db, const char *org_id, const char *tz, const char *utc_from, const char *utc_to,
                         long *rows, long *created, long *changed);
/* Same for local days [day_from, day_to] ("YYYY-MM-DD"). */
int mc_reports_recompute_days(db_conn *db, const char *org_id, const char *tz, const char *day_from,
                              const char *day_to, long *rows, long *created, long *changed);

/* phone_numbers.last_call_at from the stored calls of the org. */
int mc_store_refresh_last_call(db_conn *db, const char *org_id);

#endif
