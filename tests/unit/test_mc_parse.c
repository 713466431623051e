/* test_mc_parse.c — unit tests for core/mightycall/mc_parse.c: envelopes (wrapped and
 * bare), case-blind enums, durations, timestamps, Retry-After and 429 texts,
 * malformed JSON, and the record parsers on the shapes MightyCall sends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "mightycall/mc_client.h"
#include "mightycall/mc_parse.h"

static json_t *J(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    assert_non_null(j);
    return j;
}

static void test_envelopes(void **state)
{
    (void)state;
    /* calls family: {"data":…,"isSuccess":true} */
    json_t *w = J("{\"data\":{\"calls\":[{\"id\":\"a\"}],\"total\":1},\"isSuccess\":true}");
    assert_int_equal(json_array_size(mc_list(w, "calls")), 1);
    assert_int_equal(json_integer_value(json_object_get(mc_unwrap(w), "total")), 1);
    json_decref(w);
    /* journal: bare, or wrapped in {data:…} */
    json_t *bare = J("{\"currentPage\":1,\"requests\":[{},{}]}");
    assert_ptr_equal(mc_unwrap(bare), bare);
    assert_int_equal(json_array_size(mc_list(bare, "requests")), 2);
    json_decref(bare);
    json_t *wrapped = J("{\"data\":{\"currentPage\":1,\"requests\":[{}]}}");
    assert_int_equal(json_array_size(mc_list(wrapped, "requests")), 1);
    json_decref(wrapped);
    /* contacts: {data, errorCode, message} */
    json_t *c = J("{\"data\":{\"contacts\":[{},{},{}],\"pages\":1},\"errorCode\":null,\"message\":null}");
    assert_int_equal(json_array_size(mc_list(c, "contacts")), 3);
    json_decref(c);
    /* team: no envelope, and an object with a "data" member that is not an envelope stays bare */
    json_t *t = J("{\"users\":[{\"id\":\"1\"}],\"groups\":[],\"data\":5}");
    assert_ptr_equal(mc_unwrap(t), t);
    assert_int_equal(json_array_size(mc_list(t, "users")), 1);
    json_decref(t);
    /* missing list */
    json_t *m = J("{\"data\":{\"other\":[]},\"isSuccess\":true}");
    assert_null(mc_list(m, "calls"));
    json_decref(m);
}

static void test_error_text(void **state)
{
    (void)state;
    json_t *a = J("{\"message\":\"The request is invalid.\",\"modelState\":{\"pageSize\":[\"bad\"]}}");
    assert_string_equal(mc_error_text(a), "The request is invalid.");
    json_decref(a);
    json_t *b = J("{\"error\":\"invalid_client\"}");
    assert_string_equal(mc_error_text(b), "invalid_client");
    json_decref(b);
    json_t *c = J("{\"errorCode\":\"FilterParamsMalformed\",\"message\":null}");
    assert_string_equal(mc_error_text(c), "FilterParamsMalformed");
    json_decref(c);
    assert_null(mc_error_text(NULL));
}

static void test_malformed_json(void **state)
{
    (void)state;
    char err[96];
    json_t *j = NULL;
    const char *cut = "{\"data\":{\"calls\":[{\"id\":\"x\",\"dura";
    assert_int_equal(mc_json_parse(cut, strlen(cut), &j, err, sizeof err), -1);
    assert_null(j);
    assert_non_null(strstr(err, "malformed JSON"));
    assert_null(strstr(err, "dura")); /* the body never leaks into the message */
    assert_int_equal(mc_json_parse("", 0, &j, err, sizeof err), -1);
    assert_int_equal(mc_json_parse("<html>502</html>", 16, &j, err, sizeof err), -1);
    assert_int_equal(mc_json_parse("{\"a\":1}", 7, &j, err, sizeof err), 0);
    json_decref(j);
}

static void test_enums(void **state)
{
    (void)state;
    assert_true(mc_enum_is("Connected", "connected"));
    assert_true(mc_enum_is("NoAnswer", "no_answer"));
    assert_true(mc_enum_is("noAnswer", "NOANSWER"));
    assert_false(mc_enum_is("Connected", "connect"));
    assert_false(mc_enum_is(NULL, "x"));
    assert_string_equal(mc_call_status("Connected"), "connected");
    assert_string_equal(mc_call_status("connected"), "connected");
    assert_string_equal(mc_call_status("VoiceMail"), "voicemail");
    assert_string_equal(mc_call_status("voiceMail"), "voicemail");
    assert_string_equal(mc_call_status("NoAnswer"), "no_answer");
    assert_string_equal(mc_call_status("Missed"), "missed");
    assert_string_equal(mc_call_status("Dropped"), "dropped");
    assert_string_equal(mc_call_status("Cancelled"), "canceled");
    assert_string_equal(mc_call_status("Bogus"), "unknown");
    assert_string_equal(mc_call_status(NULL), "unknown");
    assert_string_equal(mc_direction("Incoming"), "inbound");
    assert_string_equal(mc_direction("inbound"), "inbound");
    assert_string_equal(mc_direction("OUTGOING"), "outbound");
    assert_string_equal(mc_direction("Outbound"), "outbound");
    assert_null(mc_direction("sideways"));
}

static void test_durations(void **state)
{
    (void)state;
    assert_int_equal(mc_parse_hms("00:03:07"), 187);
    assert_int_equal(mc_parse_hms("1:00:00"), 3600);
    assert_int_equal(mc_parse_hms("02:05"), 125);
    assert_int_equal(mc_parse_hms("1.02:00:00"), 93600);
    assert_int_equal(mc_parse_hms("00:00:01.6"), 2);
    assert_int_equal(mc_parse_hms("00:61:00"), -1);
    assert_int_equal(mc_parse_hms("abc"), -1);
    assert_int_equal(mc_parse_hms(""), -1);
    /* calls: duration is a string of milliseconds */
    json_t *ms = json_string("187400");
    assert_int_equal(mc_duration_ms_field(ms), 187);
    json_decref(ms);
    ms = json_string("187600");
    assert_int_equal(mc_duration_ms_field(ms), 188);
    json_decref(ms);
    json_t *num = json_integer(5000);
    assert_int_equal(mc_duration_ms_field(num), 5);
    json_decref(num);
    json_t *hms = json_string("00:01:00");
    assert_int_equal(mc_duration_ms_field(hms), 60);
    assert_int_equal(mc_duration_s_field(hms), 60);
    json_decref(hms);
    json_t *bad = json_string("12x");
    assert_int_equal(mc_duration_ms_field(bad), -1);
    json_decref(bad);
    assert_int_equal(mc_duration_ms_field(NULL), -1);
    /* voicemails: seconds as a string */
    json_t *s = json_string("42");
    assert_int_equal(mc_duration_s_field(s), 42);
    json_decref(s);
    assert_int_equal(mc_parse_uint("120000"), 120000);
    assert_int_equal(mc_parse_uint("-1"), -1);
}

static void test_times(void **state)
{
    (void)state;
    char t[MC_TIME_LEN];
    assert_int_equal(mc_parse_time("2024-05-31T23:36:16.972+00:00", t), 0);
    assert_string_equal(t, "2024-05-31 23:36:16.972");
    assert_int_equal(mc_parse_time("2024-05-31T23:36:16.972Z", t), 0);
    assert_string_equal(t, "2024-05-31 23:36:16.972");
    assert_int_equal(mc_parse_time("2024-05-31T23:36:16.9720000Z", t), 0); /* contacts: 7 digits */
    assert_string_equal(t, "2024-05-31 23:36:16.972");
    assert_int_equal(mc_parse_time("2024-05-31T23:36:16.972", t), 0); /* sendTime: no zone = UTC */
    assert_string_equal(t, "2024-05-31 23:36:16.972");
    assert_int_equal(mc_parse_time("2024-06-01T01:36:16+02:00", t), 0);
    assert_string_equal(t, "2024-05-31 23:36:16.000");
    assert_int_equal(mc_parse_time("2024-05-31T20:06:16-0330", t), 0);
    assert_string_equal(t, "2024-05-31 23:36:16.000");
    assert_int_equal(mc_parse_time("2024-06-02T00:00:00.0000000 UTC", t), 0);
    assert_string_equal(t, "2024-06-02 00:00:00.000");
    assert_int_equal(mc_parse_time("2024-02-29", t), 0);
    assert_string_equal(t, "2024-02-29 00:00:00.000");
    assert_int_equal(mc_parse_time("2023-02-29T00:00:00Z", t), -1);
    assert_int_equal(mc_parse_time("yesterday", t), -1);
    assert_int_equal(mc_parse_time(NULL, t), -1);
    assert_int_equal(mc_time_ms("1970-01-01 00:00:01.500"), 1500);
    char iso[32];
    mc_iso_from_ms(1717198576972LL, iso);
    assert_string_equal(iso, "2024-05-31T23:36:16.972Z");
}

static void test_retry_after(void **state)
{
    (void)state;
    time_t now = 1717286400 - 3600; /* 2024-06-01T23:00:00Z */
    assert_int_equal(mc_retry_after_header("1", now), 1);
    assert_int_equal(mc_retry_after_header(" 120", now), 120);
    assert_int_equal(mc_retry_after_header("Sun, 02 Jun 2024 00:00:00 GMT", now), 3600);
    assert_int_equal(mc_retry_after_header("soon", now), -1);
    assert_int_equal(mc_retry_after_header(NULL, now), -1);
    assert_int_equal(mc_retry_after_message("Too many requests. Retry after 2024-06-02T00:00:00.0000000 UTC", now),
                     3600);
    assert_int_equal(mc_retry_after_message("Too many requests. Retry after 2024-06-01T23:00:30Z.", now), 30);
    assert_int_equal(mc_retry_after_message("Too many requests.", now), -1);
    assert_int_equal(mc_retry_after_message("Retry after 2000-01-01T00:00:00Z", now), 0);
}

/* The retry time is the whole second at or after the precise now + the wait
 * (time() reads a coarse clock that can lag the second the server already
 * counted from): fixed times, no clock read. */
static void test_retry_at_rounds_up(void **state)
{
    (void)state;
    assert_int_equal(mc_retry_at_from((struct timespec){.tv_sec = 1000, .tv_nsec = 0}, 48529), 1000 + 48529);
    assert_int_equal(mc_retry_at_from((struct timespec){.tv_sec = 1000, .tv_nsec = 1}, 48529), 1001 + 48529);
    assert_int_equal(mc_retry_at_from((struct timespec){.tv_sec = 1000, .tv_nsec = 999999999}, 5), 1006);
    assert_int_equal(mc_retry_at_from((struct timespec){.tv_sec = 1000, .tv_nsec = 500000000}, 0), 1001);
}

static void test_call_record(void **state)
{
    (void)state;
    json_t *in = J("{\"id\":\"c1\",\"caller\":{\"name\":\"Ann\",\"phone\":\"+14155550100\"},"
                   "\"called\":[{\"isConnected\":false,\"extension\":\"102\",\"name\":\"B\"},"
                   "{\"isConnected\":true,\"extension\":\"101\",\"name\":\"A\"}],"
                   "\"businessNumber\":\"+12125551234\",\"dateTimeUtc\":\"2024-05-31T23:36:16.972+00:00\","
                   "\"duration\":\"65400\",\"direction\":\"incoming\",\"callStatus\":\"Connected\","
                   "\"callRecord\":{\"fileName\":\"r/c1.wav\",\"uri\":\"https://x/r/c1.wav\"}}");
    mc_call c;
    assert_int_equal(mc_parse_call(in, &c), 0);
    assert_string_equal(c.id, "c1");
    assert_string_equal(c.direction, "inbound");
    assert_string_equal(c.status, "connected");
    assert_string_equal(c.caller_number, "+14155550100");
    assert_string_equal(c.caller_name, "Ann");
    assert_string_equal(c.called_number, "+12125551234");
    assert_string_equal(c.extension, "101"); /* the connected party */
    assert_int_equal(c.duration_s, 65);
    assert_string_equal(c.started_at, "2024-05-31 23:36:16.972");
    assert_string_equal(c.recording_url, "https://x/r/c1.wav");
    json_decref(in);

    json_t *out = J("{\"id\":\"c2\",\"caller\":{\"name\":\"A\",\"extension\":\"101\"},"
                    "\"called\":[{\"isConnected\":false,\"phone\":\"4155550100\"}],\"businessNumber\":\"+12125551234\","
                    "\"dateTimeUtc\":\"2024-05-31T23:36:16Z\",\"duration\":\"0\",\"direction\":\"Outgoing\","
                    "\"callStatus\":\"missed\"}");
    assert_int_equal(mc_parse_call(out, &c), 0);
    assert_string_equal(c.direction, "outbound");
    assert_string_equal(c.status, "missed");
    assert_string_equal(c.extension, "101");
    assert_string_equal(c.called_number, "+14155550100");
    assert_string_equal(c.recording_url, "");
    json_decref(out);

    json_t *bad = J("{\"id\":\"c3\",\"dateTimeUtc\":\"garbage\",\"direction\":\"Incoming\"}");
    assert_int_equal(mc_parse_call(bad, &c), -1);
    json_decref(bad);
}

static void test_journal_record(void **state)
{
    (void)state;
    json_t *call = J("{\"id\":\"j1\",\"requestGuid\":\"c1\",\"state\":\"noAnswer\",\"type\":\"call\","
                     "\"client\":{\"address\":\"+14155550100\"},\"created\":\"2024-05-31T23:36:16.972Z\","
                     "\"businessNumber\":{\"number\":\"+12125551234\",\"label\":\"Main\"},"
                     "\"agent\":{\"id\":\"u1\",\"name\":\"A\",\"extension\":\"101\",\"email\":\"a@x\",\"role\":\"Agent\"},"
                     "\"origin\":\"outbound\",\"duration\":\"00:02:03\",\"recording\":{\"link\":\"https://r\"}}");
    mc_journal j;
    assert_int_equal(mc_parse_journal(call, &j), 0);
    assert_int_equal(j.type, MC_J_CALL);
    assert_string_equal(j.external_id, "c1");
    assert_string_equal(j.id, "j1");
    assert_string_equal(j.state, "no_answer");
    assert_string_equal(j.direction, "outbound");
    assert_int_equal(j.duration_s, 123);
    assert_string_equal(j.agent_ext, "101");
    assert_string_equal(j.agent_role, "agent");
    assert_string_equal(j.recording_url, "https://r");
    json_decref(call);

    json_t *sms = J("{\"id\":\"j2\",\"requestGuid\":\"m1\",\"state\":\"Message\",\"type\":\"MessageThread\","
                    "\"client\":{\"address\":\"+14155550100\"},\"created\":\"2024-05-31T23:36:16.972Z\","
                    "\"businessNumber\":{\"number\":\"+12125551234\"},\"origin\":\"Outbound\",\"text\":\"\","
                    "\"textModel\":{\"text\":\"hello\"},\"messageDeliveryStatus\":\"NotSent\",\"read\":true}");
    assert_int_equal(mc_parse_journal(sms, &j), 0);
    assert_int_equal(j.type, MC_J_THREAD);
    assert_string_equal(j.text, "hello");
    assert_string_equal(j.delivery, "failed");
    assert_true(j.read);
    json_decref(sms);

    json_t *in = J("{\"id\":\"j3\",\"type\":\"message\",\"origin\":\"inbound\",\"created\":\"2024-05-31T23:36:16Z\","
                   "\"client\":{\"address\":\"4155550100\"},\"businessNumber\":{\"number\":\"2125551234\"},"
                   "\"text\":\"hi\",\"messageDeliveryStatus\":\"Unspecified\"}");
    assert_int_equal(mc_parse_journal(in, &j), 0);
    assert_string_equal(j.external_id, "j3"); /* no requestGuid: the journal id */
    assert_string_equal(j.delivery, "received");
    assert_string_equal(j.client, "+14155550100");
    assert_string_equal(j.business_number, "+12125551234");
    json_decref(in);

    /* the Swagger example's nil requestGuid is no identity either */
    json_t *nil = J("{\"id\":\"5d565c298558e7cce8d7b8e0\",\"requestGuid\":\"00000000-0000-0000-0000-000000000000\","
                    "\"type\":\"call\",\"state\":\"connected\",\"created\":\"2019-07-05T09:08:56.831+00:00\"}");
    assert_int_equal(mc_parse_journal(nil, &j), 0);
    assert_string_equal(j.external_id, "5d565c298558e7cce8d7b8e0");
    json_decref(nil);
}

static void test_other_records(void **state)
{
    (void)state;
    json_t *p = J("{\"number\":\"+12125551234\",\"label\":\"Main\",\"isEnabled\":true,\"isPrimary\":true,"
                  "\"isTollFree\":false,\"smsMode\":\"Enabled\",\"mayText\":true,\"mayCall\":true,"
                  "\"lastUsed\":\"2024-05-31T23:36:16.972+00:00\",\"objectGuid\":\"g1\"}");
    mc_phone ph;
    assert_int_equal(mc_parse_phone(p, false, &ph), 0);
    assert_string_equal(ph.external_id, "g1");
    assert_true(ph.is_primary);
    assert_true(ph.may_text);
    assert_string_equal(ph.sms_mode, "enabled");
    json_decref(p);
    json_t *gone = json_string("+13125550000");
    assert_int_equal(mc_parse_phone(gone, true, &ph), 0);
    assert_true(ph.deleted);
    json_decref(gone);

    json_t *vm = J("{\"id\":\"v1\",\"from\":\"+14155550100\",\"to\":\"+12125551234\",\"assignedTo\":\"Box\","
                   "\"dateTimeUtc\":\"2024-05-31T23:36:16.972+00:00\",\"duration\":\"42\","
                   "\"voicemailStatus\":\"unRead\",\"voicemailRecord\":{\"uri\":\"https://v\"}}");
    mc_voicemail v;
    assert_int_equal(mc_parse_voicemail(vm, &v), 0);
    assert_int_equal(v.duration_s, 42);
    assert_string_equal(v.status, "unread");
    assert_string_equal(v.url, "https://v");
    json_decref(vm);

    json_t *ct = J("{\"etag\":\"e1\",\"contactId\":\"0123456789abcdef01234567\",\"firstName\":\"Ann\","
                   "\"lastName\":\"Lee\",\"updated\":\"2024-05-31T23:36:16.9720000Z\",\"tags\":[\"vip\"],"
                   "\"channels\":[{\"channelId\":\"c\",\"email\":\"a@x\"},{\"channelId\":\"d\",\"phone\":\"+14155550100\"}],"
                   "\"state\":\"deleted\"}");
    mc_contact c;
    assert_int_equal(mc_parse_contact(ct, &c), 0);
    assert_string_equal(c.display_name, "Ann Lee");
    assert_string_equal(c.phone, "+14155550100");
    assert_string_equal(c.email, "a@x");
    assert_true(c.deleted);
    assert_string_equal(c.updated, "2024-05-31 23:36:16.972");
    json_decref(ct);

    json_t *u = J("{\"fullName\":\"Ann Lee\",\"id\":\"u1\",\"role\":\"Manager\"}");
    mc_user us;
    assert_int_equal(mc_parse_team_user(u, &us), 0);
    assert_string_equal(us.role, "manager");
    json_decref(u);
}

static void test_query_and_urls(void **state)
{
    (void)state;
    char path[128] = "/calls";
    assert_true(mc_qs_add(path, sizeof path, "startUtc", "2024-05-31T23:36:16.972Z"));
    assert_true(mc_qs_add(path, sizeof path, "type", "Message,MessageThread"));
    assert_string_equal(path, "/calls?startUtc=2024-05-31T23%3A36%3A16.972Z&type=Message%2CMessageThread");
    char tiny[12] = "/x";
    assert_false(mc_qs_add(tiny, sizeof tiny, "key", "a-long-value"));
    assert_string_equal(tiny, "/x");

    char out[257];
    const char *why;
    assert_true(mc_base_url_valid("https://API.MightyCall.com/", false, out, &why));
    assert_string_equal(out, "https://api.mightycall.com");
    assert_true(mc_base_url_valid("https://ccapi.mightycall.com/v4", false, out, &why));
    assert_string_equal(out, "https://ccapi.mightycall.com");
    assert_false(mc_base_url_valid("http://api.mightycall.com", true, out, &why)); /* http only to loopback */
    assert_false(mc_base_url_valid("http://127.0.0.1:8900", false, out, &why));
    assert_true(mc_base_url_valid("http://127.0.0.1:8900", true, out, &why));
    assert_true(mc_base_url_valid("http://localhost:8900/", true, out, &why));
    assert_false(mc_base_url_valid("https://user:pw@api.mightycall.com", false, out, &why));
    assert_false(mc_base_url_valid("https://api.mightycall.com?x=1", false, out, &why));
    assert_false(mc_base_url_valid("ftp://api.mightycall.com", false, out, &why));
    assert_false(mc_base_url_valid("https://", false, out, &why));
    assert_false(mc_base_url_valid("https://host:port", false, out, &why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_envelopes),      cmocka_unit_test(test_error_text),
        cmocka_unit_test(test_malformed_json), cmocka_unit_test(test_enums),
        cmocka_unit_test(test_durations),      cmocka_unit_test(test_times),
        cmocka_unit_test(test_retry_after),
        cmocka_unit_test(test_retry_at_rounds_up),
        cmocka_unit_test(test_call_record),    cmocka_unit_test(test_journal_record),
        cmocka_unit_test(test_other_records),  cmocka_unit_test(test_query_and_urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
