/* test_identity.c — unit tests for the pure parts of the identity core:
 * names.c, users.c (email normalisation), orgs.c (name rule), members.c
 * (roles), activity.c (types, clipping), auth_tokens.c (Bearer parsing,
 * refresh-token shape, access tokens with our and the Supabase secret) and
 * login_throttle.c (wait computation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include <stdio.h>
#include <string.h>

#include "platform/activity.h"
#include "identity/auth_tokens.h"
#include "platform/config.h"
#include "identity/login_throttle.h"
#include "identity/members.h"
#include "identity/names.h"
#include "identity/orgs.h"
#include "identity/users.h"

static void test_email_normalize(void **state)
{
    (void)state;
    char out[USER_EMAIL_MAX + 1];
    assert_true(user_email_normalize("Jane.Doe@Example.COM", out, sizeof out));
    assert_string_equal(out, "jane.doe@example.com");
    assert_true(user_email_normalize("j\xc3\x84@b\xc3\xbc.de", out, sizeof out)); /* non-ASCII kept as is */
    assert_string_equal(out, "j\xc3\x84@b\xc3\xbc.de");
    const char *bad[] = {"", "plain", "@example.com", "a@", "a@b", "a@@b.c", "a b@c.de", "a@b.c.", "a@.bc",
                         "a'b@c.de", "a;b@c.de", "tab\t@x.yz", NULL};
    for (int i = 0; bad[i]; i++)
        if (user_email_normalize(bad[i], out, sizeof out))
            fail_msg("accepted %s", bad[i]);
    char big[300];
    memset(big, 'a', 250);
    strcpy(big + 250, "@x.yz");
    assert_false(user_email_normalize(big, out, sizeof out));
    char tiny[5];
    assert_false(user_email_normalize("a@b.cd", tiny, sizeof tiny));
}

static void test_names(void **state)
{
    (void)state;
    assert_null(name_problem("Jane Smith", 200));
    assert_null(name_problem("\xe6\x9d\xb1\xe4\xba\xac", 2)); /* 2 characters, 6 bytes */
    assert_non_null(name_problem("\xe6\x9d\xb1\xe4\xba\xac", 1));
    assert_non_null(name_problem("", 200));
    assert_non_null(name_problem(" lead", 200));
    assert_non_null(name_problem("trail ", 200));
    assert_non_null(name_problem("tab\tin", 200));
    assert_non_null(name_problem("del\x7f", 200));
    assert_non_null(name_problem("c1\xc2\x85", 200));
    assert_non_null(name_problem("bad\xff", 200));
    assert_non_null(name_problem(NULL, 200));
    assert_null(name_problem("\xc2\xa0nbsp is not a control", 200));
    assert_null(user_name_problem("Zo\xc3\xab"));

    char slug[SLUG_MAX_BYTES];
    assert_null(org_name_problem("Acme Inc", slug));
    assert_string_equal(slug, "acme-inc");
    assert_non_null(org_name_problem("!!!", slug));
    assert_non_null(org_name_problem("", slug));
    char long_name[260];
    memset(long_name, 'x', 201);
    long_name[201] = 0;
    assert_non_null(org_name_problem(long_name, slug));
    long_name[200] = 0;
    assert_null(org_name_problem(long_name, slug));
}

static void test_roles_and_types(void **state)
{
    (void)state;
    assert_int_equal(member_role_parse("org_admin"), ORG_ROLE_ORG_ADMIN);
    assert_int_equal(member_role_parse("manager"), ORG_ROLE_MANAGER);
    assert_int_equal(member_role_parse("agent"), ORG_ROLE_AGENT);
    assert_int_equal(member_role_parse("Agent"), ORG_ROLE_NONE);
    assert_int_equal(member_role_parse("platform_admin"), ORG_ROLE_NONE);
    assert_int_equal(member_role_parse(NULL), ORG_ROLE_NONE);
    assert_true(ORG_ROLE_ORG_ADMIN > ORG_ROLE_MANAGER && ORG_ROLE_MANAGER > ORG_ROLE_AGENT);
    for (org_role r = ORG_ROLE_AGENT; r <= ORG_ROLE_ORG_ADMIN; r++)
        assert_int_equal(member_role_parse(member_role_name(r)), r);
    assert_null(member_role_name(ORG_ROLE_NONE));

    const char *known[] = {"call", "sms", "user_login", "integration_sync", "org_created", "org_updated", "org_deleted",
                           "member_added", "member_removed", "api_key_created", "api_key_revoked", NULL};
    for (int i = 0; known[i]; i++)
        assert_true(activity_type_known(known[i]));
    assert_false(activity_type_known("bogus"));
    assert_false(activity_type_known("CALL"));
    assert_false(activity_type_known(""));
    assert_false(activity_type_known(NULL));
}

static void test_activity_clip(void **state)
{
    (void)state;
    char out[64];
    assert_false(activity_clip("short", 10, out, sizeof out));
    assert_string_equal(out, "short");
    assert_false(activity_clip("exactly10!", 10, out, sizeof out));
    assert_string_equal(out, "exactly10!");
    assert_true(activity_clip("eleven chars", 10, out, sizeof out));
    assert_string_equal(out, "eleven ch\xe2\x80\xa6"); /* 9 + "…" = 10 characters */
    /* never inside a UTF-8 sequence */
    assert_true(activity_clip("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3, out, sizeof out));
    assert_string_equal(out, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
    /* a small buffer cuts on a boundary too */
    char small[8];
    assert_true(activity_clip("\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac", 100, small, sizeof small));
    assert_string_equal(small, "\xe6\x9d\xb1\xe2\x80\xa6");
    assert_false(activity_clip("", 5, out, sizeof out));
    assert_string_equal(out, "");
}

static void test_bearer(void **state)
{
    (void)state;
    assert_string_equal(auth_bearer_token("Bearer abc.def.ghi"), "abc.def.ghi");
    assert_string_equal(auth_bearer_token("bearer   tok"), "tok");
    assert_string_equal(auth_bearer_token("  BEARER\ttok"), "tok");
    assert_null(auth_bearer_token("Bearer"));
    assert_null(auth_bearer_token("Bearer   "));
    assert_null(auth_bearer_token("Bearertok"));
    assert_null(auth_bearer_token("Basic dXNlcjpwdw=="));
    assert_null(auth_bearer_token("tok"));
    assert_null(auth_bearer_token(NULL));
}

static void test_refresh_shape(void **state)
{
    (void)state;
    char good[REFRESH_TOKEN_LEN + 1] = "vsr_";
    memset(good + 4, 'A', REFRESH_TOKEN_LEN - 4);
    good[REFRESH_TOKEN_LEN] = 0;
    assert_true(refresh_token_well_formed(good));
    good[10] = '-';
    good[11] = '_';
    assert_true(refresh_token_well_formed(good));
    good[12] = '+';
    assert_false(refresh_token_well_formed(good));
    good[12] = 'A';
    good[0] = 'x';
    assert_false(refresh_token_well_formed(good));
    good[0] = 'v';
    char longer[REFRESH_TOKEN_LEN + 2];
    snprintf(longer, sizeof longer, "%sA", good);
    assert_false(refresh_token_well_formed(longer));
    good[REFRESH_TOKEN_LEN - 1] = 0;
    assert_false(refresh_token_well_formed(good));
    assert_false(refresh_token_well_formed("' OR 1=1 --"));
    assert_false(refresh_token_well_formed(NULL));
}

/* An HS256 token with this payload (Supabase-style claims jwt_sign_hs256 does not write). */
static void supa_token(const char *secret, const char *payload, char *out, size_t outsz)
{
    const char *hdr = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char h64[128], p64[1024], s64[64];
    sodium_bin2base64(h64, sizeof h64, (const unsigned char *)hdr, strlen(hdr), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_bin2base64(p64, sizeof p64, (const unsigned char *)payload, strlen(payload),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char input[1200];
    snprintf(input, sizeof input, "%s.%s", h64, p64);
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)input, strlen(input));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(s64, sizeof s64, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outsz, "%s.%s", input, s64);
}

static void test_access_tokens(void **state)
{
    (void)state;
    static vs_config cfg;
    char err[128], tok[JWT_MAX_TOKEN_LEN + 1];
    jwt_claims c;
    bool supa;
    assert_int_equal(config_load(&cfg, NULL, err, sizeof err), 0);
    /* no secret configured: nothing is signed, nothing verifies */
    assert_int_equal(auth_issue_access(&cfg, "u-1", "a@b.c", 1700000000, tok, sizeof tok), -1);

    snprintf(cfg.jwt_secret, sizeof cfg.jwt_secret, "%s", "our-secret-our-secret-our-secret-00");
    cfg.jwt_ttl_seconds = 600;
    assert_int_equal(auth_issue_access(&cfg, "u-1", "a@b.c", 1700000000, tok, sizeof tok), 0);
    assert_int_equal(auth_verify_access(&cfg, tok, 1700000100, &c, &supa), JWT_OK);
    assert_string_equal(c.sub, "u-1");
    assert_int_equal(c.exp - c.iat, 600);
    assert_false(supa);
    assert_int_equal(auth_verify_access(&cfg, tok, 1700000000 + 600 + AUTH_LEEWAY_S + 1, &c, &supa), JWT_EXPIRED);
    assert_int_equal(auth_verify_access(&cfg, tok, 1700000000 - AUTH_LEEWAY_S - 1, &c, &supa), JWT_NOT_YET_VALID);

    /* a token signed with the Supabase secret: refused until that secret is configured */
    static vs_config supa_cfg;
    supa_cfg = cfg;
    snprintf(supa_cfg.jwt_secret, sizeof supa_cfg.jwt_secret, "%s", "supabase-secret-supabase-secret-00");
    char stok[JWT_MAX_TOKEN_LEN + 1];
    assert_int_equal(auth_issue_access(&supa_cfg, "u-2", NULL, 1700000000, stok, sizeof stok), 0);
    assert_int_equal(auth_verify_access(&cfg, stok, 1700000100, &c, &supa), JWT_BAD_SIGNATURE);
    snprintf(cfg.supabase_jwt_secret, sizeof cfg.supabase_jwt_secret, "%s", "supabase-secret-supabase-secret-00");
    /* right signature, but no aud: not a Supabase user's access token */
    assert_int_equal(auth_verify_access(&cfg, stok, 1700000100, &c, &supa), JWT_BAD_AUDIENCE);
    assert_false(supa);
    supa_token(cfg.supabase_jwt_secret,
               "{\"sub\":\"u-2\",\"aud\":\"authenticated\",\"role\":\"authenticated\",\"iat\":1700000000,"
               "\"exp\":1700003600}",
               stok, sizeof stok);
    assert_int_equal(auth_verify_access(&cfg, stok, 1700000100, &c, &supa), JWT_OK);
    assert_true(supa);
    assert_string_equal(c.sub, "u-2");
    assert_string_equal(c.aud, "authenticated");
    /* aud as an array that lists authenticated */
    char atok[JWT_MAX_TOKEN_LEN + 1];
    supa_token(cfg.supabase_jwt_secret,
               "{\"sub\":\"u-2\",\"aud\":[\"other\",\"authenticated\"],\"iat\":1700000000,\"exp\":1700003600}",
               atok, sizeof atok);
    assert_int_equal(auth_verify_access(&cfg, atok, 1700000100, &c, &supa), JWT_OK);
    /* anon and service_role tokens, another audience: refused */
    const char *refused[] = {
        "{\"sub\":\"u-2\",\"aud\":\"authenticated\",\"role\":\"anon\",\"iat\":1700000000,\"exp\":1700003600}",
        "{\"sub\":\"u-2\",\"aud\":\"authenticated\",\"role\":\"service_role\",\"iat\":1700000000,\"exp\":1700003600}",
        "{\"sub\":\"u-2\",\"aud\":\"other\",\"role\":\"authenticated\",\"iat\":1700000000,\"exp\":1700003600}",
        "{\"sub\":\"u-2\",\"aud\":[\"other\"],\"iat\":1700000000,\"exp\":1700003600}",
        "{\"sub\":\"u-2\",\"aud\":\"authenticated\",\"role\":7,\"iat\":1700000000,\"exp\":1700003600}",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        supa_token(cfg.supabase_jwt_secret, refused[i], atok, sizeof atok);
        assert_int_equal(auth_verify_access(&cfg, atok, 1700000100, &c, &supa), JWT_BAD_AUDIENCE);
    }
    /* our own tokens carry no aud and need none */
    /* our own tokens still verify with our secret first */
    assert_int_equal(auth_verify_access(&cfg, tok, 1700000100, &c, &supa), JWT_OK);
    assert_false(supa);
    /* the Supabase secret is not a fallback for other failures */
    assert_int_equal(auth_verify_access(&cfg, stok, 1700000000 + 7200, &c, &supa), JWT_EXPIRED);
}

static void test_throttle_wait(void **state)
{
    (void)state;
    assert_int_equal(login_window_wait(100, 900), 800);
    assert_int_equal(login_window_wait(0, 900), 900);
    assert_int_equal(login_window_wait(900, 900), 1); /* never 0 while throttled */
    assert_int_equal(login_window_wait(5000, 900), 1);
    /* per-account back-off: none below the threshold, then doubling, capped */
    assert_int_equal(login_backoff_seconds(0, 5, 60), 0);
    assert_int_equal(login_backoff_seconds(4, 5, 60), 0);
    assert_int_equal(login_backoff_seconds(5, 5, 60), 1);
    assert_int_equal(login_backoff_seconds(6, 5, 60), 2);
    assert_int_equal(login_backoff_seconds(9, 5, 60), 16);
    assert_int_equal(login_backoff_seconds(11, 5, 60), 60);
    assert_int_equal(login_backoff_seconds(1000000, 5, 60), 60);
    assert_int_equal(login_backoff_seconds(50, 5, 0), 0); /* back-off switched off */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_normalize), cmocka_unit_test(test_names),
        cmocka_unit_test(test_roles_and_types), cmocka_unit_test(test_activity_clip),
        cmocka_unit_test(test_bearer),          cmocka_unit_test(test_refresh_shape),
        cmocka_unit_test(test_access_tokens),   cmocka_unit_test(test_throttle_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
