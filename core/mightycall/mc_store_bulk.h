/* mc_store_bulk.h — the sync's bulk write path: a whole page of calls (with
 * their recordings) written with one statement per table, and the
 * data_counts_* counters of those rows maintained set-based per page instead
 * of by the per-row triggers (sql/030, 031).
 *
 * How a page is written (all inside the caller's page transaction):
 *   0. one probe (SELECT … FOR UPDATE, locking the page's rows until the
 *      commit) says which ids exist and which rows the upsert may move in
 *      the counters (new rows, rows whose counted columns differ);
 *   1. @vs_bulk_skip_counters = 1 for this session (the triggers skip);
 *   2. the current values of those rows go into the session's temporary
 *      delta table, per hour and dimension, with sign −1 (one INSERT …
 *      SELECT … GROUP BY);
 *   3. one INSERT … SELECT FROM JSON_TABLE(?) … ON DUPLICATE KEY UPDATE
 *      upserts every row of the page (the page is bound as one JSON text:
 *      fixed SQL, values never spliced); phone-number ids come from one
 *      derived table of the org's numbers joined on the page's numbers, the
 *      agent's user id from one of the org's extensions;
 *   4. their new values join the delta table (sign +1), and the net deltas
 *      are added to the hourly, daily and total counters (one statement
 *      each; buckets that net out to zero are not written);
 *   5. @vs_bulk_skip_counters = NULL again, also when a step failed.
 * Counts follow mc_store.h: affected rows (CLIENT_FOUND_ROWS) = new + 2 ×
 * changed + unchanged, with the page's existing ids known from the probe. */
#ifndef VS_MC_STORE_BULK_H
#define VS_MC_STORE_BULK_H

#include <stddef.h>

#include "platform/db.h"
#include "mightycall/mc_parse.h"
#include "mightycall/mc_store.h"

/* A page of GET /calls items: the calls (n_calls counted) and, for those with
 * callRecord, their recordings (n_rec counted). Duplicate ids within the page:
 * the first one counts. */
int mc_bulk_calls(db_conn *db, const char *org_id, const char *integration_id, const mc_call *calls, size_t count,
                  mc_counts *n_calls, mc_counts *n_rec);

/* The same in two steps: the page's bound texts built with no connection
 * (NULL when out of memory; any thread), then written in the caller's page
 * transaction. */
typedef struct mc_bulk_page mc_bulk_page;
mc_bulk_page *mc_bulk_calls_prepare(const mc_call *calls, size_t count);
int mc_bulk_calls_write(db_conn *db, const char *org_id, const char *integration_id, const mc_bulk_page *pg,
                        mc_counts *n_calls, mc_counts *n_rec);
void mc_bulk_page_free(mc_bulk_page *pg);


#endif
