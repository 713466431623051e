/* fuzz_mc.c — MightyCall response mapping (core/mightycall/mc_parse.c): the input is a
 * response body as MightyCall (or the simulator in tests/sim/) sends it. It
 * goes through what the sync streams do with it: mc_json_parse, mc_unwrap,
 * mc_list for every list key, the record parser of each list (calls,
 * journal requests, voicemails, contacts, phone numbers, team users), the
 * error text and the 429 "Retry after <time>" message; the root object is
 * also tried as a single record (GET /calls/{id}, contact replies). Journal
 * entries are folded into a call state with webhook_fold_call (the webhook
 * path's fold), and the input is also parsed as a webhook event
 * (webhook_parse_check: what webhook_receive does once the caller is
 * authenticated). The first 256 bytes are also used as a plain string by the
 * scalar parsers: timestamps, durations, numbers, Retry-After, phone numbers,
 * enums, base URLs and query-string building.
 *
 * Invariants: a parsed time is "YYYY-MM-DD HH:MM:SS.mmm" and survives a
 * round trip through epoch milliseconds; durations are >= 0 in records and
 * >= -1 from the scalar parsers; phone numbers are "" or digits with an
 * optional leading '+'; record strings are NUL-terminated within their
 * fields (ASan checks the bounds). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "mightycall/mc_client.h"
#include "mightycall/mc_messages.h"
#include "mightycall/mc_parse.h"
#include "messaging/webhooks.h"

#define FM_NOW ((time_t)1717200000) /* 2024-06-01 */
#define FM_MAX_EVENTS 64

static void fm_check_time(const char *t)
{
    if (!t[0])
        return;
    FUZZ_CHECK(strlen(t) == MC_TIME_LEN - 1 && t[4] == '-' && t[10] == ' ' && t[19] == '.');
    long long ms = mc_time_ms(t);
    FUZZ_CHECK(ms >= 0);
    char back[MC_TIME_LEN];
    mc_sql_from_ms(ms, back);
    FUZZ_CHECK(strcmp(back, t) == 0);
    char iso[32];
    mc_iso_from_ms(ms, iso);
    char again[MC_TIME_LEN];
    FUZZ_CHECK(mc_parse_time(iso, again) == 0 && strcmp(again, t) == 0);
}

static void fm_check_phone(const char *p)
{
    FUZZ_CHECK(strlen(p) < MC_PHONE_LEN);
    for (const char *q = p; *q; q++)
        FUZZ_CHECK(isdigit((unsigned char)*q) || (*q == '+' && q == p));
}

static void fm_records(json_t *o, webhook_call_event *ev, int *nev)
{
    mc_call c;
    if (mc_parse_call(o, &c) == 0) {
        FUZZ_CHECK(c.id[0] && c.duration_s >= 0);
        fm_check_time(c.started_at);
        fm_check_phone(c.caller_number);
        fm_check_phone(c.called_number);
        fm_check_phone(c.business_number);
        FUZZ_CHECK(!strcmp(c.direction, "inbound") || !strcmp(c.direction, "outbound"));
    }
    static mc_journal j; /* large: keep it off the fuzzer's stack */
    if (mc_parse_journal(o, &j) == 0) {
        FUZZ_CHECK(j.external_id[0] && j.duration_s >= 0 && j.text);
        fm_check_time(j.created);
        fm_check_phone(j.client);
        fm_check_phone(j.business_number);
        if (*nev < FM_MAX_EVENTS) {
            static char types[FM_MAX_EVENTS][MC_ENUM_LEN + 16];
            static char ext[FM_MAX_EVENTS][MC_ENUM_LEN];
            snprintf(types[*nev], sizeof types[0], "%s%s", strcmp(j.direction, "inbound") ? "OutgoingCall" : "IncomingCall",
                     j.state);
            snprintf(ext[*nev], sizeof ext[0], "%s", j.agent_ext);
            ev[*nev] = (webhook_call_event){.type = types[*nev], .at_ms = mc_time_ms(j.created), .from = j.client,
                                            .to = j.business_number, .extension = ext[*nev]};
            FUZZ_CHECK(webhook_is_call_event(ev[*nev].type) && !webhook_is_message_event(ev[*nev].type));
            /* from/to point into j, which the next record overwrites: copy */
            static char from[FM_MAX_EVENTS][MC_PHONE_LEN], to[FM_MAX_EVENTS][MC_PHONE_LEN];
            snprintf(from[*nev], MC_PHONE_LEN, "%s", j.client);
            snprintf(to[*nev], MC_PHONE_LEN, "%s", j.business_number);
            ev[*nev].from = from[*nev];
            ev[*nev].to = to[*nev];
            (*nev)++;
        }
    }
    mc_voicemail v;
    if (mc_parse_voicemail(o, &v) == 0) {
        FUZZ_CHECK(v.id[0] && v.duration_s >= 0);
        fm_check_time(v.received_at);
        fm_check_phone(v.from);
        fm_check_phone(v.to);
    }
    static mc_contact ct;
    if (mc_parse_contact(o, &ct) == 0) {
        FUZZ_CHECK(ct.id[0]);
        fm_check_time(ct.created);
        fm_check_time(ct.updated);
        fm_check_phone(ct.phone);
    }
    mc_phone ph;
    for (int del = 0; del < 2; del++)
        if (mc_parse_phone(o, del, &ph) == 0) {
            FUZZ_CHECK(ph.number[0] && ph.external_id[0] && ph.deleted == del);
            fm_check_phone(ph.number);
            fm_check_time(ph.last_used);
        }
    mc_user u;
    if (mc_parse_team_user(o, &u) == 0)
        FUZZ_CHECK(u.id[0]);
}

static void fm_scalars(const char *s)
{
    char t[MC_TIME_LEN];
    if (mc_parse_time(s, t) == 0)
        fm_check_time(t);
    else
        FUZZ_CHECK(t[0] == 0);
    FUZZ_CHECK(mc_parse_hms(s) >= -1);
    FUZZ_CHECK(mc_parse_uint(s) >= -1);
    FUZZ_CHECK(mc_retry_after_header(s, FM_NOW) >= -1);
    FUZZ_CHECK(mc_retry_after_message(s, FM_NOW) >= -1);
    char p[MC_PHONE_LEN];
    phone_canonical(s, p, MC_PHONE_LEN);
    fm_check_phone(p);
    FUZZ_CHECK(mc_call_status(s) != NULL);
    mc_direction(s);
    FUZZ_CHECK(mc_enum_is(s, s) == true);
    /* a duration field as a string, an integer and a real */
    json_t *dur[3] = {json_string(s) /* NULL unless valid UTF-8 */, json_integer(strtoll(s, NULL, 10)),
                      json_real(strtod(s, NULL)) /* NULL for inf/nan */};
    for (int i = 0; i < 3; i++) {
        if (!dur[i])
            continue;
        FUZZ_CHECK(mc_duration_ms_field(dur[i]) >= -1 && mc_duration_s_field(dur[i]) >= -1);
        json_decref(dur[i]);
    }
    char url[257];
    const char *reason;
    if (mc_base_url_valid(s, true, url, &reason))
        FUZZ_CHECK(strlen(url) < sizeof url && mc_messages_send_path(url) != NULL);
    char qs[512] = "/journal/requests";
    size_t before = strlen(qs);
    if (mc_qs_add(qs, sizeof qs, "searchText", s))
        FUZZ_CHECK(strlen(qs) > before && strlen(qs) < sizeof qs && !strpbrk(qs + before + 1, " #&\"<>"));
    else
        FUZZ_CHECK(strlen(qs) == before);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    char *text = fuzz_cstr(data, size < 256 ? size : 256);
    fm_scalars(text);
    free(text);

    /* the same bytes as a webhook event (parsed after authentication) */
    webhook_result wr;
    int wrc = webhook_parse_check((const char *)data, size, &wr);
    FUZZ_CHECK(wrc == WEBHOOK_OK || (wrc == WEBHOOK_BAD_REQUEST && wr.field && wr.reason));

    json_t *root = NULL;
    char err[128];
    if (mc_json_parse((const char *)data, size, &root, err, sizeof err) != 0) {
        FUZZ_CHECK(root == NULL && err[0]);
        return 0;
    }
    const char *et = mc_error_text(root);
    if (et)
        FUZZ_CHECK(mc_retry_after_message(et, FM_NOW) >= -1);
    json_t *payload = mc_unwrap(root);
    FUZZ_CHECK(payload != NULL);
    webhook_call_event ev[FM_MAX_EVENTS];
    int nev = 0;
    static const char *const lists[] = {"calls", "requests", "voicemails", "contacts",
                                        "phoneNumbers", "deletedPhoneNumbers", "users"};
    for (size_t k = 0; k < sizeof lists / sizeof lists[0]; k++) {
        json_t *a = mc_list(root, lists[k]);
        FUZZ_CHECK(!a || json_is_array(a));
        size_t i;
        json_t *o;
        json_array_foreach(a, i, o) fm_records(o, ev, &nev);
    }
    fm_records(payload, ev, &nev);
    if (payload != root)
        fm_records(root, ev, &nev);
    /* the send reply: {id, sendTime} */
    const char *st = json_string_value(json_object_get(payload, "sendTime"));
    char t[MC_TIME_LEN];
    if (st && mc_parse_time(st, t) == 0)
        fm_check_time(t);
    json_t *total = json_object_get(payload, "total");
    (void)json_integer_value(total);

    webhook_call_state cs;
    webhook_fold_call(ev, nev, &cs);
    FUZZ_CHECK(cs.status != NULL && cs.duration_s >= 0);
    fm_check_phone(cs.caller);
    fm_check_phone(cs.called);
    json_decref(root);
    return 0;
}
