/* data_sql.h — every SQL statement of the call-data API (lists, totals,
 * reports, metrics), in one place so that the code and the EXPLAIN test run
 * the very same text. The catalog below names each list/aggregate statement
 * with example parameter sets and the index each must use;
 * tests/api/data_queries.json is its printed copy (tests/unit/test_data_sql
 * checks they match, `test_data_sql --print` rewrites it) and
 * tests/api/data_explain.test.mjs runs EXPLAIN of each case through
 * PREPARE/EXECUTE with those parameters.
 *
 * Filters are never spliced into SQL: every optional filter is a fixed
 * fragment "(? IS NULL OR col = ?)" bound twice. MariaDB optimizes each
 * execution with the bound values, so an absent filter folds away and a given
 * one becomes an index range — one statement per list instead of one per
 * filter combination (which would also overflow the per-connection statement
 * cache of core/platform/db.c). */
#ifndef VS_DATA_SQL_H
#define VS_DATA_SQL_H

/* ---- time-series lists, one variant per driving index ([0] time, [1]
 * number, [2] d1, [3] d2, [4] type; NULL = no index for that filter): params
 * org, from, to, 4 filter pairs, cursor (key, key, key, id), limit, offset (17) */
extern const char *const DSQL_CALLS_LIST[5];
extern const char *const DSQL_SMS_LIST[5];
extern const char *const DSQL_RECORDINGS_LIST[5];
extern const char *const DSQL_VOICEMAILS_LIST[5];
/* dated totals, same variants: edges (org, 4 bounds, 4 filter pairs), hourly
 * (org, kind, 4 bounds, 4 pairs), daily (org, kind, 2 bounds, 4 pairs) (39) */
extern const char *const DSQL_CALLS_TOTAL[5];
extern const char *const DSQL_SMS_TOTAL[5];
extern const char *const DSQL_RECORDINGS_TOTAL[5];
extern const char *const DSQL_VOICEMAILS_TOTAL[5];
/* a page with its total as hidden column "_total", same variants: the
 * all-time total's 10 parameters (org, kind, 4 pairs) or the dated total's
 * 39, then the list's 17 */
extern const char *const DSQL_CALLS_PAGE_ALL[5], *const DSQL_CALLS_PAGE_DATED[5];
extern const char *const DSQL_SMS_PAGE_ALL[5], *const DSQL_SMS_PAGE_DATED[5];
extern const char *const DSQL_RECORDINGS_PAGE_ALL[5], *const DSQL_RECORDINGS_PAGE_DATED[5];
extern const char *const DSQL_VOICEMAILS_PAGE_ALL[5], *const DSQL_VOICEMAILS_PAGE_DATED[5];
/* all-time total of any kind: org, kind, 4 filter pairs (10) */
extern const char DSQL_COUNTS_ALL_TIME[];

/* ---- small per-org lists */
extern const char DSQL_EXTENSIONS_LIST[];  /* total's (org, status pair), org, status pair, cursor ×4, limit, offset */
extern const char DSQL_EXTENSIONS_TOTAL[]; /* org, status pair */
extern const char DSQL_PHONES_LIST[];      /* total's 4, org, status pair, unassigned, cursor ×4, limit, offset */
extern const char DSQL_PHONES_TOTAL[];     /* org, status pair, unassigned pair */
extern const char DSQL_PHONE_GET[];        /* id, org */
extern const char DSQL_PHONE_ASSIGN[];     /* user, at, id, org */
extern const char DSQL_PHONE_UNASSIGN[];   /* id, org */
extern const char DSQL_MEMBER_NAME[];      /* org, user */
/* [0] by name (or no search), [1] phone prefix, [2] email prefix: the total's 8 (as below), org, name pair,
 * phone (?, ?, ?), email pair, cursor ×4, limit, offset */
extern const char *const DSQL_CONTACTS_LIST[3];
extern const char *const DSQL_CONTACTS_TOTAL[3]; /* same variants: org, name pair, phone (?, ?, ?), email pair */
extern const char DSQL_CONTACT_GET[];      /* id, org */
extern const char DSQL_CONTACT_STATE[];    /* id, org: the fields an update merges into */
extern const char DSQL_CONTACT_ID_BY_EXT[]; /* org, external_id */
extern const char DSQL_CONTACT_INSERT_LOCAL[];
extern const char DSQL_CONTACT_UPDATE_LOCAL[]; /* …, id, org, expected etag */
extern const char DSQL_CONTACT_MARK_DELETED[]; /* id, org, check_etag, etag */
extern const char DSQL_CONTACT_SET_COMPANY[];  /* company, org, external_id: the local field beside MightyCall's copy */

/* ---- org time: local bounds of the org's time zone */
extern const char DSQL_ORG_LOCAL_BOUNDS[]; /* day_from, day_from, day_to, day_to, org */
extern const char DSQL_ORG_REPORT_DAYS[];  /* from_day, from_dt, from_dt, default_days, to_day, to_dt, to_dt, org */
extern const char DSQL_ORG_NOW[];          /* org */

/* ---- reports (call_reports_daily; agents from the counters + calls) */
extern const char DSQL_REPORT_ROWS[];        /* org, from, to, phone pair, limit, offset */
extern const char DSQL_REPORT_ROWS_TOTAL[];  /* org, from, to, phone pair */
extern const char DSQL_REPORT_BY_DAY[];       /* org, from, to, phone pair: every group */
extern const char DSQL_REPORT_BY_PHONE[];     /* same */
extern const char DSQL_REPORT_BY_DAY_PAGE[];   /* report days (8), org, phone pair, limit, offset */
extern const char DSQL_REPORT_BY_DAY_ALL_PAGE[]; /* report days (8), org, limit, offset: the org day rollup */
extern const char DSQL_REPORT_BY_PHONE_PAGE[]; /* same */
extern const char DSQL_REPORT_SUMMARY[];     /* org, from, to, phone pair */
/* Reports filtered by direction / status / agent, from the calls themselves:
 * [org for the label or org, org for the agent], then tz, org, from_utc,
 * to_utc and the pairs phone, direction, status, agent_user_id. */
extern const char DSQL_REPORT_F_ROWS[];
extern const char DSQL_REPORT_F_DAY[];
extern const char DSQL_REPORT_F_PHONE[];
extern const char DSQL_REPORT_F_AGENT[];
extern const char DSQL_REPORT_BY_AGENT[];    /* org, org, edges (org, 4, phone pair), hourly (org, kind, 4, pair), daily (org, kind, 2, pair) */

/* ---- calls with one customer: {page, total} (sql/081) */
extern const char *const DSQL_CALLS_CUSTOMER_NUMBER[2]; /* total: org, e164, from, to, dims 8 (12); list: same; cursor 4, limit, offset */
extern const char *const DSQL_CALLS_CUSTOMER_NAME[2];   /* total: org, like x3, from, to, dims 8, org, like, from, to, dims 8 (26); list: same; cursor 4, limit, offset */

/* ---- contacts: word search (display/first/last name, company, e-mail prefix) */
#define DSQL_CONTACT_WORD_BRANCHES 5 /* (org, like) pairs of one word search */
/* {page, total}: total (org, like) x BRANCHES, list x BRANCHES, cursor 4, limit, offset */
extern const char *const DSQL_CONTACTS_WORDS[2];

/* ---- SMS threads: columns of a thread row (FROM sms_threads t follows) */
#define DSQL_THREAD_COLS                                                                                          \
    "SELECT t.id, t.business_number, t.contact_number, "                                                          \
    "(SELECT c.display_name FROM contacts c FORCE INDEX (contacts_org_phone_live) WHERE c.org_id = t.org_id "    \
    "AND c.primary_phone = t.contact_number "   \
    "AND c.deleted_at IS NULL ORDER BY c.updated_at DESC LIMIT 1) AS contact_name, "                              \
    "t.last_message_at, t.last_read_at, "                                                                         \
    "(SELECT COUNT(*) FROM sms_messages u FORCE INDEX (sms_messages_org_thread) WHERE u.org_id = t.org_id "      \
    "AND u.thread_id = t.id "                                                                                     \
    "AND u.direction = 'inbound' AND u.read_at IS NULL) AS unread_count, "                                        \
    "(SELECT COUNT(*) FROM sms_messages n WHERE n.org_id = t.org_id AND n.thread_id = t.id) AS message_count, "   \
    "(SELECT JSON_OBJECT('id', l.id, 'direction', l.direction, 'body', l.body, 'status', l.status, "              \
    "'sent_at', DATE_FORMAT(l.sent_at, '%Y-%m-%dT%H:%i:%sZ')) FROM sms_messages l "                               \
    "WHERE l.org_id = t.org_id AND l.thread_id = t.id ORDER BY l.sent_at DESC, l.id DESC LIMIT 1) "               \
    "AS last_message__json"
/* The thread list, newest activity first, keyset-paged on (last_message_at, id):
 * the 12 filter parameters (total), the same 12 (list), cursor 4, limit, offset.
 * Filters: org, business number pair, contact number pair, unread 0/1, number
 * prefix pair (LIKE), name prefix (null check + display/first/last LIKE). */
extern const char DSQL_THREADS_PAGE[];
extern const char DSQL_THREADS_TOTAL[];

/* ---- metrics */
extern const char DSQL_METRICS_ORG[];        /* 4 periods × (edges 5, hourly 5, daily 3), org, live_since, org */
extern const char DSQL_CLIENT_METRICS[];

/* ---- the catalog (EXPLAIN test) */
typedef struct {
    const char *name;   /* "calls_list/phone" */
    const char *sql;    /* one of the statements above */
    const char *params; /* JSON array; "$token" strings are filled by the test */
    const char *expect; /* JSON object {table: index} each table row must use */
} data_sql_case;

extern const data_sql_case data_sql_catalog[];
extern const int data_sql_catalog_len;

#endif
