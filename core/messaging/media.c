/* media.c — owns where the audio of recordings and voicemails comes from
 * (media.h) and a voicemail's read state. */
#include "messaging/media.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "data/data_version.h"
#include "mightycall/mc_target.h"

static bool host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/* Path and query characters passed on unchanged: no percent-escapes in the
 * path (nginx decodes the redirect URI before matching), no "..". */
static bool rest_ok(const char *rest)
{
    bool query = false;
    for (const char *p = rest; *p; p++) {
        char c = *p;
        if (c == '?' && !query) {
            query = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '.' || c == '_' || c == '~' || c == '/' ||
                  (query && (c == '=' || c == '&' || c == '%' || c == '+' || c == ','));
        if (!ok)
            return false;
    }
    return strstr(rest, "/..") == NULL && strstr(rest, "//") == NULL;
}

int media_redirect_for(const vs_config *cfg, const char *url, char redirect[MEDIA_REDIRECT_MAX], const char **why)
{
    *why = "the audio URL is malformed";
    if (!url)
        return -1;
    bool https = strncasecmp(url, "https://", 8) == 0;
    if (!https && strncasecmp(url, "http://", 7) != 0)
        return -1;
    const char *h = url + (https ? 8 : 7);
    size_t an = strcspn(h, "/?#");
    char host[256], port[8];
    const char *colon = memchr(h, ':', an);
    size_t hl = colon ? (size_t)(colon - h) : an;
    if (hl == 0 || hl >= sizeof host)
        return -1;
    memcpy(host, h, hl);
    host[hl] = 0;
    for (size_t i = 0; i < hl; i++)
        if (!host_char(host[i]))
            return -1; /* userinfo, IPv6 literals and other forms are not ours */
    if (colon) {
        size_t pl = an - hl - 1;
        if (pl == 0 || pl > 5 || strspn(colon + 1, "0123456789") < pl)
            return -1;
        memcpy(port, colon + 1, pl);
        port[pl] = 0;
        long pn = strtol(port, NULL, 10);
        if (pn < 1 || pn > 65535)
            return -1;
    } else {
        snprintf(port, sizeof port, "%s", https ? "443" : "80");
    }
    char rest[MEDIA_REDIRECT_MAX];
    const char *r = h + an;
    size_t rl = strcspn(r, "#");
    if (rl + 2 > sizeof rest)
        return -1;
    snprintf(rest, sizeof rest, "%s%.*s", *r == '/' ? "" : "/", (int)rl, r);
    if (!rest_ok(rest))
        return -1;
    char base[300], pin[600];
    snprintf(base, sizeof base, "%s://%s:%s", https ? "https" : "http", host, port);
    if (mc_target_pin(cfg, base, pin, sizeof pin, why) != 0)
        return -1;
    const char *addr = pin + strlen(host) + 1 + strlen(port) + 1; /* "host:port:addr[,addr…]" */
    size_t al = strcspn(addr, ",");
    int n = snprintf(redirect, MEDIA_REDIRECT_MAX, "/_vs_media/%s/%.*s/%s/%s%s", https ? "https" : "http", (int)al,
                     addr, port, host, rest);
    if (n < 0 || n >= MEDIA_REDIRECT_MAX) {
        *why = "the audio URL is too long";
        return -1;
    }
    return 0;
}

static const char *const media_sql[] = {
    [MEDIA_RECORDING] = "SELECT url FROM recordings WHERE id = ? AND org_id = ?",
    [MEDIA_CALL] = "SELECT recording_url AS url FROM calls WHERE id = ? AND org_id = ?",
    [MEDIA_VOICEMAIL] = "SELECT recording_url AS url FROM voicemails WHERE id = ? AND org_id = ?",
};

vs_result media_locate(db_conn *db, const vs_config *cfg, const char *org_id, media_kind kind, const char *id,
                       char redirect[MEDIA_REDIRECT_MAX], const char **why)
{
    *why = NULL;
    json_t *row = NULL;
    db_param p[] = {DBP_STR(id), DBP_STR(org_id)};
    int rc = db_query_row(db, media_sql[kind], p, 2, &row);
    if (rc != DB_OK)
        return rc;
    const char *url = row ? json_string_value(json_object_get(row, "url")) : NULL;
    vs_result out = VS_OK;
    if (!url || !*url)
        out = VS_ERR_NOT_FOUND;
    else if (media_redirect_for(cfg, url, redirect, why) != 0)
        out = VS_ERR_UPSTREAM;
    json_decref(row);
    return out;
}

vs_result voicemail_set_read(db_conn *db, const char *org_id, const char *id, bool read, json_t **row)
{
    *row = NULL;
    db_param p[] = {DBP_STR(read ? "read" : "unread"), DBP_STR(id), DBP_STR(org_id)};
    unsigned long long n = 0;
    int rc = db_exec(db, "UPDATE voicemails SET status = ?, status_set_at = NOW(3) WHERE id = ? AND org_id = ?", p, 3,
                     &n);
    if (rc != DB_OK || n == 0)
        return rc;
    rc = org_data_version_bump(db, org_id);
    if (rc != DB_OK)
        return rc;
    db_param q[] = {DBP_STR(id), DBP_STR(org_id)};
    return db_query_row(db, "SELECT id, status FROM voicemails WHERE id = ? AND org_id = ?", q, 2, row);
}
