/* mc_parse.h — MightyCall v4 response shapes → plain C records. Pure
 * functions (no I/O): envelopes (wrapped {"data":…} or bare), case-blind enums,
 * durations ("hh:mm:ss", millisecond and second strings), timestamps in every
 * format MightyCall uses, Retry-After values and the "Retry after <UTC time>"
 * text of a 429. Strings are copied (truncated to the field size) so records
 * outlive the JSON they came from; phone numbers are stored as phone_canonical()
 * gives them (platform/phone.h, included here for MC_PHONE_LEN). */
#ifndef VS_MC_PARSE_H
#define VS_MC_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "platform/phone.h"

#define MC_TIME_LEN 24 /* "YYYY-MM-DD HH:MM:SS.mmm" + NUL (UTC, SQL DATETIME(3)) */
#define MC_ID_LEN 65
#define MC_PHONE_LEN PHONE_CANONICAL_LEN
#define MC_NAME_LEN 201
#define MC_ENUM_LEN 17
#define MC_URL_LEN 1025

/* Parse a response body. 0 ok; -1 with a plain reason in err ("malformed JSON
 * at byte N") — never the body itself. */
int mc_json_parse(const char *buf, size_t len, json_t **out, char *err, size_t errsz);

/* The payload of an envelope: {"data": X, "isSuccess"…} and {data?, errorCode,
 * message} give X; anything else (bare) is returned as is. Borrowed. */
json_t *mc_unwrap(json_t *root);
/* Array `key` inside the (unwrapped) payload, or NULL when absent / not an array. */
json_t *mc_list(json_t *root, const char *key);
/* Human message of an error body: "message", "error_description", "error",
 * "errorCode" (first present), else NULL. Borrowed. */
const char *mc_error_text(json_t *root);

/* Case-blind comparison that also ignores '_' and '-': "NoAnswer" ==
 * "noAnswer" == "no_answer". */
bool mc_enum_is(const char *v, const char *want);

/* Timestamp → "YYYY-MM-DD HH:MM:SS.mmm" UTC. Accepts Z, ±hh:mm, ±hhmm,
 * " UTC" and no zone (taken as UTC), fractions of any length. 0 ok, -1 bad. */
int mc_parse_time(const char *s, char out[MC_TIME_LEN]);
/* Milliseconds since the epoch of an mc_parse_time() result (or -1). */
long long mc_time_ms(const char *sql_time);
/* Epoch milliseconds → ISO 8601 "2024-01-20T14:30:00.000Z" (for query strings). */
void mc_iso_from_ms(long long ms, char out[32]);
/* Epoch milliseconds → SQL "YYYY-MM-DD HH:MM:SS.mmm". */
void mc_sql_from_ms(long long ms, char out[MC_TIME_LEN]);

/* "hh:mm:ss", "h:mm:ss.fff", "d.hh:mm:ss" or "mm:ss" → whole seconds (rounded),
 * -1 when malformed. */
long mc_parse_hms(const char *s);
/* Non-negative integer string ("120000", "120000.0") → value, -1 when malformed. */
long long mc_parse_uint(const char *s);
/* A duration field that is either a string of milliseconds, "hh:mm:ss" or a
 * JSON number of milliseconds → seconds (rounded). -1 when absent/malformed. */
long mc_duration_ms_field(json_t *v);
/* Same for fields in seconds ("42", 42, "00:00:42"). */
long mc_duration_s_field(json_t *v);

/* Call status → connected | missed | voicemail | dropped | no_answer |
 * canceled | busy | failed | ringing | in_progress | unknown. */
const char *mc_call_status(const char *s);
/* Incoming / Inbound → "inbound"; Outgoing / Outbound → "outbound"; else NULL. */
const char *mc_direction(const char *s);

/* Seconds to wait from a Retry-After header (delta seconds or HTTP date), -1 if
 * absent/invalid. */
long mc_retry_after_header(const char *v, time_t now);
/* Seconds to wait from "Too many requests. Retry after 2024-06-02T00:00:00.0000000 UTC",
 * -1 if the text names no time. */
long mc_retry_after_message(const char *msg, time_t now);
/* The time to try again after being told to wait wait_s seconds: rounded up
 * on the precise clock. time() reads the coarse one, which can lag a second
 * boundary the server already passed when it computed the wait, and a retry
 * one second early meets the same refusal. */
time_t mc_retry_at(long wait_s);
/* The same from a given precise time. */
time_t mc_retry_at_from(struct timespec now, long wait_s);

/* ---- records ---- */
typedef struct {
    char external_id[MC_ID_LEN];
    char number[MC_PHONE_LEN];
    char label[MC_NAME_LEN];
    bool enabled, is_primary, toll_free, may_text, may_call, deleted;
    char sms_mode[MC_ENUM_LEN];
    char last_used[MC_TIME_LEN]; /* "" when unknown */
} mc_phone;
/* 0 ok, -1 unusable (no number). */
int mc_parse_phone(json_t *o, bool deleted, mc_phone *out);

typedef struct {
    char id[MC_ID_LEN];
    char full_name[MC_NAME_LEN];
    char role[MC_ENUM_LEN];
    char extension[MC_ENUM_LEN];
    char email[255];
} mc_user;
int mc_parse_team_user(json_t *o, mc_user *out);

typedef struct {
    char id[MC_ID_LEN];
    char business_number[MC_PHONE_LEN];
    char direction[9];
    char status[MC_ENUM_LEN];
    char caller_number[MC_PHONE_LEN];
    char caller_name[MC_NAME_LEN];
    char called_number[MC_PHONE_LEN];
    char extension[MC_ENUM_LEN];
    char agent_name[MC_NAME_LEN];
    char started_at[MC_TIME_LEN];
    long duration_s;
    char recording_url[MC_URL_LEN];
    char recording_file[513];
} mc_call;
/* GET /calls item. 0 ok, -1 unusable (no id, time or direction). */
int mc_parse_call(json_t *o, mc_call *out);

typedef enum { MC_J_CALL = 1, MC_J_MESSAGE, MC_J_THREAD, MC_J_OTHER } mc_journal_type;
typedef struct {
    char id[MC_ID_LEN];
    char external_id[MC_ID_LEN]; /* requestGuid, else id */
    mc_journal_type type;
    char state[MC_ENUM_LEN];     /* normalized: mc_call_status() for calls, "message" for SMS */
    char direction[9];
    char client[MC_PHONE_LEN];
    char business_number[MC_PHONE_LEN];
    char created[MC_TIME_LEN];
    long duration_s;
    char agent_id[MC_ID_LEN];
    char agent_name[MC_NAME_LEN];
    char agent_ext[MC_ENUM_LEN];
    char agent_email[255];
    char agent_role[MC_ENUM_LEN];
    char recording_url[MC_URL_LEN];
    const char *text;             /* borrowed from the JSON; "" when none */
    char delivery[MC_ENUM_LEN];   /* sms status: received | sent | delivered | failed | queued */
    bool read;
    json_t *attachments;          /* borrowed array or NULL */
} mc_journal;
/* GET /journal/requests item. 0 ok, -1 unusable. */
int mc_parse_journal(json_t *o, mc_journal *out);

typedef struct {
    char id[MC_ID_LEN];
    char from[MC_PHONE_LEN];
    char to[MC_PHONE_LEN];
    char assigned_to[MC_NAME_LEN];
    char received_at[MC_TIME_LEN];
    long duration_s;
    char status[MC_ENUM_LEN]; /* read | unread */
    char url[MC_URL_LEN];
    char file_name[513];
} mc_voicemail;
int mc_parse_voicemail(json_t *o, mc_voicemail *out);

typedef struct {
    char id[MC_ID_LEN];
    char etag[MC_ID_LEN];
    char first_name[MC_NAME_LEN];
    char last_name[MC_NAME_LEN];
    char patronymic[MC_NAME_LEN];
    char display_name[401];
    char phone[MC_PHONE_LEN];
    char email[255];
    char created[MC_TIME_LEN];
    char updated[MC_TIME_LEN];
    const char *comment; /* borrowed, NULL when none */
    json_t *channels;    /* borrowed */
    json_t *tags;        /* borrowed */
    bool deleted;
} mc_contact;
int mc_parse_contact(json_t *o, mc_contact *out);

#endif
