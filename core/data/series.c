/* series.c — owns the definitions of the time-series lists (SQL in
 * core/data/data_sql.c, paging in data_list.c). A call's `type` is the
 * generated column calls.call_type (sql/030): outbound, inbound (answered or
 * still live) or missed (every other inbound call). The SMS `sender` is the
 * contact for inbound messages and the business number for outbound ones. */
#include "data/series.h"

#include "data/data_sql.h"

const dl_series calls_series = {"calls", "call", DSQL_CALLS_LIST, DSQL_CALLS_TOTAL,
                                         DSQL_CALLS_PAGE_ALL, DSQL_CALLS_PAGE_DATED};
const dl_series sms_series = {"sms", "sms", DSQL_SMS_LIST, DSQL_SMS_TOTAL,
                                         DSQL_SMS_PAGE_ALL, DSQL_SMS_PAGE_DATED};
const dl_series recordings_series = {"recordings", "recording", DSQL_RECORDINGS_LIST, DSQL_RECORDINGS_TOTAL,
                                         DSQL_RECORDINGS_PAGE_ALL, DSQL_RECORDINGS_PAGE_DATED};
const dl_series voicemails_series = {"voicemails", "voicemail", DSQL_VOICEMAILS_LIST, DSQL_VOICEMAILS_TOTAL,
                                         DSQL_VOICEMAILS_PAGE_ALL, DSQL_VOICEMAILS_PAGE_DATED};

const char *const call_directions[] = {"inbound", "outbound", NULL};
const char *const call_statuses[] = {"connected", "missed",   "voicemail",   "dropped", "no_answer", "canceled",
                                     "busy",      "failed",   "ringing",     "in_progress", "unknown", NULL};
const char *const call_types[] = {"inbound", "outbound", "missed", NULL};
const char *const sms_statuses[] = {"queued", "sent", "delivered", "failed", "received", NULL};
const char *const voicemail_statuses[] = {"unread", "read", NULL};
