/* live_pub.c — owns the POST of a live note to nginx's nchan publisher; see
 * live_pub.h. */
#include "platform/live_pub.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "platform/log.h"
#include "platform/text.h"

#define PUB_CONNECT_MS 100L
#define PUB_TOTAL_MS 300L

static char pub_socket[LIVE_PUBLISH_MAX]; /* unix socket path, or empty */
static char pub_base[LIVE_PUBLISH_MAX];   /* http://host[:port] */
static bool pub_on;

static bool loopback_host(const char *h, size_t n)
{
    if (n == 9 && strncmp(h, "localhost", 9) == 0)
        return true;
    if (n == 5 && strncmp(h, "[::1]", 5) == 0)
        return true;
    if (n < 9 || n > 15 || strncmp(h, "127.", 4) != 0)
        return false;
    int dots = 0;
    for (size_t i = 4; i < n; i++) {
        if (h[i] == '.')
            dots++;
        else if (h[i] < '0' || h[i] > '9')
            return false;
    }
    return dots == 2;
}

bool live_pub_target_ok(const char *t)
{
    if (!t || !*t)
        return true;
    size_t n = strlen(t);
    if (n >= LIVE_PUBLISH_MAX)
        return false;
    if (strncmp(t, "unix:/", 6) == 0)
        return n > 6 && n - 5 < 108 && !strpbrk(t, " \t\r\n");
    if (strncmp(t, "http://", 7) != 0)
        return false;
    const char *h = t + 7;
    size_t hl = h[0] == '[' ? strcspn(h, "]") + 1 : strcspn(h, ":/"); /* [::1] holds colons */
    if (!loopback_host(h, hl))
        return false;
    const char *p = h + hl;
    if (*p == ':') {
        p++;
        size_t d = strspn(p, "0123456789");
        if (d == 0 || d > 5)
            return false;
        p += d;
    }
    return *p == 0 || strcmp(p, "/") == 0;
}

void live_pub_init(const char *target)
{
    pub_on = false;
    pub_socket[0] = pub_base[0] = 0;
    if (!target || !*target || !live_pub_target_ok(target))
        return;
    if (strncmp(target, "unix:", 5) == 0) {
        snprintf(pub_socket, sizeof pub_socket, "%s", target + 5);
        snprintf(pub_base, sizeof pub_base, "http://localhost");
    } else {
        snprintf(pub_base, sizeof pub_base, "%s", target);
        size_t n = strlen(pub_base);
        if (n && pub_base[n - 1] == '/')
            pub_base[n - 1] = 0;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    pub_on = true;
}

bool live_pub_enabled(void) { return pub_on; }

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    (void)p;
    (void)u;
    return s * n;
}

bool live_publish(const char *org_id, const char *type, const char *id)
{
    if (!pub_on || !org_id || !is_uuid(org_id) || !type)
        return false;
    if (id && !is_uuid(id))
        id = NULL;
    char url[LIVE_PUBLISH_MAX + 64], body[160];
    snprintf(url, sizeof url, "%s/pub/org-%s", pub_base, org_id);
    if (id)
        snprintf(body, sizeof body, "{\"type\":\"%s\",\"id\":\"%s\"}", type, id);
    else
        snprintf(body, sizeof body, "{\"type\":\"%s\"}", type);
    CURL *h = curl_easy_init();
    if (!h) {
        log_warn("live: publish %s for org %s: no curl handle", type, org_id);
        return false;
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    if (pub_socket[0])
        curl_easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH, pub_socket);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, PUB_CONNECT_MS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, PUB_TOTAL_MS);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_PROXY, "");
    CURLcode cc = curl_easy_perform(h);
    long status = 0;
    if (cc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    /* nchan: 201 published with subscribers waiting, 202 queued without */
    bool ok = cc == CURLE_OK && status >= 200 && status < 300;
    if (!ok)
        log_warn("live: publish %s for org %s failed: %s", type, org_id,
                 cc != CURLE_OK ? curl_easy_strerror(cc) : "publisher answered an error status");
    return ok;
}
