/* test_mail.c — unit tests for core/platform/mail_msg.c (the text of an
 * e-mail: headers, CRLF, encoded-words, header injection refused) and the
 * link/token helpers of identity/one_time_token.c and identity/account_mail.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "identity/account_mail.h"
#include "identity/one_time_token.h"
#include "platform/config.h"
#include "platform/mail_msg.h"

#define NOW 1700000000LL /* Tue, 14 Nov 2023 22:13:20 +0000 */

static mail_message base(void)
{
    return (mail_message){.from = "noreply@example.com", .from_name = "VictorySync", .to = "ann@example.org",
                          .subject = "Hello", .body = "line one\nline two\n"};
}

static char *build(mail_message m, const char **why)
{
    return mail_build(&m, NOW, "abc_DEF-123", why);
}

static void test_headers_and_crlf(void **state)
{
    (void)state;
    const char *why = NULL;
    char *t = build(base(), &why);
    assert_non_null(t);
    assert_null(why);
    assert_non_null(strstr(t, "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
    assert_non_null(strstr(t, "From: \"VictorySync\" <noreply@example.com>\r\n"));
    assert_non_null(strstr(t, "To: <ann@example.org>\r\n"));
    assert_non_null(strstr(t, "Subject: Hello\r\n"));
    assert_non_null(strstr(t, "Message-ID: <abc_DEF-123@example.com>\r\n"));
    assert_non_null(strstr(t, "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"));
    assert_non_null(strstr(t, "\r\n\r\nline one\r\nline two\r\n"));
    /* every line end is CRLF */
    for (const char *p = t; *p; p++)
        if (*p == '\n')
            assert_true(p > t && p[-1] == '\r');
    size_t n = strlen(t);
    assert_string_equal(t + n - 2, "\r\n");
    free(t);
}

static void test_body_line_ends_and_dots(void **state)
{
    (void)state;
    mail_message m = base();
    m.body = "a\r\nb\rc\n.\n..x\nlast"; /* CRLF, bare CR, LF; dot lines stay as they are (libcurl stuffs) */
    const char *why;
    char *t = build(m, &why);
    assert_non_null(t);
    assert_non_null(strstr(t, "\r\n\r\na\r\nb\r\nc\r\n.\r\n..x\r\nlast\r\n"));
    free(t);
}

static void test_header_injection_refused(void **state)
{
    (void)state;
    const char *bad_subjects[] = {"Hi\r\nBcc: x@example.com", "Hi\nBcc: x@example.com", "Hi\rX", "tab\there", "nul\x7f"};
    for (size_t i = 0; i < sizeof bad_subjects / sizeof *bad_subjects; i++) {
        mail_message m = base();
        m.subject = bad_subjects[i];
        const char *why = NULL;
        assert_null(build(m, &why));
        assert_non_null(why);
    }
    const char *bad_to[] = {"ann@example.org\r\nBcc: x@example.com", "Ann <ann@example.org>", "not-an-address", ""};
    for (size_t i = 0; i < sizeof bad_to / sizeof *bad_to; i++) {
        mail_message m = base();
        m.to = bad_to[i];
        const char *why = NULL;
        assert_null(build(m, &why));
        assert_non_null(why);
    }
    mail_message m = base();
    m.from_name = "Evil\" <x@example.com>";
    const char *why = NULL;
    assert_null(build(m, &why));
    m = base();
    m.from = "noreply@example.com\nBcc: y@example.com";
    assert_null(build(m, &why));
    m = base();
    assert_null(mail_build(&m, NOW, "bad id with spaces", &why));
}

static void test_encoded_words(void **state)
{
    (void)state;
    mail_message m = base();
    m.subject = "Einladung zu Müller & Söhne";
    m.from_name = "Zoë";
    const char *why;
    char *t = build(m, &why);
    assert_non_null(t);
    /* "Einladung zu Müller & Söhne" in base64 */
    assert_non_null(strstr(t, "Subject: =?UTF-8?B?RWlubGFkdW5nIHp1IE3DvGxsZXIgJiBTw7ZobmU=?=\r\n"));
    assert_non_null(strstr(t, "From: =?UTF-8?B?Wm/Dqw==?= <noreply@example.com>\r\n"));
    free(t);
    /* a long non-ASCII subject folds into several words, none split inside a character */
    char subj[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(subj, "é");
    m = base();
    m.subject = subj;
    t = build(m, &why);
    assert_non_null(t);
    const char *s = strstr(t, "Subject: ");
    const char *end = strstr(s, "\r\nMessage-ID:");
    int words = 0;
    for (const char *p = s; p < end; p++)
        if (strncmp(p, "=?UTF-8?B?", 10) == 0)
            words++;
    assert_true(words >= 2);
    assert_non_null(strstr(s, "?=\r\n =?UTF-8?B?"));
    free(t);
}

static void test_long_body_line_refused(void **state)
{
    (void)state;
    char *body = malloc(MAIL_LINE_MAX + 2);
    memset(body, 'x', MAIL_LINE_MAX + 1);
    body[MAIL_LINE_MAX + 1] = 0;
    mail_message m = base();
    m.body = body;
    const char *why = NULL;
    assert_null(build(m, &why));
    assert_non_null(why);
    body[MAIL_LINE_MAX] = 0; /* exactly 998 octets: fine */
    char *t = build(m, &why);
    assert_non_null(t);
    free(t);
    free(body);
}

static void test_tokens_and_links(void **state)
{
    (void)state;
    char a[OTT_LEN + 1], b[OTT_LEN + 1], ha[65], hb[65], check[65];
    ott_new(OTT_INVITE_PREFIX, a, ha);
    ott_new(OTT_INVITE_PREFIX, b, hb);
    assert_int_equal(strlen(a), OTT_LEN);
    assert_memory_equal(a, "vsi_", 4);
    assert_string_not_equal(a, b);
    assert_int_equal(strlen(ha), 64);
    assert_true(ott_hash(OTT_INVITE_PREFIX, a, check));
    assert_string_equal(check, ha);
    assert_false(ott_hash(OTT_RESET_PREFIX, a, check)); /* wrong kind */
    assert_string_equal(check, "");
    a[10] = '!';
    assert_false(ott_hash(OTT_INVITE_PREFIX, a, check));
    assert_false(ott_hash(OTT_INVITE_PREFIX, "vsi_short", check));
    assert_false(ott_hash(OTT_INVITE_PREFIX, NULL, check));

    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char link[ACCOUNT_LINK_MAX];
    account_link(&cfg, "invite", b, link);
    char want[ACCOUNT_LINK_MAX];
    snprintf(want, sizeof want, "/#/invite?token=%s", b);
    assert_string_equal(link, want);
    strcpy(cfg.public_url, "https://app.example.com//");
    account_link(&cfg, "reset", b, link);
    snprintf(want, sizeof want, "https://app.example.com/#/reset?token=%s", b);
    assert_string_equal(link, want);
}

static void test_config_mail_keys(void **state)
{
    (void)state;
    vs_config cfg;
    char err[256];
    memset(&cfg, 0, sizeof cfg);
    strcpy(cfg.log_level, "info");
    strcpy(cfg.api_socket, "/run/victorysync/api.sock");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), 0);
    strcpy(cfg.smtp_url, "smtp://user:pw@mail.example.com:587");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "smtp_url"));
    assert_null(strstr(err, "pw@"));
    strcpy(cfg.smtp_url, "http://mail.example.com");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), -1);
    strcpy(cfg.smtp_url, "smtps://mail.example.com:465");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), -1); /* smtp_from missing */
    assert_non_null(strstr(err, "smtp_from"));
    strcpy(cfg.smtp_from, "noreply@example.com");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), 0);
    strcpy(cfg.smtp_password, "secret-value");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), -1); /* no smtp_user */
    assert_null(strstr(err, "secret-value"));
    strcpy(cfg.smtp_user, "vs");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), 0);
    strcpy(cfg.public_url, "ftp://x");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), -1);
    strcpy(cfg.public_url, "https://app.example.com");
    assert_int_equal(config_validate(&cfg, 0, err, sizeof err), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_headers_and_crlf),
        cmocka_unit_test(test_body_line_ends_and_dots),
        cmocka_unit_test(test_header_injection_refused),
        cmocka_unit_test(test_encoded_words),
        cmocka_unit_test(test_long_body_line_refused),
        cmocka_unit_test(test_tokens_and_links),
        cmocka_unit_test(test_config_mail_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
