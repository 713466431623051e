/* test_mc_target.c — mightycall/mc_target.c: the SSRF guard of an
 * integration's base_url: allowed hosts, schemes, resolved address classes
 * and the pinned CURLOPT_RESOLVE entry. Addresses here are classified only;
 * nothing connects anywhere (the one name resolved is "localhost"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "mightycall/mc_target.h"

static bool addr_ok(const char *ip, bool loopback, bool private_)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    if (strchr(ip, ':')) {
        struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
        s6->sin6_family = AF_INET6;
        assert_int_equal(inet_pton(AF_INET6, ip, &s6->sin6_addr), 1);
    } else {
        struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
        s4->sin_family = AF_INET;
        assert_int_equal(inet_pton(AF_INET, ip, &s4->sin_addr), 1);
    }
    return mc_addr_allowed((struct sockaddr *)&ss, loopback, private_);
}

static void test_address_classes(void **state)
{
    (void)state;
    /* public addresses (classified only) */
    assert_true(addr_ok("8.8.8.8", false, false));
    assert_true(addr_ok("2606:4700::1111", false, false));
    /* loopback: only when allowed */
    assert_false(addr_ok("127.0.0.1", false, false));
    assert_false(addr_ok("127.1.2.3", false, false));
    assert_false(addr_ok("::1", false, false));
    assert_false(addr_ok("::ffff:127.0.0.1", false, false));
    assert_true(addr_ok("127.0.0.1", true, false));
    assert_true(addr_ok("::1", true, false));
    /* private, shared, link-local, unique-local, unspecified, multicast: only with allow_private */
    const char *special[] = {"10.1.2.3",  "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
                             "169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "198.18.0.1",
                             "fc00::1", "fd12:3456::1", "fe80::1", "::", "ff02::1", "::ffff:10.0.0.1",
                             "::ffff:169.254.169.254", "64:ff9b::a00:1"};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
        assert_false(addr_ok(special[i], true, false));
        assert_true(addr_ok(special[i], true, true));
    }
    /* neighbours of the private ranges are public */
    assert_true(addr_ok("172.32.0.1", false, false));
    assert_true(addr_ok("100.128.0.1", false, false));
    assert_true(addr_ok("11.0.0.1", false, false));
}

static void test_hosts_and_schemes(void **state)
{
    (void)state;
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    const char *why;
    assert_true(mc_host_allowed(&cfg, "api.mightycall.com"));
    assert_true(mc_host_allowed(&cfg, "CCAPI.mightycall.com"));
    assert_false(mc_host_allowed(&cfg, "mightycall.com"));
    assert_false(mc_host_allowed(&cfg, "api.mightycall.com.evil.test"));
    assert_false(mc_host_allowed(&cfg, "127.0.0.1"));
    assert_true(mc_base_url_allowed(&cfg, "https://api.mightycall.com", &why));
    assert_true(mc_base_url_allowed(&cfg, "https://ccapi.mightycall.com/prefix", &why));
    assert_false(mc_base_url_allowed(&cfg, "http://api.mightycall.com", &why)); /* http needs mc_allow_http */
    assert_string_equal(why, "must use https");
    assert_false(mc_base_url_allowed(&cfg, "https://127.0.0.1:3306", &why));
    assert_false(mc_base_url_allowed(&cfg, "https://localhost", &why));
    /* mc_allowed_hosts names others; exact names only */
    snprintf(cfg.mc_allowed_hosts, sizeof cfg.mc_allowed_hosts, "127.0.0.1, mc.example.test");
    assert_true(mc_host_allowed(&cfg, "127.0.0.1"));
    assert_true(mc_host_allowed(&cfg, "MC.example.test"));
    assert_false(mc_host_allowed(&cfg, "127.0.0.2"));
    assert_false(mc_host_allowed(&cfg, "example.test"));
    assert_false(mc_base_url_allowed(&cfg, "http://127.0.0.1:8900", &why));
    cfg.mc_allow_http = 1;
    assert_true(mc_base_url_allowed(&cfg, "http://127.0.0.1:8900", &why));
}

static void test_pin_after_resolution(void **state)
{
    (void)state;
    vs_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char entry[600];
    const char *why;
    /* allowed by name, but it resolves to loopback: refused without mc_allow_http / mc_allow_private */
    snprintf(cfg.mc_allowed_hosts, sizeof cfg.mc_allowed_hosts, "localhost,127.0.0.1");
    assert_int_equal(mc_target_pin(&cfg, "https://localhost:8443", entry, sizeof entry, &why), -1);
    assert_string_equal(why, "the host resolves to an address that is not allowed");
    assert_int_equal(mc_target_pin(&cfg, "https://127.0.0.1:3306", entry, sizeof entry, &why), -1);
    /* a host that is not allowed is never resolved */
    assert_int_equal(mc_target_pin(&cfg, "https://127.0.0.2:3306", entry, sizeof entry, &why), -1);
    assert_string_equal(why, "must be a MightyCall host (api.mightycall.com or ccapi.mightycall.com)");
    /* the loopback simulator with mc_allow_http: pinned to the checked address */
    cfg.mc_allow_http = 1;
    assert_int_equal(mc_target_pin(&cfg, "http://127.0.0.1:8900", entry, sizeof entry, &why), 0);
    assert_string_equal(entry, "127.0.0.1:8900:127.0.0.1");
    assert_int_equal(mc_target_pin(&cfg, "http://localhost", entry, sizeof entry, &why), 0);
    assert_true(strncmp(entry, "localhost:80:", 13) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_address_classes),
        cmocka_unit_test(test_hosts_and_schemes),
        cmocka_unit_test(test_pin_after_resolution),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
