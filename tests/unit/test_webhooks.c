/* test_webhooks.c — unit tests for the pure parts of core/messaging/webhooks.c: event
 * classification and the fold of a call's events (any order) into its state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "messaging/webhooks.h"

#define B "+12125550100"
#define C "+14155550199"

static webhook_call_event ev(const char *type, long long at, const char *ext)
{
    bool in = strncmp(type, "Incoming", 8) == 0;
    return (webhook_call_event){.type = type, .at_ms = at, .from = in ? C : B, .to = in ? B : C, .extension = ext};
}

static void test_classification(void **state)
{
    (void)state;
    assert_true(webhook_is_call_event("IncomingCall"));
    assert_true(webhook_is_call_event("incomingcallconnected"));
    assert_true(webhook_is_call_event("OutgoingCallCompleted"));
    assert_false(webhook_is_call_event("IncomingMessage"));
    assert_false(webhook_is_call_event("CallbackRequested"));
    assert_true(webhook_is_call_event("CallbackCallCompleted"));
    assert_true(webhook_is_message_event("IncomingMessage"));
    assert_true(webhook_is_message_event("OutgoingMessage"));
    assert_false(webhook_is_message_event("IncomingCall"));
    assert_false(webhook_is_message_event(NULL));
}

static void test_inbound_connected_any_order(void **state)
{
    (void)state;
    webhook_call_event in_order[] = {
        ev("IncomingCall", 1000, ""),          ev("IncomingCallRinging", 2000, "101"),
        ev("IncomingCallStopRinging", 3000, "101"), ev("IncomingCallConnected", 4000, "104"),
        ev("IncomingCallCompleted", 61000, ""),
    };
    int order[][5] = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 4, 0, 3, 1}};
    for (size_t k = 0; k < 3; k++) {
        webhook_call_event e[5];
        for (int i = 0; i < 5; i++)
            e[i] = in_order[order[k][i]];
        webhook_call_state s;
        webhook_fold_call(e, 5, &s);
        assert_string_equal(s.direction, "inbound");
        assert_string_equal(s.status, "connected");
        assert_int_equal(s.started_ms, 1000);
        assert_int_equal(s.ended_ms, 61000);
        assert_int_equal(s.duration_s, 60);
        assert_string_equal(s.business, B);
        assert_string_equal(s.caller, C);
        assert_string_equal(s.called, B);
        assert_string_equal(s.extension, "104"); /* the one that answered */
    }
}

static void test_states_before_completion(void **state)
{
    (void)state;
    webhook_call_state s;
    webhook_call_event ring[] = {ev("IncomingCall", 1000, "")};
    webhook_fold_call(ring, 1, &s);
    assert_string_equal(s.status, "ringing");
    assert_int_equal(s.ended_ms, 0);
    assert_int_equal(s.duration_s, 0);
    webhook_call_event talk[] = {ev("OutgoingCallConnected", 5000, "105"), ev("OutgoingCall", 1000, "105")};
    webhook_fold_call(talk, 2, &s);
    assert_string_equal(s.direction, "outbound");
    assert_string_equal(s.status, "in_progress");
    assert_string_equal(s.business, B);
    assert_int_equal(s.started_ms, 1000);
}

static void test_unanswered(void **state)
{
    (void)state;
    webhook_call_state s;
    webhook_call_event missed[] = {ev("IncomingCallCompleted", 30000, ""), ev("IncomingCall", 1000, "")};
    webhook_fold_call(missed, 2, &s);
    assert_string_equal(s.status, "missed");
    assert_int_equal(s.duration_s, 29);
    webhook_call_event no_answer[] = {ev("OutgoingCall", 1000, ""), ev("OutgoingCallCompleted", 9000, "")};
    webhook_fold_call(no_answer, 2, &s);
    assert_string_equal(s.status, "no_answer");
}

static void test_no_direction(void **state)
{
    (void)state;
    webhook_call_state s;
    webhook_call_event odd[] = {{.type = "CallbackRequested", .at_ms = 1, .from = "", .to = "", .extension = ""}};
    webhook_fold_call(odd, 1, &s);
    assert_null(s.direction);
    webhook_fold_call(NULL, 0, &s);
    assert_null(s.direction);
}

/* The Swagger's own sequences ("WebHook Notifications"): a *Completed event
 * with an Extension ends only that agent's leg; the call ends with the
 * *Completed event without one. */
static void fold_prefixes(const webhook_call_event *seq, int n, int last_open, const char *ext)
{
    for (int k = 1; k <= n; k++) {
        webhook_call_state s;
        webhook_fold_call(seq, k, &s);
        if (k <= last_open) {
            assert_int_equal(s.ended_ms, 0);
            assert_true(strcmp(s.status, "in_progress") == 0 || strcmp(s.status, "ringing") == 0);
        } else {
            assert_string_equal(s.status, "connected");
            assert_int_equal(s.ended_ms, seq[n - 1].at_ms);
            assert_string_equal(s.extension, ext);
        }
    }
    /* reversed arrival: the same end state */
    webhook_call_event rev[16];
    for (int i = 0; i < n; i++)
        rev[i] = seq[n - 1 - i];
    webhook_call_state s;
    webhook_fold_call(rev, n, &s);
    assert_string_equal(s.status, "connected");
    assert_int_equal(s.started_ms, seq[0].at_ms);
    assert_int_equal(s.ended_ms, seq[n - 1].at_ms);
}

static void test_swagger_consultation(void **state)
{
    (void)state;
    webhook_call_event seq[] = {
        ev("CallbackCall", 1000, ""),
        ev("CallbackCallRinging", 2000, "101"),
        ev("CallbackCallConnected", 3000, "101"),
        ev("IncomingCallRinging", 4000, "102"),
        ev("IncomingCallConnected", 5000, "102"),
        ev("IncomingCallCompleted", 9000, "102"), /* the consultation ended */
        ev("CallbackCallCompleted", 20000, ""),   /* the call ended */
    };
    fold_prefixes(seq, 7, 6, "101");
    webhook_call_state s;
    webhook_fold_call(seq, 7, &s);
    assert_string_equal(s.direction, "inbound");
    assert_int_equal(s.duration_s, 19);
}

static void test_swagger_colleague_and_transfer(void **state)
{
    (void)state;
    webhook_call_event colleague[] = {
        ev("OutgoingCall", 1000, "101"),
        ev("IncomingCallRinging", 2000, "105"),
        ev("IncomingCallConnected", 3000, "105"),
        ev("IncomingCallCompleted", 8000, "105"),
        ev("OutgoingCallCompleted", 9000, ""),
    };
    fold_prefixes(colleague, 5, 4, "105");
    webhook_call_state s;
    webhook_fold_call(colleague, 5, &s);
    assert_string_equal(s.direction, "outbound");
    webhook_call_event transfer[] = {
        ev("CallbackCall", 1000, ""),
        ev("CallbackCallRinging", 2000, "105"),
        ev("CallbackCallConnected", 3000, "105"),
        ev("IncomingCallRinging", 4000, "101"),
        ev("CallbackCallCompleted", 5000, "105"), /* the first agent hung up */
        ev("IncomingCallConnected", 6000, "101"),
        ev("IncomingCallCompleted", 7000, "101"),
        ev("CallbackCallCompleted", 30000, ""),
    };
    fold_prefixes(transfer, 8, 7, "105");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classification),       cmocka_unit_test(test_inbound_connected_any_order),
        cmocka_unit_test(test_states_before_completion), cmocka_unit_test(test_unanswered),
        cmocka_unit_test(test_no_direction),       cmocka_unit_test(test_swagger_consultation),
        cmocka_unit_test(test_swagger_colleague_and_transfer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
