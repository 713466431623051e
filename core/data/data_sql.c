/* data_sql.c — owns the SQL text of the call-data API and its EXPLAIN catalog.
 * Conventions: "(? IS NULL OR col = ?)" for optional filters (bound twice);
 * time-series lists are ordered newest first by (time, id) and page by keyset
 * "(? IS NULL OR t < ? OR (t = ? AND id < ?))"; totals come from the counters
 * of sql/030 plus exact counts of the partial hours at the range edges. */
#include "data/data_sql.h"

#include <stddef.h>

/* ------------------------------------------------------------------ lists */

#define TS_CURSOR(t, id) " AND (? IS NULL OR " t " < ? OR (" t " = ? AND " id " < CAST(? AS UUID)))"
#define TS_POS(t) "DATE_FORMAT(" t ", '%Y-%m-%d %H:%i:%s.%f') AS _pos"
#define OPT_EQ(col) " AND (? IS NULL OR " col " = ?)"
#define OPT_NONE " AND (? IS NULL OR '' = ?)" /* a filter slot this table does not have (never bound) */

/* Each time-series list exists once per driving index (FORCE INDEX): left
 * to itself, MariaDB 10.11 prefers "ref" on org_id over the longer range of
 * the same index when both estimate alike, and then reads backwards from the
 * newest row to the cursor — a full scan of the org at depth. Forcing the
 * index makes the (org_id[, filter], time, id) range the only access. The
 * code picks the variant from the filters given (dl_series in data_list.c). */
#define CALLS_COLS                                                                                              \
    "SELECT c.id, c.business_number AS phone_number, c.caller_name, c.duration_seconds, c.status, "                  \
    "c.call_type AS type, c.started_at AS date, c.direction, c.caller_number, c.called_number, c.extension, "        \
    "c.agent_name AS agent, c.agent_user_id, c.phone_number_id, c.recording_url, c.queue_wait_seconds, c.ended_at, "
#define CALLS_LIST(ix) CALLS_LIST_X(ix, "")
#define CALLS_LIST_X(ix, extra)                                                                                               \
    CALLS_COLS TS_POS("c.started_at") extra                                                                                           \
    " FROM calls c FORCE INDEX (" ix ") WHERE c.org_id = ? AND c.started_at >= ? AND c.started_at < ?"               \
    OPT_EQ("c.business_number") OPT_EQ("c.direction") OPT_EQ("c.status") OPT_EQ("c.call_type")                      \
    TS_CURSOR("c.started_at", "c.id")                                                                                \
    " ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?"

static const char DSQL_CALLS_LIST_T[] = CALLS_LIST("calls_org_started");
static const char DSQL_CALLS_LIST_N[] = CALLS_LIST("calls_org_business");
static const char DSQL_CALLS_LIST_D1[] = CALLS_LIST("calls_org_direction");
static const char DSQL_CALLS_LIST_D2[] = CALLS_LIST("calls_org_status");
static const char DSQL_CALLS_LIST_TY[] = CALLS_LIST("calls_org_type");
const char *const DSQL_CALLS_LIST[5] = {DSQL_CALLS_LIST_T, DSQL_CALLS_LIST_N, DSQL_CALLS_LIST_D1, DSQL_CALLS_LIST_D2, DSQL_CALLS_LIST_TY};

#define SMS_LIST(ix) SMS_LIST_X(ix, "")
#define SMS_LIST_X(ix, extra)                                                                                             \
    "SELECT s.id, s.business_number AS phone_number, s.direction, s.body AS message, "                           \
    "IF(s.direction = 'inbound', s.contact_number, s.business_number) AS sender, "                               \
    "IF(s.direction = 'inbound', s.business_number, s.contact_number) AS recipient, "                            \
    "s.contact_number, s.status, s.failure_reason, s.extension, s.sent_by_user_id, s.thread_id, s.read_at, "     \
    "s.attachments AS attachments__json, s.source, s.sent_at AS date, "                                          \
    "(SELECT k.display_name FROM contacts k FORCE INDEX (contacts_org_phone_live) WHERE k.org_id = s.org_id "          \
    "AND k.primary_phone = s.contact_number AND k.deleted_at IS NULL ORDER BY k.updated_at DESC LIMIT 1) "         \
    "AS contact_name, "                                                                                          \
    TS_POS("s.sent_at") extra                                                                                          \
    " FROM sms_messages s FORCE INDEX (" ix ") WHERE s.org_id = ? AND s.sent_at >= ? AND s.sent_at < ?"          \
    OPT_EQ("s.business_number") OPT_EQ("s.direction") OPT_EQ("s.status") OPT_NONE                               \
    TS_CURSOR("s.sent_at", "s.id")                                                                               \
    " ORDER BY s.sent_at DESC, s.id DESC LIMIT ? OFFSET ?"

static const char DSQL_SMS_LIST_T[] = SMS_LIST("sms_messages_org_sent");
static const char DSQL_SMS_LIST_N[] = SMS_LIST("sms_messages_org_business");
static const char DSQL_SMS_LIST_D1[] = SMS_LIST("sms_messages_org_direction");
const char *const DSQL_SMS_LIST[5] = {DSQL_SMS_LIST_T, DSQL_SMS_LIST_N, DSQL_SMS_LIST_D1, NULL, NULL};

#define RECORDINGS_LIST(ix) RECORDINGS_LIST_X(ix, "")
#define RECORDINGS_LIST_X(ix, extra)                                                                                          \
    "SELECT r.id, r.call_id, r.business_number AS phone_number, r.duration_seconds, r.url, r.recorded_at AS date, " \
    "r.caller_number, r.direction, r.extension, r.file_name, "                                                      \
    "IF(r.direction = 'outbound', COALESCE(c.called_number, NULLIF(r.caller_number, r.business_number)), "          \
    "r.caller_number) AS other_number, c.agent_name AS agent, c.agent_user_id, "                                    \
    "CONCAT('/api/orgs/', r.org_id, '/recordings/', r.id, '/audio') AS audio_url, "                                 \
    TS_POS("r.recorded_at") extra                                                                                          \
    " FROM recordings r FORCE INDEX (" ix ") LEFT JOIN calls c ON c.id = r.call_id AND c.org_id = r.org_id"         \
    " WHERE r.org_id = ? AND r.recorded_at >= ? AND r.recorded_at < ?"       \
    OPT_EQ("r.business_number") OPT_EQ("r.direction") OPT_NONE OPT_NONE                                             \
    TS_CURSOR("r.recorded_at", "r.id")                                                                               \
    " ORDER BY r.recorded_at DESC, r.id DESC LIMIT ? OFFSET ?"

static const char DSQL_RECORDINGS_LIST_T[] = RECORDINGS_LIST("recordings_org_recorded");
static const char DSQL_RECORDINGS_LIST_N[] = RECORDINGS_LIST("recordings_org_business");
const char *const DSQL_RECORDINGS_LIST[5] = {DSQL_RECORDINGS_LIST_T, DSQL_RECORDINGS_LIST_N, NULL, NULL, NULL};

#define VOICEMAILS_LIST(ix) VOICEMAILS_LIST_X(ix, "")
#define VOICEMAILS_LIST_X(ix, extra)                                                                                      \
    "SELECT v.id, v.call_id, v.to_number AS phone_number, v.from_number AS caller_number, v.assigned_to, "       \
    "v.duration_seconds, v.status, v.recording_url AS url, v.transcription, v.received_at AS date, "             \
    "IF(v.recording_url IS NULL, NULL, CONCAT('/api/orgs/', v.org_id, '/voicemails/', v.id, '/audio')) AS audio_url, " \
    TS_POS("v.received_at") extra                                                                                      \
    " FROM voicemails v FORCE INDEX (" ix ") WHERE v.org_id = ? AND v.received_at >= ? AND v.received_at < ?"    \
    OPT_EQ("v.to_number") OPT_NONE OPT_EQ("v.status") OPT_NONE                                                   \
    TS_CURSOR("v.received_at", "v.id")                                                                           \
    " ORDER BY v.received_at DESC, v.id DESC LIMIT ? OFFSET ?"

static const char DSQL_VOICEMAILS_LIST_T[] = VOICEMAILS_LIST("voicemails_org_received");
static const char DSQL_VOICEMAILS_LIST_N[] = VOICEMAILS_LIST("voicemails_org_to");
static const char DSQL_VOICEMAILS_LIST_D2[] = VOICEMAILS_LIST("voicemails_org_status");
const char *const DSQL_VOICEMAILS_LIST[5] = {DSQL_VOICEMAILS_LIST_T, DSQL_VOICEMAILS_LIST_N, NULL, DSQL_VOICEMAILS_LIST_D2, NULL};

/* Calls with one customer (sql/081). By number: the exact E.164 number on
 * calls_org_customer, ordered by the index like the other lists. By name: the
 * ids of inbound calls whose caller_name starts so (calls_org_caller_name)
 * united with the calls of every contact whose display, first or last name
 * starts so (its number on calls_org_customer); only the matches are sorted.
 * Both: the total's parameters, the list's, cursor 4, limit, offset; the
 * filter slots are those of the calls list (number, direction, status, type). */
#define CALLS_DIMS(a) OPT_EQ(a ".business_number") OPT_EQ(a ".direction") OPT_EQ(a ".status") OPT_EQ(a ".call_type")
#define CUSTOMER_NUMBER_WHERE                                                                                     \
    " FROM calls c FORCE INDEX (calls_org_customer) WHERE c.org_id = ? AND c.customer_number = ? "              \
    "AND c.started_at >= ? AND c.started_at < ?" CALLS_DIMS("c")
static const char DSQL_CALLS_CUSTOMER_NUMBER_TOTAL[] = "SELECT COUNT(*) AS total" CUSTOMER_NUMBER_WHERE;
static const char DSQL_CALLS_CUSTOMER_NUMBER_PAGE[] =
    CALLS_COLS TS_POS("c.started_at") ", (SELECT COUNT(*) FROM calls x FORCE INDEX (calls_org_customer) "
    "WHERE x.org_id = ? AND x.customer_number = ? AND x.started_at >= ? AND x.started_at < ?" CALLS_DIMS("x")
    ") AS _total" CUSTOMER_NUMBER_WHERE TS_CURSOR("c.started_at", "c.id")
    " ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?";
/* 26 parameters: org, name x3, from, to, dims 8; org, name, from, to, dims 8 */
#define CUSTOMER_NAME_IDS                                                                                         \
    "SELECT y.id FROM contacts k JOIN calls y FORCE INDEX (calls_org_customer) ON y.org_id = k.org_id "          \
    "AND y.customer_number = k.primary_phone WHERE k.org_id = ? AND k.deleted_at IS NULL "                       \
    "AND (k.display_name LIKE ? OR k.first_name LIKE ? OR k.last_name LIKE ?) "                                   \
    "AND y.started_at >= ? AND y.started_at < ?" CALLS_DIMS("y") " UNION "                                       \
    "SELECT z.id FROM calls z FORCE INDEX (calls_org_caller_name) WHERE z.org_id = ? AND z.caller_name LIKE ? "  \
    "AND z.direction <> 'outbound' AND z.started_at >= ? AND z.started_at < ?" CALLS_DIMS("z")
static const char DSQL_CALLS_CUSTOMER_NAME_TOTAL[] = "SELECT COUNT(*) AS total FROM (" CUSTOMER_NAME_IDS ") m";
static const char DSQL_CALLS_CUSTOMER_NAME_PAGE[] =
    CALLS_COLS TS_POS("c.started_at") ", (SELECT COUNT(*) FROM (" CUSTOMER_NAME_IDS ") m2) AS _total "
    "FROM (" CUSTOMER_NAME_IDS ") m JOIN calls c ON c.id = m.id WHERE 1 = 1" TS_CURSOR("c.started_at", "c.id")
    " ORDER BY c.started_at DESC, c.id DESC LIMIT ? OFFSET ?";
const char *const DSQL_CALLS_CUSTOMER_NUMBER[2] = {DSQL_CALLS_CUSTOMER_NUMBER_PAGE, DSQL_CALLS_CUSTOMER_NUMBER_TOTAL};
const char *const DSQL_CALLS_CUSTOMER_NAME[2] = {DSQL_CALLS_CUSTOMER_NAME_PAGE, DSQL_CALLS_CUSTOMER_NAME_TOTAL};

/* ------------------------------------------------------------------ totals */

#define DC_TYPE_EXPR                                                                                                \
    "(CASE WHEN d1 = 'outbound' THEN 'outbound' WHEN d2 IN ('connected', 'ringing', 'in_progress') THEN 'inbound' " \
    "ELSE 'missed' END)"
#define DC_DIMS OPT_EQ("number") OPT_EQ("d1") OPT_EQ("d2") OPT_EQ(DC_TYPE_EXPR)
#define DC_HOURLY_N                                                                                  \
    "(SELECT COALESCE(SUM(n), 0) FROM data_counts_hourly WHERE org_id = ? AND kind = ? "            \
    "AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))" DC_DIMS ")"
#define DC_DAILY_N                                                                                   \
    "(SELECT COALESCE(SUM(n), 0) FROM data_counts_daily FORCE INDEX (PRIMARY) WHERE org_id = ? AND kind = ? "             \
    "AND bucket >= ? AND bucket < ?" DC_DIMS ")"
#define EDGES(t) " AND ((" t " >= ? AND " t " < ?) OR (" t " >= ? AND " t " < ?))"
#define TOTAL_OF(table, ix, t, filters)                                                                       \
    "SELECT CAST((SELECT COUNT(*) FROM " table " FORCE INDEX (" ix ") WHERE org_id = ?" EDGES(t) filters ") + " \
    DC_HOURLY_N " + " DC_DAILY_N " AS SIGNED) AS total"
#define CALLS_TOTAL(ix) \
    TOTAL_OF("calls", ix, "started_at", OPT_EQ("business_number") OPT_EQ("direction") OPT_EQ("status") OPT_EQ("call_type"))
#define SMS_TOTAL(ix) \
    TOTAL_OF("sms_messages", ix, "sent_at", OPT_EQ("business_number") OPT_EQ("direction") OPT_EQ("status") OPT_NONE)
#define RECORDINGS_TOTAL(ix) \
    TOTAL_OF("recordings", ix, "recorded_at", OPT_EQ("business_number") OPT_EQ("direction") OPT_NONE OPT_NONE)
#define VOICEMAILS_TOTAL(ix) \
    TOTAL_OF("voicemails", ix, "received_at", OPT_EQ("to_number") OPT_NONE OPT_EQ("status") OPT_NONE)

static const char DSQL_CALLS_TOTAL_T[] = CALLS_TOTAL("calls_org_started");
static const char DSQL_CALLS_TOTAL_N[] = CALLS_TOTAL("calls_org_business");
static const char DSQL_CALLS_TOTAL_D1[] = CALLS_TOTAL("calls_org_direction");
static const char DSQL_CALLS_TOTAL_D2[] = CALLS_TOTAL("calls_org_status");
static const char DSQL_CALLS_TOTAL_TY[] = CALLS_TOTAL("calls_org_type");
const char *const DSQL_CALLS_TOTAL[5] = {DSQL_CALLS_TOTAL_T, DSQL_CALLS_TOTAL_N, DSQL_CALLS_TOTAL_D1, DSQL_CALLS_TOTAL_D2,
                                         DSQL_CALLS_TOTAL_TY};
static const char DSQL_SMS_TOTAL_T[] = SMS_TOTAL("sms_messages_org_sent");
static const char DSQL_SMS_TOTAL_N[] = SMS_TOTAL("sms_messages_org_business");
static const char DSQL_SMS_TOTAL_D1[] = SMS_TOTAL("sms_messages_org_direction");
const char *const DSQL_SMS_TOTAL[5] = {DSQL_SMS_TOTAL_T, DSQL_SMS_TOTAL_N, DSQL_SMS_TOTAL_D1, NULL, NULL};
static const char DSQL_RECORDINGS_TOTAL_T[] = RECORDINGS_TOTAL("recordings_org_recorded");
static const char DSQL_RECORDINGS_TOTAL_N[] = RECORDINGS_TOTAL("recordings_org_business");
const char *const DSQL_RECORDINGS_TOTAL[5] = {DSQL_RECORDINGS_TOTAL_T, DSQL_RECORDINGS_TOTAL_N, NULL, NULL, NULL};
static const char DSQL_VOICEMAILS_TOTAL_T[] = VOICEMAILS_TOTAL("voicemails_org_received");
static const char DSQL_VOICEMAILS_TOTAL_N[] = VOICEMAILS_TOTAL("voicemails_org_to");
static const char DSQL_VOICEMAILS_TOTAL_D2[] = VOICEMAILS_TOTAL("voicemails_org_status");
const char *const DSQL_VOICEMAILS_TOTAL[5] = {DSQL_VOICEMAILS_TOTAL_T, DSQL_VOICEMAILS_TOTAL_N, NULL,
                                              DSQL_VOICEMAILS_TOTAL_D2, NULL};

#define COUNTS_ALL_TIME \
    "SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) AS total FROM data_counts_total WHERE org_id = ? AND kind = ?" DC_DIMS
const char DSQL_COUNTS_ALL_TIME[] = COUNTS_ALL_TIME;

/* ------------------------------------------------- a page with its total */

/* The list and its total in one round trip: the total is an uncorrelated
 * scalar subquery in the select list (hidden column "_total"), which MariaDB
 * evaluates once per execution, not per row. Its parameters come first (it
 * comes first in the text): the all-time total's 10, or the dated total's 39,
 * then the list's 17. An empty page has no row to carry it (dl_series_page
 * then asks DSQL_*_TOTAL / DSQL_COUNTS_ALL_TIME). */
#define WITH_ALL ", (" COUNTS_ALL_TIME ") AS _total"
#define WITH_DATED(total) ", (" total ") AS _total"
#define PAGE_ALL(LIST, ix) LIST##_X(ix, WITH_ALL)
#define PAGE_DATED(LIST, TOTAL, ix) LIST##_X(ix, WITH_DATED(TOTAL(ix)))

static const char DSQL_CALLS_PAGE_ALL_T[] = PAGE_ALL(CALLS_LIST, "calls_org_started");
static const char DSQL_CALLS_PAGE_DATED_T[] = PAGE_DATED(CALLS_LIST, CALLS_TOTAL, "calls_org_started");
const char *const DSQL_CALLS_PAGE_ALL[5] = {
    DSQL_CALLS_PAGE_ALL_T, PAGE_ALL(CALLS_LIST, "calls_org_business"),
    PAGE_ALL(CALLS_LIST, "calls_org_direction"), PAGE_ALL(CALLS_LIST, "calls_org_status"),
    PAGE_ALL(CALLS_LIST, "calls_org_type")};
const char *const DSQL_CALLS_PAGE_DATED[5] = {
    DSQL_CALLS_PAGE_DATED_T, PAGE_DATED(CALLS_LIST, CALLS_TOTAL, "calls_org_business"),
    PAGE_DATED(CALLS_LIST, CALLS_TOTAL, "calls_org_direction"), PAGE_DATED(CALLS_LIST, CALLS_TOTAL, "calls_org_status"),
    PAGE_DATED(CALLS_LIST, CALLS_TOTAL, "calls_org_type")};
const char *const DSQL_SMS_PAGE_ALL[5] = {PAGE_ALL(SMS_LIST, "sms_messages_org_sent"),
                                          PAGE_ALL(SMS_LIST, "sms_messages_org_business"),
                                          PAGE_ALL(SMS_LIST, "sms_messages_org_direction"), NULL, NULL};
const char *const DSQL_SMS_PAGE_DATED[5] = {PAGE_DATED(SMS_LIST, SMS_TOTAL, "sms_messages_org_sent"),
                                            PAGE_DATED(SMS_LIST, SMS_TOTAL, "sms_messages_org_business"),
                                            PAGE_DATED(SMS_LIST, SMS_TOTAL, "sms_messages_org_direction"), NULL, NULL};
const char *const DSQL_RECORDINGS_PAGE_ALL[5] = {PAGE_ALL(RECORDINGS_LIST, "recordings_org_recorded"),
                                                 PAGE_ALL(RECORDINGS_LIST, "recordings_org_business"), NULL, NULL, NULL};
const char *const DSQL_RECORDINGS_PAGE_DATED[5] = {
    PAGE_DATED(RECORDINGS_LIST, RECORDINGS_TOTAL, "recordings_org_recorded"),
    PAGE_DATED(RECORDINGS_LIST, RECORDINGS_TOTAL, "recordings_org_business"), NULL, NULL, NULL};
const char *const DSQL_VOICEMAILS_PAGE_ALL[5] = {PAGE_ALL(VOICEMAILS_LIST, "voicemails_org_received"),
                                                 PAGE_ALL(VOICEMAILS_LIST, "voicemails_org_to"), NULL,
                                                 PAGE_ALL(VOICEMAILS_LIST, "voicemails_org_status"), NULL};
const char *const DSQL_VOICEMAILS_PAGE_DATED[5] = {
    PAGE_DATED(VOICEMAILS_LIST, VOICEMAILS_TOTAL, "voicemails_org_received"),
    PAGE_DATED(VOICEMAILS_LIST, VOICEMAILS_TOTAL, "voicemails_org_to"), NULL,
    PAGE_DATED(VOICEMAILS_LIST, VOICEMAILS_TOTAL, "voicemails_org_status"), NULL};

/* ------------------------------------------------------------ small lists */

/* extensions, phone numbers and contacts: a page carries its total as an
 * uncorrelated scalar subquery (hidden "_total", its parameters first); the
 * _TOTAL statement alone answers an empty page */
const char DSQL_EXTENSIONS_TOTAL[] = "SELECT COUNT(*) AS total FROM extensions WHERE org_id = ?" OPT_EQ("status");
const char DSQL_EXTENSIONS_LIST[] =
    "SELECT e.id, e.extension, e.display_name, e.email, e.role, e.status, e.user_id, u.full_name AS user_name, "
    "(SELECT i.email FROM org_invitations i FORCE INDEX (ix_org_invitations_extension) "
    "WHERE i.org_id = e.org_id AND i.extension_id = e.id "
    " AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > NOW(3) "
    " ORDER BY i.created_at DESC LIMIT 1) AS invited_email, "
    "e.created_at, e.updated_at, COALESCE(e.extension, '') AS _pos, (SELECT COUNT(*) FROM extensions x WHERE "
    "x.org_id = ?" OPT_EQ("x.status") ") AS _total "
    "FROM extensions e LEFT JOIN users u ON u.id = e.user_id "
    "WHERE e.org_id = ?" OPT_EQ("e.status")
    " AND (? IS NULL OR COALESCE(e.extension, '') > ? OR (COALESCE(e.extension, '') = ? AND e.id > CAST(? AS UUID)))"
    " ORDER BY COALESCE(e.extension, ''), e.id LIMIT ? OFFSET ?";

#define PHONE_FILTERS_OF(t) OPT_EQ(t ".status") " AND (? IS NULL OR " t ".assigned_user_id IS NULL)"
#define PHONE_FILTERS PHONE_FILTERS_OF("p")

const char DSQL_PHONES_LIST[] =
    "SELECT p.id, p.number, p.label, p.status, u.full_name AS assigned_to_name, "
    "p.assigned_user_id AS assigned_to_user_id, p.assigned_at, "
    "(SELECT CAST(COALESCE(SUM(t.n), 0) AS SIGNED) FROM data_counts_total t "
    " WHERE t.org_id = p.org_id AND t.kind = 'call' AND t.number = p.number) AS call_count, "
    "COALESCE((SELECT c.started_at FROM calls c WHERE c.org_id = p.org_id AND c.business_number = p.number "
    " ORDER BY c.started_at DESC LIMIT 1), p.last_call_at) AS last_call_at, "
    "p.is_primary, p.is_toll_free, p.sms_enabled, p.created_at, p.updated_at, p.number AS _pos, "
    "(SELECT COUNT(*) FROM phone_numbers x WHERE x.org_id = ?" PHONE_FILTERS_OF("x") ") AS _total "
    "FROM phone_numbers p LEFT JOIN users u ON u.id = p.assigned_user_id "
    "WHERE p.org_id = ?" PHONE_FILTERS
    " AND (? IS NULL OR p.number > ? OR (p.number = ? AND p.id > CAST(? AS UUID)))"
    " ORDER BY p.number, p.id LIMIT ? OFFSET ?";

const char DSQL_PHONES_TOTAL[] = "SELECT COUNT(*) AS total FROM phone_numbers p WHERE p.org_id = ?" PHONE_FILTERS;

const char DSQL_PHONE_GET[] =
    "SELECT p.id, p.number, p.assigned_user_id AS assigned_to_user_id, u.full_name AS assigned_to_name "
    "FROM phone_numbers p LEFT JOIN users u ON u.id = p.assigned_user_id WHERE p.id = ? AND p.org_id = ?";
const char DSQL_PHONE_ASSIGN[] =
    "UPDATE phone_numbers SET assigned_user_id = ?, assigned_at = ? WHERE id = ? AND org_id = ?";
const char DSQL_PHONE_UNASSIGN[] =
    "UPDATE phone_numbers SET assigned_user_id = NULL, assigned_at = NULL WHERE id = ? AND org_id = ?";
const char DSQL_MEMBER_NAME[] =
    "SELECT u.id, u.full_name FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND m.user_id = ?";

#define CONTACT_COLS                                                                                        \
    "k.id, k.display_name, k.first_name, k.last_name, k.patronymic, k.company, k.primary_phone AS phone, "  \
    "k.primary_email AS email, k.channels AS channels__json, k.tags AS tags__json, k.comment, k.etag, "     \
    "k.external_id, IF(k.external_id IS NULL, 'false', 'true') AS synced__json, k.upstream_updated_at, k.created_at, k.updated_at"
#define CONTACT_SEARCH                                                                                      \
    " AND (? IS NULL OR k.display_name LIKE ?) AND (? IS NULL OR k.primary_phone LIKE ? OR k.primary_phone LIKE ?)" \
    " AND (? IS NULL OR k.primary_email LIKE ?)"

#define CONTACTS_TOTAL(ix) \
    "SELECT COUNT(*) AS total FROM contacts k FORCE INDEX (" ix ") WHERE k.org_id = ? AND k.deleted_at IS NULL" CONTACT_SEARCH
#define CONTACTS_LIST(ix)                                                                             \
    "SELECT " CONTACT_COLS ", k.display_name AS _pos, (" CONTACTS_TOTAL(ix) ") AS _total "                   \
    "FROM contacts k FORCE INDEX (" ix ") "                                                                  \
    "WHERE k.org_id = ? AND k.deleted_at IS NULL" CONTACT_SEARCH                                             \
    " AND (? IS NULL OR k.display_name > ? OR (k.display_name = ? AND k.id > CAST(? AS UUID)))"            \
    " ORDER BY k.display_name, k.id LIMIT ? OFFSET ?"
static const char DSQL_CONTACTS_LIST_NAME[] = CONTACTS_LIST("contacts_org_live_name");
static const char DSQL_CONTACTS_LIST_PHONE[] = CONTACTS_LIST("contacts_org_phone");
static const char DSQL_CONTACTS_LIST_EMAIL[] = CONTACTS_LIST("contacts_org_email");
const char *const DSQL_CONTACTS_LIST[3] = {DSQL_CONTACTS_LIST_NAME, DSQL_CONTACTS_LIST_PHONE, DSQL_CONTACTS_LIST_EMAIL};
static const char DSQL_CONTACTS_TOTAL_NAME[] = CONTACTS_TOTAL("contacts_org_live_name");
static const char DSQL_CONTACTS_TOTAL_PHONE[] = CONTACTS_TOTAL("contacts_org_phone");
static const char DSQL_CONTACTS_TOTAL_EMAIL[] = CONTACTS_TOTAL("contacts_org_email");
const char *const DSQL_CONTACTS_TOTAL[3] = {DSQL_CONTACTS_TOTAL_NAME, DSQL_CONTACTS_TOTAL_PHONE,
                                            DSQL_CONTACTS_TOTAL_EMAIL};
/* A word search (not a number, no "@"): a prefix of the display name, the
 * first name, the last name, the company (local, sql/105) or the e-mail
 * address. One branch per column (DSQL_CONTACT_WORD_BRANCHES), each a range
 * of its own (org_id, deleted_at, column) index (sql/080, sql/105), united
 * into the matching ids; the page is then ordered by name among the matches
 * only. The total's 10 parameters come first, then the list's 10, the
 * cursor's 4 and LIMIT/OFFSET (the same layout as the other contact lists). */
#define CONTACT_WORD_IDS                                                                                    \
    "SELECT w.id FROM contacts w FORCE INDEX (contacts_org_live_name) WHERE w.org_id = ? "                  \
    "AND w.deleted_at IS NULL AND w.display_name LIKE ? UNION "                                             \
    "SELECT w.id FROM contacts w FORCE INDEX (contacts_org_first) WHERE w.org_id = ? "                      \
    "AND w.deleted_at IS NULL AND w.first_name LIKE ? UNION "                                               \
    "SELECT w.id FROM contacts w FORCE INDEX (contacts_org_last) WHERE w.org_id = ? "                       \
    "AND w.deleted_at IS NULL AND w.last_name LIKE ? UNION "                                                \
    "SELECT w.id FROM contacts w FORCE INDEX (contacts_org_company) WHERE w.org_id = ? "                    \
    "AND w.deleted_at IS NULL AND w.company LIKE ? UNION "                                                  \
    "SELECT w.id FROM contacts w FORCE INDEX (contacts_org_email) WHERE w.org_id = ? "                      \
    "AND w.deleted_at IS NULL AND w.primary_email LIKE ?"
static const char DSQL_CONTACTS_TOTAL_WORDS[] = "SELECT COUNT(*) AS total FROM (" CONTACT_WORD_IDS ") m";
static const char DSQL_CONTACTS_LIST_WORDS[] =
    "SELECT " CONTACT_COLS ", k.display_name AS _pos, (" "SELECT COUNT(*) FROM (" CONTACT_WORD_IDS ") m2) AS _total "
    "FROM (" CONTACT_WORD_IDS ") m JOIN contacts k ON k.id = m.id "
    "WHERE (? IS NULL OR k.display_name > ? OR (k.display_name = ? AND k.id > CAST(? AS UUID)))"
    " ORDER BY k.display_name, k.id LIMIT ? OFFSET ?";
const char *const DSQL_CONTACTS_WORDS[2] = {DSQL_CONTACTS_LIST_WORDS, DSQL_CONTACTS_TOTAL_WORDS};

/* ----------------------------------------------------------- SMS threads */

/* Filters of the thread list on alias a (12 parameters): org; business
 * number (2); contact number (2); unread only (1); a number prefix of the
 * contact number (2); a name prefix of a contact with that number (4: the
 * display, first and last name, each with its (org_id, column) index). */
#define THREAD_FILTERS(a)                                                                                   \
    " WHERE " a ".org_id = ?" OPT_EQ(a ".business_number") OPT_EQ(a ".contact_number")                     \
    " AND (? = 0 OR EXISTS (SELECT 1 FROM sms_messages u FORCE INDEX (sms_messages_org_thread) "              \
    "WHERE u.org_id = " a ".org_id "                  \
    "AND u.thread_id = " a ".id AND u.direction = 'inbound' AND u.read_at IS NULL))"                      \
    " AND (? IS NULL OR " a ".contact_number LIKE ?)"                                                       \
    " AND (? IS NULL OR " a ".contact_number IN (SELECT n.primary_phone FROM contacts n "                   \
    "WHERE n.org_id = " a ".org_id AND n.deleted_at IS NULL AND n.primary_phone IS NOT NULL "               \
    "AND (n.display_name LIKE ? OR n.first_name LIKE ? OR n.last_name LIKE ?)))"
const char DSQL_THREADS_TOTAL[] = "SELECT COUNT(*) AS total FROM sms_threads x" THREAD_FILTERS("x");
const char DSQL_THREADS_PAGE[] =
    DSQL_THREAD_COLS ", " TS_POS("t.last_message_at") ", (" "SELECT COUNT(*) FROM sms_threads x" THREAD_FILTERS("x")
    ") AS _total FROM sms_threads t FORCE INDEX (sms_threads_org_last)" THREAD_FILTERS("t")
    TS_CURSOR("t.last_message_at", "t.id") " ORDER BY t.last_message_at DESC, t.id DESC LIMIT ? OFFSET ?";

const char DSQL_CONTACT_GET[] =
    "SELECT " CONTACT_COLS " FROM contacts k WHERE k.id = ? AND k.org_id = ? AND k.deleted_at IS NULL";

const char DSQL_CONTACT_STATE[] =
    "SELECT k.id, k.external_id, k.etag, k.first_name, k.last_name, k.patronymic, k.company, k.comment, "
    "k.channels AS channels__json, k.tags AS tags__json, k.display_name "
    "FROM contacts k WHERE k.id = ? AND k.org_id = ? AND k.deleted_at IS NULL";
const char DSQL_CONTACT_ID_BY_EXT[] = "SELECT id FROM contacts WHERE org_id = ? AND external_id = ?";
const char DSQL_CONTACT_INSERT_LOCAL[] =
    "INSERT INTO contacts (id, org_id, etag, first_name, last_name, patronymic, company, display_name, "
    "primary_phone, primary_email, channels, tags, comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
const char DSQL_CONTACT_UPDATE_LOCAL[] =
    "UPDATE contacts SET etag = ?, first_name = ?, last_name = ?, patronymic = ?, company = ?, display_name = ?, "
    "primary_phone = ?, primary_email = ?, channels = ?, tags = ?, comment = ? "
    "WHERE id = ? AND org_id = ? AND deleted_at IS NULL AND etag <=> ?";
/* company is ours alone (sql/105): stored beside MightyCall's version of a
 * contact the API wrote, which mc_store_contact upserts without it */
const char DSQL_CONTACT_SET_COMPANY[] = "UPDATE contacts SET company = ? WHERE org_id = ? AND external_id = ?";
const char DSQL_CONTACT_MARK_DELETED[] =
    "UPDATE contacts SET deleted_at = UTC_TIMESTAMP(3) WHERE id = ? AND org_id = ? AND deleted_at IS NULL "
    "AND (? = 0 OR etag <=> ?)";

/* ---------------------------------------------------------------- org time */

const char DSQL_ORG_LOCAL_BOUNDS[] =
    "SELECT CAST(COALESCE(CONVERT_TZ(CAST(? AS DATETIME), o.timezone, '+00:00'), CAST(? AS DATETIME)) AS CHAR) AS a, "
    "CAST(COALESCE(CONVERT_TZ(CAST(? AS DATETIME) + INTERVAL 1 DAY, o.timezone, '+00:00'), "
    "CAST(? AS DATETIME) + INTERVAL 1 DAY) AS CHAR) AS b FROM orgs o WHERE o.id = ?";

const char DSQL_ORG_REPORT_DAYS[] =
    "SELECT x.tz AS timezone, CAST(x.f AS CHAR) AS date_from, CAST(x.t AS CHAR) AS date_to, "
    "CAST(COALESCE(CONVERT_TZ(CAST(x.f AS DATETIME), x.tz, '+00:00'), CAST(x.f AS DATETIME)) AS CHAR) AS from_utc, "
    "CAST(COALESCE(CONVERT_TZ(CAST(x.t AS DATETIME) + INTERVAL 1 DAY, x.tz, '+00:00'), "
    "CAST(x.t AS DATETIME) + INTERVAL 1 DAY) AS CHAR) AS to_utc, DATEDIFF(x.t, x.f) AS span "
    "FROM (SELECT y.tz, "
    "COALESCE(CAST(? AS DATE), DATE(COALESCE(CONVERT_TZ(CAST(? AS DATETIME), '+00:00', y.tz), CAST(? AS DATETIME))), "
    "y.today - INTERVAL ? DAY) AS f, "
    "COALESCE(CAST(? AS DATE), DATE(COALESCE(CONVERT_TZ(CAST(? AS DATETIME), '+00:00', y.tz), CAST(? AS DATETIME))), "
    "y.today) AS t "
    "FROM (SELECT o.timezone AS tz, DATE(COALESCE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', o.timezone), UTC_TIMESTAMP())) "
    "AS today FROM orgs o WHERE o.id = ?) y) x";

const char DSQL_ORG_NOW[] =
    "SELECT x.tz AS timezone, CAST(DATE(x.l) AS CHAR) AS today, CAST(x.now_utc AS CHAR) AS now_utc, "
    "CAST(COALESCE(CONVERT_TZ(CAST(DATE(x.l) AS DATETIME), x.tz, '+00:00'), CAST(DATE(x.l) AS DATETIME)) AS CHAR) "
    "AS today_utc, "
    "CAST(COALESCE(CONVERT_TZ(CAST(DATE_FORMAT(x.l, '%Y-%m-01') AS DATETIME), x.tz, '+00:00'), "
    "CAST(DATE_FORMAT(x.l, '%Y-%m-01') AS DATETIME)) AS CHAR) AS month_utc, "
    "CAST(COALESCE(CONVERT_TZ(CAST(DATE(x.l) + INTERVAL 1 DAY AS DATETIME), x.tz, '+00:00'), "
    "CAST(DATE(x.l) + INTERVAL 1 DAY AS DATETIME)) AS CHAR) AS tomorrow_utc "
    "FROM (SELECT o.timezone AS tz, UTC_TIMESTAMP(3) AS now_utc, "
    "COALESCE(CONVERT_TZ(UTC_TIMESTAMP(3), '+00:00', o.timezone), UTC_TIMESTAMP(3)) AS l FROM orgs o WHERE o.id = ?) x";

/* ----------------------------------------------------------------- reports */

/* A report's missed call (docs/dashboard.md#cards): inbound, not answered and
 * no longer live — the calls list's type=missed (calls.call_type, sql/030),
 * the overview's missed card and call_reports_daily.missed (sql/100). */
#define RPT_MISSED_OF(a) "(" a ".direction = 'inbound' AND " a ".status NOT IN ('connected', 'ringing', 'in_progress'))"

#define RPT_WHERE " WHERE r.org_id = ? AND r.day >= ? AND r.day <= ?" OPT_EQ("r.phone_number")
#define RPT_SUMS                                                                                              \
    "CAST(SUM(r.calls) AS SIGNED) AS calls, CAST(SUM(r.answered) AS SIGNED) AS answered, "                      \
    "CAST(SUM(r.missed) AS SIGNED) AS missed, "                                                                \
    "CAST(COALESCE(ROUND(100 * SUM(r.answered) / NULLIF(SUM(r.calls), 0), 2), 0) AS DOUBLE) AS answer_rate, "   \
    "CAST(COALESCE(ROUND(SUM(ROUND(r.avg_handle_seconds * r.answered)) / NULLIF(SUM(r.answered), 0), 2), 0) "  \
    "AS DOUBLE) AS avg_handle_seconds, CAST(SUM(r.total_duration) AS SIGNED) AS total_duration, "              \
    "CAST(SUM(r.inbound) AS SIGNED) AS inbound, CAST(SUM(r.outbound) AS SIGNED) AS outbound, "                  \
    "CAST(SUM(r.voicemails) AS SIGNED) AS voicemails"

const char DSQL_REPORT_ROWS[] =
    "SELECT CAST(r.day AS CHAR) AS day, r.phone_number, r.phone_number_id, r.calls, r.answered, r.missed, "
    "CAST(r.answer_rate AS DOUBLE) AS answer_rate, CAST(r.avg_handle_seconds AS DOUBLE) AS avg_handle_seconds, "
    "r.total_duration, r.inbound, r.outbound, r.voicemails, r.computed_at FROM call_reports_daily r" RPT_WHERE
    " ORDER BY r.day, r.phone_number LIMIT ? OFFSET ?";
const char DSQL_REPORT_ROWS_TOTAL[] = "SELECT COUNT(*) AS total FROM call_reports_daily r" RPT_WHERE;

/* day / number groups: all of them (≤ 366 days or the org's numbers); the
 * page, the total and the summary are computed from them (core/data/reports.c) */
#define RPT_ANS ", CAST(SUM(ROUND(r.avg_handle_seconds * r.answered)) AS SIGNED) AS _ans"
const char DSQL_REPORT_BY_DAY[] =
    "SELECT CAST(r.day AS CHAR) AS day, " RPT_SUMS RPT_ANS " FROM call_reports_daily r" RPT_WHERE
    " GROUP BY r.day ORDER BY r.day";

const char DSQL_REPORT_BY_PHONE[] =
    "SELECT r.phone_number, MAX(r.phone_number_id) AS phone_number_id, "
    "(SELECT p.label FROM phone_numbers p WHERE p.org_id = r.org_id AND p.number = r.phone_number LIMIT 1) AS label, "
    RPT_SUMS RPT_ANS " FROM call_reports_daily r" RPT_WHERE " GROUP BY r.phone_number ORDER BY r.phone_number";

/* A page of day / number groups in one statement: the org's day bounds
 * (DSQL_ORG_REPORT_DAYS, kept only when the range is 0..365 days), every
 * group, and over them (hidden, on each row) the total and the sums of the
 * summary; an empty page runs the separate statements (core/data/reports.c). */
#define RPT_BOUNDS "WITH b AS (" RPT_BOUNDS_SELECT ") "
#define RPT_BOUNDS_SELECT                                                                                    \
    "SELECT x.tz, x.f, x.t FROM (SELECT y.tz, "                                                              \
    "COALESCE(CAST(? AS DATE), DATE(COALESCE(CONVERT_TZ(CAST(? AS DATETIME), '+00:00', y.tz), CAST(? AS DATETIME))), " \
    "y.today - INTERVAL ? DAY) AS f, "                                                                        \
    "COALESCE(CAST(? AS DATE), DATE(COALESCE(CONVERT_TZ(CAST(? AS DATETIME), '+00:00', y.tz), CAST(? AS DATETIME))), " \
    "y.today) AS t "                                                                                          \
    "FROM (SELECT o.timezone AS tz, DATE(COALESCE(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', o.timezone), UTC_TIMESTAMP())) " \
    "AS today FROM orgs o WHERE o.id = ?) y) x WHERE DATEDIFF(x.t, x.f) BETWEEN 0 AND 365"
#define RPT_B_WHERE " WHERE r.org_id = ? AND r.day >= b.f AND r.day <= b.t" OPT_EQ("r.phone_number")
#define RPT_OVER                                                                                              \
    ", COUNT(*) OVER () AS _total, SUM(g.calls) OVER () AS _calls, SUM(g.answered) OVER () AS _answered, "    \
    "SUM(g.missed) OVER () AS _missed, "                                                                       \
    "SUM(g.total_duration) OVER () AS _duration, SUM(g._ans) OVER () AS _handled, "                            \
    "SUM(g.inbound) OVER () AS _inbound, SUM(g.outbound) OVER () AS _outbound, "                               \
    "SUM(g.voicemails) OVER () AS _voicemails, b.tz AS _tz, CAST(b.f AS CHAR) AS _from, CAST(b.t AS CHAR) AS _to"
const char DSQL_REPORT_BY_DAY_PAGE[] =
    RPT_BOUNDS ", g AS (SELECT CAST(r.day AS CHAR) AS day, " RPT_SUMS RPT_ANS
    " FROM b JOIN call_reports_daily r" RPT_B_WHERE " GROUP BY r.day) "
    "SELECT g.*" RPT_OVER " FROM g JOIN b ORDER BY g.day LIMIT ? OFFSET ?";
const char DSQL_REPORT_BY_PHONE_PAGE[] =
    RPT_BOUNDS ", g AS (SELECT r.phone_number, MAX(r.phone_number_id) AS phone_number_id, "
    "(SELECT p.label FROM phone_numbers p WHERE p.org_id = r.org_id AND p.number = r.phone_number LIMIT 1) AS label, "
    RPT_SUMS RPT_ANS " FROM b JOIN call_reports_daily r" RPT_B_WHERE " GROUP BY r.phone_number) "
    "SELECT g.*" RPT_OVER " FROM g JOIN b ORDER BY g.phone_number LIMIT ? OFFSET ?";

/* The day page of the whole org (no phone_number filter) from the org's day
 * rollup (sql/075): one row per day, nothing to group; a plain SELECT, so the
 * API's identity guard can ride in it (platform/db.h). Same columns, values
 * and hidden sums as DSQL_REPORT_BY_DAY_PAGE. */
const char DSQL_REPORT_BY_DAY_ALL_PAGE[] =
    "SELECT CAST(r.day AS CHAR) AS day, CAST(r.calls AS SIGNED) AS calls, CAST(r.answered AS SIGNED) AS answered, "
    "CAST(r.missed AS SIGNED) AS missed, "
    "CAST(COALESCE(ROUND(100 * r.answered / NULLIF(r.calls, 0), 2), 0) AS DOUBLE) AS answer_rate, "
    "CAST(COALESCE(ROUND(r.handled / NULLIF(r.answered, 0), 2), 0) AS DOUBLE) AS avg_handle_seconds, "
    "CAST(r.total_duration AS SIGNED) AS total_duration, CAST(r.inbound AS SIGNED) AS inbound, "
    "CAST(r.outbound AS SIGNED) AS outbound, CAST(r.voicemails AS SIGNED) AS voicemails, r.handled AS _ans, "
    "COUNT(*) OVER () AS _total, SUM(r.calls) OVER () AS _calls, SUM(r.answered) OVER () AS _answered, "
    "SUM(r.missed) OVER () AS _missed, "
    "SUM(r.total_duration) OVER () AS _duration, SUM(r.handled) OVER () AS _handled, "
    "SUM(r.inbound) OVER () AS _inbound, SUM(r.outbound) OVER () AS _outbound, "
    "SUM(r.voicemails) OVER () AS _voicemails, b.tz AS _tz, CAST(b.f AS CHAR) AS _from, CAST(b.t AS CHAR) AS _to "
    "FROM (" RPT_BOUNDS_SELECT ") b JOIN call_reports_org_daily r ON r.org_id = ? AND r.day >= b.f AND r.day <= b.t "
    "ORDER BY r.day LIMIT ? OFFSET ?";

const char DSQL_REPORT_SUMMARY[] = "SELECT " RPT_SUMS " FROM call_reports_daily r" RPT_WHERE;

/* Filtered reports: the same measures computed from the calls of the range
 * (UTC bounds of the org's local days), grouped by local day, number or
 * extension; plus inbound_answered (for the inbound answer rate) and
 * avg_wait_seconds (queue wait of the calls that report one). */
#define RPTF_SUMS                                                                                               \
    "CAST(COUNT(*) AS SIGNED) AS calls, CAST(SUM(x.status = 'connected') AS SIGNED) AS answered, "                 \
    "CAST(SUM(" RPT_MISSED_OF("x") ") AS SIGNED) AS missed, "                                                      \
    "CAST(COALESCE(ROUND(100 * SUM(x.status = 'connected') / NULLIF(COUNT(*), 0), 2), 0) AS DOUBLE) AS answer_rate, " \
    "CAST(COALESCE(ROUND(SUM(IF(x.status = 'connected', x.duration_seconds, 0)) / "                                \
    "NULLIF(SUM(x.status = 'connected'), 0), 2), 0) AS DOUBLE) AS avg_handle_seconds, "                            \
    "CAST(SUM(x.duration_seconds) AS SIGNED) AS total_duration, "                                                  \
    "CAST(SUM(x.direction = 'inbound') AS SIGNED) AS inbound, CAST(SUM(x.direction = 'outbound') AS SIGNED) AS outbound, " \
    "CAST(SUM(x.status = 'voicemail') AS SIGNED) AS voicemails, "                                                  \
    "CAST(SUM(x.direction = 'inbound' AND x.status = 'connected') AS SIGNED) AS inbound_answered, "                 \
    "CAST(COALESCE(ROUND(AVG(x.queue_wait_seconds), 2), 0) AS DOUBLE) AS avg_wait_seconds, "                        \
    "CAST(SUM(IF(x.status = 'connected', x.duration_seconds, 0)) AS SIGNED) AS _ans, "                             \
    "CAST(COALESCE(SUM(x.queue_wait_seconds), 0) AS SIGNED) AS _wsum, CAST(COUNT(x.queue_wait_seconds) AS SIGNED) AS _wn"
#define RPTF_FROM                                                                                               \
    " FROM (SELECT DATE(COALESCE(CONVERT_TZ(c.started_at, '+00:00', ?), c.started_at)) AS d, "                     \
    "COALESCE(c.business_number, '') AS bn, c.phone_number_id, COALESCE(c.extension, '') AS ext, c.status, "       \
    "c.direction, c.duration_seconds, c.queue_wait_seconds FROM calls c FORCE INDEX (calls_org_started) "          \
    "WHERE c.org_id = ? AND c.started_at >= ? AND c.started_at < ?" OPT_EQ("c.business_number")                 \
    OPT_EQ("c.direction") OPT_EQ("c.status") OPT_EQ("c.agent_user_id") ") x"

const char DSQL_REPORT_F_ROWS[] =
    "SELECT CAST(x.d AS CHAR) AS day, x.bn AS phone_number, MAX(x.phone_number_id) AS phone_number_id, "
    RPTF_SUMS RPTF_FROM " GROUP BY x.d, x.bn ORDER BY x.d, x.bn";
const char DSQL_REPORT_F_DAY[] = "SELECT CAST(x.d AS CHAR) AS day, " RPTF_SUMS RPTF_FROM " GROUP BY x.d ORDER BY x.d";
const char DSQL_REPORT_F_PHONE[] =
    "SELECT x.bn AS phone_number, MAX(x.phone_number_id) AS phone_number_id, "
    "(SELECT p.label FROM phone_numbers p WHERE p.org_id = ? AND p.number = x.bn LIMIT 1) AS label, "
    RPTF_SUMS RPTF_FROM " GROUP BY x.bn ORDER BY x.bn";
const char DSQL_REPORT_F_AGENT[] =
    "SELECT NULLIF(x.ext, '') AS extension, "
    "(SELECT e.display_name FROM extensions e WHERE e.org_id = ? AND e.extension = x.ext "
    " ORDER BY e.status = 'active' DESC, e.updated_at DESC LIMIT 1) AS agent_name, "
    "(SELECT e.user_id FROM extensions e WHERE e.org_id = ? AND e.extension = x.ext AND e.user_id IS NOT NULL "
    " ORDER BY e.status = 'active' DESC, e.updated_at DESC LIMIT 1) AS agent_user_id, "
    RPTF_SUMS RPTF_FROM " GROUP BY x.ext ORDER BY calls DESC, x.ext";

#define AGENT_SUMS \
    "SUM(n) AS n, SUM(answered) AS answered, SUM(dur_sum) AS dur_sum, SUM(ans_dur_sum) AS ans_dur_sum, 0 AS m"

/* Agent groups: calls, answered and durations from the counters of sql/030
 * (the agent counters have no direction / status split); missed counted
 * exactly over the calls of the range with type missed (calls_org_type). */
const char DSQL_REPORT_BY_AGENT[] =
    "SELECT NULLIF(g.ext, '') AS extension, "
    "(SELECT e.display_name FROM extensions e WHERE e.org_id = ? AND e.extension = g.ext "
    " ORDER BY e.status = 'active' DESC, e.updated_at DESC LIMIT 1) AS agent_name, "
    "(SELECT e.user_id FROM extensions e WHERE e.org_id = ? AND e.extension = g.ext AND e.user_id IS NOT NULL "
    " ORDER BY e.status = 'active' DESC, e.updated_at DESC LIMIT 1) AS agent_user_id, "
    "CAST(SUM(g.n) AS SIGNED) AS calls, CAST(SUM(g.answered) AS SIGNED) AS answered, "
    "CAST(SUM(g.m) AS SIGNED) AS missed, "
    "CAST(COALESCE(ROUND(100 * SUM(g.answered) / NULLIF(SUM(g.n), 0), 2), 0) AS DOUBLE) AS answer_rate, "
    "CAST(COALESCE(ROUND(SUM(g.ans_dur_sum) / NULLIF(SUM(g.answered), 0), 2), 0) AS DOUBLE) AS avg_handle_seconds, "
    "CAST(SUM(g.dur_sum) AS SIGNED) AS total_duration, CAST(SUM(g.ans_dur_sum) AS SIGNED) AS _ans_dur "
    "FROM ("
    "SELECT COALESCE(c.extension, '') AS ext, COUNT(*) AS n, SUM(c.status = 'connected') AS answered, "
    "SUM(c.duration_seconds) AS dur_sum, SUM(IF(c.status = 'connected', c.duration_seconds, 0)) AS ans_dur_sum, 0 AS m "
    "FROM calls c FORCE INDEX (calls_org_started) WHERE c.org_id = ?" EDGES("c.started_at") OPT_EQ("c.business_number")
    " GROUP BY COALESCE(c.extension, '') "
    "UNION ALL SELECT d1, " AGENT_SUMS " FROM data_counts_hourly WHERE org_id = ? AND kind = ? "
    "AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))" OPT_EQ("number") " GROUP BY d1 "
    "UNION ALL SELECT d1, " AGENT_SUMS " FROM data_counts_daily FORCE INDEX (PRIMARY) WHERE org_id = ? AND kind = ? "
    "AND bucket >= ? AND bucket < ?" OPT_EQ("number") " GROUP BY d1 "
    "UNION ALL SELECT COALESCE(mc.extension, ''), 0, 0, 0, 0, COUNT(*) FROM calls mc FORCE INDEX (calls_org_type) "
    "WHERE mc.org_id = ? AND mc.call_type = 'missed' AND mc.started_at >= ? AND mc.started_at < ?"
    OPT_EQ("mc.business_number") " GROUP BY COALESCE(mc.extension, '')"
    ") g GROUP BY g.ext HAVING SUM(g.n) > 0 ORDER BY calls DESC, g.ext";

/* ----------------------------------------------------------------- metrics */

#define M_CALL_SUMS                                                                                     \
    "COUNT(*), COALESCE(SUM(status = 'connected'), 0), COALESCE(SUM(duration_seconds), 0), "            \
    "COALESCE(SUM(IF(status = 'connected', duration_seconds, 0)), 0), COALESCE(SUM(queue_wait_seconds), 0), " \
    "COUNT(queue_wait_seconds)"
#define M_DC_SUMS "SUM(n), SUM(answered), SUM(dur_sum), SUM(ans_dur_sum), SUM(wait_sum), SUM(wait_n)"
#define M_PERIOD(p, table, ix, t, edge_sums, kind)                                                          \
    "SELECT " p " AS p, " edge_sums " FROM " table " FORCE INDEX (" ix ") WHERE org_id = ?" EDGES(t)         \
    " UNION ALL SELECT " p ", " M_DC_SUMS " FROM data_counts_hourly WHERE org_id = ? AND kind = '" kind "'"   \
    " AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))"                                   \
    " UNION ALL SELECT " p ", " M_DC_SUMS " FROM data_counts_daily FORCE INDEX (PRIMARY) WHERE org_id = ?"    \
    " AND kind = '" kind "' AND bucket >= ? AND bucket < ?"
#define M_SMS_SUMS "COUNT(*), 0, 0, 0, 0, 0"
/* Today's calls of one kind (the cards' definitions, docs/dashboard.md): raw is
 * the filter on calls, dc the same on the counters (d1 direction, d2 status). */
#define M_CALLS_OF(p, raw, dc)                                                                              \
    "SELECT " p " AS p, " M_CALL_SUMS " FROM calls FORCE INDEX (calls_org_started) WHERE org_id = ? AND " raw \
    EDGES("started_at") " UNION ALL SELECT " p ", " M_DC_SUMS " FROM data_counts_hourly WHERE org_id = ? "      \
    "AND kind = 'call' AND " dc " AND ((bucket >= ? AND bucket < ?) OR (bucket >= ? AND bucket < ?))"          \
    " UNION ALL SELECT " p ", " M_DC_SUMS " FROM data_counts_daily FORCE INDEX (PRIMARY) WHERE org_id = ?"      \
    " AND kind = 'call' AND " dc " AND bucket >= ? AND bucket < ?"
/* inbound: answered = connected; missed: the calls list's type=missed (call_type, sql/030) */
#define M_INBOUND M_CALLS_OF("5", "direction = 'inbound'", "d1 = 'inbound'")
#define M_MISSED                                                                                               \
    M_CALLS_OF("6", "call_type = 'missed'", "d1 = 'inbound' AND d2 NOT IN ('connected', 'ringing', 'in_progress')")

#define M_COUNTS                                                                                            \
    "SELECT x.p, CAST(COALESCE(SUM(x.n), 0) AS SIGNED) AS n, CAST(COALESCE(SUM(x.answered), 0) AS SIGNED) AS answered, " \
    "CAST(COALESCE(SUM(x.dur_sum), 0) AS SIGNED) AS dur_sum, CAST(COALESCE(SUM(x.ans_dur_sum), 0) AS SIGNED) AS ans_dur_sum, " \
    "CAST(COALESCE(SUM(x.wait_sum), 0) AS SIGNED) AS wait_sum, CAST(COALESCE(SUM(x.wait_n), 0) AS SIGNED) AS wait_n " \
    "FROM (SELECT 0 AS p, 0 AS n, 0 AS answered, 0 AS dur_sum, 0 AS ans_dur_sum, 0 AS wait_sum, 0 AS wait_n FROM DUAL WHERE 0" \
    " UNION ALL " M_PERIOD("1", "calls", "calls_org_started", "started_at", M_CALL_SUMS, "call_all") \
    " UNION ALL " M_PERIOD("2", "calls", "calls_org_started", "started_at", M_CALL_SUMS, "call_all") \
    " UNION ALL " M_PERIOD("3", "sms_messages", "sms_messages_org_sent", "sent_at", M_SMS_SUMS, "sms_all") \
    " UNION ALL " M_PERIOD("4", "sms_messages", "sms_messages_org_sent", "sent_at", M_SMS_SUMS, "sms_all") \
    " UNION ALL " M_INBOUND " UNION ALL " M_MISSED \
    ") x GROUP BY x.p"

#define M_AGENTS \
    "SELECT CAST(COALESCE(SUM(s.status IN ('available', 'dnd')), 0) AS SIGNED) AS online, " \
    "CAST(COALESCE(SUM(s.status = 'available'), 0) AS SIGNED) AS available, " \
    "CAST(COALESCE(SUM(s.status = 'dnd'), 0) AS SIGNED) AS dnd, " \
    "CAST(COALESCE(SUM(live.user_id IS NOT NULL), 0) AS SIGNED) AS on_call, " \
    "CAST(COALESCE(SUM(s.status = 'available' AND live.user_id IS NOT NULL), 0) AS SIGNED) AS available_on_call " \
    "FROM agent_status s JOIN org_members m ON m.org_id = s.org_id AND m.user_id = s.user_id " \
    "LEFT JOIN (SELECT DISTINCT e.user_id FROM calls c JOIN extensions e ON e.org_id = c.org_id " \
    "AND e.extension = c.extension WHERE c.org_id = ? AND c.status IN ('ringing', 'in_progress') " \
    "AND c.started_at >= ? AND e.user_id IS NOT NULL) live ON live.user_id = s.user_id " \
    "WHERE s.org_id = ?"

/* The four periods' counts (p 1..4, ordered) with the agents' counts on each row. */
const char DSQL_METRICS_ORG[] = "SELECT mc.*, ma.* FROM (" M_COUNTS ") mc CROSS JOIN (" M_AGENTS ") ma ORDER BY mc.p";

const char DSQL_CLIENT_METRICS[] =
    "SELECT (SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM data_counts_total WHERE kind = 'call_all') AS total_calls, "
    "(SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM data_counts_daily WHERE kind = 'call_all' "
    " AND bucket = UTC_DATE()) AS total_calls_today, "
    "(SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM data_counts_total WHERE kind = 'sms_all') AS total_sms, "
    "(SELECT CAST(COALESCE(SUM(n), 0) AS SIGNED) FROM data_counts_daily WHERE kind = 'sms_all' "
    " AND bucket = UTC_DATE()) AS total_sms_today, "
    "(SELECT COUNT(*) FROM orgs) AS total_organizations, (SELECT COUNT(*) FROM users) AS total_users, "
    "(SELECT CAST(COALESCE(SUM(ans_dur_sum), 0) AS SIGNED) FROM data_counts_total WHERE kind = 'call_all') AS ans_dur, "
    "(SELECT CAST(COALESCE(SUM(answered), 0) AS SIGNED) FROM data_counts_total WHERE kind = 'call_all') AS answered, "
    "(SELECT COUNT(*) FROM sync_jobs WHERE status = 'queued' AND run_after < UTC_TIMESTAMP(3) - INTERVAL 10 MINUTE) "
    "AS stale_queued, "
    "(SELECT COUNT(*) FROM sync_jobs WHERE status = 'running' AND lease_expires_at < UTC_TIMESTAMP(3)) AS expired_leases, "
    "(SELECT COUNT(*) FROM sync_jobs WHERE status IN ('queued', 'running', 'deferred')) AS active_jobs, "
    "(SELECT COUNT(*) FROM sync_jobs WHERE created_at >= UTC_TIMESTAMP(3) - INTERVAL 1 DAY AND status = 'failed') "
    "AS failed_jobs_24h";

/* ----------------------------------------------------------------- catalog */

/* Parameter tokens the EXPLAIN test fills: $org (the test org), $num (one of
 * its business numbers), $tA < $tB (UTC datetimes inside its data, less than
 * an hour apart), $hA..$hD (whole hours), $dA < $dB (days), $curT / $curId (a
 * row of the data). Everything else is literal. expect: {table alias: index
 * or [indexes]} — "*" any index, "~" a full scan is accepted (only the small
 * platform tables orgs and users, counted by client-metrics);
 * "_no_filesort": the order must come from the index. Every other table of
 * the plan must use some index (no type ALL / index scans). */
#define NO_FILTERS "null,null,null,null,null,null,null,null"
#define NO_CURSOR "null,null,null,null"
#define DATED "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\""

const data_sql_case data_sql_catalog[] = {
    {"calls_list", DSQL_CALLS_LIST_T,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS "," NO_CURSOR ",51,0]",
     "{\"c\":\"calls_org_started\",\"_no_filesort\":true}"},
    {"calls_list/cursor", DSQL_CALLS_LIST_T,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"c\":\"calls_org_started\",\"_no_filesort\":true}"},
    {"calls_list/phone", DSQL_CALLS_LIST_N,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",\"$num\",\"$num\",null,null,null,null,null,null,"
     "\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"c\":[\"calls_org_business\",\"calls_org_started\"],\"_no_filesort\":true}"},
    {"calls_list/dates", DSQL_CALLS_LIST_T,
     "[\"$org\",\"$tA\",\"$tB\"," NO_FILTERS "," NO_CURSOR ",51,0]", "{\"c\":\"calls_org_started\",\"_no_filesort\":true}"},
    {"calls_list/type", DSQL_CALLS_LIST_TY,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",null,null,null,null,null,null,\"missed\",\"missed\","
     NO_CURSOR ",51,0]",
     "{\"c\":[\"calls_org_type\",\"calls_org_started\"],\"_no_filesort\":true}"},
    {"calls_list/status", DSQL_CALLS_LIST_D2,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",null,null,null,null,\"voicemail\",\"voicemail\",null,null,\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"c\":\"calls_org_status\",\"_no_filesort\":true}"},
    {"calls_list/direction", DSQL_CALLS_LIST_D1,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",null,null,\"outbound\",\"outbound\",null,null,null,null,\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"c\":\"calls_org_direction\",\"_no_filesort\":true}"},
    {"calls_page/all", DSQL_CALLS_PAGE_ALL_T,
     "[\"$org\",\"call_all\"," NO_FILTERS ",\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS
     "," NO_CURSOR ",51,0]",
     "{\"c\":\"calls_org_started\",\"data_counts_total\":\"PRIMARY\",\"_no_filesort\":true}"},
    {"calls_page/dated", DSQL_CALLS_PAGE_DATED_T,
     "[" DATED "," NO_FILTERS ",\"$org\",\"call_all\",\"$hA\",\"$hB\",\"$hC\",\"$hD\"," NO_FILTERS
     ",\"$org\",\"call_all\",\"$dA\",\"$dB\"," NO_FILTERS ",\"$org\",\"$tA\",\"$tB\"," NO_FILTERS "," NO_CURSOR ",51,0]",
     "{\"c\":\"calls_org_started\",\"calls\":\"calls_org_started\",\"data_counts_hourly\":\"PRIMARY\","
     "\"data_counts_daily\":\"PRIMARY\",\"_no_filesort\":true}"},
    {"calls_total", DSQL_CALLS_TOTAL_T,
     "[" DATED "," NO_FILTERS ",\"$org\",\"call_all\",\"$hA\",\"$hB\",\"$hC\",\"$hD\"," NO_FILTERS
     ",\"$org\",\"call_all\",\"$dA\",\"$dB\"," NO_FILTERS "]",
     "{\"calls\":\"calls_org_started\",\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\"}"},
    {"calls_total/phone", DSQL_CALLS_TOTAL_N,
     "[" DATED ",\"$num\",\"$num\",null,null,null,null,null,null,\"$org\",\"call\",\"$hA\",\"$hB\",\"$hC\",\"$hD\","
     "\"$num\",\"$num\",null,null,null,null,null,null,\"$org\",\"call\",\"$dA\",\"$dB\","
     "\"$num\",\"$num\",null,null,null,null,null,null]",
     "{\"calls\":[\"calls_org_business\",\"calls_org_started\"],\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\"}"},
    {"counts_all_time", DSQL_COUNTS_ALL_TIME, "[\"$org\",\"call_all\"," NO_FILTERS "]",
     "{\"data_counts_total\":\"PRIMARY\"}"},
    {"sms_list", DSQL_SMS_LIST_T,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"s\":\"sms_messages_org_sent\",\"_no_filesort\":true}"},
    {"sms_list/direction", DSQL_SMS_LIST_D1,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",null,null,\"inbound\",\"inbound\",null,null,null,null,"
     NO_CURSOR ",51,0]",
     "{\"s\":[\"sms_messages_org_direction\",\"sms_messages_org_sent\"],\"_no_filesort\":true}"},
    {"sms_list/phone", DSQL_SMS_LIST_N,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",\"$num\",\"$num\",null,null,null,null,null,null,\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"s\":\"sms_messages_org_business\",\"_no_filesort\":true}"},
    {"sms_total", DSQL_SMS_TOTAL_T,
     "[" DATED "," NO_FILTERS ",\"$org\",\"sms_all\",\"$hA\",\"$hB\",\"$hC\",\"$hD\"," NO_FILTERS
     ",\"$org\",\"sms_all\",\"$dA\",\"$dB\"," NO_FILTERS "]",
     "{\"sms_messages\":\"sms_messages_org_sent\",\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\"}"},
    {"recordings_list", DSQL_RECORDINGS_LIST_T,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"r\":\"recordings_org_recorded\",\"_no_filesort\":true}"},
    {"recordings_list/phone", DSQL_RECORDINGS_LIST_N,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",\"$num\",\"$num\",null,null,null,null,null,null,"
     NO_CURSOR ",51,0]",
     "{\"r\":[\"recordings_org_business\",\"recordings_org_recorded\"],\"_no_filesort\":true}"},
    {"recordings_total", DSQL_RECORDINGS_TOTAL_T,
     "[" DATED "," NO_FILTERS ",\"$org\",\"recording_all\",\"$hA\",\"$hB\",\"$hC\",\"$hD\"," NO_FILTERS
     ",\"$org\",\"recording_all\",\"$dA\",\"$dB\"," NO_FILTERS "]",
     "{\"recordings\":\"recordings_org_recorded\",\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\"}"},
    {"voicemails_list", DSQL_VOICEMAILS_LIST_T,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\"," NO_FILTERS ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"v\":\"voicemails_org_received\",\"_no_filesort\":true}"},
    {"voicemails_list/status", DSQL_VOICEMAILS_LIST_D2,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",null,null,null,null,\"unread\",\"unread\",null,null,"
     NO_CURSOR ",51,0]",
     "{\"v\":[\"voicemails_org_status\",\"voicemails_org_received\"],\"_no_filesort\":true}"},
    {"voicemails_list/phone", DSQL_VOICEMAILS_LIST_N,
     "[\"$org\",\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\",\"$num\",\"$num\",null,null,null,null,null,null,null,null,null,null,51,0]",
     "{\"v\":\"voicemails_org_to\",\"_no_filesort\":true}"},
    {"voicemails_total", DSQL_VOICEMAILS_TOTAL_T,
     "[" DATED "," NO_FILTERS ",\"$org\",\"voicemail_all\",\"$hA\",\"$hB\",\"$hC\",\"$hD\"," NO_FILTERS
     ",\"$org\",\"voicemail_all\",\"$dA\",\"$dB\"," NO_FILTERS "]",
     "{\"voicemails\":\"voicemails_org_received\",\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\"}"},
    {"extensions_list", DSQL_EXTENSIONS_LIST,
     "[\"$org\",\"active\",\"active\",\"$org\",\"active\",\"active\"," NO_CURSOR ",51,0]",
     "{\"e\":[\"extensions_org_status_ext\",\"extensions_org_extension\"],\"x\":\"*\","
     "\"i\":\"ix_org_invitations_extension\"}"},
    {"extensions_total", DSQL_EXTENSIONS_TOTAL, "[\"$org\",null,null]", "{\"extensions\":\"*\"}"},
    {"phones_list", DSQL_PHONES_LIST,
     "[\"$org\",null,null,null,\"$org\",null,null,null," NO_CURSOR ",51,0]",
     "{\"x\":\"*\",\"p\":\"phone_numbers_org_number\",\"t\":\"PRIMARY\",\"c\":\"calls_org_business\"}"},
    {"phones_list/unassigned", DSQL_PHONES_LIST,
     "[\"$org\",\"active\",\"active\",1,\"$org\",\"active\",\"active\",1," NO_CURSOR ",51,0]",
     "{\"x\":\"*\",\"p\":[\"phone_numbers_org_status_assigned\",\"phone_numbers_org_status\"],\"t\":\"PRIMARY\",\"c\":\"calls_org_business\"}"},
    {"phones_total", DSQL_PHONES_TOTAL, "[\"$org\",\"active\",\"active\",null]", "{\"p\":\"*\"}"},
    {"contacts_list", DSQL_CONTACTS_LIST_NAME,
     "[\"$org\",null,null,null,null,null,null,null,\"$org\",null,null,null,null,null,null,null," NO_CURSOR ",51,0]", "{\"k\":[\"contacts_org_live_name\",\"contacts_org_name\"],\"_no_filesort\":true}"},
    {"contacts_list/search", DSQL_CONTACTS_LIST_NAME,
     "[\"$org\",\"A%\",\"A%\",null,null,null,null,null,\"$org\",\"A%\",\"A%\",null,null,null,null,null," NO_CURSOR ",51,0]", "{\"k\":[\"contacts_org_live_name\",\"contacts_org_name\"],\"_no_filesort\":true}"},
    {"contacts_list/phone", DSQL_CONTACTS_LIST_PHONE,
     "[\"$org\",null,null,\"+1%\",\"+1%\",\"+1%\",null,null,\"$org\",null,null,\"+1%\",\"+1%\",\"+1%\",null,null,null,null,null,null,51,0]", "{\"k\":\"contacts_org_phone\"}"},
    {"contacts_list/email", DSQL_CONTACTS_LIST_EMAIL,
     "[\"$org\",null,null,null,null,null,\"a%\",\"a%\",\"$org\",null,null,null,null,null,\"a%\",\"a%\",null,null,null,null,51,0]", "{\"k\":\"contacts_org_email\"}"},
    {"contacts_total", DSQL_CONTACTS_TOTAL_NAME, "[\"$org\",null,null,null,null,null,null,null]",
     "{\"k\":\"contacts_org_live_name\"}"},
    {"contacts_total/phone", DSQL_CONTACTS_TOTAL_PHONE, "[\"$org\",null,null,\"+1%\",\"+1%\",\"+1%\",null,null]",
     "{\"k\":\"contacts_org_phone\"}"},
#define CONTACT_WORD_ARGS                                                                            \
    "\"$org\",\"cl%\",\"$org\",\"cl%\",\"$org\",\"cl%\",\"$org\",\"cl%\",\"$org\",\"cl%\""
#define CONTACT_WORD_INDEXES                                                                         \
    "\"contacts_org_live_name\",\"contacts_org_first\",\"contacts_org_last\",\"contacts_org_company\","     \
    "\"contacts_org_email\""
    {"contacts_list/words", DSQL_CONTACTS_LIST_WORDS,
     "[" CONTACT_WORD_ARGS "," CONTACT_WORD_ARGS "," NO_CURSOR ",51,0]",
     "{\"w\":[" CONTACT_WORD_INDEXES "],\"k\":\"PRIMARY\"}"},
    {"contacts_total/words", DSQL_CONTACTS_TOTAL_WORDS, "[" CONTACT_WORD_ARGS "]",
     "{\"w\":[" CONTACT_WORD_INDEXES "]}"},
#define THREAD_NO_FILTERS "\"$org\",null,null,null,null,0,null,null,null,null,null,null"
    {"threads_page", DSQL_THREADS_PAGE,
     "[" THREAD_NO_FILTERS "," THREAD_NO_FILTERS "," NO_CURSOR ",51,0]",
     "{\"t\":\"sms_threads_org_last\",\"_no_filesort\":true}"},
    {"threads_page/cursor", DSQL_THREADS_PAGE,
     "[" THREAD_NO_FILTERS "," THREAD_NO_FILTERS ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"t\":\"sms_threads_org_last\",\"_no_filesort\":true}"},
#define THREAD_SEARCH "\"$org\",null,null,null,null,1,\"+1%\",\"+1%\",\"a%\",\"a%\",\"a%\",\"a%\""
    {"threads_page/search", DSQL_THREADS_PAGE,
     "[" THREAD_SEARCH "," THREAD_SEARCH "," NO_CURSOR ",51,0]",
     "{\"t\":\"sms_threads_org_last\",\"u\":\"sms_messages_org_thread\",\"n\":\"*\",\"_no_filesort\":true}"},
    {"threads_total", DSQL_THREADS_TOTAL, "[" THREAD_SEARCH "]", "{\"x\":\"*\",\"u\":\"sms_messages_org_thread\"}"},
#define ALL_TIME "\"1970-01-01 00:00:00\",\"2200-01-01 00:00:00\""
#define CUST_NUM "\"$org\",\"+12125550100\"," ALL_TIME "," NO_FILTERS
    {"calls_customer/number", DSQL_CALLS_CUSTOMER_NUMBER_PAGE,
     "[" CUST_NUM "," CUST_NUM ",\"$curT\",\"$curT\",\"$curT\",\"$curId\",51,0]",
     "{\"c\":\"calls_org_customer\",\"x\":\"calls_org_customer\",\"_no_filesort\":true}"},
    {"calls_customer_total/number", DSQL_CALLS_CUSTOMER_NUMBER_TOTAL, "[" CUST_NUM "]",
     "{\"c\":\"calls_org_customer\"}"},
#define CUST_NAME "\"$org\",\"cl%\",\"cl%\",\"cl%\"," ALL_TIME "," NO_FILTERS ",\"$org\",\"cl%\"," ALL_TIME "," NO_FILTERS
    {"calls_customer/name", DSQL_CALLS_CUSTOMER_NAME_PAGE,
     "[" CUST_NAME "," CUST_NAME "," NO_CURSOR ",51,0]",
     "{\"y\":\"calls_org_customer\",\"z\":\"calls_org_caller_name\",\"k\":\"*\",\"c\":\"PRIMARY\"}"},
    {"calls_customer_total/name", DSQL_CALLS_CUSTOMER_NAME_TOTAL, "[" CUST_NAME "]",
     "{\"y\":\"calls_org_customer\",\"z\":\"calls_org_caller_name\",\"k\":\"*\"}"},
    {"report_rows", DSQL_REPORT_ROWS, "[\"$org\",\"$dA\",\"$dB\",null,null,51,0]", "{\"r\":\"PRIMARY\"}"},
    {"report_by_day", DSQL_REPORT_BY_DAY, "[\"$org\",\"$dA\",\"$dB\",null,null]", "{\"r\":\"PRIMARY\"}"},
    {"report_by_day/phone", DSQL_REPORT_BY_DAY, "[\"$org\",\"$dA\",\"$dB\",\"$num\",\"$num\"]",
     "{\"r\":[\"call_reports_org_number_day\",\"PRIMARY\"]}"},
    {"report_by_phone", DSQL_REPORT_BY_PHONE, "[\"$org\",\"$dA\",\"$dB\",null,null]",
     "{\"r\":\"PRIMARY\",\"p\":\"phone_numbers_org_number\"}"},
    {"report_by_day_page", DSQL_REPORT_BY_DAY_PAGE,
     "[\"$dA\",null,null,29,\"$dB\",null,null,\"$org\",\"$org\",null,null,50,0]", "{\"r\":\"PRIMARY\"}"},
    {"report_by_day_all_page", DSQL_REPORT_BY_DAY_ALL_PAGE,
     "[\"$dA\",null,null,29,\"$dB\",null,null,\"$org\",\"$org\",50,0]", "{\"r\":\"PRIMARY\"}"},
    {"report_by_phone_page", DSQL_REPORT_BY_PHONE_PAGE,
     "[\"$dA\",null,null,29,\"$dB\",null,null,\"$org\",\"$org\",null,null,50,0]", "{\"r\":\"PRIMARY\"}"},
    {"report_summary", DSQL_REPORT_SUMMARY, "[\"$org\",\"$dA\",\"$dB\",null,null]", "{\"r\":\"PRIMARY\"}"},
    {"report_by_agent", DSQL_REPORT_BY_AGENT,
     "[\"$org\",\"$org\",\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",null,null,\"$org\",\"agent_all\",\"$hA\",\"$hB\",\"$hC\","
     "\"$hD\",null,null,\"$org\",\"agent_all\",\"$dA\",\"$dB\",null,null,\"$org\",\"$tA\",\"$tB\",null,null]",
     "{\"c\":\"calls_org_started\",\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\",\"e\":\"*\","
     "\"mc\":\"calls_org_type\"}"},
    {"metrics_org", DSQL_METRICS_ORG,
     "[\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$tB\",\"$tA\",\"$tA\",\"$org\",\"$hA\",\"$hB\",\"$hC\",\"$hD\",\"$org\",\"$dA\",\"$dB\","
     "\"$org\",\"$tA\",\"$org\"]",
     "{\"calls\":\"calls_org_started\",\"sms_messages\":\"sms_messages_org_sent\","
     "\"data_counts_hourly\":\"PRIMARY\",\"data_counts_daily\":\"PRIMARY\","
     "\"s\":\"*\",\"m\":\"*\",\"e\":\"*\",\"c\":[\"calls_org_status\",\"calls_org_extension\"]}"},
    {"client_metrics", DSQL_CLIENT_METRICS, "[]",
     "{\"data_counts_total\":\"data_counts_total_platform\",\"data_counts_daily\":\"data_counts_daily_platform\","
     "\"orgs\":\"~\",\"users\":\"~\",\"sync_jobs\":\"*\"}"},
};

const int data_sql_catalog_len = (int)(sizeof data_sql_catalog / sizeof data_sql_catalog[0]);
