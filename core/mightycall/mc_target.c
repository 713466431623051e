/* mc_target.c — owns the SSRF guard of MightyCall requests (mc_target.h). */
#include "mightycall/mc_target.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const builtin_hosts[] = {"api.mightycall.com", "ccapi.mightycall.com"};

bool mc_host_allowed(const vs_config *cfg, const char *host)
{
    if (!host || !*host)
        return false;
    for (size_t i = 0; i < sizeof builtin_hosts / sizeof builtin_hosts[0]; i++)
        if (strcasecmp(host, builtin_hosts[i]) == 0)
            return true;
    const char *p = cfg->mc_allowed_hosts;
    size_t hn = strlen(host);
    while (*p) {
        while (*p == ',' || *p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        if (n && n == hn && strncasecmp(p, host, n) == 0)
            return true;
        p += n;
    }
    return false;
}

static bool v4_allowed(uint32_t a, bool allow_loopback, bool allow_private)
{
    uint8_t b0 = (uint8_t)(a >> 24), b1 = (uint8_t)(a >> 16);
    if (b0 == 127)
        return allow_loopback;
    bool special = b0 == 0 || b0 == 10 || (b0 == 100 && (b1 & 0xC0) == 64) || (b0 == 169 && b1 == 254) ||
                   (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168) || (b0 == 192 && b1 == 0) ||
                   (b0 == 198 && (b1 & 0xFE) == 18) || b0 >= 224;
    return special ? allow_private : true;
}

bool mc_addr_allowed(const struct sockaddr *sa, bool allow_loopback, bool allow_private)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        return v4_allowed(ntohl(s4->sin_addr.s_addr), allow_loopback, allow_private);
    }
    if (sa->sa_family != AF_INET6)
        return false;
    const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
    static const unsigned char v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(b, v4mapped, 12) == 0)
        return v4_allowed((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15],
                          allow_loopback, allow_private);
    static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if (memcmp(b, loop, 16) == 0)
        return allow_loopback;
    static const unsigned char zero[16] = {0};
    bool special = memcmp(b, zero, 16) == 0 ||               /* unspecified */
                   (b[0] & 0xFE) == 0xFC ||                  /* fc00::/7 unique-local */
                   (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) || /* fe80::/10 link-local */
                   (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) || /* fec0::/10 site-local */
                   b[0] == 0xFF ||                           /* multicast */
                   memcmp(b, zero, 12) == 0 ||               /* ::a.b.c.d (deprecated compatible) */
                   (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) || /* documentation */
                   (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b);   /* NAT64 */
    return special ? allow_private : true;
}

/* scheme, host (brackets stripped) and port of a normalised base_url */
static bool split(const char *url, bool *https, char *host, size_t hostsz, char *port, size_t portsz)
{
    *https = strncasecmp(url, "https://", 8) == 0;
    if (!*https && strncasecmp(url, "http://", 7) != 0)
        return false;
    const char *h = url + (*https ? 8 : 7);
    size_t n = strcspn(h, "/");
    const char *end = h + n, *colon = NULL;
    if (*h == '[') {
        const char *close = memchr(h, ']', n);
        if (!close)
            return false;
        if ((size_t)(close - h - 1) >= hostsz)
            return false;
        memcpy(host, h + 1, (size_t)(close - h - 1));
        host[close - h - 1] = 0;
        colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = memchr(h, ':', n);
        size_t hl = colon ? (size_t)(colon - h) : n;
        if (hl == 0 || hl >= hostsz)
            return false;
        memcpy(host, h, hl);
        host[hl] = 0;
    }
    if (colon) {
        size_t pl = (size_t)(end - colon - 1);
        if (pl == 0 || pl >= portsz)
            return false;
        memcpy(port, colon + 1, pl);
        port[pl] = 0;
    } else {
        snprintf(port, portsz, "%s", *https ? "443" : "80");
    }
    return true;
}

bool mc_base_url_allowed(const vs_config *cfg, const char *base_url, const char **reason)
{
    bool https;
    char host[256], port[8];
    *reason = "must be an https URL such as https://api.mightycall.com";
    if (!split(base_url, &https, host, sizeof host, port, sizeof port))
        return false;
    if (!https && !cfg->mc_allow_http) {
        *reason = "must use https";
        return false;
    }
    if (!mc_host_allowed(cfg, host)) {
        *reason = "must be a MightyCall host (api.mightycall.com or ccapi.mightycall.com)";
        return false;
    }
    return true;
}

int mc_target_pin(const vs_config *cfg, const char *base_url, char *out, size_t outsz, const char **why)
{
    bool https;
    char host[256], port[8];
    *why = "malformed base_url";
    if (!split(base_url, &https, host, sizeof host, port, sizeof port))
        return -1;
    if (!mc_base_url_allowed(cfg, base_url, why))
        return -1;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0 || !res) {
        *why = "the host name could not be resolved";
        return -1;
    }
    bool allow_loopback = cfg->mc_allow_http || cfg->mc_allow_private, allow_private = cfg->mc_allow_private;
    int n = snprintf(out, outsz, "%s:%s:", host, port);
    const int prefix = n;
    int count = 0;
    int rc = 0;
    for (struct addrinfo *ai = res; ai && rc == 0; ai = ai->ai_next) {
        if (!mc_addr_allowed(ai->ai_addr, allow_loopback, allow_private)) {
            *why = "the host resolves to an address that is not allowed";
            rc = -1;
            break;
        }
        char a[INET6_ADDRSTRLEN];
        const void *src = ai->ai_family == AF_INET ? (const void *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr
                                                   : (const void *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
        if (!inet_ntop(ai->ai_family, src, a, sizeof a))
            continue;
        char listed[INET6_ADDRSTRLEN + 3];
        snprintf(listed, sizeof listed, ai->ai_family == AF_INET6 ? "[%s]" : "%s", a);
        bool seen = false; /* getaddrinfo may list an address more than once */
        for (const char *p = out + prefix; *p && !seen; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 1 : 0))
            seen = strncmp(p, listed, strlen(listed)) == 0 && (p[strlen(listed)] == ',' || !p[strlen(listed)]);
        if (seen)
            continue;
        int w = snprintf(out + n, outsz - (size_t)n, ai->ai_family == AF_INET6 ? "%s[%s]" : "%s%s", count ? "," : "",
                         a);
        if (w < 0 || (size_t)(n + w) >= outsz)
            break;
        n += w;
        count++;
    }
    freeaddrinfo(res);
    if (rc == 0 && count == 0) {
        *why = "the host name could not be resolved";
        rc = -1;
    }
    return rc;
}
