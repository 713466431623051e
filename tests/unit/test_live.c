/* test_live.c — unit tests for the push stream's pure parts:
 * identity/live_ticket.c (mint, signature, org, expiry, session, shape) and
 * platform/live_pub.c (which publisher targets are accepted; publishing off). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "identity/live_ticket.h"
#include "platform/live_pub.h"

#define SECRET "0123456789abcdef0123456789abcdef-live"
#define ORG "11111111-2222-3333-4444-555555555555"
#define OTHER "11111111-2222-3333-4444-666666666666"
#define USER "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
#define SESSION "99999999-8888-7777-6666-555555555555"
#define NOW 1700000000LL

static void mint_user(char out[LIVE_TICKET_MAX + 1])
{
    live_ticket t = {.kind = LIVE_SUBJECT_USER, .iat = NOW - 10};
    snprintf(t.subject_id, sizeof t.subject_id, "%s", USER);
    snprintf(t.session_id, sizeof t.session_id, "%s", SESSION);
    assert_int_equal(live_ticket_mint(SECRET, ORG, &t, NOW, out, LIVE_TICKET_MAX + 1), 0);
}

static void test_round_trip(void **state)
{
    (void)state;
    char tk[LIVE_TICKET_MAX + 1];
    mint_user(tk);
    assert_true(strncmp(tk, "lt2.u." USER "." SESSION ".", 6 + 36 + 1 + 36 + 1) == 0);
    live_ticket t;
    assert_true(live_ticket_check(SECRET, tk, ORG, NOW, &t));
    assert_int_equal(t.kind, LIVE_SUBJECT_USER);
    assert_string_equal(t.subject_id, USER);
    assert_string_equal(t.session_id, SESSION);
    assert_int_equal(t.iat, NOW - 10);
    assert_int_equal(t.exp, NOW + LIVE_TICKET_TTL);
    assert_true(live_ticket_check(SECRET, tk, ORG, NOW + LIVE_TICKET_TTL, &t));
}

static void test_refusals(void **state)
{
    (void)state;
    char tk[LIVE_TICKET_MAX + 1];
    mint_user(tk);
    live_ticket t;
    assert_false(live_ticket_check(SECRET, tk, OTHER, NOW, &t));                    /* another org's channel */
    assert_false(live_ticket_check(SECRET, tk, ORG, NOW + LIVE_TICKET_TTL + 1, &t)); /* expired */
    assert_false(live_ticket_check("another-secret-of-32-bytes-or-more!!", tk, ORG, NOW, &t));
    char bad[LIVE_TICKET_MAX + 1];
    snprintf(bad, sizeof bad, "%s", tk);
    bad[strlen(bad) - 1] = bad[strlen(bad) - 1] == '0' ? '1' : '0'; /* a changed signature */
    assert_false(live_ticket_check(SECRET, bad, ORG, NOW, &t));
    snprintf(bad, sizeof bad, "%s", tk);
    bad[6] = bad[6] == 'a' ? 'b' : 'a'; /* another subject under the same signature */
    assert_false(live_ticket_check(SECRET, bad, ORG, NOW, &t));
    snprintf(bad, sizeof bad, "%s", tk);
    bad[6 + 37] = bad[6 + 37] == '9' ? '8' : '9'; /* another session under the same signature */
    assert_false(live_ticket_check(SECRET, bad, ORG, NOW, &t));
    assert_false(live_ticket_check(SECRET, "", ORG, NOW, &t));
    assert_false(live_ticket_check(SECRET, "lt1.", ORG, NOW, &t));
    assert_false(live_ticket_check(SECRET, NULL, ORG, NOW, &t));
    assert_false(live_ticket_check("", tk, ORG, NOW, &t));
}

static void test_kinds(void **state)
{
    (void)state;
    char tk[LIVE_TICKET_MAX + 1];
    live_ticket s = {.kind = LIVE_SUBJECT_SERVICE};
    assert_int_equal(live_ticket_mint(SECRET, ORG, &s, NOW, tk, sizeof tk), 0);
    live_ticket t;
    assert_true(live_ticket_check(SECRET, tk, ORG, NOW, &t));
    assert_int_equal(t.kind, LIVE_SUBJECT_SERVICE);
    assert_string_equal(t.subject_id, "");
    live_ticket u = {.kind = LIVE_SUBJECT_USER, .iat = NOW};
    snprintf(u.subject_id, sizeof u.subject_id, "%s", USER);
    assert_int_equal(live_ticket_mint(SECRET, ORG, &u, NOW, tk, sizeof tk), 0); /* a token without "sid" */
    assert_true(strncmp(tk, "lt2.u." USER ".-.", 6 + 36 + 3) == 0);
    assert_true(live_ticket_check(SECRET, tk, ORG, NOW, &t));
    assert_string_equal(t.session_id, "");
    snprintf(u.session_id, sizeof u.session_id, "%s", "not-a-session");
    assert_int_equal(live_ticket_mint(SECRET, ORG, &u, NOW, tk, sizeof tk), -1);
    live_ticket k = {.kind = LIVE_SUBJECT_KEY};
    assert_int_equal(live_ticket_mint(SECRET, ORG, &k, NOW, tk, sizeof tk), -1); /* a key needs its id */
    snprintf(k.subject_id, sizeof k.subject_id, "%s", USER);
    assert_int_equal(live_ticket_mint(SECRET, ORG, &k, NOW, tk, sizeof tk), 0);
    assert_true(live_ticket_check(SECRET, tk, ORG, NOW, &t));
    assert_int_equal(t.kind, LIVE_SUBJECT_KEY);
    assert_string_equal(t.session_id, ""); /* a key has no session */
    live_ticket x = {.kind = (live_subject)'x'};
    assert_int_equal(live_ticket_mint(SECRET, ORG, &x, NOW, tk, sizeof tk), -1);
    assert_int_equal(live_ticket_mint(SECRET, "not-an-org", &s, NOW, tk, sizeof tk), -1);
    assert_int_equal(live_ticket_mint(SECRET, ORG, &s, NOW, tk, 10), -1); /* too small a buffer */
}

static void test_publish_targets(void **state)
{
    (void)state;
    assert_true(live_pub_target_ok(""));
    assert_true(live_pub_target_ok(NULL));
    assert_true(live_pub_target_ok("unix:/run/victorysync-live.sock"));
    assert_true(live_pub_target_ok("http://127.0.0.1:8091"));
    assert_true(live_pub_target_ok("http://127.1.2.3:8091/"));
    assert_true(live_pub_target_ok("http://localhost:80"));
    assert_true(live_pub_target_ok("http://[::1]:8091"));
    assert_false(live_pub_target_ok("unix:relative.sock"));
    assert_false(live_pub_target_ok("https://127.0.0.1:8091"));
    assert_false(live_pub_target_ok("http://10.0.0.5:8091"));
    assert_false(live_pub_target_ok("http://example.com"));
    assert_false(live_pub_target_ok("http://127.0.0.1.example.com"));
    assert_false(live_pub_target_ok("http://127.0.0.1:8091/pub"));
    assert_false(live_pub_target_ok("http://127.0.0.1:"));
    /* off: nothing is sent and nothing fails */
    live_pub_init("");
    assert_false(live_pub_enabled());
    assert_false(live_publish(ORG, LIVE_CALL, NULL));
    live_pub_init("http://10.0.0.5:1"); /* refused targets leave it off */
    assert_false(live_pub_enabled());
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_publish_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
