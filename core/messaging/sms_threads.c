/* sms_threads.c — owns sms_threads and the thread view of sms_messages; see
 * sms_threads.h. */
#include "messaging/sms_threads.h"

#include <stdio.h>
#include <string.h>

#include "data/data_sql.h"
#include "data/data_version.h"
#include "data/search.h"
#include "platform/log.h"

int sms_threads_attach(db_conn *db, const char *org_id)
{
    db_param o[] = {DBP_STR(org_id)};
    long long pending = 0;
    int rc = db_query_int(db, "SELECT 1 FROM sms_messages WHERE org_id = ? AND thread_id IS NULL LIMIT 1", o, 1,
                          &pending);
    if (rc != DB_OK || !pending)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO sms_threads (org_id, business_number, contact_number, last_message_at) "
                 "SELECT org_id, business_number, contact_number, MAX(sent_at) FROM sms_messages "
                 "WHERE org_id = ? AND thread_id IS NULL GROUP BY org_id, business_number, contact_number "
                 "ON DUPLICATE KEY UPDATE last_message_at = GREATEST(sms_threads.last_message_at, "
                 "VALUES(last_message_at))",
                 o, 1, NULL);
    if (rc != DB_OK)
        return rc;
    return db_exec(db,
                   "UPDATE sms_messages m JOIN sms_threads t ON t.org_id = m.org_id AND "
                   "t.business_number = m.business_number AND t.contact_number = m.contact_number "
                   "SET m.thread_id = t.id WHERE m.org_id = ? AND m.thread_id IS NULL",
                   o, 1, NULL);
}

int sms_thread_ensure(db_conn *db, const char *org_id, const char *business_number, const char *contact_number,
                      const char *sent_at, char id_out[37])
{
    id_out[0] = 0;
    db_param p[] = {DBP_STR(org_id), DBP_STR(business_number), DBP_STR(contact_number), DBP_STR(sent_at)};
    int rc = db_exec(db,
                     "INSERT INTO sms_threads (org_id, business_number, contact_number, last_message_at) "
                     "VALUES (?, ?, ?, COALESCE(?, NOW(3))) ON DUPLICATE KEY UPDATE "
                     "last_message_at = GREATEST(last_message_at, VALUES(last_message_at))",
                     p, 4, NULL);
    if (rc != DB_OK)
        return rc;
    json_t *row = NULL;
    rc = db_query_row(db,
                      "SELECT id FROM sms_threads WHERE org_id = ? AND business_number = ? AND contact_number = ?", p,
                      3, &row);
    if (rc == DB_OK && row)
        snprintf(id_out, 37, "%s", json_string_value(json_object_get(row, "id")));
    else if (rc == DB_OK)
        rc = DB_ERROR;
    json_decref(row);
    return rc;
}

#define THREAD_SELECT DSQL_THREAD_COLS " FROM sms_threads t "

void sms_thread_search(const char *search, sms_thread_filter *f, char num[64], char name[900])
{
    char digits[SEARCH_DIGITS_MAX + 1];
    f->number_prefix = f->name_prefix = NULL;
    switch (search_classify(search, digits)) {
    case SEARCH_NUMBER:
        search_number_prefix(search, digits, num, 64);
        f->number_prefix = num;
        break;
    case SEARCH_EMAIL:
    case SEARCH_NAME:
        search_like_prefix("", search, name, 900);
        f->name_prefix = name;
        break;
    case SEARCH_NONE:
        break;
    }
}

int sms_threads_list(db_conn *db, const char *org_id, const sms_thread_filter *f, const list_cursor *cur,
                     const page_req *page, char **body, size_t *body_len)
{
    const char *num = f->number_prefix, *name = f->name_prefix;
    const char *ck = cur->present ? cur->key : NULL, *cid = cur->present ? cur->id : NULL;
    long long unread = f->unread_only ? 1 : 0;
#define THREAD_FILTER_PARAMS                                                                                      \
    DBP_STR(org_id), DBP_STR(f->business_number), DBP_STR(f->business_number), DBP_STR(f->contact_number),       \
        DBP_STR(f->contact_number), DBP_INT(unread), DBP_STR(num), DBP_STR(num), DBP_STR(name), DBP_STR(name),   \
        DBP_STR(name), DBP_STR(name)
    db_param p[] = {THREAD_FILTER_PARAMS, THREAD_FILTER_PARAMS, DBP_STR(ck),          DBP_STR(ck),
                    DBP_STR(ck),          DBP_STR(cid),         DBP_INT(page->limit + 1), DBP_INT(page->skip)};
#undef THREAD_FILTER_PARAMS
    return cursor_page_text(db, DSQL_THREADS_PAGE, DSQL_THREADS_TOTAL, p, DB_NPARAMS(p), 12, page, "sms_threads",
                            body, body_len);
}

int sms_thread_get(db_conn *db, const char *org_id, const char *thread_id, json_t **out)
{
    db_param p[] = {DBP_STR(thread_id), DBP_STR(org_id)};
    return db_query_row(db, THREAD_SELECT "WHERE t.id = ? AND t.org_id = ?", p, 2, out);
}

int sms_thread_messages(db_conn *db, const char *org_id, const char *thread_id, long long skip, int limit,
                        json_t **rows, long long *total)
{
    db_param c[] = {DBP_STR(org_id), DBP_STR(thread_id)};
    int rc = db_query_int(db, "SELECT COUNT(*) FROM sms_messages WHERE org_id = ? AND thread_id = ?", c, 2, total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_STR(thread_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(db,
                    SMS_MESSAGE_SELECT "WHERE m.org_id = ? AND m.thread_id = ? ORDER BY m.sent_at DESC, m.id DESC "
                                       "LIMIT ? OFFSET ?",
                    p, 4, rows);
}

int sms_thread_mark_read(db_conn *db, const char *org_id, const char *thread_id, bool *found, long long *marked)
{
    *found = false;
    *marked = 0;
    db_param p[] = {DBP_STR(thread_id), DBP_STR(org_id)};
    unsigned long long n = 0;
    int rc = db_exec(db, "UPDATE sms_threads SET last_read_at = NOW(3) WHERE id = ? AND org_id = ?", p, 2, &n);
    if (rc != DB_OK || n == 0)
        return rc;
    *found = true;
    db_param m[] = {DBP_STR(org_id), DBP_STR(thread_id)};
    rc = db_exec(db,
                 "UPDATE sms_messages SET read_at = NOW(3) WHERE org_id = ? AND thread_id = ? "
                 "AND direction = 'inbound' AND read_at IS NULL",
                 m, 2, &n);
    *marked = (long long)n;
    return rc == DB_OK ? org_data_version_bump(db, org_id) : rc; /* after the writes: no autocommit tx here */
}
