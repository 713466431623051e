/* live_ticket.c — owns subscribe tickets of the push stream; see live_ticket.h. */
#include "identity/live_ticket.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "identity/api_keys.h"
#include "identity/users.h"

#define MAC_HEX (crypto_auth_hmacsha256_BYTES * 2)

/* MAC over a domain tag, the org and the ticket's body, keyed by a key
 * derived from the secret (so it never signs anything a JWT could be). */
static bool mac_hex(const char *secret, const char *org_id, const char *body, char out[MAC_HEX + 1])
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES];
    if (crypto_generichash(key, sizeof key, (const unsigned char *)secret, strlen(secret),
                           (const unsigned char *)"vs-live-ticket-key", 18) != 0)
        return false;
    crypto_auth_hmacsha256_state st;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_init(&st, key, sizeof key);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)org_id, strlen(org_id));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(key, sizeof key);
    sodium_bin2hex(out, MAC_HEX + 1, mac, sizeof mac);
    return true;
}

int live_ticket_mint(const char *secret, const char *org_id, const live_ticket *t, long long now, char *out,
                     size_t outsz)
{
    if (!secret || !*secret || !is_uuid(org_id) || outsz < LIVE_TICKET_MAX + 1)
        return -1;
    if (t->kind != LIVE_SUBJECT_SERVICE && !is_uuid(t->subject_id))
        return -1;
    if (t->kind != LIVE_SUBJECT_USER && t->kind != LIVE_SUBJECT_KEY && t->kind != LIVE_SUBJECT_SERVICE)
        return -1;
    bool session = t->kind == LIVE_SUBJECT_USER && t->session_id[0];
    if (session && !is_uuid(t->session_id))
        return -1;
    char body[LIVE_TICKET_MAX + 1];
    int n = snprintf(body, sizeof body, "lt2.%c.%s.%s.%lld.%lld", (char)t->kind,
                     t->kind == LIVE_SUBJECT_SERVICE ? "-" : t->subject_id, session ? t->session_id : "-",
                     t->iat < 0 ? 0 : t->iat, now + LIVE_TICKET_TTL);
    if (n <= 0 || (size_t)n >= sizeof body)
        return -1;
    char mac[MAC_HEX + 1];
    if (!mac_hex(secret, org_id, body, mac))
        return -1;
    n = snprintf(out, outsz, "%s.%s", body, mac);
    return n > 0 && (size_t)n < outsz ? 0 : -1;
}

static bool parse_num(const char *s, size_t n, long long *out)
{
    if (n == 0 || n > 12)
        return false;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool live_ticket_check(const char *secret, const char *ticket, const char *org_id, long long now, live_ticket *t)
{
    memset(t, 0, sizeof *t);
    if (!secret || !*secret || !ticket || !is_uuid(org_id))
        return false;
    size_t len = strlen(ticket);
    if (len > LIVE_TICKET_MAX || len < MAC_HEX + 14 || strncmp(ticket, "lt2.", 4) != 0)
        return false;
    const char *dot = ticket + len - MAC_HEX - 1;
    if (*dot != '.')
        return false;
    char body[LIVE_TICKET_MAX + 1];
    memcpy(body, ticket, (size_t)(dot - ticket));
    body[dot - ticket] = 0;
    char want[MAC_HEX + 1];
    if (!mac_hex(secret, org_id, body, want) || sodium_memcmp(want, dot + 1, MAC_HEX) != 0)
        return false;
    /* signed by us: the fields are ours, parse them strictly anyway */
    const char *part[5]; /* kind, subject, session, iat, exp */
    size_t plen[5];
    const char *p = body + 4;
    for (int i = 0; i < 4; i++) {
        const char *d = strchr(p, '.');
        if (!d)
            return false;
        part[i] = p;
        plen[i] = (size_t)(d - p);
        p = d + 1;
    }
    part[4] = p;
    plen[4] = strlen(p);
    if (plen[0] != 1 || strchr(part[4], '.'))
        return false;
    t->kind = (live_subject)part[0][0];
    if (t->kind == LIVE_SUBJECT_SERVICE) {
        if (plen[1] != 1 || part[1][0] != '-')
            return false;
    } else if (t->kind == LIVE_SUBJECT_USER || t->kind == LIVE_SUBJECT_KEY) {
        if (plen[1] != UUID_STR_LEN)
            return false;
        memcpy(t->subject_id, part[1], UUID_STR_LEN);
        t->subject_id[UUID_STR_LEN] = 0;
        if (!is_uuid(t->subject_id))
            return false;
    } else {
        return false;
    }
    if (t->kind == LIVE_SUBJECT_USER && plen[2] == UUID_STR_LEN) {
        memcpy(t->session_id, part[2], UUID_STR_LEN);
        t->session_id[UUID_STR_LEN] = 0;
        if (!is_uuid(t->session_id))
            return false;
    } else if (plen[2] != 1 || part[2][0] != '-') {
        return false;
    }
    if (!parse_num(part[3], plen[3], &t->iat) || !parse_num(part[4], plen[4], &t->exp))
        return false;
    return now <= t->exp;
}

int live_ticket_authorize(db_conn *db, const char *secret, const char *ticket, const char *org_id, long long now,
                          bool *ok)
{
    *ok = false;
    live_ticket t;
    if (!live_ticket_check(secret, ticket, org_id, now, &t))
        return DB_OK;
    if (t.kind == LIVE_SUBJECT_SERVICE) {
        *ok = true;
        return DB_OK;
    }
    if (t.kind == LIVE_SUBJECT_KEY)
        return api_key_is_live(db, org_id, t.subject_id, ok);
    user_identity u;
    org_view org;
    memset(&org, 0, sizeof org);
    /* the token's session in the same statement, as fcgi/access.c checks it */
    int rc = user_identity_load(db, t.subject_id, org_id, t.session_id[0] ? t.session_id : NULL, &u, &org);
    if (rc < 0)
        return rc;
    if (rc == 0 || !org.exists)
        return DB_OK;
    if (u.sessions_valid_after && (!t.iat || t.iat < u.sessions_valid_after))
        return DB_OK; /* signed out everywhere / password changed since the token */
    if (u.session_ended)
        return DB_OK; /* the token's session was signed out */
    *ok = u.platform_admin || u.role_in_org != ORG_ROLE_NONE;
    return DB_OK;
}
