/* db_test_mc_store.c — the upserts of core/mightycall/mc_store.c against a real
 * MariaDB (the test stack's, migrated): each record type inserts once, an
 * identical second upsert changes and duplicates nothing (mc_counts), a changed
 * record counts as updated, the retire functions mark what a sync no longer
 * lists, and calls / voicemails link to their phone number / call.
 *
 * Needs a database, so it is not one of the plain unit tests (name db_test_*,
 * which the unit loop of scripts/test-all.sh does not run): test-all.sh runs
 * it once the stack's MariaDB is migrated, as
 *   VS_CONFIG=$VS_CONF CREDENTIALS_DIRECTORY=$VS_SECRETS build/tests/unit/db_test_mc_store
 * Without VS_CONFIG it fails (exit 1) saying so; it never skips.
 *
 * Its rows belong to one org (and integration) made for the run with a fresh
 * UUID; deleting the org at the end removes them all (ON DELETE CASCADE). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mightycall/mc_store.h"
#include "mightycall/mc_store_bulk.h"
#include "platform/config.h"
#include "platform/db.h"
#include "db_check.h"

static vs_config cfg;
static db_conn *db;
static char org[40], integ[40];

/* ---- helpers -------------------------------------------------------------- */


/* First column of the first row, as an integer; params are strings. */
static long long q_int(const char *sql, const char *a, const char *b)
{
    db_param p[] = {DBP_STR(a), DBP_STR(b)};
    long long v = -1;
    CHECK_DB(db_query_int(db, sql, p, b ? 2 : 1, &v));
    return v;
}

/* Column `col` of the one row of sql as a string ("" for NULL); out holds 256. */
static const char *q_str(const char *sql, const char *a, const char *b, const char *col, char out[256])
{
    db_param p[] = {DBP_STR(a), DBP_STR(b)};
    json_t *row = NULL;
    CHECK_DB(db_query_row(db, sql, p, b ? 2 : 1, &row));
    if (!row)
        fail_msg("no row: %s", sql);
    const char *s = json_string_value(json_object_get(row, col));
    snprintf(out, 256, "%s", s ? s : "");
    json_decref(row);
    return out;
}

static long long rows_of(const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE org_id = ?", table);
    return q_int(sql, org, NULL);
}

#define ASSERT_COUNTS(n, syn, cre, upd)                                                                  \
    do {                                                                                                 \
        if ((n).synced != (syn) || (n).created != (cre) || (n).updated != (upd))                         \
            fail_msg("counts synced/created/updated = %ld/%ld/%ld, want %d/%d/%d", (n).synced, (n).created, \
                     (n).updated, (syn), (cre), (upd));                                                  \
    } while (0)

static mc_phone phone(const char *ext, const char *number, const char *label)
{
    mc_phone p;
    memset(&p, 0, sizeof p);
    snprintf(p.external_id, sizeof p.external_id, "%s", ext);
    snprintf(p.number, sizeof p.number, "%s", number);
    snprintf(p.label, sizeof p.label, "%s", label);
    snprintf(p.sms_mode, sizeof p.sms_mode, "enabled");
    p.enabled = p.may_text = p.may_call = true;
    return p;
}

static mc_user user(const char *id, const char *ext, const char *name)
{
    mc_user u;
    memset(&u, 0, sizeof u);
    snprintf(u.id, sizeof u.id, "%s", id);
    snprintf(u.extension, sizeof u.extension, "%s", ext);
    snprintf(u.full_name, sizeof u.full_name, "%s", name);
    snprintf(u.role, sizeof u.role, "agent");
    return u;
}

static mc_call call(const char *id, const char *business, const char *status, const char *started)
{
    mc_call c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", id);
    snprintf(c.business_number, sizeof c.business_number, "%s", business);
    snprintf(c.direction, sizeof c.direction, "inbound");
    snprintf(c.status, sizeof c.status, "%s", status);
    snprintf(c.caller_number, sizeof c.caller_number, "+13125550199");
    snprintf(c.called_number, sizeof c.called_number, "%s", business);
    snprintf(c.started_at, sizeof c.started_at, "%s", started);
    c.duration_s = 42;
    return c;
}

static mc_journal journal(const char *id, const char *external_id, mc_journal_type type, const char *business)
{
    mc_journal j;
    memset(&j, 0, sizeof j);
    snprintf(j.id, sizeof j.id, "%s", id);
    snprintf(j.external_id, sizeof j.external_id, "%s", external_id);
    j.type = type;
    snprintf(j.state, sizeof j.state, "%s", type == MC_J_CALL ? "missed" : "message");
    snprintf(j.direction, sizeof j.direction, "inbound");
    snprintf(j.client, sizeof j.client, "+13125550177");
    snprintf(j.business_number, sizeof j.business_number, "%s", business);
    snprintf(j.created, sizeof j.created, "2024-03-02 09:30:00.000");
    j.duration_s = 7;
    j.text = "";
    snprintf(j.delivery, sizeof j.delivery, "received");
    return j;
}

/* ---- setup: one org + integration of this run ----------------------------- */

static int group_setup(void **state)
{
    (void)state;
    char err[256] = "";
    if (config_load(&cfg, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "db_test_mc_store: configuration: %s\n", err);
        return -1;
    }
    db = db_open(&cfg);
    json_t *row = NULL;
    if (!db || db_query_row(db, "SELECT CAST(UUID() AS CHAR) AS o, CAST(UUID() AS CHAR) AS i", NULL, 0, &row) != DB_OK ||
        !row) {
        fprintf(stderr, "db_test_mc_store: cannot reach the database (%s)\n", db ? db_last_error(db) : "no memory");
        json_decref(row);
        return -1;
    }
    snprintf(org, sizeof org, "%s", json_string_value(json_object_get(row, "o")));
    snprintf(integ, sizeof integ, "%s", json_string_value(json_object_get(row, "i")));
    json_decref(row);
    char name[80];
    snprintf(name, sizeof name, "db-test-mc-store-%s", org);
    db_param o[] = {DBP_STR(org), DBP_STR(name), DBP_STR(name)};
    db_param i[] = {DBP_STR(integ), DBP_STR(org)};
    if (db_exec(db, "INSERT INTO orgs (id, name, slug) VALUES (?, ?, ?)", o, 3, NULL) != DB_OK ||
        db_exec(db,
                "INSERT INTO integrations (id, org_id, label, credentials_enc, key_fp, webhook_secret_enc) "
                "VALUES (?, ?, 'db_test_mc_store', 'v1:none', REPEAT('0', 64), 'v1:none')",
                i, 2, NULL) != DB_OK) {
        fprintf(stderr, "db_test_mc_store: creating the test org: %s (migrated?)\n", db_last_error(db));
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = 0;
    if (org[0]) {
        db_param p[] = {DBP_STR(org)};
        long long left = -1;
        if (db_exec(db, "DELETE FROM orgs WHERE id = ?", p, 1, NULL) != DB_OK ||
            db_query_int(db,
                         "SELECT (SELECT COUNT(*) FROM phone_numbers WHERE org_id = ?) + "
                         "(SELECT COUNT(*) FROM calls WHERE org_id = ?) + (SELECT COUNT(*) FROM integrations "
                         "WHERE org_id = ?)",
                         (db_param[]){p[0], p[0], p[0]}, 3, &left) != DB_OK ||
            left != 0) {
            fprintf(stderr, "db_test_mc_store: cleanup of org %s failed (%s)\n", org, db_last_error(db));
            rc = -1;
        }
    }
    db_close(db);
    return rc;
}

/* ---- phone numbers --------------------------------------------------------- */

static void test_phones(void **state)
{
    (void)state;
    mc_phone a = phone("ph-a", "+12125550101", "Main"), b = phone("ph-b", "+12125550102", "Support");
    mc_counts n = {0};
    CHECK_DB(mc_store_phone(db, org, integ, &a, &n));
    CHECK_DB(mc_store_phone(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 2, 0);
    assert_int_equal(rows_of("phone_numbers"), 2);

    /* the same page again: nothing new, nothing changed, no second row */
    n = (mc_counts){0};
    CHECK_DB(mc_store_phone(db, org, integ, &a, &n));
    CHECK_DB(mc_store_phone(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 0, 0);
    assert_int_equal(rows_of("phone_numbers"), 2);

    /* a changed label is an update of that row only */
    snprintf(b.label, sizeof b.label, "Support line");
    n = (mc_counts){0};
    CHECK_DB(mc_store_phone(db, org, integ, &a, &n));
    CHECK_DB(mc_store_phone(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 0, 1);
    char s[256];
    assert_string_equal(q_str("SELECT label FROM phone_numbers WHERE org_id = ? AND external_id = ?", org, "ph-b",
                              "label", s),
                        "Support line");
    assert_int_equal(rows_of("phone_numbers"), 2);

    /* a sync that lists only a: b becomes inactive, once */
    long affected = -1;
    CHECK_DB(mc_store_phones_retire(db, org, integ, "[\"ph-a\"]", &affected));
    assert_int_equal(affected, 1);
    assert_string_equal(q_str("SELECT status, deleted_upstream_at IS NOT NULL AS gone FROM phone_numbers "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "ph-b", "status", s),
                        "inactive");
    assert_int_equal(q_int("SELECT deleted_upstream_at IS NOT NULL FROM phone_numbers WHERE org_id = ? AND "
                           "external_id = ?",
                           org, "ph-b"),
                     1);
    assert_string_equal(q_str("SELECT status FROM phone_numbers WHERE org_id = ? AND external_id = ?", org, "ph-a",
                              "status", s),
                        "active");
    CHECK_DB(mc_store_phones_retire(db, org, integ, "[\"ph-a\"]", &affected));
    assert_int_equal(affected, 0);

    /* listed again: active again, and that is an update */
    n = (mc_counts){0};
    CHECK_DB(mc_store_phone(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    assert_int_equal(q_int("SELECT COUNT(*) FROM phone_numbers WHERE org_id = ? AND status = ? AND "
                           "deleted_upstream_at IS NULL",
                           org, "active"),
                     2);
}

/* ---- users / extensions ---------------------------------------------------- */

static void test_users(void **state)
{
    (void)state;
    mc_user a = user("u-a", "101", "Ann Agent"), b = user("u-b", "102", "Bob Agent");
    mc_counts n = {0};
    CHECK_DB(mc_store_user(db, org, integ, &a, &n));
    CHECK_DB(mc_store_user(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 2, 0);
    assert_int_equal(rows_of("extensions"), 2);

    n = (mc_counts){0};
    CHECK_DB(mc_store_user(db, org, integ, &a, &n));
    CHECK_DB(mc_store_user(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 0, 0);
    assert_int_equal(rows_of("extensions"), 2);

    snprintf(a.full_name, sizeof a.full_name, "Ann B. Agent");
    n = (mc_counts){0};
    CHECK_DB(mc_store_user(db, org, integ, &a, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    char s[256];
    assert_string_equal(q_str("SELECT display_name FROM extensions WHERE org_id = ? AND external_id = ?", org, "u-a",
                              "display_name", s),
                        "Ann B. Agent");

    /* the journal tells a new extension once */
    int changed = -1;
    CHECK_DB(mc_store_agent_extension(db, org, "u-b", "202", "bob@example.test", &changed));
    assert_int_equal(changed, 1);
    CHECK_DB(mc_store_agent_extension(db, org, "u-b", "202", "bob@example.test", &changed));
    assert_int_equal(changed, 0);
    assert_string_equal(q_str("SELECT extension FROM extensions WHERE org_id = ? AND external_id = ?", org, "u-b",
                              "extension", s),
                        "202");

    long affected = -1;
    CHECK_DB(mc_store_users_retire(db, org, integ, "[\"u-a\"]", &affected));
    assert_int_equal(affected, 1);
    assert_string_equal(q_str("SELECT status FROM extensions WHERE org_id = ? AND external_id = ?", org, "u-b",
                              "status", s),
                        "inactive");
    CHECK_DB(mc_store_users_retire(db, org, integ, "[\"u-a\"]", &affected));
    assert_int_equal(affected, 0);
    assert_int_equal(rows_of("extensions"), 2);
}

/* ---- calls and the journal -------------------------------------------------- */

static void test_calls(void **state)
{
    (void)state;
    char s[256], phone_id[256];
    mc_phone p = phone("ph-calls", "+12125550111", "Sales");
    mc_counts n = {0};
    CHECK_DB(mc_store_phone(db, org, integ, &p, &n));
    q_str("SELECT CAST(id AS CHAR) AS id FROM phone_numbers WHERE org_id = ? AND external_id = ?", org, "ph-calls",
          "id", phone_id);

    mc_call a = call("call-a", "+12125550111", "connected", "2024-03-01 10:00:00.000");
    mc_call b = call("call-b", "+12125550999", "missed", "2024-03-01 11:00:00.000"); /* no such number yet */
    long long before = rows_of("calls");
    n = (mc_counts){0};
    CHECK_DB(mc_store_call(db, org, integ, &a, &n));
    CHECK_DB(mc_store_call(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 2, 0);
    assert_int_equal(rows_of("calls"), before + 2);

    /* linked to the phone number of its business number */
    assert_string_equal(q_str("SELECT COALESCE(CAST(phone_number_id AS CHAR), '') AS p FROM calls WHERE org_id = ? "
                              "AND external_id = ?",
                              org, "call-a", "p", s),
                        phone_id);
    assert_string_equal(q_str("SELECT COALESCE(CAST(phone_number_id AS CHAR), '') AS p FROM calls WHERE org_id = ? "
                              "AND external_id = ?",
                              org, "call-b", "p", s),
                        "");

    n = (mc_counts){0};
    CHECK_DB(mc_store_call(db, org, integ, &a, &n));
    CHECK_DB(mc_store_call(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 2, 0, 0);
    assert_int_equal(rows_of("calls"), before + 2);

    /* the number appears later: the next upsert of b links it (an update) */
    mc_phone p2 = phone("ph-late", "+12125550999", "Late");
    CHECK_DB(mc_store_phone(db, org, integ, &p2, &n));
    n = (mc_counts){0};
    CHECK_DB(mc_store_call(db, org, integ, &b, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    assert_string_equal(q_str("SELECT COALESCE(CAST(c.phone_number_id AS CHAR), '') AS p FROM calls c WHERE "
                              "c.org_id = ? AND c.external_id = ?",
                              org, "call-b", "p", s),
                        q_str("SELECT CAST(id AS CHAR) AS id FROM phone_numbers WHERE org_id = ? AND external_id = ?",
                              org, "ph-late", "id", phone_id));

    /* a changed status and duration are an update */
    snprintf(a.status, sizeof a.status, "dropped");
    a.duration_s = 50;
    n = (mc_counts){0};
    CHECK_DB(mc_store_call(db, org, integ, &a, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    assert_int_equal(q_int("SELECT duration_seconds FROM calls WHERE org_id = ? AND external_id = ?", org, "call-a"),
                     50);
    assert_string_equal(q_str("SELECT status FROM calls WHERE org_id = ? AND external_id = ?", org, "call-a", "status",
                              s),
                        "dropped");

    /* journal: a call the calls API did not list is new; one it did is only
     * enriched (agent), keeping the calls API's status, and not counted */
    mc_journal jn = journal("jr-new", "call-j", MC_J_CALL, "+12125550111");
    mc_journal je = journal("jr-a", "call-a", MC_J_CALL, "+12125550111");
    snprintf(je.agent_id, sizeof je.agent_id, "u-a");
    n = (mc_counts){0};
    CHECK_DB(mc_store_journal_call(db, org, integ, &jn, &n));
    CHECK_DB(mc_store_journal_call(db, org, integ, &je, &n));
    ASSERT_COUNTS(n, 1, 1, 0);
    assert_int_equal(rows_of("calls"), before + 3);
    assert_string_equal(q_str("SELECT CONCAT(status, '/', agent_external_id, '/', journal_id) AS v FROM calls "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "call-a", "v", s),
                        "dropped/u-a/jr-a");
    char want[300];
    snprintf(want, sizeof want, "journal/missed/%s",
             q_str("SELECT CAST(id AS CHAR) AS id FROM phone_numbers WHERE org_id = ? AND external_id = ?", org,
                   "ph-calls", "id", phone_id));
    assert_string_equal(q_str("SELECT CONCAT(source, '/', status, '/', CAST(phone_number_id AS CHAR)) AS v FROM calls "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "call-j", "v", s),
                        want);
    n = (mc_counts){0};
    CHECK_DB(mc_store_journal_call(db, org, integ, &jn, &n));
    ASSERT_COUNTS(n, 0, 0, 0);
    assert_int_equal(rows_of("calls"), before + 3);

    /* last_call_at of a number = its latest stored call */
    CHECK_DB(mc_store_refresh_last_call(db, org));
    assert_string_equal(q_str("SELECT CAST(last_call_at AS CHAR) AS t FROM phone_numbers WHERE org_id = ? AND "
                              "external_id = ?",
                              org, "ph-calls", "t", s),
                        "2024-03-02 09:30:00.000");
}

/* The journal ↔ call rule when requestGuid is not the call id: matched by
 * business number + client + start within ±2 s, never stored twice; a
 * journal-only row stored first is merged into the call once it is listed. */
static void test_journal_identity(void **state)
{
    (void)state;
    const char *bn = "+12125550222";
    char s[256];
    mc_call x = call("call-x", bn, "connected", "2024-04-01 10:00:00.000");
    mc_call y = call("call-y", bn, "connected", "2024-04-01 11:00:00.000");
    mc_counts n = {0};
    CHECK_DB(mc_store_call(db, org, integ, &x, &n));
    CHECK_DB(mc_store_call(db, org, integ, &y, &n));
    long long before = rows_of("calls");

    mc_journal jx = journal("jr-x", "guid-x", MC_J_CALL, bn);
    snprintf(jx.client, sizeof jx.client, "%s", x.caller_number);
    snprintf(jx.created, sizeof jx.created, "2024-04-01 10:00:01.500");
    snprintf(jx.agent_id, sizeof jx.agent_id, "u-x");
    n = (mc_counts){0};
    CHECK_DB(mc_store_journal_call(db, org, integ, &jx, &n));
    ASSERT_COUNTS(n, 0, 0, 0);
    assert_int_equal(rows_of("calls"), before);
    assert_string_equal(q_str("SELECT CONCAT(status, '/', agent_external_id, '/', journal_id) AS v FROM calls "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "call-x", "v", s),
                        "connected/u-x/jr-x");
    CHECK_DB(mc_store_journal_call(db, org, integ, &jx, &n)); /* a re-read changes nothing */
    assert_int_equal(rows_of("calls"), before);

    /* 3 s off: not the same call */
    mc_journal jf = journal("jr-far", "guid-far", MC_J_CALL, bn);
    snprintf(jf.client, sizeof jf.client, "%s", y.caller_number);
    snprintf(jf.created, sizeof jf.created, "2024-04-01 11:00:03.000");
    n = (mc_counts){0};
    CHECK_DB(mc_store_journal_call(db, org, integ, &jf, &n));
    ASSERT_COUNTS(n, 1, 1, 0);
    assert_int_equal(rows_of("calls"), before + 1);
    assert_int_equal(q_int("SELECT journal_id IS NULL FROM calls WHERE org_id = ? AND external_id = ?", org, "call-y"),
                     1);

    /* journal first (a call of its own), then the calls API lists it under
     * its id: the next journal pass merges the two */
    mc_journal jz = journal("jr-z", "guid-z", MC_J_CALL, bn);
    snprintf(jz.client, sizeof jz.client, "%s", x.caller_number);
    snprintf(jz.created, sizeof jz.created, "2024-04-01 12:00:00.800");
    snprintf(jz.agent_id, sizeof jz.agent_id, "u-z");
    CHECK_DB(mc_store_journal_call(db, org, integ, &jz, &n));
    assert_int_equal(rows_of("calls"), before + 2);
    mc_call z = call("call-z", bn, "connected", "2024-04-01 12:00:00.000");
    CHECK_DB(mc_store_call(db, org, integ, &z, &n));
    assert_int_equal(rows_of("calls"), before + 3);
    CHECK_DB(mc_store_journal_call(db, org, integ, &jz, &n));
    assert_int_equal(rows_of("calls"), before + 2);
    assert_int_equal(q_int("SELECT COUNT(*) FROM calls WHERE org_id = ? AND external_id = ?", org, "guid-z"), 0);
    assert_string_equal(q_str("SELECT CONCAT(source, '/', agent_external_id, '/', journal_id) AS v FROM calls "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "call-z", "v", s),
                        "calls/u-z/jr-z");
}

/* A page with the known-id set (mc_known_load) counts like the probe per row,
 * also when an id repeats within the page. */
static void test_calls_known_page(void **state)
{
    (void)state;
    mc_call a = call("call-k1", "+12125550111", "connected", "2024-03-03 08:00:00.000");
    mc_counts n = {0};
    CHECK_DB(mc_store_call(db, org, integ, &a, &n));
    mc_call b = call("call-k2", "+12125550111", "missed", "2024-03-03 08:05:00.000");
    json_t *ids = json_pack("[ss]", "call-k1", "call-k2");
    int rc = -1;
    n = (mc_counts){0};
    n.known = mc_known_load(db, "calls", org, ids, &rc);
    json_decref(ids);
    assert_int_equal(rc, DB_OK);
    assert_non_null(n.known);
    snprintf(a.status, sizeof a.status, "missed");
    CHECK_DB(mc_store_call(db, org, integ, &a, &n));
    CHECK_DB(mc_store_call(db, org, integ, &b, &n));
    CHECK_DB(mc_store_call(db, org, integ, &b, &n));
    mc_known_free(n.known);
    ASSERT_COUNTS(n, 3, 1, 1);
    assert_int_equal(q_int("SELECT COUNT(*) FROM calls WHERE org_id = ? AND external_id LIKE ?", org, "call-k%"), 2);
}

/* ---- the bulk page writers (mc_store_bulk.c) ------------------------------ */

/* The org's call counters against its rows: 'call' hourly/daily/total and
 * 'call_all' totals add up to COUNT(*) and the connected calls. */
static void assert_call_counters_exact(void)
{
    const char *sql[] = {
        "SELECT (SELECT COALESCE(SUM(n), 0) FROM data_counts_hourly WHERE org_id = ? AND kind = 'call') - "
        "(SELECT COUNT(*) FROM calls WHERE org_id = ?)",
        "SELECT (SELECT COALESCE(SUM(answered), 0) FROM data_counts_daily WHERE org_id = ? AND kind = 'agent') - "
        "(SELECT COUNT(*) FROM calls WHERE org_id = ? AND status = 'connected')",
        "SELECT (SELECT COALESCE(SUM(dur_sum), 0) FROM data_counts_total WHERE org_id = ? AND kind = 'call_all') - "
        "(SELECT COALESCE(SUM(duration_seconds), 0) FROM calls WHERE org_id = ?)",
        "SELECT (SELECT COALESCE(SUM(n), 0) FROM data_counts_total WHERE org_id = ? AND kind = 'recording') - "
        "(SELECT COUNT(*) FROM recordings WHERE org_id = ?)",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        long long d = q_int(sql[i], org, org);
        if (d != 0)
            fail_msg("counters off by %lld: %s", d, sql[i]);
    }
}

static void test_bulk_calls(void **state)
{
    (void)state;
    char s[256], phone_id[256];
    mc_phone p = phone("ph-bulk", "+12125550333", "Bulk");
    mc_counts n = {0}, r = {0};
    CHECK_DB(mc_store_phone(db, org, integ, &p, &n));
    q_str("SELECT CAST(id AS CHAR) AS id FROM phone_numbers WHERE org_id = ? AND external_id = ?", org, "ph-bulk",
          "id", phone_id);
    mc_call page[3] = {call("bulk-1", "+12125550333", "connected", "2024-04-01 10:00:00.000"),
                       call("bulk-2", "+12125550444", "missed", "2024-04-01 23:59:00.000"),
                       call("bulk-1", "+12125550333", "connected", "2024-04-01 10:00:00.000")};
    snprintf(page[0].recording_url, sizeof page[0].recording_url, "https://rec.example.test/bulk-1.wav");
    snprintf(page[0].extension, sizeof page[0].extension, "101");
    long long before = rows_of("calls");
    n = (mc_counts){0};
    CHECK_DB(mc_bulk_calls(db, org, integ, page, 3, &n, &r));
    ASSERT_COUNTS(n, 2, 2, 0); /* the repeated id counts once */
    ASSERT_COUNTS(r, 1, 1, 0);
    assert_int_equal(rows_of("calls"), before + 2);
    assert_string_equal(q_str("SELECT COALESCE(CAST(phone_number_id AS CHAR), '') AS p FROM calls WHERE org_id = ? "
                              "AND external_id = ?",
                              org, "bulk-1", "p", s),
                        phone_id);
    assert_string_equal(q_str("SELECT CONCAT(COALESCE(recording_url, '-'), '/', ended_at) AS v FROM calls WHERE "
                              "org_id = ? AND external_id = ?",
                              org, "bulk-1", "v", s),
                        "https://rec.example.test/bulk-1.wav/2024-04-01 10:00:42.000");
    assert_int_equal(q_int("SELECT COUNT(*) FROM recordings r JOIN calls c ON c.id = r.call_id WHERE r.org_id = ? "
                           "AND r.external_id = ?",
                           org, "bulk-1"),
                     1);
    long long cleared = 0; /* the triggers count this connection's other writes again */
    CHECK_DB(db_query_int(db, "SELECT @vs_bulk_skip_counters IS NULL", NULL, 0, &cleared));
    assert_int_equal(cleared, 1);
    assert_call_counters_exact();

    /* the same page again: nothing new, nothing updated */
    n = r = (mc_counts){0};
    CHECK_DB(mc_bulk_calls(db, org, integ, page, 2, &n, &r));
    ASSERT_COUNTS(n, 2, 0, 0);
    ASSERT_COUNTS(r, 1, 0, 0);
    assert_int_equal(rows_of("calls"), before + 2);

    /* a changed call: one update; its counters move (status, hour and day) */
    snprintf(page[1].status, sizeof page[1].status, "connected");
    snprintf(page[1].started_at, sizeof page[1].started_at, "2024-04-02 00:30:00.000");
    page[0].duration_s = 99;
    n = r = (mc_counts){0};
    CHECK_DB(mc_bulk_calls(db, org, integ, page, 2, &n, &r));
    ASSERT_COUNTS(n, 2, 0, 2);
    ASSERT_COUNTS(r, 1, 0, 1);
    assert_call_counters_exact();
    assert_int_equal(q_int("SELECT COALESCE(SUM(n), 0) FROM data_counts_daily WHERE org_id = ? AND kind = 'call' "
                           "AND bucket = '2024-04-01' AND number = ?",
                           org, "+12125550444"),
                     0);

    /* the agent's user id comes from the extensions map (no journal read):
     * a new call with extension 205 gets u-bulk, one without an extension none */
    mc_user u = user("u-bulk", "", "Bulk Agent");
    n = (mc_counts){0};
    CHECK_DB(mc_store_user(db, org, integ, &u, &n));
    int changed = 0;
    CHECK_DB(mc_store_agent_extension(db, org, "u-bulk", "205", NULL, &changed));
    mc_call more[2] = {call("bulk-3", "+12125550333", "connected", "2024-04-03 09:00:00.000"),
                       call("bulk-4", "+12125550333", "missed", "2024-04-03 09:05:00.000")};
    snprintf(more[0].extension, sizeof more[0].extension, "205");
    n = r = (mc_counts){0};
    CHECK_DB(mc_bulk_calls(db, org, integ, more, 2, &n, &r));
    ASSERT_COUNTS(n, 2, 2, 0);
    assert_string_equal(q_str("SELECT CONCAT(COALESCE(agent_external_id, '-'), '/', extension) AS v FROM calls "
                              "WHERE org_id = ? AND external_id = ?",
                              org, "bulk-3", "v", s),
                        "u-bulk/205");
    assert_int_equal(q_int("SELECT agent_external_id IS NULL FROM calls WHERE org_id = ? AND external_id = ?", org,
                           "bulk-4"),
                     1);
    n = r = (mc_counts){0};
    CHECK_DB(mc_bulk_calls(db, org, integ, more, 2, &n, &r));
    ASSERT_COUNTS(n, 2, 0, 0);
    assert_int_equal(rows_of("calls"), before + 4);
    assert_call_counters_exact();
}

/* ---- voicemails ------------------------------------------------------------ */

static void test_voicemails(void **state)
{
    (void)state;
    mc_call c = call("call-vm", "+12125550111", "voicemail", "2024-03-04 12:00:00.000");
    mc_counts n = {0};
    CHECK_DB(mc_store_call(db, org, integ, &c, &n));
    mc_voicemail v;
    memset(&v, 0, sizeof v);
    snprintf(v.id, sizeof v.id, "vm-1");
    snprintf(v.from, sizeof v.from, "%s", c.caller_number);
    snprintf(v.to, sizeof v.to, "+12125550111");
    snprintf(v.assigned_to, sizeof v.assigned_to, "Sales box");
    snprintf(v.received_at, sizeof v.received_at, "%s", c.started_at);
    v.duration_s = 12;
    snprintf(v.status, sizeof v.status, "unread");
    snprintf(v.url, sizeof v.url, "http://127.0.0.1/vm-1.mp3");

    n = (mc_counts){0};
    CHECK_DB(mc_store_voicemail(db, org, integ, &v, &n));
    ASSERT_COUNTS(n, 1, 1, 0);
    n = (mc_counts){0};
    CHECK_DB(mc_store_voicemail(db, org, integ, &v, &n));
    ASSERT_COUNTS(n, 1, 0, 0);
    assert_int_equal(rows_of("voicemails"), 1);
    /* linked to the voicemail call of the same caller, number and time */
    assert_int_equal(q_int("SELECT COUNT(*) FROM voicemails v JOIN calls c ON c.id = v.call_id WHERE v.org_id = ? "
                           "AND c.external_id = ?",
                           org, "call-vm"),
                     1);

    snprintf(v.status, sizeof v.status, "read");
    n = (mc_counts){0};
    CHECK_DB(mc_store_voicemail(db, org, integ, &v, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    char s[256];
    assert_string_equal(q_str("SELECT status FROM voicemails WHERE org_id = ? AND external_id = ?", org, "vm-1",
                              "status", s),
                        "read");
    assert_int_equal(rows_of("voicemails"), 1);
}

/* ---- SMS messages ------------------------------------------------------------ */

static void test_messages(void **state)
{
    (void)state;
    mc_journal m = journal("jr-m1", "msg-1", MC_J_MESSAGE, "+12125550111");
    m.text = "hello from the test";
    snprintf(m.direction, sizeof m.direction, "outbound");
    snprintf(m.delivery, sizeof m.delivery, "sent");
    mc_counts n = {0};
    CHECK_DB(mc_store_sms(db, org, integ, &m, &n));
    ASSERT_COUNTS(n, 1, 1, 0);
    n = (mc_counts){0};
    CHECK_DB(mc_store_sms(db, org, integ, &m, &n));
    ASSERT_COUNTS(n, 1, 0, 0);
    assert_int_equal(rows_of("sms_messages"), 1);

    snprintf(m.delivery, sizeof m.delivery, "delivered");
    n = (mc_counts){0};
    CHECK_DB(mc_store_sms(db, org, integ, &m, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    char s[256];
    assert_string_equal(q_str("SELECT CONCAT(status, '/', body) AS v FROM sms_messages WHERE org_id = ? AND "
                              "external_id = ?",
                              org, "msg-1", "v", s),
                        "delivered/hello from the test");
    assert_int_equal(rows_of("sms_messages"), 1);
}

/* ---- contacts ---------------------------------------------------------------- */

static void test_contacts(void **state)
{
    (void)state;
    mc_contact c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "ct-1");
    snprintf(c.etag, sizeof c.etag, "e1");
    snprintf(c.first_name, sizeof c.first_name, "Cara");
    snprintf(c.last_name, sizeof c.last_name, "Contact");
    snprintf(c.display_name, sizeof c.display_name, "Cara Contact");
    snprintf(c.phone, sizeof c.phone, "+13125550155");
    snprintf(c.created, sizeof c.created, "2024-01-01 00:00:00.000");
    snprintf(c.updated, sizeof c.updated, "2024-01-02 00:00:00.000");
    json_t *tags = json_pack("[s]", "vip");
    c.tags = tags;

    mc_counts n = {0};
    CHECK_DB(mc_store_contact(db, org, integ, &c, &n));
    ASSERT_COUNTS(n, 1, 1, 0);
    n = (mc_counts){0};
    CHECK_DB(mc_store_contact(db, org, integ, &c, &n));
    ASSERT_COUNTS(n, 1, 0, 0);
    assert_int_equal(rows_of("contacts"), 1);

    snprintf(c.etag, sizeof c.etag, "e2");
    snprintf(c.last_name, sizeof c.last_name, "Changed");
    snprintf(c.updated, sizeof c.updated, "2024-01-03 00:00:00.000");
    n = (mc_counts){0};
    CHECK_DB(mc_store_contact(db, org, integ, &c, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    char s[256];
    assert_string_equal(q_str("SELECT CONCAT(etag, '/', last_name) AS v FROM contacts WHERE org_id = ? AND "
                              "external_id = ?",
                              org, "ct-1", "v", s),
                        "e2/Changed");

    /* deleted upstream: the row stays, marked */
    c.deleted = true;
    n = (mc_counts){0};
    CHECK_DB(mc_store_contact(db, org, integ, &c, &n));
    ASSERT_COUNTS(n, 1, 0, 1);
    assert_int_equal(q_int("SELECT deleted_at IS NOT NULL FROM contacts WHERE org_id = ? AND external_id = ?", org,
                           "ct-1"),
                     1);
    assert_int_equal(rows_of("contacts"), 1);
    json_decref(tags);
}

/* db_exec_array: rows × parameters in one execute, NULLs by indicator, one
 * type per column. */
static void test_db_exec_array(void **state)
{
    (void)state;
    CHECK_DB(db_exec(db, "CREATE TEMPORARY TABLE IF NOT EXISTS t_array (k BIGINT, s VARCHAR(16), v BIGINT)", NULL, 0,
                     NULL));
    CHECK_DB(db_exec(db, "DELETE FROM t_array", NULL, 0, NULL));
    db_param rows[] = {DBP_INT(1), DBP_STR("a"), DBP_NULL,   /* */
                       DBP_INT(2), DBP_NULL,     DBP_INT(5), /* */
                       DBP_INT(3), DBP_STR("c"), DBP_INT(7)};
    unsigned long long affected = 0;
    CHECK_DB(db_exec_array(db, "INSERT INTO t_array (k, s, v) VALUES (?, ?, ?)", rows, 3, 3, &affected));
    assert_int_equal(affected, 3);
    char out[256];
    assert_string_equal(q_str("SELECT CONCAT(COUNT(*), '/', SUM(k), '/', COUNT(s), '/', GROUP_CONCAT(s ORDER BY k), "
                              "'/', SUM(v), '/', COUNT(v)) AS v FROM t_array WHERE ? <> ?",
                              "x", "y", "v", out),
                        "3/6/2/a,c/12/2");
    /* a plain statement on the same connection afterwards binds singly again */
    assert_int_equal(q_int("SELECT COUNT(*) FROM t_array WHERE s = ? OR s = ?", "a", "c"), 2);
    /* no rows: nothing sent */
    CHECK_DB(db_exec_array(db, "INSERT INTO t_array (k, s, v) VALUES (?, ?, ?)", rows, 3, 0, &affected));
    assert_int_equal(affected, 0);
    /* a column with two types is refused before anything is sent */
    db_param mixed[] = {DBP_INT(4), DBP_STR("d"), DBP_INT(1), DBP_STR("5"), DBP_STR("e"), DBP_INT(1)};
    assert_int_equal(db_exec_array(db, "INSERT INTO t_array (k, s, v) VALUES (?, ?, ?)", mixed, 3, 2, NULL), DB_ERROR);
    assert_int_equal(q_int("SELECT COUNT(*) FROM t_array WHERE k > ? OR s = ?", "3", "d"), 0);
    CHECK_DB(db_exec(db, "DROP TEMPORARY TABLE t_array", NULL, 0, NULL));
}

int main(void)
{
    if (!getenv("VS_CONFIG") || !*getenv("VS_CONFIG")) {
        fprintf(stderr, "db_test_mc_store: FAILED: VS_CONFIG is not set. This test needs the test stack's MariaDB "
                        "(migrated): run it as VS_CONFIG=$VS_CONF CREDENTIALS_DIRECTORY=$VS_SECRETS %s after "
                        "`source scripts/env.sh PROFILE` and `scripts/stack.sh db-start PROFILE` + migrate "
                        "(scripts/test-all.sh does).\n",
                "build/tests/unit/db_test_mc_store");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phones),   cmocka_unit_test(test_users),      cmocka_unit_test(test_calls),
        cmocka_unit_test(test_calls_known_page), cmocka_unit_test(test_bulk_calls),
        cmocka_unit_test(test_voicemails), cmocka_unit_test(test_messages),
        cmocka_unit_test(test_contacts), cmocka_unit_test(test_journal_identity),
        cmocka_unit_test(test_db_exec_array),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
