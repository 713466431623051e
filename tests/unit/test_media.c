/* test_media.c — messaging/media.c media_redirect_for(): the internal nginx
 * URI of a stored recording/voicemail link, or a refusal. Only IP literals
 * and "localhost" are resolved; nothing connects anywhere. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "messaging/media.h"

static vs_config loopback_cfg(void)
{
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    snprintf(cfg.mc_allowed_hosts, sizeof cfg.mc_allowed_hosts, "127.0.0.1,localhost");
    cfg.mc_allow_http = 1;
    return cfg;
}

static void test_simulator_link(void **state)
{
    (void)state;
    vs_config cfg = loopback_cfg();
    char r[MEDIA_REDIRECT_MAX];
    const char *why = NULL;
    assert_int_equal(media_redirect_for(&cfg, "http://127.0.0.1:18900/recordings/ab-cd.wav?recordid=0f1e", r, &why), 0);
    assert_string_equal(r, "/_vs_media/http/127.0.0.1/18900/127.0.0.1/recordings/ab-cd.wav?recordid=0f1e");
    /* default port, fragment dropped */
    assert_int_equal(media_redirect_for(&cfg, "http://127.0.0.1/x.wav#t=3", r, &why), 0);
    assert_string_equal(r, "/_vs_media/http/127.0.0.1/80/127.0.0.1/x.wav");
    /* a name: resolved here, the checked address in the URI, the name as Host */
    assert_int_equal(media_redirect_for(&cfg, "http://localhost:9/v.wav", r, &why), 0);
    assert_true(strncmp(r, "/_vs_media/http/127.0.0.1/9/localhost/v.wav", 43) == 0 ||
                strncmp(r, "/_vs_media/http/[::1]/9/localhost/v.wav", 39) == 0);
}

static void test_refused(void **state)
{
    (void)state;
    vs_config cfg = loopback_cfg();
    char r[MEDIA_REDIRECT_MAX];
    const char *why = NULL;
    /* not a MightyCall host (not resolved) */
    assert_int_equal(media_redirect_for(&cfg, "https://media.example.com/r/x.wav", r, &why), -1);
    assert_non_null(why);
    /* http without mc_allow_http */
    vs_config strict = cfg;
    strict.mc_allow_http = 0;
    assert_int_equal(media_redirect_for(&strict, "http://127.0.0.1:18900/x.wav", r, &why), -1);
    /* loopback address of an allowed name without mc_allow_http/private */
    snprintf(strict.mc_allowed_hosts, sizeof strict.mc_allowed_hosts, "127.0.0.1");
    assert_int_equal(media_redirect_for(&strict, "https://127.0.0.1/x.wav", r, &why), -1);
    /* forms that are not ours */
    const char *bad[] = {
        NULL, "", "ftp://127.0.0.1/x.wav", "http://user@127.0.0.1/x.wav", "http://[::1]/x.wav",
        "http://127.0.0.1:99999/x.wav", "http://127.0.0.1:/x.wav", "http://127.0.0.1/a/../b.wav",
        "http://127.0.0.1/a%2e%2e/b.wav", "http://127.0.0.1/a b.wav", "http://127.0.0.1//etc/x",
        "http://127.0.0.1/x.wav?a=<b>", "http://127.0.0.1/x\r\nX-Evil: 1", "http:///x.wav",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (media_redirect_for(&cfg, bad[i], r, &why) != -1)
            fail_msg("accepted: %s → %s", bad[i] ? bad[i] : "(null)", r);
        assert_non_null(why);
    }
    /* too long for the header */
    char longurl[MEDIA_REDIRECT_MAX + 64];
    int n = snprintf(longurl, sizeof longurl, "http://127.0.0.1/");
    memset(longurl + n, 'a', sizeof longurl - (size_t)n - 1);
    longurl[sizeof longurl - 1] = 0;
    assert_int_equal(media_redirect_for(&cfg, longurl, r, &why), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simulator_link),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
