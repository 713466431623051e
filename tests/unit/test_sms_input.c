/* test_sms_input.c — unit tests for the SMS request edge: fcgi/sms_input.c
 * (recipients, message, Idempotency-Key header, the answer of a send) and the
 * pure part of core/messaging/sms_send.c (sms_idempotency_key_ok). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/sms_input.h"
#include "http_check.h"

static void test_idempotency_key_ok(void **state)
{
    (void)state;
    char k[SMS_IDEMPOTENCY_KEY_MAX + 2];

    assert_true(sms_idempotency_key_ok("a"));
    assert_true(sms_idempotency_key_ok("order-42_retry.1"));
    assert_true(sms_idempotency_key_ok("!~{}[]#$%&'()*+,/:;<=>?@\\^`|\""));
    memset(k, 'k', SMS_IDEMPOTENCY_KEY_MAX);
    k[SMS_IDEMPOTENCY_KEY_MAX] = 0;
    assert_true(sms_idempotency_key_ok(k));

    k[SMS_IDEMPOTENCY_KEY_MAX] = 'k';
    k[SMS_IDEMPOTENCY_KEY_MAX + 1] = 0;
    assert_false(sms_idempotency_key_ok(k)); /* 101 characters */
    assert_false(sms_idempotency_key_ok(NULL));
    assert_false(sms_idempotency_key_ok(""));
    assert_false(sms_idempotency_key_ok("with space"));
    assert_false(sms_idempotency_key_ok("tab\there"));
    assert_false(sms_idempotency_key_ok("nl\n"));
    assert_false(sms_idempotency_key_ok("del\x7f"));
    assert_false(sms_idempotency_key_ok("j\xc3\xb6rg")); /* not ASCII */
}

/* sms_input_recipients on body text (a JSON object). */
static bool recipients(const char *json, sms_send_req *r, vs_response *res)
{
    json_t *b = json_loads(json, JSON_ALLOW_NUL, NULL);
    assert_non_null(b);
    memset(r, 0, sizeof *r);
    r->nto = -1;
    bool ok = sms_input_recipients(b, r, res);
    json_decref(b);
    return ok;
}

static void test_recipients(void **state)
{
    (void)state;
    vs_response res = {0};
    sms_send_req r;

    /* one number as a string, normalised to E.164 */
    assert_true(recipients("{\"to\": \"(212) 555-1234\"}", &r, &res));
    assert_int_equal(r.nto, 1);
    assert_string_equal(r.to[0], "+12125551234");
    /* a list; duplicates after normalisation are dropped, order kept */
    assert_true(recipients("{\"to\": [\"+44 20 7946 0958\", \"212-555-1234\", \"+1 (212) 555 1234\", "
                           "\"+442079460958\"]}",
                           &r, &res));
    assert_int_equal(r.nto, 2);
    assert_string_equal(r.to[0], "+442079460958");
    assert_string_equal(r.to[1], "+12125551234");
    expect_untouched(&res);

    /* missing, empty, not a list or string */
    static const char *const bad_to[] = {"{}", "{\"to\": []}", "{\"to\": null}", "{\"to\": 2125551234}",
                                         "{\"to\": {\"n\": \"+12125551234\"}}", NULL};
    for (const char *const *b = bad_to; *b; b++) {
        if (recipients(*b, &r, &res))
            fail_msg("%s accepted", *b);
        expect_error_field(&res, 400, "to");
    }
    /* the entry at fault is named by its index */
    assert_false(recipients("{\"to\": [\"+12125551234\", 5]}", &r, &res));
    expect_error_field(&res, 400, "to[1]");
    assert_false(recipients("{\"to\": [\"+12125551234\", \"+12125551235\", \"call me\"]}", &r, &res));
    expect_error_field(&res, 400, "to[2]");
    assert_false(recipients("{\"to\": [\"+1212555\\u00001234\"]}", &r, &res)); /* NUL inside */
    expect_error_field(&res, 400, "to[0]");
    assert_false(recipients("{\"to\": [\"+1212555\\n1234\"]}", &r, &res));
    expect_error_field(&res, 400, "to[0]");
    assert_false(recipients("{\"to\": \"+1 212 555 1234 0000 0000 0000 0000 0000 00\"}", &r, &res)); /* > 40 */
    expect_error_field(&res, 400, "to[0]");
    /* a number phone_normalize refuses: the reason and the value are given back */
    assert_false(recipients("{\"to\": [\"+0123456789\"]}", &r, &res));
    assert_int_equal(res.status, 400);
    json_t *d = json_object_get(res.body, "details");
    assert_string_equal(json_string_value(json_object_get(d, "value")), "+0123456789");
    assert_string_equal(json_string_value(json_object_get(d, "reason")), phone_status_reason(PHONE_BAD_COUNTRY));
    expect_error_field(&res, 400, "to[0]");
}

static void test_recipients_limit(void **state)
{
    (void)state;
    vs_response res = {0};
    sms_send_req r;
    char num[32];

    json_t *list = json_array();
    for (int i = 0; i < SMS_MAX_RECIPIENTS; i++) {
        snprintf(num, sizeof num, "+1212555%04d", 1000 + i);
        json_array_append_new(list, json_string(num));
    }
    json_t *b = json_pack("{s:O}", "to", list);
    memset(&r, 0, sizeof r);
    assert_true(sms_input_recipients(b, &r, &res));
    assert_int_equal(r.nto, SMS_MAX_RECIPIENTS);
    assert_string_equal(r.to[SMS_MAX_RECIPIENTS - 1], "+12125551049");
    expect_untouched(&res);
    json_decref(b);

    /* one more is refused, even when it repeats a number */
    json_array_append_new(list, json_string("+12125551000"));
    b = json_pack("{s:O}", "to", list);
    memset(&r, 0, sizeof r);
    assert_false(sms_input_recipients(b, &r, &res));
    expect_error_field(&res, 400, "to");
    json_decref(b);
    json_decref(list);
}

static bool message(const char *json, char **envp, sms_send_req *r, vs_response *res, json_t **keep)
{
    json_t *b = json_loads(json, 0, NULL);
    assert_non_null(b);
    vs_request req = test_request("", json, envp);
    memset(r, 0, sizeof *r);
    bool ok = sms_input_message(&req, b, r, res);
    *keep = b; /* r->message points into it */
    return ok;
}

static void test_message(void **state)
{
    (void)state;
    vs_response res = {0};
    sms_send_req r;
    json_t *b;
    char *with_key[] = {"HTTP_IDEMPOTENCY_KEY=order-42", NULL};
    char *bad_key[] = {"HTTP_IDEMPOTENCY_KEY=has space", NULL};

    assert_true(message("{\"message\": \"Hello \\u00e4\"}", NULL, &r, &res, &b));
    assert_string_equal(r.message, "Hello \xc3\xa4");
    assert_null(r.idempotency_key);
    json_decref(b);
    assert_true(message("{\"message\": \"hi\"}", with_key, &r, &res, &b));
    assert_string_equal(r.idempotency_key, "order-42");
    json_decref(b);
    expect_untouched(&res);

    assert_false(message("{\"message\": \"hi\"}", bad_key, &r, &res, &b));
    expect_error_field(&res, 400, "Idempotency-Key");
    json_decref(b);
    assert_false(message("{\"message\": \"\"}", NULL, &r, &res, &b));
    expect_error_field(&res, 400, "message");
    json_decref(b);
    assert_false(message("{\"text\": \"hi\"}", NULL, &r, &res, &b));
    expect_error_field(&res, 400, "message");
    json_decref(b);
    assert_false(message("{\"message\": \"a\\u0007b\"}", NULL, &r, &res, &b));
    expect_error_field(&res, 400, "message");
    json_decref(b);
    assert_false(message("{\"message\": \"hi\", \"attachments\": []}", NULL, &r, &res, &b));
    expect_error_field(&res, 400, "attachments");
    json_decref(b);

    /* SMS_MESSAGE_MAX characters (not bytes) fit, one more does not */
    json_t *o = json_object();
    char *text = malloc(2 * SMS_MESSAGE_MAX + 3);
    assert_non_null(text);
    for (int i = 0; i < SMS_MESSAGE_MAX; i++)
        memcpy(text + 2 * i, "\xc3\xa4", 2);
    text[2 * SMS_MESSAGE_MAX] = 0;
    json_object_set_new(o, "message", json_string(text));
    vs_request req = test_request("", "{}", NULL);
    assert_true(sms_input_message(&req, o, &r, &res));
    strcat(text, "x");
    json_object_set_new(o, "message", json_string(text));
    assert_false(sms_input_message(&req, o, &r, &res));
    expect_error_field(&res, 400, "message");
    json_decref(o);
    free(text);
}

static const char *header(const vs_response *res, const char *prefix)
{
    for (int i = 0; i < res->nextra; i++)
        if (strncmp(res->extra_headers[i], prefix, strlen(prefix)) == 0)
            return res->extra_headers[i];
    return NULL;
}

static void test_send_respond(void **state)
{
    (void)state;
    vs_response res = {0};
    sms_send_result r;

    /* all sent: 201 with the result as body (ownership moves to the response) */
    r = (sms_send_result){.sent = 2, .body = json_pack("{s:s}", "status", "sent")};
    json_t *body = r.body;
    sms_send_respond(&res, SMS_SEND_OK, &r, true);
    assert_int_equal(res.status, 201);
    assert_ptr_equal(res.body, body);
    assert_null(r.body);
    assert_null(header(&res, "Idempotent-Replayed"));
    test_response_reset(&res);

    /* a repeat of a request with some still queued: 202 and the replay header */
    r = (sms_send_result){.replayed = true, .sent = 1, .queued = 1, .body = json_object()};
    sms_send_respond(&res, SMS_SEND_OK, &r, true);
    assert_int_equal(res.status, 202);
    assert_string_equal(header(&res, "Idempotent-Replayed"), "Idempotent-Replayed: true");
    test_response_reset(&res);

    /* all refused upstream: 502, the result as the error's details */
    r = (sms_send_result){.failed = 1, .body = json_pack("{s:i}", "failed", 1)};
    sms_send_respond(&res, SMS_SEND_OK, &r, true);
    assert_int_equal(res.status, 502);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res.body, "details"), "failed")), 1);
    expect_error_field(&res, 502, NULL);

    /* MightyCall's budget used up: 503 with Retry-After (60 s when unknown) */
    r = (sms_send_result){.failed = 1, .quota = true, .retry_after = 0, .body = json_object()};
    sms_send_respond(&res, SMS_SEND_OK, &r, true);
    assert_string_equal(header(&res, "Retry-After"), "Retry-After: 60");
    expect_error_field(&res, 503, NULL);
    r = (sms_send_result){.failed = 1, .quota = true, .retry_after = 900, .body = json_object()};
    sms_send_respond(&res, SMS_SEND_OK, &r, true);
    assert_string_equal(header(&res, "Retry-After"), "Retry-After: 900");
    expect_error_field(&res, 503, NULL);

    /* refusals that are not sends */
    r = (sms_send_result){.retry_after = 17};
    sms_send_respond(&res, SMS_SEND_RATE_LIMITED, &r, true);
    assert_string_equal(header(&res, "Retry-After"), "Retry-After: 17");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(res.body, "details"), "retry_after_seconds")),
                     17);
    expect_error_field(&res, 429, NULL);
    sms_send_respond(&res, SMS_SEND_NO_SENDER, &r, true);
    expect_error_field(&res, 400, "from");
    sms_send_respond(&res, SMS_SEND_NO_SENDER, &r, false);
    expect_error_field(&res, 400, "from");
    sms_send_respond(&res, SMS_SEND_NO_INTEGRATION, &r, true);
    expect_error_field(&res, 409, NULL);
    sms_send_respond(&res, SMS_SEND_KEY_CONFLICT, &r, true);
    expect_error_field(&res, 409, "Idempotency-Key");
    sms_send_respond(&res, SMS_SEND_SECRET_ERROR, &r, true);
    expect_error_field(&res, 500, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idempotency_key_ok),
        cmocka_unit_test(test_recipients),
        cmocka_unit_test(test_recipients_limit),
        cmocka_unit_test(test_message),
        cmocka_unit_test(test_send_respond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
