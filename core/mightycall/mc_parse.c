/* mc_parse.c — owns the mapping from MightyCall JSON to C records; see mc_parse.h. */
#include "mightycall/mc_parse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/text.h"

static void copy(char *dst, size_t dsz, const char *src)
{
    if (!src)
        src = "";
    size_t n = strlen(src);
    if (n >= dsz) {
        n = dsz - 1;
        /* never cut a UTF-8 sequence in half */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}
#define COPY(dst, src) copy((dst), sizeof(dst), (src))

static const char *str_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool bool_of(json_t *o, const char *key, bool dflt)
{
    json_t *v = json_object_get(o, key);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_string(v))
        return mc_enum_is(json_string_value(v), "true");
    return dflt;
}

int mc_json_parse(const char *buf, size_t len, json_t **out, char *err, size_t errsz)
{
    json_error_t je;
    *out = NULL;
    if (!buf || len == 0) {
        snprintf(err, errsz, "empty response body");
        return -1;
    }
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
    if (!j) {
        snprintf(err, errsz, "malformed JSON at byte %d", je.position);
        return -1;
    }
    *out = j;
    return 0;
}

json_t *mc_unwrap(json_t *root)
{
    if (!json_is_object(root))
        return root;
    json_t *data = json_object_get(root, "data");
    if (data && (json_object_get(root, "isSuccess") || json_object_get(root, "errorCode") ||
                 json_object_get(root, "message") || json_object_size(root) == 1))
        return data;
    return root;
}

json_t *mc_list(json_t *root, const char *key)
{
    json_t *p = mc_unwrap(root);
    json_t *a = json_object_get(p, key);
    if (!json_is_array(a) && p != root)
        a = json_object_get(root, key);
    return json_is_array(a) ? a : NULL;
}

const char *mc_error_text(json_t *root)
{
    static const char *const keys[] = {"message", "error_description", "error", "errorCode", "Message"};
    if (!json_is_object(root))
        return NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *s = str_of(root, keys[i]);
        if (s && *s)
            return s;
    }
    return NULL;
}

bool mc_enum_is(const char *v, const char *want)
{
    if (!v || !want)
        return false;
    for (;;) {
        while (*v == '_' || *v == '-' || *v == ' ')
            v++;
        while (*want == '_' || *want == '-' || *want == ' ')
            want++;
        if (!*v || !*want)
            return !*v && !*want;
        if (tolower((unsigned char)*v) != tolower((unsigned char)*want))
            return false;
        v++, want++;
    }
}

static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* Parse into epoch milliseconds; -1 on error. */
static long long parse_epoch_ms(const char *s)
{
    int Y, M, D, h = 0, mi = 0, sec = 0;
    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    if (!text_digits(s, 4, &Y) || s[4] != '-' || !text_digits(s + 5, 2, &M) || s[7] != '-' || !text_digits(s + 8, 2, &D))
        return -1;
    const char *p = s + 10;
    long ms = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        if (!text_digits(p + 1, 2, &h) || p[3] != ':' || !text_digits(p + 4, 2, &mi))
            return -1;
        p += 6;
        if (*p == ':') {
            if (!text_digits(p + 1, 2, &sec))
                return -1;
            p += 3;
            if (*p == '.' || *p == ',') {
                p++;
                int k = 0;
                long scale = 100;
                while (isdigit((unsigned char)*p)) {
                    if (k < 3) {
                        ms += (*p - '0') * scale;
                        scale /= 10;
                    } else if (k == 3 && *p >= '5') {
                        ms += 1; /* round to the nearest millisecond */
                    }
                    p++, k++;
                }
                if (k == 0)
                    return -1;
            }
        }
    }
    long offset_min = 0;
    while (*p == ' ')
        p++;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '+' ? 1 : -1, oh, om = 0;
        if (!text_digits(p + 1, 2, &oh))
            return -1;
        p += 3;
        if (*p == ':')
            p++;
        if (isdigit((unsigned char)*p)) {
            if (!text_digits(p, 2, &om))
                return -1;
            p += 2;
        }
        if (oh > 14 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    } else if (strncasecmp(p, "UTC", 3) == 0 || strncasecmp(p, "GMT", 3) == 0) {
        p += 3;
    }
    while (*p == ' ')
        p++;
    if (*p)
        return -1;
    if (Y < 1970 || Y > 2200 || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0;
    if (D > mdays[M - 1] || (M == 2 && D == 29 && !leap))
        return -1;
    if (sec == 60)
        sec = 59;
    long long t = days_from_civil(Y, M, D) * 86400LL + h * 3600LL + mi * 60LL + sec - offset_min * 60LL;
    return t * 1000 + ms;
}

void mc_sql_from_ms(long long ms, char out[MC_TIME_LEN])
{
    if (ms < 0)
        ms = 0;
    long long secs = ms / 1000, rem = ms % 1000;
    long long days = secs / 86400, sod = secs % 86400;
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    char buf[64];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", y, m, d, (int)(sod / 3600),
             (int)(sod % 3600 / 60), (int)(sod % 60), (int)rem);
    copy(out, MC_TIME_LEN, buf);
}

void mc_iso_from_ms(long long ms, char out[32])
{
    char sql[MC_TIME_LEN];
    mc_sql_from_ms(ms, sql);
    sql[10] = 'T';
    snprintf(out, 32, "%sZ", sql);
}

int mc_parse_time(const char *s, char out[MC_TIME_LEN])
{
    long long ms = parse_epoch_ms(s);
    if (ms < 0) {
        out[0] = 0;
        return -1;
    }
    mc_sql_from_ms(ms, out);
    return 0;
}

long long mc_time_ms(const char *sql_time) { return parse_epoch_ms(sql_time); }

long mc_parse_hms(const char *s)
{
    if (!s || !*s)
        return -1;
    long parts[4];
    int n = 0;
    double frac = 0;
    long days = 0;
    const char *p = s;
    /* optional "d." day prefix (TimeSpan style) */
    const char *dot = strchr(p, '.'), *colon = strchr(p, ':');
    if (dot && colon && dot < colon) {
        char *end;
        days = strtol(p, &end, 10);
        if (end != dot || days < 0)
            return -1;
        p = dot + 1;
    }
    while (n < 3) {
        if (!isdigit((unsigned char)*p))
            return -1;
        char *end;
        parts[n++] = strtol(p, &end, 10);
        p = end;
        if (*p == ':') {
            p++;
            continue;
        }
        break;
    }
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    if (*p || n < 2)
        return -1;
    long h = 0, m, sec;
    if (n == 3) {
        h = parts[0], m = parts[1], sec = parts[2];
    } else {
        m = parts[0], sec = parts[1];
    }
    /* bounded like .NET's TimeSpan (strtol gives LONG_MAX for longer digit
     * runs): the sum below cannot overflow */
    if (m > 59 || sec > 59 || h < 0 || h > 256204778L || days > 10675199L)
        return -1;
    return days * 86400 + h * 3600 + m * 60 + sec + (frac >= 0.5 ? 1 : 0);
}

long long mc_parse_uint(const char *s)
{
    if (!s)
        return -1;
    while (*s == ' ')
        s++;
    if (!isdigit((unsigned char)*s))
        return -1;
    char *end;
    double d = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (*end || d < 0 || d > 9.2e15)
        return -1;
    return (long long)(d + 0.5);
}

/* Reals beyond mc_parse_uint()'s bound are malformed (llround's result for
 * them is unspecified, e.g. negative). */
#define MC_DURATION_REAL_MAX 9.2e15

long mc_duration_ms_field(json_t *v)
{
    if (json_is_integer(v)) { /* rounded without v + 500, which overflows near INT64_MAX */
        json_int_t ms = json_integer_value(v);
        return ms < 0 ? -1 : (long)(ms / 1000 + (ms % 1000 >= 500));
    }
    if (json_is_real(v))
        return json_real_value(v) < 0 || json_real_value(v) > MC_DURATION_REAL_MAX
                   ? -1
                   : (long)llround(json_real_value(v) / 1000.0);
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    if (strchr(s, ':'))
        return mc_parse_hms(s);
    long long ms = mc_parse_uint(s);
    return ms < 0 ? -1 : (long)((ms + 500) / 1000);
}

long mc_duration_s_field(json_t *v)
{
    if (json_is_integer(v))
        return json_integer_value(v) < 0 ? -1 : (long)json_integer_value(v);
    if (json_is_real(v))
        return json_real_value(v) < 0 || json_real_value(v) > MC_DURATION_REAL_MAX ? -1
                                                                                 : (long)llround(json_real_value(v));
    if (!json_is_string(v))
        return -1;
    const char *s = json_string_value(v);
    if (strchr(s, ':'))
        return mc_parse_hms(s);
    long long n = mc_parse_uint(s);
    return n < 0 ? -1 : (long)n;
}

const char *mc_call_status(const char *s)
{
    static const char *const known[][2] = {
        {"connected", "connected"},   {"answered", "connected"},   {"completed", "connected"},
        {"missed", "missed"},         {"voicemail", "voicemail"},  {"dropped", "dropped"},
        {"abandoned", "dropped"},     {"noanswer", "no_answer"},   {"notanswered", "no_answer"},
        {"canceled", "canceled"},     {"cancelled", "canceled"},   {"busy", "busy"},
        {"failed", "failed"},         {"ringing", "ringing"},      {"inprogress", "in_progress"},
        {"active", "in_progress"},
    };
    if (!s)
        return "unknown";
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (mc_enum_is(s, known[i][0]))
            return known[i][1];
    return "unknown";
}

const char *mc_direction(const char *s)
{
    if (mc_enum_is(s, "incoming") || mc_enum_is(s, "inbound") || mc_enum_is(s, "in"))
        return "inbound";
    if (mc_enum_is(s, "outgoing") || mc_enum_is(s, "outbound") || mc_enum_is(s, "out"))
        return "outbound";
    return NULL;
}

long mc_retry_after_header(const char *v, time_t now)
{
    if (!v)
        return -1;
    while (*v == ' ')
        v++;
    if (isdigit((unsigned char)*v)) {
        char *end;
        long n = strtol(v, &end, 10);
        while (*end == ' ' || *end == '\r' || *end == '\n')
            end++;
        return *end ? -1 : n;
    }
    struct tm tm = {0};
    const char *end = strptime(v, "%a, %d %b %Y %H:%M:%S", &tm);
    if (!end)
        return -1;
    time_t t = timegm(&tm);
    return t <= now ? 0 : (long)(t - now);
}

time_t mc_retry_at_from(struct timespec now, long wait_s) { return now.tv_sec + wait_s + (now.tv_nsec > 0); }

time_t mc_retry_at(long wait_s)
{
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return time(NULL) + wait_s + 1;
    return mc_retry_at_from(now, wait_s);
}

long mc_retry_after_message(const char *msg, time_t now)
{
    if (!msg)
        return -1;
    const char *p = strcasestr(msg, "retry after");
    if (!p)
        return -1;
    p += 11;
    while (*p == ' ' || *p == ':')
        p++;
    char buf[64];
    size_t n = 0;
    while (p[n] && p[n] != '"' && n < sizeof buf - 1 && !(p[n] == '.' && (p[n + 1] == 0 || p[n + 1] == ' ') && n > 19))
        n++;
    memcpy(buf, p, n);
    buf[n] = 0;
    while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '.'))
        buf[--n] = 0;
    long long ms = parse_epoch_ms(buf);
    if (ms < 0)
        return -1;
    long long t = ms / 1000;
    return t <= now ? 0 : (long)(t - now);
}

/* ---- records ---- */

int mc_parse_phone(json_t *o, bool deleted, mc_phone *out)
{
    memset(out, 0, sizeof *out);
    if (json_is_string(o)) { /* some accounts list deleted numbers as bare strings */
        phone_canonical(json_string_value(o), out->number, MC_PHONE_LEN);
        COPY(out->external_id, out->number);
        out->deleted = deleted;
        return out->number[0] ? 0 : -1;
    }
    if (!json_is_object(o))
        return -1;
    phone_canonical(str_of(o, "number"), out->number, MC_PHONE_LEN);
    if (!out->number[0])
        return -1;
    const char *guid = str_of(o, "objectGuid");
    COPY(out->external_id, guid && *guid ? guid : out->number);
    COPY(out->label, str_of(o, "label"));
    out->enabled = bool_of(o, "isEnabled", true);
    out->is_primary = bool_of(o, "isPrimary", false);
    out->toll_free = bool_of(o, "isTollFree", false);
    out->may_text = bool_of(o, "mayText", false);
    out->may_call = bool_of(o, "mayCall", true);
    out->deleted = deleted;
    const char *mode = str_of(o, "smsMode");
    if (mode) {
        const char *norm = mc_enum_is(mode, "enabled") ? "enabled"
                           : mc_enum_is(mode, "capable") ? "capable"
                           : mc_enum_is(mode, "disabled") ? "disabled"
                                                          : "other";
        COPY(out->sms_mode, norm);
    }
    if (mc_parse_time(str_of(o, "lastUsed"), out->last_used) != 0)
        out->last_used[0] = 0;
    return 0;
}

static void lower_copy(char *dst, size_t dsz, const char *src)
{
    copy(dst, dsz, src);
    for (char *p = dst; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

int mc_parse_team_user(json_t *o, mc_user *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(o))
        return -1;
    json_t *id = json_object_get(o, "id");
    if (json_is_integer(id))
        snprintf(out->id, sizeof out->id, "%lld", (long long)json_integer_value(id));
    else
        COPY(out->id, json_string_value(id));
    if (!out->id[0])
        return -1;
    const char *name = str_of(o, "fullName");
    if (!name)
        name = str_of(o, "name");
    COPY(out->full_name, name);
    lower_copy(out->role, sizeof out->role, str_of(o, "role"));
    COPY(out->extension, str_of(o, "extension"));
    COPY(out->email, str_of(o, "email"));
    return 0;
}

int mc_parse_call(json_t *o, mc_call *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(o))
        return -1;
    json_t *id = json_object_get(o, "id");
    COPY(out->id, json_is_string(id) ? json_string_value(id) : NULL);
    if (!out->id[0] || mc_parse_time(str_of(o, "dateTimeUtc"), out->started_at) != 0)
        return -1;
    const char *dir = mc_direction(str_of(o, "direction"));
    if (!dir)
        return -1;
    COPY(out->direction, dir);
    COPY(out->status, mc_call_status(str_of(o, "callStatus")));
    phone_canonical(str_of(o, "businessNumber"), out->business_number, MC_PHONE_LEN);
    long d = mc_duration_ms_field(json_object_get(o, "duration"));
    out->duration_s = d < 0 ? 0 : d;

    json_t *caller = json_object_get(o, "caller");
    json_t *called = json_object_get(o, "called");
    /* the handling party: the connected one, else the first one rung */
    json_t *handler = NULL;
    size_t i;
    json_t *c;
    json_array_foreach(called, i, c)
    {
        if (bool_of(c, "isConnected", false)) {
            handler = c;
            break;
        }
    }
    if (!handler)
        handler = json_array_get(called, 0);
    if (strcmp(dir, "inbound") == 0) {
        phone_canonical(str_of(caller, "phone"), out->caller_number, MC_PHONE_LEN);
        COPY(out->caller_name, str_of(caller, "name"));
        COPY(out->called_number, out->business_number);
        COPY(out->extension, str_of(handler, "extension"));
        COPY(out->agent_name, str_of(handler, "name"));
    } else {
        COPY(out->caller_number, out->business_number);
        COPY(out->caller_name, str_of(caller, "name"));
        COPY(out->extension, str_of(caller, "extension"));
        COPY(out->agent_name, str_of(caller, "name"));
        phone_canonical(str_of(handler, "phone"), out->called_number, MC_PHONE_LEN);
    }
    json_t *rec = json_object_get(o, "callRecord");
    if (json_is_object(rec)) {
        COPY(out->recording_url, str_of(rec, "uri"));
        COPY(out->recording_file, str_of(rec, "fileName"));
    }
    return 0;
}

int mc_parse_journal(json_t *o, mc_journal *out)
{
    memset(out, 0, sizeof *out);
    out->text = "";
    if (!json_is_object(o))
        return -1;
    json_t *id = json_object_get(o, "id");
    if (json_is_integer(id))
        snprintf(out->id, sizeof out->id, "%lld", (long long)json_integer_value(id));
    else
        COPY(out->id, json_string_value(id));
    /* the Swagger's own example carries the nil uuid: no requestGuid at all */
    const char *guid = str_of(o, "requestGuid");
    if (guid && strspn(guid, "0-") == strlen(guid))
        guid = NULL;
    COPY(out->external_id, guid && *guid ? guid : out->id);
    if (!out->external_id[0] || mc_parse_time(str_of(o, "created"), out->created) != 0)
        return -1;
    const char *type = str_of(o, "type");
    out->type = mc_enum_is(type, "call")            ? MC_J_CALL
                : mc_enum_is(type, "message")       ? MC_J_MESSAGE
                : mc_enum_is(type, "messagethread") ? MC_J_THREAD
                                                    : MC_J_OTHER;
    const char *dir = mc_direction(str_of(o, "origin"));
    if (!dir)
        dir = mc_direction(str_of(o, "direction"));
    COPY(out->direction, dir ? dir : "inbound");
    const char *state = str_of(o, "state");
    if (out->type == MC_J_CALL)
        COPY(out->state, mc_call_status(state));
    else
        lower_copy(out->state, sizeof out->state, state);
    json_t *client = json_object_get(o, "client");
    phone_canonical(json_is_object(client) ? str_of(client, "address") : json_string_value(client), out->client,
                    MC_PHONE_LEN);
    json_t *bn = json_object_get(o, "businessNumber");
    phone_canonical(json_is_object(bn) ? str_of(bn, "number") : json_string_value(bn), out->business_number,
                    MC_PHONE_LEN);
    long d = mc_duration_s_field(json_object_get(o, "duration"));
    out->duration_s = d < 0 ? 0 : d;
    json_t *agent = json_object_get(o, "agent");
    if (json_is_object(agent)) {
        json_t *aid = json_object_get(agent, "id");
        if (json_is_integer(aid))
            snprintf(out->agent_id, sizeof out->agent_id, "%lld", (long long)json_integer_value(aid));
        else
            COPY(out->agent_id, json_string_value(aid));
        COPY(out->agent_name, str_of(agent, "name"));
        COPY(out->agent_ext, str_of(agent, "extension"));
        COPY(out->agent_email, str_of(agent, "email"));
        lower_copy(out->agent_role, sizeof out->agent_role, str_of(agent, "role"));
    }
    json_t *rec = json_object_get(o, "recording");
    if (json_is_object(rec))
        COPY(out->recording_url, str_of(rec, "link"));
    const char *text = str_of(o, "text");
    if (!text || !*text) {
        json_t *tm = json_object_get(o, "textModel");
        text = str_of(tm, "text");
    }
    out->text = text ? text : "";
    const char *ds = str_of(o, "messageDeliveryStatus");
    const char *delivery;
    if (strcmp(out->direction, "inbound") == 0)
        delivery = "received";
    else if (mc_enum_is(ds, "delivered"))
        delivery = "delivered";
    else if (mc_enum_is(ds, "notsent") || mc_enum_is(ds, "failed") || mc_enum_is(ds, "undelivered") ||
             mc_enum_is(ds, "error") || mc_enum_is(ds, "rejected"))
        delivery = "failed";
    else if (mc_enum_is(ds, "queued") || mc_enum_is(ds, "pending") || mc_enum_is(ds, "sending"))
        delivery = "queued";
    else
        delivery = "sent";
    COPY(out->delivery, delivery);
    out->read = bool_of(o, "read", false);
    json_t *att = json_object_get(o, "attachments");
    out->attachments = json_is_array(att) && json_array_size(att) > 0 ? att : NULL;
    return 0;
}

int mc_parse_voicemail(json_t *o, mc_voicemail *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(o))
        return -1;
    json_t *id = json_object_get(o, "id");
    if (json_is_integer(id))
        snprintf(out->id, sizeof out->id, "%lld", (long long)json_integer_value(id));
    else
        COPY(out->id, json_string_value(id));
    if (!out->id[0] || mc_parse_time(str_of(o, "dateTimeUtc"), out->received_at) != 0)
        return -1;
    phone_canonical(str_of(o, "from"), out->from, MC_PHONE_LEN);
    phone_canonical(str_of(o, "to"), out->to, MC_PHONE_LEN);
    COPY(out->assigned_to, str_of(o, "assignedTo"));
    long d = mc_duration_s_field(json_object_get(o, "duration"));
    out->duration_s = d < 0 ? 0 : d;
    const char *st = str_of(o, "voicemailStatus");
    COPY(out->status, mc_enum_is(st, "read") || mc_enum_is(st, "listened") ? "read" : "unread");
    json_t *rec = json_object_get(o, "voicemailRecord");
    if (json_is_object(rec)) {
        COPY(out->url, str_of(rec, "uri"));
        COPY(out->file_name, str_of(rec, "fileName"));
    }
    return 0;
}

int mc_parse_contact(json_t *o, mc_contact *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(o))
        return -1;
    const char *id = str_of(o, "contactId");
    if (!id)
        id = str_of(o, "id");
    COPY(out->id, id);
    if (!out->id[0])
        return -1;
    COPY(out->etag, str_of(o, "etag"));
    COPY(out->first_name, str_of(o, "firstName"));
    COPY(out->last_name, str_of(o, "lastName"));
    COPY(out->patronymic, str_of(o, "patronymic"));
    char name[420];
    snprintf(name, sizeof name, "%s%s%s", out->first_name, out->first_name[0] && out->last_name[0] ? " " : "",
             out->last_name);
    COPY(out->display_name, name);
    if (mc_parse_time(str_of(o, "created"), out->created) != 0)
        out->created[0] = 0;
    if (mc_parse_time(str_of(o, "updated"), out->updated) != 0)
        out->updated[0] = 0;
    const char *comment = str_of(o, "comment");
    out->comment = comment && *comment ? comment : NULL;
    json_t *ch = json_object_get(o, "channels");
    out->channels = json_is_array(ch) ? ch : NULL;
    json_t *tags = json_object_get(o, "tags");
    out->tags = json_is_array(tags) ? tags : NULL;
    size_t i;
    json_t *c;
    json_array_foreach(out->channels, i, c)
    {
        const char *ph = str_of(c, "phone"), *em = str_of(c, "email");
        if (ph && !out->phone[0])
            phone_canonical(ph, out->phone, MC_PHONE_LEN);
        if (em && !out->email[0])
            COPY(out->email, em);
    }
    const char *state = str_of(o, "state");
    out->deleted = mc_enum_is(state, "deleted") || bool_of(o, "isDeleted", false);
    return 0;
}
