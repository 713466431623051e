/* sms_threads.h — SMS conversations: one thread per (business number, contact
 * number) of an org, built from every message in sms_messages whoever wrote
 * it (the sync, webhooks, the send API). Messages written by the sync arrive
 * without a thread; sms_threads_attach() files them and runs before every
 * read of threads or of the live feed (cheap when there is nothing to file),
 * and vs-sync may call it after storing SMS.
 *
 * Reads: the list (last message, unread count, newest first), one thread with
 * its messages (newest first, paged), mark-read (inbound messages get
 * read_at). Unread = inbound messages with read_at NULL. */
#ifndef VS_SMS_THREADS_H
#define VS_SMS_THREADS_H

#include <jansson.h>
#include <stdbool.h>

#include "data/cursor.h"
#include "platform/db.h"

/* Columns of a message as the API shows it; FROM sms_messages m LEFT JOIN
 * sms_outbox o. delivery_state is the outbox state of an API-sent message
 * still on its way (pending | sending | unknown), else null. */
#define SMS_MESSAGE_COLS                                                                                          \
    "SELECT m.id, m.thread_id, m.direction, "                                                                     \
    "IF(m.direction = 'inbound', m.contact_number, m.business_number) AS `from`, "                               \
    "IF(m.direction = 'inbound', m.business_number, m.contact_number) AS `to`, "                                 \
    "m.business_number, m.contact_number, m.body, m.status, "                                                     \
    "IF(o.state IS NULL OR o.state = 'done', NULL, o.state) AS delivery_state, m.failure_reason, "                \
    "m.external_id, m.source, m.sent_by_user_id, m.extension, m.sent_at, m.read_at, m.created_at, m.updated_at "
#define SMS_MESSAGE_FROM "FROM sms_messages m LEFT JOIN sms_outbox o ON o.message_id = m.id "
#define SMS_MESSAGE_SELECT SMS_MESSAGE_COLS SMS_MESSAGE_FROM

/* File the org's messages that have no thread yet. */
int sms_threads_attach(db_conn *db, const char *org_id);

/* The thread of (business, contact), created if needed; its last_message_at
 * moves to at least sent_at ("YYYY-MM-DD HH:MM:SS[.mmm]" or NULL = now).
 * Runs in the caller's transaction if one is open. */
int sms_thread_ensure(db_conn *db, const char *org_id, const char *business_number, const char *contact_number,
                      const char *sent_at, char id_out[37]);

typedef struct {
    const char *business_number; /* E.164 filter or NULL */
    const char *contact_number;  /* E.164 filter or NULL */
    bool unread_only;
    const char *number_prefix; /* LIKE pattern on the contact number ("+1212%") or NULL */
    const char *name_prefix;   /* LIKE pattern on a contact's display/first/last name or NULL */
} sms_thread_filter;

/* search text → the filter's LIKE patterns (number when it is only digits and
 * "+ -()." with at least 2 digits, else name); the buffers hold the patterns. */
void sms_thread_search(const char *search, sms_thread_filter *f, char num[64], char name[900]);

/* Keyset page of threads, newest activity first, written as the list
 * envelope text {data, total, skip, limit, next_cursor} (*body malloc'd);
 * rows: {id, business_number, contact_number, contact_name, last_message_at,
 * last_read_at, unread_count, message_count, last_message{id, direction,
 * body, status, sent_at}}. Cursor list tag "sms_threads" (time key). */
int sms_threads_list(db_conn *db, const char *org_id, const sms_thread_filter *f, const list_cursor *cur,
                     const page_req *page, char **body, size_t *body_len);

/* One thread (same shape as a list row); *out NULL when not in the org. */
int sms_thread_get(db_conn *db, const char *org_id, const char *thread_id, json_t **out);

/* Page of a thread's messages, newest first (SMS_MESSAGE_SELECT rows). */
int sms_thread_messages(db_conn *db, const char *org_id, const char *thread_id, long long skip, int limit,
                        json_t **rows, long long *total);

/* Mark the thread's inbound messages read; *found false when the thread is
 * not in the org; *marked = messages that became read. */
int sms_thread_mark_read(db_conn *db, const char *org_id, const char *thread_id, bool *found, long long *marked);

#endif
