/* identity_cache.c — owns the one-round-trip read of an org's data view.
 *
 * The full path costs two round trips: the caller's identity statement
 * (fcgi/access.c: key or user, membership, the org's time zone and data
 * version) and the data. A worker thread remembers the identities it resolved
 * there — per credential (an API key's hash, or a user id from a verified
 * JWT) and org, for IDC_TTL_SECONDS — and answers a later GET of a tagged
 * view (fcgi/etag.c's table) with the remembered identity. The identity is
 * not trusted: identity/identity_guard.h's guard rides as a hidden column in
 * the first read of the handler (platform/db.h, db_guard) and brings back the
 * identity's current stamp — key unrevoked, role, platform-admin flag,
 * sessions-revoked-after, the token's session not ended, org time zone — with the org's data version and
 * local minute for the ETag. Only when the stamp equals the remembered one is
 * the answer sent; otherwise the answer is dropped, the entry forgotten and
 * the full path runs, so a revoked key or a removed member is refused on the
 * very next request exactly as before. When no statement of the handler could
 * carry the guard (or none returned a row), the guard runs alone: the two
 * round trips of the full path, never more.
 *
 * A conditional request (If-None-Match) runs the guard alone first: the
 * version it brings answers the 304 (one round trip, as on the full path but
 * without the identity statement's row), and a changed version runs the
 * handler. So does a request whose answer the worker remembers
 * (fcgi/answer_cache.c): when the tag built from that version is the
 * remembered answer's, the answer comes from memory, else the handler runs.
 *
 * The thread remembers what such a guard brought back under the change
 * board's counters read before it ran (platform/change_board.h): the next
 * such request of the same credential — a 304, or an answer remembered under
 * the same tag — costs no round trip at all while none of them moved, within
 * the lease (zero_trip_lease_ms) and the same wall-clock minute: the
 * zero-trip answer (docs/performance.md, "The zero-trip 304").
 *
 * Not remembered: the service key, routes without :orgId. A key's
 * last_used_at is refreshed by the full path, which runs at least every
 * IDC_TTL_SECONDS per thread. */
#include "identity_cache.h"

#include <string.h>
#include <time.h>

#include "access.h"
#include "answer_cache.h"
#include "etag.h"
#include "identity/api_key_secret.h"
#include "identity/auth_tokens.h"
#include "identity/identity_guard.h"
#include "input.h"
#include "platform/change_board.h"
#include "params.h"

#define IDC_ENTRIES 32
#define IDC_TTL_SECONDS 30
#define IDC_CRED_MAX 72 /* "k:" + 64 hex, or "u:" + a UUID */

typedef struct {
    char cred[IDC_CRED_MAX];
    char org_id[UUID_STR_LEN + 1];
    char stamp[IDENTITY_STAMP_MAX];
    principal who;
    long long since; /* monotonic seconds; 0 = free */
    /* the zero-trip answer: what the last guard run alone (a conditional request, a remembered answer)
     * brought back, and the change board's counters read before it ran (valid while none moved, within
     * the lease and the same wall-clock minute) */
    bool zt;
    change_mark zt_mark;
    unsigned long long zt_version;
    char zt_minute[17];
    char zt_sid[UUID_STR_LEN + 1]; /* the token's session (users): the guard checked this one */
    long long zt_until_ms;
    long long zt_wall_minute;
} idc_entry;

static _Thread_local idc_entry entries[IDC_ENTRIES];



static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long mono_seconds(void) { return mono_ms() / 1000 + 1; /* never 0 */ }

/* The wall clock's minute (the org-local minute the guard brings back moves with it). */
static long long wall_minute(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec / 60;
}

/* The zero-trip 304's version: true (req->who's org version and minute set from e) when nothing the guard reads
 * can have changed since e's last guard: no change-board counter moved, the lease holds, the wall-clock minute is
 * the same, and (users) the token's session is the one that guard checked. */
static bool zero_trip_version(const idc_entry *e, const char *org_id, const char *sid, vs_request *req)
{
    if (!e->zt || req->cfg->zero_trip_lease_ms <= 0 || strcmp(e->zt_sid, sid) != 0 || mono_ms() >= e->zt_until_ms ||
        wall_minute() != e->zt_wall_minute || !change_board_unchanged(org_id, &e->zt_mark))
        return false;
    req->who.org.data_version = e->zt_version;
    memcpy(req->who.org.local_minute, e->zt_minute, sizeof e->zt_minute);
    return true;
}

/* After a guard that held: remember what it brought back, under the counters read before it ran. */
static void zero_trip_remember(idc_entry *e, const change_mark *mark, long long minute_before, const char *sid,
                               const vs_request *req)
{
    e->zt = wall_minute() == minute_before;
    e->zt_mark = *mark;
    e->zt_version = req->who.org.data_version;
    memcpy(e->zt_minute, req->who.org.local_minute, sizeof e->zt_minute);
    snprintf(e->zt_sid, sizeof e->zt_sid, "%s", sid);
    e->zt_until_ms = mono_ms() + req->cfg->zero_trip_lease_ms;
    e->zt_wall_minute = minute_before;
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

/* The route's :orgId lowercased, when it is a UUID. */
static bool route_org(const vs_request *req, char out[UUID_STR_LEN + 1])
{
    const char *p = req_param(req, "orgId");
    if (!p || !is_uuid(p))
        return false;
    for (int i = 0; i <= UUID_STR_LEN; i++)
        out[i] = (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] + 32) : p[i];
    return true;
}

/* The credential's cache key, as access_authenticate() would pick it: a
 * verified JWT (its iat in *iat) or a well-formed API key (its hash). */
static bool credential(const vs_request *req, char cred[IDC_CRED_MAX], char key_hash[65], long long *iat,
                       char sid[UUID_STR_LEN + 1])
{
    const char *authz = nonempty(req_header(req, "authorization"));
    const char *api_key = nonempty(req_header(req, "x-api-key"));
    key_hash[0] = sid[0] = 0;
    *iat = 0;
    if (authz) {
        const char *token = auth_bearer_token(authz);
        jwt_claims claims;
        bool supabase = false;
        if (!token || auth_verify_access(req->cfg, token, (long long)time(NULL), &claims, &supabase) != JWT_OK ||
            !is_uuid(claims.sub))
            return false;
        *iat = claims.iat;
        if (!supabase && claims.sid[0] && is_uuid(claims.sid)) /* as fcgi/access.c reads it */
            memcpy(sid, claims.sid, UUID_STR_LEN + 1); /* a UUID: 36 characters and its NUL */
        snprintf(cred, IDC_CRED_MAX, "u:%s", claims.sub);
        return true;
    }
    if (api_key && apikey_is_well_formed(api_key)) {
        apikey_hash(api_key, key_hash);
        snprintf(cred, IDC_CRED_MAX, "k:%s", key_hash);
        return true;
    }
    return false;
}

static idc_entry *find(const char *cred, const char *org_id)
{
    long long now = mono_seconds();
    for (int i = 0; i < IDC_ENTRIES; i++) {
        idc_entry *e = &entries[i];
        if (e->since && strcmp(e->cred, cred) == 0 && strcmp(e->org_id, org_id) == 0) {
            if (now - e->since < IDC_TTL_SECONDS)
                return e;
            e->since = 0; /* expired: the full path refreshes it */
            e->zt = false;
            return NULL;
        }
    }
    return NULL;
}

/* Has the guard come back with e's stamp? Then the org's version and minute are current in req->who. */
static bool guard_holds(vs_request *req, const db_guard *g, const idc_entry *e)
{
    unsigned long long version = 0;
    char minute[17];
    if (db_guard_check(req->db) != DB_OK || !identity_guard_holds(g, e->stamp, &version, minute))
        return false;
    req->who.org.data_version = version;
    memcpy(req->who.org.local_minute, minute, sizeof minute);
    return true;
}

bool identity_cache_answer(const route *rt, vs_request *req, vs_response *res)
{
    char org_id[UUID_STR_LEN + 1], cred[IDC_CRED_MAX], key_hash[65], sid[UUID_STR_LEN + 1];
    long long iat;
    if (!etag_route_tagged(rt) || !route_org(req, org_id) || !credential(req, cred, key_hash, &iat, sid))
        return false;
    idc_entry *e = find(cred, org_id);
    if (!e)
        return false;
    if (e->who.kind == PRINCIPAL_USER && e->who.sessions_valid_after && iat < e->who.sessions_valid_after)
        return false; /* a revoked token: the full path says so */
    bool conditional = nonempty(req_header(req, "if-none-match")) != NULL;
    req->who = e->who;
    if (req->who.kind == PRINCIPAL_USER) { /* this token's, not the one the entry was learnt from */
        req->who.token_iat = iat;
        memcpy(req->who.session_id, sid, sizeof req->who.session_id);
    }
    db_guard g;
    identity_guard_make(&g, &req->who, key_hash, sid[0] ? sid : NULL);
    db_guard_set(&g);
    qp_values q;
    bool validating = false, holds = false, checked = false, remember = false;
    char tag[ETAG_MAX] = "", akey[ANSWER_KEY_MAX];
    if (access_authorize(rt, req, res) && (validating = true) && params_validate(rt->params, req, res, &q)) {
        req->q = &q;
        remember = answer_cache_key(req, rt->pattern, akey);
        if (conditional || (remember && answer_cache_known(akey))) {
            /* the version first: an unchanged one is a 304, or the answer remembered under its tag */
            checked = true;
            /* zero trips: the 304, or the answer remembered under the tag, while nothing can have moved it */
            holds = zero_trip_version(e, org_id, sid, req) &&
                    (etag_not_modified(rt, req, res, tag) || (remember && answer_cache_get(akey, tag, res)));
            if (!holds) {
                change_mark mark;
                long long minute_before = wall_minute();
                bool marked = change_board_mark(org_id, &mark);
                holds = guard_holds(req, &g, e);
                if (holds && marked)
                    zero_trip_remember(e, &mark, minute_before, sid, req);
                if (holds && !etag_not_modified(rt, req, res, tag) && !(remember && answer_cache_get(akey, tag, res))) {
                    rt->handler(req, res);
                    etag_attach(res, tag);
                    if (remember)
                        answer_cache_put(akey, tag, res);
                }
            }
        } else {
            rt->handler(req, res);
        }
    }
    if (!checked) {
        holds = guard_holds(req, &g, e);
        if (holds && res->status == 200 && !conditional) {
            etag_make(rt, req, tag);
            etag_attach(res, tag);
            if (remember)
                answer_cache_put(akey, tag, res);
        }
    }
    db_guard_set(NULL);
    req->q = NULL;
    if (validating) /* params_validate() leaves something to free whether or not it passed */
        params_free(&q);
    if (holds)
        return true;
    e->since = 0;
    e->zt = false;
    resp_reset(res);
    memset(&req->who, 0, sizeof req->who);
    return false;
}

void identity_cache_learn(const route *rt, const vs_request *req, const vs_response *res)
{
    char org_id[UUID_STR_LEN + 1], cred[IDC_CRED_MAX], key_hash[65], stamp[IDENTITY_STAMP_MAX],
        sid[UUID_STR_LEN + 1];
    long long iat;
    const principal *w = &req->who;
    if ((res->status != 200 && res->status != 304) || !etag_route_tagged(rt) || !route_org(req, org_id) ||
        !w->org.loaded || strcmp(w->org.id, org_id) != 0 || !identity_stamp(w, w->sessions_valid_after, stamp) ||
        !credential(req, cred, key_hash, &iat, sid))
        return;
    if ((w->kind == PRINCIPAL_USER) != (cred[0] == 'u'))
        return;
    idc_entry *slot = NULL;
    for (int i = 0; i < IDC_ENTRIES && !slot; i++)
        if (entries[i].since && strcmp(entries[i].cred, cred) == 0 && strcmp(entries[i].org_id, org_id) == 0)
            slot = &entries[i];
    for (int i = 0; i < IDC_ENTRIES && !slot; i++)
        if (!entries[i].since)
            slot = &entries[i];
    if (!slot) { /* full: replace the oldest */
        slot = &entries[0];
        for (int i = 1; i < IDC_ENTRIES; i++)
            if (entries[i].since < slot->since)
                slot = &entries[i];
    }
    snprintf(slot->cred, sizeof slot->cred, "%s", cred);
    memcpy(slot->org_id, org_id, sizeof slot->org_id);
    memcpy(slot->stamp, stamp, sizeof slot->stamp);
    slot->who = *w;
    slot->since = mono_seconds();
    slot->zt = false; /* the next guard run alone confirms it */
}
