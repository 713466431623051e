/* activity.c — owns the activity_log table: recording events, the list of
 * known event types, and reading an org's feed. */
#include "platform/activity.h"

#include <string.h>

#include "platform/log.h"

const char *const activity_types[] = {
    "call", "sms", "voicemail", "user_login",
    "integration_sync", "integration_created", "integration_updated", "integration_deleted",
    "org_created", "org_updated", "org_deleted",
    "member_added", "member_removed", "member_invited", "invitation_revoked",
    "api_key_created", "api_key_revoked",
    "phone_number_assigned", "phone_number_unassigned",
    "contact_created", "contact_updated", "contact_deleted",
    "agent_status_changed",
    "extension_linked",
    NULL,
};

bool activity_type_known(const char *type)
{
    if (!type)
        return false;
    for (const char *const *t = activity_types; *t; t++)
        if (strcmp(*t, type) == 0)
            return true;
    return false;
}

static size_t seq_len(const unsigned char *s)
{
    size_t len = 1;
    if ((s[0] & 0xE0) == 0xC0) len = 2;
    else if ((s[0] & 0xF0) == 0xE0) len = 3;
    else if ((s[0] & 0xF8) == 0xF0) len = 4;
    for (size_t k = 1; k < len; k++)
        if (!s[k])
            return k;
    return len;
}

bool activity_clip(const char *src, size_t max_chars, char *dst, size_t dstsz)
{
    static const char ellipsis[] = "\xe2\x80\xa6"; /* "…" */
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0, chars = 0, before_last = 0; /* byte offset after max_chars-1 chars */
    if (dstsz == 0)
        return false;
    while (s[i] && chars < max_chars) {
        if (chars + 1 == max_chars)
            before_last = i;
        i += seq_len(s + i);
        chars++;
    }
    if (!s[i] && i < dstsz) { /* fits as it is */
        memcpy(dst, src, i + 1);
        return false;
    }
    /* cut for length: keep max_chars-1 characters + "…"; cut for space: as much as fits */
    size_t at = s[i] ? (max_chars > 0 ? before_last : 0) : i;
    while (at > 0 && at + sizeof ellipsis > dstsz) { /* shrink to the buffer, on a boundary */
        at--;
        while (at > 0 && (s[at] & 0xC0) == 0x80)
            at--;
    }
    memcpy(dst, src, at);
    if (at + sizeof ellipsis <= dstsz)
        memcpy(dst + at, ellipsis, sizeof ellipsis);
    else
        dst[at] = 0;
    return true;
}

int activity_record(db_conn *db, const char *org_id, const char *user_id, const char *type,
                    const char *description)
{
    if (!activity_type_known(type)) {
        log_error("activity: unknown type '%.40s' (add it to activity_types[])", type ? type : "(null)");
        return DB_ERROR;
    }
    char desc[ACTIVITY_DESCRIPTION_MAX * 4 + 4];
    activity_clip(description ? description : "", ACTIVITY_DESCRIPTION_MAX, desc, sizeof desc);
    db_param p[] = {DBP_STR(org_id), DBP_STR(user_id), DBP_STR(type), DBP_STR(desc)};
    return db_exec(db, "INSERT INTO activity_log (org_id, user_id, type, description) VALUES (?, ?, ?, ?)", p,
                   DB_NPARAMS(p), NULL);
}

/* The linked call of an entry: its id, when it started, which number and status
 * (what the dashboard needs to open it in the calls list); null without one. */
#define ACTIVITY_CALL_COLS                                                                                   \
    "IF(c.id IS NULL, NULL, JSON_OBJECT('id', c.id, 'started_at', DATE_FORMAT(c.started_at, "                \
    "'%Y-%m-%dT%H:%i:%sZ'), 'business_number', c.business_number, 'status', c.status)) AS call__json"
#define ACTIVITY_CALL_JOIN " LEFT JOIN calls c ON c.id = a.call_id"

int activity_record_missed(db_conn *db, const char *org_id, long long *added)
{
    unsigned long long n1 = 0, n2 = 0;
    db_param p[] = {DBP_STR(org_id), DBP_INT(ACTIVITY_RECENT_HOURS), DBP_INT(ACTIVITY_RECENT_MAX)};
    int rc = db_exec(db,
                     "INSERT INTO activity_log (org_id, type, description, call_id, ref_id) "
                     "SELECT c.org_id, 'call', CONCAT('Missed call from ', COALESCE(c.caller_name, c.caller_number, "
                     "'an unknown number'), IF(c.business_number IS NULL, '', CONCAT(' to ', c.business_number))), "
                     "c.id, c.id FROM calls c WHERE c.org_id = ? AND c.direction = 'inbound' "
                     "AND c.status NOT IN ('connected', 'ringing', 'in_progress', 'unknown') "
                     "AND c.started_at >= UTC_TIMESTAMP() - INTERVAL ? HOUR AND NOT EXISTS (SELECT 1 FROM "
                     "activity_log a WHERE a.org_id = c.org_id AND a.ref_id = c.id AND a.type = 'call') "
                     "ORDER BY c.started_at LIMIT ?",
                     p, DB_NPARAMS(p), &n1);
    if (rc != DB_OK)
        return rc;
    rc = db_exec(db,
                 "INSERT INTO activity_log (org_id, type, description, call_id, ref_id) "
                 "SELECT v.org_id, 'voicemail', CONCAT('Voicemail from ', COALESCE(v.from_number, "
                 "'an unknown number'), IF(v.to_number IS NULL, '', CONCAT(' to ', v.to_number))), "
                 "(SELECT c.id FROM calls c WHERE c.id = v.call_id), v.id FROM voicemails v WHERE v.org_id = ? "
                 "AND v.received_at >= UTC_TIMESTAMP() - INTERVAL ? HOUR AND NOT EXISTS (SELECT 1 FROM "
                 "activity_log a WHERE a.org_id = v.org_id AND a.ref_id = v.id AND a.type = 'voicemail') "
                 "ORDER BY v.received_at LIMIT ?",
                 p, DB_NPARAMS(p), &n2);
    if (added)
        *added = (long long)(n1 + n2);
    return rc;
}

/* A user's sign-ins show only to the orgs they belong to now (a removed
 * member's later or earlier sign-ins are no business of that org). */
#define ACTIVITY_VISIBLE                                                                                             \
    " AND (a.type <> 'user_login' OR EXISTS (SELECT 1 FROM org_members m"                                        \
    " WHERE m.org_id = a.org_id AND m.user_id = a.user_id))"

int activity_list(db_conn *db, const char *org_id, const char *type, long long skip, int limit, json_t **rows,
                  long long *total)
{
    int rc;
    *rows = NULL;
    *total = 0;
    if (type) {
        db_param c[] = {DBP_STR(org_id), DBP_STR(type)};
        rc = db_query_int(db, "SELECT COUNT(*) FROM activity_log a WHERE a.org_id = ? AND a.type = ?" ACTIVITY_VISIBLE, c, DB_NPARAMS(c),
                          total);
        if (rc != DB_OK)
            return rc;
        db_param p[] = {DBP_STR(org_id), DBP_STR(type), DBP_INT(limit), DBP_INT(skip)};
        return db_query(db,
                        "SELECT a.id, a.type, a.description, u.full_name AS user, a.created_at AS timestamp, " ACTIVITY_CALL_COLS
                        " FROM activity_log a LEFT JOIN users u ON u.id = a.user_id" ACTIVITY_CALL_JOIN
                        " WHERE a.org_id = ? AND a.type = ?" ACTIVITY_VISIBLE
                        " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?",
                        p, DB_NPARAMS(p), rows);
    }
    db_param c[] = {DBP_STR(org_id)};
    rc = db_query_int(db, "SELECT COUNT(*) FROM activity_log a WHERE a.org_id = ?" ACTIVITY_VISIBLE, c, DB_NPARAMS(c), total);
    if (rc != DB_OK)
        return rc;
    db_param p[] = {DBP_STR(org_id), DBP_INT(limit), DBP_INT(skip)};
    return db_query(db,
                    "SELECT a.id, a.type, a.description, u.full_name AS user, a.created_at AS timestamp, " ACTIVITY_CALL_COLS
                    " FROM activity_log a LEFT JOIN users u ON u.id = a.user_id" ACTIVITY_CALL_JOIN
                    " WHERE a.org_id = ?" ACTIVITY_VISIBLE
                    " ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?",
                    p, DB_NPARAMS(p), rows);
}
